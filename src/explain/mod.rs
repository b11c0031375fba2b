//! Annotations of each field and the one-sentence summary of a record, in English and Japanese.
//! Explanation text is produced only for what is shown, from the typed values and the classifiers.
//!
//! - [`address`]: everything known about an address (scope, AWS's well-known addresses, AWS ranges).
//! - [`annotate`]: one field's annotation: explanation, decoded value, raw token and typed extras.
//! - [`summary`]: the one-sentence summary.
//! - [`codes`]: the names of coded values (tcp-flags, traffic-path, encryption-status, ...).
//! - [`Explain`]: the entries of a decoded input (or a store) explained, as the page and the CLI
//!   receive them.
//! - [`entry`]: the types of those entries ([`Entry`], [`Annotation`], [`Hint`], ...), whose
//!   serialization is the JSON of the page and of the CLI's `--json`.
//! - [`hints`]: advice on what a record means (blocked scans, network ACLs, NODATA, ...).
//! - [`problems`]: the fields whose values do not fit them, as an entry lists them.

pub mod address;
pub mod annotate;
pub mod codes;
mod entries;
pub mod entry;
pub mod hints;
pub mod problems;
pub mod summary;

pub use crate::facts::InputFacts;
pub use address::AddrInfo;
pub use entries::{record_text, Explain};
pub use entry::{
    Annotation, ByField, Direction, Entry, ErrorEntry, Exchange, Extras, FieldValue, FlowRoles,
    Hint, HintKey, RecordEntry,
};
pub use summary::{summary, summary_in};

use crate::classify::aws::regions;
use crate::classify::aws::{AwsPrefix, AwsRanges};
use crate::classify::port::Transport;
use crate::classify::protocol::{self, Protocol};
use crate::classify::roles::{self, Role, Roles};
use crate::ingest::decode::LineError;
use crate::model::fields::id;
use crate::model::format::Column;
pub use crate::model::record::RecordRef;
use crate::model::tokens::tokens;
use crate::model::value::ValueRef;
use crate::text::Lang;
pub(crate) use crate::text::{grouped, plural};

/// What the explanations may consult.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// AWS's address ranges, when loaded.
    pub aws: Option<&'a AwsRanges>,
}

/// What explanations read of a record beyond its values: the transport of its ports, the roles
/// of its two ends, and its direction relative to its interface.
pub trait RecordExt<'a> {
    /// The record's protocol when it is known and has no ports (ICMP, ESP, GRE, ...).
    fn portless_protocol(&self) -> Option<Protocol>;
    /// The transport its ports belong to.
    fn transport(&self) -> Option<Transport>;
    /// Which end is the client and which the server, when the ports tell.
    fn roles(&self) -> Option<Roles>;
    /// The role of the end of field `key` (srcaddr, dstaddr, srcport, dstport), when known.
    fn role_of(&self, key: &str) -> Option<Role>;
    /// Whether the record goes into or out of its network interface: from `flow-direction` when
    /// the record has it, else from the interface's own address found in the input.
    fn direction(&self, input: &InputFacts) -> Option<Direction>;
}

impl<'a> RecordExt<'a> for RecordRef<'a> {
    fn portless_protocol(&self) -> Option<Protocol> {
        let n = u8::try_from(self.uint(id::PROTOCOL)?).ok()?;
        let p = protocol::protocol(n);
        p.transport().is_none().then_some(p)
    }

    fn transport(&self) -> Option<Transport> {
        let n = self.uint(id::PROTOCOL)?;
        protocol::protocol(u8::try_from(n).ok()?).transport()
    }

    fn roles(&self) -> Option<Roles> {
        let t = self.transport()?;
        let port = |k| self.uint(k).and_then(|p| u16::try_from(p).ok());
        roles::roles(port(id::SRCPORT)?, port(id::DSTPORT)?, t)
    }

    fn role_of(&self, key: &str) -> Option<Role> {
        let r = self.roles()?;
        match key {
            "srcaddr" | "srcport" => Some(r.src),
            "dstaddr" | "dstport" => Some(r.dst),
            _ => None,
        }
    }

    fn direction(&self, input: &InputFacts) -> Option<Direction> {
        match self.text(id::FLOW_DIRECTION) {
            Some("ingress") => return Some(Direction::Inbound),
            Some("egress") => return Some(Direction::Outbound),
            _ => {}
        }
        let own = input.own_address(self)?;
        match (self.addr(id::SRCADDR), self.addr(id::DSTADDR)) {
            (Some(s), Some(d)) if s == d => None,
            (Some(s), _) if s == own => Some(Direction::Outbound),
            (_, Some(d)) if d == own => Some(Direction::Inbound),
            _ => None,
        }
    }
}

/// The services of a prefix without the umbrella `AMAZON`, joined with `/`: "EC2", "S3/EC2".
fn services_short(p: &AwsPrefix) -> String {
    let named: Vec<&str> = p
        .services
        .iter()
        .map(|s| &**s)
        .filter(|s| *s != "AMAZON")
        .collect();
    named.join("/")
}

fn region_long(code: &str, lang: Lang) -> String {
    match regions::region_name(code) {
        Some(t) => match lang {
            Lang::En => format!("{code} ({})", t.en),
            Lang::Ja => format!("{code}（{}）", t.ja),
        },
        None => code.to_string(),
    }
}

fn protocol_word(p: &Protocol) -> String {
    if p.keyword.is_empty() {
        format!("protocol {}", p.number)
    } else {
        p.keyword.to_string()
    }
}

/// A record entry explained from the record alone (see [`record_entry_in`]): what the CLI prints
/// of a stream, whose whole-input facts are not known.
pub fn record_entry(
    line: u64,
    raw: &str,
    rec: &RecordRef<'_>,
    ctx: &Context<'_>,
    lang: Lang,
) -> Entry {
    record_entry_in(line, raw, rec, ctx, &InputFacts::default(), lang)
}

/// A record entry as the page receives it, explained with what the whole input tells (`input`).
pub fn record_entry_in(
    line: u64,
    raw: &str,
    rec: &RecordRef<'_>,
    ctx: &Context<'_>,
    input: &InputFacts,
    lang: Lang,
) -> Entry {
    let n = rec.format.columns.len();
    let mut fields = Vec::with_capacity(n);
    let mut annotations = Vec::with_capacity(n);
    let mut raw_tokens = tokens(raw);
    for (column, value) in rec.format.columns.iter().zip(rec.values) {
        let token = raw_tokens.next().unwrap_or("");
        let field_value = match value {
            ValueRef::Absent => FieldValue::Absent,
            ValueRef::UInt(n) => FieldValue::UInt(*n),
            ValueRef::Addr(a) => FieldValue::Addr(*a),
            ValueRef::Text(t) => FieldValue::Text(t.to_string()),
        };
        let annotation = match column {
            Column::Known(field) => {
                let spec = field.spec();
                annotate::annotate(spec.key, spec.kind, *value, token, rec, ctx, input, lang)
            }
            Column::Unknown(name) => annotate::annotate_unknown(name, token, lang),
        };
        fields.push((column.name().to_string(), field_value));
        annotations.push((column.name().to_string(), annotation));
    }
    let problems = problems::problems(rec, lang);
    for p in &problems {
        // The problem is the value's explanation (what the field's kind would say of a value
        // that does not fit it is beside the point).
        if let Some((_, ann)) = annotations.get_mut(p.column) {
            ann.text = p.message.clone();
        }
    }
    let roles = rec.roles().map(|r| {
        let (client, server, direction) = if r.is_request() {
            ("srcaddr", "dstaddr", Exchange::Request)
        } else {
            ("dstaddr", "srcaddr", Exchange::Reply)
        };
        FlowRoles {
            client,
            server,
            direction,
        }
    });
    Entry::Record(Box::new(RecordEntry {
        line,
        raw: raw.to_string(),
        fields: ByField(fields),
        annotations: ByField(annotations),
        summary: summary_in(rec, ctx, input, lang),
        roles,
        direction: rec.direction(input),
        interface_address: input.own_address(rec),
        hints: hints::hints(rec, ctx, input, lang),
        problems,
        file: None,
        file_line: None,
    }))
}

/// A line that could not be decoded, as an entry.
pub fn error_entry(err: &LineError, raw: &str, lang: Lang) -> Entry {
    Entry::Error(ErrorEntry {
        line: err.line,
        error: err.message(lang),
        raw: raw.to_string(),
        field: err.field(),
        file: None,
        file_line: None,
    })
}

/// A line that could not be decoded, of file `file` of an input read as several, where it is
/// line `file_line`: its message names them (`a.log.gz, line 3: ...`); its `line` stays the
/// input's.
pub fn error_entry_in_file(
    err: &LineError,
    raw: &str,
    file: &str,
    file_line: u64,
    lang: Lang,
) -> Entry {
    let local = LineError {
        line: file_line,
        ..err.clone()
    };
    let message = local.message(lang);
    let error = match lang {
        Lang::En => format!("{file}, {message}"),
        Lang::Ja => format!("{file} の {message}"),
    };
    let mut entry = Entry::Error(ErrorEntry {
        line: err.line,
        error,
        raw: raw.to_string(),
        field: err.field(),
        file: None,
        file_line: None,
    });
    entry.locate(file, file_line);
    entry
}
