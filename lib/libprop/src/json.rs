//! The JSON form that current NetBSD proplib reads and writes.
//!
//! JSON has one kind of number and no byte strings, so two things do not
//! survive a round trip: a non-negative number comes back signed when it
//! fits in i64 (the rule NetBSD applies to undecorated integers), and data
//! is written as a base64 string and read back as that string.

use crate::error::{Error, ErrorKind};
use crate::limits::{MAX_DEPTH, MAX_INPUT_LEN, MAX_KEY_LEN};
use crate::value::{Dict, Value};
use base64::Engine;
use std::fmt::Write;

/// Externalizes `v` as JSON, one member per line, tab-indented.
pub fn externalize(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0);
    out.push('\n');
    out
}

fn indent(out: &mut String, depth: usize) {
    out.extend(std::iter::repeat_n('\t', depth));
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_value(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Dict(d) if d.is_empty() => out.push_str("{ }"),
        Value::Dict(d) => {
            out.push_str("{\n");
            let mut first = true;
            for (k, item) in d {
                if !first {
                    out.push_str(",\n");
                }
                first = false;
                indent(out, depth + 1);
                write_string(out, k);
                out.push_str(": ");
                write_value(out, item, depth + 1);
            }
            out.push('\n');
            indent(out, depth);
            out.push('}');
        }
        Value::Array(a) if a.is_empty() => out.push_str("[ ]"),
        Value::Array(a) => {
            out.push_str("[\n");
            let mut first = true;
            for item in a {
                if !first {
                    out.push_str(",\n");
                }
                first = false;
                indent(out, depth + 1);
                write_value(out, item, depth + 1);
            }
            out.push('\n');
            indent(out, depth);
            out.push(']');
        }
        Value::String(s) => write_string(out, s),
        Value::Signed(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Unsigned(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Data(d) => {
            write_string(out, &base64::engine::general_purpose::STANDARD.encode(d));
        }
    }
}

/// Internalizes a JSON document holding any object.
pub fn internalize(input: &[u8]) -> Result<Value, Error> {
    if input.len() > MAX_INPUT_LEN {
        return Err(Error::new(ErrorKind::TooLarge, MAX_INPUT_LEN));
    }
    let end = input.iter().position(|&b| b == 0).unwrap_or(input.len());
    let s = input.get(..end).unwrap_or_default();
    let start = [&b"\xef\xbb\xbf"[..], b"\xff\xfe", b"\xfe\xff"]
        .iter()
        .find(|bom| s.starts_with(bom))
        .map_or(0, |bom| bom.len());
    let mut p = Parser { s, pos: start };
    let v = p.value(1)?;
    p.skip_space();
    if p.pos < p.s.len() {
        return Err(p.err(ErrorKind::TrailingGarbage));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, kind: ErrorKind) -> Error {
        Error::new(kind, self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(crate::xml::is_space) {
            self.pos += 1;
        }
    }

    fn next_significant(&mut self) -> Result<u8, Error> {
        self.skip_space();
        self.peek().ok_or(self.err(ErrorKind::Truncated))
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Error> {
        let rest = self.s.get(self.pos..).unwrap_or_default();
        if rest.starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else if word.starts_with(rest) {
            Err(Error::new(ErrorKind::Truncated, self.s.len()))
        } else {
            Err(self.err(ErrorKind::Syntax))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(self.err(ErrorKind::TooDeep));
        }
        match self.next_significant()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => Ok(Value::String(self.string()?)),
            b't' => self.literal(b"true").map(|_| Value::Bool(true)),
            b'f' => self.literal(b"false").map(|_| Value::Bool(false)),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(self.err(ErrorKind::Syntax)),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, Error> {
        self.pos += 1;
        let mut d = Dict::new();
        if self.next_significant()? == b'}' {
            self.pos += 1;
            return Ok(Value::Dict(d));
        }
        loop {
            if self.next_significant()? != b'"' {
                return Err(self.err(ErrorKind::Syntax));
            }
            let key_at = self.pos;
            let key = self.string()?;
            if key.len() > MAX_KEY_LEN {
                return Err(Error::new(ErrorKind::KeyTooLong, key_at));
            }
            if self.next_significant()? != b':' {
                return Err(self.err(ErrorKind::Syntax));
            }
            self.pos += 1;
            let v = self.value(depth + 1)?;
            d.insert(key, v);
            match self.next_significant()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Ok(Value::Dict(d));
                }
                _ => return Err(self.err(ErrorKind::Syntax)),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, Error> {
        self.pos += 1;
        let mut a = Vec::new();
        if self.next_significant()? == b']' {
            self.pos += 1;
            return Ok(Value::Array(a));
        }
        loop {
            a.push(self.value(depth + 1)?);
            match self.next_significant()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Ok(Value::Array(a));
                }
                _ => return Err(self.err(ErrorKind::Syntax)),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self
            .s
            .get(self.pos..self.pos + 4)
            .ok_or(Error::new(ErrorKind::Truncated, self.s.len()))?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16
                + char::from(d)
                    .to_digit(16)
                    .ok_or(self.err(ErrorKind::BadEscape))?;
        }
        self.pos += 4;
        Ok(v)
    }

    /// A string after its opening quote; `\u0000` is refused, as NUL
    /// cannot live in a proplib string.
    fn string(&mut self) -> Result<String, Error> {
        self.pos += 1;
        let mut buf = Vec::new();
        loop {
            let b = self.peek().ok_or(self.err(ErrorKind::Truncated))?;
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let e = self.peek().ok_or(self.err(ErrorKind::Truncated))?;
                    self.pos += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.err(ErrorKind::BadEscape)),
                    };
                    let mut tmp = [0u8; 4];
                    buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                }
                _ => buf.push(b),
            }
        }
        String::from_utf8(buf).map_err(|_| self.err(ErrorKind::BadString))
    }

    fn unicode_escape(&mut self) -> Result<char, Error> {
        let hi = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&hi) {
            if self.s.get(self.pos..self.pos + 2) != Some(b"\\u") {
                return Err(self.err(ErrorKind::BadEscape));
            }
            self.pos += 2;
            let lo = self.hex4()?;
            if !(0xdc00..0xe000).contains(&lo) {
                return Err(self.err(ErrorKind::BadEscape));
            }
            ((hi - 0xd800) << 10) + (lo - 0xdc00) + 0x10000
        } else {
            hi
        };
        match char::from_u32(code) {
            Some(c) if code != 0 => Ok(c),
            _ => Err(self.err(ErrorKind::BadEscape)),
        }
    }

    fn number(&mut self) -> Result<Value, Error> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'+' || b == b'.')
        {
            self.pos += 1;
        }
        let text = self.s.get(start..self.pos).unwrap_or_default();
        crate::xml::parse_c_integer(text).ok_or(Error::new(ErrorKind::BadNumber, start))
    }
}
