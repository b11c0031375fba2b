//! Every field AWS writes, decoded and explained through the public API: VPC records of versions 3
//! to 11 with header lines, transit gateway records in their default format, millisecond times,
//! and the field table itself.

use flowlens::explain::Context;
use flowlens::explain::Explain;
use flowlens::model::fields::{self, Group, FIELDS, TGW_DEFAULT_FORMAT};
use flowlens::store::Decoded;
use flowlens::text::Lang;
use serde_json::{json, Value};

/// The entries as the page's JSON, to look into by key.
fn decode(text: &str, lang: Lang) -> Vec<Value> {
    let d = Decoded::decode(text);
    d.entries_json(0, usize::MAX, &Context::default(), lang)
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect()
}

fn text(v: &Value) -> &str {
    v["text"].as_str().expect("a text")
}

/// The custom format of the v3 examples of AWS's "Flow log record examples" page.
const V3_HEADER: &str = "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status";

/// From AWS's documentation: traffic to an instance, TCP flags SYN.
const V3_DOC: &str = "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK";

/// Built after the documentation's NAT gateway example: the NAT gateway's interface (no instance)
/// forwards a connection from 10.0.1.5 to a public server; the flow closed (SYN-ACK + FIN).
const V3_NAT: &str = "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 - eni-1235b8ca123456789 123456789010 IPv4 10.0.0.220 203.0.113.5 2048 443 10.0.1.5 203.0.113.5 6 1840 12 1566848875 1566848933 ACCEPT 19 OK";

#[test]
fn v3_documentation_example() {
    let all = decode(&format!("{V3_HEADER}\n{V3_DOC}\n{V3_NAT}\n"), Lang::En);
    assert_eq!(all.len(), 2);
    let e = &all[0];
    assert_eq!(e["line"], 2);
    let f = &e["fields"];
    assert_eq!(f["version"], 3);
    assert_eq!(f["vpc-id"], "vpc-abcdefab012345678");
    assert_eq!(f["subnet-id"], "subnet-aaaaaaaa012345678");
    assert_eq!(f["instance-id"], "i-01234567890123456");
    assert_eq!(f["type"], "IPv4");
    assert_eq!(f["pkt-srcaddr"], "52.213.180.42");
    assert_eq!(f["tcp-flags"], 2);
    assert_eq!(f["bytes"], 568);
    assert_eq!(f["packets"], 8);
    let a = &e["annotations"];
    assert_eq!(a.as_object().unwrap().len(), 21);
    for (key, ann) in a.as_object().unwrap() {
        assert!(!text(ann).is_empty(), "{key} has no text");
    }
    assert!(text(&a["vpc-id"]).contains("vpc-abcdefab012345678"));
    assert!(text(&a["instance-id"]).contains("i-01234567890123456"));
    assert_eq!(a["tcp-flags"]["flags"], json!(["SYN"]));
    assert_eq!(a["type"]["value"], "IPv4");
    assert_eq!(a["pkt-srcaddr"]["differs"], false);
    // Same addresses: the summary has no "originally".
    let summary = e["summary"].as_str().unwrap();
    assert!(!summary.contains("originally"), "{summary}");
    assert!(summary.ends_with("; accepted."), "{summary}");
}

#[test]
fn v3_nat_gateway_original_addresses_and_flags() {
    let all = decode(&format!("{V3_HEADER}\n{V3_DOC}\n{V3_NAT}\n"), Lang::En);
    let e = &all[1];
    let a = &e["annotations"];
    assert_eq!(e["fields"]["instance-id"], Value::Null);
    assert!(text(&a["instance-id"]).contains("requester-managed"));
    assert_eq!(a["tcp-flags"]["flags"], json!(["SYN-ACK", "FIN"]));
    assert_eq!(a["tcp-flags"]["value"], "SYN-ACK + FIN");
    assert!(text(&a["tcp-flags"]).starts_with("TCP flags 19 = SYN-ACK + FIN"));
    assert_eq!(a["pkt-srcaddr"]["differs"], true);
    assert!(text(&a["pkt-srcaddr"]).contains("NAT gateway"));
    assert_eq!(a["pkt-dstaddr"]["differs"], false);
    let summary = e["summary"].as_str().unwrap();
    assert!(
        summary.contains(", originally from 10.0.1.5 (private, in your VPC)"),
        "{summary}"
    );
    let ja = &decode(&format!("{V3_HEADER}\n{V3_NAT}\n"), Lang::Ja)[0];
    let summary = ja["summary"].as_str().unwrap();
    assert!(summary.contains("元の送信元 10.0.1.5"), "{summary}");
    assert!(ja["annotations"]["tcp-flags"]["text"]
        .as_str()
        .unwrap()
        .contains("論理和"));
}

#[test]
fn tcp_flags_values() {
    let header = "srcaddr dstaddr protocol tcp-flags";
    let cases: &[(&str, &[&str])] = &[
        ("19", &["SYN-ACK", "FIN"]),
        ("3", &["SYN", "FIN"]),
        ("2", &["SYN"]),
        ("18", &["SYN-ACK"]),
        ("1", &["FIN"]),
        ("4", &["RST"]),
        ("0", &[]),
    ];
    for (bits, names) in cases {
        let e = &decode(&format!("{header}\n10.0.0.1 10.0.0.2 6 {bits}"), Lang::En)[0];
        assert_eq!(
            e["annotations"]["tcp-flags"]["flags"],
            json!(names),
            "{bits}"
        );
    }
    let e = &decode(&format!("{header}\n10.0.0.1 10.0.0.2 6 0"), Lang::En)[0];
    assert!(text(&e["annotations"]["tcp-flags"]).contains("no SYN, FIN or RST"));
}

/// Version 4 and 5 fields, built: egress through an internet gateway to S3, and ingress from a
/// Local Zone.
const V5_HEADER: &str = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path";
const V5_EGRESS: &str = "5 eni-0a1b2c3d4e5f6a7b8 10.0.4.135 52.219.170.10 40012 443 6 20 4249 1744521785 1744521845 ACCEPT OK ap-northeast-3 apne3-az2 - - - S3 egress 8";
const V5_LOCALZONE: &str = "5 eni-0a1b2c3d4e5f6a7b8 198.51.100.7 10.0.9.4 51000 22 6 3 180 1744521785 1744521845 REJECT OK us-west-2 - localzone usw2-lax1-az1 - - ingress -";

#[test]
fn v4_and_v5_fields() {
    let all = decode(
        &format!("{V5_HEADER}\n{V5_EGRESS}\n{V5_LOCALZONE}"),
        Lang::En,
    );
    assert_eq!(all.len(), 2, "{all:#?}");
    let a = &all[0]["annotations"];
    assert_eq!(a["region"]["region_name"], "Asia Pacific (Osaka)");
    assert!(text(&a["az-id"]).contains("ap-northeast-3"));
    assert_eq!(a["az-id"]["region"], "ap-northeast-3");
    assert!(text(&a["sublocation-type"]).contains("not from a sublocation"));
    assert_eq!(a["pkt-dst-aws-service"]["service"], "S3");
    assert_eq!(a["pkt-dst-aws-service"]["value"], "Amazon S3");
    assert_eq!(all[0]["fields"]["traffic-path"], 8);
    assert_eq!(
        a["traffic-path"]["code_name"],
        "through an internet gateway (Nitro-based instances only)"
    );
    assert!(text(&a["flow-direction"]).starts_with("Egress"));
    assert!(all[0]["summary"]
        .as_str()
        .unwrap()
        .contains(", outbound (egress); accepted."));

    let b = &all[1]["annotations"];
    assert!(text(&b["az-id"]).contains("sublocation"));
    assert!(text(&b["sublocation-type"]).contains("Local Zone"));
    assert!(text(&b["sublocation-id"]).contains("usw2-lax1-az1 (localzone)"));
    assert!(text(&b["traffic-path"]).contains("ingress"));
    assert_eq!(b["region"]["value"], "US West (Oregon)");

    let ja = decode(&format!("{V5_HEADER}\n{V5_EGRESS}"), Lang::Ja);
    let ja = &ja[0];
    assert_eq!(
        ja["annotations"]["region"]["region_name"],
        "アジアパシフィック (大阪)"
    );
    assert!(ja["summary"].as_str().unwrap().contains("（送信方向）"));
}

#[test]
fn traffic_path_codes_and_unknown_ones() {
    let header = "srcaddr dstaddr traffic-path";
    let names = [
        "same VPC",
        "internet gateway or a gateway VPC endpoint",
        "virtual private gateway",
        "intra-region VPC peering",
        "inter-region VPC peering",
        "local gateway",
        "gateway VPC endpoint (Nitro",
        "internet gateway (Nitro",
    ];
    for (i, name) in names.iter().enumerate() {
        let e = &decode(&format!("{header}\n10.0.0.1 10.0.0.2 {}", i + 1), Lang::En)[0];
        let name_found = e["annotations"]["traffic-path"]["code_name"]
            .as_str()
            .unwrap();
        assert!(name_found.contains(name), "{} {name_found}", i + 1);
    }
    let e = &decode(&format!("{header}\n10.0.0.1 10.0.0.2 9"), Lang::En)[0];
    assert_eq!(e["fields"]["traffic-path"], 9);
    assert_eq!(e["annotations"]["traffic-path"]["code_name"], Value::Null);
    assert!(text(&e["annotations"]["traffic-path"]).contains("does not know"));
}

/// Version 7 ECS fields, built: a Fargate task (no container instance) and a task on EC2.
const ECS_HEADER: &str = "version srcaddr dstaddr action ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id";
const ECS_FARGATE: &str = "7 10.0.2.30 10.0.3.40 ACCEPT arn:aws:ecs:ap-northeast-1:123456789012:cluster/web-cluster web-cluster - - 3c1f5e0b8a9d4e2f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f - web-service arn:aws:ecs:ap-northeast-1:123456789012:task-definition/web:7 arn:aws:ecs:ap-northeast-1:123456789012:task/web-cluster/0a1b2c3d4e5f60718293a4b5c6d7e8f9 0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const ECS_EC2: &str = "7 10.0.2.31 10.0.3.40 ACCEPT arn:aws:ecs:ap-northeast-1:123456789012:cluster/batch batch arn:aws:ecs:ap-northeast-1:123456789012:container-instance/batch/9f8e7d6c5b4a39281706f5e4d3c2b1a0 9f8e7d6c5b4a39281706f5e4d3c2b1a0 3c1f5e0b8a9d4e2f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f 4d2a6f1c9b8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d - arn:aws:ecs:ap-northeast-1:123456789012:task-definition/batch:1 arn:aws:ecs:ap-northeast-1:123456789012:task/batch/1a2b3c4d5e6f70819a0b1c2d3e4f5a6b 1a2b3c4d5e6f70819a0b1c2d3e4f5a6b";

#[test]
fn v7_ecs_fields_and_fargate() {
    let all = decode(&format!("{ECS_HEADER}\n{ECS_FARGATE}\n{ECS_EC2}"), Lang::En);
    assert_eq!(all.len(), 2, "{all:#?}");
    let a = &all[0]["annotations"];
    assert_eq!(all[0]["fields"]["ecs-cluster-name"], "web-cluster");
    assert_eq!(a["ecs-cluster-arn"]["value"], "web-cluster");
    assert_eq!(a["ecs-cluster-arn"]["region"], "ap-northeast-1");
    assert_eq!(a["ecs-cluster-arn"]["account"], "123456789012");
    assert!(text(&a["ecs-container-instance-arn"]).contains("Fargate"));
    assert!(text(&a["ecs-container-instance-id"]).contains("Fargate"));
    assert!(text(&a["ecs-second-container-id"]).contains("single container"));
    assert!(text(&a["ecs-service-name"]).contains("web-service"));
    assert_eq!(a["ecs-task-definition-arn"]["value"], "web:7");
    let b = &all[1]["annotations"];
    assert!(text(&b["ecs-container-instance-id"]).contains("9f8e7d6c5b4a39281706f5e4d3c2b1a0"));
    assert!(text(&b["ecs-service-name"]).contains("not started by an ECS service"));
    let ja = &decode(&format!("{ECS_HEADER}\n{ECS_FARGATE}"), Lang::Ja)[0];
    assert!(text(&ja["annotations"]["ecs-container-instance-arn"]).contains("Fargate"));
}

/// Versions 8 to 11, built: a record blocked by VPC Block Public Access, and one of a regional NAT
/// gateway with tags.
const V11_HEADER: &str = "version interface-id resource-id srcaddr dstaddr protocol action reject-reason encryption-status instance-tag instance-tag-2 interface-tag interface-tag-2 asg-tag asg-tag-2 interface-type next-hop-interface-id next-hop-subnet-id next-hop-az-id next-hop-vpc-id next-hop-interface-type";
const V11_BPA: &str = "11 eni-0a1b2c3d4e5f6a7b8 - 198.51.100.7 10.0.1.5 6 REJECT BPA 0 Name%3Dweb%20server Env%3D%E6%9D%B1%E4%BA%AC - - - - interface - - - - -";
const V11_NAT: &str = "11 - nat-0a1b2c3d4e5f67890 10.0.1.5 203.0.113.5 6 ACCEPT - 3 - - team%3Dnet bad%ZZ asg%3Dweb - regional_nat_gateway eni-0f1e2d3c4b5a69788 subnet-0f1e2d3c4b5a69788 apne1-az4 vpc-0f1e2d3c4b5a69788 transit_gateway";

#[test]
fn v8_to_v11_fields() {
    let all = decode(&format!("{V11_HEADER}\n{V11_BPA}\n{V11_NAT}"), Lang::En);
    assert_eq!(all.len(), 2, "{all:#?}");
    let a = &all[0]["annotations"];
    assert!(text(&a["reject-reason"]).contains("VPC Block Public Access"));
    assert!(text(&a["resource-id"]).contains("interface-id"));
    assert_eq!(a["encryption-status"]["code_name"], "not encrypted");
    assert_eq!(a["instance-tag"]["value"], "Name=web server");
    assert_eq!(a["instance-tag"]["decoded"], "Name=web server");
    assert_eq!(a["instance-tag-2"]["decoded"], "Env=東京");
    assert!(text(&a["interface-tag"]).contains("no such tag"));
    assert!(text(&a["next-hop-vpc-id"]).contains("next hop"));
    let summary = all[0]["summary"].as_str().unwrap();
    assert!(
        summary.ends_with("; rejected by VPC Block Public Access (BPA)."),
        "{summary}"
    );

    let b = &all[1]["annotations"];
    assert!(text(&b["interface-id"]).contains("resource-id"));
    assert!(text(&b["resource-id"]).contains("a NAT gateway"));
    assert!(text(&b["encryption-status"]).contains("both"));
    assert_eq!(b["interface-tag-2"]["decoded"], Value::Null);
    assert_eq!(b["interface-tag-2"]["value"], "bad%ZZ");
    assert!(text(&b["interface-tag-2"]).contains("not valid percent-encoded"));
    assert!(text(&b["interface-type"]).contains("regional NAT gateway"));
    assert!(text(&b["next-hop-interface-type"]).contains("transit gateway attachment"));
    assert!(text(&b["next-hop-az-id"]).contains("ap-northeast-1"));

    let ja = &decode(&format!("{V11_HEADER}\n{V11_BPA}"), Lang::Ja)[0];
    assert!(ja["summary"]
        .as_str()
        .unwrap()
        .ends_with("VPC ブロックパブリックアクセス（BPA）により拒否されました。"));
    assert_eq!(ja["annotations"]["instance-tag-2"]["value"], "Env=東京");
}

/// A transit gateway record in the default format, built: traffic between two VPCs of different
/// accounts, with packets lost for lack of a route and to a blackhole route.
const TGW_RECORD: &str = "6 TransitGateway 123456789010 tgw-0f4c0c3e0f8f3b5d0 tgw-attach-0a1b2c3d4e5f6a7b8 123456789010 210987654321 vpc-0a1b2c3d4e5f6a7b8 vpc-0f1e2d3c4b5a69788 subnet-0a1b2c3d4e5f6a7b8 subnet-0f1e2d3c4b5a69788 eni-0a1b2c3d4e5f6a7b8 eni-0f1e2d3c4b5a69788 use1-az1 use1-az2 tgw-attach-0f1e2d3c4b5a69788 10.0.1.10 10.1.2.20 49152 443 6 10 5000 1744521785 1744521845 OK IPv4 1 2 0 0 19 us-east-1 ingress - -";

#[test]
fn transit_gateway_default_format() {
    let text_in = format!("{}\n{TGW_RECORD}\n", TGW_DEFAULT_FORMAT.join(" "));
    let all = decode(&text_in, Lang::En);
    assert_eq!(all.len(), 1, "{all:#?}");
    let e = &all[0];
    let f = &e["fields"];
    assert_eq!(f.as_object().unwrap().len(), 36);
    assert_eq!(f["resource-type"], "TransitGateway");
    assert_eq!(f["tgw-id"], "tgw-0f4c0c3e0f8f3b5d0");
    assert_eq!(f["packets-lost-no-route"], 1);
    assert_eq!(f["tgw-dst-vpc-account-id"], "210987654321");
    let a = &e["annotations"];
    for (key, ann) in a.as_object().unwrap() {
        if f[key] != Value::Null {
            assert!(!text(ann).is_empty(), "{key} has no text");
        }
    }
    assert!(text(&a["resource-type"]).contains("transit gateway"));
    assert!(text(&a["account-id"]).contains("owns the transit gateway"));
    assert!(text(&a["tgw-dst-vpc-account-id"]).contains("210987654321"));
    assert!(text(&a["tgw-src-vpc-id"]).contains("vpc-0a1b2c3d4e5f6a7b8"));
    assert!(text(&a["tgw-attachment-id"]).contains("tgw-attach-0a1b2c3d4e5f6a7b8"));
    assert!(text(&a["tgw-pair-attachment-id"]).contains("tgw-attach-0f1e2d3c4b5a69788"));
    assert!(text(&a["tgw-src-az-id"]).contains("us-east-1"));
    assert_eq!(a["packets-lost-no-route"]["cause"], "no route");
    assert!(text(&a["packets-lost-blackhole"]).contains("2 packets were lost"));
    assert!(text(&a["packets-lost-mtu-exceeded"]).starts_with("No packets"));
    assert_eq!(a["tcp-flags"]["flags"], json!(["SYN-ACK", "FIN"]));
    assert!(text(&a["flow-direction"]).contains("transit gateway"));
    assert!(text(&a["version"]).contains("transit gateway"));
    let summary = e["summary"].as_str().unwrap();
    assert!(
        summary.contains(
            "across transit gateway tgw-0f4c0c3e0f8f3b5d0 via attachment tgw-attach-0a1b2c3d4e5f6a7b8"
        ),
        "{summary}"
    );
    assert!(
        summary.ends_with("; 3 packets lost (no route: 1, blackhole route: 2)."),
        "{summary}"
    );
    let ja = &decode(&text_in, Lang::Ja)[0];
    let summary = ja["summary"].as_str().unwrap();
    assert!(summary.contains("トランジットゲートウェイ tgw-0f4c0c3e0f8f3b5d0 をアタッチメント"));
    assert!(summary.contains("3 個のパケットが失われ（ルートなし 1、ブラックホールルート 2）"));
    assert!(summary.ends_with("ました。"), "{summary}");
}

#[test]
fn millisecond_timestamps() {
    let header = "srcaddr dstaddr start end log-status";
    let e = &decode(
        &format!("{header}\n10.0.0.1 10.0.0.2 1744521785123 1744521793456 OK"),
        Lang::En,
    )[0];
    let a = &e["annotations"];
    assert_eq!(a["start"]["utc"], "2025-04-13T05:23:05.123Z");
    assert_eq!(a["end"]["utc"], "2025-04-13T05:23:13.456Z");
    assert_eq!(a["end"]["unit"], "ms");
    assert_eq!(a["end"]["duration_ms"], 8333);
    assert!(text(&a["start"]).contains("milliseconds"));
    assert!(text(&a["end"]).contains("8 s 333 ms"));
    // Seconds stay seconds.
    let e = &decode(
        &format!("{header}\n10.0.0.1 10.0.0.2 1744521785 1744521793 OK"),
        Lang::En,
    )[0];
    assert_eq!(e["annotations"]["end"]["duration_s"], 8);
    assert_eq!(e["annotations"]["end"]["unit"], "s");
    // NODATA windows in milliseconds.
    let e = &decode(
        "interface-id start end log-status\neni-0a1b2c 1744521785000 1744521845000 NODATA",
        Lang::En,
    )[0];
    assert_eq!(
        e["summary"],
        "No traffic on eni-0a1b2c between 2025-04-13T05:23:05.000Z and 2025-04-13T05:24:05.000Z (NODATA)."
    );
}

#[test]
fn every_field_is_specified_in_both_languages() {
    let vpc = FIELDS.iter().filter(|f| f.group.in_vpc()).count();
    let tgw = FIELDS
        .iter()
        .filter(|f| f.group.in_transit_gateway())
        .count();
    assert_eq!(vpc, 54);
    assert_eq!(tgw, 36);
    assert_eq!(FIELDS.len(), 72);
    for (i, f) in FIELDS.iter().enumerate() {
        assert_eq!(fields::spec(f.key), Some(f));
        for t in [f.label, f.meaning] {
            assert!(
                !t.en.trim().is_empty() && !t.ja.trim().is_empty(),
                "{}",
                f.key
            );
            assert_ne!(t.en, t.ja, "{}", f.key);
        }
        for g in &FIELDS[i + 1..] {
            assert_ne!(f.label.en, g.label.en);
            assert_ne!(f.label.ja, g.label.ja);
            assert_ne!(f.meaning.en, g.meaning.en);
            assert_ne!(f.meaning.ja, g.meaning.ja);
        }
    }
    assert_eq!(
        FIELDS
            .iter()
            .filter(|f| f.group == Group::TransitGateway)
            .count(),
        18
    );
    let specs = fields::field_specs(Lang::Ja);
    assert_eq!(specs.len(), 72);
    assert!(specs.iter().all(|s| !s.label.is_empty()));
}

#[test]
fn every_field_decodes_dash_and_explains_it() {
    // One header of all 72 fields, one record of all '-'.
    let header: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
    let dashes = vec!["-"; header.len()].join(" ");
    for lang in [Lang::En, Lang::Ja] {
        let all = decode(&format!("{}\n{dashes}", header.join(" ")), lang);
        assert_eq!(all.len(), 1);
        let a = all[0]["annotations"].as_object().unwrap();
        assert_eq!(a.len(), 72);
        for (key, ann) in a {
            assert!(text(ann).starts_with("'-'"), "{key}");
        }
        assert!(!all[0]["summary"].as_str().unwrap().is_empty());
    }
}
