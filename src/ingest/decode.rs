//! Line → typed record, with located errors. The decoder is a small state machine over lines: it
//! knows the current format (the default one, a given one, or one set by a header line) and
//! classifies every line as a record, a header, a blank line or an error. It never panics and never
//! stops early. Transit gateway and VPC records in AWS's default formats may be mixed.

use crate::ingest::shape::WrapperProblem;
use crate::model::fields::{FieldId, Kind};
use crate::model::format::{Column, Format};
use crate::model::problem::{check, id_prefix, is_real_id};
use crate::model::record::Record;
use crate::model::record::RecordView;
use crate::model::tokens::{
    in_range, is_separator, next_token, token_end, tokens, word_at, HIGHS, ONES,
};
use crate::model::value::{parse_value_ref, Value, ValueRef};
use crate::t;
use crate::text::{Lang, Text};
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr};

/// What went wrong on a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Most of the line's values do not fit their fields: it has the format's number of fields
    /// but is not a flow log record (one value that does not fit is a problem of that field, and
    /// the line a record: see [`crate::model::problem`]).
    BadValue {
        /// The first field whose value does not fit.
        field: FieldId,
        /// The token found there (shortened if very long).
        found: String,
        /// How many values do not fit.
        bad: usize,
        /// Of how many.
        of: usize,
    },
    /// The input's wrapper (JSON, CSV, ...) could not be read on this line.
    Wrapper(WrapperProblem),
    /// A header line names a field twice: refused, since a record cannot hold two values under
    /// one name; the format in force is kept.
    DuplicateName {
        /// The name repeated (shortened if very long).
        name: String,
    },
    /// The line has the wrong number of fields for the format.
    FieldCount {
        /// Fields in the format.
        expected: usize,
        /// Tokens on the line.
        found: usize,
    },
}

/// A line that could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// Line number in the input, from 1.
    pub line: u64,
    /// What was wrong.
    pub problem: Problem,
}

impl LineError {
    /// The field at fault, if one is.
    pub fn field(&self) -> Option<&'static str> {
        match self.problem {
            Problem::BadValue { field, .. } => Some(field.spec().key),
            Problem::FieldCount { .. } | Problem::Wrapper(_) | Problem::DuplicateName { .. } => {
                None
            }
        }
    }

    /// The message, e.g. "line 3, dstport: expected a port 0-65535, found '70000'".
    pub fn message(&self, lang: Lang) -> String {
        let mut s = String::new();
        match (&self.problem, lang) {
            (
                Problem::BadValue {
                    field,
                    found,
                    bad,
                    of,
                },
                Lang::En,
            ) => {
                let spec = field.spec();
                let _ = write!(
                    s,
                    "line {}: not a flow log record: {} of its {} values do not fit their fields (first, {}: expected {}, found '{}')",
                    self.line,
                    bad,
                    of,
                    spec.key,
                    spec.kind.expectation().get(lang),
                    found
                );
            }
            (
                Problem::BadValue {
                    field,
                    found,
                    bad,
                    of,
                },
                Lang::Ja,
            ) => {
                let spec = field.spec();
                let _ = write!(
                    s,
                    "{} 行目: フローログレコードではありません。{} 個の値のうち {} 個がフィールドに合いません（最初は {}: {}が必要ですが、'{}' でした）",
                    self.line,
                    of,
                    bad,
                    spec.key,
                    spec.kind.expectation().get(lang),
                    found
                );
            }
            (Problem::Wrapper(problem), Lang::En) => {
                let _ = write!(s, "line {}: {}", self.line, problem.message(lang));
            }
            (Problem::Wrapper(problem), Lang::Ja) => {
                let _ = write!(s, "{} 行目: {}", self.line, problem.message(lang));
            }
            (Problem::DuplicateName { name }, Lang::En) => {
                let _ = write!(
                    s,
                    "line {}: the header line names '{}' twice (a record cannot hold two values under one name); the format in force is kept",
                    self.line, name
                );
            }
            (Problem::DuplicateName { name }, Lang::Ja) => {
                let _ = write!(
                    s,
                    "{} 行目: ヘッダー行に '{}' が 2 回あります（1 つのレコードに同じ名前の値を 2 つは持てません）。それまでの書式のままです",
                    self.line, name
                );
            }
            (Problem::FieldCount { expected, found }, Lang::En) => {
                let _ = write!(
                    s,
                    "line {}: expected {} space-separated fields, found {}",
                    self.line, expected, found
                );
                if let Some(hint) = crate::ingest::infer::count_hint(*found, lang) {
                    let _ = write!(s, " ({hint})");
                }
            }
            (Problem::FieldCount { expected, found }, Lang::Ja) => {
                let _ = write!(
                    s,
                    "{} 行目: 空白区切りのフィールドが {} 個必要ですが、{} 個でした",
                    self.line, expected, found
                );
                if let Some(hint) = crate::ingest::infer::count_hint(*found, lang) {
                    let _ = write!(s, "。{hint}。");
                }
            }
        }
        s
    }
}

/// What one input line turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A flow log record.
    Record(Record),
    /// A header line of field names; it sets the format for the lines after it.
    Header,
    /// An empty line, or one of only whitespace.
    Blank,
    /// A line of the input's wrapper that carries no record (a CSV header, a control message).
    Ignored,
    /// A line that could not be decoded.
    Error(LineError),
}

/// What one input line turned out to be, from [`Decoder::line_into`]: a record's values are in
/// the buffer passed to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A flow log record of format `.0` (an index into [`Decoder::formats`]).
    Record(usize),
    /// A header line of field names.
    Header,
    /// An empty line, or one of only whitespace.
    Blank,
    /// A line that could not be decoded.
    Error(LineError),
}

/// Counts of what the lines of an input were;
/// `records + headers + blank + ignored + errors == lines`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Lines read.
    pub lines: u64,
    /// Flow log records.
    pub records: u64,
    /// Header lines.
    pub headers: u64,
    /// Blank lines.
    pub blank: u64,
    /// Wrapper lines with no record (CSV headers, control messages).
    pub ignored: u64,
    /// Lines with an error.
    pub errors: u64,
    /// Records with a problem in one field or more (counted in `records` too).
    pub problems: u64,
}

/// What a line was, for the counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A record.
    Record,
    /// A header line.
    Header,
    /// A blank line.
    Blank,
    /// A wrapper line with no record.
    Ignored,
    /// A line that could not be decoded.
    Error,
}

impl Line {
    /// What the line was, for the counts.
    pub fn outcome(&self) -> Outcome {
        match self {
            Line::Record(_) => Outcome::Record,
            Line::Header => Outcome::Header,
            Line::Blank => Outcome::Blank,
            Line::Ignored => Outcome::Ignored,
            Line::Error(_) => Outcome::Error,
        }
    }
}

impl LineKind {
    /// What the line was, for the counts.
    pub fn outcome(&self) -> Outcome {
        match self {
            LineKind::Record(_) => Outcome::Record,
            LineKind::Header => Outcome::Header,
            LineKind::Blank => Outcome::Blank,
            LineKind::Error(_) => Outcome::Error,
        }
    }
}

impl Counts {
    /// Counts `n` lines of one outcome.
    pub fn add(&mut self, outcome: Outcome, n: u64) {
        self.lines += n;
        let count = match outcome {
            Outcome::Record => &mut self.records,
            Outcome::Header => &mut self.headers,
            Outcome::Blank => &mut self.blank,
            Outcome::Ignored => &mut self.ignored,
            Outcome::Error => &mut self.errors,
        };
        *count += n;
    }
}

/// The value of the `k` (1-8) digits in the low bytes of `x`, the bytes already less `'0'` (the
/// first digit in the lowest byte): the bytes above them are shifted out, then the digits are
/// combined in pairs, fours and eights with three multiplies.
#[inline]
fn digits_value(x: u64, k: u32) -> u64 {
    let v = x << (8 * (8 - k));
    let v = v.wrapping_mul(10).wrapping_add(v >> 8) & 0x00ff_00ff_00ff_00ff;
    let v = v.wrapping_mul(100).wrapping_add(v >> 16) & 0x0000_ffff_0000_ffff;
    v.wrapping_mul(10_000).wrapping_add(v >> 32) & 0xffff_ffff
}

/// Powers of ten, for joining a number read in runs of up to eight digits.
const POW10: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// A token of 1-19 decimal digits at `start`: its value and end. `None` for anything else
/// (no digit, twenty digits or more, a byte that is neither a digit nor a separator), which the
/// caller hands to the kind's parser. Eight bytes at a time where the line has them.
#[inline]
fn scan_uint(b: &[u8], start: usize) -> Option<(u64, usize)> {
    let mut i = start;
    let mut n: u64 = 0;
    while let Some(w) = word_at(b, i) {
        let x = w ^ (ONES * u64::from(b'0'));
        // A byte of `x` above 9 is no digit; the lowest such byte is found exactly (a carry only
        // goes up from a byte that is itself flagged).
        let not_digit = (x.wrapping_add(ONES * 0x76) | x) & HIGHS;
        let k = if not_digit == 0 {
            8
        } else {
            not_digit.trailing_zeros() / 8
        };
        if k > 0 {
            n = n
                .wrapping_mul(POW10[k as usize])
                .wrapping_add(digits_value(x, k));
            i += k as usize;
        }
        if k < 8 || i - start >= 20 {
            break;
        }
    }
    if i - start < 20 {
        while let Some(&c) = b.get(i) {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            n = n.wrapping_mul(10).wrapping_add(u64::from(d));
            i += 1;
        }
    }
    let ends = b.get(i).is_none_or(|&c| is_separator(c));
    (i > start && i - start < 20 && ends).then_some((n, i))
}

/// An AWS resource ID at `start`: `prefix`, then one lower-case letter or digit or more, ending
/// the token: its end, and whether the part after the prefix is as AWS writes it
/// ([`is_real_id`]: 8 or 17 hexadecimal digits), found in the same pass. `None` for anything
/// else, which the caller hands to the kind's parser. Eight bytes at a time where the line has
/// them.
#[inline]
fn scan_id(b: &[u8], start: usize, prefix: &[u8], word: u64) -> Option<(usize, bool)> {
    let starts = match word_at(b, start) {
        // The prefix's bytes of the eight at `start`, compared at once.
        Some(w) => (w ^ word) & (u64::MAX >> (64 - 8 * prefix.len())) == 0,
        None => b.get(start..)?.starts_with(prefix),
    };
    if !starts {
        return None;
    }
    let from = start + prefix.len();
    let mut i = from;
    // The high bit of each letter `g`-`z` read (a lower-case letter that is no hex digit).
    let mut not_hex = 0;
    while let Some(w) = word_at(b, i) {
        let above_f = in_range(w, b'g', b'z');
        let ok = in_range(w, b'0', b'9') | in_range(w, b'a', b'f') | above_f;
        let bad = !ok & HIGHS;
        if bad != 0 {
            // Only the bytes below the first that is no letter or digit are the ID's.
            not_hex |= above_f & ((bad & bad.wrapping_neg()) - 1);
            i += (bad.trailing_zeros() / 8) as usize;
            break;
        }
        not_hex |= above_f;
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if !(c.is_ascii_lowercase() || c.is_ascii_digit()) {
            break;
        }
        not_hex |= u64::from(c > b'f');
        i += 1;
    }
    let real = matches!(i - from, 8 | 17) && not_hex == 0;
    (i > from && b.get(i).is_none_or(|&c| is_separator(c))).then_some((i, real))
}

/// The bytes of an ID's prefix (2-7 of them) as the low bytes of a word, for [`scan_id`].
const fn prefix_word(prefix: &[u8]) -> u64 {
    let mut word = 0;
    let mut i = prefix.len();
    while i > 0 {
        i -= 1;
        word = word << 8 | prefix[i] as u64;
    }
    word
}

/// A dotted-quad IPv4 address at `start` by the standard library's rules (four octets of 1-3
/// digits, at most 255, no leading zero) ending the token: the address and its end. `None` for
/// anything else, which the caller hands to the kind's parser.
#[inline]
fn scan_ipv4(b: &[u8], start: usize) -> Option<(Ipv4Addr, usize)> {
    crate::model::value::ipv4_at(b, start)
        .filter(|(_, end)| b.get(*end).is_none_or(|&c| is_separator(c)))
}

/// Token spans kept beyond this many are given back after a line (a hostile line may have half a
/// million tokens).
const KEEP_SPANS: usize = 1024;

/// Tokens longer than this are shortened in error messages.
const MAX_SHOWN: usize = 60;

/// The token for a message: at most [`MAX_SHOWN`] characters, control characters escaped (`\u{1b}`)
/// so that a message printed to a terminal cannot act on it.
fn shorten(token: &str) -> String {
    let mut s = String::new();
    for (i, c) in token.chars().enumerate() {
        if i == MAX_SHOWN {
            s.push('…');
            break;
        }
        if c.is_control() {
            s.extend(c.escape_default());
        } else {
            s.push(c);
        }
    }
    s
}

/// How the one-pass path reads a column of a format, resolved once per format: the common shapes
/// of a few kinds are read while the token is scanned; every other token (and `-`) goes to the
/// column kind's parser, so the values are always those [`parse_value_ref`] gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fast {
    /// 1-19 decimal digits, at most `.0`.
    Uint(u64),
    /// A dotted-quad IPv4 address.
    Ipv4,
    /// Twelve digits (an account ID).
    Digits12,
    /// An AWS resource ID: the prefix (`eni-`, and as [`prefix_word`]), then lower-case letters
    /// and digits.
    Id(&'static [u8], u64),
    /// Nothing: the token, then the kind's parser.
    None,
}

/// One column of a plan: its fast shape and its kind (`None` for a field flowlens does not know).
type Step = (Fast, Option<Kind>);

fn plan(format: &Format) -> Box<[Step]> {
    let step = |column: &Column| {
        let Column::Known(field) = column else {
            return (Fast::None, None);
        };
        let kind = field.spec().kind;
        let fast = match kind {
            Kind::Version | Kind::Protocol | Kind::TcpFlags => Fast::Uint(u64::from(u8::MAX)),
            Kind::Port => Fast::Uint(u64::from(u16::MAX)),
            Kind::Packets | Kind::Bytes | Kind::Time | Kind::PacketsLost => Fast::Uint(u64::MAX),
            Kind::Address => Fast::Ipv4,
            Kind::AccountId => Fast::Digits12,
            Kind::InterfaceId => Fast::Id(b"eni-", prefix_word(b"eni-")),
            Kind::VpcId => Fast::Id(b"vpc-", prefix_word(b"vpc-")),
            Kind::SubnetId => Fast::Id(b"subnet-", prefix_word(b"subnet-")),
            Kind::InstanceId => Fast::Id(b"i-", prefix_word(b"i-")),
            _ => Fast::None,
        };
        (fast, Some(kind))
    };
    format.columns.iter().map(step).collect()
}

/// Decodes lines one at a time, keeping the formats seen and the current one.
#[derive(Clone, Debug)]
pub struct Decoder {
    formats: Vec<Format>,
    /// For each format: how the one-pass path reads each of its columns.
    plans: Vec<Box<[Step]>>,
    current: usize,
    /// The token spans of the line being decoded (reused from line to line).
    spans: Vec<(usize, usize)>,
    /// What the last line decoded as a record was like.
    last: LineFacts,
}

/// What a record's line was like, beyond its values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct LineFacts {
    /// Values with a problem ([`crate::model::problem::check`]).
    problems: u32,
    /// The line is its values written back with single spaces (no other whitespace, numbers
    /// and addresses as written): its text need not be kept apart.
    verbatim: bool,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::with_format(Format::default_format())
    }
}

impl Decoder {
    /// A decoder for AWS's default format.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// A decoder for `format` (until a header line says otherwise).
    pub fn with_format(format: Format) -> Decoder {
        Decoder {
            plans: vec![plan(&format)],
            formats: vec![format],
            current: 0,
            spans: Vec::new(),
            last: LineFacts::default(),
        }
    }

    /// Makes `format` the current one.
    pub fn set_format(&mut self, format: Format) {
        self.current = self.intern(format);
    }

    fn intern(&mut self, format: Format) -> usize {
        match self.formats.iter().position(|f| *f == format) {
            Some(i) => i,
            None => {
                self.plans.push(plan(&format));
                self.formats.push(format);
                self.formats.len() - 1
            }
        }
    }

    /// The format that applies to the next record.
    pub fn format(&self) -> &Format {
        &self.formats[self.current]
    }

    /// How many values of the last record decoded have a problem (a value that does not fit its
    /// field, kept as written: see [`crate::model::problem`]).
    pub fn last_problems(&self) -> u32 {
        self.last.problems
    }

    /// True when the last record's line is its values written back with single spaces, so that
    /// its text need not be kept apart (`raw` is the line as given).
    pub fn last_verbatim(&self) -> bool {
        self.last.verbatim
    }

    /// Every format seen so far; [`Record::format`] indexes this.
    pub fn formats(&self) -> &[Format] {
        &self.formats
    }

    /// Decodes line `number` of the input (without its line end).
    pub fn line(&mut self, number: u64, line: &str) -> Line {
        let mut values = Vec::new();
        match self.line_into(number, line, &mut values) {
            LineKind::Record(format) => Line::Record(
                RecordView {
                    format,
                    values: &values,
                    raw: None,
                }
                .to_record(),
            ),
            LineKind::Header => Line::Header,
            LineKind::Blank => Line::Blank,
            LineKind::Error(e) => Line::Error(e),
        }
    }

    /// Decodes line `number` of the input (without its line end) as [`Decoder::line`] does, without
    /// allocating: a record's values are left in `values` (cleared first), borrowing from `line`.
    pub fn line_into<'a>(
        &mut self,
        number: u64,
        line: &'a str,
        values: &mut Vec<ValueRef<'a>>,
    ) -> LineKind {
        values.clear();
        if let Some(facts) = self.record_fast(line, values) {
            self.last = facts;
            return LineKind::Record(self.current);
        }
        values.clear();
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        let b = line.as_bytes();
        let mut at = 0;
        while let Some(span) = next_token(b, at) {
            at = span.1;
            spans.push(span);
        }
        let kind = self.classify_line(number, line, &spans, values);
        if spans.capacity() > KEEP_SPANS {
            spans = Vec::new();
        }
        self.spans = spans;
        kind
    }

    /// The common case in one pass over the bytes: `line` has exactly the current format's
    /// columns and each token is a value of its column (an AWS resource ID that is a placeholder,
    /// `vpc-1`, is counted as a problem). `None` otherwise (`values` then holds a prefix of the
    /// values), and [`Decoder::classify_line`] decides what the line is: for a line this accepts,
    /// it would find the same record (as many tokens as columns, a first token that is a value of
    /// the first column, so not read as a header).
    #[inline]
    fn record_fast<'a>(&self, line: &'a str, values: &mut Vec<ValueRef<'a>>) -> Option<LineFacts> {
        let b = line.as_bytes();
        let mut at = 0;
        let plan = &self.plans[self.current];
        values.reserve(plan.len());
        let mut problems = 0u32;
        // The separators before the tokens, and the gaps whose first byte is a space. Every
        // token but the first follows one separator or more, so the line is spaced as its values
        // written back only when there are as many separators as gaps between the tokens, and
        // as many of those gaps start with a space (the first token's own first byte, where its
        // gap is empty, is no separator).
        let mut gaps = 0;
        let mut spaces = 0;
        let mut odd_value = false;
        for &(fast, kind) in plan.iter() {
            let gap_from = at;
            while at < b.len() && is_separator(b[at]) {
                at += 1;
            }
            if at >= b.len() {
                return None;
            }
            gaps += at - gap_from;
            spaces += usize::from(b[gap_from] == b' ');
            let start = at;
            let fused = match fast {
                Fast::Uint(max) => match scan_uint(b, start) {
                    Some((n, _)) if n > max => return None,
                    Some((n, end)) => {
                        odd_value |= (b[start] == b'0') & (end - start > 1);
                        Some((ValueRef::UInt(n), end))
                    }
                    None => None,
                },
                Fast::Ipv4 => {
                    scan_ipv4(b, start).map(|(a, end)| (ValueRef::Addr(IpAddr::V4(a)), end))
                }
                Fast::Digits12 => match scan_uint(b, start) {
                    // Digits are ASCII, so both ends are character boundaries.
                    Some((_, end)) if end - start == 12 => {
                        Some((ValueRef::Text(&line[start..end]), end))
                    }
                    _ => None,
                },
                Fast::Id(prefix, word) => scan_id(b, start, prefix, word).map(|(end, real)| {
                    problems += u32::from(!real);
                    // The ID is ASCII, so both ends are character boundaries.
                    (ValueRef::Text(&line[start..end]), end)
                }),
                Fast::None => None,
            };
            let v = match fused {
                Some((v, end)) => {
                    at = end;
                    v
                }
                None => {
                    at = token_end(b, start + 1);
                    // Separators are ASCII, so both ends are character boundaries.
                    let token = &line[start..at];
                    let parsed = match kind {
                        Some(kind) => parse_value_ref(kind, token),
                        None if token == "-" => Some(ValueRef::Absent),
                        None => Some(ValueRef::Text(token)),
                    };
                    let v = parsed?;
                    // A value its kind's parser takes has no problem unless it is an ID that
                    // AWS would not write (`tgw-1`).
                    if let (ValueRef::Text(t), Some(prefix)) = (v, kind.and_then(id_prefix)) {
                        let rest = t.as_bytes().get(prefix.len()..).unwrap_or_default();
                        problems += u32::from(!is_real_id(rest));
                    }
                    odd_value |= !written_as(v, token);
                    v
                }
            };
            values.push(v);
        }
        if next_token(b, at).is_some() {
            return None;
        }
        Some(LineFacts {
            problems,
            verbatim: gaps == plan.len().saturating_sub(1)
                && spaces == gaps
                && !odd_value
                && at == b.len(),
        })
    }

    fn classify_line<'a>(
        &mut self,
        number: u64,
        line: &'a str,
        spans: &[(usize, usize)],
        values: &mut Vec<ValueRef<'a>>,
    ) -> LineKind {
        let n = spans.len();
        if n == 0 {
            return LineKind::Blank;
        }
        let token = |i: usize| &line[spans[i].0..spans[i].1];
        let current = self.format();
        if n != current.len() || !starts_like(token(0), current) {
            match Format::read_header(line) {
                Some(Ok(format)) => {
                    self.set_format(format);
                    return LineKind::Header;
                }
                Some(Err(name)) => {
                    return LineKind::Error(LineError {
                        line: number,
                        problem: Problem::DuplicateName {
                            name: shorten(name),
                        },
                    })
                }
                None => {}
            }
        }
        let tokens = spans.iter().map(|&(s, e)| &line[s..e]);
        let spaced = spans.first().is_some_and(|f| f.0 == 0)
            && spans.last().is_some_and(|l| l.1 == line.len())
            && spans
                .windows(2)
                .all(|w| w[1].0 == w[0].1 + 1 && line.as_bytes()[w[0].1] == b' ');
        // AWS's two default formats may be mixed in one input.
        if n != current.len() {
            let alternates = [
                Some(Format::default_format()),
                Format::transit_gateway_default(),
            ];
            for alt in alternates.into_iter().flatten() {
                if alt.len() == n {
                    let fit = decode_tokens(&alt, tokens.clone(), values);
                    if fit.is_record() {
                        self.last = fit.facts(spaced);
                        return LineKind::Record(self.intern(alt));
                    }
                }
            }
            values.clear();
            return LineKind::Error(LineError {
                line: number,
                problem: Problem::FieldCount {
                    expected: self.format().len(),
                    found: n,
                },
            });
        }
        let fit = decode_tokens(&self.formats[self.current], tokens, values);
        if fit.is_record() {
            self.last = fit.facts(spaced);
            return LineKind::Record(self.current);
        }
        values.clear();
        // Not a record: more values are bad than fit, so there is a first bad one.
        let problem = match fit.first_bad {
            Some((field, found)) => Problem::BadValue {
                field,
                found: shorten(found),
                bad: fit.bad as usize,
                of: n,
            },
            None => Problem::FieldCount {
                expected: n,
                found: n,
            },
        };
        LineKind::Error(LineError {
            line: number,
            problem,
        })
    }
}

/// How a line's tokens fit a format's columns.
#[derive(Clone, Copy, Debug, Default)]
struct Fit<'a> {
    /// Values that are not values of their kind (kept as text).
    bad: u32,
    /// Values that are (`-` included).
    good: u32,
    /// Values with a problem: the bad ones and placeholder IDs.
    problems: u32,
    /// Every value written as it reads back (numbers without leading zeros, ...).
    written: bool,
    /// The first bad value.
    first_bad: Option<(FieldId, &'a str)>,
}

impl Fit<'_> {
    /// A line is a record when no more of its values are bad than fit: a line of words that
    /// happens to have as many as the format is not one.
    fn is_record(&self) -> bool {
        self.bad <= self.good
    }

    fn facts(&self, spaced: bool) -> LineFacts {
        LineFacts {
            problems: self.problems,
            verbatim: spaced && self.written,
        }
    }
}

/// True when `first`, a line's first token, is a valid value of the format's first column (a
/// cheap test that tells a record from a header line).
fn starts_like(first: &str, format: &Format) -> bool {
    match format.columns.first() {
        Some(Column::Known(f)) => parse_value_ref(f.spec().kind, first).is_some(),
        _ => true,
    }
}

/// Parses the tokens of `line` as the columns of `format` (the counts must match): the values,
/// a value that does not fit its field kept as text (see [`crate::model::problem`]); an error
/// when the line is no record (more of its values are bad than fit).
pub fn decode_values(format: &Format, line: &str) -> Result<Vec<Value>, Problem> {
    let mut values = Vec::with_capacity(format.len());
    let fit = decode_tokens(format, tokens(line), &mut values);
    match fit.first_bad {
        Some((field, found)) if !fit.is_record() => Err(Problem::BadValue {
            field,
            found: shorten(found),
            bad: fit.bad as usize,
            of: values.len(),
        }),
        _ => Ok(values.into_iter().map(ValueRef::to_value).collect()),
    }
}

/// Parses `tokens` as the columns of `format` into `values` (cleared first); a token that is no
/// value of its column is kept as text.
fn decode_tokens<'a>(
    format: &Format,
    tokens: impl Iterator<Item = &'a str>,
    values: &mut Vec<ValueRef<'a>>,
) -> Fit<'a> {
    values.clear();
    let mut fit = Fit {
        written: true,
        ..Fit::default()
    };
    for (column, token) in format.columns.iter().zip(tokens) {
        match column_value(column, token) {
            Ok(v) => {
                fit.good += 1;
                fit.written &= written_as(v, token);
                if let Column::Known(field) = column {
                    fit.problems += u32::from(check(field.spec().kind, v).is_some());
                }
                values.push(v);
            }
            Err(field) => {
                fit.bad += 1;
                fit.problems += 1;
                fit.first_bad.get_or_insert((field, token));
                values.push(ValueRef::Text(token));
            }
        }
    }
    fit
}

/// True when `v` written back is `token` (a number with leading zeros or an IPv6 address not in
/// its shortest form is not).
#[inline]
fn written_as(v: ValueRef<'_>, token: &str) -> bool {
    match v {
        ValueRef::UInt(_) => !(token.len() > 1 && token.starts_with('0')),
        ValueRef::Addr(IpAddr::V6(a)) => {
            let mut buf = ShortBuf::default();
            write!(buf, "{a}").is_ok() && buf.as_bytes() == token.as_bytes()
        }
        _ => true,
    }
}

/// A small buffer on the stack for writing an IPv6 address back (at most 45 characters).
struct ShortBuf {
    bytes: [u8; 48],
    len: usize,
}

impl Default for ShortBuf {
    fn default() -> Self {
        ShortBuf {
            bytes: [0; 48],
            len: 0,
        }
    }
}

impl ShortBuf {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl std::fmt::Write for ShortBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes
            .get_mut(self.len..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The value of `token` in `column`, or the field whose values it is not (a field flowlens does
/// not know takes any token, `-` as absent).
#[inline]
fn column_value<'a>(column: &Column, token: &'a str) -> Result<ValueRef<'a>, FieldId> {
    match column {
        Column::Known(field) => parse_value_ref(field.spec().kind, token).ok_or(*field),
        Column::Unknown(_) if token == "-" => Ok(ValueRef::Absent),
        Column::Unknown(_) => Ok(ValueRef::Text(token)),
    }
}

/// A localized word for a [`Line`] outcome, for the CLI's counts.
pub const COUNT_LABELS: [(&str, Text); 6] = [
    ("lines", t!("lines", "行")),
    ("records", t!("records", "レコード")),
    ("headers", t!("header lines", "ヘッダー行")),
    ("blank", t!("blank lines", "空行")),
    ("ignored", t!("ignored lines", "無視した行")),
    ("errors", t!("errors", "エラー")),
];

impl Counts {
    /// The count named `key` in [`COUNT_LABELS`].
    pub fn get(&self, key: &str) -> u64 {
        match key {
            "lines" => self.lines,
            "records" => self.records,
            "headers" => self.headers,
            "blank" => self.blank,
            "ignored" => self.ignored,
            _ => self.errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::fields::DEFAULT_FORMAT;
    use crate::model::format::FormatOrigin;
    use crate::model::tokens::lines;

    const SEED: &str = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";

    #[test]
    fn seed_record_has_typed_values() {
        let mut d = Decoder::new();
        let Line::Record(Record { values: v, .. }) = d.line(1, SEED) else {
            panic!("not a record")
        };
        assert_eq!(v[0], Value::UInt(2));
        assert_eq!(v[1], Value::Text("654654279488".into()));
        assert_eq!(v[3], Value::Addr("10.0.4.135".parse().unwrap()));
        assert_eq!(v[5], Value::UInt(35098));
        assert_eq!(v[7], Value::UInt(17));
        assert_eq!(v[11], Value::UInt(1744521793));
        assert_eq!(v[13], Value::Text("OK".into()));
    }

    #[test]
    fn tolerates_runs_of_spaces_crlf_and_surrounding_whitespace() {
        let mut d = Decoder::new();
        let messy = format!("  {}  \r", SEED.replace(' ', "  "));
        assert!(matches!(d.line(1, &messy), Line::Record(_)));
        assert_eq!(d.line(2, "   "), Line::Blank);
    }

    #[test]
    fn dash_is_absent_and_unknown_account_stays_text() {
        let mut d = Decoder::new();
        let Line::Record(Record { values: v, .. }) = d.line(
            1,
            "2 unknown eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
        ) else {
            panic!()
        };
        assert_eq!(v[1], Value::Text("unknown".into()));
        assert_eq!(v[3], Value::Absent);
        assert_eq!(v[12], Value::Absent);
    }

    #[test]
    fn a_bad_value_is_a_problem_of_its_field_and_the_line_a_record() {
        let mut d = Decoder::new();
        d.line(1, SEED);
        d.line(2, "");
        let Line::Record(Record { values: v, .. }) = d.line(3, &SEED.replace(" 123 ", " 70000 "))
        else {
            panic!()
        };
        // Kept as written, as text; every other value typed.
        assert_eq!(v[6], Value::Text("70000".into()));
        assert_eq!(v[5], Value::UInt(35098));
        assert_eq!(d.last_problems(), 1);
        // A placeholder ID is a problem too, the record still a record.
        assert!(matches!(
            d.line(4, &SEED.replace("eni-01f35fc1a2377de36", "eni-1")),
            Line::Record(_)
        ));
        assert_eq!(d.last_problems(), 1);
        assert!(matches!(d.line(5, SEED), Line::Record(_)));
        assert_eq!(d.last_problems(), 0);
    }

    #[test]
    fn words_as_many_as_the_fields_are_no_record() {
        let mut d = Decoder::new();
        let words = "this is not a flow log line but it has fourteen words in it";
        let Line::Error(e) = d.line(3, words) else {
            panic!()
        };
        assert_eq!(
            e.message(Lang::En),
            "line 3: not a flow log record: 14 of its 14 values do not fit their fields (first, version: expected a version number (integer), found 'this')"
        );
        assert_eq!(e.field(), Some("version"));
        assert!(e
            .message(Lang::Ja)
            .starts_with("3 行目: フローログレコードではありません"));
        // the next line still decodes
        assert!(matches!(d.line(4, SEED), Line::Record(_)));
    }

    #[test]
    fn verbatim_lines_are_told_from_others() {
        let mut d = Decoder::new();
        d.line(1, SEED);
        assert!(d.last_verbatim());
        for other in [
            SEED.replace(" 123 ", "  123 "),
            SEED.replace(" 123 ", "\t123 "),
            format!("{SEED} "),
            format!(" {SEED}"),
            SEED.replace(" 123 ", " 0123 "),
            SEED.replace("10.0.4.135", "2001:DB8::1"),
        ] {
            assert!(matches!(d.line(2, &other), Line::Record(_)), "{other:?}");
            assert!(!d.last_verbatim(), "{other:?}");
        }
        d.line(3, &SEED.replace("10.0.4.135", "2001:db8::1"));
        assert!(d.last_verbatim());
        d.line(4, &SEED.replace(" 123 ", " 70000 "));
        assert!(d.last_verbatim());
    }

    #[test]
    fn wrong_field_count_is_an_error() {
        let mut d = Decoder::new();
        let Line::Error(e) = d.line(1, "2 654654279488 eni-01f35fc1a2377de36") else {
            panic!()
        };
        assert_eq!(
            e.problem,
            Problem::FieldCount {
                expected: 14,
                found: 3
            }
        );
        // A cut line gets no guess at its format.
        assert_eq!(
            e.message(Lang::En),
            "line 1: expected 14 space-separated fields, found 3"
        );
    }

    #[test]
    fn wrong_field_count_says_which_format_the_line_looks_like() {
        let mut d = Decoder::new();
        let v3 = "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK";
        let Line::Error(e) = d.line(2, v3) else {
            panic!()
        };
        assert_eq!(
            e.message(Lang::En),
            "line 2: expected 14 space-separated fields, found 21 (21 fields: this looks like a version 3 custom format (every field up to version 3, in AWS's order); add a header line or give the format)"
        );
        assert_eq!(
            e.message(Lang::Ja),
            "2 行目: 空白区切りのフィールドが 14 個必要ですが、21 個でした。21 個のフィールドはバージョン 3 のカスタム形式（バージョン 3 までの全フィールドを AWS の順序で並べたもの）のようです。ヘッダー行を追加するか、形式を指定してください。"
        );
    }

    #[test]
    fn header_line_sets_the_format() {
        let mut d = Decoder::new();
        assert_eq!(d.line(1, "srcaddr dstaddr action"), Line::Header);
        let Line::Record(Record { values: v, format }) = d.line(2, "10.0.0.1 10.0.0.2 REJECT")
        else {
            panic!()
        };
        assert_eq!(v[2], Value::Text("REJECT".into()));
        assert_eq!(d.formats()[format].origin, FormatOrigin::Header);
        assert_eq!(d.line(3, &DEFAULT_FORMAT.join(" ")), Line::Header);
        assert!(matches!(d.line(4, SEED), Line::Record(_)));
        // a repeated header (concatenated files) is a header again, not an error
        assert_eq!(d.line(5, &DEFAULT_FORMAT.join(" ")), Line::Header);
        assert_eq!(d.formats().len(), 3);
    }

    #[test]
    fn unknown_columns_are_kept_raw() {
        let mut d = Decoder::new();
        assert_eq!(d.line(1, "srcaddr some-new-field action"), Line::Header);
        let Line::Record(Record { values, .. }) = d.line(2, "10.0.0.1 xyz ACCEPT") else {
            panic!()
        };
        assert_eq!(values[1], Value::Text("xyz".into()));
    }

    #[test]
    fn scanners_agree_with_byte_by_byte_reading() {
        let digits = "98765432109876543210987";
        for len in 0..=digits.len() {
            for tail in ["", " x", "\t", "a", "-", ".", "/", ":"] {
                for lead in ["", "7 "] {
                    let text = format!("{lead}{}{tail}", &digits[..len]);
                    let want = (1..20).contains(&len)
                        && (tail.is_empty() || tail.starts_with([' ', '\t']));
                    let got = scan_uint(text.as_bytes(), lead.len());
                    let value = digits[..len].parse::<u64>().ok();
                    assert_eq!(
                        got,
                        want.then(|| (value.unwrap(), lead.len() + len)),
                        "{text:?}"
                    );
                }
            }
        }
        for id in ["eni-0a", "eni-0123456789abcdef0", "eni-0123456789abcdefz9y"] {
            for tail in ["", " 1", "A", "-", "_", "\u{e9}"] {
                let text = format!("{id}{tail}");
                let ok = tail.is_empty() || tail.starts_with(' ');
                let real = is_real_id(&id.as_bytes()[4..]);
                assert_eq!(
                    scan_id(text.as_bytes(), 0, b"eni-", prefix_word(b"eni-")),
                    ok.then_some((id.len(), real)),
                    "{text:?}"
                );
            }
        }
        // Whether the ID is as AWS writes it, at every length and with a letter past `f` at
        // every place (in a word read at once or in the bytes after it).
        let hex = "0123456789abcdef0123456789";
        for len in 1..=hex.len() {
            for at in 0..=len {
                let mut rest = hex[..len].to_string();
                if at < len {
                    rest.replace_range(at..=at, "g");
                }
                for tail in ["", " x", "\t", "Z"] {
                    let text = format!("eni-{rest}{tail}");
                    let got = scan_id(text.as_bytes(), 0, b"eni-", prefix_word(b"eni-"));
                    let want = (tail != "Z").then(|| (4 + len, is_real_id(rest.as_bytes())));
                    assert_eq!(got, want, "{text:?}");
                }
            }
        }
        assert_eq!(scan_id(b"eni- x", 0, b"eni-", prefix_word(b"eni-")), None);
        assert_eq!(scan_id(b"vpc-1", 0, b"eni-", prefix_word(b"eni-")), None);
        for text in ["vpc-01234567", "eni_01234567", "enj-01234567", "eni-"] {
            assert_eq!(
                scan_id(text.as_bytes(), 0, b"eni-", prefix_word(b"eni-")),
                None
            );
        }
        let word = prefix_word(b"subnet-");
        assert_eq!(
            scan_id(b"subnet-01234567", 0, b"subnet-", word),
            Some((15, true))
        );
        assert_eq!(scan_id(b"subnet_01234567", 0, b"subnet-", word), None);
    }

    #[test]
    fn lines_split_on_all_line_ends() {
        let v: Vec<&str> = lines("a\r\nb\rc\n\nd\n").collect();
        assert_eq!(v, ["a", "b", "c", "", "d"]);
    }
}
