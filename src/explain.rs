//! Annotations of each field and the one-sentence summary of a record, in English and Japanese.
//! Explanation text is produced only for what is shown, from the typed values and the classifiers.

use crate::classify::aws::{AwsPrefix, AwsRanges};
use crate::classify::port::{self, Transport};
use crate::classify::protocol::{self, Protocol};
use crate::classify::scope::{self, Scope, ScopeInfo, WellKnown};
use crate::fields::Kind;
use crate::lang::Lang;
use crate::parse::{tokens, Format, LineError, Value};
use crate::tables::regions;
use crate::time;
use serde_json::{json, Map, Value as Json};
use std::net::IpAddr;

/// What the explanations may consult.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// AWS's address ranges, when loaded.
    pub aws: Option<&'a AwsRanges>,
}

/// A record: its values in the order of its format.
#[derive(Clone, Copy, Debug)]
pub struct RecordRef<'a> {
    /// The record's format.
    pub format: &'a Format,
    /// Its values.
    pub values: &'a [Value],
}

impl<'a> RecordRef<'a> {
    /// The value of field `key`, if the format has it.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.values.get(self.format.position(key)?)
    }

    fn uint(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(Value::uint)
    }

    fn addr(&self, key: &str) -> Option<IpAddr> {
        self.get(key).and_then(Value::addr)
    }

    fn text(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Value::text)
    }

    /// The record's protocol when it is known and has no ports (ICMP, ESP, GRE, ...).
    fn portless_protocol(&self) -> Option<Protocol> {
        let n = u8::try_from(self.uint("protocol")?).ok()?;
        let p = protocol::protocol(n);
        p.transport().is_none().then_some(p)
    }

    fn transport(&self) -> Option<Transport> {
        let n = self.uint("protocol")?;
        protocol::protocol(u8::try_from(n).ok()?).transport()
    }
}

/// Everything known about one address.
#[derive(Clone, Copy, Debug)]
pub struct AddrInfo<'a> {
    /// The address.
    pub ip: IpAddr,
    /// Its IANA scope.
    pub scope: ScopeInfo,
    /// An AWS well-known address (instance metadata, Time Sync, DNS, ...).
    pub well_known: Option<WellKnown>,
    /// The most specific AWS prefix containing it.
    pub aws: Option<&'a AwsPrefix>,
}

impl<'a> AddrInfo<'a> {
    /// Classifies `ip`.
    pub fn new(ip: IpAddr, ctx: &Context<'a>) -> AddrInfo<'a> {
        let scope = scope::scope(ip);
        AddrInfo {
            ip,
            scope,
            well_known: scope::aws_well_known(ip),
            aws: ctx.aws.and_then(|r| r.lookup(ip)),
        }
    }

    /// A few words for the summary: "private, in your VPC", "AWS EC2, Osaka", "public internet".
    pub fn short(&self, lang: Lang) -> String {
        if let Some(w) = self.well_known {
            return w.label.get(lang).to_string();
        }
        if let Some(p) = self.aws {
            let services = services_short(p);
            let place = regions::region_city(&p.region)
                .map(|t| t.get(lang).to_string())
                .unwrap_or_else(|| p.region.clone());
            return match (lang, services.is_empty()) {
                (Lang::En, false) => format!("AWS {services}, {place}"),
                (Lang::En, true) => format!("AWS, {place}"),
                (Lang::Ja, false) => format!("AWS {services}、{place}"),
                (Lang::Ja, true) => format!("AWS、{place}"),
            };
        }
        match (self.scope.scope, lang) {
            (Scope::Private, Lang::En) => "private, in your VPC".into(),
            (Scope::Private, Lang::Ja) => "プライベート、VPC 内".into(),
            (Scope::Public, Lang::En) => "public internet".into(),
            (Scope::Public, Lang::Ja) => "インターネット".into(),
            (s, lang) => s.label().get(lang).to_string(),
        }
    }

    /// The annotation's sentence(s).
    fn text(&self, lang: Lang) -> String {
        let ip = self.ip;
        let mut s = String::new();
        if let Some(w) = self.well_known {
            s.push_str(&match lang {
                Lang::En => format!("{ip} is AWS's {}. ", w.label.en),
                Lang::Ja => format!("{ip} は AWS の{}です。", w.label.ja),
            });
        }
        let block = self.scope.block.map(|b| match lang {
            Lang::En => format!(" (IANA: {}, {}, {})", b.name, b.rfc, b.prefix),
            Lang::Ja => format!("（IANA: {}、{}、{}）", b.name, b.rfc, b.prefix),
        });
        let block = block.unwrap_or_default();
        let scope_label = self.scope.scope.label().get(lang);
        if let Some(p) = self.aws {
            let region = region_long(&p.region, lang);
            let nbg = p.network_border_group.as_deref().unwrap_or("-");
            s.push_str(&match lang {
                Lang::En => format!(
                    "{ip} belongs to AWS: prefix {} (services {}), region {region}, network border group {nbg}.",
                    p.net,
                    p.services.join(", ")
                ),
                Lang::Ja => format!(
                    "{ip} は AWS のアドレスです: プレフィックス {}（サービス {}）、リージョン {region}、ネットワークボーダーグループ {nbg}。",
                    p.net,
                    p.services.join("、")
                ),
            });
            return s;
        }
        s.push_str(&match (self.scope.scope, lang) {
            (Scope::Private, Lang::En) => format!(
                "{ip} is a private address{block}: inside your VPC or a network connected to it, not reachable from the internet."
            ),
            (Scope::Private, Lang::Ja) => format!(
                "{ip} はプライベートアドレスです{block}。VPC 内または接続先のネットワークのアドレスで、インターネットからは到達できません。"
            ),
            (Scope::Public, Lang::En) => {
                format!("{ip} is a public internet address, not in AWS's published ranges.")
            }
            (Scope::Public, Lang::Ja) => format!(
                "{ip} はインターネット上のパブリックアドレスで、AWS の公開アドレス範囲には含まれません。"
            ),
            (_, Lang::En) => format!("{ip}: {scope_label}{block}."),
            (_, Lang::Ja) => format!("{ip}: {scope_label}{block}。"),
        });
        s
    }

    fn annotation(&self, raw: &str, lang: Lang) -> Json {
        let aws = self.aws.map(|p| {
            json!({
                "prefix": p.net.to_string(),
                "region": p.region,
                "region_name": region_long(&p.region, lang),
                "services": p.services,
                "network_border_group": p.network_border_group,
            })
        });
        let value = match self.aws {
            Some(p) => match lang {
                Lang::En => format!("AWS {} · {}", p.services.join(", "), p.region),
                Lang::Ja => format!("AWS {} · {}", p.services.join("、"), p.region),
            },
            None => self.short(lang),
        };
        json!({
            "text": self.text(lang),
            "value": value,
            "raw": raw,
            "scope": self.scope.scope.key(),
            "scope_label": self.scope.scope.label().get(lang),
            "iana_block": self.scope.block.map(|b| b.prefix),
            "well_known": self.well_known.map(|w| w.key),
            "aws": aws,
        })
    }
}

/// The services of a prefix without the umbrella `AMAZON`, joined with `/`: "EC2", "S3/EC2".
fn services_short(p: &AwsPrefix) -> String {
    let named: Vec<&str> = p
        .services
        .iter()
        .map(String::as_str)
        .filter(|s| *s != "AMAZON")
        .collect();
    named.join("/")
}

fn region_long(code: &str, lang: Lang) -> String {
    match regions::region_name(code) {
        Some(t) => match lang {
            Lang::En => format!("{code} ({})", t.en),
            Lang::Ja => format!("{code}（{}）", t.ja),
        },
        None => code.to_string(),
    }
}

/// `12345` → `12,345`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

fn protocol_word(p: &Protocol) -> String {
    if p.keyword.is_empty() {
        format!("protocol {}", p.number)
    } else {
        p.keyword.to_string()
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

fn annotate(
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

/// A record as the CLI's `--json` prints it and the page receives it:
/// `{"line", "raw", "fields", "annotations", "summary"}`.
pub fn record_json(
    line: u64,
    raw: &str,
    rec: &RecordRef<'_>,
    ctx: &Context<'_>,
    lang: Lang,
) -> Json {
    let mut fields = Map::new();
    let mut annotations = Map::new();
    let mut raw_tokens = tokens(raw);
    for (field, value) in rec.format.fields.iter().zip(rec.values) {
        let spec = field.spec();
        let token = raw_tokens.next().unwrap_or("");
        let json_value = match value {
            Value::Absent => Json::Null,
            Value::UInt(n) => json!(n),
            Value::Addr(a) => json!(a.to_string()),
            Value::Text(t) => json!(t.as_ref()),
        };
        fields.insert(spec.key.to_string(), json_value);
        annotations.insert(
            spec.key.to_string(),
            annotate(spec.key, spec.kind, value, token, rec, ctx, lang),
        );
    }
    json!({
        "line": line,
        "raw": raw,
        "fields": fields,
        "annotations": annotations,
        "summary": summary(rec, ctx, lang),
    })
}

/// A line that could not be decoded: `{"line", "error", "raw", "field"}`.
pub fn error_json(err: &LineError, raw: &str, lang: Lang) -> Json {
    json!({
        "line": err.line,
        "error": err.message(lang),
        "raw": raw,
        "field": err.field(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(4249), "4,249");
        assert_eq!(grouped(1234567), "1,234,567");
    }
}
