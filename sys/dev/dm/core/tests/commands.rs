//! Every control command: its reply keys, its flags and its errors.

mod common;

use common::*;
use dm_core::device::OpenKind;
use dm_core::flags::*;
use dm_core::Errno;
use dm_kmock as mock;
use proplib::Value;

fn ver(a: u32, b: u32, c: u32) -> Value {
    Value::Array(vec![a.into(), b.into(), c.into()])
}

#[test]
fn version_reply_and_checks() {
    let h = H::new();
    let r = h.cmd("version", &[]).ok();
    assert_eq!(r.get("version"), Some(&ver(4, 16, 0)));
    let with = |v: Value| {
        h.raw(
            &common::v(&[("command", "version".into()), ("version", v)]),
            true,
        )
    };
    with(ver(4, 16, 7)).ok();
    // The reply's version is the driver's, in unsigned numbers, whatever
    // form the client's took.
    let r = with(Value::Array(vec![
        Value::Signed(4),
        0u32.into(),
        0u32.into(),
    ]))
    .ok();
    assert_eq!(r.get("version"), Some(&ver(4, 16, 0)));
    let r = with(Value::Array(vec![
        4u32.into(),
        1u32.into(),
        0u32.into(),
        9u32.into(),
    ]))
    .ok();
    assert_eq!(r.get("version"), Some(&ver(4, 16, 0)));
    let r = with(ver(5, 0, 0)).err(Errno::EIO);
    // The reply still says what the driver speaks.
    assert_eq!(r.get("version"), Some(&ver(4, 16, 0)));
    with(ver(4, 17, 0)).err(Errno::EIO);
    with(ver(3, 0, 0)).err(Errno::EIO);
    with(Value::Array(vec![4u32.into()])).err(Errno::EINVAL);
    with("4.0.0".into()).err(Errno::EINVAL);
    with(Value::Array(vec![
        Value::Signed(-4),
        0u32.into(),
        0u32.into(),
    ]))
    .err(Errno::EINVAL);
    h.raw(&common::v(&[("command", "version".into())]), true)
        .err(Errno::EINVAL);
}

#[test]
fn unknown_missing_and_unprivileged_commands() {
    let h = H::new();
    let r = h.cmd("frobnicate", &[]).err(Errno::EINVAL);
    assert!(r.msg.unwrap().contains("unknown command 'frobnicate'"));
    assert_eq!(
        h.raw(
            &v(&[("command", "frobnicate".into()), ("version", ver(4, 0, 0))]),
            false
        )
        .rv,
        Err(Errno::EINVAL),
        "unknown is EINVAL even without privilege"
    );
    h.raw(&v(&[("version", ver(4, 0, 0))]), true)
        .err(Errno::EINVAL);
    h.raw(
        &v(&[("command", Value::Unsigned(1)), ("version", ver(4, 0, 0))]),
        true,
    )
    .err(Errno::EINVAL);
    for cmd in [
        "create",
        "remove",
        "remove_all",
        "reload",
        "resume",
        "suspend",
        "rename",
        "clear",
        "message",
        "setgeometry",
    ] {
        let req = v(&[
            ("command", cmd.into()),
            ("version", ver(4, 0, 0)),
            ("name", "x".into()),
        ]);
        assert_eq!(h.raw(&req, false).rv, Err(Errno::EPERM), "{cmd}");
    }
    for cmd in ["version", "targets", "names"] {
        let req = v(&[("command", cmd.into()), ("version", ver(4, 0, 0))]);
        assert_eq!(h.raw(&req, false).rv, Ok(()), "{cmd}");
    }
    let req = v(&[
        ("command", "info".into()),
        ("version", ver(4, 0, 0)),
        ("name", "x".into()),
        ("flags", Value::Unsigned(EXISTS as u64)),
    ]);
    let r = h.raw(&req, false);
    assert_eq!(r.rv, Ok(()));
    assert_eq!(r.flags() & EXISTS, 0);
}

#[test]
fn targets_lists_every_target_with_ver() {
    let h = H::new();
    let r = h.cmd("targets", &[]).ok();
    let got: Vec<(String, Value)> = r
        .cmd_data()
        .iter()
        .map(|t| {
            let d = t.as_dict().unwrap();
            assert_eq!(d.len(), 2, "only name and ver");
            (d["name"].as_str().unwrap().to_owned(), d["ver"].clone())
        })
        .collect();
    let want = [
        ("linear", ver(1, 0, 2)),
        ("striped", ver(1, 0, 3)),
        ("error", ver(1, 0, 0)),
        ("zero", ver(1, 0, 0)),
        ("delay", ver(1, 0, 0)),
        ("flakey", ver(1, 0, 0)),
    ];
    assert_eq!(got.len(), want.len());
    for ((n, v), (wn, wv)) in got.iter().zip(want.iter()) {
        assert_eq!((n.as_str(), v), (*wn, wv));
    }
}

#[test]
fn create_minors_flags_and_duplicates() {
    let h = H::new();
    let r = h.named("create", "t0").ok();
    assert_eq!(r.u64("minor"), Some(1));
    assert_eq!(r.flags() & EXISTS, EXISTS);
    assert_eq!(h.create("t1"), 2);
    let r = h.named("create", "t0").err(Errno::EEXIST);
    assert_eq!(r.flags() & EXISTS, EXISTS);
    h.cmd(
        "create",
        &[("name", "u1".into()), ("uuid", "LVM-abc".into())],
    )
    .ok();
    h.cmd(
        "create",
        &[("name", "u2".into()), ("uuid", "LVM-abc".into())],
    )
    .err(Errno::EEXIST);
    // Minors are not reused while unused ones remain.
    h.named("remove", "t1").ok();
    assert_eq!(h.create("t2"), 4);
    assert!(mock::take_events().contains(&"attach 1 t0".to_owned()));
}

#[test]
fn create_rejects_bad_names_and_uuids() {
    let h = H::new();
    for bad in ["", ".", "..", "a/b", "tab\there", &"n".repeat(128)] {
        let r = h.named("create", bad).err(Errno::EINVAL);
        assert!(r.msg.is_some(), "{bad:?} has a message");
    }
    h.named("create", &"n".repeat(127)).ok();
    h.cmd("create", &[]).err(Errno::EINVAL);
    h.cmd("create", &[("name", Value::Unsigned(3))])
        .err(Errno::EINVAL);
    h.cmd(
        "create",
        &[("name", "x".into()), ("uuid", "u".repeat(129).into())],
    )
    .err(Errno::EINVAL);
    h.cmd(
        "create",
        &[("name", "y".into()), ("uuid", "has space".into())],
    )
    .err(Errno::EINVAL);
    // Nothing half-created.
    let r = h.cmd("names", &[]).ok();
    assert_eq!(r.cmd_data().len(), 1);
}

#[test]
fn names_lists_name_and_minor_in_creation_order() {
    let h = H::new();
    assert!(h.cmd("names", &[]).ok().cmd_data().is_empty());
    h.create("b");
    h.create("a");
    let r = h.cmd("names", &[]).ok();
    let got: Vec<(String, u64)> = r
        .cmd_data()
        .iter()
        .map(|e| {
            let d = e.as_dict().unwrap();
            (
                d["name"].as_str().unwrap().to_owned(),
                d["dev"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, vec![("b".to_owned(), 1), ("a".to_owned(), 2)]);
}

#[test]
fn info_keys_and_flags_through_the_lifecycle() {
    let h = H::new();
    let d = h.disk("wd1a", 20480);
    h.cmd("create", &[("name", "t0".into()), ("uuid", "U-1".into())])
        .ok();
    let r = h.named("info", "t0").ok();
    assert_eq!(r.u64("minor"), Some(1));
    assert_eq!(r.str("name"), Some("t0"));
    assert_eq!(r.str("uuid"), Some("U-1"));
    assert_eq!(r.u64("open_count"), Some(0));
    assert_eq!(r.u64("target_count"), Some(0));
    assert_eq!(r.u64("event_nr"), Some(0));
    assert_eq!(
        r.flags(),
        0,
        "as NetBSD: info adds no bits to an empty table"
    );

    h.reload("t0", vec![line(0, 10240, "linear", &format!("{d} 384"))])
        .ok();
    assert_eq!(h.named("info", "t0").ok().flags(), INACTIVE_PRESENT);
    h.named("resume", "t0").ok();
    let r = h.named("info", "t0").ok();
    assert_eq!(r.flags(), ACTIVE_PRESENT);
    assert_eq!(r.u64("target_count"), Some(1));
    assert_eq!(r.u64("event_nr"), Some(1));
    let r = h.named("suspend", "t0").ok();
    assert_eq!(r.flags(), ACTIVE_PRESENT | EXISTS | SUSPEND);
    assert_eq!(h.named("info", "t0").ok().flags(), ACTIVE_PRESENT | SUSPEND);
    let r = h.named("resume", "t0").ok();
    assert_eq!(r.flags(), ACTIVE_PRESENT | EXISTS);
    assert_eq!(h.named("info", "t0").ok().flags(), ACTIVE_PRESENT);

    // EXISTS sent in comes back when found and is cleared when not.
    let r = h
        .cmd(
            "info",
            &[("name", "t0".into()), ("flags", Value::Unsigned(4))],
        )
        .ok();
    assert_eq!(r.flags(), ACTIVE_PRESENT | EXISTS);
    // A device that does not exist is an answer: success without
    // EXISTS, as lvm2's libdevmapper expects of info, mknodes and status.
    for cmd in ["info", "mknodes", "status"] {
        let r = h
            .cmd(
                cmd,
                &[("name", "nosuch".into()), ("flags", Value::Unsigned(4))],
            )
            .ok();
        assert_eq!(r.flags(), 0, "{cmd}");
        assert_eq!(r.get("message"), None, "{cmd}");
        assert_eq!(r.get("minor"), None, "{cmd}");
    }
    // Other commands still fail with ENOENT.
    let r = h
        .cmd(
            "table",
            &[("name", "nosuch".into()), ("flags", Value::Unsigned(4))],
        )
        .err(Errno::ENOENT);
    assert_eq!(r.flags() & EXISTS, 0);
    assert!(r.msg.unwrap().contains("'nosuch' does not exist"));
    // mknodes answers as info.
    let r = h
        .cmd(
            "mknodes",
            &[("name", "t0".into()), ("flags", Value::Unsigned(4))],
        )
        .ok();
    assert_eq!(r.flags() & EXISTS, EXISTS);
}

/// `dmsetup mknodes` sends mknodes for every entry of /dev/mapper,
/// raw nodes included: `r<name>` stands for device `<name>`, unless a
/// device is really called `r<name>`.
#[test]
fn mknodes_of_a_raw_node_name_answers_for_its_device() {
    let h = H::new();
    let m = h.create("vg-lv");
    let r = h
        .cmd(
            "mknodes",
            &[("name", "rvg-lv".into()), ("flags", Value::Unsigned(4))],
        )
        .ok();
    assert_eq!(r.flags() & EXISTS, EXISTS);
    assert_eq!(r.u64("minor"), Some(m as u64));
    assert_eq!(r.str("name"), Some("vg-lv"));
    let own = h.create("rvg-lv");
    let r = h.named("mknodes", "rvg-lv").ok();
    assert_eq!(r.u64("minor"), Some(own as u64));
    // Only mknodes reads raw names; "r" alone names nothing.
    let r = h
        .cmd(
            "info",
            &[("name", "rother".into()), ("flags", Value::Unsigned(4))],
        )
        .ok();
    assert_eq!(r.flags() & EXISTS, 0);
    h.create("other");
    let r = h
        .cmd(
            "info",
            &[("name", "rother".into()), ("flags", Value::Unsigned(4))],
        )
        .ok();
    assert_eq!(r.flags() & EXISTS, 0);
    let r = h
        .cmd(
            "mknodes",
            &[("name", "r".into()), ("flags", Value::Unsigned(4))],
        )
        .ok();
    assert_eq!(r.flags() & EXISTS, 0);
}

#[test]
fn lookup_by_uuid_only_and_by_minor_only() {
    let h = H::new();
    h.cmd(
        "create",
        &[("name", "lv".into()), ("uuid", "LVM-vg-lv".into())],
    )
    .ok();
    h.create("other");
    let r = h.cmd("info", &[("uuid", "LVM-vg-lv".into())]).ok();
    assert_eq!(r.str("name"), Some("lv"));
    let r = h
        .cmd(
            "info",
            &[
                ("minor", Value::Unsigned(2)),
                ("flags", Value::Unsigned(PERSISTENT_DEV as u64)),
            ],
        )
        .ok();
    assert_eq!(r.str("name"), Some("other"));
    let r = h.cmd("info", &[("minor", Value::Unsigned(9))]).ok();
    assert_eq!(r.flags() & EXISTS, 0);
    h.cmd("info", &[("minor", Value::Signed(-1))])
        .err(Errno::EINVAL);
    h.cmd("info", &[]).err(Errno::ENOENT);
}

#[test]
fn reload_errors_leave_no_trace() {
    let h = H::new();
    let a = h.disk("a", 1000);
    h.create("t");
    h.reload("t", vec![line(0, 100, "linear", &format!("{a} 2"))])
        .ok();
    let cases: Vec<(Vec<Value>, Errno, &str)> = vec![
        (vec![], Errno::EINVAL, "no lines"),
        (vec![line(1, 10, "zero", "")], Errno::EINVAL, "gap"),
        (
            vec![line(0, 10, "zero", ""), line(20, 10, "zero", "")],
            Errno::EINVAL,
            "gap",
        ),
        (
            vec![line(0, 10, "zero", ""), line(5, 10, "zero", "")],
            Errno::EINVAL,
            "overlap",
        ),
        (vec![line(0, 0, "zero", "")], Errno::EINVAL, "length is 0"),
        (
            vec![line(0, 10, "mirror", "")],
            Errno::EINVAL,
            "unknown target type 'mirror'",
        ),
        (
            vec![line(0, 10, "linear", &a)],
            Errno::EINVAL,
            "expected parameters",
        ),
        (
            vec![line(0, 10, "linear", &format!("{a} 12x"))],
            Errno::EINVAL,
            "not a decimal",
        ),
        (
            vec![line(0, 10, "linear", &format!("{a} -1"))],
            Errno::EINVAL,
            "not a decimal",
        ),
        (
            vec![line(0, 10, "linear", "/dev/nonexistent 2")],
            Errno::ENOENT,
            "cannot open component",
        ),
        (
            vec![line(0, 999, "linear", &format!("{a} 2"))],
            Errno::EINVAL,
            "too small",
        ),
        (
            vec![line(0, 10, "linear", &format!("{a} 1"))],
            Errno::EINVAL,
            "disklabel",
        ),
        (
            vec![line(0, 10, "linear", &format!("{a} 0"))],
            Errno::EINVAL,
            "disklabel",
        ),
        (
            vec![line(0, 10, "zero", ""), line(10, u64::MAX - 5, "zero", "")],
            Errno::EINVAL,
            "exceed",
        ),
        (
            vec![line(0, 10, "zero", &"x".repeat(5000))],
            Errno::EINVAL,
            "parameters longer",
        ),
    ];
    for (lines, e, words) in cases {
        let r = h.reload("t", lines.clone());
        assert_eq!(r.rv, Err(e), "{lines:?}");
        let msg = r.msg.unwrap_or_default();
        assert!(msg.contains(words), "{msg:?} should mention {words:?}");
        // The earlier inactive table is still there, unchanged.
        assert_eq!(h.named("info", "t").ok().flags(), INACTIVE_PRESENT);
    }
    assert_eq!(
        mock::disk(&a).unwrap().opens_rw,
        1,
        "only the good table holds it"
    );
    // Malformed lines.
    let bad = |l: Value| h.reload("t", vec![l]).err(Errno::EINVAL);
    bad(v(&[
        ("length", Value::Unsigned(8)),
        ("type", "zero".into()),
    ]));
    bad(v(&[("start", Value::Unsigned(0)), ("type", "zero".into())]));
    bad(v(&[
        ("start", Value::Unsigned(0)),
        ("length", Value::Unsigned(8)),
    ]));
    bad(v(&[
        ("start", Value::Signed(-1)),
        ("length", Value::Unsigned(8)),
        ("type", "zero".into()),
    ]));
    bad(v(&[
        ("start", "0".into()),
        ("length", Value::Unsigned(8)),
        ("type", "zero".into()),
    ]));
    bad(Value::from("0 8 zero"));
    h.cmd("reload", &[("name", "t".into())]).err(Errno::EINVAL);
    h.cmd("reload", &[("name", "t".into()), ("cmd_data", "x".into())])
        .err(Errno::EINVAL);
    h.reload("nosuch", vec![line(0, 8, "zero", "")])
        .err(Errno::ENOENT);
    // params may be left out for targets that take none.
    h.reload(
        "t",
        vec![v(&[
            ("start", Value::Unsigned(0)),
            ("length", Value::Unsigned(8)),
            ("type", "zero".into()),
        ])],
    )
    .ok();
    assert_eq!(
        mock::disk(&a).unwrap().opens_rw,
        0,
        "replacing the inactive table closes it"
    );
}

#[test]
fn label_override_flag_and_stacked_exemption() {
    let h = H::new();
    let a = h.disk("a", 1000);
    h.create("t");
    h.cmd(
        "reload",
        &[
            ("name", "t".into()),
            ("flags", Value::Unsigned(LABEL_OVERRIDE as u64)),
            (
                "cmd_data",
                Value::Array(vec![line(0, 1000, "linear", &format!("{a} 0"))]),
            ),
        ],
    )
    .ok();
    h.named("resume", "t").ok();
    // A dm device as component may start at 0 (lvm stacks that way).
    let top = h.path("mapper-t");
    mock::add_disk_with(
        &top,
        mock::Disk {
            sectors: 1000,
            secsize: 512,
            dev: 0x4200_0001,
            dm_minor: 1,
            ..Default::default()
        },
    );
    h.create("u");
    h.reload("u", vec![line(0, 1000, "linear", &format!("{top} 0"))])
        .ok();
}

#[test]
fn resume_without_reload_keeps_the_table() {
    let h = H::new();
    let a = h.disk("a", 5000);
    h.setup("t", vec![line(0, 4000, "linear", &format!("{a} 100"))]);
    h.named("suspend", "t").ok();
    h.named("resume", "t").ok();
    let r = h.named("info", "t").ok();
    assert_eq!(r.u64("target_count"), Some(1));
    assert_eq!(r.u64("event_nr"), Some(1), "no swap, no event");
    assert_eq!(h.core.size(1).unwrap(), (4000, 512));
    // Resume with a new table: swapped in, event, resize reported.
    mock::take_events();
    h.reload("t", vec![line(0, 2000, "zero", "")]).ok();
    h.named("resume", "t").ok();
    assert_eq!(h.core.size(1).unwrap(), (2000, 512));
    assert_eq!(h.named("info", "t").ok().u64("event_nr"), Some(2));
    assert!(mock::take_events().contains(&"resize 1 2000 512".to_owned()));
    assert_eq!(
        mock::disk(&a).unwrap().opens_rw,
        0,
        "old table's component closed"
    );
    h.named("resume", "nosuch").err(Errno::ENOENT);
    h.named("suspend", "nosuch").err(Errno::ENOENT);
}

#[test]
fn remove_busy_open_and_gone() {
    let h = H::new();
    let a = h.disk("a", 5000);
    let m = h.setup("t", vec![line(0, 4000, "linear", &format!("{a} 2"))]);
    h.core.open(m, OpenKind::Char).unwrap();
    let r = h.named("remove", "t").err(Errno::EBUSY);
    assert!(r.msg.unwrap().contains("is open"));
    h.core.close(m, OpenKind::Char).unwrap();
    assert_eq!(
        h.core.close(m, OpenKind::Char),
        Err(Errno::EINVAL.into()),
        "close without open"
    );
    h.named("remove", "t").ok();
    assert!(h.cmd("names", &[]).ok().cmd_data().is_empty());
    assert_eq!(mock::disk(&a).unwrap().opens_rw, 0);
    assert_eq!(h.core.open(m, OpenKind::Char), Err(Errno::ENXIO.into()));
    let r = h
        .cmd(
            "remove",
            &[("name", "t".into()), ("flags", Value::Unsigned(4))],
        )
        .err(Errno::ENOENT);
    assert_eq!(r.flags() & EXISTS, 0);
    assert!(mock::take_events().contains(&format!("detach {m}")));
}

#[test]
fn stacking_busy_self_and_loops() {
    let h = H::new();
    let a = h.disk("a", 5000);
    let low = h.setup("low", vec![line(0, 4000, "linear", &format!("{a} 2"))]);
    let lowpath = h.path("mapper-low");
    mock::add_disk_with(
        &lowpath,
        mock::Disk {
            sectors: 4000,
            secsize: 512,
            dev: 0x4200_0000 | low as u64,
            dm_minor: low,
            ..Default::default()
        },
    );
    let high = h.setup(
        "high",
        vec![line(0, 4000, "linear", &format!("{lowpath} 0"))],
    );
    let r = h.named("remove", "low").err(Errno::EBUSY);
    assert!(r
        .msg
        .unwrap()
        .contains("used by the table of device 'high'"));
    // low onto itself, and low onto high (which sits on low): refused.
    let r = h
        .reload("low", vec![line(0, 100, "linear", &format!("{lowpath} 0"))])
        .err(Errno::EINVAL);
    assert!(r.msg.unwrap().contains("onto itself"));
    let highpath = h.path("mapper-high");
    mock::add_disk_with(
        &highpath,
        mock::Disk {
            sectors: 4000,
            secsize: 512,
            dev: 0x4200_0000 | high as u64,
            dm_minor: high,
            ..Default::default()
        },
    );
    let r = h
        .reload(
            "low",
            vec![line(0, 100, "linear", &format!("{highpath} 0"))],
        )
        .err(Errno::EINVAL);
    assert!(r.msg.unwrap().contains("loop"));
    // remove_all takes the top first, then the bottom.
    h.cmd("remove_all", &[]).ok();
    assert!(h.cmd("names", &[]).ok().cmd_data().is_empty());
}

/// NetBSD calls d_open on every open and d_close once, on the last close
/// of a node: two opens of the raw node and its one close leave the
/// device closed and removable; the block node counts on its own.
#[test]
fn opens_are_a_mask_per_node() {
    let h = H::new();
    let m = h.create("t");
    h.core.open(m, OpenKind::Char).unwrap();
    h.core.open(m, OpenKind::Char).unwrap();
    h.core.open(m, OpenKind::Block).unwrap();
    assert_eq!(h.named("info", "t").ok().u64("open_count"), Some(2));
    h.core.close(m, OpenKind::Char).unwrap();
    assert_eq!(h.named("info", "t").ok().u64("open_count"), Some(1));
    h.named("remove", "t").err(Errno::EBUSY);
    h.core.close(m, OpenKind::Block).unwrap();
    assert_eq!(h.named("info", "t").ok().u64("open_count"), Some(0));
    h.named("remove", "t").ok();
}

#[test]
fn remove_all_leaves_open_devices() {
    let h = H::new();
    h.create("a");
    let b = h.create("b");
    h.create("c");
    h.core.open(b, OpenKind::Char).unwrap();
    let r = h.cmd("remove_all", &[]).err(Errno::EBUSY);
    assert!(r.msg.unwrap().contains("1 device(s) left"));
    let names = h.cmd("names", &[]).ok();
    assert_eq!(names.cmd_data().len(), 1);
    h.core.close(b, OpenKind::Char).unwrap();
    h.cmd("remove_all", &[]).ok();
}

#[test]
fn rename_and_set_uuid() {
    let h = H::new();
    h.create("old");
    h.create("other");
    let rn = |name: &str, new: Value| {
        h.cmd(
            "rename",
            &[("name", name.into()), ("cmd_data", Value::Array(vec![new]))],
        )
    };
    let r = rn("old", "new".into()).ok();
    assert_eq!(r.str("name"), Some("new"));
    assert_eq!(r.u64("minor"), Some(1));
    assert!(mock::take_events().contains(&"rename 1 new".to_owned()));
    let info = |n: &str| {
        h.cmd("info", &[("name", n.into()), ("flags", Value::Unsigned(4))])
            .ok()
            .flags()
            & EXISTS
    };
    assert_eq!(info("old"), 0);
    assert_eq!(info("new"), EXISTS);
    rn("new", "new".into()).ok();
    let r = rn("new", "other".into()).err(Errno::EEXIST);
    assert!(r.msg.unwrap().contains("already exists"));
    rn("new", "a/b".into()).err(Errno::EINVAL);
    rn("new", Value::Unsigned(5)).err(Errno::EINVAL);
    rn("nosuch", "zzz".into()).err(Errno::ENOENT);
    h.cmd("rename", &[("name", "new".into())])
        .err(Errno::EINVAL);
    h.cmd(
        "rename",
        &[("name", "new".into()), ("cmd_data", Value::Array(vec![]))],
    )
    .err(Errno::EINVAL);
    // Setting a uuid once (Linux's --setuuid), then renaming by uuid.
    h.cmd(
        "rename",
        &[
            ("name", "new".into()),
            ("flags", Value::Unsigned(UUID as u64)),
            ("cmd_data", Value::Array(vec!["UU".into()])),
        ],
    )
    .ok();
    h.cmd(
        "rename",
        &[
            ("name", "new".into()),
            ("flags", Value::Unsigned(UUID as u64)),
            ("cmd_data", Value::Array(vec!["VV".into()])),
        ],
    )
    .err(Errno::EINVAL);
    h.cmd(
        "rename",
        &[
            ("uuid", "UU".into()),
            ("cmd_data", Value::Array(vec!["third".into()])),
        ],
    )
    .ok();
    assert_eq!(
        h.cmd("info", &[("uuid", "UU".into())]).ok().str("name"),
        Some("third")
    );
}

/// NetBSD lets one vnode hold a block device open (spec_open answers a
/// second with EBUSY): a read-only table shares the writable open of its
/// disk, and the disk stays open once.
#[test]
fn a_read_only_table_shares_the_writable_open() {
    let h = H::new();
    let a = h.disk("a", 100);
    h.setup("w", vec![line(0, 50, "linear", &format!("{a} 2"))]);
    let r = h.cmd(
        "create",
        &[("name", "ro".into()), ("flags", Value::Unsigned(1))],
    );
    r.ok();
    h.reload("ro", vec![line(0, 50, "linear", &format!("{a} 2"))])
        .ok();
    let d = mock::disk(&a).unwrap();
    assert_eq!((d.opens_rw, d.opens_ro), (1, 0));
    h.named("remove", "w").ok();
    let d = mock::disk(&a).unwrap();
    assert_eq!(
        (d.opens_rw, d.opens_ro),
        (1, 0),
        "the read-only table holds it"
    );
    h.named("remove", "ro").ok();
    assert_eq!(mock::disk(&a).unwrap().opens_rw, 0);
}

#[test]
fn clear_drops_the_inactive_table() {
    let h = H::new();
    let a = h.disk("a", 100);
    h.create("t");
    h.reload("t", vec![line(0, 50, "linear", &format!("{a} 2"))])
        .ok();
    assert_eq!(mock::disk(&a).unwrap().opens_rw, 1);
    let r = h.named("clear", "t").ok();
    assert_eq!(r.flags() & INACTIVE_PRESENT, 0);
    assert_eq!(h.named("info", "t").ok().flags(), 0);
    assert_eq!(mock::disk(&a).unwrap().opens_rw, 0);
    h.named("clear", "nosuch").err(Errno::ENOENT);
}

#[test]
fn deps_lists_each_component_once() {
    let h = H::new();
    let a = h.disk("a", 1000);
    let b = h.disk("b", 1000);
    let da = mock::disk(&a).unwrap().dev;
    let db = mock::disk(&b).unwrap().dev;
    h.setup(
        "t",
        vec![
            line(0, 100, "linear", &format!("{a} 2")),
            line(100, 100, "linear", &format!("{b} 2")),
            line(200, 100, "linear", &format!("{a} 500")),
            line(300, 100, "zero", ""),
        ],
    );
    let r = h.named("deps", "t").ok();
    assert_eq!(r.cmd_data(), &[Value::Unsigned(da), Value::Unsigned(db)]);
    assert_eq!(r.str("name"), Some("t"));
    assert_eq!(r.u64("minor"), Some(1));
    h.reload("t", vec![line(0, 100, "linear", &format!("{b} 9"))])
        .ok();
    let r = h
        .cmd(
            "deps",
            &[
                ("name", "t".into()),
                ("flags", Value::Unsigned(QUERY_INACTIVE_TABLE as u64)),
            ],
        )
        .ok();
    assert_eq!(r.cmd_data(), &[Value::Unsigned(db)]);
    assert!(h.named("deps", "t").ok().cmd_data().len() == 2);
    h.create("empty");
    assert!(h.named("deps", "empty").ok().cmd_data().is_empty());
    h.named("deps", "nosuch").err(Errno::ENOENT);
}

#[test]
fn table_and_status_strings() {
    let h = H::new();
    let a = h.disk("a", 100_000);
    let b = h.disk("b", 100_000);
    let (sa, sb) = (
        devstr(mock::disk(&a).unwrap().dev),
        devstr(mock::disk(&b).unwrap().dev),
    );
    h.setup(
        "t",
        vec![
            line(0, 10240, "linear", &format!("{a} 384")),
            line(10240, 2048, "striped", &format!("2 64 {a} 20000 {b} 8")),
            line(12288, 100, "zero", ""),
            line(12388, 100, "error", ""),
            line(12488, 100, "delay", &format!("{a}\t50000  7")),
            line(
                12588,
                100,
                "flakey",
                &format!("{b} 30000 5 1 1 drop_writes"),
            ),
        ],
    );
    let t = h.table("t");
    let want: Vec<(u64, u64, &str, Option<String>)> = vec![
        (0, 10240, "linear", Some(format!("{sa} 384"))),
        (
            10240,
            2048,
            "striped",
            Some(format!("2 64 {sa} 20000 {sb} 8")),
        ),
        (12288, 100, "zero", None),
        (12388, 100, "error", None),
        (12488, 100, "delay", Some(format!("{sa} 50000 7"))),
        (
            12588,
            100,
            "flakey",
            Some(format!("{sb} 30000 5 1 1 drop_writes")),
        ),
    ];
    for (got, w) in t.iter().zip(want.iter()) {
        assert_eq!(
            (got.0, got.1, got.2.as_str(), &got.3),
            (w.0, w.1, w.2, &w.3)
        );
    }
    assert_eq!(t.len(), want.len());
    // status: the targets' state strings; linear has none.
    let r = h.named("status", "t").ok();
    let params: Vec<Option<&str>> = r
        .cmd_data()
        .iter()
        .map(|l| l.as_dict().unwrap().get("params").and_then(Value::as_str))
        .collect();
    assert_eq!(params[0], None);
    assert_eq!(params[1], Some(format!("2 {sa} {sb} 1 AA").as_str()));
    assert_eq!(params[4], Some("0 0"));
    assert!(params[5].unwrap().starts_with("up") || params[5].unwrap().starts_with("down"));
    for l in r.cmd_data() {
        assert_eq!(l.as_dict().unwrap()["status"], Value::Signed(0));
    }
    assert_eq!(r.flags() & ACTIVE_PRESENT, ACTIVE_PRESENT);
    // The inactive table on request.
    h.reload("t", vec![line(0, 8, "zero", "")]).ok();
    let r = h
        .cmd(
            "table",
            &[
                ("name", "t".into()),
                (
                    "flags",
                    Value::Unsigned((STATUS_TABLE | QUERY_INACTIVE_TABLE) as u64),
                ),
            ],
        )
        .ok();
    assert_eq!(r.cmd_data().len(), 1);
    assert_eq!(
        r.flags() & (ACTIVE_PRESENT | INACTIVE_PRESENT),
        ACTIVE_PRESENT | INACTIVE_PRESENT
    );
    h.named("table", "nosuch").err(Errno::ENOENT);
}

#[test]
fn message_goes_to_the_line_at_the_sector() {
    let h = H::new();
    let a = h.disk("a", 1000);
    h.setup(
        "t",
        vec![
            line(0, 100, "linear", &format!("{a} 2")),
            line(100, 100, "flakey", &format!("{a} 200 100 0")),
        ],
    );
    let msg = |sector: u64, text: &str| {
        h.cmd(
            "message",
            &[
                ("name", "t".into()),
                (
                    "cmd_data",
                    Value::Array(vec![v(&[
                        ("sector", Value::Unsigned(sector)),
                        ("message", text.into()),
                    ])]),
                ),
            ],
        )
    };
    msg(150, "down").ok();
    assert_eq!(
        h.named("status", "t").ok().cmd_data()[1].as_dict().unwrap()["params"],
        Value::from("down pinned")
    );
    msg(150, "cycle").ok();
    msg(150, "explode").err(Errno::EINVAL);
    let r = msg(10, "down").err(Errno::EINVAL);
    assert!(r.msg.unwrap().contains("takes no messages"));
    msg(200, "down").err(Errno::EINVAL);
    msg(150, "  ").err(Errno::EINVAL);
}

/// What NetBSD's libdm and lvm2's libdevmapper send: no `version` for
/// remove_all, message, waitevent and setgeometry (libdm's `cmd_ver` has
/// no entry for them), and no text in a message.
#[test]
fn requests_libdm_sends_are_accepted() {
    let h = H::new();
    h.setup("t", vec![line(0, 100, "zero", "")]);
    let bare = |cmd: &str, extra: &[(&str, Value)]| {
        let mut pairs: Vec<(&str, Value)> = vec![("command", cmd.into())];
        pairs.extend(extra.iter().cloned());
        h.raw(&v(&pairs), true)
    };
    let r = bare(
        "waitevent",
        &[("name", "t".into()), ("event_nr", Value::Unsigned(0))],
    )
    .ok();
    assert_eq!(r.get("version"), Some(&ver(4, 16, 0)));
    bare(
        "setgeometry",
        &[
            ("name", "t".into()),
            ("cmd_data", Value::Array(vec!["10 4 8 0".into()])),
        ],
    )
    .ok();
    // libdm's message: a name, flags, no cmd_data at all.
    let r = bare(
        "message",
        &[("name", "t".into()), ("flags", Value::Unsigned(4))],
    )
    .err(Errno::EINVAL);
    assert!(
        r.msg
            .as_deref()
            .unwrap()
            .contains("carries no message text"),
        "{:?}",
        r.msg
    );
    let r = bare(
        "message",
        &[("name", "t".into()), ("cmd_data", Value::Array(vec![]))],
    )
    .err(Errno::EINVAL);
    assert!(r
        .msg
        .as_deref()
        .unwrap()
        .contains("carries no message text"));
    // A version that is there is still checked.
    let r = h.raw(
        &v(&[("command", "remove_all".into()), ("version", ver(5, 0, 0))]),
        true,
    );
    assert_eq!(r.rv, Err(Errno::EIO));
    // Other commands still need one.
    bare("info", &[("name", "t".into())]).err(Errno::EINVAL);
    bare("remove_all", &[]).ok();
    assert_eq!(h.core.device_count(), 0);
}

#[test]
fn setgeometry_validates_and_stores() {
    let h = H::new();
    let m = h.create("t");
    let geo = |s: &str| {
        h.cmd(
            "setgeometry",
            &[
                ("name", "t".into()),
                ("cmd_data", Value::Array(vec![s.into()])),
            ],
        )
    };
    geo("1024 16 63 0").ok();
    let g = h.core.geometry(m).unwrap().unwrap();
    assert_eq!(
        (g.cylinders, g.heads, g.sectors, g.start),
        (1024, 16, 63, 0)
    );
    geo("1024 16 63").err(Errno::EINVAL);
    geo("1024 0 63 0").err(Errno::EINVAL);
    geo("x 16 63 0").err(Errno::EINVAL);
    geo("99999999999 16 63 0").err(Errno::EINVAL);
}

#[test]
fn waitevent_returns_at_once_when_behind() {
    let h = H::new();
    let a = h.disk("a", 100);
    h.setup("t", vec![line(0, 50, "linear", &format!("{a} 2"))]);
    let r = h
        .cmd(
            "waitevent",
            &[("name", "t".into()), ("event_nr", Value::Unsigned(0))],
        )
        .ok();
    assert_eq!(r.u64("event_nr"), Some(1));
    h.cmd("waitevent", &[("name", "nosuch".into())])
        .err(Errno::ENOENT);
}

/// An errno dm-core has no name for (ELOOP, ENAMETOOLONG on
/// NetBSD), or EACCES, reaches the caller as the kernel gave it, not as
/// EIO.
#[test]
fn component_open_errnos_pass_through() {
    let h = H::new();
    h.create("t");
    for (raw, words) in [
        (13, "permission denied"),
        (62, "too many levels of symbolic links"),
        (63, "file name too long"),
        (91, "error 91"),
    ] {
        let p = h.path(&format!("e{raw}"));
        mock::add_disk_with(
            &p,
            mock::Disk {
                sectors: 100,
                secsize: 512,
                fail: Some(raw),
                ..mock::Disk::default()
            },
        );
        let r = h
            .reload("t", vec![line(0, 10, "linear", &format!("{p} 2"))])
            .err(Errno::from_raw(raw));
        assert_eq!(r.rv.unwrap_err().raw(), raw);
        assert!(
            r.msg.as_deref().unwrap_or("").contains(words),
            "{:?}",
            r.msg
        );
    }
    assert_eq!(Errno::from_raw(13), Errno::EACCES);
    assert_eq!(Errno::from_raw(63), Errno::Other(63));
    assert_eq!(Errno::from_raw(0), Errno::EIO);
    assert_eq!(Errno::from_raw(-4), Errno::EIO);
}

/// dm.4 "Errors and errno-aware clients": a failure writes `errno` and
/// `message` into the reply for clients without DM_ERRNO_FLAG; with it,
/// a missing device is ENOENT even for info, mknodes and status. The
/// glue's helpers read the flag and the text.
#[test]
fn failures_in_the_reply_and_the_errno_flag() {
    let h = H::new();
    let r = h.named("remove", "x").err(Errno::ENOENT);
    assert_eq!(r.u64("errno"), Some(2));
    assert_eq!(r.str("message"), Some("device 'x' does not exist"));
    let r = h.named("info", "x").ok();
    assert_eq!((r.get("errno"), r.get("message")), (None, None));
    for cmd in ["info", "mknodes", "status"] {
        let r = h
            .cmd(
                cmd,
                &[
                    ("name", "x".into()),
                    ("flags", Value::Unsigned(ERRNO as u64)),
                ],
            )
            .err(Errno::ENOENT);
        assert_eq!(r.u64("errno"), Some(2), "{cmd}");
    }
    // What the glue logs, and what it hands an errno-aware caller.
    let req = to_dict(&v(&[
        ("command", "reload".into()),
        ("version", ver(4, 0, 0)),
        ("name", "x\ny".into()),
        ("flags", Value::Unsigned(ERRNO as u64)),
        ("cmd_data", Value::Array(vec![])),
    ]));
    assert!(h.core.ioctl(&req, true).is_err());
    let mut buf = [0xffu8; 64];
    // SAFETY: req is live; buf is valid for its length.
    unsafe {
        let p = req.as_ptr().cast();
        assert!(dm_core::ffi::dm_core_errno_aware(p));
        // Control characters from the caller never reach the log.
        let n = dm_core::ffi::dm_core_message(p, true, buf.as_mut_ptr(), buf.len());
        assert_eq!(&buf[..=n], b"reload x?y: device 'x?y' does not exist\0");
        // Cut to the buffer, NUL included.
        let n = dm_core::ffi::dm_core_message(p, true, buf.as_mut_ptr(), 8);
        assert_eq!((n, &buf[..8]), (7, &b"reload \0"[..]));
        let n = dm_core::ffi::dm_core_message(p, false, buf.as_mut_ptr(), buf.len());
        assert_eq!(&buf[..=n], b"device 'x?y' does not exist\0");
        assert_eq!(
            dm_core::ffi::dm_core_message(p, false, buf.as_mut_ptr(), 0),
            0
        );
        assert!(!dm_core::ffi::dm_core_errno_aware(std::ptr::null_mut()));
    }
}

/// A component given as `major:minor`, as `table` and
/// `deps` print it, loads as its path does (as in Linux dm): an open
/// component by its dev_t, a dm device by its minor.
#[test]
fn major_minor_components_load_back() {
    let h = H::new();
    let a = h.disk("a", 1000);
    let dev = mock::disk(&a).unwrap().dev;
    let (maj, min) = (
        (dev & 0x000f_ff00) >> 8,
        (dev & 0xff) | ((dev & 0xfff0_0000) >> 12),
    );
    h.setup("t", vec![line(0, 100, "linear", &format!("{a} 2"))]);
    let table = |n: &str| {
        h.cmd(
            "table",
            &[
                ("name", n.into()),
                ("flags", Value::Unsigned(STATUS_TABLE as u64)),
            ],
        )
        .ok()
        .cmd_data()[0]
            .as_dict()
            .unwrap()["params"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let printed = table("t");
    assert_eq!(printed, format!("{maj}:{min} 2"));
    // What table printed loads back, here and into another device.
    h.reload("t", vec![line(0, 100, "linear", &printed)]).ok();
    h.create("u");
    h.reload(
        "u",
        vec![line(
            0,
            320,
            "striped",
            &format!("2 8 {maj}:{min} 200 {a} 600"),
        )],
    )
    .ok();
    assert_eq!(mock::disk(&a).unwrap().opens_rw, 1, "one open, two names");
    // A dm device by its minor: /dev/mapper/<name>.
    let low = format!("{}low", h.tag);
    let m = h.setup(&low, vec![line(0, 50, "zero", "")]);
    mock::add_disk_with(
        &format!("/dev/mapper/{low}"),
        mock::Disk {
            sectors: 50,
            secsize: 512,
            dev: (169 << 8) | u64::from(m),
            dm_minor: m,
            ..Default::default()
        },
    );
    h.create("top");
    h.reload("top", vec![line(0, 50, "linear", &format!("169:{m} 0"))])
        .ok();
    // Nothing by that number, or not a number pair: refused with why.
    let r = h
        .reload("top", vec![line(0, 50, "linear", "5000:1 2")])
        .err(Errno::ENOENT);
    let m = r.msg.unwrap();
    assert!(
        m.contains("cannot open component 5000:1"),
        "out of range is a path: {m}"
    );
    let r = h
        .reload("top", vec![line(0, 50, "linear", "7:7 2")])
        .err(Errno::ENOENT);
    assert!(r
        .msg
        .unwrap()
        .contains("no component in use has device number 7:7"));
    let r = h
        .reload("top", vec![line(0, 50, "linear", "169:999 0")])
        .err(Errno::ENOENT);
    assert!(r.msg.unwrap().contains("169:999"));
}

/// The label rule protects the sectors where the
/// component's disk keeps its label: a whole disk and a partition at
/// sector 0 are refused from offset 0; a partition further in, or a
/// wedge, may be mapped whole.
#[test]
fn label_rule_follows_where_the_label_is() {
    let h = H::new();
    let comp = |name: &str, label_start: u64| {
        let p = h.path(name);
        mock::add_disk_with(
            &p,
            mock::Disk {
                sectors: 1000,
                secsize: 512,
                dev: 0x0900 + label_start.min(50),
                label_start,
                ..Default::default()
            },
        );
        p
    };
    let whole = comp("wd0d", 0);
    let at1 = comp("wd0e", 1);
    let beyond = comp("wd0a", 63);
    let wedge = comp("dk3", u64::MAX);
    h.create("t");
    let r = h
        .reload("t", vec![line(0, 100, "linear", &format!("{whole} 1"))])
        .err(Errno::EINVAL);
    assert!(r.msg.unwrap().contains("disklabel of its disk"));
    h.reload("t", vec![line(0, 100, "linear", &format!("{whole} 2"))])
        .ok();
    // A partition at sector 1 of its disk: its sector 0 is the label.
    h.reload("t", vec![line(0, 100, "linear", &format!("{at1} 0"))])
        .err(Errno::EINVAL);
    let r = h.reload("t", vec![line(0, 100, "linear", &format!("{at1} 1"))]);
    assert_eq!(r.rv, Ok(()), "{:?}", r.msg);
    for p in [&beyond, &wedge] {
        let r = h.reload("t", vec![line(0, 1000, "linear", &format!("{p} 0"))]);
        assert_eq!(r.rv, Ok(()), "{p}: {:?}", r.msg);
    }
    let r = h
        .reload(
            "t",
            vec![line(
                0,
                192,
                "striped",
                &format!("2 8 {beyond} 0 {whole} 0"),
            )],
        )
        .err(Errno::EINVAL);
    let m = r.msg.unwrap();
    assert!(m.contains(&format!("on {whole}")), "{m}");
}
