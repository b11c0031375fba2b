// The page on a phone (390×844, touch, no mouse) in English and Japanese, after the AWS
// documentation's examples: nothing wider than the screen, no desktop-only hints, tables that
// scroll inside their box with a cue on the edge that has more, headings that wrap, and chart
// labels that do not overlap. Screenshots go to out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OUT, WAIT, axeReport, axeScan, decode, openIn, start, stop } from './harness.mjs';

const DOCS = readFileSync(fileURLToPath(new URL('../data/aws-docs-examples.log', import.meta.url)), 'utf8').trim();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

/** Waits until the Summary (its tables and chart) and the record list show the 7 records. */
async function shownInFull(page, lang) {
  await page.waitForFunction((l) => {
    const s = document.getElementById('summary');
    return document.documentElement.lang === l && !s.hidden && !s.classList.contains('is-stale')
      && s.dataset.records === '7' && s.querySelector('.ov-table') && s.querySelector('.ov-chart')
      && document.querySelectorAll('#record-list .record-row:not(.loading)').length === 7;
  }, lang, { timeout: WAIT });
}

/** Elements wider than the screen, or reaching past its right edge, outside a box that scrolls them. */
function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const inScroller = (e) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
      }
      return false;
    };
    const out = [];
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (!r.width || (r.right <= width + 0.5 && r.left >= -0.5) || inScroller(e)) continue;
      out.push(`${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join('.')} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return out;
  });
}

describe('the page on a phone', () => {
  for (const [lang, locale] of [['en', 'en-US'], ['ja', 'ja-JP']]) {
    test(`${lang}: the AWS docs examples fit the screen`, async () => {
      // bypassCSP: for the accessibility scan's injected script (a11y.test.mjs).
      const context = await env.browser.newContext({ locale, serviceWorkers: 'block', bypassCSP: true, ...PHONE });
      try {
        const { page, errors } = await openIn(env, context);
        await page.waitForFunction((l) => document.documentElement.lang === l
          && document.getElementById('results-heading').textContent !== '', lang, { timeout: WAIT });
        // The touch screen is seen as one: no hover, a coarse pointer.
        assert.ok(await page.evaluate(() => matchMedia('(hover: none) and (pointer: coarse)').matches));
        await page.screenshot({ path: `${OUT}phone-${lang}-start.png` });

        await decode(page, DOCS, /^7 records|^レコード 7 件/);
        await shownInFull(page, lang);
        await page.locator('#record-list .record-row').first().tap();
        await page.locator('#record-detail article.record').waitFor({ timeout: WAIT });

        // No horizontal scrolling of the page.
        const { scrollWidth, innerWidth, clientWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth, innerWidth, clientWidth: document.documentElement.clientWidth,
        }));
        assert.equal(clientWidth, 390);
        assert.equal(innerWidth, 390);
        assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide on a ${innerWidth} px screen`);
        assert.deepEqual(await overflowing(page), []);

        // Desktop-only hints are not shown.
        for (const id of ['drop-hint', 'shortcut-hint', 'list-keys']) {
          assert.equal(await page.locator(`#${id}`).isVisible(), false, `#${id} is shown on a phone`);
        }

        // Headings wrap: none is cut or wider than its box.
        const cut = await page.evaluate(() => [...document.querySelectorAll('h1, h2, h3, caption, figcaption, summary, .results-head')]
          .filter((h) => h.checkVisibility() && !h.closest('.visually-hidden') && h.scrollWidth > h.clientWidth + 1)
          .map((h) => `${h.tagName} ${h.textContent.slice(0, 40)}: ${h.scrollWidth} > ${h.clientWidth}`));
        assert.deepEqual(cut, []);

        // The Summary's tables: those wider than their box show a cue on the edge that has more.
        const wraps = page.locator('#summary .table-wrap');
        const n = await wraps.count();
        assert.ok(n >= 4, `${n} summary tables`);
        let wide = 0;
        for (let i = 0; i < n; i += 1) {
          const wrap = wraps.nth(i);
          // The caption stays inside the box, wrapped, wherever the table is scrolled to.
          const state = () => wrap.evaluate((w) => {
            const box = w.getBoundingClientRect();
            const c = w.querySelector('caption')?.getBoundingClientRect();
            return {
              overflows: w.scrollWidth > w.clientWidth + 1,
              more: w.dataset.more ?? '',
              shadow: getComputedStyle(w).boxShadow,
              captionInside: !c || (c.left >= box.left - 0.5 && c.right <= box.right + 0.5),
            };
          });
          const s0 = await state();
          if (!s0.overflows) {
            assert.equal(s0.more, '');
            assert.equal(s0.shadow, 'none');
            continue;
          }
          wide += 1;
          assert.equal(s0.more, 'right');
          assert.notEqual(s0.shadow, 'none');
          assert.ok(s0.captionInside, `table ${i}: its caption reaches past its box`);
          // It can be scrolled from the keyboard too.
          assert.equal(await wrap.getAttribute('tabindex'), '0');
          await wrap.evaluate((w) => { w.scrollLeft = w.scrollWidth; });
          await page.waitForFunction((w) => w.dataset.more === 'left', await wrap.elementHandle(), { timeout: WAIT });
          const s1 = await state();
          assert.notEqual(s1.shadow, 'none');
          assert.ok(s1.captionInside, `table ${i}: its caption scrolled away`);
          await wrap.evaluate((w) => { w.scrollLeft = 0; });
          await page.waitForFunction((w) => w.dataset.more === 'right', await wrap.elementHandle(), { timeout: WAIT });
        }
        // The docs examples make at least one table wider than a phone (the services' nine columns).
        assert.ok(wide >= 1, 'no summary table overflows: the cue went untested');

        // The chart: its labels do not overlap, and none reaches outside the chart.
        const boxes = await page.evaluate(() => {
          const chart = document.querySelector('#ov-chart svg');
          const c = chart.getBoundingClientRect();
          return {
            chart: { left: c.left, right: c.right, top: c.top, bottom: c.bottom },
            texts: [...chart.querySelectorAll('text')].map((t) => {
              const r = t.getBoundingClientRect();
              return { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
            }),
          };
        });
        assert.ok(boxes.texts.length >= 4, `${boxes.texts.length} labels`);
        const under = boxes.texts.filter((t) => /\d{2}/.test(t.text) && t.top > boxes.chart.top + (boxes.chart.bottom - boxes.chart.top) / 2);
        assert.ok(under.length >= 2, `the time axis has ${under.length} labels`);
        for (const t of boxes.texts) {
          assert.ok(t.left >= boxes.chart.left - 0.5 && t.right <= boxes.chart.right + 0.5, `"${t.text}" reaches outside the chart`);
        }
        for (let i = 0; i < boxes.texts.length; i += 1) {
          for (let j = i + 1; j < boxes.texts.length; j += 1) {
            const a = boxes.texts[i];
            const b = boxes.texts[j];
            const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
            assert.ok(apart, `"${a.text}" and "${b.text}" overlap`);
          }
        }

        // The accessibility scan on the phone's layout, the field reference drawn (its entries are cards there).
        await page.waitForFunction(() => document.querySelector('#reference #field-log-status'), null, { timeout: WAIT });
        const bad = axeReport(`phone ${lang}`, await axeScan(page));
        assert.deepEqual(bad, [], `serious or critical violations:\n${bad.join('\n')}`);

        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `${OUT}phone-${lang}-top.png` });
        // The parts, each whole (a full-page shot would be of the print layout, not the phone's).
        for (const [name, selector] of [['summary', '#summary'], ['explore', '#explore'], ['list', '#records-section'],
          ['record', '#results article.record']]) {
          await page.locator(selector).first().screenshot({ path: `${OUT}phone-${lang}-${name}.png` });
        }
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
