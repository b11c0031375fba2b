//! The ip-ranges a session explains addresses with: loaded from a file's bytes, refused with the
//! reason in both languages.

use super::convert::{lang, to_js};
use crate::classify::aws::{AwsRanges, AwsRangesError};
use crate::explain::Context;
use crate::text::Lang;
use serde::Serialize;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// The ip-ranges in use and where they came from.
#[derive(Default)]
pub(super) struct Ranges {
    aws: Option<Arc<AwsRanges>>,
    source: String,
}

#[derive(Serialize)]
struct IpRangesInfo<'a> {
    source: &'a str,
    #[serde(rename = "createDate")]
    create_date: &'a str,
    #[serde(rename = "syncToken")]
    sync_token: &'a str,
    ipv4_prefixes: usize,
    ipv6_prefixes: usize,
}

impl Ranges {
    /// Loads an ip-ranges.json given as its bytes (see the sessions' `load_ip_ranges`); a refused
    /// file leaves the ranges in use as they were.
    pub(super) fn load(
        &mut self,
        json: &[u8],
        source: &str,
        lang_code: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let ranges = AwsRanges::parse_bytes(json)
            .map_err(|e| refusal(&e, lang(lang_code.as_deref().unwrap_or("en"))))?;
        self.aws = Some(Arc::new(ranges));
        self.source = source.to_string();
        Ok(self.info()?)
    }

    /// `{source, createDate, syncToken, ipv4_prefixes, ipv6_prefixes}`, or `null` when none is loaded.
    pub(super) fn info(&self) -> Result<JsValue, JsError> {
        match &self.aws {
            None => Ok(JsValue::NULL),
            Some(r) => to_js(&IpRangesInfo {
                source: &self.source,
                create_date: &r.create_date,
                sync_token: &r.sync_token,
                ipv4_prefixes: r.ipv4_count,
                ipv6_prefixes: r.ipv6_count(),
            }),
        }
    }

    /// What the explanations consult.
    pub(super) fn context(&self) -> Context<'_> {
        Context {
            aws: self.aws.as_deref(),
        }
    }

    /// The ranges, for the warm-up.
    pub(super) fn aws(&self) -> Option<&AwsRanges> {
        self.aws.as_deref()
    }

    /// The ranges shared, for a summary that keeps them while it counts.
    pub(super) fn shared(&self) -> Option<Arc<AwsRanges>> {
        self.aws.clone()
    }
}

/// A refused ip-ranges.json as a JavaScript `Error`: the reason in `lang` as its `message`, and
/// in both languages as `reasons: {en, ja}`.
fn refusal(e: &AwsRangesError, lang: Lang) -> JsValue {
    let err = js_sys::Error::new(&e.message(lang));
    let reasons = js_sys::Object::new();
    for l in [Lang::En, Lang::Ja] {
        // Setting a property of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&reasons, &l.code().into(), &e.message(l).into());
    }
    let _ = js_sys::Reflect::set(&err, &"reasons".into(), &reasons);
    err.into()
}
