//! Runs host mode's lock program (tests/c/t_locks.c). A lost wake-up
//! would hang it: the run is bounded, and a hang fails the test.

use std::ffi::c_int;
use std::sync::mpsc;
use std::time::Duration;

use dm_hostd as _;

extern "C" {
    fn t_locks_run() -> c_int;
}

#[test]
fn mutexes_and_condvars_under_contention() {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // SAFETY: the program uses only its own locks and threads.
        let _ = tx.send(unsafe { t_locks_run() });
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(failures) => assert_eq!(failures, 0, "t_locks.c checks failed (see stderr)"),
        Err(_) => panic!("t_locks.c did not finish in 120 s: a sleeper was never woken"),
    }
}
