//! The device registry: every dm device by minor, name and uuid, the open
//! components, and the control-side state of each device. One sleepable
//! lock serializes commands; the I/O path sees only the minor index.

use crate::device::{Device, OpenKind};
use crate::errno::{invalid, Errno, Error, Result};
use crate::ioctl::Keys;
use crate::kapi::{KGuard, KMutex, KRwLock};
use crate::limits::{DEVICES_MAX, MINOR_MAX, NAME_MAX, UUID_MAX};
use crate::pdev::PdevSet;
use crate::table::Table;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// Disk geometry set with `setgeometry`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct Geometry {
    pub cylinders: u32,
    pub heads: u32,
    pub sectors: u32,
    pub start: u64,
}

/// What commands know of a device beyond its I/O state.
pub struct Record {
    pub dev: Arc<Device>,
    pub name: String,
    /// Empty when the device has none.
    pub uuid: String,
    pub inactive: Option<Arc<Table>>,
}

#[derive(Default)]
pub struct State {
    pub recs: BTreeMap<u32, Record>,
    pub by_name: BTreeMap<String, u32>,
    pub by_uuid: BTreeMap<String, u32>,
    /// The last minor handed out; minors are not reused until they run out.
    pub last_minor: u32,
    pub pdevs: PdevSet,
}

/// How a request names its device (its strings read in place from the
/// request).
pub struct Ident<S> {
    pub minor: u32,
    pub name: Option<S>,
    pub uuid: Option<S>,
}

pub struct Core {
    pub(crate) state: KMutex<State>,
    /// minor → device, for open/close and the disk ioctls.
    pub(crate) index: KRwLock<BTreeMap<u32, Arc<Device>>>,
    /// Held only: see [`Keys`].
    _keys: Keys,
}

/// Checks a device name: 1 to 127 bytes, no `/`, not `.` or `..`, no
/// control characters (it becomes /dev/mapper/<name>).
pub fn check_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(invalid("device name is empty"));
    }
    if name.len() > NAME_MAX {
        return Err(invalid(format!(
            "device name is {} bytes long; at most {NAME_MAX} are allowed",
            name.len()
        )));
    }
    if name == "." || name == ".." {
        return Err(invalid(format!("'{name}' cannot be a device name")));
    }
    if name.contains('/') {
        return Err(invalid("device name cannot contain '/'"));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid("device name cannot contain control characters"));
    }
    Ok(())
}

pub fn check_uuid(uuid: &str) -> Result<()> {
    if uuid.len() > UUID_MAX {
        return Err(invalid(format!(
            "uuid is {} bytes long; at most {UUID_MAX} are allowed",
            uuid.len()
        )));
    }
    if uuid.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(invalid("uuid cannot contain spaces or control characters"));
    }
    Ok(())
}

impl State {
    pub fn find<S: core::ops::Deref<Target = str>>(&self, id: &Ident<S>) -> Option<u32> {
        if id.minor > 0 && self.recs.contains_key(&id.minor) {
            return Some(id.minor);
        }
        if let Some(n) = id.name.as_deref().filter(|n| !n.is_empty()) {
            if let Some(&m) = self.by_name.get(n) {
                return Some(m);
            }
        }
        if let Some(u) = id.uuid.as_deref().filter(|u| !u.is_empty()) {
            if let Some(&m) = self.by_uuid.get(u) {
                return Some(m);
            }
        }
        None
    }

    pub fn rec(&self, minor: u32) -> Result<&Record> {
        self.recs.get(&minor).ok_or_else(|| Errno::ENOENT.into())
    }

    pub fn rec_mut(&mut self, minor: u32) -> Result<&mut Record> {
        self.recs
            .get_mut(&minor)
            .ok_or_else(|| Errno::ENOENT.into())
    }

    /// The next free minor: counting up from the last one, wrapping only
    /// when the 20-bit space runs out.
    pub fn alloc_minor(&mut self) -> Result<u32> {
        if self.recs.len() >= DEVICES_MAX {
            return Err(Error::new(
                Errno::ENOSPC,
                format!("there are already {DEVICES_MAX} devices"),
            ));
        }
        let mut m = self.last_minor;
        for _ in 0..MINOR_MAX {
            m = if m >= MINOR_MAX { 1 } else { m + 1 };
            if !self.recs.contains_key(&m) {
                self.last_minor = m;
                return Ok(m);
            }
        }
        Err(Errno::ENOSPC.into())
    }

    /// Devices whose tables use dm device `minor` as a component.
    pub fn users_of(&self, minor: u32) -> Vec<u32> {
        self.recs
            .iter()
            .filter(|(&m, r)| m != minor && uses(r, minor))
            .map(|(&m, _)| m)
            .collect()
    }

    /// Whether a table of device `from` may use dm device `to` without a
    /// cycle: `to` must not reach `from` through tables.
    pub fn would_loop(&self, from: u32, to: u32) -> bool {
        let mut stack = alloc::vec![to];
        let mut seen: Vec<u32> = Vec::new();
        while let Some(m) = stack.pop() {
            if m == from {
                return true;
            }
            if seen.contains(&m) {
                continue;
            }
            seen.push(m);
            if let Some(r) = self.recs.get(&m) {
                for t in tables(r) {
                    for p in t.component_uses() {
                        if let Some(d) = p.dm_minor() {
                            stack.push(d);
                        }
                    }
                }
            }
        }
        false
    }
}

fn tables(r: &Record) -> Vec<Arc<Table>> {
    let mut v = Vec::new();
    if let Some(a) = r.dev.active() {
        v.push(a);
    }
    if let Some(i) = &r.inactive {
        v.push(Arc::clone(i));
    }
    v
}

fn uses(r: &Record, minor: u32) -> bool {
    tables(r)
        .iter()
        .any(|t| t.component_uses().any(|p| p.dm_minor() == Some(minor)))
}

impl Core {
    pub fn new() -> Result<Core> {
        Ok(Core {
            state: KMutex::new(State::default())?,
            index: KRwLock::new(BTreeMap::new())?,
            _keys: Keys::new()?,
        })
    }

    pub(crate) fn lock(&self) -> KGuard<'_, State> {
        self.state.lock()
    }

    /// The device for I/O or open/close by minor.
    pub fn device(&self, minor: u32) -> Option<Arc<Device>> {
        self.index.read().get(&minor).cloned()
    }

    pub fn device_count(&self) -> usize {
        self.index.read().len()
    }

    /// An open of a node of the dm disk `minor`.
    pub fn open(&self, minor: u32, kind: OpenKind) -> Result<()> {
        let idx = self.index.read();
        let d = idx.get(&minor).ok_or(Errno::ENXIO)?;
        d.opened(kind);
        Ok(())
    }

    /// The last close of a node of the dm disk `minor`.
    pub fn close(&self, minor: u32, kind: OpenKind) -> Result<()> {
        let d = self.device(minor).ok_or(Errno::ENXIO)?;
        d.closed(kind)
    }

    /// Size in sectors and sector size of the active table, or (0, 512).
    pub fn size(&self, minor: u32) -> Result<(u64, u32)> {
        let d = self.device(minor).ok_or(Errno::ENXIO)?;
        Ok(d.with_active(|t| t.map_or((0, 512), |t| (t.size(), t.secsize()))))
    }

    /// setgeometry's geometry: no registry lock, since the glue asks for
    /// it from disk ioctls that a command holding the lock may cause (a
    /// component that is a dm device).
    pub fn geometry(&self, minor: u32) -> Result<Option<Geometry>> {
        Ok(self.device(minor).ok_or(Errno::ENXIO)?.geometry())
    }

    /// Components currently open, across all tables.
    pub fn open_components(&self) -> usize {
        self.lock().pdevs.open_count()
    }
}
