//! A request's job and the nested buf inside it come from a cache, set
//! up once, and serve the next request on the same thread. What a failed
//! request leaves in them must not fail the next one: the host disk sets
//! b_error only when a transfer fails, as a kernel disk driver does, so a
//! stale error would show here.

mod common;

use common::{pattern, read_at, InProcess, EIO};
use dm_hostd::host;

/// Where the device starts on its component, in sectors.
const OFFSET: u64 = 64;
const DEVICE_BYTES: u64 = 1 << 20;

#[test]
fn a_failed_component_request_leaves_nothing_for_the_next() {
    let d = InProcess::linear("reuse", "wd3a", DEVICE_BYTES, OFFSET);
    let minor = d.minor;

    // The component shrinks under the table: its second half now reads
    // as the end of the file, which the host disk fails with EIO.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&d.comp)
        .unwrap()
        .set_len(OFFSET * 512 + DEVICE_BYTES / 2)
        .unwrap();
    let mut buf = vec![0u8; 4096];
    for _ in 0..3 {
        assert_eq!(
            host::rw(minor, false, DEVICE_BYTES * 3 / 4, &mut buf),
            Err(EIO),
            "a read past the component's new end"
        );
        // The same thread's next requests get the job just given back.
        let data = pattern(4096, 3);
        host::rw(minor, true, 8192, &mut data.clone()).expect("a write after a failed read");
        host::rw(minor, false, 8192, &mut buf).expect("a read after a failed read");
        assert_eq!(buf, data);
        assert_eq!(read_at(&d.comp, OFFSET * 512 + 8192, 4096), data);
    }
    d.remove();
}
