//! A record's values read as a filter asks for them, in column order. Values are packed one
//! after the other with variable lengths, so reaching column 12 means stepping over the eleven
//! before it; a filter that finds a record failing on column 6 asks for nothing further, and the
//! rest of the record is never read.

use super::{pack, Store};
use crate::model::value::ValueRef;
use std::net::{IpAddr, Ipv4Addr};

/// One record's values, read up to the column asked for. Values of the columns marked `keep`
/// are kept as they are passed (asking for them again costs nothing); the others are stepped
/// over without making their text or address.
#[derive(Debug)]
pub struct RecordCursor<'s, 'k> {
    store: &'s Store,
    data: &'s [u8],
    /// Where the next column not read yet starts in `data`.
    at: usize,
    /// The next column not read yet.
    next: usize,
    /// Columns of the record's format.
    len: usize,
    keep: &'k [bool],
    /// The values of the columns before `next` that were kept (the others stale).
    values: Vec<ValueRef<'s>>,
    /// Which of the first 128 columns were kept.
    kept: u128,
}

impl<'s, 'k> RecordCursor<'s, 'k> {
    /// Columns of the record's format.
    pub fn columns(&self) -> usize {
        self.len
    }

    /// The value of `column` (absent past the record's last one).
    #[inline]
    pub fn get(&mut self, column: usize) -> ValueRef<'s> {
        if column >= self.next {
            self.read_to(column);
        }
        let kept = match u32::try_from(column) {
            Ok(c) if c < 128 => self.kept >> c & 1 == 1,
            // Past 128 columns, stepped-over values are written as absent (no bit for them).
            _ => true,
        };
        match self.values.get(column) {
            Some(v) if kept && column < self.next => *v,
            _ => ValueRef::Absent,
        }
    }

    /// Reads the columns from `next` to `target`, keeping `target`'s value and the marked ones.
    /// The offset and the column stay in registers for the loop: each value's place depends on
    /// the one before, so the loop is as fast as that chain.
    fn read_to(&mut self, target: usize) {
        let d = self.data;
        let (mut at, mut next) = (self.at, self.next);
        while next <= target && next < self.len {
            let Some(&tag) = d.get(at) else {
                // The bytes end early (a damaged arena): the remaining columns are absent.
                self.len = next;
                break;
            };
            at += 1;
            if next == target || self.keep.get(next).copied().unwrap_or(false) {
                let (v, end) = value_tested(self.store, d, at, tag);
                if let Some(slot) = self.values.get_mut(next) {
                    *slot = v;
                }
                if next < 128 {
                    self.kept |= 1 << next;
                }
                at = end;
            } else {
                if tag == pack::INLINE {
                    let len = pack::get_uint(d, &mut at).unwrap_or(0);
                    at = at.saturating_add(usize::try_from(len).unwrap_or(usize::MAX));
                } else {
                    // No branch on the tag (records repeat their tags column by column, but one
                    // jump for all of them mispredicts): a fixed size, or an integer's length,
                    // its last byte the first without the continuation bit, found in one
                    // 8-byte word.
                    let ends = d.get(at..at + 8).map_or(0, |b| {
                        let mut w = [0u8; 8];
                        w.copy_from_slice(b);
                        !u64::from_le_bytes(w) & 0x8080_8080_8080_8080
                    });
                    let uint = if ends != 0 {
                        ends.trailing_zeros() as usize / 8 + 1
                    } else {
                        pack::uint_len(d, at)
                    };
                    let (fixed, varies) = pack::SIZES[usize::from(tag & 7)];
                    at += fixed + uint * varies;
                }
                if next >= 128 {
                    if let Some(slot) = self.values.get_mut(next) {
                        *slot = ValueRef::Absent;
                    }
                }
            }
            next += 1;
        }
        self.at = at;
        self.next = next;
    }
}

/// The value of tag `tag` at `at` of `d` and where the next starts, by tests of the tag in turn
/// rather than one jump: the few columns a filter reads have each their own tag, which a jump
/// shared by all of them mispredicts.
#[inline(never)]
fn value_tested<'s>(
    store: &'s Store,
    d: &'s [u8],
    mut at: usize,
    tag: u8,
) -> (ValueRef<'s>, usize) {
    if tag == pack::UINT {
        let v = pack::get_uint(d, &mut at).map_or(ValueRef::Absent, ValueRef::UInt);
        (v, at)
    } else if tag == pack::TEXT {
        let v = pack::get_uint(d, &mut at)
            .and_then(|id| store.strings.get(id as u32))
            .map_or(ValueRef::Absent, ValueRef::Text);
        (v, at)
    } else if tag == pack::V4 {
        match d.get(at..at + 4) {
            Some(b) => (
                ValueRef::Addr(IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))),
                at + 4,
            ),
            None => (ValueRef::Absent, at),
        }
    } else {
        store.value_at(d, at, tag)
    }
}

impl Store {
    /// Calls `f` with each record's row (its entry index, as [`Store::entry`] takes it), its
    /// format's index in [`Store::formats`], and a cursor over its values that keeps the columns
    /// `keep[format]` marks (none past its end): what a filter needs to name the records it keeps
    /// while reading of each only what it asks for. No allocation per record.
    pub fn for_each_row_cursor<'s>(
        &'s self,
        keep: &[Vec<bool>],
        mut f: impl FnMut(u32, usize, &mut RecordCursor<'s, '_>),
    ) {
        let widest = self.formats.iter().map(|f| f.len()).max().unwrap_or(0);
        let mut cursor = RecordCursor {
            store: self,
            data: &[],
            at: 0,
            next: 0,
            len: 0,
            keep: &[],
            values: vec![ValueRef::Absent; widest],
            kept: 0,
        };
        for i in 0..self.rows.len() {
            let Some(row) = self.rows.get(i) else { break };
            let Some(format) = self.formats.get(row.format as usize) else {
                continue; // an error row
            };
            cursor.data = self.data.from(row.at);
            cursor.at = 0;
            cursor.next = 0;
            cursor.len = format.len();
            cursor.keep = keep.get(row.format as usize).map_or(&[], Vec::as_slice);
            cursor.kept = 0;
            f(i as u32, row.format as usize, &mut cursor);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::pipeline::Sink;
    use crate::model::format::{Format, FormatOrigin};
    use crate::model::record::RecordView;
    use crate::model::value::ValueRef;
    use crate::store::Store;

    #[test]
    fn values_read_as_asked_are_the_record_s() {
        // Integers of every packed length (1 to 10 bytes), addresses, a text, absent values,
        // rotated through the columns row by row; the last record ends its chunk, so its last
        // values have fewer than eight bytes after them.
        let pool = [
            ValueRef::UInt(0),
            ValueRef::UInt(127),
            ValueRef::UInt(128),
            ValueRef::UInt(16_383),
            ValueRef::UInt(16_384),
            ValueRef::UInt(1 << 21),
            ValueRef::UInt(1 << 35),
            ValueRef::UInt(1 << 49),
            ValueRef::UInt(1 << 56),
            ValueRef::UInt(u64::MAX),
            ValueRef::Addr("203.0.113.255".parse().unwrap()),
            ValueRef::Addr("ffff:ffff::ffff".parse().unwrap()),
            ValueRef::Text("eni-01f35fc1a2377de36"),
            ValueRef::Absent,
        ];
        let n = pool.len();
        let keys: Vec<String> = (0..n).map(|i| format!("x-{i}")).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let format = Format::from_keys(&keys, FormatOrigin::FormatString);
        let mut s = Store::default();
        let mut rows = Vec::new();
        for r in 0..n {
            let values: Vec<ValueRef<'_>> = (0..n).map(|c| pool[(r + c) % n]).collect();
            let view = RecordView {
                format: 0,
                values: &values,
                raw: None,
            };
            s.record(r as u64, &view, std::slice::from_ref(&format));
            rows.push(values);
        }
        // Columns asked in several orders, with and without marks.
        let asks: [&[usize]; 5] = [&[13], &[0, 13], &[6, 2, 11], &[12, 3, 4, 5, 12], &[20, 1]];
        for (k, ask) in asks.iter().enumerate() {
            let keep: Vec<bool> = (0..n).map(|c| k % 2 == 0 && ask.contains(&c)).collect();
            let mut got = Vec::new();
            s.for_each_row_cursor(&[keep], |row, format, cursor| {
                assert_eq!((format, cursor.columns()), (0, n));
                let values: Vec<ValueRef<'_>> = ask.iter().map(|c| cursor.get(*c)).collect();
                got.push((row, values));
            });
            let want: Vec<(u32, Vec<ValueRef<'_>>)> = rows
                .iter()
                .enumerate()
                .map(|(r, values)| {
                    let asked = ask.iter().enumerate().map(|(i, &c)| {
                        // A column passed on the way to a later one is kept only when marked
                        // (or when it was itself asked for before).
                        let again = ask[..i].iter().any(|p| *p > c) && !ask[..i].contains(&c);
                        match values.get(c) {
                            Some(v) if !again || k % 2 == 0 => *v,
                            _ => ValueRef::Absent,
                        }
                    });
                    (r as u32, asked.collect())
                })
                .collect();
            assert_eq!(got, want, "{ask:?}");
        }
    }
}
