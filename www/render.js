// Builds the page's DOM from the worker's data. Only createElement and textContent: the data is
// whatever the user pasted, and none of it is ever parsed as HTML.
import { isoParts, timed, timesIn } from './time.js';

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role') node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

/** Fills every `[data-i18n]` element with its string, and `[data-i18n-placeholder]` placeholders. */
export function applyStrings(root, S) {
  for (const node of root.querySelectorAll('[data-i18n]')) {
    const text = S[node.dataset.i18n];
    if (typeof text === 'string') node.textContent = text;
  }
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) {
    node.placeholder = S[node.dataset.i18nPlaceholder] || '';
  }
  for (const node of root.querySelectorAll('[data-i18n-aria-label]')) {
    node.setAttribute('aria-label', S[node.dataset.i18nAriaLabel] || '');
  }
}

const COUNTS = ['records', 'problems', 'errors', 'headers', 'blank', 'ignored', 'lines'];

/**
 * The counts line; each count is also in a data- attribute, for tests and tools. `partial`
 * ({read, total} bytes): the read of a file was stopped, and the counts are of what was read.
 */
export function renderCounts(node, counts, S, partial = null) {
  const text = counts && counts.lines > 0 ? S.counts(counts) : '';
  node.textContent = partial && counts ? S.countsPartial(text) : text;
  node.classList.toggle('is-partial', !!(partial && counts));
  if (partial && counts) node.dataset.partial = 'true';
  else delete node.dataset.partial;
  for (const k of COUNTS) {
    if (counts) node.dataset[k] = String(counts[k]);
    else delete node.dataset[k];
  }
}

/**
 * "base64 → gzip (2 members) → CloudWatch Logs CSV download; timestamps … removed; notes": said by
 * Rust in both languages (`shape.description`), so that the page and the CLI word it alike.
 */
export function shapeText(shape, lang) {
  return shape.description?.[lang] ?? shape.description?.en ?? shape.kind;
}

function originText(format, S) {
  if (!format?.origin) return null;
  if (format.origin === 'inferred') return S.inferredOrigin(format.inferred?.sample ?? 0);
  return S.origins[format.origin] || format.origin;
}

/**
 * What the input was: its shape, where its format came from, the input error, and for an inferred
 * format the guess with its doubts and an "Edit this format" button (`data-action="edit-format"`).
 */
export function renderInputInfo(node, report, S, lang) {
  if (!report || (report.lines === 0 && !report.input_error)) {
    node.hidden = true;
    node.replaceChildren();
    return;
  }
  const files = report.files?.length ? report.files : null;
  const items = [el('p', { class: 'shape' }, el('strong', { text: `${S.shapeLabel}: ` }),
    files ? S.filesShape(files.length) : shapeText(report.shape, lang))];
  if (files) items.push(filesView(files, S, lang));
  const origin = originText(report.format, S);
  if (origin) {
    items.push(el('p', { class: 'origin', 'data-origin': report.format.origin },
      el('strong', { text: `${S.formatOriginLabel}: ` }), origin));
  }
  if (report.input_error) {
    const [en, ja] = report.input_error;
    // Of several files: the first file that could not be read to its end, named.
    const failed = files?.find((f) => f.input_error);
    items.push(el('p', { class: 'input-error', id: 'input-error', role: 'alert' },
      el('strong', { text: `${S.inputErrorLabel}: ` }), failed ? `${failed.name}: ` : null, lang === 'ja' ? ja : en));
  }
  if (report.kept) {
    // The input was larger than the memory budget: what the list, filters and exports cover.
    const [en, ja] = report.kept.message;
    items.push(el('p', { class: 'input-kept', id: 'input-kept', role: 'status' },
      el('strong', { text: `${S.keptLabel}: ` }), lang === 'ja' ? ja : en));
  }
  const guess = report.format?.origin === 'inferred' && report.format.inferred;
  if (guess) {
    const box = el('div', { class: 'guess', id: 'format-guess' });
    box.append(el('p', { text: S.guessHeading(guess.fit) }));
    box.append(el('pre', { class: 'guessed-format' }, el('code', { text: report.format.format })));
    if (guess.ambiguous.length) {
      const list = el('ul', { class: 'ambiguous' });
      for (const a of guess.ambiguous) {
        list.append(el('li', { text: S.ambiguous(a.columns.map((c) => c + 1), a.assumed, a.alternatives) }));
      }
      box.append(list);
    }
    // How sure the guess is, what else fits, which lines contradict it: worded by Rust in both languages.
    if (guess.notes?.length) {
      const notes = el('ul', { class: 'guess-notes' });
      for (const [en, ja] of guess.notes) notes.append(el('li', { text: lang === 'ja' ? ja : en }));
      box.append(notes);
    }
    if (guess.certainty) box.dataset.certainty = guess.certainty;
    box.append(el('button', { type: 'button', id: 'edit-format', 'data-action': 'edit-format', text: S.editFormat }));
    items.push(box);
  }
  const refused = report.format?.refused;
  if (refused) {
    const [en, ja] = refused.message;
    items.push(el('p', { class: 'format-refused', id: 'format-refused' }, lang === 'ja' ? ja : en));
  }
  node.replaceChildren(...items);
  node.classList.toggle('has-error', !!report.input_error);
  node.hidden = false;
}

// Files listed open in the input's details up to this many; more are folded.
const FILES_OPEN = 12;

/** The files of an input of several: each one's name, shape, counts and error (if any). */
function filesView(files, S, lang) {
  const box = el('details', { class: 'input-files', id: 'input-files' });
  box.open = files.length <= FILES_OPEN;
  box.append(el('summary', { text: S.filesLabel(files.length) }));
  const list = el('ol', { class: 'file-list' });
  for (const f of files) {
    const item = el('li', { class: 'input-file', 'data-name': f.name, 'data-records': String(f.records), 'data-errors': String(f.errors) },
      el('code', { class: 'file-name', text: f.name }), ' ',
      el('span', { class: 'file-shape', text: shapeText(f.shape, lang) }), ' · ',
      el('span', { class: 'file-counts', text: S.fileCounts(f) }));
    if (f.input_error) {
      item.classList.add('has-error');
      item.append(el('span', { class: 'file-error', text: ` · ${lang === 'ja' ? f.input_error[1] : f.input_error[0]}` }));
    }
    list.append(item);
  }
  box.append(list);
  return box;
}

/** Line `line` of the input, said with its file when the input was several: S.fileLine or S.line. */
export function lineText(entry, S) {
  return entry.file ? S.fileLine(entry.file, entry.file_line) : S.line(entry.line);
}

/** Line `line` of `report`'s input: {name, line} (its file and its line there), or null for an input of one file. */
export function fileOfLine(report, line) {
  const files = report?.files;
  if (!files?.length) return null;
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (files[mid].first_line <= line) lo = mid + 1;
    else hi = mid;
  }
  const f = files[lo - 1];
  return f ? { name: f.name, line: line - f.first_line + 1 } : null;
}

function badge(kind, text, title) {
  return el('span', { class: `badge badge-${kind}`, 'data-badge': kind, text, title });
}

/** The record's badges: request or reply, inbound or outbound (relative to the interface). */
function recordBadges(entry, S) {
  const badges = el('span', { class: 'badges' });
  const dir = entry.roles?.direction;
  if (dir === 'request' || dir === 'reply') badges.append(badge(dir, S.badges[dir], S.badgeTitles[dir]));
  if (entry.direction === 'inbound' || entry.direction === 'outbound') {
    badges.append(badge(entry.direction, S.badges[entry.direction], S.badgeTitles[entry.direction]));
  }
  return badges.childElementCount ? badges : null;
}

/** A field's badges: client or server, and "your instance" on the interface's own address. */
function fieldBadges(a, S) {
  const badges = el('span', { class: 'badges' });
  if (a.role === 'client' || a.role === 'server') badges.append(badge(a.role, S.badges[a.role], S.badgeTitles[a.role]));
  if (a.interface) badges.append(badge('instance', S.badges.instance, S.badgeTitles.instance(a.interface)));
  return badges.childElementCount ? badges : null;
}

/** Short lines under an address's value: another cloud's prefix, enclosing AWS prefixes, the zone. */
function addressDetails(a, S) {
  const lines = [];
  if (a.cloud) lines.push(['cloud', S.cloudOwner(a.cloud)]);
  for (const sup of a.aws?.supernets || []) {
    lines.push(['supernet', S.within(sup.prefix, sup.services || [], sup.region !== a.aws.region ? sup.region : null)]);
  }
  if (a.aws?.zone?.text) lines.push(['zone', S.zoneLine(a.aws.zone.text)]);
  return lines.map(([kind, text]) => el('span', { class: `detail detail-${kind}`, text }));
}

/** The explanations of a record as a whole (a likely scan, a network ACL, NODATA…). */
function hintsView(hints, S) {
  if (!hints?.length) return null;
  const list = el('ul', { class: 'hints' });
  for (const h of hints) {
    const warn = h.key === 'scan' || h.key === 'network-acl';
    const item = el('li', { class: warn ? 'hint-item warn' : 'hint-item', 'data-hint': h.key },
      el('strong', { text: `${S.hintTitles[h.key] || h.key}: ` }), h.text || '');
    // The record the hint points at (the accepted flow in the other direction): a jump to it.
    if (Number.isSafeInteger(h.line)) {
      item.append(' ', el('button', { type: 'button', class: 'small goto-line', 'data-goto-line': String(h.line),
        text: h.file ? S.goToFileLine(h.file, h.file_line) : S.goToLine(h.line) }));
    }
    list.append(item);
  }
  return list;
}

/**
 * A filter on one field's value as written (`srcaddr = 10.0.0.1`; quoted when it is not one
 * word), or null when the value cannot be written as one.
 */
export function valueFilter(key, raw) {
  if (raw === '-' || raw === '' || raw.length > 200) return null;
  if (/^[A-Za-z0-9._:/-]+$/.test(raw)) return `${key} = ${raw}`;
  if (/["\\\u0000-\u001f]/.test(raw)) return null;
  return `${key} = "${raw}"`;
}

/**
 * The fields whose values do not fit them (redacted, a placeholder, out of range…): a ⚠ marker
 * and the sentence of each, as text (a reader hears the marker's label first).
 */
function problemsView(problems, S) {
  if (!problems?.length) return null;
  const list = el('ul', { class: 'problems', 'aria-label': S.problemsLabel(problems.length) });
  for (const p of problems) {
    list.append(el('li', { class: `problem-item severity-${p.severity}`, 'data-field': p.field, 'data-code': p.code },
      el('span', { class: 'problem-mark', 'aria-hidden': 'true', text: '⚠ ' }),
      el('strong', { text: `${S.severity[p.severity] || p.severity}: ` }), p.message || ''));
  }
  return list;
}

let tables = 0; // numbers the records' field tables, for their ids

function recordView(entry, specs, S) {
  const article = el('article', { class: 'entry record', 'data-line': String(entry.line) });
  if (entry.problems?.length) {
    article.classList.add('has-problems');
    article.dataset.problems = String(entry.problems.length);
  }
  // The field table's button, shown in compact mode (view.js) where the table is on demand.
  const tableId = `fields-${++tables}`;
  article.append(el('div', { class: 'record-head' }, el('h3', { text: lineText(entry, S) }), recordBadges(entry, S),
    el('button', { type: 'button', class: 'small fields-toggle', 'aria-expanded': 'false', 'aria-controls': tableId, text: S.showFields })));
  // Its UTC times (NODATA, SKIPDATA) in the zone chosen (time.js), said again when it changes.
  article.append(timed(el('p', { class: 'summary' }), () => timesIn(entry.summary || '', S.lang)));
  const problems = problemsView(entry.problems, S);
  if (problems) article.append(problems);
  const hints = hintsView(entry.hints, S);
  if (hints) article.append(hints);

  const annotations = entry.annotations || {};
  const keys = Object.keys(entry.fields || annotations);

  // The line as tokens, each tied to its row (hover or focus one to light up the other). One tab
  // stop: the first token takes the focus, ← → move it along the line (results.js).
  const tokens = el('p', { class: 'tokens', role: 'group', 'aria-label': S.tokensLabel });
  keys.forEach((key, i) => {
    const a = annotations[key] || {};
    const raw = a.raw ?? String(entry.fields?.[key] ?? '-');
    if (i > 0) tokens.append(' ');
    tokens.append(el('code', {
      class: raw === '-' ? 'tok absent' : 'tok', 'data-key': key, text: raw, title: specs.get(key)?.label || key, tabIndex: i === 0 ? 0 : -1,
    }));
  });
  article.append(tokens);

  const head = el('tr', {},
    el('th', { scope: 'col', text: S.colField }),
    el('th', { scope: 'col', text: S.colRaw }),
    el('th', { scope: 'col', text: S.colValue }),
    el('th', { scope: 'col', text: S.colMeaning }));
  const body = el('tbody');
  const problemOf = new Map((entry.problems || []).map((p) => [p.field, p]));
  let previousText = null;
  for (const key of keys) {
    const a = annotations[key] || {};
    const raw = a.raw ?? String(entry.fields?.[key] ?? '-');
    const label = specs.get(key)?.label || key;
    const value = String(a.value ?? '');
    // A run of '-' fields (NODATA, SKIPDATA) all say the same: say it once.
    const text = a.text && a.text === previousText ? S.sameAsAbove : a.text ?? '';
    previousText = a.text;
    const details = addressDetails(a, S);
    if (key === 'interface-id' && entry.interface_address) {
      details.push(el('span', { class: 'detail detail-own-address', text: S.ownAddress(entry.interface_address) }));
    }
    const problem = problemOf.get(key);
    // A value as written (most fields): on a narrow screen, said once (see style.css).
    const rowClass = [problem ? `problem severity-${problem.severity}` : raw === '-' ? 'absent' : '', value === raw ? 'same' : '']
      .filter(Boolean).join(' ') || undefined;
    const mark = problem
      ? el('span', { class: `problem-mark severity-${problem.severity}`, role: 'img', 'aria-label': S.severity[problem.severity] || problem.severity, title: problem.message, text: '⚠' })
      : null;
    body.append(el('tr', { 'data-key': key, class: rowClass, 'data-problem': problem?.code },
      el('th', { scope: 'row' }, mark, el('span', { class: 'label', text: label }), fieldLink(key, S), fieldBadges(a, S)),
      el('td', { class: 'raw', 'data-col': S.colRaw }, el('code', { text: raw }), filterButton(key, raw, S)),
      // Identifiers and timestamps read badly when broken at a hyphen.
      el('td', { class: a.utc || /\s/.test(value) || value.length > 40 ? 'value' : 'value word', 'data-col': S.colValue },
        a.utc ? timeValue(a.utc, S) : el('span', { class: 'v', text: value }), ...details),
      timed(el('td', { class: 'text', 'data-col': S.colMeaning }), () => timesIn(text, S.lang))));
  }
  article.append(el('div', { class: 'table-wrap', id: tableId }, el('table', { class: 'fields' }, el('thead', {}, head), body)));
  return article;
}

// A time (start, end): in the zone chosen first, the other beside it, said again when it changes.
function timeValue(utc, S) {
  return el('span', { class: 'v time', 'data-utc': utc },
    timed(el('span', { class: 'time-chosen' }), () => isoParts(utc, S.lang)[0]),
    ' ',
    timed(el('span', { class: 'time-other' }), () => {
      const other = isoParts(utc, S.lang)[1];
      return other ? `(${other})` : '';
    }));
}

// The field's name, a link to its entry in the field reference (reference.js takes the click).
function fieldLink(key, S) {
  return el('a', { class: 'key field-link', href: `#field-${key}`, 'data-field-link': key, title: S.fieldLinkTitle },
    el('code', { text: key }));
}

// A small button that adds a filter on the value (shown when its row is hovered or focused). Its
// sign is drawn by CSS, so that the cell's text stays the value (what a copy or a reader gets).
function filterButton(key, raw, S) {
  const f = valueFilter(key, raw);
  if (!f) return null;
  return el('button', {
    type: 'button', class: 'filter-value', 'data-filter': f, title: S.filterOnValue(f), 'aria-label': S.filterOnValue(f),
  });
}

function errorView(entry, S) {
  const article = el('article', { class: 'entry error', 'data-line': String(entry.line) });
  if (entry.field) article.dataset.field = entry.field;
  article.append(el('h3', { text: lineText(entry, S) }));
  article.append(el('p', { class: 'message' }, el('strong', { text: `${S.errorLabel}: ` }), entry.error || ''));
  article.append(el('p', { class: 'raw-label', text: S.rawLine }));
  article.append(el('pre', { class: 'raw' }, el('code', { text: entry.raw ?? '' })));
  return article;
}

// A page of 200 entries takes over a second to build and lay out on a slow machine (an entry's
// layout costs a few times its script): at once, that freezes the page. The first FIRST_SLICE
// entries are built in the caller's task (a short input is shown whole, at once); the others in
// slices of about SLICE_MS of script, one slice per frame, so that each frame lays out only the
// few entries added since the last.
const FIRST_SLICE = 10;
const SLICE_MS = 10;
// container -> {gen, last}: gen changes when its content is replaced (older renders stop), last is
// its latest render (an append waits for it, so that entries stay in order).
const views = new WeakMap();
const viewOf = (container) => {
  if (!views.has(container)) views.set(container, { gen: 0, last: Promise.resolve(true) });
  return views.get(container);
};
// A hidden page paints no frames: it goes on without them.
const nextFrame = () => new Promise((ok) => {
  if (document.hidden) setTimeout(ok, 0);
  else requestAnimationFrame(() => setTimeout(ok, 0));
});

/**
 * Renders `entries` into `container`, replacing its content unless `append` (an append starts once
 * the container's previous render is done). `inPlace` replaces the entries on screen one by one
 * instead of all at once (the same entries again, in another language: the page keeps its length
 * and its scroll position). Resolves with true once all are in, false when a later render or
 * renderEmpty replaced the content first.
 */
export function renderEntries(container, entries, specs, S, { append = false, inPlace = false } = {}) {
  const view = viewOf(container);
  if (!append) view.gen += 1;
  const { gen } = view;
  const before = append ? view.last : null;
  view.last = (async () => {
    if (before) await before;
    if (view.gen !== gen) return false;
    let done = 0;
    let min = append ? 1 : FIRST_SLICE;
    for (;;) {
      const t0 = performance.now();
      const nodes = [];
      while (done + nodes.length < entries.length && (nodes.length < min || performance.now() - t0 < SLICE_MS)) {
        const entry = entries[done + nodes.length];
        nodes.push('error' in entry ? errorView(entry, S) : recordView(entry, specs, S));
      }
      if (inPlace) {
        nodes.forEach((node, j) => {
          const old = container.children[done + j];
          if (old) old.replaceWith(node);
          else container.append(node);
        });
      } else if (append) {
        container.append(...nodes);
      } else {
        container.replaceChildren(...nodes);
        append = true;
      }
      done += nodes.length;
      if (done >= entries.length) break;
      min = 1;
      await nextFrame();
      if (view.gen !== gen) return false;
    }
    if (inPlace) while (container.children.length > entries.length) container.lastElementChild.remove();
    return true;
  })();
  return view.last;
}

// A table wider than its box scrolls inside it (`.table-wrap`, on a phone): the edge with more to
// see gets a shadow (style.css, `data-more` = right, left or both), kept up to date as the box is
// scrolled or resized.
const cueObserver = typeof ResizeObserver === 'function'
  ? new ResizeObserver((entries) => {
    for (const e of entries) {
      const wrap = e.target.closest('.table-wrap');
      if (wrap) updateScrollCue(wrap);
    }
  })
  : null;

function updateScrollCue(wrap) {
  const max = wrap.scrollWidth - wrap.clientWidth;
  const left = max > 1 && wrap.scrollLeft > 1;
  const right = max > 1 && wrap.scrollLeft < max - 1;
  const more = left && right ? 'both' : left ? 'left' : right ? 'right' : '';
  if (more) wrap.dataset.more = more;
  else delete wrap.dataset.more;
  // A box that scrolls can be scrolled from the keyboard: it takes the focus (arrow keys scroll it).
  if (max > 1) wrap.tabIndex = 0;
  else wrap.removeAttribute('tabindex');
}

/** Gives `wrap` (a `.table-wrap`) its scroll cue; returns it. */
export function scrollCue(wrap) {
  wrap.addEventListener('scroll', () => updateScrollCue(wrap), { passive: true });
  if (cueObserver) {
    cueObserver.observe(wrap);
    if (wrap.firstElementChild) cueObserver.observe(wrap.firstElementChild);
  }
  return wrap;
}

export function renderEmpty(container, S) {
  viewOf(container).gen += 1;
  container.replaceChildren(el('p', { class: 'empty', text: S.empty }));
}

const GROUPS = ['both', 'vpc', 'transit-gateway'];

/** The fields of the default format (version 2), in their order: the reference starts with them. */
export const DEFAULT_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol',
  'packets', 'bytes', 'start', 'end', 'action', 'log-status',
];

/**
 * The field reference from field_specs(lang): the 14 fields of the default format first, in their
 * order; then the others, one table per group (both kinds of flow log, VPC only, transit gateway
 * only), in version order, with a thicker line where a new version starts. Each entry is a row
 * with the id `field-<name>` (a link's target; focusable, so that a jump to it moves the focus).
 */
export function renderReference(node, specs, S) {
  const byKey = new Map(specs.map((f) => [f.key, f]));
  const first = DEFAULT_FIELDS.map((k) => byKey.get(k)).filter(Boolean);
  const groups = [['default', first, S.refDefaultGroup]];
  for (const group of GROUPS) {
    // Array.prototype.sort is stable: within a version, AWS's catalogue order is kept.
    const fields = specs.filter((f) => (f.group || 'vpc') === group && !DEFAULT_FIELDS.includes(f.key))
      .sort((a, b) => a.version - b.version);
    groups.push([group, fields, S.refGroups[group] || group]);
  }
  const tables = [];
  for (const [group, fields, title] of groups) {
    if (!fields.length) continue;
    const head = el('tr', {},
      el('th', { scope: 'col', text: S.refKey }),
      el('th', { scope: 'col', text: S.refLabel }),
      el('th', { scope: 'col', text: S.refVersion }),
      el('th', { scope: 'col', text: S.refMeaning }));
    const body = el('tbody');
    let version = null;
    for (const f of fields) {
      const line = group !== 'default' && version !== null && f.version !== version;
      version = f.version;
      body.append(el('tr', {
        id: `field-${f.key}`, tabIndex: -1, class: line ? 'new-version' : undefined, 'data-version': String(f.version), 'data-field': f.key,
      },
      el('th', { scope: 'row' }, el('a', { class: 'ref-anchor', href: `#field-${f.key}` }, el('code', { text: f.key }))),
      el('td', { text: f.label }),
      el('td', { class: 'num ref-version', 'data-col': S.refVersion, text: String(f.version) }),
      el('td', { class: 'ref-meaning', text: f.meaning })));
    }
    const count = el('span', { class: 'ref-group-count', text: String(fields.length) });
    tables.push(el('section', { class: 'ref-group', 'data-group': group },
      el('h3', {}, `${title} (`, count, ')'),
      scrollCue(el('div', { class: 'table-wrap' }, el('table', { class: 'reference' }, el('thead', {}, head), body)))));
  }
  tables.push(el('p', { class: 'ref-none', id: 'ref-none', text: S.refNone, hidden: true }));
  node.replaceChildren(...tables);
}

/** Lights up a field's token and row together (explainshell-style); `key` null clears. */
export function highlight(article, key) {
  for (const n of article.querySelectorAll('.hl')) n.classList.remove('hl');
  if (!key) return;
  for (const n of article.querySelectorAll('[data-key]')) {
    if (n.dataset.key === key) n.classList.add('hl');
  }
}
