//! Inferring a format from the values of lines that come without a header or a given format.
//!
//! A guess is never silent: it is checked against every value of every sampled line (the lines
//! that contradict it are named), it says how sure it is ([`Certainty`]) and why, and it names the
//! other formats that fit the values as well. When no guess is good it refuses ([`Refusal`]) and
//! the lines stay errors that ask for a header line or a format.
//!
//! The order of the attempts: AWS's named formats first (the default formats, every field of a
//! version in AWS's order, the default fields plus the ECS fields), each of which must fit every
//! value; then an assignment of fields to columns from the values' shapes, AWS's catalogue order,
//! start ≤ end and packets ≤ bytes. A column of that assignment is reported as certain only when
//! no other assignment that fits every sampled line gives it another field (alternating cycles and paths of a bipartite matching).

use crate::model::fields::{field_id, FieldId, FieldSpec, Group, Kind, DEFAULT_FORMAT, FIELDS};
use crate::model::format::{Column, Format, FormatOrigin};
use crate::model::value::parse_value;
use crate::t;
use crate::text::Lang;
use serde::Serialize;

/// How sure a guess is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// Many fields could be somewhere else: columns of only `-`, columns of different kinds that
    /// the values cannot tell apart, or lines that contradict the guess.
    Weak,
    /// Every column's kind is settled; only the order of fields of one kind (srcaddr before
    /// dstaddr, ...) is taken from AWS's catalogue order, as formats are usually written.
    Likely,
    /// One of AWS's named formats fits every value and no other format does.
    Certain,
}

impl Certainty {
    /// The word for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Certainty::Certain => t!("certain", "確実").get(lang),
            Certainty::Likely => t!("likely", "おそらく正しい").get(lang),
            Certainty::Weak => t!("weak", "不確か").get(lang),
        }
    }
}

/// One of AWS's formats with a name: the ones users have without writing a format themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Named {
    /// AWS's default VPC format (14 fields).
    Default,
    /// AWS's default transit gateway format (36 fields).
    TransitGatewayDefault,
    /// Every VPC field up to `version`, in AWS's order (a custom format with all fields chosen).
    AllFields {
        /// The highest version.
        version: u8,
    },
    /// The default fields followed by the ten ECS fields of version 7.
    DefaultWithEcs,
}

/// The versions for which "every field up to it" is a named format.
const ALL_FIELDS_VERSIONS: [u8; 5] = [3, 4, 5, 7, 8];

impl Named {
    /// Every named format, in order of preference.
    pub fn all() -> Vec<Named> {
        let mut v = vec![Named::Default, Named::TransitGatewayDefault];
        v.extend(
            ALL_FIELDS_VERSIONS
                .iter()
                .map(|&version| Named::AllFields { version }),
        );
        v.push(Named::DefaultWithEcs);
        v
    }

    /// The fields, in order.
    pub fn fields(self) -> Vec<FieldId> {
        let ids = |keys: &[&str]| keys.iter().filter_map(|k| field_id(k)).collect::<Vec<_>>();
        match self {
            Named::Default => ids(&DEFAULT_FORMAT),
            Named::TransitGatewayDefault => ids(&crate::model::fields::TGW_DEFAULT_FORMAT),
            Named::AllFields { version } => FIELDS
                .iter()
                .enumerate()
                .filter(|(_, f)| f.group != Group::TransitGateway && f.version <= version)
                .map(|(i, _)| FieldId(i as u16))
                .collect(),
            Named::DefaultWithEcs => {
                let mut v = ids(&DEFAULT_FORMAT);
                v.extend(
                    FIELDS
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| {
                            matches!(f.kind, Kind::EcsArn | Kind::EcsName | Kind::EcsId)
                        })
                        .map(|(i, _)| FieldId(i as u16)),
                );
                v
            }
        }
    }

    /// E.g. "a version 3 custom format with every field in AWS's order".
    pub fn describe(self, lang: Lang) -> String {
        match (self, lang) {
            (Named::Default, Lang::En) => "AWS's default format (version 2)".into(),
            (Named::Default, Lang::Ja) => "AWS のデフォルト形式（バージョン 2）".into(),
            (Named::TransitGatewayDefault, Lang::En) => {
                "AWS's default transit gateway format".into()
            }
            (Named::TransitGatewayDefault, Lang::Ja) => {
                "AWS のトランジットゲートウェイのデフォルト形式".into()
            }
            (Named::AllFields { version }, Lang::En) => format!(
                "a version {version} custom format (every field up to version {version}, in AWS's order)"
            ),
            (Named::AllFields { version }, Lang::Ja) => format!(
                "バージョン {version} のカスタム形式（バージョン {version} までの全フィールドを AWS の順序で並べたもの）"
            ),
            (Named::DefaultWithEcs, Lang::En) => {
                "a version 7 custom format (the default fields, then the ten ECS fields)".into()
            }
            (Named::DefaultWithEcs, Lang::Ja) => {
                "バージョン 7 のカスタム形式（デフォルトのフィールドと ECS の 10 フィールド）".into()
            }
        }
    }
}

/// A format inferred from sample lines, with how sure it is and what else would fit.
#[derive(Clone, Debug, PartialEq)]
pub struct Inference {
    /// The most likely format.
    pub format: Format,
    /// The AWS format it is, when it is a named one.
    pub named: Option<Named>,
    /// How sure the guess is.
    pub certainty: Certainty,
    /// Groups of columns (0-based) whose fields the values cannot tell apart, with the fields
    /// assumed for them in order (AWS's catalogue order).
    pub ambiguous: Vec<Ambiguity>,
    /// Columns (0-based) holding only `-` in every sampled line: any field that may be empty fits.
    pub dashes: Vec<usize>,
    /// Other formats that fit the values as well (at most [`MAX_ALTERNATIVES`]).
    pub alternatives: Vec<Format>,
    /// Sampled lines (by line number) that contradict the guess: another number of fields, or a
    /// value its field cannot hold.
    pub contradicting: Vec<u64>,
    /// Lines the guess was made from.
    pub sample: usize,
    /// Share of sample values that fit the guessed fields (0.0 to 1.0).
    pub fit: f64,
}

/// Columns that could hold each other's fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ambiguity {
    /// The columns, 0-based.
    pub columns: Vec<usize>,
    /// The fields assumed for them, in the same order.
    pub assumed: Vec<&'static str>,
    /// Other fields that would fit these columns as well.
    pub alternatives: Vec<&'static str>,
}

/// Why no format was guessed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Refusal {
    /// No line had any token.
    NoLines,
    /// No assignment of known fields fits the values.
    NoFit {
        /// Tokens on the most common kind of line.
        width: usize,
    },
    /// The lines are mostly free words, not flow log values.
    NotFlowLogs,
    /// Half the columns or more hold only `-`: the values cannot say which fields they are.
    MostlyDashes {
        /// The columns, 0-based.
        columns: Vec<usize>,
        /// Tokens per line.
        width: usize,
    },
    /// The best guess is contradicted by half the lines or more.
    Contradicted {
        /// The lines that contradict it (the first [`MAX_LISTED`]).
        lines: Vec<u64>,
        /// Lines sampled.
        sample: usize,
    },
}

/// At most this many alternative formats are named.
pub const MAX_ALTERNATIVES: usize = 3;
/// At most this many line numbers are listed.
pub const MAX_LISTED: usize = 20;

/// "3, 7, 12 (and 4 more)": line or column numbers for a message.
fn list(numbers: impl IntoIterator<Item = u64>, total: usize, lang: Lang) -> String {
    let shown: Vec<String> = numbers.into_iter().map(|n| n.to_string()).collect();
    let sep = match lang {
        Lang::En => ", ",
        Lang::Ja => "、",
    };
    let mut s = shown.join(sep);
    if total > shown.len() {
        let more = total - shown.len();
        match lang {
            Lang::En => s.push_str(&format!(" (and {more} more)")),
            Lang::Ja => s.push_str(&format!("（ほか {more} 行）")),
        }
    }
    s
}

impl Refusal {
    /// Why no format was guessed, and what to do.
    pub fn message(&self, lang: Lang) -> String {
        let what = match lang {
            Lang::En => "add a header line of field names or give the format",
            Lang::Ja => "フィールド名のヘッダー行を追加するか、形式を指定してください",
        };
        match (self, lang) {
            (Refusal::NoLines, Lang::En) => format!("no line to guess a format from; {what}"),
            (Refusal::NoLines, Lang::Ja) => format!("形式を推測できる行がありません。{what}"),
            (Refusal::NoFit { width }, Lang::En) => format!(
                "no format guessed: no arrangement of flow log fields fits the values of these {width}-field lines; {what}"
            ),
            (Refusal::NoFit { width }, Lang::Ja) => format!(
                "形式を推測しませんでした: {width} 個のフィールドの値に合うフローログのフィールドの並びがありません。{what}"
            ),
            (Refusal::NotFlowLogs, Lang::En) => format!(
                "no format guessed: the lines are mostly words, not flow log values; {what}"
            ),
            (Refusal::NotFlowLogs, Lang::Ja) => format!(
                "形式を推測しませんでした: 行の大半がフローログの値ではなく単語です。{what}"
            ),
            (Refusal::MostlyDashes { columns, width }, Lang::En) => format!(
                "no format guessed: {} of the {width} columns hold only '-', so the values cannot say which fields they are; {what}",
                columns.len()
            ),
            (Refusal::MostlyDashes { columns, width }, Lang::Ja) => format!(
                "形式を推測しませんでした: {width} 列のうち {} 列が '-' だけで、値からはどのフィールドか分かりません。{what}",
                columns.len()
            ),
            (Refusal::Contradicted { lines, sample }, Lang::En) => format!(
                "no format guessed: the best guess is contradicted by lines {} of the {sample} sampled; {what}",
                list(lines.iter().copied(), lines.len(), lang)
            ),
            (Refusal::Contradicted { lines, sample }, Lang::Ja) => format!(
                "形式を推測しませんでした: 最も合う推測でも、調べた {sample} 行のうち {} 行目と合いません。{what}",
                list(lines.iter().copied(), lines.len(), lang)
            ),
        }
    }
}

impl Inference {
    /// What is sure and what is not, one sentence each: the certainty and why, the columns in
    /// doubt, the alternatives, the lines that contradict the guess.
    pub fn notes(&self, lang: Lang) -> Vec<String> {
        let mut notes = Vec::new();
        let why = match (&self.named, self.certainty, lang) {
            (Some(n), Certainty::Certain, Lang::En) => {
                format!("it is {} and every value fits it", n.describe(lang))
            }
            (Some(n), Certainty::Certain, Lang::Ja) => {
                format!("{}で、すべての値が合います", n.describe(lang))
            }
            (Some(n), _, Lang::En) => format!("it looks like {}", n.describe(lang)),
            (Some(n), _, Lang::Ja) => format!("{}のようです", n.describe(lang)),
            (None, Certainty::Likely, Lang::En) => {
                "every column's kind is settled by its values; fields of one kind are assumed in AWS's order".into()
            }
            (None, Certainty::Likely, Lang::Ja) => {
                "各列の値から種類は決まりますが、同じ種類のフィールドの順序は AWS の順序と仮定しています".into()
            }
            (None, _, Lang::En) => "some columns could hold other fields".into(),
            (None, _, Lang::Ja) => "一部の列は別のフィールドである可能性があります".into(),
        };
        notes.push(match lang {
            Lang::En => format!("Certainty: {} ({why}).", self.certainty.label(lang)),
            Lang::Ja => format!("確からしさ: {}（{why}）。", self.certainty.label(lang)),
        });
        if !self.dashes.is_empty() {
            let cols = list(
                self.dashes.iter().map(|c| *c as u64 + 1),
                self.dashes.len(),
                lang,
            );
            let assumed: Vec<&str> = self
                .dashes
                .iter()
                .filter_map(|c| self.format.columns.get(*c).map(Column::name))
                .collect();
            notes.push(match lang {
                Lang::En => format!(
                    "Columns {cols} hold only '-': their fields ({}) are a guess.",
                    assumed.join(", ")
                ),
                Lang::Ja => format!(
                    "{cols} 列目は '-' だけなので、フィールド（{}）は推測です。",
                    assumed.join("、")
                ),
            });
        }
        for alt in &self.alternatives {
            // Only the columns where the alternative differs: "columns 8, 9 as dstaddr, srcaddr".
            let diff: Vec<(usize, &str)> = alt
                .columns
                .iter()
                .zip(&self.format.columns)
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .map(|(j, (a, _))| (j + 1, a.name()))
                .collect();
            let cols = list(diff.iter().map(|(j, _)| *j as u64), diff.len(), lang);
            let names: Vec<&str> = diff.iter().map(|(_, n)| *n).collect();
            notes.push(match lang {
                Lang::En => format!("Fits as well: columns {cols} as {}.", names.join(", ")),
                Lang::Ja => format!(
                    "同じように合う形式: {cols} 列目を {} とするもの。",
                    names.join("、")
                ),
            });
        }
        if !self.contradicting.is_empty() {
            let lines = list(
                self.contradicting.iter().copied().take(MAX_LISTED),
                self.contradicting.len(),
                lang,
            );
            notes.push(match lang {
                Lang::En => format!("Lines that contradict the guess: {lines}."),
                Lang::Ja => format!("推測と合わない行: {lines} 行目。"),
            });
        }
        notes
    }
}

/// What a line of `found` fields looks like, for the error of a line with the wrong number of
/// fields: "21 fields: this looks like a version 3 custom format (...); add a header line or give
/// the format". `None` for short lines that match no named format (cut or broken lines).
pub fn count_hint(found: usize, lang: Lang) -> Option<String> {
    let named = Named::all().into_iter().find(|n| n.fields().len() == found);
    match (named, lang) {
        (Some(n), Lang::En) => Some(format!(
            "{found} fields: this looks like {}; add a header line or give the format",
            n.describe(lang)
        )),
        (Some(n), Lang::Ja) => Some(format!(
            "{found} 個のフィールドは{}のようです。ヘッダー行を追加するか、形式を指定してください",
            n.describe(lang)
        )),
        (None, _) if found < 6 => None,
        (None, Lang::En) => Some(format!(
            "{found} fields: this looks like a custom format; add a header line or give the format"
        )),
        (None, Lang::Ja) => Some(format!(
            "{found} 個のフィールドはカスタム形式のようです。ヘッダー行を追加するか、形式を指定してください"
        )),
    }
}

/// Tokens used to measure how much a kind of field accepts: the fewer it accepts, the more a match
/// says about a column.
const PROBES: &[&str] = &[
    "0",
    "2",
    "7",
    "300",
    "65536",
    "1744521785",
    "1744521785123",
    "654654279488",
    "10.0.0.1",
    "2001:db8::1",
    "ACCEPT",
    "OK",
    "eni-0a1b2c",
    "vpc-0a1b2c",
    "i-0a1b2c",
    "subnet-0a",
    "us-east-1",
    "use1-az1",
    "ingress",
    "IPv4",
    "S3",
    "abc",
    "Name%3Dx",
    "arn:aws:ecs:us-east-1:1:task/x",
    "TransitGateway",
    "tgw-0a1b",
    "nat_gateway",
];

fn specificity(field: FieldId) -> f64 {
    let kind = field.spec().kind;
    let accepted = PROBES
        .iter()
        .filter(|p| parse_value(kind, p).is_some() && plausible(field, p))
        .count();
    1.0 + (PROBES.len() - accepted) as f64 / PROBES.len() as f64
}

/// Protocols seen in flow logs often enough that a column of other numbers is unlikely to be the
/// protocol (ICMP, TCP, UDP, IPv6 encapsulation, GRE, ESP, AH, ICMPv6, EIGRP, OSPF, PIM, VRRP,
/// SCTP).
const COMMON_PROTOCOLS: [u64; 13] = [1, 6, 17, 41, 47, 50, 51, 58, 88, 89, 103, 112, 132];

/// Extra plausibility checks a kind's parser alone does not make (used to score columns, never to
/// call a line wrong).
fn plausible(field: FieldId, token: &str) -> bool {
    let n = || token.parse::<u64>().ok();
    match field.spec().key {
        "start" | "end" => n().is_some_and(|v| {
            (1_000_000_000..=4_102_444_800).contains(&v)
                || (1_000_000_000_000..=4_102_444_800_000).contains(&v)
        }),
        "version" => n().is_some_and(|v| (2..=20).contains(&v)),
        "traffic-path" => n().is_some_and(|v| (1..=8).contains(&v)),
        "protocol" => n().is_some_and(|v| COMMON_PROTOCOLS.contains(&v)),
        // FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, OR-ed.
        "tcp-flags" => n().is_some_and(|v| v <= 63),
        // An ECS ARN names its resource type; IDs of tasks and container instances are 32 hex
        // digits, container IDs 64 (or Fargate's `<32 hex>-<digits>`).
        "ecs-cluster-arn" => token.contains(":cluster/"),
        "ecs-container-instance-arn" => token.contains(":container-instance/"),
        "ecs-task-definition-arn" => token.contains(":task-definition/"),
        "ecs-task-arn" => token.contains(":task/"),
        "ecs-container-instance-id" | "ecs-task-id" => token.len() == 32,
        "ecs-container-id" | "ecs-second-container-id" => token.len() != 32,
        _ => true,
    }
}

/// Fields AWS always fills: in every record (version, start, end, log-status), or in every record
/// of traffic (`ACCEPT`, `REJECT` or `OK` on the line): the addresses, protocol, counts and action,
/// which come from the packets themselves. A `-` there contradicts the field.
fn required(field: FieldId, traffic: bool) -> bool {
    match field.spec().key {
        "version" | "start" | "end" | "log-status" => true,
        "srcaddr" | "dstaddr" | "protocol" | "packets" | "bytes" | "action" => traffic,
        _ => false,
    }
}

/// Fields that are often `-` (not applicable): a column of only `-` is one of these rather than a
/// field AWS usually fills (vpc-id, bytes ...).
fn often_absent(field: FieldId) -> bool {
    let spec = field.spec();
    matches!(
        spec.kind,
        Kind::InstanceId
            | Kind::SublocationType
            | Kind::SublocationId
            | Kind::AwsService
            | Kind::TrafficPath
            | Kind::EcsArn
            | Kind::EcsName
            | Kind::EcsId
            | Kind::RejectReason
            | Kind::ResourceId
            | Kind::Tag
            | Kind::EncryptionStatus
    ) || spec.key.starts_with("next-hop-")
        || spec.key.starts_with("tgw-src-")
        || spec.key.starts_with("tgw-dst-")
        || spec.key == "tgw-pair-attachment-id"
}

/// A line of traffic (not NODATA or SKIPDATA): its required fields cannot be `-`.
fn is_traffic(row: &[&str]) -> bool {
    row.iter().any(|t| matches!(*t, "ACCEPT" | "REJECT" | "OK"))
}

/// How well field `f` fits the sample values of one column: the share of its values it accepts
/// (a `-` counts only where the field cannot be empty), 1.0 when no value says anything.
fn fit(field: FieldId, values: &[&str], traffic: &[bool]) -> f64 {
    let kind = field.spec().kind;
    let mut n = 0usize;
    let mut ok = 0usize;
    for (v, t) in values.iter().zip(traffic) {
        if *v == "-" {
            if required(field, *t) {
                n += 1;
            }
            continue;
        }
        n += 1;
        if parse_value(kind, v).is_some() && plausible(field, v) {
            ok += 1;
        }
    }
    if n == 0 {
        1.0
    } else {
        ok as f64 / n as f64
    }
}

/// True when the tokens of one line are a record of `fields`: as many tokens as fields, every
/// value one its field can hold (`-` only where the field may be empty), start ≤ end, packets ≤
/// bytes. This is the test every sampled line must pass, or be named as contradicting the guess.
pub fn row_fits(fields: &[FieldId], row: &[&str]) -> bool {
    if row.len() != fields.len() {
        return false;
    }
    let traffic = is_traffic(row);
    let each = fields.iter().zip(row).all(|(f, t)| {
        if *t == "-" {
            !required(*f, traffic)
        } else {
            parse_value(f.spec().kind, t).is_some()
        }
    });
    each && ordered(fields, row, "start", "end") && ordered(fields, row, "packets", "bytes")
}

/// Field `a`'s number is at most field `b`'s on this line (true when either is missing).
fn ordered(fields: &[FieldId], row: &[&str], a: &str, b: &str) -> bool {
    let at = |k: &str| {
        let id = field_id(k)?;
        let i = fields.iter().position(|f| *f == id)?;
        row.get(i)?.parse::<u64>().ok()
    };
    match (at(a), at(b)) {
        (Some(x), Some(y)) => x <= y,
        _ => true,
    }
}

/// Bytes per packet on this line, when both are there: at least an IPv4 header (20 bytes), at
/// most a 64 KiB packet. Settles packets against other small numbers (tcp-flags, ports).
fn plausible_sizes(fields: &[FieldId], row: &[&str]) -> bool {
    let at = |k: &str| {
        let id = field_id(k)?;
        let i = fields.iter().position(|f| *f == id)?;
        row.get(i)?.parse::<u64>().ok()
    };
    match (at("packets"), at("bytes")) {
        (Some(p), Some(b)) => {
            p == 0 || (p.saturating_mul(20) <= b && b <= p.saturating_mul(65_535))
        }
        _ => true,
    }
}

/// Minimum share of a column's `n` values a field must accept to be a candidate for it: all of
/// them in a small sample, one wrong value in five or more (a line that contradicts the guess is
/// then named rather than the guess refused), 95% in a large one.
fn min_fit(n: usize) -> f64 {
    if n < 5 {
        1.0
    } else {
        (1.0 - 1.0 / n as f64).min(0.95)
    }
}

/// Infers the format of record lines without a header ([`infer_lines`] with lines numbered from
/// 1); `None` when it refuses.
pub fn infer(lines: &[&str]) -> Option<Inference> {
    let numbered: Vec<(u64, &str)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, *l))
        .collect();
    infer_lines(&numbered).ok()
}

/// Infers the format of record lines without a header, from `(line number, text)` pairs: AWS's
/// named formats first (one must fit every value of the lines of the most common width), then an
/// assignment of fields to columns. Every line is then checked against the guess; the guess says
/// how sure it is and what else fits, or the inference refuses.
pub fn infer_lines(lines: &[(u64, &str)]) -> Result<Inference, Refusal> {
    let all: Vec<(u64, Vec<&str>)> = lines
        .iter()
        .map(|(n, l)| (*n, crate::model::tokens::tokens(l).collect::<Vec<_>>()))
        .filter(|(_, r)| !r.is_empty())
        .collect();
    let mut widths: Vec<usize> = all.iter().map(|(_, r)| r.len()).collect();
    widths.sort_unstable();
    let width = mode(&widths).ok_or(Refusal::NoLines)?;
    let rows: Vec<&Vec<&str>> = all
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r.len() == width)
        .collect();
    let traffic: Vec<bool> = rows.iter().map(|r| is_traffic(r)).collect();
    let columns: Vec<Vec<&str>> = (0..width)
        .map(|j| rows.iter().map(|r| r[j]).collect())
        .collect();
    // The record's version bounds the fields it can hold (version = the highest field version).
    let version = columns.first().and_then(|vals| {
        let v: Option<Vec<u64>> = vals.iter().map(|t| t.parse::<u64>().ok()).collect();
        v?.into_iter().max().filter(|v| (2..=20).contains(v))
    });
    // Transit gateway records hold no VPC-only field, and VPC records no transit gateway field.
    let transit = rows.iter().any(|r| r.contains(&"TransitGateway"));
    let allowed = |f: &FieldSpec| {
        version.is_none_or(|v| u64::from(f.version) <= v)
            && if transit {
                f.group != Group::Vpc
            } else {
                f.group != Group::TransitGateway
            }
    };
    let rank = catalogue_rank(transit);
    let dashes: Vec<usize> = (0..width)
        .filter(|j| columns[*j].iter().all(|v| *v == "-"))
        .collect();
    let named_fits: Vec<(Named, Vec<FieldId>)> = Named::all()
        .into_iter()
        .map(|n| (n, n.fields()))
        .filter(|(_, ids)| {
            ids.len() == width
                && ids.iter().all(|f| allowed(f.spec()))
                && rows.iter().all(|r| row_fits(ids, r))
        })
        .collect();
    let score = scores(&columns, &traffic, &allowed);
    let (named, assignment) = match named_fits.first() {
        Some((n, ids)) => (Some(*n), ids.clone()),
        None if dashes.len() * 2 >= width => {
            return Err(Refusal::MostlyDashes {
                columns: dashes,
                width,
            })
        }
        None => {
            let mut a = assign(&score, &rank).ok_or(Refusal::NoFit { width })?;
            order_swaps(&mut a, &score, &rank);
            fix_pairs(&mut a, &columns);
            repair(&mut a, &score, &rows);
            (None, a)
        }
    };
    // Words fit the fields that take free words (tags, ECS names, interface types): prose or
    // random bytes must not pass for records. Most columns must hold values of a stricter shape.
    let strict = assignment.iter().filter(|f| !takes_words(**f)).count();
    if strict == 0 || strict * 2 < width {
        return Err(Refusal::NotFlowLogs);
    }
    let contradicting: Vec<u64> = all
        .iter()
        .filter(|(_, r)| !row_fits(&assignment, r))
        .map(|(n, _)| *n)
        .collect();
    if contradicting.len() * 2 >= all.len() {
        return Err(Refusal::Contradicted {
            lines: contradicting.into_iter().take(MAX_LISTED).collect(),
            sample: all.len(),
        });
    }
    let (ambiguous, others): (Vec<Ambiguity>, Vec<Vec<FieldId>>) = if named.is_some() {
        (Vec::new(), Vec::new())
    } else {
        ambiguities(&assignment, &score, &rows).into_iter().unzip()
    };
    let as_format = |ids: &[FieldId]| Format {
        columns: ids.iter().map(|f| Column::Known(*f)).collect(),
        origin: FormatOrigin::Inferred,
    };
    let mut alternatives: Vec<Format> = named_fits
        .iter()
        .skip(1)
        .map(|(_, ids)| as_format(ids))
        .collect();
    for alt in others.iter().filter(|a| !a.is_empty()) {
        alternatives.push(as_format(alt));
    }
    alternatives.truncate(MAX_ALTERNATIVES);
    let cross_kind = ambiguous.iter().any(|a| {
        let kinds: Vec<Kind> = a
            .assumed
            .iter()
            .filter_map(|k| field_id(k))
            .map(|f| f.spec().kind)
            .collect();
        kinds.windows(2).any(|w| w[0] != w[1])
    });
    let certainty = if !contradicting.is_empty() {
        Certainty::Weak
    } else if named.is_some() {
        if alternatives.is_empty() {
            Certainty::Certain
        } else {
            Certainty::Likely
        }
    } else if !dashes.is_empty() || cross_kind {
        Certainty::Weak
    } else {
        Certainty::Likely
    };
    let total: f64 = assignment
        .iter()
        .enumerate()
        .map(|(j, f)| fit(*f, &columns[j], &traffic))
        .sum();
    Ok(Inference {
        format: as_format(&assignment),
        named,
        certainty,
        ambiguous,
        dashes,
        alternatives,
        contradicting,
        sample: all.len(),
        fit: total / width as f64,
    })
}

/// score[j][f]: how well field f explains column j, or None when it cannot hold its values.
fn scores(
    columns: &[Vec<&str>],
    traffic: &[bool],
    allowed: &dyn Fn(&FieldSpec) -> bool,
) -> Vec<Vec<Option<f64>>> {
    columns
        .iter()
        .map(|vals| {
            let all_dash = vals.iter().all(|v| *v == "-");
            (0..FIELDS.len())
                .map(|f| {
                    let id = FieldId(f as u16);
                    let spec = id.spec();
                    if !allowed(spec) {
                        return None;
                    }
                    let fit = fit(id, vals, traffic);
                    // Older fields are more common: a small bonus breaks ties in their favour.
                    let common = 0.3 * (12.0 - f64::from(spec.version.min(12))) / 10.0;
                    (fit >= min_fit(vals.len())).then(|| {
                        if all_dash {
                            // A column of `-` is more likely a field that is often empty.
                            (if often_absent(id) { 0.5 } else { 0.25 }) + common
                        } else {
                            specificity(id) * fit + common
                        }
                    })
                })
                .collect()
        })
        .collect()
}

/// Fields whose values may be almost any word: their fit says little about a column.
fn takes_words(field: FieldId) -> bool {
    matches!(
        field.spec().kind,
        Kind::Tag
            | Kind::EcsName
            | Kind::InterfaceType
            | Kind::ResourceType
            | Kind::AwsService
            | Kind::RejectReason
    )
}

fn mode(sorted: &[usize]) -> Option<usize> {
    let mut best = None;
    let mut best_n = 0;
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..]
            .iter()
            .position(|w| *w != sorted[i])
            .map_or(sorted.len(), |k| i + k);
        if j - i > best_n {
            best_n = j - i;
            best = Some(sorted[i]);
        }
        i = j;
    }
    best
}

/// Assigns fields to columns, best (column, field) pairs first, each field at most once; ties go
/// to the leftmost column and to the field earliest in AWS's catalogue, so that fields of one kind
/// (srcaddr, dstaddr, pkt-srcaddr ...) keep AWS's order.
fn assign(score: &[Vec<Option<f64>>], rank: &[usize]) -> Option<Vec<FieldId>> {
    let mut pairs: Vec<(f64, usize, usize)> = score
        .iter()
        .enumerate()
        .flat_map(|(j, row)| {
            row.iter()
                .enumerate()
                .filter_map(move |(f, s)| Some((s.as_ref().copied()?, j, f)))
        })
        .collect();
    pairs.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(rank[a.2].cmp(&rank[b.2]))
    });
    let mut out: Vec<Option<FieldId>> = vec![None; score.len()];
    let mut used = vec![false; score.first()?.len()];
    for (_, j, f) in pairs {
        if out[j].is_none() && !used[f] {
            out[j] = Some(FieldId(f as u16));
            used[f] = true;
        }
    }
    out.into_iter().collect()
}

/// Two fields can trade columns with (almost) no loss of fit: the values cannot tell them apart.
const EXCHANGEABLE: f64 = 0.05;

fn swap_loss(a: &[FieldId], score: &[Vec<Option<f64>>], j: usize, k: usize) -> Option<f64> {
    let (fj, fk) = (a[j].0 as usize, a[k].0 as usize);
    let before = score[j][fj]? + score[k][fk]?;
    let after = score[j][fk]? + score[k][fj]?;
    Some(before - after)
}

/// Each field's place in the order formats are usually written in: AWS's catalogue (the VPC
/// user guide's table), or for transit gateway records the transit gateway default format's
/// order, then the rest of the catalogue.
fn catalogue_rank(transit: bool) -> Vec<usize> {
    let tgw = crate::model::fields::TGW_DEFAULT_FORMAT;
    (0..FIELDS.len())
        .map(|i| {
            let key = FIELDS[i].key;
            match tgw.iter().position(|k| *k == key) {
                Some(p) if transit => p,
                _ if transit => tgw.len() + i,
                _ => i,
            }
        })
        .collect()
}

/// Pairs of columns out of the usual order.
fn inversions(a: &[FieldId], rank: &[usize]) -> usize {
    let mut n = 0;
    for (j, x) in a.iter().enumerate() {
        n += a[j + 1..]
            .iter()
            .filter(|y| rank[y.0 as usize] < rank[x.0 as usize])
            .count();
    }
    n
}

/// Swaps exchangeable fields into AWS's catalogue order (formats are usually written in it).
fn order_swaps(a: &mut [FieldId], score: &[Vec<Option<f64>>], rank: &[usize]) {
    let mut current = inversions(a, rank);
    let mut improved = true;
    while improved {
        improved = false;
        for j in 0..a.len() {
            for k in j + 1..a.len() {
                if rank[a[k].0 as usize] >= rank[a[j].0 as usize]
                    || swap_loss(a, score, j, k).is_none_or(|l| l > EXCHANGEABLE)
                {
                    continue;
                }
                a.swap(j, k);
                let after = inversions(a, rank);
                if after < current {
                    current = after;
                    improved = true;
                } else {
                    a.swap(j, k);
                }
            }
        }
    }
}

/// Lines of `rows` that are records of `a` with plausible packet sizes.
fn good_rows(a: &[FieldId], rows: &[&Vec<&str>]) -> usize {
    let good = rows
        .iter()
        .filter(|r| row_fits(a, r) && plausible_sizes(a, r))
        .count();
    // Twice the lines, and one more when packets and bytes are both there (a format with
    // packets almost always has bytes: counts pushed one column over leave bytes out).
    let has = |k: &str| field_id(k).is_some_and(|id| a.contains(&id));
    good * 2 + usize::from(has("packets") && has("bytes") && good == rows.len())
}

/// Where the greedy assignment leaves lines that do not fit (a small count taken for tcp-flags,
/// packets pushed onto the bytes column ...): the one swap of two columns' fields, or change of
/// one column's field to an unused one, that makes the most lines fit, a few times over.
fn repair(a: &mut Vec<FieldId>, score: &[Vec<Option<f64>>], rows: &[&Vec<&str>]) {
    let dash: Vec<bool> = (0..a.len())
        .map(|j| rows.iter().all(|r| r[j] == "-"))
        .collect();
    for _ in 0..4 {
        let now = good_rows(a, rows);
        let mut best: Option<(usize, f64, Vec<FieldId>)> = None;
        let mut consider = |cand: Vec<FieldId>, loss: f64| {
            let good = good_rows(&cand, rows);
            if good > now
                && best
                    .as_ref()
                    .is_none_or(|(g, l, _)| good > *g || (good == *g && loss < *l))
            {
                best = Some((good, loss, cand));
            }
        };
        for j in 0..a.len() {
            // A column of only `-` takes no field from here (it would only move a field AWS
            // fills onto it), which also keeps the search small.
            if dash[j] {
                continue;
            }
            for (k, _) in dash.iter().enumerate().skip(j + 1).filter(|(_, d)| !**d) {
                if let Some(loss) = swap_loss(a, score, j, k) {
                    let mut c = a.clone();
                    c.swap(j, k);
                    consider(c, loss);
                }
            }
            for (f, sc) in score[j].iter().enumerate() {
                let (Some(sc), Some(cur)) = (sc, score[j][a[j].0 as usize]) else {
                    continue;
                };
                if a.iter().any(|x| x.0 as usize == f) {
                    continue;
                }
                let mut c = a.clone();
                c[j] = FieldId(f as u16);
                consider(c, cur - sc);
                // Or the field moves on to another column, and this one takes the unused one.
                for k in 0..a.len() {
                    if k != j && !dash[k] && score[k][a[j].0 as usize].is_some() {
                        let mut c = a.clone();
                        c[k] = a[j];
                        c[j] = FieldId(f as u16);
                        consider(c, cur - sc);
                    }
                }
            }
        }
        match best {
            Some((_, _, c)) => *a = c,
            None => return,
        }
    }
}

/// Swaps start/end and packets/bytes when the values say the catalogue order was wrong.
fn fix_pairs(assignment: &mut [FieldId], columns: &[Vec<&str>]) {
    for (a, b) in [("start", "end"), ("packets", "bytes")] {
        let pos = |k: &str| {
            let id = field_id(k)?;
            assignment.iter().position(|f| *f == id)
        };
        let (Some(i), Some(j)) = (pos(a), pos(b)) else {
            continue;
        };
        let pairs = columns[i]
            .iter()
            .zip(&columns[j])
            .filter_map(|(x, y)| Some((x.parse::<u64>().ok()?, y.parse::<u64>().ok()?)));
        let (mut le, mut gt) = (0, 0);
        for (x, y) in pairs {
            if x <= y {
                le += 1;
            } else {
                gt += 1;
            }
        }
        if gt > le {
            assignment.swap(i, j);
        }
    }
}

/// The fields that take part in checks across columns (start ≤ end, packets ≤ bytes, bytes per
/// packet): where they go is settled by enumeration, the rest by the matching.
const JOINT: [&str; 4] = ["start", "end", "packets", "bytes"];

/// At most this many placements of the [`JOINT`] fields are enumerated; beyond, the checks across
/// columns are not used to rule alternatives out (more is reported, never less).
const MAX_PLACEMENTS: usize = 4096;

/// A column-saturating matching of columns to fields in a bipartite graph, and which of the
/// graph's edges lie in some other column-saturating matching (an edge does iff it lies on an
/// alternating cycle, or on an alternating path that ends at an unmatched field).
struct Matching<'g> {
    /// adj[c]: the fields column c may hold (empty for columns not in play).
    adj: &'g [Vec<usize>],
    /// col[c]: the field of column c.
    col: Vec<Option<usize>>,
    /// field[f]: the column of field f.
    field: Vec<Option<usize>>,
}

impl<'g> Matching<'g> {
    /// Gives every column in `cols` a field, keeping `start`'s where it is an edge (augmenting
    /// paths for the rest); `None` when some column can get none.
    fn new(
        adj: &'g [Vec<usize>],
        nfields: usize,
        cols: &[usize],
        start: &[Option<usize>],
    ) -> Option<Self> {
        let mut m = Matching {
            adj,
            col: vec![None; adj.len()],
            field: vec![None; nfields],
        };
        for &c in cols {
            if let Some(f) = start[c].filter(|f| adj[c].contains(f) && m.field[*f].is_none()) {
                m.col[c] = Some(f);
                m.field[f] = Some(c);
            }
        }
        for &c in cols {
            if m.col[c].is_none() && !m.augment(c) {
                return None;
            }
        }
        Some(m)
    }

    /// Breadth-first search for an alternating path from the unmatched column `c` to a free field.
    fn augment(&mut self, c: usize) -> bool {
        let mut from: Vec<Option<usize>> = vec![None; self.field.len()];
        let mut seen = vec![false; self.field.len()];
        let mut queue = std::collections::VecDeque::from([c]);
        while let Some(x) = queue.pop_front() {
            for &f in &self.adj[x] {
                if seen[f] {
                    continue;
                }
                seen[f] = true;
                from[f] = Some(x);
                match self.field[f] {
                    Some(next) => queue.push_back(next),
                    None => {
                        // Flip the path back to c.
                        let mut f = f;
                        loop {
                            let x = from[f].unwrap_or(c);
                            let old = self.col[x];
                            self.col[x] = Some(f);
                            self.field[f] = Some(x);
                            match old {
                                Some(o) if x != c => f = o,
                                _ => return true,
                            }
                        }
                    }
                }
            }
        }
        false
    }

    /// Nodes: columns 0..n, fields n..n+m. Arcs: column → field for edges not in the matching,
    /// field → column for edges in it. Returns each node's strongly connected component and
    /// whether each field reaches an unmatched field.
    fn analyse(&self) -> (Vec<usize>, Vec<bool>) {
        let n = self.adj.len();
        let total = n + self.field.len();
        let succ = |v: usize| -> Vec<usize> {
            if v < n {
                self.adj[v]
                    .iter()
                    .filter(|f| self.col[v] != Some(**f))
                    .map(|f| n + f)
                    .collect()
            } else {
                self.field[v - n].into_iter().collect()
            }
        };
        // Tarjan's algorithm, iteratively.
        let mut index = vec![usize::MAX; total];
        let mut low = vec![0; total];
        let mut on = vec![false; total];
        let mut comp = vec![usize::MAX; total];
        let mut stack = Vec::new();
        let mut next = 0;
        let mut ncomp = 0;
        for root in 0..total {
            if index[root] != usize::MAX {
                continue;
            }
            let mut work: Vec<(usize, Vec<usize>, usize)> = vec![(root, succ(root), 0)];
            index[root] = next;
            low[root] = next;
            next += 1;
            stack.push(root);
            on[root] = true;
            while let Some((v, out, i)) = work.last_mut() {
                let v = *v;
                if let Some(&w) = out.get(*i) {
                    *i += 1;
                    if index[w] == usize::MAX {
                        index[w] = next;
                        low[w] = next;
                        next += 1;
                        stack.push(w);
                        on[w] = true;
                        work.push((w, succ(w), 0));
                    } else if on[w] {
                        low[v] = low[v].min(index[w]);
                    }
                } else {
                    work.pop();
                    if let Some((u, _, _)) = work.last() {
                        low[*u] = low[*u].min(low[v]);
                    }
                    if low[v] == index[v] {
                        while let Some(w) = stack.pop() {
                            on[w] = false;
                            comp[w] = ncomp;
                            if w == v {
                                break;
                            }
                        }
                        ncomp += 1;
                    }
                }
            }
        }
        // Backwards from the free fields of the graph.
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); self.field.len()];
        for (c, fs) in self.adj.iter().enumerate() {
            for &f in fs {
                users[f].push(c);
            }
        }
        let mut free = vec![false; self.field.len()];
        let mut queue: Vec<usize> = (0..self.field.len())
            .filter(|f| self.field[*f].is_none() && !users[*f].is_empty())
            .collect();
        for f in &queue {
            free[*f] = true;
        }
        while let Some(f) = queue.pop() {
            for &c in &users[f] {
                if self.col[c] == Some(f) {
                    continue;
                }
                if let Some(g) = self.col[c] {
                    if !free[g] {
                        free[g] = true;
                        queue.push(g);
                    }
                }
            }
        }
        (comp, free)
    }

    /// The matching with column `c` moved to field `f` (an edge in some other matching): the
    /// shortest alternating path from `f` back to `c`'s field or on to a free field, flipped.
    fn moved(&self, c: usize, f: usize) -> Option<Vec<Option<usize>>> {
        let mut out = self.col.clone();
        let own = self.col[c]?;
        let mut from: Vec<Option<usize>> = vec![None; self.field.len()];
        let mut seen = vec![false; self.field.len()];
        seen[f] = true;
        let mut queue = std::collections::VecDeque::from([f]);
        while let Some(g) = queue.pop_front() {
            let end = match self.field[g] {
                None => true,
                Some(_) if g == own => true,
                Some(x) => {
                    for &h in &self.adj[x] {
                        if !seen[h] && self.col[x] != Some(h) {
                            seen[h] = true;
                            from[h] = Some(g);
                            queue.push_back(h);
                        }
                    }
                    false
                }
            };
            if end {
                // g is the field the last column of the path takes; walk back to f.
                let mut h = g;
                while let Some(prev) = from[h] {
                    out[self.field[prev]?] = Some(h);
                    h = prev;
                }
                out[c] = Some(f);
                return Some(out);
            }
        }
        None
    }
}

/// Groups of columns the values cannot tell apart, each with one other assignment that fits
/// every line. A column is certain only when no other assignment of fields to columns that fits
/// every sampled line gives it another field: the fields a column may hold (every value fits,
/// `-` only where the field may be empty; an unused field only of the kind of the assumed one,
/// or both numbers) form a bipartite graph with the guess as a matching, and the other
/// assignments are its other matchings (alternating cycles of any length, and alternating paths
/// to unused fields), with the checks across columns (start ≤ end, packets ≤ bytes, bytes per
/// packet) settled by enumerating where start, end, packets and bytes go. Columns that trade
/// fields are one group. Columns of only `-` (reported on their own) and a version column first
/// are left out of the groups.
fn ambiguities(
    assignment: &[FieldId],
    score: &[Vec<Option<f64>>],
    rows: &[&Vec<&str>],
) -> Vec<(Ambiguity, Vec<FieldId>)> {
    let n = assignment.len();
    let nf = FIELDS.len();
    let good: Vec<&Vec<&str>> = rows
        .iter()
        .copied()
        .filter(|r| row_fits(assignment, r))
        .collect();
    let traffic: Vec<bool> = good.iter().map(|r| is_traffic(r)).collect();
    let sizes_now = good.iter().all(|r| plausible_sizes(assignment, r));
    let fixed_version = n > 0 && assignment[0].spec().key == "version";
    let is_version = |c: usize| c == 0 && fixed_version;
    let dash_only = |j: usize| rows.iter().all(|r| r[j] == "-");
    let chosen: Vec<bool> = (0..nf)
        .map(|f| assignment.iter().any(|a| a.0 as usize == f))
        .collect();
    let similar = |a: FieldId, b: FieldId| {
        let (ka, kb) = (a.spec().kind, b.spec().kind);
        ka == kb || (ka.is_integer() && kb.is_integer())
    };
    // adj[c]: the fields column c may hold.
    let adj: Vec<Vec<usize>> = (0..n)
        .map(|c| {
            if c == 0 && fixed_version {
                return Vec::new();
            }
            (0..nf)
                .filter(|&f| {
                    let id = FieldId(f as u16);
                    if assignment[c] == id {
                        return true;
                    }
                    if fixed_version && f == assignment[0].0 as usize {
                        return false;
                    }
                    score[c][f].is_some()
                        && (chosen[f] || similar(id, assignment[c]))
                        && good.iter().zip(&traffic).all(|(r, t)| {
                            let v = r[c];
                            if v == "-" {
                                !required(id, *t)
                            } else {
                                parse_value(id.spec().kind, v).is_some()
                            }
                        })
                })
                .collect()
        })
        .collect();
    let joint: Vec<Option<usize>> = JOINT
        .iter()
        .map(|k| field_id(k).map(|f| f.0 as usize))
        .collect();
    let value = |r: &Vec<&str>, c: usize| r[c].parse::<u64>().ok();
    let pair_ok = |a: Option<usize>, b: Option<usize>, sizes: bool| match (a, b) {
        (Some(x), Some(y)) => {
            x != y
                && good.iter().all(|r| match (value(r, x), value(r, y)) {
                    (Some(p), Some(q)) => {
                        p <= q
                            && (!sizes
                                || p == 0
                                || (p.saturating_mul(20) <= q && q <= p.saturating_mul(65_535)))
                    }
                    _ => true,
                })
        }
        _ => true,
    };
    // An unused number field that some column may hold: then a joint field in the guess may be
    // left out (the unused one taking its place).
    let spare = (0..nf).any(|f| {
        !chosen[f]
            && !joint.contains(&Some(f))
            && FIELDS[f].kind.is_integer()
            && adj.iter().any(|a| a.contains(&f))
    });
    // Where each joint field may go: a column that may hold it, or nowhere when it is not in the
    // guess or a spare number field could replace it.
    let options = |k: Option<usize>| -> Vec<Option<usize>> {
        let mut v = Vec::new();
        if let Some(k) = k {
            if !chosen[k] || spare {
                v.push(None);
            }
            v.extend((0..n).filter(|c| adj[*c].contains(&k)).map(Some));
        } else {
            v.push(None);
        }
        v
    };
    let pairs = |a: Option<usize>, b: Option<usize>, sizes: bool| {
        let mut out = Vec::new();
        for x in options(a) {
            for y in options(b) {
                if pair_ok(x, y, sizes) {
                    out.push((x, y));
                }
            }
        }
        out
    };
    let times = pairs(joint[0], joint[1], false);
    let counts = pairs(joint[2], joint[3], sizes_now);
    let mut placements: Vec<[Option<usize>; 4]> = Vec::new();
    'all: for (s, e) in &times {
        for (p, b) in &counts {
            let cols = [*s, *e, *p, *b];
            let distinct = cols
                .iter()
                .enumerate()
                .all(|(i, x)| x.is_none() || !cols[i + 1..].contains(x));
            if distinct {
                placements.push(cols);
                if placements.len() > MAX_PLACEMENTS {
                    break 'all;
                }
            }
        }
    }
    // Too many to enumerate: the joint fields are matched like any other (more is reported).
    let enumerate = placements.len() <= MAX_PLACEMENTS;
    if !enumerate {
        placements = vec![[None; 4]];
    }
    let current: Vec<Option<usize>> = assignment.iter().map(|f| Some(f.0 as usize)).collect();
    let mut possible: Vec<Vec<usize>> = (0..n).map(|c| vec![assignment[c].0 as usize]).collect();
    let mut witness: Vec<Option<Vec<FieldId>>> = vec![None; n];
    for place in &placements {
        let placed: Vec<(usize, usize)> = if enumerate {
            place
                .iter()
                .zip(&joint)
                .filter_map(|(c, k)| Some(((*c)?, (*k)?)))
                .collect()
        } else {
            Vec::new()
        };
        // The other columns, and the fields left for them.
        let sub: Vec<Vec<usize>> = (0..n)
            .map(|c| {
                if placed.iter().any(|(pc, _)| *pc == c) {
                    return Vec::new();
                }
                adj[c]
                    .iter()
                    .copied()
                    .filter(|f| !enumerate || !joint.contains(&Some(*f)))
                    .collect()
            })
            .collect();
        // Every column but the placed ones and a version column first must get a field.
        let cols: Vec<usize> = (0..n)
            .filter(|c| !is_version(*c) && !placed.iter().any(|(pc, _)| pc == c))
            .collect();
        let Some(m) = Matching::new(&sub, nf, &cols, &current) else {
            continue;
        };
        let (comp, free) = m.analyse();
        let full = |col: &[Option<usize>]| -> Option<Vec<FieldId>> {
            (0..n)
                .map(|c| {
                    let f = placed
                        .iter()
                        .find(|(pc, _)| *pc == c)
                        .map(|(_, k)| *k)
                        .or(col[c])
                        .or((c == 0 && fixed_version).then_some(assignment[0].0 as usize))?;
                    Some(FieldId(f as u16))
                })
                .collect()
        };
        let fits = |a: &[FieldId]| {
            good.iter()
                .all(|r| row_fits(a, r) && (!sizes_now || plausible_sizes(a, r)))
        };
        let base = full(&m.col);
        for c in 0..n {
            let mut here: Vec<usize> = Vec::new();
            if let Some((_, k)) = placed.iter().find(|(pc, _)| *pc == c) {
                here.push(*k);
            } else if let Some(own) = m.col[c] {
                here.push(own);
                here.extend(
                    sub[c]
                        .iter()
                        .copied()
                        .filter(|f| *f != own && (free[*f] || comp[c] == comp[n + f])),
                );
            }
            for &f in &here {
                if possible[c].contains(&f) {
                    continue;
                }
                possible[c].push(f);
                if witness[c].is_some() {
                    continue;
                }
                let w = if m.col[c] == Some(f) || placed.iter().any(|(pc, _)| *pc == c) {
                    base.clone()
                } else {
                    m.moved(c, f).and_then(|col| full(&col))
                };
                witness[c] = w.filter(|w| fits(w));
            }
        }
    }
    // Groups: a column with another possible field joins the column that holds it.
    let reported = |c: usize| !is_version(c) && !dash_only(c) && possible[c].len() > 1;
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for c in (0..n).filter(|c| reported(*c)) {
        for f in &possible[c] {
            if let Some(d) = assignment.iter().position(|a| a.0 as usize == *f) {
                if d != c && reported(d) {
                    let (a, b) = (root(&mut parent, c), root(&mut parent, d));
                    parent[a] = b;
                }
            }
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for c in (0..n).filter(|c| reported(*c)) {
        let r = root(&mut parent, c);
        match groups.iter_mut().find(|(g, _)| *g == r) {
            Some((_, g)) => g.push(c),
            None => groups.push((r, vec![c])),
        }
    }
    groups
        .into_iter()
        .map(|(_, columns)| {
            let assumed: Vec<&'static str> =
                columns.iter().map(|c| assignment[*c].spec().key).collect();
            let mut others: Vec<usize> = columns
                .iter()
                .flat_map(|c| possible[*c].iter().copied())
                .filter(|f| !assumed.contains(&FIELDS[*f].key))
                .collect();
            others.sort_unstable();
            others.dedup();
            let alt = columns
                .iter()
                .find_map(|c| witness[*c].clone())
                .unwrap_or_default();
            (
                Ambiguity {
                    assumed,
                    columns,
                    alternatives: others.into_iter().map(|f| FIELDS[f].key).collect(),
                },
                alt,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_the_default_format() {
        let lines = [
            "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK",
            "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
            "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK",
        ];
        let inf = infer(&lines).unwrap();
        assert_eq!(
            inf.format.names(),
            crate::model::fields::DEFAULT_FORMAT.join(" ")
        );
        assert_eq!(inf.sample, 3);
        // AWS's default format, every value fitting: certain, nothing in doubt.
        assert_eq!(inf.named, Some(Named::Default));
        assert_eq!(inf.certainty, Certainty::Certain);
        assert!(inf.ambiguous.is_empty() && inf.alternatives.is_empty());
    }

    #[test]
    fn infers_a_reordered_format_and_settles_start_end_by_value() {
        // action, end, start, srcaddr: not catalogue order.
        let lines = [
            "ACCEPT 1744521793 1744521785 10.0.0.1",
            "REJECT 1744521900 1744521800 10.0.0.2",
        ];
        let inf = infer(&lines).unwrap();
        assert_eq!(inf.format.names(), "action end start srcaddr");
    }

    #[test]
    fn a_three_cycle_is_found_where_no_two_columns_can_trade() {
        // Fields 0, 1, 2 on columns 0, 1, 2; column 0 may also hold 1, column 1 also 2, column 2
        // also 0. No two columns can trade fields, but all three can move round.
        let adj = vec![vec![0, 1], vec![1, 2], vec![2, 0]];
        let start = [Some(0), Some(1), Some(2)];
        let m = Matching::new(&adj, 3, &[0, 1, 2], &start).unwrap();
        assert_eq!(m.col, start);
        for (j, k) in [(0, 1), (1, 2), (0, 2)] {
            let swap_fits =
                adj[j].contains(&m.col[k].unwrap()) && adj[k].contains(&m.col[j].unwrap());
            assert!(!swap_fits);
        }
        let (comp, free) = m.analyse();
        assert!(comp[0] == comp[1] && comp[1] == comp[2]);
        assert!(comp[3] == comp[0] && !free.iter().any(|f| *f));
        assert_eq!(m.moved(0, 1).unwrap(), [Some(1), Some(2), Some(0)]);
        // Without column 2's second field there is no other matching.
        let adj = vec![vec![0, 1], vec![1, 2], vec![2]];
        let m = Matching::new(&adj, 3, &[0, 1, 2], &start).unwrap();
        let (comp, _) = m.analyse();
        assert!(comp[0] != comp[1] && comp[1] != comp[2]);
        // An unused field at the end of a path: column 0 may take field 3, column 1 field 0.
        let adj = vec![vec![0, 3], vec![1, 0], vec![2]];
        let m = Matching::new(&adj, 4, &[0, 1, 2], &start).unwrap();
        let (_, free) = m.analyse();
        assert!(free[3] && free[0] && !free[2]);
        assert_eq!(m.moved(1, 0).unwrap(), [Some(3), Some(0), Some(2)]);
    }

    #[test]
    fn every_v5_field_in_alphabetical_order_reports_the_cycle_pairs_miss() {
        // AWS's service-name example records with every version 5 field in alphabetical order.
        // Guessed: packets on the tcp-flags column (24), tcp-flags on the traffic-path column (25),
        // traffic-path on the version column (27), version on the packets column (11): no two of
        // these columns can trade (column 25 holds `-` in a record of traffic, which packets
        // cannot), only all four moving round fits.
        let lines = [
            "123456789012 ACCEPT apse2-az3 15044 10.0.0.71 34210 1616729349 ingress i-0c50d5961bcb2d47b eni-1235b8ca123456789 OK 14 - 10.0.0.71 S3 52.95.128.179 6 ap-southeast-2 52.95.128.179 80 1616729292 - - subnet-aaaaaaaa012345678 19 - IPv4 5 vpc-abcdefab012345678",
            "123456789012 ACCEPT apse2-az3 471 52.95.128.179 80 1616729349 egress i-0c50d5961bcb2d47b eni-1235b8ca123456789 OK 7 S3 52.95.128.179 - 10.0.0.71 6 ap-southeast-2 10.0.0.71 34210 1616729292 - - subnet-aaaaaaaa012345678 3 8 IPv4 5 vpc-abcdefab012345678",
        ];
        let inf = infer(&lines).unwrap();
        let names = inf.format.names();
        let at = |j: usize| names.split(' ').nth(j).unwrap().to_string();
        assert_eq!(at(24), "packets", "{names}");
        assert_eq!(at(25), "tcp-flags", "{names}");
        let rows: Vec<Vec<&str>> = lines.iter().map(|l| l.split(' ').collect()).collect();
        let ids: Vec<FieldId> = names.split(' ').filter_map(field_id).collect();
        let mut swapped = ids.clone();
        swapped.swap(24, 25);
        assert!(rows.iter().any(|r| !row_fits(&swapped, r)));
        let group = inf
            .ambiguous
            .iter()
            .find(|a| a.columns.contains(&24))
            .expect("column 24 reported");
        for j in [11, 24, 25, 27] {
            assert!(group.columns.contains(&j), "{group:?}");
        }
        assert!(group.assumed.contains(&"tcp-flags") && group.assumed.contains(&"version"));
        assert_eq!(inf.certainty, Certainty::Weak);
        // The alternative named fits every line.
        assert!(!inf.alternatives.is_empty());
        for alt in &inf.alternatives {
            let ids: Vec<FieldId> = alt.names().split(' ').filter_map(field_id).collect();
            assert!(rows.iter().all(|r| row_fits(&ids, r)), "{}", alt.names());
        }
    }
}
