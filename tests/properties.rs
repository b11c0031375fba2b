//! Properties over generated inputs: records written back as text decode to the same values, the
//! way an input is cut into chunks changes nothing, and no byte string makes decoding panic or lose
//! count of a line.

use flowlens::explain::record_text;
use flowlens::explain::Context;
use flowlens::explain::Explain;
use flowlens::ingest::pipeline::Stream;
use flowlens::model::fields::{FieldId, Kind, FIELDS};
use flowlens::model::format::{Column, Format, FormatOrigin};
use flowlens::model::value::Value;
use flowlens::store::{Decoded, Entry, Store};
use flowlens::text::Lang;
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::io::Write;
use std::net::IpAddr;

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn hex(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![b'0'..=b'9', b'a'..=b'f'].prop_map(char::from),
        n,
    )
    .prop_map(|c| c.into_iter().collect())
}

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(options).prop_map(str::to_string)
}

/// A valid token of `kind`, as AWS writes it.
fn written(kind: Kind) -> BoxedStrategy<String> {
    match kind {
        Kind::AccountId => prop_oneof![
            Just("unknown".to_string()),
            proptest::collection::vec(b'0'..=b'9', 12).prop_map(|d| String::from_utf8(d).unwrap())
        ]
        .boxed(),
        Kind::InterfaceId => hex(17).prop_map(|h| format!("eni-{h}")).boxed(),
        Kind::VpcId => hex(17).prop_map(|h| format!("vpc-{h}")).boxed(),
        Kind::SubnetId => hex(17).prop_map(|h| format!("subnet-{h}")).boxed(),
        Kind::InstanceId => hex(17).prop_map(|h| format!("i-{h}")).boxed(),
        Kind::TgwId => hex(17).prop_map(|h| format!("tgw-{h}")).boxed(),
        Kind::TgwAttachmentId => hex(17).prop_map(|h| format!("tgw-attach-{h}")).boxed(),
        Kind::Action => pick(&["ACCEPT", "REJECT"]).boxed(),
        Kind::LogStatus => pick(&["OK", "NODATA", "SKIPDATA"]).boxed(),
        Kind::TrafficType => pick(&["IPv4", "IPv6", "EFA"]).boxed(),
        Kind::FlowDirection => pick(&["ingress", "egress"]).boxed(),
        Kind::SublocationType => pick(&["wavelength", "outpost", "localzone"]).boxed(),
        Kind::Region => pick(&[
            "us-east-1",
            "ap-northeast-3",
            "eusc-de-east-1",
            "us-gov-west-1",
        ])
        .boxed(),
        Kind::AzId => pick(&[
            "use1-az1",
            "apne3-az2",
            "usw2-lax1-az1",
            "usw2-wl1-sfo-wlz1",
        ])
        .boxed(),
        Kind::SublocationId => pick(&["op-0123456789abcdef0", "usw2-lax1-az1"]).boxed(),
        Kind::ResourceId => hex(17).prop_map(|h| format!("nat-0{h}")).boxed(),
        Kind::AwsService | Kind::RejectReason => {
            pick(&["S3", "EC2", "AMAZON", "ROUTE53_HEALTHCHECKS", "BPA", "EC"]).boxed()
        }
        Kind::EcsArn => hex(8)
            .prop_map(|h| format!("arn:aws:ecs:us-east-1:123456789012:task/c/{h}"))
            .boxed(),
        Kind::EcsName => pick(&["my-cluster_1", "web", "svc-a"]).boxed(),
        Kind::EcsId => hex(32).boxed(),
        Kind::Tag => proptest::collection::vec(
            prop_oneof![
                b'a'..=b'z',
                b'A'..=b'Z',
                b'0'..=b'9',
                Just(b'%'),
                Just(b'=')
            ],
            1..20,
        )
        .prop_map(|b| String::from_utf8(b).unwrap())
        .prop_filter("not absent", |t| t != "-")
        .boxed(),
        Kind::InterfaceType => pick(&["nat_gateway", "interface", "vpc_endpoint"]).boxed(),
        Kind::ResourceType => pick(&["TransitGateway", "Vpc"]).boxed(),
        _ => unreachable!("{kind:?} is not text"),
    }
}

/// A valid value of `field` (sometimes absent).
fn value_of(field: FieldId) -> BoxedStrategy<Value> {
    let kind = field.spec().kind;
    let uint = |max: u64| (0..=max).prop_map(Value::UInt).boxed();
    let present = match kind {
        Kind::Version | Kind::Protocol | Kind::TcpFlags => uint(255),
        Kind::Port => uint(65535),
        Kind::Packets | Kind::Bytes | Kind::Time | Kind::PacketsLost => {
            any::<u64>().prop_map(Value::UInt).boxed()
        }
        Kind::TrafficPath => (1..=15u64).prop_map(Value::UInt).boxed(),
        Kind::EncryptionStatus => uint(3),
        Kind::Address => any::<IpAddr>().prop_map(Value::Addr).boxed(),
        _ => written(kind).prop_map(|t| Value::Text(t.into())).boxed(),
    };
    prop_oneof![1 => Just(Value::Absent), 9 => present].boxed()
}

/// A format of distinct fields in any order, and records of valid values for it.
fn format_and_records() -> impl Strategy<Value = (Format, Vec<Vec<Value>>)> {
    let n = FIELDS.len() as u16;
    proptest::sample::subsequence((0..n).collect::<Vec<u16>>(), 1..=24)
        .prop_shuffle()
        .prop_flat_map(|ids| {
            let ids: Vec<FieldId> = ids.into_iter().map(FieldId).collect();
            let record: Vec<BoxedStrategy<Value>> = ids.iter().map(|f| value_of(*f)).collect();
            let format = Format {
                columns: ids.iter().map(|f| Column::Known(*f)).collect(),
                origin: FormatOrigin::FormatString,
            };
            (Just(format), proptest::collection::vec(record, 1..6))
        })
}

/// A record written back as text (as the explanations write it).
fn as_line(values: &[Value]) -> String {
    let refs: Vec<_> = values.iter().map(Value::as_value_ref).collect();
    record_text(&refs)
}

fn kept_values(d: &Decoded) -> Vec<Vec<Value>> {
    (0..d.len())
        .filter_map(|i| match d.store().entry(i) {
            Some(Entry::Record { values, .. }) => {
                Some(values.into_iter().map(|v| v.to_value()).collect())
            }
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(config(256))]

    /// A record written back with `record_text` decodes to the same values with its format.
    #[test]
    fn records_round_trip((format, records) in format_and_records()) {
        let text: Vec<String> = records.iter().map(|r| as_line(r)).collect();
        let input = text.join("\n");
        let d = Decoded::decode_with(input.as_bytes(), Some(format.clone()));
        let c = d.counts();
        prop_assert_eq!(c.errors, 0, "{:?}", d.entries_json(0, 3, &Context::default(), Lang::En));
        prop_assert_eq!(c.records, records.len() as u64);
        prop_assert_eq!(kept_values(&d), records);
        // the format survives being written as a format string
        let again = Format::parse_format_string(&format.format_string()).unwrap();
        prop_assert_eq!(again.columns, format.columns);
    }
}

/// Lines of a file: records, bad lines, blank lines.
fn file_lines() -> impl Strategy<Value = Vec<String>> {
    const SEED: &str = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";
    let line = prop_oneof![
        6 => (0..65536u32, 0..100_000u64).prop_map(|(port, bytes)| SEED
            .replace(" 123 ", &format!(" {port} "))
            .replace(" 76 ", &format!(" {bytes} "))),
        1 => Just(SEED.replace(" 123 ", " 70000 ")),
        1 => Just(String::new()),
        1 => Just("garbage here".to_string()),
        1 => Just("version srcaddr dstaddr action".to_string()),
        1 => Just("2 10.0.0.1 10.0.0.2 REJECT".to_string()),
    ];
    proptest::collection::vec(line, 0..24)
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    Plain,
    Gzip,
    Csv,
    JsonLines,
}

fn build(shape: Shape, lines: &[String]) -> Vec<u8> {
    match shape {
        Shape::Plain => lines.join("\n").into_bytes(),
        Shape::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(lines.join("\r\n").as_bytes()).unwrap();
            e.finish().unwrap()
        }
        Shape::Csv => {
            let mut s = String::from("timestamp,message\n");
            for (i, l) in lines.iter().enumerate() {
                s.push_str(&format!("{},\"{}\"\n", 1744521785000u64 + i as u64, l));
            }
            s.into_bytes()
        }
        Shape::JsonLines => {
            let mut s = String::new();
            for l in lines {
                s.push_str(&serde_json::json!({ "timestamp": 1, "message": l }).to_string());
                s.push('\n');
            }
            s.into_bytes()
        }
    }
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Plain),
        Just(Shape::Gzip),
        Just(Shape::Csv),
        Just(Shape::JsonLines)
    ]
}

proptest! {
    #![proptest_config(config(128))]

    /// Decoding in chunks, cut anywhere, gives the same entries and counts as decoding whole.
    #[test]
    fn chunking_changes_nothing(
        lines in file_lines(),
        shape in shape(),
        cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..8),
    ) {
        let input = build(shape, &lines);
        let whole = Decoded::decode(&input);
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(input.len() + 1)).collect();
        at.sort_unstable();
        let mut s = Stream::new(None, Store::default());
        let mut from = 0;
        for cut in at.into_iter().chain([input.len()]) {
            s.push(&input[from..cut]);
            from = cut;
        }
        let chunked = Decoded::from_stream(s);
        prop_assert_eq!(whole.counts(), chunked.counts());
        let ctx = Context::default();
        prop_assert_eq!(
            whole.entries_json(0, usize::MAX, &ctx, Lang::En),
            chunked.entries_json(0, usize::MAX, &ctx, Lang::En)
        );
        prop_assert_eq!(whole.report().input_error.is_some(), chunked.report().input_error.is_some());
    }
}

/// Bytes that may start like a known shape.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let start = proptest::sample::select(vec![
        &b""[..],
        b"\x1f\x8b\x08\x00",
        b"{",
        b"[",
        b"\xef\xbb\xbf",
        b"H4sI",
        b"timestamp,message\n",
        b"version srcaddr\n",
    ]);
    (start, proptest::collection::vec(any::<u8>(), 0..2048))
        .prop_map(|(s, rest)| [s, &rest[..]].concat())
}

proptest! {
    #![proptest_config(config(512))]

    /// No input makes decoding panic, and every line is counted once.
    #[test]
    fn arbitrary_bytes_never_panic(input in hostile_bytes()) {
        let d = Decoded::decode(&input);
        let c = d.counts();
        prop_assert_eq!(c.records + c.headers + c.blank + c.ignored + c.errors, c.lines);
        prop_assert_eq!(d.len() as u64, c.records + c.errors);
        d.entries_json(0, 8, &Context::default(), Lang::Ja);
    }
}

proptest! {
    #![proptest_config(config(4096))]

    /// Addresses are read exactly as the standard library reads them (flowlens parses the common
    /// IPv4 and IPv6 forms itself, and hands the rest to the standard library).
    #[test]
    fn addresses_read_as_the_standard_library_reads_them(
        text in prop_oneof![
            "[0-9a-fA-F:]{0,41}",
            "([0-9a-f]{1,5}:){0,8}[0-9a-f]{0,5}",
            "([0-9a-f]{0,4}::?){1,8}[0-9a-f]{0,4}",
            "[0-9.]{0,16}",
            "([0-9]{1,4}\\.){3}[0-9]{1,4}",
            any::<std::net::Ipv6Addr>().prop_map(|a| a.to_string()),
            any::<std::net::Ipv4Addr>().prop_map(|a| a.to_string()),
        ]
    ) {
        let ours = flowlens::model::value::parse_value_ref(Kind::Address, &text).map(|v| v.to_value());
        let std = text.parse::<IpAddr>().ok().map(Value::Addr);
        if text == "-" {
            prop_assert_eq!(ours, Some(Value::Absent));
        } else {
            prop_assert_eq!(ours, std, "{:?}", text);
        }
    }
}

/// A token for a column of `field`: a valid one, one of the shapes at the edges of the one-pass
/// reader (digit counts, octets, ID prefixes, `-`), or a random one.
fn token_for(field: FieldId) -> BoxedStrategy<String> {
    const EDGES: &[&str] = &[
        "-",
        "0",
        "00",
        "007",
        "255",
        "256",
        "65535",
        "65536",
        "4294967296",
        "1234567890123456789",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999",
        "123456789012",
        "12345678901",
        "1234567890123",
        "12345678901a",
        "unknown",
        "1.2.3.4",
        "01.2.3.4",
        "1.2.3.256",
        "1.2.3",
        "1.2.3.4.5",
        "1.2.3.4a",
        "255.255.255.255",
        "::1",
        "::ffff:1.2.3.4",
        "eni-",
        "eni-0ab",
        "eni-0AB",
        "eni-0a-b",
        "vpc-12",
        "subnet-9",
        "i-",
        "i-0x_y",
        "1a",
        "a1",
        "ACCEPT",
        "OK",
    ];
    prop_oneof![
        4 => value_of(field).prop_map(|v| as_line(&[v])),
        4 => proptest::sample::select(EDGES).prop_map(str::to_string),
        1 => "[0-9a-z.:-]{1,22}",
    ]
    .boxed()
}

/// A format of distinct fields, and a line of tokens for it (sometimes a token too many or too few).
fn format_and_line() -> impl Strategy<Value = (Format, String)> {
    let n = FIELDS.len() as u16;
    proptest::sample::subsequence((0..n).collect::<Vec<u16>>(), 1..=16)
        .prop_shuffle()
        .prop_flat_map(|ids| {
            let ids: Vec<FieldId> = ids.into_iter().map(FieldId).collect();
            let tokens: Vec<BoxedStrategy<String>> = ids.iter().map(|f| token_for(*f)).collect();
            let format = Format {
                columns: ids.iter().map(|f| Column::Known(*f)).collect(),
                origin: FormatOrigin::FormatString,
            };
            let sep = proptest::sample::select(&[" ", "  ", "\t", " \t "][..]);
            (Just(format), tokens, sep, 0..8u8)
        })
        .prop_map(|(format, mut tokens, sep, cut)| {
            match cut {
                0 => tokens.push("1".to_string()),
                1 if tokens.len() > 1 => drop(tokens.pop()),
                _ => {}
            }
            (format, tokens.join(sep))
        })
}

proptest! {
    #![proptest_config(config(4096))]

    /// The one-pass reader of the current format (which reads numbers, IPv4 addresses, account
    /// and resource IDs while scanning) gives what the general path gives: the same values for a
    /// record, an error for a line the general path refuses.
    #[test]
    fn one_pass_reads_as_the_general_path((format, line) in format_and_line()) {
        let general = flowlens::ingest::decode::decode_values(&format, &line);
        let n = flowlens::model::tokens::tokens(&line).count();
        let mut decoder = flowlens::ingest::decode::Decoder::with_format(format.clone());
        match decoder.line(1, &line) {
            // AWS's two default formats may be mixed in one input: a line of the length of
            // either, not of the current format's, is read with that default format.
            flowlens::ingest::decode::Line::Record(r) if n != format.len() => {
                let default = Format::default_format();
                let tgw = Format::transit_gateway_default().expect("the transit gateway default");
                let alternate = if n == default.len() { default } else { tgw };
                prop_assert_eq!(n, alternate.len(), "{:?}", line);
                prop_assert_eq!(decoder.formats()[r.format].columns.clone(), alternate.columns.clone());
                let values = flowlens::ingest::decode::decode_values(&alternate, &line);
                prop_assert_eq!(Ok(r.values), values, "{:?}", line);
            }
            flowlens::ingest::decode::Line::Record(r) => {
                prop_assert_eq!(Ok(r.values), general, "{:?}", line);
            }
            flowlens::ingest::decode::Line::Error(_) => {
                prop_assert!(n != format.len() || general.is_err(), "{:?}", line)
            }
            // A line of field names (a token that is a value and a field name cannot occur here).
            other => prop_assert!(false, "{:?}: {:?}", line, other),
        }
    }
}

/// The case the property above once found: a line of 14 tokens under a format of 13 columns is a
/// record of AWS's default format (14 fields), its one bad value (`1` as log-status) a problem.
#[test]
fn a_line_of_the_default_formats_length_is_read_with_it() {
    let format = Format {
        columns: [47u16, 35, 1, 32, 50, 7, 59, 44, 61, 65, 34, 21, 37]
            .into_iter()
            .map(|f| Column::Known(FieldId(f)))
            .collect(),
        origin: FormatOrigin::FormatString,
    };
    let line = "- - - - - - - - - - - - - 1";
    let mut decoder = flowlens::ingest::decode::Decoder::with_format(format);
    match decoder.line(1, line) {
        flowlens::ingest::decode::Line::Record(r) => {
            assert_eq!(
                decoder.formats()[r.format].columns,
                Format::default_format().columns
            );
            assert_eq!(r.values.len(), 14);
        }
        other => panic!("{other:?}"),
    }
}
