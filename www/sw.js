// The service worker: the page works offline after one visit, and is served with the security
// headers a static host (GitHub Pages) does not send.
//
// What is kept, and where (one policy, README "Offline"):
// - This build's own files (the page, its modules, the workers, the WASM module, the bundled
//   ip-ranges snapshot, the icons) are kept in the Cache Storage under `flowlens-<build id>`. The
//   list and the build id (a hash of every file's content) come from precache.js, which
//   scripts/build.sh writes: any change of any file is a new build, installed beside the old one
//   and, once in control, the only one left (the old caches are deleted).
// - AWS's live ip-ranges.json is never cached here (requests to other origins are not touched):
//   the decoding worker fetches it from the network and keeps the last good copy, validated, in
//   IndexedDB (www/workers/ipranges.js). Offline, the worker's fetch fails as it would without a
//   service worker, and the worker falls back to that kept copy, then to the bundled snapshot.
//
// Updates: the browser checks this script (and precache.js, imported below) at each visit. A new
// build installs and waits while an old tab uses the old one; the page says a new version is
// ready (www/offline.js) and, when the user asks, tells it to take over ('skipWaiting'); the page
// then reloads. The first install takes control at once (clients.claim), so the first visit is
// already available offline.
/* global FLOWLENS_PRECACHE */
importScripts('precache.js');

const { build, files, csp } = FLOWLENS_PRECACHE;
const CACHE = `flowlens-${build}`;
const SCOPE = new URL('./', self.location.href).href;
const INDEX = new URL('index.html', SCOPE).href;

// The headers a host should send (README: Hardening), on everything this worker answers with:
// the page's policy (its meta tag, read by scripts/precache.mjs) with frame-ancestors, which
// only a header can say.
const HEADERS = {
  'Content-Security-Policy': `${csp}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Past the HTTP cache (a host's max-age would give an older copy), and each file checked
    // against the hash of this build: a host caught half-way through a deploy fails the
    // install, which is tried again at the next visit.
    await cache.addAll(files.map(([path, integrity]) => new Request(new URL(path, SCOPE), { cache: 'reload', integrity })));
    // The first install takes over at once; an update waits for the page's word.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('flowlens-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skipWaiting') self.skipWaiting();
  if (event.data?.type === 'build') event.source?.postMessage({ type: 'build', build });
});

function withHeaders(res) {
  if (res.type !== 'basic' && res.type !== 'default') return res;
  const headers = new Headers(res.headers);
  for (const [k, v] of Object.entries(HEADERS)) headers.set(k, v);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

async function answer(request, url) {
  const cache = await caches.open(CACHE);
  // The page at any address of its folder (with a query, e.g. ?workers=1) is this build's page.
  const isPage = request.mode === 'navigate' && (url.href.split(/[?#]/)[0] === SCOPE || url.pathname === new URL(INDEX).pathname);
  const kept = await cache.match(isPage ? INDEX : url.origin + url.pathname);
  if (kept) return withHeaders(kept);
  // Not a file of this build: from the network, not kept.
  return withHeaders(await fetch(request));
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Other origins (AWS's live ip-ranges.json) go to the network untouched, and are never cached.
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  event.respondWith(answer(request, url));
});
