// The field reference (#reference): every field of every version, in the page's language; the 14
// fields of the default format first. A search box narrows it as the user types; each field has an
// anchor (#field-srcaddr), the target of the field names in a record's breakdown, with a button to
// go back to the record a jump came from.
import { renderReference } from './render.js';

const PREFIX = 'field-';

/** Text as the search compares it: full-width letters folded (ＴＣＰ → tcp), lower case. */
const fold = (s) => String(s).normalize('NFKC').toLowerCase();

export class Reference {
  constructor(app) {
    this.app = app;
    const $ = (id) => document.getElementById(id);
    this.el = {
      section: $('reference'), node: $('reference-body'), search: $('ref-search'), count: $('ref-count'), back: $('ref-back'),
    };
    this.node = this.el.node;
    this.origin = null; // the jump's start: {link, line, key}, for "Back to the record"
    this.inView = true; // whether the reference is in sight (see listen())
    this.drawn = false;
  }

  listen() {
    const { search, back } = this.el;
    search.addEventListener('input', () => this.filter());
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        // Enter: to the first entry that matches.
        const row = this.rows().find((r) => !r.hidden);
        if (row) {
          e.preventDefault();
          this.go(row.dataset.field, null);
        }
      }
    });
    back.addEventListener('click', () => this.goBack());
    // "Back to the record" floats at the window's corner while the reference is in sight.
    this.inView = true;
    if (typeof IntersectionObserver === 'function') {
      new IntersectionObserver((seen) => {
        this.inView = seen.some((x) => x.isIntersecting);
        this.relabelBack();
      }).observe(this.el.section);
    }
    addEventListener('hashchange', () => this.fromHash(false));
  }

  /** Draws the reference in the page's language (the specs come from the decoding worker). */
  async show() {
    const { app } = this;
    const lang = app.lang;
    const specs = await app.decoder.fields(lang);
    if (lang !== app.lang) return;
    renderReference(this.node, specs.list, app.S);
    this.filter();
    this.relabelBack();
    // An address with #field-… (a link to an entry): the entry exists only now.
    if (!this.drawn) {
      this.drawn = true;
      this.fromHash(true);
    }
  }

  rows() {
    return [...this.node.querySelectorAll('tr[data-field]')];
  }

  entry(key) {
    const row = document.getElementById(PREFIX + key);
    return row && this.node.contains(row) ? row : null;
  }

  /** Keeps the entries whose name, label or meaning hold every word typed; says how many. */
  filter() {
    const words = fold(this.el.search.value).split(/\s+/).filter(Boolean);
    const rows = this.rows();
    let shown = 0;
    for (const row of rows) {
      const text = fold(row.textContent);
      const hit = words.every((w) => text.includes(w));
      row.hidden = !hit;
      if (hit) shown += 1;
    }
    for (const group of this.node.querySelectorAll('.ref-group')) {
      const kept = [...group.querySelectorAll('tr[data-field]')].filter((r) => !r.hidden);
      group.hidden = kept.length === 0;
      // The thicker line where a new version starts, between the entries kept.
      if (group.dataset.group !== 'default') {
        kept.forEach((r, i) => r.classList.toggle('new-version', i > 0 && r.dataset.version !== kept[i - 1].dataset.version));
      }
      const count = group.querySelector('.ref-group-count');
      const all = group.querySelectorAll('tr[data-field]').length;
      if (count) count.textContent = kept.length === all ? String(all) : `${kept.length}/${all}`;
    }
    const none = this.node.querySelector('#ref-none');
    if (none) none.hidden = shown > 0 || !rows.length;
    const S = this.app.S;
    this.el.count.textContent = rows.length ? S.refCount(shown, rows.length) : '';
    this.el.count.dataset.shown = String(shown);
    this.el.count.dataset.total = String(rows.length);
  }

  /**
   * Brings the entry of field `key` into view, focused and lit up (:target): the search is
   * emptied if it hides it, a folded ancestor opened. `origin` (a field link in a record) is where
   * "Back to the record" returns. False when there is no such entry.
   */
  go(key, origin) {
    const row = this.entry(key);
    if (!row) return false;
    if (row.hidden) {
      this.el.search.value = '';
      this.filter();
    }
    for (let d = row.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
    if (origin) {
      const article = origin.closest('article[data-line]');
      this.origin = { link: origin, line: article ? Number(article.dataset.line) : null, key };
    }
    this.relabelBack();
    if (location.hash !== `#${PREFIX}${key}`) {
      // A fragment navigation: the entry becomes :target, and the browser's Back returns.
      location.hash = PREFIX + key;
    }
    this.light(row);
    row.scrollIntoView({ block: 'center' });
    row.focus({ preventScroll: true });
    return true;
  }

  // Marks the entry jumped to (:target does too; this also when the address did not change).
  light(row) {
    for (const r of this.node.querySelectorAll('.ref-current')) r.classList.remove('ref-current');
    row?.classList.add('ref-current');
  }

  /** The address names an entry (#field-…): shown; at load (`first`), scrolled to once it exists. */
  fromHash(first) {
    const m = /^#field-([a-z0-9-]+)$/.exec(location.hash);
    if (!m) {
      this.light(null);
      return;
    }
    const row = this.entry(m[1]);
    if (!row) return;
    if (row.hidden) {
      this.el.search.value = '';
      this.filter();
    }
    for (let d = row.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
    this.light(row);
    if (first) row.scrollIntoView({ block: 'center' });
  }

  // "Back to the record (line 3)", shown after a jump from a record's breakdown.
  relabelBack() {
    const { back } = this.el;
    const o = this.origin;
    back.hidden = !o || !this.inView;
    if (o) back.textContent = this.app.S.refBack(o.line);
  }

  /** Back to the field link the last jump came from (found again if its record was drawn again). */
  goBack() {
    const o = this.origin;
    if (!o) return;
    let link = o.link?.isConnected ? o.link : null;
    if (!link && o.line !== null) {
      for (const id of ['record-detail', 'results']) {
        link = document.querySelector(`#${id} article[data-line="${o.line}"] a[data-field-link="${o.key}"]`);
        if (link) break;
      }
    }
    this.origin = null;
    this.relabelBack();
    if (!link) return;
    link.scrollIntoView({ block: 'center' });
    link.focus({ preventScroll: true });
  }
}
