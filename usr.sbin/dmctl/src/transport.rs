//! How requests reach the driver: the control ioctl on NetBSD, the host
//! daemon's socket elsewhere, and (feature `rump`) the control node of a
//! rump kernel's server through librumpclient. All carry the same plist
//! text and errno.

use std::io;

/// The driver's answer: its errno and the reply text, when one came.
pub struct Answer {
    pub errno: i32,
    pub reply: Option<Vec<u8>>,
}

pub trait Transport {
    fn call(&self, req: &[u8]) -> io::Result<Answer>;
}

/// dm-hostd's control socket.
pub struct Socket {
    pub path: std::path::PathBuf,
}

impl Transport for Socket {
    fn call(&self, req: &[u8]) -> io::Result<Answer> {
        use std::io::{Read, Write};
        let mut s = std::os::unix::net::UnixStream::connect(&self.path)?;
        let len = u32::try_from(req.len()).map_err(|_| io::Error::from_raw_os_error(7))?;
        let mut out = len.to_be_bytes().to_vec();
        out.extend_from_slice(req);
        s.write_all(&out)?;
        let mut hdr = [0u8; 8];
        s.read_exact(&mut hdr)?;
        let errno = i32::from_be_bytes([hdr[0], hdr[1], hdr[2], hdr[3]]);
        let n = u32::from_be_bytes([hdr[4], hdr[5], hdr[6], hdr[7]]) as usize;
        let mut body = vec![0u8; n];
        s.read_exact(&mut body)?;
        Ok(Answer {
            errno,
            reply: (n > 0).then_some(body),
        })
    }
}

/// The kernel's `struct plistref`.
#[cfg(any(target_os = "netbsd", feature = "rump"))]
#[repr(C)]
struct PlistRef {
    pref_plist: *mut std::ffi::c_void,
    pref_len: usize,
}

/// _IOWR(0xfd, 0, struct plistref)
#[cfg(any(target_os = "netbsd", feature = "rump"))]
const NETBSD_DM_IOCTL: std::ffi::c_ulong = 0xc000_0000
    | (((std::mem::size_of::<PlistRef>() as std::ffi::c_ulong) & 0x1fff) << 16)
    | (0xfd << 8);

/// The request as the kernel takes it: NUL-terminated, in a buffer the
/// caller keeps until the ioctl returns.
#[cfg(any(target_os = "netbsd", feature = "rump"))]
fn plistref(text: &mut Vec<u8>, req: &[u8]) -> PlistRef {
    text.extend_from_slice(req);
    text.push(0);
    PlistRef {
        pref_plist: text.as_mut_ptr().cast(),
        pref_len: text.len(),
    }
}

/// The reply, when the kernel mapped one (pref_plist no longer `sent`);
/// the mapping is unmapped with `munmap`.
///
/// # Safety
/// `pref` is what the ioctl left: either `sent` or a mapping of
/// `pref_len` bytes that nothing else uses.
#[cfg(any(target_os = "netbsd", feature = "rump"))]
unsafe fn reply(
    pref: &PlistRef,
    sent: *mut std::ffi::c_void,
    munmap: unsafe extern "C" fn(*mut std::ffi::c_void, usize) -> std::ffi::c_int,
) -> Option<Vec<u8>> {
    if pref.pref_plist == sent || pref.pref_plist.is_null() {
        return None;
    }
    // SAFETY: the caller's promise: pref_len mapped bytes, ours to unmap.
    unsafe {
        let b = std::slice::from_raw_parts(pref.pref_plist.cast::<u8>(), pref.pref_len);
        let v = b.strip_suffix(&[0]).unwrap_or(b).to_vec();
        munmap(pref.pref_plist, pref.pref_len);
        Some(v)
    }
}

/// /dev/mapper/control and NETBSD_DM_IOCTL.
#[cfg(target_os = "netbsd")]
pub struct Ioctl {
    pub path: std::path::PathBuf,
}

#[cfg(target_os = "netbsd")]
impl Transport for Ioctl {
    fn call(&self, req: &[u8]) -> io::Result<Answer> {
        use std::os::unix::io::AsRawFd;

        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&self.path)?;
        let mut text = Vec::new();
        let mut pref = plistref(&mut text, req);
        let sent = pref.pref_plist;
        // SAFETY: pref points at our buffer; on return the kernel may have
        // replaced pref_plist with a fresh mapping of pref_len bytes.
        let rc = unsafe { libc::ioctl(f.as_raw_fd(), NETBSD_DM_IOCTL, &mut pref) };
        let errno = if rc == -1 {
            io::Error::last_os_error().raw_os_error().unwrap_or(5)
        } else {
            0
        };
        // SAFETY: pref is what the ioctl left.
        let reply = unsafe { reply(&pref, sent, libc::munmap) };
        Ok(Answer { errno, reply })
    }
}

#[cfg(feature = "rump")]
mod rumpclient {
    use std::ffi::{c_char, c_int, c_ulong, c_void};

    // rump_syscalls.h names the rump_sys_* calls by their symbols
    // (__RENAME): these.
    #[link(name = "rumpclient")]
    unsafe extern "C" {
        pub fn rumpclient_init() -> c_int;
        #[link_name = "rump___sysimpl_open"]
        pub fn rump_sys_open(path: *const c_char, flags: c_int, ...) -> c_int;
        #[link_name = "rump___sysimpl_ioctl"]
        pub fn rump_sys_ioctl(fd: c_int, cmd: c_ulong, ...) -> c_int;
        #[link_name = "rump___sysimpl_close"]
        pub fn rump_sys_close(fd: c_int) -> c_int;
    }

    unsafe extern "C" {
        pub fn munmap(addr: *mut c_void, len: usize) -> c_int;
    }
}

/// The control node of the rump kernel that `RUMP_SERVER` names, through
/// librumpclient (feature `rump`). Errnos come back as the rump kernel's,
/// which are NetBSD's.
#[cfg(feature = "rump")]
pub struct Rump {
    pub path: std::path::PathBuf,
}

#[cfg(feature = "rump")]
impl Transport for Rump {
    fn call(&self, req: &[u8]) -> io::Result<Answer> {
        use std::os::unix::ffi::OsStrExt;

        // NetBSD's O_RDWR.
        const O_RDWR: std::ffi::c_int = 2;
        let path = std::ffi::CString::new(self.path.as_os_str().as_bytes())
            .map_err(|_| io::Error::from_raw_os_error(22))?;
        // SAFETY: plain C calls; RUMP_SERVER names the server.
        if unsafe { rumpclient::rumpclient_init() } == -1 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: path is NUL-terminated.
        let fd = unsafe { rumpclient::rump_sys_open(path.as_ptr(), O_RDWR) };
        if fd == -1 {
            return Err(io::Error::last_os_error());
        }
        let mut text = Vec::new();
        let mut pref = plistref(&mut text, req);
        let sent = pref.pref_plist;
        // SAFETY: as for Ioctl: the rump kernel copies the request in and
        // maps the reply into this process.
        let rc = unsafe { rumpclient::rump_sys_ioctl(fd, NETBSD_DM_IOCTL, &mut pref) };
        // rump_sys_* calls set errno on success too: keep the ioctl's.
        let errno = if rc == -1 {
            io::Error::last_os_error().raw_os_error().unwrap_or(5)
        } else {
            0
        };
        // SAFETY: fd is ours.
        unsafe { rumpclient::rump_sys_close(fd) };
        // SAFETY: pref is what the ioctl left.
        let reply = unsafe { reply(&pref, sent, rumpclient::munmap) };
        Ok(Answer { errno, reply })
    }
}
