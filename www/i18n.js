// The page's languages: picks the initial one, remembers the choice, and gives the strings (and
// the sizes they say, written alike in both).
import en from './i18n/en.js';
import ja from './i18n/ja.js';

export const LANGS = { en, ja };
const KEY = 'flowlens.lang';

// A language the page has: an own key of LANGS (`in` would take 'constructor', '__proto__',
// 'toString'... from Object.prototype).
const known = (lang) => typeof lang === 'string' && Object.hasOwn(LANGS, lang);

/**
 * The saved choice, else the browser's language, else English. Storage is shared by every page
 * of the origin (on GitHub Pages, every project of a user): a saved value that is not one of the
 * page's languages is ignored and forgotten.
 */
export function initialLang() {
  let saved = null;
  try {
    saved = localStorage.getItem(KEY);
    if (saved !== null && !known(saved)) localStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled; the browser's language is a fine default then.
  }
  if (known(saved)) return saved;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return nav.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function saveLang(lang) {
  if (!known(lang)) return;
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // Not remembered; harmless.
  }
}

/** The strings of `lang` (English when unknown). */
export function strings(lang) {
  return known(lang) ? LANGS[lang] : en;
}

/**
 * A size in bytes as the page says it everywhere (file sizes, progress, exports, the Summary):
 * decimal units as network tools count (1 KB = 1,000 bytes), three significant digits, in the
 * page's language's number format: "812 B", "18.0 KB", "4.25 KB", "78.3 MB".
 */
export function formatSize(bytes, lang = 'en') {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = Number(bytes);
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i += 1;
  }
  const digits = i === 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0;
  const locale = lang === 'ja' ? 'ja-JP' : 'en-US';
  return `${v.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${units[i]}`;
}
