//! Problems that belong to one field of a record: a value that does not fit its field's kind.
//!
//! A line with the right number of fields is a record; a value that does not fit is kept as
//! written (as text, so left out of sums) and carries a problem: what it looks like (redacted, a
//! placeholder, a number out of range, ...), how serious that is, and a sentence in English and
//! Japanese. Wireshark's "expert info" is the model: the packet is still dissected.
//!
//! A problem is a pure function of the field's kind and the value kept ([`check`]), so every
//! reader (the entry's JSON, the CLI, the filter language) finds the same problems without the
//! store keeping anything beyond the value.

use crate::model::fields::{FieldId, Kind};
use crate::model::format::{Column, Format};
use crate::model::value::{parse_value_ref, ValueRef};
use crate::t;
use crate::text::{Lang, Text};
use serde::Serialize;
use std::net::Ipv4Addr;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The value was hidden on purpose (redacted, a placeholder): nothing is wrong with the record.
    Note,
    /// The value looks damaged (shortened) but what it was is clear.
    Warning,
    /// The value cannot be what the field holds (a port that is not a number, out of range).
    Error,
}

impl Severity {
    /// "note", "warning", "error" (as serialized).
    pub fn key(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The word for display.
    pub fn label(self) -> Text {
        match self {
            Severity::Note => t!("note", "注記"),
            Severity::Warning => t!("warning", "警告"),
            Severity::Error => t!("error", "エラー"),
        }
    }
}

/// What a value that does not fit its field looks like: the machine code of a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// Masked on purpose: `XXXXXXXXXXXX`, `eni-0xxxxxxxxxxxx`, `10.0.x.x`, `<account-id>`.
    Redacted,
    /// A made-up stand-in: `vpc-1`, `subnet-abc`, `az-src`.
    Placeholder,
    /// Digits, but too few or too many for the field (an account ID of 11 digits).
    Shortened,
    /// A number the field cannot hold (a port 70000, a protocol 300).
    OutOfRange,
    /// Not a number in a field of numbers.
    NotANumber,
    /// Anything else that is not a value of the field.
    Malformed,
}

impl Code {
    /// The code as serialized: "redacted", "placeholder", "shortened", "out-of-range",
    /// "not-a-number", "malformed".
    pub fn key(self) -> &'static str {
        match self {
            Code::Redacted => "redacted",
            Code::Placeholder => "placeholder",
            Code::Shortened => "shortened",
            Code::OutOfRange => "out-of-range",
            Code::NotANumber => "not-a-number",
            Code::Malformed => "malformed",
        }
    }

    /// How serious a problem of this code is.
    pub fn severity(self) -> Severity {
        match self {
            Code::Redacted | Code::Placeholder => Severity::Note,
            Code::Shortened => Severity::Warning,
            Code::OutOfRange | Code::NotANumber | Code::Malformed => Severity::Error,
        }
    }

    /// Every code, for references and tests.
    pub const ALL: [Code; 6] = [
        Code::Redacted,
        Code::Placeholder,
        Code::Shortened,
        Code::OutOfRange,
        Code::NotANumber,
        Code::Malformed,
    ];
}

/// One field's problem in a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldProblem<'a> {
    /// The column of the record.
    pub column: usize,
    /// The field.
    pub field: FieldId,
    /// The value as written.
    pub value: &'a str,
    /// What it looks like.
    pub code: Code,
}

impl FieldProblem<'_> {
    /// The sentence, e.g. "dstport `70000`: not a port 0-65535".
    pub fn message(&self, lang: Lang) -> String {
        message(self.field, self.value, self.code, lang)
    }
}

/// The problem of value `v` in a field of `kind`, if it has one. A value the decoder could not
/// type is kept as text: text in a field of numbers or addresses, or text its kind refuses, is a
/// problem; so is an AWS resource ID that is not one AWS writes (`vpc-1`).
#[inline]
pub fn check(kind: Kind, v: ValueRef<'_>) -> Option<Code> {
    let ValueRef::Text(t) = v else {
        return None;
    };
    if kind.is_integer() || kind == Kind::Address || parse_value_ref(kind, t).is_none() {
        return Some(diagnose(kind, t));
    }
    match id_prefix(kind) {
        Some(prefix) if !is_real_id(&t.as_bytes()[prefix.len().min(t.len())..]) => {
            Some(if is_redacted(t) {
                Code::Redacted
            } else {
                Code::Placeholder
            })
        }
        _ => None,
    }
}

/// The problems of a record's values, in column order (fields flowlens does not know take any
/// value, so have none).
pub fn record_problems<'a>(
    format: &'a Format,
    values: &'a [ValueRef<'a>],
) -> impl Iterator<Item = FieldProblem<'a>> + 'a {
    format
        .columns
        .iter()
        .zip(values)
        .enumerate()
        .filter_map(|(column, (c, v))| {
            let Column::Known(field) = c else {
                return None;
            };
            let code = check(field.spec().kind, *v)?;
            Some(FieldProblem {
                column,
                field: *field,
                value: v.text().unwrap_or(""),
                code,
            })
        })
}

/// True when some value of the record has a problem.
pub fn has_problems(format: &Format, values: &[ValueRef<'_>]) -> bool {
    record_problems(format, values).next().is_some()
}

/// The prefix the IDs of an AWS resource kind start with, for the kinds whose IDs are that
/// prefix and 8 or 17 hexadecimal digits.
#[inline]
pub fn id_prefix(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::InterfaceId => Some("eni-"),
        Kind::VpcId => Some("vpc-"),
        Kind::SubnetId => Some("subnet-"),
        Kind::InstanceId => Some("i-"),
        Kind::TgwId => Some("tgw-"),
        Kind::TgwAttachmentId => Some("tgw-attach-"),
        _ => None,
    }
}

/// The part after an ID's prefix as AWS writes it: 8 (older resources) or 17 lower-case
/// hexadecimal digits.
#[inline]
pub fn is_real_id(rest: &[u8]) -> bool {
    matches!(rest.len(), 8 | 17)
        && rest
            .iter()
            .all(|&b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A character that masks a value: `x`, `X`, `*`, `#`.
fn is_mask(b: u8) -> bool {
    matches!(b, b'x' | b'X' | b'*' | b'#')
}

/// True when `token` was hidden on purpose: runs of x/X/*/# (`XXXXXXXXXXXX`, `eni-0xxxxxxxxxxxx`,
/// `vpc-xxxxxxxx`), a partly masked address (`10.0.x.x`, `172.31.xx.xx`), a template's
/// placeholder (`<account-id>`, `{account}`, `${account_id}`, `ACCOUNT_ID`) or a word saying so
/// (`REDACTED`).
pub fn is_redacted(token: &str) -> bool {
    let b = token.as_bytes();
    if b.is_empty() {
        return false;
    }
    if masked_ipv4(token).is_some() || masked_ipv6(token) {
        return true;
    }
    // A name in brackets: `<account-id>`, `{account}`, `${vpc_id}`, `[REDACTED]`.
    let wrapped = |open: &[u8], close: u8| {
        b.len() > open.len() + 1
            && b.starts_with(open)
            && b[b.len() - 1] == close
            && b[open.len()..b.len() - 1]
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    };
    if wrapped(b"<", b'>') || wrapped(b"{", b'}') || wrapped(b"${", b'}') || wrapped(b"[", b']') {
        return true;
    }
    let lower = token.to_ascii_lowercase();
    let word = lower.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if matches!(
        word,
        "redacted"
            | "masked"
            | "hidden"
            | "removed"
            | "anonymized"
            | "anonymised"
            | "obfuscated"
            | "censored"
            | "sanitized"
            | "sanitised"
    ) {
        return true;
    }
    // `ACCOUNT_ID`, `YOUR_ACCOUNT_ID`: upper-case words joined by `_`.
    if b.contains(&b'_')
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter()
            .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
    {
        return true;
    }
    // A part of mask characters between separators (`XXXX-az1`, `arn:aws:ecs:xxx:...`).
    if token
        .split(['-', '.', ':', '/', '_'])
        .any(|p| p.len() >= 3 && p.bytes().all(is_mask))
    {
        return true;
    }
    // Runs of mask characters, after an ID's prefix of lower-case words (`eni-`, `tgw-attach-`).
    let rest = match b.iter().rposition(|&c| c == b'-') {
        Some(dash)
            if b[..dash]
                .iter()
                .all(|c| c.is_ascii_lowercase() || *c == b'-') =>
        {
            &b[dash + 1..]
        }
        _ => b,
    };
    if rest.is_empty()
        || !rest
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || is_mask(c))
    {
        return false;
    }
    let mut run = 0;
    let mut longest = 0;
    for &c in rest {
        run = if is_mask(c) { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest == rest.len() || longest >= 3 || rest.iter().any(|&c| c == b'*' || c == b'#')
}

/// A partly masked IPv4 address (`10.0.x.x`, `10.0.*.*`, `172.31.xx.xx`): the network its
/// leading octets give (`10.0.0.0` and 16), the length 0 when the first octet is masked.
pub fn masked_ipv4(token: &str) -> Option<(Ipv4Addr, u8)> {
    let mut octets = [0u8; 4];
    let mut known = 0u8;
    let mut masked = false;
    let mut parts = 0;
    for (i, part) in token.split('.').enumerate() {
        parts += 1;
        if i >= 4 || part.is_empty() {
            return None;
        }
        let p = part.as_bytes();
        if p.iter().all(|&c| is_mask(c)) {
            masked = true;
        } else if !masked && p.len() <= 3 && p.iter().all(u8::is_ascii_digit) {
            let n: u16 = part.parse().ok()?;
            octets[i] = u8::try_from(n).ok()?;
            known += 1;
        } else {
            return None;
        }
    }
    (parts == 4 && masked).then(|| (Ipv4Addr::from(octets), known * 8))
}

/// A partly masked IPv6 address: groups of hexadecimal digits or of mask characters, with
/// one masked group at least (`2001:db8:xxxx::1`).
fn masked_ipv6(token: &str) -> bool {
    token.contains(':')
        && token.split(':').count() >= 3
        && token
            .split(':')
            .all(|g| g.len() <= 4 && g.bytes().all(|c| c.is_ascii_hexdigit() || is_mask(c)))
        && token
            .split(':')
            .any(|g| !g.is_empty() && g.bytes().all(is_mask))
}

/// A made-up stand-in name: letters, digits, `-` and `_`, with a letter (`az-src`, `host-a`).
fn is_tame_word(token: &str) -> bool {
    token.len() <= 64
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && token.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Kinds whose values are names or IDs, where a tame word is a placeholder rather than garbage.
fn names_things(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::AccountId
            | Kind::InterfaceId
            | Kind::VpcId
            | Kind::SubnetId
            | Kind::InstanceId
            | Kind::Address
            | Kind::Region
            | Kind::AzId
            | Kind::SublocationId
            | Kind::EcsArn
            | Kind::EcsName
            | Kind::EcsId
            | Kind::ResourceId
            | Kind::TgwId
            | Kind::TgwAttachmentId
    )
}

/// What `token`, not a value of `kind`, looks like.
pub fn diagnose(kind: Kind, token: &str) -> Code {
    if is_redacted(token) {
        return Code::Redacted;
    }
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if kind.is_integer() {
        return if digits {
            Code::OutOfRange
        } else {
            Code::NotANumber
        };
    }
    if kind == Kind::AccountId && digits {
        return Code::Shortened;
    }
    if names_things(kind) && is_tame_word(token) {
        return Code::Placeholder;
    }
    Code::Malformed
}

/// The sentence for a problem of `code` with `value` in `field`.
pub fn message(field: FieldId, value: &str, code: Code, lang: Lang) -> String {
    let spec = field.spec();
    let key = spec.key;
    let value = shown(value);
    let expect = spec.kind.expectation().get(lang);
    match (code, lang) {
        (Code::Redacted, Lang::En) => {
            format!("{key} `{value}`: redacted (masked by whoever copied the line), not a value AWS writes; kept as written")
        }
        (Code::Redacted, Lang::Ja) => {
            format!("{key} `{value}`: 伏せ字（行をコピーした人がマスクした値）で、AWS が書き込む値ではありません。書かれたとおりに保持します")
        }
        (Code::Placeholder, Lang::En) => {
            format!("{key} `{value}`: a placeholder (example data), not {expect}")
        }
        (Code::Placeholder, Lang::Ja) => {
            format!("{key} `{value}`: プレースホルダー（例示用のデータ）で、{expect}ではありません")
        }
        (Code::Shortened, Lang::En) => {
            format!("{key} `{value}`: not {expect}; it looks redacted or shortened")
        }
        (Code::Shortened, Lang::Ja) => {
            format!("{key} `{value}`: {expect}ではありません。伏せられたか短くされたようです")
        }
        (Code::OutOfRange, Lang::En) => format!(
            "{key} `{value}`: not {expect}; kept as text and left out of sums"
        ),
        (Code::OutOfRange, Lang::Ja) => format!(
            "{key} `{value}`: {expect}の範囲外です。テキストとして保持し、合計には含めません"
        ),
        (Code::NotANumber, Lang::En) => format!(
            "{key} `{value}`: not a number (expected {expect}); kept as text and left out of sums"
        ),
        (Code::NotANumber, Lang::Ja) => format!(
            "{key} `{value}`: 数値ではありません（{expect}が必要です）。テキストとして保持し、合計には含めません"
        ),
        (Code::Malformed, Lang::En) => format!("{key} `{value}`: not {expect}; kept as written"),
        (Code::Malformed, Lang::Ja) => {
            format!("{key} `{value}`: {expect}ではありません。書かれたとおりに保持します")
        }
    }
}

/// Values longer than this are shortened in messages.
const MAX_SHOWN: usize = 60;

/// The value for a message: at most [`MAX_SHOWN`] characters, control characters escaped.
fn shown(value: &str) -> String {
    let mut s = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == MAX_SHOWN {
            s.push('…');
            break;
        }
        if c.is_control() {
            s.extend(c.escape_default());
        } else {
            s.push(c);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redactions_are_recognised() {
        for t in [
            "XXXXXXXXXXXX",
            "eni-0xxxxxxxxxxxx",
            "vpc-xxxxxxxx",
            "123456789xxx",
            "************",
            "10.0.x.x",
            "10.0.*.*",
            "172.31.xx.xx",
            "x.x.x.x",
            "<account-id>",
            "{account}",
            "${account-id}",
            "ACCOUNT_ID",
            "[REDACTED]",
            "2001:db8:xxxx::1",
        ] {
            assert!(is_redacted(t), "{t}");
        }
        for t in [
            "1111",
            "vpc-1",
            "az-src",
            "subnet-abc",
            "hello",
            "10.0.0.1",
            "accept",
            "-",
            "xyz1",
        ] {
            assert!(!is_redacted(t), "{t}");
        }
        assert_eq!(
            masked_ipv4("10.0.x.x"),
            Some((Ipv4Addr::new(10, 0, 0, 0), 16))
        );
        assert_eq!(
            masked_ipv4("172.31.xx.xx"),
            Some((Ipv4Addr::new(172, 31, 0, 0), 16))
        );
        assert_eq!(masked_ipv4("x.x.x.x"), Some((Ipv4Addr::UNSPECIFIED, 0)));
        assert_eq!(masked_ipv4("10.x.0.1"), None);
        assert_eq!(masked_ipv4("10.0.0.1"), None);
    }

    #[test]
    fn diagnoses() {
        let text = ValueRef::Text;
        assert_eq!(check(Kind::Port, text("70000")), Some(Code::OutOfRange));
        assert_eq!(check(Kind::Port, text("http")), Some(Code::NotANumber));
        assert_eq!(check(Kind::Port, text("xxxx")), Some(Code::Redacted));
        assert_eq!(check(Kind::AccountId, text("1111")), Some(Code::Shortened));
        assert_eq!(
            check(Kind::AccountId, text("XXXXXXXXXXXX")),
            Some(Code::Redacted)
        );
        assert_eq!(check(Kind::VpcId, text("vpc-1")), Some(Code::Placeholder));
        assert_eq!(
            check(Kind::SubnetId, text("subnet-abc")),
            Some(Code::Placeholder)
        );
        assert_eq!(check(Kind::AzId, text("az-src")), Some(Code::Placeholder));
        assert_eq!(
            check(Kind::InterfaceId, text("eni-0xxxxxxxxxxxx")),
            Some(Code::Redacted)
        );
        assert_eq!(check(Kind::Address, text("10.0.x.x")), Some(Code::Redacted));
        assert_eq!(
            check(Kind::Address, text("10.0.0.300")),
            Some(Code::Malformed)
        );
        assert_eq!(check(Kind::Action, text("accept")), Some(Code::Malformed));
        assert_eq!(check(Kind::VpcId, text("vpc-0a1b2c3d")), None);
        assert_eq!(check(Kind::VpcId, text("vpc-abcdefab012345678")), None);
        assert_eq!(check(Kind::Port, ValueRef::UInt(80)), None);
        assert_eq!(check(Kind::Port, ValueRef::Absent), None);
        assert_eq!(
            message(
                FieldId::named("dstport"),
                "70000",
                Code::OutOfRange,
                Lang::En
            ),
            "dstport `70000`: not a port 0-65535; kept as text and left out of sums"
        );
    }
}
