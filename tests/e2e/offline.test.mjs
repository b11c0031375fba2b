// Offline use (issue 17) and the headers the service worker adds (issue 14): after one visit the
// page works with the network off; a new build replaces the old cache and the old tab is told;
// the page served by the service worker carries the security headers a static host does not send;
// index.html opened from disk says why it cannot start; the release's zip and single file work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { serve, WWW } from './server.mjs';
import { BUNDLED_DATE, LIVE_URL, OUT, SEED, WAIT, decode, text } from './harness.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED_SUMMARY = '10.0.4.135 (private, in your VPC) sent 1 UDP packet (76 bytes) from port 35098 to NTP (123) at 15.152.63.145 (AWS EC2, Osaka); accepted.';
const SEED_COUNTS = /^1 record · 0 errors · 0 headers · 0 blank · 0 ignored · 1 line in all$/;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser;
const temps = [];
before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
});
after(async () => {
  await browser?.close();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A copy of www/ in a temporary folder (a test may change its build), served without headers. */
async function site() {
  const root = mkdtempSync(join(tmpdir(), 'flowlens-offline-'));
  temps.push(root);
  cpSync(WWW, root, { recursive: true });
  // The list of the copy's files, as scripts/build.sh writes it (www/ may have changed since).
  execFileSync('node', [join(ROOT, 'scripts', 'precache.mjs'), root], { stdio: 'pipe' });
  const server = await serve({ root, prefix: '/flowlens/', secure: false });
  return { root, server };
}

/**
 * A fresh context with service workers allowed; `live` as in harness.mjs ('abort' or 'same'),
 * routed for the whole context (the service worker's requests too). Records page errors.
 */
async function context({ live = 'abort', locale = 'en-US' } = {}) {
  const ctx = await browser.newContext({ locale, serviceWorkers: 'allow', viewport: { width: 1100, height: 800 } });
  await ctx.route(LIVE_URL, (route) => (live === 'abort'
    ? route.abort('internetdisconnected')
    : route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: readFileSync(join(WWW, 'data', 'ip-ranges.json'), 'utf8') })));
  const errors = [];
  ctx.on('weberror', (e) => errors.push(`weberror: ${e.error().message}`));
  return { ctx, errors };
}

/** Waits until the service worker controls `page` and its cache holds the build. */
async function controlled(page) {
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: WAIT });
  return page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('flowlens-')));
}

/** The network off for the context: offline, and every request that still leaves aborted. */
async function offline(ctx) {
  await ctx.setOffline(true);
  await ctx.route('**/*', (route) => route.abort('internetdisconnected'));
}

const buildOf = (root) => /"build": "([0-9a-f]+)"/.exec(readFileSync(join(root, 'precache.js'), 'utf8'))[1];

test('after one visit the page works with the network off, with the bundled snapshot', async () => {
  const { root, server } = await site();
  const { ctx, errors } = await context({ live: 'abort' });
  try {
    const page = await ctx.newPage();
    await page.goto(server.url);
    assert.deepEqual(await controlled(page), [`flowlens-${buildOf(root)}`]);
    await offline(ctx);
    const res = await page.reload();
    assert.equal(res.fromServiceWorker(), true);
    await decode(page, SEED, SEED_COUNTS);
    assert.equal(await text(page, '#results .summary'), SEED_SUMMARY);
    await page.waitForFunction(() => document.getElementById('ipranges-status').dataset.source === 'bundled', null, { timeout: WAIT });
    assert.match(await page.locator('#ipranges-status').textContent(), new RegExp(`bundled snapshot, createDate ${BUNDLED_DATE}`));
    // A new tab, offline from the start, opens too.
    const again = await ctx.newPage();
    await again.goto(`${server.url}?workers=1`);
    await decode(again, SEED, SEED_COUNTS);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('online, the live file is used and kept in IndexedDB (never in the cache); offline, the kept copy is used', async () => {
  const { server } = await site();
  const { ctx, errors } = await context({ live: 'same' });
  try {
    const page = await ctx.newPage();
    await page.goto(server.url);
    await controlled(page);
    await page.reload(); // now under the service worker: the live fetch still goes out
    await page.waitForFunction(() => document.getElementById('ipranges-status').dataset.source === 'live', null, { timeout: WAIT });
    const cached = await page.evaluate(async () => {
      const urls = [];
      for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) urls.push(r.url);
      return urls;
    });
    assert.ok(cached.some((u) => u.endsWith('/data/ip-ranges.json')), 'the bundled snapshot is cached');
    assert.ok(!cached.some((u) => u.startsWith('https://ip-ranges.amazonaws.com')), 'the live file is not cached');
    // The kept copy is written without waiting: wait for it.
    await page.waitForFunction(() => new Promise((resolve) => {
      const req = indexedDB.open('flowlens');
      req.onsuccess = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('ip-ranges')) return resolve(false);
        const get = db.transaction('ip-ranges').objectStore('ip-ranges').get('last-good');
        get.onsuccess = () => resolve(!!get.result);
        get.onerror = () => resolve(false);
      };
      req.onerror = () => resolve(false);
    }), null, { timeout: WAIT, polling: 200 });
    await offline(ctx);
    await page.reload();
    await decode(page, SEED, SEED_COUNTS);
    await page.waitForFunction(() => document.getElementById('ipranges-status').dataset.source === 'kept', null, { timeout: WAIT });
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('the service worker serves the page and the worker scripts with the security headers', async () => {
  const { root, server } = await site();
  const { ctx, errors } = await context();
  try {
    const page = await ctx.newPage();
    const first = await page.goto(server.url);
    assert.equal(first.headers()['content-security-policy'], undefined, 'the test host sends no headers');
    await controlled(page);
    const res = await page.reload();
    assert.equal(res.fromServiceWorker(), true);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(readFileSync(join(root, 'index.html'), 'utf8'))[1];
    const want = { 'content-security-policy': `${meta}; frame-ancestors 'none'`, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
    for (const [k, v] of Object.entries(want)) assert.equal(res.headers()[k], v, k);
    const scripts = await page.evaluate(async (names) => {
      const out = {};
      for (const n of names) {
        const r = await fetch(n);
        out[n] = { csp: r.headers.get('content-security-policy'), nosniff: r.headers.get('x-content-type-options') };
      }
      return out;
    }, ['workers/decode.js', 'workers/summary.js', 'workers/lockdown.js', 'main.js']);
    for (const [n, h] of Object.entries(scripts)) {
      assert.equal(h.csp, want['content-security-policy'], n);
      assert.equal(h.nosniff, 'nosniff', n);
    }
    // frame-ancestors 'none' holds: a page of the same site that frames it gets nothing. (A page of
    // another site would not even reach this service worker: Chromium partitions storage, so a
    // frame under another site is fetched from the network, with the host's headers: README.)
    writeFileSync(join(root, 'frame.html'), `<!doctype html><title>frame</title><iframe src="./"></iframe>`);
    const framed = await ctx.newPage();
    await framed.goto(`${server.url}frame.html`);
    const frame = await (await framed.waitForSelector('iframe')).contentFrame();
    await framed.waitForTimeout(1000); // nothing to wait for: a refused frame fires no event
    assert.equal(await frame.evaluate(() => !!document.getElementById('input')).catch(() => false), false);
    await framed.close();
    // And the workers, under the page's policy, still decode.
    await decode(page, SEED, SEED_COUNTS);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('a new build replaces the old cache, and the old tab is told (en, ja)', async () => {
  const { root, server } = await site();
  const { ctx, errors } = await context({ locale: 'en-US' });
  try {
    const page = await ctx.newPage();
    await page.goto(server.url);
    const old = buildOf(root);
    assert.deepEqual(await controlled(page), [`flowlens-${old}`]);
    assert.equal(await page.locator('#update').isHidden(), true);
    // A new deploy: another build id.
    const next = 'feedfacecafe0001';
    const manifest = join(root, 'precache.js');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(old, next));
    await page.reload();
    await page.locator('#update').waitFor({ state: 'visible', timeout: WAIT });
    assert.equal(await page.locator('#update').innerText(), 'A new version of flowlens is ready.\nReload to use it');
    await page.screenshot({ path: join(OUT, 'offline-update-en.png') });
    await page.selectOption('#lang', 'ja');
    assert.match(await page.locator('#update').innerText(), /flowlens の新しいバージョンを利用できます。/);
    await page.screenshot({ path: join(OUT, 'offline-update-ja.png') });
    // Both caches until the new version takes over; then only the new one.
    assert.deepEqual((await page.evaluate(() => caches.keys())).sort(), [`flowlens-${old}`, `flowlens-${next}`].sort());
    // Another tab of the old version, open meanwhile.
    const other = await ctx.newPage();
    await other.goto(server.url);
    await other.locator('#update').waitFor({ state: 'visible', timeout: WAIT });
    // Once it has loaded all it loads (its ip-ranges chosen): no request of it keeps the old worker busy.
    await other.waitForFunction(() => /createDate/.test(document.getElementById('ipranges-status').textContent), null, { timeout: WAIT });
    const reloaded = page.waitForEvent('load', { timeout: WAIT });
    await page.click('#update-reload');
    await reloaded;
    // The other tab now runs the old page over the new files: it says so, and reloads when asked.
    await other.locator('#update').waitFor({ state: 'visible', timeout: WAIT });
    const otherReloaded = other.waitForEvent('load', { timeout: WAIT });
    await other.click('#update-reload');
    await otherReloaded;
    await other.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: WAIT });
    assert.equal(await other.locator('#update').isHidden(), true);
    await other.close();
    await page.waitForFunction(async (want) => JSON.stringify(await caches.keys()) === JSON.stringify([want]), `flowlens-${next}`, { timeout: WAIT, polling: 200 });
    assert.equal(await page.locator('#update').isHidden(), true);
    await decode(page, SEED, /^レコード 1 件/);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('the page can be installed: its manifest reads without errors, and Chromium finds nothing missing', async () => {
  const { server } = await site();
  const { ctx } = await context();
  try {
    const page = await ctx.newPage();
    await page.goto(server.url);
    await controlled(page);
    const cdp = await ctx.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, []);
    assert.match(manifest.url, /\/flowlens\/manifest\.webmanifest$/);
    // A test browser context is incognito-like: that is the one thing Chromium may hold against it.
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), []);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('index.html opened from disk says, in both languages, why it cannot start and what to do', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  try {
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(join(WWW, 'index.html')).href);
    const box = page.locator('#no-modules');
    await box.waitFor({ state: 'visible', timeout: WAIT });
    const said = await box.innerText();
    assert.match(said, /flowlens cannot start here/);
    assert.match(said, /python3 scripts\/serve\.py/);
    assert.match(said, /flowlens\.html/);
    assert.match(said, /ここでは flowlens を起動できません/);
    assert.match(said, /単一ファイル版/);
    await page.screenshot({ path: join(OUT, 'offline-file-url.png') });
  } finally {
    await ctx.close();
  }
});

test('served, the page hides that message', async () => {
  const { server } = await site();
  const { ctx } = await context();
  try {
    const page = await ctx.newPage();
    await page.goto(server.url);
    await decode(page, SEED, SEED_COUNTS);
    assert.equal(await page.locator('#no-modules').count(), 0);
  } finally {
    await ctx.close();
    await server.close();
  }
});

// The release's artefacts, built from the www/ of this checkout (no new WASM build).
const DIST = mkdtempSync(join(tmpdir(), 'flowlens-dist-'));
temps.push(DIST);
let released = null;
function release() {
  if (!released) {
    execFileSync(join(ROOT, 'scripts', 'release.sh'), ['--no-build', DIST], { cwd: ROOT, stdio: 'pipe' });
    released = true;
  }
}

test('the release zip, unpacked and served by a static server, decodes the seed record', async () => {
  release();
  const zip = execFileSync('sh', ['-c', `ls ${DIST}/flowlens-site-*.zip`], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-unzip-'));
  temps.push(dir);
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, dir]);
  const top = execFileSync('sh', ['-c', `ls ${dir}`], { encoding: 'utf8' }).trim();
  const root = join(dir, top);
  assert.ok(existsSync(join(root, 'index.html')) && existsSync(join(root, 'pkg', 'flowlens_bg.wasm')) && existsSync(join(root, 'precache.js')));
  const server = await serve({ root, prefix: '/', secure: false });
  const { ctx, errors } = await context();
  try {
    const page = await ctx.newPage();
    await page.goto(server.url);
    await decode(page, SEED, SEED_COUNTS);
    assert.equal(await text(page, '#results .summary'), SEED_SUMMARY);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('the single-file build, opened from disk, decodes the seed record', async () => {
  release();
  const file = join(DIST, 'flowlens.html');
  assert.ok(existsSync(file), 'dist/flowlens.html was built');
  const { ctx, errors } = await context({ live: 'abort' });
  try {
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && !m.text().includes('ip-ranges.amazonaws.com') && errors.push(`console: ${m.text()}`));
    await page.goto(pathToFileURL(file).href);
    await decode(page, SEED, SEED_COUNTS);
    assert.equal(await text(page, '#results .summary'), SEED_SUMMARY);
    await page.waitForFunction(() => document.getElementById('ipranges-status').dataset.source === 'bundled', null, { timeout: WAIT });
    assert.equal(await page.locator('#no-modules').count(), 0);
    await page.screenshot({ path: join(OUT, 'offline-single-file.png') });
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
