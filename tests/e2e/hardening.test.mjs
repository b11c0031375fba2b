// What the page trusts from storage (shared by every page of the origin: on GitHub Pages, every
// project of a user), and what its workers can reach: a poisoned kept ip-ranges copy, a saved
// language or format that is not one, and the workers' lockdown (blob: workers under the page's
// CSP, with no network API but their own).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLED_DATE, BUNDLED_JSON, SEED, WAIT, decode, open, openIn, start, stop, text, until } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

// A record from 8.8.8.8 (Google's resolver, never AWS's) to an address of the VPC.
const FROM_GOOGLE = '2 654654279488 eni-01f35fc1a2377de36 8.8.8.8 10.0.4.135 53 35098 17 1 76 1744521785 1744521793 ACCEPT OK';

/** ip-ranges.json text: the bundled file with another createDate and, maybe, more prefixes. */
function rangesText({ createDate, extra = [] }) {
  const json = JSON.parse(BUNDLED_JSON);
  json.createDate = createDate;
  json.prefixes.push(...extra);
  return JSON.stringify(json);
}

/** A createDate `ms` from now (UTC), as AWS writes it. */
function dateFromNow(ms) {
  const d = new Date(Date.now() + ms).toISOString(); // 2026-12-03T13:12:40.123Z
  return `${d.slice(0, 10)}-${d.slice(11, 13)}-${d.slice(14, 16)}-${d.slice(17, 19)}`;
}

/** Writes `copy` where the decoding worker keeps its last good ip-ranges (workers/ipranges.js). */
function writeKept(page, copy) {
  return page.evaluate((c) => new Promise((resolve, reject) => {
    const req = indexedDB.open('flowlens', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('ip-ranges');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction('ip-ranges', 'readwrite');
      tx.objectStore('ip-ranges').put(c, 'last-good');
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), copy);
}

/** The createDate of the kept copy, or null when there is none. */
function keptDate(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('flowlens');
    req.onerror = () => resolve(null);
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('ip-ranges')) return resolve(null);
      const get = db.transaction('ip-ranges').objectStore('ip-ranges').get('last-good');
      get.onsuccess = () => resolve(get.result ? String(get.result.createDate) : null);
      get.onerror = () => resolve(null);
    };
  }));
}

async function waitStatus(page, part) {
  await page.waitForFunction((p) => document.getElementById('ipranges-status').textContent.includes(p), part, { timeout: WAIT });
}

/**
 * In a fresh context: a first page (no network) writes `copy` as the kept ip-ranges; a second one,
 * still without the network, is returned with its context (the caller closes it).
 */
async function visitWithKept(copy) {
  const context = await env.browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 } });
  const first = await openIn(env, context, { live: 'abort' });
  await waitStatus(first.page, 'bundled snapshot');
  await writeKept(first.page, copy);
  await first.page.close();
  const second = await openIn(env, context, { live: 'abort' });
  return { context, ...second };
}

const REFUSED = 'The copy of AWS ip-ranges kept from an earlier visit was not used, and was deleted: ';

describe('the kept ip-ranges copy is checked before it is used', () => {
  test('a poisoned copy (0.0.0.0/0 as AMAZON, createDate 9999) is refused and deleted; 8.8.8.8 stays off AWS', async () => {
    const poisoned = rangesText({
      createDate: '9999-12-31-23-59-59',
      extra: [{ ip_prefix: '0.0.0.0/0', region: 'us-east-1', service: 'AMAZON', network_border_group: 'us-east-1' }],
    });
    const { context, page, errors } = await visitWithKept({ text: poisoned, createDate: '9999-12-31-23-59-59', syncToken: '1', fetchedAt: Date.now() });
    try {
      await waitStatus(page, 'bundled snapshot');
      assert.equal(await text(page, '#ipranges-status'), `AWS ip-ranges: bundled snapshot, createDate ${BUNDLED_DATE}`);
      await page.waitForFunction((p) => document.getElementById('ipranges-message').textContent.startsWith(p), REFUSED, { timeout: WAIT });
      const message = await text(page, '#ipranges-message');
      assert.match(message, /'0\.0\.0\.0\/0' is too wide/);
      assert.equal(await page.getAttribute('#ipranges-message', 'class'), 'is-error');
      assert.equal(await keptDate(page), null, 'the refused copy is deleted');
      await decode(page, FROM_GOOGLE, /^1 record/);
      const summary = await text(page, '#results .summary');
      assert.match(summary, /^8\.8\.8\.8 \(public internet\)/);
      assert.doesNotMatch(summary, /8\.8\.8\.8 \(AWS/);
      // In Japanese too, the reason from Rust included.
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.getElementById('ipranges-message').textContent.includes('削除しました'), null, { timeout: WAIT });
      assert.match(await text(page, '#ipranges-message'), /広すぎます/);
      assert.deepEqual(errors, []);
    } finally {
      await page.selectOption('#lang', 'en').catch(() => {});
      await context.close();
    }
  });

  test('a copy dated in the future, or older than the bundled snapshot, is refused with the reason', async () => {
    const future = dateFromNow(3 * 24 * 3600e3);
    const older = '2001-01-01-00-00-00';
    for (const [createDate, reason] of [
      [future, `its createDate ${future} is in the future.`],
      [older, `its createDate ${older} is older than the bundled snapshot's (${BUNDLED_DATE}).`],
    ]) {
      // The stored record's createDate says nothing: what counts is the file's own.
      const { context, page, errors } = await visitWithKept({ text: rangesText({ createDate }), createDate: BUNDLED_DATE, fetchedAt: Date.now() });
      try {
        await waitStatus(page, 'bundled snapshot');
        await page.waitForFunction((p) => document.getElementById('ipranges-message').textContent.startsWith(p), REFUSED, { timeout: WAIT });
        assert.equal(await text(page, '#ipranges-message'), REFUSED + reason);
        assert.equal(await keptDate(page), null);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  });

  test('a good kept copy (later than the bundled one, not in the future) is used', async () => {
    const createDate = dateFromNow(-3600e3);
    assert.ok(createDate > BUNDLED_DATE, 'the machine\'s clock is later than the bundled snapshot');
    const { context, page, errors } = await visitWithKept({ text: rangesText({ createDate }), createDate, syncToken: '1', fetchedAt: Date.now() - 3600e3 });
    try {
      await waitStatus(page, 'kept copy');
      assert.match(await text(page, '#ipranges-status'), new RegExp(`^AWS ip-ranges: kept copy from .* createDate ${createDate}$`));
      assert.equal(await text(page, '#ipranges-message'), '');
      assert.equal(await keptDate(page), createDate);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('saved settings are checked against what they may be', () => {
  test('a saved language that is no language (constructor, __proto__, toString) falls back to the browser\'s', async () => {
    for (const saved of ['constructor', '__proto__', 'toString']) {
      const context = await env.browser.newContext({ locale: 'en-US' });
      try {
        await context.addInitScript((v) => {
          if (!sessionStorage.getItem('seeded')) {
            localStorage.setItem('flowlens.lang', v);
            sessionStorage.setItem('seeded', '1');
          }
        }, saved);
        const { page, errors } = await openIn(env, context, { live: 'abort' });
        await decode(page, SEED, /^1 record/);
        assert.equal(await page.inputValue('#lang'), 'en', saved);
        assert.equal(await text(page, '.lang-pick span'), 'Language', saved);
        assert.match(await text(page, '#ipranges-status'), /^AWS ip-ranges: /, saved);
        // Forgotten (the page then saves the language it shows).
        assert.ok([null, 'en'].includes(await page.evaluate(() => localStorage.getItem('flowlens.lang'))), saved);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  });

  test('a remembered format of 10,000 names is refused with a message, and the page decodes at once', async () => {
    const context = await env.browser.newContext({ locale: 'en-US' });
    try {
      const huge = Array.from({ length: 10_000 }, () => '${version}').join(' ');
      await context.addInitScript((v) => {
        if (!sessionStorage.getItem('seeded')) {
          localStorage.setItem('flowlens.format', v);
          sessionStorage.setItem('seeded', '1');
        }
      }, huge);
      const t0 = Date.now();
      const { page, errors } = await openIn(env, context, { live: 'abort' });
      await page.waitForFunction(() => document.getElementById('format-status').textContent.startsWith('The format remembered'), null, { timeout: WAIT });
      assert.equal(await text(page, '#format-status'),
        'The format remembered from an earlier visit was not used, and was forgotten: it is 108 KB long (a format is at most 4 KB).');
      assert.equal(await page.inputValue('#format'), '');
      assert.equal(await page.evaluate(() => localStorage.getItem('flowlens.format')), null);
      await decode(page, SEED, /^1 record/);
      assert.ok(Date.now() - t0 < WAIT, 'decoded promptly');
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.getElementById('format-status').textContent.includes('消去しました'), null, { timeout: WAIT });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a remembered format of more than 200 fields is refused too', async () => {
    const context = await env.browser.newContext({ locale: 'en-US' });
    try {
      await context.addInitScript(() => {
        if (!sessionStorage.getItem('seeded')) {
          localStorage.setItem('flowlens.format', Array.from({ length: 300 }, () => 'x').join(' '));
          sessionStorage.setItem('seeded', '1');
        }
      });
      const { page, errors } = await openIn(env, context, { live: 'abort' });
      await page.waitForFunction(() => document.getElementById('format-status').textContent.startsWith('The format remembered'), null, { timeout: WAIT });
      assert.equal(await text(page, '#format-status'),
        'The format remembered from an earlier visit was not used, and was forgotten: it has 300 fields (a format has at most 200).');
      await decode(page, SEED, /^1 record/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('the workers cannot reach the network', () => {
  test('each worker is a blob: worker under the page\'s CSP, with no fetch, XMLHttpRequest, WebSocket, EventSource or importScripts', async () => {
    const { page, context, errors, requests } = await open(env, { live: 'abort' });
    try {
      const contextRequests = [];
      context.on('request', (r) => contextRequests.push(r.url()));
      await decode(page, SEED, /^1 record/);
      await until(page, async () => page.workers().length === 2, 'both workers');
      for (const worker of page.workers()) {
        assert.match(worker.url(), /^blob:http:\/\/127\.0\.0\.1:\d+\//);
        const got = await worker.evaluate(async () => {
          const attempt = async (f) => {
            try {
              await f();
              return 'ran';
            } catch (e) {
              return e.name;
            }
          };
          // Looked up afresh each time, as hostile code would.
          const g = globalThis;
          return {
            fetch: await attempt(() => g.fetch('https://example.com/')),
            fetchProto: (() => { for (let o = Object.getPrototypeOf(g); o; o = Object.getPrototypeOf(o)) if (Object.hasOwn(o, 'fetch')) return 'found'; return 'gone'; })(),
            xhr: await attempt(() => {
              const x = new g.XMLHttpRequest();
              x.open('GET', 'https://example.com/');
              x.send();
            }),
            webSocket: await attempt(() => new g.WebSocket('wss://example.com/')),
            eventSource: await attempt(() => new g.EventSource('https://example.com/')),
            importScripts: await attempt(() => g.importScripts('https://example.com/x.js')),
            // The page's CSP holds inside a blob: worker: no code from strings (seen with a string
            // timer: code run by DevTools, as this is, may eval, and its import() is not checked).
            stringTimer: await new Promise((resolve) => {
              try {
                setTimeout('globalThis.fromString = 1', 0);
              } catch (e) {
                resolve(e.name);
              }
              setTimeout(() => resolve(globalThis.fromString === 1 ? 'ran' : 'blocked'), 100);
            }),
            reassign: await attempt(() => { g.fetch = () => 'mine'; if (g.fetch() === 'mine') throw new Error('reassigned'); }),
          };
        });
        assert.deepEqual(got, {
          fetch: 'TypeError', fetchProto: 'gone', xhr: 'TypeError', webSocket: 'TypeError', eventSource: 'TypeError',
          importScripts: 'TypeError', stringTimer: 'blocked', reassign: 'TypeError',
        }, worker.url());
      }
      // The page still works: decoding with the ip-ranges the worker fetched through its own way.
      await decode(page, FROM_GOOGLE, /^1 record/);
      await page.waitForTimeout(200);
      const all = [...requests.map((r) => r.url()), ...contextRequests];
      assert.deepEqual(all.filter((u) => u.includes('example.com')), []);
      assert.deepEqual(errors.filter((e) => !/example\.com|Content Security Policy|Refused/.test(e)), []);
    } finally {
      await context.close();
    }
  });

  test('the server sends the headers a host should (CSP with frame-ancestors, nosniff, no-referrer), and the page works with them', async () => {
    const { page, context, errors } = await open(env, { live: { createDate: dateFromNow(-60e3) } });
    try {
      const res = await page.request.get(env.server.url);
      const h = res.headers();
      assert.match(h['content-security-policy'], /frame-ancestors 'none'/);
      assert.match(h['content-security-policy'], /worker-src 'self' blob:/);
      assert.equal(h['x-content-type-options'], 'nosniff');
      assert.equal(h['referrer-policy'], 'no-referrer');
      await waitStatus(page, 'live');
      await decode(page, SEED, /^1 record/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
