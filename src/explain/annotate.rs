//! One field's annotation: `{text, value, raw, ...typed extras}`, driven by the field's kind.

use super::{grouped, plural, protocol_word, AddrInfo, Context, RecordRef};
use crate::classify::port::{self, Transport};
use crate::classify::protocol;
use crate::fields::Kind;
use crate::lang::Lang;
use crate::time;
use crate::value::Value;
use serde_json::{json, Value as Json};

fn port_annotation(port: u64, transport: Option<Transport>, raw: &str, lang: Lang) -> Json {
    let Ok(p) = u16::try_from(port) else {
        return json!({"text": "", "value": port.to_string(), "raw": raw, "service": null});
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
                "{} のエフェメラルポート範囲にあり、通常は接続のクライアント側です。",
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
    json!({
        "text": text,
        "value": value,
        "raw": raw,
        "service": service.map(|s| s.name),
        "common": service.and_then(|s| s.common),
        "description": service.map(|s| s.description),
        "class": class,
        "ephemeral": ephemeral.iter().map(|r| r.key).collect::<Vec<_>>(),
    })
}

fn absent_annotation(lang: Lang) -> Json {
    json!({
        "text": match lang {
            Lang::En => "'-': not applicable or not computed for this record (as in NODATA and SKIPDATA records).",
            Lang::Ja => "'-': このレコードでは該当なし、または計算されていません（NODATA や SKIPDATA のレコードなど）。",
        },
        "value": "—",
        "raw": "-",
    })
}

/// The annotation of field `key` (of kind `kind`) with value `value` and raw token `raw`.
pub fn annotate(
    key: &str,
    kind: Kind,
    value: &Value,
    raw: &str,
    rec: &RecordRef<'_>,
    ctx: &Context<'_>,
    lang: Lang,
) -> Json {
    let en = lang == Lang::En;
    match (kind, value) {
        (_, Value::Absent) => absent_annotation(lang),
        (Kind::Version, Value::UInt(v)) => json!({
            "text": if en {
                format!("Flow log format version {v}{}.", if *v == 2 { ": the default format's 14 fields" } else { "" })
            } else {
                format!("フローログ形式のバージョン {v}{}。", if *v == 2 { "（デフォルト形式の 14 フィールド）" } else { "" })
            },
            "value": v.to_string(),
            "raw": raw,
        }),
        (Kind::AccountId, Value::Text(a)) => json!({
            "text": match (a.as_ref(), en) {
                ("unknown", true) => "The owner is unknown: the interface was created by an AWS service (e.g. a VPC endpoint or a Network Load Balancer).".to_string(),
                ("unknown", false) => "所有者は不明です。AWS のサービス（VPC エンドポイントや Network Load Balancer など）が作成したインターフェイスです。".to_string(),
                (_, true) => format!("AWS account {a} owns the network interface."),
                (_, false) => format!("ネットワークインターフェイスは AWS アカウント {a} が所有しています。"),
            },
            "value": a.as_ref(),
            "raw": raw,
        }),
        (Kind::InterfaceId, Value::Text(id)) => json!({
            "text": if en {
                format!("Traffic of elastic network interface {id}.")
            } else {
                format!("Elastic Network Interface {id} のトラフィックです。")
            },
            "value": id.as_ref(),
            "raw": raw,
        }),
        (Kind::Address, Value::Addr(ip)) => AddrInfo::new(*ip, ctx).annotation(raw, lang),
        (Kind::Port, Value::UInt(p)) => match rec.portless_protocol() {
            Some(proto) => json!({
                "text": if en {
                    format!("{} has no ports; flow logs record {p} here.", protocol_word(&proto))
                } else {
                    format!("{} にはポートがないため、フローログではここに {p} が記録されます。", protocol_word(&proto))
                },
                "value": "—",
                "raw": raw,
                "service": null,
            }),
            None => port_annotation(*p, rec.transport(), raw, lang),
        },
        (Kind::Protocol, Value::UInt(n)) => {
            let p = u8::try_from(*n).map(protocol::protocol).ok();
            let (keyword, name) = p.map(|p| (p.keyword, p.name)).unwrap_or(("", ""));
            json!({
                "text": if en {
                    format!("IANA protocol number {n}: {} ({name}).", if keyword.is_empty() { "no keyword" } else { keyword })
                } else {
                    format!("IANA プロトコル番号 {n}: {}（{name}）。", if keyword.is_empty() { "キーワードなし" } else { keyword })
                },
                "value": if keyword.is_empty() { n.to_string() } else { keyword.to_string() },
                "raw": raw,
                "keyword": keyword,
                "name": name,
            })
        }
        (Kind::Packets, Value::UInt(n)) => json!({
            "text": if en {
                format!("{} transferred in this flow during the aggregation interval.", plural(*n, "packet", "packets"))
            } else {
                format!("集約間隔中にこのフローで {} 個のパケットが転送されました。", grouped(*n))
            },
            "value": grouped(*n),
            "raw": raw,
        }),
        (Kind::Bytes, Value::UInt(n)) => json!({
            "text": if en {
                format!("{} transferred in this flow (IP headers included).", plural(*n, "byte", "bytes"))
            } else {
                format!("このフローで {} バイトが転送されました（IP ヘッダーを含む）。", grouped(*n))
            },
            "value": if en { plural(*n, "byte", "bytes") } else { format!("{} バイト", grouped(*n)) },
            "raw": raw,
        }),
        (Kind::Time, Value::UInt(t)) => {
            let utc = time::utc(*t);
            let is_end = key == "end";
            let window = rec
                .uint("start")
                .filter(|_| is_end)
                .and_then(|s| t.checked_sub(s));
            let mut text = match (is_end, en) {
                (false, true) => {
                    format!("First packet of the flow in the aggregation interval: {utc}.")
                }
                (false, false) => format!("集約間隔内でのフローの最初のパケット: {utc}。"),
                (true, true) => {
                    format!("Last packet of the flow in the aggregation interval: {utc}.")
                }
                (true, false) => format!("集約間隔内でのフローの最後のパケット: {utc}。"),
            };
            if let Some(w) = window {
                text.push_str(&if en {
                    format!(" The window lasted {}.", time::duration(w, lang))
                } else {
                    format!("時間幅は {}です。", time::duration(w, lang))
                });
            }
            json!({"text": text, "value": utc, "raw": raw, "utc": utc, "duration_s": window})
        }
        (Kind::Action, Value::Text(a)) => json!({
            "text": match (a.as_ref(), en) {
                ("ACCEPT", true) => "Accepted: the security groups and network ACLs allowed this traffic.",
                ("ACCEPT", false) => "許可: セキュリティグループとネットワーク ACL がこの通信を許可しました。",
                (_, true) => "Rejected: a security group or network ACL denied this traffic (or packets arrived after the connection closed).",
                (_, false) => "拒否: セキュリティグループまたはネットワーク ACL がこの通信を拒否しました（または接続終了後にパケットが届きました）。",
            },
            "value": a.as_ref(),
            "raw": raw,
        }),
        (Kind::LogStatus, Value::Text(s)) => json!({
            "text": match (s.as_ref(), en) {
                ("OK", true) => "OK: data is logging normally.",
                ("OK", false) => "OK: データは正常に記録されています。",
                ("NODATA", true) => "NODATA: there was no network traffic to or from the interface during the aggregation interval.",
                ("NODATA", false) => "NODATA: 集約間隔中、このインターフェイスとの間のネットワークトラフィックはありませんでした。",
                (_, true) => "SKIPDATA: some flow log records were skipped during the aggregation interval (an internal capacity constraint or error).",
                (_, false) => "SKIPDATA: 集約間隔中に一部のフローログレコードがスキップされました（内部の容量制約またはエラー）。",
            },
            "value": s.as_ref(),
            "raw": raw,
        }),
        // A value of another shape than its kind cannot come out of the parser; show it raw.
        _ => json!({"text": "", "value": raw, "raw": raw}),
    }
}
