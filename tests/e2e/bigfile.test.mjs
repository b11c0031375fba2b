// A 6-million-record gzipped S3 object (~78 MB, generated once and cached in tests/e2e/out/) read
// by the page in slices: the counts, the first entries, a cancel, and the time and memory it took
// (printed, never asserted: they depend on the machine).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUT, WAIT, entriesShown, open, start, stop, text } from './harness.mjs';
import { bigFile } from './bigfile.mjs';

let env;
let big;
before(async () => {
  big = await bigFile();
  console.log(`big file: ${basename(big.path)}, ${(big.bytes / 1e6).toFixed(1)} MB, ${big.records} records, `
    + (big.seconds ? `generated in ${big.seconds.toFixed(1)} s` : 'cached'));
  env = await start();
});
after(async () => {
  await stop(env);
});

describe('a large gzipped file', () => {
  test('is streamed through the decoder with progress, and every record counted', { timeout: 15 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.', null, { timeout: WAIT });
      const t0 = Date.now();
      await page.setInputFiles('#file', big.path);
      // The first slice is read after the worker has its ip-ranges: allow for a slow start.
      await page.waitForFunction(() => !document.getElementById('progress').hidden && document.getElementById('progress-bar').value > 0, null, { timeout: 2 * WAIT });
      assert.match(await text(page, '#progress-text'), /^Read [\d.]+ MB of [\d.]+ MB · [\d,]+ lines so far$/);
      // The page answers while the worker reads.
      assert.equal(await page.evaluate(() => 1 + 1), 2);
      await page.waitForFunction(() => /^Decoded /.test(document.getElementById('status').textContent), null, { timeout: 10 * 60_000, polling: 500 });
      const wall = (Date.now() - t0) / 1000;
      const counts = await page.locator('#counts').evaluate((n) => ({ ...n.dataset }));
      assert.equal(Number(counts.records), big.records);
      assert.equal(Number(counts.headers), 1);
      const sum = ['records', 'errors', 'headers', 'blank', 'ignored'].reduce((a, k) => a + Number(counts[k]), 0);
      assert.equal(sum, Number(counts.lines));
      // The first entries come with the counts, the others a slice per frame after them.
      await entriesShown(page);
      assert.equal(await page.locator('#results article.record').count(), 200);
      assert.equal(await page.locator('#results article.record').first().getAttribute('data-line'), '2');
      assert.match(await text(page, '#results article.record >> nth=0 >> .summary'), /sent|received/);
      assert.equal(await text(page, '#input-info .shape'), 'Input: gzip (1 member) → lines of text');
      assert.equal(await text(page, '#input-info .origin'), 'Format: header line');
      assert.equal(await page.inputValue('#input'), '');
      assert.match(await text(page, '#file-chip'), /\.log\.gz — [\d.]+ MB$/);
      assert.ok(await page.locator('#progress').isHidden());
      const status = await page.locator('#status').evaluate((n) => ({ ...n.dataset }));
      console.log(`big file in the page: ${wall.toFixed(1)} s from drop to first entries; worker decode ${(status.decodeMs / 1000).toFixed(1)} s; WASM memory ${(status.memoryBytes / 2 ** 20).toFixed(0)} MiB`);
      await page.screenshot({ path: `${OUT}bigfile-en.png` });
      // "Show more" still works on the big input.
      await page.click('#more');
      // The worker answers requests one at a time: the next page may wait for work on the whole
      // input asked for before it (such as a summary of its 6 million records) on a slow machine.
      await page.waitForFunction(() => document.querySelectorAll('#results article.record').length === 400, null, { timeout: 4 * WAIT });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a file chosen while another is read replaces it (its reading stops)', { timeout: 5 * 60_000 }, async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.', null, { timeout: WAIT });
      await page.setInputFiles('#file', big.path);
      await page.waitForFunction(() => document.getElementById('progress-bar').value > 0, null, { timeout: 2 * WAIT });
      const docs = readFileSync(fileURLToPath(new URL('../data/aws-docs-examples.log', import.meta.url)));
      await page.setInputFiles('#file', { name: 'docs.log', mimeType: 'text/plain', buffer: docs });
      await page.waitForFunction(() => /^7 records/.test(document.getElementById('counts').textContent), null, { timeout: 4 * WAIT });
      await entriesShown(page);
      // The summary is the small file's, not the big one's.
      await page.waitForFunction(() => document.getElementById('summary').dataset.records === '7', null, { timeout: 2 * WAIT });
      assert.match(await text(page, '#file-chip'), /^docs\.log/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('can be cancelled, and the page decodes as before afterwards', { timeout: 5 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.', null, { timeout: WAIT });
      await page.setInputFiles('#file', big.path);
      await page.waitForFunction(() => document.getElementById('progress-bar').value > 0, null, { timeout: 2 * WAIT });
      await page.click('#cancel');
      await page.waitForFunction(() => /was cancelled/.test(document.getElementById('status').textContent), null, { timeout: WAIT });
      assert.ok(await page.locator('#progress').isHidden());
      assert.equal(await text(page, '#counts'), '');
      await page.click('#example');
      // A new worker (the cancel replaced the old one) loads the decoder and ip-ranges first.
      await page.waitForFunction(() => /^4 records/.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
      assert.match(await text(page, '#results article >> nth=0 >> .summary'), /Osaka/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
