//! Line → typed record, with located errors. The decoder is a small state machine over lines: it
//! knows the current format (the default one, or one set by a header line) and classifies every
//! line as a record, a header, a blank line or an error. It never panics and never stops early.

use crate::fields::{field_id, FieldId, DEFAULT_FORMAT};
use crate::lang::{Lang, Text};
use crate::t;
pub use crate::value::{parse_value, Value};
use std::fmt::Write as _;

/// The order of fields in the records being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Format {
    /// The fields, in order.
    pub fields: Vec<FieldId>,
    /// Where this format came from.
    pub origin: FormatOrigin,
}

/// How the format of a record was determined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormatOrigin {
    /// AWS's default format (14 version-2 fields).
    Default,
    /// A header line of field names in the input.
    Header,
}

impl Format {
    /// AWS's default format.
    pub fn default_format() -> Format {
        Format {
            fields: DEFAULT_FORMAT
                .iter()
                .map(|k| field_id(k).expect("default fields are in the table"))
                .collect(),
            origin: FormatOrigin::Default,
        }
    }

    /// Position of field `key` in this format.
    pub fn position(&self, key: &str) -> Option<usize> {
        let id = field_id(key)?;
        self.fields.iter().position(|f| *f == id)
    }

    /// Field names separated by spaces, as in a header line.
    pub fn names(&self) -> String {
        let mut s = String::new();
        for (i, f) in self.fields.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(f.spec().key);
        }
        s
    }
}

impl Default for Format {
    fn default() -> Self {
        Format::default_format()
    }
}

/// What went wrong on a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A field's token is not a valid value of its kind.
    BadValue {
        /// The field.
        field: FieldId,
        /// The token found (shortened if very long).
        found: String,
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
            Problem::FieldCount { .. } => None,
        }
    }

    /// The message, e.g. "line 3, dstport: expected a port 0-65535, found '70000'".
    pub fn message(&self, lang: Lang) -> String {
        let mut s = String::new();
        match (&self.problem, lang) {
            (Problem::BadValue { field, found }, Lang::En) => {
                let spec = field.spec();
                let _ = write!(
                    s,
                    "line {}, {}: expected {}, found '{}'",
                    self.line,
                    spec.key,
                    spec.kind.expectation().get(lang),
                    found
                );
            }
            (Problem::BadValue { field, found }, Lang::Ja) => {
                let spec = field.spec();
                let _ = write!(
                    s,
                    "{} 行目、{}: {}が必要ですが、'{}' でした",
                    self.line,
                    spec.key,
                    spec.kind.expectation().get(lang),
                    found
                );
            }
            (Problem::FieldCount { expected, found }, Lang::En) => {
                let _ = write!(
                    s,
                    "line {}: expected {} space-separated fields, found {}",
                    self.line, expected, found
                );
            }
            (Problem::FieldCount { expected, found }, Lang::Ja) => {
                let _ = write!(
                    s,
                    "{} 行目: 空白区切りのフィールドが {} 個必要ですが、{} 個でした",
                    self.line, expected, found
                );
            }
        }
        s
    }
}

/// What one input line turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A flow log record: its values, in the order of the decoder's format.
    Record(Vec<Value>),
    /// A header line of field names; it sets the format for the lines after it.
    Header,
    /// An empty line, or one of only whitespace.
    Blank,
    /// A line that could not be decoded.
    Error(LineError),
}

/// Counts of what the lines of an input were; `records + headers + blank + errors == lines`.
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
    /// Lines with an error.
    pub errors: u64,
}

impl Counts {
    /// Counts one line's outcome.
    pub fn add(&mut self, line: &Line) {
        self.lines += 1;
        match line {
            Line::Record(_) => self.records += 1,
            Line::Header => self.headers += 1,
            Line::Blank => self.blank += 1,
            Line::Error(_) => self.errors += 1,
        }
    }
}

/// Splits a line into its space-separated tokens: runs of spaces and tabs separate fields; a trailing
/// CR and leading/trailing whitespace are ignored.
pub fn tokens(line: &str) -> impl Iterator<Item = &str> {
    line.split([' ', '\t', '\r']).filter(|t| !t.is_empty())
}

/// Tokens longer than this are shortened in error messages.
const MAX_SHOWN: usize = 60;

fn shorten(token: &str) -> String {
    if token.chars().count() <= MAX_SHOWN {
        return token.to_string();
    }
    let mut s: String = token.chars().take(MAX_SHOWN).collect();
    s.push('…');
    s
}

/// If every token is a known field name (and there is at least one), the format they spell.
pub fn header_format(line: &str) -> Option<Format> {
    let mut fields = Vec::new();
    for token in tokens(line) {
        fields.push(field_id(token)?);
    }
    (!fields.is_empty()).then_some(Format {
        fields,
        origin: FormatOrigin::Header,
    })
}

/// Decodes lines one at a time, keeping the current format and the line number.
#[derive(Clone, Debug, Default)]
pub struct Decoder {
    format: Format,
    line_no: u64,
}

impl Decoder {
    /// A decoder for AWS's default format.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// The format that applies to the next record.
    pub fn format(&self) -> &Format {
        &self.format
    }

    /// The number of the last line decoded (0 before the first).
    pub fn line_no(&self) -> u64 {
        self.line_no
    }

    /// Decodes the next line of the input (without its `\n`; a trailing `\r` is ignored).
    pub fn line(&mut self, line: &str) -> Line {
        self.line_no += 1;
        let mut values = Vec::with_capacity(self.format.fields.len());
        let mut n = 0usize;
        let mut bad: Option<Problem> = None;
        for token in tokens(line) {
            if let Some(&field) = self.format.fields.get(n) {
                if bad.is_none() {
                    match parse_value(field.spec().kind, token) {
                        Some(v) => values.push(v),
                        None => {
                            bad = Some(Problem::BadValue {
                                field,
                                found: shorten(token),
                            })
                        }
                    }
                }
            }
            n += 1;
        }
        if n == 0 {
            return Line::Blank;
        }
        if bad.is_some() || n != self.format.fields.len() {
            if let Some(format) = header_format(line) {
                self.format = format;
                return Line::Header;
            }
        }
        if n != self.format.fields.len() {
            return Line::Error(LineError {
                line: self.line_no,
                problem: Problem::FieldCount {
                    expected: self.format.fields.len(),
                    found: n,
                },
            });
        }
        match bad {
            Some(problem) => Line::Error(LineError {
                line: self.line_no,
                problem,
            }),
            None => Line::Record(values),
        }
    }
}

/// Splits text into lines on `\n`, `\r\n` or a lone `\r`. A final line ending does not start an
/// extra empty line.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\n', '\r']) {
            None => {
                let line = rest;
                rest = "";
                Some(line)
            }
            Some(i) => {
                let line = &rest[..i];
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
                Some(line)
            }
        }
    })
}

/// A localized word for a [`Line`] outcome, for the CLI's counts.
pub const COUNT_LABELS: [(&str, Text); 5] = [
    ("lines", t!("lines", "行")),
    ("records", t!("records", "レコード")),
    ("headers", t!("header lines", "ヘッダー行")),
    ("blank", t!("blank lines", "空行")),
    ("errors", t!("errors", "エラー")),
];

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";

    #[test]
    fn seed_record_has_typed_values() {
        let mut d = Decoder::new();
        let Line::Record(v) = d.line(SEED) else {
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
        assert!(matches!(d.line(&messy), Line::Record(_)));
        assert_eq!(d.line("   "), Line::Blank);
    }

    #[test]
    fn dash_is_absent_and_unknown_account_stays_text() {
        let mut d = Decoder::new();
        let Line::Record(v) =
            d.line("2 unknown eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA")
        else {
            panic!()
        };
        assert_eq!(v[1], Value::Text("unknown".into()));
        assert_eq!(v[3], Value::Absent);
        assert_eq!(v[12], Value::Absent);
    }

    #[test]
    fn bad_port_names_line_field_and_expectation() {
        let mut d = Decoder::new();
        d.line(SEED);
        d.line("");
        let Line::Error(e) = d.line(&SEED.replace(" 123 ", " 70000 ")) else {
            panic!()
        };
        assert_eq!(
            e.message(Lang::En),
            "line 3, dstport: expected a port 0-65535, found '70000'"
        );
        assert_eq!(e.field(), Some("dstport"));
        assert!(e.message(Lang::Ja).starts_with("3 行目、dstport"));
        // the next line still decodes
        assert!(matches!(d.line(SEED), Line::Record(_)));
    }

    #[test]
    fn wrong_field_count_is_an_error() {
        let mut d = Decoder::new();
        let Line::Error(e) = d.line("2 654654279488 eni-01f35fc1a2377de36") else {
            panic!()
        };
        assert_eq!(
            e.problem,
            Problem::FieldCount {
                expected: 14,
                found: 3
            }
        );
    }

    #[test]
    fn header_line_sets_the_format() {
        let mut d = Decoder::new();
        assert_eq!(d.line("srcaddr dstaddr action"), Line::Header);
        let Line::Record(v) = d.line("10.0.0.1 10.0.0.2 REJECT") else {
            panic!()
        };
        assert_eq!(v[2], Value::Text("REJECT".into()));
        assert_eq!(d.line(&DEFAULT_FORMAT.join(" ")), Line::Header);
        assert!(matches!(d.line(SEED), Line::Record(_)));
    }

    #[test]
    fn lines_split_on_all_line_ends() {
        let v: Vec<&str> = lines("a\r\nb\rc\n\nd\n").collect();
        assert_eq!(v, ["a", "b", "c", "", "d"]);
    }
}
