//! The store's interned texts: each distinct text kept once and named by a number.
//!
//! An open-addressing table of ids, hashed and compared eight bytes at a time. (A general map
//! compares keys through `memcmp`, which WebAssembly runs byte by byte.)

use crate::fxhash::FxHasher;
use std::hash::Hasher;

/// Distinct texts and their ids (0, 1, 2, ... in order of first appearance).
#[derive(Clone, Debug, Default)]
pub struct Interner {
    texts: Vec<Box<str>>,
    /// `(hash, id + 1)` per slot, `id + 1 == 0` for an empty one; a power of two long, at most
    /// half full.
    slots: Vec<(u32, u32)>,
}

impl Interner {
    /// The id of `text`, interning it when it is new and fewer than `max` texts are kept;
    /// `None` when it is new and there is no room.
    pub fn intern(&mut self, text: &str, max: usize) -> Option<u32> {
        let hash = hash(text.as_bytes());
        if let Some(id) = self.find(text, hash) {
            return Some(id);
        }
        if self.texts.len() >= max || self.texts.len() >= u32::MAX as usize - 1 {
            return None;
        }
        if (self.texts.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.into());
        self.place(hash, id);
        Some(id)
    }

    fn find(&self, text: &str, hash: u32) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let (h, id1) = self.slots[i];
            if id1 == 0 {
                return None;
            }
            let id = id1 - 1;
            if h == hash && same(self.texts[id as usize].as_bytes(), text.as_bytes()) {
                return Some(id);
            }
            i = (i + 1) & mask;
        }
    }

    fn place(&mut self, hash: u32, id: u32) {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i].1 != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = (hash, id + 1);
    }

    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(64);
        self.slots = vec![(0, 0); n];
        for (id, t) in self.texts.iter().enumerate() {
            let h = hash(t.as_bytes());
            let mask = n - 1;
            let mut i = h as usize & mask;
            while self.slots[i].1 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = (h, id as u32 + 1);
        }
    }

    /// The text of `id`.
    #[inline]
    pub fn get(&self, id: u32) -> Option<&str> {
        self.texts.get(id as usize).map(|t| &**t)
    }

    /// True when the text of `id` is `text` (compared eight bytes at a time).
    #[inline]
    pub fn is(&self, id: u32, text: &str) -> bool {
        self.texts
            .get(id as usize)
            .is_some_and(|t| same(t.as_bytes(), text.as_bytes()))
    }

    /// Number of texts kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.texts.len()
    }
}

fn hash(bytes: &[u8]) -> u32 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish() as u32
}

/// `a == b`, eight bytes at a time, without a call to `memcmp`/`bcmp` (which WASM runs byte by
/// byte).
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut x = a.chunks_exact(8);
    let mut y = b.chunks_exact(8);
    for (p, q) in (&mut x).zip(&mut y) {
        if u64::from_le_bytes(p.try_into().expect("8 bytes"))
            != u64::from_le_bytes(q.try_into().expect("8 bytes"))
        {
            return false;
        }
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_order_of_first_appearance_and_a_cap() {
        let mut t = Interner::default();
        let words: Vec<String> = (0..1000).map(|i| format!("eni-{i:017x}")).collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.intern(w, usize::MAX), Some(i as u32));
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.intern(w, usize::MAX), Some(i as u32));
            assert_eq!(t.get(i as u32), Some(w.as_str()));
            assert!(t.is(i as u32, w));
        }
        assert_eq!(t.intern("", 1001), Some(1000));
        assert_eq!(t.intern("new", 1001), None);
        assert_eq!(t.intern("", 0), Some(1000));
        assert_eq!(t.len(), 1001);
        assert!(!t.is(0, "eni-00000000000000001"));
        assert_eq!(t.get(5000), None);
    }

    #[test]
    fn same_is_equality() {
        for (a, b) in [
            ("", ""),
            ("a", "a"),
            ("a", "b"),
            ("abcdefgh", "abcdefgh"),
            ("abcdefghi", "abcdefgh"),
            ("abcdefghij", "abcdefghik"),
            ("xbcdefghij", "abcdefghij"),
        ] {
            assert_eq!(same(a.as_bytes(), b.as_bytes()), a == b, "{a} {b}");
        }
    }
}
