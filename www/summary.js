// The Summary section (#summary): which summary of the input it shows, and when. The summary
// worker's comes first, made while the input is decoded; when that worker cannot give it (it
// crashed, or there is none), the decoding worker makes it from the records it keeps, once the
// first entries are on screen. Drawn by overview.js.
import { renderOverview } from './overview.js';

export const SUMMARY_ROWS = 10; // rows per table of the summary
const SUMMARY_FROM = 2; // records from which the summary is shown (one record is its own summary)

export class SummarySection {
  constructor(app) {
    this.app = app;
    this.section = document.getElementById('summary');
    this.note = document.getElementById('summary-filter');
    this.current = null; // the summary on screen (for its export)
    this.partialLines = 0; // the lines read when the decoder stopped, for a partial summary
  }

  /** Whether a filter narrows the records: the summary is then the decoding worker's, of the view. */
  get filtered() {
    return !!this.app.view?.expr;
  }

  /** The figures on screen are of an earlier input (or language) until the new ones arrive. */
  markStale() {
    this.section.classList.add('is-stale');
  }

  hide() {
    this.current = null;
    this.painted = null;
    this.note.hidden = true;
    renderOverview(this.section, null, this.app.S, this.app.lang);
  }

  /**
   * Shows a summary (or hides the section for inputs of fewer than SUMMARY_FROM records); `from`
   * says which worker made it ('summary' or 'decoder'), as #summary[data-from].
   */
  async paint(overview, records, lang, from) {
    const filtered = from === 'view';
    // Of the records decoded before the decoder crashed (see salvaged()).
    const partial = !!overview?.totals?.partial;
    if (records < SUMMARY_FROM && !filtered && !partial) {
      this.hide();
      return;
    }
    this.current = overview;
    this.painted = [overview, records, lang, from];
    this.section.dataset.from = from;
    this.showNote();
    if (await renderOverview(this.section, overview, this.app.S, lang)) {
      // Each row with a filter is one click (or Enter) from the records it counts.
      for (const n of this.section.querySelectorAll('[data-filter]:not(button)')) {
        n.tabIndex = 0;
        n.classList.add('filterable');
        if (!n.title) n.title = `${this.app.S.filterApplyRow}: ${n.dataset.filter}`;
      }
      performance.mark('flowlens:summary');
      this.app.areas.view.revealNow(true); // the answer starts here now
    }
  }

  /** The summary on screen drawn again, its times in the zone chosen now (time.js). */
  retime() {
    const p = this.painted;
    if (p && p[2] === this.app.lang) this.paint(...p);
  }

  /**
   * The note above the summary: of a filter's records, of those decoded before the decoder crashed,
   * or of the part of a file read before the user stopped its read (app.data.partial).
   */
  showNote() {
    const o = this.current;
    const filtered = !!o && this.section.dataset.from === 'view';
    const partial = !!o?.totals?.partial;
    const stopped = !!o && !filtered && !partial && !!this.app.data?.partial;
    this.note.hidden = !filtered && !partial && !stopped;
    this.note.classList.toggle('is-partial', partial || stopped);
    const { S } = this.app;
    this.note.textContent = filtered ? S.summaryOfFilter(o.totals.records)
      : partial ? S.summaryPartial(o.totals.records, this.partialLines)
        : stopped ? S.summaryStopped(o.totals.records) : '';
  }

  /**
   * The summary of what was decoded of input `gen` before the decoding worker crashed (see
   * Decoder.salvage), `lines` read by then: the records are gone, their summary is kept.
   */
  salvaged(gen, { overview, records, lang }, lines) {
    if (gen !== this.app.generation) return;
    this.partialLines = lines || 0;
    if (lang === this.app.lang) this.paint(overview, records, lang, 'summary');
    else this.show();
  }

  /** The summary worker's summary of input `gen`, made in `lang` (the decoder's 'summary' event). */
  made({ gen, lang, overview, records }) {
    if (gen !== this.app.generation || this.filtered) return;
    if (lang === this.app.lang) this.paint(overview, records, lang, 'summary');
    else this.show();
  }

  /** The summary of the input on screen in the page's language, from whichever worker has it. */
  async show() {
    const { app } = this;
    const { decoder } = app;
    const gen = app.generation;
    const lang = app.lang;
    if (this.filtered) {
      await this.showView();
      return;
    }
    let held = decoder.summaryState(gen, lang);
    // The summary on screen is a filter's: the whole input's is asked for again.
    if (held === 'given' && this.section.dataset.from === 'view') held = 'held';
    if (held === 'coming' || held === 'given') return; // on its way, or on screen
    if (held === 'held') {
      this.markStale();
      const r = await decoder.heldSummary(lang, () => gen === app.generation && lang === app.lang);
      if (r.stale) return;
      if (!r.lost) {
        this.paint(r.overview, r.records, lang, 'summary');
        return;
      }
    }
    const d = app.data;
    if (!d || d.report.records < SUMMARY_FROM) {
      this.hide();
      return;
    }
    this.markStale();
    try {
      const r = await decoder.overview(d.dataId, lang);
      if (gen !== app.generation || r.stale || lang !== app.lang) return;
      this.paint(r.overview, d.report.records, lang, 'decoder');
    } catch (e) {
      if (!e.crashed && !e.cancelled) app.areas.status.set('decodeFailed', e.message);
    }
  }

  /** The summary of the records the filter keeps, made by the decoding worker. */
  async showView() {
    const { app } = this;
    const d = app.data;
    if (!d) return;
    const gen = app.generation;
    const lang = app.lang;
    const expr = app.view.expr;
    this.markStale();
    try {
      const r = await app.decoder.viewOverview(d.dataId, lang);
      if (gen !== app.generation || r.stale || lang !== app.lang || expr !== app.view?.expr) return;
      this.paint(r.overview, r.overview.totals.records, lang, 'view');
    } catch (e) {
      if (!e.crashed && !e.cancelled) app.areas.status.set('decodeFailed', e.message);
    }
  }
}
