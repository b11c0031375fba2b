//! What a whole input tells about each of its records, beyond the record itself: the address of
//! each network interface, and which REJECTed records are the reverse of an ACCEPTed flow.
//!
//! **The interface's own address.** A network interface's records all have its address at one
//! end (srcaddr or dstaddr). Across the records of one interface-id, the address present in every
//! record is the interface's. One record cannot tell (both of its addresses are in every record),
//! so the rule needs at least two records of the interface with exactly one common address; an
//! interface with several addresses (secondary IPs) or only records between the same two
//! addresses gets none.
//!
//! **Replies rejected after an accepted request.** A REJECT record whose reversed flow (same
//! protocol, addresses and ports swapped) is ACCEPTed elsewhere in the input. While records arrive,
//! the rejected flows are kept (at most [`MAX_REJECTED`] of them) and each ACCEPT record leaves 8
//! bytes (its flow key's low 32 bits and its row); at the end only the rows whose bits match a
//! rejected flow's reverse are read back.

use super::RecordRef;
use crate::chunked::Chunked;
use crate::fxhash::FxBuild;
use crate::overview::distinct::{hash64, Distinct};
use crate::overview::MAX_DISTINCT;
use crate::value::{Value, ValueRef};
use std::collections::HashMap;
use std::net::IpAddr;

/// Rejected flows remembered for the accepted-reverse check; further ones are not checked.
pub const MAX_REJECTED: usize = 1 << 20;

/// Records of one interface and the addresses still present in all of them.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    records: u64,
    common: [Option<IpAddr>; 2],
}

/// Facts about the records of an input, found by passes over all of them.
#[derive(Clone, Debug, Default)]
pub struct InputFacts {
    interfaces: HashMap<Box<str>, IpAddr, FxBuild>,
    /// Distinct interface ids met (with or without addresses), and whether that is exact (as
    /// the summary counts them: [`crate::overview::distinct`]).
    interfaces_seen: (u64, bool),
    /// Flow key of a REJECT record → line of the ACCEPT record of its reversed flow (0: none yet).
    rejected: HashMap<u64, u64, FxBuild>,
}

/// The fields a pass reads, in the order of a [`Slots`] row.
pub const PASS_FIELDS: [&str; 7] = [
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "action",
];

/// A value as a pass sees it, borrowed (no allocation per record).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot<'a> {
    /// Absent, or not in the record's format.
    Absent,
    /// An integer.
    UInt(u64),
    /// An address.
    Addr(IpAddr),
    /// A text.
    Text(&'a str),
}

impl<'a> Slot<'a> {
    /// The slot of a value.
    pub fn of(v: &'a Value) -> Slot<'a> {
        match v {
            Value::Absent => Slot::Absent,
            Value::UInt(n) => Slot::UInt(*n),
            Value::Addr(a) => Slot::Addr(*a),
            Value::Text(t) => Slot::Text(t),
        }
    }
    /// The slot of a borrowed value.
    pub fn of_ref(v: ValueRef<'a>) -> Slot<'a> {
        match v {
            ValueRef::Absent => Slot::Absent,
            ValueRef::UInt(n) => Slot::UInt(n),
            ValueRef::Addr(a) => Slot::Addr(a),
            ValueRef::Text(t) => Slot::Text(t),
        }
    }
    fn uint(self) -> Option<u64> {
        match self {
            Slot::UInt(n) => Some(n),
            _ => None,
        }
    }
    fn addr(self) -> Option<IpAddr> {
        match self {
            Slot::Addr(a) => Some(a),
            _ => None,
        }
    }
    fn text(self) -> Option<&'a str> {
        match self {
            Slot::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// One record's values of [`PASS_FIELDS`], in that order.
pub type Slots<'a> = [Slot<'a>; 7];

/// The slots of a record.
pub fn slots<'a>(rec: &RecordRef<'a>) -> Slots<'a> {
    PASS_FIELDS.map(|k| rec.get(k).map_or(Slot::Absent, Slot::of))
}

/// The key of the flow from `src`:`sport` to `dst`:`dport` over `protocol`: a 64-bit hash of
/// all five, each 64-bit word folded in with a multiply and a shift (64-bit operations only, which
/// WebAssembly has natively), so that two of a million flows share a key with a probability of
/// about 2⁻²⁵.
fn flow_key(
    protocol: u64,
    src: IpAddr,
    sport: Option<u64>,
    dst: IpAddr,
    dport: Option<u64>,
) -> u64 {
    const K: [u64; 2] = [0xa076_1d64_78bd_642f, 0xe703_7ed1_a0b4_28db];
    fn fold(h: u64, word: u64) -> u64 {
        let x = (h ^ word).wrapping_mul(K[1]);
        (x ^ (x >> 29)).wrapping_mul(K[0])
    }
    fn addr(h: u64, a: IpAddr) -> u64 {
        match a {
            IpAddr::V4(a) => fold(h, u64::from(a.to_bits())),
            IpAddr::V6(a) => {
                let b = a.to_bits();
                fold(fold(h, (b >> 64) as u64 ^ K[0]), b as u64)
            }
        }
    }
    // Ports are at most 16 bits; absent ones get a value no port has.
    let port = |p: Option<u64>| p.map_or(1 << 20, |p| p & 0xf_ffff);
    let head = protocol << 48 ^ port(sport) << 24 ^ port(dport);
    let h = fold(K[0], head);
    addr(addr(h, src), dst)
}

/// The record's flow key, or that of its reverse.
fn key(s: &Slots<'_>, reversed: bool) -> Option<u64> {
    let protocol = s[5].uint()?;
    let (src, dst) = (s[1].addr()?, s[2].addr()?);
    let (sport, dport) = (s[3].uint(), s[4].uint());
    Some(if reversed {
        flow_key(protocol, dst, dport, src, sport)
    } else {
        flow_key(protocol, src, sport, dst, dport)
    })
}

/// [`InputFacts`] found as a [`crate::store::Store`] keeps records: each record is seen once, in
/// input order ([`FactsBuilder::observe_row`]); [`FactsBuilder::finish`] then reads back only the
/// rows that may be the accepted reverse of a rejected flow.
#[derive(Clone, Debug, Default)]
pub struct FactsBuilder {
    /// Tallies of interfaces whose text the store keeps inline (past its interning bound).
    tallies: HashMap<Box<str>, Tally, FxBuild>,
    /// Tallies of interfaces by the id of their interned text: `slot_of[id]` is the place + 1 of
    /// its tally in `interned` (0 for none), so that a record's tally is found by two indexed
    /// loads (the store's ids are dense, and at most a million).
    slot_of: Vec<u32>,
    interned: Vec<(u32, Tally)>,
    rejected: HashMap<u64, u64, FxBuild>,
    /// The ACCEPT records: the low 32 bits of their flow key and their row.
    accepted: Chunked<(u32, u32)>,
    /// Every interface met: interned ids as bits; the hashes of texts kept inline, counted as
    /// the summary counts them (made on the first one).
    seen_interned: Vec<u64>,
    seen_inline: Option<Distinct>,
}

impl Tally {
    fn first(src: IpAddr, dst: IpAddr) -> Tally {
        Tally {
            records: 1,
            common: [Some(src), (dst != src).then_some(dst)],
        }
    }

    fn add(&mut self, src: IpAddr, dst: IpAddr) {
        self.records += 1;
        for c in &mut self.common {
            if c.is_some_and(|a| !same_addr(a, src) && !same_addr(a, dst)) {
                *c = None;
            }
        }
    }
}

/// `a == b`, as integers (comparing `IpAddr`s may compare bytes one by one in WebAssembly).
#[inline]
fn same_addr(a: IpAddr, b: IpAddr) -> bool {
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => a.to_bits() == b.to_bits(),
        (IpAddr::V6(a), IpAddr::V6(b)) => a.to_bits() == b.to_bits(),
        _ => false,
    }
}

impl Tally {
    /// The tally of the records of `self` and of `other` (of one interface).
    fn merge(&mut self, other: &Tally) {
        self.records += other.records;
        for c in &mut self.common {
            if c.is_some_and(|a| !other.common.iter().flatten().any(|b| same_addr(a, *b))) {
                *c = None;
            }
        }
    }

    /// The interface's own address: the one address common to all of at least two records.
    fn own_address(&self) -> Option<IpAddr> {
        match self.common {
            [Some(a), None] | [None, Some(a)] if self.records >= 2 => Some(a),
            _ => None,
        }
    }
}

/// Each interface's own address (the rule of [`InputFacts`]), found from records met one at a
/// time without a store: interfaces tallied by their text, the records of the interface met last
/// tallied apart (records of one interface tend to come together: most records then cost a
/// comparison of texts, not a hash). At most `cap` interfaces are tallied; records of further
/// ones are not.
#[derive(Clone, Debug)]
pub struct InterfaceTallies {
    tallies: HashMap<Box<str>, Tally, FxBuild>,
    last: Option<(String, Tally)>,
    cap: usize,
}

impl InterfaceTallies {
    /// Tallies of at most `cap` interfaces.
    pub fn new(cap: usize) -> InterfaceTallies {
        InterfaceTallies {
            tallies: HashMap::default(),
            last: None,
            cap,
        }
    }

    /// A record of interface `id` between `src` and `dst`. True when `id` is not the interface
    /// of the record before.
    #[inline]
    pub fn observe(&mut self, id: &str, src: IpAddr, dst: IpAddr) -> bool {
        if let Some((last, t)) = &mut self.last {
            if last.as_str() == id {
                t.add(src, dst);
                return false;
            }
        }
        self.flush();
        let t = Tally::first(src, dst);
        match &mut self.last {
            Some((last, tally)) => {
                last.clear();
                last.push_str(id);
                *tally = t;
            }
            None => self.last = Some((id.to_string(), t)),
        }
        true
    }

    /// Moves the tally of the interface met last into the table.
    fn flush(&mut self) {
        let Some((id, t)) = &mut self.last else {
            return;
        };
        if t.records == 0 {
            return;
        }
        if let Some(known) = self.tallies.get_mut(id.as_str()) {
            known.merge(t);
        } else if self.tallies.len() < self.cap {
            self.tallies.insert(id.as_str().into(), *t);
        }
        t.records = 0;
    }

    /// Each interface whose own address the records tell, with that address.
    pub fn addresses(mut self) -> impl Iterator<Item = (Box<str>, IpAddr)> {
        self.flush();
        self.tallies
            .into_iter()
            .filter_map(|(id, t)| Some((id, t.own_address()?)))
    }
}

impl FactsBuilder {
    /// The record kept at `row` of a store, with its values of [`PASS_FIELDS`]; when its
    /// interface-id is the store's interned text number `interned`, it is tallied by that number
    /// (hashing a number is cheaper than its text; [`FactsBuilder::finish`] names the interfaces).
    pub fn observe_row(&mut self, row: u32, interned: Option<u32>, rec: &Slots<'_>) {
        if let Some(text) = rec[0].text() {
            self.seen(interned, text);
        }
        if let (Some(text), Some(src), Some(dst)) = (rec[0].text(), rec[1].addr(), rec[2].addr()) {
            match interned {
                Some(id) => {
                    let id = id as usize;
                    if self.slot_of.len() <= id {
                        self.slot_of.resize(id + 1, 0);
                    }
                    match (self.slot_of[id] as usize).checked_sub(1) {
                        Some(slot) => self.interned[slot].1.add(src, dst),
                        None => {
                            self.interned.push((id as u32, Tally::first(src, dst)));
                            self.slot_of[id] = self.interned.len() as u32;
                        }
                    }
                }
                None => match self.tallies.get_mut(text) {
                    Some(t) => t.add(src, dst),
                    None => {
                        self.tallies.insert(text.into(), Tally::first(src, dst));
                    }
                },
            }
        }
        self.observe_action(rec, row);
    }

    /// Interface `text` (the store's interned text `interned`) was met.
    #[inline]
    fn seen(&mut self, interned: Option<u32>, text: &str) {
        match interned {
            Some(id) => {
                let (word, bit) = (id as usize / 64, id % 64);
                if self.seen_interned.len() <= word {
                    self.seen_interned.resize(word + 1, 0);
                }
                self.seen_interned[word] |= 1 << bit;
            }
            None => self
                .seen_inline
                .get_or_insert_with(|| Distinct::new(MAX_DISTINCT))
                .add(hash64(text)),
        }
    }

    fn observe_action(&mut self, rec: &Slots<'_>, row: u32) {
        match rec[6].text() {
            Some("REJECT") if self.rejected.len() < MAX_REJECTED => {
                if let Some(k) = key(rec, true) {
                    self.rejected.insert(k, 0);
                }
            }
            Some("ACCEPT") => {
                if let Some(k) = key(rec, false) {
                    self.accepted.push((k as u32, row));
                }
            }
            _ => {}
        }
    }

    /// The facts, once every record was observed: `name` gives the text of an interned id, `read`
    /// a row's line number and slots (only the ACCEPT rows whose flow key's low 32 bits are those
    /// of a rejected flow's reverse are read).
    pub fn finish<'n>(
        self,
        name: impl Fn(u32) -> Option<&'n str>,
        read: impl Fn(u32) -> Option<(u64, Slots<'n>)>,
    ) -> InputFacts {
        let FactsBuilder {
            mut tallies,
            interned,
            slot_of: _,
            mut rejected,
            accepted,
            seen_interned,
            seen_inline,
        } = self;
        // Counted as the summary counts them: each distinct id's hash, exact up to its cap.
        let mut seen = seen_inline.unwrap_or_else(|| Distinct::new(MAX_DISTINCT));
        for (word, bits) in seen_interned.iter().enumerate() {
            let mut bits = *bits;
            while bits != 0 {
                let id = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(text) = name(id as u32) {
                    seen.add(hash64(text));
                }
            }
        }
        if !rejected.is_empty() {
            let lows: std::collections::HashSet<u32, FxBuild> =
                rejected.keys().map(|k| *k as u32).collect();
            for (low, row) in accepted {
                if !lows.contains(&low) {
                    continue;
                }
                let Some((line, rec)) = read(row) else {
                    continue;
                };
                if let Some(first) = key(&rec, false).and_then(|k| rejected.get_mut(&k)) {
                    if *first == 0 {
                        *first = line;
                    }
                }
            }
            rejected.retain(|_, line| *line != 0);
        }
        // A text is either interned or inline, so no interface is in both tallies.
        for (id, t) in interned {
            if let Some(text) = name(id) {
                tallies.entry(text.into()).or_insert(t);
            }
        }
        let interfaces = tallies
            .into_iter()
            .filter_map(|(id, t)| Some((id, t.own_address()?)))
            .collect();
        InputFacts {
            interfaces,
            interfaces_seen: (seen.count(), seen.is_exact()),
            rejected,
        }
    }
}

impl InputFacts {
    /// The address of network interface `id`, if the input tells it.
    pub fn interface_address(&self, id: &str) -> Option<IpAddr> {
        self.interfaces.get(id).copied()
    }

    /// The address of the record's network interface, if the input tells it.
    pub fn own_address(&self, rec: &RecordRef<'_>) -> Option<IpAddr> {
        rec.text("interface-id")
            .and_then(|id| self.interface_address(id))
    }

    /// Each interface whose address is known, with it.
    pub fn interfaces(&self) -> impl Iterator<Item = (&str, IpAddr)> {
        self.interfaces.iter().map(|(id, a)| (&**id, *a))
    }

    /// Distinct interfaces met, and whether the count is exact.
    pub fn interfaces_seen(&self) -> (u64, bool) {
        self.interfaces_seen
    }

    /// Number of interfaces whose address is known.
    pub fn interfaces_known(&self) -> usize {
        self.interfaces.len()
    }

    /// For a REJECT record: the line of an ACCEPT record of the reversed flow, if the input has one.
    pub fn accepted_reverse(&self, rec: &RecordRef<'_>) -> Option<u64> {
        if rec.text("action") != Some("REJECT") {
            return None;
        }
        self.rejected.get(&key(&slots(rec), true)?).copied()
    }
}
