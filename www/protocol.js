// The messages between the page and its two workers, and between the two workers. Imported by the
// page (worker-client.js, decoder-client.js) and by both workers, so that a name is written once.
//
// The page runs two module workers on machines with two cores or more (one otherwise, or with
// `?workers=1` in the address):
//   - the decoding worker (workers/decode.js) keeps the records of the input, explains the entries
//     shown and chooses the ip-ranges;
//   - the summary worker (workers/summary.js) makes the Summary section while the decoding worker
//     decodes, from what the decoding worker hands it of each record, keeping no record itself.
//
// PAGE → WORKER, requests: {op, id, ...fields}. A worker answers each one, in the order they
// arrive (but see NOW below), with a reply:
//   {id, ok: true, result}
//   {id, ok: false, error, fatal, reasons?, key?, args?}
//     error: the message in English; fatal: the WASM instance is unusable (a trap, or no decoder),
//     the page replaces the worker; reasons {en, ja} (from Rust) or key/args (a string of the
//     page's i18n/): the same error in any language of the page.
//
//   op           worker   fields                                      result
//   decode       decode   text, format, lang, count, summaryId        DECODED
//   decodeFile   decode   size, files?, format, lang, count,          DECODED + {text?, ms}
//                         summaryId (the bytes follow as 'slice' posts with this request's id;
//                         files: [{name, size}] of several files decoded as one input, their
//                         bytes one file after the other, `size` their sum)
//   entries      decode   dataId, start, count, lang                  {dataId, entries} | {stale: true}
//   overview     both     dataId, lang, top                           {dataId, overview} | {stale: true}
//   format       decode   text                                        {normalized}
//   fields       decode   lang                                        {specs}: field_specs(lang)
//   loadRanges   both     file (the user's ip-ranges.json), lang      {info, origin}
//   summarise    summary  summaryId, lang, top                        {dataId, overview}
//   salvage      summary  summaryId, lang, top (its decoding worker   {dataId, overview, partial,
//                         crashed: what was tallied, totals.partial)   records} | {lost: true}
//   useRanges    summary  text (null: none), source                   {}
//   connect      both     port (transferred: its end of the channel)  {}
//   select       decode   dataId, expr, sort, lang                    {dataId, ok, count, records,
//                         (the view: the records `expr` keeps, in     uses_aws_ranges, error} |
//                         `sort`'s order; '' for all / input order)   {stale: true}
//                                                                     error: {part, message, en, ja,
//                                                                     start, end, column} (UTF-16)
//   check        decode   expr, lang                                  {error}: null when `expr` parses
//   rows         decode   dataId, start, count                        {dataId, rows}: list rows of
//                                                                     view positions start..
//   viewEntry    decode   dataId, position, lang                      {dataId, entry}
//   lineEntry    decode   dataId, line, lang                          {dataId, position, entry}:
//                                                                     the entry of an input line and
//                                                                     its view position (-1: not in it)
//   viewOverview decode   dataId, lang, top                           {dataId, overview}: the summary
//                                                                     of the view's records
//   export       decode   dataId, kind ('csv' | 'ndjson')             {dataId, blob, count}: the
//                         ('exported' events while it writes)         view's records, in a Blob
//                                                                     built from chunks
//   emit         decode   expr, engine ('insights' | 'athena'), lang  {text}: the same question for
//                                                                     AWS's engines
//
//   DECODED = {dataId, report, total, entries, memory}: `dataId` names the input the worker holds
//   (later requests about it send it back; {stale: true} when the worker holds another by then),
//   `total` entries, the first `count` of them in `entries`, the WASM memory in bytes.
//   `summaryId` (0: none) is the decode's number for the summary worker: the decoding worker hands
//   it the records' fields under that number, and 'summarise' with the same number answers.
//
//   NOW: 'connect', 'useRanges' and 'salvage' are answered at once, not queued: a queued request
//   (a decode, a summary) may be waiting for them, or (salvage) for an end that never comes.
//
// PAGE → DECODING WORKER, posts (no reply, not queued: the 'decodeFile' they are for waits for them):
//   {op: 'slice', id, bytes: ArrayBuffer (transferred), length}   the next bytes; length 0: the end
//   {op: 'slice', id, error}                                      the file could not be read
//   {op: 'slice', id, abort: true}                                a newer input replaces this one
//   {op: 'slice', id, stop: true}                                 the user stopped the read: the
//                                                                 decode ends with what it has
//                                                                 (DECODED + {partial: {read, total}})
//
// WORKER → PAGE, events: {type, ...fields}
//   ready      both     the WASM decoder is loaded
//   fatal      both     error: it could not be loaded (the page starts the worker again, a few times)
//   ipranges   decode   info (null: none), origin {kind: 'live'|'kept'|'bundled'|'file', name?,
//                       fetchedAt?}, liveError ({en, ja} or {key, args}), keptError? (the copy
//                       kept from an earlier visit was refused and deleted: why, {en, ja} or
//                       {key, args}), bundledError?, text?
//                       (the text of its own choice, once per worker, for the summary worker;
//                       null when there is none). The summary worker sends one too after a
//                       'loadRanges'; the page shows the decoding worker's only.
//   progress   decode   id, read, total, lines, memory, spare (the slice's buffer, transferred
//                       back for the page to read into again)
//   memory     summary  memory: its WASM memory in bytes, when it grew
//   exported   decode   done, total: records of the export under way written so far
//
// DECODING WORKER ↔ SUMMARY WORKER, over the MessageChannel the page gives them ('connect'):
//   decode → summary  {type: 'begin', summaryId}           a new input: drop the one before
//                     {type: 'fields', summaryId, fields: ArrayBuffer (transferred), length}
//                                                           what the summary reads of records
//                                                           (DecodeSession.take_fields_into)
//                     {type: 'told', summaryId, told}      the end, with what the input tells of
//                                                           its interfaces (DecodeSession.told)
//                     {type: 'failed', summaryId}          the input could not be decoded
//   summary → decode  {type: 'spare', buffer (transferred)}  a fields buffer tallied, to reuse

/** Requests (`op`) a worker answers. */
export const OP = Object.freeze({
  decode: 'decode',
  decodeFile: 'decodeFile',
  entries: 'entries',
  overview: 'overview',
  format: 'format',
  fields: 'fields',
  loadRanges: 'loadRanges',
  summarise: 'summarise',
  salvage: 'salvage',
  useRanges: 'useRanges',
  connect: 'connect',
  select: 'select',
  check: 'check',
  rows: 'rows',
  viewEntry: 'viewEntry',
  lineEntry: 'lineEntry',
  viewOverview: 'viewOverview',
  export: 'export',
  emit: 'emit',
});

/** Requests answered at once rather than in turn (see NOW above). */
export const NOW = Object.freeze([OP.connect, OP.useRanges, OP.salvage]);

/** Posts (`op`) the decoding worker takes without answering. */
export const POST = Object.freeze({ slice: 'slice' });

/** Events (`type`) a worker sends the page. */
export const EVENT = Object.freeze({
  ready: 'ready',
  fatal: 'fatal',
  ipranges: 'ipranges',
  progress: 'progress',
  memory: 'memory',
  exported: 'exported',
});

/** Messages (`type`) between the two workers. */
export const CHANNEL = Object.freeze({
  begin: 'begin',
  fields: 'fields',
  told: 'told',
  failed: 'failed',
  spare: 'spare',
});
