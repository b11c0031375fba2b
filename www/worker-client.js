// The page's side of one worker: requests with promises, and a new worker when the old one dies.
// decoder-client.js runs the page's two workers with it. The messages are in protocol.js.
import { EVENT } from './protocol.js';

const MAX_FAILED_STARTS = 3; // a worker that dies before it is ready this often will not start at all

// A worker started from its own URL runs under the policy its response's headers give it, and a
// static host (GitHub Pages) sends none: the page's Content-Security-Policy (a meta tag) would not
// reach the workers, which hold the decoded records. A worker started from a blob: URL takes its
// creator's policy instead; so each worker is a one-line module that imports the real one (same
// origin, allowed by script-src 'self'), and the page's CSP holds inside it: no eval, no fetch
// but to the page's origin and AWS's ip-ranges, no further workers.
const bootstraps = new Map();
function bootstrap(url) {
  const href = new URL(url, location.href).href;
  // A data: URL (the single-file build, scripts/single-file.mjs) is local already, under the page's policy.
  if (href.startsWith('data:')) return href;
  if (!bootstraps.has(href)) {
    const source = `import ${JSON.stringify(href)};\n`;
    bootstraps.set(href, URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  }
  return bootstraps.get(href);
}

export class WorkerClient {
  /**
   * @param {URL} url the worker's module script
   * @param {(event: {type: string, [k: string]: any}) => void} onEvent
   *   gets the worker's events (protocol.js: EVENT, but 'fatal'), and {type: 'restarted', error,
   *   wasReady} when a new worker replaced one that died, {type: 'failed', error} when none will
   */
  constructor(url, onEvent) {
    this.url = url;
    this.onEvent = onEvent;
    this.nextId = 1;
    this.pending = new Map();
    this.failedStarts = 0;
    this.worker = null;
    this.ready = false;
    this.start();
  }

  start() {
    this.ready = false;
    const worker = new Worker(bootstrap(this.url), { type: 'module' });
    worker.onmessage = (e) => this.receive(worker, e.data);
    // Module load failures and uncaught errors; the worker catches everything else itself.
    worker.onerror = (e) => {
      e.preventDefault();
      this.died(worker, e.message || 'worker error');
    };
    worker.onmessageerror = () => this.died(worker, 'unreadable message from the worker');
    this.worker = worker;
  }

  receive(worker, msg) {
    if (worker !== this.worker) return;
    if (msg.type === EVENT.ready) {
      this.ready = true;
      this.failedStarts = 0;
      this.onEvent(msg);
      return;
    }
    if (msg.type === EVENT.fatal) {
      this.died(worker, msg.error);
      return;
    }
    if (msg.type) {
      this.onEvent(msg);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) {
      p.resolve(msg.result);
    } else {
      // `reasons` ({en, ja}) or `key`/`args`: the error in any of the page's languages.
      const { reasons, key, args } = msg;
      p.reject(Object.assign(new Error(msg.error), { crashed: !!msg.fatal, reasons, key, args }));
      if (msg.fatal) this.died(worker, msg.error);
    }
  }

  died(worker, reason) {
    if (worker !== this.worker) return;
    worker.terminate();
    this.worker = null;
    const wasReady = this.ready;
    if (!wasReady) this.failedStarts += 1;
    for (const p of this.pending.values()) p.reject(Object.assign(new Error(reason), { crashed: true }));
    this.pending.clear();
    if (this.failedStarts >= MAX_FAILED_STARTS) {
      this.onEvent({ type: 'failed', error: reason });
      return;
    }
    this.start();
    this.onEvent({ type: 'restarted', error: reason, wasReady });
  }

  /**
   * Sends `op` with `args` (`transfer`: what is moved, not copied); resolves with the worker's
   * result. `onId` gets the request's id at once (progress events carry it).
   */
  request(op, args = {}, onId = null, transfer = []) {
    if (!this.worker) return Promise.reject(new Error('decoder unavailable'));
    const id = this.nextId++;
    onId?.(id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...args, op, id }, transfer);
    });
  }

  /** Sends `op` with `args` (`transfer`: what is moved, not copied), expecting no answer. */
  post(op, args = {}, transfer = []) {
    this.worker?.postMessage({ ...args, op }, transfer);
  }

  /**
   * Stops whatever the worker is doing (a long file read) by replacing it; pending requests reject
   * with `cancelled`. The new worker loads the decoder and ip-ranges again.
   */
  cancel() {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(Object.assign(new Error('cancelled'), { cancelled: true }));
    this.pending.clear();
    this.start();
  }
}
