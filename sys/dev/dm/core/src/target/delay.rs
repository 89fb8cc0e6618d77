//! delay: `<device> <offset> <ms> [<write device> <write offset> <write ms>]`
//! — I/O passes to the component after a delay; with six parameters reads
//! and writes have their own component and delay.

use super::{expect_args, invalid, parse_u32, parse_u64, LoadCtx};
use crate::errno::Result;
use crate::io::{Action, Actions, Dir, MapResult};
use crate::limits::DELAY_MS_MAX;
use crate::pdev::Pdev;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicU64, Ordering};

struct Leg {
    pdev: Arc<Pdev>,
    offset: u64,
    ms: u32,
}

pub struct Delay {
    read: Leg,
    /// Present only in the six-parameter form.
    write: Option<Leg>,
    queued_reads: AtomicU64,
    queued_writes: AtomicU64,
}

fn leg(args: &[&str], length: u64, ctx: &mut LoadCtx<'_>) -> Result<Leg> {
    let get = |i: usize| args.get(i).copied().unwrap_or("");
    let offset = parse_u64("delay: offset", get(1))?;
    let ms = parse_u32("delay: milliseconds", get(2))?;
    if ms > DELAY_MS_MAX {
        return Err(invalid(format!(
            "delay: {ms} ms is longer than the limit of {DELAY_MS_MAX} ms"
        )));
    }
    let pdev = ctx.component("delay", get(0), offset, length)?;
    Ok(Leg { pdev, offset, ms })
}

impl Delay {
    pub fn parse(args: &[&str], length: u64, ctx: &mut LoadCtx<'_>) -> Result<Delay> {
        expect_args(
            "delay",
            args,
            &[3, 6],
            "<device> <offset> <ms> [<write device> <write offset> <write ms>]",
        )?;
        let read = leg(args.get(..3).unwrap_or_default(), length, ctx)?;
        let write = match args.get(3..6) {
            Some(w) => Some(leg(w, length, ctx)?),
            None => None,
        };
        Ok(Delay {
            read,
            write,
            queued_reads: AtomicU64::new(0),
            queued_writes: AtomicU64::new(0),
        })
    }

    fn leg(&self, dir: Dir) -> &Leg {
        match (dir, &self.write) {
            (Dir::Write, Some(w)) => w,
            _ => &self.read,
        }
    }

    fn counter(&self, dir: Dir) -> &AtomicU64 {
        match dir {
            Dir::Read => &self.queued_reads,
            Dir::Write => &self.queued_writes,
        }
    }

    /// The read leg's component, and the write leg's where it has one.
    pub fn pdevs(&self) -> (&Arc<Pdev>, Option<&Arc<Pdev>>) {
        (&self.read.pdev, self.write.as_ref().map(|w| &w.pdev))
    }

    pub fn table_string(&self) -> String {
        let one = |l: &Leg| format!("{} {} {}", l.pdev.dev_string(), l.offset, l.ms);
        match &self.write {
            Some(w) => format!("{} {}", one(&self.read), one(w)),
            None => one(&self.read),
        }
    }

    /// I/Os currently held back or in flight, reads then writes.
    pub fn status_string(&self) -> String {
        format!(
            "{} {}",
            self.queued_reads.load(Ordering::Relaxed),
            self.queued_writes.load(Ordering::Relaxed)
        )
    }

    pub fn map(&self, rel: u64, count: u64, buf: u64, dir: Dir, out: &mut Actions) -> MapResult {
        let l = self.leg(dir);
        let mut a = Action::io(buf, count, l.pdev.comp(), l.offset + rel);
        a.delay_ms = l.ms;
        Action::push(out, a)?;
        self.counter(dir).fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    pub fn io_done(&self, dir: Dir) {
        let c = self.counter(dir);
        let _ = c.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| v.checked_sub(1));
    }
}
