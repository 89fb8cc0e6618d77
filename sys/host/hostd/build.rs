//! Builds the dm glue (sys/dev/dm/*.c) against host mode's kernel
//! interfaces (sys/host), with warnings as errors, as one static library.

use std::path::{Path, PathBuf};

fn c_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "c"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn main() {
    let here = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let host = here.join("..");
    let glue = here.join("../../dev/dm");
    let prop = here.join("../../../lib/libprop/include");
    let mut b = cc::Build::new();
    // The tests' C programs ride along; the daemon never references them,
    // so the linker leaves them out of the binary.
    let tests = here.join("tests/c");
    for f in c_files(&glue)
        .into_iter()
        .chain(c_files(&host.join("src")))
        .chain(c_files(&tests))
    {
        println!("cargo:rerun-if-changed={}", f.display());
        b.file(f);
    }
    // Directories too (cargo scans them whole): a header changed or a
    // file added rebuilds the library.
    for d in [
        host.join("include"),
        host.join("include/sys"),
        host.join("src"),
        glue.clone(),
        tests.clone(),
    ] {
        println!("cargo:rerun-if-changed={}", d.display());
    }
    b.include(host.join("include"))
        .include(&prop)
        .include(&glue)
        .define("_MODULE", None)
        .std("gnu11")
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true);
    // DM_SANITIZE=1: the C under AddressSanitizer and UBSan (build.sh
    // test runs the seed scenario that way).
    println!("cargo:rerun-if-env-changed=DM_SANITIZE");
    if std::env::var_os("DM_SANITIZE").is_some() {
        b.flag("-fsanitize=address,undefined")
            .flag("-fno-sanitize-recover=undefined")
            .flag("-fno-omit-frame-pointer");
        // rustc links with -nodefaultlibs: name the runtimes.
        println!("cargo:rustc-link-lib=dylib=asan");
        println!("cargo:rustc-link-lib=dylib=ubsan");
    }
    b.compile("dmglue");
}
