//! The `flowlens` command line: JSON lines in the documented shape, readable output, languages.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: &str) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flowlens runs");
    // The tool may exit (a usage error) before it reads its input: a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

const SEED: &str = include_str!("data/seed.log");

#[test]
fn json_seed_record() {
    let (out, err, code) = run(&["--json"], SEED);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1);
    let v: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["line"], 1);
    assert_eq!(v["fields"]["version"], 2);
    assert_eq!(v["fields"]["account-id"], "654654279488");
    assert_eq!(v["fields"]["srcport"], 35098);
    assert_eq!(v["fields"]["action"], "ACCEPT");
    assert_eq!(v["fields"]["log-status"], "OK");
    assert_eq!(v["annotations"]["protocol"]["keyword"], "UDP");
    assert_eq!(v["annotations"]["dstport"]["service"], "ntp");
    assert_eq!(v["annotations"]["srcaddr"]["scope"], "private");
    assert_eq!(
        v["annotations"]["dstaddr"]["aws"]["prefix"],
        "15.152.0.0/16"
    );
    assert_eq!(
        v["annotations"]["dstaddr"]["aws"]["services"],
        serde_json::json!(["AMAZON", "EC2"])
    );
    assert_eq!(v["annotations"]["start"]["utc"], "2025-04-13T05:23:05Z");
    assert!(v["summary"].as_str().unwrap().contains("AWS EC2, Osaka"));
    assert!(err.contains("1 records"), "{err}");
}

#[test]
fn json_error_lines_and_counts() {
    // Line 2 a record, 3 not flow-log text, 4 a record whose protocol does not fit (a record
    // with a problem), 5 too few fields, 6 a header line, 7 a record with a placeholder.
    let input = format!(
        "\n{}garbage line\r\n{}\n2 123456789010 eni-1235b8ca123456789\n{}\n{}",
        SEED,
        SEED.replace(" 17 ", " 300 ").trim_end(),
        flowlens::model::fields::DEFAULT_FORMAT.join(" "),
        SEED.trim_end().replace("eni-01f35fc1a2377de36", "eni-1")
    );
    let (out, err, code) = run(&["--json"], &input);
    assert_eq!(code, 0);
    let v: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v.len(), 5);
    assert_eq!(v[0]["line"], 2);
    assert_eq!(v[0]["problems"], serde_json::json!([]));
    assert_eq!(v[1]["line"], 3);
    assert_eq!(v[1]["raw"], "garbage line");
    assert!(v[1]["error"].as_str().unwrap().starts_with("line 3:"));
    // The protocol is kept as written, every other field decoded.
    assert_eq!(v[2]["line"], 4);
    assert_eq!(v[2]["fields"]["protocol"], "300");
    assert_eq!(v[2]["fields"]["dstport"], 123);
    assert_eq!(
        v[2]["problems"],
        serde_json::json!([{
            "field": "protocol",
            "code": "out-of-range",
            "severity": "error",
            "message": "protocol `300`: not a protocol number 0-255; kept as text and left out of sums"
        }])
    );
    assert_eq!(v[3]["line"], 5);
    assert!(v[3]["error"].as_str().unwrap().contains("found 3"));
    assert_eq!(v[4]["line"], 7);
    assert_eq!(v[4]["problems"][0]["code"], "placeholder");
    // Every line is accounted for: records (with and without problems) + headers + blank +
    // ignored + errors = lines.
    assert!(
        err.contains(
            "7 lines, 3 records (2 with problems), 1 header lines, 1 blank lines, 0 ignored lines, 2 errors"
        ),
        "{err}"
    );
}

#[test]
fn readable_output_shows_problems_under_the_record() {
    let line = "2 XXXXXXXXXXXX eni-0xxxxxxxxxxxx 10.0.x.x 52.95.128.179  49152 443 6 10 840 1620000000 1620000060 ACCEPT OK";
    let (out, err, code) = run(&[], line);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("line 1: "), "{out}");
    assert!(lines[0].contains("HTTPS (443)"), "{out}");
    assert!(
        lines[1].starts_with("  ⚠ note (redacted): account-id `XXXXXXXXXXXX`: redacted"),
        "{out}"
    );
    assert!(
        lines[3].contains("What is left, 10.0.0.0/16, is private (RFC 1918)"),
        "{out}"
    );
    assert!(err.contains("1 records (1 with problems)"), "{err}");
    let (out, err, _) = run(&["--lang", "ja"], line);
    assert!(
        out.contains("⚠ 注記 (redacted): account-id `XXXXXXXXXXXX`: 伏せ字"),
        "{out}"
    );
    assert!(
        err.contains("1 レコード（うち問題のあるもの 1 件）"),
        "{err}"
    );
}

#[test]
fn readable_output_in_japanese() {
    let (out, _, code) = run(&["--lang", "ja"], SEED);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("1 行目: 10.0.4.135（プライベート、VPC 内）"),
        "{out}"
    );
    assert!(out.contains("大阪"));
    assert!(out.contains("dstport"));
}

#[test]
fn readable_output_in_english_lists_every_field() {
    let (out, _, _) = run(&[], SEED);
    for key in flowlens::model::fields::DEFAULT_FORMAT {
        assert!(out.contains(&format!("  {key} ")), "{key} missing");
    }
    assert!(out.contains("NTP"));
}

#[test]
fn files_are_read_and_named() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let a = format!("{dir}/tests/data/seed.log");
    let b = format!("{dir}/tests/data/aws-docs-examples.log");
    let (out, _, code) = run(&["--json", &a, &b], "");
    assert_eq!(code, 0);
    let v: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v.len(), 8);
    assert!(v[0]["file"].as_str().unwrap().ends_with("seed.log"));
    assert_eq!(v[1]["line"], 1);
}

#[test]
fn usage_errors() {
    let (_, err, code) = run(&["--lang", "fr"], "");
    assert_eq!(code, 2);
    assert!(err.contains("unknown language 'fr'"));
    let (_, err, code) = run(&["/nonexistent/file"], "");
    assert_eq!(code, 1);
    assert!(err.contains("cannot read /nonexistent/file"));
    let (out, _, code) = run(&["--help"], "");
    assert_eq!(code, 0);
    assert!(out.contains("--json"));
}

#[test]
fn shapes_are_recognised_and_counted() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let gz = format!(
        "{dir}/tests/data/shapes/123456789010_vpcflowlogs_ap-northeast-1_fl-0123456789abcdef0_20250413T0525Z_1a2b3c4d.log.gz"
    );
    let (out, err, code) = run(&["--count", &gz], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("read as gzip (2 members)"), "{err}");
    assert!(err.contains("5 lines, 3 records, 2 header lines"), "{err}");
    let csv = format!("{dir}/tests/data/shapes/cloudwatch-download.csv");
    let (out, err, _) = run(&["--json", &csv], "");
    assert!(err.contains("CloudWatch Logs CSV download"), "{err}");
    assert_eq!(out.lines().count(), 3);
}

#[test]
fn truncated_gzip_is_an_error_after_the_complete_lines() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let gz = std::fs::read(format!(
        "{dir}/tests/data/shapes/123456789010_vpcflowlogs_ap-northeast-1_fl-0123456789abcdef0_20250413T0525Z_1a2b3c4d.log.gz"
    ))
    .unwrap();
    let path = std::env::temp_dir().join(format!("flowlens-cut-{}.log.gz", std::process::id()));
    std::fs::write(&path, &gz[..gz.len() - 30]).unwrap();
    let (_, err, code) = run(&["--count", path.to_str().unwrap()], "");
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 1, "{err}");
    assert!(err.to_lowercase().contains("gzip"), "{err}");
}

#[test]
fn log_format_option_and_inference_report() {
    let record = "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 19 OK\n";
    let (out, err, code) = run(&["--json"], record);
    assert_eq!(code, 0);
    assert!(err.contains("guessed from 1 lines"), "{err}");
    assert!(err.contains("cannot be told apart"), "{err}");
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["fields"]["vpc-id"], "vpc-abcdefab012345678");
    assert_eq!(v["fields"]["tcp-flags"], 19);
    let format = "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status}";
    let (out, err, _) = run(&["--json", "--log-format", format], record);
    assert!(!err.contains("guessed"), "{err}");
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["fields"]["bytes"], 568);
    assert_eq!(v["fields"]["packets"], 8);
    let (_, err, code) = run(&["--log-format", "${version} 10.0.0.1"], record);
    assert_eq!(code, 2);
    assert!(err.contains("not a field name"), "{err}");
}

const DOCS: &str = include_str!("data/aws-docs-examples.log");

#[test]
fn summary_as_json() {
    let (out, err, code) = run(&["--summary", "--json", "--top", "3"], DOCS);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "one JSON object");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["totals"]["records"], 7);
    assert_eq!(v["totals"]["bytes"], 18025);
    assert_eq!(v["totals"]["rejected"]["records"], 2);
    assert_eq!(v["totals"]["log_status"]["nodata"], 1);
    assert_eq!(v["top_pairs"]["rows"].as_array().unwrap().len(), 3);
    assert_eq!(
        v["top_pairs"]["rows"][0]["src"]["addr"],
        "2001:db8:1234:a100:8d6e:3477:df66:f105"
    );
    assert_eq!(v["top_pairs"]["others"]["records"], 2);
    assert_eq!(
        v["rejected_sources"]["rows"][0]["address"]["addr"],
        "172.31.9.69"
    );
    assert_eq!(v["rejected_sources"]["rows"][0]["ports"][0]["name"], "RDP");
    assert_eq!(v["services"]["rows"][0]["name"], "SSH");
    assert_eq!(v["services"]["rows"][0]["requests"], 2);
    assert_eq!(v["totals"]["roles"]["requests"], 3);
    assert_eq!(v["timeline"]["width_s"], 604800);
    assert!(err.contains("7 records"), "{err}");
}

#[test]
fn summary_as_text_in_both_languages_and_over_several_files() {
    let dir = std::env::temp_dir().join(format!("flowlens-summary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (dir.join("docs.log"), dir.join("seed.log"));
    std::fs::write(&a, DOCS).unwrap();
    std::fs::write(&b, SEED).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let (out, err, code) = run(&["--summary", a, b], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Summary: 8 records (8 lines, 0 errors)"),
        "{out}"
    );
    assert!(
        out.contains("ACCEPT 4 (13,516 bytes) · REJECT 2 (4,585 bytes)"),
        "{out}"
    );
    assert!(out.contains("15.152.63.145 (AWS EC2, Osaka)"), "{out}");
    assert!(out.contains("TCP 3389 RDP ×1"), "{out}");
    assert!(out.contains("UDP 123"), "{out}");
    assert!(out.contains("Services (server port, by records)"), "{out}");
    assert!(out.contains("requests 2 · replies 0"), "{out}");
    let (ja, _, code) = run(&["--summary", "--lang", "ja", a], "");
    assert_eq!(code, 0);
    assert!(ja.starts_with("概要: 7 レコード"), "{ja}");
    assert!(ja.contains("（687 日 7 時間）"), "{ja}");
    assert!(ja.contains("プライベート、VPC 内"), "{ja}");
    assert!(
        ja.contains("サービス（サーバー側ポート、レコード数順）"),
        "{ja}"
    );
    std::fs::remove_dir_all(&dir).ok();
    let (_, err, code) = run(&["--summary", "--top", "x"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--top needs a number"), "{err}");
}

/// A file in a fresh temporary directory, removed with it by the caller.
fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("flowlens-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_refused_ip_ranges_file_is_explained_in_the_chosen_language() {
    let cut = temp_file("cut.json", b"{\"prefixes\": [");
    let cut = cut.to_str().unwrap();
    let (out, err, code) = run(&["--ip-ranges", cut, "--lang", "ja"], SEED);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert_eq!(
        err.trim_end(),
        format!(
            "flowlens: {cut}: 使える ip-ranges.json ではありません: JSON の途中でファイルが終わっています（1 行 14 列）"
        )
    );
    let (_, err, code) = run(&["--ip-ranges", cut], SEED);
    assert_eq!(code, 1);
    assert!(
        err.starts_with(&format!(
            "flowlens: {cut}: not a usable ip-ranges.json: EOF"
        )),
        "{err}"
    );
    // Read as bytes: a file that is not UTF-8 is refused for that, with the place of the bad byte.
    let latin1 = temp_file("latin1.json", b"{\"createDate\": \"caf\xe9\"}");
    let (_, err, code) = run(
        &["--lang", "ja", "--ip-ranges", latin1.to_str().unwrap()],
        SEED,
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("UTF-8 のテキストではありません（19 バイト目が不正）"),
        "{err}"
    );
    // A good file is used.
    let mine = temp_file(
        "mine.json",
        br#"{"syncToken": "1", "createDate": "2030-01-01-00-00-00", "prefixes": [{"ip_prefix": "10.0.4.0/24", "region": "ap-northeast-1", "service": "EC2", "network_border_group": "ap-northeast-1"}], "ipv6_prefixes": []}"#,
    );
    let (out, err, code) = run(&["--ip-ranges", mine.to_str().unwrap()], SEED);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("line 1: 10.0.4.135 (AWS EC2, Tokyo) sent"),
        "{out}"
    );
    for p in [cut.as_ref(), latin1.as_path(), mine.as_path()] {
        std::fs::remove_dir_all(std::path::Path::new(p).parent().unwrap()).ok();
    }
}

/// The entries the page would show for `bytes` (the `Decoded` API with the bundled ip-ranges).
fn page_entries(bytes: &[u8], lang: flowlens::text::Lang) -> Vec<Value> {
    use flowlens::explain::Explain;
    let aws = flowlens::classify::aws::AwsRanges::parse_bytes(include_bytes!(
        "../www/data/ip-ranges.json"
    ))
    .unwrap();
    let ctx = flowlens::explain::Context { aws: Some(&aws) };
    let d = flowlens::store::Decoded::decode(bytes);
    (0..d.len())
        .map(|i| serde_json::to_value(d.entry_json(i, &ctx, lang).unwrap()).unwrap())
        .collect()
}

#[test]
fn a_file_is_explained_with_what_the_whole_file_tells_as_in_the_page() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let docs = format!("{dir}/tests/data/aws-docs-examples.log");
    let (out, err, code) = run(&["--json", &docs], "");
    assert_eq!(code, 0, "{err}");
    let v: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v, page_entries(DOCS.as_bytes(), flowlens::text::Lang::En));
    // The ICMP pair: the reject of line 6 is the reply of line 5's accepted flow.
    assert_eq!(v[5]["line"], 6);
    assert_eq!(v[5]["hints"][0]["key"], "network-acl");
    assert!(
        v[5]["hints"][0]["text"]
            .as_str()
            .unwrap()
            .contains("(line 5) was accepted"),
        "{}",
        v[5]["hints"][0]["text"]
    );
    // Readable output says it too, in either language.
    let (out, _, _) = run(&[&docs], "");
    let six = out
        .split("\n\n")
        .find(|e| e.starts_with("line 6:"))
        .unwrap();
    assert!(
        six.lines()
            .nth(1)
            .unwrap()
            .starts_with("  [network-acl] The flow in the other direction (line 5) was accepted"),
        "{six}"
    );
    let (out, _, _) = run(&["--lang", "ja", &docs], "");
    assert!(
        out.contains("  [network-acl] 逆方向のフロー（5 行目）は許可されていますが"),
        "{out}"
    );

    // Each interface's own address: "your instance", as in the page.
    let own = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK\n\
               2 654654279488 eni-01f35fc1a2377de36 52.94.1.1 10.0.4.135 443 40000 6 5 900 1744521785 1744521793 ACCEPT OK\n";
    let path = temp_file("own.log", own.as_bytes());
    let (out, err, code) = run(&["--json", path.to_str().unwrap()], "");
    assert_eq!(code, 0, "{err}");
    let v: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v, page_entries(own.as_bytes(), flowlens::text::Lang::En));
    assert_eq!(v[0]["interface_address"], "10.0.4.135");
    assert_eq!(v[0]["direction"], "outbound");
    assert_eq!(
        v[0]["annotations"]["srcaddr"]["interface"],
        "eni-01f35fc1a2377de36"
    );
    let (out, _, _) = run(&["--lang", "ja", path.to_str().unwrap()], "");
    assert_eq!(
        out.split("\n\n").next().unwrap().lines().next().unwrap(),
        page_entries(own.as_bytes(), flowlens::text::Lang::Ja)[0]["summary"]
            .as_str()
            .map(|s| format!("1 行目: {s}"))
            .unwrap()
    );

    // Standard input and --stream explain records as they come: no whole-input facts.
    let (out, _, _) = run(&["--json"], own);
    assert!(out.lines().all(|l| {
        let v: Value = serde_json::from_str(l).unwrap();
        v["interface_address"].is_null()
    }));
    let (out, _, _) = run(&["--json", "--stream", &docs], "");
    let six: Value = serde_json::from_str(out.lines().nth(5).unwrap()).unwrap();
    assert_eq!(six["hints"][0]["key"], "reject");
    // --count streams and prints no entry.
    let (out, err, code) = run(&["--count", &docs], "");
    assert_eq!(code, 0);
    assert!(out.is_empty());
    assert!(err.contains("7 lines, 7 records"), "{err}");
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
}

#[test]
fn summary_of_the_records_a_filter_keeps() {
    // Three REJECT records from the internet (one source probing three ports), one reply
    // rejected, one ACCEPT.
    let input = "\
2 123456789010 eni-0aa01f3000000000a 45.33.32.156 10.0.1.20 51000 22 6 1 44 1744502400 1744502460 REJECT OK
2 123456789010 eni-0aa01f3000000000a 45.33.32.156 10.0.1.20 51000 23 6 1 44 1744502400 1744502460 REJECT OK
2 123456789010 eni-0aa01f3000000000a 45.33.32.156 10.0.1.20 51000 3389 6 1 44 1744502400 1744502460 REJECT OK
2 123456789010 eni-0aa01f3000000000a 10.0.1.20 10.0.2.9 443 50123 6 1 60 1744502400 1744502460 REJECT OK
2 123456789010 eni-0aa01f3000000000a 10.0.2.9 10.0.1.20 50123 443 6 4 900 1744502400 1744502460 ACCEPT OK
";
    let (out, err, code) = run(
        &[
            "--summary",
            "--json",
            "--where",
            "action=REJECT and from_internet",
        ],
        input,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 of 5 records match"), "{err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["totals"]["records"], 3);
    assert_eq!(v["totals"]["rejected"]["records"], 3);
    let split = v["rejected_split"].as_array().unwrap();
    assert_eq!(split[1]["part"], "internet");
    assert_eq!(split[1]["records"], 3);
    assert_eq!(
        split[1]["filter"],
        "action=REJECT and role!=reply and from_internet"
    );
    assert_eq!(v["rejected_blocks"]["rows"][0]["block"], "45.33.32.0/24");
    assert_eq!(
        v["rejected_blocks"]["rows"][0]["filter"],
        "action=REJECT and srcaddr in 45.33.32.0/24"
    );
    assert_eq!(v["rejected_owners"]["rows"][0]["kind"], "internet");
    // The interface's own address is the whole input's, the destination most rejected.
    let d = &v["rejected_destinations"]["rows"][0];
    assert_eq!(d["address"]["addr"], "10.0.1.20");
    assert_eq!(d["interface"], "eni-0aa01f3000000000a");
    assert_eq!(d["records"], 3);

    // Unfiltered, the readable summary tells the parts in both languages.
    let (en, err, code) = run(&["--summary"], input);
    assert_eq!(code, 0, "{err}");
    assert!(en.contains("Rejected traffic: where it comes from"), "{en}");
    assert!(en.contains("Replies rejected"), "{en}");
    assert!(en.contains("From the internet"), "{en}");
    assert!(en.contains("Rejected sources by owner"), "{en}");
    assert!(en.contains("Internet (no known owner)"), "{en}");
    let (ja, _, code) = run(
        &["--summary", "--lang", "ja", "--where", "action=REJECT"],
        input,
    );
    assert_eq!(code, 0);
    assert!(ja.starts_with("概要: 4 レコード"), "{ja}");
    assert!(ja.contains("拒否された応答"), "{ja}");
    assert!(ja.contains("インターネットから"), "{ja}");
    assert!(
        ja.contains("拒否が多い送信先（インターフェイス自身のアドレス）"),
        "{ja}"
    );

    // Not with --sort or --csv.
    let (_, err, code) = run(&["--summary", "--csv"], input);
    assert_eq!(code, 2);
    assert!(err.contains("not with --sort or --csv"), "{err}");
}

/// The statement after `[key]` in an emitted text, up to the next `[`-titled comment.
fn emitted_part<'a>(text: &'a str, key: &str) -> &'a str {
    let at = text
        .find(&format!("[{key}]"))
        .unwrap_or_else(|| panic!("no [{key}] in {text}"));
    let rest = &text[at..];
    let end = rest[1..]
        .find("\n-- [")
        .or_else(|| rest[1..].find("\n# ["))
        .map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

#[test]
fn emit_athena_without_input() {
    // No file and no standard input read: the query is made from the expression alone.
    let (out, err, code) = run(
        &[
            "--emit",
            "athena",
            "--where",
            "action=reject and not dstport in (22, 3389)",
        ],
        "this is not read",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("CREATE EXTERNAL TABLE IF NOT EXISTS `vpc_flow_logs`"),
        "{out}"
    );
    assert!(out.contains("  `end` bigint,\n"));
    assert!(out.contains("PARTITIONED BY (`date` date)"));
    let count = emitted_part(&out, "count");
    assert!(
        count.contains("WHERE action = 'REJECT' AND NOT coalesce(dstport IN (22, 3389), false)"),
        "{count}"
    );
    for key in [
        "records",
        "actions",
        "talkers",
        "rejected",
        "ports",
        "protocols",
        "timeline",
    ] {
        assert!(emitted_part(&out, key).trim_end().ends_with(';'), "{key}");
    }
}

#[test]
fn emit_insights_in_japanese_with_aws_prefixes() {
    let (out, err, code) = run(
        &[
            "--emit",
            "insights",
            "--lang",
            "ja",
            "--where",
            "dst.aws.region = ap-northeast-3 and service = ssh",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("# [talkers] 通信量の多い送信元と送信先の組"),
        "{out}"
    );
    // The bundled ranges expand the region into its prefixes; 15.152.0.0/16 is one of them.
    assert!(
        out.contains("isIpv4InSubnet(dstAddr, \"15.152.0.0/16\")"),
        "{out}"
    );
    assert!(
        out.contains("protocol = 6 and (dstPort = 22 or srcPort = 22)"),
        "{out}"
    );
    assert!(out.contains("| stats sum(bytes) as bytes, count(*) as records by srcAddr, dstAddr"));
}

#[test]
fn emit_for_a_custom_format_file() {
    let dir = std::env::temp_dir().join(format!("flowlens-emit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("v5.log");
    std::fs::write(
        &path,
        "version vpc-id srcaddr dstaddr srcport dstport protocol bytes start action flow-direction\n\
         5 vpc-0a1b2c3d 10.0.0.5 10.0.1.9 51000 443 6 1200 1744521785 ACCEPT ingress\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let (out, err, code) = run(&["--emit", "athena", "--where", "direction=inbound", p], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("  vpc_id string,\n  srcaddr string,"), "{out}");
    assert!(out.contains("flow_direction = 'ingress'"), "{out}");
    assert!(out.contains("-- note: direction: "), "{out}");
    let (out, err, code) = run(&["--emit", "insights", p], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("parse @message \"* * * * * * * * * * *\" as version, vpcId, srcAddr, dstAddr, srcPort, dstPort, protocol, bytes, startTime, action, flowDirection"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn emit_refuses_what_it_cannot_do() {
    let (_, err, code) = run(&["--emit", "bigquery"], "");
    assert_eq!(code, 2);
    assert!(err.contains("unknown engine 'bigquery'"), "{err}");
    let (_, err, code) = run(&["--emit", "athena", "--csv"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--emit prints a query"), "{err}");
    let (_, err, code) = run(&["--emit", "athena", "--where", "dstport >"], "");
    assert_eq!(code, 2, "{err}");
}
