//! An [`Expr`] lowered to tests of the record's own fields ([`Cond`]), the form both engines can
//! spell: derived facts become the fields and address blocks they are made of, exactly where
//! that can be done, else in their closest form with a [`Note`] saying what differs.

use super::sets::{self, Bounds};
use super::Note;
use crate::classify::aws::AwsRanges;
use crate::classify::port::{self, Transport};
use crate::classify::scope;
use crate::model::fields::{id, FieldId};
use crate::query::ast::{End, Expr, Pred, Subject, Test, TextOp, Values};
use crate::query::derive;
use crate::query::names;
use ipnet::IpNet;
use std::net::IpAddr;

/// A test of a record's fields, as an engine without flowlens's derived facts can spell it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cond {
    /// Always.
    True,
    /// Never.
    False,
    /// All of them.
    And(Vec<Cond>),
    /// Any of them.
    Or(Vec<Cond>),
    /// Not it.
    Not(Box<Cond>),
    /// The field has no value (`-`, or not in the record's format).
    Absent(FieldId),
    /// The integer field has a value in one of these inclusive ranges.
    Nums(FieldId, Vec<(u64, u64)>),
    /// The address field holds an address in one of these blocks.
    Addrs(FieldId, Vec<IpNet>),
    /// The text field passes one of these comparisons (ASCII letters in any case; lower case).
    Texts(FieldId, Vec<(TextOp, Box<str>)>),
    /// Free text: a value of the record contains it (lower case).
    Free(Box<str>),
}

fn or(all: Vec<Cond>) -> Cond {
    let mut all: Vec<Cond> = all
        .into_iter()
        .flat_map(|c| match c {
            Cond::Or(inner) => inner,
            c => vec![c],
        })
        .collect();
    all.retain(|c| *c != Cond::False);
    if all.contains(&Cond::True) {
        return Cond::True;
    }
    match all.len() {
        0 => Cond::False,
        1 => all.remove(0),
        _ => Cond::Or(all),
    }
}

fn and(all: Vec<Cond>) -> Cond {
    let mut all: Vec<Cond> = all
        .into_iter()
        .flat_map(|c| match c {
            Cond::And(inner) => inner,
            c => vec![c],
        })
        .collect();
    all.retain(|c| *c != Cond::True);
    if all.contains(&Cond::False) {
        return Cond::False;
    }
    match all.len() {
        0 => Cond::True,
        1 => all.remove(0),
        _ => Cond::And(all),
    }
}

fn not(c: Cond) -> Cond {
    match c {
        Cond::True => Cond::False,
        Cond::False => Cond::True,
        Cond::Not(inner) => *inner,
        c => Cond::Not(Box::new(c)),
    }
}

/// The protocol numbers whose records have ports, and their transports.
const TRANSPORTS: [(u64, Transport); 4] = [
    (6, Transport::Tcp),
    (17, Transport::Udp),
    (33, Transport::Dccp),
    (132, Transport::Sctp),
];

/// Lowers expressions, gathering what could not be said exactly.
pub(crate) struct Lower<'a> {
    aws: Option<&'a AwsRanges>,
    pub(crate) notes: Vec<Note>,
}

impl<'a> Lower<'a> {
    pub(crate) fn new(aws: Option<&'a AwsRanges>) -> Lower<'a> {
        Lower {
            aws,
            notes: Vec::new(),
        }
    }

    fn note(&mut self, n: Note) {
        if !self.notes.contains(&n) {
            self.notes.push(n);
        }
    }

    /// `e` as a test of fields.
    pub(crate) fn expr(&mut self, e: &Expr) -> Cond {
        match e {
            Expr::Or(all) => or(all.iter().map(|e| self.expr(e)).collect()),
            Expr::And(all) => and(all.iter().map(|e| self.expr(e)).collect()),
            Expr::Not(e) => not(self.expr(e)),
            Expr::Text(t) => Cond::Free(t.clone()),
            Expr::Test(t) => self.test(t),
        }
    }

    fn test(&mut self, t: &Test) -> Cond {
        let p = &t.pred;
        match t.subject {
            Subject::Field(f) => field(f, p),
            Subject::Either(a, b) => or(vec![field(a, p), field(b, p)]),
            Subject::Scope(end) => {
                let holds = |ip: IpAddr| bit(p, names::scope_bit(scope::scope(ip).scope));
                addr_fact(end, p.absent, sets::scope_bounds(), holds)
            }
            Subject::AwsService(end) | Subject::AwsRegion(end) => {
                let region = matches!(t.subject, Subject::AwsRegion(_));
                let Some(aws) = self.aws else {
                    self.note(Note::NoRanges);
                    // As flowlens without ranges: no address is AWS's.
                    return addr_fact(end, p.absent, Bounds::default(), |_| p.absent);
                };
                let holds = |ip: IpAddr| match aws.lookup(ip) {
                    None => p.absent,
                    Some(x) if region => name(p, &x.region),
                    Some(x) => x.services.iter().any(|s| name(p, s)),
                };
                addr_fact(end, p.absent, sets::aws_bounds(aws), holds)
            }
            Subject::Cloud(end) => {
                if self.aws.is_none() {
                    self.note(Note::NoRanges);
                }
                let aws = self.aws;
                let holds = |ip: IpAddr| match derive::cloud(ip, aws) {
                    None => p.absent,
                    Some(c) => bit(p, names::provider_bit(c.provider)),
                };
                let mut b = sets::cloud_bounds();
                b.extend(&sets::scope_bounds());
                if let Some(a) = aws {
                    b.extend(&sets::aws_bounds(a));
                }
                addr_fact(end, p.absent, b, holds)
            }
            Subject::FromInternet | Subject::ToInternet => {
                self.note(Note::OwnAddress);
                if self.aws.is_none() {
                    self.note(Note::NoRanges);
                }
                let aws = self.aws;
                let end = if t.subject == Subject::FromInternet {
                    End::Src
                } else {
                    End::Dst
                };
                let holds = |ip: IpAddr| derive::internet(ip, None, aws) && bit(p, 1);
                let mut b = sets::scope_bounds();
                if let Some(a) = aws {
                    b.extend(&sets::aws_bounds(a));
                }
                addr_fact(end, false, b, holds)
            }
            // What AWS writes has no problem: a value that does not fit its field only comes
            // from a line edited by hand.
            Subject::Problem => {
                if bit(p, 1) {
                    Cond::False
                } else {
                    Cond::True
                }
            }
            Subject::Service => self.service(p),
            Subject::Role => {
                self.note(Note::Role);
                let request = role_closest(id::SRCPORT, id::DSTPORT);
                let reply = role_closest(id::DSTPORT, id::SRCPORT);
                let mut all = Vec::new();
                if bit(p, names::REQUEST) {
                    all.push(request.clone());
                }
                if bit(p, names::REPLY) {
                    all.push(reply.clone());
                }
                if p.absent {
                    all.push(not(or(vec![request, reply])));
                }
                or(all)
            }
            Subject::Direction => {
                self.note(Note::Direction);
                let mut all = Vec::new();
                if p.absent {
                    all.push(Cond::Absent(id::FLOW_DIRECTION));
                }
                let mut words = Vec::new();
                if bit(p, names::INBOUND) {
                    words.push((TextOp::Eq, "ingress".into()));
                }
                if bit(p, names::OUTBOUND) {
                    words.push((TextOp::Eq, "egress".into()));
                }
                if !words.is_empty() {
                    all.push(Cond::Texts(id::FLOW_DIRECTION, words));
                }
                or(all)
            }
        }
    }

    /// `service`: the ports each name is on, at either end, on the protocol whose registry
    /// names it (any transport when the record has no protocol).
    fn service(&mut self, p: &Pred) -> Cond {
        let Values::Names(wanted) = &p.values else {
            if p.absent {
                self.note(Note::ServiceAbsent);
                return service_absent_closest();
            }
            return Cond::False;
        };
        let named = |s: Option<port::PortService>| {
            s.is_some_and(|s| wanted.iter().any(|n| derive::service_named(&s, n)))
        };
        let mut all = Vec::new();
        let mut client_side_possible = false;
        let mut ports_of = |f: &dyn Fn(u16) -> bool| {
            let ports: Vec<u16> = (0..=u16::MAX).filter(|p| f(*p)).collect();
            client_side_possible |= ports.iter().any(|p| *p >= 1024);
            runs(&ports)
        };
        for (number, t) in TRANSPORTS {
            let ports = ports_of(&|p| named(port::service(p, t)));
            if !ports.is_empty() {
                all.push(and(vec![
                    Cond::Nums(id::PROTOCOL, vec![(number, number)]),
                    either_port(ports),
                ]));
            }
        }
        let any = ports_of(&|p| named(port::service_any(p)));
        if !any.is_empty() {
            all.push(and(vec![Cond::Absent(id::PROTOCOL), either_port(any)]));
        }
        if client_side_possible {
            self.note(Note::ServicePorts);
        }
        if p.absent {
            self.note(Note::ServiceAbsent);
            all.push(service_absent_closest());
        }
        or(all)
    }
}

/// Either port in `ports`.
fn either_port(ports: Vec<(u64, u64)>) -> Cond {
    or(vec![
        Cond::Nums(id::DSTPORT, ports.clone()),
        Cond::Nums(id::SRCPORT, ports),
    ])
}

/// Sorted ports as inclusive runs.
fn runs(ports: &[u16]) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    for &p in ports {
        let p = u64::from(p);
        match out.last_mut() {
            Some((_, hi)) if *hi + 1 == p => *hi = p,
            _ => out.push((p, p)),
        }
    }
    out
}

/// The closest form of "the ports tell the client (`client`) and the server (`server`)": the
/// server on a system port (1-1023), the client on another; flowlens also ranks named and
/// registered ports (see [`crate::classify::roles`]).
fn role_closest(client: FieldId, server: FieldId) -> Cond {
    let transports = TRANSPORTS.iter().map(|(n, _)| (*n, *n)).collect();
    and(vec![
        Cond::Nums(id::PROTOCOL, transports),
        Cond::Nums(server, vec![(1, 1023)]),
        Cond::Nums(client, vec![(1024, 65535)]),
    ])
}

/// The closest form of "no service": a protocol without ports, or no ports.
fn service_absent_closest() -> Cond {
    let transports = TRANSPORTS.iter().map(|(n, _)| (*n, *n)).collect();
    or(vec![
        and(vec![
            not(Cond::Absent(id::PROTOCOL)),
            not(Cond::Nums(id::PROTOCOL, transports)),
        ]),
        and(vec![Cond::Absent(id::SRCPORT), Cond::Absent(id::DSTPORT)]),
    ])
}

fn bit(p: &Pred, b: u32) -> bool {
    matches!(p.values, Values::Set(set) if set & b != 0)
}

fn name(p: &Pred, n: &str) -> bool {
    matches!(&p.values, Values::Names(all) if all.iter().any(|a| a.eq_ignore_ascii_case(n)))
}

/// A test of one field's value.
fn field(f: FieldId, p: &Pred) -> Cond {
    let mut all = Vec::new();
    if p.absent {
        all.push(Cond::Absent(f));
    }
    match &p.values {
        Values::Numbers(r) | Values::Times(r) if !r.is_empty() => {
            all.push(Cond::Nums(f, r.clone()));
        }
        Values::Addrs(r) if !r.is_empty() => {
            let nets = r.iter().flat_map(|r| sets::cidrs(*r)).collect();
            all.push(Cond::Addrs(f, nets));
        }
        Values::Texts(t) if !t.is_empty() => all.push(Cond::Texts(f, t.clone())),
        _ => {}
    }
    or(all)
}

/// A fact of an address (at `end`) that `holds` tells for each present address; with `absent`,
/// an absent address passes too. Exact: the address space is cut where any of `bounds` starts
/// a block, and `holds` is asked once per piece.
fn addr_fact(end: End, absent: bool, bounds: Bounds, holds: impl Fn(IpAddr) -> bool) -> Cond {
    let nets = sets::pieces(&bounds, holds);
    let at = |f: FieldId| {
        let mut all = Vec::new();
        if absent {
            all.push(Cond::Absent(f));
        }
        if !nets.is_empty() {
            all.push(Cond::Addrs(f, nets.clone()));
        }
        or(all)
    };
    match end {
        End::Src => at(id::SRCADDR),
        End::Dst => at(id::DSTADDR),
        End::Either => or(vec![at(id::SRCADDR), at(id::DSTADDR)]),
    }
}
