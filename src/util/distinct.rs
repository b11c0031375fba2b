//! Counting distinct values in bounded memory: exact up to a cap, estimated beyond it by adaptive
//! sampling (Wegman's method): only values whose hash starts with `level` zero bits are kept, and
//! `level` rises by one (halving the sample) whenever the sample exceeds the cap. The estimate is
//! the sample's size times 2^level; its relative standard error is about 1/√cap (0.4% for 65,536).

use super::fxhash::{FxBuild, FxHasher};
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

/// Distinct values counted exactly by the summary and the facts; beyond, estimated.
pub const MAX_DISTINCT: usize = 65_536;

/// Distinct values seen, exact up to the cap.
#[derive(Clone, Debug)]
pub struct Distinct {
    sample: HashSet<u64, FxBuild>,
    level: u32,
    cap: usize,
}

/// A well-mixed 64-bit hash of `value` (the Fx hash, then the SplitMix64 finaliser, so that the
/// leading bits the sampling looks at are uniform).
pub fn hash64<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    let mut z = h.finish();
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Distinct {
    /// A counter exact up to `cap` distinct values.
    pub fn new(cap: usize) -> Distinct {
        Distinct {
            sample: HashSet::default(),
            level: 0,
            cap: cap.max(1),
        }
    }

    /// Counts a value by its [`hash64`].
    #[inline]
    pub fn add(&mut self, hash: u64) {
        if hash.leading_zeros() < self.level {
            return;
        }
        if self.sample.insert(hash) && self.sample.len() > self.cap {
            self.level += 1;
            let level = self.level;
            self.sample.retain(|h| h.leading_zeros() >= level);
        }
    }

    /// Adds the values `other` counted (the count of both sets).
    pub fn merge(&mut self, other: &Distinct) {
        if other.level > self.level {
            self.level = other.level;
            let level = self.level;
            self.sample.retain(|h| h.leading_zeros() >= level);
        }
        for h in &other.sample {
            self.add(*h);
        }
    }

    /// The number of distinct values: exact while [`Distinct::is_exact`], else an estimate.
    pub fn count(&self) -> u64 {
        (self.sample.len() as u64) << self.level
    }

    /// True while the count is exact (at most `cap` distinct values were seen, barring a 64-bit
    /// hash collision).
    pub fn is_exact(&self) -> bool {
        self.level == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_then_close() {
        let mut d = Distinct::new(1000);
        for i in 0..1000u32 {
            d.add(hash64(&i));
            d.add(hash64(&i));
        }
        assert!(d.is_exact());
        assert_eq!(d.count(), 1000);
        for i in 0..100_000u32 {
            d.add(hash64(&i));
        }
        assert!(!d.is_exact());
        let n = d.count() as f64;
        assert!((n - 100_000.0).abs() / 100_000.0 < 0.1, "{n}");
    }
}
