//! Classifiers: what a protocol number, a port and an address are.
//!
//! - [`protocol`]: IANA protocol numbers.
//! - [`port`]: IANA port services, the names users know, ephemeral ranges.
//! - [`scope`]: IANA special-purpose address blocks and AWS's well-known addresses.
//! - [`aws`]: AWS's published ranges (ip-ranges.json) as a longest-prefix-match index.

pub mod aws;
pub mod port;
pub mod protocol;
pub mod scope;
