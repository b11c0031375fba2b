//! The two languages flowlens speaks, and a bilingual text pair.

use serde::Serialize;

/// A language of the page and the CLI.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Japanese (日本語).
    Ja,
}

impl Lang {
    /// Parses `en` / `ja` (case-insensitive); anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "ja" | "jp" | "japanese" | "日本語" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The language's code, `en` or `ja`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }
}

/// A fixed text in English and Japanese.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Japanese.
    pub ja: &'static str,
}

impl Text {
    /// The text in `lang`.
    pub const fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ja => self.ja,
        }
    }
}

/// Builds a [`Text`]: `t!("English", "日本語")`.
#[macro_export]
macro_rules! t {
    ($en:expr, $ja:expr) => {
        $crate::text::Text { en: $en, ja: $ja }
    };
}
