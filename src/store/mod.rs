//! The packed records of an input, and nothing that explains or summarises them.
//!
//! Records are kept packed: one tag byte per value, integers as LEB128, IPv4 as 4 bytes, IPv6 as 16,
//! strings interned. Readers borrow values back ([`Store::record_into`],
//! [`Store::for_each_record_prefix`]); the explanations are made by [`crate::explain`] for the
//! entries shown, the summary by [`crate::overview`].
//!
//! - [`Store`]: a [`Sink`] that packs every record and error, feeding the whole-input facts as it
//!   keeps each record.
//! - [`Decoded`]: a whole input read into a store, with its report and its facts.
//! - [`RecordCursor`]: a record's values read as a filter asks for them.

mod budget;
mod cursor;
mod decoded;

pub use budget::{Budget, Overflow};
pub use cursor::RecordCursor;
pub use decoded::Decoded;

use crate::facts::{flow_columns, flow_values, FactsBuilder, FlowColumns, FlowValues};
use crate::ingest::decode::LineError;
use crate::ingest::pipeline::{prefix, Sink, ERROR_RAW_KEPT};
use crate::model::format::Format;
use crate::model::record::{RecordRef, RecordView};
use crate::model::value::ValueRef;
use crate::util::chunked::{Arena, Chunked};
use crate::util::intern::Interner;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Values packed in a byte arena.
mod pack {
    pub const ABSENT: u8 = 0;
    pub const UINT: u8 = 1;
    pub const V4: u8 = 2;
    pub const V6: u8 = 3;
    pub const TEXT: u8 = 4;
    pub const INLINE: u8 = 5;

    /// By tag (the low three bits): the bytes of a value of fixed size, and 1 for an integer
    /// (or a text's id) whose length is read from its bytes; an inline text is read apart.
    pub const SIZES: [(usize, usize); 8] = [
        (0, 0),  // ABSENT
        (0, 1),  // UINT
        (4, 0),  // V4
        (16, 0), // V6
        (0, 1),  // TEXT
        (0, 0),  // INLINE
        (0, 0),
        (0, 0),
    ];

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

    /// The length of the integer packed at `at` (1 to 10 bytes): up to its first byte without
    /// the continuation bit.
    pub fn uint_len(data: &[u8], at: usize) -> usize {
        let mut n = 0;
        while let Some(&b) = data.get(at + n) {
            n += 1;
            if b & 0x80 == 0 || n == 10 {
                break;
            }
        }
        n
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
    /// Records kept of each format (by its index in `formats`).
    per_format: Vec<u64>,
    errors: Vec<(LineError, Box<str>)>,
    /// Bytes the kept errors and kept raw lines take.
    error_bytes: u64,
    /// What the store may keep ([`Budget::UNLIMITED`] unless told).
    budget: Budget,
    /// What it did not keep, past its budget (or past its arena's 4 GiB).
    overflow: Overflow,
    /// The lines as given of the records whose line is not their values written back with single
    /// spaces (a double space, a tab, a number with leading zeros), by row, in row order.
    raws: Vec<(u32, Box<str>)>,
    /// Records and errors not kept (past the budget, or past the arena's 4 GiB).
    pub dropped: u64,
    /// For each format: the columns the facts read.
    flow_cols: Vec<FlowColumns>,
    /// The facts, fed each record as it is kept.
    facts: FactsBuilder,
    /// For each column position: the id of the text last packed there ([`NO_ID`] if none or
    /// not interned). Records in a row mostly repeat their account, interface, VPC, action and
    /// status: comparing with the last one is cheaper than hashing.
    last_text: Vec<u32>,
}

/// No interned text.
const NO_ID: u32 = u32::MAX;

impl Sink for Store {
    fn record(&mut self, number: u64, record: &RecordView<'_>, formats: &[Format]) {
        if self.offer(number, record, formats) {
            if let Some(raw) = record.raw {
                let row = (self.rows.len() - 1) as u32;
                let kept = kept_text(raw);
                self.error_bytes += kept.len() as u64;
                self.raws.push((row, kept));
            }
        }
    }

    fn error(&mut self, error: &LineError, raw: &str) {
        let cost = raw.len().min(ERROR_RAW_KEPT + 4) + std::mem::size_of::<(LineError, Box<str>)>();
        if !self.room(cost) {
            self.overflow.errors += 1;
            self.dropped += 1;
            return;
        }
        self.error_bytes += cost as u64;
        self.rows.push(Row {
            line: error.line,
            at: self.errors.len() as u32,
            format: ERROR_ROW,
        });
        self.errors.push((error.clone(), kept_text(raw)));
    }
}

/// A line as kept: at most [`ERROR_RAW_KEPT`] bytes, `…` when cut.
fn kept_text(raw: &str) -> Box<str> {
    let mut kept = prefix(raw, ERROR_RAW_KEPT).to_string();
    if kept.len() < raw.len() {
        kept.push('…');
    }
    kept.into()
}

impl Store {
    /// An empty store that keeps entries up to `budget`.
    pub fn with_budget(budget: Budget) -> Store {
        Store {
            budget,
            ..Store::default()
        }
    }

    /// The budget the store keeps entries up to.
    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// What the store did not keep.
    pub fn overflow(&self) -> Overflow {
        self.overflow
    }

    /// Keeps the record of line `number` if the budget allows; returns whether it was kept
    /// (a record not kept is counted, and its interface still tallied for the facts).
    pub fn offer(&mut self, number: u64, record: &RecordView<'_>, formats: &[Format]) -> bool {
        self.keep(number, record.format, formats, record.values)
    }

    /// True when an entry of `bytes` more fits in the budget; once one does not, none does
    /// (what is kept is always the start of the input).
    fn room(&mut self, bytes: usize) -> bool {
        if self.overflow.full {
            return false;
        }
        let entries = self.rows.len() as u64;
        if entries >= self.budget.records {
            self.overflow.full = true;
            self.overflow.by_records = true;
            return false;
        }
        let used = self.data.used_bytes() as u64
            + self.error_bytes
            + (entries + 1) * Budget::ROW_COST
            + bytes as u64;
        if used > self.budget.bytes {
            self.overflow.full = true;
            return false;
        }
        true
    }

    /// A record past the budget: counted, and its interface tallied (by the id of its text when
    /// a kept record interned it: the facts tell each interface by one name).
    fn overflowed(&mut self, format: usize, values: &[ValueRef<'_>]) {
        self.overflow.records += 1;
        self.dropped += 1;
        let cols = &self.flow_cols[format];
        let interned = cols[0].and_then(|c| match values.get(c) {
            Some(ValueRef::Text(t)) => {
                let hint = self.last_text.get(c).copied().unwrap_or(NO_ID);
                self.strings.intern_hinted(t, hint, 0)
            }
            _ => None,
        });
        self.facts
            .observe_unkept(interned, &flow_values(cols, values));
    }

    /// Packs a record and hands it to the facts (its [`FlowValues`], its row, its
    /// interface's interned id), in one pass over its values; a record that does not fit (the
    /// arena is full, or the budget reached) is counted, not kept; returns whether it was kept.
    fn keep(
        &mut self,
        number: u64,
        format: usize,
        formats: &[Format],
        values: &[ValueRef<'_>],
    ) -> bool {
        if self.formats.len() < formats.len() {
            self.formats
                .extend_from_slice(&formats[self.formats.len()..]);
            let known = self.flow_cols.len();
            self.flow_cols
                .extend(self.formats[known..].iter().map(flow_columns));
            let widest = self.formats.iter().map(Format::len).max().unwrap_or(0);
            if self.last_text.len() < widest {
                self.last_text.resize(widest, NO_ID);
            }
        }
        if self.overflow.full {
            self.overflowed(format, values);
            return false;
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
        let kept = if self.room(out.packed().len()) {
            self.data.put(out.packed())
        } else {
            None
        };
        self.scratch = out.buf;
        let Some(at) = kept else {
            // The arena's 4 GiB are a budget too.
            self.overflow.full = true;
            self.overflowed(format, values);
            return false;
        };
        self.rows.push(Row {
            line: number,
            at,
            format: format as u32,
        });
        if self.per_format.len() <= format {
            self.per_format.resize(format + 1, 0);
        }
        self.per_format[format] += 1;
        let cols = &self.flow_cols[format];
        // The interface's text was just packed: its id is the column's last one.
        let interned = cols[0]
            .and_then(|c| self.last_text.get(c).copied())
            .filter(|id| *id != NO_ID);
        let row = (self.rows.len() - 1) as u32;
        self.facts
            .observe_row(row, interned, &flow_values(cols, values));
        true
    }

    /// Entry `i`'s line as given, when it is a record whose line is not its values written back
    /// with single spaces (see [`crate::model::record::RecordView::raw`]).
    pub fn raw_line(&self, i: usize) -> Option<&str> {
        let i = u32::try_from(i).ok()?;
        let at = self.raws.binary_search_by_key(&i, |(row, _)| *row).ok()?;
        Some(&self.raws[at].1)
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
            let (v, next) = self.value_at(d, at + 1, tag);
            out.push(v);
            at = next;
        }
    }

    /// The value of tag `tag` packed at `at` of `d`, and where the next one starts; absent when
    /// the bytes are not a value.
    #[inline(always)]
    fn value_at<'s>(&'s self, d: &'s [u8], mut at: usize, tag: u8) -> (ValueRef<'s>, usize) {
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
        (v.unwrap_or(ValueRef::Absent), at)
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

    /// The same over the entries at `rows` only, in the order given (rows that are not records,
    /// and rows past the end, are skipped).
    pub fn for_rows_prefix<'s>(
        &'s self,
        rows: &[u32],
        mut width: impl FnMut(&'s Format) -> usize,
        mut f: impl FnMut(u64, &'s Format, &[ValueRef<'s>]),
    ) {
        let mut widths: Vec<Option<usize>> = vec![None; self.formats.len()];
        let mut values = Vec::new();
        for &i in rows {
            let Some(row) = self.rows.get(i as usize) else {
                continue;
            };
            let Some(format) = self.formats.get(row.format as usize) else {
                continue; // an error row
            };
            let n =
                *widths[row.format as usize].get_or_insert_with(|| width(format).min(format.len()));
            self.values_into(row.at, n, &mut values);
            f(row.line, format, &values);
        }
    }

    /// The formats of the records, in the order they were met (a record's format index points
    /// here; a format may have no record, as the default one before a header line).
    pub fn formats(&self) -> &[Format] {
        &self.formats
    }

    /// The formats that records kept have, in the order they were met (the decoder's default one
    /// has none when a header line comes first).
    pub fn formats_in_use(&self) -> impl Iterator<Item = &Format> {
        self.formats
            .iter()
            .zip(&self.per_format)
            .filter(|(_, n)| **n > 0)
            .map(|(f, _)| f)
    }

    /// The index in [`Store::formats`] of entry `i`'s format; `None` for an error or past the end.
    pub fn format_of(&self, i: usize) -> Option<usize> {
        let row = self.rows.get(i)?;
        (row.format != ERROR_ROW).then_some(row.format as usize)
    }

    /// The entry of input line `line` (entries are in line order), if that line is one.
    pub fn index_of_line(&self, line: u64) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.rows.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.rows.get(mid) {
                Some(r) if r.line < line => lo = mid + 1,
                _ => hi = mid,
            }
        }
        (self.rows.get(lo)?.line == line).then_some(lo)
    }

    /// Number of entries (records and errors) kept.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// What the report says of the entries kept when some were not ([`Kept`]).
    pub fn kept(&self) -> Option<crate::ingest::pipeline::Kept> {
        let records: u64 = self.per_format.iter().sum();
        let last_line = self
            .rows
            .len()
            .checked_sub(1)
            .and_then(|i| self.rows.get(i))
            .map_or(0, |r| r.line);
        self.overflow
            .kept(self.budget, records, self.errors.len() as u64, last_line)
    }

    /// True when there is no entry.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Bytes held by the packed records (for the benchmarks).
    pub fn packed_bytes(&self) -> usize {
        self.data.used_bytes() + self.rows.len() * std::mem::size_of::<Row>()
    }

    /// Entry `i`: a record (its line number, format and values borrowed from the store), or an
    /// error and its raw line.
    pub fn entry(&self, i: usize) -> Option<Entry<'_>> {
        let row = self.rows.get(i)?;
        if row.format == ERROR_ROW {
            let (err, raw) = self.errors.get(row.at as usize)?;
            return Some(Entry::Error { error: err, raw });
        }
        let format = self.formats.get(row.format as usize)?;
        let mut values = Vec::with_capacity(format.len());
        self.values_into(row.at, format.len(), &mut values);
        Some(Entry::Record {
            line: row.line,
            format,
            values,
        })
    }

    /// Row `row`'s line number and [`FlowValues`], if it is a record (what the facts read back).
    fn row_flow_values(&self, row: usize) -> Option<(u64, FlowValues<'_>)> {
        let cols = self.flow_cols.get(self.rows.get(row)?.format as usize)?;
        let mut values = Vec::new();
        let (line, _) = self.record_into(row, &mut values)?;
        Some((line, flow_values(cols, &values)))
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
        /// Its values, borrowed from the store.
        values: Vec<ValueRef<'a>>,
    },
    /// A line that could not be decoded.
    Error {
        /// What was wrong.
        error: &'a LineError,
        /// The line (shortened if very long).
        raw: &'a str,
    },
}

impl<'a> Entry<'a> {
    /// The record, read by field (`None` for an error).
    pub fn record(&'a self) -> Option<RecordRef<'a>> {
        match self {
            Entry::Record { format, values, .. } => Some(RecordRef { format, values }),
            Entry::Error { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format::FormatOrigin;

    #[test]
    fn entries_are_found_by_line() {
        // Line 1 a header, 2 blank, 3 a record, 4 an error, 5 a record.
        let d = crate::store::Decoded::decode(
            "version srcaddr dstaddr\n\n2 10.0.0.1 10.0.0.2\n2 x\n2 10.0.0.3 10.0.0.4\n",
        );
        let s = d.store();
        assert_eq!(s.index_of_line(3), Some(0));
        assert_eq!(s.index_of_line(4), Some(1));
        assert_eq!(s.index_of_line(5), Some(2));
        for none in [0, 1, 2, 6, u64::MAX] {
            assert_eq!(s.index_of_line(none), None, "line {none}");
        }
    }

    #[test]
    fn packed_values_round_trip() {
        let mut s = Store::default();
        let values = vec![
            ValueRef::UInt(u64::MAX),
            ValueRef::UInt(0),
            ValueRef::Addr("10.0.4.135".parse().unwrap()),
            ValueRef::Addr("2001:db8::1".parse().unwrap()),
            ValueRef::Text("eni-01f35fc1a2377de36"),
            ValueRef::Text("eni-01f35fc1a2377de36"),
            ValueRef::Absent,
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
            &RecordView {
                format: 0,
                values: &values,
                raw: None,
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
}
