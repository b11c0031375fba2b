// Wiring: listens to the controls, asks the worker for decoded entries, hands them to render.js.
import { DecoderClient } from './decoder-client.js';
import { initialLang, saveLang, strings } from './i18n.js';
import { applyStrings, highlight, renderCounts, renderEmpty, renderEntries, renderReference } from './render.js';

const PAGE = 200; // entries rendered at first and per "Show more"
const DEBOUNCE_MS = 250;
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
  reference: $('reference-body'),
};

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgentData?.platform || navigator.platform || '');
const MOD = isMac ? '⌘' : 'Ctrl';

const state = {
  lang: initialLang(),
  source: { text: '' }, // what was decoded last: {text} or {file}
  generation: 0, // bumps with every decode request; older answers are dropped
  data: null, // {dataId, counts, total, shown}
  specs: new Map(), // lang -> Map(key -> spec)
  ipranges: null, // the last 'ipranges' event
  status: { key: 'loadingDecoder', args: [] },
  crashes: 0, // worker restarts since the last decode that worked
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
  ui.status.classList.toggle('is-error', !!st && ['workerFailed', 'workerCrashed', 'inputCrashed', 'decodeFailed', 'fileNotText'].includes(st.key));
}

function showIpRanges() {
  const ev = state.ipranges;
  const s = S();
  let text = s.ipRangesLoading;
  if (ev && ev.info) {
    const { source, createDate } = ev.info;
    text = source === 'live' ? s.ipRangesLive(createDate)
      : source === 'bundled' ? s.ipRangesBundled(createDate)
        : s.ipRangesOther(source, createDate);
  } else if (ev) {
    text = s.ipRangesNone;
  }
  ui.ipranges.textContent = text;
  ui.ipranges.dataset.source = ev?.info?.source || '';
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
  const lang = state.lang;
  const { text, file } = state.source;
  // Only say "Decoding…" when it takes long enough to notice.
  const slow = setTimeout(() => gen === state.generation && setStatus(file ? 'readingFile' : 'decoding', file?.name), 150);
  try {
    const [specs, r] = await Promise.all([
      specsFor(lang),
      client.request('decode', file ? { file, lang, count: PAGE } : { text, lang, count: PAGE }),
    ]);
    if (gen !== state.generation) return;
    if (r.notText) {
      state.data = null;
      renderCounts(ui.counts, null, S());
      renderEmpty(ui.results, S());
      showMoreButton();
      setStatus('fileNotText', file.name);
      return;
    }
    if (file) {
      ui.input.value = r.text ?? '';
      setStatus(r.text === undefined ? 'fileTooBigToShow' : 'fileLoaded', file.name, formatSize(file.size));
    } else {
      setStatus('ready');
    }
    state.crashes = 0;
    state.data = { dataId: r.dataId, counts: r.counts, total: r.total, shown: r.entries.length };
    renderCounts(ui.counts, r.counts, S());
    if (r.counts.lines === 0) renderEmpty(ui.results, S());
    else renderEntries(ui.results, r.entries, specs.byKey, S());
    showMoreButton();
    return true;
  } catch (e) {
    if (gen === state.generation && !e.crashed) setStatus('decodeFailed', e.message);
  } finally {
    clearTimeout(slow);
  }
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
    renderEntries(ui.results, r.entries, specs.byKey, S(), { append: true });
    d.shown += r.entries.length;
    showMoreButton();
  } catch (e) {
    if (!e.crashed) setStatus('decodeFailed', e.message);
  } finally {
    ui.more.disabled = false;
  }
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
  const d = state.data;
  renderCounts(ui.counts, d?.counts, S());
  if (!d || d.counts.lines === 0) renderEmpty(ui.results, S());
  const gen = state.generation;
  try {
    showReference();
    if (d && d.shown > 0) {
      const [specs, r] = await Promise.all([
        specsFor(lang),
        client.request('entries', { dataId: d.dataId, start: 0, count: d.shown, lang }),
      ]);
      if (gen !== state.generation || r.stale || lang !== state.lang) return;
      renderEntries(ui.results, r.entries, specs.byKey, S());
    }
  } catch (e) {
    if (!e.crashed) setStatus('decodeFailed', e.message);
  }
}

function readFile(file) {
  if (!file) return;
  state.source = { file };
  decode();
}

const client = new DecoderClient((ev) => {
  switch (ev.type) {
    case 'ready':
      if (state.status?.key === 'loadingDecoder') setStatus('ready');
      break;
    case 'ipranges':
      state.ipranges = ev;
      showIpRanges();
      break;
    case 'restarted':
      // The new worker has none of the old one's state: decode again what is on screen.
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

// Controls.
ui.input.addEventListener('input', () => {
  state.source = { text: ui.input.value };
  decodeSoon();
});
ui.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    decodeText(ui.input.value);
  }
});
ui.example.addEventListener('click', () => {
  ui.input.value = EXAMPLE;
  decodeText(EXAMPLE);
});
ui.clear.addEventListener('click', () => {
  ui.input.value = '';
  decodeText('');
  ui.input.focus();
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
decodeText(ui.input.value); // a browser may have restored the text box
