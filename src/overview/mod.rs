//! The summary over many records: totals, top talkers, rejected sources, services (by the
//! server's port), protocols, and records / bytes / rejects over time, computed in one pass over
//! the packed store ([`crate::store::Store::for_each_record_ref`]: borrowed values, no allocation
//! per record).
//!
//! **Services, not destination ports.** A reply's destination port is the client's ephemeral
//! port, so a table of destination ports fills with meaningless ports and splits each service
//! between its requests and its replies. Each record is counted instead at its server's port
//! ([`crate::classify::roles`]: a service port against an ephemeral one), as a request (to it) or
//! a reply (from it); when the two ports cannot be told apart (two ephemeral ports, 123 to 123) at
//! its destination port, counted there as of unknown roles.
//!
//! **Bounded memory.** Whatever the input, the pass holds at most `2 ×` [`MAX_KEYS`] keys per
//! table (the addresses table [`ADDRESS_KEYS_FACTOR`] times more) ([`topk`]: the heaviest keys survive; figures are exact while a table never overflowed,
//! and each row says how much it may lack otherwise), at most [`MAX_DISTINCT`] hashes per
//! distinct count ([`crate::util::distinct`]: exact up to it, estimated beyond), and at most
//! [`timeline::MAX_FINE`] time buckets ([`timeline`]).
//!
//! **Explained only where shown.** Addresses are classified (scope, AWS service and region,
//! another cloud, the interface's own address) only for the rows of the report, never per record.
//!
//! Records that lack a field (custom formats without bytes, NODATA and SKIPDATA records) count
//! wherever they can: a record without bytes still counts as a record of its pair and port.

//!
//! - [`fields`]: what the summary reads of each record.
//! - [`tally`]: the [`Overview`] being built.
//! - [`summariser`]: the summary made while an input streams by.
//! - [`handoff`]: what the page's decoding worker hands its summary worker.
//! - [`report`]: the [`OverviewReport`], with the addresses shown explained; [`write_text`] for
//!   the CLI.
//! - [`topk`], [`timeline`]: bounded top tables and records over time.

pub mod fields;
pub mod filter;
pub mod handoff;
pub mod reject;
pub mod report;
pub mod story;
pub mod summariser;
pub mod table;
pub mod tally;
mod text;
pub mod timeline;
pub mod topk;

pub use crate::util::distinct::MAX_DISTINCT;
pub use fields::FIELD_BYTES;
pub use handoff::{FieldsOut, Summarise, Told};
pub use report::OverviewReport;
pub use summariser::Summariser;
pub use tally::Overview;
pub use text::write_text;

/// Keys each top table keeps at least (and holds at most twice). Small enough for the tables to
/// stay in the processor's caches, which the pass's speed depends on.
pub const MAX_KEYS: usize = 2_048;
/// The addresses table keeps this many times more: inputs have far fewer distinct addresses
/// than pairs or ports, and an address table that never drops keys is exact and cheaper.
pub const ADDRESS_KEYS_FACTOR: usize = 4;
/// Destination ports remembered per rejected source; more are counted together.
pub const MAX_TRIED: usize = 8;
/// Interfaces whose own address is looked up (per input).
pub const MAX_INTERFACES: usize = 65_536;
/// Rows of each table when the caller does not say.
pub const DEFAULT_TOP: usize = 10;
