//! Ports: the IANA service behind a port, the name users know, ephemeral ranges, port classes.
//!
//! IANA names come from [`crate::classify::port::iana`] (generated); the names users know ("RDP",
//! "Redis / Amazon ElastiCache") from [`crate::classify::port::common`] (hand-written).

pub mod common;
pub mod iana;

pub use crate::classify::transport::Transport;
use crate::t;
use crate::text::Text;
use common::{CommonPort, COMMON_PORTS};
use serde::Serialize;

/// The service on a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortService {
    /// IANA's service name: "ntp", "ssh", "ms-wbt-server", "https".
    pub name: &'static str,
    /// IANA's description: "Network Time Protocol" (the name when IANA gives none).
    pub description: &'static str,
    /// The name users know, when the port has one: "RDP", "NFS / Amazon EFS".
    pub common: Option<&'static str>,
}

/// The service registered for `port` on `transport` (a UDP port is named from UDP entries).
///
/// When IANA has several names for one port and transport, the first in registry order is used
/// (80 → "http"). A port with a common name but no IANA entry for this transport still gives a
/// service: its name is the common table's lowercase service name ("wireguard") and its
/// description the common name.
pub fn service(port: u16, transport: Transport) -> Option<PortService> {
    let common = common_port(port, Some(transport));
    match iana(port, transport) {
        Some((name, description)) => Some(PortService {
            name,
            description,
            common: common.map(|c| c.name),
        }),
        None => common.map(from_common),
    }
}

/// The service on `port` when the transport is unknown: tries TCP, then UDP. When the service
/// found has no common name, a common name for any transport is used.
pub fn service_any(port: u16) -> Option<PortService> {
    let found = service(port, Transport::Tcp).or_else(|| service(port, Transport::Udp));
    match found {
        Some(s) if s.common.is_none() => Some(PortService {
            common: common_port(port, None).map(|c| c.name),
            ..s
        }),
        Some(s) => Some(s),
        None => common_port(port, None).map(from_common),
    }
}

fn iana(port: u16, transport: Transport) -> Option<(&'static str, &'static str)> {
    let (table, index) = match transport {
        Transport::Tcp => (iana::TCP, Some(&index().tcp)),
        Transport::Udp => (iana::UDP, Some(&index().udp)),
        Transport::Sctp => (iana::SCTP, None),
        Transport::Dccp => (iana::DCCP, None),
    };
    let i = match index {
        Some(index) => usize::from(index[usize::from(port)]).checked_sub(1)?,
        None => table.binary_search_by_key(&port, |e| e.0).ok()?,
    };
    let (_, name, description) = table[i];
    Some((
        name,
        if description.is_empty() {
            name
        } else {
            description
        },
    ))
}

/// For every port: the position + 1 of its entry in the TCP and UDP tables and in
/// [`COMMON_PORTS`] (0 for none). A classification looks up two ports per record, and a binary
/// search of ~6,000 entries per port was 8% of the decode and classification in WebAssembly; the
/// index takes 320 KB, made on first use.
struct PortIndex {
    tcp: Box<[u16]>,
    udp: Box<[u16]>,
    common: Box<[u8]>,
}

fn index() -> &'static PortIndex {
    static INDEX: std::sync::OnceLock<PortIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let by_port = |table: &[(u16, &str, &str)]| {
            let mut index = vec![0u16; 1 << 16].into_boxed_slice();
            for (i, e) in table.iter().enumerate() {
                index[usize::from(e.0)] = u16::try_from(i + 1).expect("fewer than 65,535 entries");
            }
            index
        };
        let mut common = vec![0u8; 1 << 16].into_boxed_slice();
        for (i, c) in COMMON_PORTS.iter().enumerate() {
            let i = u8::try_from(i + 1).expect("fewer than 255 common ports");
            common[usize::from(c.first)..=usize::from(c.last)].fill(i);
        }
        PortIndex {
            tcp: by_port(iana::TCP),
            udp: by_port(iana::UDP),
            common,
        }
    })
}

/// The common-name entry covering `port` on `transport` (on any transport when `None`).
fn common_port(port: u16, transport: Option<Transport>) -> Option<&'static CommonPort> {
    // Ranges do not overlap: each port is in one at most.
    let i = usize::from(index().common[usize::from(port)]).checked_sub(1)?;
    let c = &COMMON_PORTS[i];
    transport
        .is_none_or(|t| c.transports.contains(&t))
        .then_some(c)
}

fn from_common(c: &'static CommonPort) -> PortService {
    PortService {
        name: c.service,
        description: c.name,
        common: Some(c.name),
    }
}

/// A documented range of ephemeral (client-side) ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EphemeralRange {
    /// Stable key: "linux", "windows", "aws-nacl".
    pub key: &'static str,
    /// First port.
    pub first: u16,
    /// Last port.
    pub last: u16,
    /// Whose range it is, with the range.
    pub label: Text,
}

/// The documented ephemeral ranges: Linux's default `ip_local_port_range` (32768-60999); Windows
/// and IANA's dynamic/private range (49152-65535); the range AWS documents for network ACL rules
/// and NAT gateways (1024-65535).
pub const EPHEMERAL_RANGES: &[EphemeralRange] = &[
    EphemeralRange {
        key: "linux",
        first: 32768,
        last: 60999,
        label: t!(
            "Linux's default (32768-60999)",
            "Linux のデフォルト（32768～60999）"
        ),
    },
    EphemeralRange {
        key: "windows",
        first: 49152,
        last: 65535,
        label: t!(
            "Windows and IANA's dynamic ports (49152-65535)",
            "Windows と IANA の動的ポート（49152～65535）"
        ),
    },
    EphemeralRange {
        key: "aws-nacl",
        first: 1024,
        last: 65535,
        label: t!(
            "AWS's guidance for network ACLs and NAT gateways (1024-65535)",
            "AWS のネットワーク ACL・NAT ゲートウェイ向けの範囲（1024～65535）"
        ),
    },
];

/// The ranges of [`EPHEMERAL_RANGES`] that contain `port`, in that order.
pub fn ephemeral_ranges(port: u16) -> Vec<&'static EphemeralRange> {
    EPHEMERAL_RANGES
        .iter()
        .filter(|r| r.first <= port && port <= r.last)
        .collect()
}

/// IANA's three port classes (RFC 6335).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PortClass {
    /// 0-1023: system (well-known) ports.
    System,
    /// 1024-49151: registered (user) ports.
    Registered,
    /// 49152-65535: dynamic (private, ephemeral) ports.
    Dynamic,
}

/// The class of `port`.
pub fn port_class(port: u16) -> PortClass {
    match port {
        0..=1023 => PortClass::System,
        1024..=49151 => PortClass::Registered,
        _ => PortClass::Dynamic,
    }
}

impl PortClass {
    /// A short description: "system (well-known) port".
    pub fn label(self) -> Text {
        match self {
            PortClass::System => t!(
                "system (well-known) port",
                "システムポート（ウェルノウンポート）"
            ),
            PortClass::Registered => {
                t!("registered (user) port", "登録済みポート（ユーザーポート）")
            }
            PortClass::Dynamic => t!("dynamic (private) port", "動的ポート（プライベートポート）"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names() {
        assert_eq!(service(123, Transport::Udp).unwrap().name, "ntp");
        assert_eq!(
            service(123, Transport::Udp).unwrap().description,
            "Network Time Protocol"
        );
        assert_eq!(service(443, Transport::Tcp).unwrap().name, "https");
        assert_eq!(service(22, Transport::Tcp).unwrap().name, "ssh");
        assert_eq!(service(3389, Transport::Tcp).unwrap().name, "ms-wbt-server");
        // Several names for port 80: the first in registry order.
        assert_eq!(service(80, Transport::Tcp).unwrap().name, "http");
        // TCP and UDP differ on 514.
        assert_eq!(service(514, Transport::Tcp).unwrap().name, "shell");
        assert_eq!(service(514, Transport::Udp).unwrap().name, "syslog");
    }

    #[test]
    fn common_names() {
        assert_eq!(service(3389, Transport::Tcp).unwrap().common, Some("RDP"));
        let dns = service(53, Transport::Udp).unwrap();
        assert_eq!((dns.name, dns.common), ("domain", Some("DNS")));
        assert_eq!(
            service(2049, Transport::Tcp).unwrap().common,
            Some("NFS / Amazon EFS")
        );
        assert_eq!(
            service(6379, Transport::Tcp).unwrap().common,
            Some("Redis / Amazon ElastiCache")
        );
        assert_eq!(
            service(5432, Transport::Tcp).unwrap().common,
            Some("PostgreSQL / Amazon RDS")
        );
        assert_eq!(
            service(9092, Transport::Tcp).unwrap().common,
            Some("Kafka / Amazon MSK")
        );
        assert_eq!(service(123, Transport::Udp).unwrap().common, Some("NTP"));
        assert_eq!(service(22, Transport::Tcp).unwrap().common, Some("SSH"));
        assert_eq!(service(80, Transport::Tcp).unwrap().common, Some("HTTP"));
        assert_eq!(service(443, Transport::Tcp).unwrap().common, Some("HTTPS"));
        assert_eq!(
            service(138, Transport::Udp).unwrap().common,
            Some("NetBIOS")
        );
        // A common name applies only to its transports.
        assert_eq!(service(514, Transport::Tcp).unwrap().common, None);
    }

    #[test]
    fn common_name_without_iana_entry() {
        let wg = service(51820, Transport::Udp).unwrap();
        assert_eq!(wg.name, "wireguard");
        assert_eq!(wg.description, "WireGuard");
        assert_eq!(wg.common, Some("WireGuard"));
        assert_eq!(service(51820, Transport::Tcp), None);
        assert_eq!(
            service(10250, Transport::Tcp).unwrap().common,
            Some("Kubernetes kubelet")
        );
    }

    #[test]
    fn unregistered_ports() {
        assert_eq!(service(35098, Transport::Udp), None);
        assert_eq!(service(0, Transport::Tcp), None);
        assert_eq!(service_any(35098), None);
    }

    #[test]
    fn ranges_are_expanded() {
        assert_eq!(service(6000, Transport::Tcp).unwrap().name, "x11");
        assert_eq!(service(6063, Transport::Tcp).unwrap().name, "x11");
        assert_eq!(
            service(6064, Transport::Tcp).map(|s| s.name),
            Some("ndl-ahp-svc")
        );
    }

    #[test]
    fn other_transports() {
        assert!(service(9, Transport::Dccp).is_some());
        assert!(service(2905, Transport::Sctp).is_some());
    }

    #[test]
    fn any_transport() {
        assert_eq!(service_any(443).unwrap().name, "https");
        // VXLAN is registered for UDP only; its common name is UDP-only too.
        let vxlan = service_any(4789).unwrap();
        assert_eq!((vxlan.name, vxlan.common), ("vxlan", Some("VXLAN")));
        assert_eq!(service_any(51820).unwrap().common, Some("WireGuard"));
    }

    #[test]
    fn tables_are_sorted_and_unique() {
        for table in [iana::TCP, iana::UDP, iana::SCTP, iana::DCCP] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
            assert!(table.iter().all(|e| !e.1.is_empty()));
        }
        assert!(COMMON_PORTS
            .windows(2)
            .all(|w| w[0].first <= w[0].last && w[0].last < w[1].first));
    }

    #[test]
    fn ephemeral() {
        let keys = |p| {
            ephemeral_ranges(p)
                .iter()
                .map(|r| r.key)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(35098), ["linux", "aws-nacl"]);
        assert_eq!(keys(50000), ["linux", "windows", "aws-nacl"]);
        assert_eq!(keys(65535), ["windows", "aws-nacl"]);
        assert_eq!(keys(1024), ["aws-nacl"]);
        assert!(keys(1023).is_empty());
        assert!(keys(443).is_empty());
    }

    #[test]
    fn classes() {
        assert_eq!(port_class(0), PortClass::System);
        assert_eq!(port_class(1023), PortClass::System);
        assert_eq!(port_class(1024), PortClass::Registered);
        assert_eq!(port_class(49151), PortClass::Registered);
        assert_eq!(port_class(49152), PortClass::Dynamic);
        assert_eq!(port_class(65535), PortClass::Dynamic);
        assert_eq!(PortClass::System.label().en, "system (well-known) port");
        assert_eq!(
            serde_json::to_string(&PortClass::Dynamic).unwrap(),
            "\"dynamic\""
        );
        assert_eq!(serde_json::to_string(&Transport::Udp).unwrap(), "\"udp\"");
    }
}
