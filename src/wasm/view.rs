//! The decoding session's view of its input: the records a filter keeps, in the order a sort
//! gives, paged to the page's list a screenful at a time, and exported a chunk at a time. The
//! records never leave WASM memory but as the rows asked for.

use super::convert::{lang, to_js, to_js_json};
use super::decode::{DecodeSession, View};
use crate::explain::Explain;
use crate::overview::Overview;
use crate::query::{emit, list_rows, record_rows, Export, ExportKind, Query, QueryError, Sort};
use crate::text::Lang;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// What [`DecodeSession::select`] answers.
#[derive(Serialize)]
struct Selected {
    ok: bool,
    /// Records kept.
    count: usize,
    /// Records of the input.
    records: usize,
    /// The filter consults AWS's ranges.
    uses_aws_ranges: bool,
    error: Option<SelectError>,
}

/// Why an expression or a sort was refused, and where (in UTF-16 code units, as JavaScript
/// strings count; `start == end` at the end of the expression).
#[derive(Serialize)]
struct SelectError {
    /// `filter` or `sort`.
    part: &'static str,
    message: String,
    en: String,
    ja: String,
    start: usize,
    end: usize,
    /// In characters from 1.
    column: usize,
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

impl SelectError {
    fn of_query(e: &QueryError, expr: &str, lang: Lang) -> SelectError {
        let clamp = |i: usize| {
            let mut i = i.min(expr.len());
            while !expr.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        SelectError {
            part: "filter",
            message: e.message(lang),
            en: e.message(Lang::En),
            ja: e.message(Lang::Ja),
            start: utf16_len(&expr[..clamp(e.span.start)]),
            end: utf16_len(&expr[..clamp(e.span.end)]),
            column: e.column,
        }
    }

    fn of_sort(sort: &str, e: &dyn std::fmt::Display) -> SelectError {
        let en = e.to_string();
        let ja = format!(
            "'{}' では並べ替えられません: start、end、bytes、packets のいずれかに :asc または :desc を付けて指定してください",
            sort.trim()
        );
        SelectError {
            part: "sort",
            message: en.clone(),
            en,
            ja,
            start: 0,
            end: utf16_len(sort),
            column: 1,
        }
    }
}

#[wasm_bindgen]
impl DecodeSession {
    /// Shows the records that `expr` keeps (the filter language of `flowlens::query`; empty:
    /// every record), in the order `sort` says (`start`, `end`, `bytes`, `packets`, with `:desc`
    /// or `:asc`; empty: input order). Returns `{ok, count, records, uses_aws_ranges, error}`;
    /// when the filter or the sort is refused, `ok` is false, the view is unchanged and `error`
    /// is `{part: "filter"|"sort", message (in lang), en, ja, start, end, column}` with `start`
    /// and `end` in UTF-16 code units of the text given. A running export is cancelled.
    pub fn select(&mut self, expr: &str, sort: &str, lang_code: &str) -> Result<JsValue, JsError> {
        let language = lang(lang_code);
        // Of the records kept (the first ones, when the input was larger than the budget).
        let report = self.decoded.report();
        let records = report
            .kept
            .as_ref()
            .map_or(report.counts.records, |k| k.records) as usize;
        let refuse = |error| Selected {
            ok: false,
            count: self.view.rows.len(),
            records,
            uses_aws_ranges: false,
            error: Some(error),
        };
        let order = if sort.trim().is_empty() {
            None
        } else {
            match sort.parse::<Sort>() {
                Ok(s) => Some(s),
                Err(e) => return to_js(&refuse(SelectError::of_sort(sort, &e))),
            }
        };
        let (mut rows, uses_aws) = if expr.trim().is_empty() {
            (record_rows(self.decoded.store()), false)
        } else {
            match Query::parse(expr) {
                Ok(q) => (
                    q.filter(&self.decoded, self.ranges.aws()),
                    q.uses_aws_ranges(),
                ),
                Err(e) => return to_js(&refuse(SelectError::of_query(&e, expr, language))),
            }
        };
        if let Some(order) = order {
            order.apply(self.decoded.store(), &mut rows);
        }
        self.export = None;
        self.view = View {
            expr: expr.to_string(),
            sort: sort.to_string(),
            rows,
        };
        to_js(&Selected {
            ok: true,
            count: self.view.rows.len(),
            records,
            uses_aws_ranges: uses_aws,
            error: None,
        })
    }

    /// Checks a filter without running it: `null` when it parses, else the error object of
    /// [`DecodeSession::select`] (positions in this text).
    pub fn check_filter(&self, expr: &str, lang_code: &str) -> Result<JsValue, JsError> {
        match Query::parse(expr) {
            Ok(_) => Ok(JsValue::NULL),
            Err(e) => to_js(&SelectError::of_query(&e, expr, lang(lang_code))),
        }
    }

    /// The summary of the view's records (see [`DecodeSession::overview`]): made for each call,
    /// with what the whole input tells (its interfaces' own addresses).
    pub fn view_overview(&self, lang_code: &str, top: usize) -> Result<JsValue, JsError> {
        let mut o = Overview::new().with_aws_ranges(self.ranges.shared());
        o.add_rows(&self.decoded, &self.view.rows);
        to_js_json(&o.report(&self.ranges.context(), lang(lang_code), top))
    }

    /// The filter `expr` ("" for none) as CloudWatch Logs Insights queries (`engine` =
    /// `insights`) or Athena SQL (`athena`), with the summary's main tables, over the fields of
    /// the input's formats (AWS's default format when nothing is decoded); comments in `lang`.
    /// Throws with the reason when the filter or the engine is refused.
    pub fn emit(&self, expr: &str, engine: &str, lang_code: &str) -> Result<String, JsError> {
        let language = lang(lang_code);
        let query = if expr.trim().is_empty() {
            None
        } else {
            Some(Query::parse(expr).map_err(|e| JsError::new(&e.message(language)))?)
        };
        let fields = emit::input_fields(self.decoded.store());
        let o = emit::Options {
            aws: self.ranges.aws(),
            lang: language,
            fields: (!fields.is_empty()).then_some(fields.as_slice()),
            top: 10,
            source: query.is_some().then_some(expr),
        };
        let expr = query.as_ref().map(Query::expr);
        match engine {
            "insights" => Ok(emit::insights(expr, &o)),
            "athena" => Ok(emit::athena(expr, &o)),
            other => Err(JsError::new(&format!(
                "no engine '{other}': use insights or athena"
            ))),
        }
    }

    /// The filter of the view ("" for every record).
    pub fn view_filter(&self) -> String {
        self.view.expr.clone()
    }

    /// The order of the view ("" for input order).
    pub fn view_sort(&self) -> String {
        self.view.sort.clone()
    }

    /// Records in the view.
    pub fn view_len(&self) -> usize {
        self.view.rows.len()
    }

    /// The list rows of view positions `start..start+count` (clamped):
    /// `[{row, line, start, end, srcaddr, srcport, dstaddr, dstport, protocol, service, packets,
    /// bytes, action, log_status, role, interface_id}]` (`row`: the entry to explain with
    /// [`DecodeSession::entries`]).
    pub fn view_rows(&self, start: usize, count: usize) -> Result<JsValue, JsError> {
        let rows = &self.view.rows;
        let end = start.saturating_add(count).min(rows.len());
        let slice = rows.get(start.min(end)..end).unwrap_or(&[]);
        to_js_json(&list_rows(self.decoded.store(), slice))
    }

    /// The view position of the record on input line `line`, or -1 when that line is not a
    /// record the view shows.
    pub fn view_position_of_line(&self, line: f64) -> f64 {
        let Some(row) = self.entry_of_line(line) else {
            return -1.0;
        };
        self.view
            .rows
            .iter()
            .position(|&r| r as usize == row)
            .map_or(-1.0, |p| p as f64)
    }

    /// The entry (record or error) of input line `line`, or `undefined` when that line is none.
    pub fn entry_of_line(&self, line: f64) -> Option<usize> {
        if !(line >= 0.0 && line <= u64::MAX as f64) {
            return None;
        }
        self.decoded.store().index_of_line(line as u64)
    }

    /// The explained entry of view position `position` in `lang`, or `null`.
    pub fn view_entry(&self, position: usize, lang_code: &str) -> Result<JsValue, JsError> {
        let Some(&row) = self.view.rows.get(position) else {
            return Ok(JsValue::NULL);
        };
        let ctx = self.ranges.context();
        to_js_json(&self.decoded.entry_json(row as usize, &ctx, lang(lang_code)))
    }

    /// Starts an export of the view's records as `kind` (`csv` or `ndjson`), replacing any
    /// export under way; returns the number of records to write. Take it with
    /// [`DecodeSession::export_next`].
    pub fn export_begin(
        &mut self,
        kind: &str,
        lang_code: Option<String>,
    ) -> Result<usize, JsError> {
        let kind: ExportKind = kind.parse().map_err(|e| JsError::new(&format!("{e}")))?;
        let lang = lang(lang_code.as_deref().unwrap_or("en"));
        self.export = Some(Export::new(kind, self.view.rows.clone()).with_lang(lang));
        Ok(self.view.rows.len())
    }

    /// The next part of the export (whole lines, about `max_bytes`), or `undefined` once it is
    /// all written (the export is then forgotten).
    pub fn export_next(&mut self, max_bytes: usize) -> Option<Vec<u8>> {
        let export = self.export.as_mut()?;
        let mut out = Vec::with_capacity(max_bytes.min(16 << 20) + 4096);
        if export.next_chunk(&self.decoded, self.ranges.aws(), max_bytes, &mut out) {
            Some(out)
        } else {
            self.export = None;
            None
        }
    }

    /// Records of the export written so far.
    pub fn export_done(&self) -> usize {
        self.export.as_ref().map_or(0, Export::done)
    }
}
