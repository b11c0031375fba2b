// Owns a WASM session. Every decode and the ip-ranges loading happen here, so the page never
// freezes. Requests are handled one at a time, in the order they arrive.
//
// The page runs this script twice when the machine has two cores or more: the decoding worker
// (keeps the records, explains the entries shown, chooses the ip-ranges), and a summary worker
// (`?role=summary`) that makes the Summary section at the same time, so that the summary does
// not wait for the decode and a pass over its records. The decoding worker hands it what the
// summary reads of each record (a few dozen bytes; `Session.take_fields_into`) a slice of the
// input at a time, through a MessageChannel the page sets up ('connect'), then what the input
// tells of its interfaces (`Session.told`). The summary worker uses the ip-ranges the decoding
// worker chose: the page hands it the same text ('useRanges') or the user's file ('loadRanges').
import init, { Session, field_specs } from './pkg/flowlens.js';

const SUMMARY_ROLE = new URL(self.location.href).searchParams.get('role') === 'summary';

const LIVE_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';
const BUNDLED_URL = new URL('data/ip-ranges.json', import.meta.url);
const LIVE_TIMEOUT_MS = 4000;
// A slice goes into the session in parts of this size (see decodeFile).
const PUSH = 1024 * 1024;
// Plain-text files up to this size are sent back for the page's text box; others are only decoded.
const ECHO_LIMIT = 512 * 1024;
// A user's ip-ranges.json larger than this is refused (AWS's file is a few MB).
const MAX_RANGES_BYTES = 64 * 1024 * 1024;
let session = null;
let dataId = 0; // the request id whose input the session holds
let format = ''; // the format text the session has, as given by the page

const wasmReady = init().then(() => {
  session = new Session();
  self.postMessage({ type: 'ready' });
});

async function fetchText(url, timeoutMs) {
  const ctrl = new AbortController();
  const timer = timeoutMs ? setTimeout(() => ctrl.abort(), timeoutMs) : 0;
  try {
    const res = await fetch(url, { signal: ctrl.signal, credentials: 'omit' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.text();
  } finally {
    clearTimeout(timer);
  }
}

// Where the ip-ranges in use came from, sent with every 'ipranges' event:
// {kind: 'live'|'kept'|'bundled'|'file', name?, fetchedAt?}.
let rangesOrigin = null;

// The last live ip-ranges.json that loaded, kept in IndexedDB with its createDate and the time it
// was fetched, so that a later visit without the network still gets recent data. Storage can be
// unavailable (private windows, disabled storage): then nothing is kept and nothing breaks.
const KEPT_DB = 'flowlens';
const KEPT_STORE = 'ip-ranges';
const KEPT_KEY = 'last-good';

function openKept() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(KEPT_DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(KEPT_STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('storage blocked'));
  });
}

async function keptStore(mode, act) {
  const db = await openKept();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(KEPT_STORE, mode);
      const req = act(tx.objectStore(KEPT_STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error('aborted'));
    });
  } finally {
    db.close();
  }
}

const readKept = () => keptStore('readonly', (s) => s.get(KEPT_KEY)).catch(() => undefined);
const writeKept = (copy) => keptStore('readwrite', (s) => s.put(copy, KEPT_KEY)).catch(() => undefined);
const dropKept = () => keptStore('readwrite', (s) => s.delete(KEPT_KEY)).catch(() => undefined);

// ip-ranges text crosses into WASM as UTF-8 bytes (one copy, not a character at a time).
const utf8 = new TextEncoder();
const loadRangesText = (text, source) => session.load_ip_ranges(utf8.encode(text), source);
const errorText = (e) => String(e && e.message ? e.message : e);
// Why the live file could not be used, in words the page can say in any of its languages: the
// reasons from Rust ({en, ja}) for a file it refused, or one of the page's strings.
function liveProblem(e) {
  if (e && e.reasons && typeof e.reasons.en === 'string') return { en: e.reasons.en, ja: e.reasons.ja };
  if (e && e.name === 'AbortError') return { key: 'ipRangesLiveTimeout', args: [LIVE_TIMEOUT_MS / 1000] };
  const http = /^HTTP (\d+)$/.exec(errorText(e));
  if (http) return { key: 'ipRangesLiveHttp', args: [Number(http[1])] };
  if (e instanceof TypeError) return { key: 'ipRangesLiveNetwork', args: [] };
  return { key: 'ipRangesLiveOther', args: [errorText(e)] };
}
// createDate is "YYYY-MM-DD-hh-mm-ss": as strings, later dates sort later.
const createDateOf = (text) => /"createDate"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? '';

// Live data when reachable (it changes several times a week); else the last live copy kept from an
// earlier visit, unless the snapshot shipped with the page is newer; else that snapshot. A bad
// file is no worse than none: load_ip_ranges throws and the next source is tried.
async function loadRanges() {
  await wasmReady;
  let liveError = null;
  try {
    const text = await fetchText(LIVE_URL, LIVE_TIMEOUT_MS);
    const info = loadRangesText(text, 'live');
    rangesOrigin = { kind: 'live' };
    // Not awaited: decoding need not wait for the disk.
    writeKept({ text, createDate: info.createDate, syncToken: info.syncToken, fetchedAt: Date.now() });
    return { info, liveError, text };
  } catch (e) {
    liveError = liveProblem(e);
  }
  let bundled = null;
  let bundledError;
  try {
    bundled = await fetchText(BUNDLED_URL, 0);
  } catch (e) {
    bundledError = errorText(e);
  }
  const kept = await readKept();
  if (kept && typeof kept.text === 'string' && (!bundled || kept.createDate >= createDateOf(bundled))) {
    try {
      const info = loadRangesText(kept.text, 'kept');
      rangesOrigin = { kind: 'kept', fetchedAt: kept.fetchedAt };
      return { info, liveError, text: kept.text };
    } catch {
      await dropKept(); // unusable: never try it again
    }
  }
  if (bundled !== null) {
    try {
      const info = loadRangesText(bundled, 'bundled');
      rangesOrigin = { kind: 'bundled' };
      return { info, liveError, text: bundled };
    } catch (e) {
      bundledError = errorText(e);
    }
  }
  return { info: null, liveError, bundledError, text: null };
}

const rangesEvent = (r) => ({ type: 'ipranges', ...r, origin: rangesOrigin });

// The decoding worker chooses the ip-ranges, and sends the text of its choice with its first
// 'ipranges' event (`text`: null when there is none) for the page to hand to the summary worker,
// which waits for it.
let rangesGiven = null;
const ranges = SUMMARY_ROLE
  ? new Promise((resolve) => { rangesGiven = resolve; })
  : loadRanges().then(
    (r) => {
      warmUp(); // before the page hears that the worker is ready for input
      self.postMessage(rangesEvent(r));
    },
    () => null, // init failed: reported below
  );
// A failed init is reported once, as a fatal error, by whichever request sees it first.
wasmReady.catch((e) => self.postMessage({ type: 'fatal', error: errorText(e) }));

function isText(bytes) {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return false; // gzip
  return !bytes.includes(0);
}

// The page sends its format with every decode, so a new worker (after a crash or a cancel) has it.
function applyFormat(text = '') {
  if (text === format) return;
  session.set_format(text);
  format = text;
}

// Slices of the file being decoded, sent by the page ('slice' messages, not queued: the request
// that waits for them is ahead of them in the queue), by request id: the page reads the file, so
// that reading goes on while this worker decodes (a worker busy in WASM does not take in what it
// reads until it is done).
const inbox = new Map(); // request id -> {slices: [message], wake: resolve | null}
function inboxOf(id) {
  if (!inbox.has(id)) inbox.set(id, { slices: [], wake: null });
  return inbox.get(id);
}
function sliceArrived(msg) {
  const box = inboxOf(msg.id);
  if (box.wake) {
    const wake = box.wake;
    box.wake = null;
    wake(msg);
  } else {
    box.slices.push(msg);
  }
}
// The next slice of request `id`: {bytes: ArrayBuffer, length} (0 at the end), {error}, or {abort}.
function nextSlice(id) {
  const box = inboxOf(id);
  if (box.slices.length) return Promise.resolve(box.slices.shift());
  return new Promise((resolve) => { box.wake = resolve; });
}

// The decoding worker's side of the channel: for decode `summaryId` (0: none), `on` says whether
// to keep the records' fields; fields() sends those decoded so far, end() the rest and what the
// input tells; fail() (after end(), nothing) tells the summary worker there will be no end.
let summaryPort = null;
// The fields' buffers the summary worker gives back once it has tallied them, reused for the next
// fields: a new buffer every 1 MB of input took fresh memory each time (~1 ms per buffer here).
const spares = [];
const MAX_SPARES = 16;
const FIELDS_BUFFER = 1024 * 1024;
function spareBuffer(n) {
  while (spares.length) {
    const b = spares.pop();
    if (b.byteLength >= n) return b;
  }
  return new ArrayBuffer(Math.max(n, FIELDS_BUFFER));
}
function feeder(summaryId) {
  const port = summaryId && summaryPort;
  if (!port) return { on: false, fields() {}, end() {}, fail() {} };
  port.postMessage({ summaryId, begin: true });
  let ended = false;
  const fields = () => {
    const n = session.fields_len();
    if (!n) return;
    const buffer = spareBuffer(n);
    session.take_fields_into(new Uint8Array(buffer, 0, n));
    port.postMessage({ summaryId, fields: buffer, length: n }, [buffer]);
  };
  return {
    on: true,
    fields,
    end() {
      fields();
      port.postMessage({ summaryId, told: session.told() });
      ended = true;
    },
    fail() {
      if (!ended) port.postMessage({ summaryId, failed: true });
    },
  };
}

// The summary worker's side: one summary at a time; a new one drops the one before.
const tallies = new Map(); // summaryId -> {done: Promise, resolve, reject}
let tallying = 0; // the summaryId being received
let memoryTold = 0; // the WASM memory last told to the page
function tallyOf(summaryId) {
  let t = tallies.get(summaryId);
  if (!t) {
    t = {};
    t.done = new Promise((resolve, reject) => Object.assign(t, { resolve, reject }));
    t.done.catch(() => {}); // a summary nobody asks for may fail unobserved
    tallies.set(summaryId, t);
  }
  return t;
}
function tallyMessage(m) {
  if (m.begin) {
    for (const [k, t] of tallies) if (k !== m.summaryId) t.reject(new Error('replaced by a newer input'));
    for (const k of [...tallies.keys()]) if (k < m.summaryId) tallies.delete(k);
    tallying = m.summaryId;
    dataId = 0;
    session.tally_begin();
    return;
  }
  if (m.summaryId !== tallying) return;
  if (m.fields) {
    session.tally_push(new Uint8Array(m.fields, 0, m.length));
    summaryPort?.postMessage({ spare: m.fields }, [m.fields]);
    const memory = session.memory_bytes(); // (told when it grows: it never shrinks)
    if (memory !== memoryTold) self.postMessage({ type: 'memory', memory });
    memoryTold = memory;
  } else if (m.told) {
    session.tally_finish(m.told);
    tallying = 0;
    dataId = m.summaryId;
    tallyOf(m.summaryId).resolve();
  } else if (m.failed) {
    tallying = 0;
    tallyOf(m.summaryId).reject(new Error('the input could not be decoded'));
  }
}

function result(id, count, lang, extra = {}) {
  dataId = id;
  return {
    dataId, report: session.report(), total: session.len(), entries: session.entries(0, count, lang),
    memory: session.memory_bytes(), ...extra,
  };
}

const handlers = {
  // `summaryId` (when the page has a summary worker): the records' fields go to it (see above).
  async decode({ id, text, format: f, lang, count, summaryId }) {
    await ranges; // so that AWS addresses are recognised from the first decode on
    applyFormat(f);
    const feed = feeder(summaryId);
    try {
      session.decode(text, feed.on);
      feed.end();
    } finally {
      feed.fail();
    }
    return result(id, count, lang);
  },

  // Streams a file of `size` bytes through the session slice by slice as the page sends them
  // ('slice' messages with this request's id), telling the page how far it is after each
  // ('progress': the page reads a few slices ahead of it).
  async decodeFile({ id, size, format: f, lang, count, summaryId }) {
    await ranges;
    applyFormat(f);
    const t0 = performance.now();
    let echo;
    const feed = feeder(summaryId);
    try {
      session.begin(feed.on);
      let read = 0;
      while (read < size) {
        const m = await nextSlice(id);
        if (m.abort) throw new Error('replaced by a newer input');
        if (m.error) throw new Error(m.error);
        const bytes = new Uint8Array(m.bytes, 0, m.length);
        if (bytes.length === 0) break; // the file shrank while being read
        if (read === 0 && size <= ECHO_LIMIT && isText(bytes)) echo = new TextDecoder('utf-8').decode(bytes);
        // In parts, the fields taken after each: a slice of gzip is ~8 times as much text, and its
        // records' fields would otherwise pile up in WASM memory (which never shrinks).
        let lines = 0;
        for (let at = 0; at < bytes.length; at += PUSH) {
          lines = session.push(bytes.subarray(at, at + PUSH));
          feed.fields();
        }
        read += bytes.length;
        // The slice's buffer goes back to the page to be read into again.
        const spare = m.bytes;
        self.postMessage({ type: 'progress', id, read, total: size, lines, memory: session.memory_bytes(), spare }, [spare]);
      }
      session.finish();
      feed.end();
    } finally {
      feed.fail();
      inbox.delete(id);
    }
    return result(id, count, lang, { text: echo, ms: performance.now() - t0 });
  },

  // The summary worker: the ip-ranges text the decoding worker chose (null: none).
  async useRanges({ text, source }) {
    await wasmReady;
    try {
      if (typeof text === 'string') loadRangesText(text, source || 'bundled');
    } finally {
      rangesGiven?.();
    }
    return {};
  },

  // Either worker: the end of the MessageChannel between them.
  async connect({ port }) {
    summaryPort?.close();
    summaryPort = port;
    if (SUMMARY_ROLE) port.onmessage = (e) => tallyMessage(e.data);
    else port.onmessage = (e) => { if (e.data.spare && spares.length < MAX_SPARES) spares.push(e.data.spare); };
    return {};
  },

  // The summary worker: the summary of decode `summaryId` (`top` rows per table, in `lang`), once
  // the decoding worker has handed over all of it.
  async summarise({ summaryId, lang, top }) {
    await tallyOf(summaryId).done;
    await ranges; // the rows of the summary are explained with the ip-ranges in use
    return { dataId, overview: session.overview(lang, top) };
  },

  async format({ text }) {
    await wasmReady;
    const normalized = session.set_format(text);
    format = text;
    return { normalized };
  },

  // The summary of the input the session holds (computed in Rust, once per input; a new language
  // or new ip-ranges only explain its rows again).
  async overview({ dataId: want, lang, top }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    return { dataId, overview: session.overview(lang, top) };
  },

  async entries({ dataId: want, start, count, lang }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    return { dataId, entries: session.entries(start, count, lang) };
  },

  // The user's own ip-ranges.json. When it is refused (not JSON, not ip-ranges), this throws with
  // the reason in `lang` and, for the page, in both languages (`reasons`) or as a string key of
  // the page (`key`, `args`); the ranges in use stay as they were.
  async loadRanges({ file, lang }) {
    await ranges; // after the automatic choice, so that it cannot replace the user's file
    if (file.size > MAX_RANGES_BYTES) {
      const mb = MAX_RANGES_BYTES / 1024 / 1024;
      throw Object.assign(new Error(`the file is larger than ${mb} MB`), { key: 'ipRangesTooLarge', args: [mb] });
    }
    const info = session.load_ip_ranges(new Uint8Array(await file.arrayBuffer()), 'file', lang);
    rangesOrigin = { kind: 'file', name: file.name };
    self.postMessage(rangesEvent({ info, liveError: null }));
    return { info, origin: rangesOrigin };
  },

  async fields({ lang }) {
    await wasmReady;
    return { specs: field_specs(lang) };
  },
};

// What the page needs to say an error in any of its languages: the reason in each language
// (`reasons: {en, ja}`, from Rust) or a key of the page's strings with its arguments.
function localizedError(e) {
  const out = {};
  if (e && e.reasons && typeof e.reasons.en === 'string') out.reasons = { en: e.reasons.en, ja: e.reasons.ja };
  if (e && typeof e.key === 'string') Object.assign(out, { key: e.key, args: e.args || [] });
  return out;
}

async function handle(msg) {
  try {
    const handler = handlers[msg.op];
    if (!handler) throw new Error(`unknown request ${msg.op}`);
    const result = await handler(msg);
    self.postMessage({ id: msg.id, ok: true, result });
  } catch (e) {
    // A trap (panic, out of memory) leaves the WASM instance unusable: the page starts a new worker.
    const fatal = e instanceof WebAssembly.RuntimeError || session === null;
    self.postMessage({ id: msg.id, ok: false, fatal, error: errorText(e), ...localizedError(e) });
  }
}

let queue = Promise.resolve();

// While the worker waits for its first input, its code runs once over a made-up one (see
// src/warm.rs): the engine first runs WebAssembly in quickly made baseline code and optimises
// the functions that turn out hot, so the first real input would pay for that (its Summary came
// 50-170 ms later per 1M records). The decoding worker warms up before it says which ip-ranges
// it uses (the page is ready for input then); the summary worker as its first queued request.
const WARM_RECORDS = 4000;
function warmUp() {
  if (!session) return;
  try {
    session.warm_up(WARM_RECORDS);
  } catch {
    // Only a warm-up: a real input reports its own problems.
  }
}
if (SUMMARY_ROLE) wasmReady.then(() => { queue = queue.then(warmUp); }, () => {});

self.onmessage = (event) => {
  const msg = event.data;
  // A file's slices, the summary worker's ip-ranges and either worker's channel are not queued:
  // a request waiting for them may be ahead of them.
  if (msg.op === 'slice') sliceArrived(msg);
  else if (msg.op === 'useRanges' || msg.op === 'connect') handle(msg);
  else queue = queue.then(() => handle(msg));
};
