// Times in UTC or in the browser's zone (Asia/Tokyo here, Playwright's timezoneId): the header's
// switch, UTC by default, the other zone beside it in the Value column, the sentence, the Summary's
// span, the chart's axis, caption and tooltips, the record list; the choice remembered over a
// reload, a poisoned saved value ignored, the Japanese page. Screenshots go to out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OUT, SEED, WAIT, decode, fullShot, open, shown, start, stop, summaryOf, text } from './harness.mjs';

const DOCS = readFileSync(fileURLToPath(new URL('../data/aws-docs-examples.log', import.meta.url)), 'utf8').trim();
const TOKYO = { contextOptions: { timezoneId: 'Asia/Tokyo' } };
const KEY = 'flowlens.times';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

const value = (page, key, scope = '#results') => shown(page.locator(`${scope} tr[data-key="${key}"] td.value`));
const meaning = (page, key) => shown(page.locator(`#results tr[data-key="${key}"] td.text`));
const choose = (page, mode) => page.click(`#time-pick label:has(#times-${mode})`);
const checked = (page) => page.evaluate(() => document.querySelector('#time-pick input:checked')?.value ?? null);

describe('times: UTC or local', () => {
  test('UTC by default with local beside it; local on a click, remembered over a reload; Japanese', async () => {
    const { page, context, errors } = await open(env, TOKYO);
    try {
      await decode(page, SEED, /^1 record/);
      assert.equal(await checked(page), 'utc');
      assert.equal(await text(page, '#time-pick-label'), 'Times');
      assert.equal(await text(page, '#times-local-label'), 'Local (Asia/Tokyo, UTC+9)');
      // UTC first (as flow logs and AWS write times), the browser's zone beside it.
      assert.equal(await value(page, 'start'), '2025-04-13 05:23:05 UTC (14:23:05 UTC+9)');
      assert.equal(await value(page, 'end'), '2025-04-13 05:23:13 UTC (14:23:13 UTC+9)');
      assert.match(await meaning(page, 'start'), /: 2025-04-13 05:23:05 UTC\./);

      // Local: the same entry said again (not decoded and drawn anew), Tokyo's time first.
      await page.evaluate(() => { window.entryBefore = document.querySelector('#results article.record'); });
      await choose(page, 'local');
      assert.equal(await checked(page), 'local');
      assert.equal(await value(page, 'start'), '2025-04-13 14:23:05 UTC+9 (05:23:05 UTC)');
      assert.equal(await value(page, 'end'), '2025-04-13 14:23:13 UTC+9 (05:23:13 UTC)');
      assert.match(await meaning(page, 'start'), /: 2025-04-13 14:23:05 UTC\+9\./);
      assert.match(await meaning(page, 'end'), /: 2025-04-13 14:23:13 UTC\+9\. The window lasted 8 s\./);
      assert.ok(await page.evaluate(() => window.entryBefore === document.querySelector('#results article.record')));
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), 'local');

      // Milliseconds are kept.
      await decode(page, SEED.replace('1744521785 1744521793', '1744521785123 1744521793004'), /^1 record/);
      assert.equal(await value(page, 'start'), '2025-04-13 14:23:05.123 UTC+9 (05:23:05.123 UTC)');
      assert.equal(await value(page, 'end'), '2025-04-13 14:23:13.004 UTC+9 (05:23:13.004 UTC)');

      // Remembered over a reload.
      await page.reload();
      await decode(page, SEED, /^1 record/);
      assert.equal(await checked(page), 'local');
      assert.equal(await value(page, 'start'), '2025-04-13 14:23:05 UTC+9 (05:23:05 UTC)');

      // Japanese: Intl names the zone JST; the choice stays.
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.querySelector('#results tr[data-key="start"] th .label')?.textContent === '開始時刻'
        || document.documentElement.lang === 'ja', null, { timeout: WAIT });
      await page.waitForFunction(() => document.querySelector('#results tr[data-key="start"] td.value')?.textContent.includes('JST'), null, { timeout: WAIT });
      assert.equal(await checked(page), 'local');
      assert.equal(await text(page, '#time-pick-label'), '時刻');
      assert.equal(await text(page, '#times-local-label'), 'ローカル（Asia/Tokyo、UTC+9）');
      assert.equal(await value(page, 'start'), '2025-04-13 14:23:05 JST (05:23:05 UTC)');
      assert.match(await meaning(page, 'start'), /: 2025-04-13 14:23:05 JST。/);
      await choose(page, 'utc');
      assert.equal(await value(page, 'start'), '2025-04-13 05:23:05 UTC (14:23:05 JST)');
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), 'utc');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the Summary, the chart, the list and a NODATA sentence in the zone chosen', async () => {
    const { page, context, errors } = await open(env, { ...TOKYO, live: 'abort' });
    try {
      await decode(page, DOCS, /^7 records/);
      await summaryOf(page, 7);
      const sub = '#summary [data-stat="time"] .ov-sub';
      const alt = '#summary [data-stat="time"] .ov-alt';
      const sentence = '#results article[data-line="3"] .summary';
      const firstTitle = () => page.locator('#ov-chart g.ov-bar').first().locator('title').textContent();
      const ticks = () => page.locator('#ov-chart text.ov-tick[text-anchor="start"]').allTextContents();
      assert.equal(await text(page, sub), '2014-12-14 04:06:50 → 2016-10-31 11:37:00 (UTC)');
      assert.equal(await text(page, alt), '2014-12-14 13:06:50 → 2016-10-31 20:37:00 (UTC+9)');
      assert.equal(await page.locator('#ov-chart .ov-axis-zone').textContent(), 'UTC');
      assert.match(await text(page, '#ov-chart figcaption'), /^Bytes over time, by start .* Times in UTC\.$/);
      assert.deepEqual(await ticks(), ['2014-12-11 00:00:00']);
      assert.match(await firstTitle(), /^2014-12-11 00:00:00 UTC \(\+7 days\)\n/);
      assert.match(await text(page, sentence), /between 2015-05-10 18:01:16 UTC and 2015-05-10 18:02:14 UTC \(NODATA\)/);
      assert.equal(await shown(page.locator('#record-list .record-row[data-pos="0"] .rc-time')), '2014-12-14 04:06:50');
      assert.match(await text(page, '#list-count'), /^1–7 of 7 records · times in UTC$/);

      await choose(page, 'local');
      await page.waitForFunction(() => document.querySelector('#ov-chart .ov-axis-zone')?.textContent === 'UTC+9', null, { timeout: WAIT });
      assert.equal(await text(page, sub), '2014-12-14 13:06:50 → 2016-10-31 20:37:00 (UTC+9)');
      assert.equal(await text(page, alt), '2014-12-14 04:06:50 → 2016-10-31 11:37:00 (UTC)');
      assert.match(await text(page, '#ov-chart figcaption'), / Times in UTC\+9 \(Asia\/Tokyo\)\.$/);
      assert.match(await page.locator('#ov-chart svg').getAttribute('aria-label'), /^Bar chart of \d+ bars from 2014-12-11 09:00:00 to .* \(UTC\+9\);/);
      assert.deepEqual(await ticks(), ['2014-12-11 09:00:00']);
      assert.match(await firstTitle(), /^2014-12-11 09:00:00 UTC\+9 \(\+7 days\)\n/);
      // Another day in Tokyo: the UTC beside it says its date.
      assert.match(await text(page, sentence), /between 2015-05-11 03:01:16 UTC\+9 and 2015-05-11 03:02:14 UTC\+9 \(NODATA\)/);
      assert.equal(await value(page, 'start', '#results article[data-line="3"]'), '2015-05-11 03:01:16 UTC+9 (2015-05-10 18:01:16 UTC)');
      assert.equal(await shown(page.locator('#record-list .record-row[data-pos="0"] .rc-time')), '2014-12-14 13:06:50');
      assert.match(await text(page, '#list-count'), /^1–7 of 7 records · times in UTC\+9$/);
      assert.equal(await page.locator('#record-list .record-row[data-pos="0"] .rc-time').getAttribute('title'),
        '2014-12-14 13:06:50 UTC+9 (04:06:50 UTC)');
      // The breakdown under the list too.
      await page.click('#record-list .record-row[data-pos="2"]');
      await page.waitForFunction(() => document.querySelector('#record-detail tr[data-key="start"]'), null, { timeout: WAIT });
      assert.match(await value(page, 'start', '#record-detail'), /^2015-05-11 03:0\d:\d\d UTC\+9 \(2015-05-10 18:0\d:\d\d UTC\)$/);
      await page.locator('#summary .ov-totals').screenshot({ path: `${OUT}time-local-totals-en.png` });
      await page.locator('#ov-chart').screenshot({ path: `${OUT}time-local-chart-en.png` });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${OUT}time-local-en.png` });
      await page.locator('#results article[data-line="3"]').screenshot({ path: `${OUT}time-local-nodata-en.png` });

      // Japanese: the zone is JST, the choice stays.
      await page.selectOption('#lang', 'ja');
      await summaryOf(page, 7, 'ja');
      await page.waitForFunction(() => document.querySelector('#results article[data-line="3"] .summary')?.textContent.includes('JST'), null, { timeout: WAIT });
      assert.equal(await checked(page), 'local');
      assert.equal(await text(page, sub), '2014-12-14 13:06:50 → 2016-10-31 20:37:00（JST）');
      assert.equal(await page.locator('#ov-chart .ov-axis-zone').textContent(), 'JST');
      assert.match(await text(page, '#list-count'), / · 時刻は JST$/);
      assert.match(await text(page, '#ov-chart figcaption'), /時刻は JST（Asia\/Tokyo）で表示しています。$/);
      assert.match(await firstTitle(), /^2014-12-11 09:00:00 JST（\+7 日）\n/);
      assert.match(await text(page, sentence), /（2015-05-11 03:01:16 JST ～ 2015-05-11 03:02:14 JST）/);
      await page.locator('#summary .ov-totals').screenshot({ path: `${OUT}time-local-totals-ja.png` });
      await page.locator('#ov-chart').screenshot({ path: `${OUT}time-local-chart-ja.png` });
      await page.locator('#results article[data-line="3"]').screenshot({ path: `${OUT}time-local-nodata-ja.png` });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator('header.top').screenshot({ path: `${OUT}time-header-ja.png` });
      await fullShot(page, `${OUT}time-local-ja-full.png`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a poisoned saved choice is ignored and forgotten; the switch by keyboard', async () => {
    const { page, context, errors } = await open(env, TOKYO);
    try {
      for (const poison of ['Local', 'constructor', '__proto__', '{"mode":"local"}', 'local ']) {
        await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, poison]);
        await page.reload();
        await decode(page, SEED, /^1 record/);
        assert.equal(await checked(page), 'utc', poison);
        assert.equal(await value(page, 'start'), '2025-04-13 05:23:05 UTC (14:23:05 UTC+9)', poison);
        assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null, poison);
      }
      // The switch by keyboard: the arrow keys move between its two radio buttons.
      await page.focus('#times-utc');
      await page.keyboard.press('ArrowRight');
      assert.equal(await checked(page), 'local');
      assert.equal(await value(page, 'start'), '2025-04-13 14:23:05 UTC+9 (05:23:05 UTC)');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
