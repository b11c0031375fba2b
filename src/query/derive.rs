//! The facts a filter and the CSV export derive from a record's values, each computed from the few
//! values it needs (the caller reads them from columns it resolved once per format). They follow
//! the explanations' rules, which `tests/query.rs` checks against the explained entries.

use crate::classify::aws::AwsRanges;
use crate::classify::clouds::{self, CloudPrefix};
use crate::classify::port::{self, PortService, Transport};
use crate::classify::protocol;
use crate::classify::roles::{self, Roles};
use crate::classify::scope::{self, Scope};
use crate::model::value::ValueRef;
use std::net::IpAddr;

/// What the protocol says of a record's ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ports {
    /// No protocol: the ports are read on any transport.
    Unknown,
    /// A protocol without ports (ICMP, ESP, ...): the port fields hold no port.
    None,
    /// The ports of this transport.
    Of(Transport),
}

/// What `protocol` (the record's protocol value) says of its ports.
#[inline]
pub(crate) fn ports(protocol: ValueRef<'_>) -> Ports {
    match protocol.uint().map(u8::try_from) {
        Some(Ok(n)) => protocol::protocol(n)
            .transport()
            .map_or(Ports::None, Ports::Of),
        _ => Ports::Unknown,
    }
}

fn port(v: ValueRef<'_>) -> Option<u16> {
    v.uint().and_then(|p| u16::try_from(p).ok())
}

/// Which end is the client and which the server, when the ports tell.
#[inline]
pub(crate) fn roles(
    protocol: ValueRef<'_>,
    srcport: ValueRef<'_>,
    dstport: ValueRef<'_>,
) -> Option<Roles> {
    match ports(protocol) {
        Ports::Of(t) => roles::roles(port(srcport)?, port(dstport)?, t),
        _ => None,
    }
}

/// The services of a record: the one on the server's port when the ports tell which end is the
/// server, else those of both ports (each on the record's transport, or on any when the record
/// has no protocol); none for a protocol without ports.
pub(crate) fn services(
    protocol: ValueRef<'_>,
    srcport: ValueRef<'_>,
    dstport: ValueRef<'_>,
) -> [Option<PortService>; 2] {
    let on = ports(protocol);
    let service = |p: ValueRef<'_>| match on {
        Ports::None => None,
        Ports::Unknown => port::service_any(port(p)?),
        Ports::Of(t) => port::service(port(p)?, t),
    };
    let server = match on {
        Ports::Of(t) => port(srcport)
            .zip(port(dstport))
            .and_then(|(s, d)| roles::roles(s, d, t)),
        _ => None,
    };
    match server {
        Some(r) if r.is_request() => [None, service(dstport)],
        Some(_) => [service(srcport), None],
        None => [service(srcport), service(dstport)],
    }
}

/// True when the service answers to `name` (lower case): its IANA name, the name users know, or
/// a part of that name between ` / ` (`redis` for "Redis / Amazon ElastiCache").
pub(crate) fn service_named(s: &PortService, name: &str) -> bool {
    s.name.eq_ignore_ascii_case(name)
        || s.common.is_some_and(|c| {
            c.eq_ignore_ascii_case(name) || c.split(" / ").any(|p| p.eq_ignore_ascii_case(name))
        })
}

/// Into or out of the record's network interface: from `flow-direction` when the record has
/// it, else from the interface's own address (`own`) at one end, as the explanations say it.
/// `Some(true)` inbound.
pub(crate) fn inbound(
    flow_direction: ValueRef<'_>,
    own: Option<IpAddr>,
    src: Option<IpAddr>,
    dst: Option<IpAddr>,
) -> Option<bool> {
    match flow_direction.text() {
        Some("ingress") => return Some(true),
        Some("egress") => return Some(false),
        _ => {}
    }
    let own = own?;
    match (src, dst) {
        (Some(s), Some(d)) if s == d => None,
        (Some(s), _) if s == own => Some(false),
        (_, Some(d)) if d == own => Some(true),
        _ => None,
    }
}

/// True for a host on the internet: a public address that is not in AWS's ranges (when loaded)
/// and is not the record's own interface's address (`own`). A host of another cloud is one.
#[inline]
pub(crate) fn internet(ip: IpAddr, own: Option<IpAddr>, aws: Option<&AwsRanges>) -> bool {
    scope::scope(ip).scope == Scope::Public
        && own != Some(ip)
        && aws.and_then(|a| a.lookup(ip)).is_none()
}

/// The other cloud whose published ranges hold `ip`, for a public address that is not AWS's
/// (AWS's ranges when loaded), as the explanations name it.
#[inline]
pub(crate) fn cloud(ip: IpAddr, aws: Option<&AwsRanges>) -> Option<CloudPrefix> {
    if scope::scope(ip).scope != Scope::Public || aws.and_then(|a| a.lookup(ip)).is_some() {
        return None;
    }
    clouds::lookup(ip)
}
