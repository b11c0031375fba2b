//! The summary over many records (`Decoded::overview`): totals, top talkers, rejected sources,
//! services (by the server's port), protocols and the time chart, on the AWS documentation's
//! examples, the seed record, requests and replies, a custom format without bytes, and more
//! distinct keys than the tables keep.

use flowlens::classify::aws::AwsRanges;
use flowlens::explain::Context;
use flowlens::overview::{Overview, OverviewReport, Summarise, Summariser};
use flowlens::store::Decoded;
use flowlens::text::Lang;
use std::sync::OnceLock;

fn aws() -> &'static AwsRanges {
    static RANGES: OnceLock<AwsRanges> = OnceLock::new();
    RANGES.get_or_init(|| {
        AwsRanges::parse(include_str!("../www/data/ip-ranges.json")).expect("bundled snapshot")
    })
}

fn overview(text: &str, lang: Lang) -> OverviewReport {
    Decoded::decode(text).overview(&Context { aws: Some(aws()) }, lang, 10)
}

const DOCS: &str = include_str!("data/aws-docs-examples.log");
const SEED: &str = include_str!("data/seed.log");

fn addr(j: &serde_json::Value) -> &str {
    j["addr"].as_str().unwrap()
}

#[test]
fn docs_examples_totals() {
    let r = overview(DOCS, Lang::En);
    let t = &r.totals;
    assert_eq!((t.lines, t.errors, t.records), (7, 0, 7));
    // 4249 + 4249 + 336 + 336 + 8855; NODATA and SKIPDATA records have no bytes.
    assert_eq!((t.bytes, t.packets, t.records_with_bytes), (18_025, 102, 5));
    assert_eq!((t.accepted.records, t.accepted.bytes), (3, 13_440));
    assert_eq!((t.rejected.records, t.rejected.bytes), (2, 4_585));
    assert_eq!(t.no_action, 2);
    let s = &t.log_status;
    assert_eq!(
        (s.ok, s.nodata, s.skipdata, s.other, s.absent),
        (5, 1, 1, 0, 0)
    );
    let time = t.time.as_ref().unwrap();
    assert_eq!(time.first_start_utc, "2014-12-14T04:06:50Z");
    assert_eq!(time.last_end_utc, "2016-10-31T11:37:00Z");
    assert_eq!(time.span_s, 1_477_913_820 - 1_418_530_010);
    assert_eq!(time.span_text, "687 days 7 h");
    assert_eq!((t.interfaces.count, t.interfaces.exact), (2, true));
    assert_eq!((t.addresses.count, t.addresses.exact), (7, true));
}

#[test]
fn docs_examples_talkers_in_order() {
    let r = overview(DOCS, Lang::En);
    let pairs: Vec<(String, String, u64)> = r
        .top_pairs
        .rows
        .iter()
        .map(|p| (addr(&p.src).into(), addr(&p.dst).into(), p.bytes))
        .collect();
    let expected = [
        (
            "2001:db8:1234:a100:8d6e:3477:df66:f105",
            "2001:db8:1234:a102:3304:8879:34cf:4071",
            8855,
        ),
        // Equal bytes and records: ordered by address.
        ("172.31.9.69", "172.31.9.12", 4249),
        ("172.31.16.139", "172.31.16.21", 4249),
        ("172.31.16.139", "203.0.113.12", 336),
        ("203.0.113.12", "172.31.16.139", 336),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(s, d, b)| (s.to_string(), d.to_string(), *b))
        .collect();
    assert_eq!(pairs, expected);
    assert!(r.top_pairs.exact);
    assert_eq!(r.top_pairs.keys, Some(5));
    assert_eq!(r.top_pairs.rows[0].packets, 54);
    assert_eq!(r.top_pairs.rows[0].src["scope"], "documentation");
    assert_eq!(r.top_pairs.rows[1].src["value"], "private, in your VPC");
    // Everything is shown: nothing left over.
    let others = r.top_pairs.others.unwrap();
    assert_eq!((others.records, others.bytes), (0, 0));

    let a = &r.top_addresses.rows[2];
    assert_eq!(addr(&a.address), "172.31.16.139");
    assert_eq!(
        (a.bytes, a.sent, a.received, a.records),
        (4921, 4585, 336, 3)
    );
    assert_eq!(r.top_addresses.rows.len(), 7);
}

#[test]
fn docs_examples_rejected_sources_ports_protocols() {
    let r = overview(DOCS, Lang::En);
    let rej = &r.rejected_sources.rows;
    assert_eq!(rej.len(), 2);
    assert_eq!(addr(&rej[0].address), "172.31.9.69");
    assert_eq!((rej[0].records, rej[0].bytes), (1, 4249));
    assert_eq!(rej[0].ports.len(), 1);
    assert_eq!(rej[0].ports[0].keyword, Some("TCP"));
    assert_eq!(rej[0].ports[0].port, Some(3389));
    assert_eq!(rej[0].ports[0].name, Some("RDP"));
    assert!(!rej[0].ports[0].reply);
    // The rejected ICMP reply: a protocol without ports.
    assert_eq!(addr(&rej[1].address), "172.31.16.139");
    assert_eq!(rej[1].ports[0].keyword, Some("ICMP"));
    assert_eq!(rej[1].ports[0].port, None);

    // Both SSH records (20641 → 22, 34892 → 22) and the RDP attempt are requests; the ICMP
    // records have no ports.
    assert_eq!(
        services(&r),
        [
            ("TCP", 22, Some("SSH"), 2, 4249 + 8855, 2, 0, 2, 0, 0),
            ("TCP", 3389, Some("RDP"), 1, 4249, 0, 1, 1, 0, 0),
        ]
    );
    assert_eq!(r.services.rows[0].service, Some("ssh"));
    assert_eq!(r.services.rows[1].description, Some("MS WBT Server"));
    let roles = r.totals.roles;
    assert_eq!((roles.requests, roles.replies, roles.unknown), (3, 0, 0));

    let protocols: Vec<(&str, u64, u64, u64)> = r
        .protocols
        .iter()
        .map(|p| (p.keyword, p.records, p.accepted, p.rejected))
        .collect();
    assert_eq!(protocols, [("TCP", 3, 2, 1), ("ICMP", 2, 1, 1)]);
}

/// (keyword, port, name, records, bytes, accepted, rejected, requests, replies, unknown roles)
type ServiceFigures<'a> = (
    &'a str,
    u16,
    Option<&'a str>,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
);

fn services(r: &OverviewReport) -> Vec<ServiceFigures<'_>> {
    r.services
        .rows
        .iter()
        .map(|p| {
            (
                p.keyword,
                p.port,
                p.name,
                p.records,
                p.bytes,
                p.accepted,
                p.rejected,
                p.requests,
                p.replies,
                p.unknown_roles,
            )
        })
        .collect()
}

#[test]
fn a_request_and_its_reply_are_one_service() {
    // An HTTPS request and its reply: the reply's destination port is the client's ephemeral
    // port (49152), yet both count at 443.
    let text = "2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.15 52.95.110.1 49152 443 6 10 1500 1700000000 1700000060 ACCEPT OK\n\
                2 123456789010 eni-0a1b2c3d4e5f60718 52.95.110.1 10.0.1.15 443 49152 6 8 4200 1700000000 1700000060 ACCEPT OK";
    let r = overview(text, Lang::En);
    assert_eq!(
        services(&r),
        [("TCP", 443, Some("HTTPS"), 2, 5700, 2, 0, 1, 1, 0)]
    );
    assert!(r.services.exact);
    assert_eq!(r.services.keys, Some(1));
    let roles = r.totals.roles;
    assert_eq!((roles.requests, roles.replies, roles.unknown), (1, 1, 0));
    let others = r.services.others.unwrap();
    assert_eq!((others.records, others.bytes), (0, 0));
}

#[test]
fn records_whose_roles_are_unknown_count_at_their_destination_port() {
    let text = [
        // Two ephemeral ports: no telling which end serves.
        "2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.15 10.0.2.20 40000 50000 6 1 60 1700000000 1700000060 ACCEPT OK",
        // Two system ports (NTP between servers), then an NTP client's request, and a reply
        // to a client on a registered port (a rejected one).
        "2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.15 169.254.169.123 123 123 17 1 76 1700000000 1700000060 ACCEPT OK",
        "2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.15 169.254.169.123 35098 123 17 1 76 1700000000 1700000060 ACCEPT OK",
        "2 123456789010 eni-0a1b2c3d4e5f60718 169.254.169.123 10.0.1.15 123 5001 17 1 76 1700000000 1700000060 REJECT OK",
        // Port 0 says nothing either.
        "2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.15 10.0.2.20 0 8080 6 1 40 1700000000 1700000060 REJECT OK",
    ]
    .join("\n");
    let r = overview(&text, Lang::En);
    assert_eq!(
        services(&r),
        [
            ("UDP", 123, Some("NTP"), 3, 228, 2, 1, 1, 1, 1),
            // Equal records: by bytes.
            ("TCP", 50000, None, 1, 60, 1, 0, 0, 0, 1),
            ("TCP", 8080, Some("HTTP alternate"), 1, 40, 0, 1, 0, 0, 1),
        ]
    );
    let roles = r.totals.roles;
    assert_eq!((roles.requests, roles.replies, roles.unknown), (1, 1, 3));
    // Rejected sources: the NTP server's rejected reply (to the client's port 5001) is said as a
    // reply from 123; the attempt from port 0 keeps its destination port.
    let tried: Vec<(Option<u16>, bool)> = r
        .rejected_sources
        .rows
        .iter()
        .map(|s| (s.ports[0].port, s.ports[0].reply))
        .collect();
    assert_eq!(tried, [(Some(123), true), (Some(8080), false)]);

    // Without a source port, every record counts at its destination port, of unknown roles.
    let text = "srcaddr dstaddr dstport protocol action\n\
                10.0.0.1 10.0.0.2 443 6 ACCEPT\n\
                10.0.0.2 10.0.0.1 49152 6 ACCEPT";
    let r = overview(text, Lang::En);
    let s = services(&r);
    assert_eq!(s[0], ("TCP", 443, Some("HTTPS"), 1, 0, 1, 0, 0, 0, 1));
    assert_eq!(s[1], ("TCP", 49152, None, 1, 0, 1, 0, 0, 0, 1));
}

#[test]
fn docs_examples_over_time() {
    let r = overview(DOCS, Lang::En);
    let tl = &r.timeline;
    // 687 days: weekly bars (at most 100).
    assert_eq!(tl.width_s, 7 * 86_400);
    assert_eq!(tl.width_text, "7 days");
    assert_eq!(tl.buckets.len(), 99);
    // Weeks since 1970 start on Thursdays: 2014-12-11.
    assert_eq!(tl.buckets[0].start_utc, "2014-12-11T00:00:00Z");
    assert_eq!(
        (
            tl.buckets[0].records,
            tl.buckets[0].bytes,
            tl.buckets[0].rejected
        ),
        (2, 8498, 1)
    );
    assert_eq!(tl.buckets.iter().map(|b| b.records).sum::<u64>(), 7);
    assert_eq!(tl.buckets.iter().filter(|b| b.records > 0).count(), 4);
    assert_eq!(tl.records_without_start, 0);
}

#[test]
fn japanese_texts() {
    let r = overview(DOCS, Lang::Ja);
    assert_eq!(r.totals.time.as_ref().unwrap().span_text, "687 日 7 時間");
    assert_eq!(r.timeline.width_text, "7 日");
    assert_eq!(r.top_pairs.rows[1].src["value"], "プライベート、VPC 内");
    // Codes and names stay the same.
    assert_eq!(r.services.rows[0].name, Some("SSH"));
}

#[test]
fn seed_record_aws_destination() {
    let r = overview(SEED, Lang::En);
    assert_eq!(r.totals.records, 1);
    let p = &r.top_pairs.rows[0];
    assert_eq!(addr(&p.dst), "15.152.63.145");
    assert_eq!(p.dst["value"], "AWS EC2, Osaka");
    assert_eq!(p.dst["aws"]["region"], "ap-northeast-3");
    // 35098 → 123: an NTP request.
    assert_eq!(
        services(&r),
        [("UDP", 123, Some("NTP"), 1, 76, 1, 0, 1, 0, 0)]
    );
    assert_eq!(r.timeline.width_s, 1);
    assert_eq!(r.timeline.buckets.len(), 1);
    assert_eq!(r.timeline.buckets[0].start_utc, "2025-04-13T05:23:05Z");
    assert_eq!(r.totals.time.as_ref().unwrap().span_text, "8 s");
}

#[test]
fn the_interfaces_own_address_is_said() {
    let eni = "eni-0a1b2c3d4e5f60718";
    let text = format!(
        "2 123456789010 {eni} 10.0.1.15 52.95.110.1 49152 443 6 10 1500 1700000000 1700000060 ACCEPT OK\n\
         2 123456789010 {eni} 52.95.110.1 10.0.1.15 443 49152 6 8 4200 1700000000 1700000060 ACCEPT OK\n\
         2 123456789010 {eni} 45.33.32.156 10.0.1.15 51515 22 6 1 44 1700000030 1700000090 REJECT OK"
    );
    let r = overview(&text, Lang::En);
    let own = &r.top_addresses.rows[0];
    assert_eq!(addr(&own.address), "10.0.1.15");
    assert_eq!(own.address["interface"], eni);
    assert_eq!((own.sent, own.received, own.records), (1500, 4244, 3));
    let aws = &r.top_addresses.rows[1];
    assert_eq!(addr(&aws.address), "52.95.110.1");
    assert!(aws.address["aws"].is_object());
    assert_eq!(addr(&r.rejected_sources.rows[0].address), "45.33.32.156");
    assert_eq!(r.rejected_sources.rows[0].ports[0].name, Some("SSH"));
    // 90 s: one-second bars.
    assert_eq!(r.timeline.width_s, 1);
    assert_eq!(r.timeline.buckets.len(), 31);
    assert_eq!(r.timeline.buckets[30].rejected, 1);
}

#[test]
fn custom_format_without_bytes_or_times() {
    let text = "srcaddr dstaddr dstport protocol action\n\
                10.0.0.1 10.0.0.2 443 6 ACCEPT\n\
                10.0.0.1 10.0.0.2 443 6 ACCEPT\n\
                10.0.0.3 10.0.0.2 22 6 REJECT\n\
                10.0.0.4 10.0.0.2 - 1 REJECT";
    let r = overview(text, Lang::En);
    let t = &r.totals;
    assert_eq!((t.records, t.bytes, t.records_with_bytes), (4, 0, 0));
    assert_eq!(t.log_status.absent, 4);
    assert!(t.time.is_none());
    assert_eq!((t.accepted.records, t.rejected.records), (2, 2));
    assert_eq!(addr(&r.top_pairs.rows[0].src), "10.0.0.1");
    assert_eq!(r.top_pairs.rows[0].records, 2);
    assert_eq!(r.services.rows[0].name, Some("HTTPS"));
    assert_eq!(r.services.rows[0].records, 2);
    assert_eq!(r.services.rows[0].unknown_roles, 2);
    assert_eq!(r.rejected_sources.rows.len(), 2);
    assert_eq!(r.protocols[0].keyword, "TCP");
    assert_eq!(r.protocols[1].keyword, "ICMP");
    assert!(r.timeline.buckets.is_empty());
    assert_eq!(r.timeline.records_without_start, 4);
}

#[test]
fn bounded_tables_keep_the_heavy_keys_and_say_so() {
    // One heavy pair (300 records of 1,000 bytes) among 2,000 pairs of one 100-byte record each.
    let mut lines = Vec::new();
    for i in 0..2300u32 {
        let line = if i % 23 < 3 {
            "2 123456789010 eni-0123456789abcdef0 10.9.9.9 10.8.8.8 40000 443 6 1 1000 1700000000 1700000001 ACCEPT OK"
                .to_string()
        } else {
            format!(
                "2 123456789010 eni-0123456789abcdef0 10.1.{}.{} 10.2.0.1 40000 {} 6 1 100 1700000000 1700000001 REJECT OK",
                i / 250,
                i % 250,
                1000 + i % 700
            )
        };
        lines.push(line);
    }
    let d = Decoded::decode(lines.join("\n"));
    let mut o = Overview::with_limit(50);
    o.add_decoded(&d);
    let r = o.report(&Context::default(), Lang::En, 5);
    assert_eq!(r.totals.records, 2300);
    assert!(!r.top_pairs.exact);
    assert_eq!(r.top_pairs.keys, None);
    let top = &r.top_pairs.rows[0];
    assert_eq!((addr(&top.src), addr(&top.dst)), ("10.9.9.9", "10.8.8.8"));
    assert!(top.bytes <= 300_000 && top.bytes + top.error >= 300_000);
    assert_eq!(r.top_pairs.rows.len(), 5);
    // What is not shown adds up to the rest.
    let shown: u64 = r.top_pairs.rows.iter().map(|p| p.records).sum();
    assert_eq!(r.top_pairs.others.unwrap().records, 2300 - shown);
    // Distinct addresses are still counted exactly (2,000 sources + 3), though the table pruned.
    assert!(!r.top_addresses.exact);
    assert_eq!(
        (r.totals.addresses.count, r.totals.addresses.exact),
        (2003, true)
    );
    assert_eq!(r.limits.max_keys, 50);
    // Rejected sources: 2,000 of one record each; services: 700 distinct server ports (1000-1699
    // against the clients' 40000), 443 first.
    assert!(!r.rejected_sources.exact);
    assert!(!r.services.exact);
    assert_eq!(r.services.rows[0].port, 443);
    assert_eq!(r.services.rows[0].requests, 300);
    assert_eq!(r.rejected_sources.others.unwrap().records + 5, 2000);
}

/// The cost of the summary against the decode on the benchmark's 1M-record file (run with
/// `cargo test --release --test overview -- --ignored --nocapture cost`; medians of 5).
#[test]
#[ignore]
fn cost_on_the_benchmark_file() {
    let Some(path) = std::fs::read_dir("bench/data").ok().and_then(|d| {
        d.filter_map(|e| e.ok().map(|e| e.path())).find(|p| {
            p.to_string_lossy().ends_with(".log") && p.to_string_lossy().contains("flows-1000000-")
        })
    }) else {
        eprintln!("no bench/data/flows-1000000-*.log");
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let ctx = Context { aws: Some(aws()) };
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (mut decode, mut pass, mut report) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let d = Decoded::decode(text.as_str());
        decode.push(t.elapsed().as_secs_f64() * 1e3);
        let t = std::time::Instant::now();
        let mut o = Overview::new();
        o.add_decoded(&d);
        pass.push(t.elapsed().as_secs_f64() * 1e3);
        let t = std::time::Instant::now();
        let r = o.report(&ctx, Lang::En, 10);
        report.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(r.totals.records, 1_000_000);
    }
    let (d, p, r) = (median(decode), median(pass), median(report));
    eprintln!(
        "{}: decode {d:.0} ms, summary pass {p:.0} ms + report {r:.0} ms = {:.2}× the decode",
        path.display(),
        (p + r) / d
    );
}

#[test]
fn a_rejected_reply_is_said_at_the_servers_port() {
    // A network ACL that drops the replies of a web server: their destination ports are the
    // clients' ephemeral ports, all different; the source tried one thing, replying from 443.
    let lines: Vec<String> = (0..5)
        .map(|i| {
            format!(
                "2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.15 198.51.100.{i} 443 {} 6 3 180 1700000000 1700000060 REJECT OK",
                50_000 + i
            )
        })
        .chain(std::iter::once(
            "2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.15 198.51.100.9 40000 443 6 1 60 1700000000 1700000060 REJECT OK".to_string(),
        ))
        .collect();
    let r = overview(&lines.join("\n"), Lang::En);
    let row = &r.rejected_sources.rows[0];
    assert_eq!(addr(&row.address), "10.0.1.15");
    let tried: Vec<(Option<u16>, Option<&str>, bool, u64)> = row
        .ports
        .iter()
        .map(|p| (p.port, p.name, p.reply, p.records))
        .collect();
    assert_eq!(
        tried,
        [
            (Some(443), Some("HTTPS"), true, 5),
            (Some(443), Some("HTTPS"), false, 1)
        ]
    );
    assert_eq!(row.other_ports, 0);
    assert_eq!(
        services(&r),
        [("TCP", 443, Some("HTTPS"), 6, 960, 0, 6, 1, 5, 0)]
    );
}

/// Lines of a mixed input: default-format and v5 records (with a header), IPv4 and IPv6, many
/// interfaces met in turns (some with two addresses, two with the same address), REJECT and
/// NODATA records, and broken lines. Deterministic.
fn mixed_input(records: u32) -> String {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut out = String::new();
    let mut n = 0;
    for i in 0..records {
        if i == records / 2 {
            out.push_str("version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status\n");
        }
        // Records of one interface come in runs.
        if next(4) == 0 {
            n = next(40);
        }
        let eni = format!("eni-{n:017x}");
        // Interfaces 0-2 carry IPv6 only; 7, 8, 17, 18... share one address; 9 has two.
        let (own, peer) = if n < 3 {
            (
                format!("2001:db8::{n}"),
                format!("2001:db8:1::{}", next(100)),
            )
        } else {
            let own = match n % 10 {
                7 | 8 => "10.0.7.7".to_string(),
                9 if next(2) == 0 => "10.0.9.10".to_string(),
                _ => format!("10.0.1.{n}"),
            };
            let peer = match next(10) {
                0..=4 => format!("52.95.{}.{}", next(256), next(256)),
                _ => format!("203.0.113.{}", next(256)),
            };
            (own, peer)
        };
        let (src, dst, sport, dport) = if next(2) == 0 {
            (
                own.clone(),
                peer.clone(),
                32768 + next(20000),
                [443, 22, 53, 123][next(4) as usize],
            )
        } else {
            (
                peer.clone(),
                own.clone(),
                [443, 22, 53, 123][next(4) as usize],
                32768 + next(20000),
            )
        };
        let action = if next(10) == 0 { "REJECT" } else { "ACCEPT" };
        let start = 1_700_000_000 + u64::from(i) * 7;
        let line = match (i >= records / 2, next(50)) {
            (_, 0) => format!("2 123456789010 {eni} - - - - - - - {start} {} - NODATA", start + 60),
            (_, 1) => format!("2 123456789010 {eni} {src} {dst} notaport {dport} 6 1 40 {start} {} {action} OK", start + 60),
            (false, _) => format!(
                "2 123456789010 {eni} {src} {dst} {sport} {dport} {} {} {} {start} {} {action} OK",
                [6, 17][next(2) as usize],
                1 + next(9),
                40 + next(5000),
                start + 60
            ),
            (true, _) => format!(
                "5 vpc-0a1b2c3d subnet-0a1b2c3d i-0a1b2c3d4e5f60718 {eni} 123456789010 IPv4 {src} {dst} {sport} {dport} {src} {dst} 6 {} {} {start} {} {action} 2 OK",
                40 + next(5000),
                1 + next(9),
                start + 60
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    // One run of a last interface, with its heaviest records.
    for peer in 1..=5 {
        out.push_str(&format!(
            "2 123456789010 eni-000000000000000ff 10.0.2.55 198.51.100.{peer} 40000 443 6 9 900000000 1700000000 1700000060 ACCEPT OK\n"
        ));
    }
    out
}

/// Every input the tests have, by name: the AWS documentation's examples, the seed record, the
/// mixed input, each input shape (gzip, JSON, CSV).
fn every_input() -> Vec<(String, Vec<u8>)> {
    let mut inputs: Vec<(String, Vec<u8>)> = vec![
        ("docs".into(), DOCS.as_bytes().to_vec()),
        ("seed".into(), SEED.as_bytes().to_vec()),
        ("mixed".into(), mixed_input(20_000).into_bytes()),
    ];
    for e in std::fs::read_dir("tests/data/shapes").unwrap() {
        let p = e.unwrap().path();
        inputs.push((p.display().to_string(), std::fs::read(&p).unwrap()));
    }
    inputs
}

/// The summary made while reading (`Summariser`, what the CLI's `--summary` runs) is the one
/// made from the store (`Overview::add_decoded`), in both languages, on every input the tests
/// have: the AWS documentation's examples, the seed record, each input shape (gzip, JSON, CSV),
/// and a mixed input fed in chunks that split lines.
#[test]
fn the_summariser_reports_what_the_pass_over_the_store_does() {
    let ctx = Context { aws: Some(aws()) };
    for (name, bytes) in &every_input() {
        let d = Decoded::decode(bytes);
        let mut stored = Overview::new();
        stored.add_decoded(&d);
        // Chunks of odd sizes, as a file is read.
        let mut stream = Summariser::stream(None);
        for chunk in bytes.chunks(4093) {
            stream.push(chunk);
        }
        let (report, read) = Summariser::finish(stream);
        assert_eq!(report.counts, d.counts(), "{name}");
        for lang in [Lang::En, Lang::Ja] {
            let a = serde_json::to_value(stored.report(&ctx, lang, 10)).unwrap();
            let b = serde_json::to_value(read.report(&ctx, lang, 10)).unwrap();
            assert_eq!(a, b, "{name} {lang:?}");
        }
        let (_, whole) = Summariser::summarise(bytes, None);
        assert_eq!(
            serde_json::to_value(whole.report(&ctx, Lang::En, 10)).unwrap(),
            serde_json::to_value(stored.report(&ctx, Lang::En, 10)).unwrap(),
            "{name}"
        );
    }
    // The mixed input tells interfaces' own addresses (and one address shared by two of them).
    let (_, o) = Summariser::summarise(mixed_input(20_000).as_bytes(), None);
    let r = o.report(&ctx, Lang::En, 100);
    let owned = r
        .top_addresses
        .rows
        .iter()
        .filter(|row| row.address["interface"].is_string())
        .count();
    assert!(owned >= 10, "{owned} addresses with their interface");
    let interface_of = |a: &str| {
        let row = r
            .top_addresses
            .rows
            .iter()
            .find(|row| addr(&row.address) == a);
        row.map(|row| row.address["interface"].clone())
    };
    assert_eq!(interface_of("10.0.2.55").unwrap(), "eni-000000000000000ff");
    // Eight interfaces have 10.0.7.7: the first of their ids is said.
    assert_eq!(interface_of("10.0.7.7").unwrap(), "eni-00000000000000007");
    // 10.0.9.10 is one of interface 9's two addresses: no interface is said.
    assert_eq!(interface_of("10.0.9.10").unwrap(), serde_json::Value::Null);
    // A port that is not a number makes a record with a problem, not an error.
    assert!(r.totals.problems > 0 && r.totals.records > 19_000);
    assert_eq!(r.totals.interfaces.count, 41);
}

/// The summary the page's summary worker makes from what the decoding worker hands it (each
/// record's fields, written as it is kept, a slice of the input at a time, then what the input
/// tells of its interfaces) is the one made from the store, on every test input.
#[test]
fn a_summary_from_the_decoders_fields_is_the_pass_over_the_store() {
    use flowlens::ingest::pipeline::Stream;
    use flowlens::overview::{FieldsOut, FIELD_BYTES};
    use flowlens::store::Store;
    let ctx = Context { aws: Some(aws()) };
    for (name, bytes) in &every_input() {
        let mut stream = Stream::new(None, (Store::default(), FieldsOut::default()));
        let mut told = Overview::new();
        let mut handed = 0;
        for chunk in bytes.chunks(4093) {
            stream.push(chunk);
            let fields = stream.ingest.sink.1.take();
            assert_eq!(fields.len() % FIELD_BYTES, 0, "{name}");
            handed += told.add_fields(&fields);
        }
        // Records the format decision held back come out at the end.
        let report = stream.finish();
        let (store, mut out) = stream.ingest.sink;
        let d = Decoded::from_parts(report, store);
        let fields = out.take();
        handed += told.add_fields(&fields);
        told.add_told(&d.told());
        assert_eq!(handed as u64, d.counts().records, "{name}");
        let mut stored = Overview::new();
        stored.add_decoded(&d);
        for lang in [Lang::En, Lang::Ja] {
            let a = serde_json::to_value(stored.report(&ctx, lang, 10)).unwrap();
            let b = serde_json::to_value(told.report(&ctx, lang, 10)).unwrap();
            assert_eq!(a, b, "{name} {lang:?}");
        }
    }
    // Bytes that are not fields are not counted.
    let mut o = Overview::new();
    assert_eq!(o.add_fields(&[0xff; FIELD_BYTES * 2]), 0);
}

/// When the decoding side stops in the middle of an input (the page's decoding worker crashed),
/// the summary of the fields it handed over so far is finished without what it would have told
/// at the end: it is marked partial, counts the records handed over, and does not make up the
/// lines and errors only the decoding side counted.
#[test]
fn a_summary_whose_decoder_stopped_is_partial_and_counts_what_was_handed_over() {
    use flowlens::ingest::pipeline::Stream;
    use flowlens::overview::FieldsOut;
    use flowlens::store::Store;
    let ctx = Context { aws: Some(aws()) };
    let text = mixed_input(20_000);
    let half = &text.as_bytes()[..text.len() / 2];
    let mut stream = Stream::new(None, (Store::default(), FieldsOut::default()));
    let mut o = Overview::new();
    let mut handed = 0;
    for chunk in half.chunks(4093) {
        stream.push(chunk);
        handed += o.add_fields(&stream.ingest.sink.1.take());
    }
    // The decoder stops here: no finish, no told.
    o.finish_partial();
    let r = o.report(&ctx, Lang::En, 10);
    assert!(r.totals.partial);
    assert!(handed > 5_000, "{handed}");
    assert_eq!(r.totals.records, handed as u64);
    assert_eq!(
        (r.totals.lines, r.totals.errors, r.totals.problems),
        (0, 0, 0)
    );
    assert!(!r.totals.interfaces.exact);
    assert!(r.totals.addresses.count > 0 && !r.top_pairs.rows.is_empty());
    // The whole input's summary is not partial, and has more records.
    let whole = overview(&text, Lang::En);
    assert!(!whole.totals.partial);
    assert!(whole.totals.records > r.totals.records);
}
