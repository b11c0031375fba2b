// A decoder that crashes in the middle of a file: the records it held are lost with it, but the
// summary worker keeps the summary of those it was handed. The page shows that summary, marked
// partial, says so in the status, never decodes the file again by itself, and decodes the next
// input with a new decoder as usual.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OUT, SEED, WAIT, decode, open, start, stop, text, until } from './harness.mjs';

const RECORDS = 200_000;
// The seed record with other addresses, ports and actions: ~110 bytes a record, ~21 MB.
function file() {
  const lines = [];
  for (let i = 0; i < RECORDS; i++) {
    const f = SEED.split(' ');
    f[3] = `10.0.${(i >> 8) & 255}.${i & 255}`;
    f[5] = String(1024 + (i % 60000));
    f[6] = ['443', '22', '123', '3389'][i % 4];
    f[12] = i % 5 === 0 ? 'REJECT' : 'ACCEPT';
    lines.push(f.join(' '));
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

// The decoding worker as served, plus a trap (as a Rust panic or a failed allocation gives) on the
// 10th part of the file it pushes into its session: after ~2 slices of 4 MiB, ~85,000 records.
const TRAP_AT = 10;
async function trapping(page) {
  await page.route('**/flowlens/workers/decode.js', async (route) => {
    const res = await route.fetch();
    const body = `${await res.text()}
const realPush = DecodeSession.prototype.push;
let pushes = 0;
DecodeSession.prototype.push = function (bytes) {
  if (++pushes === ${TRAP_AT}) throw new WebAssembly.RuntimeError('unreachable');
  return realPush.call(this, bytes);
};`;
    await route.fulfill({ response: res, body });
  });
}

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

describe('a decoder that crashes in the middle of a file', () => {
  for (const locale of ['en-US', 'ja-JP']) {
    test(`keeps the summary of what was decoded, says so, and is not retried (${locale})`, async () => {
      const { page, context, errors, requests } = await open(env, { locale, route: trapping });
      const ja = locale === 'ja-JP';
      try {
        await page.waitForFunction(() => /createDate/.test(document.getElementById('ipranges-status').textContent), null, { timeout: WAIT });
        const workerLoads = () => requests.filter((r) => r.url().endsWith('/flowlens/workers/decode.js')).length;
        assert.equal(workerLoads(), 1);
        await page.setInputFiles('#file', { name: 'big.log', mimeType: 'text/plain', buffer: file() });
        // The summary of the records decoded before the trap, marked partial.
        await page.waitForFunction(() => {
          const s = document.getElementById('summary');
          return !s.hidden && Number(s.dataset.records) > 0 && !document.getElementById('summary-filter').hidden;
        }, null, { timeout: WAIT });
        const records = Number(await page.evaluate(() => document.getElementById('summary').dataset.records));
        assert.ok(records > 20_000 && records < RECORDS, `${records} records summarised`);
        const grouped = records.toLocaleString(locale);
        const note = await text(page, '#summary-filter');
        const status = await text(page, '#status');
        if (ja) {
          assert.match(note, new RegExp(`^デコーダーが停止する前にデコードした ${grouped} 件のレコードの概要です（[\\d,]+ 行目より後まで読み込んでいました）。レコード自体はデコーダーとともに失われました。`));
          assert.match(status, new RegExp(`停止前にデコードした ${grouped} 件のレコードの概要を下に残しています。この入力は再度デコードしていません。`));
        } else {
          assert.match(note, new RegExp(`^Summary of the ${grouped} records decoded before the decoder stopped \\(it had read past line [\\d,]+\\); the records themselves were lost with it`));
          assert.match(status, /^The decoder ran out of memory or stopped on an internal error while reading this input/);
          assert.match(status, new RegExp(`the summary of the ${grouped} records decoded before it stopped is kept below; the input was not decoded again\\. A new decoder is ready for the next input\\.$`));
        }
        // Its figures are those of the records handed over: REJECT is every 5th of them.
        const rejected = await text(page, '#summary [data-stat="rejected"] .ov-value');
        assert.ok(Number(rejected.replace(/\D/g, '')) > records / 6, rejected);
        await page.screenshot({ path: `${OUT}crash-partial-summary-${locale}.png`, fullPage: false });
        // In the other language, the same summary (the summary worker still holds it), still partial.
        if (!ja) {
          await page.selectOption('#lang', 'ja');
          await page.waitForFunction((n) => {
            const note = document.getElementById('summary-filter');
            const s = document.getElementById('summary');
            return !note.hidden && note.textContent.startsWith(`デコーダーが停止する前にデコードした ${n} 件`)
              && !s.classList.contains('is-stale') && /概要/.test(s.textContent);
          }, records.toLocaleString('ja-JP'), { timeout: WAIT });
          assert.match(await text(page, '#status'), /停止前にデコードした/);
          await page.selectOption('#lang', 'en');
          await page.waitForFunction(() => document.getElementById('summary-filter').textContent.startsWith('Summary of the'), null, { timeout: WAIT });
          assert.equal(Number(await page.evaluate(() => document.getElementById('summary').dataset.records)), records);
        }
        // No records: the list and the counts are empty.
        assert.equal(await page.locator('#results article.entry').count(), 0);
        // One new worker, and no retry (once it has its ip-ranges it would have been sent the file).
        await until(page, () => workerLoads() >= 2, 'a second worker');
        await page.waitForFunction(() => /createDate/.test(document.getElementById('ipranges-status').textContent), null, { timeout: WAIT });
        assert.equal(workerLoads(), 2, 'one new worker, and no retry');
        // The next input is decoded as usual, with a summary that is not partial.
        await decode(page, SEED, ja ? /^レコード 1 件/ : /^1 record/);
        assert.equal(workerLoads(), 2);
        assert.match(await text(page, '#results article.entry .summary'), ja ? /AWS EC2/ : /AWS EC2, Osaka/);
        assert.ok(await page.locator('#summary-filter').isHidden());
        assert.deepEqual(errors.filter((e) => !/the decoder stopped/.test(e)), []);
      } finally {
        await context.close();
      }
    });
  }
});
