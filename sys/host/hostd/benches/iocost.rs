//! Instructions per 4 KiB read and write, counted by callgrind through
//! gungraun: with pread(2)/pwrite(2) on the component, through the host
//! block layer alone, and through dm (linear over 1 and 1000 lines,
//! striped). Times swing
//! by a quarter from run to run on a shared machine; instruction counts
//! do not, so this is where the cost dm adds to a read is pinned down.
//!
//! Each bench does `READS` reads (or writes) after as many unmeasured
//! ones; divide the instructions gungraun prints by `READS`
//! (`./build.sh bench` does).

#[path = "../tests/common/mod.rs"]
mod common;

use common::{line, setup_in_process};
use dm_hostd::host;
use gungraun::{library_benchmark, library_benchmark_group, main};
use proplib::Value;
use std::fs::File;
use std::hint::black_box;
use std::os::unix::fs::FileExt;

/// Reads measured per bench (and as many before, to warm the caches).
const READS: u64 = 1000;
/// 4 KiB blocks the reads spread over.
const BLOCKS: u64 = 12_000;
/// Where dm lines start on the component, in sectors.
const OFFSET: u64 = 2048;
const SECTORS: u64 = BLOCKS * 8;

/// What a bench reads through, set up outside the count.
enum Path {
    Pread(File),
    Block(host::Disk),
    Dm(u32),
}

struct Bench {
    path: Path,
    write: bool,
    file: std::path::PathBuf,
    buf: Vec<u8>,
}

impl Bench {
    fn io(&mut self, i: u64) {
        // A fixed stride over the blocks: the same requests in every run.
        let off = (i * 7919 % BLOCKS) * 4096;
        let (w, comp) = (self.write, off + OFFSET * 512);
        match &self.path {
            Path::Pread(f) if w => f.write_all_at(&self.buf, comp).unwrap(),
            Path::Pread(f) => f.read_exact_at(&mut self.buf, comp).unwrap(),
            Path::Block(d) => d.rw(w, comp, &mut self.buf).unwrap(),
            Path::Dm(minor) => host::rw(*minor, w, off, &mut self.buf).unwrap(),
        }
    }
}

fn component() -> std::path::PathBuf {
    let f = std::env::temp_dir().join(format!("dm-iocost-{}.img", std::process::id()));
    File::create(&f)
        .unwrap()
        .set_len((OFFSET + SECTORS) * 512)
        .unwrap();
    f
}

/// The lines of each dm table benched.
fn table(kind: &str) -> Vec<Value> {
    match kind {
        "linear" => vec![line(0, SECTORS, "linear", &format!("/dev/wd1a {OFFSET}"))],
        "lines1000" => {
            let n = SECTORS / 1000;
            (0..1000)
                .map(|i| line(i * n, n, "linear", &format!("/dev/wd1a {}", OFFSET + i * n)))
                .collect()
        }
        "striped" => vec![line(
            0,
            SECTORS,
            "striped",
            &format!("2 64 /dev/wd1a {OFFSET} /dev/wd1a {}", OFFSET + SECTORS / 2),
        )],
        _ => unreachable!("unknown table {kind}"),
    }
}

fn setup(kind: &str, write: bool) -> Bench {
    let file = component();
    let path = match kind {
        "pread" => Path::Pread(File::options().read(true).write(write).open(&file).unwrap()),
        "block" => Path::Block(host::Disk::open(file.to_str().unwrap(), write).unwrap()),
        _ => {
            host::init().unwrap();
            host::map_disk("/dev/wd1a", file.to_str().unwrap()).unwrap();
            let minor = setup_in_process("b", table(kind));
            host::open(minor, write).unwrap();
            Path::Dm(minor)
        }
    };
    let mut b = Bench {
        path,
        write,
        file,
        buf: vec![0x5a; 4096],
    };
    for i in 0..READS {
        b.io(i + READS);
    }
    b
}

fn teardown(b: Bench) {
    let _ = std::fs::remove_file(&b.file);
}

fn run(mut b: Bench) -> Bench {
    for i in 0..READS {
        b.io(black_box(i));
    }
    b
}

#[library_benchmark]
#[bench::pread(args = ("pread", false), setup = setup, teardown = teardown)]
#[bench::block(args = ("block", false), setup = setup, teardown = teardown)]
#[bench::linear(args = ("linear", false), setup = setup, teardown = teardown)]
#[bench::lines1000(args = ("lines1000", false), setup = setup, teardown = teardown)]
#[bench::striped(args = ("striped", false), setup = setup, teardown = teardown)]
fn read_4k(b: Bench) -> Bench {
    run(b)
}

// Writes through the same paths: the disk write row of the data path
// is where dm's own cost shows most.
#[library_benchmark]
#[bench::pread(args = ("pread", true), setup = setup, teardown = teardown)]
#[bench::block(args = ("block", true), setup = setup, teardown = teardown)]
#[bench::linear(args = ("linear", true), setup = setup, teardown = teardown)]
#[bench::lines1000(args = ("lines1000", true), setup = setup, teardown = teardown)]
#[bench::striped(args = ("striped", true), setup = setup, teardown = teardown)]
fn write_4k(b: Bench) -> Bench {
    run(b)
}

/// Bytes written before each request, outside the request: 64 KiB
/// evicts everything from callgrind's 32 KiB L1, so the lines a request
/// touches come from further out and show as LL hits, once each.
const FLUSH: usize = 64 << 10;

fn run_flushed(mut b: Bench) -> Bench {
    let mut other = vec![0u8; FLUSH];
    for i in 0..READS {
        for l in other.chunks_mut(64) {
            l[0] = l[0].wrapping_add(1);
        }
        b.io(black_box(i));
    }
    black_box(&other);
    b
}

// The cache lines a write touches: every request brings its own from L2
// when other work ran in between, as in dm-hostd between two requests.
#[library_benchmark]
#[bench::block(args = ("block", true), setup = setup, teardown = teardown)]
#[bench::linear(args = ("linear", true), setup = setup, teardown = teardown)]
fn write_4k_flushed(b: Bench) -> Bench {
    run_flushed(b)
}

library_benchmark_group!(name = requests; benchmarks = read_4k, write_4k, write_4k_flushed);

main!(library_benchmark_groups = requests);
