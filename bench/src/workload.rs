//! What is measured. Every workload returns a checksum that depends on all the work done, so that
//! the optimizer cannot drop any of it, and that tells two engines apart if they disagree.

use flowlens::classify::aws::AwsRanges;
use flowlens::classify::port::{self, Transport};
use flowlens::classify::protocol;
use flowlens::classify::roles;
use flowlens::classify::scope;
use flowlens::explain::Context;
use flowlens::model::format::Format;
use flowlens::text::Lang;
use flowlens::overview::{FieldsOut, Overview, Summarise, Told};
use flowlens::model::record::RecordView;
use flowlens::ingest::pipeline::{Sink, Stream};
use flowlens::store::{Decoded, Store};
use flowlens::model::value::ValueRef;
use flowlens::query::{Query, Sort};
use std::net::IpAddr;

/// Lines and space-separated fields of the input: the floor any parser of this text stands on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    /// Non-empty lines.
    pub lines: u64,
    /// Fields (runs of non-space bytes).
    pub fields: u64,
}

/// The bare tokenizer: counts lines (memchr on `\n`) and the fields of each line (memchr on
/// spaces; runs of spaces count once, as in flowlens). Nothing is decoded.
pub fn tokenize(bytes: &[u8]) -> Tokens {
    let mut t = Tokens::default();
    let mut start = 0;
    let mut count_line = |line: &[u8]| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return;
        }
        t.lines += 1;
        let mut prev = usize::MAX; // position of the previous space
        let mut fields = 0;
        for sp in memchr::memchr_iter(b' ', line) {
            if sp != prev.wrapping_add(1) && sp != 0 {
                fields += 1;
            }
            prev = sp;
        }
        if prev.wrapping_add(1) != line.len() {
            fields += 1;
        }
        t.fields += fields;
    };
    for nl in memchr::memchr_iter(b'\n', bytes) {
        count_line(&bytes[start..nl]);
        start = nl + 1;
    }
    count_line(&bytes[start..]);
    t
}

/// Parse only: the input through flowlens's pipeline (shape, format decision, typed values) into
/// its packed store, with no classification and no explanation. This is `Session::decode`
/// without the JavaScript string crossing.
pub fn parse(bytes: &[u8]) -> Decoded {
    Decoded::decode(bytes)
}

/// What full classification found, summed over all records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Classified {
    /// Records classified.
    pub records: u64,
    /// Addresses classified (scope and AWS lookup).
    pub addresses: u64,
    /// Addresses found in AWS's ranges.
    pub aws: u64,
    /// Addresses whose scope is public.
    pub public: u64,
    /// Ports that have a known service.
    pub services: u64,
    /// Records whose roles the ports tell (client and server) that go from client to server.
    pub requests: u64,
    /// Sum of the protocol numbers (with their keyword lengths): touches every protocol lookup.
    pub protocols: u64,
}

/// Where the classified fields are in one format.
#[derive(Clone, Debug)]
struct Columns {
    addrs: Vec<usize>,
    ports: [Option<usize>; 2],
    protocol: Option<usize>,
}

impl Columns {
    /// The columns up to the last one read.
    fn width(&self) -> usize {
        let ports = self.ports.iter().flatten();
        let last = self.addrs.iter().chain(ports).chain(&self.protocol).max();
        last.map_or(0, |c| c + 1)
    }

    fn of(format: &Format) -> Columns {
        let at = |k: &str| format.position(k);
        Columns {
            addrs: ["srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr"]
                .iter()
                .filter_map(|k| at(k))
                .collect(),
            ports: [at("srcport"), at("dstport")],
            protocol: at("protocol"),
        }
    }
}

/// The classification a page needs for every record: scope of each address, AWS match, protocol,
/// port services (on the protocol's transport), the roles of the two ends (client, server). No
/// text is built.
#[inline]
fn classify(values: &[ValueRef<'_>], cols: &Columns, aws: Option<&AwsRanges>, c: &mut Classified) {
    c.records += 1;
    for &i in &cols.addrs {
        if let Some(ValueRef::Addr(ip)) = values.get(i) {
            c.addresses += 1;
            if scope::scope(*ip).scope == scope::Scope::Public {
                c.public += 1;
            }
            if aws.and_then(|a| a.lookup(*ip)).is_some() {
                c.aws += 1;
            }
        }
    }
    let mut transport = Some(Transport::Tcp);
    if let Some(Some(ValueRef::UInt(n))) = cols.protocol.map(|i| values.get(i)) {
        let n = *n;
        let p = protocol::protocol(n as u8);
        c.protocols += n + p.keyword.len() as u64;
        transport = p.transport();
    }
    if let Some(t) = transport {
        let port = |i: Option<usize>| match i.and_then(|i| values.get(i)) {
            Some(ValueRef::UInt(n)) => Some(*n as u16),
            _ => None,
        };
        let ports = cols.ports.map(port);
        for p in ports.into_iter().flatten() {
            if port::service(p, t).is_some() {
                c.services += 1;
            }
        }
        if let [Some(src), Some(dst)] = ports {
            if roles::roles(src, dst, t).is_some_and(|r| r.is_request()) {
                c.requests += 1;
            }
        }
    }
}

/// A small cache of column positions by format (inputs have a handful of formats).
#[derive(Default)]
struct ColumnCache(Vec<(*const Format, Columns)>);

impl ColumnCache {
    fn get(&mut self, f: &Format) -> &Columns {
        let key = f as *const Format;
        match self.0.iter().position(|(k, _)| *k == key) {
            Some(i) => &self.0[i].1,
            None => {
                self.0.push((key, Columns::of(f)));
                &self.0.last().expect("just pushed").1
            }
        }
    }
}

/// Full classification of every record of a decoded input, read back from the store (what the
/// page's rows need, minus the JSON): `Store::for_each_record_prefix` (borrowed values, the
/// columns up to the last one classified), then [`classify`].
pub fn classify_store(decoded: &Decoded, aws: Option<&AwsRanges>) -> Classified {
    let store = decoded.store();
    let mut c = Classified::default();
    let mut cache = ColumnCache::default();
    // Only the columns up to the last one classified are read back.
    store.for_each_record_prefix(
        |format| Columns::of(format).width(),
        |_, format, values| {
            let cols = cache.get(format);
            classify(values, cols, aws, &mut c);
        },
    );
    c
}

/// Parse and classify every record: [`parse`] then [`classify_store`].
pub fn parse_classify(bytes: &[u8], aws: Option<&AwsRanges>) -> (Decoded, Classified) {
    let d = parse(bytes);
    let c = classify_store(&d, aws);
    (d, c)
}

/// A sink that classifies records as they are decoded and keeps nothing.
struct ClassifySink<'a> {
    aws: Option<&'a AwsRanges>,
    cols: Vec<Columns>,
    c: Classified,
}

impl Sink for ClassifySink<'_> {
    fn record(&mut self, _number: u64, record: &RecordView<'_>, formats: &[Format]) {
        while self.cols.len() < formats.len() {
            self.cols.push(Columns::of(&formats[self.cols.len()]));
        }
        classify(
            record.values,
            &self.cols[record.format],
            self.aws,
            &mut self.c,
        );
    }
    fn error(&mut self, _error: &flowlens::ingest::decode::LineError, _raw: &str) {}
}

/// Parse and classify in one pass, with a [`Sink`] that keeps nothing: shows what the packed
/// store (write, then read back) costs compared with [`parse_classify`].
pub fn stream_classify(bytes: &[u8], aws: Option<&AwsRanges>) -> Classified {
    let mut s = Stream::new(
        None,
        ClassifySink {
            aws,
            cols: Vec::new(),
            c: Classified::default(),
        },
    );
    s.push(bytes);
    s.finish();
    s.ingest.sink.c
}

/// The page's Summary section of a decoded input: one pass over its store
/// ([`Overview::add_decoded`]), then the report (10 rows per table, English, addresses explained
/// with `aws`). Returns the records counted and the bytes of the heaviest pair.
pub fn summarise(decoded: &Decoded, aws: Option<&AwsRanges>) -> (u64, u64) {
    let mut o = Overview::new();
    o.add_decoded(decoded);
    let r = o.report(&Context { aws }, Lang::En, 10);
    let top = r.top_pairs.rows.first().map_or(0, |p| p.bytes);
    (r.totals.records, top)
}

/// The summary of a filtered set: the rows `query` keeps (with AWS's ranges), then the overview
/// over only those rows (its REJECT story telling AWS's sources with the ranges) and its report.
/// Returns the rows kept and the REJECT records the report counts.
pub fn summarise_filtered(
    decoded: &Decoded,
    query: &Query,
    aws: &std::sync::Arc<AwsRanges>,
) -> (u64, u64) {
    let rows = query.filter(decoded, Some(aws));
    let mut o = Overview::new().with_aws_ranges(Some(aws.clone()));
    o.add_rows(decoded, &rows);
    let r = o.report(&Context { aws: Some(aws) }, Lang::En, 10);
    (rows.len() as u64, r.totals.rejected.records)
}

/// The same summary made while the input is read, keeping no record (`Summariser`: what the
/// CLI's `--summary` runs), then the report. Returns the records
/// counted and the bytes of the heaviest pair.
pub fn summarise_reading(bytes: &[u8], aws: Option<&AwsRanges>) -> (u64, u64) {
    let (_, o) = flowlens::overview::Summariser::summarise(bytes, None);
    let r = o.report(&Context { aws }, Lang::En, 10);
    let top = r.top_pairs.rows.first().map_or(0, |p| p.bytes);
    (r.totals.records, top)
}

/// Parse as the page's decoding worker does when it has a summary worker: into the store, each
/// record's summary fields written too (a `FieldsOut` beside the store, taken every 4 MB of input as the
/// page's slices are). Returns the decoded input, its fields and what it tells at its end.
pub fn parse_with_fields(bytes: &[u8]) -> (Decoded, Vec<u8>, Told) {
    let mut stream = Stream::new(None, (Store::default(), FieldsOut::default()));
    let mut fields = Vec::new();
    for chunk in bytes.chunks(4 << 20) {
        stream.push(chunk);
        fields.extend_from_slice(&stream.ingest.sink.1.take());
    }
    let report = stream.finish();
    let (store, mut out) = stream.ingest.sink;
    fields.extend_from_slice(&out.take());
    let d = Decoded::from_parts(report, store);
    let told = d.told();
    (d, fields, told)
}

/// The page's summary worker: the Summary section from the decoding worker's fields and what the
/// input tells (`Overview::add_fields`, `add_told`), then the report. Returns the records counted
/// and the bytes of the heaviest pair.
pub fn summarise_fields(fields: &[u8], told: &Told, aws: Option<&AwsRanges>) -> (u64, u64) {
    let mut o = Overview::new();
    o.add_fields(fields);
    o.add_told(told);
    let r = o.report(&Context { aws }, Lang::En, 10);
    let top = r.top_pairs.rows.first().map_or(0, |p| p.bytes);
    (r.totals.records, top)
}

/// The filters measured (the page's filter bar, the CLI's `--where`): a name and an expression.
/// The first is the issue's example (three field tests, the columns up to `action` read); the
/// second looks both addresses of every record up in AWS's ranges; the third is free text over
/// every value plus the internet test.
pub const FILTERS: [(&str, &str); 3] = [
    (
        "filter_reject_ports",
        "action=REJECT and dstport in (22, 3389) and not srcaddr in 10.0.0.0/8",
    ),
    ("filter_aws_s3", "aws.service=S3"),
    ("filter_text", "\"eni-0\" and from_internet"),
];

/// Runs `query` over every record of `decoded` (`Query::filter`); returns the rows it kept.
pub fn filter(decoded: &Decoded, query: &Query, aws: Option<&AwsRanges>) -> Vec<u32> {
    query.filter(decoded, aws)
}

/// Orders `rows` of `decoded` by `sort` (a copy, so that every run sorts the same rows); returns
/// the first row.
pub fn sort(decoded: &Decoded, rows: &[u32], sort: Sort) -> u32 {
    let mut rows = rows.to_vec();
    sort.apply(decoded.store(), &mut rows);
    rows.first().copied().unwrap_or(u32::MAX)
}

/// Looks every address up; returns how many are in AWS's ranges.
pub fn lookups(aws: &AwsRanges, addrs: &[IpAddr]) -> u64 {
    addrs.iter().filter(|a| aws.lookup(**a).is_some()).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_counts_like_flowlens() {
        let text = b"a b  c\r\n\n  d e \nf";
        assert_eq!(
            tokenize(text),
            Tokens {
                lines: 3,
                fields: 6
            }
        );
        let want: usize = flowlens::model::tokens::lines(std::str::from_utf8(text).unwrap())
            .map(|l| flowlens::model::tokens::tokens(l).count())
            .sum();
        assert_eq!(want, 6);
    }

    #[test]
    fn store_and_stream_classify_alike() {
        let rec = "2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK\n";
        let text = rec.repeat(100);
        let (_, a) = parse_classify(text.as_bytes(), None);
        let b = stream_classify(text.as_bytes(), None);
        assert_eq!(a, b);
        assert_eq!(
            (a.records, a.addresses, a.public, a.services),
            (100, 200, 100, 100)
        );
    }
}
