//! From lines to kept records: the ingest pipeline (format decision, decoding, line accounting)
//! and the compact in-memory store the page pulls its rows from.
//!
//! The format is settled once, from the first lines: a format the user gave, a header line, AWS's
//! default formats, or, when those do not fit, a format inferred from the values (a guess, reported
//! as such). Lines wait in a small buffer until then, so input can stream in chunks.
//!
//! Records are kept packed: one tag byte per value, integers as LEB128, IPv4 as 4 bytes, IPv6 as 16,
//! strings interned. Explanations are produced only for the entries requested.

use crate::chunked::{Arena, Chunked};
use crate::explain::input::{FactsBuilder, Slot, Slots, PASS_FIELDS};
use crate::explain::{error_json, record_json_in, Context, InputFacts, RecordRef};
use crate::format::{infer, Ambiguity, Format, FormatOrigin, Inference};
use crate::intern::Interner;
use crate::lang::Lang;
use crate::overview::FieldsOut;
use crate::parse::{
    Counts, Decoder, Line, LineError, LineKind, Problem, Record, RecordView, Value, ValueRef,
};
use crate::shape::{ShapeReport, Unwrapped, Unwrapper};
use serde::Serialize;
use serde_json::Value as Json;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Where decoded lines go.
pub trait Sink {
    /// A record of line `number`; `formats[record.format]` is its format.
    fn record(&mut self, number: u64, record: &Record, formats: &[Format]);
    /// The same, with values borrowed from the line: what the pipeline calls. By default it makes
    /// the record owned and calls [`Sink::record`]; a sink that can use borrowed values (the
    /// [`Store`]) saves the allocations.
    fn record_view(&mut self, number: u64, record: &RecordView<'_>, formats: &[Format]) {
        self.record(number, &record.to_record(), formats);
    }
    /// A line that could not be decoded, with its text.
    fn error(&mut self, error: &LineError, raw: &str);
}

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
}

/// What the inference found.
#[derive(Clone, Debug, Serialize)]
pub struct InferenceReport {
    /// Lines the guess was made from.
    pub sample: usize,
    /// Share of the sample's values that fit (0.0-1.0).
    pub fit: f64,
    /// Columns the values cannot tell apart.
    pub ambiguous: Vec<Ambiguity>,
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
    /// The values of the line being decoded (reused from line to line; empty between lines).
    values: Vec<ValueRef<'static>>,
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
    Error(String, String, String),
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
            values: Vec::new(),
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
        match (self.pending.last_mut(), &line) {
            (Some((_, PendingLine::Blank(n))), PendingLine::Blank(_))
            | (Some((_, PendingLine::Ignored(n))), PendingLine::Ignored(_)) => *n += 1,
            _ => self.wait(number, line),
        }
    }

    /// A wrapper line with no record (a CSV header, a control message).
    pub fn ignored(&mut self, number: u64) {
        if self.settled {
            self.counts.add(&Line::Ignored);
        } else {
            self.pending_run(number, PendingLine::Ignored(1));
        }
    }

    /// A line the input's wrapper could not read (e.g. a JSON line that is not JSON), with the
    /// problem in English and Japanese.
    pub fn wrapper_error(&mut self, number: u64, en: String, ja: String, raw: &str) {
        if self.settled {
            self.emit_wrapper_error(number, en, ja, raw);
        } else {
            // The store keeps MAX_ERROR_RAW bytes; a little more tells it the line was longer.
            let raw = prefix(raw, MAX_ERROR_RAW + 4);
            self.pending_bytes += en.len() + ja.len() + raw.len();
            self.wait(number, PendingLine::Error(en, ja, raw.to_string()));
        }
    }

    fn emit_wrapper_error(&mut self, number: u64, en: String, ja: String, raw: &str) {
        let err = LineError {
            line: number,
            problem: Problem::Wrapper { en, ja },
        };
        let line = Line::Error(err);
        self.counts.add(&line);
        if let Line::Error(err) = &line {
            self.sink.error(err, raw);
        }
    }

    /// End of input: decides the format if still open and flushes the waiting lines.
    pub fn finish(&mut self) {
        if !self.settled {
            self.settle();
        }
    }

    fn decode(&mut self, number: u64, text: &str) {
        let mut values = recycle(std::mem::take(&mut self.values));
        let line = self.decoder.line_into(number, text, &mut values);
        self.counts.add_kind(&line);
        match &line {
            LineKind::Record(format) => {
                if self.report.origin.is_none() {
                    let f = &self.decoder.formats()[*format];
                    self.report.origin = Some(f.origin);
                    self.report.format = Some(f.format_string());
                }
                let record = RecordView {
                    format: *format,
                    values: &values,
                };
                self.sink
                    .record_view(number, &record, self.decoder.formats())
            }
            LineKind::Error(err) => self.sink.error(err, text),
            LineKind::Header | LineKind::Blank => {}
        }
        self.values = recycle(values);
    }

    /// Chooses the format from the waiting lines, then decodes them.
    fn settle(&mut self) {
        self.settled = true;
        let pending = std::mem::take(&mut self.pending);
        let texts: Vec<&str> = pending
            .iter()
            .filter_map(|(_, l)| match l {
                PendingLine::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        // A line of field names that repeats one is refused as a header, but it is still one:
        // its records are not to be guessed at.
        let has_header = texts.iter().any(|t| Format::read_header(t).is_some());
        if !has_header && !texts.is_empty() {
            let default_ok = records_with(Decoder::new(), &texts);
            // Lines as wide as a default format: if half of them decode with it, the input is in
            // AWS's default format and the others are bad lines.
            let default_wide = texts
                .iter()
                .filter(|t| {
                    let n = crate::parse::tokens(t).count();
                    n == Format::default_format().len()
                        || Format::transit_gateway_default().is_some_and(|f| f.len() == n)
                })
                .count();
            if default_ok == 0 || default_ok * 2 < default_wide.max(1) {
                if let Some(inf) = infer(&texts) {
                    let inferred_ok =
                        records_with(Decoder::with_format(inf.format.clone()), &texts);
                    if inf.fit >= MIN_INFERENCE_FIT && inferred_ok > default_ok {
                        self.adopt(inf);
                    }
                }
            }
        }
        for (number, line) in pending {
            match line {
                PendingLine::Text(t) => self.decode(number, &t),
                PendingLine::Blank(n) => (0..n).for_each(|_| self.counts.add(&Line::Blank)),
                PendingLine::Ignored(n) => (0..n).for_each(|_| self.counts.add(&Line::Ignored)),
                PendingLine::Error(en, ja, raw) => self.emit_wrapper_error(number, en, ja, &raw),
            }
        }
    }

    fn adopt(&mut self, inf: Inference) {
        self.report.inferred = Some(InferenceReport {
            sample: inf.sample,
            fit: inf.fit,
            ambiguous: inf.ambiguous,
        });
        self.decoder.set_format(inf.format);
    }
}

/// An empty buffer of values with another lifetime, keeping the allocation (collecting from a
/// `Vec`'s own iterator into elements of the same layout reuses it in place).
fn recycle<'b>(mut values: Vec<ValueRef<'_>>) -> Vec<ValueRef<'b>> {
    values.clear();
    values.into_iter().map(|_| ValueRef::Absent).collect()
}

/// A line the decoder reads as blank (no tokens).
fn is_blank(text: &str) -> bool {
    crate::parse::tokens(text).next().is_none()
}

/// The first `max` bytes of `s` or fewer, cut at a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn records_with(mut decoder: Decoder, lines: &[&str]) -> usize {
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| matches!(decoder.line(*i as u64 + 1, l), Line::Record(_)))
        .count()
}

/// Values packed in a byte arena.
mod pack {
    pub const ABSENT: u8 = 0;
    pub const UINT: u8 = 1;
    pub const V4: u8 = 2;
    pub const V6: u8 = 3;
    pub const TEXT: u8 = 4;
    pub const INLINE: u8 = 5;

    pub fn get_uint(data: &[u8], at: &mut usize) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *data.get(*at)?;
            *at += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }
}

/// Writes one record's packed values into a buffer sized for them beforehand (17 bytes per
/// value at most, plus the text of an inline one), so that each byte is one indexed store, with no
/// capacity check per byte.
struct Packer {
    buf: Vec<u8>,
    at: usize,
}

impl Packer {
    /// The most bytes one value other than an inline text takes (an IPv6 address).
    const MAX_VALUE: usize = 17;

    fn new(mut buf: Vec<u8>, values: usize) -> Packer {
        let need = values * Packer::MAX_VALUE;
        if buf.len() < need {
            buf.resize(need, 0);
        }
        Packer { buf, at: 0 }
    }

    #[inline]
    fn tag(&mut self, tag: u8) {
        self.buf[self.at] = tag;
        self.at += 1;
    }

    /// A tag and an integer (LEB128: seven bits per byte, low first).
    #[inline]
    fn uint(&mut self, tag: u8, mut n: u64) {
        self.tag(tag);
        while n >= 0x80 {
            self.buf[self.at] = n as u8 | 0x80;
            self.at += 1;
            n >>= 7;
        }
        self.buf[self.at] = n as u8;
        self.at += 1;
    }

    #[inline]
    fn bytes(&mut self, tag: u8, bytes: &[u8]) {
        self.tag(tag);
        self.buf[self.at..self.at + bytes.len()].copy_from_slice(bytes);
        self.at += bytes.len();
    }

    /// A text that is not interned: its length, then its bytes (the buffer grows by them).
    fn inline(&mut self, text: &[u8]) {
        self.buf.resize(self.buf.len() + text.len(), 0);
        self.uint(pack::INLINE, text.len() as u64);
        self.buf[self.at..self.at + text.len()].copy_from_slice(text);
        self.at += text.len();
    }

    fn packed(&self) -> &[u8] {
        &self.buf[..self.at]
    }
}

/// Interned strings stop growing past this many; rarer strings are then stored inline.
const MAX_INTERNED: usize = 1 << 20;

const ERROR_ROW: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Row {
    line: u64,
    /// Offset in `data` (records) or index in `errors`.
    at: u32,
    /// Format index, or [`ERROR_ROW`].
    format: u32,
}

/// Longest raw line kept for an error.
const MAX_ERROR_RAW: usize = 4096;

/// The records and errors of an input, packed, in input order.
#[derive(Clone, Debug, Default)]
pub struct Store {
    formats: Vec<Format>,
    strings: Interner,
    /// The packed records.
    data: Arena,
    /// The record being packed (then copied to `data` whole).
    scratch: Vec<u8>,
    rows: Chunked<Row>,
    errors: Vec<(LineError, Box<str>)>,
    /// Rows dropped because the arena reached 4 GiB.
    pub dropped: u64,
    /// For each format: the column of each of [`PASS_FIELDS`], if it has it.
    pass_cols: Vec<PassColumns>,
    /// The first pass of [`InputFacts`], over the records kept so far.
    facts: FactsBuilder,
    /// For each column position: the id of the text last packed there ([`NO_ID`] if none or
    /// not interned). Records in a row mostly repeat their account, interface, VPC, action and
    /// status: comparing with the last one is cheaper than hashing.
    last_text: Vec<u32>,
    /// What the summary reads of each record kept, when asked for ([`Store::with_fields`]).
    fields: Option<FieldsOut>,
}

/// No interned text.
const NO_ID: u32 = u32::MAX;

impl Sink for Store {
    fn record(&mut self, number: u64, record: &Record, formats: &[Format]) {
        let values: Vec<ValueRef<'_>> = record.values.iter().map(Value::as_value_ref).collect();
        self.keep(number, record.format, formats, &values);
    }

    fn record_view(&mut self, number: u64, record: &RecordView<'_>, formats: &[Format]) {
        self.keep(number, record.format, formats, record.values);
    }

    fn error(&mut self, error: &LineError, raw: &str) {
        let mut kept = prefix(raw, MAX_ERROR_RAW).to_string();
        if kept.len() < raw.len() {
            kept.push('…');
        }
        self.rows.push(Row {
            line: error.line,
            at: self.errors.len() as u32,
            format: ERROR_ROW,
        });
        self.errors.push((error.clone(), kept.into()));
    }
}

/// The column of each of [`PASS_FIELDS`] in a format, if it has it.
type PassColumns = [Option<usize>; PASS_FIELDS.len()];

fn pass_columns(format: &Format) -> PassColumns {
    PASS_FIELDS.map(|key| format.position(key))
}

/// A record's values of [`PASS_FIELDS`] (its values in `format`, whose columns are `cols`).
fn pass_slots<'a>(cols: &PassColumns, values: &[ValueRef<'a>]) -> Slots<'a> {
    cols.map(|c| {
        c.and_then(|c| values.get(c))
            .map_or(Slot::Absent, |v| Slot::of_ref(*v))
    })
}

impl Store {
    /// A store that also writes what the summary reads of each record it keeps (see
    /// [`FieldsOut`]); [`Store::take_fields`] takes what was written.
    pub fn with_fields() -> Store {
        Store {
            fields: Some(FieldsOut::default()),
            ..Store::default()
        }
    }

    /// What the summary reads of the records kept since the last call (nothing unless made
    /// [`Store::with_fields`]).
    pub fn take_fields(&mut self) -> Vec<u8> {
        self.fields
            .as_mut()
            .map(FieldsOut::take)
            .unwrap_or_default()
    }

    /// What the summary reads of the records kept since the fields were last taken or cleared,
    /// borrowed (to be copied out, then [`Store::clear_fields`]).
    pub fn fields(&self) -> &[u8] {
        self.fields.as_ref().map_or(&[], FieldsOut::bytes)
    }

    /// Forgets the fields written so far, keeping their buffer.
    pub fn clear_fields(&mut self) {
        if let Some(f) = &mut self.fields {
            f.clear();
        }
    }

    /// Packs a record and hands it to the facts (its values of [`PASS_FIELDS`], its row, its
    /// interface's interned id), in one pass over its values; a record that does not fit (the
    /// arena is full) is counted as dropped.
    fn keep(&mut self, number: u64, format: usize, formats: &[Format], values: &[ValueRef<'_>]) {
        if self.formats.len() < formats.len() {
            self.formats
                .extend_from_slice(&formats[self.formats.len()..]);
            let known = self.pass_cols.len();
            self.pass_cols
                .extend(self.formats[known..].iter().map(pass_columns));
            let widest = self.formats.iter().map(Format::len).max().unwrap_or(0);
            if self.last_text.len() < widest {
                self.last_text.resize(widest, NO_ID);
            }
        }
        let mut out = Packer::new(std::mem::take(&mut self.scratch), values.len());
        for (column, &v) in values.iter().enumerate() {
            match v {
                ValueRef::Absent => out.tag(pack::ABSENT),
                ValueRef::UInt(n) => out.uint(pack::UINT, n),
                ValueRef::Addr(IpAddr::V4(a)) => out.bytes(pack::V4, &a.octets()),
                ValueRef::Addr(IpAddr::V6(a)) => out.bytes(pack::V6, &a.octets()),
                ValueRef::Text(t) => match self.intern(column, t) {
                    Some(id) => out.uint(pack::TEXT, u64::from(id)),
                    None => out.inline(t.as_bytes()),
                },
            }
        }
        let kept = self.data.put(out.packed());
        self.scratch = out.buf;
        let Some(at) = kept else {
            self.dropped += 1;
            return;
        };
        self.rows.push(Row {
            line: number,
            at,
            format: format as u32,
        });
        if let Some(f) = &mut self.fields {
            f.record(format, formats, values);
        }
        let cols = &self.pass_cols[format];
        // The interface's text was just packed: its id is the column's last one.
        let interned = cols[0]
            .and_then(|c| self.last_text.get(c).copied())
            .filter(|id| *id != NO_ID);
        let row = (self.rows.len() - 1) as u32;
        self.facts
            .observe_row(row, interned, &pass_slots(cols, values));
    }

    /// The interned id of `t`, interning it when there is room.
    fn intern(&mut self, column: usize, t: &str) -> Option<u32> {
        let last = self.last_text.get(column).copied().unwrap_or(NO_ID);
        let id = self.strings.intern_hinted(t, last, MAX_INTERNED);
        if let Some(slot) = self.last_text.get_mut(column) {
            *slot = id.unwrap_or(NO_ID);
        }
        id
    }

    /// The `n` values packed at `at`, borrowed from the store, into `out` (cleared first).
    fn values_into<'s>(&'s self, at: u32, n: usize, out: &mut Vec<ValueRef<'s>>) {
        let d = self.data.from(at);
        let mut at = 0;
        out.clear();
        for _ in 0..n {
            let Some(&tag) = d.get(at) else { break };
            at += 1;
            let v = match tag {
                pack::UINT => pack::get_uint(d, &mut at).map(ValueRef::UInt),
                pack::V4 => d.get(at..at + 4).map(|b| {
                    at += 4;
                    ValueRef::Addr(IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3])))
                }),
                pack::V6 => d.get(at..at + 16).map(|b| {
                    at += 16;
                    let mut o = [0u8; 16];
                    o.copy_from_slice(b);
                    ValueRef::Addr(IpAddr::V6(Ipv6Addr::from(o)))
                }),
                pack::TEXT => pack::get_uint(d, &mut at)
                    .and_then(|id| self.strings.get(id as u32))
                    .map(ValueRef::Text),
                pack::INLINE => pack::get_uint(d, &mut at).and_then(|len| {
                    let len = len as usize;
                    let s = d.get(at..at + len)?;
                    at += len;
                    // Packed from a `&str`: valid UTF-8 unless the arena is corrupt.
                    Some(std::str::from_utf8(s).map_or(ValueRef::Absent, ValueRef::Text))
                }),
                _ => Some(ValueRef::Absent),
            };
            out.push(v.unwrap_or(ValueRef::Absent));
        }
    }

    /// Record `i`'s line number and format, with its values borrowed into `values` (no
    /// allocation once `values` has grown); `None` for an error row or past the end.
    pub fn record_into<'s>(
        &'s self,
        i: usize,
        values: &mut Vec<ValueRef<'s>>,
    ) -> Option<(u64, &'s Format)> {
        let row = self.rows.get(i)?;
        if row.format == ERROR_ROW {
            return None;
        }
        let format = self.formats.get(row.format as usize)?;
        self.values_into(row.at, format.len(), values);
        Some((row.line, format))
    }

    /// Calls `f` with each record's line number, format and values (borrowed), in input order,
    /// without allocating per record.
    pub fn for_each_record_ref<'s>(&'s self, f: impl FnMut(u64, &'s Format, &[ValueRef<'s>])) {
        self.for_each_record_prefix(Format::len, f);
    }

    /// The same, reading only the first `width(format)` values of each record: a caller that
    /// needs a few leading columns does not pay for decoding the others (`width` is asked once
    /// per format).
    pub fn for_each_record_prefix<'s>(
        &'s self,
        mut width: impl FnMut(&'s Format) -> usize,
        mut f: impl FnMut(u64, &'s Format, &[ValueRef<'s>]),
    ) {
        let mut widths: Vec<Option<usize>> = vec![None; self.formats.len()];
        let mut values = Vec::new();
        for i in 0..self.rows.len() {
            let Some(row) = self.rows.get(i) else { break };
            let Some(format) = self.formats.get(row.format as usize) else {
                continue; // an error row
            };
            let n =
                *widths[row.format as usize].get_or_insert_with(|| width(format).min(format.len()));
            self.values_into(row.at, n, &mut values);
            f(row.line, format, &values);
        }
    }

    fn values(&self, at: u32, n: usize) -> Vec<Value> {
        let mut refs = Vec::with_capacity(n);
        self.values_into(at, n, &mut refs);
        refs.into_iter().map(ValueRef::to_value).collect()
    }

    /// Number of entries (records and errors).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there is no entry.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Bytes held by the packed records (for the benchmarks).
    pub fn packed_bytes(&self) -> usize {
        self.data.used_bytes() + self.rows.len() * std::mem::size_of::<Row>()
    }

    /// Entry `i`: its line number, format and values, or its error and raw line.
    pub fn entry(&self, i: usize) -> Option<Entry<'_>> {
        let row = self.rows.get(i)?;
        if row.format == ERROR_ROW {
            let (err, raw) = self.errors.get(row.at as usize)?;
            return Some(Entry::Error { error: err, raw });
        }
        let format = self.formats.get(row.format as usize)?;
        Some(Entry::Record {
            line: row.line,
            format,
            values: self.values(row.at, format.len()),
        })
    }

    /// Entry `i` as JSON (record or error), explained in `lang`, without whole-input facts.
    pub fn entry_json(&self, i: usize, ctx: &Context<'_>, lang: Lang) -> Option<Json> {
        self.entry_json_in(i, ctx, &InputFacts::default(), lang)
    }

    /// Entries `start..start+count` (clamped to what exists).
    pub fn entries_json(
        &self,
        start: usize,
        count: usize,
        ctx: &Context<'_>,
        lang: Lang,
    ) -> Vec<Json> {
        self.entries_json_in(start, count, ctx, &InputFacts::default(), lang)
    }
}

/// One kept entry.
#[derive(Clone, Debug)]
pub enum Entry<'a> {
    /// A record.
    Record {
        /// Its line number.
        line: u64,
        /// Its format.
        format: &'a Format,
        /// Its values.
        values: Vec<Value>,
    },
    /// A line that could not be decoded.
    Error {
        /// What was wrong.
        error: &'a LineError,
        /// The line (shortened if very long).
        raw: &'a str,
    },
}

/// A record written back as text: its values separated by single spaces, `-` for absent ones.
pub fn record_text(values: &[Value]) -> String {
    let mut s = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        match v {
            Value::Absent => s.push('-'),
            Value::UInt(n) => s.push_str(&n.to_string()),
            Value::Addr(a) => s.push_str(&a.to_string()),
            Value::Text(t) => s.push_str(t),
        }
    }
    s
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
    /// Why the input could not be read to its end (e.g. truncated gzip), in English and Japanese;
    /// the lines before that point are decoded.
    pub input_error: Option<[String; 2]>,
}

/// Streams raw input bytes (any shape) through shape recognition and the ingest pipeline.
#[derive(Debug)]
pub struct Stream<S: Sink> {
    unwrapper: Unwrapper,
    /// The ingest pipeline (and its sink).
    pub ingest: Ingest<S>,
}

impl<S: Sink> Stream<S> {
    /// A stream with the user's `format`, if they gave one.
    pub fn new(format: Option<Format>, sink: S) -> Stream<S> {
        Stream {
            unwrapper: Unwrapper::new(),
            ingest: Ingest::new(format, sink),
        }
    }

    /// Feeds the next chunk of input bytes (any size).
    pub fn push(&mut self, chunk: &[u8]) {
        let ingest = &mut self.ingest;
        self.unwrapper.push(chunk, &mut |u| feed(ingest, u));
    }

    /// True once the input has proved unreadable; the caller may stop reading.
    pub fn is_failed(&self) -> bool {
        self.unwrapper.is_failed()
    }

    /// Ends the input and reports on it.
    pub fn finish(&mut self) -> Report {
        let ingest = &mut self.ingest;
        let result = self.unwrapper.finish(&mut |u| feed(ingest, u));
        self.ingest.finish();
        let (shape, input_error) = match result {
            Ok(shape) => (shape, None),
            Err(e) => (
                e.report.clone(),
                Some([e.message(Lang::En), e.message(Lang::Ja)]),
            ),
        };
        Report {
            counts: self.ingest.counts(),
            format: self.ingest.format_report().clone(),
            shape,
            input_error,
        }
    }
}

fn feed<S: Sink>(ingest: &mut Ingest<S>, u: Unwrapped<'_>) {
    match u {
        Unwrapped::Line { number, text } => ingest.line(number, text),
        Unwrapped::Ignored { number, .. } => ingest.ignored(number),
        Unwrapped::Error {
            number,
            problem,
            raw,
        } => ingest.wrapper_error(
            number,
            problem.message(Lang::En),
            problem.message(Lang::Ja),
            raw,
        ),
    }
}

/// A whole input, decoded and kept.
#[derive(Debug)]
pub struct Decoded {
    store: Store,
    report: Report,
    /// What the whole input tells about its records (interface addresses, rejected replies).
    facts: InputFacts,
}

impl Decoded {
    /// Decodes an input of any shape with the format decided from its first lines.
    pub fn decode(input: impl AsRef<[u8]>) -> Decoded {
        Decoded::decode_with(input.as_ref(), None)
    }

    /// Decodes an input of any shape with the user's `format`, if given.
    pub fn decode_with(input: &[u8], format: Option<Format>) -> Decoded {
        Decoded::decode_into(input, format, Store::default())
    }

    /// The same into `store` (one made [`Store::with_fields`], say).
    pub fn decode_into(input: &[u8], format: Option<Format>, store: Store) -> Decoded {
        let mut stream = Stream::new(format, store);
        stream.push(input);
        Decoded::from_stream(stream)
    }

    /// Ends a stream and keeps what it decoded.
    pub fn from_stream(mut stream: Stream<Store>) -> Decoded {
        let report = stream.finish();
        let mut store = stream.ingest.sink;
        let facts = std::mem::take(&mut store.facts).finish(
            |id| store.strings.get(id),
            |row| store.row_slots(row as usize),
        );
        Decoded {
            store,
            report,
            facts,
        }
    }

    /// What the lines were.
    pub fn counts(&self) -> Counts {
        self.report.counts
    }

    /// What the summary reads of the records kept since it was last taken, when the store was
    /// made [`Store::with_fields`] (the records the format decision held back come out at the end).
    pub fn take_fields(&mut self) -> Vec<u8> {
        self.store.take_fields()
    }

    /// The same, borrowed (see [`Store::fields`]).
    pub fn fields(&self) -> &[u8] {
        self.store.fields()
    }

    /// Forgets the fields written so far (see [`Store::clear_fields`]).
    pub fn clear_fields(&mut self) {
        self.store.clear_fields();
    }

    /// How the format was decided.
    pub fn format_report(&self) -> &FormatReport {
        &self.report.format
    }

    /// Everything said about the input.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The kept entries.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Number of entries (records and errors).
    pub fn len(&self) -> usize {
        self.store().len()
    }

    /// True when there is no record and no error.
    pub fn is_empty(&self) -> bool {
        self.store().is_empty()
    }

    /// Entry `i` as JSON, explained with what the whole input tells (see [`InputFacts`]).
    pub fn entry_json(&self, i: usize, ctx: &Context<'_>, lang: Lang) -> Option<Json> {
        self.store().entry_json_in(i, ctx, &self.facts, lang)
    }

    /// Entries `start..start+count` as JSON.
    pub fn entries_json(
        &self,
        start: usize,
        count: usize,
        ctx: &Context<'_>,
        lang: Lang,
    ) -> Vec<Json> {
        self.store()
            .entries_json_in(start, count, ctx, &self.facts, lang)
    }
}

impl Default for Decoded {
    fn default() -> Self {
        Decoded::decode(b"")
    }
}

impl Store {
    /// Row `row`'s line number and values of [`PASS_FIELDS`], if it is a record.
    fn row_slots(&self, row: usize) -> Option<(u64, Slots<'_>)> {
        let cols = self.pass_cols.get(self.rows.get(row)?.format as usize)?;
        let mut values = Vec::new();
        let (line, _) = self.record_into(row, &mut values)?;
        let slots = pass_slots(cols, &values);
        Some((line, slots))
    }

    /// Entry `i` as JSON, explained with what the whole input tells (`facts`).
    pub fn entry_json_in(
        &self,
        i: usize,
        ctx: &Context<'_>,
        facts: &InputFacts,
        lang: Lang,
    ) -> Option<Json> {
        Some(match self.entry(i)? {
            Entry::Record {
                line,
                format,
                values,
            } => {
                let raw = record_text(&values);
                let rec = RecordRef {
                    format,
                    values: &values,
                };
                record_json_in(line, &raw, &rec, ctx, facts, lang)
            }
            Entry::Error { error, raw } => error_json(error, raw, lang),
        })
    }

    /// Entries `start..start+count` (clamped to what exists), explained with `facts`.
    pub fn entries_json_in(
        &self,
        start: usize,
        count: usize,
        ctx: &Context<'_>,
        facts: &InputFacts,
        lang: Lang,
    ) -> Vec<Json> {
        let end = start.saturating_add(count).min(self.len());
        (start.min(end)..end)
            .filter_map(|i| self.entry_json_in(i, ctx, facts, lang))
            .collect()
    }
}

impl Decoded {
    /// What the whole input tells about its records: each interface's own address, and the
    /// REJECTed flows whose reverse was ACCEPTed.
    pub fn facts(&self) -> &InputFacts {
        &self.facts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_accounted_for() {
        let text = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\r\n\
            2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK\r\n\
            \r\n\
            2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 70000 17 1 76 1744521785 1744521793 ACCEPT OK\n\
            garbage\n\
            2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA";
        let d = Decoded::decode(text);
        let c = d.counts();
        assert_eq!(
            (c.lines, c.records, c.headers, c.blank, c.errors),
            (6, 2, 1, 1, 2)
        );
        assert_eq!(
            c.records + c.headers + c.blank + c.ignored + c.errors,
            c.lines
        );
        let all = d.entries_json(0, 100, &Context::default(), Lang::En);
        let lines: Vec<u64> = all.iter().map(|e| e["line"].as_u64().unwrap()).collect();
        assert_eq!(lines, [2, 4, 5, 6]);
        assert_eq!(all[1]["field"], "dstport");
        assert_eq!(all[2]["raw"], "garbage");
        assert!(d.entries_json(3, 10, &Context::default(), Lang::En).len() == 1);
        assert!(d
            .entries_json(usize::MAX, 10, &Context::default(), Lang::En)
            .is_empty());
    }

    #[test]
    fn packed_values_round_trip() {
        let mut s = Store::default();
        let values = vec![
            Value::UInt(u64::MAX),
            Value::UInt(0),
            Value::Addr("10.0.4.135".parse().unwrap()),
            Value::Addr("2001:db8::1".parse().unwrap()),
            Value::Text("eni-01f35fc1a2377de36".into()),
            Value::Text("eni-01f35fc1a2377de36".into()),
            Value::Absent,
        ];
        let format = Format::from_keys(
            &[
                "bytes",
                "packets",
                "srcaddr",
                "dstaddr",
                "interface-id",
                "interface-id",
                "action",
            ],
            FormatOrigin::FormatString,
        );
        s.record(
            7,
            &Record {
                format: 0,
                values: values.clone(),
            },
            &[format],
        );
        let Some(Entry::Record {
            line, values: back, ..
        }) = s.entry(0)
        else {
            panic!()
        };
        assert_eq!(line, 7);
        assert_eq!(back, values);
        assert_eq!(s.strings.len(), 1);
    }

    #[test]
    fn infers_a_custom_format_without_header() {
        let lines = [
            "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK",
            "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43416 10.0.0.62 52.213.180.42 6 376 7 1566848875 1566848933 ACCEPT 18 OK",
        ];
        let d = Decoded::decode(lines.join("\n"));
        assert_eq!(d.counts().records, 2, "{:?}", d.format_report());
        let r = d.format_report();
        assert_eq!(r.origin, Some(FormatOrigin::Inferred));
        assert!(r.inferred.is_some());
    }
}
