//! A dm device's I/O-side state: what the I/O path reads without taking
//! the registry lock. Name, uuid and the inactive table live in the
//! registry record, which only commands touch.

use crate::errno::{Errno, Result};
use crate::io::{Dir, Io, MapResult, Mapped};
use crate::kapi::{KCondvar, KMutex, KRwLock};
use crate::registry::Geometry;
use crate::table::Table;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

/// Where a device's sleepers sleep: I/O drain, old-table drain and
/// waitevent; each device has its own, so a wakeup reaches only its
/// waiters. Its mutex is taken from I/O completion, so the glue makes
/// it a spin mutex at IPL_BIO.
pub struct WaitQueue {
    m: KMutex<()>,
    cv: KCondvar,
}

impl WaitQueue {
    pub fn new() -> Result<WaitQueue> {
        Ok(WaitQueue {
            m: KMutex::new_spin(())?,
            cv: KCondvar::new()?,
        })
    }

    pub fn wake(&self) {
        let _g = self.m.lock();
        self.cv.broadcast();
    }

    /// Runs `f` under the mutex, then wakes the sleepers if there are.
    pub fn finish(&self, waiters: &AtomicU32, f: impl FnOnce()) {
        let _g = self.m.lock();
        f();
        if waiters.load(Ordering::SeqCst) > 0 {
            self.cv.broadcast();
        }
    }

    /// Sleeps until `done()` holds; an interruptible sleep ends early
    /// with EINTR when a signal arrives.
    pub fn wait_until(
        &self,
        waiters: &AtomicU32,
        interruptible: bool,
        done: impl Fn() -> bool,
    ) -> Result<()> {
        waiters.fetch_add(1, Ordering::SeqCst);
        let mut g = self.m.lock();
        let mut rv = Ok(());
        while !done() {
            if interruptible {
                if let Err(e) = self.cv.wait_sig(&mut g) {
                    rv = Err(e.into());
                    break;
                }
            } else {
                self.cv.wait(&mut g);
            }
        }
        drop(g);
        waiters.fetch_sub(1, Ordering::SeqCst);
        rv
    }
}

/// Which node of a dm disk is open. NetBSD calls `d_open` on every open
/// but `d_close` only on the last close of a node (spec_close in
/// sys/miscfs/specfs/spec_vnops.c), so opens are kept as a mask per node
/// kind, as dk_open/dk_close in sys/dev/dksubr.c keep theirs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenKind {
    Block,
    Char,
}

impl OpenKind {
    fn bit(self) -> u32 {
        match self {
            OpenKind::Block => 1,
            OpenKind::Char => 2,
        }
    }
}

pub struct Device {
    pub minor: u32,
    /// Created read-only: writes fail and components open read-only.
    pub readonly: bool,
    active: KRwLock<Option<Arc<Table>>>,
    suspended: AtomicBool,
    inflight: AtomicU32,
    waiters: AtomicU32,
    /// `OpenKind` bits of the nodes open now.
    open_mask: AtomicU32,
    /// setgeometry's cylinders << 17 | heads << 9 | sectors << 1 | 1, or
    /// 0: read by the glue from any context, without the registry lock.
    geometry: AtomicU64,
    geometry_start: AtomicU64,
    event_nr: AtomicU32,
    gone: AtomicBool,
    waitq: WaitQueue,
}

impl Device {
    pub fn new(minor: u32, readonly: bool) -> Result<Device> {
        Ok(Device {
            minor,
            readonly,
            active: KRwLock::new(None)?,
            suspended: AtomicBool::new(false),
            inflight: AtomicU32::new(0),
            waiters: AtomicU32::new(0),
            open_mask: AtomicU32::new(0),
            geometry: AtomicU64::new(0),
            geometry_start: AtomicU64::new(0),
            event_nr: AtomicU32::new(0),
            gone: AtomicBool::new(false),
            waitq: WaitQueue::new()?,
        })
    }

    pub fn active(&self) -> Option<Arc<Table>> {
        self.active.read().clone()
    }

    /// Pins the active table for a request and hands it out without a
    /// reference count: it stays until unpinned (see `wait_unpinned`).
    pub(crate) fn pin_active(&self) -> Option<core::ptr::NonNull<Table>> {
        let g = self.active.read();
        let t = g.as_deref()?;
        t.pin();
        Some(core::ptr::NonNull::from(t))
    }

    /// `f` of the active table, without a reference of its own: a table
    /// is waited for by its pins, not by its references, but a look
    /// should not hold even those.
    pub fn with_active<T>(&self, f: impl FnOnce(Option<&Table>) -> T) -> T {
        f(self.active.read().as_deref())
    }

    /// Installs `new` as the active table and hands back the old one.
    pub fn swap_active(&self, new: Option<Arc<Table>>) -> Option<Arc<Table>> {
        core::mem::replace(&mut *self.active.write(), new)
    }

    pub fn suspended(&self) -> bool {
        self.suspended.load(Ordering::SeqCst)
    }

    /// Open nodes (block, character): 0 when the device is closed.
    pub fn open_count(&self) -> u32 {
        self.open_mask.load(Ordering::SeqCst).count_ones()
    }

    pub fn event_nr(&self) -> u32 {
        self.event_nr.load(Ordering::SeqCst)
    }

    pub fn is_gone(&self) -> bool {
        self.gone.load(Ordering::SeqCst)
    }

    pub(crate) fn mark_gone(&self) {
        self.gone.store(true, Ordering::SeqCst);
        self.waitq.wake();
    }

    pub(crate) fn bump_event(&self) {
        self.event_nr.fetch_add(1, Ordering::SeqCst);
        self.waitq.wake();
    }

    /// The geometry setgeometry gave, if any (heads and sectors 1-255).
    pub fn geometry(&self) -> Option<Geometry> {
        let g = self.geometry.load(Ordering::Acquire);
        (g & 1 != 0).then(|| Geometry {
            cylinders: (g >> 17) as u32,
            heads: ((g >> 9) & 0xff) as u32,
            sectors: ((g >> 1) & 0xff) as u32,
            start: self.geometry_start.load(Ordering::Acquire),
        })
    }

    pub(crate) fn set_geometry(&self, g: Geometry) {
        self.geometry_start.store(g.start, Ordering::Release);
        let packed = u64::from(g.cylinders) << 17
            | u64::from(g.heads & 0xff) << 9
            | u64::from(g.sectors & 0xff) << 1
            | 1;
        self.geometry.store(packed, Ordering::Release);
    }

    pub(crate) fn opened(&self, kind: OpenKind) {
        self.open_mask.fetch_or(kind.bit(), Ordering::SeqCst);
    }

    /// The last close of a node; EINVAL when that node is not open.
    pub(crate) fn closed(&self, kind: OpenKind) -> Result<()> {
        let was = self.open_mask.fetch_and(!kind.bit(), Ordering::SeqCst);
        if was & kind.bit() == 0 {
            return Err(Errno::EINVAL.into());
        }
        Ok(())
    }

    /// Stops new I/O (it is deferred) and waits for I/O in flight.
    /// Interrupted, it takes back only a suspension it made: one another
    /// caller made stays.
    pub(crate) fn suspend(&self) -> Result<()> {
        let mine = !self.suspended.swap(true, Ordering::SeqCst);
        let r = self.drain();
        if r.is_err() && mine && self.unsuspend() {
            crate::kapi::disk::resumed(self.minor);
        }
        r
    }

    /// Waits, not to be interrupted, until no request is in flight: the
    /// device may go then.
    pub(crate) fn drain_all(&self) {
        let _ = self.waitq.wait_until(&self.waiters, false, || {
            self.inflight.load(Ordering::SeqCst) == 0
        });
    }

    pub(crate) fn drain(&self) -> Result<()> {
        self.waitq.wait_until(&self.waiters, true, || {
            self.inflight.load(Ordering::SeqCst) == 0
        })
    }

    pub(crate) fn unsuspend(&self) -> bool {
        let was = self.suspended.swap(false, Ordering::SeqCst);
        if was && self.waiters.load(Ordering::SeqCst) > 0 {
            self.waitq.wake();
        }
        was
    }

    /// Sleeps while the device is suspended (a cache flush waits for the
    /// resume, as I/O does); EINTR when a signal comes first.
    pub(crate) fn wait_resumed(&self) -> Result<()> {
        self.waitq
            .wait_until(&self.waiters, true, || !self.suspended() || self.is_gone())
    }

    /// Waits until no request uses `t` (references held elsewhere, by
    /// a command looking at it, do not count: they need no wakeup).
    pub(crate) fn wait_unpinned(&self, t: &Table) {
        let _ = self
            .waitq
            .wait_until(&self.waiters, false, || t.pins() == 0);
    }

    /// Waits for the device's event counter to move past `seen`, or for
    /// the device to go.
    pub(crate) fn wait_event(&self, seen: u32) -> Result<()> {
        self.waitq.wait_until(&self.waiters, true, || {
            self.event_nr() != seen || self.is_gone()
        })
    }

    /// A request is done. Under the wait queue's mutex, where detach
    /// looks: once it sees no request in flight, none touches the device
    /// again.
    pub(crate) fn io_finished(&self) {
        self.waitq.finish(&self.waiters, || {
            self.inflight.fetch_sub(1, Ordering::SeqCst);
        });
    }

    /// Maps `count` sectors at `sector`. Requests starting at the end map
    /// nothing (end of device); requests running past it are cut short;
    /// requests starting beyond it fail with EINVAL.
    pub fn map(&self, sector: u64, count: u64, dir: Dir) -> MapResult<Mapped> {
        let mut io = Io::new(self, dir);
        Ok(if io.map(sector, count)? {
            Mapped::Io(io)
        } else {
            Mapped::Deferred
        })
    }

    /// Counts a request in flight (until its [`Io`] is dropped).
    pub(crate) fn io_started(&self) {
        self.inflight.fetch_add(1, Ordering::SeqCst);
    }
}
