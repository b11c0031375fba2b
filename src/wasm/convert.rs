//! Values crossing to JavaScript, and the few words the glue reads from it.

use crate::text::Lang;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Large results (entries, summaries) cross as JSON text for the engine's fast `JSON.parse`; this
/// also keeps integers beyond 2^53 (possible in hostile input) from failing the conversion.
pub(super) fn to_js_json<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("JSON.parse failed"))
}

/// Small results cross as plain objects.
pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

pub(super) fn lang(code: &str) -> Lang {
    Lang::parse(code).unwrap_or_default()
}

/// Bytes of WASM memory, for the page's memory figures.
pub(super) fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}
