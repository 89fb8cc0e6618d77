//! Arbitrary table lines for every target through Table::build and the
//! I/O mapping: never a panic; a built table maps every sector of a
//! request exactly once.

#![no_main]

use arbitrary::Arbitrary;
use dm_core::io::Dir;
use dm_core::pdev::PdevSet;
use dm_core::table::{LineSpec, Table};
use dm_core::target::LoadCtx;
use dm_kmock as mock;
use libfuzzer_sys::fuzz_target;
use std::sync::Once;

#[derive(Arbitrary, Debug)]
struct Line {
    start: u64,
    length: u64,
    kind: String,
    params: String,
}

#[derive(Arbitrary, Debug)]
struct Input {
    lines: Vec<Line>,
    label_override: bool,
    writable: bool,
    probe: (u64, u32),
}

fuzz_target!(|input: Input| {
    static DISKS: Once = Once::new();
    DISKS.call_once(|| {
        mock::add_disk("/dev/t0", 1 << 20);
        mock::add_disk("/dev/t1", 4096);
    });
    let specs: Vec<LineSpec<'_>> = input
        .lines
        .iter()
        .take(64)
        .map(|l| LineSpec {
            start: l.start,
            length: l.length,
            kind: &l.kind,
            params: &l.params,
        })
        .collect();
    let mut pdevs = PdevSet::default();
    let mut ctx = LoadCtx {
        pdevs: &mut pdevs,
        devices: None,
        writable: input.writable,
        label_override: input.label_override,
    };
    if let Ok(t) = Table::build(&specs, &mut ctx) {
        let size = t.size();
        if size > 0 {
            let sector = input.probe.0 % size;
            let count = u64::from(input.probe.1).min(size - sector);
            let mut acts = dm_core::io::Actions::default();
            let mut counted = dm_core::io::Counted::default();
            t.map(sector, count, Dir::Read, &mut acts, &mut counted)
                .expect("mapping a built table");
            let mut at = 0;
            for a in acts.as_slice() {
                assert_eq!(a.offset, at);
                at += a.count;
            }
            assert_eq!(at, count);
            for &i in counted.as_slice() {
                t.io_done(i as usize, Dir::Read);
            }
        }
    }
});
