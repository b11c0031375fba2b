// Where the AWS address ranges come from: the user's own ip-ranges.json (picked or dropped), a
// refused file, and the last live copy kept in IndexedDB for a visit without the network.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLED_DATE, SEED, WAIT, decode, open, shown, openIn, start, stop, text, until } from './harness.mjs';

// A tiny but valid ip-ranges.json: it makes the seed's 10.0.4.135 an AWS EC2 address in Tokyo
// (and, having nothing else, 15.152.63.145 a plain internet address).
const MINE = JSON.stringify({
  syncToken: '1',
  createDate: '2030-01-01-00-00-00',
  prefixes: [{ ip_prefix: '10.0.4.0/24', region: 'ap-northeast-1', service: 'EC2', network_border_group: 'ap-northeast-1' }],
  ipv6_prefixes: [],
});
const SEED_BUNDLED = '10.0.4.135 (private, in your VPC) sent 1 UDP packet (76 bytes) from port 35098 to NTP (123) at 15.152.63.145 (AWS EC2, Osaka); accepted.';
const SEED_MINE = '10.0.4.135 (AWS EC2, Tokyo) sent 1 UDP packet (76 bytes) from port 35098 to NTP (123) at 15.152.63.145 (public internet); accepted.';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

const json = (name, body) => ({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
const status = (page) => text(page, '#ipranges-status');
const srcValue = (page) => shown(page.locator('#results tr[data-key="srcaddr"] td.value .v'));

async function waitStatus(page, part) {
  await page.waitForFunction((p) => document.getElementById('ipranges-status').textContent.includes(p), part, { timeout: WAIT });
}

/** Drops a file on `selector` as a user's drag and drop does (a real drop event with a DataTransfer). */
async function dropOn(page, selector, { name, body }) {
  const dataTransfer = await page.evaluateHandle(([n, b]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([b], n, { type: 'application/json' }));
    return dt;
  }, [name, body]);
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

/** The copy the worker keeps in IndexedDB (null when none). */
function keptCopy(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('flowlens');
    req.onerror = () => resolve(null);
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('ip-ranges')) return resolve(null);
      const get = db.transaction('ip-ranges').objectStore('ip-ranges').get('last-good');
      get.onsuccess = () => resolve(get.result ? { createDate: get.result.createDate, fetchedAt: get.result.fetchedAt } : null);
      get.onerror = () => resolve(null);
    };
  }));
}

/** Waits until the worker has written the live copy of `createDate` (it does so without blocking). */
async function waitKept(page, createDate) {
  await until(page, async () => (await keptCopy(page))?.createDate === createDate, `a kept copy of ${createDate}`);
}

/** The summaries of the entries on screen, as they are now (no waiting). */
const summaries = (page) => page.locator('#results article.record .summary').evaluateAll((els) => els.map((e) => e.textContent));

/** Waits until the message under the ip-ranges line starts with `part`. */
async function waitMessage(page, part) {
  await page.waitForFunction((p) => document.getElementById('ipranges-message').textContent.startsWith(p), part, { timeout: WAIT });
}

describe('ip-ranges.json sources', () => {
  test('the user\'s own file is used and the breakdown changes; a malformed one is refused', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, SEED, /^1 record/);
      await waitStatus(page, 'bundled snapshot');
      assert.equal(await text(page, '#results .summary'), SEED_BUNDLED);
      assert.equal(await text(page, '#ipranges-open'), 'Use another ip-ranges.json…');
      assert.match(await text(page, '#ipranges-rule'), /\*ip-ranges\*\.json/);

      await page.setInputFiles('#ipranges-file', json('my-ip-ranges.json', MINE));
      // "The breakdown was updated" only once it is: the entries on screen are explained again
      // with the new data (without decoding again) when the message appears.
      await waitMessage(page, 'Now using');
      assert.deepEqual(await summaries(page), [SEED_MINE]);
      assert.equal(await text(page, '#ipranges-message'), 'Now using my-ip-ranges.json; the breakdown was updated.');
      assert.equal(await status(page), 'AWS ip-ranges: your file my-ip-ranges.json, createDate 2030-01-01-00-00-00');
      assert.equal(await page.getAttribute('#ipranges-status', 'data-source'), 'file');
      assert.equal(await srcValue(page), 'AWS EC2, Tokyo');
      const counts = await text(page, '#counts');

      // Not JSON: refused with the reason; the data in use and the breakdown stay.
      await page.setInputFiles('#ipranges-file', json('broken.json', '{"prefixes": ['));
      await page.waitForFunction(() => document.getElementById('ipranges-message').classList.contains('is-error'), null, { timeout: WAIT });
      assert.match(await text(page, '#ipranges-message'),
        /^broken\.json was not used: not a usable ip-ranges\.json: .*\. The AWS ranges in use stay as they were\.$/);
      assert.equal(await status(page), 'AWS ip-ranges: your file my-ip-ranges.json, createDate 2030-01-01-00-00-00');
      assert.equal(await text(page, '#results .summary'), SEED_MINE);
      assert.equal(await text(page, '#counts'), counts);

      // JSON, but not ip-ranges: refused too, naming what is missing.
      await page.setInputFiles('#ipranges-file', json('other.json', '{"hello": "world"}'));
      await page.waitForFunction(() => document.getElementById('ipranges-message').textContent.startsWith('other.json'), null, { timeout: WAIT });
      assert.match(await text(page, '#ipranges-message'), /^other\.json was not used: .*createDate/);
      assert.equal(await status(page), 'AWS ip-ranges: your file my-ip-ranges.json, createDate 2030-01-01-00-00-00');
      assert.equal(await text(page, '#results .summary'), SEED_MINE);

      // In Japanese.
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.getElementById('ipranges-status').textContent.includes('指定されたファイル'), null, { timeout: WAIT });
      assert.equal(await status(page), 'AWS ip-ranges: 指定されたファイル my-ip-ranges.json、createDate 2030-01-01-00-00-00');
      // The refusal shown is said again in Japanese, its reason too.
      assert.equal(await text(page, '#ipranges-message'),
        'other.json は使いませんでした: 使える ip-ranges.json ではありません: 必要な項目 createDate がありません（1 行 18 列）。AWS のアドレス範囲は以前のままです。');
      assert.equal(await text(page, '#ipranges-open'), '別の ip-ranges.json を使う…');
      await page.waitForFunction(() => document.querySelector('#results .summary')?.textContent.includes('東京'), null, { timeout: WAIT });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a refused file\'s reason is in the page\'s language, and follows a change of language', async () => {
    const { page, context, errors } = await open(env, { live: 'abort', locale: 'ja-JP' });
    try {
      await decode(page, SEED, /^レコード 1 件/);
      await page.setInputFiles('#ipranges-file', json('broken.json', '{"prefixes": ['));
      await page.waitForFunction(() => document.getElementById('ipranges-message').classList.contains('is-error'), null, { timeout: WAIT });
      assert.equal(await text(page, '#ipranges-message'),
        'broken.json は使いませんでした: 使える ip-ranges.json ではありません: JSON の途中でファイルが終わっています（1 行 14 列）。AWS のアドレス範囲は以前のままです。');
      await page.selectOption('#lang', 'en');
      await page.waitForFunction(() => document.getElementById('ipranges-message').textContent.startsWith('broken.json was not used'), null, { timeout: WAIT });
      assert.match(await text(page, '#ipranges-message'),
        /^broken\.json was not used: not a usable ip-ranges\.json: EOF while parsing .*\. The AWS ranges in use stay as they were\.$/);
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.getElementById('ipranges-message').textContent.startsWith('broken.json は使いませんでした'), null, { timeout: WAIT });
      assert.match(await text(page, '#ipranges-message'), /JSON の途中でファイルが終わっています/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a dropped *ip-ranges*.json is taken as address ranges, not as flow logs', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, `${SEED}\n${SEED}`, /^2 records/);
      await waitStatus(page, 'bundled snapshot');
      // The Summary section (made by the summary worker) explains its addresses with the same data.
      const summaryAddresses = () => shown(page.locator('#ov-addresses tbody'));
      await until(page, async () => /Osaka/.test(await summaryAddresses()), 'the summary with the bundled data');
      await dropOn(page, '#drop-zone', { name: 'ip-ranges.json', body: MINE });
      await waitMessage(page, 'Now using ip-ranges.json');
      assert.deepEqual(await summaries(page), [SEED_MINE, SEED_MINE]);
      await until(page, async () => /Tokyo/.test(await summaryAddresses()), 'the summary with the user\'s file');
      assert.doesNotMatch(await summaryAddresses(), /Osaka/);
      assert.match(await status(page), /your file ip-ranges\.json/);
      assert.match(await text(page, '#counts'), /^2 records/, 'the logs on screen stay');
      assert.equal(await page.locator('#file-chip').isVisible(), false);

      // On the ip-ranges line, any name will do; a bad one is refused there as well.
      await dropOn(page, '#ipranges-zone', { name: 'ranges-copy.json', body: MINE.replace('2030-01-01', '2031-02-03') });
      await waitStatus(page, 'your file ranges-copy.json, createDate 2031-02-03-00-00-00');
      await waitMessage(page, 'Now using ranges-copy.json');
      assert.deepEqual(await summaries(page), [SEED_MINE, SEED_MINE]);
      await dropOn(page, '#ipranges-zone', { name: 'flows.log', body: SEED });
      await page.waitForFunction(() => document.getElementById('ipranges-message').classList.contains('is-error'), null, { timeout: WAIT });
      assert.match(await text(page, '#ipranges-message'), /^flows\.log was not used: /);
      assert.equal(await status(page), 'AWS ip-ranges: your file ranges-copy.json, createDate 2031-02-03-00-00-00');
      assert.deepEqual(await summaries(page), [SEED_MINE, SEED_MINE]);
      assert.equal(await text(page, '#results article:nth-child(2) .summary'), SEED_MINE);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the last live copy is kept and used on a visit without the network', async () => {
    const context = await env.browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 } });
    try {
      // Later than the bundled snapshot, not in the future: a copy a later visit takes.
      const liveDate = new Date(Date.now() - 3600e3).toISOString().slice(0, 19).replace(/[T:]/g, '-');
      const first = await openIn(env, context, { live: { createDate: liveDate } });
      await waitStatus(first.page, 'live');
      assert.equal(await status(first.page), `AWS ip-ranges: live (ip-ranges.amazonaws.com), createDate ${liveDate}`);
      await waitKept(first.page, liveDate);
      const kept = await keptCopy(first.page);
      assert.ok(Math.abs(kept.fetchedAt - Date.now()) < 60_000);
      assert.deepEqual(first.errors, []);
      await first.page.close();

      // Same browser, no network: the kept copy, with the live file's createDate.
      const second = await openIn(env, context, { live: 'abort' });
      await decode(second.page, SEED, /^1 record/);
      await waitStatus(second.page, 'kept copy');
      assert.match(await status(second.page),
        new RegExp(`^AWS ip-ranges: kept copy from .*\\d{4}.* \\(the live file is unreachable\\), createDate ${liveDate}$`));
      assert.equal(await second.page.getAttribute('#ipranges-status', 'data-source'), 'kept');
      assert.equal(await text(second.page, '#results .summary'), SEED_BUNDLED);
      await second.page.selectOption('#lang', 'ja');
      await second.page.waitForFunction(() => document.getElementById('ipranges-status').textContent.includes('保存したコピー'), null, { timeout: WAIT });
      assert.match(await status(second.page), new RegExp(`createDate ${liveDate}$`));
      assert.deepEqual(second.errors, []);
      await second.page.close();
    } finally {
      await context.close();
    }
  });

  test('a kept copy older than the bundled snapshot is not used', async () => {
    const context = await env.browser.newContext({ locale: 'en-US' });
    try {
      const old = '2001-01-01-00-00-00';
      const first = await openIn(env, context, { live: { createDate: old } });
      await waitStatus(first.page, 'live');
      await waitKept(first.page, old);
      await first.page.close();

      const second = await openIn(env, context, { live: 'abort' });
      await waitStatus(second.page, 'bundled snapshot');
      assert.equal(await status(second.page), `AWS ip-ranges: bundled snapshot, createDate ${BUNDLED_DATE}`);
      assert.deepEqual(second.errors, []);
    } finally {
      await context.close();
    }
  });
});
