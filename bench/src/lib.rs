//! Benchmarks of flowlens: the pieces shared by the native runner (`src/main.rs`) and the WASM
//! exports (`wasm/`), so that both engines run the very same code on the very same bytes.
//!
//! - [`rng`]: a small seeded PRNG (the data must be the same on every machine and every run).
//! - [`generate`]: realistic flow-log files (default format and v5, IPv4 and IPv6, AWS and other
//!   peers) and address samples for lookups.
//! - [`workload`]: what is measured: the bare tokenizer (the floor), parsing, parsing with full
//!   classification, ip-ranges lookups.

pub mod generate;
pub mod rng;
pub mod workload;
