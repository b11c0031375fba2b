//! One field's annotation: `{text, value, raw, ...typed extras}`, driven by the field's kind.

use super::codes;
use super::entry::{Annotation, Extras, PortDetail, PortExtras, Seconds, TimeExtras};
use super::{
    grouped, plural, protocol_word, region_long, AddrInfo, Context, InputFacts, RecordExt,
    RecordRef,
};
use crate::classify::aws::regions;
use crate::classify::port::{self, Transport};
use crate::classify::protocol;
use crate::classify::roles::Role;
use crate::model::fields::id;
use crate::model::fields::{self, Kind};
use crate::model::value::{percent_decode, ValueRef};
use crate::t;
use crate::text::time;
use crate::text::{Lang, Text};

/// A port's annotation: `service: null` and nothing more for a number beyond 65535.
fn port_annotation(port: u64, transport: Option<Transport>, raw: &str, lang: Lang) -> Annotation {
    let Ok(p) = u16::try_from(port) else {
        return Annotation::new("", port.to_string(), raw).with(Extras::Port(PortExtras {
            service: None,
            port: None,
        }));
    };
    let service = match transport {
        Some(t) => port::service(p, t),
        None => port::service_any(p),
    };
    let proto = transport.map(|t| match t {
        Transport::Tcp => "TCP",
        Transport::Udp => "UDP",
        Transport::Sctp => "SCTP",
        Transport::Dccp => "DCCP",
    });
    let on = proto.map(|p| format!(" ({p})")).unwrap_or_default();
    let class = port::port_class(p);
    let ephemeral = port::ephemeral_ranges(p);
    let mut text = match (&service, lang) {
        (Some(s), Lang::En) => format!(
            "Port {p}{on}: {}, IANA service '{}' ({}).",
            s.common.unwrap_or(s.name),
            s.name,
            s.description
        ),
        (Some(s), Lang::Ja) => format!(
            "ポート {p}{on}: {}。IANA サービス名 '{}'（{}）。",
            s.common.unwrap_or(s.name),
            s.name,
            s.description
        ),
        (None, Lang::En) => format!("Port {p}{on}: no service registered with IANA."),
        (None, Lang::Ja) => {
            format!("ポート {p}{on}: IANA に登録されたサービスはありません。")
        }
    };
    if lang == Lang::En {
        text.push(' ');
    }
    text.push_str(&match lang {
        Lang::En => format!("A {}.", class.label().en),
        Lang::Ja => format!("{}です。", class.label().ja),
    });
    let eph: Vec<&str> = ephemeral
        .iter()
        .filter(|r| r.key != "aws-nacl" || service.is_none())
        .map(|r| r.label.get(lang))
        .collect();
    if !eph.is_empty() && (service.is_none() || p >= 32768) {
        if lang == Lang::En {
            text.push(' ');
        }
        text.push_str(&match lang {
            Lang::En => format!(
                "In the ephemeral range of {}: usually the client side of the connection.",
                eph.join("; ")
            ),
            Lang::Ja => format!(
                "{}のエフェメラルポート範囲にあり、通常は接続のクライアント側です。",
                eph.join("、")
            ),
        });
    }
    let value = match (&service, eph.is_empty(), lang) {
        (Some(s), _, _) => s.common.unwrap_or(s.name).to_string(),
        (None, false, Lang::En) => "ephemeral".into(),
        (None, false, Lang::Ja) => "エフェメラル".into(),
        (None, true, _) => "—".into(),
    };
    Annotation::new(text, value, raw).with(Extras::Port(PortExtras {
        service: service.map(|s| s.name),
        port: Some(PortDetail {
            common: service.and_then(|s| s.common),
            description: service.map(|s| s.description),
            class,
            ephemeral: ephemeral.iter().map(|r| r.key).collect(),
        }),
    }))
}

/// What `-` means in field `key` when it says more than "not applicable".
fn absent_reason(key: &str) -> Option<Text> {
    Some(match key {
        "instance-id" => t!(
            "no instance of yours: the network interface is requester-managed (a NAT gateway, a transit gateway, a VPC endpoint, a load balancer, ...), or the record has no data.",
            "お客様のインスタンスはありません。リクエスタマネージド型のネットワークインターフェイス（NAT ゲートウェイ、トランジットゲートウェイ、VPC エンドポイント、ロードバランサーなど）であるか、データのないレコードです。"
        ),
        "interface-id" => t!(
            "no network interface: the traffic is recorded for a resource without one of its own (see resource-id), or the record has no data.",
            "ネットワークインターフェイスはありません。独自のネットワークインターフェイスを持たないリソースのトラフィック（resource-id を参照）であるか、データのないレコードです。"
        ),
        "ecs-container-instance-arn" | "ecs-container-instance-id" => t!(
            "no container instance: the task runs on AWS Fargate (Fargate has no container instances), or the traffic is not from an ECS task.",
            "コンテナインスタンスはありません。タスクが AWS Fargate で実行されている（Fargate にはコンテナインスタンスがありません）か、トラフィックが ECS タスクからのものではありません。"
        ),
        "ecs-service-name" => t!(
            "the task was not started by an ECS service, or the traffic is not from an ECS task.",
            "タスクは ECS サービスによって開始されていないか、トラフィックが ECS タスクからのものではありません。"
        ),
        "ecs-second-container-id" => t!(
            "the task has a single container, or the traffic is not from an ECS task.",
            "タスクのコンテナが 1 つだけであるか、トラフィックが ECS タスクからのものではありません。"
        ),
        k if k.starts_with("ecs-") => t!(
            "the traffic is not from a running ECS task.",
            "トラフィックは実行中の ECS タスクからのものではありません。"
        ),
        "az-id" => t!(
            "the traffic is from a sublocation (see sublocation-id), or the record has no data.",
            "トラフィックはサブロケーションからのものである（sublocation-id を参照）か、データのないレコードです。"
        ),
        "sublocation-type" | "sublocation-id" => t!(
            "the traffic is not from a sublocation (Wavelength Zone, Outpost or Local Zone).",
            "トラフィックはサブロケーション（Wavelength Zone、Outpost、ローカルゾーン）からのものではありません。"
        ),
        "pkt-src-aws-service" | "pkt-dst-aws-service" => t!(
            "the address is not in the ranges AWS publishes for its services.",
            "アドレスは AWS がサービス用に公開している範囲に含まれません。"
        ),
        "traffic-path" => t!(
            "the traffic is ingress (traffic-path is given for egress only), or none of the paths applies.",
            "受信（ingress）トラフィックである（traffic-path は送信トラフィックにのみ記録されます）か、どの経路にも該当しません。"
        ),
        "reject-reason" => t!(
            "the traffic was accepted, or rejected for a reason other than VPC Block Public Access (security groups, network ACLs, ...).",
            "トラフィックは許可されたか、VPC ブロックパブリックアクセス以外の理由（セキュリティグループ、ネットワーク ACL など）で拒否されました。"
        ),
        "encryption-status" => t!(
            "whether the traffic was encrypted is not known.",
            "トラフィックが暗号化されていたかどうかは不明です。"
        ),
        "resource-id" => t!(
            "the traffic is recorded for the network interface in interface-id.",
            "トラフィックは interface-id のネットワークインターフェイスについて記録されています。"
        ),
        "instance-tag" | "instance-tag-2" | "interface-tag" | "interface-tag-2" | "asg-tag"
        | "asg-tag-2" => t!(
            "the resource has no such tag (or no such resource is involved).",
            "リソースにそのタグがない（または該当するリソースがない）ことを示します。"
        ),
        k if k.starts_with("next-hop-") => t!(
            "no next hop is recorded for this traffic.",
            "このトラフィックにはネクストホップが記録されていません。"
        ),
        k if k.starts_with("tgw-src-") || k.starts_with("tgw-dst-") => t!(
            "that end of the flow is not a VPC attachment (e.g. a VPN, AWS Direct Connect or peering attachment), or it is in a sublocation.",
            "フローのその端は VPC アタッチメントではない（VPN、AWS Direct Connect、ピアリングのアタッチメントなど）か、サブロケーションにあります。"
        ),
        _ => return None,
    })
}

fn absent_annotation(key: &str, lang: Lang) -> Annotation {
    let text = match (absent_reason(key), lang) {
        (Some(reason), _) => format!("'-': {}", reason.get(lang)),
        (None, Lang::En) => "'-': not applicable or not computed for this record (as in NODATA and SKIPDATA records).".to_string(),
        (None, Lang::Ja) => "'-': このレコードでは該当なし、または計算されていません（NODATA や SKIPDATA のレコードなど）。".to_string(),
    };
    Annotation::new(text, "—", "-")
}

/// The sentence for an ID in field `key`, where the field's role needs saying; `{id}` is replaced.
fn id_sentence(key: &str) -> Option<Text> {
    Some(match key {
        "interface-id" => t!(
            "Traffic of elastic network interface {id}.",
            "ネットワークインターフェイス {id} のトラフィックです。"
        ),
        "next-hop-interface-id" => t!(
            "The next hop of the traffic is network interface {id}.",
            "トラフィックのネクストホップはネットワークインターフェイス {id} です。"
        ),
        "tgw-src-eni" => t!(
            "Network interface {id} of the source attachment of the transit gateway.",
            "トランジットゲートウェイの送信元アタッチメントのネットワークインターフェイス {id} です。"
        ),
        "tgw-dst-eni" => t!(
            "Network interface {id} of the destination attachment of the transit gateway.",
            "トランジットゲートウェイの送信先アタッチメントのネットワークインターフェイス {id} です。"
        ),
        "vpc-id" => t!(
            "VPC {id} contains the network interface.",
            "ネットワークインターフェイスは VPC {id} にあります。"
        ),
        "next-hop-vpc-id" => t!(
            "The next hop is in VPC {id}.",
            "ネクストホップは VPC {id} にあります。"
        ),
        "tgw-src-vpc-id" => t!(
            "The traffic came into the transit gateway from VPC {id}.",
            "トラフィックは VPC {id} からトランジットゲートウェイに入りました。"
        ),
        "tgw-dst-vpc-id" => t!(
            "The traffic went from the transit gateway to VPC {id}.",
            "トラフィックはトランジットゲートウェイから VPC {id} に向かいました。"
        ),
        "subnet-id" => t!(
            "Subnet {id} contains the network interface.",
            "ネットワークインターフェイスはサブネット {id} にあります。"
        ),
        "next-hop-subnet-id" => t!(
            "The next hop is in subnet {id}.",
            "ネクストホップはサブネット {id} にあります。"
        ),
        "tgw-src-subnet-id" => t!(
            "The source attachment's network interface is in subnet {id}.",
            "送信元アタッチメントのネットワークインターフェイスはサブネット {id} にあります。"
        ),
        "tgw-dst-subnet-id" => t!(
            "The destination attachment's network interface is in subnet {id}.",
            "送信先アタッチメントのネットワークインターフェイスはサブネット {id} にあります。"
        ),
        "az-id" => t!(
            "The network interface is in Availability Zone {id}",
            "ネットワークインターフェイスはアベイラビリティーゾーン {id} にあります"
        ),
        "next-hop-az-id" => t!(
            "The next hop is in Availability Zone {id}",
            "ネクストホップはアベイラビリティーゾーン {id} にあります"
        ),
        "tgw-src-az-id" => t!(
            "The source of the transit gateway traffic is in Availability Zone {id}",
            "トランジットゲートウェイのトラフィックの送信元はアベイラビリティーゾーン {id} にあります"
        ),
        "tgw-dst-az-id" => t!(
            "The destination of the transit gateway traffic is in Availability Zone {id}",
            "トランジットゲートウェイのトラフィックの送信先はアベイラビリティーゾーン {id} にあります"
        ),
        "tgw-src-vpc-account-id" => t!(
            "AWS account {id} owns the source VPC.",
            "送信元 VPC は AWS アカウント {id} が所有しています。"
        ),
        "tgw-dst-vpc-account-id" => t!(
            "AWS account {id} owns the destination VPC.",
            "送信先 VPC は AWS アカウント {id} が所有しています。"
        ),
        "tgw-attachment-id" => t!(
            "The traffic was recorded at transit gateway attachment {id}.",
            "トラフィックはトランジットゲートウェイアタッチメント {id} で記録されました。"
        ),
        "tgw-pair-attachment-id" => t!(
            "The other attachment of the flow is {id} (the egress attachment of an ingress flow, the ingress attachment of an egress flow).",
            "フローのもう一方のアタッチメントは {id} です（受信フローでは送信側、送信フローでは受信側のアタッチメント）。"
        ),
        _ => return None,
    })
}

/// `{"text", "value", "raw"}` for an ID in field `key`, described by [`id_sentence`] or, failing
/// that, by the field's label.
fn id_annotation(key: &str, id: &str, raw: &str, lang: Lang) -> Annotation {
    let text = match id_sentence(key) {
        Some(s) => s.get(lang).replace("{id}", id),
        None => {
            let label = fields::spec(key).map_or(key, |f| f.label.get(lang));
            match lang {
                Lang::En => format!("{label}: {id}."),
                Lang::Ja => format!("{label}: {id}。"),
            }
        }
    };
    Annotation::new(text, id, raw)
}

/// True when the record is from a transit gateway flow log.
fn is_transit_gateway(rec: &RecordRef<'_>) -> bool {
    rec.get("resource-type").and_then(ValueRef::text) == Some("TransitGateway")
        || rec.get("tgw-id").is_some()
}

/// `{text, value, raw}` for a coded value: `known` is the code's meaning, if flowlens knows it.
fn code_annotation(
    what: Text,
    code: &str,
    known: Option<Text>,
    raw: &str,
    lang: Lang,
) -> Annotation {
    let text = match (known, lang) {
        (Some(k), Lang::En) => format!("{} {code}: {}.", what.en, k.en),
        (Some(k), Lang::Ja) => format!("{} {code}: {}。", what.ja, k.ja),
        (None, Lang::En) => format!(
            "{} {code}: a code flowlens does not know yet; shown as written.",
            what.en
        ),
        (None, Lang::Ja) => format!(
            "{} {code}: flowlens がまだ知らないコードです。記録されたとおりに表示しています。",
            what.ja
        ),
    };
    let value = known.map_or_else(|| code.to_string(), |k| k.get(lang).to_string());
    Annotation::new(text, value, raw).with(Extras::Code {
        code_name: known.map(|k| k.get(lang)),
    })
}

/// The annotation of a column whose field flowlens does not know (kept by the parser as written).
pub fn annotate_unknown(name: &str, raw: &str, lang: Lang) -> Annotation {
    let text = match (raw, lang) {
        ("-", Lang::En) => format!("'{name}' is a field flowlens does not know yet; '-' usually means not applicable."),
        ("-", Lang::Ja) => format!("'{name}' は flowlens がまだ知らないフィールドです。'-' は通常、該当なしを表します。"),
        (_, Lang::En) => format!("'{name}' is a field flowlens does not know yet; its value is shown as written."),
        (_, Lang::Ja) => format!("'{name}' は flowlens がまだ知らないフィールドです。値は記録されたとおりに表示しています。"),
    };
    Annotation::new(text, raw, raw).with(Extras::Unknown { unknown: true })
}

/// `"role"` and a sentence on it, for srcaddr, dstaddr, srcport and dstport.
fn add_role(ann: &mut Annotation, key: &str, rec: &RecordRef<'_>, lang: Lang) {
    let role = rec.role_of(key);
    ann.role = Some(role);
    let Some(role) = role else { return };
    let request = rec.roles().is_some_and(|r| r.is_request());
    let sentence = match (role, key.ends_with("addr"), lang) {
        (Role::Client, true, Lang::En) => " This end is the client of the flow.",
        (Role::Server, true, Lang::En) => " This end is the server of the flow.",
        (Role::Client, true, Lang::Ja) => "このフローのクライアント側です。",
        (Role::Server, true, Lang::Ja) => "このフローのサーバー側です。",
        _ => "",
    };
    // The srcport row says what the record is (a request or a reply); the dstport row after it
    // only says which end it is, so that the two rows do not repeat the same sentence.
    let short = key == "dstport" && rec.role_of("srcport").is_some();
    let sentence = match (role, request, lang) {
        _ if !sentence.is_empty() => sentence,
        (Role::Client, _, Lang::En) if short => " The client's end.",
        (Role::Server, _, Lang::En) if short => " The server's end.",
        (Role::Client, _, Lang::Ja) if short => "このポートはクライアント側です。",
        (Role::Server, _, Lang::Ja) if short => "このポートはサーバー側です。",
        (Role::Client, true, Lang::En) => {
            " The client's end: this record is a request, from the client to the server."
        }
        (Role::Client, false, Lang::En) => {
            " The client's end: this record is a reply, from the server to the client."
        }
        (Role::Server, true, Lang::En) => {
            " The server's end: this record is a request, from the client to the server."
        }
        (Role::Server, false, Lang::En) => {
            " The server's end: this record is a reply, from the server to the client."
        }
        (Role::Client, true, Lang::Ja) => {
            "このレコードはクライアントからサーバーへのリクエストで、このポートはクライアント側です。"
        }
        (Role::Client, false, Lang::Ja) => {
            "このレコードはサーバーからクライアントへの応答で、このポートはクライアント側です。"
        }
        (Role::Server, true, Lang::Ja) => {
            "このレコードはクライアントからサーバーへのリクエストで、このポートはサーバー側です。"
        }
        (Role::Server, false, Lang::Ja) => {
            "このレコードはサーバーからクライアントへの応答で、このポートはサーバー側です。"
        }
    };
    ann.text.push_str(sentence);
}

/// The annotation of field `key` (of kind `kind`) with value `value` and raw token `raw`;
/// `input` is what the whole input tells (the interface's own address).
#[allow(clippy::too_many_arguments)]
pub fn annotate(
    key: &str,
    kind: Kind,
    value: ValueRef<'_>,
    raw: &str,
    rec: &RecordRef<'_>,
    ctx: &Context<'_>,
    input: &InputFacts,
    lang: Lang,
) -> Annotation {
    let en = lang == Lang::En;
    match (kind, &value) {
        (_, ValueRef::Absent) => absent_annotation(key, lang),
        (Kind::Version, ValueRef::UInt(v)) => Annotation::new(
            match (*v, en) {
                (2, true) => format!("Flow log format version {v}: the default format's 14 fields."),
                (2, false) => format!("フローログ形式のバージョン {v}（デフォルト形式の 14 フィールド）。"),
                (6, true) if is_transit_gateway(rec) => format!("Flow log format version {v}: a transit gateway flow log."),
                (6, false) if is_transit_gateway(rec) => format!("フローログ形式のバージョン {v}（トランジットゲートウェイのフローログ）。"),
                (_, true) => format!("Flow log format version {v}."),
                (_, false) => format!("フローログ形式のバージョン {v}。"),
            },
            v.to_string(),
            raw,
        ),
        (Kind::AccountId, ValueRef::Text(a)) => match (*a, key) {
            (_, "tgw-src-vpc-account-id" | "tgw-dst-vpc-account-id") => {
                id_annotation(key, a, raw, lang)
            }
            (_, _) if is_transit_gateway(rec) => Annotation::new(
                if en {
                    format!("AWS account {a} owns the transit gateway.")
                } else {
                    format!("トランジットゲートウェイは AWS アカウント {a} が所有しています。")
                },
                *a,
                raw,
            ),
            ("unknown", _) => Annotation::new(
                if en {
                    "The owner is unknown: the interface was created by an AWS service (e.g. a VPC endpoint or a Network Load Balancer)."
                } else {
                    "所有者は不明です。AWS のサービス（VPC エンドポイントや Network Load Balancer など）が作成したインターフェイスです。"
                },
                *a,
                raw,
            ),
            _ => Annotation::new(
                if en {
                    format!("AWS account {a} owns the network interface.")
                } else {
                    format!("ネットワークインターフェイスは AWS アカウント {a} が所有しています。")
                },
                *a,
                raw,
            ),
        },
        (
            Kind::InterfaceId | Kind::VpcId | Kind::SubnetId | Kind::TgwAttachmentId,
            ValueRef::Text(id),
        ) => id_annotation(key, id, raw, lang),
        (Kind::InstanceId, ValueRef::Text(id)) => Annotation::new(
            if en {
                format!("EC2 instance {id} is attached to the network interface.")
            } else {
                format!("ネットワークインターフェイスは EC2 インスタンス {id} にアタッチされています。")
            },
            *id,
            raw,
        ),
        (Kind::TgwId, ValueRef::Text(id)) => Annotation::new(
            if en {
                format!("The traffic crossed transit gateway {id}.")
            } else {
                format!("トラフィックはトランジットゲートウェイ {id} を通過しました。")
            },
            *id,
            raw,
        ),
        (Kind::Address, ValueRef::Addr(ip)) => {
            let own = input.own_address(rec) == Some(*ip) && matches!(key, "srcaddr" | "dstaddr");
            let interface = rec.text(id::INTERFACE_ID).filter(|_| own);
            let mut ann = AddrInfo::new(*ip, ctx)
                .of_interface(interface)
                .annotation(raw, lang);
            if matches!(key, "srcaddr" | "dstaddr") {
                add_role(&mut ann, key, rec, lang);
            }
            let outer = match key {
                "pkt-srcaddr" => Some(("srcaddr", rec.addr(id::SRCADDR))),
                "pkt-dstaddr" => Some(("dstaddr", rec.addr(id::DSTADDR))),
                _ => None,
            };
            if let Some((outer_key, Some(outer))) = outer {
                let differs = outer != *ip;
                let note = match (differs, key == "pkt-srcaddr", en) {
                    (false, _, true) => format!(" The packet's original address is {outer_key} itself."),
                    (false, _, false) => format!("パケットの元のアドレスは {outer_key} と同じです。"),
                    (true, true, true) => format!(" The packet's original source address differs from srcaddr ({outer}): the traffic passed through an intermediate layer such as a NAT gateway or a transit gateway, or it comes from an Amazon EKS pod whose address is not its node's."),
                    (true, true, false) => format!("パケットの元の送信元アドレスは srcaddr（{outer}）と異なります。トラフィックが NAT ゲートウェイやトランジットゲートウェイなどの中間レイヤーを通過したか、ノードとは異なるアドレスを持つ Amazon EKS ポッドからのものです。"),
                    (true, false, true) => format!(" The packet's original destination address differs from dstaddr ({outer}): the traffic passed through an intermediate layer such as a NAT gateway or a transit gateway, or it goes to an Amazon EKS pod whose address is not its node's."),
                    (true, false, false) => format!("パケットの元の送信先アドレスは dstaddr（{outer}）と異なります。トラフィックが NAT ゲートウェイやトランジットゲートウェイなどの中間レイヤーを通過したか、ノードとは異なるアドレスを持つ Amazon EKS ポッド宛てです。"),
                };
                ann.text.push_str(&note);
                ann.differs = Some(differs);
            }
            ann
        }
        (Kind::Port, ValueRef::UInt(p)) => match rec.portless_protocol() {
            Some(proto) => Annotation::new(
                if en {
                    format!("{} has no ports; flow logs record {p} here.", protocol_word(&proto))
                } else {
                    format!("{} にはポートがないため、フローログではここに {p} が記録されます。", protocol_word(&proto))
                },
                "—",
                raw,
            ).with(Extras::Port(PortExtras { service: None, port: None })),
            None => {
                let mut ann = port_annotation(*p, rec.transport(), raw, lang);
                if matches!(key, "srcport" | "dstport") {
                    add_role(&mut ann, key, rec, lang);
                }
                ann
            }
        },
        (Kind::Protocol, ValueRef::UInt(n)) => {
            let p = u8::try_from(*n).map(protocol::protocol).ok();
            let (keyword, name) = p.map(|p| (p.keyword, p.name)).unwrap_or(("", ""));
            Annotation::new(
                if en {
                    format!("IANA protocol number {n}: {} ({name}).", if keyword.is_empty() { "no keyword" } else { keyword })
                } else {
                    format!("IANA プロトコル番号 {n}: {}（{name}）。", if keyword.is_empty() { "キーワードなし" } else { keyword })
                },
                if keyword.is_empty() { n.to_string() } else { keyword.to_string() },
                raw,
            ).with(Extras::Protocol { keyword, name })
        }
        (Kind::Packets, ValueRef::UInt(n)) => Annotation::new(
            if en {
                format!("{} transferred in this flow during the aggregation interval.", plural(*n, "packet", "packets"))
            } else {
                format!("集約間隔中にこのフローで {} 個のパケットが転送されました。", grouped(*n))
            },
            grouped(*n),
            raw,
        ),
        (Kind::Bytes, ValueRef::UInt(n)) => Annotation::new(
            if en {
                format!("{} transferred in this flow (IP headers included).", plural(*n, "byte", "bytes"))
            } else {
                format!("このフローで {} バイトが転送されました（IP ヘッダーを含む）。", grouped(*n))
            },
            if en { plural(*n, "byte", "bytes") } else { format!("{} バイト", grouped(*n)) },
            raw,
        ),
        (Kind::Time, ValueRef::UInt(t)) => time_annotation(key, *t, raw, rec, lang),
        (Kind::Action, ValueRef::Text(a)) => Annotation::new(
            match (*a, en) {
                ("ACCEPT", true) => "Accepted: the security groups and network ACLs allowed this traffic.",
                ("ACCEPT", false) => "許可: セキュリティグループとネットワーク ACL がこの通信を許可しました。",
                (_, true) => "Rejected: a security group or network ACL denied this traffic (or packets arrived after the connection closed).",
                (_, false) => "拒否: セキュリティグループまたはネットワーク ACL がこの通信を拒否しました（または接続終了後にパケットが届きました）。",
            },
            *a,
            raw,
        ),
        (Kind::LogStatus, ValueRef::Text(s)) => Annotation::new(
            match (*s, en) {
                ("OK", true) => "OK: data is logging normally.",
                ("OK", false) => "OK: データは正常に記録されています。",
                ("NODATA", true) => "NODATA: there was no network traffic to or from the interface during the aggregation interval.",
                ("NODATA", false) => "NODATA: 集約間隔中、このインターフェイスとの間のネットワークトラフィックはありませんでした。",
                (_, true) => "SKIPDATA: some flow log records were skipped during the aggregation interval (an internal capacity constraint or error).",
                (_, false) => "SKIPDATA: 集約間隔中に一部のフローログレコードがスキップされました（内部の容量制約またはエラー）。",
            },
            *s,
            raw,
        ),
        (Kind::TcpFlags, ValueRef::UInt(bits)) => tcp_flags_annotation(*bits, raw, lang),
        (Kind::TrafficType, ValueRef::Text(ty)) => Annotation::new(
            match (*ty, en) {
                ("IPv4", true) => "IPv4 traffic.",
                ("IPv4", false) => "IPv4 のトラフィックです。",
                ("IPv6", true) => "IPv6 traffic.",
                ("IPv6", false) => "IPv6 のトラフィックです。",
                (_, true) => "EFA traffic: Elastic Fabric Adapter, the OS-bypass interface of HPC and machine learning workloads.",
                (_, false) => "EFA のトラフィックです。Elastic Fabric Adapter は HPC や機械学習のワークロードで使われる OS バイパスのインターフェイスです。",
            },
            *ty,
            raw,
        ),
        (Kind::Region, ValueRef::Text(code)) => {
            let name = regions::region_name(code).map(|t| t.get(lang));
            Annotation::new(
                match (name, en) {
                    (Some(_), true) => format!("The traffic was recorded in Region {}.", region_long(code, lang)),
                    (Some(_), false) => format!("トラフィックはリージョン {} で記録されました。", region_long(code, lang)),
                    (None, true) => format!("The traffic was recorded in Region {code} (a Region flowlens does not know by name)."),
                    (None, false) => format!("トラフィックはリージョン {code} で記録されました（flowlens が名前を知らないリージョンです）。"),
                },
                name.unwrap_or(code),
                raw,
            ).with(Extras::Region { region_name: name })
        }
        (Kind::AzId, ValueRef::Text(id)) => {
            let region = codes::az_region(id);
            let mut text = id_sentence(key)
                .map(|s| s.get(lang).replace("{id}", id))
                .unwrap_or_else(|| id.to_string());
            text.push_str(&match (region, en) {
                (Some(r), true) => format!(", in Region {}.", region_long(r, lang)),
                (Some(r), false) => format!("。リージョンは {} です。", region_long(r, lang)),
                (None, true) => ".".to_string(),
                (None, false) => "。".to_string(),
            });
            text.push_str(if en {
                " A zone ID names the same physical zone in every account, unlike zone names such as us-east-1a."
            } else {
                "ゾーン ID は、us-east-1a のようなゾーン名とは異なり、どのアカウントでも同じ物理的なゾーンを指します。"
            });
            Annotation::new(text, *id, raw).with(Extras::AzId { region })
        }
        (Kind::SublocationType, ValueRef::Text(ty)) => {
            let what = codes::sublocation_type(ty);
            Annotation::new(
                match (what, en) {
                    (Some(w), true) => format!("The network interface is in {}.", w.en),
                    (Some(w), false) => format!("ネットワークインターフェイスは{}にあります。", w.ja),
                    (None, _) => ty.to_string(),
                },
                *ty,
                raw,
            )
        }
        (Kind::SublocationId, ValueRef::Text(id)) => {
            let ty = rec.get("sublocation-type").and_then(ValueRef::text);
            Annotation::new(
                match (ty, en) {
                    (Some(ty), true) => format!("Sublocation {id} ({ty}) contains the network interface."),
                    (Some(ty), false) => format!("ネットワークインターフェイスはサブロケーション {id}（{ty}）にあります。"),
                    (None, true) => format!("Sublocation {id} contains the network interface."),
                    (None, false) => format!("ネットワークインターフェイスはサブロケーション {id} にあります。"),
                },
                *id,
                raw,
            )
        }
        (Kind::AwsService, ValueRef::Text(code)) => {
            let name = codes::aws_service(code);
            let src = key == "pkt-src-aws-service";
            let shown = name.map_or(code.as_ref(), |n| n.get(lang));
            Annotation::new(
                match (src, en) {
                    (true, true) => format!("{code}: the packet's source address is in the ranges AWS publishes for {shown}."),
                    (false, true) => format!("{code}: the packet's destination address is in the ranges AWS publishes for {shown}."),
                    (true, false) => format!("{code}: パケットの送信元アドレスは、AWS が {shown} 用に公開している範囲にあります。"),
                    (false, false) => format!("{code}: パケットの送信先アドレスは、AWS が {shown} 用に公開している範囲にあります。"),
                },
                shown,
                raw,
            ).with(Extras::AwsService { service: code.to_string(), service_name: name.map(|n| n.get(lang)) })
        }
        (Kind::FlowDirection, ValueRef::Text(dir)) => {
            let tgw = is_transit_gateway(rec);
            Annotation::new(
                match (*dir, tgw, en) {
                    ("ingress", false, true) => "Ingress: traffic coming into the network interface.",
                    ("ingress", false, false) => "ingress: ネットワークインターフェイスへの受信トラフィックです。",
                    (_, false, true) => "Egress: traffic going out of the network interface.",
                    (_, false, false) => "egress: ネットワークインターフェイスからの送信トラフィックです。",
                    ("ingress", true, true) => "Ingress: traffic coming into the transit gateway through the attachment.",
                    ("ingress", true, false) => "ingress: アタッチメントからトランジットゲートウェイに入るトラフィックです。",
                    (_, true, true) => "Egress: traffic going out of the transit gateway through the attachment.",
                    (_, true, false) => "egress: アタッチメントからトランジットゲートウェイの外に出るトラフィックです。",
                },
                match (*dir, en) {
                    ("ingress", true) => "ingress (inbound)",
                    ("ingress", false) => "ingress（受信）",
                    (_, true) => "egress (outbound)",
                    (_, false) => "egress（送信）",
                },
                raw,
            )
        }
        (Kind::TrafficPath, ValueRef::UInt(code)) => {
            let path = codes::traffic_path(*code);
            Annotation::new(
                match (path, en) {
                    (Some(p), true) => format!("Traffic path {code}: the egress traffic left {}.", p.en),
                    (Some(p), false) => format!("トラフィックパス {code}: 送信トラフィックは{}で送信先に向かいました。", p.ja),
                    (None, true) => format!("Traffic path {code}: a code flowlens does not know yet (AWS documents 1 to 8)."),
                    (None, false) => format!("トラフィックパス {code}: flowlens がまだ知らないコードです（AWS が文書化しているのは 1～8）。"),
                },
                path.map_or_else(|| code.to_string(), |p| p.get(lang).to_string()),
                raw,
            ).with(Extras::Code { code_name: path.map(|p| p.get(lang)) })
        }
        (Kind::EcsArn, ValueRef::Text(arn)) => ecs_arn_annotation(key, arn, raw, lang),
        (Kind::EcsName | Kind::EcsId, ValueRef::Text(v)) => {
            let text = match (key, en) {
                ("ecs-cluster-name", true) => format!("ECS cluster {v}."),
                ("ecs-cluster-name", false) => format!("ECS クラスター {v}。"),
                ("ecs-service-name", true) => format!("ECS service {v} started the task."),
                ("ecs-service-name", false) => {
                    format!("タスクは ECS サービス {v} によって開始されました。")
                }
                ("ecs-container-instance-id", true) => {
                    format!("ECS container instance {v} (an EC2 instance) runs the task.")
                }
                ("ecs-container-instance-id", false) => format!(
                    "タスクは ECS コンテナインスタンス {v}（EC2 インスタンス）で実行されています。"
                ),
                ("ecs-container-id", true) => {
                    format!("Docker runtime ID of the task's first container: {v}.")
                }
                ("ecs-container-id", false) => {
                    format!("タスクの最初のコンテナの Docker ランタイム ID: {v}。")
                }
                ("ecs-second-container-id", true) => {
                    format!("Docker runtime ID of the task's second container: {v}.")
                }
                ("ecs-second-container-id", false) => {
                    format!("タスクの 2 番目のコンテナの Docker ランタイム ID: {v}。")
                }
                ("ecs-task-id", true) => format!("ECS task {v}."),
                ("ecs-task-id", false) => format!("ECS タスク {v}。"),
                (_, true) => format!("{v}."),
                (_, false) => format!("{v}。"),
            };
            Annotation::new(text, *v, raw)
        }
        (Kind::RejectReason, ValueRef::Text(code)) => {
            let known = codes::reject_reason(code);
            let mut ann = code_annotation(t!("Reject reason", "拒否理由"), code, known, raw, lang);
            if let Some(k) = known {
                ann.text = match (*code, en) {
                    ("BPA", true) => format!("BPA: {} blocked this traffic: the VPC or subnet is not allowed to reach the internet, or to be reached from it, through an internet gateway.", k.en),
                    ("BPA", false) => format!("BPA: {}によってこのトラフィックがブロックされました。この VPC またはサブネットは、インターネットゲートウェイを介したインターネットとの通信が許可されていません。", k.ja),
                    (_, true) => format!("{code}: {} rejected this traffic (unencrypted traffic where encryption is enforced; from secondary sources).", k.en),
                    (_, false) => format!("{code}: {}によってこのトラフィックが拒否されました（暗号化が必須の環境での暗号化されていないトラフィック。二次情報による）。", k.ja),
                };
            }
            ann
        }
        (Kind::ResourceId, ValueRef::Text(id)) => {
            let what = codes::resource_kind(id);
            Annotation::new(
                match (what, en) {
                    (Some(w), true) => format!("The traffic is recorded for resource {id} ({}).", w.en),
                    (Some(w), false) => format!("トラフィックはリソース {id}（{}）について記録されています。", w.ja),
                    (None, true) => format!("The traffic is recorded for resource {id}."),
                    (None, false) => format!("トラフィックはリソース {id} について記録されています。"),
                },
                *id,
                raw,
            ).with(Extras::Resource { resource: what.map(|w| w.get(lang)) })
        }
        (Kind::EncryptionStatus, ValueRef::UInt(code)) => code_annotation(
            t!("Encryption status", "暗号化ステータス"),
            &code.to_string(),
            codes::encryption_status(*code),
            raw,
            lang,
        ),
        (Kind::Tag, ValueRef::Text(tag)) => tag_annotation(key, tag, raw, lang),
        (Kind::InterfaceType, ValueRef::Text(ty)) => {
            let known = codes::interface_type(ty);
            let next_hop = key == "next-hop-interface-type";
            Annotation::new(
                match (known, next_hop, en) {
                    (Some(k), false, true) => format!("Interface type {ty}: {}.", k.en),
                    (Some(k), false, false) => format!("インターフェイスタイプ {ty}: {}。", k.ja),
                    (Some(k), true, true) => format!("The next hop is {} ({ty}).", k.en),
                    (Some(k), true, false) => format!("ネクストホップは{}です（{ty}）。", k.ja),
                    (None, _, true) => format!("Interface type {ty}: a type flowlens does not know yet; shown as written."),
                    (None, _, false) => format!("インターフェイスタイプ {ty}: flowlens がまだ知らないタイプです。記録されたとおりに表示しています。"),
                },
                known.map_or(ty.as_ref(), |k| k.get(lang)),
                raw,
            )
        }
        (Kind::ResourceType, ValueRef::Text(ty)) => Annotation::new(
            match (*ty, en) {
                ("TransitGateway", true) => "A transit gateway flow log record: it has no action and no interface-id; the tgw-* fields tell the attachments and VPCs the traffic went between.",
                ("TransitGateway", false) => "トランジットゲートウェイのフローログレコードです。action と interface-id はなく、tgw-* フィールドがトラフィックの通過したアタッチメントと VPC を示します。",
                (_, true) => "A resource type flowlens does not know yet; shown as written.",
                (_, false) => "flowlens がまだ知らないリソースタイプです。記録されたとおりに表示しています。",
            },
            *ty,
            raw,
        ),
        (Kind::PacketsLost, ValueRef::UInt(n)) => {
            let cause = codes::packets_lost_cause(key).unwrap_or(t!("other", "その他"));
            Annotation::new(
                match (*n, en) {
                    (0, true) => format!("No packets were lost in the transit gateway for this cause ({}).", cause.en),
                    (0, false) => format!("この原因（{}）でトランジットゲートウェイで失われたパケットはありません。", cause.ja),
                    (_, true) => format!("{} lost in the transit gateway: {}.", plural(*n, "packet was", "packets were"), cause.en),
                    (_, false) => format!("トランジットゲートウェイで {} 個のパケットが失われました（{}）。", grouped(*n), cause.ja),
                },
                grouped(*n),
                raw,
            ).with(Extras::PacketsLost { cause: cause.get(lang) })
        }
        // A value of another shape than its kind cannot come out of the parser; show it raw.
        _ => Annotation::new("", raw, raw),
    }
}

fn time_annotation(key: &str, t: u64, raw: &str, rec: &RecordRef<'_>, lang: Lang) -> Annotation {
    let en = lang == Lang::En;
    let utc = codes::utc_any(t);
    let millis = codes::is_millis(t);
    let is_end = key == "end";
    // The window in milliseconds when either end is in milliseconds, else in seconds.
    let window =
        rec.uint(id::START)
            .filter(|_| is_end)
            .and_then(|s| match (codes::is_millis(s), millis) {
                (false, false) => t.checked_sub(s).map(|w| (w, false)),
                (true, true) => t.checked_sub(s).map(|w| (w, true)),
                (true, false) => t.checked_mul(1000)?.checked_sub(s).map(|w| (w, true)),
                (false, true) => t.checked_sub(s.checked_mul(1000)?).map(|w| (w, true)),
            });
    let mut text = match (is_end, en) {
        (false, true) => format!("First packet of the flow in the aggregation interval: {utc}."),
        (false, false) => format!("集約間隔内でフローの最初のパケットを受信した時刻: {utc}。"),
        (true, true) => format!("Last packet of the flow in the aggregation interval: {utc}."),
        (true, false) => format!("集約間隔内でフローの最後のパケットを受信した時刻: {utc}。"),
    };
    if millis {
        text.push_str(if en {
            " The value is in milliseconds since 1970-01-01 (UTC)."
        } else {
            "値は 1970-01-01（UTC）からのミリ秒です。"
        });
    }
    if let Some((w, ms)) = window {
        let words = if ms {
            codes::duration_ms(w, lang)
        } else {
            time::duration(w, lang)
        };
        text.push_str(&if en {
            format!(" The window lasted {words}.")
        } else {
            format!("最初から最後のパケットまで {words}です。")
        });
    }
    Annotation::new(text, utc.clone(), raw).with(Extras::Time(TimeExtras {
        utc,
        unit: if millis { "ms" } else { "s" },
        duration_s: window.map(|(w, ms)| {
            if ms {
                Seconds::Fraction(w as f64 / 1000.0)
            } else {
                Seconds::Whole(w)
            }
        }),
        duration_ms: window.and_then(|(w, ms)| ms.then_some(w)),
    }))
}

fn tcp_flags_annotation(bits: u64, raw: &str, lang: Lang) -> Annotation {
    let flags = codes::tcp_flags(bits);
    let names: Vec<&str> = flags.iter().map(|(n, _)| *n).collect();
    let text = if flags.is_empty() {
        match lang {
            Lang::En => "TCP flags 0: no SYN, FIN or RST flag was seen in the aggregation interval (ACK or PSH alone, as in the middle of a connection, are reported as 0; 0 is also written for protocols other than TCP).".to_string(),
            Lang::Ja => "TCP フラグ 0: 集約間隔中に SYN、FIN、RST のいずれのフラグも見られませんでした（接続の途中のように ACK や PSH だけの場合も 0 になります。TCP 以外のプロトコルでも 0 が記録されます）。".to_string(),
        }
    } else {
        let what: Vec<String> = flags
            .iter()
            .map(|(n, m)| match lang {
                Lang::En => format!("{n} ({})", m.en),
                Lang::Ja => format!("{n}（{}）", m.ja),
            })
            .collect();
        match lang {
            Lang::En => format!(
                "TCP flags {bits} = {}, the OR of the flags seen in the aggregation interval: {}.",
                names.join(" + "),
                what.join(", ")
            ),
            Lang::Ja => format!(
                "TCP フラグ {bits} = {}。集約間隔中に見られたフラグの論理和です: {}。",
                names.join(" + "),
                what.join("、")
            ),
        }
    };
    Annotation::new(
        text,
        if names.is_empty() {
            match lang {
                Lang::En => "none".to_string(),
                Lang::Ja => "なし".to_string(),
            }
        } else {
            names.join(" + ")
        },
        raw,
    )
    .with(Extras::TcpFlags { flags: names })
}

fn ecs_arn_annotation(key: &str, arn: &str, raw: &str, lang: Lang) -> Annotation {
    // arn:partition:ecs:region:account:resource
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let region = parts.get(3).copied().filter(|r| !r.is_empty());
    let account = parts.get(4).copied().filter(|a| !a.is_empty());
    let resource = parts.get(5).copied().unwrap_or("");
    let what = match key {
        "ecs-cluster-arn" => t!("ECS cluster", "ECS クラスター"),
        "ecs-container-instance-arn" => t!("ECS container instance", "ECS コンテナインスタンス"),
        "ecs-task-definition-arn" => t!("ECS task definition", "ECS タスク定義"),
        "ecs-task-arn" => t!("ECS task", "ECS タスク"),
        _ => t!("ECS resource", "ECS リソース"),
    };
    let name = resource.split_once('/').map_or(resource, |(_, n)| n);
    let mut text = match lang {
        Lang::En => format!("{} {name}", what.en),
        Lang::Ja => format!("{} {name}", what.ja),
    };
    if let (Some(r), Some(a)) = (region, account) {
        text.push_str(&match lang {
            Lang::En => format!(", in Region {} of account {a}.", region_long(r, lang)),
            Lang::Ja => format!("（リージョン {}、アカウント {a}）。", region_long(r, lang)),
        });
    } else {
        text.push_str(if lang == Lang::En { "." } else { "。" });
    }
    Annotation::new(text, name, raw).with(Extras::EcsArn {
        region: region.map(str::to_string),
        account: account.map(str::to_string),
        resource: resource.to_string(),
    })
}

fn tag_annotation(key: &str, tag: &str, raw: &str, lang: Lang) -> Annotation {
    let label = fields::spec(key).map_or(key, |f| f.label.get(lang));
    match percent_decode(tag) {
        Some(decoded) => {
            let encoded = decoded != tag;
            let text = match (encoded, lang) {
                (true, Lang::En) => format!("{label}: '{decoded}' (percent-decoded from '{tag}')."),
                (true, Lang::Ja) => {
                    format!("{label}: '{decoded}'（'{tag}' をパーセントデコードした値）。")
                }
                (false, Lang::En) => format!("{label}: '{decoded}'."),
                (false, Lang::Ja) => format!("{label}: '{decoded}'。"),
            };
            Annotation::new(text, decoded.clone(), raw).with(Extras::Tag {
                decoded: Some(decoded.to_string()),
            })
        }
        None => Annotation::new(
            match lang {
                Lang::En => format!("{label}: '{tag}' is not valid percent-encoded UTF-8; shown as written."),
                Lang::Ja => format!("{label}: '{tag}' は正しくパーセントエンコードされた UTF-8 ではないため、記録されたとおりに表示しています。"),
            },
            tag,
            raw,
        ).with(Extras::Tag { decoded: None }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Explain;
    use crate::store::Decoded;
    use serde_json::Value as Json;

    /// The first entry's annotations, as the page's JSON.
    fn annotations(text: &str, lang: Lang) -> Json {
        let d = Decoded::decode(text);
        let e = d
            .entry_json(0, &Context::default(), lang)
            .expect("an entry");
        serde_json::to_value(e).unwrap()["annotations"].clone()
    }

    #[test]
    fn unknown_fields_are_shown_as_written() {
        let a = annotate_unknown("future-field", "xyz", Lang::En);
        assert_eq!(a.value, "xyz");
        assert_eq!(a.raw, "xyz");
        assert_eq!(a.extras, Extras::Unknown { unknown: true });
        assert!(a.text.contains("does not know yet"));
        let a = annotate_unknown("future-field", "xyz", Lang::Ja);
        assert!(a.text.contains("まだ知らない"));
        let a = annotate_unknown("future-field", "-", Lang::En);
        assert!(a.text.contains("not applicable"));
    }

    #[test]
    fn tcp_flags_in_japanese() {
        let a = annotations("srcaddr tcp-flags\n10.0.0.1 3", Lang::Ja);
        assert_eq!(a["tcp-flags"]["value"], "SYN + FIN");
        assert!(a["tcp-flags"]["text"]
            .as_str()
            .unwrap()
            .contains("接続の開始"));
        let a = annotations("srcaddr tcp-flags\n10.0.0.1 0", Lang::Ja);
        assert_eq!(a["tcp-flags"]["value"], "なし");
        assert_eq!(a["tcp-flags"]["flags"], serde_json::json!([]));
    }

    #[test]
    fn unknown_codes_are_kept_and_said_to_be_unknown() {
        let a = annotations(
            "srcaddr action reject-reason pkt-dst-aws-service interface-type resource-type\n10.0.0.1 REJECT NEWCODE NEW_SERVICE shiny_thing VpcLattice",
            Lang::En,
        );
        assert_eq!(a["reject-reason"]["value"], "NEWCODE");
        assert!(a["reject-reason"]["text"]
            .as_str()
            .unwrap()
            .contains("does not know"));
        assert_eq!(a["pkt-dst-aws-service"]["value"], "NEW_SERVICE");
        assert_eq!(a["pkt-dst-aws-service"]["service_name"], Json::Null);
        assert!(a["interface-type"]["text"]
            .as_str()
            .unwrap()
            .contains("does not know"));
        assert!(a["resource-type"]["text"]
            .as_str()
            .unwrap()
            .contains("does not know"));
    }

    #[test]
    fn encryption_controls_reject_reason() {
        let a = annotations("srcaddr action reject-reason\n10.0.0.1 REJECT EC", Lang::En);
        assert_eq!(a["reject-reason"]["code_name"], "VPC encryption controls");
        assert!(a["reject-reason"]["text"]
            .as_str()
            .unwrap()
            .contains("secondary sources"));
    }

    #[test]
    fn millisecond_start_with_second_end_is_measured_in_milliseconds() {
        let a = annotations("start end\n1744521785000 1744521793", Lang::En);
        assert_eq!(a["end"]["duration_ms"], 8000);
        assert_eq!(a["start"]["unit"], "ms");
        assert_eq!(a["end"]["unit"], "s");
        let a = annotations("start end\n1744521785500 1744521785750", Lang::Ja);
        assert!(a["end"]["text"].as_str().unwrap().contains("250 ミリ秒"));
        assert!(a["start"]["text"].as_str().unwrap().contains("ミリ秒"));
    }

    #[test]
    fn region_names_and_unknown_regions() {
        let a = annotations("srcaddr region\n10.0.0.1 eusc-de-east-1", Lang::En);
        assert!(a["region"]["region_name"].is_string());
        let a = annotations("srcaddr region\n10.0.0.1 xx-nowhere-9", Lang::En);
        assert_eq!(a["region"]["region_name"], Json::Null);
        assert_eq!(a["region"]["value"], "xx-nowhere-9");
    }
}
