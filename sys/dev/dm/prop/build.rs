//! Generates the proplib bindings. With NETBSDSRCDIR set, from NetBSD's own
//! kernel headers (a kernel build), through the glue's dm_prop_compat.h for
//! trees older than proplib's 2020 names; otherwise from lib/libprop's
//! header, which declares the same functions for host mode.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default());
    println!("cargo:rerun-if-env-changed=NETBSDSRCDIR");

    let mut b = bindgen::Builder::default()
        .use_core()
        .ctypes_prefix("core::ffi")
        .layout_tests(false)
        .generate_comments(false)
        .allowlist_function("prop_.*")
        .allowlist_type("prop_.*")
        .default_enum_style(bindgen::EnumVariation::Consts)
        .clang_arg(format!("--target={}-unknown-netbsd", target_arch()))
        .clang_arg("-ffreestanding");

    match env::var("NETBSDSRCDIR") {
        Ok(src) => {
            b = b
                // proplib, and its 2020 names where the tree's predates
                // them (the glue defines them then).
                .header_contents("dm_prop.h", "#include \"dm_prop_compat.h\"\n")
                .clang_arg(format!("-I{}", manifest.join("..").display()))
                .clang_arg("-nostdinc")
                .clang_arg("-D_KERNEL")
                .clang_arg(format!("-I{}", machine_links(&src, &out).display()))
                .clang_arg(format!("-I{src}/sys"))
                .clang_arg(format!("-I{src}/sys/arch"))
                .clang_arg(format!("-I{src}/common/include"));
        }
        Err(_) => {
            let inc = manifest.join("../../../../lib/libprop/include");
            let header = inc.join("prop/proplib.h");
            println!("cargo:rerun-if-changed={}", header.display());
            b = b
                .header(header.to_string_lossy())
                .clang_arg(format!("-I{}", inc.display()));
        }
    }

    match b.generate() {
        Ok(bindings) => {
            if let Err(e) = bindings.write_to_file(out.join("bindings.rs")) {
                panic!("writing proplib bindings: {e}");
            }
        }
        Err(e) => panic!("bindgen could not read the proplib header: {e}"),
    }
}

fn target_arch() -> String {
    env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_else(|_| "x86_64".into())
}

/// The links a NetBSD kernel build makes in its object directory and its
/// headers include through (`<machine/types.h>`, `<x86/...>`): made in
/// OUT_DIR, to the tree's architecture headers for the target.  Other
/// architecture headers (`<arm/pic/picvar.h>`) come from `sys/arch`.
fn machine_links(src: &str, out: &Path) -> PathBuf {
    let links: &[(&str, &str)] = match target_arch().as_str() {
        "aarch64" => &[
            ("machine", "aarch64"),
            ("aarch64", "aarch64"),
            ("arm", "arm"),
        ],
        _ => &[("machine", "amd64"), ("x86", "x86")],
    };
    let dir = out.join("netbsd-include");
    if let Err(e) = fs::create_dir_all(&dir) {
        panic!("creating {}: {e}", dir.display());
    }
    for (name, arch) in links {
        let to = PathBuf::from(format!("{src}/sys/arch/{arch}/include"));
        let link = dir.join(name);
        let _ = fs::remove_file(&link);
        if to.is_dir() {
            if let Err(e) = std::os::unix::fs::symlink(&to, &link) {
                panic!("linking {} to {}: {e}", link.display(), to.display());
            }
        }
    }
    dir
}
