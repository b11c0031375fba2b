//! JSON shapes. Whole documents (`filter-log-events` output, subscription payloads, Lambda,
//! Kinesis and Firehose events, Logs Insights results), possibly several concatenated, are cut
//! from the stream by bracket counting, buffered up to the limit, parsed, and walked for their
//! messages. JSON Lines are read line by line ([`json_line`]).

use super::gunzip::Gunzip;
use super::split::LineSplitter;
use super::{
    unbase64, Cx, Note, Reason, ShapeErrorKind, ShapeKind, Sink, Stage, Unwrapped, WrapperProblem,
};
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Raw text shown with a JSON error is cut to this many bytes.
const SHOWN: usize = 1000;

/// How deep payloads may nest inside payloads (base64 inside JSON inside base64...).
const MAX_NESTING: u8 = 4;

/// True when a first line is one complete JSON object carrying a record (`message` or `@message`)
/// and not a container of records: the input is then JSON Lines.
pub(super) fn is_json_line(line: &str) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        message: Option<IgnoredAny>,
        #[serde(rename = "@message")]
        at_message: Option<IgnoredAny>,
        events: Option<IgnoredAny>,
        #[serde(rename = "logEvents")]
        log_events: Option<IgnoredAny>,
        #[serde(rename = "messageType")]
        message_type: Option<IgnoredAny>,
        results: Option<IgnoredAny>,
        awslogs: Option<IgnoredAny>,
        #[serde(rename = "Records")]
        kinesis: Option<IgnoredAny>,
        records: Option<IgnoredAny>,
    }
    match serde_json::from_str::<Probe>(line.trim()) {
        Ok(p) => {
            (p.message.is_some() || p.at_message.is_some())
                && p.events.is_none()
                && p.log_events.is_none()
                && p.message_type.is_none()
                && p.results.is_none()
                && p.awslogs.is_none()
                && p.kinesis.is_none()
                && p.records.is_none()
        }
        Err(_) => false,
    }
}

/// One line of JSON Lines: the `message` (or `@message`) of its object.
pub(super) fn json_line(number: u64, line: &str, sink: &mut Sink<'_>) {
    #[derive(Deserialize)]
    struct Wrapped {
        message: Option<String>,
        #[serde(rename = "@message")]
        at_message: Option<String>,
    }
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return sink(Unwrapped::Line { number, text: line });
    }
    match serde_json::from_str::<Wrapped>(trimmed) {
        Ok(w) => match w.message.or(w.at_message) {
            Some(m) => sink(Unwrapped::Line {
                number,
                text: without_line_end(&m),
            }),
            None => sink(Unwrapped::Ignored {
                number,
                reason: Reason::NoMessage,
            }),
        },
        // Valid JSON of another shape (an array, a message that is not a string) has no record.
        Err(_) if serde_json::from_str::<IgnoredAny>(trimmed).is_ok() => sink(Unwrapped::Ignored {
            number,
            reason: Reason::NoMessage,
        }),
        Err(e) => sink(Unwrapped::Error {
            number,
            problem: WrapperProblem::InvalidJson(e.to_string()),
            raw: line,
        }),
    }
}

fn without_line_end(s: &str) -> &str {
    s.trim_end_matches(['\r', '\n'])
}

fn shorten(s: &str) -> &str {
    if s.len() <= SHOWN {
        return s;
    }
    let mut end = SHOWN;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Cuts concatenated JSON documents from a stream and walks each for messages.
#[derive(Default)]
pub(super) struct JsonStage {
    /// The unfinished document (or text outside documents) carried over from earlier chunks.
    buf: Vec<u8>,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Reading text between documents, up to its line end.
    outside: bool,
    /// Messages (and ignored or failed items) delivered so far.
    number: u64,
}

impl JsonStage {
    pub(super) fn new() -> JsonStage {
        JsonStage::default()
    }

    pub(super) fn push(
        &mut self,
        data: &[u8],
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        // `start`: where the bytes of the current document (or outside text) begin in `data`.
        let mut start = 0;
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            if self.outside {
                if b == b'\n' || b == b'\r' {
                    self.buf.extend_from_slice(&data[start..i]);
                    self.emit_outside(sink);
                }
            } else if self.depth == 0 {
                match b {
                    b'{' | b'[' => {
                        self.depth = 1;
                        start = i;
                    }
                    _ if b.is_ascii_whitespace() => {}
                    _ => {
                        self.outside = true;
                        start = i;
                    }
                }
            } else if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else {
                    // Strings are most of a document: skip to the next quote or backslash.
                    match data[i..].iter().position(|&c| c == b'"' || c == b'\\') {
                        Some(p) => {
                            i += p;
                            if data[i] == b'"' {
                                self.in_string = false;
                            } else {
                                self.escaped = true;
                            }
                        }
                        None => i = data.len() - 1,
                    }
                }
            } else {
                match b {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth -= 1;
                        if self.depth == 0 {
                            let mut doc = std::mem::take(&mut self.buf);
                            doc.extend_from_slice(&data[start..=i]);
                            if doc.len() > cx.limit {
                                return Err(ShapeErrorKind::TooLarge {
                                    limit: cx.limit as u64,
                                });
                            }
                            self.document_bytes(&doc, cx, sink);
                            doc.clear();
                            self.buf = doc;
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        if self.depth > 0 || self.outside {
            self.buf.extend_from_slice(&data[start..]);
            if self.buf.len() > cx.limit {
                return Err(ShapeErrorKind::TooLarge {
                    limit: cx.limit as u64,
                });
            }
        }
        Ok(())
    }

    pub(super) fn finish(
        &mut self,
        _cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        if self.outside {
            self.emit_outside(sink);
        }
        if self.depth > 0 {
            return Err(ShapeErrorKind::TruncatedJson {
                bytes: self.buf.len() as u64,
            });
        }
        Ok(())
    }

    fn emit_outside(&mut self, sink: &mut Sink<'_>) {
        self.outside = false;
        self.number += 1;
        let text = String::from_utf8_lossy(&self.buf);
        sink(Unwrapped::Error {
            number: self.number,
            problem: WrapperProblem::TextOutsideJson,
            raw: shorten(&text),
        });
        self.buf.clear();
    }

    fn document_bytes(&mut self, bytes: &[u8], cx: &mut Cx, sink: &mut Sink<'_>) {
        let text = String::from_utf8_lossy(bytes);
        match serde_json::from_str::<Value>(&text) {
            Ok(v) => self.document(&v, cx, sink, 0),
            Err(e) => {
                self.number += 1;
                sink(Unwrapped::Error {
                    number: self.number,
                    problem: WrapperProblem::InvalidJson(e.to_string()),
                    raw: shorten(&text),
                });
            }
        }
    }

    /// A top-level document (or a document decoded from a payload).
    fn document(&mut self, v: &Value, cx: &mut Cx, sink: &mut Sink<'_>, level: u8) {
        if self.container(v, cx, sink, level) {
            return;
        }
        match message_of(v) {
            Some((m, insights)) => {
                cx.suggest_kind(if insights {
                    ShapeKind::InsightsJson
                } else {
                    ShapeKind::JsonLines
                });
                self.line(m, sink);
            }
            None => {
                self.number += 1;
                let raw = v.to_string();
                sink(Unwrapped::Error {
                    number: self.number,
                    problem: WrapperProblem::UnknownJson,
                    raw: shorten(&raw),
                });
            }
        }
    }

    /// An element of a container: a record carrier, a nested container, or nothing.
    fn item(&mut self, v: &Value, cx: &mut Cx, sink: &mut Sink<'_>, level: u8) {
        if let Some((m, insights)) = message_of(v) {
            if insights {
                cx.suggest_kind(ShapeKind::InsightsJson);
            }
            self.line(m, sink);
        } else if is_field_row(v) || !self.container(v, cx, sink, level) {
            self.ignored(Reason::NoMessage, sink);
        }
    }

    /// Handles a known container of records; false when `v` is none.
    fn container(&mut self, v: &Value, cx: &mut Cx, sink: &mut Sink<'_>, level: u8) -> bool {
        let o = match v {
            Value::Array(items) => {
                for it in items {
                    self.item(it, cx, sink, level);
                }
                return true;
            }
            Value::Object(o) => o,
            _ => return false,
        };
        if let Some(Value::Array(events)) = o.get("events") {
            cx.set_kind(ShapeKind::FilterLogEventsJson);
            for e in events {
                self.item(e, cx, sink, level);
            }
            return true;
        }
        if o.contains_key("messageType") || o.get("logEvents").is_some_and(Value::is_array) {
            self.subscription(o, cx, sink, level);
            return true;
        }
        if let Some(data) = o.pointer_str("/awslogs/data") {
            cx.note(Note::LambdaEvent);
            self.payload(data, cx, sink, level);
            return true;
        }
        if let Some(Value::Array(records)) = o.get("Records") {
            if records.iter().any(|r| r.pointer("/kinesis/data").is_some()) {
                cx.note(Note::KinesisRecords);
                self.records(records, "/kinesis/data", cx, sink, level);
                return true;
            }
        }
        if let Some(Value::Array(records)) = o.get("records") {
            if records
                .iter()
                .any(|r| r.get("data").is_some_and(Value::is_string))
            {
                cx.note(Note::FirehoseRecords);
                self.records(records, "/data", cx, sink, level);
                return true;
            }
        }
        if let Some(Value::Array(rows)) = o.get("results") {
            cx.set_kind(ShapeKind::InsightsJson);
            for row in rows {
                self.item(row, cx, sink, level);
            }
            return true;
        }
        false
    }

    fn subscription(
        &mut self,
        o: &Map<String, Value>,
        cx: &mut Cx,
        sink: &mut Sink<'_>,
        level: u8,
    ) {
        cx.set_kind(ShapeKind::SubscriptionPayload);
        match o.get("messageType").and_then(Value::as_str) {
            Some("CONTROL_MESSAGE") => {
                cx.report.control_messages += 1;
                self.ignored(Reason::ControlMessage, sink);
            }
            Some("DATA_MESSAGE") | None => match o.get("logEvents") {
                Some(Value::Array(events)) => {
                    for e in events {
                        self.item(e, cx, sink, level);
                    }
                }
                // Not silently nothing: a data message without its events is an error.
                _ => {
                    let raw = serde_json::to_string(o).unwrap_or_default();
                    self.error(WrapperProblem::UnknownJson, &raw, sink);
                }
            },
            Some(other) => {
                cx.note(Note::UnknownMessageType {
                    message_type: other.to_string(),
                });
                self.ignored(Reason::NoMessage, sink);
            }
        }
    }

    fn records(
        &mut self,
        records: &[Value],
        pointer: &str,
        cx: &mut Cx,
        sink: &mut Sink<'_>,
        level: u8,
    ) {
        for r in records {
            match r.pointer(pointer).and_then(Value::as_str) {
                Some(data) => self.payload(data, cx, sink, level),
                None => self.ignored(Reason::NoMessage, sink),
            }
        }
    }

    /// A base64 payload inside JSON: decoded, gunzipped if gzip, then read as JSON documents or,
    /// failing that, as lines of text.
    fn payload(&mut self, data: &str, cx: &mut Cx, sink: &mut Sink<'_>, level: u8) {
        if level >= MAX_NESTING {
            return self.error(WrapperProblem::UnknownJson, data, sink);
        }
        cx.report.base64 = true;
        let bytes = match unbase64::decode(data.as_bytes()) {
            Ok(b) => b,
            Err(offset) => {
                let e = ShapeErrorKind::InvalidBase64 { offset };
                return self.error(WrapperProblem::EmbeddedData(e), data, sink);
            }
        };
        let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
            cx.report.gzip = true;
            match gunzip_whole(&bytes, cx) {
                Ok(b) => b,
                Err(e) => return self.error(WrapperProblem::EmbeddedData(e), data, sink),
            }
        } else {
            bytes
        };
        let text = String::from_utf8_lossy(&bytes);
        let t = text.trim_start();
        if t.starts_with(['{', '[']) {
            for v in serde_json::Deserializer::from_str(t).into_iter::<Value>() {
                match v {
                    Ok(v) => self.document(&v, cx, sink, level + 1),
                    Err(e) => {
                        return self.error(WrapperProblem::InvalidJson(e.to_string()), t, sink)
                    }
                }
            }
        } else {
            cx.suggest_kind(ShapeKind::Lines);
            let mut split = LineSplitter::default();
            let number = &mut self.number;
            let mut each = |_, line: &[u8], cut: bool| {
                *number += 1;
                if cut {
                    return super::split::too_long(*number, line, sink);
                }
                let s = String::from_utf8_lossy(line);
                sink(Unwrapped::Line {
                    number: *number,
                    text: &s,
                });
            };
            split.push(&bytes, &mut each);
            split.finish(&mut each);
        }
    }

    fn line(&mut self, message: &str, sink: &mut Sink<'_>) {
        self.number += 1;
        sink(Unwrapped::Line {
            number: self.number,
            text: without_line_end(message),
        });
    }

    fn ignored(&mut self, reason: Reason, sink: &mut Sink<'_>) {
        self.number += 1;
        sink(Unwrapped::Ignored {
            number: self.number,
            reason,
        });
    }

    fn error(&mut self, problem: WrapperProblem, raw: &str, sink: &mut Sink<'_>) {
        self.number += 1;
        sink(Unwrapped::Error {
            number: self.number,
            problem,
            raw: shorten(raw),
        });
    }
}

fn gunzip_whole(bytes: &[u8], cx: &mut Cx) -> Result<Vec<u8>, ShapeErrorKind> {
    let mut g = Gunzip::new(Stage::Collect(Vec::new()));
    g.push(bytes, cx, &mut |_| {})?;
    g.finish(cx, &mut |_| {})?;
    match g.into_inner() {
        Stage::Collect(v) => Ok(v),
        _ => unreachable!("the gunzip was built over a collector"),
    }
}

trait PointerStr {
    fn pointer_str(&self, pointer: &str) -> Option<&str>;
}

impl PointerStr for Map<String, Value> {
    fn pointer_str(&self, pointer: &str) -> Option<&str> {
        let mut parts = pointer.trim_start_matches('/').split('/');
        let mut v = self.get(parts.next()?)?;
        for p in parts {
            v = v.get(p)?;
        }
        v.as_str()
    }
}

/// The record text an element carries, and whether it is a Logs Insights one: `message`,
/// `@message`, or the `@message` of a `[{"field", "value"}]` row.
fn message_of(v: &Value) -> Option<(&str, bool)> {
    match v {
        Value::Object(o) => match o.get("message").and_then(Value::as_str) {
            Some(m) => Some((m, false)),
            None => o.get("@message").and_then(Value::as_str).map(|m| (m, true)),
        },
        Value::Array(fields) => fields
            .iter()
            .find(|f| f.get("field").and_then(Value::as_str) == Some("@message"))
            .and_then(|f| f.get("value"))
            .and_then(Value::as_str)
            .map(|m| (m, true)),
        _ => None,
    }
}

/// A Logs Insights result row (`[{"field", "value"}, ...]`).
fn is_field_row(v: &Value) -> bool {
    v.as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(|f| f.get("field").is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_are_told_from_containers() {
        assert!(is_json_line(r#"{"message":"2 1 x","timestamp":1}"#));
        assert!(is_json_line(r#" {"@message":"x"} "#));
        assert!(!is_json_line(
            r#"{"messageType":"DATA_MESSAGE","logEvents":[]}"#
        ));
        assert!(!is_json_line(r#"{"events":[{"message":"x"}]}"#));
        assert!(!is_json_line("{"));
        assert!(!is_json_line(r#"{"message":"x"} {"message":"y"}"#));
        assert!(!is_json_line(r#"{"other":1}"#));
    }

    #[test]
    fn shorten_keeps_char_boundaries() {
        let s = "あ".repeat(400);
        let short = shorten(&s);
        assert!(short.len() <= SHOWN && short.len() > SHOWN - 3);
    }
}
