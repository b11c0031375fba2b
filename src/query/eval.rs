//! An [`Expr`] compiled for evaluation over many records: each field it reads gets a slot, each
//! format maps the slots to its columns once ([`Program::plan`]), and a record is tested from
//! its values alone, read as they are asked for ([`crate::store::RecordCursor`]), without
//! allocating.
//!
//! The tests of an `and` / `or` run cheapest first (tests have no side effects, so the order
//! changes nothing but the time): a field's value before an address's scope, before a lookup in
//! AWS's ranges, before free text; among fields, the earlier column first. Values are packed one
//! after the other, so a record whose `dstport` (column 6) fails `dstport in (22, 3389)` is not
//! read up to its `action` (column 12).

use super::ast::{End, Expr, Pred, Subject, TextOp, Values};
use super::derive;
use super::names::{self, INBOUND, OUTBOUND, REPLY, REQUEST};
use super::value::seconds;
use crate::classify::aws::AwsRanges;
use crate::classify::scope;
use crate::facts::InputFacts;
use crate::model::fields::{id, FieldId, Kind};
use crate::model::format::{Column, Format};
use crate::model::problem;
use crate::model::value::ValueRef;
use crate::store::RecordCursor;
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
    /// Some value of the record has a problem (every column is read).
    Problem,
}

/// One format's way of evaluating: where each slot is, which columns a record's cursor keeps,
/// and the expression with its tests in the order that reads least of each record.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    cols: Vec<usize>,
    /// The columns the slots read (every one for free text).
    pub(crate) keep: Vec<bool>,
    root: Node,
    /// The kind of each column (`None` for a field flowlens does not know), for `problem`.
    kinds: Vec<Option<Kind>>,
}

/// Where a record's values come from: a cursor over the store (read as asked), or a slice.
pub(crate) trait Source<'v> {
    /// The value of `column` (absent past the last).
    fn value(&mut self, column: usize) -> ValueRef<'v>;
    /// How many columns the record has.
    fn columns(&self) -> usize;
}

impl<'s> Source<'s> for RecordCursor<'s, '_> {
    #[inline]
    fn value(&mut self, column: usize) -> ValueRef<'s> {
        self.get(column)
    }

    fn columns(&self) -> usize {
        RecordCursor::columns(self)
    }
}

/// A record's values, all of them at hand.
pub(crate) struct Slice<'a, 'v>(pub(crate) &'a [ValueRef<'v>]);

impl<'v> Source<'v> for Slice<'_, 'v> {
    fn value(&mut self, column: usize) -> ValueRef<'v> {
        self.0.get(column).copied().unwrap_or(ValueRef::Absent)
    }

    fn columns(&self) -> usize {
        self.0.len()
    }
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
            // Replaced below, once the slots are known.
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
            Expr::Or(all) => Node::Or(self.nodes(all)),
            Expr::And(all) => Node::And(self.nodes(all)),
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
                    Subject::Problem => {
                        self.reads_all = true;
                        Read::Problem
                    }
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

    fn nodes(&mut self, all: &[Expr]) -> Vec<Node> {
        all.iter().map(|e| self.node(e)).collect()
    }

    /// How to evaluate records of `format`.
    pub(crate) fn plan(&self, format: &Format) -> Plan {
        let cols: Vec<usize> = self
            .slots
            .iter()
            .map(|id| format.column(*id).unwrap_or(NONE))
            .collect();
        let mut keep = vec![self.reads_all; format.len()];
        for &c in cols.iter().filter(|c| **c != NONE) {
            if let Some(k) = keep.get_mut(c) {
                *k = true;
            }
        }
        let root = self.root.ordered(&cols);
        let kinds = format
            .columns
            .iter()
            .map(|c| match c {
                Column::Known(f) => Some(f.spec().kind),
                Column::Unknown(_) => None,
            })
            .collect();
        Plan {
            cols,
            keep,
            root,
            kinds,
        }
    }

    /// True when the record whose values `src` gives (of the format of `plan`) passes.
    #[inline]
    pub(crate) fn eval<'v>(&self, plan: &Plan, src: &mut impl Source<'v>, env: &Env<'_>) -> bool {
        let mut rec = Rec {
            cols: &plan.cols,
            kinds: &plan.kinds,
            src,
        };
        plan.root.eval(&mut rec, env)
    }
}

/// A record's values and where its slots are.
struct Rec<'r, S> {
    cols: &'r [usize],
    kinds: &'r [Option<Kind>],
    src: &'r mut S,
}

impl<'v, S: Source<'v>> Rec<'_, S> {
    #[inline]
    fn get(&mut self, slot: usize) -> ValueRef<'v> {
        match self.cols.get(slot) {
            Some(&c) if c != NONE => self.src.value(c),
            _ => ValueRef::Absent,
        }
    }

    #[inline]
    fn addr(&mut self, slot: usize) -> Option<IpAddr> {
        self.get(slot).addr()
    }

    /// The own address of the record's interface (from the interface-id in `slot`).
    #[inline]
    fn own(&mut self, interface: usize, env: &Env<'_>) -> Option<IpAddr> {
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
                Read::Problem => 5,
            },
        }
    }

    /// The slots the node reads.
    fn slots(&self, out: &mut Vec<usize>) {
        match self {
            Node::Or(all) | Node::And(all) => all.iter().for_each(|n| n.slots(out)),
            Node::Not(n) => n.slots(out),
            Node::Text(_) => {}
            Node::Leaf(read, _) => out.extend(read.slots()),
        }
    }

    /// The last column the node reads in a format whose slots are at `cols` (every column for
    /// free text).
    fn last_column(&self, cols: &[usize]) -> usize {
        if self.reads_all() {
            return usize::MAX;
        }
        let mut slots = Vec::new();
        self.slots(&mut slots);
        slots
            .iter()
            .filter_map(|s| cols.get(*s).copied().filter(|c| *c != NONE))
            .max()
            .unwrap_or(0)
    }

    fn reads_all(&self) -> bool {
        match self {
            Node::Or(all) | Node::And(all) => all.iter().any(Node::reads_all),
            Node::Not(n) => n.reads_all(),
            Node::Text(_) | Node::Leaf(Read::Problem, _) => true,
            Node::Leaf(..) => false,
        }
    }

    /// The node with the tests of each `and` / `or` ordered for a format whose slots are at
    /// `cols`: cheapest first, and among equals the one reading the earliest columns.
    fn ordered(&self, cols: &[usize]) -> Node {
        let order = |all: &[Node]| {
            let mut all: Vec<Node> = all.iter().map(|n| n.ordered(cols)).collect();
            all.sort_by_key(|n| (n.cost(), n.last_column(cols)));
            all
        };
        match self {
            Node::Or(all) => Node::Or(order(all)),
            Node::And(all) => Node::And(order(all)),
            Node::Not(n) => Node::Not(Box::new(n.ordered(cols))),
            leaf => leaf.clone(),
        }
    }

    fn eval<'v, S: Source<'v>>(&self, rec: &mut Rec<'_, S>, env: &Env<'_>) -> bool {
        match self {
            Node::Or(all) => all.iter().any(|n| n.eval(rec, env)),
            Node::And(all) => all.iter().all(|n| n.eval(rec, env)),
            Node::Not(n) => !n.eval(rec, env),
            Node::Text(needle) => needle.matches(rec.src),
            Node::Leaf(read, pred) => leaf(*read, pred, rec, env),
        }
    }
}

impl Read {
    /// The slots read.
    fn slots(&self) -> Vec<usize> {
        let ends = |e: &Ends| e.src.into_iter().chain(e.dst).collect();
        match self {
            Read::Field(s) => vec![*s],
            Read::Either(a, b) => vec![*a, *b],
            Read::Scope(e) | Read::AwsService(e) | Read::AwsRegion(e) | Read::Cloud(e) => ends(e),
            Read::Service {
                protocol,
                srcport,
                dstport,
            }
            | Read::Role {
                protocol,
                srcport,
                dstport,
            } => vec![*protocol, *srcport, *dstport],
            Read::Direction {
                flow_direction,
                interface,
                src,
                dst,
            } => vec![*flow_direction, *interface, *src, *dst],
            Read::Internet { addr, interface } => vec![*addr, *interface],
            Read::Problem => Vec::new(),
        }
    }
}

/// True when the ends tested pass `f` (either one, for both ends).
#[inline]
fn any_end<'v, S: Source<'v>>(
    ends: Ends,
    rec: &mut Rec<'_, S>,
    mut f: impl FnMut(Option<IpAddr>) -> bool,
) -> bool {
    ends.src.is_some_and(|s| {
        let ip = rec.addr(s);
        f(ip)
    }) || ends.dst.is_some_and(|d| {
        let ip = rec.addr(d);
        f(ip)
    })
}

fn leaf<'v, S: Source<'v>>(read: Read, pred: &Pred, rec: &mut Rec<'_, S>, env: &Env<'_>) -> bool {
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
            let (p, s, d) = (rec.get(protocol), rec.get(srcport), rec.get(dstport));
            let found = derive::services(p, s, d);
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
        } => {
            let (p, s, d) = (rec.get(protocol), rec.get(srcport), rec.get(dstport));
            match derive::roles(p, s, d) {
                None => pred.absent,
                Some(r) => bit(pred, if r.is_request() { REQUEST } else { REPLY }),
            }
        }
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
            let (src, dst) = (rec.addr(src), rec.addr(dst));
            match derive::inbound(fd, own, src, dst) {
                None => pred.absent,
                Some(true) => bit(pred, INBOUND),
                Some(false) => bit(pred, OUTBOUND),
            }
        }
        Read::Internet { addr, interface } => {
            let yes = match rec.addr(addr) {
                Some(ip) => {
                    let own = rec.own(interface, env);
                    derive::internet(ip, own, env.aws)
                }
                None => false,
            };
            yes && bit(pred, 1)
        }
        Read::Problem => {
            let n = rec.src.columns().min(rec.kinds.len());
            let kinds = rec.kinds;
            let yes = (0..n)
                .any(|c| kinds[c].is_some_and(|k| problem::check(k, rec.src.value(c)).is_some()));
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

    fn matches<'v>(&self, src: &mut impl Source<'v>) -> bool {
        let mut buf = Buf::default();
        (0..src.columns()).any(|c| match src.value(c) {
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
