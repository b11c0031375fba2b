// Times as the page shows them: in UTC or in the browser's time zone ("local"), the user's choice
// (remembered, validated when read). The decoder says every time in UTC (ISO 8601, such as
// "2025-04-13T05:23:05Z", or unix seconds); this module writes them in the chosen zone, with the
// zone named ("2025-04-13 14:23:05 JST"), and the other zone beside where there is room.
// Dates are written year-month-day in both languages (as AWS writes times, and unambiguous); the
// zone's name comes from Intl.DateTimeFormat in the page's language ("JST" in Japanese; English
// has no abbreviation for most zones outside the US, so "UTC+9" there).

export const TIME_MODES = ['utc', 'local'];
const KEY = 'flowlens.times';
const DEFAULT = 'utc';

const known = (m) => typeof m === 'string' && TIME_MODES.includes(m);

let mode = DEFAULT;

/**
 * The saved choice, else UTC. Storage is shared by every page of the origin: a saved value that
 * is not one of TIME_MODES is ignored and forgotten.
 */
export function initialTimeMode() {
  let saved = null;
  try {
    saved = localStorage.getItem(KEY);
    if (saved !== null && !known(saved)) localStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled; UTC then.
  }
  mode = known(saved) ? saved : DEFAULT;
  return mode;
}

/** The zone times are shown in: 'utc' or 'local'. */
export const timeMode = () => mode;

/** Shows times in `m` from now on, and remembers it; false when `m` is not a mode. */
export function setTimeMode(m) {
  if (!known(m)) return false;
  mode = m;
  try {
    localStorage.setItem(KEY, m);
  } catch {
    // Not remembered; harmless.
  }
  return true;
}

/** The browser's time zone, as IANA names it ("Asia/Tokyo"), or null when it does not say. */
export function localZoneName() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

const localeOf = (lang) => (lang === 'ja' ? 'ja-JP' : 'en-US');
const formats = new Map();
// One formatter per (locale, zone): making them is slow, using them is not.
function formatter(lang, zone) {
  const k = `${lang} ${zone}`;
  let f = formats.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(localeOf(lang), {
      timeZone: zone === 'utc' ? 'UTC' : undefined,
      calendar: 'gregory', numberingSystem: 'latn', hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      timeZoneName: 'short',
    });
    formats.set(k, f);
  }
  return f;
}

// "GMT+9" → "UTC+9" ("GMT-3:30" → "UTC−3:30", "GMT+0" → "UTC"): an offset as the page writes it.
const asUtcOffset = (name) => (/^GMT[+-]0$/.test(name) ? 'UTC' : name.replace(/^GMT(?=[+-])/, 'UTC').replace('-', '−'));

/** The offset of the browser's zone at `ms` (now by default): "UTC+9", "UTC+5:30", "UTC". */
export function localOffset(ms = Date.now()) {
  try {
    const f = new Intl.DateTimeFormat('en-US', { timeZoneName: 'shortOffset' });
    const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value || '';
    return name === 'GMT' ? 'UTC' : asUtcOffset(name);
  } catch {
    return '';
  }
}

/**
 * The wall-clock parts of `ms` in `zone` ('utc' or 'local'), and the zone's short name there:
 * {date: "2025-04-13", time: "14:23:05", zone: "JST"}; null for a time Date cannot hold.
 */
function partsOf(ms, zone, lang) {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  const p = {};
  for (const { type, value } of formatter(lang, zone).formatToParts(d)) p[type] = value;
  let name = p.timeZoneName || '';
  if (zone === 'utc') name = 'UTC';
  else if (/^GMT[+-]/.test(name)) name = asUtcOffset(name);
  // A year before 1000 or after 9999 would not read as four digits: such a time is not a flow's.
  if (!/^\d{4}$/.test(p.year || '')) return null;
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}`, zone: name };
}

const other = (zone) => (zone === 'utc' ? 'local' : 'utc');

/**
 * `ms` in `zone` (default: the chosen one): "2025-04-13 14:23:05 JST", milliseconds kept when
 * `millis` ("… 14:23:05.123 JST"); `zoneName: false` leaves the zone's name out. Null when the
 * time cannot be written.
 */
export function timeText(ms, lang, { zone = mode, millis = false, zoneName = true } = {}) {
  const p = partsOf(ms, zone, lang);
  if (!p) return null;
  const frac = millis ? `.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}` : '';
  return `${p.date} ${p.time}${frac}${zoneName ? ` ${p.zone}` : ''}`;
}

/** The zone's short name at `ms` ("JST", "UTC+9", "UTC"), in the chosen zone by default. */
export function zoneText(ms, lang, zone = mode) {
  return partsOf(ms, zone, lang)?.zone ?? (zone === 'utc' ? 'UTC' : localOffset(ms));
}

// An ISO 8601 UTC time as the decoder writes it: "2025-04-13T05:23:05Z", "…05.123Z".
const ISO = /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z/g;

/** "2025-04-13T05:23:05.123Z" → {ms, millis: true}; null when it is not such a time. */
export function parseIso(iso) {
  ISO.lastIndex = 0;
  const m = typeof iso === 'string' ? ISO.exec(iso) : null;
  if (!m || m.index !== 0 || m[0].length !== iso.length) return null;
  return fromMatch(m);
}

function fromMatch(m) {
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const frac = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, frac);
  // Date.UTC rolls over (month 13, second 60): such a text is left as it is.
  const back = new Date(ms);
  if (Number.isNaN(ms) || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h
    || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) return null;
  return { ms, millis: m[7] !== undefined };
}

/**
 * A time in the chosen zone and in the other, for the Value column: ["2025-04-13 14:23:05 JST",
 * "05:23:05 UTC"] — the other's date only when it is another day; the other null when it reads
 * the same (the browser's zone is UTC). Null when not a time.
 */
export function bothParts(ms, lang, millis = false) {
  const first = timeText(ms, lang, { millis });
  if (!first) return null;
  const p = partsOf(ms, mode, lang);
  const q = partsOf(ms, other(mode), lang);
  if (!q || (p.date === q.date && p.time === q.time)) return [first, null];
  const frac = millis ? `.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}` : '';
  return [first, `${p.date === q.date ? '' : `${q.date} `}${q.time}${frac} ${q.zone}`];
}

/** bothParts as one text: "2025-04-13 14:23:05 JST (05:23:05 UTC)". */
export function bothText(ms, lang, millis = false) {
  const both = bothParts(ms, lang, millis);
  return both && (both[1] ? `${both[0]} (${both[1]})` : both[0]);
}

/** An ISO UTC time as bothParts says it; [the text, null] when it is not one. */
export function isoParts(iso, lang) {
  const t = parseIso(iso);
  return (t && bothParts(t.ms, lang, t.millis)) || [String(iso), null];
}

/** `text` with every ISO UTC time in it written in the chosen zone ("2025-04-13 14:23:05 JST"). */
export function timesIn(text, lang) {
  if (typeof text !== 'string' || !text.includes('T')) return text ?? '';
  return text.replace(ISO, (...m) => {
    const t = fromMatch(m);
    return (t && timeText(t.ms, lang, { millis: t.millis })) || m[0];
  });
}

/** An ISO UTC time in the chosen zone without the zone's name ("2025-04-13 14:23:05"), for the chart. */
export function isoShort(iso, lang) {
  const t = parseIso(iso);
  return (t && timeText(t.ms, lang, { millis: t.millis, zoneName: false })) || String(iso).replace('T', ' ').replace(/Z$/, '');
}

// Elements whose text says a time: how to say it again when the zone changes (retime).
const sayers = new WeakMap();

/**
 * Sets `node`'s text (textContent only) to `say()` now and each time the zone changes; `say` may
 * also set attributes (a title).
 */
export function timed(node, say) {
  node.dataset.times = '';
  sayers.set(node, say);
  node.textContent = say();
  return node;
}

/** Says every timed element under `root` again, in the zone chosen now. */
export function retime(root = document) {
  for (const node of root.querySelectorAll('[data-times]')) {
    const say = sayers.get(node);
    if (say) node.textContent = say();
  }
}
