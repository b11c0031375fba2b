//! Records as CSV (RFC 4180: fields quoted when they hold a comma, a quote or a line break,
//! quotes doubled, lines ended by CRLF): the line number, one column per field of the formats
//! the input's records have (in the order they are met; empty where a record's format lacks the
//! field or its value is `-`), then the facts flowlens derives ([`DERIVED_COLUMNS`]).

use super::derive;
use super::value::seconds;
use crate::classify::aws::AwsRanges;
use crate::classify::protocol;
use crate::classify::scope;
use crate::facts::InputFacts;
use crate::model::fields::id;
use crate::model::format::Format;
use crate::model::record::RecordRef;
use crate::model::value::ValueRef;
use crate::store::{Decoded, Store};
use crate::text::time;
use std::io::{self, Write};
use std::net::IpAddr;

/// The derived columns, after the fields: times in UTC, the protocol's name, the server port's
/// service, the record's role and direction, each end's scope, AWS service(s) and region, other
/// cloud, and whether each end is a host on the internet (as the filter language defines them).
pub const DERIVED_COLUMNS: [&str; 16] = [
    "start_utc",
    "end_utc",
    "protocol_name",
    "service",
    "role",
    "direction",
    "src_scope",
    "dst_scope",
    "src_aws_service",
    "src_aws_region",
    "dst_aws_service",
    "dst_aws_region",
    "src_cloud",
    "dst_cloud",
    "from_internet",
    "to_internet",
];

/// Writes the records of one input as CSV.
#[derive(Debug)]
pub struct Csv<'a> {
    store: &'a Store,
    facts: &'a InputFacts,
    aws: Option<&'a AwsRanges>,
    file: Option<&'a str>,
    /// The field columns' names.
    names: Vec<&'a str>,
    /// For each format: the column of each name.
    by_format: Vec<Vec<Option<usize>>>,
}

impl<'a> Csv<'a> {
    /// A writer of `decoded`'s records, AWS ownership from `aws`; with `file`, a first column
    /// `file` holds it (for several inputs in one CSV).
    pub fn new(decoded: &'a Decoded, aws: Option<&'a AwsRanges>, file: Option<&'a str>) -> Csv<'a> {
        Csv::of_store(decoded.store(), decoded.facts(), aws, file)
    }

    /// The same for a store and its facts.
    pub fn of_store(
        store: &'a Store,
        facts: &'a InputFacts,
        aws: Option<&'a AwsRanges>,
        file: Option<&'a str>,
    ) -> Csv<'a> {
        let mut names: Vec<&str> = Vec::new();
        for f in store.formats_in_use() {
            for c in &f.columns {
                if !names.contains(&c.name()) {
                    names.push(c.name());
                }
            }
        }
        let by_format = store
            .formats()
            .iter()
            .map(|f: &Format| names.iter().map(|n| f.position(n)).collect())
            .collect();
        Csv {
            store,
            facts,
            aws,
            file,
            names,
            by_format,
        }
    }

    /// The header line, without its line end.
    pub fn header(&self) -> String {
        let mut cells: Vec<&str> = Vec::new();
        if self.file.is_some() {
            cells.push("file");
        }
        cells.push("line");
        cells.extend(&self.names);
        cells.extend(DERIVED_COLUMNS);
        let mut line = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            cell(&mut line, c);
        }
        String::from_utf8(line).unwrap_or_default()
    }

    /// Writes the header line.
    pub fn write_header(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(self.header().as_bytes())?;
        out.write_all(b"\r\n")
    }

    /// Writes one line per row of `rows` that is a record (other rows are skipped).
    pub fn write_rows(&self, out: &mut impl Write, rows: &[u32]) -> io::Result<()> {
        let mut values = Vec::new();
        let mut line = Vec::new();
        for &row in rows {
            let Some((number, format)) = self.store.record_into(row as usize, &mut values) else {
                continue;
            };
            let Some(cols) = self
                .store
                .formats()
                .iter()
                .position(|f| std::ptr::eq(f, format))
                .and_then(|i| self.by_format.get(i))
            else {
                continue;
            };
            line.clear();
            if let Some(f) = self.file {
                cell(&mut line, f);
                line.push(b',');
            }
            line.extend_from_slice(number.to_string().as_bytes());
            for c in cols {
                line.push(b',');
                let v = c.and_then(|c| values.get(c).copied());
                cell(&mut line, &value_text(v.unwrap_or(ValueRef::Absent)));
            }
            let rec = RecordRef {
                format,
                values: &values,
            };
            for d in self.derived(&rec) {
                line.push(b',');
                cell(&mut line, &d);
            }
            line.extend_from_slice(b"\r\n");
            out.write_all(&line)?;
        }
        Ok(())
    }

    /// The values of [`DERIVED_COLUMNS`] for `rec` (empty where a fact has no value).
    pub fn derived(&self, rec: &RecordRef<'_>) -> [String; 16] {
        let v = |f| rec.field(f).unwrap_or(ValueRef::Absent);
        let utc = |f| {
            rec.uint(f)
                .map(|t| time::utc(seconds(t)))
                .unwrap_or_default()
        };
        let (protocol, srcport, dstport) = (v(id::PROTOCOL), v(id::SRCPORT), v(id::DSTPORT));
        let protocol_name = protocol
            .uint()
            .and_then(|n| u8::try_from(n).ok())
            .map(|n| protocol::protocol(n).keyword.to_string())
            .unwrap_or_default();
        let mut services: Vec<&str> = derive::services(protocol, srcport, dstport)
            .iter()
            .flatten()
            .map(|s| s.name)
            .collect();
        services.dedup();
        let role = match derive::roles(protocol, srcport, dstport) {
            Some(r) if r.is_request() => "request",
            Some(_) => "reply",
            None => "",
        };
        let (src, dst) = (rec.addr(id::SRCADDR), rec.addr(id::DSTADDR));
        let own = rec
            .text(id::INTERFACE_ID)
            .and_then(|i| self.facts.interface_address(i));
        let direction = match derive::inbound(v(id::FLOW_DIRECTION), own, src, dst) {
            Some(true) => "inbound",
            Some(false) => "outbound",
            None => "",
        };
        let scope = |a: Option<IpAddr>| a.map(|a| scope::scope(a).scope.key()).unwrap_or("");
        let prefix = |a: Option<IpAddr>| a.and_then(|a| self.aws?.lookup(a));
        let aws_services = |a| {
            prefix(a)
                .map(|p| {
                    let all: Vec<&str> = p.services.iter().map(|s| &**s).collect();
                    all.join(" ")
                })
                .unwrap_or_default()
        };
        let region = |a| prefix(a).map(|p| p.region.to_string()).unwrap_or_default();
        let cloud = |a: Option<IpAddr>| {
            a.and_then(|a| derive::cloud(a, self.aws))
                .map_or("", |c| c.provider)
        };
        let internet = |a: Option<IpAddr>| {
            a.is_some_and(|a| derive::internet(a, own, self.aws))
                .to_string()
        };
        [
            utc(id::START),
            utc(id::END),
            protocol_name,
            services.join(" "),
            role.into(),
            direction.into(),
            scope(src).into(),
            scope(dst).into(),
            aws_services(src),
            region(src),
            aws_services(dst),
            region(dst),
            cloud(src).into(),
            cloud(dst).into(),
            internet(src),
            internet(dst),
        ]
    }
}

/// A value as the CSV writes it: `-` as an empty cell.
fn value_text(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Absent => String::new(),
        ValueRef::UInt(n) => n.to_string(),
        ValueRef::Addr(a) => a.to_string(),
        ValueRef::Text(t) => t.to_string(),
    }
}

/// Appends `text` as one CSV field, quoted when it must be.
fn cell(out: &mut Vec<u8>, text: &str) {
    if text.contains([',', '"', '\r', '\n']) {
        out.push(b'"');
        for b in text.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        let mut out = Vec::new();
        for t in ["plain", "a,b", "say \"hi\"", "two\r\nlines", ""] {
            cell(&mut out, t);
            out.push(b'|');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\r\nlines\"||"
        );
    }
}
