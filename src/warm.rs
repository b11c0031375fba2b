//! Warming the code up before the first real input.
//!
//! A WebAssembly engine starts a module in quickly made baseline code and compiles the functions
//! that turn out hot again, optimised, while they run (V8: Liftoff, then TurboFan). The first
//! input a page decodes pays for that. A worker that runs the same paths over a small made-up
//! input while the page is idle gets its first real input decoded by optimised code (measured: in
//! Node, the first 1M records decoded 40-90 ms sooner after a warm-up of 4,000 records; in the
//! page, their Summary came 50-170 ms sooner). [`exercise`] runs those paths: the decode (AWS's
//! default format and a v5 custom format, IPv4 and IPv6, REJECT, NODATA), the fields for the
//! summary worker, the summary from those fields and from the store, the first entries'
//! explanations in both languages. Nothing of it is kept.

use crate::classify::aws::AwsRanges;
use crate::explain::{Context, Explain};
use crate::ingest::pipeline::Stream;
use crate::overview::{FieldsOut, Overview, Summarise};
use crate::store::{Decoded, Store};
use crate::text::Lang;
use std::fmt::Write as _;

/// The v5 custom format of the sample: every v2 field, then the v3-v5 ones.
const V5_HEADER: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path";

/// A small deterministic PRNG (xorshift64*): the same sample every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// An address as the sample's records have them: private hosts, AWS's and others' public
/// addresses, a few IPv6 ones.
fn address(r: &mut Rng, out: &mut String, v6: bool) {
    let (a, b) = (r.below(256), r.below(254) + 1);
    let _ = match (v6, r.below(4)) {
        (true, 0 | 1) => write!(out, "2600:1f18:{:x}:{:x}::{:x}", r.below(4096), a, b),
        (true, _) => write!(out, "2001:db8:{a:x}::{b:x}"),
        (false, 0 | 1) => write!(out, "10.0.{}.{b}", r.below(8)),
        (false, 2) => write!(out, "52.{}.{a}.{b}", 94 + r.below(3)),
        (false, _) => write!(out, "203.0.{}.{b}", 113 + r.below(2)),
    };
}

/// `records` made-up records of AWS's default format, then a v5 header line and a tenth as many
/// v5 records: ~150 bytes per record.
pub fn sample(records: usize) -> Vec<u8> {
    let mut r = Rng(0x5eed_f10e_0bad_cafe);
    let mut out = String::with_capacity(records * 170);
    let v5_from = records - records / 10;
    for i in 0..records {
        if i == v5_from {
            out.push_str(V5_HEADER);
            out.push('\n');
        }
        let eni = r.below(8);
        let start = 1_766_000_000 + i as u64;
        let _ = write!(
            out,
            "{} 123456789010 eni-0a1b2c3d4e5f6a7b{eni} ",
            if i < v5_from { 2 } else { 5 }
        );
        if r.chance(2) {
            let status = if r.chance(50) { "NODATA" } else { "SKIPDATA" };
            let _ = write!(out, "- - - - - - - {start} {} - {status}", start + 60);
        } else {
            let v6 = r.chance(5);
            address(&mut r, &mut out, v6);
            out.push(' ');
            address(&mut r, &mut out, v6);
            let service = [443, 80, 123, 53, 22, 3306][r.below(6) as usize];
            let ephemeral = 32_768 + r.below(28_000);
            let (sport, dport) = if r.chance(50) {
                (ephemeral, service)
            } else {
                (service, ephemeral)
            };
            let protocol = [6, 6, 6, 17, 17, 1][r.below(6) as usize];
            let packets = 1 + r.below(2_000);
            let action = if r.chance(10) { "REJECT" } else { "ACCEPT" };
            let _ = write!(
                out,
                " {sport} {dport} {protocol} {packets} {} {start} {} {action} OK",
                packets * (40 + r.below(1_400)),
                start + 60
            );
        }
        if i >= v5_from {
            let _ = write!(
                out,
                " vpc-0a1b2c3d subnet-0a1b2c3d{} i-0a1b2c3d4e5f6a7b{eni} {} IPv4 - - ap-northeast-1 apne1-az{} - - {} - {} {}",
                r.below(4),
                r.below(64),
                1 + r.below(3),
                if r.chance(20) { "S3" } else { "-" },
                if r.chance(50) { "ingress" } else { "egress" },
                1 + r.below(8),
            );
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// Runs what a page runs for an input (see the module's note) over [`sample`]`(records)`, with
/// `aws` as the ip-ranges; returns how many records the summary counted.
pub fn exercise(records: usize, aws: Option<&AwsRanges>) -> u64 {
    let input = sample(records);
    let mut stream = Stream::new(None, (Store::default(), FieldsOut::default()));
    let mut overview = Overview::new();
    for part in input.chunks(64 * 1024) {
        stream.push(part);
        overview.add_fields(&stream.ingest.sink.1.take());
    }
    let report = stream.finish();
    let (store, mut fields) = stream.ingest.sink;
    overview.add_fields(&fields.take());
    let decoded = Decoded::from_parts(report, store);
    overview.add_told(&decoded.told());
    let ctx = Context { aws };
    let mut from_store = Overview::new();
    from_store.add_decoded(&decoded);
    for lang in [Lang::En, Lang::Ja] {
        // Serialized, as the page receives them: the entries' JSON is written by serde from
        // the typed entries, so that is part of the path to warm.
        let _ = serde_json::to_string(&decoded.entries_json(0, 50, &ctx, lang));
        let _ = from_store.report(&ctx, lang, 10);
    }
    overview.report(&ctx, Lang::En, 10).totals.records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_decodes_without_errors_in_both_formats() {
        let d = Decoded::decode(sample(2_000));
        let counts = d.counts();
        assert_eq!(counts.records, 2_000);
        assert_eq!(counts.errors, 0);
        assert_eq!(counts.headers, 1);
        let mut widths = [0; 2];
        d.store()
            .for_each_record_ref(|_, f, _| widths[usize::from(f.len() == 29)] += 1);
        assert_eq!(widths, [1_800, 200]);
    }

    #[test]
    fn exercise_summarises_every_record() {
        assert_eq!(exercise(1_000, None), 1_000);
    }
}
