//! Typed field values and how each kind of field is parsed from its token.

use crate::fields::Kind;
use std::net::IpAddr;

/// A typed field value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `-`: not applicable, or could not be computed.
    Absent,
    /// An integer (version, port, protocol, packets, bytes, start, end).
    UInt(u64),
    /// An IPv4 or IPv6 address.
    Addr(IpAddr),
    /// A text value (account ID, interface ID, action, log status).
    Text(Box<str>),
}

impl Value {
    /// The integer, if the value is one.
    pub fn uint(&self) -> Option<u64> {
        match self {
            Value::UInt(n) => Some(*n),
            _ => None,
        }
    }

    /// The address, if the value is one.
    pub fn addr(&self) -> Option<IpAddr> {
        match self {
            Value::Addr(a) => Some(*a),
            _ => None,
        }
    }

    /// The text, if the value is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses one token as a value of `kind`; `None` when it is not one.
pub fn parse_value(kind: Kind, token: &str) -> Option<Value> {
    if token == "-" {
        return Some(Value::Absent);
    }
    let uint = |max: u64| -> Option<Value> {
        if token.is_empty() || token.len() > 20 || !token.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        token
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= max)
            .map(Value::UInt)
    };
    match kind {
        Kind::Version => uint(u64::from(u8::MAX)),
        Kind::Port => uint(u64::from(u16::MAX)),
        Kind::Protocol => uint(u64::from(u8::MAX)),
        Kind::Packets | Kind::Bytes | Kind::Time => uint(u64::MAX),
        Kind::AccountId => {
            let ok = token == "unknown"
                || (token.len() == 12 && token.bytes().all(|b| b.is_ascii_digit()));
            ok.then(|| Value::Text(token.into()))
        }
        Kind::InterfaceId => {
            let ok = token
                .strip_prefix("eni-")
                .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric()));
            ok.then(|| Value::Text(token.into()))
        }
        Kind::Address => token.parse::<IpAddr>().ok().map(Value::Addr),
        Kind::Action => matches!(token, "ACCEPT" | "REJECT").then(|| Value::Text(token.into())),
        Kind::LogStatus => {
            matches!(token, "OK" | "NODATA" | "SKIPDATA").then(|| Value::Text(token.into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_out_of_range_and_negative_are_rejected() {
        for bad in ["-1", "18446744073709551616", "1e3", "+5", "0x10", ""] {
            assert_eq!(parse_value(Kind::Bytes, bad), None, "{bad}");
        }
        assert_eq!(parse_value(Kind::Protocol, "256"), None);
        assert_eq!(
            parse_value(Kind::Bytes, "18446744073709551615"),
            Some(Value::UInt(u64::MAX))
        );
    }
}
