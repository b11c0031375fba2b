// The decoding worker: owns the session that keeps the records of the input, so that every
// decode happens off the page's thread. It decodes pasted text and files (streamed a slice at a
// time), answers for the entries and the summary of the input it holds, checks formats, chooses
// the ip-ranges, and hands the summary worker what it reads of each record. The messages are in
// ../protocol.js.
import './lockdown.js'; // first: before any other module runs
import { DecodeSession, field_specs } from '../pkg/flowlens.js';
import { CHANNEL, EVENT, OP, POST } from '../protocol.js';
import { dropSlices, nextSlice, sliceArrived } from './inbox.js';
import { chooseRanges, loadUserRanges, rangesEvent } from './ipranges.js';
import { open, serve, session, wasmReady, warmUp } from './session.js';

open(() => new DecodeSession());

// A slice goes into the session in parts of this size (see decodeFile).
const PUSH = 1024 * 1024;
// The bytes after a slice's last line break (a line the next slice ends) are held back for the
// next push, up to this many (a longer line goes in as it is): a read stopped by the user then
// ends on a whole line. The bytes pushed are the same, in the same order; only the parts differ.
const CARRY_MAX = 64 * 1024;
// Plain-text files up to this size are sent back for the page's text box; others are only decoded.
const ECHO_LIMIT = 512 * 1024;
// An export is taken out of WASM memory in parts of about this size.
const EXPORT_CHUNK = 4 * 1024 * 1024;

let dataId = 0; // the request id whose input the session holds
let format = ''; // the format text the session has, as given by the page

// The ip-ranges are chosen first, so that AWS addresses are recognised from the first decode on;
// the session warms up before the page hears of them (and so takes input). The event carries the
// text of the choice, for the page to hand to the summary worker.
const ranges = chooseRanges().then(
  (r) => {
    warmUp();
    self.postMessage(rangesEvent(r));
  },
  () => null, // init failed: reported as a fatal error (session.js)
);

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

// This worker's end of the channel to the summary worker ('connect').
let summaryPort = null;
// The fields' buffers the summary worker gives back once it has tallied them, reused for the next
// fields: a new ArrayBuffer is backed by fresh, zeroed memory, which is slow to come by.
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

// What decode `summaryId` (0: none) hands the summary worker: `on` says whether the session keeps
// the records' fields; fields() sends those decoded so far, end() the rest and what the input
// tells; fail() (after end(), nothing) tells the summary worker there will be no end.
function feeder(summaryId) {
  const port = summaryId && summaryPort;
  if (!port) return { on: false, flush: undefined, fields() {}, end() {}, fail() {} };
  port.postMessage({ type: CHANNEL.begin, summaryId });
  let ended = false;
  const fields = () => {
    const n = session.fields_len();
    if (!n) return;
    const buffer = spareBuffer(n);
    session.take_fields_into(new Uint8Array(buffer, 0, n));
    port.postMessage({ type: CHANNEL.fields, summaryId, fields: buffer, length: n }, [buffer]);
  };
  return {
    on: true,
    // The fields handed over in the middle of a push (a small gzip may hold gigabytes of records):
    // `bytes` is a copy, its buffer moved to the summary worker.
    flush(bytes) {
      port.postMessage({ type: CHANNEL.fields, summaryId, fields: bytes.buffer, length: bytes.length }, [bytes.buffer]);
    },
    fields,
    end() {
      fields();
      port.postMessage({ type: CHANNEL.told, summaryId, told: session.told() });
      ended = true;
    },
    fail() {
      if (!ended) port.postMessage({ type: CHANNEL.failed, summaryId });
    },
  };
}

function result(id, count, lang, extra = {}) {
  dataId = id;
  return {
    dataId, report: session.report(), total: session.len(), entries: session.entries(0, count, lang),
    memory: session.memory_bytes(), ...extra,
  };
}

// The records an input may keep: at most `keep` (from the page's address), within the memory
// budget (the session's default: 1.5 GiB of WebAssembly's 4 GiB).
function applyBudget(keep) {
  session.set_budget(undefined, keep > 0 ? keep : undefined);
}

const handlers = {
  async [OP.decode]({ id, text, format: f, lang, count, summaryId, keep }) {
    await ranges;
    applyFormat(f);
    applyBudget(keep);
    const feed = feeder(summaryId);
    try {
      session.decode(text, feed.on, feed.flush);
      feed.end();
    } finally {
      feed.fail();
    }
    return result(id, count, lang);
  },

  // Streams a file of `size` bytes through the session slice by slice as the page sends them,
  // telling the page how far it is after each ('progress': the page reads a few slices ahead of it).
  // With `files` ([{name, size}], `size` their sum), several files are decoded one after the
  // other as one input: each file's shape recognised afresh, its lines numbered per file.
  async [OP.decodeFile]({ id, size, files, format: f, lang, count, summaryId, keep }) {
    await ranges;
    applyFormat(f);
    applyBudget(keep);
    const t0 = performance.now();
    let echo;
    let partial;
    let carry = null; // the start of a line, held back (see CARRY_MAX)
    const feed = feeder(summaryId);
    try {
      session.begin(feed.on, feed.flush);
      let read = 0; // of all the files
      files: for (const part of files || [{ size }]) {
        if (files) session.next_file(part.name);
        let at = 0; // of this file
        while (at < part.size) {
          const m = await nextSlice(id);
          if (m.abort) throw new Error('replaced by a newer input');
          // The user stopped the read: the whole lines decoded so far are the input.
          if (m.stop) {
            partial = { read, total: size };
            break files;
          }
          if (m.error) throw new Error(m.error);
          const bytes = new Uint8Array(m.bytes, 0, m.length);
          if (bytes.length === 0) break; // the file shrank while being read
          if (!files && at === 0 && size <= ECHO_LIMIT && isText(bytes)) echo = new TextDecoder('utf-8').decode(bytes);
          // In parts, the fields taken after each: a slice of gzip is ~8 times as much text, and its
          // records' fields would otherwise pile up in WASM memory (which never shrinks). The end
          // of a slice after its last line end waits for the next slice (a stop never decodes half
          // a line).
          let lines = 0;
          if (carry) {
            lines = session.push(carry);
            carry = null;
          }
          const nl = bytes.lastIndexOf(10);
          const end = nl >= 0 && bytes.length - nl - 1 <= CARRY_MAX ? nl + 1 : bytes.length;
          for (let p = 0; p < end; p += PUSH) {
            lines = session.push(bytes.subarray(p, Math.min(p + PUSH, end)));
            feed.fields();
          }
          if (end < bytes.length) carry = bytes.slice(end); // a copy: the buffer goes back to the page
          at += bytes.length;
          read += bytes.length;
          // The slice's buffer goes back to the page to be read into again.
          const spare = m.bytes;
          self.postMessage({ type: EVENT.progress, id, read, total: size, lines, memory: session.memory_bytes(), spare }, [spare]);
        }
        // The file's last bytes, before the next file starts.
        if (carry) {
          session.push(carry);
          feed.fields();
          carry = null;
        }
      }
      session.finish();
      feed.end();
    } finally {
      feed.fail();
      dropSlices(id);
    }
    return result(id, count, lang, { text: partial ? undefined : echo, ms: performance.now() - t0, partial });
  },

  // The summary of the input the session holds (computed in Rust, once per input; a new language
  // or new ip-ranges only explain its rows again).
  async [OP.overview]({ dataId: want, lang, top }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    return { dataId, overview: session.overview(lang, top) };
  },

  async [OP.entries]({ dataId: want, start, count, lang }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    return { dataId, entries: session.entries(start, count, lang) };
  },

  // The view: the records a filter keeps, in a sort's order (every record after a decode).
  async [OP.select]({ dataId: want, expr, sort, lang }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    return { dataId, ...session.select(expr, sort, lang) };
  },

  async [OP.check]({ expr, lang }) {
    await wasmReady;
    return { error: session.check_filter(expr, lang) };
  },

  async [OP.rows]({ dataId: want, start, count }) {
    if (want !== dataId) return { stale: true };
    return { dataId, rows: session.view_rows(start, count) };
  },

  async [OP.viewEntry]({ dataId: want, position, lang }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    return { dataId, entry: session.view_entry(position, lang) };
  },

  async [OP.lineEntry]({ dataId: want, line, lang }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    const i = session.entry_of_line(line);
    const entry = i === undefined ? null : session.entries(i, 1, lang)[0] ?? null;
    return { dataId, position: session.view_position_of_line(line), entry };
  },

  async [OP.viewOverview]({ dataId: want, lang, top }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    return { dataId, overview: session.view_overview(lang, top) };
  },

  // The view's records as a file, written a chunk at a time into a Blob (never one string).
  async [OP.export]({ dataId: want, kind, lang }) {
    await ranges;
    if (want !== dataId) return { stale: true };
    const total = session.export_begin(kind, lang);
    const parts = [];
    let last = 0;
    for (let chunk; (chunk = session.export_next(EXPORT_CHUNK)) !== undefined;) {
      parts.push(chunk);
      const now = performance.now();
      if (now - last > 100) {
        last = now;
        self.postMessage({ type: EVENT.exported, done: session.export_done(), total });
      }
    }
    const type = kind === 'csv' ? 'text/csv' : 'application/x-ndjson';
    return { dataId, blob: new Blob(parts, { type }), count: total };
  },

  async [OP.emit]({ expr, engine, lang }) {
    await ranges;
    return { text: session.emit(expr, engine, lang) };
  },

  async [OP.format]({ text }) {
    await wasmReady;
    const normalized = session.set_format(text);
    format = text;
    return { normalized };
  },

  async [OP.fields]({ lang }) {
    await wasmReady;
    return { specs: field_specs(lang) };
  },

  async [OP.loadRanges]({ file, lang }) {
    await ranges; // after the automatic choice, so that it cannot replace the user's file
    return loadUserRanges(file, lang);
  },

  async [OP.connect]({ port }) {
    summaryPort?.close();
    summaryPort = port;
    port.onmessage = (e) => {
      const m = e.data;
      if (m.type === CHANNEL.spare && spares.length < MAX_SPARES) spares.push(m.buffer);
    };
    return {};
  },
};

serve(handlers, { [POST.slice]: sliceArrived });
