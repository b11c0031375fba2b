//! Recognise and unwrap the shapes in which users hold flow log records: bare lines (with or
//! without a console timestamp in front), CloudWatch Logs CSV downloads, `filter-log-events` JSON,
//! subscription payloads (gzip'd, base64'd, inside Lambda/Kinesis/Firehose events), JSON Lines,
//! Logs Insights exports, and gzip'd S3 objects. The output is a stream of logical lines for
//! [`crate::ingest::decode::Decoder::line`]; this module never looks inside a record.
//!
//! ```
//! use flowlens::ingest::shape::{ShapeKind, Unwrapped, Unwrapper};
//! let csv = "timestamp,message\n1744521785000,2 654654279488 eni-01f35fc1a2377de36 10.0.4.135 15.152.63.145 35098 123 17 1 76 1744521785 1744521793 ACCEPT OK\n";
//! let mut records = Vec::new();
//! let mut unwrapper = Unwrapper::new();
//! let mut sink = |u: Unwrapped<'_>| {
//!     if let Unwrapped::Line { number, text } = u {
//!         records.push((number, text.to_string()));
//!     }
//! };
//! unwrapper.push(csv.as_bytes(), &mut sink);
//! let report = unwrapper.finish(&mut sink).unwrap();
//! assert_eq!(report.kind, ShapeKind::CloudWatchCsv);
//! assert_eq!(records[0].0, 2);
//! assert!(records[0].1.starts_with("2 654654279488 "));
//! ```
//!
//! ## How it works
//! Input flows through a small stack of stages, each pushing its output into the next:
//! `sniff` (decides from the first bytes, then replaces itself) → `gunzip` (multi-member) or
//! `unbase64` (each wrapping a new sniff) → `lines` (line shapes, streaming: memory follows the
//! longest line) or `json` (JSON documents, streamed event by event: memory follows the largest
//! event). The decision is
//! made once per layer and kept for the whole input.

mod gunzip;
mod json;
mod lines;
mod split;
mod unbase64;
mod utf16;

use crate::text::Lang;
use crate::text::{grouped, plural};
use crate::util::utf16::{UTF16_LE_BOM, UTF8_BOM};
use serde::Serialize;
use std::fmt;

/// The largest embedded payload decoded whole: 512 MiB. JSON documents are not buffered whole:
/// each of their events is, up to this or 32 MiB (the event limit), whichever is smaller.
pub const DEFAULT_DOCUMENT_LIMIT: usize = 512 << 20;

/// The shape recognised in the input (inside any gzip/base64 layers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapeKind {
    /// Nothing at all (zero bytes, or an empty gzip member).
    #[default]
    Empty,
    /// One record per line: console copies, S3 objects with a header line, CloudWatch Logs
    /// exports to S3 (with an ISO timestamp before each record).
    Lines,
    /// A CloudWatch Logs console download: CSV `timestamp,message`.
    CloudWatchCsv,
    /// A Logs Insights export as CSV (`@timestamp,@message,...`).
    InsightsCsv,
    /// Rows copied from the Logs Insights console's results table: a row number, the
    /// timestamp and the message, tab-separated (sometimes under a `#  @timestamp  @message`
    /// header row).
    InsightsTable,
    /// One JSON object with a `message` (or `@message`) per line.
    JsonLines,
    /// `aws logs filter-log-events` / `get-log-events` output (`events[].message`).
    FilterLogEventsJson,
    /// A CloudWatch Logs subscription payload (`messageType`, `logEvents[].message`).
    SubscriptionPayload,
    /// Logs Insights results as JSON (`@message` objects or `[{field, value}]` rows).
    InsightsJson,
    /// JSON of no known shape.
    OtherJson,
}

impl ShapeKind {
    /// A short name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ShapeKind::Empty, Lang::En) => "empty input",
            (ShapeKind::Empty, Lang::Ja) => "空の入力",
            (ShapeKind::Lines, Lang::En) => "lines of text",
            (ShapeKind::Lines, Lang::Ja) => "テキストの行",
            (ShapeKind::CloudWatchCsv, Lang::En) => "CloudWatch Logs CSV download",
            (ShapeKind::CloudWatchCsv, Lang::Ja) => "CloudWatch Logs の CSV ダウンロード",
            (ShapeKind::InsightsCsv, Lang::En) => "Logs Insights CSV export",
            (ShapeKind::InsightsCsv, Lang::Ja) => "Logs Insights の CSV エクスポート",
            (ShapeKind::InsightsTable, Lang::En) => "rows copied from the Logs Insights console",
            (ShapeKind::InsightsTable, Lang::Ja) => {
                "Logs Insights コンソールの結果の表からコピーした行"
            }
            (ShapeKind::JsonLines, _) => "JSON Lines",
            (ShapeKind::FilterLogEventsJson, Lang::En) => "filter-log-events / get-log-events JSON",
            (ShapeKind::FilterLogEventsJson, Lang::Ja) => {
                "filter-log-events / get-log-events の JSON"
            }
            (ShapeKind::SubscriptionPayload, Lang::En) => "CloudWatch Logs subscription payload",
            (ShapeKind::SubscriptionPayload, Lang::Ja) => {
                "CloudWatch Logs サブスクリプションのペイロード"
            }
            (ShapeKind::InsightsJson, Lang::En) => "Logs Insights JSON results",
            (ShapeKind::InsightsJson, Lang::Ja) => "Logs Insights の JSON 結果",
            (ShapeKind::OtherJson, Lang::En) => "JSON of an unknown shape",
            (ShapeKind::OtherJson, Lang::Ja) => "形の分からない JSON",
        }
    }
}

/// The character encoding the text was read in (inside any gzip/base64 layers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// UTF-8 without a byte order mark (or plain ASCII).
    #[default]
    Utf8,
    /// UTF-8 after a byte order mark (`EF BB BF`), as Windows tools often write it.
    Utf8Bom,
    /// UTF-16 little-endian after its byte order mark (`FF FE`): Windows PowerShell's `>`.
    Utf16Le,
    /// UTF-16 big-endian after its byte order mark (`FE FF`).
    Utf16Be,
}

impl Encoding {
    /// A short name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Encoding::Utf8, _) => "UTF-8",
            (Encoding::Utf8Bom, Lang::En) => "UTF-8 (BOM)",
            (Encoding::Utf8Bom, Lang::Ja) => "UTF-8（BOM 付き）",
            (Encoding::Utf16Le, Lang::En) => "UTF-16 LE (BOM)",
            (Encoding::Utf16Le, Lang::Ja) => "UTF-16 LE（BOM 付き）",
            (Encoding::Utf16Be, Lang::En) => "UTF-16 BE (BOM)",
            (Encoding::Utf16Be, Lang::Ja) => "UTF-16 BE（BOM 付き）",
        }
    }
}

/// An archive or compression that flowlens recognises but does not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Container {
    /// A ZIP archive (`PK\x03\x04`, or `PK\x05\x06` when empty).
    Zip,
    /// bzip2 (`BZh`).
    Bzip2,
    /// xz (`FD 37 7A 58 5A 00`).
    Xz,
    /// Zstandard (`28 B5 2F FD`).
    Zstd,
    /// A 7-Zip archive (`7z BC AF 27 1C`).
    SevenZip,
}

impl Container {
    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Container::Zip => "ZIP",
            Container::Bzip2 => "bzip2",
            Container::Xz => "xz",
            Container::Zstd => "Zstandard (zstd)",
            Container::SevenZip => "7-Zip",
        }
    }

    /// The command that undoes it.
    fn command(self) -> &'static str {
        match self {
            Container::Zip => "unzip",
            Container::Bzip2 => "bunzip2",
            Container::Xz => "unxz",
            Container::Zstd => "unzstd",
            Container::SevenZip => "7z x",
        }
    }
}

/// Something worth telling about the input that is not an error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum Note {
    /// Subscription `CONTROL_MESSAGE` payloads were seen; they carry no records.
    ControlMessages {
        /// How many.
        count: u64,
    },
    /// A subscription payload had a `messageType` other than DATA_MESSAGE / CONTROL_MESSAGE.
    UnknownMessageType {
        /// The value found.
        message_type: String,
    },
    /// The payloads came inside a Lambda event (`awslogs.data`).
    LambdaEvent,
    /// The payloads came inside Kinesis Data Streams records (`Records[].kinesis.data`).
    KinesisRecords,
    /// The payloads came inside Firehose records (`records[].data`).
    FirehoseRecords,
    /// Bytes after the last gzip member that are not gzip were ignored.
    TrailingBytesAfterGzip {
        /// How many.
        bytes: u64,
    },
    /// JSON documents of more than one shape were found; the report names the first.
    MixedShapes {
        /// The other shape.
        also: ShapeKind,
    },
    /// UTF-16 that was not valid (a lone surrogate, an odd last byte): each such code unit was
    /// read as U+FFFD, in the line where it stood (which is still decoded or reported).
    InvalidUtf16 {
        /// Code units (or bytes) replaced.
        replaced: u64,
    },
    /// A further damaged gzip member (the first is the report's input error); reading went on
    /// with the next member.
    DamagedGzipMember {
        /// The member, from 1.
        member: u32,
        /// Compressed bytes read before the damage.
        read: u64,
    },
}

impl Note {
    /// The note for people (as the page says it, after the shape).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Note::ControlMessages { count }, Lang::En) => format!(
                "{} (CloudWatch Logs checking the destination) with no records",
                plural(*count, "CONTROL_MESSAGE payload", "CONTROL_MESSAGE payloads")
            ),
            (Note::ControlMessages { count }, Lang::Ja) => format!(
                "CONTROL_MESSAGE のペイロード {} 件（CloudWatch Logs による送信先の確認）にはレコードがありません",
                grouped(*count)
            ),
            (Note::UnknownMessageType { message_type }, Lang::En) => {
                format!("unknown messageType “{message_type}” ignored")
            }
            (Note::UnknownMessageType { message_type }, Lang::Ja) => {
                format!("不明な messageType「{message_type}」を無視しました")
            }
            (Note::LambdaEvent, Lang::En) => "inside a Lambda event (awslogs.data)".into(),
            (Note::LambdaEvent, Lang::Ja) => "Lambda イベント（awslogs.data）の中身".into(),
            (Note::KinesisRecords, Lang::En) => "inside Kinesis records".into(),
            (Note::KinesisRecords, Lang::Ja) => "Kinesis レコードの中身".into(),
            (Note::FirehoseRecords, Lang::En) => "inside Firehose records".into(),
            (Note::FirehoseRecords, Lang::Ja) => "Firehose レコードの中身".into(),
            (Note::TrailingBytesAfterGzip { bytes }, Lang::En) => format!(
                "{} after the last gzip member ignored",
                plural(*bytes, "byte", "bytes")
            ),
            (Note::TrailingBytesAfterGzip { bytes }, Lang::Ja) => format!(
                "最後の gzip メンバーの後の {} バイトを無視しました",
                grouped(*bytes)
            ),
            (Note::MixedShapes { also }, Lang::En) => {
                format!("also contains {}", also.label(lang))
            }
            (Note::MixedShapes { also }, Lang::Ja) => {
                format!("次の形も含みます: {}", also.label(lang))
            }
            (Note::InvalidUtf16 { replaced }, Lang::En) => format!(
                "{} of invalid UTF-16 read as U+FFFD in {} line",
                plural(*replaced, "code unit", "code units"),
                if *replaced == 1 { "its" } else { "their" }
            ),
            (Note::InvalidUtf16 { replaced }, Lang::Ja) => format!(
                "UTF-16 として正しくないコード単位 {} 個を U+FFFD として行の中で読みました",
                grouped(*replaced)
            ),
            (Note::DamagedGzipMember { member, read }, Lang::En) => format!(
                "gzip member {member} also damaged (after {read} compressed bytes); reading went on with the next member"
            ),
            (Note::DamagedGzipMember { member, read }, Lang::Ja) => format!(
                "gzip のメンバー {member} も壊れています（圧縮データ {read} バイト目の後）。次のメンバーから読み続けました"
            ),
        }
    }
}

/// What was recognised in the input. Serialized with its fields and `description`: `{en, ja}`,
/// [`ShapeReport::describe`] in both languages (what the page shows).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShapeReport {
    /// The shape of the text (inside any gzip/base64 layers).
    pub kind: ShapeKind,
    /// The character encoding of the text (inside any gzip/base64 layers).
    pub encoding: Encoding,
    /// The input (or a payload inside it) was gzip-compressed.
    pub gzip: bool,
    /// Gzip members read (concatenated members are common in S3 and Firehose objects).
    pub gzip_members: u32,
    /// The input (or a payload inside it) was base64-encoded.
    pub base64: bool,
    /// A console or export timestamp was removed from the front of at least one line.
    pub timestamp_prefix: bool,
    /// Subscription `CONTROL_MESSAGE` payloads seen (they carry no records).
    pub control_messages: u64,
    /// Further observations.
    pub notes: Vec<Note>,
}

impl ShapeReport {
    /// One line for people, the page's wording: "base64 → gzip (2 members) → CloudWatch Logs CSV
    /// download; timestamps before the records removed; <notes>".
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if self.base64 {
            parts.push("base64".to_string());
        }
        if self.gzip {
            let n = u64::from(self.gzip_members);
            parts.push(match lang {
                Lang::En => format!("gzip ({})", plural(n, "member", "members")),
                Lang::Ja => format!("gzip（メンバー {} 個）", grouped(n)),
            });
        }
        if self.encoding != Encoding::Utf8 {
            parts.push(self.encoding.label(lang).to_string());
        }
        parts.push(self.kind.label(lang).to_string());
        let mut s = parts.join(" → ");
        if self.timestamp_prefix {
            s.push_str("; ");
            s.push_str(match lang {
                Lang::En => "timestamps before the records removed",
                Lang::Ja => "レコード前のタイムスタンプを除去",
            });
        }
        for note in &self.notes {
            s.push_str("; ");
            s.push_str(&note.message(lang));
        }
        s
    }
}

impl Serialize for ShapeReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(Serialize)]
        struct Description {
            en: String,
            ja: String,
        }
        let mut s = serializer.serialize_struct("ShapeReport", 9)?;
        s.serialize_field("kind", &self.kind)?;
        s.serialize_field("encoding", &self.encoding)?;
        s.serialize_field("gzip", &self.gzip)?;
        s.serialize_field("gzip_members", &self.gzip_members)?;
        s.serialize_field("base64", &self.base64)?;
        s.serialize_field("timestamp_prefix", &self.timestamp_prefix)?;
        s.serialize_field("control_messages", &self.control_messages)?;
        s.serialize_field("notes", &self.notes)?;
        s.serialize_field(
            "description",
            &Description {
                en: self.describe(Lang::En),
                ja: self.describe(Lang::Ja),
            },
        )?;
        s.end()
    }
}

/// Why a wrapper line carries no record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A CSV header row (`timestamp,message`, `@timestamp,@message,...`).
    CsvHeader,
    /// The header row of a Logs Insights console table (`#  @timestamp  @message`).
    TableHeader,
    /// A JSON object or event without a `message` / `@message` string.
    NoMessage,
    /// A subscription `CONTROL_MESSAGE` payload.
    ControlMessage,
}

impl Reason {
    /// The reason for people.
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Reason::CsvHeader, Lang::En) => "CSV header",
            (Reason::CsvHeader, Lang::Ja) => "CSV のヘッダー",
            (Reason::TableHeader, Lang::En) => "Logs Insights table header",
            (Reason::TableHeader, Lang::Ja) => "Logs Insights の表のヘッダー",
            (Reason::NoMessage, Lang::En) => "JSON without a message",
            (Reason::NoMessage, Lang::Ja) => "message のない JSON",
            (Reason::ControlMessage, Lang::En) => "CONTROL_MESSAGE (no records)",
            (Reason::ControlMessage, Lang::Ja) => "CONTROL_MESSAGE（レコードなし）",
        }
    }
}

/// Why one line or document of a wrapper could not be read (the rest of the input still is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WrapperProblem {
    /// Not valid JSON; the parser's message (English).
    InvalidJson(String),
    /// Valid JSON, but no shape this module knows (no events, logEvents, message, @message...).
    UnknownJson,
    /// Text between JSON documents.
    TextOutsideJson,
    /// A CSV row whose quoted field is not closed on its line.
    UnclosedQuote,
    /// A CSV row without the message column.
    MissingColumn {
        /// The message column, from 1.
        column: usize,
        /// Columns on the row.
        found: usize,
    },
    /// A payload embedded in JSON (`awslogs.data`, `kinesis.data`, ...) could not be decoded.
    EmbeddedData(ShapeErrorKind),
    /// A JSON event (or member of a document object) larger than any log event; it was read
    /// past, not kept.
    EventTooLarge {
        /// The largest event read, in bytes.
        limit: u64,
    },
    /// A JSON event nested deeper than any log event.
    TooDeep {
        /// The deepest nesting read.
        limit: u32,
    },
    /// A line longer than any record can be; only its start was kept.
    LineTooLong {
        /// The longest line read whole, in bytes.
        limit: u64,
    },
}

impl WrapperProblem {
    /// The problem for people.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (WrapperProblem::InvalidJson(e), Lang::En) => format!("invalid JSON: {e}"),
            (WrapperProblem::InvalidJson(e), Lang::Ja) => format!("JSON として読めません: {e}"),
            (WrapperProblem::UnknownJson, Lang::En) => {
                "JSON without events, logEvents, message or @message".into()
            }
            (WrapperProblem::UnknownJson, Lang::Ja) => {
                "events・logEvents・message・@message のいずれもない JSON".into()
            }
            (WrapperProblem::TextOutsideJson, Lang::En) => "text outside the JSON documents".into(),
            (WrapperProblem::TextOutsideJson, Lang::Ja) => "JSON の外にあるテキスト".into(),
            (WrapperProblem::UnclosedQuote, Lang::En) => "CSV row with an unclosed quote".into(),
            (WrapperProblem::UnclosedQuote, Lang::Ja) => "引用符が閉じていない CSV 行".into(),
            (WrapperProblem::MissingColumn { column, found }, Lang::En) => {
                format!("CSV row has {found} column(s), the message is in column {column}")
            }
            (WrapperProblem::MissingColumn { column, found }, Lang::Ja) => {
                format!("CSV 行の列は {found} 個ですが、message は {column} 列目です")
            }
            (WrapperProblem::EmbeddedData(e), Lang::En) => {
                format!("embedded payload: {}", e.message(lang))
            }
            (WrapperProblem::EmbeddedData(e), Lang::Ja) => {
                format!("埋め込まれたペイロード: {}", e.message(lang))
            }
            (WrapperProblem::EventTooLarge { limit }, Lang::En) => format!(
                "this JSON event is larger than {limit} bytes, larger than any log event; it was skipped"
            ),
            (WrapperProblem::EventTooLarge { limit }, Lang::Ja) => format!(
                "この JSON イベントは {limit} バイトを超えています（どのログイベントよりも大きい）。読み飛ばしました"
            ),
            (WrapperProblem::TooDeep { limit }, Lang::En) => format!(
                "this JSON event is nested more than {limit} levels deep, deeper than any log event; it was skipped"
            ),
            (WrapperProblem::TooDeep { limit }, Lang::Ja) => format!(
                "この JSON イベントは入れ子が {limit} 段を超えています（どのログイベントよりも深い）。読み飛ばしました"
            ),
            (WrapperProblem::LineTooLong { limit }, Lang::En) => format!(
                "the line is longer than {limit} bytes, longer than any flow log record; only its start was read"
            ),
            (WrapperProblem::LineTooLong { limit }, Lang::Ja) => format!(
                "行が {limit} バイトを超えています（どのフローログレコードよりも長い）。先頭だけを読みました"
            ),
        }
    }
}

/// One logical line of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unwrapped<'a> {
    /// A candidate record (or header) text, prefix removed. Blank lines are lines with empty text.
    Line {
        /// Line of the (decompressed) text from 1 for line shapes; message/event from 1 for JSON
        /// document shapes.
        number: u64,
        /// The text, without its line end.
        text: &'a str,
    },
    /// A wrapper line that carries no record.
    Ignored {
        /// Numbered like [`Unwrapped::Line`].
        number: u64,
        /// Why.
        reason: Reason,
    },
    /// A wrapper line or document that could not be read.
    Error {
        /// Numbered like [`Unwrapped::Line`].
        number: u64,
        /// What was wrong.
        problem: WrapperProblem,
        /// The raw text (JSON documents shortened to their first 1000 bytes).
        raw: &'a str,
    },
}

impl Unwrapped<'_> {
    /// The line (or message) number.
    pub fn number(&self) -> u64 {
        match self {
            Unwrapped::Line { number, .. }
            | Unwrapped::Ignored { number, .. }
            | Unwrapped::Error { number, .. } => *number,
        }
    }
}

/// Why the input as a whole could not be read to its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShapeErrorKind {
    /// The gzip data ends early (a cut download). Complete lines before the cut were delivered.
    TruncatedGzip {
        /// The member being read, from 1.
        member: u32,
        /// Compressed bytes read.
        read: u64,
        /// Bytes decompressed before the end.
        decompressed: u64,
    },
    /// The gzip data is damaged.
    CorruptGzip {
        /// The member being read, from 1.
        member: u32,
        /// Compressed bytes read before the damage.
        read: u64,
        /// The decompressor's message (English).
        detail: String,
        /// Reading went on with the next member (the input's own gzip, not an embedded payload).
        resumed: bool,
    },
    /// An archive or compression flowlens does not read (nothing was decoded).
    Unsupported {
        /// What it is.
        container: Container,
    },
    /// A character that is not base64 in base64 input.
    InvalidBase64 {
        /// Its byte offset in the base64 text.
        offset: u64,
    },
    /// The input ends inside a JSON document.
    TruncatedJson {
        /// Bytes of the unfinished document.
        bytes: u64,
    },
    /// A JSON document (or embedded payload) larger than the limit.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
}

impl ShapeErrorKind {
    /// The error for people.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ShapeErrorKind::TruncatedGzip { member, read, decompressed }, Lang::En) => format!(
                "the gzip data is truncated: it ends inside member {member} after {read} compressed bytes ({decompressed} bytes decompressed); the lines before the cut were read"
            ),
            (ShapeErrorKind::TruncatedGzip { member, read, decompressed }, Lang::Ja) => format!(
                "gzip データが途中で切れています: メンバー {member} の途中、圧縮データ {read} バイト（展開後 {decompressed} バイト）で終わっています。切れる前の行は読み込みました"
            ),
            (ShapeErrorKind::CorruptGzip { member, read, detail, resumed: false }, Lang::En) => format!(
                "the gzip data is damaged in member {member} after {read} compressed bytes: {detail}; the lines before were read"
            ),
            (ShapeErrorKind::CorruptGzip { member, read, detail, resumed: false }, Lang::Ja) => format!(
                "gzip データが壊れています（メンバー {member}、圧縮データ {read} バイト目の後）: {detail}。それより前の行は読み込みました"
            ),
            (ShapeErrorKind::CorruptGzip { member, read, detail, resumed: true }, Lang::En) => format!(
                "the gzip data is damaged in member {member} after {read} compressed bytes: {detail}; the lines before were read, a line cut by the damage is read as it stands, and reading went on with the next member"
            ),
            (ShapeErrorKind::CorruptGzip { member, read, detail, resumed: true }, Lang::Ja) => format!(
                "gzip データが壊れています（メンバー {member}、圧縮データ {read} バイト目の後）: {detail}。それより前の行は読み込み、壊れた箇所で切れた行はそのまま読み、次のメンバーから読み続けました"
            ),
            (ShapeErrorKind::Unsupported { container: Container::Zip }, Lang::En) => {
                "this is a ZIP archive, which flowlens does not read: unzip it and give the .log, .gz, .json or .csv files inside".into()
            }
            (ShapeErrorKind::Unsupported { container: Container::Zip }, Lang::Ja) => {
                "これは ZIP アーカイブで、flowlens は読めません。展開して（unzip）、中の .log・.gz・.json・.csv ファイルを渡してください".into()
            }
            (ShapeErrorKind::Unsupported { container }, Lang::En) => format!(
                "the input is compressed with {}, which flowlens does not read; decompress it first ({}), or give it as gzip",
                container.name(),
                container.command()
            ),
            (ShapeErrorKind::Unsupported { container }, Lang::Ja) => format!(
                "入力は {} で圧縮されていて、flowlens は読めません。先に展開するか（{}）、gzip にして渡してください",
                container.name(),
                container.command()
            ),
            (ShapeErrorKind::InvalidBase64 { offset }, Lang::En) => {
                format!("not base64 at byte {offset}")
            }
            (ShapeErrorKind::InvalidBase64 { offset }, Lang::Ja) => {
                format!("{offset} バイト目が base64 ではありません")
            }
            (ShapeErrorKind::TruncatedJson { bytes }, Lang::En) => {
                format!("the input ends inside a JSON document ({bytes} bytes unfinished)")
            }
            (ShapeErrorKind::TruncatedJson { bytes }, Lang::Ja) => {
                format!("JSON ドキュメントの途中で入力が終わっています（未完の {bytes} バイト）")
            }
            (ShapeErrorKind::TooLarge { limit }, Lang::En) => {
                format!("a JSON document or payload is larger than {limit} bytes")
            }
            (ShapeErrorKind::TooLarge { limit }, Lang::Ja) => {
                format!("JSON ドキュメントまたはペイロードが {limit} バイトを超えています")
            }
        }
    }
}

/// The input could not be read to its end. Lines delivered before stay valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    /// What went wrong.
    pub kind: ShapeErrorKind,
    /// What had been recognised before.
    pub report: ShapeReport,
}

impl ShapeError {
    /// The error for people.
    pub fn message(&self, lang: Lang) -> String {
        self.kind.message(lang)
    }
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind.message(Lang::En))
    }
}

impl std::error::Error for ShapeError {}

/// Streams an input through shape recognition. Feed chunks with [`Unwrapper::push`], end with
/// [`Unwrapper::finish`]; after `finish` the unwrapper is ready for a new input.
pub struct Unwrapper {
    stage: Stage,
    cx: Cx,
    failed: Option<ShapeErrorKind>,
}

impl Default for Unwrapper {
    fn default() -> Self {
        Unwrapper::new()
    }
}

impl fmt::Debug for Unwrapper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unwrapper")
            .field("report", &self.cx.report)
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

impl Unwrapper {
    /// An unwrapper buffering JSON documents up to [`DEFAULT_DOCUMENT_LIMIT`].
    pub fn new() -> Self {
        Unwrapper::with_document_limit(DEFAULT_DOCUMENT_LIMIT)
    }

    /// An unwrapper buffering JSON documents (and embedded payloads) up to `limit` bytes.
    pub fn with_document_limit(limit: usize) -> Self {
        Unwrapper {
            stage: Stage::sniff(),
            cx: Cx {
                report: ShapeReport::default(),
                limit,
                damage: Vec::new(),
            },
            failed: None,
        }
    }

    /// Feeds the next chunk of the input (any size; boundaries may split anything). Calls `sink`
    /// for each complete logical line. After an error, further input is ignored.
    pub fn push(&mut self, chunk: &[u8], sink: &mut dyn FnMut(Unwrapped<'_>)) {
        if self.failed.is_none() {
            if let Err(e) = self.stage.push(chunk, &mut self.cx, sink) {
                self.failed = Some(e);
            }
        }
    }

    /// True once the input has proved unreadable ([`Unwrapper::finish`] will say why); a caller
    /// may stop reading.
    pub fn is_failed(&self) -> bool {
        self.failed.is_some()
    }

    /// What has been recognised so far.
    pub fn report(&self) -> &ShapeReport {
        &self.cx.report
    }

    /// Ends the input: delivers the last line and returns the report, or the error that made the
    /// input unreadable (lines already delivered stay valid).
    pub fn finish(
        &mut self,
        sink: &mut dyn FnMut(Unwrapped<'_>),
    ) -> Result<ShapeReport, ShapeError> {
        let limit = self.cx.limit;
        let mut this = std::mem::replace(self, Unwrapper::with_document_limit(limit));
        let result = match this.failed.take() {
            Some(e) => Err(e),
            None => this.stage.finish(&mut this.cx, sink),
        };
        let mut report = this.cx.report;
        // The first damage a gzip read on from is the input's error, unless a later one stopped
        // the reading; the others are notes.
        let mut damage = this.cx.damage.into_iter();
        let result = match result {
            Ok(()) => damage.next().map_or(Ok(()), Err),
            Err(e) => Err(e),
        };
        for d in damage {
            if let ShapeErrorKind::CorruptGzip { member, read, .. } = d {
                report.notes.push(Note::DamagedGzipMember { member, read });
            }
        }
        if report.control_messages > 0 {
            report.notes.insert(
                0,
                Note::ControlMessages {
                    count: report.control_messages,
                },
            );
        }
        match result {
            Ok(()) => Ok(report),
            Err(kind) => Err(ShapeError { kind, report }),
        }
    }
}

/// Unwraps a whole input held in memory.
pub fn unwrap_bytes(
    input: &[u8],
    sink: &mut dyn FnMut(Unwrapped<'_>),
) -> Result<ShapeReport, ShapeError> {
    let mut u = Unwrapper::new();
    u.push(input, sink);
    u.finish(sink)
}

type Sink<'s> = dyn FnMut(Unwrapped<'_>) + 's;

/// State shared by all stages: the report being built and the buffering limit.
struct Cx {
    report: ShapeReport,
    limit: usize,
    /// Damaged gzip members read past, in order.
    damage: Vec<ShapeErrorKind>,
}

impl Cx {
    /// Records the shape of a container; a second, different shape becomes a note.
    fn set_kind(&mut self, kind: ShapeKind) {
        let current = self.report.kind;
        if matches!(current, ShapeKind::Empty | ShapeKind::OtherJson) {
            self.report.kind = kind;
        } else if current != kind && kind != ShapeKind::OtherJson {
            self.note(Note::MixedShapes { also: kind });
        }
    }

    /// Records a shape only if none is known yet (records inside a known container).
    fn suggest_kind(&mut self, kind: ShapeKind) {
        if matches!(self.report.kind, ShapeKind::Empty | ShapeKind::OtherJson) {
            self.report.kind = kind;
        }
    }

    /// Records the encoding of a text layer (the first that is not plain UTF-8 is kept).
    fn set_encoding(&mut self, encoding: Encoding) {
        if self.report.encoding == Encoding::Utf8 {
            self.report.encoding = encoding;
        }
    }

    fn note(&mut self, note: Note) {
        if !self.report.notes.contains(&note) {
            self.report.notes.push(note);
        }
    }
}

/// One layer of the pipeline.
enum Stage {
    /// Not decided yet: buffering the first bytes.
    Sniff(Sniffer),
    Gzip(Box<gunzip::Gunzip>),
    Base64(Box<unbase64::Unbase64>),
    Utf16(Box<utf16::Utf16Stage>),
    Text(Box<lines::TextStage>),
    Json(Box<json::JsonStage>),
    /// Collects bytes (a payload embedded in JSON, decoded whole).
    Collect(Vec<u8>),
}

impl Stage {
    fn sniff() -> Stage {
        Stage::Sniff(Sniffer::default())
    }

    fn push(
        &mut self,
        data: &[u8],
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        match self {
            Stage::Sniff(s) => {
                // Taken in slices so that a whole input pushed at once is not copied here.
                let mut rest = data;
                while !rest.is_empty() {
                    let (piece, after) = rest.split_at(rest.len().min(SNIFF_PIECE));
                    rest = after;
                    s.buf.extend_from_slice(piece);
                    if let Some(d) = s.decide(false, cx.limit)? {
                        self.become_decided(d, cx, sink)?;
                        return self.push(rest, cx, sink);
                    }
                }
                Ok(())
            }
            Stage::Gzip(g) => g.push(data, cx, sink),
            Stage::Base64(b) => b.push(data, cx, sink),
            Stage::Utf16(u) => u.push(data, cx, sink),
            Stage::Text(t) => {
                t.push(data, cx, sink);
                Ok(())
            }
            Stage::Json(j) => j.push(data, cx, sink),
            Stage::Collect(v) => {
                if v.len() + data.len() > cx.limit {
                    return Err(ShapeErrorKind::TooLarge {
                        limit: cx.limit as u64,
                    });
                }
                v.extend_from_slice(data);
                Ok(())
            }
        }
    }

    fn finish(&mut self, cx: &mut Cx, sink: &mut Sink<'_>) -> Result<(), ShapeErrorKind> {
        match self {
            Stage::Sniff(s) => {
                let d = s
                    .decide(true, cx.limit)?
                    .expect("a decision is always made at the end");
                self.become_decided(d, cx, sink)?;
                self.finish(cx, sink)
            }
            Stage::Gzip(g) => g.finish(cx, sink),
            Stage::Base64(b) => b.finish(cx, sink),
            Stage::Utf16(u) => u.finish(cx, sink),
            Stage::Text(t) => {
                t.finish(cx, sink);
                Ok(())
            }
            Stage::Json(j) => j.finish(cx, sink),
            Stage::Collect(_) => Ok(()),
        }
    }

    /// Replaces the sniffer with the stage it decided on and replays the buffered bytes.
    fn become_decided(
        &mut self,
        decision: Decision,
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        let Stage::Sniff(sniffer) = std::mem::replace(self, Stage::Collect(Vec::new())) else {
            unreachable!("only a sniffer decides");
        };
        let mut skip = 0;
        *self = match decision {
            Decision::Empty => {
                // Nothing, or only a byte order mark.
                if sniffer.buf.starts_with(BOM) {
                    cx.set_encoding(Encoding::Utf8Bom);
                }
                skip = sniffer.buf.len();
                Stage::Text(Box::new(lines::TextStage::new(lines::TextKind::Lines)))
            }
            Decision::Gzip => {
                cx.report.gzip = true;
                Stage::Gzip(Box::new(gunzip::Gunzip::resuming(Stage::sniff())))
            }
            Decision::Signature(Signature::Utf16 { little_endian }) => {
                cx.set_encoding(if little_endian {
                    Encoding::Utf16Le
                } else {
                    Encoding::Utf16Be
                });
                skip = UTF16_LE_BOM.len();
                Stage::Utf16(Box::new(utf16::Utf16Stage::new(
                    little_endian,
                    Stage::sniff(),
                )))
            }
            Decision::Signature(Signature::Unsupported(container)) => {
                return Err(ShapeErrorKind::Unsupported { container });
            }
            Decision::Base64 => {
                cx.report.base64 = true;
                Stage::Base64(Box::new(unbase64::Unbase64::new(Stage::sniff())))
            }
            Decision::Text { bom, kind } => {
                skip = if bom { BOM.len() } else { 0 };
                if bom {
                    cx.set_encoding(Encoding::Utf8Bom);
                }
                cx.set_kind(kind.shape());
                Stage::Text(Box::new(lines::TextStage::new(kind)))
            }
            Decision::Json { bom } => {
                skip = if bom { BOM.len() } else { 0 };
                if bom {
                    cx.set_encoding(Encoding::Utf8Bom);
                }
                cx.set_kind(ShapeKind::OtherJson);
                Stage::Json(Box::new(json::JsonStage::new()))
            }
        };
        self.push(&sniffer.buf[skip..], cx, sink)
    }
}

const BOM: &[u8] = UTF8_BOM;

/// What the first bytes of a layer may say at once.
#[derive(Clone, Copy)]
enum Signature {
    Utf16 { little_endian: bool },
    Unsupported(Container),
}

/// Signatures of the first bytes: each byte of a signature is one of a set.
const SIGNATURES: &[(&[&[u8]], Signature)] = &[
    (
        &[b"\xFF", b"\xFE"],
        Signature::Utf16 {
            little_endian: true,
        },
    ),
    (
        &[b"\xFE", b"\xFF"],
        Signature::Utf16 {
            little_endian: false,
        },
    ),
    (
        &[b"P", b"K", b"\x03\x05\x07", b"\x04\x06\x08"],
        Signature::Unsupported(Container::Zip),
    ),
    // bzip2: "BZh", the block size, then the first block's or the end's magic.
    (
        &[b"B", b"Z", b"h", b"123456789", b"\x31\x17"],
        Signature::Unsupported(Container::Bzip2),
    ),
    (
        &[b"\xFD", b"7", b"z", b"X", b"Z", b"\x00"],
        Signature::Unsupported(Container::Xz),
    ),
    (
        &[b"\x28", b"\xB5", b"\x2F", b"\xFD"],
        Signature::Unsupported(Container::Zstd),
    ),
    (
        &[b"7", b"z", b"\xBC", b"\xAF", b"\x27", b"\x1C"],
        Signature::Unsupported(Container::SevenZip),
    ),
];

/// How far `buf` matches a signature: `Some(true)` whole, `Some(false)` so far (more bytes
/// needed), `None` not.
fn signature_match(signature: &[&[u8]], buf: &[u8]) -> Option<bool> {
    let n = signature.len().min(buf.len());
    signature[..n]
        .iter()
        .zip(&buf[..n])
        .all(|(set, b)| set.contains(b))
        .then_some(n == signature.len())
}

/// Bytes added to the sniffer's buffer between two attempts to decide.
const SNIFF_PIECE: usize = 4 << 10;

/// A first line longer than this, in a shape that could still be CSV, is taken as plain lines.
const SNIFF_LINE_LIMIT: usize = 64 << 10;

enum Decision {
    Empty,
    Gzip,
    Base64,
    Signature(Signature),
    Text { bom: bool, kind: lines::TextKind },
    Json { bom: bool },
}

/// Buffers the start of a layer until its shape is clear: gzip magic, base64 of gzip or JSON,
/// JSON (`{`, `[`), a CSV header with a message column, or else plain lines.
#[derive(Default)]
struct Sniffer {
    buf: Vec<u8>,
    /// Position of the first byte that is not whitespace, once found.
    first: Option<usize>,
    /// Bytes already searched (for the first non-blank byte, then for its line end).
    scanned: usize,
}

impl Sniffer {
    fn decide(&mut self, eof: bool, limit: usize) -> Result<Option<Decision>, ShapeErrorKind> {
        let buf = &self.buf;
        if buf.is_empty() {
            return Ok(eof.then_some(Decision::Empty));
        }
        let mut wait = false;
        for (signature, what) in SIGNATURES {
            match signature_match(signature, buf) {
                Some(true) => return Ok(Some(Decision::Signature(*what))),
                Some(false) => wait = true,
                None => {}
            }
        }
        if wait && !eof {
            return Ok(None);
        }
        if buf[0] == 0x1f {
            if buf.len() == 1 && !eof {
                return Ok(None);
            }
            if buf.get(1) == Some(&0x8b) {
                return Ok(Some(Decision::Gzip));
            }
        }
        if !eof && buf.len() < BOM.len() && BOM.starts_with(buf) {
            return Ok(None);
        }
        let bom = buf.starts_with(BOM);
        let start = if bom { BOM.len() } else { 0 };
        let text = |kind| Ok(Some(Decision::Text { bom, kind }));
        let first = match self.first {
            Some(p) => p,
            None => {
                let from = self.scanned.max(start);
                match buf[from..].iter().position(|b| !b.is_ascii_whitespace()) {
                    Some(i) => {
                        self.first = Some(from + i);
                        self.scanned = from + i;
                        from + i
                    }
                    None => {
                        self.scanned = buf.len();
                        if eof {
                            return if start == buf.len() {
                                Ok(Some(Decision::Empty))
                            } else {
                                text(lines::TextKind::Lines)
                            };
                        }
                        if buf.len() > SNIFF_LINE_LIMIT {
                            return text(lines::TextKind::Lines);
                        }
                        return Ok(None);
                    }
                }
            }
        };
        let c = buf[first];
        if c == b'[' {
            return Ok(Some(Decision::Json { bom }));
        }
        if unbase64::is_base64_byte(c) {
            let head = &buf[first..buf.len().min(first + 8)];
            if head.len() < 8 && !eof && head.iter().all(|&b| unbase64::is_base64_byte(b)) {
                return Ok(None);
            }
            if unbase64::looks_like_payload(head) {
                return Ok(Some(Decision::Base64));
            }
        }
        let end = match buf[self.scanned..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
        {
            Some(i) => self.scanned + i,
            None if eof => buf.len(),
            None => {
                self.scanned = buf.len();
                let long = buf.len() - first;
                if c == b'{' {
                    // Longer than any JSON line (one event): a document (often minified on one
                    // line), read as a stream.
                    if long > limit.min(json::EVENT_LIMIT) {
                        return Ok(Some(Decision::Json { bom }));
                    }
                } else if long > SNIFF_LINE_LIMIT {
                    return text(lines::TextKind::Lines);
                }
                return Ok(None);
            }
        };
        let line = String::from_utf8_lossy(&buf[first..end]);
        if c == b'{' {
            return if json::is_json_line(&line) {
                text(lines::TextKind::JsonLines)
            } else {
                Ok(Some(Decision::Json { bom }))
            };
        }
        if let Some(table) = lines::Table::from_first_line(&line) {
            return text(lines::TextKind::Table(table));
        }
        match lines::Csv::from_header(&line) {
            Some(csv) => text(lines::TextKind::Csv(csv)),
            None => text(lines::TextKind::Lines),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8]) -> (Vec<String>, Result<ShapeReport, ShapeError>) {
        let mut out = Vec::new();
        let mut sink = |u: Unwrapped<'_>| {
            out.push(match u {
                Unwrapped::Line { number, text } => format!("{number}:{text}"),
                Unwrapped::Ignored { number, reason } => format!("{number}:ignored {reason:?}"),
                Unwrapped::Error {
                    number, problem, ..
                } => format!("{number}:error {problem:?}"),
            })
        };
        let r = unwrap_bytes(input, &mut sink);
        (out, r)
    }

    #[test]
    fn empty_input_has_no_lines() {
        let (out, r) = run(b"");
        assert!(out.is_empty());
        assert_eq!(r.unwrap().kind, ShapeKind::Empty);
        let (out, r) = run(BOM);
        assert!(out.is_empty());
        assert_eq!(r.unwrap().kind, ShapeKind::Empty);
    }

    #[test]
    fn whitespace_only_is_blank_lines() {
        let (out, r) = run(b"\n \n");
        assert_eq!(out, ["1:", "2: "]);
        assert_eq!(r.unwrap().kind, ShapeKind::Lines);
    }

    #[test]
    fn a_lone_gzip_magic_byte_is_text() {
        let (out, _) = run(b"\x1f");
        assert_eq!(out, ["1:\u{1f}"]);
    }

    #[test]
    fn a_long_first_line_is_decided_without_its_end() {
        let long = "x".repeat(SNIFF_LINE_LIMIT + 10);
        let mut u = Unwrapper::new();
        let mut n = 0;
        u.push(long.as_bytes(), &mut |_| n += 1);
        assert!(matches!(u.stage, Stage::Text(_)));
        u.finish(&mut |_| n += 1).unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_first_json_line_over_the_limit_is_a_document() {
        let mut u = Unwrapper::with_document_limit(100);
        let mut n = 0;
        u.push(&[b'{'; 200], &mut |_| n += 1);
        assert!(matches!(u.stage, Stage::Json(_)));
        let e = u.finish(&mut |_| n += 1).unwrap_err();
        assert_eq!(e.kind, ShapeErrorKind::TruncatedJson { bytes: 200 });
        assert_eq!(n, 1, "one error for the broken document");
    }

    #[test]
    fn describe_reads_well() {
        let report = ShapeReport {
            kind: ShapeKind::CloudWatchCsv,
            gzip: true,
            gzip_members: 2,
            ..ShapeReport::default()
        };
        assert_eq!(
            report.describe(Lang::En),
            "gzip (2 members) → CloudWatch Logs CSV download"
        );
        assert_eq!(
            report.describe(Lang::Ja),
            "gzip（メンバー 2 個） → CloudWatch Logs の CSV ダウンロード"
        );
        // The page's wording, in both languages: singular, grouped digits, "; " before extras.
        let report = ShapeReport {
            kind: ShapeKind::SubscriptionPayload,
            encoding: Encoding::Utf8,
            gzip: true,
            gzip_members: 1,
            base64: true,
            timestamp_prefix: true,
            control_messages: 1,
            notes: vec![
                Note::ControlMessages { count: 1 },
                Note::TrailingBytesAfterGzip { bytes: 12345 },
                Note::MixedShapes {
                    also: ShapeKind::JsonLines,
                },
            ],
        };
        assert_eq!(
            report.describe(Lang::En),
            "base64 → gzip (1 member) → CloudWatch Logs subscription payload; timestamps before \
             the records removed; 1 CONTROL_MESSAGE payload (CloudWatch Logs checking the \
             destination) with no records; 12,345 bytes after the last gzip member ignored; also \
             contains JSON Lines"
        );
        assert_eq!(
            report.describe(Lang::Ja),
            "base64 → gzip（メンバー 1 個） → CloudWatch Logs サブスクリプションのペイロード; \
             レコード前のタイムスタンプを除去; CONTROL_MESSAGE のペイロード 1 件（CloudWatch Logs \
             による送信先の確認）にはレコードがありません; 最後の gzip メンバーの後の 12,345 \
             バイトを無視しました; 次の形も含みます: JSON Lines"
        );
    }

    #[test]
    fn the_report_carries_its_description_in_both_languages() {
        let report = ShapeReport {
            kind: ShapeKind::Lines,
            gzip: true,
            gzip_members: 2,
            ..ShapeReport::default()
        };
        let v = serde_json::to_value(&report).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "kind": "lines", "encoding": "utf8", "gzip": true, "gzip_members": 2, "base64": false,
                "timestamp_prefix": false, "control_messages": 0, "notes": [],
                "description": {"en": "gzip (2 members) → lines of text",
                                "ja": "gzip（メンバー 2 個） → テキストの行"}
            })
        );
    }
}
