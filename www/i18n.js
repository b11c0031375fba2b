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

/** A size in bytes as the page says it: "812 B", "4.0 KB", "78.3 MB". */
export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
