//! The summary worker's session: the Summary section of an input another session decodes, made
//! from what that session hands over (see [`crate::overview::handoff`]); it keeps no record.

use super::convert::{lang, memory_bytes, to_js_json};
use super::ranges::Ranges;
use crate::overview::{Overview, Told};
use wasm_bindgen::prelude::*;

/// The summary of an input decoded elsewhere, and the ip-ranges its rows are explained with.
#[wasm_bindgen]
#[derive(Default)]
pub struct SummarySession {
    ranges: Ranges,
    /// The summary being made, or made last.
    overview: Option<Overview>,
}

#[wasm_bindgen]
impl SummarySession {
    /// A session with no ip-ranges and no summary.
    #[wasm_bindgen(constructor)]
    pub fn new() -> SummarySession {
        SummarySession::default()
    }

    /// Loads an ip-ranges.json (see [`super::DecodeSession::load_ip_ranges`]).
    pub fn load_ip_ranges(
        &mut self,
        json: &[u8],
        source: &str,
        lang_code: Option<String>,
    ) -> Result<JsValue, JsValue> {
        self.ranges.load(json, source, lang_code)
    }

    /// `{source, createDate, syncToken, ipv4_prefixes, ipv6_prefixes}`, or `null` when none is loaded.
    pub fn ip_ranges_info(&self) -> Result<JsValue, JsError> {
        self.ranges.info()
    }

    /// Starts the summary of a new input (forgets the one made before).
    pub fn begin(&mut self) {
        // The REJECT story tells AWS's sources as their records come: the ranges loaded now.
        let aws = self.ranges.shared();
        self.overview = Some(Overview::new().with_aws_ranges(aws));
    }

    /// Adds records' fields (from [`super::DecodeSession::take_fields`]); returns how many.
    pub fn push(&mut self, fields: &[u8]) -> Result<f64, JsError> {
        let o = self
            .overview
            .as_mut()
            .ok_or_else(|| JsError::new("push() before begin()"))?;
        Ok(o.add_fields(fields) as f64)
    }

    /// Ends the summary with what the decoding session [`super::DecodeSession::told`] at the end
    /// of the input; [`SummarySession::overview`] then reports it.
    pub fn finish(&mut self, told: &str) -> Result<(), JsError> {
        let told: Told = serde_json::from_str(told).map_err(|e| JsError::new(&e.to_string()))?;
        let o = self
            .overview
            .as_mut()
            .ok_or_else(|| JsError::new("finish() before begin()"))?;
        o.add_told(&told);
        Ok(())
    }

    /// Ends the summary with the records pushed so far, when the decoding session stopped before
    /// the end of the input (see [`Overview::finish_partial`]); returns the records it holds.
    pub fn finish_partial(&mut self) -> Result<f64, JsError> {
        let o = self
            .overview
            .as_mut()
            .ok_or_else(|| JsError::new("finish_partial() before begin()"))?;
        o.finish_partial();
        Ok(o.n.records as f64)
    }

    /// The summary (see `crate::overview`), `top` rows per table, texts in `lang`.
    pub fn overview(&self, lang_code: &str, top: usize) -> Result<JsValue, JsError> {
        let o = self
            .overview
            .as_ref()
            .ok_or_else(|| JsError::new("overview() before begin()"))?;
        to_js_json(&o.report(&self.ranges.context(), lang(lang_code), top))
    }

    /// Runs the summary's code over made-up records while the worker is idle (see
    /// [`super::DecodeSession::warm_up`]); returns how many records the summary counted.
    pub fn warm_up(&self, records: usize) -> f64 {
        crate::warm::exercise(records, self.ranges.aws()) as f64
    }

    /// Bytes of WASM memory, for the page's memory figures.
    pub fn memory_bytes(&self) -> f64 {
        memory_bytes()
    }
}
