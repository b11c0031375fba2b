// The decoder as the page sees it: one object over the page's two workers (see protocol.js). It
// decodes an input (pasted text, or a file streamed a slice at a time), answers for the entries
// and the summary of the input from whichever worker holds them, checks formats, and keeps the
// two workers in step: the channel between them, the same ip-ranges in both, and a new worker's
// state after a crash or a cancel.
import { EVENT, OP, POST } from './protocol.js';
import { WorkerClient } from './worker-client.js';

const DECODE_WORKER = new URL('./workers/decode.js', import.meta.url);
const SUMMARY_WORKER = new URL('./workers/summary.js', import.meta.url);

// A file goes to the decoding worker at most this many slices ahead of what it has decoded, so
// that reading goes on while the worker decodes without holding the whole file in memory.
const AHEAD = 3;

export class Decoder {
  /**
   * @param {object} o
   * @param {boolean} o.summaryWorker whether to run the summary worker beside the decoding one
   * @param {number} o.top rows per table of the summary
   * @param {{open: Function, giveBack: Function}} o.slices file-reader.js: `open(file)` reads a
   *   file a slice at a time (sliceReader), `giveBack(buffer)` takes back a slice's buffer once decoded
   * @param {(event: {type: string, [k: string]: any}) => void} o.onEvent gets
   *   {type: 'ready'}: the decoder is ready for input;
   *   {type: 'ipranges', info, origin, liveError, keptError?, bundledError?}: the ip-ranges in use;
   *   {type: 'progress', read, total, lines}: how far the file being decoded is;
   *   {type: 'restarted', wasReady, salvaged}: a new decoding worker replaced one that died (it has
   *     no input); `salvaged` (null: none) resolves with the summary the summary worker tallied of
   *     the input the dead worker was decoding, {overview, records} (totals.partial), or null;
   *   {type: 'failed', error}: the decoder cannot be started;
   *   {type: 'rangesReloaded'}: the user's ip-ranges are in use again in a new decoding worker;
   *   {type: 'summary', gen, lang, overview, records}: the summary worker's summary of input `gen`;
   *   {type: 'summaryLost', gen}: the summary of the current input is the decoding worker's to make
   */
  constructor({ summaryWorker, top, keep, slices, onEvent }) {
    this.top = top;
    this.keep = keep; // records an input may keep at most (undefined: the memory budget alone)
    this.slices = slices;
    this.onEvent = onEvent;
    this.gen = 0; // the input being decoded, or last decoded (the page's number)
    // The file being read for the decoding worker's request `id`: {id, read} (bytes it has decoded).
    this.reading = null;
    this.waiting = new Set(); // file readers waiting for the decoding worker's progress
    // The summary of input `gen` from the summary worker: {gen, pending} while it reads, then
    // {gen, dataId, records, lang} (the language it was last handed over in); null: none.
    this.summary = null;
    this.decoding = null; // the decode under way whose summary the summary worker makes: {summaryId, lang}
    this.specs = new Map(); // lang -> {list, byKey}: field_specs(lang)
    this.rangesText = null; // {text, source}: the ip-ranges the decoding worker chose
    this.rangesFile = null; // {file, lang}: the user's ip-ranges.json in use
    this.main = new WorkerClient(DECODE_WORKER, (ev) => this.fromDecoder(ev));
    this.summaries = summaryWorker ? new WorkerClient(SUMMARY_WORKER, (ev) => this.fromSummaries(ev)) : null;
    this.connect();
  }

  fromDecoder(ev) {
    switch (ev.type) {
      case EVENT.ready:
        this.onEvent(ev);
        // A new worker (after a crash or a cancel) loads the default ip-ranges: the user's file wins.
        if (this.rangesFile) {
          this.main.request(OP.loadRanges, this.rangesFile)
            .then(() => this.onEvent({ type: 'rangesReloaded' })).catch(() => {});
        }
        break;
      case EVENT.ipranges: {
        // The text of the decoding worker's choice comes once per worker, for the summary worker.
        const { text, ...rest } = ev;
        if (text !== undefined) {
          this.rangesText = { text, source: rest.info?.source };
          this.giveRanges();
        }
        this.onEvent(rest);
        break;
      }
      case EVENT.progress:
        if (ev.spare) this.slices.giveBack(ev.spare);
        if (this.reading && this.reading.id === ev.id) {
          this.reading.read = ev.read;
          this.progressed();
          this.onEvent({ type: ev.type, read: ev.read, total: ev.total, lines: ev.lines });
        }
        break;
      case 'restarted': {
        // The new worker has none of the old one's state; the summary worker may have some of the
        // input it was decoding (asked before the new channel replaces the old one).
        const salvaged = this.salvage();
        this.progressed();
        this.connect();
        this.specs.clear();
        this.onEvent({ ...ev, salvaged });
        break;
      }
      case 'failed':
        this.onEvent(ev);
        break;
      case EVENT.exported:
        this.onEvent(ev);
        break;
    }
  }

  fromSummaries(ev) {
    switch (ev.type) {
      case 'restarted':
        // A new summary worker has no ip-ranges, no channel, and none of the old one's summaries
        // (a summary asked of it now comes from the decoding worker, see heldSummary()).
        this.giveRanges();
        this.connect();
        break;
      case 'failed':
        this.summaries = null;
        this.summary = null;
        this.onEvent({ type: 'summaryLost', gen: this.gen });
        break;
    }
  }

  // A MessageChannel between the two workers (again whenever either is new): the decoding worker
  // hands the summary worker what it reads of each record through it.
  connect() {
    if (!this.summaries) return;
    const { port1, port2 } = new MessageChannel();
    this.main.request(OP.connect, { port: port1 }, null, [port1]).catch(() => {});
    this.summaries.request(OP.connect, { port: port2 }, null, [port2]).catch(() => {});
  }

  // The summary worker uses the ip-ranges the decoding worker chose, then the user's file.
  giveRanges() {
    if (!this.summaries || !this.rangesText) return;
    this.summaries.request(OP.useRanges, this.rangesText).catch(() => {});
    if (this.rangesFile) this.summaries.request(OP.loadRanges, this.rangesFile).catch(() => {});
  }

  // Wakes the file readers waiting for the decoding worker to catch up (or to be replaced).
  progressed() {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const wake of waiting) wake();
  }

  /** field_specs(lang) as {list, byKey: Map(key -> spec)}, asked of the decoding worker once per language. */
  async fields(lang) {
    if (!this.specs.has(lang)) {
      const { specs } = await this.main.request(OP.fields, { lang });
      this.specs.set(lang, { list: specs, byKey: new Map(specs.map((f) => [f.key, f])) });
    }
    return this.specs.get(lang);
  }

  /**
   * Decodes input `gen` (the page numbers its inputs; a newer one stops an older one's file
   * reading): `{text}`, `{file}` or `{files}` (several, decoded one after the other as one input)
   * with `format` ('' is automatic), the first `count` entries in `lang`. Resolves with {dataId,
   * report, total, entries, memory} and, for a file, {text?, ms}.
   * The summary worker makes the input's summary meanwhile ('summary' event).
   */
  async decode(gen, { text, file, files }, { format, lang, count }) {
    this.gen = gen;
    this.progressed(); // a file still being sent for an older input stops
    const summaryId = this.summaries ? gen : 0;
    this.decoding = summaryId ? { summaryId, lang } : null;
    if (summaryId) this.summarise(gen, lang);
    else this.summary = null;
    try {
      const keep = this.keep;
      if (!file && !files) return await this.main.request(OP.decode, { text, format, lang, count, summaryId, keep });
      this.reading = { id: null, read: 0 };
      const list = files || [file];
      const size = list.reduce((sum, f) => sum + f.size, 0);
      // Several files: their names and sizes, for the worker to tell where one ends.
      const parts = files ? files.map((f) => ({ name: f.name, size: f.size })) : undefined;
      return await this.main.request(OP.decodeFile, { size, files: parts, format, lang, count, summaryId, keep }, (id) => {
        this.reading.id = id;
        this.sendFiles(list, id, gen);
      });
    } finally {
      if (gen === this.gen) {
        this.reading = null;
        this.decoding = null;
      }
    }
  }

  /** Whether the summary worker is making the summary of input `gen`. */
  summaryPending(gen) {
    return !!this.summary?.pending && this.summary.gen === gen;
  }

  // Reads `files` one after the other and sends them to the decoding worker a slice at a time,
  // for its request `id` (input `gen`): the page reads while the worker decodes. A file ends after
  // its size in bytes, or at a slice of none (it shrank while being read); the worker counts the
  // same way. Stops when the worker is replaced; tells the worker to stop when a newer input
  // replaces this one.
  async sendFiles(files, id, gen) {
    const { worker } = this.main;
    let sent = 0; // of all the files
    const done = () => (this.reading?.id === id ? this.reading.read : 0);
    // Stopped by stopFile: the worker keeps what it has, and is sent nothing more.
    const stopped = () => this.reading?.id === id && this.reading.stopped;
    for (const file of files) {
      const read = this.slices.open(file);
      let at = 0; // of this file
      try {
        while (at < file.size) {
          while (this.main.worker === worker && gen === this.gen && !stopped() && sent - done() >= AHEAD * read.sliceBytes) {
            await new Promise((resolve) => this.waiting.add(resolve));
          }
          if (this.main.worker !== worker || stopped()) return;
          if (gen !== this.gen) {
            this.main.post(POST.slice, { id, abort: true });
            return;
          }
          let slice;
          try {
            slice = await read(at);
          } catch (e) {
            this.main.post(POST.slice, { id, error: `${file.name}: ${e.message || String(e)}` });
            return;
          }
          if (this.main.worker !== worker || stopped()) return;
          const { buffer, length } = slice; // (the buffer is moved to the worker)
          this.main.post(POST.slice, { id, bytes: buffer, length }, [buffer]);
          if (length === 0) break; // the file shrank while being read
          at += length;
          sent += length;
        }
      } finally {
        read.close();
      }
    }
  }

  // The summary of input `gen` from the summary worker, made while the decoding worker decodes it.
  async summarise(gen, lang) {
    const mine = { gen, pending: true, lang };
    this.summary = mine;
    try {
      const r = await this.summaries.request(OP.summarise, { summaryId: gen, lang, top: this.top });
      if (gen !== this.gen || this.summary !== mine) return;
      this.summary = { gen, dataId: r.dataId, records: r.overview.totals.records, lang };
      this.onEvent({ type: 'summary', gen, lang, overview: r.overview, records: this.summary.records });
    } catch (e) {
      if (gen !== this.gen || e.cancelled || this.summary !== mine) return;
      console.warn('flowlens: the summary worker could not make the summary:', e.message);
      this.summary = null;
      this.onEvent({ type: 'summaryLost', gen });
    }
  }

  // What the summary worker tallied of the decode under way, whose decoding worker died: a
  // promise of {overview, records} (the overview's totals.partial) or null (nothing to keep).
  // It is never decoded again; the summary is held as input `gen`'s once the page adopts it.
  salvage() {
    const d = this.decoding;
    this.decoding = null;
    if (!d || !this.summaries) return null;
    const { summaryId, lang } = d;
    const mine = { gen: summaryId, pending: true, lang, salvaged: true };
    this.summary = mine;
    return this.summaries.request(OP.salvage, { summaryId, lang, top: this.top }).then((r) => {
      if (this.summary !== mine || r.lost) return null;
      const records = r.overview.totals.records;
      this.summary = { gen: summaryId, dataId: r.dataId, records, lang, salvaged: true };
      return { overview: r.overview, records, lang };
    }, () => null).then((r) => {
      if (!r && this.summary === mine) this.summary = null;
      return r;
    });
  }

  /** The page's input `gen` (a new number after a crash) is the one whose summary was salvaged. */
  adoptSalvaged(gen) {
    if (this.summary?.salvaged) this.summary.gen = gen;
  }

  /**
   * Where the summary of input `gen` in `lang` is: 'coming' (the summary worker is making it),
   * 'given' (it was handed over in `lang`), 'held' (the summary worker has it: heldSummary), or
   * null (the decoding worker is to make it: overview).
   */
  summaryState(gen, lang) {
    const s = this.summary;
    if (!s || s.gen !== gen) return null;
    if (s.pending) return 'coming';
    return s.lang === lang ? 'given' : 'held';
  }

  /**
   * The summary the summary worker holds, in `lang`: {overview, records}; {stale: true} when
   * `current()` turned false meanwhile; {lost: true} when the summary worker no longer has it
   * (from then on the decoding worker makes it).
   */
  async heldSummary(lang, current) {
    const s = this.summary;
    try {
      const r = await this.summaries.request(OP.overview, { dataId: s.dataId, lang, top: this.top });
      if (!current()) return { stale: true };
      if (!r.stale) {
        s.lang = lang;
        return { overview: r.overview, records: s.records };
      }
    } catch (e) {
      if (!current() || e.cancelled) return { stale: true };
    }
    this.summary = null;
    return { lost: true };
  }

  /** The summary of input `dataId` from the decoding worker's records: {dataId, overview} or {stale}. */
  overview(dataId, lang) {
    return this.main.request(OP.overview, { dataId, lang, top: this.top });
  }

  /** Entries `start`.. of input `dataId`: {dataId, entries} or {stale}. */
  entries(dataId, start, count, lang) {
    return this.main.request(OP.entries, { dataId, start, count, lang });
  }

  /** Shows the records `expr` keeps in `sort`'s order: {dataId, ok, count, records, error} or {stale}. */
  select(dataId, expr, sort, lang) {
    return this.main.request(OP.select, { dataId, expr, sort, lang });
  }

  /** Checks a filter without running it: {error} (null when it parses). */
  checkFilter(expr, lang) {
    return this.main.request(OP.check, { expr, lang });
  }

  /** List rows of view positions `start`..: {dataId, rows} or {stale}. */
  rows(dataId, start, count) {
    return this.main.request(OP.rows, { dataId, start, count });
  }

  /** The explained entry at view position `position`: {dataId, entry} or {stale}. */
  viewEntry(dataId, position, lang) {
    return this.main.request(OP.viewEntry, { dataId, position, lang });
  }

  /** The entry of input line `line` and its view position (-1: not in view): {dataId, position, entry}. */
  lineEntry(dataId, line, lang) {
    return this.main.request(OP.lineEntry, { dataId, line, lang });
  }

  /** The summary of the view's records: {dataId, overview} or {stale}. */
  viewOverview(dataId, lang) {
    return this.main.request(OP.viewOverview, { dataId, lang, top: this.top });
  }

  /** The view's records as a Blob of `kind` ('csv' | 'ndjson'; the problems' messages in `lang`): {dataId, blob, count} or {stale}. */
  exportView(dataId, kind, lang) {
    return this.main.request(OP.export, { dataId, kind, lang });
  }

  /** The filter `expr` as a query for AWS's `engine` ('insights' | 'athena'): {text}. */
  emit(expr, engine, lang) {
    return this.main.request(OP.emit, { expr, engine, lang });
  }

  /** Checks a format string (throws when it is none): {normalized}. The next decodes use it. */
  checkFormat(text) {
    return this.main.request(OP.format, { text });
  }

  /**
   * Uses the user's ip-ranges.json. The decoding worker's answer decides: a refused file throws
   * (with the reasons, see protocol.js) and leaves everything as it was; once it is accepted,
   * `accepted()` is called, and the summary worker takes the file too (when it cannot, the
   * decoding worker makes the summary from then on). Kept for the workers that replace these.
   */
  async loadRanges(file, lang, accepted) {
    await this.main.request(OP.loadRanges, { file, lang });
    this.rangesFile = { file, lang };
    accepted();
    if (!this.summaries) return;
    try {
      await this.summaries.request(OP.loadRanges, { file, lang });
      if (this.summary) this.summary.lang = null; // to be asked for again, explained anew
    } catch {
      this.summary = null;
    }
  }

  /**
   * Stops reading the file being decoded and has the decoding worker finish with what it has
   * decoded so far: the decode resolves with `partial: {read, total}`. False when no file is read.
   */
  stopFile() {
    const r = this.reading;
    if (!r || r.id === null || r.stopped) return false;
    r.stopped = true;
    this.main.post(POST.slice, { id: r.id, stop: true });
    this.progressed();
    return true;
  }

  /**
   * Stops whatever the workers are doing (a long file read) by replacing them; what is pending
   * rejects with `cancelled`. The new workers load the decoder and the ip-ranges again.
   */
  cancel() {
    this.main.cancel();
    this.progressed();
    this.summaries?.cancel();
    this.giveRanges();
    this.connect();
  }
}
