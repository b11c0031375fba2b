// The summary over all records (computed in Rust in the worker, drawn with DOM and SVG): the AWS
// documentation's examples in English and Japanese, its chart's bars and tooltips, the performance
// mark, hostile lines shown as text, and no summary for a single record. Screenshots go to out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OUT, SEED, WAIT, decode, open, start, stop, text } from './harness.mjs';

const DOCS = readFileSync(fileURLToPath(new URL('../data/aws-docs-examples.log', import.meta.url)), 'utf8').trim();

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

/** Waits for the summary of an input of `records` records in `lang`. */
async function summaryOf(page, records, lang = 'en') {
  await page.waitForFunction(([n, l]) => {
    const s = document.getElementById('summary');
    return !s.hidden && s.dataset.records === String(n) && document.documentElement.lang === l
      && s.querySelector('.ov-table') !== null;
  }, [records, lang], { timeout: WAIT });
}

const stat = (page, key) => text(page, `#summary [data-stat="${key}"] .ov-value`);
const cells = (page, table, row) => page.locator(`#${table} tbody tr`).nth(row).locator('td').allInnerTexts();

describe('the summary', () => {
  test('the AWS docs examples in English: figures, tables, chart, mark', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, DOCS, /^7 records/);
      await summaryOf(page, 7);
      assert.equal(await text(page, '#summary-heading'), 'Summary');
      // The summary sits above the records.
      const order = await page.evaluate(() => {
        const s = document.getElementById('summary');
        const r = document.getElementById('results');
        return Boolean(s.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      assert.ok(order);
      assert.equal(await stat(page, 'records'), '7');
      assert.equal(await stat(page, 'bytes'), '18.0 KB');
      assert.match(await text(page, '#summary [data-stat="bytes"] .ov-sub'), /^102 packets · bytes known for 5 of 7 records$/);
      assert.equal(await stat(page, 'accepted'), '3');
      assert.equal(await stat(page, 'rejected'), '2');
      assert.equal(await stat(page, 'time'), '687 days 7 h');
      assert.match(await text(page, '#summary [data-stat="time"] .ov-sub'), /^2014-12-14 04:06:50 → 2016-10-31 11:37:00 \(UTC\)$/);
      assert.match(await text(page, '#summary [data-stat="status"]'), /OK 5[\s\S]*NODATA 1 · SKIPDATA 1/);
      assert.equal(await stat(page, 'distinct'), '2 interfaces · 7 addresses');

      // Top talkers: by bytes, the IPv6 pair first; ties by address.
      assert.equal(await text(page, '#ov-pairs caption'), 'Top talkers (source → destination, by bytes)');
      const first = await cells(page, 'ov-pairs', 0);
      assert.match(first[1], /^2001:db8:1234:a100:8d6e:3477:df66:f105\s+documentation \(example addresses\)$/);
      assert.deepEqual(first.slice(4), ['8.86 KB', '54', '1']);
      const second = await cells(page, 'ov-pairs', 1);
      assert.match(second[1], /^172\.31\.9\.69\s+private, in your VPC$/);
      assert.match(second[3], /^172\.31\.9\.12/);
      assert.equal(await page.locator('#ov-pairs tbody tr').count(), 5);
      // The explanation of an address is its tooltip.
      assert.match(await page.locator('#ov-pairs tbody tr').nth(1).locator('.ov-addr').first().getAttribute('title'),
        /^172\.31\.9\.69 is a private address \(IANA: Private-Use, RFC 1918/);

      // Rejected sources with the ports they tried.
      const rejected = await page.locator('#ov-rejected tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.addr));
      assert.deepEqual(rejected, ['172.31.9.69', '172.31.16.139']);
      assert.equal(await text(page, '#ov-rejected tbody tr:first-child .ov-tried'), 'TCP 3389 RDP ×1');
      assert.equal(await text(page, '#ov-rejected tbody tr:nth-child(2) .ov-tried'), 'ICMP ×1');

      // Destination ports and protocols by name.
      assert.deepEqual(await cells(page, 'ov-ports', 0), ['1', 'TCP 22', 'SSH', '2', '13.1 KB', '2', '0']);
      assert.deepEqual(await cells(page, 'ov-ports', 1), ['2', 'TCP 3389', 'RDP', '1', '4.25 KB', '0', '1']);
      const protocols = await page.locator('#ov-protocols tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.protocol));
      assert.deepEqual(protocols, ['6', '1']);

      // The chart: 99 weekly bars, 4 with records; each column has its time and figures as a tooltip.
      assert.match(await text(page, '#ov-chart figcaption'), /^Bytes over time, by start \(one bar = 7 days\)/);
      assert.equal(await page.locator('#ov-chart g.ov-bar').count(), 99);
      const bars = await page.locator('#ov-chart g.ov-bar').evaluateAll((gs) => gs
        .filter((g) => g.dataset.records !== '0')
        .map((g) => [g.dataset.records, g.dataset.bytes, g.dataset.rejected, g.querySelector('title').textContent]));
      assert.equal(bars.length, 4);
      assert.deepEqual(bars[0].slice(0, 3), ['2', '8498', '1']);
      assert.equal(bars[0][3], '2014-12-11 00:00:00 UTC (+7 days)\n2 records · 8.50 KB · 1 rejected');
      assert.equal(await page.locator('#ov-chart rect.ov-rejected-bar').count(), 2);
      assert.match(await page.locator('#ov-chart svg').getAttribute('aria-label'), /^Bar chart of 99 bars from 2014-12-11 00:00:00 to 2016-10-27 00:00:00/);

      // The benchmark's mark, once the summary is on screen.
      assert.ok(await page.evaluate(() => performance.getEntriesByName('flowlens:summary').length >= 1));
      await page.locator('#summary').screenshot({ path: `${OUT}overview-docs-en.png` });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('in Japanese, after switching the language', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, DOCS, /^7 records/);
      await summaryOf(page, 7);
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.getElementById('summary-heading').textContent === '概要'
        && document.querySelector('#summary [data-stat="time"] .ov-value')?.textContent === '687 日 7 時間', null, { timeout: WAIT });
      assert.equal(await stat(page, 'records'), '7');
      assert.equal(await stat(page, 'distinct'), 'インターフェイス 2 · アドレス 7');
      assert.equal(await text(page, '#ov-pairs caption'), '通信量の多い組み合わせ（送信元 → 宛先、バイト数順）');
      assert.match((await cells(page, 'ov-pairs', 1))[1], /^172\.31\.9\.69\s+プライベート、VPC 内$/);
      assert.deepEqual((await cells(page, 'ov-ports', 0)).slice(1, 4), ['TCP 22', 'SSH', '2']);
      assert.match(await text(page, '#ov-chart figcaption'), /1 本 = 7 日/);
      const title = await page.locator('#ov-chart g.ov-bar').first().locator('title').textContent();
      assert.equal(title, '2014-12-11 00:00:00 UTC（+7 日）\n2 レコード · 8.50 KB · 拒否 1');
      await page.locator('#summary').screenshot({ path: `${OUT}overview-docs-ja.png` });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('lines with markup are counted and shown as text, never as HTML', async () => {
    const { page, context, errors, dialogs } = await open(env, { live: 'abort' });
    try {
      const hostile = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '<b>bold</b>'];
      await decode(page, [DOCS, ...hostile].join('\n'), /^7 records · 3 errors/);
      await summaryOf(page, 7);
      assert.equal(await text(page, '#summary [data-stat="records"] .ov-sub'), '3 lines not decoded');
      assert.equal(await page.locator('#summary img, #summary script, #summary b').count(), 0);
      assert.equal(await page.locator('#results img, #results script:not([src]), #results b').count(), 0);
      // (textContent: entries off screen are not rendered, so they have no innerText)
      assert.match(await page.locator('#results').textContent(), /<img src=x onerror=alert\(1\)>/);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a single record has no summary; a new input replaces the old one', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, DOCS, /^7 records/);
      await summaryOf(page, 7);
      await decode(page, SEED, /^1 record /);
      await page.waitForFunction(() => document.getElementById('summary').hidden, null, { timeout: WAIT });
      await decode(page, `${SEED}\n${SEED}`, /^2 records/);
      await summaryOf(page, 2);
      const row = await cells(page, 'ov-pairs', 0);
      assert.match(row[3], /^15\.152\.63\.145\s+AWS EC2, Osaka$/);
      assert.deepEqual(await cells(page, 'ov-ports', 0), ['1', 'UDP 123', 'NTP', '2', '152 B', '2', '0']);
      assert.equal(await page.locator('#ov-chart g.ov-bar').count(), 1);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
