//! A whole input read into a [`Store`], with its report and the facts of all its records.

use super::{Budget, Store};
use crate::facts::InputFacts;
use crate::ingest::decode::Counts;
use crate::ingest::pipeline::{FormatReport, Report, Stream};
use crate::model::format::Format;

/// A whole input, decoded and kept.
#[derive(Debug)]
pub struct Decoded {
    store: Store,
    report: Report,
    /// What the whole input tells about its records (interface addresses, rejected replies).
    facts: InputFacts,
}

impl Decoded {
    /// Decodes an input of any shape with the format decided from its first lines.
    pub fn decode(input: impl AsRef<[u8]>) -> Decoded {
        Decoded::decode_with(input.as_ref(), None)
    }

    /// Decodes an input of any shape with the user's `format`, if given.
    pub fn decode_with(input: &[u8], format: Option<Format>) -> Decoded {
        Decoded::decode_within(input, format, Budget::UNLIMITED)
    }

    /// The same, keeping records up to `budget` (the report's `kept` says how many were).
    pub fn decode_within(input: &[u8], format: Option<Format>, budget: Budget) -> Decoded {
        let mut stream = Stream::new(format, Store::with_budget(budget));
        stream.push(input);
        Decoded::from_stream(stream)
    }

    /// Ends a stream and keeps what it decoded.
    pub fn from_stream(mut stream: Stream<Store>) -> Decoded {
        let report = stream.finish();
        Decoded::from_parts(report, stream.ingest.sink)
    }

    /// The input of `report`, kept in `store` (the stream has ended).
    pub fn from_parts(mut report: Report, mut store: Store) -> Decoded {
        report.kept = store.kept();
        let facts = std::mem::take(&mut store.facts).finish(
            |id| store.strings.get(id),
            |row| store.row_flow_values(row as usize),
        );
        Decoded {
            store,
            report,
            facts,
        }
    }

    /// What the lines were.
    pub fn counts(&self) -> Counts {
        self.report.counts
    }

    /// How the format was decided.
    pub fn format_report(&self) -> &FormatReport {
        &self.report.format
    }

    /// Everything said about the input.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The kept entries.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Number of entries (records and errors).
    pub fn len(&self) -> usize {
        self.store().len()
    }

    /// True when there is no record and no error.
    pub fn is_empty(&self) -> bool {
        self.store().is_empty()
    }
}

impl Default for Decoded {
    fn default() -> Self {
        Decoded::decode(b"")
    }
}

impl Decoded {
    /// What the whole input tells about its records: each interface's own address, and the
    /// REJECTed flows whose reverse was ACCEPTed.
    pub fn facts(&self) -> &InputFacts {
        &self.facts
    }
}
