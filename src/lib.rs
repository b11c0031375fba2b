//! # flowlens
//!
//! Decodes AWS VPC Flow Log records and explains every field: the protocol by name, the service
//! behind a port, who owns each address (IANA special-purpose blocks, AWS's published ranges), the
//! time window, and a one-sentence summary of each record, in English and Japanese.
//!
//! ```
//! use flowlens::{explain::Context, lang::Lang, store::Decoded};
//! let seed = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";
//! let decoded = Decoded::decode(seed.to_string());
//! let entry = decoded.entry_json(0, &Context::default(), Lang::En).unwrap();
//! assert_eq!(entry["fields"]["dstport"], 123);
//! assert_eq!(entry["annotations"]["protocol"]["keyword"], "UDP");
//! assert_eq!(entry["annotations"]["dstport"]["service"], "ntp");
//! ```
//!
//! ## Organization
//! The data flows one way: text → lines → typed record → classification → explanation.
//! - [`fields`]: the field-spec table, the single source of truth for every field.
//! - [`format`]: formats: AWS's defaults, header lines, format strings, inference from values.
//! - [`parse`]: lines → typed records or located errors; header lines; line accounting.
//! - [`classify`]: protocols, ports, address scopes, AWS ranges.
//! - [`tables`]: tables generated from IANA registries (see `scripts/gen_tables.py`), region names.
//! - [`explain`]: annotations and summaries, English and Japanese.
//! - [`store`]: the ingest pipeline (format decision, accounting) and the packed in-memory store.
//! - [`overview`]: the summary over many records (totals, top talkers, rejected sources, ports,
//!   records over time), in one bounded pass over the store.
//! - [`value`]: typed values and how each kind of token is parsed.
//! - [`time`], [`lang`]: UTC times, durations; languages.
//! - `wasm` (wasm32 only): the thin JavaScript glue, the only code that sees `JsValue`.
#![deny(missing_docs)]

mod chunked;
pub mod classify;
pub mod explain;
pub mod fields;
pub mod format;
mod fxhash;
mod intern;
pub mod lang;
pub mod overview;
pub mod parse;
pub mod shape;
pub mod store;
pub mod tables;
pub mod time;
pub mod value;
pub mod warm;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
