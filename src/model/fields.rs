//! The field-spec table: every flow log field flowlens knows, with its stable key (AWS's hyphenated
//! name), the version that introduced it, the kind of log that writes it (VPC, transit gateway or
//! both), its value kind, and its label and meaning in English and Japanese. This one table drives
//! parsing, annotation, the page's field reference and the docs. Adding a field is one entry in
//! [`FIELDS`].
//!
//! Meanings follow the wording of AWS's VPC and Transit Gateway user guides (English and Japanese).
//! The versions of `resource-id` (9), `encryption-status` (10) and the version-11 fields come from
//! secondary sources; records are read by field name whatever version they claim.

use crate::t;
use crate::text::{Lang, Text};
use serde::Serialize;

/// How a field's value is parsed and explained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The record's format version (integer).
    Version,
    /// A 12-digit AWS account ID, or `unknown`; kept as a string.
    AccountId,
    /// A network interface ID, `eni-…`.
    InterfaceId,
    /// An IPv4 or IPv6 address.
    Address,
    /// A TCP/UDP port, 0-65535.
    Port,
    /// An IANA protocol number, 0-255.
    Protocol,
    /// A packet count.
    Packets,
    /// A byte count.
    Bytes,
    /// A Unix time in seconds (or milliseconds, for values from 100,000,000,000 up).
    Time,
    /// `ACCEPT` or `REJECT`.
    Action,
    /// `OK`, `NODATA` or `SKIPDATA`.
    LogStatus,
    /// A VPC ID, `vpc-…`.
    VpcId,
    /// A subnet ID, `subnet-…`.
    SubnetId,
    /// An EC2 instance ID, `i-…`.
    InstanceId,
    /// The OR of the TCP flags seen in the aggregation interval, 0-255.
    TcpFlags,
    /// The traffic type: `IPv4`, `IPv6` or `EFA`.
    TrafficType,
    /// An AWS Region code, `us-east-1`.
    Region,
    /// An Availability Zone ID, `use1-az1`.
    AzId,
    /// `wavelength`, `outpost` or `localzone`.
    SublocationType,
    /// The ID of a Wavelength Zone, Outpost or Local Zone.
    SublocationId,
    /// A service code of AWS's ip-ranges.json: `S3`, `EC2`, `AMAZON`, …
    AwsService,
    /// `ingress` or `egress`.
    FlowDirection,
    /// The path egress traffic takes, a code 1-8 (up to 15 accepted for codes AWS may add).
    TrafficPath,
    /// An Amazon ECS ARN, `arn:aws:ecs:…`.
    EcsArn,
    /// An Amazon ECS cluster or service name.
    EcsName,
    /// An Amazon ECS or Docker ID (hexadecimal).
    EcsId,
    /// Why traffic was rejected: `BPA`, or another upper-case code.
    RejectReason,
    /// The ID of an AWS resource, `nat-…`.
    ResourceId,
    /// 0 not encrypted, 1 Nitro-encrypted, 2 application-encrypted, 3 both.
    EncryptionStatus,
    /// A tag, percent-encoded UTF-8.
    Tag,
    /// A network interface type, `nat_gateway`, `vpc_endpoint`, …
    InterfaceType,
    /// A transit gateway ID, `tgw-…`.
    TgwId,
    /// A transit gateway attachment ID, `tgw-attach-…`.
    TgwAttachmentId,
    /// The type of resource logged: `TransitGateway`.
    ResourceType,
    /// A count of packets a transit gateway dropped.
    PacketsLost,
}

impl Kind {
    /// True when values of this kind are integers (JSON numbers).
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Kind::Version
                | Kind::Port
                | Kind::Protocol
                | Kind::Packets
                | Kind::Bytes
                | Kind::Time
                | Kind::TcpFlags
                | Kind::TrafficPath
                | Kind::EncryptionStatus
                | Kind::PacketsLost
        )
    }

    /// What a value of this kind must look like, for error messages.
    pub fn expectation(self) -> Text {
        match self {
            Kind::Version => t!("a version number (integer)", "バージョン番号（整数）"),
            Kind::AccountId => t!(
                "a 12-digit AWS account ID or 'unknown'",
                "12 桁の AWS アカウント ID または 'unknown'"
            ),
            Kind::InterfaceId => t!(
                "a network interface ID (eni-…)",
                "ネットワークインターフェイス ID（eni-…）"
            ),
            Kind::Address => t!("an IPv4 or IPv6 address", "IPv4 または IPv6 アドレス"),
            Kind::Port => t!("a port 0-65535", "0～65535 のポート番号"),
            Kind::Protocol => t!("a protocol number 0-255", "0～255 のプロトコル番号"),
            Kind::Packets => t!("a packet count (integer)", "パケット数（整数）"),
            Kind::Bytes => t!("a byte count (integer)", "バイト数（整数）"),
            Kind::Time => t!(
                "a Unix time in seconds (or milliseconds)",
                "Unix 時刻（秒またはミリ秒）"
            ),
            Kind::Action => t!("ACCEPT or REJECT", "ACCEPT または REJECT"),
            Kind::LogStatus => t!("OK, NODATA or SKIPDATA", "OK、NODATA または SKIPDATA"),
            Kind::VpcId => t!("a VPC ID (vpc-…)", "VPC ID（vpc-…）"),
            Kind::SubnetId => t!("a subnet ID (subnet-…)", "サブネット ID（subnet-…）"),
            Kind::InstanceId => t!("an instance ID (i-…)", "インスタンス ID（i-…）"),
            Kind::TcpFlags => t!("a TCP flags value 0-255", "0～255 の TCP フラグ値"),
            Kind::TrafficType => t!("IPv4, IPv6 or EFA", "IPv4、IPv6 または EFA"),
            Kind::Region => t!(
                "a Region code (e.g. us-east-1)",
                "リージョンコード（us-east-1 など）"
            ),
            Kind::AzId => t!(
                "an Availability Zone ID (e.g. use1-az1)",
                "アベイラビリティーゾーン ID（use1-az1 など）"
            ),
            Kind::SublocationType => t!(
                "wavelength, outpost or localzone",
                "wavelength、outpost または localzone"
            ),
            Kind::SublocationId => t!(
                "a sublocation ID (e.g. op-…, usw2-lax1-az1)",
                "サブロケーション ID（op-…、usw2-lax1-az1 など）"
            ),
            Kind::AwsService => t!(
                "an AWS service code in capitals (e.g. S3, EC2, AMAZON)",
                "大文字の AWS サービスコード（S3、EC2、AMAZON など）"
            ),
            Kind::FlowDirection => t!("ingress or egress", "ingress または egress"),
            Kind::TrafficPath => t!("a traffic path code 1-8", "1～8 のトラフィックパスコード"),
            Kind::EcsArn => t!(
                "an Amazon ECS ARN (arn:aws:ecs:…)",
                "Amazon ECS の ARN（arn:aws:ecs:…）"
            ),
            Kind::EcsName => t!(
                "a name of letters, digits, hyphens and underscores",
                "英数字、ハイフン、アンダースコアからなる名前"
            ),
            Kind::EcsId => t!(
                "a hexadecimal ID (16 to 64 digits, or Fargate's 32 digits, '-' and a number)",
                "16 進数の ID（16～64 桁、または Fargate の 32 桁・'-'・数字）"
            ),
            Kind::RejectReason => t!(
                "a reject reason code in capitals (e.g. BPA)",
                "大文字の拒否理由コード（BPA など）"
            ),
            Kind::ResourceId => t!("a resource ID (e.g. nat-…)", "リソース ID（nat-… など）"),
            Kind::EncryptionStatus => t!("an encryption status 0-3", "0～3 の暗号化ステータス"),
            Kind::Tag => t!("a percent-encoded tag", "パーセントエンコードされたタグ"),
            Kind::InterfaceType => t!(
                "an interface type in lower case (e.g. nat_gateway)",
                "小文字のインターフェイスタイプ（nat_gateway など）"
            ),
            Kind::TgwId => t!(
                "a transit gateway ID (tgw-…)",
                "トランジットゲートウェイ ID（tgw-…）"
            ),
            Kind::TgwAttachmentId => t!(
                "a transit gateway attachment ID (tgw-attach-…)",
                "トランジットゲートウェイアタッチメント ID（tgw-attach-…）"
            ),
            Kind::ResourceType => t!(
                "a resource type (e.g. TransitGateway)",
                "リソースタイプ（TransitGateway など）"
            ),
            Kind::PacketsLost => t!("a packet count (integer)", "パケット数（整数）"),
        }
    }
}

/// Which flow logs write a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// VPC flow logs only (of a VPC, subnet or network interface).
    Vpc,
    /// Transit gateway flow logs only.
    TransitGateway,
    /// Both.
    Both,
}

impl Group {
    /// True for fields VPC flow logs write.
    pub fn in_vpc(self) -> bool {
        matches!(self, Group::Vpc | Group::Both)
    }

    /// True for fields transit gateway flow logs write.
    pub fn in_transit_gateway(self) -> bool {
        matches!(self, Group::TransitGateway | Group::Both)
    }
}

/// One field of a flow log record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// AWS's hyphenated name, e.g. `srcaddr`, `log-status`: the stable key everywhere.
    pub key: &'static str,
    /// The flow log version that introduced the field (6 for transit gateway fields).
    pub version: u8,
    /// Which flow logs write it.
    pub group: Group,
    /// How the value is parsed and explained.
    pub kind: Kind,
    /// A short label, e.g. "Source address".
    pub label: Text,
    /// What the field means, after AWS's documentation.
    pub meaning: Text,
}

/// Every field flowlens knows: the VPC fields in the order of AWS's documentation (versions 2 to
/// 11), then the fields only transit gateway flow logs write.
pub static FIELDS: &[FieldSpec] = &[
    FieldSpec {
        key: "version",
        version: 2,
        group: Group::Both,
        kind: Kind::Version,
        label: t!("Version", "バージョン"),
        meaning: t!(
            "The flow log version. The default format is version 2; a custom format has the highest version among its fields. Transit gateway flow logs are version 6.",
            "フローログのバージョン。デフォルト形式はバージョン 2、カスタム形式では含まれるフィールドの最大のバージョンになります。トランジットゲートウェイのフローログはバージョン 6 です。"
        ),
    },
    FieldSpec {
        key: "account-id",
        version: 2,
        group: Group::Both,
        kind: Kind::AccountId,
        label: t!("Account ID", "アカウント ID"),
        meaning: t!(
            "The AWS account ID of the owner of the source network interface. For an interface created by an AWS service (a VPC endpoint, a Network Load Balancer) it may be 'unknown'. In transit gateway flow logs, the AWS account ID of the transit gateway owner.",
            "送信元ネットワークインターフェイスの所有者の AWS アカウント ID。AWS のサービスが作成したインターフェイス（VPC エンドポイント、Network Load Balancer など）では 'unknown' になることがあります。トランジットゲートウェイのフローログでは、トランジットゲートウェイ所有者の AWS アカウント ID です。"
        ),
    },
    FieldSpec {
        key: "interface-id",
        version: 2,
        group: Group::Vpc,
        kind: Kind::InterfaceId,
        label: t!("Interface ID", "インターフェイス ID"),
        meaning: t!(
            "The ID of the network interface (ENI) whose traffic is recorded.",
            "トラフィックが記録されたネットワークインターフェイス（ENI）の ID。"
        ),
    },
    FieldSpec {
        key: "srcaddr",
        version: 2,
        group: Group::Both,
        kind: Kind::Address,
        label: t!("Source address", "送信元アドレス"),
        meaning: t!(
            "The source address of incoming traffic, or the interface's own address for outgoing traffic.",
            "受信トラフィックの送信元アドレス、または送信トラフィックではインターフェイス自身のアドレス。"
        ),
    },
    FieldSpec {
        key: "dstaddr",
        version: 2,
        group: Group::Both,
        kind: Kind::Address,
        label: t!("Destination address", "送信先アドレス"),
        meaning: t!(
            "The destination address of outgoing traffic, or the interface's own address for incoming traffic.",
            "送信トラフィックの送信先アドレス、または受信トラフィックではインターフェイス自身のアドレス。"
        ),
    },
    FieldSpec {
        key: "srcport",
        version: 2,
        group: Group::Both,
        kind: Kind::Port,
        label: t!("Source port", "送信元ポート"),
        meaning: t!(
            "The source port of the traffic.",
            "トラフィックの送信元ポート。"
        ),
    },
    FieldSpec {
        key: "dstport",
        version: 2,
        group: Group::Both,
        kind: Kind::Port,
        label: t!("Destination port", "送信先ポート"),
        meaning: t!(
            "The destination port of the traffic.",
            "トラフィックの送信先ポート。"
        ),
    },
    FieldSpec {
        key: "protocol",
        version: 2,
        group: Group::Both,
        kind: Kind::Protocol,
        label: t!("Protocol", "プロトコル"),
        meaning: t!(
            "The IANA protocol number of the traffic (6 TCP, 17 UDP, 1 ICMP, ...).",
            "トラフィックの IANA プロトコル番号（6 は TCP、17 は UDP、1 は ICMP など）。"
        ),
    },
    FieldSpec {
        key: "packets",
        version: 2,
        group: Group::Both,
        kind: Kind::Packets,
        label: t!("Packets", "パケット数"),
        meaning: t!(
            "The number of packets transferred during the flow.",
            "フロー中に転送されたパケットの数。"
        ),
    },
    FieldSpec {
        key: "bytes",
        version: 2,
        group: Group::Both,
        kind: Kind::Bytes,
        label: t!("Bytes", "バイト数"),
        meaning: t!(
            "The number of bytes transferred during the flow.",
            "フロー中に転送されたバイト数。"
        ),
    },
    FieldSpec {
        key: "start",
        version: 2,
        group: Group::Both,
        kind: Kind::Time,
        label: t!("Start", "開始時刻"),
        meaning: t!(
            "When the first packet of the flow was received within the aggregation interval (Unix seconds).",
            "集約間隔内でフローの最初のパケットを受信した時刻（Unix 秒）。"
        ),
    },
    FieldSpec {
        key: "end",
        version: 2,
        group: Group::Both,
        kind: Kind::Time,
        label: t!("End", "終了時刻"),
        meaning: t!(
            "When the last packet of the flow was received within the aggregation interval (Unix seconds).",
            "集約間隔内でフローの最後のパケットを受信した時刻（Unix 秒）。"
        ),
    },
    FieldSpec {
        key: "action",
        version: 2,
        group: Group::Vpc,
        kind: Kind::Action,
        label: t!("Action", "アクション"),
        meaning: t!(
            "ACCEPT: the traffic was allowed by the security groups and network ACLs. REJECT: it was not (REJECT also covers packets that arrive after a connection closed).",
            "ACCEPT: セキュリティグループとネットワーク ACL で許可された通信。REJECT: 許可されなかった通信（接続終了後に届いたパケットも REJECT になります）。"
        ),
    },
    FieldSpec {
        key: "log-status",
        version: 2,
        group: Group::Both,
        kind: Kind::LogStatus,
        label: t!("Log status", "ログステータス"),
        meaning: t!(
            "OK: data is logged normally. NODATA: no traffic during the aggregation interval. SKIPDATA: some records were skipped (capacity constraint or internal error).",
            "OK: 正常に記録されています。NODATA: 集約間隔中に通信がありませんでした。SKIPDATA: 一部のレコードがスキップされました（容量の制約または内部エラー）。"
        ),
    },
    // Version 3.
    FieldSpec {
        key: "vpc-id",
        version: 3,
        group: Group::Vpc,
        kind: Kind::VpcId,
        label: t!("VPC ID", "VPC の ID"),
        meaning: t!(
            "The ID of the VPC that contains the network interface for which the traffic is recorded.",
            "トラフィックが記録されるネットワークインターフェイスを含む VPC の ID。"
        ),
    },
    FieldSpec {
        key: "subnet-id",
        version: 3,
        group: Group::Vpc,
        kind: Kind::SubnetId,
        label: t!("Subnet ID", "サブネット ID"),
        meaning: t!(
            "The ID of the subnet that contains the network interface for which the traffic is recorded.",
            "トラフィックが記録されるネットワークインターフェイスを含むサブネットの ID。"
        ),
    },
    FieldSpec {
        key: "instance-id",
        version: 3,
        group: Group::Vpc,
        kind: Kind::InstanceId,
        label: t!("Instance ID", "インスタンス ID"),
        meaning: t!(
            "The ID of the instance associated with the network interface, if you own the instance. '-' for a requester-managed network interface, such as that of a NAT gateway or a transit gateway.",
            "ネットワークインターフェイスに関連付けられたインスタンスの ID（インスタンスをお客様が所有している場合）。NAT ゲートウェイやトランジットゲートウェイのネットワークインターフェイスなど、リクエスタマネージド型のネットワークインターフェイスでは '-' になります。"
        ),
    },
    FieldSpec {
        key: "tcp-flags",
        version: 3,
        group: Group::Both,
        kind: Kind::TcpFlags,
        label: t!("TCP flags", "TCP フラグ"),
        meaning: t!(
            "The bitmask of the TCP flags seen during the aggregation interval, OR-ed together: FIN 1, SYN 2, RST 4, SYN-ACK 18 (transit gateway flow logs also report PSH 8, ACK 16 and URG 32). 0 when none of them was seen; 19 is SYN-ACK and FIN, 3 is SYN and FIN.",
            "集約間隔中に見られた TCP フラグのビットマスク（論理和）: FIN は 1、SYN は 2、RST は 4、SYN-ACK は 18（トランジットゲートウェイのフローログでは PSH 8、ACK 16、URG 32 も記録されます）。いずれも見られなかった場合は 0 です。19 は SYN-ACK と FIN、3 は SYN と FIN を表します。"
        ),
    },
    FieldSpec {
        key: "type",
        version: 3,
        group: Group::Both,
        kind: Kind::TrafficType,
        label: t!("Traffic type", "トラフィックタイプ"),
        meaning: t!(
            "The type of traffic: IPv4, IPv6 or EFA (Elastic Fabric Adapter).",
            "トラフィックのタイプ: IPv4、IPv6 または EFA（Elastic Fabric Adapter）。"
        ),
    },
    FieldSpec {
        key: "pkt-srcaddr",
        version: 3,
        group: Group::Vpc,
        kind: Kind::Address,
        label: t!("Packet source address", "パケット送信元アドレス"),
        meaning: t!(
            "The packet-level (original) source IP address of the traffic. Compared with srcaddr, it tells the address of an intermediate layer the traffic flows through (a NAT gateway, a transit gateway, the node of an Amazon EKS pod) from the original source address.",
            "トラフィックのパケットレベル（元の）送信元 IP アドレス。srcaddr と比べることで、トラフィックが通過する中間レイヤー（NAT ゲートウェイ、トランジットゲートウェイ、Amazon EKS ポッドが実行されているノード）の IP アドレスと元の送信元 IP アドレスを区別できます。"
        ),
    },
    FieldSpec {
        key: "pkt-dstaddr",
        version: 3,
        group: Group::Vpc,
        kind: Kind::Address,
        label: t!("Packet destination address", "パケット送信先アドレス"),
        meaning: t!(
            "The packet-level (original) destination IP address of the traffic. Compared with dstaddr, it tells the address of an intermediate layer the traffic flows through (a NAT gateway, a transit gateway, the node of an Amazon EKS pod) from the final destination address.",
            "トラフィックのパケットレベル（元の）送信先 IP アドレス。dstaddr と比べることで、トラフィックが通過する中間レイヤー（NAT ゲートウェイ、トランジットゲートウェイ、Amazon EKS ポッドが実行されているノード）の IP アドレスと最終的な送信先 IP アドレスを区別できます。"
        ),
    },
    // Version 4.
    FieldSpec {
        key: "region",
        version: 4,
        group: Group::Both,
        kind: Kind::Region,
        label: t!("Region", "リージョン"),
        meaning: t!(
            "The Region that contains the network interface (or transit gateway) for which traffic is recorded.",
            "トラフィックが記録されるネットワークインターフェイス（またはトランジットゲートウェイ）を含むリージョン。"
        ),
    },
    FieldSpec {
        key: "az-id",
        version: 4,
        group: Group::Vpc,
        kind: Kind::AzId,
        label: t!("Availability Zone ID", "アベイラビリティーゾーン ID"),
        meaning: t!(
            "The ID of the Availability Zone that contains the network interface for which traffic is recorded. '-' when the traffic is from a sublocation.",
            "トラフィックが記録されるネットワークインターフェイスを含むアベイラビリティーゾーンの ID。トラフィックがサブロケーションからのものである場合は '-' になります。"
        ),
    },
    FieldSpec {
        key: "sublocation-type",
        version: 4,
        group: Group::Vpc,
        kind: Kind::SublocationType,
        label: t!("Sublocation type", "サブロケーションタイプ"),
        meaning: t!(
            "The type of sublocation given in sublocation-id: wavelength (a Wavelength Zone), outpost (an Outpost) or localzone (a Local Zone). '-' when the traffic is not from a sublocation.",
            "sublocation-id フィールドで返されるサブロケーションのタイプ: wavelength（Wavelength Zone）、outpost（Outpost）、localzone（ローカルゾーン）。トラフィックがサブロケーションからのものでない場合は '-' になります。"
        ),
    },
    FieldSpec {
        key: "sublocation-id",
        version: 4,
        group: Group::Vpc,
        kind: Kind::SublocationId,
        label: t!("Sublocation ID", "サブロケーション ID"),
        meaning: t!(
            "The ID of the sublocation (Wavelength Zone, Outpost or Local Zone) that contains the network interface for which traffic is recorded. '-' when the traffic is not from a sublocation.",
            "トラフィックが記録されるネットワークインターフェイスを含むサブロケーション（Wavelength Zone、Outpost、ローカルゾーン）の ID。トラフィックがサブロケーションからのものでない場合は '-' になります。"
        ),
    },
    // Version 5.
    FieldSpec {
        key: "pkt-src-aws-service",
        version: 5,
        group: Group::Both,
        kind: Kind::AwsService,
        label: t!("Packet source AWS service", "パケット送信元 AWS サービス"),
        meaning: t!(
            "The name of the subset of IP address ranges (as in ip-ranges.json: S3, EC2, AMAZON, ...) that pkt-srcaddr belongs to, if the source IP address is for an AWS service. Only one service code is shown for overlapping ranges.",
            "送信元 IP アドレスが AWS のサービスのものである場合に、pkt-srcaddr が属する IP アドレス範囲のサブセットの名前（ip-ranges.json と同じ S3、EC2、AMAZON など）。範囲が重複している場合は、サービスコードが 1 つだけ表示されます。"
        ),
    },
    FieldSpec {
        key: "pkt-dst-aws-service",
        version: 5,
        group: Group::Both,
        kind: Kind::AwsService,
        label: t!("Packet destination AWS service", "パケット送信先 AWS サービス"),
        meaning: t!(
            "The name of the subset of IP address ranges (as in ip-ranges.json: S3, EC2, AMAZON, ...) that pkt-dstaddr belongs to, if the destination IP address is for an AWS service. Only one service code is shown for overlapping ranges.",
            "送信先 IP アドレスが AWS のサービスのものである場合に、pkt-dstaddr が属する IP アドレス範囲のサブセットの名前（ip-ranges.json と同じ S3、EC2、AMAZON など）。範囲が重複している場合は、サービスコードが 1 つだけ表示されます。"
        ),
    },
    FieldSpec {
        key: "flow-direction",
        version: 5,
        group: Group::Both,
        kind: Kind::FlowDirection,
        label: t!("Flow direction", "フローの方向"),
        meaning: t!(
            "The direction of the flow with respect to the interface (or transit gateway attachment) where traffic is captured: ingress or egress.",
            "トラフィックがキャプチャされるインターフェイス（またはトランジットゲートウェイアタッチメント）を基準としたフローの方向: ingress（受信）または egress（送信）。"
        ),
    },
    FieldSpec {
        key: "traffic-path",
        version: 5,
        group: Group::Vpc,
        kind: Kind::TrafficPath,
        label: t!("Traffic path", "トラフィックパス"),
        meaning: t!(
            "The path egress traffic takes to the destination: 1 through another resource in the same VPC, 2 an internet gateway or a gateway VPC endpoint, 3 a virtual private gateway, 4 an intra-region VPC peering connection, 5 an inter-region VPC peering connection, 6 a local gateway, 7 a gateway VPC endpoint (Nitro-based instances only), 8 an internet gateway (Nitro-based instances only). '-' for ingress traffic or when none applies.",
            "送信（egress）トラフィックが送信先に到達するまでの経路: 1 は同じ VPC 内の別のリソース経由、2 はインターネットゲートウェイまたはゲートウェイ VPC エンドポイント、3 は仮想プライベートゲートウェイ、4 はリージョン内 VPC ピアリング接続、5 はリージョン間 VPC ピアリング接続、6 はローカルゲートウェイ、7 はゲートウェイ VPC エンドポイント（Nitro ベースのインスタンスのみ）、8 はインターネットゲートウェイ（Nitro ベースのインスタンスのみ）経由。受信トラフィックの場合、またはいずれにも該当しない場合は '-' になります。"
        ),
    },
    // Version 7: Amazon ECS.
    FieldSpec {
        key: "ecs-cluster-arn",
        version: 7,
        group: Group::Vpc,
        kind: Kind::EcsArn,
        label: t!("ECS cluster ARN", "ECS クラスター ARN"),
        meaning: t!(
            "The Amazon Resource Name (ARN) of the ECS cluster, if the traffic is from a running ECS task.",
            "トラフィックが実行中の ECS タスクからのものである場合、ECS クラスターの Amazon リソースネーム（ARN）。"
        ),
    },
    FieldSpec {
        key: "ecs-cluster-name",
        version: 7,
        group: Group::Vpc,
        kind: Kind::EcsName,
        label: t!("ECS cluster name", "ECS クラスター名"),
        meaning: t!(
            "The name of the ECS cluster, if the traffic is from a running ECS task.",
            "トラフィックが実行中の ECS タスクからのものである場合、ECS クラスターの名前。"
        ),
    },
    FieldSpec {
        key: "ecs-container-instance-arn",
        version: 7,
        group: Group::Vpc,
        kind: Kind::EcsArn,
        label: t!("ECS container instance ARN", "ECS コンテナインスタンス ARN"),
        meaning: t!(
            "The ARN of the ECS container instance, if the traffic is from a running ECS task on an EC2 instance. '-' when the capacity provider is AWS Fargate.",
            "トラフィックが EC2 インスタンス上で実行中の ECS タスクからのものである場合、ECS コンテナインスタンスの ARN。キャパシティープロバイダーが AWS Fargate の場合は '-' になります。"
        ),
    },
    FieldSpec {
        key: "ecs-container-instance-id",
        version: 7,
        group: Group::Vpc,
        kind: Kind::EcsId,
        label: t!("ECS container instance ID", "ECS コンテナインスタンス ID"),
        meaning: t!(
            "The ID of the ECS container instance, if the traffic is from a running ECS task on an EC2 instance. '-' when the capacity provider is AWS Fargate.",
            "トラフィックが EC2 インスタンス上で実行中の ECS タスクからのものである場合、ECS コンテナインスタンスの ID。キャパシティープロバイダーが AWS Fargate の場合は '-' になります。"
        ),
    },
    FieldSpec {
        key: "ecs-container-id",
        version: 7,
        group: Group::Vpc,
        kind: Kind::EcsId,
        label: t!("ECS container ID", "ECS コンテナ ID"),
        meaning: t!(
            "The Docker runtime ID of the container, if the traffic is from a running ECS task: of the first container when the task has one or more.",
            "トラフィックが実行中の ECS タスクからのものである場合、コンテナの Docker ランタイム ID。タスクに 1 つ以上のコンテナがある場合は、最初のコンテナの ID です。"
        ),
    },
    FieldSpec {
        key: "ecs-second-container-id",
        version: 7,
        group: Group::Vpc,
        kind: Kind::EcsId,
        label: t!("ECS second container ID", "ECS 2 番目のコンテナ ID"),
        meaning: t!(
            "The Docker runtime ID of the second container, if the traffic is from a running ECS task that has more than one container.",
            "トラフィックが複数のコンテナを持つ実行中の ECS タスクからのものである場合、2 番目のコンテナの Docker ランタイム ID。"
        ),
    },
    FieldSpec {
        key: "ecs-service-name",
        version: 7,
        group: Group::Vpc,
        kind: Kind::EcsName,
        label: t!("ECS service name", "ECS サービス名"),
        meaning: t!(
            "The name of the ECS service, if the traffic is from a running ECS task started by an ECS service; '-' when the task was not started by a service.",
            "トラフィックが ECS サービスによって開始された実行中の ECS タスクからのものである場合、ECS サービスの名前。タスクが ECS サービスによって開始されていない場合は '-' になります。"
        ),
    },
    FieldSpec {
        key: "ecs-task-definition-arn",
        version: 7,
        group: Group::Vpc,
        kind: Kind::EcsArn,
        label: t!("ECS task definition ARN", "ECS タスク定義 ARN"),
        meaning: t!(
            "The ARN of the ECS task definition, if the traffic is from a running ECS task.",
            "トラフィックが実行中の ECS タスクからのものである場合、ECS タスク定義の ARN。"
        ),
    },
    FieldSpec {
        key: "ecs-task-arn",
        version: 7,
        group: Group::Vpc,
        kind: Kind::EcsArn,
        label: t!("ECS task ARN", "ECS タスク ARN"),
        meaning: t!(
            "The ARN of the ECS task, if the traffic is from a running ECS task.",
            "トラフィックが実行中の ECS タスクからのものである場合、ECS タスクの ARN。"
        ),
    },
    FieldSpec {
        key: "ecs-task-id",
        version: 7,
        group: Group::Vpc,
        kind: Kind::EcsId,
        label: t!("ECS task ID", "ECS タスク ID"),
        meaning: t!(
            "The ID of the ECS task, if the traffic is from a running ECS task.",
            "トラフィックが実行中の ECS タスクからのものである場合、ECS タスクの ID。"
        ),
    },
    // Version 8.
    FieldSpec {
        key: "reject-reason",
        version: 8,
        group: Group::Vpc,
        kind: Kind::RejectReason,
        label: t!("Reject reason", "拒否理由"),
        meaning: t!(
            "Why the traffic was rejected: BPA when VPC Block Public Access blocked it; '-' for any other reason. (Secondary sources also report EC, VPC encryption controls.)",
            "トラフィックが拒否された理由: VPC ブロックパブリックアクセス（BPA）によってブロックされた場合は BPA、それ以外の理由では '-' になります（二次情報では、VPC 暗号化コントロールを表す EC も報告されています）。"
        ),
    },
    // Versions 9 to 11 (version numbers from secondary sources).
    FieldSpec {
        key: "resource-id",
        version: 9,
        group: Group::Vpc,
        kind: Kind::ResourceId,
        label: t!("Resource ID", "リソース ID"),
        meaning: t!(
            "The ID of the resource whose traffic is recorded when it is not a network interface of its own, e.g. a regional NAT gateway; interface-id is then '-'.",
            "トラフィックが記録されるリソースが独自のネットワークインターフェイスを持たない場合（リージョン NAT ゲートウェイなど）の、そのリソースの ID。この場合 interface-id は '-' になります。"
        ),
    },
    FieldSpec {
        key: "encryption-status",
        version: 10,
        group: Group::Vpc,
        kind: Kind::EncryptionStatus,
        label: t!("Encryption status", "暗号化ステータス"),
        meaning: t!(
            "Whether the traffic was encrypted in transit: 0 not encrypted, 1 encrypted by the Nitro System, 2 encrypted by the application, 3 both; '-' when unknown.",
            "トラフィックが転送中に暗号化されていたかどうか: 0 は暗号化なし、1 は Nitro System による暗号化、2 はアプリケーションによる暗号化、3 はその両方、不明な場合は '-' になります。"
        ),
    },
    FieldSpec {
        key: "instance-tag",
        version: 11,
        group: Group::Vpc,
        kind: Kind::Tag,
        label: t!("Instance tag", "インスタンスタグ"),
        meaning: t!(
            "A tag of the instance, chosen when the flow log was created; percent-encoded UTF-8.",
            "フローログの作成時に選択したインスタンスのタグ。UTF-8 をパーセントエンコードした値です。"
        ),
    },
    FieldSpec {
        key: "instance-tag-2",
        version: 11,
        group: Group::Vpc,
        kind: Kind::Tag,
        label: t!("Instance tag 2", "インスタンスタグ 2"),
        meaning: t!(
            "A second tag of the instance, chosen when the flow log was created; percent-encoded UTF-8.",
            "フローログの作成時に選択したインスタンスの 2 つ目のタグ。UTF-8 をパーセントエンコードした値です。"
        ),
    },
    FieldSpec {
        key: "interface-tag",
        version: 11,
        group: Group::Vpc,
        kind: Kind::Tag,
        label: t!("Interface tag", "インターフェイスタグ"),
        meaning: t!(
            "A tag of the network interface, chosen when the flow log was created; percent-encoded UTF-8.",
            "フローログの作成時に選択したネットワークインターフェイスのタグ。UTF-8 をパーセントエンコードした値です。"
        ),
    },
    FieldSpec {
        key: "interface-tag-2",
        version: 11,
        group: Group::Vpc,
        kind: Kind::Tag,
        label: t!("Interface tag 2", "インターフェイスタグ 2"),
        meaning: t!(
            "A second tag of the network interface, chosen when the flow log was created; percent-encoded UTF-8.",
            "フローログの作成時に選択したネットワークインターフェイスの 2 つ目のタグ。UTF-8 をパーセントエンコードした値です。"
        ),
    },
    FieldSpec {
        key: "asg-tag",
        version: 11,
        group: Group::Vpc,
        kind: Kind::Tag,
        label: t!("Auto Scaling group tag", "Auto Scaling グループタグ"),
        meaning: t!(
            "A tag of the instance's Auto Scaling group, chosen when the flow log was created; percent-encoded UTF-8.",
            "フローログの作成時に選択した、インスタンスの Auto Scaling グループのタグ。UTF-8 をパーセントエンコードした値です。"
        ),
    },
    FieldSpec {
        key: "asg-tag-2",
        version: 11,
        group: Group::Vpc,
        kind: Kind::Tag,
        label: t!("Auto Scaling group tag 2", "Auto Scaling グループタグ 2"),
        meaning: t!(
            "A second tag of the instance's Auto Scaling group, chosen when the flow log was created; percent-encoded UTF-8.",
            "フローログの作成時に選択した、インスタンスの Auto Scaling グループの 2 つ目のタグ。UTF-8 をパーセントエンコードした値です。"
        ),
    },
    FieldSpec {
        key: "interface-type",
        version: 11,
        group: Group::Vpc,
        kind: Kind::InterfaceType,
        label: t!("Interface type", "インターフェイスタイプ"),
        meaning: t!(
            "The type of the network interface whose traffic is recorded, e.g. nat_gateway, network_load_balancer, regional_nat_gateway, transit_gateway, vpc_endpoint.",
            "トラフィックが記録されるネットワークインターフェイスのタイプ（nat_gateway、network_load_balancer、regional_nat_gateway、transit_gateway、vpc_endpoint など）。"
        ),
    },
    FieldSpec {
        key: "next-hop-interface-id",
        version: 11,
        group: Group::Vpc,
        kind: Kind::InterfaceId,
        label: t!("Next-hop interface ID", "ネクストホップのインターフェイス ID"),
        meaning: t!(
            "The ID of the network interface of the next hop the traffic is sent to.",
            "トラフィックの送信先となるネクストホップのネットワークインターフェイスの ID。"
        ),
    },
    FieldSpec {
        key: "next-hop-subnet-id",
        version: 11,
        group: Group::Vpc,
        kind: Kind::SubnetId,
        label: t!("Next-hop subnet ID", "ネクストホップのサブネット ID"),
        meaning: t!(
            "The ID of the subnet of the next hop the traffic is sent to.",
            "トラフィックの送信先となるネクストホップのサブネットの ID。"
        ),
    },
    FieldSpec {
        key: "next-hop-az-id",
        version: 11,
        group: Group::Vpc,
        kind: Kind::AzId,
        label: t!("Next-hop Availability Zone ID", "ネクストホップのアベイラビリティーゾーン ID"),
        meaning: t!(
            "The ID of the Availability Zone of the next hop the traffic is sent to.",
            "トラフィックの送信先となるネクストホップのアベイラビリティーゾーンの ID。"
        ),
    },
    FieldSpec {
        key: "next-hop-vpc-id",
        version: 11,
        group: Group::Vpc,
        kind: Kind::VpcId,
        label: t!("Next-hop VPC ID", "ネクストホップの VPC ID"),
        meaning: t!(
            "The ID of the VPC of the next hop the traffic is sent to.",
            "トラフィックの送信先となるネクストホップの VPC の ID。"
        ),
    },
    FieldSpec {
        key: "next-hop-interface-type",
        version: 11,
        group: Group::Vpc,
        kind: Kind::InterfaceType,
        label: t!("Next-hop interface type", "ネクストホップのインターフェイスタイプ"),
        meaning: t!(
            "The type of the network interface of the next hop the traffic is sent to, e.g. nat_gateway, transit_gateway, vpc_endpoint.",
            "トラフィックの送信先となるネクストホップのネットワークインターフェイスのタイプ（nat_gateway、transit_gateway、vpc_endpoint など）。"
        ),
    },
    // Transit gateway flow logs (version 6).
    FieldSpec {
        key: "resource-type",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::ResourceType,
        label: t!("Resource type", "リソースタイプ"),
        meaning: t!(
            "The type of resource on which the flow log subscription is created: TransitGateway for transit gateway flow logs.",
            "フローログのサブスクリプションが作成されたリソースのタイプ。トランジットゲートウェイのフローログでは TransitGateway です。"
        ),
    },
    FieldSpec {
        key: "tgw-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::TgwId,
        label: t!("Transit gateway ID", "トランジットゲートウェイ ID"),
        meaning: t!(
            "The ID of the transit gateway for which traffic is recorded.",
            "トラフィックが記録されるトランジットゲートウェイの ID。"
        ),
    },
    FieldSpec {
        key: "tgw-attachment-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::TgwAttachmentId,
        label: t!("Transit gateway attachment ID", "トランジットゲートウェイアタッチメント ID"),
        meaning: t!(
            "The ID of the transit gateway attachment for which traffic is recorded.",
            "トラフィックが記録されるトランジットゲートウェイアタッチメントの ID。"
        ),
    },
    FieldSpec {
        key: "tgw-src-vpc-account-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::AccountId,
        label: t!("Source VPC account ID", "送信元 VPC のアカウント ID"),
        meaning: t!(
            "The AWS account ID of the source VPC traffic.",
            "送信元 VPC トラフィックの AWS アカウント ID。"
        ),
    },
    FieldSpec {
        key: "tgw-dst-vpc-account-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::AccountId,
        label: t!("Destination VPC account ID", "送信先 VPC のアカウント ID"),
        meaning: t!(
            "The AWS account ID of the destination VPC traffic.",
            "送信先 VPC トラフィックの AWS アカウント ID。"
        ),
    },
    FieldSpec {
        key: "tgw-src-vpc-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::VpcId,
        label: t!("Source VPC ID", "送信元 VPC ID"),
        meaning: t!(
            "The ID of the source VPC of the transit gateway traffic.",
            "トランジットゲートウェイのトラフィックの送信元 VPC の ID。"
        ),
    },
    FieldSpec {
        key: "tgw-dst-vpc-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::VpcId,
        label: t!("Destination VPC ID", "送信先 VPC ID"),
        meaning: t!(
            "The ID of the destination VPC of the transit gateway traffic.",
            "トランジットゲートウェイのトラフィックの送信先 VPC の ID。"
        ),
    },
    FieldSpec {
        key: "tgw-src-subnet-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::SubnetId,
        label: t!("Source subnet ID", "送信元サブネット ID"),
        meaning: t!(
            "The ID of the subnet of the transit gateway's source traffic.",
            "トランジットゲートウェイの送信元トラフィックのサブネットの ID。"
        ),
    },
    FieldSpec {
        key: "tgw-dst-subnet-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::SubnetId,
        label: t!("Destination subnet ID", "送信先サブネット ID"),
        meaning: t!(
            "The ID of the subnet of the transit gateway's destination traffic.",
            "トランジットゲートウェイの送信先トラフィックのサブネットの ID。"
        ),
    },
    FieldSpec {
        key: "tgw-src-eni",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::InterfaceId,
        label: t!("Source attachment ENI", "送信元アタッチメント ENI"),
        meaning: t!(
            "The ID of the network interface of the source transit gateway attachment of the flow.",
            "フローの送信元トランジットゲートウェイアタッチメントのネットワークインターフェイス（ENI）の ID。"
        ),
    },
    FieldSpec {
        key: "tgw-dst-eni",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::InterfaceId,
        label: t!("Destination attachment ENI", "送信先アタッチメント ENI"),
        meaning: t!(
            "The ID of the network interface of the destination transit gateway attachment of the flow.",
            "フローの送信先トランジットゲートウェイアタッチメントのネットワークインターフェイス（ENI）の ID。"
        ),
    },
    FieldSpec {
        key: "tgw-src-az-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::AzId,
        label: t!("Source Availability Zone ID", "送信元アベイラビリティーゾーン ID"),
        meaning: t!(
            "The ID of the Availability Zone of the source of the transit gateway traffic. '-' when the traffic is from a sublocation.",
            "トランジットゲートウェイのトラフィックの送信元のアベイラビリティーゾーンの ID。トラフィックがサブロケーションからのものである場合は '-' になります。"
        ),
    },
    FieldSpec {
        key: "tgw-dst-az-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::AzId,
        label: t!("Destination Availability Zone ID", "送信先アベイラビリティーゾーン ID"),
        meaning: t!(
            "The ID of the Availability Zone of the destination of the transit gateway traffic.",
            "トランジットゲートウェイのトラフィックの送信先のアベイラビリティーゾーンの ID。"
        ),
    },
    FieldSpec {
        key: "tgw-pair-attachment-id",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::TgwAttachmentId,
        label: t!("Pair attachment ID", "ペアアタッチメント ID"),
        meaning: t!(
            "Depending on the flow direction, the egress or the ingress attachment ID of the flow: the other end of tgw-attachment-id.",
            "フローの方向に応じて、フローの送信側または受信側のアタッチメント ID（tgw-attachment-id のもう一方の端）。"
        ),
    },
    FieldSpec {
        key: "packets-lost-no-route",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::PacketsLost,
        label: t!("Packets lost: no route", "損失パケット: ルートなし"),
        meaning: t!(
            "The packets the transit gateway dropped because no route matched their destination.",
            "送信先に一致するルートがないためにトランジットゲートウェイで失われたパケットの数。"
        ),
    },
    FieldSpec {
        key: "packets-lost-blackhole",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::PacketsLost,
        label: t!("Packets lost: blackhole", "損失パケット: ブラックホール"),
        meaning: t!(
            "The packets the transit gateway dropped because of a blackhole route.",
            "ブラックホールルートのためにトランジットゲートウェイで失われたパケットの数。"
        ),
    },
    FieldSpec {
        key: "packets-lost-mtu-exceeded",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::PacketsLost,
        label: t!("Packets lost: MTU exceeded", "損失パケット: MTU 超過"),
        meaning: t!(
            "The packets the transit gateway dropped because their size exceeded the MTU.",
            "サイズが MTU を超えたためにトランジットゲートウェイで失われたパケットの数。"
        ),
    },
    FieldSpec {
        key: "packets-lost-ttl-expired",
        version: 6,
        group: Group::TransitGateway,
        kind: Kind::PacketsLost,
        label: t!("Packets lost: TTL expired", "損失パケット: TTL 切れ"),
        meaning: t!(
            "The packets the transit gateway dropped because their time to live (TTL) expired.",
            "有効期限（TTL）が切れたためにトランジットゲートウェイで失われたパケットの数。"
        ),
    },
];

/// The default format: the 14 version-2 fields, in AWS's order.
pub const DEFAULT_FORMAT: [&str; 14] = [
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

/// The default format of transit gateway flow logs: 36 fields, in AWS's order.
pub const TGW_DEFAULT_FORMAT: [&str; 36] = [
    "version",
    "resource-type",
    "account-id",
    "tgw-id",
    "tgw-attachment-id",
    "tgw-src-vpc-account-id",
    "tgw-dst-vpc-account-id",
    "tgw-src-vpc-id",
    "tgw-dst-vpc-id",
    "tgw-src-subnet-id",
    "tgw-dst-subnet-id",
    "tgw-src-eni",
    "tgw-dst-eni",
    "tgw-src-az-id",
    "tgw-dst-az-id",
    "tgw-pair-attachment-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "log-status",
    "type",
    "packets-lost-no-route",
    "packets-lost-blackhole",
    "packets-lost-mtu-exceeded",
    "packets-lost-ttl-expired",
    "tcp-flags",
    "region",
    "flow-direction",
    "pkt-src-aws-service",
    "pkt-dst-aws-service",
];

/// An index into [`FIELDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u16);

impl FieldId {
    /// The field named `key`, found at compile time (a name not in [`FIELDS`] fails the build).
    pub const fn named(key: &str) -> FieldId {
        let mut i = 0;
        while i < FIELDS.len() {
            if same_bytes(FIELDS[i].key.as_bytes(), key.as_bytes()) {
                return FieldId(i as u16);
            }
            i += 1;
        }
        panic!("no such field")
    }

    /// The field's AWS name.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// The field's spec.
    pub fn spec(self) -> &'static FieldSpec {
        &FIELDS[self.0 as usize]
    }
}

const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The fields the code reads by name, as [`FieldId`]s.
pub mod id {
    use super::FieldId;
    /// `version`
    pub const VERSION: FieldId = FieldId::named("version");
    /// `account-id`
    pub const ACCOUNT_ID: FieldId = FieldId::named("account-id");
    /// `interface-id`
    pub const INTERFACE_ID: FieldId = FieldId::named("interface-id");
    /// `instance-id`
    pub const INSTANCE_ID: FieldId = FieldId::named("instance-id");
    /// `srcaddr`
    pub const SRCADDR: FieldId = FieldId::named("srcaddr");
    /// `dstaddr`
    pub const DSTADDR: FieldId = FieldId::named("dstaddr");
    /// `pkt-srcaddr`
    pub const PKT_SRCADDR: FieldId = FieldId::named("pkt-srcaddr");
    /// `pkt-dstaddr`
    pub const PKT_DSTADDR: FieldId = FieldId::named("pkt-dstaddr");
    /// `srcport`
    pub const SRCPORT: FieldId = FieldId::named("srcport");
    /// `dstport`
    pub const DSTPORT: FieldId = FieldId::named("dstport");
    /// `protocol`
    pub const PROTOCOL: FieldId = FieldId::named("protocol");
    /// `packets`
    pub const PACKETS: FieldId = FieldId::named("packets");
    /// `bytes`
    pub const BYTES: FieldId = FieldId::named("bytes");
    /// `start`
    pub const START: FieldId = FieldId::named("start");
    /// `end`
    pub const END: FieldId = FieldId::named("end");
    /// `action`
    pub const ACTION: FieldId = FieldId::named("action");
    /// `log-status`
    pub const LOG_STATUS: FieldId = FieldId::named("log-status");
    /// `flow-direction`
    pub const FLOW_DIRECTION: FieldId = FieldId::named("flow-direction");
}

/// The field with AWS name `key` (`srcaddr`, `log-status`); `${key}` is accepted too.
pub fn field_id(key: &str) -> Option<FieldId> {
    let key = key
        .strip_prefix("${")
        .and_then(|k| k.strip_suffix('}'))
        .unwrap_or(key);
    FIELDS
        .iter()
        .position(|f| f.key == key)
        .map(|i| FieldId(i as u16))
}

/// The spec of field `key`.
pub fn spec(key: &str) -> Option<&'static FieldSpec> {
    field_id(key).map(FieldId::spec)
}

/// A field spec in one language, as the page's field reference and the docs show it.
#[derive(Clone, Debug, Serialize)]
pub struct FieldSpecView {
    /// AWS's name.
    pub key: &'static str,
    /// Label in the chosen language.
    pub label: &'static str,
    /// Value kind.
    pub kind: Kind,
    /// Version that introduced the field.
    pub version: u8,
    /// Which flow logs write it.
    pub group: Group,
    /// Meaning in the chosen language.
    pub meaning: &'static str,
}

/// The whole table in `lang`.
pub fn field_specs(lang: Lang) -> Vec<FieldSpecView> {
    FIELDS
        .iter()
        .map(|f| FieldSpecView {
            key: f.key,
            label: f.label.get(lang),
            kind: f.kind,
            version: f.version,
            group: f.group,
            meaning: f.meaning.get(lang),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_format_fields_are_all_specified_in_order() {
        let ids: Vec<u16> = DEFAULT_FORMAT
            .iter()
            .map(|k| field_id(k).expect(k).0)
            .collect();
        assert_eq!(ids, (0..14).collect::<Vec<u16>>());
    }

    #[test]
    fn transit_gateway_default_format_is_specified_and_transit_gateway_fields() {
        for k in TGW_DEFAULT_FORMAT {
            let f = spec(k).expect(k);
            assert!(f.group.in_transit_gateway(), "{k}");
        }
        let mut sorted = TGW_DEFAULT_FORMAT.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 36);
        // No action, no interface-id in transit gateway records.
        assert!(!spec("action").unwrap().group.in_transit_gateway());
        assert!(!spec("interface-id").unwrap().group.in_transit_gateway());
    }

    #[test]
    fn counts_by_group_and_version() {
        let vpc = FIELDS.iter().filter(|f| f.group.in_vpc()).count();
        let tgw_only = FIELDS
            .iter()
            .filter(|f| f.group == Group::TransitGateway)
            .count();
        assert_eq!(vpc, 54);
        assert_eq!(tgw_only, 18);
        assert_eq!(FIELDS.len(), 72);
        let per_version = |v: u8| {
            FIELDS
                .iter()
                .filter(|f| f.group.in_vpc() && f.version == v)
                .count()
        };
        let counts: Vec<usize> = (2..=11).map(per_version).collect();
        assert_eq!(counts, [14, 7, 4, 4, 0, 10, 1, 1, 1, 12]);
        assert!(FIELDS
            .iter()
            .filter(|f| f.group == Group::TransitGateway)
            .all(|f| f.version == 6));
    }

    #[test]
    fn keys_are_unique_and_texts_are_bilingual() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(FIELDS[i + 1..].iter().all(|g| g.key != f.key), "{}", f.key);
            for text in [f.label, f.meaning] {
                assert!(!text.en.is_empty() && !text.ja.is_empty(), "{}", f.key);
                assert_ne!(text.en, text.ja, "{}", f.key);
            }
            for g in &FIELDS[i + 1..] {
                assert_ne!(f.label.en, g.label.en, "{} {}", f.key, g.key);
                assert_ne!(f.label.ja, g.label.ja, "{} {}", f.key, g.key);
                assert_ne!(f.meaning.en, g.meaning.en, "{} {}", f.key, g.key);
                assert_ne!(f.meaning.ja, g.meaning.ja, "{} {}", f.key, g.key);
            }
        }
    }

    #[test]
    fn integer_kinds() {
        assert!(Kind::TcpFlags.is_integer());
        assert!(Kind::PacketsLost.is_integer());
        assert!(!Kind::VpcId.is_integer());
        assert!(!Kind::AccountId.is_integer());
    }

    #[test]
    fn format_string_syntax_is_accepted() {
        assert_eq!(field_id("${srcaddr}"), field_id("srcaddr"));
        assert_eq!(
            field_id("${tgw-attachment-id}"),
            field_id("tgw-attachment-id")
        );
        assert_eq!(field_id("nope"), None);
    }
}
