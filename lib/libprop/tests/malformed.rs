//! Malformed documents are refused with the right kind of error, never a
//! panic.

use proplib::{json, xml, ErrorKind, MAX_DEPTH, MAX_INPUT_LEN, MAX_KEY_LEN};

const HDR: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n";

fn plist(body: &str) -> String {
    format!("{HDR}{body}\n</plist>\n")
}

#[test]
fn xml_corpus() {
    let deep_open = "<array>".repeat(MAX_DEPTH + 1);
    let deep_close = "</array>".repeat(MAX_DEPTH + 1);
    let long_key = format!(
        "<dict><key>{}</key><true/></dict>",
        "k".repeat(MAX_KEY_LEN + 1)
    );
    let cases: Vec<(String, ErrorKind)> = vec![
        (String::new(), ErrorKind::Truncated),
        ("   \n".into(), ErrorKind::Truncated),
        ("<?xml version=\"1.0\"".into(), ErrorKind::Truncated),
        (HDR.into(), ErrorKind::Truncated),
        ("<plist/>".into(), ErrorKind::Syntax),
        ("<dict></dict>".into(), ErrorKind::Syntax),
        ("<plist foo=\"1\"><dict/></plist>".into(), ErrorKind::Syntax),
        (plist("<dict>"), ErrorKind::Mismatch),
        (format!("{HDR}<dict>"), ErrorKind::Truncated),
        (plist("<dict><key>a</key></dict>"), ErrorKind::Syntax),
        (plist("<dict><string>a</string></dict>"), ErrorKind::Syntax),
        (plist("<dict><key/><true/></dict>"), ErrorKind::Syntax),
        (
            plist("<dict><key>a</key><true/></array>"),
            ErrorKind::Mismatch,
        ),
        (plist("<array><true/></dict>"), ErrorKind::Mismatch),
        (plist("<string>abc</strin>"), ErrorKind::Mismatch),
        (plist("<string>a&b;</string>"), ErrorKind::BadEscape),
        (plist("<string>a&amp</string>"), ErrorKind::BadEscape),
        (
            plist("<string>\u{ff}</string>").replace('\u{ff}', "\u{0}"),
            ErrorKind::Truncated,
        ),
        (plist("<integer>12x</integer>"), ErrorKind::BadNumber),
        (plist("<integer></integer>"), ErrorKind::BadNumber),
        (plist("<integer/>"), ErrorKind::Syntax),
        (
            plist("<integer>0x1ffffffffffffffff</integer>"),
            ErrorKind::BadNumber,
        ),
        (
            plist("<integer>-9223372036854775809</integer>"),
            ErrorKind::BadNumber,
        ),
        (plist("<integer>0x-1</integer>"), ErrorKind::BadNumber),
        (plist("<true>x</true>"), ErrorKind::Syntax),
        (plist("<data>!!!</data>"), ErrorKind::BadData),
        (plist("<data>AAE</data>"), ErrorKind::BadData),
        (plist("<real>1.5</real>"), ErrorKind::UnknownElement),
        (plist("<string a=\"b\">x</string>"), ErrorKind::Syntax),
        (plist("<string a=b>x</string>"), ErrorKind::Syntax),
        (plist("<>"), ErrorKind::Syntax),
        (plist("text"), ErrorKind::Syntax),
        (plist("<!-- unterminated"), ErrorKind::Truncated),
        (plist(&long_key), ErrorKind::KeyTooLong),
        (
            plist(&format!("{deep_open}{deep_close}")),
            ErrorKind::TooDeep,
        ),
        (
            format!("{}<garbage/>", plist("<true/>")),
            ErrorKind::TrailingGarbage,
        ),
        (plist("<string>abc"), ErrorKind::Mismatch),
        (format!("{HDR}<string>abc"), ErrorKind::Truncated),
    ];
    assert!(cases.len() >= 30);
    for (doc, kind) in &cases {
        match xml::internalize(doc.as_bytes()) {
            Ok(v) => panic!("accepted malformed document {doc:?} as {v:?}"),
            Err(e) => assert_eq!(e.kind, *kind, "document {doc:?}: {e}"),
        }
    }
}

#[test]
fn xml_invalid_utf8_is_refused() {
    let mut doc = plist("<string>X</string>").into_bytes();
    let at = doc.iter().position(|&b| b == b'X').unwrap();
    doc[at] = 0xff;
    assert_eq!(
        xml::internalize(&doc).unwrap_err().kind,
        ErrorKind::BadString
    );
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let big = vec![b' '; MAX_INPUT_LEN + 1];
    assert_eq!(
        xml::internalize(&big).unwrap_err().kind,
        ErrorKind::TooLarge
    );
    assert_eq!(
        json::internalize(&big).unwrap_err().kind,
        ErrorKind::TooLarge
    );
}

#[test]
fn json_corpus() {
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    let cases: Vec<(String, ErrorKind)> = vec![
        ("{".into(), ErrorKind::Truncated),
        ("{\"a\"".into(), ErrorKind::Truncated),
        ("{\"a\":}".into(), ErrorKind::Syntax),
        ("{\"a\":1,}".into(), ErrorKind::Syntax),
        ("{a:1}".into(), ErrorKind::Syntax),
        ("[1 2]".into(), ErrorKind::Syntax),
        ("[null]".into(), ErrorKind::Syntax),
        ("[1.5]".into(), ErrorKind::BadNumber),
        ("[1e3]".into(), ErrorKind::BadNumber),
        ("[99999999999999999999]".into(), ErrorKind::BadNumber),
        ("[\"\\x\"]".into(), ErrorKind::BadEscape),
        ("[\"\\u0000\"]".into(), ErrorKind::BadEscape),
        ("[\"\\ud800\"]".into(), ErrorKind::BadEscape),
        ("[\"\\udc00\"]".into(), ErrorKind::BadEscape),
        ("[\"\\u12\"]".into(), ErrorKind::BadEscape),
        ("[tru]".into(), ErrorKind::Syntax),
        ("[tr".into(), ErrorKind::Truncated),
        ("[] []".into(), ErrorKind::TrailingGarbage),
        (deep, ErrorKind::TooDeep),
    ];
    for (doc, kind) in &cases {
        match json::internalize(doc.as_bytes()) {
            Ok(v) => panic!("accepted malformed JSON {doc:?} as {v:?}"),
            Err(e) => assert_eq!(e.kind, *kind, "document {doc:?}: {e}"),
        }
    }
}
