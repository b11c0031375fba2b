//! The tokenizer every stage shares: a line into its space-separated tokens, and text into
//! lines. The one-pass decoder ([`crate::ingest::decode`]) scans tokens with the same byte tests.

/// Splits a line into its space-separated tokens: runs of spaces and tabs separate fields; a trailing
/// CR and leading/trailing whitespace are ignored.
pub fn tokens(line: &str) -> impl Iterator<Item = &str> {
    let b = line.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let (start, end) = next_token(b, i)?;
        i = end;
        // Separators are ASCII, so both ends are character boundaries.
        Some(&line[start..end])
    })
}

/// A byte that separates tokens.
#[inline]
pub(crate) fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

/// The span of the first token of `b` at or after `from`.
#[inline]
pub(crate) fn next_token(b: &[u8], mut from: usize) -> Option<(usize, usize)> {
    while from < b.len() && is_separator(b[from]) {
        from += 1;
    }
    if from >= b.len() {
        return None;
    }
    Some((from, token_end(b, from + 1)))
}

/// The end of the token that goes on at `from`: the first separator at or after it, or the end
/// of `b`. Eight bytes at a time: a word with no byte below `!` (0x21) has no separator; the
/// lowest byte the word test flags is exact (false flags only come above a true one), and the
/// bytes from there are checked one by one (a control character is no separator).
#[inline]
pub(crate) fn token_end(b: &[u8], mut from: usize) -> usize {
    while let Some(word) = b.get(from..from + 8) {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let low = w.wrapping_sub(ONES * 0x21) & !w & HIGHS;
        if low != 0 {
            from += (low.trailing_zeros() / 8) as usize;
            break;
        }
        from += 8;
    }
    while from < b.len() && !is_separator(b[from]) {
        from += 1;
    }
    from
}

pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `b` at `i`, if there are eight.
#[inline]
pub(crate) fn word_at(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 8)
        .map(|w| u64::from_le_bytes(w.try_into().expect("eight bytes")))
}

/// The high bit of each byte of `w` (ASCII bytes only) that is in `lo..=hi` (both below 0x7f):
/// each byte is compared on its own, with no carry or borrow between bytes.
#[inline]
pub(crate) fn in_range(w: u64, lo: u8, hi: u8) -> u64 {
    let set = w | HIGHS;
    let at_least_lo = set.wrapping_sub(ONES * u64::from(lo));
    let above_hi = set.wrapping_sub(ONES * u64::from(hi + 1));
    at_least_lo & !above_hi & !w & HIGHS
}

/// Splits text into lines on `\n`, `\r\n` or a lone `\r`. A final line ending does not start an
/// extra empty line.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\n', '\r']) {
            None => {
                let line = rest;
                rest = "";
                Some(line)
            }
            Some(i) => {
                let line = &rest[..i];
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
                Some(line)
            }
        }
    })
}
