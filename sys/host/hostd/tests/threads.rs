//! Several threads doing I/O on one dm device at once, in this process,
//! as a kernel's CPUs would: the disk lookup takes no lock, dm-core maps
//! each request on its own, and the disk statistics are serialised (host
//! mode panics on overlapping updates). Every thread's data lands on the
//! component at its mapped place and reads back.

mod common;

use common::{pattern, read_at, InProcess};
use dm_hostd::host;

const THREADS: u64 = 4;
const BLOCKS: u64 = 64; // 4 KiB blocks per thread
const ROUNDS: u64 = 2000;
/// Where the device starts on its component, in sectors.
const OFFSET: u64 = 64;

#[test]
fn threads_on_one_device_keep_their_data() {
    let d = InProcess::linear("mt", "wd2a", THREADS * BLOCKS * 4096, OFFSET);
    let minor = d.minor;
    std::thread::scope(|s| {
        for t in 0..THREADS {
            s.spawn(move || {
                let region = t * BLOCKS * 4096;
                let mut back = vec![0u8; 4096];
                for round in 0..ROUNDS {
                    let b = round % BLOCKS;
                    let mut data = pattern(4096, (t * ROUNDS + round) as u32);
                    let off = region + b * 4096;
                    host::rw(minor, true, off, &mut data).unwrap();
                    host::rw(minor, false, off, &mut back).unwrap();
                    assert_eq!(back, data, "thread {t} round {round}");
                }
            });
        }
    });
    // The last round of each block, at the component's mapped place.
    for t in 0..THREADS {
        for b in 0..BLOCKS {
            let round = (ROUNDS - 1) - ((ROUNDS - 1 - b) % BLOCKS);
            let want = pattern(4096, (t * ROUNDS + round) as u32);
            let at = OFFSET * 512 + (t * BLOCKS + b) * 4096;
            assert_eq!(read_at(&d.comp, at, 4096), want, "thread {t} block {b}");
        }
    }
    d.remove();
}
