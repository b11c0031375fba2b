//! Problems belong to fields (issue 15): a line with the right number of fields is a record; a
//! value that does not fit its field is kept as written and carries a problem; every other field
//! is decoded. Table-driven over every field of the field-spec table, and real records of the
//! forms AWS documents (v5, v7 ECS on Fargate, transit gateway).

use flowlens::explain::{Context, Explain};
use flowlens::model::fields::{Kind, FIELDS};
use flowlens::store::Decoded;
use flowlens::text::Lang;
use serde_json::Value;

const SEED: &str = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";
const DEFAULT: [&str; 14] = [
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
];

/// A value of `kind` that fits, and values that do not, each with the problem's code: a redacted
/// value, a placeholder, a number out of range (or a number where text belongs) and a non-number
/// (or garbage), as far as the kind has them.
fn cases(kind: Kind) -> (&'static str, Vec<(&'static str, &'static str)>) {
    let numeric = |good, big| {
        (
            good,
            vec![
                ("XXXX", "redacted"),
                ("<value>", "redacted"),
                (big, "out-of-range"),
                ("n/a", "not-a-number"),
                ("12abc", "not-a-number"),
            ],
        )
    };
    match kind {
        Kind::Version => numeric("5", "256"),
        Kind::Port => numeric("443", "70000"),
        Kind::Protocol | Kind::TcpFlags => numeric("6", "300"),
        Kind::Packets | Kind::Bytes | Kind::Time | Kind::PacketsLost => {
            numeric("10", "18446744073709551616")
        }
        Kind::TrafficPath => numeric("2", "16"),
        Kind::EncryptionStatus => numeric("1", "4"),
        Kind::AccountId => (
            "123456789012",
            vec![
                ("XXXXXXXXXXXX", "redacted"),
                ("<account-id>", "redacted"),
                ("ACCOUNT_ID", "redacted"),
                ("acct-a", "placeholder"),
                ("1111", "shortened"),
                ("12345678901", "shortened"),
                ("12 3", "malformed"),
            ],
        ),
        Kind::InterfaceId => id("eni-01f35fc1a2377de36", "eni-0xxxxxxxxxxxx", "eni-abc"),
        Kind::VpcId => id("vpc-0a1b2c3d", "vpc-xxxxxxxx", "vpc-1"),
        Kind::SubnetId => id("subnet-aaaaaaaa012345678", "subnet-XXXXXXXX", "subnet-abc"),
        Kind::InstanceId => id("i-01234567890123456", "i-xxxxxxxxxxxxxxxxx", "i-web"),
        Kind::TgwId => id("tgw-0f4c0c3e0f8f3b5d0", "tgw-xxxxxxxxxxxxxxxxx", "tgw-1"),
        Kind::TgwAttachmentId => id(
            "tgw-attach-0a1b2c3d4e5f6a7b8",
            "tgw-attach-xxxxxxxx",
            "tgw-attach-a",
        ),
        Kind::Address => (
            "10.0.4.135",
            vec![
                ("10.0.x.x", "redacted"),
                ("172.31.xx.xx", "redacted"),
                ("10.0.*.*", "redacted"),
                ("host-a", "placeholder"),
                ("10.0.4.256", "malformed"),
                ("12345", "malformed"),
            ],
        ),
        Kind::AzId => (
            "apne1-az4",
            vec![
                ("XXXX-az1", "redacted"),
                ("az-src", "placeholder"),
                ("12345", "malformed"),
            ],
        ),
        Kind::Region => (
            "us-east-1",
            vec![
                ("<region>", "redacted"),
                ("my-region", "placeholder"),
                ("12345", "malformed"),
            ],
        ),
        Kind::SublocationId => (
            "op-0123456789abcdef0",
            vec![("<sublocation>", "redacted"), ("my_outpost", "placeholder")],
        ),
        Kind::ResourceId => (
            "nat-0a1b2c3d4e5f67890",
            vec![("<resource-id>", "redacted"), ("nat-gw", "placeholder")],
        ),
        Kind::EcsArn => (
            "arn:aws:ecs:us-east-1:123456789012:cluster/web",
            vec![("XXXXXXXX", "redacted"), ("my-cluster-arn", "placeholder")],
        ),
        Kind::EcsName => (
            "web-cluster",
            vec![("<cluster-name>", "redacted"), ("a.b", "malformed")],
        ),
        Kind::EcsId => (
            "5f0a1b2c3d4e4f5a8b9c0d1e2f3a4b5c",
            vec![
                ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "redacted"),
                ("task-1", "placeholder"),
            ],
        ),
        Kind::Action => (
            "REJECT",
            vec![
                ("XXXX", "redacted"),
                ("<action>", "redacted"),
                ("accept", "malformed"),
                ("12345", "malformed"),
            ],
        ),
        Kind::LogStatus => ("NODATA", vec![("XX", "redacted"), ("ok", "malformed")]),
        Kind::TrafficType => ("IPv6", vec![("XXXX", "redacted"), ("ipv4", "malformed")]),
        Kind::FlowDirection => ("egress", vec![("XXXX", "redacted"), ("in", "malformed")]),
        Kind::SublocationType => (
            "outpost",
            vec![("XXXX", "redacted"), ("Outpost", "malformed")],
        ),
        Kind::AwsService | Kind::RejectReason => {
            ("S3", vec![("<service>", "redacted"), ("s3", "malformed")])
        }
        Kind::InterfaceType => (
            "nat_gateway",
            vec![("XXXX", "redacted"), ("NAT-GW", "malformed")],
        ),
        Kind::ResourceType => (
            "TransitGateway",
            vec![("XXXX", "redacted"), ("transit", "malformed")],
        ),
        // Tags are percent-encoded: any token is a tag.
        Kind::Tag => ("Name%3Dweb", vec![]),
    }
}

fn id(
    good: &'static str,
    redacted: &'static str,
    placeholder: &'static str,
) -> (&'static str, Vec<(&'static str, &'static str)>) {
    (
        good,
        vec![
            (redacted, "redacted"),
            (placeholder, "placeholder"),
            ("12345", "malformed"),
        ],
    )
}

fn entries(text: &str) -> (Decoded, Vec<Value>) {
    let d = Decoded::decode(text);
    let all = d
        .entries_json(0, usize::MAX, &Context::default(), Lang::En)
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    (d, all)
}

/// Every field of the table: its line (the default format's fields, and the field) with a good
/// value decodes without problem; with each bad value, it is still a record with one problem,
/// of that field, with the code expected, the value kept as written, and every other field as
/// in the good line.
#[test]
fn every_field_with_a_bad_value_gives_a_record_with_one_problem() {
    let mut checked = 0;
    for spec in FIELDS {
        let (good, bad) = cases(spec.kind);
        let mut keys: Vec<&str> = DEFAULT.to_vec();
        let mut tokens: Vec<&str> = SEED.split(' ').collect();
        let at = match keys.iter().position(|k| *k == spec.key) {
            Some(i) => i,
            None => {
                keys.push(spec.key);
                tokens.push(good);
                keys.len() - 1
            }
        };
        tokens[at] = good;
        let header = keys.join(" ");
        let (d, clean) = entries(&format!("{header}\n{}", tokens.join(" ")));
        assert_eq!(d.counts().records, 1, "{}: {good}", spec.key);
        assert_eq!(
            clean[0]["problems"],
            serde_json::json!([]),
            "{}: {good}",
            spec.key
        );
        for (token, code) in bad {
            let mut line = tokens.clone();
            line[at] = token;
            // A token with a space is two tokens: a placeholder written so is not a field.
            if token.contains(' ') {
                let (d, _) = entries(&format!("{header}\n{}", line.join(" ")));
                assert_eq!(d.counts().errors, 1, "{}: {token}", spec.key);
                continue;
            }
            let (d, got) = entries(&format!("{header}\n{}", line.join(" ")));
            let c = d.counts();
            assert_eq!(
                (c.records, c.errors, c.problems),
                (1, 0, 1),
                "{}: {token}",
                spec.key
            );
            let problems = got[0]["problems"].as_array().unwrap();
            assert_eq!(problems.len(), 1, "{}: {token}: {problems:?}", spec.key);
            assert_eq!(problems[0]["field"], spec.key);
            assert_eq!(problems[0]["code"], code, "{}: {token}", spec.key);
            let message = problems[0]["message"].as_str().unwrap();
            assert!(
                message.starts_with(&format!("{} `{token}`: ", spec.key)),
                "{message}"
            );
            assert_eq!(got[0]["fields"][spec.key], token, "kept as written");
            assert_eq!(got[0]["annotations"][spec.key]["text"], message);
            for key in &keys {
                if *key != spec.key {
                    assert_eq!(
                        got[0]["fields"][key], clean[0]["fields"][key],
                        "{}: {token}: {key}",
                        spec.key
                    );
                }
            }
            // In Japanese too.
            let ja = d
                .entry_json(0, &Context::default(), Lang::Ja)
                .and_then(|e| e.record().map(|r| r.problems[0].message.clone()))
                .unwrap();
            assert!(ja.starts_with(&format!("{} `{token}`: ", spec.key)), "{ja}");
            assert_ne!(ja, message);
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked} cases");
}

/// A partly masked private address still says what can be known of it.
#[test]
fn a_masked_address_says_what_is_left() {
    let (_, e) = entries(&SEED.replace("10.0.4.135", "10.0.x.x"));
    let m = e[0]["problems"][0]["message"].as_str().unwrap();
    assert!(
        m.ends_with("What is left, 10.0.0.0/16, is private (RFC 1918)"),
        "{m}"
    );
    assert_eq!(e[0]["problems"][0]["severity"], "note");
    // The sentence still tells the ports and the action.
    let summary = e[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains("NTP") && summary.contains("accepted"),
        "{summary}"
    );
}

/// The line as given: double spaces, tabs and trailing spaces kept in `raw`; tokens still split
/// on runs of spaces and tabs.
#[test]
fn raw_is_the_line_as_given() {
    let messy = format!("{}  \t ", SEED.replace(" 123 ", "  123\t"));
    let (_, e) = entries(&format!(
        "{SEED}\n{messy}\n{}",
        SEED.replace(" 35098 ", " 035098 ")
    ));
    assert_eq!(e[0]["raw"], SEED);
    assert_eq!(e[1]["raw"], messy.as_str());
    assert_eq!(e[1]["fields"]["dstport"], 123);
    assert_eq!(e[2]["raw"], SEED.replace(" 35098 ", " 035098 "));
    assert_eq!(e[2]["annotations"]["srcport"]["raw"], "035098");
}

/// Records as AWS's documentation and AWS write them decode without a problem: version 5 (the
/// documentation's example), version 7 on AWS Fargate (container IDs `<task ID>-<digits>`, the
/// container instance fields `-`), a transit gateway record, zone IDs of several forms.
#[test]
fn real_records_of_every_form_decode_without_problems() {
    let inputs = [
        // Version 5 fields in AWS's order (the user guide's example).
        "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path\n\
         5 vpc-0d7fb8ff46d5d4c4c subnet-0ec8b3ea3e57fa3d0 i-0c50d5961bcb2d47b eni-0f0c55d4ac8123456 123456789012 IPv4 10.0.1.152 52.216.174.193 42530 443 10.0.1.152 52.216.174.193 6 8455 31 1656016800 1656016860 ACCEPT 19 OK us-east-1 use1-az6 - - - S3 egress 8",
        // Version 7 on Fargate.
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id\n\
         7 123456789012 eni-0a1b2c3d4e5f60718 10.0.2.45 10.0.1.20 41052 5432 6 12 1840 1718000000 1718000060 ACCEPT OK arn:aws:ecs:ap-northeast-1:123456789012:cluster/web web - - 2c4e0f1a3b5d47e9a1c3e5f7092b4d6f-3596350315 2c4e0f1a3b5d47e9a1c3e5f7092b4d6f-1201587438 web-api arn:aws:ecs:ap-northeast-1:123456789012:task-definition/web-api:12 arn:aws:ecs:ap-northeast-1:123456789012:task/web/2c4e0f1a3b5d47e9a1c3e5f7092b4d6f 2c4e0f1a3b5d47e9a1c3e5f7092b4d6f",
        // Version 7 on EC2: a container instance, Docker IDs of 64 digits.
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-container-instance-arn ecs-container-instance-id ecs-container-id ecs-task-id reject-reason\n\
         8 123456789012 eni-0a1b2c3d4e5f60718 10.0.2.45 10.0.1.20 41052 5432 6 12 1840 1718000000 1718000060 REJECT OK arn:aws:ecs:us-west-2:123456789012:container-instance/web/0f1e2d3c4b5a69788796a5b4c3d2e1f0 0f1e2d3c4b5a69788796a5b4c3d2e1f0 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 2c4e0f1a3b5d47e9a1c3e5f7092b4d6f BPA",
        // A transit gateway record (AWS's default transit gateway format).
        "6 TransitGateway 123456789010 tgw-0f4c0c3e0f8f3b5d0 tgw-attach-0a1b2c3d4e5f6a7b8 123456789010 123456789010 vpc-0d7fb8ff46d5d4c4c vpc-0ec8b3ea3e57fa3d0 subnet-0ec8b3ea3e57fa3d0 subnet-0d7fb8ff46d5d4c4c eni-0f0c55d4ac8123456 eni-0e0c55d4ac8123456 use2-az1 use2-az3 tgw-attach-0b1b2c3d4e5f6a7b8 10.0.1.152 10.2.0.10 43416 5001 6 8 568 1566848875 1566848933 OK IPv4 0 0 0 0 3 us-east-2 egress - -",
        // Missing values everywhere they can appear; zone IDs of Local Zones and Wavelength.
        "version az-id sublocation-type sublocation-id traffic-path pkt-srcaddr instance-id reject-reason resource-id interface-id\n\
         5 usw2-lax1-az1 localzone usw2-lax1-az1 - - - - - -\n\
         5 usw2-wl1-sfo-wlz1 wavelength usw2-wl1-sfo-wlz1 1 10.0.0.5 i-0c50d5961bcb2d47b - nat-0a1b2c3d4e5f67890 -",
        // Eight-digit IDs of older resources.
        "2 123456789010 eni-1235b8ca 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
    ];
    for input in inputs {
        let (d, e) = entries(input);
        let c = d.counts();
        assert_eq!((c.errors, c.problems), (0, 0), "{input}: {e:?}");
        assert!(c.records >= 1);
        for entry in &e {
            assert_eq!(entry["problems"], serde_json::json!([]), "{input}");
        }
    }
}
