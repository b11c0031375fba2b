//! The fields of a record the facts read, and the key of a flow.

use crate::model::fields::{id, FieldId};
use crate::model::format::Format;
use crate::model::record::RecordRef;
use crate::model::value::ValueRef;
use std::net::IpAddr;

/// The fields the facts read of each record, in the order of a [`FlowValues`] row.
pub const FLOW_FIELDS: [FieldId; 7] = [
    id::INTERFACE_ID,
    id::SRCADDR,
    id::DSTADDR,
    id::SRCPORT,
    id::DSTPORT,
    id::PROTOCOL,
    id::ACTION,
];

/// One record's values of [`FLOW_FIELDS`], in that order ([`ValueRef::Absent`] where the format
/// lacks the field).
pub type FlowValues<'a> = [ValueRef<'a>; 7];

/// The column of each of [`FLOW_FIELDS`] in one format, resolved once per format.
pub type FlowColumns = [Option<usize>; 7];

/// The columns of [`FLOW_FIELDS`] in `format`.
pub fn flow_columns(format: &Format) -> FlowColumns {
    FLOW_FIELDS.map(|f| format.column(f))
}

/// A record's [`FlowValues`] from its values, given its format's [`FlowColumns`].
#[inline]
pub fn flow_values<'a>(cols: &FlowColumns, values: &[ValueRef<'a>]) -> FlowValues<'a> {
    cols.map(|c| {
        c.and_then(|c| values.get(c).copied())
            .unwrap_or(ValueRef::Absent)
    })
}

/// A record's [`FlowValues`].
pub fn record_flow_values<'a>(rec: &RecordRef<'a>) -> FlowValues<'a> {
    FLOW_FIELDS.map(|f| rec.field(f).unwrap_or(ValueRef::Absent))
}

/// The key of the flow from `src`:`sport` to `dst`:`dport` over `protocol`: a 64-bit hash of
/// all five, each 64-bit word folded in with a multiply and a shift (64-bit operations only, which
/// WebAssembly has natively), so that two of a million flows share a key with a probability of
/// about 2⁻²⁵.
fn flow_key(
    protocol: u64,
    src: IpAddr,
    sport: Option<u64>,
    dst: IpAddr,
    dport: Option<u64>,
) -> u64 {
    const K: [u64; 2] = [0xa076_1d64_78bd_642f, 0xe703_7ed1_a0b4_28db];
    fn fold(h: u64, word: u64) -> u64 {
        let x = (h ^ word).wrapping_mul(K[1]);
        (x ^ (x >> 29)).wrapping_mul(K[0])
    }
    fn addr(h: u64, a: IpAddr) -> u64 {
        match a {
            IpAddr::V4(a) => fold(h, u64::from(a.to_bits())),
            IpAddr::V6(a) => {
                let b = a.to_bits();
                fold(fold(h, (b >> 64) as u64 ^ K[0]), b as u64)
            }
        }
    }
    // Ports are at most 16 bits; absent ones get a value no port has.
    let port = |p: Option<u64>| p.map_or(1 << 20, |p| p & 0xf_ffff);
    let head = protocol << 48 ^ port(sport) << 24 ^ port(dport);
    let h = fold(K[0], head);
    addr(addr(h, src), dst)
}

/// The record's flow key, or that of its reverse.
pub(crate) fn key(s: &FlowValues<'_>, reversed: bool) -> Option<u64> {
    let protocol = s[5].uint()?;
    let (src, dst) = (s[1].addr()?, s[2].addr()?);
    let (sport, dport) = (s[3].uint(), s[4].uint());
    Some(if reversed {
        flow_key(protocol, dst, dport, src, sport)
    } else {
        flow_key(protocol, src, sport, dst, dport)
    })
}
