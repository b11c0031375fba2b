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
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
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
