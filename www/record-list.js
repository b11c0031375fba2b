// The record list (#records-section): one short row per record of the view (the records the
// filter keeps, in the chosen order), millions of them, of which only the rows in sight exist in
// the page: they are asked of the decoding worker a page at a time as the list scrolls. Keyboard:
// ↑ ↓ Page Up/Down Home End move the active row; Enter (or a click) shows that record's full
// breakdown below the list, with "copy as JSON" and "copy the sentence".
import { bytesText } from './overview.js';
import { el, fileOfLine, renderEntries } from './render.js';
import { bothText, timesIn, timeText, zoneText } from './time.js';

const ROW_H = 28; // px: every row is this tall (see .record-row in style.css)
const PAGE = 100; // rows asked of the worker at a time
const KEEP_PAGES = 64; // pages kept; more are forgotten, oldest first
// Browsers cap an element's height (Chromium at about 33.5 million px): beyond this the
// scrollbar stands for the list in proportion, and the rows in sight are placed where it points.
const MAX_PX = 8_000_000;

/**
 * Unix seconds → "2025-04-13 14:23:05" in the zone chosen (time.js), the zone's name left out
 * (the row has no room; the header's switch says it); the title has it, and the other zone.
 */
function timeCell(secs, lang) {
  const ms = secs === null || secs === undefined ? NaN : secs * 1000;
  const text = Number.isFinite(ms) ? timeText(ms, lang, { zoneName: false }) : null;
  if (!text) return el('span', { class: 'rc-time', text: secs === null || secs === undefined ? '-' : String(secs) });
  return el('span', { class: 'rc-time', text, title: bothText(ms, lang) });
}

const endText = (addr, port) => {
  if (!addr) return '-';
  if (port === null || port === undefined) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
};

export class RecordList {
  constructor(app) {
    this.app = app;
    const $ = (id) => document.getElementById(id);
    this.el = {
      section: $('records-section'), list: $('record-list'), spacer: $('record-list-spacer'),
      count: $('list-count'), detail: $('record-detail'),
    };
    this.window = el('div', { class: 'record-window' });
    this.el.list.append(this.window);
    this.count = 0;
    this.pages = new Map(); // page -> rows (or a Promise while asked)
    this.gen = 0; // bumps with every new view: older answers are dropped
    this.active = -1;
    this.detailPos = -1; // the view position whose breakdown is shown (-1: none, or a line's)
    this.detailEntry = null;
    this.first = 0;
    this.frame = 0;
  }

  listen() {
    const { list, detail } = this.el;
    list.addEventListener('scroll', () => this.schedule());
    list.addEventListener('keydown', (e) => this.key(e));
    list.addEventListener('click', (e) => {
      const row = e.target.closest?.('[data-pos]');
      if (!row) return;
      this.setActive(Number(row.dataset.pos), false);
      this.showDetail(this.active);
    });
    detail.addEventListener('click', (e) => {
      const b = e.target.closest?.('button[data-copy]');
      if (b) this.copy(b.dataset.copy, b);
    });
    addEventListener('resize', () => this.schedule());
  }

  /** The view changed (a new input, filter or order): the list starts again at the top. */
  reset() {
    const v = this.app.view;
    this.count = v?.count ?? 0;
    this.gen += 1;
    this.pages.clear();
    this.active = this.count ? 0 : -1;
    this.detailPos = -1;
    this.detailEntry = null;
    this.el.detail.replaceChildren();
    const records = this.app.data?.report?.records ?? 0;
    this.el.section.hidden = records < 2;
    this.total = this.count * ROW_H;
    this.scaled = this.total > MAX_PX;
    this.el.spacer.style.height = `${Math.max(Math.min(this.total, MAX_PX), 1)}px`;
    // As tall as its rows, up to 13 of them (then it scrolls).
    this.el.list.style.height = `${Math.max(1, Math.min(this.count, 13)) * ROW_H + 2}px`;
    this.el.list.scrollTop = 0;
    this.el.section.dataset.count = String(this.count);
    this.render();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  // How many rows fit in the list, and the first one in sight.
  visible() {
    const { list } = this.el;
    const height = list.clientHeight || ROW_H * 12;
    const n = Math.ceil(height / ROW_H) + 1;
    const st = list.scrollTop;
    let first;
    let top;
    if (!this.scaled) {
      first = Math.floor(st / ROW_H);
      top = first * ROW_H;
    } else {
      const max = Math.max(1, Math.min(this.total, MAX_PX) - height);
      first = Math.round((Math.min(st, max) / max) * Math.max(0, this.count - n + 1));
      top = st;
    }
    first = Math.max(0, Math.min(first, Math.max(0, this.count - 1)));
    return { first, n, top, height };
  }

  render() {
    const S = this.app.S;
    const { first, n, top } = this.visible();
    this.first = first;
    const last = Math.min(this.count, first + n);
    const rows = [];
    for (let pos = first; pos < last; pos += 1) rows.push(this.rowView(pos, this.rowAt(pos), S));
    this.window.style.transform = `translateY(${top}px)`;
    this.window.replaceChildren(...rows);
    if (this.count === 0) this.window.replaceChildren(el('p', { class: 'record-empty', text: this.app.data ? S.listEmpty : '' }));
    // The zone of the rows' times (at the first row's time: summer time may change it).
    const at = this.count ? this.rowAt(first)?.start : null;
    const zone = zoneText(Number.isFinite(at) ? at * 1000 : Date.now(), this.app.lang);
    this.el.count.textContent = this.count ? `${S.listCount(first + 1, Math.max(first + 1, last), this.count)}${S.listTimes(zone)}` : '';
    const active = this.active >= 0 ? `rec-opt-${this.active}` : '';
    if (active && this.window.querySelector(`#${active}`)) this.el.list.setAttribute('aria-activedescendant', active);
    else this.el.list.removeAttribute('aria-activedescendant');
  }

  // The row at view position `pos`, or undefined while its page is being asked for.
  rowAt(pos) {
    const page = Math.floor(pos / PAGE);
    const rows = this.pages.get(page);
    if (Array.isArray(rows)) return rows[pos - page * PAGE];
    if (!rows) this.fetch(page);
    return undefined;
  }

  fetch(page) {
    const { app } = this;
    const d = app.data;
    if (!d) return;
    const gen = this.gen;
    const asked = app.decoder.rows(d.dataId, page * PAGE, PAGE).then((r) => {
      if (gen !== this.gen || r.stale) return;
      this.pages.set(page, r.rows);
      while (this.pages.size > KEEP_PAGES) this.pages.delete(this.pages.keys().next().value);
      this.schedule();
    }, () => {
      if (gen === this.gen) this.pages.delete(page);
    });
    this.pages.set(page, asked);
  }

  rowView(pos, r, S) {
    const row = el('div', {
      class: 'record-row', role: 'option', id: `rec-opt-${pos}`, 'data-pos': String(pos),
      'aria-selected': String(pos === this.active), 'aria-posinset': String(pos + 1), 'aria-setsize': String(this.count),
    });
    if (!r) {
      row.classList.add('loading');
      row.append(el('span', { class: 'rc-time', text: '…' }));
      return row;
    }
    row.dataset.line = String(r.line);
    if (r.action === 'REJECT') row.classList.add('reject');
    if (r.problems > 0) row.classList.add('has-problems');
    const service = r.service ? ` ${r.service}` : '';
    // ICMP has no ports (flow logs write 0, or the type and code).
    const icmp = /ICMP/i.test(r.protocol || '');
    const port = icmp ? null : r.role === 'reply' ? r.srcport : r.dstport;
    row.append(
      timeCell(r.start, this.app.lang),
      el('span', { class: 'rc-flow' },
        el('code', { text: endText(r.srcaddr, icmp ? null : r.srcport) }), ' → ', el('code', { text: endText(r.dstaddr, icmp ? null : r.dstport) })),
      el('span', { class: 'rc-service', text: port !== null && port !== undefined ? `${port}${service}` : (r.action ? '' : r.log_status || '') }),
      el('span', { class: 'rc-proto', text: r.protocol || '' }),
      el('span', { class: 'rc-bytes', text: r.bytes !== null && r.bytes !== undefined ? bytesText(r.bytes, this.app.lang) : '' }),
      el('span', { class: `rc-action${r.action === 'REJECT' ? ' bad' : ''}`, text: r.action || '' }),
      // A record with a value that does not fit its field is marked beside its line number.
      el('span', { class: 'rc-line', title: this.fileTitle(r.line, S) },
        r.problems > 0
          ? el('span', { class: 'rc-problem', role: 'img', 'aria-label': S.problemsLabel(r.problems), title: S.problemsLabel(r.problems), text: '⚠ ' })
          : null,
        this.lineText(r.line, S)),
    );
    return row;
  }

  // A row's line: with its file's name when the input was several files (its line number first:
  // a long S3 object name is cut at the end of the row; the whole is in fileTitle).
  lineText(line, S) {
    const at = fileOfLine(this.app.data?.report, line);
    return at ? S.listFileLine(at.name, at.line) : S.listLine(line);
  }

  fileTitle(line, S) {
    const at = fileOfLine(this.app.data?.report, line);
    return at ? S.fileLine(at.name, at.line) : undefined;
  }

  key(e) {
    if (!this.count) return;
    const { n } = this.visible();
    const page = Math.max(1, n - 2);
    const moves = {
      ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity,
    };
    if (e.key in moves) {
      e.preventDefault();
      const to = this.active < 0 ? 0 : this.active + moves[e.key];
      this.setActive(Math.max(0, Math.min(this.count - 1, Number.isFinite(to) ? to : (to > 0 ? this.count - 1 : 0))), true);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (this.active >= 0) this.showDetail(this.active);
    } else if (e.key === 'Escape') {
      this.detailPos = -1;
      this.detailEntry = null;
      this.el.detail.replaceChildren();
    }
  }

  /**
   * The next (`delta` 1) or previous (-1) record, for the page's shortcuts (j k, Alt+↓ ↑): the
   * active row moves, and its breakdown is shown. False when there is no list.
   */
  step(delta) {
    if (!this.count || this.el.section.hidden) return false;
    const pos = this.active < 0 ? 0 : Math.max(0, Math.min(this.count - 1, this.active + delta));
    this.setActive(pos, true);
    this.el.list.scrollIntoView({ block: 'nearest' });
    this.showDetail(pos);
    return true;
  }

  /** Makes view position `pos` the active row, scrolled into sight when `reveal`. */
  setActive(pos, reveal) {
    this.active = pos;
    if (reveal) this.reveal(pos);
    this.render();
  }

  reveal(pos) {
    const { list } = this.el;
    const { first, n, height } = this.visible();
    if (pos >= first && pos < first + n - 1) return;
    if (!this.scaled) {
      list.scrollTop = pos < first ? pos * ROW_H : Math.max(0, (pos + 1) * ROW_H - height);
    } else {
      const max = Math.max(1, MAX_PX - height);
      list.scrollTop = (pos / Math.max(1, this.count - n + 1)) * max;
    }
  }

  /** Shows the breakdown of the record at view position `pos` below the list. */
  async showDetail(pos) {
    const { app } = this;
    const d = app.data;
    if (!d) return;
    const gen = this.gen;
    const lang = app.lang;
    const [specs, r] = await Promise.all([app.decoder.fields(lang), app.decoder.viewEntry(d.dataId, pos, lang)]);
    if (gen !== this.gen || r.stale || !r.entry) return;
    this.detailPos = pos;
    await this.paintDetail(r.entry, specs, null);
  }

  /** Goes to the record of input line `line`: its row when the view has it; its breakdown anyway. */
  async goToLine(line) {
    const { app } = this;
    const d = app.data;
    if (!d) return;
    const gen = this.gen;
    const lang = app.lang;
    const [specs, r] = await Promise.all([app.decoder.fields(lang), app.decoder.lineEntry(d.dataId, line, lang)]);
    if (gen !== this.gen || r.stale) return;
    const S = app.S;
    if (!r.entry) {
      this.el.detail.replaceChildren(el('p', { class: 'detail-note', text: S.detailNoLine(line) }));
      return;
    }
    if (r.position >= 0) {
      this.setActive(r.position, true);
      this.detailPos = r.position;
      await this.paintDetail(r.entry, specs, null);
    } else {
      this.detailPos = -1;
      await this.paintDetail(r.entry, specs, S.detailNotInView(line));
    }
    this.el.section.scrollIntoView({ block: 'start', behavior: 'smooth' });
    this.el.list.focus({ preventScroll: true });
  }

  async paintDetail(entry, specs, note) {
    const S = this.app.S;
    this.detailEntry = entry;
    this.detailNote = note;
    const bar = el('div', { class: 'detail-bar' },
      el('button', { type: 'button', class: 'small', 'data-copy': 'json', text: S.detailCopyJson }),
      el('button', { type: 'button', class: 'small', 'data-copy': 'sentence', text: S.detailCopySentence }),
      el('span', { class: 'copy-status', 'aria-live': 'polite' }));
    const body = el('div', { class: 'detail-body' });
    this.el.detail.replaceChildren(...[note && el('p', { class: 'detail-note', text: note }), bar, body].filter(Boolean));
    this.el.detail.dataset.line = String(entry.line);
    await renderEntries(body, [entry], specs.byKey, S);
  }

  async copy(what, button) {
    const e = this.detailEntry;
    if (!e) return;
    const S = this.app.S;
    // The sentence as shown: its times in the zone chosen.
    const text = what === 'json' ? JSON.stringify(e, null, 2) : (timesIn(e.summary, this.app.lang) || e.error || '');
    const status = button.parentElement.querySelector('.copy-status');
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = S.detailCopied;
    } catch {
      status.textContent = S.detailCopyFailed;
    }
  }

  /** Everything again in the page's language. */
  async relabel() {
    this.render();
    const { app } = this;
    if (!this.detailEntry || !app.data) return;
    const line = this.detailEntry.line;
    const lang = app.lang;
    const [specs, r] = await Promise.all([app.decoder.fields(lang), app.decoder.lineEntry(app.data.dataId, line, lang)]);
    if (r.stale || !r.entry || lang !== app.lang) return;
    await this.paintDetail(r.entry, specs, this.detailPos < 0 ? app.S.detailNotInView(line) : null);
  }
}
