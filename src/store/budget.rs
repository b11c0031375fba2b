//! How much of an input a store keeps: a memory budget (bytes of packed records and their
//! bookkeeping) or a number of records. Past it, records and errors are counted, and their
//! interfaces still tallied for the whole-input facts, but not kept.

use crate::ingest::pipeline::Kept;
use crate::text::Lang;

/// What a store may keep. The first records are kept until either limit is reached; then none
/// after them (so that what is kept is always the start of the input, as the page says).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Bytes the kept entries may take ([`Budget::estimate`]).
    pub bytes: u64,
    /// Records (and lines in error) the store may keep.
    pub records: u64,
}

impl Budget {
    /// No limit but the store's own (rows are numbered with 32 bits; its arena holds 4 GiB).
    pub const UNLIMITED: Budget = Budget {
        bytes: u64::MAX,
        records: u32::MAX as u64 - 1,
    };

    /// The page's decoding worker: WebAssembly (wasm32) addresses at most 4 GiB, and the same
    /// memory also holds a filter's rows, a sort's keys, an export's chunk and the summary's
    /// hand-off; the page's JavaScript lives outside it. 1.5 GiB of records leaves the rest
    /// for those.
    pub const WASM: Budget = Budget {
        bytes: 3 << 29,
        records: u32::MAX as u64 - 1,
    };

    /// The CLI's default (`--max-memory`): 1 GiB of records keeps its peak memory under 1.5 GB
    /// (the interned texts, the facts' tables and the reading buffers are outside it).
    pub const CLI: Budget = Budget {
        bytes: 1 << 30,
        records: u32::MAX as u64 - 1,
    };

    /// A budget of `bytes`.
    pub fn bytes(bytes: u64) -> Budget {
        Budget {
            bytes,
            ..Budget::UNLIMITED
        }
    }

    /// A budget of `records` records (and lines in error).
    pub fn records(records: u64) -> Budget {
        Budget {
            records: records.min(Budget::UNLIMITED.records),
            ..Budget::UNLIMITED
        }
    }

    /// What an entry costs beyond its packed bytes: its row (16 bytes), its place in the page's
    /// view (4), its place in the facts' accepted flows (8).
    pub const ROW_COST: u64 = 28;
}

impl Default for Budget {
    fn default() -> Self {
        Budget::UNLIMITED
    }
}

/// What a store did not keep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Overflow {
    /// Set once the budget was reached: nothing is kept after that.
    pub full: bool,
    /// Which limit was reached: the records' (else the bytes').
    pub by_records: bool,
    /// Records not kept.
    pub records: u64,
    /// Lines in error not kept.
    pub errors: u64,
}

impl Overflow {
    /// The report's [`Kept`], when something was not kept.
    pub fn kept(&self, budget: Budget, records: u64, errors: u64, last_line: u64) -> Option<Kept> {
        if !self.full || self.records + self.errors == 0 {
            return None;
        }
        let mut kept = Kept {
            records,
            total: records + self.records,
            errors,
            last_line,
            budget_bytes: (!self.by_records).then_some(budget.bytes),
            budget_records: self.by_records.then_some(budget.records),
            message: [String::new(), String::new()],
        };
        kept.message = [kept.sentence(Lang::En), kept.sentence(Lang::Ja)];
        Some(kept)
    }
}
