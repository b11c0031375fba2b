//! The coded values of flow log fields and their names in English and Japanese: TCP flags, traffic
//! paths, AWS service codes, reject reasons, encryption status, interface and resource types, the
//! causes of transit gateway packet loss, and Unix times in seconds or milliseconds.
//!
//! Written by hand from AWS's VPC and Transit Gateway user guides and ip-ranges.json's service
//! codes; `EC` (reject reason) and the encryption-status codes come from secondary sources.

use crate::classify::aws::regions;
use crate::t;
use crate::text::time;
use crate::text::{Lang, Text};

/// The TCP flags flow logs report, in the order they are named: SYN-ACK (18) is reported as one.
const TCP_FLAGS: &[(u64, &str, Text)] = &[
    (
        18,
        "SYN-ACK",
        t!("the connection was accepted", "接続の受け入れ"),
    ),
    (2, "SYN", t!("a connection was requested", "接続の開始")),
    (1, "FIN", t!("the connection was closed", "接続の終了")),
    (4, "RST", t!("the connection was reset", "接続のリセット")),
    (8, "PSH", t!("data was pushed", "データのプッシュ")),
    (16, "ACK", t!("data was acknowledged", "受信確認")),
    (32, "URG", t!("urgent data", "緊急データ")),
    (
        64,
        "ECE",
        t!("congestion was signalled (ECN)", "輻輳の通知（ECN）"),
    ),
    (
        128,
        "CWR",
        t!("the window was reduced (ECN)", "ウィンドウの縮小（ECN）"),
    ),
];

/// The flags of a `tcp-flags` value, each with what it says: 19 → SYN-ACK, FIN.
pub fn tcp_flags(bits: u64) -> Vec<(&'static str, Text)> {
    let mut rest = bits;
    let mut out = Vec::new();
    for (mask, name, meaning) in TCP_FLAGS {
        if rest & mask == *mask {
            rest &= !mask;
            out.push((*name, *meaning));
        }
    }
    out
}

/// The documented `traffic-path` codes: how egress traffic leaves.
pub fn traffic_path(code: u64) -> Option<Text> {
    Some(match code {
        1 => t!(
            "through another resource in the same VPC (including resources that create a network interface in the VPC)",
            "同じ VPC 内の別のリソース（VPC 内にネットワークインターフェイスを作成するリソースを含む）経由"
        ),
        2 => t!(
            "through an internet gateway or a gateway VPC endpoint",
            "インターネットゲートウェイまたはゲートウェイ VPC エンドポイント経由"
        ),
        3 => t!("through a virtual private gateway", "仮想プライベートゲートウェイ経由"),
        4 => t!(
            "through an intra-region VPC peering connection",
            "リージョン内 VPC ピアリング接続経由"
        ),
        5 => t!(
            "through an inter-region VPC peering connection",
            "リージョン間 VPC ピアリング接続経由"
        ),
        6 => t!("through a local gateway", "ローカルゲートウェイ経由"),
        7 => t!(
            "through a gateway VPC endpoint (Nitro-based instances only)",
            "ゲートウェイ VPC エンドポイント経由（Nitro ベースのインスタンスのみ）"
        ),
        8 => t!(
            "through an internet gateway (Nitro-based instances only)",
            "インターネットゲートウェイ経由（Nitro ベースのインスタンスのみ）"
        ),
        _ => return None,
    })
}

/// Service codes of AWS's ip-ranges.json, with the service's name.
const AWS_SERVICES: &[(&str, Text)] = &[
    (
        "AMAZON",
        t!("Amazon (any AWS address)", "AWS のアドレス全般"),
    ),
    ("AMAZON_APPFLOW", t!("Amazon AppFlow", "Amazon AppFlow")),
    ("AMAZON_CONNECT", t!("Amazon Connect", "Amazon Connect")),
    (
        "API_GATEWAY",
        t!("Amazon API Gateway", "Amazon API Gateway"),
    ),
    (
        "CHIME_MEETINGS",
        t!("Amazon Chime meetings", "Amazon Chime の会議"),
    ),
    (
        "CHIME_VOICECONNECTOR",
        t!(
            "Amazon Chime Voice Connector",
            "Amazon Chime Voice Connector"
        ),
    ),
    ("CLOUD9", t!("AWS Cloud9", "AWS Cloud9")),
    ("CLOUDFRONT", t!("Amazon CloudFront", "Amazon CloudFront")),
    (
        "CLOUDFRONT_ORIGIN_FACING",
        t!(
            "Amazon CloudFront (origin-facing servers)",
            "Amazon CloudFront のオリジン向けサーバー"
        ),
    ),
    ("CODEBUILD", t!("AWS CodeBuild", "AWS CodeBuild")),
    ("DYNAMODB", t!("Amazon DynamoDB", "Amazon DynamoDB")),
    ("EBS", t!("Amazon EBS", "Amazon EBS")),
    ("EC2", t!("Amazon EC2", "Amazon EC2")),
    (
        "EC2_INSTANCE_CONNECT",
        t!("EC2 Instance Connect", "EC2 Instance Connect"),
    ),
    (
        "GLOBALACCELERATOR",
        t!("AWS Global Accelerator", "AWS Global Accelerator"),
    ),
    (
        "IVS_REALTIME",
        t!(
            "Amazon IVS real-time streaming",
            "Amazon IVS リアルタイムストリーミング"
        ),
    ),
    (
        "KINESIS_VIDEO_STREAMS",
        t!(
            "Amazon Kinesis Video Streams",
            "Amazon Kinesis Video Streams"
        ),
    ),
    (
        "MEDIA_PACKAGE_V2",
        t!(
            "AWS Elemental MediaPackage v2",
            "AWS Elemental MediaPackage v2"
        ),
    ),
    ("ROUTE53", t!("Amazon Route 53", "Amazon Route 53")),
    (
        "ROUTE53_HEALTHCHECKS",
        t!("Route 53 health checks", "Route 53 ヘルスチェック"),
    ),
    (
        "ROUTE53_HEALTHCHECKS_PUBLISHING",
        t!(
            "Route 53 health check publishing",
            "Route 53 ヘルスチェックの結果公開"
        ),
    ),
    (
        "ROUTE53_RESOLVER",
        t!("Route 53 Resolver", "Route 53 Resolver"),
    ),
    ("S3", t!("Amazon S3", "Amazon S3")),
    (
        "WORKSPACES_GATEWAYS",
        t!(
            "Amazon WorkSpaces gateways",
            "Amazon WorkSpaces ゲートウェイ"
        ),
    ),
];

/// The service behind an ip-ranges.json service code: `S3` → Amazon S3.
pub fn aws_service(code: &str) -> Option<Text> {
    AWS_SERVICES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, t)| *t)
}

/// The `reject-reason` codes.
pub fn reject_reason(code: &str) -> Option<Text> {
    Some(match code {
        "BPA" => t!("VPC Block Public Access", "VPC ブロックパブリックアクセス"),
        "EC" => t!("VPC encryption controls", "VPC 暗号化コントロール"),
        _ => return None,
    })
}

/// The `encryption-status` codes.
pub fn encryption_status(code: u64) -> Option<Text> {
    Some(match code {
        0 => t!("not encrypted", "暗号化なし"),
        1 => t!("encrypted by the Nitro System", "Nitro System による暗号化"),
        2 => t!(
            "encrypted by the application",
            "アプリケーションによる暗号化"
        ),
        3 => t!(
            "encrypted by both the Nitro System and the application",
            "Nitro System とアプリケーションの両方による暗号化"
        ),
        _ => return None,
    })
}

/// Network interface types as flow logs and EC2 name them.
const INTERFACE_TYPES: &[(&str, Text)] = &[
    (
        "interface",
        t!(
            "an elastic network interface (e.g. of an EC2 instance)",
            "Elastic Network Interface（EC2 インスタンスなど）"
        ),
    ),
    ("nat_gateway", t!("a NAT gateway", "NAT ゲートウェイ")),
    (
        "regional_nat_gateway",
        t!("a regional NAT gateway", "リージョン NAT ゲートウェイ"),
    ),
    (
        "network_load_balancer",
        t!("a Network Load Balancer", "Network Load Balancer"),
    ),
    ("load_balancer", t!("a load balancer", "ロードバランサー")),
    (
        "gateway_load_balancer",
        t!("a Gateway Load Balancer", "Gateway Load Balancer"),
    ),
    (
        "gateway_load_balancer_endpoint",
        t!(
            "a Gateway Load Balancer endpoint",
            "Gateway Load Balancer エンドポイント"
        ),
    ),
    (
        "transit_gateway",
        t!(
            "a transit gateway attachment",
            "トランジットゲートウェイアタッチメント"
        ),
    ),
    (
        "vpc_endpoint",
        t!(
            "a VPC endpoint (interface endpoint)",
            "VPC エンドポイント（インターフェイスエンドポイント）"
        ),
    ),
    ("lambda", t!("an AWS Lambda function", "AWS Lambda 関数")),
    (
        "efa",
        t!("an Elastic Fabric Adapter", "Elastic Fabric Adapter"),
    ),
    (
        "trunk",
        t!(
            "a trunk interface (ECS awsvpc trunking)",
            "トランクインターフェイス（ECS の awsvpc トランキング）"
        ),
    ),
    (
        "branch",
        t!(
            "a branch interface (ECS awsvpc trunking)",
            "ブランチインターフェイス（ECS の awsvpc トランキング）"
        ),
    ),
];

/// What an `interface-type` value is: `nat_gateway` → a NAT gateway.
pub fn interface_type(code: &str) -> Option<Text> {
    INTERFACE_TYPES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, t)| *t)
}

/// What an AWS resource ID's prefix says it is: `nat-…` → a NAT gateway.
pub fn resource_kind(id: &str) -> Option<Text> {
    let prefix = &id[..id.rfind('-')?];
    Some(match prefix {
        "nat" => t!("a NAT gateway", "NAT ゲートウェイ"),
        "vpce" => t!("a VPC endpoint", "VPC エンドポイント"),
        "igw" => t!("an internet gateway", "インターネットゲートウェイ"),
        "eigw" => t!(
            "an egress-only internet gateway",
            "Egress-Only インターネットゲートウェイ"
        ),
        "vgw" => t!("a virtual private gateway", "仮想プライベートゲートウェイ"),
        "lgw" => t!("a local gateway", "ローカルゲートウェイ"),
        "tgw" => t!("a transit gateway", "トランジットゲートウェイ"),
        "tgw-attach" => t!(
            "a transit gateway attachment",
            "トランジットゲートウェイアタッチメント"
        ),
        "pcx" => t!("a VPC peering connection", "VPC ピアリング接続"),
        "eni" => t!("a network interface", "ネットワークインターフェイス"),
        "i" => t!("an EC2 instance", "EC2 インスタンス"),
        "op" => t!("an Outpost", "Outpost"),
        _ => return None,
    })
}

/// The `sublocation-type` values.
pub fn sublocation_type(code: &str) -> Option<Text> {
    Some(match code {
        "wavelength" => t!(
            "a Wavelength Zone (AWS infrastructure inside a telecommunications provider's 5G network)",
            "Wavelength Zone（通信事業者の 5G ネットワーク内にある AWS インフラストラクチャ）"
        ),
        "outpost" => t!(
            "an AWS Outpost (AWS infrastructure in your own data center or on premises)",
            "AWS Outposts（お客様のデータセンターやオンプレミスに設置された AWS インフラストラクチャ）"
        ),
        "localzone" => t!(
            "a Local Zone (AWS infrastructure close to a large metropolitan area)",
            "ローカルゾーン（大都市圏の近くに配置された AWS インフラストラクチャ）"
        ),
        _ => return None,
    })
}

/// The causes of packet loss in a transit gateway, by field: key, short cause.
pub const PACKETS_LOST: [(&str, Text); 4] = [
    ("packets-lost-no-route", t!("no route", "ルートなし")),
    (
        "packets-lost-blackhole",
        t!("blackhole route", "ブラックホールルート"),
    ),
    ("packets-lost-mtu-exceeded", t!("MTU exceeded", "MTU 超過")),
    ("packets-lost-ttl-expired", t!("TTL expired", "TTL 切れ")),
];

/// The cause of loss a `packets-lost-*` field counts.
pub fn packets_lost_cause(key: &str) -> Option<Text> {
    PACKETS_LOST
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, t)| *t)
}

/// Times from this value up are taken as milliseconds: in seconds they would be after year 5138,
/// in milliseconds they are after 1973-03-03.
pub const MILLIS_FROM: u64 = 100_000_000_000;

/// True when a time value is in milliseconds.
pub fn is_millis(t: u64) -> bool {
    t >= MILLIS_FROM
}

/// A time in seconds or milliseconds as UTC text: `2025-04-13T05:23:05Z`,
/// `2025-04-13T05:23:05.123Z`.
pub fn utc_any(t: u64) -> String {
    if !is_millis(t) {
        return time::utc(t);
    }
    let s = time::utc(t / 1000);
    match s.strip_suffix('Z') {
        Some(base) => format!("{base}.{:03}Z", t % 1000),
        None => s,
    }
}

/// A duration in milliseconds in words: `8 s 123 ms` / `8 秒 123 ミリ秒`.
pub fn duration_ms(ms: u64, lang: Lang) -> String {
    let rest = ms % 1000;
    if ms >= 1000 && rest == 0 {
        return time::duration(ms / 1000, lang);
    }
    let unit = match lang {
        Lang::En => "ms",
        Lang::Ja => "ミリ秒",
    };
    if ms < 1000 {
        return format!("{ms} {unit}");
    }
    format!("{} {rest} {unit}", time::duration(ms / 1000, lang))
}

/// The region an Availability Zone ID belongs to, from its prefix (`apne3-az2` → ap-northeast-3),
/// by AWS's naming convention: the region's first word, the initials of its other words, its number.
pub fn az_region(az_id: &str) -> Option<&'static str> {
    let prefix = az_id.split('-').next()?;
    regions::REGIONS
        .iter()
        .map(|r| r.code)
        .find(|code| region_abbreviation(code).as_deref() == Some(prefix))
}

fn region_abbreviation(code: &str) -> Option<String> {
    let parts: Vec<&str> = code.split('-').collect();
    let (number, words) = parts.split_last()?;
    let (first, others) = words.split_first()?;
    let mut out = (*first).to_string();
    for w in others {
        out.push_str(match *w {
            "northeast" => "ne",
            "northwest" => "nw",
            "southeast" => "se",
            "southwest" => "sw",
            w => &w[..1],
        });
    }
    out.push_str(number);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(bits: u64) -> Vec<&'static str> {
        tcp_flags(bits).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn tcp_flags_as_aws_reports_them() {
        assert_eq!(names(19), ["SYN-ACK", "FIN"]);
        assert_eq!(names(3), ["SYN", "FIN"]);
        assert_eq!(names(2), ["SYN"]);
        assert_eq!(names(18), ["SYN-ACK"]);
        assert_eq!(names(0), Vec::<&str>::new());
        assert_eq!(names(4), ["RST"]);
        assert_eq!(names(24), ["PSH", "ACK"]);
        assert_eq!(names(255).len(), 7);
    }

    #[test]
    fn millisecond_times() {
        assert_eq!(utc_any(1744521785), "2025-04-13T05:23:05Z");
        assert_eq!(utc_any(1744521785123), "2025-04-13T05:23:05.123Z");
        assert_eq!(utc_any(1744521785007), "2025-04-13T05:23:05.007Z");
        assert_eq!(duration_ms(8123, Lang::En), "8 s 123 ms");
        assert_eq!(duration_ms(8000, Lang::En), "8 s");
        assert_eq!(duration_ms(250, Lang::Ja), "250 ミリ秒");
    }

    #[test]
    fn availability_zone_ids_name_their_region() {
        assert_eq!(az_region("use1-az1"), Some("us-east-1"));
        assert_eq!(az_region("apne3-az2"), Some("ap-northeast-3"));
        assert_eq!(az_region("apse2-az3"), Some("ap-southeast-2"));
        assert_eq!(az_region("euc1-az2"), Some("eu-central-1"));
        assert_eq!(az_region("usw2-lax1-az1"), Some("us-west-2"));
        assert_eq!(az_region("zzz9-az1"), None);
    }

    #[test]
    fn codes() {
        assert_eq!(
            traffic_path(8).unwrap().en,
            "through an internet gateway (Nitro-based instances only)"
        );
        assert!(traffic_path(9).is_none() && traffic_path(0).is_none());
        assert_eq!(aws_service("S3").unwrap().en, "Amazon S3");
        assert!(aws_service("NEW_THING").is_none());
        assert!(reject_reason("BPA")
            .unwrap()
            .en
            .contains("Block Public Access"));
        assert_eq!(resource_kind("nat-0a1b2c").unwrap().en, "a NAT gateway");
        assert_eq!(
            resource_kind("tgw-attach-0a1b").unwrap().en,
            "a transit gateway attachment"
        );
        assert!(resource_kind("zzz-0a").is_none());
        assert_eq!(
            packets_lost_cause("packets-lost-mtu-exceeded").unwrap().en,
            "MTU exceeded"
        );
    }
}
