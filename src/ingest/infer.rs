//! Inferring a format from the values of lines that come without a header or a given format:
//! value shapes, AWS's catalogue order, start ≤ end and packets ≤ bytes.

use crate::model::fields::{field_id, FieldId, FieldSpec, Group, FIELDS};
use crate::model::format::{Column, Format, FormatOrigin};
use crate::model::value::parse_value;
use serde::Serialize;

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
        .map(|l| crate::model::tokens::tokens(l).collect::<Vec<_>>())
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
    // The record's version bounds the fields it can hold (version = the highest field version).
    let version = columns.first().and_then(|vals| {
        let v: Option<Vec<u64>> = vals.iter().map(|t| t.parse::<u64>().ok()).collect();
        v?.into_iter().max().filter(|v| (2..=20).contains(v))
    });
    let transit = rows.iter().any(|r| r.contains(&"TransitGateway"));
    let allowed = |f: &FieldSpec| {
        version.is_none_or(|v| u64::from(f.version) <= v)
            && (transit || f.group != Group::TransitGateway)
    };
    // score[j][f]: how well field f explains column j, or None when it cannot hold its values.
    let score: Vec<Vec<Option<f64>>> = columns
        .iter()
        .map(|vals| {
            let all_dash = vals.iter().all(|v| *v == "-");
            (0..nfields)
                .map(|f| {
                    let id = FieldId(f as u16);
                    let spec = id.spec();
                    if !allowed(spec) {
                        return None;
                    }
                    let fit = fit(id, vals);
                    // Older fields are more common: a small bonus breaks ties in their favour.
                    let common = 0.3 * (12.0 - f64::from(spec.version.min(12))) / 10.0;
                    (fit >= MIN_FIT).then(|| {
                        if all_dash {
                            0.5 + common
                        } else {
                            specificity(id) * fit + common
                        }
                    })
                })
                .collect()
        })
        .collect();
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
    let mut assignment = match default_fit {
        Some(d) => d,
        None => {
            let mut a = assign(&score)?;
            order_swaps(&mut a, &score);
            a
        }
    };
    fix_pairs(&mut assignment, &columns);
    // Words fit the fields that take free words (tags, ECS names, interface types): prose or
    // random bytes must not pass for records. Most columns must hold values of a stricter shape.
    let strict = assignment.iter().filter(|f| !takes_words(**f)).count();
    if strict == 0 || strict * 2 < width {
        return None;
    }
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

/// Fields whose values may be almost any word: their fit says little about a column.
fn takes_words(field: FieldId) -> bool {
    use crate::model::fields::Kind;
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
fn assign(score: &[Vec<Option<f64>>]) -> Option<Vec<FieldId>> {
    let mut pairs: Vec<(f64, usize, usize)> = score
        .iter()
        .enumerate()
        .flat_map(|(j, row)| {
            row.iter()
                .enumerate()
                .filter_map(move |(f, s)| Some((s.as_ref().copied()?, j, f)))
        })
        .collect();
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
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

/// Pairs of columns out of AWS's catalogue order.
fn inversions(a: &[FieldId]) -> usize {
    let mut n = 0;
    for (j, x) in a.iter().enumerate() {
        n += a[j + 1..].iter().filter(|y| y.0 < x.0).count();
    }
    n
}

/// Swaps exchangeable fields into AWS's catalogue order (formats are usually written in it).
fn order_swaps(a: &mut [FieldId], score: &[Vec<Option<f64>>]) {
    let mut current = inversions(a);
    let mut improved = true;
    while improved {
        improved = false;
        for j in 0..a.len() {
            for k in j + 1..a.len() {
                if a[k].0 >= a[j].0 || swap_loss(a, score, j, k).is_none_or(|l| l > EXCHANGEABLE) {
                    continue;
                }
                a.swap(j, k);
                let after = inversions(a);
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

/// Groups of columns the values cannot tell apart: columns whose assigned fields fit each
/// other's values and accept values of about the same range (srcaddr vs pkt-srcaddr, srcport vs
/// dstport, packets vs tcp-flags ...). Column 0 (the version, by convention) and the pairs the values
/// settle (start ≤ end, packets ≤ bytes) are left out. A single column is reported when unassigned
/// fields of its kind fit it as well.
fn ambiguities(assignment: &[FieldId], score: &[Vec<Option<f64>>]) -> Vec<Ambiguity> {
    let n = assignment.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for j in 1..n {
        for k in j + 1..n {
            let (fj, fk) = (assignment[j], assignment[k]);
            let (sj, sk) = (fj.spec(), fk.spec());
            let settled = matches!(
                (sj.key, sk.key),
                ("start", "end") | ("end", "start") | ("packets", "bytes") | ("bytes", "packets")
            );
            let both_fit = score[j][fk.0 as usize].is_some() && score[k][fj.0 as usize].is_some();
            let similar = sj.kind == sk.kind || (specificity(fj) - specificity(fk)).abs() <= 0.2;
            if both_fit && similar && !settled {
                let (a, b) = (root(&mut parent, j), root(&mut parent, k));
                parent[a] = b;
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for j in 0..n {
        let r = root(&mut parent, j);
        match groups
            .iter_mut()
            .find(|g| root(&mut parent.clone(), g[0]) == r)
        {
            Some(g) => g.push(j),
            None => groups.push(vec![j]),
        }
    }
    groups
        .into_iter()
        .filter_map(|columns| {
            let kind = assignment[columns[0]].spec().kind;
            let alternatives: Vec<&'static str> = FIELDS
                .iter()
                .enumerate()
                .filter(|(i, spec)| {
                    spec.kind == kind
                        && !assignment.iter().any(|a| a.0 as usize == *i)
                        && columns.iter().all(|k| score[*k][*i].is_some())
                })
                .map(|(_, spec)| spec.key)
                .collect();
            (columns.len() > 1 || (!alternatives.is_empty() && columns[0] > 0)).then(|| Ambiguity {
                assumed: columns.iter().map(|k| assignment[*k].spec().key).collect(),
                columns,
                alternatives,
            })
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
        // srcaddr/dstaddr and srcport/dstport cannot be told apart by their values.
        let together = |x: usize, y: usize| {
            inf.ambiguous
                .iter()
                .any(|a| a.columns.contains(&x) && a.columns.contains(&y))
        };
        assert!(together(3, 4));
        assert!(together(5, 6));
        // the version column and the action are never in doubt
        assert!(!inf
            .ambiguous
            .iter()
            .any(|a| a.columns.contains(&0) || a.columns.contains(&12)));
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
