// Share links (#share-panel): on request, the input on screen, the language, the log format in use,
// the filters and the order, packed into the address's fragment (`#share=v1.…`), which browsers
// never send to a server; and such a link opened: read, checked, and restored. The fragment is
// removed from the address bar once read (see `fromAddress`).
//
// The fragment: `share=v1.` then base64url (no padding) of the deflate-raw compression of a JSON
// object {t: input text, l: language, f: format ('' automatic), q: [filters], o: order}. Whatever
// a fragment holds is checked before use: its size (compressed, and inflated: a small fragment may
// inflate to gigabytes), each member's type and size, the language against the page's, the order
// against the sort menu; the format and the filters then go through the format box's and the
// filter bar's own checks, which say what is wrong with them where they always do.
import { formatSize, LANGS } from './i18n.js';
import { MAX_SAVED_FORMAT_CHARS } from './format-box.js';
import { Said } from './status.js';

const PREFIX = 'share=';
const VERSION = 'v1';
// The compressed payload a link holds at most: longer addresses are cut by chat apps and mail.
export const MAX_COMPRESSED = 32_000;
// What a link's payload may inflate to (a decompression bomb stops here), and so the largest input
// worth compressing at all.
export const MAX_INFLATED = 1_000_000;
const MAX_FILTERS = 20;
const MAX_FILTER_CHARS = 2000;

const B64_CHARS = /^[A-Za-z0-9_-]*$/;

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of base64url `s`, or null when it is not base64url. */
function fromBase64Url(s) {
  if (!B64_CHARS.test(s) || s.length % 4 === 1) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** All the bytes of `readable`, or null past `max` bytes (then it is cancelled). */
async function readAll(readable, max) {
  const reader = readable.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** `bytes` through a (de)compression stream; the writer's errors are the reader's too. */
function through(stream, bytes, max) {
  const writer = stream.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  return readAll(stream.readable, max);
}

/** The fragment (without '#') of `state` {text, lang, format, filters, sort}, and its compressed size. */
export async function makeFragment({ text, lang, format, filters, sort }) {
  const json = JSON.stringify({ t: text, l: lang, f: format, q: filters, o: sort });
  const bytes = new TextEncoder().encode(json);
  if (bytes.length > MAX_INFLATED) return { tooBig: bytes.length, raw: true };
  const packed = await through(new CompressionStream('deflate-raw'), bytes, Infinity);
  if (packed.length > MAX_COMPRESSED) return { tooBig: packed.length };
  return { fragment: `${PREFIX}${VERSION}.${toBase64Url(packed)}`, size: packed.length };
}

/** Whether the fragment `hash` (with or without '#') is meant as a share link. */
export function isShare(hash) {
  return hash.replace(/^#/, '').startsWith(PREFIX);
}

/**
 * The state a share fragment holds, checked: {state: {text, lang, format, filters, sort}} or
 * {bad: reason} (a key of i18n/: shareBadVersion, shareBadEncoding, shareBadSize,
 * shareBadContent, shareBadLang). Never throws.
 */
export async function readFragment(hash, sorts) {
  try {
    const body = hash.replace(/^#/, '').slice(PREFIX.length);
    const dot = body.indexOf('.');
    if (dot < 0 || body.slice(0, dot) !== VERSION) return { bad: 'shareBadVersion' };
    const b64 = body.slice(dot + 1);
    // Larger than any link this page makes: not even decoded.
    if (b64.length > Math.ceil((MAX_COMPRESSED * 4) / 3) + 4) return { bad: 'shareBadSize' };
    const packed = fromBase64Url(b64);
    if (!packed || packed.length === 0) return { bad: 'shareBadEncoding' };
    let bytes;
    try {
      bytes = await through(new DecompressionStream('deflate-raw'), packed, MAX_INFLATED);
    } catch {
      return { bad: 'shareBadEncoding' };
    }
    if (!bytes) return { bad: 'shareBadSize' };
    let o;
    try {
      o = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      return { bad: 'shareBadContent' };
    }
    return check(o, sorts);
  } catch {
    return { bad: 'shareBadContent' };
  }
}

// The members of a payload, checked one by one.
function check(o, sorts) {
  const str = (v, max) => typeof v === 'string' && v.length <= max;
  if (!o || typeof o !== 'object' || Array.isArray(o)) return { bad: 'shareBadContent' };
  const { t, l, f, q, o: sort } = o;
  if (!str(t, MAX_INFLATED) || !str(f, MAX_SAVED_FORMAT_CHARS) || !str(sort, 100) || typeof l !== 'string') {
    return { bad: 'shareBadContent' };
  }
  if (!Array.isArray(q) || q.length > MAX_FILTERS || !q.every((x) => str(x, MAX_FILTER_CHARS) && x.trim())) {
    return { bad: 'shareBadContent' };
  }
  if (!sorts.includes(sort)) return { bad: 'shareBadContent' };
  // An own key: not 'constructor' or '__proto__' of Object.prototype.
  if (!Object.hasOwn(LANGS, l)) return { bad: 'shareBadLang' };
  return { state: { text: t, lang: l, format: f, filters: q, sort } };
}

export class ShareArea {
  constructor(app) {
    this.app = app;
    const $ = (id) => document.getElementById(id);
    this.el = {
      open: $('share-open'), panel: $('share-panel'), make: $('share-make'), close: $('share-close'),
      link: $('share-link'), what: $('share-what'), linkRow: $('share-link-row'), status: $('share-status'), message: $('share-message'),
    };
    this.status = new Said(app, this.el.status, ['shareTooBig', 'shareTooBigRaw', 'shareNoText', 'shareFailed']);
    // What a link opened said (shown above the input).
    this.message = new Said(app, this.el.message, ['shareBad', 'sharePartly']);
  }

  /** Everything the area says, again in the page's language. */
  relabel() {
    this.el.what.textContent = this.app.S.shareWhat(formatSize(MAX_COMPRESSED, this.app.lang));
    this.status.show();
    this.message.show();
  }

  listen() {
    const { el: e } = this;
    e.open.addEventListener('click', () => this.toggle());
    e.close.addEventListener('click', () => this.toggle(false));
    e.make.addEventListener('click', () => this.make());
    e.link.addEventListener('focus', () => e.link.select());
    // A share link pasted into the address bar of this tab changes only the fragment.
    window.addEventListener('hashchange', () => {
      if (!isShare(location.hash)) return;
      this.fromAddress().then((s) => s && this.restore(s));
    });
  }

  /** The button is enabled when there is a decoded input (called whenever the data on screen changes). */
  update() {
    const d = this.app.data;
    const on = !!d && d.report.lines > 0;
    this.el.open.disabled = !on;
    if (!on) this.toggle(false);
    // A link made of another input is not left on show.
    else if (this.madeFor && this.madeFor !== d) this.forget();
  }

  // The link shown, and what was said of it, gone.
  forget() {
    this.madeFor = null;
    this.el.link.value = '';
    this.el.linkRow.hidden = true;
    this.status.set(null);
  }

  /** Opens (or closes) the panel: the warning first, the link made only on "Copy link". */
  toggle(open = this.el.panel.hidden) {
    const { el: e } = this;
    e.panel.hidden = !open;
    e.open.setAttribute('aria-expanded', String(open));
    if (!open) this.forget();
  }

  // The values of the sort menu.
  get sorts() {
    return [...this.app.areas.explore.el.sort.options].map((o) => o.value);
  }

  /** Makes the link of what is on screen, copies it, and shows it. */
  async make() {
    const { app, el: e } = this;
    e.linkRow.hidden = true;
    e.link.value = '';
    // Text typed since the last decode: decoded first, so that the link holds what is shown.
    if (app.source !== app.lastGood && !(await app.decode())) return;
    const { source } = app;
    // A file's text is in the box when it was small and plain enough (input.js `echo`).
    const text = source.file ? app.areas.input.text : source.text;
    if (!text) {
      this.status.set('shareNoText');
      return;
    }
    const { explore, format } = app.areas;
    let r;
    try {
      r = await makeFragment({ text, lang: app.lang, format: format.inUse, filters: [...explore.stack], sort: explore.sort });
    } catch (err) {
      this.status.set('shareFailed', String(err?.message || err));
      return;
    }
    if (r.tooBig) {
      const lang = app.lang;
      if (r.raw) this.status.set('shareTooBigRaw', formatSize(r.tooBig, lang), formatSize(MAX_INFLATED, lang));
      else this.status.set('shareTooBig', formatSize(r.tooBig, lang), formatSize(MAX_COMPRESSED, lang));
      return;
    }
    const url = new URL(location.href);
    url.hash = r.fragment;
    e.link.value = url.href;
    e.linkRow.hidden = false;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url.href);
      copied = true;
    } catch {
      // Selected in the field instead.
    }
    e.panel.dataset.size = String(r.size);
    this.madeFor = app.data;
    this.status.set(copied ? 'shareCopied' : 'shareNotCopied', formatSize(r.size, app.lang));
    if (!copied) {
      e.link.focus();
      e.link.select();
    }
  }

  /**
   * The share link in the address, checked (null when there is none, or it could not be read: then
   * the message says why). The fragment is taken out of the address bar at once: left there, the
   * log lines would go along with any copy of the address, a bookmark or a reload would bring them
   * back, and the page's state soon differs from it anyway.
   */
  async fromAddress() {
    const { hash } = location;
    if (!isShare(hash)) return null;
    try {
      history.replaceState(history.state, '', location.pathname + location.search);
    } catch {
      // Left in the address bar; harmless.
    }
    const r = await readFragment(hash, this.sorts);
    if (r.bad) {
      this.message.set('shareBad', r.bad);
      this.el.message.dataset.state = 'bad';
      return null;
    }
    return r.state;
  }

  /**
   * Shows the input of a link, with its language, format, order and filters; the format and the
   * filters go through the checks they always do, and what they refuse is said beside them. The
   * format and the language of a link are not remembered (the user's own stay for the next visit).
   */
  async restore(state) {
    const { app } = this;
    const { input, format, explore } = app.areas;
    this.message.set('shareOpened');
    this.el.message.dataset.state = 'opening';
    if (state.lang !== app.lang) {
      document.getElementById('lang').value = state.lang;
      await app.setLang(state.lang, { remember: false });
    }
    let partly = false;
    format.el.box.value = state.format;
    if (!(await format.apply({ quiet: true, remember: false }))) partly = true;
    explore.stack = [];
    explore.sort = state.sort;
    explore.el.sort.value = state.sort;
    input.el.text.value = state.text;
    app.source = { text: state.text };
    input.showFile();
    if (!(await app.decode())) {
      this.el.message.dataset.state = 'failed';
      return;
    }
    // Each filter checked as if typed: the first refused is left in the box, its fault marked.
    const good = [];
    let refused = null;
    for (const f of state.filters) {
      let error = null;
      try {
        ({ error } = await app.decoder.checkFilter(f, app.lang));
      } catch (err) {
        error = { message: String(err?.message || err), start: 0, end: 0 };
      }
      if (error) {
        refused ??= { f, error };
        partly = true;
      } else {
        good.push(f);
      }
    }
    if (good.length && !(await explore.apply(good))) partly = true;
    if (refused) explore.refused(refused.error, refused.f, refused.f);
    if (partly) this.message.set('sharePartly');
    this.el.message.dataset.state = partly ? 'partly' : 'opened';
  }
}
