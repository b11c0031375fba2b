//! Annotations of each field and the one-sentence summary of a record, in English and Japanese.
//! Explanation text is produced only for what is shown, from the typed values and the classifiers.
//!
//! - [`address`]: everything known about an address (scope, AWS's well-known addresses, AWS ranges).
//! - [`annotate`]: one field's annotation: explanation, decoded value, raw token and typed extras.
//! - [`summary`]: the one-sentence summary.
//! - [`codes`]: the names of coded values (tcp-flags, traffic-path, encryption-status, ...).
//! - [`input`]: what the whole input tells about a record (the interface's own address, rejected
//!   replies of accepted flows).
//! - [`hints`]: advice on what a record means (blocked scans, network ACLs, NODATA, ...).

pub mod address;
pub mod annotate;
pub mod codes;
pub mod hints;
pub mod input;
pub mod summary;

pub use address::AddrInfo;
pub use input::InputFacts;
pub use summary::{summary, summary_in};

use crate::classify::aws::{AwsPrefix, AwsRanges};
use crate::classify::port::Transport;
use crate::classify::protocol::{self, Protocol};
use crate::classify::roles::{self, Role, Roles};
use crate::format::{Column, Format};
use crate::lang::Lang;
use crate::parse::{tokens, LineError};
use crate::tables::regions;
use crate::value::Value;
use serde_json::{json, Map, Value as Json};
use std::net::IpAddr;

/// What the explanations may consult.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// AWS's address ranges, when loaded.
    pub aws: Option<&'a AwsRanges>,
}

/// A record: its values in the order of its format.
#[derive(Clone, Copy, Debug)]
pub struct RecordRef<'a> {
    /// The record's format.
    pub format: &'a Format,
    /// Its values.
    pub values: &'a [Value],
}

impl<'a> RecordRef<'a> {
    /// The value of field `key`, if the format has it.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.values.get(self.format.position(key)?)
    }

    fn uint(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(Value::uint)
    }

    fn addr(&self, key: &str) -> Option<IpAddr> {
        self.get(key).and_then(Value::addr)
    }

    fn text(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Value::text)
    }

    /// The record's protocol when it is known and has no ports (ICMP, ESP, GRE, ...).
    fn portless_protocol(&self) -> Option<Protocol> {
        let n = u8::try_from(self.uint("protocol")?).ok()?;
        let p = protocol::protocol(n);
        p.transport().is_none().then_some(p)
    }

    fn transport(&self) -> Option<Transport> {
        let n = self.uint("protocol")?;
        protocol::protocol(u8::try_from(n).ok()?).transport()
    }

    /// Which end is the client and which the server, when the ports tell.
    pub fn roles(&self) -> Option<Roles> {
        let t = self.transport()?;
        let port = |k| self.uint(k).and_then(|p| u16::try_from(p).ok());
        roles::roles(port("srcport")?, port("dstport")?, t)
    }

    /// The role of the end of field `key` (srcaddr, dstaddr, srcport, dstport), when known.
    fn role_of(&self, key: &str) -> Option<Role> {
        let r = self.roles()?;
        match key {
            "srcaddr" | "srcport" => Some(r.src),
            "dstaddr" | "dstport" => Some(r.dst),
            _ => None,
        }
    }

    /// Whether the record goes into or out of its network interface: from `flow-direction` when
    /// the record has it, else from the interface's own address found in the input.
    fn direction(&self, input: &InputFacts) -> Option<Direction> {
        match self.text("flow-direction") {
            Some("ingress") => return Some(Direction::Inbound),
            Some("egress") => return Some(Direction::Outbound),
            _ => {}
        }
        let own = input.own_address(self)?;
        match (self.addr("srcaddr"), self.addr("dstaddr")) {
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

/// `12345` → `12,345`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
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
            Value::Absent => Json::Null,
            Value::UInt(n) => json!(n),
            Value::Addr(a) => json!(a.to_string()),
            Value::Text(t) => json!(t.as_ref()),
        };
        let annotation = match column {
            Column::Known(field) => {
                let spec = field.spec();
                annotate::annotate(spec.key, spec.kind, value, token, rec, ctx, input, lang)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(4249), "4,249");
        assert_eq!(grouped(1234567), "1,234,567");
    }
}
