// The results (#results and around it): the counts, what the input was (#input-info), the entries
// of the input a page at a time ("Show more"), and a field's token and row lit up together.
import {
  highlight, renderCounts, renderEmpty, renderEntries, renderInputInfo,
} from './render.js';

export const PAGE = 200; // entries rendered at first and per "Show more"

export class Results {
  constructor(app) {
    this.app = app;
    const $ = (id) => document.getElementById(id);
    this.el = { counts: $('counts'), info: $('input-info'), list: $('results'), more: $('more') };
  }

  /** The counts of the input on screen, and what it was. */
  showData() {
    const { data, S, lang } = this.app;
    renderCounts(this.el.counts, data?.report, S, data?.partial);
    renderInputInfo(this.el.info, data?.report, S, lang);
    this.app.areas.share?.update();
  }

  /** The first page of entries; resolves true once all are on screen (see renderEntries). */
  showEntries(entries, specs) {
    return renderEntries(this.el.list, entries, specs.byKey, this.app.S);
  }

  showEmpty() {
    renderEmpty(this.el.list, this.app.S);
  }

  showMoreButton() {
    const d = this.app.data;
    const more = d && d.shown < d.total;
    this.el.more.hidden = !more;
    if (more) this.el.more.textContent = this.app.S.showMore(d.shown, d.total);
  }

  /** "Show more": the next page of entries. */
  async more() {
    const { app } = this;
    const d = app.data;
    if (!d) return;
    const gen = app.generation;
    const lang = app.lang;
    this.el.more.disabled = true;
    try {
      const [specs, r] = await Promise.all([
        app.decoder.fields(lang),
        app.decoder.entries(d.dataId, d.shown, PAGE, lang),
      ]);
      if (gen !== app.generation || r.stale || lang !== app.lang) return;
      d.shown += r.entries.length;
      await renderEntries(this.el.list, r.entries, specs.byKey, app.S, { append: true });
      this.showMoreButton();
    } catch (e) {
      if (!e.crashed) app.areas.status.set('decodeFailed', e.message);
    } finally {
      this.el.more.disabled = false;
    }
  }

  /** Pulls the entries on screen again from the decoder (after a new language or new ip-ranges). */
  async rerender() {
    const { app } = this;
    const d = app.data;
    if (!d || d.shown === 0) return;
    const gen = app.generation;
    const lang = app.lang;
    const [specs, r] = await Promise.all([
      app.decoder.fields(lang),
      app.decoder.entries(d.dataId, 0, d.shown, lang),
    ]);
    if (gen !== app.generation || r.stale || lang !== app.lang) return;
    await renderEntries(this.el.list, r.entries, specs.byKey, app.S, { inPlace: true });
  }

  /** Everything the area says, again in the page's language (the entries: rerender). */
  relabel() {
    const d = this.app.data;
    this.showMoreButton();
    this.showData();
    if (!d || d.report.lines === 0) this.showEmpty();
  }

  /** The pointer over a record: its field's token and row lit up together. */
  hover(e) {
    const target = e.target.closest?.('[data-key]');
    const article = e.target.closest?.('article.record');
    if (article) highlight(article, target?.dataset.key ?? null);
  }

  unhover() {
    for (const n of this.el.list.querySelectorAll('.hl')) n.classList.remove('hl');
  }

  /** Keyboard: a record's token, or its row's field link or button, takes the focus: both lit up. */
  static focusIn(e) {
    const target = e.target.closest?.('[data-key]');
    const article = e.target.closest?.('article.record');
    if (article) highlight(article, target?.dataset.key ?? null);
  }

  /** The focus left a record: nothing of it stays lit. */
  static focusOut(e) {
    const article = e.target.closest?.('article.record');
    if (article && !article.contains(e.relatedTarget)) highlight(article, null);
  }

  /**
   * In a record's line of tokens (one tab stop): ← → Home End move the focus along the line;
   * Enter goes to the token's row (its field link).
   */
  static tokenKey(e) {
    const tok = e.target.closest?.('.tok');
    if (!tok || e.altKey || e.ctrlKey || e.metaKey) return;
    const all = [...tok.parentElement.querySelectorAll('.tok')];
    const i = all.indexOf(tok);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      const next = all[Math.max(0, Math.min(all.length - 1, to))];
      for (const t of all) t.tabIndex = t === next ? 0 : -1;
      next.focus();
    } else if (e.key === 'Enter') {
      const link = tok.closest('article')?.querySelector(`tr[data-key="${CSS.escape(tok.dataset.key)}"] a[data-field-link]`);
      if (link) {
        e.preventDefault();
        link.focus();
      }
    }
  }

  /** For a click on "Edit this format" in #input-info: the format the decoder guessed; else null. */
  formatToEdit(e) {
    if (!e.target.closest?.('[data-action="edit-format"]')) return null;
    return this.app.data?.report?.format?.format || '';
  }
}
