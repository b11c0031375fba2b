// The accessibility scan: axe-core (a dev dependency) run in the page in English and Japanese, light
// and dark, on the empty start page and after the AWS documentation's examples (the Summary, its
// chart, the filter bar, the record list and the records on screen). No violation of impact
// 'serious' or 'critical' may remain; moderate and minor ones are printed (they are worth a look).
//
// axe is injected as a <script> element, which the page's Content-Security-Policy (script-src
// 'self') refuses: these contexts alone bypass it (`bypassCSP`), the other tests keep it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OUT, WAIT, axeReport as report, axeScan as scan, decode, openIn, start, stop } from './harness.mjs';

const DOCS = readFileSync(fileURLToPath(new URL('../data/aws-docs-examples.log', import.meta.url)), 'utf8').trim();

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

/** Waits until the Summary (with its tables and chart) and the record list show the input. */
async function shownInFull(page, records, lang) {
  await page.waitForFunction(([n, l]) => {
    const s = document.getElementById('summary');
    return document.documentElement.lang === l && !s.hidden && !s.classList.contains('is-stale')
      && s.dataset.records === String(n) && s.querySelector('.ov-table') && s.querySelector('.ov-chart')
      && !document.getElementById('explore').hidden
      && document.querySelectorAll('#record-list .record-row:not(.loading)').length === n;
  }, [records, lang], { timeout: WAIT });
}

const STATES = [
  { lang: 'en', locale: 'en-US', colorScheme: 'light' },
  { lang: 'en', locale: 'en-US', colorScheme: 'dark' },
  { lang: 'ja', locale: 'ja-JP', colorScheme: 'light' },
  { lang: 'ja', locale: 'ja-JP', colorScheme: 'dark' },
];

describe('accessibility (axe-core)', () => {
  for (const { lang, locale, colorScheme } of STATES) {
    test(`${lang} ${colorScheme}: the start page and the AWS docs examples`, async () => {
      const context = await env.browser.newContext({
        locale, colorScheme, bypassCSP: true, viewport: { width: 1280, height: 800 }, serviceWorkers: 'block',
      });
      try {
        const { page, errors } = await openIn(env, context);
        await page.waitForFunction((l) => document.documentElement.lang === l
          && document.getElementById('results-heading').textContent !== ''
          && !/…|\.\.\./.test(document.getElementById('ipranges-status').textContent), lang, { timeout: WAIT });
        const bad = report(`${lang} ${colorScheme} start`, await scan(page));
        await page.screenshot({ path: `${OUT}a11y-${lang}-${colorScheme}-start.png` });

        await decode(page, DOCS, /^7 records|^レコード 7 件/);
        await shownInFull(page, 7, lang);
        // A record chosen in the list shows its breakdown under it too.
        await page.locator('#record-list .record-row').first().click();
        await page.locator('#record-detail article.record').waitFor({ timeout: WAIT });
        await page.mouse.move(0, 0);
        bad.push(...report(`${lang} ${colorScheme} docs examples`, await scan(page)));
        await page.screenshot({ path: `${OUT}a11y-${lang}-${colorScheme}-docs.png` });

        // More of the page open: the field reference, the filter help, a filter applied (its chip
        // and the Summary of the filtered records), the query for Athena, a field lit up.
        await page.fill('#ref-search', 'port');
        await page.waitForFunction(() => /\d/.test(document.getElementById('ref-count').textContent), null, { timeout: WAIT });
        await page.click('#filter-help-toggle');
        await page.locator('#filter-help table').waitFor({ timeout: WAIT });
        await page.fill('#filter', 'action = REJECT');
        await page.click('#filter-apply');
        await page.locator('#filter-stack .chip').waitFor({ timeout: WAIT });
        await page.waitForFunction(() => {
          const s = document.getElementById('summary');
          return s.dataset.from === 'view' && s.dataset.records === '2' && !s.classList.contains('is-stale');
        }, null, { timeout: WAIT });
        await page.click('#copy-athena');
        await page.locator('#emitted').waitFor({ timeout: WAIT });
        // The records in full (the field tables shown; several records start compact).
        await page.click('#mode-pick [data-mode="full"]');
        await page.hover('#results .tok[data-key="dstport"]');
        await page.locator('#results tr.hl[data-key="dstport"]').first().waitFor({ timeout: WAIT });
        bad.push(...report(`${lang} ${colorScheme} all open`, await scan(page)));
        assert.deepEqual(bad, [], `serious or critical violations:\n${bad.join('\n')}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
