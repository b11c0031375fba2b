//! One short row per record, for a list of millions of records the page shows a screenful at a
//! time: time, source → destination, port and service, protocol, packets, bytes, action. Built
//! from the packed values only for the rows asked for.

use super::derive;
use super::value::seconds;
use crate::classify::protocol;
use crate::model::fields::id;
use crate::model::problem::record_problems;
use crate::model::record::RecordRef;
use crate::model::value::ValueRef;
use crate::store::Store;
use serde::Serialize;

/// A record in a line: what a compact list shows. Absent values are `null`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListRow {
    /// The store row (entry index), to ask for the record's full explanation.
    pub row: u32,
    /// The input's line number.
    pub line: u64,
    /// The first packet's time, in Unix seconds (records written in milliseconds are read in
    /// seconds).
    pub start: Option<u64>,
    /// The last packet's time, in Unix seconds.
    pub end: Option<u64>,
    /// The source address, as flowlens writes it.
    pub srcaddr: Option<String>,
    /// The source port.
    pub srcport: Option<u64>,
    /// The destination address.
    pub dstaddr: Option<String>,
    /// The destination port.
    pub dstport: Option<u64>,
    /// The protocol's keyword (`TCP`), else its number.
    pub protocol: Option<String>,
    /// The service on the server's port (the port the roles say, else the first one known).
    pub service: Option<&'static str>,
    /// Packets.
    pub packets: Option<u64>,
    /// Bytes.
    pub bytes: Option<u64>,
    /// `ACCEPT`, `REJECT`, or what the record says.
    pub action: Option<String>,
    /// `OK`, `NODATA`, `SKIPDATA`.
    pub log_status: Option<String>,
    /// `request` or `reply`, when the ports tell.
    pub role: Option<&'static str>,
    /// The network interface.
    pub interface_id: Option<String>,
    /// How many fields have a value that does not fit them (see [`crate::model::problem`]).
    pub problems: u32,
}

/// The list rows of `rows` (store rows; rows that are not records are skipped).
pub fn list_rows(store: &Store, rows: &[u32]) -> Vec<ListRow> {
    let mut values = Vec::new();
    rows.iter()
        .filter_map(|&row| {
            let (line, format) = store.record_into(row as usize, &mut values)?;
            let rec = RecordRef {
                format,
                values: &values,
            };
            Some(list_row(row, line, &rec))
        })
        .collect()
}

/// One record's list row.
pub fn list_row(row: u32, line: u64, rec: &RecordRef<'_>) -> ListRow {
    let v = |f| rec.field(f).unwrap_or(ValueRef::Absent);
    let text = |f| rec.text(f).map(str::to_string);
    let (proto, srcport, dstport) = (v(id::PROTOCOL), v(id::SRCPORT), v(id::DSTPORT));
    let protocol = proto.uint().map(|n| match u8::try_from(n) {
        Ok(p) => {
            let k = protocol::protocol(p).keyword;
            if k.is_empty() {
                n.to_string()
            } else {
                k.to_string()
            }
        }
        Err(_) => n.to_string(),
    });
    let roles = derive::roles(proto, srcport, dstport);
    let services = derive::services(proto, srcport, dstport);
    let service = services.iter().flatten().next().map(|s| s.name);
    ListRow {
        row,
        line,
        start: rec.uint(id::START).map(seconds),
        end: rec.uint(id::END).map(seconds),
        srcaddr: address(rec, id::SRCADDR),
        srcport: srcport.uint(),
        dstaddr: address(rec, id::DSTADDR),
        dstport: dstport.uint(),
        protocol,
        service,
        packets: rec.uint(id::PACKETS),
        bytes: rec.uint(id::BYTES),
        action: text(id::ACTION),
        log_status: text(id::LOG_STATUS),
        role: roles.map(|r| if r.is_request() { "request" } else { "reply" }),
        interface_id: text(id::INTERFACE_ID),
        problems: record_problems(rec.format, rec.values).count() as u32,
    }
}

/// An address as flowlens writes it, or as written when it is no address (`10.0.x.x`).
fn address(rec: &RecordRef<'_>, f: crate::model::fields::FieldId) -> Option<String> {
    match rec.field(f)? {
        ValueRef::Addr(a) => Some(a.to_string()),
        ValueRef::Text(t) => Some(t.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Decoded;

    #[test]
    fn the_docs_rejected_rdp_record_in_one_row() {
        let d = Decoded::decode(include_str!("../../tests/data/aws-docs-examples.log"));
        let rows = list_rows(d.store(), &[1, 1_000_000]);
        assert_eq!(rows.len(), 1, "a row past the end is skipped");
        let r = &rows[0];
        assert_eq!(r.line, 2);
        assert_eq!(r.srcaddr.as_deref(), Some("172.31.9.69"));
        assert_eq!(r.dstaddr.as_deref(), Some("172.31.9.12"));
        assert_eq!(r.dstport, Some(3389));
        assert_eq!(r.protocol.as_deref(), Some("TCP"));
        assert_eq!(r.service, Some("ms-wbt-server"));
        assert_eq!(r.action.as_deref(), Some("REJECT"));
        assert_eq!(r.role, Some("request"));
        assert_eq!(r.start, Some(1418530010));
    }
}
