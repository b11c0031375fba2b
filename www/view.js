// How the answer is laid out for reading: the Summary, the record list and the Breakdown folded or
// open (remembered), records compact or full (remembered), the status line and a file's progress
// pinned to the top of the window, and the first result brought into view after a decode the
// user asked for (Example, Ctrl+Enter, a file; not typing, which must keep its caret in sight).

const FOLD_KEY = 'flowlens.folded';
const MODE_KEY = 'flowlens.recordMode';
export const FOLDABLE = ['summary', 'records-section', 'results-section'];
const MODES = ['compact', 'full'];
// Records from which the mode chosen by default is compact: one record is read in full (its table
// is its explanation); several are read sentence by sentence, a table opened when wanted.
const COMPACT_FROM = 2;

function load(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage can be disabled
  }
}

function save(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Not remembered; harmless.
  }
}

/**
 * The sections folded, as saved: a JSON list of ids of FOLDABLE. Storage is shared by every page of
 * the origin: anything else is ignored and forgotten.
 */
function savedFolds() {
  const raw = load(FOLD_KEY);
  if (raw === null) return new Set();
  try {
    const v = JSON.parse(raw);
    if (Array.isArray(v) && v.length <= FOLDABLE.length && v.every((id) => typeof id === 'string' && FOLDABLE.includes(id))) {
      return new Set(v);
    }
  } catch {
    // not JSON: forgotten below
  }
  save(FOLD_KEY, null);
  return new Set();
}

/** The record mode chosen ('compact' or 'full'), or null (none chosen, or not one of MODES). */
function savedMode() {
  const raw = load(MODE_KEY);
  if (raw === null) return null;
  if (MODES.includes(raw)) return raw;
  save(MODE_KEY, null);
  return null;
}

const NAV_KEYS = new Set(['PageDown', 'PageUp', 'Home', 'End', 'ArrowDown', 'ArrowUp']);

export class ResultsView {
  constructor(app) {
    this.app = app;
    const $ = (id) => document.getElementById(id);
    this.pinned = $('pinned');
    this.list = $('results');
    this.modePick = $('mode-pick');
    this.folded = savedFolds();
    this.chosen = savedMode(); // null: by the number of records (COMPACT_FROM)
    // The decode whose first result is to be brought into view: {gen, shown} (shown: it was once,
    // and a summary arriving later brings it again unless the user has moved the page since).
    this.reveal = null;
  }

  listen() {
    for (const id of FOLDABLE) {
      const button = document.getElementById(id).querySelector('button.fold');
      button.addEventListener('click', () => this.fold(id, button.getAttribute('aria-expanded') === 'true'));
      this.showFold(id);
    }
    this.modePick.addEventListener('click', (e) => {
      const b = e.target.closest?.('button[data-mode]');
      if (b) this.choose(b.dataset.mode);
    });
    // A record's "Show fields" (compact mode).
    this.list.addEventListener('click', (e) => {
      const b = e.target.closest?.('button.fields-toggle');
      if (b) this.toggleFields(b);
    });
    // The pinned bar's height, for the scroll margin of what is brought into view under it.
    const root = document.documentElement;
    const measure = () => root.style.setProperty('--pinned-h', `${Math.ceil(this.pinned.getBoundingClientRect().height)}px`);
    if (typeof ResizeObserver === 'function') new ResizeObserver(measure).observe(this.pinned);
    measure();
    // The user moving the page: a summary that arrives later no longer moves it.
    const moved = () => {
      if (this.reveal?.shown) this.reveal = null;
    };
    addEventListener('wheel', moved, { passive: true });
    addEventListener('touchmove', moved, { passive: true });
    addEventListener('keydown', (e) => {
      if (NAV_KEYS.has(e.key)) moved();
    });
    this.showMode();
  }

  // Folding.

  /** Folds (`fold` true) or opens section `id`, remembered. */
  fold(id, fold) {
    if (fold) this.folded.add(id);
    else this.folded.delete(id);
    save(FOLD_KEY, JSON.stringify([...this.folded]));
    this.showFold(id);
    if (!fold && id === 'records-section') this.app.areas.list.schedule();
  }

  showFold(id) {
    const section = document.getElementById(id);
    const folded = this.folded.has(id);
    section.classList.toggle('folded', folded);
    section.querySelector('button.fold').setAttribute('aria-expanded', String(!folded));
  }

  // Compact or full records.

  /** The mode in use: the one chosen, else compact from COMPACT_FROM records. */
  get mode() {
    if (this.chosen) return this.chosen;
    const records = this.app.data?.report?.records ?? 0;
    return records >= COMPACT_FROM ? 'compact' : 'full';
  }

  choose(mode) {
    if (!MODES.includes(mode)) return;
    this.chosen = mode;
    save(MODE_KEY, mode);
    this.showMode();
  }

  /** Shows the records in the mode in use (after every decode: the default follows the input). */
  showMode() {
    const { mode } = this;
    this.list.classList.toggle('compact', mode === 'compact');
    this.list.dataset.mode = mode;
    for (const b of this.modePick.querySelectorAll('button[data-mode]')) {
      b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
    }
  }

  toggleFields(button) {
    const article = button.closest('article.record');
    if (!article) return;
    const open = !article.classList.contains('fields-open');
    article.classList.toggle('fields-open', open);
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? this.app.S.hideFields : this.app.S.showFields;
  }

  // Bringing the answer into view.

  /** Decode `gen` was asked for by the user: its first result is to be brought into view. */
  wantReveal(gen) {
    this.reveal = { gen, shown: false };
  }

  /**
   * Brings the first result of the decode on screen into view, when it was asked for (wantReveal)
   * and is not in view already: the Summary's heading or the record list for several records,
   * else the first entry. Called once the entries are shown, and again when the Summary arrives
   * (`last`: nothing is brought into view for this decode after it).
   */
  revealNow(last = false) {
    const r = this.reveal;
    if (!r || r.gen !== this.app.generation) return;
    const target = this.target();
    if (!target) return;
    r.shown = true;
    if (last) this.reveal = null;
    const box = target.getBoundingClientRect();
    const top = this.pinned.getBoundingClientRect().bottom;
    if (box.top >= top && box.top < innerHeight * 0.6) return; // in view already
    target.scrollIntoView({ block: 'start', behavior: 'instant' });
  }

  // What comes first in the page of the answer.
  target() {
    const $ = (id) => document.getElementById(id);
    if (!$('summary').hidden) return $('summary'); // its card, whose heading is at its top
    if (!$('records-section').hidden) return $('records-heading');
    const first = this.list.querySelector('article.entry');
    if (first && !$('results-section').classList.contains('folded')) return first;
    return $('results-heading');
  }

  /** Decode `gen` ended: nothing more is brought into view for it (the input was cleared, or it failed). */
  forget() {
    this.reveal = null;
  }
}
