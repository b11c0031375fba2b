// The summary over all records (computed in Rust, in the worker): totals, a chart of bytes over
// time, and the tables of top talkers, services (by the server's port), rejected traffic (its
// parts, its sources by address, block and owner, the input's own addresses most rejected,
// scans), addresses and protocols. Each row keeps its filter (the records it counts, in the
// filter language) in `data-filter`. Built with
// createElement / createElementNS and textContent only: addresses and names come from the input.
import { formatSize } from './i18n.js';
import { el, scrollCue } from './render.js';
import {
  isoShort, localZoneName, parseIso, timeMode, timesIn, timeText, zoneText,
} from './time.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

const locale = (lang) => (lang === 'ja' ? 'ja-JP' : 'en-US');
const num = (n, lang) => Number(n).toLocaleString(locale(lang));

/** 18025 → "18.0 KB": the page's one byte formatter (i18n.js). */
export const bytesText = (n, lang) => formatSize(n, lang);

/**
 * The time span of the records in `zone` ('utc' or 'local'): "2014-12-14 13:06:50 → 2016-10-31
 * 20:37:00 (JST)", each end with its own zone's name when they differ (summer time).
 */
function spanText(first, last, S, lang, zone) {
  const a = parseIso(first);
  const b = parseIso(last);
  if (!a || !b) return S.ovTimeSub(isoShort(first, lang), isoShort(last, lang), 'UTC');
  const za = zoneText(a.ms, lang, zone);
  const zb = zoneText(b.ms, lang, zone);
  const same = za === zb;
  return S.ovTimeSub(timeText(a.ms, lang, { zone, zoneName: !same }), timeText(b.ms, lang, { zone, zoneName: !same }), same ? za : null);
}

/** An address as a cell: the address, who owns it, "your instance"; the explanation as tooltip. */
function addressCell(a, S) {
  const cell = el('div', { class: 'ov-addr', title: a?.text || '' });
  const ip = a?.addr ?? '-';
  cell.append(el('code', { class: ip.includes(':') ? 'ov-ip v6' : 'ov-ip', text: ip }));
  const owner = el('span', { class: 'ov-owner', text: a?.value || '' });
  if (a?.scope) owner.dataset.scope = a.scope;
  if (a?.aws) owner.dataset.owner = 'aws';
  else if (a?.cloud) owner.dataset.owner = 'cloud';
  cell.append(owner);
  if (a?.interface) {
    cell.append(el('span', {
      class: 'badge badge-instance', 'data-badge': 'instance', text: S.badges.instance, title: S.badgeTitles.instance(a.interface),
    }));
  }
  return cell;
}

/** A number; `title` a tooltip, or `{lack}` (an approximate count's bound), said as text under it. */
function numCell(text, title) {
  if (title?.lack) return el('td', { class: 'num' }, text, el('span', { class: 'ov-lack', text: title.lack }));
  return el('td', { class: 'num', text, title });
}

/**
 * A table with its caption, header and rows; a row of the others, a note on how it counts
 * (`explain`) and a warning when approximate (`note`).
 */
function tableView(id, caption, columns, rows, { others = null, note = null, explain = null } = {}) {
  // A column without a name (the arrow, an explanation) has an empty cell, not an empty header.
  const head = el('tr', {}, ...columns.map(([label, cls]) => (label
    ? el('th', { scope: 'col', class: cls, text: label })
    : el('td', { class: cls }))));
  const body = el('tbody', {}, ...rows);
  if (others) body.append(others);
  const table = el('table', { class: 'ov-table', id }, el('caption', { text: caption }), el('thead', {}, head), body);
  const box = el('section', { class: 'ov-block', 'data-table': id }, scrollCue(el('div', { class: 'table-wrap' }, table)));
  if (explain) box.append(el('p', { class: 'ov-explain', text: explain }));
  if (note) box.append(el('p', { class: 'ov-note', text: note }));
  return box;
}

/** Keeps the row's filter (the records it counts, in the filter language) on the element. */
function withFilter(tr, row) {
  if (row?.filter) tr.dataset.filter = row.filter;
  return tr;
}

const mayLack = (row, S) => (row.error ? { lack: S.ovMayLack(row.error) } : undefined);

function othersRow(span, o, S, lang, cells) {
  if (!o || !o.records) return null;
  return withFilter(el('tr', { class: 'ov-others' }, el('th', { scope: 'row', colSpan: span, text: S.ovOthers(o.records) }), ...cells(o, lang)), o);
}

function pairsTable(t, S, lang, note) {
  const rows = t.rows.map((r, i) => withFilter(el('tr', { 'data-src': r.src.addr, 'data-dst': r.dst.addr },
    el('td', { class: 'rank', text: String(i + 1) }),
    el('td', {}, addressCell(r.src, S)),
    el('td', { class: 'arrow', text: '→', ariaHidden: 'true' }),
    el('td', {}, addressCell(r.dst, S)),
    numCell(bytesText(r.bytes, lang), mayLack(r, S) || `${num(r.bytes, lang)} B`),
    numCell(num(r.packets, lang)),
    numCell(num(r.records, lang))), r));
  const others = othersRow(4, t.others, S, lang, (o) => [numCell(bytesText(o.bytes, lang)), numCell(num(o.packets ?? 0, lang)), numCell(num(o.records, lang))]);
  return tableView('ov-pairs', S.ovPairs,
    [['#', 'rank'], [S.ovColSource], ['', 'arrow'], [S.ovColDestination], [S.ovColBytes, 'num'], [S.ovColPackets, 'num'], [S.ovColRecords, 'num']],
    rows, { others, note });
}

function addressesTable(t, S, lang, note) {
  const rows = t.rows.map((r, i) => withFilter(el('tr', { 'data-addr': r.address.addr },
    el('td', { class: 'rank', text: String(i + 1) }),
    el('td', {}, addressCell(r.address, S)),
    numCell(bytesText(r.sent, lang), `${num(r.sent, lang)} B`),
    numCell(bytesText(r.received, lang), `${num(r.received, lang)} B`),
    numCell(num(r.records, lang), mayLack(r, S))), r));
  return tableView('ov-addresses', S.ovAddresses,
    [['#', 'rank'], [S.ovColAddress], [S.ovColSent, 'num'], [S.ovColReceived, 'num'], [S.ovColRecords, 'num']],
    rows, { note });
}

/** "TCP 22 SSH", "ICMP". */
function portLabel(p, S) {
  if (p.port === null || p.port === undefined) return p.keyword || S.ovNoPort;
  return [p.keyword, p.port, p.name].filter((x) => x !== null && x !== undefined && x !== '').join(' ');
}

function rejectedTable(t, S, lang, note) {
  const rows = t.rows.map((r, i) => {
    const ports = el('ul', { class: 'ov-tried' });
    for (const p of r.ports) {
      const li = el('li', { 'data-port': p.port ?? '' }, el('span', { text: portLabel(p, S) }));
      if (p.reply) {
        li.dataset.reply = 'true';
        li.title = S.ovTriedReplyTitle;
        li.append(' ', el('span', { class: 'reply', text: S.ovTriedReply }));
      }
      li.append(el('span', { class: 'times', text: ` ×${num(p.records, lang)}` }));
      ports.append(li);
    }
    if (r.other_ports) ports.append(el('li', { text: S.ovOtherPorts(r.other_ports) }));
    return withFilter(el('tr', { 'data-addr': r.address.addr },
      el('td', { class: 'rank', text: String(i + 1) }),
      el('td', {}, addressCell(r.address, S)),
      numCell(num(r.records, lang), mayLack(r, S)),
      el('td', {}, ports)), r);
  });
  const others = othersRow(2, t.others, S, lang, (o) => [numCell(num(o.records, lang)), el('td')]);
  return tableView('ov-rejected', S.ovRejectedSources,
    [['#', 'rank'], [S.ovColSource], [S.ovColRecords, 'num'], [S.ovColPortsTried]],
    rows, { others, note, explain: S.ovRejectedNote });
}

/**
 * Services: each record at its server's port (a request at its destination port, a reply at its
 * source port); records whose roles are unknown at their destination port, marked "dstport".
 */
function servicesTable(t, roles, S, lang, note) {
  const rows = t.rows.map((r, i) => {
    const port = el('td', { class: 'ov-port' }, el('code', { text: `${r.keyword} ${r.port}` }));
    if (r.unknown_roles) {
      port.append(' ', el('span', {
        class: 'badge badge-dstport', 'data-badge': 'dstport', text: S.ovDstport(r.unknown_roles, r.records), title: S.ovDstportTitle(r.unknown_roles),
      }));
    }
    return withFilter(el('tr', { 'data-port': `${r.keyword}/${r.port}` },
      el('td', { class: 'rank', text: String(i + 1) }),
      port,
      el('td', { class: 'ov-service', text: r.name || '', title: r.description || '' }),
      numCell(num(r.records, lang), mayLack(r, S)),
      numCell(bytesText(r.bytes, lang), `${num(r.bytes, lang)} B`),
      numCell(num(r.requests, lang)),
      numCell(num(r.replies, lang)),
      numCell(num(r.accepted, lang)),
      numCell(num(r.rejected, lang))), r);
  });
  const others = othersRow(3, t.others, S, lang, (o) => [numCell(num(o.records, lang)), numCell(bytesText(o.bytes, lang)), el('td'), el('td'), el('td'), el('td')]);
  return tableView('ov-services', S.ovServices,
    [['#', 'rank'], [S.ovColPort], [S.ovColService], [S.ovColRecords, 'num'], [S.ovColBytes, 'num'],
      [S.ovColRequests, 'num'], [S.ovColReplies, 'num'], [S.ovColAccepted, 'num'], [S.ovColRejected, 'num']],
    rows, { others, note, explain: roles ? S.ovServicesNote(roles) : null });
}

function protocolsTable(list, S, lang) {
  const rows = list.map((p) => withFilter(el('tr', { 'data-protocol': String(p.protocol) },
    el('td', { title: p.name }, el('code', { text: p.keyword || String(p.protocol) }), el('span', { class: 'ov-muted', text: ` ${p.protocol}` })),
    numCell(num(p.records, lang)),
    numCell(bytesText(p.bytes, lang), `${num(p.bytes, lang)} B`),
    numCell(num(p.accepted, lang)),
    numCell(num(p.rejected, lang))), p));
  return tableView('ov-protocols', S.ovProtocols,
    [[S.ovColProtocol], [S.ovColRecords, 'num'], [S.ovColBytes, 'num'], [S.ovColAccepted, 'num'], [S.ovColRejected, 'num']], rows);
}

/** The REJECT story's tables (their captions and column names come with the report). */
function splitTable(o, S, lang) {
  const T = o.reject_texts;
  const total = Math.max(1, o.totals.rejected.records);
  const rows = o.rejected_split.filter((p) => p.records > 0).map((p) => withFilter(el('tr', { 'data-part': p.part },
    el('th', { scope: 'row', class: 'ov-part', text: p.label, title: p.text }),
    numCell(num(p.records, lang), `${Math.round((p.records / total) * 1000) / 10} %`),
    numCell(bytesText(p.bytes, lang), `${num(p.bytes, lang)} B`),
    el('td', { class: 'ov-explain', text: p.text })), p));
  return tableView('ov-rejected-split', T.split,
    [[T.col_part], [T.col_records, 'num'], [T.col_bytes, 'num'], ['']], rows);
}

function rejectOthers(span, t, T, lang, cells) {
  const o = t.others;
  if (!o || !o.records) return null;
  return withFilter(el('tr', { class: 'ov-others' },
    el('th', { scope: 'row', colSpan: span, text: T.others }), ...cells(o, lang)), o);
}

function blocksTable(t, T, S, lang, note) {
  const rows = t.rows.map((r, i) => withFilter(el('tr', { 'data-block': r.block },
    el('td', { class: 'rank', text: String(i + 1) }),
    el('td', {}, el('code', { class: r.block.includes(':') ? 'ov-ip v6' : 'ov-ip', text: r.block })),
    numCell(num(r.records, lang), mayLack(r, S)),
    numCell(bytesText(r.bytes, lang), `${num(r.bytes, lang)} B`),
    numCell(num(r.replies, lang)),
    numCell(num(r.sources, lang))), r));
  const others = rejectOthers(2, t, T, lang, (o) => [numCell(num(o.records, lang)), numCell(bytesText(o.bytes, lang)), el('td'), el('td')]);
  return tableView('ov-rejected-blocks', T.blocks,
    [['#', 'rank'], [T.col_block], [T.col_records, 'num'], [T.col_bytes, 'num'], [T.col_replies, 'num'], [T.col_sources, 'num']],
    rows, { others, note });
}

function ownersTable(t, T, S, lang, note) {
  const rows = t.rows.map((r, i) => {
    const owner = el('span', { class: 'ov-owner', text: r.label });
    owner.dataset.owner = r.kind;
    if (r.scope) owner.dataset.scope = r.scope;
    return withFilter(el('tr', { 'data-owner': r.kind },
      el('td', { class: 'rank', text: String(i + 1) }),
      el('td', {}, owner),
      numCell(num(r.records, lang), mayLack(r, S)),
      numCell(bytesText(r.bytes, lang), `${num(r.bytes, lang)} B`),
      numCell(num(r.replies, lang)),
      numCell(r.sources_exact ? num(r.sources, lang) : `≈${num(r.sources, lang)}`)), r);
  });
  const others = rejectOthers(2, t, T, lang, (o) => [numCell(num(o.records, lang)), numCell(bytesText(o.bytes, lang)), el('td'), el('td')]);
  return tableView('ov-rejected-owners', T.owners,
    [['#', 'rank'], [T.col_owner], [T.col_records, 'num'], [T.col_bytes, 'num'], [T.col_replies, 'num'], [T.col_sources, 'num']],
    rows, { others, note });
}

function triedList(ports, otherPorts, S, lang) {
  const list = el('ul', { class: 'ov-tried' });
  for (const p of ports) {
    const li = el('li', { 'data-port': p.port ?? '' }, el('span', { text: portLabel(p, S) }));
    if (p.reply) {
      li.dataset.reply = 'true';
      li.title = S.ovTriedReplyTitle;
      li.append(' ', el('span', { class: 'reply', text: S.ovTriedReply }));
    }
    li.append(el('span', { class: 'times', text: ` ×${num(p.records, lang)}` }));
    list.append(li);
  }
  if (otherPorts) list.append(el('li', { text: S.ovOtherPorts(otherPorts) }));
  return list;
}

function destinationsTable(t, T, S, lang, note) {
  const rows = t.rows.map((r, i) => withFilter(el('tr', { 'data-addr': r.address.addr },
    el('td', { class: 'rank', text: String(i + 1) }),
    el('td', {}, addressCell(r.address, S)),
    numCell(num(r.records, lang), mayLack(r, S)),
    numCell(num(r.replies, lang)),
    el('td', {}, triedList(r.ports, r.other_ports, S, lang))), r));
  return tableView('ov-rejected-destinations', T.destinations,
    [['#', 'rank'], [T.col_destination], [T.col_records, 'num'], [T.col_replies, 'num'], [T.col_ports]],
    rows, { note });
}

function scansTable(t, T, S, lang, note) {
  const about = (n, exact) => (exact ? num(n, lang) : `≈${num(n, lang)}`);
  const kinds = { vertical: T.vertical, horizontal: T.horizontal, both: T.both };
  const rows = t.rows.map((r, i) => withFilter(el('tr', { 'data-addr': r.address.addr, 'data-scan': r.kind },
    el('td', { class: 'rank', text: String(i + 1) }),
    el('td', {}, addressCell(r.address, S)),
    el('td', { text: kinds[r.kind] || r.kind }),
    numCell(about(r.ports, r.ports_exact)),
    numCell(about(r.destinations, r.destinations_exact)),
    numCell(num(r.records, lang), mayLack(r, S)),
    el('td', {}, el('code', { text: r.example_ports.join(', ') }))), r));
  return tableView('ov-scans', T.scans,
    [['#', 'rank'], [T.col_source], [T.col_kind], [T.col_distinct_ports, 'num'], [T.col_distinct_destinations, 'num'],
      [T.col_records, 'num'], [T.col_example_ports]],
    rows, { note, explain: T.scans_note });
}

/** One figure of the totals: a label, a big value, a line under it. */
function stat(key, label, value, sub, cls = '') {
  return el('div', { class: `ov-stat ${cls}`.trim(), 'data-stat': key },
    el('dt', { text: label }), el('dd', {}, el('span', { class: 'ov-value', text: value }), sub ? el('span', { class: 'ov-sub', text: sub }) : null));
}

function totalsView(o, S, lang) {
  const t = o.totals;
  const approx = (d) => (d.exact ? num(d.count, lang) : `≈${num(d.count, lang)}`);
  const list = el('dl', { class: 'ov-totals' },
    stat('records', S.ovRecords, num(t.records, lang), t.errors ? S.ovRecordsSub(t.errors) : null),
    stat('bytes', S.ovTraffic, bytesText(t.bytes, lang), S.ovTrafficSub(t.packets, t.records_with_bytes, t.records)),
    stat('accepted', S.ovAccepted, num(t.accepted.records, lang), bytesText(t.accepted.bytes, lang), 'ok'),
    stat('rejected', S.ovRejected, num(t.rejected.records, lang), bytesText(t.rejected.bytes, lang), t.rejected.records ? 'bad' : ''),
    timeStat(t.time, S, lang),
    stat('status', S.ovStatus, `OK ${num(t.log_status.ok, lang)}`,
      `NODATA ${num(t.log_status.nodata, lang)} · SKIPDATA ${num(t.log_status.skipdata, lang)}`
      + (t.no_action ? ` · ${S.ovNoAction(t.no_action)}` : '')),
    // A partial summary (the decoder stopped) does not know the interfaces: only the decoder counted them.
    stat('distinct', S.ovDistinct, S.ovDistinctText(t.partial ? '–' : approx(t.interfaces), approx(t.addresses)),
      (t.partial || t.interfaces.exact) && t.addresses.exact ? null : S.ovEstimated));
  return list;
}

/** The time span: in the zone chosen (time.js), and in the other under it when it reads otherwise. */
function timeStat(time, S, lang) {
  if (!time) return stat('time', S.ovTime, S.ovNoTime, null);
  const zone = timeMode();
  const chosen = spanText(time.first_start_utc, time.last_end_utc, S, lang, zone);
  const other = spanText(time.first_start_utc, time.last_end_utc, S, lang, zone === 'utc' ? 'local' : 'utc');
  const node = stat('time', S.ovTime, time.span_text, chosen);
  if (other !== chosen) node.querySelector('dd').append(el('span', { class: 'ov-alt', text: other }));
  return node;
}

// The axis's text (11px, .ov-tick): a generous width per character, so that what is judged to fit does.
const TICK_CHAR_PX = 7;
const TICK_GAP_PX = 12;

/**
 * The time labels ("2014-12-14 04:06:50") under the chart that fit in `room` pixels side by side:
 * all of them (first, middle, last), else shorter ones (the dates, or the times when all are of
 * one day), else the first and last, long then short, else the first one short.
 */
function axisTexts(labels, room) {
  const fits = (list) => list.reduce((w, t) => w + t.length * TICK_CHAR_PX, 0) + (list.length - 1) * TICK_GAP_PX <= room;
  const oneDay = labels.every((t) => t.split(' ')[0] === labels[0].split(' ')[0]);
  const short = labels.map((t) => t.split(' ')[oneDay ? 1 : 0] ?? t);
  const ends = (list) => (list.length === 3 ? [list[0], list[2]] : list);
  for (const list of [labels, short, ends(labels), ends(short)]) if (fits(list)) return list;
  return short.slice(0, 1);
}

/**
 * Bytes (or records, when no record has a byte count) per time bucket as SVG bars, rejected
 * records as red bars under the axis. Each column has a tooltip with its time and figures.
 */
function chartView(o, S, lang, pixels) {
  const tl = o.timeline;
  const bars = tl.buckets;
  if (!bars.length) return null;
  const metric = o.totals.records_with_bytes > 0 ? 'bytes' : 'records';
  const value = (b) => (metric === 'bytes' ? b.bytes : b.records);
  const max = Math.max(1, ...bars.map(value));
  const maxRejected = Math.max(0, ...bars.map((b) => b.rejected));
  // Drawn at the width it is shown at, so that its text is never scaled.
  const W = Math.max(240, Math.round(pixels || 800));
  const LEFT = 64;
  const TOP = 8;
  const H = 120; // the main lane
  const GAP = 6;
  const LANE = maxRejected ? 28 : 0; // the rejected lane
  const AXIS = 20;
  const height = TOP + H + GAP + LANE + AXIS;
  const step = (W - LEFT) / bars.length;
  const pad = step > 4 ? Math.min(2, step * 0.15) : 0;
  const fmt = (v) => (metric === 'bytes' ? bytesText(v, lang) : num(v, lang));
  // Times in the zone chosen (time.js); the zone is named beside the axis and in the caption.
  const first = parseIso(bars[0].start_utc);
  const zone = first ? zoneText(first.ms, lang) : 'UTC';
  const label = S.ovChartLabel(bars.length, isoShort(bars[0].start_utc, lang), isoShort(bars[bars.length - 1].start_utc, lang), fmt(max), metric, zone);
  const chart = svg('svg', {
    // A group, not an image: its bars are buttons (each a filter), which an image's parts cannot be.
    viewBox: `0 0 ${W} ${height}`, width: W, height, class: 'ov-chart', role: 'group', 'aria-label': label,
  });
  chart.append(svg('title', {}, label));
  // The scale: the highest bar's value, its half, zero.
  for (const f of [1, 0.5]) {
    const y = TOP + H - H * f;
    chart.append(svg('line', { x1: LEFT, x2: W, y1: y, y2: y, class: 'ov-grid' }));
    const t = svg('text', { x: LEFT - 6, y: y + 4, class: 'ov-tick', 'text-anchor': 'end' });
    t.textContent = fmt(Math.round(max * f));
    chart.append(t);
  }
  chart.append(svg('line', { x1: LEFT, x2: W, y1: TOP + H, y2: TOP + H, class: 'ov-axis' }));
  if (LANE) {
    const t = svg('text', { x: LEFT - 6, y: TOP + H + GAP + 12, class: 'ov-tick ov-tick-bad', 'text-anchor': 'end' });
    t.textContent = S.ovRejectedLane;
    chart.append(t);
  }
  const width = tl.width_text;
  bars.forEach((b, i) => {
    const x = LEFT + i * step;
    const about = S.ovBarTitle(timesIn(b.start_utc, lang), width, b.records, bytesText(b.bytes, lang), b.rejected);
    const g = svg('g', {
      class: 'ov-bar', tabindex: 0, role: 'button', 'aria-label': about.replace(/\n/g, ' · '),
      'data-start': b.start, 'data-records': b.records, 'data-bytes': b.bytes, 'data-rejected': b.rejected, 'data-filter': b.filter,
    });
    g.append(svg('title', {}, about));
    // The whole column answers the pointer, not only the bar.
    g.append(svg('rect', { x, y: TOP, width: step, height: H + GAP + LANE, class: 'ov-hit' }));
    const h = (value(b) / max) * H;
    if (value(b) > 0) {
      const hh = Math.max(h, 1.5);
      g.append(svg('rect', { x: x + pad, y: TOP + H - hh, width: Math.max(step - 2 * pad, 0.5), height: hh, class: 'ov-value-bar' }));
    }
    if (b.rejected > 0 && LANE) {
      const rh = Math.max((b.rejected / maxRejected) * (LANE - 4), 1.5);
      g.append(svg('rect', { x: x + pad, y: TOP + H + GAP, width: Math.max(step - 2 * pad, 0.5), height: rh, class: 'ov-rejected-bar' }));
    }
    chart.append(g);
  });
  // Time labels: the first bar's start, the middle, the end of the last; as many as fit side by
  // side (a phone's narrow chart: the dates only, then the first and last only).
  const y = height - 5;
  const times = [bars[0].start_utc];
  if (bars.length > 2) times.push(bars[Math.floor(bars.length / 2)].start_utc);
  if (bars.length > 1) times.push(bars[bars.length - 1].start_utc);
  const texts = axisTexts(times.map((iso) => isoShort(iso, lang)), W - LEFT);
  const at = texts.length === 3 ? [[LEFT, 'start'], [LEFT + (W - LEFT) / 2, 'middle'], [W, 'end']]
    : texts.length === 2 ? [[LEFT, 'start'], [W, 'end']] : [[LEFT, 'start']];
  texts.forEach((label, i) => {
    const t = svg('text', { x: at[i][0], y, class: 'ov-tick', 'text-anchor': at[i][1] });
    t.textContent = label;
    chart.append(t);
  });
  const axisZone = svg('text', { x: LEFT - 6, y, class: 'ov-tick ov-axis-zone', 'text-anchor': 'end' });
  axisZone.textContent = zone;
  chart.append(axisZone);
  const zoneName = S.timesZone(zone, timeMode() === 'local' ? localZoneName() : null);
  const figure = el('figure', { class: 'ov-figure', id: 'ov-chart' },
    el('figcaption', {}, S.ovChartCaption(width, metric), el('span', { class: 'ov-chart-zone', text: S.ovChartZone(zoneName) })), chart);
  if (tl.records_without_start) figure.append(el('p', { class: 'ov-note', text: S.ovNoStart(tl.records_without_start) }));
  figure.append(...chartTable(bars, width, zone, S, lang));
  return figure;
}

// Whether the chart's table is shown (kept while the chart is drawn again).
let chartTableOpen = false;

/**
 * The chart's data as a table, one row per bar (its time, records, bytes, rejected records; a
 * click or Enter filters on its time, as the bar does), under a "Show as table" toggle.
 */
function chartTable(bars, width, zone, S, lang) {
  const rows = bars.map((b) => el('tr', {
    'data-start': String(b.start), 'data-filter': b.filter, class: `${b.filter ? 'filterable' : ''}${b.records ? '' : ' ov-empty'}`.trim() || undefined, tabIndex: b.filter ? 0 : undefined,
  },
    el('th', { scope: 'row', class: 'ov-time', text: isoShort(b.start_utc, lang) }),
    numCell(num(b.records, lang)),
    numCell(bytesText(b.bytes, lang), `${num(b.bytes, lang)} B`),
    numCell(num(b.rejected, lang))));
  const table = el('table', { class: 'ov-table ov-chart-table', id: 'ov-chart-table' },
    el('caption', { text: S.ovChartTableCaption(width, zone) }),
    el('thead', {}, el('tr', {}, ...[[S.ovColTime(zone)], [S.ovColRecords, 'num'], [S.ovColBytes, 'num'], [S.ovColRejected, 'num']]
      .map(([label, cls]) => el('th', { scope: 'col', class: cls, text: label })))),
    el('tbody', {}, ...rows));
  const wrap = el('div', { class: 'table-wrap ov-chart-table-wrap', hidden: !chartTableOpen }, table);
  const toggle = el('button', {
    type: 'button', class: 'small ov-table-toggle', id: 'ov-table-toggle', 'aria-controls': 'ov-chart-table', 'aria-expanded': String(chartTableOpen),
    text: chartTableOpen ? S.ovChartTableHide : S.ovChartTable,
  });
  toggle.addEventListener('click', () => {
    chartTableOpen = !chartTableOpen;
    wrap.hidden = !chartTableOpen;
    toggle.setAttribute('aria-expanded', String(chartTableOpen));
    toggle.textContent = chartTableOpen ? S.ovChartTableHide : S.ovChartTable;
  });
  return [toggle, wrap];
}

// The summary on screen, so that its chart can be drawn again at a new width.
let shown = null;
// Bumps with every call of renderOverview: a newer summary stops the rendering of an older one.
let rendering = 0;
// The next task, ahead of the page's other work where the browser can tell (the Summary is what
// the user waits for; `scheduler.postTask` is Chromium's).
const nextTask = () => (globalThis.scheduler?.postTask
  ? globalThis.scheduler.postTask(() => {}, { priority: 'user-blocking' })
  : new Promise((resolve) => { setTimeout(resolve, 0); }));

/**
 * Fills the summary section from the worker's overview (hidden when `o` is null): the totals
 * and the chart at once, the tables in the next task, so that no task of the page is long (the
 * page may be decoding meanwhile). Sets `data-records` on the section once it is whole; resolves true
 * then (false when a newer call replaced it).
 */
export async function renderOverview(section, o, S, lang) {
  const seq = ++rendering;
  const body = section.querySelector('.ov-body');
  shown = null;
  delete section.dataset.records;
  if (!o) {
    section.hidden = true;
    body.replaceChildren();
    return true;
  }
  const note = (t, max = o.limits.max_keys) => (t.exact ? null : S.ovApprox(max));
  section.hidden = false;
  const width = body.clientWidth;
  const tables = el('div', { class: 'ov-tables' });
  body.replaceChildren(...[totalsView(o, S, lang), chartView(o, S, lang, width), tables].filter(Boolean));
  section.classList.remove('is-stale');
  shown = { body, o, S, lang, width };
  const later = [
    o.top_pairs.rows.length && (() => pairsTable(o.top_pairs, S, lang, note(o.top_pairs))),
    o.services.rows.length && (() => servicesTable(o.services, o.totals.roles, S, lang, note(o.services))),
    o.rejected_split?.some((p) => p.records > 0) && (() => splitTable(o, S, lang)),
    o.rejected_sources.rows.length && (() => rejectedTable(o.rejected_sources, S, lang, note(o.rejected_sources))),
    o.rejected_blocks?.rows.length && (() => blocksTable(o.rejected_blocks, o.reject_texts, S, lang, note(o.rejected_blocks))),
    o.rejected_owners?.rows.length && (() => ownersTable(o.rejected_owners, o.reject_texts, S, lang, note(o.rejected_owners))),
    o.rejected_destinations?.rows.length
      && (() => destinationsTable(o.rejected_destinations, o.reject_texts, S, lang, note(o.rejected_destinations))),
    o.scans?.rows.length && (() => scansTable(o.scans, o.reject_texts, S, lang, note(o.scans))),
    o.top_addresses.rows.length
      && (() => addressesTable(o.top_addresses, S, lang, note(o.top_addresses, o.limits.max_address_keys))),
    o.protocols.length && (() => protocolsTable(o.protocols, S, lang)),
  ].filter(Boolean);
  await nextTask();
  if (seq !== rendering) return false;
  tables.append(...later.map((table) => table()));
  section.dataset.records = String(o.totals.records);
  return true;
}

// The chart is drawn at the width it is shown at (its text is never scaled): when the window
// changes that width, it is drawn again, once the resizing has settled.
let resizing = 0;
addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => {
    const old = shown?.body.querySelector('#ov-chart');
    const width = shown?.body.clientWidth ?? 0;
    if (!old || !width || Math.abs(width - shown.width) < 8) return;
    const chart = chartView(shown.o, shown.S, shown.lang, width);
    if (chart) old.replaceWith(chart);
    shown.width = width;
  }, 150);
});
