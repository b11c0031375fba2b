//! The filter language, sorts and CSV (`flowlens::query`), and the CLI's `--where`, `--sort`,
//! `--csv`: every operator and derived fact, errors with their positions in both languages, and
//! the engine's matches against a straightforward filter over the explained JSON entries of every
//! test input (the reference: what the page shows of each record).

use flowlens::classify::aws::AwsRanges;
use flowlens::explain::{Context, Explain};
use flowlens::query::{Csv, ErrorKind, Expected, Query, Sort, DERIVED_COLUMNS};
use flowlens::store::Decoded;
use flowlens::text::Lang;
use proptest::prelude::*;
use serde_json::Value as Json;
use std::io::Write;
use std::net::IpAddr;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn aws() -> &'static AwsRanges {
    static RANGES: OnceLock<AwsRanges> = OnceLock::new();
    RANGES.get_or_init(|| {
        AwsRanges::parse(include_str!("../www/data/ip-ranges.json")).expect("bundled snapshot")
    })
}

const DOCS: &str = include_str!("data/aws-docs-examples.log");
const SEED: &str = include_str!("data/seed.log");

/// The rows of `text`'s records that `expr` keeps, with the bundled ranges.
fn rows(text: &str, expr: &str) -> Vec<u32> {
    let q = Query::parse(expr).unwrap_or_else(|e| panic!("{expr}: {}", e.message(Lang::En)));
    q.filter(&Decoded::decode(text), Some(aws()))
}

fn err(expr: &str) -> flowlens::query::QueryError {
    Query::parse(expr).expect_err(expr)
}

// ---------------------------------------------------------------------------------------------
// Operators.

/// Records of one format with a few values each: `srcaddr dstaddr srcport dstport protocol
/// bytes start action` (row = index).
const SMALL: &str = "\
srcaddr dstaddr srcport dstport protocol bytes start action interface-id
10.0.0.1 203.0.113.9 40000 443 6 100 1744521785 ACCEPT eni-0aaa
203.0.113.9 10.0.0.1 443 40000 6 5000 1744521845 ACCEPT eni-0aaa
10.0.0.1 10.0.0.2 50000 22 6 76 1744608185 REJECT eni-0bbb
2001:db8::1 2001:db8::2 123 123 17 - 1744521785000 - eni-0bbb
- - - - - - - - -
";

#[test]
fn comparisons_of_numbers() {
    let r = |e: &str| rows(SMALL, e);
    // The header is line 1 and no entry: rows are the records, 0 to 4.
    assert_eq!(r("bytes = 100"), [0]);
    assert_eq!(r("bytes == 100"), [0]);
    assert_eq!(r("bytes != 100"), [1, 2, 3, 4]);
    assert_eq!(r("bytes <> 100"), [1, 2, 3, 4]);
    assert_eq!(r("bytes < 100"), [2]);
    assert_eq!(r("bytes <= 100"), [0, 2]);
    assert_eq!(r("bytes > 100"), [1]);
    assert_eq!(r("bytes >= 100"), [0, 1]);
    assert_eq!(r("bytes>=100"), [0, 1]);
    assert_eq!(r("bytes < 0"), Vec::<u32>::new());
    assert_eq!(r("bytes > 18446744073709551615"), Vec::<u32>::new());
    assert_eq!(r("dstport in (22, 443)"), [0, 2]);
    assert_eq!(r("dstport not in (22, 443)"), [1, 3, 4]);
    assert_eq!(r("port in (443)"), [0, 1]);
    assert_eq!(r("bytes = -"), [3, 4]);
    assert_eq!(r("bytes in (-, 76)"), [2, 3, 4]);
    assert_eq!(r("bytes != -"), [0, 1, 2]);
}

#[test]
fn comparisons_of_addresses() {
    let r = |e: &str| rows(SMALL, e);
    assert_eq!(r("srcaddr = 10.0.0.1"), [0, 2]);
    assert_eq!(r("srcaddr in 10.0.0.0/8"), [0, 2]);
    assert_eq!(r("srcaddr = 10.0.0.0/8"), [0, 2]);
    assert_eq!(r("srcaddr not in 10.0.0.0/8"), [1, 3, 4]);
    assert_eq!(r("srcaddr in (203.0.113.0/24, 2001:db8::/32)"), [1, 3]);
    assert_eq!(r("addr = 10.0.0.2"), [2]);
    assert_eq!(r("addr in 10.0.0.0/8"), [0, 1, 2]);
    assert_eq!(r("addr != 10.0.0.1"), [3, 4]);
    assert_eq!(r("dstaddr > 10.0.0.1"), [0, 2]);
    assert_eq!(r("dstaddr >= 10.0.0.1"), [0, 1, 2]);
    assert_eq!(r("dstaddr < 10.255.255.255"), [1, 2]);
    assert_eq!(r("dstaddr <= 10.0.0.0/8"), [1, 2]);
    assert_eq!(r("dstaddr > 2001:db8::1"), [3]);
    assert_eq!(r("srcaddr in ::/0"), [3]);
    assert_eq!(r("srcaddr in 0.0.0.0/0"), [0, 1, 2]);
}

#[test]
fn comparisons_of_texts_in_any_case() {
    let r = |e: &str| rows(SMALL, e);
    assert_eq!(r("action = REJECT"), [2]);
    assert_eq!(r("action = reject"), [2]);
    assert_eq!(r("ACTION = Reject"), [2]);
    assert_eq!(r("action != reject"), [0, 1, 3, 4]);
    assert_eq!(r("action in (accept, reject)"), [0, 1, 2]);
    assert_eq!(r("action = -"), [3, 4]);
    assert_eq!(r("interface-id = ENI-0AAA"), [0, 1]);
    assert_eq!(r("interface-id = \"eni-0bbb\""), [2, 3]);
    assert_eq!(r("interface-id > eni-0aaa"), [2, 3]);
    assert_eq!(r("interface-id >= eni-0aaa"), [0, 1, 2, 3]);
    assert_eq!(r("interface-id < eni-0b"), [0, 1]);
    assert_eq!(r("interface-id <= eni-0aaa"), [0, 1]);
    // Logs Insights' names.
    assert_eq!(r("interfaceId = eni-0aaa and dstPort = 443"), [0]);
}

#[test]
fn times_at_their_precision_and_in_milliseconds() {
    let r = |e: &str| rows(SMALL, e);
    // 1744521785 is 2025-04-13T05:23:05Z; 1744608185 a day later; row 3 is in milliseconds.
    assert_eq!(r("start = 2025-04-13"), [0, 1, 3]);
    assert_eq!(r("start = 2025-04-13T05:23Z"), [0, 3]);
    assert_eq!(r("start = 2025-04-13T05:23:05Z"), [0, 3]);
    assert_eq!(r("start = 2025-04-13T14:23:05+09:00"), [0, 3]);
    assert_eq!(r("start > 2025-04-13T05:23Z"), [1, 2]);
    assert_eq!(r("start >= 2025-04-13T05:24Z"), [1, 2]);
    assert_eq!(r("start < 2025-04-14"), [0, 1, 3]);
    assert_eq!(r("start <= 2025-04-13"), [0, 1, 3]);
    assert_eq!(r("start >= 2025-04-14"), [2]);
    assert_eq!(r("start = 1744521785"), [0, 3]);
    assert_eq!(r("start = 1744521785000"), [0, 3]);
    assert_eq!(r("start > 1744521785"), [1, 2]);
}

#[test]
fn and_or_not_and_parentheses() {
    let r = |e: &str| rows(SMALL, e);
    assert_eq!(r("action = accept and bytes > 100"), [1]);
    assert_eq!(r("action = accept && bytes > 100"), [1]);
    assert_eq!(r("action = reject or bytes > 100"), [1, 2]);
    assert_eq!(r("action = reject || bytes > 100"), [1, 2]);
    assert_eq!(r("not action = accept"), [2, 3, 4]);
    assert_eq!(r("!action = accept"), [2, 3, 4]);
    assert_eq!(r("not not action = accept"), [0, 1]);
    // `and` binds tighter than `or`, `not` tighter than `and`.
    assert_eq!(r("bytes = 76 or action = accept and bytes > 100"), [1, 2]);
    assert_eq!(r("(bytes = 76 or action = accept) and bytes > 100"), [1]);
    assert_eq!(r("not bytes = 76 and action = reject"), Vec::<u32>::new());
    assert_eq!(r("not (bytes = 76 and action = reject)"), [0, 1, 3, 4]);
    assert_eq!(r("((((action = reject))))"), [2]);
    assert_eq!(
        r("ACTION = ACCEPT AND NOT BYTES > 100 OR DSTPORT = 22"),
        [0, 2]
    );
}

#[test]
fn free_text_in_any_value() {
    let r = |e: &str| rows(SMALL, e);
    assert_eq!(r("\"eni-0b\""), [2, 3]);
    assert_eq!(r("'ENI-0AAA'"), [0, 1]);
    assert_eq!(r("\"203.0.113\""), [0, 1]);
    assert_eq!(r("\"db8::2\""), [3]);
    // Bytes 5000, srcport 50000, start 1744521785000.
    assert_eq!(r("\"5000\""), [1, 2, 3]);
    assert_eq!(r("\"reject\""), [2]);
    assert_eq!(r("\"\""), [0, 1, 2, 3]);
    assert_eq!(r("\"nowhere\""), Vec::<u32>::new());
    assert_eq!(r("\"eni\" and not \"0aaa\""), [2, 3]);
}

#[test]
fn full_width_forms_read_as_ascii() {
    assert_eq!(rows(SMALL, "ａｃｔｉｏｎ＝ｒｅｊｅｃｔ"), [2]);
    assert_eq!(rows(SMALL, "dstport　ｉｎ　（２２，４４３）"), [0, 2]);
}

#[test]
fn errors_are_never_records() {
    let text = format!("{SEED}garbage\n{SEED}");
    assert_eq!(rows(&text, "version = 2"), [0, 2]);
    assert_eq!(rows(&text, "\"garbage\""), Vec::<u32>::new());
    assert_eq!(rows(&text, "not version = 2"), Vec::<u32>::new());
}

#[test]
fn records_with_problems_are_found() {
    // Row 0 clean, 1 a redacted account, 2 a port out of range, 3 a placeholder VPC (in a
    // custom format), 4 clean again; line 3 of the input is no record.
    let text = format!(
        "{SEED}{}\nnot a flow log line at all but fourteen words are in it right here ok\n{}\nversion vpc-id srcaddr\n2 vpc-1 10.0.0.1\n2 vpc-0a1b2c3d 10.0.0.1\n",
        SEED.trim_end().replace("654654279488", "XXXXXXXXXXXX"),
        SEED.trim_end().replace(" 123 ", " 70000 ")
    );
    assert_eq!(rows(&text, "problem"), [1, 3, 4]);
    assert_eq!(rows(&text, "problem = true"), [1, 3, 4]);
    assert_eq!(rows(&text, "not problem"), [0, 5]);
    assert_eq!(rows(&text, "problem = false"), [0, 5]);
    assert_eq!(rows(&text, "problem and action = ACCEPT"), [1, 3]);
    // The value kept as written is still found as text.
    assert_eq!(rows(&text, "\"70000\""), [3]);
    // The entries say the same.
    let d = Decoded::decode(&text);
    let with: Vec<usize> = (0..d.store().len())
        .filter(|i| {
            d.entry_json(*i, &Context::default(), Lang::En)
                .and_then(|e| e.record().map(|r| !r.problems.is_empty()))
                .unwrap_or(false)
        })
        .collect();
    assert_eq!(with, [1, 3, 4]);
    assert_eq!(d.counts().problems, 3);
}

// ---------------------------------------------------------------------------------------------
// Derived facts, each on records whose explanation says it.

/// The AWS documentation's examples plus records with AWS, other clouds' and special addresses.
fn derived_input() -> String {
    let more = "\
2 123456789010 eni-1235b8ca123456789 172.31.16.139 52.216.0.10 40000 443 6 5 500 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 34.80.0.10 172.31.16.139 443 40001 6 5 500 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 104.16.0.10 172.31.16.139 53 40002 17 1 100 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 172.31.16.139 169.254.169.254 40003 80 6 1 60 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 172.31.16.139 15.152.63.145 40004 6379 6 1 60 1418530010 1418530070 ACCEPT OK
";
    format!("{DOCS}{more}")
}

#[test]
fn derived_scope() {
    let r = |e: &str| rows(&derived_input(), e);
    // 203.0.113.12 and 2001:db8:… are documentation addresses.
    assert_eq!(r("srcscope = documentation"), [4, 6]);
    assert_eq!(r("src.scope = documentation"), [4, 6]);
    assert_eq!(r("dstscope = documentation"), [5, 6]);
    assert_eq!(r("scope = link-local"), [10]);
    assert_eq!(r("scope = LinkLocal"), [10]);
    assert_eq!(r("scope in (link-local, documentation)"), [4, 5, 6, 10]);
    assert_eq!(r("scope = -"), [2, 3]);
    assert_eq!(r("scope = public"), [7, 8, 9, 11]);
}

#[test]
fn derived_aws_service_region_and_clouds() {
    let r = |e: &str| rows(&derived_input(), e);
    assert_eq!(r("aws.service = S3"), [7]);
    assert_eq!(r("dst.aws.service = s3"), [7]);
    assert_eq!(r("src.aws.service = S3"), Vec::<u32>::new());
    assert_eq!(r("aws.service = EC2"), [11]);
    assert_eq!(r("aws.service in (amazon)"), [7, 11]);
    assert_eq!(r("aws.region = ap-northeast-3"), [11]);
    assert_eq!(r("dst.aws.region = AP-NORTHEAST-3"), [11]);
    assert_eq!(r("cloud = google"), [8]);
    assert_eq!(r("src.cloud = \"Google Cloud\""), [8]);
    assert_eq!(r("dst.cloud = google"), Vec::<u32>::new());
    assert_eq!(r("cloud in (cloudflare, oracle)"), [9]);
    // Without the ranges, no address is AWS's.
    let q = Query::parse("aws.service = S3").unwrap();
    assert!(q.uses_aws_ranges());
    assert!(q.filter(&Decoded::decode(derived_input()), None).is_empty());
    assert!(!Query::parse("scope = public").unwrap().uses_aws_ranges());
}

#[test]
fn derived_service_role_protocol() {
    let r = |e: &str| rows(&derived_input(), e);
    assert_eq!(r("service = ssh"), [0, 6]);
    assert_eq!(r("service = SSH"), [0, 6]);
    assert_eq!(r("service = rdp"), [1]);
    assert_eq!(r("service = ms-wbt-server"), [1]);
    assert_eq!(r("service in (https, domain)"), [7, 8, 9]);
    assert_eq!(r("service = dns"), [9]);
    assert_eq!(r("service = redis"), [11]);
    assert_eq!(r("service = -"), [2, 3, 4, 5]);
    assert_eq!(r("role = request"), [0, 1, 6, 7, 10, 11]);
    assert_eq!(r("role = reply"), [8, 9]);
    assert_eq!(r("role = -"), [2, 3, 4, 5]);
    assert_eq!(r("protocol = icmp"), [4, 5]);
    assert_eq!(r("protocol = TCP and role = reply"), [8]);
    assert_eq!(r("protocol in (udp, 1)"), [4, 5, 9]);
    assert_eq!(r("protocol > 6"), [9]);
}

#[test]
fn derived_direction_and_internet() {
    let r = |e: &str| rows(&derived_input(), e);
    // No address is in every record of eni-1235b8ca123456789 (172.31.16.x, 172.31.9.x, IPv6):
    // its own address is not told, and no record's direction either.
    let d = Decoded::decode(derived_input());
    assert_eq!(
        d.facts()
            .interface_address("eni-1235b8ca123456789")
            .map(|a| a.to_string()),
        None
    );
    assert_eq!(r("direction = -"), (0..12).collect::<Vec<u32>>());
    // An input where it is told.
    let own = "\
2 123456789010 eni-0a 10.0.0.5 198.51.100.7 40000 443 6 5 500 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-0a 198.51.100.7 10.0.0.5 443 40000 6 5 500 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-0a 8.8.8.8 10.0.0.5 53 40001 17 1 100 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-0a 10.0.0.5 52.216.0.10 40002 443 6 1 60 1418530010 1418530070 ACCEPT OK
";
    let r = |e: &str| rows(own, e);
    assert_eq!(r("direction = outbound"), [0, 3]);
    assert_eq!(r("direction = inbound"), [1, 2]);
    assert_eq!(r("direction = ingress"), [1, 2]);
    assert_eq!(r("from_internet"), [2]);
    assert_eq!(r("from_internet = true"), [2]);
    assert_eq!(r("from_internet = no"), [0, 1, 3]);
    assert_eq!(r("not from_internet"), [0, 1, 3]);
    assert_eq!(r("to_internet"), Vec::<u32>::new());
    assert_eq!(r("from_internet or to_internet"), [2]);
    assert_eq!(r("srcscope = documentation"), [1]);
    // flow-direction says it when the record has it.
    let v5 = "\
version interface-id srcaddr dstaddr flow-direction
5 eni-0a 10.0.0.5 198.51.100.7 ingress
5 eni-0a 198.51.100.7 10.0.0.5 egress
5 eni-0a 10.0.0.5 198.51.100.7 -
";
    let r = |e: &str| rows(v5, e);
    assert_eq!(r("direction = inbound"), [0]);
    // Row 2 has no flow-direction, and the interface's address is not told (10.0.0.5 and
    // 198.51.100.7 are in all three records).
    assert_eq!(r("direction = outbound"), [1]);
    assert_eq!(r("flow-direction = INGRESS"), [0]);
    assert_eq!(r("to_internet"), Vec::<u32>::new());
}

// ---------------------------------------------------------------------------------------------
// Errors: where, and what was expected, in both languages.

#[test]
fn errors_point_at_their_place() {
    let cases: &[(&str, usize, &str, &str)] = &[
        ("", 1, "column 1: the expression is empty", "1 文字目: 式が空です"),
        (
            "action =",
            9,
            "column 9: expected a value, found the end of the expression",
            "9 文字目: 値が必要ですが、式が終わっています",
        ),
        (
            "srcadr = 10.0.0.1",
            1,
            "column 1: unknown field 'srcadr' (did you mean 'srcaddr'?)",
            "1 文字目: 不明なフィールド 'srcadr' です（'srcaddr' のことですか？）",
        ),
        (
            "action = ACCEPTED",
            10,
            "column 10: 'ACCEPTED' is not a value of action: expected ACCEPT or REJECT",
            "10 文字目: 'ACCEPTED' は action の値ではありません（ACCEPT または REJECTを指定してください）",
        ),
        (
            "dstport = 70000",
            11,
            "column 11: '70000' is not a value of dstport: expected a port 0-65535",
            "11 文字目: '70000' は dstport の値ではありません（0～65535 のポート番号を指定してください）",
        ),
        (
            "scope < public",
            7,
            "column 7: scope cannot be compared with '<' (it has =, !=, in, not in)",
            "7 文字目: scope は '<' で比較できません（使える演算子: =, !=, in, not in）",
        ),
        (
            "(action = reject",
            17,
            "column 17: expected ')', found the end of the expression",
            "17 文字目: ')'が必要ですが、式が終わっています",
        ),
        (
            "action = reject bytes > 1",
            17,
            "column 17: expected 'and', 'or', ')' or the end, found 'bytes'",
            "17 文字目: 'and'、'or'、')' または式の終わりが必要ですが、'bytes' があります",
        ),
        (
            "dstport in 22",
            12,
            "column 12: expected '(' and a list of values (or a CIDR block, for addresses), found '22'",
            "12 文字目: '(' と値のリスト（アドレスなら CIDR ブロックも可）が必要ですが、'22' があります",
        ),
        (
            "dstport in (22 80)",
            16,
            "column 16: expected ',' or ')', found '80'",
            "16 文字目: ',' または ')'が必要ですが、'80' があります",
        ),
        (
            "\"eni-01",
            1,
            "column 1: the quoted text has no closing quote",
            "1 文字目: 引用符が閉じられていません",
        ),
        (
            "action & reject",
            8,
            "column 8: unexpected character '&'",
            "8 文字目: 使えない文字 '&' があります",
        ),
        (
            "送信元 = 1",
            1,
            "column 1: unknown field '送信元' (fields go by their AWS names, e.g. srcaddr, log-status, or a derived name such as scope, service, aws.service; to search every value for a text, quote it: \"送信元\")",
            "1 文字目: 不明なフィールド '送信元' です（フィールドは srcaddr、log-status のような AWS の名前、または scope、service、aws.service などの派生名で指定します。すべての値から文字列を探すには引用符で囲みます: \"送信元\"）",
        ),
        (
            "start >= 2025-04-31",
            10,
            "column 10: '2025-04-31' is not a value of start: expected a UTC time (2025-04-13, 2025-04-13T05:00Z, 2025-04-13T05:00:30Z) or Unix seconds",
            "10 文字目: '2025-04-31' は start の値ではありません（UTC の時刻（2025-04-13、2025-04-13T05:00Z、2025-04-13T05:00:30Z）または Unix 秒を指定してください）",
        ),
        (
            "srcaddr in 10.0.0.0/33",
            12,
            "column 12: '10.0.0.0/33' is not a value of srcaddr: expected an IPv4 or IPv6 address or a CIDR block (10.0.0.0/8)",
            "12 文字目: '10.0.0.0/33' は srcaddr の値ではありません（IPv4 / IPv6 アドレスまたは CIDR ブロック（10.0.0.0/8）を指定してください）",
        ),
        (
            "protocol = tcpp",
            12,
            "column 12: 'tcpp' is not a value of protocol: expected a protocol number 0-255 or name (tcp, udp, icmp, ...)",
            "12 文字目: 'tcpp' は protocol の値ではありません（0～255 のプロトコル番号または名前（tcp、udp、icmp など）を指定してください）",
        ),
        (
            "role = client",
            8,
            "column 8: 'client' is not a value of role: expected request or reply",
            "8 文字目: 'client' は role の値ではありません（request または replyを指定してください）",
        ),
        (
            "cloud = azure",
            9,
            "column 9: 'azure' is not a value of cloud: expected Google Cloud, Oracle Cloud or Cloudflare",
            "9 文字目: 'azure' は cloud の値ではありません（Google Cloud、Oracle Cloud または Cloudflareを指定してください）",
        ),
        (
            "from_internet = maybe",
            17,
            "column 17: 'maybe' is not a value of from_internet: expected true or false",
            "17 文字目: 'maybe' は from_internet の値ではありません（true または falseを指定してください）",
        ),
        (
            "bytes < -",
            9,
            "column 9: '-' is not a value of bytes: expected a byte count (integer)",
            "9 文字目: '-' は bytes の値ではありません（バイト数（整数）を指定してください）",
        ),
        (
            "srcaddr not 10.0.0.1",
            13,
            "column 13: expected 'in' after 'not', found '10.0.0.1'",
            "13 文字目: 'not' の後に 'in'が必要ですが、'10.0.0.1' があります",
        ),
        (
            "bytes",
            6,
            "column 6: expected an operator (=, !=, <, <=, >, >=, in, not in), found the end of the expression",
            "6 文字目: 演算子（=、!=、<、<=、>、>=、in、not in）が必要ですが、式が終わっています",
        ),
        (
            "action = reject and",
            20,
            "column 20: expected a test (a field and a comparison, 'not', '(' or a \"quoted text\"), found the end of the expression",
            "20 文字目: 条件（フィールドと比較、'not'、'('、\"引用符で囲んだ文字列\" のいずれか）が必要ですが、式が終わっています",
        ),
        (
            "from_internet in (true)",
            15,
            "column 15: from_internet cannot be compared with 'in' (it has =, !=)",
            "15 文字目: from_internet は 'in' で比較できません（使える演算子: =, !=）",
        ),
    ];
    for (expr, column, en, ja) in cases {
        let e = err(expr);
        assert_eq!(e.column, *column, "{expr}: {e:?}");
        assert_eq!(e.message(Lang::En), *en, "{expr}");
        assert_eq!(e.message(Lang::Ja), *ja, "{expr}");
        assert_eq!(e.to_string(), *en);
    }
}

#[test]
fn error_kinds_and_spans() {
    let e = err("action = reject bytes > 1");
    assert_eq!(e.span, 16..21);
    assert!(matches!(
        e.kind,
        ErrorKind::Expected {
            expected: Expected::AndOrEnd,
            ..
        }
    ));
    assert_eq!(err("srcadr = 1").span, 0..6);
    assert_eq!(err("action =").span, 8..8);
    let deep = format!("{}action = reject{}", "(".repeat(70), ")".repeat(70));
    assert_eq!(err(&deep).kind, ErrorKind::TooDeep);
    let nots = format!("{}action = reject", "not ".repeat(70));
    assert_eq!(err(&nots).kind, ErrorKind::TooDeep);
    // Sixty-four levels are fine.
    let ok = format!("{}action = reject{}", "(".repeat(64), ")".repeat(64));
    assert!(Query::parse(&ok).is_ok());
    let long = format!("port in ({})", vec!["1"; 40_000].join(","));
    assert_eq!(err(&long).kind, ErrorKind::TooLong);
    assert_eq!(err("   ").kind, ErrorKind::Empty);
}

#[test]
fn the_caret_points_under_the_error() {
    let expr = "action = reject and dstport in (22 3389)";
    let e = err(expr);
    assert_eq!(e.caret(expr), format!("{expr}\n{}^^^^", " ".repeat(35)));
    // Full-width characters take two columns in a terminal.
    let expr = "ａｃｔｉｏｎ = 拒否";
    let e = err(expr);
    assert_eq!(e.column, 10);
    assert_eq!(e.caret(expr), format!("{expr}\n{}^^^^", " ".repeat(15)));
    let e = err("bytes >");
    assert_eq!(e.caret("bytes >"), "bytes >\n       ^");
}

// ---------------------------------------------------------------------------------------------
// The reference: a straightforward filter over the explained entries.

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, all: &[&'a str]) -> &'a str {
        all[self.below(all.len())]
    }
}

/// Records of two formats (the default one, then a v5 format in another order), with private,
/// documentation, special, AWS (the bundled snapshot's prefixes) and other clouds' addresses,
/// several interfaces (some with one own address), ports of known services and ephemeral ones,
/// protocols with and without ports, times in seconds and milliseconds, and `-` here and there.
fn generated() -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let ranges = aws();
    let mut peers: Vec<String> = [
        "203.0.113.12",
        "198.51.100.7",
        "8.8.8.8",
        "1.1.1.1",
        "93.184.216.34",
        "100.64.0.1",
        "169.254.169.254",
        "224.0.0.251",
        "10.0.9.9",
        "172.31.0.2",
        "192.168.1.20",
        "2001:db8::7",
        "fe80::1",
        "2a00:1450:4001::1",
        "-",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for i in (0..ranges.prefixes.len()).step_by(ranges.prefixes.len() / 40) {
        let net = ranges.prefixes[i].net;
        peers.push(match net.addr() {
            IpAddr::V4(a) => std::net::Ipv4Addr::from(u32::from(a) + 1).to_string(),
            IpAddr::V6(a) => std::net::Ipv6Addr::from(u128::from(a) + 1).to_string(),
        });
    }
    for &(net, _, _, _) in flowlens::classify::clouds::published::V4.iter().step_by(97) {
        peers.push(std::net::Ipv4Addr::from(net + 1).to_string());
    }
    // Interfaces and their own addresses; the last has two (so none is told).
    let interfaces = [
        ("eni-01f35fc1a2377de36", "10.0.4.135"),
        ("eni-0aa01f3000000000a", "10.0.1.20"),
        ("eni-0bb0000000000000b", "2001:db8:1::5"),
        ("eni-0cc0000000000000c", "172.31.5.5"),
    ];
    let ports = [
        "22", "80", "443", "3389", "53", "123", "3306", "6379", "0", "5432", "8080", "1024",
        "2049", "25", "-",
    ];
    let protocols = ["6", "6", "6", "17", "17", "1", "58", "50", "132", "-"];
    let mut out = String::new();
    let header_v2 =
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    let header_v5 = "log-status action end start bytes packets flow-direction protocol dstport srcport pkt-src-aws-service dstaddr srcaddr interface-id account-id version vpc-id instance-id tcp-flags";
    for block in 0..2 {
        out.push_str(if block == 0 { header_v2 } else { header_v5 });
        out.push('\n');
        for _ in 0..300 {
            let (eni, own) = interfaces[rng.below(interfaces.len())];
            let own = if eni.starts_with("eni-0cc") && rng.below(2) == 0 {
                "172.31.5.6"
            } else {
                own
            };
            let peer = peers[rng.below(peers.len())].clone();
            let outbound = rng.below(2) == 0;
            let (src, dst) = if outbound {
                (own.to_string(), peer)
            } else {
                (peer, own.to_string())
            };
            let ephemeral = (32768 + rng.below(28000)).to_string();
            let service = rng.pick(&ports).to_string();
            let (sport, dport) = match rng.below(3) {
                0 => (ephemeral, service),
                1 => (service, ephemeral),
                _ => (rng.pick(&ports).to_string(), service),
            };
            let protocol = rng.pick(&protocols);
            let start = 1_744_500_000 + rng.below(200_000) as u64;
            let end = start + rng.below(120) as u64;
            let (start, end) = if rng.below(10) == 0 {
                (format!("{}", start * 1000), format!("{}", end * 1000 + 5))
            } else {
                (start.to_string(), end.to_string())
            };
            let action = rng.pick(&["ACCEPT", "ACCEPT", "REJECT", "-"]);
            let status = rng.pick(&["OK", "OK", "OK", "OK", "NODATA", "SKIPDATA"]);
            let packets = (1 + rng.below(30)).to_string();
            let bytes = (40 + rng.below(20_000)).to_string();
            let flow = rng.pick(&["ingress", "egress", "-"]);
            let service_code = rng.pick(&["S3", "EC2", "AMAZON", "-"]);
            let instance = rng.pick(&["i-0123456789abcdef0", "-"]);
            if block == 0 {
                out.push_str(&format!(
                    "2 123456789010 {eni} {src} {dst} {sport} {dport} {protocol} {packets} {bytes} {start} {end} {action} {status}\n"
                ));
            } else {
                out.push_str(&format!(
                    "{status} {action} {end} {start} {bytes} {packets} {flow} {protocol} {dport} {sport} {service_code} {dst} {src} {eni} 123456789010 5 vpc-0f1e2d3c {instance} {}\n",
                    rng.below(32)
                ));
            }
        }
    }
    out
}

type Reference = fn(&Json) -> bool;

fn field<'a>(e: &'a Json, k: &str) -> &'a Json {
    &e["fields"][k]
}

fn num(e: &Json, k: &str) -> Option<u64> {
    field(e, k).as_u64()
}

fn text(e: &Json, k: &str) -> Option<String> {
    field(e, k).as_str().map(str::to_ascii_lowercase)
}

fn addr(e: &Json, k: &str) -> Option<IpAddr> {
    field(e, k).as_str().and_then(|s| s.parse().ok())
}

fn secs(e: &Json, k: &str) -> Option<u64> {
    num(e, k).map(|t| if t >= 100_000_000_000 { t / 1000 } else { t })
}

fn in_net(a: Option<IpAddr>, net: &str) -> bool {
    let net: ipnet::IpNet = net.parse().unwrap();
    a.is_some_and(|a| net.contains(&a))
}

fn ann<'a>(e: &'a Json, k: &str) -> &'a Json {
    &e["annotations"][k]
}

fn scope_is(e: &Json, k: &str, scope: &str) -> bool {
    ann(e, k)["scope"] == scope
}

fn aws_service(e: &Json, k: &str, s: &str) -> bool {
    ann(e, k)["aws"]["services"].as_array().is_some_and(|all| {
        all.iter()
            .any(|x| x.as_str().unwrap().eq_ignore_ascii_case(s))
    })
}

fn aws_region(e: &Json, k: &str, r: &str) -> bool {
    ann(e, k)["aws"]["region"]
        .as_str()
        .is_some_and(|x| x.eq_ignore_ascii_case(r))
}

fn cloud(e: &Json, k: &str, provider: &str) -> bool {
    ann(e, k)["cloud"]["provider"] == provider
}

/// The annotations of the ports whose service counts: the server's, or both.
fn service_ports(e: &Json) -> Vec<&Json> {
    match e["roles"]["server"].as_str() {
        Some("srcaddr") => vec![ann(e, "srcport")],
        Some("dstaddr") => vec![ann(e, "dstport")],
        _ => vec![ann(e, "srcport"), ann(e, "dstport")],
    }
}

fn service(e: &Json, name: &str) -> bool {
    service_ports(e).iter().any(|a| {
        a["service"]
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case(name))
            || a["common"].as_str().is_some_and(|c| {
                c.eq_ignore_ascii_case(name) || c.split(" / ").any(|p| p.eq_ignore_ascii_case(name))
            })
    })
}

fn no_service(e: &Json) -> bool {
    service_ports(e).iter().all(|a| a["service"].is_null())
}

fn internet(e: &Json, k: &str) -> bool {
    let a = ann(e, k);
    a["scope"] == "public" && a["aws"].is_null() && a["interface"].is_null()
}

fn free_text(e: &Json, needle: &str) -> bool {
    e["fields"].as_object().unwrap().values().any(|v| match v {
        Json::Null => false,
        Json::String(s) => s.to_ascii_lowercase().contains(needle),
        other => other.to_string().contains(needle),
    })
}

/// Expressions and the same filter written over an explained entry.
const CHECKS: &[(&str, Reference)] = &[
    (
        "action=REJECT and dstport in (22, 3389) and not srcaddr in 10.0.0.0/8",
        |e| {
            text(e, "action").as_deref() == Some("reject")
                && matches!(num(e, "dstport"), Some(22 | 3389))
                && !in_net(addr(e, "srcaddr"), "10.0.0.0/8")
        },
    ),
    ("srcaddr in 203.0.113.0/24 or aws.service=S3", |e| {
        in_net(addr(e, "srcaddr"), "203.0.113.0/24")
            || aws_service(e, "srcaddr", "s3")
            || aws_service(e, "dstaddr", "s3")
    }),
    ("start >= 2025-04-13T05:00Z", |e| {
        secs(e, "start").is_some_and(|t| t >= 1_744_520_400)
    }),
    ("start = 2025-04-13", |e| {
        secs(e, "start").is_some_and(|t| (1_744_502_400..1_744_588_800).contains(&t))
    }),
    ("end < 1744600000", |e| {
        secs(e, "end").is_some_and(|t| t < 1_744_600_000)
    }),
    ("\"eni-01f3\"", |e| free_text(e, "eni-01f3")),
    ("\"10.0.4\" or \"443\"", |e| {
        free_text(e, "10.0.4") || free_text(e, "443")
    }),
    ("\"Reject\"", |e| free_text(e, "reject")),
    ("action != REJECT", |e| {
        text(e, "action").as_deref() != Some("reject")
    }),
    ("log-status in (nodata, skipdata)", |e| {
        matches!(
            text(e, "log-status").as_deref(),
            Some("nodata" | "skipdata")
        )
    }),
    ("bytes > 10000 or packets <= 2", |e| {
        num(e, "bytes").is_some_and(|b| b > 10_000) || num(e, "packets").is_some_and(|p| p <= 2)
    }),
    ("protocol = tcp", |e| num(e, "protocol") == Some(6)),
    ("protocol in (udp, icmp, 58)", |e| {
        matches!(num(e, "protocol"), Some(17 | 1 | 58))
    }),
    ("port in (22, 80) and not protocol = -", |e| {
        (matches!(num(e, "srcport"), Some(22 | 80)) || matches!(num(e, "dstport"), Some(22 | 80)))
            && !field(e, "protocol").is_null()
    }),
    ("addr in 10.0.0.0/8 and addr in 2001:db8::/32", |e| {
        let any = |net| in_net(addr(e, "srcaddr"), net) || in_net(addr(e, "dstaddr"), net);
        any("10.0.0.0/8") && any("2001:db8::/32")
    }),
    (
        "srcaddr < 10.0.4.135",
        |e| matches!(addr(e, "srcaddr"), Some(IpAddr::V4(a)) if a < std::net::Ipv4Addr::new(10, 0, 4, 135)),
    ),
    ("scope = public", |e| {
        scope_is(e, "srcaddr", "public") || scope_is(e, "dstaddr", "public")
    }),
    (
        "srcscope = private and dstscope in (link-local, documentation, multicast)",
        |e| {
            scope_is(e, "srcaddr", "private")
                && ["link-local", "documentation", "multicast"]
                    .iter()
                    .any(|s| scope_is(e, "dstaddr", s))
        },
    ),
    ("scope = -", |e| {
        addr(e, "srcaddr").is_none() || addr(e, "dstaddr").is_none()
    }),
    ("aws.service = ec2", |e| {
        aws_service(e, "srcaddr", "ec2") || aws_service(e, "dstaddr", "ec2")
    }),
    (
        "dst.aws.service = AMAZON and not src.aws.service = AMAZON",
        |e| aws_service(e, "dstaddr", "amazon") && !aws_service(e, "srcaddr", "amazon"),
    ),
    ("aws.region = us-east-1 or src.aws.region = GLOBAL", |e| {
        aws_region(e, "srcaddr", "us-east-1")
            || aws_region(e, "dstaddr", "us-east-1")
            || aws_region(e, "srcaddr", "global")
    }),
    ("cloud = google", |e| {
        cloud(e, "srcaddr", "Google Cloud") || cloud(e, "dstaddr", "Google Cloud")
    }),
    ("src.cloud in (oracle, cloudflare)", |e| {
        cloud(e, "srcaddr", "Oracle Cloud") || cloud(e, "srcaddr", "Cloudflare")
    }),
    ("service = ssh", |e| service(e, "ssh")),
    ("service in (https, ntp, domain)", |e| {
        service(e, "https") || service(e, "ntp") || service(e, "domain")
    }),
    ("service = rdp or service = mysql or service = redis", |e| {
        service(e, "rdp") || service(e, "mysql") || service(e, "redis")
    }),
    ("service = -", no_service),
    ("role = request", |e| e["roles"]["direction"] == "request"),
    ("role = reply", |e| e["roles"]["direction"] == "reply"),
    ("role = -", |e| e["roles"].is_null()),
    ("direction = inbound", |e| e["direction"] == "inbound"),
    ("direction = outbound", |e| e["direction"] == "outbound"),
    ("direction = -", |e| e["direction"].is_null()),
    ("from_internet", |e| internet(e, "srcaddr")),
    ("to_internet and action = accept", |e| {
        internet(e, "dstaddr") && text(e, "action").as_deref() == Some("accept")
    }),
    ("not from_internet and not to_internet", |e| {
        !internet(e, "srcaddr") && !internet(e, "dstaddr")
    }),
    ("instance-id = - and vpc-id != -", |e| {
        field(e, "instance-id").is_null() && !field(e, "vpc-id").is_null()
    }),
    (
        "flow-direction = ingress or pkt-src-aws-service = s3",
        |e| {
            text(e, "flow-direction").as_deref() == Some("ingress")
                || text(e, "pkt-src-aws-service").as_deref() == Some("s3")
        },
    ),
    ("tcp-flags >= 16 and version = 5", |e| {
        num(e, "tcp-flags").is_some_and(|f| f >= 16) && num(e, "version") == Some(5)
    }),
    ("interface-id = eni-01f35fc1a2377de36", |e| {
        text(e, "interface-id").as_deref() == Some("eni-01f35fc1a2377de36")
    }),
    ("account-id >= 5", |e| {
        text(e, "account-id").is_some_and(|a| a.as_str() >= "5")
    }),
    (
        "(action = accept or action = reject) and not (port = 22)",
        |e| {
            text(e, "action").is_some()
                && num(e, "srcport") != Some(22)
                && num(e, "dstport") != Some(22)
        },
    ),
];

/// Every test input: the data files, every shape, the seed, the generated records.
fn inputs() -> Vec<(String, Vec<u8>)> {
    let mut all = vec![
        ("seed".to_string(), SEED.as_bytes().to_vec()),
        ("docs".to_string(), DOCS.as_bytes().to_vec()),
        ("derived".to_string(), derived_input().into_bytes()),
        ("generated".to_string(), generated().into_bytes()),
    ];
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shapes");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        all.push((f.display().to_string(), std::fs::read(&f).unwrap()));
    }
    all
}

#[test]
fn the_engine_keeps_what_a_filter_over_the_explained_entries_keeps() {
    let ctx = Context { aws: Some(aws()) };
    let mut kept = vec![0usize; CHECKS.len()];
    let mut records = 0;
    for (name, bytes) in inputs() {
        let d = Decoded::decode(&bytes);
        let entries: Vec<Json> = (0..d.len())
            .map(|i| serde_json::to_value(d.entry_json(i, &ctx, Lang::En).unwrap()).unwrap())
            .collect();
        records += entries.iter().filter(|e| e.get("fields").is_some()).count();
        for (k, (expr, reference)) in CHECKS.iter().enumerate() {
            let q = Query::parse(expr).unwrap();
            let got = q.filter(&d, Some(aws()));
            let want: Vec<u32> = entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.get("fields").is_some() && reference(e))
                .map(|(i, _)| i as u32)
                .collect();
            assert_eq!(got, want, "{name}: {expr}");
            kept[k] += got.len();
            // One record at a time, the same.
            for &row in got.iter().take(3) {
                let entry = d.store().entry(row as usize).unwrap();
                let rec = entry.record().unwrap();
                assert!(q.matches(&rec, d.facts(), Some(aws())), "{name}: {expr}");
            }
        }
    }
    assert!(records > 600, "{records}");
    // Each check keeps some records and leaves some: none passes by saying nothing.
    for (k, (expr, _)) in CHECKS.iter().enumerate() {
        assert!(
            kept[k] > 0 && kept[k] < records,
            "{expr}: {} of {records}",
            kept[k]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Sorting.

#[test]
fn sorts_are_stable_with_absent_values_last() {
    let d = Decoded::decode(SMALL);
    let all = flowlens::query::record_rows(d.store());
    assert_eq!(all, [0, 1, 2, 3, 4]);
    let sorted = |s: &str| {
        let mut r = all.clone();
        s.parse::<Sort>().unwrap().apply(d.store(), &mut r);
        r
    };
    assert_eq!(sorted("bytes"), [2, 0, 1, 3, 4]);
    assert_eq!(sorted("bytes:desc"), [1, 0, 2, 3, 4]);
    assert_eq!(sorted("BYTES:DESC"), [1, 0, 2, 3, 4]);
    // Row 3's start is in milliseconds, the same second as row 0's: equal keys keep input order.
    assert_eq!(sorted("start"), [0, 3, 1, 2, 4]);
    assert_eq!(sorted("start:desc"), [2, 1, 0, 3, 4]);
    assert_eq!(sorted("packets"), [0, 1, 2, 3, 4]);
    assert_eq!(sorted("end:asc"), [0, 1, 2, 3, 4]);
    for bad in ["size", "bytes:up", "", "bytes:"] {
        assert!(bad.parse::<Sort>().is_err(), "{bad}");
    }
    // Paging through the sorted rows is slicing them.
    let page: Vec<Json> = sorted("bytes:desc")[1..3]
        .iter()
        .map(|r| {
            serde_json::to_value(
                d.entry_json(*r as usize, &Context::default(), Lang::En)
                    .unwrap(),
            )
            .unwrap()
        })
        .collect();
    assert_eq!(page[0]["fields"]["bytes"], 100);
    assert_eq!(page[1]["fields"]["bytes"], 76);
}

#[test]
fn sorts_order_as_the_explained_entries_say() {
    let d = Decoded::decode(generated());
    let entries: Vec<Json> = (0..d.len())
        .map(|i| {
            serde_json::to_value(d.entry_json(i, &Context::default(), Lang::En).unwrap()).unwrap()
        })
        .collect();
    let all = flowlens::query::record_rows(d.store());
    // Every record (read in one pass), and a few (read one by one).
    let some: Vec<u32> = all.iter().copied().step_by(10).collect();
    for key in ["start", "end", "bytes", "packets"] {
        for desc in [false, true] {
            let sort: Sort = format!("{key}{}", if desc { ":desc" } else { "" })
                .parse()
                .unwrap();
            for rows in [&all, &some] {
                let mut got = rows.clone();
                sort.apply(d.store(), &mut got);
                let value = |r: &u32| {
                    num(&entries[*r as usize], key).map(|v| match key {
                        "start" | "end" if v < 100_000_000_000 => v * 1000,
                        _ => v,
                    })
                };
                let mut want = rows.clone();
                want.sort_by(|a, b| match (value(a), value(b)) {
                    (Some(x), Some(y)) if desc => y.cmp(&x),
                    (Some(x), Some(y)) => x.cmp(&y),
                    (x, y) => y.is_some().cmp(&x.is_some()),
                });
                assert_eq!(got, want, "{key} desc={desc} rows={}", rows.len());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CSV.

#[test]
fn csv_has_every_field_and_the_derived_facts() {
    let d = Decoded::decode(format!("{SEED}{SEED}"));
    let csv = Csv::new(&d, Some(aws()), None);
    let mut out = Vec::new();
    csv.write_header(&mut out).unwrap();
    csv.write_rows(&mut out, &[0, 1]).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[3], "");
    let header = format!(
        "line,version,account-id,interface-id,srcaddr,dstaddr,srcport,dstport,protocol,packets,bytes,start,end,action,log-status,{}",
        DERIVED_COLUMNS.join(",")
    );
    assert_eq!(lines[0], header);
    assert_eq!(
        lines[1],
        "1,2,654654279488,eni-01f35fc1a2377de36,10.0.4.135,15.152.63.145,35098,123,17,1,76,1744521785,1744521793,ACCEPT,OK,\
         2025-04-13T05:23:05Z,2025-04-13T05:23:13Z,UDP,ntp,request,,private,public,,,AMAZON EC2,ap-northeast-3,,,false,false"
    );
    assert!(lines[2].starts_with("2,2,"));
}

#[test]
fn csv_of_several_formats_and_quoted_values() {
    // A tag with a comma and a quote (percent-encoding is the tag's own business; CSV quotes what
    // it must), a format without srcaddr, and absent values as empty cells.
    let text = "\
version srcaddr instance-tag
11 10.0.0.1 a,b\"c
version dstport
2 -
";
    let d = Decoded::decode(text);
    let csv = Csv::new(&d, None, Some("in,put.log"));
    let mut out = Vec::new();
    csv.write_header(&mut out).unwrap();
    csv.write_rows(&mut out, &[0, 1, 99]).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(lines[0].starts_with("file,line,version,srcaddr,instance-tag,dstport,start_utc,"));
    assert!(
        lines[1].starts_with("\"in,put.log\",2,11,10.0.0.1,\"a,b\"\"c\",,,,,,,,private,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("\"in,put.log\",4,2,,,,"),
        "{}",
        lines[2]
    );
    assert_eq!(lines.len(), 4);
}

// ---------------------------------------------------------------------------------------------
// Nothing panics.

fn config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..Default::default()
    }
}

const PIECES: &[&str] = &[
    "action",
    "srcaddr",
    "addr",
    "port",
    "bytes",
    "start",
    "scope",
    "aws.service",
    "service",
    "role",
    "direction",
    "from_internet",
    "protocol",
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "<>",
    "in",
    "not",
    "and",
    "or",
    "&&",
    "||",
    "!",
    "(",
    ")",
    ",",
    "\"",
    "'",
    "-",
    "reject",
    "10.0.0.0/8",
    "::/0",
    "22",
    "2025-04-13",
    "2025-04-13T05:00Z",
    "tcp",
    "public",
    "S3",
    "eni-01f3",
    "ｘ",
    "拒否",
    "\\",
    " ",
    "&",
    "|",
    "18446744073709551616",
    "/",
    "1.2.3.4/99",
];

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn expressions_of_any_pieces_never_panic(picks in proptest::collection::vec(0..PIECES.len(), 0..16)) {
        let expr: Vec<&str> = picks.iter().map(|i| PIECES[*i]).collect();
        let expr = expr.join(" ");
        match Query::parse(&expr) {
            Ok(q) => {
                let d = Decoded::decode(DOCS);
                let rows = q.filter(&d, Some(aws()));
                prop_assert!(rows.iter().all(|r| (*r as usize) < d.len()));
            }
            Err(e) => {
                prop_assert!(e.span.start <= e.span.end && e.span.end <= expr.len());
                prop_assert!(e.column >= 1 && e.column <= expr.chars().count() + 1);
                prop_assert!(!e.message(Lang::Ja).is_empty());
                let _ = e.caret(&expr);
            }
        }
    }

    #[test]
    fn any_text_never_panics(expr in "\\PC{0,40}") {
        if let Err(e) = Query::parse(&expr) {
            prop_assert!(e.span.end <= expr.len());
            let _ = (e.message(Lang::En), e.caret(&expr));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The CLI.

fn cli(args: &[&str], stdin: &str) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flowlens runs");
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn json_lines(out: &str) -> Vec<Json> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn cli_where_filters_records_and_says_how_many_matched() {
    let input = format!("{DOCS}garbage\n");
    let (out, err, code) = cli(&["--json", "--where", "service=ssh"], &input);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<u64> = json_lines(&out)
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 7]);
    assert!(
        err.contains("flowlens: 8 lines, 7 records, 0 header lines, 0 blank lines, 0 ignored lines, 1 errors"),
        "{err}"
    );
    assert!(err.contains("flowlens: 2 of 7 records match"), "{err}");
    // Readable, in Japanese, from a file.
    let path = std::env::temp_dir().join(format!("flowlens-query-{}.log", std::process::id()));
    std::fs::write(&path, DOCS).unwrap();
    let (out, err, code) = cli(
        &[
            "--lang",
            "ja",
            "--where=action = reject",
            path.to_str().unwrap(),
        ],
        "",
    );
    std::fs::remove_file(&path).unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("行目: ").count(), 2, "{out}");
    assert!(
        err.contains("7 件のレコードのうち 2 件が条件に一致しました"),
        "{err}"
    );
    // --count says only the counts.
    let (out, err, code) = cli(&["--count", "--where", "protocol=icmp"], DOCS);
    assert_eq!((out.as_str(), code), ("", 0));
    assert!(err.contains("2 of 7 records match"), "{err}");
}

#[test]
fn cli_bad_expressions_exit_2_with_the_place() {
    let (out, err, code) = cli(
        &["--where", "action = reject and dstport in (22 3389)"],
        DOCS,
    );
    assert_eq!((out.as_str(), code), ("", 2));
    assert_eq!(
        err,
        format!(
            "flowlens: --where: column 36: expected ',' or ')', found '3389'\n  action = reject and dstport in (22 3389)\n  {}^^^^\n",
            " ".repeat(35)
        )
    );
    let (_, err, code) = cli(&["--where", "srcadr = 1", "--lang", "ja"], DOCS);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("flowlens: --where: 1 文字目: 不明なフィールド 'srcadr' です（'srcaddr' のことですか？）\n"),
        "{err}"
    );
    for args in [
        &["--sort", "size"][..],
        &["--where", "a=1", "--stream"],
        // --summary --where is the summary of the records kept; not with --sort.
        &["--sort", "bytes", "--summary"],
        &["--csv", "--json"],
        &["--where"],
    ] {
        let (_, err, code) = cli(args, DOCS);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}

#[test]
fn cli_sort_orders_the_records() {
    let (out, err, code) = cli(
        &["--json", "--sort", "bytes:desc", "--where", "bytes != -"],
        DOCS,
    );
    assert_eq!(code, 0, "{err}");
    let bytes: Vec<u64> = json_lines(&out)
        .iter()
        .map(|e| e["fields"]["bytes"].as_u64().unwrap())
        .collect();
    assert_eq!(bytes, [8855, 4249, 4249, 336, 336]);
    // Sorting alone keeps every entry: the records in order (those without bytes last), then
    // the lines in error.
    let input = format!("garbage\n{DOCS}");
    let (out, _, code) = cli(&["--json", "--sort", "bytes"], &input);
    assert_eq!(code, 0);
    let lines: Vec<u64> = json_lines(&out)
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [6, 7, 2, 3, 8, 4, 5, 1]);
}

#[test]
fn cli_csv() {
    let (out, err, code) = cli(
        &["--csv", "--where", "role = request", "--sort", "bytes:desc"],
        DOCS,
    );
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.split("\r\n").collect();
    assert!(lines[0].starts_with("line,version,account-id,"), "{out}");
    assert!(lines[0].ends_with(",from_internet,to_internet"));
    let numbers: Vec<&str> = lines[1..lines.len() - 1]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(numbers, ["7", "1", "2"]);
    assert!(lines[1].contains(",ssh,request,"), "{}", lines[1]);
    assert!(err.contains("3 of 7 records match"), "{err}");
}
