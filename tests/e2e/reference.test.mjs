// The field reference as a section of the page (search, one anchor per field, the default format's
// fields first), the links to it from a record's breakdown, and the keyboard: focus through a
// record, the token ↔ row highlight on focus, the shortcuts and their list, the chart as a table.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OUT, SEED, WAIT, decode, entriesShown, open, start, stop, text } from './harness.mjs';

const DEFAULT = ['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol',
  'packets', 'bytes', 'start', 'end', 'action', 'log-status'];

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

/** The reference drawn (its rows come from the decoding worker). */
const referenceDrawn = (page) => page.waitForFunction(() => document.querySelectorAll('#reference tr[data-field]').length > 40, null, { timeout: WAIT });

/** The keys of the entries the search keeps, in order. */
const visibleKeys = (page) => page.locator('#reference tr[data-field]').evaluateAll((rows) => rows.filter((r) => !r.hidden).map((r) => r.dataset.field));

/** The element that has the focus: its tag, classes, data-key / data-field-link. */
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { tag: a?.tagName.toLowerCase(), cls: a?.className || '', key: a?.dataset?.key || a?.dataset?.fieldLink || '', id: a?.id || '' };
});

/** Whether `selector`'s first match is inside the viewport (its top and bottom). */
const inViewport = (page, selector) => page.locator(selector).evaluate((e) => {
  const r = e.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight;
});

describe('field reference and keyboard', () => {
  test('the reference: a section with the 14 default fields first, in order; search in en and ja', async () => {
    const { page, context, errors } = await open(env);
    try {
      await referenceDrawn(page);
      assert.equal(await page.locator('section#reference h2#reference-heading').textContent(), 'Field reference');
      assert.equal(await page.locator('#nav-reference').getAttribute('href'), '#reference');
      const all = await visibleKeys(page);
      assert.deepEqual(all.slice(0, 14), DEFAULT);
      assert.equal(new Set(all).size, all.length, 'each field once');
      assert.equal(all.length, 72);
      // One anchor per field.
      for (const key of ['srcaddr', 'tcp-flags', 'flow-direction']) assert.equal(await page.locator(`#field-${key}`).count(), 1);
      assert.equal(await page.locator('.ref-group').first().getAttribute('data-group'), 'default');
      assert.match(await text(page, '#ref-count'), /^72 fields$/);

      // Typing narrows the entries; the count says how many.
      await page.fill('#ref-search', 'tcp');
      const tcp = await visibleKeys(page);
      assert.ok(tcp.includes('tcp-flags'), tcp.join());
      assert.ok(tcp.length < 72 && tcp.length >= 1);
      assert.match(await text(page, '#ref-count'), new RegExp(`^${tcp.length} of 72 fields match$`));
      // Two words: both must be in the entry.
      await page.fill('#ref-search', 'tcp flags');
      assert.deepEqual(await visibleKeys(page), ['tcp-flags']);
      // Groups without a match are hidden; nothing found is said.
      assert.equal(await page.locator('.ref-group:not([hidden])').count(), 1);
      assert.match(await page.locator('.ref-group:not([hidden]) .ref-group-count').textContent(), /^1\/\d+$/);
      await page.fill('#ref-search', 'no-such-field-zzz');
      assert.deepEqual(await visibleKeys(page), []);
      assert.ok(await page.locator('#ref-none').isVisible());

      // In Japanese: the words of the Japanese labels and meanings are searched too.
      await page.fill('#ref-search', 'tcp');
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.getElementById('reference-heading').textContent === 'フィールド一覧', null, { timeout: WAIT });
      await page.waitForFunction(() => document.querySelector('#field-srcaddr td')?.textContent === '送信元アドレス', null, { timeout: WAIT });
      assert.ok((await visibleKeys(page)).includes('tcp-flags'), 'the search is kept across the language change');
      assert.match(await text(page, '#ref-count'), /^72 個中 \d+ 個のフィールドが一致$/);
      await page.fill('#ref-search', '送信先ポート');
      const ja = await visibleKeys(page);
      assert.ok(ja.includes('dstport'), ja.join());
      assert.ok(!ja.includes('srcaddr'), ja.join());
      // Full-width letters are folded: ＴＣＰ finds tcp-flags.
      await page.fill('#ref-search', 'ＴＣＰ');
      assert.ok((await visibleKeys(page)).includes('tcp-flags'));
      await page.fill('#ref-search', '');
      assert.equal((await visibleKeys(page)).length, 72);
      assert.match(await text(page, '#ref-count'), /^72 個のフィールド$/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a breakdown row links to its field’s entry, and back', async () => {
    const { page, context, errors } = await open(env);
    try {
      await referenceDrawn(page);
      await decode(page, SEED, /^1 record · /);
      // Hidden by a search: the jump empties it.
      await page.fill('#ref-search', 'zzz');
      const link = page.locator('#results tr[data-key="dstport"] a[data-field-link]');
      assert.equal(await link.getAttribute('href'), '#field-dstport');
      await link.scrollIntoViewIfNeeded();
      await link.click();
      await page.waitForFunction(() => location.hash === '#field-dstport', null, { timeout: WAIT });
      assert.equal(await page.inputValue('#ref-search'), '');
      assert.ok(await inViewport(page, '#field-dstport'), 'the entry is in the viewport');
      assert.ok(await page.locator('#field-dstport').evaluate((e) => e.matches(':target')));
      assert.match(await page.locator('#field-dstport').getAttribute('class'), /\bref-current\b/);
      assert.equal((await focused(page)).id, 'field-dstport');
      // Its highlight is drawn (the :target background differs from a plain row's).
      const bg = await page.locator('#field-dstport').evaluate((e) => getComputedStyle(e).backgroundColor);
      const plain = await page.locator('#field-srcport').evaluate((e) => getComputedStyle(e).backgroundColor);
      assert.notEqual(bg, plain);
      await page.screenshot({ path: `${OUT}reference-target-en.png` });

      // Back to the record: the field link has the focus again.
      assert.match(await text(page, '#ref-back'), /^↩ Back to the record \(line 1\)$/);
      await page.click('#ref-back');
      assert.deepEqual(await focused(page), { tag: 'a', cls: 'key field-link', key: 'dstport', id: '' });
      assert.ok(await inViewport(page, '#results tr[data-key="dstport"]'));
      assert.ok(await page.locator('#ref-back').isHidden());

      // A link typed in the address (#field-…) shows its entry too.
      await page.evaluate(() => { location.hash = '#field-tcp-flags'; });
      await page.waitForFunction(() => document.getElementById('field-tcp-flags').classList.contains('ref-current'), null, { timeout: WAIT });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('an address with #field-… opens at that entry', async () => {
    const { page, context, errors } = await open(env, { path: '#field-flow-direction' });
    try {
      await referenceDrawn(page);
      await page.waitForFunction(() => document.getElementById('field-flow-direction').classList.contains('ref-current'), null, { timeout: WAIT });
      await page.waitForFunction(() => {
        const r = document.getElementById('field-flow-direction').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight;
      }, null, { timeout: WAIT });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('keyboard focus through a record: tokens, field links, the highlight', async () => {
    const { page, context, errors } = await open(env);
    try {
      await decode(page, SEED, /^1 record · /);
      const tokens = page.locator('#results .tok');
      // One tab stop for the line: the first token.
      assert.deepEqual(await tokens.evaluateAll((ts) => ts.map((t) => t.tabIndex)), [0, ...Array(13).fill(-1)]);
      await tokens.first().focus();
      assert.equal((await focused(page)).key, 'version');
      const row = (key) => page.locator(`#results tr[data-key="${key}"]`);
      assert.match(await row('version').getAttribute('class') || '', /\bhl\b/);
      // → moves along the line; the row of the token focused lights up, and only it.
      for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
      assert.equal((await focused(page)).key, 'dstport');
      assert.match(await row('dstport').getAttribute('class') || '', /\bhl\b/);
      assert.match(await page.locator('#results .tok[data-key="dstport"]').getAttribute('class'), /\bhl\b/);
      assert.doesNotMatch(await row('version').getAttribute('class') || '', /\bhl\b/);
      // Enter: to the token's row (its field link).
      await page.keyboard.press('Enter');
      assert.deepEqual(await focused(page), { tag: 'a', cls: 'key field-link', key: 'dstport', id: '' });
      assert.match(await row('dstport').getAttribute('class') || '', /\bhl\b/);
      assert.match(await page.locator('#results .tok[data-key="dstport"]').getAttribute('class'), /\bhl\b/);

      // Tab from the line reaches the field links of the rows, in order, each lighting up its token.
      await tokens.first().focus();
      const seen = [];
      for (let i = 0; i < 40 && seen.length < 3; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (f.cls.includes('field-link')) {
          seen.push(f.key);
          assert.match(await page.locator(`#results .tok[data-key="${f.key}"]`).getAttribute('class'), /\bhl\b/, f.key);
        }
      }
      assert.deepEqual(seen, ['version', 'account-id', 'interface-id']);
      // The focus leaving the record: nothing stays lit.
      await page.focus('#lang');
      assert.equal(await page.locator('#results .hl').count(), 0);
      // Enter on a field link goes to the reference.
      await row('srcaddr').locator('a[data-field-link]').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => location.hash === '#field-srcaddr', null, { timeout: WAIT });
      assert.equal((await focused(page)).id, 'field-srcaddr');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the shortcuts: listed, / to the filter, Alt+L the language, j k the records', async () => {
    const { page, context, errors } = await open(env);
    try {
      await page.click('#example');
      await page.waitForFunction(() => /^4 records · 0 errors/.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
      await entriesShown(page);
      await page.waitForFunction(() => !document.getElementById('records-section').hidden, null, { timeout: WAIT });

      // The list, in the page: every shortcut it names.
      assert.equal(await page.locator('#shortcuts summary').textContent(), 'Keyboard shortcuts');
      const list = await page.locator('#shortcut-list').textContent();
      for (const k of ['Ctrl+Enter', 'Esc', '/', 'j', 'Alt+↓', 'k', 'Alt+↑', 'Alt+L', '?']) assert.ok(list.includes(k), k);
      // ? opens it.
      await page.locator('body').focus();
      await page.keyboard.press('Shift+?');
      assert.equal(await page.locator('#shortcuts').getAttribute('open'), '');
      assert.ok(await page.locator('#shortcut-list').isVisible());

      // / focuses the filter (not typed anywhere).
      await page.locator('#example').focus();
      await page.keyboard.press('/');
      assert.equal((await focused(page)).id, 'filter');
      assert.equal(await page.inputValue('#filter'), '');
      // Typed in a text box, the one-key shortcuts are text.
      await page.keyboard.type('j/k');
      assert.equal(await page.inputValue('#filter'), 'j/k');
      await page.fill('#filter', '');

      // j and k move the record list's selection (and show the record's breakdown).
      const selected = () => page.locator('#record-list [aria-selected="true"]').getAttribute('data-pos');
      await page.locator('#example').focus();
      assert.equal(await selected(), '0');
      await page.keyboard.press('j');
      await page.waitForFunction(() => document.querySelector('#record-list [aria-selected="true"]')?.dataset.pos === '1', null, { timeout: WAIT });
      await page.waitForFunction(() => document.getElementById('record-detail').dataset.line === '2', null, { timeout: WAIT });
      await page.keyboard.press('Alt+ArrowDown');
      await page.waitForFunction(() => document.querySelector('#record-list [aria-selected="true"]')?.dataset.pos === '2', null, { timeout: WAIT });
      await page.keyboard.press('k');
      await page.waitForFunction(() => document.querySelector('#record-list [aria-selected="true"]')?.dataset.pos === '1', null, { timeout: WAIT });
      await page.keyboard.press('Alt+ArrowUp');
      await page.waitForFunction(() => document.querySelector('#record-list [aria-selected="true"]')?.dataset.pos === '0', null, { timeout: WAIT });
      // Not while typing in the input box.
      await page.locator('#input').focus();
      await page.keyboard.press('End');
      const before = await page.inputValue('#input');
      await page.keyboard.press('j');
      assert.equal(await selected(), '0');
      assert.equal(await page.inputValue('#input'), `${before}j`);
      await page.keyboard.press('Backspace');

      // Alt+L switches the language, back and forth (not from a text box).
      await page.locator('#example').focus();
      await page.keyboard.press('Alt+KeyL');
      await page.waitForFunction(() => document.documentElement.lang === 'ja', null, { timeout: WAIT });
      assert.equal(await page.inputValue('#lang'), 'ja');
      await page.waitForFunction(() => document.querySelector('#shortcuts summary').textContent === 'キーボードショートカット', null, { timeout: WAIT });
      assert.match(await page.locator('#shortcut-list').textContent(), /言語を切り替え/);
      await page.keyboard.press('Alt+KeyL');
      await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: WAIT });
      await page.locator('#input').focus();
      await page.keyboard.press('Alt+KeyL');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the Summary by keyboard: rows and bars take the focus; the chart as a table', async () => {
    const { page, context, errors } = await open(env);
    try {
      await page.click('#example');
      await page.waitForFunction(() => document.getElementById('summary').dataset.records === '4', null, { timeout: WAIT });
      const bars = page.locator('#ov-chart g.ov-bar');
      const n = await bars.count();
      assert.ok(n >= 1);
      assert.deepEqual(await bars.evaluateAll((gs) => [...new Set(gs.map((g) => g.tabIndex))]), [0]);
      assert.ok(await page.locator('#ov-pairs tbody tr').first().evaluate((r) => r.tabIndex === 0));
      // The table: hidden until asked for; one row per bar, with its figures.
      const toggle = page.locator('#ov-table-toggle');
      assert.equal(await toggle.textContent(), 'Show as table');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.ok(await page.locator('#ov-chart-table').isHidden());
      await toggle.focus();
      await page.keyboard.press('Enter');
      assert.ok(await page.locator('#ov-chart-table').isVisible());
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.equal(await toggle.textContent(), 'Hide the table');
      const rows = page.locator('#ov-chart-table tbody tr');
      assert.equal(await rows.count(), n);
      const heads = await page.locator('#ov-chart-table thead th').allTextContents();
      assert.deepEqual(heads, ['Start (UTC)', 'Records', 'Bytes', 'Rejected']);
      const fromBars = await bars.evaluateAll((gs) => gs.map((g) => Number(g.dataset.records)));
      const fromRows = await rows.evaluateAll((rs) => rs.map((r) => Number(r.children[1].textContent.replace(/,/g, ''))));
      assert.deepEqual(fromRows, fromBars);
      assert.ok(fromBars.reduce((a, b) => a + b, 0) >= 3, 'the records with a start time');
      // A row filters as its bar does.
      const first = page.locator('#ov-chart-table tbody tr[data-filter]').first();
      const filter = await first.getAttribute('data-filter');
      assert.ok(filter);
      assert.equal(await first.evaluate((r) => r.tabIndex), 0);
      await page.screenshot({ path: `${OUT}chart-table-en.png`, fullPage: false });
      // Kept when the language changes (the chart is drawn again).
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.getElementById('ov-table-toggle')?.textContent === '表を非表示', null, { timeout: WAIT });
      assert.equal(await page.locator('#ov-chart-table tbody tr').count(), n);
      await page.selectOption('#lang', 'en');
      await page.waitForFunction(() => document.getElementById('ov-table-toggle')?.textContent === 'Hide the table', null, { timeout: WAIT });

      // A bar is a button named by its figures; Enter on it filters on its time.
      const bar = page.locator('#ov-chart g.ov-bar:not([data-records="0"])').first();
      assert.equal(await bar.getAttribute('role'), 'button');
      assert.match(await bar.getAttribute('aria-label'), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \(\+91 days\) · \d+ records? · /);
      assert.equal(await page.locator('#ov-chart svg').getAttribute('role'), 'group');
      const barFilter = await bar.getAttribute('data-filter');
      await bar.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((f) => document.getElementById('explore').dataset.filter?.includes(f), barFilter, { timeout: WAIT });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('screenshots: the reference in en and ja, light and dark', async () => {
    for (const scheme of ['light', 'dark']) {
      for (const lang of ['en', 'ja']) {
        const { page, context, errors } = await open(env, { locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
        try {
          await page.emulateMedia({ colorScheme: scheme });
          await decode(page, SEED, lang === 'ja' ? /^レコード 1 件/ : /^1 record · /);
          await referenceDrawn(page);
          await page.locator('#results tr[data-key="srcport"] a[data-field-link]').click();
          await page.waitForFunction(() => location.hash === '#field-srcport', null, { timeout: WAIT });
          await page.screenshot({ path: `${OUT}reference-${lang}-${scheme}.png` });
          await page.fill('#ref-search', lang === 'ja' ? 'ポート' : 'port');
          await page.locator('#reference').scrollIntoViewIfNeeded();
          await page.evaluate(() => document.getElementById('reference').scrollIntoView({ block: 'start' }));
          await page.screenshot({ path: `${OUT}reference-search-${lang}-${scheme}.png` });
          await page.fill('#ref-search', '');
          await page.locator('#shortcuts summary').click();
          await page.locator('#shortcuts').scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${OUT}shortcuts-${lang}-${scheme}.png` });
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      }
    }
  });
});
