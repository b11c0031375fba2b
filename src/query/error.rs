//! Why an expression was refused, where, and what was expected there: a typed error worded only
//! by [`QueryError::message`] (English or Japanese), with [`QueryError::caret`] to point at the
//! place under the expression.

use crate::model::fields::Kind;
use crate::t;
use crate::text::{Lang, Text};
use std::fmt;
use std::ops::Range;

/// An expression that cannot be read: what is wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// What is wrong.
    pub kind: ErrorKind,
    /// The bytes of the expression at fault (empty at the end of the expression).
    pub span: Range<usize>,
    /// Where the fault starts, in characters from 1 (what the messages say).
    pub column: usize,
}

/// What is wrong with an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The expression says nothing.
    Empty,
    /// The expression is longer than [`super::MAX_EXPRESSION_BYTES`].
    TooLong,
    /// Parentheses and `not`s nest deeper than [`super::MAX_DEPTH`].
    TooDeep,
    /// A quoted text has no closing quote.
    UnterminatedString,
    /// A character the language has no use for (`;`, `&` alone, ...).
    UnexpectedChar(char),
    /// Something other than what the grammar allows here.
    Expected {
        /// What would have been read.
        expected: Expected,
        /// What was there: a token's text, or `None` at the end of the expression.
        found: Option<String>,
    },
    /// A name that is neither a field nor a derived fact.
    UnknownField {
        /// The name as written.
        name: String,
        /// A known name a few edits away, if one is.
        suggestion: Option<&'static str>,
    },
    /// A value that the field cannot hold.
    BadValue {
        /// The field's name as written.
        field: String,
        /// The value as written.
        value: String,
        /// What the field's values look like.
        expected: ValueKind,
    },
    /// An operator the field does not have (`<` on a scope, `in CIDR` on a port, ...).
    OperatorNotAllowed {
        /// The field's name as written.
        field: String,
        /// The operator as written.
        op: String,
        /// The operators the field has.
        allowed: &'static str,
    },
}

/// What the grammar expected at the place of an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A test: a field and a comparison, `not`, `(`, or a quoted text.
    Term,
    /// An operator after a field: `=`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`.
    Operator,
    /// A value after an operator.
    Value,
    /// `(` and a list of values after `in` (or a CIDR block, for addresses).
    List,
    /// `,` or `)` inside a list of values.
    CommaOrClose,
    /// `)` closing a parenthesis.
    Close,
    /// `in` after `not` following a field.
    In,
    /// `and`, `or`, `)` or the end, after a complete test.
    AndOrEnd,
}

/// What the values of a field look like, for a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Values of a flow log field of this kind (its expectation from the field table).
    Field(Kind),
    /// A time: ISO 8601 in UTC or Unix seconds.
    Time,
    /// A protocol number or name.
    Protocol,
    /// An address or a CIDR block.
    Address,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// `true` or `false`.
    Boolean,
    /// Any text.
    Text,
}

impl ValueKind {
    fn words(self) -> String {
        match self {
            ValueKind::Field(kind) => kind.expectation().en.to_string(),
            ValueKind::Time => {
                "a UTC time (2025-04-13, 2025-04-13T05:00Z, 2025-04-13T05:00:30Z) or Unix seconds"
                    .into()
            }
            ValueKind::Protocol => "a protocol number 0-255 or name (tcp, udp, icmp, ...)".into(),
            ValueKind::Address => "an IPv4 or IPv6 address or a CIDR block (10.0.0.0/8)".into(),
            ValueKind::OneOf(words) => one_of(words, ", ", " or "),
            ValueKind::Boolean => "true or false".into(),
            ValueKind::Text => "a text".into(),
        }
    }

    fn words_ja(self) -> String {
        match self {
            ValueKind::Field(kind) => kind.expectation().ja.to_string(),
            ValueKind::Time => {
                "UTC の時刻（2025-04-13、2025-04-13T05:00Z、2025-04-13T05:00:30Z）または Unix 秒"
                    .into()
            }
            ValueKind::Protocol => {
                "0～255 のプロトコル番号または名前（tcp、udp、icmp など）".into()
            }
            ValueKind::Address => "IPv4 / IPv6 アドレスまたは CIDR ブロック（10.0.0.0/8）".into(),
            ValueKind::OneOf(words) => one_of(words, "、", " または "),
            ValueKind::Boolean => "true または false".into(),
            ValueKind::Text => "文字列".into(),
        }
    }
}

/// `a, b or c`.
fn one_of(words: &[&str], comma: &str, or: &str) -> String {
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{}{or}{last}", rest.join(comma)),
    }
}

impl Expected {
    fn text(self) -> Text {
        match self {
            Expected::Term => t!(
                "a test (a field and a comparison, 'not', '(' or a \"quoted text\")",
                "条件（フィールドと比較、'not'、'('、\"引用符で囲んだ文字列\" のいずれか）"
            ),
            Expected::Operator => t!(
                "an operator (=, !=, <, <=, >, >=, in, not in)",
                "演算子（=、!=、<、<=、>、>=、in、not in）"
            ),
            Expected::Value => t!("a value", "値"),
            Expected::List => t!(
                "'(' and a list of values (or a CIDR block, for addresses)",
                "'(' と値のリスト（アドレスなら CIDR ブロックも可）"
            ),
            Expected::CommaOrClose => t!("',' or ')'", "',' または ')'"),
            Expected::Close => t!("')'", "')'"),
            Expected::In => t!("'in' after 'not'", "'not' の後に 'in'"),
            Expected::AndOrEnd => t!(
                "'and', 'or', ')' or the end",
                "'and'、'or'、')' または式の終わり"
            ),
        }
    }
}

impl QueryError {
    /// An error at `span` of `expr` (the column is counted from it).
    pub(crate) fn new(kind: ErrorKind, span: Range<usize>, expr: &str) -> QueryError {
        let at = floor_char_boundary(expr, span.start);
        let column = expr[..at].chars().count() + 1;
        QueryError { kind, span, column }
    }

    /// What is wrong, in `lang`, and at which column: "column 8: expected a value, found the end
    /// of the expression" / "8 文字目: 値が必要ですが、式が終わっています".
    pub fn message(&self, lang: Lang) -> String {
        let column = self.column;
        match lang {
            Lang::En => format!("column {column}: {}", self.what_en()),
            Lang::Ja => format!("{column} 文字目: {}", self.what_ja()),
        }
    }

    fn what_en(&self) -> String {
        match &self.kind {
            ErrorKind::Empty => "the expression is empty".into(),
            ErrorKind::TooLong => format!(
                "the expression is longer than {} bytes",
                super::MAX_EXPRESSION_BYTES
            ),
            ErrorKind::TooDeep => format!(
                "parentheses and 'not' nest deeper than {} levels",
                super::MAX_DEPTH
            ),
            ErrorKind::UnterminatedString => "the quoted text has no closing quote".into(),
            ErrorKind::UnexpectedChar(c) => format!("unexpected character '{c}'"),
            ErrorKind::Expected { expected, found } => {
                let found = match found {
                    Some(f) => format!("found '{f}'"),
                    None => "found the end of the expression".into(),
                };
                format!("expected {}, {found}", expected.text().en)
            }
            ErrorKind::UnknownField { name, suggestion } => match suggestion {
                Some(s) => format!("unknown field '{name}' (did you mean '{s}'?)"),
                None => format!(
                    "unknown field '{name}' (fields go by their AWS names, e.g. srcaddr, log-status, or a derived name such as scope, service, aws.service; to search every value for a text, quote it: \"{name}\")"
                ),
            },
            ErrorKind::BadValue {
                field,
                value,
                expected,
            } => format!(
                "'{value}' is not a value of {field}: expected {}",
                expected.words()
            ),
            ErrorKind::OperatorNotAllowed { field, op, allowed } => {
                format!("{field} cannot be compared with '{op}' (it has {allowed})")
            }
        }
    }

    fn what_ja(&self) -> String {
        match &self.kind {
            ErrorKind::Empty => "式が空です".into(),
            ErrorKind::TooLong => format!(
                "式が {} バイトを超えています",
                super::MAX_EXPRESSION_BYTES
            ),
            ErrorKind::TooDeep => format!(
                "括弧と 'not' の入れ子が {} 段を超えています",
                super::MAX_DEPTH
            ),
            ErrorKind::UnterminatedString => "引用符が閉じられていません".into(),
            ErrorKind::UnexpectedChar(c) => format!("使えない文字 '{c}' があります"),
            ErrorKind::Expected { expected, found } => {
                let found = match found {
                    Some(f) => format!("'{f}' があります"),
                    None => "式が終わっています".into(),
                };
                format!("{}が必要ですが、{found}", expected.text().ja)
            }
            ErrorKind::UnknownField { name, suggestion } => match suggestion {
                Some(s) => format!("不明なフィールド '{name}' です（'{s}' のことですか？）"),
                None => format!(
                    "不明なフィールド '{name}' です（フィールドは srcaddr、log-status のような AWS の名前、または scope、service、aws.service などの派生名で指定します。すべての値から文字列を探すには引用符で囲みます: \"{name}\"）"
                ),
            },
            ErrorKind::BadValue {
                field,
                value,
                expected,
            } => format!(
                "'{value}' は {field} の値ではありません（{}を指定してください）",
                expected.words_ja()
            ),
            ErrorKind::OperatorNotAllowed { field, op, allowed } => format!(
                "{field} は '{op}' で比較できません（使える演算子: {allowed}）"
            ),
        }
    }

    /// Two lines for a terminal: `expr` (control characters as spaces) and, under it, `^` marks
    /// under the place of the error (wide characters count two columns, as terminals draw them).
    pub fn caret(&self, expr: &str) -> String {
        let start = floor_char_boundary(expr, self.span.start);
        let end = floor_char_boundary(expr, self.span.end.max(start));
        let shown: String = expr
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let pad = width(&expr[..start]);
        let marks = width(&expr[start..end]).max(1);
        format!("{shown}\n{}{}", " ".repeat(pad), "^".repeat(marks))
    }
}

/// The English message.
impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for QueryError {}

/// The largest char boundary of `s` at or before `at` (an offset past the end is the end).
fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Columns a terminal gives `s`: two for East Asian wide and full-width characters, one for
/// the others.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = u32::from(c);
            let wide = matches!(c,
                0x1100..=0x115F
                | 0x2E80..=0x303E
                | 0x3041..=0x33FF
                | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF
                | 0xA000..=0xA4CF
                | 0xAC00..=0xD7A3
                | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F
                | 0xFF00..=0xFF60
                | 0xFFE0..=0xFFE6
                | 0x20000..=0x3FFFD);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}
