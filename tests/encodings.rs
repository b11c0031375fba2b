//! Encodings and containers users really have (GitHub issue 14): UTF-16 with a BOM (Windows
//! PowerShell's `>`), UTF-8 with a BOM, inside gzip too, fed in tiny chunks; ip-ranges.json in
//! the same encodings; ZIP and other compressions refused with a clear word; a damaged gzip
//! member reported and read past; and the CLI's readable output never carrying a control
//! character from the input to the terminal.

use flowlens::classify::aws::AwsRanges;
use flowlens::explain::{Context, Explain};
use flowlens::ingest::pipeline::Stream;
use flowlens::ingest::shape::{Container, Encoding, Note, ShapeErrorKind, ShapeKind};
use flowlens::store::{Decoded, Store};
use flowlens::text::Lang;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

const DOCS: &str = include_str!("data/aws-docs-examples.log");
const SEED: &str = include_str!("data/seed.log");
const IP_RANGES: &[u8] = include_bytes!("../www/data/ip-ranges.json");

// --- helpers ----------------------------------------------------------------------------------

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

fn utf8_bom(text: &str) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend_from_slice(text.as_bytes());
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Every line accounted for, every record and error kept.
fn checked(d: Decoded) -> Decoded {
    let c = d.counts();
    assert_eq!(
        c.records + c.headers + c.blank + c.ignored + c.errors,
        c.lines,
        "{c:?}"
    );
    assert_eq!(d.len() as u64 + d.store().dropped, c.records + c.errors);
    d
}

fn decode_chunked(input: &[u8], size: usize) -> Decoded {
    let mut s = Stream::new(None, Store::default());
    for c in input.chunks(size.max(1)) {
        s.push(c);
    }
    checked(Decoded::from_stream(s))
}

/// The entries as the page's JSON.
fn entries(d: &Decoded) -> Vec<Value> {
    d.entries_json(0, usize::MAX, &Context::default(), Lang::En)
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect()
}

/// The raw text of each record, with its line.
fn records(d: &Decoded) -> Vec<(u64, String)> {
    entries(d)
        .iter()
        .filter(|e| e.get("error").is_none())
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["raw"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The texts in the forms users have them (lines, the shape examples of every kind).
fn texts() -> Vec<(String, String)> {
    let mut out = vec![
        ("aws-docs-examples.log".to_string(), DOCS.to_string()),
        ("seed.log".to_string(), SEED.to_string()),
    ];
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shapes");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names {
        if let Ok(text) = std::fs::read_to_string(&p) {
            out.push((p.file_name().unwrap().to_string_lossy().into(), text));
        }
    }
    assert!(out.len() > 6, "the shape examples are read");
    out
}

// --- UTF-16 and BOMs --------------------------------------------------------------------------

#[test]
fn utf16_and_bom_inputs_give_exactly_the_records_of_utf8() {
    for (name, text) in texts() {
        let want = decode_chunked(text.as_bytes(), 1 << 20);
        let want_entries = entries(&want);
        let want_counts = want.counts();
        assert!(want_counts.lines > 0, "{name}");
        let encodings = [
            (utf16(&text, true), Encoding::Utf16Le),
            (utf16(&text, false), Encoding::Utf16Be),
            (utf8_bom(&text), Encoding::Utf8Bom),
        ];
        for (bytes, encoding) in &encodings {
            for size in (1..=7).chain([4096, usize::MAX]) {
                let d = decode_chunked(bytes, size);
                assert_eq!(d.report().shape.encoding, *encoding, "{name} {size}");
                assert_eq!(
                    d.report().shape.kind,
                    want.report().shape.kind,
                    "{name} {encoding:?} {size}"
                );
                assert_eq!(d.counts(), want_counts, "{name} {encoding:?} {size}");
                assert_eq!(entries(&d), want_entries, "{name} {encoding:?} {size}");
                assert!(d.report().input_error.is_none());
            }
        }
    }
}

#[test]
fn utf16_inside_gzip_and_gzip_of_utf8_with_a_bom() {
    for (bytes, encoding) in [
        (utf16(DOCS, true), Encoding::Utf16Le),
        (utf16(DOCS, false), Encoding::Utf16Be),
        (utf8_bom(DOCS), Encoding::Utf8Bom),
    ] {
        let gz = gzip(&bytes);
        for size in [1, 3, 7, 1 << 20] {
            let d = decode_chunked(&gz, size);
            let r = d.report();
            assert!(r.shape.gzip);
            assert_eq!(r.shape.encoding, encoding);
            assert_eq!(d.counts().records, 7);
            assert_eq!(d.counts().errors, 0);
        }
    }
}

#[test]
fn the_report_names_the_encoding_in_both_languages() {
    let d = decode_chunked(&utf16(DOCS, true), 5);
    let shape = &d.report().shape;
    assert_eq!(shape.describe(Lang::En), "UTF-16 LE (BOM) → lines of text");
    assert_eq!(
        shape.describe(Lang::Ja),
        "UTF-16 LE（BOM 付き） → テキストの行"
    );
    let v = serde_json::to_value(d.report()).unwrap();
    assert_eq!(v["shape"]["encoding"], "utf16_le");
    let d = decode_chunked(DOCS.as_bytes(), 5);
    let v = serde_json::to_value(d.report()).unwrap();
    assert_eq!(v["shape"]["encoding"], "utf8");
    assert_eq!(v["shape"]["description"]["en"], "lines of text");
}

#[test]
fn lone_surrogates_and_an_odd_last_byte_are_replaced_and_the_lines_still_counted() {
    // Line 2 carries a lone high surrogate in its action; the input ends with an odd byte.
    let seed = SEED.trim_end();
    let mut bytes = utf16(&format!("{seed}\n"), true);
    let bad = seed.replace("ACCEPT", "ACC\u{E000}EPT");
    let mut line2 = utf16(&format!("{bad}\n"), true);
    let at = line2
        .chunks(2)
        .position(|u| u == 0xE000u16.to_le_bytes())
        .unwrap()
        * 2;
    line2[at..at + 2].copy_from_slice(&0xD800u16.to_le_bytes());
    bytes.extend_from_slice(&line2[2..]);
    bytes.extend_from_slice(&utf16(&format!("{seed}\n"), true)[2..]);
    bytes.push(b'x');
    for size in 1..=7 {
        let d = decode_chunked(&bytes, size);
        let c = d.counts();
        // The damaged action is a problem of its field: line 2 is a record with a problem.
        assert_eq!(
            (c.lines, c.records, c.errors, c.problems),
            (4, 3, 1, 1),
            "{size}: {c:?}"
        );
        assert_eq!(
            records(&d).iter().map(|r| r.0).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        let es = entries(&d);
        assert_eq!(es[1]["problems"][0]["field"], "action");
        assert!(es[1]["raw"].as_str().unwrap().contains("ACC\u{FFFD}EPT"));
        let errs: Vec<&Value> = es.iter().filter(|e| e.get("error").is_some()).collect();
        assert_eq!(errs[0]["line"], 4);
        assert_eq!(errs[0]["raw"], "\u{FFFD}");
        let notes = &d.report().shape.notes;
        assert_eq!(notes, &[Note::InvalidUtf16 { replaced: 2 }]);
        assert!(d
            .report()
            .shape
            .describe(Lang::En)
            .contains("2 code units of invalid UTF-16 read as U+FFFD"));
        assert!(d.report().shape.describe(Lang::Ja).contains("U+FFFD"));
    }
}

#[test]
fn a_lone_bom_byte_or_a_bom_alone_is_no_trouble() {
    for input in [
        &b"\xFF"[..],
        b"\xFE",
        b"\xFF\xFE",
        b"\xFE\xFF",
        b"\xFF\xFE\x00",
    ] {
        for size in 1..=3 {
            let d = decode_chunked(input, size);
            assert!(d.report().input_error.is_none(), "{input:?}");
        }
    }
    // An odd byte after a UTF-16 BOM is a line of U+FFFD, counted.
    let d = decode_chunked(b"\xFF\xFE\x41", 1);
    assert_eq!(d.counts().lines, 1);
    assert_eq!(d.counts().errors, 1);
}

// --- ip-ranges.json ---------------------------------------------------------------------------

#[test]
fn ip_ranges_in_utf16_or_after_a_utf8_bom_are_read() {
    let plain = AwsRanges::parse_bytes(IP_RANGES).unwrap();
    let text = std::str::from_utf8(IP_RANGES).unwrap();
    for bytes in [utf8_bom(text), utf16(text, true), utf16(text, false)] {
        let r = AwsRanges::parse_bytes(&bytes).expect("read");
        assert_eq!(r.prefixes.len(), plain.prefixes.len());
        assert_eq!(r.entries, plain.entries);
        assert_eq!(r.create_date, plain.create_date);
    }
    // Still refused when broken, with the usual message.
    let mut broken = utf16(&text[..text.len() / 2], true);
    broken.push(0);
    assert!(AwsRanges::parse_bytes(&broken).is_err());
}

// --- archives and other compressions ----------------------------------------------------------

/// A ZIP archive holding `name` stored (not compressed), as `zip -0` writes it.
fn zip_stored(name: &str, data: &[u8]) -> Vec<u8> {
    let crc = {
        let mut c = flate2::Crc::new();
        c.update(data);
        c.sum()
    };
    let mut z = b"PK\x03\x04".to_vec();
    z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&(data.len() as u32).to_le_bytes());
    z.extend_from_slice(&(data.len() as u32).to_le_bytes());
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&[0, 0]);
    z.extend_from_slice(name.as_bytes());
    z.extend_from_slice(data);
    z.extend_from_slice(b"PK\x05\x06");
    z.extend_from_slice(&[0; 18]);
    z
}

#[test]
fn zip_and_other_compressions_are_refused_with_a_clear_word() {
    let mut empty_zip = b"PK\x05\x06".to_vec();
    empty_zip.extend_from_slice(&[0; 18]);
    let cases: Vec<(Vec<u8>, Container)> = vec![
        (zip_stored("flow.log", DOCS.as_bytes()), Container::Zip),
        (empty_zip, Container::Zip),
        (b"BZh91AY&SY\x00\x01\x02".to_vec(), Container::Bzip2),
        (b"\xFD7zXZ\x00\x00\x04".to_vec(), Container::Xz),
        (b"\x28\xB5\x2F\xFD\x24\x00".to_vec(), Container::Zstd),
        (b"7z\xBC\xAF\x27\x1C\x00\x04".to_vec(), Container::SevenZip),
    ];
    for (bytes, container) in cases {
        for size in [1, 2, 3, 1 << 20] {
            let d = decode_chunked(&bytes, size);
            assert_eq!(
                d.report().input_error,
                Some(ShapeErrorKind::Unsupported { container }),
                "{container:?} {size}"
            );
            assert_eq!(d.counts().lines, 0, "no garbage lines");
            let e = d.report().input_error.as_ref().unwrap();
            let (en, ja) = (e.message(Lang::En), e.message(Lang::Ja));
            if container == Container::Zip {
                assert!(en.contains("ZIP archive") && en.contains("unzip"), "{en}");
                assert!(
                    ja.contains("ZIP アーカイブ") && ja.contains("unzip"),
                    "{ja}"
                );
            } else {
                assert!(en.contains(container.name()) && en.contains("decompress it first"));
                assert!(ja.contains(container.name()) && ja.contains("展開"));
            }
        }
    }
    // The same inside gzip.
    let d = decode_chunked(&gzip(&zip_stored("a.log", SEED.as_bytes())), 7);
    assert_eq!(
        d.report().input_error,
        Some(ShapeErrorKind::Unsupported {
            container: Container::Zip
        })
    );
    // Text that only starts like a signature is text.
    for text in ["P", "PK", "PK records\n", "BZh", "7z notes\n"] {
        let d = decode_chunked(text.as_bytes(), 1);
        assert!(d.report().input_error.is_none(), "{text:?}");
        assert_eq!(d.counts().lines, 1, "{text:?}");
    }
}

// --- damaged gzip members ---------------------------------------------------------------------

fn numbered(from: usize, n: usize) -> String {
    let tokens: Vec<&str> = SEED.trim_end().split(' ').collect();
    (from..from + n)
        .map(|i| {
            let mut t = tokens.clone();
            let port = (1000 + i).to_string();
            t[5] = &port;
            format!("{}\n", t.join(" "))
        })
        .collect()
}

#[test]
fn a_member_with_a_bad_checksum_is_reported_and_the_next_ones_read() {
    let (a, b, c) = (numbered(0, 50), numbered(50, 50), numbered(100, 50));
    let mut bad = gzip(b.as_bytes());
    let n = bad.len();
    bad[n - 8] ^= 0x55; // the CRC
    let input = [gzip(a.as_bytes()), bad, gzip(c.as_bytes())].concat();
    for size in [1, 2, 5, 7, 4096, usize::MAX] {
        let d = decode_chunked(&input, size);
        let r = d.report();
        assert_eq!(r.shape.gzip_members, 3);
        match &r.input_error {
            Some(ShapeErrorKind::CorruptGzip {
                member: 2,
                resumed: true,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
        let e = r.input_error.as_ref().unwrap();
        assert!(e.message(Lang::En).contains("went on with the next member"));
        assert!(e
            .message(Lang::Ja)
            .contains("次のメンバーから読み続けました"));
        // The damaged member's text inflated whole: all 150 records are kept, in order.
        let recs = records(&d);
        assert_eq!(recs.len(), 150, "{size}");
        let want: Vec<String> = [a.clone(), b.clone(), c.clone()]
            .concat()
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(recs.iter().map(|r| r.1.clone()).collect::<Vec<_>>(), want);
    }
}

#[test]
fn a_broken_member_is_cut_where_it_breaks_and_reading_goes_on() {
    let (a, b, c) = (numbered(0, 200), numbered(200, 200), numbered(400, 200));
    let gb = gzip(b.as_bytes());
    // Member 2 cut in the middle of its deflate data: the next member's header follows at once.
    let cut = &gb[..gb.len() / 2];
    let input = [gzip(a.as_bytes()), cut.to_vec(), gzip(c.as_bytes())].concat();
    for size in [1, 3, 7, 4096, usize::MAX] {
        let d = decode_chunked(&input, size);
        let r = d.report();
        match &r.input_error {
            Some(ShapeErrorKind::CorruptGzip {
                member: 2,
                resumed: true,
                ..
            }) => {}
            other => panic!("{size}: {other:?}"),
        }
        let recs: Vec<String> = records(&d).into_iter().map(|r| r.1).collect();
        let a_lines: Vec<&str> = a.lines().collect();
        let c_lines: Vec<&str> = c.lines().collect();
        assert_eq!(&recs[..200], &a_lines[..], "member 1 whole");
        assert!(recs.len() > 200, "{size}: some of member 2");
        // Member 3 is read whole after the damage (found again in the bytes the inflater took
        // for more of member 2).
        assert!(
            recs.len() > 400,
            "{size}: {} {:?} {:?}",
            recs.len(),
            r.input_error,
            r.shape
        );
        let tail = &recs[recs.len() - 200..];
        assert!(tail == &c_lines[..], "{size}: member 3 read");
        // What member 2 gave before it broke is its own text (a line damaged in a value is a
        // record with a problem, its text not member 2's).
        let damaged: Vec<u64> = entries(&d)
            .iter()
            .filter(|e| e["problems"].as_array().is_some_and(|p| !p.is_empty()))
            .map(|e| e["line"].as_u64().unwrap())
            .collect();
        let kept: Vec<(u64, String)> = records(&d);
        for (line, r) in &kept[200..kept.len() - 200] {
            assert!(b.contains(r.as_str()) || damaged.contains(line), "{r}");
        }
    }
}

#[test]
fn garbage_after_damage_is_skipped_to_the_next_member() {
    let (a, c) = (numbered(0, 20), numbered(20, 20));
    let mut garbage: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    garbage[0] = 0xFF; // a deflate block of the reserved type: broken at once
    let mut member2 = gzip(b"")[..10].to_vec();
    member2.extend_from_slice(&garbage);
    let input = [gzip(a.as_bytes()), member2, gzip(c.as_bytes())].concat();
    for size in [1, 7, usize::MAX] {
        let d = decode_chunked(&input, size);
        let recs: Vec<String> = records(&d).into_iter().map(|r| r.1).collect();
        let want: Vec<String> = [a.clone(), c.clone()]
            .concat()
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(recs, want, "{size}");
        assert!(matches!(
            d.report().input_error,
            Some(ShapeErrorKind::CorruptGzip { member: 2, .. })
        ));
    }
}

// --- the terminal -----------------------------------------------------------------------------

fn run(args: &[&str], stdin: &[u8]) -> (Vec<u8>, Vec<u8>, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flowlens runs");
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let out = child.wait_with_output().unwrap();
    (out.stdout, out.stderr, out.status.code().unwrap_or(-1))
}

/// No byte below 0x20 but the line end, no DEL, no C1 control, no bidirectional control.
fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    for (i, &b) in bytes.iter().enumerate() {
        assert!(
            b == b'\n' || (b >= 0x20 && b != 0x7f),
            "{what}: byte {b:#04x} at {i}"
        );
    }
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        assert!(
            !matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
            "{what}: {c:?}"
        );
    }
}

const HOSTILE_HEADER: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-tag";

fn hostile_log() -> Vec<u8> {
    let good = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
    let mut s = format!("{HOSTILE_HEADER}\n");
    s.push_str(&format!(
        "{good} Name%3D%1b]0;pwned%07%1b%5b2J%c2%9b%e2%80%ae\n"
    ));
    s.push_str(&format!("{good} Name%3Dweb\tx\n"));
    s.push_str("\x1b]0;title\x07\x1b[2J\x1b[31m red \u{9b}\u{202e}evil\r\x7f bad line\n");
    s.push_str(&format!("{good} tag\x1b[1mbold\n"));
    s.into_bytes()
}

#[test]
fn the_readable_output_carries_no_control_character_from_the_input() {
    let input = hostile_log();
    for lang in ["en", "ja"] {
        for extra in [&[][..], &["--stream"], &["--summary"]] {
            let mut args = vec!["--lang", lang];
            args.extend_from_slice(extra);
            let (out, err, _) = run(&args, &input);
            assert!(!out.is_empty(), "{lang} {extra:?}");
            assert_terminal_safe(&format!("stdout {lang} {extra:?}"), &out);
            assert_terminal_safe(&format!("stderr {lang} {extra:?}"), &err);
            if extra.is_empty() {
                let text = String::from_utf8(out).unwrap();
                assert!(text.contains("\\x1b]0;pwned\\x07"), "{text}");
                assert!(text.contains("\\x1b[2J"), "{text}");
                assert!(text.contains("\\u{202e}"), "{text}");
            }
        }
    }
    // The same read from a file given by a hostile name, several files at once.
    let dir = std::env::temp_dir().join(format!("flowlens-enc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let name = dir.join("evil\x1b]0;x\x07.log");
    std::fs::write(&name, &input).unwrap();
    let other = dir.join("ok.log");
    std::fs::write(&other, DOCS).unwrap();
    let (n1, n2) = (name.to_str().unwrap(), other.to_str().unwrap());
    let missing = dir.join("gone\x1b[2J.log");
    for lang in ["en", "ja"] {
        let (out, err, _) = run(&["--lang", lang, n1, n2, missing.to_str().unwrap()], b"");
        assert_terminal_safe("stdout (files)", &out);
        assert_terminal_safe("stderr (files)", &err);
        assert!(String::from_utf8_lossy(&out).contains("evil\\x1b]0;x\\x07.log"));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_still_carries_the_values_as_they_are() {
    let (out, _, _) = run(&["--json"], &hostile_log());
    let first: Value = serde_json::from_slice(out.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert!(first["raw"].as_str().unwrap().contains("%1b]0;pwned%07"));
}

#[test]
fn the_cli_reads_utf16_and_says_so_and_refuses_zip() {
    let (out, err, code) = run(&[], &utf16(DOCS, true));
    assert_eq!(code, 0);
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("read as UTF-16 LE (BOM) → lines of text"),
        "{err}"
    );
    assert!(err.contains("7 records"), "{err}");
    assert!(!out.is_empty());
    let (out, err, code) = run(&["--lang", "ja"], &zip_stored("flow.log", DOCS.as_bytes()));
    assert_eq!(code, 1);
    assert!(out.is_empty());
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("ZIP アーカイブ"), "{err}");
    let (_, err, _) = run(&[], &zip_stored("flow.log", DOCS.as_bytes()));
    assert!(String::from_utf8(err).unwrap().contains("unzip it"));
    let _ = ShapeKind::Empty;
}
