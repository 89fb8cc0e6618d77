//! The object model: the seven proplib types as one Rust enum.

use std::collections::BTreeMap;

/// A dictionary. Keys sort by byte value, which is the order NetBSD keeps
/// (strcmp) and therefore the order it externalizes in.
pub type Dict = BTreeMap<String, Value>;

/// One proplib object. Signed and unsigned numbers are distinct, as in
/// NetBSD: the distinction decides how a number is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Dict(Dict),
    Array(Vec<Value>),
    String(String),
    Signed(i64),
    Unsigned(u64),
    Bool(bool),
    Data(Vec<u8>),
}

impl Value {
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Value::Dict(d) => Some(d),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as u64 when it is non-negative, whatever its signedness
    /// (NetBSD's `prop_number_uint64_value` semantics).
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::Unsigned(u) => Some(u),
            Value::Signed(s) => u64::try_from(s).ok(),
            _ => None,
        }
    }

    /// The number as i64 when it fits (`prop_number_int64_value`).
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Signed(s) => Some(s),
            Value::Unsigned(u) => i64::try_from(u).ok(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Writes the value as NetBSD's proplib externalizes it to XML.
    pub fn to_xml(&self) -> String {
        crate::xml::externalize(self)
    }

    /// Writes the value as JSON in the form NetBSD's proplib reads.
    pub fn to_json(&self) -> String {
        crate::json::externalize(self)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<u64> for Value {
    fn from(u: u64) -> Self {
        Value::Unsigned(u)
    }
}

impl From<u32> for Value {
    fn from(u: u32) -> Self {
        Value::Unsigned(u64::from(u))
    }
}

impl From<i64> for Value {
    fn from(s: i64) -> Self {
        Value::Signed(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Dict> for Value {
    fn from(d: Dict) -> Self {
        Value::Dict(d)
    }
}

impl From<Vec<Value>> for Value {
    fn from(a: Vec<Value>) -> Self {
        Value::Array(a)
    }
}
