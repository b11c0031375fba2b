// A small static server for www/, on a random port of 127.0.0.1, for the end-to-end tests.
// Serves under a sub-path too (/flowlens/...), as GitHub Pages does.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// FLOWLENS_WWW serves another copy of the site (used to check that the tests catch broken pages).
export const WWW = resolve(process.env.FLOWLENS_WWW || fileURLToPath(new URL('../../www/', import.meta.url)));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
};

// The headers a host that can send them should send (README: Hardening): the page's own policy
// (its meta tag, the one source of it) with what only a header can say, frame-ancestors.
export function securityHeaders(root = WWW) {
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
  if (!csp) throw new Error('index.html has no Content-Security-Policy meta tag');
  return {
    'content-security-policy': `${csp}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * Starts the server; resolves with {url, close}. `prefix` is the sub-path the site lives at;
 * `secure: false` sends none of the security headers (as GitHub Pages).
 */
export async function serve({ root = WWW, prefix = '/', secure = true } = {}) {
  const headers = secure ? securityHeaders(root) : {};
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (!path.startsWith(prefix)) return send(res, 404, 'not found');
      path = path.slice(prefix.length);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'forbidden');
      const st = await stat(file).catch(() => null);
      if (st && st.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file).catch(() => null);
      if (!body) return send(res, 404, 'not found');
      res.writeHead(200, {
        'content-type': MIME[extname(file)] || 'application/octet-stream',
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      send(res, 500, String(e));
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
