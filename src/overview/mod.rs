//! The summary over many records: totals, top talkers, rejected sources, services (by the
//! server's port), protocols, and records / bytes / rejects over time, computed in one pass over
//! the packed store ([`crate::store::Store::for_each_record_ref`]: borrowed values, no allocation
//! per record).
//!
//! **Services, not destination ports.** A reply's destination port is the client's ephemeral
//! port, so a table of destination ports fills with meaningless ports and splits each service
//! between its requests and its replies. Each record is counted instead at its server's port
//! ([`crate::classify::roles`]: a service port against an ephemeral one), as a request (to it) or
//! a reply (from it); when the two ports cannot be told apart (two ephemeral ports, 123 to 123) at
//! its destination port, counted there as of unknown roles.
//!
//! **Bounded memory.** Whatever the input, the pass holds at most `2 ×` [`MAX_KEYS`] keys per
//! table (the addresses table [`ADDRESS_KEYS_FACTOR`] times more) ([`topk`]: the heaviest keys survive; figures are exact while a table never overflowed,
//! and each row says how much it may lack otherwise), at most [`MAX_DISTINCT`] hashes per
//! distinct count ([`distinct`]: exact up to it, estimated beyond), and at most
//! [`timeline::MAX_FINE`] time buckets ([`timeline`]).
//!
//! **Explained only where shown.** Addresses are classified (scope, AWS service and region,
//! another cloud, the interface's own address) only for the rows of the report, never per record.
//!
//! Records that lack a field (custom formats without bytes, NODATA and SKIPDATA records) count
//! wherever they can: a record without bytes still counts as a record of its pair and port.

pub mod distinct;
pub mod report;
mod text;
pub mod timeline;
pub mod topk;

pub use report::OverviewReport;
pub use text::write_text;

use crate::classify::port::Transport;
use crate::classify::roles;
use crate::explain::input::InterfaceTallies;
use crate::explain::{Context, InputFacts};
use crate::format::Format;
use crate::fxhash::FxBuild;
use crate::lang::Lang;
use crate::parse::{LineError, Record, RecordView};
use crate::store::{Decoded, Report, Sink, Store, Stream};
use crate::value::{Value, ValueRef};
use distinct::{hash64, Distinct};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::IpAddr;
use timeline::{seconds, Bucket, Timeline};
use topk::TopK;

/// Keys each top table keeps at least (and holds at most twice). Small enough for the tables to
/// stay in the processor's caches, which the pass's speed depends on.
pub const MAX_KEYS: usize = 2_048;
/// The addresses table keeps this many times more: inputs have far fewer distinct addresses
/// than pairs or ports, and an address table that never drops keys is exact and cheaper.
pub const ADDRESS_KEYS_FACTOR: usize = 4;
/// Distinct values counted exactly; beyond, estimated.
pub const MAX_DISTINCT: usize = 65_536;
/// Destination ports remembered per rejected source; more are counted together.
pub const MAX_TRIED: usize = 8;
/// Interfaces whose own address is looked up (per input).
const MAX_INTERFACES: usize = 65_536;
/// Rows of each table when the caller does not say.
pub const DEFAULT_TOP: usize = 10;

/// Where the fields the summary reads are, in one format.
#[derive(Clone, Copy, Debug, Default)]
struct Cols {
    src: Option<usize>,
    dst: Option<usize>,
    sport: Option<usize>,
    dport: Option<usize>,
    protocol: Option<usize>,
    packets: Option<usize>,
    bytes: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    action: Option<usize>,
    status: Option<usize>,
    interface: Option<usize>,
}

impl Cols {
    fn of(f: &Format) -> Cols {
        let p = |k: &str| f.position(k);
        Cols {
            // The packet's original addresses stand in when the format lacks srcaddr/dstaddr.
            src: p("srcaddr").or_else(|| p("pkt-srcaddr")),
            dst: p("dstaddr").or_else(|| p("pkt-dstaddr")),
            sport: p("srcport"),
            dport: p("dstport"),
            protocol: p("protocol"),
            packets: p("packets"),
            bytes: p("bytes"),
            start: p("start"),
            end: p("end"),
            action: p("action"),
            status: p("log-status"),
            interface: p("interface-id"),
        }
    }
}

/// The [`Cols`] of each format of a decoder, by the format's index, found on its first record.
#[derive(Clone, Debug, Default)]
struct ColsByFormat(Vec<Option<Cols>>);

impl ColsByFormat {
    #[inline]
    fn get(&mut self, format: usize, formats: &[Format]) -> Cols {
        if self.0.len() <= format {
            self.0.resize(format + 1, None);
        }
        *self.0[format].get_or_insert_with(|| Cols::of(&formats[format]))
    }
}

impl Cols {
    /// The columns up to the last one read.
    fn width(&self) -> usize {
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
            self.interface,
        ]
        .into_iter()
        .flatten()
        .max()
        .map_or(0, |c| c + 1)
    }
}

#[inline]
fn uint(v: &[ValueRef<'_>], at: Option<usize>) -> Option<u64> {
    match v.get(at?) {
        Some(ValueRef::UInt(n)) => Some(*n),
        _ => None,
    }
}

#[inline]
fn addr(v: &[ValueRef<'_>], at: Option<usize>) -> Option<Addr> {
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
    v6: bool,
    hi: u64,
    lo: u64,
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
fn text<'a>(v: &[ValueRef<'a>], at: Option<usize>) -> Option<&'a str> {
    match v.get(at?) {
        Some(ValueRef::Text(t)) => Some(t),
        _ => None,
    }
}

/// Records and bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Sum {
    records: u64,
    bytes: u64,
}

impl Sum {
    #[inline]
    fn add(&mut self, bytes: u64) {
        self.records += 1;
        self.bytes = self.bytes.saturating_add(bytes);
    }
}

/// The figures of the whole input.
#[derive(Clone, Copy, Debug, Default)]
struct Counted {
    records: u64,
    bytes: u64,
    packets: u64,
    with_bytes: u64,
    with_packets: u64,
    accepted: Sum,
    rejected: Sum,
    no_action: u64,
    ok: u64,
    nodata: u64,
    skipdata: u64,
    other_status: u64,
    no_status: u64,
    first_start: Option<u64>,
    last_end: Option<u64>,
    without_start: u64,
    /// Records with both addresses (the pairs' total).
    paired: Sum,
    paired_packets: u64,
    /// Records with a port (the services' total).
    ported: Sum,
    /// Of those, requests, replies, and records whose roles could not be told.
    requests: u64,
    replies: u64,
    unknown_roles: u64,
}

/// One address pair's figures.
#[derive(Clone, Copy, Debug, Default)]
struct Flow {
    records: u64,
    packets: u64,
    bytes: u64,
}

/// One address's figures.
#[derive(Clone, Copy, Debug, Default)]
struct Talker {
    records: u64,
    sent: u64,
    received: u64,
}

/// A port a rejected source tried: the destination port of its request (or of a record whose
/// roles are unknown), or the server's port its rejected reply came from (8 bytes: the table
/// stays small).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tried {
    port: u16,
    protocol: u8,
    /// Bit 0: the record had a protocol; bit 1: a port; bit 2: it was a reply from that port.
    has: u8,
    records: u32,
}

impl Tried {
    fn protocol(&self) -> Option<u8> {
        (self.has & 1 != 0).then_some(self.protocol)
    }
    fn port(&self) -> Option<u16> {
        (self.has & 2 != 0).then_some(self.port)
    }
    fn is_reply(&self) -> bool {
        self.has & 4 != 0
    }
}

/// One rejected source's figures.
#[derive(Clone, Copy, Debug, Default)]
struct Rejected {
    records: u64,
    bytes: u64,
    tried: [Tried; MAX_TRIED],
    n_tried: usize,
    /// Records to ports beyond the first [`MAX_TRIED`].
    other: u64,
}

impl Rejected {
    #[inline]
    fn add(&mut self, bytes: u64, protocol: Option<u8>, port: Option<(u16, Way)>) {
        self.records += 1;
        self.bytes = self.bytes.saturating_add(bytes);
        let this = Tried {
            port: port.map_or(0, |(p, _)| p),
            protocol: protocol.unwrap_or(0),
            has: u8::from(protocol.is_some())
                | u8::from(port.is_some()) << 1
                | u8::from(port.is_some_and(|(_, w)| w == Way::Reply)) << 2,
            records: 0,
        };
        let tried = &mut self.tried[..self.n_tried];
        let same =
            |t: &&mut Tried| (t.port, t.protocol, t.has) == (this.port, this.protocol, this.has);
        if let Some(t) = tried.iter_mut().find(same) {
            t.records = t.records.saturating_add(1);
        } else if self.n_tried < MAX_TRIED {
            self.tried[self.n_tried] = Tried { records: 1, ..this };
            self.n_tried += 1;
        } else {
            self.other += 1;
        }
    }
}

/// One protocol's figures.
#[derive(Clone, Copy, Debug, Default)]
struct Service {
    all: Sum,
    accepted: u64,
    rejected: u64,
}

impl Service {
    #[inline]
    fn add(&mut self, bytes: u64, action: Action) {
        self.all.add(bytes);
        match action {
            Action::Accept => self.accepted += 1,
            Action::Reject => self.rejected += 1,
            Action::None => {}
        }
    }
}

/// Which way a record went between client and server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Way {
    /// Client to server: counted at its destination port.
    Request,
    /// Server to client: counted at its source port.
    Reply,
    /// The ports do not tell: counted at its destination port.
    Unknown,
}

/// One service's figures: a (protocol, server port).
#[derive(Clone, Copy, Debug, Default)]
struct Served {
    all: Service,
    requests: u64,
    replies: u64,
    /// Records whose roles could not be told, counted at their destination port.
    unknown: u64,
}

impl Served {
    #[inline]
    fn add(&mut self, bytes: u64, action: Action, way: Way) {
        self.all.add(bytes, action);
        match way {
            Way::Request => self.requests += 1,
            Way::Reply => self.replies += 1,
            Way::Unknown => self.unknown += 1,
        }
    }
}

/// [`roles::rank`] of every port of every transport, found once per port met: the pass asks for
/// two ranks per record, and a rank costs two table searches.
struct Ranks {
    /// Ports 1024-65535 of TCP, UDP, SCTP, DCCP; [`Ranks::UNKNOWN`] until asked.
    table: Box<[u8]>,
}

impl Ranks {
    const UNKNOWN: u8 = u8::MAX;
    const SPAN: usize = 65_536 - 1024;

    fn new() -> Ranks {
        Ranks {
            table: vec![Ranks::UNKNOWN; 4 * Ranks::SPAN].into_boxed_slice(),
        }
    }

    #[inline]
    fn rank(&mut self, port: u16, t: Transport) -> u8 {
        if port < 1024 {
            return 3;
        }
        let i = match t {
            Transport::Tcp => 0,
            Transport::Udp => 1,
            Transport::Sctp => 2,
            Transport::Dccp => 3,
        } * Ranks::SPAN
            + usize::from(port - 1024);
        let r = self.table[i];
        if r != Ranks::UNKNOWN {
            return r;
        }
        let r = roles::rank(port, t);
        self.table[i] = r;
        r
    }

    /// The server's port of a record from `sport` to `dport`, and which way it went; `None`
    /// without a destination port.
    #[inline]
    fn server(
        &mut self,
        sport: Option<u16>,
        dport: Option<u16>,
        t: Transport,
    ) -> Option<(u16, Way)> {
        let d = dport?;
        let Some(s) = sport else {
            return Some((d, Way::Unknown));
        };
        Some(match roles::roles_ranked(s, d, |p| self.rank(p, t)) {
            Some(r) if r.is_request() => (d, Way::Request),
            Some(_) => (s, Way::Reply),
            None => (d, Way::Unknown),
        })
    }
}

impl std::fmt::Debug for Ranks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let known = self.table.iter().filter(|r| **r != Ranks::UNKNOWN).count();
        write!(f, "Ranks({known} ports ranked)")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Action {
    Accept,
    Reject,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Status {
    Ok,
    NoData,
    SkipData,
    Other,
    Absent,
}

/// What the summary reads of one record (taken from its values once: the decoding worker hands
/// them to the summary worker, see [`FieldsOut`]).
#[derive(Clone, Copy, Debug)]
struct Fields {
    src: Option<Addr>,
    dst: Option<Addr>,
    bytes: Option<u64>,
    packets: Option<u64>,
    start: Option<u64>,
    end: Option<u64>,
    sport: Option<u16>,
    dport: Option<u16>,
    protocol: Option<u8>,
    action: Action,
    status: Status,
}

/// Bytes of a record's [`Fields`] in the layout [`FieldsOut`] writes and [`Overview::add_fields`]
/// reads (little-endian): source and destination addresses (16 bytes each, IPv4 in the low 32
/// bits), bytes, packets, start and end (8 each), source and destination ports (2 each), the
/// protocol (1), the action and log status (1), and which of them the record has (2).
pub const FIELD_BYTES: usize = 72;

const HAS_SRC: u16 = 1;
const SRC_V6: u16 = 1 << 1;
const HAS_DST: u16 = 1 << 2;
const DST_V6: u16 = 1 << 3;
const HAS_BYTES: u16 = 1 << 4;
const HAS_PACKETS: u16 = 1 << 5;
const HAS_START: u16 = 1 << 6;
const HAS_END: u16 = 1 << 7;
const HAS_SPORT: u16 = 1 << 8;
const HAS_DPORT: u16 = 1 << 9;
const HAS_PROTOCOL: u16 = 1 << 10;

impl Fields {
    /// Appends the record in the layout of [`FIELD_BYTES`].
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
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
    fn read(b: &[u8; FIELD_BYTES]) -> Option<Fields> {
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
    fn of(c: &Cols, v: &[ValueRef<'_>]) -> Fields {
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

/// The summary being built: feed it decoded inputs with [`Overview::add_decoded`], then ask for
/// the [`OverviewReport`].
#[derive(Debug)]
pub struct Overview {
    n: Counted,
    max_keys: usize,
    lines: u64,
    errors: u64,
    pairs: TopK<(Addr, Addr), Flow>,
    addresses: TopK<Addr, Talker>,
    rejected: TopK<Addr, Rejected>,
    services: TopK<(u8, u16), Served>,
    ranks: Ranks,
    protocols: Vec<Service>,
    timeline: Timeline,
    interfaces: Distinct,
    /// The distinct interfaces as the decoding side counted them (see [`Told`]).
    interfaces_told: Option<(u64, bool)>,
    /// Each known interface's own address → the interface.
    own: HashMap<IpAddr, Box<str>, FxBuild>,
}

impl Default for Overview {
    fn default() -> Self {
        Overview::new()
    }
}

impl Overview {
    /// An empty summary.
    pub fn new() -> Overview {
        Overview::with_limit(MAX_KEYS)
    }

    /// An empty summary whose tables keep at least `max_keys` keys (for tests of the bound).
    pub fn with_limit(max_keys: usize) -> Overview {
        Overview {
            n: Counted::default(),
            max_keys,
            lines: 0,
            errors: 0,
            pairs: TopK::new(max_keys),
            addresses: TopK::counting_distinct(max_keys * ADDRESS_KEYS_FACTOR),
            rejected: TopK::new(max_keys),
            services: TopK::new(max_keys),
            ranks: Ranks::new(),
            protocols: vec![Service::default(); 256],
            timeline: Timeline::default(),
            interfaces: Distinct::new(MAX_DISTINCT),
            interfaces_told: None,
            own: HashMap::default(),
        }
    }

    /// Adds a decoded input: its line counts, one pass over its records, and its interfaces'
    /// own addresses.
    pub fn add_decoded(&mut self, d: &Decoded) {
        let c = d.counts();
        self.lines += c.lines;
        self.errors += c.errors;
        self.add_store(d.store(), d.facts());
    }

    /// One pass over the records of `store`; `facts` tells each interface's own address.
    pub fn add_store(&mut self, store: &Store, facts: &InputFacts) {
        // The columns of the formats met, found once per format.
        let mut formats: Vec<(*const Format, Cols)> = Vec::new();
        // The interface ids met, by where their text is: the store interns texts, so one id is
        // one `&str` (a text stored inline, past the interning bound, may be met again at
        // another place: it is then looked up twice, and counted once, by its hash).
        let mut seen: HashMap<(usize, usize), &str, FxBuild> = HashMap::default();
        // Records of one interface tend to come together: the previous record's id is skipped.
        let mut last_id: Option<&str> = None;
        // Only the columns up to the last one the summary reads are decoded.
        store.for_each_record_prefix(
            |f| Cols::of(f).width(),
            |_, format, v| {
                let key = format as *const Format;
                let cols = match formats.iter().find(|(f, _)| *f == key) {
                    Some((_, c)) => *c,
                    None => {
                        let c = Cols::of(format);
                        formats.push((key, c));
                        c
                    }
                };
                if let Some(id) = text(v, cols.interface) {
                    if !last_id.is_some_and(|l| std::ptr::eq(l, id)) {
                        last_id = Some(id);
                        // An id already seen was counted; past the set's bound, the estimator sees
                        // every id.
                        let at = (id.as_ptr() as usize, id.len());
                        if seen.len() < MAX_INTERFACES {
                            if seen.insert(at, id).is_none() {
                                self.interfaces.add(hash64(id));
                            }
                        } else if !seen.contains_key(&at) {
                            self.interfaces.add(hash64(id));
                        }
                    }
                }
                self.record(&cols, v);
            },
        );
        for id in seen.into_values() {
            if let Some(a) = facts.interface_address(id) {
                self.own_address(a, id);
            }
        }
    }

    /// Interface `id` has address `a`. When several have the same address, the first of their
    /// ids in text order is kept (whatever the order they are told in).
    fn own_address(&mut self, a: IpAddr, id: &str) {
        let room = self.own.len() < MAX_INTERFACES;
        match self.own.get_mut(&a) {
            Some(known) if id < &**known => *known = id.into(),
            Some(_) => {}
            None if room => {
                self.own.insert(a, id.into());
            }
            None => {}
        }
    }

    /// One record.
    #[inline]
    fn record(&mut self, c: &Cols, v: &[ValueRef<'_>]) {
        self.add(&Fields::of(c, v));
    }

    /// One record's fields.
    #[inline]
    fn add(&mut self, f: &Fields) {
        let n = &mut self.n;
        n.records += 1;
        let (bytes, packets) = (f.bytes, f.packets);
        if let Some(b) = bytes {
            n.with_bytes += 1;
            n.bytes = n.bytes.saturating_add(b);
        }
        if let Some(p) = packets {
            n.with_packets += 1;
            n.packets = n.packets.saturating_add(p);
        }
        let b = bytes.unwrap_or(0);
        let action = f.action;
        match action {
            Action::Accept => n.accepted.add(b),
            Action::Reject => n.rejected.add(b),
            Action::None => n.no_action += 1,
        }
        match f.status {
            Status::Ok => n.ok += 1,
            Status::NoData => n.nodata += 1,
            Status::SkipData => n.skipdata += 1,
            Status::Other => n.other_status += 1,
            Status::Absent => n.no_status += 1,
        }
        match f.start.map(seconds) {
            Some(s) => {
                n.first_start = Some(n.first_start.map_or(s, |f| f.min(s)));
                self.timeline.add(
                    s,
                    &Bucket {
                        records: 1,
                        bytes: b,
                        rejected: u64::from(action == Action::Reject),
                    },
                );
            }
            None => n.without_start += 1,
        }
        if let Some(e) = f.end.map(seconds) {
            n.last_end = Some(n.last_end.map_or(e, |l| l.max(e)));
        }
        let protocol = f.protocol;
        let transport = protocol.and_then(|p| crate::classify::protocol::protocol(p).transport());
        // The server's port and which way the record went, for protocols with ports.
        let served = match (protocol, transport) {
            (Some(p), Some(t)) => self.ranks.server(f.sport, f.dport, t).map(|s| (p, s)),
            _ => None,
        };
        if let Some(p) = protocol {
            self.protocols[usize::from(p)].add(b, action);
        }
        if let Some((p, (server, way))) = served {
            n.ported.add(b);
            match way {
                Way::Request => n.requests += 1,
                Way::Reply => n.replies += 1,
                Way::Unknown => n.unknown_roles += 1,
            }
            self.services.add((p, server), 1).add(b, action, way);
        }
        let (src, dst) = (f.src, f.dst);
        if let Some(s) = src {
            let t = self.addresses.add(s, b.saturating_add(1));
            t.records += 1;
            t.sent = t.sent.saturating_add(b);
            if action == Action::Reject {
                self.rejected
                    .add(s, 1)
                    .add(b, protocol, served.map(|(_, s)| s));
            }
        }
        if let Some(d) = dst {
            if src != Some(d) {
                let t = self.addresses.add(d, b.saturating_add(1));
                t.records += 1;
                t.received = t.received.saturating_add(b);
            }
        }
        if let (Some(s), Some(d)) = (src, dst) {
            let n = &mut self.n;
            n.paired.add(b);
            n.paired_packets = n.paired_packets.saturating_add(packets.unwrap_or(0));
            let f = self.pairs.add((s, d), b.saturating_add(1));
            f.records += 1;
            f.bytes = f.bytes.saturating_add(b);
            f.packets = f.packets.saturating_add(packets.unwrap_or(0));
        }
    }

    /// The report: `top_n` rows per table, addresses explained in `lang` with `ctx`.
    pub fn report(&self, ctx: &Context<'_>, lang: Lang, top_n: usize) -> OverviewReport {
        report::build(self, ctx, lang, top_n)
    }
}

/// The summary made while an input is read, without keeping its records: a [`Sink`] for a
/// [`Stream`] that feeds each record to an [`Overview`] as it is decoded, and tallies each
/// interface's records for its own address (the rule of [`InputFacts`]): what the CLI's
/// `--summary` runs (memory stays bounded whatever the input's size). Its report is that of
/// [`Overview::add_decoded`] over the same input (tests say so), as long as the input has at most
/// `MAX_INTERFACES` interfaces. (The page's summary worker does not parse the input again: the
/// decoding worker hands it each record's [`Fields`], see [`FieldsOut`].)
#[derive(Debug)]
pub struct Summariser {
    overview: Overview,
    cols: ColsByFormat,
    interfaces: InterfaceTallies,
}

impl Default for Summariser {
    fn default() -> Self {
        Summariser::adding_to(Overview::new())
    }
}

impl Summariser {
    /// A summariser adding to `overview`.
    fn adding_to(overview: Overview) -> Summariser {
        Summariser {
            overview,
            cols: ColsByFormat::default(),
            interfaces: InterfaceTallies::new(MAX_INTERFACES),
        }
    }

    /// A stream of one input (with the user's `format`, if given) into a summariser.
    pub fn stream(format: Option<Format>) -> Stream<Summariser> {
        Summariser::stream_into(format, Overview::new())
    }

    /// The same, adding to `overview` (the summary of several inputs: each input's interfaces
    /// are told from its own records, as [`Overview::add_decoded`] does).
    pub fn stream_into(format: Option<Format>, overview: Overview) -> Stream<Summariser> {
        Stream::new(format, Summariser::adding_to(overview))
    }

    /// Ends `stream`: its report, and the summary of every record it read.
    pub fn finish(mut stream: Stream<Summariser>) -> (Report, Overview) {
        let report = stream.finish();
        let Summariser {
            mut overview,
            interfaces,
            ..
        } = stream.ingest.sink;
        overview.lines += report.counts.lines;
        overview.errors += report.counts.errors;
        for (id, a) in interfaces.addresses() {
            overview.own_address(a, &id);
        }
        (report, overview)
    }

    /// The summary of a whole input (of any shape).
    pub fn summarise(input: &[u8], format: Option<Format>) -> (Report, Overview) {
        let mut stream = Summariser::stream(format);
        stream.push(input);
        Summariser::finish(stream)
    }
}

impl Sink for Summariser {
    fn record(&mut self, number: u64, record: &Record, formats: &[Format]) {
        let values: Vec<ValueRef<'_>> = record.values.iter().map(Value::as_value_ref).collect();
        self.record_view(
            number,
            &RecordView {
                format: record.format,
                values: &values,
            },
            formats,
        );
    }

    #[inline]
    fn record_view(&mut self, _number: u64, record: &RecordView<'_>, formats: &[Format]) {
        let cols = self.cols.get(record.format, formats);
        let v = record.values;
        if let Some(id) = text(v, cols.interface) {
            let new = match (addr(v, cols.src), addr(v, cols.dst)) {
                (Some(s), Some(d)) => self.interfaces.observe(id, s.ip(), d.ip()),
                _ => true,
            };
            if new {
                self.overview.interfaces.add(hash64(id));
            }
        }
        self.overview.record(&cols, v);
    }

    fn error(&mut self, _error: &LineError, _raw: &str) {}
}

/// What the summary reads of each record, written as records are decoded ([`FIELD_BYTES`] per
/// record), for a summary made elsewhere ([`Overview::add_fields`]): the decoding worker hands
/// them to the summary worker a slice of the input at a time.
#[derive(Clone, Debug, Default)]
pub struct FieldsOut {
    cols: ColsByFormat,
    bytes: Vec<u8>,
}

impl FieldsOut {
    /// A record of format `formats[format]`.
    #[inline]
    pub fn record(&mut self, format: usize, formats: &[Format], values: &[ValueRef<'_>]) {
        let cols = self.cols.get(format, formats);
        Fields::of(&cols, values).write(&mut self.bytes);
    }

    /// The bytes written since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }

    /// The bytes written since the last [`FieldsOut::take`] or [`FieldsOut::clear`].
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Forgets the bytes written, keeping their buffer for the next ones.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }
}

/// What the decoding side knows of the interfaces at the end of an input, for a summary made
/// from [`FieldsOut`]'s bytes ([`Overview::add_told`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Told {
    /// Lines of the input.
    pub lines: u64,
    /// Lines that could not be decoded.
    pub errors: u64,
    /// Distinct interfaces, and whether the count is exact.
    pub interfaces: (u64, bool),
    /// Each interface whose own address the input tells: (interface, address).
    pub own: Vec<(String, IpAddr)>,
}

impl Overview {
    /// Adds records written by [`FieldsOut`] (whole records: a multiple of [`FIELD_BYTES`]).
    /// Returns the records added; stops at the first that is not one (bytes of something else).
    pub fn add_fields(&mut self, bytes: &[u8]) -> usize {
        let mut n = 0;
        for b in bytes.chunks_exact(FIELD_BYTES) {
            let Some(f) = Fields::read(b.try_into().unwrap()) else {
                break;
            };
            self.add(&f);
            n += 1;
        }
        n
    }

    /// Adds what the decoding side tells at the end of the input (see [`Told`]).
    pub fn add_told(&mut self, told: &Told) {
        self.lines += told.lines;
        self.errors += told.errors;
        self.interfaces_told = Some(told.interfaces);
        for (id, a) in &told.own {
            self.own_address(*a, id);
        }
    }
}

impl Decoded {
    /// What [`Told`] says of this input.
    pub fn told(&self) -> Told {
        let c = self.counts();
        let facts = self.facts();
        let mut own: Vec<(String, IpAddr)> = facts
            .interfaces()
            .map(|(id, a)| (id.to_string(), a))
            .collect();
        own.sort();
        own.truncate(MAX_INTERFACES);
        Told {
            lines: c.lines,
            errors: c.errors,
            interfaces: facts.interfaces_seen(),
            own,
        }
    }

    /// The summary of the whole input (see [`crate::overview`]): `top_n` rows per table, the
    /// addresses shown explained in `lang`.
    pub fn overview(&self, ctx: &Context<'_>, lang: Lang, top_n: usize) -> OverviewReport {
        let mut o = Overview::new();
        o.add_decoded(self);
        o.report(ctx, lang, top_n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_keys_order_and_give_back_as_addresses_do() {
        let addrs: Vec<IpAddr> = [
            "0.0.0.0",
            "10.0.4.135",
            "15.152.63.145",
            "255.255.255.255",
            "::",
            "::ffff:10.0.4.135",
            "2600:1f14::1",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        ]
        .iter()
        .map(|a| a.parse().unwrap())
        .collect();
        for a in &addrs {
            assert_eq!(Addr::from(*a).ip(), *a);
            for b in &addrs {
                assert_eq!(Addr::from(*a).cmp(&Addr::from(*b)), a.cmp(b), "{a} {b}");
                assert_eq!(Addr::from(*a) == Addr::from(*b), a == b);
            }
        }
    }

    #[test]
    fn memoised_ranks_agree_with_the_roles() {
        let mut ranks = Ranks::new();
        let ports = [
            0u16, 22, 53, 123, 443, 1024, 1500, 3306, 3389, 5001, 5432, 6379, 8080, 27017, 32767,
            32768, 33434, 40000, 49152, 50000, 65535,
        ];
        for t in [
            Transport::Tcp,
            Transport::Udp,
            Transport::Sctp,
            Transport::Dccp,
        ] {
            // Twice: once filling the table, once reading it.
            for _ in 0..2 {
                for s in ports {
                    for d in ports {
                        let expected = match roles::roles(s, d, t) {
                            Some(r) if r.is_request() => (d, Way::Request),
                            Some(_) => (s, Way::Reply),
                            None => (d, Way::Unknown),
                        };
                        assert_eq!(ranks.server(Some(s), Some(d), t), Some(expected));
                    }
                }
            }
        }
        assert_eq!(
            ranks.server(None, Some(443), Transport::Tcp),
            Some((443, Way::Unknown))
        );
        assert_eq!(ranks.server(Some(443), None, Transport::Tcp), None);
    }
}
