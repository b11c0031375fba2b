// The status line (#status): what the page is doing, or what went wrong, in the page's language;
// and, as data- attributes for tests and the benchmark, the figures of the last decode.

// The statuses shown as errors.
const ERRORS = ['workerFailed', 'workerCrashed', 'inputCrashed', 'decodeFailed'];

export class StatusLine {
  constructor(app) {
    this.app = app;
    this.node = document.getElementById('status');
    this.status = { key: 'loadingDecoder', args: [] };
  }

  /** The key of the status shown (a string of i18n/), or undefined. */
  get key() {
    return this.status?.key;
  }

  /** Says the string `key` of i18n/ with `args` (null: nothing), now and after a change of language. */
  set(key, ...args) {
    this.status = key ? { key, args } : null;
    this.show();
  }

  show() {
    const st = this.status;
    const v = st && this.app.S[st.key];
    this.node.textContent = typeof v === 'function' ? v(...st.args) : v || '';
    this.node.classList.toggle('is-error', !!st && ERRORS.includes(st.key));
  }

  /** The decoder's WASM memory after a decode, and its time for a file (undefined: none). */
  figures(memory, ms) {
    this.node.dataset.memoryBytes = String(memory);
    if (ms !== undefined) this.node.dataset.decodeMs = String(Math.round(ms));
    else delete this.node.dataset.decodeMs;
  }
}
