// A large, gzipped S3 flow log object for the streaming test: generated deterministically (seeded
// PRNG, fixed zlib level) and cached in tests/e2e/out/, since it takes a while to make.
import { createWriteStream, existsSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createGzip, constants } from 'node:zlib';
import { OUT } from './harness.mjs';

export const BIG_RECORDS = 6_000_000;
export const BIG_PATH = `${OUT}123456789010_vpcflowlogs_us-east-1_fl-0big_20250413T0000Z_${BIG_RECORDS}.log.gz`;
const NEW_CONNECTION = 0.08; // chance that a record starts a new connection
export const BIG_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

// mulberry32: small, fast and the same everywhere.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Real logs repeat themselves: a few interfaces, a few hundred hosts, a few thousand peers.
function pools(r) {
  const pick = (n) => Math.floor(r() * n);
  const enis = Array.from({ length: 48 }, () => `eni-0${Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0')}abcdef01`);
  const inside = Array.from({ length: 300 }, () => `10.0.${pick(16)}.${1 + pick(254)}`);
  const outside = Array.from({ length: 3000 }, () => (pick(4) === 0
    ? `172.31.${pick(256)}.${pick(256)}`
    : `${1 + pick(223)}.${pick(256)}.${pick(256)}.${pick(256)}`));
  return { enis, inside, outside };
}

function connection(r, p) {
  const pick = (n) => Math.floor(r() * n);
  const service = [443, 443, 443, 80, 22, 53, 123, 3389, 5432, 8080][pick(10)];
  const proto = service === 53 || service === 123 ? 17 : [6, 6, 6, 6, 6, 1][pick(6)];
  const inside = p.inside[pick(p.inside.length)];
  const outside = p.outside[Math.floor(r() * r() * p.outside.length)]; // some peers are busier
  const ephemeral = 32768 + pick(28232);
  const inbound = pick(2) === 0;
  const there = inbound ? `${outside} ${inside} ${ephemeral} ${service}` : `${inside} ${outside} ${ephemeral} ${service}`;
  const back = inbound ? `${inside} ${outside} ${service} ${ephemeral}` : `${outside} ${inside} ${service} ${ephemeral}`;
  const eni = p.enis[pick(p.enis.length)];
  const action = pick(6) === 0 ? 'REJECT' : 'ACCEPT';
  return { there, back, eni, proto, action };
}

/** The line of record `i` (0-based): a record of one of the open connections, sometimes a new one. */
function record(r, p, i) {
  const pick = (n) => Math.floor(r() * n);
  const slot = pick(p.open.length);
  if (r() < NEW_CONNECTION) p.open[slot] = connection(r, p);
  const c = p.open[slot];
  const packets = 1 + Math.floor(r() * r() * r() * 40);
  const bytes = packets * (c.proto === 17 ? 76 : [52, 52, 576, 1500][pick(4)]);
  const start = 1744502400 + Math.floor(i / 100);
  return `2 123456789010 ${c.eni} ${pick(2) ? c.there : c.back} ${c.proto} ${packets} ${bytes} ${start} ${start + 60} ${c.action} OK`;
}

/**
 * The file's path, generating it first unless cached. Returns {path, bytes, records, seconds}
 * (seconds 0 when cached).
 */
export async function bigFile({ records = BIG_RECORDS, path = BIG_PATH } = {}) {
  if (existsSync(path)) return { path, bytes: statSync(path).size, records, seconds: 0 };
  const t0 = performance.now();
  const tmp = `${path}.tmp`;
  const gzip = createGzip({ level: constants.Z_DEFAULT_COMPRESSION, chunkSize: 1 << 20 });
  const done = once(gzip.pipe(createWriteStream(tmp)), 'finish');
  const r = prng(20250413);
  const p = pools(r);
  p.open = Array.from({ length: 200 }, () => connection(r, p));
  const BATCH = 20000;
  gzip.write(`${BIG_HEADER}\n`);
  for (let i = 0; i < records; i += BATCH) {
    const lines = [];
    for (let j = i; j < Math.min(records, i + BATCH); j++) lines.push(record(r, p, j));
    if (!gzip.write(`${lines.join('\n')}\n`)) await once(gzip, 'drain');
  }
  gzip.end();
  await done;
  renameSync(tmp, path);
  return { path, bytes: statSync(path).size, records, seconds: (performance.now() - t0) / 1000 };
}
