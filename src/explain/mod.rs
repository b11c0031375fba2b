//! Annotations of each field and the one-sentence summary of a record, in English and Japanese.
//! Explanation text is produced only for what is shown, from the typed values and the classifiers.
//!
//! - [`address`]: everything known about an address (scope, AWS's well-known addresses, AWS ranges).
//! - [`annotate`]: one field's annotation: explanation, decoded value, raw token and typed extras.
//! - [`summary`]: the one-sentence summary.
//! - [`codes`]: the names of coded values (tcp-flags, traffic-path, encryption-status, ...).
//! - [`Explain`]: the entries of a decoded input (or a store) explained, as the page and the CLI
//!   receive them.
//! - [`hints`]: advice on what a record means (blocked scans, network ACLs, NODATA, ...).

pub mod address;
pub mod annotate;
pub mod codes;
mod entries;
pub mod hints;
pub mod summary;

pub use crate::facts::InputFacts;
pub use address::AddrInfo;
pub use entries::{record_text, Explain};
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
use serde_json::{json, Map, Value as Json};

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

/// Whether traffic goes into or out of the record's network interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Into the interface.
    Inbound,
    /// Out of the interface.
    Outbound,
}

impl Direction {
    /// "inbound" / "outbound".
    pub fn key(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
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

/// A record as the CLI's `--json` prints it, explained from the record alone (see
/// [`record_json_in`] for the keys).
pub fn record_json(
    line: u64,
    raw: &str,
    rec: &RecordRef<'_>,
    ctx: &Context<'_>,
    lang: Lang,
) -> Json {
    record_json_in(line, raw, rec, ctx, &InputFacts::default(), lang)
}

/// A record as the page receives it, explained with what the whole input tells (`input`):
/// `{"line", "raw", "fields", "annotations", "summary", "roles", "direction",
/// "interface_address", "hints"}`.
pub fn record_json_in(
    line: u64,
    raw: &str,
    rec: &RecordRef<'_>,
    ctx: &Context<'_>,
    input: &InputFacts,
    lang: Lang,
) -> Json {
    let mut fields = Map::new();
    let mut annotations = Map::new();
    let mut raw_tokens = tokens(raw);
    for (column, value) in rec.format.columns.iter().zip(rec.values) {
        let token = raw_tokens.next().unwrap_or("");
        let json_value = match value {
            ValueRef::Absent => Json::Null,
            ValueRef::UInt(n) => json!(n),
            ValueRef::Addr(a) => json!(a.to_string()),
            ValueRef::Text(t) => json!(t),
        };
        let annotation = match column {
            Column::Known(field) => {
                let spec = field.spec();
                annotate::annotate(spec.key, spec.kind, *value, token, rec, ctx, input, lang)
            }
            Column::Unknown(name) => annotate::annotate_unknown(name, token, lang),
        };
        fields.insert(column.name().to_string(), json_value);
        annotations.insert(column.name().to_string(), annotation);
    }
    let roles = rec.roles().map(|r| {
        let (client, server) = if r.is_request() {
            ("srcaddr", "dstaddr")
        } else {
            ("dstaddr", "srcaddr")
        };
        json!({
            "client": client,
            "server": server,
            "direction": if r.is_request() { "request" } else { "reply" },
        })
    });
    json!({
        "line": line,
        "raw": raw,
        "fields": fields,
        "annotations": annotations,
        "summary": summary_in(rec, ctx, input, lang),
        "roles": roles,
        "direction": rec.direction(input).map(Direction::key),
        "interface_address": input.own_address(rec).map(|a| a.to_string()),
        "hints": hints::hints(rec, ctx, input, lang),
    })
}

/// A line that could not be decoded: `{"line", "error", "raw", "field"}`.
pub fn error_json(err: &LineError, raw: &str, lang: Lang) -> Json {
    json!({
        "line": err.line,
        "error": err.message(lang),
        "raw": raw,
        "field": err.field(),
    })
}
