//! The summary's tallies: one [`Overview`] fed record by record (its [`Fields`]), whatever the
//! path (a pass over the store, the streaming summariser, the hand-off between the page's
//! workers), and the whole-input facts of each input.

use crate::classify::aws::AwsRanges;
use crate::classify::port::Transport;
use crate::classify::roles;
use crate::facts::InputFacts;
use crate::model::format::Format;
use crate::model::value::ValueRef;
use crate::overview::fields::{Action, Addr, Cols, Fields, Status};
use crate::overview::reject::RejectTally;
use crate::overview::timeline::{seconds, Bucket, Timeline};
use crate::overview::topk::TopK;
use crate::overview::{ADDRESS_KEYS_FACTOR, MAX_INTERFACES, MAX_KEYS, MAX_TRIED};
use crate::store::Decoded;
use crate::util::distinct::{Distinct, MAX_DISTINCT};
use crate::util::fxhash::FxBuild;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

/// Records and bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sum {
    pub(crate) records: u64,
    pub(crate) bytes: u64,
}

impl Sum {
    #[inline]
    pub(crate) fn add(&mut self, bytes: u64) {
        self.records += 1;
        self.bytes = self.bytes.saturating_add(bytes);
    }
}

/// The figures of the whole input.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counted {
    pub(crate) records: u64,
    pub(crate) bytes: u64,
    pub(crate) packets: u64,
    pub(crate) with_bytes: u64,
    pub(crate) with_packets: u64,
    pub(crate) accepted: Sum,
    pub(crate) rejected: Sum,
    pub(crate) no_action: u64,
    pub(crate) ok: u64,
    pub(crate) nodata: u64,
    pub(crate) skipdata: u64,
    pub(crate) other_status: u64,
    pub(crate) no_status: u64,
    pub(crate) first_start: Option<u64>,
    pub(crate) last_end: Option<u64>,
    pub(crate) without_start: u64,
    /// Records with both addresses (the pairs' total).
    pub(crate) paired: Sum,
    pub(crate) paired_packets: u64,
    /// Records with a port (the services' total).
    pub(crate) ported: Sum,
    /// Of those, requests, replies, and records whose roles could not be told.
    pub(crate) requests: u64,
    pub(crate) replies: u64,
    pub(crate) unknown_roles: u64,
}

/// One address pair's figures.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Flow {
    pub(crate) records: u64,
    pub(crate) packets: u64,
    pub(crate) bytes: u64,
}

/// One address's figures.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Talker {
    pub(crate) records: u64,
    pub(crate) sent: u64,
    pub(crate) received: u64,
}

/// A port a rejected source tried: the destination port of its request (or of a record whose
/// roles are unknown), or the server's port its rejected reply came from (8 bytes: the table
/// stays small).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tried {
    pub(crate) port: u16,
    pub(crate) protocol: u8,
    /// Bit 0: the record had a protocol; bit 1: a port; bit 2: it was a reply from that port.
    pub(crate) has: u8,
    pub(crate) records: u32,
}

impl Tried {
    pub(crate) fn protocol(&self) -> Option<u8> {
        (self.has & 1 != 0).then_some(self.protocol)
    }
    pub(crate) fn port(&self) -> Option<u16> {
        (self.has & 2 != 0).then_some(self.port)
    }
    pub(crate) fn is_reply(&self) -> bool {
        self.has & 4 != 0
    }
}

/// One rejected source's figures.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Rejected {
    pub(crate) records: u64,
    pub(crate) bytes: u64,
    pub(crate) tried: [Tried; MAX_TRIED],
    pub(crate) n_tried: usize,
    /// Records to ports beyond the first [`MAX_TRIED`].
    pub(crate) other: u64,
    /// Of the records, replies (from a server's port to a client's ephemeral one).
    pub(crate) replies: u64,
    /// Their bytes.
    pub(crate) reply_bytes: u64,
}

impl Rejected {
    #[inline]
    pub(crate) fn add(&mut self, bytes: u64, protocol: Option<u8>, port: Option<(u16, Way)>) {
        self.records += 1;
        self.bytes = self.bytes.saturating_add(bytes);
        if port.is_some_and(|(_, w)| w == Way::Reply) {
            self.replies += 1;
            self.reply_bytes = self.reply_bytes.saturating_add(bytes);
        }
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
pub(crate) struct Service {
    pub(crate) all: Sum,
    pub(crate) accepted: u64,
    pub(crate) rejected: u64,
}

impl Service {
    #[inline]
    pub(crate) fn add(&mut self, bytes: u64, action: Action) {
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
pub(crate) enum Way {
    /// Client to server: counted at its destination port.
    Request,
    /// Server to client: counted at its source port.
    Reply,
    /// The ports do not tell: counted at its destination port.
    Unknown,
}

/// One service's figures: a (protocol, server port).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Served {
    pub(crate) all: Service,
    pub(crate) requests: u64,
    pub(crate) replies: u64,
    /// Records whose roles could not be told, counted at their destination port.
    pub(crate) unknown: u64,
}

impl Served {
    #[inline]
    pub(crate) fn add(&mut self, bytes: u64, action: Action, way: Way) {
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
pub(crate) struct Ranks {
    /// Ports 1024-65535 of TCP, UDP, SCTP, DCCP; [`Ranks::UNKNOWN`] until asked.
    pub(crate) table: Box<[u8]>,
}

impl Ranks {
    const UNKNOWN: u8 = u8::MAX;
    const SPAN: usize = 65_536 - 1024;

    pub(crate) fn new() -> Ranks {
        Ranks {
            table: vec![Ranks::UNKNOWN; 4 * Ranks::SPAN].into_boxed_slice(),
        }
    }

    #[inline]
    pub(crate) fn rank(&mut self, port: u16, t: Transport) -> u8 {
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
    pub(crate) fn server(
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

/// The summary being built: feed it decoded inputs with [`Overview::add_decoded`], then ask for
/// the [`OverviewReport`].
#[derive(Debug)]
pub struct Overview {
    pub(crate) n: Counted,
    pub(crate) max_keys: usize,
    pub(crate) lines: u64,
    pub(crate) errors: u64,
    /// Records with a problem in a field (counted among the records too).
    pub(crate) problems: u64,
    pub(crate) pairs: TopK<(Addr, Addr), Flow>,
    pub(crate) addresses: TopK<Addr, Talker>,
    pub(crate) rejected: TopK<Addr, Rejected>,
    /// Destinations of REJECT records (the report shows the input's own addresses among them).
    pub(crate) rejected_dst: TopK<Addr, Rejected>,
    /// The rest of the REJECT story: parts, blocks, owners, scans.
    pub(crate) story: RejectTally,
    pub(crate) services: TopK<(u8, u16), Served>,
    pub(crate) ranks: Ranks,
    pub(crate) protocols: Vec<Service>,
    pub(crate) timeline: Timeline,
    pub(crate) interfaces: Distinct,
    /// The distinct interfaces as the decoding side counted them (see [`Told`]).
    pub(crate) interfaces_told: Option<(u64, bool)>,
    /// Made of part of an input: the decoding side stopped before it told the rest (see
    /// [`Overview::finish_partial`]).
    pub(crate) partial: bool,
    /// Each known interface's own address → the interface.
    pub(crate) own: HashMap<IpAddr, Box<str>, FxBuild>,
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
            problems: 0,
            pairs: TopK::new(max_keys),
            addresses: TopK::counting_distinct(max_keys * ADDRESS_KEYS_FACTOR),
            rejected: TopK::new(max_keys),
            rejected_dst: TopK::new(max_keys),
            story: RejectTally::new(max_keys),
            services: TopK::new(max_keys),
            ranks: Ranks::new(),
            protocols: vec![Service::default(); 256],
            timeline: Timeline::default(),
            interfaces: Distinct::new(MAX_DISTINCT),
            interfaces_told: None,
            partial: false,
            own: HashMap::default(),
        }
    }

    /// Adds a decoded input: its line counts, one pass over its records, and its interfaces'
    /// own addresses.
    pub fn add_decoded(&mut self, d: &Decoded) {
        let c = d.counts();
        self.lines += c.lines;
        self.errors += c.errors;
        self.problems += c.problems;
        // The columns of the formats met, found once per format; only the columns up to the
        // last one the summary reads are decoded.
        let mut formats: Vec<(*const Format, Cols)> = Vec::new();
        d.store().for_each_record_prefix(
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
                self.record(&cols, v);
            },
        );
        self.add_facts(d.facts());
    }

    /// AWS's ranges, with which each REJECT record's source is told AWS's or not (and its AWS
    /// service and region) as it is counted: give them before the records (records counted
    /// before are counted as if no address were AWS's, as a filter run without ranges).
    pub fn set_aws_ranges(&mut self, aws: Option<Arc<AwsRanges>>) {
        self.story.aws = aws;
    }

    /// The same, for a summary being made.
    pub fn with_aws_ranges(mut self, aws: Option<Arc<AwsRanges>>) -> Overview {
        self.set_aws_ranges(aws);
        self
    }

    /// Adds the records of `decoded` at `rows` (entry indexes, as a filter's `Query::filter`
    /// returns them; rows that are not records are skipped), each counted as one line, and the
    /// whole input's facts (its interfaces and their own addresses come from every record of the
    /// input, not only the rows): the summary of a filtered set. It is the summary of a text
    /// holding only those records' lines, except for what the facts tell
    /// ([`Overview::add_records`] without [`Overview::add_facts`] leaves them out).
    pub fn add_rows(&mut self, decoded: &Decoded, rows: &[u32]) {
        self.add_records(decoded, rows);
        self.add_facts(decoded.facts());
    }

    /// The records of `decoded` at `rows`, each counted as one line, without the input's facts.
    pub fn add_records(&mut self, decoded: &Decoded, rows: &[u32]) {
        let mut formats: Vec<(*const Format, Cols)> = Vec::new();
        let mut n = 0;
        decoded.store().for_rows_prefix(
            rows,
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
                n += 1;
                self.record(&cols, v);
            },
        );
        self.lines += n;
    }

    /// What the whole of one input tells of its interfaces: the distinct ones, and each one's own
    /// address (at most [`MAX_INTERFACES`], the first in text order).
    pub fn add_facts(&mut self, facts: &InputFacts) {
        if let Some(seen) = facts.interfaces_distinct() {
            self.interfaces.merge(seen);
        }
        for (id, a) in facts.interfaces_sorted(MAX_INTERFACES) {
            self.own_address(a, id);
        }
    }

    /// Interface `id` has address `a`. When several have the same address, the first of their
    /// ids in text order is kept (whatever the order they are told in).
    pub(crate) fn own_address(&mut self, a: IpAddr, id: &str) {
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
    pub(crate) fn record(&mut self, c: &Cols, v: &[ValueRef<'_>]) {
        self.add(&Fields::of(c, v));
    }

    /// One record's fields.
    #[inline]
    pub(crate) fn add(&mut self, f: &Fields) {
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
        if action == Action::Reject {
            let way = served.map(|(_, (_, w))| w);
            let reply = way == Some(Way::Reply);
            if let Some(d) = dst {
                self.rejected_dst
                    .add(d, 1)
                    .add(b, protocol, served.map(|(_, s)| s));
            }
            // A request's (or a record of unknown roles') destination port, for the scans.
            let dport = if reply { None } else { f.dport };
            self.story.add(src, dst, b, reply, dport);
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
}
