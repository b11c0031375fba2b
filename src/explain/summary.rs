//! The one-sentence summary of a record: who talked to whom about what, and what happened.

use super::{grouped, plural, protocol_word, AddrInfo, Context, RecordRef};
use crate::classify::port::{self, Transport};
use crate::classify::protocol;
use crate::lang::Lang;
use crate::time;

/// The one-sentence summary of a record.
pub fn summary(rec: &RecordRef<'_>, ctx: &Context<'_>, lang: Lang) -> String {
    let en = lang == Lang::En;
    let status = rec.text("log-status");
    if matches!(status, Some("NODATA") | Some("SKIPDATA")) {
        let eni = rec.text("interface-id").unwrap_or("-");
        let window = match (rec.uint("start"), rec.uint("end")) {
            (Some(s), Some(e)) if en => format!(" between {} and {}", time::utc(s), time::utc(e)),
            (Some(s), Some(e)) => format!("（{} ～ {}）", time::utc(s), time::utc(e)),
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
    let addr = |key: &str| -> Option<String> {
        let ip = rec.addr(key)?;
        Some(if en {
            format!("{ip} ({})", AddrInfo::new(ip, ctx).short(lang))
        } else {
            format!("{ip}（{}）", AddrInfo::new(ip, ctx).short(lang))
        })
    };
    let src = addr("srcaddr");
    let dst = addr("dstaddr");
    let proto = rec
        .uint("protocol")
        .and_then(|n| u8::try_from(n).ok())
        .map(protocol::protocol);
    let proto_word = proto.as_ref().map(protocol_word);
    let transport = rec.transport();
    // Ports only mean something for protocols that have them.
    let has_ports = transport.is_some();
    let sport = rec.uint("srcport").filter(|_| has_ports);
    let dport = rec.uint("dstport").filter(|_| has_ports);
    let packets = rec.uint("packets");
    let bytes = rec.uint("bytes");
    let action = rec.text("action");

    if en {
        let mut s = src.unwrap_or_else(|| "A source".into());
        s.push_str(" sent ");
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
        if let Some(p) = sport {
            s.push_str(&format!(" from port {p}"));
        }
        match (dport, &dst) {
            (Some(p), Some(d)) => {
                s.push_str(&format!(" to {} at {d}", port_phrase(p, transport, lang)))
            }
            (Some(p), None) => s.push_str(&format!(" to {}", port_phrase(p, transport, lang))),
            (None, Some(d)) => s.push_str(&format!(" to {d}")),
            (None, None) => {}
        }
        match action {
            Some("ACCEPT") => s.push_str("; accepted."),
            Some("REJECT") => s.push_str("; rejected."),
            _ => s.push('.'),
        }
        s
    } else {
        let mut s = src.unwrap_or_else(|| "送信元".into());
        s.push_str("から ");
        if let Some(d) = &dst {
            s.push_str(d);
            s.push_str("の ");
        }
        match dport {
            Some(p) => s.push_str(&port_phrase(p, transport, lang)),
            None if dst.is_some() => s.truncate(s.len() - "の ".len()),
            None => s.push_str("送信先"),
        }
        s.push_str(" へ、");
        if let Some(p) = sport {
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
        s.push_str("が送信され");
        match action {
            Some("ACCEPT") => s.push_str("、許可されました。"),
            Some("REJECT") => s.push_str("、拒否されました。"),
            _ => s.push_str("ました。"),
        }
        s
    }
}

/// How a port is named in the summary: "NTP (123)", "secure-mqtt (8883)", or "port 35098".
fn port_phrase(port: u64, transport: Option<Transport>, lang: Lang) -> String {
    let service = u16::try_from(port).ok().and_then(|p| match transport {
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
