//! What a flow log record is: the field-spec table, values, formats and the tokenizer. Above
//! [`crate::text`] only; every later stage speaks in these types.
//!
//! - [`fields`]: the field-spec table ([`fields::FIELDS`], [`fields::FieldId`], each field's
//!   kind and prose in both languages): the single source of truth for every field.
//! - [`value`]: typed values, owned ([`value::Value`]) and borrowed ([`value::ValueRef`], the hot
//!   path's), and how each kind of token is read.
//! - [`format`]: formats (columns → fields): AWS's defaults, header lines, format strings.
//! - [`record`]: a record as a format and its values, read by field.
//! - [`problem`]: a value that does not fit its field: what it looks like (redacted, a
//!   placeholder, out of range, ...), how serious that is, and its sentence.
//! - [`tokens`]: a line into tokens, text into lines.

pub mod fields;
pub mod format;
pub mod problem;
pub mod record;
pub mod tokens;
pub mod value;
