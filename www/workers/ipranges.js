// The ip-ranges a worker's session explains AWS addresses with. The decoding worker chooses them
// (chooseRanges: AWS's live file, a copy of it kept from an earlier visit, or the snapshot shipped
// with the page); the summary worker is handed the text of that choice (useRangesText); either
// takes the user's own ip-ranges.json (loadUserRanges).
import { EVENT } from '../protocol.js';
import { netFetch } from './lockdown.js';
import { errorText, session, wasmReady } from './session.js';

const LIVE_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';
const BUNDLED_URL = new URL('../data/ip-ranges.json', import.meta.url);
const LIVE_TIMEOUT_MS = 4000;
// A user's ip-ranges.json larger than this is refused (AWS's file is a few MB).
const MAX_RANGES_BYTES = 64 * 1024 * 1024;

// Where the ip-ranges in use came from, sent with every 'ipranges' event:
// {kind: 'live'|'kept'|'bundled'|'file', name?, fetchedAt?}.
let rangesOrigin = null;

/** The 'ipranges' event for the page, of a result of chooseRanges or loadUserRanges. */
export const rangesEvent = (r) => ({ type: EVENT.ipranges, ...r, origin: rangesOrigin });

async function fetchText(url, timeoutMs) {
  const ctrl = new AbortController();
  const timer = timeoutMs ? setTimeout(() => ctrl.abort(), timeoutMs) : 0;
  try {
    const res = await netFetch(url, { signal: ctrl.signal, credentials: 'omit' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.text();
  } finally {
    clearTimeout(timer);
  }
}

// The last live ip-ranges.json that loaded, kept in IndexedDB with its createDate and the time it
// was fetched, so that a later visit without the network still gets recent data. Storage can be
// unavailable (private windows, disabled storage): then nothing is kept and nothing breaks.
const KEPT_DB = 'flowlens';
const KEPT_STORE = 'ip-ranges';
const KEPT_KEY = 'last-good';

function openKept() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(KEPT_DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(KEPT_STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('storage blocked'));
  });
}

async function keptStore(mode, act) {
  const db = await openKept();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(KEPT_STORE, mode);
      const req = act(tx.objectStore(KEPT_STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error('aborted'));
    });
  } finally {
    db.close();
  }
}

const readKept = () => keptStore('readonly', (s) => s.get(KEPT_KEY)).catch(() => undefined);
const writeKept = (copy) => keptStore('readwrite', (s) => s.put(copy, KEPT_KEY)).catch(() => undefined);
const dropKept = () => keptStore('readwrite', (s) => s.delete(KEPT_KEY)).catch(() => undefined);

// ip-ranges text crosses into WASM as UTF-8 bytes (one copy, not a character at a time).
const utf8 = new TextEncoder();
const loadRangesText = (text, source) => session.load_ip_ranges(utf8.encode(text), source);

// Why the live file could not be used, in words the page can say in any of its languages: the
// reasons from Rust ({en, ja}) for a file it refused, or one of the page's strings.
function liveProblem(e) {
  if (e && e.reasons && typeof e.reasons.en === 'string') return { en: e.reasons.en, ja: e.reasons.ja };
  if (e && e.name === 'AbortError') return { key: 'ipRangesLiveTimeout', args: [LIVE_TIMEOUT_MS / 1000] };
  const http = /^HTTP (\d+)$/.exec(errorText(e));
  if (http) return { key: 'ipRangesLiveHttp', args: [Number(http[1])] };
  if (e instanceof TypeError) return { key: 'ipRangesLiveNetwork', args: [] };
  return { key: 'ipRangesLiveOther', args: [errorText(e)] };
}
// createDate is "YYYY-MM-DD-hh-mm-ss" (UTC): as strings, later dates sort later.
const createDateOf = (text) => /"createDate"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? '';
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})$/;
// The clock of the machine may be somewhat ahead of or behind AWS's.
const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/** createDate as a time in ms (NaN when it is not a date of that shape). */
function dateMs(createDate) {
  const m = DATE_SHAPE.exec(createDate);
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls over (month 13, day 32): such a date is not one.
  return new Date(ms).getUTCDate() === d && mo >= 1 && mo <= 12 ? ms : NaN;
}

// At most 40 characters of a value from storage, for a message (the page shows it as text).
const shownValue = (v) => {
  const s = String(v).replace(/[\u0000-\u001f\u007f]/g, '');
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

/**
 * Why the createDate of a copy to be kept (or used from storage) is not believable, as a string of
 * the page ({key, args}), or null: it must be a date, not in the future (a day of clock skew
 * allowed) and, when the bundled snapshot's is known, not older than it.
 */
function dateProblem(createDate, bundledDate) {
  const ms = dateMs(createDate);
  if (Number.isNaN(ms)) return { key: 'ipRangesKeptNoDate', args: [shownValue(createDate)] };
  if (ms > Date.now() + CLOCK_SKEW_MS) return { key: 'ipRangesKeptFuture', args: [createDate] };
  if (bundledDate && createDate < bundledDate) return { key: 'ipRangesKeptOlder', args: [createDate, bundledDate] };
  return null;
}

/**
 * Why the copy kept in storage may not be used, or null. Storage is shared by every page of the
 * origin (on GitHub Pages, every project of a user), so what is read back is checked as a user's
 * file is (by Rust, when it is loaded) and more: its shape, its size, when it was fetched.
 */
function keptShapeProblem(kept) {
  if (!kept || typeof kept !== 'object' || typeof kept.text !== 'string') return { key: 'ipRangesKeptShape', args: [] };
  if (kept.text.length > MAX_RANGES_BYTES) return { key: 'ipRangesTooLarge', args: [MAX_RANGES_BYTES / 1024 / 1024] };
  const at = kept.fetchedAt;
  if (typeof at !== 'number' || !Number.isFinite(at) || at <= 0 || at > Date.now() + CLOCK_SKEW_MS) {
    return { key: 'ipRangesKeptFetched', args: [] };
  }
  return null;
}

/**
 * Loads the best ip-ranges there are: live data when reachable (it changes several times a week);
 * else the last live copy kept from an earlier visit, when it passes the checks (see
 * keptShapeProblem, dateProblem, and Rust's, which refuse prefixes wider than AWS ever lists);
 * else the snapshot shipped with the page. A bad file is no worse than none: load_ip_ranges throws
 * and the next source is tried; a refused kept copy is deleted, and why is told (`keptError`).
 * Resolves with {info, liveError, keptError?, bundledError?, text} (`info` and `text` null when
 * none could be used).
 */
export async function chooseRanges() {
  await wasmReady;
  let liveError = null;
  try {
    const text = await fetchText(LIVE_URL, LIVE_TIMEOUT_MS);
    const info = loadRangesText(text, 'live');
    rangesOrigin = { kind: 'live' };
    // Kept only when a later visit would take it (the bundled date is checked then). Not
    // awaited: decoding need not wait for the disk.
    if (!dateProblem(info.createDate, '')) {
      writeKept({ text, createDate: info.createDate, syncToken: info.syncToken, fetchedAt: Date.now() });
    }
    return { info, liveError, text };
  } catch (e) {
    liveError = liveProblem(e);
  }
  let bundled = null;
  let bundledError;
  try {
    bundled = await fetchText(BUNDLED_URL, 0);
  } catch (e) {
    bundledError = errorText(e);
  }
  const bundledDate = bundled === null ? '' : createDateOf(bundled);
  const kept = await readKept();
  let keptError;
  if (kept !== undefined && kept !== null) {
    keptError = keptShapeProblem(kept);
    if (!keptError) {
      try {
        // The date checks need the createDate Rust reads, not what the stored record says.
        const info = loadRangesText(kept.text, 'kept');
        keptError = dateProblem(info.createDate, bundledDate);
        if (!keptError) {
          rangesOrigin = { kind: 'kept', fetchedAt: kept.fetchedAt };
          return { info, liveError, text: kept.text };
        }
        session.clear_ip_ranges(); // loaded, but not believed: gone before anything is explained
      } catch (e) {
        keptError = liveProblem(e);
      }
    }
    await dropKept(); // refused: never tried again
  }
  if (bundled !== null) {
    try {
      const info = loadRangesText(bundled, 'bundled');
      rangesOrigin = { kind: 'bundled' };
      return { info, liveError, keptError, text: bundled };
    } catch (e) {
      bundledError = errorText(e);
    }
  }
  return { info: null, liveError, keptError, bundledError, text: null };
}

/** The text another worker chose (null: none), from `source` ('live', 'kept', 'bundled'). */
export function useRangesText(text, source) {
  if (typeof text === 'string') loadRangesText(text, source || 'bundled');
}

/**
 * The user's own ip-ranges.json, told to the page with an 'ipranges' event. When it is refused
 * (too large, not JSON, not ip-ranges), this throws with the reason in `lang` and, for the page, in
 * both languages (`reasons`) or as a string key of the page (`key`, `args`); the ranges in use stay
 * as they were.
 */
export async function loadUserRanges(file, lang) {
  if (file.size > MAX_RANGES_BYTES) {
    const mb = MAX_RANGES_BYTES / 1024 / 1024;
    throw Object.assign(new Error(`the file is larger than ${mb} MB`), { key: 'ipRangesTooLarge', args: [mb] });
  }
  const info = session.load_ip_ranges(new Uint8Array(await file.arrayBuffer()), 'file', lang);
  rangesOrigin = { kind: 'file', name: file.name };
  self.postMessage(rangesEvent({ info, liveError: null }));
  return { info, origin: rangesOrigin };
}
