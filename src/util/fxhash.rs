//! A fast, non-cryptographic hasher for the maps on the decode path (interned strings, interface
//! tallies), in the manner of the Fx hash of the Rust compiler: a rotate, an xor and a multiply per
//! word, and a final rotation. Also keys the ip-ranges prefix maps. Not resistant to chosen collisions; the maps it serves are bounded in size.

use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The hasher state.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// The multiply leaves the well-mixed bits at the top and the low bits to the low bits of the
    /// input (mostly zero in network addresses, so most of them would share a few buckets): the
    /// rotation brings the mixed bits down to where the table takes its bucket index.
    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

/// Builds [`FxHasher`]s, for `HashMap<K, V, FxBuild>`.
pub type FxBuild = BuildHasherDefault<FxHasher>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn maps_work_and_lengths_matter() {
        let mut m: HashMap<Box<str>, u32, FxBuild> = HashMap::default();
        for (i, k) in [
            "",
            "a",
            "a\0",
            "eni-01f35fc1a2377de36",
            "eni-01f35fc1a2377de37",
        ]
        .iter()
        .enumerate()
        {
            m.insert((*k).into(), i as u32);
        }
        assert_eq!(m.len(), 5);
        assert_eq!(m.get("a\0"), Some(&2));
        assert_eq!(m.get("eni-01f35fc1a2377de37"), Some(&4));
    }
}
