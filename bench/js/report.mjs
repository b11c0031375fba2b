// Turns the measurements of one benchmark run (JSON lines from every runner) into the markdown
// results: every figure, then the targets as ratios of figures measured in the same run.
// Usage: node bench/js/report.mjs RESULTS.jsonl META.json OUT.md [PROFILE.txt]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const [rowsPath, metaPath, outPath, profilePath] = process.argv.slice(2);
const rows = readFileSync(rowsPath, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const meta = JSON.parse(readFileSync(metaPath, 'utf8'));

const LABELS = {
  tokenize: 'bare tokenizer (count lines + fields, memchr): the floor',
  parse: 'flowlens parse only (`Decoded::decode`: typed values into the packed store)',
  parse_classify: 'flowlens parse + full classification (scope ×2+, AWS match, protocol, port services, client/server roles; read back from the store)',
  stream_classify: 'flowlens parse + classification in one pass (a `Sink`, no store)',
  summary: 'the Summary section: a pass over the decoded store (totals, top talkers, services, rejected sources, timeline) + its report',
  parse_fields: 'flowlens parse as the page\'s decoding worker (into the store, each record\'s summary fields written for the summary worker)',
  summary_filtered: 'the Summary of a filtered set: filter `action=REJECT` over the decoded store, then the overview over the rows kept (AWS\'s ranges at tally time) + its report',
  summary_fields: 'the page\'s summary worker: the Summary section from the decoding worker\'s fields + its report',
  summary_reading: 'the Summary section made while reading the input, keeping no record (`Summariser`, as the CLI\'s `--summary`) + its report',
  parse_gzip: 'flowlens parse only, from the .gz file',
  text_decode: '`TextDecoder` bytes → string (before any JS parser)',
  js_split: 'JavaScript `split` parser, one object per line',
  session_decode: '`DecodeSession.decode(text)`: the page\'s entry point (string copied in, parse, report)',
  session_stream: '`DecodeSession.begin/push/finish`: the dropped-file entry point (bytes in 1 MB parts)',
  filter_reject_ports: 'filter `action=REJECT and dstport in (22, 3389) and not srcaddr in 10.0.0.0/8` over the decoded store',
  filter_aws_s3: 'filter `aws.service=S3` (both addresses looked up in AWS\'s ranges) over the decoded store',
  filter_text: 'filter `"eni-0" and from_internet` (free text over every value) over the decoded store',
  session_select: 'the page\'s filter: `DecodeSession.select` with the issue example (the filter and the view it keeps)',
  session_summary_filtered: 'the page\'s Summary of a filtered set: `DecodeSession.view_overview` over the `action=REJECT` records',
  session_list_rows: 'a screenful of the record list: `DecodeSession.view_rows(0, 50)`',
  session_export_csv: 'the CSV export of the `action=REJECT` records, taken in 4 MB parts (`export_begin`/`export_next`)',
  sort_bytes: 'sort every record by `bytes:desc` (stable)',
  json_parse_ranges: 'ip-ranges.json: plain JSON parse (`JSON.parse` / `serde_json::Value`)',
  ranges_index: 'ip-ranges.json: `AwsRanges::parse` (parse + index)',
  lookups: '`AwsRanges::lookup` (mixed sample, ~50% AWS, 5% IPv6)',
  vrl_parse: 'Vector VRL `parse_aws_vpc_flow_log!` (compiled program, one event per line)',
  flowlogs_reader: 'Python flowlogs-reader (`csv.DictReader` + `FlowRecord`, as its S3 reader)',
  awsipranges_load: 'Python awsipranges: build the collection from ip-ranges.json',
  awsipranges_lookups: 'Python awsipranges `.get(addr)`',
  page_first_rows: 'the file dropped on the page → first rows painted in `#results` (with the counts and "Decoded …")',
  page_summary: 'the file dropped on the page → full summary painted (the Summary section: mark `flowlens:summary`)',
  page_worker_decode: 'the decoding worker\'s `decodeFile`: the 4 MB slices the page sends + `DecodeSession.push` + `finish` (part of the above)',
  page_longest_task: 'longest main-thread task from the drop until the first 200 entries are in (`longtask` entries)',
  page_peak_memory: 'peak memory: JS heap + array buffers of the page and its workers + the workers\' WASM memories',
};
const ENGINES = { native: 'native', node: 'WASM/JS in Node', chromium: 'WASM/JS in Chromium', page: 'the page in Chromium', vrl: 'native (VRL)', python: 'CPython' };

const get = (engine, bench) => rows.find((r) => r.engine === engine && r.bench === bench);
const recRate = (r) => r && r.records > 0 ? r.records / r.seconds : NaN;
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const si = (x) => (!Number.isFinite(x) ? 'n/a' : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
const ms = (s) => (s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms`);

const mbytes = (b) => `${(b / 1e6).toFixed(1)} MB`;

function throughput(r) {
  if (r.unit === 'bytes') return `${fmt(r.value / r.bytes, 2)}× the input (${mbytes(r.bytes)})`;
  if (r.bench === 'page_longest_task') return '';
  if (r.bench === 'lookups' || r.bench === 'awsipranges_lookups') return `${si(r.ops / r.seconds)} lookups/s`;
  if (r.bench.includes('ranges') || r.bench === 'awsipranges_load') return '';
  const parts = [];
  if (r.records > 0 && r.bench !== 'tokenize') parts.push(`${si(r.records / r.seconds)} rec/s`);
  if (r.bench === 'tokenize' && r.records > 0) parts.push(`${si(r.records / r.seconds)} lines/s`);
  if (r.bytes > 0) parts.push(`${fmt(r.bytes / r.seconds / 1e6, 0)} MB/s`);
  return parts.join(', ');
}

function vsFloor(r) {
  const floor = get(r.engine, 'tokenize');
  if (!floor || !(r.bytes > 0) || r.bench === 'tokenize' || r.bench.includes('ranges')) return '';
  if (r.bytes !== floor.bytes) return '';
  return `${fmt((100 * floor.seconds) / r.seconds, 1)}%`;
}

const lines = [];
const say = (s = '') => lines.push(s);
say('# flowlens benchmark results');
say();
say(`Generated by \`scripts/bench.sh${meta.args ? ' ' + meta.args : ''}\` on ${meta.date} — ${meta.machine}.`);
say(`flowlens at \`${meta.commit}\`; input \`${meta.data}\`: ${meta.records.toLocaleString('en')} records, ${fmt(meta.bytes / 1e6, 1)} MB (${meta.mix}).`);
say('The machine is shared with other builds: absolute figures are noisy; compare the ratios, which come from one run. Each figure is the median of the runs shown.');
say();
say('## Measurements');
say();
say('| engine | measurement | median | runs | throughput | speed vs the floor (same engine) | check |');
say('|---|---|---:|---:|---|---:|---|');
for (const engine of ['native', 'node', 'chromium', 'page', 'vrl', 'python']) {
  for (const r of rows.filter((x) => x.engine === engine)) {
    // The longtask API sees only tasks over 50 ms: 0 is "none of them".
    const median = r.unit === 'bytes' ? mbytes(r.value) : r.bench === 'page_longest_task' && r.seconds === 0 ? 'none > 50 ms' : ms(r.seconds);
    say(`| ${ENGINES[engine]} | ${LABELS[r.bench] || r.bench} | ${median} | ${r.runs ?? 1} | ${throughput(r)} | ${vsFloor(r)} | ${r.check ?? (r.errors !== undefined ? `${r.errors} errors` : '')} |`);
  }
}
say();

// Targets: ratios of figures from this run.
const targets = [];
const target = (name, engine, value, want, higherIsBetter, unit = '×') => {
  if (!Number.isFinite(value)) {
    targets.push(`| ${name} | ${engine} | not measured | ${want}${unit} | – |`);
    return;
  }
  const met = higherIsBetter ? value >= want : value <= want;
  const shortBy = higherIsBetter ? want / value : value / want;
  const shown = unit === '%' ? `${fmt(value * 100, 1)}%` : unit === '/s' ? `${si(value)}/s` : unit === 's' ? (value === 0 ? 'none > 50 ms' : ms(value)) : `${fmt(value, 2)}×`;
  const wantShown = unit === '%' ? `≥ ${want * 100}%` : unit === '/s' ? `≥ ${si(want)}/s` : unit === 's' ? `≤ ${ms(want)}` : `${higherIsBetter ? '≥' : '≤'} ${want}×`;
  targets.push(`| ${name} | ${engine} | ${shown} | ${wantShown} | ${met ? 'met' : `**missed** (${fmt(shortBy, shortBy < 1.5 ? 2 : 1)}× short)`} |`);
};
for (const e of ['chromium', 'node']) {
  const full = get(e, 'parse_classify');
  const eng = ENGINES[e];
  if (!full) continue;
  target('full decode with classification vs bare tokenizer (bytes/s)', eng, get(e, 'tokenize')?.seconds / full.seconds, 0.25, true, '%');
  target('full decode vs JS split parser (records/s)', eng, get(e, 'js_split')?.seconds / full.seconds, 4, true);
  target('`DecodeSession.decode` (paste) vs JS split parser (records/s)', eng, get(e, 'js_split')?.seconds / get(e, 'session_decode')?.seconds, 4, true);
  target('`DecodeSession.begin/push/finish` (file) vs JS split parser (records/s)', eng, get(e, 'js_split')?.seconds / get(e, 'session_stream')?.seconds, 4, true);
  target('full decode vs VRL native (records/s)', eng, recRate(full) / recRate(get('vrl', 'vrl_parse')), 5, true);
  target('full decode vs flowlogs-reader (records/s)', eng, recRate(full) / recRate(get('python', 'flowlogs_reader')), 30, true);
  target('filter over the records, the issue example (time)', eng, get(e, 'filter_reject_ports')?.seconds, 0.1, false, 's');
  target('page filter (`DecodeSession.select`), the issue example (time)', eng, get(e, 'session_select')?.seconds, 0.1, false, 's');
  target('summary of a filtered set (`DecodeSession.view_overview`, action=REJECT) (time)', eng, get(e, 'session_summary_filtered')?.seconds, 0.3, false, 's');
  target('ip-ranges index build vs JSON.parse of the same text (time)', eng, get(e, 'ranges_index')?.seconds / get(e, 'json_parse_ranges')?.seconds, 1, false);
  const lk = get(e, 'lookups');
  target('AWS lookups per second', eng, lk ? lk.ops / lk.seconds : NaN, 10e6, true, '/s');
}
// The page, end to end (bench/js/page-bench.mjs): the same file dropped on the real page.
const pageSummary = get('page', 'page_summary');
if (pageSummary) {
  const eng = ENGINES.page;
  target('page: full summary vs the WASM decode alone (`DecodeSession.decode`, Chromium) (time)', eng, pageSummary.seconds / get('chromium', 'session_decode')?.seconds, 1.5, false);
  target('page: longest main-thread task while decoding', eng, get('page', 'page_longest_task')?.seconds, 0.05, false, 's');
  const mem = get('page', 'page_peak_memory');
  target('page: peak memory vs the uncompressed input size', eng, mem ? mem.value / mem.bytes : NaN, 1.5, false);
}
const nfull = get('native', 'parse_classify');
if (nfull) {
  target('(reference) native full decode vs native tokenizer (bytes/s)', 'native', get('native', 'tokenize')?.seconds / nfull.seconds, 0.25, true, '%');
  target('(reference) native index build vs serde_json::Value parse (time)', 'native', get('native', 'ranges_index')?.seconds / get('native', 'json_parse_ranges')?.seconds, 1, false);
}
say('## Targets');
say();
say('| target | engine | measured | target | status |');
say('|---|---|---:|---:|---|');
targets.forEach((t) => say(t));
say();
if (profilePath && existsSync(profilePath)) {
  say('## Profile (callgrind, native, parse + classification)');
  say();
  say('Instruction counts (deterministic, unlike the times above); inclusive share of the whole run. Regenerate with `scripts/bench.sh --profile`.');
  say();
  say('```text');
  say(readFileSync(profilePath, 'utf8').trimEnd());
  say('```');
  say();
}
if (meta.notes && existsSync(meta.notes)) {
  say(readFileSync(meta.notes, 'utf8').trimEnd());
  say();
}
const md = lines.join('\n');
writeFileSync(outPath, md + '\n');
process.stdout.write(md + '\n');
