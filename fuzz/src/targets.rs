//! The bodies of the fuzz targets, one per entry point of flowlens. They use only flowlens, std,
//! and flate2 and base64 (dependencies of flowlens already), so that the same code runs under libFuzzer (`fuzz/fuzz_targets/*.rs`, through cargo-fuzz) and
//! as a plain test replaying the seed corpus (`tests/fuzz_smoke.rs` in the main crate). Each one
//! panics when an invariant breaks: every line counted once, errors located, nothing kept
//! unbounded.
#![allow(dead_code)]

use flowlens::classify::aws::AwsRanges;
use flowlens::explain::Context;
use flowlens::explain::Explain;
use flowlens::ingest::decode::{Counts, Decoder, Line};
use flowlens::ingest::infer::infer as infer_format;
use flowlens::ingest::pipeline::Stream;
use flowlens::ingest::shape::{unwrap_bytes, Unwrapped, Unwrapper};
use flowlens::model::format::Format;
use flowlens::store::{Decoded, Store};
use flowlens::text::Lang;

/// A target's body.
pub type Target = fn(&[u8]);

/// Targets by name, for the replay test.
pub const TARGETS: [(&str, Target); 6] = [
    ("lines", lines),
    ("shape", shape),
    ("stream", stream),
    ("infer", infer),
    ("decode", decode),
    ("ip_ranges", ip_ranges),
];

fn check_counts(c: Counts) {
    assert_eq!(
        c.records + c.headers + c.blank + c.ignored + c.errors,
        c.lines,
        "{c:?}"
    );
}

fn check_decoded(d: &Decoded) {
    let c = d.counts();
    check_counts(c);
    assert_eq!(d.len() as u64 + d.store().dropped, c.records + c.errors);
    let ctx = Context::default();
    let mut last = 0;
    for (i, e) in d.entries_json(0, 64, &ctx, Lang::En).iter().enumerate() {
        let line = e.line();
        assert!(
            line >= 1 && line <= c.lines.max(1) + 1,
            "line {line} of {c:?}"
        );
        assert!(line >= last, "entries in input order");
        last = line;
        if let Some(err) = e.error() {
            assert!(!err.error.is_empty());
            assert!(err.raw.len() <= 4096 + 3);
        }
        // Japanese too, for the entries that are cheap to redo
        if i < 4 {
            assert!(d.entry_json(i, &ctx, Lang::Ja).is_some());
        }
    }
}

/// Line decoding, by the route the first byte picks: AWS's default format, a header line (the
/// first line), a format string (the first line), or a format inferred from the lines.
pub fn lines(data: &[u8]) {
    let Some((&route, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (first, body) = text.split_once('\n').unwrap_or((&text, ""));
    let mut counts = Counts::default();
    let mut decode_all = |mut d: Decoder, from: &str| {
        for (i, l) in flowlens::model::tokens::lines(from).enumerate() {
            let line = d.line(i as u64 + 1, l);
            if let Line::Record(r) = &line {
                let f = &d.formats()[r.format];
                assert_eq!(r.values.len(), f.len());
            }
            if let Line::Error(e) = &line {
                assert_eq!(e.line, i as u64 + 1);
                assert!(e.message(Lang::En).starts_with(&format!("line {}", e.line)));
            }
            counts.add(line.outcome(), 1);
        }
    };
    match route % 4 {
        0 => decode_all(Decoder::new(), &text),
        1 => {
            if let Some(f) = Format::header(first) {
                assert!(!f.is_empty());
            }
            decode_all(Decoder::new(), &text);
        }
        2 => {
            if let Ok(f) = Format::parse_format_string(first) {
                decode_all(Decoder::with_format(f.clone()), body);
                check_decoded(&Decoded::decode_with(body.as_bytes(), Some(f)));
            }
        }
        _ => {
            let all: Vec<&str> = flowlens::model::tokens::lines(&text).collect();
            if let Some(inf) = infer_format(&all) {
                assert!((0.0..=1.0).contains(&inf.fit));
                decode_all(Decoder::with_format(inf.format), &text);
            }
        }
    }
    check_counts(counts);
}

/// Shape recognition and unwrapping, whole and in two chunks cut where the first byte says.
pub fn shape(data: &[u8]) {
    let mut whole = Vec::new();
    let mut sink = |u: Unwrapped<'_>| whole.push(describe(&u));
    let r1 = unwrap_bytes(data, &mut sink);
    let cut = data.first().map_or(0, |&b| b as usize * data.len() / 256);
    let mut parts = Vec::new();
    let mut u = Unwrapper::new();
    let mut sink = |u: Unwrapped<'_>| parts.push(describe(&u));
    u.push(&data[..cut], &mut sink);
    u.push(&data[cut..], &mut sink);
    let r2 = u.finish(&mut sink);
    assert_eq!(whole, parts, "chunking changes nothing");
    assert_eq!(r1.is_ok(), r2.is_ok());
}

/// Decompression and the streaming JSON reader, fed in chunks of random sizes. The first byte picks
/// how the rest (after 8 bytes that pick the chunk sizes) is wrapped: as it is, gzip, gzip of gzip,
/// base64 of gzip, or gzip cut short. It is unwrapped whole and in those chunks: both must give
/// the same items, numbered 1, 2, 3... in order, and the same outcome.
pub fn stream(data: &[u8]) {
    use base64::Engine as _;
    use std::io::Write as _;
    let Some((&how, rest)) = data.split_first() else {
        return;
    };
    let (sizes, body) = rest.split_at(rest.len().min(8));
    let gzip = |b: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b).expect("writing to memory");
        e.finish().expect("writing to memory")
    };
    let input = match how % 5 {
        0 => body.to_vec(),
        1 => gzip(body),
        2 => gzip(&gzip(body)),
        3 => base64::engine::general_purpose::STANDARD
            .encode(gzip(body))
            .into_bytes(),
        _ => {
            let g = gzip(body);
            g[..g.len() * usize::from(how) / 256].to_vec()
        }
    };
    let mut whole = Vec::new();
    let r1 = unwrap_bytes(&input, &mut |u: Unwrapped<'_>| whole.push(describe(&u)));
    for (i, (n, _)) in whole.iter().enumerate() {
        assert_eq!(*n, i as u64 + 1, "numbered in order: {whole:?}");
    }
    let mut parts = Vec::new();
    let mut u = Unwrapper::new();
    let mut sink = |u: Unwrapped<'_>| parts.push(describe(&u));
    let mut rest = &input[..];
    let mut k = 0;
    while !rest.is_empty() {
        // Chunk sizes from 1 to 256, or up to 64 KiB.
        let s = sizes.get(k % sizes.len().max(1)).copied().unwrap_or(0);
        let size = if s & 0x80 == 0 {
            1 + usize::from(s)
        } else {
            1 + usize::from(s) * 512
        };
        let (c, after) = rest.split_at(size.min(rest.len()));
        u.push(c, &mut sink);
        rest = after;
        k += 1;
    }
    let r2 = u.finish(&mut sink);
    assert_eq!(whole, parts, "chunking changes nothing");
    assert_eq!(
        r1.map_err(|e| e.kind),
        r2.map_err(|e| e.kind),
        "same outcome"
    );
}

fn describe(u: &Unwrapped<'_>) -> (u64, String) {
    match u {
        Unwrapped::Line { number, text } => (*number, text.to_string()),
        Unwrapped::Ignored { number, reason } => (*number, format!("{reason:?}")),
        Unwrapped::Error {
            number, problem, ..
        } => (*number, format!("{problem:?}")),
    }
}

/// Format inference over the lines of the input.
pub fn infer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = flowlens::model::tokens::lines(&text).take(64).collect();
    if let Some(inf) = infer_format(&lines) {
        assert!(!inf.format.is_empty());
        assert!((0.0..=1.0).contains(&inf.fit), "{}", inf.fit);
        for a in &inf.ambiguous {
            assert!(a.columns.iter().all(|c| *c < inf.format.len()));
        }
    }
}

/// The whole pipeline, whole and streamed in chunks of a size the first byte picks.
pub fn decode(data: &[u8]) {
    let whole = Decoded::decode(data);
    check_decoded(&whole);
    let size = 1 + data.first().map_or(0, |&b| b as usize);
    let mut s = Stream::new(None, Store::default());
    for c in data.chunks(size) {
        s.push(c);
    }
    let chunked = Decoded::from_stream(s);
    assert_eq!(whole.counts(), chunked.counts(), "chunking changes nothing");
}

/// Loading ip-ranges.json, then a few lookups.
pub fn ip_ranges(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match AwsRanges::parse(text) {
        Ok(r) => {
            assert_eq!(r.ipv4_count + r.ipv6_count(), r.prefixes.len());
            for p in r.prefixes.iter().take(16) {
                let hit = r
                    .lookup(p.net.network())
                    .expect("a prefix covers its network");
                assert!(hit.net.contains(&p.net.network()));
                assert!(r.supernets(hit).count() <= r.prefixes.len());
            }
            for chunk in data.chunks(4).take(16) {
                let mut b = [0u8; 4];
                b[..chunk.len()].copy_from_slice(chunk);
                let ip = std::net::IpAddr::from(b);
                if let Some(p) = r.lookup(ip) {
                    assert!(p.net.contains(&ip));
                }
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}
