//! NBD exports of the dm devices over a Unix socket (fixed newstyle
//! handshake, simple replies), export name = device name. Each
//! connection opens its device as the kernel's block device is opened,
//! so a connected device is busy for `remove`; read-only devices export
//! read-only. A connection's requests run on a few threads, so a client
//! with many requests in flight keeps the device busy. Requests that are
//! not sector-aligned are carried out as read-modify-write of the
//! sectors they touch.

use crate::{devices, host};
use std::collections::BTreeMap;
use std::io::{self, BufReader, Read, Write};
use std::net::Shutdown;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

const NBDMAGIC: u64 = 0x4e42_444d_4147_4943;
const IHAVEOPT: u64 = 0x4948_4156_454f_5054;
const REPLY_MAGIC: u64 = 0x0003_e889_0455_65a9;
const REQUEST_MAGIC: u32 = 0x2560_9513;
const SIMPLE_REPLY_MAGIC: u32 = 0x6744_6698;

const FLAG_FIXED_NEWSTYLE: u16 = 1;
const FLAG_NO_ZEROES: u16 = 2;
const CFLAG_FIXED_NEWSTYLE: u32 = 1;
const CFLAG_NO_ZEROES: u32 = 2;

const OPT_EXPORT_NAME: u32 = 1;
const OPT_ABORT: u32 = 2;
const OPT_LIST: u32 = 3;
const OPT_INFO: u32 = 6;
const OPT_GO: u32 = 7;

const REP_ACK: u32 = 1;
const REP_SERVER: u32 = 2;
const REP_INFO: u32 = 3;
const REP_ERR_UNSUP: u32 = 0x8000_0001;
const REP_ERR_INVALID: u32 = 0x8000_0003;
const REP_ERR_UNKNOWN: u32 = 0x8000_0006;

const INFO_EXPORT: u16 = 0;
const INFO_BLOCK_SIZE: u16 = 3;

const TFLAG_HAS_FLAGS: u16 = 1;
const TFLAG_READ_ONLY: u16 = 2;
const TFLAG_SEND_FLUSH: u16 = 4;
const TFLAG_SEND_FUA: u16 = 8;
const TFLAG_CAN_MULTI_CONN: u16 = 256;

const CMD_READ: u16 = 0;
const CMD_WRITE: u16 = 1;
const CMD_DISC: u16 = 2;
const CMD_FLUSH: u16 = 3;
const CMD_FLAG_FUA: u16 = 1;

const NBD_EPERM: u32 = 1;
const NBD_EIO: u32 = 5;
const NBD_ENOMEM: u32 = 12;
const NBD_EINVAL: u32 = 22;
const NBD_ENOSPC: u32 = 28;
const NBD_ENOTSUP: u32 = 95;

const SECTOR: u64 = 512;
const MAX_REQUEST: u32 = 32 << 20;

/// Open connections, so shutdown can end them.
static CONNS: Mutex<BTreeMap<u64, UnixStream>> = Mutex::new(BTreeMap::new());
static NEXT_CONN: AtomicU64 = AtomicU64::new(0);

fn nbd_errno(e: host::Errno) -> u32 {
    match e {
        libc::EROFS | libc::EPERM => NBD_EPERM,
        libc::ENOMEM => NBD_ENOMEM,
        libc::EINVAL => NBD_EINVAL,
        libc::ENOSPC => NBD_ENOSPC,
        _ => NBD_EIO,
    }
}

fn read_u16(s: &mut impl Read) -> io::Result<u16> {
    let mut b = [0u8; 2];
    s.read_exact(&mut b)?;
    Ok(u16::from_be_bytes(b))
}

fn read_u32(s: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    s.read_exact(&mut b)?;
    Ok(u32::from_be_bytes(b))
}

fn read_u64(s: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    s.read_exact(&mut b)?;
    Ok(u64::from_be_bytes(b))
}

fn opt_reply(s: &mut UnixStream, opt: u32, kind: u32, data: &[u8]) -> io::Result<()> {
    let mut out = Vec::with_capacity(20 + data.len());
    out.extend_from_slice(&REPLY_MAGIC.to_be_bytes());
    out.extend_from_slice(&opt.to_be_bytes());
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(data);
    s.write_all(&out)
}

/// Where an export's bytes come from.
enum Backend {
    /// A dm device, through the glue's block device as the kernel's.
    Dm { minor: u32 },
    /// A host file read through the block layer as a disk without dm:
    /// the baseline the benchmarks measure dm against.
    Raw(host::Disk),
}

/// An export being served: the device and its properties.
struct Export {
    backend: Backend,
    size: u64,
    readonly: bool,
}

/// Files exported as `raw/NAME` (`--raw NAME=PATH`). dm names cannot
/// hold '/', so these never shadow a device.
static RAW: Mutex<BTreeMap<String, PathBuf>> = Mutex::new(BTreeMap::new());

const RAW_PREFIX: &str = "raw/";

/// Exports `path` as `raw/NAME`.
pub fn add_raw(name: &str, path: &Path) -> io::Result<()> {
    std::fs::File::open(path)?;
    RAW.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(name.to_owned(), path.to_owned());
    Ok(())
}

impl Export {
    fn lookup(name: &str) -> Option<Export> {
        if let Some(raw) = name.strip_prefix(RAW_PREFIX) {
            let path = RAW
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(raw)
                .cloned()?;
            let disk = host::Disk::open(path.to_str()?, true).ok()?;
            let size = disk.size().ok()?;
            return Some(Export {
                backend: Backend::Raw(disk),
                size,
                readonly: false,
            });
        }
        let info = devices::info(name).ok()?;
        let size = host::mediasize(info.minor).ok()?;
        Some(Export {
            backend: Backend::Dm { minor: info.minor },
            size,
            readonly: info.readonly,
        })
    }

    /// Opens the device as the block device is opened; false if it is
    /// gone.
    fn open(&self) -> bool {
        let Backend::Dm { minor } = self.backend else {
            return true;
        };
        match host::open(minor, !self.readonly) {
            Ok(()) => true,
            Err(err) => {
                eprintln!("dm-hostd: nbd: cannot open minor {minor}: errno {err}");
                false
            }
        }
    }

    fn close(&self) {
        if let Backend::Dm { minor } = self.backend {
            let _ = host::close(minor, !self.readonly);
        }
    }

    fn tflags(&self) -> u16 {
        let mut f = TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH | TFLAG_SEND_FUA | TFLAG_CAN_MULTI_CONN;
        if self.readonly {
            f |= TFLAG_READ_ONLY;
        }
        f
    }

    fn rw(&self, write: bool, off: u64, buf: &mut [u8]) -> Result<(), host::Errno> {
        match &self.backend {
            Backend::Dm { minor } => rw_bytes(write, off, buf, |w, o, b| host::rw(*minor, w, o, b)),
            Backend::Raw(d) => rw_bytes(write, off, buf, |w, o, b| d.rw(w, o, b)),
        }
    }

    fn flush(&self) -> Result<(), host::Errno> {
        match &self.backend {
            Backend::Dm { minor } => host::flush(*minor),
            Backend::Raw(d) => d.flush(),
        }
    }
}

/// Handshake; returns the export the client chose, or None if it left.
fn handshake(s: &mut UnixStream) -> io::Result<Option<Export>> {
    let mut hello = Vec::with_capacity(18);
    hello.extend_from_slice(&NBDMAGIC.to_be_bytes());
    hello.extend_from_slice(&IHAVEOPT.to_be_bytes());
    hello.extend_from_slice(&(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES).to_be_bytes());
    s.write_all(&hello)?;
    let cflags = read_u32(s)?;
    if cflags & CFLAG_FIXED_NEWSTYLE == 0 {
        return Ok(None);
    }
    let no_zeroes = cflags & CFLAG_NO_ZEROES != 0;
    loop {
        if read_u64(s)? != IHAVEOPT {
            return Ok(None);
        }
        let opt = read_u32(s)?;
        let len = read_u32(s)?;
        if len > 64 * 1024 {
            return Ok(None);
        }
        let mut data = vec![0u8; len as usize];
        s.read_exact(&mut data)?;
        match opt {
            OPT_EXPORT_NAME => {
                let name = String::from_utf8_lossy(&data).into_owned();
                let Some(e) = Export::lookup(&name).filter(Export::open) else {
                    return Ok(None);
                };
                let mut out = Vec::new();
                out.extend_from_slice(&e.size.to_be_bytes());
                out.extend_from_slice(&e.tflags().to_be_bytes());
                if !no_zeroes {
                    out.extend_from_slice(&[0u8; 124]);
                }
                if let Err(err) = s.write_all(&out) {
                    e.close();
                    return Err(err);
                }
                return Ok(Some(e));
            }
            OPT_ABORT => {
                opt_reply(s, opt, REP_ACK, &[])?;
                return Ok(None);
            }
            OPT_LIST => {
                if !data.is_empty() {
                    opt_reply(s, opt, REP_ERR_INVALID, &[])?;
                    continue;
                }
                let raw: Vec<String> = RAW
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .keys()
                    .map(|n| format!("{RAW_PREFIX}{n}"))
                    .collect();
                let dm = devices::names().unwrap_or_default().into_keys();
                for name in dm.chain(raw) {
                    let mut d = (name.len() as u32).to_be_bytes().to_vec();
                    d.extend_from_slice(name.as_bytes());
                    opt_reply(s, opt, REP_SERVER, &d)?;
                }
                opt_reply(s, opt, REP_ACK, &[])?;
            }
            OPT_INFO | OPT_GO => {
                let name = data
                    .get(..4)
                    .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
                    .and_then(|n| data.get(4..4 + n))
                    .map(|b| String::from_utf8_lossy(b).into_owned());
                let Some(name) = name else {
                    opt_reply(s, opt, REP_ERR_INVALID, &[])?;
                    continue;
                };
                let Some(e) = Export::lookup(&name) else {
                    opt_reply(s, opt, REP_ERR_UNKNOWN, b"no such dm device")?;
                    continue;
                };
                // Open before saying yes: the device may go between the
                // lookup and the open (remove, rename).
                if opt == OPT_GO && !e.open() {
                    opt_reply(s, opt, REP_ERR_UNKNOWN, b"the dm device went away")?;
                    continue;
                }
                let mut info = INFO_EXPORT.to_be_bytes().to_vec();
                info.extend_from_slice(&e.size.to_be_bytes());
                info.extend_from_slice(&e.tflags().to_be_bytes());
                let mut bs = INFO_BLOCK_SIZE.to_be_bytes().to_vec();
                bs.extend_from_slice(&512u32.to_be_bytes());
                bs.extend_from_slice(&4096u32.to_be_bytes());
                bs.extend_from_slice(&MAX_REQUEST.to_be_bytes());
                let sent = opt_reply(s, opt, REP_INFO, &info)
                    .and_then(|()| opt_reply(s, opt, REP_INFO, &bs))
                    .and_then(|()| opt_reply(s, opt, REP_ACK, &[]));
                if opt == OPT_GO {
                    if let Err(err) = sent {
                        e.close();
                        return Err(err);
                    }
                    return Ok(Some(e));
                }
                sent?;
            }
            _ => opt_reply(s, opt, REP_ERR_UNSUP, &[])?,
        }
    }
}

/// Reads or writes `buf` at byte `off` with `io`, which takes whole
/// sectors.
fn rw_bytes(
    write: bool,
    off: u64,
    buf: &mut [u8],
    io: impl Fn(bool, u64, &mut [u8]) -> Result<(), host::Errno>,
) -> Result<(), host::Errno> {
    let len = buf.len() as u64;
    if off.is_multiple_of(SECTOR) && len.is_multiple_of(SECTOR) {
        let _shared = RMW.read().unwrap_or_else(|e| e.into_inner());
        return io(write, off, buf);
    }
    let start = off - off % SECTOR;
    let end = (off + len).div_ceil(SECTOR) * SECTOR;
    let mut span = vec![0u8; (end - start) as usize];
    let at = (off - start) as usize;
    if write {
        // Read the sectors the write only partly covers, then write all;
        // alone, so no other write lands between the two.
        let _alone = RMW.write().unwrap_or_else(|e| e.into_inner());
        io(false, start, &mut span)?;
        span[at..at + buf.len()].copy_from_slice(buf);
        io(true, start, &mut span)
    } else {
        let _shared = RMW.read().unwrap_or_else(|e| e.into_inner());
        io(false, start, &mut span)?;
        buf.copy_from_slice(&span[at..at + buf.len()]);
        Ok(())
    }
}

/// Requests run concurrently; a read-modify-write of a partly written
/// sector runs alone so it cannot undo a write beside it.
static RMW: RwLock<()> = RwLock::new(());

fn reply(s: &Mutex<UnixStream>, handle: u64, err: u32, data: &[u8]) -> io::Result<()> {
    let mut out = Vec::with_capacity(16 + data.len());
    out.extend_from_slice(&SIMPLE_REPLY_MAGIC.to_be_bytes());
    out.extend_from_slice(&err.to_be_bytes());
    out.extend_from_slice(&handle.to_be_bytes());
    out.extend_from_slice(data);
    s.lock().unwrap_or_else(|e| e.into_inner()).write_all(&out)
}

/// One read, write or flush, checked and with its payload.
struct Request {
    cmd: u16,
    flags: u16,
    handle: u64,
    off: u64,
    /// The data of a write; the length of a read.
    data: Vec<u8>,
}

/// Carries out one request; the NBD error and the data to send back.
fn execute(e: &Export, r: Request) -> (u32, Vec<u8>) {
    let res = match r.cmd {
        CMD_READ => {
            let mut buf = r.data;
            return match e.rw(false, r.off, &mut buf) {
                Ok(()) => (0, buf),
                Err(err) => (nbd_errno(err), Vec::new()),
            };
        }
        CMD_WRITE => {
            let mut buf = r.data;
            e.rw(true, r.off, &mut buf).and_then(|()| {
                if r.flags & CMD_FLAG_FUA != 0 {
                    e.flush()
                } else {
                    Ok(())
                }
            })
        }
        _ => e.flush(),
    };
    (res.err().map_or(0, nbd_errno), Vec::new())
}

/// Threads per connection by default: enough to keep both the socket
/// and the components busy at queue depth 32.
pub const WORKERS: u16 = 4;

/// The receive buffer of a connection: 16 small writes, or hundreds of
/// read requests.
const INBOX_BYTES: usize = 64 << 10;

/// The receiving side of a connection, read by one worker at a time.
struct Inbox {
    /// Buffered: at queue depth 32 one read(2) brings many requests,
    /// where each header field had cost a system call of its own.
    s: BufReader<UnixStream>,
    /// Set once the client disconnected or sent what cannot be framed.
    done: bool,
}

/// Workers take turns: one reads the next request while the others carry
/// out theirs, so a lone request costs one wake-up, as with a single
/// thread, and many in flight run side by side. Returns once every
/// accepted request has been answered.
fn transmission(s: &mut UnixStream, e: &Export, workers: usize) -> io::Result<()> {
    let out = Mutex::new(s.try_clone()?);
    let inbox = Mutex::new(Inbox {
        s: BufReader::with_capacity(INBOX_BYTES, s.try_clone()?),
        done: false,
    });
    std::thread::scope(|sc| {
        let threads: Vec<_> = (0..workers)
            .map(|_| sc.spawn(|| worker(&inbox, &out, e)))
            .collect();
        threads
            .into_iter()
            .map(|w| w.join().unwrap_or(Ok(())))
            .fold(Ok(()), io::Result::and)
    })
}

fn worker(inbox: &Mutex<Inbox>, out: &Mutex<UnixStream>, e: &Export) -> io::Result<()> {
    loop {
        let next = {
            let mut inbox = inbox.lock().unwrap_or_else(|e| e.into_inner());
            if inbox.done {
                return Ok(());
            }
            let r = next_request(&mut inbox.s, out, e);
            if !matches!(r, Ok(Some(_))) {
                inbox.done = true;
            }
            r
        };
        let Some(r) = next? else {
            return Ok(());
        };
        let handle = r.handle;
        let (err, data) = execute(e, r);
        reply(out, handle, err, &data)?;
    }
}

/// The next request to carry out, answering the ones refused outright;
/// None at a disconnect or a request that cannot be framed.
fn next_request(
    s: &mut impl Read,
    out: &Mutex<UnixStream>,
    e: &Export,
) -> io::Result<Option<Request>> {
    loop {
        if read_u32(s)? != REQUEST_MAGIC {
            return Ok(None);
        }
        let flags = read_u16(s)?;
        let cmd = read_u16(s)?;
        let handle = read_u64(s)?;
        let off = read_u64(s)?;
        let len = read_u32(s)?;
        let in_range = off
            .checked_add(u64::from(len))
            .is_some_and(|end| end <= e.size);
        let data = match cmd {
            CMD_READ if !in_range || len > MAX_REQUEST => {
                reply(out, handle, NBD_EINVAL, &[])?;
                continue;
            }
            CMD_READ => vec![0u8; len as usize],
            CMD_WRITE if len > MAX_REQUEST => return Ok(None),
            CMD_WRITE => {
                let mut buf = vec![0u8; len as usize];
                s.read_exact(&mut buf)?;
                let refuse = if e.readonly {
                    Some(NBD_EPERM)
                } else if !in_range {
                    Some(NBD_ENOSPC)
                } else {
                    None
                };
                if let Some(err) = refuse {
                    reply(out, handle, err, &[])?;
                    continue;
                }
                buf
            }
            CMD_FLUSH => Vec::new(),
            CMD_DISC => return Ok(None),
            _ => {
                reply(out, handle, NBD_ENOTSUP, &[])?;
                continue;
            }
        };
        return Ok(Some(Request {
            cmd,
            flags,
            handle,
            off,
            data,
        }));
    }
}

fn serve(mut s: UnixStream, workers: usize) -> io::Result<()> {
    // The handshake opens the device it agrees to serve.
    let Some(e) = handshake(&mut s)? else {
        return Ok(());
    };
    let r = transmission(&mut s, &e, workers);
    e.close();
    match r {
        Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => Ok(()),
        other => other,
    }
}

/// Accepts NBD connections until the listener is closed; `workers`
/// threads serve each (at least one).
pub fn run(listener: UnixListener, workers: usize) {
    let workers = workers.max(1);
    for conn in listener.incoming() {
        let s = match conn {
            Ok(s) => s,
            Err(e) => {
                eprintln!("dm-hostd: nbd socket: {e}");
                return;
            }
        };
        let id = NEXT_CONN.fetch_add(1, Ordering::SeqCst);
        if let Ok(c) = s.try_clone() {
            CONNS
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, c);
        }
        std::thread::spawn(move || {
            if let Err(e) = serve(s, workers) {
                eprintln!("dm-hostd: nbd connection: {e}");
            }
            CONNS.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        });
    }
}

/// Ends every open connection and waits until their devices are closed.
pub fn disconnect_all() {
    for c in CONNS.lock().unwrap_or_else(|e| e.into_inner()).values() {
        let _ = c.shutdown(Shutdown::Both);
    }
    for _ in 0..500 {
        if CONNS.lock().unwrap_or_else(|e| e.into_inner()).is_empty() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
