#!/usr/bin/env node
// Draws the page's PNG icons (www/icons/, committed: a few KB) from its SVGs with Debian's
// Chromium: favicon.svg at 192 and 512 px, icons/icon-maskable.svg (full bleed, the mark inside the
// safe zone) at 512 px. Run again after changing an SVG: node scripts/icons.mjs
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const www = new URL('../www/', import.meta.url);
const jobs = [
  ['favicon.svg', 192, 'icons/icon-192.png'],
  ['favicon.svg', 512, 'icons/icon-512.png'],
  ['icons/icon-maskable.svg', 512, 'icons/icon-maskable-512.png'],
];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [svg, size, out] of jobs) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const data = readFileSync(new URL(svg, www)).toString('base64');
    await page.setContent(`<style>html,body{margin:0;background:transparent}</style><img width="${size}" height="${size}" src="data:image/svg+xml;base64,${data}">`);
    await page.waitForFunction(() => document.images[0].complete);
    await page.screenshot({ path: new URL(out, www).pathname, omitBackground: true });
    await page.close();
    console.log(`[icons] www/${out}`);
  }
} finally {
  await browser.close();
}
