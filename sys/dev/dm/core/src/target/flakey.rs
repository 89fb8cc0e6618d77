//! flakey: `<device> <offset> <up secs> <down secs> [<#feature words>
//! <feature>...]` — passes I/O through for `up` seconds, then misbehaves
//! for `down` seconds, and again. Features choose how it misbehaves:
//! `drop_writes`, `error_writes`, `error_reads`, `corrupt_bio_byte <nth>
//! <r|w> <value> <flags>`; with none, all I/O fails while down.
//!
//! Messages `down`, `up` and `cycle` pin the state or restore the cycle.

use super::{invalid, parse_u32, parse_u64, LoadCtx};
use crate::errno::{Errno, Result};
use crate::io::{Action, Actions, Dir, MapResult};
use crate::kapi;
use crate::pdev::Pdev;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU8, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Corrupt {
    /// 1-based byte of the I/O to overwrite.
    nth: u64,
    dir: Dir,
    value: u8,
    flags: u32,
}

const MODE_CYCLE: u8 = 0;
const MODE_UP: u8 = 1;
const MODE_DOWN: u8 = 2;

pub struct Flakey {
    pdev: Arc<Pdev>,
    offset: u64,
    up: u32,
    down: u32,
    start_ms: u64,
    drop_writes: bool,
    error_writes: bool,
    error_reads: bool,
    corrupt: Option<Corrupt>,
    mode: AtomicU8,
}

const USAGE: &str = "flakey: expected '<device> <offset> <up secs> <down secs> \
[<#feature words> <feature>...]'";

impl Flakey {
    pub fn parse(args: &[&str], length: u64, ctx: &mut LoadCtx<'_>) -> Result<Flakey> {
        if args.len() < 4 {
            return Err(invalid(USAGE));
        }
        let get = |i: usize| args.get(i).copied().unwrap_or("");
        let offset = parse_u64("flakey: offset", get(1))?;
        let up = parse_u32("flakey: up interval", get(2))?;
        let down = parse_u32("flakey: down interval", get(3))?;
        if up.checked_add(down).is_none_or(|t| t == 0) {
            return Err(invalid(
                "flakey: up + down interval must be non-zero and fit in 32 bits",
            ));
        }
        let mut f = Flakey {
            pdev: ctx.component("flakey", get(0), offset, length)?,
            offset,
            up,
            down,
            start_ms: kapi::uptime_ms(),
            drop_writes: false,
            error_writes: false,
            error_reads: false,
            corrupt: None,
            mode: AtomicU8::new(MODE_CYCLE),
        };
        f.parse_features(args.get(4..).unwrap_or_default())?;
        Ok(f)
    }

    fn parse_features(&mut self, rest: &[&str]) -> Result<()> {
        let Some((n, words)) = rest.split_first() else {
            return Ok(());
        };
        let n = parse_u32("flakey: feature word count", n)? as usize;
        if n != words.len() {
            return Err(invalid(format!(
                "flakey: feature word count is {n} but {} word(s) follow",
                words.len()
            )));
        }
        let mut i = 0;
        while let Some(w) = words.get(i) {
            match *w {
                "drop_writes" => self.drop_writes = true,
                "error_writes" => self.error_writes = true,
                "error_reads" => self.error_reads = true,
                "corrupt_bio_byte" => {
                    let arg = |k: usize| words.get(i + k).copied();
                    let (Some(nth), Some(d), Some(v), Some(fl)) = (arg(1), arg(2), arg(3), arg(4))
                    else {
                        return Err(invalid(
                            "flakey: corrupt_bio_byte needs <nth byte> <r|w> <value> <flags>",
                        ));
                    };
                    let nth = parse_u64("flakey: corrupt_bio_byte byte", nth)?;
                    if nth == 0 {
                        return Err(invalid("flakey: corrupt_bio_byte counts bytes from 1"));
                    }
                    let dir = match d {
                        "r" => Dir::Read,
                        "w" => Dir::Write,
                        _ => {
                            return Err(invalid(
                                "flakey: corrupt_bio_byte direction must be r or w",
                            ))
                        }
                    };
                    let value = u8::try_from(parse_u32("flakey: corrupt_bio_byte value", v)?)
                        .map_err(|_| invalid("flakey: corrupt_bio_byte value must be 0-255"))?;
                    let flags = parse_u32("flakey: corrupt_bio_byte flags", fl)?;
                    self.corrupt = Some(Corrupt {
                        nth,
                        dir,
                        value,
                        flags,
                    });
                    i += 4;
                }
                other => return Err(invalid(format!("flakey: unknown feature '{other}'"))),
            }
            i += 1;
        }
        if self.drop_writes && self.error_writes {
            return Err(invalid(
                "flakey: drop_writes and error_writes exclude each other",
            ));
        }
        let corrupt_writes = self.corrupt.is_some_and(|c| c.dir == Dir::Write);
        if corrupt_writes && (self.drop_writes || self.error_writes) {
            return Err(invalid(
                "flakey: corrupt_bio_byte w cannot be combined with drop_writes or error_writes",
            ));
        }
        Ok(())
    }

    pub fn pdev(&self) -> &Arc<Pdev> {
        &self.pdev
    }

    fn feature_words(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.drop_writes {
            w.push(String::from("drop_writes"));
        }
        if self.error_writes {
            w.push(String::from("error_writes"));
        }
        if self.error_reads {
            w.push(String::from("error_reads"));
        }
        if let Some(c) = self.corrupt {
            let d = if c.dir == Dir::Read { "r" } else { "w" };
            w.push(format!(
                "corrupt_bio_byte {} {d} {} {}",
                c.nth, c.value, c.flags
            ));
        }
        w
    }

    pub fn table_string(&self) -> String {
        let words = self.feature_words();
        let count: usize = words.iter().map(|w| w.split(' ').count()).sum();
        let mut s = format!(
            "{} {} {} {}",
            self.pdev.dev_string(),
            self.offset,
            self.up,
            self.down
        );
        if count > 0 {
            s.push_str(&format!(" {count} {}", words.join(" ")));
        }
        s
    }

    /// `up` or `down` now, and whether a message pinned it.
    pub fn status_string(&self) -> String {
        let state = if self.is_down() { "down" } else { "up" };
        match self.mode.load(Ordering::Relaxed) {
            MODE_CYCLE => String::from(state),
            _ => format!("{state} pinned"),
        }
    }

    fn is_down(&self) -> bool {
        match self.mode.load(Ordering::Relaxed) {
            MODE_UP => false,
            MODE_DOWN => true,
            _ => {
                let secs = kapi::uptime_ms().saturating_sub(self.start_ms) / 1000;
                let period = u64::from(self.up) + u64::from(self.down);
                secs % period >= u64::from(self.up)
            }
        }
    }

    pub fn map(&self, rel: u64, count: u64, buf: u64, dir: Dir, out: &mut Actions) -> MapResult {
        let pass = Action::io(buf, count, self.pdev.comp(), self.offset + rel);
        if !self.is_down() {
            return Action::push(out, pass);
        }
        let with_corrupt = |mut a: Action| {
            if let Some(c) = self.corrupt.filter(|c| c.dir == dir) {
                if c.nth <= count.saturating_mul(512) {
                    a.corrupt_byte = c.nth;
                    a.corrupt_value = u32::from(c.value);
                }
            }
            a
        };
        let any_feature =
            self.drop_writes || self.error_writes || self.error_reads || self.corrupt.is_some();
        let action = match dir {
            Dir::Read if self.error_reads || !any_feature => Action::error(buf, count, Errno::EIO),
            Dir::Read => with_corrupt(pass),
            Dir::Write if self.drop_writes => Action::drop(buf, count),
            Dir::Write if self.error_writes => Action::error(buf, count, Errno::EIO),
            Dir::Write if self.corrupt.is_some() => with_corrupt(pass),
            // As Linux: error_reads alone leaves writes alone.
            Dir::Write if any_feature => pass,
            Dir::Write => Action::error(buf, count, Errno::EIO),
        };
        Action::push(out, action)
    }

    pub fn message(&self, args: &[&str]) -> Result<()> {
        let mode = match args {
            ["up"] => MODE_UP,
            ["down"] => MODE_DOWN,
            ["cycle"] => MODE_CYCLE,
            _ => return Err(invalid("flakey: messages are 'up', 'down' and 'cycle'")),
        };
        self.mode.store(mode, Ordering::Relaxed);
        Ok(())
    }
}
