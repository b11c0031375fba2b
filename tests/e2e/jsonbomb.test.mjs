// A JSON document of hundreds of thousands of events (~56 MB, `filter-log-events` output minified
// on one line, generated here into tests/e2e/out/) dropped into the page: the worker reads it as a
// stream of events, counts every record, and the page then decodes the next input (the seed
// record) as usual. The time and WASM memory it took are printed, never asserted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OUT, WAIT, entriesShown, open, start, stop, text } from './harness.mjs';

const SEED_LOG = fileURLToPath(new URL('../data/seed.log', import.meta.url));
const EVENTS = 260_000;

let env;
let path;
let bytes;
before(async () => {
  mkdirSync(OUT, { recursive: true });
  path = `${OUT}jsonbomb-filter-log-events.json`;
  const parts = [];
  for (let i = 0; i < EVENTS; i++) {
    parts.push(JSON.stringify({
      logStreamName: 'eni-1235b8ca123456789-all',
      timestamp: 1418530010000 + i,
      message: `2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 ${1 + (i % 50)} ${40 + (i % 9000)} 1418530010 1418530070 ACCEPT OK`,
      eventId: String(i),
    }));
  }
  const doc = `{"events":[${parts.join(',')}],"searchedLogStreams":[],"nextToken":"x"}`;
  writeFileSync(path, doc);
  bytes = Buffer.byteLength(doc);
  assert.ok(bytes > 40e6 && bytes <= 60e6, `${bytes} bytes`);
  env = await start();
});
after(async () => {
  if (env) await stop(env);
});

describe('a JSON document of many events', () => {
  test('is streamed: every record counted, and the page decodes the next input', { timeout: 10 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.', null, { timeout: WAIT });
      const t0 = Date.now();
      await page.setInputFiles('#file', path);
      await page.waitForFunction(() => /^Decoded /.test(document.getElementById('status').textContent), null, { timeout: 8 * 60_000, polling: 500 });
      const wall = (Date.now() - t0) / 1000;
      const counts = await page.locator('#counts').evaluate((n) => ({ ...n.dataset }));
      assert.equal(Number(counts.records), EVENTS);
      assert.equal(Number(counts.errors), 0);
      assert.equal(Number(counts.lines), EVENTS);
      assert.equal(await page.locator('#input-error').count(), 0);
      await entriesShown(page);
      assert.equal(await text(page, '#input-info .shape'), 'Input: filter-log-events / get-log-events JSON');
      const status = await page.locator('#status').evaluate((n) => ({ ...n.dataset }));
      console.log(`JSON document of ${(bytes / 1e6).toFixed(1)} MB, ${EVENTS} events: ${wall.toFixed(1)} s from drop to counts; `
        + `worker decode ${(status.decodeMs / 1000).toFixed(1)} s; WASM memory ${(status.memoryBytes / 2 ** 20).toFixed(0)} MiB`);

      // The next input decodes as usual.
      await page.setInputFiles('#file', SEED_LOG);
      await page.waitForFunction(() => document.getElementById('status').textContent.includes('Decoded seed.log'), null, { timeout: 2 * WAIT });
      await entriesShown(page);
      assert.equal(await page.locator('#counts').getAttribute('data-records'), '1');
      assert.match(await text(page, '#results article.record >> nth=0 >> .summary'), /sent|received/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
