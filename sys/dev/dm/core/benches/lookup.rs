//! Mapping lookup: the table's search tree against a naive scan of every
//! line and against a plain binary search of the sorted starts, on tables
//! of 1 to 10^6 linear lines; plus memory per line. Criterion measures
//! each; the summary prints them side by side from one run.

use criterion::Criterion;
use dm_core::pdev::PdevSet;
use dm_core::table::{LineSpec, Table};
use dm_core::target::LoadCtx;
use dm_kmock as mock;
use std::hint::black_box;
use std::time::Instant;

const LINE: u64 = 8;

fn build(n: u64, pdevs: &mut PdevSet) -> Table {
    let path = "/dev/bench0";
    mock::add_disk(path, n * LINE + 4096);
    let params: Vec<String> = (0..n).map(|i| format!("{path} {}", 2 + i * LINE)).collect();
    let specs: Vec<LineSpec<'_>> = (0..n)
        .map(|i| LineSpec {
            start: i * LINE,
            length: LINE,
            kind: "linear",
            params: &params[i as usize],
        })
        .collect();
    let mut ctx = LoadCtx {
        pdevs,
        devices: None,
        writable: true,
        label_override: false,
    };
    Table::build(&specs, &mut ctx).expect("table")
}

/// The line holding `s`, found by looking at every line in turn.
fn naive(t: &Table, s: u64) -> usize {
    t.lines()
        .position(|(start, len, _)| s >= start && s < start + len)
        .unwrap_or(0)
}

/// The standard library's binary search over a copy of the starts.
fn bsearch(starts: &[u64], s: u64) -> usize {
    starts.partition_point(|&x| x <= s).saturating_sub(1)
}

/// Pseudo-random sectors, the same for both methods.
fn probes(size: u64, k: usize) -> Vec<u64> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..k)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % size
        })
        .collect()
}

/// Best of five warm passes over the probes, in ns per lookup.
fn per_lookup_ns<T: ?Sized>(t: &T, ps: &[u64], f: fn(&T, u64) -> usize) -> f64 {
    (0..6)
        .map(|_| {
            let start = Instant::now();
            let mut acc = 0usize;
            for &p in ps {
                acc = acc.wrapping_add(f(t, black_box(p)));
            }
            black_box(acc);
            start.elapsed().as_nanos() as f64 / ps.len() as f64
        })
        .skip(1)
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let mut pdevs = PdevSet::default();
    let mut summary = Vec::new();
    for n in [1u64, 10, 1_000, 100_000, 1_000_000] {
        let t = build(n, &mut pdevs);
        // Enough probes that a big table's index does not sit in cache.
        let ps = probes(t.size(), 1 << 16);
        let mut g = c.benchmark_group(format!("lookup/{n}-lines"));
        g.bench_function("search-tree", |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % ps.len();
                t.find(black_box(ps[i]))
            })
        });
        if n <= 100_000 {
            g.bench_function("naive-scan", |b| {
                let mut i = 0;
                b.iter(|| {
                    i = (i + 1) % ps.len();
                    naive(&t, black_box(ps[i]))
                })
            });
        }
        g.finish();
        let starts: Vec<u64> = t.lines().map(|(s, _, _)| s).collect();
        let fast = per_lookup_ns(&t, &ps, Table::find);
        let bin = per_lookup_ns(starts.as_slice(), &ps, bsearch);
        let scan_probes = match n {
            1_000_000.. => &ps[..64],
            100_000.. => &ps[..1024],
            _ => &ps[..],
        };
        let slow = per_lookup_ns(&t, scan_probes, naive);
        let bytes = t.heap_bytes() as f64 / n as f64;
        summary.push((n, fast, bin, slow, bytes));
    }
    let mut report = String::from(
        "| lines | tree ns | binary search ns | scan ns | vs binary search | vs scan | bytes/line |\n\
         |---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (n, fast, bin, slow, bytes) in summary {
        report += &format!(
            "| {n} | {fast:.1} | {bin:.1} | {slow:.1} | {:.1}x | {:.0}x | {bytes:.1} |\n",
            bin / fast,
            slow / fast
        );
    }
    println!("\nlookup summary (same run, same probes):\n{report}");
    if let Some(path) = std::env::var_os("DM_BENCH_REPORT") {
        let section = format!(
            "## Mapping lookup\n\nRandom sectors (the same 65536 for the tree and the binary search, the first 1024 or 64 of them for the scan of big tables), best of 5 warm passes; \
             linear lines of 8 sectors. Bytes/line counts the index and the lines, not the components.\n\n{report}\n"
        );
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("report file");
        std::io::Write::write_all(&mut f, section.as_bytes()).expect("write report");
    }
    c.final_summary();
}
