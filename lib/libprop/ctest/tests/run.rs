//! Runs the C program as part of `cargo test`.

#[test]
fn c_abi_program_passes() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_proplib-ctest"))
        .status()
        .expect("run proplib-ctest");
    assert!(status.success());
}
