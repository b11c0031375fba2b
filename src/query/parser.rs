//! Tokens into an [`Expr`], by recursive descent: `or` binds loosest, then `and`, then `not`;
//! parentheses group. Every error says where and what was expected there.

use super::ast::{AddrRange, Expr, Pred, Test, TextOp, Values};
use super::error::{ErrorKind, Expected, QueryError};
use super::lexer::{tokenize, Op, Tok, Token};
use super::names::{self, ValueType};
use super::value::{expectation, literal, Lit};
use super::{MAX_DEPTH, MAX_EXPRESSION_BYTES};

/// Parses `expr`.
pub(crate) fn parse(expr: &str) -> Result<Expr, QueryError> {
    if expr.len() > MAX_EXPRESSION_BYTES {
        return Err(QueryError::new(
            ErrorKind::TooLong,
            MAX_EXPRESSION_BYTES..expr.len(),
            expr,
        ));
    }
    let tokens = tokenize(expr)?;
    if tokens.is_empty() {
        return Err(QueryError::new(ErrorKind::Empty, 0..expr.len(), expr));
    }
    let mut p = Parser {
        expr,
        tokens,
        at: 0,
        depth: 0,
    };
    let e = p.or()?;
    match p.peek() {
        None => Ok(e),
        Some(_) => Err(p.expected(Expected::AndOrEnd)),
    }
}

struct Parser<'a> {
    expr: &'a str,
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += usize::from(t.is_some());
        t
    }

    fn error(&self, kind: ErrorKind, span: std::ops::Range<usize>) -> QueryError {
        QueryError::new(kind, span, self.expr)
    }

    /// `expected` was not at the current token (or at the end).
    fn expected(&self, expected: Expected) -> QueryError {
        match self.peek() {
            Some(t) => self.error(
                ErrorKind::Expected {
                    expected,
                    found: Some(self.expr[t.span.clone()].to_string()),
                },
                t.span.clone(),
            ),
            None => self.error(
                ErrorKind::Expected {
                    expected,
                    found: None,
                },
                self.expr.len()..self.expr.len(),
            ),
        }
    }

    /// One level deeper (a parenthesis or a `not`), refused past [`MAX_DEPTH`] so that no
    /// expression can exhaust the stack here or when it is evaluated.
    fn deeper(&mut self, span: std::ops::Range<usize>) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(ErrorKind::TooDeep, span));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut all = vec![self.and()?];
        while self.peek().is_some_and(|t| t.tok == Tok::Or) {
            self.at += 1;
            all.push(self.and()?);
        }
        Ok(if all.len() == 1 {
            all.remove(0)
        } else {
            Expr::Or(all)
        })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut all = vec![self.unary()?];
        while self.peek().is_some_and(|t| t.tok == Tok::And) {
            self.at += 1;
            all.push(self.unary()?);
        }
        Ok(if all.len() == 1 {
            all.remove(0)
        } else {
            Expr::And(all)
        })
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.expected(Expected::Term));
        };
        match t.tok {
            Tok::Not => {
                self.at += 1;
                self.deeper(t.span)?;
                let e = self.unary()?;
                self.depth -= 1;
                Ok(not(e))
            }
            Tok::Open => {
                self.at += 1;
                self.deeper(t.span)?;
                let e = self.or()?;
                if self.peek().is_some_and(|t| t.tok == Tok::Close) {
                    self.at += 1;
                } else {
                    return Err(self.expected(Expected::Close));
                }
                self.depth -= 1;
                Ok(e)
            }
            Tok::Quoted(text) => {
                self.at += 1;
                Ok(Expr::Text(text.to_ascii_lowercase().into()))
            }
            Tok::Word(name) => {
                self.at += 1;
                self.test(&name, t.span)
            }
            _ => Err(self.expected(Expected::Term)),
        }
    }

    /// A test of the field or fact `name` (written at `span`), after its name.
    fn test(&mut self, name: &str, span: std::ops::Range<usize>) -> Result<Expr, QueryError> {
        let Some((subject, ty)) = names::subject(name) else {
            return Err(self.error(
                ErrorKind::UnknownField {
                    name: name.to_string(),
                    suggestion: names::suggest(name),
                },
                span,
            ));
        };
        let test = |pred: Pred| Expr::Test(Test { subject, pred });
        let Some(t) = self.peek().cloned() else {
            return match ty {
                ValueType::Boolean => Ok(test(set(1))),
                _ => Err(self.expected(Expected::Operator)),
            };
        };
        match t.tok {
            Tok::Op(op) => {
                self.at += 1;
                let not_allowed = match op {
                    Op::Eq | Op::Ne => false,
                    _ => !ty.ordered(),
                };
                if not_allowed {
                    return Err(self.not_allowed(name, ty, t.span));
                }
                let (lit, at) = self.value(name, ty)?;
                if let (Op::Lt | Op::Le | Op::Gt | Op::Ge, Lit::Absent) = (op, &lit) {
                    return Err(self.bad_value(name, ty, "-", at));
                }
                let e = match lit {
                    Lit::Bool(b) => {
                        let e = test(set(1));
                        if b {
                            e
                        } else {
                            not(e)
                        }
                    }
                    lit => test(pred(ty, op, lit)),
                };
                Ok(if op == Op::Ne { not(e) } else { e })
            }
            Tok::In => {
                self.at += 1;
                self.list(name, ty, t.span).map(test)
            }
            Tok::Not => {
                self.at += 1;
                match self.next() {
                    Some(Token { tok: Tok::In, span }) => Ok(not(test(self.list(name, ty, span)?))),
                    _ => {
                        self.at -= 1;
                        Err(self.expected(Expected::In))
                    }
                }
            }
            _ if ty == ValueType::Boolean => Ok(test(set(1))),
            _ => Err(self.expected(Expected::Operator)),
        }
    }

    fn not_allowed(&self, name: &str, ty: ValueType, span: std::ops::Range<usize>) -> QueryError {
        self.error(
            ErrorKind::OperatorNotAllowed {
                field: name.to_string(),
                op: self.expr[span.clone()].to_string(),
                allowed: ty.operators(),
            },
            span,
        )
    }

    fn bad_value(
        &self,
        name: &str,
        ty: ValueType,
        value: &str,
        span: std::ops::Range<usize>,
    ) -> QueryError {
        self.error(
            ErrorKind::BadValue {
                field: name.to_string(),
                value: value.to_string(),
                expected: expectation(ty),
            },
            span,
        )
    }

    /// A value of `ty` (a word or a quoted text) and where it was written.
    fn value(
        &mut self,
        name: &str,
        ty: ValueType,
    ) -> Result<(Lit, std::ops::Range<usize>), QueryError> {
        let word = match self.peek().map(|t| &t.tok) {
            Some(Tok::Word(w) | Tok::Quoted(w)) => w.clone(),
            _ => return Err(self.expected(Expected::Value)),
        };
        let span = self.tokens[self.at].span.clone();
        self.at += 1;
        match literal(ty, &word) {
            Ok(lit) => Ok((lit, span)),
            Err(expected) => Err(self.error(
                ErrorKind::BadValue {
                    field: name.to_string(),
                    value: word,
                    expected,
                },
                span,
            )),
        }
    }

    /// After `in` (at `span`): `(v, v, ...)`, or one address or CIDR block for an address.
    fn list(
        &mut self,
        name: &str,
        ty: ValueType,
        span: std::ops::Range<usize>,
    ) -> Result<Pred, QueryError> {
        if ty == ValueType::Boolean {
            return Err(self.not_allowed(name, ty, span));
        }
        if !self.peek().is_some_and(|t| t.tok == Tok::Open) {
            if ty == ValueType::Address
                && matches!(
                    self.peek().map(|t| &t.tok),
                    Some(Tok::Word(_) | Tok::Quoted(_))
                )
            {
                let (lit, _) = self.value(name, ty)?;
                return Ok(pred(ty, Op::Eq, lit));
            }
            return Err(self.expected(Expected::List));
        }
        self.at += 1;
        let mut all = Pred::default();
        loop {
            let (lit, _) = self.value(name, ty)?;
            merge(&mut all, pred(ty, Op::Eq, lit));
            match self.peek().map(|t| &t.tok) {
                Some(Tok::Comma) => self.at += 1,
                Some(Tok::Close) => {
                    self.at += 1;
                    return Ok(all);
                }
                _ => return Err(self.expected(Expected::CommaOrClose)),
            }
        }
    }
}

/// `not e`, with `not not e` read as `e`.
fn not(e: Expr) -> Expr {
    match e {
        Expr::Not(inner) => *inner,
        e => Expr::Not(Box::new(e)),
    }
}

fn set(bits: u32) -> Pred {
    Pred {
        absent: false,
        values: Values::Set(bits),
    }
}

/// The values that pass `op lit`, for a subject of type `ty` (`!=` is read as `=`: the caller
/// negates the test). An ordered comparison with a range compares with its first value (`<`,
/// `>=`) or its last (`<=`, `>`): `start < 2025-04-13` is before the day, `start <= 2025-04-13`
/// up to its end.
fn pred(ty: ValueType, op: Op, lit: Lit) -> Pred {
    let values = match lit {
        Lit::Absent => {
            return Pred {
                absent: true,
                values: Values::None,
            }
        }
        Lit::Range(lo, hi) => {
            let range = match op {
                Op::Eq | Op::Ne => Some((lo, hi)),
                Op::Lt => lo.checked_sub(1).map(|b| (0, b)),
                Op::Le => Some((0, hi)),
                Op::Gt => hi.checked_add(1).map(|a| (a, u64::MAX)),
                Op::Ge => Some((lo, u64::MAX)),
            };
            let ranges = range.into_iter().collect();
            match ty {
                ValueType::Time => Values::Times(ranges),
                _ => Values::Numbers(ranges),
            }
        }
        Lit::Addr(r) => {
            let range = match r {
                AddrRange::V4(lo, hi) => match op {
                    Op::Eq | Op::Ne => Some(r),
                    Op::Lt => lo.checked_sub(1).map(|b| AddrRange::V4(0, b)),
                    Op::Le => Some(AddrRange::V4(0, hi)),
                    Op::Gt => hi.checked_add(1).map(|a| AddrRange::V4(a, u32::MAX)),
                    Op::Ge => Some(AddrRange::V4(lo, u32::MAX)),
                },
                AddrRange::V6(lo, hi) => match op {
                    Op::Eq | Op::Ne => Some(r),
                    Op::Lt => lo.checked_sub(1).map(|b| AddrRange::V6(0, b)),
                    Op::Le => Some(AddrRange::V6(0, hi)),
                    Op::Gt => hi.checked_add(1).map(|a| AddrRange::V6(a, u128::MAX)),
                    Op::Ge => Some(AddrRange::V6(lo, u128::MAX)),
                },
            };
            Values::Addrs(range.into_iter().collect())
        }
        Lit::Text(t) => match ty {
            ValueType::Names => Values::Names(vec![t]),
            _ => {
                let op = match op {
                    Op::Eq | Op::Ne => TextOp::Eq,
                    Op::Lt => TextOp::Lt,
                    Op::Le => TextOp::Le,
                    Op::Gt => TextOp::Gt,
                    Op::Ge => TextOp::Ge,
                };
                Values::Texts(vec![(op, t)])
            }
        },
        Lit::Bit(b) => Values::Set(b),
        Lit::Bool(_) => Values::Set(1),
    };
    Pred {
        absent: false,
        values,
    }
}

/// `into` or `more`: the union of two sets of values of one subject.
fn merge(into: &mut Pred, more: Pred) {
    into.absent |= more.absent;
    let values = std::mem::take(&mut into.values);
    into.values = match (values, more.values) {
        (Values::None, v) | (v, Values::None) => v,
        (Values::Numbers(mut a), Values::Numbers(b)) => {
            a.extend(b);
            Values::Numbers(a)
        }
        (Values::Times(mut a), Values::Times(b)) => {
            a.extend(b);
            Values::Times(a)
        }
        (Values::Addrs(mut a), Values::Addrs(b)) => {
            a.extend(b);
            Values::Addrs(a)
        }
        (Values::Texts(mut a), Values::Texts(b)) => {
            a.extend(b);
            Values::Texts(a)
        }
        (Values::Names(mut a), Values::Names(b)) => {
            a.extend(b);
            Values::Names(a)
        }
        (Values::Set(a), Values::Set(b)) => Values::Set(a | b),
        // One subject's values are all of one type.
        (a, _) => a,
    }
}
