// What the page explains beyond each field: hints under the summary (a likely scan, a network ACL),
// client/server and request/reply badges, the interface's own address, and the owner, enclosing
// AWS prefixes and zone of an address. Screenshots of a mixed input go to tests/e2e/out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OUT, WAIT, decode, fullShot, open, shown, start, stop, text } from './harness.mjs';

const DOCS_EXAMPLES = readFileSync(fileURLToPath(new URL('../data/aws-docs-examples.log', import.meta.url)), 'utf8').split('\n');
// AWS's documentation example of an ICMP ping accepted in and its reply rejected out (lines 5 and 6).
const ICMP_PAIR = [DOCS_EXAMPLES[4], DOCS_EXAMPLES[5]];
// A connection attempt from the internet to SSH, rejected: the trace of a scan.
const SCAN = '2 123456789010 eni-1235b8ca123456789 45.33.32.156 172.31.16.139 51515 22 6 1 44 1432917027 1432917142 REJECT OK';
// An instance's HTTPS request to an AWS address and its reply.
const ENI = 'eni-0a1b2c3d4e5f60718';
const REQUEST = `2 123456789010 ${ENI} 10.0.1.15 52.95.110.1 49152 443 6 10 1500 1700000000 1700000060 ACCEPT OK`;
const REPLY = `2 123456789010 ${ENI} 52.95.110.1 10.0.1.15 443 49152 6 8 4200 1700000000 1700000060 ACCEPT OK`;
// Addresses with more to say: inside a larger AWS prefix, Google Cloud's, a Local Zone's.
const SUPERNET = `2 123456789010 ${ENI} 3.0.5.33 10.0.1.15 40000 22 6 3 180 1700000000 1700000060 ACCEPT OK`;
const OTHER_CLOUD = `2 123456789010 ${ENI} 10.0.1.15 8.34.210.5 40001 443 6 3 180 1700000000 1700000060 ACCEPT OK`;
const LOCAL_ZONE = `2 123456789010 ${ENI} 10.0.1.15 15.181.232.10 40002 443 6 3 180 1700000000 1700000060 ACCEPT OK`;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

const article = (page, line) => page.locator(`#results article.record[data-line="${line}"]`);
const row = (page, line, key) => article(page, line).locator(`tr[data-key="${key}"]`);
const badges = (locator) => locator.locator('.badge').allTextContents();

describe('explanations beyond the fields', () => {
  test('hints: a network ACL on the docs\' ICMP pair, and a blocked scan', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, [...ICMP_PAIR, SCAN].join('\n'), /^3 records/);
      assert.equal(await article(page, 1).locator('.hints li').count(), 0, 'the accepted ping needs no hint');

      const acl = article(page, 2).locator('.hints li[data-hint="network-acl"]');
      assert.equal(await acl.count(), 1);
      assert.match(await acl.getAttribute('class'), /\bwarn\b/);
      assert.match(await shown(acl), /^Likely a network ACL: The flow in the other direction \(line 1\) was accepted, but this reply was rejected\..*network ACL/);

      const scan = article(page, 3).locator('.hints li[data-hint="scan"]');
      assert.equal(await scan.count(), 1);
      assert.match(await scan.getAttribute('class'), /\bwarn\b/);
      assert.match(await shown(scan), /^Likely a scan: A connection attempt from the internet \(45\.33\.32\.156\) to SSH \(22\) was rejected\./);
      // The hints sit right under the summary.
      const order = await article(page, 3).evaluate((a) => [...a.children].map((c) => c.className));
      assert.deepEqual(order.slice(0, 3), ['record-head', 'summary', 'hints']);
      // 172.31.16.139 is in all three records of the interface: its own address, so the scan is inbound.
      assert.deepEqual(await badges(article(page, 3).locator('.record-head')), ['request', 'inbound']);
      assert.deepEqual(await badges(row(page, 3, 'dstaddr')), ['server', 'your instance']);
      assert.deepEqual(await badges(row(page, 3, 'srcaddr')), ['client']);
      assert.deepEqual(await badges(row(page, 3, 'dstport')), ['server']);

      await page.selectOption('#lang', 'ja');
      // The scan is the last entry: entries are re-rendered in order, so the ACL's is done too.
      await page.waitForFunction(() => document.querySelector('#results li[data-hint="scan"]')?.textContent.startsWith('スキャンの可能性: '), null, { timeout: WAIT });
      assert.match(await shown(scan), /自動スキャン/);
      assert.match(await shown(acl), /^ネットワーク ACL の可能性: /);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('NODATA, SKIPDATA and a plain REJECT get a note, not a warning', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, DOCS_EXAMPLES.slice(1, 4).join('\n'), /^3 records/);
      const hints = await page.locator('#results .hints li').evaluateAll((els) => els.map((e) => `${e.dataset.hint}:${e.className}`));
      assert.deepEqual(hints, ['reject:hint-item', 'nodata:hint-item', 'skipdata:hint-item']);
      assert.match(await text(page, '#results li[data-hint="nodata"]'), /^No data: Nothing is wrong/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a request and its reply: client and server, the direction, the instance\'s own address', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, [REQUEST, REPLY].join('\n'), /^2 records/);
      assert.deepEqual(await badges(article(page, 1).locator('.record-head')), ['request']);
      assert.deepEqual(await badges(article(page, 2).locator('.record-head')), ['reply']);
      assert.deepEqual(await badges(row(page, 1, 'srcaddr')), ['client']);
      assert.deepEqual(await badges(row(page, 1, 'dstaddr')), ['server']);
      assert.deepEqual(await badges(row(page, 1, 'srcport')), ['client']);
      assert.deepEqual(await badges(row(page, 1, 'dstport')), ['server']);
      // In the reply the server is the source.
      assert.deepEqual(await badges(row(page, 2, 'srcaddr')), ['server']);
      assert.deepEqual(await badges(row(page, 2, 'dstaddr')), ['client']);
      assert.equal(await shown(row(page, 2, 'dstaddr').locator('th .label')), 'Destination address');
      // Two records between the same two addresses cannot tell which is the interface's.
      assert.equal(await page.locator('#results .badge-instance, #results .detail-own-address').count(), 0);

      // A third record of the interface with another peer: 10.0.1.15 is its own address.
      await decode(page, [REQUEST, REPLY, SUPERNET].join('\n'), /^3 records/);
      assert.deepEqual(await badges(article(page, 1).locator('.record-head')), ['request', 'outbound']);
      assert.deepEqual(await badges(article(page, 2).locator('.record-head')), ['reply', 'inbound']);
      assert.deepEqual(await badges(row(page, 1, 'srcaddr')), ['client', 'your instance']);
      assert.deepEqual(await badges(row(page, 2, 'dstaddr')), ['client', 'your instance']);
      assert.deepEqual(await badges(row(page, 2, 'srcaddr')), ['server']);
      assert.match(await row(page, 1, 'srcaddr').locator('.badge-instance').getAttribute('title'), new RegExp(`network interface ${ENI}`));
      assert.equal(await shown(row(page, 1, 'interface-id').locator('.detail-own-address')), 'own address: 10.0.1.15');

      await page.selectOption('#lang', 'ja');
      // Wait for the last entry re-rendered (in order, from the first): the first one alone may not be all.
      await page.waitForFunction(() => {
        const all = document.querySelectorAll('#results article.record');
        return all.length === 3 && all[2].querySelector('thead th')?.textContent === 'フィールド';
      }, null, { timeout: WAIT });
      assert.deepEqual(await badges(article(page, 1).locator('.record-head')), ['リクエスト', '送信']);
      assert.deepEqual(await badges(article(page, 2).locator('.record-head')), ['応答', '受信']);
      assert.deepEqual(await badges(row(page, 1, 'srcaddr')), ['クライアント', '自インスタンス']);
      assert.deepEqual(await badges(row(page, 1, 'dstaddr')), ['サーバー']);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('an address\'s enclosing AWS prefixes, another cloud\'s prefix, and its zone; screenshots', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      const lines = [REQUEST, REPLY, SUPERNET, OTHER_CLOUD, LOCAL_ZONE, ...ICMP_PAIR, SCAN];
      await decode(page, lines.join('\n'), /^8 records/);
      assert.equal(await shown(row(page, 3, 'srcaddr').locator('.detail-supernet')), 'within 3.0.0.0/15 (AMAZON, EC2)');
      assert.equal(await shown(row(page, 4, 'dstaddr').locator('.detail-cloud')), 'Google Cloud: 8.34.210.0/24, us-central1');
      assert.equal(await shown(row(page, 5, 'dstaddr').locator('.detail-zone')), 'zone: a Local Zone in Houston');
      // Three address details, and the own address on the interface row of each record (both
      // interfaces have one: 10.0.1.15 and 172.31.16.139).
      assert.equal(await page.locator('#results .detail').count(), 3 + 8);
      await page.mouse.move(0, 0);
      await fullShot(page, `${OUT}explain-en.png`);

      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => {
        const all = document.querySelectorAll('#results article.record');
        return all.length === 8 && all[7].querySelector('.hints li[data-hint="scan"]')?.textContent.startsWith('スキャンの可能性: ');
      }, null, { timeout: WAIT });
      assert.match(await shown(row(page, 5, 'dstaddr').locator('.detail-zone')), /^ゾーン: /);
      assert.equal(await shown(row(page, 3, 'srcaddr').locator('.detail-supernet')), '3.0.0.0/15 内（AMAZON、EC2）');
      assert.match(await shown(row(page, 5, 'dstaddr').locator('.detail-zone')), /ヒューストン/);
      await fullShot(page, `${OUT}explain-ja.png`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
