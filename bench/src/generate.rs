//! Realistic, deterministic flow-log data.
//!
//! The output looks like several S3 log objects concatenated: each object starts with its header
//! line and holds records of one format, AWS's default (version 2) or a v5 custom format. Real
//! logs repeat themselves, so records draw from pools: a few dozen interfaces, a few hundred local
//! hosts, a few thousand peers. About 5% of records are IPv6; of the public peers about half are
//! inside AWS's published ranges (sampled from the ip-ranges.json given), the others are checked
//! to be outside them; ~10% REJECT, ~2% NODATA or SKIPDATA.

use crate::rng::Rng;
use flowlens::classify::aws::AwsRanges;
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// AWS's default format (version 2), as the header line of an S3 object.
pub const DEFAULT_HEADER: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

/// The v5 custom format the benchmarks use (every v2 field, then the v3-v5 ones).
pub const V5_HEADER: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path";

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Records to write (header lines not counted).
    pub records: u64,
    /// Seed of the PRNG: same seed, same bytes.
    pub seed: u64,
    /// Share of S3 objects written in the v5 format (the others use the default format).
    pub v5_share: f64,
    /// Records per S3 object (each object starts with a header line).
    pub object_records: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            records: 1_000_000,
            seed: 0x5eed_f10e,
            v5_share: 0.25,
            object_records: 5_000,
        }
    }
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Records.
    pub records: u64,
    /// Header lines.
    pub headers: u64,
    /// Bytes.
    pub bytes: u64,
    /// Records in the v5 format.
    pub v5: u64,
    /// IPv6 records.
    pub ipv6: u64,
    /// REJECT records.
    pub reject: u64,
    /// NODATA and SKIPDATA records.
    pub no_data: u64,
    /// Public peer addresses written, and how many of them are inside AWS's ranges.
    pub public_peers: u64,
    /// See `public_peers`.
    pub aws_peers: u64,
}

/// A public AWS address with the service and region ip-ranges.json gives for it.
#[derive(Clone, Debug)]
struct AwsPeer {
    addr: IpAddr,
    service: String,
}

/// Prefixes of ip-ranges.json, as (network, length, service).
struct Prefixes {
    v4: Vec<(u32, u8, String)>,
    v6: Vec<(u128, u8, String)>,
}

fn read_prefixes(json: &str) -> Prefixes {
    let doc: serde_json::Value = serde_json::from_str(json).expect("ip-ranges.json is JSON");
    let mut p = Prefixes {
        v4: Vec::new(),
        v6: Vec::new(),
    };
    for (list, key) in [("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")] {
        for e in doc[list].as_array().into_iter().flatten() {
            let (Some(prefix), Some(service)) = (e[key].as_str(), e["service"].as_str()) else {
                continue;
            };
            let Some((addr, len)) = prefix.split_once('/') else {
                continue;
            };
            let len: u8 = len.parse().unwrap_or(0);
            match addr.parse::<IpAddr>() {
                Ok(IpAddr::V4(a)) => p.v4.push((u32::from(a), len, service.to_string())),
                Ok(IpAddr::V6(a)) => p.v6.push((u128::from(a), len, service.to_string())),
                Err(_) => {}
            }
        }
    }
    assert!(
        !p.v4.is_empty() && !p.v6.is_empty(),
        "ip-ranges.json lists no prefixes"
    );
    p
}

fn inside_v4(r: &mut Rng, net: u32, len: u8) -> Ipv4Addr {
    let host = if len >= 32 { 0 } else { u32::MAX >> len };
    Ipv4Addr::from((net & !host) | (r.next_u64() as u32 & host))
}

fn inside_v6(r: &mut Rng, net: u128, len: u8) -> Ipv6Addr {
    let host = if len >= 128 { 0 } else { u128::MAX >> len };
    let bits = (u128::from(r.next_u64()) << 64) | u128::from(r.next_u64());
    Ipv6Addr::from((net & !host) | (bits & host))
}

/// A public IPv4 address outside AWS's ranges (and outside the special-purpose blocks).
fn other_v4(r: &mut Rng, aws: &AwsRanges) -> Ipv4Addr {
    loop {
        let a = Ipv4Addr::from(r.next_u64() as u32);
        let o = a.octets();
        let special =
            matches!(o[0], 0 | 10 | 100 | 127 | 169 | 172 | 192 | 198 | 203) || o[0] >= 224;
        if !special && aws.lookup(IpAddr::V4(a)).is_none() {
            return a;
        }
    }
}

/// A public IPv6 address outside AWS's ranges: in 2a00::/12 (RIPE) or 2400::/12 (APNIC).
fn other_v6(r: &mut Rng, aws: &AwsRanges) -> Ipv6Addr {
    loop {
        let net = if r.chance(0.5) {
            0x2a00u128 << 112
        } else {
            0x2400u128 << 112
        };
        let a = inside_v6(r, net, 12);
        if aws.lookup(IpAddr::V6(a)).is_none() {
            return a;
        }
    }
}

/// An AWS peer: a random entry of ip-ranges.json, a random address inside it.
fn aws_peer(r: &mut Rng, p: &Prefixes, v6: bool) -> AwsPeer {
    if v6 {
        let (net, len, service) = r.pick(&p.v6);
        AwsPeer {
            addr: IpAddr::V6(inside_v6(r, *net, *len)),
            service: service.clone(),
        }
    } else {
        let (net, len, service) = r.pick(&p.v4);
        AwsPeer {
            addr: IpAddr::V4(inside_v4(r, *net, *len)),
            service: service.clone(),
        }
    }
}

fn hex_id(r: &mut Rng, prefix: &str, digits: usize) -> String {
    let mut s = String::with_capacity(prefix.len() + digits);
    s.push_str(prefix);
    while s.len() < prefix.len() + digits {
        s.push_str(&format!("{:016x}", r.next_u64()));
    }
    s.truncate(prefix.len() + digits);
    s
}

/// An elastic network interface and what it belongs to.
struct Eni {
    account: String,
    id: String,
    vpc: String,
    subnet: String,
    instance: Option<String>,
    region: &'static str,
    az: String,
    v4: Vec<Ipv4Addr>,
    v6: Vec<Ipv6Addr>,
}

const REGIONS: [(&str, &str, u32); 3] = [
    ("us-east-1", "use1-az", 6),
    ("eu-west-1", "euw1-az", 3),
    ("ap-northeast-1", "apne1-az", 4),
];

/// Server ports seen in VPC traffic, with a rough weight each.
const SERVER_PORTS: [(u16, u32); 16] = [
    (443, 40),
    (80, 10),
    (53, 10),
    (123, 4),
    (22, 5),
    (3389, 2),
    (3306, 3),
    (5432, 3),
    (6379, 3),
    (8080, 3),
    (2049, 2),
    (9092, 2),
    (27017, 1),
    (25, 1),
    (8443, 2),
    (11211, 1),
];

struct Pools {
    enis: Vec<Eni>,
    aws_peers: Vec<AwsPeer>,
    aws_peers6: Vec<AwsPeer>,
    other4: Vec<Ipv4Addr>,
    other6: Vec<Ipv6Addr>,
    private4: Vec<Ipv4Addr>,
}

fn pools(r: &mut Rng, p: &Prefixes, aws: &AwsRanges) -> Pools {
    let accounts: Vec<String> = (0..3)
        .map(|_| format!("{:012}", r.below(1_000_000_000_000)))
        .collect();
    let v6_vpc: Vec<&(u128, u8, String)> =
        p.v6.iter().filter(|e| e.2 == "EC2" && e.1 <= 56).collect();
    let enis = (0..48)
        .map(|i| {
            let (region, az, azs) = REGIONS[i % REGIONS.len()];
            let vpc_net = (*r.pick(&v6_vpc)).clone();
            let subnet = r.range(0, 15) as u32;
            Eni {
                account: accounts[i % accounts.len()].clone(),
                id: hex_id(r, "eni-", 17),
                vpc: format!("vpc-{:017x}", 0xabc0_0000u64 + (i % 6) as u64),
                subnet: format!("subnet-{:017x}", 0x5ab0_0000u64 + u64::from(subnet)),
                instance: (!r.chance(0.15)).then(|| hex_id(r, "i-", 17)),
                region,
                az: format!("{az}{}", r.range(1, u64::from(azs))),
                v4: (0..6)
                    .map(|_| {
                        Ipv4Addr::new(
                            10,
                            (i % 6) as u8,
                            subnet as u8 * 16 + r.below(16) as u8,
                            r.range(4, 254) as u8,
                        )
                    })
                    .collect(),
                v6: (0..2)
                    .map(|_| inside_v6(r, vpc_net.0, 64.max(vpc_net.1)))
                    .collect(),
            }
        })
        .collect();
    Pools {
        enis,
        aws_peers: (0..3000).map(|_| aws_peer(r, p, false)).collect(),
        aws_peers6: (0..200).map(|_| aws_peer(r, p, true)).collect(),
        other4: (0..3000).map(|_| other_v4(r, aws)).collect(),
        other6: (0..200).map(|_| other_v6(r, aws)).collect(),
        private4: (0..300)
            .map(|_| match r.below(3) {
                0 => Ipv4Addr::new(
                    172,
                    16 + r.below(16) as u8,
                    r.below(256) as u8,
                    r.range(1, 254) as u8,
                ),
                _ => Ipv4Addr::new(
                    10,
                    r.below(256) as u8,
                    r.below(256) as u8,
                    r.range(1, 254) as u8,
                ),
            })
            .collect(),
    }
}

fn server_port(r: &mut Rng) -> u16 {
    let total: u32 = SERVER_PORTS.iter().map(|p| p.1).sum();
    let mut x = r.below(u64::from(total)) as u32;
    for (port, w) in SERVER_PORTS {
        if x < w {
            return port;
        }
        x -= w;
    }
    443
}

fn dash<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// Writes `opts.records` records (in S3 objects, each with its header line) to `out`.
pub fn generate(ranges_json: &str, opts: &Options, out: &mut impl Write) -> io::Result<Stats> {
    let aws = AwsRanges::parse(ranges_json).expect("a usable ip-ranges.json");
    let prefixes = read_prefixes(ranges_json);
    let mut r = Rng::new(opts.seed);
    let pools = pools(&mut r, &prefixes, &aws);
    let mut st = Stats::default();
    let mut time: u64 = 1_744_502_400; // 2025-04-13T00:00:00Z
    let mut line = String::with_capacity(512);
    let mut written = 0;
    while written < opts.records {
        let v5 = r.chance(opts.v5_share);
        let header = if v5 { V5_HEADER } else { DEFAULT_HEADER };
        writeln!(out, "{header}")?;
        st.headers += 1;
        st.bytes += header.len() as u64 + 1;
        let n = opts.object_records.min(opts.records - written);
        for _ in 0..n {
            line.clear();
            record(&mut r, &pools, v5, time, &mut line, &mut st);
            line.push('\n');
            out.write_all(line.as_bytes())?;
            st.bytes += line.len() as u64;
            if r.chance(0.02) {
                time += 1;
            }
        }
        written += n;
        st.records += n;
        if v5 {
            st.v5 += n;
        }
    }
    out.flush()?;
    Ok(st)
}

fn record(r: &mut Rng, pools: &Pools, v5: bool, time: u64, s: &mut String, st: &mut Stats) {
    use std::fmt::Write as _;
    let eni = r.pick(&pools.enis);
    let version = if v5 { 5 } else { 2 };
    let start = time - r.below(60);
    let end = start + r.range(1, 60);
    let status = match r.below(1000) {
        0..=15 => "NODATA",
        16..=19 => "SKIPDATA",
        _ => "OK",
    };
    if status != "OK" {
        st.no_data += 1;
        let _ = write!(
            s,
            "{version} {} {} - - - - - - - {start} {end} - {status}",
            eni.account, eni.id
        );
        if v5 {
            let _ = write!(
                s,
                " {} {} {} - - - - {} {} - - - - - -",
                eni.vpc,
                eni.subnet,
                dash(eni.instance.as_deref()),
                eni.region,
                eni.az
            );
        }
        return;
    }
    let v6 = r.chance(0.05);
    if v6 {
        st.ipv6 += 1;
    }
    let local: IpAddr = if v6 {
        IpAddr::V6(*r.pick(&eni.v6))
    } else {
        IpAddr::V4(*r.pick(&eni.v4))
    };
    // The peer: private (another host of the VPC or of a peered network) or public; of the
    // public ones, about half are AWS's.
    let mut peer_service: Option<&str> = None;
    let peer: IpAddr = if !v6 && r.chance(0.25) {
        IpAddr::V4(*r.pick(&pools.private4))
    } else {
        st.public_peers += 1;
        if r.chance(0.5) {
            st.aws_peers += 1;
            let p = r.pick(if v6 {
                &pools.aws_peers6
            } else {
                &pools.aws_peers
            });
            peer_service = Some(&p.service);
            p.addr
        } else if v6 {
            IpAddr::V6(*r.pick(&pools.other6))
        } else {
            IpAddr::V4(*r.pick(&pools.other4))
        }
    };
    let protocol: u8 = match r.below(100) {
        0..=79 => 6,
        80..=96 => 17,
        _ if v6 => 58,
        _ => 1,
    };
    let service_port = server_port(r);
    let ephemeral = r.range(32768, 65535) as u16;
    // Ingress or egress, and who is the server.
    let ingress = r.chance(0.5);
    let local_serves = r.chance(0.4);
    let (src, dst) = if ingress {
        (peer, local)
    } else {
        (local, peer)
    };
    let (src_serves, _) = if ingress {
        (!local_serves, local_serves)
    } else {
        (local_serves, !local_serves)
    };
    let (srcport, dstport) = match protocol {
        6 | 17 if src_serves => (service_port, ephemeral),
        6 | 17 => (ephemeral, service_port),
        _ => (0, 0),
    };
    let packets = 1 + r.below(20) * r.below(50) + r.below(3);
    let bytes = packets * r.range(40, 1500);
    let action = if r.chance(0.10) {
        st.reject += 1;
        "REJECT"
    } else {
        "ACCEPT"
    };
    let _ = write!(
        s,
        "{version} {} {} {src} {dst} {srcport} {dstport} {protocol} {packets} {bytes} {start} {end} {action} OK",
        eni.account, eni.id
    );
    if v5 {
        let tcp_flags = if protocol == 6 {
            *r.pick(&[2u8, 18, 3, 19, 1, 4, 0, 2, 18, 19])
        } else {
            0
        };
        let (src_service, dst_service) = if ingress {
            (peer_service, None)
        } else {
            (None, peer_service)
        };
        let traffic_path = (!ingress).then(|| r.range(1, 8));
        let _ = write!(
            s,
            " {} {} {} {tcp_flags} {} {src} {dst} {} {} - - {} {} {} {}",
            eni.vpc,
            eni.subnet,
            dash(eni.instance.as_deref()),
            if v6 { "IPv6" } else { "IPv4" },
            eni.region,
            eni.az,
            dash(src_service),
            dash(dst_service),
            if ingress { "ingress" } else { "egress" },
            dash(traffic_path)
        );
    }
}

/// `n` addresses to look up: about half inside AWS's ranges, 5% IPv6, the rest public addresses
/// anywhere (mostly outside AWS).
pub fn lookup_sample(ranges_json: &str, n: usize, seed: u64) -> Vec<IpAddr> {
    let p = read_prefixes(ranges_json);
    let mut r = Rng::new(seed);
    (0..n)
        .map(|_| {
            let v6 = r.chance(0.05);
            if r.chance(0.5) {
                aws_peer(&mut r, &p, v6).addr
            } else if v6 {
                IpAddr::V6(inside_v6(&mut r, 0x2000u128 << 112, 3))
            } else {
                IpAddr::V4(Ipv4Addr::from(r.next_u64() as u32))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RANGES: &str = r#"{"syncToken":"1","createDate":"2026-01-01-00-00-00","prefixes":[
        {"ip_prefix":"52.95.0.0/16","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"},
        {"ip_prefix":"52.95.128.0/21","region":"us-east-1","service":"S3","network_border_group":"us-east-1"}],
        "ipv6_prefixes":[{"ipv6_prefix":"2600:1f18::/36","region":"us-east-1","service":"EC2","network_border_group":"us-east-1"}]}"#;

    #[test]
    fn deterministic_and_decodable() {
        let opts = Options {
            records: 3000,
            object_records: 1000,
            ..Options::default()
        };
        let mut a = Vec::new();
        let st = generate(RANGES, &opts, &mut a).unwrap();
        let mut b = Vec::new();
        generate(RANGES, &opts, &mut b).unwrap();
        assert_eq!(a, b);
        assert_eq!(st.records, 3000);
        let d = flowlens::store::Decoded::decode(&a);
        let c = d.counts();
        assert_eq!((c.records, c.errors, c.headers), (3000, 0, st.headers));
    }
}
