//! How requests reach the driver: the control ioctl on NetBSD, the host
//! daemon's socket elsewhere. Both carry the same plist text and errno.

use std::io;

/// The driver's answer: its errno and the reply text, when one came; with
/// an errno, the driver's message instead, when it left one.
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

/// /dev/mapper/control and NETBSD_DM_IOCTL.
#[cfg(target_os = "netbsd")]
pub struct Ioctl {
    pub path: std::path::PathBuf,
}

#[cfg(target_os = "netbsd")]
impl Transport for Ioctl {
    fn call(&self, req: &[u8]) -> io::Result<Answer> {
        use std::ffi::c_void;
        use std::os::unix::io::AsRawFd;

        #[repr(C)]
        struct PlistRef {
            pref_plist: *mut c_void,
            pref_len: usize,
        }
        // _IOWR(0xfd, 0, struct plistref)
        const NETBSD_DM_IOCTL: libc::c_ulong = 0xc000_0000
            | (((std::mem::size_of::<PlistRef>() as libc::c_ulong) & 0x1fff) << 16)
            | (0xfd << 8);

        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&self.path)?;
        let mut text = req.to_vec();
        text.push(0);
        let mut pref = PlistRef {
            pref_plist: text.as_mut_ptr().cast(),
            pref_len: text.len(),
        };
        let sent = pref.pref_plist;
        // SAFETY: pref points at our buffer; on return the kernel may have
        // replaced pref_plist with a fresh mapping of pref_len bytes.
        let rc = unsafe { libc::ioctl(f.as_raw_fd(), NETBSD_DM_IOCTL, &mut pref) };
        let errno = if rc == -1 {
            io::Error::last_os_error().raw_os_error().unwrap_or(5)
        } else {
            0
        };
        let reply = if errno != 0 {
            // The driver leaves a failure's message, NUL-terminated, in
            // the request's buffer when it can (dm.4); an untouched
            // buffer means no message.
            (text.strip_suffix(&[0]) != Some(req)).then(|| {
                let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
                text.get(..end).unwrap_or_default().to_vec()
            })
        } else if pref.pref_plist != sent && !pref.pref_plist.is_null() {
            // SAFETY: the kernel mapped pref_len bytes for us to read and
            // unmap.
            unsafe {
                let b = std::slice::from_raw_parts(pref.pref_plist.cast::<u8>(), pref.pref_len);
                let v = b.strip_suffix(&[0]).unwrap_or(b).to_vec();
                libc::munmap(pref.pref_plist, pref.pref_len);
                Some(v)
            }
        } else {
            None
        };
        Ok(Answer { errno, reply })
    }
}
