//! Hostile input: nothing crashes, nothing is lost, nothing leaks. Every case goes through the
//! public API (whole inputs, inputs streamed in chunks, the CLI) and checks that bad lines get an
//! error naming the line and the problem, that good lines around them still decode, that every
//! line is counted once (`records + headers + blank + ignored + errors == lines`), and that memory
//! stays bounded however large the input.

use flowlens::classify::aws::AwsRanges;
use flowlens::explain::Context;
use flowlens::explain::Explain;
use flowlens::ingest::pipeline::Stream;
use flowlens::store::{Decoded, Entry, Store};
use flowlens::text::Lang;
use serde_json::Value;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Write;
use std::process::{Command, Stdio};

const SEED: &str = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK";
const HEADER: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

// --- memory: a per-thread allocation meter ------------------------------------------------------

/// Counts the bytes each thread holds, and the most it held, so that a test can measure its own
/// peak while the other tests run on their threads.
struct Meter;

thread_local! {
    static HELD: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn account(delta: isize) {
    let _ = HELD.try_with(|h| {
        let now = h.get() + delta;
        h.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Meter {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        account(layout.size() as isize);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        account(-(layout.size() as isize));
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        account(new_size as isize - layout.size() as isize);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static METER: Meter = Meter;

/// Runs `f` and returns its result and the most memory this thread held meanwhile, above what it
/// held before.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = HELD.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    let peak = PEAK.with(Cell::get) - base;
    (out, peak.max(0) as usize)
}

// --- helpers ----------------------------------------------------------------------------------

/// Checks what must hold for any input and returns the decoded input.
fn checked(d: Decoded) -> Decoded {
    let c = d.counts();
    assert_eq!(
        c.records + c.headers + c.blank + c.ignored + c.errors,
        c.lines,
        "{c:?}"
    );
    assert_eq!(
        d.len() as u64 + d.store().dropped,
        c.records + c.errors,
        "every record and error is kept: {c:?}"
    );
    for i in 0..d.len() {
        if let Some(Entry::Error { raw, .. }) = d.store().entry(i) {
            assert!(
                raw.len() <= 4096 + 3,
                "raw kept for an error: {}",
                raw.len()
            );
        }
    }
    d
}

fn decode(input: impl AsRef<[u8]>) -> Decoded {
    checked(Decoded::decode(input))
}

/// Decodes `input` pushed in chunks of `size` bytes.
fn decode_chunked(input: &[u8], size: usize) -> Decoded {
    let mut s = Stream::new(None, Store::default());
    for c in input.chunks(size.max(1)) {
        s.push(c);
    }
    checked(Decoded::from_stream(s))
}

/// The entries as the page's JSON, to look into by key.
fn entries(d: &Decoded) -> Vec<Value> {
    d.entries_json(0, usize::MAX, &Context::default(), Lang::En)
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect()
}

/// Line numbers of the records.
fn record_lines(d: &Decoded) -> Vec<u64> {
    entries(d)
        .iter()
        .filter(|e| e.get("error").is_none())
        .map(|e| e["line"].as_u64().unwrap())
        .collect()
}

/// (line, message) of the errors.
fn errors(d: &Decoded) -> Vec<(u64, String)> {
    entries(d)
        .iter()
        .filter_map(|e| {
            let m = e.get("error")?.as_str()?.to_string();
            Some((e["line"].as_u64().unwrap(), m))
        })
        .collect()
}

/// A good line, then `bad`, then a good line: the bad one is an error on line 2 whose message
/// contains `says`; the good ones decode.
fn between_good(bad: &str, says: &str) {
    let text = format!("{SEED}\n{bad}\n{SEED}\n");
    let d = decode(&text);
    assert_eq!(record_lines(&d), [1, 3], "{bad:?}: {:?}", errors(&d));
    let errs = errors(&d);
    assert_eq!(errs.len(), 1, "{bad:?}: {errs:?}");
    assert_eq!(errs[0].0, 2);
    assert!(errs[0].1.starts_with("line 2"), "{:?}", errs[0].1);
    assert!(errs[0].1.contains(says), "{bad:?}: {:?}", errs[0].1);
}

/// A good line, then `bad`, then a good line: the bad one is a record on line 2 with one
/// problem, of `field` with code `code` (its value kept as written), every other field decoded
/// as in the good line; the good ones decode. Returns the problem's message.
fn problem_between_good(bad: &str, field: &str, code: &str) -> String {
    let text = format!("{SEED}\n{bad}\n{SEED}\n");
    let d = decode(&text);
    assert_eq!(record_lines(&d), [1, 2, 3], "{bad:?}: {:?}", errors(&d));
    let all = entries(&d);
    let problems = all[1]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{bad:?}: {problems:?}");
    assert_eq!(problems[0]["field"], field, "{bad:?}");
    assert_eq!(problems[0]["code"], code, "{bad:?}: {problems:?}");
    for (key, value) in all[0]["fields"].as_object().unwrap() {
        if key != field {
            assert_eq!(&all[1]["fields"][key], value, "{bad:?}: {key}");
        }
    }
    problems[0]["message"].as_str().unwrap().to_string()
}

fn seed_with(i: usize, token: &str) -> String {
    let mut t: Vec<&str> = SEED.split(' ').collect();
    t[i] = token;
    t.join(" ")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Deterministic pseudo-random bytes.
fn noise(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

// --- lines and fields ---------------------------------------------------------------------------

#[test]
fn truncated_lines() {
    between_good(&SEED[..40], "expected 14 space-separated fields, found 4");
    between_good("2", "expected 14 space-separated fields, found 1");
    // cut inside a token: the token is checked too, a problem of its field
    let cut = &SEED[..SEED.len() - 1];
    problem_between_good(cut, "log-status", "malformed");
}

#[test]
fn too_few_and_too_many_fields() {
    between_good(&format!("{SEED} extra"), "found 15");
    between_good(&format!("{SEED} {SEED}"), "found 28");
    let head: Vec<&str> = SEED.split(' ').take(13).collect();
    between_good(&head.join(" "), "found 13");
}

#[test]
fn bad_numbers() {
    // A value that is no number of its field is a problem of that field; the record stays.
    assert_eq!(
        problem_between_good(&seed_with(5, "http"), "srcport", "not-a-number"),
        "srcport `http`: not a number (expected a port 0-65535); kept as text and left out of sums"
    );
    for bad in ["-76", "7.6", "1e3", "+76", "0x4c"] {
        problem_between_good(&seed_with(9, bad), "bytes", "not-a-number");
    }
    assert_eq!(
        problem_between_good(&seed_with(6, "65536"), "dstport", "out-of-range"),
        "dstport `65536`: not a port 0-65535; kept as text and left out of sums"
    );
    problem_between_good(&seed_with(6, "99999999999"), "dstport", "out-of-range");
    problem_between_good(&seed_with(7, "256"), "protocol", "out-of-range");
    problem_between_good(&seed_with(0, "-2"), "version", "not-a-number");
    // over u64
    problem_between_good(
        &seed_with(9, "18446744073709551616"),
        "bytes",
        "out-of-range",
    );
    problem_between_good(&seed_with(10, &"9".repeat(400)), "start", "out-of-range");
    // Most values wrong: not a record.
    between_good(
        "this is not a flow log line but it has fourteen words in it",
        "not a flow log record: 14 of its 14 values",
    );
    // at the edges: still values
    let d = decode(seed_with(9, "18446744073709551615") + "\n" + &seed_with(6, "65535"));
    assert_eq!(record_lines(&d), [1, 2]);
    assert_eq!(entries(&d)[0]["fields"]["bytes"], u64::MAX);
}

#[test]
fn long_tokens_are_shortened_in_messages() {
    let long = "7".repeat(10_000);
    let message = problem_between_good(&seed_with(9, &long), "bytes", "out-of-range");
    assert!(message.len() < 200, "{message}");
    assert!(message.contains('…'));
    // and in a line's error
    let d = decode(format!("{SEED}\n{long} x y\n"));
    let errs = errors(&d);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].1.len() < 200, "{}", errs[0].1);
}

#[test]
fn bad_addresses() {
    for bad in [
        "10.0.4.256",
        "10.0.4",
        "10.0.4.135.1",
        "010.0.4.135",
        "10.0.4.135/24",
        "2001:db8:::1",
        "2001:db8::1::2",
        "fe80::1%eth0",
        "[2001:db8::1]",
        "gggg::1",
        "1.2.3.4:80",
        "",
    ] {
        if bad.is_empty() {
            continue;
        }
        problem_between_good(&seed_with(3, bad), "srcaddr", "malformed");
        problem_between_good(&seed_with(4, bad), "dstaddr", "malformed");
    }
}

#[test]
fn ipv4_and_ipv6_mixed() {
    let v6 = seed_with(3, "2001:db8::1");
    let both = seed_with(4, "::ffff:10.0.0.1");
    let text = format!("{SEED}\n{v6}\n{both}\n{}\n", seed_with(3, "::"));
    let d = decode(text);
    assert_eq!(record_lines(&d), [1, 2, 3, 4], "{:?}", errors(&d));
    assert_eq!(entries(&d)[1]["fields"]["srcaddr"], "2001:db8::1");
}

#[test]
fn control_characters_and_nul_bytes() {
    // In one value: a problem of its field, the character escaped in the message.
    for (bad, field) in [
        (seed_with(1, "6546542794\u{1}8"), "account-id"),
        (seed_with(13, "OK\u{0}"), "log-status"),
        (seed_with(13, "\u{1b}[2J"), "log-status"),
    ] {
        let message = problem_between_good(&bad, field, "malformed");
        assert!(
            !message.chars().any(|c| c.is_control()),
            "raw control character in {message:?}"
        );
    }
    for bad in [
        "\u{0}".to_string(),
        "\u{0}".repeat(100),
        SEED.replace(' ', "\u{0}"),
        SEED.replace(' ', "\u{b}"),
        SEED.replace(' ', "\u{c}"),
        SEED.replace(' ', "\u{a0}"),
        "\u{7f}\u{1}\u{2}\u{3}".to_string(),
    ] {
        let text = format!("{SEED}\n{bad}\n{SEED}\n");
        let d = decode(&text);
        assert_eq!(record_lines(&d), [1, 3], "{bad:?}");
        let errs = errors(&d);
        assert_eq!(errs.len(), 1, "{bad:?}");
        assert!(errs[0].1.starts_with("line 2"), "{errs:?}");
        // control characters are shown escaped, never raw (a terminal would act on them)
        assert!(
            !errs[0].1.chars().any(|c| c.is_control()),
            "raw control character in {:?}",
            errs[0].1
        );
    }
}

#[test]
fn invalid_utf8() {
    let mut input = Vec::new();
    input.extend_from_slice(SEED.as_bytes());
    input.extend_from_slice(b"\n2 6546542794\xff\xfe eni-0a ");
    input.extend_from_slice(b"\n\xc3\x28\xa0\xa1\xe2\x82\n");
    input.extend_from_slice(SEED.as_bytes());
    let d = decode(&input);
    assert_eq!(record_lines(&d), [1, 4]);
    let errs = errors(&d);
    assert_eq!(errs.iter().map(|e| e.0).collect::<Vec<_>>(), [2, 3]);
    // an invalid byte inside a value: the value is refused
    let mut input = SEED.as_bytes().to_vec();
    input[SEED.find("ACCEPT").unwrap()] = 0xc1;
    let d = decode(&input);
    assert_eq!(errors(&d).len(), 0);
    assert_eq!(entries(&d)[0]["problems"][0]["field"], "action");
}

#[test]
fn byte_order_mark() {
    let d = decode(format!("\u{feff}{SEED}\n{SEED}"));
    assert_eq!(record_lines(&d), [1, 2]);
    let d = decode(format!("\u{feff}{HEADER}\n{SEED}"));
    assert_eq!(record_lines(&d), [2]);
    assert_eq!(d.counts().headers, 1);
    // a mark alone is an empty input; one between lines is a problem of the version it sticks to
    assert_eq!(decode("\u{feff}").counts().lines, 0);
    problem_between_good(&format!("\u{feff}{SEED}"), "version", "not-a-number");
}

#[test]
fn tabs_and_line_ends() {
    let d = decode(format!("{}\n{SEED}\t\n\t{SEED}", SEED.replace(' ', "\t")));
    assert_eq!(record_lines(&d), [1, 2, 3]);
    // CR only
    let d = decode(format!("{SEED}\r{SEED}\r\r{SEED}\r"));
    assert_eq!(record_lines(&d), [1, 2, 4]);
    assert_eq!(d.counts().blank, 1);
    // CR-only line ends cut anywhere in a stream
    let text = format!("{SEED}\r{SEED}\r\n{SEED}\n\r{SEED}");
    for size in [1, 2, 3, 7, 113] {
        let d = decode_chunked(text.as_bytes(), size);
        assert_eq!(record_lines(&d), [1, 2, 3, 5], "chunks of {size}");
    }
}

#[test]
fn a_line_of_only_spaces_is_blank() {
    let d = decode(format!("{SEED}\n      \n\t \t\n{SEED}"));
    let c = d.counts();
    assert_eq!((c.records, c.blank, c.errors), (2, 2, 0));
    let d = decode("          ");
    assert_eq!((d.counts().lines, d.counts().blank), (1, 1));
}

#[test]
fn a_10_mb_line() {
    let long = "x".repeat(10 << 20);
    let text = format!("{SEED}\n{long}\n{SEED}\n");
    let (d, peak) = peak_of(|| decode(&text));
    assert_eq!(record_lines(&d), [1, 3]);
    let errs = errors(&d);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].1.starts_with("line 2"), "{}", &errs[0].1[..100]);
    assert!(
        errs[0].1.len() < 300,
        "message of {} bytes",
        errs[0].1.len()
    );
    assert!(peak < 64 << 20, "peak {peak}");
    drop(d);
    // the same as the first line, and streamed in small chunks
    let text = format!("{long}\n{SEED}\n");
    let d = decode_chunked(text.as_bytes(), 4096);
    assert_eq!(record_lines(&d), [2]);
    assert_eq!(errors(&d)[0].0, 1);
    // many tokens
    let many = "1 ".repeat(5 << 20);
    let d = decode(format!("{SEED}\n{many}\n{SEED}"));
    assert_eq!(record_lines(&d), [1, 3]);
    assert_eq!(errors(&d).len(), 1);
}

// --- header lines ---------------------------------------------------------------------------

#[test]
fn header_with_unknown_names() {
    let d = decode("srcaddr dstaddr some-new-field action\n10.0.0.1 10.0.0.2 x%20y ACCEPT\n");
    assert_eq!(d.counts().headers, 1);
    let e = &entries(&d)[0];
    assert_eq!(e["fields"]["some-new-field"], "x%20y");
    // only unknown names: not a header, an error
    let d = decode(format!("{SEED}\nfoo bar baz\n{SEED}"));
    assert_eq!(record_lines(&d), [1, 3]);
    assert_eq!(errors(&d)[0].0, 2);
}

/// A header line that names a field twice is refused: a record could not hold both values under
/// one name. It is an error naming the field; the format in force does not change.
#[test]
fn header_with_duplicate_names_is_refused() {
    let d = decode(format!("{SEED}\nsrcaddr srcaddr action\n{SEED}\n"));
    assert_eq!(record_lines(&d), [1, 3]);
    let errs = errors(&d);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].0, 2);
    assert!(errs[0].1.contains("'srcaddr' twice"), "{errs:?}");
    assert_eq!(d.counts().headers, 0);
    // as the first line, before any record
    let d = decode(format!("{HEADER} srcaddr\n{SEED}\n"));
    assert_eq!(errors(&d)[0].0, 1);
    assert!(errors(&d)[0].1.contains("'srcaddr' twice"));
    assert_eq!(record_lines(&d), [2]);
    // unknown names too
    let d = decode("srcaddr dstaddr new-x new-x\n");
    assert!(
        errors(&d)[0].1.contains("'new-x' twice"),
        "{:?}",
        errors(&d)
    );
    // in a format string
    let e =
        flowlens::model::format::Format::parse_format_string("${srcaddr} ${dstaddr} ${srcaddr}")
            .unwrap_err();
    assert!(e.to_string().contains("'srcaddr'"), "{e}");
}

#[test]
fn header_with_no_records() {
    for text in [
        HEADER.to_string(),
        format!("{HEADER}\n"),
        format!("{HEADER}\n\n{HEADER}\n"),
    ] {
        let d = decode(&text);
        let c = d.counts();
        assert_eq!((c.records, c.errors), (0, 0), "{text:?}");
        assert!(c.headers >= 1);
        assert!(d.is_empty());
    }
}

#[test]
fn many_distinct_headers_stay_cheap() {
    // every header line a new format: formats are bounded, lines still decode
    let mut text = String::new();
    let names = [
        "srcaddr", "dstaddr", "srcport", "dstport", "action", "bytes",
    ];
    for i in 0..3000 {
        let mut h: Vec<&str> = names.to_vec();
        h.rotate_left(i % names.len());
        text.push_str(&h[..2 + i % 4].join(" "));
        text.push_str(&format!(" tag-{i}\n"));
    }
    text.push_str(&format!("{HEADER}\n{SEED}\n"));
    let d = decode(&text);
    assert_eq!(d.counts().records, 1);
}

// --- wrappers: JSON, CSV, gzip ----------------------------------------------------------------

#[test]
fn json_truncated_or_nested_wrong() {
    let msg = |m: &str| format!(r#"{{"message":"{m}"}}"#);
    // JSON Lines with a cut last line
    let text = format!("{}\n{}\n{}", msg(SEED), msg(SEED), &msg(SEED)[..30]);
    let d = decode(&text);
    assert_eq!(record_lines(&d), [1, 2]);
    assert_eq!(errors(&d)[0].0, 3);
    assert!(errors(&d)[0].1.contains("invalid JSON"), "{:?}", errors(&d));
    // a document cut short
    let doc = format!(r#"{{"events":[{},{}]}}"#, msg(SEED), msg(SEED));
    let d = decode(&doc[..doc.len() - 30]);
    assert!(d.report().input_error.is_some());
    assert!(d
        .report()
        .input_error
        .as_ref()
        .unwrap()
        .message(Lang::En)
        .contains("ends inside a JSON document"));
    // wrong nesting: events not a list, message not a string, deep arrays
    for bad in [
        r#"{"events":{"message":"x"}}"#.to_string(),
        r#"{"events":[{"message":5}]}"#.to_string(),
        r#"{"logEvents":"x","messageType":"DATA_MESSAGE"}"#.to_string(),
        r#"{"awslogs":{"data":5}}"#.to_string(),
        r#"{"awslogs":{"data":"!!!"}}"#.to_string(),
        r#"{"Records":[{"kinesis":{"data":"H4sIAAAA"}}]}"#.to_string(),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("{}{}", "[".repeat(100_000), "]".repeat(99_999)),
        format!("{}1{}", "{\"a\":".repeat(5000), "}".repeat(5000)),
        "[}".to_string(),
        "{]".to_string(),
        "[\"\\".to_string(),
    ] {
        let d = decode(&bad);
        assert_eq!(d.counts().records, 0, "{}", &bad[..bad.len().min(60)]);
        assert!(
            d.counts().errors + d.counts().ignored > 0 || d.report().input_error.is_some(),
            "{}: {:?}",
            &bad[..bad.len().min(60)],
            d.report()
        );
    }
}

#[test]
fn csv_rows_gone_wrong() {
    let text = format!(
        "timestamp,message\n1,{SEED}\n2,\"{SEED}\n3\n4,\"{SEED}\"\"x\"\n\"\"\",\n5,{SEED}\n"
    );
    let d = decode(&text);
    assert_eq!(record_lines(&d)[0], 2);
    assert_eq!(*record_lines(&d).last().unwrap(), 7);
    let errs = errors(&d);
    assert!(
        errs.iter()
            .any(|e| e.0 == 3 && e.1.contains("unclosed quote")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.0 == 4 && e.1.contains("column")),
        "{errs:?}"
    );
}

fn seed_lines(n: usize) -> String {
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(SEED);
        s.push('\n');
    }
    s
}

#[test]
fn gzip_truncated() {
    let text = seed_lines(5000);
    let gz = gzip(text.as_bytes());
    for cut in [
        1,
        2,
        5,
        10,
        11,
        gz.len() / 3,
        gz.len() / 2,
        gz.len() - 9,
        gz.len() - 1,
    ] {
        let d = decode(&gz[..cut]);
        let c = d.counts();
        assert!(c.records <= 5000, "cut {cut}");
        assert_eq!(c.records + c.errors, c.lines, "cut {cut}");
        // a cut line is at most one error (the last one)
        assert!(c.errors <= 1, "cut {cut}: {c:?}");
        if cut >= 2 {
            let e = d
                .report()
                .input_error
                .as_ref()
                .expect("the cut is reported");
            assert!(e.message(Lang::En).contains("truncated"), "{e:?}");
        }
    }
}

#[test]
fn gzip_corrupt() {
    let text = seed_lines(5000);
    let gz = gzip(text.as_bytes());
    for (i, at) in [3, 12, 40, gz.len() / 2, gz.len() - 6]
        .into_iter()
        .enumerate()
    {
        let mut bad = gz.clone();
        bad[at] ^= 0x55 + i as u8;
        let d = decode(&bad);
        let c = d.counts();
        assert!(c.records <= 5000);
        assert!(
            d.report().input_error.is_some() || c.errors > 0,
            "flip at {at}: {c:?}"
        );
    }
    // garbage after a good member is ignored with a note
    let mut more = gz.clone();
    more.extend_from_slice(b"garbage");
    let d = decode(&more);
    assert_eq!(d.counts().records, 5000);
    assert!(d.report().input_error.is_none());
    // a gzip member that holds a gzip member that holds random bytes
    let d = decode(gzip(&gzip(&noise(100_000, 7))));
    assert_eq!(d.counts().records, 0);
}

/// Decompressed bytes of the bombs: 1 GiB in a release build, less in a debug build (a debug build
/// inflates too slowly for a test run). `FLOWLENS_BOMB_MIB` sets it.
fn bomb_size() -> usize {
    let mib = std::env::var("FLOWLENS_BOMB_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 32 } else { 1024 });
    mib << 20
}

/// `total` bytes of `byte`, as concatenated gzip members of 1 MiB each (about 1 KiB apiece).
fn bomb(byte: u8, total: usize) -> Vec<u8> {
    let member = gzip(&vec![byte; 1 << 20]);
    member.repeat(total >> 20)
}

fn decode_bomb(gz: &[u8]) -> (Decoded, usize) {
    peak_of(|| {
        let mut s = Stream::new(None, Store::default());
        for c in gz.chunks(64 << 10) {
            s.push(c);
        }
        checked(Decoded::from_stream(s))
    })
}

#[test]
fn zip_bomb_of_zeros() {
    let total = bomb_size();
    let gz = bomb(0, total);
    let (d, peak) = decode_bomb(&gz);
    let c = d.counts();
    // no line end: one line, cut, an error; nothing else kept
    assert_eq!((c.lines, c.errors), (1, 1), "{c:?}");
    assert!(peak < 48 << 20, "peak {} MiB", peak >> 20);
    assert!(d.report().input_error.is_none());
    assert!(
        errors(&d)[0].1.contains("longer than"),
        "{:?}",
        errors(&d)[0]
    );
}

#[test]
fn zip_bomb_of_newlines() {
    let total = bomb_size();
    let gz = bomb(b'\n', total);
    let (d, peak) = decode_bomb(&gz);
    let c = d.counts();
    assert_eq!(c.lines as usize, total);
    assert_eq!(c.blank, c.lines);
    assert!(d.is_empty());
    assert!(peak < 16 << 20, "peak {} MiB", peak >> 20);
}

#[test]
fn zip_bomb_of_records() {
    // 16 MiB of records and blank lines: every record kept, packed
    let mut text = seed_lines(1000);
    text.push_str(&"\n".repeat(1 << 20));
    let gz = gzip(text.as_bytes()).repeat(16);
    let (d, _) = decode_bomb(&gz);
    assert_eq!(d.counts().records, 16_000);
    assert_eq!(d.counts().blank, 16 << 20);
}

#[test]
fn blank_and_wrapper_lines_before_the_first_record_stay_cheap() {
    // millions of lines that are not records before the format is settled (JSON Lines: blank
    // lines, objects without a message)
    let mut text = format!("{{\"message\":\"{SEED}\"}}\n");
    text.push_str(&"\n".repeat(2 << 20));
    text.push_str(&"{}\n".repeat(100_000));
    text.push_str(&format!("{{\"message\":\"{SEED}\"}}\n"));
    let (d, peak) = peak_of(|| decode(&text));
    let c = d.counts();
    assert_eq!(c.records, 2);
    assert_eq!(c.blank, 2 << 20);
    assert_eq!(c.ignored, 100_000);
    assert!(peak < 64 << 20, "peak {} MiB", peak >> 20);
    // wrapper errors (CSV rows with an unclosed quote) before any record
    let mut csv = String::from("timestamp,message\n");
    for _ in 0..200_000 {
        csv.push_str("1,\"2 x\n");
    }
    csv.push_str(&format!("1,{SEED}\n"));
    let d = decode(&csv);
    assert_eq!(d.counts().records, 1);
    assert_eq!(d.counts().errors, 200_000);
}

// --- whole files --------------------------------------------------------------------------------

#[test]
fn empty_file() {
    for input in [&b""[..], b"\n", b"\r\n", b" "] {
        let d = decode(input);
        assert_eq!(d.counts().records + d.counts().errors, 0);
        assert!(d.is_empty());
    }
    assert_eq!(decode(b"").counts().lines, 0);
    let d = decode(gzip(b""));
    assert_eq!(d.counts().lines, 0);
    assert!(d.report().input_error.is_none());
}

#[test]
fn binary_files() {
    for seed in 1..40u64 {
        let bytes = noise(1000 + seed as usize * 997, seed);
        decode(&bytes);
        decode_chunked(&bytes, 1 + seed as usize * 3);
        let mut with_magic = vec![0x1f, 0x8b, 8, 0];
        with_magic.extend_from_slice(&bytes);
        decode(&with_magic);
        let mut with_bom = b"\xef\xbb\xbf".to_vec();
        with_bom.extend_from_slice(&bytes);
        decode(&with_bom);
    }
}

#[test]
fn good_lines_survive_among_random_ones() {
    let mut input = Vec::new();
    for seed in 1..200u64 {
        input.extend_from_slice(SEED.as_bytes());
        input.push(b'\n');
        let junk: Vec<u8> = noise(50, seed)
            .into_iter()
            .filter(|b| *b != b'\n' && *b != b'\r')
            .collect();
        input.extend_from_slice(&junk);
        input.push(b'\n');
    }
    let d = decode(&input);
    assert_eq!(d.counts().records, 199, "{:?}", d.counts());
    assert_eq!(d.counts().errors, 199);
}

// --- ip-ranges.json ---------------------------------------------------------------------------

fn ranges(prefixes: &str, v6: &str) -> String {
    format!(
        r#"{{"syncToken":"1","createDate":"2026-01-01-00-00-00","prefixes":[{prefixes}],"ipv6_prefixes":[{v6}]}}"#
    )
}

fn p4(net: &str) -> String {
    format!(
        r#"{{"ip_prefix":"{net}","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"}}"#
    )
}

fn p6(net: &str) -> String {
    format!(
        r#"{{"ipv6_prefix":"{net}","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"}}"#
    )
}

fn refused(json: &str, says: &str) {
    let e = AwsRanges::parse(json).expect_err(says);
    let m = e.to_string();
    assert!(m.starts_with("not a usable ip-ranges.json: "), "{m}");
    assert!(m.contains(says), "{m:?} should say {says:?}");
    assert!(m.len() < 400, "{m}");
}

#[test]
fn ip_ranges_malformed_or_truncated() {
    refused("", "EOF");
    refused("null", "invalid type");
    refused("[]", "expected");
    refused("{", "EOF");
    refused("not json", "expected");
    let good = ranges(&p4("10.0.0.0/8"), &p6("2600::/16"));
    assert!(AwsRanges::parse(&good).is_ok());
    for cut in [1, 10, good.len() / 2, good.len() - 1] {
        assert!(AwsRanges::parse(&good[..cut]).is_err(), "cut {cut}");
    }
    refused("\u{feff}{}", "");
}

#[test]
fn ip_ranges_wrong_types_and_missing_fields() {
    refused(r#"{"createDate":"x","prefixes":{}}"#, "invalid type");
    refused(r#"{"createDate":5,"prefixes":[]}"#, "invalid type");
    refused(r#"{"prefixes":[]}"#, "createDate");
    refused(r#"{"createDate":"x"}"#, "prefixes");
    refused(
        &ranges(r#"{"ip_prefix":5,"region":"r","service":"S"}"#, ""),
        "invalid type",
    );
    refused(
        &ranges(r#"{"ip_prefix":"10.0.0.0/8","service":"S"}"#, ""),
        "region",
    );
    refused(
        &ranges(r#"{"ip_prefix":"10.0.0.0/8","region":"r"}"#, ""),
        "service",
    );
    refused(&ranges(r#"{"region":"r","service":"S"}"#, ""), "ip_prefix");
    refused(&ranges("null", ""), "invalid type");
    refused(&ranges("", "null"), "invalid type");
    refused(&ranges("", ""), "no prefixes");
    refused(
        r#"{"createDate":"x","prefixes":[],"ipv6_prefixes":null}"#,
        "invalid type",
    );
}

#[test]
fn ip_ranges_bad_prefixes() {
    for bad in [
        "10.0.0.0",
        "10.0.0.0/33",
        "10.0.0/8",
        "10.0.0.0/-1",
        "x",
        "",
        "10.0.0.0/8/8",
    ] {
        refused(&ranges(&p4(bad), ""), "is not an IP prefix");
    }
    refused(&ranges(&p4("2600::/16"), ""), "wrong list");
    refused(&ranges("", &p6("10.0.0.0/8")), "wrong list");
    refused(&ranges("", &p6("2600::/129")), "is not an IP prefix");
    // the message names where the bad entry is
    refused(
        &ranges(&[p4("10.0.0.0/8"), p4("x")].join(","), ""),
        "prefixes[1]",
    );
    // a very long bad prefix is shortened in the message
    refused(
        &ranges(&p4(&"9".repeat(100_000)), ""),
        "is not an IP prefix",
    );
}

#[test]
fn ip_ranges_host_bits_are_sanitised() {
    let r = AwsRanges::parse(&ranges(&p4("10.1.2.3/8"), &p6("2600:1f00::5/24"))).unwrap();
    assert_eq!(r.prefixes[0].net.to_string(), "10.0.0.0/8");
    assert_eq!(r.prefixes[1].net.to_string(), "2600:1f00::/24");
    assert!(r.lookup("10.200.0.1".parse().unwrap()).is_some());
    // the same prefix written twice (once with host bits): merged
    let r = AwsRanges::parse(&ranges(&[p4("10.1.2.3/8"), p4("10.0.0.0/8")].join(","), "")).unwrap();
    assert_eq!(r.prefixes.len(), 1);
    // the widest a file may list (/8, /16) and /32, /128
    let r = AwsRanges::parse(&ranges(
        &[p4("1.0.0.0/8"), p4("255.255.255.255/32")].join(","),
        &[
            p6("::/16"),
            p6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"),
        ]
        .join(","),
    ))
    .unwrap();
    assert_eq!(
        r.lookup("255.255.255.255".parse().unwrap())
            .unwrap()
            .net
            .to_string(),
        "255.255.255.255/32"
    );
    assert_eq!(
        r.lookup("1.1.1.1".parse().unwrap())
            .unwrap()
            .net
            .to_string(),
        "1.0.0.0/8"
    );
    assert!(r
        .lookup("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff".parse().unwrap())
        .is_some());
    assert!(r.lookup("::1".parse().unwrap()).is_some());
    // /0 (every address AWS's, as a poisoned copy would have it) and the like: refused
    let ok4 = p4("3.0.0.0/11");
    for v4 in ["0.0.0.0/0", "128.0.0.0/1", "8.0.0.0/7"] {
        refused(&ranges(&[ok4.clone(), p4(v4)].join(","), ""), "is too wide");
    }
    for v6 in ["::/0", "2000::/3", "2600::/15"] {
        refused(&ranges(&ok4, &p6(v6)), "is too wide");
    }
}

#[test]
fn ip_ranges_huge() {
    let mut v4 = Vec::new();
    for i in 0..200_000u32 {
        let a = std::net::Ipv4Addr::from(i << 8);
        v4.push(p4(&format!("{a}/{}", 16 + i % 9)));
    }
    let mut v6 = Vec::new();
    for i in 0..50_000u32 {
        v6.push(p6(&format!(
            "2600:{:x}:{:x}::/{}",
            i >> 8,
            i & 0xff,
            32 + i % 17
        )));
    }
    let json = ranges(&v4.join(","), &v6.join(","));
    let r = AwsRanges::parse(&json).unwrap();
    assert_eq!(r.entries, 250_000);
    assert!(r.prefixes.len() <= 250_000);
    for i in (0..200_000u32).step_by(997) {
        let a = std::net::Ipv4Addr::from((i << 8) | 1);
        let p = r.lookup(a.into()).expect("covered");
        assert!(p.net.contains(&std::net::IpAddr::from(a)));
        assert!(r.supernets(p).count() < 100);
    }
}

// --- the CLI ----------------------------------------------------------------------------------

fn cli(args: &[&str], stdin: &[u8]) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flowlens runs");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
    assert!(out.status.code().is_some(), "killed by a signal: {err}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        err,
        out.status.code().unwrap(),
    )
}

#[test]
fn cli_on_hostile_input() {
    let mut binary = noise(200_000, 99);
    binary.extend_from_slice(b"\n");
    binary.extend_from_slice(SEED.as_bytes());
    for args in [&["--json"][..], &["--count"], &[]] {
        cli(args, &binary);
    }
    // NDJSON stays one valid JSON object per line, whatever the input
    let mut text = format!("{SEED}\n\u{0}\u{1b}[2J\n").into_bytes();
    text.extend_from_slice(b"\xff\xfe\n");
    text.extend_from_slice("x".repeat(3 << 20).as_bytes());
    text.extend_from_slice(format!("\n{SEED}").as_bytes());
    let (out, _, _) = cli(&["--json"], &text);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let records = lines.iter().filter(|v| v.get("error").is_none()).count();
    assert_eq!(records, 2);
    assert_eq!(lines.len(), 5);
    // a truncated gzip file: the lines before the cut, and the cut reported
    let gz = gzip(seed_lines(2000).as_bytes());
    let (_, err, code) = cli(&["--count"], &gz[..gz.len() / 2]);
    assert_ne!(code, 0);
    assert!(err.contains("truncated"), "{err}");
    // a bad ip-ranges file is refused with a message
    let dir = std::env::temp_dir().join(format!("flowlens-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("ip-ranges.json");
    std::fs::write(&bad, r#"{"createDate":"x","prefixes":[{"ip_prefix":"x"}]}"#).unwrap();
    let (_, err, code) = cli(&["--ip-ranges", bad.to_str().unwrap()], SEED.as_bytes());
    assert_ne!(code, 0);
    assert!(err.contains("ip-ranges"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
