//! dm-hostd end to end: the glue and core in userspace, driven through
//! the control socket and read and written by real NBD clients.

mod common;

use common::*;
use proplib::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn seed_scenario_with_nbdcopy_and_qemu_io() {
    let h = Hostd::start(&[("wd1a", 16)]);
    h.setup("demo", vec![line(0, 10240, "linear", "/dev/wd1a 384")]);
    let data = pattern(5 << 20, 1);
    let src = h.dir.join("src");
    std::fs::write(&src, &data).unwrap();
    let st = Command::new("nbdcopy")
        .arg(&src)
        .arg(h.uri("demo"))
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(read_at(&h.file("wd1a"), 384 * 512, 5 << 20), data);
    assert_eq!(read_at(&h.file("wd1a"), 0, 384 * 512), vec![0u8; 384 * 512]);
    let back = h.dir.join("back");
    let st = Command::new("nbdcopy")
        .arg(h.uri("demo"))
        .arg(&back)
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(std::fs::read(&back).unwrap(), data);
    // Unaligned write: read-modify-write of the sectors it touches.
    let (ok, out) = h.qemu_io("demo", &["write -P 0x77 1000 100", "read -P 0x77 1000 100"]);
    assert!(ok, "{out}");
    assert_eq!(
        read_at(&h.file("wd1a"), 384 * 512 + 1000, 100),
        vec![0x77; 100]
    );
    assert_eq!(
        read_at(&h.file("wd1a"), 384 * 512 + 999, 1),
        data[999..1000].to_vec()
    );
    // Beyond the end of the device.
    let (ok, _) = h.qemu_io("demo", &["read 5242880 512"]);
    assert!(!ok);
}

#[test]
fn multi_line_table_reads_across_boundaries() {
    let h = Hostd::start(&[("a", 4), ("b", 4), ("c", 4)]);
    // 0-99 linear a@100, 100-149 zero, 150-199 error,
    // 200-295 striped 3x8 over a@2000, b@16, c@2.
    h.setup(
        "m",
        vec![
            line(0, 100, "linear", "/dev/a 100"),
            line(100, 50, "zero", ""),
            line(150, 50, "error", ""),
            line(200, 96, "striped", "3 8 /dev/a 2000 /dev/b 16 /dev/c 2"),
        ],
    );
    let (a, b, c) = (h.file("a"), h.file("b"), h.file("c"));
    write_at(&a, 100 * 512, &[0x11; 100 * 512]);
    // Stripe chunks: device sector 200+8k goes to stripe k%3, row k/3.
    for k in 0..12u64 {
        let (f, base) = match k % 3 {
            0 => (&a, 2000),
            1 => (&b, 16),
            _ => (&c, 2),
        };
        write_at(
            f,
            (base + (k / 3) * 8) * 512,
            &vec![0x40 + k as u8; 8 * 512],
        );
    }
    // Across linear → zero.
    let (ok, out) = h.qemu_io("m", &["read -P 0x11 0 51200", "read -P 0 51200 25600"]);
    assert!(ok, "{out}");
    let (ok, out) = h.qemu_io("m", &["read -P 0x11 49152 2048"]);
    assert!(ok, "{out}");
    let (ok, _) = h.qemu_io("m", &["read -P 0 76288 1024"]);
    assert!(!ok, "a read into the error line fails");
    for k in 0..12u64 {
        let off = (200 + 8 * k) * 512;
        let cmd = format!("read -P {} {off} 4096", 0x40 + k);
        let (ok, out) = h.qemu_io("m", &[&cmd]);
        assert!(ok, "chunk {k}: {out}");
    }
    h.remove_after_clients("m");
}

#[test]
fn suspend_holds_io_until_resume() {
    let h = Hostd::start(&[("wd", 4)]);
    h.setup("s", vec![line(0, 2048, "linear", "/dev/wd 2")]);
    h.ok("suspend", &[("name", "s".into())]);
    let mut c = Command::new("qemu-io")
        .args(["-f", "raw", "-c", "write -P 0x33 0 4096"])
        .arg(h.uri("s"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        c.try_wait().unwrap().is_none(),
        "I/O must wait while suspended"
    );
    assert_eq!(read_at(&h.file("wd"), 1024, 4096), vec![0u8; 4096]);
    h.ok("resume", &[("name", "s".into())]);
    assert!(c.wait().unwrap().success());
    assert_eq!(read_at(&h.file("wd"), 1024, 4096), vec![0x33; 4096]);
}

#[test]
fn table_swaps_under_io_lose_nothing() {
    let h = Hostd::start(&[("wd", 8)]);
    h.setup("sw", vec![line(0, 8192, "linear", "/dev/wd 64")]);
    let data = pattern(4 << 20, 7);
    let src = h.dir.join("src");
    std::fs::write(&src, &data).unwrap();
    let mut copy = Command::new("nbdcopy")
        .arg(&src)
        .arg(h.uri("sw"))
        .spawn()
        .unwrap();
    // The same mapping, as two lines, swapped in again and again.
    let split = vec![
        line(0, 4096, "linear", "/dev/wd 64"),
        line(4096, 4096, "linear", "/dev/wd 4160"),
    ];
    for i in 0..20 {
        let lines = if i % 2 == 0 {
            split.clone()
        } else {
            vec![line(0, 8192, "linear", "/dev/wd 64")]
        };
        h.ok(
            "reload",
            &[("name", "sw".into()), ("cmd_data", Value::Array(lines))],
        );
        if i % 3 == 0 {
            h.ok("suspend", &[("name", "sw".into())]);
        }
        h.ok("resume", &[("name", "sw".into())]);
    }
    assert!(copy.wait().unwrap().success());
    assert_eq!(read_at(&h.file("wd"), 64 * 512, 4 << 20), data);
}

#[test]
fn remove_while_connected_is_busy() {
    let h = Hostd::start(&[("wd", 4)]);
    h.setup("busy", vec![line(0, 2048, "linear", "/dev/wd 2")]);
    let mut c = Command::new("qemu-io")
        .args(["-f", "raw", "-c", "sleep 1500"])
        .arg(h.uri("busy"))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let (e, r) = h.ctl("remove", &[("name", "busy".into())]);
    assert_eq!(e, EBUSY, "{}", message(&r));
    assert!(message(&r).contains("is open"));
    let r = h.ok("info", &[("name", "busy".into())]);
    assert_eq!(r.as_dict().unwrap()["open_count"].as_u64(), Some(1));
    c.wait().unwrap();
    h.remove_after_clients("busy");
}

#[test]
fn read_only_device_refuses_writes() {
    let h = Hostd::start(&[("wd", 4)]);
    h.ok(
        "create",
        &[("name", "ro".into()), ("flags", Value::Unsigned(1))],
    );
    h.ok(
        "reload",
        &[
            ("name", "ro".into()),
            (
                "cmd_data",
                Value::Array(vec![line(0, 2048, "linear", "/dev/wd 2")]),
            ),
        ],
    );
    h.ok("resume", &[("name", "ro".into())]);
    // qemu-io cannot even open a read-only export for writing.
    let (ok, out) = h.qemu_io("ro", &["write -P 1 0 512"]);
    assert!(!ok);
    assert!(
        out.contains("Permission denied") || out.contains("read-only"),
        "{out}"
    );
    let (ok, out) = h.qemu_io_with("ro", &["-r"], &["read -P 0 0 512"]);
    assert!(ok, "{out}");
    assert_eq!(read_at(&h.file("wd"), 1024, 512), vec![0u8; 512]);
}

#[test]
fn label_area_rule_and_override() {
    let h = Hostd::start(&[("wd", 4)]);
    h.ok("create", &[("name", "l".into())]);
    let (e, r) = h.ctl(
        "reload",
        &[
            ("name", "l".into()),
            (
                "cmd_data",
                Value::Array(vec![line(0, 2048, "linear", "/dev/wd 1")]),
            ),
        ],
    );
    assert_eq!(e, EINVAL);
    assert!(message(&r).contains("disklabel"), "{}", message(&r));
    h.ok(
        "reload",
        &[
            ("name", "l".into()),
            ("flags", Value::Unsigned(0x0100_0000)),
            (
                "cmd_data",
                Value::Array(vec![line(0, 2048, "linear", "/dev/wd 0")]),
            ),
        ],
    );
    let (e, _) = h.ctl(
        "reload",
        &[
            ("name", "l".into()),
            (
                "cmd_data",
                Value::Array(vec![line(0, 2048, "linear", "/dev/nosuch 2")]),
            ),
        ],
    );
    assert_eq!(e, ENOENT);
}

#[test]
fn oversized_and_malformed_requests_then_still_serving() {
    let h = Hostd::start(&[]);
    // The copy-in cap: 4 MiB with the NUL the ioctl adds.
    let big = vec![b' '; 4 << 20];
    assert_eq!(h.raw(&big).0, E2BIG);
    // NetBSD's 128 KiB cap refuses 1500 lines; ours takes them.
    let many: Vec<Value> = (0..1500u64).map(|i| line(i * 8, 8, "zero", "")).collect();
    h.setup("many", many);
    let t = h.ok("table", &[("name", "many".into())]);
    let n = t
        .as_dict()
        .and_then(|d| d.get("cmd_data"))
        .and_then(Value::as_array)
        .map(<[Value]>::len);
    assert_eq!(n, Some(1500));
    assert_eq!(h.raw(b"<plist><dict><key>x</key></dict></plist>").0, EIO);
    assert_eq!(h.raw(b"<plist><array/></plist>").0, EIO);
    assert_eq!(h.raw(b"not a plist").0, EIO);
    let r = h.ok("version", &[]);
    assert_eq!(
        r.as_dict().unwrap()["version"],
        Value::Array(vec![4u32.into(), 16u32.into(), 0u32.into()])
    );
}

#[test]
fn delay_and_flakey_behave() {
    let h = Hostd::start(&[("wd", 4)]);
    h.setup("slow", vec![line(0, 2048, "delay", "/dev/wd 2 400")]);
    let t = Instant::now();
    let (ok, out) = h.qemu_io("slow", &["read 0 4096"]);
    assert!(ok, "{out}");
    assert!(
        t.elapsed() >= Duration::from_millis(400),
        "delay must delay: {:?}",
        t.elapsed()
    );
    // up 0 s, down 1 s: always down, and with no features reads fail.
    h.setup("flaky", vec![line(0, 2048, "flakey", "/dev/wd 2 0 1")]);
    let (ok, _) = h.qemu_io("flaky", &["read 0 4096"]);
    assert!(!ok);
    h.setup(
        "dropper",
        vec![line(0, 2048, "flakey", "/dev/wd 2 0 1 1 drop_writes")],
    );
    let (ok, out) = h.qemu_io("dropper", &["write -P 0x55 0 4096", "read -P 0 0 4096"]);
    assert!(ok, "dropped writes succeed and leave the disk alone: {out}");
}

#[test]
fn stacked_devices_and_busy_lower() {
    let h = Hostd::start(&[("wd", 8)]);
    h.setup("low", vec![line(0, 8192, "linear", "/dev/wd 100")]);
    h.setup("top", vec![line(0, 4096, "linear", "/dev/mapper/low 1000")]);
    let (ok, out) = h.qemu_io("top", &["write -P 0x66 0 8192"]);
    assert!(ok, "{out}");
    assert_eq!(
        read_at(&h.file("wd"), (100 + 1000) * 512, 8192),
        vec![0x66; 8192]
    );
    let (e, r) = h.ctl("remove", &[("name", "low".into())]);
    assert_eq!(e, EBUSY, "{}", message(&r));
    let deps = h.ok("deps", &[("name", "top".into())]);
    let dev = deps.as_dict().unwrap()["cmd_data"].as_array().unwrap()[0]
        .as_u64()
        .unwrap();
    assert_eq!(
        (dev & 0x000f_ff00) >> 8,
        169,
        "the lower device's block major"
    );
    h.remove_after_clients("top");
    // /dev/mapper follows renames and removes, however the device is named.
    h.ok(
        "rename",
        &[
            ("name", "low".into()),
            ("cmd_data", Value::Array(vec!["low2".into()])),
        ],
    );
    let stack = |on: &str| {
        h.ok("create", &[("name", "top".into())]);
        let (e, r) = h.ctl(
            "reload",
            &[
                ("name", "top".into()),
                (
                    "cmd_data",
                    Value::Array(vec![line(0, 8, "linear", &format!("{on} 0"))]),
                ),
            ],
        );
        h.ok("remove", &[("name", "top".into())]);
        (e, message(&r))
    };
    assert_eq!(stack("/dev/mapper/low2").0, 0);
    assert_ne!(stack("/dev/mapper/low").0, 0, "the old name is gone");
    h.ok(
        "rename",
        &[
            ("name", "low2".into()),
            ("cmd_data", Value::Array(vec!["u-1".into()])),
            ("flags", Value::Unsigned(0x4000)),
        ],
    );
    assert_eq!(
        stack("/dev/mapper/low2").0,
        0,
        "setting a uuid keeps the name"
    );
    h.ok("remove", &[("uuid", "u-1".into())]);
    assert_ne!(stack("/dev/mapper/low2").0, 0, "removed by uuid");
}

#[test]
fn unprivileged_callers_get_eperm() {
    let h = Hostd::start(&[]);
    // A child that drops to uid 65534 and asks to create a device.
    let req = v(&[
        ("command", "create".into()),
        (
            "version",
            Value::Array(vec![4u32.into(), 0u32.into(), 0u32.into()]),
        ),
        ("name", "x".into()),
        ("flags", Value::Unsigned(DM_ERRNO_FLAG)),
    ])
    .to_xml();
    let mut frame = (req.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(req.as_bytes());
    let sock = h.dir.join("control");
    // Let uid 65534 reach the socket.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&h.dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&sock, std::fs::Permissions::from_mode(0o777)).unwrap();
    // Everything the child needs is made before fork: after it, only
    // async-signal-safe calls.
    let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (d, s) in addr
        .sun_path
        .iter_mut()
        .zip(sock.as_os_str().as_encoded_bytes())
    {
        *d = *s as libc::c_char;
    }
    // SAFETY: the child makes only raw system calls and _exit.
    let status = unsafe {
        let pid = libc::fork();
        if pid == 0 {
            if libc::getuid() == 0 && libc::setuid(65534) != 0 {
                libc::_exit(100);
            }
            let fd = libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0);
            let len = std::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t;
            if fd < 0 || libc::connect(fd, (&addr as *const libc::sockaddr_un).cast(), len) != 0 {
                libc::_exit(101);
            }
            if libc::write(fd, frame.as_ptr().cast(), frame.len()) != frame.len() as isize {
                libc::_exit(102);
            }
            let mut hdr = [0u8; 8];
            let mut got = 0usize;
            while got < 8 {
                let n = libc::read(fd, hdr[got..].as_mut_ptr().cast(), 8 - got);
                if n <= 0 {
                    libc::_exit(103);
                }
                got += n as usize;
            }
            libc::_exit(i32::from_be_bytes([hdr[0], hdr[1], hdr[2], hdr[3]]));
        }
        let mut st = 0;
        libc::waitpid(pid, &mut st, 0);
        libc::WEXITSTATUS(st)
    };
    if unsafe { libc::getuid() } == 0 {
        assert_eq!(status, EPERM);
    } else {
        assert_eq!(status, EPERM, "an ordinary user is unprivileged too");
    }
    let (e, _) = h.ctl("info", &[("name", "x".into())]);
    assert_eq!(e, ENOENT, "nothing was created");
}

#[test]
fn raw_export_is_the_file_through_the_block_layer() {
    let h = Hostd::start_in(&std::env::temp_dir(), &[("wd", 4)], &["wd"]);
    let (ok, out) = h.qemu_io("raw/wd", &["write -P 0x5a 4096 4096", "flush"]);
    assert!(ok, "{out}");
    assert_eq!(read_at(&h.file("wd"), 4096, 4096), vec![0x5a; 4096]);
    write_at(&h.file("wd"), 8192, &[0xa5; 512]);
    let (ok, out) = h.qemu_io("raw/wd", &["read -P 0xa5 8192 512"]);
    assert!(ok, "{out}");
    // Not a dm device: dm knows nothing of it.
    let (e, _) = h.ctl("info", &[("name", "raw/wd".into())]);
    assert_ne!(e, 0);
}

#[test]
fn flush_of_a_suspended_device_waits_for_resume() {
    let h = Hostd::start(&[("wd", 4)]);
    h.setup("fl", vec![line(0, 2048, "linear", "/dev/wd 2")]);
    h.ok("suspend", &[("name", "fl".into())]);
    let c = Command::new("qemu-io")
        .args(["-f", "raw", "-c", "flush"])
        .arg(h.uri("fl"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let mut c = c;
    assert!(
        c.try_wait().unwrap().is_none(),
        "the flush is held while suspended"
    );
    h.ok("resume", &[("name", "fl".into())]);
    let out = c.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !text.contains("failed"), "{text}");
}

/// A bare NBD client: old-style export-name option, no zero padding.
fn nbd_connect(h: &Hostd, export: &str) -> (std::os::unix::net::UnixStream, u64) {
    use std::io::{Read, Write};
    let mut s = std::os::unix::net::UnixStream::connect(h.dir.join("nbd")).unwrap();
    let mut hello = [0u8; 18];
    s.read_exact(&mut hello).unwrap();
    assert_eq!(&hello[..8], b"NBDMAGIC");
    let mut opt = 3u32.to_be_bytes().to_vec(); // fixed newstyle, no zeroes
    opt.extend_from_slice(b"IHAVEOPT");
    opt.extend_from_slice(&1u32.to_be_bytes()); // NBD_OPT_EXPORT_NAME
    opt.extend_from_slice(&(export.len() as u32).to_be_bytes());
    opt.extend_from_slice(export.as_bytes());
    s.write_all(&opt).unwrap();
    let mut size = [0u8; 10];
    s.read_exact(&mut size).unwrap();
    let size = u64::from_be_bytes(size[..8].try_into().unwrap());
    (s, size)
}

fn nbd_request(cmd: u16, handle: u64, off: u64, len: u32, payload: &[u8]) -> Vec<u8> {
    let mut r = 0x2560_9513u32.to_be_bytes().to_vec();
    r.extend_from_slice(&0u16.to_be_bytes());
    r.extend_from_slice(&cmd.to_be_bytes());
    r.extend_from_slice(&handle.to_be_bytes());
    r.extend_from_slice(&off.to_be_bytes());
    r.extend_from_slice(&len.to_be_bytes());
    r.extend_from_slice(payload);
    r
}

/// Reads one simple reply: (handle, error, data of `len(handle)` bytes).
fn nbd_reply(
    s: &mut std::os::unix::net::UnixStream,
    len: impl Fn(u64) -> usize,
) -> (u64, u32, Vec<u8>) {
    use std::io::Read;
    let mut head = [0u8; 16];
    s.read_exact(&mut head).unwrap();
    assert_eq!(head[..4], 0x6744_6698u32.to_be_bytes(), "reply magic");
    let err = u32::from_be_bytes(head[4..8].try_into().unwrap());
    let handle = u64::from_be_bytes(head[8..].try_into().unwrap());
    let mut data = vec![0u8; if err == 0 { len(handle) } else { 0 }];
    s.read_exact(&mut data).unwrap();
    (handle, err, data)
}

/// Many requests in one write(2), as a client at queue depth 32 sends
/// them: every one answered once under its handle, refused writes'
/// payloads skipped without losing the framing, data where it belongs.
#[test]
fn pipelined_requests_keep_their_framing() {
    pipelined(&[]);
}

/// The same with one thread serving the connection: in order, one at a
/// time, and still every request answered.
#[test]
fn pipelined_requests_with_one_worker() {
    pipelined(&["--nbd-workers", "1"]);
}

fn pipelined(args: &[&str]) {
    use std::collections::BTreeMap;
    use std::io::Write;
    let h = Hostd::start_args(&std::env::temp_dir(), &[("wd", 4)], &[], args);
    h.setup("pipe", vec![line(0, 2048, "linear", "/dev/wd 2")]);
    let before = pattern(1 << 20, 3);
    write_at(&h.file("wd"), 1024, &before);
    let (mut s, size) = nbd_connect(&h, "pipe");
    assert_eq!(size, 1 << 20);

    let (read, write, bogus) = (0u16, 1u16, 9u16);
    let mut batch = Vec::new();
    let mut want: BTreeMap<u64, (u32, Option<Vec<u8>>)> = BTreeMap::new();
    // Reads of data put there beforehand, odd sizes and offsets, clear
    // of the writes below (the order of execution is the server's).
    for i in 0..48u64 {
        let (off, len) = ((64 << 10) + 512 * (i * 37 % 1500), 512 * (1 + i % 9));
        batch.extend(nbd_request(read, 100 + i, off, len as u32, &[]));
        let end = (off + len) as usize;
        want.insert(100 + i, (0, Some(before[off as usize..end].to_vec())));
    }
    // A write past the end: refused, its payload read and dropped.
    batch.extend(nbd_request(write, 1, size, 4096, &[0xee; 4096]));
    want.insert(1, (28, None)); // ENOSPC
                                // An unknown command and an oversized read: refused.
    batch.extend(nbd_request(bogus, 2, 0, 0, &[]));
    want.insert(2, (95, None)); // ENOTSUP
    batch.extend(nbd_request(read, 3, size - 512, 1024, &[]));
    want.insert(3, (22, None)); // EINVAL
                                // Writes, each to its own place, the last one straddling requests.
    let new: Vec<Vec<u8>> = (0..8).map(|i| vec![0x30 + i as u8; 4096]).collect();
    for (i, d) in new.iter().enumerate() {
        batch.extend(nbd_request(write, 10 + i as u64, 4096 * i as u64, 4096, d));
        want.insert(10 + i as u64, (0, None));
    }
    s.write_all(&batch).unwrap();

    let len_of = |hd: u64| want.get(&hd).and_then(|w| w.1.as_ref()).map_or(0, Vec::len);
    let mut got = BTreeMap::new();
    for _ in 0..want.len() {
        let (hd, err, data) = nbd_reply(&mut s, len_of);
        assert!(got.insert(hd, (err, data)).is_none(), "handle {hd} twice");
    }
    for (hd, (err, data)) in &want {
        let (e, d) = &got[hd];
        assert_eq!(e, err, "error of handle {hd}");
        if let Some(data) = data {
            assert!(d == data, "data of handle {hd}");
        }
    }
    // Each write at its offset (+1024 on the component), nothing past it.
    for (i, d) in new.iter().enumerate() {
        assert_eq!(&read_at(&h.file("wd"), 1024 + 4096 * i as u64, 4096), d);
    }
    assert_eq!(
        read_at(&h.file("wd"), 1024 + (1 << 20), 4096),
        vec![0u8; 4096]
    );
    // Still framed: one more request, one more answer.
    s.write_all(&nbd_request(read, 7, 0, 4096, &[])).unwrap();
    assert_eq!(nbd_reply(&mut s, |_| 4096), (7, 0, new[0].clone()));
}

/// The glue finds a disk by its minor in a table of 1024-minor leaves:
/// two devices whose minors differ by exactly 1024 (the same slot in
/// neighbouring leaves) each reach their own component, and removing
/// one leaves the other serving.
#[test]
fn minors_a_leaf_apart_map_their_own_disks() {
    let h = Hostd::start(&[("lo", 4), ("hi", 4)]);
    h.setup("lo", vec![line(0, 2048, "linear", "/dev/lo 8")]);
    let minor = |name: &str| {
        let r = h.ok("info", &[("name", name.into())]);
        r.as_dict().unwrap()["minor"].as_u64().unwrap()
    };
    let lo = minor("lo");
    // Minors are not reused until they run out: walk on to lo + 1023.
    for i in 0.. {
        let r = h.ok("create", &[("name", format!("filler{i}").into())]);
        let m = r.as_dict().unwrap()["minor"].as_u64().unwrap();
        h.ok("remove", &[("name", format!("filler{i}").into())]);
        if m >= lo + 1023 {
            break;
        }
    }
    h.setup("hi", vec![line(0, 2048, "linear", "/dev/hi 16")]);
    assert_eq!(minor("hi"), lo + 1024);
    let (ok, out) = h.qemu_io("hi", &["write -P 0x5a 4096 4096"]);
    assert!(ok, "{out}");
    let (ok, out) = h.qemu_io("lo", &["write -P 0xa5 4096 4096"]);
    assert!(ok, "{out}");
    assert_eq!(
        read_at(&h.file("hi"), 16 * 512 + 4096, 4096),
        vec![0x5a; 4096]
    );
    assert_eq!(
        read_at(&h.file("lo"), 8 * 512 + 4096, 4096),
        vec![0xa5; 4096]
    );
    assert_eq!(read_at(&h.file("hi"), 8 * 512 + 4096, 512), vec![0; 512]);
    assert_eq!(read_at(&h.file("lo"), 16 * 512 + 4096, 512), vec![0; 512]);
    let (ok, out) = h.qemu_io("hi", &["read -P 0x5a 4096 4096"]);
    assert!(ok, "{out}");
    h.remove_after_clients("hi");
    let (ok, _) = h.qemu_io("hi", &["read 0 512"]);
    assert!(!ok, "a removed device still served");
    let (ok, out) = h.qemu_io("lo", &["read -P 0xa5 4096 4096"]);
    assert!(ok, "{out}");
}

/// A delay line over a dm device: the delayed piece goes out from a
/// thread, not from the callout (softclock), because the dm device below
/// takes its request with PR_WAITOK, which a soft interrupt must not.
#[test]
fn delay_over_a_stacked_device() {
    let h = Hostd::start(&[("wd", 8)]);
    h.setup("low", vec![line(0, 8192, "linear", "/dev/wd 100")]);
    h.setup("slow", vec![line(0, 4096, "delay", "/dev/mapper/low 8 20")]);
    let (ok, out) = h.qemu_io(
        "slow",
        &[
            "write -P 0x3c 0 64k",
            "read -P 0x3c 0 64k",
            "write -P 0x3d 1m 4k",
        ],
    );
    assert!(ok, "{out}");
    assert_eq!(
        read_at(&h.file("wd"), (100 + 8) * 512, 65536),
        vec![0x3c; 65536]
    );
    assert_eq!(
        read_at(&h.file("wd"), (100 + 8 + 2048) * 512, 4096),
        vec![0x3d; 4096]
    );
}

/// Two clients open the device and both go: NetBSD closes a node once,
/// on its last close, and the device must then be removable.
#[test]
fn two_opens_one_last_close() {
    let h = Hostd::start(&[("wd", 4)]);
    h.setup("twice", vec![line(0, 2048, "linear", "/dev/wd 2")]);
    let hold = |ms: u32| {
        Command::new("qemu-io")
            .args(["-f", "raw", "-c", &format!("sleep {ms}")])
            .arg(h.uri("twice"))
            .stdout(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (hold(800), hold(800));
    std::thread::sleep(Duration::from_millis(400));
    let r = h.ok("info", &[("name", "twice".into())]);
    assert_eq!(r.as_dict().unwrap()["open_count"].as_u64(), Some(1));
    a.wait().unwrap();
    b.wait().unwrap();
    h.remove_after_clients("twice");
}

/// Resume does no I/O through the device it resumes (the label is read
/// when next asked for) and holds no lock across any: a device stacked
/// on a suspended one resumes at once, and other commands go on.
#[test]
fn resume_over_a_suspended_device_blocks_nothing_else() {
    let h = Hostd::start(&[("wd", 8)]);
    h.setup("low", vec![line(0, 8192, "linear", "/dev/wd 100")]);
    h.setup("top", vec![line(0, 2048, "linear", "/dev/mapper/low 8")]);
    h.ok(
        "reload",
        &[
            ("name", "top".into()),
            (
                "cmd_data",
                Value::Array(vec![line(0, 4096, "linear", "/dev/mapper/low 8")]),
            ),
        ],
    );
    h.ok("suspend", &[("name", "low".into())]);
    let t = Instant::now();
    h.ok("resume", &[("name", "top".into())]);
    h.ok("info", &[("name", "low".into())]);
    h.ok("names", &[]);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    h.ok("resume", &[("name", "low".into())]);
    let r = h.ok("table", &[("name", "top".into())]);
    let t = r.as_dict().unwrap()["cmd_data"].as_array().unwrap()[0].clone();
    assert_eq!(t.as_dict().unwrap()["length"].as_u64(), Some(4096));
    let (ok, out) = h.qemu_io("top", &["write -P 0x42 0 4k", "read -P 0x42 0 4k"]);
    assert!(ok, "{out}");
}

/// A client that does not set
/// DM_ERRNO_FLAG (NetBSD's libdm, lvm2's libdevmapper) gets 0 from every
/// command and the error in the reply; a client that sets it gets the
/// errno and, instead of a reply, the message. Either way the kernel
/// log says why, and a failure changes nothing.
#[test]
fn errors_reach_both_kinds_of_client() {
    let h = Hostd::start_logged(&[("wd", 4)]);
    let old = |command: &str, keys: &[(&str, Value)]| {
        let mut pairs = vec![
            ("command", command.into()),
            (
                "version",
                Value::Array(vec![4u32.into(), 0u32.into(), 0u32.into()]),
            ),
            ("flags", Value::Unsigned(4)),
        ];
        pairs.extend(keys.iter().cloned());
        let (e, r) = h.raw(v(&pairs).to_xml().as_bytes());
        (e, r.and_then(|r| r.as_dict().cloned()).expect("a reply"))
    };
    // "Does not exist" is an answer for info, mknodes and status.
    for cmd in ["info", "mknodes", "status"] {
        let (e, r) = old(cmd, &[("name", "x".into())]);
        assert_eq!(e, 0, "{cmd}");
        assert_eq!(r["flags"], Value::Unsigned(0), "{cmd}");
        assert_eq!(r.get("errno"), None, "{cmd}");
        assert_eq!(r.get("message"), None, "{cmd}");
    }
    // Other failures: 0, and the error in the reply.
    let (e, r) = old("remove", &[("name", "x".into())]);
    assert_eq!(e, 0);
    assert_eq!(r["errno"], Value::Unsigned(ENOENT as u64));
    assert_eq!(r["message"], Value::from("device 'x' does not exist"));
    assert_eq!(r["flags"], Value::Unsigned(0));
    assert_eq!(old("create", &[("name", "t".into())]).0, 0);
    let (e, r) = old("create", &[("name", "t".into())]);
    assert_eq!((e, &r["errno"]), (0, &Value::Unsigned(EEXIST as u64)));
    let gap = Value::Array(vec![line(8, 8, "zero", "")]);
    let (e, r) = old("reload", &[("name", "t".into()), ("cmd_data", gap.clone())]);
    assert_eq!((e, &r["errno"]), (0, &Value::Unsigned(EINVAL as u64)));
    assert!(message(&Value::Dict(r.clone())).contains("gap"), "{r:?}");
    let (_, r) = old("info", &[("name", "t".into())]);
    assert_eq!(
        r["flags"],
        Value::Unsigned(4),
        "the failed reload left nothing"
    );

    // A client that takes errnos: the errno, and the message alone.
    let (e, r) = h.ctl("info", &[("name", "x".into())]);
    assert_eq!(e, ENOENT);
    assert_eq!(r, v(&[("message", "device 'x' does not exist".into())]));
    let (e, r) = h.ctl("reload", &[("name", "t".into()), ("cmd_data", gap)]);
    assert_eq!(e, EINVAL);
    assert!(message(&r).contains("gap"), "{r:?}");
    assert_eq!(r.as_dict().map(|d| d.len()), Some(1));
    let (e, r) = h.ctl("create", &[("name", "t".into())]);
    assert_eq!(
        (e, message(&r).as_str()),
        (EEXIST, "a device named 't' already exists")
    );
    // Copy-in errors are errnos for everyone, as in NetBSD's dm.
    assert_eq!(h.raw(b"not a plist"), (EIO, None));

    // The kernel log names the command, the device and why.
    let log = h.log();
    assert!(
        log.contains("dm: remove x: device 'x' does not exist (error 2)"),
        "{log}"
    );
    assert!(
        log.contains("dm: create t: a device named 't' already exists (error 17)"),
        "{log}"
    );
    // Rate-limited: a burst of failures does not flood it.
    std::thread::sleep(Duration::from_millis(1100));
    let before = h.log().lines().count();
    for _ in 0..50 {
        old("remove", &[("name", "x".into())]);
    }
    let burst = h.log().lines().count() - before;
    assert!((1..25).contains(&burst), "{burst} lines for 50 failures");
}

/// A command that fails for a client without DM_ERRNO_FLAG returns 0;
/// the daemon must still see the failure and keep the device's node.
#[test]
fn failed_remove_for_an_old_client_keeps_the_node() {
    let h = Hostd::start(&[("wd", 4)]);
    h.setup("low", vec![line(0, 2048, "linear", "/dev/wd 2")]);
    h.setup("high", vec![line(0, 2048, "linear", "/dev/mapper/low 0")]);
    let req = v(&[
        ("command", "remove".into()),
        (
            "version",
            Value::Array(vec![4u32.into(), 0u32.into(), 0u32.into()]),
        ),
        ("name", "low".into()),
    ]);
    let (e, r) = h.raw(req.to_xml().as_bytes());
    assert_eq!(e, 0);
    assert_eq!(
        r.unwrap().as_dict().unwrap()["errno"],
        Value::Unsigned(EBUSY as u64)
    );
    // /dev/mapper/low still names the device.
    h.ok("remove", &[("name", "high".into())]);
    h.setup("again", vec![line(0, 2048, "linear", "/dev/mapper/low 0")]);
}
