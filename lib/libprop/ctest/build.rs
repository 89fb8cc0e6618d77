fn main() {
    println!("cargo:rerun-if-changed=c/prop_ctest.c");
    println!("cargo:rerun-if-changed=../include/prop/proplib.h");
    println!("cargo:rerun-if-env-changed=DM_SANITIZE");
    let mut b = cc::Build::new();
    if std::env::var_os("DM_SANITIZE").is_some() {
        b.flag("-fsanitize=address,undefined")
            .flag("-fno-sanitize-recover=undefined")
            .flag("-fno-omit-frame-pointer");
        // rustc links with -nodefaultlibs: name the runtimes.
        println!("cargo:rustc-link-lib=dylib=asan");
        println!("cargo:rustc-link-lib=dylib=ubsan");
    }
    b.file("c/prop_ctest.c")
        .include("../include")
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        .std("c11")
        .compile("prop_ctest");
}
