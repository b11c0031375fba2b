//! JSON shapes. Documents (`filter-log-events` output, subscription payloads, Lambda, Kinesis
//! and Firehose events, Logs Insights results), possibly several concatenated, are read as a
//! stream of events ([`JsonStage`]): each event is parsed on its own as soon as it closes, so
//! memory follows the largest event, never the document. JSON Lines are read line by line
//! ([`json_line`]).

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

/// The largest single piece of a JSON document held at once: an event (an element of a streamed
/// array), a member of a document's object, or a key. CloudWatch Logs events are at most 256 KB
/// and a Lambda event of Kinesis records at most 6 MB, so a piece over this is not a log event.
pub const EVENT_LIMIT: usize = 32 << 20;

/// How deep an event may nest (objects and arrays inside it, the event itself counted).
pub const MAX_DEPTH: u32 = 100;

/// Where the reader stands between two pieces of a document (never inside a string: strings are
/// read by a [`Capture`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seq {
    /// Just after the opening bracket: a value (or key) or the closing bracket.
    First,
    /// After a comma: a value (or key).
    Next,
    /// After a key: its colon.
    Colon,
    /// After a colon: the member's value.
    Value,
    /// After a value: a comma or the closing bracket.
    After,
}

/// A container of the document being read. At most two are open: the document itself, and an
/// array of events inside a document object.
enum Frame {
    /// An array whose elements are events: a document that is an array, or the `events`,
    /// `logEvents` or `results` array of a document object.
    Events { seq: Seq },
    /// A document that is an object. Its members are kept (each one bounded), except the array of
    /// events, which is read as a stream.
    Object {
        seq: Seq,
        key: String,
        members: Map<String, Value>,
        /// Bytes of the members kept.
        kept: usize,
        /// The array read as a stream, if one was.
        streamed: Option<Carrier>,
        /// A member could not be read (the error was given): the object is not judged as a whole.
        broken: bool,
    },
}

/// A member holding an array of events, read as a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Carrier {
    Events,
    LogEvents,
    Results,
}

/// What is read between document bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// Between documents.
    Between,
    /// Text outside the documents, up to its line end.
    Outside,
    /// Inside a document (`frames` says where).
    Doc,
    /// Inside a document whose structure broke: skipped to its closing bracket.
    Skip(Scan),
}

/// Follows brackets and strings over a value. `depth` counts the brackets open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Scan {
    depth: u32,
    in_string: bool,
    escaped: bool,
}

impl Scan {
    /// Reads `data` until the value ends (its last bracket or quote); returns the bytes read up to
    /// and including it, or `None` when the value goes on after `data`. `deepest` is raised to the
    /// deepest nesting seen.
    fn run(&mut self, data: &[u8], deepest: &mut u32) -> Option<usize> {
        let mut i = 0;
        while i < data.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                // Strings are most of a document: skip to the next quote or backslash.
                match data[i..].iter().position(|&c| c == b'"' || c == b'\\') {
                    Some(p) => {
                        i += p;
                        if data[i] == b'"' {
                            self.in_string = false;
                            if self.depth == 0 {
                                return Some(i + 1);
                            }
                        } else {
                            self.escaped = true;
                        }
                    }
                    None => return None,
                }
            } else {
                match data[i] {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => {
                        self.depth = self.depth.saturating_add(1);
                        *deepest = (*deepest).max(self.depth);
                    }
                    b'}' | b']' => {
                        self.depth = self.depth.saturating_sub(1);
                        if self.depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        None
    }
}

/// What a capture is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    /// An element of an array of events.
    Event,
    /// A key of the document object.
    Key,
    /// A member's value in the document object.
    Member,
}

/// A value being read whole (bounded by the event limit) into [`JsonStage::buf`].
#[derive(Clone, Copy, Debug)]
struct Capture {
    purpose: Purpose,
    /// Brackets and strings; `None` for a number or literal, which ends before a delimiter.
    scan: Option<Scan>,
    /// Over the limit: no longer kept, read to its end and reported.
    over: bool,
    deepest: u32,
}

impl Capture {
    /// Reads on; returns the bytes that belong to the value and whether it ended.
    fn run(&mut self, data: &[u8]) -> (usize, bool) {
        match &mut self.scan {
            Some(scan) => match scan.run(data, &mut self.deepest) {
                Some(n) => (n, true),
                None => (data.len(), false),
            },
            None => match data.iter().position(|&b| is_delimiter(b)) {
                Some(n) => (n, true),
                None => (data.len(), false),
            },
        }
    }
}

/// A byte that ends a number or literal.
fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b',' | b']' | b'}' | b':' | b'[' | b'{' | b'"')
}

/// Reads concatenated JSON documents from a stream, event by event: the elements of a document
/// array, or of the `events` / `logEvents` / `results` array of a document object, are each read
/// whole (up to [`EVENT_LIMIT`]) and handed on as soon as they close; the other members of a
/// document object are kept (bounded the same way) to judge its shape when it closes. Memory
/// follows the largest event, never the document.
pub(super) struct JsonStage {
    at: At,
    frames: Vec<Frame>,
    capture: Option<Capture>,
    /// The capture's bytes, or the text outside documents (its start only).
    buf: Vec<u8>,
    /// Bytes of input read before the current chunk.
    read: u64,
    /// Where the current document began in the input.
    doc_start: u64,
    /// The start of the current document (its first bytes), shown with an error in its structure.
    head: Vec<u8>,
    /// Where in the current chunk the bytes not yet in `head` begin.
    mark: usize,
    /// Messages (and ignored or failed items) delivered so far.
    number: u64,
}

impl JsonStage {
    pub(super) fn new() -> JsonStage {
        JsonStage {
            at: At::Between,
            frames: Vec::new(),
            capture: None,
            buf: Vec::new(),
            read: 0,
            doc_start: 0,
            head: Vec::new(),
            mark: 0,
            number: 0,
        }
    }

    pub(super) fn push(
        &mut self,
        data: &[u8],
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        let cap = cx.limit.min(EVENT_LIMIT);
        self.mark = 0;
        let mut i = 0;
        while i < data.len() {
            if let Some(c) = &mut self.capture {
                let (n, done) = c.run(&data[i..]);
                if !c.over {
                    if self.buf.len() + n > cap || c.deepest > MAX_DEPTH {
                        c.over = true;
                        self.buf = Vec::new();
                    } else {
                        self.buf.extend_from_slice(&data[i..i + n]);
                    }
                }
                i += n;
                if done {
                    let c = self.capture.take().expect("a capture is running");
                    self.captured(c, cap, cx, sink);
                }
                continue;
            }
            match &mut self.at {
                At::Skip(scan) => match scan.run(&data[i..], &mut 0) {
                    Some(n) => {
                        i += n;
                        self.at = At::Between;
                    }
                    None => i = data.len(),
                },
                At::Outside => {
                    let rest = &data[i..];
                    let n = rest
                        .iter()
                        .position(|&b| b == b'\n' || b == b'\r')
                        .unwrap_or(rest.len());
                    // Only the start is shown: the rest is not kept.
                    let room = (SHOWN + 4).saturating_sub(self.buf.len());
                    self.buf.extend_from_slice(&rest[..n.min(room)]);
                    i += n;
                    if n < rest.len() {
                        self.emit_outside(sink);
                    }
                }
                At::Between => {
                    let b = data[i];
                    if b.is_ascii_whitespace() {
                        i += 1;
                    } else if b == b'{' || b == b'[' {
                        self.doc_start = self.read + i as u64;
                        self.head.clear();
                        self.mark = i;
                        self.at = At::Doc;
                        self.frames.push(if b == b'{' {
                            Frame::Object {
                                seq: Seq::First,
                                key: String::new(),
                                members: Map::new(),
                                kept: 0,
                                streamed: None,
                                broken: false,
                            }
                        } else {
                            Frame::Events { seq: Seq::First }
                        });
                        i += 1;
                    } else {
                        self.at = At::Outside;
                    }
                }
                At::Doc => i = self.structure(data, i, cx, sink),
            }
        }
        self.keep_head(data, data.len());
        self.read += data.len() as u64;
        Ok(())
    }

    /// Adds the bytes of the chunk up to `end` to the document's head, while it is short.
    fn keep_head(&mut self, data: &[u8], end: usize) {
        if self.mark < end && self.head.len() < SHOWN {
            let n = (end - self.mark).min(SHOWN - self.head.len());
            self.head.extend_from_slice(&data[self.mark..self.mark + n]);
        }
        self.mark = end;
    }

    /// Reads the structure byte at `i` (not inside a value being captured); returns where to go on.
    fn structure(&mut self, data: &[u8], i: usize, cx: &mut Cx, sink: &mut Sink<'_>) -> usize {
        let b = data[i];
        if b.is_ascii_whitespace() {
            return i + 1;
        }
        let frame = self.frames.last_mut().expect("a document is open");
        match frame {
            Frame::Events { seq } => match (*seq, b) {
                (Seq::First | Seq::After, b']') => {
                    self.close(cx, sink);
                    i + 1
                }
                (Seq::After, b',') => {
                    *seq = Seq::Next;
                    i + 1
                }
                (Seq::First | Seq::Next, _) => {
                    *seq = Seq::After;
                    self.start(Purpose::Event, b);
                    i
                }
                _ => self.broken(data, i, "expected ',' or ']' after an array element", sink),
            },
            Frame::Object {
                seq,
                key,
                members,
                streamed,
                ..
            } => match (*seq, b) {
                (Seq::First | Seq::After, b'}') => {
                    self.close(cx, sink);
                    i + 1
                }
                (Seq::After, b',') => {
                    *seq = Seq::Next;
                    i + 1
                }
                (Seq::First | Seq::Next, b'"') => {
                    *seq = Seq::Colon;
                    self.start(Purpose::Key, b);
                    i
                }
                (Seq::Colon, b':') => {
                    *seq = Seq::Value;
                    i + 1
                }
                (Seq::Value, _) => {
                    *seq = Seq::After;
                    let carrier = if b == b'[' && streamed.is_none() {
                        carrier(key, members)
                    } else {
                        None
                    };
                    match carrier {
                        Some(c) => {
                            *streamed = Some(c);
                            cx.set_kind(match c {
                                Carrier::Events => ShapeKind::FilterLogEventsJson,
                                Carrier::LogEvents => ShapeKind::SubscriptionPayload,
                                Carrier::Results => ShapeKind::InsightsJson,
                            });
                            self.frames.push(Frame::Events { seq: Seq::First });
                            i + 1
                        }
                        None => {
                            self.start(Purpose::Member, b);
                            i
                        }
                    }
                }
                (Seq::First | Seq::Next, _) => {
                    self.broken(data, i, "expected a key in quotes", sink)
                }
                (Seq::Colon, _) => self.broken(data, i, "expected ':' after a key", sink),
                (Seq::After, _) => self.broken(data, i, "expected ',' or '}' after a member", sink),
            },
        }
    }

    /// Starts reading a value whose first byte is `b` (not consumed: the capture reads it).
    fn start(&mut self, purpose: Purpose, b: u8) {
        self.buf.clear();
        self.capture = Some(Capture {
            purpose,
            scan: matches!(b, b'{' | b'[' | b'"').then(Scan::default),
            over: false,
            deepest: 0,
        });
    }

    /// The document's structure is broken at `i`: says so (once, for the document), and skips
    /// to the document's end.
    fn broken(&mut self, data: &[u8], i: usize, expected: &str, sink: &mut Sink<'_>) -> usize {
        // The byte alone: a character would depend on where the chunk ends.
        let b = data[i];
        let found = if b.is_ascii_graphic() {
            format!("'{}'", b as char)
        } else {
            format!("byte 0x{b:02x}")
        };
        let at = self.read + i as u64 - self.doc_start;
        self.keep_head(data, i + 1);
        let head = std::mem::take(&mut self.head);
        self.error(
            WrapperProblem::InvalidJson(format!(
                "{expected}, found {found} at byte {} of the document",
                at + 1
            )),
            &String::from_utf8_lossy(&head),
            sink,
        );
        self.at = At::Skip(Scan {
            depth: self.frames.len() as u32,
            ..Scan::default()
        });
        self.frames.clear();
        i
    }

    /// A captured value is complete in `buf`.
    fn captured(&mut self, c: Capture, cap: usize, cx: &mut Cx, sink: &mut Sink<'_>) {
        let buf = std::mem::take(&mut self.buf);
        let problem = if c.deepest > MAX_DEPTH {
            Some(WrapperProblem::TooDeep { limit: MAX_DEPTH })
        } else if c.over {
            Some(WrapperProblem::EventTooLarge { limit: cap as u64 })
        } else {
            None
        };
        let text = String::from_utf8_lossy(&buf);
        match c.purpose {
            Purpose::Event => match problem {
                Some(p) => self.error(p, &text, sink),
                None => match parse(&text) {
                    Ok(v) => self.item(&v, cx, sink, 0),
                    Err(e) => self.error(WrapperProblem::InvalidJson(e), &text, sink),
                },
            },
            Purpose::Key => {
                let key = match problem {
                    Some(p) => Err(p),
                    None => serde_json::from_str::<String>(&text)
                        .map_err(|e| WrapperProblem::InvalidJson(e.to_string())),
                };
                match key {
                    Ok(k) => {
                        if let Some(Frame::Object { key, .. }) = self.frames.last_mut() {
                            *key = k;
                        }
                    }
                    Err(p) => {
                        // Without its key the object cannot be followed: the document is skipped.
                        self.error(p, &text, sink);
                        self.at = At::Skip(Scan {
                            depth: self.frames.len() as u32,
                            ..Scan::default()
                        });
                        self.frames.clear();
                    }
                }
            }
            Purpose::Member => {
                let Some(Frame::Object {
                    key,
                    members,
                    kept,
                    broken,
                    ..
                }) = self.frames.last_mut()
                else {
                    unreachable!("members are read in an object");
                };
                *kept += buf.len();
                let problem = match problem {
                    None if *kept > cap => {
                        Some(WrapperProblem::EventTooLarge { limit: cap as u64 })
                    }
                    p => p,
                };
                let value = match problem {
                    Some(p) => Err(p),
                    None => parse(&text).map_err(WrapperProblem::InvalidJson),
                };
                match value {
                    Ok(v) => {
                        members.insert(std::mem::take(key), v);
                    }
                    Err(p) => {
                        let first = !*broken;
                        *broken = true;
                        if first {
                            self.error(p, &text, sink);
                        }
                    }
                }
            }
        }
        // The buffer's room is kept for the next value, unless a large one grew it.
        if buf.capacity() <= 1 << 20 {
            self.buf = buf;
            self.buf.clear();
        }
    }

    /// The innermost container closes.
    fn close(&mut self, cx: &mut Cx, sink: &mut Sink<'_>) {
        if let Some(Frame::Object {
            members,
            streamed,
            broken: false,
            ..
        }) = self.frames.pop()
        {
            match streamed {
                None => self.document(&Value::Object(members), cx, sink, 0),
                // A subscription payload whose messageType came after its events.
                Some(Carrier::LogEvents) => {
                    match members.get("messageType").and_then(Value::as_str) {
                        Some("CONTROL_MESSAGE") => {
                            cx.report.control_messages += 1;
                            self.ignored(Reason::ControlMessage, sink);
                        }
                        Some("DATA_MESSAGE") | None => {}
                        Some(other) => {
                            cx.note(Note::UnknownMessageType {
                                message_type: other.to_string(),
                            });
                            self.ignored(Reason::NoMessage, sink);
                        }
                    }
                }
                Some(_) => {}
            }
        }
        if self.frames.is_empty() {
            self.at = At::Between;
        }
    }

    pub(super) fn finish(
        &mut self,
        _cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        match self.at {
            At::Between => Ok(()),
            At::Outside => {
                self.emit_outside(sink);
                Ok(())
            }
            At::Doc | At::Skip(_) => Err(ShapeErrorKind::TruncatedJson {
                bytes: self.read - self.doc_start,
            }),
        }
    }

    fn emit_outside(&mut self, sink: &mut Sink<'_>) {
        self.at = At::Between;
        self.number += 1;
        let text = String::from_utf8_lossy(&self.buf);
        sink(Unwrapped::Error {
            number: self.number,
            problem: WrapperProblem::TextOutsideJson,
            raw: shorten(&text),
        });
        self.buf.clear();
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

/// Parses one event or member (never a whole document).
fn parse(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Err("expected a value".into());
    }
    serde_json::from_str::<Value>(text).map_err(|e| e.to_string())
}

/// Whether the member `key` of a document object (its other members so far: `members`), an
/// array, is read as a stream of events, and as which. The order of the checks is the one
/// [`JsonStage::container`] judges a whole object by.
fn carrier(key: &str, members: &Map<String, Value>) -> Option<Carrier> {
    match key {
        "events" => Some(Carrier::Events),
        "logEvents" => match members.get("messageType") {
            Some(Value::String(t)) if t != "DATA_MESSAGE" => None,
            _ => Some(Carrier::LogEvents),
        },
        "results" => (!["messageType", "awslogs", "Records", "records"]
            .iter()
            .any(|k| members.contains_key(*k)))
        .then_some(Carrier::Results),
        _ => None,
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
