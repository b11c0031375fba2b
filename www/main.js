// Wiring: listens to the controls, asks the worker for decoded entries, hands them to render.js.
import { DecoderClient } from './decoder-client.js';
import { initialLang, saveLang, strings } from './i18n.js';
import {
  applyStrings, highlight, renderCounts, renderEmpty, renderEntries, renderInputInfo, renderReference,
} from './render.js';
import { renderOverview } from './overview.js';

const PAGE = 200; // entries rendered at first and per "Show more"
const TOP = 10; // rows per table of the summary
const SUMMARY_FROM = 2; // records from which the summary is shown (one record is its own summary)
const DEBOUNCE_MS = 250;
const FORMAT_KEY = 'flowlens.format';
const EXAMPLE = [
  '2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK',
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
  '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
  '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA',
].join('\n');

const $ = (id) => document.getElementById(id);
const ui = {
  input: $('input'), results: $('results'), counts: $('counts'), more: $('more'), status: $('status'),
  ipranges: $('ipranges-status'), lang: $('lang'), example: $('example'), clear: $('clear'),
  openFile: $('open-file'), file: $('file'), dropZone: $('drop-zone'), shortcut: $('shortcut-hint'),
  reference: $('reference-body'), format: $('format'), formatClear: $('format-clear'),
  formatStatus: $('format-status'), fileChip: $('file-chip'), progress: $('progress'),
  progressBar: $('progress-bar'), progressText: $('progress-text'), cancel: $('cancel'), inputInfo: $('input-info'),
  iprangesZone: $('ipranges-zone'), iprangesOpen: $('ipranges-open'), iprangesFile: $('ipranges-file'),
  iprangesMessage: $('ipranges-message'), summary: $('summary'),
};

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgentData?.platform || navigator.platform || '');
const MOD = isMac ? '⌘' : 'Ctrl';

const state = {
  lang: initialLang(),
  source: { text: '' }, // what was decoded last: {text} or {file}
  generation: 0, // bumps with every decode request; older answers are dropped
  data: null, // {dataId, report, total, shown}
  format: '', // the format text in use (valid; '' is automatic)
  formatStatus: null, // {key, args} beside the format box ('formatApplying' until a decode with it is shown)
  progress: null, // {id, read, total, lines} of the file being read
  specs: new Map(), // lang -> Map(key -> spec)
  ipranges: null, // the last 'ipranges' event: {info, origin: {kind, name?, fetchedAt?}, liveError}
  rangesFile: null, // the user's ip-ranges.json in use (sent again to a new worker)
  rangesMessage: null, // {key, args} under the ip-ranges line (see localized() for the args)
  status: { key: 'loadingDecoder', args: [] },
  crashes: 0, // worker restarts since the last decode that worked
  // The summary of decode `gen` from the summary worker: {gen, pending} while it reads, then
  // {gen, dataId, records, lang} (the language it is on screen in); null: the decoding worker's.
  summary: null,
  rangesText: null, // {text, source}: the ip-ranges the decoding worker chose, for the summary worker
};

const S = () => strings(state.lang);

function setStatus(key, ...args) {
  state.status = key ? { key, args } : null;
  showStatus();
}

function showStatus() {
  const st = state.status;
  const v = st && S()[st.key];
  ui.status.textContent = typeof v === 'function' ? v(...st.args) : v || '';
  ui.status.classList.toggle('is-error', !!st && ['workerFailed', 'workerCrashed', 'inputCrashed', 'decodeFailed'].includes(st.key));
}

function showFormatStatus() {
  const st = state.formatStatus;
  const v = st && S()[st.key];
  ui.formatStatus.textContent = typeof v === 'function' ? v(...st.args) : v || '';
  ui.formatStatus.classList.toggle('is-error', st?.key === 'formatError');
}

function showFileChip() {
  const { file } = state.source;
  ui.fileChip.hidden = !file;
  ui.fileChip.textContent = file ? S().fileChip(file.name, formatSize(file.size)) : '';
}

function showProgress() {
  const p = state.progress;
  ui.progress.hidden = !p;
  if (!p) return;
  ui.progressBar.value = p.total ? p.read / p.total : 0;
  ui.progressText.textContent = S().progress(formatSize(p.read), formatSize(p.total), p.lines);
}

function showData() {
  const d = state.data;
  renderCounts(ui.counts, d?.report, S());
  renderInputInfo(ui.inputInfo, d?.report, S(), state.lang);
}

function formatTime(ms) {
  try {
    return new Date(ms).toLocaleString(state.lang === 'ja' ? 'ja-JP' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    return new Date(ms).toISOString();
  }
}

// A message argument in the page's language: `{en, ja}` (said by Rust in both), `{key, args}` (a
// string of the page), or a plain value. Kept so, a message shown follows a change of language.
function localized(arg) {
  if (arg && typeof arg === 'object') {
    if (typeof arg[state.lang] === 'string') return arg[state.lang];
    const say = arg.key && S()[arg.key];
    if (typeof say === 'function') return say(...(arg.args || []));
    if (typeof say === 'string') return say;
    if (typeof arg.text === 'string') return arg.text;
  }
  return arg;
}

// Which copy of ip-ranges.json is in use, and its createDate.
function showIpRanges() {
  const ev = state.ipranges;
  const s = S();
  let text = s.ipRangesLoading;
  const kind = ev?.info ? ev.origin?.kind || ev.info.source : '';
  if (ev && ev.info) {
    const { source, createDate } = ev.info;
    text = kind === 'live' ? s.ipRangesLive(createDate)
      : kind === 'bundled' ? s.ipRangesBundled(createDate)
        : kind === 'kept' ? s.ipRangesKept(formatTime(ev.origin.fetchedAt), createDate)
          : kind === 'file' ? s.ipRangesFile(ev.origin.name, createDate)
            : s.ipRangesOther(source, createDate);
  } else if (ev) {
    text = s.ipRangesNone;
  }
  ui.ipranges.textContent = text;
  ui.ipranges.dataset.source = kind;
  ui.ipranges.title = ev?.liveError ? s.ipRangesLiveError(localized(ev.liveError)) : '';
  const m = state.rangesMessage;
  const say = m && s[m.key];
  ui.iprangesMessage.textContent = typeof say === 'function' ? say(...m.args.map(localized)) : say || '';
  ui.iprangesMessage.classList.toggle('is-error', m?.key === 'ipRangesRefused');
}

function showMoreButton() {
  const d = state.data;
  const more = d && d.shown < d.total;
  ui.more.hidden = !more;
  if (more) ui.more.textContent = S().showMore(d.shown, d.total);
}

async function specsFor(lang) {
  if (!state.specs.has(lang)) {
    const { specs } = await client.request('fields', { lang });
    state.specs.set(lang, { list: specs, byKey: new Map(specs.map((f) => [f.key, f])) });
  }
  return state.specs.get(lang);
}

async function showReference() {
  const lang = state.lang;
  const specs = await specsFor(lang);
  if (lang === state.lang) renderReference(ui.reference, specs.list, S());
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// Decodes the current source and renders its first page; true when it did.
async function decode() {
  clearTimeout(decode.timer);
  const gen = ++state.generation;
  progressed(); // a file still being sent for an older decode stops
  const lang = state.lang;
  const { text, file } = state.source;
  const format = state.format;
  // Only say "Decoding…" when it takes long enough to notice.
  const slow = setTimeout(() => gen === state.generation && setStatus(file ? 'readingFile' : 'decoding', file?.name), 150);
  if (file) state.progress = { id: null, read: 0, total: file.size, lines: 0 };
  showProgress();
  // The summary worker makes the summary meanwhile, from what the decoding worker hands it.
  const summaryId = summaries ? gen : 0;
  if (summaryId) summarise(gen, lang);
  else state.summary = null;
  try {
    const [specs, r] = await Promise.all([
      specsFor(lang),
      file
        ? client.request('decodeFile', { size: file.size, format, lang, count: PAGE, summaryId }, (id) => {
          state.progress.id = id;
          sendFile(file, id, gen);
        })
        : client.request('decode', { text, format, lang, count: PAGE, summaryId }),
    ]);
    if (gen !== state.generation) return;
    if (file) {
      if (r.text !== undefined) ui.input.value = r.text;
      setStatus('fileDecoded', file.name, formatSize(file.size), r.ms / 1000);
    } else {
      setStatus('ready');
    }
    state.crashes = 0;
    state.data = { dataId: r.dataId, report: r.report, total: r.total, shown: r.entries.length };
    ui.status.dataset.memoryBytes = String(r.memory);
    if (file) ui.status.dataset.decodeMs = String(Math.round(r.ms));
    else delete ui.status.dataset.decodeMs;
    showData();
    // A long page goes on rendering after this, a slice per frame (see render.js).
    if (r.report.lines === 0) {
      renderEmpty(ui.results, S());
      formatShown(gen, format);
    } else {
      renderEntries(ui.results, r.entries, specs.byKey, S())
        .then((done) => done && formatShown(gen, format))
        .catch((e) => setStatus('decodeFailed', e.message));
    }
    showMoreButton();
    showOverview();
    return true;
  } catch (e) {
    if (gen !== state.generation) return;
    if (e.cancelled) {
      state.data = null;
      showData();
      renderOverview(ui.summary, null, S(), state.lang);
      renderEmpty(ui.results, S());
      showMoreButton();
      setStatus('cancelled', file?.name ?? '');
    } else if (!e.crashed) {
      setStatus('decodeFailed', e.message);
    }
    if (!e.crashed && state.formatStatus?.key === 'formatApplying') {
      state.formatStatus = null; // in use, but not shown on an input
      showFormatStatus();
    }
  } finally {
    clearTimeout(slow);
    if (gen === state.generation) {
      state.progress = null;
      showProgress();
    }
  }
}

// Files are read in slices of this size, so that a file of any size streams through the decoder,
const CHUNK = 4 * 1024 * 1024;
// at most this many slices ahead of what the decoding worker has decoded (memory).
const AHEAD = 3;
// Called whenever the worker says how far it is, or is replaced.
const onProgress = new Set();

// Reads `file` and sends it to the decoding worker a slice at a time, for its request `id` (decode
// `gen`): reading here goes on while the worker decodes (see worker.js). Stops when the worker
// is replaced; tells the worker to stop when a newer decode replaces this one.
async function sendFile(file, id, gen) {
  const worker = client.worker;
  const read = sliceReader(file);
  let sent = 0;
  const done = () => (state.progress?.id === id ? state.progress.read : 0);
  try {
    while (sent < file.size) {
      while (client.worker === worker && gen === state.generation && sent - done() >= AHEAD * CHUNK) {
        await new Promise((resolve) => onProgress.add(resolve));
      }
      if (client.worker !== worker) return;
      if (gen !== state.generation) {
        client.post('slice', { id, abort: true });
        return;
      }
      let slice;
      try {
        slice = await read(sent);
      } catch (e) {
        client.post('slice', { id, error: e.message || String(e) });
        return;
      }
      if (client.worker !== worker) return;
      const { buffer, length } = slice; // (the buffer is moved to the worker)
      client.post('slice', { id, bytes: buffer, length }, [buffer]);
      if (length === 0) return; // the file shrank while being read
      sent += length;
    }
  } finally {
    read.close();
  }
}

// The buffers of slices the decoding worker has decoded, given back with its progress events and
// read into again: a new 4 MB buffer per slice took fresh memory each time, on the core the
// worker shares with the page.
const spareSlices = [];
function spareSlice() {
  while (spareSlices.length) {
    const b = spareSlices.pop();
    if (b.byteLength === CHUNK) return b;
  }
  return new ArrayBuffer(CHUNK);
}

// Reads the file from the start, a slice at a time: `read(at)` gives {buffer, length} of the
// CHUNK bytes at `at` (fewer at the end; `at` only ever grows by what was read), into a spare
// buffer through the file's byte stream where the browser can read it into a given buffer;
// otherwise, or from the first read of the stream that fails, each slice is read on its own
// (`File.slice().arrayBuffer()`, a new buffer each time).
function sliceReader(file) {
  let reader = null;
  try {
    reader = file.stream().getReader({ mode: 'byob' });
  } catch {
    // no byte stream here
  }
  const sliced = async (at) => {
    const buffer = await file.slice(at, at + CHUNK).arrayBuffer();
    return { buffer, length: buffer.byteLength };
  };
  const streamed = async () => {
    let buffer = spareSlice();
    let length = 0;
    while (length < CHUNK) {
      const { value, done } = await reader.read(new Uint8Array(buffer, length, CHUNK - length));
      if (done) {
        if (!value) throw new Error('the file could not be read to its end');
        buffer = value.buffer; // what was read so far is in it
        break;
      }
      buffer = value.buffer;
      length += value.byteLength;
    }
    return { buffer, length };
  };
  const read = async (at) => {
    if (reader) {
      try {
        return await streamed();
      } catch {
        // The stream failed: the same bytes, and the rest, a slice at a time.
        reader.cancel().catch(() => {});
        reader = null;
      }
    }
    return sliced(at);
  };
  read.close = () => reader?.cancel().catch(() => {});
  return read;
}

function progressed() {
  const waiting = [...onProgress];
  onProgress.clear();
  for (const wake of waiting) wake();
}

function decodeSoon() {
  clearTimeout(decode.timer);
  decode.timer = setTimeout(decode, DEBOUNCE_MS);
}

function decodeText(text) {
  state.source = { text };
  decode();
}

async function showMore() {
  const d = state.data;
  if (!d) return;
  const gen = state.generation;
  const lang = state.lang;
  ui.more.disabled = true;
  try {
    const [specs, r] = await Promise.all([
      specsFor(lang),
      client.request('entries', { dataId: d.dataId, start: d.shown, count: PAGE, lang }),
    ]);
    if (gen !== state.generation || r.stale || lang !== state.lang) return;
    d.shown += r.entries.length;
    await renderEntries(ui.results, r.entries, specs.byKey, S(), { append: true });
    showMoreButton();
  } catch (e) {
    if (!e.crashed) setStatus('decodeFailed', e.message);
  } finally {
    ui.more.disabled = false;
  }
}

// Shows a summary (or hides the section for inputs of fewer than SUMMARY_FROM records); `from`
// says which worker made it ('summary' or 'decoder'), as #summary[data-from].
async function paintOverview(overview, records, lang, from) {
  if (records < SUMMARY_FROM) {
    renderOverview(ui.summary, null, S(), lang);
    return;
  }
  ui.summary.dataset.from = from;
  if (await renderOverview(ui.summary, overview, S(), lang)) performance.mark('flowlens:summary');
}

// The summary of decode `gen`'s input from the summary worker, made while the decoding worker
// decodes it: shown as soon as it comes. When that worker cannot make it (it crashed, or is
// gone), the decoding worker's own pass over its records does.
async function summarise(gen, lang) {
  state.summary = { gen, pending: true };
  ui.summary.classList.add('is-stale');
  try {
    const r = await summaries.request('summarise', { summaryId: gen, lang, top: TOP });
    if (gen !== state.generation) return;
    state.summary = { gen, dataId: r.dataId, records: r.overview.totals.records, lang };
    if (lang === state.lang) paintOverview(r.overview, state.summary.records, lang, 'summary');
    else showOverview();
  } catch (e) {
    if (gen !== state.generation || e.cancelled) return;
    console.warn('flowlens: the summary worker could not make the summary:', e.message);
    state.summary = null;
    if (state.data) showOverview();
  }
}

// The summary of the decoded input in the page's language: from the summary worker when it has
// it (see summarise()), else asked of the decoding worker once the first rows are on screen (it
// computes it in Rust from the records it keeps).
async function showOverview() {
  const gen = state.generation;
  const lang = state.lang;
  const s = state.summary;
  if (s && s.gen === gen) {
    if (s.pending || s.lang === lang) return; // on its way, or on screen
    ui.summary.classList.add('is-stale');
    try {
      const r = await summaries.request('overview', { dataId: s.dataId, lang, top: TOP });
      if (gen !== state.generation || lang !== state.lang) return;
      if (!r.stale) {
        s.lang = lang;
        paintOverview(r.overview, s.records, lang, 'summary');
        return;
      }
    } catch (e) {
      if (gen !== state.generation || lang !== state.lang || e.cancelled) return;
    }
    state.summary = null; // the summary worker lost it: the decoding worker's pass instead
  }
  const d = state.data;
  if (!d || d.report.records < SUMMARY_FROM) {
    renderOverview(ui.summary, null, S(), lang);
    return;
  }
  // The figures on screen are of the previous input (or language) until the new ones arrive.
  ui.summary.classList.add('is-stale');
  try {
    const r = await client.request('overview', { dataId: d.dataId, lang, top: TOP });
    if (gen !== state.generation || r.stale || lang !== state.lang) return;
    paintOverview(r.overview, d.report.records, lang, 'decoder');
  } catch (e) {
    if (!e.crashed && !e.cancelled) setStatus('decodeFailed', e.message);
  }
}

// Pulls the entries on screen again from the worker (after a new language or new ip-ranges).
async function rerenderEntries() {
  const d = state.data;
  if (!d || d.shown === 0) return;
  const gen = state.generation;
  const lang = state.lang;
  const [specs, r] = await Promise.all([
    specsFor(lang),
    client.request('entries', { dataId: d.dataId, start: 0, count: d.shown, lang }),
  ]);
  if (gen !== state.generation || r.stale || lang !== state.lang) return;
  await renderEntries(ui.results, r.entries, specs.byKey, S(), { inPlace: true });
}

// Re-renders every string and the entries on screen in `lang`, pulling them again from the worker.
async function setLang(lang) {
  state.lang = lang;
  saveLang(lang);
  document.documentElement.lang = lang;
  ui.lang.value = lang;
  applyStrings(document, S());
  ui.shortcut.textContent = S().shortcut(MOD);
  showStatus();
  showIpRanges();
  showMoreButton();
  showFormatStatus();
  showFileChip();
  showProgress();
  const d = state.data;
  showData();
  if (!d || d.report.lines === 0) renderEmpty(ui.results, S());
  showOverview();
  try {
    showReference();
    await rerenderEntries();
  } catch (e) {
    if (!e.crashed) setStatus('decodeFailed', e.message);
  }
}

// The rule for telling an ip-ranges.json from flow logs, wherever a file comes in (said in the UI).
const isRangesFile = (file) => /ip-ranges.*\.json$/i.test(file.name);

function setRangesMessage(key, ...args) {
  state.rangesMessage = key ? { key, args } : null;
  showIpRanges();
}

// A refusal's reason, kept so that it can be said again in another language (see localized()).
const reasonOf = (e) => (e.reasons ? e.reasons : e.key ? { key: e.key, args: e.args } : { text: e.message });

// Loads the user's ip-ranges.json; once the entries on screen (and the summary) are explained
// with it, says so. A refused file leaves everything as it was, with the reason under the
// ip-ranges line in the page's language.
async function useRangesFile(file) {
  if (!file) return;
  const seq = ++useRangesFile.seq; // a later file's messages replace this one's
  const say = (key, ...args) => seq === useRangesFile.seq && setRangesMessage(key, ...args);
  say('ipRangesReading', file.name);
  let loaded = false;
  try {
    await client.request('loadRanges', { file, lang: state.lang });
    loaded = true;
    state.rangesFile = file;
    say('ipRangesApplying', file.name);
    await rangesFileToSummaries(file);
    await Promise.all([showOverview(), rerenderEntries()]);
    say('ipRangesUsed', file.name);
  } catch (e) {
    if (e.crashed || e.cancelled) {
      say(null);
    } else if (loaded) {
      say(null); // in use, but the entries could not be explained again
      setStatus('decodeFailed', e.message);
    } else {
      say('ipRangesRefused', file.name, reasonOf(e));
    }
  }
}
useRangesFile.seq = 0;

function readFile(file) {
  if (!file) return;
  if (isRangesFile(file)) {
    useRangesFile(file);
    return;
  }
  state.source = { file };
  ui.input.value = ''; // a file's text goes there only when it is small and plain (see the worker)
  showFileChip();
  decode();
}

function saveFormat(text) {
  try {
    if (text) localStorage.setItem(FORMAT_KEY, text);
    else localStorage.removeItem(FORMAT_KEY);
  } catch {
    // Not remembered; harmless.
  }
}

function savedFormat() {
  try {
    return localStorage.getItem(FORMAT_KEY) || '';
  } catch {
    return '';
  }
}

// Says "Applied." once the entries decoded with the format just applied are on screen (decode
// `gen` with `format`, when it is still the latest).
function formatShown(gen, format) {
  if (gen !== state.generation || format !== state.format || state.formatStatus?.key !== 'formatApplying') return;
  state.formatStatus = { key: 'formatApplied', args: [] };
  showFormatStatus();
}

// Checks the format box's text with the decoder; when it is a format, uses it from now on (and
// remembers it), then decodes the input again ("Applying…" until its entries are shown). `quiet`
// is for the saved format restored at load.
async function applyFormat({ quiet = false } = {}) {
  const text = ui.format.value.trim();
  if (text === state.format && state.formatStatus?.key !== 'formatError') return;
  try {
    const { normalized } = await client.request('format', { text });
    if (text !== ui.format.value.trim()) return; // edited again meanwhile
    state.format = text;
    saveFormat(text);
    const redecode = !quiet && !!(state.data || state.source.file || state.source.text);
    state.formatStatus = text && !quiet ? { key: redecode ? 'formatApplying' : 'formatApplied', args: [] } : null;
    ui.format.title = normalized || '';
    showFormatStatus();
    if (redecode) decode();
  } catch (e) {
    if (e.crashed || e.cancelled) return;
    state.formatStatus = { key: 'formatError', args: [e.message] };
    showFormatStatus();
  }
}

// The user's ip-ranges file, for the summary worker too; the summary on screen is then explained
// again with it (by the decoding worker when the summary worker could not load it).
async function rangesFileToSummaries(file) {
  if (!summaries) return;
  try {
    await summaries.request('loadRanges', { file, lang: state.lang });
    if (state.summary) state.summary.lang = null;
  } catch {
    state.summary = null;
  }
}

const client = new DecoderClient((ev) => {
  switch (ev.type) {
    case 'ready':
      if (state.status?.key === 'loadingDecoder') setStatus('ready');
      // A new worker (after a crash or a cancel) loads the default ip-ranges: the user's file wins.
      if (state.rangesFile) {
        client.request('loadRanges', { file: state.rangesFile, lang: state.lang }).then(rerenderEntries).catch(() => {});
      }
      break;
    case 'ipranges': {
      // The text of the decoding worker's choice comes once per worker, for the summary worker.
      const { text, ...rest } = ev;
      state.ipranges = rest;
      if (text !== undefined) {
        state.rangesText = { text, source: rest.info?.source };
        giveRanges();
      }
      showIpRanges();
      break;
    }
    case 'progress':
      if (ev.spare && spareSlices.length < AHEAD + 1) spareSlices.push(ev.spare);
      if (state.progress && state.progress.id === ev.id) {
        Object.assign(state.progress, { read: ev.read, total: ev.total, lines: ev.lines });
        progressed();
        showProgress();
      }
      break;
    case 'restarted':
      // The new worker has none of the old one's state: decode again what is on screen.
      progressed();
      connectWorkers();
      state.specs.clear();
      state.ipranges = null;
      showIpRanges();
      if (ev.wasReady) setStatus('workerCrashed');
      showReference().catch(() => {});
      // Decode again, but not in a loop when it is this very input that brings the decoder down.
      state.crashes += 1;
      if (state.data && state.crashes < 2) {
        decode().then((ok) => {
          if (ok && ev.wasReady) setStatus('workerCrashed');
        });
      } else if (ev.wasReady && state.crashes >= 2) {
        setStatus('inputCrashed');
      }
      break;
    case 'failed':
      setStatus('workerFailed');
      console.warn('flowlens: decoder failed:', ev.error);
      break;
  }
});

// The summary worker, on machines with two cores or more (`?workers=1` in the address: none).
// It gets the decoding worker's ip-ranges, and the user's file after them.
let summaries = navigator.hardwareConcurrency >= 2 && new URLSearchParams(location.search).get('workers') !== '1'
  ? new DecoderClient((ev) => {
    switch (ev.type) {
      case 'restarted':
        // A new summary worker has no ip-ranges, no channel, and none of the old one's summaries
        // (a summary asked of it now comes from the decoding worker, see showOverview()).
        giveRanges();
        connectWorkers();
        break;
      case 'failed':
        summaries = null;
        state.summary = null;
        if (state.data) showOverview();
        break;
    }
  }, 'summary')
  : null;

// A MessageChannel between the two workers (again whenever either is new): the decoding worker
// hands the summary worker what it reads of each record through it.
function connectWorkers() {
  if (!summaries) return;
  const { port1, port2 } = new MessageChannel();
  client.request('connect', { port: port1 }, null, [port1]).catch(() => {});
  summaries.request('connect', { port: port2 }, null, [port2]).catch(() => {});
}
connectWorkers();

function giveRanges() {
  if (!summaries || !state.rangesText) return;
  summaries.request('useRanges', state.rangesText).catch(() => {});
  if (state.rangesFile) summaries.request('loadRanges', { file: state.rangesFile, lang: state.lang }).catch(() => {});
}

// Controls.
ui.input.addEventListener('input', () => {
  state.source = { text: ui.input.value };
  showFileChip();
  decodeSoon();
});
ui.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    decodeText(ui.input.value);
    showFileChip();
  }
});
ui.example.addEventListener('click', () => {
  ui.input.value = EXAMPLE;
  decodeText(EXAMPLE);
  showFileChip();
});
ui.clear.addEventListener('click', () => {
  ui.input.value = '';
  decodeText('');
  showFileChip();
  ui.input.focus();
});
ui.format.addEventListener('change', () => applyFormat());
ui.format.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    applyFormat();
  }
});
ui.formatClear.addEventListener('click', () => {
  ui.format.value = '';
  applyFormat();
  ui.format.focus();
});
ui.cancel.addEventListener('click', () => {
  client.cancel();
  progressed();
  summaries?.cancel();
  giveRanges();
  connectWorkers();
});
ui.inputInfo.addEventListener('click', (e) => {
  if (e.target.closest?.('[data-action="edit-format"]')) {
    ui.format.value = state.data?.report?.format?.format || '';
    state.formatStatus = { key: 'formatEditHint', args: [] };
    showFormatStatus();
    ui.format.focus();
  }
});
ui.openFile.addEventListener('click', () => ui.file.click());
ui.file.addEventListener('change', () => {
  readFile(ui.file.files[0]);
  ui.file.value = '';
});
for (const type of ['dragenter', 'dragover']) {
  ui.dropZone.addEventListener(type, (e) => {
    if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
    e.preventDefault();
    ui.dropZone.classList.add('dragging');
  });
}
ui.dropZone.addEventListener('dragleave', (e) => {
  if (!ui.dropZone.contains(e.relatedTarget)) ui.dropZone.classList.remove('dragging');
});
ui.dropZone.addEventListener('drop', (e) => {
  ui.dropZone.classList.remove('dragging');
  const file = e.dataTransfer?.files?.[0];
  if (!file) return;
  e.preventDefault();
  readFile(file);
});
ui.iprangesOpen.addEventListener('click', () => ui.iprangesFile.click());
ui.iprangesFile.addEventListener('change', () => {
  useRangesFile(ui.iprangesFile.files[0]);
  ui.iprangesFile.value = '';
});
// Any file dropped on the ip-ranges line is an ip-ranges.json, whatever its name.
for (const type of ['dragenter', 'dragover']) {
  ui.iprangesZone.addEventListener(type, (e) => {
    if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
    e.preventDefault();
    ui.iprangesZone.classList.add('dragging');
  });
}
ui.iprangesZone.addEventListener('dragleave', (e) => {
  if (!ui.iprangesZone.contains(e.relatedTarget)) ui.iprangesZone.classList.remove('dragging');
});
ui.iprangesZone.addEventListener('drop', (e) => {
  ui.iprangesZone.classList.remove('dragging');
  const file = e.dataTransfer?.files?.[0];
  if (!file) return;
  e.preventDefault();
  useRangesFile(file);
});
ui.more.addEventListener('click', showMore);
ui.lang.addEventListener('change', () => setLang(ui.lang.value));

// Token <-> row highlighting, delegated so that re-rendering needs no new listeners.
ui.results.addEventListener('mouseover', (e) => {
  const target = e.target.closest?.('[data-key]');
  const article = e.target.closest?.('article.record');
  if (article) highlight(article, target?.dataset.key ?? null);
});
ui.results.addEventListener('mouseleave', () => {
  for (const n of ui.results.querySelectorAll('.hl')) n.classList.remove('hl');
});

setLang(state.lang);
// The format remembered from the last visit is checked and in use before the first decode.
ui.format.value = savedFormat();
(ui.format.value ? applyFormat({ quiet: true }) : Promise.resolve())
  .finally(() => decodeText(ui.input.value)); // a browser may have restored the text box
