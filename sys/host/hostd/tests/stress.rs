//! Stress with integrity: four writers fill their own regions of one
//! linear device with checksummed blocks through NBD while another thread
//! keeps suspending, reloading (same mapping, new table object),
//! resuming, renaming and asking for info, and tries to remove the open
//! device. Afterwards every block verifies; nothing failed, nothing
//! deadlocked (a watchdog bounds the run).

mod common;

use common::*;
use proplib::Value;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const WRITERS: u64 = 4;
const REGION: u64 = 1 << 20; // bytes per writer
const BLOCK: u64 = 64 * 1024;
const ROUNDS: u32 = 3;

/// A block whose every 8 bytes carry its writer, round and offset: a
/// misplaced, stale or torn block shows.
fn block(writer: u64, round: u32, off: u64) -> Vec<u8> {
    let mut b = Vec::with_capacity(BLOCK as usize);
    let mut i = 0u64;
    while (b.len() as u64) < BLOCK {
        let word = (writer << 56) ^ (u64::from(round) << 48) ^ (off + i);
        b.extend_from_slice(&word.to_le_bytes());
        i += 8;
    }
    b
}

#[test]
fn writers_and_table_churn_lose_nothing() {
    let h = Arc::new(Hostd::start(&[("wd", 8)]));
    let sectors = WRITERS * REGION / 512;
    let table = move |split: bool| {
        if split {
            Value::Array(vec![
                line(0, sectors / 2, "linear", "/dev/wd 2"),
                line(
                    sectors / 2,
                    sectors / 2,
                    "linear",
                    &format!("/dev/wd {}", 2 + sectors / 2),
                ),
            ])
        } else {
            Value::Array(vec![line(0, sectors, "linear", "/dev/wd 2")])
        }
    };
    h.ok("create", &[("name", "st".into())]);
    h.ok(
        "reload",
        &[("name", "st".into()), ("cmd_data", table(false))],
    );
    h.ok("resume", &[("name", "st".into())]);
    // A reader that holds the device open for the whole run.
    let mut holder = Command::new("qemu-io")
        .args(["-f", "raw", "-r", "-c", "sleep 120000"])
        .arg(h.uri("st"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let done = Arc::new(AtomicBool::new(false));
    let churns = Arc::new(AtomicU32::new(0));
    let busy_refusals = Arc::new(AtomicU32::new(0));
    let churner = {
        let (h, done, churns, busy) = (
            Arc::clone(&h),
            Arc::clone(&done),
            Arc::clone(&churns),
            Arc::clone(&busy_refusals),
        );
        std::thread::spawn(move || {
            let mut i = 0u32;
            let mut name = "st".to_owned();
            while !done.load(Ordering::SeqCst) {
                let n = Value::from(name.as_str());
                h.ok(
                    "reload",
                    &[
                        ("name", n.clone()),
                        ("cmd_data", table(i.is_multiple_of(2))),
                    ],
                );
                if i.is_multiple_of(3) {
                    h.ok("suspend", &[("name", n.clone())]);
                }
                h.ok("resume", &[("name", n.clone())]);
                let info = h.ok("info", &[("name", n.clone())]);
                assert_eq!(info.as_dict().unwrap()["flags"].as_u64().unwrap() & 0x2, 0);
                // The holder keeps it open throughout.
                let (e, _) = h.ctl("remove", &[("name", n.clone())]);
                assert_eq!(e, EBUSY, "remove of an open device");
                busy.fetch_add(1, Ordering::SeqCst);
                let new = if name == "st" { "st2" } else { "st" };
                h.ok(
                    "rename",
                    &[("name", n), ("cmd_data", Value::Array(vec![new.into()]))],
                );
                name = new.to_owned();
                churns.fetch_add(1, Ordering::SeqCst);
                i += 1;
                std::thread::sleep(Duration::from_millis(5));
            }
            name
        })
    };

    let start = Instant::now();
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let h = Arc::clone(&h);
        writers.push(std::thread::spawn(move || {
            for round in 0..ROUNDS {
                let mut data = Vec::with_capacity(REGION as usize);
                let base = w * REGION;
                let mut off = 0;
                while off < REGION {
                    data.extend_from_slice(&block(w, round, base + off));
                    off += BLOCK;
                }
                let src = h.dir.join(format!("w{w}.bin"));
                std::fs::write(&src, &data).unwrap();
                // The device may be named st or st2 by now: try both.
                let mut ok = false;
                for _ in 0..50 {
                    for name in ["st", "st2"] {
                        let out = Command::new("qemu-io")
                            .args(["-f", "raw", "-c"])
                            .arg(format!("write -s {} {base} {REGION}", src.display()))
                            .arg(h.uri(name))
                            .output()
                            .unwrap();
                        let text = String::from_utf8_lossy(&out.stdout).into_owned()
                            + &String::from_utf8_lossy(&out.stderr);
                        if out.status.success() && text.contains("wrote") {
                            ok = true;
                            break;
                        }
                        assert!(!text.contains("write failed"), "I/O error: {text}");
                    }
                    if ok {
                        break;
                    }
                }
                assert!(ok, "writer {w} round {round} never reached the device");
            }
        }));
    }
    for t in writers {
        t.join().expect("writer");
    }
    done.store(true, Ordering::SeqCst);
    let watchdog = Instant::now();
    while !churner.is_finished() {
        assert!(
            watchdog.elapsed() < Duration::from_secs(30),
            "table churn deadlocked"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    churner.join().expect("churner");
    let _ = holder.kill();
    let _ = holder.wait();
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "run took {:?}",
        start.elapsed()
    );
    assert!(
        churns.load(Ordering::SeqCst) > 5,
        "the tables changed while writing"
    );
    assert!(
        busy_refusals.load(Ordering::SeqCst) > 0,
        "remove was refused while open"
    );
    // Every block is the last round's, in its place, on the component.
    for w in 0..WRITERS {
        let mut off = 0;
        while off < REGION {
            let got = read_at(&h.file("wd"), 1024 + w * REGION + off, BLOCK as usize);
            assert!(
                got == block(w, ROUNDS - 1, w * REGION + off),
                "writer {w} block at {off} is wrong"
            );
            off += BLOCK;
        }
    }
}
