//! Annotations of each field and the one-sentence summary of a record, in English and Japanese.
//! Explanation text is produced only for what is shown, from the typed values and the classifiers.
//!
//! - [`address`]: everything known about an address (scope, AWS's well-known addresses, AWS ranges).
//! - [`annotate`]: one field's annotation: explanation, decoded value, raw token and typed extras.
//! - [`summary`]: the one-sentence summary.
//! - [`codes`]: the names of coded values (tcp-flags, traffic-path, encryption-status, ...).

pub mod address;
pub mod annotate;
pub mod codes;
pub mod summary;

pub use address::AddrInfo;
pub use summary::summary;

use crate::classify::aws::{AwsPrefix, AwsRanges};
use crate::classify::port::Transport;
use crate::classify::protocol::{self, Protocol};
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
}

/// The services of a prefix without the umbrella `AMAZON`, joined with `/`: "EC2", "S3/EC2".
fn services_short(p: &AwsPrefix) -> String {
    let named: Vec<&str> = p
        .services
        .iter()
        .map(String::as_str)
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

/// A record as the CLI's `--json` prints it and the page receives it:
/// `{"line", "raw", "fields", "annotations", "summary"}`.
pub fn record_json(
    line: u64,
    raw: &str,
    rec: &RecordRef<'_>,
    ctx: &Context<'_>,
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
                annotate::annotate(spec.key, spec.kind, value, token, rec, ctx, lang)
            }
            Column::Unknown(name) => annotate::annotate_unknown(name, token, lang),
        };
        fields.insert(column.name().to_string(), json_value);
        annotations.insert(column.name().to_string(), annotation);
    }
    json!({
        "line": line,
        "raw": raw,
        "fields": fields,
        "annotations": annotations,
        "summary": summary(rec, ctx, lang),
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
