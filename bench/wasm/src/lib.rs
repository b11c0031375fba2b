//! The benchmark workloads of `flowlens-bench`, exported to JavaScript, so that Node and Chromium
//! run exactly what the native runner runs. JavaScript does the timing (`performance.now()`);
//! every call returns a number that depends on the work done. Inputs are copied into WASM memory
//! once ([`Bench::set_data`]) and are not part of any timing; results are dropped by
//! [`Bench::clear`], outside the timed calls.
//!
//! flowlens's own exports (`Session`, `field_specs`) are linked in too, so the page's real entry
//! point can be timed in the same module.

use flowlens::classify::aws::AwsRanges;
use flowlens::store::Decoded;
use flowlens_bench::{generate, workload};
use std::net::IpAddr;
use wasm_bindgen::prelude::*;

/// Data and results of the benchmarks, kept in WASM memory.
#[wasm_bindgen]
#[derive(Default)]
pub struct Bench {
    data: Vec<u8>,
    aws: Option<AwsRanges>,
    addrs: Vec<IpAddr>,
    decoded: Option<Decoded>,
    /// The fields and what the input tells, from [`Bench::parse_fields`].
    fields: Option<(Vec<u8>, flowlens::overview::Told)>,
    check: String,
}

#[wasm_bindgen]
impl Bench {
    /// An empty bench.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Bench {
        Bench::default()
    }

    /// Copies the input into WASM memory.
    pub fn set_data(&mut self, bytes: &[u8]) {
        self.data = bytes.to_vec();
    }

    /// Drops the last decoded input (call outside the timed part).
    pub fn clear(&mut self) {
        self.decoded = None;
        self.fields = None;
    }

    /// A description of the last result, to compare engines.
    pub fn check(&self) -> String {
        self.check.clone()
    }

    /// The floor: lines and fields of the input; returns the number of fields.
    pub fn tokenize(&mut self) -> f64 {
        let t = workload::tokenize(&self.data);
        self.check = format!("{} fields", t.fields);
        t.fields as f64
    }

    /// Parse only; returns the number of records.
    pub fn parse(&mut self) -> f64 {
        let d = workload::parse(&self.data);
        let n = d.counts().records;
        self.check = format!(
            "{} errors, {} packed bytes",
            d.counts().errors,
            d.store().packed_bytes()
        );
        self.decoded = Some(d);
        n as f64
    }

    /// Parse, then classify every record from the store; returns the number of records.
    pub fn parse_classify(&mut self) -> f64 {
        let (d, c) = workload::parse_classify(&self.data, self.aws.as_ref());
        self.decoded = Some(d);
        self.check = format!(
            "{} addresses, {} in AWS, {} public, {} services, {} requests",
            c.addresses, c.aws, c.public, c.services, c.requests
        );
        c.records as f64
    }

    /// The Summary section of the input decoded by the last [`Bench::parse`] (a pass over its
    /// store, then the report); returns the number of records counted.
    pub fn summary(&mut self) -> Result<f64, JsError> {
        let d = self
            .decoded
            .as_ref()
            .ok_or_else(|| JsError::new("summary() before parse()"))?;
        let (records, top) = workload::summarise(d, self.aws.as_ref());
        self.check = format!("{records} records, heaviest pair {top} bytes");
        Ok(records as f64)
    }

    /// The Summary section made while the input is read, keeping no record (what the
    /// CLI's `--summary` runs); returns the number of records counted.
    pub fn summary_reading(&mut self) -> f64 {
        let (records, top) = workload::summarise_reading(&self.data, self.aws.as_ref());
        self.check = format!("{records} records, heaviest pair {top} bytes");
        records as f64
    }

    /// Parse as the page's decoding worker does with a summary worker (each record's summary
    /// fields written too, taken every 4 MB); keeps the fields for [`Bench::summary_fields`].
    pub fn parse_fields(&mut self) -> f64 {
        let (d, fields, told) = workload::parse_with_fields(&self.data);
        let n = d.counts().records;
        self.check = format!("{} errors", d.counts().errors);
        self.fields = Some((fields, told));
        n as f64
    }

    /// The page's summary worker: the Summary section from the fields of the last
    /// [`Bench::parse_fields`]; returns the number of records counted.
    pub fn summary_fields(&mut self) -> Result<f64, JsError> {
        let (fields, told) = self
            .fields
            .as_ref()
            .ok_or_else(|| JsError::new("summary_fields() before parse_fields()"))?;
        let (records, top) = workload::summarise_fields(fields, told, self.aws.as_ref());
        self.check = format!(
            "{records} records, heaviest pair {top} bytes, {} bytes of fields",
            fields.len()
        );
        Ok(records as f64)
    }

    /// Runs the filter `expr` over the input decoded by the last [`Bench::parse`] (the page's
    /// filter bar, the CLI's `--where`); returns the number of records kept.
    pub fn filter(&mut self, expr: &str) -> Result<f64, JsError> {
        let d = self
            .decoded
            .as_ref()
            .ok_or_else(|| JsError::new("filter() before parse()"))?;
        let q = flowlens::query::Query::parse(expr).map_err(|e| JsError::new(&e.to_string()))?;
        let kept = workload::filter(d, &q, self.aws.as_ref()).len();
        let records = d.counts().records;
        self.check = format!("{kept} of {records} records kept");
        Ok(kept as f64)
    }

    /// Orders every record of the input decoded by the last [`Bench::parse`] by `sort`
    /// (`bytes:desc`, ...); returns the first row.
    pub fn sort(&mut self, sort: &str) -> Result<f64, JsError> {
        let d = self
            .decoded
            .as_ref()
            .ok_or_else(|| JsError::new("sort() before parse()"))?;
        let sort = sort
            .parse()
            .map_err(|e: flowlens::query::sort::SortError| JsError::new(&e.to_string()))?;
        let all = flowlens::query::record_rows(d.store());
        let first = workload::sort(d, &all, sort);
        self.check = format!("first row {first}");
        Ok(f64::from(first))
    }

    /// Parse and classify in one pass, keeping nothing; returns the number of records.
    pub fn stream_classify(&mut self) -> f64 {
        let c = workload::stream_classify(&self.data, self.aws.as_ref());
        self.check = format!("{} addresses, {} in AWS", c.addresses, c.aws);
        c.records as f64
    }

    /// Builds the ip-ranges index from the file's bytes, as the page does
    /// (`Session::load_ip_ranges`: one copy into WASM memory, then `AwsRanges::parse_bytes`);
    /// returns the prefix count.
    pub fn load_ranges(&mut self, json: &[u8]) -> Result<f64, JsError> {
        let r = AwsRanges::parse_bytes(json).map_err(|e| JsError::new(&e.to_string()))?;
        let n = r.prefixes.len();
        self.aws = Some(r);
        Ok(n as f64)
    }

    /// Makes the address sample for [`Bench::lookups`] (same as the native runner's).
    pub fn make_addrs(&mut self, json: &str, n: usize, seed: u32) {
        self.addrs = generate::lookup_sample(json, n, u64::from(seed));
    }

    /// Looks up every address of the sample; returns how many are AWS's.
    pub fn lookups(&self) -> Result<f64, JsError> {
        let aws = self
            .aws
            .as_ref()
            .ok_or_else(|| JsError::new("load_ranges first"))?;
        Ok(workload::lookups(aws, &self.addrs) as f64)
    }

    /// Number of addresses in the sample.
    pub fn addrs_len(&self) -> usize {
        self.addrs.len()
    }
}
