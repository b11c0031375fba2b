//! IANA protocol numbers: the `protocol` field of a flow log record.
//!
//! The table is [`crate::classify::protocol::iana`], generated from IANA's registry.

mod entry;
pub mod iana;

use crate::classify::transport::Transport;
pub use entry::Protocol;
use iana::PROTOCOLS;
use std::fmt;

/// The protocol with `number`. Every number has an entry: unassigned ones have keyword "" and name
/// "Unassigned"; 253 and 254 are "Use for experimentation and testing"; 255 is "Reserved".
pub fn protocol(number: u8) -> Protocol {
    PROTOCOLS[usize::from(number)]
}

impl Protocol {
    /// The transport whose ports the record's `srcport`/`dstport` are: TCP (6), UDP (17),
    /// DCCP (33), SCTP (132); `None` for protocols without ports.
    pub fn transport(&self) -> Option<Transport> {
        match self.number {
            6 => Some(Transport::Tcp),
            17 => Some(Transport::Udp),
            33 => Some(Transport::Dccp),
            132 => Some(Transport::Sctp),
            _ => None,
        }
    }
}

/// `17 (UDP - User Datagram)`; `200 (Unassigned)`.
impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.keyword.is_empty() || self.keyword == self.name {
            write!(f, "{} ({})", self.number, self.name)
        } else {
            write!(f, "{} ({} - {})", self.number, self.keyword, self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_protocols() {
        let udp = protocol(17);
        assert_eq!(
            (udp.number, udp.keyword, udp.name),
            (17, "UDP", "User Datagram")
        );
        assert_eq!(protocol(6).keyword, "TCP");
        assert_eq!(protocol(6).name, "Transmission Control");
        assert_eq!(protocol(1).keyword, "ICMP");
        assert_eq!(protocol(58).keyword, "IPv6-ICMP");
        assert_eq!(protocol(50).keyword, "ESP");
        assert_eq!(protocol(47).keyword, "GRE");
    }

    #[test]
    fn unassigned_experimental_reserved() {
        let p = protocol(200);
        assert_eq!((p.number, p.keyword, p.name), (200, "", "Unassigned"));
        assert_eq!(protocol(148).name, "Unassigned");
        assert_eq!(protocol(252).name, "Unassigned");
        assert_eq!(protocol(253).keyword, "");
        assert_eq!(protocol(253).name, "Use for experimentation and testing");
        assert_eq!(protocol(254).name, "Use for experimentation and testing");
        assert_eq!(protocol(255).keyword, "Reserved");
        assert_eq!(protocol(255).name, "Reserved");
    }

    #[test]
    fn every_number_is_indexed_by_itself() {
        for n in 0..=255u8 {
            assert_eq!(protocol(n).number, n);
            assert!(!protocol(n).name.is_empty(), "{n} has no name");
        }
    }

    #[test]
    fn wrapped_names_are_one_line() {
        assert_eq!(
            protocol(56).name,
            "Transport Layer Security Protocol using Kryptonet key management"
        );
    }

    #[test]
    fn transports() {
        assert_eq!(protocol(6).transport(), Some(Transport::Tcp));
        assert_eq!(protocol(17).transport(), Some(Transport::Udp));
        assert_eq!(protocol(33).transport(), Some(Transport::Dccp));
        assert_eq!(protocol(132).transport(), Some(Transport::Sctp));
        assert_eq!(protocol(1).transport(), None);
        assert_eq!(protocol(58).transport(), None);
    }

    #[test]
    fn display() {
        assert_eq!(protocol(17).to_string(), "17 (UDP - User Datagram)");
        assert_eq!(protocol(200).to_string(), "200 (Unassigned)");
        assert_eq!(protocol(255).to_string(), "255 (Reserved)");
    }
}
