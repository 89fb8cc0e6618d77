//! Properties: lookup agrees with a naive scan on random tables, and
//! random command sequences never panic and keep the books straight.

mod common;

use common::*;
use dm_core::device::OpenKind;
use dm_core::io::{Dir, Mapped, DM_ACT_ERROR, DM_ACT_IO, DM_ACT_ZERO};
use dm_core::Errno;
use dm_kmock as mock;
use proplib::Value;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum L {
    Linear(u64),
    Zero,
    Error,
}

fn lines() -> impl Strategy<Value = Vec<(u64, L)>> {
    proptest::collection::vec(
        (
            1u64..300,
            prop_oneof![
                (2u64..100).prop_map(L::Linear),
                Just(L::Zero),
                Just(L::Error)
            ],
        ),
        1..40,
    )
}

/// The naive model: scan every line for the one holding `s`.
fn model(table: &[(u64, u64, L)], s: u64) -> (u32, u64) {
    for (start, len, l) in table {
        if s >= *start && s < start + len {
            return match l {
                L::Linear(off) => (DM_ACT_IO, off + (s - start)),
                L::Zero => (DM_ACT_ZERO, 0),
                L::Error => (DM_ACT_ERROR, 0),
            };
        }
    }
    unreachable!("sector inside the device")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn lookup_matches_naive_scan(spec in lines(), probes in proptest::collection::vec((0u64..20_000, 1u64..600), 1..30)) {
        let h = H::new();
        let disk = h.disk("d", 1_000_000);
        let mut table = Vec::new();
        let mut at = 0;
        let mut req = Vec::new();
        for (len, l) in spec {
            let (ty, params) = match &l {
                L::Linear(off) => ("linear", format!("{disk} {off}")),
                L::Zero => ("zero", String::new()),
                L::Error => ("error", String::new()),
            };
            req.push(line(at, len, ty, &params));
            table.push((at, len, l));
            at += len;
        }
        let size = at;
        let m = h.setup("p", req);
        let dev = h.core.device(m).unwrap();
        for (s, n) in probes {
            let s = s % (size + 1);
            let Ok(Mapped::Io(io)) = dev.map(s, n, Dir::Read) else { panic!("map") };
            let want = n.min(size - s);
            prop_assert_eq!(io.mapped(), want);
            // Every sector of the request, in order, from exactly one piece.
            let mut covered = 0;
            for a in io.actions() {
                prop_assert_eq!(a.offset, covered);
                for k in 0..a.count {
                    let (kind, sector) = model(&table, s + a.offset + k);
                    prop_assert_eq!(a.kind, kind);
                    if kind == DM_ACT_IO {
                        prop_assert_eq!(a.sector + k, sector);
                    }
                }
                covered += a.count;
            }
            prop_assert_eq!(covered, want);
        }
    }

    #[test]
    fn random_command_sequences_keep_invariants(ops in proptest::collection::vec((0u8..12, 0u8..4, 0u8..4), 1..60)) {
        let h = H::new();
        let disks: Vec<String> = (0..3).map(|i| h.disk(&format!("c{i}"), 4096)).collect();
        let names = ["a", "b", "c", "d"];
        let mut open: Vec<u32> = Vec::new();
        for (op, x, y) in ops {
            let n = names[x as usize];
            let d = &disks[(y % 3) as usize];
            let r = match op {
                0 => h.named("create", n),
                1 => h.named("remove", n),
                2 => h.reload(n, vec![line(0, 64 * (y as u64 + 1), "linear", &format!("{d} {}", 2 + y as u64))]),
                3 => h.reload(n, vec![line(0, 8, "zero", ""), line(8, 8, "striped", &format!("2 4 {} 2 {d} 2", disks[0]))]),
                4 => h.named("resume", n),
                5 => h.named("suspend", n),
                6 => h.named("clear", n),
                7 => h.cmd("rename", &[("name", n.into()), ("cmd_data", Value::Array(vec![names[y as usize].into()]))]),
                8 => {
                    if let Some(m) = h.cmd("info", &[("name", n.into())]).u64("minor") {
                        if h.core.open(m as u32, OpenKind::Char).is_ok() { open.push(m as u32); }
                    }
                    continue;
                }
                9 => {
                    if let Some(m) = open.pop() { let _ = h.core.close(m, OpenKind::Char); }
                    continue;
                }
                10 => h.cmd("remove_all", &[]),
                _ => h.reload(n, vec![line(0, 8, "bogus", "")]),
            };
            // Every failure is a real errno, never a panic.
            if let Err(e) = r.rv { prop_assert!(e != Errno::EFAULT); }
            // Suspended devices would defer I/O forever in this model.
            let _ = h.named("resume", n);
            // Books: names, minors and info agree.
            let list = h.cmd("names", &[]).ok();
            for e in list.cmd_data() {
                let d = e.as_dict().unwrap();
                let info = h.cmd("info", &[("name", d["name"].clone())]).ok();
                prop_assert_eq!(info.u64("minor"), d["dev"].as_u64());
            }
            prop_assert_eq!(h.core.device_count(), list.cmd_data().len());
        }
        for m in open.drain(..) { let _ = h.core.close(m, OpenKind::Char); }
        h.cmd("remove_all", &[]).ok();
        // Nothing left open on any component.
        for d in &disks {
            let disk = mock::disk(d).unwrap();
            prop_assert_eq!((disk.opens_rw, disk.opens_ro), (0, 0));
        }
        prop_assert_eq!(h.core.open_components(), 0);
    }
}
