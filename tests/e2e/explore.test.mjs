// Filters, the record list and exports, as a user drives them: a gzipped S3 object dropped on the
// page, the rejected traffic from the internet picked by clicking the Summary, the list walked by
// keyboard, a record's breakdown, the CSV export read back, errors in expressions, the stack of
// filters, jumps from hints, filters from field values, sorts, recent filters and both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { start, stop, open, decode, WAIT, OUT } from './harness.mjs';

const DOCS = readFileSync(new URL('../data/aws-docs-examples.log', import.meta.url), 'utf8');

/**
 * A small S3 object of one interface (10.0.1.5): HTTPS from the internet accepted and answered,
 * SSH and RDP attempts from internet hosts rejected, and replies to a private client rejected (a
 * network ACL's doing). Returns the text and what it holds.
 */
function s3Object() {
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  const lines = [header];
  const eni = 'eni-0a1b2c3d4e5f60718';
  const acct = '123456789012';
  let t = 1744520000;
  const rejectedFromInternet = [];
  let accepted = 0;
  let replies = 0;
  for (let i = 0; i < 240; i++) {
    t += 7;
    const k = i % 4;
    if (k === 0 || k === 1) {
      // SSH / RDP from internet hosts 185.220.101.N (not AWS's), rejected.
      const src = `185.220.101.${(i * 7) % 250 + 1}`;
      const port = k === 0 ? 22 : 3389;
      lines.push(`2 ${acct} ${eni} ${src} 10.0.1.5 ${40000 + i} ${port} 6 1 40 ${t} ${t + 30} REJECT OK`);
      rejectedFromInternet.push({ src, port });
    } else if (k === 2) {
      // HTTPS from the internet, accepted.
      lines.push(`2 ${acct} ${eni} 93.184.216.${i % 200 + 1} 10.0.1.5 ${50000 + i} 443 6 12 4800 ${t} ${t + 30} ACCEPT OK`);
      accepted += 1;
    } else {
      // A reply from 10.0.1.5:443 to a private client's ephemeral port, rejected.
      lines.push(`2 ${acct} ${eni} 10.0.1.5 10.0.2.9 443 ${52000 + i} 6 3 900 ${t} ${t + 30} REJECT OK`);
      replies += 1;
    }
  }
  return { text: `${lines.join('\n')}\n`, records: 240, rejectedFromInternet, accepted, replies };
}

/** Drops `files` ({name, bytes}) on the page's input card as a user drags them from a file manager. */
async function dropFiles(page, selector, files) {
  await page.evaluate(({ selector, files }) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    const zone = document.querySelector(selector);
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, { selector, files: files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') })) });
}

const viewCount = (page) => page.evaluate(() => Number(document.getElementById('explore').dataset.count));

async function waitCount(page, n) {
  await page.waitForFunction((n) => document.getElementById('explore').dataset.count === String(n)
    && document.getElementById('records-section').dataset.count === String(n), n, { timeout: WAIT });
}

/** The list rows in sight: [{pos, line, text, selected}]. */
const listRows = (page) => page.$$eval('#record-list .record-row:not(.loading)', (rows) => rows.map((r) => ({
  pos: Number(r.dataset.pos), line: Number(r.dataset.line), text: r.textContent, selected: r.getAttribute('aria-selected') === 'true',
})));

/** Parses CSV (RFC 4180) text into rows of cells. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r') { /* CRLF */ } else if (c === '\n') {
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function download(page, button) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: WAIT }), page.click(button)]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

test('a dropped gzip: the rejected traffic from the internet by a click on the Summary, walked by keyboard, exported as CSV', async () => {
  const { page, errors } = await open(env);
  const obj = s3Object();
  await dropFiles(page, '#drop-zone', [{ name: '123456789012_vpcflowlogs_ap-northeast-1_fl-0123_20250413T0500Z_abcd.log.gz', bytes: gzipSync(obj.text) }]);
  await page.waitForFunction((n) => document.getElementById('counts').dataset.records === String(n), obj.records, { timeout: WAIT });
  await waitCount(page, obj.records);
  await page.waitForSelector('#summary:not([hidden]) [data-filter]', { timeout: WAIT });

  // The Summary's REJECT story has a row for the rejected traffic from the internet: one click.
  const row = page.locator('#summary [data-filter*="from_internet"]').first();
  const filter = await row.getAttribute('data-filter');
  await row.click();
  await waitCount(page, obj.rejectedFromInternet.length);
  assert.equal(await page.locator('#filter-stack .chip code').first().textContent(), filter);
  assert.match(await page.textContent('#filter-status'), new RegExp(`${obj.rejectedFromInternet.length} records of ${obj.records}`));
  // The Summary now covers those records only, and says so.
  await page.waitForFunction((n) => document.getElementById('summary').dataset.records === String(n)
    && document.getElementById('summary').dataset.from === 'view', obj.rejectedFromInternet.length, { timeout: WAIT });
  assert.match(await page.textContent('#summary-filter'), /Summary of the 120 records the filter keeps/);

  // The keyboard walks the list: Down, End, Home, Page Down; Enter opens the breakdown.
  await page.focus('#record-list');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  let rows = await listRows(page);
  assert.equal(rows.find((r) => r.selected)?.pos, 2);
  assert.ok(rows.every((r) => /REJECT/.test(r.text) && /185\.220\.101\./.test(r.text)), 'every row a rejected internet host');
  await page.keyboard.press('End');
  await page.waitForFunction((n) => document.querySelector('#record-list [aria-selected="true"]')?.dataset.pos === String(n - 1), obj.rejectedFromInternet.length, { timeout: WAIT });
  await page.keyboard.press('Home');
  await page.keyboard.press('PageDown');
  rows = await listRows(page);
  const active = rows.find((r) => r.selected);
  assert.ok(active && active.pos > 5, `Page Down moved a screenful (${active?.pos})`);
  assert.equal(await page.getAttribute('#record-list', 'aria-activedescendant'), `rec-opt-${active.pos}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction((line) => document.getElementById('record-detail').dataset.line === String(line), active.line, { timeout: WAIT });
  assert.match(await page.textContent('#record-detail .summary'), /rejected/);

  // The CSV export holds exactly the filtered records, every field and the derived columns.
  const csv = await download(page, '#export-csv');
  assert.equal(csv.name, 'flowlens-filtered.csv');
  const [head, ...body] = parseCsv(csv.text);
  assert.equal(body.length, obj.rejectedFromInternet.length);
  const col = (name) => head.indexOf(name);
  assert.ok(col('srcaddr') > 0 && col('from_internet') > 0 && col('service') > 0, head.join(','));
  for (const r of body) {
    assert.equal(r[col('action')], 'REJECT');
    assert.equal(r[col('from_internet')], 'true');
    assert.match(r[col('srcaddr')], /^185\.220\.101\./);
  }
  assert.deepEqual(body.map((r) => `${r[col('srcaddr')]}:${r[col('dstport')]}`),
    obj.rejectedFromInternet.map((x) => `${x.src}:${x.port}`));
  await page.waitForFunction(() => /Exported 120 records/.test(document.getElementById('export-status').textContent), null, { timeout: WAIT });

  // NDJSON: one object per record with the CLI's fields.
  const nd = await download(page, '#export-ndjson');
  const objs = nd.text.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(objs.length, obj.rejectedFromInternet.length);
  assert.equal(objs[0].fields.action, 'REJECT');
  assert.equal(objs[0].derived.from_internet, true);

  // The summary as JSON, of the filtered set.
  const sum = await download(page, '#export-summary');
  const summary = JSON.parse(sum.text);
  assert.equal(summary.filter, filter);
  assert.equal(summary.summary.totals.records, obj.rejectedFromInternet.length);

  // "Show all records" goes back to the whole input, and its Summary.
  await page.click('#filter-stack .chip-clear');
  await waitCount(page, obj.records);
  await page.waitForFunction((n) => document.getElementById('summary').dataset.records === String(n)
    && document.getElementById('summary').dataset.from !== 'view', obj.records, { timeout: WAIT });
  await page.screenshot({ path: `${OUT}/explore.png` });
  assert.deepEqual(errors, []);
});

test('typed filters stack up, refusals point into the expression, sorts order the list', async () => {
  const { page, errors } = await open(env);
  await decode(page, DOCS, /7 records/);
  await waitCount(page, 7);
  assert.match(await page.textContent('#filter-status'), /All 7 records/);

  await page.fill('#filter', 'protocol = tcp');
  await page.press('#filter', 'Enter');
  await waitCount(page, 3);
  await page.fill('#filter', 'action=reject');
  await page.click('#filter-apply');
  await waitCount(page, 1);
  assert.deepEqual(await page.$$eval('#filter-stack .chip code', (c) => c.map((x) => x.textContent)), ['protocol = tcp', 'action=reject']);
  assert.deepEqual((await listRows(page)).map((r) => r.line), [2]);

  // A refused filter: the message, the part at fault marked, the cursor on it; the view stays.
  await page.fill('#filter', 'dstport in (22, 3389');
  await page.press('#filter', 'Enter');
  await page.waitForSelector('#filter-status.error', { timeout: WAIT });
  assert.match(await page.textContent('#filter-status'), /Not applied: column 21/);
  assert.equal(await page.getAttribute('#filter', 'aria-invalid'), 'true');
  assert.equal(await viewCount(page), 1);
  const unknown = 'srcaddr = 10.0.0.1 and colour = red';
  await page.fill('#filter', unknown);
  await page.press('#filter', 'Enter');
  await page.waitForFunction(() => document.querySelector('#filter-status mark')?.textContent === 'colour', null, { timeout: WAIT });
  const sel = await page.$eval('#filter', (b) => [b.selectionStart, b.selectionEnd]);
  assert.deepEqual(sel, [unknown.indexOf('colour'), unknown.indexOf('colour') + 'colour'.length]);

  // The same question for AWS's engines: the stack's filter as Athena SQL and Logs Insights.
  await page.click('#copy-athena');
  await page.waitForSelector('#emitted:not([hidden])', { timeout: WAIT });
  let q = await page.textContent('#emitted');
  assert.match(q, /CREATE EXTERNAL TABLE/);
  assert.match(q, /-- filter: \(protocol = tcp\) and \(action=reject\)/);
  assert.match(q, /WHERE \(?protocol = 6\)? AND \(?action = 'REJECT'\)?/);
  assert.match(await page.textContent('#export-status'), /Athena query is below/);
  await page.click('#copy-insights');
  await page.waitForFunction(() => document.getElementById('emitted').dataset.engine === 'insights', null, { timeout: WAIT });
  q = await page.textContent('#emitted');
  assert.match(q, /filter /);
  assert.match(q, /action = "REJECT"|action="REJECT"/);

  // Removing the first filter keeps the second.
  await page.click('#filter-stack .chip-remove[data-index="0"]');
  await waitCount(page, 2);
  assert.deepEqual((await listRows(page)).map((r) => r.line), [2, 6]);
  // Edit takes a filter back into the box.
  await page.click('#filter-stack .chip-edit[data-index="0"]');
  await waitCount(page, 7);
  assert.equal(await page.inputValue('#filter'), 'action=reject');

  // Most bytes first.
  await page.selectOption('#sort', 'bytes:desc');
  await page.waitForFunction(() => document.getElementById('explore').dataset.count === '7'
    && document.querySelector('#record-list .record-row:not(.loading)'), null, { timeout: WAIT });
  // 8,855 bytes (line 7), then 4,249 (lines 1 and 2, in input order), 336 (5, 6), none (3, 4).
  await page.waitForFunction(() => [...document.querySelectorAll('#record-list .record-row')].map((r) => r.dataset.line).join() === '7,1,2,5,6,3,4', null, { timeout: WAIT });

  // The filters typed are remembered for the next visit.
  const recent = await page.evaluate(() => JSON.parse(localStorage.getItem('flowlens.recentFilters')));
  assert.deepEqual(recent.slice(0, 2), ['action=reject', 'protocol = tcp']);
  assert.deepEqual(errors, []);
});

test('a hint jumps to the record it names; a field value becomes a filter; Japanese errors', async () => {
  const { page, errors } = await open(env, { locale: 'ja-JP' });
  await decode(page, DOCS, /7/);
  await waitCount(page, 7);
  // Line 6's hint names line 5, the accepted flow the other way.
  const jump = page.locator('#results article[data-line="6"] [data-goto-line="5"]');
  await jump.click();
  await page.waitForFunction(() => document.getElementById('record-detail').dataset.line === '5', null, { timeout: WAIT });
  assert.equal(await page.$eval('#record-list [aria-selected="true"]', (r) => r.dataset.line), '5');

  // ⊕ on line 1's source address adds the filter `srcaddr = 172.31.16.139`.
  const plus = page.locator('#results article[data-line="1"] tr[data-key="srcaddr"] .filter-value');
  await plus.scrollIntoViewIfNeeded();
  await page.hover('#results article[data-line="1"] tr[data-key="srcaddr"]');
  await plus.click();
  await waitCount(page, 2);
  assert.equal(await page.textContent('#filter-stack .chip code'), 'srcaddr = 172.31.16.139');
  assert.match(await page.textContent('#filter-status'), /7 件中 2 件/);

  await page.fill('#filter', 'ポート = 22');
  await page.press('#filter', 'Enter');
  await page.waitForSelector('#filter-status.error', { timeout: WAIT });
  assert.match(await page.textContent('#filter-status'), /適用できません/);
  assert.equal(await page.textContent('#filter-status mark'), 'ポート');
  assert.deepEqual(errors, []);
});

test('recent filters a script poisoned are ignored', async () => {
  const { page, context, errors } = await open(env);
  await page.evaluate(() => localStorage.setItem('flowlens.recentFilters', JSON.stringify([{ toString: 1 }, 'x'.repeat(100000), 'action=REJECT', 42])));
  const again = await context.newPage();
  again.on('pageerror', (e) => errors.push(e.message));
  await again.goto(env.server.url);
  await decode(again, DOCS, /7 records/);
  await waitCount(again, 7);
  assert.deepEqual(await again.$$eval('#filter-recent option', (o) => o.map((x) => x.value)), ['action=REJECT']);
  assert.deepEqual(errors, []);
});
