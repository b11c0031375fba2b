// The page, end to end: the benchmark's flow-log file dropped into the real page (www/, served on a
// loopback port) in headless Chromium, as a user drops it. Measures, per run (each in a fresh
// browser context, so every run starts cold like a user's first drop):
//   - first rows: from the drop to the first frame painted with rows in #results;
//   - full summary: from the drop to the first frame painted with the page's Summary section
//     (totals, chart, top talkers…; the page marks it with performance.mark('flowlens:summary'));
//     the counts (#counts) and "Decoded …" come earlier, with the first rows;
//   - the longest main-thread task from the drop until the first page of entries is in
//     (PerformanceObserver 'longtask', registered before the page loads; 0 when none is over 50 ms);
//     long animation frames are logged with their scripts, to tell what a long task did;
//   - peak memory: JS heap of the page + JS heap of each worker (the decoding one and the summary
//     one) + their array buffers, which hold their WASM memories (CDP Runtime.getHeapUsage on every
//     target, sampled every ~50 ms); each worker's own figure for its WASM memory
//     (`DecodeSession.memory_bytes`, sent with its progress events; the decoding worker's final one shown
//     by the page in #status[data-memory-bytes]) is a floor for the last part, since WASM memory
//     never shrinks.
// Prints one JSON object per measurement (medians of the runs) on stdout, like chromium.mjs.
// Usage: node bench/js/page-bench.mjs DATA [--reps N] [--trace FILE.json] [--query '?workers=1']
// Needs the page built first (scripts/build.sh → www/pkg/).
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, WWW } from '../../tests/e2e/server.mjs';

const args = process.argv.slice(2);
const data = resolve(args[0] || '');
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : args[i + 1];
};
const reps = Math.max(1, Number(opt('--reps', 3)));
const tracePath = opt('--trace', null);
// `--query '?workers=1'`: the page with its decoding worker only (no summary worker).
const query = opt('--query', '');
const SAMPLE_MS = 50;
const LONG_TASK_MS = 50;
const log = (s) => console.error(`[page] ${s}`);

if (!args[0] || !existsSync(data)) {
  console.error('usage: node bench/js/page-bench.mjs DATA [--reps N] [--trace FILE.json]');
  process.exit(2);
}
if (!existsSync(`${WWW}/pkg/flowlens_bg.wasm`)) {
  console.error('page-bench: www/pkg/ is missing: run scripts/build.sh first');
  process.exit(1);
}
const inputBytes = statSync(data).size;

// Runs in the page before its own scripts: long tasks from the start, and the time of the first
// painted frame with rows and with the summary.
function pageProbe() {
  const pb = { longTasks: [], t: {}, wasm: [] };
  window.__pageBench = pb;
  // Each worker's WASM memory, from its progress events (WASM memory only grows).
  const PageWorker = window.Worker;
  let workers = 0;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      const worker = workers++;
      this.addEventListener('message', (e) => {
        if ((e.data?.type === 'progress' || e.data?.type === 'memory') && e.data.memory) pb.wasm.push({ at: Date.now(), bytes: e.data.memory, worker });
      });
    }
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pb.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Long animation frames say what a long task did: scripts (with their source) and style + layout.
  pb.frames = [];
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        pb.frames.push({
          start: e.startTime, duration: e.duration, blocking: e.blockingDuration,
          layout: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
          scripts: e.scripts.map((x) => ({ what: `${x.invoker} ${x.sourceFunctionName || ''} ${(x.sourceURL || '').split('/').pop()}`.trim(), duration: x.duration })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  }
  // The second animation frame after a change starts once the frame showing it is painted.
  const afterPaint = (key) => {
    pb.t[`${key}Dom`] = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => { pb.t[key] = performance.now(); }));
  };
  const watch = () => {
    const results = document.getElementById('results');
    const counts = document.getElementById('counts');
    const status = document.getElementById('status');
    new MutationObserver(() => {
      if (pb.t.drop === undefined) return;
      if (pb.t.rowsDom === undefined && results.querySelector('article.entry')) afterPaint('rows');
      if (pb.t.countsDom === undefined && counts.dataset.records !== undefined
        && /^Decoded /.test(status.textContent)) afterPaint('counts');
      // The first page of entries (the page shows 200 at first), all in.
      if (pb.t.countsDom !== undefined && pb.t.allRowsDom === undefined) {
        const all = Math.min(200, Number(counts.dataset.records) + Number(counts.dataset.errors));
        if (results.querySelectorAll('article.entry').length >= all) afterPaint('allRows');
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  };
  // The Summary section (totals, chart, top talkers…) marks itself once rendered whole.
  new PerformanceObserver((list) => {
    if (pb.t.drop === undefined || pb.t.summaryDom !== undefined) return;
    if (list.getEntries().some((e) => e.name === 'flowlens:summary' && e.startTime >= pb.t.drop)) afterPaint('summary');
  }).observe({ type: 'mark' });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
  else watch();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;

const server = await serve({ prefix: '/' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const browserCdp = await browser.newBrowserCDPSession();

// CDP sessions with the page's workers (flatten: false, so that messages go through this browser
// session: Playwright's own API has no session for workers).
async function workerSessions(origin) {
  const { targetInfos } = await browserCdp.send('Target.getTargets');
  // The page starts its workers from blob: bootstraps (worker-client.js): blob:<origin>/<uuid>.
  const targets = targetInfos.filter((t) => t.type === 'worker' && (t.url.startsWith(origin) || t.url.startsWith(`blob:${origin}`)));
  if (!targets.length) throw new Error('the page has no worker');
  return Promise.all(targets.map(workerSession));
}

async function workerSession(target) {
  const { sessionId } = await browserCdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let next = 1;
  const waiting = new Map();
  const onMessage = (e) => {
    if (e.sessionId !== sessionId) return;
    const msg = JSON.parse(e.message);
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.error) w.reject(new Error(msg.error.message));
    else w.resolve(msg.result);
  };
  browserCdp.on('Target.receivedMessageFromTarget', onMessage);
  return {
    send(method, params = {}) {
      const id = next++;
      return new Promise((ok, fail) => {
        waiting.set(id, { resolve: ok, reject: fail });
        browserCdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(fail);
      });
    },
    async close() {
      browserCdp.off('Target.receivedMessageFromTarget', onMessage);
      await browserCdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    },
  };
}

async function oneRun(rep) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('ip-ranges.amazonaws.com') && !/ERR_INTERNET_DISCONNECTED/.test(m.text())) errors.push(m.text());
  });
  // No internet here: the page falls back to its bundled ip-ranges.json, as it does offline.
  await page.route('https://ip-ranges.amazonaws.com/**', (r) => r.abort('internetdisconnected'));
  await page.addInitScript(pageProbe);
  await page.goto(server.url + query);
  // A user drops the file once the page is ready and says which ip-ranges it uses.
  await page.waitForFunction(() => document.getElementById('status').textContent === 'Ready.'
    && document.getElementById('ipranges-status').dataset.source, null, { timeout: 60_000 });
  const pageCdp = await context.newCDPSession(page);
  const workers = await workerSessions(new URL(server.url).origin);

  // The file, disk-backed as a dropped file is, in an input of our own (the page does not listen
  // to it), then dropped on the page's drop zone with a real DataTransfer.
  await page.evaluate(() => {
    const input = Object.assign(document.createElement('input'), { type: 'file', id: '__bench-file', hidden: true });
    document.body.append(input);
  });
  await page.setInputFiles('#__bench-file', data);

  const samples = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const t = Date.now();
      const [p, ...ws] = await Promise.all([pageCdp.send('Runtime.getHeapUsage'), ...workers.map((w) => w.send('Runtime.getHeapUsage'))]);
      const sum = (f) => ws.reduce((a, w) => a + f(w), 0);
      samples.push({
        at: Date.now(), lag: Date.now() - t, page: p.usedSize, pageBuffers: p.backingStorageSize ?? 0,
        worker: sum((w) => w.usedSize), workerBuffers: sum((w) => w.backingStorageSize ?? 0),
      });
      await new Promise((ok) => setTimeout(ok, SAMPLE_MS));
    }
  })();

  if (tracePath && rep === 0) await browser.startTracing(page, { path: tracePath, screenshots: false });
  await page.evaluate(() => {
    const file = document.getElementById('__bench-file').files[0];
    const dt = new DataTransfer();
    dt.items.add(file);
    const zone = document.getElementById('drop-zone');
    const fire = (type) => zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    fire('dragenter');
    fire('dragover');
    window.__pageBench.t.drop = performance.now();
    fire('drop');
  });
  await page.waitForFunction(() => ['rows', 'counts', 'summary', 'allRows'].every((k) => window.__pageBench.t[k] !== undefined),
    null, { timeout: 30 * 60_000, polling: 100 });
  // Long-task entries are delivered after the task: give them a moment.
  await page.waitForTimeout(300);
  sampling = false;
  await sampler;
  if (tracePath && rep === 0) await browser.stopTracing();

  const probe = await page.evaluate(() => {
    const st = document.getElementById('status').dataset;
    const counts = document.getElementById('counts').dataset;
    return {
      ...window.__pageBench,
      decodeMs: Number(st.decodeMs),
      wasmBytes: Number(st.memoryBytes),
      records: Number(counts.records),
      errors: Number(counts.errors),
      lines: Number(counts.lines),
      rows: document.querySelectorAll('#results article.entry').length,
    };
  });
  await Promise.all(workers.map((w) => w.close()));
  await context.close();
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);

  const { t } = probe;
  // Tasks that start after the drop: the drop's own task is this script's evaluate (Playwright's
  // machinery around the page's drop handler), not the page's.
  const end = Math.max(t.summary, t.allRows);
  const during = probe.longTasks.filter((e) => e.start >= t.drop && e.start <= end);
  const longest = during.reduce((a, e) => (e.duration > a.duration ? e : a), { start: NaN, duration: 0 });
  // Each sample with the WASM memory last reported before it; the last sample (taken after the
  // summary) with the final figure.
  // (summed over the workers: the decoding worker is the first started, its final figure is the
  // page's).
  const wasmAt = (at) => {
    const most = new Map();
    for (const w of probe.wasm) if (w.at <= at) most.set(w.worker, Math.max(most.get(w.worker) ?? 0, w.bytes));
    return most;
  };
  for (const s of samples) s.wasm = [...wasmAt(s.at).values()].reduce((a, b) => a + b, 0);
  const last = wasmAt(Infinity);
  last.set(0, Math.max(last.get(0) ?? 0, probe.wasmBytes));
  samples[samples.length - 1].wasm = [...last.values()].reduce((a, b) => a + b, 0);
  const workersSeen = workers.length;
  const total = (s) => s.page + s.pageBuffers + s.worker + s.workerBuffers + s.wasm;
  const peak = samples.reduce((a, s) => (total(s) > total(a) ? s : a), samples[0]);
  const peakBytes = total(peak);
  const run = {
    rows: (t.rows - t.drop) / 1000,
    summary: (t.summary - t.drop) / 1000,
    rowsDom: (t.rowsDom - t.drop) / 1000,
    summaryDom: (t.summaryDom - t.drop) / 1000,
    counts: (t.counts - t.drop) / 1000,
    allRows: (t.allRows - t.drop) / 1000,
    worker: probe.decodeMs / 1000,
    longest: longest.duration / 1000,
    longestAt: (longest.start - t.drop) / 1000,
    longTasks: during.length,
    peakBytes,
    peak,
    workers: workersSeen,
    wasmBytes: probe.wasmBytes,
    samples: samples.length,
    maxLag: Math.max(...samples.map((s) => s.lag)),
    records: probe.records,
    errors: probe.errors,
    lines: probe.lines,
    rowsShown: probe.rows,
  };
  log(`run ${rep + 1}/${reps}: first rows ${run.rows.toFixed(3)} s, counts ${run.counts.toFixed(3)} s, summary ${run.summary.toFixed(3)} s (worker decode ${run.worker.toFixed(3)} s, summary in the DOM ${run.summaryDom.toFixed(3)} s), all ${run.rowsShown} entries ${run.allRows.toFixed(3)} s, `
    + `longest task ${(run.longest * 1000).toFixed(0)} ms at +${run.longestAt.toFixed(3)} s (${run.longTasks} over ${LONG_TASK_MS} ms), `
    + `peak ${mb(run.peakBytes)} (page ${mb(peak.page)} + ${mb(peak.pageBuffers)} buffers, ${run.workers} workers ${mb(peak.worker)} + ${mb(peak.workerBuffers)} buffers + WASM ${mb(peak.wasm)}), `
    + `${run.samples} samples, slowest answer ${run.maxLag} ms; long tasks (start after drop/duration, ms): `
    + (during.map((e) => `${(e.start - t.drop).toFixed(0)}/${e.duration.toFixed(0)}`).join(' ') || 'none'));
  const longFrames = probe.frames.filter((x) => x.start >= t.drop && x.start <= end && x.duration > LONG_TASK_MS);
  for (const f of longFrames.sort((a, b) => b.duration - a.duration).slice(0, 3)) {
    log(`  long frame at +${((f.start - t.drop) / 1000).toFixed(3)} s, ${f.duration.toFixed(0)} ms: style+layout+paint ${f.layout.toFixed(0)} ms; `
      + (f.scripts.map((x) => `${x.what} ${x.duration.toFixed(0)} ms`).join(', ') || 'no script'));
  }
  return run;
}

const runs = [];
try {
  for (let i = 0; i < reps; i++) runs.push(await oneRun(i));
} finally {
  await browser.close();
  await server.close();
}

const first = runs[0];
const stat = (key) => ({ seconds: median(runs.map((r) => r[key])), min: Math.min(...runs.map((r) => r[key])), runs: runs.length });
const base = { records: first.records, bytes: inputBytes };
const name = basename(data);
const rows = [
  { engine: 'page', bench: 'page_first_rows', ...stat('rows'), ...base, ops: first.records, check: `with the counts and "Decoded"; all ${first.rowsShown} entries of the first page painted at ${median(runs.map((r) => r.allRows)).toFixed(3)} s (${name})` },
  { engine: 'page', bench: 'page_summary', ...stat('summary'), ...base, ops: first.records, check: `the Summary section (mark flowlens:summary at ${median(runs.map((r) => r.summaryDom)).toFixed(3)} s); ${first.records} records, ${first.errors} errors, ${first.lines} lines` },
  { engine: 'page', bench: 'page_worker_decode', ...stat('worker'), ...base, ops: first.records, check: 'decodeFile in the decoding worker: the slices the page sends + DecodeSession.push + DecodeSession.finish' },
  { engine: 'page', bench: 'page_longest_task', ...stat('longest'), ...base, ops: median(runs.map((r) => r.longTasks)),
    check: `tasks over ${LONG_TASK_MS} ms from the drop until the first page of entries is in, per run: ${runs.map((r) => r.longTasks).join('/')}; longest per run: ${runs.map((r) => (r.longest ? `${(r.longest * 1000).toFixed(0)} ms` : 'none')).join('/')}` },
];
const peakRun = runs.find((r) => r.peakBytes === median(runs.map((x) => x.peakBytes)));
const p = peakRun.peak;
rows.push({
  engine: 'page', bench: 'page_peak_memory', seconds: null, min: null, runs: runs.length, ...base, ops: 0,
  value: peakRun.peakBytes, unit: 'bytes', min_value: Math.min(...runs.map((r) => r.peakBytes)),
  check: `page JS heap ${mb(p.page)} + buffers ${mb(p.pageBuffers)}, ${peakRun.workers} workers: JS heaps ${mb(p.worker)} + buffers ${mb(p.workerBuffers)} + WASM memories ${mb(p.wasm)}; ${peakRun.samples} samples`,
});
for (const r of rows) console.log(JSON.stringify(r));
