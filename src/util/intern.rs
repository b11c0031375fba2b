//! The store's interned texts: each distinct text kept once and named by a number.
//!
//! An open-addressing table of ids, hashed and compared eight bytes at a time. (A general map
//! compares keys through `memcmp`, which WebAssembly runs byte by byte.) A text of up to 24 bytes
//! (IDs, codes, names: nearly every text of a flow log) is also kept as its length and three
//! words that together hold all of its bytes, so that it is hashed with three multiplies and
//! compared with four integer comparisons, without reading the text itself.

use super::fxhash::FxHasher;
use std::hash::Hasher;

/// Distinct texts and their ids (0, 1, 2, ... in order of first appearance).
#[derive(Clone, Debug, Default)]
pub struct Interner {
    texts: Vec<Box<str>>,
    /// For each text, its [`Key`].
    keys: Vec<Key>,
    /// `(hash, id + 1)` per slot, `id + 1 == 0` for an empty one; a power of two long, at most
    /// half full.
    slots: Vec<(u32, u32)>,
}

impl Interner {
    /// The id of `text`, interning it when it is new and fewer than `max` texts are kept;
    /// `None` when it is new and there is no room.
    #[cfg(test)]
    pub fn intern(&mut self, text: &str, max: usize) -> Option<u32> {
        self.intern_hinted(text, u32::MAX, max)
    }

    /// [`Interner::intern`], trying id `hint` first (a column's last text, which the next record
    /// often repeats).
    #[inline]
    pub fn intern_hinted(&mut self, text: &str, hint: u32, max: usize) -> Option<u32> {
        let key = Key::of(text.as_bytes());
        if self.is_key(hint, &key, text) {
            return Some(hint);
        }
        let hash = key.hash(text.as_bytes());
        if let Some(id) = self.find(text, &key, hash) {
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
        self.keys.push(key);
        self.place(hash, id);
        Some(id)
    }

    /// True when `id`'s text is `text`, whose key is `key`.
    #[inline]
    fn is_key(&self, id: u32, key: &Key, text: &str) -> bool {
        match self.keys.get(id as usize) {
            Some(k) if k.len == key.len => {
                if key.len as usize <= Key::MAX {
                    k.words == key.words
                } else {
                    same(self.texts[id as usize].as_bytes(), text.as_bytes())
                }
            }
            _ => false,
        }
    }

    fn find(&self, text: &str, key: &Key, hash: u32) -> Option<u32> {
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
            if h == hash && self.is_key(id, key, text) {
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
        for (id, (t, k)) in self.texts.iter().zip(&self.keys).enumerate() {
            let h = k.hash(t.as_bytes());
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

    /// True when the text of `id` is `text`.
    #[cfg(test)]
    pub fn is(&self, id: u32, text: &str) -> bool {
        self.is_key(id, &Key::of(text.as_bytes()), text)
    }

    /// Number of texts kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.texts.len()
    }
}

/// A text's length and, for a text of up to [`Key::MAX`] bytes, three words that hold all of its
/// bytes (the first eight, the middle eight and the last eight, overlapping; a shorter text in
/// the first word, zero-extended), so that two such texts are equal exactly when their keys are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Key {
    words: [u64; 3],
    len: u32,
}

impl Key {
    /// The longest text held whole by its key.
    const MAX: usize = 24;

    #[inline]
    fn of(b: &[u8]) -> Key {
        let n = b.len();
        let len = u32::try_from(n).unwrap_or(u32::MAX);
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"));
        let words = match n {
            0 => [0; 3],
            1 => [u64::from(b[0]), 0, 0],
            // Two overlapping halves (copying a variable length would call `memcpy`).
            2..=3 => {
                let lo = u16::from_le_bytes([b[0], b[1]]);
                let hi = u16::from_le_bytes([b[n - 2], b[n - 1]]);
                [u64::from(lo) | u64::from(hi) << (8 * (n - 2)), 0, 0]
            }
            4..=7 => {
                let lo = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                let hi = u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]);
                [u64::from(lo) | u64::from(hi) << (8 * (n - 4)), 0, 0]
            }
            8..=Key::MAX => [word(0), word(n / 2 - 4), word(n - 8)],
            _ => [0; 3],
        };
        Key { words, len }
    }

    /// The hash of the text `b` whose key this is.
    #[inline]
    fn hash(&self, b: &[u8]) -> u32 {
        let mut h = FxHasher::default();
        if self.len as usize <= Key::MAX {
            for w in self.words {
                h.write_u64(w);
            }
        } else {
            h.write(b);
        }
        h.write_u32(self.len);
        h.finish() as u32
    }
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
    fn keys_are_equal_exactly_when_texts_are() {
        let mut texts: Vec<String> = Vec::new();
        for n in 0..=30 {
            let base: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            texts.push(base.clone());
            // the same length, one byte changed at each position
            for i in 0..n {
                let mut b = base.clone().into_bytes();
                b[i] = b'#';
                texts.push(String::from_utf8(b).unwrap());
            }
        }
        let mut t = Interner::default();
        let ids: Vec<u32> = texts
            .iter()
            .map(|x| t.intern(x, usize::MAX).unwrap())
            .collect();
        for (i, a) in texts.iter().enumerate() {
            for (j, b) in texts.iter().enumerate() {
                assert_eq!(ids[i] == ids[j], a == b, "{a:?} {b:?}");
                assert_eq!(t.is(ids[i], b), a == b, "{a:?} {b:?}");
            }
        }
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
