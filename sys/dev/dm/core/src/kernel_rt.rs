//! The kernel build's runtime: allocation through kmem(9) and panics
//! through panic(9), both reached via the glue.

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_char;

extern "C" {
    fn dmk_alloc(size: usize, align: usize) -> *mut u8;
    fn dmk_free(p: *mut u8, size: usize, align: usize);
    fn dmk_panic(msg: *const c_char, len: usize) -> !;
}

struct KernelAlloc;

// SAFETY: dmk_alloc returns NULL or `size` bytes aligned to `align`, and
// dmk_free takes back exactly what dmk_alloc gave.
unsafe impl GlobalAlloc for KernelAlloc {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        dmk_alloc(l.size(), l.align())
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        dmk_free(p, l.size(), l.align())
    }
}

#[global_allocator]
static ALLOC: KernelAlloc = KernelAlloc;

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    const MSG: &str = "dm-core: internal error";
    // SAFETY: MSG is valid for its length.
    unsafe { dmk_panic(MSG.as_ptr().cast(), MSG.len()) }
}
