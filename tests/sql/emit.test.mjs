// The Athena SQL flowlens emits (`flowlens --emit athena`), run for real: flowlens's CSV export of
// a test input is loaded into DuckDB as the table AWS documents for flow logs in S3 (the columns
// and types of the emitted CREATE TABLE; a `-` in an integer column reads as NULL and stays '-' in
// a string column, as in Athena), and the emitted statements are run unchanged. Their counts must
// equal flowlens's own (`--where EXPR --count`, `--summary --json`).
//
// Athena's `IPADDRESS` and `contains(network, address)` are Trino's; DuckDB has neither without
// its inet extension (a download), so IPADDRESS is defined here as text and `contains` as a macro
// comparing the bits of an IPv4 or IPv6 address with the block's (NULL for what is not an address,
// as Trino's TRY_CAST gives).
//
// Run: cargo build && node --test tests/sql/   (FLOWLENS_BIN: the binary, default
// target/debug/flowlens; DUCKDB_NODE_API: where @duckdb/node-api is, if not in node_modules).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.FLOWLENS_BIN ?? join(root, 'target', 'debug', 'flowlens');
const { DuckDBInstance } = await import(process.env.DUCKDB_NODE_API ?? '@duckdb/node-api');

/** A small deterministic generator (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A few hundred varied default-format records: both actions, IPv4 and IPv6, private, public,
 *  AWS (S3 in ap-northeast-3, EC2), Google Cloud, ICMP and ICMPv6, well-known and ephemeral
 *  ports, NODATA and SKIPDATA lines of `-`. */
function generated(n) {
  const r = random(13);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const enis = ['eni-0a1b2c3d4e5f60718', 'eni-01f35fc1a2377de36', 'eni-0fedcba9876543210'];
  const own = ['10.0.4.135', '10.0.1.20', '172.31.9.12', '2001:db8:1234:a102::5'];
  const far = [
    '15.152.63.145', '52.95.128.10', '3.5.0.17', '52.219.0.9', // AWS (S3, EC2, ...)
    '34.80.1.2', '35.190.0.1', // Google Cloud
    '198.51.100.7', '203.0.113.12', '8.8.8.8', '1.1.1.1', '81.2.69.160', '185.199.108.1',
    '10.0.0.1', '10.0.0.5', '10.0.0.6', '10.0.0.200', '192.168.1.9', '100.64.0.3', '169.254.169.254',
    '2001:db8:1234:a100:8d6e:3477:df66:f105', '2600:1f14::1', '2a00:1450:4001::200e', 'fe80::1',
  ];
  const servers = [22, 80, 443, 3389, 53, 123, 5432, 3306, 8080, 25, 6379];
  const lines = [];
  let t = 1744521785; // 2025-04-13T05:23:05Z
  for (let i = 0; i < n; i++) {
    t += Math.floor(r() * 60);
    const eni = pick(enis);
    const acct = pick(['654654279488', '123456789010']);
    const kind = r();
    if (kind < 0.05) {
      lines.push(`2 ${acct} ${eni} - - - - - - - ${t} ${t + 60} - ${pick(['NODATA', 'SKIPDATA'])}`);
      continue;
    }
    let a = pick(own);
    let b = pick(far);
    const v6 = a.includes(':');
    if (v6 !== b.includes(':')) b = v6 ? pick(far.filter((x) => x.includes(':'))) : pick(far.filter((x) => !x.includes(':')));
    let proto = pick([6, 6, 6, 17, 17, v6 ? 58 : 1]);
    let sp = 1024 + Math.floor(r() * 64000);
    let dp = pick(servers);
    if (proto === 1 || proto === 58) { sp = 0; dp = pick([0, 8, 3]); }
    if (r() < 0.5) { [a, b] = [b, a]; if (proto !== 1 && proto !== 58) [sp, dp] = [dp, sp]; }
    const packets = 1 + Math.floor(r() * 50);
    const bytes = packets * (40 + Math.floor(r() * 1400));
    const action = r() < 0.3 ? 'REJECT' : 'ACCEPT';
    lines.push(`2 ${acct} ${eni} ${a} ${b} ${sp} ${dp} ${proto} ${packets} ${bytes} ${t} ${t + Math.floor(r() * 60)} ${action} OK`);
  }
  return lines.join('\n') + '\n';
}

function flowlens(args, input) {
  const out = spawnSync(bin, args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.ok(out.status === 0, `flowlens ${args.join(' ')}: ${out.stderr}`);
  return out;
}

/** The statements of an emitted text by key: `-- [key] title` then the SQL up to `;`. */
function statements(text) {
  const out = {};
  for (const chunk of text.split(/\n(?=-- \[)/)) {
    const key = chunk.match(/^-- \[(\w+)\]/)?.[1];
    if (!key) continue;
    const sql = chunk.split('\n').filter((l) => !l.startsWith('--')).join('\n').trim();
    out[key] = sql.replace(/;\s*$/, '');
  }
  return out;
}

const MACROS = [
  `CREATE TYPE IPADDRESS AS VARCHAR`,
  `CREATE MACRO fl_v4(a) AS CASE
     WHEN regexp_full_match(a, '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])([.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}')
     THEN CAST(split_part(a, '.', 1) AS BIGINT) * 16777216 + CAST(split_part(a, '.', 2) AS BIGINT) * 65536
        + CAST(split_part(a, '.', 3) AS BIGINT) * 256 + CAST(split_part(a, '.', 4) AS BIGINT) END`,
  `CREATE MACRO fl_v6groups(a) AS CASE WHEN strpos(a, '::') > 0 THEN list_concat(
       list_filter(string_split(split_part(a, '::', 1), ':'), g -> g <> ''),
       list_transform(range(8 - len(list_filter(string_split(split_part(a, '::', 1), ':'), g -> g <> ''))
                              - len(list_filter(string_split(split_part(a, '::', 2), ':'), g -> g <> ''))), i -> '0'),
       list_filter(string_split(split_part(a, '::', 2), ':'), g -> g <> ''))
     ELSE string_split(a, ':') END`,
  `CREATE MACRO fl_v6bits(a) AS CASE
     WHEN regexp_full_match(a, '[0-9A-Fa-f:]+') AND len(fl_v6groups(a)) = 8
     THEN list_aggr(list_transform(
            string_split(list_aggr(list_transform(fl_v6groups(a), g -> lpad(lower(g), 4, '0')), 'string_agg', ''), ''),
            c -> lpad(bin(strpos('0123456789abcdef', c) - 1), 4, '0')), 'string_agg', '') END`,
  // Trino's contains(network, address): NULL for a NULL address (TRY_CAST of '-'), false for
  // an address of the other family.
  `CREATE MACRO contains(net, a) AS CASE
     WHEN a IS NULL OR (strpos(a, ':') = 0 AND fl_v4(a) IS NULL) THEN NULL
     WHEN strpos(a, ':') = 0 THEN CASE WHEN strpos(net, ':') > 0 THEN false ELSE
       fl_v4(a) // CAST(pow(2, 32 - CAST(split_part(net, '/', 2) AS INTEGER)) AS BIGINT)
         = fl_v4(split_part(net, '/', 1)) // CAST(pow(2, 32 - CAST(split_part(net, '/', 2) AS INTEGER)) AS BIGINT) END
     WHEN strpos(net, ':') = 0 THEN false
     ELSE left(fl_v6bits(a), CAST(split_part(net, '/', 2) AS INTEGER))
         = left(fl_v6bits(split_part(net, '/', 1)), CAST(split_part(net, '/', 2) AS INTEGER)) END`,
];

let db;
let input;
let csvPath;
const dir = mkdtempSync(join(tmpdir(), 'flowlens-sql-'));

async function rows(sql) {
  const r = await db.runAndReadAll(sql);
  return r.getRowObjects().map((o) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
  );
}

before(async () => {
  input = join(dir, 'input.log');
  writeFileSync(
    input,
    readFileSync(join(root, 'tests/data/aws-docs-examples.log'), 'utf8') +
      readFileSync(join(root, 'tests/data/seed.log'), 'utf8') +
      generated(400),
  );
  csvPath = join(dir, 'input.csv');
  writeFileSync(csvPath, flowlens(['--csv', input]).stdout);
  const instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  for (const m of MACROS) await db.run(m);
  // The table as flowlens emits it for this input.
  const table = statements(flowlens(['--emit', 'athena', input]).stdout).table;
  const cols = [...table.matchAll(/^\s+`?(\w+)`?\s+(int|bigint|string),?$/gm)].map((m) => [m[1], m[2]]);
  assert.equal(cols.length, 14);
  const types = { int: 'INTEGER', bigint: 'BIGINT', string: 'VARCHAR' };
  await db.run(`CREATE TABLE vpc_flow_logs (${cols.map(([n, t]) => `"${n}" ${types[t]}`).join(', ')})`);
  const select = cols.map(([n, t]) => {
    const csv = `"${n.replace(/_/g, '-')}"`;
    return t === 'string' ? `coalesce(nullif(${csv}, ''), '-')` : `TRY_CAST(nullif(${csv}, '') AS ${types[t]})`;
  });
  await db.run(
    `INSERT INTO vpc_flow_logs SELECT ${select.join(', ')} FROM read_csv('${csvPath}', header = true, all_varchar = true)`,
  );
});

test('the macro standing for Trino contains() reads IPv4 and IPv6 blocks', async () => {
  const [r] = await rows(`SELECT
    contains('10.0.0.0/8', '10.1.2.3') AS a, contains('10.0.0.0/8', '11.0.0.1') AS b,
    contains('2001:db8::/32', '2001:db8:1234:a100:8d6e:3477:df66:f105') AS c,
    contains('2001:db8::/32', '2001:db9::1') AS d, contains('::/0', 'fe80::1') AS e,
    contains('0.0.0.0/0', '2001:db8::1') AS f, contains('10.0.0.0/8', '-') AS g,
    contains('10.0.0.6/31', '10.0.0.7') AS h, contains('10.0.0.6/31', '10.0.0.8') AS i`);
  assert.deepEqual(r, { a: true, b: false, c: true, d: false, e: true, f: false, g: null, h: true, i: false });
});

test('the table holds every record of the input', async () => {
  const [{ n }] = await rows('SELECT count(*) AS n FROM vpc_flow_logs');
  const err = flowlens(['--count', input]).stderr;
  assert.match(err, new RegExp(`, ${n} records,`));
  assert.ok(n > 400);
  const [{ nulls }] = await rows('SELECT count(*) AS nulls FROM vpc_flow_logs WHERE dstport IS NULL AND srcaddr = \'-\'');
  assert.ok(nulls > 5, 'NODATA lines read as NULL ports and - addresses');
});

// Filters whose Athena form is exact: the counts must be equal.
const EXACT = [
  'action = REJECT',
  'action != REJECT',
  'log-status = nodata or log-status = SKIPDATA',
  'dstport < 1024',
  'bytes >= 10000',
  'packets <= 3 and bytes > 100',
  'dstport in (22, 3389, 443)',
  'dstport not in (22, 443)',
  'port = 53',
  'not port in (22, 443, 53)',
  'srcaddr in 10.0.0.0/8',
  'not addr in 172.16.0.0/12',
  'addr in 2001:db8::/32',
  'srcaddr > 10.0.0.5 and srcaddr <= 10.0.0.200',
  'action=reject and (protocol=tcp or protocol=icmp) and not dstport=22',
  'protocol = udp or protocol = icmpv6',
  'start >= 2025-04-13T06:00Z and start < 2025-04-13T07',
  'end <= 2025-04-13T05:30:00Z',
  'service = ssh',
  'service in (https, domain, ntp)',
  'not service = rdp',
  'scope = private',
  'scope = public and not srcscope = private',
  'dstscope in (link-local, shared)',
  '"eni-0a1b"',
  '"10.0.4"',
  '"2001:DB8"',
  '"654654279488" and not "reject"',
  'dstport = -',
  'srcaddr != -',
  'interface-id = ENI-01F35FC1A2377DE36',
  'interface-id < eni-0b',
  'aws.service = S3',
  'dst.aws.region = ap-northeast-3',
  'scope = public and action = accept',
];
// (cloud = google, aws.service = EC2, aws.service = -, from_internet are thousands of blocks: their exactness is
// checked natively, in src/query/emit/tests.rs, against flowlens's filter.)

// Filters written in a closest form (a comment says what differs): run, not compared.
const CLOSEST = ['role = request', 'service = mysql', 'service = -'];

test('the emitted count equals flowlens --where EXPR --count', async () => {
  const mismatches = [];
  for (const expr of EXACT) {
    const sql = statements(flowlens(['--emit', 'athena', '--where', expr]).stdout);
    assert.ok(sql.count, expr);
    const [{ records }] = await rows(sql.count);
    const err = flowlens(['--where', expr, '--count', input]).stderr;
    const m = err.match(/(\d+) of (\d+) records match/);
    assert.ok(m, err);
    if (Number(m[1]) !== records) mismatches.push(`${expr}: flowlens ${m[1]}, SQL ${records}`);
  }
  assert.deepEqual(mismatches, []);
});

test('the filters cover what they should: neither all nor none for most', async () => {
  let between = 0;
  for (const expr of EXACT) {
    const m = flowlens(['--where', expr, '--count', input]).stderr.match(/(\d+) of (\d+) records match/);
    if (Number(m[1]) > 0 && Number(m[1]) < Number(m[2])) between++;
  }
  assert.ok(between >= EXACT.length - 2, `${between} of ${EXACT.length}`);
});

test('closest forms run, and say so', async () => {
  for (const expr of CLOSEST) {
    const text = flowlens(['--emit', 'athena', '--where', expr]).stdout;
    assert.match(text, /^-- note: /m, expr);
    const sql = statements(text);
    for (const key of ['records', 'count', 'talkers', 'ports', 'timeline']) await rows(sql[key]);
  }
});

test('the summary tables agree with flowlens --summary --json', async () => {
  const summary = JSON.parse(flowlens(['--summary', '--json', '--top', '1000', input]).stdout);
  const sql = statements(flowlens(['--emit', 'athena', '--top', '1000']).stdout);
  const byAction = Object.fromEntries((await rows(sql.actions)).map((r) => [r.action, r]));
  assert.equal(byAction.ACCEPT.records, summary.totals.accepted.records);
  assert.equal(byAction.REJECT.records, summary.totals.rejected.records);
  assert.equal(byAction.ACCEPT.bytes, summary.totals.accepted.bytes);
  assert.equal(byAction.REJECT.bytes, summary.totals.rejected.bytes);
  assert.equal(byAction['-'].records, summary.totals.no_action);

  const protocols = await rows(sql.protocols);
  assert.deepEqual(
    protocols.map((r) => [r.protocol, r.records, r.bytes, r.accepted, r.rejected]).sort(),
    summary.protocols.map((p) => [p.protocol, p.records, p.bytes, p.accepted, p.rejected]).sort(),
  );

  const rejected = await rows(sql.rejected);
  assert.ok(summary.rejected_sources.exact);
  assert.deepEqual(
    rejected.map((r) => [r.srcaddr, r.records, r.bytes]).sort(),
    summary.rejected_sources.rows.map((r) => [r.address.raw, r.records, r.bytes]).sort(),
  );

  const pairs = await rows(sql.talkers);
  assert.ok(summary.top_pairs.exact);
  assert.deepEqual(
    pairs.map((r) => [r.srcaddr, r.dstaddr, r.records, r.bytes ?? 0]).sort(),
    summary.top_pairs.rows.map((r) => [r.src.raw, r.dst.raw, r.records, r.bytes]).sort(),
  );
});

test('a field the default table lacks is named, with its column', () => {
  const text = flowlens(['--emit', 'athena', '--where', 'direction = inbound']).stdout;
  assert.match(text, /^-- note: direction: /m);
  assert.match(text, /^-- note: The table lacks columns .*flow_direction string/m);
});

test('a filter narrows the summary tables too', async () => {
  const expr = 'action = reject and protocol = tcp';
  const sql = statements(flowlens(['--emit', 'athena', '--where', expr]).stdout);
  const [only] = await rows(sql.actions);
  const m = flowlens(['--where', expr, '--count', input]).stderr.match(/(\d+) of/);
  assert.equal(only.action, 'REJECT');
  assert.equal(only.records, Number(m[1]));
  const protocols = await rows(sql.protocols);
  assert.deepEqual(protocols.map((r) => r.protocol), [6]);
});
