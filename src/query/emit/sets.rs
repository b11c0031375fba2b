//! Sets of addresses as CIDR blocks: a range as the fewest blocks that cover it exactly, and the
//! addresses where a fact holds, found piece by piece between the starts of the blocks the fact
//! is made of (the IANA special blocks, AWS's prefixes, other clouds' prefixes).

use crate::classify::aws::AwsRanges;
use crate::classify::clouds::published;
use crate::classify::scope::iana;
use crate::query::ast::AddrRange;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Where the answer of a fact of addresses may change: the first address of each block and the
/// one after its last (0 is always a start).
#[derive(Clone, Debug, Default)]
pub(crate) struct Bounds {
    v4: Vec<u32>,
    v6: Vec<u128>,
}

impl Bounds {
    fn v4(&mut self, network: u32, len: u8) {
        let size = 1u64 << (32 - u32::from(len.min(32)));
        self.v4.push(network);
        if let Ok(after) = u32::try_from(u64::from(network) + size) {
            self.v4.push(after);
        }
    }

    fn v6(&mut self, network: u128, len: u8) {
        self.v6.push(network);
        if len > 0 {
            let size = 1u128 << (128 - u32::from(len.min(128)));
            if let Some(after) = network.checked_add(size) {
                self.v6.push(after);
            }
        }
    }

    fn net(&mut self, net: &IpNet) {
        match net {
            IpNet::V4(n) => self.v4(n.network().into(), n.prefix_len()),
            IpNet::V6(n) => self.v6(n.network().into(), n.prefix_len()),
        }
    }

    /// Adds `other`'s starts.
    pub(crate) fn extend(&mut self, other: &Bounds) {
        self.v4.extend(&other.v4);
        self.v6.extend(&other.v6);
    }
}

/// The IANA special blocks, multicast, and IPv6's global unicast 2000::/3 (what
/// [`crate::classify::scope::scope`] reads).
pub(crate) fn scope_bounds() -> Bounds {
    let mut b = Bounds::default();
    for n in iana::IPV4 {
        b.v4(n.network, n.len);
    }
    for n in iana::IPV6 {
        b.v6(n.network, n.len);
    }
    b.v4(0xe000_0000, 4);
    b.v6(0xff00 << 112, 8);
    b.v6(0x2000 << 112, 3);
    b
}

/// AWS's prefixes.
pub(crate) fn aws_bounds(aws: &AwsRanges) -> Bounds {
    let mut b = Bounds::default();
    for p in &aws.prefixes {
        b.net(&p.net);
    }
    b
}

/// Other clouds' published prefixes.
pub(crate) fn cloud_bounds() -> Bounds {
    let mut b = Bounds::default();
    for &(net, len, _, _) in published::V4 {
        b.v4(net, len);
    }
    for &(net, len, _, _) in published::V6 {
        b.v6(net, len);
    }
    b
}

/// The blocks of addresses where `holds` is true, over both families, cut at `bounds` (the
/// answer must not change between two starts). IPv4-mapped IPv6 addresses are read as IPv6
/// addresses of their block (flowlens looks AWS's ranges up by their IPv4 address).
pub(crate) fn pieces(bounds: &Bounds, holds: impl Fn(IpAddr) -> bool) -> Vec<IpNet> {
    let mut out = Vec::new();
    let mut v4 = bounds.v4.clone();
    v4.push(0);
    v4.sort_unstable();
    v4.dedup();
    let mut run: Option<(u32, u32)> = None;
    for (i, &start) in v4.iter().enumerate() {
        let last = v4.get(i + 1).map_or(u32::MAX, |n| n - 1);
        if holds(IpAddr::V4(Ipv4Addr::from(start))) {
            run = match run {
                Some((lo, _)) => Some((lo, last)),
                None => Some((start, last)),
            };
        } else if let Some((lo, hi)) = run.take() {
            out.extend(cidrs(AddrRange::V4(lo, hi)));
        }
    }
    if let Some((lo, hi)) = run {
        out.extend(cidrs(AddrRange::V4(lo, hi)));
    }
    let mut v6 = bounds.v6.clone();
    v6.push(0);
    v6.sort_unstable();
    v6.dedup();
    let mut run: Option<(u128, u128)> = None;
    for (i, &start) in v6.iter().enumerate() {
        let last = v6.get(i + 1).map_or(u128::MAX, |n| n - 1);
        if holds(IpAddr::V6(Ipv6Addr::from(start))) {
            run = match run {
                Some((lo, _)) => Some((lo, last)),
                None => Some((start, last)),
            };
        } else if let Some((lo, hi)) = run.take() {
            out.extend(cidrs(AddrRange::V6(lo, hi)));
        }
    }
    if let Some((lo, hi)) = run {
        out.extend(cidrs(AddrRange::V6(lo, hi)));
    }
    out
}

/// The fewest CIDR blocks that together hold exactly the addresses of `r`.
pub(crate) fn cidrs(r: AddrRange) -> Vec<IpNet> {
    let mut out = Vec::new();
    match r {
        AddrRange::V4(lo, hi) => {
            let (mut lo, hi) = (u64::from(lo), u64::from(hi));
            while lo <= hi {
                let mut len = 32 - lo.trailing_zeros().min(32);
                while (lo + (1u64 << (32 - len)) - 1) > hi {
                    len += 1;
                }
                if let Ok(n) = Ipv4Net::new(Ipv4Addr::from(lo as u32), len as u8) {
                    out.push(IpNet::V4(n));
                }
                lo += 1u64 << (32 - len);
            }
        }
        AddrRange::V6(lo, hi) => {
            let mut lo = lo;
            loop {
                let mut len = 128 - lo.trailing_zeros().min(128);
                let last = |len: u32| lo | (u128::MAX.checked_shr(len).unwrap_or(0));
                while last(len) > hi {
                    len += 1;
                }
                if let Ok(n) = Ipv6Net::new(Ipv6Addr::from(lo), len as u8) {
                    out.push(IpNet::V6(n));
                }
                match last(len).checked_add(1) {
                    Some(next) if next <= hi => lo = next,
                    _ => break,
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(nets: Vec<IpNet>) -> Vec<String> {
        nets.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn ranges_as_blocks() {
        assert_eq!(
            texts(cidrs(AddrRange::V4(0x0a00_0000, 0x0aff_ffff))),
            ["10.0.0.0/8"]
        );
        assert_eq!(texts(cidrs(AddrRange::V4(0, u32::MAX))), ["0.0.0.0/0"]);
        // 10.0.0.5 up to 10.0.0.16: 5/32, 6/31, 8/29, 16/32.
        assert_eq!(
            texts(cidrs(AddrRange::V4(0x0a00_0005, 0x0a00_0010))),
            ["10.0.0.5/32", "10.0.0.6/31", "10.0.0.8/29", "10.0.0.16/32"]
        );
        assert_eq!(texts(cidrs(AddrRange::V6(0, u128::MAX))), ["::/0"]);
        assert_eq!(texts(cidrs(AddrRange::V6(1, 3))), ["::1/128", "::2/127"]);
        assert_eq!(
            texts(cidrs(AddrRange::V6(u128::MAX, u128::MAX))),
            ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"]
        );
    }

    #[test]
    fn private_scope_pieces_are_the_rfc_1918_blocks() {
        use crate::classify::scope::{scope, Scope};
        let nets = pieces(&scope_bounds(), |ip| scope(ip).scope == Scope::Private);
        assert_eq!(
            texts(nets),
            ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
        );
    }
}
