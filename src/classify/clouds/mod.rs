//! Other clouds' published address ranges (Google Cloud, Oracle Cloud, Cloudflare): a
//! longest-prefix-match index over the generated table [`crate::classify::clouds::published`].
//!
//! The index is built on first use with the same interval flattening as the AWS index
//! ([`super::intervals`]).

use super::intervals::{find, flatten, v4_range, v6_range, Interval};
pub mod published;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use published::{PLACES, PROVIDERS, V4, V6};
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

/// The most specific published prefix of another cloud containing an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CloudPrefix {
    /// "Google Cloud", "Oracle Cloud" or "Cloudflare".
    pub provider: &'static str,
    /// The prefix, e.g. `34.80.0.0/15`.
    #[serde(serialize_with = "as_text")]
    pub prefix: IpNet,
    /// The region the provider gives ("us-central1", "us-ashburn-1"), if any.
    pub region: Option<&'static str>,
    /// The service the provider gives (Oracle: "OCI", "OSN", "OBJECT_STORAGE"), if any.
    pub service: Option<&'static str>,
}

fn as_text<S: serde::Serializer>(net: &IpNet, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(net)
}

struct Index {
    v4: Vec<Interval<u32>>,
    v6: Vec<Interval<u128>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let v4 = V4
            .iter()
            .enumerate()
            .map(|(i, &(net, len, _, _))| {
                let (first, last) = v4_range(net, len);
                (first, last, i as u32)
            })
            .collect();
        let v6 = V6
            .iter()
            .enumerate()
            .map(|(i, &(net, len, _, _))| {
                let (first, last) = v6_range(net, len);
                (first, last, i as u32)
            })
            .collect();
        Index {
            v4: flatten(v4).0,
            v6: flatten(v6).0,
        }
    })
}

fn entry(provider: u8, place: u16, prefix: IpNet) -> CloudPrefix {
    let (region, service) = PLACES.get(usize::from(place)).copied().unwrap_or(("", ""));
    CloudPrefix {
        provider: PROVIDERS.get(usize::from(provider)).copied().unwrap_or("?"),
        prefix,
        region: Some(region).filter(|r| !r.is_empty()),
        service: Some(service).filter(|s| !s.is_empty()),
    }
}

/// The most specific prefix of another cloud containing `ip`, if one lists it.
pub fn lookup(ip: IpAddr) -> Option<CloudPrefix> {
    let idx = index();
    let v4 = match ip {
        IpAddr::V4(a) => Some(a),
        IpAddr::V6(a) => a.to_ipv4_mapped(),
    };
    match (v4, ip) {
        (Some(a), _) => {
            let i = find(&idx.v4, u32::from(a))? as usize;
            let (net, len, provider, place) = V4[i];
            let prefix = Ipv4Net::new(Ipv4Addr::from(net), len).ok()?;
            Some(entry(provider, place, IpNet::V4(prefix)))
        }
        (None, IpAddr::V6(a)) => {
            let i = find(&idx.v6, u128::from(a))? as usize;
            let (net, len, provider, place) = V6[i];
            let prefix = Ipv6Net::new(Ipv6Addr::from(net), len).ok()?;
            Some(entry(provider, place, IpNet::V6(prefix)))
        }
        (None, IpAddr::V4(_)) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ip: &str) -> Option<CloudPrefix> {
        lookup(ip.parse().unwrap())
    }

    #[test]
    fn google_cloud() {
        let p = at("34.80.1.2").unwrap();
        assert_eq!(p.provider, "Google Cloud");
        assert_eq!(p.prefix.to_string(), "34.80.0.0/15");
        assert_eq!(p.region, Some("asia-east1"));
        assert_eq!(p.service, None);
        let p = at("2600:1900:8000::1").unwrap();
        assert_eq!(
            (p.provider, p.region),
            ("Google Cloud", Some("africa-south1"))
        );
    }

    #[test]
    fn oracle_cloud() {
        let p = at("129.80.1.1").unwrap();
        assert_eq!(p.provider, "Oracle Cloud");
        assert_eq!(p.prefix.to_string(), "129.80.0.0/16");
        assert_eq!((p.region, p.service), (Some("us-ashburn-1"), Some("OCI")));
    }

    #[test]
    fn cloudflare() {
        let p = at("104.16.1.1").unwrap();
        assert_eq!(p.provider, "Cloudflare");
        assert_eq!(p.prefix.to_string(), "104.16.0.0/13");
        assert_eq!((p.region, p.service), (None, None));
        assert_eq!(at("2606:4700::1111").unwrap().provider, "Cloudflare");
        assert_eq!(at("::ffff:104.16.1.1").unwrap().provider, "Cloudflare");
    }

    #[test]
    fn not_listed() {
        // Google Public DNS is Google's, but not a Google Cloud customer range.
        assert_eq!(at("8.8.8.8"), None);
        assert_eq!(at("10.0.4.135"), None);
        assert_eq!(at("15.152.63.145"), None);
        assert_eq!(at("2001:db8::1"), None);
    }

    #[test]
    fn table_is_sorted_and_well_formed() {
        assert!(V4.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
        assert!(V6.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
        for &(net, len, provider, place) in V4 {
            assert!(len <= 32 && v4_range(net, len).0 == net);
            assert!(usize::from(provider) < PROVIDERS.len() && usize::from(place) < PLACES.len());
        }
        for &(net, len, provider, place) in V6 {
            assert!(len <= 128 && v6_range(net, len).0 == net);
            assert!(usize::from(provider) < PROVIDERS.len() && usize::from(place) < PLACES.len());
        }
        assert_eq!(V4.len() + V6.len(), 782 + 896 + 22);
    }
}
