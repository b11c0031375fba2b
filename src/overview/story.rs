//! The REJECT story of the summary, as the report gives it: the rejected traffic in parts
//! (replies, from the internet, from AWS, from private addresses, …), its sources grouped by /24
//! or /64 block and by owner, the input's own addresses most rejected, and the sources that scan.
//! Every row carries the filter that selects the records it counts (see [`super::filter`]).

use crate::classify::aws::{AwsRanges, Name};
use crate::classify::clouds::published::PROVIDERS;
use crate::classify::port::{self, Transport};
use crate::classify::protocol;
use crate::classify::scope::{self, Scope};
use crate::explain::{AddrInfo, Context};
use crate::overview::filter;
use crate::overview::reject::{OwnerKey, Part};
use crate::overview::table::{table, Others, Table};
use crate::overview::tally::{Overview, Rejected};
use crate::text::Lang;
use serde::Serialize;
use serde_json::Value as Json;
use std::net::IpAddr;
use std::sync::Arc;

/// A source probing at least this many distinct ports, or this many distinct destinations, in
/// its rejected requests is shown as scanning.
pub const SCAN_MIN: u64 = 10;

/// English or Japanese.
fn l(lang: Lang, en: &'static str, ja: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// An address explained as a field annotation is, with `addr`.
pub(crate) fn explain(o: &Overview, ip: IpAddr, ctx: &Context<'_>, lang: Lang) -> Json {
    let info = AddrInfo::new(ip, ctx).of_interface(o.own.get(&ip).map(|s| &**s));
    let text = ip.to_string();
    // The summary's rows are still JSON (read back by the CLI's text): the typed annotation
    // is turned into it here, `addr` last as before.
    let mut j = serde_json::to_value(info.annotation(&text, lang)).unwrap_or_default();
    if let Some(m) = j.as_object_mut() {
        m.insert("addr".into(), Json::from(text));
    }
    j
}

pub(crate) fn port_name(protocol: u8, port: u16) -> Option<port::PortService> {
    let t: Transport = protocol::protocol(protocol).transport()?;
    port::service(port, t)
}

pub(crate) fn keyword(p: u8) -> &'static str {
    protocol::protocol(p).keyword
}

/// A port a rejected source tried: the destination port of a request, or the server's port a
/// rejected reply came from (`reply`).
#[derive(Clone, Debug, Serialize)]
pub struct TriedPort {
    /// Protocol number, if the record had one.
    pub protocol: Option<u8>,
    /// IANA keyword ("TCP").
    pub keyword: Option<&'static str>,
    /// The port (`null` for protocols without ports, such as ICMP).
    pub port: Option<u16>,
    /// The name users know, else IANA's service name ("SSH", "ntp").
    pub name: Option<&'static str>,
    /// True when these were replies from this port (the source's own service port) to a
    /// client's ephemeral port; false for requests to it and records whose roles are unknown.
    pub reply: bool,
    /// REJECT records to it (from it, for replies).
    pub records: u64,
}

/// The ports of a rejected source or destination, most tried first.
pub(crate) fn tried_ports(r: &Rejected) -> Vec<TriedPort> {
    let mut tried: Vec<_> = r.tried[..r.n_tried].to_vec();
    tried.sort_by(|a, b| {
        b.records
            .cmp(&a.records)
            .then(a.port().cmp(&b.port()))
            .then(a.is_reply().cmp(&b.is_reply()))
    });
    tried
        .iter()
        .map(|p| {
            let service = match (p.protocol(), p.port()) {
                (Some(pr), Some(po)) => port_name(pr, po),
                _ => None,
            };
            TriedPort {
                protocol: p.protocol(),
                keyword: p.protocol().map(keyword).filter(|k| !k.is_empty()),
                port: p.port(),
                name: service.map(|s| s.common.unwrap_or(s.name)),
                reply: p.is_reply(),
                records: u64::from(p.records),
            }
        })
        .collect()
}

/// One part of the rejected traffic (every REJECT record is in exactly one).
#[derive(Clone, Debug, Serialize)]
pub struct SplitRow {
    /// `replies`, `internet`, `aws`, `private`, `own`, `other`.
    pub part: &'static str,
    /// Its name, in the report's language.
    pub label: &'static str,
    /// What it is and what it usually means, in the report's language.
    pub text: &'static str,
    /// REJECT records.
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
    /// The filter selecting them.
    pub filter: Option<String>,
}

/// A block of source addresses (/24 for IPv4, /64 for IPv6).
#[derive(Clone, Debug, Serialize)]
pub struct BlockRow {
    /// The block, as CIDR (`203.0.113.0/24`).
    pub block: String,
    /// REJECT records from it.
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Of them, replies (server port → ephemeral port).
    pub replies: u64,
    /// Distinct sources in the block (exact for IPv4; an estimate from 256 bits for IPv6).
    pub sources: u64,
    /// 0 when exact; else the row may lack up to this many records.
    pub error: u64,
    /// The filter selecting the records.
    pub filter: Option<String>,
}

/// An owner of source addresses.
#[derive(Clone, Debug, Serialize)]
pub struct OwnerRow {
    /// `aws`, `cloud`, `internet` (public, no known owner), `scope` (a non-public scope), `none`
    /// (no source address).
    pub kind: &'static str,
    /// Its name, in the report's language ("AWS EC2 (us-east-1)", "Google Cloud").
    pub label: String,
    /// For `aws`: the services AWS lists for the prefix (`AMAZON` left out when another is).
    pub services: Vec<String>,
    /// For `aws`: the region.
    pub region: Option<String>,
    /// For `cloud`: the provider.
    pub cloud: Option<&'static str>,
    /// For `scope` (and `internet`: `public`): the scope's key.
    pub scope: Option<&'static str>,
    /// REJECT records from it.
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Of them, replies.
    pub replies: u64,
    /// Distinct source addresses.
    pub sources: u64,
    /// False when `sources` is estimated.
    pub sources_exact: bool,
    /// 0 when exact.
    pub error: u64,
    /// The filter selecting the records.
    pub filter: Option<String>,
}

/// One of the input's own addresses (an interface's), as the destination of REJECT records.
#[derive(Clone, Debug, Serialize)]
pub struct OwnDestinationRow {
    /// The address, explained (with its interface).
    pub address: Json,
    /// The interface whose own address it is.
    pub interface: String,
    /// REJECT records to it.
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Of them, replies to it (it was the client).
    pub replies: u64,
    /// The ports: the destination port of requests, the server's port of replies (`reply`).
    pub ports: Vec<TriedPort>,
    /// Records to further ports.
    pub other_ports: u64,
    /// 0 when exact.
    pub error: u64,
    /// The filter selecting the records.
    pub filter: Option<String>,
}

/// A source probing many ports (vertical) or many addresses (horizontal) in rejected requests.
#[derive(Clone, Debug, Serialize)]
pub struct ScanRow {
    /// The source, explained.
    pub address: Json,
    /// `vertical` (many ports), `horizontal` (many destinations) or `both`.
    pub kind: &'static str,
    /// Distinct destination ports of its rejected requests.
    pub ports: u64,
    /// False when `ports` is estimated.
    pub ports_exact: bool,
    /// Distinct destination addresses.
    pub destinations: u64,
    /// False when `destinations` is estimated.
    pub destinations_exact: bool,
    /// Some of the ports (the first distinct ones seen).
    pub example_ports: Vec<u16>,
    /// Its rejected requests (and records of unknown roles).
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
    /// 0 when exact.
    pub error: u64,
    /// The filter selecting the records.
    pub filter: Option<String>,
}

/// The captions and column names of the REJECT story's tables, in the report's language (the
/// page shows them as they are).
#[derive(Clone, Debug, Serialize)]
pub struct RejectTexts {
    /// Caption of `rejected_split`.
    pub split: &'static str,
    /// Caption of `rejected_blocks`.
    pub blocks: &'static str,
    /// Caption of `rejected_owners`.
    pub owners: &'static str,
    /// Caption of `rejected_destinations`.
    pub destinations: &'static str,
    /// Caption of `scans`.
    pub scans: &'static str,
    /// How the scans are told.
    pub scans_note: &'static str,
    /// Column names.
    pub col_part: &'static str,
    /// "Block".
    pub col_block: &'static str,
    /// "Owner".
    pub col_owner: &'static str,
    /// "Records".
    pub col_records: &'static str,
    /// "Bytes".
    pub col_bytes: &'static str,
    /// "Replies".
    pub col_replies: &'static str,
    /// "Sources".
    pub col_sources: &'static str,
    /// "Destination".
    pub col_destination: &'static str,
    /// "Ports".
    pub col_ports: &'static str,
    /// "Source".
    pub col_source: &'static str,
    /// "Kind".
    pub col_kind: &'static str,
    /// "Distinct ports".
    pub col_distinct_ports: &'static str,
    /// "Distinct destinations".
    pub col_distinct_destinations: &'static str,
    /// "Example ports".
    pub col_example_ports: &'static str,
    /// "vertical".
    pub vertical: &'static str,
    /// "horizontal".
    pub horizontal: &'static str,
    /// "both".
    pub both: &'static str,
    /// "Others".
    pub others: &'static str,
}

fn texts(lang: Lang) -> RejectTexts {
    RejectTexts {
        split: l(lang, "Rejected traffic: where it comes from", "拒否されたトラフィックの内訳"),
        blocks: l(
            lang,
            "Rejected sources by block (/24, /64)",
            "拒否された送信元（/24・/64 ブロック別）",
        ),
        owners: l(
            lang,
            "Rejected sources by owner",
            "拒否された送信元（所有者別）",
        ),
        destinations: l(
            lang,
            "Your interfaces' addresses most rejected (as destination)",
            "拒否が多い送信先（インターフェイス自身のアドレス）",
        ),
        scans: l(lang, "Scans", "スキャン"),
        scans_note: l(
            lang,
            "Sources whose rejected requests reached at least 10 distinct ports (vertical) or 10 distinct addresses (horizontal).",
            "拒否されたリクエストの送信先ポートが 10 種類以上（垂直スキャン）、または送信先アドレスが 10 種類以上（水平スキャン）の送信元。",
        ),
        col_part: l(lang, "Part", "区分"),
        col_block: l(lang, "Block", "ブロック"),
        col_owner: l(lang, "Owner", "所有者"),
        col_records: l(lang, "Records", "レコード"),
        col_bytes: l(lang, "Bytes", "バイト"),
        col_replies: l(lang, "Replies", "応答"),
        col_sources: l(lang, "Sources", "送信元"),
        col_destination: l(lang, "Destination", "送信先"),
        col_ports: l(lang, "Ports", "ポート"),
        col_source: l(lang, "Source", "送信元"),
        col_kind: l(lang, "Kind", "種類"),
        col_distinct_ports: l(lang, "Distinct ports", "ポート数"),
        col_distinct_destinations: l(lang, "Distinct destinations", "送信先数"),
        col_example_ports: l(lang, "Example ports", "ポートの例"),
        vertical: l(lang, "vertical", "垂直"),
        horizontal: l(lang, "horizontal", "水平"),
        both: l(lang, "both", "両方"),
        others: l(lang, "Others", "その他"),
    }
}

/// The REJECT story's tables.
pub(crate) struct Story {
    pub(crate) split: Vec<SplitRow>,
    pub(crate) blocks: Table<BlockRow>,
    pub(crate) owners: Table<OwnerRow>,
    pub(crate) destinations: Table<OwnDestinationRow>,
    pub(crate) scans: Table<ScanRow>,
    pub(crate) texts: RejectTexts,
}

const REJECT: &str = "action=REJECT";

fn split(o: &Overview, lang: Lang) -> Vec<SplitRow> {
    let t = &o.story;
    let p = |part: Part| t.parts[part as usize];
    // The input's own public addresses that are not AWS's are not "the internet": their
    // requests (as the rejected sources table counts them) move to their own part.
    let (mut own_records, mut own_bytes) = (0u64, 0u64);
    for ip in o.own.keys() {
        if scope::scope(*ip).scope != Scope::Public || t.is_aws(*ip) {
            continue;
        }
        if let Some(r) = o.rejected.get(&(*ip).into()) {
            own_records += r.value.records - r.value.replies;
            own_bytes = own_bytes.saturating_add(r.value.bytes.saturating_sub(r.value.reply_bytes));
        }
    }
    let internet = p(Part::Internet);
    let own_records = own_records.min(internet.records);
    let own_bytes = own_bytes.min(internet.bytes);
    let requests = "role!=reply";
    let row = |part, label, text, records, bytes, f: String| SplitRow {
        part,
        label,
        text,
        records,
        bytes,
        filter: Some(format!("{REJECT} and {f}")),
    };
    vec![
        row(
            "replies",
            l(lang, "Replies rejected", "拒否された応答"),
            l(
                lang,
                "Replies from a server's port back to a client's ephemeral port, rejected: the request got through but its reply did not. Security groups are stateful and always let replies through, so this is usually a network ACL whose rules do not allow the ephemeral ports (1024-65535) in return traffic.",
                "サーバーのポートからクライアントのエフェメラルポートへの応答が拒否されたレコードです。リクエストは通過したものの、その応答が拒否されています。セキュリティグループはステートフルで応答を常に許可するため、戻りのトラフィックでエフェメラルポート（1024～65535）を許可していないネットワーク ACL が原因であることが一般的です。",
            ),
            p(Part::Reply).records,
            p(Part::Reply).bytes,
            "role=reply".into(),
        ),
        row(
            "internet",
            l(lang, "From the internet", "インターネットから"),
            l(
                lang,
                "Requests from public addresses that are neither AWS's nor your interfaces' own: scans and probes from the internet, rejected by a security group or a network ACL as intended.",
                "AWS のものでもインターフェイス自身のものでもないパブリックアドレスからのリクエストです。インターネットからのスキャンや探索で、セキュリティグループまたはネットワーク ACL によって意図どおり拒否されています。",
            ),
            internet.records - own_records,
            internet.bytes.saturating_sub(own_bytes),
            format!("{requests} and from_internet"),
        ),
        row(
            "aws",
            l(lang, "From AWS addresses", "AWS のアドレスから"),
            l(
                lang,
                "Requests from public addresses in AWS's published ranges: other AWS accounts' instances, AWS services.",
                "AWS が公開している IP アドレス範囲内のパブリックアドレスからのリクエストです（他の AWS アカウントのインスタンス、AWS のサービスなど）。",
            ),
            p(Part::Aws).records,
            p(Part::Aws).bytes,
            format!("{requests} and srcscope=public and src.aws.region!=-"),
        ),
        row(
            "private",
            l(lang, "From private addresses", "プライベートアドレスから"),
            l(
                lang,
                "Requests from private addresses (your VPC, peered VPCs, on-premises networks): a security group or network ACL between your own hosts rejects them; check that it is meant to.",
                "プライベートアドレス（VPC 内、ピアリング接続された VPC、オンプレミスネットワーク）からのリクエストです。内部のホスト間の通信が、セキュリティグループまたはネットワーク ACL で拒否されています。意図したものか確認してください。",
            ),
            p(Part::Private).records,
            p(Part::Private).bytes,
            format!("{requests} and srcscope in (private, unique-local)"),
        ),
        row(
            "own",
            l(lang, "From your interfaces' public addresses", "インターフェイス自身のパブリックアドレスから"),
            l(
                lang,
                "Requests whose source is the public address (not AWS's) of one of your network interfaces.",
                "送信元がネットワークインターフェイス自身のパブリックアドレス（AWS の範囲外）であるリクエストです。",
            ),
            own_records,
            own_bytes,
            format!("{requests} and srcscope=public and src.aws.region=- and not from_internet"),
        ),
        row(
            "other",
            l(lang, "Other", "その他"),
            l(
                lang,
                "Requests from special-purpose addresses (shared, link-local, documentation, …) or without a source address.",
                "特殊用途のアドレス（共有アドレス、リンクローカル、ドキュメント用など）からのリクエスト、または送信元アドレスのないレコードです。",
            ),
            p(Part::Other).records,
            p(Part::Other).bytes,
            format!("{requests} and not srcscope in (public, private, unique-local)"),
        ),
    ]
}

/// The services shown for an AWS group: `AMAZON` left out when another is listed.
fn shown_services(list: &[Name]) -> Vec<String> {
    let named: Vec<String> = list
        .iter()
        .filter(|s| &***s != "AMAZON")
        .map(|s| s.to_string())
        .collect();
    if named.is_empty() {
        list.iter().map(|s| s.to_string()).collect()
    } else {
        named
    }
}

/// Every distinct list of services of the ranges.
fn all_lists(aws: Option<&AwsRanges>) -> Vec<Arc<[Name]>> {
    let mut lists: Vec<Arc<[Name]>> = Vec::new();
    let mut seen: std::collections::HashSet<usize> = Default::default();
    for p in aws.map_or(&[][..], |a| &a.prefixes[..]) {
        if seen.insert(Arc::as_ptr(&p.services) as *const Name as usize)
            && !lists.iter().any(|l| **l == *p.services)
        {
            lists.push(p.services.clone());
        }
    }
    lists
}

/// What an owner row says of its owner (its figures left at 0), and its filter.
fn owner_row(o: &Overview, key: OwnerKey, lists: &[Arc<[Name]>], lang: Lang) -> OwnerRow {
    let row = |kind, label: String, services, region, cloud, scope, f: String| OwnerRow {
        kind,
        label,
        services,
        region,
        cloud,
        scope,
        records: 0,
        bytes: 0,
        replies: 0,
        sources: 0,
        sources_exact: true,
        error: 0,
        filter: (!f.is_empty()).then_some(f),
    };
    let (kind, label, services, region, cloud, scope, f) = owner_parts(o, key, lists, lang);
    row(kind, label, services, region, cloud, scope, f)
}

/// An owner row's parts: kind, label, services, region, cloud, scope, filter.
type OwnerParts = (
    &'static str,
    String,
    Vec<String>,
    Option<String>,
    Option<&'static str>,
    Option<&'static str>,
    String,
);

fn owner_parts(o: &Overview, key: OwnerKey, lists: &[Arc<[Name]>], lang: Lang) -> OwnerParts {
    match key {
        OwnerKey::Aws(g) => {
            let Some(group) = o.story.groups.groups.get(g as usize) else {
                return ("aws", "AWS".into(), vec![], None, None, None, String::new());
            };
            let list = &group.services;
            let shown = shown_services(list);
            let region = group.region.to_string();
            // Exactly this list: each of its services, none of those that other lists add to it.
            let mut extra: Vec<&str> = Vec::new();
            for other in lists {
                if other.len() > list.len() && list.iter().all(|s| other.contains(s)) {
                    for s in other.iter().filter(|s| !list.contains(s)) {
                        if !extra.contains(&&**s) {
                            extra.push(s);
                        }
                    }
                }
            }
            extra.sort_unstable();
            let mut f = format!("{REJECT} and src.aws.region={}", filter::word(&region));
            for s in list.iter() {
                f.push_str(&format!(" and src.aws.service={}", filter::word(s)));
            }
            if !extra.is_empty() {
                f.push_str(&format!(
                    " and not {}",
                    filter::one_of("src.aws.service", &extra)
                ));
            }
            (
                "aws",
                format!("AWS {} ({region})", shown.join(", ")),
                shown,
                Some(region),
                None,
                None,
                f,
            )
        }
        OwnerKey::Cloud(i) => {
            let name = PROVIDERS.get(usize::from(i)).copied().unwrap_or("?");
            let word = name.split(' ').next().unwrap_or(name).to_ascii_lowercase();
            (
                "cloud",
                name.to_string(),
                vec![],
                None,
                Some(name),
                None,
                format!("{REJECT} and src.cloud={word}"),
            )
        }
        OwnerKey::Internet => (
            "internet",
            l(
                lang,
                "Internet (no known owner)",
                "インターネット（既知の所有者なし）",
            )
            .to_string(),
            vec![],
            None,
            None,
            Some("public"),
            format!("{REJECT} and srcscope=public and src.aws.region=- and src.cloud=-"),
        ),
        OwnerKey::Scope(i) => {
            let sc = Scope::ALL
                .get(usize::from(i))
                .copied()
                .unwrap_or(Scope::Other);
            let key = filter::scope(sc);
            let label = match (sc, lang) {
                (Scope::Private, Lang::En) => "Private addresses".to_string(),
                (Scope::Private, Lang::Ja) => "プライベートアドレス".to_string(),
                (_, Lang::En) => format!("Addresses: {key}"),
                (_, Lang::Ja) => format!("アドレス: {key}"),
            };
            (
                "scope",
                label,
                vec![],
                None,
                None,
                Some(key),
                format!("{REJECT} and srcscope={key} and src.aws.region=-"),
            )
        }
        OwnerKey::NoAddress => (
            "none",
            l(lang, "No source address", "送信元アドレスなし").to_string(),
            vec![],
            None,
            None,
            None,
            format!("{REJECT} and srcaddr=-"),
        ),
    }
}

fn others_of(total: (u64, u64), rows: impl Iterator<Item = (u64, u64)>) -> Option<Others> {
    let (r, b) = rows.fold((0u64, 0u64), |(r, b), (x, y)| (r + x, b.saturating_add(y)));
    Some(Others {
        records: total.0.saturating_sub(r),
        bytes: total.1.saturating_sub(b),
        packets: None,
        filter: None,
    })
}

pub(crate) fn build(o: &Overview, ctx: &Context<'_>, lang: Lang, n: usize) -> Story {
    let t = &o.story;
    let rejected = (o.n.rejected.records, o.n.rejected.bytes);

    let mut blocks = table(
        &t.blocks,
        n,
        |_, v| (v.value.rej.records, v.value.rej.bytes),
        |(b, v)| {
            let cidr = filter::block(b.ip());
            BlockRow {
                filter: Some(format!("{REJECT} and srcaddr in {cidr}")),
                block: cidr,
                records: v.value.rej.records,
                bytes: v.value.rej.bytes,
                replies: v.value.rej.replies,
                sources: v.value.sources(),
                error: v.error,
            }
        },
    );
    blocks.others = others_of(rejected, blocks.rows.iter().map(|r| (r.records, r.bytes)));

    let lists = all_lists(t.aws.as_deref());
    let mut owners = table(
        &t.owners,
        2 * n,
        |_, v| (v.value.rej.records, v.value.rej.bytes),
        |(k, v)| OwnerRow {
            records: v.value.rej.records,
            bytes: v.value.rej.bytes,
            replies: v.value.rej.replies,
            sources: v.value.sources.count(),
            sources_exact: v.value.sources.is_exact(),
            error: v.error,
            ..owner_row(o, k, &lists, lang)
        },
    );
    owners.others = others_of(rejected, owners.rows.iter().map(|r| (r.records, r.bytes)));

    // The input's own addresses among the destinations of REJECT records.
    let mut own: Vec<(IpAddr, &str, &crate::overview::topk::Tally<Rejected>)> = o
        .own
        .iter()
        .filter_map(|(ip, id)| Some((*ip, &**id, o.rejected_dst.get(&(*ip).into())?)))
        .collect();
    own.sort_by(|a, b| {
        (b.2.value.records, b.2.value.bytes)
            .cmp(&(a.2.value.records, a.2.value.bytes))
            .then(a.0.cmp(&b.0))
    });
    let own_total = own.iter().fold((0u64, 0u64), |(r, b), x| {
        (r + x.2.value.records, b.saturating_add(x.2.value.bytes))
    });
    own.truncate(n);
    let mut destinations = Table {
        rows: own
            .into_iter()
            .map(|(ip, id, v)| OwnDestinationRow {
                address: explain(o, ip, ctx, lang),
                interface: id.to_string(),
                records: v.value.records,
                bytes: v.value.bytes,
                replies: v.value.replies,
                ports: tried_ports(&v.value),
                other_ports: v.value.other,
                error: v.error,
                filter: Some(format!("{REJECT} and dstaddr={}", filter::addr(ip))),
            })
            .collect(),
        others: None,
        keys: None,
        exact: o.rejected_dst.is_exact(),
    };
    destinations.others = others_of(
        own_total,
        destinations.rows.iter().map(|r| (r.records, r.bytes)),
    );

    let is_scan = |s: &crate::overview::reject::Scan| {
        s.ports.count() >= SCAN_MIN || s.dsts.count() >= SCAN_MIN
    };
    let mut scans = table(
        &t.scans,
        n,
        |_, v| {
            let s = &v.value;
            (
                u64::from(is_scan(s)),
                s.ports.count().max(s.dsts.count()).min(1 << 40) << 20
                    | s.records.min((1 << 20) - 1),
            )
        },
        |(a, v)| {
            let s = &v.value;
            let (p, d) = (s.ports.count(), s.dsts.count());
            ScanRow {
                address: explain(o, a.ip(), ctx, lang),
                kind: match (p >= SCAN_MIN, d >= SCAN_MIN) {
                    (true, true) => "both",
                    (true, false) => "vertical",
                    _ => "horizontal",
                },
                ports: p,
                ports_exact: s.ports.is_exact(),
                destinations: d,
                destinations_exact: s.dsts.is_exact(),
                example_ports: s.examples[..s.n_examples].to_vec(),
                records: s.records,
                bytes: s.bytes,
                error: v.error,
                filter: Some(format!(
                    "{REJECT} and role!=reply and srcaddr={}",
                    filter::addr(a.ip())
                )),
            }
        },
    );
    scans
        .rows
        .retain(|r| r.ports >= SCAN_MIN || r.destinations >= SCAN_MIN);
    scans.keys = None;

    Story {
        split: split(o, lang),
        blocks,
        owners,
        destinations,
        scans,
        texts: texts(lang),
    }
}
