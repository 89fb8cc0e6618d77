//! Host mode stops a driver where NetBSD's kernel (DIAGNOSTIC) would
//! panic: each case of tests/c/t_rules.c is a wrong driver fragment, run
//! in a child process that must die with the kernel's panic message.

use std::ffi::{c_char, c_int, CString};
use std::process::Command;

// The glue, host mode and the C program come with the daemon's library.
use dm_hostd as _;

extern "C" {
    fn t_rules_case(name: *const c_char, component: *const c_char) -> c_int;
    fn t_rules_spec() -> c_int;
}

const CASE_ENV: &str = "DM_T_RULES_CASE";

/// The child's side: runs the case named in the environment, if any.
#[test]
fn child() {
    let Ok(name) = std::env::var(CASE_ENV) else {
        return;
    };
    let comp = std::env::temp_dir().join(format!("dm-rules-{}.img", std::process::id()));
    std::fs::write(&comp, vec![0u8; 64 << 10]).unwrap();
    let n = CString::new(name).unwrap();
    let c = CString::new(comp.to_str().unwrap()).unwrap();
    // SAFETY: both strings are NUL-terminated; the case touches only
    // host mode (and aborts there when host mode is right).
    let rv = unsafe { t_rules_case(n.as_ptr(), c.as_ptr()) };
    let _ = std::fs::remove_file(&comp);
    std::process::exit(10 + rv);
}

/// Runs `case` in a child; it must abort with `panic` in its message.
fn panics(case: &str, panic: &str) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CASE_ENV, case)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && out.status.code().is_none(),
        "{case}: host mode let it pass ({:?}); stderr: {err}",
        out.status
    );
    assert!(
        err.contains(&format!("panic: {panic}")) || err.contains(panic),
        "{case}: expected a panic with {panic:?}; stderr: {err}"
    );
}

#[test]
fn an_async_buf_whose_hook_is_not_set_again() {
    // vfs_bio.c biodone2 clears b_iodone; the buf would go to brelse().
    panics("iodone_not_rearmed", "without b_iodone would be brelse()d");
}

#[test]
fn a_buf_completed_twice() {
    panics("biodone_twice", "biodone2 already");
}

#[test]
fn memory_freed_in_completion() {
    panics(
        "kmem_in_softint",
        "\"!cpu_intr_p() && !cpu_softintr_p()\" failed",
    );
}

#[test]
fn a_sleeping_pool_get_in_completion() {
    panics("pool_wait_in_softint", "sleeping in soft interrupt context");
}

#[test]
fn a_condvar_wait_in_completion() {
    panics("cv_wait_in_softint", "sleeping in soft interrupt context");
}

#[test]
fn a_sleeping_allocation_under_a_spin_mutex() {
    panics(
        "kmem_sleep_spin_held",
        "sleeping with 1 spin mutex(es) held",
    );
}

#[test]
fn an_adaptive_mutex_under_a_spin_mutex() {
    panics("adaptive_under_spin", "with a spin mutex held");
}

#[test]
fn a_mutex_taken_twice_by_its_holder() {
    // As a command holding dm-core's lock that reaches the lock again
    // through a component's disk ioctls.
    panics("mutex_recursion", "locking against myself");
}

#[test]
fn assertions_are_live() {
    panics(
        "kassert",
        "kernel diagnostic assertion \"zero == 1\" failed",
    );
}

#[test]
fn a_callout_destroyed_while_it_runs() {
    panics(
        "callout_destroy_running",
        "\"c->c_cpu->cc_lwp == curlwp || c->c_cpu->cc_active != c\" failed",
    );
}

#[test]
fn a_pending_callout_destroyed() {
    panics(
        "callout_destroy_pending",
        "callout_destroy: pending callout",
    );
}

#[test]
fn a_callout_of_negative_ticks() {
    // kern_timeout.c: KASSERT(to_ticks >= 0).
    panics("callout_negative", "\"ticks >= 0\" failed");
}

#[test]
fn a_sleep_in_a_callout() {
    panics("sleep_in_callout", "sleeping in soft interrupt context");
}

#[test]
fn a_reply_mapped_by_a_failing_ioctl() {
    panics("reply_on_error", "sys_ioctl() drops what was copied out");
}

#[test]
fn d_close_runs_on_the_last_close_only() {
    // SAFETY: no arguments; the program touches only host mode.
    assert_eq!(unsafe { t_rules_spec() }, 0, "t_rules.c checks failed");
}
