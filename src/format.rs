//! Formats: which field each space-separated column of a record holds. A format comes from AWS's
//! defaults (VPC and transit gateway), a header line in the input, a format string the user gives
//! (`${version} ${vpc-id} ...` or plain names), or is inferred from the values themselves.

use crate::fields::{field_id, FieldId, FIELDS};
use crate::value::parse_value;
use serde::Serialize;

/// One column of a format.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// A field in the field-spec table.
    Known(FieldId),
    /// A field name flowlens does not know (AWS keeps adding fields): kept and shown raw.
    Unknown(Box<str>),
}

impl Column {
    /// The field's name as AWS writes it.
    pub fn name(&self) -> &str {
        match self {
            Column::Known(id) => id.spec().key,
            Column::Unknown(name) => name,
        }
    }

    /// The known field, if it is one.
    pub fn known(&self) -> Option<FieldId> {
        match self {
            Column::Known(id) => Some(*id),
            Column::Unknown(_) => None,
        }
    }
}

/// How a format was determined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormatOrigin {
    /// AWS's default VPC format (the 14 version-2 fields).
    Default,
    /// AWS's default transit gateway format (36 fields).
    TransitGatewayDefault,
    /// A header line of field names in the input.
    Header,
    /// A format string given by the user.
    FormatString,
    /// Inferred from the values: a guess.
    Inferred,
}

/// The order of fields in the records being read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Format {
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// Where this format came from.
    pub origin: FormatOrigin,
}

/// Why a format string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError(pub String);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormatError {}

/// True when `s` has the shape of a flow log field name: lowercase letters, digits and hyphens,
/// starting with a letter.
pub fn looks_like_field_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

impl Format {
    /// A format of known field names.
    pub fn from_keys(keys: &[&str], origin: FormatOrigin) -> Format {
        Format {
            columns: keys
                .iter()
                .map(|k| match field_id(k) {
                    Some(id) => Column::Known(id),
                    None => Column::Unknown((*k).into()),
                })
                .collect(),
            origin,
        }
    }

    /// AWS's default VPC format.
    pub fn default_format() -> Format {
        Format::from_keys(&crate::fields::DEFAULT_FORMAT, FormatOrigin::Default)
    }

    /// AWS's default transit gateway format, when the field table has it.
    pub fn transit_gateway_default() -> Option<Format> {
        let keys = crate::fields::TGW_DEFAULT_FORMAT;
        keys.iter()
            .all(|k| field_id(k).is_some())
            .then(|| Format::from_keys(&keys, FormatOrigin::TransitGatewayDefault))
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// True for a format of no columns (never produced by the constructors here).
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Position of field `key` in this format.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name() == key)
    }

    /// Field names separated by spaces, as in a header line.
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(Column::name).collect();
        names.join(" ")
    }

    /// The format as AWS's format-string syntax: `${version} ${account-id} ...`.
    pub fn format_string(&self) -> String {
        let names: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("${{{}}}", c.name()))
            .collect();
        names.join(" ")
    }

    /// Parses a format the user gives: AWS's `${version} ${vpc-id} ...`, or plain names separated
    /// by spaces or commas. Unknown names are kept; a token that is not a field name is refused.
    pub fn parse_format_string(text: &str) -> Result<Format, FormatError> {
        let mut columns = Vec::new();
        for token in text.split(|c: char| c.is_whitespace() || c == ',') {
            if token.is_empty() {
                continue;
            }
            let name = token
                .strip_prefix("${")
                .and_then(|t| t.strip_suffix('}'))
                .unwrap_or(token);
            if !looks_like_field_name(name) {
                return Err(FormatError(format!(
                    "'{token}' is not a field name (expected names like srcaddr or ${{srcaddr}})"
                )));
            }
            columns.push(match field_id(name) {
                Some(id) => Column::Known(id),
                None => Column::Unknown(name.into()),
            });
        }
        if columns.is_empty() {
            return Err(FormatError("the format names no field".into()));
        }
        Ok(Format {
            columns,
            origin: FormatOrigin::FormatString,
        })
    }

    /// If `line` is a header line (every token a field name, most of them known), its format.
    pub fn header(line: &str) -> Option<Format> {
        let mut columns = Vec::new();
        let mut known = 0usize;
        for token in crate::parse::tokens(line) {
            if !looks_like_field_name(token) {
                return None;
            }
            columns.push(match field_id(token) {
                Some(id) => {
                    known += 1;
                    Column::Known(id)
                }
                None => Column::Unknown(token.into()),
            });
        }
        (known > 0 && known * 2 >= columns.len()).then_some(Format {
            columns,
            origin: FormatOrigin::Header,
        })
    }
}

impl Default for Format {
    fn default() -> Self {
        Format::default_format()
    }
}

/// A format inferred from sample lines, with what could not be told apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Inference {
    /// The most likely format.
    pub format: Format,
    /// Groups of columns (0-based) whose fields the values cannot tell apart, with the fields
    /// assumed for them in order (AWS's catalogue order).
    pub ambiguous: Vec<Ambiguity>,
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

/// Extra plausibility checks a kind's parser alone does not make.
fn plausible(field: FieldId, token: &str) -> bool {
    let n = || token.parse::<u64>().ok();
    match field.spec().key {
        "start" | "end" => n().is_some_and(|v| {
            (1_000_000_000..=4_102_444_800).contains(&v)
                || (1_000_000_000_000..=4_102_444_800_000).contains(&v)
        }),
        "version" => n().is_some_and(|v| (2..=20).contains(&v)),
        "traffic-path" => n().is_some_and(|v| (1..=8).contains(&v)),
        _ => true,
    }
}

/// How well field `f` fits the sample values of one column: the share of its non-`-` values it
/// accepts (1.0 when the column is all `-`).
fn fit(field: FieldId, values: &[&str]) -> f64 {
    let kind = field.spec().kind;
    let mut n = 0usize;
    let mut ok = 0usize;
    for v in values {
        if *v == "-" {
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

/// Minimum share of a column's values a field must accept to be a candidate for it.
const MIN_FIT: f64 = 0.95;

/// Infers the format of record lines without a header: every line is split into tokens, the most
/// common token count is taken, each column gets the fields whose value shapes fit it, and the
/// fields are assigned, preferring AWS's catalogue order, each field at most once, and checking
/// start ≤ end and packets ≤ bytes. Returns `None` when no assignment fits.
pub fn infer(lines: &[&str]) -> Option<Inference> {
    // Token rows of the most common width.
    let rows: Vec<Vec<&str>> = lines
        .iter()
        .map(|l| crate::parse::tokens(l).collect::<Vec<_>>())
        .filter(|r| !r.is_empty())
        .collect();
    let mut widths: Vec<usize> = rows.iter().map(Vec::len).collect();
    widths.sort_unstable();
    let width = mode(&widths)?;
    let rows: Vec<&Vec<&str>> = rows.iter().filter(|r| r.len() == width).collect();
    let columns: Vec<Vec<&str>> = (0..width)
        .map(|j| rows.iter().map(|r| r[j]).collect())
        .collect();
    let nfields = FIELDS.len();
    // score[j][f]: specificity when field f fits column j, else None.
    let score: Vec<Vec<Option<f64>>> = columns
        .iter()
        .map(|vals| {
            (0..nfields)
                .map(|f| {
                    let id = FieldId(f as u16);
                    let all_dash = vals.iter().all(|v| *v == "-");
                    let fit = fit(id, vals);
                    (fit >= MIN_FIT).then(|| if all_dash { 0.5 } else { specificity(id) * fit })
                })
                .collect()
        })
        .collect();
    // The catalogue-ordered assignment wins unless an assignment in any order fits clearly better.
    let total = |a: &[FieldId]| -> f64 {
        a.iter()
            .enumerate()
            .map(|(j, f)| score[j][f.0 as usize].unwrap_or(0.0))
            .sum()
    };
    // AWS's default formats, when every column fits them, before any guess.
    let defaults = [
        Some(Format::default_format()),
        Format::transit_gateway_default(),
    ];
    let default_fit = defaults.into_iter().flatten().find_map(|f| {
        let ids: Vec<FieldId> = f.columns.iter().filter_map(Column::known).collect();
        (ids.len() == width
            && ids
                .iter()
                .enumerate()
                .all(|(j, id)| score[j][id.0 as usize].is_some()))
        .then_some(ids)
    });
    let mut assignment = match (default_fit, monotone(&score), greedy(&score)) {
        (Some(d), _, _) => d,
        (None, Some(m), Some(g)) => {
            if total(&g) > total(&m) * 1.1 {
                g
            } else {
                m
            }
        }
        (None, m, g) => m.or(g)?,
    };
    fix_pairs(&mut assignment, &columns);
    let format = Format {
        columns: assignment.iter().map(|f| Column::Known(*f)).collect(),
        origin: FormatOrigin::Inferred,
    };
    let ambiguous = ambiguities(&assignment, &score);
    let total: f64 = assignment
        .iter()
        .enumerate()
        .map(|(j, f)| fit(*f, &columns[j]))
        .sum();
    Some(Inference {
        format,
        ambiguous,
        sample: rows.len(),
        fit: total / width as f64,
    })
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

/// The best assignment whose fields appear in increasing catalogue order (how the AWS console
/// writes formats), by dynamic programming over (column, last field).
fn monotone(score: &[Vec<Option<f64>>]) -> Option<Vec<FieldId>> {
    let width = score.len();
    let n = score.first()?.len();
    // best[j][f]: best total for columns 0..=j with column j = field f.
    let mut best = vec![vec![f64::NEG_INFINITY; n]; width];
    let mut from = vec![vec![usize::MAX; n]; width];
    for f in 0..n {
        if let Some(s) = score[0][f] {
            best[0][f] = s;
        }
    }
    for j in 1..width {
        // running max of best[j-1][0..f]
        let mut run = f64::NEG_INFINITY;
        let mut arg = usize::MAX;
        for f in 0..n {
            if let Some(s) = score[j][f] {
                if run > f64::NEG_INFINITY {
                    best[j][f] = run + s;
                    from[j][f] = arg;
                }
            }
            if best[j - 1][f] > run {
                run = best[j - 1][f];
                arg = f;
            }
        }
    }
    let (mut f, total) = best[width - 1]
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(f, t)| (f, *t))?;
    if total == f64::NEG_INFINITY {
        return None;
    }
    let mut out = vec![FieldId(0); width];
    for j in (0..width).rev() {
        out[j] = FieldId(f as u16);
        f = from[j][f];
    }
    Some(out)
}

/// Any order: the most specific columns choose first; ties go to catalogue order.
fn greedy(score: &[Vec<Option<f64>>]) -> Option<Vec<FieldId>> {
    let width = score.len();
    let n = score.first()?.len();
    let mut order: Vec<usize> = (0..width).collect();
    // Columns with the fewest candidates first.
    order.sort_by_key(|j| score[*j].iter().filter(|s| s.is_some()).count());
    let mut used = vec![false; n];
    let mut out = vec![None; width];
    for j in order {
        let pick = (0..n)
            .filter(|f| !used[*f])
            .filter_map(|f| score[j][f].map(|s| (f, s)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
        used[pick.0] = true;
        out[j] = Some(FieldId(pick.0 as u16));
    }
    out.into_iter().collect()
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

/// Columns whose assigned fields have the same kind and fit each other's values: the values
/// cannot tell them apart (srcaddr vs pkt-srcaddr, srcport vs dstport ...).
fn ambiguities(assignment: &[FieldId], score: &[Vec<Option<f64>>]) -> Vec<Ambiguity> {
    let mut out: Vec<Ambiguity> = Vec::new();
    let mut seen = vec![false; assignment.len()];
    for (j, f) in assignment.iter().enumerate() {
        if seen[j] {
            continue;
        }
        let kind = f.spec().kind;
        let group: Vec<usize> = (0..assignment.len())
            .filter(|k| assignment[*k].spec().kind == kind && score[*k][f.0 as usize].is_some())
            .collect();
        let alternatives: Vec<&'static str> = FIELDS
            .iter()
            .enumerate()
            .filter(|(i, spec)| {
                spec.kind == kind
                    && !assignment.iter().any(|a| a.0 as usize == *i)
                    && group.iter().all(|k| score[*k][*i].is_some())
            })
            .map(|(_, spec)| spec.key)
            .collect();
        if group.len() > 1 || !alternatives.is_empty() {
            for k in &group {
                seen[*k] = true;
            }
            // start/end and packets/bytes are settled by their values.
            let settled = matches!(f.spec().key, "start" | "end" | "packets" | "bytes")
                && alternatives.is_empty();
            if !settled {
                out.push(Ambiguity {
                    assumed: group.iter().map(|k| assignment[*k].spec().key).collect(),
                    columns: group,
                    alternatives,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_strings_in_both_syntaxes() {
        let a = Format::parse_format_string("${version} ${vpc-id} ${srcaddr}").unwrap();
        let b = Format::parse_format_string("version, vpc-id,srcaddr").unwrap();
        assert_eq!(a.columns, b.columns);
        assert_eq!(a.format_string(), "${version} ${vpc-id} ${srcaddr}");
        let c = Format::parse_format_string("${version} ${future-field}").unwrap();
        assert_eq!(c.columns[1], Column::Unknown("future-field".into()));
        assert!(Format::parse_format_string("").is_err());
        assert!(Format::parse_format_string("version 10.0.0.1").is_err());
    }

    #[test]
    fn header_lines_allow_some_unknown_names() {
        let h = Format::header("version srcaddr dstaddr new-field action").unwrap();
        assert_eq!(h.len(), 5);
        assert_eq!(h.columns[3], Column::Unknown("new-field".into()));
        assert!(Format::header("ingress egress").is_none());
        assert!(Format::header("2 654654279488").is_none());
        assert!(Format::header("").is_none());
    }

    #[test]
    fn infers_the_default_format() {
        let lines = [
            "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK",
            "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
            "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK",
        ];
        let inf = infer(&lines).unwrap();
        assert_eq!(inf.format.names(), crate::fields::DEFAULT_FORMAT.join(" "));
        assert_eq!(inf.sample, 3);
        // srcaddr/dstaddr and srcport/dstport cannot be told apart by their values.
        assert!(inf.ambiguous.iter().any(|a| a.columns == [3, 4]));
        assert!(inf.ambiguous.iter().any(|a| a.columns == [5, 6]));
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
}
