//! Every row of the summary carries a filter that selects exactly the records the row counts (the
//! page lists them when the row is clicked), and the summary of a filtered set
//! (`Overview::add_rows`) is the summary of a text holding only those records.
//!
//! Which rows are checked: every object of the report's JSON with a `filter` (not `null`) and a
//! `records` count: the split, the talkers, addresses, rejected sources, blocks, owners,
//! destinations, scans, services, protocols and the time bars. "Others" rows carry no filter.
//! Counts are exact here (no table overflows); a table that overflowed its bound (`exact: false`)
//! could count fewer records than its rows' filters select, and over custom formats without
//! `srcaddr` / `dstaddr` the summary reads `pkt-srcaddr` / `pkt-dstaddr` which the filters do not.

use flowlens::classify::aws::AwsRanges;
use flowlens::explain::Context;
use flowlens::overview::{Overview, OverviewReport};
use flowlens::query::{record_rows, Query};
use flowlens::store::Decoded;
use flowlens::text::Lang;
use serde_json::Value as Json;
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

fn aws() -> &'static Arc<AwsRanges> {
    static RANGES: OnceLock<Arc<AwsRanges>> = OnceLock::new();
    RANGES.get_or_init(|| {
        Arc::new(
            AwsRanges::parse(include_str!("../www/data/ip-ranges.json")).expect("bundled snapshot"),
        )
    })
}

const DOCS: &str = include_str!("data/aws-docs-examples.log");
const SEED: &str = include_str!("data/seed.log");

fn summary(d: &Decoded, lang: Lang, top: usize) -> OverviewReport {
    let mut o = Overview::new().with_aws_ranges(Some(aws().clone()));
    o.add_decoded(d);
    o.report(&Context { aws: Some(aws()) }, lang, top)
}

/// Every (path, filter, records) of the report's JSON.
fn rows_with_filters(j: &Json, path: &str, out: &mut Vec<(String, String, u64)>) {
    match j {
        Json::Object(m) => {
            if let (Some(Json::String(f)), Some(n)) =
                (m.get("filter"), m.get("records").and_then(Json::as_u64))
            {
                out.push((path.to_string(), f.clone(), n));
            }
            for (k, v) in m {
                rows_with_filters(v, &format!("{path}.{k}"), out);
            }
        }
        Json::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                rows_with_filters(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Checks every row's filter against its count; returns how many rows were checked.
fn check_filters(text: &str) -> (usize, OverviewReport) {
    let d = Decoded::decode(text);
    let r = summary(&d, Lang::En, 50);
    let j = serde_json::to_value(&r).unwrap();
    let mut rows = Vec::new();
    rows_with_filters(&j, "", &mut rows);
    let mut wrong = Vec::new();
    for (path, f, records) in &rows {
        let q = Query::parse(f).unwrap_or_else(|e| panic!("{path}: {f}: {e}"));
        let n = q.filter(&d, Some(aws())).len() as u64;
        if n != *records {
            wrong.push(format!(
                "{path}: `{f}` selects {n}, the row counts {records}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    (rows.len(), r)
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A mixed input: interfaces with their own addresses (one of them IPv6), peers on the internet
/// (IPv4 and IPv6, random), in AWS's ranges (the bundled snapshot's prefixes), in other clouds,
/// private, documentation and special ones; requests and replies, accepted and rejected; two
/// scanners (one vertical, one horizontal); ICMP, NODATA records; times over a few hours.
fn mixed() -> String {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let ranges = aws();
    let mut peers: Vec<String> = [
        "203.0.113.12",
        "198.51.100.7",
        "8.8.8.8",
        "1.1.1.1",
        "100.64.0.1",
        "169.254.169.254",
        "10.0.9.9",
        "172.31.0.2",
        "192.168.1.20",
        "fd00::7",
        "2a00:1450:4001::1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for i in (0..ranges.prefixes.len()).step_by(ranges.prefixes.len() / 60) {
        let net = ranges.prefixes[i].net;
        peers.push(match net.addr() {
            IpAddr::V4(a) => std::net::Ipv4Addr::from(u32::from(a) + 1).to_string(),
            IpAddr::V6(a) => std::net::Ipv6Addr::from(u128::from(a) + 1).to_string(),
        });
    }
    for &(net, _, _, _) in flowlens::classify::clouds::published::V4
        .iter()
        .step_by(131)
    {
        peers.push(std::net::Ipv4Addr::from(net + 1).to_string());
    }
    for _ in 0..80 {
        // Random public addresses, a few per /24.
        let a = 11 + rng.below(150) as u32;
        let b = rng.below(4) as u32;
        peers.push(format!("{a}.{b}.{}.{}", rng.below(3), 1 + rng.below(250)));
    }
    let interfaces = [
        ("eni-01f35fc1a2377de36", "10.0.4.135"),
        ("eni-0aa01f3000000000a", "10.0.1.20"),
        ("eni-0bb0000000000000b", "2600:1f18:1234:5600::5"),
        ("eni-0cc0000000000000c", "172.31.5.5"),
    ];
    let services = ["22", "80", "443", "3389", "53", "123", "5432", "8080"];
    let mut out = String::new();
    let mut line =
        |eni: &str, src: &str, dst: &str, sp: &str, dp: &str, p: &str, t: u64, a: &str| {
            out.push_str(&format!(
                "2 123456789010 {eni} {src} {dst} {sp} {dp} {p} 3 {} {t} {} {a} OK\n",
                40 + (t % 977),
                t + 60
            ));
        };
    let t0 = 1_744_502_400;
    for i in 0..900u64 {
        let (eni, own) = interfaces[rng.below(interfaces.len())];
        let peer = peers[rng.below(peers.len())].clone();
        let ephemeral = (32768 + rng.below(28000)).to_string();
        let service = services[rng.below(services.len())];
        let protocol = ["6", "6", "17", "1"][rng.below(4)];
        let (sp, dp) = if protocol == "1" {
            ("0".to_string(), "0".to_string())
        } else {
            (ephemeral.clone(), service.to_string())
        };
        let action = ["ACCEPT", "REJECT", "REJECT"][rng.below(3)];
        let t = t0 + i * 17;
        match rng.below(4) {
            // In: a request from the peer, or the reply to the peer's request.
            0 => line(eni, &peer, own, &sp, &dp, protocol, t, action),
            1 => line(eni, own, &peer, &dp, &sp, protocol, t, action),
            // Out: a request to the peer, or its reply.
            2 => line(eni, own, &peer, &sp, &dp, protocol, t, action),
            _ => line(eni, &peer, own, &dp, &sp, protocol, t, action),
        }
    }
    // A vertical scan of 40 ports and a horizontal one of 30 addresses.
    for p in 1..=40 {
        line(
            interfaces[0].0,
            "45.33.32.156",
            interfaces[0].1,
            "51000",
            &p.to_string(),
            "6",
            t0 + 100,
            "REJECT",
        );
    }
    for h in 1..=30 {
        line(
            interfaces[1].0,
            "2a01:4f8::99",
            &format!("2600:1f18:1234:5600::{h:x}"),
            "40000",
            "22",
            "6",
            t0 + 7200,
            "REJECT",
        );
    }
    out.push_str(
        "2 123456789010 eni-0aa01f3000000000a - - - - - - - 1744502400 1744502460 - NODATA\n",
    );
    out
}

#[test]
fn every_row_of_the_docs_examples_selects_what_it_counts() {
    let (checked, r) = check_filters(DOCS);
    assert!(checked >= 25, "{checked}");
    // Two REJECT records, both requests between private addresses.
    let parts: Vec<(&str, u64)> = r
        .rejected_split
        .iter()
        .map(|p| (p.part, p.records))
        .collect();
    assert_eq!(
        parts,
        [
            ("replies", 0),
            ("internet", 0),
            ("aws", 0),
            ("private", 2),
            ("own", 0),
            ("other", 0)
        ]
    );
    assert_eq!(r.rejected_owners.rows[0].label, "Private addresses");
}

#[test]
fn every_row_of_the_seed_selects_what_it_counts() {
    let (checked, r) = check_filters(SEED);
    assert!(checked >= 5, "{checked}");
    assert!(r.rejected_split.iter().all(|p| p.records == 0));
}

#[test]
fn every_row_of_a_mixed_input_selects_what_it_counts() {
    let text = mixed();
    let (checked, r) = check_filters(&text);
    assert!(checked >= 150, "{checked}");
    let part = |name: &str| {
        r.rejected_split
            .iter()
            .find(|p| p.part == name)
            .unwrap()
            .records
    };
    // Every REJECT record is in one part.
    let sum: u64 = r.rejected_split.iter().map(|p| p.records).sum();
    assert_eq!(sum, r.totals.rejected.records);
    for name in ["replies", "internet", "aws", "private", "other"] {
        assert!(part(name) > 0, "{name}: {:?}", r.rejected_split);
    }
    // Owners: AWS groups, the internet, private addresses, another cloud.
    let kinds: Vec<&str> = r.rejected_owners.rows.iter().map(|o| o.kind).collect();
    for k in ["aws", "internet", "scope", "cloud"] {
        assert!(kinds.contains(&k), "{k}: {kinds:?}");
    }
    // The scans: 40 ports of one source, 30 addresses of another.
    let scans: Vec<(String, &str, u64, u64)> = r
        .scans
        .rows
        .iter()
        .map(|s| {
            (
                s.address["addr"].as_str().unwrap().to_string(),
                s.kind,
                s.ports,
                s.destinations,
            )
        })
        .collect();
    assert!(
        scans.contains(&("45.33.32.156".into(), "vertical", 40, 1)),
        "{scans:?}"
    );
    assert!(
        scans.contains(&("2a01:4f8::99".into(), "horizontal", 1, 30)),
        "{scans:?}"
    );
    // Its own addresses rejected as destinations, each with its interface.
    assert!(!r.rejected_destinations.rows.is_empty());
    assert!(r
        .rejected_destinations
        .rows
        .iter()
        .all(|d| d.interface.starts_with("eni-")));
    // The blocks: 2a01:4f8::/64 holds the horizontal scanner.
    assert!(r
        .rejected_blocks
        .rows
        .iter()
        .any(|b| b.block == "2a01:4f8::/64"));
}

/// The summary of the rows `expr` keeps, and the summary of a text of only those lines (with the
/// whole input's facts: interfaces and their own addresses come from every record of the input).
fn filtered_is_the_text_of_its_lines(text: &str, expr: &str) -> OverviewReport {
    let whole = Decoded::decode(text);
    let rows = Query::parse(expr).unwrap().filter(&whole, Some(aws()));
    assert!(!rows.is_empty(), "{expr}");
    let mut o = Overview::new().with_aws_ranges(Some(aws().clone()));
    o.add_rows(&whole, &rows);
    let ctx = Context { aws: Some(aws()) };
    let filtered = o.report(&ctx, Lang::Ja, 20);

    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let sub_text: String = rows
        .iter()
        .map(|r| format!("{}\n", lines[*r as usize]))
        .collect();
    let sub = Decoded::decode(&sub_text);
    let mut o = Overview::new().with_aws_ranges(Some(aws().clone()));
    o.add_records(&sub, &record_rows(sub.store()));
    o.add_facts(whole.facts());
    let of_text = o.report(&ctx, Lang::Ja, 20);
    assert_eq!(
        serde_json::to_value(&filtered).unwrap(),
        serde_json::to_value(&of_text).unwrap(),
        "{expr}"
    );
    // Summarised as an input of its own, only what the facts tell may differ.
    let alone = summary(&sub, Lang::Ja, 20);
    assert_eq!(alone.totals.records, filtered.totals.records);
    assert_eq!(alone.totals.lines, filtered.totals.lines);
    assert_eq!(alone.totals.rejected, filtered.totals.rejected);
    assert_eq!(
        serde_json::to_value(&alone.services).unwrap(),
        serde_json::to_value(&filtered.services).unwrap()
    );
    filtered
}

#[test]
fn the_summary_of_a_filtered_set_is_that_of_its_lines() {
    let r = filtered_is_the_text_of_its_lines(DOCS, "action=REJECT");
    assert_eq!((r.totals.records, r.totals.rejected.records), (2, 2));
    // The interfaces counted are the whole input's (two), not the filtered lines' (one).
    assert_eq!(r.totals.interfaces.count, 2);
    let r = filtered_is_the_text_of_its_lines(DOCS, "protocol=tcp or log-status=NODATA");
    assert_eq!(r.totals.records, 4);
    let text = mixed();
    let r = filtered_is_the_text_of_its_lines(&text, "action=REJECT and not role=reply");
    assert_eq!(r.totals.records, r.totals.rejected.records);
    assert_eq!(r.rejected_split[0].records, 0);
    filtered_is_the_text_of_its_lines(&text, "from_internet or dst.aws.service=EC2");
}
