//! Filters, sorts and exports over the packed records: a filter language small enough to type,
//! evaluated over the store without building an explanation (or a JavaScript object) per record.
//!
//! ```
//! use flowlens::query::{Query, Sort};
//! use flowlens::store::Decoded;
//! let d = Decoded::decode(include_str!("../../tests/data/aws-docs-examples.log"));
//! let q: Query = "action=reject and port in (22, 3389)".parse().unwrap();
//! assert_eq!(q.filter(&d, None), [1]);
//! let mut rows = Query::parse("service=ssh or protocol=icmp").unwrap().filter(&d, None);
//! "bytes:desc".parse::<Sort>().unwrap().apply(d.store(), &mut rows);
//! assert_eq!(rows, [6, 0, 4, 5]);
//! ```
//!
//! # The language
//!
//! ```text
//! expr    = or
//! or      = and { "or" and }                      also ||
//! and     = unary { "and" unary }                 also &&
//! unary   = "not" unary | "(" or ")" | test       also !
//! test    = name op value
//!         | name ["not"] "in" "(" value { "," value } ")"
//!         | name ["not"] "in" CIDR                (addresses)
//!         | name                                  (the boolean facts alone: from_internet)
//!         | "quoted text"                         (free text)
//! op      = "=" | "!=" | "<" | "<=" | ">" | ">="  also ==, <>
//! value   = word | "quoted text" | "-"            ("-": no value)
//! ```
//!
//! `or` binds loosest, then `and`, then `not`: `a or b and not c` is `a or (b and (not c))`.
//! Keywords, names and the values of enumerated fields are read in any case (`action=reject`);
//! names with `-` and `_` optional (`log-status`, `logStatus`, `log_status`).
//!
//! **Names.** Every field by its AWS name (`srcaddr`, `log-status`, `pkt-dst-aws-service`, …),
//! and the derived facts:
//!
//! | name | what | values |
//! |---|---|---|
//! | `addr`, `port` | either end: `addr in 10.0.0.0/8` is `srcaddr in 10.0.0.0/8 or dstaddr in 10.0.0.0/8` | addresses, ports |
//! | `scope`, `srcscope`, `dstscope` (`src.scope`, `dst.scope`) | an address's IANA scope (either end for `scope`) | `public`, `private`, `shared`, `loopback`, `link-local`, `documentation`, `multicast`, `unique-local`, … |
//! | `aws.service`, `src.aws.service`, `dst.aws.service` | a service AWS lists for the most specific prefix of its ranges holding the address | `S3`, `EC2`, `AMAZON`, … |
//! | `aws.region`, `src.aws.region`, `dst.aws.region` | that prefix's region | `us-east-1`, `GLOBAL`, … |
//! | `cloud`, `src.cloud`, `dst.cloud` | another cloud whose published ranges hold a public address that is not AWS's | `google` (`gcp`), `oracle` (`oci`), `cloudflare` |
//! | `service` | the service on the server's port (the port the roles say; both ports when they do not tell), by IANA name, the name users know, or a part of it | `ssh`, `https`, `rdp`, `ms-wbt-server`, `redis`, … |
//! | `role` | client to server, or back, from the ports | `request`, `reply` |
//! | `direction` | into or out of the record's interface: `flow-direction`, else the interface's own address found in the input | `inbound`, `outbound` (`ingress`, `egress`) |
//! | `from_internet`, `to_internet` | the source (destination) is a host on the internet: a public address, not in AWS's ranges, not the record's own interface's address (another cloud's hosts are on the internet) | alone, or `= true` / `= false` |
//!
//! **Values** are read by the type of what they are compared with: integers (`bytes > 1000`);
//! `protocol` by number or name (`protocol=tcp`); times as ISO 8601 in UTC or with an offset
//! (`2025-04-13`, `2025-04-13T05:00Z`, `2025-04-13T14:00+09:00`) or Unix seconds, a time
//! standing for what its precision covers (`start = 2025-04-13` is that whole day, `start <
//! 2025-04-13` before it, `start <= 2025-04-13` up to its end; records in milliseconds are read in
//! seconds); addresses and CIDR blocks (`srcaddr = 10.0.0.0/8` holds like `srcaddr in
//! 10.0.0.0/8`; `<` and `>` order addresses of one family); texts compared in any case of ASCII
//! letters. `<`, `<=`, `>`, `>=` apply to fields only, not to the derived facts.
//!
//! **Absent values.** A field whose value is `-`, a field the record's format lacks, and a
//! derived fact without a value (no AWS prefix, no roles) are *absent*: `field = -` holds for
//! them and any other comparison does not. `!=` and `not in` are exactly `not (… = …)` and
//! `not (… in …)`: `action != REJECT` holds for a NODATA record, and `addr != 10.0.0.1` means
//! neither end is 10.0.0.1.
//!
//! **Free text** (`"eni-01f3"`) holds when the text of any of the record's values contains it, in
//! any case of ASCII letters (numbers and addresses as flowlens writes them).
//!
//! Errors ([`QueryError`]) say where (byte span and column) and what was expected there, in
//! English or Japanese.
//!
//! # Modules
//! - [`lexer`]: the expression into tokens.
//! - [`ast`]: what a parsed expression says ([`Expr`]).
//! - [`error`]: why an expression was refused ([`QueryError`]), and where.
//! - `parser`, `names`, `value`: the grammar, the names, the values.
//! - `eval`: the expression compiled per format and evaluated over the store.
//! - `derive`: the derived facts, from the few values each needs.
//! - [`sort`]: records ordered by time, bytes or packets ([`Sort`]).
//! - [`csv`]: records as CSV ([`Csv`]).
//! - [`export`]: records as CSV or NDJSON, a chunk at a time ([`Export`]).
//! - [`list`]: one short row per record, for a list of millions ([`ListRow`]).
//! - [`emit`]: the same filter and the summary's tables as CloudWatch Logs Insights queries and
//!   Athena SQL.

pub mod ast;
pub mod csv;
mod derive;
pub mod emit;
pub mod error;
mod eval;
pub mod export;
pub mod lexer;
pub mod list;
mod names;
mod parser;
pub mod sort;
mod value;

pub use ast::Expr;
pub use csv::{Csv, DERIVED_COLUMNS};
pub use error::{ErrorKind, Expected, QueryError, ValueKind};
pub use export::{Export, ExportKind};
pub use list::{list_rows, ListRow};
pub use sort::{Sort, SortKey};

use crate::classify::aws::AwsRanges;
use crate::facts::InputFacts;
use crate::model::record::RecordRef;
use crate::store::{Decoded, Store};
use eval::{Env, Program};

/// The longest expression read, in bytes (a list of a few thousand addresses fits).
pub const MAX_EXPRESSION_BYTES: usize = 64 * 1024;

/// How deep parentheses and `not`s may nest.
pub const MAX_DEPTH: usize = 64;

/// A parsed filter, ready to run over records.
#[derive(Clone, Debug)]
pub struct Query {
    expr: Expr,
    program: Program,
}

impl Query {
    /// Parses `text` (see the [module documentation](self) for the language).
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let expr = parser::parse(text)?;
        let program = Program::compile(&expr);
        Ok(Query { expr, program })
    }

    /// What the expression says.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// True when the filter consults AWS's ranges (`aws.service`, `cloud`, `from_internet`, …):
    /// without them it holds as if no address were AWS's.
    pub fn uses_aws_ranges(&self) -> bool {
        self.program.uses_aws()
    }

    /// The rows (entry indexes, in input order) of `decoded`'s records that pass, with what the
    /// whole input tells (interfaces' own addresses) and AWS's ranges if given. Lines that could
    /// not be decoded are not records and never pass.
    pub fn filter(&self, decoded: &Decoded, aws: Option<&AwsRanges>) -> Vec<u32> {
        self.filter_store(decoded.store(), decoded.facts(), aws)
    }

    /// The same over a store and the facts of its input.
    pub fn filter_store(
        &self,
        store: &Store,
        facts: &InputFacts,
        aws: Option<&AwsRanges>,
    ) -> Vec<u32> {
        let plans: Vec<_> = store
            .formats()
            .iter()
            .map(|f| self.program.plan(f))
            .collect();
        let keep: Vec<Vec<bool>> = plans.iter().map(|p| p.keep.clone()).collect();
        let env = Env { facts, aws };
        let mut rows = Vec::new();
        store.for_each_row_cursor(&keep, |row, format, cursor| {
            if let Some(plan) = plans.get(format) {
                if self.program.eval(plan, cursor, &env) {
                    rows.push(row);
                }
            }
        });
        rows
    }

    /// True when one record passes (the formats' columns are resolved for this call: for many
    /// records, [`Query::filter`]).
    pub fn matches(
        &self,
        rec: &RecordRef<'_>,
        facts: &InputFacts,
        aws: Option<&AwsRanges>,
    ) -> bool {
        let plan = self.program.plan(rec.format);
        let mut values = eval::Slice(rec.values);
        self.program.eval(&plan, &mut values, &Env { facts, aws })
    }
}

/// Every record's row of `store`, in input order (what a sort orders when nothing is filtered).
pub fn record_rows(store: &Store) -> Vec<u32> {
    (0..store.len())
        .filter(|i| store.format_of(*i).is_some())
        .map(|i| i as u32)
        .collect()
}

impl std::str::FromStr for Query {
    type Err = QueryError;

    fn from_str(s: &str) -> Result<Query, QueryError> {
        Query::parse(s)
    }
}
