// The README's screenshots, in one command: `node scripts/screenshots.mjs` (needs www/pkg built:
// ./scripts/build.sh). Starts its own server and Chromium (the e2e harness's: /usr/bin/chromium,
// the same flags) and writes
//   docs/screenshot.png        the seed record explained, desktop (1200 px wide), English, the whole page;
//   docs/screenshot-ja.png     the same in Japanese;
//   docs/screenshot-phone.png  a phone (390×844, touch, 2× pixels): the Example's first record.
// Japanese needs a Japanese font that Chromium can find (fontconfig): Debian's fonts-noto-cjk.
// Without one its text would be drawn as empty boxes, so that screenshot is not written (the others
// are) and the script exits with 1.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SEED, WAIT, decode, entriesShown, open, openIn, start, stop } from '../tests/e2e/harness.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DOCS = `${ROOT}docs/`;
const MAX_PHONE_BYTES = 400 * 1024;

if (!existsSync(`${ROOT}www/pkg/flowlens_bg.wasm`)) {
  console.error('screenshots: www/pkg is not built; run ./scripts/build.sh first');
  process.exit(1);
}

function japaneseFont() {
  try {
    return execFileSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8' }).trim().split('\n')[0] || '';
  } catch {
    return '';
  }
}

/** Waits until the page's fonts are loaded and nothing moves any more (no pointer over a token). */
async function settle(page) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready);
}

/** The seed record on a desktop in `locale`, from the top of the page to the end of the record. */
async function desktop(env, locale, path) {
  // In Japanese, as a user in Japan sees it: local times (JST) beside UTC.
  const contextOptions = locale.startsWith('ja') ? { timezoneId: 'Asia/Tokyo' } : {};
  const { page, context, errors } = await open(env, { locale, contextOptions });
  try {
    await decode(page, SEED, /^1 record|^レコード 1 件/);
    await page.waitForFunction(() => document.querySelector('#results .summary')?.textContent, null, { timeout: WAIT });
    await settle(page);
    // From the top to the end of the record (the field reference and the shortcuts below it are
    // pages of their own).
    // At the top: the status bar is pinned where the window is, and a full-page shot would show it
    // over the page wherever the page was scrolled to.
    const bottom = await page.evaluate(() => {
      window.scrollTo(0, 0);
      const r = document.getElementById('results-section').getBoundingClientRect();
      return Math.ceil(r.bottom + window.scrollY + 16);
    });
    await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width: 1200, height: bottom } });
    if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

/** The Example's first record on a phone, one screen from its top. */
async function phone(env, path) {
  const context = await env.browser.newContext({
    locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    serviceWorkers: 'block',
  });
  try {
    const { page, errors } = await openIn(env, context);
    await page.waitForFunction(() => document.getElementById('results-heading').textContent !== '', null, { timeout: WAIT });
    await page.tap('#example');
    await page.waitForFunction(() => /^4 records/.test(document.getElementById('counts').textContent)
      && document.querySelector('#summary .ov-table'), null, { timeout: WAIT });
    await entriesShown(page);
    await settle(page);
    await page.locator('#results article.record').first().evaluate((a) => {
      const pinned = document.getElementById('pinned')?.getBoundingClientRect().height || 0;
      window.scrollTo(0, a.getBoundingClientRect().top + window.scrollY - pinned - 12);
    });
    await page.evaluate(() => new Promise((ok) => { requestAnimationFrame(() => requestAnimationFrame(ok)); }));
    await page.screenshot({ path });
    if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

mkdirSync(DOCS, { recursive: true });
const env = await start();
let failed = false;
try {
  await desktop(env, 'en-US', `${DOCS}screenshot.png`);
  console.log('wrote docs/screenshot.png');
  await phone(env, `${DOCS}screenshot-phone.png`);
  const size = statSync(`${DOCS}screenshot-phone.png`).size;
  console.log(`wrote docs/screenshot-phone.png (${Math.round(size / 1024)} KB)`);
  if (size > MAX_PHONE_BYTES) {
    console.error(`screenshots: docs/screenshot-phone.png is over ${MAX_PHONE_BYTES / 1024} KB`);
    failed = true;
  }
  const font = japaneseFont();
  if (font) {
    await desktop(env, 'ja-JP', `${DOCS}screenshot-ja.png`);
    console.log('wrote docs/screenshot-ja.png');
  } else {
    console.error('screenshots: no Japanese font (fc-list :lang=ja is empty): docs/screenshot-ja.png not written;'
      + ' install one (Debian: apt-get install fonts-noto-cjk) and run this again');
    failed = true;
  }
} finally {
  await stop(env);
}
process.exit(failed ? 1 : 0);
