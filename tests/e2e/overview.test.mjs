// The summary over all records (computed in Rust in the worker, drawn with DOM and SVG): the AWS
// documentation's examples in English and Japanese, its chart's bars and tooltips, the performance
// mark, hostile lines shown as text, and no summary for a single record. Screenshots go to out/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OUT, SEED, WAIT, decode, open, shown, start, stop, summaryOf, text } from './harness.mjs';

const DOCS = readFileSync(fileURLToPath(new URL('../data/aws-docs-examples.log', import.meta.url)), 'utf8').trim();

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await stop(env);
});

const stat = (page, key) => text(page, `#summary [data-stat="${key}"] .ov-value`);
const cells = (page, table, row) => page.locator(`#${table} tbody tr`).nth(row).locator('td').allInnerTexts();

describe('the summary', () => {
  test('the AWS docs examples in English: figures, tables, chart, mark', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, DOCS, /^7 records/);
      await summaryOf(page, 7);
      assert.equal(await text(page, '#summary-heading'), 'Summary');
      // The summary sits above the records.
      const order = await page.evaluate(() => {
        const s = document.getElementById('summary');
        const r = document.getElementById('results');
        return Boolean(s.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      assert.ok(order);
      assert.equal(await stat(page, 'records'), '7');
      assert.equal(await stat(page, 'bytes'), '18.0 KB');
      assert.match(await text(page, '#summary [data-stat="bytes"] .ov-sub'), /^102 packets · bytes known for 5 of 7 records$/);
      assert.equal(await stat(page, 'accepted'), '3');
      assert.equal(await stat(page, 'rejected'), '2');
      assert.equal(await stat(page, 'time'), '687 days 7 h');
      assert.match(await text(page, '#summary [data-stat="time"] .ov-sub'), /^2014-12-14 04:06:50 → 2016-10-31 11:37:00 \(UTC\)$/);
      assert.match(await text(page, '#summary [data-stat="status"]'), /OK 5[\s\S]*NODATA 1 · SKIPDATA 1/);
      assert.equal(await stat(page, 'distinct'), '2 interfaces · 7 addresses');

      // Top talkers: by bytes, the IPv6 pair first; ties by address.
      assert.equal(await text(page, '#ov-pairs caption'), 'Top talkers (source → destination, by bytes)');
      const first = await cells(page, 'ov-pairs', 0);
      assert.match(first[1], /^2001:db8:1234:a100:8d6e:3477:df66:f105\s+documentation \(example addresses\)$/);
      assert.deepEqual(first.slice(4), ['8.86 KB', '54', '1']);
      const second = await cells(page, 'ov-pairs', 1);
      assert.match(second[1], /^172\.31\.9\.69\s+private, in your VPC$/);
      assert.match(second[3], /^172\.31\.9\.12/);
      assert.equal(await page.locator('#ov-pairs tbody tr').count(), 5);
      // The explanation of an address is its tooltip.
      assert.match(await page.locator('#ov-pairs tbody tr').nth(1).locator('.ov-addr').first().getAttribute('title'),
        /^172\.31\.9\.69 is a private address \(IANA: Private-Use, RFC 1918/);

      // Rejected sources with the ports they tried.
      const rejected = await page.locator('#ov-rejected tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.addr));
      assert.deepEqual(rejected, ['172.31.9.69', '172.31.16.139']);
      assert.equal(await text(page, '#ov-rejected tbody tr:first-child .ov-tried'), 'TCP 3389 RDP ×1');
      assert.equal(await text(page, '#ov-rejected tbody tr:nth-child(2) .ov-tried'), 'ICMP ×1');

      // Services by the server's port (#, port, service, records, bytes, requests, replies,
      // accepted, rejected), the rule said under the table; protocols by name.
      assert.equal(await text(page, '#ov-services caption'), 'Services (server port, by records)');
      const heads = await page.locator('#ov-services thead th').allInnerTexts();
      assert.deepEqual(heads.slice(1), ['Port', 'Service', 'Records', 'Bytes', 'Requests', 'Replies', 'Accepted', 'Rejected']);
      assert.deepEqual(await cells(page, 'ov-services', 0), ['1', 'TCP 22', 'SSH', '2', '13.1 KB', '2', '0', '2', '0']);
      assert.deepEqual(await cells(page, 'ov-services', 1), ['2', 'TCP 3389', 'RDP', '1', '4.25 KB', '1', '0', '0', '1']);
      assert.match(await text(page, '[data-table="ov-services"] .ov-explain'),
        /^Each record counts at its server's port, .* In all: 3 requests, 0 replies, 0 at their destination port\.$/);
      assert.equal(await page.locator('#ov-services .badge-dstport').count(), 0);
      const protocols = await page.locator('#ov-protocols tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.protocol));
      assert.deepEqual(protocols, ['6', '1']);

      // The chart: 99 weekly bars, 4 with records; each column has its time and figures as a tooltip.
      assert.match(await text(page, '#ov-chart figcaption'), /^Bytes over time, by start \(one bar = 7 days\)/);
      assert.equal(await page.locator('#ov-chart g.ov-bar').count(), 99);
      const bars = await page.locator('#ov-chart g.ov-bar').evaluateAll((gs) => gs
        .filter((g) => g.dataset.records !== '0')
        .map((g) => [g.dataset.records, g.dataset.bytes, g.dataset.rejected, g.querySelector('title').textContent]));
      assert.equal(bars.length, 4);
      assert.deepEqual(bars[0].slice(0, 3), ['2', '8498', '1']);
      assert.equal(bars[0][3], '2014-12-11 00:00:00 UTC (+7 days)\n2 records · 8.50 KB · 1 rejected');
      assert.equal(await page.locator('#ov-chart rect.ov-rejected-bar').count(), 2);
      assert.match(await page.locator('#ov-chart svg').getAttribute('aria-label'), /^Bar chart of 99 bars from 2014-12-11 00:00:00 to 2016-10-27 00:00:00/);

      // Drawn at the width it is shown at, and again when the window changes that width.
      const chartWidth = () => page.locator('#ov-chart svg').evaluate((c) => Number(c.getAttribute('width')));
      const wide = await chartWidth();
      const bodyWidth = await page.locator('#summary .ov-body').evaluate((b) => b.clientWidth);
      assert.ok(Math.abs(wide - bodyWidth) <= 1, `${wide} vs ${bodyWidth}`);
      const viewport = page.viewportSize();
      await page.setViewportSize({ width: Math.round(viewport.width * 0.6), height: viewport.height });
      await page.waitForFunction((w) => {
        const c = document.querySelector('#ov-chart svg');
        return c && Number(c.getAttribute('width')) < w - 50;
      }, wide, { timeout: WAIT });
      const narrow = await chartWidth();
      assert.ok(narrow >= 360 && narrow < wide, `${narrow} after ${wide}`);
      assert.equal(await page.locator('#ov-chart g.ov-bar').count(), 99);
      await page.setViewportSize(viewport);
      await page.waitForFunction((w) => Number(document.querySelector('#ov-chart svg')?.getAttribute('width')) === w,
        wide, { timeout: WAIT });

      // The benchmark's mark, once the summary is on screen.
      assert.ok(await page.evaluate(() => performance.getEntriesByName('flowlens:summary').length >= 1));
      await page.locator('#summary').screenshot({ path: `${OUT}overview-docs-en.png` });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('in Japanese, after switching the language', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, DOCS, /^7 records/);
      await summaryOf(page, 7);
      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.getElementById('summary-heading').textContent === '概要'
        && document.querySelector('#summary [data-stat="time"] .ov-value')?.textContent === '687 日 7 時間', null, { timeout: WAIT });
      assert.equal(await stat(page, 'records'), '7');
      assert.equal(await stat(page, 'distinct'), 'インターフェイス 2 · アドレス 7');
      assert.equal(await text(page, '#ov-pairs caption'), '通信量の多い組み合わせ（送信元 → 送信先、バイト数順）');
      assert.match((await cells(page, 'ov-pairs', 1))[1], /^172\.31\.9\.69\s+プライベート、VPC 内$/);
      assert.equal(await text(page, '#ov-services caption'), 'サービス（サーバー側ポート、レコード数順）');
      const heads = await page.locator('#ov-services thead th').allInnerTexts();
      assert.deepEqual(heads.slice(1), ['ポート', 'サービス', 'レコード', 'バイト', 'リクエスト', '応答', '許可', '拒否']);
      assert.deepEqual(await cells(page, 'ov-services', 0), ['1', 'TCP 22', 'SSH', '2', '13.1 KB', '2', '0', '2', '0']);
      assert.deepEqual(await cells(page, 'ov-services', 1), ['2', 'TCP 3389', 'RDP', '1', '4.25 KB', '1', '0', '0', '1']);
      assert.match(await text(page, '[data-table="ov-services"] .ov-explain'),
        /^各レコードは、クライアントのエフェメラルポートではなく、サーバー側のサービスのポートで数えます。.*全体: リクエスト 3、応答 0、送信先ポートで集計 0。$/);
      assert.match(await text(page, '#ov-chart figcaption'), /1 本 = 7 日/);
      const title = await page.locator('#ov-chart g.ov-bar').first().locator('title').textContent();
      assert.equal(title, '2014-12-11 00:00:00 UTC（+7 日）\n2 レコード · 8.50 KB · 拒否 1');
      await page.locator('#summary').screenshot({ path: `${OUT}overview-docs-ja.png` });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('services: a request and its reply are one row; records of unknown roles are marked', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      const eni = 'eni-0a1b2c3d4e5f60718';
      const lines = [
        // An HTTPS request and its reply to the client's ephemeral port 49152.
        `2 123456789010 ${eni} 10.0.1.15 52.95.110.1 49152 443 6 10 1500 1700000000 1700000060 ACCEPT OK`,
        `2 123456789010 ${eni} 52.95.110.1 10.0.1.15 443 49152 6 8 4200 1700000000 1700000060 ACCEPT OK`,
        // Two ephemeral ports: counted at the destination port, marked.
        `2 123456789010 ${eni} 10.0.1.15 10.0.2.20 40000 50000 6 1 60 1700000000 1700000060 ACCEPT OK`,
        // NTP: one request, one between two servers (123 to 123: roles unknown).
        `2 123456789010 ${eni} 10.0.1.15 169.254.169.123 35098 123 17 1 76 1700000000 1700000060 ACCEPT OK`,
        `2 123456789010 ${eni} 10.0.1.15 169.254.169.123 123 123 17 1 76 1700000000 1700000060 REJECT OK`,
        // A rejected HTTPS reply to another client's ephemeral port.
        `2 123456789010 ${eni} 10.0.1.15 198.51.100.7 443 50001 6 3 180 1700000000 1700000060 REJECT OK`,
      ];
      await decode(page, lines.join('\n'), /^6 records/);
      await summaryOf(page, 6);
      assert.deepEqual(await cells(page, 'ov-services', 0), ['1', 'TCP 443', 'HTTPS', '3', '5.88 KB', '1', '2', '2', '1']);
      assert.deepEqual(await cells(page, 'ov-services', 1), ['2', 'UDP 123 dstport ×1', 'NTP', '2', '152 B', '1', '0', '1', '1']);
      assert.deepEqual(await cells(page, 'ov-services', 2), ['3', 'TCP 50000 dstport', '', '1', '60 B', '0', '0', '1', '0']);
      // 49152 is nowhere: it was the client's port.
      assert.equal(await page.locator('#ov-services tr[data-port="TCP/49152"]').count(), 0);
      assert.equal(await page.locator('#ov-services tr[data-port="TCP/50000"] .badge-dstport').getAttribute('title'),
        '1 record whose client and server could not be told apart counts here at its destination port.');
      assert.match(await text(page, '[data-table="ov-services"] .ov-explain'), /In all: 2 requests, 2 replies, 2 at their destination port\.$/);
      // The rejected reply is said at the server's port it came from, not at the client's 50001.
      const tried = () => page.locator('#ov-rejected tbody tr[data-addr="10.0.1.15"] .ov-tried li').evaluateAll((lis) => lis.map((li) => li.textContent));
      assert.deepEqual(await tried(), ['UDP 123 NTP ×1', 'TCP 443 HTTPS reply ×1']);
      assert.equal(await text(page, '#ov-rejected thead th:last-child'), 'Ports tried');
      assert.match(await text(page, '[data-table="ov-rejected"] .ov-explain'), /^Each REJECT record at the port it tried: /);
      await page.locator('#summary').screenshot({ path: `${OUT}overview-services-en.png` });

      await page.selectOption('#lang', 'ja');
      await page.waitForFunction(() => document.querySelector('#ov-services caption')?.textContent === 'サービス（サーバー側ポート、レコード数順）', null, { timeout: WAIT });
      assert.deepEqual(await cells(page, 'ov-services', 1), ['2', 'UDP 123 送信先ポート ×1', 'NTP', '2', '152 B', '1', '0', '1', '1']);
      assert.deepEqual((await cells(page, 'ov-services', 2)).slice(0, 2), ['3', 'TCP 50000 送信先ポート']);
      assert.equal(await page.locator('#ov-services tr[data-port="UDP/123"] .badge-dstport').getAttribute('title'),
        'クライアントとサーバーを判別できない 1 レコードを、送信先ポートとしてここで数えています。');
      assert.match(await text(page, '[data-table="ov-services"] .ov-explain'), /全体: リクエスト 2、応答 2、送信先ポートで集計 2。$/);
      assert.deepEqual(await tried(), ['UDP 123 NTP ×1', 'TCP 443 HTTPS 応答 ×1']);
      await page.locator('#summary').screenshot({ path: `${OUT}overview-services-ja.png` });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('lines with markup are counted and shown as text, never as HTML', async () => {
    const { page, context, errors, dialogs } = await open(env, { live: 'abort' });
    try {
      const hostile = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '<b>bold</b>'];
      await decode(page, [DOCS, ...hostile].join('\n'), /^7 records · 3 errors/);
      await summaryOf(page, 7);
      assert.equal(await text(page, '#summary [data-stat="records"] .ov-sub'), '3 lines not decoded');
      assert.equal(await page.locator('#summary img, #summary script, #summary b').count(), 0);
      assert.equal(await page.locator('#results img, #results script:not([src]), #results b').count(), 0);
      // (textContent: entries off screen are not rendered, so they have no innerText)
      assert.match(await page.locator('#results').textContent(), /<img src=x onerror=alert\(1\)>/);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a single record has no summary; a new input replaces the old one', async () => {
    const { page, context, errors } = await open(env, { live: 'abort' });
    try {
      await decode(page, DOCS, /^7 records/);
      await summaryOf(page, 7);
      await decode(page, SEED, /^1 record /);
      await page.waitForFunction(() => document.getElementById('summary').hidden, null, { timeout: WAIT });
      await decode(page, `${SEED}\n${SEED}`, /^2 records/);
      await summaryOf(page, 2);
      const row = await cells(page, 'ov-pairs', 0);
      assert.match(row[3], /^15\.152\.63\.145\s+AWS EC2, Osaka$/);
      assert.deepEqual(await cells(page, 'ov-services', 0), ['1', 'UDP 123', 'NTP', '2', '152 B', '2', '0', '2', '0']);
      assert.equal(await page.locator('#ov-chart g.ov-bar').count(), 1);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

/** A mixed input of `n` records: 30 interfaces in runs, AWS, private and IPv6 peers, ~10% REJECT, a broken line. */
function mixedLog(n) {
  let x = 88172645463325252n;
  const next = (m) => {
    x ^= (x << 13n) & 0xffffffffffffffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffffffffffffffffn;
    return Number(x % BigInt(m));
  };
  const peers = ['15.152.63.145', '52.95.110.1', '203.0.113.9', '198.51.100.7', '172.31.9.12'];
  const lines = [];
  let eni = 0;
  for (let i = 0; i < n; i += 1) {
    if (next(5) === 0) eni = next(30);
    const own = eni < 2 ? `2001:db8::${eni}` : `10.0.4.${eni}`;
    const peer = eni < 2 ? `2001:db8:1::${next(9)}` : peers[next(peers.length)];
    const [src, dst, sport, dport] = next(2) === 0
      ? [own, peer, 32768 + next(20000), [443, 22, 123, 53][next(4)]]
      : [peer, own, [443, 22, 123, 53][next(4)], 32768 + next(20000)];
    const action = next(10) === 0 ? 'REJECT' : 'ACCEPT';
    const start = 1744521785 + i * 3;
    lines.push(`2 654654279488 eni-0${String(eni).padStart(16, '0')} ${src} ${dst} ${sport} ${dport} ${[6, 17][next(2)]} ${1 + next(9)} ${40 + next(9000)} ${start} ${start + 60} ${action} OK`);
  }
  // A record with a problem (a port that is no number: kept as text, left out of the port tables)
  // and a line that is no record (too few fields), in the middle of the hand-off.
  lines.splice(n >> 1, 0, '2 654654279488 eni-0 10.0.4.1 10.0.4.2 notaport 22 6 1 40 1744521785 1744521793 ACCEPT OK',
    '2 654654279488 eni-0 10.0.4.1 10.0.4.2 22 6 1 40');
  return lines.join('\n');
}

describe('the summary worker', () => {
  // The page reads a file with two workers at once: the decoding one, and one that makes the
  // summary while reading (keeping no record). Its summary must be the decoding worker's.
  test('its summary is the one the decoding worker makes, in English and Japanese', async () => {
    const log = mixedLog(3000);
    const file = { name: 'mixed.log', mimeType: 'text/plain', buffer: Buffer.from(log) };
    const summaryText = async (page, lang) => {
      if (lang === 'ja') await page.selectOption('#lang', 'ja');
      await summaryOf(page, 3001, lang);
      // What is read, and what the tooltips say.
      const titles = await page.locator('#summary [title]').evaluateAll((els) => els.map((e) => e.title).join('\n'));
      return `${await shown(page.locator('#summary'))}\n${titles}`;
    };
    const seen = {};
    for (const [path, from, workers] of [['', 'summary', 2], ['?workers=1', 'decoder', 1]]) {
      const { page, context, errors } = await open(env, { live: 'abort', path });
      try {
        await page.setInputFiles('#file', file);
        await page.waitForFunction(() => /^3,001 records \(1 with problems\)/.test(document.getElementById('counts').textContent), null, { timeout: WAIT });
        const en = await summaryText(page, 'en');
        assert.equal(await page.getAttribute('#summary', 'data-from'), from);
        assert.equal(page.workers().length, workers);
        const ja = await summaryText(page, 'ja');
        assert.equal(await page.getAttribute('#summary', 'data-from'), from);
        seen[from] = { en, ja };
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
    assert.match(seen.summary.en, /3,001[\s\S]*Top talkers/);
    assert.match(seen.summary.en, /address of network interface eni-0\d{16}/, 'an interface\'s own address is said');
    assert.match(seen.summary.ja, /通信量の多い組み合わせ/);
    assert.equal(seen.summary.en, seen.decoder.en);
    assert.equal(seen.summary.ja, seen.decoder.ja);
  });

  test('when it cannot start, the decoding worker makes the summary', async () => {
    const { page, context, errors } = await open(env, {
      live: 'abort',
      route: (p) => p.route('**/workers/summary.js', (r) => r.abort('failed')),
    });
    try {
      await decode(page, DOCS, /^7 records/);
      await summaryOf(page, 7);
      assert.equal(await page.getAttribute('#summary', 'data-from'), 'decoder');
      assert.equal(await stat(page, 'records'), '7');
      // The page's own errors only: the worker script's failed request is the test's doing.
      assert.deepEqual(errors.filter((e) => !/Failed to load resource|worker/i.test(e)), []);
    } finally {
      await context.close();
    }
  });
});
