//! Growable storage in fixed-size chunks, for what a decode keeps per record.
//!
//! A `Vec` grows by doubling: it allocates twice its size and copies, so while it grows it holds
//! up to three times its contents, and WebAssembly memory never shrinks back from that peak.
//! Chunks are allocated once and never moved: memory stays within one chunk of what is kept.

/// A sequence of `T` in chunks of `1 << BITS` elements.
#[derive(Clone, Debug)]
pub struct Chunked<T, const BITS: u32 = 16> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T, const BITS: u32> Default for Chunked<T, BITS> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T, const BITS: u32> Chunked<T, BITS> {
    const CHUNK: usize = 1 << BITS;

    /// Appends `value`.
    #[inline]
    pub fn push(&mut self, value: T) {
        match self.chunks.last_mut() {
            Some(c) if c.len() < Self::CHUNK => c.push(value),
            _ => {
                let mut c = Vec::with_capacity(Self::CHUNK);
                c.push(value);
                self.chunks.push(c);
            }
        }
        self.len += 1;
    }

    /// Element `i`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i >> BITS)?.get(i & (Self::CHUNK - 1))
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no element.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<T, const BITS: u32> IntoIterator for Chunked<T, BITS> {
    type Item = T;
    type IntoIter = std::iter::Flatten<std::vec::IntoIter<Vec<T>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.chunks.into_iter().flatten()
    }
}

/// Byte records packed in chunks of `1 << BITS` bytes, each addressed by a `u32`
/// (chunk number × chunk size + offset); a record never straddles two chunks (one larger than a
/// chunk gets a chunk of its own). At most `2^(32 - BITS)` chunks: 4 GiB in all.
#[derive(Clone, Debug, Default)]
pub struct Arena {
    chunks: Vec<Vec<u8>>,
    used: usize,
}

/// Arena chunks: 1 MiB.
const ARENA_BITS: u32 = 20;
const ARENA_CHUNK: usize = 1 << ARENA_BITS;
const ARENA_CHUNKS: usize = 1 << (32 - ARENA_BITS);

impl Arena {
    /// Stores `record`; its address, or `None` when the arena is full.
    pub fn put(&mut self, record: &[u8]) -> Option<u32> {
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.capacity() - c.len() >= record.len());
        if !fits {
            if self.chunks.len() >= ARENA_CHUNKS {
                return None;
            }
            self.chunks
                .push(Vec::with_capacity(ARENA_CHUNK.max(record.len())));
        }
        let n = self.chunks.len() - 1;
        let chunk = &mut self.chunks[n];
        let at = (n << ARENA_BITS | chunk.len()) as u32;
        chunk.extend_from_slice(record);
        self.used += record.len();
        Some(at)
    }

    /// The bytes from address `at` to the end of its chunk (the record there and what follows).
    #[inline]
    pub fn from(&self, at: u32) -> &[u8] {
        let at = at as usize;
        self.chunks
            .get(at >> ARENA_BITS)
            .and_then(|c| c.get(at & (ARENA_CHUNK - 1)..))
            .unwrap_or(&[])
    }

    /// Bytes stored.
    pub fn used_bytes(&self) -> usize {
        self.used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_keeps_order_across_chunks() {
        let mut c: Chunked<u32, 2> = Chunked::default();
        assert!(c.is_empty() && c.get(0).is_none());
        for i in 0..11 {
            c.push(i);
        }
        assert_eq!(c.len(), 11);
        assert_eq!(c.get(4), Some(&4));
        assert_eq!(c.get(10), Some(&10));
        assert_eq!(c.get(11), None);
        assert_eq!(
            c.into_iter().collect::<Vec<_>>(),
            (0..11).collect::<Vec<_>>()
        );
    }

    #[test]
    fn arena_records_never_straddle_chunks() {
        let mut a = Arena::default();
        let small = vec![7u8; 1000];
        let mut ats = Vec::new();
        for _ in 0..2000 {
            ats.push(a.put(&small).unwrap());
        }
        for at in &ats {
            assert_eq!(&a.from(*at)[..1000], &small[..]);
        }
        // 1048 records of 1000 bytes fit in the first 1 MiB chunk; the next starts a chunk.
        assert_eq!(ats[1048], 1 << ARENA_BITS);
        let big = vec![9u8; ARENA_CHUNK + 5];
        let at = a.put(&big).unwrap();
        assert_eq!(a.from(at), &big[..]);
        let after = a.put(&small).unwrap();
        assert_eq!(&a.from(after)[..1000], &small[..]);
        assert_eq!(a.used_bytes(), 2001 * 1000 + ARENA_CHUNK + 5);
        assert!(a.from(u32::MAX).is_empty());
    }
}
