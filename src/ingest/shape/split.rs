//! Splitting bytes into lines across chunk boundaries, with memory bounded by the longest line:
//! what the line shapes and JSON documents both read through.

use super::{Sink, Unwrapped, WrapperProblem};

/// The longest line delivered whole: no flow log record (nor a CSV row or JSON line carrying one)
/// comes near it. A longer line is delivered cut to this length, marked as cut, so that memory
/// stays bounded whatever the input (a gigabyte without a line end, say).
pub(super) const MAX_LINE: usize = 1 << 20;

/// Splits bytes into lines at `\n`, `\r\n` or a lone `\r`, across chunk boundaries. A final line
/// without a line end counts; a final line end does not start an extra empty line. Each line is
/// delivered with its number and whether it was cut at [`MAX_LINE`].
#[derive(Default)]
pub(super) struct LineSplitter {
    /// The start of a line whose end has not arrived yet (at most [`MAX_LINE`] bytes).
    partial: Vec<u8>,
    /// The line in `partial` is longer than what `partial` keeps.
    cut: bool,
    /// The last chunk ended with `\r`: a `\n` starting the next one belongs to it.
    after_cr: bool,
    number: u64,
}

impl LineSplitter {
    pub(super) fn push(&mut self, mut data: &[u8], mut line: impl FnMut(u64, &[u8], bool)) {
        if self.after_cr && !data.is_empty() {
            self.after_cr = false;
            if data[0] == b'\n' {
                data = &data[1..];
            }
        }
        while let Some(i) = find_line_end(data) {
            self.number += 1;
            if self.partial.is_empty() && !self.cut {
                line(self.number, &data[..i.min(MAX_LINE)], i > MAX_LINE);
            } else {
                self.keep(&data[..i]);
                line(self.number, &self.partial, self.cut);
                self.partial.clear();
                self.cut = false;
            }
            if data[i] == b'\r' {
                match data.get(i + 1) {
                    Some(b'\n') => data = &data[i + 2..],
                    Some(_) => data = &data[i + 1..],
                    None => {
                        self.after_cr = true;
                        return;
                    }
                }
            } else {
                data = &data[i + 1..];
            }
        }
        self.keep(data);
    }

    /// Adds bytes to the unfinished line, up to [`MAX_LINE`].
    fn keep(&mut self, data: &[u8]) {
        let room = MAX_LINE - self.partial.len();
        self.partial
            .extend_from_slice(&data[..data.len().min(room)]);
        self.cut |= data.len() > room;
    }

    pub(super) fn finish(&mut self, mut line: impl FnMut(u64, &[u8], bool)) {
        if !self.partial.is_empty() || self.cut {
            self.number += 1;
            line(self.number, &self.partial, self.cut);
            self.partial.clear();
            self.cut = false;
        }
    }
}

/// The position of the first `\n` or `\r`, eight bytes at a time (lines are long, ends rare).
pub(super) fn find_line_end(s: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const LF: u64 = ONES * b'\n' as u64;
    const CR: u64 = ONES * b'\r' as u64;
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS != 0;
    let mut i = 0;
    while let Some(word) = s.get(i..i + 8) {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if has_zero(w ^ LF) || has_zero(w ^ CR) {
            break;
        }
        i += 8;
    }
    s[i..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map(|p| i + p)
}

/// A line longer than [`MAX_LINE`]: an error, shown by its start.
pub(super) fn too_long(number: u64, start: &[u8], sink: &mut Sink<'_>) {
    let shown = String::from_utf8_lossy(&start[..start.len().min(SHOWN_OF_LONG_LINE)]);
    sink(Unwrapped::Error {
        number,
        problem: WrapperProblem::LineTooLong {
            limit: MAX_LINE as u64,
        },
        raw: &shown,
    });
}

/// Bytes shown of a line that is too long (the store keeps 4 KiB of an error's line; a little
/// more tells it the line goes on).
const SHOWN_OF_LONG_LINE: usize = 4100;
