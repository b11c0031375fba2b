//! Transports that have ports: what the ports of a record belong to.

use serde::Serialize;

/// A transport protocol that has ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// TCP, protocol 6.
    Tcp,
    /// UDP, protocol 17.
    Udp,
    /// SCTP, protocol 132.
    Sctp,
    /// DCCP, protocol 33.
    Dccp,
}
