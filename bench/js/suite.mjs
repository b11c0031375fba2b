// The measurements made inside a JavaScript engine (Node, Chromium): the WASM workloads of
// bench/wasm, the page's real entry point (Session.decode), a plain split-based JavaScript parser,
// and ip-ranges.json loading and lookups. Shared by node.mjs and page.html so that both engines run
// the same code. JavaScript does the timing; every figure is the median of `reps` runs.

// AWS's default format (version 2): the fields until a header line says otherwise.
// The filters timed (the same as the native runner's rows of these names).
const FILTERS = [
  ['filter_reject_ports', 'action=REJECT and dstport in (22, 3389) and not srcaddr in 10.0.0.0/8'],
  ['filter_aws_s3', 'aws.service=S3'],
  ['filter_text', '"eni-0" and from_internet'],
];
const DEFAULT_KEYS = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'.split(' ');
// Fields a JavaScript parser would turn into numbers.
const NUMERIC = new Set(['version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags', 'traffic-path']);

// The baseline any web page could write in ten minutes: one object per line, `-` as null,
// numbers as numbers, header lines switch the field names. Objects are not kept (keeping a
// million of them would only make this baseline slower).
export function parseSplit(text) {
  let keys = DEFAULT_KEYS;
  let numeric = keys.map((k) => NUMERIC.has(k));
  let records = 0;
  let errors = 0;
  let bytes = 0;
  let pos = 0;
  const len = text.length;
  while (pos < len) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = len;
    const line = text.slice(pos, nl);
    pos = nl + 1;
    if (line.length === 0) continue;
    const parts = line.split(' ');
    if (parts[0] === 'version' || parts[0] === 'account-id') {
      keys = parts;
      numeric = keys.map((k) => NUMERIC.has(k));
      continue;
    }
    if (parts.length !== keys.length) {
      errors++;
      continue;
    }
    const rec = {};
    for (let i = 0; i < parts.length; i++) {
      const v = parts[i];
      rec[keys[i]] = v === '-' ? null : numeric[i] ? Number(v) : v;
    }
    records++;
    if (rec.bytes) bytes += rec.bytes;
  }
  return { records, errors, bytes };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// Runs `f` `reps` times (with `after` between runs, untimed); returns {seconds, min, value}.
function time(reps, f, after = () => {}) {
  const ts = [];
  let value;
  for (let i = 0; i < Math.max(1, reps); i++) {
    const t0 = performance.now();
    value = f();
    ts.push((performance.now() - t0) / 1000);
    after();
  }
  return { seconds: median(ts), min: Math.min(...ts), runs: ts.length, value };
}

// mod: the wasm-bindgen module of bench/wasm, initialised. data: the flow-log file's bytes.
export function runSuite({ engine, mod, data, rangesText, reps, lookups, log = () => {} }) {
  const out = [];
  const put = (bench, t, extra) => {
    const row = { engine, bench, seconds: t.seconds, min: t.min, runs: t.runs, ...extra };
    out.push(row);
    log(`${engine} ${bench}: ${(t.seconds * 1000).toFixed(1)} ms ${row.check || ''}`);
  };
  const bytes = data.length;
  const bench = new mod.Bench();
  // The page has the ip-ranges file's bytes (a fetch's or a dropped file's ArrayBuffer) and hands
  // them to WASM as they are; a page parsing JSON in JavaScript would have the text.
  const rangesBytes = new TextEncoder().encode(rangesText);
  bench.load_ranges(rangesBytes);
  // Warm-up on the first 2 MB, untimed: engines compile WASM in a baseline tier first and
  // optimize hot functions later; the figures are for the optimized code.
  bench.set_data(data.subarray(0, Math.min(data.length, 2 << 20)));
  bench.tokenize();
  bench.parse();
  bench.summary();
  bench.clear();
  bench.summary_reading();
  bench.parse_fields();
  bench.summary_fields();
  bench.clear();
  bench.parse_classify();
  bench.clear();
  bench.stream_classify();
  parseSplit(new TextDecoder().decode(data.subarray(0, data.indexOf(10, Math.min(data.length, 2 << 20) - 1) + 1 || data.length)));
  bench.set_data(data);

  let t = time(reps, () => bench.tokenize());
  const fields = t.value;
  put('tokenize', t, { records: 0, bytes, ops: fields, check: bench.check() });

  t = time(reps, () => bench.parse(), () => bench.clear());
  put('parse', t, { records: t.value, bytes, ops: t.value, check: bench.check() });
  const records = t.value;

  t = time(reps, () => bench.parse_classify(), () => bench.clear());
  put('parse_classify', t, { records: t.value, bytes, ops: t.value, check: bench.check() });

  t = time(reps, () => bench.stream_classify());
  put('stream_classify', t, { records: t.value, bytes, ops: t.value, check: bench.check() });

  // The page's Summary section: a pass over the decoded store, then the report.
  bench.parse();
  t = time(reps, () => bench.summary());
  put('summary', t, { records: t.value, bytes: 0, ops: t.value, check: bench.check() });

  // The filter bar and the list's sort over the same decoded store (issue 13's engine).
  for (const [name, expr] of FILTERS) {
    t = time(reps, () => bench.filter(expr));
    put(name, t, { records, bytes: 0, ops: records, check: bench.check() });
  }
  t = time(reps, () => bench.sort('bytes:desc'));
  put('sort_bytes', t, { records, bytes: 0, ops: records, check: bench.check() });
  bench.clear();

  // The page's two workers: the decode with each record's summary fields, then the summary
  // worker's part (from those fields).
  t = time(reps, () => bench.parse_fields(), () => bench.clear());
  put('parse_fields', t, { records: t.value, bytes, ops: t.value, check: bench.check() });
  bench.parse_fields();
  t = time(reps, () => bench.summary_fields());
  put('summary_fields', t, { records: t.value, bytes: 0, ops: t.value, check: bench.check() });
  bench.clear();

  // The same summary made while reading, keeping no record (the CLI's --summary).
  t = time(reps, () => bench.summary_reading());
  put('summary_reading', t, { records: t.value, bytes, ops: t.value, check: bench.check() });

  // Getting a string from the file's bytes (what a page does before any text-based parser).
  t = time(reps, () => new TextDecoder('utf-8').decode(data));
  const text = t.value;
  put('text_decode', t, { records: 0, bytes, ops: 0, check: `${text.length} chars` });

  t = time(reps, () => parseSplit(text));
  put('js_split', t, { records: t.value.records, bytes, ops: t.value.records, check: `${t.value.errors} errors` });

  // The page's real path: a string into Session.decode (UTF-8 copy into WASM, parse, report).
  if (mod.DecodeSession) {
    const session = new mod.DecodeSession();
    session.load_ip_ranges(rangesBytes, 'bench');
    t = time(reps, () => session.decode(text), () => session.decode(''));
    put('session_decode', t, { records: t.value.records, bytes, ops: t.value.records, check: `${t.value.errors} errors` });
    // The dropped-file path: the bytes fed in 1 MB parts (Session.begin/push/finish), as the
    // page's decoding worker feeds a file's slices.
    const PART = 1 << 20;
    t = time(reps, () => {
      session.begin();
      for (let i = 0; i < data.length; i += PART) session.push(data.subarray(i, i + PART));
      return session.finish();
    }, () => session.decode(''));
    put('session_stream', t, { records: t.value.records, bytes, ops: t.value.records, check: `${t.value.errors} errors` });
    // The page's filter bar on the session's records: the filter (and the view it keeps), the
    // summary of the records kept, the first screenful of the list, and the CSV export of them
    // taken out in 4 MB parts (the Blob's parts).
    session.decode(text);
    const [, issueExpr] = FILTERS[0];
    t = time(reps, () => session.select(issueExpr, '', 'en'));
    put('session_select', t, { records, bytes: 0, ops: records, check: `${t.value.count} kept` });
    session.select('action=REJECT', '', 'en');
    t = time(reps, () => session.view_overview('en', 10));
    put('session_summary_filtered', t, { records: session.view_len(), bytes: 0, ops: session.view_len(), check: `${session.view_len()} records summarised` });
    t = time(reps, () => session.view_rows(0, 50));
    put('session_list_rows', t, { records: 50, bytes: 0, ops: 50, check: `${t.value.length} rows` });
    t = time(reps, () => {
      session.export_begin('csv');
      let n = 0;
      for (let part; (part = session.export_next(4 << 20)) !== undefined;) n += part.length;
      return n;
    });
    put('session_export_csv', t, { records: session.view_len(), bytes: t.value, ops: session.view_len(), check: `${t.value} bytes of CSV` });
    session.free();
  }

  const rreps = reps * 5;
  t = time(rreps, () => JSON.parse(rangesText));
  put('json_parse_ranges', t, { records: 0, bytes: rangesText.length, ops: 1, check: `${t.value.prefixes.length} entries` });
  t = time(rreps, () => bench.load_ranges(rangesBytes));
  put('ranges_index', t, { records: 0, bytes: rangesBytes.length, ops: 1, check: `${t.value} prefixes` });

  bench.make_addrs(rangesText, lookups, 7);
  t = time(reps, () => bench.lookups());
  put('lookups', t, { records: 0, bytes: 0, ops: lookups, check: `${t.value} of ${lookups} in AWS` });

  bench.free();
  if (records === 0) throw new Error('no record decoded');
  return out;
}
