//! Address scopes: which IANA special-purpose block an address is in (private, link-local,
//! documentation, ...), and AWS's well-known addresses inside a VPC.
//!
//! Blocks come from [`crate::classify::scope::iana`], generated from IANA's special-purpose registries;
//! how each block maps to a [`Scope`] is documented in `scripts/gen_tables.py`. Multicast is not in
//! those registries and is matched here. Lookups skip addresses whose first bits no block covers, scan a few dozen integer blocks
//! otherwise, and never allocate.

pub mod iana;
mod kind;

use crate::t;
use crate::text::Text;
use iana::{SpecialNet, IPV4, IPV6};
pub use kind::{Scope, SpecialBlock};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The scope of an address and the IANA block it is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScopeInfo {
    /// The scope.
    pub scope: Scope,
    /// The most specific IANA block containing the address; `None` for public addresses,
    /// multicast, and IPv6 outside 2000::/3.
    pub block: Option<&'static SpecialBlock>,
}

/// The scope of `ip`, from the most specific matching IANA block.
pub fn scope(ip: IpAddr) -> ScopeInfo {
    match ip {
        IpAddr::V4(a) => scope_v4(a),
        IpAddr::V6(a) => scope_v6(a),
    }
}

/// For each value of an IPv4 address's first 8 bits, the special blocks that cover some of it;
/// for IPv6, which values of the first 16 bits some block covers. An address is then matched
/// against a block or two, or none (most addresses in flow logs are public or in 10/8).
struct Starts {
    v4: Vec<Vec<&'static SpecialNet<u32>>>,
    v6: Vec<u64>,
}

fn starts() -> &'static Starts {
    static STARTS: std::sync::OnceLock<Starts> = std::sync::OnceLock::new();
    STARTS.get_or_init(|| {
        let mut v4 = vec![Vec::new(); 256];
        for n in IPV4 {
            let first = n.network >> 24;
            let count = 1u32 << (8 - u32::from(n.len.min(8)));
            for b in first..first + count {
                v4[b as usize].push(n);
            }
        }
        let mut v6 = vec![0u64; 1024];
        for n in IPV6 {
            let first = (n.network >> 112) as u32;
            let count = 1u32 << (16 - u32::from(n.len.min(16)));
            for b in first..first + count {
                v6[(b / 64) as usize] |= 1 << (b % 64);
            }
        }
        Starts { v4, v6 }
    })
}

fn scope_v4(a: Ipv4Addr) -> ScopeInfo {
    let x = u32::from(a);
    let block = starts().v4[(x >> 24) as usize]
        .iter()
        .filter(|n| x & mask_v4(n.len) == n.network)
        .max_by_key(|n| n.len)
        .map(|n| &n.block);
    match block {
        Some(b) => ScopeInfo {
            scope: b.scope,
            block: Some(b),
        },
        None if a.is_multicast() => bare(Scope::Multicast),
        None => bare(Scope::Public),
    }
}

fn scope_v6(a: Ipv6Addr) -> ScopeInfo {
    let x = u128::from(a);
    let first = (x >> 112) as u32;
    let block = if starts().v6[(first / 64) as usize] & (1 << (first % 64)) == 0 {
        None
    } else {
        longest(IPV6, |n| x & mask_v6(n.len) == n.network)
    };
    match block {
        Some(b) => ScopeInfo {
            scope: b.scope,
            block: Some(b),
        },
        None if a.is_multicast() => bare(Scope::Multicast),
        // Only 2000::/3 is allocated for global unicast; the rest is reserved by the IETF.
        None if a.segments()[0] & 0xe000 == 0x2000 => bare(Scope::Public),
        None => bare(Scope::Reserved),
    }
}

fn bare(scope: Scope) -> ScopeInfo {
    ScopeInfo { scope, block: None }
}

fn longest<T>(
    table: &'static [SpecialNet<T>],
    contains: impl Fn(&SpecialNet<T>) -> bool,
) -> Option<&'static SpecialBlock> {
    table
        .iter()
        .filter(|n| contains(n))
        .max_by_key(|n| n.len)
        .map(|n| &n.block)
}

fn mask_v4(len: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0)
}

fn mask_v6(len: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0)
}

/// One of AWS's well-known addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WellKnown {
    /// Stable key: "instance-metadata", "time-sync", "dns", "windows-activation",
    /// "ecs-task-metadata".
    pub key: &'static str,
    /// What it is: "instance metadata service (IMDS)".
    pub label: Text,
}

const IMDS: WellKnown = WellKnown {
    key: "instance-metadata",
    label: t!(
        "instance metadata service (IMDS)",
        "インスタンスメタデータサービス（IMDS）"
    ),
};
const TIME_SYNC: WellKnown = WellKnown {
    key: "time-sync",
    label: t!(
        "Amazon Time Sync Service (NTP)",
        "Amazon Time Sync Service（NTP）"
    ),
};
const DNS: WellKnown = WellKnown {
    key: "dns",
    label: t!(
        "Amazon DNS server (Route 53 Resolver)",
        "Amazon DNS サーバー（Route 53 Resolver）"
    ),
};
const WINDOWS_ACTIVATION: WellKnown = WellKnown {
    key: "windows-activation",
    label: t!(
        "Windows activation (KMS) server",
        "Windows ライセンス認証（KMS）サーバー"
    ),
};
const ECS_TASK_METADATA: WellKnown = WellKnown {
    key: "ecs-task-metadata",
    label: t!(
        "ECS task metadata and credentials endpoint",
        "ECS タスクメタデータ・認証情報エンドポイント"
    ),
};

/// AWS's well-known addresses (AWS VPC user guide): 169.254.169.254 / fd00:ec2::254 instance
/// metadata; 169.254.169.123 / fd00:ec2::123 Amazon Time Sync; 169.254.169.253 / fd00:ec2::253
/// Amazon DNS; 169.254.169.250-251 / fd00:ec2::250 Windows activation; 169.254.170.2 ECS task
/// metadata. The VPC's base+2 DNS address depends on the VPC's CIDR and is not recognised here.
pub fn aws_well_known(ip: IpAddr) -> Option<WellKnown> {
    match ip {
        IpAddr::V4(a) => match a.octets() {
            [169, 254, 169, 254] => Some(IMDS),
            [169, 254, 169, 123] => Some(TIME_SYNC),
            [169, 254, 169, 253] => Some(DNS),
            [169, 254, 169, 250 | 251] => Some(WINDOWS_ACTIVATION),
            [169, 254, 170, 2] => Some(ECS_TASK_METADATA),
            _ => None,
        },
        IpAddr::V6(a) => match a.segments() {
            [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, last] => match last {
                0x254 => Some(IMDS),
                0x123 => Some(TIME_SYNC),
                0x253 => Some(DNS),
                0x250 => Some(WINDOWS_ACTIVATION),
                _ => None,
            },
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> ScopeInfo {
        scope(s.parse().unwrap())
    }

    #[test]
    fn skipping_by_first_bits_finds_what_a_full_scan_finds() {
        let full_v4 = |x: u32| longest(IPV4, |n| x & mask_v4(n.len) == n.network);
        let full_v6 = |x: u128| longest(IPV6, |n| x & mask_v6(n.len) == n.network);
        let mut v4: Vec<u32> = Vec::new();
        for first in 0..=255u32 {
            for rest in [
                0,
                1,
                0x00ff_ffff,
                0x0040_0001,
                0x00a8_0101,
                0x0000_0201,
                0x00fe_a9fe,
            ] {
                v4.push(first << 24 | rest);
            }
        }
        for n in IPV4 {
            v4.push(n.network);
            v4.push(n.network | !mask_v4(n.len));
        }
        for x in v4 {
            assert_eq!(
                scope_v4(Ipv4Addr::from(x)).block,
                full_v4(x),
                "{}",
                Ipv4Addr::from(x)
            );
        }
        let mut v6: Vec<u128> = Vec::new();
        for first in (0..=0xffffu128)
            .step_by(97)
            .chain([0, 0x2001, 0x2002, 0xfc00, 0xfd00, 0xfe80, 0x0064, 0x0100])
        {
            v6.push(first << 112);
            v6.push(first << 112 | 1);
            v6.push(first << 112 | 0xdb8 << 96);
        }
        for n in IPV6 {
            v6.push(n.network);
            v6.push(n.network | !mask_v6(n.len));
        }
        for x in v6 {
            assert_eq!(
                scope_v6(Ipv6Addr::from(x)).block,
                full_v6(x),
                "{}",
                Ipv6Addr::from(x)
            );
        }
    }

    fn prefix(s: &str) -> Option<&'static str> {
        at(s).block.map(|b| b.prefix)
    }

    #[test]
    fn private_and_public() {
        let p = at("10.0.4.135");
        assert_eq!(p.scope, Scope::Private);
        assert_eq!(p.block.unwrap().prefix, "10.0.0.0/8");
        assert_eq!(p.block.unwrap().rfc, "RFC 1918");
        assert_eq!(p.block.unwrap().globally_reachable, Some(false));
        assert_eq!(at("172.31.255.1").scope, Scope::Private);
        assert_eq!(at("172.32.0.1").scope, Scope::Public);
        assert_eq!(at("192.168.1.1").scope, Scope::Private);
        assert_eq!(at("15.152.63.145"), bare(Scope::Public));
        assert_eq!(at("2406:da14::1").scope, Scope::Public);
    }

    #[test]
    fn ipv4_blocks() {
        assert_eq!(at("100.64.1.1").scope, Scope::Shared);
        assert_eq!(at("127.0.0.1").scope, Scope::Loopback);
        assert_eq!(at("169.254.169.254").scope, Scope::LinkLocal);
        assert_eq!(at("192.0.2.7").scope, Scope::Documentation);
        assert_eq!(at("198.51.100.1").scope, Scope::Documentation);
        assert_eq!(at("203.0.113.9").scope, Scope::Documentation);
        assert_eq!(at("198.19.0.1").scope, Scope::Benchmarking);
        assert_eq!(at("0.1.2.3").scope, Scope::ThisNetwork);
        assert_eq!(at("0.0.0.0").scope, Scope::Unspecified);
        assert_eq!(at("240.0.0.1").scope, Scope::Reserved);
        assert_eq!(at("192.0.0.170").scope, Scope::Nat64);
        assert_eq!(at("192.0.0.100").scope, Scope::Reserved);
        assert_eq!(at("192.0.0.9").scope, Scope::Other);
        assert_eq!(
            at("192.0.0.9").block.unwrap().globally_reachable,
            Some(true)
        );
        assert_eq!(
            at("192.88.99.1").block.unwrap().globally_reachable,
            None,
            "terminated block"
        );
    }

    #[test]
    fn longest_match_wins() {
        let b = at("255.255.255.255");
        assert_eq!(b.scope, Scope::Broadcast);
        assert_eq!(b.block.unwrap().name, "Limited Broadcast");
        assert_eq!(prefix("255.255.255.254"), Some("240.0.0.0/4"));
        assert_eq!(prefix("192.0.0.9"), Some("192.0.0.9/32"));
        assert_eq!(prefix("192.0.0.2"), Some("192.0.0.0/29"));
        assert_eq!(prefix("2001:1::1"), Some("2001:1::1/128"));
        assert_eq!(prefix("2001:0:1::1"), Some("2001::/32"));
        assert_eq!(prefix("2001:100::1"), Some("2001::/23"));
    }

    #[test]
    fn multicast() {
        assert_eq!(at("224.0.0.5"), bare(Scope::Multicast));
        assert_eq!(at("239.255.255.250").scope, Scope::Multicast);
        assert_eq!(at("ff02::1:2"), bare(Scope::Multicast));
    }

    #[test]
    fn ipv6_blocks() {
        assert_eq!(at("::1").scope, Scope::Loopback);
        assert_eq!(at("::").scope, Scope::Unspecified);
        assert_eq!(at("fe80::1").scope, Scope::LinkLocal);
        assert_eq!(at("fd00:ec2::254").scope, Scope::UniqueLocal);
        assert_eq!(at("2001:db8::1").scope, Scope::Documentation);
        assert_eq!(at("3fff::1").scope, Scope::Documentation);
        assert_eq!(at("2001:2::1").scope, Scope::Benchmarking);
        assert_eq!(at("64:ff9b::a00:1").scope, Scope::Nat64);
        assert_eq!(at("64:ff9b:1::1").scope, Scope::Nat64);
        assert_eq!(at("2002:c000:204::1").scope, Scope::Other);
        let mapped = at("::ffff:10.0.0.1");
        assert_eq!(mapped.scope, Scope::Ipv4Mapped);
        assert_eq!(mapped.block.unwrap().prefix, "::ffff:0:0/96");
        // Outside 2000::/3 and any listed block.
        assert_eq!(at("4000::1"), bare(Scope::Reserved));
        assert_eq!(at("fec0::1"), bare(Scope::Reserved));
    }

    #[test]
    fn keys_match_serde() {
        use Scope::*;
        for s in [
            Public,
            Private,
            Shared,
            Loopback,
            LinkLocal,
            Documentation,
            Benchmarking,
            Multicast,
            UniqueLocal,
            Ipv4Mapped,
            Nat64,
            ThisNetwork,
            Unspecified,
            Reserved,
            Broadcast,
            Other,
        ] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.key())
            );
            assert!(!s.label().en.is_empty() && !s.label().ja.is_empty());
        }
        assert_eq!(Private.label().en, "private (RFC 1918)");
    }

    fn split(prefix: &str) -> (&str, u8) {
        let (addr, len) = prefix.split_once('/').unwrap();
        (addr, len.parse().unwrap())
    }

    #[test]
    fn integers_match_prefix_strings() {
        for n in IPV4 {
            let (addr, len) = split(n.block.prefix);
            assert_eq!(
                (addr.parse::<Ipv4Addr>().unwrap(), len),
                (Ipv4Addr::from(n.network), n.len)
            );
            assert_eq!(n.network & !mask_v4(n.len), 0, "{}", n.block.prefix);
            // The block's own network address matches it or something more specific.
            let got = scope(IpAddr::V4(Ipv4Addr::from(n.network))).block.unwrap();
            assert!(split(got.prefix).1 >= n.len, "{}", n.block.prefix);
        }
        for n in IPV6 {
            let (addr, len) = split(n.block.prefix);
            assert_eq!(
                (addr.parse::<Ipv6Addr>().unwrap(), len),
                (Ipv6Addr::from(n.network), n.len)
            );
            assert_eq!(n.network & !mask_v6(n.len), 0, "{}", n.block.prefix);
            let got = scope(IpAddr::V6(Ipv6Addr::from(n.network))).block.unwrap();
            assert!(split(got.prefix).1 >= n.len, "{}", n.block.prefix);
        }
    }

    #[test]
    fn well_known() {
        let key = |s: &str| aws_well_known(s.parse().unwrap()).map(|w| w.key);
        assert_eq!(key("169.254.169.254"), Some("instance-metadata"));
        assert_eq!(key("fd00:ec2::254"), Some("instance-metadata"));
        assert_eq!(key("169.254.169.123"), Some("time-sync"));
        assert_eq!(key("fd00:ec2::123"), Some("time-sync"));
        assert_eq!(key("169.254.169.253"), Some("dns"));
        assert_eq!(key("fd00:ec2::253"), Some("dns"));
        assert_eq!(key("169.254.169.250"), Some("windows-activation"));
        assert_eq!(key("169.254.169.251"), Some("windows-activation"));
        assert_eq!(key("fd00:ec2::250"), Some("windows-activation"));
        assert_eq!(key("169.254.170.2"), Some("ecs-task-metadata"));
        assert_eq!(key("169.254.169.1"), None);
        assert_eq!(key("10.0.0.2"), None);
        assert_eq!(key("fd00:ec2::1"), None);
    }
}
