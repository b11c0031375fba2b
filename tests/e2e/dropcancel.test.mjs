// Files dropped anywhere in the window (an overlay while they are dragged, never a navigation,
// several decoded as one input: see multifile.test.mjs), and a file's read cancelled with Esc or the Cancel button: the input
// before it comes back, with its filters.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED, WAIT, decode, entriesShown, open, stallReads, start, stop, text } from './harness.mjs';

const LINES = [
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
  '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
];
const TWO = `${LINES.join('\n')}\n`;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

/**
 * Drags `files` ({name, text}; `repeat`: the text that many times) over the page and drops them on
 * `selector`, as a file manager does: `steps` are the events, each dispatched on `selector`.
 * Returns, per event, whether the page prevented its default (a drop not prevented opens the file).
 */
function drag(page, selector, files, steps = ['dragenter', 'dragover', 'drop']) {
  return page.evaluate(({ selector, files, steps }) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text.repeat(f.repeat || 1)], f.name));
    const target = document.querySelector(selector);
    return steps.map((type) => !target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true })));
  }, { selector, files, steps });
}

const overlayShown = (page) => page.evaluate(() => !document.getElementById('drop-overlay').hidden);

// A file larger than a slice (4 MB), read until its first slice and then stalled.
const STALL = { name: 'stall.log', text: `${SEED}\n`, repeat: 50_000 };

async function waitStatus(page, re) {
  await page.waitForFunction(([s, f]) => new RegExp(s, f).test(document.getElementById('status').textContent),
    [re.source, re.flags], { timeout: WAIT });
}

/** Drops the stalled file on the page's body, waits until its first slice is decoded. */
async function startStalled(page) {
  await drag(page, 'main', [STALL]);
  await page.waitForFunction(() => document.getElementById('progress-bar').value > 0, null, { timeout: WAIT });
  assert.equal(await page.locator('#progress').isVisible(), true);
  assert.match(await text(page, '#file-chip'), /^stall\.log — /);
}

const firstEntry = (page) => text(page, '#results article >> nth=0 >> .summary');

describe('drop anywhere', () => {
  test('a file dropped outside the input card is decoded; an overlay shows while it is dragged', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await decode(page, SEED, /^1 record/);
      const url = page.url();
      assert.equal(await overlayShown(page), false);
      assert.deepEqual(await drag(page, '#results', [{ name: 'flows.log', text: TWO }], ['dragenter', 'dragover']), [true, true]);
      assert.equal(await overlayShown(page), true);
      assert.match(await text(page, '#drop-overlay'), /^Drop flow log files to decode them$/);
      // Leaving the window (no element entered) takes the overlay away.
      await drag(page, '#results', [{ name: 'flows.log', text: TWO }], ['dragleave']);
      assert.equal(await overlayShown(page), false);
      // Over the ip-ranges line a file is an ip-ranges.json: no overlay there.
      await drag(page, '#ipranges-zone', [{ name: 'flows.log', text: TWO }], ['dragenter', 'dragover']);
      assert.equal(await overlayShown(page), false);
      await drag(page, '#ipranges-zone', [{ name: 'flows.log', text: TWO }], ['dragleave']);
      // Dropped on the body of the page (below the input card): the page takes it, not the browser.
      const prevented = await drag(page, 'footer', [{ name: 'flows.log', text: TWO }]);
      assert.deepEqual(prevented, [true, true, true]);
      assert.equal(await overlayShown(page), false);
      await waitStatus(page, /^Decoded flows\.log \(/);
      await page.waitForFunction(() => /^2 records/.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
      await entriesShown(page);
      assert.match(await text(page, '#file-chip'), /^flows\.log — /);
      assert.equal(page.url(), url);
      // Something else dragged (a link, text) is not let through to the browser either.
      const link = await page.evaluate(() => {
        const dt = new DataTransfer();
        dt.setData('text/uri-list', 'https://example.com/');
        const t = document.querySelector('footer');
        return ['dragover', 'drop'].map((type) => !t.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true })));
      });
      assert.deepEqual(link, [true, true]);
      assert.equal(page.url(), url);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('several files dropped at once are all decoded, as one input', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.', null, { timeout: WAIT });
      await drag(page, '#summary', [{ name: 'a.log', text: TWO }, { name: 'b.log', text: `${SEED}\n` }, { name: 'c.log', text: `${SEED}\n` }]);
      await waitStatus(page, /^Decoded 3 files \(.*\) as one input in /);
      await page.waitForFunction(() => /^4 records/.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
      assert.match(await text(page, '#file-chip'), /^3 files — /);
      // In Japanese too.
      await page.selectOption('#lang', 'ja');
      assert.match(await text(page, '#status'), /^3 個のファイル（.*）を 1 つの入力として .* 秒でデコードしました。$/);
      // Dropped on the input card itself: the same.
      await page.selectOption('#lang', 'en');
      await drag(page, '#drop-zone', [{ name: 'd.log', text: `${SEED}\n` }, { name: 'e.log', text: TWO }]);
      await waitStatus(page, /^Decoded 2 files .* as one input in /);
      await page.waitForFunction(() => /^3 records /.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('cancelling a file', () => {
  test('with Esc stops it, and brings the text before it back, its entries and counts', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await stallReads(page);
      await page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.', null, { timeout: WAIT });
      // Nothing before it: the read stops, and its chip goes.
      await startStalled(page);
      await page.keyboard.press('Escape');
      await waitStatus(page, /^Reading stall\.log was cancelled\.$/);
      assert.equal(await page.locator('#file-chip').isVisible(), false);
      assert.equal(await page.locator('#progress').isVisible(), false);
      await decode(page, SEED, /^1 record/);
      const counts = await text(page, '#counts');
      const first = await firstEntry(page);
      // Esc with nothing being read does nothing.
      await page.keyboard.press('Escape');
      assert.equal(await text(page, '#status'), 'Ready.');
      await startStalled(page);
      assert.equal(await page.inputValue('#input'), '');
      await page.keyboard.press('Escape');
      await waitStatus(page, /^Reading stall\.log was cancelled; the previous input is shown again\.$/);
      assert.equal(await text(page, '#counts'), counts);
      await entriesShown(page);
      assert.equal(await firstEntry(page), first);
      assert.equal(await page.inputValue('#input'), SEED);
      assert.equal(await page.locator('#file-chip').isVisible(), false);
      assert.equal(await page.locator('#progress').isVisible(), false);
      // The decoder works on (new workers replaced the cancelled ones).
      await decode(page, TWO, /^2 records/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('with the Cancel button brings the file before it back, with its filter', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await stallReads(page);
      await page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.', null, { timeout: WAIT });
      await drag(page, 'main', [{ name: 'flows.log', text: TWO }]);
      await waitStatus(page, /^Decoded flows\.log/);
      await page.waitForFunction(() => /^2 records/.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
      await entriesShown(page);
      await page.fill('#filter', 'action = reject');
      await page.press('#filter', 'Enter');
      await page.waitForFunction(() => document.getElementById('explore').dataset.count === '1', null, { timeout: WAIT });
      const counts = await text(page, '#counts');
      const first = await firstEntry(page);
      await startStalled(page);
      await page.click('#cancel');
      await waitStatus(page, /^Reading stall\.log was cancelled; the previous input is shown again\.$/);
      assert.equal(await text(page, '#counts'), counts);
      await entriesShown(page);
      assert.equal(await firstEntry(page), first);
      assert.match(await text(page, '#file-chip'), /^flows\.log — /);
      assert.equal(await page.locator('#progress').isVisible(), false);
      // The filter applies to the input shown again.
      assert.deepEqual(await page.$$eval('#filter-stack .chip code', (c) => c.map((x) => x.textContent)), ['action = reject']);
      await page.waitForFunction(() => document.getElementById('explore').dataset.count === '1', null, { timeout: WAIT });
      assert.match(await text(page, '#filter-status'), /1 record/);
      // In Japanese.
      await page.selectOption('#lang', 'ja');
      assert.equal(await text(page, '#status'), 'stall.log の読み込みをキャンセルしました。前の入力を再表示しています。');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
