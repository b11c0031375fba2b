//! Containers and hashing the stages share: the leaf of the crate (it imports nothing of it).
//!
//! - [`fxhash`]: a fast non-cryptographic hasher for bounded maps.
//! - [`chunked`]: growable storage in fixed-size chunks (no doubling peak in WASM memory).
//! - [`intern`]: interned texts named by numbers.
//! - [`distinct`]: distinct counts in bounded memory, exact up to a cap.
//! - [`utf16`]: UTF-16 to UTF-8 in chunks, and the byte order marks.

pub(crate) mod chunked;
pub mod distinct;
pub(crate) mod fxhash;
pub(crate) mod intern;
pub mod utf16;
