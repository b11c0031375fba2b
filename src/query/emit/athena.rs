//! Athena (Trino SQL) over the table AWS documents for flow logs in S3.

use super::lower::Cond;
use super::{
    any_of, fields_read, header, lowered, Note, Options, Part, ACTIONS, COUNT, PORTS, PROTOCOLS,
    RECORDS, REJECTED, TALKERS, TIMELINE,
};
use crate::model::fields::{id, FieldId, Kind};
use crate::query::ast::TextOp;
use crate::query::names;
use crate::t;
use ipnet::IpNet;

/// AWS's page whose `CREATE EXTERNAL TABLE` the table follows.
pub const AWS_TABLE_PAGE: &str =
    "https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html";

/// The table's name, as AWS's statement calls it.
pub const TABLE: &str = "vpc_flow_logs";

/// A field's column: its AWS name with `_` for `-` (`log-status` → `log_status`).
pub fn column_name(f: FieldId) -> String {
    f.key().replace('-', "_")
}

/// A column as a query writes it (`end` is a reserved word: `"end"`).
fn col(f: FieldId) -> String {
    let n = column_name(f);
    if n == "end" {
        "\"end\"".into()
    } else {
        n
    }
}

/// A field's column type, as AWS's statement gives it: `int` for versions, ports, TCP flags
/// and small codes, `bigint` for the protocol, counts and times, `string` for the rest.
pub fn athena_type(f: FieldId) -> &'static str {
    match f.spec().kind {
        Kind::Version
        | Kind::Port
        | Kind::TcpFlags
        | Kind::TrafficPath
        | Kind::EncryptionStatus => "int",
        Kind::Protocol | Kind::Packets | Kind::Bytes | Kind::Time | Kind::PacketsLost => "bigint",
        _ => "string",
    }
}

/// AWS's `CREATE EXTERNAL TABLE` for flow logs in S3 with a column per field of `fields` (in
/// the format's order; AWS's default format when `None`), partitioned by `date`, after comment
/// lines in `lang`.
pub fn athena_table(fields: Option<&[FieldId]>, lang: crate::text::Lang) -> String {
    let fields = match fields {
        Some(f) if !f.is_empty() => f.to_vec(),
        _ => super::default_fields(),
    };
    let mut s = String::new();
    let title = t!(
        "The table AWS documents for flow logs in S3",
        "AWS が S3 のフローログ用に記載しているテーブル"
    );
    s += &format!("-- [table] {}: {AWS_TABLE_PAGE}\n", title.get(lang));
    let custom = t!(
        "For a custom format, list its fields in its order (flowlens does when given a file); the columns of the other fields are:",
        "カスタム形式では、そのフィールドを形式の順に並べます（ファイルを与えると flowlens が書きます）。ほかのフィールドの列:"
    );
    let others: Vec<String> = crate::model::fields::FIELDS
        .iter()
        .enumerate()
        .map(|(i, _)| FieldId(i as u16))
        .filter(|f| f.spec().group.in_vpc() && !fields.contains(f))
        .map(|f| format!("{} {}", column_name(f), athena_type(f)))
        .collect();
    if !others.is_empty() {
        s += &format!("-- {}\n", custom.get(lang));
        for chunk in others.chunks(6) {
            s += &format!("--   {}\n", chunk.join(", "));
        }
    }
    s += &format!("CREATE EXTERNAL TABLE IF NOT EXISTS `{TABLE}` (\n");
    let cols: Vec<String> = fields
        .iter()
        .map(|f| {
            let n = column_name(*f);
            let n = if n == "end" { "`end`".to_string() } else { n };
            format!("  {n} {}", athena_type(*f))
        })
        .collect();
    s += &cols.join(",\n");
    s += "\n)\nPARTITIONED BY (`date` date)\nROW FORMAT DELIMITED\nFIELDS TERMINATED BY ' '\n";
    s += "LOCATION 's3://amzn-s3-demo-bucket/prefix/AWSLogs/{account_id}/vpcflowlogs/{region_code}/'\n";
    s += "TBLPROPERTIES (\"skip.header.line.count\"=\"1\");\n";
    s
}

/// A string literal.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Writes conditions as SQL over a table of `columns` (free text reads them).
pub(crate) struct Sql<'a> {
    columns: &'a [FieldId],
}

impl<'a> Sql<'a> {
    pub(crate) fn new(columns: &'a [FieldId]) -> Sql<'a> {
        Sql { columns }
    }

    /// `c` as a boolean expression; under a `not` (`neg`), each test is two-valued.
    pub(crate) fn cond(&self, c: &Cond, neg: bool) -> String {
        let wrap = |s: String| {
            if neg {
                format!("coalesce({s}, false)")
            } else {
                s
            }
        };
        let group = |all: &[Cond], op: &str| {
            let parts: Vec<String> = all
                .iter()
                .map(|c| match c {
                    Cond::And(_) | Cond::Or(_) => format!("({})", self.cond(c, neg)),
                    c => self.cond(c, neg),
                })
                .collect();
            parts.join(op)
        };
        match c {
            Cond::True => "TRUE".into(),
            Cond::False => "FALSE".into(),
            Cond::And(all) => group(all, " AND "),
            Cond::Or(all) => group(all, " OR "),
            Cond::Not(inner) => match &**inner {
                Cond::And(_) | Cond::Or(_) => format!("NOT ({})", self.cond(inner, true)),
                inner => format!("NOT {}", self.cond(inner, true)),
            },
            Cond::Absent(f) => {
                if f.spec().kind.is_integer() {
                    format!("{} IS NULL", col(*f))
                } else {
                    format!("({0} IS NULL OR {0} = '-')", col(*f))
                }
            }
            Cond::Nums(f, ranges) => wrap(nums(&col(*f), ranges)),
            Cond::Addrs(f, nets) => wrap(addrs(&col(*f), nets)),
            Cond::Texts(f, all) => wrap(texts(*f, all)),
            Cond::Free(needle) => wrap(self.free(needle)),
        }
    }

    /// Free text: any column whose value, as flowlens writes it, contains it (numbers only for
    /// digits, addresses only for hexadecimal digits, `.` and `:`).
    fn free(&self, needle: &str) -> String {
        let b = needle.as_bytes();
        let number = b.iter().all(u8::is_ascii_digit);
        let address = b
            .iter()
            .all(|c| c.is_ascii_hexdigit() || *c == b'.' || *c == b':');
        let lit = quote(needle);
        let mut parts = Vec::new();
        for f in self.columns {
            let kind = f.spec().kind;
            let c = col(*f);
            if kind.is_integer() {
                if number {
                    parts.push(format!("strpos(CAST({c} AS varchar), {lit}) > 0"));
                }
            } else if kind == Kind::Address {
                if address {
                    parts.push(format!("strpos(lower({c}), {lit}) > 0"));
                }
            } else if "-".contains(needle) {
                parts.push(format!("({c} <> '-' AND strpos(lower({c}), {lit}) > 0)"));
            } else {
                parts.push(format!("strpos(lower({c}), {lit}) > 0"));
            }
        }
        any_of(parts, "OR", "FALSE", false)
    }
}

/// An integer column in inclusive ranges.
fn nums(c: &str, ranges: &[(u64, u64)]) -> String {
    let max = i64::MAX as u64;
    let singles: Vec<String> = ranges
        .iter()
        .filter(|(lo, hi)| lo == hi && *lo <= max)
        .map(|(lo, _)| lo.to_string())
        .collect();
    let mut parts = Vec::new();
    match singles.len() {
        0 => {}
        1 => parts.push(format!("{c} = {}", singles[0])),
        _ => parts.push(format!("{c} IN ({})", singles.join(", "))),
    }
    for &(lo, hi) in ranges.iter().filter(|(lo, hi)| lo != hi && *lo <= max) {
        parts.push(if hi >= max {
            format!("{c} >= {lo}")
        } else if lo == 0 {
            format!("{c} <= {hi}")
        } else {
            format!("{c} BETWEEN {lo} AND {hi}")
        });
    }
    any_of(parts, "OR", "FALSE", false)
}

/// An address column in CIDR blocks: Trino's `contains` over the address read as an
/// `IPADDRESS` (a `-` reads as NULL); a single IPv4 address compared as text.
fn addrs(c: &str, nets: &[IpNet]) -> String {
    let parts: Vec<String> = nets
        .iter()
        .map(|n| match n {
            IpNet::V4(v4) if v4.prefix_len() == 32 => format!("{c} = '{}'", v4.addr()),
            n => format!("contains('{n}', TRY_CAST({c} AS IPADDRESS))"),
        })
        .collect();
    any_of(parts, "OR", "FALSE", true)
}

/// A text column compared in any case (the values of an enumerated field as AWS writes them).
fn texts(f: FieldId, all: &[(TextOp, Box<str>)]) -> String {
    let c = col(f);
    let words = names::enumerated(f.spec().kind);
    let parts: Vec<String> = all
        .iter()
        .map(|(op, t)| {
            let canonical = words.and_then(|w| w.iter().find(|w| w.eq_ignore_ascii_case(t)));
            match (op, canonical) {
                (TextOp::Eq, Some(w)) => format!("{c} = {}", quote(w)),
                (TextOp::Eq, None) => format!("lower({c}) = {}", quote(t)),
                (op, _) => {
                    let sym = op.symbol();
                    format!("({c} <> '-' AND lower({c}) {sym} {})", quote(t))
                }
            }
        })
        .collect();
    any_of(parts, "OR", "FALSE", false)
}

/// `WHERE` with the filter and `more` (either may be missing).
fn where_clause(filter: &str, more: Option<&str>) -> String {
    match (filter, more) {
        ("TRUE", None) => String::new(),
        ("TRUE", Some(m)) => format!("\nWHERE {m}"),
        (f, None) => format!("\nWHERE {f}"),
        (f, Some(m)) => format!("\nWHERE ({f})\n  AND {m}"),
    }
}

/// Everything: the table, the records, the count, the summary's tables.
pub(crate) fn all(expr: Option<&crate::query::ast::Expr>, o: &Options<'_>) -> String {
    let columns = o.columns();
    let (c, mut notes) = lowered(expr, o.aws);
    let mut read = Vec::new();
    fields_read(&c, &mut read, &columns);
    for f in [
        id::ACTION,
        id::SRCADDR,
        id::DSTADDR,
        id::DSTPORT,
        id::PROTOCOL,
        id::BYTES,
        id::PACKETS,
        id::START,
    ] {
        if !read.contains(&f) {
            read.push(f);
        }
    }
    let missing: Vec<FieldId> = read.into_iter().filter(|f| !columns.contains(f)).collect();
    if !missing.is_empty() {
        notes.push(Note::MissingColumns(missing));
    }
    let what = t!(
        "Athena (Trino SQL) over AWS's table for VPC flow logs in S3",
        "S3 の VPC フローログ用の AWS のテーブルに対する Athena（Trino SQL）"
    );
    let mut s = header(what, o, &notes, "--");
    s += "\n";
    s += &athena_table(Some(&columns), o.lang);
    let w = Sql::new(&columns).cond(&c, false);
    let top = o.top.max(1);
    let t = TABLE;
    let statement =
        |p: &Part, sql: String| format!("\n-- [{}] {}\n{sql};\n", p.key, p.title.get(o.lang));
    s += &statement(
        &RECORDS,
        format!(
            "SELECT *\nFROM {t}{}\nORDER BY start\nLIMIT 1000",
            where_clause(&w, None)
        ),
    );
    s += &statement(
        &COUNT,
        format!(
            "SELECT count(*) AS records\nFROM {t}{}",
            where_clause(&w, None)
        ),
    );
    s += &statement(
        &ACTIONS,
        format!(
            "SELECT action, count(*) AS records, sum(packets) AS packets, sum(bytes) AS bytes\nFROM {t}{}\nGROUP BY action\nORDER BY records DESC",
            where_clause(&w, None)
        ),
    );
    s += &statement(
        &TALKERS,
        format!(
            "SELECT srcaddr, dstaddr, count(*) AS records, sum(packets) AS packets, sum(bytes) AS bytes\nFROM {t}{}\nGROUP BY srcaddr, dstaddr\nORDER BY bytes DESC NULLS LAST, records DESC\nLIMIT {top}",
            where_clause(&w, Some("srcaddr <> '-'"))
        ),
    );
    s += &statement(
        &REJECTED,
        format!(
            "SELECT srcaddr, count(*) AS records, sum(bytes) AS bytes\nFROM {t}{}\nGROUP BY srcaddr\nORDER BY records DESC, bytes DESC NULLS LAST\nLIMIT {top}",
            where_clause(&w, Some("action = 'REJECT'"))
        ),
    );
    s += &statement(
        &PORTS,
        format!(
            "SELECT protocol, dstport, count(*) AS records, sum(bytes) AS bytes,\n  count_if(action = 'ACCEPT') AS accepted, count_if(action = 'REJECT') AS rejected\nFROM {t}{}\nGROUP BY protocol, dstport\nORDER BY records DESC\nLIMIT {top}",
            where_clause(&w, Some("dstport IS NOT NULL"))
        ),
    );
    s += &statement(
        &PROTOCOLS,
        format!(
            "SELECT protocol, count(*) AS records, sum(bytes) AS bytes,\n  count_if(action = 'ACCEPT') AS accepted, count_if(action = 'REJECT') AS rejected\nFROM {t}{}\nGROUP BY protocol\nORDER BY records DESC",
            where_clause(&w, Some("protocol IS NOT NULL"))
        ),
    );
    s += &statement(
        &TIMELINE,
        format!(
            "SELECT start - start % 300 AS bin_start, count(*) AS records, sum(bytes) AS bytes,\n  count_if(action = 'REJECT') AS rejected\nFROM {t}{}\nGROUP BY 1\nORDER BY 1",
            where_clause(&w, Some("start IS NOT NULL"))
        ),
    );
    s
}
