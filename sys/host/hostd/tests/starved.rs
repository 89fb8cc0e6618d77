//! Memory pressure on the I/O path: allocations that may not sleep fail,
//! and the driver holds the request back and retries it, rather than
//! sleeping (swap may live on dm) or failing it.

mod common;

use common::{line, pattern, setup_in_process, InProcess};
use dm_hostd::host;

#[test]
fn requests_wait_for_memory_and_complete() {
    let d = InProcess::linear("starved", "wst", 1 << 20, 2);
    // A striped device too: its requests take more pieces than inline.
    let striped = setup_in_process(
        "starved-s",
        vec![line(
            0,
            512,
            "striped",
            "4 8 /dev/wst 1000 /dev/wst 1200 /dev/wst 1400 /dev/wst 1600",
        )],
    );
    host::open(striped, true).unwrap();

    for (minor, seed) in [(d.minor, 1), (striped, 2)] {
        let data = pattern(64 << 10, seed);
        let mut buf = data.clone();
        // The job, the pieces, the mapping's actions: each fails in turn.
        host::fail_nowait(6);
        host::rw(minor, true, 0, &mut buf).unwrap();
        assert_eq!(host::fail_nowait(6), 0, "every failure hit the write");
        let mut back = vec![0u8; data.len()];
        host::rw(minor, false, 0, &mut back).unwrap();
        assert_eq!(host::fail_nowait(0), 0, "every failure hit the read");
        assert_eq!(back, data, "minor {minor}: read back what was written");
    }
    let comp = std::fs::read(&d.comp).unwrap();
    // Stripe 0 of the striped device: its first 8 sectors at 1000.
    assert_eq!(
        &comp[1000 * 512..1008 * 512],
        &pattern(64 << 10, 2)[..8 * 512]
    );
    assert_eq!(
        &comp[2 * 512..2 * 512 + 4096],
        &pattern(64 << 10, 1)[..4096]
    );

    host::close(striped, true).unwrap();
    let req = dm_hostd::devices::request("remove", &[("name", "starved-s".into())]);
    assert_eq!(host::control(&req).0, 0);
    d.remove();
}
