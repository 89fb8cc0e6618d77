fn main() {
    println!("cargo:rerun-if-changed=c/prop_ctest.c");
    println!("cargo:rerun-if-changed=../include/prop/proplib.h");
    cc::Build::new()
        .file("c/prop_ctest.c")
        .include("../include")
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        .std("c11")
        .compile("prop_ctest");
}
