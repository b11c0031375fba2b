//! Records, bytes and rejects over time, by each record's `start`, for a chart.
//!
//! One pass cannot know the time span before it ends, so the pass keeps at most [`MAX_FINE`]
//! buckets of a fine width and widens them (merging neighbours) when the span outgrows them. The
//! chart's width is then chosen from a ladder of round widths (1 s ... 1 day ... 1 year) to give
//! at most [`MAX_BARS`] bars, usually 40 or more. Every width is a multiple of the fine width in
//! use and buckets are aligned to multiples of their width since 1970, so the merge is exact.

use crate::explain::codes::is_millis;
use crate::text::Lang;
use std::collections::VecDeque;

/// Most buckets kept during the pass.
pub const MAX_FINE: usize = 8192;
/// Most bars of the chart.
pub const MAX_BARS: u64 = 100;

const MIN: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;
const YEAR: u64 = 365 * DAY;

/// Fine widths of the pass; each divides every chart width from it up. Past a year, ×10.
const FINE: [u64; 5] = [1, MIN, HOUR, DAY, YEAR];

/// The chart's widths.
const LADDER: [u64; 26] = [
    1,
    2,
    5,
    10,
    15,
    30,
    MIN,
    2 * MIN,
    5 * MIN,
    10 * MIN,
    15 * MIN,
    30 * MIN,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    3 * DAY,
    7 * DAY,
    14 * DAY,
    30 * DAY,
    91 * DAY,
    182 * DAY,
    YEAR,
];

/// The figures of one bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    /// Records that started in it.
    pub records: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Those of them REJECTed.
    pub rejected: u64,
}

impl Bucket {
    fn merge(&mut self, o: &Bucket) {
        self.records += o.records;
        self.bytes = self.bytes.saturating_add(o.bytes);
        self.rejected += o.rejected;
    }
}

/// Buckets of the pass.
#[derive(Clone, Debug)]
pub struct Timeline {
    width: u64,
    /// Index (time / width) of `buckets[0]`.
    first: u64,
    buckets: VecDeque<Bucket>,
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline {
            width: 1,
            first: 0,
            buckets: VecDeque::new(),
        }
    }
}

/// A time value in seconds (times in milliseconds, as some records have, are divided).
pub fn seconds(t: u64) -> u64 {
    if is_millis(t) {
        t / 1000
    } else {
        t
    }
}

fn next_fine(width: u64) -> u64 {
    FINE.iter()
        .copied()
        .find(|w| *w > width)
        .unwrap_or_else(|| width.saturating_mul(10))
}

impl Timeline {
    /// Adds a record that started at `start` (seconds).
    #[inline]
    pub fn add(&mut self, start: u64, b: &Bucket) {
        let mut k = start / self.width;
        if self.buckets.is_empty() {
            self.first = k;
            self.buckets.push_back(Bucket::default());
        } else {
            let last = self.first + self.buckets.len() as u64 - 1;
            let (lo, hi) = (k.min(self.first), k.max(last));
            if hi - lo >= MAX_FINE as u64 {
                self.widen(lo * self.width, hi * self.width);
                k = start / self.width;
            }
            while k < self.first {
                self.buckets.push_front(Bucket::default());
                self.first -= 1;
            }
            while k >= self.first + self.buckets.len() as u64 {
                self.buckets.push_back(Bucket::default());
            }
        }
        self.buckets[(k - self.first) as usize].merge(b);
    }

    /// Widens the buckets until times `lo..=hi` fit in [`MAX_FINE`] of them.
    fn widen(&mut self, lo: u64, hi: u64) {
        let mut w = self.width;
        while w < u64::MAX && hi / w - lo / w >= MAX_FINE as u64 {
            w = next_fine(w);
        }
        self.regroup(w);
    }

    /// The buckets regrouped at `width`, a multiple of the current width.
    fn regroup(&mut self, width: u64) {
        if width == self.width {
            return;
        }
        let old = std::mem::take(&mut self.buckets);
        let start = self.first * self.width;
        let new_first = start / width;
        for (i, b) in old.iter().enumerate() {
            let t = (self.first + i as u64).saturating_mul(self.width);
            let k = (t / width - new_first) as usize;
            while self.buckets.len() <= k {
                self.buckets.push_back(Bucket::default());
            }
            self.buckets[k].merge(b);
        }
        self.first = new_first;
        self.width = width;
    }

    /// The chart: its width and its bars `(start, figures)`, every bar from the first to the last
    /// (empty ones included); empty when no record had a start.
    pub fn chart(&self) -> (u64, Vec<(u64, Bucket)>) {
        if self.buckets.is_empty() {
            return (self.width, Vec::new());
        }
        let lo = self.first * self.width;
        let hi = (self.first + self.buckets.len() as u64 - 1).saturating_mul(self.width);
        let fits = |w: u64| hi / w - lo / w < MAX_BARS;
        let fine = self.width;
        let width = LADDER
            .iter()
            .copied()
            .filter(|w| *w >= fine && w.is_multiple_of(fine))
            .find(|w| fits(*w))
            .unwrap_or_else(|| {
                // Past the ladder: the fine width times 1, 2, 5, 10, 20, 50, ...
                let mut decade = 1u64;
                loop {
                    for m in [1, 2, 5] {
                        let w = fine.saturating_mul(m).saturating_mul(decade);
                        if w == u64::MAX || fits(w) {
                            return w;
                        }
                    }
                    decade = decade.saturating_mul(10);
                }
            });
        let mut copy = self.clone();
        copy.regroup(width);
        let bars = copy
            .buckets
            .iter()
            .enumerate()
            .map(|(i, b)| ((copy.first + i as u64).saturating_mul(width), *b))
            .collect();
        (width, bars)
    }
}

/// A width in words: `1 s`, `5 min`, `1 h`, `1 day`, `7 days` / `1 秒`, `5 分`, `1 時間`, `7 日`.
pub fn width_text(w: u64, lang: Lang) -> String {
    let (n, en, ja) = if w.is_multiple_of(DAY) {
        (w / DAY, if w == DAY { "day" } else { "days" }, "日")
    } else if w.is_multiple_of(HOUR) {
        (w / HOUR, "h", "時間")
    } else if w.is_multiple_of(MIN) {
        (w / MIN, "min", "分")
    } else {
        (w, "s", "秒")
    };
    match lang {
        Lang::En => format!("{n} {en}"),
        Lang::Ja => format!("{n} {ja}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(records: u64) -> Bucket {
        Bucket {
            records,
            bytes: 10 * records,
            rejected: 0,
        }
    }

    #[test]
    fn seconds_of_an_hour_make_one_minute_bars() {
        let mut t = Timeline::default();
        // Out of order on purpose.
        for s in (0..3600u64).rev().step_by(7) {
            t.add(1_700_000_000 + s, &one(1));
        }
        let (w, bars) = t.chart();
        assert_eq!(w, 60);
        assert!(bars.len() >= 40 && bars.len() <= 100, "{}", bars.len());
        assert_eq!(bars.iter().map(|b| b.1.records).sum::<u64>(), 515);
        assert_eq!(bars[0].0 % 60, 0);
    }

    #[test]
    fn years_apart_still_fit() {
        let mut t = Timeline::default();
        t.add(1418530010, &one(1));
        t.add(1477913708, &one(2));
        t.add(1418530011, &one(4));
        let (w, bars) = t.chart();
        assert_eq!(w, 7 * DAY);
        assert_eq!(bars.len(), 99);
        assert_eq!(bars[0].1.records, 5);
        assert_eq!(bars[98].1.records, 2);
    }

    #[test]
    fn hostile_times_do_not_overflow() {
        let mut t = Timeline::default();
        t.add(0, &one(1));
        t.add(u64::MAX / 1000, &one(1));
        t.add(5, &one(1));
        let (_, bars) = t.chart();
        assert!(bars.len() as u64 <= MAX_BARS);
        assert_eq!(bars.iter().map(|b| b.1.records).sum::<u64>(), 3);
    }

    #[test]
    fn widths_in_words() {
        assert_eq!(width_text(300, Lang::En), "5 min");
        assert_eq!(width_text(DAY, Lang::En), "1 day");
        assert_eq!(width_text(7 * DAY, Lang::Ja), "7 日");
        assert_eq!(width_text(10, Lang::Ja), "10 秒");
    }
}
