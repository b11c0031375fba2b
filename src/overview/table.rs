//! The shapes every table of the summary shares: [`Table`], its [`Others`], [`Sum`],
//! [`DistinctCount`].

use crate::overview::topk::{Tally, TopK};
use serde::Serialize;

/// Records and bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Sum {
    /// Records.
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
}

/// A distinct count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DistinctCount {
    /// How many.
    pub count: u64,
    /// False when estimated (more than [`crate::util::distinct::MAX_DISTINCT`] values).
    pub exact: bool,
}

/// A table of the top rows.
#[derive(Clone, Debug, Serialize)]
pub struct Table<R> {
    /// The rows, first the greatest.
    pub rows: Vec<R>,
    /// What the rows not shown add up to (`null` for tables whose rows overlap).
    pub others: Option<Others>,
    /// Distinct keys, when known: always while `exact`; for addresses also beyond (estimated
    /// past [`crate::util::distinct::MAX_DISTINCT`]); else `null`.
    pub keys: Option<u64>,
    /// True when every figure is exact; false when the table overflowed its bound
    /// ([`super::MAX_KEYS`]) and kept
    /// the heaviest keys: each row's `error` then bounds what it may lack.
    pub exact: bool,
}

/// The rows not shown, together.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Others {
    /// Records.
    pub records: u64,
    /// Bytes.
    pub bytes: u64,
    /// Packets (pairs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packets: Option<u64>,
    /// The filter selecting the records of the rows not shown, when one is short enough to
    /// write (else `null`).
    pub filter: Option<String>,
}

pub(crate) fn table<K, V, R>(
    t: &TopK<K, V>,
    n: usize,
    order: impl Fn(&K, &Tally<V>) -> (u64, u64),
    row: impl FnMut((K, &Tally<V>)) -> R,
) -> Table<R>
where
    K: std::hash::Hash + Eq + Ord + Copy,
    V: Default,
{
    Table {
        rows: t.top(n, order).into_iter().map(row).collect(),
        others: None,
        keys: t.distinct().map(|(n, _)| n),
        exact: t.is_exact(),
    }
}
