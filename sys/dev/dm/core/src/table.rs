//! Tables: the lines of a device, validated as a whole and immutable once
//! built. Line starts are indexed by a [`SearchIndex`], so finding the line
//! of a sector is O(log n) and touches a handful of cache lines.

use crate::errno::{invalid, Errno, Error, Result};
use crate::index::SearchIndex;
use crate::io::{Actions, Counted, Dir, MapResult};
use crate::limits::{LINES_MAX, PARAMS_MAX, SECTORS_MAX, TARGET_NAME_MAX};
use crate::pdev::Pdev;
use crate::target::{self, LoadCtx, Target};
use alloc::format;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

/// One line as a reload request gives it, before parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineSpec<'a> {
    pub start: u64,
    pub length: u64,
    pub kind: &'a str,
    pub params: &'a str,
}

/// A line as the table keeps it: its start beside its target, so the
/// I/O path finds both in one cache line.
struct Line {
    start: u64,
    target: Target,
}

pub struct Table {
    /// The line starts; the first is 0, strictly increasing.
    index: SearchIndex,
    lines: Vec<Line>,
    size: u64,
    readonly: bool,
    /// Requests using the table now (`Io` pins it until done).
    pins: AtomicU32,
}

fn line_err(n: usize, e: Error) -> Error {
    Error {
        errno: e.errno,
        msg: Some(match e.msg {
            Some(m) => format!("line {n}: {m}"),
            None => format!("line {n}: invalid"),
        }),
    }
}

impl Table {
    /// Parses and validates `lines`: the first starts at 0, each starts
    /// where the previous ends, none is empty, every target is known and
    /// its parameters are well-formed, and every component is big enough.
    pub fn build(lines: &[LineSpec<'_>], ctx: &mut LoadCtx<'_>) -> Result<Table> {
        if lines.is_empty() {
            return Err(invalid("the table has no lines"));
        }
        if lines.len() > LINES_MAX {
            return Err(Error::new(
                crate::errno::Errno::E2BIG,
                format!(
                    "the table has {} lines; at most {LINES_MAX} are allowed",
                    lines.len()
                ),
            ));
        }
        let mut built = Vec::new();
        built.try_reserve_exact(lines.len())?;
        let mut next = 0u64;
        for (i, l) in lines.iter().enumerate() {
            let n = i + 1;
            if l.length == 0 {
                return Err(line_err(n, invalid("length is 0")));
            }
            if l.start != next {
                let what = if l.start > next { "gap" } else { "overlap" };
                return Err(line_err(
                    n,
                    invalid(format!(
                        "starts at sector {}, but the previous line ends at {next} ({what})",
                        l.start
                    )),
                ));
            }
            next = match l.start.checked_add(l.length) {
                Some(e) if e <= SECTORS_MAX => e,
                _ => {
                    return Err(line_err(
                        n,
                        invalid(format!("the device would exceed {SECTORS_MAX} sectors")),
                    ))
                }
            };
            if l.kind.len() > TARGET_NAME_MAX {
                return Err(line_err(n, invalid("target name is too long")));
            }
            let ty = target::lookup(l.kind).ok_or_else(|| {
                line_err(
                    n,
                    Error::new(
                        crate::errno::Errno::EINVAL,
                        format!("unknown target type '{}'", l.kind),
                    ),
                )
            })?;
            if l.params.len() > PARAMS_MAX {
                return Err(line_err(
                    n,
                    invalid(format!("parameters longer than {PARAMS_MAX} bytes")),
                ));
            }
            let args: Vec<&str> = l.params.split_ascii_whitespace().collect();
            let t = Target::parse(ty.kind, &args, l.length, ctx).map_err(|e| line_err(n, e))?;
            built.push(Line {
                start: l.start,
                target: t,
            });
        }
        let mut starts = Vec::new();
        starts.try_reserve_exact(built.len())?;
        starts.extend(built.iter().map(|l| l.start));
        Ok(Table {
            index: SearchIndex::new(&starts, next)?,
            lines: built,
            size: next,
            readonly: !ctx.writable,
            pins: AtomicU32::new(0),
        })
    }

    pub(crate) fn pin(&self) {
        self.pins.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn unpin(&self) {
        self.pins.fetch_sub(1, Ordering::SeqCst);
    }

    pub fn pins(&self) -> u32 {
        self.pins.load(Ordering::SeqCst)
    }

    /// Size in 512-byte sectors: the end of the last line.
    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn readonly(&self) -> bool {
        self.readonly
    }

    /// Line `i`: (start, length, target).
    pub fn line(&self, i: usize) -> Option<(u64, u64, &Target)> {
        let line = self.lines.get(i)?;
        let end = self.lines.get(i + 1).map_or(self.size, |l| l.start);
        Some((line.start, end - line.start, &line.target))
    }

    pub fn lines(&self) -> impl Iterator<Item = (u64, u64, &Target)> {
        (0..self.len()).filter_map(|i| self.line(i))
    }

    /// Whether `other` maps every sector as this table does (same lines,
    /// targets and parameters): a device resumed with it shows the same
    /// disk, label included.
    pub fn same_mapping(&self, other: &Table) -> bool {
        self.size == other.size
            && self.len() == other.len()
            && self.lines().zip(other.lines()).all(|(a, b)| {
                a.0 == b.0
                    && a.1 == b.1
                    && a.2.kind() == b.2.kind()
                    && a.2.table_string() == b.2.table_string()
            })
    }

    /// The line holding `sector` (which must be below the size).
    pub fn find(&self, sector: u64) -> usize {
        self.index.find(sector)
    }

    /// Appends the actions for `count` sectors at `sector` (all inside the
    /// device), splitting at line boundaries; lines that count I/O in
    /// flight are noted in `counted`.
    pub fn map(
        &self,
        sector: u64,
        count: u64,
        dir: Dir,
        out: &mut Actions,
        counted: &mut Counted,
    ) -> MapResult {
        let i = self.find(sector);
        let Some((start, len, t)) = self.line(i) else {
            return Err(Errno::EIO);
        };
        let rel = sector - start;
        // Most requests fall inside one line that counts nothing.
        if count <= len - rel && !matches!(t, Target::Delay(_)) {
            return t.map(rel, count, 0, dir, out);
        }
        self.map_lines(i, sector, count, dir, out, counted)
    }

    /// [`Table::map`] from line `i` on, one piece per line.
    #[inline(never)]
    fn map_lines(
        &self,
        mut i: usize,
        sector: u64,
        count: u64,
        dir: Dir,
        out: &mut Actions,
        counted: &mut Counted,
    ) -> MapResult {
        let mut at = sector;
        let mut buf = 0u64;
        let mut left = count;
        while left > 0 {
            let Some((start, len, t)) = self.line(i) else {
                return Err(Errno::EIO);
            };
            let rel = at - start;
            let piece = left.min(len - rel);
            t.map(rel, piece, buf, dir, out)?;
            if matches!(t, Target::Delay(_)) {
                counted.push(u32::try_from(i).unwrap_or(u32::MAX))?;
            }
            at += piece;
            buf += piece;
            left -= piece;
            i += 1;
        }
        Ok(())
    }

    pub fn io_done(&self, line: usize, dir: Dir) {
        if let Some(l) = self.lines.get(line) {
            l.target.io_done(dir);
        }
    }

    /// Each component once, in the order lines name them.
    pub fn components(&self) -> Vec<&Arc<Pdev>> {
        let mut out: Vec<&Arc<Pdev>> = Vec::new();
        for p in self.component_uses() {
            if !out.iter().any(|q| Arc::ptr_eq(q, p)) {
                out.push(p);
            }
        }
        out
    }

    /// Every use of a component, in the order lines name them: a disk
    /// two lines map comes twice. For checks, which need no list.
    pub fn component_uses(&self) -> impl Iterator<Item = &Arc<Pdev>> {
        self.lines.iter().flat_map(|l| l.target.components())
    }

    /// The sector size the device reports: the largest of its components',
    /// or 512 for tables of synthetic targets only.
    pub fn secsize(&self) -> u32 {
        match self.lines.iter().map(|l| l.target.secsize()).max() {
            Some(s) if s > 0 => s,
            _ => 512,
        }
    }

    /// Bytes of memory the table holds beyond its components, for the
    /// per-line memory figure.
    pub fn heap_bytes(&self) -> usize {
        self.index.heap_bytes() + self.lines.capacity() * core::mem::size_of::<Line>()
    }
}
