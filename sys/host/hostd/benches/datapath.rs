//! The data path end to end in host mode: fio's nbd engine against
//! dm-hostd, a dm device beside a raw export of the same file (the same
//! NBD server with dm left out), measured together in one fio run per
//! round so the ratio is fair on a noisy machine. Also striped against a single
//! file, a 1000-line table against a 1-line one, and 1 to 8 client
//! threads on one device.
//!
//! `DM_BENCH_SECS` sets the seconds per measurement (default 1),
//! `DM_BENCH_ROUNDS` the least rounds (default 16, the median is
//! reported; the order of the exports alternates from round to round;
//! many short rounds pin the median down better than a few long ones
//! here), `DM_BENCH_MAX_ROUNDS` how far a row with a goal goes on while
//! its median ratio is less certain than [`PRECISION`] (default 48),
//! `DM_BENCH_DISK` the directory for the on-disk rows (default
//! target/bench-disk), `DM_BENCH_REPORT` a file the Markdown is appended
//! to.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{line, pin, pinned, Hostd};
use proplib::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// 512-byte sectors of the data each device covers beyond the label area.
const COMPONENT_MIB: u64 = 256;
/// Where dm lines start on their component (1 MiB: 4 KiB aligned).
const OFFSET: u64 = 2048;
/// The part of each export fio uses (MiB), so every side covers the
/// same span.
const SPAN_MIB: u64 = 224;
/// SPAN_MIB in sectors.
const SPAN_SECTORS: u64 = SPAN_MIB << 11;
/// The standard error of a median ratio a row with a goal runs for (up
/// to `DM_BENCH_MAX_ROUNDS` rounds): a verdict needs the median two
/// errors clear of the goal, so at 0.0025 a ratio half a percent from it
/// resolves; one run's ratio at queue depth 32 scatters by ±7%.
const PRECISION: f64 = 0.0025;
/// The daemon serves each connection with one thread here. It runs on
/// one CPU, where more threads add no speed; with four per connection,
/// the eight threads of two connections at queue depth 32 split that CPU
/// unevenly from one run to the next (the median of a control row, raw
/// against raw, was good to ±0.010 after 24 runs, and to ±0.004 with one
/// thread each).
const DAEMON: &[&str] = &["--nbd-workers", "1"];

fn env_num(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

struct Load {
    name: &'static str,
    rw: &'static str,
    bs: &'static str,
    qd: u32,
    /// Report MiB/s (sequential) or IOPS (random).
    mib: bool,
}

const SEQ_READ: Load = Load {
    name: "sequential read 1 MiB",
    rw: "read",
    bs: "1m",
    qd: 1,
    mib: true,
};
const SEQ_WRITE: Load = Load {
    name: "sequential write 1 MiB",
    rw: "write",
    bs: "1m",
    qd: 1,
    mib: true,
};
const RAND_READ_1: Load = Load {
    name: "random read 4 KiB QD1",
    rw: "randread",
    bs: "4k",
    qd: 1,
    mib: false,
};
const RAND_WRITE_1: Load = Load {
    name: "random write 4 KiB QD1",
    rw: "randwrite",
    bs: "4k",
    qd: 1,
    mib: false,
};
const RAND_READ_32: Load = Load {
    name: "random read 4 KiB QD32",
    rw: "randread",
    bs: "4k",
    qd: 32,
    mib: false,
};
const RAND_WRITE_32: Load = Load {
    name: "random write 4 KiB QD32",
    rw: "randwrite",
    bs: "4k",
    qd: 32,
    mib: false,
};

struct Bench {
    secs: u32,
    rounds: u32,
    max_rounds: u32,
    report: String,
    scratch: PathBuf,
}

/// One fio run with a job (of `jobs` clones) per export, all at once:
/// MiB/s or IOPS per export, reads and writes and clones summed.
fn fio(b: &Bench, h: &Hostd, exports: &[&str], l: &Load, jobs: u32) -> Vec<f64> {
    let out = b.scratch.join("fio.json");
    let mut cmd = Command::new("fio");
    if pinned() {
        // SAFETY: sched_setaffinity is async-signal-safe.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, || pin(1));
        }
    }
    cmd.args([
        "--ioengine=nbd",
        &format!("--rw={}", l.rw),
        &format!("--bs={}", l.bs),
        &format!("--iodepth={}", l.qd),
        &format!("--numjobs={jobs}"),
        &format!("--size={SPAN_MIB}m"),
        "--group_reporting",
        "--time_based",
        &format!("--runtime={}", b.secs),
        "--randrepeat=0",
        "--output-format=json",
        &format!("--output={}", out.display()),
    ]);
    for (i, e) in exports.iter().enumerate() {
        cmd.arg(format!("--name=e{i}")).arg("--new_group");
        // A raw export reads from where the dm lines start on their
        // components, so both sides read at the same file offsets.
        if e.starts_with("raw/") {
            cmd.arg(format!("--offset={}", OFFSET * 512));
        }
        cmd.arg(format!("--uri={}", h.uri(e)));
    }
    let st = cmd
        .stdout(std::process::Stdio::null())
        .status()
        .expect("fio (apt-get install fio; ./build.sh bench does)");
    assert!(st.success(), "fio failed on {exports:?}");
    let text = std::fs::read_to_string(&out).expect("fio output");
    let v: serde_json::Value = serde_json::from_str(&text).expect("fio json");
    (0..exports.len())
        .map(|i| {
            let job = v["jobs"]
                .as_array()
                .and_then(|js| js.iter().find(|j| j["jobname"] == format!("e{i}").as_str()))
                .expect("a report per export");
            let sum = |key: &str| {
                job["read"][key].as_f64().unwrap_or(0.0) + job["write"][key].as_f64().unwrap_or(0.0)
            };
            if l.mib {
                sum("bw_bytes") / (1 << 20) as f64
            } else {
                sum("iops")
            }
        })
        .collect()
}

/// The middle value; for an even count the mean of the two middle ones
/// (the upper one alone would lean towards the larger figures).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n.is_multiple_of(2) {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    } else {
        v[n / 2]
    }
}

/// Runs `f` on `exports` in their order in even rounds and reversed in
/// odd ones (fio starts its jobs in order: no export keeps a head start),
/// and gives the figures back in the order of `exports`.
fn alternated<T>(round: u32, exports: &[T], f: impl FnOnce(&[T]) -> Vec<f64>) -> Vec<f64>
where
    T: Copy,
{
    if round.is_multiple_of(2) {
        return f(exports);
    }
    let rev: Vec<T> = exports.iter().rev().copied().collect();
    let mut v = f(&rev);
    v.reverse();
    v
}

/// One export's figure against the first export's, over the rounds.
struct Ratio {
    median: f64,
    se: f64,
    lo: f64,
    hi: f64,
    runs: usize,
}

impl Ratio {
    /// The median of the per-run ratios `rs` and its standard error, from
    /// the normal approximation (1.2533 σ / √n) with σ estimated robustly
    /// from the median absolute deviation (× 1.4826): one wild run does
    /// not inflate it.
    fn of(rs: &[f64]) -> Ratio {
        let m = median(rs.to_vec());
        let mad = median(rs.iter().map(|x| (x - m).abs()).collect());
        Ratio {
            median: m,
            se: 1.2533 * 1.4826 * mad / (rs.len() as f64).sqrt(),
            lo: rs.iter().copied().fold(f64::INFINITY, f64::min),
            hi: rs.iter().copied().fold(0.0, f64::max),
            runs: rs.len(),
        }
    }
}

/// Exports measured together, in rounds: they share the daemon's CPU at
/// the same moments, so the machine's drift falls on all alike.
struct Together {
    /// Median figure per export.
    med: Vec<f64>,
    /// Per export: its figure / the first export's in the same round.
    ratio: Vec<Ratio>,
}

/// Per export, the ratio of its figure to the first export's in each run.
fn ratios(runs: &[Vec<f64>], i: usize) -> Vec<f64> {
    runs.iter().map(|r| r[i] / r[0]).collect()
}

/// At least `b.rounds` rounds, then more (an even count, so both orders
/// count alike) until every ratio's median is within [`PRECISION`] or
/// `max` rounds are done. When to stop depends on the scatter only,
/// never on where the ratio lies.
fn together(b: &Bench, h: &Hostd, exports: &[&str], l: &Load, max: u32) -> Together {
    let mut runs: Vec<Vec<f64>> = Vec::new();
    loop {
        let r = runs.len() as u32;
        runs.push(alternated(r, exports, |order| fio(b, h, order, l, 1)));
        let n = r + 1;
        let settled = || (1..exports.len()).all(|i| Ratio::of(&ratios(&runs, i)).se <= PRECISION);
        if n >= b.rounds && (n >= max || (n.is_multiple_of(2) && settled())) {
            break;
        }
    }
    let med = (0..exports.len())
        .map(|i| median(runs.iter().map(|r| r[i]).collect()))
        .collect();
    let ratio = (0..exports.len())
        .map(|i| Ratio::of(&ratios(&runs, i)))
        .collect();
    Together { med, ratio }
}

/// `0.981 (0.95–1.01)`: the median ratio and its range over the rounds.
fn spread(r: &Ratio) -> String {
    format!("{:.3} ({:.2}–{:.2})", r.median, r.lo, r.hi)
}

/// `0.981 ±0.004, 32 runs (0.95–1.01)`: also the median's standard
/// error and how many runs it took.
fn spread_se(r: &Ratio) -> String {
    let runs = if r.runs == 1 { "run" } else { "runs" };
    format!(
        "{:.3} ±{:.3}, {} {runs} ({:.2}–{:.2})",
        r.median, r.se, r.runs, r.lo, r.hi
    )
}

fn unit(l: &Load) -> &'static str {
    if l.mib {
        "MiB/s"
    } else {
        "IOPS"
    }
}

fn fmt(x: f64) -> String {
    if x >= 1000.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// Met when the median is at or above the goal by twice its standard
/// error or more (as printed, to three places), missed when it is below
/// by as much; in between, the runs cannot tell, and the row says so.
fn verdict(r: &Ratio, goal: f64) -> &'static str {
    let at = |x: f64| (x * 1000.0).round() / 1000.0;
    if at(r.median - 2.0 * r.se) >= goal {
        "met"
    } else if at(r.median + 2.0 * r.se) < goal {
        "missed"
    } else {
        "not resolved"
    }
}

fn fs_type(dir: &Path) -> String {
    Command::new("stat")
        .args(["-f", "-c", "%T"])
        .arg(dir)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// Fills a component with non-zero data, so reads touch real pages.
/// Writes every MiB of the file at `path`, keeping its size.
fn fill(path: &Path) {
    let block: Vec<u8> = common::pattern(1 << 20, 7);
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    let mib = f.metadata().unwrap().len() >> 20;
    for _ in 0..mib {
        std::io::Write::write_all(&mut f, &block).unwrap();
    }
    f.sync_all().unwrap();
}

fn linear_one(h: &Hostd, name: &str, disk: &str, sectors: u64) {
    h.setup(
        name,
        vec![line(0, sectors, "linear", &format!("/dev/{disk} {OFFSET}"))],
    );
}

fn component_sectors() -> u64 {
    (COMPONENT_MIB << 20) / 512 - OFFSET
}

/// One row: two exports measured together, the second against the first
/// and the goal for that ratio; without a goal, a control row (the raw
/// export against itself).
fn pair_row(b: &mut Bench, h: &Hostd, pair: [&str; 2], l: &Load, goal: Option<f64>, tag: &str) {
    let t = together(b, h, &pair, l, b.max_rounds);
    let (name, verdict) = match goal {
        Some(g) => (l.name.to_owned(), verdict(&t.ratio[1], g)),
        None => (format!("{} (control: raw against raw)", l.name), ""),
    };
    let row = format!(
        "| {name} | {} | {} | {} | {} | {verdict} |\n",
        unit(l),
        fmt(t.med[0]),
        fmt(t.med[1]),
        spread_se(&t.ratio[1]),
    );
    print!("{tag}: {row}");
    b.report += &row;
}

/// `dir` as the report names it: inside the project, relative to it.
fn shown(dir: &Path) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..");
    match root
        .canonicalize()
        .map(|r| dir.strip_prefix(r).map(Path::to_path_buf))
    {
        Ok(Ok(rel)) => rel.display().to_string(),
        _ => dir.display().to_string(),
    }
}

/// dm-linear over a file whose span fio reads in swapped halves: run
/// beside the raw export reading the span in order, the two streams read
/// the same bytes (one file, the same pages) half the span apart. Two
/// streams through the same bytes at once find each other's data in the
/// CPU's caches; two files, or two parts of one, read at different
/// speeds here (the guest's memory is not all alike): either way one
/// side came out ahead by 3% on sequential reads.
fn linear_swapped(h: &Hostd, name: &str, disk: &str) {
    let half = SPAN_SECTORS / 2;
    let dev = format!("/dev/{disk}");
    h.setup(
        name,
        vec![
            line(0, half, "linear", &format!("{dev} {}", OFFSET + half)),
            line(half, half, "linear", &format!("{dev} {OFFSET}")),
            line(
                SPAN_SECTORS,
                component_sectors() - SPAN_SECTORS,
                "linear",
                &format!("{dev} {}", OFFSET + SPAN_SECTORS),
            ),
        ],
    );
}

/// dm-linear against the raw file, every load, on the medium at `base`.
fn linear_vs_raw(b: &mut Bench, base: &Path, medium: &str) {
    std::fs::create_dir_all(base).unwrap();
    let h = Hostd::start_args(base, &[("wd1a", COMPONENT_MIB)], &["wd1a"], DAEMON);
    fill(&h.file("wd1a"));
    linear_swapped(&h, "lin", "wd1a");
    b.report += &format!(
        "\n### dm-linear vs raw, {medium} ({}: {})\n\n\
         | load | unit | raw | dm-linear | dm/raw ±error, runs (range) | goal ≥ 0.98 |\n|---|---|---:|---:|---:|---|\n",
        fs_type(base),
        shown(base)
    );
    for l in [
        &SEQ_READ,
        &SEQ_WRITE,
        &RAND_READ_1,
        &RAND_WRITE_1,
        &RAND_READ_32,
        &RAND_WRITE_32,
    ] {
        pair_row(b, &h, ["raw/wd1a", "lin"], l, Some(0.98), medium);
    }
    // The controls: the raw export against itself. Their spread is what
    // the measurement resolves.
    for l in [&SEQ_READ, &RAND_READ_1, &RAND_READ_32, &RAND_WRITE_32] {
        pair_row(b, &h, ["raw/wd1a", "raw/wd1a"], l, None, medium);
    }
}

/// Striped over 2 and 4 files, and a 1000-line table, against one file.
fn shapes(b: &mut Bench, base: &Path) {
    let stripe_mib = COMPONENT_MIB / 4;
    let h = Hostd::start_args(
        base,
        &[
            ("wd1a", COMPONENT_MIB),
            ("s0", stripe_mib),
            ("s1", stripe_mib),
            ("s2", stripe_mib),
            ("s3", stripe_mib),
        ],
        &["wd1a"],
        DAEMON,
    );
    // Every component written through once: random writes to holes would
    // charge the striped side for tmpfs allocating pages.
    for f in ["wd1a", "s0", "s1", "s2", "s3"] {
        fill(&h.file(f));
    }
    // Each stripe holds 31 MiB of the device past its 1 MiB offset.
    let width = (stripe_mib << 20) / 512 - OFFSET;
    let striped = |n: u64, chunk: u64| {
        let mut p = format!("{n} {chunk}");
        for i in 0..n {
            p += &format!(" /dev/s{i} {OFFSET}");
        }
        // A multiple of the chunk on every stripe.
        let w = width - width % chunk;
        line(0, n * w, "striped", &p)
    };
    h.setup("st2", vec![striped(2, 128)]);
    h.setup("st4", vec![striped(4, 128)]);
    h.setup("st4odd", vec![striped(4, 96)]);
    linear_one(&h, "one", "wd1a", component_sectors());
    // The same span cut into 1000 lines.
    let per = component_sectors() / 1000;
    let many: Vec<Value> = (0..1000)
        .map(|i| {
            line(
                i * per,
                per,
                "linear",
                &format!("/dev/wd1a {}", OFFSET + i * per),
            )
        })
        .collect();
    h.setup("many", many);

    b.report += "\n### Striped vs one file (tmpfs)\n\n\
        Stripes are files on the same tmpfs, so this shows the cost of the striped \
        mapping, not a gain from more spindles. Chunk 128 sectors takes the shift/mask \
        path; chunk 96 the division path. Each striped device runs beside the raw file \
        on its own: the three share their stripe files, and would compete for them.\n\n\
        | load | unit | raw file | 2-way/128 | 4-way/128 | 4-way/96 | 2-way/raw | 4-way/raw | 4-way/96 / raw |\n\
        |---|---|---:|---:|---:|---:|---:|---:|---:|\n";
    for l in [&SEQ_READ, &RAND_READ_32, &RAND_WRITE_32] {
        let t: Vec<Together> = ["st2", "st4", "st4odd"]
            .iter()
            .map(|st| together(b, &h, &["raw/wd1a", st], l, b.rounds))
            .collect();
        let row = format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            l.name,
            unit(l),
            fmt(t[0].med[0]),
            fmt(t[0].med[1]),
            fmt(t[1].med[1]),
            fmt(t[2].med[1]),
            spread(&t[0].ratio[1]),
            spread(&t[1].ratio[1]),
            spread(&t[2].ratio[1])
        );
        print!("striped: {row}");
        b.report += &row;
    }

    b.report += "\n### 1000-line vs 1-line linear table (tmpfs)\n\n\
        | load | unit | 1 line | 1000 lines | 1000/1 ±error, runs (range) | goal ≥ 0.97 |\n|---|---|---:|---:|---:|---|\n";
    for l in [&SEQ_READ, &RAND_READ_1, &RAND_READ_32, &RAND_WRITE_32] {
        pair_row(b, &h, ["one", "many"], l, Some(0.97), "lines");
    }

    b.report += "\n### Client threads on one device (tmpfs)\n\n\
        Random 4 KiB reads, queue depth 1 per thread, one NBD connection per thread.\n\n\
        | threads | raw IOPS | dm-linear IOPS | dm/raw | dm vs 1 thread |\n|---:|---:|---:|---:|---:|\n";
    let mut one = 0.0;
    for jobs in [1u32, 2, 4, 8] {
        // One export at a time here: the question is how each scales.
        let runs: Vec<Vec<f64>> = (0..b.rounds)
            .map(|r| {
                alternated(r, &["raw/wd1a", "one"], |order| {
                    order
                        .iter()
                        .map(|e| fio(b, &h, &[e], &RAND_READ_1, jobs)[0])
                        .collect()
                })
            })
            .collect();
        let m: Vec<f64> = (0..2)
            .map(|i| median(runs.iter().map(|r| r[i]).collect()))
            .collect();
        if jobs == 1 {
            one = m[1];
        }
        let row = format!(
            "| {jobs} | {} | {} | {:.3} | {:.2}x |\n",
            fmt(m[0]),
            fmt(m[1]),
            m[1] / m[0],
            m[1] / one
        );
        print!("threads: {row}");
        b.report += &row;
    }
}

fn main() {
    // cargo bench passes --bench; there is nothing to filter. Without it
    // (cargo test), one short round of everything is a smoke test.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let disk = std::env::var_os("DM_BENCH_DISK")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/bench-disk"));
    std::fs::create_dir_all(&disk).unwrap();
    let disk = disk.canonicalize().unwrap_or(disk);
    let shm = PathBuf::from("/dev/shm/dm-bench");
    if pinned() {
        pin(0).expect("sched_setaffinity");
    }
    let scratch = std::env::temp_dir().join(format!("dm-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut b = Bench {
        secs: env_num("DM_BENCH_SECS", 1),
        rounds: env_num("DM_BENCH_ROUNDS", if smoke { 1 } else { 16 }),
        max_rounds: env_num("DM_BENCH_MAX_ROUNDS", if smoke { 1 } else { 48 }),
        report: String::new(),
        scratch,
    };
    b.report += &format!(
        "## Data path (host mode, NBD)\n\n\
         fio {} with its nbd engine against dm-hostd; runs of {} s, medians. \
         The exports compared in a table run at the same time, one fio job each, so they \
         share the daemon's CPU at the same moments and this machine's drift (runs of \
         the same load differ by ±25% here) falls on both alike; their order on fio's \
         command line alternates from run to run. The ratio is the median \
         of the per-run ratios, with its standard error (normal approximation, scatter \
         from the median absolute deviation) and the range of the runs. A row with a \
         goal, and a control row, runs {} times, then on in pairs of runs while that \
         error exceeds {PRECISION}, up to {} runs: when to stop depends on the scatter, \
         never on the ratio. A goal is met when the median clears it by two standard \
         errors, missed when it falls short by two, and not resolved in between. A control row, the raw export against itself, shows what \
         the method resolves. The striped table runs {} times per device. Raw is the same NBD server reading \
         the component through the host block layer as a disk without dm (`--raw`: \
         getiobuf, the disk's strategy, biowait), so dm/raw is what dm adds: the softc \
         lookup, dm-core's mapping, the nested buf and the disk statistics. Components {COMPONENT_MIB} MiB, filled; fio uses \
         the first {SPAN_MIB} MiB of every dm export and the same span of the raw file, from its \
         second MiB, where the dm lines start on theirs. The dm-linear device against raw \
         maps that span in swapped halves (three lines), so the two sequential streams \
         read the same pages half the span apart rather than the same bytes at once. {}\n",
        Command::new("fio")
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default(),
        b.secs,
        b.rounds,
        b.max_rounds.max(b.rounds),
        b.rounds,
        if pinned() {
            "dm-hostd runs on CPU 0, fio on CPU 1; one daemon thread serves each \
             connection (`--nbd-workers 1`: on one CPU more add nothing, and two \
             connections' eight threads split it unevenly from run to run)."
        } else {
            "One CPU: dm-hostd and fio share it; one daemon thread serves each \
             connection (`--nbd-workers 1`)."
        }
    );
    linear_vs_raw(&mut b, &shm, "tmpfs");
    linear_vs_raw(&mut b, &disk, "disk");
    shapes(&mut b, &shm);
    let _ = std::fs::remove_dir_all(&b.scratch);
    let _ = std::fs::remove_dir_all(&shm);
    let _ = std::fs::remove_dir_all(&disk);
    println!("\n{}", b.report);
    common::append_report(&b.report);
}
