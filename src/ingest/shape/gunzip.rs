//! Streaming gzip (RFC 1952), any number of concatenated members, over `flate2`'s raw inflate.
//! The header and trailer are read here so that members can be counted, each member's CRC and
//! size checked, and a truncated or damaged file reported with how far it got. Output goes to the
//! next stage in 256 KiB pieces; the whole decompressed text is never held.

use super::{Cx, Note, ShapeErrorKind, Sink, Stage};
use flate2::{Crc, Decompress, FlushDecompress, Status};

const OUT_CHUNK: usize = 256 << 10;

/// A gzip header longer than this (a huge file name or extra field) is taken as damage.
const MAX_HEADER: usize = 1 << 20;

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before a member (or after the last one): gathering its header in `head`.
    Header,
    Body,
    /// Gathering the 8-byte trailer in `head`.
    Trailer,
    /// Bytes after the last member that are not gzip: counted and ignored.
    Trailing,
}

pub(super) struct Gunzip {
    state: State,
    head: Vec<u8>,
    inflate: Decompress,
    crc: Crc,
    out: Box<[u8]>,
    /// Compressed bytes consumed.
    read: u64,
    /// Decompressed bytes produced.
    produced: u64,
    members: u32,
    trailing: u64,
    inner: Stage,
}

impl Gunzip {
    pub(super) fn new(inner: Stage) -> Gunzip {
        Gunzip {
            state: State::Header,
            head: Vec::new(),
            inflate: Decompress::new(false),
            crc: Crc::new(),
            out: vec![0; OUT_CHUNK].into_boxed_slice(),
            read: 0,
            produced: 0,
            members: 0,
            trailing: 0,
            inner,
        }
    }

    pub(super) fn into_inner(self) -> Stage {
        self.inner
    }

    fn corrupt(&self, detail: impl Into<String>) -> ShapeErrorKind {
        ShapeErrorKind::CorruptGzip {
            member: self.members.max(1),
            read: self.read,
            detail: detail.into(),
        }
    }

    pub(super) fn push(
        &mut self,
        mut data: &[u8],
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        while !data.is_empty() {
            match self.state {
                State::Header => {
                    if self.head.is_empty() && self.members > 0 && data[0] != 0x1f {
                        self.state = State::Trailing;
                        continue;
                    }
                    let before = self.head.len();
                    let take = data.len().min(MAX_HEADER + 1 - before);
                    self.head.extend_from_slice(&data[..take]);
                    match header_len(&self.head) {
                        Ok(Some(len)) => {
                            data = &data[len - before..];
                            self.read += len as u64;
                            self.head.clear();
                            self.members += 1;
                            cx.report.gzip_members += 1;
                            self.state = State::Body;
                        }
                        Ok(None) if self.head.len() <= MAX_HEADER => data = &data[take..],
                        Ok(None) => return Err(self.corrupt("gzip header too long")),
                        Err(_) if self.members > 0 => {
                            // Not another member: what follows the last one is ignored (`data`
                            // is counted in the trailing state).
                            self.trailing += before as u64;
                            self.head.clear();
                            self.state = State::Trailing;
                        }
                        Err(e) => return Err(self.corrupt(e)),
                    }
                }
                State::Body => data = self.inflate_some(data, cx, sink)?,
                State::Trailer => {
                    let take = data.len().min(8 - self.head.len());
                    self.head.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    self.read += take as u64;
                    if self.head.len() == 8 {
                        let crc = u32::from_le_bytes(self.head[..4].try_into().expect("4 bytes"));
                        let size = u32::from_le_bytes(self.head[4..].try_into().expect("4 bytes"));
                        if crc != self.crc.sum() || size != self.crc.amount() {
                            return Err(self.corrupt("checksum or length mismatch"));
                        }
                        self.head.clear();
                        self.crc.reset();
                        self.inflate.reset(false);
                        self.state = State::Header;
                    }
                }
                State::Trailing => {
                    self.trailing += data.len() as u64;
                    data = &[];
                }
            }
        }
        Ok(())
    }

    /// Inflates from `data` until it is used up or the member ends; returns what is left.
    fn inflate_some<'d>(
        &mut self,
        mut data: &'d [u8],
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<&'d [u8], ShapeErrorKind> {
        loop {
            let (in_before, out_before) = (self.inflate.total_in(), self.inflate.total_out());
            let result = self
                .inflate
                .decompress(data, &mut self.out, FlushDecompress::None);
            // The counts move even on an error: what was inflated before the damage is delivered.
            let used = (self.inflate.total_in() - in_before) as usize;
            let made = (self.inflate.total_out() - out_before) as usize;
            data = &data[used..];
            self.read += used as u64;
            if made > 0 {
                self.produced += made as u64;
                self.crc.update(&self.out[..made]);
                self.inner.push(&self.out[..made], cx, sink)?;
            }
            let status = result.map_err(|e| self.corrupt(e.to_string()))?;
            if status == Status::StreamEnd {
                self.state = State::Trailer;
                return Ok(data);
            }
            if made < self.out.len() && (data.is_empty() || used == 0) {
                if used == 0 && made == 0 && !data.is_empty() {
                    return Err(self.corrupt("the inflater made no progress"));
                }
                return Ok(data);
            }
        }
    }

    pub(super) fn finish(
        &mut self,
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<(), ShapeErrorKind> {
        match self.state {
            State::Header if self.head.is_empty() && self.members > 0 => {}
            State::Header if self.members > 0 => {
                self.trailing += self.head.len() as u64;
            }
            State::Trailing => {}
            State::Header | State::Body | State::Trailer => {
                return Err(ShapeErrorKind::TruncatedGzip {
                    member: self.members.max(1),
                    read: self.read,
                    decompressed: self.produced,
                })
            }
        }
        if self.trailing > 0 {
            cx.note(Note::TrailingBytesAfterGzip {
                bytes: self.trailing,
            });
        }
        self.inner.finish(cx, sink)
    }
}

/// The length of the gzip header at the start of `h`: `Ok(None)` if more bytes are needed.
fn header_len(h: &[u8]) -> Result<Option<usize>, &'static str> {
    let magic = [0x1f, 0x8b];
    if h.len() < 2 {
        return if magic.starts_with(h) {
            Ok(None)
        } else {
            Err("not gzip")
        };
    }
    if h[..2] != magic {
        return Err("not gzip");
    }
    if h.len() < 10 {
        return Ok(None);
    }
    if h[2] != 8 {
        return Err("unknown gzip compression method");
    }
    let flags = h[3];
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let Some(xlen) = h.get(at..at + 2) else {
            return Ok(None);
        };
        at += 2 + u16::from_le_bytes([xlen[0], xlen[1]]) as usize;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            match h
                .get(at..)
                .and_then(|rest| rest.iter().position(|&b| b == 0))
            {
                Some(nul) => at += nul + 1,
                None => return Ok(None),
            }
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    Ok((h.len() >= at).then_some(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        let plain = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        assert_eq!(header_len(&plain[..5]), Ok(None));
        assert_eq!(header_len(&plain), Ok(Some(10)));
        let mut named = plain.to_vec();
        named[3] = FNAME | FHCRC;
        named.extend_from_slice(b"flow.log\0");
        assert_eq!(header_len(&named), Ok(None));
        named.extend_from_slice(&[1, 2, 9]);
        assert_eq!(header_len(&named), Ok(Some(10 + 9 + 2)));
        let mut extra = plain.to_vec();
        extra[3] = FEXTRA;
        extra.extend_from_slice(&[3, 0, 7, 7]);
        assert_eq!(header_len(&extra), Ok(None));
        extra.push(7);
        assert_eq!(header_len(&extra), Ok(Some(15)));
        assert!(header_len(b"PK").is_err());
        assert!(header_len(&[0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 0]).is_err());
    }
}
