//! # flowlens
//!
//! Decodes AWS VPC Flow Log records and explains every field: the protocol by name, the service
//! behind a port, who owns each address (IANA special-purpose blocks, AWS's published ranges), the
//! time window, and a one-sentence summary of each record, in English and Japanese.
//!
//! ```
//! use flowlens::{explain::{Context, Explain}, store::Decoded, text::Lang};
//! let seed = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";
//! let decoded = Decoded::decode(seed);
//! let entry = decoded.entry_json(0, &Context::default(), Lang::En).unwrap();
//! let record = entry.record().unwrap();
//! assert_eq!(record.annotations.get("protocol").unwrap().value, "UDP");
//! // Serialized, it is the JSON the page and `--json` receive (the README's schema).
//! let json = serde_json::to_value(&entry).unwrap();
//! assert_eq!(json["fields"]["dstport"], 123);
//! assert_eq!(json["annotations"]["protocol"]["keyword"], "UDP");
//! assert_eq!(json["annotations"]["dstport"]["service"], "ntp");
//! ```
//!
//! ## Organization
//! The data flows one way, and each stage is one module; a module imports only the ones above it
//! in this list (`docs/ARCHITECTURE.md` draws the path):
//! - [`util`]: containers and hashing (chunked storage, interning, distinct counts). The leaf.
//! - [`text`]: [`text::Lang`], bilingual texts, numbers and times in words.
//! - [`model`]: the field-spec table (the single source of truth for every field), values,
//!   formats, records read by field, the tokenizer.
//! - [`ingest`]: bytes → input shape (gzip, base64, JSON, CSV, console prefixes) → format
//!   decision → decoded lines, every line accounted for, handed to a [`ingest::pipeline::Sink`].
//! - [`facts`]: what the whole input tells about each record (interfaces' own addresses, rejected
//!   replies of accepted flows, distinct interfaces): one implementation for every path.
//! - [`store`]: the packed records of an input, and nothing that explains them.
//! - [`classify`]: protocols, ports, address scopes, AWS's ranges, other clouds, client/server
//!   roles; each generated table beside the type it fills.
//! - [`explain`]: a record's annotations, its sentence and its hints.
//! - [`overview`]: the summary over many records, and the hand-off between the page's workers.
//! - [`query`]: the filter language, sorts and CSV over the packed records.
//! - [`warm`]: a made-up input that warms the WASM code up while the page is idle.
//! - `wasm` (wasm32 only): the thin JavaScript glue, the only code that sees `JsValue`: one object
//!   per worker role (`DecodeSession`, `SummarySession`).
#![deny(missing_docs)]

pub mod classify;
pub mod explain;
pub mod facts;
pub mod ingest;
pub mod model;
pub mod overview;
pub mod query;
pub mod store;
pub mod text;
pub mod util;
pub mod warm;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
