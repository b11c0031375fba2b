//! The fast path of [`super::AwsRanges::parse`]: a single-pass byte scanner specialised for
//! ip-ranges.json (a top-level object with `syncToken`, `createDate`, `prefixes` and
//! `ipv6_prefixes`, each list holding flat objects of short strings).
//!
//! It reads the file's bytes as they are (no UTF-8 pass over the whole file: only the strings it
//! keeps are checked, once per distinct string), reads the prefixes straight into integers, gives
//! each distinct region, service and border group a small id (AWS's file has a few hundred distinct
//! ones for ~17k entries), merges repeated prefixes with an integer-keyed map and keeps each
//! prefix's services as a chain in one shared vector. Nothing is allocated per entry; per distinct
//! prefix only its slot in a few vectors. The names become shared strings ([`Name`]) at the end,
//! once each, and so do the distinct lists of services.
//!
//! It accepts only what it fully understands: anything else (string escapes, `null` where a
//! string is usual, an unusual prefix spelling, a duplicate key, bytes that are not UTF-8, any
//! error) makes it give up with `None`, and the caller falls back to the serde path, which gives
//! the same result on valid files and the same messages on bad ones.

use super::prefix::{AwsPrefix, Name};
use crate::util::fxhash::FxBuild;
use crate::util::intern::same;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::de::IgnoredAny;
use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

/// What the scan found, before the index is built.
pub(super) struct Scanned {
    pub create_date: String,
    pub sync_token: String,
    pub prefixes: Vec<AwsPrefix>,
    pub ipv4_count: usize,
    pub entries: usize,
}

/// One entry of a list, its strings borrowed from the bytes (not yet checked as UTF-8).
struct Entry<'a> {
    prefix: &'a [u8],
    region: &'a [u8],
    service: &'a [u8],
    border_group: Option<&'a [u8]>,
}

struct Scanner<'a> {
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

    /// The bytes of a string without escapes or control characters (anything else: give up).
    /// Bytes from 0x80 up pass; whoever keeps the string checks that it is UTF-8.
    #[inline]
    fn string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        self.rest_of_string()
    }

    /// [`Scanner::string`] after its opening quote.
    #[inline]
    fn rest_of_string(&mut self) -> Option<&'a [u8]> {
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
        self.i = end + 1;
        Some(&self.b[start..end])
    }

    /// Skips `l` if the text goes on with it (compared eight bytes at a time).
    #[inline(always)]
    fn literal(&mut self, l: &[u8]) -> Option<()> {
        let at = self.b.get(self.i..self.i + l.len())?;
        if l.len() < 8 {
            return same(at, l).then(|| self.i += l.len());
        }
        let mut k = 0;
        let mut diff = 0;
        while k + 8 <= l.len() {
            diff |= word(at, k)? ^ word(l, k)?;
            k += 8;
        }
        if k < l.len() {
            // The last eight bytes, overlapping the ones compared already.
            let k = l.len() - 8;
            diff |= word(at, k)? ^ word(l, k)?;
        }
        if diff != 0 {
            return None;
        }
        self.i += l.len();
        Some(())
    }

    /// An entry laid out as in AWS's file (two-space indentation, keys in AWS's order, every
    /// value a string): compared with that layout a few bytes at a time instead of read token by
    /// token. `None` (position unchanged) for any other layout.
    #[inline]
    fn entry_as_laid_out(&mut self, v6: bool) -> Option<Entry<'a>> {
        self.peek()?;
        let start = self.i;
        let e = (|| {
            if v6 {
                self.literal(b"{\n      \"ipv6_prefix\": \"")?;
            } else {
                self.literal(b"{\n      \"ip_prefix\": \"")?;
            }
            let prefix = self.rest_of_string()?;
            self.literal(b",\n      \"region\": \"")?;
            let region = self.rest_of_string()?;
            self.literal(b",\n      \"service\": \"")?;
            let service = self.rest_of_string()?;
            self.literal(b",\n      \"network_border_group\": \"")?;
            let border_group = self.rest_of_string()?;
            self.literal(b"\n    }")?;
            Some(Entry {
                prefix,
                region,
                service,
                border_group: Some(border_group),
            })
        })();
        if e.is_none() {
            self.i = start;
        }
        e
    }

    /// A string that must be UTF-8 (kept whole, or a key the scanner does not know).
    fn text(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.string()?).ok()
    }

    /// `null` (returns true) or nothing (false, position unchanged).
    #[inline]
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

    /// Skips any valid JSON value (validated by serde_json, UTF-8 included, so nothing serde would
    /// refuse passes).
    fn skip_value(&mut self) -> Option<()> {
        let rest = self.b.get(self.i..)?;
        let mut values = serde_json::Deserializer::from_slice(rest).into_iter::<IgnoredAny>();
        values.next()?.ok()?;
        let n = values.byte_offset();
        std::str::from_utf8(&rest[..n]).ok()?;
        self.i += n;
        Some(())
    }

    /// After a value inside an object or a list: `,` (true: more follow) or `close` (false).
    #[inline]
    fn next_or(&mut self, close: u8) -> Option<bool> {
        let c = self.peek()?;
        self.i += 1;
        if c == b',' {
            Some(true)
        } else if c == close {
            Some(false)
        } else {
            None
        }
    }

    /// One entry of a list.
    #[inline]
    fn entry(&mut self) -> Option<Entry<'a>> {
        let (mut prefix, mut region, mut service) = (None, None, None);
        let mut border_group: Option<Option<&'a [u8]>> = None;
        self.eat(b'{')?;
        if self.peek()? != b'}' {
            loop {
                let key = self.string()?;
                self.eat(b':')?;
                let slot = match key.len() {
                    9 if same(key, b"ip_prefix") => &mut prefix,
                    11 if same(key, b"ipv6_prefix") => &mut prefix,
                    6 if same(key, b"region") => &mut region,
                    7 if same(key, b"service") => &mut service,
                    20 if same(key, b"network_border_group") => {
                        if border_group.is_some() {
                            return None; // duplicate key: serde's message
                        }
                        border_group = Some(if self.null()? {
                            None
                        } else {
                            Some(self.string()?)
                        });
                        if self.next_or(b'}')? {
                            continue;
                        }
                        break;
                    }
                    _ => {
                        std::str::from_utf8(key).ok()?;
                        self.skip_value()?;
                        if self.next_or(b'}')? {
                            continue;
                        }
                        break;
                    }
                };
                if slot.is_some() {
                    return None; // duplicate key: serde's message
                }
                *slot = Some(self.string()?);
                if !self.next_or(b'}')? {
                    break;
                }
            }
        } else {
            self.i += 1;
        }
        Some(Entry {
            prefix: prefix?,
            region: region?,
            service: service?,
            border_group: border_group.flatten(),
        })
    }

    /// A list of entries; `each` gets each entry. `v6`: the IPv6 list (for its layout).
    #[inline]
    fn list(&mut self, v6: bool, mut each: impl FnMut(Entry<'a>) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            let e = match self.entry_as_laid_out(v6) {
                Some(e) => e,
                None => self.entry()?,
            };
            each(e)?;
            if !self.next_or(b']')? {
                return Some(());
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
/// host bits cleared, len); anything else is left to the serde path. The address is read by the
/// flow-log decoder's dotted-quad reader ([`crate::model::value::ipv4_at`]).
#[inline]
fn ipv4_prefix(s: &[u8]) -> Option<(u32, u8)> {
    let (addr, i) = crate::model::value::ipv4_at(s, 0)?;
    if s.get(i) != Some(&b'/') {
        return None;
    }
    let (len, n) = decimal(&s[i + 1..], 2)?;
    if len > 32 || i + 1 + n != s.len() {
        return None;
    }
    let host = u32::MAX.checked_shr(len).unwrap_or(0);
    Some((addr.to_bits() & !host, len as u8))
}

/// An IPv6 prefix in its plain spelling (groups of one to four lowercase hex digits, at most one
/// `::`, no embedded IPv4, a decimal length without leading zeros) as (network with the host bits
/// cleared, len); anything else is left to `ipnet`'s parser. The address is read by the flow-log
/// decoder's IPv6 reader ([`crate::model::value::parse_ipv6`]), upper-case digits refused first.
fn ipv6_prefix(s: &[u8]) -> Option<(u128, u8)> {
    let slash = s.iter().position(|&c| c == b'/')?;
    let (addr, len) = (&s[..slash], &s[slash + 1..]);
    let (len, _) = decimal(len, 3).filter(|&(v, n)| v <= 128 && n == len.len())?;
    if addr.iter().any(u8::is_ascii_uppercase) {
        return None;
    }
    let a = crate::model::value::parse_ipv6(addr)?.to_bits();
    let host = u128::MAX.checked_shr(len).unwrap_or(0);
    Some((a & !host, len as u8))
}

/// No name (a missing border group), or the end of a chain of services.
const NONE: u32 = u32::MAX;

/// The distinct strings of the file's entries, each with a small id (its index): an
/// open-addressing table over the bytes themselves, read eight at a time from the whole text (a
/// general map would hash and compare through calls that WASM makes byte by byte).
struct Names<'a> {
    /// The whole text the names are in.
    text: &'a [u8],
    /// (hash, id + 1) of the name in each slot, id 0 for none; a power of two long, at most
    /// half full.
    slots: Vec<(u32, u32)>,
    /// Each name's (offset in the text, length).
    list: Vec<(usize, usize)>,
    /// In front of the table, names of at most 16 bytes by their bytes as two words
    /// (first word, second word, length, id): one probe, no loop.
    short: Vec<(u64, u64, u32, u32)>,
}

impl<'a> Names<'a> {
    fn new(text: &'a [u8]) -> Self {
        Names {
            text,
            slots: vec![(0, 0); 512],
            list: Vec::new(),
            // No name is u32::MAX bytes long: every entry misses until filled.
            short: vec![(0, 0, u32::MAX, 0); 256],
        }
    }

    /// The id of `s` (a part of the text); `None` if it is not UTF-8.
    #[inline]
    fn id(&mut self, s: &'a [u8]) -> Option<u32> {
        // Where `s` is in the text (it is borrowed from it).
        let at = (s.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        debug_assert!(self.text.get(at..at + s.len()) == Some(s));
        let len = s.len();
        if len > 16 {
            return self.id_in_table(s, at);
        }
        let w0 = if len == 0 {
            0
        } else {
            self.load(at, len.min(8))
        };
        let w1 = if len > 8 {
            self.load(at + 8, len - 8)
        } else {
            0
        };
        let k = ((w0 ^ w1.rotate_left(29) ^ len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56)
            as usize;
        let e = self.short[k];
        if (e.0, e.1, e.2) == (w0, w1, len as u32) {
            return Some(e.3);
        }
        let id = self.id_in_table(s, at)?;
        self.short[k] = (w0, w1, len as u32, id);
        Some(id)
    }

    /// [`Names::id`] in the table, for `s` at `at` in the text.
    fn id_in_table(&mut self, s: &'a [u8], at: usize) -> Option<u32> {
        let h = self.hash(at, s.len());
        let mask = self.slots.len() - 1;
        let mut slot = h as usize & mask;
        loop {
            match self.slots[slot] {
                (_, 0) => break,
                (sh, n)
                    if sh == h as u32 && self.equal(self.list[n as usize - 1], (at, s.len())) =>
                {
                    return Some(n - 1)
                }
                _ => slot = (slot + 1) & mask,
            }
        }
        std::str::from_utf8(s).ok()?;
        let id = self.list.len() as u32;
        self.list.push((at, s.len()));
        self.slots[slot] = (h as u32, id + 1);
        if self.list.len() * 2 > self.slots.len() {
            self.grow();
        }
        Some(id)
    }

    fn grow(&mut self) {
        let mut slots = vec![(0, 0); self.slots.len() * 2];
        let mask = slots.len() - 1;
        for &(h, n) in &self.slots {
            if n != 0 {
                let mut at = h as usize & mask;
                while slots[at].1 != 0 {
                    at = (at + 1) & mask;
                }
                slots[at] = (h, n);
            }
        }
        self.slots = slots;
    }

    /// `n` (1 to 8) bytes of the text from `at`, as the low bytes of a word.
    #[inline]
    fn load(&self, at: usize, n: usize) -> u64 {
        match word(self.text, at) {
            Some(w) if n == 8 => w,
            Some(w) => w & ((1u64 << (8 * n)) - 1),
            None => self.text[at..at + n]
                .iter()
                .rev()
                .fold(0, |w, &c| w << 8 | u64::from(c)),
        }
    }

    /// A hash of the `len` bytes at `at`, eight at a time, its mixed top bits brought down.
    #[inline]
    fn hash(&self, at: usize, len: usize) -> u64 {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut h = len as u64;
        let mut k = 0;
        while k < len {
            let w = self.load(at + k, (len - k).min(8));
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
            k += 8;
        }
        h.rotate_left(26) ^ h >> 32
    }

    /// Whether two (offset, length) pieces of the text are the same bytes.
    #[inline]
    fn equal(&self, (a, n): (usize, usize), (b, m): (usize, usize)) -> bool {
        if n != m {
            return false;
        }
        let mut k = 0;
        while k < n {
            let l = (n - k).min(8);
            if self.load(a + k, l) != self.load(b + k, l) {
                return false;
            }
            k += 8;
        }
        true
    }

    /// The names as text (each was checked when it was first seen).
    fn strs(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.list
            .iter()
            .map(|&(at, n)| std::str::from_utf8(&self.text[at..at + n]).expect("checked in id"))
    }
}

/// A distinct prefix while the file is read: its first entry's region and border group, and
/// the chain of its services in [`Drafts::services`].
struct Draft {
    region: u32,
    border_group: u32,
    first: u32,
    last: u32,
}

/// The distinct prefixes of one list, keyed by (network, length), in order of first appearance;
/// found through an open-addressing table of their indexes (the keys are in `nets`).
struct Drafts<K> {
    /// Index + 1 of the prefix in each slot, 0 for none; a power of two long, at most half full.
    slots: Vec<u32>,
    /// The table's size as a shift: slot = hash >> shift.
    shift: u32,
    nets: Vec<K>,
    drafts: Vec<Draft>,
}

/// A prefix's key: IPv4 `network << 8 | len`, IPv6 `(network, len)`.
trait Key: Copy + Eq {
    /// A hash whose top bits are well mixed.
    fn hash(self) -> u64;
}

const MIX: u64 = 0x9e37_79b9_7f4a_7c15;

impl Key for u64 {
    #[inline]
    fn hash(self) -> u64 {
        self.wrapping_mul(MIX)
    }
}

impl Key for (u128, u8) {
    #[inline]
    fn hash(self) -> u64 {
        let (a, len) = self;
        ((a >> 64) as u64 ^ (a as u64).rotate_left(32) ^ u64::from(len)).wrapping_mul(MIX)
    }
}

impl<K: Key> Drafts<K> {
    fn with_capacity(n: usize) -> Self {
        let size = (n * 2).next_power_of_two().max(64);
        Drafts {
            slots: vec![0; size],
            shift: 64 - size.trailing_zeros(),
            nets: Vec::with_capacity(n),
            drafts: Vec::with_capacity(n),
        }
    }

    /// The index of `key`'s prefix, or the free slot where it goes.
    #[inline]
    fn find(&self, key: K) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut at = (key.hash() >> self.shift) as usize;
        loop {
            match self.slots[at] {
                0 => return Err(at),
                n if self.nets[n as usize - 1] == key => return Ok(n as usize - 1),
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// Adds a new prefix in the free slot `at` (from [`Drafts::find`]).
    fn insert(&mut self, at: usize, key: K, d: Draft) {
        self.nets.push(key);
        self.drafts.push(d);
        self.slots[at] = self.drafts.len() as u32;
        if self.drafts.len() * 2 > self.slots.len() {
            let size = self.slots.len() * 2;
            self.slots = vec![0; size];
            self.shift -= 1;
            for (i, &k) in self.nets.iter().enumerate() {
                let Err(at) = self.find(k) else {
                    unreachable!("keys are distinct")
                };
                self.slots[at] = i as u32 + 1;
            }
        }
    }
}

/// The scan's state besides the position: names, chains of services, the two lists' prefixes.
struct Collected<'a> {
    names: Names<'a>,
    services: Vec<(u32, u32)>,
    v4: Drafts<u64>,
    v6: Drafts<(u128, u8)>,
    entries: usize,
}

impl<'a> Collected<'a> {
    /// Adds an entry to `which` (first entry of a prefix: a new prefix; later: its service,
    /// unless the prefix has it already).
    #[inline]
    fn add<K: Key>(
        names: &mut Names<'a>,
        services: &mut Vec<(u32, u32)>,
        which: &mut Drafts<K>,
        key: K,
        e: Entry<'a>,
    ) -> Option<()> {
        let service = names.id(e.service)?;
        match which.find(key) {
            Ok(i) => {
                let d = &mut which.drafts[i];
                let mut at = d.first;
                while at != NONE {
                    let (s, next) = services[at as usize];
                    if s == service {
                        return Some(());
                    }
                    at = next;
                }
                let link = services.len() as u32;
                services.push((service, NONE));
                services[d.last as usize].1 = link;
                d.last = link;
            }
            Err(slot) => {
                let region = names.id(e.region)?;
                let border_group = match e.border_group {
                    Some(g) => names.id(g)?,
                    None => NONE,
                };
                let link = services.len() as u32;
                services.push((service, NONE));
                which.insert(
                    slot,
                    key,
                    Draft {
                        region,
                        border_group,
                        first: link,
                        last: link,
                    },
                );
            }
        }
        Some(())
    }
}

/// The distinct lists of services, shared between the prefixes that have the same list (AWS's
/// file has a few dozen).
struct ServiceLists {
    /// Lists of one service (most prefixes), by its id.
    single: Vec<Option<Arc<[Name]>>>,
    packed: HashMap<u64, Arc<[Name]>, FxBuild>,
}

impl ServiceLists {
    /// The shared list of the chain starting at `first`.
    #[inline]
    fn get(&mut self, first: u32, chain: &[(u32, u32)], names: &[Name]) -> Arc<[Name]> {
        let (s, next) = chain[first as usize];
        if next == NONE {
            return self.single[s as usize]
                .get_or_insert_with(|| Arc::new([names[s as usize].clone()]))
                .clone();
        }
        // Up to four ids below 0xffff fit in a key; longer lists are rare and made each time.
        let mut key = 0u64;
        let (mut at, mut n) = (first, 0);
        while at != NONE {
            let (s, next) = chain[at as usize];
            if n == 4 || s >= 0xffff {
                return Self::make(first, chain, names);
            }
            key = key << 16 | u64::from(s + 1);
            n += 1;
            at = next;
        }
        self.packed
            .entry(key)
            .or_insert_with(|| Self::make(first, chain, names))
            .clone()
    }

    fn make(first: u32, chain: &[(u32, u32)], names: &[Name]) -> Arc<[Name]> {
        let mut list = Vec::new();
        let mut at = first;
        while at != NONE {
            let (s, next) = chain[at as usize];
            list.push(names[s as usize].clone());
            at = next;
        }
        list.into()
    }
}

/// The order of the IPv4 prefixes (`network << 8 | len`) by address, then length; `None` (hand
/// over) past 2^24 distinct prefixes, which do not fit the packed key (and no real file has).
fn sorted_v4(nets: &[u64]) -> Option<impl Iterator<Item = usize>> {
    if nets.len() >= 1 << 24 {
        return None;
    }
    let mut keys: Vec<u64> = nets
        .iter()
        .enumerate()
        .map(|(i, &k)| k << 24 | i as u64)
        .collect();
    keys.sort_unstable();
    Some(keys.into_iter().map(|k| (k & 0xff_ffff) as usize))
}

/// The order of the IPv6 prefixes by address, then length: on one packed key when every prefix
/// is at most /64 (AWS's are), else on the pairs.
fn sorted_v6(nets: &[(u128, u8)]) -> Vec<usize> {
    if nets.iter().all(|&(_, len)| len <= 64) && u32::try_from(nets.len()).is_ok() {
        let mut keys: Vec<u128> = nets
            .iter()
            .enumerate()
            .map(|(i, &(a, len))| a >> 64 << 64 | u128::from(len) << 32 | i as u128)
            .collect();
        keys.sort_unstable();
        keys.into_iter().map(|k| k as u32 as usize).collect()
    } else {
        let mut order: Vec<usize> = (0..nets.len()).collect();
        order.sort_unstable_by_key(|&i| nets[i]);
        order
    }
}

/// Scans ip-ranges.json bytes; `None` if anything is beyond the fast path (the caller then uses
/// the serde path).
pub(super) fn scan(bytes: &[u8]) -> Option<Scanned> {
    let mut s = Scanner { b: bytes, i: 0 };
    let (mut sync_token, mut create_date) = (None, None);
    let (mut seen_v4, mut seen_v6) = (false, false);
    // AWS's file: ~155 bytes per entry, ~2/3 of the entries IPv4, ~2/3 of them distinct.
    let mut c = Collected {
        names: Names::new(bytes),
        services: Vec::with_capacity(bytes.len() / 150),
        v4: Drafts::with_capacity(bytes.len() / 240),
        v6: Drafts::with_capacity(bytes.len() / 480),
        entries: 0,
    };
    s.eat(b'{')?;
    if s.peek()? != b'}' {
        loop {
            let key = s.string()?;
            s.eat(b':')?;
            match key {
                b"syncToken" if sync_token.is_none() => sync_token = Some(s.text()?),
                b"createDate" if create_date.is_none() => create_date = Some(s.text()?),
                b"prefixes" if !seen_v4 => {
                    seen_v4 = true;
                    let Collected {
                        names,
                        services,
                        v4,
                        entries,
                        ..
                    } = &mut c;
                    s.list(false, |e| {
                        *entries += 1;
                        let (net, len) = ipv4_prefix(e.prefix)?;
                        if len < super::MIN_IPV4_PREFIX {
                            return None; // refused, with the reason, by the serde path
                        }
                        let key = u64::from(net) << 8 | u64::from(len);
                        Collected::add(names, services, v4, key, e)
                    })?;
                }
                b"ipv6_prefixes" if !seen_v6 => {
                    seen_v6 = true;
                    let Collected {
                        names,
                        services,
                        v6,
                        entries,
                        ..
                    } = &mut c;
                    s.list(true, |e| {
                        *entries += 1;
                        let key = match ipv6_prefix(e.prefix) {
                            Some(k) => k,
                            None => {
                                let net = std::str::from_utf8(e.prefix)
                                    .ok()?
                                    .parse::<Ipv6Net>()
                                    .ok()?
                                    .trunc();
                                (u128::from(net.network()), net.prefix_len())
                            }
                        };
                        if key.1 < super::MIN_IPV6_PREFIX {
                            return None; // refused, with the reason, by the serde path
                        }
                        Collected::add(names, services, v6, key, e)
                    })?;
                }
                b"syncToken" | b"createDate" | b"prefixes" | b"ipv6_prefixes" => return None,
                _ => {
                    std::str::from_utf8(key).ok()?;
                    s.skip_value()?;
                }
            }
            if !s.next_or(b'}')? {
                break;
            }
        }
    } else {
        s.i += 1;
    }
    if s.peek().is_some() || !seen_v4 {
        return None;
    }
    let create_date = create_date?.to_owned();
    let ipv4_count = c.v4.drafts.len();
    if ipv4_count + c.v6.drafts.len() == 0 {
        return None;
    }
    // The names, once each; then the prefixes (IPv4 first, as the serde path lists them).
    let names: Vec<Name> = c.names.strs().map(Name::from).collect();
    let mut lists = ServiceLists {
        single: vec![None; names.len()],
        packed: HashMap::default(),
    };
    // The prefixes in address order (IPv4 first), which is the order the index is built in:
    // sorted here on packed integer keys, with each draft's index in the low bits.
    let v4_order = sorted_v4(&c.v4.nets)?;
    let v6_order = sorted_v6(&c.v6.nets);
    let mut prefixes = Vec::with_capacity(ipv4_count + c.v6.drafts.len());
    let mut put = |net: IpNet, d: &Draft| {
        prefixes.push(AwsPrefix {
            net,
            region: names[d.region as usize].clone(),
            services: lists.get(d.first, &c.services, &names),
            network_border_group: (d.border_group != NONE)
                .then(|| names[d.border_group as usize].clone()),
            parent: None,
        });
    };
    for i in v4_order {
        let key = c.v4.nets[i];
        let net = Ipv4Net::new(Ipv4Addr::from((key >> 8) as u32), key as u8).expect("len <= 32");
        put(IpNet::V4(net), &c.v4.drafts[i]);
    }
    for i in v6_order {
        let (a, len) = c.v6.nets[i];
        let net = Ipv6Net::new(Ipv6Addr::from(a), len).expect("len <= 128");
        put(IpNet::V6(net), &c.v6.drafts[i]);
    }
    Some(Scanned {
        create_date,
        sync_token: sync_token.unwrap_or_default().to_owned(),
        prefixes,
        ipv4_count,
        entries: c.entries,
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
