//! Streaming base64: a Lambda/Kinesis/Firehose payload pasted bare, wrapped at any width, or
//! several payloads one per line (each padded on its own). Both the standard and the URL-safe
//! alphabet are read.

use super::{Cx, ShapeErrorKind, Sink, Stage};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

/// Lenient about padding and trailing bits: people trim these when copying.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Characters decoded in one go (a multiple of 4).
const BATCH: usize = 64 << 10;

/// A byte of the standard or URL-safe alphabet, or padding.
pub(super) fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=')
}

fn standard(b: u8) -> u8 {
    match b {
        b'-' => b'+',
        b'_' => b'/',
        _ => b,
    }
}

/// True when the first 8 characters of a text decode to the start of gzip (`1f 8b 08`) or of a
/// JSON object or array: the text is a base64 payload, not a flow log line.
pub(super) fn looks_like_payload(head: &[u8]) -> bool {
    let Some(head) = head.get(..8) else {
        return false;
    };
    if !head.iter().all(|&b| is_base64_byte(b) && b != b'=') {
        return false;
    }
    let quads: Vec<u8> = head.iter().map(|&b| standard(b)).collect();
    let mut out = [0u8; 6];
    if ENGINE.decode_slice(&quads, &mut out).is_err() {
        return false;
    }
    // What may follow the opening bracket of a payload worth decoding: a key, a value, or space.
    // `{]` is not JSON and `{}` / `[]` carry nothing, so a record token that happens to decode to
    // them (an ECS id such as `e30…` is hex, and hex never decodes to `{"`, `{ ` or `[{`) stays a
    // record.
    let json_start = match (out[0], out[1]) {
        (b'{', b) => b.is_ascii_whitespace() || b == b'"',
        (b'[', b) => b.is_ascii_whitespace() || matches!(b, b'"' | b'{' | b'['),
        _ => false,
    };
    out.starts_with(&[0x1f, 0x8b, 0x08]) || json_start
}

/// Decodes a whole base64 text (whitespace ignored); the error is the offset of a bad byte.
pub(super) fn decode(text: &[u8]) -> Result<Vec<u8>, u64> {
    let mut clean = Vec::with_capacity(text.len());
    for (i, &b) in text.iter().enumerate() {
        if b.is_ascii_whitespace() {
            continue;
        }
        if !is_base64_byte(b) {
            return Err(i as u64);
        }
        clean.push(standard(b));
    }
    ENGINE.decode(&clean).map_err(|_| text.len() as u64)
}

pub(super) struct Unbase64 {
    /// Characters not decoded yet.
    pending: Vec<u8>,
    decoded: Vec<u8>,
    /// Bytes of base64 text read.
    read: u64,
    inner: Stage,
}

impl Unbase64 {
    pub(super) fn new(inner: Stage) -> Unbase64 {
        Unbase64 {
            pending: Vec::new(),
            decoded: Vec::new(),
            read: 0,
            inner,
        }
    }

    pub(super) fn push(
        &mut self,
        data: &[u8],
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        for &b in data {
            self.read += 1;
            if b.is_ascii_whitespace() {
                // Line ends included: wrapping may come at any width, not only after full quads.
            } else if is_base64_byte(b) {
                self.pending.push(standard(b));
                // Padding ends a payload (the next line may hold another one).
                let full = self.pending.len().is_multiple_of(4);
                if full && (b == b'=' || self.pending.len() >= BATCH) {
                    self.flush(cx, sink)?;
                }
            } else {
                return Err(ShapeErrorKind::InvalidBase64 {
                    offset: self.read - 1,
                });
            }
        }
        Ok(())
    }

    fn flush(&mut self, cx: &mut Cx, sink: &mut Sink<'_>) -> Result<(), ShapeErrorKind> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.decoded.clear();
        ENGINE
            .decode_vec(&self.pending, &mut self.decoded)
            .map_err(|_| ShapeErrorKind::InvalidBase64 { offset: self.read })?;
        self.pending.clear();
        self.inner.push(&self.decoded, cx, sink)
    }

    pub(super) fn finish(
        &mut self,
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        self.flush(cx, sink)?;
        self.inner.finish(cx, sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_starts() {
        assert!(looks_like_payload(b"H4sIAAAAAAAA"));
        assert!(looks_like_payload(b"eyJtZXNzYWdlVHlwZSI6"));
        assert!(looks_like_payload(b"W3sibWVz"));
        assert!(!looks_like_payload(b"2025-04-"));
        assert!(!looks_like_payload(b"interfac"));
        // decode to `{]...` and `{}...`: not a payload (the second is a hex ECS id)
        assert!(!looks_like_payload(b"e10N4M4M"));
        assert!(!looks_like_payload(b"e3000000"));
        assert!(!looks_like_payload(b"H4sI"));
    }

    #[test]
    fn decode_ignores_whitespace_and_padding() {
        assert_eq!(decode(b"eyJh\nIjox\r\nfQ==").unwrap(), br#"{"a":1}"#);
        assert_eq!(decode(b"eyJhIjoxfQ").unwrap(), br#"{"a":1}"#);
        assert_eq!(decode(b"ey!h"), Err(2));
    }
}
