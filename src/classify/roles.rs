//! Which end of a flow is the client and which the server, from its two ports.
//!
//! A server listens on a port users know; a client picks an ephemeral one. Each port is ranked:
//! a system port (1-1023) above a port with a name users know ("MySQL", "RDP"), above a port
//! IANA registers below the common ephemeral ranges (under 32768), above the rest (ephemeral or
//! unregistered). The higher-ranked port is the server's; equal ranks say nothing (123 to 123,
//! two ephemeral ports), and neither does port 0.

use super::port::{self, Transport};
use serde::Serialize;

/// The role of one end of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The end that opened the connection, on an ephemeral port.
    Client,
    /// The end that offers the service, on its service port.
    Server,
}

/// The roles of a flow's source and destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Roles {
    /// The source's role.
    pub src: Role,
    /// The destination's role.
    pub dst: Role,
}

impl Roles {
    /// True when the record goes from the client to the server (the request direction); false
    /// for the reply direction.
    pub fn is_request(&self) -> bool {
        self.dst == Role::Server
    }
}

/// How much a port looks like a server's: 3 system, 2 named, 1 registered below the ephemeral
/// ranges, 0 otherwise.
pub fn rank(p: u16, transport: Transport) -> u8 {
    if p < 1024 {
        return 3;
    }
    match port::service(p, transport) {
        Some(s) if s.common.is_some() => 2,
        Some(_) if p < 32768 => 1,
        _ => 0,
    }
}

/// The roles of a flow from `srcport` to `dstport`, when the ports tell them apart.
pub fn roles(srcport: u16, dstport: u16, transport: Transport) -> Option<Roles> {
    roles_ranked(srcport, dstport, |p| rank(p, transport))
}

/// The same, with the ports ranked by `rank` (which must agree with [`rank`]: callers over
/// many records pass a memoised one).
#[inline]
pub fn roles_ranked(srcport: u16, dstport: u16, mut rank: impl FnMut(u16) -> u8) -> Option<Roles> {
    if srcport == 0 || dstport == 0 || srcport == dstport {
        return None;
    }
    let (s, d) = (rank(srcport), rank(dstport));
    match s.cmp(&d) {
        std::cmp::Ordering::Less => Some(Roles {
            src: Role::Client,
            dst: Role::Server,
        }),
        std::cmp::Ordering::Greater => Some(Roles {
            src: Role::Server,
            dst: Role::Client,
        }),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Transport::{Tcp, Udp};

    fn request(s: u16, d: u16, t: Transport) -> Option<bool> {
        roles(s, d, t).map(|r| r.is_request())
    }

    #[test]
    fn service_port_against_ephemeral_port() {
        assert_eq!(request(35098, 123, Udp), Some(true));
        assert_eq!(request(123, 35098, Udp), Some(false));
        assert_eq!(request(20641, 22, Tcp), Some(true));
        assert_eq!(request(49761, 3389, Tcp), Some(true));
        assert_eq!(request(3306, 51000, Tcp), Some(false));
        // A registered port below the ephemeral ranges against an ephemeral one.
        assert_eq!(request(43416, 5001, Tcp), Some(true));
        // A named port above 1023 against a registered one.
        assert_eq!(request(1500, 5432, Tcp), Some(true));
        let r = roles(443, 50000, Tcp).unwrap();
        assert_eq!((r.src, r.dst), (Role::Server, Role::Client));
    }

    #[test]
    fn undecidable() {
        assert_eq!(request(123, 123, Udp), None);
        assert_eq!(request(53, 123, Udp), None);
        assert_eq!(request(40000, 50000, Tcp), None);
        assert_eq!(request(0, 443, Tcp), None);
    }
}
