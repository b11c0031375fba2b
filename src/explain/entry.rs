//! The entries the page and the CLI receive, as types: a record explained ([`RecordEntry`]) or a
//! line that could not be decoded ([`ErrorEntry`]). Serialized, they are the JSON documented in
//! the README ("JSON schema"): the field order here is the key order there, `Option`s that the
//! schema shows as `null` are always written, and the few keys that appear only for some fields
//! (`role`, `differs`, `duration_ms`) are skipped when they do not apply. The CLI prints its
//! readable text from these same types.
//!
//! This file holds only the types, so that every child of `explain` can build them without
//! importing the module that calls it.

use crate::classify::aws::Name;
use crate::classify::clouds::CloudPrefix;
use crate::classify::port::PortClass;
use crate::classify::roles::Role;
use crate::classify::scope::Scope;
use crate::model::problem::{Code, Severity};
use ipnet::IpNet;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::net::IpAddr;
use std::sync::Arc;

/// One entry of an input: a record, or a line that could not be decoded. Serialized without a
/// tag: the keys tell them apart (`error` is only in errors).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Entry {
    /// A decoded record, explained.
    Record(Box<RecordEntry>),
    /// A line that could not be decoded.
    Error(ErrorEntry),
}

impl Entry {
    /// The line of the input it comes from (from 1).
    pub fn line(&self) -> u64 {
        match self {
            Entry::Record(r) => r.line,
            Entry::Error(e) => e.line,
        }
    }

    /// The line's text (a record's written back from its values).
    pub fn raw(&self) -> &str {
        match self {
            Entry::Record(r) => &r.raw,
            Entry::Error(e) => &e.raw,
        }
    }

    /// Says which file of an input read as several the line is in (`name`) and its number there
    /// (`line`); an error's message then names them (`a.log.gz, line 3: ...`).
    pub fn locate(&mut self, name: &str, line: u64) {
        match self {
            Entry::Record(r) => {
                r.file = Some(name.to_string());
                r.file_line = Some(line);
            }
            Entry::Error(e) => {
                e.file = Some(name.to_string());
                e.file_line = Some(line);
            }
        }
    }

    /// The record, when it is one.
    pub fn record(&self) -> Option<&RecordEntry> {
        match self {
            Entry::Record(r) => Some(r),
            Entry::Error(_) => None,
        }
    }

    /// The error, when it is one.
    pub fn error(&self) -> Option<&ErrorEntry> {
        match self {
            Entry::Record(_) => None,
            Entry::Error(e) => Some(e),
        }
    }
}

/// A record explained: `{"line", "raw", "fields", "annotations", "summary", "roles", "direction",
/// "interface_address", "hints", "problems"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordEntry {
    /// The line of the input (from 1; blank and header lines count).
    pub line: u64,
    /// The line as given (double spaces, tabs and trailing spaces kept).
    pub raw: String,
    /// Each field's value, in the record's field order.
    pub fields: ByField<FieldValue>,
    /// Each field's annotation, in the record's field order.
    pub annotations: ByField<Annotation>,
    /// The one-sentence summary.
    pub summary: String,
    /// Which address is the client's and which the server's, when the ports tell.
    pub roles: Option<FlowRoles>,
    /// Into or out of the network interface, when known.
    pub direction: Option<Direction>,
    /// The interface's own address found in the input.
    pub interface_address: Option<IpAddr>,
    /// What the record suggests beyond its fields.
    pub hints: Vec<Hint>,
    /// The fields whose values do not fit them (kept as written), in field order; empty when
    /// every value fits.
    pub problems: Vec<RecordProblem>,
    /// The file the line is in, when the input was several files (not serialized otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The line's number in that file (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_line: Option<u64>,
}

/// A problem of one field of a record: `{"field", "code", "severity", "message"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordProblem {
    /// The field's key.
    pub field: &'static str,
    /// What the value looks like: "redacted", "placeholder", "shortened", "out-of-range",
    /// "not-a-number", "malformed".
    pub code: Code,
    /// "note", "warning" or "error".
    pub severity: Severity,
    /// The sentence, in the entry's language.
    pub message: String,
    /// The field's column in the record (from 0).
    #[serde(skip)]
    pub column: usize,
}

/// A line that could not be decoded: `{"line", "error", "raw", "field"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorEntry {
    /// The line of the input (from 1).
    pub line: u64,
    /// What is wrong, in words.
    pub error: String,
    /// The line as read (cut when very long).
    pub raw: String,
    /// The field whose value is wrong, when one is.
    pub field: Option<&'static str>,
    /// The file the line is in, when the input was several files (not serialized otherwise);
    /// `error` then names it and the line's number in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The line's number in that file (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_line: Option<u64>,
}

/// Values by field name, in the record's field order; serialized as a JSON object. A format
/// never names a field twice (the parsers refuse it), so the names are distinct.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ByField<T>(pub Vec<(String, T)>);

impl<T> ByField<T> {
    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Names and values, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: Serialize> Serialize for ByField<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A field's value: `null` for `-`, a number for numeric fields, else a string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// `-`.
    Absent,
    /// A number.
    UInt(u64),
    /// An address (written as text).
    Addr(IpAddr),
    /// Any other value, as written.
    Text(String),
}

/// Which end of the record is the client and which the server, and so whether it is a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FlowRoles {
    /// The client's address field: "srcaddr" or "dstaddr".
    pub client: &'static str,
    /// The server's address field.
    pub server: &'static str,
    /// Request (client to server) or reply.
    pub direction: Exchange,
}

/// The way a record goes between client and server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Exchange {
    /// From the client to the server.
    Request,
    /// From the server to the client.
    Reply,
}

/// Whether traffic goes into or out of the record's network interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Into the interface.
    Inbound,
    /// Out of the interface.
    Outbound,
}

impl Direction {
    /// "inbound" / "outbound" (as serialized).
    pub fn key(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

/// Advice on what a record means: `{"key", "text"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hint {
    /// What it is about.
    pub key: HintKey,
    /// The advice, in the entry's language.
    pub text: String,
    /// The input line of the record the advice points at (the accepted flow in the other
    /// direction), for a jump to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The file that line is in, when the input was several files (not serialized otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The line's number in that file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_line: Option<u64>,
}

/// The kinds of hints (see [`super::hints`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HintKey {
    /// An inbound REJECT from the internet to an administration or database port.
    Scan,
    /// A rejected reply whose request was accepted.
    NetworkAcl,
    /// Any other REJECT.
    Reject,
    /// A NODATA record.
    Nodata,
    /// A SKIPDATA record.
    Skipdata,
}

impl HintKey {
    /// The key as serialized: "scan", "network-acl", "reject", "nodata", "skipdata".
    pub fn key(self) -> &'static str {
        match self {
            HintKey::Scan => "scan",
            HintKey::NetworkAcl => "network-acl",
            HintKey::Reject => "reject",
            HintKey::Nodata => "nodata",
            HintKey::Skipdata => "skipdata",
        }
    }
}

/// One field's annotation: `{"text", "value", "raw", ...extras}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Annotation {
    /// The explanation.
    pub text: String,
    /// The decoded value, for display.
    pub value: String,
    /// The token as written.
    pub raw: String,
    /// What the field's kind adds.
    #[serde(flatten)]
    pub extras: Extras,
    /// The role of the end (srcaddr, dstaddr, srcport, dstport only: `null` there when the ports
    /// do not tell; absent elsewhere).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Option<Role>>,
    /// Whether pkt-srcaddr / pkt-dstaddr differs from srcaddr / dstaddr (those two only, when
    /// the record has the outer address).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub differs: Option<bool>,
}

impl Annotation {
    /// An annotation with nothing but its text, value and raw token.
    pub fn new(text: impl Into<String>, value: impl Into<String>, raw: &str) -> Annotation {
        Annotation {
            text: text.into(),
            value: value.into(),
            raw: raw.to_string(),
            extras: Extras::None,
            role: None,
            differs: None,
        }
    }

    /// The same with its kind's extras.
    pub fn with(self, extras: Extras) -> Annotation {
        Annotation { extras, ..self }
    }
}

/// What an annotation adds to text, value and raw, by field kind. Serialized flat into the
/// annotation, without a tag.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Extras {
    /// Nothing more.
    None,
    /// An address: scope, AWS or another cloud, the interface it belongs to.
    Address(Box<AddressExtras>),
    /// A port: its service and class.
    Port(PortExtras),
    /// `protocol`: IANA's keyword ("" when none) and name.
    Protocol {
        /// "TCP", "UDP", or "".
        keyword: &'static str,
        /// "Transmission Control", or "".
        name: &'static str,
    },
    /// `start` / `end`.
    Time(TimeExtras),
    /// `tcp-flags`: the flags' names.
    TcpFlags {
        /// "SYN", "FIN", ... (empty for 0).
        flags: Vec<&'static str>,
    },
    /// `region`.
    Region {
        /// The Region's name in the entry's language, when flowlens knows it.
        region_name: Option<&'static str>,
    },
    /// `az-id` and the other zone IDs.
    AzId {
        /// The zone's Region, when its prefix tells.
        region: Option<&'static str>,
    },
    /// `pkt-src-aws-service` / `pkt-dst-aws-service`.
    AwsService {
        /// The code as written ("S3").
        service: String,
        /// Its name, when flowlens knows it.
        service_name: Option<&'static str>,
    },
    /// A coded value (traffic-path, reject-reason, encryption-status).
    Code {
        /// The code's meaning, when flowlens knows it.
        code_name: Option<&'static str>,
    },
    /// An ECS ARN, split.
    EcsArn {
        /// Its Region.
        region: Option<String>,
        /// Its account.
        account: Option<String>,
        /// Its resource part ("task/cluster/id").
        resource: String,
    },
    /// `resource-id`.
    Resource {
        /// The kind of resource its prefix tells.
        resource: Option<&'static str>,
    },
    /// A tag field.
    Tag {
        /// The tag percent-decoded; `None` when it is not valid percent-encoded UTF-8.
        decoded: Option<String>,
    },
    /// A `packets-lost-*` field.
    PacketsLost {
        /// The cause of the loss.
        cause: &'static str,
    },
    /// A column whose field flowlens does not know.
    Unknown {
        /// Always true.
        unknown: bool,
    },
}

/// What an address annotation adds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AddressExtras {
    /// IANA scope.
    pub scope: Scope,
    /// The scope in words.
    pub scope_label: &'static str,
    /// The IANA special-purpose block containing it.
    pub iana_block: Option<&'static str>,
    /// The key of an AWS well-known address ("instance-metadata", ...).
    pub well_known: Option<&'static str>,
    /// The AWS prefix containing it.
    pub aws: Option<AwsOwner>,
    /// Another cloud's prefix containing it.
    pub cloud: Option<CloudPrefix>,
    /// The network interface whose own address it is.
    pub interface: Option<String>,
}

/// The AWS prefix an address is in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AwsOwner {
    /// The prefix.
    #[serde(serialize_with = "as_text")]
    pub prefix: IpNet,
    /// Its Region code.
    pub region: Name,
    /// The code with the Region's name, in the entry's language.
    pub region_name: String,
    /// Its services ("AMAZON", "EC2", ...).
    pub services: Arc<[Name]>,
    /// Its network border group.
    pub network_border_group: Option<Name>,
    /// The Local or Wavelength Zone, when the border group is not the Region.
    pub zone: Option<AwsZone>,
    /// The AWS prefixes enclosing it, nearest first.
    pub supernets: Vec<Supernet>,
}

/// A Local Zone or Wavelength Zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwsZone {
    /// "local" or "wavelength".
    pub kind: &'static str,
    /// The border group's location part.
    pub location: String,
    /// The place, when flowlens knows it.
    pub place: Option<&'static str>,
    /// The zone in words.
    pub text: String,
}

/// An AWS prefix enclosing another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Supernet {
    /// The prefix.
    #[serde(serialize_with = "as_text")]
    pub prefix: IpNet,
    /// Its services.
    pub services: Arc<[Name]>,
    /// Its Region code.
    pub region: Name,
}

/// What a port annotation adds: the service (`null` when none is registered, and for a
/// protocol without ports or a number beyond 65535, which have nothing more).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortExtras {
    /// IANA's service name.
    pub service: Option<&'static str>,
    /// The rest, for a port number.
    #[serde(flatten)]
    pub port: Option<PortDetail>,
}

/// What is known of a port number beyond its service name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortDetail {
    /// The name users know ("HTTPS"), when it differs from IANA's.
    pub common: Option<&'static str>,
    /// IANA's description of the service.
    pub description: Option<&'static str>,
    /// System, registered or dynamic.
    pub class: PortClass,
    /// The keys of the ephemeral ranges containing it.
    pub ephemeral: Vec<&'static str>,
}

/// What a `start` / `end` annotation adds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimeExtras {
    /// The time in UTC.
    pub utc: String,
    /// "s" or "ms": the unit of the value.
    pub unit: &'static str,
    /// `end` only: the window from `start`, in seconds (`null` elsewhere or when unknown).
    pub duration_s: Option<Seconds>,
    /// The same in milliseconds, when either end is in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
}

/// A number of seconds: whole when both ends are in seconds, else a fraction (from
/// milliseconds).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Seconds {
    /// Whole seconds.
    Whole(u64),
    /// Seconds from milliseconds.
    Fraction(f64),
}

/// Prefixes as text, `15.152.0.0/16`.
fn as_text<S: Serializer>(net: &IpNet, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(net)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_serde() {
        for k in [
            HintKey::Scan,
            HintKey::NetworkAcl,
            HintKey::Reject,
            HintKey::Nodata,
            HintKey::Skipdata,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.key());
        }
        for d in [Direction::Inbound, Direction::Outbound] {
            assert_eq!(serde_json::to_value(d).unwrap(), d.key());
        }
    }

    #[test]
    fn extras_are_flat_and_optional_keys_skipped() {
        let a = Annotation::new("t", "v", "r");
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"text":"t","value":"v","raw":"r"}"#
        );
        let mut a = Annotation::new("t", "v", "r").with(Extras::Port(PortExtras {
            service: None,
            port: None,
        }));
        a.role = Some(None);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"text":"t","value":"v","raw":"r","service":null,"role":null}"#
        );
        assert_eq!(serde_json::to_string(&FieldValue::Absent).unwrap(), "null");
    }
}
