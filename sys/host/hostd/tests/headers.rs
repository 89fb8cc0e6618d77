//! Host mode's headers are NetBSD's, one for one: a glue file that
//! forgets an include NetBSD needs fails to compile in host mode too.
//! Each case drops one include line from a glue file, compiles the rest
//! with build.rs's flags, and expects the error NetBSD's kernel build
//! gave (NETBSD-REAL.md §1.3); the file as it is must compile.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

fn dir(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Compiles glue file `file` without the line `#include <drop>` (none
/// dropped when `drop` is empty); returns the compiler's verdict and its
/// diagnostics.
fn compile(file: &str, drop: &str) -> (bool, String) {
    let glue = dir("../../dev/dm");
    let text = std::fs::read_to_string(glue.join(file)).unwrap();
    let line = format!("#include <{drop}>");
    let mut dropped = 0;
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            let hit = !drop.is_empty() && l.trim() == line;
            dropped += usize::from(hit);
            !hit
        })
        .collect();
    if !drop.is_empty() {
        assert_eq!(dropped, 1, "{file} has no line {line}");
    }
    // The cases run in parallel, and several compile the same file as it
    // is: each compile has a file of its own.
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let tmp = std::env::temp_dir().join(format!(
        "dm-headers-{}-{}-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed),
        drop.replace('/', "_"),
        file
    ));
    std::fs::write(&tmp, kept.join("\n") + "\n").unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(cc)
        .args(["-fsyntax-only", "-std=gnu11", "-Wall", "-Wextra", "-Werror"])
        .arg("-D_MODULE")
        .arg("-I")
        .arg(dir("../include"))
        .arg("-I")
        .arg(dir("../../../lib/libprop/include"))
        .arg("-I")
        .arg(&glue)
        .arg(&tmp)
        .output()
        .expect("run the C compiler");
    let _ = std::fs::remove_file(&tmp);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Without `drop`, `file` must fail to compile, naming `symbol`.
fn needs(file: &str, drop: &str, symbol: &str) {
    let (ok, diag) = compile(file, "");
    assert!(ok, "{file} does not compile in host mode:\n{diag}");
    let (ok, diag) = compile(file, drop);
    assert!(
        !ok,
        "{file} compiles in host mode without <{drop}>; NetBSD's does not"
    );
    assert!(
        diag.contains(symbol),
        "{file} without <{drop}>: the error does not name {symbol}:\n{diag}"
    );
}

#[test]
fn v_rdev_needs_specdev_h() {
    needs("dm_io.c", "miscfs/specfs/specdev.h", "v_rdev");
    needs("dm_kapi.c", "miscfs/specfs/specdev.h", "v_rdev");
}

#[test]
fn hz_needs_kernel_h() {
    needs("dm_io.c", "sys/kernel.h", "hz");
}

#[test]
fn fread_fwrite_need_fcntl_h() {
    needs("dm_io.c", "sys/fcntl.h", "FWRITE");
    needs("dm_kapi.c", "sys/fcntl.h", "FREAD");
    needs("dm_label.c", "sys/fcntl.h", "FWRITE");
}

#[test]
fn bbsize_sblocksize_need_fs_h() {
    needs("dm_label.c", "ufs/ffs/fs.h", "BBSIZE");
    needs("dm_label.c", "ufs/ffs/fs.h", "SBLOCKSIZE");
}

/// The emulation's own header stays out of the glue's reach: no header
/// standing for a NetBSD one includes it, and no glue file does.
#[test]
fn host_internals_out_of_reach() {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "h" || x == "c") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    for sub in ["sys", "miscfs", "ufs", "machine", "lib", "prop"] {
        walk(&dir("../include").join(sub), &mut files);
    }
    // The glue: the C files and headers of sys/dev/dm itself.
    for e in std::fs::read_dir(dir("../../dev/dm")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "h" || x == "c") {
            files.push(p);
        }
    }
    assert!(!dir("../include/host_kernel.h").exists());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for h in ["host_internal.h", "host_api.h", "host_kernel.h"] {
            assert!(
                !text.contains(&format!("#include <{h}>")),
                "{} includes <{h}>",
                f.display()
            );
        }
    }
}
