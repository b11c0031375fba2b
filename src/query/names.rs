//! The names an expression can test: every field by its AWS name, and the derived facts. Names
//! are read in any case, with `-` and `_` optional, so that Logs Insights' `srcAddr` and
//! `logStatus` work too.

use super::ast::{End, Subject};
use crate::classify::scope::Scope;
use crate::model::fields::id;
use crate::model::fields::{FieldId, Kind, FIELDS};

/// How a subject's values are written, and which operators it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValueType {
    /// An integer field of this kind (ports, counts, codes).
    Integer(Kind),
    /// A time field.
    Time,
    /// The protocol: a number or a name.
    Protocol,
    /// An address field: an address or a CIDR block.
    Address,
    /// A text field; when the field has a fixed set of values, these (as AWS writes them).
    Text(Option<&'static [&'static str]>),
    /// A scope key.
    Scope,
    /// Another cloud's name.
    Cloud,
    /// `request` or `reply`.
    Role,
    /// `inbound` or `outbound`.
    Direction,
    /// Any name (services, AWS services and regions).
    Names,
    /// `true` or `false`; alone, the name means `true`.
    Boolean,
}

impl ValueType {
    /// True when `<`, `<=`, `>`, `>=` apply.
    pub(crate) fn ordered(self) -> bool {
        matches!(
            self,
            ValueType::Integer(_)
                | ValueType::Time
                | ValueType::Protocol
                | ValueType::Address
                | ValueType::Text(_)
        )
    }

    /// The operators the values have, for a message.
    pub(crate) fn operators(self) -> &'static str {
        match self {
            ValueType::Boolean => "=, !=",
            t if t.ordered() => "=, !=, <, <=, >, >=, in, not in",
            _ => "=, !=, in, not in",
        }
    }
}

/// The values of the fields that have a fixed set, as AWS writes them.
const ACTIONS: &[&str] = &["ACCEPT", "REJECT"];
const LOG_STATUSES: &[&str] = &["OK", "NODATA", "SKIPDATA"];
const TRAFFIC_TYPES: &[&str] = &["IPv4", "IPv6", "EFA"];
const FLOW_DIRECTIONS: &[&str] = &["ingress", "egress"];
const SUBLOCATION_TYPES: &[&str] = &["wavelength", "outpost", "localzone"];

/// How values of a field of `kind` are written.
fn field_type(kind: Kind) -> ValueType {
    match kind {
        Kind::Time => ValueType::Time,
        Kind::Protocol => ValueType::Protocol,
        Kind::Address => ValueType::Address,
        Kind::Action => ValueType::Text(Some(ACTIONS)),
        Kind::LogStatus => ValueType::Text(Some(LOG_STATUSES)),
        Kind::TrafficType => ValueType::Text(Some(TRAFFIC_TYPES)),
        Kind::FlowDirection => ValueType::Text(Some(FLOW_DIRECTIONS)),
        Kind::SublocationType => ValueType::Text(Some(SUBLOCATION_TYPES)),
        k if k.is_integer() => ValueType::Integer(k),
        _ => ValueType::Text(None),
    }
}

/// The values a field of `kind` has, as AWS writes them, when it has a fixed set.
pub(crate) fn enumerated(kind: Kind) -> Option<&'static [&'static str]> {
    match field_type(kind) {
        ValueType::Text(words) => words,
        _ => None,
    }
}

/// The derived names, as the documentation writes them.
pub(crate) const DERIVED: &[(&str, Subject, ValueType)] = &[
    (
        "addr",
        Subject::Either(id::SRCADDR, id::DSTADDR),
        ValueType::Address,
    ),
    (
        "port",
        Subject::Either(id::SRCPORT, id::DSTPORT),
        ValueType::Integer(Kind::Port),
    ),
    ("scope", Subject::Scope(End::Either), ValueType::Scope),
    ("srcscope", Subject::Scope(End::Src), ValueType::Scope),
    ("dstscope", Subject::Scope(End::Dst), ValueType::Scope),
    ("src.scope", Subject::Scope(End::Src), ValueType::Scope),
    ("dst.scope", Subject::Scope(End::Dst), ValueType::Scope),
    (
        "aws.service",
        Subject::AwsService(End::Either),
        ValueType::Names,
    ),
    (
        "src.aws.service",
        Subject::AwsService(End::Src),
        ValueType::Names,
    ),
    (
        "dst.aws.service",
        Subject::AwsService(End::Dst),
        ValueType::Names,
    ),
    (
        "aws.region",
        Subject::AwsRegion(End::Either),
        ValueType::Names,
    ),
    (
        "src.aws.region",
        Subject::AwsRegion(End::Src),
        ValueType::Names,
    ),
    (
        "dst.aws.region",
        Subject::AwsRegion(End::Dst),
        ValueType::Names,
    ),
    ("cloud", Subject::Cloud(End::Either), ValueType::Cloud),
    ("src.cloud", Subject::Cloud(End::Src), ValueType::Cloud),
    ("dst.cloud", Subject::Cloud(End::Dst), ValueType::Cloud),
    ("service", Subject::Service, ValueType::Names),
    ("role", Subject::Role, ValueType::Role),
    ("direction", Subject::Direction, ValueType::Direction),
    ("from_internet", Subject::FromInternet, ValueType::Boolean),
    ("to_internet", Subject::ToInternet, ValueType::Boolean),
    ("problem", Subject::Problem, ValueType::Boolean),
];

/// A name as it is compared: lower case, without `-` and `_`.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '-' && *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What `name` tests, and how its values are written.
pub(crate) fn subject(name: &str) -> Option<(Subject, ValueType)> {
    let name = folded(name);
    if let Some((_, s, t)) = DERIVED.iter().find(|(n, _, _)| folded(n) == name) {
        return Some((*s, *t));
    }
    FIELDS.iter().position(|f| folded(f.key) == name).map(|i| {
        let id = FieldId(i as u16);
        (Subject::Field(id), field_type(id.spec().kind))
    })
}

/// Every name, fields first, as the documentation writes them.
pub(crate) fn all_names() -> impl Iterator<Item = &'static str> {
    FIELDS
        .iter()
        .map(|f| f.key)
        .chain(DERIVED.iter().map(|d| d.0))
}

/// The known name closest to `name` when it is a slip of a character or two away.
pub(crate) fn suggest(name: &str) -> Option<&'static str> {
    let name = folded(name);
    let limit = if name.chars().count() <= 4 { 1 } else { 2 };
    all_names()
        .map(|n| (distance(&folded(n), &name), n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Levenshtein distance over characters (names are short).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != *cb)).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

/// The keys of the scopes ([`Scope::key`]) in the order of their bits, for messages.
pub(crate) const SCOPE_KEYS: &[&str] = &[
    "public",
    "private",
    "shared",
    "loopback",
    "link-local",
    "documentation",
    "benchmarking",
    "multicast",
    "unique-local",
    "ipv4-mapped",
    "nat64",
    "this-network",
    "unspecified",
    "reserved",
    "broadcast",
    "other",
];

/// The bit of `scope` (exhaustive, so that a new scope cannot be forgotten here).
#[inline]
pub(crate) fn scope_bit(scope: Scope) -> u32 {
    1 << match scope {
        Scope::Public => 0,
        Scope::Private => 1,
        Scope::Shared => 2,
        Scope::Loopback => 3,
        Scope::LinkLocal => 4,
        Scope::Documentation => 5,
        Scope::Benchmarking => 6,
        Scope::Multicast => 7,
        Scope::UniqueLocal => 8,
        Scope::Ipv4Mapped => 9,
        Scope::Nat64 => 10,
        Scope::ThisNetwork => 11,
        Scope::Unspecified => 12,
        Scope::Reserved => 13,
        Scope::Broadcast => 14,
        Scope::Other => 15,
    }
}

/// The bit of scope key `word` (any case, `-` optional).
pub(crate) fn scope_word(word: &str) -> Option<u32> {
    let word = folded(word);
    SCOPE_KEYS
        .iter()
        .position(|k| folded(k) == word)
        .map(|i| 1 << i)
}

/// The bit of the cloud provider `word` names: the provider's name in any case and spacing, its
/// first word (`google`, `oracle`), or `gcp` / `oci`. Bits follow
/// [`crate::classify::clouds::published::PROVIDERS`].
pub(crate) fn cloud_word(word: &str) -> Option<u32> {
    use crate::classify::clouds::published::PROVIDERS;
    let w: String = folded(word)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let alias = match w.as_str() {
        "gcp" => "google",
        "oci" => "oracle",
        other => other,
    };
    PROVIDERS
        .iter()
        .position(|p| {
            let name = p.to_ascii_lowercase();
            let first = name.split(' ').next().unwrap_or("");
            name.replace(' ', "") == alias || first == alias
        })
        .map(|i| 1 << i)
}

/// The bit of a record's cloud provider (its index in `PROVIDERS`).
#[inline]
pub(crate) fn provider_bit(provider: &str) -> u32 {
    use crate::classify::clouds::published::PROVIDERS;
    PROVIDERS
        .iter()
        .position(|p| *p == provider)
        .map_or(0, |i| 1 << i)
}

/// Bits of [`ValueType::Role`].
pub(crate) const REQUEST: u32 = 1;
/// See [`REQUEST`].
pub(crate) const REPLY: u32 = 2;
/// Bits of [`ValueType::Direction`].
pub(crate) const INBOUND: u32 = 1;
/// See [`INBOUND`].
pub(crate) const OUTBOUND: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_tables_agree() {
        // The keys and bits are in the order of `Scope::ALL`.
        for (i, s) in Scope::ALL.iter().enumerate() {
            assert_eq!(s.key(), SCOPE_KEYS[i]);
            assert_eq!(scope_bit(*s), 1 << i);
            assert_eq!(scope_word(SCOPE_KEYS[i]), Some(1 << i));
        }
        assert_eq!(scope_word("LinkLocal"), Some(scope_bit(Scope::LinkLocal)));
    }

    #[test]
    fn no_two_names_fold_alike() {
        let mut all: Vec<String> = all_names().map(folded).collect();
        all.sort();
        let n = all.len();
        all.dedup();
        assert_eq!(all.len(), n);
    }

    #[test]
    fn names_in_any_case_and_suggestions() {
        assert_eq!(subject("srcAddr"), subject("srcaddr"));
        assert_eq!(subject("LOG_STATUS"), subject("log-status"));
        assert!(subject("From-Internet").is_some());
        assert!(subject("nope").is_none());
        assert_eq!(suggest("srcadr"), Some("srcaddr"));
        assert_eq!(suggest("aws.servce"), Some("aws.service"));
        assert_eq!(suggest("xyzzy"), None);
        assert_eq!(cloud_word("google"), Some(1));
        assert_eq!(cloud_word("Oracle Cloud"), Some(2));
        assert_eq!(cloud_word("OCI"), Some(2));
        assert_eq!(cloud_word("cloudflare"), Some(4));
        assert_eq!(cloud_word("azure"), None);
    }
}
