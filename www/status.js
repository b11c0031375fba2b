// The status line (#status): what the page is doing, or what went wrong, in the page's language;
// and, as data- attributes for tests and the benchmark, the figures of the last decode.

// The statuses shown as errors.
const ERRORS = ['workerFailed', 'workerCrashed', 'inputCrashed', 'decodeFailed'];

/**
 * A string of i18n/ said in `node` (with its arguments), kept so that it is said again in the
 * other language after a change of language; the keys in `errors` are shown as errors.
 */
export class Said {
  constructor(app, node, errors, status = null) {
    this.app = app;
    this.node = node;
    this.errors = errors;
    this.status = status;
  }

  /** The key of the status shown (a string of i18n/), or undefined. */
  get key() {
    return this.status?.key;
  }

  /**
   * Says the string `key` of i18n/ with `args` (null: nothing), now and after a change of language;
   * an argument that is a function is given the strings of the language at each saying ("3 files").
   */
  set(key, ...args) {
    this.status = key ? { key, args } : null;
    this.show();
  }

  show() {
    const st = this.status;
    const v = st && this.app.S[st.key];
    const args = st ? st.args.map((a) => (typeof a === 'function' ? a(this.app.S) : a)) : [];
    this.node.textContent = typeof v === 'function' ? v(...args) : v || '';
    this.node.classList.toggle('is-error', !!st && this.errors.includes(st.key));
  }
}

export class StatusLine extends Said {
  constructor(app) {
    super(app, document.getElementById('status'), ERRORS, { key: 'loadingDecoder', args: [] });
  }

  /** Marks a change the user waited for (a file decoded): the line is lit up for a moment. */
  flash() {
    this.node.classList.remove('flash');
    void this.node.offsetWidth; // the animation starts again
    this.node.classList.add('flash');
  }

  /** The decoder's WASM memory after a decode, and its time for a file (undefined: none). */
  figures(memory, ms) {
    this.node.dataset.memoryBytes = String(memory);
    if (ms !== undefined) this.node.dataset.decodeMs = String(Math.round(ms));
    else delete this.node.dataset.decodeMs;
  }
}
