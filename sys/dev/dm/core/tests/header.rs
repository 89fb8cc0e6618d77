//! sys/dev/dm/dm_core.h must be what cbindgen makes of the crate now.
//! `./build.sh header` (DM_UPDATE_HEADER=1) rewrites it.

use std::path::PathBuf;

#[test]
fn committed_header_is_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut fresh = Vec::new();
    cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
        .expect("cbindgen")
        .write(&mut fresh);
    let path = dir.join("../dm_core.h");
    if std::env::var_os("DM_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &fresh).expect("write dm_core.h");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "sys/dev/dm/dm_core.h is stale: run ./build.sh header and commit it"
    );
}
