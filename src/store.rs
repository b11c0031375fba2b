//! A decoded input kept in memory: every record and error in input order, with the spans of their
//! lines in the retained text, so that the page can pull the entries it shows and have their
//! explanations produced only then.

use crate::explain::{error_json, record_json, Context, RecordRef};
use crate::lang::Lang;
use crate::parse::{lines, Counts, Decoder, Format, Line, LineError, Value};
use serde_json::Value as Json;

#[derive(Clone, Debug)]
enum Entry {
    Record {
        line: u64,
        span: (usize, usize),
        format: usize,
        values: Vec<Value>,
    },
    Error {
        error: LineError,
        span: (usize, usize),
    },
}

/// A whole input, decoded.
#[derive(Clone, Debug, Default)]
pub struct Decoded {
    text: String,
    formats: Vec<Format>,
    entries: Vec<Entry>,
    counts: Counts,
}

impl Decoded {
    /// Decodes `text` line by line.
    pub fn decode(text: String) -> Decoded {
        let mut decoder = Decoder::new();
        let mut formats = vec![decoder.format().clone()];
        let mut entries = Vec::new();
        let mut counts = Counts::default();
        let base = text.as_ptr() as usize;
        for line in lines(&text) {
            let start = line.as_ptr() as usize - base;
            let span = (start, start + line.len());
            let outcome = decoder.line(line);
            counts.add(&outcome);
            match outcome {
                Line::Record(values) => entries.push(Entry::Record {
                    line: decoder.line_no(),
                    span,
                    format: formats.len() - 1,
                    values,
                }),
                Line::Error(error) => entries.push(Entry::Error { error, span }),
                Line::Header => {
                    if formats.last() != Some(decoder.format()) {
                        formats.push(decoder.format().clone());
                    }
                }
                Line::Blank => {}
            }
        }
        Decoded {
            text,
            formats,
            entries,
            counts,
        }
    }

    /// What the lines were.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Number of entries (records and errors).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is no record and no error.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entry `i` as JSON (record or error), explained in `lang`.
    pub fn entry_json(&self, i: usize, ctx: &Context<'_>, lang: Lang) -> Option<Json> {
        Some(match self.entries.get(i)? {
            Entry::Record {
                line,
                span,
                format,
                values,
            } => {
                let rec = RecordRef {
                    format: &self.formats[*format],
                    values,
                };
                record_json(*line, &self.text[span.0..span.1], &rec, ctx, lang)
            }
            Entry::Error { error, span } => error_json(error, &self.text[span.0..span.1], lang),
        })
    }

    /// Entries `start..start+count` (clamped to what exists).
    pub fn entries_json(
        &self,
        start: usize,
        count: usize,
        ctx: &Context<'_>,
        lang: Lang,
    ) -> Vec<Json> {
        let end = start.saturating_add(count).min(self.len());
        (start.min(end)..end)
            .filter_map(|i| self.entry_json(i, ctx, lang))
            .collect()
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
        let d = Decoded::decode(text.to_string());
        let c = d.counts();
        assert_eq!(
            (c.lines, c.records, c.headers, c.blank, c.errors),
            (6, 2, 1, 1, 2)
        );
        assert_eq!(c.records + c.headers + c.blank + c.errors, c.lines);
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
}
