//! Runs the C ABI test program; exits non-zero on any failed check.

use proplib as _;

extern "C" {
    fn prop_ctest_run() -> i32;
}

fn main() {
    // SAFETY: the C test takes no arguments and touches only proplib.
    let failures = unsafe { prop_ctest_run() };
    if failures != 0 {
        eprintln!("prop_ctest: {failures} check(s) failed");
        std::process::exit(1);
    }
    println!("prop_ctest: all checks passed");
}
