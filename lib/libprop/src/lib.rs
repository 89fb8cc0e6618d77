//! NetBSD proplib(3), compatible with NetBSD's on the wire.
//!
//! [`Value`] is the object model Rust code uses; [`xml`] and [`json`] read
//! and write it in the forms NetBSD's proplib reads and writes. The
//! [`cabi`] module exports the `prop_*` C functions (with NetBSD's names and
//! signatures, declared in `include/prop/proplib.h`) that host mode links
//! in place of the kernel's proplib.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![deny(clippy::indexing_slicing)]

pub mod cabi;
mod error;
pub mod json;
mod limits;
mod value;
pub mod xml;

pub use error::{Error, ErrorKind};
pub use limits::{MAX_DEPTH, MAX_INPUT_LEN, MAX_KEY_LEN};
pub use value::{Dict, Value};

/// Which text form a document is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

/// Reads a document in either form, telling them apart by the first
/// significant byte as NetBSD's `prop_object_internalize` does.
pub fn internalize(input: &[u8]) -> Result<Value, Error> {
    match detect(input) {
        Format::Json => json::internalize(input),
        Format::Xml => xml::internalize(input),
    }
}

/// The form of a document: JSON when it opens with `{` or `[` (after an
/// optional byte order mark and white space), XML otherwise.
pub fn detect(input: &[u8]) -> Format {
    let body = input
        .strip_prefix(b"\xef\xbb\xbf")
        .or_else(|| input.strip_prefix(b"\xff\xfe"))
        .or_else(|| input.strip_prefix(b"\xfe\xff"))
        .unwrap_or(input);
    match body.iter().find(|b| !xml::is_space(**b)) {
        Some(b'{') | Some(b'[') => Format::Json,
        _ => Format::Xml,
    }
}
