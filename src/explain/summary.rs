//! The one-sentence summary of a record: who talked to whom about what, through which transit
//! gateway, and what happened.

use super::codes;
use super::{grouped, plural, protocol_word, AddrInfo, Context, InputFacts, RecordExt, RecordRef};
use crate::classify::port::{self, Transport};
use crate::classify::protocol;
use crate::classify::roles::Role;
use crate::model::fields::id;
use crate::model::value::ValueRef;
use crate::text::Lang;
use std::net::IpAddr;

/// The one-sentence summary of a record, from the record alone.
pub fn summary(rec: &RecordRef<'_>, ctx: &Context<'_>, lang: Lang) -> String {
    summary_in(rec, ctx, &InputFacts::default(), lang)
}

/// "Your instance 10.0.4.135 (eni-…)" for the interface's own address (`subject`: at the start of
/// the sentence), "your network interface" when the record says there is no instance.
fn yours(ip: IpAddr, eni: &str, no_instance: bool, subject: bool, lang: Lang) -> String {
    match (lang, no_instance) {
        (Lang::En, false) => {
            format!(
                "{} {ip} ({eni})",
                if subject {
                    "Your instance"
                } else {
                    "your instance"
                }
            )
        }
        (Lang::En, true) => format!(
            "{} {ip} ({eni})",
            if subject {
                "Your network interface"
            } else {
                "your network interface"
            }
        ),
        (Lang::Ja, false) => format!("自インスタンス {ip}（{eni}）"),
        (Lang::Ja, true) => format!("このネットワークインターフェイス {ip}（{eni}）"),
    }
}

/// The one-sentence summary of a record, with what the whole input tells (`input`): the
/// interface's own address is "your instance".
pub fn summary_in(
    rec: &RecordRef<'_>,
    ctx: &Context<'_>,
    input: &InputFacts,
    lang: Lang,
) -> String {
    let en = lang == Lang::En;
    let status = rec.text(id::LOG_STATUS);
    if matches!(status, Some("NODATA") | Some("SKIPDATA")) {
        let eni = ["interface-id", "resource-id", "tgw-attachment-id", "tgw-id"]
            .iter()
            .find_map(|k| rec.get(k).and_then(ValueRef::text))
            .unwrap_or("-");
        let window = match (rec.uint(id::START), rec.uint(id::END)) {
            (Some(s), Some(e)) if en => {
                format!(" between {} and {}", codes::utc_any(s), codes::utc_any(e))
            }
            (Some(s), Some(e)) => format!("（{} ～ {}）", codes::utc_any(s), codes::utc_any(e)),
            _ => String::new(),
        };
        return match (status, en) {
            (Some("NODATA"), true) => format!("No traffic on {eni}{window} (NODATA)."),
            (Some("NODATA"), false) => format!("{eni} には通信がありませんでした{window}（NODATA）。"),
            (_, true) => format!(
                "Records were skipped on {eni}{window} (SKIPDATA): a capacity constraint or internal error."
            ),
            (_, false) => format!(
                "{eni} のレコードがスキップされました{window}（SKIPDATA: 容量の制約または内部エラー）。"
            ),
        };
    }
    let own = input.own_address(rec);
    let eni = rec.text(id::INTERFACE_ID).unwrap_or("-");
    let no_instance = matches!(rec.get("instance-id"), Some(ValueRef::Absent));
    let describe_as = |ip: IpAddr, subject: bool| -> String {
        if own == Some(ip) {
            return yours(ip, eni, no_instance, subject, lang);
        }
        if en {
            format!("{ip} ({})", AddrInfo::new(ip, ctx).short(lang))
        } else {
            format!("{ip}（{}）", AddrInfo::new(ip, ctx).short(lang))
        }
    };
    // The packet's original addresses stand in when srcaddr/dstaddr are not in the format, and are
    // mentioned when they differ.
    let (src_ip, pkt_src) = outer_and_original(rec, "srcaddr", "pkt-srcaddr");
    let (dst_ip, pkt_dst) = outer_and_original(rec, "dstaddr", "pkt-dstaddr");
    let describe = |ip: IpAddr| describe_as(ip, false);
    let src = src_ip.map(|ip| describe_as(ip, true));
    let dst = dst_ip.map(describe);
    let proto = rec
        .uint(id::PROTOCOL)
        .and_then(|n| u8::try_from(n).ok())
        .map(protocol::protocol);
    let proto_word = proto.as_ref().map(protocol_word);
    let transport = rec.transport();
    // Ports only mean something for protocols that have them.
    let has_ports = transport.is_some();
    let sport = rec.uint(id::SRCPORT).filter(|_| has_ports);
    let dport = rec.uint(id::DSTPORT).filter(|_| has_ports);
    let roles = rec.roles().filter(|_| has_ports);
    // A reply (server to client) is worded from the server's side.
    let reply = roles.is_some_and(|r| !r.is_request());
    let dst_role = roles.map(|r| r.dst);
    let packets = rec.uint(id::PACKETS);
    let bytes = rec.uint(id::BYTES);
    let action = rec.text(id::ACTION);
    let reject_reason = rec.get("reject-reason").and_then(ValueRef::text);
    let direction = rec.text(id::FLOW_DIRECTION);
    let tgw = rec.get("tgw-id").and_then(ValueRef::text);
    let attachment = rec.get("tgw-attachment-id").and_then(ValueRef::text);
    let lost: Vec<(u64, &str)> = codes::PACKETS_LOST
        .iter()
        .filter_map(|(key, cause)| {
            let n = rec.get(key).and_then(ValueRef::uint).filter(|n| *n > 0)?;
            Some((n, cause.get(lang)))
        })
        .collect();
    // Counts come from the input: a sum past u64::MAX says the most it can, not a wrapped number.
    let lost_total = lost.iter().fold(0u64, |t, (n, _)| t.saturating_add(*n));

    if en {
        let mut s = src.unwrap_or_else(|| "A source".into());
        s.push_str(if reply { " replied with " } else { " sent " });
        match packets {
            Some(n) => {
                s.push_str(&grouped(n));
                s.push(' ');
                if let Some(p) = &proto_word {
                    s.push_str(p);
                    s.push(' ');
                }
                s.push_str(if n == 1 { "packet" } else { "packets" });
            }
            None => {
                s.push_str(&match &proto_word {
                    Some(p) => format!("{p} traffic"),
                    None => "traffic".into(),
                });
            }
        }
        if let Some(b) = bytes {
            s.push_str(&format!(" ({})", plural(b, "byte", "bytes")));
        }
        match sport {
            Some(p) if reply => s.push_str(&format!(
                " from {}",
                port_phrase(p, transport, Some(Role::Server), lang)
            )),
            Some(p) => s.push_str(&format!(" from port {p}")),
            None => {}
        }
        match (dport, &dst) {
            (Some(p), Some(d)) => s.push_str(&format!(
                " to {} at {d}",
                port_phrase(p, transport, dst_role, lang)
            )),
            (Some(p), None) => s.push_str(&format!(
                " to {}",
                port_phrase(p, transport, dst_role, lang)
            )),
            (None, Some(d)) => s.push_str(&format!(" to {d}")),
            (None, None) => {}
        }
        match (pkt_src, pkt_dst) {
            (Some(a), Some(b)) => s.push_str(&format!(
                ", originally from {} to {}",
                describe(a),
                describe(b)
            )),
            (Some(a), None) => s.push_str(&format!(", originally from {}", describe(a))),
            (None, Some(b)) => s.push_str(&format!(", originally to {}", describe(b))),
            (None, None) => {}
        }
        match direction {
            Some("ingress") => s.push_str(", inbound (ingress)"),
            Some("egress") => s.push_str(", outbound (egress)"),
            _ => {}
        }
        match (tgw, attachment) {
            (Some(t), Some(a)) => {
                s.push_str(&format!(", across transit gateway {t} via attachment {a}"))
            }
            (Some(t), None) => s.push_str(&format!(", across transit gateway {t}")),
            (None, Some(a)) => s.push_str(&format!(", via transit gateway attachment {a}")),
            (None, None) => {}
        }
        if lost_total > 0 {
            let causes: Vec<String> = lost
                .iter()
                .map(|(n, cause)| format!("{cause}: {}", grouped(*n)))
                .collect();
            s.push_str(&format!(
                "; {} lost ({})",
                plural(lost_total, "packet", "packets"),
                causes.join(", ")
            ));
        }
        match (action, reject_reason) {
            (Some("ACCEPT"), _) => s.push_str("; accepted."),
            (Some("REJECT") | None, Some("BPA")) => {
                s.push_str("; rejected by VPC Block Public Access (BPA).")
            }
            (Some("REJECT") | None, Some("EC")) => {
                s.push_str("; rejected by VPC encryption controls (EC).")
            }
            (Some("REJECT") | None, Some(code)) => {
                s.push_str(&format!("; rejected (reason {code})."))
            }
            (Some("REJECT"), None) => s.push_str("; rejected."),
            _ => s.push('.'),
        }
        s
    } else {
        let mut s = src.unwrap_or_else(|| "送信元".into());
        match sport {
            Some(p) if reply => s.push_str(&format!(
                "の {} から ",
                port_phrase(p, transport, Some(Role::Server), lang)
            )),
            _ => s.push_str("から "),
        }
        if let Some(d) = &dst {
            s.push_str(d);
            s.push_str("の ");
        }
        match dport {
            Some(p) => s.push_str(&port_phrase(p, transport, dst_role, lang)),
            None if dst.is_some() => s.truncate(s.len() - "の ".len()),
            None => s.push_str("送信先"),
        }
        s.push_str(" へ、");
        if let Some(p) = sport.filter(|_| !reply) {
            s.push_str(&format!("送信元ポート {p} から "));
        }
        if let Some(p) = &proto_word {
            s.push_str(p);
            s.push(' ');
        }
        match packets {
            Some(n) => s.push_str(&format!("パケット {} 個", grouped(n))),
            None => s.push_str("通信"),
        }
        if let Some(b) = bytes {
            s.push_str(&format!("（{} バイト）", grouped(b)));
        }
        s.push('が');
        match (tgw, attachment) {
            (Some(t), Some(a)) => s.push_str(&format!(
                "トランジットゲートウェイ {t} をアタッチメント {a} 経由で"
            )),
            (Some(t), None) => s.push_str(&format!("トランジットゲートウェイ {t} 経由で")),
            (None, Some(a)) => s.push_str(&format!(
                "トランジットゲートウェイアタッチメント {a} 経由で"
            )),
            (None, None) => {}
        }
        s.push_str(if reply {
            "応答として送信され"
        } else {
            "送信され"
        });
        let mut notes: Vec<String> = Vec::new();
        match direction {
            Some("ingress") => notes.push("受信方向".into()),
            Some("egress") => notes.push("送信方向".into()),
            _ => {}
        }
        if let Some(a) = pkt_src {
            notes.push(format!("元の送信元 {a}"));
        }
        if let Some(b) = pkt_dst {
            notes.push(format!("元の送信先 {b}"));
        }
        if !notes.is_empty() {
            s.push_str(&format!("（{}）", notes.join("、")));
        }
        if lost_total > 0 {
            let causes: Vec<String> = lost
                .iter()
                .map(|(n, cause)| format!("{cause} {}", grouped(*n)))
                .collect();
            s.push_str(&format!(
                "、{} 個のパケットが失われ（{}）",
                grouped(lost_total),
                causes.join("、")
            ));
        }
        match (action, reject_reason) {
            (Some("ACCEPT"), _) => s.push_str("、許可されました。"),
            (Some("REJECT") | None, Some("BPA")) => {
                s.push_str("、VPC ブロックパブリックアクセス（BPA）により拒否されました。")
            }
            (Some("REJECT") | None, Some("EC")) => {
                s.push_str("、VPC 暗号化コントロール（EC）により拒否されました。")
            }
            (Some("REJECT") | None, Some(code)) => {
                s.push_str(&format!("、拒否されました（理由 {code}）。"))
            }
            (Some("REJECT"), None) => s.push_str("、拒否されました。"),
            _ => s.push_str("ました。"),
        }
        crate::text::tidy_ja(&s)
    }
}

/// The address of `outer` (srcaddr/dstaddr), or the packet's original address `original` when
/// the format lacks `outer`; and the original address when it differs from `outer`'s.
fn outer_and_original(
    rec: &RecordRef<'_>,
    outer: &str,
    original: &str,
) -> (Option<IpAddr>, Option<IpAddr>) {
    let o = rec.get(outer).and_then(ValueRef::addr);
    let p = rec.get(original).and_then(ValueRef::addr);
    match (o, p) {
        (Some(o), Some(p)) if o != p => (Some(o), Some(p)),
        (Some(o), _) => (Some(o), None),
        (None, p) => (p, None),
    }
}

/// How a port is named in the summary: "NTP (123)", "secure-mqtt (8883)", or "port 35098"; a
/// client's port (`role`) is always "port 35098", whatever IANA registered on it.
pub(super) fn port_phrase(
    port: u64,
    transport: Option<Transport>,
    role: Option<Role>,
    lang: Lang,
) -> String {
    let service = u16::try_from(port)
        .ok()
        .filter(|_| role != Some(Role::Client))
        .and_then(|p| match transport {
            Some(t) => port::service(p, t),
            None => port::service_any(p),
        });
    match service {
        Some(s) => format!("{} ({port})", s.common.unwrap_or(s.name)),
        None => match lang {
            Lang::En => format!("port {port}"),
            Lang::Ja => format!("ポート {port}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::explain::Context;
    use crate::explain::Explain;
    use crate::store::Decoded;
    use crate::text::Lang;

    fn summary(text: &str, lang: Lang) -> String {
        let d = Decoded::decode(text);
        let e = d
            .entry_json(0, &Context::default(), lang)
            .expect("an entry");
        e.record().expect("a record").summary.clone()
    }

    #[test]
    fn packets_lost_beyond_u64_do_not_overflow() {
        let text = "packets-lost-no-route packets-lost-blackhole action\n18446744073709551615 18446744073709551615 ACCEPT";
        for lang in [Lang::En, Lang::Ja] {
            let s = summary(text, lang);
            assert!(s.contains("18,446,744,073,709,551,615"), "{s}");
        }
    }

    #[test]
    fn default_format_sentence_is_unchanged() {
        let seed = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";
        let s = summary(seed, Lang::En);
        assert!(s.starts_with("10.0.4.135 (private, in your VPC) sent 1 UDP packet (76 bytes) from port 35098 to NTP (123) at 15.152.63.145"), "{s}");
        assert!(s.ends_with("; accepted."), "{s}");
    }

    #[test]
    fn original_destination_and_direction() {
        let text = "srcaddr dstaddr pkt-srcaddr pkt-dstaddr flow-direction action\n10.0.0.5 10.0.0.9 10.0.0.5 10.2.3.4 egress ACCEPT";
        let s = summary(text, Lang::En);
        assert!(
            s.ends_with(
                "to 10.0.0.9 (private, in your VPC), originally to 10.2.3.4 (private, in your VPC), outbound (egress); accepted."
            ),
            "{s}"
        );
        let s = summary(text, Lang::Ja);
        assert!(
            s.contains("（送信方向、元の送信先 10.2.3.4）、許可されました。"),
            "{s}"
        );
    }

    #[test]
    fn packet_addresses_stand_in_for_missing_ones() {
        let s = summary(
            "pkt-srcaddr pkt-dstaddr action\n10.0.0.5 10.0.0.9 REJECT",
            Lang::En,
        );
        assert!(
            s.starts_with("10.0.0.5 (private, in your VPC) sent traffic to 10.0.0.9"),
            "{s}"
        );
        assert!(!s.contains("originally"), "{s}");
        assert!(s.ends_with("; rejected."), "{s}");
    }

    #[test]
    fn other_reject_reasons() {
        let s = summary("srcaddr action reject-reason\n10.0.0.5 REJECT EC", Lang::En);
        assert!(
            s.ends_with("; rejected by VPC encryption controls (EC)."),
            "{s}"
        );
        let s = summary(
            "srcaddr action reject-reason\n10.0.0.5 REJECT NEWCODE",
            Lang::Ja,
        );
        assert!(s.ends_with("、拒否されました（理由 NEWCODE）。"), "{s}");
        let s = summary("srcaddr action reject-reason\n10.0.0.5 ACCEPT -", Lang::En);
        assert!(s.ends_with("; accepted."), "{s}");
    }

    #[test]
    fn transit_gateway_nodata_names_the_attachment() {
        let s = summary(
            "tgw-id tgw-attachment-id start end log-status\ntgw-0a1b tgw-attach-0c2d 1744521785 1744521845 NODATA",
            Lang::Ja,
        );
        assert_eq!(
            s,
            "tgw-attach-0c2d には通信がありませんでした（2025-04-13T05:23:05Z ～ 2025-04-13T05:24:05Z）（NODATA）。"
        );
    }
}
