//! Streaming gzip (RFC 1952), any number of concatenated members, over `flate2`'s raw inflate.
//! The header and trailer are read here so that members can be counted, each member's CRC and
//! size checked, and a truncated or damaged file reported with how far it got. Output goes to the
//! next stage in 256 KiB pieces; the whole decompressed text is never held.
//!
//! A damaged member (a bad checksum, a deflate stream that breaks) does not stop the input: what
//! it gave before the damage is kept, its cut last line ends there, and reading goes on with the
//! next member (after a break in the deflate data, at the next `1f 8b 08` found).

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
    /// After damage inside a member: looking for the next member's magic (`1f 8b 08`).
    Resync,
}

/// The start of every gzip member with deflate data.
const MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

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
    /// Go on after a damaged member (the input's own gzip); `false` for an embedded payload,
    /// which is refused whole.
    resume: bool,
    /// Bytes of [`MAGIC`] matched so far while resynchronising.
    matched: usize,
    /// The member being read was found by resynchronising (a false match is dropped quietly).
    resynced: bool,
    /// Decompressed bytes of the member being read.
    member_out: u64,
    /// The last byte handed to the next stage.
    last: Option<u8>,
    /// The last compressed bytes of the member being read (at most [`WINDOW`] twice): after
    /// damage, the next member may already be among them (a member cut short is followed at once
    /// by the next one, which the inflater takes for more of the cut one until it breaks).
    window: Vec<u8>,
    /// Replays of the window in progress (bounded, so that damage within damage ends).
    replaying: u8,
}

/// Compressed bytes kept to look back into after damage.
const WINDOW: usize = 1 << 20;

/// What stops a member: damage (read on from the next member) or an error of the stage inside.
enum Stop {
    Damage(String),
    Inner(ShapeErrorKind),
}

impl From<ShapeErrorKind> for Stop {
    fn from(e: ShapeErrorKind) -> Stop {
        Stop::Inner(e)
    }
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
            resume: false,
            matched: 0,
            resynced: false,
            member_out: 0,
            last: None,
            window: Vec::new(),
            replaying: 0,
        }
    }

    /// A gunzip that reads on after a damaged member, reporting it through `cx`.
    pub(super) fn resuming(inner: Stage) -> Gunzip {
        Gunzip {
            resume: true,
            ..Gunzip::new(inner)
        }
    }

    /// A damaged member: ends the line it cut, records the damage and looks for the next member
    /// (`resync`) or reads on at the next header. An embedded payload fails instead.
    /// Keeps the compressed bytes just read, for [`Gunzip::damaged`] to look back into.
    fn remember(&mut self, consumed: &[u8]) {
        if !self.resume {
            return;
        }
        self.window.extend_from_slice(consumed);
        if self.window.len() > 2 * WINDOW {
            let cut = self.window.len() - WINDOW;
            self.window.drain(..cut);
        }
    }

    /// Damage in a member: returns the bytes to read again from the next member's header when it
    /// lies in what was already taken for this member; otherwise reading goes on by looking for
    /// the next header (`resync`, after broken deflate data) or at the next byte (after a
    /// checksum that does not match).
    fn damaged(
        &mut self,
        detail: String,
        resync: bool,
        cx: &mut Cx,
        sink: &mut Sink<'_>,
    ) -> Result<Option<Vec<u8>>, ShapeErrorKind> {
        if !self.resume {
            return Err(self.corrupt(detail));
        }
        let false_start = self.resynced && self.member_out == 0;
        if false_start {
            // A `1f 8b 08` inside damaged data, not a member: not counted, not reported.
            self.members -= 1;
            cx.report.gzip_members -= 1;
        } else {
            if self.last.is_some_and(|b| b != b'\n' && b != b'\r') {
                // The cut line ends here (it is then read, most likely as a broken record).
                self.inner.push(b"\n", cx, sink)?;
                self.last = Some(b'\n');
            }
            cx.damage.push(ShapeErrorKind::CorruptGzip {
                member: self.members.max(1),
                read: self.read,
                detail,
                resumed: true,
            });
        }
        self.head.clear();
        self.crc.reset();
        self.inflate.reset(false);
        self.member_out = 0;
        self.matched = 0;
        self.state = if resync { State::Resync } else { State::Header };
        let mut window = std::mem::take(&mut self.window);
        if self.replaying < 8 {
            // The window starts inside the member's deflate data, never at its own header.
            if let Some(at) = (1..window.len()).find(|&i| plausible_header(&window[i..])) {
                let replay = window.split_off(at);
                self.read -= replay.len() as u64;
                self.resynced = true;
                self.state = State::Header;
                return Ok(Some(replay));
            }
        }
        window.clear();
        self.window = window;
        Ok(None)
    }

    pub(super) fn into_inner(self) -> Stage {
        self.inner
    }

    fn corrupt(&self, detail: impl Into<String>) -> ShapeErrorKind {
        ShapeErrorKind::CorruptGzip {
            member: self.members.max(1),
            read: self.read,
            detail: detail.into(),
            resumed: false,
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
                State::Resync => {
                    let mut found = None;
                    for (i, &b) in data.iter().enumerate() {
                        if b == MAGIC[self.matched] {
                            self.matched += 1;
                            if self.matched == MAGIC.len() {
                                found = Some(i + 1);
                                break;
                            }
                        } else {
                            self.matched = usize::from(b == MAGIC[0]);
                        }
                    }
                    let used = found.unwrap_or(data.len());
                    self.read += used as u64;
                    data = &data[used..];
                    if found.is_some() {
                        // The magic is the start of the header; the rest follows in `data`.
                        self.read -= MAGIC.len() as u64;
                        self.head.extend_from_slice(&MAGIC);
                        self.matched = 0;
                        self.resynced = true;
                        self.state = State::Header;
                    }
                }
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
                            self.member_out = 0;
                            self.state = State::Body;
                        }
                        Ok(None) if self.head.len() <= MAX_HEADER => data = &data[take..],
                        Ok(None) if self.resume && self.members > 0 => {
                            // Not a header after all: look further.
                            self.head.clear();
                            self.matched = 0;
                            self.state = State::Resync;
                            data = &data[take..];
                        }
                        Ok(None) => return Err(self.corrupt("gzip header too long")),
                        Err(_) if self.resynced => {
                            self.head.clear();
                            self.matched = 0;
                            self.state = State::Resync;
                            data = &data[take..];
                        }
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
                State::Body => {
                    let result = self.inflate_some(data, cx, sink);
                    let rest = match &result {
                        Ok(rest) | Err((_, rest)) => *rest,
                    };
                    self.remember(&data[..data.len() - rest.len()]);
                    match result {
                        Ok(rest) => data = rest,
                        Err((Stop::Damage(detail), rest)) => {
                            data = rest;
                            if let Some(replay) = self.damaged(detail, true, cx, sink)? {
                                self.replaying += 1;
                                let replayed = self.push(&replay, cx, sink);
                                self.replaying -= 1;
                                replayed?;
                            }
                        }
                        Err((Stop::Inner(e), _)) => return Err(e),
                    }
                }
                State::Trailer => {
                    let take = data.len().min(8 - self.head.len());
                    self.head.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    self.read += take as u64;
                    if self.head.len() == 8 {
                        let crc = u32::from_le_bytes(self.head[..4].try_into().expect("4 bytes"));
                        let size = u32::from_le_bytes(self.head[4..].try_into().expect("4 bytes"));
                        let trailer = std::mem::take(&mut self.head);
                        self.resynced = false;
                        if crc != self.crc.sum() || size != self.crc.amount() {
                            // The inflater may have read a cut member on into the next ones.
                            self.remember(&trailer);
                            let detail = "checksum or length mismatch".into();
                            if let Some(replay) = self.damaged(detail, false, cx, sink)? {
                                self.replaying += 1;
                                let replayed = self.push(&replay, cx, sink);
                                self.replaying -= 1;
                                replayed?;
                            }
                            continue;
                        }
                        self.window.clear();
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
    ) -> Result<&'d [u8], (Stop, &'d [u8])> {
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
                self.member_out += made as u64;
                self.last = Some(self.out[made - 1]);
                self.crc.update(&self.out[..made]);
                if let Err(e) = self.inner.push(&self.out[..made], cx, sink) {
                    return Err((Stop::Inner(e), data));
                }
            }
            let status = match result {
                Ok(s) => s,
                Err(e) => return Err((Stop::Damage(e.to_string()), data)),
            };
            if status == Status::StreamEnd {
                self.state = State::Trailer;
                return Ok(data);
            }
            if made < self.out.len() && (data.is_empty() || used == 0) {
                if used == 0 && made == 0 && !data.is_empty() {
                    return Err((Stop::Damage("the inflater made no progress".into()), data));
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
            // Damage, then nothing more that reads as a member.
            State::Resync => {}
            State::Header | State::Body | State::Trailer
                if self.resynced && self.member_out == 0 => {}
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

/// True when `h` starts like a gzip member's header: the magic, deflate, no reserved flag, and
/// (when there) a known XFL and OS byte.
fn plausible_header(h: &[u8]) -> bool {
    h.starts_with(&MAGIC)
        && h.get(3).is_none_or(|f| f & 0xE0 == 0)
        && h.get(8).is_none_or(|x| matches!(x, 0 | 2 | 4))
        && h.get(9).is_none_or(|os| *os <= 13 || *os == 255)
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
