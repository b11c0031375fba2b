//! Text from the input made safe to print on a terminal: control characters (C0 but the line
//! end, DEL, C1) and the bidirectional overrides and isolates are written as escapes (`\x1b`,
//! `\t`, `\u{202e}`), never raw, so that a crafted log line cannot set a window title, clear the
//! screen or reorder what is shown. The CLI's readable output and its messages go through here;
//! JSON and CSV have their own escaping rules.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// True for a character that must not reach a terminal raw (the line end `\n` may).
pub fn is_unsafe_for_terminal(c: char) -> bool {
    matches!(c,
        '\0'..='\x09' | '\x0b'..='\x1f' | '\x7f' | '\u{80}'..='\u{9f}'
        // Bidirectional marks, embeddings, overrides and isolates.
        | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every character [`is_unsafe_for_terminal`] escaped: `\t`, `\r`, `\x1b` (C0 and
/// DEL), `\u{9b}` (C1), `\u{202e}` (bidirectional controls). Borrowed when there is none.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !is_unsafe_for_terminal(c) {
            out.push(c);
            continue;
        }
        let _ = match c {
            '\t' => out.write_str("\\t"),
            '\r' => out.write_str("\\r"),
            '\0'..='\x7f' => write!(out, "\\x{:02x}", c as u32),
            _ => write!(out, "\\u{{{:x}}}", c as u32),
        };
    }
    Cow::Owned(out)
}

/// A writer that escapes what goes through it with [`for_terminal`]. Bytes that are not UTF-8
/// (which formatted text never has) are written as `\xNN`.
pub struct TerminalWriter<W: io::Write> {
    inner: W,
}

impl<W: io::Write> TerminalWriter<W> {
    /// Escapes what is written to `inner`.
    pub fn new(inner: W) -> Self {
        TerminalWriter { inner }
    }
}

impl<W: io::Write> io::Write for TerminalWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.inner.write_all(for_terminal(s).as_bytes())?;
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    // Valid up to here by construction.
                    let good = std::str::from_utf8(good).unwrap_or_default();
                    self.inner.write_all(for_terminal(good).as_bytes())?;
                    let n = e.error_len().unwrap_or(bad.len()).max(1);
                    for b in &bad[..n] {
                        write!(self.inner, "\\x{b:02x}")?;
                    }
                    rest = &bad[n..];
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(for_terminal("plain 日本語"), "plain 日本語");
        assert!(matches!(for_terminal("plain"), Cow::Borrowed(_)));
        assert_eq!(
            for_terminal("a\x1b]0;pwned\x07b\tc\rd\x7f\u{9b}2J\u{202e}x\u{2066}\n"),
            "a\\x1b]0;pwned\\x07b\\tc\\rd\\x7f\\u{9b}2J\\u{202e}x\\u{2066}\n"
        );
    }

    #[test]
    fn the_writer_escapes_and_names_bad_bytes() {
        let mut out = Vec::new();
        let mut w = TerminalWriter::new(&mut out);
        w.write_all(b"ok \x1b[2J \xff\xfe end\n").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ok \\x1b[2J \\xff\\xfe end\n"
        );
    }
}
