//! Each interface's own address, tallied from its records (the rule of
//! [`crate::facts::InputFacts`]).

use crate::util::fxhash::FxBuild;
use std::collections::HashMap;
use std::net::IpAddr;

/// Records of one interface and the addresses still present in all of them.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tally {
    pub(crate) records: u64,
    common: [Option<IpAddr>; 2],
}

impl Tally {
    pub(crate) fn first(src: IpAddr, dst: IpAddr) -> Tally {
        Tally {
            records: 1,
            common: [Some(src), (dst != src).then_some(dst)],
        }
    }

    pub(crate) fn add(&mut self, src: IpAddr, dst: IpAddr) {
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
    pub(crate) fn merge(&mut self, other: &Tally) {
        self.records += other.records;
        for c in &mut self.common {
            if c.is_some_and(|a| !other.common.iter().flatten().any(|b| same_addr(a, *b))) {
                *c = None;
            }
        }
    }

    /// The interface's own address: the one address common to all of at least two records.
    pub(crate) fn own_address(&self) -> Option<IpAddr> {
        match self.common {
            [Some(a), None] | [None, Some(a)] if self.records >= 2 => Some(a),
            _ => None,
        }
    }
}

/// Each interface's own address (the rule of [`crate::facts::InputFacts`]), found from records met one at a
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

    /// A record of interface `id` without both addresses: true when `id` is not the interface of
    /// the record before (nothing is tallied).
    #[inline]
    pub fn is_new(&mut self, id: &str) -> bool {
        !matches!(&self.last, Some((last, _)) if last.as_str() == id)
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
