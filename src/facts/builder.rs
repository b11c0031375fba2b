//! [`InputFacts`] found while records are kept or streamed: one implementation for every path
//! (the store, the CLI's streaming summary, the page's decoding worker).

use crate::facts::flow::{key, FlowValues};
use crate::facts::input::InputFacts;
use crate::facts::tally::{InterfaceTallies, Tally};
use crate::util::chunked::Chunked;
use crate::util::distinct::{hash64, Distinct, MAX_DISTINCT};
use crate::util::fxhash::FxBuild;
use std::collections::HashMap;
use std::net::IpAddr;

/// Rejected flows remembered for the accepted-reverse check; further ones are not checked.
pub const MAX_REJECTED: usize = 1 << 20;

/// [`InputFacts`] found while an input is read, each record seen once, in input order.
///
/// Two ways in. A store calls [`FactsBuilder::observe_row`] with each kept record's row and its
/// interface's interned id; [`FactsBuilder::finish`] then reads back only the rows that may be
/// the accepted reverse of a rejected flow. A reader that keeps nothing (the CLI's streaming
/// summary) calls [`FactsBuilder::observe`] and [`FactsBuilder::finish_streamed`]: the same
/// interface facts, without the reverse-flow check (it needs the rows).
#[derive(Clone, Debug, Default)]
pub struct FactsBuilder {
    /// Tallies of interfaces by their text: those the store keeps inline (past its interning
    /// bound), or every one when records are streamed ([`FactsBuilder::observe`]).
    by_text: Option<InterfaceTallies>,
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

/// Interfaces tallied by the streaming path (per input).
pub const MAX_STREAMED_INTERFACES: usize = 65_536;

impl FactsBuilder {
    /// The record kept at `row` of a store, with its [`FlowValues`]; when its
    /// interface-id is the store's interned text number `interned`, it is tallied by that number
    /// (hashing a number is cheaper than its text; [`FactsBuilder::finish`] names the interfaces).
    pub fn observe_row(&mut self, row: u32, interned: Option<u32>, rec: &FlowValues<'_>) {
        self.observe_unkept(interned, rec);
        self.observe_action(rec, row);
    }

    /// A record a store did not keep (past its budget): its interface is met and tallied as
    /// [`FactsBuilder::observe_row`] does, but it has no row to be read back, so its flow is not
    /// checked for an accepted reverse.
    pub fn observe_unkept(&mut self, interned: Option<u32>, rec: &FlowValues<'_>) {
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
                None => {
                    self.by_text
                        .get_or_insert_with(|| InterfaceTallies::new(usize::MAX))
                        .observe(text, src, dst);
                }
            }
        }
    }

    /// A record read without keeping it (no row): its interface `id` (between `src` and `dst`)
    /// is tallied by its text. The streaming path reads only these three of the [`FlowValues`].
    #[inline]
    pub fn observe(&mut self, id: Option<&str>, src: Option<IpAddr>, dst: Option<IpAddr>) {
        let Some(text) = id else { return };
        let tallies = self
            .by_text
            .get_or_insert_with(|| InterfaceTallies::new(MAX_STREAMED_INTERFACES));
        let new = match (src, dst) {
            (Some(s), Some(d)) => tallies.observe(text, s, d),
            _ => tallies.is_new(text),
        };
        if new {
            self.seen(None, text);
        }
    }

    /// The facts of a streamed input ([`FactsBuilder::observe`]): each interface's own address
    /// and the distinct interfaces; no reverse flows (there are no rows to read back).
    pub fn finish_streamed(self) -> InputFacts {
        self.finish(|_| None, |_| None)
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

    fn observe_action(&mut self, rec: &FlowValues<'_>, row: u32) {
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
    /// a row's line number and flow values (only the ACCEPT rows whose flow key's low 32 bits are those
    /// of a rejected flow's reverse are read).
    pub fn finish<'n>(
        self,
        name: impl Fn(u32) -> Option<&'n str>,
        read: impl Fn(u32) -> Option<(u64, FlowValues<'n>)>,
    ) -> InputFacts {
        let FactsBuilder {
            by_text,
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
        let interned = interned
            .into_iter()
            .filter_map(|(id, t)| Some((name(id)?.into(), t.own_address()?)));
        let interfaces = by_text
            .into_iter()
            .flat_map(InterfaceTallies::addresses)
            .chain(interned)
            .collect();
        InputFacts {
            interfaces,
            interfaces_seen: Some(seen),
            rejected,
        }
    }
}
