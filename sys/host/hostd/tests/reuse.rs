//! A request's job and the nested buf inside it come from a cache, set
//! up once, and serve the next request on the same thread. What a failed
//! request leaves in them must not fail the next one: the host disk sets
//! b_error only when a transfer fails, as a kernel disk driver does, so a
//! stale error would show here.

mod common;

use common::{line, pattern, read_at, setup_in_process, EIO};
use dm_hostd::{devices, host};

/// Where the device starts on its component, in sectors.
const OFFSET: u64 = 64;
const DEVICE_BYTES: u64 = 1 << 20;

#[test]
fn a_failed_component_request_leaves_nothing_for_the_next() {
    let dir = std::env::temp_dir().join(format!("dm-reuse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let comp = dir.join("wd3a.img");
    let f = std::fs::File::create(&comp).unwrap();
    f.set_len(OFFSET * 512 + DEVICE_BYTES).unwrap();
    host::map_disk("/dev/wd3a", comp.to_str().unwrap()).unwrap();
    host::init().unwrap();
    host::set_uid(0);
    let minor = setup_in_process(
        "re",
        vec![line(
            0,
            DEVICE_BYTES / 512,
            "linear",
            &format!("/dev/wd3a {OFFSET}"),
        )],
    );
    host::open(minor, true).unwrap();

    // The component shrinks under the table: its second half now reads
    // as the end of the file, which the host disk fails with EIO.
    f.set_len(OFFSET * 512 + DEVICE_BYTES / 2).unwrap();
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
        assert_eq!(read_at(&comp, OFFSET * 512 + 8192, 4096), data);
    }

    host::close(minor, true).unwrap();
    assert_eq!(
        host::control(&devices::request("remove", &[("name", "re".into())])).0,
        0
    );
    let _ = std::fs::remove_dir_all(&dir);
}
