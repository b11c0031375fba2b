//! The summary as readable text, for the command line (`flowlens --summary`).

use super::report::{OverviewReport, Table};
use crate::text::grouped;
use crate::text::Lang;
use serde_json::Value as Json;
use std::io::{self, Write};

/// English or Japanese.
fn l(lang: Lang, en: &'static str, ja: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// "10.0.4.135 (private, in your VPC)" / "10.0.4.135（プライベート、VPC 内）", with the interface
/// when it is its own address.
fn addr(a: &Json, lang: Lang) -> String {
    let ip = a["addr"].as_str().unwrap_or("?");
    let mut what = a["value"].as_str().unwrap_or("").to_string();
    if let Some(eni) = a["interface"].as_str() {
        what = match lang {
            Lang::En => format!("your instance, {eni}; {what}"),
            Lang::Ja => format!("自インスタンス、{eni}、{what}"),
        };
    }
    match lang {
        Lang::En => format!("{ip} ({what})"),
        Lang::Ja => format!("{ip}（{what}）"),
    }
}

fn approx<R>(t: &Table<R>, lang: Lang) -> &'static str {
    if t.exact {
        ""
    } else {
        l(
            lang,
            " [approximate: the table kept the heaviest keys]",
            " [概算: 上位のキーのみ保持]",
        )
    }
}

fn heading(out: &mut impl Write, text: &str) -> io::Result<()> {
    writeln!(out, "\n{text}")
}

/// "TCP 22 SSH ×3", "ICMP ×1", "UDP 123 ntp reply ×2".
fn tried(ports: &[super::report::TriedPort], other: u64, lang: Lang) -> String {
    let g = grouped;
    let mut all: Vec<String> = ports
        .iter()
        .map(|p| {
            let what = match (p.keyword, p.port, p.name) {
                (Some(k), Some(port), Some(n)) => format!("{k} {port} {n}"),
                (Some(k), Some(port), None) => format!("{k} {port}"),
                (Some(k), None, _) => k.to_string(),
                (None, Some(port), _) => port.to_string(),
                (None, None, _) => "-".to_string(),
            };
            let reply = if p.reply {
                l(lang, " reply", " 応答")
            } else {
                ""
            };
            format!("{what}{reply} ×{}", g(p.records))
        })
        .collect();
    if other > 0 {
        all.push(format!("{} ×{}", l(lang, "others", "その他"), g(other)));
    }
    all.join(", ")
}

/// "~1,234" when estimated.
fn about(n: u64, exact: bool) -> String {
    if exact {
        grouped(n)
    } else {
        format!("~{}", grouped(n))
    }
}

/// The REJECT story: the parts of the rejected traffic, its sources by block and by owner, the
/// input's own addresses most rejected, the scans.
fn write_reject_story(out: &mut impl Write, r: &OverviewReport) -> io::Result<()> {
    let lang = r.lang;
    let g = grouped;
    let tx = &r.reject_texts;
    let rec = l(lang, "rec.", "件");
    let bytes = l(lang, "bytes", "バイト");
    let replies = l(lang, "replies", "応答");
    if r.totals.rejected.records == 0 {
        return Ok(());
    }
    heading(out, tx.split)?;
    for p in r.rejected_split.iter().filter(|p| p.records > 0) {
        writeln!(
            out,
            "  {:>8} {rec} {:>14} {bytes}  {}: {}",
            g(p.records),
            g(p.bytes),
            p.label,
            p.text
        )?;
    }
    let others = |o: &Option<super::report::Others>| -> Option<String> {
        o.as_ref().filter(|o| o.records > 0).map(|o| {
            format!(
                "      {:>8} {rec} {:>14} {bytes}  {}",
                g(o.records),
                g(o.bytes),
                tx.others
            )
        })
    };
    if !r.rejected_blocks.rows.is_empty() {
        heading(
            out,
            &format!("{}{}", tx.blocks, approx(&r.rejected_blocks, lang)),
        )?;
        for (i, b) in r.rejected_blocks.rows.iter().enumerate() {
            writeln!(
                out,
                "  {:>2}. {:>8} {rec} {:>14} {bytes}  {:<22} {} {} · {} {}",
                i + 1,
                g(b.records),
                g(b.bytes),
                b.block,
                l(lang, "sources", "送信元"),
                g(b.sources),
                replies,
                g(b.replies)
            )?;
        }
        if let Some(o) = others(&r.rejected_blocks.others) {
            writeln!(out, "{o}")?;
        }
    }
    let (open, close) = match lang {
        Lang::En => ("(", ")"),
        Lang::Ja => ("（", "）"),
    };
    if !r.rejected_owners.rows.is_empty() {
        heading(
            out,
            &format!("{}{}", tx.owners, approx(&r.rejected_owners, lang)),
        )?;
        for (i, o) in r.rejected_owners.rows.iter().enumerate() {
            writeln!(
                out,
                "  {:>2}. {:>8} {rec} {:>14} {bytes}  {}  {open}{} {} · {} {}{close}",
                i + 1,
                g(o.records),
                g(o.bytes),
                o.label,
                l(lang, "sources", "送信元"),
                about(o.sources, o.sources_exact),
                replies,
                g(o.replies)
            )?;
        }
        if let Some(o) = others(&r.rejected_owners.others) {
            writeln!(out, "{o}")?;
        }
    }
    if !r.rejected_destinations.rows.is_empty() {
        heading(
            out,
            &format!(
                "{}{}",
                tx.destinations,
                approx(&r.rejected_destinations, lang)
            ),
        )?;
        for (i, d) in r.rejected_destinations.rows.iter().enumerate() {
            writeln!(
                out,
                "  {:>2}. {:>8} {rec}  {}  [{}]",
                i + 1,
                g(d.records),
                addr(&d.address, lang),
                tried(&d.ports, d.other_ports, lang)
            )?;
        }
    }
    if !r.scans.rows.is_empty() {
        heading(out, &format!("{}{}", tx.scans, approx(&r.scans, lang)))?;
        for (i, s) in r.scans.rows.iter().enumerate() {
            let kind = match s.kind {
                "vertical" => tx.vertical,
                "horizontal" => tx.horizontal,
                _ => tx.both,
            };
            let examples: Vec<String> = s.example_ports.iter().map(|p| p.to_string()).collect();
            writeln!(
                out,
                "  {:>2}. {}  {kind}: {} {} · {} {}  ({} {rec}; {} {})",
                i + 1,
                addr(&s.address, lang),
                about(s.ports, s.ports_exact),
                l(lang, "ports", "ポート"),
                about(s.destinations, s.destinations_exact),
                l(lang, "destinations", "送信先"),
                g(s.records),
                l(lang, "e.g.", "例:"),
                examples.join(", ")
            )?;
        }
        writeln!(out, "  {open}{}{close}", tx.scans_note)?;
    }
    Ok(())
}

/// Writes the summary as text in the report's language.
pub fn write_text(out: &mut impl Write, r: &OverviewReport) -> io::Result<()> {
    let lang = r.lang;
    let t = &r.totals;
    let g = grouped;
    match lang {
        Lang::En => writeln!(
            out,
            "Summary: {} records ({} lines, {} errors{})",
            g(t.records),
            g(t.lines),
            g(t.errors),
            if t.problems > 0 {
                format!(", {} records with problems", g(t.problems))
            } else {
                String::new()
            }
        )?,
        Lang::Ja => writeln!(
            out,
            "概要: {} レコード（{} 行、エラー {}{}）",
            g(t.records),
            g(t.lines),
            g(t.errors),
            if t.problems > 0 {
                format!("、問題のあるレコード {}", g(t.problems))
            } else {
                String::new()
            }
        )?,
    }
    if let Some(s) = &t.time {
        let (open, close) = match lang {
            Lang::En => (" (", ")"),
            Lang::Ja => ("（", "）"),
        };
        writeln!(
            out,
            "  {}  {} → {}{open}{}{close}",
            l(lang, "time      ", "期間      "),
            s.first_start_utc,
            s.last_end_utc,
            s.span_text
        )?;
    }
    match lang {
        Lang::En => writeln!(
            out,
            "  traffic     {} bytes, {} packets ({} records have a byte count)",
            g(t.bytes),
            g(t.packets),
            g(t.records_with_bytes)
        )?,
        Lang::Ja => writeln!(
            out,
            "  通信量      {} バイト、{} パケット（バイト数のあるレコード {}）",
            g(t.bytes),
            g(t.packets),
            g(t.records_with_bytes)
        )?,
    }
    writeln!(
        out,
        "  {}  ACCEPT {} ({} {}) · REJECT {} ({} {}) · {} {}",
        l(lang, "actions   ", "アクション"),
        g(t.accepted.records),
        g(t.accepted.bytes),
        l(lang, "bytes", "バイト"),
        g(t.rejected.records),
        g(t.rejected.bytes),
        l(lang, "bytes", "バイト"),
        l(lang, "no action", "アクションなし"),
        g(t.no_action)
    )?;
    let st = &t.log_status;
    writeln!(
        out,
        "  log-status  OK {} · NODATA {} · SKIPDATA {}",
        g(st.ok),
        g(st.nodata),
        g(st.skipdata)
    )?;
    let about = |d: &super::report::DistinctCount| {
        if d.exact {
            g(d.count)
        } else {
            format!("~{}", g(d.count))
        }
    };
    writeln!(
        out,
        "  {}  {} {} · {} {}",
        l(lang, "distinct  ", "観測数    "),
        about(&t.interfaces),
        l(lang, "interfaces", "インターフェイス"),
        about(&t.addresses),
        l(lang, "addresses", "アドレス")
    )?;

    if !r.top_pairs.rows.is_empty() {
        heading(
            out,
            &format!(
                "{}{}",
                l(
                    lang,
                    "Top talkers (source → destination, by bytes)",
                    "通信量の多い組み合わせ（送信元 → 送信先、バイト数順）"
                ),
                approx(&r.top_pairs, lang)
            ),
        )?;
        for (i, p) in r.top_pairs.rows.iter().enumerate() {
            writeln!(
                out,
                "  {:>2}. {:>14} {}  {:>8} {}  {}  →  {}",
                i + 1,
                g(p.bytes),
                l(lang, "bytes", "バイト"),
                g(p.records),
                l(lang, "rec.", "件"),
                addr(&p.src, lang),
                addr(&p.dst, lang)
            )?;
        }
    }
    if !r.top_addresses.rows.is_empty() {
        heading(
            out,
            &format!(
                "{}{}",
                l(
                    lang,
                    "Top addresses (bytes sent + received)",
                    "通信量の多いアドレス（送信 + 受信バイト数）"
                ),
                approx(&r.top_addresses, lang)
            ),
        )?;
        for (i, a) in r.top_addresses.rows.iter().enumerate() {
            writeln!(
                out,
                "  {:>2}. {:>14} {} ({} {} / {} {})  {}",
                i + 1,
                g(a.bytes),
                l(lang, "bytes", "バイト"),
                l(lang, "sent", "送信"),
                g(a.sent),
                l(lang, "received", "受信"),
                g(a.received),
                addr(&a.address, lang)
            )?;
        }
    }
    if !r.rejected_sources.rows.is_empty() {
        heading(
            out,
            &format!(
                "{}{}",
                l(
                    lang,
                    "Rejected sources (REJECT records, ports tried)",
                    "拒否された送信元（REJECT レコード数、試行した送信先ポート）"
                ),
                approx(&r.rejected_sources, lang)
            ),
        )?;
        for (i, s) in r.rejected_sources.rows.iter().enumerate() {
            writeln!(
                out,
                "  {:>2}. {:>8} {}  {}  [{}]",
                i + 1,
                g(s.records),
                l(lang, "rec.", "件"),
                addr(&s.address, lang),
                tried(&s.ports, s.other_ports, lang)
            )?;
        }
    }
    write_reject_story(out, r)?;
    if !r.services.rows.is_empty() {
        heading(
            out,
            &format!(
                "{}{}",
                l(
                    lang,
                    "Services (server port, by records)",
                    "サービス（サーバー側ポート、レコード数順）"
                ),
                approx(&r.services, lang)
            ),
        )?;
        let width = r
            .services
            .rows
            .iter()
            .map(|p| p.name.map_or(1, |n| n.chars().count()))
            .max()
            .unwrap_or(1);
        for (i, p) in r.services.rows.iter().enumerate() {
            let unknown = if p.unknown_roles > 0 {
                match lang {
                    Lang::En => format!(" · roles unknown {}", g(p.unknown_roles)),
                    Lang::Ja => format!(" · 役割不明 {}", g(p.unknown_roles)),
                }
            } else {
                String::new()
            };
            writeln!(
                out,
                "  {:>2}. {} {:<5} {:<width$} {:>8} {}  {:>14} {}  {} {} · {} {}{unknown}  ACCEPT {} · REJECT {}",
                i + 1,
                p.keyword,
                p.port,
                p.name.unwrap_or("-"),
                g(p.records),
                l(lang, "rec.", "件"),
                g(p.bytes),
                l(lang, "bytes", "バイト"),
                l(lang, "requests", "リクエスト"),
                g(p.requests),
                l(lang, "replies", "応答"),
                g(p.replies),
                g(p.accepted),
                g(p.rejected)
            )?;
        }
        let roles = &r.totals.roles;
        let (requests, replies, unknown) = (g(roles.requests), g(roles.replies), g(roles.unknown));
        match (lang, roles.unknown) {
            (Lang::En, 0) => writeln!(
                out,
                "  (at the server's port, not the client's ephemeral one: {requests} requests to \
                 it, {replies} replies from it)"
            )?,
            (Lang::En, _) => writeln!(
                out,
                "  (at the server's port, not the client's ephemeral one: {requests} requests to \
                 it, {replies} replies from it; {unknown} records whose ends could not be told \
                 apart at their destination port)"
            )?,
            (Lang::Ja, 0) => writeln!(
                out,
                "  （クライアントのエフェメラルポートではなくサーバー側のポートで集計: リクエスト {requests}、応答 {replies}）"
            )?,
            (Lang::Ja, _) => writeln!(
                out,
                "  （クライアントのエフェメラルポートではなくサーバー側のポートで集計: リクエスト {requests}、応答 {replies}。\
                 どちらがサーバーか判別できない {unknown} 件は送信先ポートで集計）"
            )?,
        }
    }
    if !r.protocols.is_empty() {
        heading(out, l(lang, "Protocols", "プロトコル"))?;
        for p in &r.protocols {
            let name = if p.keyword.is_empty() {
                format!("{} ({})", p.protocol, p.name)
            } else {
                format!("{} ({})", p.keyword, p.protocol)
            };
            writeln!(
                out,
                "  {:<16} {:>8} {}  {:>14} {}  ACCEPT {} · REJECT {}",
                name,
                g(p.records),
                l(lang, "rec.", "件"),
                g(p.bytes),
                l(lang, "bytes", "バイト"),
                g(p.accepted),
                g(p.rejected)
            )?;
        }
    }
    let tl = &r.timeline;
    if !tl.buckets.is_empty() {
        match lang {
            Lang::En => heading(
                out,
                &format!("Records over time (one bar = {}, by start)", tl.width_text),
            )?,
            Lang::Ja => heading(
                out,
                &format!(
                    "時間ごとのレコード数（1 本 = {}、start 基準）",
                    tl.width_text
                ),
            )?,
        }
        let max = tl
            .buckets
            .iter()
            .map(|b| b.records)
            .max()
            .unwrap_or(1)
            .max(1);
        for b in tl.buckets.iter().filter(|b| b.records > 0) {
            let bar = "█".repeat(((b.records * 40).div_ceil(max)) as usize);
            writeln!(
                out,
                "  {}  {:<40}  {} {}, {} {}, REJECT {}",
                b.start_utc,
                bar,
                g(b.records),
                l(lang, "rec.", "件"),
                g(b.bytes),
                l(lang, "bytes", "バイト"),
                g(b.rejected)
            )?;
        }
    }
    Ok(())
}
