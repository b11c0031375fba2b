// The format box (#format): a format string of the user's (`${version} ${account-id} …`), checked
// by the decoder, used for every decode from then on and remembered for the next visit; empty, the
// decoder finds the format itself. Beside it, what became of it (#format-status).

import { Said } from './status.js';

const FORMAT_KEY = 'flowlens.format';

// A format has a few dozen fields (AWS defines fewer than 100): a remembered one longer than this
// is not the user's (storage is shared by every page of the origin, on GitHub Pages every project
// of a user) and is not read, only forgotten.
export const MAX_SAVED_FORMAT_CHARS = 4096;
export const MAX_SAVED_FORMAT_FIELDS = 200;

/** Why `text` is not a format to remember, as a string of i18n/ and its arguments, or null. */
function tooBig(text) {
  if (text.length > MAX_SAVED_FORMAT_CHARS) {
    return ['formatSavedTooLong', Math.ceil(text.length / 1024), MAX_SAVED_FORMAT_CHARS / 1024];
  }
  const fields = text.split(/\s+/).filter(Boolean).length;
  if (fields > MAX_SAVED_FORMAT_FIELDS) return ['formatSavedTooMany', fields, MAX_SAVED_FORMAT_FIELDS];
  return null;
}

function saveFormat(text) {
  try {
    if (text && !tooBig(text)) localStorage.setItem(FORMAT_KEY, text);
    else localStorage.removeItem(FORMAT_KEY);
  } catch {
    // Not remembered; harmless.
  }
}

/** {text} of the remembered format ('' when none), or {refused: [key, ...args]} (then forgotten). */
function savedFormat() {
  try {
    const text = localStorage.getItem(FORMAT_KEY) || '';
    const refused = tooBig(text);
    if (!refused) return { text };
    localStorage.removeItem(FORMAT_KEY);
    return { text: '', refused };
  } catch {
    return { text: '' };
  }
}

export class FormatBox {
  constructor(app) {
    this.app = app;
    this.el = {
      box: document.getElementById('format'),
      clear: document.getElementById('format-clear'),
    };
    this.inUse = ''; // the format text in use (valid; '' is automatic)
    // Beside the box: 'formatApplying' until a decode with it is shown, 'formatApplied', errors.
    this.status = new Said(app, document.getElementById('format-status'),
      ['formatError', 'formatSavedTooLong', 'formatSavedTooMany']);
  }

  /**
   * Checks the box's text with the decoder; when it is a format, uses it from now on (and
   * remembers it), then decodes the input again ("Applying…" until its entries are shown).
   * `quiet` is for the saved format restored at load; `remember: false` for a share link's format.
   * Resolves true when the box's text is the format in use.
   */
  async apply({ quiet = false, remember = true } = {}) {
    const { app } = this;
    const text = this.el.box.value.trim();
    if (text === this.inUse && this.status.key !== 'formatError') return true;
    try {
      const { normalized } = await app.decoder.checkFormat(text);
      if (text !== this.el.box.value.trim()) return false; // edited again meanwhile
      this.inUse = text;
      if (remember) saveFormat(text);
      const redecode = !quiet && !!(app.data || app.source.file || app.source.text);
      this.el.box.title = normalized || '';
      this.status.set(text && !quiet ? (redecode ? 'formatApplying' : 'formatApplied') : null);
      if (redecode) app.decode();
      return true;
    } catch (e) {
      if (e.crashed || e.cancelled) return false;
      this.status.set('formatError', e.message);
      return false;
    }
  }

  /** The format remembered from the last visit, checked and in use before the first decode. */
  restore() {
    const { text, refused } = savedFormat();
    this.el.box.value = text;
    if (refused) this.status.set(...refused);
    return this.el.box.value ? this.apply({ quiet: true }) : Promise.resolve();
  }

  clear() {
    this.el.box.value = '';
    this.apply();
    this.el.box.focus();
  }

  /** "Edit this format": the format the decoder guessed, in the box for the user to correct. */
  edit(format) {
    this.el.box.value = format;
    this.status.set('formatEditHint');
    this.el.box.focus();
  }

  /** The entries of a decode with `format` are on screen: "Applied." when it was just applied. */
  shown(format) {
    if (format !== this.inUse || this.status.key !== 'formatApplying') return;
    this.status.set('formatApplied');
  }

  /** A decode that did not finish: the format stays in use, but "Applying…" is said no more. */
  notShown() {
    if (this.status.key === 'formatApplying') this.status.set(null);
  }
}
