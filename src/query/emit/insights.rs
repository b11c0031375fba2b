//! CloudWatch Logs Insights queries for a VPC flow log group.

use super::lower::Cond;
use super::{
    any_of, default_fields, fields_read, header, lowered, Note, Options, Part, ACTIONS, COUNT,
    PORTS, PROTOCOLS, RECORDS, REJECTED, TALKERS, TIMELINE,
};
use crate::model::fields::{id, FieldId};
use crate::query::ast::{Expr, TextOp};
use crate::query::names;
use crate::t;
use ipnet::IpNet;

/// A field's name in Logs Insights: the name it discovers for the default format's fields
/// (`srcAddr`, `startTime`, `logStatus`), else the AWS name in camel case (`vpcId`,
/// `pktSrcAwsService`), as the `parse` flowlens writes names it.
pub fn insights_name(f: FieldId) -> String {
    match f.key() {
        "start" => return "startTime".into(),
        "end" => return "endTime".into(),
        "srcaddr" => return "srcAddr".into(),
        "dstaddr" => return "dstAddr".into(),
        "srcport" => return "srcPort".into(),
        "dstport" => return "dstPort".into(),
        _ => {}
    }
    let mut out = String::new();
    let mut upper = false;
    for c in f.key().chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `c` as an Insights boolean expression.
fn cond(c: &Cond) -> String {
    let group = |all: &[Cond], op: &str| {
        let parts: Vec<String> = all
            .iter()
            .map(|c| match c {
                Cond::And(_) | Cond::Or(_) => format!("({})", cond(c)),
                c => cond(c),
            })
            .collect();
        parts.join(op)
    };
    match c {
        Cond::True => "1 = 1".into(),
        Cond::False => "1 = 0".into(),
        Cond::And(all) => group(all, " and "),
        Cond::Or(all) => group(all, " or "),
        Cond::Not(inner) => format!("not ({})", cond(inner)),
        Cond::Absent(f) => {
            let n = insights_name(*f);
            format!("(not ispresent({n}) or {n} = \"-\")")
        }
        Cond::Nums(f, ranges) => nums(&insights_name(*f), ranges),
        Cond::Addrs(f, nets) => addrs(&insights_name(*f), nets),
        Cond::Texts(f, all) => texts(*f, all),
        Cond::Free(needle) => format!("@message like /(?i){}/", regex_escape(needle)),
    }
}

/// A text as a regular expression matching it literally.
fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if !c.is_ascii_alphanumeric() && c != ' ' && c != '-' && c != '_' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn nums(n: &str, ranges: &[(u64, u64)]) -> String {
    let singles: Vec<String> = ranges
        .iter()
        .filter(|(lo, hi)| lo == hi)
        .map(|(lo, _)| lo.to_string())
        .collect();
    let mut parts = Vec::new();
    match singles.len() {
        0 => {}
        1 => parts.push(format!("{n} = {}", singles[0])),
        _ => parts.push(format!("{n} in [{}]", singles.join(", "))),
    }
    for &(lo, hi) in ranges.iter().filter(|(lo, hi)| lo != hi) {
        parts.push(if hi == u64::MAX {
            format!("{n} >= {lo}")
        } else if lo == 0 {
            format!("{n} <= {hi}")
        } else {
            format!("({n} >= {lo} and {n} <= {hi})")
        });
    }
    any_of(parts, "or", "1 = 0", false)
}

fn addrs(n: &str, nets: &[IpNet]) -> String {
    let parts: Vec<String> = nets
        .iter()
        .map(|net| match net {
            IpNet::V4(v4) if v4.prefix_len() == 32 => format!("{n} = \"{}\"", v4.addr()),
            IpNet::V4(_) => format!("isIpv4InSubnet({n}, \"{net}\")"),
            IpNet::V6(_) => format!("isIpv6InSubnet({n}, \"{net}\")"),
        })
        .collect();
    any_of(parts, "or", "1 = 0", true)
}

fn texts(f: FieldId, all: &[(TextOp, Box<str>)]) -> String {
    let n = insights_name(f);
    let words = names::enumerated(f.spec().kind);
    let parts: Vec<String> = all
        .iter()
        .map(|(op, t)| {
            let canonical = words.and_then(|w| w.iter().find(|w| w.eq_ignore_ascii_case(t)));
            match (op, canonical) {
                (TextOp::Eq, Some(w)) => format!("{n} = {}", quote(w)),
                (TextOp::Eq, None) => format!("tolower({n}) = {}", quote(t)),
                (op, _) => {
                    let sym = op.symbol();
                    format!("({n} != \"-\" and tolower({n}) {sym} {})", quote(t))
                }
            }
        })
        .collect();
    any_of(parts, "or", "1 = 0", false)
}

/// The `parse @message` of a custom format (none for the default format).
fn parse_command(o: &Options<'_>) -> Option<String> {
    let fields = o.fields.filter(|f| !f.is_empty())?;
    if fields == default_fields().as_slice() {
        return None;
    }
    let stars = vec!["*"; fields.len()].join(" ");
    let names: Vec<String> = fields.iter().map(|f| insights_name(*f)).collect();
    Some(format!(
        "parse @message \"{stars}\" as {}",
        names.join(", ")
    ))
}

/// The commands before a table's own: the parse, then the filter and `more`.
fn prefix(parse: &Option<String>, filter: &str, more: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = parse.iter().cloned().collect();
    match (filter, more) {
        ("", None) => {}
        ("", Some(m)) => out.push(format!("filter {m}")),
        (f, None) => out.push(format!("filter {f}")),
        (f, Some(m)) => out.push(format!("filter ({f}) and {m}")),
    }
    out
}

/// The filter's condition text; empty when nothing is filtered.
fn filter_text(c: &Cond) -> String {
    match c {
        Cond::True => String::new(),
        c => cond(c),
    }
}

pub(crate) fn filter_command(expr: Option<&Expr>, o: &Options<'_>) -> String {
    let (c, _) = lowered(expr, o.aws);
    prefix(&parse_command(o), &filter_text(&c), None).join("\n| ")
}

pub(crate) fn all(expr: Option<&Expr>, o: &Options<'_>) -> String {
    let (c, mut notes) = lowered(expr, o.aws);
    let parse = parse_command(o);
    if parse.is_none() {
        let defaults = default_fields();
        let mut read = Vec::new();
        fields_read(&c, &mut read, &defaults);
        let missing: Vec<FieldId> = read.into_iter().filter(|f| !defaults.contains(f)).collect();
        if !missing.is_empty() {
            notes.push(Note::NotDiscovered(missing));
        }
    }
    let what = t!(
        "CloudWatch Logs Insights queries for a VPC flow log group; run one at a time",
        "VPC フローログのロググループに対する CloudWatch Logs Insights クエリ（1 つずつ実行します）"
    );
    let mut s = header(what, o, &notes, "#");
    let f = filter_text(&c);
    let top = o.top.max(1);
    let query = |p: &Part, more: Option<&str>, tail: &[String]| {
        let mut cmds = prefix(&parse, &f, more);
        cmds.extend(tail.iter().cloned());
        format!(
            "\n# [{}] {}\n{}\n",
            p.key,
            p.title.get(o.lang),
            cmds.join("\n| ")
        )
    };
    let (src, dst, dport) = (
        insights_name(id::SRCADDR),
        insights_name(id::DSTADDR),
        insights_name(id::DSTPORT),
    );
    s += &query(
        &RECORDS,
        None,
        &[
            "fields @timestamp, @message".into(),
            "sort @timestamp desc".into(),
            "limit 10000".into(),
        ],
    );
    s += &query(&COUNT, None, &["stats count(*) as records".into()]);
    s += &query(
        &ACTIONS,
        None,
        &[
            "stats count(*) as records, sum(packets) as packets, sum(bytes) as bytes by action"
                .into(),
            "sort records desc".into(),
        ],
    );
    s += &query(
        &TALKERS,
        Some(&format!("{src} != \"-\"")),
        &[
            format!("stats sum(bytes) as bytes, count(*) as records by {src}, {dst}"),
            "sort bytes desc".into(),
            format!("limit {top}"),
        ],
    );
    s += &query(
        &REJECTED,
        Some("action = \"REJECT\""),
        &[
            format!("stats count(*) as records, sum(bytes) as bytes by {src}"),
            "sort records desc".into(),
            format!("limit {top}"),
        ],
    );
    s += &query(
        &PORTS,
        Some(&format!("{dport} != \"-\"")),
        &[
            format!("stats count(*) as records, sum(bytes) as bytes by protocol, {dport}"),
            "sort records desc".into(),
            format!("limit {top}"),
        ],
    );
    s += &query(
        &PROTOCOLS,
        Some("protocol != \"-\""),
        &[
            "stats count(*) as records, sum(bytes) as bytes by protocol".into(),
            "sort records desc".into(),
        ],
    );
    s += &query(
        &TIMELINE,
        None,
        &["stats count(*) as records, sum(bytes) as bytes by bin(5m)".into()],
    );
    s
}
