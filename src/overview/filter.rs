//! The filter of each row of the summary: an expression in flowlens's filter language (see the
//! `query` module) that selects exactly the records the row counts, so that a row can be
//! clicked to list them.
//!
//! **Where they are not exact.** The summary reads `pkt-srcaddr` / `pkt-dstaddr` when a format
//! lacks `srcaddr` / `dstaddr`; the filters test `srcaddr` / `dstaddr` only, so over such custom
//! formats the rows of addresses select fewer records than they count. Rows of a table that
//! overflowed its bound (`exact: false`) may count fewer records than their filter selects.

use crate::classify::scope::Scope;
use std::fmt::Write as _;
use std::net::IpAddr;

/// `a`, as the filter language reads an address.
pub(crate) fn addr(a: IpAddr) -> String {
    a.to_string()
}

/// `a/len` (the block holding `a`).
pub(crate) fn block(a: IpAddr) -> String {
    match a {
        IpAddr::V4(_) => format!("{a}/24"),
        IpAddr::V6(_) => format!("{a}/64"),
    }
}

/// A time as the filter reads it to the second: ISO 8601 in UTC from 1970 to 9999, else Unix
/// seconds (written in milliseconds when they would be read as such).
pub(crate) fn time(secs: u64) -> String {
    // 253402300800: 10000-01-01T00:00:00Z.
    if secs < 253_402_300_800 {
        let days = (secs / 86_400) as i64;
        let (y, m, d) = civil(days);
        let s = secs % 86_400;
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            s / 3600,
            s % 3600 / 60,
            s % 60
        )
    } else {
        // Read as milliseconds from 100,000,000,000 up: write them so.
        match secs.checked_mul(1000) {
            Some(ms) => ms.to_string(),
            None => secs.to_string(),
        }
    }
}

/// The date of `days` since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Records whose `start` is in `[from, from + width)`.
pub(crate) fn start_within(from: u64, width: u64) -> String {
    match from.checked_add(width) {
        Some(to) if to < u64::MAX / 1000 => {
            format!("start >= {} and start < {}", time(from), time(to))
        }
        _ => format!("start >= {}", time(from)),
    }
}

/// A word of the filter language for a name (quoted when it holds a character that ends a word).
pub(crate) fn word(w: &str) -> String {
    let plain = !w.is_empty()
        && w.chars().all(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '(' | ')' | ',' | '=' | '!' | '<' | '>' | '"' | '\'' | '&' | '|'
                )
        });
    if plain {
        w.to_string()
    } else {
        format!("\"{}\"", w.replace('"', ""))
    }
}

/// `name in (a, b, …)`, or `name = a` for one.
pub(crate) fn one_of(name: &str, values: &[&str]) -> String {
    match values {
        [one] => format!("{name}={}", word(one)),
        _ => {
            let mut s = format!("{name} in (");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                let _ = write!(s, "{}", word(v));
            }
            s.push(')');
            s
        }
    }
}

/// The scope key the filter reads (`srcscope=…`).
pub(crate) fn scope(s: Scope) -> &'static str {
    s.key()
}

/// A protocol and a service's port: requests to it, replies from it, records of unknown roles
/// to it (as the services table counts them).
pub(crate) fn service(protocol: u8, port: u16) -> String {
    format!(
        "protocol={protocol} and (dstport={port} and role!=reply or srcport={port} and role=reply)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(time(0), "1970-01-01T00:00:00Z");
        assert_eq!(time(1_744_502_400), "2025-04-13T00:00:00Z");
        assert_eq!(time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(time(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(time(253_402_300_800), "253402300800000");
        assert_eq!(
            start_within(1_744_502_400, 3600),
            "start >= 2025-04-13T00:00:00Z and start < 2025-04-13T01:00:00Z"
        );
    }

    #[test]
    fn words() {
        assert_eq!(word("us-east-1"), "us-east-1");
        assert_eq!(word("a b"), "\"a b\"");
        assert_eq!(one_of("x", &["a"]), "x=a");
        assert_eq!(one_of("x", &["a", "b"]), "x in (a, b)");
    }
}
