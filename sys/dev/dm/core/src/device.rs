//! A dm device's I/O-side state: what the I/O path reads without taking
//! the registry lock. Name, uuid and the inactive table live in the
//! registry record, which only commands touch.

use crate::errno::{Errno, Result};
use crate::io::{Dir, Io, MapResult, Mapped};
use crate::kapi::{KCondvar, KMutex};
use crate::table::Table;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Where every sleeper in dm-core sleeps: I/O drain, old-table drain and
/// waitevent. Its mutex is taken from I/O completion, so the glue makes
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

pub struct Device {
    pub minor: u32,
    /// Created read-only: writes fail and components open read-only.
    pub readonly: bool,
    active: spin::RwLock<Option<Arc<Table>>>,
    suspended: AtomicBool,
    inflight: AtomicU32,
    waiters: AtomicU32,
    open_count: AtomicU32,
    event_nr: AtomicU32,
    gone: AtomicBool,
    waitq: Arc<WaitQueue>,
}

impl Device {
    pub fn new(minor: u32, readonly: bool, waitq: Arc<WaitQueue>) -> Device {
        Device {
            minor,
            readonly,
            active: spin::RwLock::new(None),
            suspended: AtomicBool::new(false),
            inflight: AtomicU32::new(0),
            waiters: AtomicU32::new(0),
            open_count: AtomicU32::new(0),
            event_nr: AtomicU32::new(0),
            gone: AtomicBool::new(false),
            waitq,
        }
    }

    pub fn active(&self) -> Option<Arc<Table>> {
        self.active.read().clone()
    }

    /// Installs `new` as the active table and hands back the old one.
    pub fn swap_active(&self, new: Option<Arc<Table>>) -> Option<Arc<Table>> {
        core::mem::replace(&mut *self.active.write(), new)
    }

    pub fn suspended(&self) -> bool {
        self.suspended.load(Ordering::SeqCst)
    }

    pub fn open_count(&self) -> u32 {
        self.open_count.load(Ordering::SeqCst)
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

    pub(crate) fn opened(&self) {
        self.open_count.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn closed(&self) -> Result<()> {
        self.open_count
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| v.checked_sub(1))
            .map(|_| ())
            .map_err(|_| Errno::EINVAL.into())
    }

    /// Stops new I/O (it is deferred) and waits for I/O in flight.
    pub(crate) fn suspend(&self) -> Result<()> {
        self.suspended.store(true, Ordering::SeqCst);
        self.drain()
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

    /// Waits until nothing but the caller holds `t`.
    pub(crate) fn wait_unpinned(&self, t: &Arc<Table>) {
        let _ = self
            .waitq
            .wait_until(&self.waiters, false, || Arc::strong_count(t) == 1);
    }

    /// Waits for the device's event counter to move past `seen`, or for
    /// the device to go.
    pub(crate) fn wait_event(&self, seen: u32) -> Result<()> {
        self.waitq.wait_until(&self.waiters, true, || {
            self.event_nr() != seen || self.is_gone()
        })
    }

    pub(crate) fn io_finished(&self) {
        self.inflight.fetch_sub(1, Ordering::SeqCst);
        if self.waiters.load(Ordering::SeqCst) > 0 {
            self.waitq.wake();
        }
    }

    /// Maps `count` sectors at `sector`. Requests starting at the end map
    /// nothing (end of device); requests running past it are cut short;
    /// requests starting beyond it fail with EINVAL.
    pub fn map(self: &Arc<Self>, sector: u64, count: u64, dir: Dir) -> MapResult<Mapped> {
        let mut io = Io::new(Arc::clone(self), dir);
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
