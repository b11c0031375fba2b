//! The same question at scale: a filter ([`Expr`]) and the summary's main tables written as a
//! CloudWatch Logs Insights query for a VPC flow log group, and as Athena SQL over the table AWS
//! documents for flow logs in S3.
//!
//! ```
//! use flowlens::query::{emit, Query};
//! let q = Query::parse("action=reject and dstport in (22, 3389)").unwrap();
//! let o = emit::Options::default();
//! assert_eq!(
//!     emit::insights_filter(Some(q.expr()), &o),
//!     r#"filter action = "REJECT" and dstPort in [22, 3389]"#
//! );
//! assert_eq!(
//!     emit::athena_where(Some(q.expr()), &o),
//!     "action = 'REJECT' AND dstport IN (22, 3389)"
//! );
//! ```
//!
//! **Fields.** Logs Insights discovers the default format's fields in a VPC flow log group as
//! `version`, `accountId`, `interfaceId`, `srcAddr`, `dstAddr`, `srcPort`, `dstPort`,
//! `protocol`, `packets`, `bytes`, `startTime`, `endTime`, `action`, `logStatus` (AWS's
//! "Supported logs and discovered fields"); for a custom format the query starts with a `parse
//! @message` of the format's fields, in its order ([`Options::fields`]). Athena reads the table
//! of AWS's "Create a table for Amazon VPC flow logs" (`vpc_flow_logs`, partitioned by `date`),
//! whose columns are made here from the field-spec table ([`athena_table`]): AWS's own
//! statement has the columns of versions 2 to 5, the default here is the default format's.
//!
//! **Derived facts** have no column in AWS's engines. They are written as the fields they come
//! from, exactly where that can be: `scope`, `aws.service`, `aws.region`, `cloud` and
//! `from_internet` as the CIDR blocks where the fact holds (cut from IANA's special blocks, the
//! loaded ip-ranges.json and the other clouds' ranges: an AWS service may be hundreds of
//! blocks), `service` as its ports at either end on its protocol. What cannot be said exactly is
//! written in its closest form, and a comment ([`Note`]) says what differs: `role`,
//! `direction` (as `flow-direction`), `service` on a port from 1024 (flowlens reads the server's
//! port only), `service = -`, the interface's own address (`from_internet`), and every AWS
//! name when no ranges are loaded. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`, which AWS does
//! not write) are tested as IPv6 addresses.
//!
//! **Absent values.** In AWS's Athena table a `-` reads as NULL in an integer column and as
//! `'-'` in a string column; `field = -` is written as both. Every test under a `not` is made
//! two-valued (`coalesce(…, false)`), so that `not dstport = 22` keeps a record without a
//! port, as in flowlens (SQL's NULL would drop it).
//!
//! **CIDR blocks in SQL** are Trino's `contains('10.0.0.0/8', TRY_CAST(srcaddr AS IPADDRESS))`
//! (`TRY_CAST`: a `-` is NULL, not an error). The SQL is checked by running it: the tests in
//! `tests/sql/` load flowlens's CSV export into DuckDB as this table, define `IPADDRESS` as text
//! and `contains(network, address)` as a macro that compares the address's bits (IPv4 and
//! IPv6), run the emitted statements unchanged, and compare the counts with flowlens's.

mod athena;
mod insights;
mod lower;
mod sets;
#[cfg(test)]
mod tests;

use crate::classify::aws::AwsRanges;
use crate::model::fields::{field_id, FieldId, DEFAULT_FORMAT};
use crate::query::ast::Expr;
use crate::t;
use crate::text::{Lang, Text};
use lower::{Cond, Lower};

pub use athena::{athena_table, athena_type, column_name};
pub use insights::insights_name;

/// What the queries are written for.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// AWS's ranges, to write `aws.service`, `aws.region`, `cloud` and `from_internet` as
    /// blocks; without them no address is AWS's (as in flowlens), and a comment says so.
    pub aws: Option<&'a AwsRanges>,
    /// The language of the comments (the queries themselves are the same).
    pub lang: Lang,
    /// The flow log's fields in order (its format): the Athena table's columns, the Logs
    /// Insights `parse`; `None` for AWS's default format.
    pub fields: Option<&'a [FieldId]>,
    /// Rows of each summary table.
    pub top: usize,
    /// The expression as written, repeated in the first comment.
    pub source: Option<&'a str>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            aws: None,
            lang: Lang::En,
            fields: None,
            top: 10,
            source: None,
        }
    }
}

impl Options<'_> {
    /// The fields of the log: the given format, or AWS's default one.
    fn columns(&self) -> Vec<FieldId> {
        match self.fields {
            Some(f) if !f.is_empty() => f.to_vec(),
            _ => default_fields(),
        }
    }
}

/// AWS's default format's fields.
pub fn default_fields() -> Vec<FieldId> {
    DEFAULT_FORMAT.iter().filter_map(|k| field_id(k)).collect()
}

/// What a query cannot say exactly as flowlens does, said in a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Note {
    /// No ip-ranges.json: AWS names are not expanded.
    NoRanges,
    /// `from_internet` / `to_internet`: the interface's own address is not left out.
    OwnAddress,
    /// `role`: the closest form (system ports only).
    Role,
    /// `direction`: `flow-direction` only.
    Direction,
    /// `service` on ports from 1024: either port, not the server's.
    ServicePorts,
    /// `service = -`: the closest form.
    ServiceAbsent,
    /// Fields the Athena table lacks (a custom format): their columns.
    MissingColumns(Vec<FieldId>),
    /// Fields Logs Insights does not discover (not in the default format).
    NotDiscovered(Vec<FieldId>),
}

impl Note {
    /// The note in `lang`, one line.
    pub fn message(&self, lang: Lang) -> String {
        let fixed: Text = match self {
            Note::NoRanges => t!(
                "No AWS ip-ranges.json is loaded: AWS services and regions are not expanded, and no address counts as AWS's (as in flowlens without ranges).",
                "AWS の ip-ranges.json が読み込まれていません。AWS のサービスとリージョンは展開されず、どのアドレスも AWS のものとは扱われません（範囲なしの flowlens と同じ）。"
            ),
            Note::OwnAddress => t!(
                "from_internet / to_internet: flowlens also leaves out the record's own interface address (found in the whole input); that part is not translated.",
                "from_internet / to_internet: flowlens はレコード自身のインターフェイスのアドレス（入力全体から判明したもの）も除きますが、その部分は変換されていません。"
            ),
            Note::Role => t!(
                "role: closest form. flowlens ranks both ports (system, named, registered); here the server is the end on a system port (1-1023) and the client the end on a port from 1024.",
                "role: 近似形です。flowlens は両ポートを順位付けします（システム、名前付き、登録済み）が、ここではシステムポート（1～1023）側をサーバー、1024 以上の側をクライアントとしています。"
            ),
            Note::Direction => t!(
                "direction: written as flow-direction (ingress, egress); flowlens also tells it from the interface's own address when a record has no flow-direction.",
                "direction: flow-direction（ingress、egress）として書いています。flow-direction のないレコードでは、flowlens はインターフェイス自身のアドレスからも判断します。"
            ),
            Note::ServicePorts => t!(
                "service: tests the service's ports at either end; flowlens reads only the server's port (from the ports' ranks), so a record whose client uses such a port passes here too.",
                "service: サービスのポートを両端で調べています。flowlens はサーバー側のポート（ポートの順位で判断）だけを見るため、クライアントがそのポートを使うレコードもここでは通ります。"
            ),
            Note::ServiceAbsent => t!(
                "service = -: closest form (a protocol without ports, or no ports); flowlens also counts ports no service is known on.",
                "service = -: 近似形です（ポートのないプロトコル、またはポートなし）。flowlens はサービスの知られていないポートも含めます。"
            ),
            Note::MissingColumns(fields) => {
                let cols: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{} {}", column_name(*f), athena_type(*f)))
                    .collect();
                return match lang {
                    Lang::En => format!(
                        "The table lacks columns this query reads, which a custom format has: add {} (in the format's order).",
                        cols.join(", ")
                    ),
                    Lang::Ja => format!(
                        "このクエリが読む列がテーブルにありません（カスタム形式のフィールド）: {} を形式の順に追加してください。",
                        cols.join(", ")
                    ),
                };
            }
            Note::NotDiscovered(fields) => {
                let names: Vec<String> = fields.iter().map(|f| insights_name(*f)).collect();
                return match lang {
                    Lang::En => format!(
                        "Logs Insights discovers only the default format's fields: {} need a parse @message of your custom format (flowlens writes it when given a file of that format).",
                        names.join(", ")
                    ),
                    Lang::Ja => format!(
                        "Logs Insights が自動検出するのはデフォルト形式のフィールドだけです。{} にはカスタム形式の parse @message が必要です（その形式のファイルを与えると flowlens が書きます）。",
                        names.join("、")
                    ),
                };
            }
        };
        fixed.get(lang).to_string()
    }
}

/// A statement of the output: a stable key (`[count]`), its title, its text.
struct Part {
    key: &'static str,
    title: Text,
}

const RECORDS: Part = Part {
    key: "records",
    title: t!("Records that pass the filter", "絞り込みに一致するレコード"),
};
const COUNT: Part = Part {
    key: "count",
    title: t!(
        "How many records pass the filter (flowlens --count)",
        "絞り込みに一致するレコードの数（flowlens --count）"
    ),
};
const ACTIONS: Part = Part {
    key: "actions",
    title: t!(
        "Records, packets and bytes by action (the summary's totals)",
        "アクション別のレコード数・パケット数・バイト数（概要の合計）"
    ),
};
const TALKERS: Part = Part {
    key: "talkers",
    title: t!(
        "Top talkers: source and destination pairs by bytes",
        "通信量の多い送信元と送信先の組（バイト数順）"
    ),
};
const REJECTED: Part = Part {
    key: "rejected",
    title: t!(
        "Rejected sources, by records",
        "拒否された送信元（レコード数順）"
    ),
};
const PORTS: Part = Part {
    key: "ports",
    title: t!(
        "Destination ports (the summary's services count the server's port, which the roles of the ports tell; this counts the destination port)",
        "送信先ポート（概要のサービスはポートの役割から決まるサーバー側のポートを数えますが、ここでは送信先ポートを数えます）"
    ),
};
const PROTOCOLS: Part = Part {
    key: "protocols",
    title: t!("Protocols, by records", "プロトコル（レコード数順）"),
};
const TIMELINE: Part = Part {
    key: "timeline",
    title: t!(
        "Records over time, in 5-minute bins",
        "時間ごとのレコード数（5 分単位）"
    ),
};

/// The notes for `expr` (what its queries cannot say exactly), without the ones about fields.
pub fn notes(expr: &Expr, aws: Option<&AwsRanges>) -> Vec<Note> {
    let mut l = Lower::new(aws);
    let _ = l.expr(expr);
    l.notes
}

/// The lowered filter and its notes.
fn lowered(expr: Option<&Expr>, aws: Option<&AwsRanges>) -> (Cond, Vec<Note>) {
    let mut l = Lower::new(aws);
    let c = expr.map_or(Cond::True, |e| l.expr(e));
    (c, l.notes)
}

/// The fields a condition reads (free text reads them all).
fn fields_read(c: &Cond, out: &mut Vec<FieldId>, all: &[FieldId]) {
    let mut add = |f: FieldId| {
        if !out.contains(&f) {
            out.push(f);
        }
    };
    match c {
        Cond::True | Cond::False => {}
        Cond::And(v) | Cond::Or(v) => v.iter().for_each(|c| fields_read(c, out, all)),
        Cond::Not(c) => fields_read(c, out, all),
        Cond::Absent(f) | Cond::Nums(f, _) | Cond::Addrs(f, _) | Cond::Texts(f, _) => add(*f),
        Cond::Free(_) => all.iter().for_each(|f| add(*f)),
    }
}

/// The first comment lines of either engine: what this is, the expression, the notes.
fn header(what: Text, o: &Options<'_>, notes: &[Note], comment: &str) -> String {
    let mut s = format!(
        "{comment} flowlens {}: {}\n",
        env!("CARGO_PKG_VERSION"),
        what.get(o.lang)
    );
    if let Some(src) = o.source {
        let one_line: String = src
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let label = t!("filter", "絞り込み").get(o.lang);
        s += &format!("{comment} {label}: {one_line}\n");
    }
    for n in notes {
        let label = t!("note", "注意").get(o.lang);
        s += &format!("{comment} {label}: {}\n", n.message(o.lang));
    }
    s
}

/// Tests joined by `or` (the dialect's word for it) as the emitted queries lay them out: `none`
/// when there is no test, one as it is, a few in parentheses on one line; with `lines`, more
/// than three one per line.
pub(super) fn any_of(mut parts: Vec<String>, or: &str, none: &str, lines: bool) -> String {
    match parts.len() {
        0 => none.into(),
        1 => parts.remove(0),
        n if lines && n > 3 => format!("(\n    {}\n  )", parts.join(&format!("\n    {or} "))),
        _ => format!("({})", parts.join(&format!(" {or} "))),
    }
}

/// The fields of the formats `store`'s records have, in the order they are met (what
/// [`Options::fields`] takes for an input read).
pub fn input_fields(store: &crate::store::Store) -> Vec<FieldId> {
    let mut fields = Vec::new();
    for f in store.formats_in_use() {
        for id in f.columns.iter().filter_map(|c| c.known()) {
            if !fields.contains(&id) {
                fields.push(id);
            }
        }
    }
    fields
}

/// The Logs Insights queries: the records that pass the filter, their count, and the
/// summary's main tables, each after a `# [key] title` comment line.
pub fn insights(expr: Option<&Expr>, o: &Options<'_>) -> String {
    insights::all(expr, o)
}

/// The filter alone as a Logs Insights command (`filter …`; `parse @message …` first for a
/// custom format); an empty string when nothing is filtered and no parse is needed.
pub fn insights_filter(expr: Option<&Expr>, o: &Options<'_>) -> String {
    insights::filter_command(expr, o)
}

/// The Athena SQL: AWS's table, the records that pass the filter, their count, and the
/// summary's main tables, each statement after a `-- [key] title` comment line and ended by
/// `;`.
pub fn athena(expr: Option<&Expr>, o: &Options<'_>) -> String {
    athena::all(expr, o)
}

/// The filter alone as an Athena (Trino) boolean expression, for a `WHERE`; `TRUE` when
/// nothing is filtered.
pub fn athena_where(expr: Option<&Expr>, o: &Options<'_>) -> String {
    let (c, _) = lowered(expr, o.aws);
    athena::Sql::new(&o.columns()).cond(&c, false)
}
