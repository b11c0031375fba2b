// The page's languages: picks the initial one, remembers the choice, and gives the strings.
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
