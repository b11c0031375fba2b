// The JavaScript-engine measurements in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): serves the repository on a loopback port, opens bench/js/page.html, prints
// one JSON object per measurement on stdout.
// Usage: node bench/js/chromium.mjs DATA RANGES [--reps N] [--lookups N]  (paths inside the repo)
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { resolve, relative, extname, sep } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const [data, ranges] = process.argv.slice(2).map((p) => relative(ROOT, resolve(p)).split(sep).join('/'));
const opt = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

const server = createServer((req, res) => {
  const path = resolve(ROOT, '.' + decodeURIComponent(new URL(req.url, 'http://x').pathname));
  let size = -1;
  try {
    if (path.startsWith(ROOT + sep)) size = statSync(path).isFile() ? statSync(path).size : -1;
  } catch { /* missing */ }
  if (size < 0) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(path)] || 'application/octet-stream', 'content-length': size });
  createReadStream(path).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const port = server.address().port;

// playwright gives the browser a fresh, temporary profile of its own.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let rows;
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`[chromium] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[chromium] page error: ${e}`));
  const q = new URLSearchParams({ data: `/${data}`, ranges: `/${ranges}`, reps: opt('--reps', 3), lookups: opt('--lookups', 1_000_000) });
  await page.goto(`http://127.0.0.1:${port}/bench/js/page.html?${q}`);
  await page.waitForFunction(() => window.__result, null, { timeout: 30 * 60_000, polling: 250 });
  rows = await page.evaluate(() => window.__result);
} finally {
  await browser.close();
  server.close();
}
if (rows.error) {
  console.error(`[chromium] ${rows.error}`);
  process.exit(1);
}
for (const r of rows) console.log(JSON.stringify(r));
