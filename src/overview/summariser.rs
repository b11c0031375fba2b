//! The summary made while an input is read, keeping no record (the CLI's `--summary`).

use crate::facts::{flow_columns, FactsBuilder, FlowColumns};
use crate::ingest::decode::LineError;
use crate::ingest::pipeline::{Report, Sink, Stream};
use crate::model::format::Format;
use crate::model::record::RecordView;
use crate::model::value::ValueRef;
use crate::overview::fields::ColsByFormat;
use crate::overview::tally::Overview;
use crate::store::Store;

/// The summary made while an input is read, without keeping its records: a [`Sink`] for a
/// [`Stream`] that feeds each record to an [`Overview`] as it is decoded, and tallies each
/// interface's records for its own address (the rule of [`crate::facts::InputFacts`]): what the CLI's
/// `--summary` runs (memory stays bounded whatever the input's size). Its report is that of
/// [`Overview::add_decoded`] over the same input (tests say so), as long as the input has at most
/// [`crate::facts::builder::MAX_STREAMED_INTERFACES`] interfaces. (The page's summary worker does not parse the input again: the
/// decoding worker hands it each record's fields, see [`crate::overview::handoff`].)
#[derive(Debug)]
pub struct Summariser {
    overview: Overview,
    cols: ColsByFormat,
    /// The facts' columns of each format, by the format's index.
    flow_cols: Vec<Option<FlowColumns>>,
    facts: FactsBuilder,
}

impl Default for Summariser {
    fn default() -> Self {
        Summariser::adding_to(Overview::new())
    }
}

impl Summariser {
    /// A summariser adding to `overview`.
    fn adding_to(overview: Overview) -> Summariser {
        Summariser {
            overview,
            cols: ColsByFormat::default(),
            flow_cols: Vec::new(),
            facts: FactsBuilder::default(),
        }
    }

    /// A stream of one input (with the user's `format`, if given) into a summariser.
    pub fn stream(format: Option<Format>) -> Stream<Summariser> {
        Summariser::stream_into(format, Overview::new())
    }

    /// The same, adding to `overview` (the summary of several inputs: each input's interfaces
    /// are told from its own records, as [`Overview::add_decoded`] does).
    pub fn stream_into(format: Option<Format>, overview: Overview) -> Stream<Summariser> {
        Stream::new(format, Summariser::adding_to(overview))
    }

    /// Ends `stream`: its report, and the summary of every record it read.
    pub fn finish(mut stream: Stream<Summariser>) -> (Report, Overview) {
        let report = stream.finish();
        let Summariser {
            mut overview,
            facts,
            ..
        } = stream.ingest.sink;
        overview.lines += report.counts.lines;
        overview.errors += report.counts.errors;
        overview.problems += report.counts.problems;
        overview.add_facts(&facts.finish_streamed());
        (report, overview)
    }

    /// The summary of a whole input (of any shape).
    pub fn summarise(input: &[u8], format: Option<Format>) -> (Report, Overview) {
        let mut stream = Summariser::stream(format);
        stream.push(input);
        Summariser::finish(stream)
    }
}

impl Sink for Summariser {
    #[inline]
    fn record(&mut self, _number: u64, record: &RecordView<'_>, formats: &[Format]) {
        let cols = self.cols.get(record.format, formats);
        if self.flow_cols.len() <= record.format {
            self.flow_cols.resize(record.format + 1, None);
        }
        let flow = *self.flow_cols[record.format]
            .get_or_insert_with(|| flow_columns(&formats[record.format]));
        // The facts' interface, srcaddr and dstaddr (the first three of its flow fields).
        let v = |i: usize| flow[i].and_then(|c| record.values.get(c).copied());
        self.facts.observe(
            v(0).and_then(ValueRef::text),
            v(1).and_then(ValueRef::addr),
            v(2).and_then(ValueRef::addr),
        );
        self.overview.record(&cols, record.values);
    }

    fn error(&mut self, _error: &LineError, _raw: &str) {}
}

/// A store with a budget, and the summary of the records it does not keep: the summary of a
/// whole input is then [`Beyond::overview`] (the records past the budget, summarised as they
/// streamed by, and the kept ones read back from the store), whatever the input's size.
#[derive(Debug)]
pub struct Beyond {
    /// The records kept.
    pub store: Store,
    /// The summary of the records past the budget (`None`: they are not summarised here, e.g.
    /// the page's summary worker is handed every record).
    summary: Option<Overview>,
    cols: ColsByFormat,
}

impl Beyond {
    /// `store`, and with `summary` the summary of the records it will not keep.
    pub fn new(store: Store, summary: Option<Overview>) -> Beyond {
        Beyond {
            store,
            summary,
            cols: ColsByFormat::default(),
        }
    }

    /// The store and the summary of the records past its budget (not counting lines: the
    /// caller adds the kept records with [`Overview::add_decoded`], which counts every line).
    pub fn into_parts(self) -> (Store, Option<Overview>) {
        (self.store, self.summary)
    }
}

impl Sink for Beyond {
    #[inline]
    fn record(&mut self, number: u64, record: &RecordView<'_>, formats: &[Format]) {
        if self.store.offer(number, record, formats) {
            return;
        }
        if let Some(o) = &mut self.summary {
            let cols = self.cols.get(record.format, formats);
            o.record(&cols, record.values);
        }
    }

    fn error(&mut self, error: &LineError, raw: &str) {
        self.store.error(error, raw);
    }
}
