//! The REJECT story's tallies: what the summary counts of each REJECT record beyond its source
//! address (the rejected sources table of [`super::tally`]): which part of the rejected traffic it
//! belongs to ([`Part`]: replies, from the internet, from AWS, from private addresses, other), its
//! source's /24 (IPv4) or /64 (IPv6) block, its source's owner ([`OwnerKey`]: an AWS service and
//! region, another cloud, the internet, a scope), its destination (the input's own addresses are
//! picked at report time), and, for requests, the distinct ports and destinations each source
//! probed (scans).
//!
//! **AWS's ranges at tally time.** A source's owner and whether it is AWS's are decided per
//! record with the ranges the [`super::Overview`] was given before its records
//! ([`super::Overview::set_aws_ranges`]); without them no address is AWS's (as a filter run
//! without ranges says). Everything else is decided from the record alone, so that every path
//! (the store, the streaming summariser, the page's hand-off) counts alike.
//!
//! **Bounded.** Blocks and destinations are top tables ([`TopK`], [`super::MAX_KEYS`] keys);
//! owners are bounded by the ranges' prefixes and the few clouds and scopes; scans keep
//! [`SCAN_KEYS`] sources with two distinct counts each, exact up to [`SCAN_DISTINCT`].

use crate::classify::aws::{AwsPrefix, AwsRanges, Name};
use crate::classify::clouds;
use crate::classify::scope::{self, Scope};
use crate::overview::fields::Addr;
use crate::overview::topk::TopK;
use crate::util::distinct::{hash64, Distinct};
use crate::util::fxhash::FxBuild;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

/// Sources kept by the scans table (at least; at most twice).
pub const SCAN_KEYS: usize = 256;
/// Distinct ports and destinations counted exactly per scanning source; estimated beyond.
pub const SCAN_DISTINCT: usize = 256;
/// Distinct sources counted exactly per owner; estimated beyond.
pub const OWNER_DISTINCT: usize = 4096;
/// Example ports remembered per scanning source.
pub const SCAN_EXAMPLES: usize = 8;

/// The parts of the rejected traffic, in the report's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Part {
    /// A reply (server port → the client's ephemeral port): the likely network ACL case.
    Reply = 0,
    /// A request (or a record of unknown roles) from a public address not in AWS's ranges.
    Internet = 1,
    /// The same from a public address in AWS's ranges.
    Aws = 2,
    /// The same from a private (RFC 1918) or unique-local address.
    Private = 3,
    /// The same from another scope, or without a source address.
    Other = 4,
}

/// Number of [`Part`]s tallied (the report adds the input's own public addresses, moved out of
/// [`Part::Internet`]).
pub(crate) const PARTS: usize = 5;

/// Who owns a source address, compactly (the AWS groups are interned in [`Owners`]).
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum OwnerKey {
    /// An AWS group (services listed + region): an index in [`Owners::groups`].
    Aws(u32),
    /// Another cloud: an index in [`clouds::published::PROVIDERS`].
    Cloud(u8),
    /// A public address with no known owner.
    Internet,
    /// An address of another scope (its [`Scope`] as its index in [`Scope::ALL`]).
    Scope(u8),
    /// No source address.
    NoAddress,
}

/// One AWS group: the services the most specific prefix lists, and its region.
#[derive(Clone, Debug)]
pub(crate) struct AwsGroup {
    pub(crate) services: Arc<[Name]>,
    pub(crate) region: Name,
}

/// The AWS groups met, interned.
#[derive(Clone, Debug, Default)]
pub(crate) struct Owners {
    pub(crate) groups: Vec<AwsGroup>,
    /// (services list, region) by the addresses of their shared texts → group.
    by_ptr: HashMap<(usize, usize), u32, FxBuild>,
    /// The same by their texts.
    by_text: HashMap<(Box<str>, Box<str>), u32, FxBuild>,
}

impl Owners {
    fn group(&mut self, p: &AwsPrefix) -> u32 {
        let ptrs = (
            Arc::as_ptr(&p.services) as *const Name as usize,
            Arc::as_ptr(&p.region) as *const u8 as usize,
        );
        if let Some(g) = self.by_ptr.get(&ptrs) {
            return *g;
        }
        let joined: String = p
            .services
            .iter()
            .map(|s| &**s)
            .collect::<Vec<_>>()
            .join(",");
        let key = (joined.into_boxed_str(), Box::<str>::from(&*p.region));
        let next = self.groups.len() as u32;
        let g = *self.by_text.entry(key).or_insert_with(|| next);
        if g == next {
            self.groups.push(AwsGroup {
                services: p.services.clone(),
                region: p.region.clone(),
            });
        }
        self.by_ptr.insert(ptrs, g);
        g
    }
}

/// Records, bytes and replies (of REJECT records).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Rej {
    pub(crate) records: u64,
    pub(crate) bytes: u64,
    pub(crate) replies: u64,
}

impl Rej {
    #[inline]
    fn add(&mut self, bytes: u64, reply: bool) {
        self.records += 1;
        self.bytes = self.bytes.saturating_add(bytes);
        self.replies += u64::from(reply);
    }
}

/// One source block's figures.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BlockTally {
    pub(crate) rej: Rej,
    /// The sources seen: a bit per last octet (IPv4: exact), per 8 bits of a hash (IPv6).
    pub(crate) sources: [u64; 4],
}

impl BlockTally {
    pub(crate) fn sources(&self) -> u64 {
        self.sources.iter().map(|w| u64::from(w.count_ones())).sum()
    }
}

/// One owner's figures.
#[derive(Clone, Debug)]
pub(crate) struct OwnerTally {
    pub(crate) rej: Rej,
    pub(crate) sources: Distinct,
}

impl Default for OwnerTally {
    fn default() -> Self {
        OwnerTally {
            rej: Rej::default(),
            sources: Distinct::new(OWNER_DISTINCT),
        }
    }
}

/// Distinct values of one source: the first [`FEW`] hashes inline (no allocation: most sources
/// try one or two ports), then a [`Distinct`] exact up to [`SCAN_DISTINCT`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Few {
    few: [u64; FEW],
    n: usize,
    many: Option<Box<Distinct>>,
}

/// Hashes a [`Few`] holds inline.
const FEW: usize = 8;

impl Few {
    #[inline]
    pub(crate) fn add(&mut self, h: u64) {
        if let Some(d) = &mut self.many {
            d.add(h);
        } else if !self.few[..self.n].contains(&h) {
            if self.n < FEW {
                self.few[self.n] = h;
                self.n += 1;
            } else {
                let mut d = Distinct::new(SCAN_DISTINCT);
                for x in self.few {
                    d.add(x);
                }
                d.add(h);
                self.many = Some(Box::new(d));
            }
        }
    }

    /// How many (exact while [`Few::is_exact`]).
    pub(crate) fn count(&self) -> u64 {
        self.many.as_ref().map_or(self.n as u64, |d| d.count())
    }

    /// False when estimated.
    pub(crate) fn is_exact(&self) -> bool {
        self.many.as_ref().is_none_or(|d| d.is_exact())
    }
}

/// One source's probes: its rejected requests' distinct destination ports and addresses.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scan {
    pub(crate) records: u64,
    pub(crate) bytes: u64,
    pub(crate) ports: Few,
    pub(crate) dsts: Few,
    /// The first distinct ports seen (`n_examples` of them).
    pub(crate) examples: [u16; SCAN_EXAMPLES],
    pub(crate) n_examples: usize,
}

/// The REJECT story being tallied.
#[derive(Debug)]
pub(crate) struct RejectTally {
    pub(crate) aws: Option<Arc<AwsRanges>>,
    pub(crate) parts: [Rej; PARTS],
    pub(crate) blocks: TopK<Addr, BlockTally>,
    pub(crate) owners: TopK<OwnerKey, OwnerTally>,
    pub(crate) groups: Owners,
    pub(crate) scans: TopK<Addr, Scan>,
}

/// The /24 (IPv4) or /64 (IPv6) block holding `a`.
#[inline]
pub(crate) fn block(a: Addr) -> Addr {
    if a.v6 {
        Addr { lo: 0, ..a }
    } else {
        Addr {
            lo: a.lo & 0xFFFF_FF00,
            ..a
        }
    }
}

impl RejectTally {
    pub(crate) fn new(max_keys: usize) -> RejectTally {
        RejectTally {
            aws: None,
            parts: [Rej::default(); PARTS],
            blocks: TopK::counting_distinct(max_keys),
            owners: TopK::new(max_keys),
            groups: Owners::default(),
            scans: TopK::new(SCAN_KEYS),
        }
    }

    /// One REJECT record: its source and destination, bytes, whether it is a reply, and its
    /// destination port when it has one.
    #[inline]
    pub(crate) fn add(
        &mut self,
        src: Option<Addr>,
        dst: Option<Addr>,
        bytes: u64,
        reply: bool,
        dport: Option<u16>,
    ) {
        let ip = src.map(Addr::ip);
        let sc = ip.map(|ip| scope::scope(ip).scope);
        let prefix = match (&self.aws, ip) {
            (Some(r), Some(ip)) => r.lookup(ip),
            _ => None,
        };
        let part = if reply {
            Part::Reply
        } else {
            match sc {
                Some(Scope::Public) if prefix.is_some() => Part::Aws,
                Some(Scope::Public) => Part::Internet,
                Some(Scope::Private | Scope::UniqueLocal) => Part::Private,
                _ => Part::Other,
            }
        };
        self.parts[part as usize].add(bytes, reply);
        let owner = match (ip, sc) {
            (None, _) | (_, None) => OwnerKey::NoAddress,
            (Some(ip), Some(sc)) => match prefix {
                Some(p) => OwnerKey::Aws(self.groups.group(p)),
                None if sc == Scope::Public => match clouds::lookup(ip) {
                    Some(c) => OwnerKey::Cloud(
                        clouds::published::PROVIDERS
                            .iter()
                            .position(|p| *p == c.provider)
                            .unwrap_or(0) as u8,
                    ),
                    None => OwnerKey::Internet,
                },
                None => OwnerKey::Scope(
                    Scope::ALL
                        .iter()
                        .position(|s| *s == sc)
                        .unwrap_or(Scope::ALL.len() - 1) as u8,
                ),
            },
        };
        let o = self.owners.add(owner, 1);
        o.rej.add(bytes, reply);
        if let Some(s) = src {
            o.sources.add(hash64(&s));
            let b = self.blocks.add(block(s), 1);
            b.rej.add(bytes, reply);
            let bit = if s.v6 {
                (hash64(&s.lo) & 255) as usize
            } else {
                (s.lo & 255) as usize
            };
            b.sources[bit / 64] |= 1 << (bit % 64);
            if !reply {
                let scan = self.scans.add(s, 1);
                scan.records += 1;
                scan.bytes = scan.bytes.saturating_add(bytes);
                if let Some(p) = dport {
                    scan.ports.add(hash64(&p));
                    let n = scan.n_examples;
                    if n < SCAN_EXAMPLES && !scan.examples[..n].contains(&p) {
                        scan.examples[n] = p;
                        scan.n_examples += 1;
                    }
                }
                if let Some(d) = dst {
                    scan.dsts.add(hash64(&d));
                }
            }
        }
    }

    /// The address's owner as [`RejectTally::add`] decides it (for the report's rows).
    pub(crate) fn is_aws(&self, ip: IpAddr) -> bool {
        self.aws.as_ref().is_some_and(|r| r.lookup(ip).is_some())
    }
}
