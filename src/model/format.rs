//! Formats: which field each space-separated column of a record holds. A format comes from AWS's
//! defaults (VPC and transit gateway), a header line in the input, a format string the user gives
//! (`${version} ${vpc-id} ...` or plain names), or is inferred from the values themselves
//! ([`crate::ingest::infer`]).

use crate::model::fields::{field_id, FieldId};
use serde::Serialize;

/// One column of a format.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// A field in the field-spec table.
    Known(FieldId),
    /// A field name flowlens does not know (AWS keeps adding fields): kept and shown raw.
    Unknown(Box<str>),
}

impl Column {
    /// The field's name as AWS writes it.
    pub fn name(&self) -> &str {
        match self {
            Column::Known(id) => id.spec().key,
            Column::Unknown(name) => name,
        }
    }

    /// The known field, if it is one.
    pub fn known(&self) -> Option<FieldId> {
        match self {
            Column::Known(id) => Some(*id),
            Column::Unknown(_) => None,
        }
    }
}

/// How a format was determined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormatOrigin {
    /// AWS's default VPC format (the 14 version-2 fields).
    Default,
    /// AWS's default transit gateway format (36 fields).
    TransitGatewayDefault,
    /// A header line of field names in the input.
    Header,
    /// A format string given by the user.
    FormatString,
    /// Inferred from the values: a guess.
    Inferred,
}

/// The order of fields in the records being read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Format {
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// Where this format came from.
    pub origin: FormatOrigin,
}

/// Why a format string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError(pub String);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormatError {}

/// True when `s` has the shape of a flow log field name: lowercase letters, digits and hyphens,
/// starting with a letter.
pub fn looks_like_field_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

impl Format {
    /// A format of known field names.
    pub fn from_keys(keys: &[&str], origin: FormatOrigin) -> Format {
        Format {
            columns: keys
                .iter()
                .map(|k| match field_id(k) {
                    Some(id) => Column::Known(id),
                    None => Column::Unknown((*k).into()),
                })
                .collect(),
            origin,
        }
    }

    /// AWS's default VPC format.
    pub fn default_format() -> Format {
        Format::from_keys(&crate::model::fields::DEFAULT_FORMAT, FormatOrigin::Default)
    }

    /// AWS's default transit gateway format, when the field table has it.
    pub fn transit_gateway_default() -> Option<Format> {
        let keys = crate::model::fields::TGW_DEFAULT_FORMAT;
        keys.iter()
            .all(|k| field_id(k).is_some())
            .then(|| Format::from_keys(&keys, FormatOrigin::TransitGatewayDefault))
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// True for a format of no columns (never produced by the constructors here).
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// The column of field `id` in this format. Hot paths resolve their columns once per format.
    #[inline]
    pub fn column(&self, id: FieldId) -> Option<usize> {
        self.columns.iter().position(|c| *c == Column::Known(id))
    }

    /// Position of field `key` in this format.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name() == key)
    }

    /// Field names separated by spaces, as in a header line.
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(Column::name).collect();
        names.join(" ")
    }

    /// The format as AWS's format-string syntax: `${version} ${account-id} ...`.
    pub fn format_string(&self) -> String {
        let names: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("${{{}}}", c.name()))
            .collect();
        names.join(" ")
    }

    /// Parses a format the user gives: AWS's `${version} ${vpc-id} ...`, or plain names separated
    /// by spaces or commas. Unknown names are kept; a token that is not a field name is refused.
    pub fn parse_format_string(text: &str) -> Result<Format, FormatError> {
        let mut columns = Vec::new();
        for token in text.split(|c: char| c.is_whitespace() || c == ',') {
            if token.is_empty() {
                continue;
            }
            let name = token
                .strip_prefix("${")
                .and_then(|t| t.strip_suffix('}'))
                .unwrap_or(token);
            if !looks_like_field_name(name) {
                return Err(FormatError(format!(
                    "'{token}' is not a field name (expected names like srcaddr or ${{srcaddr}})"
                )));
            }
            columns.push(match field_id(name) {
                Some(id) => Column::Known(id),
                None => Column::Unknown(name.into()),
            });
        }
        if columns.is_empty() {
            return Err(FormatError("the format names no field".into()));
        }
        if let Some(name) = repeated_name(columns.iter().map(Column::name)) {
            return Err(FormatError(format!(
                "the format names '{name}' twice (a record cannot hold two values under one name)"
            )));
        }
        Ok(Format {
            columns,
            origin: FormatOrigin::FormatString,
        })
    }

    /// If `line` is a header line (every token a field name, most of them known), its format.
    /// A line that names a field twice is not one (see [`Format::read_header`]).
    pub fn header(line: &str) -> Option<Format> {
        Format::read_header(line)?.ok()
    }

    /// If `line` reads as a header line (every token a field name, most of them known): its
    /// format, or `Err` with a name it repeats. A repeated name is refused rather than kept as a
    /// second column: a record, shown as an object of fields, cannot hold two values under one
    /// name, and a header that repeats one is more likely damaged than meant.
    pub fn read_header(line: &str) -> Option<Result<Format, &str>> {
        let mut columns = Vec::new();
        let mut known = 0usize;
        for token in crate::model::tokens::tokens(line) {
            if !looks_like_field_name(token) {
                return None;
            }
            columns.push(match field_id(token) {
                Some(id) => {
                    known += 1;
                    Column::Known(id)
                }
                None => Column::Unknown(token.into()),
            });
        }
        if known == 0 || known * 2 < columns.len() {
            return None;
        }
        if let Some(name) = repeated_name(crate::model::tokens::tokens(line)) {
            return Some(Err(name));
        }
        Some(Ok(Format {
            columns,
            origin: FormatOrigin::Header,
        }))
    }
}

/// The first name that appears a second time.
fn repeated_name<'a>(mut names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = std::collections::HashSet::new();
    names.find(|n| !seen.insert(*n))
}

impl Default for Format {
    fn default() -> Self {
        Format::default_format()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_strings_in_both_syntaxes() {
        let a = Format::parse_format_string("${version} ${vpc-id} ${srcaddr}").unwrap();
        let b = Format::parse_format_string("version, vpc-id,srcaddr").unwrap();
        assert_eq!(a.columns, b.columns);
        assert_eq!(a.format_string(), "${version} ${vpc-id} ${srcaddr}");
        let c = Format::parse_format_string("${version} ${future-field}").unwrap();
        assert_eq!(c.columns[1], Column::Unknown("future-field".into()));
        assert!(Format::parse_format_string("").is_err());
        assert!(Format::parse_format_string("version 10.0.0.1").is_err());
    }

    #[test]
    fn header_lines_allow_some_unknown_names() {
        let h = Format::header("version srcaddr dstaddr new-field action").unwrap();
        assert_eq!(h.len(), 5);
        assert_eq!(h.columns[3], Column::Unknown("new-field".into()));
        assert!(Format::header("ingress egress").is_none());
        assert!(Format::header("2 654654279488").is_none());
        assert!(Format::header("").is_none());
    }
}
