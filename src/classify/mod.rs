//! Classifiers: what a protocol number, a port and an address are. Each generated table sits
//! beside the type it fills (`iana.rs`, `published.rs`; `scripts/gen_tables.py` writes them).
//!
//! - [`protocol`]: IANA protocol numbers.
//! - [`port`]: IANA port services, the names users know, ephemeral ranges.
//! - [`scope`]: IANA special-purpose address blocks and AWS's well-known addresses.
//! - [`aws`]: AWS's published ranges (ip-ranges.json) as a longest-prefix-match index.
//! - [`clouds`]: other clouds' published ranges (Google Cloud, Oracle Cloud, Cloudflare).
//! - [`intervals`]: the longest-prefix match both indexes share.
//! - [`transport`]: the transports that have ports.
//! - [`roles`]: which end of a flow is the client and which the server, from its ports.

pub mod aws;
pub mod clouds;
pub mod intervals;
pub mod port;
pub mod protocol;
pub mod roles;
pub mod scope;
pub mod transport;
