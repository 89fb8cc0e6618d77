//! Mapping an I/O request to actions the glue carries out.
//!
//! A request (device, first sector, sector count, direction) becomes a
//! list of [`Action`]s that together cover the mapped part of the request
//! exactly once, in order. The [`Io`] that carries them pins the table they
//! came from until the glue reports the request done, so a reload or
//! resume never frees a table that I/O still uses.

use crate::device::Device;
use crate::errno::Errno;
use crate::nosleep::NoSleepVec;
use crate::pdev::{Comp, Pdev};
use crate::table::Table;
use core::ffi::c_void;
use core::ptr::NonNull;

/// Read or write a component range (with `delay_ms` and corruption).
pub const DM_ACT_IO: u32 = 1;
/// Reads: fill with zeros. Writes: discard, successfully.
pub const DM_ACT_ZERO: u32 = 2;
/// Complete the range with errno `error`.
pub const DM_ACT_ERROR: u32 = 3;
/// Writes: complete successfully without writing.
pub const DM_ACT_DROP: u32 = 4;
/// Flush the component's write cache (DIOCCACHESYNC).
pub const DM_ACT_SYNC: u32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Read,
    Write,
}

/// One piece of a request, as the glue sees it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Action {
    /// One of the `DM_ACT_*` values.
    pub kind: u32,
    /// The errno of a `DM_ACT_ERROR` piece.
    pub error: i32,
    /// The component handle of a `DM_ACT_IO` or `DM_ACT_SYNC` piece.
    pub comp: *mut c_void,
    /// First sector of the piece within the request (512-byte sectors).
    pub offset: u64,
    /// Length of the piece in sectors.
    pub count: u64,
    /// Component sector of a `DM_ACT_IO` piece.
    pub sector: u64,
    /// Hold the piece this many milliseconds before issuing it.
    pub delay_ms: u32,
    /// Byte value written at `corrupt_byte`.
    pub corrupt_value: u32,
    /// 1-based byte of the piece to overwrite with `corrupt_value` (reads:
    /// after completion; writes: in a copy, before issue); 0 for none.
    pub corrupt_byte: u64,
}

impl Action {
    const fn base(kind: u32, offset: u64, count: u64) -> Action {
        Action {
            kind,
            error: 0,
            comp: core::ptr::null_mut(),
            offset,
            count,
            sector: 0,
            delay_ms: 0,
            corrupt_value: 0,
            corrupt_byte: 0,
        }
    }

    pub fn io(offset: u64, count: u64, comp: Comp, sector: u64) -> Action {
        Action {
            comp: comp.as_ptr(),
            sector,
            ..Action::base(DM_ACT_IO, offset, count)
        }
    }

    pub fn zero(offset: u64, count: u64) -> Action {
        Action::base(DM_ACT_ZERO, offset, count)
    }

    pub fn drop(offset: u64, count: u64) -> Action {
        Action::base(DM_ACT_DROP, offset, count)
    }

    pub fn error(offset: u64, count: u64, e: Errno) -> Action {
        Action {
            error: e.raw(),
            ..Action::base(DM_ACT_ERROR, offset, count)
        }
    }

    pub fn sync(pdev: &Pdev) -> Action {
        Action {
            comp: pdev.comp().as_ptr(),
            ..Action::base(DM_ACT_SYNC, 0, 0)
        }
    }

    /// Whether `next` continues this piece seamlessly, so both can go as
    /// one (adjacent lines on one component, a one-stripe device).
    fn joins(&self, next: &Action) -> bool {
        self.kind == next.kind
            && self.comp == next.comp
            && self.error == next.error
            && self.delay_ms == next.delay_ms
            && self.corrupt_byte == 0
            && next.corrupt_byte == 0
            && self.offset + self.count == next.offset
            && (self.kind != DM_ACT_IO || self.sector + self.count == next.sector)
    }

    /// Appends `a`, merging it into the last piece when it continues it.
    pub fn push(out: &mut Actions, a: Action) -> MapResult {
        if let Some(last) = out.last_mut() {
            if last.joins(&a) {
                last.count += a.count;
                return Ok(());
            }
        }
        out.push(a)
    }
}

/// Mapping fails with an errno alone: the I/O path carries no messages.
pub type MapResult<T = ()> = core::result::Result<T, Errno>;

/// The actions of one request. Nearly every request maps to one or two
/// pieces; keeping those inline spares the I/O path an allocation, and
/// more never sleep for memory.
pub type Actions = NoSleepVec<Action, 2>;

/// Lines of a request whose targets count I/O in flight (delay).
pub type Counted = NoSleepVec<u32, 2>;

impl Default for Actions {
    fn default() -> Actions {
        NoSleepVec::new(Action::base(0, 0, 0))
    }
}

impl Default for Counted {
    fn default() -> Counted {
        NoSleepVec::new(0)
    }
}

/// A mapped request: its actions and the table and device it pins.
///
/// It holds no reference count on either, so that releasing it frees
/// nothing and may run in interrupt context: the table stays while it is
/// pinned (whoever takes a table out of service waits for its pins), and
/// the device while it has requests in flight (detach waits for them).
pub struct Io {
    pub(crate) actions: Actions,
    /// Sectors of the request the actions cover (less than asked when the
    /// request runs past the end of the device).
    pub(crate) mapped: u64,
    pub(crate) dir: Dir,
    /// Lines whose targets count I/O in flight (delay).
    pub(crate) counted: Counted,
    table: Option<NonNull<Table>>,
    device: NonNull<Device>,
}

// SAFETY: the component handles inside actions are the glue's, usable from
// any thread; the table and device are shared, thread-safe structures.
unsafe impl Send for Io {}

impl Io {
    /// An empty request on `device`, counted in flight until dropped.
    pub(crate) fn new(device: &Device, dir: Dir) -> Io {
        device.io_started();
        Io {
            actions: Actions::default(),
            mapped: 0,
            dir,
            counted: Counted::default(),
            table: None,
            device: NonNull::from(device),
        }
    }

    fn device(&self) -> &Device {
        // SAFETY: the device stays while this request is in flight.
        unsafe { self.device.as_ref() }
    }

    /// The table this request pins, once mapped.
    pub(crate) fn table(&self) -> Option<&Table> {
        // SAFETY: a pinned table stays until unpinned, in our drop.
        self.table.map(|t| unsafe { &*t.as_ptr() })
    }

    /// Maps `count` sectors at `sector` in place, pinning the active
    /// table; false when the device is suspended (hold the request).
    pub(crate) fn map(&mut self, sector: u64, count: u64) -> MapResult<bool> {
        let dev = self.device();
        if dev.suspended() {
            return Ok(false);
        }
        let readonly = dev.readonly;
        // Pinned under the table's read lock: a table swapped out after
        // this sees the pin, one swapped out before is not pinned.
        let Some(pinned) = dev.pin_active() else {
            return Err(Errno::ENXIO);
        };
        self.table = Some(pinned);
        // SAFETY: pinned until our drop unpins it.
        let table = unsafe { &*pinned.as_ptr() };
        if self.dir == Dir::Write && (readonly || table.readonly()) {
            return Err(Errno::EROFS);
        }
        let size = table.size();
        if sector > size {
            return Err(Errno::EINVAL);
        }
        let count = count.min(size - sector);
        if count > 0 {
            table.map(
                sector,
                count,
                self.dir,
                &mut self.actions,
                &mut self.counted,
            )?;
        }
        self.mapped = count;
        Ok(true)
    }

    pub fn actions(&self) -> &[Action] {
        self.actions.as_slice()
    }

    pub fn mapped(&self) -> u64 {
        self.mapped
    }

    /// Whether releasing the request frees no memory (nothing spilled
    /// out of its inline room), so it may be released in interrupt
    /// context.
    pub fn light(&self) -> bool {
        !self.actions.spilled() && !self.counted.spilled()
    }
}

impl Drop for Io {
    fn drop(&mut self) {
        if let Some(t) = self.table() {
            for &i in self.counted.as_slice() {
                t.io_done(i as usize, self.dir);
            }
            // Before telling waiters the I/O is gone.
            t.unpin();
        }
        self.table = None;
        // The last touch of the device: after it, detach may free it.
        self.device().io_finished();
    }
}

/// What mapping a request gives.
pub enum Mapped {
    Io(Io),
    /// The device is suspended: hold the request and submit it again when
    /// the glue is told the device resumed.
    Deferred,
}
