//! `flowlens`: decode and explain AWS VPC Flow Log records on the command line.
//!
//! Prints a readable breakdown of every record, or with `--json` one JSON object per record or
//! error line (NDJSON), in the shape the web page receives. A regular file is decoded whole first,
//! so that its records are explained with what the whole input tells, as in the page (each
//! interface's own address, the network-ACL hint); standard input, pipes and `--stream` are
//! explained line by line as they come (memory stays flat however large the input), without
//! those facts. `--count` and `--summary` always stream (`--summary` keeps no record: the
//! summary is made as the records are read), except `--summary --where`: the summary of the
//! records kept, each input read whole. `--where`, `--sort` and `--csv` select, order and
//! export the records of each input read whole, standard input included.

use flowlens::classify::aws::AwsRanges;
use flowlens::explain::{error_entry, record_entry, record_text, Context, Entry, Explain};
use flowlens::ingest::decode::{Counts, LineError, COUNT_LABELS};
use flowlens::ingest::pipeline::{FormatReport, Report, Sink, Stream};
use flowlens::ingest::shape::{Encoding, ShapeKind};
use flowlens::model::fields::FieldId;
use flowlens::model::format::Format;
use flowlens::model::record::RecordView;
use flowlens::overview::{self, Overview, Summariser};
use flowlens::query::{emit, Csv, Query, Sort};
use flowlens::store::{Budget, Decoded, Store};
use flowlens::text::escape::{for_terminal, TerminalWriter};
use flowlens::text::Lang;
use serde::Serialize;
use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;
use std::sync::Arc;

/// Prints a message on standard error with what came from the input (file names, quoted
/// lines, header fields) escaped for the terminal: no control character reaches it raw.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", for_terminal(&format!($($arg)*)))
    };
}

/// The bundled AWS ip-ranges.json snapshot (the same file the page falls back to).
const BUNDLED_IP_RANGES: &[u8] = include_bytes!("../../www/data/ip-ranges.json");

const USAGE: &str = "\
flowlens: decode and explain AWS VPC Flow Log records

Usage: flowlens [--json | --csv | --count | --summary] [--stream] [--lang en|ja]
                [--where EXPR] [--sort FIELD[:desc]]
                [--log-format FORMAT] [--ip-ranges FILE] [--top N]
                [--max-memory SIZE] [--keep N] [FILE...]
       flowlens --emit insights|athena [--where EXPR] [--lang en|ja] [--top N]
                [--ip-ranges FILE] [--log-format FORMAT] [FILE...]

Reads each FILE (standard input when none, or for '-') and explains every record.
A regular file is read whole first, so that its records are explained with what the
whole file tells (each interface's own address, the network-ACL hint), as in the page;
standard input and pipes are explained as they stream, without those.
  --json             one JSON object per record or bad line (NDJSON)
  --csv              the records as CSV (RFC 4180): every field of the input's formats,
                     then derived columns (scopes, AWS services and regions, service, ...)
  --where EXPR       only the records EXPR keeps, e.g.
                     'action=REJECT and dstport in (22, 3389) and not srcaddr in 10.0.0.0/8'
                     (the filter language is in the README); lines in error are left out
  --sort FIELD       order the records by start, end, bytes or packets (FIELD:desc for
                     the latest or largest first); lines in error follow them
                     (--where, --sort and --csv read each input whole, standard input too)
  --stream           explain files as they stream too (flat memory for huge files)
  --max-memory SIZE  memory for the records of an input read whole (default: 1G; K, M,
                     G: binary units). Past it, the first records are kept and explained;
                     the lines after them are still read and counted, and flowlens says
                     how many were kept (--stream and --summary cover every record)
  --keep N           keep at most the first N records of an input read whole
  -c, --count        print only the counts (and the shape and format found)
  -s, --summary      print the summary of all the records instead: totals, top talkers,
                     rejected traffic (its parts, sources by address, block and owner,
                     your most rejected addresses, scans), services, protocols, records
                     over time (with --json: one JSON object); with --where, the summary
                     of the records kept (each input read whole)
  --top N            rows per table of the summary (default: 10)
  --emit ENGINE      print the filter (--where) and the summary's main tables as a query
                     for AWS's engines instead: 'insights' (CloudWatch Logs Insights, a
                     VPC flow log group) or 'athena' (Athena SQL over AWS's table for flow
                     logs in S3, with its CREATE TABLE); AWS services and regions are
                     expanded into their prefixes from the ip-ranges; without FILE no input
                     is read (AWS's default format), with FILEs their format is used
  --lang en|ja       language of the explanations (default: en)
  --log-format FMT   the records' format: '${version} ${vpc-id} ...' or plain names
                     (default: a header line in the input, AWS's default formats,
                     or a format inferred from the values)
  --ip-ranges FILE   use this AWS ip-ranges.json instead of the bundled snapshot
  -h, --help         this help
  -V, --version      the version
";

/// The engine `--emit` writes for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Emit {
    Insights,
    Athena,
}

struct Options {
    emit: Option<Emit>,
    json: bool,
    csv: bool,
    /// The `--where` expression as given (parsed in `main`, once `--lang` is known).
    filter: Option<String>,
    sort: Option<Sort>,
    count: bool,
    summary: bool,
    stream: bool,
    top: usize,
    lang: Lang,
    ip_ranges: Option<String>,
    format: Option<Format>,
    /// What an input read whole may keep (`--max-memory`, `--keep`).
    budget: Budget,
    files: Vec<String>,
}

/// `1G`, `512M`, `100k`, `2000000`: bytes (binary units).
fn parse_size(v: &str) -> Option<u64> {
    let t = v.trim();
    let t = t.strip_suffix(['b', 'B']).unwrap_or(t);
    let t = t.strip_suffix(['i', 'I']).unwrap_or(t);
    let (num, shift) = match t.char_indices().last()? {
        (i, 'k' | 'K') => (&t[..i], 10),
        (i, 'm' | 'M') => (&t[..i], 20),
        (i, 'g' | 'G') => (&t[..i], 30),
        (i, 't' | 'T') => (&t[..i], 40),
        _ => (t, 0),
    };
    let n: f64 = num.trim().parse().ok()?;
    (n.is_finite() && n >= 0.0).then(|| (n * (1u64 << shift) as f64) as u64)
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut o = Options {
        emit: None,
        json: false,
        csv: false,
        filter: None,
        sort: None,
        count: false,
        summary: false,
        stream: false,
        top: overview::DEFAULT_TOP,
        lang: Lang::En,
        ip_ranges: None,
        format: None,
        budget: Budget::CLI,
        files: Vec::new(),
    };
    let mut args = args.peekable();
    while let Some(a) = args.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs {what}"))
        };
        match name.as_str() {
            "--emit" => {
                let v = value("an engine (insights or athena)")?;
                o.emit = Some(match v.to_ascii_lowercase().as_str() {
                    "insights" | "logs-insights" | "cloudwatch" => Emit::Insights,
                    "athena" | "sql" => Emit::Athena,
                    _ => return Err(format!("unknown engine '{v}': use insights or athena")),
                });
            }
            "--json" => o.json = true,
            "--csv" => o.csv = true,
            "--where" => o.filter = Some(value("an expression")?),
            "--sort" => {
                let v = value("a field (start, end, bytes or packets)")?;
                o.sort = Some(
                    v.parse()
                        .map_err(|e: flowlens::query::sort::SortError| e.to_string())?,
                );
            }
            "-c" | "--count" => o.count = true,
            "-s" | "--summary" => o.summary = true,
            "--stream" => o.stream = true,
            "--top" => {
                let v = value("a number of rows")?;
                o.top = v
                    .parse()
                    .map_err(|_| format!("--top needs a number of rows, not '{v}'"))?;
            }
            "--lang" => {
                let v = value("a language (en or ja)")?;
                o.lang = Lang::parse(&v)
                    .ok_or_else(|| format!("unknown language '{v}': use en or ja"))?;
            }
            "--ip-ranges" => o.ip_ranges = Some(value("a file")?),
            "--max-memory" => {
                let v = value("a size (e.g. 1G, 512M)")?;
                o.budget.bytes = parse_size(&v).ok_or_else(|| {
                    format!("--max-memory needs a size such as 1G or 512M, not '{v}'")
                })?;
            }
            "--keep" => {
                let v = value("a number of records")?;
                let n: u64 = v
                    .parse()
                    .map_err(|_| format!("--keep needs a number of records, not '{v}'"))?;
                o.budget.records = n.min(Budget::UNLIMITED.records);
            }
            "--log-format" => {
                let v = value("a format")?;
                o.format = Some(Format::parse_format_string(&v).map_err(|e| e.to_string())?);
            }
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("flowlens {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "--" => o.files.extend(args.by_ref()),
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option '{s}'")),
            _ => o.files.push(a),
        }
    }
    if o.emit.is_some() && (o.json || o.csv || o.count || o.summary || o.sort.is_some() || o.stream)
    {
        return Err(
            "--emit prints a query: not with --json, --csv, --count, --summary, --sort or --stream"
                .into(),
        );
    }
    if o.selects() {
        if o.stream {
            return Err(
                "--where, --sort and --csv read each input whole: not with --stream".into(),
            );
        }
        if o.summary && (o.sort.is_some() || o.csv) {
            return Err("--summary prints a summary: not with --sort or --csv".into());
        }
    }
    if o.csv && (o.json || o.count) {
        return Err("--csv prints the records as CSV: not with --json or --count".into());
    }
    Ok(Some(o))
}

impl Options {
    /// True when the records are selected, ordered or exported: each input is read whole.
    fn selects(&self) -> bool {
        self.filter.is_some() || self.sort.is_some() || self.csv
    }
}

/// What `--where`, `--sort` and `--csv` carry from one input to the next.
#[derive(Default)]
struct Selection {
    query: Option<Query>,
    /// Records kept by `--where`, over all inputs.
    matched: u64,
    /// The CSV header last written (a file of other formats starts with its own).
    csv_header: Option<String>,
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(Some(o)) => o,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            say!("flowlens: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // ip-ranges.json as bytes: the index is built from them (a file that is not UTF-8 is refused
    // with the place of its first bad byte), and the reason follows --lang.
    let ranges_bytes = match &opts.ip_ranges {
        None => BUNDLED_IP_RANGES.to_vec(),
        Some(path) => match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                say!("flowlens: cannot read {path}: {e}");
                return ExitCode::from(1);
            }
        },
    };
    let aws = match AwsRanges::parse_bytes(&ranges_bytes) {
        Ok(r) => r,
        Err(e) => {
            let path = opts
                .ip_ranges
                .as_deref()
                .unwrap_or("bundled ip-ranges.json");
            say!("flowlens: {path}: {}", e.message(opts.lang));
            return ExitCode::from(1);
        }
    };
    drop(ranges_bytes);
    let mut selection = Selection::default();
    if let Some(expr) = &opts.filter {
        match Query::parse(expr) {
            Ok(q) => selection.query = Some(q),
            Err(e) => {
                let caret = e.caret(expr).replace('\n', "\n  ");
                say!("flowlens: --where: {}\n  {caret}", e.message(opts.lang));
                return ExitCode::from(2);
            }
        }
    }
    if let Some(engine) = opts.emit {
        return emit(engine, &opts, &selection, &aws);
    }
    let aws = Arc::new(aws);
    let ctx = Context { aws: Some(&aws) };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let files = if opts.files.is_empty() {
        vec!["-".to_string()]
    } else {
        opts.files.clone()
    };
    let mut total = Counts::default();
    let mut failed = false;
    let mut summary = opts
        .summary
        .then(|| Overview::new().with_aws_ranges(Some(aws.clone())));
    for path in &files {
        let mut whole = false;
        let reader: Box<dyn Read> = if path == "-" {
            Box::new(io::stdin())
        } else {
            match std::fs::File::open(path) {
                Ok(f) => {
                    // A regular file has an end to wait for; a pipe or a device may not.
                    whole = f.metadata().is_ok_and(|m| m.is_file());
                    Box::new(f)
                }
                Err(e) => {
                    say!("flowlens: cannot read {path}: {e}");
                    failed = true;
                    continue;
                }
            }
        };
        let file = (files.len() > 1).then_some(path.as_str());
        let result = match &mut summary {
            Some(o) if selection.query.is_some() => {
                summarise_filtered(reader, file, &opts, &ctx, o, &mut total, &mut selection)
            }
            Some(o) => summarise_stream(reader, file, &opts, o, &mut total),
            None if opts.selects() || (whole && !opts.stream && !opts.count) => decode_whole(
                reader,
                file,
                &opts,
                &ctx,
                &mut out,
                &mut total,
                &mut selection,
            ),
            None => decode_stream(reader, file, &opts, &ctx, &mut out, &mut total),
        };
        match result {
            Ok(true) => {}
            Ok(false) => failed = true,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
            Err(e) => {
                say!("flowlens: {path}: {e}");
                failed = true;
            }
        }
    }
    if let Some(o) = &summary {
        let report = o.report(&ctx, opts.lang, opts.top);
        let written = if opts.json {
            serde_json::to_writer(&mut out, &report)
                .map_err(io::Error::from)
                .and_then(|_| out.write_all(b"\n"))
        } else {
            overview::write_text(&mut TerminalWriter::new(&mut out), &report)
        };
        if written.is_err() {
            return ExitCode::SUCCESS;
        }
    }
    if out.flush().is_err() {
        return ExitCode::SUCCESS;
    }
    let counts: Vec<String> = COUNT_LABELS
        .iter()
        .map(|(key, label)| {
            let mut count = format!("{} {}", total.get(key), label.get(opts.lang));
            if *key == "records" && total.problems > 0 {
                count.push_str(&match opts.lang {
                    Lang::En => format!(" ({} with problems)", total.problems),
                    Lang::Ja => format!("（うち問題のあるもの {} 件）", total.problems),
                });
            }
            count
        })
        .collect();
    say!(
        "flowlens: {}",
        counts.join(if opts.lang == Lang::Ja { "、" } else { ", " })
    );
    if selection.query.is_some() {
        let (matched, records) = (selection.matched, total.records);
        match opts.lang {
            Lang::En => say!("flowlens: {matched} of {records} records match"),
            Lang::Ja => {
                say!("flowlens: {records} 件のレコードのうち {matched} 件が条件に一致しました")
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--emit`: prints the query for `engine`; with files, for their format (the fields of the
/// formats their records have, in order).
fn emit(engine: Emit, opts: &Options, selection: &Selection, aws: &AwsRanges) -> ExitCode {
    let mut fields: Vec<FieldId> = Vec::new();
    let mut failed = false;
    for path in &opts.files {
        let reader: Box<dyn Read> = if path == "-" {
            Box::new(io::stdin())
        } else {
            match std::fs::File::open(path) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    say!("flowlens: cannot read {path}: {e}");
                    failed = true;
                    continue;
                }
            }
        };
        let decoded = match read_store(reader, opts) {
            Ok(d) => d,
            Err(e) => {
                say!("flowlens: {path}: {e}");
                failed = true;
                continue;
            }
        };
        for id in emit::input_fields(decoded.store()) {
            if !fields.contains(&id) {
                fields.push(id);
            }
        }
    }
    if failed {
        return ExitCode::from(1);
    }
    let o = emit::Options {
        aws: Some(aws),
        lang: opts.lang,
        fields: (!fields.is_empty()).then_some(fields.as_slice()),
        top: opts.top,
        source: opts.filter.as_deref(),
    };
    let expr = selection.query.as_ref().map(Query::expr);
    let text = match engine {
        Emit::Insights => emit::insights(expr, &o),
        Emit::Athena => emit::athena(expr, &o),
    };
    let mut out = io::stdout().lock();
    if out
        .write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return ExitCode::SUCCESS;
    }
    ExitCode::SUCCESS
}

/// Prints each decoded line as it comes.
struct Printer<'a, W: Write> {
    out: &'a mut W,
    file: Option<&'a str>,
    json: bool,
    quiet: bool,
    lang: Lang,
    ctx: &'a Context<'a>,
    failed: Option<io::Error>,
}

impl<'a, W: Write> Printer<'a, W> {
    /// A printer of `file`'s entries as `opts` asks (nothing but the counts when `quiet`).
    fn new(
        out: &'a mut W,
        file: Option<&'a str>,
        opts: &Options,
        ctx: &'a Context<'a>,
        quiet: bool,
    ) -> Self {
        Printer {
            out,
            file,
            json: opts.json,
            quiet,
            lang: opts.lang,
            ctx,
            failed: None,
        }
    }

    fn emit(&mut self, entry: &Entry) {
        if self.failed.is_some() || self.quiet {
            return;
        }
        let result = if self.json {
            let entry = InFile {
                entry,
                file: self.file,
            };
            serde_json::to_writer(&mut *self.out, &entry)
                .map_err(io::Error::from)
                .and_then(|_| self.out.write_all(b"\n"))
        } else {
            write_readable(
                &mut TerminalWriter::new(&mut *self.out),
                entry,
                self.file,
                self.lang,
            )
        };
        if let Err(e) = result {
            self.failed = Some(e);
        }
    }
}

impl<W: Write> Sink for Printer<'_, W> {
    fn record(&mut self, number: u64, record: &RecordView<'_>, formats: &[Format]) {
        if self.quiet {
            return;
        }
        let Some(rec) = record.with(formats) else {
            return;
        };
        let written;
        let raw = match record.raw {
            Some(raw) => raw,
            None => {
                written = record_text(record.values);
                &written
            }
        };
        let entry = record_entry(number, raw, &rec, self.ctx, self.lang);
        self.emit(&entry);
    }

    fn error(&mut self, error: &LineError, raw: &str) {
        if self.quiet {
            return;
        }
        let entry = error_entry(error, raw, self.lang);
        self.emit(&entry);
    }
}

fn decode_stream(
    reader: Box<dyn Read>,
    file: Option<&str>,
    opts: &Options,
    ctx: &Context<'_>,
    out: &mut impl Write,
    total: &mut Counts,
) -> io::Result<bool> {
    let printer = Printer::new(out, file, opts, ctx, opts.count);
    let mut stream = Stream::new(opts.format.clone(), printer);
    pump(reader, &mut stream, |s| match s.ingest.sink.failed.take() {
        Some(e) => Err(e),
        None => Ok(()),
    })?;
    let report = stream.finish();
    if let Some(e) = stream.ingest.sink.failed.take() {
        return Err(e);
    }
    tell(&report, file, opts.lang, total);
    Ok(report.input_error.is_none())
}

/// Reads a whole file into the store, then prints its entries explained with what the whole
/// input tells ([`Explain::entry_json`]: each interface's own address, the network-ACL hint), as
/// the page shows them; with `--where` / `--sort` the records kept, in order (with `--sort`
/// alone, the lines in error after them), or with `--csv` the records as CSV.
fn decode_whole(
    reader: Box<dyn Read>,
    file: Option<&str>,
    opts: &Options,
    ctx: &Context<'_>,
    out: &mut impl Write,
    total: &mut Counts,
    selection: &mut Selection,
) -> io::Result<bool> {
    let decoded = read_store(reader, opts)?;
    tell(decoded.report(), file, opts.lang, total);
    let ok = decoded.report().input_error.is_none();
    let store = decoded.store();
    let rows: Vec<u32> = if opts.selects() {
        let mut rows = match &selection.query {
            Some(q) => q.filter(&decoded, ctx.aws),
            None => flowlens::query::record_rows(store),
        };
        selection.matched += rows.len() as u64;
        if let Some(sort) = opts.sort {
            sort.apply(store, &mut rows);
        }
        if selection.query.is_none() && !opts.csv {
            rows.extend((0..store.len() as u32).filter(|i| store.format_of(*i as usize).is_none()));
        }
        rows
    } else {
        (0..store.len() as u32).collect()
    };
    if opts.count {
        return Ok(ok);
    }
    if opts.csv {
        let csv = Csv::new(&decoded, ctx.aws, file);
        let header = csv.header();
        if selection.csv_header.as_ref() != Some(&header) {
            csv.write_header(out)?;
            selection.csv_header = Some(header);
        }
        csv.write_rows(out, &rows)?;
        return Ok(ok);
    }
    let mut printer = Printer::new(out, file, opts, ctx, false);
    for i in rows {
        if let Some(entry) = decoded.entry_json(i as usize, ctx, opts.lang) {
            printer.emit(&entry);
        }
        if let Some(e) = printer.failed.take() {
            return Err(e);
        }
    }
    Ok(ok)
}

/// Reads all of `reader` into the packed store (and the whole-input facts).
fn read_store(reader: Box<dyn Read>, opts: &Options) -> io::Result<Decoded> {
    let mut stream = Stream::new(opts.format.clone(), Store::with_budget(opts.budget));
    pump(reader, &mut stream, |_| Ok(()))?;
    Ok(Decoded::from_stream(stream))
}

/// Feeds all of `reader` to `stream` in 64 KiB chunks, running `check` after each (a printer
/// reports a write error through it); stops early once the input has proved unreadable.
fn pump<S: Sink>(
    mut reader: Box<dyn Read>,
    stream: &mut Stream<S>,
    mut check: impl FnMut(&mut Stream<S>) -> io::Result<()>,
) -> io::Result<()> {
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        stream.push(&buf[..n]);
        check(stream)?;
        if stream.is_failed() {
            return Ok(());
        }
    }
}

/// Adds the records of a file to the summary as they are read, keeping none of them (memory
/// stays bounded whatever the file's size).
fn summarise_stream(
    reader: Box<dyn Read>,
    file: Option<&str>,
    opts: &Options,
    summary: &mut Overview,
    total: &mut Counts,
) -> io::Result<bool> {
    let mut stream = Summariser::stream_into(opts.format.clone(), std::mem::take(summary));
    let pumped = pump(reader, &mut stream, |_| Ok(()));
    let (report, overview) = Summariser::finish(stream);
    *summary = overview;
    pumped?;
    tell(&report, file, opts.lang, total);
    Ok(report.input_error.is_none())
}

/// Adds the records of a file that `--where` keeps to the summary: the file is read whole (the
/// filter consults what the whole input tells), the summary is that of the records kept, with
/// the whole input's interfaces and their own addresses.
fn summarise_filtered(
    reader: Box<dyn Read>,
    file: Option<&str>,
    opts: &Options,
    ctx: &Context<'_>,
    summary: &mut Overview,
    total: &mut Counts,
    selection: &mut Selection,
) -> io::Result<bool> {
    let decoded = read_store(reader, opts)?;
    tell(decoded.report(), file, opts.lang, total);
    let rows = match &selection.query {
        Some(q) => q.filter(&decoded, ctx.aws),
        None => flowlens::query::record_rows(decoded.store()),
    };
    selection.matched += rows.len() as u64;
    summary.add_rows(&decoded, &rows);
    Ok(decoded.report().input_error.is_none())
}

/// Says on standard error what the input was (its shape when not plain lines, an input error, a
/// guessed format) and adds its counts to `total`.
fn tell(report: &Report, file: Option<&str>, lang: Lang, total: &mut Counts) {
    let place = file.map(|f| format!("{f}: ")).unwrap_or_default();
    let s = &report.shape;
    let refused = s.kind == ShapeKind::Empty && report.input_error.is_some();
    if !refused && s.kind != ShapeKind::Lines
        || s.gzip
        || s.base64
        || s.timestamp_prefix
        || s.encoding != Encoding::Utf8
        || !s.notes.is_empty()
    {
        let read = match lang {
            Lang::En => "read as",
            Lang::Ja => "入力の形:",
        };
        say!("flowlens: {place}{read} {}", report.shape.describe(lang));
    }
    if let Some(err) = &report.input_error {
        let msg = err.message(lang);
        say!("flowlens: {place}{msg}");
    }
    report_format(&report.format, file, lang);
    if let Some(kept) = &report.kept {
        say!("flowlens: {place}{}", kept_text(kept, lang));
    }
    let c = report.counts;
    for key in ["lines", "records", "headers", "blank", "ignored", "errors"] {
        let add = c.get(key);
        match key {
            "lines" => total.lines += add,
            "records" => {
                total.records += add;
                total.problems += c.problems;
            }
            "headers" => total.headers += add,
            "blank" => total.blank += add,
            "ignored" => total.ignored += add,
            _ => total.errors += add,
        }
    }
}

/// What the CLI says of an input larger than its budget: which records it kept, and how to
/// see every record.
fn kept_text(kept: &flowlens::ingest::pipeline::Kept, lang: Lang) -> String {
    use flowlens::text::number::grouped;
    let (n, total, line) = (
        grouped(kept.records),
        grouped(kept.total),
        grouped(kept.last_line),
    );
    let budget = kept.budget_text(lang);
    match lang {
        Lang::En => format!(
            "kept the first {n} records (to line {line}; {budget}, see --max-memory and --keep); the counts cover all {total}. The records after line {line} were read and counted but not printed, selected or exported: --stream explains every record, --summary summarises them all."
        ),
        Lang::Ja => format!(
            "先頭の {n} 件のレコード（{line} 行目まで。{budget}。--max-memory と --keep を参照）を保持しました。件数はすべての {total} 件を数えています。{line} 行目より後のレコードは読んで数えましたが、表示・選択・出力はしていません。すべてのレコードの説明は --stream、すべての概要は --summary で得られます。"
        ),
    }
}

/// Says on standard error when the format was a guess (how sure, what it could not tell apart,
/// what else fits, which lines contradict it), or why no format was guessed.
fn report_format(report: &FormatReport, file: Option<&str>, lang: Lang) {
    let Some(inf) = &report.inferred else {
        if let Some(refused) = &report.refused {
            let place = file.map(|f| format!("{f}: ")).unwrap_or_default();
            let msg = &refused.message[usize::from(lang == Lang::Ja)];
            say!("flowlens: {place}{msg}");
        }
        return;
    };
    let place = file.map(|f| format!("{f}: ")).unwrap_or_default();
    let format = report.format.as_deref().unwrap_or("");
    match lang {
        Lang::En => say!(
            "flowlens: {place}no header line and not the default format; guessed from {} lines (use --log-format to set it):\n  {format}",
            inf.sample
        ),
        Lang::Ja => say!(
            "flowlens: {place}ヘッダー行がなくデフォルト形式でもないため、{} 行から形式を推定しました（--log-format で指定できます）:\n  {format}",
            inf.sample
        ),
    }
    for a in &inf.ambiguous {
        let cols: Vec<String> = a.columns.iter().map(|c| (c + 1).to_string()).collect();
        let also = if a.alternatives.is_empty() {
            String::new()
        } else {
            format!(" (or {})", a.alternatives.join(", "))
        };
        match lang {
            Lang::En => say!(
                "  columns {} cannot be told apart by their values: assumed {}{also}",
                cols.join(", "),
                a.assumed.join(", ")
            ),
            Lang::Ja => say!(
                "  {} 列目は値から区別できません: {} と仮定{also}",
                cols.join("、"),
                a.assumed.join("、")
            ),
        }
    }
    for note in &inf.notes {
        say!("  {}", note[usize::from(lang == Lang::Ja)]);
    }
}

/// An entry as `--json` prints it: with `file` last when several files are given (the entry's
/// own keys first, as the page has them).
#[derive(Serialize)]
struct InFile<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
}

/// An entry as readable text: the summary, the hints, then each field's raw token and
/// explanation in aligned columns; printed from the same entry `--json` serializes.
fn write_readable(
    out: &mut impl Write,
    entry: &Entry,
    file: Option<&str>,
    lang: Lang,
) -> io::Result<()> {
    let line = entry.line();
    let place = match (file, lang) {
        (Some(f), Lang::En) => format!("{f}, line {line}"),
        (None, Lang::En) => format!("line {line}"),
        (Some(f), Lang::Ja) => format!("{f} {line} 行目"),
        (None, Lang::Ja) => format!("{line} 行目"),
    };
    let rec = match entry {
        Entry::Error(e) => {
            writeln!(out, "{place}: ERROR {}", e.error)?;
            writeln!(out, "    {}\n", e.raw)?;
            return Ok(());
        }
        Entry::Record(r) => r,
    };
    writeln!(out, "{place}: {}", rec.summary)?;
    // The fields whose values do not fit them, then what the record means as a whole (a scan, a
    // network ACL, NODATA ...), as the page says them.
    for p in &rec.problems {
        writeln!(
            out,
            "  ⚠ {} ({}): {}",
            p.severity.label().get(lang),
            p.code.key(),
            p.message
        )?;
    }
    for h in &rec.hints {
        writeln!(out, "  [{}] {}", h.key.key(), h.text)?;
    }
    let ann = &rec.annotations;
    let key_w = ann.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let raw_w = ann
        .iter()
        .map(|(_, a)| a.raw.chars().count())
        .max()
        .unwrap_or(0);
    for (key, a) in ann.iter() {
        writeln!(out, "  {key:<key_w$}  {:<raw_w$}  {}", a.raw, a.text)?;
    }
    writeln!(out)
}
