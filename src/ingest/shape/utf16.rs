//! A UTF-16 text (after its byte order mark) transcoded to UTF-8 as it streams, for the stage
//! inside (a new sniff: the text may be lines, CSV, JSON...). Chunks may split a code unit or a
//! surrogate pair; what is not UTF-16 becomes U+FFFD where it stood, and is noted.

use super::{Cx, Note, ShapeErrorKind, Sink, Stage};
use crate::util::utf16::Utf16Decoder;

/// UTF-16 bytes transcoded in one go (the UTF-8 made of them is at most 1.5 times as long).
const PIECE: usize = 64 << 10;

pub(super) struct Utf16Stage {
    decoder: Utf16Decoder,
    text: String,
    inner: Stage,
}

impl Utf16Stage {
    pub(super) fn new(little_endian: bool, inner: Stage) -> Utf16Stage {
        Utf16Stage {
            decoder: Utf16Decoder::new(little_endian),
            text: String::new(),
            inner,
        }
    }

    pub(super) fn push(
        &mut self,
        data: &[u8],
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        for piece in data.chunks(PIECE) {
            self.text.clear();
            self.decoder.push(piece, &mut self.text);
            self.inner.push(self.text.as_bytes(), cx, sink)?;
        }
        Ok(())
    }

    pub(super) fn finish(
        &mut self,
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        self.text.clear();
        self.decoder.finish(&mut self.text);
        self.inner.push(self.text.as_bytes(), cx, sink)?;
        self.text = String::new();
        let replaced = self.decoder.replaced();
        if replaced > 0 {
            cx.note(Note::InvalidUtf16 { replaced });
        }
        self.inner.finish(cx, sink)
    }
}
