// Shared set-up of the end-to-end tests: one Chromium and one static server per test file,
// a fresh context per page, and a record of every console error, page error and request.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve, WWW } from './server.mjs';

export const OUT = fileURLToPath(new URL('./out/', import.meta.url));
mkdirSync(OUT, { recursive: true });

export const LIVE_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';
export const BUNDLED_JSON = readFileSync(join(WWW, 'data', 'ip-ranges.json'), 'utf8');
export const BUNDLED_DATE = JSON.parse(BUNDLED_JSON).createDate;

export const SEED =
  '2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts the browser and the server (served at a sub-path, as on GitHub Pages). */
export async function start() {
  const server = await serve({ prefix: '/flowlens/' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  return { server, browser };
}

export async function stop({ server, browser }) {
  await browser?.close();
  await server?.close();
}

/**
 * The live ip-ranges endpoint, as tests want it (the machine has no internet):
 * 'abort' fails the request; {createDate} serves the bundled file with another createDate;
 * 'hang' never answers; 'same' serves the bundled file as is.
 */
async function routeLive(page, live) {
  await page.route('https://ip-ranges.amazonaws.com/**', async (route) => {
    if (live === 'abort') return route.abort('internetdisconnected');
    if (live === 'hang') return; // neither fulfilled nor aborted: the page's timeout must act
    let body = BUNDLED_JSON;
    if (live && live.createDate) {
      const json = JSON.parse(BUNDLED_JSON);
      json.createDate = live.createDate;
      body = JSON.stringify(json);
    }
    return route.fulfill({
      status: 200,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' },
      body,
    });
  });
}

/**
 * Opens the page in a fresh context. Returns {page, context, errors, requests, dialogs}.
 * `recordMode`: the records' mode the page starts in ('full', 'compact'; null: its default).
 * `errors` gets console errors and page errors, except the failed live ip-ranges request when
 * `live` is 'abort' (matched by its exact URL). `route(page)` may add routes before the page loads.
 * `contextOptions` go to Playwright's newContext as they are (such as `timezoneId`).
 */
export async function open(env, { locale = 'en-US', contextOptions = {}, recordMode = 'full', ...opts } = {}) {
  // No service worker: once installed it answers the page's requests from its cache, where a
  // test's page.route would not see them (offline.test.mjs tests it, in contexts of its own).
  const context = await env.browser.newContext({ locale, viewport: { width: 1200, height: 900 }, serviceWorkers: 'block', ...contextOptions });
  // Records in full (their field tables shown), as the tests that read the tables want, unless a
  // choice was made in the page since (view.test.mjs tests the modes; null: the page's default).
  if (recordMode) {
    await context.addInitScript((mode) => {
      try {
        if (localStorage.getItem('flowlens.recordMode') === null) localStorage.setItem('flowlens.recordMode', mode);
      } catch {
        // no storage: the page's default
      }
    }, recordMode);
  }
  return openIn(env, context, opts);
}

/** Like `open`, in an existing context (whose storage, such as IndexedDB, a test wants to keep). */
export async function openIn(env, context, { live = 'same', path = '', route } = {}) {
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  const dialogs = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location()?.url;
    const isAbortedLive = live === 'abort' && (url === LIVE_URL || msg.text().includes(LIVE_URL));
    if (!isAbortedLive) errors.push(`console: ${msg.text()} (${url || '?'})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  await routeLive(page, live);
  if (route) await route(page);
  await page.goto(env.server.url + path);
  return { page, context, errors, requests, dialogs };
}

// How long a test waits for a state the page reaches by itself (a worker round trip, a decode, a
// re-render): generous, since CI machines are slower and shared. Tests wait for states, never for time.
export const WAIT = 30000;

// Entries rendered at first (main.js's PAGE).
export const PAGE = 200;

/**
 * Puts `text` in the input, decodes with Ctrl+Enter, waits for the counts of exactly this text
 * (`countsPattern` must not match the counts shown before), then for all of its first page of
 * entries: a long page goes on rendering a slice per frame after the counts are shown.
 */
export async function decode(page, text, countsPattern) {
  await page.fill('#input', text);
  await page.press('#input', 'Control+Enter');
  await page.waitForFunction(
    ([src, flags]) => new RegExp(src, flags).test(document.getElementById('counts').textContent),
    [countsPattern.source, countsPattern.flags],
    { timeout: WAIT },
  );
  await entriesShown(page);
}

/**
 * Waits until `#results` holds the whole first page of the input whose counts are shown (its
 * records and errors, at most PAGE). Call it once the counts of the expected input are on screen.
 */
export async function entriesShown(page) {
  await page.waitForFunction((max) => {
    const c = document.getElementById('counts').dataset;
    const want = Math.min(max, Number(c.records) + Number(c.errors));
    return document.querySelectorAll('#results article.entry').length === want;
  }, PAGE, { timeout: WAIT });
}

/** Polls `check` (run in Node, may be async) until it is true; throws `message` after `timeout` ms. */
export async function until(page, check, message, timeout = WAIT) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms: ${message}`);
    await page.waitForTimeout(50);
  }
}

// Entries off screen are not rendered (content-visibility: auto), so they have no innerText:
// what a test reads is first brought on screen, as a user would scroll to it.
export async function shown(locator) {
  // Scrolled to, then read in the same turn as the check that the browser renders it: an entry
  // off screen is skipped (`content-visibility: auto`) until the next rendering update, and so is
  // an entry just rendered again (another language); a skipped element's text reads as empty.
  // An empty read is tried again (the locator then finds the element anew, in case it was
  // replaced), up to 20 times.
  for (let attempt = 0; ; attempt++) {
    const t = await locator.evaluate((e) => new Promise((resolve) => {
      e.scrollIntoView({ block: 'center' });
      let frames = 0;
      const read = () => {
        if (e.checkVisibility({ contentVisibilityAuto: true }) || ++frames > 10) resolve(e.innerText);
        else requestAnimationFrame(read);
      };
      requestAnimationFrame(read);
    }));
    if (t !== '' || attempt >= 20) return t;
  }
}
export const text = (page, selector) => shown(page.locator(selector));

/**
 * Files named stall*: the page reads their first slice and then waits for ever for the next one,
 * as a slow disk or a large file would, until the read is cancelled or stopped. (The page reads a
 * file with `stream()` where it can, else `slice().arrayBuffer()`: see file-reader.js.)
 */
export async function stallReads(page) {
  await page.evaluate(() => {
    const { slice, stream } = Blob.prototype;
    Blob.prototype.stream = function () {
      if (this.name?.startsWith('stall')) throw new Error('no stream for this test');
      return stream.call(this);
    };
    Blob.prototype.slice = function (at, ...rest) {
      const part = slice.call(this, at, ...rest);
      if (this.name?.startsWith('stall') && at > 0) part.arrayBuffer = () => new Promise(() => {});
      return part;
    };
  });
}

/** Waits for the Summary of an input of `records` records in `lang`, drawn with its tables. */
export async function summaryOf(page, records, lang = 'en') {
  await page.waitForFunction(([n, l]) => {
    const s = document.getElementById('summary');
    return !s.hidden && !s.classList.contains('is-stale') && s.dataset.records === String(n) && document.documentElement.lang === l
      && s.querySelector('.ov-table') !== null;
  }, [records, lang], { timeout: WAIT });
}

// A full-page screenshot shows every entry as printing does (entries off screen are otherwise not
// rendered).
export async function fullShot(page, path) {
  await page.emulateMedia({ media: 'print' });
  try {
    await page.screenshot({ path, fullPage: true });
  } finally {
    await page.emulateMedia({ media: null });
  }
}

/**
 * Runs axe-core (the dev dependency) on the whole page; resolves with its violations, each as
 * {id, impact, help, nodes: [{target, summary}]}. The page's Content-Security-Policy refuses the
 * injected script: the context must be made with `bypassCSP: true`.
 */
export async function axeScan(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  }
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
}

/** Prints every violation of an axe scan; returns the serious and critical ones, as text. */
export function axeReport(label, violations) {
  const bad = [];
  for (const v of violations) {
    const line = `${label}: ${v.impact} ${v.id} (${v.nodes.length}): ${v.help}`;
    const where = v.nodes.slice(0, 6).map((n) => `    ${n.target}\n      ${String(n.summary).replace(/\n/g, '\n      ')}`).join('\n');
    console.log(`${line}\n${where}`);
    if (v.impact === 'serious' || v.impact === 'critical') bad.push(`${line}\n${where}`);
  }
  if (!violations.length) console.log(`${label}: no violations`);
  return bad;
}
