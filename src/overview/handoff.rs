//! The hand-off between the page's two workers. The decoding worker writes each record's
//! [`Fields`] ([`FIELD_BYTES`] bytes, [`FieldsOut`]) as it decodes, and hands them over a slice
//! of the input at a time; at the end it tells what the whole input says of its interfaces
//! ([`Told`]). The summary worker adds both to its [`Overview`] ([`Overview::add_fields`],
//! [`Overview::add_told`]) and never reads the input itself.

use crate::explain::Context;
use crate::ingest::decode::LineError;
use crate::ingest::pipeline::Sink;
use crate::model::format::Format;
use crate::model::record::RecordView;
use crate::overview::fields::{ColsByFormat, Fields, FIELD_BYTES};
use crate::overview::report::OverviewReport;
use crate::overview::tally::Overview;
use crate::overview::MAX_INTERFACES;
use crate::store::Decoded;
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// What the summary reads of each record, written as records are decoded ([`FIELD_BYTES`] per
/// record), for a summary made elsewhere ([`Overview::add_fields`]): the decoding worker hands
/// them to the summary worker a slice of the input at a time.
#[derive(Default)]
pub struct FieldsOut {
    cols: ColsByFormat,
    bytes: Vec<u8>,
    /// Where the bytes go once [`FIELDS_FLUSH`] of them are waiting, in the middle of a push
    /// (a small gzip may hold gigabytes of records: their fields must not pile up in one
    /// buffer, which in WebAssembly cannot pass 2 GiB).
    flush: Option<Flush>,
    /// Bytes that make [`FieldsOut::flush`] be called ([`FIELDS_FLUSH`] unless told).
    flush_at: usize,
}

/// Where [`FieldsOut`] hands its bytes in the middle of a push.
pub type Flush = Box<dyn FnMut(&[u8])>;

/// Bytes of fields [`FieldsOut`] hands to its flush at most at once (a multiple of
/// [`FIELD_BYTES`]).
pub const FIELDS_FLUSH: usize = FIELD_BYTES * (1 << 17);

impl std::fmt::Debug for FieldsOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldsOut")
            .field("bytes", &self.bytes.len())
            .field("flush", &self.flush.is_some())
            .finish()
    }
}

impl Sink for FieldsOut {
    #[inline]
    fn record(&mut self, _number: u64, record: &RecordView<'_>, formats: &[Format]) {
        let cols = self.cols.get(record.format, formats);
        Fields::of(&cols, record.values).write(&mut self.bytes);
        if self.bytes.len() >= self.flush_at.max(FIELD_BYTES) {
            if let Some(flush) = &mut self.flush {
                flush(&self.bytes);
                self.bytes.clear();
            }
        }
    }

    fn error(&mut self, _error: &LineError, _raw: &str) {}
}

impl FieldsOut {
    /// A hand-off that gives its bytes to `flush` whenever [`FIELDS_FLUSH`] are waiting (the
    /// rest stay for [`FieldsOut::take`]).
    pub fn with_flush(flush: Flush) -> FieldsOut {
        FieldsOut::with_flush_every(FIELDS_FLUSH / FIELD_BYTES, flush)
    }

    /// The same, every `records` records' fields.
    pub fn with_flush_every(records: usize, flush: Flush) -> FieldsOut {
        FieldsOut {
            flush: Some(flush),
            flush_at: records.saturating_mul(FIELD_BYTES),
            ..FieldsOut::default()
        }
    }

    /// The bytes written since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }

    /// The bytes written since the last [`FieldsOut::take`] or [`FieldsOut::clear`].
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Forgets the bytes written, keeping their buffer for the next ones.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }
}

/// What the decoding side knows of the interfaces at the end of an input, for a summary made
/// from [`FieldsOut`]'s bytes ([`Overview::add_told`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Told {
    /// Lines of the input.
    pub lines: u64,
    /// Lines that could not be decoded.
    pub errors: u64,
    /// Records with a problem in a field.
    #[serde(default)]
    pub problems: u64,
    /// Distinct interfaces, and whether the count is exact.
    pub interfaces: (u64, bool),
    /// Each interface whose own address the input tells: (interface, address).
    pub own: Vec<(String, IpAddr)>,
}

impl Overview {
    /// Adds records written by [`FieldsOut`] (whole records: a multiple of [`FIELD_BYTES`]).
    /// Returns the records added; stops at the first that is not one (bytes of something else).
    pub fn add_fields(&mut self, bytes: &[u8]) -> usize {
        let mut n = 0;
        for b in bytes.chunks_exact(FIELD_BYTES) {
            let Some(f) = Fields::read(b.try_into().unwrap()) else {
                break;
            };
            self.add(&f);
            n += 1;
        }
        n
    }

    /// Adds what the decoding side tells at the end of the input (see [`Told`]).
    pub fn add_told(&mut self, told: &Told) {
        self.lines += told.lines;
        self.errors += told.errors;
        self.problems += told.problems;
        self.interfaces_told = Some(told.interfaces);
        for (id, a) in &told.own {
            self.own_address(*a, id);
        }
    }

    /// Ends a summary whose decoding side stopped before the end of its input (it crashed), so
    /// that [`Told`] never comes: the summary is of the records added so far, marked partial
    /// ([`crate::overview::Totals::partial`]); the lines, errors and problems, which only the
    /// decoding side counted, are not known and stay 0, and so is the count of interfaces.
    pub fn finish_partial(&mut self) {
        self.partial = true;
    }
}

/// The summary of a decoded input, and what it tells the summary worker.
pub trait Summarise {
    /// What [`Told`] says of this input.
    fn told(&self) -> Told;
    /// The summary of the whole input (see [`crate::overview`]): `top_n` rows per table, the
    /// addresses shown explained in `lang`.
    fn overview(&self, ctx: &Context<'_>, lang: Lang, top_n: usize) -> OverviewReport;
}

impl Summarise for Decoded {
    /// What [`Told`] says of this input.
    fn told(&self) -> Told {
        let c = self.counts();
        let facts = self.facts();
        let own = facts
            .interfaces_sorted(MAX_INTERFACES)
            .into_iter()
            .map(|(id, a)| (id.to_string(), a))
            .collect();
        Told {
            lines: c.lines,
            errors: c.errors,
            problems: c.problems,
            interfaces: facts.interfaces_seen(),
            own,
        }
    }

    /// The summary of the whole input (see [`crate::overview`]): `top_n` rows per table, the
    /// addresses shown explained in `lang`.
    fn overview(&self, ctx: &Context<'_>, lang: Lang, top_n: usize) -> OverviewReport {
        let mut o = Overview::new();
        o.add_decoded(self);
        o.report(ctx, lang, top_n)
    }
}
