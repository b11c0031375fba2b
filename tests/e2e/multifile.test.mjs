// Several files dropped or chosen at once, decoded one after the other as one input: each file its
// own shape (one gzipped, one plain text with a header line, one with an error line), the counts
// added up, lines numbered per file and named with their file, the files listed in the input's
// details, one summary over all; an ip-ranges.json among them; too many files; a file cut short
// that does not stop the next; a cancel that brings the input before back. Screenshots go to out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { OUT, SEED, WAIT, decode, open, stallReads, start, stop, text } from './harness.mjs';

const DOCS = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const DOCS2 = '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK';
const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

// Three files of one S3 prefix, as AWS names them: gzip (a header and two records), plain text
// (a header and one record), and plain text with an error on its line 2.
const GZ = gzipSync(Buffer.from(`${HEADER}\n${DOCS}\n${DOCS2}\n`));
const FILES = [
  { name: '123456789010_vpcflowlogs_ap-northeast-1_fl-1_20250413T0525Z_abc.log.gz', bytes: GZ },
  { name: 'b.log', bytes: Buffer.from(`${HEADER}\n${SEED}\n`) },
  { name: 'c.log', bytes: Buffer.from(`${DOCS}\nthis is not a flow log record\n`) },
];

// A tiny valid ip-ranges.json (see ipranges.test.mjs).
const MINE = JSON.stringify({
  syncToken: '1',
  createDate: '2030-01-01-00-00-00',
  prefixes: [{ ip_prefix: '10.0.4.0/24', region: 'ap-northeast-1', service: 'EC2', network_border_group: 'ap-northeast-1' }],
  ipv6_prefixes: [],
});

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

/** Drops `files` ({name, bytes: Buffer}) on `selector` as a file manager does (dragenter, dragover, drop). */
function drop(page, selector, files) {
  const list = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }));
  return page.evaluate(({ selector, list }) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bin = atob(f.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], f.name));
    }
    const target = document.querySelector(selector);
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, { selector, list });
}

async function waitStatus(page, re) {
  await page.waitForFunction(([s, f]) => new RegExp(s, f).test(document.getElementById('status').textContent),
    [re.source, re.flags], { timeout: WAIT });
}

const ready = (page) => page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.', null, { timeout: WAIT });
const countsData = (page) => page.evaluate(() => ({ ...document.getElementById('counts').dataset }));
const fileItems = (page) => page.$$eval('#input-files li', (items) => items.map((li) => ({
  name: li.dataset.name, records: Number(li.dataset.records), errors: Number(li.dataset.errors),
  text: li.textContent, error: li.classList.contains('has-error'),
})));

/** Waits for the summary of `records` records. */
async function summaryOf(page, records) {
  await page.waitForFunction((n) => {
    const s = document.getElementById('summary');
    return !s.hidden && !s.classList.contains('is-stale') && s.dataset.records === String(n);
  }, records, { timeout: WAIT });
}

describe('several files at once', () => {
  test('a gzip, a text file with a header and one with an error decode as one input', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await ready(page);
      await drop(page, 'main', FILES);
      await waitStatus(page, /^Decoded 3 files \(\d+ B\) as one input in \d+\.\d s\.$/);
      await page.waitForFunction(() => /^4 records/.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
      // The counts add up over the files: 2 + 1 + 1 records, 1 error, 2 headers, 3 + 2 + 2 lines.
      const c = await countsData(page);
      assert.deepEqual([c.records, c.errors, c.headers, c.lines], ['4', '1', '2', '7']);
      assert.match(await text(page, '#file-chip'), /^3 files — \d+ B$/);
      // The input's details list the files, each with its shape and counts.
      assert.match(await text(page, '#input-info .shape'), /^Input: 3 files, read one after the other as one input/);
      const items = await fileItems(page);
      assert.deepEqual(items.map((f) => [f.name, f.records, f.errors]), [
        [FILES[0].name, 2, 0], ['b.log', 1, 0], ['c.log', 1, 1],
      ]);
      assert.match(items[0].text, /gzip/);
      assert.doesNotMatch(items[1].text, /gzip/);
      assert.match(items[2].text, /1 record · 1 error · 2 lines$/);
      // The error names its file and its line there.
      const error = page.locator('#results article.error');
      assert.equal(await error.count(), 1);
      assert.equal(await error.locator('h3').textContent(), 'c.log, line 2');
      assert.match(await error.locator('.message').textContent(), /^Error: c\.log, line 2: /);
      // A record says its file and line too (b.log's record is its line 2; the input's line 5).
      const seed = page.locator('#results article.record[data-line="5"] h3');
      assert.equal(await seed.textContent(), 'b.log, line 2');
      // One summary over all the files.
      await summaryOf(page, 4);
      // The record list names the file of each row.
      await page.waitForFunction(() => document.querySelectorAll('#record-list .record-row:not(.loading)').length === 4, null, { timeout: WAIT });
      const rows = await page.$$eval('#record-list .record-row:not(.loading) .rc-line', (r) => r.map((n) => n.textContent));
      assert.deepEqual(rows, [`line 2 · ${FILES[0].name}`, `line 3 · ${FILES[0].name}`, 'line 2 · b.log', 'line 1 · c.log']);
      assert.equal(await page.getAttribute('#record-list .record-row:not(.loading) >> nth=3 >> .rc-line', 'title'), 'c.log, line 1');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.locator('#input-info').screenshot({ path: `${OUT}multifile-info-en.png` });
      // In Japanese.
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.documentElement.lang === 'ja', null, { timeout: WAIT });
      assert.match(await text(page, '#status'), /^3 個のファイル（\d+ B）を 1 つの入力として \d+\.\d 秒でデコードしました。$/);
      assert.match(await text(page, '#input-info .shape'), /3 個のファイルを順に 1 つの入力として読み込みました/);
      await page.waitForFunction(() => /^c\.log の 2 行目: /.test(document.querySelector('#results article.error .message')?.textContent.replace(/^エラー: /, '') ?? ''), null, { timeout: WAIT });
      assert.equal(await error.locator('h3').textContent(), 'c.log の 2 行目');
      assert.match((await fileItems(page))[2].text, /レコード 1 件 · エラー 1 件 · 2 行$/);
      await page.locator('#input-info').screenshot({ path: `${OUT}multifile-info-ja.png` });
      // Dark too.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.locator('#input-info').screenshot({ path: `${OUT}multifile-info-ja-dark.png` });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the file picker takes several files', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await ready(page);
      assert.equal(await page.getAttribute('#file', 'multiple'), '');
      await page.setInputFiles('#file', [
        { name: 'one.log', mimeType: 'text/plain', buffer: Buffer.from(`${DOCS}\n${DOCS2}\n`) },
        { name: 'two.log.gz', mimeType: 'application/gzip', buffer: gzipSync(Buffer.from(`${SEED}\n`)) },
      ]);
      await waitStatus(page, /^Decoded 2 files .* as one input in /);
      const c = await countsData(page);
      assert.deepEqual([c.records, c.errors, c.lines], ['3', '0', '3']);
      assert.deepEqual((await fileItems(page)).map((f) => [f.name, f.records]), [['one.log', 2], ['two.log.gz', 1]]);
      assert.equal(await page.locator('#results article.record[data-line="3"] h3').textContent(), 'two.log.gz, line 1');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a hint that points at a line of another file names that file', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await ready(page);
      // The request accepted in one file, its reply rejected in the next: the network-ACL hint.
      await drop(page, 'main', [
        { name: 'first.log', bytes: Buffer.from(`${DOCS}\n2 123456789012 eni-0a 10.0.1.5 10.0.2.9 40000 5432 6 3 180 1744521785 1744521793 ACCEPT OK\n`) },
        { name: 'second.log', bytes: Buffer.from('2 123456789012 eni-0a 10.0.2.9 10.0.1.5 5432 40000 6 3 180 1744521785 1744521793 REJECT OK\n') },
      ]);
      await waitStatus(page, /^Decoded 2 files /);
      const hint = page.locator('#results article.record[data-line="3"] [data-hint="network-acl"]');
      assert.match(await hint.textContent(), /\(first\.log, line 2\) was accepted/);
      assert.equal(await hint.locator('button.goto-line').textContent(), 'Go to first.log, line 2');
      assert.equal(await hint.locator('button.goto-line').getAttribute('data-goto-line'), '2');
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => /（first\.log の 2 行目）/.test(document.querySelector('#results article.record[data-line="3"] [data-hint="network-acl"]')?.textContent ?? ''), null, { timeout: WAIT });
      assert.equal(await hint.locator('button.goto-line').textContent(), 'first.log の 2 行目へ移動');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a gzip cut short is said of its file, and the next file is read all the same', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await ready(page);
      const whole = gzipSync(Buffer.from(`${DOCS}\n${DOCS2}\n${DOCS}\n`));
      await drop(page, '#drop-zone', [
        { name: 'cut.log.gz', bytes: whole.subarray(0, whole.length - 12) },
        { name: 'whole.log', bytes: Buffer.from(`${SEED}\n`) },
      ]);
      await waitStatus(page, /^Decoded 2 files /);
      const items = await fileItems(page);
      assert.equal(items[0].error, true);
      assert.equal(items[1].error, false);
      assert.equal(items[1].records, 1);
      assert.match(await text(page, '#input-error'), /^Warning: cut\.log\.gz: /);
      assert.equal((await countsData(page)).records, String(items[0].records + 1));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('an ip-ranges.json among them is taken as the ip-ranges; the others are decoded', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await ready(page);
      await drop(page, 'main', [
        { name: 'a.log', bytes: Buffer.from(`${SEED}\n`) },
        { name: 'my-ip-ranges.json', bytes: Buffer.from(MINE) },
        { name: 'b.log', bytes: Buffer.from(`${DOCS}\n`) },
      ]);
      await waitStatus(page, /^Decoded 2 files .* as one input in \d+\.\d s\. my-ip-ranges\.json was taken as the AWS ip-ranges file, not decoded\.$/);
      await page.waitForFunction(() => document.getElementById('ipranges-status').textContent.includes('my-ip-ranges.json'), null, { timeout: WAIT });
      assert.equal((await countsData(page)).records, '2');
      assert.deepEqual((await fileItems(page)).map((f) => f.name), ['a.log', 'b.log']);
      // With one flow log file: that file, as one file is decoded.
      await drop(page, 'main', [
        { name: 'ip-ranges.json', bytes: Buffer.from(MINE) },
        { name: 'only.log', bytes: Buffer.from(`${DOCS}\n${DOCS2}\n`) },
      ]);
      await waitStatus(page, /^Decoded only\.log \(.*\) in \d+\.\d s\. ip-ranges\.json was taken as the AWS ip-ranges file, not decoded\.$/);
      assert.equal((await countsData(page)).records, '2');
      assert.equal(await page.locator('#input-files').count(), 0);
      assert.match(await text(page, '#file-chip'), /^only\.log — /);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('more files than the limit: nothing is read, and the status says why', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await decode(page, SEED, /^1 record/);
      const before = await countsData(page);
      await page.evaluate((line) => {
        const dt = new DataTransfer();
        for (let i = 0; i < 1001; i++) dt.items.add(new File([`${line}\n`], `f${i}.log`));
        const main = document.querySelector('main');
        for (const type of ['dragenter', 'dragover', 'drop']) {
          main.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        }
      }, DOCS);
      await waitStatus(page, /^1,001 files were dropped; at most 1,000 are decoded at once\. Nothing was read/);
      assert.deepEqual(await countsData(page), before);
      await page.selectOption('#lang', 'ja');
      assert.match(await text(page, '#status'), /^1,001 個のファイルがドロップされました。一度にデコードできるのは 1,000 個までです。/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('cancelling the read of several files brings the input before back', { timeout: 3 * 60_000 }, async () => {
    const { page, context, errors } = await open(env);
    try {
      await stallReads(page);
      await decode(page, SEED, /^1 record/);
      const counts = await text(page, '#counts');
      await drop(page, 'main', [
        { name: 'first.log', bytes: Buffer.from(`${DOCS}\n`) },
        { name: 'stall.log', bytes: Buffer.from(`${SEED}\n`.repeat(50_000)) },
      ]);
      await page.waitForFunction(() => document.getElementById('progress-bar').value > 0, null, { timeout: WAIT });
      assert.match(await text(page, '#file-chip'), /^2 files — /);
      assert.match(await text(page, '#progress-text'), /^Read .* of 5\.\d+ /);
      await page.keyboard.press('Escape');
      await waitStatus(page, /^Reading 2 files was cancelled; the previous input is shown again\.$/);
      await page.waitForFunction((c) => document.getElementById('counts').textContent === c, counts, { timeout: WAIT });
      assert.equal(await page.locator('#file-chip').isVisible(), false);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
