//! The format decision and the seam where decoded lines leave the ingest stage.
//!
//! The format is settled once, from the first lines: a format the user gave, a header line, AWS's
//! default formats, or, when those do not fit, a format inferred from the values (a guess, reported
//! as such). Lines wait in a small buffer until then, so input can stream in chunks. Every line
//! then goes to a [`Sink`]: a record (its values borrowed from the line), or an error with its text.

use crate::ingest::decode::{Counts, Decoder, Line, LineError, LineKind, Outcome, Problem};
use crate::ingest::infer::{
    infer_lines, row_fits, Ambiguity, Certainty, Inference, Named, Refusal, MAX_LISTED,
};
use crate::ingest::shape::{ShapeErrorKind, ShapeReport, Unwrapped, Unwrapper, WrapperProblem};
use crate::model::fields::FieldId;
use crate::model::format::{Column, Format, FormatOrigin};
use crate::model::record::RecordView;
use crate::model::tokens::tokens;
use crate::model::value::ValueRef;
use crate::text::Lang;
use serde::Serialize;

/// Where decoded lines go: the store, the streaming summary, the CLI's printer.
pub trait Sink {
    /// A record of line `number`, its values borrowed from the line; `formats[record.format]` is
    /// its format.
    fn record(&mut self, number: u64, record: &RecordView<'_>, formats: &[Format]);
    /// A line that could not be decoded, with its text.
    fn error(&mut self, error: &LineError, raw: &str);
}

/// Two sinks fed the same lines, in order (the page's decoding worker keeps the records and
/// writes the summary worker's hand-off at once).
impl<A: Sink, B: Sink> Sink for (A, B) {
    #[inline]
    fn record(&mut self, number: u64, record: &RecordView<'_>, formats: &[Format]) {
        self.0.record(number, record, formats);
        self.1.record(number, record, formats);
    }

    fn error(&mut self, error: &LineError, raw: &str) {
        self.0.error(error, raw);
        self.1.error(error, raw);
    }
}

/// A sink that may be left out (`None` takes nothing).
impl<S: Sink> Sink for Option<S> {
    #[inline]
    fn record(&mut self, number: u64, record: &RecordView<'_>, formats: &[Format]) {
        if let Some(s) = self {
            s.record(number, record, formats);
        }
    }

    fn error(&mut self, error: &LineError, raw: &str) {
        if let Some(s) = self {
            s.error(error, raw);
        }
    }
}

/// Longest raw line a sink needs to keep of an error (longer ones are cut, and say so).
pub const ERROR_RAW_KEPT: usize = 4096;

/// Lines waiting for the format decision: at most this many non-blank lines...
const SETTLE_LINES: usize = 64;
/// ...or this many bytes (each waiting line counts [`PENDING_COST`] more than its text, so that
/// millions of short wrapper lines cannot pile up either).
const SETTLE_BYTES: usize = 1 << 20;
/// What a waiting line costs beyond its text.
const PENDING_COST: usize = 32;
/// An inferred format must fit at least this share of the sample's values.
const MIN_INFERENCE_FIT: f64 = 0.9;

/// How the format of the input was decided, for the page and the CLI to show.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FormatReport {
    /// Origin of the format the first records were read with.
    pub origin: Option<FormatOrigin>,
    /// Its fields, as AWS's format string.
    pub format: Option<String>,
    /// Present when the format was inferred: a guess.
    pub inferred: Option<InferenceReport>,
    /// Present when the lines matched no format and no guess was good enough to make.
    pub refused: Option<RefusalReport>,
}

/// Why no format was guessed.
#[derive(Clone, Debug, Serialize)]
pub struct RefusalReport {
    /// The reason, as data.
    pub reason: Refusal,
    /// The reason and what to do, as `[English, Japanese]`.
    pub message: [String; 2],
}

/// What the inference found.
#[derive(Clone, Debug, Serialize)]
pub struct InferenceReport {
    /// Lines the guess was made from.
    pub sample: usize,
    /// Share of the sample's values that fit (0.0-1.0).
    pub fit: f64,
    /// How sure the guess is: `certain`, `likely` or `weak`.
    pub certainty: Certainty,
    /// The AWS format it is, when it is a named one.
    pub named: Option<Named>,
    /// Columns the values cannot tell apart.
    pub ambiguous: Vec<Ambiguity>,
    /// Columns (0-based) holding only `-` in the sample.
    pub dashes: Vec<usize>,
    /// Other formats that fit as well, as field names separated by spaces.
    pub alternatives: Vec<String>,
    /// Lines (by number) that contradict the guess: in the sample, then lines after it that
    /// are errors under it (the first [`MAX_LISTED`]).
    pub contradicting: Vec<u64>,
    /// How many lines contradict it in all.
    pub contradicting_count: u64,
    /// The guess in sentences (certainty and why, doubts, alternatives, contradicting lines),
    /// each as `[English, Japanese]`.
    pub notes: Vec<[String; 2]>,
}

/// The ingest pipeline: lines in, decoded lines to a [`Sink`], every line counted.
#[derive(Debug)]
pub struct Ingest<S: Sink> {
    decoder: Decoder,
    settled: bool,
    pending: Vec<(u64, PendingLine)>,
    pending_bytes: usize,
    pending_nonblank: usize,
    counts: Counts,
    report: FormatReport,
    /// The guess in force, when the format was inferred.
    inference: Option<Inference>,
    /// Lines contradicting the guess beyond the ones listed in it.
    later_contradicting: u64,
    /// The values of the line being decoded (reused from line to line; empty between lines).
    values: Vec<ValueRef<'static>>,
    /// The files of an input read as several: each one's first line number and its counts (empty
    /// for an input read as one).
    sources: Vec<(u64, Counts)>,
    /// Where decoded lines go.
    pub sink: S,
}

#[derive(Debug)]
enum PendingLine {
    Text(String),
    /// A run of blank lines (a zip bomb of line ends must not take memory per line).
    Blank(u64),
    /// A run of wrapper lines with no record.
    Ignored(u64),
    Error(WrapperProblem, String),
}

impl<S: Sink> Ingest<S> {
    /// A pipeline; `format` is the user's format, if they gave one (otherwise it is decided from
    /// the first lines).
    pub fn new(format: Option<Format>, sink: S) -> Ingest<S> {
        let settled = format.is_some();
        let mut report = FormatReport::default();
        if let Some(f) = &format {
            report.origin = Some(f.origin);
            report.format = Some(f.format_string());
        }
        Ingest {
            decoder: format.map(Decoder::with_format).unwrap_or_default(),
            settled,
            pending: Vec::new(),
            pending_bytes: 0,
            pending_nonblank: 0,
            counts: Counts::default(),
            report,
            inference: None,
            later_contradicting: 0,
            values: Vec::new(),
            sources: Vec::new(),
            sink,
        }
    }

    /// Line counts so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// How the format was decided.
    pub fn format_report(&self) -> &FormatReport {
        &self.report
    }

    /// The decoder (and the formats it has seen).
    pub fn decoder(&self) -> &Decoder {
        &self.decoder
    }

    /// The next file of an input read as several starts at line `first_line` (line numbers run
    /// on from file to file): from here on, its lines are counted for it too
    /// ([`Ingest::source_counts`]). The format stays as it is.
    pub fn start_source(&mut self, first_line: u64) {
        self.sources.push((first_line, Counts::default()));
    }

    /// The counts of each file begun with [`Ingest::start_source`], with its first line number.
    pub fn source_counts(&self) -> &[(u64, Counts)] {
        &self.sources
    }

    /// Counts `n` lines of `outcome` from line `number` on, in all and for the file they are in.
    #[inline]
    fn tally(&mut self, number: u64, outcome: Outcome, n: u64) {
        self.counts.add(outcome, n);
        if let Some(c) = source_of(&mut self.sources, number) {
            c.add(outcome, n);
        }
    }

    /// Line `number` of the input, without its line end.
    pub fn line(&mut self, number: u64, text: &str) {
        if self.settled {
            self.decode(number, text);
            return;
        }
        if is_blank(text) {
            self.pending_run(number, PendingLine::Blank(1));
            return;
        }
        self.pending_nonblank += 1;
        self.pending_bytes += text.len();
        self.wait(number, PendingLine::Text(text.to_string()));
    }

    /// Keeps a line until the format is settled; settles when enough has waited.
    fn wait(&mut self, number: u64, line: PendingLine) {
        self.pending_bytes += PENDING_COST;
        self.pending.push((number, line));
        if self.pending_nonblank >= SETTLE_LINES || self.pending_bytes >= SETTLE_BYTES {
            self.settle();
        }
    }

    /// Adds a blank or ignored line to the run it continues, or starts a run.
    fn pending_run(&mut self, number: u64, line: PendingLine) {
        // A run does not go on into the next file (each file's lines are counted for it).
        let boundary = self.sources.last().map_or(0, |(first, _)| *first);
        match (self.pending.last_mut(), &line) {
            (Some((start, PendingLine::Blank(n))), PendingLine::Blank(_))
            | (Some((start, PendingLine::Ignored(n))), PendingLine::Ignored(_))
                if *start >= boundary =>
            {
                *n += 1
            }
            _ => self.wait(number, line),
        }
    }

    /// A wrapper line with no record (a CSV header, a control message).
    pub fn ignored(&mut self, number: u64) {
        if self.settled {
            self.tally(number, Outcome::Ignored, 1);
        } else {
            self.pending_run(number, PendingLine::Ignored(1));
        }
    }

    /// A line the input's wrapper could not read (e.g. a JSON line that is not JSON).
    pub fn wrapper_error(&mut self, number: u64, problem: WrapperProblem, raw: &str) {
        if self.settled {
            self.emit_wrapper_error(number, problem, raw);
        } else {
            // A sink keeps at most ERROR_RAW_KEPT bytes; a little more tells it the line was longer.
            let raw = prefix(raw, ERROR_RAW_KEPT + 4);
            self.pending_bytes += raw.len() + 64;
            self.wait(number, PendingLine::Error(problem, raw.to_string()));
        }
    }

    fn emit_wrapper_error(&mut self, number: u64, problem: WrapperProblem, raw: &str) {
        let err = LineError {
            line: number,
            problem: Problem::Wrapper(problem),
        };
        let line = Line::Error(err);
        self.tally(number, line.outcome(), 1);
        if let Line::Error(err) = &line {
            self.sink.error(err, raw);
        }
    }

    /// End of input: decides the format if still open and flushes the waiting lines.
    pub fn finish(&mut self) {
        if !self.settled {
            self.settle();
        }
        self.refresh_inference_report();
    }

    /// Writes the guess in force into the report (its notes name the contradicting lines).
    fn refresh_inference_report(&mut self) {
        let Some(inf) = &self.inference else {
            return;
        };
        let notes = inf
            .notes(Lang::En)
            .into_iter()
            .zip(inf.notes(Lang::Ja))
            .map(|(en, ja)| [en, ja])
            .collect();
        self.report.inferred = Some(InferenceReport {
            sample: inf.sample,
            fit: inf.fit,
            certainty: inf.certainty,
            named: inf.named,
            ambiguous: inf.ambiguous.clone(),
            dashes: inf.dashes.clone(),
            alternatives: inf.alternatives.iter().map(Format::names).collect(),
            contradicting: inf.contradicting.iter().copied().take(MAX_LISTED).collect(),
            contradicting_count: inf.contradicting.len() as u64 + self.later_contradicting,
            notes,
        });
    }

    fn decode(&mut self, number: u64, text: &str) {
        let mut values = recycle(std::mem::take(&mut self.values));
        let line = self.decoder.line_into(number, text, &mut values);
        self.counts.add(line.outcome(), 1);
        if let Some(c) = source_of(&mut self.sources, number) {
            c.add(line.outcome(), 1);
        }
        match &line {
            LineKind::Record(format) => {
                if self.report.origin.is_none() {
                    let f = &self.decoder.formats()[*format];
                    self.report.origin = Some(f.origin);
                    self.report.format = Some(f.format_string());
                }
                if self.decoder.last_problems() > 0 {
                    self.counts.problems += 1;
                    if let Some(c) = source_of(&mut self.sources, number) {
                        c.problems += 1;
                    }
                }
                let record = RecordView {
                    format: *format,
                    values: &values,
                    raw: (!self.decoder.last_verbatim()).then_some(text),
                };
                self.sink.record(number, &record, self.decoder.formats())
            }
            LineKind::Error(err) => {
                // A line after the sample that contradicts the guess in force is named too.
                if let Some(inf) = &mut self.inference {
                    if !inf.contradicting.contains(&number) {
                        if inf.contradicting.len() < MAX_LISTED {
                            inf.contradicting.push(number);
                            if inf.certainty > Certainty::Weak {
                                inf.certainty = Certainty::Weak;
                            }
                        } else {
                            self.later_contradicting += 1;
                        }
                    }
                }
                self.sink.error(err, text)
            }
            LineKind::Header => self.inference = None,
            LineKind::Blank => {}
        }
        self.values = recycle(values);
    }

    /// Chooses the format from the waiting lines, then decodes them.
    fn settle(&mut self) {
        self.settled = true;
        let pending = std::mem::take(&mut self.pending);
        let texts: Vec<(u64, &str)> = pending
            .iter()
            .filter_map(|(n, l)| match l {
                PendingLine::Text(t) => Some((*n, t.as_str())),
                _ => None,
            })
            .collect();
        // A line of field names that repeats one is refused as a header, but it is still one:
        // its records are not to be guessed at.
        let has_header = texts.iter().any(|(_, t)| Format::read_header(t).is_some());
        if !has_header && !texts.is_empty() {
            // Lines that are records of AWS's default formats, value for value.
            let defaults: Vec<Vec<FieldId>> = [
                Some(Format::default_format()),
                Format::transit_gateway_default(),
            ]
            .into_iter()
            .flatten()
            .map(|f| f.columns.iter().filter_map(Column::known).collect())
            .collect();
            let rows: Vec<Vec<&str>> = texts.iter().map(|(_, t)| tokens(t).collect()).collect();
            let default_ok = rows
                .iter()
                .filter(|r| defaults.iter().any(|d| row_fits(d, r)))
                .count();
            // Lines as wide as a default format: if half of them are its records, the input is
            // in AWS's default format and the others are bad lines.
            let default_wide = rows
                .iter()
                .filter(|r| defaults.iter().any(|d| d.len() == r.len()))
                .count();
            // Lines of the default width that are default records with a problem or two (a
            // redacted account, a port out of range): a line pasted from a ticket, not a custom
            // format to guess.
            let default_near = records_near(Decoder::new(), &texts);
            let pasted = default_wide > 0 && default_near * 2 >= default_wide;
            if !pasted && (default_ok == 0 || default_ok * 2 < default_wide.max(1)) {
                match infer_lines(&texts) {
                    Ok(inf) => {
                        let inferred_ok = texts.len() - inf.contradicting.len();
                        if inf.fit >= MIN_INFERENCE_FIT && inferred_ok > default_ok {
                            self.adopt(inf);
                        }
                    }
                    Err(reason) if default_ok == 0 => {
                        let message = [reason.message(Lang::En), reason.message(Lang::Ja)];
                        self.report.refused = Some(RefusalReport { reason, message });
                    }
                    Err(_) => {}
                }
            }
        }
        for (number, line) in pending {
            match line {
                PendingLine::Text(t) => self.decode(number, &t),
                PendingLine::Blank(n) => self.tally(number, Outcome::Blank, n),
                PendingLine::Ignored(n) => self.tally(number, Outcome::Ignored, n),
                PendingLine::Error(problem, raw) => self.emit_wrapper_error(number, problem, &raw),
            }
        }
        self.refresh_inference_report();
    }

    fn adopt(&mut self, inf: Inference) {
        self.decoder.set_format(inf.format.clone());
        self.inference = Some(inf);
        self.refresh_inference_report();
    }
}

/// The counts of the file line `number` is in (`None` for an input read as one).
#[inline]
fn source_of(sources: &mut [(u64, Counts)], number: u64) -> Option<&mut Counts> {
    if sources.is_empty() {
        return None;
    }
    // Usually the last file; an empty file shares its first line number with the next one.
    let i = sources.partition_point(|(first, _)| *first <= number);
    sources.get_mut(i.saturating_sub(1)).map(|(_, c)| c)
}

/// An empty buffer of values with another lifetime, keeping the allocation (collecting from a
/// `Vec`'s own iterator into elements of the same layout reuses it in place).
fn recycle<'b>(mut values: Vec<ValueRef<'_>>) -> Vec<ValueRef<'b>> {
    values.clear();
    values.into_iter().map(|_| ValueRef::Absent).collect()
}

/// A line the decoder reads as blank (no tokens).
fn is_blank(text: &str) -> bool {
    tokens(text).next().is_none()
}

/// The first `max` bytes of `s` or fewer, cut at a character boundary.
pub fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// How many of `lines` are records in `decoder`'s format with at most two problems (a line
/// pasted from a ticket, with a redacted value or two, is still a default record).
fn records_near(mut decoder: Decoder, lines: &[(u64, &str)]) -> usize {
    lines
        .iter()
        .filter(|(n, l)| {
            matches!(decoder.line(*n, l), Line::Record(_)) && decoder.last_problems() <= 2
        })
        .count()
}

/// Everything said about an input once it is read: line counts, how the format was decided, the
/// shape recognised, and whether the input could be read to its end.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// What the lines were.
    #[serde(flatten)]
    pub counts: Counts,
    /// How the format was decided.
    pub format: FormatReport,
    /// The shape recognised (gzip, CSV, JSON, ...).
    pub shape: ShapeReport,
    /// Why the input could not be read to its end (e.g. truncated gzip); the lines before that
    /// point are decoded. Serialized as `[English, Japanese]`, for the page to pick from.
    #[serde(serialize_with = "in_both_languages")]
    pub input_error: Option<ShapeErrorKind>,
    /// Set when the input was larger than the memory budget of what keeps its records: how many
    /// were kept (see [`Kept`]). `None` when every record was kept, or nothing keeps them.
    pub kept: Option<Kept>,
    /// The files of an input read as several ([`Stream::next_source`]), in order; empty (and not
    /// serialized) for an input read as one. `shape` above is then the first file's and
    /// `input_error` the first error of a file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SourceReport>,
}

impl Report {
    /// The file line `number` of the input is in and its line number there, when the input was
    /// read as several files.
    pub fn source_of(&self, number: u64) -> Option<(&SourceReport, u64)> {
        let i = self.files.partition_point(|f| f.first_line <= number);
        let f = self.files.get(i.checked_sub(1)?)?;
        Some((f, number - f.first_line + 1))
    }
}

/// One file of an input read as several: its name, where its lines are in the input, what they
/// were, its shape, and whether it could be read to its end.
#[derive(Clone, Debug, Serialize)]
pub struct SourceReport {
    /// The file's name.
    pub name: String,
    /// The input's line number of the file's line 1 (line numbers run on from file to file).
    pub first_line: u64,
    /// Its last line number (in the file; 0 for an empty file).
    pub last_line: u64,
    /// What its lines were.
    #[serde(flatten)]
    pub counts: Counts,
    /// The shape recognised (gzip, CSV, JSON, ...).
    pub shape: ShapeReport,
    /// Why the file could not be read to its end, as `[English, Japanese]`; the next files are
    /// read all the same.
    #[serde(serialize_with = "in_both_languages")]
    pub input_error: Option<ShapeErrorKind>,
}

/// What a store kept of an input larger than its memory budget: the first records, up to the
/// budget; the lines after them were still read, counted (and, where there is a summary,
/// summarised), but not kept for browsing, filtering or export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Kept {
    /// Records kept (the first ones of the input).
    pub records: u64,
    /// Records of the whole input.
    pub total: u64,
    /// Lines in error kept (the others were counted only).
    pub errors: u64,
    /// The last line kept: the records after it were not kept.
    pub last_line: u64,
    /// The budget that was reached, in bytes of the store (`None` when it was a number of
    /// records).
    pub budget_bytes: Option<u64>,
    /// The budget that was reached, in records (`None` when it was bytes).
    pub budget_records: Option<u64>,
    /// The page's sentence, `[English, Japanese]`.
    pub message: [String; 2],
}

impl Kept {
    /// `kept the first 12,000,000 records for browsing (memory budget: 1.5 GiB); the summary
    /// covers all 80,000,000`: what the page says (its figures, lists and exports are of the kept
    /// records; its summary of all of them).
    pub fn sentence(&self, lang: Lang) -> String {
        use crate::text::number::grouped;
        let (kept, total) = (grouped(self.records), grouped(self.total));
        let budget = self.budget_text(lang);
        match lang {
            Lang::En => format!(
                "Kept the first {kept} records for browsing ({budget}); the summary covers all {total}. The list, filters and exports work on the {kept} kept."
            ),
            Lang::Ja => format!(
                "閲覧用に先頭の {kept} 件のレコードを保持しました（{budget}）。概要はすべての {total} 件を対象にしています。一覧、絞り込み、エクスポートは保持した {kept} 件が対象です。"
            ),
        }
    }

    /// The budget reached, in words: `memory budget: 1.5 GB` or `a budget of 1,000 records`.
    pub fn budget_text(&self, lang: Lang) -> String {
        use crate::text::number::grouped;
        match (self.budget_records, self.budget_bytes, lang) {
            (Some(n), _, Lang::En) => format!("budget: {} records", grouped(n)),
            (Some(n), _, Lang::Ja) => format!("上限: {} 件", grouped(n)),
            (None, b, Lang::En) => format!("memory budget: {}", bytes_text(b.unwrap_or(0))),
            (None, b, Lang::Ja) => format!("メモリの上限: {}", bytes_text(b.unwrap_or(0))),
        }
    }
}

/// `1.5 GiB`, `200 MiB` (binary units, as budgets are set).
pub fn bytes_text(b: u64) -> String {
    let units = [
        (1099511627776.0, "TiB"),
        (1073741824.0, "GiB"),
        (1048576.0, "MiB"),
        (1024.0, "KiB"),
    ];
    for (size, unit) in units {
        if b as f64 >= size {
            let v = b as f64 / size;
            return if v >= 100.0 || v.fract() < 0.05 {
                format!("{:.0} {unit}", v)
            } else {
                format!("{:.1} {unit}", v)
            };
        }
    }
    format!("{b} B")
}

/// Streams raw input bytes (any shape) through shape recognition and the ingest pipeline.
///
/// An input may be several files read one after the other ([`Stream::next_source`]): each file
/// has its own shape (one gzip, another plain text or a CloudWatch export), its lines are
/// numbered on from the previous file's (the report's `files` say where each file's lines are),
/// and one pipeline decodes them all with one format decision: a file without a header line is
/// read in the format in force (the files of one S3 prefix share their format), a header line in
/// a later file starts its format from there on, as a header line does in one file.
#[derive(Debug)]
pub struct Stream<S: Sink> {
    unwrapper: Unwrapper,
    /// The ingest pipeline (and its sink).
    pub ingest: Ingest<S>,
    /// The name of the file being read, when the input is several files.
    source: Option<String>,
    /// The files read before it.
    sources: Vec<SourceReport>,
    /// The input's line number before the file's line 1.
    offset: u64,
    /// The file's last line number so far.
    seen: u64,
}

impl<S: Sink> Stream<S> {
    /// A stream with the user's `format`, if they gave one.
    pub fn new(format: Option<Format>, sink: S) -> Stream<S> {
        Stream {
            unwrapper: Unwrapper::new(),
            ingest: Ingest::new(format, sink),
            source: None,
            sources: Vec::new(),
            offset: 0,
            seen: 0,
        }
    }

    /// Feeds the next chunk of input bytes (any size).
    pub fn push(&mut self, chunk: &[u8]) {
        let (ingest, offset, seen) = (&mut self.ingest, self.offset, &mut self.seen);
        self.unwrapper
            .push(chunk, &mut |u| feed(ingest, u, offset, seen));
    }

    /// The next file of an input read as several, named `name`, follows: the file read so far
    /// ends (its last line without a line end is read, a file cut short is reported for it), and
    /// the bytes pushed from now on are a new file, its shape recognised afresh. The first call
    /// names the input's first file (call it before the first push).
    pub fn next_source(&mut self, name: &str) {
        if self.source.is_some() {
            self.end_source();
            self.offset += self.seen;
            self.seen = 0;
        }
        self.source = Some(name.to_string());
        self.ingest.start_source(self.offset + 1);
    }

    /// Files of the input read so far (the one being read included).
    pub fn sources(&self) -> usize {
        self.sources.len() + usize::from(self.source.is_some())
    }

    /// Ends the file being read.
    fn end_source(&mut self) {
        let Some(name) = self.source.take() else {
            return;
        };
        let (ingest, offset, seen) = (&mut self.ingest, self.offset, &mut self.seen);
        let result = self
            .unwrapper
            .finish(&mut |u| feed(ingest, u, offset, seen));
        let (shape, input_error) = match result {
            Ok(shape) => (shape, None),
            Err(e) => (e.report, Some(e.kind)),
        };
        self.sources.push(SourceReport {
            name,
            first_line: self.offset + 1,
            last_line: self.seen,
            counts: Counts::default(),
            shape,
            input_error,
        });
    }

    /// True once the input (the file being read) has proved unreadable; the caller may stop
    /// reading it.
    pub fn is_failed(&self) -> bool {
        self.unwrapper.is_failed()
    }

    /// Ends the input and reports on it.
    pub fn finish(&mut self) -> Report {
        if self.source.is_some() {
            self.end_source();
            self.ingest.finish();
            let mut files = std::mem::take(&mut self.sources);
            for (f, (_, counts)) in files.iter_mut().zip(self.ingest.source_counts()) {
                f.counts = *counts;
            }
            return Report {
                counts: self.ingest.counts(),
                format: self.ingest.format_report().clone(),
                shape: files.first().map(|f| f.shape.clone()).unwrap_or_default(),
                input_error: files.iter().find_map(|f| f.input_error.clone()),
                kept: None,
                files,
            };
        }
        let ingest = &mut self.ingest;
        let (offset, seen) = (self.offset, &mut self.seen);
        let result = self
            .unwrapper
            .finish(&mut |u| feed(ingest, u, offset, seen));
        self.ingest.finish();
        let (shape, input_error) = match result {
            Ok(shape) => (shape, None),
            Err(e) => (e.report, Some(e.kind)),
        };
        Report {
            counts: self.ingest.counts(),
            format: self.ingest.format_report().clone(),
            shape,
            input_error,
            kept: None,
            files: Vec::new(),
        }
    }
}

/// Hands a line of the file read to the pipeline, numbered on from `offset` (the lines of the
/// files before it); `seen` keeps the file's last line number.
#[inline]
fn feed<S: Sink>(ingest: &mut Ingest<S>, u: Unwrapped<'_>, offset: u64, seen: &mut u64) {
    let local = u.number();
    *seen = (*seen).max(local);
    let number = offset + local;
    match u {
        Unwrapped::Line { text, .. } => ingest.line(number, text),
        Unwrapped::Ignored { .. } => ingest.ignored(number),
        Unwrapped::Error { problem, raw, .. } => ingest.wrapper_error(number, problem, raw),
    }
}

fn in_both_languages<S: serde::Serializer>(
    error: &Option<ShapeErrorKind>,
    s: S,
) -> Result<S::Ok, S::Error> {
    error
        .as_ref()
        .map(|e| [e.message(Lang::En), e.message(Lang::Ja)])
        .serialize(s)
}
