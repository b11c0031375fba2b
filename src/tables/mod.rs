//! Lookup tables, each stamped with its source.
//!
//! Generated from IANA registries by `python3 scripts/gen_tables.py` (do not edit by hand):
//! - [`protocols`]: IANA protocol numbers.
//! - [`ports`]: IANA service names by port, per transport.
//! - [`special`]: IANA special-purpose IPv4 and IPv6 address blocks.
//!
//! Written by hand:
//! - [`common_ports`]: the names users know for ports seen in AWS work ("RDP", "NFS / Amazon EFS").
//! - [`regions`]: AWS region names and places, in English and Japanese.

pub mod common_ports;
pub mod ports;
pub mod protocols;
pub mod regions;
pub mod special;
