// What both workers share: the WASM session, answering the page's requests in turn, and the
// warm-up of the session's code. The message names are in ../protocol.js.
import init from '../pkg/flowlens.js';
import { netFetch } from './lockdown.js';
import { EVENT, NOW } from '../protocol.js';

/** The worker's WASM session: null until the decoder is loaded (and when it could not be). */
export let session = null;

export const errorText = (e) => String(e && e.message ? e.message : e);

// The worker's role says which session it makes (open()).
let opened;
const made = new Promise((resolve) => {
  opened = resolve;
});

/** Makes the worker's session with `make()` (e.g. `() => new DecodeSession()`) once WASM is loaded. */
export function open(make) {
  opened(make);
}

/** Resolves once `session` exists, when the page is told 'ready'. */
// The module is fetched here (the glue's init() would use the global fetch, taken away by lockdown.js).
const WASM_URL = new URL('../pkg/flowlens_bg.wasm', import.meta.url);
export const wasmReady = Promise.all([init({ module_or_path: netFetch(WASM_URL) }), made]).then(([, make]) => {
  session = make();
  self.postMessage({ type: EVENT.ready });
});
// A failed init is reported once, as a fatal error: the page starts the worker again.
wasmReady.catch((e) => self.postMessage({ type: EVENT.fatal, error: errorText(e) }));

// While a worker waits for its first input, its code runs once over a made-up one (see
// src/warm.rs): the engine first runs WebAssembly in quickly made baseline code and optimises the
// functions that turn out hot, so the first real input would otherwise pay for that.
const WARM_RECORDS = 4000;
export function warmUp() {
  if (!session) return;
  try {
    session.warm_up(WARM_RECORDS);
  } catch {
    // Only a warm-up: a real input reports its own problems.
  }
}

// Requests are handled one at a time, in the order they arrive: each runs the one session.
let queue = Promise.resolve();

/** Runs `task` after every request that came before it. */
export function enqueue(task) {
  queue = queue.then(task);
}

// What the page needs to say an error in any of its languages: the reason in each language
// (`reasons: {en, ja}`, from Rust) or a key of the page's strings with its arguments.
function localizedError(e) {
  const out = {};
  if (e && e.reasons && typeof e.reasons.en === 'string') out.reasons = { en: e.reasons.en, ja: e.reasons.ja };
  if (e && typeof e.key === 'string') Object.assign(out, { key: e.key, args: e.args || [] });
  return out;
}

async function handle(handlers, msg) {
  try {
    const handler = handlers[msg.op];
    if (!handler) throw new Error(`unknown request ${msg.op}`);
    const result = await handler(msg);
    self.postMessage({ id: msg.id, ok: true, result });
  } catch (e) {
    // A trap (panic, out of memory) leaves the WASM instance unusable: the page starts a new worker.
    const fatal = e instanceof WebAssembly.RuntimeError || session === null;
    self.postMessage({ id: msg.id, ok: false, fatal, error: errorText(e), ...localizedError(e) });
  }
}

/**
 * Answers the page's requests with `handlers` (op -> async function of the message, looked up
 * when the request is handled); `posts` (op -> function) take the messages that get no answer.
 */
export function serve(handlers, posts = {}) {
  self.onmessage = (event) => {
    const msg = event.data;
    if (Object.hasOwn(posts, msg.op)) posts[msg.op](msg);
    else if (NOW.includes(msg.op)) handle(handlers, msg);
    else enqueue(() => handle(handlers, msg));
  };
}
