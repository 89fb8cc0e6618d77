//! I/O mapping: actions cover the request exactly, split at lines and
//! stripe chunks; ends of device; read-only; suspend; table pinning; the
//! delay and flakey targets' behaviour.

mod common;

use common::*;
use dm_core::io::{Action, Dir, Mapped, DM_ACT_DROP, DM_ACT_ERROR, DM_ACT_IO, DM_ACT_ZERO};
use dm_core::Errno;
use dm_kmock as mock;
use std::sync::Arc;
use std::time::Duration;

/// (kind, buf offset, count, component path, component sector)
type Piece = (u32, u64, u64, String, u64);

fn pieces(acts: &[Action]) -> Vec<Piece> {
    acts.iter()
        .map(|a| {
            let path = if a.comp.is_null() {
                String::new()
            } else {
                // SAFETY: the handle is open while the table is pinned.
                unsafe { mock::handle_path(a.comp) }
            };
            (a.kind, a.offset, a.count, path, a.sector)
        })
        .collect()
}

fn map(h: &H, minor: u32, sector: u64, count: u64, dir: Dir) -> Result<Mapped, Errno> {
    h.core
        .device(minor)
        .ok_or(Errno::ENXIO)?
        .map(sector, count, dir)
}

fn io(h: &H, minor: u32, sector: u64, count: u64, dir: Dir) -> dm_core::io::Io {
    match map(h, minor, sector, count, dir) {
        Ok(Mapped::Io(io)) => io,
        Ok(Mapped::Deferred) => panic!("deferred"),
        Err(e) => panic!("map failed: {e:?}"),
    }
}

#[test]
fn seed_linear_line_maps_at_the_offset() {
    let h = H::new();
    let wd1a = h.disk("wd1a", 32768);
    let m = h.setup(
        "demo",
        vec![line(0, 10240, "linear", &format!("{wd1a} 384"))],
    );
    let x = io(&h, m, 10, 5, Dir::Write);
    assert_eq!(
        pieces(x.actions()),
        vec![(DM_ACT_IO, 0, 5, wd1a.clone(), 394)]
    );
    assert_eq!(x.mapped(), 5);
    let x = io(&h, m, 0, 10240, Dir::Read);
    assert_eq!(pieces(x.actions()), vec![(DM_ACT_IO, 0, 10240, wd1a, 384)]);
}

#[test]
fn request_across_every_kind_of_line() {
    let h = H::new();
    let a = h.disk("a", 10000);
    let b = h.disk("b", 10000);
    let c = h.disk("c", 10000);
    let m = h.setup(
        "t",
        vec![
            line(0, 100, "linear", &format!("{a} 1000")),
            line(100, 50, "zero", ""),
            line(150, 50, "error", ""),
            // 3 stripes of 8 sectors: 96 sectors, 32 per stripe.
            line(200, 96, "striped", &format!("3 8 {a} 5000 {b} 16 {c} 2")),
            line(296, 4, "linear", &format!("{b} 7000")),
        ],
    );
    let x = io(&h, m, 90, 210, Dir::Read);
    let want: Vec<Piece> = vec![
        (DM_ACT_IO, 0, 10, a.clone(), 1090),
        (DM_ACT_ZERO, 10, 50, String::new(), 0),
        (DM_ACT_ERROR, 60, 50, String::new(), 0),
        // striped: rel 0..96 in chunks of 8 over a, b, c.
        (DM_ACT_IO, 110, 8, a.clone(), 5000),
        (DM_ACT_IO, 118, 8, b.clone(), 16),
        (DM_ACT_IO, 126, 8, c.clone(), 2),
        (DM_ACT_IO, 134, 8, a.clone(), 5008),
        (DM_ACT_IO, 142, 8, b.clone(), 24),
        (DM_ACT_IO, 150, 8, c.clone(), 10),
        (DM_ACT_IO, 158, 8, a.clone(), 5016),
        (DM_ACT_IO, 166, 8, b.clone(), 32),
        (DM_ACT_IO, 174, 8, c.clone(), 18),
        (DM_ACT_IO, 182, 8, a.clone(), 5024),
        (DM_ACT_IO, 190, 8, b.clone(), 40),
        (DM_ACT_IO, 198, 8, c.clone(), 26),
        (DM_ACT_IO, 206, 4, b.clone(), 7000),
    ];
    assert_eq!(pieces(x.actions()), want);
    assert_eq!(x.actions()[2].error, Errno::EIO.raw());
    assert_eq!(x.mapped(), 210);
}

#[test]
fn adjacent_lines_on_one_component_merge() {
    let h = H::new();
    let a = h.disk("a", 10000);
    let m = h.setup(
        "t",
        vec![
            line(0, 100, "linear", &format!("{a} 100")),
            line(100, 100, "linear", &format!("{a} 200")),
            line(200, 100, "striped", &format!("1 4 {a} 300")),
        ],
    );
    let x = io(&h, m, 50, 200, Dir::Read);
    assert_eq!(pieces(x.actions()), vec![(DM_ACT_IO, 0, 200, a, 150)]);
}

#[test]
fn device_end_zero_length_and_beyond() {
    let h = H::new();
    let m = h.setup("t", vec![line(0, 100, "zero", "")]);
    let x = io(&h, m, 100, 8, Dir::Read);
    assert_eq!(
        (x.mapped(), x.actions().len()),
        (0, 0),
        "EOF: nothing mapped"
    );
    let x = io(&h, m, 96, 8, Dir::Read);
    assert_eq!(x.mapped(), 4, "cut at the end");
    assert_eq!(
        pieces(x.actions()),
        vec![(DM_ACT_ZERO, 0, 4, String::new(), 0)]
    );
    let x = io(&h, m, 5, 0, Dir::Write);
    assert_eq!((x.mapped(), x.actions().len()), (0, 0));
    assert!(matches!(map(&h, m, 101, 1, Dir::Read), Err(Errno::EINVAL)));
    assert!(matches!(
        map(&h, m, u64::MAX, 1, Dir::Read),
        Err(Errno::EINVAL)
    ));
    let empty = h.create("empty");
    assert!(matches!(map(&h, empty, 0, 1, Dir::Read), Err(Errno::ENXIO)));
}

#[test]
fn read_only_devices_refuse_writes_and_open_read_only() {
    let h = H::new();
    let a = h.disk("a", 1000);
    h.cmd(
        "create",
        &[
            ("name", "ro".into()),
            ("flags", proplib::Value::Unsigned(1)),
        ],
    )
    .ok();
    h.reload("ro", vec![line(0, 100, "linear", &format!("{a} 2"))])
        .ok();
    h.named("resume", "ro").ok();
    assert_eq!(mock::disk(&a).unwrap().opens_ro, 1);
    assert_eq!(mock::disk(&a).unwrap().opens_rw, 0);
    assert!(matches!(map(&h, 1, 0, 8, Dir::Write), Err(Errno::EROFS)));
    io(&h, 1, 0, 8, Dir::Read);
    assert_eq!(h.named("info", "ro").ok().flags() & 1, 1);
    // A table loaded read-only makes a writable device read-only while
    // it is live, and info says so.
    h.cmd("create", &[("name", "rw".into())]).ok();
    h.cmd(
        "reload",
        &[
            ("name", "rw".into()),
            ("flags", proplib::Value::Unsigned(1)),
            (
                "cmd_data",
                proplib::Value::Array(vec![line(0, 100, "linear", &format!("{a} 200"))]),
            ),
        ],
    )
    .ok();
    assert_eq!(h.named("info", "rw").ok().flags() & 1, 0);
    h.named("resume", "rw").ok();
    assert_eq!(h.named("info", "rw").ok().flags() & 1, 1);
    assert!(matches!(map(&h, 2, 0, 8, Dir::Write), Err(Errno::EROFS)));
    h.reload("rw", vec![line(0, 100, "linear", &format!("{a} 200"))])
        .ok();
    h.named("resume", "rw").ok();
    assert_eq!(h.named("info", "rw").ok().flags() & 1, 0);
    io(&h, 2, 0, 8, Dir::Write);
}

#[test]
fn striped_power_of_two_and_odd_chunks_match_a_model() {
    let h = H::new();
    let d: Vec<String> = (0..4).map(|i| h.disk(&format!("s{i}"), 100_000)).collect();
    for (n, chunk) in [(1u64, 8u64), (2, 16), (4, 8), (3, 5), (2, 7)] {
        let width = chunk * 12;
        let len = width * n;
        let mut params = format!("{n} {chunk}");
        for (i, p) in d.iter().take(n as usize).enumerate() {
            params.push_str(&format!(" {p} {}", 10 + i as u64 * 1000));
        }
        let name = format!("s{n}x{chunk}");
        let m = h.setup(&name, vec![line(0, len, "striped", &params)]);
        for start in 0..len {
            let x = io(&h, m, start, 1, Dir::Read);
            let chunk_no = start / chunk;
            let stripe = (chunk_no % n) as usize;
            let want = 10 + stripe as u64 * 1000 + (chunk_no / n) * chunk + start % chunk;
            assert_eq!(
                pieces(x.actions()),
                vec![(DM_ACT_IO, 0, 1, d[stripe].clone(), want)],
                "n={n} chunk={chunk} sector={start}"
            );
        }
        // A whole-device request covers every sector once, in order.
        let x = io(&h, m, 0, len, Dir::Read);
        let mut at = 0;
        for a in x.actions() {
            assert_eq!(a.offset, at);
            at += a.count;
        }
        assert_eq!(at, len);
    }
}

#[test]
fn striped_parameter_errors() {
    let h = H::new();
    let a = h.disk("a", 10000);
    let b = h.disk("b", 10000);
    h.create("t");
    for (params, len, words) in [
        (format!("2 8 {a} 2"), 32, "need 4 device/offset"),
        ("0 8".to_string(), 32, "between 1 and 256"),
        ("257 8".to_string(), 32, "between 1 and 256"),
        (format!("2 0 {a} 2 {b} 2"), 32, "must not be 0"),
        (
            format!("2 8 {a} 2 {b} 2"),
            33,
            "not divisible by the stripe count",
        ),
        (
            format!("2 8 {a} 2 {b} 2"),
            36,
            "not divisible by the chunk size",
        ),
        (format!("2 8 {a} 2 {b} 9999"), 32, "too small"),
        ("2".to_string(), 32, "expected"),
        (format!("x 8 {a} 2"), 32, "not a decimal"),
    ] {
        let r = h
            .reload("t", vec![line(0, len, "striped", &params)])
            .err(Errno::EINVAL);
        let msg = r.msg.unwrap();
        assert!(msg.contains(words), "{params}: {msg}");
    }
}

#[test]
fn suspend_defers_io_until_resume() {
    let h = H::new();
    let a = h.disk("a", 1000);
    let m = h.setup("t", vec![line(0, 100, "linear", &format!("{a} 2"))]);
    h.named("suspend", "t").ok();
    assert!(matches!(map(&h, m, 0, 8, Dir::Read), Ok(Mapped::Deferred)));
    mock::take_events();
    h.named("resume", "t").ok();
    assert!(mock::take_events().contains(&format!("resumed {m}")));
    io(&h, m, 0, 8, Dir::Read);
}

#[test]
fn suspend_waits_for_io_in_flight() {
    let h = Arc::new(H::new());
    let a = h.disk("a", 1000);
    let m = h.setup("t", vec![line(0, 100, "linear", &format!("{a} 2"))]);
    let x = io(&h, m, 0, 8, Dir::Write);
    let h2 = Arc::clone(&h);
    let t = std::thread::spawn(move || h2.named("suspend", "t").rv);
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        !t.is_finished(),
        "suspend must wait for the write in flight"
    );
    drop(x);
    assert_eq!(t.join().unwrap(), Ok(()));
}

#[test]
fn a_table_in_use_is_never_freed() {
    let h = Arc::new(H::new());
    let a = h.disk("a", 1000);
    let b = h.disk("b", 1000);
    let m = h.setup("t", vec![line(0, 100, "linear", &format!("{a} 2"))]);
    let old = io(&h, m, 0, 8, Dir::Read);
    h.reload("t", vec![line(0, 100, "linear", &format!("{b} 2"))])
        .ok();
    let h2 = Arc::clone(&h);
    let t = std::thread::spawn(move || h2.named("resume", "t").rv);
    std::thread::sleep(Duration::from_millis(100));
    // New I/O already goes to the new table...
    let new = io(&h, m, 0, 8, Dir::Read);
    assert_eq!(pieces(new.actions())[0].3, b);
    // ...while the old request still holds the old one open.
    assert_eq!(pieces(old.actions())[0].3, a);
    assert_eq!(mock::disk(&a).unwrap().opens_rw, 1);
    assert!(!t.is_finished());
    drop(old);
    assert_eq!(t.join().unwrap(), Ok(()));
    assert_eq!(mock::disk(&a).unwrap().opens_rw, 0);
}

#[test]
fn waitevent_sleeps_until_resume_and_wakes_on_remove() {
    let h = Arc::new(H::new());
    h.setup("t", vec![line(0, 100, "zero", "")]);
    let h2 = Arc::clone(&h);
    let w = std::thread::spawn(move || {
        let r = h2.cmd(
            "waitevent",
            &[
                ("name", "t".into()),
                ("event_nr", proplib::Value::Unsigned(1)),
            ],
        );
        (r.rv, r.u64("event_nr"))
    });
    std::thread::sleep(Duration::from_millis(100));
    assert!(!w.is_finished());
    h.reload("t", vec![line(0, 50, "zero", "")]).ok();
    h.named("resume", "t").ok();
    assert_eq!(w.join().unwrap(), (Ok(()), Some(2)));

    let h3 = Arc::clone(&h);
    let w = std::thread::spawn(move || {
        h3.cmd(
            "waitevent",
            &[
                ("name", "t".into()),
                ("event_nr", proplib::Value::Unsigned(2)),
            ],
        )
        .rv
    });
    std::thread::sleep(Duration::from_millis(100));
    h.named("remove", "t").ok();
    assert_eq!(w.join().unwrap(), Err(Errno::ENOENT));
}

#[test]
fn delay_holds_io_and_counts_it() {
    let h = H::new();
    let a = h.disk("a", 1000);
    let b = h.disk("b", 1000);
    let m = h.setup(
        "t",
        vec![line(0, 100, "delay", &format!("{a} 10 250 {b} 20 0"))],
    );
    let r = io(&h, m, 4, 8, Dir::Read);
    assert_eq!(pieces(r.actions()), vec![(DM_ACT_IO, 0, 8, a, 14)]);
    assert_eq!(r.actions()[0].delay_ms, 250);
    let w = io(&h, m, 4, 8, Dir::Write);
    assert_eq!(pieces(w.actions()), vec![(DM_ACT_IO, 0, 8, b, 24)]);
    assert_eq!(w.actions()[0].delay_ms, 0);
    let status =
        |h: &H| h.named("status", "t").ok().cmd_data()[0].as_dict().unwrap()["params"].clone();
    assert_eq!(status(&h), proplib::Value::from("1 1"));
    drop(r);
    drop(w);
    assert_eq!(status(&h), proplib::Value::from("0 0"));
    h.create("bad");
    for p in [
        "x 1",
        "/dev/none 2 3",
        &format!("{} 2 3 4", h.path("a")),
        &format!("{} 2 9999999", h.path("a")),
    ] {
        h.reload("bad", vec![line(0, 100, "delay", p)])
            .err(if p.starts_with("/dev/none") {
                Errno::ENOENT
            } else {
                Errno::EINVAL
            });
    }
}

#[test]
fn flakey_up_then_down_by_the_clock() {
    let h = H::new();
    let a = h.disk("a", 1000);
    // 3600 s up, 100 s down: up now; the mock clock moves it to the
    // middle of the down time, whatever the real clock adds meanwhile.
    let m = h.setup(
        "t",
        vec![line(0, 100, "flakey", &format!("{a} 2 3600 100"))],
    );
    let x = io(&h, m, 0, 8, Dir::Read);
    assert_eq!(x.actions()[0].kind, DM_ACT_IO);
    drop(x);
    mock::advance_ms((3600 + 50) * 1000);
    let r = io(&h, m, 0, 8, Dir::Read);
    assert_eq!(
        (r.actions()[0].kind, r.actions()[0].error),
        (DM_ACT_ERROR, Errno::EIO.raw())
    );
    let w = io(&h, m, 0, 8, Dir::Write);
    assert_eq!(w.actions()[0].kind, DM_ACT_ERROR);
}

#[test]
fn flakey_features_while_down() {
    let h = H::new();
    let a = h.disk("a", 1000);
    let setup = |name: &str, feat: &str| {
        let m = h.setup(
            name,
            vec![line(0, 100, "flakey", &format!("{a} 2 1 1 {feat}"))],
        );
        h.cmd(
            "message",
            &[
                ("name", name.into()),
                (
                    "cmd_data",
                    proplib::Value::Array(vec![v(&[
                        ("sector", proplib::Value::Unsigned(0)),
                        ("message", "down".into()),
                    ])]),
                ),
            ],
        )
        .ok();
        m
    };
    let kinds = |m: u32| {
        let r = io(&h, m, 0, 8, Dir::Read).actions()[0];
        let w = io(&h, m, 0, 8, Dir::Write).actions()[0];
        (
            r.kind,
            w.kind,
            r.corrupt_byte,
            w.corrupt_byte,
            w.corrupt_value,
        )
    };
    let m = setup("drop", "1 drop_writes");
    assert_eq!(kinds(m), (DM_ACT_IO, DM_ACT_DROP, 0, 0, 0));
    let m = setup("errw", "1 error_writes");
    assert_eq!(kinds(m), (DM_ACT_IO, DM_ACT_ERROR, 0, 0, 0));
    let m = setup("errr", "2 error_reads drop_writes");
    assert_eq!(kinds(m), (DM_ACT_ERROR, DM_ACT_DROP, 0, 0, 0));
    let m = setup("errr1", "1 error_reads");
    assert_eq!(kinds(m), (DM_ACT_ERROR, DM_ACT_IO, 0, 0, 0));
    let m = setup("corw", "5 corrupt_bio_byte 32 w 255 0");
    assert_eq!(kinds(m), (DM_ACT_IO, DM_ACT_IO, 0, 32, 255));
    let m = setup("corr", "5 corrupt_bio_byte 1 r 7 0");
    let r = io(&h, m, 0, 8, Dir::Read).actions()[0];
    assert_eq!((r.kind, r.corrupt_byte, r.corrupt_value), (DM_ACT_IO, 1, 7));
    assert_eq!(
        h.table("corr")[0].3.as_deref(),
        Some(
            format!(
                "{} 2 1 1 5 corrupt_bio_byte 1 r 7 0",
                devstr(mock::disk(&a).unwrap().dev)
            )
            .as_str()
        )
    );
    h.create("bad");
    for (feat, words) in [
        ("1 drop_writes error_writes", "feature word count"),
        ("2 drop_writes error_writes", "exclude"),
        ("1 sparkle", "unknown feature"),
        ("4 corrupt_bio_byte 1 r 7", "needs"),
        ("5 corrupt_bio_byte 0 r 7 0", "from 1"),
        ("5 corrupt_bio_byte 1 x 7 0", "r or w"),
        ("5 corrupt_bio_byte 1 r 256 0", "0-255"),
        (
            "6 drop_writes corrupt_bio_byte 1 w 1 0",
            "cannot be combined",
        ),
    ] {
        let r = h
            .reload(
                "bad",
                vec![line(0, 100, "flakey", &format!("{a} 2 1 1 {feat}"))],
            )
            .err(Errno::EINVAL);
        let msg = r.msg.unwrap();
        assert!(msg.contains(words), "{feat}: {msg}");
    }
    h.reload("bad", vec![line(0, 100, "flakey", &format!("{a} 2 0 0"))])
        .err(Errno::EINVAL);
    h.reload("bad", vec![line(0, 100, "flakey", &format!("{a} 2 1"))])
        .err(Errno::EINVAL);
}

/// The glue's way in: the handle its softc keeps, the storage its job
/// holds, and the reference the handle carries until the disk detaches.
#[test]
fn glue_maps_through_the_disk_handle_into_its_own_storage() {
    use dm_core::ffi::{dm_core_io_done, dm_core_map, DmIo, DmMapped, DM_MAP_DEFERRED};
    use std::mem::MaybeUninit;

    let h = H::new();
    let a = h.disk("a", 1000);
    let m = h.setup("t", vec![line(0, 100, "linear", &format!("{a} 384"))]);
    let dev = h.core.device(m).unwrap();
    let handle = mock::disk_handle(m).expect("attach gave the glue a handle");
    assert_eq!(handle, Arc::as_ptr(&dev).cast());
    let handle = handle.cast();
    let mut slot = MaybeUninit::<DmIo>::uninit();
    let io = slot.as_mut_ptr();
    let mut got = MaybeUninit::<DmMapped>::uninit();
    let out = got.as_mut_ptr();

    // SAFETY: handle is attached; io is the caller's storage, and holds a
    // request only between a 0 from dm_core_map and dm_core_io_done.
    unsafe {
        assert_eq!(dm_core_map(handle, 90, 20, true, io, out), 0);
        let m = got.assume_init_ref();
        let acts = std::slice::from_raw_parts(m.actions, m.count);
        assert_eq!(pieces(acts), vec![(DM_ACT_IO, 0, 10, a.clone(), 474)]);
        assert_eq!(m.sectors, 10, "the part before the end");
        dm_core_io_done(io);

        assert_eq!(
            dm_core_map(handle, 101, 1, false, io, out),
            Errno::EINVAL.raw(),
            "a request starting past the end"
        );
        h.named("suspend", "t").ok();
        assert_eq!(dm_core_map(handle, 0, 1, false, io, out), DM_MAP_DEFERRED);
        // Neither left a request in flight: resume and remove go through.
        h.named("resume", "t").ok();
        assert_eq!(dm_core_map(handle, 0, 1, false, io, out), 0);
        dm_core_io_done(io);
    }
    h.named("remove", "t").ok();
    assert_eq!(mock::disk_handle(m), None);
    assert_eq!(
        Arc::strong_count(&dev),
        1,
        "detach dropped the glue's reference, and only it"
    );
}

/// An interrupted suspend takes back its own suspension, never one that
/// another caller made and still waits on.
#[test]
fn interrupted_suspend_leaves_anothers_suspension() {
    let h = H::new();
    let a = h.disk("a", 1000);
    let m = h.setup("t", vec![line(0, 100, "linear", &format!("{a} 2"))]);
    let dev = h.core.device(m).unwrap();
    let held = io(&h, m, 0, 1, Dir::Read);
    std::thread::scope(|s| {
        let first = s.spawn(|| h.named("suspend", "t").rv);
        while !dev.suspended() {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        mock::set_interrupt(true);
        h.named("suspend", "t").err(Errno::EINTR);
        mock::set_interrupt(false);
        assert!(dev.suspended(), "the first caller's suspension stays");
        drop(held);
        assert!(first.join().unwrap().is_ok());
    });
    assert!(dev.suspended());
    h.named("resume", "t").ok();
    let held = io(&h, m, 0, 1, Dir::Read);
    mock::set_interrupt(true);
    h.named("suspend", "t").err(Errno::EINTR);
    mock::set_interrupt(false);
    assert!(!dev.suspended(), "its own suspension is taken back");
    drop(held);
    h.named("remove", "t").ok();
}

/// Resume waits for the requests on the old table, not for every
/// reference: one held by something only looking at the table (as a
/// status command does) must not hold the resume back.
#[test]
fn resume_waits_for_requests_not_references() {
    let h = H::new();
    let a = h.disk("a", 1000);
    let m = h.setup("t", vec![line(0, 100, "linear", &format!("{a} 2"))]);
    let dev = h.core.device(m).unwrap();
    let mut look = Some(dev.active().unwrap());
    let held = io(&h, m, 0, 1, Dir::Read);
    h.reload("t", vec![line(0, 200, "linear", &format!("{a} 2"))])
        .ok();
    std::thread::scope(|s| {
        let resume = s.spawn(|| h.named("resume", "t").rv);
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!resume.is_finished(), "a request still uses the old table");
        drop(held);
        let t = std::time::Instant::now();
        while !resume.is_finished() {
            if t.elapsed() > std::time::Duration::from_secs(5) {
                // Let it finish, so that the failure is reported.
                look = None;
                panic!("resume still waits, for a reference that is no request");
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(resume.join().unwrap().is_ok());
    });
    assert_eq!(look.take().map(|t| t.pins()), Some(0));
    h.named("remove", "t").ok();
}

/// Mapping takes memory only without sleeping: a request of more pieces
/// than fit inline fails with ENOMEM, holding nothing, when none is free
/// (the glue then holds it back), and maps once memory is there.
#[test]
fn mapping_never_sleeps_for_memory() {
    let h = H::new();
    let a = h.disk("a", 5000);
    let params = format!("4 8 {a} 100 {a} 1100 {a} 2100 {a} 3100");
    let m = h.setup("s", vec![line(0, 256, "striped", &params)]);
    mock::fail_nosleep(1);
    assert_eq!(map(&h, m, 0, 64, Dir::Read).err(), Some(Errno::ENOMEM));
    let io = io(&h, m, 0, 64, Dir::Read);
    assert_eq!(io.actions().len(), 8, "eight stripes of 8 sectors");
    drop(io);
    h.named("remove", "s").ok();
}
