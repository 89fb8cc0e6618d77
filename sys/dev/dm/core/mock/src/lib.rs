//! dm-kmock: dm-core's kernel interface (dmk_*) in plain Rust for tests and benchmarks: mutexes
//! and condvars over std, a settable clock, and in-memory components
//! registered by path. The disk(9) hooks are recorded per thread, so
//! tests running side by side see only their own.

#![allow(clippy::missing_safety_doc)]

use dm_core::kapi::DmkCompInfo;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::{c_char, c_void, CStr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

struct RawMutex {
    locked: Mutex<bool>,
    cv: Condvar,
}

struct RawCv {
    gen: Mutex<u64>,
    cv: Condvar,
}

fn relock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[no_mangle]
pub extern "C" fn dmk_mutex_create(_spin: bool) -> *mut c_void {
    Box::into_raw(Box::new(RawMutex {
        locked: Mutex::new(false),
        cv: Condvar::new(),
    }))
    .cast()
}

#[no_mangle]
pub unsafe extern "C" fn dmk_mutex_destroy(m: *mut c_void) {
    drop(Box::from_raw(m.cast::<RawMutex>()));
}

#[no_mangle]
pub unsafe extern "C" fn dmk_mutex_enter(m: *mut c_void) {
    let m = &*m.cast::<RawMutex>();
    let mut g = relock(&m.locked);
    while *g {
        g = m.cv.wait(g).unwrap_or_else(|e| e.into_inner());
    }
    *g = true;
}

#[no_mangle]
pub unsafe extern "C" fn dmk_mutex_exit(m: *mut c_void) {
    let m = &*m.cast::<RawMutex>();
    *relock(&m.locked) = false;
    m.cv.notify_one();
}

thread_local! {
    /// How many of this thread's next no-sleep allocations fail (as under
    /// memory pressure).
    static NOSLEEP_FAILS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

pub fn fail_nosleep(n: u64) {
    NOSLEEP_FAILS.with(|f| f.set(n));
}

#[no_mangle]
pub extern "C" fn dmk_alloc_nosleep(size: usize, align: usize) -> *mut u8 {
    if NOSLEEP_FAILS.with(|f| f.replace(f.get().saturating_sub(1))) > 0 {
        return std::ptr::null_mut();
    }
    match std::alloc::Layout::from_size_align(size, align) {
        // SAFETY: size is not zero (the caller asks for none).
        Ok(l) if size > 0 => unsafe { std::alloc::alloc(l) },
        _ => std::ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn dmk_free(p: *mut u8, size: usize, align: usize) {
    if let Ok(l) = std::alloc::Layout::from_size_align(size, align) {
        std::alloc::dealloc(p, l);
    }
}

/// Readers (count) or a writer (-1).
struct RawRw {
    state: Mutex<i64>,
    cv: Condvar,
}

#[no_mangle]
pub extern "C" fn dmk_rw_create() -> *mut c_void {
    Box::into_raw(Box::new(RawRw {
        state: Mutex::new(0),
        cv: Condvar::new(),
    }))
    .cast()
}

#[no_mangle]
pub unsafe extern "C" fn dmk_rw_destroy(rw: *mut c_void) {
    drop(Box::from_raw(rw.cast::<RawRw>()));
}

#[no_mangle]
pub unsafe extern "C" fn dmk_rw_enter(rw: *mut c_void, write: bool) {
    let rw = &*rw.cast::<RawRw>();
    let mut g = relock(&rw.state);
    while *g < 0 || (write && *g > 0) {
        g = rw.cv.wait(g).unwrap_or_else(|e| e.into_inner());
    }
    *g = if write { -1 } else { *g + 1 };
}

#[no_mangle]
pub unsafe extern "C" fn dmk_rw_exit(rw: *mut c_void) {
    let rw = &*rw.cast::<RawRw>();
    let mut g = relock(&rw.state);
    *g = if *g < 0 { 0 } else { *g - 1 };
    rw.cv.notify_all();
}

#[no_mangle]
pub extern "C" fn dmk_cv_create() -> *mut c_void {
    Box::into_raw(Box::new(RawCv {
        gen: Mutex::new(0),
        cv: Condvar::new(),
    }))
    .cast()
}

#[no_mangle]
pub unsafe extern "C" fn dmk_cv_destroy(cv: *mut c_void) {
    drop(Box::from_raw(cv.cast::<RawCv>()));
}

thread_local! {
    /// A signal to this thread, as the kernel delivers one to an lwp.
    static INTERRUPT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Makes the calling thread's interruptible sleeps end with EINTR until
/// cleared.
pub fn set_interrupt(on: bool) {
    INTERRUPT.with(|i| i.set(on));
}

unsafe fn cv_wait_common(cv: *mut c_void, m: *mut c_void, sig: bool) -> i32 {
    let c = &*cv.cast::<RawCv>();
    let mut g = relock(&c.gen);
    let start = *g;
    dmk_mutex_exit(m);
    let mut rv = 0;
    while *g == start {
        if sig && INTERRUPT.with(|i| i.get()) {
            rv = 4;
            break;
        }
        let (ng, _) =
            c.cv.wait_timeout(g, Duration::from_millis(5))
                .unwrap_or_else(|e| e.into_inner());
        g = ng;
    }
    drop(g);
    dmk_mutex_enter(m);
    rv
}

#[no_mangle]
pub unsafe extern "C" fn dmk_cv_wait(cv: *mut c_void, m: *mut c_void) {
    cv_wait_common(cv, m, false);
}

#[no_mangle]
pub unsafe extern "C" fn dmk_cv_wait_sig(cv: *mut c_void, m: *mut c_void) -> i32 {
    cv_wait_common(cv, m, true)
}

#[no_mangle]
pub unsafe extern "C" fn dmk_cv_broadcast(cv: *mut c_void) {
    let c = &*cv.cast::<RawCv>();
    *relock(&c.gen) += 1;
    c.cv.notify_all();
}

static CLOCK_OFFSET: AtomicU64 = AtomicU64::new(0);

fn epoch() -> Instant {
    static E: OnceLock<Instant> = OnceLock::new();
    *E.get_or_init(Instant::now)
}

/// Moves the clock forward (flakey's up/down cycle in tests).
pub fn advance_ms(ms: u64) {
    CLOCK_OFFSET.fetch_add(ms, Ordering::SeqCst);
}

#[no_mangle]
pub extern "C" fn dmk_uptime_ms() -> u64 {
    let real = u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX);
    real.saturating_add(CLOCK_OFFSET.load(Ordering::SeqCst))
}

std::thread_local! {
    static EVENTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn record(e: String) {
    EVENTS.with(|v| v.borrow_mut().push(e));
}

/// The log lines and disk(9) hook calls made on this thread so far,
/// emptied by the call.
pub fn take_events() -> Vec<String> {
    EVENTS.with(|v| std::mem::take(&mut *v.borrow_mut()))
}

#[no_mangle]
pub unsafe extern "C" fn dmk_log(msg: *const c_char, len: usize) {
    let b = std::slice::from_raw_parts(msg.cast::<u8>(), len);
    record(format!("log {}", String::from_utf8_lossy(b)));
}

/// One in-memory component.
#[derive(Clone, Debug, Default)]
pub struct Disk {
    pub sectors: u64,
    pub secsize: u32,
    pub dev: u64,
    pub dm_minor: u32,
    /// When set, opening fails with this errno.
    pub fail: Option<i32>,
    pub opens_rw: u32,
    pub opens_ro: u32,
}

fn disks() -> &'static Mutex<BTreeMap<Vec<u8>, Disk>> {
    static D: OnceLock<Mutex<BTreeMap<Vec<u8>, Disk>>> = OnceLock::new();
    D.get_or_init(|| Mutex::new(BTreeMap::new()))
}

static NEXT_DEV: AtomicU64 = AtomicU64::new(0x0400);

/// Registers a component at `path` of `sectors` 512-byte sectors with a
/// fresh dev_t, which it returns.
pub fn add_disk(path: &str, sectors: u64) -> u64 {
    let dev = NEXT_DEV.fetch_add(1, Ordering::SeqCst);
    add_disk_with(
        path,
        Disk {
            sectors,
            secsize: 512,
            dev,
            ..Disk::default()
        },
    );
    dev
}

pub fn add_disk_with(path: &str, d: Disk) {
    relock(disks()).insert(path.as_bytes().to_vec(), d);
}

pub fn disk(path: &str) -> Option<Disk> {
    relock(disks()).get(path.as_bytes()).cloned()
}

pub fn remove_disk(path: &str) {
    relock(disks()).remove(path.as_bytes());
}

struct Handle {
    path: Vec<u8>,
}

#[no_mangle]
pub unsafe extern "C" fn dmk_comp_open(
    path: *const c_char,
    writable: bool,
    info: *mut DmkCompInfo,
    handle: *mut *mut c_void,
) -> i32 {
    let p = CStr::from_ptr(path).to_bytes().to_vec();
    let mut all = relock(disks());
    let Some(d) = all.get_mut(&p) else {
        return 2;
    };
    if let Some(e) = d.fail {
        return e;
    }
    if writable {
        d.opens_rw += 1;
    } else {
        d.opens_ro += 1;
    }
    *info = DmkCompInfo {
        dev: d.dev,
        sectors: d.sectors,
        secsize: d.secsize,
        dm_minor: d.dm_minor,
    };
    *handle = Box::into_raw(Box::new(Handle { path: p })).cast();
    0
}

#[no_mangle]
pub unsafe extern "C" fn dmk_comp_close(handle: *mut c_void, writable: bool) {
    let h = Box::from_raw(handle.cast::<Handle>());
    if let Some(d) = relock(disks()).get_mut(&h.path) {
        if writable {
            d.opens_rw = d.opens_rw.saturating_sub(1);
        } else {
            d.opens_ro = d.opens_ro.saturating_sub(1);
        }
    }
}

/// The path a component handle was opened from.
///
/// # Safety
/// `handle` came from `dmk_comp_open` and is still open.
pub unsafe fn handle_path(handle: *mut c_void) -> String {
    String::from_utf8_lossy(&(*handle.cast::<Handle>()).path).into_owned()
}

std::thread_local! {
    /// The device handle each attached dm disk holds, by minor.
    static HANDLES: RefCell<BTreeMap<u32, usize>> = const { RefCell::new(BTreeMap::new()) };
}

/// The handle `dmk_disk_attach` was given for dm disk `minor` on this
/// thread, while it is attached: what the glue passes to `dm_core_map`.
pub fn disk_handle(minor: u32) -> Option<*const c_void> {
    HANDLES.with(|h| h.borrow().get(&minor).map(|&p| p as *const c_void))
}

#[no_mangle]
pub unsafe extern "C" fn dmk_disk_attach(
    minor: u32,
    name: *const c_char,
    dev: *const c_void,
) -> i32 {
    record(format!(
        "attach {minor} {}",
        CStr::from_ptr(name).to_string_lossy()
    ));
    HANDLES.with(|h| h.borrow_mut().insert(minor, dev as usize));
    0
}

#[no_mangle]
pub extern "C" fn dmk_disk_detach(minor: u32) {
    record(format!("detach {minor}"));
    HANDLES.with(|h| h.borrow_mut().remove(&minor));
}

#[no_mangle]
pub unsafe extern "C" fn dmk_disk_rename(minor: u32, name: *const c_char) {
    record(format!(
        "rename {minor} {}",
        CStr::from_ptr(name).to_string_lossy()
    ));
}

#[no_mangle]
pub extern "C" fn dmk_disk_resize(minor: u32, sectors: u64, secsize: u32) {
    record(format!("resize {minor} {sectors} {secsize}"));
}

#[no_mangle]
pub extern "C" fn dmk_disk_regeometry(minor: u32) {
    record(format!("regeometry {minor}"));
}

#[no_mangle]
pub extern "C" fn dmk_device_resumed(minor: u32) {
    record(format!("resumed {minor}"));
}
