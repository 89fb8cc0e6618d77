//! striped: `<#stripes> <chunk sectors> (<device> <offset>)+` — chunks of
//! the line go round-robin over the stripes. Any stripe count from 1 and
//! any chunk size are allowed; powers of two take a shift/mask path.

use super::{invalid, parse_u32, parse_u64, LoadCtx};
use crate::errno::Result;
use crate::io::{Action, Actions, MapResult};
use crate::limits::STRIPES_MAX;
use crate::pdev::Pdev;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt::Write;

pub struct Striped {
    chunk: u64,
    nstripes: u64,
    /// log2 of chunk and of nstripes when both are powers of two.
    shifts: Option<(u32, u32)>,
    stripes: Vec<(Arc<Pdev>, u64)>,
}

impl Striped {
    pub fn parse(args: &[&str], length: u64, ctx: &mut LoadCtx<'_>) -> Result<Striped> {
        let usage = "striped: expected '<#stripes> <chunk sectors> (<device> <offset>)+'";
        let (Some(n), Some(c)) = (args.first(), args.get(1)) else {
            return Err(invalid(usage));
        };
        let n = parse_u32("striped: stripe count", n)?;
        if n == 0 || n > STRIPES_MAX {
            return Err(invalid(format!(
                "striped: stripe count {n} must be between 1 and {STRIPES_MAX}"
            )));
        }
        let chunk = parse_u64("striped: chunk size", c)?;
        if chunk == 0 {
            return Err(invalid("striped: chunk size must not be 0"));
        }
        let pairs = args.get(2..).unwrap_or_default();
        if pairs.len() != 2 * n as usize {
            return Err(invalid(format!(
                "striped: {n} stripes need {} device/offset arguments, got {}",
                2 * n,
                pairs.len()
            )));
        }
        let nstripes = u64::from(n);
        if !length.is_multiple_of(nstripes) {
            return Err(invalid(format!(
                "striped: length {length} is not divisible by the stripe count {n}"
            )));
        }
        let width = length / nstripes;
        if !width.is_multiple_of(chunk) {
            return Err(invalid(format!(
                "striped: length per stripe {width} is not divisible by the chunk size {chunk}"
            )));
        }
        let mut stripes = Vec::new();
        stripes.try_reserve_exact(n as usize)?;
        for pair in pairs.chunks_exact(2) {
            let (dev, off) = (
                pair.first().copied().unwrap_or(""),
                pair.get(1).copied().unwrap_or(""),
            );
            let offset = parse_u64("striped: offset", off)?;
            stripes.push((ctx.component("striped", dev, offset, width)?, offset));
        }
        let shifts = (chunk.is_power_of_two() && nstripes.is_power_of_two())
            .then(|| (chunk.trailing_zeros(), nstripes.trailing_zeros()));
        Ok(Striped {
            chunk,
            nstripes,
            shifts,
            stripes,
        })
    }

    /// The stripes: component and offset of each.
    pub fn stripes(&self) -> &[(Arc<Pdev>, u64)] {
        &self.stripes
    }

    pub fn table_string(&self) -> String {
        let mut s = format!("{} {}", self.nstripes, self.chunk);
        for (p, off) in &self.stripes {
            let _ = write!(s, " {} {}", p.dev_string(), off);
        }
        s
    }

    /// Linux's form: count, the devices, `1`, then `A` (alive) per stripe.
    pub fn status_string(&self) -> String {
        let mut s = format!("{} ", self.nstripes);
        for (p, _) in &self.stripes {
            let _ = write!(s, "{} ", p.dev_string());
        }
        s.push_str("1 ");
        for _ in &self.stripes {
            s.push('A');
        }
        s
    }

    /// Where line-relative sector `rel` lives: (stripe, component sector,
    /// sectors left in its chunk).
    fn locate(&self, rel: u64) -> (usize, u64, u64) {
        let (within, stripe, row) = match self.shifts {
            Some((cs, ss)) => {
                let chunk_no = rel >> cs;
                (
                    rel & (self.chunk - 1),
                    chunk_no & (self.nstripes - 1),
                    chunk_no >> ss,
                )
            }
            None => {
                let chunk_no = rel / self.chunk;
                (
                    rel % self.chunk,
                    chunk_no % self.nstripes,
                    chunk_no / self.nstripes,
                )
            }
        };
        let stripe = stripe as usize;
        let base = self.stripes.get(stripe).map_or(0, |(_, off)| *off);
        (
            stripe,
            base + row * self.chunk + within,
            self.chunk - within,
        )
    }

    pub fn map(&self, mut rel: u64, mut count: u64, mut buf: u64, out: &mut Actions) -> MapResult {
        while count > 0 {
            let (stripe, sector, room) = self.locate(rel);
            let piece = count.min(room);
            if let Some((pdev, _)) = self.stripes.get(stripe) {
                Action::push(out, Action::io(buf, piece, pdev.comp(), sector))?;
            }
            rel += piece;
            buf += piece;
            count -= piece;
        }
        Ok(())
    }
}
