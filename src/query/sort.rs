//! Records ordered by time, bytes or packets: a stable sort of store rows (records with equal
//! keys keep their input order), records without the value last in either direction.

use super::value::MILLIS_FROM;
use crate::model::fields::{id, FieldId};
use crate::model::value::ValueRef;
use crate::store::Store;
use std::cmp::Ordering;
use std::fmt;

/// What records are ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// `start`: the first packet's time.
    Start,
    /// `end`: the last packet's time.
    End,
    /// `bytes`.
    Bytes,
    /// `packets`.
    Packets,
}

impl SortKey {
    /// The field read.
    pub fn field(self) -> FieldId {
        match self {
            SortKey::Start => id::START,
            SortKey::End => id::END,
            SortKey::Bytes => id::BYTES,
            SortKey::Packets => id::PACKETS,
        }
    }
}

/// An order of records: a key, ascending or descending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// What is compared.
    pub key: SortKey,
    /// Largest (or latest) first.
    pub descending: bool,
}

/// A sort that is not `start`, `end`, `bytes` or `packets`, with `:asc` or `:desc` at most.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortError(pub String);

impl fmt::Display for SortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot sort by '{}': use start, end, bytes or packets, with :asc or :desc",
            self.0
        )
    }
}

impl std::error::Error for SortError {}

impl std::str::FromStr for Sort {
    type Err = SortError;

    /// `bytes`, `bytes:desc`, `start:asc` (any case; ascending unless `:desc`).
    fn from_str(s: &str) -> Result<Sort, SortError> {
        let bad = || SortError(s.to_string());
        let (key, order) = match s.trim().split_once(':') {
            Some((k, o)) => (k, Some(o)),
            None => (s.trim(), None),
        };
        let key = match key.to_ascii_lowercase().as_str() {
            "start" => SortKey::Start,
            "end" => SortKey::End,
            "bytes" => SortKey::Bytes,
            "packets" => SortKey::Packets,
            _ => return Err(bad()),
        };
        let descending = match order.map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(bad()),
        };
        Ok(Sort { key, descending })
    }
}

/// A value as the sort compares it: times in milliseconds, whichever unit the record has.
fn sort_value(key: SortKey, v: ValueRef<'_>) -> Option<u64> {
    let n = v.uint()?;
    Some(match key {
        SortKey::Start | SortKey::End if n < MILLIS_FROM => n.saturating_mul(1000),
        _ => n,
    })
}

impl Sort {
    /// Orders `rows` (store rows of records, e.g. a filter's matches) by this sort, stably;
    /// records without the value (or rows that are not records) go last.
    pub fn apply(&self, store: &Store, rows: &mut [u32]) {
        let keys = self.keys(store, rows);
        let mut keyed: Vec<(Option<u64>, u32)> =
            keys.into_iter().zip(rows.iter().copied()).collect();
        let descending = self.descending;
        keyed.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) if descending => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        });
        for (slot, (_, row)) in rows.iter_mut().zip(keyed) {
            *slot = row;
        }
    }

    /// The key of each of `rows`. Many rows are read in one pass over the store that reads
    /// only the key's column; a few, one by one.
    fn keys(&self, store: &Store, rows: &[u32]) -> Vec<Option<u64>> {
        let field = self.key.field();
        let columns: Vec<Option<usize>> = store.formats().iter().map(|f| f.column(field)).collect();
        if rows.len().saturating_mul(8) < store.len() {
            let mut values = Vec::new();
            return rows
                .iter()
                .map(|&row| {
                    let column = store
                        .format_of(row as usize)
                        .and_then(|f| *columns.get(f)?)?;
                    store.record_into(row as usize, &mut values)?;
                    sort_value(self.key, *values.get(column)?)
                })
                .collect();
        }
        let mut by_row: Vec<Option<u64>> = vec![None; store.len()];
        store.for_each_row_cursor(&[], |row, format, cursor| {
            let key = columns
                .get(format)
                .copied()
                .flatten()
                .and_then(|c| sort_value(self.key, cursor.get(c)));
            if let Some(slot) = by_row.get_mut(row as usize) {
                *slot = key;
            }
        });
        rows.iter()
            .map(|&row| by_row.get(row as usize).copied().flatten())
            .collect()
    }
}
