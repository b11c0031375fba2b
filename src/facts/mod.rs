//! What a whole input tells about each of its records, beyond the record itself: the address of
//! each network interface, and which REJECTed records are the reverse of an ACCEPTed flow.
//!
//! **The interface's own address.** A network interface's records all have its address at one
//! end (srcaddr or dstaddr). Across the records of one interface-id, the address present in every
//! record is the interface's. One record cannot tell (both of its addresses are in every record),
//! so the rule needs at least two records of the interface with exactly one common address; an
//! interface with several addresses (secondary IPs) or only records between the same two
//! addresses gets none.
//!
//! **Replies rejected after an accepted request.** A REJECT record whose reversed flow (same
//! protocol, addresses and ports swapped) is ACCEPTed elsewhere in the input. While records arrive,
//! the rejected flows are kept (at most [`MAX_REJECTED`] of them) and each ACCEPT record leaves 8
//! bytes (its flow key's low 32 bits and its row); at the end only the rows whose bits match a
//! rejected flow's reverse are read back.
//!
//! - [`flow`]: the fields the facts read, and a flow's key.
//! - [`tally`]: each interface's own address from its records.
//! - [`builder`]: [`FactsBuilder`], fed record by record by every path (with the store's rows, or
//!   streaming).
//! - [`input`]: [`InputFacts`], what the explanations and the summary consult.

pub mod builder;
pub mod flow;
pub mod input;
pub mod tally;

pub use builder::{FactsBuilder, MAX_REJECTED};
pub use flow::{flow_columns, flow_values, FlowColumns, FlowValues, FLOW_FIELDS};
pub use input::InputFacts;
pub use tally::InterfaceTallies;
