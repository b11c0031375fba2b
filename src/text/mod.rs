//! Words: the two languages, bilingual texts, numbers and times as people read them. The leaf
//! above [`crate::util`]: every stage words things through here, and only the edges (the CLI, the
//! WASM glue) choose the language.
//!
//! - [`Lang`], [`Text`] and the [`t!`](crate::t) macro that builds a [`Text`].
//! - [`number`]: `12,345`, plurals.
//! - [`time`]: Unix times as UTC text, durations in words.
//! - [`escape`]: input text made safe to print on a terminal.
//! - [`spacing`]: Japanese text put together from parts, spaced as AWS's Japanese docs space it.

pub mod escape;
mod lang;
pub mod number;
pub mod spacing;
pub mod time;

pub use lang::{Lang, Text};
pub use number::{grouped, plural};
pub use spacing::tidy_ja;
