// The answer in view: after Example, Ctrl+Enter or a file the first result (the Summary's heading,
// or the first record) is brought into the window, on a desktop and on a phone; the status line
// and a file's progress stay pinned in view while it is read; the Summary, the record list and
// the Breakdown fold (remembered); records compact or full (remembered); a file's read stopped
// with its partial result kept. Screenshots after Example (light, dark, en, ja; desktop, phone)
// go to tests/e2e/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OUT, SEED, WAIT, entriesShown, openIn, stallReads, start, stop } from './harness.mjs';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const LINES = [
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
  '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
];

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

/** A page in a context of its own: `viewport`, `colorScheme`, `locale`, phone-like when narrow. */
async function openAt(viewport, { colorScheme = 'light', locale = 'en-US' } = {}) {
  const phone = viewport.width < 500;
  const context = await env.browser.newContext({
    viewport, colorScheme, locale, serviceWorkers: 'block', isMobile: phone, hasTouch: phone,
  });
  const opened = await openIn(env, context);
  await opened.page.waitForFunction(() => /^(Ready\.|準備完了)/.test(document.getElementById('status').textContent), null, { timeout: WAIT });
  return opened;
}

async function waitCounts(page, re) {
  await page.waitForFunction(([s, f]) => new RegExp(s, f).test(document.getElementById('counts').textContent),
    [re.source, re.flags], { timeout: WAIT });
}

async function waitStatus(page, re) {
  await page.waitForFunction(([s, f]) => new RegExp(s, f).test(document.getElementById('status').textContent),
    [re.source, re.flags], { timeout: WAIT });
}

/** Waits until the Summary of the input on screen is drawn (`n` records). */
async function summaryShown(page, n) {
  await page.waitForFunction((want) => document.getElementById('summary').dataset.records === String(want), n, { timeout: WAIT });
}

/** The top of `selector` is inside the window (not above it, not below it). */
async function topInView(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  const { height } = page.viewportSize();
  assert.ok(box, `${selector} has a box`);
  assert.ok(box.y >= 0 && box.y < height, `${selector}: top at ${Math.round(box.y)}, window ${height} px high`);
  return box.y;
}

/** The whole of `selector` is inside the window. */
async function wholeInView(page, selector) {
  const box = await page.locator(selector).boundingBox();
  const { width, height } = page.viewportSize();
  assert.ok(box, `${selector} has a box`);
  assert.ok(box.y >= 0 && box.y + box.height <= height && box.x >= 0 && box.x + box.width <= width + 1,
    `${selector}: ${JSON.stringify(box)} in ${width}×${height}`);
}

const logFile = (name, text) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });

describe('the answer in view', () => {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    test(`after Example the Summary is in view (${size})`, { timeout: 3 * 60_000 }, async () => {
      for (const colorScheme of ['light', 'dark']) {
        for (const locale of ['en-US', 'ja-JP']) {
          const { page, context, errors } = await openAt(viewport, { colorScheme, locale });
          try {
            assert.equal(await page.evaluate(() => scrollY), 0);
            await page.click('#example');
            await waitCounts(page, /^(4 records|レコード 4 件)/);
            await entriesShown(page);
            await summaryShown(page, 4);
            // Several records: the Summary comes first in the page, its heading is in view.
            await topInView(page, '#summary-heading');
            assert.ok(await page.evaluate(() => scrollY) > 0, 'the page moved');
            // Under the pinned status line, not behind it.
            const pinned = await page.locator('#pinned').boundingBox();
            const heading = await page.locator('#summary-heading').boundingBox();
            assert.ok(heading.y >= pinned.y + pinned.height - 1, `heading ${heading.y} under the pinned bar ${pinned.y + pinned.height}`);
            await page.screenshot({ path: `${OUT}view-example-${size}-${colorScheme}-${locale.slice(0, 2)}.png` });
            assert.deepEqual(errors, []);
          } finally {
            await context.close();
          }
        }
      }
    });

    test(`after a file the first result is in view (${size})`, { timeout: 3 * 60_000 }, async () => {
      const { page, context, errors } = await openAt(viewport);
      try {
        // One record: its entry is the first result.
        await page.setInputFiles('#file', logFile('one.log', `${SEED}\n`));
        await waitStatus(page, /^Decoded one\.log/);
        await waitCounts(page, /^1 record /);
        await entriesShown(page);
        await topInView(page, '#results article.record');
        // Pinned status line in view, saying it is done.
        await wholeInView(page, '#status');
        // Back to the top, then two records: the Summary's heading.
        await page.evaluate(() => scrollTo(0, 0));
        await page.setInputFiles('#file', logFile('two.log', `${LINES.join('\n')}\n`));
        await waitStatus(page, /^Decoded two\.log/);
        await waitCounts(page, /^2 records/);
        await entriesShown(page);
        await summaryShown(page, 2);
        await topInView(page, '#summary-heading');
        // Ctrl+Enter too.
        await page.evaluate(() => scrollTo(0, 0));
        await page.fill('#input', SEED);
        await page.press('#input', 'Control+Enter');
        await waitCounts(page, /^1 record /);
        await entriesShown(page);
        await topInView(page, '#results article.record');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }

  test('typing does not move the page', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await openAt(DESKTOP);
    try {
      await page.click('#input');
      await page.keyboard.type(SEED);
      await waitCounts(page, /^1 record /);
      await entriesShown(page);
      assert.equal(await page.evaluate(() => scrollY), 0);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'input');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('a big file', () => {
  test('its progress stays in view on a phone; "Stop and keep" keeps the partial result, labelled partial', { timeout: 4 * 60_000 }, async () => {
    const { page, context, errors } = await openAt(PHONE);
    try {
      await stallReads(page);
      // A long page, scrolled to its end: the input card is far above.
      await page.click('#example');
      await waitCounts(page, /^4 records/);
      await entriesShown(page);
      await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
      // ~200,000 lines (23 MB): its first slice (4 MB) is read, then the read stalls.
      await page.setInputFiles('#file', logFile('stall-big.log', `${SEED}\n`.repeat(200_000)));
      await page.waitForFunction(() => document.getElementById('progress-bar').value > 0, null, { timeout: WAIT });
      await page.waitForFunction(() => !document.getElementById('keep-partial').disabled, null, { timeout: WAIT });
      await wholeInView(page, '#progress-bar');
      await wholeInView(page, '#cancel');
      await wholeInView(page, '#keep-partial');
      await wholeInView(page, '#status');
      // (said once the read takes longer than a moment: the read stalls, so it does)
      await waitStatus(page, /^Reading stall-big\.log/);
      await page.screenshot({ path: `${OUT}view-progress-phone.png` });
      // Stop and keep what was read.
      await page.click('#keep-partial');
      await waitStatus(page, /^Stopped reading stall-big\.log: partial, what was read \(4\.19 MB of 22\.4 MB\) is shown\.$/);
      // Whole lines only: the line the first slice cut is not decoded.
      await waitCounts(page, /^Partial \(the read was stopped\): [\d,]+ records · 0 errors · /);
      assert.equal(await page.getAttribute('#counts', 'data-partial'), 'true');
      const records = Number(await page.getAttribute('#counts', 'data-records'));
      assert.ok(records > 30_000 && records < 200_000, `${records} records kept`);
      assert.equal(await page.locator('#progress').isVisible(), false);
      await entriesShown(page);
      await summaryShown(page, records);
      assert.match(await page.textContent('#summary-filter'), /^Partial: summary of the [\d,]+ records read before the read was stopped\.$/);
      await topInView(page, '#summary-heading');
      await wholeInView(page, '#status');
      // In Japanese.
      await page.selectOption('#lang', 'ja');
      assert.match(await page.textContent('#status'), /^stall-big\.log の読み込みを中止しました。読み込んだ分のみ/);
      assert.match(await page.textContent('#counts'), /^一部のみ（読み込みを中止）: レコード/);
      await page.screenshot({ path: `${OUT}view-partial-phone-ja.png` });
      // Esc still cancels (the input before comes back).
      await page.selectOption('#lang', 'en');
      await page.evaluate(() => scrollTo(0, 0));
      await page.click('#example');
      await waitCounts(page, /^4 records · /);
      await page.setInputFiles('#file', logFile('stall-2.log', `${SEED}\n`.repeat(100_000)));
      await page.waitForFunction(() => document.getElementById('progress-bar').value > 0, null, { timeout: WAIT });
      await page.keyboard.press('Escape');
      await waitStatus(page, /^Reading stall-2\.log was cancelled; the previous input is shown again\.$/);
      await waitCounts(page, /^4 records · /);
      assert.equal(await page.getAttribute('#counts', 'data-partial'), null);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('folding and modes', () => {
  test('the Summary, the record list and the Breakdown fold, and stay folded after a reload', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await openAt(DESKTOP);
    try {
      const example = async () => {
        await page.click('#example');
        await waitCounts(page, /^4 records/);
        await entriesShown(page);
        await summaryShown(page, 4);
      };
      await example();
      const parts = { summary: '#summary-body', 'records-section': '#record-list', 'results-section': '#results' };
      for (const [id, body] of Object.entries(parts)) {
        const button = page.locator(`#${id} button.fold`);
        assert.equal(await button.getAttribute('aria-expanded'), 'true');
        assert.equal(await page.locator(body).isVisible(), true);
        await button.click();
        assert.equal(await button.getAttribute('aria-expanded'), 'false');
        assert.equal(await page.locator(body).isVisible(), false);
        // The heading stays.
        assert.equal(await button.isVisible(), true);
      }
      await page.reload();
      await example();
      for (const [id, body] of Object.entries(parts)) {
        assert.equal(await page.locator(`#${id} button.fold`).getAttribute('aria-expanded'), 'false', id);
        assert.equal(await page.locator(body).isVisible(), false, id);
      }
      // Opened again (by keyboard), remembered too.
      await page.focus('#summary button.fold');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('#summary-body').isVisible(), true);
      await page.reload();
      await example();
      assert.equal(await page.locator('#summary-body').isVisible(), true);
      assert.equal(await page.locator('#results').isVisible(), false);
      // A poisoned value is ignored, and forgotten.
      await page.evaluate(() => localStorage.setItem('flowlens.folded', '["__proto__","summary"]'));
      await page.reload();
      await example();
      assert.equal(await page.locator('#results').isVisible(), true);
      assert.equal(await page.locator('#summary-body').isVisible(), true);
      assert.equal(await page.evaluate(() => localStorage.getItem('flowlens.folded')), null);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('compact records show the field table on demand; the mode chosen survives a reload', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await openAt(DESKTOP);
    try {
      const example = async () => {
        await page.click('#example');
        await waitCounts(page, /^4 records/);
        await entriesShown(page);
      };
      const first = page.locator('#results article.record').first();
      const table = first.locator('table.fields');
      const toggle = first.locator('button.fields-toggle');
      const pressed = (mode) => page.getAttribute(`#mode-pick button[data-mode="${mode}"]`, 'aria-pressed');
      // One record: full by default.
      await page.fill('#input', SEED);
      await page.press('#input', 'Control+Enter');
      await waitCounts(page, /^1 record /);
      await entriesShown(page);
      assert.equal(await table.isVisible(), true);
      assert.equal(await toggle.isVisible(), false);
      assert.equal(await pressed('full'), 'true');
      // Several: compact by default; the sentence, the tokens and the hints, the table on demand.
      await example();
      assert.equal(await pressed('compact'), 'true');
      assert.equal(await first.locator('.summary').isVisible(), true);
      assert.equal(await first.locator('.tokens').isVisible(), true);
      assert.equal(await table.isVisible(), false);
      assert.equal(await toggle.textContent(), 'Show fields');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      const compactHeight = (await first.boundingBox()).height;
      await toggle.click();
      assert.equal(await table.isVisible(), true);
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.equal(await toggle.textContent(), 'Hide fields');
      await toggle.click();
      assert.equal(await table.isVisible(), false);
      // Full: every table, no toggle; remembered.
      await page.click('#mode-pick button[data-mode="full"]');
      assert.equal(await pressed('full'), 'true');
      assert.equal(await table.isVisible(), true);
      assert.equal(await toggle.isVisible(), false);
      assert.ok((await first.boundingBox()).height > compactHeight * 2, 'a full record is taller');
      await page.reload();
      await example();
      assert.equal(await pressed('full'), 'true');
      assert.equal(await table.isVisible(), true);
      // Compact chosen: for one record too.
      await page.click('#mode-pick button[data-mode="compact"]');
      assert.equal(await table.isVisible(), false);
      await page.reload();
      await page.fill('#input', SEED);
      await page.press('#input', 'Control+Enter');
      await waitCounts(page, /^1 record /);
      await entriesShown(page);
      assert.equal(await pressed('compact'), 'true');
      assert.equal(await table.isVisible(), false);
      // In Japanese.
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.querySelector('#results button.fields-toggle')?.textContent === 'フィールドを表示', null, { timeout: WAIT });
      assert.equal(await page.textContent('#mode-pick button[data-mode="compact"]'), 'コンパクト');
      await page.selectOption('#lang', 'en');
      // A poisoned value is ignored (the default again), and forgotten.
      await page.evaluate(() => localStorage.setItem('flowlens.recordMode', 'constructor'));
      await page.reload();
      await page.fill('#input', SEED);
      await page.press('#input', 'Control+Enter');
      await waitCounts(page, /^1 record /);
      await entriesShown(page);
      assert.equal(await pressed('full'), 'true');
      assert.equal(await page.evaluate(() => localStorage.getItem('flowlens.recordMode')), null);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('full mode on a phone says a value as written once, and the two port rows do not repeat the request sentence', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await openAt(PHONE);
    try {
      await page.fill('#input', LINES[0]);
      await page.press('#input', 'Control+Enter');
      await waitCounts(page, /^1 record /);
      await entriesShown(page);
      const row = (key) => page.locator(`#results tr[data-key="${key}"]`);
      // protocol: raw 6, value TCP (two lines); action: ACCEPT as written (one line, no "Raw:").
      assert.equal(await row('protocol').locator('td.raw code').isVisible(), true);
      assert.match(await row('action').getAttribute('class'), /\bsame\b/);
      assert.equal(await row('action').locator('td.raw code').isVisible(), false);
      assert.equal(await row('action').locator('td.value').isVisible(), true);
      assert.equal(await row('action').locator('td.raw button.filter-value').isVisible(), true);
      const src = await row('srcport').locator('td.text').textContent();
      const dst = await row('dstport').locator('td.text').textContent();
      assert.match(src, /this record is a request, from the client to the server\./);
      assert.doesNotMatch(dst, /this record is a request/);
      assert.match(dst, /The server's end\.$/);
      await page.screenshot({ path: `${OUT}view-full-phone.png`, fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
