//! The summary as the page, the CLI's `--json` and the tests receive it; the addresses shown
//! explained like everywhere else (scope, AWS, another cloud, the interface's own address).

use crate::classify::protocol;
use crate::explain::Context;
use crate::overview::filter;
use crate::overview::story::{self, explain, keyword, port_name, tried_ports};
pub use crate::overview::story::{
    BlockRow, OwnDestinationRow, OwnerRow, RejectTexts, ScanRow, SplitRow, TriedPort,
};
use crate::overview::table::table;
pub use crate::overview::table::{DistinctCount, Others, Sum, Table};
use crate::overview::tally::{Overview, Service};
use crate::overview::timeline::{width_text, MAX_FINE};
use crate::text::time;
use crate::text::Lang;
use crate::util::distinct::MAX_DISTINCT;
use serde::Serialize;
use serde_json::Value as Json;

/// The summary of an input. Every count is of records unless it says bytes or packets.
#[derive(Clone, Debug, Serialize)]
pub struct OverviewReport {
    /// Language of the texts (`en`, `ja`).
    pub lang: Lang,
    /// The whole input's figures.
    pub totals: Totals,
    /// Address pairs (source → destination) by bytes.
    pub top_pairs: Table<PairRow>,
    /// Addresses by bytes sent and received.
    pub top_addresses: Table<AddressRow>,
    /// Sources of REJECT records by records, with the destination ports they tried.
    pub rejected_sources: Table<RejectedRow>,
    /// The REJECT records in parts, each in exactly one: replies, from the internet, from AWS,
    /// from private addresses, from the input's own public addresses, other.
    pub rejected_split: Vec<SplitRow>,
    /// Sources of REJECT records by /24 (IPv4) or /64 (IPv6) block.
    pub rejected_blocks: Table<BlockRow>,
    /// Sources of REJECT records by owner: AWS service and region, another cloud, the internet,
    /// a scope.
    pub rejected_owners: Table<OwnerRow>,
    /// The input's own addresses (its interfaces') most rejected as destinations, with ports.
    pub rejected_destinations: Table<OwnDestinationRow>,
    /// Sources probing many ports or addresses in their rejected requests.
    pub scans: Table<ScanRow>,
    /// The captions and column names of the REJECT story's tables.
    pub reject_texts: RejectTexts,
    /// Services: (protocol, the server's port) by records, with requests and replies.
    pub services: Table<ServiceRow>,
    /// Protocols by records (all of them).
    pub protocols: Vec<ProtocolRow>,
    /// Records, bytes and rejects over time, by `start`.
    pub timeline: Timeline,
    /// The bounds of the computation.
    pub limits: Limits,
}

/// Records by log-status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LogStatus {
    /// OK.
    pub ok: u64,
    /// NODATA: no traffic in the window.
    pub nodata: u64,
    /// SKIPDATA: records skipped.
    pub skipdata: u64,
    /// Another value.
    pub other: u64,
    /// No log-status (not in the format, or `-`).
    pub absent: u64,
}

/// From the first start to the last end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimeSpan {
    /// Earliest `start` (Unix seconds).
    pub first_start: u64,
    /// It in UTC, ISO 8601.
    pub first_start_utc: String,
    /// Latest `end` (Unix seconds; the first start when no record has an end).
    pub last_end: u64,
    /// It in UTC.
    pub last_end_utc: String,
    /// Seconds from one to the other.
    pub span_s: u64,
    /// The span in words, in the report's language.
    pub span_text: String,
}

/// The whole input's figures.
#[derive(Clone, Debug, Serialize)]
pub struct Totals {
    /// The summary is of the records decoded before the decoder stopped, not of the whole input
    /// ([`crate::overview::Overview::finish_partial`]): `lines`, `errors`, `problems` and
    /// `interfaces` are then not known (0, and `interfaces` not exact).
    pub partial: bool,
    /// Lines read.
    pub lines: u64,
    /// Lines that were not records.
    pub errors: u64,
    /// Records.
    pub records: u64,
    /// Records with a problem in a field (a value that does not fit it, kept as written).
    pub problems: u64,
    /// Bytes of the records that have them.
    pub bytes: u64,
    /// Packets of the records that have them.
    pub packets: u64,
    /// Records with a byte count (custom formats may have none; NODATA records have `-`).
    pub records_with_bytes: u64,
    /// Records with a packet count.
    pub records_with_packets: u64,
    /// ACCEPT records and their bytes.
    pub accepted: Sum,
    /// REJECT records and their bytes.
    pub rejected: Sum,
    /// Records with no action (`-`, NODATA, transit gateway records).
    pub no_action: u64,
    /// Records by log-status.
    pub log_status: LogStatus,
    /// First start to last end, when some record has a start.
    pub time: Option<TimeSpan>,
    /// Distinct interface-ids.
    pub interfaces: DistinctCount,
    /// Distinct addresses (source and destination).
    pub addresses: DistinctCount,
    /// Records with ports, by which way they went between client and server.
    pub roles: RoleCounts,
}

/// Records with ports (TCP, UDP, SCTP, DCCP and a destination port), by the roles of their ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RoleCounts {
    /// From the client to the server's service port.
    pub requests: u64,
    /// From the server's service port back to the client.
    pub replies: u64,
    /// The two ports do not tell which end serves (two ephemeral ports, 123 to 123, no source
    /// port): counted at their destination port.
    pub unknown: u64,
}

/// An address pair.
#[derive(Clone, Debug, Serialize)]
pub struct PairRow {
    /// The source, explained (as a field annotation, plus `addr`).
    pub src: Json,
    /// The destination, explained.
    pub dst: Json,
    /// Records from src to dst.
    pub records: u64,
    /// Their packets.
    pub packets: u64,
    /// Their bytes.
    pub bytes: u64,
    /// 0 when exact; else the row may lack up to this many bytes and this many records.
    pub error: u64,
    /// The filter selecting the records the row counts (see the query module's language).
    pub filter: Option<String>,
}

/// An address.
#[derive(Clone, Debug, Serialize)]
pub struct AddressRow {
    /// The address, explained.
    pub address: Json,
    /// Records with it at either end.
    pub records: u64,
    /// Bytes it sent.
    pub sent: u64,
    /// Bytes it received.
    pub received: u64,
    /// Sent + received.
    pub bytes: u64,
    /// 0 when exact; else the row may lack up to this many bytes and this many records.
    pub error: u64,
    /// The filter selecting the records the row counts (see the query module's language).
    pub filter: Option<String>,
}

/// A source of REJECT records.
#[derive(Clone, Debug, Serialize)]
pub struct RejectedRow {
    /// The address, explained.
    pub address: Json,
    /// Its REJECT records.
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
    /// The ports tried (at most [`super::MAX_TRIED`]), most tried first.
    pub ports: Vec<TriedPort>,
    /// Records to further ports.
    pub other_ports: u64,
    /// Of the records, replies (from its own service port to a client's ephemeral port).
    pub replies: u64,
    /// 0 when exact; else the row may lack up to this many records.
    pub error: u64,
    /// The filter selecting the records.
    pub filter: Option<String>,
}

/// A service: a (protocol, server port), whichever way its records went.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceRow {
    /// Protocol number.
    pub protocol: u8,
    /// IANA keyword ("TCP").
    pub keyword: &'static str,
    /// The server's port: the destination port of requests, the source port of replies; the
    /// destination port of records whose roles are unknown.
    pub port: u16,
    /// IANA's service name for this transport ("ssh"), or `null`.
    pub service: Option<&'static str>,
    /// The name users know, else the service name ("SSH", "ntp"), or `null`.
    pub name: Option<&'static str>,
    /// IANA's description ("The Secure Shell (SSH) Protocol"), or `null`.
    pub description: Option<&'static str>,
    /// Records.
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
    /// ACCEPT records.
    pub accepted: u64,
    /// REJECT records.
    pub rejected: u64,
    /// Records from the client to this port.
    pub requests: u64,
    /// Records from this port back to the client.
    pub replies: u64,
    /// Records whose roles could not be told, counted at this port as their destination port.
    pub unknown_roles: u64,
    /// 0 when exact; else the row may lack up to this many records.
    pub error: u64,
    /// The filter selecting the records.
    pub filter: Option<String>,
}

/// A protocol.
#[derive(Clone, Debug, Serialize)]
pub struct ProtocolRow {
    /// Its number.
    pub protocol: u8,
    /// IANA keyword ("UDP"; "" when IANA gives none).
    pub keyword: &'static str,
    /// IANA name ("User Datagram").
    pub name: &'static str,
    /// Records.
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
    /// ACCEPT records.
    pub accepted: u64,
    /// REJECT records.
    pub rejected: u64,
    /// The filter selecting the records.
    pub filter: Option<String>,
}

/// One bar of the chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimeBar {
    /// Its start (Unix seconds).
    pub start: u64,
    /// It in UTC.
    pub start_utc: String,
    /// Records that started in it.
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Those REJECTed.
    pub rejected: u64,
    /// The filter selecting the records (by `start`).
    pub filter: Option<String>,
}

/// Records over time.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    /// Width of a bar in seconds.
    pub width_s: u64,
    /// It in words.
    pub width_text: String,
    /// The bars, from the first record's to the last's (empty ones included).
    pub buckets: Vec<TimeBar>,
    /// Records without a start (not in the chart).
    pub records_without_start: u64,
}

/// The bounds of the computation.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Limits {
    /// Rows per table.
    pub top_n: usize,
    /// Keys a table keeps at least.
    pub max_keys: usize,
    /// Keys the addresses table keeps at least.
    pub max_address_keys: usize,
    /// Distinct values counted exactly.
    pub max_distinct: usize,
    /// Time buckets kept during the pass.
    pub max_time_buckets: usize,
}

/// A span in words, to the two largest units: `8 s`, `1 min 2 s`, `2 h 5 min`, `687 days 7 h`.
pub fn span_words(secs: u64, lang: Lang) -> String {
    let days = secs / 86_400;
    if days == 0 {
        return time::duration(secs, lang);
    }
    let h = secs % 86_400 / 3600;
    let (d, hours) = match lang {
        Lang::En => (
            format!("{days} {}", if days == 1 { "day" } else { "days" }),
            format!("{h} h"),
        ),
        Lang::Ja => (format!("{days} 日"), format!("{h} 時間")),
    };
    if h == 0 {
        d
    } else {
        format!("{d} {hours}")
    }
}

fn service_row(s: &Service) -> (u64, u64, u64, u64) {
    (s.all.records, s.all.bytes, s.accepted, s.rejected)
}

pub(super) fn build(o: &Overview, ctx: &Context<'_>, lang: Lang, n: usize) -> OverviewReport {
    let c = &o.n;
    let time = c.first_start.map(|first| {
        let last = c.last_end.unwrap_or(first).max(first);
        TimeSpan {
            first_start: first,
            first_start_utc: time::utc(first),
            last_end: last,
            last_end_utc: time::utc(last),
            span_s: last - first,
            span_text: span_words(last - first, lang),
        }
    });
    let totals = Totals {
        partial: o.partial,
        lines: o.lines,
        errors: o.errors,
        records: c.records,
        problems: o.problems,
        bytes: c.bytes,
        packets: c.packets,
        records_with_bytes: c.with_bytes,
        records_with_packets: c.with_packets,
        accepted: Sum {
            records: c.accepted.records,
            bytes: c.accepted.bytes,
        },
        rejected: Sum {
            records: c.rejected.records,
            bytes: c.rejected.bytes,
        },
        no_action: c.no_action,
        log_status: LogStatus {
            ok: c.ok,
            nodata: c.nodata,
            skipdata: c.skipdata,
            other: c.other_status,
            absent: c.no_status,
        },
        time,
        interfaces: if o.partial {
            DistinctCount {
                count: 0,
                exact: false,
            }
        } else {
            DistinctCount {
                count: o.interfaces_told.map_or(o.interfaces.count(), |t| t.0),
                exact: o.interfaces_told.map_or(o.interfaces.is_exact(), |t| t.1),
            }
        },
        addresses: {
            let (count, exact) = o.addresses.distinct().unwrap_or((0, false));
            DistinctCount { count, exact }
        },
        roles: RoleCounts {
            requests: c.requests,
            replies: c.replies,
            unknown: c.unknown_roles,
        },
    };

    let mut top_pairs = table(
        &o.pairs,
        n,
        |_, t| (t.value.bytes, t.value.records),
        |((s, d), t)| PairRow {
            src: explain(o, s.ip(), ctx, lang),
            dst: explain(o, d.ip(), ctx, lang),
            records: t.value.records,
            packets: t.value.packets,
            bytes: t.value.bytes,
            error: t.error,
            filter: Some(format!(
                "srcaddr={} and dstaddr={}",
                filter::addr(s.ip()),
                filter::addr(d.ip())
            )),
        },
    );
    top_pairs.others = Some(Others {
        records: c.paired.records - top_pairs.rows.iter().map(|r| r.records).sum::<u64>(),
        bytes: c
            .paired
            .bytes
            .saturating_sub(top_pairs.rows.iter().map(|r| r.bytes).sum()),
        packets: Some(
            c.paired_packets
                .saturating_sub(top_pairs.rows.iter().map(|r| r.packets).sum()),
        ),
        filter: None,
    });

    let top_addresses = table(
        &o.addresses,
        n,
        |_, t| {
            (
                t.value.sent.saturating_add(t.value.received),
                t.value.records,
            )
        },
        |(a, t)| AddressRow {
            address: explain(o, a.ip(), ctx, lang),
            records: t.value.records,
            sent: t.value.sent,
            received: t.value.received,
            bytes: t.value.sent.saturating_add(t.value.received),
            error: t.error,
            filter: Some(format!("addr={}", filter::addr(a.ip()))),
        },
    );

    let mut rejected_sources = table(
        &o.rejected,
        n,
        |_, t| (t.value.records, t.value.bytes),
        |(a, t)| {
            let r = &t.value;
            RejectedRow {
                address: explain(o, a.ip(), ctx, lang),
                records: r.records,
                bytes: r.bytes,
                ports: tried_ports(r),
                other_ports: r.other,
                replies: r.replies,
                error: t.error,
                filter: Some(format!(
                    "action=REJECT and srcaddr={}",
                    filter::addr(a.ip())
                )),
            }
        },
    );
    rejected_sources.others = Some(Others {
        records: c
            .rejected
            .records
            .saturating_sub(rejected_sources.rows.iter().map(|r| r.records).sum()),
        bytes: c
            .rejected
            .bytes
            .saturating_sub(rejected_sources.rows.iter().map(|r| r.bytes).sum()),
        packets: None,
        filter: None,
    });

    let mut services = table(
        &o.services,
        n,
        |_, t| (t.value.all.all.records, t.value.all.all.bytes),
        |((p, port), t)| {
            let (records, bytes, accepted, rejected) = service_row(&t.value.all);
            let s = port_name(p, port);
            ServiceRow {
                protocol: p,
                keyword: keyword(p),
                port,
                service: s.map(|s| s.name),
                name: s.map(|s| s.common.unwrap_or(s.name)),
                description: s.map(|s| s.description),
                records,
                bytes,
                accepted,
                rejected,
                requests: t.value.requests,
                replies: t.value.replies,
                unknown_roles: t.value.unknown,
                error: t.error,
                filter: Some(filter::service(p, port)),
            }
        },
    );
    services.others = Some(Others {
        records: c
            .ported
            .records
            .saturating_sub(services.rows.iter().map(|r| r.records).sum()),
        bytes: c
            .ported
            .bytes
            .saturating_sub(services.rows.iter().map(|r| r.bytes).sum()),
        packets: None,
        filter: None,
    });

    let mut protocols: Vec<ProtocolRow> = o
        .protocols
        .iter()
        .enumerate()
        .filter(|(_, s)| s.all.records > 0)
        .map(|(i, s)| {
            let p = protocol::protocol(i as u8);
            let (records, bytes, accepted, rejected) = service_row(s);
            ProtocolRow {
                protocol: p.number,
                keyword: p.keyword,
                name: p.name,
                records,
                bytes,
                accepted,
                rejected,
                filter: Some(format!("protocol={}", p.number)),
            }
        })
        .collect();
    protocols.sort_by(|a, b| {
        (b.records, b.bytes)
            .cmp(&(a.records, a.bytes))
            .then(a.protocol.cmp(&b.protocol))
    });

    let (width, bars) = o.timeline.chart();
    let timeline = Timeline {
        width_s: width,
        width_text: width_text(width, lang),
        buckets: bars
            .into_iter()
            .map(|(start, b)| TimeBar {
                start,
                start_utc: time::utc(start),
                records: b.records,
                bytes: b.bytes,
                rejected: b.rejected,
                filter: Some(filter::start_within(start, width)),
            })
            .collect(),
        records_without_start: c.without_start,
    };

    let story = story::build(o, ctx, lang, n);
    OverviewReport {
        lang,
        totals,
        top_pairs,
        top_addresses,
        rejected_sources,
        rejected_split: story.split,
        rejected_blocks: story.blocks,
        rejected_owners: story.owners,
        rejected_destinations: story.destinations,
        scans: story.scans,
        reject_texts: story.texts,
        services,
        protocols,
        timeline,
        limits: Limits {
            top_n: n,
            max_keys: o.max_keys,
            max_address_keys: o.max_keys * super::ADDRESS_KEYS_FACTOR,
            max_distinct: MAX_DISTINCT,
            max_time_buckets: MAX_FINE,
        },
    }
}

impl Overview {
    /// The report: `top_n` rows per table, addresses explained in `lang` with `ctx`.
    pub fn report(&self, ctx: &Context<'_>, lang: Lang, top_n: usize) -> OverviewReport {
        build(self, ctx, lang, top_n)
    }
}
