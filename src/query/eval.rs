//! An [`Expr`] compiled for evaluation over many records: each field it reads gets a slot, each
//! format maps the slots to its columns once ([`Program::plan`]; the store decodes only those
//! columns), and a record is tested from its values alone, without allocating. Tests of `and` / `or` run cheapest first (boolean tests
//! have no side effects, so the order changes nothing but the time): a field's value before an
//! address's scope, before a lookup in AWS's ranges, before free text.

use super::ast::{End, Expr, Pred, Subject, TextOp, Values};
use super::derive;
use super::names::{self, INBOUND, OUTBOUND, REPLY, REQUEST};
use super::value::seconds;
use crate::classify::aws::AwsRanges;
use crate::classify::scope;
use crate::facts::InputFacts;
use crate::model::fields::{id, FieldId};
use crate::model::format::Format;
use crate::model::value::ValueRef;
use std::fmt::Write as _;
use std::net::IpAddr;

/// No column: the format lacks the field.
const NONE: usize = usize::MAX;

/// A compiled expression.
#[derive(Clone, Debug)]
pub(crate) struct Program {
    root: Node,
    /// The field each slot reads.
    slots: Vec<FieldId>,
    /// Free text reads every value.
    reads_all: bool,
    uses_aws: bool,
}

#[derive(Clone, Debug)]
enum Node {
    Or(Vec<Node>),
    And(Vec<Node>),
    Not(Box<Node>),
    Leaf(Read, Pred),
    Text(Needle),
}

/// The slots of a derived fact's two ends (`None` for an end not tested).
#[derive(Clone, Copy, Debug)]
struct Ends {
    src: Option<usize>,
    dst: Option<usize>,
}

/// What a leaf reads, by slot.
#[derive(Clone, Copy, Debug)]
enum Read {
    Field(usize),
    Either(usize, usize),
    Scope(Ends),
    AwsService(Ends),
    AwsRegion(Ends),
    Cloud(Ends),
    Service {
        protocol: usize,
        srcport: usize,
        dstport: usize,
    },
    Role {
        protocol: usize,
        srcport: usize,
        dstport: usize,
    },
    Direction {
        flow_direction: usize,
        interface: usize,
        src: usize,
        dst: usize,
    },
    Internet {
        addr: usize,
        interface: usize,
    },
}

/// Where each slot is in one format, and which of its leading columns a record needs read.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    cols: Vec<usize>,
    /// The columns to read, up to the last one a slot needs (every one for free text): the
    /// others are skipped without being decoded.
    pub(crate) read: Vec<bool>,
}

/// What evaluation consults beyond the record.
#[derive(Clone, Copy)]
pub(crate) struct Env<'e> {
    pub(crate) facts: &'e InputFacts,
    pub(crate) aws: Option<&'e AwsRanges>,
}

impl Program {
    /// Compiles `expr`.
    pub(crate) fn compile(expr: &Expr) -> Program {
        let mut p = Program {
            root: Node::Text(Needle::new("")),
            slots: Vec::new(),
            reads_all: false,
            uses_aws: false,
        };
        p.root = p.node(expr);
        p
    }

    /// True when the expression consults AWS's ranges.
    pub(crate) fn uses_aws(&self) -> bool {
        self.uses_aws
    }

    fn slot(&mut self, id: FieldId) -> usize {
        match self.slots.iter().position(|s| *s == id) {
            Some(i) => i,
            None => {
                self.slots.push(id);
                self.slots.len() - 1
            }
        }
    }

    fn ends(&mut self, end: End) -> Ends {
        Ends {
            src: (end != End::Dst).then(|| self.slot(id::SRCADDR)),
            dst: (end != End::Src).then(|| self.slot(id::DSTADDR)),
        }
    }

    fn node(&mut self, e: &Expr) -> Node {
        match e {
            Expr::Or(all) => Node::Or(self.cheapest_first(all)),
            Expr::And(all) => Node::And(self.cheapest_first(all)),
            Expr::Not(e) => Node::Not(Box::new(self.node(e))),
            Expr::Text(t) => {
                self.reads_all = true;
                Node::Text(Needle::new(t))
            }
            Expr::Test(t) => {
                let read = match t.subject {
                    Subject::Field(f) => Read::Field(self.slot(f)),
                    Subject::Either(a, b) => Read::Either(self.slot(a), self.slot(b)),
                    Subject::Scope(end) => Read::Scope(self.ends(end)),
                    Subject::AwsService(end) => {
                        self.uses_aws = true;
                        Read::AwsService(self.ends(end))
                    }
                    Subject::AwsRegion(end) => {
                        self.uses_aws = true;
                        Read::AwsRegion(self.ends(end))
                    }
                    Subject::Cloud(end) => {
                        self.uses_aws = true;
                        Read::Cloud(self.ends(end))
                    }
                    Subject::Service => Read::Service {
                        protocol: self.slot(id::PROTOCOL),
                        srcport: self.slot(id::SRCPORT),
                        dstport: self.slot(id::DSTPORT),
                    },
                    Subject::Role => Read::Role {
                        protocol: self.slot(id::PROTOCOL),
                        srcport: self.slot(id::SRCPORT),
                        dstport: self.slot(id::DSTPORT),
                    },
                    Subject::Direction => Read::Direction {
                        flow_direction: self.slot(id::FLOW_DIRECTION),
                        interface: self.slot(id::INTERFACE_ID),
                        src: self.slot(id::SRCADDR),
                        dst: self.slot(id::DSTADDR),
                    },
                    Subject::FromInternet | Subject::ToInternet => {
                        self.uses_aws = true;
                        let end = if t.subject == Subject::FromInternet {
                            id::SRCADDR
                        } else {
                            id::DSTADDR
                        };
                        Read::Internet {
                            addr: self.slot(end),
                            interface: self.slot(id::INTERFACE_ID),
                        }
                    }
                };
                Node::Leaf(read, t.pred.clone())
            }
        }
    }

    fn cheapest_first(&mut self, all: &[Expr]) -> Vec<Node> {
        let mut nodes: Vec<Node> = all.iter().map(|e| self.node(e)).collect();
        nodes.sort_by_key(Node::cost);
        nodes
    }

    /// Where the slots are in `format`.
    pub(crate) fn plan(&self, format: &Format) -> Plan {
        let cols: Vec<usize> = self
            .slots
            .iter()
            .map(|id| format.column(*id).unwrap_or(NONE))
            .collect();
        let read = if self.reads_all {
            vec![true; format.len()]
        } else {
            let width = cols
                .iter()
                .filter(|c| **c != NONE)
                .max()
                .map_or(0, |c| c + 1);
            let mut read = vec![false; width];
            for &c in cols.iter().filter(|c| **c != NONE) {
                read[c] = true;
            }
            read
        };
        Plan { cols, read }
    }

    /// True when the record of `values` (read by `plan`) passes.
    #[inline]
    pub(crate) fn eval(&self, plan: &Plan, values: &[ValueRef<'_>], env: &Env<'_>) -> bool {
        let rec = Rec {
            cols: &plan.cols,
            values,
        };
        self.root.eval(&rec, env)
    }
}

/// A record's values and where its slots are.
struct Rec<'r, 'v> {
    cols: &'r [usize],
    values: &'r [ValueRef<'v>],
}

impl<'v> Rec<'_, 'v> {
    #[inline]
    fn get(&self, slot: usize) -> ValueRef<'v> {
        match self.cols.get(slot) {
            Some(&c) => self.values.get(c).copied().unwrap_or(ValueRef::Absent),
            None => ValueRef::Absent,
        }
    }

    #[inline]
    fn addr(&self, slot: Option<usize>) -> Option<IpAddr> {
        slot.and_then(|s| self.get(s).addr())
    }

    /// The own address of the record's interface (from the interface-id in `slot`).
    #[inline]
    fn own(&self, interface: usize, env: &Env<'_>) -> Option<IpAddr> {
        self.get(interface)
            .text()
            .and_then(|i| env.facts.interface_address(i))
    }
}

impl Node {
    /// A rough cost of evaluating the node, for ordering.
    fn cost(&self) -> u8 {
        match self {
            Node::Or(all) | Node::And(all) => all.iter().map(Node::cost).max().unwrap_or(0),
            Node::Not(n) => n.cost(),
            Node::Text(_) => 5,
            Node::Leaf(read, _) => match read {
                Read::Field(_) | Read::Either(..) => 1,
                Read::Scope(_) | Read::Role { .. } | Read::Service { .. } => 2,
                Read::Direction { .. } => 3,
                Read::AwsService(_)
                | Read::AwsRegion(_)
                | Read::Cloud(_)
                | Read::Internet { .. } => 4,
            },
        }
    }

    fn eval(&self, rec: &Rec<'_, '_>, env: &Env<'_>) -> bool {
        match self {
            Node::Or(all) => all.iter().any(|n| n.eval(rec, env)),
            Node::And(all) => all.iter().all(|n| n.eval(rec, env)),
            Node::Not(n) => !n.eval(rec, env),
            Node::Text(needle) => needle.matches(rec.values),
            Node::Leaf(read, pred) => leaf(*read, pred, rec, env),
        }
    }
}

/// True when the ends tested pass `f` (either one, for both ends).
#[inline]
fn any_end(ends: Ends, rec: &Rec<'_, '_>, mut f: impl FnMut(Option<IpAddr>) -> bool) -> bool {
    ends.src.is_some_and(|s| f(rec.addr(Some(s)))) || ends.dst.is_some_and(|d| f(rec.addr(Some(d))))
}

fn leaf(read: Read, pred: &Pred, rec: &Rec<'_, '_>, env: &Env<'_>) -> bool {
    match read {
        Read::Field(s) => value(pred, rec.get(s)),
        Read::Either(a, b) => value(pred, rec.get(a)) || value(pred, rec.get(b)),
        Read::Scope(ends) => any_end(ends, rec, |ip| match ip {
            None => pred.absent,
            Some(ip) => bit(pred, names::scope_bit(scope::scope(ip).scope)),
        }),
        Read::AwsService(ends) => any_end(ends, rec, |ip| {
            match ip.and_then(|ip| env.aws?.lookup(ip)) {
                None => pred.absent,
                Some(p) => p.services.iter().any(|s| name(pred, s)),
            }
        }),
        Read::AwsRegion(ends) => any_end(ends, rec, |ip| {
            match ip.and_then(|ip| env.aws?.lookup(ip)) {
                None => pred.absent,
                Some(p) => name(pred, &p.region),
            }
        }),
        Read::Cloud(ends) => any_end(ends, rec, |ip| {
            match ip.and_then(|ip| derive::cloud(ip, env.aws)) {
                None => pred.absent,
                Some(c) => bit(pred, names::provider_bit(c.provider)),
            }
        }),
        Read::Service {
            protocol,
            srcport,
            dstport,
        } => {
            let found = derive::services(rec.get(protocol), rec.get(srcport), rec.get(dstport));
            if found.iter().all(Option::is_none) {
                return pred.absent;
            }
            match &pred.values {
                Values::Names(names) => found
                    .iter()
                    .flatten()
                    .any(|s| names.iter().any(|n| derive::service_named(s, n))),
                _ => false,
            }
        }
        Read::Role {
            protocol,
            srcport,
            dstport,
        } => match derive::roles(rec.get(protocol), rec.get(srcport), rec.get(dstport)) {
            None => pred.absent,
            Some(r) => bit(pred, if r.is_request() { REQUEST } else { REPLY }),
        },
        Read::Direction {
            flow_direction,
            interface,
            src,
            dst,
        } => {
            // The interface's address is looked up only when flow-direction does not tell.
            let fd = rec.get(flow_direction);
            let own = match fd.text() {
                Some("ingress" | "egress") => None,
                _ => rec.own(interface, env),
            };
            match derive::inbound(fd, own, rec.addr(Some(src)), rec.addr(Some(dst))) {
                None => pred.absent,
                Some(true) => bit(pred, INBOUND),
                Some(false) => bit(pred, OUTBOUND),
            }
        }
        Read::Internet { addr, interface } => {
            let yes = rec
                .addr(Some(addr))
                .is_some_and(|ip| derive::internet(ip, rec.own(interface, env), env.aws));
            yes && bit(pred, 1)
        }
    }
}

#[inline]
fn bit(pred: &Pred, b: u32) -> bool {
    matches!(pred.values, Values::Set(set) if set & b != 0)
}

#[inline]
fn name(pred: &Pred, n: &str) -> bool {
    matches!(&pred.values, Values::Names(all) if all.iter().any(|a| a.eq_ignore_ascii_case(n)))
}

/// True when a field's value passes.
#[inline]
fn value(pred: &Pred, v: ValueRef<'_>) -> bool {
    match (v, &pred.values) {
        (ValueRef::Absent, _) => pred.absent,
        (ValueRef::UInt(n), Values::Numbers(r)) => {
            r.iter().any(|(lo, hi)| (*lo..=*hi).contains(&n))
        }
        (ValueRef::UInt(n), Values::Times(r)) => {
            let n = seconds(n);
            r.iter().any(|(lo, hi)| (*lo..=*hi).contains(&n))
        }
        (ValueRef::Addr(ip), Values::Addrs(r)) => r.iter().any(|r| r.contains(ip)),
        (ValueRef::Text(t), Values::Texts(all)) => all.iter().any(|(op, s)| text(t, *op, s)),
        _ => false,
    }
}

/// `t op s` in ASCII letters of any case (`s` is in lower case).
#[inline]
fn text(t: &str, op: TextOp, s: &str) -> bool {
    if op == TextOp::Eq {
        return t.eq_ignore_ascii_case(s);
    }
    let order = t.bytes().map(|b| b.to_ascii_lowercase()).cmp(s.bytes());
    match op {
        TextOp::Eq => order.is_eq(),
        TextOp::Lt => order.is_lt(),
        TextOp::Le => order.is_le(),
        TextOp::Gt => order.is_gt(),
        TextOp::Ge => order.is_ge(),
    }
}

/// Free text, and what kinds of values it can be in.
#[derive(Clone, Debug)]
struct Needle {
    /// In lower case.
    text: Box<str>,
    /// All digits: it can be in an integer.
    number: bool,
    /// Hex digits, `.` and `:` only: it can be in an address.
    address: bool,
}

impl Needle {
    fn new(text: &str) -> Needle {
        let b = text.as_bytes();
        Needle {
            text: text.into(),
            number: b.iter().all(u8::is_ascii_digit),
            address: b
                .iter()
                .all(|c| c.is_ascii_hexdigit() || *c == b'.' || *c == b':'),
        }
    }

    fn matches(&self, values: &[ValueRef<'_>]) -> bool {
        let mut buf = Buf::default();
        values.iter().any(|v| match v {
            ValueRef::Absent => false,
            ValueRef::Text(t) => contains(t.as_bytes(), self.text.as_bytes()),
            ValueRef::UInt(n) => {
                self.number && {
                    buf.clear();
                    let _ = write!(buf, "{n}");
                    contains(buf.bytes(), self.text.as_bytes())
                }
            }
            ValueRef::Addr(a) => {
                self.address && {
                    buf.clear();
                    let _ = write!(buf, "{a}");
                    contains(buf.bytes(), self.text.as_bytes())
                }
            }
        })
    }
}

/// True when `hay` holds `needle` (in lower case), ASCII letters in any case.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    hay.len() >= needle.len()
        && hay.windows(needle.len()).any(|w| {
            w.iter()
                .zip(needle)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
        })
}

/// A number or an address written on the stack (the longest, an IPv4-mapped IPv6 address, is 45
/// bytes).
struct Buf {
    b: [u8; 48],
    n: usize,
}

impl Default for Buf {
    fn default() -> Buf {
        Buf { b: [0; 48], n: 0 }
    }
}

impl Buf {
    fn clear(&mut self) {
        self.n = 0;
    }

    fn bytes(&self) -> &[u8] {
        &self.b[..self.n]
    }
}

impl std::fmt::Write for Buf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.n + s.len();
        let room = self.b.get_mut(self.n..end).ok_or(std::fmt::Error)?;
        room.copy_from_slice(s.as_bytes());
        self.n = end;
        Ok(())
    }
}
