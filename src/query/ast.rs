//! What a parsed expression says: tests of fields and derived facts, combined with `and`, `or`,
//! `not`. Values are already typed and normalised (times in seconds, addresses as ranges, names
//! in lower case), so evaluation compares numbers and bytes only.

use crate::model::fields::FieldId;
use std::net::IpAddr;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// True when any is (two or more).
    Or(Vec<Expr>),
    /// True when all are (two or more).
    And(Vec<Expr>),
    /// True when the expression is not.
    Not(Box<Expr>),
    /// A test of one field or fact.
    Test(Test),
    /// Quoted free text: true when the text of any value of the record contains it (ASCII letters
    /// in any case). Held in lower case.
    Text(Box<str>),
}

/// A test: what is read of the record, and which of its values pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    /// What is read.
    pub subject: Subject,
    /// Which values pass.
    pub pred: Pred,
}

/// Which end of a flow a derived fact is read at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum End {
    /// The source (srcaddr, srcport).
    Src,
    /// The destination (dstaddr, dstport).
    Dst,
    /// Either: the test passes when it passes at one end or the other.
    Either,
}

/// What a test reads of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A field, by its AWS name.
    Field(FieldId),
    /// Either of two fields (`addr`: srcaddr or dstaddr; `port`: srcport or dstport).
    Either(FieldId, FieldId),
    /// The IANA scope of an address (`scope`, `srcscope`, `dstscope`).
    Scope(End),
    /// The services AWS lists for the most specific prefix of AWS's ranges holding an address
    /// (`aws.service`, `src.aws.service`, `dst.aws.service`).
    AwsService(End),
    /// The region of that prefix (`aws.region`, ...).
    AwsRegion(End),
    /// The other cloud whose published ranges hold a public address that is not AWS's (`cloud`).
    Cloud(End),
    /// The service on the server's port (`service`); both ports when the ports do not tell which
    /// end is the server.
    Service,
    /// Whether the record goes from client to server (`role=request`) or back (`role=reply`).
    Role,
    /// Whether the record goes into or out of its network interface (`direction`).
    Direction,
    /// The source is a host on the internet (`from_internet`): a public address, not in AWS's
    /// ranges, and not the record's own interface's address.
    FromInternet,
    /// The same of the destination (`to_internet`).
    ToInternet,
    /// A value of the record does not fit its field: redacted, a placeholder, out of range, ...
    /// (`problem`; see [`crate::model::problem`]).
    Problem,
}

/// Inclusive ranges of addresses of one family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddrRange {
    /// IPv4, first and last.
    V4(u32, u32),
    /// IPv6, first and last.
    V6(u128, u128),
}

impl AddrRange {
    /// True when `ip` is in the range (an address of the other family never is).
    #[inline]
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self, ip) {
            (AddrRange::V4(lo, hi), IpAddr::V4(a)) => (*lo..=*hi).contains(&u32::from(a)),
            (AddrRange::V6(lo, hi), IpAddr::V6(a)) => (*lo..=*hi).contains(&u128::from(a)),
            _ => false,
        }
    }
}

/// An ordered comparison of texts (ASCII letters in any case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextOp {
    /// Equal.
    Eq,
    /// Before.
    Lt,
    /// Before or equal.
    Le,
    /// After.
    Gt,
    /// After or equal.
    Ge,
}

impl TextOp {
    /// The operator as the query languages of AWS's engines (and this one) write it.
    pub fn symbol(self) -> &'static str {
        match self {
            TextOp::Eq => "=",
            TextOp::Lt => "<",
            TextOp::Le => "<=",
            TextOp::Gt => ">",
            TextOp::Ge => ">=",
        }
    }
}

/// The values that pass a test.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pred {
    /// Whether an absent value passes (`-` in the record, a field its format lacks, a derived
    /// fact that has no value).
    pub absent: bool,
    /// The present values that pass.
    pub values: Values,
}

/// Present values that pass, of the subject's type. A list passes when any of its items does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Values {
    /// None.
    #[default]
    None,
    /// Integers in these inclusive ranges.
    Numbers(Vec<(u64, u64)>),
    /// Times in these inclusive ranges of Unix seconds (records in milliseconds are read in
    /// seconds).
    Times(Vec<(u64, u64)>),
    /// Addresses in these ranges.
    Addrs(Vec<AddrRange>),
    /// Texts passing one of these comparisons (held in lower case).
    Texts(Vec<(TextOp, Box<str>)>),
    /// Members of a small set, one bit each: scopes, clouds, roles, directions, `true`.
    Set(u32),
    /// Names equal to one of these (lower case): services, AWS services and regions.
    Names(Vec<Box<str>>),
}
