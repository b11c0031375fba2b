//! An input of several files (`Stream::next_source`): each file its own shape, line numbers per
//! file, one format decision and one store, counts that add up, and a file cut short that does
//! not stop the next one.

use flate2::write::GzEncoder;
use flate2::Compression;
use flowlens::explain::{Context, Entry, Explain};
use flowlens::ingest::pipeline::Stream;
use flowlens::ingest::shape::{ShapeErrorKind, ShapeKind};
use flowlens::store::{Decoded, Store};
use flowlens::text::Lang;
use std::io::Write;

const DOCS: &str = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
const DOCS2: &str = "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK";
const HEADER: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

fn gzip(text: &str) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap()
}

/// Decodes `files` (name, bytes) as one input, each pushed in chunks of `chunk` bytes.
fn decode(files: &[(&str, &[u8])], chunk: usize) -> Decoded {
    let mut stream = Stream::new(None, Store::default());
    for (name, bytes) in files {
        stream.next_source(name);
        for part in bytes.chunks(chunk.max(1)) {
            stream.push(part);
        }
    }
    Decoded::from_stream(stream)
}

fn entries(d: &Decoded, lang: Lang) -> Vec<Entry> {
    d.entries_json(0, usize::MAX, &Context::default(), lang)
}

#[test]
fn gzip_and_text_decode_as_one_input_with_lines_per_file() {
    let first = gzip(&format!("{HEADER}\n{DOCS}\n{DOCS2}\n"));
    let second = format!("{DOCS}\nnot a record at all\n{DOCS2}");
    for chunk in [1, 7, 1 << 20] {
        let d = decode(&[("a.log.gz", &first), ("b.log", second.as_bytes())], chunk);
        let r = d.report();
        assert_eq!(r.files.len(), 2, "chunk {chunk}");
        let (a, b) = (&r.files[0], &r.files[1]);
        assert_eq!((a.name.as_str(), b.name.as_str()), ("a.log.gz", "b.log"));
        assert!(a.shape.gzip && !b.shape.gzip);
        assert_eq!((a.first_line, a.last_line), (1, 3));
        assert_eq!((b.first_line, b.last_line), (4, 3));
        assert_eq!(
            (a.counts.records, a.counts.headers, a.counts.errors),
            (2, 1, 0)
        );
        assert_eq!((b.counts.records, b.counts.errors), (2, 1));
        // The counts add up.
        assert_eq!(r.counts.records, 4);
        assert_eq!(r.counts.errors, 1);
        assert_eq!(r.counts.lines, a.counts.lines + b.counts.lines);
        assert_eq!(r.counts.lines, 6);
        assert!(r.input_error.is_none());
        // One store: every record and the error, in input order.
        assert_eq!(d.len(), 5);
        let all = entries(&d, Lang::En);
        let located: Vec<(u64, Option<&str>, Option<u64>)> = all
            .iter()
            .map(|e| match e {
                Entry::Record(r) => (r.line, r.file.as_deref(), r.file_line),
                Entry::Error(e) => (e.line, e.file.as_deref(), e.file_line),
            })
            .collect();
        assert_eq!(
            located,
            vec![
                (2, Some("a.log.gz"), Some(2)),
                (3, Some("a.log.gz"), Some(3)),
                (4, Some("b.log"), Some(1)),
                (5, Some("b.log"), Some(2)),
                (6, Some("b.log"), Some(3)),
            ]
        );
        let err = all[3].error().unwrap();
        assert!(err.error.starts_with("b.log, line 2: "), "{}", err.error);
        let ja = entries(&d, Lang::Ja);
        let err = ja[3].error().unwrap();
        assert!(err.error.starts_with("b.log の 2 行目"), "{}", err.error);
    }
}

#[test]
fn a_truncated_first_file_does_not_stop_the_second() {
    let whole = gzip(&format!("{DOCS}\n{DOCS2}\n{DOCS}\n"));
    let cut = &whole[..whole.len() - 12];
    let d = decode(&[("cut.gz", cut), ("ok.log", DOCS2.as_bytes())], 4096);
    let r = d.report();
    assert!(matches!(
        r.files[0].input_error,
        Some(ShapeErrorKind::TruncatedGzip { .. })
    ));
    assert!(r.files[1].input_error.is_none());
    assert_eq!(r.files[1].counts.records, 1);
    // The first file's error is the input's too (the page warns of it).
    assert_eq!(r.input_error, r.files[0].input_error);
    assert_eq!(
        r.counts.records,
        r.files[0].counts.records + r.files[1].counts.records
    );
    let last = entries(&d, Lang::En).pop().unwrap();
    let rec = last.record().unwrap();
    assert_eq!(rec.file.as_deref(), Some("ok.log"));
    assert_eq!(rec.file_line, Some(1));
}

#[test]
fn a_last_line_without_a_line_end_stays_in_its_file() {
    // The first file ends in the middle of nothing: its last line is its own, not glued to the
    // second file's first.
    let d = decode(
        &[("one.log", DOCS.as_bytes()), ("two.log", DOCS2.as_bytes())],
        5,
    );
    let r = d.report();
    assert_eq!(r.counts.records, 2);
    assert_eq!(r.counts.errors, 0);
    assert_eq!(r.files[0].counts.records, 1);
    assert_eq!(r.files[1].counts.records, 1);
}

#[test]
fn each_file_has_its_own_shape() {
    let export = format!(
        "{{\"events\":[{{\"timestamp\":1,\"message\":\"{DOCS}\"}},{{\"timestamp\":2,\"message\":\"{DOCS2}\"}}]}}"
    );
    let d = decode(
        &[
            ("plain.log", format!("{DOCS}\n").as_bytes()),
            ("export.json", export.as_bytes()),
            ("blank.log", b"\n\n"),
        ],
        3,
    );
    let r = d.report();
    assert_eq!(r.files.len(), 3);
    assert_eq!(r.files[0].shape.kind, ShapeKind::Lines);
    assert_ne!(r.files[1].shape.kind, ShapeKind::Lines);
    assert_eq!(r.files[1].counts.records, 2);
    assert_eq!(r.files[2].counts.records, 0);
    assert_eq!(r.files[2].counts.blank, 2);
    assert_eq!(r.counts.records, 3);
    assert_eq!(r.counts.blank, 2);
}

#[test]
fn a_header_in_a_later_file_starts_its_format() {
    // The first file in AWS's default format; the second says its own with a header line.
    let custom = "srcaddr dstaddr action\n10.0.0.1 10.0.0.2 ACCEPT\n";
    let d = decode(
        &[
            ("default.log", DOCS.as_bytes()),
            ("custom.log", custom.as_bytes()),
        ],
        1 << 20,
    );
    let r = d.report();
    assert_eq!(r.counts.records, 2);
    assert_eq!(r.counts.errors, 0);
    assert_eq!(r.files[1].counts.headers, 1);
    assert_eq!(d.store().formats_in_use().count(), 2);
    // A third file without a header goes on in the format in force (the second file's).
    let d = decode(
        &[
            ("default.log", DOCS.as_bytes()),
            ("custom.log", custom.as_bytes()),
            ("more.log", b"10.0.0.3 10.0.0.4 REJECT\n"),
        ],
        1 << 20,
    );
    assert_eq!(d.report().counts.records, 3);
    assert_eq!(d.report().files[2].counts.records, 1);
}

#[test]
fn an_empty_file_between_others_takes_no_lines() {
    let d = decode(
        &[
            ("a.log", format!("{DOCS}\n").as_bytes()),
            ("empty.log", b""),
            ("c.log", DOCS2.as_bytes()),
        ],
        2,
    );
    let r = d.report();
    assert_eq!(r.files[1].last_line, 0);
    assert_eq!(r.files[1].counts.lines, 0);
    assert_eq!(r.files[2].counts.records, 1);
    let (f, line) = r.source_of(2).unwrap();
    assert_eq!((f.name.as_str(), line), ("c.log", 1));
}

#[test]
fn blank_runs_before_the_format_is_decided_are_counted_per_file() {
    // Few lines: the format is decided at the end, with the blank runs of both files waiting.
    let d = decode(
        &[
            ("a.log", format!("\n\n{DOCS}\n\n").as_bytes()),
            ("b.log", format!("\n{DOCS2}\n").as_bytes()),
        ],
        1,
    );
    let r = d.report();
    assert_eq!(r.files[0].counts.blank, 3);
    assert_eq!(r.files[1].counts.blank, 1);
    assert_eq!(r.counts.blank, 4);
    assert_eq!(r.files[0].counts.records + r.files[1].counts.records, 2);
}

#[test]
fn an_input_read_as_one_has_no_files() {
    let mut stream = Stream::new(None, Store::default());
    stream.push(DOCS.as_bytes());
    let d = Decoded::from_stream(stream);
    assert!(d.report().files.is_empty());
    let json = serde_json::to_value(d.report()).unwrap();
    assert!(json.get("files").is_none());
    let e = entries(&d, Lang::En);
    let json = serde_json::to_value(&e[0]).unwrap();
    assert!(json.get("file").is_none() && json.get("file_line").is_none());
}

#[test]
fn the_report_lists_the_files_as_json() {
    let d = decode(&[("a.log", DOCS.as_bytes()), ("b.log", b"junk\n")], 1 << 20);
    let json = serde_json::to_value(d.report()).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["name"], "a.log");
    assert_eq!(files[0]["records"], 1);
    assert_eq!(files[1]["errors"], 1);
    assert_eq!(files[1]["first_line"], 2);
    assert!(files[0]["shape"]["description"].is_object());
    assert!(files[0]["input_error"].is_null());
}

#[test]
fn a_hint_pointing_at_a_line_of_another_file_names_that_file() {
    // The request accepted in one file, its reply rejected in the next: the network-ACL hint.
    let request = "2 123456789012 eni-0a 10.0.1.5 10.0.2.9 40000 5432 6 3 180 1744521785 1744521793 ACCEPT OK\n";
    let reply = "\n2 123456789012 eni-0a 10.0.2.9 10.0.1.5 5432 40000 6 3 180 1744521785 1744521793 REJECT OK\n";
    let d = decode(
        &[
            ("first.log", format!("{DOCS}\n{request}").as_bytes()),
            ("second.log", reply.as_bytes()),
        ],
        1 << 20,
    );
    let en = entries(&d, Lang::En);
    let hint = &en[2].record().unwrap().hints[0];
    assert_eq!(hint.line, Some(2));
    assert_eq!(hint.file.as_deref(), Some("first.log"));
    assert_eq!(hint.file_line, Some(2));
    assert!(hint.text.contains("(first.log, line 2)"), "{}", hint.text);
    let ja = entries(&d, Lang::Ja);
    let hint = &ja[2].record().unwrap().hints[0];
    assert!(
        hint.text.contains("（first.log の 2 行目）"),
        "{}",
        hint.text
    );
    assert_eq!(en[2].record().unwrap().file_line, Some(2));
}
