//! Hand-written documents in NetBSD proplib's exact output format parse to
//! the expected objects and externalize back byte for byte.

use proplib::{xml, Dict, Value};

fn dict(pairs: &[(&str, Value)]) -> Value {
    Value::Dict(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<Dict>(),
    )
}

fn version(a: u64, b: u64, c: u64) -> Value {
    Value::Array(vec![a.into(), b.into(), c.into()])
}

fn line(start: u64, length: u64, ty: &str, params: &str) -> Value {
    dict(&[
        ("start", start.into()),
        ("length", length.into()),
        ("type", ty.into()),
        ("params", params.into()),
    ])
}

fn check(doc: &str, expected: Value) {
    let parsed = xml::internalize(doc.as_bytes()).expect("golden document parses");
    assert_eq!(parsed, expected);
    assert_eq!(
        expected.to_xml(),
        doc,
        "externalize must match byte for byte"
    );
}

#[test]
fn version_request() {
    check(
        include_str!("golden/version.xml"),
        dict(&[("command", "version".into()), ("version", version(4, 0, 0))]),
    );
}

#[test]
fn reload_request_with_three_lines() {
    check(
        include_str!("golden/reload.xml"),
        dict(&[
            ("command", "reload".into()),
            ("name", "t1".into()),
            ("flags", 4u32.into()),
            ("version", version(4, 0, 0)),
            (
                "cmd_data",
                Value::Array(vec![
                    line(0, 1024, "linear", "/dev/wd1a 384"),
                    line(1024, 1024, "zero", ""),
                    line(2048, 2048, "error", ""),
                ]),
            ),
        ]),
    );
}

#[test]
fn names_reply_with_every_type() {
    check(
        include_str!("golden/names-reply.xml"),
        dict(&[
            ("command", "names".into()),
            ("event_nr", Value::Signed(-1)),
            ("flags", 4u32.into()),
            ("ready", true.into()),
            ("tag", Value::Data(vec![0, 1, 2, 3, 4, 5])),
            ("version", version(4, 16, 0)),
            ("z", Value::Dict(Dict::new())),
            (
                "cmd_data",
                Value::Array(vec![
                    dict(&[("name", "t0".into()), ("dev", 1u32.into())]),
                    dict(&[("name", "vg0-lv<1>&".into()), ("dev", 2u32.into())]),
                ]),
            ),
        ]),
    );
}

#[test]
fn accepts_what_netbsd_accepts_beyond_its_own_output() {
    // No header, comments, CRLF, decimal/octal/hex numbers, `&apos;`
    // and `&quot;`, entities in keys, base64 with line breaks, and no
    // version attribute on <plist>.
    let doc = "<!-- leading -->\r\n<plist>\r\n<dict><!-- c -->\
        <key>a&amp;b</key><integer> 010 </integer>\
        <key>h</key><integer>0X1f</integer>\
        <key>n</key><integer>-42</integer>\
        <key>q</key><string>&apos;x&quot;</string>\
        <key>d</key><data>AAEC\nAw==</data>\
        <key>e</key><array/>\
        </dict></plist>\n";
    let v = xml::internalize(doc.as_bytes()).unwrap();
    assert_eq!(
        v,
        dict(&[
            ("a&b", Value::Signed(8)),
            ("h", Value::Signed(31)),
            ("n", Value::Signed(-42)),
            ("q", "'x\"".into()),
            ("d", Value::Data(vec![0, 1, 2, 3])),
            ("e", Value::Array(vec![])),
        ])
    );
}

#[test]
fn json_form_as_current_netbsd_reads_it() {
    let doc = "\u{feff}{ \"command\": \"table\", \"flags\": 16,\n\
        \"version\": [4, 0, 0], \"name\": \"a\\u00e9\\n\\/\",\
        \"big\": 18446744073709551615, \"neg\": -3, \"ok\": true, \"e\": {} }";
    let v = proplib::internalize(doc.as_bytes()).unwrap();
    assert_eq!(
        v,
        dict(&[
            ("command", "table".into()),
            ("flags", Value::Signed(16)),
            (
                "version",
                Value::Array(vec![Value::Signed(4), Value::Signed(0), Value::Signed(0)])
            ),
            ("name", "aé\n/".into()),
            ("big", Value::Unsigned(u64::MAX)),
            ("neg", Value::Signed(-3)),
            ("ok", true.into()),
            ("e", Value::Dict(Dict::new())),
        ])
    );
}
