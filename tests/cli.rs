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
    let input = format!(
        "\n{}garbage line\r\n{}",
        SEED,
        SEED.replace(" 17 ", " 300 ")
    );
    let (out, err, code) = run(&["--json"], &input);
    assert_eq!(code, 0);
    let v: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v.len(), 3);
    assert_eq!(v[0]["line"], 2);
    assert_eq!(v[1]["line"], 3);
    assert_eq!(v[1]["raw"], "garbage line");
    assert!(v[1]["error"].as_str().unwrap().starts_with("line 3:"));
    assert_eq!(
        v[2]["error"],
        "line 4, protocol: expected a protocol number 0-255, found '300'"
    );
    assert_eq!(v[2]["field"], "protocol");
    assert!(
        err.contains(
            "4 lines, 1 records, 0 header lines, 1 blank lines, 0 ignored lines, 2 errors"
        ),
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
    for key in flowlens::fields::DEFAULT_FORMAT {
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
    assert_eq!(v["ports"]["rows"][0]["name"], "SSH");
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
    let (ja, _, code) = run(&["--summary", "--lang", "ja", a], "");
    assert_eq!(code, 0);
    assert!(ja.starts_with("概要: 7 レコード"), "{ja}");
    assert!(ja.contains("（687 日 7 時間）"), "{ja}");
    assert!(ja.contains("プライベート、VPC 内"), "{ja}");
    std::fs::remove_dir_all(&dir).ok();
    let (_, err, code) = run(&["--summary", "--top", "x"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--top needs a number"), "{err}");
}
