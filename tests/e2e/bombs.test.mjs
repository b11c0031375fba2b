// Inputs far larger than the page may keep: gzip bombs (many members, nested, pasted as base64)
// end with the first records kept, every record counted and summarised, and a sentence saying
// so; never a panic; and the page goes on decoding the next input. `?keep=1000` makes the budget
// small (the real one is 1.5 GiB of WebAssembly memory), so that each bomb takes seconds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { SEED, WAIT, decode, open, start, stop, text } from './harness.mjs';

const PER_MEMBER = 20_000;
const MEMBERS = 15;
const RECORDS = PER_MEMBER * MEMBERS; // 300,000 records, ~33 MB of text
const member = gzipSync(Buffer.from(`${SEED}\n`.repeat(PER_MEMBER)), { level: 9 });
const MULTI = Buffer.concat(Array(MEMBERS).fill(member)); // one valid gzip of 15 members
const NESTED = gzipSync(MULTI, { level: 9 }); // a few KB
const PASTED = NESTED.toString('base64');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

const grouped = (n) => n.toLocaleString('en-US');

/** Waits for the status to say the budget was reached, then checks what the page says of it. */
async function keptAndCounted(page, errors) {
  await page.waitForFunction(
    () => /Kept the first/.test(document.getElementById('status').textContent),
    null, { timeout: WAIT },
  );
  const status = await text(page, '#status');
  assert.match(status, new RegExp(`^Kept the first 1,000 records for browsing \\(budget: 1,000 records\\); the summary covers all ${grouped(RECORDS)}\\.`));
  assert.match(await text(page, '#input-kept'), /^Memory: Kept the first 1,000 records/);
  const counts = await page.evaluate(() => ({ ...document.getElementById('counts').dataset }));
  assert.equal(counts.records, String(RECORDS), 'every record counted');
  // The summary covers them all (the summary worker is handed every record's fields).
  await page.waitForFunction((n) => {
    const s = document.getElementById('summary');
    return !s.hidden && !s.classList.contains('is-stale') && s.dataset.records === String(n);
  }, RECORDS, { timeout: WAIT });
  const body = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(body, /panicked|RuntimeError|capacity overflow|unreachable/);
  assert.deepEqual(errors, []);
  // The filter bar says which records it works on.
  await page.waitForFunction(() => /^The first 1,000 records of 300,000 are kept for browsing/.test(document.getElementById('filter-status').textContent), null, { timeout: WAIT });
  await page.fill('#filter', 'action=ACCEPT');
  await page.press('#filter', 'Enter');
  await page.waitForFunction(() => /^1,000 records of the 1,000 kept match\./.test(document.getElementById('filter-status').textContent), null, { timeout: WAIT });
}

/** The page then decodes the seed record as usual. */
async function stillDecodes(page) {
  await decode(page, SEED, /^1 record · 0 errors · 0 headers · 0 blank · 0 ignored · 1 line in all$/);
  assert.match(await text(page, '#results article.entry .summary'), /AWS EC2, Osaka/);
  assert.doesNotMatch(await text(page, '#status'), /Kept the first/);
}

describe('bombs', () => {
  test('a gzip of many members, dropped as a file', async () => {
    const { page, context, errors } = await open(env, { path: '?keep=1000' });
    try {
      await page.setInputFiles('#file', { name: 'many.log.gz', mimeType: 'application/gzip', buffer: MULTI });
      await keptAndCounted(page, errors);
      await stillDecodes(page);
    } finally {
      await context.close();
    }
  });

  test('a gzip of a gzip, dropped as a file', async () => {
    const { page, context, errors } = await open(env, { path: '?keep=1000' });
    try {
      await page.setInputFiles('#file', { name: 'nested.gz', mimeType: 'application/gzip', buffer: NESTED });
      await keptAndCounted(page, errors);
      await stillDecodes(page);
    } finally {
      await context.close();
    }
  });

  test('the nested gzip pasted as base64, in Japanese too', async () => {
    const { page, context, errors } = await open(env, { path: '?keep=1000' });
    try {
      await page.fill('#input', PASTED);
      await page.press('#input', 'Control+Enter');
      await keptAndCounted(page, errors);
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => /閲覧用に先頭の 1,000 件/.test(document.getElementById('status').textContent), null, { timeout: WAIT });
      assert.match(await text(page, '#status'), /概要はすべての 300,000 件を対象にしています/);
      await page.selectOption('#lang', 'en');
      await stillDecodes(page);
    } finally {
      await context.close();
    }
  });
});
