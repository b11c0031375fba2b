// The ip-ranges line (#ipranges-zone): which copy of AWS's ip-ranges.json explains the addresses
// (live, kept from an earlier visit, bundled, or the user's), and the user's own file, opened or
// dropped there, with what became of it.
import { timeText } from './time.js';

/** The rule for telling an ip-ranges.json from flow logs, wherever a file comes in (said in the UI). */
export const isRangesFile = (file) => /ip-ranges.*\.json$/i.test(file.name);

// A refusal's reason, kept so that it can be said again in another language (see localized()).
const reasonOf = (e) => (e.reasons ? e.reasons : e.key ? { key: e.key, args: e.args } : { text: e.message });

// A copy of the ranges older than this many days is said to be old.
const STALE_DAYS = 30;

/** Whole days since an ip-ranges createDate ("2026-08-22-15-17-05", UTC), or null. */
export function ageDays(createDate) {
  const m = /^(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})$/.exec(String(createDate ?? ''));
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  if (!Number.isFinite(t)) return null;
  return Math.max(0, Math.floor((Date.now() - t) / 86_400_000));
}

export class IpRangesArea {
  constructor(app) {
    this.app = app;
    const $ = (id) => document.getElementById(id);
    this.el = {
      status: $('ipranges-status'), note: $('ipranges-note'), zone: $('ipranges-zone'), open: $('ipranges-open'), file: $('ipranges-file'),
      message: $('ipranges-message'),
    };
    this.event = null; // the decoder's last 'ipranges' event: {info, origin: {kind, name?, fetchedAt?}, liveError}
    this.message = null; // {key, args} under the line (see localized() for the args)
    this.seq = 0; // the user's files, counted: a later file's messages replace an earlier one's
  }

  /** The ip-ranges now in use (null: not known yet, as with a new decoder). */
  setRanges(event) {
    this.event = event;
    // A kept copy refused (and deleted): said until another message replaces it.
    if (event?.keptError) this.message = { key: 'ipRangesKeptRefused', args: [event.keptError] };
    this.show();
  }

  setMessage(key, ...args) {
    this.message = key ? { key, args } : null;
    this.show();
  }

  // A message argument in the page's language: `{en, ja}` (said by Rust in both), `{key, args}` (a
  // string of the page), or a plain value. Kept so, a message shown follows a change of language.
  localized(arg) {
    const { lang, S } = this.app;
    if (arg && typeof arg === 'object') {
      if (typeof arg[lang] === 'string') return arg[lang];
      const say = arg.key && S[arg.key];
      if (typeof say === 'function') return say(...(arg.args || []));
      if (typeof say === 'string') return say;
      if (typeof arg.text === 'string') return arg.text;
    }
    return arg;
  }

  // When the kept copy was fetched: in the zone times are shown in (time.js), the zone named.
  formatTime(ms) {
    return timeText(ms, this.app.lang) ?? String(ms);
  }

  /** Says which copy of ip-ranges.json is in use and its createDate, and the message under it. */
  show() {
    const ev = this.event;
    const s = this.app.S;
    let text = s.ipRangesLoading;
    const kind = ev?.info ? ev.origin?.kind || ev.info.source : '';
    if (ev && ev.info) {
      const { source, createDate } = ev.info;
      text = kind === 'live' ? s.ipRangesLive(createDate)
        : kind === 'bundled' ? s.ipRangesBundled(createDate)
          : kind === 'kept' ? s.ipRangesKept(this.formatTime(ev.origin.fetchedAt), createDate)
            : kind === 'file' ? s.ipRangesFile(ev.origin.name, createDate)
              : s.ipRangesOther(source, createDate);
    } else if (ev) {
      text = s.ipRangesNone;
    }
    this.el.status.textContent = text;
    this.el.status.dataset.source = kind;
    this.el.status.title = ev?.liveError ? s.ipRangesLiveError(this.localized(ev.liveError)) : '';
    // What the tooltip says, as text too: why the live file is not in use, and how old the copy
    // in use is (AWS changes its ranges several times a week).
    const notes = [];
    if (ev?.liveError && kind !== 'live') notes.push(s.ipRangesLiveError(this.localized(ev.liveError)));
    const days = ageDays(ev?.info?.createDate);
    if (days !== null && days > STALE_DAYS) notes.push(s.ipRangesAge(days));
    this.el.note.textContent = notes.join(' ');
    this.el.note.hidden = notes.length === 0;
    this.el.note.dataset.days = days === null ? '' : String(days);
    const m = this.message;
    const say = m && s[m.key];
    this.el.message.textContent = typeof say === 'function' ? say(...m.args.map((a) => this.localized(a))) : say || '';
    this.el.message.classList.toggle('is-error', m?.key === 'ipRangesRefused' || m?.key === 'ipRangesKeptRefused');
  }

  /**
   * Loads the user's ip-ranges.json; once the entries on screen (and the summary) are explained
   * with it, says so. A refused file leaves everything as it was, with the reason under the
   * ip-ranges line in the page's language.
   */
  async useFile(file) {
    if (!file) return;
    const { app } = this;
    const seq = ++this.seq;
    const say = (key, ...args) => seq === this.seq && this.setMessage(key, ...args);
    say('ipRangesReading', file.name);
    let loaded = false;
    try {
      await app.decoder.loadRanges(file, app.lang, () => {
        loaded = true;
        say('ipRangesApplying', file.name);
      });
      await app.explainAgain();
      say('ipRangesUsed', file.name);
    } catch (e) {
      if (e.crashed || e.cancelled) {
        say(null);
      } else if (loaded) {
        say(null); // in use, but the entries could not be explained again
        app.areas.status.set('decodeFailed', e.message);
      } else {
        say('ipRangesRefused', file.name, reasonOf(e));
      }
    }
  }
}
