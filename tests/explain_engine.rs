//! The explanation engine over whole inputs, with the bundled ip-ranges snapshot: the
//! interface's own address, client and server, request and reply, hints, AWS ownership
//! (supernets, border groups, GLOBAL) and other clouds.

use flowlens::classify::aws::AwsRanges;
use flowlens::explain::Context;
use flowlens::explain::Explain;
use flowlens::store::Decoded;
use flowlens::text::Lang;
use serde_json::{json, Value};
use std::sync::OnceLock;

fn aws() -> &'static AwsRanges {
    static RANGES: OnceLock<AwsRanges> = OnceLock::new();
    RANGES.get_or_init(|| {
        AwsRanges::parse(include_str!("../www/data/ip-ranges.json")).expect("bundled snapshot")
    })
}

/// The entries as the page's JSON, to look into by key.
fn decode(text: &str, lang: Lang) -> Vec<Value> {
    Decoded::decode(text)
        .entries_json(0, usize::MAX, &Context { aws: Some(aws()) }, lang)
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect()
}

fn summaries(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect()
}

fn hint_keys(e: &Value) -> Vec<&str> {
    e["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["key"].as_str().unwrap())
        .collect()
}

const SEED: &str = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";
const SEED_REPLY: &str = "2 654654279488 eni-01f35fc1a2377de36 15.152.63.145 10.0.4.135 123 35098 17 1 76 1744521785 1744521793 ACCEPT OK";
const SEED_SENTENCE: &str = "10.0.4.135 (private, in your VPC) sent 1 UDP packet (76 bytes) from port 35098 to NTP (123) at 15.152.63.145 (AWS EC2, Osaka); accepted.";

#[test]
fn the_single_seed_record_is_unchanged() {
    let e = &decode(SEED, Lang::En)[0];
    assert_eq!(e["summary"], SEED_SENTENCE);
    assert_eq!(
        e["roles"],
        json!({"client": "srcaddr", "server": "dstaddr", "direction": "request"})
    );
    // One record: both addresses are in every record, so the interface's address is unknown.
    assert_eq!(e["interface_address"], Value::Null);
    assert_eq!(e["direction"], Value::Null);
    assert_eq!(e["hints"], json!([]));
    let a = &e["annotations"];
    assert_eq!(a["srcport"]["role"], "client");
    assert_eq!(a["dstport"]["role"], "server");
    assert_eq!(a["srcaddr"]["role"], "client");
    assert_eq!(a["dstaddr"]["role"], "server");
    assert_eq!(a["srcaddr"]["interface"], Value::Null);
    assert_eq!(a["dstaddr"]["cloud"], Value::Null);
}

#[test]
fn request_and_reply_of_one_interface() {
    // Two records of one interface with one address in common: 10.0.4.135 is the interface's.
    let third = SEED.replace("15.152.63.145", "169.254.169.123");
    let text = format!("{SEED}\n{SEED_REPLY}\n{third}");
    let en = decode(&text, Lang::En);
    let s = summaries(&en);
    assert_eq!(
        s[0],
        "Your instance 10.0.4.135 (eni-01f35fc1a2377de36) sent 1 UDP packet (76 bytes) from port 35098 to NTP (123) at 15.152.63.145 (AWS EC2, Osaka); accepted."
    );
    assert_eq!(
        s[1],
        "15.152.63.145 (AWS EC2, Osaka) replied with 1 UDP packet (76 bytes) from NTP (123) to port 35098 at your instance 10.0.4.135 (eni-01f35fc1a2377de36); accepted."
    );
    assert!(
        s[2].contains("at 169.254.169.123 (Amazon Time Sync"),
        "{}",
        s[2]
    );
    assert_eq!(en[0]["interface_address"], "10.0.4.135");
    assert_eq!(en[0]["direction"], "outbound");
    assert_eq!(en[1]["direction"], "inbound");
    assert_eq!(
        en[1]["roles"],
        json!({"client": "dstaddr", "server": "srcaddr", "direction": "reply"})
    );
    assert_eq!(en[1]["annotations"]["srcport"]["role"], "server");
    assert_eq!(
        en[1]["annotations"]["dstaddr"]["interface"],
        "eni-01f35fc1a2377de36"
    );
    assert!(en[1]["annotations"]["dstaddr"]["text"]
        .as_str()
        .unwrap()
        .contains("your instance"));
    let ja = decode(&text, Lang::Ja);
    let s = summaries(&ja);
    assert!(
        s[0].starts_with("自インスタンス 10.0.4.135（eni-01f35fc1a2377de36）から "),
        "{}",
        s[0]
    );
    assert!(
        s[1].starts_with("15.152.63.145（AWS EC2、大阪）の NTP (123) から自インスタンス 10.0.4.135（eni-01f35fc1a2377de36）のポート 35098 へ、"),
        "{}",
        s[1]
    );
    assert!(s[1].contains("応答として送信され"), "{}", s[1]);
}

#[test]
fn no_common_address_means_no_interface_address() {
    let text = include_str!("data/aws-docs-examples.log");
    let en = decode(text, Lang::En);
    assert!(en.iter().all(|e| e["interface_address"].is_null()));
    // Two records between the same two addresses: either could be the interface's.
    let en = decode(&format!("{SEED}\n{SEED_REPLY}"), Lang::En);
    assert!(en.iter().all(|e| e["interface_address"].is_null()));
    assert!(en[0]["summary"]
        .as_str()
        .unwrap()
        .starts_with("10.0.4.135 (private"));
}

#[test]
fn rejected_reply_of_an_accepted_request_points_at_a_network_acl() {
    // The AWS documentation's ping example: the request is accepted, the reply rejected.
    let en = decode(include_str!("data/aws-docs-examples.log"), Lang::En);
    assert_eq!(hint_keys(&en[5]), ["network-acl"]);
    let text = en[5]["hints"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("line 5") && text.contains("network ACL"),
        "{text}"
    );
    // The RDP reject has no accepted reverse: the generic hint.
    assert_eq!(hint_keys(&en[1]), ["reject"]);
    assert_eq!(hint_keys(&en[2]), ["nodata"]);
    assert_eq!(hint_keys(&en[3]), ["skipdata"]);
    assert_eq!(hint_keys(&en[0]), Vec::<&str>::new());
    // TCP: the server's reply rejected after the client's request was accepted.
    let text = "2 123456789012 eni-0a 10.0.1.5 10.0.2.9 40000 5432 6 3 180 1744521785 1744521793 ACCEPT OK\n\
                2 123456789012 eni-0a 10.0.2.9 10.0.1.5 5432 40000 6 3 180 1744521785 1744521793 REJECT OK";
    let ja = decode(text, Lang::Ja);
    assert_eq!(hint_keys(&ja[1]), ["network-acl"]);
    assert!(ja[1]["hints"][0]["text"]
        .as_str()
        .unwrap()
        .contains("ネットワーク ACL"));
    assert_eq!(ja[1]["roles"]["direction"], "reply");
}

#[test]
fn the_accepted_reverse_is_found_after_the_reject_too_and_the_first_one_is_named() {
    // The REJECT comes first; its reverse is accepted on lines 3 and 4 (line 2 is another flow,
    // and a reject of the same flow on line 5 is no accepted reverse).
    let text = "2 123456789012 eni-0a 10.0.2.9 10.0.1.5 5432 40000 6 3 180 1744521785 1744521793 REJECT OK\n\
                2 123456789012 eni-0a 10.0.1.5 10.0.2.9 40001 5432 6 3 180 1744521785 1744521793 ACCEPT OK\n\
                2 123456789012 eni-0a 10.0.1.5 10.0.2.9 40000 5432 6 3 180 1744521785 1744521793 ACCEPT OK\n\
                2 123456789012 eni-0a 10.0.1.5 10.0.2.9 40000 5432 6 3 180 1744521786 1744521794 ACCEPT OK\n\
                2 123456789012 eni-0a 10.0.1.5 10.0.2.9 40000 5432 6 3 180 1744521786 1744521794 REJECT OK";
    let en = decode(text, Lang::En);
    assert_eq!(hint_keys(&en[0]), ["network-acl"]);
    let hint = en[0]["hints"][0]["text"].as_str().unwrap();
    assert!(hint.contains("(line 3)"), "{hint}");
    assert_ne!(hint_keys(&en[4]), ["network-acl"]);
}

#[test]
fn inbound_reject_from_the_internet_to_ssh_looks_like_a_scan() {
    let text = "2 123456789012 eni-0b 198.51.100.7 10.0.4.135 51515 22 6 1 60 1744521785 1744521793 REJECT OK\n\
                2 123456789012 eni-0b 45.33.32.156 10.0.4.135 40404 3389 6 1 60 1744521785 1744521793 REJECT OK\n\
                2 123456789012 eni-0b 10.0.4.135 8.8.8.8 40000 53 17 1 60 1744521785 1744521793 ACCEPT OK\n\
                2 123456789012 eni-0b 34.80.1.2 10.0.4.135 40405 443 6 1 60 1744521785 1744521793 REJECT OK";
    let en = decode(text, Lang::En);
    // 198.51.100.7 is a documentation address, not the internet.
    assert_eq!(hint_keys(&en[0]), ["reject"]);
    assert_eq!(hint_keys(&en[1]), ["scan"]);
    let hint = en[1]["hints"][0]["text"].as_str().unwrap();
    assert!(
        hint.contains("RDP (3389)") && hint.contains("scan"),
        "{hint}"
    );
    assert_eq!(en[1]["direction"], "inbound");
    assert!(
        en[1]["summary"]
            .as_str()
            .unwrap()
            .contains("at your instance 10.0.4.135 (eni-0b)"),
        "{}",
        en[1]["summary"]
    );
    // 443 is not an administration port.
    assert_eq!(hint_keys(&en[3]), ["reject"]);
    let ja = decode(text, Lang::Ja);
    assert!(ja[1]["hints"][0]["text"]
        .as_str()
        .unwrap()
        .contains("スキャン"));
}

#[test]
fn other_clouds_and_the_rest_of_the_internet() {
    let text = "srcaddr dstaddr srcport dstport protocol action\n\
                10.0.4.135 34.80.1.2 40000 443 6 ACCEPT\n\
                10.0.4.135 129.80.1.1 40000 443 6 ACCEPT\n\
                10.0.4.135 104.16.1.1 40000 443 6 ACCEPT\n\
                10.0.4.135 8.8.8.8 40000 53 17 ACCEPT";
    let en = decode(text, Lang::En);
    let d = |i: usize| &en[i]["annotations"]["dstaddr"];
    assert_eq!(
        d(0)["cloud"],
        json!({"provider": "Google Cloud", "prefix": "34.80.0.0/15", "region": "asia-east1", "service": null})
    );
    assert_eq!(d(0)["value"], "Google Cloud, asia-east1");
    assert!(en[0]["summary"]
        .as_str()
        .unwrap()
        .contains("at 34.80.1.2 (Google Cloud, asia-east1)"));
    assert_eq!(d(1)["cloud"]["provider"], "Oracle Cloud");
    assert_eq!(d(1)["cloud"]["service"], "OCI");
    assert_eq!(d(1)["value"], "Oracle Cloud, us-ashburn-1");
    assert_eq!(d(2)["value"], "Cloudflare");
    assert!(d(2)["text"].as_str().unwrap().contains("Cloudflare"));
    // Google Public DNS is not in Google Cloud's customer ranges, nor AWS's.
    assert_eq!(d(3)["cloud"], Value::Null);
    assert_eq!(d(3)["aws"], Value::Null);
    assert_eq!(d(3)["value"], "public internet");
    let ja = decode(text, Lang::Ja);
    assert!(ja[0]["annotations"]["dstaddr"]["text"]
        .as_str()
        .unwrap()
        .contains("Google Cloud が公開しているアドレス範囲"));
}

fn dst(addr: &str) -> Value {
    let text = format!(
        "srcaddr dstaddr srcport dstport protocol action\n10.0.0.1 {addr} 40000 443 6 ACCEPT"
    );
    decode(&text, Lang::En)[0]["annotations"]["dstaddr"].clone()
}

#[test]
fn aws_ownership_pins() {
    // The seed's destination: 15.152.0.0/16, AMAZON + EC2, Osaka, no supernet.
    let a = dst("15.152.63.145");
    assert_eq!(a["aws"]["prefix"], "15.152.0.0/16");
    assert_eq!(a["aws"]["services"], json!(["AMAZON", "EC2"]));
    assert_eq!(a["aws"]["region"], "ap-northeast-3");
    assert_eq!(a["aws"]["supernets"], json!([]));
    assert_eq!(a["aws"]["zone"], Value::Null);
    assert!(a["text"].as_str().unwrap().contains("EC2 (Amazon EC2)"));
    // Nested: an S3 /28 inside the /16 lists the /16 as its supernet.
    let a = dst("15.152.133.113");
    assert_eq!(a["aws"]["prefix"], "15.152.133.112/28");
    assert_eq!(a["aws"]["services"], json!(["S3"]));
    assert_eq!(
        a["aws"]["supernets"],
        json!([{"prefix": "15.152.0.0/16", "services": ["AMAZON", "EC2"], "region": "ap-northeast-3"}])
    );
    assert!(a["text"]
        .as_str()
        .unwrap()
        .contains("Enclosing AWS prefixes: 15.152.0.0/16."));
    assert_eq!(a["cloud"], Value::Null);
}

/// A prefix of the snapshot with `service` (and `region`, when given).
fn snapshot_prefix(list: &str, service: &str, region: Option<&str>) -> (String, String) {
    let raw: Value = serde_json::from_str(include_str!("../www/data/ip-ranges.json")).unwrap();
    let key = if list == "prefixes" {
        "ip_prefix"
    } else {
        "ipv6_prefix"
    };
    let p = raw[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["service"] == service && region.is_none_or(|r| p["region"] == r))
        .expect("a prefix");
    (
        p[key].as_str().unwrap().to_string(),
        p["network_border_group"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn global_cloudfront_ipv6_and_local_zones() {
    // A GLOBAL CloudFront address.
    let (net, _) = snapshot_prefix("prefixes", "CLOUDFRONT", Some("GLOBAL"));
    let ip = net.split('/').next().unwrap();
    let a = dst(ip);
    assert_eq!(a["aws"]["region"], "GLOBAL");
    assert!(a["aws"]["services"]
        .as_array()
        .unwrap()
        .contains(&json!("CLOUDFRONT")));
    assert!(a["aws"]["region_name"]
        .as_str()
        .unwrap()
        .contains("CloudFront"));
    assert!(
        a["value"].as_str().unwrap().ends_with(", Global"),
        "{}",
        a["value"]
    );
    // An IPv6 address of EC2 in Tokyo.
    let (net, _) = snapshot_prefix("ipv6_prefixes", "EC2", Some("ap-northeast-1"));
    let ip = net.split('/').next().unwrap().to_string() + "1";
    let a = dst(&ip);
    assert_eq!(a["aws"]["region"], "ap-northeast-1");
    assert!(
        a["value"].as_str().unwrap().contains("Tokyo"),
        "{}",
        a["value"]
    );
    // A Local Zone: the border group differs from the region.
    let raw: Value = serde_json::from_str(include_str!("../www/data/ip-ranges.json")).unwrap();
    let lax = raw["prefixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["network_border_group"] == "us-west-2-lax-1" && p["service"] == "EC2")
        .expect("a Los Angeles Local Zone prefix");
    let ip = lax["ip_prefix"]
        .as_str()
        .unwrap()
        .split('/')
        .next()
        .unwrap();
    let a = dst(ip);
    assert_eq!(a["aws"]["network_border_group"], "us-west-2-lax-1");
    assert_eq!(
        a["aws"]["zone"],
        json!({"kind": "local", "location": "lax", "place": "Los Angeles", "text": "a Local Zone in Los Angeles"})
    );
    assert!(a["value"]
        .as_str()
        .unwrap()
        .ends_with("Los Angeles Local Zone"));
    assert!(a["text"].as_str().unwrap().contains("not the region"));
}

#[test]
fn every_region_and_unknown_service_of_the_snapshot_is_explained() {
    use flowlens::classify::aws::regions;
    let r = aws();
    for p in &r.prefixes {
        assert!(
            regions::region_name(&p.region).is_some(),
            "{} has no name",
            p.region
        );
    }
    // IOT_CORE is not in flowlens's list of service names: shown as it is.
    let (net, _) = snapshot_prefix("ipv6_prefixes", "IOT_CORE", None);
    let ip = net.split('/').next().unwrap().to_string() + "1";
    let a = dst(&ip);
    assert!(a["aws"]["services"]
        .as_array()
        .unwrap()
        .contains(&json!("IOT_CORE")));
    assert!(a["text"].as_str().unwrap().contains("IOT_CORE"));
}
