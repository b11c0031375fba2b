//! Values as an expression writes them, read by the type of what they are compared with: numbers,
//! times (ISO 8601 or Unix seconds, each with the precision it is written to), protocol names,
//! addresses and CIDR blocks, and the words of derived facts.

use super::ast::AddrRange;
use super::error::ValueKind;
use super::names::{self, ValueType, SCOPE_KEYS};
use crate::classify::protocol;
use crate::model::value::{parse_value_ref, ValueRef};
use std::net::IpAddr;

/// A time value from this many up is in milliseconds (as [`crate::model::fields::Kind::Time`]
/// reads them).
pub(crate) const MILLIS_FROM: u64 = 100_000_000_000;

/// A time in seconds, from seconds or milliseconds.
#[inline]
pub(crate) fn seconds(t: u64) -> u64 {
    if t >= MILLIS_FROM {
        t / 1000
    } else {
        t
    }
}

/// One value as written, typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Lit {
    /// `-`: no value.
    Absent,
    /// An integer or a time, as the inclusive range it stands for (a date is its whole day).
    Range(u64, u64),
    /// An address (a one-address range) or a CIDR block.
    Addr(AddrRange),
    /// A text, in lower case.
    Text(Box<str>),
    /// A member of a small set.
    Bit(u32),
    /// `true` or `false`.
    Bool(bool),
}

/// `word` read as a value of type `ty`; what such values look like when it is not one.
pub(crate) fn literal(ty: ValueType, word: &str) -> Result<Lit, ValueKind> {
    if word == "-" && ty != ValueType::Boolean {
        return Ok(Lit::Absent);
    }
    match ty {
        ValueType::Integer(kind) => match parse_value_ref(kind, word) {
            Some(ValueRef::UInt(n)) => Ok(Lit::Range(n, n)),
            _ => Err(expectation(ty)),
        },
        ValueType::Time => time(word).ok_or(expectation(ty)),
        ValueType::Protocol => protocol_number(word)
            .map(|n| Lit::Range(n, n))
            .ok_or(expectation(ty)),
        ValueType::Address => address(word).map(Lit::Addr).ok_or(expectation(ty)),
        ValueType::Text(None) | ValueType::Names => Ok(Lit::Text(word.to_ascii_lowercase().into())),
        ValueType::Text(Some(words)) => words
            .iter()
            .find(|w| w.eq_ignore_ascii_case(word))
            .map(|w| Lit::Text(w.to_ascii_lowercase().into()))
            .ok_or(expectation(ty)),
        ValueType::Scope => names::scope_word(word).map(Lit::Bit).ok_or(expectation(ty)),
        ValueType::Cloud => names::cloud_word(word).map(Lit::Bit).ok_or(expectation(ty)),
        ValueType::Role => match word.to_ascii_lowercase().as_str() {
            "request" => Ok(Lit::Bit(names::REQUEST)),
            "reply" => Ok(Lit::Bit(names::REPLY)),
            _ => Err(expectation(ty)),
        },
        ValueType::Direction => match word.to_ascii_lowercase().as_str() {
            "inbound" | "ingress" => Ok(Lit::Bit(names::INBOUND)),
            "outbound" | "egress" => Ok(Lit::Bit(names::OUTBOUND)),
            _ => Err(expectation(ty)),
        },
        ValueType::Boolean => match word.to_ascii_lowercase().as_str() {
            "true" | "yes" => Ok(Lit::Bool(true)),
            "false" | "no" => Ok(Lit::Bool(false)),
            _ => Err(expectation(ty)),
        },
    }
}

/// What values of type `ty` look like, for a message.
pub(crate) fn expectation(ty: ValueType) -> ValueKind {
    match ty {
        ValueType::Integer(kind) => ValueKind::Field(kind),
        ValueType::Time => ValueKind::Time,
        ValueType::Protocol => ValueKind::Protocol,
        ValueType::Address => ValueKind::Address,
        ValueType::Text(Some(words)) => ValueKind::OneOf(words),
        ValueType::Text(None) | ValueType::Names => ValueKind::Text,
        ValueType::Scope => ValueKind::OneOf(SCOPE_KEYS),
        ValueType::Cloud => ValueKind::OneOf(crate::classify::clouds::published::PROVIDERS),
        ValueType::Role => ValueKind::OneOf(ROLES),
        ValueType::Direction => ValueKind::OneOf(DIRECTIONS),
        ValueType::Boolean => ValueKind::Boolean,
    }
}

const ROLES: &[&str] = &["request", "reply"];
const DIRECTIONS: &[&str] = &["inbound", "outbound"];

/// A protocol number (0-255) or an IANA keyword in any case (`tcp`, `ipv6-icmp`; `icmpv6` too).
fn protocol_number(word: &str) -> Option<u64> {
    if let Some(ValueRef::UInt(n)) = parse_value_ref(crate::model::fields::Kind::Protocol, word) {
        return Some(n);
    }
    if word.eq_ignore_ascii_case("icmpv6") {
        return Some(58);
    }
    (0..=255u8)
        .find(|n| {
            let k = protocol::protocol(*n).keyword;
            !k.is_empty() && k.eq_ignore_ascii_case(word)
        })
        .map(u64::from)
}

/// An address (a range of one) or a CIDR block (host bits ignored).
fn address(word: &str) -> Option<AddrRange> {
    let (addr, len) = match word.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (word, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let len: Option<u32> = match len {
        Some(l) if !l.is_empty() && l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()) => {
            Some(l.parse().ok()?)
        }
        Some(_) => return None,
        None => None,
    };
    Some(match ip {
        IpAddr::V4(a) => {
            let len = len.unwrap_or(32);
            if len > 32 {
                return None;
            }
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            let lo = u32::from(a) & mask;
            AddrRange::V4(lo, lo | !mask)
        }
        IpAddr::V6(a) => {
            let len = len.unwrap_or(128);
            if len > 128 {
                return None;
            }
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            let lo = u128::from(a) & mask;
            AddrRange::V6(lo, lo | !mask)
        }
    })
}

/// A time: Unix seconds (milliseconds from [`MILLIS_FROM`]), or ISO 8601 `YYYY-MM-DD`,
/// `YYYY-MM-DDTHH`, `…THH:MM`, `…THH:MM:SS` (a fraction of a second is ignored), in UTC
/// (`Z` optional) or with an offset (`+09:00`). The range is what the value's precision covers:
/// a date its whole day, a minute its 60 seconds.
fn time(word: &str) -> Option<Lit> {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        let n = seconds(word.parse().ok()?);
        return Some(Lit::Range(n, n));
    }
    let b = word.as_bytes();
    let num = |at: usize, len: usize| -> Option<i64> {
        let s = b.get(at..at + len)?;
        s.iter()
            .all(u8::is_ascii_digit)
            .then(|| s.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let (y, m, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let mut at = 10;
    let mut secs = days_from_civil(y, m, d) * 86_400;
    let mut span = 86_400;
    if matches!(b.get(at), Some(b'T' | b't')) {
        let h = num(at + 1, 2).filter(|h| *h < 24)?;
        secs += h * 3600;
        span = 3600;
        at += 3;
        if b.get(at) == Some(&b':') {
            let mi = num(at + 1, 2).filter(|m| *m < 60)?;
            secs += mi * 60;
            span = 60;
            at += 3;
            if b.get(at) == Some(&b':') {
                let s = num(at + 1, 2).filter(|s| *s < 60)?;
                secs += s;
                span = 1;
                at += 3;
                if b.get(at) == Some(&b'.') {
                    at += 1;
                    let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
                    if digits == 0 {
                        return None;
                    }
                    at += digits;
                }
            }
        }
    }
    match b.get(at) {
        None => {}
        Some(b'Z' | b'z') if at + 1 == b.len() => {}
        Some(sign @ (b'+' | b'-')) if span < 86_400 => {
            let oh = num(at + 1, 2).filter(|h| *h < 24)?;
            let om = match b.get(at + 3) {
                Some(b':') => num(at + 4, 2)?,
                _ => num(at + 3, 2)?,
            };
            let tail = if b.get(at + 3) == Some(&b':') { 6 } else { 5 };
            if at + tail != b.len() || om >= 60 {
                return None;
            }
            let offset = oh * 3600 + om * 60;
            secs += if *sign == b'+' { -offset } else { offset };
        }
        _ => return None,
    }
    let lo = u64::try_from(secs).ok()?;
    Some(Lit::Range(lo, lo + span as u64 - 1))
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to `y`-`m`-`d` (proleptic Gregorian; Howard Hinnant's algorithm, the
/// inverse of the one [`crate::text::time::utc`] uses).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::time::utc;

    fn range(word: &str) -> Option<(u64, u64)> {
        match time(word)? {
            Lit::Range(a, b) => Some((a, b)),
            _ => None,
        }
    }

    #[test]
    fn times_at_their_precision() {
        let t = 1744521785; // 2025-04-13T05:23:05Z
        assert_eq!(range("2025-04-13T05:23:05Z"), Some((t, t)));
        assert_eq!(range("2025-04-13t05:23:05.250z"), Some((t, t)));
        assert_eq!(range("2025-04-13T05:23Z"), Some((t - 5, t - 5 + 59)));
        assert_eq!(
            range("2025-04-13T05"),
            Some((t - 23 * 60 - 5, t - 23 * 60 - 5 + 3599))
        );
        let day = range("2025-04-13").unwrap();
        assert_eq!(utc(day.0), "2025-04-13T00:00:00Z");
        assert_eq!(utc(day.1), "2025-04-13T23:59:59Z");
        assert_eq!(range("2025-04-13T14:23:05+09:00"), Some((t, t)));
        assert_eq!(range("2025-04-13T00:23:05-0500"), Some((t, t)));
        assert_eq!(range("1744521785"), Some((t, t)));
        assert_eq!(range("1744521785123"), Some((t, t)));
        assert_eq!(utc(range("2000-02-29").unwrap().0), "2000-02-29T00:00:00Z");
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-04-13T24:00",
            "2025-04-13T05:60",
            "2025-04-13 05:00",
            "2025-4-13",
            "1969-12-31",
            "2025-04-13+09:00",
            "2025-04-13T05:00Zx",
            "2025-04-13T05:00:00.",
            "yesterday",
        ] {
            assert_eq!(time(bad), None, "{bad}");
        }
    }

    #[test]
    fn addresses_and_blocks() {
        assert_eq!(
            address("10.0.0.0/8"),
            Some(AddrRange::V4(0x0a00_0000, 0x0aff_ffff))
        );
        assert_eq!(address("10.1.2.3/8"), address("10.0.0.0/8"));
        assert_eq!(
            address("10.0.0.1"),
            Some(AddrRange::V4(0x0a00_0001, 0x0a00_0001))
        );
        assert_eq!(address("0.0.0.0/0"), Some(AddrRange::V4(0, u32::MAX)));
        assert_eq!(address("::/0"), Some(AddrRange::V6(0, u128::MAX)));
        assert!(address("2001:db8::/32").is_some());
        for bad in [
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0/8",
            "::/129",
            "10.0.0.0/+8",
            "x",
        ] {
            assert_eq!(address(bad), None, "{bad}");
        }
    }

    #[test]
    fn protocols_by_number_or_name() {
        assert_eq!(protocol_number("6"), Some(6));
        assert_eq!(protocol_number("TCP"), Some(6));
        assert_eq!(protocol_number("udp"), Some(17));
        assert_eq!(protocol_number("icmpv6"), Some(58));
        assert_eq!(protocol_number("IPv6-ICMP"), Some(58));
        assert_eq!(protocol_number("256"), None);
        assert_eq!(protocol_number("tcpx"), None);
    }
}
