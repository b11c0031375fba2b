#!/usr/bin/env node
// Writes the single-file build: one HTML file that works from disk (file://), where browsers load
// no ES module from a file. Usage: node scripts/single-file.mjs WWW_DIR OUT.html (scripts/release.sh).
//
// How: the page's modules and files travel inside the HTML as data (a JSON block, which no
// browser runs): each module's source with its imports and `new URL(..., import.meta.url)`
// references written as markers, the WASM module in base64, the ip-ranges snapshot as text. One
// small inline script (allowed by its hash in the file's own Content-Security-Policy) makes URLs
// of them, dependencies first, putting the URL of what a module uses in place of its markers,
// and imports main.js:
// - the page's modules become blob: URLs;
// - the workers cannot: on file:// (an opaque origin) Chromium starts no module worker from a
//   blob: URL, and a worker cannot fetch or import the page's blob: URLs. A module worker from a
//   data: URL works, importing data: URLs; so each worker module becomes a data: URL (and
//   worker-client.js starts a data: URL as it is). A URL is at most 2 MB in Chromium, less than
//   the WASM module: the files (WASM, snapshot) go to the worker in its `name` (the inline script
//   wraps `Worker` so that every data: worker gets them), and the worker makes blob: URLs of its
//   own of them when its modules ask (self.__flowlensAsset), which it fetches as it would from a
//   server (through lockdown.js's netFetch: a blob: URL of its own origin);
// - the style sheet is inline (allowed by its hash), the icon a data: URL.
// No service worker (none on file://), no manifest. The file's policy allows data: and blob:
// scripts where the served page allows only its own origin ('self' means nothing on file://).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';

const [www, out] = process.argv.slice(2);
if (!www || !out) {
  console.error('usage: node scripts/single-file.mjs WWW_DIR OUT.html');
  process.exit(2);
}
const read = (p) => readFileSync(join(www, p));
const MARK = (path) => `"@@flowlens:${path}@@"`;
const SPECIFIER = /(\bfrom\s*|\bimport\s*)(['"])(\.{1,2}\/[^'"]+)\2/g;
const URL_REF = /new URL\((['"])([^'"]+)\1,\s*import\.meta\.url\)/g;
const ASSETS = { '.wasm': 'application/wasm', '.json': 'application/json' };

// Every module from main.js on: its source with markers, and what it needs made first.
const modules = new Map(); // path -> {source, deps}
const assets = new Map(); // path -> {type, base64?, text?}
const workers = new Set(); // the workers' modules (started with new URL(..., import.meta.url))
function take(path) {
  if (modules.has(path) || assets.has(path)) return;
  const ext = posix.extname(path);
  if (ASSETS[ext]) {
    const body = read(path);
    assets.set(path, ext === '.wasm' ? { type: ASSETS[ext], base64: body.toString('base64') } : { type: ASSETS[ext], text: body.toString('utf8') });
    return;
  }
  const deps = [];
  const at = (rel) => {
    const p = posix.normalize(posix.join(posix.dirname(path), rel));
    deps.push(p);
    return p;
  };
  let source = read(path).toString('utf8');
  source = source.replace(SPECIFIER, (_, kw, q, rel) => `${kw}${MARK(at(rel))}`);
  source = source.replace(URL_REF, (_, q, rel) => {
    const p = at(rel);
    if (p.endsWith('.js')) workers.add(p);
    return `new URL(${MARK(p)})`;
  });
  modules.set(path, { source, deps });
  for (const d of deps) take(d);
}
take('main.js');

// Dependencies first (the graph has no cycle; one is refused).
const order = [];
const state = new Map();
function visit(path, trail) {
  if (state.get(path) === 'done' || assets.has(path)) return;
  if (state.get(path) === 'open') throw new Error(`import cycle: ${[...trail, path].join(' -> ')}`);
  state.set(path, 'open');
  for (const d of modules.get(path).deps) visit(d, [...trail, path]);
  state.set(path, 'done');
  order.push(path);
}
visit('main.js', []);

const bundle = {
  assets: [...assets].map(([path, a]) => ({ path, ...a })),
  modules: order.map((path) => ({ path, source: modules.get(path).source })),
  workers: [...workers],
  entry: 'main.js',
};
// As a data block: `<` escaped, so that nothing in it can close the element or open a comment.
const data = JSON.stringify(bundle).replace(/</g, '\\u003c');

const loader = `
(() => {
  const bundle = JSON.parse(document.getElementById('flowlens-bundle').textContent);
  const source = new Map(bundle.modules.map((m) => [m.path, m.source]));
  const asset = new Map(bundle.assets.map((a) => [a.path, a]));
  const workers = new Set(bundle.workers);
  const mark = /"@@flowlens:([^@"]+)@@"/g;
  const bytes = (a) => (a.base64 !== undefined ? Uint8Array.from(atob(a.base64), (c) => c.charCodeAt(0)) : a.text);
  const js = (text) => 'data:text/javascript;charset=utf-8,' + encodeURIComponent(text);
  // The workers' side: data: URLs; the files from the worker's name, as blob: URLs of its own.
  const assetsModule = js(\`
    const files = JSON.parse(self.name);
    const urls = new Map();
    self.__flowlensAsset = (p) => {
      if (!urls.has(p)) {
        const a = files[p];
        const body = a.base64 !== undefined ? Uint8Array.from(atob(a.base64), (c) => c.charCodeAt(0)) : a.text;
        urls.set(p, URL.createObjectURL(new Blob([body], { type: a.type })));
      }
      return urls.get(p);
    };\`);
  const workerUrls = new Map();
  const workerUrl = (p) => {
    if (!workerUrls.has(p)) {
      let usesFiles = false;
      let text = source.get(p).replace(mark, (_, d) => {
        if (!asset.has(d)) return JSON.stringify(workerUrl(d));
        usesFiles = true;
        return 'self.__flowlensAsset(' + JSON.stringify(d) + ')';
      });
      if (usesFiles) text = 'import ' + JSON.stringify(assetsModule) + ';\\n' + text;
      workerUrls.set(p, js(text));
    }
    return workerUrls.get(p);
  };
  let files = null;
  const RealWorker = window.Worker;
  window.Worker = class extends RealWorker {
    constructor(url, options = {}) {
      if (String(url).startsWith('data:')) {
        files ??= JSON.stringify(Object.fromEntries(asset));
        options = { ...options, name: files };
      }
      super(url, options);
    }
  };
  // The page's side: blob: URLs.
  const pageUrls = new Map();
  const pageUrl = (p) => {
    if (!pageUrls.has(p)) {
      const url = workers.has(p) ? workerUrl(p)
        : asset.has(p) ? URL.createObjectURL(new Blob([bytes(asset.get(p))], { type: asset.get(p).type }))
          : URL.createObjectURL(new Blob([source.get(p).replace(mark, (_, d) => JSON.stringify(pageUrl(d)))], { type: 'text/javascript' }));
      pageUrls.set(p, url);
    }
    return pageUrls.get(p);
  };
  import(pageUrl(bundle.entry));
})();
`;
const style = `\n${read('style.css').toString('utf8')}\n`;
const hash = (s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
const csp = [
  "default-src 'none'",
  `script-src ${hash(loader)} blob: data: 'wasm-unsafe-eval'`,
  'connect-src blob: https://ip-ranges.amazonaws.com',
  `style-src ${hash(style)}`,
  'img-src data:',
  'worker-src data:',
  "form-action 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');
const icon = `data:image/svg+xml;base64,${read('favicon.svg').toString('base64')}`;

let html = read('index.html').toString('utf8');
const swap = (from, to) => {
  if (!from.test(html)) throw new Error(`index.html changed: ${from} not found`);
  html = html.replace(from, to);
};
swap(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, () => `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
swap(/\s*<link rel="(apple-touch-icon|manifest|modulepreload)"[^>]*>/g, '');
swap(/<link rel="stylesheet" href="style.css">/, () => `<style>${style}</style>`);
swap(/<script type="module" src="main.js"><\/script>/, () => `<script type="application/json" id="flowlens-bundle">${data}</script>\n  <script>${loader}</script>`);
swap(/(src|href)="favicon.svg"/g, (_, attr) => `${attr}="${icon}"`);
// The message for a page opened from disk is about the served page: this file is the answer to it.
swap(/\s*<!-- Shown when the page's modules never run[\s\S]*?<div class="no-modules" id="no-modules"[\s\S]*?<\/section>\s*<\/div>\n/, '\n');
writeFileSync(out, html);
console.log(`[single-file] ${out}: ${Buffer.byteLength(html)} bytes, ${order.length} modules, ${assets.size} files inlined`);
