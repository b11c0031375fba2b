//! Typed field values and how each kind of field is parsed from its token.

use crate::model::fields::Kind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A typed field value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `-`: not applicable, or could not be computed.
    Absent,
    /// An integer (version, port, protocol, packets, bytes, start, end, tcp-flags, codes, counts).
    UInt(u64),
    /// An IPv4 or IPv6 address.
    Addr(IpAddr),
    /// A text value (IDs, codes, names, tags as written).
    Text(Box<str>),
}

impl Value {
    /// The integer, if the value is one.
    pub fn uint(&self) -> Option<u64> {
        match self {
            Value::UInt(n) => Some(*n),
            _ => None,
        }
    }

    /// The address, if the value is one.
    pub fn addr(&self) -> Option<IpAddr> {
        match self {
            Value::Addr(a) => Some(*a),
            _ => None,
        }
    }

    /// The text, if the value is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// A typed field value borrowing its text from the line it was read from: what the decoder hands
/// to a [`crate::ingest::pipeline::Sink`] without allocating. [`ValueRef::to_value`] makes it a [`Value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRef<'a> {
    /// `-`: not applicable, or could not be computed.
    Absent,
    /// An integer.
    UInt(u64),
    /// An IPv4 or IPv6 address.
    Addr(IpAddr),
    /// A text value.
    Text(&'a str),
}

impl<'a> ValueRef<'a> {
    /// The integer, if the value is one.
    #[inline]
    pub fn uint(self) -> Option<u64> {
        match self {
            ValueRef::UInt(n) => Some(n),
            _ => None,
        }
    }

    /// The address, if the value is one.
    #[inline]
    pub fn addr(self) -> Option<IpAddr> {
        match self {
            ValueRef::Addr(a) => Some(a),
            _ => None,
        }
    }

    /// The text, if the value is text.
    #[inline]
    pub fn text(self) -> Option<&'a str> {
        match self {
            ValueRef::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The owned value.
    pub fn to_value(self) -> Value {
        match self {
            ValueRef::Absent => Value::Absent,
            ValueRef::UInt(n) => Value::UInt(n),
            ValueRef::Addr(a) => Value::Addr(a),
            ValueRef::Text(t) => Value::Text(t.into()),
        }
    }
}

impl Value {
    /// The value, borrowed.
    pub fn as_value_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Absent => ValueRef::Absent,
            Value::UInt(n) => ValueRef::UInt(*n),
            Value::Addr(a) => ValueRef::Addr(*a),
            Value::Text(t) => ValueRef::Text(t),
        }
    }
}

/// Parses one token as a value of `kind`; `None` when it is not one. Each kind accepts only its own
/// shape (and `-`), so that the shape of a column's values tells which field it may be.
pub fn parse_value(kind: Kind, token: &str) -> Option<Value> {
    parse_value_ref(kind, token).map(ValueRef::to_value)
}

/// The decimal number `token` (1-20 ASCII digits, no sign), if it fits a `u64` and is at most
/// `max`; one pass over the bytes.
fn parse_uint(token: &str, max: u64) -> Option<u64> {
    let b = token.as_bytes();
    if b.is_empty() || b.len() > 20 {
        return None;
    }
    let mut n: u64 = 0;
    if b.len() < 20 {
        // Nineteen digits cannot overflow.
        for &c in b {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            n = n * 10 + u64::from(d);
        }
    } else {
        for &c in b {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            n = n.checked_mul(10)?.checked_add(u64::from(d))?;
        }
    }
    (n <= max).then_some(n)
}

/// A dotted-quad IPv4 address by the standard library's rules (four decimal octets of 1-3 digits,
/// at most 255, no leading zero), in one pass; `None` for anything else, which the caller then
/// hands to `IpAddr::from_str`.
fn parse_ipv4(token: &str) -> Option<Ipv4Addr> {
    let b = token.as_bytes();
    ipv4_at(b, 0).and_then(|(a, end)| (end == b.len()).then_some(a))
}

/// The dotted-quad IPv4 address (by the rules of [`parse_ipv4`]) that starts at `start` of `b`,
/// and where it ends (what follows is the caller's to judge).
#[inline]
pub(crate) fn ipv4_at(b: &[u8], start: usize) -> Option<(Ipv4Addr, usize)> {
    let mut octets = [0u8; 4];
    let mut i = start;
    for (k, octet) in octets.iter_mut().enumerate() {
        if k > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let first = i;
        let mut n: u32 = 0;
        while i - first < 3 {
            match b.get(i) {
                Some(&c) if c.is_ascii_digit() => n = n * 10 + u32::from(c - b'0'),
                _ => break,
            }
            i += 1;
        }
        let digits = i - first;
        if digits == 0 || (digits > 1 && b[first] == b'0') || n > 255 {
            return None;
        }
        *octet = n as u8;
    }
    Some((Ipv4Addr::from(octets), i))
}

/// An IPv6 address of hexadecimal groups (1-4 digits each) with at most one `::` standing for
/// one zero group or more, by the standard library's rules, in one pass. `None` for anything else
/// (an embedded IPv4 address, a zone, garbage), which the caller then hands to `IpAddr::from_str`.
pub(crate) fn parse_ipv6(b: &[u8]) -> Option<Ipv6Addr> {
    if b.len() < 2 || b.len() > 39 {
        return None;
    }
    let mut groups = [0u16; 8];
    let mut n = 0;
    // Where `::` is: the number of groups before it.
    let mut gap = None;
    let mut i = 0;
    if b.starts_with(b"::") {
        gap = Some(0);
        i = 2;
    }
    while i < b.len() {
        let start = i;
        let mut v: u16 = 0;
        while i < b.len() && i - start < 4 {
            let d = match b[i] {
                c @ b'0'..=b'9' => c - b'0',
                c @ b'a'..=b'f' => c - b'a' + 10,
                c @ b'A'..=b'F' => c - b'A' + 10,
                _ => break,
            };
            v = v << 4 | u16::from(d);
            i += 1;
        }
        if i == start || n == 8 {
            return None;
        }
        groups[n] = v;
        n += 1;
        if i == b.len() {
            break;
        }
        if b[i] != b':' {
            return None;
        }
        i += 1;
        if b.get(i) == Some(&b':') {
            if gap.is_some() {
                return None;
            }
            gap = Some(n);
            i += 1;
        } else if i == b.len() {
            return None;
        }
    }
    match gap {
        None if n == 8 => Some(Ipv6Addr::from(groups)),
        Some(at) if n <= 7 => {
            let mut out = [0u16; 8];
            out[..at].copy_from_slice(&groups[..at]);
            out[8 - (n - at)..].copy_from_slice(&groups[at..n]);
            Some(Ipv6Addr::from(out))
        }
        _ => None,
    }
}

/// [`parse_value`] without allocating: the text of a text value is borrowed from `token`.
pub fn parse_value_ref(kind: Kind, token: &str) -> Option<ValueRef<'_>> {
    if token == "-" {
        return Some(ValueRef::Absent);
    }
    let uint = |max: u64| parse_uint(token, max).map(ValueRef::UInt);
    let text = |ok: bool| ok.then_some(ValueRef::Text(token));
    match kind {
        Kind::Version => uint(u64::from(u8::MAX)),
        Kind::Port => uint(u64::from(u16::MAX)),
        Kind::Protocol | Kind::TcpFlags => uint(u64::from(u8::MAX)),
        Kind::Packets | Kind::Bytes | Kind::Time | Kind::PacketsLost => uint(u64::MAX),
        // Codes 1-8 today; codes up to 15 that AWS may add are kept and explained as unknown.
        // Wider would let traffic-path pass for packet counts when formats are inferred.
        Kind::TrafficPath => uint(15).filter(|v| *v != ValueRef::UInt(0)),
        Kind::EncryptionStatus => uint(3),
        Kind::AccountId => text(
            token == "unknown" || (token.len() == 12 && token.bytes().all(|b| b.is_ascii_digit())),
        ),
        Kind::InterfaceId => text(aws_id(token, "eni-")),
        Kind::VpcId => text(aws_id(token, "vpc-")),
        Kind::SubnetId => text(aws_id(token, "subnet-")),
        Kind::InstanceId => text(aws_id(token, "i-")),
        Kind::TgwId => text(aws_id(token, "tgw-")),
        Kind::TgwAttachmentId => text(aws_id(token, "tgw-attach-")),
        Kind::Address => match parse_ipv4(token) {
            Some(a) => Some(ValueRef::Addr(IpAddr::V4(a))),
            None => match parse_ipv6(token.as_bytes()) {
                Some(a) => Some(ValueRef::Addr(IpAddr::V6(a))),
                None => token.parse::<IpAddr>().ok().map(ValueRef::Addr),
            },
        },
        Kind::Action => text(matches!(token, "ACCEPT" | "REJECT")),
        Kind::LogStatus => text(matches!(token, "OK" | "NODATA" | "SKIPDATA")),
        Kind::TrafficType => text(matches!(token, "IPv4" | "IPv6" | "EFA")),
        Kind::FlowDirection => text(matches!(token, "ingress" | "egress")),
        Kind::SublocationType => text(matches!(token, "wavelength" | "outpost" | "localzone")),
        Kind::Region => text(is_region(token)),
        Kind::AzId => text(is_az_id(token)),
        Kind::SublocationId => text(is_az_id(token) || is_resource_id(token)),
        Kind::ResourceId => text(is_resource_id(token)),
        Kind::AwsService | Kind::RejectReason => text(is_upper_code(token)),
        Kind::EcsArn => text(is_ecs_arn(token)),
        Kind::EcsName => text(
            token.len() <= 255
                && token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && token.bytes().any(|b| b.is_ascii_alphabetic()),
        ),
        Kind::EcsId => text(is_ecs_id(token)),
        // Tags are percent-encoded, so any token is one; decoding is the explanation's business.
        Kind::Tag => text(!token.is_empty()),
        Kind::InterfaceType => text(
            token.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                && token
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        ),
        // CamelCase words: `TransitGateway`, and others AWS may add.
        Kind::ResourceType => {
            let b = token.as_bytes();
            text(
                b.len() >= 2
                    && b[0].is_ascii_uppercase()
                    && b[1].is_ascii_lowercase()
                    && b.iter().all(u8::is_ascii_alphanumeric),
            )
        }
    }
}

/// An AWS resource ID: `prefix` followed by lower-case letters and digits (`vpc-0a1b2c3d`).
fn aws_id(token: &str, prefix: &str) -> bool {
    token.strip_prefix(prefix).is_some_and(|h| {
        !h.is_empty()
            && h.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    })
}

/// Non-empty parts of lower-case letters and digits joined by `-` (checked without collecting
/// the parts: this runs for every record of a format with a region or zone).
fn lower_parts(token: &str) -> bool {
    let mut after_dash = true;
    for &b in token.as_bytes() {
        if b == b'-' {
            if after_dash {
                return false;
            }
            after_dash = true;
        } else if b.is_ascii_lowercase() || b.is_ascii_digit() {
            after_dash = false;
        } else {
            return false;
        }
    }
    !after_dash
}

/// The first and the last `-`-separated parts of `token`, when it has two parts at least.
fn first_and_last(token: &str) -> Option<(&str, &str)> {
    let b = token.as_bytes();
    let first = b.iter().position(|&c| c == b'-')?;
    let last = b.iter().rposition(|&c| c == b'-')?;
    Some((&token[..first], &token[last + 1..]))
}

/// A Region code: letters, one or more words, a number: `us-east-1`, `us-gov-west-1`,
/// `eusc-de-east-1`.
fn is_region(token: &str) -> bool {
    if !lower_parts(token) {
        return false;
    }
    let Some((words, last)) = token.rsplit_once('-') else {
        return false;
    };
    // Three parts at least: two words or more before the number.
    words.contains('-')
        && last.bytes().all(|b| b.is_ascii_digit())
        && words.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
}

/// An Availability Zone ID: a region abbreviation with its number, then `az` and a number
/// (`use1-az1`, `apne3-az2`), or a Local Zone or Wavelength Zone ID (`usw2-lax1-az1`,
/// `usw2-wl1-sfo-wlz1`).
fn is_az_id(token: &str) -> bool {
    if !lower_parts(token) {
        return false;
    }
    let Some((first, last)) = first_and_last(token) else {
        return false;
    };
    let first = first.as_bytes();
    let letters = first.iter().take_while(|b| b.is_ascii_lowercase()).count();
    letters >= 2
        && letters < first.len()
        && first[letters..].iter().all(u8::is_ascii_digit)
        && zone_suffix(last)
}

/// `az1`, `wlz1`: letters ending in `z`, then a number.
fn zone_suffix(part: &str) -> bool {
    let digits = part.bytes().rev().take_while(u8::is_ascii_digit).count();
    let letters = &part[..part.len() - digits];
    digits > 0 && letters.ends_with('z') && letters.bytes().all(|b| b.is_ascii_lowercase())
}

/// A resource ID: a lower-case prefix, `-`, and an ID of letters and digits with a digit
/// (`nat-0a1b2c3d4e5f67890`, `op-0123456789abcdef0`); the prefix may have several words.
fn is_resource_id(token: &str) -> bool {
    if !lower_parts(token) {
        return false;
    }
    let Some((first, last)) = first_and_last(token) else {
        return false;
    };
    first.bytes().all(|b| b.is_ascii_lowercase()) && last.bytes().any(|b| b.is_ascii_digit())
}

/// An upper-case code of letters, digits and `_` with a letter: `S3`, `EC2`, `ROUTE53_HEALTHCHECKS`,
/// `BPA`.
fn is_upper_code(token: &str) -> bool {
    token
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && token.bytes().any(|b| b.is_ascii_uppercase())
}

/// An Amazon ECS or Docker ID: 16 to 64 lower-case hexadecimal digits (a task ID has 32, a
/// Docker container ID 64), or, as AWS Fargate writes container IDs, 32 of them, `-` and a
/// number (`<task ID>-<digits>`).
fn is_ecs_id(token: &str) -> bool {
    let hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    match token.split_once('-') {
        None => (16..=64).contains(&token.len()) && hex(token),
        Some((id, n)) => {
            id.len() == 32
                && hex(id)
                && (1..=20).contains(&n.len())
                && n.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

/// An Amazon ECS ARN in any partition: `arn:aws:ecs:…`, `arn:aws-cn:ecs:…`.
fn is_ecs_arn(token: &str) -> bool {
    let mut parts = token.splitn(4, ':');
    parts.next() == Some("arn")
        && parts
            .next()
            .is_some_and(|p| p == "aws" || p.starts_with("aws-"))
        && parts.next() == Some("ecs")
        && parts.next().is_some_and(|rest| !rest.is_empty())
        && !token.contains(char::is_whitespace)
}

/// Decodes percent-encoded UTF-8 (`Name%3Dweb%20server` → `Name=web server`); `None` when a `%` is
/// not followed by two hexadecimal digits or the bytes are not UTF-8. A `+` stays a `+`.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_forms_as_the_standard_library_reads_them() {
        for text in [
            "::",
            "::1",
            "1::",
            "fe80::1",
            "2001:db8::",
            "2001:DB8:0:0:8:800:200C:417A",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6::8",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7:8",
            "1::2::3",
            ":1",
            "1:",
            "1:::2",
            "12345::",
            "::ffff:1.2.3.4",
            "64:ff9b::192.0.2.33",
            "fe80::1%eth0",
            "g::",
            ":",
            "0000:0000:0000:0000:0000:0000:0000:0001",
            "1:2:3:4:5:6:7:8:9",
            "::0:",
        ] {
            let std = text.parse::<Ipv6Addr>().ok();
            let ours = parse_ipv6(text.as_bytes());
            assert!(ours.is_none() || ours == std, "{text}: {ours:?} vs {std:?}");
            if !text.contains('.') && !text.contains('%') {
                assert_eq!(ours, std, "{text}");
            }
        }
    }

    /// The shape tests as first written (collecting the parts), to check the ones in use against.
    mod reference {
        fn lower_parts(token: &str) -> Option<Vec<&str>> {
            let parts: Vec<&str> = token.split('-').collect();
            parts
                .iter()
                .all(|p| {
                    !p.is_empty()
                        && p.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
                .then_some(parts)
        }
        pub fn is_region(token: &str) -> bool {
            let Some(parts) = lower_parts(token) else {
                return false;
            };
            let (last, words) = parts.split_last().unwrap();
            parts.len() >= 3
                && last.bytes().all(|b| b.is_ascii_digit())
                && words
                    .iter()
                    .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
        }
        pub fn is_az_id(token: &str) -> bool {
            let Some(parts) = lower_parts(token) else {
                return false;
            };
            let first = parts[0].as_bytes();
            let letters = first.iter().take_while(|b| b.is_ascii_lowercase()).count();
            parts.len() >= 2
                && letters >= 2
                && letters < first.len()
                && first[letters..].iter().all(u8::is_ascii_digit)
                && parts.last().is_some_and(|p| super::super::zone_suffix(p))
        }
        pub fn is_resource_id(token: &str) -> bool {
            let Some(parts) = lower_parts(token) else {
                return false;
            };
            let (last, words) = parts.split_last().unwrap();
            !words.is_empty()
                && words[0].bytes().all(|b| b.is_ascii_lowercase())
                && last.bytes().any(|b| b.is_ascii_digit())
        }
    }

    #[test]
    fn shape_tests_agree_with_their_first_versions() {
        let alphabet = ["a", "z", "1", "-", "A"];
        let mut tokens = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..7 {
            last = last
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            tokens.extend(last.iter().cloned());
        }
        tokens.extend(["us-east-1", "usw2-wl1-sfo-wlz1", "nat-0a1b"].map(String::from));
        for t in &tokens {
            assert_eq!(is_region(t), reference::is_region(t), "{t}");
            assert_eq!(is_az_id(t), reference::is_az_id(t), "{t}");
            assert_eq!(is_resource_id(t), reference::is_resource_id(t), "{t}");
        }
    }

    #[test]
    fn ipv4_fast_path_agrees_with_the_standard_library() {
        for t in [
            "0.0.0.0",
            "10.0.4.135",
            "255.255.255.255",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "1.2.3.04",
            "1.2.3.0",
            "1..3.4",
            "1.2.3.4 ",
            "+1.2.3.4",
            "1.2.3.4a",
            "1000.2.3.4",
            "::ffff:1.2.3.4",
            "2001:db8::1",
            "",
        ] {
            assert_eq!(
                parse_value(Kind::Address, t),
                t.parse::<IpAddr>().ok().map(Value::Addr),
                "{t}"
            );
            if let Some(a) = parse_ipv4(t) {
                assert_eq!(Ok(a), t.parse::<Ipv4Addr>(), "{t}");
            }
        }
        for n in 0..=999u32 {
            for t in [
                format!("{n}.1.1.1"),
                format!("1.1.1.{n}"),
                format!("1.1.1.0{n}"),
            ] {
                assert_eq!(
                    parse_ipv4(&t).ok_or(()),
                    t.parse::<Ipv4Addr>().map_err(|_| ()),
                    "{t}"
                );
            }
        }
    }

    #[test]
    fn numbers_out_of_range_and_negative_are_rejected() {
        for bad in ["-1", "18446744073709551616", "1e3", "+5", "0x10", ""] {
            assert_eq!(parse_value(Kind::Bytes, bad), None, "{bad}");
        }
        assert_eq!(parse_value(Kind::Protocol, "256"), None);
        assert_eq!(
            parse_value(Kind::Bytes, "18446744073709551615"),
            Some(Value::UInt(u64::MAX))
        );
    }
    fn accepts(kind: Kind, token: &str) -> bool {
        parse_value(kind, token).is_some()
    }

    #[test]
    fn ids_accept_only_their_own_prefix() {
        let cases: &[(Kind, &str, &[&str])] = &[
            (
                Kind::VpcId,
                "vpc-abcdefab012345678",
                &["subnet-0a", "vpc-", "vpc-AB", "eni-0a1b"],
            ),
            (
                Kind::SubnetId,
                "subnet-aaaaaaaa012345678",
                &["vpc-0a", "subnet-"],
            ),
            (
                Kind::InstanceId,
                "i-01234567890123456",
                &["i-", "eni-0a1b", "vpc-0a"],
            ),
            (
                Kind::InterfaceId,
                "eni-1235b8ca123456789",
                &["i-0a", "eni-"],
            ),
            (
                Kind::TgwId,
                "tgw-0f4c0c3e0f8f3b5d0",
                &["tgw-attach-0a1b", "tgw-", "vpc-0a"],
            ),
            (
                Kind::TgwAttachmentId,
                "tgw-attach-0a1b2c3d4e5f6a7b8",
                &["tgw-0a1b", "tgw-attach-"],
            ),
        ];
        for (kind, good, bad) in cases {
            assert_eq!(parse_value(*kind, good), Some(Value::Text((*good).into())));
            assert!(accepts(*kind, "-"));
            for b in *bad {
                assert!(!accepts(*kind, b), "{kind:?} accepted {b}");
            }
        }
    }

    #[test]
    fn regions_and_zones_are_told_apart() {
        for r in [
            "us-east-1",
            "ap-northeast-3",
            "eusc-de-east-1",
            "us-gov-west-1",
            "cn-north-1",
        ] {
            assert!(accepts(Kind::Region, r), "{r}");
            assert!(!accepts(Kind::AzId, r), "{r}");
        }
        for z in [
            "use1-az1",
            "apne3-az2",
            "usw2-lax1-az1",
            "usw2-wl1-sfo-wlz1",
        ] {
            assert!(accepts(Kind::AzId, z), "{z}");
            assert!(!accepts(Kind::Region, z), "{z}");
        }
        for bad in ["us-east", "US-EAST-1", "1", "ingress", "use1", "az1-use1"] {
            assert!(
                !accepts(Kind::Region, bad) && !accepts(Kind::AzId, bad),
                "{bad}"
            );
        }
        assert!(accepts(Kind::SublocationId, "op-0123456789abcdef0"));
        assert!(accepts(Kind::SublocationId, "usw2-lax1-az1"));
        assert!(!accepts(Kind::SublocationId, "outpost"));
    }

    #[test]
    fn codes_and_words() {
        assert!(accepts(Kind::FlowDirection, "ingress") && accepts(Kind::FlowDirection, "egress"));
        assert!(!accepts(Kind::FlowDirection, "Ingress"));
        for t in ["IPv4", "IPv6", "EFA"] {
            assert!(accepts(Kind::TrafficType, t));
        }
        assert!(!accepts(Kind::TrafficType, "ipv4"));
        for s in ["wavelength", "outpost", "localzone"] {
            assert!(accepts(Kind::SublocationType, s));
        }
        for s in ["S3", "EC2", "AMAZON", "ROUTE53_HEALTHCHECKS", "DYNAMODB"] {
            assert!(accepts(Kind::AwsService, s), "{s}");
        }
        for s in ["s3", "123", "", "EC-2"] {
            assert!(!accepts(Kind::AwsService, s), "{s}");
        }
        assert!(accepts(Kind::RejectReason, "BPA") && accepts(Kind::RejectReason, "EC"));
        assert!(accepts(Kind::RejectReason, "NEW_REASON"));
        assert!(!accepts(Kind::RejectReason, "bpa"));
        assert!(accepts(Kind::ResourceType, "TransitGateway"));
        assert!(accepts(Kind::ResourceType, "Vpc"));
        for bad in ["IPv4", "ACCEPT", "transitgateway", "T"] {
            assert!(!accepts(Kind::ResourceType, bad), "{bad}");
        }
        for it in [
            "nat_gateway",
            "network_load_balancer",
            "vpc_endpoint",
            "interface",
        ] {
            assert!(accepts(Kind::InterfaceType, it), "{it}");
        }
        for bad in ["NAT_GATEWAY", "nat-gateway", "_x", "1abc"] {
            assert!(!accepts(Kind::InterfaceType, bad), "{bad}");
        }
        assert!(accepts(Kind::ResourceId, "nat-0a1b2c3d4e5f67890"));
        assert!(!accepts(Kind::ResourceId, "nat_gateway"));
        assert!(!accepts(Kind::ResourceId, "123"));
    }

    #[test]
    fn numeric_codes_have_their_ranges() {
        assert_eq!(parse_value(Kind::TcpFlags, "19"), Some(Value::UInt(19)));
        assert!(!accepts(Kind::TcpFlags, "256"));
        for p in ["1", "8", "9", "15"] {
            assert!(accepts(Kind::TrafficPath, p), "{p}");
        }
        assert!(!accepts(Kind::TrafficPath, "0") && !accepts(Kind::TrafficPath, "16"));
        for e in ["0", "1", "2", "3"] {
            assert!(accepts(Kind::EncryptionStatus, e));
        }
        assert!(!accepts(Kind::EncryptionStatus, "4"));
        assert_eq!(parse_value(Kind::PacketsLost, "0"), Some(Value::UInt(0)));
        assert!(!accepts(Kind::PacketsLost, "x"));
    }

    #[test]
    fn ecs_values() {
        let arn = "arn:aws:ecs:us-east-1:123456789012:cluster/my-cluster";
        assert!(accepts(Kind::EcsArn, arn));
        assert!(accepts(
            Kind::EcsArn,
            "arn:aws-cn:ecs:cn-north-1:123456789012:task/c/0a1b"
        ));
        assert!(!accepts(
            Kind::EcsArn,
            "arn:aws:ec2:us-east-1:1:instance/i-0a"
        ));
        assert!(!accepts(Kind::EcsArn, "my-cluster"));
        assert!(accepts(Kind::EcsName, "my-cluster_1"));
        assert!(!accepts(Kind::EcsName, "123"));
        assert!(!accepts(Kind::EcsName, arn));
        assert!(accepts(Kind::EcsId, "0a1b2c3d4e5f60718293a4b5c6d7e8f9"));
        assert!(!accepts(Kind::EcsId, "654654279488"));
        assert!(!accepts(Kind::EcsId, "0A1B2C3D4E5F60718293A4B5C6D7E8F9"));
        // AWS Fargate's container IDs: the task ID, `-`, a number.
        assert!(accepts(
            Kind::EcsId,
            "5f0a1b2c3d4e4f5a8b9c0d1e2f3a4b5c-3596350315"
        ));
        assert!(!accepts(Kind::EcsId, "5f0a1b2c3d4e4f5a8b9c0d1e2f3a4b5c-"));
        assert!(!accepts(Kind::EcsId, "5f0a1b2c-3596350315"));
    }

    #[test]
    fn tags_are_any_token_and_decode() {
        assert!(accepts(Kind::Tag, "Name%3Dweb%20server"));
        assert!(accepts(Kind::Tag, "%ZZ"));
        assert_eq!(
            percent_decode("Name%3Dweb%20server").as_deref(),
            Some("Name=web server")
        );
        assert_eq!(
            percent_decode("%E6%9D%B1%E4%BA%AC").as_deref(),
            Some("東京")
        );
        assert_eq!(percent_decode("a+b").as_deref(), Some("a+b"));
        for bad in ["%ZZ", "%4", "abc%", "%FF%FE"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
    }
}
