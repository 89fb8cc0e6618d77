//! Mapping lookup: the binary search over line starts against a naive scan
//! of every line, on tables of 1 to 10^6 linear lines; plus memory per
//! line. Criterion measures each; the summary prints both side by side
//! from one run, with the speed-up.

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
fn per_lookup_ns(t: &Table, ps: &[u64], f: fn(&Table, u64) -> usize) -> f64 {
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
        let ps = probes(t.size(), 4096);
        let mut g = c.benchmark_group(format!("lookup/{n}-lines"));
        g.bench_function("binary-search", |b| {
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
        let fast = per_lookup_ns(&t, &ps, Table::find);
        let scan_probes = if n >= 1_000_000 { &ps[..64] } else { &ps[..] };
        let slow = per_lookup_ns(&t, scan_probes, naive);
        let bytes = t.heap_bytes() as f64 / n as f64;
        summary.push((n, fast, slow, bytes));
    }
    println!("\nlookup summary (same run, same probes):");
    println!(
        "{:>9}  {:>12}  {:>12}  {:>9}  {:>10}",
        "lines", "search ns", "scan ns", "speed-up", "bytes/line"
    );
    for (n, fast, slow, bytes) in summary {
        println!(
            "{n:>9}  {fast:>12.1}  {slow:>12.1}  {:>8.0}x  {bytes:>10.1}",
            slow / fast
        );
    }
    c.final_summary();
}
