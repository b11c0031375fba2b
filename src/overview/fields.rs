//! What the summary reads of each record: the columns resolved once per format, the values as
//! the tallies key them ([`Addr`]), and the fixed-size [`Fields`] the page's decoding worker hands
//! to its summary worker ([`crate::overview::handoff`]).

use crate::model::fields::id;
use crate::model::format::Format;
use crate::model::value::ValueRef;
use std::net::IpAddr;

/// Where the fields the summary reads are, in one format.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Cols {
    pub(crate) src: Option<usize>,
    pub(crate) dst: Option<usize>,
    pub(crate) sport: Option<usize>,
    pub(crate) dport: Option<usize>,
    pub(crate) protocol: Option<usize>,
    pub(crate) packets: Option<usize>,
    pub(crate) bytes: Option<usize>,
    pub(crate) start: Option<usize>,
    pub(crate) end: Option<usize>,
    pub(crate) action: Option<usize>,
    pub(crate) status: Option<usize>,
}

impl Cols {
    pub(crate) fn of(f: &Format) -> Cols {
        let p = |k| f.column(k);
        Cols {
            // The packet's original addresses stand in when the format lacks srcaddr/dstaddr.
            src: p(id::SRCADDR).or_else(|| p(id::PKT_SRCADDR)),
            dst: p(id::DSTADDR).or_else(|| p(id::PKT_DSTADDR)),
            sport: p(id::SRCPORT),
            dport: p(id::DSTPORT),
            protocol: p(id::PROTOCOL),
            packets: p(id::PACKETS),
            bytes: p(id::BYTES),
            start: p(id::START),
            end: p(id::END),
            action: p(id::ACTION),
            status: p(id::LOG_STATUS),
        }
    }
}

/// The [`Cols`] of each format of a decoder, by the format's index, found on its first record.
#[derive(Clone, Debug, Default)]
pub(crate) struct ColsByFormat(Vec<Option<Cols>>);

impl ColsByFormat {
    #[inline]
    pub(crate) fn get(&mut self, format: usize, formats: &[Format]) -> Cols {
        if self.0.len() <= format {
            self.0.resize(format + 1, None);
        }
        *self.0[format].get_or_insert_with(|| Cols::of(&formats[format]))
    }
}

impl Cols {
    /// The columns up to the last one read.
    pub(crate) fn width(&self) -> usize {
        [
            self.src,
            self.dst,
            self.sport,
            self.dport,
            self.protocol,
            self.packets,
            self.bytes,
            self.start,
            self.end,
            self.action,
            self.status,
        ]
        .into_iter()
        .flatten()
        .max()
        .map_or(0, |c| c + 1)
    }
}

#[inline]
pub(crate) fn uint(v: &[ValueRef<'_>], at: Option<usize>) -> Option<u64> {
    match v.get(at?) {
        Some(ValueRef::UInt(n)) => Some(*n),
        _ => None,
    }
}

#[inline]
pub(crate) fn addr(v: &[ValueRef<'_>], at: Option<usize>) -> Option<Addr> {
    match v.get(at?) {
        Some(ValueRef::Addr(a)) => Some(Addr::from(*a)),
        _ => None,
    }
}

/// An address as a key of the tables: hashed and compared as integers (an `IpAddr` is hashed a
/// slice of bytes at a time and may be compared byte by byte, both slow in WebAssembly, and the
/// pass hashes four addresses per record). Ordered as `IpAddr` is: IPv4 first, then by value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Addr {
    pub(crate) v6: bool,
    pub(crate) hi: u64,
    pub(crate) lo: u64,
}

impl From<IpAddr> for Addr {
    #[inline]
    fn from(a: IpAddr) -> Addr {
        match a {
            IpAddr::V4(a) => Addr {
                v6: false,
                hi: 0,
                lo: u64::from(a.to_bits()),
            },
            IpAddr::V6(a) => {
                let bits = a.to_bits();
                Addr {
                    v6: true,
                    hi: (bits >> 64) as u64,
                    lo: bits as u64,
                }
            }
        }
    }
}

impl Addr {
    /// The address.
    pub fn ip(self) -> IpAddr {
        if self.v6 {
            IpAddr::V6(std::net::Ipv6Addr::from_bits(
                u128::from(self.hi) << 64 | u128::from(self.lo),
            ))
        } else {
            IpAddr::V4(std::net::Ipv4Addr::from_bits(self.lo as u32))
        }
    }
}

impl std::hash::Hash for Addr {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_u64(self.lo);
        if self.v6 {
            h.write_u64(self.hi ^ 0x9e37_79b9_7f4a_7c15);
        }
    }
}

#[inline]
pub(crate) fn text<'a>(v: &[ValueRef<'a>], at: Option<usize>) -> Option<&'a str> {
    match v.get(at?) {
        Some(ValueRef::Text(t)) => Some(t),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Action {
    Accept,
    Reject,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Status {
    Ok,
    NoData,
    SkipData,
    Other,
    Absent,
}

/// What the summary reads of one record (taken from its values once: the decoding worker hands
/// them to the summary worker, see [`FieldsOut`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub(crate) src: Option<Addr>,
    pub(crate) dst: Option<Addr>,
    pub(crate) bytes: Option<u64>,
    pub(crate) packets: Option<u64>,
    pub(crate) start: Option<u64>,
    pub(crate) end: Option<u64>,
    pub(crate) sport: Option<u16>,
    pub(crate) dport: Option<u16>,
    pub(crate) protocol: Option<u8>,
    pub(crate) action: Action,
    pub(crate) status: Status,
}

/// Bytes of a record's [`Fields`] in the layout [`FieldsOut`] writes and [`Overview::add_fields`]
/// reads (little-endian): source and destination addresses (16 bytes each, IPv4 in the low 32
/// bits), bytes, packets, start and end (8 each), source and destination ports (2 each), the
/// protocol (1), the action and log status (1), and which of them the record has (2).
pub const FIELD_BYTES: usize = 72;

pub(crate) const HAS_SRC: u16 = 1;
pub(crate) const SRC_V6: u16 = 1 << 1;
pub(crate) const HAS_DST: u16 = 1 << 2;
pub(crate) const DST_V6: u16 = 1 << 3;
pub(crate) const HAS_BYTES: u16 = 1 << 4;
pub(crate) const HAS_PACKETS: u16 = 1 << 5;
pub(crate) const HAS_START: u16 = 1 << 6;
pub(crate) const HAS_END: u16 = 1 << 7;
pub(crate) const HAS_SPORT: u16 = 1 << 8;
pub(crate) const HAS_DPORT: u16 = 1 << 9;
pub(crate) const HAS_PROTOCOL: u16 = 1 << 10;

impl Fields {
    /// Appends the record in the layout of [`FIELD_BYTES`].
    #[inline]
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        let mut has = 0u16;
        let mut b = [0u8; FIELD_BYTES];
        let mut put_addr = |at: usize, a: Option<Addr>, present: u16, v6: u16| {
            if let Some(a) = a {
                has |= present | if a.v6 { v6 } else { 0 };
                b[at..at + 8].copy_from_slice(&a.lo.to_le_bytes());
                b[at + 8..at + 16].copy_from_slice(&a.hi.to_le_bytes());
            }
        };
        put_addr(0, self.src, HAS_SRC, SRC_V6);
        put_addr(16, self.dst, HAS_DST, DST_V6);
        for (at, v, bit) in [
            (32, self.bytes, HAS_BYTES),
            (40, self.packets, HAS_PACKETS),
            (48, self.start, HAS_START),
            (56, self.end, HAS_END),
        ] {
            if let Some(v) = v {
                has |= bit;
                b[at..at + 8].copy_from_slice(&v.to_le_bytes());
            }
        }
        for (at, v, bit) in [(64, self.sport, HAS_SPORT), (66, self.dport, HAS_DPORT)] {
            if let Some(v) = v {
                has |= bit;
                b[at..at + 2].copy_from_slice(&v.to_le_bytes());
            }
        }
        if let Some(p) = self.protocol {
            has |= HAS_PROTOCOL;
            b[68] = p;
        }
        b[69] = self.action as u8 | (self.status as u8) << 2;
        b[70..72].copy_from_slice(&has.to_le_bytes());
        out.extend_from_slice(&b);
    }

    /// A record written by [`Fields::write`]; `None` when the bytes are not one.
    #[inline]
    pub(crate) fn read(b: &[u8; FIELD_BYTES]) -> Option<Fields> {
        let has = u16::from_le_bytes([b[70], b[71]]);
        let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap());
        let u16_at = |at: usize| u16::from_le_bytes([b[at], b[at + 1]]);
        let addr_at = |at: usize, present: u16, v6: u16| {
            (has & present != 0).then(|| Addr {
                v6: has & v6 != 0,
                lo: u64_at(at),
                hi: u64_at(at + 8),
            })
        };
        fn opt<T>(has: u16, bit: u16, v: T) -> Option<T> {
            (has & bit != 0).then_some(v)
        }
        Some(Fields {
            src: addr_at(0, HAS_SRC, SRC_V6),
            dst: addr_at(16, HAS_DST, DST_V6),
            bytes: opt(has, HAS_BYTES, u64_at(32)),
            packets: opt(has, HAS_PACKETS, u64_at(40)),
            start: opt(has, HAS_START, u64_at(48)),
            end: opt(has, HAS_END, u64_at(56)),
            sport: opt(has, HAS_SPORT, u16_at(64)),
            dport: opt(has, HAS_DPORT, u16_at(66)),
            protocol: opt(has, HAS_PROTOCOL, b[68]),
            action: match b[69] & 3 {
                0 => Action::Accept,
                1 => Action::Reject,
                2 => Action::None,
                _ => return None,
            },
            status: match b[69] >> 2 {
                0 => Status::Ok,
                1 => Status::NoData,
                2 => Status::SkipData,
                3 => Status::Other,
                4 => Status::Absent,
                _ => return None,
            },
        })
    }

    #[inline]
    pub(crate) fn of(c: &Cols, v: &[ValueRef<'_>]) -> Fields {
        let port16 = |at| uint(v, at).and_then(|p| u16::try_from(p).ok());
        Fields {
            src: addr(v, c.src),
            dst: addr(v, c.dst),
            bytes: uint(v, c.bytes),
            packets: uint(v, c.packets),
            start: uint(v, c.start),
            end: uint(v, c.end),
            sport: port16(c.sport),
            dport: port16(c.dport),
            protocol: uint(v, c.protocol).and_then(|p| u8::try_from(p).ok()),
            action: match text(v, c.action) {
                Some("ACCEPT") => Action::Accept,
                Some("REJECT") => Action::Reject,
                _ => Action::None,
            },
            status: match text(v, c.status) {
                Some("OK") => Status::Ok,
                Some("NODATA") => Status::NoData,
                Some("SKIPDATA") => Status::SkipData,
                Some(_) => Status::Other,
                None => Status::Absent,
            },
        }
    }
}
