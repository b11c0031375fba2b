//! The seed record and the AWS documentation's examples, decoded and explained with the bundled
//! ip-ranges snapshot, through the same core API the page and the CLI use.

use flowlens::classify::aws::AwsRanges;
use flowlens::explain::Context;
use flowlens::explain::Explain;
use flowlens::store::Decoded;
use flowlens::text::Lang;
use serde_json::Value;
use std::sync::OnceLock;

fn aws() -> &'static AwsRanges {
    static RANGES: OnceLock<AwsRanges> = OnceLock::new();
    RANGES.get_or_init(|| {
        AwsRanges::parse(include_str!("../www/data/ip-ranges.json")).expect("bundled snapshot")
    })
}

/// The entries as the page's JSON, to look into by key.
fn decode(text: &str, lang: Lang) -> Vec<Value> {
    let d = Decoded::decode(text);
    d.entries_json(0, usize::MAX, &Context { aws: Some(aws()) }, lang)
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect()
}

const SEED: &str = include_str!("data/seed.log");

#[test]
fn seed_record_fields_are_typed() {
    let e = &decode(SEED, Lang::En)[0];
    assert_eq!(e["line"], 1);
    let f = &e["fields"];
    assert_eq!(f["version"], 2);
    assert_eq!(f["account-id"], "654654279488");
    assert_eq!(f["interface-id"], "eni-01f35fc1a2377de36");
    assert_eq!(f["srcaddr"], "10.0.4.135");
    assert_eq!(f["dstaddr"], "15.152.63.145");
    assert_eq!(f["srcport"], 35098);
    assert_eq!(f["dstport"], 123);
    assert_eq!(f["protocol"], 17);
    assert_eq!(f["packets"], 1);
    assert_eq!(f["bytes"], 76);
    assert_eq!(f["start"], 1744521785);
    assert_eq!(f["end"], 1744521793);
    assert_eq!(f["action"], "ACCEPT");
    assert_eq!(f["log-status"], "OK");
    let keys: Vec<&String> = f.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 14);
    assert_eq!(keys[0], "version");
    assert_eq!(keys[13], "log-status");
}

#[test]
fn seed_record_annotations() {
    let e = &decode(SEED, Lang::En)[0];
    let a = &e["annotations"];
    assert_eq!(a.as_object().unwrap().len(), 14);
    for (key, ann) in a.as_object().unwrap() {
        assert!(
            !ann["text"].as_str().unwrap().is_empty(),
            "{key} has no text"
        );
        assert!(ann["raw"].is_string(), "{key} has no raw token");
    }
    assert_eq!(a["protocol"]["keyword"], "UDP");
    assert_eq!(a["protocol"]["name"], "User Datagram");
    assert_eq!(a["dstport"]["service"], "ntp");
    assert_eq!(a["dstport"]["common"], "NTP");
    assert_eq!(a["srcport"]["service"], Value::Null);
    assert!(a["srcport"]["text"].as_str().unwrap().contains("ephemeral"));
    assert_eq!(a["srcaddr"]["scope"], "private");
    assert_eq!(a["srcaddr"]["aws"], Value::Null);
    assert_eq!(a["dstaddr"]["scope"], "public");
    let aws = &a["dstaddr"]["aws"];
    assert_eq!(aws["prefix"], "15.152.0.0/16");
    assert_eq!(aws["region"], "ap-northeast-3");
    assert!(aws["region_name"].as_str().unwrap().contains("Osaka"));
    assert_eq!(aws["services"], serde_json::json!(["AMAZON", "EC2"]));
    assert_eq!(aws["network_border_group"], "ap-northeast-3");
    assert_eq!(a["start"]["utc"], "2025-04-13T05:23:05Z");
    assert_eq!(a["end"]["utc"], "2025-04-13T05:23:13Z");
    assert_eq!(a["end"]["duration_s"], 8);
    assert!(a["end"]["text"].as_str().unwrap().contains("8 s"));
    assert!(a["action"]["text"].as_str().unwrap().contains("ccepted"));
    assert!(a["log-status"]["text"]
        .as_str()
        .unwrap()
        .contains("normally"));
}

#[test]
fn seed_summary_in_english_and_japanese() {
    let en = &decode(SEED, Lang::En)[0]["summary"];
    assert_eq!(
        en,
        "10.0.4.135 (private, in your VPC) sent 1 UDP packet (76 bytes) from port 35098 to NTP (123) at 15.152.63.145 (AWS EC2, Osaka); accepted."
    );
    let ja = decode(SEED, Lang::Ja)[0]["summary"]
        .as_str()
        .unwrap()
        .to_string();
    for part in [
        "10.0.4.135",
        "15.152.63.145",
        "大阪",
        "NTP (123)",
        "UDP",
        "76 バイト",
        "許可",
    ] {
        assert!(ja.contains(part), "{part} missing from {ja}");
    }
    let ja_entry = &decode(SEED, Lang::Ja)[0];
    assert!(ja_entry["annotations"]["dstaddr"]["aws"]["region_name"]
        .as_str()
        .unwrap()
        .contains("大阪"));
    assert!(ja_entry["annotations"]["action"]["text"]
        .as_str()
        .unwrap()
        .contains("許可"));
}

#[test]
fn aws_documentation_examples() {
    let entries = decode(include_str!("data/aws-docs-examples.log"), Lang::En);
    assert_eq!(entries.len(), 7);
    assert!(entries.iter().all(|e| e.get("error").is_none()));
    let s: Vec<&str> = entries
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert!(
        s[0].contains("to SSH (22)") && s[0].ends_with("accepted."),
        "{}",
        s[0]
    );
    assert!(
        s[1].contains("to RDP (3389)") && s[1].ends_with("rejected."),
        "{}",
        s[1]
    );
    assert!(
        s[2].starts_with("No traffic on eni-1235b8ca123456789"),
        "{}",
        s[2]
    );
    assert!(s[3].contains("SKIPDATA"), "{}", s[3]);
    // ICMP has no ports: none are mentioned.
    assert!(
        s[4].contains("4 ICMP packets (336 bytes)") && !s[4].contains("port"),
        "{}",
        s[4]
    );
    assert_eq!(
        entries[4]["annotations"]["srcaddr"]["scope"],
        "documentation"
    );
    assert_eq!(
        entries[6]["annotations"]["srcaddr"]["scope"],
        "documentation"
    );
    assert_eq!(entries[2]["fields"]["srcaddr"], Value::Null);
    assert_eq!(entries[2]["fields"]["action"], Value::Null);
}

#[test]
fn bad_lines_are_reported_and_do_not_stop_the_rest() {
    let text = format!(
        "{}\n{}\n{}",
        SEED.trim(),
        SEED.trim().replace(" 123 ", " 70000 "),
        SEED.trim()
    );
    let d = Decoded::decode(text);
    let c = d.counts();
    // A value that does not fit its field is a problem of the field; the line stays a record.
    assert_eq!((c.lines, c.records, c.errors, c.problems), (3, 3, 0, 1));
    let entries = decode(
        &format!("{}\n{}\n{}", SEED.trim(), "2 x", SEED.trim()),
        Lang::En,
    );
    assert_eq!(entries[1]["line"], 2);
    assert_eq!(
        entries[1]["error"],
        "line 2: expected 14 space-separated fields, found 2"
    );
    assert_eq!(entries[1]["raw"], "2 x");
    assert_eq!(entries[2]["line"], 3);
    assert!(entries[2]["summary"].is_string());
}

#[test]
fn bundled_snapshot_is_indexed() {
    let r = aws();
    assert_eq!(r.create_date, "2026-08-22-15-17-05");
    assert!(r.ipv4_count > 5000 && r.ipv6_count() > 3000);
    assert_eq!(r.entries, 10_668 + 6_160);
}
