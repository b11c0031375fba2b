// The page in Chromium: decoding, languages, errors, hostile input, network, ip-ranges sources.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { BUNDLED_DATE, LIVE_URL, OUT, SEED, WAIT, decode, entriesShown, fullShot, open, shown, start, stop, text, until } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

describe('flowlens page', () => {
  test('decodes the seed record, in English then in Japanese', async () => {
    const { page, context, errors } = await open(env);
    try {
      await decode(page, SEED, /^1 record · 0 errors · 0 headers · 0 blank · 0 ignored · 1 line in all$/);
      const records = page.locator('#results article.record');
      assert.equal(await records.count(), 1);
      assert.equal(await page.locator('#results article.error').count(), 0);
      const summary = await text(page, '#results .summary');
      assert.equal(
        summary,
        '10.0.4.135 (private, in your VPC) sent 1 UDP packet (76 bytes) from port 35098 to NTP (123) at 15.152.63.145 (AWS EC2, Osaka); accepted.',
      );
      const row = (key) => page.locator(`#results tr[data-key="${key}"]`);
      assert.equal(await shown(row('protocol').locator('td.value')), 'UDP');
      assert.equal(await shown(row('dstport').locator('td.value')), 'NTP');
      assert.match(await shown(row('srcaddr').locator('td.value')), /private/);
      assert.match(await shown(row('dstaddr').locator('td.value')), /EC2/);
      assert.match(await shown(row('dstaddr').locator('td.text')), /Osaka/);
      assert.equal(await shown(row('action').locator('td.value')), 'ACCEPT');
      assert.equal(await shown(row('srcaddr').locator('th .label')), 'Source address');
      assert.equal(await shown(row('srcaddr').locator('td.raw')), '10.0.4.135');
      assert.equal(await page.locator('#results tbody tr').count(), 14);
      assert.match(await text(page, '#privacy'), /Nothing you paste leaves this page/);
      assert.match(await text(page, '#shortcut-hint'), /Ctrl\+Enter/);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      // A raw token and its row light up together.
      await page.hover('#results .tok[data-key="dstport"]');
      await row('dstport').and(page.locator('.hl')).waitFor({ timeout: WAIT });
      assert.match(await row('dstport').getAttribute('class') || '', /\bhl\b/);
      assert.doesNotMatch(await row('srcport').getAttribute('class') || '', /\bhl\b/);
      await page.mouse.move(0, 0);
      await fullShot(page, `${OUT}seed-en.png`);

      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.querySelector('#results .summary')?.textContent.includes('大阪'), null, { timeout: WAIT });
      assert.equal(await page.getAttribute('html', 'lang'), 'ja');
      assert.match(await text(page, '#results .summary'), /大阪/);
      assert.equal(await text(page, '#results-heading'), '解析結果');
      assert.equal(await text(page, '#counts'), 'レコード 1 件 · エラー 0 件 · ヘッダー行 0 · 空行 0 · 無視 0（全 1 行）');
      assert.equal(await shown(page.locator('#results thead th').first()), 'フィールド');
      assert.match(await text(page, '#privacy'), /ブラウザー内/);
      assert.match(await text(page, '#ipranges-status'), /同梱のスナップショット|最新版/);
      assert.equal(await page.locator('#results article.record').count(), 1);
      await fullShot(page, `${OUT}seed-ja.png`);

      // The choice is remembered.
      await page.reload();
      await page.waitForFunction(() => document.documentElement.lang === 'ja' && document.getElementById('results-heading').textContent === '解析結果', null, { timeout: WAIT });
      assert.equal(await page.inputValue('#lang'), 'ja');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the default language follows the browser', async () => {
    const { page, context, errors } = await open(env, { locale: 'ja-JP' });
    try {
      await page.waitForFunction(() => document.getElementById('results-heading').textContent !== '');
      assert.equal(await page.getAttribute('html', 'lang'), 'ja');
      assert.equal(await page.inputValue('#lang'), 'ja');
      assert.equal(await text(page, '#example'), '例を入力');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a bad line between two good ones is reported at its place', async () => {
    const { page, context, errors } = await open(env);
    try {
      // A field missing (a value that does not fit its field is a record with a problem:
      // problems.test.mjs).
      const bad = SEED.replace(' 35098 123 ', ' 35098 ');
      await decode(page, [SEED, bad, SEED].join('\n'), /^2 records · 1 error · /);
      const entries = page.locator('#results article');
      assert.equal(await entries.count(), 3);
      const kinds = await entries.evaluateAll((els) => els.map((e) => `${e.dataset.line}:${e.classList.contains('error') ? 'error' : 'record'}`));
      assert.deepEqual(kinds, ['1:record', '2:error', '3:record']);
      const error = page.locator('#results article.error');
      const message = await shown(error.locator('.message'));
      assert.match(message, /line 2/);
      assert.match(message, /found 13/);
      assert.equal(await shown(error.locator('pre.raw')), bad);
      assert.match(await text(page, '#counts'), /^2 records · 1 error · 0 headers · 0 blank · 0 ignored · 3 lines in all$/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('markup in the input is shown as text and never runs', async () => {
    const { page, context, errors, dialogs } = await open(env);
    try {
      const evil = '2 <img src=x onerror=alert(1)> <script>alert(2)</script> 10.0.4.135 15.152.63.145 1 2 6 1 1 1 2 ACCEPT OK';
      const evilAccount = SEED.replace('654654279488', '<img/src=x/onerror=alert(3)>');
      await decode(page, `${evil}\n${evilAccount}`, / 2 lines in all$/);
      await page.waitForTimeout(300); // give a would-be onerror handler time to fire
      assert.equal(await page.locator('#results img').count(), 0);
      assert.equal(await page.locator('#results script').count(), 0);
      const shown = await text(page, '#results');
      assert.ok(shown.includes('<img src=x onerror=alert(1)>'), 'the markup is shown literally');
      assert.ok(shown.includes('<img/src=x/onerror=alert(3)>'), 'the second markup is shown literally');
      assert.deepEqual(dialogs, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the only requests are the page\'s own files and ip-ranges.amazonaws.com', async () => {
    const { page, context, errors, requests } = await open(env);
    try {
      await decode(page, SEED, /^1 record/);
      await page.click('#example');
      await page.waitForFunction(() => /^4 records/.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
      const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
      assert.match(csp, /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' https:\/\/ip-ranges\.amazonaws\.com;/);
      const origin = new URL(env.server.url).origin;
      const urls = requests.map((r) => r.url());
      // The worker's requests are seen too (otherwise this test would prove nothing).
      assert.ok(urls.some((u) => u.endsWith('/flowlens/pkg/flowlens_bg.wasm')), urls.join('\n'));
      assert.ok(urls.includes(LIVE_URL), urls.join('\n'));
      const foreign = urls.filter((u) => !u.startsWith(`${origin}/flowlens/`) && u !== LIVE_URL);
      assert.deepEqual(foreign, []);
      for (const r of requests) assert.equal(r.postData(), null, `${r.method()} ${r.url()} sends nothing`);
      assert.ok(!urls.some((u) => u.includes('654654279488')), 'no pasted data in any URL');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('ip-ranges: falls back to the bundled snapshot when the live file is unreachable', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, SEED, /^1 record/);
      assert.equal(await text(page, '#ipranges-status'), `AWS ip-ranges: bundled snapshot, createDate ${BUNDLED_DATE}`);
      assert.match(await text(page, '#results .summary'), /AWS EC2, Osaka/);
      // Why the live file is not in use, in the page's language (not the browser's own words).
      const why = () => page.locator('#ipranges-status').getAttribute('title');
      assert.match(await why(), /^The live file could not be loaded: the request did not go through \(offline/);
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.documentElement.lang === 'ja', null, { timeout: WAIT });
      assert.match(await why(), /^最新版を読み込めませんでした: リクエストが届きませんでした/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('ip-ranges: uses the live file when it answers', async () => {
    const createDate = '2099-01-02-03-04-05';
    const { page, context, errors } = await open(env, { live: { createDate } });
    try {
      await decode(page, SEED, /^1 record/);
      assert.equal(await text(page, '#ipranges-status'), `AWS ip-ranges: live (ip-ranges.amazonaws.com), createDate ${createDate}`);
      assert.match(await text(page, '#results .summary'), /AWS EC2, Osaka/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('ip-ranges: a live request that never answers times out to the snapshot', async () => {
    // The page gives the live file 4 s (www/workers/ipranges.js: LIVE_TIMEOUT_MS). Timed from the live request,
    // not from page load: starting the worker and compiling the WASM before it is no part of that
    // timeout, and takes seconds on a slow, busy machine.
    let liveAt = null;
    const { page, context, errors } = await open(env, {
      live: 'hang',
      route: async (p) => p.on('request', (r) => { if (r.url() === LIVE_URL) liveAt ??= Date.now(); }),
    });
    try {
      await page.waitForFunction(
        () => document.getElementById('ipranges-status').textContent.includes('bundled snapshot'),
        null,
        { timeout: WAIT },
      );
      assert.ok(liveAt !== null, 'the live file was asked for');
      const waited = Date.now() - liveAt;
      assert.ok(waited < 8000, `the snapshot came ${waited} ms after the live request`);
      assert.equal(await text(page, '#ipranges-status'), `AWS ip-ranges: bundled snapshot, createDate ${BUNDLED_DATE}`);
      assert.equal(await page.locator('#ipranges-status').getAttribute('title'), 'The live file could not be loaded: no answer within 4 s');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('long inputs are shown a page at a time', async () => {
    const { page, context, errors } = await open(env);
    try {
      const lines = Array.from({ length: 450 }, (_, i) => SEED.replace(' 35098 ', ` ${30000 + i} `));
      await decode(page, lines.join('\n'), /^450 records/);
      const records = page.locator('#results article.record');
      // decode() waited for the whole first page (rendered a slice per frame after the counts).
      assert.equal(await records.count(), 200);
      assert.match(await text(page, '#more'), /200 of 450/);
      await page.click('#more');
      await page.waitForFunction(() => document.querySelectorAll('#results article.record').length === 400, null, { timeout: WAIT });
      await page.click('#more');
      await page.waitForFunction(() => document.querySelectorAll('#results article.record').length === 450, null, { timeout: WAIT });
      assert.equal(await page.locator('#more').isVisible(), false);
      const last = await shown(records.last().locator('tr[data-key="srcport"] td.raw'));
      assert.equal(last, '30449');
      assert.equal(await records.last().getAttribute('data-line'), '450');
      // Switching language re-renders all that is shown (from the first entry on, a slice per frame).
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => {
        const all = document.querySelectorAll('#results article.record');
        return all.length === 450 && all[449].querySelector('.summary')?.textContent.includes('大阪');
      }, null, { timeout: WAIT });
      assert.equal(await records.count(), 450);
      const summaries = await records.locator('.summary').allTextContents();
      assert.ok(summaries.every((s) => s.includes('大阪')), 'every entry shown is in Japanese');
      assert.equal(await records.last().getAttribute('data-line'), '450');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('Example, the field reference and a dropped file', async () => {
    const { page, context, errors } = await open(env);
    try {
      await page.click('#example');
      await page.waitForFunction(() => /^4 records · 0 errors/.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
      await entriesShown(page);
      assert.match(await page.inputValue('#input'), /NODATA$/);
      const statuses = await page.locator('#results tr[data-key="log-status"] td.raw').allTextContents();
      assert.deepEqual(statuses, ['OK', 'OK', 'OK', 'NODATA']);

      const refRows = page.locator('#reference tbody tr');
      assert.ok((await refRows.count()) >= 14);
      assert.equal(await shown(refRows.first().locator('th')), 'version');

      // A file, as the file picker gives it.
      await page.setInputFiles('#file', { name: 'flows.log', mimeType: 'text/plain', buffer: Buffer.from(`${SEED}\n${SEED}\n`) });
      await page.waitForFunction(() => /^2 records/.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
      assert.match(await text(page, '#status'), /flows\.log/);
      assert.equal(await page.inputValue('#input'), `${SEED}\n${SEED}\n`);

      assert.equal(await text(page, '#file-chip'), 'flows.log — 224 B');

      // A gzipped file is decoded too, and not copied into the text box.
      await page.setInputFiles('#file', { name: 'flows.log.gz', mimeType: 'application/gzip', buffer: gzipSync(`${SEED}\n`) });
      // Not only "Reading flows.log.gz…" (shown while it is read): decoded.
      await page.waitForFunction(() => /^Decoded flows\.log\.gz /.test(document.getElementById('status').textContent), null, { timeout: WAIT });
      assert.match(await text(page, '#counts'), /^1 record · /);
      assert.match(await text(page, '#input-info'), /gzip \(1 member\) → lines of text/);
      assert.equal(await page.inputValue('#input'), '');
      assert.match(await text(page, '#file-chip'), /^flows\.log\.gz — \d+ B$/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a decoder that traps is replaced, says so, and never decodes that input again by itself', async () => {
    const { page, context, errors, requests } = await open(env, { route: async (p) => {
      // The decoding worker as served, plus a trap on the input "TRAP" (as a Rust panic would give).
      await p.route('**/flowlens/workers/decode.js', async (route) => {
        const res = await route.fetch();
        const body = `${await res.text()}
const realDecode = handlers.decode;
handlers.decode = async (m) => {
  if (m.text === 'TRAP') throw new WebAssembly.RuntimeError('unreachable');
  return realDecode(m);
};`;
        await route.fulfill({ response: res, body });
      });
    } });
    try {
      await decode(page, SEED, /^1 record/);
      const workerLoads = () => requests.filter((r) => r.url().endsWith('/flowlens/workers/decode.js')).length;
      assert.equal(workerLoads(), 1);
      await page.fill('#input', 'TRAP');
      await page.press('#input', 'Control+Enter');
      await page.waitForFunction(() => /ran out of memory or stopped on an internal error while reading this input/.test(document.getElementById('status').textContent), null, { timeout: WAIT });
      assert.match(await text(page, '#status'), /the input was not decoded again\. A new decoder is ready for the next input\.$/);
      // The new worker was started before that status; its request may reach us a little later.
      await until(page, () => workerLoads() >= 2, 'a second worker');
      // Once it has loaded its ip-ranges it would have been sent the input again, were it retried.
      await page.waitForFunction(() => /createDate/.test(document.getElementById('ipranges-status').textContent), null, { timeout: WAIT });
      assert.equal(workerLoads(), 2, 'one new worker per trap, and no retry');
      // The new worker decodes the next input as before.
      await decode(page, `${SEED}\n${SEED}`, /^2 records/);
      assert.equal(workerLoads(), 2, 'one new worker per trap, and no retry');
      assert.match(await text(page, '#results article:nth-child(2) .summary'), /AWS EC2, Osaka/);
      assert.match(await text(page, '#ipranges-status'), /createDate/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a decoder that cannot load is reported, not a frozen page', async () => {
    // No service worker: its precache fetches the WASM module where page.route cannot refuse it,
    // and once it controls the page the workers would load the module from there.
    const ctx = await env.browser.newContext({ locale: 'en-US', serviceWorkers: 'block' });
    const p = await ctx.newPage();
    try {
      await p.route('**/pkg/flowlens_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
      await p.route('https://ip-ranges.amazonaws.com/**', (route) => route.abort());
      await p.goto(env.server.url);
      await p.waitForFunction(() => /could not be loaded/.test(document.getElementById('status').textContent), null, { timeout: WAIT });
      assert.ok(await p.locator('#status.is-error').isVisible());
      // The page still responds.
      await p.click('#example');
      assert.match(await p.inputValue('#input'), /^2 654654279488/);
    } finally {
      await ctx.close();
    }
  });
});
