//! A record: a format and one value per column. The decoder hands records on as a
//! [`RecordView`] (its format's index in the decoder's list and values borrowed from the line);
//! every reader reads them as a [`RecordRef`], by field.

use crate::model::fields::FieldId;
use crate::model::format::Format;
use crate::model::value::{Value, ValueRef};
use std::net::IpAddr;

/// A decoded record, owned: its format (an index into the decoder's formats) and its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Index of the record's format in the decoder's formats.
    pub format: usize,
    /// The values, one per column of the format.
    pub values: Vec<Value>,
}

/// A decoded record whose values borrow their text from the line: what a
/// [`crate::ingest::pipeline::Sink`] receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordView<'a> {
    /// Index of the record's format in the decoder's formats.
    pub format: usize,
    /// The values, one per column of the format.
    pub values: &'a [ValueRef<'a>],
    /// The line as given, when it is not its values written back with single spaces (other
    /// whitespace, a number with leading zeros, ...); `None` when it is.
    pub raw: Option<&'a str>,
}

impl<'a> RecordView<'a> {
    /// The owned record.
    pub fn to_record(&self) -> Record {
        Record {
            format: self.format,
            values: self.values.iter().map(|v| v.to_value()).collect(),
        }
    }

    /// The record read by field, its format found in `formats` (the decoder's list).
    pub fn with<'f: 'a>(&self, formats: &'f [Format]) -> Option<RecordRef<'a>> {
        Some(RecordRef {
            format: formats.get(self.format)?,
            values: self.values,
        })
    }
}

/// A record read by field: its format and its values, borrowed.
#[derive(Clone, Copy, Debug)]
pub struct RecordRef<'a> {
    /// The record's format.
    pub format: &'a Format,
    /// Its values, one per column of the format.
    pub values: &'a [ValueRef<'a>],
}

impl<'a> RecordRef<'a> {
    /// The value of field `id`, if the format has it.
    #[inline]
    pub fn field(&self, id: FieldId) -> Option<ValueRef<'a>> {
        self.values.get(self.format.column(id)?).copied()
    }

    /// The value of the field named `key` (a known field or one flowlens does not know), if the
    /// format has it.
    pub fn get(&self, key: &str) -> Option<ValueRef<'a>> {
        self.values.get(self.format.position(key)?).copied()
    }

    /// The integer of field `id`.
    #[inline]
    pub fn uint(&self, id: FieldId) -> Option<u64> {
        self.field(id).and_then(ValueRef::uint)
    }

    /// The address of field `id`.
    #[inline]
    pub fn addr(&self, id: FieldId) -> Option<IpAddr> {
        self.field(id).and_then(ValueRef::addr)
    }

    /// The text of field `id`.
    #[inline]
    pub fn text(&self, id: FieldId) -> Option<&'a str> {
        self.field(id).and_then(ValueRef::text)
    }
}
