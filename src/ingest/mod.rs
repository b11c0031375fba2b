//! From bytes to decoded lines: the input's shape is unwrapped (gzip, base64, JSON and CSV
//! wrappers, console prefixes), the format decided (given, header, AWS's defaults, inferred),
//! each line decoded into a record or a located error, and every line accounted for. Decoded
//! lines go to a [`pipeline::Sink`]: the store, the streaming summary or the CLI's printer.
//!
//! - [`shape`]: recognising and unwrapping what the input is.
//! - [`decode`]: one line → a record, a header, a blank or a located error; the line counts.
//! - [`infer`]: a format inferred from the values.
//! - [`pipeline`]: the format decision, the [`pipeline::Sink`] seam, the [`pipeline::Stream`]
//!   of raw bytes, and its [`pipeline::Report`].

pub mod decode;
pub mod infer;
pub mod pipeline;
pub mod shape;
