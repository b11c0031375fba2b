//! What a whole input tells about each of its records.

use crate::facts::flow::{key, record_flow_values};
use crate::model::fields::id;
use crate::model::record::RecordRef;
use crate::util::distinct::Distinct;
use crate::util::fxhash::FxBuild;
use std::collections::HashMap;
use std::net::IpAddr;

/// Facts about the records of an input, found by passes over all of them.
#[derive(Clone, Debug, Default)]
pub struct InputFacts {
    pub(crate) interfaces: HashMap<Box<str>, IpAddr, FxBuild>,
    /// Distinct interface ids met (with or without addresses), by their hashes
    /// ([`crate::util::distinct`]).
    pub(crate) interfaces_seen: Option<Distinct>,
    /// Flow key of a REJECT record → line of the ACCEPT record of its reversed flow.
    pub(crate) rejected: HashMap<u64, u64, FxBuild>,
}

impl InputFacts {
    /// The address of network interface `id`, if the input tells it.
    pub fn interface_address(&self, id: &str) -> Option<IpAddr> {
        self.interfaces.get(id).copied()
    }

    /// The address of the record's network interface, if the input tells it.
    pub fn own_address(&self, rec: &RecordRef<'_>) -> Option<IpAddr> {
        rec.text(id::INTERFACE_ID)
            .and_then(|id| self.interface_address(id))
    }

    /// Each interface whose address is known, with it.
    pub fn interfaces(&self) -> impl Iterator<Item = (&str, IpAddr)> {
        self.interfaces.iter().map(|(id, a)| (&**id, *a))
    }

    /// At most `limit` interfaces whose address is known, the first in text order, with it (the
    /// same ones whatever order the map holds them in).
    pub fn interfaces_sorted(&self, limit: usize) -> Vec<(&str, IpAddr)> {
        let mut own: Vec<(&str, IpAddr)> = self.interfaces().collect();
        own.sort_unstable();
        own.truncate(limit);
        own
    }

    /// Distinct interfaces met, and whether the count is exact.
    pub fn interfaces_seen(&self) -> (u64, bool) {
        self.interfaces_seen
            .as_ref()
            .map_or((0, true), |d| (d.count(), d.is_exact()))
    }

    /// The distinct interfaces met, to be merged with another input's.
    pub fn interfaces_distinct(&self) -> Option<&Distinct> {
        self.interfaces_seen.as_ref()
    }

    /// Number of interfaces whose address is known.
    pub fn interfaces_known(&self) -> usize {
        self.interfaces.len()
    }

    /// For a REJECT record: the line of an ACCEPT record of the reversed flow, if the input has one.
    pub fn accepted_reverse(&self, rec: &RecordRef<'_>) -> Option<u64> {
        if rec.text(id::ACTION) != Some("REJECT") {
            return None;
        }
        self.rejected
            .get(&key(&record_flow_values(rec), true)?)
            .copied()
    }
}
