//! A corpus of malformed and hostile control requests, sent through the
//! daemon's socket: each gets its errno (in the reply, for a command
//! that fails), changes nothing, and the daemon keeps serving.

mod common;

use common::*;
use proplib::{Dict, Value};

fn ver(a: u64, b: u64, c: u64) -> Value {
    Value::Array(vec![a.into(), b.into(), c.into()])
}

/// A request from key/value pairs (no implicit keys).
fn req(pairs: &[(&str, Value)]) -> Vec<u8> {
    Value::Dict(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<Dict>(),
    )
    .to_xml()
    .into_bytes()
}

fn cmd(c: &str, extra: &[(&str, Value)]) -> Vec<u8> {
    let mut p = vec![("command", Value::from(c)), ("version", ver(4, 0, 0))];
    p.extend(extra.iter().cloned());
    req(&p)
}

/// A reload of device "keep" with one table line.
fn reload_keep(l: Value) -> Vec<u8> {
    cmd(
        "reload",
        &[("name", "keep".into()), ("cmd_data", Value::Array(vec![l]))],
    )
}

fn lines(n: usize) -> Value {
    Value::Array((0..n as u64).map(|i| line(i * 8, 8, "zero", "")).collect())
}

#[test]
fn malformed_request_corpus() {
    let h = Hostd::start(&[("wd", 4)]);
    h.setup("keep", vec![line(0, 2048, "linear", "/dev/wd 2")]);
    let before = h.ok("names", &[]);
    let name = |v: Value| ("name", v);
    let big_name = "n".repeat(128);
    let mut cases: Vec<(&str, Vec<u8>, i32)> = vec![
        ("empty", b"".to_vec(), EIO),
        ("not xml", b"hello".to_vec(), EIO),
        ("json array", b"[1,2]".to_vec(), EIO),
        ("plist array", b"<plist><array/></plist>".to_vec(), EIO),
        (
            "truncated",
            b"<plist><dict><key>command</key><string>ver".to_vec(),
            EIO,
        ),
        (
            "numeric entity",
            b"<plist><dict><key>name</key><string>a&#0;b</string></dict></plist>".to_vec(),
            EIO,
        ),
        (
            "bad integer",
            b"<plist><dict><key>minor</key><integer>12x</integer></dict></plist>".to_vec(),
            EIO,
        ),
        (
            "deep nesting",
            format!(
                "<plist>{}{}</plist>",
                "<array>".repeat(100),
                "</array>".repeat(100)
            )
            .into_bytes(),
            EIO,
        ),
        ("no command", req(&[("version", ver(4, 0, 0))]), EINVAL),
        (
            "command not a string",
            req(&[("command", Value::Unsigned(1)), ("version", ver(4, 0, 0))]),
            EINVAL,
        ),
        ("unknown command", cmd("frobnicate", &[]), EINVAL),
        ("empty command", cmd("", &[]), EINVAL),
        ("no version", req(&[("command", "version".into())]), EINVAL),
        (
            "version not array",
            req(&[("command", "version".into()), ("version", "4.0.0".into())]),
            EINVAL,
        ),
        (
            "version too short",
            req(&[
                ("command", "version".into()),
                ("version", Value::Array(vec![4u64.into()])),
            ]),
            EINVAL,
        ),
        (
            "version of strings",
            req(&[
                ("command", "version".into()),
                (
                    "version",
                    Value::Array(vec!["4".into(), "0".into(), "0".into()]),
                ),
            ]),
            EINVAL,
        ),
        (
            "version negative",
            req(&[
                ("command", "version".into()),
                (
                    "version",
                    Value::Array(vec![Value::Signed(-4), 0u64.into(), 0u64.into()]),
                ),
            ]),
            EINVAL,
        ),
        (
            "version 5",
            req(&[("command", "version".into()), ("version", ver(5, 0, 0))]),
            EIO,
        ),
        (
            "version 4.17",
            req(&[("command", "version".into()), ("version", ver(4, 17, 0))]),
            EIO,
        ),
        (
            "version 3",
            req(&[("command", "version".into()), ("version", ver(3, 99, 0))]),
            EIO,
        ),
        (
            "version huge",
            req(&[
                ("command", "version".into()),
                ("version", ver(u64::MAX, 0, 0)),
            ]),
            EINVAL,
        ),
        ("create no name", cmd("create", &[]), EINVAL),
        (
            "create name int",
            cmd("create", &[name(Value::Unsigned(7))]),
            EINVAL,
        ),
        (
            "create name dict",
            cmd("create", &[name(Value::Dict(Dict::new()))]),
            EINVAL,
        ),
        (
            "create empty name",
            cmd("create", &[name("".into())]),
            EINVAL,
        ),
        ("create slash", cmd("create", &[name("a/b".into())]), EINVAL),
        ("create dot", cmd("create", &[name(".".into())]), EINVAL),
        ("create dotdot", cmd("create", &[name("..".into())]), EINVAL),
        (
            "create newline",
            cmd("create", &[name("a\nb".into())]),
            EINVAL,
        ),
        (
            "create 128 bytes",
            cmd("create", &[name(big_name.as_str().into())]),
            EINVAL,
        ),
        (
            "create duplicate",
            cmd("create", &[name("keep".into())]),
            17,
        ),
        (
            "create uuid int",
            cmd("create", &[name("x".into()), ("uuid", Value::Unsigned(1))]),
            EINVAL,
        ),
        (
            "create uuid long",
            cmd(
                "create",
                &[name("x".into()), ("uuid", "u".repeat(129).into())],
            ),
            EINVAL,
        ),
        (
            "info minor negative",
            cmd("info", &[("minor", Value::Signed(-1))]),
            EINVAL,
        ),
        (
            "info minor huge",
            cmd("info", &[("minor", Value::Unsigned(1 << 40))]),
            EINVAL,
        ),
        (
            "info minor string",
            cmd("info", &[("minor", "1".into())]),
            EINVAL,
        ),
        ("info nothing", cmd("info", &[]), ENOENT),
        (
            "reload no table",
            cmd("reload", &[name("keep".into())]),
            EINVAL,
        ),
        (
            "reload table string",
            cmd(
                "reload",
                &[name("keep".into()), ("cmd_data", "0 8 zero".into())],
            ),
            EINVAL,
        ),
        (
            "reload empty table",
            cmd(
                "reload",
                &[name("keep".into()), ("cmd_data", Value::Array(vec![]))],
            ),
            EINVAL,
        ),
        (
            "reload line not dict",
            cmd(
                "reload",
                &[
                    name("keep".into()),
                    ("cmd_data", Value::Array(vec!["x".into()])),
                ],
            ),
            EINVAL,
        ),
        (
            "reload start negative",
            cmd(
                "reload",
                &[
                    name("keep".into()),
                    (
                        "cmd_data",
                        Value::Array(vec![v(&[
                            ("start", Value::Signed(-8)),
                            ("length", Value::Unsigned(8)),
                            ("type", "zero".into()),
                        ])]),
                    ),
                ],
            ),
            EINVAL,
        ),
        (
            "reload length huge",
            reload_keep(line(0, u64::MAX, "zero", "")),
            EINVAL,
        ),
        (
            "reload type int",
            cmd(
                "reload",
                &[
                    name("keep".into()),
                    (
                        "cmd_data",
                        Value::Array(vec![v(&[
                            ("start", Value::Unsigned(0)),
                            ("length", Value::Unsigned(8)),
                            ("type", Value::Unsigned(3)),
                        ])]),
                    ),
                ],
            ),
            EINVAL,
        ),
        (
            "reload params int",
            cmd(
                "reload",
                &[
                    name("keep".into()),
                    (
                        "cmd_data",
                        Value::Array(vec![v(&[
                            ("start", Value::Unsigned(0)),
                            ("length", Value::Unsigned(8)),
                            ("type", "zero".into()),
                            ("params", Value::Unsigned(1)),
                        ])]),
                    ),
                ],
            ),
            EINVAL,
        ),
        (
            "reload long type",
            cmd(
                "reload",
                &[
                    name("keep".into()),
                    (
                        "cmd_data",
                        Value::Array(vec![line(0, 8, &"t".repeat(40), "")]),
                    ),
                ],
            ),
            EINVAL,
        ),
        (
            "reload params too long",
            cmd(
                "reload",
                &[
                    name("keep".into()),
                    (
                        "cmd_data",
                        Value::Array(vec![line(0, 8, "zero", &"p ".repeat(3000))]),
                    ),
                ],
            ),
            EINVAL,
        ),
        (
            "reload 10^4 lines ok size but gap",
            cmd(
                "reload",
                &[
                    name("keep".into()),
                    (
                        "cmd_data",
                        Value::Array(vec![line(0, 8, "zero", ""), line(16, 8, "zero", "")]),
                    ),
                ],
            ),
            EINVAL,
        ),
        (
            "reload missing device",
            cmd("reload", &[name("nosuch".into()), ("cmd_data", lines(1))]),
            ENOENT,
        ),
        (
            "reload striped 0 stripes",
            reload_keep(line(0, 8, "striped", "0 8")),
            EINVAL,
        ),
        (
            "reload striped overflow",
            reload_keep(line(0, 8, "striped", "99999999999999999999 8")),
            EINVAL,
        ),
        (
            "reload delay huge",
            reload_keep(line(0, 8, "delay", "/dev/wd 2 99999999999")),
            EINVAL,
        ),
        (
            "reload self",
            reload_keep(line(0, 8, "linear", "/dev/mapper/keep 0")),
            EINVAL,
        ),
        (
            "rename no data",
            cmd("rename", &[name("keep".into())]),
            EINVAL,
        ),
        (
            "rename int",
            cmd(
                "rename",
                &[
                    name("keep".into()),
                    ("cmd_data", Value::Array(vec![Value::Unsigned(1)])),
                ],
            ),
            EINVAL,
        ),
        (
            "rename slash",
            cmd(
                "rename",
                &[
                    name("keep".into()),
                    ("cmd_data", Value::Array(vec!["a/b".into()])),
                ],
            ),
            EINVAL,
        ),
        (
            "message no data",
            cmd("message", &[name("keep".into())]),
            EINVAL,
        ),
        (
            "message bad sector",
            cmd(
                "message",
                &[
                    name("keep".into()),
                    (
                        "cmd_data",
                        Value::Array(vec![v(&[
                            ("sector", Value::Unsigned(1 << 50)),
                            ("message", "down".into()),
                        ])]),
                    ),
                ],
            ),
            EINVAL,
        ),
        (
            "setgeometry junk",
            cmd(
                "setgeometry",
                &[
                    name("keep".into()),
                    ("cmd_data", Value::Array(vec!["a b c d".into()])),
                ],
            ),
            EINVAL,
        ),
        (
            "remove nosuch",
            cmd("remove", &[name("nosuch".into())]),
            ENOENT,
        ),
    ];
    // An oversized request: E2BIG from the ioctl's 4 MiB copy-in cap.
    cases.push((
        "7 MiB request",
        cmd(
            "reload",
            &[name("keep".into()), ("cmd_data", lines(40_000))],
        ),
        E2BIG,
    ));
    // A million lines is refused long before the table code sees it.
    let one = "<dict><key>length</key><integer>0x8</integer><key>start</key>\
               <integer>0x0</integer><key>type</key><string>zero</string></dict>";
    let million = format!(
        "<plist><dict><key>command</key><string>reload</string><key>name</key>\
         <string>keep</string><key>version</key><array><integer>4</integer>\
         <integer>0</integer><integer>0</integer></array><key>cmd_data</key>\
         <array>{}</array></dict></plist>",
        one.repeat(1_000_000)
    );
    cases.push(("10^6 lines", million.into_bytes(), E2BIG));
    assert!(cases.len() >= 50, "{} cases", cases.len());
    for (what, bytes, want) in &cases {
        // Without DM_ERRNO_FLAG (these requests are NetBSD libdm's kind)
        // a command's failure comes as 0 and the reply's `errno`; only
        // a request that cannot be read fails the ioctl.
        let (e, r) = h.raw(bytes);
        let carried = r
            .as_ref()
            .and_then(Value::as_dict)
            .and_then(|d| d.get("errno"))
            .and_then(Value::as_u64);
        let got = match (e, carried) {
            (0, Some(n)) => n as i32,
            (0, None) => 0,
            (e, _) => {
                assert!(r.is_none(), "{what}: a failed ioctl maps no reply: {r:?}");
                e
            }
        };
        assert_eq!(got, *want, "{what}");
        // Still serving, nothing changed.
        assert_eq!(h.ok("names", &[]), before, "{what} changed the device list");
    }
    let r = h.ok("info", &[("name", "keep".into())]);
    assert_eq!(
        r.as_dict().unwrap()["flags"].as_u64().unwrap() & 0x60,
        0x20,
        "table untouched"
    );
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let h = Hostd::start(&[("wd", 8)]);
    h.setup("durable", vec![line(0, 8192, "linear", "/dev/wd 2")]);
    let data = pattern(1 << 20, 11);
    let src = h.dir.join("src");
    std::fs::write(&src, &data).unwrap();
    // nbdcopy flushes before it reports success.
    let st = std::process::Command::new("nbdcopy")
        .arg(&src)
        .arg(h.uri("durable"))
        .status()
        .unwrap();
    assert!(st.success());
    h.kill_hard();
    assert_eq!(read_at(&h.file("wd"), 1024, 1 << 20), data);
}
