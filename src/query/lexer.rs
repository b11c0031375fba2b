//! An expression into tokens, each with the bytes it came from.
//!
//! A word is a run of characters up to a space or one of `( ) , = ! < > " ' & |`, so that
//! addresses (`2001:db8::/32`), times (`2025-04-13T05:00Z`), IDs (`eni-01f3`) and dotted names
//! (`src.aws.service`) are one word each, and `dstport<1024` is three tokens. Full-width forms
//! (`ｓｒｃａｄｄｒ＝１０．０．０．１`, typed with a Japanese input method left on) read as their
//! ASCII letters outside quotes.

use super::error::{ErrorKind, QueryError};
use std::ops::Range;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=` (or `==`).
    Eq,
    /// `!=` (or `<>`).
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

impl Op {
    /// The operator as the documentation writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Open,
    Close,
    Comma,
    Op(Op),
    And,
    Or,
    Not,
    In,
    /// A bare word (full-width forms made ASCII).
    Word(String),
    /// A quoted text, its escapes resolved.
    Quoted(String),
}

/// A token and the bytes of the expression it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Range<usize>,
}

/// The ASCII character a full-width form stands for (U+FF01-FF5E, and the ideographic space).
fn narrow(c: char) -> char {
    match u32::from(c) {
        0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// True for the characters that end a word.
fn stops_word(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')' | ',' | '=' | '!' | '<' | '>' | '"' | '\'' | '&' | '|'
        )
}

/// The tokens of `expr`.
pub(crate) fn tokenize(expr: &str) -> Result<Vec<Token>, QueryError> {
    let mut out = Vec::new();
    // Characters with their byte offsets, full-width forms narrowed.
    let chars: Vec<(usize, char)> = expr.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(expr.len(), |c| c.0);
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = (chars[i].0, narrow(chars[i].1));
        let next = chars.get(i + 1).map(|c| narrow(c.1));
        let first = i;
        let mut one = |tok: Tok, n: usize| {
            out.push(Token {
                tok,
                span: at..end_of(first + n),
            });
            n
        };
        i += match (c, next) {
            (c, _) if c.is_whitespace() => 1,
            ('(', _) => one(Tok::Open, 1),
            (')', _) => one(Tok::Close, 1),
            (',', _) => one(Tok::Comma, 1),
            ('=', Some('=')) => one(Tok::Op(Op::Eq), 2),
            ('=', _) => one(Tok::Op(Op::Eq), 1),
            ('!', Some('=')) => one(Tok::Op(Op::Ne), 2),
            ('!', _) => one(Tok::Not, 1),
            ('<', Some('>')) => one(Tok::Op(Op::Ne), 2),
            ('<', Some('=')) => one(Tok::Op(Op::Le), 2),
            ('<', _) => one(Tok::Op(Op::Lt), 1),
            ('>', Some('=')) => one(Tok::Op(Op::Ge), 2),
            ('>', _) => one(Tok::Op(Op::Gt), 1),
            ('&', Some('&')) => one(Tok::And, 2),
            ('|', Some('|')) => one(Tok::Or, 2),
            ('&' | '|', _) => {
                return Err(QueryError::new(
                    ErrorKind::UnexpectedChar(c),
                    at..end_of(i + 1),
                    expr,
                ))
            }
            ('"' | '\'', _) => {
                let (text, n) = quoted(&chars[i..], c).ok_or_else(|| {
                    QueryError::new(ErrorKind::UnterminatedString, at..expr.len(), expr)
                })?;
                one(Tok::Quoted(text), n)
            }
            _ => {
                let mut word = String::new();
                let mut n = 0;
                while let Some(&(_, c)) = chars.get(i + n) {
                    let c = narrow(c);
                    if stops_word(c) {
                        break;
                    }
                    word.push(c);
                    n += 1;
                }
                let tok = match word.to_ascii_lowercase().as_str() {
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "not" => Tok::Not,
                    "in" => Tok::In,
                    _ => Tok::Word(word),
                };
                one(tok, n)
            }
        };
    }
    Ok(out)
}

/// The text of the quoted string at the start of `chars` (opened by `quote`) and how many
/// characters it takes with its quotes; `None` when it is not closed. A backslash keeps the
/// next character as it is (`\"`, `\\`).
fn quoted(chars: &[(usize, char)], quote: char) -> Option<(String, usize)> {
    let mut text = String::new();
    let mut i = 1;
    loop {
        let c = chars.get(i)?.1;
        match c {
            '\\' => {
                text.push(chars.get(i + 1)?.1);
                i += 2;
            }
            c if narrow(c) == quote => return Some((text, i + 1)),
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn words_keep_addresses_times_and_names_whole() {
        assert_eq!(
            toks("srcaddr in 2001:db8::/32 and start>=2025-04-13T05:00Z"),
            [
                Tok::Word("srcaddr".into()),
                Tok::In,
                Tok::Word("2001:db8::/32".into()),
                Tok::And,
                Tok::Word("start".into()),
                Tok::Op(Op::Ge),
                Tok::Word("2025-04-13T05:00Z".into()),
            ]
        );
        assert_eq!(
            toks("!(a<>b)||c&&d"),
            [
                Tok::Not,
                Tok::Open,
                Tok::Word("a".into()),
                Tok::Op(Op::Ne),
                Tok::Word("b".into()),
                Tok::Close,
                Tok::Or,
                Tok::Word("c".into()),
                Tok::And,
                Tok::Word("d".into()),
            ]
        );
    }

    #[test]
    fn quotes_escapes_and_full_width() {
        assert_eq!(
            toks(r#""a \"b\" \\ c""#),
            [Tok::Quoted(r#"a "b" \ c"#.into())]
        );
        assert_eq!(toks("'x'"), [Tok::Quoted("x".into())]);
        let t = tokenize("ｄｓｔｐｏｒｔ＝２２").unwrap();
        assert_eq!(t[0].tok, Tok::Word("dstport".into()));
        assert_eq!(t[1].tok, Tok::Op(Op::Eq));
        assert_eq!(t[2].span, 24..30);
        let e = tokenize("a = \"open").unwrap_err();
        assert_eq!(
            (e.kind, e.span, e.column),
            (ErrorKind::UnterminatedString, 4..9, 5)
        );
        let e = tokenize("a & b").unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnexpectedChar('&'));
    }
}
