//! Input shapes: every way users hold flow log records, unwrapped to lines.

use base64::Engine as _;
use flate2::write::GzEncoder;
use flate2::Compression;
use flowlens::ingest::shape::{
    unwrap_bytes, Note, Reason, ShapeError, ShapeErrorKind, ShapeKind, ShapeReport, Unwrapped,
    Unwrapper, WrapperProblem,
};
use flowlens::text::Lang;
use std::io::Write;

/// The first example record of the AWS VPC user guide.
const DOCS: &str = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
const DOCS2: &str = "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK";
const NODATA: &str =
    "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA";
const SEED: &str = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";
const HEADER: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

/// An owned copy of an [`Unwrapped`], for comparing.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    Line(u64, String),
    Ignored(u64, Reason),
    Error(u64, WrapperProblem, String),
}

fn line(n: u64, s: &str) -> Item {
    Item::Line(n, s.to_string())
}

fn collect(out: &mut Vec<Item>) -> impl FnMut(Unwrapped<'_>) + '_ {
    move |u| {
        out.push(match u {
            Unwrapped::Line { number, text } => Item::Line(number, text.to_string()),
            Unwrapped::Ignored { number, reason } => Item::Ignored(number, reason),
            Unwrapped::Error {
                number,
                problem,
                raw,
            } => Item::Error(number, problem, raw.to_string()),
        })
    }
}

/// Unwraps `input` fed in chunks of `chunk` bytes (0: in one piece).
fn run_chunked(input: &[u8], chunk: usize) -> (Vec<Item>, Result<ShapeReport, ShapeError>) {
    let mut out = Vec::new();
    let mut sink = collect(&mut out);
    let mut u = Unwrapper::new();
    if chunk == 0 {
        u.push(input, &mut sink);
    } else {
        for c in input.chunks(chunk) {
            u.push(c, &mut sink);
        }
    }
    let r = u.finish(&mut sink);
    drop(sink);
    (out, r)
}

/// Unwraps `input` in one piece, checking that every chunk size from 1 to 7 gives the same.
fn run(input: &[u8]) -> (Vec<Item>, Result<ShapeReport, ShapeError>) {
    let whole = run_chunked(input, 0);
    // Every line (or JSON item) is accounted for exactly once, in order.
    for (i, item) in whole.0.iter().enumerate() {
        let n = match item {
            Item::Line(n, _) | Item::Ignored(n, _) | Item::Error(n, ..) => *n,
        };
        assert_eq!(n, i as u64 + 1, "{item:?}");
    }
    for chunk in 1..=7 {
        assert_eq!(run_chunked(input, chunk), whole, "chunks of {chunk} bytes");
    }
    whole
}

fn ok(input: &[u8]) -> (Vec<Item>, ShapeReport) {
    let (items, r) = run(input);
    (items, r.expect("readable input"))
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/shapes/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn texts(items: &[Item]) -> Vec<&str> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Line(_, t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn console_copy_with_timestamp_column() {
    let (items, report) = ok(&fixture("console-copy.txt"));
    assert_eq!(report.kind, ShapeKind::Lines);
    assert!(report.timestamp_prefix);
    assert!(!report.gzip && !report.base64);
    assert_eq!(
        items,
        [
            line(1, DOCS),
            line(2, SEED),
            line(3, NODATA),
            line(4, DOCS2),
            line(5, ""),
            line(6, SEED),
        ]
    );
}

#[test]
fn bare_lines_are_left_alone() {
    let input = format!("{HEADER}\n{DOCS}\n{SEED}");
    let (items, report) = ok(input.as_bytes());
    assert_eq!(report.kind, ShapeKind::Lines);
    assert!(!report.timestamp_prefix);
    assert_eq!(items, [line(1, HEADER), line(2, DOCS), line(3, SEED)]);
}

#[test]
fn a_custom_format_starting_with_a_big_number_keeps_it() {
    // ${bytes} ${packets} ${action}: 13 digits of bytes, then not a version and an account.
    let input = "1744521785000 20 ACCEPT\n1744521785000 3 REJECT\n";
    let (items, report) = ok(input.as_bytes());
    assert!(!report.timestamp_prefix);
    assert_eq!(
        items,
        [
            line(1, "1744521785000 20 ACCEPT"),
            line(2, "1744521785000 3 REJECT")
        ]
    );
}

#[test]
fn cloudwatch_download_csv() {
    let (items, report) = ok(&fixture("cloudwatch-download.csv"));
    assert_eq!(report.kind, ShapeKind::CloudWatchCsv);
    assert_eq!(
        items,
        [
            Item::Ignored(1, Reason::CsvHeader),
            line(2, DOCS),
            line(3, SEED),
            line(4, NODATA),
        ]
    );
}

#[test]
fn csv_rows_with_quotes_and_problems() {
    let input = format!(
        "\"timestamp\",\"message\"\n1,\"a \"\"quoted\"\" {SEED}\"\n2,\"unclosed {DOCS}\n3\n\n4,{DOCS}\ntimestamp,message\n5,{SEED}\n"
    );
    let (items, report) = ok(input.as_bytes());
    assert_eq!(report.kind, ShapeKind::CloudWatchCsv);
    assert_eq!(items[0], Item::Ignored(1, Reason::CsvHeader));
    assert_eq!(items[1], line(2, &format!("a \"quoted\" {SEED}")));
    assert!(
        matches!(&items[2], Item::Error(3, WrapperProblem::UnclosedQuote, raw) if raw.ends_with(DOCS))
    );
    assert_eq!(
        items[3],
        Item::Error(
            4,
            WrapperProblem::MissingColumn {
                column: 2,
                found: 1
            },
            "3".into()
        )
    );
    assert_eq!(items[4], line(5, ""));
    assert_eq!(items[5], line(6, DOCS));
    // A download appended to another repeats the header.
    assert_eq!(items[6], Item::Ignored(7, Reason::CsvHeader));
    assert_eq!(items[7], line(8, SEED));
    assert_eq!(items.len(), 8);
}

#[test]
fn cloudwatch_export_to_s3_gzipped() {
    let (items, report) = ok(&gzip(&fixture("s3-export.txt")));
    assert_eq!(report.kind, ShapeKind::Lines);
    assert!(report.gzip && report.timestamp_prefix);
    assert_eq!(report.gzip_members, 1);
    assert_eq!(items, [line(1, DOCS), line(2, SEED)]);
}

#[test]
fn filter_log_events_pages_concatenated() {
    let (items, report) = ok(&fixture("filter-log-events.json"));
    assert_eq!(report.kind, ShapeKind::FilterLogEventsJson);
    assert_eq!(items, [line(1, DOCS), line(2, DOCS2), line(3, SEED)]);
}

#[test]
fn get_log_events() {
    let (items, report) = ok(&fixture("get-log-events.json"));
    assert_eq!(report.kind, ShapeKind::FilterLogEventsJson);
    assert_eq!(items, [line(1, SEED), line(2, DOCS)]);
}

#[test]
fn subscription_payload_in_every_wrapping() {
    let raw = fixture("subscription-data.json");
    let gz = gzip(&raw);
    let data = b64(&gz);
    let lambda = format!(r#"{{"awslogs":{{"data":"{data}"}}}}"#);
    let kinesis = format!(
        r#"{{"Records":[{{"kinesis":{{"kinesisSchemaVersion":"1.0","partitionKey":"pk","sequenceNumber":"4959","data":"{data}","approximateArrivalTimestamp":1744521800.123}},"eventSource":"aws:kinesis","eventName":"aws:kinesis:record"}}]}}"#
    );
    let firehose = format!(
        r#"{{"invocationId":"a1b2","deliveryStreamArn":"arn:aws:firehose:ap-northeast-1:123456789010:deliverystream/flow","region":"ap-northeast-1","records":[{{"recordId":"r1","approximateArrivalTimestamp":1744521800123,"data":"{data}"}}]}}"#
    );
    // Base64 wrapped at 76 columns, as `base64` prints it.
    let wrapped: String = data
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect();
    // (name, input, gzip, base64, note)
    type Case<'a> = (&'a str, Vec<u8>, bool, bool, Option<Note>);
    let cases: Vec<Case> = vec![
        ("raw JSON", raw.clone(), false, false, None),
        ("gzip", gz.clone(), true, false, None),
        ("bare base64", data.clone().into_bytes(), true, true, None),
        ("wrapped base64", wrapped.into_bytes(), true, true, None),
        (
            "Lambda event",
            lambda.into_bytes(),
            true,
            true,
            Some(Note::LambdaEvent),
        ),
        (
            "Kinesis event",
            kinesis.into_bytes(),
            true,
            true,
            Some(Note::KinesisRecords),
        ),
        (
            "Firehose event",
            firehose.into_bytes(),
            true,
            true,
            Some(Note::FirehoseRecords),
        ),
    ];
    for (name, input, gzipped, base64, note) in cases {
        let (items, report) = ok(&input);
        assert_eq!(report.kind, ShapeKind::SubscriptionPayload, "{name}");
        assert_eq!(items, [line(1, DOCS), line(2, SEED)], "{name}");
        assert_eq!((report.gzip, report.base64), (gzipped, base64), "{name}");
        assert_eq!(report.gzip_members, u32::from(gzipped), "{name}");
        assert_eq!(report.notes, note.into_iter().collect::<Vec<_>>(), "{name}");
    }
}

#[test]
fn firehose_objects_of_concatenated_payloads() {
    // Firehose to S3 without transformation: gzip'd payloads back to back, no separator, then
    // the object itself gzip'd again by S3 delivery (each payload a member).
    let raw = fixture("subscription-data.json");
    let ctrl = fixture("subscription-control.json");
    let mut object = gzip(&raw);
    object.extend(gzip(&ctrl));
    object.extend(gzip(&raw));
    let (items, report) = ok(&object);
    assert_eq!(report.kind, ShapeKind::SubscriptionPayload);
    assert_eq!(report.gzip_members, 3);
    assert_eq!(report.control_messages, 1);
    assert_eq!(
        items,
        [
            line(1, DOCS),
            line(2, SEED),
            Item::Ignored(3, Reason::ControlMessage),
            line(4, DOCS),
            line(5, SEED),
        ]
    );
    // Kinesis records dumped one base64 payload per line.
    let lines = format!("{}\n{}\n", b64(&gzip(&raw)), b64(&gzip(&raw)));
    let (items, report) = ok(lines.as_bytes());
    assert!(report.base64 && report.gzip);
    assert_eq!(report.gzip_members, 2);
    assert_eq!(texts(&items), [DOCS, SEED, DOCS, SEED]);
}

#[test]
fn control_message_has_no_records() {
    let ctrl = fixture("subscription-control.json");
    for input in [ctrl.clone(), gzip(&ctrl), b64(&gzip(&ctrl)).into_bytes()] {
        let (items, report) = ok(&input);
        assert_eq!(report.kind, ShapeKind::SubscriptionPayload);
        assert_eq!(report.control_messages, 1);
        assert_eq!(items, [Item::Ignored(1, Reason::ControlMessage)]);
        assert_eq!(report.notes, [Note::ControlMessages { count: 1 }]);
        assert!(report.describe(Lang::En).contains("CONTROL_MESSAGE"));
        assert!(report.describe(Lang::Ja).contains("CONTROL_MESSAGE"));
    }
}

#[test]
fn json_lines() {
    let input = fixture("json-lines.ndjson");
    for (input, gzipped) in [(input.clone(), false), (gzip(&input), true)] {
        let (items, report) = ok(&input);
        assert_eq!(report.kind, ShapeKind::JsonLines);
        assert_eq!(report.gzip, gzipped);
        assert_eq!(items.len(), 4);
        assert_eq!(
            items[..3],
            [
                line(1, DOCS),
                line(2, SEED),
                Item::Ignored(3, Reason::NoMessage)
            ]
        );
        assert!(
            matches!(&items[3], Item::Error(4, WrapperProblem::InvalidJson(_), raw) if raw.contains("broken"))
        );
    }
}

#[test]
fn s3_object_with_two_gzip_members() {
    let name = "123456789010_vpcflowlogs_ap-northeast-1_fl-0123456789abcdef0_20250413T0525Z_1a2b3c4d.log.gz";
    let (items, report) = ok(&fixture(name));
    assert_eq!(report.kind, ShapeKind::Lines);
    assert!(report.gzip);
    assert_eq!(report.gzip_members, 2);
    assert_eq!(
        items,
        [
            line(1, HEADER),
            line(2, DOCS),
            line(3, DOCS2),
            line(4, HEADER),
            line(5, SEED),
        ]
    );
}

#[test]
fn many_gzip_members_and_a_line_split_across_them() {
    let text = format!("{HEADER}\n{DOCS}\n{SEED}\n");
    let (a, b) = text.split_at(text.len() / 2 + 3);
    let mut input = Vec::new();
    for _ in 0..10 {
        input.extend(gzip(a.as_bytes()));
        input.extend(gzip(b.as_bytes()));
    }
    let (items, report) = ok(&input);
    assert_eq!(report.gzip_members, 20);
    assert_eq!(items.len(), 30);
    assert_eq!(items[29], line(30, SEED));
    assert_eq!(texts(&items).iter().filter(|t| **t == DOCS).count(), 10);
}

#[test]
fn insights_csv() {
    let (items, report) = ok(&fixture("insights.csv"));
    assert_eq!(report.kind, ShapeKind::InsightsCsv);
    assert_eq!(
        items,
        [
            Item::Ignored(1, Reason::CsvHeader),
            line(2, DOCS),
            line(3, SEED)
        ]
    );
}

#[test]
fn insights_json() {
    let (items, report) = ok(&fixture("insights.json"));
    assert_eq!(report.kind, ShapeKind::InsightsJson);
    assert_eq!(items, [line(1, DOCS), line(2, SEED)]);

    let (items, report) = ok(&fixture("get-query-results.json"));
    assert_eq!(report.kind, ShapeKind::InsightsJson);
    assert_eq!(
        items,
        [
            line(1, DOCS),
            line(2, SEED),
            Item::Ignored(3, Reason::NoMessage)
        ]
    );
}

#[test]
fn every_fixture_in_every_chunking() {
    // `run` compares chunk sizes 1..=7 with one piece; here for each fixture and wrapping.
    let dir = format!("{}/tests/data/shapes", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        let (items, _) = run(&data);
        assert!(!items.is_empty());
        // Gzip and base64 layers change nothing in the lines.
        assert_eq!(run(&gzip(&data)).0, items);
        assert_eq!(run(b64(&gzip(&data)).as_bytes()).0, items);
        n += 1;
    }
    assert!(n >= 12);
}

#[test]
fn damaged_inputs_never_panic() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let dir = format!("{}/tests/data/shapes", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        for base in [data.clone(), gzip(&data), b64(&gzip(&data)).into_bytes()] {
            for _ in 0..40 {
                let mut m = base.clone();
                for _ in 0..1 + next() % 3 {
                    let at = (next() % m.len() as u64) as usize;
                    match next() % 3 {
                        0 => m[at] = next() as u8,
                        1 => m.truncate(at),
                        _ => m.insert(
                            at,
                            [b'"', b'{', b'\n', b'\r', b',', 0xff][next() as usize % 6],
                        ),
                    }
                    if m.is_empty() {
                        break;
                    }
                }
                // `run` checks chunking invariance and numbering.
                let _ = run(&m);
            }
        }
    }
}

#[test]
fn truncated_gzip_delivers_complete_lines_then_fails() {
    let text: String = (0..3000)
        .map(|i| format!("{}\n", if i % 2 == 0 { DOCS } else { SEED }))
        .collect();
    let gz = gzip(text.as_bytes());
    for cut in [gz.len() - 1, gz.len() - 8, gz.len() / 2, 11] {
        let (items, r) = run_chunked(&gz[..cut], 4096);
        let e = r.unwrap_err();
        match e.kind {
            ShapeErrorKind::TruncatedGzip { member, read, .. } => {
                assert_eq!(member, 1);
                assert!(read <= cut as u64);
            }
            other => panic!("{other:?}"),
        }
        assert!(e.report.gzip);
        assert!(e.to_string().contains("truncated"));
        assert!(e.message(Lang::Ja).contains("gzip"));
        // Only whole records came out, numbered in order.
        for (i, item) in items.iter().enumerate() {
            let want = if i % 2 == 0 { DOCS } else { SEED };
            assert_eq!(*item, line(i as u64 + 1, want));
        }
        if cut >= gz.len() - 8 {
            // The deflate stream was complete; only the trailer is missing.
            assert_eq!(items.len(), 3000);
        }
    }
}

#[test]
fn damaged_gzip_fails() {
    let text: String = (0..500).map(|_| format!("{SEED}\n")).collect();
    let mut gz = gzip(text.as_bytes());
    let n = gz.len();
    gz[n - 6] ^= 0xff; // the length in the trailer
    let (_, r) = run(&gz);
    assert!(matches!(
        r.unwrap_err().kind,
        ShapeErrorKind::CorruptGzip { member: 1, .. }
    ));
    let mut gz = gzip(text.as_bytes());
    gz[2] = 7; // not deflate
    let (items, r) = run(&gz);
    assert!(items.is_empty());
    assert!(matches!(
        r.unwrap_err().kind,
        ShapeErrorKind::CorruptGzip { .. }
    ));
}

#[test]
fn bytes_after_the_last_gzip_member_are_noted() {
    let mut input = gzip(format!("{SEED}\n").as_bytes());
    input.extend_from_slice(&[0; 12]);
    let (items, report) = ok(&input);
    assert_eq!(items, [line(1, SEED)]);
    assert_eq!(report.notes, [Note::TrailingBytesAfterGzip { bytes: 12 }]);
}

#[test]
fn empty_inputs() {
    for input in [Vec::new(), gzip(b""), b"\xEF\xBB\xBF".to_vec()] {
        let (items, report) = ok(&input);
        assert!(items.is_empty());
        assert_eq!(report.kind, ShapeKind::Empty);
    }
}

#[test]
fn crlf_and_lone_cr() {
    let input = format!("{DOCS}\r\n{SEED}\r{NODATA}\r\n\r\n{DOCS2}\r");
    let (items, _) = ok(input.as_bytes());
    assert_eq!(
        items,
        [
            line(1, DOCS),
            line(2, SEED),
            line(3, NODATA),
            line(4, ""),
            line(5, DOCS2)
        ]
    );
    let (items, _) = ok(&gzip(input.as_bytes()));
    assert_eq!(items.len(), 5);
}

#[test]
fn byte_order_mark_is_skipped() {
    let csv = format!("\u{feff}timestamp,message\r\n1744521793000,{SEED}\r\n");
    for input in [csv.clone().into_bytes(), gzip(csv.as_bytes())] {
        let (items, report) = ok(&input);
        assert_eq!(report.kind, ShapeKind::CloudWatchCsv);
        assert_eq!(items, [Item::Ignored(1, Reason::CsvHeader), line(2, SEED)]);
    }
    let (items, _) = ok(format!("\u{feff}{SEED}").as_bytes());
    assert_eq!(items, [line(1, SEED)]);
    let (items, report) = ok(format!("\u{feff}[{{\"@message\":\"{SEED}\"}}]").as_bytes());
    assert_eq!(report.kind, ShapeKind::InsightsJson);
    assert_eq!(items, [line(1, SEED)]);
}

#[test]
fn invalid_utf8_is_replaced() {
    let mut input = b"2 123456789010 eni-\xff\xfe 1\n".to_vec();
    input.extend_from_slice(SEED.as_bytes());
    let (items, _) = ok(&input);
    assert_eq!(
        items,
        [
            line(1, "2 123456789010 eni-\u{fffd}\u{fffd} 1"),
            line(2, SEED)
        ]
    );
    // A multi-byte character split across chunks survives.
    let (items, _) = ok("2 x タグ\n".as_bytes());
    assert_eq!(items, [line(1, "2 x タグ")]);
}

#[test]
fn json_problems_are_located() {
    let input = format!(
        "{{\"events\":[{{\"message\":\"{DOCS}\"}},{{\"timestamp\":1}}]}}\nnot json\n{{\"events\":[1,]}}\n{{\"other\":true}}\n{{\"events\":[{{\"message\":\"{SEED}\"}}]}}"
    );
    let (items, report) = ok(input.as_bytes());
    assert_eq!(report.kind, ShapeKind::FilterLogEventsJson);
    assert_eq!(items[0], line(1, DOCS));
    assert_eq!(items[1], Item::Ignored(2, Reason::NoMessage));
    assert_eq!(
        items[2],
        Item::Error(3, WrapperProblem::TextOutsideJson, "not json".into())
    );
    // `[1,]`: the event `1` carries no message, and the value missing after the comma is an
    // error at its place; the array still closes and the reading goes on.
    assert_eq!(items[3], Item::Ignored(4, Reason::NoMessage));
    assert!(matches!(
        &items[4],
        Item::Error(5, WrapperProblem::InvalidJson(e), _) if e.contains("expected a value")
    ));
    assert!(matches!(
        &items[5],
        Item::Error(6, WrapperProblem::UnknownJson, _)
    ));
    assert_eq!(items[6], line(7, SEED));
}

#[test]
fn truncated_json_document_fails_after_earlier_documents() {
    let page = fixture("get-log-events.json");
    let mut input = page.clone();
    input.extend_from_slice(&page[..page.len() / 2]);
    let (items, r) = run(&input);
    // The events of the cut document that closed before the cut are read too (streaming).
    assert_eq!(items, [line(1, SEED), line(2, DOCS), line(3, SEED)]);
    assert!(matches!(
        r.unwrap_err().kind,
        ShapeErrorKind::TruncatedJson { .. }
    ));
}

#[test]
fn events_over_the_limit_are_skipped_one_by_one() {
    // The limit bounds each event, not the document: a document far over it is read.
    let page = fixture("filter-log-events.json");
    let mut n = 0;
    let mut u = Unwrapper::with_document_limit(400);
    u.push(&page, &mut |x| {
        n += matches!(x, Unwrapped::Line { .. }) as usize
    });
    assert!(page.len() > 400 && !u.is_failed());
    u.finish(&mut |_| {}).unwrap();
    assert_eq!(n, 3);
    // An event over it is an error at its place, and the events after it are read.
    let big = "x".repeat(300);
    let doc = format!(
        "{{\"events\":[{{\"message\":\"{SEED}\"}},{{\"message\":\"{big}\"}},{{\"message\":\"{DOCS}\"}}]}}"
    );
    let mut items = Vec::new();
    let mut sink = collect(&mut items);
    let mut u = Unwrapper::with_document_limit(200);
    for c in doc.as_bytes().chunks(7) {
        u.push(c, &mut sink);
    }
    u.finish(&mut sink).unwrap();
    drop(sink);
    assert_eq!(items[0], line(1, SEED));
    assert!(matches!(
        &items[1],
        Item::Error(2, WrapperProblem::EventTooLarge { limit: 200 }, _)
    ));
    assert_eq!(items[2], line(3, DOCS));
    // Line shapes are not limited by it.
    let long = format!("{SEED} {}\n", "x".repeat(1000));
    let mut u = Unwrapper::with_document_limit(200);
    let mut n = 0;
    u.push(long.as_bytes(), &mut |_| n += 1);
    u.finish(&mut |_| n += 1).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn invalid_base64_fails() {
    let data = b64(&gzip(&fixture("subscription-data.json")));
    let input = format!("{}!{}", &data[..20], &data[20..]);
    let (items, r) = run(input.as_bytes());
    assert!(items.is_empty());
    assert_eq!(
        r.unwrap_err().kind,
        ShapeErrorKind::InvalidBase64 { offset: 20 }
    );
}

#[test]
fn the_unwrapper_is_reusable_after_finish() {
    let mut u = Unwrapper::new();
    let mut first = Vec::new();
    u.push(&fixture("insights.csv"), &mut collect(&mut first));
    assert_eq!(u.finish(&mut |_| {}).unwrap().kind, ShapeKind::InsightsCsv);
    let mut second = Vec::new();
    u.push(SEED.as_bytes(), &mut collect(&mut second));
    let r = u.finish(&mut collect(&mut second)).unwrap();
    assert_eq!(r.kind, ShapeKind::Lines);
    assert_eq!(second, [line(1, SEED)]);
}

#[test]
fn unwrap_bytes_in_one_call() {
    let mut n = 0;
    let r = unwrap_bytes(&fixture("console-copy.txt"), &mut |u| {
        if matches!(u, Unwrapped::Line { .. }) {
            n += 1
        }
    })
    .unwrap();
    assert_eq!(n, 6);
    assert_eq!(
        r.describe(Lang::En),
        "lines of text; timestamps before the records removed"
    );
}

/// Throughput of gunzip + line splitting: `cargo test --release --test shapes -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput_of_gzip_lines() {
    // Realistic variety (random addresses, ports, counts) so that gzip compresses like real logs.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut text = String::with_capacity(110 << 20);
    let mut i = 0u64;
    while text.len() < 100 << 20 {
        let (a, b, c) = (next(), next(), next());
        text.push_str(&format!(
            "2 654654279488 eni-01f35fc1a2377de36 10.0.{}.{} {}.{}.{}.{} {} {} {} {} {} {} {} {} OK\n",
            a % 256,
            (a >> 8) % 256,
            (a >> 16) % 224,
            (a >> 24) % 256,
            (a >> 32) % 256,
            (a >> 40) % 256,
            1024 + b % 64000,
            [443, 80, 53, 123, 22][(b >> 20) as usize % 5],
            [6, 17, 1][(b >> 30) as usize % 3],
            1 + c % 200,
            40 + (c >> 8) % 300_000,
            1_744_521_785 + i / 20,
            1_744_521_845 + i / 20,
            ["ACCEPT", "REJECT"][(c >> 40) as usize % 2],
        ));
        i += 1;
    }
    let gz = gzip(text.as_bytes());
    for round in 0..3 {
        let start = std::time::Instant::now();
        let mut u = Unwrapper::new();
        let (mut lines, mut bytes) = (0u64, 0u64);
        let mut sink = |u: Unwrapped<'_>| {
            if let Unwrapped::Line { text, .. } = u {
                lines += 1;
                bytes += text.len() as u64;
            }
        };
        for chunk in gz.chunks(1 << 20) {
            u.push(chunk, &mut sink);
        }
        u.finish(&mut sink).unwrap();
        let s = start.elapsed().as_secs_f64();
        assert_eq!(lines, i);
        println!(
            "round {round}: {} MB text ({} MB gzip), {lines} lines in {s:.3} s: {:.0} MB/s of text",
            text.len() >> 20,
            gz.len() >> 20,
            text.len() as f64 / s / 1e6
        );
    }
    let start = std::time::Instant::now();
    let mut lines = 0u64;
    unwrap_bytes(text.as_bytes(), &mut |_| lines += 1).unwrap();
    let s = start.elapsed().as_secs_f64();
    println!(
        "plain text: {lines} lines in {s:.3} s: {:.0} MB/s",
        text.len() as f64 / s / 1e6
    );
}

#[test]
fn logs_insights_console_table_copy() {
    // Rows copied from the Logs Insights console: row number, timestamp, message, tab-separated,
    // under the table's header row.
    let (items, report) = ok(&fixture("insights-table.txt"));
    assert_eq!(report.kind, ShapeKind::InsightsTable);
    assert!(report.timestamp_prefix);
    assert_eq!(
        items,
        [
            Item::Ignored(1, Reason::TableHeader),
            line(2, DOCS),
            line(3, SEED)
        ]
    );
    assert!(report
        .describe(Lang::En)
        .starts_with("rows copied from the Logs Insights console"));
    assert!(report
        .describe(Lang::Ja)
        .starts_with("Logs Insights コンソール"));
    // Without the header row, with the console's other timestamp form and CRLF line ends.
    let (items, report) = ok(&fixture("insights-table-no-header.txt"));
    assert_eq!(report.kind, ShapeKind::InsightsTable);
    assert_eq!(items, [line(1, DOCS), line(2, SEED)]);
    // A table with more columns: the message is found by the header row.
    let extra = format!("#\t@timestamp\t@logStream\t@message\n1\t2025-04-13T05:23:05.000Z\teni-1235b8ca123456789-all\t{DOCS}\n");
    let (items, _) = ok(extra.as_bytes());
    assert_eq!(
        items,
        [Item::Ignored(1, Reason::TableHeader), line(2, DOCS)]
    );
    // Records that merely start with a number are not a table.
    let (_, report) = ok(format!("{SEED}\n").as_bytes());
    assert_eq!(report.kind, ShapeKind::Lines);
}
