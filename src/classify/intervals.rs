//! Longest-prefix match over nested address ranges: nested or disjoint ranges are flattened into
//! sorted, disjoint intervals, each labelled with the innermost range covering it, so that a lookup
//! is one binary search. Used by the AWS index ([`super::aws`]) and the other clouds' ([`super::clouds`]).

/// A piece of the address space and the innermost range (by index) covering it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval<T> {
    /// First address.
    pub first: T,
    /// Last address.
    pub last: T,
    /// Index of the range.
    pub prefix: u32,
}

/// The label of the interval holding `x`, if any.
pub fn find<T: Ord + Copy>(intervals: &[Interval<T>], x: T) -> Option<u32> {
    let i = intervals.partition_point(|iv| iv.first <= x);
    let iv = intervals.get(i.checked_sub(1)?)?;
    (x <= iv.last).then_some(iv.prefix)
}

/// IPv4 intervals with a table by the top 16 bits of an address: the few intervals that may hold
/// it, so that a lookup searches 0-3 intervals instead of all of them (~14 probes, each a likely
/// cache miss). Starts are kept apart from the rest, so probes read dense memory.
#[derive(Clone, Debug, Default)]
pub struct V4Index {
    firsts: Vec<u32>,
    intervals: Vec<Interval<u32>>,
    /// For each value `b` of the top 16 bits: the first interval whose last address is at or
    /// past `b << 16` (65,537 entries; empty when there is no interval).
    starts: Vec<u32>,
}

impl V4Index {
    /// The index of `intervals` (sorted and disjoint, as [`flatten`] makes them).
    pub fn new(intervals: Vec<Interval<u32>>) -> V4Index {
        if intervals.is_empty() {
            return V4Index::default();
        }
        let mut starts = Vec::with_capacity((1 << 16) + 1);
        let mut i = 0;
        for b in 0..=(1u32 << 16) {
            let at = b << 16;
            if b < 1 << 16 {
                while i < intervals.len() && intervals[i].last < at {
                    i += 1;
                }
            } else {
                i = intervals.len();
            }
            starts.push(i as u32);
        }
        V4Index {
            firsts: intervals.iter().map(|iv| iv.first).collect(),
            intervals,
            starts,
        }
    }

    /// The label of the interval holding `x`, if any.
    #[inline]
    pub fn find(&self, x: u32) -> Option<u32> {
        let b = (x >> 16) as usize;
        let lo = *self.starts.get(b)? as usize;
        // The interval holding `x` ends at or past `x`, and starts at or before it: it is at or
        // after `lo`, and no later than the first interval reaching the next block.
        let hi = (self.starts[b + 1] as usize + 1).min(self.firsts.len());
        let i = lo + self.firsts[lo..hi].partition_point(|f| *f <= x);
        let iv = self.intervals.get(i.checked_sub(1)?)?;
        (i > lo && x <= iv.last).then_some(iv.prefix)
    }

    /// The intervals, in order.
    pub fn intervals(&self) -> &[Interval<u32>] {
        &self.intervals
    }
}

/// The flattened intervals and the (child, parent) links between nested ranges.
pub type Flattened<T> = (Vec<Interval<T>>, Vec<(u32, u32)>);

/// Turns (first, last, index) ranges that nest or are disjoint into sorted disjoint intervals, each
/// labelled with the innermost range covering it; also returns (child, parent) links. Identical
/// ranges nest in input order (the later one inside the earlier).
pub fn flatten<T>(mut ranges: Vec<(T, T, u32)>) -> Flattened<T>
where
    T: Ord + Copy + Step,
{
    // Outer ranges before the ranges they contain.
    // (Unstable is fine: the order is total up to identical tuples.)
    ranges.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    flatten_sorted(ranges)
}

/// [`flatten`] of ranges already in its order: by first address, then outer (larger) ranges
/// first, then by index. For callers that can sort on a cheaper key.
pub fn flatten_sorted<T>(ranges: Vec<(T, T, u32)>) -> Flattened<T>
where
    T: Ord + Copy + Step,
{
    debug_assert!(ranges
        .windows(2)
        .all(|w| (w[0].0, std::cmp::Reverse(w[0].1), w[0].2)
            <= (w[1].0, std::cmp::Reverse(w[1].1), w[1].2)));
    let mut out: Vec<Interval<T>> = Vec::with_capacity(ranges.len() * 2);
    let mut parents = Vec::new();
    let mut stack: Vec<(T, T, u32)> = Vec::new();
    // The first address not yet covered by an emitted interval; None once the top is passed.
    let mut cursor: Option<T> = None;
    let emit = |out: &mut Vec<Interval<T>>, first: Option<T>, last: T, prefix: u32| {
        if let Some(first) = first {
            if first <= last {
                out.push(Interval {
                    first,
                    last,
                    prefix,
                });
            }
        }
    };
    for r in ranges {
        while let Some(&top) = stack.last() {
            if top.1 >= r.0 {
                break;
            }
            emit(&mut out, cursor, top.1, top.2);
            cursor = top.1.next();
            stack.pop();
        }
        if let Some(&top) = stack.last() {
            if r.1 > top.1 {
                // Overlapping without nesting cannot happen for CIDR prefixes; skip it defensively.
                continue;
            }
            if let Some(before) = r.0.prev() {
                emit(&mut out, cursor, before, top.2);
            }
            parents.push((r.2, top.2));
        }
        cursor = Some(r.0);
        stack.push(r);
    }
    while let Some(top) = stack.pop() {
        emit(&mut out, cursor, top.1, top.2);
        cursor = top.1.next();
    }
    (out, parents)
}

/// Integer stepping used by [`flatten`]: IPv4 addresses as `u32`, IPv6 as `u128`.
pub trait Step: Sized {
    /// The next value, `None` past the top.
    fn next(self) -> Option<Self>;
    /// The previous value, `None` below zero.
    fn prev(self) -> Option<Self>;
}

impl Step for u32 {
    fn next(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn prev(self) -> Option<Self> {
        self.checked_sub(1)
    }
}

impl Step for u128 {
    fn next(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn prev(self) -> Option<Self> {
        self.checked_sub(1)
    }
}

/// `(first, last)` of the prefix `network/len` (IPv4).
pub fn v4_range(network: u32, len: u8) -> (u32, u32) {
    let host = u32::MAX.checked_shr(u32::from(len)).unwrap_or(0);
    (network & !host, network | host)
}

/// `(first, last)` of the prefix `network/len` (IPv6).
pub fn v6_range(network: u128, len: u8) -> (u128, u128) {
    let host = u128::MAX.checked_shr(u32::from(len)).unwrap_or(0);
    (network & !host, network | host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_ranges_flatten_to_the_innermost() {
        // 0-99 holds 10-19, which holds 12-13; 200-210 stands alone.
        let (iv, parents) = flatten(vec![(10u32, 19, 1), (0, 99, 0), (12, 13, 2), (200, 210, 3)]);
        let at = |x| find(&iv, x);
        assert_eq!(
            [at(0), at(10), at(12), at(14), at(20), at(150), at(205)],
            [Some(0), Some(1), Some(2), Some(1), Some(0), None, Some(3)]
        );
        assert_eq!(parents, [(1, 0), (2, 1)]);
        assert!(iv.windows(2).all(|w| w[0].last < w[1].first));
    }

    #[test]
    fn the_v4_index_finds_what_a_binary_search_finds() {
        let ranges = vec![
            (0u32, 0, 0),
            (0x0a00_0000, 0x0aff_ffff, 1),
            (0x0a01_0000, 0x0a01_00ff, 2),
            (0x0a01_0100, 0x0a02_ffff, 3),
            (0x0f98_0000, 0x0f99_ffff, 4),
            (0x0f98_1234, 0x0f98_1234, 5),
            (0xfffe_ffff, 0xffff_ffff, 6),
        ];
        let (iv, _) = flatten(ranges);
        let index = V4Index::new(iv.clone());
        let mut probes: Vec<u32> = (0..=u32::MAX).step_by(40_009).collect();
        for v in &iv {
            for d in [0u32, 1, 2] {
                probes.extend([v.first.wrapping_sub(d), v.first.wrapping_add(d)]);
                probes.extend([v.last.wrapping_sub(d), v.last.wrapping_add(d)]);
            }
        }
        for x in probes {
            assert_eq!(index.find(x), find(&iv, x), "{x:#x}");
        }
        assert_eq!(V4Index::new(Vec::new()).find(7), None);
        assert_eq!(index.intervals(), &iv[..]);
    }

    #[test]
    fn edges_of_the_address_space() {
        let (iv, _) = flatten(vec![(0u32, u32::MAX, 0), (u32::MAX, u32::MAX, 1)]);
        assert_eq!(find(&iv, u32::MAX), Some(1));
        assert_eq!(find(&iv, 0), Some(0));
        assert_eq!(v4_range(0x0a00_0001, 8), (0x0a00_0000, 0x0aff_ffff));
        assert_eq!(v4_range(5, 0), (0, u32::MAX));
        assert_eq!(v4_range(5, 32), (5, 5));
        assert_eq!(v6_range(1, 128), (1, 1));
        assert_eq!(v6_range(1, 0), (0, u128::MAX));
    }
}
