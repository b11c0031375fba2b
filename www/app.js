// The page's state, and what crosses its areas: decoding the input and showing it in every area,
// a change of language, new ip-ranges, and a decoder that crashed. The areas (main.js makes them)
// are in `areas`; each draws its own part of the page.
import { formatSize, initialLang, saveLang, strings } from './i18n.js';
import { applyStrings } from './render.js';
import { totalSize } from './input.js';
import { PAGE } from './results.js';
import { initialTimeMode, retime, setTimeMode } from './time.js';

const DEBOUNCE_MS = 250; // typing: the pause after which the input is decoded
const SLOW_MS = 150; // "Decoding…" is said only when a decode takes long enough to notice

export class App {
  constructor() {
    this.lang = initialLang();
    this.timeMode = initialTimeMode(); // 'utc' or 'local': the zone times are shown in (time.js)
    // What is decoded: {text}, {file} or {files} (several, decoded as one input); `ranges`: the
    // name of an ip-ranges file dropped with them (taken as the ip-ranges, not decoded).
    this.source = { text: '' };
    this.lastGood = null; // the last source decoded in full: shown again when a file's read is cancelled
    this.generation = 0; // bumps with every decode; the answers of older ones are dropped
    this.data = null; // the input on screen: {dataId, report, total, shown}
    this.view = null; // the records shown of it: {expr, sort, count, records} (explore.js)
    this.crashes = 0; // decoder restarts since the last decode that worked
    this.timer = 0; // the decode after a pause in typing
    this.decoder = null; // decoder-client.js (set by main.js)
    this.areas = null; // {status, input, format, ipranges, results, summary, reference, times…} (set by main.js)
  }

  /** The strings of the page's language. */
  get S() {
    return strings(this.lang);
  }

  /**
   * Decodes the current source and shows it; resolves true when it did. `reveal`: the user asked
   * for it (Example, Ctrl+Enter, a file), and its first result is brought into view.
   */
  async decode({ reveal = false } = {}) {
    clearTimeout(this.timer);
    const gen = ++this.generation;
    const { status, input, format: formatBox, results, summary, view } = this.areas;
    if (reveal) view.wantReveal(gen);
    const lang = this.lang;
    const source = this.source;
    const { files } = source;
    const file = source.file || files?.[0];
    const size = files ? totalSize(files) : file?.size;
    const name = this.sourceName(source); // the file's name, or "3 files"
    const format = formatBox.inUse;
    const slow = setTimeout(() => gen === this.generation && status.set(file ? 'readingFile' : 'decoding', name), SLOW_MS);
    if (file) input.setProgress({ read: 0, total: size, lines: 0 });
    this.decoding = { gen, lines: 0 }; // the decode under way, for what a crash says
    const specs = this.decoder.fields(lang);
    const decoded = this.decoder.decode(gen, source, { format, lang, count: PAGE });
    // The summary worker makes the summary meanwhile (the 'summary' event).
    if (this.decoder.summaryPending(gen)) summary.markStale();
    try {
      const [fields, r] = await Promise.all([specs, decoded]);
      // Decoded: "Reading…" must not come after what is said now (this goes on awaiting below).
      clearTimeout(slow);
      if (gen !== this.generation) return;
      if (file) {
        if (r.text !== undefined) input.echo(r.text);
        if (r.partial) status.set('filePartial', name, formatSize(r.partial.read, lang), formatSize(size, lang));
        else if (files) status.set('filesDecoded', files.length, formatSize(size, lang), r.ms / 1000, source.ranges);
        else if (source.ranges) status.set('fileDecodedRanges', file.name, formatSize(size, lang), r.ms / 1000, source.ranges);
        else status.set('fileDecoded', file.name, formatSize(size, lang), r.ms / 1000);
      } else {
        status.set('ready');
      }
      // Past the memory budget: which records the list, filters and exports cover.
      if (r.report.kept) status.set('kept', r.report.kept.message);
      if (file) status.flash();
      this.crashes = 0;
      // A partial read cannot be shown again without reading the file again: a later cancel has
      // nothing to bring back.
      this.lastGood = r.partial ? null : source;
      this.data = { dataId: r.dataId, report: r.report, total: r.total, shown: r.entries.length, partial: r.partial || null };
      status.figures(r.memory, file ? r.ms : undefined);
      view.showMode();
      results.showData();
      summary.showNote();
      // A long page goes on rendering after this, a slice per frame (see render.js).
      if (r.report.lines === 0) {
        results.showEmpty();
        this.formatShown(gen, format);
      } else {
        results.showEntries(r.entries, fields)
          .then((done) => done && this.formatShown(gen, format))
          .catch((e) => status.set('decodeFailed', e.message));
      }
      results.showMoreButton();
      await this.areas.explore.inputChanged();
      if (!this.view?.expr) summary.show();
      if (gen === this.generation) view.revealNow();
      return true;
    } catch (e) {
      if (gen !== this.generation) return;
      if (e.cancelled) {
        // A file's read cancelled: the input before it (if any) is decoded again (the cancel
        // replaced the workers, and they lost it), with the filters in use applied again (explore.js).
        const before = this.lastGood;
        if (file && before && before !== source && (before.file || before.files || before.text)) {
          input.setProgress(null);
          this.restore(before, name);
          return;
        }
        this.source = { text: '' };
        input.showFile();
        this.data = null;
        this.view = null;
        this.areas.explore.inputChanged();
        this.areas.list.reset();
        results.showData();
        summary.hide();
        results.showEmpty();
        results.showMoreButton();
        status.set('cancelled', name ?? '');
      } else if (!e.crashed) {
        status.set('decodeFailed', e.message);
      }
      if (!e.crashed) formatBox.notShown();
    } finally {
      clearTimeout(slow);
      if (gen === this.generation) input.setProgress(null);
      if (this.decoding?.gen === gen) this.decoding = null;
    }
  }

  /** What a status names a source by: its file's name, "3 files" (in the page's language when said), or undefined for text. */
  sourceName(source) {
    // Said in the language of the moment (the status says it again after a change of language).
    if (source.files) return (S) => S.filesName(source.files.length);
    return source.file?.name;
  }

  /** The records shown changed (a filter or an order): the list and the Summary show them. */
  viewChanged() {
    this.areas.list.reset();
    this.areas.summary.show();
  }

  /** Decodes `before` (a source decoded earlier) again after the read of file `name` was cancelled. */
  async restore(before, name) {
    this.source = before;
    this.areas.input.restore(before);
    const ok = await this.decode();
    if (ok && this.source === before) this.areas.status.set('cancelledRestored', name);
  }

  /** Cancels the read of a file (the Cancel button, Esc); false when no file is being read. */
  cancelFile() {
    if (!this.areas.input.progress) return false;
    this.decoder.cancel();
    return true;
  }

  /**
   * Stops the read of a file and keeps what was read so far, shown as partial (the "Stop and keep"
   * button); false when no file is being read.
   */
  keepPartial() {
    if (!this.areas.input.progress) return false;
    return this.decoder.stopFile();
  }

  decodeSoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.decode(), DEBOUNCE_MS);
  }

  decodeText(text, opts) {
    this.source = { text };
    this.decode(opts);
  }

  // The entries of decode `gen` with `format` are on screen (when it is still the latest).
  formatShown(gen, format) {
    if (gen === this.generation) this.areas.format.shown(format);
  }

  /** The entries on screen and the summary, explained again (after new ip-ranges). */
  explainAgain() {
    return Promise.all([this.areas.summary.show(), this.areas.results.rerender()]);
  }

  /**
   * Shows every time in `mode` ('utc' or 'local') and remembers it: what is on screen is said
   * again as it is (the entries' times, the record list, the Summary), without decoding again.
   */
  setTimeMode(mode) {
    if (!setTimeMode(mode)) return;
    this.timeMode = mode;
    this.areas.times.show();
    this.areas.ipranges.show();
    retime(document);
    this.areas.list.render();
    this.areas.summary.retime();
  }

  /**
   * Says everything in `lang`, pulling the entries on screen again from the decoder; remembered for
   * the next visit unless `remember` is false (the language of a share link).
   */
  async setLang(lang, { remember = true } = {}) {
    const { status, input, format, ipranges, results, summary, reference } = this.areas;
    this.lang = lang;
    if (remember) saveLang(lang);
    document.documentElement.lang = lang;
    applyStrings(document, this.S);
    this.areas.times.show();
    status.show();
    ipranges.show();
    format.status.show();
    input.relabel();
    results.relabel();
    summary.show();
    this.areas.explore.relabel();
    this.areas.share.relabel();
    this.areas.list.relabel().catch(() => {});
    this.areas.keys.show();
    try {
      reference.show();
      await results.rerender();
    } catch (e) {
      if (!e.crashed) status.set('decodeFailed', e.message);
    }
  }

  /** What the decoder tells (see decoder-client.js). */
  decoderEvent(ev) {
    const { status, input, ipranges, results, summary, reference } = this.areas;
    switch (ev.type) {
      case 'ready':
        if (status.key === 'loadingDecoder') status.set('ready');
        break;
      case 'rangesReloaded':
        results.rerender().catch(() => {});
        break;
      case 'ipranges':
        ipranges.setRanges(ev);
        break;
      case 'progress':
        if (this.decoding) this.decoding.lines = ev.lines;
        input.setProgress({ read: ev.read, total: ev.total, lines: ev.lines });
        break;
      case 'exported':
        this.areas.explore.exportProgress(ev);
        break;
      case 'summary':
        summary.made(ev);
        break;
      case 'summaryLost':
        if (ev.gen === this.generation && this.data) summary.show();
        break;
      case 'restarted': {
        // The new worker has none of the old one's state, and nothing is decoded again by itself:
        // the input that brought the decoder down would only bring it down again.
        ipranges.setRanges(null);
        reference.show().catch(() => {});
        this.crashes += 1;
        if (!ev.wasReady) break;
        const during = this.decoding;
        // 'oom': the allocator said so; 'trap': WebAssembly's `unreachable` (an allocation that
        // failed, or a panic); else another internal error.
        const e = ev.error || '';
        const kind = /out of memory|capacity overflow|allocation/i.test(e) ? 'oom' : /unreachable/i.test(e) ? 'trap' : 'internal';
        if (during || this.data) {
          input.setProgress(null);
          this.data = null;
          this.view = null;
          this.generation += 1; // the answers of the dead worker's decode are dropped
          this.areas.explore.inputChanged();
          this.areas.list.reset();
          results.showData();
          summary.hide();
          results.showEmpty();
          results.showMoreButton();
        }
        if (during) status.set('inputCrashed', kind, during.lines);
        else status.set('workerCrashed');
        // The summary worker keeps the summary of what was decoded: shown, marked partial.
        if (during && ev.salvaged) {
          const gen = this.generation;
          ev.salvaged.then((r) => {
            if (!r || gen !== this.generation || r.records === 0) return;
            this.decoder.adoptSalvaged(gen);
            status.set('inputCrashed', kind, during.lines, r.records);
            summary.salvaged(gen, r, during.lines);
          });
        }
        console.warn('flowlens: the decoder stopped:', ev.error);
        break;
      }
      case 'failed':
        status.set('workerFailed');
        console.warn('flowlens: decoder failed:', ev.error);
        break;
    }
  }

  /**
   * The first decode: of the text a browser may have restored, with the format remembered; or, when
   * the page was opened from a share link, of what the link holds (`shared`, checked by share.js).
   */
  start(shared = null) {
    if (shared) {
      this.lang = shared.lang;
      document.getElementById('lang').value = shared.lang;
    }
    this.setLang(this.lang, { remember: !shared });
    if (shared) this.areas.share.restore(shared).catch((e) => this.areas.status.set('decodeFailed', e.message));
    else this.areas.format.restore().finally(() => this.decodeText(this.areas.input.text));
  }
}
