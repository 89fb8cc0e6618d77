//! linear: `<device> <offset>` — the line's sectors, in order, at
//! `offset` on one component.

use super::{expect_args, parse_u64, LoadCtx};
use crate::errno::Result;
use crate::io::{Action, Actions, MapResult};
use crate::pdev::{Comp, Pdev};
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;

pub struct Linear {
    pdev: Arc<Pdev>,
    comp: Comp,
    offset: u64,
}

impl Linear {
    pub fn parse(args: &[&str], length: u64, ctx: &mut LoadCtx<'_>) -> Result<Linear> {
        expect_args("linear", args, &[2], "<device> <offset>")?;
        let (dev, off) = (
            args.first().copied().unwrap_or(""),
            args.get(1).copied().unwrap_or(""),
        );
        let offset = parse_u64("linear: offset", off)?;
        let pdev = ctx.component("linear", dev, offset, length)?;
        Ok(Linear {
            comp: pdev.comp(),
            pdev,
            offset,
        })
    }

    pub fn pdev(&self) -> &Arc<Pdev> {
        &self.pdev
    }

    pub fn table_string(&self) -> String {
        format!("{} {}", self.pdev.dev_string(), self.offset)
    }

    pub fn map(&self, rel: u64, count: u64, buf: u64, out: &mut Actions) -> MapResult {
        Action::push(out, Action::io(buf, count, self.comp, self.offset + rel))
    }
}
