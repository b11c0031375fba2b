//! UTF-16 (either byte order) to UTF-8, incrementally: input arrives in chunks that may split a
//! code unit or a surrogate pair. What is not UTF-16 (a lone surrogate, an odd byte at the end)
//! becomes U+FFFD and is counted, so that a caller can say so.

/// The byte order mark of UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// The byte order mark of UTF-16 little-endian (what Windows PowerShell's `>` writes).
pub const UTF16_LE_BOM: &[u8] = b"\xFF\xFE";
/// The byte order mark of UTF-16 big-endian.
pub const UTF16_BE_BOM: &[u8] = b"\xFE\xFF";

/// An incremental UTF-16 decoder.
#[derive(Clone, Debug)]
pub struct Utf16Decoder {
    little_endian: bool,
    /// The first byte of a code unit split by a chunk boundary.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    replaced: u64,
}

impl Utf16Decoder {
    /// A decoder of UTF-16 in the given byte order (the BOM already removed).
    pub fn new(little_endian: bool) -> Utf16Decoder {
        Utf16Decoder {
            little_endian,
            odd: None,
            high: None,
            replaced: 0,
        }
    }

    /// Code units (or odd bytes) replaced with U+FFFD so far.
    pub fn replaced(&self) -> u64 {
        self.replaced
    }

    /// Decodes `data`, appending UTF-8 to `out`.
    pub fn push(&mut self, mut data: &[u8], out: &mut String) {
        out.reserve(data.len() / 2 + 4);
        if let Some(first) = self.odd {
            let Some((&second, rest)) = data.split_first() else {
                return;
            };
            self.odd = None;
            data = rest;
            self.unit(self.join(first, second), out);
        }
        let mut pairs = data.chunks_exact(2);
        for p in &mut pairs {
            let u = self.join(p[0], p[1]);
            // ASCII outside a pair: the common case, straight through.
            if u < 0x80 && self.high.is_none() {
                out.push(u as u8 as char);
            } else {
                self.unit(u, out);
            }
        }
        if let [last] = pairs.remainder() {
            self.odd = Some(*last);
        }
    }

    /// Ends the input: a pending high surrogate or odd byte becomes U+FFFD.
    pub fn finish(&mut self, out: &mut String) {
        if self.high.take().is_some() {
            self.replace(out);
        }
        if self.odd.take().is_some() {
            self.replace(out);
        }
    }

    fn join(&self, a: u8, b: u8) -> u16 {
        if self.little_endian {
            u16::from_le_bytes([a, b])
        } else {
            u16::from_be_bytes([a, b])
        }
    }

    fn replace(&mut self, out: &mut String) {
        self.replaced += 1;
        out.push(char::REPLACEMENT_CHARACTER);
    }

    fn unit(&mut self, u: u16, out: &mut String) {
        match u {
            0xD800..=0xDBFF => {
                if self.high.replace(u).is_some() {
                    self.replace(out);
                }
            }
            0xDC00..=0xDFFF => match self.high.take() {
                Some(h) => {
                    let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                None => self.replace(out),
            },
            _ => {
                if self.high.take().is_some() {
                    self.replace(out);
                }
                // Not a surrogate: always a char.
                out.push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
        }
    }
}

/// The text of a whole input in UTF-8, UTF-8 with a BOM, or UTF-16 with a BOM: the BOM removed,
/// UTF-16 transcoded (lone surrogates and an odd last byte as U+FFFD). `None` when the input has
/// no UTF-16 BOM (UTF-8 input is borrowed: see [`strip_utf8_bom`]).
pub fn decode_utf16_with_bom(bytes: &[u8]) -> Option<String> {
    let little_endian = if bytes.starts_with(UTF16_LE_BOM) {
        true
    } else if bytes.starts_with(UTF16_BE_BOM) {
        false
    } else {
        return None;
    };
    let mut d = Utf16Decoder::new(little_endian);
    let mut out = String::new();
    d.push(&bytes[2..], &mut out);
    d.finish(&mut out);
    Some(out)
}

/// `bytes` without a UTF-8 BOM at the start.
pub fn strip_utf8_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(s: &str, le: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    }

    #[test]
    fn any_split_gives_the_same_text() {
        let text = "2 123 eni-1 10.0.0.1 — 日本語 😀 ok\r\n";
        for le in [true, false] {
            let bytes = encode(text, le);
            for size in 1..8 {
                let mut d = Utf16Decoder::new(le);
                let mut out = String::new();
                for c in bytes.chunks(size) {
                    d.push(c, &mut out);
                }
                d.finish(&mut out);
                assert_eq!(out, text, "le={le} size={size}");
                assert_eq!(d.replaced(), 0);
            }
        }
    }

    #[test]
    fn lone_surrogates_and_an_odd_byte_are_replaced() {
        let mut bytes = Vec::new();
        for u in [0x41u16, 0xD800, 0x42, 0xDC00, 0x43, 0xD83D] {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        bytes.push(0x44);
        let mut d = Utf16Decoder::new(true);
        let mut out = String::new();
        d.push(&bytes, &mut out);
        d.finish(&mut out);
        assert_eq!(out, "A\u{FFFD}B\u{FFFD}C\u{FFFD}\u{FFFD}");
        assert_eq!(d.replaced(), 4);
    }

    #[test]
    fn whole_inputs() {
        let mut le = UTF16_LE_BOM.to_vec();
        le.extend(encode("{\"a\":1}", true));
        assert_eq!(decode_utf16_with_bom(&le).as_deref(), Some("{\"a\":1}"));
        assert_eq!(decode_utf16_with_bom(b"{}"), None);
        assert_eq!(strip_utf8_bom(b"\xEF\xBB\xBF{}"), b"{}");
    }
}
