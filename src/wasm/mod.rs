//! The JavaScript glue: the only module that sees `JsValue`. Everything here forwards to the core.
//! One object per role of the page's workers:
//! - [`DecodeSession`] (the decoding worker): decodes an input, keeps its records, explains the
//!   entries shown, hands the summary worker what it reads of each record;
//! - [`SummarySession`] (the summary worker): makes the Summary section from that hand-off.
//!
//! Both hold the ip-ranges in use ([`ranges::Ranges`]). The decoding session's view of its input
//! (filter, sort, the list's rows, exports) is in `view`.

mod convert;
mod decode;
mod ranges;
mod summary;
mod view;

pub use decode::DecodeSession;
pub use summary::SummarySession;

use crate::model::fields;
use convert::{lang, to_js};
use wasm_bindgen::prelude::*;

/// Installs the panic hook, so that a panic is logged with its message instead of "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The field reference: `[{key, label, kind, version, meaning}]` in `lang` (`en` or `ja`).
#[wasm_bindgen]
pub fn field_specs(lang_code: &str) -> Result<JsValue, JsError> {
    to_js(&fields::field_specs(lang(lang_code)))
}
