//! The lowering checked natively: each lowered filter, evaluated over the records' own fields,
//! keeps exactly the records flowlens's filter keeps (the derived facts written as thousands of
//! blocks included, which the DuckDB check of `tests/sql/` leaves out for time).

use super::lower::{Cond, Lower};
use crate::classify::aws::AwsRanges;
use crate::model::record::RecordRef;
use crate::model::value::ValueRef;
use crate::query::ast::TextOp;
use crate::query::Query;
use crate::store::Decoded;

fn holds(c: &Cond, rec: &RecordRef<'_>) -> bool {
    let present = |f| !matches!(rec.field(f), None | Some(ValueRef::Absent));
    match c {
        Cond::True => true,
        Cond::False => false,
        Cond::And(all) => all.iter().all(|c| holds(c, rec)),
        Cond::Or(all) => all.iter().any(|c| holds(c, rec)),
        Cond::Not(c) => !holds(c, rec),
        Cond::Absent(f) => !present(*f),
        Cond::Nums(f, r) => rec
            .uint(*f)
            .is_some_and(|n| r.iter().any(|(lo, hi)| (*lo..=*hi).contains(&n))),
        Cond::Addrs(f, nets) => rec
            .addr(*f)
            .is_some_and(|a| nets.iter().any(|n| n.contains(&a))),
        Cond::Texts(f, all) => rec.text(*f).is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            all.iter().any(|(op, s)| match op {
                TextOp::Eq => t == **s,
                TextOp::Lt => *t < **s,
                TextOp::Le => *t <= **s,
                TextOp::Gt => *t > **s,
                TextOp::Ge => *t >= **s,
            })
        }),
        Cond::Free(_) => unreachable!("not in these filters"),
    }
}

fn input() -> String {
    let mut s = String::new();
    s += include_str!("../../../tests/data/aws-docs-examples.log");
    s += include_str!("../../../tests/data/seed.log");
    let far = [
        "15.152.63.145",
        "52.95.128.10",
        "3.5.0.17",
        "52.219.0.9",
        "54.239.0.1",
        "13.248.100.1",
        "34.80.1.2",
        "35.190.0.1",
        "129.146.0.1",
        "104.16.0.1",
        "8.8.8.8",
        "81.2.69.160",
        "10.0.0.9",
        "100.64.0.3",
        "2600:1f14::1",
        "2a05:d000::1",
        "2a00:1450:4001::200e",
        "2001:db8::7",
    ];
    let own = ["10.0.4.135", "2001:db8:1234:a102::5"];
    for (i, f) in far.iter().enumerate() {
        let o = if f.contains(':') { own[1] } else { own[0] };
        let (a, b) = if i % 2 == 0 { (o, *f) } else { (*f, o) };
        s += &format!(
            "2 123456789010 eni-0a1b2c3d4e5f60718 {a} {b} 443 51000 6 3 300 1744521785 1744521845 ACCEPT OK\n"
        );
    }
    s
}

#[test]
fn lowered_filters_keep_what_flowlens_keeps() {
    let aws = AwsRanges::parse_bytes(include_bytes!("../../../www/data/ip-ranges.json")).unwrap();
    let d = Decoded::decode(input());
    let store = d.store();
    let mut values = Vec::new();
    for expr in [
        "aws.service = EC2",
        "aws.service = AMAZON and not aws.service = EC2",
        "src.aws.service = -",
        "dst.aws.region = ap-northeast-3 or src.aws.region = eu-west-1",
        "cloud = google or cloud = oracle",
        "cloud = cloudflare",
        "from_internet",
        "not to_internet",
        "scope = public",
        "scope in (private, shared, documentation)",
        "service = https",
        "not port in (22, 443)",
        "srcaddr < 15.0.0.0",
    ] {
        let q = Query::parse(expr).unwrap();
        let want = q.filter(&d, Some(&aws));
        let mut lower = Lower::new(Some(&aws));
        let c = lower.expr(q.expr());
        let mut got = Vec::new();
        for row in 0..store.len() {
            if let Some((_, format)) = store.record_into(row, &mut values) {
                let rec = RecordRef {
                    format,
                    values: &values,
                };
                if holds(&c, &rec) {
                    got.push(row as u32);
                }
            }
        }
        assert_eq!(got, want, "{expr}");
        assert!(
            !want.is_empty() && want.len() < store.len(),
            "{expr}: {want:?}"
        );
    }
}

#[test]
fn without_ranges_aws_names_say_so() {
    let q = Query::parse("aws.service = S3").unwrap();
    let o = super::Options::default();
    let sql = super::athena(Some(q.expr()), &o);
    assert!(sql.contains("-- note: No AWS ip-ranges.json"), "{sql}");
    assert_eq!(super::athena_where(Some(q.expr()), &o), "FALSE");
    let ja = super::Options {
        lang: crate::text::Lang::Ja,
        ..o
    };
    assert!(super::insights(Some(q.expr()), &ja).contains("# 注意: AWS の ip-ranges.json"));
}
