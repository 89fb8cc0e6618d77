//! Runs the disk-ioctl program (tests/c/t_diskio.c) against the glue.

use std::ffi::{c_char, c_int, CString};

// The glue, host mode and the C program come with the daemon's library.
use dm_hostd as _;

extern "C" {
    fn t_diskio_run(component: *const c_char) -> c_int;
}

#[test]
fn disk_ioctls_and_labels() {
    let dir = std::env::temp_dir().join(format!("dm-diskio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let comp = dir.join("tdisk.img");
    std::fs::File::create(&comp)
        .unwrap()
        .set_len(8 << 20)
        .unwrap();
    let c = CString::new(comp.to_str().unwrap()).unwrap();
    // SAFETY: c is NUL-terminated; the program touches only host mode.
    let failures = unsafe { t_diskio_run(c.as_ptr()) };
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(failures, 0, "t_diskio.c checks failed (see stderr)");
}
