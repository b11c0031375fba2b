//! The JavaScript glue: the only module that sees `JsValue`. Everything here forwards to the core.

use crate::classify::aws::{AwsRanges, AwsRangesError};
use crate::explain::{Context, Explain};
use crate::ingest::pipeline::Stream;
use crate::model::fields;
use crate::model::format::Format;
use crate::overview::{FieldsOut, Overview, Summarise, Told};
use crate::store::{Decoded, Store};
use crate::text::Lang;

/// What a decoding session's stream feeds: the store, and the summary worker's hand-off when asked.
type Kept = (Store, Option<FieldsOut>);
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Installs the panic hook, so that a panic is logged with its message instead of "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Large results (entries) cross as JSON text for the engine's fast `JSON.parse`; this also keeps
/// integers beyond 2^53 (possible in hostile input) from failing the conversion.
fn to_js_json<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("JSON.parse failed"))
}

/// Small results cross as plain objects.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn lang(code: &str) -> Lang {
    Lang::parse(code).unwrap_or_default()
}

/// A refused ip-ranges.json as a JavaScript `Error`: the reason in `lang` as its `message`, and
/// in both languages as `reasons: {en, ja}`.
fn refusal(e: &AwsRangesError, lang: Lang) -> JsValue {
    let err = js_sys::Error::new(&e.message(lang));
    let reasons = js_sys::Object::new();
    for l in [Lang::En, Lang::Ja] {
        // Setting a property of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&reasons, &l.code().into(), &e.message(l).into());
    }
    let _ = js_sys::Reflect::set(&err, &"reasons".into(), &reasons);
    err.into()
}

#[derive(Serialize)]
struct IpRangesInfo<'a> {
    source: &'a str,
    #[serde(rename = "createDate")]
    create_date: &'a str,
    #[serde(rename = "syncToken")]
    sync_token: &'a str,
    ipv4_prefixes: usize,
    ipv6_prefixes: usize,
}

/// A decoding session: the loaded ip-ranges and the last decoded input, kept in WASM memory.
#[wasm_bindgen]
#[derive(Default)]
pub struct Session {
    aws: Option<AwsRanges>,
    aws_source: String,
    format: Option<Format>,
    decoded: Decoded,
    stream: Option<Stream<Kept>>,
    /// The hand-off of the input read last, once its stream has ended (the records the format
    /// decision held back come out at the end).
    fields: Option<FieldsOut>,
    /// The summary's pass over `decoded`, made on the first request (a language or ip-ranges
    /// change only explains its rows again); or the summary made from another session's fields
    /// ([`Session::tally_begin`]).
    overview: Option<Overview>,
}

#[wasm_bindgen]
impl Session {
    /// A session with no ip-ranges and nothing decoded.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session::default()
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
        let ranges = AwsRanges::parse_bytes(json)
            .map_err(|e| refusal(&e, lang(lang_code.as_deref().unwrap_or("en"))))?;
        self.aws = Some(ranges);
        self.aws_source = source.to_string();
        Ok(self.ip_ranges_info()?)
    }

    /// `{source, createDate, syncToken, ipv4_prefixes, ipv6_prefixes}`, or `null` when none is loaded.
    pub fn ip_ranges_info(&self) -> Result<JsValue, JsError> {
        match &self.aws {
            None => Ok(JsValue::NULL),
            Some(r) => to_js(&IpRangesInfo {
                source: &self.aws_source,
                create_date: &r.create_date,
                sync_token: &r.sync_token,
                ipv4_prefixes: r.ipv4_count,
                ipv6_prefixes: r.ipv6_count(),
            }),
        }
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
    /// [`Session::finish`]).
    /// With `fields`, what the summary reads of each record is kept for [`Session::take_fields`].
    pub fn decode(&mut self, text: String, fields: Option<bool>) -> Result<JsValue, JsError> {
        self.begin(fields);
        self.push(text.as_bytes())?;
        self.finish()
    }

    /// Starts a new input, to be fed in chunks with [`Session::push`] (a file as it is read).
    /// With `fields`, what the summary reads of each record is kept for [`Session::take_fields`].
    pub fn begin(&mut self, fields: Option<bool>) {
        self.decoded = Decoded::default();
        self.overview = None;
        self.fields = None;
        let handoff = (fields == Some(true)).then(FieldsOut::default);
        self.stream = Some(Stream::new(
            self.format.clone(),
            (Store::default(), handoff),
        ));
    }

    /// What the summary reads of the records decoded since the last call (bytes per record:
    /// [`crate::overview::FIELD_BYTES`]), when the input was begun with `fields`: for the summary worker
    /// ([`Session::tally_push`]).
    pub fn take_fields(&mut self) -> Vec<u8> {
        let fields = self.pending_fields().to_vec();
        self.clear_fields();
        fields
    }

    /// Bytes of fields [`Session::take_fields_into`] would copy now.
    pub fn fields_len(&self) -> usize {
        self.pending_fields().len()
    }

    /// [`Session::take_fields`] into `out`, which must be [`Session::fields_len`] bytes long (one
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
    /// text: for [`Session::tally_finish`].
    pub fn told(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.decoded.told()).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The summary worker: starts the summary of an input decoded by another session, made from
    /// what that session hands over ([`Session::take_fields`], then [`Session::told`]). Forgets
    /// the input held.
    pub fn tally_begin(&mut self) {
        self.decoded = Decoded::default();
        self.stream = None;
        self.overview = Some(Overview::new());
    }

    /// Adds records' fields (from [`Session::take_fields`]); returns how many.
    pub fn tally_push(&mut self, fields: &[u8]) -> Result<f64, JsError> {
        let o = self
            .overview
            .as_mut()
            .ok_or_else(|| JsError::new("tally_push() before tally_begin()"))?;
        Ok(o.add_fields(fields) as f64)
    }

    /// Ends the summary begun with [`Session::tally_begin`] with what the decoding session
    /// [`Session::told`]; [`Session::overview`] then reports it.
    pub fn tally_finish(&mut self, told: &str) -> Result<(), JsError> {
        let told: Told = serde_json::from_str(told).map_err(|e| JsError::new(&e.to_string()))?;
        let o = self
            .overview
            .as_mut()
            .ok_or_else(|| JsError::new("tally_finish() before tally_begin()"))?;
        o.add_told(&told);
        Ok(())
    }

    /// Feeds the next chunk of bytes of the input begun with [`Session::begin`] (gzip, JSON, CSV
    /// or text; chunks may split anything). Returns the number of lines read so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<f64, JsError> {
        let stream = self
            .stream
            .as_mut()
            .ok_or_else(|| JsError::new("push() before begin()"))?;
        stream.push(chunk);
        Ok(stream.ingest.counts().lines as f64)
    }

    /// Ends the input begun with [`Session::begin`]; returns the report
    /// `{lines, records, headers, blank, ignored, errors, format, shape, input_error}`.
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let stream = self
            .stream
            .take()
            .ok_or_else(|| JsError::new("finish() before begin()"))?;
        let mut stream = stream;
        let report = stream.finish();
        let (store, fields) = stream.ingest.sink;
        self.decoded = Decoded::from_parts(report, store);
        self.fields = fields;
        self.overview = None;
        self.report()
    }

    /// The report of the last input (see [`Session::finish`]).
    pub fn report(&self) -> Result<JsValue, JsError> {
        to_js_json(self.decoded.report())
    }

    /// Runs the decode, the summary and the explanations over `records` made-up records and
    /// forgets them (see `crate::warm`): a worker calls it while idle after it starts, so that its
    /// first real input runs in the engine's optimised code. Returns how many records the summary
    /// counted. The session's input and summary are not touched.
    pub fn warm_up(&self, records: usize) -> f64 {
        crate::warm::exercise(records, self.aws.as_ref()) as f64
    }

    /// Bytes of WASM memory, for the page's memory figures.
    pub fn memory_bytes(&self) -> f64 {
        (core::arch::wasm32::memory_size(0) * 65536) as f64
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
        let decoded = &self.decoded;
        let o = self.overview.get_or_insert_with(|| {
            let mut o = Overview::new();
            o.add_decoded(decoded);
            o
        });
        let ctx = Context {
            aws: self.aws.as_ref(),
        };
        to_js_json(&o.report(&ctx, lang(lang_code), top))
    }

    /// Entries `start..start+count`, explained in `lang` (`en` or `ja`).
    pub fn entries(&self, start: usize, count: usize, lang_code: &str) -> Result<JsValue, JsError> {
        let ctx = Context {
            aws: self.aws.as_ref(),
        };
        to_js_json(
            &self
                .decoded
                .entries_json(start, count, &ctx, lang(lang_code)),
        )
    }
}

impl Session {
    /// The fields written since they were last taken: by the input being read, else by the last
    /// one.
    fn pending_fields(&self) -> &[u8] {
        let fields = match &self.stream {
            Some(s) => s.ingest.sink.1.as_ref(),
            None => self.fields.as_ref(),
        };
        fields.map_or(&[], FieldsOut::bytes)
    }

    /// Forgets [`Session::pending_fields`], keeping their buffer.
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

/// The field reference: `[{key, label, kind, version, meaning}]` in `lang` (`en` or `ja`).
#[wasm_bindgen]
pub fn field_specs(lang_code: &str) -> Result<JsValue, JsError> {
    to_js(&fields::field_specs(lang(lang_code)))
}
