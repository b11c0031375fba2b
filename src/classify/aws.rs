//! AWS's published address ranges (ip-ranges.json): a longest-prefix-match index.
//!
//! The file lists each (prefix, service) pair; the same prefix appears under several services and
//! prefixes nest. The index merges the services of each prefix, links each prefix to its nearest
//! enclosing one (its supernet), and flattens the nested prefixes into sorted, disjoint intervals,
//! each pointing at the most specific prefix covering it, so a lookup is one binary search
//! (see [`super::intervals`]).

use super::intervals::{find, flatten, Interval};
use crate::fxhash::FxBuild;
use ipnet::IpNet;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;

/// One prefix of ip-ranges.json with everything the file says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsPrefix {
    /// The prefix, e.g. `15.152.0.0/16`.
    pub net: IpNet,
    /// Region code, e.g. `ap-northeast-3`, or `GLOBAL`.
    pub region: String,
    /// Every service the file lists for this prefix, in file order (`AMAZON`, `EC2`, ...).
    pub services: Vec<String>,
    /// Network border group (differs from the region for Local Zones and Wavelength Zones).
    pub network_border_group: Option<String>,
    /// Index of the nearest enclosing prefix, if any.
    pub parent: Option<u32>,
}

/// The loaded ranges and their index.
#[derive(Clone, Debug, Default)]
pub struct AwsRanges {
    /// The file's `createDate` (`YYYY-MM-DD-hh-mm-ss`, UTC).
    pub create_date: String,
    /// The file's `syncToken`.
    pub sync_token: String,
    /// Distinct prefixes.
    pub prefixes: Vec<AwsPrefix>,
    /// Number of IPv4 prefixes in `prefixes`.
    pub ipv4_count: usize,
    /// Entries in the file (one per prefix and service).
    pub entries: usize,
    v4: Vec<Interval<u32>>,
    v6: Vec<Interval<u128>>,
}

/// Why an ip-ranges.json was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsRangesError(pub String);

impl fmt::Display for AwsRangesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a usable ip-ranges.json: {}", self.0)
    }
}

impl std::error::Error for AwsRangesError {}

#[derive(Deserialize)]
struct RawFile<'a> {
    #[serde(rename = "syncToken", default)]
    sync_token: Option<String>,
    #[serde(rename = "createDate")]
    create_date: String,
    #[serde(borrow)]
    prefixes: Vec<RawPrefix<'a>>,
    #[serde(default, borrow)]
    ipv6_prefixes: Vec<RawPrefix<'a>>,
}

/// An entry, its strings borrowed from the file's text where they have no escapes (owned only
/// when kept).
#[derive(Deserialize)]
struct RawPrefix<'a> {
    #[serde(alias = "ipv6_prefix", borrow)]
    ip_prefix: Cow<'a, str>,
    #[serde(borrow)]
    region: Cow<'a, str>,
    #[serde(borrow)]
    service: Cow<'a, str>,
    #[serde(default, borrow)]
    network_border_group: Option<Cow<'a, str>>,
}

impl AwsRanges {
    /// Parses ip-ranges.json text and builds the index.
    ///
    /// A scanner specialised for the file's layout does the work; whatever it does not handle
    /// (escapes, unusual spellings, any error) goes through serde_json, which gives the messages.
    pub fn parse(json: &str) -> Result<AwsRanges, AwsRangesError> {
        match Self::parse_fast(json) {
            Some(r) => Ok(r),
            None => Self::parse_serde(json),
        }
    }

    /// The fast path alone: `None` where it would hand over to serde. For tests and benchmarks.
    #[doc(hidden)]
    pub fn parse_fast(json: &str) -> Option<AwsRanges> {
        let s = super::aws_scan::scan(json)?;
        let mut ranges = AwsRanges {
            create_date: s.create_date,
            sync_token: s.sync_token,
            prefixes: s.prefixes,
            ipv4_count: s.ipv4_count,
            entries: s.entries,
            v4: Vec::new(),
            v6: Vec::new(),
        };
        ranges.build_index();
        Some(ranges)
    }

    /// The serde path alone (what [`AwsRanges::parse`] falls back to). For tests and benchmarks.
    #[doc(hidden)]
    pub fn parse_serde(json: &str) -> Result<AwsRanges, AwsRangesError> {
        let raw: RawFile = serde_json::from_str(json).map_err(|e| AwsRangesError(e.to_string()))?;
        if raw.prefixes.is_empty() && raw.ipv6_prefixes.is_empty() {
            return Err(AwsRangesError("it lists no prefixes".into()));
        }
        let mut by_net: HashMap<IpNet, usize, FxBuild> = HashMap::default();
        let mut prefixes: Vec<AwsPrefix> = Vec::new();
        let entries = raw.prefixes.len() + raw.ipv6_prefixes.len();
        for (list, want_v4) in [(raw.prefixes, true), (raw.ipv6_prefixes, false)] {
            let name = if want_v4 { "prefixes" } else { "ipv6_prefixes" };
            for (i, p) in list.into_iter().enumerate() {
                // Where the entry is and what it says, shortened: the file may be hostile.
                let at = || format!("{name}[{i}]: '{}'", shown(&p.ip_prefix));
                let net: IpNet = p
                    .ip_prefix
                    .trim()
                    .parse()
                    .map_err(|_| AwsRangesError(format!("{} is not an IP prefix", at())))?;
                if matches!(net, IpNet::V4(_)) != want_v4 {
                    return Err(AwsRangesError(format!(
                        "{} is in the wrong list (IPv{} in {name})",
                        at(),
                        if want_v4 { 6 } else { 4 }
                    )));
                }
                // Host bits set: keep the network it names.
                let net = net.trunc();
                match by_net.get(&net) {
                    Some(&i) => {
                        let e = &mut prefixes[i];
                        if !e.services.iter().any(|s| *s == *p.service) {
                            e.services.push(p.service.into_owned());
                        }
                    }
                    None => {
                        by_net.insert(net, prefixes.len());
                        prefixes.push(AwsPrefix {
                            net,
                            region: p.region.into_owned(),
                            services: vec![p.service.into_owned()],
                            network_border_group: p.network_border_group.map(Cow::into_owned),
                            parent: None,
                        });
                    }
                }
            }
        }
        let ipv4_count = prefixes.iter().filter(|p| p.net.addr().is_ipv4()).count();
        let mut ranges = AwsRanges {
            create_date: raw.create_date,
            sync_token: raw.sync_token.unwrap_or_default(),
            prefixes,
            ipv4_count,
            entries,
            v4: Vec::new(),
            v6: Vec::new(),
        };
        ranges.build_index();
        Ok(ranges)
    }

    fn build_index(&mut self) {
        let mut v4: Vec<(u32, u32, u32)> = Vec::new();
        let mut v6: Vec<(u128, u128, u32)> = Vec::new();
        for (i, p) in self.prefixes.iter().enumerate() {
            match p.net {
                IpNet::V4(n) => v4.push((n.network().into(), n.broadcast().into(), i as u32)),
                IpNet::V6(n) => v6.push((n.network().into(), n.broadcast().into(), i as u32)),
            }
        }
        let (i4, parents4) = flatten(v4);
        let (i6, parents6) = flatten(v6);
        for (child, parent) in parents4.into_iter().chain(parents6) {
            self.prefixes[child as usize].parent = Some(parent);
        }
        self.v4 = i4;
        self.v6 = i6;
    }

    /// The most specific prefix containing `ip`, if AWS lists one.
    pub fn lookup(&self, ip: IpAddr) -> Option<&AwsPrefix> {
        let i = match ip {
            IpAddr::V4(a) => find(&self.v4, u32::from(a)),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => find(&self.v4, u32::from(v4)),
                None => find(&self.v6, u128::from(a)),
            },
        }?;
        self.prefixes.get(i as usize)
    }

    /// The prefixes enclosing `prefix`, nearest first.
    pub fn supernets<'a>(&'a self, prefix: &'a AwsPrefix) -> impl Iterator<Item = &'a AwsPrefix> {
        let mut next = prefix.parent;
        std::iter::from_fn(move || {
            let p = self.prefixes.get(next? as usize)?;
            next = p.parent;
            Some(p)
        })
    }

    /// Number of IPv6 prefixes.
    pub fn ipv6_count(&self) -> usize {
        self.prefixes.len() - self.ipv4_count
    }
}

/// At most 60 characters of a value from the file, for a message.
fn shown(s: &str) -> String {
    let mut out: String = s.chars().take(60).filter(|c| !c.is_control()).collect();
    if s.chars().nth(60).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> AwsRanges {
        AwsRanges::parse(
            r#"{"syncToken":"1","createDate":"2026-01-01-00-00-00","prefixes":[
            {"ip_prefix":"35.55.0.0/17","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"},
            {"ip_prefix":"35.55.126.0/24","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"},
            {"ip_prefix":"35.55.126.0/24","region":"us-east-1","service":"EC2","network_border_group":"us-east-1"},
            {"ip_prefix":"35.55.126.128/25","region":"us-east-1","service":"S3","network_border_group":"us-east-1"},
            {"ip_prefix":"1.2.3.4/32","region":"eu-west-1","service":"AMAZON","network_border_group":"eu-west-1"}],
            "ipv6_prefixes":[{"ipv6_prefix":"2600:1f00::/24","region":"us-west-2","service":"AMAZON","network_border_group":"us-west-2"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn nested_prefixes_give_the_longest_match_with_merged_services() {
        let r = small();
        let p = r.lookup("35.55.126.5".parse().unwrap()).unwrap();
        assert_eq!(p.net.to_string(), "35.55.126.0/24");
        assert_eq!(p.services, ["AMAZON", "EC2"]);
        let p = r.lookup("35.55.126.200".parse().unwrap()).unwrap();
        assert_eq!(p.net.to_string(), "35.55.126.128/25");
        let sup: Vec<String> = r.supernets(p).map(|p| p.net.to_string()).collect();
        assert_eq!(sup, ["35.55.126.0/24", "35.55.0.0/17"]);
        // after the nested ones, the outer prefix resumes
        let p = r.lookup("35.55.127.1".parse().unwrap()).unwrap();
        assert_eq!(p.net.to_string(), "35.55.0.0/17");
        let p = r.lookup("35.55.0.0".parse().unwrap()).unwrap();
        assert_eq!(p.net.to_string(), "35.55.0.0/17");
        assert!(r.lookup("35.55.128.0".parse().unwrap()).is_none());
        assert!(r.lookup("1.2.3.5".parse().unwrap()).is_none());
        assert!(r.lookup("1.2.3.4".parse().unwrap()).is_some());
        assert!(r.lookup("2600:1f00::1".parse().unwrap()).is_some());
        assert!(r.lookup("2601::1".parse().unwrap()).is_none());
        assert_eq!((r.ipv4_count, r.ipv6_count(), r.entries), (4, 1, 6));
    }

    #[test]
    fn malformed_files_are_refused_with_a_reason() {
        assert!(AwsRanges::parse("").is_err());
        assert!(AwsRanges::parse("{\"createDate\":\"x\",\"prefixes\":[]}").is_err());
        let e = AwsRanges::parse(
            r#"{"createDate":"x","prefixes":[{"ip_prefix":"2600::/16","region":"r","service":"S"}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("wrong list"), "{e}");
    }
}
