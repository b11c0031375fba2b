// The first module each worker runs (the first import of decode.js and summary.js, so it is
// evaluated before the WASM glue and the decoding code): the workers hold the decoded records, so
// nothing in them may reach the network but the three fetches they need, which go through netFetch
// below. The page's Content-Security-Policy already holds inside the workers (they start from blob:
// URLs, see worker-client.js); this holds where a host's headers would allow more, and where the
// worker is started from its own URL.
//
// What is taken away: fetch, XMLHttpRequest, WebSocket(Stream), WebTransport, EventSource,
// importScripts, Worker, SharedWorker and navigator.sendBeacon are replaced on the worker's global
// object by functions that throw (and removed from the prototypes they are inherited from).
// eval, Function, string timers and dynamic import() are left to the CSP (script-src 'self', no
// 'unsafe-eval'), which stops them in a blob: worker; eval is not stubbed, as that would break
// the DevTools protocol's evaluation in the worker (the end-to-end tests use it).

const realFetch = globalThis.fetch;
const LIVE_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';

/** Thrown by the network APIs a worker may not use. */
function blocked(name) {
  const stub = function () {
    throw new TypeError(`${name} is not available in flowlens's workers`);
  };
  Object.defineProperty(stub, 'name', { value: name });
  return Object.freeze(stub);
}

/** Removes `name` from `obj` and the prototypes it inherits from, then puts a throwing stub on `obj`. */
function takeAway(obj, name, label = name) {
  for (let o = obj; o; o = Object.getPrototypeOf(o)) {
    if (Object.hasOwn(o, name)) {
      try {
        delete o[name];
      } catch {
        // Not configurable: shadowed below.
      }
    }
  }
  try {
    Object.defineProperty(obj, name, { value: blocked(label), writable: false, configurable: false, enumerable: false });
  } catch {
    // Not definable (never seen): the CSP still holds.
  }
}

const NAMES = ['fetch', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'WebTransport', 'EventSource',
  'importScripts', 'Worker', 'SharedWorker'];
for (const name of NAMES) {
  if (name in globalThis) takeAway(globalThis, name);
}
if (typeof navigator === 'object' && navigator && 'sendBeacon' in navigator) {
  takeAway(navigator, 'sendBeacon', 'navigator.sendBeacon');
}

/**
 * The one way out of a worker: `fetch` for this page's own files (the WASM module, the bundled
 * ip-ranges.json) and AWS's live ip-ranges.json, nothing else.
 */
export function netFetch(url, init = {}) {
  const u = new URL(url, self.location.href);
  if (u.origin !== self.origin && u.href !== LIVE_URL) {
    return Promise.reject(new TypeError(`not fetched from a worker: ${u.origin}`));
  }
  return realFetch.call(globalThis, u.href, init);
}
