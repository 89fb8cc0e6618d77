//! The control path and memory: create, reload, resume, info and remove
//! for 10 to 10 000 devices, `names` with all of them, measured in this
//! process through the control ioctl (request text in, reply text out:
//! everything but the socket) and through dm-hostd's socket on one
//! connection. Memory per device and per table line from malloc's own
//! count of bytes in use. Also the cost of one 4 KiB read through dm
//! against a plain pread of the same bytes, in this process.
//!
//! `DM_BENCH_REPORT` names a file the Markdown is appended to.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{line, pin, pinned, setup_in_process, Hostd};
use dm_hostd::{devices, host};
use proplib::Value;
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::os::unix::net::UnixStream;
use std::time::Instant;

const OPS: [&str; 5] = ["create", "reload", "resume", "info", "remove"];
const COUNTS: [usize; 4] = [10, 100, 1_000, 10_000];

/// Sends request text, returns the errno.
trait Control {
    fn send(&mut self, req: &[u8]) -> i32;
}

/// In this process: the glue's control ioctl, no socket.
struct Direct;

impl Control for Direct {
    fn send(&mut self, req: &[u8]) -> i32 {
        host::control(req).0
    }
}

/// dm-hostd's control socket, one connection for every request.
struct Socket(UnixStream);

impl Control for Socket {
    fn send(&mut self, req: &[u8]) -> i32 {
        let mut out = (req.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(req);
        self.0.write_all(&out).unwrap();
        let mut hdr = [0u8; 8];
        self.0.read_exact(&mut hdr).unwrap();
        let n = u32::from_be_bytes(hdr[4..].try_into().unwrap()) as usize;
        let mut body = vec![0u8; n];
        self.0.read_exact(&mut body).unwrap();
        i32::from_be_bytes(hdr[..4].try_into().unwrap())
    }
}

fn name(i: usize) -> Value {
    Value::String(format!("dev{i:05}"))
}

/// The request text of `op` on device `i`, built ahead of the clock.
fn request(op: &str, i: usize) -> Vec<u8> {
    let table = || {
        let l = line(0, 8, "linear", &format!("/dev/wd1a {}", 2 + 8 * i as u64));
        Value::Array(vec![l])
    };
    match op {
        "reload" => devices::request(op, &[("name", name(i)), ("cmd_data", table())]),
        _ => devices::request(op, &[("name", name(i))]),
    }
}

/// µs per operation for each of OPS, run over `n` devices in turn.
fn phases(c: &mut dyn Control, n: usize) -> Vec<f64> {
    OPS.iter()
        .map(|op| {
            let reqs: Vec<Vec<u8>> = (0..n).map(|i| request(op, i)).collect();
            let t = Instant::now();
            for r in &reqs {
                let e = c.send(r);
                assert_eq!(e, 0, "{op} failed: errno {e}");
            }
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        })
        .collect()
}

/// `names` with `n` devices: ms per call, best of 5.
fn names_ms(c: &mut dyn Control, n: usize) -> f64 {
    for i in 0..n {
        for op in ["create", "reload", "resume"] {
            assert_eq!(c.send(&request(op, i)), 0);
        }
    }
    let req = devices::request("names", &[]);
    let best = (0..5)
        .map(|_| {
            let t = Instant::now();
            assert_eq!(c.send(&req), 0);
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min);
    for i in 0..n {
        assert_eq!(c.send(&request("remove", i)), 0);
    }
    best
}

/// Bytes malloc has handed out and not had back.
fn heap_in_use() -> usize {
    // SAFETY: mallinfo2 only reads the allocator's counters.
    unsafe { libc::mallinfo2().uordblks }
}

fn control_table(report: &mut String, what: &str, c: &mut dyn Control) -> Vec<Vec<f64>> {
    *report += &format!(
        "\n### {what}\n\nµs per operation, the mean over all devices of a run \
         (each device: one linear line).\n\n\
         | devices | create | reload | resume | info | remove | names (ms) |\n\
         |---:|---:|---:|---:|---:|---:|---:|\n"
    );
    let mut rows = Vec::new();
    for n in COUNTS {
        let p = phases(c, n);
        let names = names_ms(c, n);
        let row = format!(
            "| {n} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {names:.2} |\n",
            p[0], p[1], p[2], p[3], p[4]
        );
        print!("{what}: {row}");
        *report += &row;
        rows.push(p);
    }
    rows
}

/// Bytes per device at 10 000 devices, and per line of one big table.
fn memory(report: &mut String, c: &mut dyn Control) {
    let n = 10_000;
    let before = heap_in_use();
    for i in 0..n {
        for op in ["create", "reload", "resume"] {
            assert_eq!(c.send(&request(op, i)), 0);
        }
    }
    let per_device = (heap_in_use() - before) as f64 / n as f64;
    for i in 0..n {
        assert_eq!(c.send(&request("remove", i)), 0);
    }
    // The largest table a 4 MiB request carries comfortably.
    let lines = 15_000u64;
    let table: Vec<Value> = (0..lines)
        .map(|i| line(i * 8, 8, "linear", &format!("/dev/wd1a {}", 2 + i * 8)))
        .collect();
    let create = devices::request("create", &[("name", name(0))]);
    let reload = devices::request(
        "reload",
        &[("name", name(0)), ("cmd_data", Value::Array(table))],
    );
    assert_eq!(c.send(&create), 0);
    let one = devices::request(
        "reload",
        &[
            ("name", name(0)),
            (
                "cmd_data",
                Value::Array(vec![line(0, 8, "linear", "/dev/wd1a 2")]),
            ),
        ],
    );
    assert_eq!(c.send(&one), 0);
    let base = heap_in_use();
    assert_eq!(c.send(&reload), 0);
    let per_line = (heap_in_use() - base) as f64 / lines as f64;
    assert_eq!(c.send(&request("remove", 0)), 0);
    let row = format!(
        "\n### Memory\n\nBytes malloc holds for the driver (glue, host mode and dm-core), \
         measured in this process.\n\n| what | bytes |\n|---|---:|\n\
         | per device, at {n} devices with a 1-line linear table each | {per_device:.0} |\n\
         | per line, loading a {lines}-line linear table as the inactive table | {per_line:.1} |\n\n\
         The goal of at most 64 bytes per linear line holds for the loaded table (the \
         lookup section counts the same structures directly, to 10^6 lines).\n"
    );
    print!("{row}");
    *report += &row;
}

/// Data touched before each cold read: twice a CPU's L2 (1 MiB where
/// the C library does not say), so the read path's lines come back from
/// L3 or memory.
fn cold_bytes() -> usize {
    // SAFETY: sysconf only reads the value.
    let l2 = unsafe { libc::sysconf(libc::_SC_LEVEL2_CACHE_SIZE) };
    usize::try_from(l2)
        .ok()
        .filter(|&b| b > 0)
        .map_or(1 << 20, |b| 2 * b)
}

/// Reads a block at a byte offset.
type ReadAt<'a> = dyn FnMut(u64, &mut [u8]) + 'a;

/// One 4 KiB read through dm against a pread of the same bytes.
fn io_cost(report: &mut String, path: &std::path::Path) {
    let minor = setup_in_process("io", vec![line(0, 100_000, "linear", "/dev/wd1a 2048")]);
    host::open(minor, false).unwrap();
    let f = std::fs::File::open(path).unwrap();
    let disk = host::Disk::open(path.to_str().unwrap(), false).unwrap();
    let mut buf = vec![0u8; 4096];
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % 12_000) * 4096
    };
    let base = 2048 * 512;
    let mut dm = |off: u64, buf: &mut [u8]| host::rw(minor, false, off, buf).unwrap();
    let mut blk = |off: u64, buf: &mut [u8]| disk.rw(false, off + base, buf).unwrap();
    let mut raw = |off: u64, buf: &mut [u8]| f.read_exact_at(buf, off + base).unwrap();
    let mut paths: [&mut ReadAt; 3] = [&mut dm, &mut blk, &mut raw];
    // Warm: reads back to back. Cold: other data through the caches
    // before each read, outside the clock.
    let (mut warm, mut cold) = ([[0.0; 5]; 3], [[0.0; 5]; 3]);
    let mut other = vec![0u8; cold_bytes()];
    for pass in 0..5 {
        for (i, read) in paths.iter_mut().enumerate() {
            let k = 100_000;
            let t = Instant::now();
            for _ in 0..k {
                read(next(), &mut buf);
            }
            warm[i][pass] = t.elapsed().as_nanos() as f64 / k as f64;
            let k = 20_000;
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..k {
                for line in other.chunks_mut(64) {
                    line[0] = line[0].wrapping_add(1);
                }
                let off = next();
                let t = Instant::now();
                read(off, &mut buf);
                spent += t.elapsed();
            }
            cold[i][pass] = spent.as_nanos() as f64 / k as f64;
        }
    }
    std::hint::black_box(&other);
    let threads = scaling(minor, path);
    host::close(minor, false).unwrap();
    assert_eq!(
        host::control(&devices::request("remove", &[("name", "io".into())])).0,
        0
    );
    let best = |v: &[f64; 5]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let [w, c] = [warm, cold].map(|m| m.map(|v| best(&v)));
    let row = format!(
        "\n### One 4 KiB read, in this process\n\nRandom 4 KiB reads of a tmpfs file, \
         best of 5 passes taking turns: with pread(2) on the component; \
         through the host block layer as a disk without dm (the data path's raw export); \
         through the dm block device (strategy, dm-core's mapping, a nested buf to the \
         component). Warm: 100000 reads back to back. Cold: 20000 reads, each after \
         {} KiB of other data went through the caches (twice a CPU's L2), timed alone: \
         in dm-hostd the socket, the kernel and the other connections run between two \
         requests of one connection, so what dm touches comes back from further out, \
         as here.\n\n| path | ns per read, warm | ns per read, cold |\n|---|---:|---:|\n\
         | pread(2) | {:.0} | {:.0} |\n| block layer, no dm | {:.0} | {:.0} |\n\
         | dm-linear | {:.0} | {:.0} |\n| dm adds to the block layer | {:.0} | {:.0} |\n",
        other.len() >> 10,
        w[2],
        c[2],
        w[1],
        c[1],
        w[0],
        c[0],
        w[0] - w[1],
        c[0] - c[1]
    );
    print!("{row}{threads}");
    *report += &row;
    *report += &threads;
}

/// Reads per second from `n` threads at once, each reading `k` random
/// 4 KiB blocks with `read`.
fn parallel(n: usize, k: usize, read: &(dyn Fn(u64, &mut [u8]) + Sync)) -> f64 {
    let t = Instant::now();
    std::thread::scope(|sc| {
        for seed in 0..n as u64 {
            sc.spawn(move || {
                let mut buf = vec![0u8; 4096];
                let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ (seed + 1);
                for _ in 0..k {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    read((x % 12_000) * 4096, &mut buf);
                }
            });
        }
    });
    (n * k) as f64 / t.elapsed().as_secs_f64()
}

/// Reads from 1 to 8 threads on one device: the I/O path takes no lock
/// that all of them queue on, so the rate follows the CPUs.
fn scaling(minor: u32, path: &std::path::Path) -> String {
    let f = std::fs::File::open(path).unwrap();
    let dm = |off: u64, buf: &mut [u8]| host::rw(minor, false, off, buf).unwrap();
    let raw = |off: u64, buf: &mut [u8]| f.read_exact_at(buf, off + 2048 * 512).unwrap();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut out = format!(
        "\n### Threads reading one device, in this process\n\nRandom 4 KiB reads of a \
         tmpfs file from n threads at once, {cpus} CPUs; best of 3.\n\n\
         | threads | pread reads/s | dm reads/s | dm/pread | dm vs 1 thread |\n|---:|---:|---:|---:|---:|\n"
    );
    let mut one = 0.0;
    for n in [1usize, 2, 4, 8] {
        let k = 200_000 / n;
        let best = |read: &(dyn Fn(u64, &mut [u8]) + Sync)| {
            (0..3).map(|_| parallel(n, k, read)).fold(0.0, f64::max)
        };
        let (r, d) = (best(&raw), best(&dm));
        if n == 1 {
            one = d;
        }
        out += &format!(
            "| {n} | {r:.0} | {d:.0} | {:.3} | {:.2}x |\n",
            d / r,
            d / one
        );
    }
    out
}

fn main() {
    let mut report = String::from("## Control path and memory\n");
    let dir = std::path::PathBuf::from(format!("/dev/shm/dm-bench-ctl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let disk = dir.join("wd1a.img");
    std::fs::write(&disk, vec![7u8; 128 << 20]).unwrap();

    host::map_disk("/dev/wd1a", disk.to_str().unwrap()).unwrap();
    host::init().unwrap();
    host::set_uid(0);
    let direct = control_table(&mut report, "In this process (no socket)", &mut Direct);
    memory(&mut report, &mut Direct);
    io_cost(&mut report, &disk);

    // The daemon on CPU 0 (it inherits this thread's CPUs), we on CPU 1.
    if pinned() {
        pin(0).unwrap();
    }
    let h = Hostd::start_in(&dir, &[("wd1a", 128)], &[]);
    if pinned() {
        pin(1).unwrap();
    }
    let mut s = Socket(UnixStream::connect(h.dir.join("control")).unwrap());
    let version = devices::request("version", &[]);
    let rtt = |c: &mut dyn Control| {
        let t = Instant::now();
        for _ in 0..2000 {
            assert_eq!(c.send(&version), 0);
        }
        t.elapsed().as_secs_f64() * 1e6 / 2000.0
    };
    let (v_sock, v_direct) = (rtt(&mut s), rtt(&mut Direct));
    let sock = control_table(&mut report, "Through dm-hostd's socket", &mut s);
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);

    let (d, s) = (&direct[direct.len() - 1], &sock[sock.len() - 1]);
    report += &format!(
        "\n### At 10 000 devices\n\n`version` takes {v_direct:.1} µs in this process and \
         {v_sock:.1} µs through the socket: the socket round trip and the daemon's own \
         work add about {:.1} µs per request.\n\n\
         | op | in this process µs | through the socket µs | goal < 50 µs (no socket) |\n|---|---:|---:|---|\n",
        v_sock - v_direct
    );
    for (i, op) in OPS.iter().enumerate() {
        report += &format!(
            "| {op} | {:.1} | {:.1} | {} |\n",
            d[i],
            s[i],
            if d[i] < 50.0 { "met" } else { "missed" }
        );
    }
    println!("\n{report}");
    common::append_report(&report);
    // Leave nothing loaded behind for the allocator's sake.
    let _ = host::fini();
}
