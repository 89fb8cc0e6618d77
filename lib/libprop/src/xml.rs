//! The XML property-list form, byte for byte as NetBSD's proplib writes it,
//! and a reader that accepts what NetBSD's proplib accepts.
//!
//! Written form: the `<?xml` and `<!DOCTYPE` header lines, `<plist
//! version="1.0">`, one object per line indented by one tab per level,
//! dictionary keys in sorted order, unsigned integers as `0x` hex and signed
//! ones in decimal, empty strings/data/containers as empty elements, data as
//! padded standard base64, and only `<`, `>` and `&` escaped.

use crate::error::{Error, ErrorKind};
use crate::limits::{MAX_DEPTH, MAX_INPUT_LEN, MAX_KEY_LEN};
use crate::value::{Dict, Value};
use base64::Engine;
use std::fmt::Write;

const HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" \
\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
<plist version=\"1.0\">\n";
const FOOTER: &str = "</plist>\n";

/// Externalizes `v` as a complete XML property list.
pub fn externalize(v: &Value) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(HEADER);
    write_object(&mut out, v, 0);
    out.push_str(FOOTER);
    out
}

fn indent(out: &mut String, depth: usize) {
    out.extend(std::iter::repeat_n('\t', depth));
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

fn write_object(out: &mut String, v: &Value, depth: usize) {
    indent(out, depth);
    match v {
        Value::Dict(d) if d.is_empty() => out.push_str("<dict/>\n"),
        Value::Dict(d) => {
            out.push_str("<dict>\n");
            for (k, item) in d {
                indent(out, depth + 1);
                out.push_str("<key>");
                escape_into(out, k);
                out.push_str("</key>\n");
                write_object(out, item, depth + 1);
            }
            indent(out, depth);
            out.push_str("</dict>\n");
        }
        Value::Array(a) if a.is_empty() => out.push_str("<array/>\n"),
        Value::Array(a) => {
            out.push_str("<array>\n");
            for item in a {
                write_object(out, item, depth + 1);
            }
            indent(out, depth);
            out.push_str("</array>\n");
        }
        Value::String(s) if s.is_empty() => out.push_str("<string/>\n"),
        Value::String(s) => {
            out.push_str("<string>");
            escape_into(out, s);
            out.push_str("</string>\n");
        }
        Value::Signed(n) => {
            let _ = writeln!(out, "<integer>{n}</integer>");
        }
        Value::Unsigned(n) => {
            let _ = writeln!(out, "<integer>0x{n:x}</integer>");
        }
        Value::Bool(true) => out.push_str("<true/>\n"),
        Value::Bool(false) => out.push_str("<false/>\n"),
        Value::Data(d) if d.is_empty() => out.push_str("<data/>\n"),
        Value::Data(d) => {
            out.push_str("<data>");
            out.push_str(&base64::engine::general_purpose::STANDARD.encode(d));
            out.push_str("</data>\n");
        }
    }
}

/// White space as proplib's `_PROP_ISSPACE` sees it.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Internalizes an XML property list holding any object.
///
/// The input ends at its first NUL byte, as the C string it is in NetBSD.
pub fn internalize(input: &[u8]) -> Result<Value, Error> {
    if input.len() > MAX_INPUT_LEN {
        return Err(Error::new(ErrorKind::TooLarge, MAX_INPUT_LEN));
    }
    let end = input.iter().position(|&b| b == 0).unwrap_or(input.len());
    let mut p = Parser {
        s: input.get(..end).unwrap_or_default(),
        pos: 0,
    };
    p.skip_preamble()?;
    let plist = p.tag()?;
    if plist.name != b"plist" || plist.kind != TagKind::Start {
        return Err(p.err_at(ErrorKind::Syntax, plist.at));
    }
    if let Some(attr) = plist.attr {
        if attr != b"version" {
            return Err(p.err_at(ErrorKind::Syntax, plist.at));
        }
    }
    let first = p.tag()?;
    let v = p.object(first, 1)?;
    p.expect_end(b"plist")?;
    p.skip_space();
    if p.pos < p.s.len() {
        return Err(p.err(ErrorKind::TrailingGarbage));
    }
    Ok(v)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TagKind {
    Start,
    End,
    Empty,
}

struct Tag<'a> {
    name: &'a [u8],
    kind: TagKind,
    attr: Option<&'a [u8]>,
    at: usize,
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, kind: ErrorKind) -> Error {
        Error::new(kind, self.pos)
    }

    fn err_at(&self, kind: ErrorKind, at: usize) -> Error {
        Error::new(kind, at)
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn rest(&self) -> &'a [u8] {
        self.s.get(self.pos..).unwrap_or_default()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// Skips the `<?xml ...?>` and `<!DOCTYPE plist ...>` lines and
    /// comments before the `<plist>` tag.
    fn skip_preamble(&mut self) -> Result<(), Error> {
        loop {
            self.skip_space();
            let rest = self.rest();
            if rest.starts_with(b"<?xml ") || rest.starts_with(b"<!DOCTYPE plist") {
                match rest.iter().position(|&b| b == b'>') {
                    Some(i) => self.pos += i + 1,
                    None => return Err(Error::new(ErrorKind::Truncated, self.s.len())),
                }
            } else if rest.starts_with(b"<!--") {
                self.pos += 4;
                self.skip_comment()?;
            } else if rest.is_empty() {
                return Err(self.err(ErrorKind::Truncated));
            } else {
                return Ok(());
            }
        }
    }

    fn skip_comment(&mut self) -> Result<(), Error> {
        match find(self.rest(), b"-->") {
            Some(i) => {
                self.pos += i + 3;
                Ok(())
            }
            None => Err(Error::new(ErrorKind::Truncated, self.s.len())),
        }
    }

    /// Reads the next tag, skipping white space and comments before it.
    fn tag(&mut self) -> Result<Tag<'a>, Error> {
        loop {
            self.skip_space();
            let at = self.pos;
            match self.peek() {
                None => return Err(self.err(ErrorKind::Truncated)),
                Some(b'<') => {}
                Some(_) => return Err(self.err(ErrorKind::Syntax)),
            }
            if self.rest().starts_with(b"<!--") {
                self.pos += 4;
                self.skip_comment()?;
                continue;
            }
            self.pos += 1;
            let mut kind = TagKind::Start;
            if self.peek() == Some(b'/') {
                kind = TagKind::End;
                self.pos += 1;
            }
            let start = self.pos;
            while let Some(b) = self.peek() {
                if is_space(b) || b == b'/' || b == b'>' {
                    break;
                }
                self.pos += 1;
            }
            let name = self.s.get(start..self.pos).unwrap_or_default();
            if self.peek().is_none() {
                return Err(self.err(ErrorKind::Truncated));
            }
            if name.is_empty() {
                return Err(self.err_at(ErrorKind::Syntax, at));
            }
            let mut attr = None;
            if self.peek().is_some_and(is_space) {
                if kind == TagKind::End {
                    return Err(self.err(ErrorKind::Syntax));
                }
                self.skip_space();
                attr = Some(self.attribute()?);
            }
            if self.peek() == Some(b'/') {
                if kind != TagKind::Start {
                    return Err(self.err(ErrorKind::Syntax));
                }
                kind = TagKind::Empty;
                self.pos += 1;
            }
            match self.peek() {
                Some(b'>') => {
                    self.pos += 1;
                    return Ok(Tag {
                        name,
                        kind,
                        attr,
                        at,
                    });
                }
                None => return Err(self.err(ErrorKind::Truncated)),
                Some(_) => return Err(self.err(ErrorKind::Syntax)),
            }
        }
    }

    /// One `name="value"` attribute; proplib knows only one per tag.
    fn attribute(&mut self) -> Result<&'a [u8], Error> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if is_space(b) || b == b'=' {
                break;
            }
            if b == b'>' || b == b'/' {
                return Err(self.err(ErrorKind::Syntax));
            }
            self.pos += 1;
        }
        let name = self.s.get(start..self.pos).unwrap_or_default();
        if self.peek().is_none() {
            return Err(self.err(ErrorKind::Truncated));
        }
        if self.peek() != Some(b'=') || name.is_empty() {
            return Err(self.err(ErrorKind::Syntax));
        }
        self.pos += 1;
        if self.peek() != Some(b'"') {
            return Err(self.err(ErrorKind::Syntax));
        }
        self.pos += 1;
        match self.rest().iter().position(|&b| b == b'"') {
            Some(i) => self.pos += i + 1,
            None => return Err(Error::new(ErrorKind::Truncated, self.s.len())),
        }
        Ok(name)
    }

    fn expect_end(&mut self, name: &[u8]) -> Result<(), Error> {
        let t = self.tag()?;
        if t.kind != TagKind::End || t.name != name {
            return Err(self.err_at(ErrorKind::Mismatch, t.at));
        }
        Ok(())
    }

    /// Reads the object whose opening tag is `t`; `depth` counts the
    /// containers around it.
    fn object(&mut self, t: Tag<'a>, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(self.err_at(ErrorKind::TooDeep, t.at));
        }
        if t.kind == TagKind::End {
            return Err(self.err_at(ErrorKind::Syntax, t.at));
        }
        if t.attr.is_some() {
            return Err(self.err_at(ErrorKind::Syntax, t.at));
        }
        let empty = t.kind == TagKind::Empty;
        match t.name {
            b"dict" => self.dict(empty, depth),
            b"array" => self.array(empty, depth),
            b"string" => {
                if empty {
                    return Ok(Value::String(String::new()));
                }
                let s = self.text()?;
                self.expect_end(b"string")?;
                Ok(Value::String(s))
            }
            b"integer" if !empty => self.integer(),
            b"true" | b"false" if empty => Ok(Value::Bool(t.name == b"true")),
            b"data" => {
                if empty {
                    return Ok(Value::Data(Vec::new()));
                }
                self.data()
            }
            b"integer" | b"true" | b"false" => Err(self.err_at(ErrorKind::Syntax, t.at)),
            _ => Err(self.err_at(ErrorKind::UnknownElement, t.at)),
        }
    }

    fn dict(&mut self, empty: bool, depth: usize) -> Result<Value, Error> {
        let mut d = Dict::new();
        if empty {
            return Ok(Value::Dict(d));
        }
        loop {
            let t = self.tag()?;
            if t.kind == TagKind::End {
                if t.name == b"dict" {
                    return Ok(Value::Dict(d));
                }
                return Err(self.err_at(ErrorKind::Mismatch, t.at));
            }
            if t.name != b"key" || t.kind != TagKind::Start || t.attr.is_some() {
                return Err(self.err_at(ErrorKind::Syntax, t.at));
            }
            let key_at = self.pos;
            let key = self.text()?;
            if key.len() > MAX_KEY_LEN {
                return Err(self.err_at(ErrorKind::KeyTooLong, key_at));
            }
            self.expect_end(b"key")?;
            let vt = self.tag()?;
            let v = self.object(vt, depth + 1)?;
            d.insert(key, v);
        }
    }

    fn array(&mut self, empty: bool, depth: usize) -> Result<Value, Error> {
        let mut a = Vec::new();
        if empty {
            return Ok(Value::Array(a));
        }
        loop {
            let t = self.tag()?;
            if t.kind == TagKind::End {
                if t.name == b"array" {
                    return Ok(Value::Array(a));
                }
                return Err(self.err_at(ErrorKind::Mismatch, t.at));
            }
            a.push(self.object(t, depth + 1)?);
        }
    }

    /// Character data up to the next `<`, with the five XML entities.
    fn text(&mut self) -> Result<String, Error> {
        let mut buf = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.err(ErrorKind::Truncated)),
                Some(b'<') => break,
                Some(b'&') => {
                    let rest = self.rest();
                    let (c, n) = if rest.starts_with(b"&amp;") {
                        (b'&', 5)
                    } else if rest.starts_with(b"&lt;") {
                        (b'<', 4)
                    } else if rest.starts_with(b"&gt;") {
                        (b'>', 4)
                    } else if rest.starts_with(b"&apos;") {
                        (b'\'', 6)
                    } else if rest.starts_with(b"&quot;") {
                        (b'"', 6)
                    } else {
                        return Err(self.err(ErrorKind::BadEscape));
                    };
                    buf.push(c);
                    self.pos += n;
                }
                Some(b) => {
                    buf.push(b);
                    self.pos += 1;
                }
            }
        }
        String::from_utf8(buf).map_err(|_| self.err(ErrorKind::BadString))
    }

    /// An integer as `_prop_number_internalize` reads it: `-` means signed,
    /// a `0x` prefix means unsigned, otherwise signed when it fits and
    /// unsigned when it does not; `strtoll` base-0 syntax (hex, octal,
    /// decimal).
    fn integer(&mut self) -> Result<Value, Error> {
        let at = self.pos;
        let end = self
            .rest()
            .iter()
            .position(|&b| b == b'<')
            .ok_or(Error::new(ErrorKind::Truncated, self.s.len()))?;
        let text = self.rest().get(..end).unwrap_or_default();
        let v = parse_c_integer(text).ok_or(self.err_at(ErrorKind::BadNumber, at))?;
        self.pos += end;
        self.expect_end(b"integer")?;
        Ok(v)
    }

    fn data(&mut self) -> Result<Value, Error> {
        let at = self.pos;
        let end = self
            .rest()
            .iter()
            .position(|&b| b == b'<')
            .ok_or(Error::new(ErrorKind::Truncated, self.s.len()))?;
        let text: Vec<u8> = self
            .rest()
            .get(..end)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|b| !is_space(*b))
            .collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&text)
            .map_err(|_| self.err_at(ErrorKind::BadData, at))?;
        self.pos += end;
        self.expect_end(b"data")?;
        Ok(Value::Data(bytes))
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Parses an integer with C `strtoll`/`strtoull` base-0 syntax, choosing
/// signedness the way NetBSD's proplib does. Surrounding white space is
/// allowed; anything else makes it invalid.
pub(crate) fn parse_c_integer(text: &[u8]) -> Option<Value> {
    let t = trim(text);
    let unsigned_first = t.starts_with(b"0x");
    let negative = t.first() == Some(&b'-');
    let (_, mag) = parse_magnitude(t)?;
    if negative {
        // Only the signed conversion is tried.
        let v = if mag == 1u128 << 63 {
            i64::MIN
        } else {
            i64::try_from(mag).ok().map(|m| -m)?
        };
        return Some(Value::Signed(v));
    }
    if unsigned_first {
        return u64::try_from(mag).ok().map(Value::Unsigned);
    }
    if let Ok(v) = i64::try_from(mag) {
        return Some(Value::Signed(v));
    }
    u64::try_from(mag).ok().map(Value::Unsigned)
}

fn trim(t: &[u8]) -> &[u8] {
    let start = t.iter().position(|b| !is_space(*b)).unwrap_or(t.len());
    let end = t
        .iter()
        .rposition(|b| !is_space(*b))
        .map_or(start, |e| e + 1);
    t.get(start..end).unwrap_or_default()
}

/// Sign and magnitude of a base-0 C integer; `None` for no digits, bad
/// digits or a magnitude beyond 2^64.
fn parse_magnitude(t: &[u8]) -> Option<(bool, u128)> {
    let (neg, body) = match t.first() {
        Some(b'-') => (true, t.get(1..)?),
        Some(b'+') => (false, t.get(1..)?),
        _ => (false, t),
    };
    let (radix, digits) = if body.starts_with(b"0x") || body.starts_with(b"0X") {
        (16, body.get(2..)?)
    } else if body.len() > 1 && body.first() == Some(&b'0') {
        (8, body.get(1..)?)
    } else {
        (10, body)
    };
    if digits.is_empty() {
        return None;
    }
    let mut mag: u128 = 0;
    for &d in digits {
        let v = char::from(d).to_digit(radix)?;
        mag = mag
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(v))?;
        if mag > u128::from(u64::MAX) {
            return None;
        }
    }
    Some((neg, mag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_signedness_follows_netbsd() {
        assert_eq!(parse_c_integer(b"0x10"), Some(Value::Unsigned(16)));
        assert_eq!(parse_c_integer(b"16"), Some(Value::Signed(16)));
        assert_eq!(parse_c_integer(b"-16"), Some(Value::Signed(-16)));
        assert_eq!(parse_c_integer(b"010"), Some(Value::Signed(8)));
        assert_eq!(
            parse_c_integer(b"18446744073709551615"),
            Some(Value::Unsigned(u64::MAX))
        );
        assert_eq!(
            parse_c_integer(b"-9223372036854775808"),
            Some(Value::Signed(i64::MIN))
        );
        assert_eq!(parse_c_integer(b"-9223372036854775809"), None);
        assert_eq!(parse_c_integer(b"18446744073709551616"), None);
        assert_eq!(parse_c_integer(b"0x"), None);
        assert_eq!(parse_c_integer(b""), None);
        assert_eq!(parse_c_integer(b"12abc"), None);
        assert_eq!(parse_c_integer(b"09"), None);
        assert_eq!(parse_c_integer(b" 7\n"), Some(Value::Signed(7)));
    }
}
