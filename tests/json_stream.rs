//! JSON documents are read as a stream of events: the same records whatever the chunks, every
//! shape, escapes, broken and cut documents, nesting and size bombs, and a CLI run over a document
//! of millions of events with its peak memory measured.

use flowlens::ingest::shape::{
    Reason, ShapeErrorKind, ShapeKind, ShapeReport, Unwrapped, Unwrapper, WrapperProblem,
};
use proptest::prelude::*;
use std::io::Write;
use std::process::{Command, Stdio};

const DOCS: &str = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
const SEED: &str = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    Line(u64, String),
    Ignored(u64, Reason),
    Error(u64, WrapperProblem),
}

type Run = (Vec<Item>, Result<ShapeReport, ShapeErrorKind>);

/// Unwraps `input` cut at `cuts` (offsets, in order).
fn run_cut(input: &[u8], cuts: &[usize]) -> Run {
    let mut out = Vec::new();
    let mut sink = |u: Unwrapped<'_>| {
        out.push(match u {
            Unwrapped::Line { number, text } => Item::Line(number, text.to_string()),
            Unwrapped::Ignored { number, reason } => Item::Ignored(number, reason),
            Unwrapped::Error {
                number, problem, ..
            } => Item::Error(number, problem),
        })
    };
    let mut u = Unwrapper::new();
    let mut from = 0;
    for &c in cuts {
        let c = c.clamp(from, input.len());
        u.push(&input[from..c], &mut sink);
        from = c;
    }
    u.push(&input[from..], &mut sink);
    let r = u.finish(&mut sink).map_err(|e| e.kind);
    (out, r)
}

fn run(input: &[u8]) -> Run {
    run_cut(input, &[])
}

/// Runs `input` whole and in chunks of every size from 1 to `up_to`, checking all agree.
fn run_all_chunks(input: &[u8], up_to: usize) -> Run {
    let whole = run(input);
    for size in 1..=up_to {
        let cuts: Vec<usize> = (1..=input.len() / size).map(|k| k * size).collect();
        assert_eq!(run_cut(input, &cuts), whole, "chunks of {size} bytes");
    }
    whole
}

fn lines(items: &[Item]) -> Vec<&str> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Line(_, t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/shapes/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_json_shape_reads_the_same_in_every_chunking() {
    for (name, kind, records) in [
        ("filter-log-events.json", ShapeKind::FilterLogEventsJson, 3),
        ("get-log-events.json", ShapeKind::FilterLogEventsJson, 2),
        ("subscription-data.json", ShapeKind::SubscriptionPayload, 2),
        (
            "subscription-control.json",
            ShapeKind::SubscriptionPayload,
            0,
        ),
        ("insights.json", ShapeKind::InsightsJson, 2),
        ("get-query-results.json", ShapeKind::InsightsJson, 2),
    ] {
        let input = fixture(name);
        let (items, r) = run_all_chunks(&input, 64);
        let report = r.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(report.kind, kind, "{name}");
        assert_eq!(lines(&items).len(), records, "{name}: {items:?}");
        for (i, item) in items.iter().enumerate() {
            let n = match item {
                Item::Line(n, _) | Item::Ignored(n, _) | Item::Error(n, _) => *n,
            };
            assert_eq!(n, i as u64 + 1, "{name}: numbered in order");
        }
    }
}

#[test]
fn an_array_of_events_and_a_lambda_event() {
    let doc = format!(
        r#"[{{"timestamp":1,"message":"{DOCS}"}}, {{"message":"{SEED}\n"}}, {{"x":1}}, 7, "s"]"#
    );
    let (items, r) = run_all_chunks(doc.as_bytes(), 16);
    r.unwrap();
    assert_eq!(
        items,
        [
            Item::Line(1, DOCS.into()),
            Item::Line(2, SEED.into()),
            Item::Ignored(3, Reason::NoMessage),
            Item::Ignored(4, Reason::NoMessage),
            Item::Ignored(5, Reason::NoMessage),
        ]
    );
}

#[test]
fn messagetype_after_the_events_is_still_heeded() {
    let doc = r#"{"logEvents":[],"owner":"1","messageType":"CONTROL_MESSAGE"}"#;
    let (items, r) = run_all_chunks(doc.as_bytes(), 8);
    let report = r.unwrap();
    assert_eq!(report.kind, ShapeKind::SubscriptionPayload);
    assert_eq!(report.control_messages, 1);
    assert_eq!(items, [Item::Ignored(1, Reason::ControlMessage)]);
    // Before them, as CloudWatch Logs writes it, the events are not read as records.
    let doc = r#"{"messageType":"CONTROL_MESSAGE","logEvents":[{"id":"1","message":"CWL CONTROL MESSAGE: Checking health of destination"}]}"#;
    let (items, _) = run_all_chunks(doc.as_bytes(), 8);
    assert_eq!(items, [Item::Ignored(1, Reason::ControlMessage)]);
}

#[test]
fn escapes_are_decoded_and_bad_ones_are_errors_of_their_event() {
    let doc = concat!(
        r#"{"events":["#,
        r#"{"message":"a\"b\\c\/d\te\u00e9\u3042\ud83d\ude00f"},"#,
        r#"{"message":"bad \q escape"},"#,
        r#"{"message":"lone \ud800 surrogate"},"#,
        r#"{"message":"\u12"},"#,
        r#"{"message":"after"}"#,
        r#"]}"#
    );
    let (items, r) = run_all_chunks(doc.as_bytes(), 12);
    r.unwrap();
    assert_eq!(
        items[0],
        Item::Line(1, "a\"b\\c/d\teé\u{3042}\u{1f600}f".into())
    );
    for (i, item) in items[1..4].iter().enumerate() {
        assert!(
            matches!(item, Item::Error(n, WrapperProblem::InvalidJson(e)) if *n == i as u64 + 2 && !e.is_empty()),
            "{item:?}"
        );
    }
    assert_eq!(items[4], Item::Line(5, "after".into()));
}

#[test]
fn numbers_literals_and_whitespace_anywhere() {
    let doc = "\u{feff} {\r\n\t\"nextToken\" : null , \"n\": -1.5e3,\"t\":true,\n \"events\" :\n [ {\"timestamp\" : 1e2 , \"message\" : \"x\" } ,\n{ \"message\":\"y\"}\n ] \n}\n\n";
    let (items, r) = run_all_chunks(doc.as_bytes(), 10);
    assert_eq!(r.unwrap().kind, ShapeKind::FilterLogEventsJson);
    assert_eq!(lines(&items), ["x", "y"]);
}

#[test]
fn a_broken_event_does_not_stop_the_events_after_it() {
    let doc = format!(
        r#"{{"events":[{{"message":"{DOCS}"}},{{"message": "x" "y"}},{{"message":tru}},,{{"message":"{SEED}"}}]}}
{{"events":[{{"message":"{DOCS}"}}]}}"#
    );
    let (items, r) = run_all_chunks(doc.as_bytes(), 10);
    r.unwrap();
    assert_eq!(items[0], Item::Line(1, DOCS.into()));
    assert!(matches!(
        items[1],
        Item::Error(2, WrapperProblem::InvalidJson(_))
    ));
    assert!(matches!(
        items[2],
        Item::Error(3, WrapperProblem::InvalidJson(_))
    ));
    assert!(matches!(
        items[3],
        Item::Error(4, WrapperProblem::InvalidJson(_))
    ));
    assert_eq!(items[4], Item::Line(5, SEED.into()));
    assert_eq!(items[5], Item::Line(6, DOCS.into()));
    // A broken structure skips to the end of its document only.
    let doc = format!("{{\"events\" [1]}}\n{{\"events\":[{{\"message\":\"{SEED}\"}}]}}");
    let (items, r) = run_all_chunks(doc.as_bytes(), 10);
    r.unwrap();
    assert!(
        matches!(&items[0], Item::Error(1, WrapperProblem::InvalidJson(e)) if e.contains("expected ':'"))
    );
    assert_eq!(items[1], Item::Line(2, SEED.into()));
}

#[test]
fn a_cut_document_keeps_the_events_before_the_cut() {
    let doc = format!(
        r#"{{"events":[{{"message":"{DOCS}"}},{{"message":"{SEED}"}},{{"message":"2 12345"#
    );
    let (items, r) = run_all_chunks(doc.as_bytes(), 10);
    assert_eq!(lines(&items), [DOCS, SEED]);
    assert_eq!(
        r.unwrap_err(),
        ShapeErrorKind::TruncatedJson {
            bytes: doc.len() as u64
        }
    );
}

#[test]
fn a_nesting_bomb_neither_overflows_nor_grows() {
    // A million open brackets: no recursion anywhere, so no stack overflow; the document is cut.
    let bomb = vec![b'['; 1_000_000];
    let (items, r) = run(&bomb);
    assert!(matches!(
        items[..],
        [Item::Error(1, WrapperProblem::TooDeep { .. })] | []
    ));
    assert_eq!(
        r.unwrap_err(),
        ShapeErrorKind::TruncatedJson { bytes: 1_000_000 }
    );
    // Closed, inside an array of events: an error for that event, then the next one.
    let mut doc = br#"{"events":["#.to_vec();
    doc.extend(std::iter::repeat_n(b'[', 1_000_000));
    doc.extend(std::iter::repeat_n(b']', 1_000_000));
    doc.extend(format!(r#",{{"message":"{SEED}"}}]}}"#).bytes());
    let (items, r) = run_cut(&doc, &[5, 500_000, 1_500_000]);
    r.unwrap();
    assert!(matches!(
        items[..],
        [
            Item::Error(1, WrapperProblem::TooDeep { limit: 100 }),
            Item::Line(2, _)
        ]
    ));
}

#[test]
fn a_huge_event_is_skipped_and_the_next_one_read() {
    let huge = "x".repeat(40 << 20);
    let doc = format!(
        r#"{{"events":[{{"message":"{huge}"}},{{"message":"{SEED}"}}],"nextToken":"{huge}"}}"#
    );
    let cuts: Vec<usize> = (1..doc.len() / (1 << 16)).map(|k| k << 16).collect();
    let (items, r) = run_cut(doc.as_bytes(), &cuts);
    r.unwrap();
    assert_eq!(
        items,
        [
            Item::Error(1, WrapperProblem::EventTooLarge { limit: 32 << 20 }),
            Item::Line(2, SEED.into()),
            // The oversized member of the document is reported too.
            Item::Error(3, WrapperProblem::EventTooLarge { limit: 32 << 20 }),
        ]
    );
}

#[test]
fn a_minified_document_on_one_line_longer_than_an_event_is_streamed() {
    let mut doc = String::from(r#"{"events":["#);
    let event = format!(r#"{{"logStreamName":"eni-1","timestamp":1,"message":"{SEED}"}}"#);
    let n = (33 << 20) / event.len() + 1;
    for i in 0..n {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&event);
    }
    doc.push_str("]}");
    let cuts: Vec<usize> = (1..doc.len() / 100_000).map(|k| k * 100_000).collect();
    let (items, r) = run_cut(doc.as_bytes(), &cuts);
    assert_eq!(r.unwrap().kind, ShapeKind::FilterLogEventsJson);
    assert_eq!(items.len(), n);
    assert!(items
        .iter()
        .all(|i| matches!(i, Item::Line(_, t) if t == SEED)));
}

/// A generated event: a message with characters that need escapes, or an event without one.
fn event() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        "[ -~\u{e9}\u{3042}\u{1f600}\n\t\"\\\\/]{0,40}"
            .prop_map(|m| serde_json::json!({"timestamp": 1, "message": m, "eventId": "1"})),
        Just(serde_json::json!({"timestamp": 2, "other": [1, {"a": null}]})),
        "[a-z]{0,8}".prop_map(|m| serde_json::json!({"@message": m})),
    ]
}

fn document() -> impl Strategy<Value = Vec<u8>> {
    (proptest::collection::vec(event(), 0..12), 0..4u8, any::<bool>()).prop_map(
        |(events, shape, pretty)| {
            let v = match shape {
                0 => serde_json::json!({"events": events, "searchedLogStreams": [], "nextToken": "t"}),
                1 => serde_json::json!({"messageType": "DATA_MESSAGE", "owner": "1", "logEvents": events}),
                2 => serde_json::json!({"results": events}),
                _ => serde_json::Value::Array(events),
            };
            let mut out = if pretty {
                serde_json::to_vec_pretty(&v).unwrap()
            } else {
                serde_json::to_vec(&v).unwrap()
            };
            // A second document, and a broken one, after it.
            out.extend_from_slice(b"\n");
            out.extend_from_slice(&serde_json::to_vec(&v).unwrap());
            out.extend_from_slice(b"\n{\"events\":[{\"message\":\"m\"},{]}\n");
            out
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// The same document split anywhere gives the same items as whole.
    #[test]
    fn chunk_boundaries_change_nothing(
        doc in document(),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..24),
    ) {
        let whole = run(&doc);
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(doc.len() + 1)).collect();
        cuts.sort_unstable();
        prop_assert_eq!(run_cut(&doc, &cuts), whole.clone());
        // Every message of the documents is a line, in order.
        let v: serde_json::Value = serde_json::Deserializer::from_slice(&doc)
            .into_iter::<serde_json::Value>()
            .next()
            .unwrap()
            .unwrap();
        let events = v.get("events").or(v.get("logEvents")).or(v.get("results")).unwrap_or(&v);
        let expected: Vec<String> = events
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e.get("message").or(e.get("@message")))
            .map(|m| m.as_str().unwrap().trim_end_matches(['\r', '\n']).to_string())
            .collect();
        let got = lines(&whole.0);
        prop_assert_eq!(&got[..expected.len()], &expected[..]);
        prop_assert_eq!(got.len(), 2 * expected.len() + 1);
    }
}

/// Peak resident memory of a running child, by polling `/proc/<pid>/status` (`VmHWM` only ever
/// grows, so the last reading before the child ends is its peak, give or take the last poll).
fn run_measured(cmd: &mut Command) -> (std::process::Output, u64) {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poller = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok(s) = std::fs::read_to_string(&status) {
                    if let Some(kb) = s
                        .lines()
                        .find_map(|l| l.strip_prefix("VmHWM:"))
                        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                    {
                        peak.fetch_max(kb << 10, std::sync::atomic::Ordering::Relaxed);
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        })
    };
    let out = child.wait_with_output().unwrap();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    poller.join().unwrap();
    (out, peak.load(std::sync::atomic::Ordering::Relaxed))
}

#[test]
fn the_cli_counts_a_document_of_millions_of_events_in_bounded_memory() {
    // Millions of events, most of them small ones without a message (the test binary is a debug
    // build: records cost time there), one in ten a record.
    const EVENTS: u64 = 2_000_000;
    const RECORDS: u64 = EVENTS / 10;
    let dir = std::env::temp_dir().join(format!("flowlens-jsonbomb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("filter-log-events.json");
    {
        // Blocks of ten events written as they are: generating costs next to nothing.
        let blocks: Vec<Vec<u8>> = (0..16u64)
            .map(|b| {
                let mut block = format!(
                    r#"{{"timestamp":{},"message":"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 {} {} 1418530010 1418530070 ACCEPT OK"}}"#,
                    1418530010000 + b,
                    1 + b,
                    40 + b * 77
                );
                for i in 1..10 {
                    block.push_str(&format!(r#",{{"eventId":"{b}{i}"}}"#));
                }
                block.into_bytes()
            })
            .collect();
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(b"{\"events\":[").unwrap();
        for k in 0..EVENTS / 10 {
            if k > 0 {
                f.write_all(b",").unwrap();
            }
            f.write_all(&blocks[k as usize % blocks.len()]).unwrap();
        }
        f.write_all(b"],\"nextToken\":\"x\"}").unwrap();
    }
    let bytes = std::fs::metadata(&path).unwrap().len();
    let t = std::time::Instant::now();
    let (out, peak) = run_measured(
        Command::new(env!("CARGO_BIN_EXE_flowlens"))
            .arg("--count")
            .arg(&path),
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!(
        "{bytes} bytes, {EVENTS} events: {:.1} s, peak RSS {} MiB",
        t.elapsed().as_secs_f64(),
        peak >> 20
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("{EVENTS} lines, {RECORDS} records"))
            && stderr.contains(&format!("{} ignored lines, 0 errors", EVENTS - RECORDS)),
        "{stderr}"
    );
    assert!(peak > 0, "the peak was measured");
    assert!(peak < 1536 << 20, "peak RSS {} MiB", peak >> 20);
}
