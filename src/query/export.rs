//! Exports of selected records, written a chunk at a time (a page holding a million records must
//! not build one giant text): CSV ([`super::Csv`]: every field of the input's formats and the
//! derived columns) and NDJSON (one object per record: `line`, `raw`, `fields` and `problems` as
//! the CLI's `--json` writes them, and `derived`: the CSV's derived columns, `null` where a fact
//! has no value).

use super::csv::{Csv, DERIVED_COLUMNS};
use crate::classify::aws::AwsRanges;
use crate::explain::entry::RecordProblem;
use crate::explain::problems::problems;
use crate::explain::record_text;
use crate::explain::{ByField, FieldValue};
use crate::model::record::RecordRef;
use crate::model::value::ValueRef;
use crate::store::Decoded;
use crate::text::Lang;
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;
use std::str::FromStr;

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// CSV (RFC 4180), a header line first.
    Csv,
    /// One JSON object per line.
    Ndjson,
}

impl ExportKind {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportKind::Csv => "csv",
            ExportKind::Ndjson => "ndjson",
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportKind::Csv => "text/csv",
            ExportKind::Ndjson => "application/x-ndjson",
        }
    }
}

/// An export kind that is not `csv` or `ndjson`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportKindError(pub String);

impl fmt::Display for ExportKindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot export as '{}': use csv or ndjson", self.0)
    }
}

impl std::error::Error for ExportKindError {}

impl FromStr for ExportKind {
    type Err = ExportKindError;

    fn from_str(s: &str) -> Result<ExportKind, ExportKindError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(ExportKind::Csv),
            "ndjson" | "jsonl" | "json" => Ok(ExportKind::Ndjson),
            _ => Err(ExportKindError(s.to_string())),
        }
    }
}

/// An export under way: the rows to write and how far it got.
#[derive(Clone, Debug)]
pub struct Export {
    kind: ExportKind,
    rows: Vec<u32>,
    next: usize,
    started: bool,
    /// The language of the problems' messages (NDJSON).
    lang: Lang,
}

impl Export {
    /// The same, its problems' messages in `lang` (English unless said).
    pub fn with_lang(mut self, lang: Lang) -> Export {
        self.lang = lang;
        self
    }

    /// An export of `rows` (store rows, in the order to write them; rows that are not records
    /// are skipped).
    pub fn new(kind: ExportKind, rows: Vec<u32>) -> Export {
        Export {
            kind,
            rows,
            next: 0,
            started: false,
            lang: Lang::En,
        }
    }

    /// What it writes.
    pub fn kind(&self) -> ExportKind {
        self.kind
    }

    /// Rows to write in all.
    pub fn total(&self) -> usize {
        self.rows.len()
    }

    /// Rows written so far.
    pub fn done(&self) -> usize {
        self.next
    }

    /// True once every row is written.
    pub fn finished(&self) -> bool {
        self.started && self.next >= self.rows.len()
    }

    /// Appends the next part of the export to `out`: whole lines, until `out` holds at least
    /// `max_bytes` or the rows run out (the header line first). Returns false once nothing is
    /// left to write.
    pub fn next_chunk(
        &mut self,
        decoded: &Decoded,
        aws: Option<&AwsRanges>,
        max_bytes: usize,
        out: &mut Vec<u8>,
    ) -> bool {
        if self.finished() {
            return false;
        }
        let csv = Csv::new(decoded, aws, None);
        if !self.started {
            self.started = true;
            if self.kind == ExportKind::Csv {
                out.extend_from_slice(csv.header().as_bytes());
                out.extend_from_slice(b"\r\n");
            }
        }
        // A few rows at a time, so that the size is checked often without a call per row.
        const STEP: usize = 64;
        while self.next < self.rows.len() && out.len() < max_bytes {
            let end = (self.next + STEP).min(self.rows.len());
            let rows = &self.rows[self.next..end];
            match self.kind {
                ExportKind::Csv => {
                    // Writing to a Vec cannot fail.
                    let _ = csv.write_rows(out, rows);
                }
                ExportKind::Ndjson => ndjson_rows(decoded, &csv, rows, self.lang, out),
            }
            self.next = end;
        }
        true
    }
}

/// Writes one NDJSON line per record of `rows`.
fn ndjson_rows(decoded: &Decoded, csv: &Csv<'_>, rows: &[u32], lang: Lang, out: &mut Vec<u8>) {
    let store = decoded.store();
    let mut values = Vec::new();
    for &row in rows {
        let Some((line, format)) = store.record_into(row as usize, &mut values) else {
            continue;
        };
        let rec = RecordRef {
            format,
            values: &values,
        };
        let fields = ByField(
            format
                .columns
                .iter()
                .zip(&values)
                .map(|(c, v)| (c.name().to_string(), field_value(*v)))
                .collect(),
        );
        let derived = csv.derived(&rec);
        let object = NdjsonRecord {
            line,
            raw: match store.raw_line(row as usize) {
                Some(raw) => raw.to_string(),
                None => record_text(&values),
            },
            fields: &fields,
            problems: problems(&rec, lang),
            derived: &derived,
        };
        if serde_json::to_writer(&mut *out, &object).is_ok() {
            out.push(b'\n');
        }
    }
}

/// A value as the CLI's `--json` writes it.
fn field_value(v: ValueRef<'_>) -> FieldValue {
    match v {
        ValueRef::Absent => FieldValue::Absent,
        ValueRef::UInt(n) => FieldValue::UInt(n),
        ValueRef::Addr(a) => FieldValue::Addr(a),
        ValueRef::Text(t) => FieldValue::Text(t.to_string()),
    }
}

/// One NDJSON line.
struct NdjsonRecord<'a> {
    line: u64,
    raw: String,
    fields: &'a ByField<FieldValue>,
    problems: Vec<RecordProblem>,
    derived: &'a [String; 16],
}

impl Serialize for NdjsonRecord<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("line", &self.line)?;
        m.serialize_entry("raw", &self.raw)?;
        m.serialize_entry("fields", self.fields)?;
        m.serialize_entry("problems", &self.problems)?;
        m.serialize_entry("derived", &Derived(self.derived))?;
        m.end()
    }
}

/// The derived columns as an object, `null` for empty ones and booleans for the two
/// `*_internet` facts.
struct Derived<'a>(&'a [String; 16]);

impl Serialize for Derived<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(DERIVED_COLUMNS.len()))?;
        for (name, value) in DERIVED_COLUMNS.iter().zip(self.0) {
            if name.ends_with("_internet") {
                m.serialize_entry(name, &(value == "true"))?;
            } else if value.is_empty() {
                m.serialize_entry(name, &None::<&str>)?;
            } else {
                m.serialize_entry(name, value)?;
            }
        }
        m.end()
    }
}

/// The whole export of `rows` at once (for the CLI and tests; the page takes it in chunks).
pub fn export_all(
    kind: ExportKind,
    decoded: &Decoded,
    aws: Option<&AwsRanges>,
    rows: Vec<u32>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = Export::new(kind, rows);
    while e.next_chunk(decoded, aws, usize::MAX, &mut out) {}
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::record_rows;

    const DOCS: &str = include_str!("../../tests/data/aws-docs-examples.log");

    #[test]
    fn chunks_make_the_same_export_as_one_pass() {
        let d = Decoded::decode(DOCS);
        for kind in [ExportKind::Csv, ExportKind::Ndjson] {
            // Rows may repeat (a sort's rows do not, but nothing forbids it).
            let rows: Vec<u32> = (0..40).flat_map(|_| record_rows(d.store())).collect();
            let whole = export_all(kind, &d, None, rows.clone());
            let mut parts = Vec::new();
            let mut e = Export::new(kind, rows);
            let mut calls = 0;
            loop {
                let mut chunk = Vec::new();
                if !e.next_chunk(&d, None, 1, &mut chunk) {
                    break;
                }
                parts.extend_from_slice(&chunk);
                calls += 1;
            }
            assert_eq!(parts, whole, "{kind:?}");
            assert!(calls >= 3, "{kind:?}: {calls} calls");
            assert_eq!(e.done(), e.total());
        }
    }

    #[test]
    fn ndjson_lines_carry_the_fields_and_the_derived_facts() {
        let d = Decoded::decode(DOCS);
        let out = export_all(ExportKind::Ndjson, &d, None, vec![1, 2]);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["line"], 2);
        assert_eq!(lines[0]["fields"]["dstport"], 3389);
        assert_eq!(lines[0]["fields"]["action"], "REJECT");
        assert_eq!(lines[0]["derived"]["role"], "request");
        assert_eq!(lines[0]["derived"]["from_internet"], false);
        assert_eq!(lines[1]["fields"]["srcaddr"], serde_json::Value::Null);
        assert_eq!(lines[1]["derived"]["role"], serde_json::Value::Null);
        assert_eq!(lines[0]["problems"], serde_json::json!([]));
    }

    #[test]
    fn ndjson_lines_carry_the_problems_and_the_line_as_given() {
        let line = DOCS.lines().next().unwrap().replace(" 22 ", "  70000 ");
        let d = Decoded::decode(&line);
        let out = Export::new(ExportKind::Ndjson, vec![0]).with_lang(Lang::Ja);
        let mut text = Vec::new();
        let mut e = out;
        while e.next_chunk(&d, None, usize::MAX, &mut text) {}
        let v: serde_json::Value = serde_json::from_slice(&text).unwrap();
        assert_eq!(v["raw"], line);
        assert_eq!(v["fields"]["dstport"], "70000");
        assert_eq!(v["problems"][0]["field"], "dstport");
        assert_eq!(v["problems"][0]["code"], "out-of-range");
        assert!(v["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("範囲外"));
    }

    #[test]
    fn kinds_by_name() {
        assert_eq!("CSV".parse::<ExportKind>(), Ok(ExportKind::Csv));
        assert_eq!("jsonl".parse::<ExportKind>(), Ok(ExportKind::Ndjson));
        assert!("xml".parse::<ExportKind>().is_err());
    }
}
