//! Targets: what a table line maps its sectors to. Each target parses its
//! parameters, says how its line appears in `table` and `status`, and maps
//! a range of its sectors to I/O actions.

mod delay;
mod flakey;
mod linear;
mod striped;

pub use delay::Delay;
pub use flakey::Flakey;
pub use linear::Linear;
pub use striped::Striped;

use crate::errno::{invalid, Errno, Error, Result};
use crate::io::{Action, Actions, Dir, MapResult};
use crate::limits::LABEL_SECTORS;
use crate::pdev::{make_dev, split_dev, Pdev, PdevSet, DM_BMAJOR};
use crate::registry::Record;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;

/// The kinds of target, in registration order (as `targets` lists them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Linear,
    Striped,
    Error,
    Zero,
    Delay,
    Flakey,
}

pub struct TargetType {
    pub kind: Kind,
    pub name: &'static str,
    pub version: [u32; 3],
}

pub const TYPES: [TargetType; 6] = [
    TargetType {
        kind: Kind::Linear,
        name: "linear",
        version: [1, 0, 2],
    },
    TargetType {
        kind: Kind::Striped,
        name: "striped",
        version: [1, 0, 3],
    },
    TargetType {
        kind: Kind::Error,
        name: "error",
        version: [1, 0, 0],
    },
    TargetType {
        kind: Kind::Zero,
        name: "zero",
        version: [1, 0, 0],
    },
    TargetType {
        kind: Kind::Delay,
        name: "delay",
        version: [1, 0, 0],
    },
    TargetType {
        kind: Kind::Flakey,
        name: "flakey",
        version: [1, 0, 0],
    },
];

pub fn lookup(name: &str) -> Option<&'static TargetType> {
    TYPES.iter().find(|t| t.name == name)
}

/// One line's target instance.
pub enum Target {
    Linear(Linear),
    Striped(Box<Striped>),
    Error,
    Zero,
    Delay(Box<Delay>),
    Flakey(Box<Flakey>),
}

/// What parsing a line may use: the open components, the devices (to
/// find a dm component named by `major:minor`), and the rules the reload
/// asked for.
pub struct LoadCtx<'a> {
    pub pdevs: &'a mut PdevSet,
    pub devices: Option<&'a BTreeMap<u32, Record>>,
    pub writable: bool,
    pub label_override: bool,
}

impl LoadCtx<'_> {
    /// Opens component `path` for a range of `span` sectors at `offset`,
    /// checking the label rule and the component's size.
    pub fn component(
        &mut self,
        what: &str,
        path: &str,
        offset: u64,
        span: u64,
    ) -> Result<Arc<Pdev>> {
        let p = match parse_dev(path) {
            Some(dev) => self.by_dev(path, dev)?,
            None => self.pdevs.get(path.as_bytes(), self.writable)?,
        };
        // The label is in the first LABEL_SECTORS sectors of the disk the
        // component lies on: only a component that starts there (a whole
        // disk, a partition at sector 0) can reach it.
        let first_free = LABEL_SECTORS.saturating_sub(p.label_start());
        if offset < first_free && !self.label_override && p.dm_minor().is_none() {
            return Err(invalid(format!(
                "{what}: offset {offset} on {path} overlaps the boot block and disklabel \
                 of its disk (sectors 0-{}); start at {first_free} or later",
                LABEL_SECTORS - 1
            )));
        }
        let end = offset.checked_add(span);
        if end.is_none_or(|e| e > p.sectors()) {
            return Err(invalid(format!(
                "{what}: {path} has {} sectors, too small for {span} sectors at offset {offset}",
                p.sectors()
            )));
        }
        Ok(p)
    }
}

impl LoadCtx<'_> {
    /// The component a `major:minor` names, as Linux dm takes it, so the
    /// tables `table` prints load back: an open component with that
    /// block dev_t, or the dm device with that minor.
    fn by_dev(&mut self, what: &str, dev: u64) -> Result<Arc<Pdev>> {
        let path = match self.pdevs.path_of(dev) {
            Some(p) => p,
            None => {
                let (maj, min) = split_dev(dev);
                let rec = u32::try_from(min)
                    .ok()
                    .filter(|_| maj == DM_BMAJOR)
                    .and_then(|m| self.devices.and_then(|d| d.get(&m)));
                match rec {
                    Some(r) => format!("/dev/mapper/{}", r.name).into_bytes(),
                    None => {
                        return Err(Error::new(
                            Errno::ENOENT,
                            format!(
                                "{what}: no component in use has device number {maj}:{min}; \
                                 name it by its path"
                            ),
                        ))
                    }
                }
            }
        };
        self.pdevs.get(&path, self.writable)
    }
}

/// `<major>:<minor>`, both decimal and in NetBSD's ranges (12 and 20
/// bits), as the block dev_t it names.
pub fn parse_dev(s: &str) -> Option<u64> {
    let (maj, min) = s.split_once(':')?;
    let num = |t: &str, max: u64| {
        (!t.is_empty() && t.len() <= 7 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u64>().ok())
            .flatten()
            .filter(|&v| v <= max)
    };
    Some(make_dev(num(maj, 0xfff)?, num(min, 0xf_ffff)?))
}

/// A strictly decimal sector count or offset: no sign, no garbage.
pub fn parse_u64(what: &str, s: &str) -> Result<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(format!("{what} '{s}' is not a decimal number")));
    }
    s.parse::<u64>()
        .map_err(|_| invalid(format!("{what} '{s}' is out of range")))
}

pub fn parse_u32(what: &str, s: &str) -> Result<u32> {
    let v = parse_u64(what, s)?;
    u32::try_from(v).map_err(|_| invalid(format!("{what} '{s}' is out of range")))
}

fn expect_args(name: &str, args: &[&str], counts: &[usize], usage: &str) -> Result<()> {
    if counts.contains(&args.len()) {
        Ok(())
    } else {
        Err(invalid(format!(
            "{name}: expected parameters '{usage}', got {} argument(s)",
            args.len()
        )))
    }
}

impl Target {
    /// Builds the target for a line of `length` sectors from its
    /// whitespace-separated parameters.
    pub fn parse(kind: Kind, args: &[&str], length: u64, ctx: &mut LoadCtx<'_>) -> Result<Target> {
        Ok(match kind {
            Kind::Linear => Target::Linear(Linear::parse(args, length, ctx)?),
            Kind::Striped => Target::Striped(Box::new(Striped::parse(args, length, ctx)?)),
            Kind::Delay => Target::Delay(Box::new(Delay::parse(args, length, ctx)?)),
            Kind::Flakey => Target::Flakey(Box::new(Flakey::parse(args, length, ctx)?)),
            Kind::Error => Target::Error,
            Kind::Zero => Target::Zero,
        })
    }

    pub fn kind(&self) -> Kind {
        match self {
            Target::Linear(_) => Kind::Linear,
            Target::Striped(_) => Kind::Striped,
            Target::Error => Kind::Error,
            Target::Zero => Kind::Zero,
            Target::Delay(_) => Kind::Delay,
            Target::Flakey(_) => Kind::Flakey,
        }
    }

    pub fn type_name(&self) -> &'static str {
        let k = self.kind();
        TYPES.iter().find(|t| t.kind == k).map_or("", |t| t.name)
    }

    /// The parameter line `table` shows (Linux `dmsetup table` style).
    pub fn table_string(&self) -> Option<String> {
        match self {
            Target::Linear(t) => Some(t.table_string()),
            Target::Striped(t) => Some(t.table_string()),
            Target::Delay(t) => Some(t.table_string()),
            Target::Flakey(t) => Some(t.table_string()),
            Target::Error | Target::Zero => None,
        }
    }

    /// The state line `status` shows, for targets that have state.
    pub fn status_string(&self) -> Option<String> {
        match self {
            Target::Striped(t) => Some(t.status_string()),
            Target::Delay(t) => Some(t.status_string()),
            Target::Flakey(t) => Some(t.status_string()),
            Target::Linear(_) | Target::Error | Target::Zero => None,
        }
    }

    /// Appends the actions for `count` sectors at line-relative sector
    /// `rel`, which sit at sector `buf` of the request.
    pub fn map(&self, rel: u64, count: u64, buf: u64, dir: Dir, out: &mut Actions) -> MapResult {
        match self {
            Target::Linear(t) => t.map(rel, count, buf, out),
            Target::Striped(t) => t.map(rel, count, buf, out),
            Target::Delay(t) => t.map(rel, count, buf, dir, out),
            Target::Flakey(t) => t.map(rel, count, buf, dir, out),
            Target::Error => Action::push(out, Action::error(buf, count, crate::errno::Errno::EIO)),
            Target::Zero => Action::push(out, Action::zero(buf, count)),
        }
    }

    /// Every component the line uses, in parameter order (without
    /// allocating: a reload and a resume ask for them).
    pub fn components(&self) -> impl Iterator<Item = &Arc<Pdev>> {
        let (first, second, stripes) = match self {
            Target::Linear(t) => (Some(t.pdev()), None, &[][..]),
            Target::Striped(t) => (None, None, t.stripes()),
            Target::Delay(t) => {
                let (read, write) = t.pdevs();
                (Some(read), write, &[][..])
            }
            Target::Flakey(t) => (Some(t.pdev()), None, &[][..]),
            Target::Error | Target::Zero => (None, None, &[][..]),
        };
        first
            .into_iter()
            .chain(second)
            .chain(stripes.iter().map(|(p, _)| p))
    }

    /// The sector size the line contributes: its components' largest.
    pub fn secsize(&self) -> u32 {
        self.components().map(|p| p.secsize()).max().unwrap_or(0)
    }

    /// A message sent to the line with `message`.
    pub fn message(&self, args: &[&str]) -> Result<()> {
        match self {
            Target::Flakey(t) => t.message(args),
            _ => Err(Error::new(
                crate::errno::Errno::EINVAL,
                format!("target {} takes no messages", self.type_name()),
            )),
        }
    }

    /// Called when an I/O that used this line completes.
    pub fn io_done(&self, dir: Dir) {
        if let Target::Delay(t) = self {
            t.io_done(dir);
        }
    }
}
