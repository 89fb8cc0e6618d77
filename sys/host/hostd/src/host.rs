//! Safe calls into host mode (sys/host/include/host_api.h).

use std::ffi::{c_char, c_int, c_void, CString};

extern "C" {
    fn host_init() -> c_int;
    fn host_fini() -> c_int;
    fn host_map_disk(name: *const c_char, path: *const c_char) -> c_int;
    fn host_map_dm(name: *const c_char, minor: u32) -> c_int;
    fn host_unmap(name: *const c_char);
    fn host_set_uid(uid: u32);
    fn host_fail_nowait(n: u32) -> u32;
    fn host_control(
        req: *const c_char,
        len: usize,
        reply: *mut *mut c_char,
        replylen: *mut usize,
    ) -> c_int;
    fn host_open(minor: u32, writable: bool) -> c_int;
    fn host_close(minor: u32, writable: bool) -> c_int;
    fn host_rw(minor: u32, write: bool, off: u64, buf: *mut u8, len: usize) -> c_int;
    fn host_flush(minor: u32) -> c_int;
    fn host_mediasize(minor: u32, bytes: *mut u64) -> c_int;
    fn host_disk_open(path: *const c_char, writable: bool, handle: *mut *mut c_void) -> c_int;
    fn host_disk_close(handle: *mut c_void, writable: bool) -> c_int;
    fn host_disk_rw(handle: *mut c_void, write: bool, off: u64, buf: *mut u8, len: usize) -> c_int;
    fn host_disk_flush(handle: *mut c_void) -> c_int;
    fn host_disk_size(handle: *mut c_void, bytes: *mut u64) -> c_int;
    fn free(p: *mut std::ffi::c_void);
}

/// An errno from the driver (NetBSD's numbering).
pub type Errno = i32;

fn rv(e: c_int) -> Result<(), Errno> {
    if e == 0 {
        Ok(())
    } else {
        Err(e)
    }
}

fn cstr(s: &str) -> Result<CString, Errno> {
    CString::new(s).map_err(|_| libc::EINVAL)
}

/// Makes the next `n` allocations that may not sleep fail, as under
/// memory pressure; how many the last call's failures had not happened.
pub fn fail_nowait(n: u32) -> u32 {
    // SAFETY: no pointer arguments.
    unsafe { host_fail_nowait(n) }
}

/// Loads the dm module (MODULE_CMD_INIT).
pub fn init() -> Result<(), Errno> {
    // SAFETY: no arguments.
    rv(unsafe { host_init() })
}

/// Unloads it: EBUSY while devices exist.
pub fn fini() -> Result<(), Errno> {
    // SAFETY: no arguments.
    rv(unsafe { host_fini() })
}

pub fn map_disk(name: &str, path: &str) -> Result<(), Errno> {
    let (n, p) = (cstr(name)?, cstr(path)?);
    // SAFETY: both NUL-terminated; copied by the callee.
    rv(unsafe { host_map_disk(n.as_ptr(), p.as_ptr()) })
}

pub fn map_dm(name: &str, minor: u32) -> Result<(), Errno> {
    let n = cstr(name)?;
    // SAFETY: NUL-terminated; copied by the callee.
    rv(unsafe { host_map_dm(n.as_ptr(), minor) })
}

pub fn unmap_dm(name: &str) {
    if let Ok(n) = cstr(&format!("/dev/mapper/{name}")) {
        // SAFETY: NUL-terminated.
        unsafe { host_unmap(n.as_ptr()) }
    }
}

/// Makes this thread act for `uid` (0 is root) in privilege checks.
pub fn set_uid(uid: u32) {
    // SAFETY: affects only this thread.
    unsafe { host_set_uid(uid) }
}

/// The control ioctl: the request text in, the errno and the reply text
/// (when the driver copied one out) back.
pub fn control(req: &[u8]) -> (Errno, Option<Vec<u8>>) {
    let mut reply: *mut c_char = std::ptr::null_mut();
    let mut len = 0usize;
    // SAFETY: req is valid for its length; the reply is malloc'd by the
    // driver and freed here after copying.
    unsafe {
        let e = host_control(req.as_ptr().cast(), req.len(), &mut reply, &mut len);
        let out = if reply.is_null() {
            None
        } else {
            let bytes = std::slice::from_raw_parts(reply.cast::<u8>(), len);
            // Drop the trailing NUL the ioctl carries.
            let text = bytes.strip_suffix(&[0]).unwrap_or(bytes).to_vec();
            free(reply.cast());
            Some(text)
        };
        (e, out)
    }
}

pub fn open(minor: u32, writable: bool) -> Result<(), Errno> {
    // SAFETY: no pointers.
    rv(unsafe { host_open(minor, writable) })
}

pub fn close(minor: u32, writable: bool) -> Result<(), Errno> {
    // SAFETY: no pointers.
    rv(unsafe { host_close(minor, writable) })
}

/// Sector-aligned read or write through the dm block device.
pub fn rw(minor: u32, write: bool, off: u64, buf: &mut [u8]) -> Result<(), Errno> {
    // SAFETY: buf is valid for its length and not aliased meanwhile.
    rv(unsafe { host_rw(minor, write, off, buf.as_mut_ptr(), buf.len()) })
}

pub fn flush(minor: u32) -> Result<(), Errno> {
    // SAFETY: no pointers.
    rv(unsafe { host_flush(minor) })
}

pub fn mediasize(minor: u32) -> Result<u64, Errno> {
    let mut b = 0u64;
    // SAFETY: b is a valid out-pointer.
    rv(unsafe { host_mediasize(minor, &mut b) })?;
    Ok(b)
}

/// A host disk opened as the kernel opens a disk, read and written
/// through the block layer without dm.
pub struct Disk {
    vp: *mut c_void,
    writable: bool,
}

// SAFETY: the vnode is the host kernel's; its strategy and ioctl may be
// called from any thread at once, as a kernel's are.
unsafe impl Send for Disk {}
// SAFETY: as above.
unsafe impl Sync for Disk {}

impl Disk {
    pub fn open(path: &str, writable: bool) -> Result<Disk, Errno> {
        let p = cstr(path)?;
        let mut vp = std::ptr::null_mut();
        // SAFETY: p is NUL-terminated; vp is a valid out-pointer.
        rv(unsafe { host_disk_open(p.as_ptr(), writable, &mut vp) })?;
        Ok(Disk { vp, writable })
    }

    /// Sector-aligned read or write.
    pub fn rw(&self, write: bool, off: u64, buf: &mut [u8]) -> Result<(), Errno> {
        // SAFETY: buf is valid for its length and not aliased meanwhile.
        rv(unsafe { host_disk_rw(self.vp, write, off, buf.as_mut_ptr(), buf.len()) })
    }

    pub fn flush(&self) -> Result<(), Errno> {
        // SAFETY: vp is open.
        rv(unsafe { host_disk_flush(self.vp) })
    }

    pub fn size(&self) -> Result<u64, Errno> {
        let mut b = 0u64;
        // SAFETY: vp is open; b is a valid out-pointer.
        rv(unsafe { host_disk_size(self.vp, &mut b) })?;
        Ok(b)
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        // SAFETY: vp is open and closed once, here.
        unsafe { host_disk_close(self.vp, self.writable) };
    }
}
