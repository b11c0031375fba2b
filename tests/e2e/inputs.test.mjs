// Inputs of every shape and format: header lines, inferred formats, the format box, dropped files
// (gzip, CSV, JSON), a truncated gzip. Screenshots of each kind go to tests/e2e/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OUT, SEED, WAIT, decode, entriesShown, fullShot, open, shown, start, stop, text } from './harness.mjs';

const SHAPES = fileURLToPath(new URL('../data/shapes/', import.meta.url));
const GZ = '123456789010_vpcflowlogs_ap-northeast-1_fl-0123456789abcdef0_20250413T0525Z_1a2b3c4d.log.gz';

const HEADER = 'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status';
// AWS's documentation example of a version 3 custom format record.
const V3 = '3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 19 OK';
const V3_FORMAT = HEADER.split(' ').map((k) => `\${${k}}`).join(' ');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

const row = (page, key) => page.locator(`#results article.record >> nth=0 >> tr[data-key="${key}"]`);

/** Drops `files` (paths in tests/data/shapes or {name, buffer}) as the file picker gives them. */
async function drop(page, file) {
  const spec = typeof file === 'string' ? `${SHAPES}${file}` : { mimeType: 'application/octet-stream', ...file };
  await page.setInputFiles('#file', spec);
}

/** Waits until the file `name` is decoded (the status of the drop before names another file) and its entries are shown. */
async function waitDecoded(page, name) {
  await page.waitForFunction(
    (n) => document.getElementById('status').textContent.includes(`Decoded ${n}`),
    name,
    { timeout: WAIT },
  );
  await entriesShown(page);
}

/** Waits until every entry shown is rendered in Japanese (a language switch re-renders them). */
async function waitEntriesInJapanese(page) {
  await page.waitForFunction(() => {
    const heads = [...document.querySelectorAll('#results article.record thead th:first-child')];
    return heads.length > 0 && heads.every((th) => th.textContent === 'フィールド');
  }, null, { timeout: WAIT });
}

describe('inputs of every shape and format', () => {
  test('a header line names the fields of a version 3 record', async () => {
    const { page, context, errors } = await open(env);
    try {
      await decode(page, `${HEADER}\n${V3}`, /^1 record · 0 errors · 1 header · 0 blank · 0 ignored · 2 lines in all$/);
      assert.equal(await shown(row(page, 'tcp-flags').locator('td.value')), 'SYN-ACK + FIN');
      assert.match(await shown(row(page, 'tcp-flags').locator('td.text')), /SYN-ACK.*FIN/);
      assert.equal(await shown(row(page, 'pkt-srcaddr').locator('td.raw')), '52.213.180.42');
      assert.equal(await page.locator('#results article.record tbody tr').count(), 21);
      assert.equal(await text(page, '#input-info .origin'), 'Format: header line');
      assert.equal(await text(page, '#input-info .shape'), 'Input: lines of text');
      assert.equal(await page.locator('#format-guess').count(), 0);
      const counts = await page.locator('#counts').evaluate((n) => ({ ...n.dataset }));
      assert.deepEqual(counts, { records: '1', problems: '0', errors: '0', headers: '1', blank: '0', ignored: '0', lines: '2' });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('without a header the format is guessed, can be edited, and a format string is remembered', async () => {
    const { page, context, errors } = await open(env);
    try {
      await decode(page, V3, /^1 record/);
      assert.equal(await text(page, '#input-info .origin'), 'Format: guessed from 1 line');
      const guess = page.locator('#format-guess');
      assert.match(await shown(guess.locator('p').first()), /This format is a guess \(100% of the values fit\)/);
      assert.equal(await shown(guess.locator('pre')), V3_FORMAT);
      const doubts = await guess.locator('li').allInnerTexts();
      assert.ok(doubts.length > 0);
      assert.ok(
        doubts.includes('columns 8, 9, 12, 13 cannot be told apart by their values: assumed srcaddr, dstaddr, pkt-srcaddr, pkt-dstaddr'),
        doubts.join('\n'),
      );
      assert.equal(await shown(row(page, 'tcp-flags').locator('td.value')), 'SYN-ACK + FIN');
      // How sure the guess is, and what else fits, in words.
      const notes = await guess.locator('.guess-notes li').allInnerTexts();
      assert.match(notes[0], /^Certainty: (likely|weak) \(/, notes.join('\n'));
      // One worked-out alternative per group of columns that can trade fields (checked against every
      // line): the addresses swapped, with the numbers that can move with them in one line.
      assert.ok(notes.some((n) => /^Fits as well: columns 8, 9(, \d+)* as dstaddr, srcaddr(, [a-z-]+)*\.$/.test(n)), notes.join('\n'));
      assert.match(await guess.getAttribute('data-certainty'), /^(likely|weak)$/);
      await fullShot(page, `${OUT}inferred-en.png`);
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.querySelector('#input-info .origin')?.textContent === '形式: 1 行から推測', null, { timeout: WAIT });
      assert.match(await shown(guess.locator('li').first()), /列目は値からは区別できません/);
      assert.match(await shown(guess.locator('.guess-notes li').first()), /^確からしさ: /);
      await waitEntriesInJapanese(page); // for the screenshot
      await fullShot(page, `${OUT}inferred-ja.png`);
      await page.selectOption('#lang', 'en');
      await page.waitForFunction(() => document.querySelector('#input-info .origin')?.textContent === 'Format: guessed from 1 line', null, { timeout: WAIT });

      // "Edit this format" puts the guess in the format box; Enter applies it.
      await page.click('#edit-format');
      assert.equal(await page.inputValue('#format'), V3_FORMAT);
      assert.match(await text(page, '#format-status'), /press Enter/);
      await page.press('#format', 'Enter');
      await page.waitForFunction(() => document.querySelector('#input-info .origin')?.textContent === 'Format: your format', null, { timeout: WAIT });
      assert.equal(await page.locator('#format-guess').count(), 0);
      assert.equal(await shown(row(page, 'tcp-flags').locator('td.value')), 'SYN-ACK + FIN');

      // A wrong format is refused beside the box, and the one in use stays.
      await page.fill('#format', '${version');
      await page.press('#format', 'Enter');
      await page.waitForFunction(() => document.getElementById('format-status').classList.contains('is-error'), null, { timeout: WAIT });
      assert.match(await text(page, '#format-status'), /Not a format: .*\$\{version.*previous format is still in use/);

      // Another format, as a user would type it (plain names): used and remembered.
      const mine = 'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-dstaddr pkt-srcaddr protocol bytes packets start end action tcp-flags log-status';
      await page.fill('#format', mine);
      await page.press('#format', 'Enter');
      // "Applied." only once the input is decoded again with the new format and its rows are shown
      // (pkt-srcaddr and pkt-dstaddr swapped); "Applying…" until then.
      await page.waitForFunction(() => document.getElementById('format-status').textContent === 'Applied.', null, { timeout: WAIT });
      assert.equal(
        await page.locator('#results article.record tr[data-key="pkt-dstaddr"] td.raw').first().textContent(),
        '52.213.180.42',
      );
      assert.equal(await text(page, '#input-info .origin'), 'Format: your format');

      await page.reload();
      await page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.', null, { timeout: WAIT });
      assert.equal(await page.inputValue('#format'), mine);
      await decode(page, V3, /^1 record/);
      assert.equal(await text(page, '#input-info .origin'), 'Format: your format');
      assert.equal(await shown(row(page, 'pkt-dstaddr').locator('td.raw')), '52.213.180.42');

      // Clearing goes back to automatic (and is remembered too).
      await page.click('#format-clear');
      await page.waitForFunction(() => document.querySelector('#input-info .origin')?.textContent === 'Format: guessed from 1 line', null, { timeout: WAIT });
      await page.reload();
      await page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.', null, { timeout: WAIT });
      assert.equal(await page.inputValue('#format'), '');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  const FIXTURES = [
    [GZ, 3, 'gzip (2 members) → lines of text', 'header line'],
    ['cloudwatch-download.csv', 3, 'CloudWatch Logs CSV download', 'AWS default format'],
    ['console-copy.txt', 5, 'lines of text; timestamps before the records removed', 'AWS default format'],
    ['filter-log-events.json', 3, 'filter-log-events / get-log-events JSON', 'AWS default format'],
    ['get-log-events.json', 2, 'filter-log-events / get-log-events JSON', 'AWS default format'],
    ['subscription-data.json', 2, 'CloudWatch Logs subscription payload', 'AWS default format'],
    ['json-lines.ndjson', 2, 'JSON Lines', 'AWS default format'],
    ['insights.csv', 2, 'Logs Insights CSV export', 'AWS default format'],
    ['insights.json', 2, 'Logs Insights JSON results', 'AWS default format'],
    ['get-query-results.json', 2, 'Logs Insights JSON results', 'AWS default format'],
    ['s3-export.txt', 2, 'lines of text; timestamps before the records removed', 'AWS default format'],
  ];

  test('dropped files of every shape are unwrapped and named', async () => {
    const { page, context, errors } = await open(env);
    try {
      for (const [name, records, shape, origin] of FIXTURES) {
        await drop(page, name);
        await waitDecoded(page, name);
        const counts = await page.locator('#counts').evaluate((n) => ({ ...n.dataset }));
        assert.equal(Number(counts.records), records, name);
        const sum = ['records', 'errors', 'headers', 'blank', 'ignored'].reduce((a, k) => a + Number(counts[k]), 0);
        assert.equal(sum, Number(counts.lines), name);
        assert.equal(await page.locator('#results article.record').count(), records, name);
        assert.equal(await text(page, '#input-info .shape'), `Input: ${shape}`, name);
        assert.equal(await text(page, '#input-info .origin'), `Format: ${origin}`, name);
        assert.equal(await page.locator('#input-error').count(), 0, name);
        assert.match(await text(page, '#file-chip'), new RegExp(`^${name.replace(/\./g, '\\.')} — `));
        if (name === GZ) {
          assert.equal(await page.inputValue('#input'), '', 'gzip is not shown as text');
          await fullShot(page, `${OUT}gzip-en.png`);
          await page.selectOption('#lang', 'ja');
          await page.waitForFunction(() => document.querySelector('#input-info .shape')?.textContent === '入力: gzip（メンバー 2 個） → テキストの行', null, { timeout: WAIT });
          assert.equal(await text(page, '#input-info .origin'), '形式: ヘッダー行');
          await waitEntriesInJapanese(page); // for the screenshot
          await fullShot(page, `${OUT}gzip-ja.png`);
          await page.selectOption('#lang', 'en');
          await page.waitForFunction(() => document.querySelector('#input-info .origin')?.textContent === 'Format: header line', null, { timeout: WAIT });
        }
      }
      // The bad JSON line of json-lines.ndjson is an error at its place.
      await drop(page, 'json-lines.ndjson');
      await waitDecoded(page, 'json-lines.ndjson');
      assert.match(await text(page, '#results article.error .message'), /line 4: invalid JSON/);

      // A subscription control message carries no record: said so.
      await drop(page, 'subscription-control.json');
      await waitDecoded(page, 'subscription-control.json');
      assert.equal(await page.locator('#counts').getAttribute('data-ignored'), '1');
      assert.match(await text(page, '#input-info .shape'), /subscription payload; 1 CONTROL_MESSAGE payload/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a file of several slices is read whole, into reused buffers or (without a byte stream) slice by slice', async () => {
    // ~11 MB: three slices of 4 MB, the last one short.
    const lines = 110_000;
    const buffer = Buffer.from(`${SEED}\n`.repeat(lines));
    assert.ok(buffer.length > 8 * 1024 * 1024 && buffer.length < 12 * 1024 * 1024);
    for (const reading of ['byob', 'no byte stream', 'byte stream failing']) {
      const { page, context, errors } = await open(env);
      try {
        if (reading === 'no byte stream') {
          // A browser whose file streams cannot be read into a given buffer.
          await page.evaluate(() => {
            const plain = ReadableStream.prototype.getReader;
            ReadableStream.prototype.getReader = function getReader(opts) {
              if (opts?.mode === 'byob') throw new TypeError('no byte stream');
              return plain.call(this, opts);
            };
          });
        } else if (reading === 'byte stream failing') {
          // A byte stream that fails in the middle of the second slice: the rest is read by slices.
          await page.evaluate(() => {
            const plain = ReadableStream.prototype.getReader;
            ReadableStream.prototype.getReader = function getReader(opts) {
              const reader = plain.call(this, opts);
              if (opts?.mode !== 'byob') return reader;
              let bytes = 0;
              const read = reader.read.bind(reader);
              reader.read = async (view) => {
                if (bytes > 6 * 1024 * 1024) throw new TypeError('the stream broke');
                const r = await read(view);
                bytes += r.value?.byteLength ?? 0;
                return r;
              };
              return reader;
            };
          });
        }
        const name = `seed-${reading.replaceAll(' ', '-')}.log`;
        await drop(page, { name, buffer });
        await waitDecoded(page, name);
        const counts = await page.locator('#counts').evaluate((n) => ({ ...n.dataset }));
        assert.equal(Number(counts.records), lines, name);
        assert.equal(Number(counts.lines), lines, name);
        assert.equal(Number(counts.errors), 0, name);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  });

  test('a truncated gzip: the records before the cut, and a warning', async () => {
    const { page, context, errors } = await open(env);
    try {
      const whole = readFileSync(`${SHAPES}${GZ}`);
      await drop(page, { name: 'cut.log.gz', buffer: whole.subarray(0, whole.length - 10) });
      await waitDecoded(page, 'cut.log.gz');
      assert.equal(await page.locator('#counts').getAttribute('data-records'), '2');
      assert.equal(await page.locator('#results article.record').count(), 2);
      assert.match(await text(page, '#input-error'), /^Warning: the gzip data is truncated: it ends inside member 2 .* the lines before the cut were read$/);
      assert.ok(await page.locator('#input-info.has-error').isVisible());
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => /^警告: gzip データが途中で切れています/.test(document.getElementById('input-error')?.textContent), null, { timeout: WAIT });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the field reference is grouped by kind of flow log and version', async () => {
    const { page, context, errors } = await open(env);
    try {
      // The default format's fields first (reference.test.mjs), then the others by group.
      await page.waitForFunction(() => document.querySelectorAll('#reference .ref-group').length === 4, null, { timeout: WAIT });
      const groups = await page.locator('#reference .ref-group').evaluateAll((els) => els.map((e) => ({
        group: e.dataset.group,
        versions: [...e.querySelectorAll('tbody tr')].map((r) => Number(r.dataset.version)),
      })));
      assert.deepEqual(groups.map((g) => g.group), ['default', 'both', 'vpc', 'transit-gateway']);
      assert.equal(groups.reduce((n, g) => n + g.versions.length, 0), 72);
      for (const g of groups.slice(1)) assert.deepEqual(g.versions, [...g.versions].sort((a, b) => a - b), g.group);
      assert.match(await text(page, '#reference .ref-group[data-group="transit-gateway"] h3'), /^Transit gateway flow logs only \(\d+\)$/);
      assert.ok(await page.locator('#reference tr:has(code:text-is("tcp-flags"))').count() === 1);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
