// The filter bar (#explore): filters as a stack the user edits (each applied filter a chip; the
// records shown are those every one keeps), the order, the language's help one click away, the
// recent filters remembered, and the exports of what is shown: the records as CSV or NDJSON (the
// decoding worker writes them a chunk at a time into a Blob), the summary as JSON, and the same
// question for AWS's engines (Logs Insights, Athena). The filter runs in the decoding worker,
// over the records it keeps (see workers/decode.js); the list (record-list.js) and the Summary
// show its result.
import { formatSize } from './i18n.js';
import { el } from './render.js';

const RECENT_KEY = 'flowlens.recentFilters';
const RECENT_MAX = 20;
const RECENT_CHARS = 2000; // a remembered filter longer than this is not one the user typed

/** The filters remembered, checked: another page of the same origin may have written anything. */
function loadRecent() {
  try {
    const v = JSON.parse(localStorage.getItem(RECENT_KEY) || '[]');
    if (!Array.isArray(v)) return [];
    return v.filter((s) => typeof s === 'string' && s.length > 0 && s.length <= RECENT_CHARS).slice(0, RECENT_MAX);
  } catch {
    return [];
  }
}

function saveRecent(list) {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(list.slice(0, RECENT_MAX)));
  } catch {
    // Not remembered; harmless.
  }
}

/** The filters of a stack as one expression: each in parentheses, joined by `and`. */
export function combine(stack) {
  if (stack.length === 0) return '';
  if (stack.length === 1) return stack[0];
  return stack.map((e) => `(${e})`).join(' and ');
}

/** A file name for an export: flowlens-records.csv, flowlens-filtered.csv. */
function fileName(filtered, ext) {
  return `flowlens-${filtered ? 'filtered' : 'records'}.${ext}`;
}

/** Downloads `blob` as `name` (an object URL on a link, revoked once the click is handled). */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export class Explorer {
  constructor(app) {
    this.app = app;
    const $ = (id) => document.getElementById(id);
    this.el = {
      section: $('explore'), form: $('filter-form'), box: $('filter'), recent: $('filter-recent'),
      sort: $('sort'), helpToggle: $('filter-help-toggle'), help: $('filter-help'), stack: $('filter-stack'),
      status: $('filter-status'), csv: $('export-csv'), ndjson: $('export-ndjson'), summary: $('export-summary'),
      insights: $('copy-insights'), athena: $('copy-athena'), exportStatus: $('export-status'), emitted: $('emitted'),
    };
    this.stack = []; // the filters applied, oldest first
    this.sort = '';
    this.recent = loadRecent();
    // What the status line says: {key, args} (said again in another language).
    this.said = null;
    this.exportSaid = null;
    this.busy = false;
  }

  /** The expression of the stack. */
  get expr() {
    return combine(this.stack);
  }

  /** Installs the listeners. */
  listen() {
    const { el: e } = this;
    e.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.add(e.box.value);
    });
    e.box.addEventListener('input', () => {
      e.box.removeAttribute('aria-invalid');
    });
    e.sort.addEventListener('change', () => {
      this.sort = e.sort.value;
      this.apply();
    });
    e.helpToggle.addEventListener('click', () => this.toggleHelp());
    e.help.addEventListener('click', (ev) => {
      const ex = ev.target.closest?.('[data-example]');
      if (!ex) return;
      e.box.value = ex.dataset.example;
      this.add(ex.dataset.example);
    });
    e.stack.addEventListener('click', (ev) => {
      const b = ev.target.closest?.('button[data-index]');
      if (!b) return;
      const i = Number(b.dataset.index);
      if (b.dataset.action === 'remove') this.remove(i);
      else if (b.dataset.action === 'edit') this.edit(i);
      else if (b.dataset.action === 'clear') this.clearAll();
    });
    e.csv.addEventListener('click', () => this.exportRecords('csv'));
    e.ndjson.addEventListener('click', () => this.exportRecords('ndjson'));
    e.summary.addEventListener('click', () => this.exportSummary());
    e.insights.addEventListener('click', () => this.emit('insights'));
    e.athena.addEventListener('click', () => this.emit('athena'));
  }

  /** A new input is on screen: the section shown when it has records; the filters applied again. */
  async inputChanged() {
    const d = this.app.data;
    // The records kept (the first ones, when the input was larger than the memory budget).
    const records = d?.report?.kept?.records ?? d?.report?.records ?? 0;
    // One record is its own summary: the bar is for inputs of two records or more.
    this.el.section.hidden = records < 2;
    this.el.emitted.hidden = true;
    this.say(null);
    this.exportSay(null);
    this.renderRecent();
    this.renderStack();
    if (!d) return;
    // After a decode the worker shows every record in input order.
    this.app.view = { expr: '', sort: '', count: records, records };
    if (this.stack.length || this.sort) {
      if (await this.apply()) return;
      // The filters do not apply to this input (they always parse: the worker was replaced?).
      this.stack = [];
      this.renderStack();
      this.app.view = { expr: '', sort: '', count: records, records };
    }
    this.shown();
    this.app.areas.list.reset();
  }

  /** Adds `text` to the stack when the records can be filtered by it (else says why, where). */
  async add(text) {
    const expr = String(text ?? '').trim();
    if (!expr) {
      this.el.box.focus();
      return false;
    }
    // Checked alone first, so that a refusal points into what was typed.
    try {
      const { error } = await this.app.decoder.checkFilter(expr, this.app.lang);
      if (error) {
        this.refused(error, expr, expr);
        return false;
      }
    } catch (e) {
      if (!e.crashed && !e.cancelled) this.say('decodeFailed', e.message);
      return false;
    }
    const stack = [...this.stack, expr];
    const ok = await this.apply(stack, expr);
    if (ok) {
      this.el.box.value = '';
      this.remember(expr);
    }
    return ok;
  }

  /** Removes filter `i` of the stack. */
  remove(i) {
    this.apply(this.stack.filter((_, j) => j !== i));
  }

  /** Takes filter `i` out of the stack into the box, to be edited and applied again. */
  edit(i) {
    const expr = this.stack[i];
    if (expr === undefined) return;
    this.el.box.value = expr;
    this.el.box.focus();
    this.remove(i);
  }

  /** "Back": the last filter added comes off. */
  back() {
    if (this.stack.length) this.remove(this.stack.length - 1);
  }

  clearAll() {
    this.apply([]);
  }

  /**
   * Shows the records `stack` (the current one if left out) keeps, in the chosen order. `typed`
   * is the filter just typed (the stack's last): a refusal points into it. Resolves true when
   * applied.
   */
  async apply(stack = this.stack, typed = null) {
    const { app } = this;
    const d = app.data;
    if (!d) return false;
    const gen = app.generation;
    const expr = combine(stack);
    const sort = this.sort;
    const lang = app.lang;
    let r;
    try {
      r = await app.decoder.select(d.dataId, expr, sort, lang);
    } catch (e) {
      if (!e.crashed && !e.cancelled) this.say('decodeFailed', e.message);
      return false;
    }
    if (gen !== app.generation || r.stale) return false;
    if (!r.ok) {
      this.refused(r.error, expr, typed);
      return false;
    }
    this.stack = stack;
    app.view = { expr, sort, count: r.count, records: r.records };
    this.exportSay(null);
    this.el.emitted.hidden = true;
    this.renderStack();
    this.el.box.removeAttribute('aria-invalid');
    this.noAws = r.uses_aws_ranges && !app.areas.ipranges.event?.info;
    this.shown();
    app.viewChanged();
    return true;
  }

  // Says what the view holds.
  shown() {
    const v = this.app.view;
    if (!v) return;
    const kept = this.app.data?.report?.kept;
    if (v.expr) this.say(kept ? 'filterStatusKept' : 'filterStatus', v.count, v.records);
    else if (kept) this.say('filterKept', kept.records, kept.total);
    else this.say('filterAll', v.records);
    this.el.section.dataset.count = String(v.count);
    this.el.section.dataset.filter = v.expr;
  }

  // A refused filter or order: the message, the expression with the part at fault marked, and
  // the cursor on it in the box (when it is the filter just typed).
  refused(error, expr, typed) {
    const { el: e } = this;
    if (error.part === 'sort') {
      this.say('filterError', error.message);
      return;
    }
    // The span is in the combined expression; the typed filter is its end: `(…) and (typed)`.
    let text = expr;
    let { start, end } = error;
    let shift = -1;
    if (typed !== null) {
      if (expr === typed) shift = 0;
      else if (expr.endsWith(`(${typed})`)) shift = expr.length - typed.length - 1;
    }
    if (shift >= 0) {
      text = typed;
      start = Math.max(0, Math.min(typed.length, start - shift));
      end = Math.max(start, Math.min(typed.length, end - shift));
      e.box.value = typed;
      e.box.setAttribute('aria-invalid', 'true');
      e.box.focus();
      e.box.setSelectionRange(start, Math.max(end, start));
    }
    this.said = { key: 'filterError', args: [error], text, start, end };
    this.renderSaid();
  }

  say(key, ...args) {
    this.said = key ? { key, args } : null;
    this.renderSaid();
  }

  renderSaid() {
    const { status } = this.el;
    const S = this.app.S;
    const s = this.said;
    status.classList.remove('error');
    if (!s) {
      status.replaceChildren();
      return;
    }
    if (s.key === 'filterError' && typeof s.args[0] === 'object') {
      const error = s.args[0];
      const message = error[this.app.lang] || error.message;
      status.classList.add('error');
      const code = el('code', { class: 'filter-expr' });
      code.append(s.text.slice(0, s.start), el('mark', { text: s.text.slice(s.start, s.end) || ' ' }), s.text.slice(s.end));
      status.replaceChildren(el('span', { text: S.filterError(message) }), ' ', code);
      return;
    }
    const text = S[s.key](...s.args);
    status.replaceChildren(text);
    if (s.key === 'filterStatus' && this.noAws) status.append(' ', el('span', { class: 'warn', text: S.filterNoAws }));
  }

  exportSay(key, ...args) {
    this.exportSaid = key ? { key, args } : null;
    const S = this.app.S;
    this.el.exportStatus.textContent = key ? S[key](...args) : '';
  }

  remember(expr) {
    this.recent = [expr, ...this.recent.filter((r) => r !== expr)].slice(0, RECENT_MAX);
    saveRecent(this.recent);
    this.renderRecent();
  }

  renderRecent() {
    this.el.recent.replaceChildren(...this.recent.map((r) => el('option', { value: r })));
  }

  // The stack as chips: each filter with "edit" and "remove"; "show all" when there are some.
  renderStack() {
    const S = this.app.S;
    const chips = this.stack.map((expr, i) => el('span', { class: 'chip', 'data-filter': expr },
      el('code', { text: expr }),
      el('button', { type: 'button', class: 'chip-edit', 'data-action': 'edit', 'data-index': String(i), text: S.filterEdit }),
      el('button', {
        type: 'button', class: 'chip-remove', 'data-action': 'remove', 'data-index': String(i), text: '×', 'aria-label': S.filterRemove(expr), title: S.filterRemove(expr),
      })));
    if (this.stack.length) {
      chips.push(el('button', { type: 'button', class: 'small chip-clear', 'data-action': 'clear', 'data-index': '-1', text: S.filterClearAll }));
    }
    this.el.stack.replaceChildren(...chips);
    this.el.stack.hidden = !this.stack.length;
  }

  toggleHelp() {
    const { help, helpToggle } = this.el;
    help.hidden = !help.hidden;
    helpToggle.setAttribute('aria-expanded', String(!help.hidden));
    if (!help.hidden) this.renderHelp();
  }

  renderHelp() {
    const S = this.app.S;
    const rows = S.helpRows.map(([ex, what]) => el('tr', {},
      el('td', {}, el('button', { type: 'button', class: 'example-filter', 'data-example': ex }, el('code', { text: ex }))),
      el('td', { text: what })));
    this.el.help.replaceChildren(
      el('p', { text: S.helpIntro }),
      el('table', { class: 'filter-help-table' }, el('tbody', {}, ...rows)),
      el('p', { class: 'hint', text: S.helpMore }),
    );
  }

  /** Everything the area says, again in the page's language. */
  relabel() {
    this.renderStack();
    this.renderSaid();
    if (this.exportSaid) this.exportSay(this.exportSaid.key, ...this.exportSaid.args);
    if (!this.el.help.hidden) this.renderHelp();
  }

  // The records shown, as a file.
  async exportRecords(kind) {
    const { app } = this;
    const d = app.data;
    if (!d || this.busy) return;
    this.busy = true;
    const gen = app.generation;
    const filtered = !!app.view?.expr;
    this.exportSay('exporting', 0, app.view?.count ?? 0);
    try {
      const r = await app.decoder.exportView(d.dataId, kind, app.lang);
      if (gen !== app.generation || r.stale) return;
      download(r.blob, fileName(filtered, kind));
      this.exportSay('exported', r.count, formatSize(r.blob.size));
      this.el.section.dataset.exported = `${kind}:${r.count}`;
    } catch (e) {
      if (!e.crashed && !e.cancelled) this.exportSay('exportFailed', e.message);
    } finally {
      this.busy = false;
    }
  }

  /** The decoding worker's progress on an export. */
  exportProgress({ done, total }) {
    if (this.busy) this.exportSay('exporting', done, total);
  }

  exportSummary() {
    const o = this.app.areas.summary.current;
    if (!o) return;
    const v = this.app.view;
    const json = JSON.stringify({ filter: v?.expr || null, sort: v?.sort || null, summary: o }, null, 2);
    download(new Blob([json], { type: 'application/json' }), `flowlens-summary${v?.expr ? '-filtered' : ''}.json`);
  }

  // The filter as a Logs Insights query or Athena SQL: shown, and copied when the browser allows.
  async emit(engine) {
    const { app } = this;
    const name = engine === 'athena' ? 'Athena' : 'CloudWatch Logs Insights';
    try {
      const { text } = await app.decoder.emit(app.view?.expr || '', engine, app.lang);
      this.el.emitted.hidden = false;
      this.el.emitted.textContent = text;
      this.el.emitted.dataset.engine = engine;
      let copied = false;
      try {
        await navigator.clipboard.writeText(text);
        copied = true;
      } catch {
        // Shown below instead.
      }
      this.exportSay(copied ? 'emittedCopied' : 'emittedShown', name);
    } catch (e) {
      if (!e.crashed && !e.cancelled) this.exportSay('exportFailed', e.message);
    }
  }
}
