// Owns the WASM decoding session. Every decode and the ip-ranges loading happen here, so the page
// never freezes. Requests are handled one at a time, in the order they arrive.
import init, { Session, field_specs } from './pkg/flowlens.js';

const LIVE_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';
const BUNDLED_URL = new URL('data/ip-ranges.json', import.meta.url);
const LIVE_TIMEOUT_MS = 4000;
// Files are read in slices of this size, so that a file of any size streams through the decoder.
const CHUNK = 4 * 1024 * 1024;
// Plain-text files up to this size are sent back for the page's text box; others are only decoded.
const ECHO_LIMIT = 512 * 1024;
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

// Live data when reachable (it changes several times a week), else the snapshot shipped with the page.
// A bad live file is no worse than none: load_ip_ranges throws and the snapshot is used.
async function loadRanges() {
  await wasmReady;
  let liveError = null;
  try {
    const text = await fetchText(LIVE_URL, LIVE_TIMEOUT_MS);
    const info = session.load_ip_ranges(text, 'live');
    return { info, liveError };
  } catch (e) {
    liveError = String(e && e.message ? e.message : e);
  }
  try {
    const text = await fetchText(BUNDLED_URL, 0);
    const info = session.load_ip_ranges(text, 'bundled');
    return { info, liveError };
  } catch (e) {
    return { info: null, liveError, bundledError: String(e && e.message ? e.message : e) };
  }
}

const ranges = loadRanges().then(
  (r) => self.postMessage({ type: 'ipranges', ...r }),
  () => null, // init failed: reported below
);
// A failed init is reported once, as a fatal error, by whichever request sees it first.
wasmReady.catch((e) => self.postMessage({ type: 'fatal', error: String(e && e.message ? e.message : e) }));

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

function result(id, count, lang, extra = {}) {
  dataId = id;
  return {
    dataId, report: session.report(), total: session.len(), entries: session.entries(0, count, lang),
    memory: session.memory_bytes(), ...extra,
  };
}

const handlers = {
  async decode({ id, text, format: f, lang, count }) {
    await ranges; // so that AWS addresses are recognised from the first decode on
    applyFormat(f);
    session.decode(text);
    return result(id, count, lang);
  },

  // Streams the file through the session slice by slice, telling the page how far it is.
  async decodeFile({ id, file, format: f, lang, count }) {
    await ranges;
    applyFormat(f);
    const t0 = performance.now();
    let echo;
    session.begin();
    let read = 0;
    let lines = 0;
    while (read < file.size) {
      const bytes = new Uint8Array(await file.slice(read, read + CHUNK).arrayBuffer());
      if (read === 0 && file.size <= ECHO_LIMIT && isText(bytes)) echo = new TextDecoder('utf-8').decode(bytes);
      lines = session.push(bytes);
      read += bytes.length;
      if (bytes.length === 0) break; // the file shrank while being read
      self.postMessage({ type: 'progress', id, read, total: file.size, lines });
    }
    session.finish();
    return result(id, count, lang, { text: echo, ms: performance.now() - t0 });
  },

  async format({ text }) {
    await wasmReady;
    const normalized = session.set_format(text);
    format = text;
    return { normalized };
  },

  async entries({ dataId: want, start, count, lang }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    return { dataId, entries: session.entries(start, count, lang) };
  },

  async fields({ lang }) {
    await wasmReady;
    return { specs: field_specs(lang) };
  },
};

let queue = Promise.resolve();

self.onmessage = (event) => {
  const msg = event.data;
  queue = queue.then(async () => {
    try {
      const handler = handlers[msg.op];
      if (!handler) throw new Error(`unknown request ${msg.op}`);
      const result = await handler(msg);
      self.postMessage({ id: msg.id, ok: true, result });
    } catch (e) {
      // A trap (panic, out of memory) leaves the WASM instance unusable: the page starts a new worker.
      const fatal = e instanceof WebAssembly.RuntimeError || session === null;
      self.postMessage({ id: msg.id, ok: false, fatal, error: String(e && e.message ? e.message : e) });
    }
  });
};
