//! The heaviest keys of a stream in bounded memory: a table of at most `2 × cap` keys, pruned
//! back to the `cap` heaviest when it fills (the batch form of the Space-Saving algorithm).
//!
//! A key that arrives after a prune starts at the heaviest weight pruned so far (the *floor*) and
//! remembers that floor as its error. Its weight then never underestimates its true weight, and
//! overestimates it by at most its error; its counted figures (what arrived since it entered the
//! table) are exact lower bounds. While the table never prunes, every figure is exact. Any key
//! whose true weight exceeds the final floor is in the table.

use crate::util::distinct::{hash64, Distinct};
use crate::util::fxhash::FxBuild;
use std::collections::HashMap;
use std::hash::Hash;

/// One key's tally.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally<V> {
    /// The ranking weight: counted weight plus `error`.
    pub weight: u64,
    /// What the key may have had before it entered the table (0: its figures are exact).
    pub error: u64,
    /// The figures counted since the key entered the table.
    pub value: V,
}

/// The heaviest keys, bounded.
#[derive(Clone, Debug)]
pub struct TopK<K, V> {
    map: HashMap<K, Tally<V>, FxBuild>,
    cap: usize,
    floor: u64,
    pruned: u64,
    /// Reused by each prune (no allocation per record).
    scratch: Vec<u64>,
    /// Counts the distinct keys once the table has pruned (before, the table itself does): at
    /// the first prune it takes every key in the table, then each key that enters it.
    distinct: Option<Distinct>,
    count_distinct: bool,
}

impl<K: Hash + Eq + Ord + Copy, V: Default> TopK<K, V> {
    /// A table that keeps at least the `cap` heaviest keys (and holds at most `2 × cap`).
    pub fn new(cap: usize) -> TopK<K, V> {
        TopK {
            map: HashMap::default(),
            cap: cap.max(1),
            floor: 0,
            pruned: 0,
            scratch: Vec::new(),
            distinct: None,
            count_distinct: false,
        }
    }

    /// The same, also counting the distinct keys (see [`TopK::distinct`]).
    pub fn counting_distinct(cap: usize) -> TopK<K, V> {
        TopK {
            count_distinct: true,
            ..TopK::new(cap)
        }
    }

    /// The tally of `key` (entering the table if needed), to which the caller adds `weight` and
    /// its figures.
    #[inline]
    pub fn add(&mut self, key: K, weight: u64) -> &mut V {
        if self.map.len() >= 2 * self.cap && !self.map.contains_key(&key) {
            self.prune();
        }
        let floor = self.floor;
        let distinct = &mut self.distinct;
        let t = self.map.entry(key).or_insert_with(|| {
            if let Some(d) = distinct {
                d.add(hash64(&key));
            }
            Tally {
                weight: floor,
                error: floor,
                value: V::default(),
            }
        });
        t.weight = t.weight.saturating_add(weight);
        &mut t.value
    }

    /// Drops all but the `cap` heaviest keys.
    fn prune(&mut self) {
        if self.count_distinct && self.distinct.is_none() {
            let mut d = Distinct::new(super::MAX_DISTINCT);
            for k in self.map.keys() {
                d.add(hash64(k));
            }
            self.distinct = Some(d);
        }
        self.scratch.clear();
        self.scratch.extend(self.map.values().map(|t| t.weight));
        let cap = self.cap;
        let (_, kth, _) = self
            .scratch
            .select_nth_unstable_by(cap - 1, |a, b| b.cmp(a));
        let kth = *kth;
        // Keys above the cap-th weight stay; of those equal to it, as many as fit.
        let mut room = cap - self.map.values().filter(|t| t.weight > kth).count();
        let mut dropped_max = 0;
        let mut dropped = 0u64;
        self.map.retain(|_, t| {
            let keep = t.weight > kth || (t.weight == kth && room > 0);
            if t.weight == kth && keep {
                room -= 1;
            }
            if !keep {
                dropped_max = dropped_max.max(t.weight);
                dropped += 1;
            }
            keep
        });
        self.floor = self.floor.max(dropped_max);
        self.pruned += dropped;
    }

    /// True while no key was ever dropped: every figure is exact.
    pub fn is_exact(&self) -> bool {
        self.pruned == 0
    }

    /// The number of distinct keys added, and whether it is exact: exact while the table never
    /// pruned; then, for a table made with [`TopK::counting_distinct`], exact up to
    /// [`super::MAX_DISTINCT`] keys and estimated beyond; otherwise unknown (`None`).
    pub fn distinct(&self) -> Option<(u64, bool)> {
        match &self.distinct {
            _ if self.pruned == 0 => Some((self.map.len() as u64, true)),
            Some(d) => Some((d.count(), d.is_exact())),
            None => None,
        }
    }

    /// The tally of `key`, if it is in the table.
    pub fn get(&self, key: &K) -> Option<&Tally<V>> {
        self.map.get(key)
    }

    /// Keys in the table now.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no key was added.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The `n` heaviest keys by `order` (which sees the key and its tally; greater first; equal
    /// ones by key, so that the result does not depend on the table's layout).
    pub fn top<O: Ord>(&self, n: usize, order: impl Fn(&K, &Tally<V>) -> O) -> Vec<(K, &Tally<V>)> {
        let mut all: Vec<(K, &Tally<V>)> = self.map.iter().map(|(k, t)| (*k, t)).collect();
        let by = |a: &(K, &Tally<V>), b: &(K, &Tally<V>)| {
            order(&b.0, b.1)
                .cmp(&order(&a.0, a.1))
                .then_with(|| a.0.cmp(&b.0))
        };
        if all.len() > n && n > 0 {
            all.select_nth_unstable_by(n - 1, by);
            all.truncate(n);
        } else if n == 0 {
            all.clear();
        }
        all.sort_by(by);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_until_it_prunes() {
        let mut t: TopK<u32, u64> = TopK::new(4);
        for k in 0..8u32 {
            *t.add(k, u64::from(k)) += 1;
        }
        assert!(t.is_exact());
        assert_eq!(t.len(), 8);
        let top: Vec<u32> = t.top(3, |_, v| v.weight).iter().map(|(k, _)| *k).collect();
        assert_eq!(top, [7, 6, 5]);
    }

    #[test]
    fn heavy_keys_survive_a_flood_of_light_ones() {
        let mut t: TopK<u32, u64> = TopK::new(8);
        for i in 0..10_000u32 {
            // Keys 0..3 are heavy and come back all along; the others appear once each.
            let k = if i % 10 < 4 { i % 10 } else { 1000 + i };
            *t.add(k, 100) += 100;
        }
        assert!(!t.is_exact());
        assert!(t.len() <= 16);
        let top = t.top(4, |_, v| v.weight);
        let mut keys: Vec<u32> = top.iter().map(|(k, _)| *k).collect();
        keys.sort();
        assert_eq!(keys, [0, 1, 2, 3]);
        for (_, tally) in top {
            // 1,000 appearances of 100: the counted part is a lower bound, weight an upper one.
            assert!(tally.value <= 100_000 && tally.weight >= 100_000);
            assert!(tally.weight - tally.error <= 100_000);
        }
    }

    #[test]
    fn ties_do_not_empty_the_table() {
        let mut t: TopK<u32, ()> = TopK::new(3);
        for k in 0..100u32 {
            t.add(k, 1);
        }
        assert!(t.len() >= 3 && t.len() <= 6);
    }
}
