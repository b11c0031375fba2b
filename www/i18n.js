// The page's languages: picks the initial one, remembers the choice, and gives the strings (and
// the sizes they say, written alike in both).
import en from './i18n/en.js';
import ja from './i18n/ja.js';

export const LANGS = { en, ja };
const KEY = 'flowlens.lang';

/** The saved choice, else the browser's language, else English. */
export function initialLang() {
  let saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    // Storage can be disabled; the browser's language is a fine default then.
  }
  if (saved in LANGS) return saved;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return nav.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function saveLang(lang) {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // Not remembered; harmless.
  }
}

/** The strings of `lang` (English when unknown). */
export function strings(lang) {
  return LANGS[lang] || en;
}

/** A size in bytes as the page says it: "812 B", "4.0 KB", "78.3 MB". */
export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
