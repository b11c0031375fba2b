// Share links: a link made of the input on screen (with the language, the log format, the filters
// and the order) opens the same view in a fresh browser; the warning is shown before the link is
// made; an input too big for a link is refused, saying why; and links that are damaged, forged or
// too big (a deflate bomb among them) leave a page that works, saying the link could not be read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { start, stop, open, openIn, decode, WAIT, OUT } from './harness.mjs';

const DOCS = readFileSync(new URL('../data/aws-docs-examples.log', import.meta.url), 'utf8').trim();
const FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

const b64url = (buf) => Buffer.from(buf).toString('base64url');
/** A fragment as the page makes them, of any payload (an object is written as JSON). */
const fragmentOf = (payload) => `#share=v1.${b64url(deflateRawSync(Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload))))}`;

const records = (page) => page.evaluate(() => document.getElementById('counts').dataset.records);

async function waitShareState(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById('share-message').dataset.state;
    return s && s !== 'opening';
  }, null, { timeout: WAIT });
  return page.evaluate(() => document.getElementById('share-message').dataset.state);
}

/** Opens the share panel and makes the link; returns the link in the field and what the panel says. */
async function makeLink(page) {
  if (await page.locator('#share-panel').isHidden()) await page.click('#share-open');
  await page.locator('#share-warning').waitFor({ state: 'visible', timeout: WAIT });
  await page.click('#share-make');
  await page.waitForFunction(() => document.getElementById('share-status').textContent !== '', null, { timeout: WAIT });
  return {
    link: await page.inputValue('#share-link'),
    said: await page.textContent('#share-status'),
    error: await page.evaluate(() => document.getElementById('share-status').classList.contains('is-error')),
    rowShown: await page.locator('#share-link-row').isVisible(),
  };
}

test('a share link round trip: input, Japanese, format, filter and order restored in a fresh browser', async () => {
  const context = await env.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.server.url).origin });
  const { page, errors } = await openIn(env, context);
  try {
    // Nothing decoded yet: nothing to share.
    assert.equal(await page.locator('#share-open').isDisabled(), true);
    await decode(page, DOCS, /^7 records/);
    assert.equal(await page.locator('#share-open').isDisabled(), false);
    await page.selectOption('#lang', 'ja');
    await page.waitForFunction(() => document.documentElement.lang === 'ja', null, { timeout: WAIT });
    await page.fill('#format', FORMAT);
    await page.press('#format', 'Enter');
    await page.waitForFunction(() => /適用しました/.test(document.getElementById('format-status').textContent), null, { timeout: WAIT });
    await page.selectOption('#sort', 'bytes:desc');
    await page.fill('#filter', 'action=REJECT');
    await page.press('#filter', 'Enter');
    await page.waitForFunction(() => document.getElementById('explore').dataset.filter === 'action=REJECT', null, { timeout: WAIT });
    const count = await page.evaluate(() => document.getElementById('explore').dataset.count);
    assert.equal(count, '2');

    // The warning is there before the link is made, in Japanese.
    await page.click('#share-open');
    assert.equal(await page.getAttribute('#share-open', 'aria-expanded'), 'true');
    assert.match(await page.textContent('#share-warning'), /アカウント ID やアドレス.*誰でも.*# より後ろの部分はブラウザー内/);
    assert.equal(await page.locator('#share-warning').isVisible(), true);
    assert.equal(await page.locator('#share-link-row').isVisible(), false);
    await page.screenshot({ path: `${OUT}share-ja.png` });

    const made = await makeLink(page);
    assert.equal(made.error, false, made.said);
    assert.match(made.said, /クリップボードにコピーしました/);
    assert.equal(made.rowShown, true);
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clip, made.link);
    const url = new URL(made.link);
    assert.match(url.hash, /^#share=v1\.[A-Za-z0-9_-]+$/);
    // Nothing of the input in the clear, and nothing before the fragment changed.
    assert.equal(made.link.includes('eni-'), false);
    assert.equal(url.href.split('#')[0], page.url().split('#')[0]);
    assert.deepEqual(errors, []);

    // A fresh browser (no storage of the first one), its language English.
    const other = await open(env, { path: made.link.slice(env.server.url.length) });
    try {
      const p = other.page;
      assert.equal(await waitShareState(p), 'opened');
      await p.waitForFunction(() => document.getElementById('explore').dataset.filter === 'action=REJECT', null, { timeout: WAIT });
      assert.equal(await records(p), '7');
      assert.equal(await p.inputValue('#input'), DOCS);
      assert.equal(await p.getAttribute('html', 'lang'), 'ja');
      assert.equal(await p.inputValue('#lang'), 'ja');
      assert.equal(await p.inputValue('#format'), FORMAT);
      assert.equal(await p.inputValue('#sort'), 'bytes:desc');
      assert.equal(await p.evaluate(() => document.getElementById('explore').dataset.count), count);
      assert.match(await p.textContent('#share-message'), /共有リンクから開きました/);
      assert.match(await p.textContent('#results-heading'), /解析結果/);
      // The fragment left the address bar; the link's language and format were not remembered.
      assert.equal(new URL(p.url()).hash, '');
      assert.deepEqual(await p.evaluate(() => [localStorage.getItem('flowlens.lang'), localStorage.getItem('flowlens.format')]), [null, null]);
      // The page goes on working: Example decodes.
      await p.click('#example');
      await p.waitForFunction(() => document.getElementById('counts').dataset.lines === '4', null, { timeout: WAIT });
      assert.deepEqual(other.errors, []);

      // A link pasted into the address bar of an open tab changes only the fragment: read too.
      await p.evaluate((h) => {
        document.getElementById('share-message').dataset.state = 'opening';
        location.hash = h;
      }, url.hash);
      assert.equal(await waitShareState(p), 'opened');
      assert.equal(await records(p), '7');
      assert.equal(await p.evaluate(() => document.getElementById('explore').dataset.filter), 'action=REJECT');
      assert.deepEqual(other.errors, []);
    } finally {
      await other.context.close();
    }
  } finally {
    await context.close();
  }
});

test('the warning in English, and the link shown to copy by hand when the clipboard refuses', async () => {
  const { page, context, errors } = await open(env, {
    route: (p) => p.addInitScript(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    }),
  });
  try {
    await decode(page, DOCS, /^7 records/);
    await page.click('#share-open');
    const warning = await page.textContent('#share-warning');
    assert.equal(warning, 'This link contains your log lines (account IDs, addresses). Anyone with the link can read them. It is never sent to flowlens’s server: the part after # stays in the browser.');
    assert.match(await page.textContent('#share-what'), /at most 32\.0 KB once compressed/);
    const made = await makeLink(page);
    assert.match(made.said, /did not let the page copy/);
    assert.equal(made.rowShown, true);
    assert.match(made.link, /#share=v1\./);
    // The field is focused and its whole text selected, ready for Ctrl+C.
    const sel = await page.evaluate(() => {
      const f = document.getElementById('share-link');
      return { focused: document.activeElement === f, start: f.selectionStart, end: f.selectionEnd, length: f.value.length, readOnly: f.readOnly };
    });
    assert.deepEqual(sel, { focused: true, start: 0, end: sel.length, length: sel.length, readOnly: true });
    await page.screenshot({ path: `${OUT}share-en.png` });
    // Closing the panel forgets the link.
    await page.click('#share-close');
    assert.equal(await page.locator('#share-panel').isHidden(), true);
    assert.equal(await page.inputValue('#share-link'), '');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the share panel in dark Japanese on a phone', async () => {
  const context = await env.browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 }, colorScheme: 'dark', serviceWorkers: 'block' });
  const { page, errors } = await openIn(env, context);
  try {
    await page.click('#example');
    await page.waitForFunction(() => document.getElementById('counts').dataset.lines === '4', null, { timeout: WAIT });
    await page.click('#share-open');
    await page.click('#share-make');
    await page.waitForFunction(() => document.getElementById('share-status').textContent !== '', null, { timeout: WAIT });
    await page.locator('#share-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}share-ja-dark-phone.png` });
    // The page body does not overflow sideways with the long link in it.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** Log lines that barely compress: random addresses, ports and counts (mulberry32, seeded). */
function noisyLines(n) {
  let seed = 12345;
  const rnd = (m) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * m | 0;
  };
  const hex = (digits) => Array.from({ length: digits }, () => rnd(16).toString(16)).join('');
  const lines = [];
  for (let i = 0; i < n; i++) {
    const ip = () => `${rnd(223) + 1}.${rnd(256)}.${rnd(256)}.${rnd(256)}`;
    const t = 1744520000 + rnd(100000);
    lines.push(`2 ${100000000000 + rnd(899999999)} eni-${hex(17)} ${ip()} ${ip()} ${rnd(65536)} ${rnd(65536)} 6 ${rnd(1000)} ${rnd(10000000)} ${t} ${t + 60} ${rnd(2) ? 'ACCEPT' : 'REJECT'} OK`);
  }
  return lines.join('\n');
}

/** Decodes a large `text` (set at once: typing a megabyte into the box takes Playwright too long). */
async function decodeLarge(page, text, countsPattern) {
  await page.evaluate((t) => {
    document.getElementById('input').value = t;
  }, text);
  await page.press('#input', 'Control+Enter');
  await page.waitForFunction(
    ([src]) => new RegExp(src).test(document.getElementById('counts').textContent),
    [countsPattern.source], { timeout: WAIT },
  );
}

test('an input too big for a link is refused, saying why', async () => {
  const { page, context, errors } = await open(env);
  try {
    // Too big once compressed.
    await decodeLarge(page, noisyLines(3000), /^3,000 records/);
    let made = await makeLink(page);
    assert.equal(made.error, true);
    assert.match(made.said, /^This input is too big for a link: \d+(\.\d+)? KB once compressed, and a link holds at most 32\.0 KB\. A link carries the input itself \(nothing is stored on a server\)/);
    assert.equal(made.rowShown, false);
    assert.equal(made.link, '');
    // Said again in Japanese.
    await page.selectOption('#lang', 'ja');
    await page.waitForFunction(() => /大きすぎます/.test(document.getElementById('share-status').textContent), null, { timeout: WAIT });
    await page.selectOption('#lang', 'en');
    // Too big to be compressed at all.
    await page.click('#share-close');
    await decodeLarge(page, noisyLines(10000), /^10,000 records/);
    made = await makeLink(page);
    assert.equal(made.error, true);
    assert.match(made.said, /^This input is too big for a link: it is \d+(\.\d+)? MB, and a link holds at most 1\.00 MB once expanded/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

const GOOD = { t: 'x', l: 'en', f: '', q: [], o: '' };

// Links that must not be used, and the reason the page gives.
const BAD = [
  ['another version', '#share=v9.AAAA', /another version of flowlens/],
  ['no version', '#share=', /another version of flowlens/],
  ['not base64url', '#share=v1.%%%not*base64', /damaged/],
  ['one char too many for base64', '#share=v1.AAAAA', /damaged/],
  ['not deflate', `#share=v1.${b64url(Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0x00, 0x11]))}`, /damaged/],
  ['cut short', fragmentOf({ ...GOOD, t: DOCS }).slice(0, 60), /damaged/],
  // 30 MB of one letter: about 29 KB once compressed, within a link's size, inflating far past 1 MB.
  ['a deflate bomb', `#share=v1.${b64url(deflateRawSync(Buffer.alloc(30_000_000, 0x61), { level: 9 }))}`, /more than a flowlens link may/],
  ['longer than any link', `#share=v1.${'A'.repeat(60_000)}`, /more than a flowlens link may/],
  ['not JSON', fragmentOf('{"t": "x", oops'), /not what flowlens puts in a link/],
  ['not UTF-8', `#share=v1.${b64url(deflateRawSync(Buffer.from([0x22, 0xc3, 0x28, 0x22])))}`, /not what flowlens puts in a link/],
  ['JSON of another shape', fragmentOf([1, 2, 3]), /not what flowlens puts in a link/],
  ['text of a wrong type', fragmentOf({ ...GOOD, t: 5 }), /not what flowlens puts in a link/],
  ['filters of a wrong type', fragmentOf({ ...GOOD, q: 'action=REJECT' }), /not what flowlens puts in a link/],
  ['a filter of a wrong type', fragmentOf({ ...GOOD, q: [{ toString: 1 }] }), /not what flowlens puts in a link/],
  ['an unknown order', fragmentOf({ ...GOOD, o: 'srcaddr' }), /not what flowlens puts in a link/],
  ['an unknown language', fragmentOf({ ...GOOD, l: 'fr' }), /its language is not one of this page’s/],
  ['a prototype key as language', fragmentOf({ ...GOOD, l: '__proto__' }), /its language is not one of this page’s/],
];

for (const [name, fragment, why] of BAD) {
  test(`a bad share link (${name}) leaves a working page that says it could not be read`, async () => {
    assert.ok(fragment.length < 60_100, `${name}: ${fragment.length} characters`);
    const { page, context, errors } = await open(env, { path: fragment });
    try {
      assert.equal(await waitShareState(page), 'bad');
      const said = await page.textContent('#share-message');
      assert.match(said, /^This shared link could not be read: /);
      assert.match(said, why);
      assert.match(said, /The page started without it\.$/);
      assert.equal(await page.evaluate(() => document.getElementById('share-message').classList.contains('is-error')), true);
      assert.equal(new URL(page.url()).hash, '');
      await page.click('#example');
      await page.waitForFunction(() => document.getElementById('counts').dataset.lines === '4', null, { timeout: WAIT });
      assert.equal(await records(page), '4');
      // Said again in Japanese.
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => /この共有リンクは読み取れませんでした/.test(document.getElementById('share-message').textContent), null, { timeout: WAIT });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('a link whose format or filter the page refuses opens its input, and says where the fault is', async () => {
  const fragment = fragmentOf({ t: DOCS, l: 'en', f: '${version} ${account-id', q: ['action=REJECT', 'dstport >> 22', 'protocol=6'], o: 'start' });
  const { page, context, errors } = await open(env, { path: fragment });
  try {
    assert.equal(await waitShareState(page), 'partly');
    assert.match(await page.textContent('#share-message'), /part of it could not be used/);
    assert.equal(await records(page), '7');
    // The format box says what it always says of a format it cannot read; the format finder decoded.
    assert.match(await page.textContent('#format-status'), /^Not a format: /);
    // The filters that parse are applied; the first that does not is in the box, its fault marked.
    assert.equal(await page.evaluate(() => document.getElementById('explore').dataset.filter), '(action=REJECT) and (protocol=6)');
    assert.equal(await page.inputValue('#filter'), 'dstport >> 22');
    assert.equal(await page.getAttribute('#filter', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#filter-status'), /dstport >> 22/);
    assert.equal(await page.inputValue('#sort'), 'start');
    await page.click('#example');
    await page.waitForFunction(() => document.getElementById('counts').dataset.lines === '4', null, { timeout: WAIT });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a fragment that is not a share link is left alone', async () => {
  const { page, context, errors } = await open(env, { path: '#reference' });
  try {
    await page.click('#example');
    await page.waitForFunction(() => document.getElementById('counts').dataset.lines === '4', null, { timeout: WAIT });
    assert.equal(await page.textContent('#share-message'), '');
    assert.equal(new URL(page.url()).hash, '#reference');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a share link opens offline through the service worker', async () => {
  const context = await env.browser.newContext({ locale: 'en-US', serviceWorkers: 'allow', viewport: { width: 1100, height: 800 } });
  await context.route('https://ip-ranges.amazonaws.com/**', (route) => route.abort('internetdisconnected'));
  const pageErrors = [];
  context.on('weberror', (e) => pageErrors.push(`weberror: ${e.error().message}`));
  try {
    const page = await context.newPage();
    await page.goto(env.server.url);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: WAIT });
    await context.setOffline(true);
    const link = `${env.server.url}${fragmentOf({ t: DOCS, l: 'ja', f: '', q: ['action=REJECT'], o: '' })}`;
    const other = await context.newPage();
    await other.goto(link);
    assert.equal(await waitShareState(other), 'opened');
    assert.equal(await records(other), '7');
    assert.equal(await other.evaluate(() => document.getElementById('explore').dataset.filter), 'action=REJECT');
    assert.equal(await other.getAttribute('html', 'lang'), 'ja');
    assert.equal(await other.evaluate(() => !!navigator.serviceWorker.controller), true);
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});
