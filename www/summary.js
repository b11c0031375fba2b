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
  }

  /** The figures on screen are of an earlier input (or language) until the new ones arrive. */
  markStale() {
    this.section.classList.add('is-stale');
  }

  hide() {
    renderOverview(this.section, null, this.app.S, this.app.lang);
  }

  /**
   * Shows a summary (or hides the section for inputs of fewer than SUMMARY_FROM records); `from`
   * says which worker made it ('summary' or 'decoder'), as #summary[data-from].
   */
  async paint(overview, records, lang, from) {
    if (records < SUMMARY_FROM) {
      this.hide();
      return;
    }
    this.section.dataset.from = from;
    if (await renderOverview(this.section, overview, this.app.S, lang)) performance.mark('flowlens:summary');
  }

  /** The summary worker's summary of input `gen`, made in `lang` (the decoder's 'summary' event). */
  made({ gen, lang, overview, records }) {
    if (gen !== this.app.generation) return;
    if (lang === this.app.lang) this.paint(overview, records, lang, 'summary');
    else this.show();
  }

  /** The summary of the input on screen in the page's language, from whichever worker has it. */
  async show() {
    const { app } = this;
    const { decoder } = app;
    const gen = app.generation;
    const lang = app.lang;
    const held = decoder.summaryState(gen, lang);
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
}
