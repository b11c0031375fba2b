//! The fast path of [`super::aws::AwsRanges::parse`]: a single-pass byte scanner specialised for
//! ip-ranges.json (a top-level object with `syncToken`, `createDate`, `prefixes` and
//! `ipv6_prefixes`, each list holding flat objects of short strings).
//!
//! It reads the prefixes straight from the bytes into integers, borrows every other string from
//! the text (no allocation per entry, only per distinct prefix) and merges repeated prefixes with
//! an integer-keyed map. It accepts only what it fully understands: anything else (string escapes,
//! `null` where a string is usual, an unusual prefix spelling, a duplicate key, any error) makes it
//! give up with `None`, and the caller falls back to the serde path, which gives the same result
//! on valid files and the same messages on bad ones.

use super::aws::AwsPrefix;
use crate::fxhash::FxBuild;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::de::IgnoredAny;
use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};

/// What the scan found, before the index is built.
pub(super) struct Scanned {
    pub create_date: String,
    pub sync_token: String,
    pub prefixes: Vec<AwsPrefix>,
    pub ipv4_count: usize,
    pub entries: usize,
}

/// One entry of a list, its strings borrowed from the text.
struct Entry<'a> {
    region: &'a str,
    service: &'a str,
    border_group: Option<&'a str>,
}

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    /// Skips JSON whitespace and returns the next byte.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        loop {
            let c = *self.b.get(self.i)?;
            match c {
                // Runs of spaces (the indentation), eight at a time.
                b' ' => match word(self.b, self.i) {
                    Some(w) => {
                        let other = w ^ SPACES;
                        if other == 0 {
                            self.i += 8;
                        } else {
                            self.i += (other.trailing_zeros() / 8) as usize;
                        }
                    }
                    None => self.i += 1,
                },
                b'\n' | b'\r' | b'\t' => self.i += 1,
                _ => return Some(c),
            }
        }
    }

    #[inline]
    fn eat(&mut self, c: u8) -> Option<()> {
        if self.peek()? == c {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }

    /// A string without escapes or control characters (anything else: give up).
    #[inline]
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.i;
        let mut end = start;
        // Eight bytes at a time to the first quote, backslash or control character.
        while let Some(w) = word(self.b, end) {
            let hit = special(w);
            if hit != 0 {
                end += (hit.trailing_zeros() / 8) as usize;
                break;
            }
            end += 8;
        }
        while !matches!(*self.b.get(end)?, b'"' | b'\\' | 0..=0x1f) {
            end += 1;
        }
        if self.b[end] != b'"' {
            return None;
        }
        let len = end - start;
        self.i = end + 1;
        // Both ends are ASCII quotes, so these are char boundaries.
        self.text.get(start..start + len)
    }

    /// `null` (returns true) or nothing (false, position unchanged).
    fn null(&mut self) -> Option<bool> {
        if self.peek()? == b'n' {
            if self.b.get(self.i..self.i + 4)? != b"null" {
                return None;
            }
            self.i += 4;
            return Some(true);
        }
        Some(false)
    }

    /// Skips any valid JSON value (validated by serde_json, so nothing serde would refuse passes).
    fn skip_value(&mut self) -> Option<()> {
        let rest = self.text.get(self.i..)?;
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<IgnoredAny>();
        values.next()?.ok()?;
        self.i += values.byte_offset();
        Some(())
    }

    /// Calls `field` for each key of an object (the value is the callee's to read); `None` on a
    /// malformed object.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            field(self, key)?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// One entry: its prefix text and the rest.
    fn entry(&mut self) -> Option<(&'a str, Entry<'a>)> {
        let (mut prefix, mut region, mut service) = (None, None, None);
        let mut border_group: Option<Option<&'a str>> = None;
        self.object(|s, key| {
            let k = key.as_bytes();
            let slot = match k.len() {
                9 if same(k, b"ip_prefix") => &mut prefix,
                11 if same(k, b"ipv6_prefix") => &mut prefix,
                6 if same(k, b"region") => &mut region,
                7 if same(k, b"service") => &mut service,
                20 if same(k, b"network_border_group") => {
                    if border_group.is_some() {
                        return None;
                    }
                    border_group = Some(if s.null()? { None } else { Some(s.string()?) });
                    return Some(());
                }
                _ => return s.skip_value(),
            };
            if slot.is_some() {
                return None; // duplicate key: serde's message
            }
            *slot = Some(s.string()?);
            Some(())
        })?;
        Some((
            prefix?,
            Entry {
                region: region?,
                service: service?,
                border_group: border_group.flatten(),
            },
        ))
    }

    /// A list of entries; `each` gets the prefix text and the entry.
    fn list(&mut self, mut each: impl FnMut(&'a str, Entry<'a>) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            let (p, e) = self.entry()?;
            each(p, e)?;
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const SPACES: u64 = 0x2020_2020_2020_2020;

/// The eight bytes at `i` as a little-endian word (first byte lowest), if there are eight.
#[inline]
fn word(b: &[u8], i: usize) -> Option<u64> {
    let w = b.get(i..i + 8)?;
    Some(u64::from_le_bytes(w.try_into().ok()?))
}

/// The high bit set in each byte of `w` that is zero, exact up to the first such byte (bytes
/// after it may be flagged wrongly, which the callers never look at).
#[inline]
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & HIGHS
}

/// Flags (as in [`zero_bytes`]) the bytes of `w` that end a plain string: `"`, `\\`, or a control
/// character (below 0x20).
#[inline]
fn special(w: u64) -> u64 {
    zero_bytes(w ^ (ONES * u64::from(b'"')))
        | zero_bytes(w ^ (ONES * u64::from(b'\\')))
        | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS)
}

/// `a == b`, byte by byte without a call to `bcmp` (which WASM does not have built in).
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |d, (x, y)| d | (x ^ y)) == 0
}

/// A decimal number of at most `max` digits, without a leading zero; returns (value, digits).
#[inline]
fn decimal(b: &[u8], max: usize) -> Option<(u32, usize)> {
    let mut v = 0u32;
    let mut n = 0;
    while let Some(&c) = b.get(n) {
        if !c.is_ascii_digit() {
            break;
        }
        if n == max || (n == 1 && v == 0) {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
        n += 1;
    }
    (n > 0).then_some((v, n))
}

/// `a.b.c.d/len` in its plain spelling (no leading zeros, nothing around it) as (network with the
/// host bits cleared, len); anything else is left to the serde path.
#[inline]
fn ipv4_prefix(s: &[u8]) -> Option<(u32, u8)> {
    let mut addr = 0u32;
    let mut i = 0;
    for k in 0..4 {
        let (v, n) = decimal(&s[i..], 3)?;
        if v > 255 {
            return None;
        }
        addr = addr << 8 | v;
        i += n;
        let sep = if k < 3 { b'.' } else { b'/' };
        if *s.get(i)? != sep {
            return None;
        }
        i += 1;
    }
    let (len, n) = decimal(&s[i..], 2)?;
    if len > 32 || i + n != s.len() {
        return None;
    }
    let host = u32::MAX.checked_shr(len).unwrap_or(0);
    Some((addr & !host, len as u8))
}

/// An IPv6 prefix in its plain spelling (groups of one to four lowercase hex digits, at most one
/// `::`, no embedded IPv4, a decimal length without leading zeros) as (network with the host bits
/// cleared, len); anything else is left to `ipnet`'s parser.
fn ipv6_prefix(s: &[u8]) -> Option<(u128, u8)> {
    let slash = s.iter().position(|&c| c == b'/')?;
    let (addr, len) = (&s[..slash], &s[slash + 1..]);
    let (len, n) = decimal(len, 3).filter(|&(v, n)| v <= 128 && n == len.len())?;
    debug_assert!(n > 0);
    // Groups before and after the `::`, if any.
    let (mut head, mut tail) = ([0u16; 8], [0u16; 8]);
    let (mut nh, mut nt, mut gap) = (0usize, 0usize, false);
    let mut i = 0;
    if addr.starts_with(b"::") {
        gap = true;
        i = 2;
    }
    while i < addr.len() {
        let (mut v, mut d) = (0u16, 0);
        while d < 4 {
            let h = match addr.get(i) {
                Some(&c @ b'0'..=b'9') => c - b'0',
                Some(&c @ b'a'..=b'f') => c - b'a' + 10,
                _ => break,
            };
            v = v << 4 | u16::from(h);
            d += 1;
            i += 1;
        }
        if d == 0 || nh + nt == 8 {
            return None;
        }
        if gap {
            tail[nt] = v;
            nt += 1;
        } else {
            head[nh] = v;
            nh += 1;
        }
        if i == addr.len() {
            break;
        }
        if addr[i] != b':' {
            return None;
        }
        i += 1;
        if addr.get(i) == Some(&b':') {
            if gap {
                return None;
            }
            gap = true;
            i += 1;
        } else if i == addr.len() {
            return None;
        }
    }
    if (gap && nh + nt > 7) || (!gap && nh + nt != 8) {
        return None;
    }
    let mut groups = head;
    groups[8 - nt..].copy_from_slice(&tail[..nt]);
    let a = groups.iter().fold(0u128, |a, &g| a << 16 | u128::from(g));
    let host = u128::MAX.checked_shr(len).unwrap_or(0);
    Some((a & !host, len as u8))
}

/// Adds an entry to the distinct prefixes (first entry: a new prefix; later: its service).
#[inline]
fn add<K: std::hash::Hash + Eq>(
    by_net: &mut HashMap<K, u32, FxBuild>,
    prefixes: &mut Vec<AwsPrefix>,
    key: K,
    net: impl FnOnce() -> IpNet,
    e: Entry<'_>,
) {
    match by_net.get(&key) {
        Some(&i) => {
            let services = &mut prefixes[i as usize].services;
            if !services.iter().any(|s| s == e.service) {
                services.push(e.service.to_owned());
            }
        }
        None => {
            by_net.insert(key, prefixes.len() as u32);
            prefixes.push(AwsPrefix {
                net: net(),
                region: e.region.to_owned(),
                services: vec![e.service.to_owned()],
                network_border_group: e.border_group.map(str::to_owned),
                parent: None,
            });
        }
    }
}

/// Scans ip-ranges.json text; `None` if anything is beyond the fast path (the caller then uses
/// the serde path).
pub(super) fn scan(json: &str) -> Option<Scanned> {
    let mut s = Scanner {
        text: json,
        b: json.as_bytes(),
        i: 0,
    };
    let (mut sync_token, mut create_date) = (None, None);
    let (mut seen_v4, mut seen_v6) = (false, false);
    let mut prefixes: Vec<AwsPrefix> = Vec::with_capacity(json.len() / 160);
    let mut v4: HashMap<u64, u32, FxBuild> =
        HashMap::with_capacity_and_hasher(json.len() / 256, FxBuild::default());
    let mut v6: HashMap<(u128, u8), u32, FxBuild> = HashMap::default();
    let mut entries = 0usize;
    let mut v6_entries: Vec<(Ipv6Net, Entry<'_>)> = Vec::new();
    s.object(|s, key| {
        match key.as_bytes() {
            b"syncToken" if sync_token.is_none() => sync_token = Some(s.string()?),
            b"createDate" if create_date.is_none() => create_date = Some(s.string()?),
            b"prefixes" if !seen_v4 => {
                seen_v4 = true;
                s.list(|p, e| {
                    entries += 1;
                    let (net, len) = ipv4_prefix(p.as_bytes())?;
                    let key = u64::from(net) << 8 | u64::from(len);
                    let net =
                        || IpNet::V4(Ipv4Net::new(Ipv4Addr::from(net), len).expect("len <= 32"));
                    add(&mut v4, &mut prefixes, key, net, e);
                    Some(())
                })?;
            }
            b"ipv6_prefixes" if !seen_v6 => {
                seen_v6 = true;
                // Kept aside: the serde path lists IPv4 prefixes first whatever the key order.
                s.list(|p, e| {
                    entries += 1;
                    let net = match ipv6_prefix(p.as_bytes()) {
                        Some((a, len)) => Ipv6Net::new(Ipv6Addr::from(a), len).ok()?,
                        None => p.parse::<Ipv6Net>().ok()?.trunc(),
                    };
                    v6_entries.push((net, e));
                    Some(())
                })?;
            }
            b"syncToken" | b"createDate" | b"prefixes" | b"ipv6_prefixes" => return None,
            _ => s.skip_value()?,
        }
        Some(())
    })?;
    if s.peek().is_some() || !seen_v4 {
        return None;
    }
    let ipv4_count = prefixes.len();
    v6.reserve(v6_entries.len());
    for (net, e) in v6_entries {
        let key = (u128::from(net.network()), net.prefix_len());
        add(&mut v6, &mut prefixes, key, || IpNet::V6(net), e);
    }
    if prefixes.is_empty() {
        return None;
    }
    Some(Scanned {
        create_date: create_date?.to_owned(),
        sync_token: sync_token.unwrap_or_default().to_owned(),
        prefixes,
        ipv4_count,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ipv4_prefixes_only() {
        assert_eq!(ipv4_prefix(b"10.1.2.3/8"), Some((0x0a00_0000, 8)));
        assert_eq!(ipv4_prefix(b"0.0.0.0/0"), Some((0, 0)));
        assert_eq!(ipv4_prefix(b"255.255.255.255/32"), Some((u32::MAX, 32)));
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "10.0.0/8",
            "10.0.0.0/-1",
            "x",
            "",
            "10.0.0.0/8/8",
            "010.0.0.0/8",
            "10.0.0.0/08",
            "256.0.0.0/8",
            " 10.0.0.0/8",
            "10.0.0.0/8 ",
            "1000.0.0.0/8",
            "10.0.0.0/",
            "10.0.0.0/100",
        ] {
            assert_eq!(ipv4_prefix(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn plain_ipv6_prefixes_agree_with_ipnet() {
        for ok in [
            "::/0",
            "::/128",
            "2600:1f00::5/24",
            "2600:1f00::/24",
            "::1/128",
            "1::/16",
            "1:2:3:4:5:6:7:8/128",
            "1:2:3:4:5:6:7::/64",
            "::2:3:4:5:6:7:8/64",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
            "2a05:d07a:a000::/40",
            "2600:0f00:0000::/40",
            "1::8/127",
            "0:0::0/3",
        ] {
            let want: Ipv6Net = ok.parse().unwrap();
            let want = want.trunc();
            let got = ipv6_prefix(ok.as_bytes()).unwrap_or_else(|| panic!("{ok}"));
            assert_eq!(got, (u128::from(want.network()), want.prefix_len()), "{ok}");
        }
        for other in [
            "",
            "::",
            "/64",
            "::/",
            "::/129",
            "::/01",
            "2600::/016",
            ":1::/64",
            "1::2::/64",
            ":::/64",
            "1:/64",
            "1:2:3:4:5:6:7:8::/64",
            "1:2:3:4:5:6:7:8:9/64",
            "12345::/64",
            "::ffff:1.2.3.4/128",
            "2600:1F00::/24",
            " ::/0",
            "::/0 ",
            "1:2:3:4:5:6:7/64",
            "::g/64",
            "1:::/64",
            "10.0.0.0/8",
        ] {
            assert_eq!(ipv6_prefix(other.as_bytes()), None, "{other}");
        }
    }
}
