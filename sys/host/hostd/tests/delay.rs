//! The delay target waits at least its delay on NetBSD's clock: there a
//! callout runs at the n-th clock tick from now, up to a tick early, and
//! mstohz() rounds down, so a delay shorter than two ticks could pass in
//! next to no time.

mod common;

use common::{setup_in_process, InProcess};
use dm_hostd::host;
use std::time::{Duration, Instant};

#[test]
fn every_request_waits_its_delay() {
    let d = InProcess::linear("dly-base", "wdl", 1 << 20, 2);
    let mut buf = vec![0u8; 4096];
    for ms in [1u64, 15, 25] {
        let name = format!("dly{ms}");
        let line = common::line(0, 2048, "delay", &format!("/dev/wdl 2 {ms}"));
        let minor = setup_in_process(&name, vec![line]);
        host::open(minor, true).unwrap();
        for i in 0..8 {
            let t = Instant::now();
            host::rw(minor, i % 2 == 0, 0, &mut buf).unwrap();
            let took = t.elapsed();
            assert!(
                took >= Duration::from_millis(ms),
                "delay {ms} ms: request {i} took {took:?}"
            );
        }
        host::close(minor, true).unwrap();
        let req = dm_hostd::devices::request("remove", &[("name", name.as_str().into())]);
        assert_eq!(host::control(&req).0, 0);
    }
    d.remove();
}
