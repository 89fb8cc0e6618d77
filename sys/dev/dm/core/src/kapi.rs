//! The kernel interface dm-core calls: implemented by the C glue (over
//! kmutex, condvar, getmicrouptime, vn_open, disk(9)) in the kernel and in
//! host mode, and by the dm-kmock crate in tests. Everything here is a small safe type
//! over those calls; no other module declares an extern function.

use crate::device::Device;
use crate::errno::Errno;
use alloc::sync::Arc;
use core::cell::UnsafeCell;
use core::ffi::{c_char, c_void};
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

/// What opening a component tells about it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DmkCompInfo {
    /// The component's block dev_t, as `deps` reports it.
    pub dev: u64,
    /// Size in 512-byte sectors.
    pub sectors: u64,
    /// The component's own sector size in bytes.
    pub secsize: u32,
    /// Minor of the dm device this component is, or 0 when it is not one.
    pub dm_minor: u32,
}

extern "C" {
    fn dmk_alloc_nosleep(size: usize, align: usize) -> *mut u8;
    fn dmk_free(p: *mut u8, size: usize, align: usize);
    fn dmk_mutex_create(spin: bool) -> *mut c_void;
    fn dmk_mutex_destroy(m: *mut c_void);
    fn dmk_mutex_enter(m: *mut c_void);
    fn dmk_mutex_exit(m: *mut c_void);
    fn dmk_rw_create() -> *mut c_void;
    fn dmk_rw_destroy(rw: *mut c_void);
    fn dmk_rw_enter(rw: *mut c_void, write: bool);
    fn dmk_rw_exit(rw: *mut c_void);
    fn dmk_cv_create() -> *mut c_void;
    fn dmk_cv_destroy(cv: *mut c_void);
    fn dmk_cv_wait(cv: *mut c_void, m: *mut c_void);
    fn dmk_cv_wait_sig(cv: *mut c_void, m: *mut c_void) -> i32;
    fn dmk_cv_broadcast(cv: *mut c_void);
    fn dmk_uptime_ms() -> u64;
    fn dmk_log(msg: *const c_char, len: usize);
    fn dmk_comp_open(
        path: *const c_char,
        writable: bool,
        info: *mut DmkCompInfo,
        handle: *mut *mut c_void,
    ) -> i32;
    fn dmk_comp_close(handle: *mut c_void, writable: bool);
    // The glue only keeps the handle and hands it back: opaque to C.
    #[allow(improper_ctypes)]
    fn dmk_disk_attach(minor: u32, name: *const c_char, dev: *const Device) -> i32;
    fn dmk_disk_detach(minor: u32);
    fn dmk_disk_rename(minor: u32, name: *const c_char);
    fn dmk_disk_resize(minor: u32, sectors: u64, secsize: u32);
    fn dmk_disk_regeometry(minor: u32);
    fn dmk_device_resumed(minor: u32);
}

/// Room for `n` values of `T` from kmem(9) without sleeping, or None.
pub fn alloc_nosleep<T>(n: usize) -> Option<NonNull<T>> {
    let size = n.checked_mul(core::mem::size_of::<T>())?;
    if size == 0 {
        return None;
    }
    // SAFETY: no preconditions; NULL or size bytes aligned as asked.
    NonNull::new(unsafe { dmk_alloc_nosleep(size, core::mem::align_of::<T>()) }.cast())
}

/// Gives back what [`alloc_nosleep`] gave.
///
/// # Safety
/// `p` came from `alloc_nosleep::<T>(n)` and is not used afterwards.
pub unsafe fn free_nosleep<T>(p: NonNull<T>, n: usize) {
    dmk_free(
        p.as_ptr().cast(),
        n * core::mem::size_of::<T>(),
        core::mem::align_of::<T>(),
    )
}

/// A sleepable kernel mutex guarding a `T`.
pub struct KMutex<T> {
    raw: NonNull<c_void>,
    data: UnsafeCell<T>,
}

// SAFETY: access to data is serialized by the kernel mutex.
unsafe impl<T: Send> Send for KMutex<T> {}
unsafe impl<T: Send> Sync for KMutex<T> {}

impl<T> KMutex<T> {
    /// A mutex that may be held while sleeping (adaptive, IPL_NONE).
    pub fn new(data: T) -> Result<Self, Errno> {
        Self::create(data, false)
    }

    /// A mutex that may be taken from I/O completion (spin, IPL_BIO);
    /// never sleep holding it except in [`KCondvar::wait`].
    pub fn new_spin(data: T) -> Result<Self, Errno> {
        Self::create(data, true)
    }

    fn create(data: T, spin: bool) -> Result<Self, Errno> {
        // SAFETY: no preconditions.
        let raw = NonNull::new(unsafe { dmk_mutex_create(spin) }).ok_or(Errno::ENOMEM)?;
        Ok(KMutex {
            raw,
            data: UnsafeCell::new(data),
        })
    }

    pub fn lock(&self) -> KGuard<'_, T> {
        // SAFETY: raw is a live mutex.
        unsafe { dmk_mutex_enter(self.raw.as_ptr()) };
        KGuard { m: self }
    }
}

impl<T> Drop for KMutex<T> {
    fn drop(&mut self) {
        // SAFETY: nobody can hold the lock while we are being dropped.
        unsafe { dmk_mutex_destroy(self.raw.as_ptr()) };
    }
}

pub struct KGuard<'a, T> {
    m: &'a KMutex<T>,
}

impl<T> Deref for KGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the mutex.
        unsafe { &*self.m.data.get() }
    }
}

impl<T> DerefMut for KGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the mutex exclusively.
        unsafe { &mut *self.m.data.get() }
    }
}

impl<T> Drop for KGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: we hold the mutex.
        unsafe { dmk_mutex_exit(self.m.raw.as_ptr()) };
    }
}

/// A kernel reader/writer lock (rwlock(9)) guarding a `T`: readers
/// share it, and a waiting writer sleeps rather than spins.
pub struct KRwLock<T> {
    raw: NonNull<c_void>,
    data: UnsafeCell<T>,
}

// SAFETY: access to data is serialized by the kernel rwlock.
unsafe impl<T: Send> Send for KRwLock<T> {}
unsafe impl<T: Send + Sync> Sync for KRwLock<T> {}

impl<T> KRwLock<T> {
    pub fn new(data: T) -> Result<Self, Errno> {
        // SAFETY: no preconditions.
        let raw = NonNull::new(unsafe { dmk_rw_create() }).ok_or(Errno::ENOMEM)?;
        Ok(KRwLock {
            raw,
            data: UnsafeCell::new(data),
        })
    }

    pub fn read(&self) -> KReadGuard<'_, T> {
        // SAFETY: raw is a live rwlock.
        unsafe { dmk_rw_enter(self.raw.as_ptr(), false) };
        KReadGuard { rw: self }
    }

    pub fn write(&self) -> KWriteGuard<'_, T> {
        // SAFETY: raw is a live rwlock.
        unsafe { dmk_rw_enter(self.raw.as_ptr(), true) };
        KWriteGuard { rw: self }
    }
}

impl<T> Drop for KRwLock<T> {
    fn drop(&mut self) {
        // SAFETY: nobody can hold the lock while we are being dropped.
        unsafe { dmk_rw_destroy(self.raw.as_ptr()) };
    }
}

pub struct KReadGuard<'a, T> {
    rw: &'a KRwLock<T>,
}

impl<T> Deref for KReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock as a reader: no writer.
        unsafe { &*self.rw.data.get() }
    }
}

impl<T> Drop for KReadGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: we hold the lock.
        unsafe { dmk_rw_exit(self.rw.raw.as_ptr()) };
    }
}

pub struct KWriteGuard<'a, T> {
    rw: &'a KRwLock<T>,
}

impl<T> Deref for KWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock exclusively.
        unsafe { &*self.rw.data.get() }
    }
}

impl<T> DerefMut for KWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the lock exclusively.
        unsafe { &mut *self.rw.data.get() }
    }
}

impl<T> Drop for KWriteGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: we hold the lock.
        unsafe { dmk_rw_exit(self.rw.raw.as_ptr()) };
    }
}

/// A kernel condition variable, used with one [`KMutex`].
pub struct KCondvar {
    raw: NonNull<c_void>,
}

// SAFETY: kernel condvars are thread-safe.
unsafe impl Send for KCondvar {}
unsafe impl Sync for KCondvar {}

impl KCondvar {
    pub fn new() -> Result<Self, Errno> {
        // SAFETY: no preconditions.
        let raw = NonNull::new(unsafe { dmk_cv_create() }).ok_or(Errno::ENOMEM)?;
        Ok(KCondvar { raw })
    }

    /// Sleeps until woken; the guard's mutex is released meanwhile.
    pub fn wait<T>(&self, g: &mut KGuard<'_, T>) {
        // SAFETY: the guard holds its mutex, as cv_wait requires.
        unsafe { dmk_cv_wait(self.raw.as_ptr(), g.m.raw.as_ptr()) }
    }

    /// As [`wait`](Self::wait), but a signal ends the sleep with EINTR.
    pub fn wait_sig<T>(&self, g: &mut KGuard<'_, T>) -> Result<(), Errno> {
        // SAFETY: as above.
        match unsafe { dmk_cv_wait_sig(self.raw.as_ptr(), g.m.raw.as_ptr()) } {
            0 => Ok(()),
            _ => Err(Errno::EINTR),
        }
    }

    pub fn broadcast(&self) {
        // SAFETY: raw is a live condvar.
        unsafe { dmk_cv_broadcast(self.raw.as_ptr()) }
    }
}

impl Drop for KCondvar {
    fn drop(&mut self) {
        // SAFETY: no sleeper can remain once the owner is dropped.
        unsafe { dmk_cv_destroy(self.raw.as_ptr()) };
    }
}

/// Milliseconds since boot, monotonic.
pub fn uptime_ms() -> u64 {
    // SAFETY: no preconditions.
    unsafe { dmk_uptime_ms() }
}

/// A line on the kernel console (or the host daemon's log).
pub fn log(msg: &str) {
    // SAFETY: msg points at len valid bytes.
    unsafe { dmk_log(msg.as_ptr().cast(), msg.len()) }
}

/// A NUL-terminated copy of `s` for the C side.
fn c_string(s: &[u8]) -> Result<alloc::vec::Vec<u8>, Errno> {
    if s.contains(&0) {
        return Err(Errno::EINVAL);
    }
    let mut v = alloc::vec::Vec::new();
    v.try_reserve_exact(s.len() + 1)
        .map_err(|_| Errno::ENOMEM)?;
    v.extend_from_slice(s);
    v.push(0);
    Ok(v)
}

/// An open component: closed when dropped.
pub struct CompHandle {
    raw: NonNull<c_void>,
    writable: bool,
    pub info: DmkCompInfo,
}

// SAFETY: the glue's component handles may be used from any thread.
unsafe impl Send for CompHandle {}
unsafe impl Sync for CompHandle {}

impl CompHandle {
    pub fn open(path: &[u8], writable: bool) -> Result<CompHandle, Errno> {
        let p = c_string(path)?;
        let mut info = DmkCompInfo::default();
        let mut h: *mut c_void = core::ptr::null_mut();
        // SAFETY: p is NUL-terminated; info and h are valid out-pointers.
        let rv = unsafe { dmk_comp_open(p.as_ptr().cast(), writable, &mut info, &mut h) };
        if rv != 0 {
            return Err(Errno::from_raw(rv));
        }
        let raw = NonNull::new(h).ok_or(Errno::EIO)?;
        Ok(CompHandle {
            raw,
            writable,
            info,
        })
    }

    pub fn raw(&self) -> NonNull<c_void> {
        self.raw
    }
}

impl Drop for CompHandle {
    fn drop(&mut self) {
        // SAFETY: raw was opened by dmk_comp_open and is closed once.
        unsafe { dmk_comp_close(self.raw.as_ptr(), self.writable) }
    }
}

/// disk(9) bookkeeping the glue does for each dm device.
pub mod disk {
    use super::*;

    /// Attaches the dm disk of `dev`. The glue keeps a handle of the
    /// device, holding a reference, for `dm_core_map`: the I/O path
    /// then finds its device without a lookup.
    pub fn attach(dev: &Arc<Device>, name: &str) -> Result<(), Errno> {
        let n = c_string(name.as_bytes())?;
        let handle = Arc::into_raw(Arc::clone(dev));
        // SAFETY: n is NUL-terminated; handle stays valid until detach.
        match unsafe { dmk_disk_attach(dev.minor, n.as_ptr().cast(), handle) } {
            0 => Ok(()),
            e => {
                // SAFETY: the glue did not keep the handle.
                drop(unsafe { Arc::from_raw(handle) });
                Err(Errno::from_raw(e))
            }
        }
    }

    /// Detaches the dm disk of `dev` and drops the glue's reference.
    pub fn detach(dev: &Arc<Device>) {
        // SAFETY: no pointer arguments.
        unsafe { dmk_disk_detach(dev.minor) }
        // SAFETY: the reference attach gave the glue, which holds the
        // handle no more.
        unsafe { Arc::decrement_strong_count(Arc::as_ptr(dev)) }
    }

    pub fn rename(minor: u32, name: &str) {
        if let Ok(n) = c_string(name.as_bytes()) {
            // SAFETY: n is NUL-terminated.
            unsafe { dmk_disk_rename(minor, n.as_ptr().cast()) }
        }
    }

    pub fn resize(minor: u32, sectors: u64, secsize: u32) {
        // SAFETY: no pointer arguments.
        unsafe { dmk_disk_resize(minor, sectors, secsize) }
    }

    /// The geometry changed (setgeometry): the disk reports it anew.
    pub fn regeometry(minor: u32) {
        // SAFETY: no pointer arguments.
        unsafe { dmk_disk_regeometry(minor) }
    }

    /// Tells the glue that I/O it held back while suspended may go now.
    pub fn resumed(minor: u32) {
        // SAFETY: no pointer arguments.
        unsafe { dmk_device_resumed(minor) }
    }
}
