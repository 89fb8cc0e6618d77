//! The control socket: the bytes of the control ioctl over a Unix
//! socket. Each request is a big-endian u32 length and that many bytes of
//! plist text; each answer a big-endian i32 errno, a u32 length and the
//! reply text (length 0 when the driver copied none out). The peer's uid
//! decides privilege, as the caller's credentials do in the kernel.

use crate::{devices, host};
use std::io::{self, Read, Write};
use std::os::unix::io::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};

/// Largest request accepted on the socket; the driver's own limit
/// (4 MiB, E2BIG) applies after this.
const MAX_FRAME: u32 = 64 << 20;

fn peer_uid(s: &UnixStream) -> Option<u32> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: cred and len are valid out-pointers of the right size.
    let rc = unsafe {
        libc::getsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    (rc == 0).then_some(cred.uid)
}

fn serve(mut s: UnixStream) -> io::Result<()> {
    let uid = peer_uid(&s).unwrap_or(u32::MAX);
    loop {
        let mut len = [0u8; 4];
        match s.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        let len = u32::from_be_bytes(len);
        if len > MAX_FRAME {
            s.write_all(&libc::E2BIG.to_be_bytes())?;
            s.write_all(&0u32.to_be_bytes())?;
            return Ok(());
        }
        let mut req = vec![0u8; len as usize];
        s.read_exact(&mut req)?;
        let change = devices::NameChange::before(&req);
        host::set_uid(uid);
        let (e, reply) = host::control(&req);
        host::set_uid(0);
        // A client without DM_ERRNO_FLAG gets 0 for a failed command too,
        // with the errno in the reply: only a success changes the exports.
        if let (0, Some(c)) = (e, change) {
            if !reply.as_deref().is_some_and(devices::reply_failed) {
                c.apply();
            }
        }
        let reply = reply.unwrap_or_default();
        let mut out = Vec::with_capacity(8 + reply.len());
        out.extend_from_slice(&e.to_be_bytes());
        out.extend_from_slice(&(reply.len() as u32).to_be_bytes());
        out.extend_from_slice(&reply);
        s.write_all(&out)?;
    }
}

/// Accepts control connections until the listener is closed.
pub fn run(listener: UnixListener) {
    for conn in listener.incoming() {
        match conn {
            Ok(s) => {
                std::thread::spawn(move || {
                    if let Err(e) = serve(s) {
                        eprintln!("dm-hostd: control connection: {e}");
                    }
                });
            }
            Err(e) => {
                eprintln!("dm-hostd: control socket: {e}");
                return;
            }
        }
    }
}
