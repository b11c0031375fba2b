//! The decoding worker's session: the input's records and its report, the entries explained,
//! and what the summary worker is handed of each record.

use super::convert::{lang, memory_bytes, to_js_json};
use super::ranges::Ranges;
use crate::explain::Explain;
use crate::ingest::pipeline::Stream;
use crate::model::format::Format;
use crate::overview::summariser::Beyond;
use crate::overview::{FieldsOut, Overview, Summarise};
use crate::query::{record_rows, Export};
use crate::store::{Budget, Decoded, Store};
use wasm_bindgen::prelude::*;

/// What a decoding session's stream feeds: the store (and, without a summary worker, the summary
/// of the records past its budget), and the summary worker's hand-off when asked.
type Kept = (Beyond, Option<FieldsOut>);

/// Files one input may have (the page says so before it starts reading).
pub const MAX_FILES: usize = 1000;

/// A decoding session: the loaded ip-ranges and the last decoded input, kept in WASM memory.
#[wasm_bindgen]
#[derive(Default)]
pub struct DecodeSession {
    pub(super) ranges: Ranges,
    format: Option<Format>,
    pub(super) decoded: Decoded,
    stream: Option<Stream<Kept>>,
    /// The hand-off of the input read last, once its stream has ended (the records the format
    /// decision held back come out at the end).
    fields: Option<FieldsOut>,
    /// The summary's pass over `decoded` (when the page has no summary worker), made on the first
    /// request: a language or ip-ranges change only explains its rows again.
    overview: Option<Overview>,
    /// The records shown: a filter's, in a sort's order (every record after a decode).
    pub(super) view: View,
    /// An export of the view under way.
    pub(super) export: Option<Export>,
    /// What the store keeps of an input ([`Budget::WASM`] unless the page says).
    budget: Option<Budget>,
    /// The summary of the records of the last input past the budget (when it had no summary
    /// worker): [`DecodeSession::overview`] adds the kept ones to it.
    beyond: Option<Overview>,
}

#[wasm_bindgen]
impl DecodeSession {
    /// A session with no ip-ranges and nothing decoded.
    #[wasm_bindgen(constructor)]
    pub fn new() -> DecodeSession {
        DecodeSession::default()
    }

    /// Loads an ip-ranges.json file given as its UTF-8 bytes (a `Uint8Array`: copied into WASM
    /// memory at once, where a string would be copied a character at a time); `source` says where
    /// it came from ("bundled", "live", a file name). Throws if the file is not usable: an `Error`
    /// whose `message` is the reason in `lang` (`en` or `ja`; English when left out) and whose
    /// `reasons` is `{en, ja}` (so that the page can say it again in another language); the
    /// previous data then stays in use.
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

    /// Forgets the ip-ranges in use (a copy loaded, then refused by the page's own checks, when
    /// there is nothing to replace it with): AWS addresses are then not recognised.
    pub fn clear_ip_ranges(&mut self) {
        self.ranges = Ranges::default();
    }

    /// Sets the records' format for the next inputs: AWS's `${version} ${vpc-id} ...` or plain
    /// names; an empty text goes back to automatic (header line, AWS defaults, inference). Returns
    /// the format as a format string (or `null`); throws with the reason when it is not a format.
    pub fn set_format(&mut self, text: &str) -> Result<JsValue, JsError> {
        if text.trim().is_empty() {
            self.format = None;
            return Ok(JsValue::NULL);
        }
        let format = Format::parse_format_string(text).map_err(|e| JsError::new(&e.to_string()))?;
        let normalized = format.format_string();
        self.format = Some(format);
        Ok(JsValue::from_str(&normalized))
    }

    /// Decodes a whole input (text of any shape) and keeps it; returns the report (see
    /// [`DecodeSession::finish`]).
    /// With `fields`, what the summary reads of each record is kept for [`DecodeSession::take_fields`].
    pub fn decode(
        &mut self,
        text: String,
        fields: Option<bool>,
        flush: Option<js_sys::Function>,
    ) -> Result<JsValue, JsError> {
        self.begin(fields, flush);
        self.push(text.as_bytes())?;
        self.finish()
    }

    /// Starts a new input, to be fed in chunks with [`DecodeSession::push`] (a file as it is read).
    /// With `fields`, what the summary reads of each record is kept for [`DecodeSession::take_fields`];
    /// with `flush` too, once about 9 MB of them wait in the middle of a push, they are handed to
    /// `flush(Uint8Array)` (a small gzip may hold gigabytes of records).
    pub fn begin(&mut self, fields: Option<bool>, flush: Option<js_sys::Function>) {
        self.decoded = Decoded::default();
        self.overview = None;
        self.beyond = None;
        self.fields = None;
        self.view = View::default();
        self.export = None;
        let handoff = (fields == Some(true)).then(|| match flush {
            Some(f) => FieldsOut::with_flush(Box::new(move |bytes: &[u8]| {
                // The page's summary worker takes them; an error there is its own to report.
                let _ = f.call1(&JsValue::NULL, &js_sys::Uint8Array::from(bytes));
            })),
            None => FieldsOut::default(),
        });
        // Without a summary worker, the records past the budget are summarised here.
        let beyond = handoff
            .is_none()
            .then(|| Overview::new().with_aws_ranges(self.ranges.shared()));
        let store = Store::with_budget(self.budget.unwrap_or(Budget::WASM));
        self.stream = Some(Stream::new(
            self.format.clone(),
            (Beyond::new(store, beyond), handoff),
        ));
    }

    /// Sets what the next inputs keep: at most `bytes` of records in memory and at most
    /// `records` records (either may be left out); neither: the default, 1.5 GiB of what
    /// WebAssembly's 4 GiB can hold. Past it, records are counted and summarised, not kept
    /// (the report's `kept` says so).
    pub fn set_budget(&mut self, bytes: Option<f64>, records: Option<f64>) {
        self.budget = match (bytes, records) {
            (None, None) => None,
            (b, r) => Some(Budget {
                bytes: b.map_or(Budget::WASM.bytes, |b| b.max(0.0) as u64),
                records: r.map_or(Budget::WASM.records, |r| {
                    (r.max(0.0) as u64).min(Budget::WASM.records)
                }),
            }),
        };
    }

    /// The budget of the next inputs: `{bytes, records}`.
    pub fn budget(&self) -> Result<JsValue, JsError> {
        let b = self.budget.unwrap_or(Budget::WASM);
        to_js_json(&serde_json::json!({ "bytes": b.bytes, "records": b.records }))
    }

    /// What the summary reads of the records decoded since the last call (bytes per record:
    /// [`crate::overview::FIELD_BYTES`]), when the input was begun with `fields`: for the summary worker
    /// ([`super::SummarySession::push`]).
    pub fn take_fields(&mut self) -> Vec<u8> {
        let fields = self.pending_fields().to_vec();
        self.clear_fields();
        fields
    }

    /// Bytes of fields [`DecodeSession::take_fields_into`] would copy now.
    pub fn fields_len(&self) -> usize {
        self.pending_fields().len()
    }

    /// [`DecodeSession::take_fields`] into `out`, which must be [`DecodeSession::fields_len`] bytes long (one
    /// copy, into a buffer the page may reuse: a new one per 1 MB of input took fresh memory each
    /// time); returns how many bytes were copied.
    pub fn take_fields_into(&mut self, out: &js_sys::Uint8Array) -> Result<usize, JsError> {
        let bytes = self.pending_fields();
        if out.length() as usize != bytes.len() {
            return Err(JsError::new(
                "take_fields_into(): the array is not fields_len() long",
            ));
        }
        out.copy_from(bytes);
        let n = bytes.len();
        self.clear_fields();
        Ok(n)
    }

    /// What the input tells the summary worker at its end (lines, errors, interfaces), as JSON
    /// text: for [`super::SummarySession::finish`].
    pub fn told(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.decoded.told()).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Feeds the next chunk of bytes of the input begun with [`DecodeSession::begin`] (gzip, JSON, CSV
    /// or text; chunks may split anything). Returns the number of lines read so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<f64, JsError> {
        let stream = self
            .stream
            .as_mut()
            .ok_or_else(|| JsError::new("push() before begin()"))?;
        stream.push(chunk);
        Ok(stream.ingest.counts().lines as f64)
    }

    /// The next file of an input of several files begun with [`DecodeSession::begin`]: the file
    /// pushed so far ends (reported for itself, its shape and counts in the report's `files`), and
    /// the chunks pushed next are file `name`, its shape recognised afresh. Call it before the
    /// first push too, to name the first file. Throws past [`MAX_FILES`] files.
    pub fn next_file(&mut self, name: &str) -> Result<(), JsError> {
        let stream = self
            .stream
            .as_mut()
            .ok_or_else(|| JsError::new("next_file() before begin()"))?;
        if stream.sources() >= MAX_FILES {
            return Err(JsError::new(&format!(
                "next_file(): at most {MAX_FILES} files in one input"
            )));
        }
        stream.next_source(name);
        Ok(())
    }

    /// Ends the input begun with [`DecodeSession::begin`]; returns the report
    /// `{lines, records, headers, blank, ignored, errors, problems, format, shape, input_error}`.
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let stream = self
            .stream
            .take()
            .ok_or_else(|| JsError::new("finish() before begin()"))?;
        let mut stream = stream;
        let report = stream.finish();
        let (beyond, fields) = stream.ingest.sink;
        let (store, summary) = beyond.into_parts();
        self.beyond = summary;
        self.decoded = Decoded::from_parts(report, store);
        self.fields = fields;
        self.overview = None;
        self.view = View::all(&self.decoded);
        self.export = None;
        self.report()
    }

    /// The report of the last input (see [`DecodeSession::finish`]).
    pub fn report(&self) -> Result<JsValue, JsError> {
        to_js_json(self.decoded.report())
    }

    /// Runs the decode, the summary and the explanations over `records` made-up records and
    /// forgets them (see `crate::warm`): a worker calls it while idle after it starts, so that its
    /// first real input runs in the engine's optimised code. Returns how many records the summary
    /// counted. The session's input and summary are not touched.
    pub fn warm_up(&self, records: usize) -> f64 {
        crate::warm::exercise(records, self.ranges.aws()) as f64
    }

    /// Bytes of WASM memory, for the page's memory figures.
    pub fn memory_bytes(&self) -> f64 {
        memory_bytes()
    }

    /// Number of entries (records and errors) of the last input.
    pub fn len(&self) -> usize {
        self.decoded.len()
    }

    /// True when the last input had no record and no error.
    pub fn is_empty(&self) -> bool {
        self.decoded.is_empty()
    }

    /// The summary of the last input (totals, top talkers, rejected sources, ports, protocols,
    /// records over time; see `crate::overview`), `top` rows per table, texts in `lang`.
    pub fn overview(&mut self, lang_code: &str, top: usize) -> Result<JsValue, JsError> {
        let (decoded, ranges, beyond) = (&self.decoded, &self.ranges, &mut self.beyond);
        let o = self.overview.get_or_insert_with(|| {
            // The records past the budget were summarised as they streamed by.
            let mut o = beyond
                .take()
                .unwrap_or_else(|| Overview::new().with_aws_ranges(ranges.shared()));
            o.add_decoded(decoded);
            o
        });
        to_js_json(&o.report(&self.ranges.context(), lang(lang_code), top))
    }

    /// Entries `start..start+count`, explained in `lang` (`en` or `ja`).
    pub fn entries(&self, start: usize, count: usize, lang_code: &str) -> Result<JsValue, JsError> {
        let ctx = self.ranges.context();
        to_js_json(
            &self
                .decoded
                .entries_json(start, count, &ctx, lang(lang_code)),
        )
    }
}

impl DecodeSession {
    /// The fields written since they were last taken: by the input being read, else by the last
    /// one.
    fn pending_fields(&self) -> &[u8] {
        let fields = match &self.stream {
            Some(s) => s.ingest.sink.1.as_ref(),
            None => self.fields.as_ref(),
        };
        fields.map_or(&[], FieldsOut::bytes)
    }

    /// Forgets [`DecodeSession::pending_fields`], keeping their buffer.
    fn clear_fields(&mut self) {
        let fields = match &mut self.stream {
            Some(s) => s.ingest.sink.1.as_mut(),
            None => self.fields.as_mut(),
        };
        if let Some(f) = fields {
            f.clear();
        }
    }
}

/// The records shown: a filter's rows in a sort's order.
#[derive(Debug, Default)]
pub(super) struct View {
    /// The filter as given ("" for every record).
    pub(super) expr: String,
    /// The order as given ("" for input order).
    pub(super) sort: String,
    /// The store rows kept, in order.
    pub(super) rows: Vec<u32>,
}

impl View {
    /// Every record of `decoded`, in input order.
    pub(super) fn all(decoded: &Decoded) -> View {
        View {
            rows: record_rows(decoded.store()),
            ..View::default()
        }
    }
}
