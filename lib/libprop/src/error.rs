use core::fmt;

/// Why a document was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Input ended inside an object.
    Truncated,
    /// Not well-formed: a tag, token or character out of place.
    Syntax,
    /// An element NetBSD's proplib does not know.
    UnknownElement,
    /// Closing tag does not match the open element.
    Mismatch,
    /// An entity or escape that is not one of the five XML ones / JSON's.
    BadEscape,
    /// Integer out of range or not a number.
    BadNumber,
    /// `<data>` that is not valid base64.
    BadData,
    /// A string or key that is not UTF-8 or contains NUL.
    BadString,
    /// Dictionary key longer than [`crate::MAX_KEY_LEN`].
    KeyTooLong,
    /// Nesting deeper than [`crate::MAX_DEPTH`].
    TooDeep,
    /// Document longer than [`crate::MAX_INPUT_LEN`].
    TooLarge,
    /// Something other than white space after the document.
    TrailingGarbage,
}

/// A refused document: what was wrong and the byte offset where it showed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub offset: usize,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, offset: usize) -> Self {
        Error { kind, offset }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            ErrorKind::Truncated => "document ends inside an object",
            ErrorKind::Syntax => "malformed document",
            ErrorKind::UnknownElement => "unknown element",
            ErrorKind::Mismatch => "closing tag does not match",
            ErrorKind::BadEscape => "invalid escape or entity",
            ErrorKind::BadNumber => "invalid or out-of-range integer",
            ErrorKind::BadData => "invalid base64 data",
            ErrorKind::BadString => "string is not UTF-8 or contains NUL",
            ErrorKind::KeyTooLong => "dictionary key too long",
            ErrorKind::TooDeep => "nesting too deep",
            ErrorKind::TooLarge => "document too large",
            ErrorKind::TrailingGarbage => "data after the document",
        };
        f.write_str(s)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

impl std::error::Error for Error {}
