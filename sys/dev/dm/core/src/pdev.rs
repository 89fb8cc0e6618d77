//! Components ("physical devices"): opened once per path and mode, shared
//! by every line, table and device that uses them, and closed when the
//! last user goes.

use crate::errno::{Errno, Error, Result};
use crate::kapi::CompHandle;
use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::ffi::c_void;
use core::ptr::NonNull;

/// A component's glue handle, copied to where the I/O path reads it so a
/// request does not go through its [`Pdev`] (one memory access less on
/// every request). Valid as long as the `Pdev` it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comp(NonNull<c_void>);

// SAFETY: the glue's component handles may be used from any thread, as
// CompHandle's.
unsafe impl Send for Comp {}
// SAFETY: as above.
unsafe impl Sync for Comp {}

impl Comp {
    pub fn as_ptr(self) -> *mut c_void {
        self.0.as_ptr()
    }
}

pub struct Pdev {
    path: Vec<u8>,
    handle: CompHandle,
}

impl Pdev {
    pub fn path(&self) -> &[u8] {
        &self.path
    }

    pub fn path_lossy(&self) -> String {
        String::from_utf8_lossy(&self.path).into_owned()
    }

    pub fn dev(&self) -> u64 {
        self.handle.info.dev
    }

    pub fn sectors(&self) -> u64 {
        self.handle.info.sectors
    }

    pub fn secsize(&self) -> u32 {
        self.handle.info.secsize
    }

    /// Where the component starts on the disk that holds its disklabel
    /// (`DmkCompInfo::label_start`).
    pub fn label_start(&self) -> u64 {
        self.handle.info.label_start
    }

    /// The dm minor this component is, if it is a dm device.
    pub fn dm_minor(&self) -> Option<u32> {
        match self.handle.info.dm_minor {
            0 => None,
            m => Some(m),
        }
    }

    pub fn comp(&self) -> Comp {
        Comp(self.handle.raw())
    }

    /// NetBSD's `<major>:<minor>` of the component's dev_t, as table
    /// strings show it.
    pub fn dev_string(&self) -> String {
        let (maj, min) = split_dev(self.dev());
        format!("{maj}:{min}")
    }
}

/// dm's block major (NetBSD's sys/conf/majors).
pub const DM_BMAJOR: u64 = 169;

/// NetBSD's major()/minor() of a dev_t.
pub fn split_dev(dev: u64) -> (u64, u64) {
    let maj = (dev & 0x000f_ff00) >> 8;
    let min = (dev & 0x0000_00ff) | ((dev & 0xfff0_0000) >> 12);
    (maj, min)
}

/// NetBSD's makedev().
pub fn make_dev(maj: u64, min: u64) -> u64 {
    ((maj << 8) & 0x000f_ff00) | (min & 0xff) | ((min << 12) & 0xfff0_0000)
}

/// The open components, by path and by (dev_t, writable), so one disk
/// named by two paths is still opened once; dm components also by their
/// minor, so "is this device in a table?" is a lookup.
#[derive(Default)]
pub struct PdevSet {
    /// By path: read-only opens, writable opens (two maps, so that a
    /// lookup borrows the path).
    by_path: [BTreeMap<Vec<u8>, Weak<Pdev>>; 2],
    by_dev: BTreeMap<(u64, bool), Weak<Pdev>>,
    by_dm: BTreeMap<(u32, bool), Weak<Pdev>>,
    /// Entries after the last purge: the next comes when they double, so
    /// forgetting closed components costs O(1) per release on average.
    purged_at: usize,
}

impl PdevSet {
    /// The open component for `path`, opened now if need be. A read-only
    /// use shares a writable open of the same disk: NetBSD lets one vnode
    /// hold a block device open (spec_open), and a second open of it
    /// fails with EBUSY.
    pub fn get(&mut self, path: &[u8], writable: bool) -> Result<Arc<Pdev>> {
        if let Some(p) = self.find_path(path, writable) {
            return Ok(p);
        }
        let handle = CompHandle::open(path, writable).map_err(|e| {
            Error::new(
                e,
                format!(
                    "cannot open component {}: {}",
                    String::from_utf8_lossy(path),
                    errno_text(e)
                ),
            )
        })?;
        let dev = handle.info.dev;
        if let Some(p) = self.find_dev(dev, writable) {
            // Same disk under another name: keep the first open.
            drop(handle);
            self.paths(writable)
                .insert(path.to_vec(), Arc::downgrade(&p));
            return Ok(p);
        }
        let p = Arc::new(Pdev {
            path: path.to_vec(),
            handle,
        });
        self.paths(writable)
            .insert(path.to_vec(), Arc::downgrade(&p));
        self.by_dev.insert((dev, writable), Arc::downgrade(&p));
        if let Some(m) = p.dm_minor() {
            self.by_dm.insert((m, writable), Arc::downgrade(&p));
        }
        self.tidy();
        Ok(p)
    }

    /// Modes an open of `writable` may share: its own, and for reading a
    /// writable one too.
    fn modes(writable: bool) -> &'static [bool] {
        if writable {
            &[true]
        } else {
            &[false, true]
        }
    }

    fn find_path(&self, path: &[u8], writable: bool) -> Option<Arc<Pdev>> {
        let [ro, rw] = &self.by_path;
        Self::modes(writable)
            .iter()
            .find_map(|&w| if w { rw } else { ro }.get(path).and_then(Weak::upgrade))
    }

    fn paths(&mut self, writable: bool) -> &mut BTreeMap<Vec<u8>, Weak<Pdev>> {
        let [ro, rw] = &mut self.by_path;
        if writable {
            rw
        } else {
            ro
        }
    }

    fn path_entries(&self) -> usize {
        self.by_path.iter().map(BTreeMap::len).sum()
    }

    fn find_dev(&self, dev: u64, writable: bool) -> Option<Arc<Pdev>> {
        Self::modes(writable)
            .iter()
            .find_map(|&w| self.by_dev.get(&(dev, w)).and_then(Weak::upgrade))
    }

    /// The path an open component with block dev_t `dev` was opened by.
    pub fn path_of(&self, dev: u64) -> Option<Vec<u8>> {
        [true, false].into_iter().find_map(|w| {
            self.by_dev
                .get(&(dev, w))
                .and_then(Weak::upgrade)
                .map(|p| p.path.clone())
        })
    }

    /// Forgets components nobody uses any more.
    pub fn purge(&mut self) {
        for m in &mut self.by_path {
            m.retain(|_, w| w.strong_count() > 0);
        }
        self.by_dev.retain(|_, w| w.strong_count() > 0);
        self.by_dm.retain(|_, w| w.strong_count() > 0);
        self.purged_at = self.path_entries();
    }

    /// Purges once the maps have doubled since the last purge; stale
    /// entries are harmless meanwhile (a lookup finds them dead).
    pub fn tidy(&mut self) {
        if self.path_entries() >= 2 * self.purged_at.max(8) {
            self.purge();
        }
    }

    /// Whether some table uses dm device `minor` as a component.
    pub fn dm_in_use(&self, minor: u32) -> bool {
        [true, false].into_iter().any(|w| {
            self.by_dm
                .get(&(minor, w))
                .is_some_and(|p| p.strong_count() > 0)
        })
    }

    /// Components currently open (for tests and leak checks).
    pub fn open_count(&self) -> usize {
        self.by_dev
            .values()
            .filter(|w| w.strong_count() > 0)
            .count()
    }
}

/// strerror(3)'s words for `e` (NetBSD's numbering for unnamed ones).
pub fn errno_text(e: Errno) -> Cow<'static, str> {
    Cow::Borrowed(match e {
        Errno::EPERM => "operation not permitted",
        Errno::ENOENT => "no such file or directory",
        Errno::EINTR => "interrupted",
        Errno::EIO => "input/output error",
        Errno::ENXIO => "device not configured",
        Errno::E2BIG => "argument list too long",
        Errno::ENOMEM => "cannot allocate memory",
        Errno::ENOTBLK => "not a block device",
        Errno::EFAULT => "bad address",
        Errno::EBUSY => "device busy",
        Errno::EEXIST => "file exists",
        Errno::ENODEV => "operation not supported by device",
        Errno::EINVAL => "invalid argument",
        Errno::ENOTTY => "inappropriate ioctl for device",
        Errno::ENOSPC => "no space left on device",
        Errno::EROFS => "read-only file system",
        Errno::ERANGE => "result too large",
        Errno::EACCES => "permission denied",
        Errno::Other(20) => "not a directory",
        Errno::Other(62) => "too many levels of symbolic links",
        Errno::Other(63) => "file name too long",
        Errno::Other(n) => return Cow::Owned(format!("error {n}")),
    })
}
