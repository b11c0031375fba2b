// The page's side of the service worker (sw.js): registers it, and when a new build is installed
// while this tab runs the old one, says so (#update) and reloads into it when the user asks.
// Where service workers are not available (file://, a browser without them, http:// on another
// host than localhost), the page works as before, online only.

/** Registers sw.js; `onUpdate()` is called once a new version waits for this tab. */
export function registerOffline(onUpdate) {
  if (!('serviceWorker' in navigator) || !window.isSecureContext || location.protocol === 'file:') return;
  const sw = navigator.serviceWorker;
  let asked = false; // the user asked for the new version: its taking control reloads the page
  let had = !!sw.controller; // a worker controlled the page already (else a change is the first install)
  sw.addEventListener('controllerchange', () => {
    if (asked) location.reload();
    // Another tab took the new version: this one runs the old page with the new files behind it
    // (a worker started again would be the new one), so it says so too.
    else if (had) onUpdate(() => location.reload());
    had = true;
  });
  const waiting = (reg) => {
    // A worker installed while another controls this tab is a new build.
    if (reg.waiting && sw.controller) {
      onUpdate(() => {
        asked = true;
        reg.waiting?.postMessage({ type: 'skipWaiting' });
      });
    }
  };
  // updateViaCache 'none': the browser checks sw.js and precache.js past the HTTP cache (a host's
  // max-age would otherwise hide a new build for that long).
  sw.register('sw.js', { updateViaCache: 'none' }).then((reg) => {
    waiting(reg);
    reg.addEventListener('updatefound', () => {
      const next = reg.installing;
      next?.addEventListener('statechange', () => {
        if (next.state === 'installed') waiting(reg);
      });
    });
  }).catch((e) => console.warn('flowlens: no offline copy:', e?.message || e));
}
