//! The entries of a decoded input, explained: what the page pulls a page at a time and what the
//! CLI prints. The store keeps values; the record's text is written back from them here, or
//! taken as the store kept it when the line was not its values with single spaces.

use super::entry::Entry;
use super::{error_entry, error_entry_in_file, record_entry_in, Context, InputFacts};
use crate::model::value::ValueRef;
use crate::store::{self, Decoded, Store};
use crate::text::Lang;
use std::fmt::Write as _;

/// Entries explained (records and errors), for a [`Store`] (without whole-input facts) or a
/// [`Decoded`] input (with them). The names say JSON because an [`Entry`] serializes to the
/// JSON the page and the CLI's `--json` receive.
pub trait Explain {
    /// Entry `i` (record or error), explained in `lang`.
    fn entry_json(&self, i: usize, ctx: &Context<'_>, lang: Lang) -> Option<Entry>;

    /// Entries `start..start+count` (clamped to what exists).
    fn entries_json(&self, start: usize, count: usize, ctx: &Context<'_>, lang: Lang)
        -> Vec<Entry>;
}

impl Explain for Store {
    fn entry_json(&self, i: usize, ctx: &Context<'_>, lang: Lang) -> Option<Entry> {
        entry_json_in(self, i, ctx, &InputFacts::default(), lang)
    }

    fn entries_json(
        &self,
        start: usize,
        count: usize,
        ctx: &Context<'_>,
        lang: Lang,
    ) -> Vec<Entry> {
        entries_json_in(self, start, count, ctx, &InputFacts::default(), lang)
    }
}

impl Explain for Decoded {
    fn entry_json(&self, i: usize, ctx: &Context<'_>, lang: Lang) -> Option<Entry> {
        if self.report().files.is_empty() {
            return entry_json_in(self.store(), i, ctx, self.facts(), lang);
        }
        // An input of several files: the entry says which file its line is in.
        let store = self.store();
        if let Some(store::Entry::Error { error, raw }) = store.entry(i) {
            if let Some((file, line)) = self.report().source_of(error.line) {
                return Some(error_entry_in_file(error, raw, &file.name, line, lang));
            }
        }
        let mut entry = entry_json_in(store, i, ctx, self.facts(), lang)?;
        if let Some((file, line)) = self.report().source_of(entry.line()) {
            entry.locate(&file.name, line);
        }
        // A hint that points at another line says its file and its line there.
        if let Entry::Record(r) = &mut entry {
            for h in &mut r.hints {
                let Some(at) = h.line else { continue };
                let Some((file, line)) = self.report().source_of(at) else {
                    continue;
                };
                let (from, to) = match lang {
                    Lang::En => (
                        format!("(line {at})"),
                        format!("({}, line {line})", file.name),
                    ),
                    Lang::Ja => (
                        format!("（{at} 行目）"),
                        format!("（{} の {line} 行目）", file.name),
                    ),
                };
                h.text = h.text.replace(&from, &to);
                h.file = Some(file.name.clone());
                h.file_line = Some(line);
            }
        }
        Some(entry)
    }

    fn entries_json(
        &self,
        start: usize,
        count: usize,
        ctx: &Context<'_>,
        lang: Lang,
    ) -> Vec<Entry> {
        if self.report().files.is_empty() {
            return entries_json_in(self.store(), start, count, ctx, self.facts(), lang);
        }
        let end = start.saturating_add(count).min(self.len());
        (start.min(end)..end)
            .filter_map(|i| self.entry_json(i, ctx, lang))
            .collect()
    }
}

/// Entry `i` of `store`, explained with what the whole input tells (`facts`).
pub fn entry_json_in(
    store: &Store,
    i: usize,
    ctx: &Context<'_>,
    facts: &InputFacts,
    lang: Lang,
) -> Option<Entry> {
    let entry = store.entry(i)?;
    Some(match &entry {
        store::Entry::Record { line, values, .. } => {
            let raw = match store.raw_line(i) {
                Some(raw) => raw.to_string(),
                None => record_text(values),
            };
            let rec = entry.record()?;
            record_entry_in(*line, &raw, &rec, ctx, facts, lang)
        }
        store::Entry::Error { error, raw } => error_entry(error, raw, lang),
    })
}

/// Entries `start..start+count` of `store` (clamped to what exists), explained with `facts`.
pub fn entries_json_in(
    store: &Store,
    start: usize,
    count: usize,
    ctx: &Context<'_>,
    facts: &InputFacts,
    lang: Lang,
) -> Vec<Entry> {
    let end = start.saturating_add(count).min(store.len());
    (start.min(end)..end)
        .filter_map(|i| entry_json_in(store, i, ctx, facts, lang))
        .collect()
}

/// A record written back as text: its values separated by single spaces, `-` for absent ones
/// (the store keeps values, not lines).
pub fn record_text(values: &[ValueRef<'_>]) -> String {
    let mut s = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = match v {
            ValueRef::Absent => write!(s, "-"),
            ValueRef::UInt(n) => write!(s, "{n}"),
            ValueRef::Addr(a) => write!(s, "{a}"),
            ValueRef::Text(t) => write!(s, "{t}"),
        };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format::FormatOrigin;

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
        // The record with dstport 70000 is a record with a problem.
        assert_eq!(
            (c.lines, c.records, c.headers, c.blank, c.errors, c.problems),
            (6, 3, 1, 1, 1, 1)
        );
        assert_eq!(
            c.records + c.headers + c.blank + c.ignored + c.errors,
            c.lines
        );
        let all = d.entries_json(0, 100, &Context::default(), Lang::En);
        let lines: Vec<u64> = all.iter().map(Entry::line).collect();
        assert_eq!(lines, [2, 4, 5, 6]);
        let problems = &all[1].record().unwrap().problems;
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "dstport");
        assert_eq!(all[2].raw(), "garbage");
        assert!(d.entries_json(3, 10, &Context::default(), Lang::En).len() == 1);
        assert!(d
            .entries_json(usize::MAX, 10, &Context::default(), Lang::En)
            .is_empty());
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
