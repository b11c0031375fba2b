//! Inputs far larger than the memory they may take: a budget keeps the first records, counts
//! and summarises all of them, and says so; the CLI stays under 1.5 GB on gzip bombs (nested,
//! many members, pasted as base64) and exits cleanly. The bombs are built in memory from one
//! compressed member repeated (a gzip of several members is one valid gzip), never as big files.

use flate2::write::GzEncoder;
use flate2::Compression;
use flowlens::explain::Context;
use flowlens::ingest::pipeline::Stream;
use flowlens::overview::summariser::Beyond;
use flowlens::overview::{FieldsOut, Overview, Summariser};
use flowlens::store::{Budget, Decoded, Store};
use flowlens::text::Lang;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

const SEED: &str = include_str!("data/seed.log");
const DOCS: &str = include_str!("data/aws-docs-examples.log");

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// `members` gzip members of `per_member` seed records each; (gzip, records).
fn multi_member(per_member: usize, members: usize) -> (Vec<u8>, u64) {
    let member = gzip(SEED.repeat(per_member).as_bytes());
    (member.repeat(members), (per_member * members) as u64)
}

/// The records of the AWS documentation's examples, many times over.
fn docs_records(times: usize) -> (String, u64) {
    let records = DOCS
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("version"))
        .count();
    (DOCS.repeat(times), (records * times) as u64)
}

#[test]
fn a_budget_of_records_keeps_the_first_and_counts_all() {
    let (text, records) = docs_records(50);
    let all = Decoded::decode(&text);
    assert_eq!(all.report().kept, None, "no budget: everything kept");
    let d = Decoded::decode_within(text.as_bytes(), None, Budget::records(100));
    let kept = d.report().kept.clone().expect("the budget was reached");
    assert_eq!(kept.records, 100);
    assert_eq!(kept.total, records);
    assert_eq!(d.counts().records, records, "every record counted");
    assert_eq!(
        d.counts(),
        all.counts(),
        "the same counts as without a budget"
    );
    assert_eq!(d.store().len(), 100);
    // The kept ones are the first ones.
    assert_eq!(d.store().index_of_line(kept.last_line), Some(99));
    assert!(
        kept.message[0].contains("first 100 records"),
        "{:?}",
        kept.message
    );
    assert!(kept.message[0].contains(&format!("all {records}")) || records < 1000);
    assert!(kept.message[1].contains("100 件"), "{:?}", kept.message);
    // The interfaces of the records past the budget are still known to the facts.
    assert_eq!(
        d.facts().interfaces_seen(),
        all.facts().interfaces_seen(),
        "distinct interfaces over the whole input"
    );
}

#[test]
fn a_budget_of_bytes_keeps_less_than_it() {
    let (text, records) = docs_records(2000);
    let d = Decoded::decode_within(text.as_bytes(), None, Budget::bytes(64 << 10));
    let kept = d.report().kept.clone().expect("the budget was reached");
    assert!(kept.records > 100 && kept.records < records, "{kept:?}");
    assert_eq!(kept.budget_bytes, Some(64 << 10));
    assert!(d.store().packed_bytes() <= 64 << 10);
    assert!(kept.message[0].contains("64 KiB"), "{:?}", kept.message);
    assert_eq!(d.counts().records, records);
}

#[test]
fn the_summary_covers_every_record_past_the_budget() {
    let (text, records) = docs_records(300);
    let ctx = Context::default();
    // What the page's decoding worker runs without a summary worker: the store keeps 1,000,
    // the records past them are summarised as they stream by.
    let mut stream = Stream::new(
        None,
        Beyond::new(
            Store::with_budget(Budget::records(1000)),
            Some(Overview::new()),
        ),
    );
    stream.push(text.as_bytes());
    let report = stream.finish();
    let (store, beyond) = stream.ingest.sink.into_parts();
    let d = Decoded::from_parts(report, store);
    assert_eq!(d.store().len(), 1000);
    let mut o = beyond.expect("a summary of the records past the budget");
    o.add_decoded(&d);
    let budgeted = o.report(&ctx, Lang::En, 10);
    let (_, whole) = Summariser::summarise(text.as_bytes(), None);
    let whole = whole.report(&ctx, Lang::En, 10);
    assert_eq!(budgeted.totals.records, records);
    assert_eq!(budgeted.totals.lines, whole.totals.lines);
    assert_eq!(budgeted.totals.bytes, whole.totals.bytes);
    assert_eq!(budgeted.totals.packets, whole.totals.packets);
    assert_eq!(budgeted.totals.rejected, whole.totals.rejected);
    assert_eq!(
        serde_json::to_value(&budgeted.protocols).unwrap(),
        serde_json::to_value(&whole.protocols).unwrap()
    );
    assert_eq!(
        serde_json::to_value(&budgeted.services).unwrap(),
        serde_json::to_value(&whole.services).unwrap()
    );
}

#[test]
fn the_summary_hand_off_is_flushed_in_bounded_parts() {
    // A small gzip of many records pushed at once: the fields for the summary worker leave in
    // parts of at most FIELDS_FLUSH bytes, never piling up in one buffer.
    let (gz, records) = multi_member(5_000, 6);
    let parts = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let seen = parts.clone();
    let out = FieldsOut::with_flush_every(
        1000,
        Box::new(move |b: &[u8]| seen.borrow_mut().push(b.len())),
    );
    let mut stream = Stream::new(None, (Store::with_budget(Budget::records(10)), out));
    stream.push(&gz);
    stream.finish();
    let rest = stream.ingest.sink.1.bytes().len();
    let parts = parts.borrow();
    assert!(parts.len() >= 29, "{parts:?}");
    assert!(parts
        .iter()
        .all(|n| *n == 1000 * flowlens::overview::FIELD_BYTES));
    let total: usize = parts.iter().sum::<usize>() + rest;
    assert_eq!(
        total as u64,
        records * flowlens::overview::FIELD_BYTES as u64
    );
}

/// Runs the CLI on `input` (a file), returning stderr, the exit code and the peak memory
/// (VmHWM, in bytes) seen while it ran.
fn cli(args: &[&str], input: &[u8], name: &str) -> (String, i32, u64) {
    let dir = std::env::temp_dir().join(format!("flowlens-bombs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, input).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .args(args)
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flowlens runs");
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap());
    let code = loop {
        if let Ok(s) = std::fs::read_to_string(&status) {
            if let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kb * 1024);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().unwrap_or(-1);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let err = reader.join().unwrap();
    let _ = std::fs::remove_file(&path);
    (err, code, peak)
}

const PEAK_LIMIT: u64 = 1_500_000_000;

fn assert_kept(err: &str, kept: u64, total: u64) {
    let grouped = flowlens::text::number::grouped;
    assert!(
        err.contains(&format!("kept the first {} records", grouped(kept))),
        "{err}"
    );
    assert!(
        err.contains(&format!("the counts cover all {}", grouped(total))),
        "{err}"
    );
    assert!(
        err.contains(&format!("{total} lines, {total} records")),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn cli_gzip_of_many_members() {
    let (gz, records) = multi_member(10_000, 12); // 120,000 records (~13 MB) in ~45 KB of gzip
    let (err, code, peak) = cli(&["--keep", "500"], &gz, "many.gz");
    assert_eq!(code, 0, "{err}");
    assert_kept(&err, 500, records);
    assert!(peak < PEAK_LIMIT, "peak {peak}");
}

#[test]
fn cli_nested_gzip() {
    let (gz, records) = multi_member(10_000, 12);
    let nested = gzip(&gz);
    assert!(nested.len() < 20_000, "{}", nested.len());
    // A budget of bytes this time: the store stops at 4 MiB.
    let (err, code, peak) = cli(&["--max-memory", "4M"], &nested, "nested.gz");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("memory budget: 4 MiB"), "{err}");
    assert!(
        err.contains(&format!(
            "the counts cover all {}",
            flowlens::text::number::grouped(records)
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{records} lines, {records} records")),
        "{err}"
    );
    assert!(peak < PEAK_LIMIT, "peak {peak}");
}

#[test]
fn cli_nested_gzip_pasted_as_base64() {
    use base64::Engine as _;
    let (gz, records) = multi_member(10_000, 12);
    let text = base64::engine::general_purpose::STANDARD.encode(gzip(&gz));
    let (err, code, peak) = cli(
        &["--keep", "1000", "--lang", "ja"],
        text.as_bytes(),
        "pasted.txt",
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("base64"), "{err}");
    assert!(err.contains("先頭の 1,000 件のレコード"), "{err}");
    assert!(
        err.contains(&format!(
            "すべての {} 件",
            flowlens::text::number::grouped(records)
        )),
        "{err}"
    );
    assert!(peak < PEAK_LIMIT, "peak {peak}");
}

#[test]
fn cli_default_budget_is_said_in_help() {
    let out = Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("--max-memory SIZE") && help.contains("default: 1G"),
        "{help}"
    );
    assert!(help.contains("--keep N"), "{help}");
    let (err, code, _) = cli(&["--max-memory", "lots"], SEED.as_bytes(), "seed.log");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--max-memory needs a size"), "{err}");
}
