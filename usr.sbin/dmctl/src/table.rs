//! Table text: one line per segment, `<start> <length> <target> <params>`,
//! as dmctl(8) and dmsetup(8) read it. Blank lines and `#` comments are
//! skipped; a malformed line is an error naming its number.

use proplib::{Dict, Value};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub start: u64,
    pub length: u64,
    pub target: String,
    pub params: String,
}

impl Line {
    /// The reload request's dictionary for this line.
    pub fn to_value(&self) -> Value {
        let mut d = Dict::new();
        d.insert("start".into(), Value::Unsigned(self.start));
        d.insert("length".into(), Value::Unsigned(self.length));
        d.insert("type".into(), self.target.as_str().into());
        d.insert("params".into(), self.params.as_str().into());
        Value::Dict(d)
    }
}

fn number(what: &str, s: &str, n: usize) -> Result<u64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("line {n}: {what} '{s}' is not a decimal number"));
    }
    s.parse()
        .map_err(|_| format!("line {n}: {what} '{s}' is out of range"))
}

fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

pub fn parse(text: &str) -> Result<Vec<Line>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let l = raw.trim_end_matches('\r');
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (start, rest) = split_word(l);
        let (length, rest) = split_word(rest);
        let (target, rest) = split_word(rest);
        if target.is_empty() {
            return Err(format!(
                "line {n}: expected '<start> <length> <target> [<params>]'"
            ));
        }
        out.push(Line {
            start: number("start", start, n)?,
            length: number("length", length, n)?,
            target: target.to_owned(),
            params: rest.trim().to_owned(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_comments_and_errors() {
        let t = parse("# seed\n0 10240 linear /dev/wd1a 384\n\n10240 8\tzero\n").unwrap();
        assert_eq!(
            t,
            vec![
                Line {
                    start: 0,
                    length: 10240,
                    target: "linear".into(),
                    params: "/dev/wd1a 384".into()
                },
                Line {
                    start: 10240,
                    length: 8,
                    target: "zero".into(),
                    params: String::new()
                },
            ]
        );
        assert_eq!(
            parse("0 8\n").unwrap_err(),
            "line 1: expected '<start> <length> <target> [<params>]'"
        );
        assert!(parse("x 8 zero\n")
            .unwrap_err()
            .starts_with("line 1: start 'x'"));
        assert!(parse("\n0 -8 zero\n")
            .unwrap_err()
            .starts_with("line 2: length '-8'"));
    }
}
