//! What the daemon asks the driver itself: device lookups by name, the
//! list of devices, and keeping /dev/mapper names mapped for stacking.

use crate::host;
use proplib::{Dict, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A request as dmctl sends it (version 4.0.0, DM_ERRNO_FLAG: a missing
/// device is ENOENT, not a reply without EXISTS).
pub fn request(command: &str, extra: &[(&str, Value)]) -> Vec<u8> {
    let mut d = Dict::new();
    d.insert("command".into(), command.into());
    d.insert(
        "version".into(),
        Value::Array(vec![4u32.into(), 0u32.into(), 0u32.into()]),
    );
    d.insert(
        "flags".into(),
        Value::Unsigned(u64::from(dm_core::flags::ERRNO)),
    );
    for (k, v) in extra {
        d.insert((*k).to_owned(), v.clone());
    }
    Value::Dict(d).to_xml().into_bytes()
}

/// Runs a request as root on this thread.
pub fn call(req: &[u8]) -> Result<Value, host::Errno> {
    host::set_uid(0);
    let (e, reply) = host::control(req);
    if e != 0 {
        return Err(e);
    }
    let text = reply.ok_or(libc::EIO)?;
    proplib::internalize(&text).map_err(|_| libc::EIO)
}

pub struct Info {
    pub minor: u32,
    pub readonly: bool,
}

/// The device named `name`.
pub fn info(name: &str) -> Result<Info, host::Errno> {
    let r = call(&request("info", &[("name", name.into())]))?;
    let d = r.as_dict().ok_or(libc::EIO)?;
    let minor = d.get("minor").and_then(Value::as_u64).ok_or(libc::EIO)?;
    let flags = d.get("flags").and_then(Value::as_u64).unwrap_or(0);
    Ok(Info {
        minor: u32::try_from(minor).map_err(|_| libc::EIO)?,
        readonly: flags & 1 != 0,
    })
}

/// Every device: name → minor.
pub fn names() -> Result<BTreeMap<String, u32>, host::Errno> {
    let r = call(&request("names", &[]))?;
    let list = r
        .as_dict()
        .and_then(|d| d.get("cmd_data"))
        .and_then(Value::as_array)
        .unwrap_or(&[]);
    Ok(list
        .iter()
        .filter_map(|e| {
            let d = e.as_dict()?;
            let name = d.get("name")?.as_str()?.to_owned();
            let minor = u32::try_from(d.get("dev")?.as_u64()?).ok()?;
            Some((name, minor))
        })
        .collect())
}

/// /dev/mapper/<name> → minor, as registered with host mode.
static MAPPED: Mutex<BTreeMap<String, u32>> = Mutex::new(BTreeMap::new());

fn map(name: &str) {
    if let Ok(i) = info(name) {
        if host::map_dm(name, i.minor).is_ok() {
            MAPPED
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(name.to_owned(), i.minor);
        }
    }
}

fn unmap(name: &str) {
    host::unmap_dm(name);
    MAPPED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(name);
}

/// The current name of the device a request names (by name, uuid or
/// minor, as the driver looks it up).
fn current_name(req: &Dict) -> Option<String> {
    let keys: Vec<(&str, Value)> = ["name", "uuid", "minor"]
        .into_iter()
        .filter_map(|k| Some((k, req.get(k)?.clone())))
        .collect();
    let r = call(&request("info", &keys)).ok()?;
    Some(r.as_dict()?.get("name")?.as_str()?.to_owned())
}

/// What a command will do to the /dev/mapper names, learned before it
/// runs (a removed device can no longer be asked its name), and applied
/// once it succeeded: one device at a time, so the cost does not grow
/// with the number of devices.
pub enum NameChange {
    Create(String),
    Remove(String),
    Rename { old: String, new: String },
    RemoveAll,
}

/// Whether a reply the ioctl returned 0 for reports a failed command
/// (its `errno` key, set for clients that do not take errnos).
pub fn reply_failed(reply: &[u8]) -> bool {
    proplib::internalize(reply)
        .ok()
        .and_then(|v| v.as_dict()?.get("errno")?.as_u64())
        .is_some_and(|e| e != 0)
}

impl NameChange {
    pub fn before(req: &[u8]) -> Option<NameChange> {
        let v = proplib::internalize(req).ok()?;
        let d = v.as_dict()?;
        match d.get("command")?.as_str()? {
            "create" => Some(NameChange::Create(d.get("name")?.as_str()?.to_owned())),
            "remove" => current_name(d).map(NameChange::Remove),
            "rename" => {
                let flags = d.get("flags").and_then(Value::as_u64).unwrap_or(0);
                if flags & u64::from(dm_core::flags::UUID) != 0 {
                    return None;
                }
                let new = d.get("cmd_data")?.as_array()?.first()?.as_str()?.to_owned();
                Some(NameChange::Rename {
                    old: current_name(d)?,
                    new,
                })
            }
            "remove_all" => Some(NameChange::RemoveAll),
            _ => None,
        }
    }

    pub fn apply(self) {
        match self {
            NameChange::Create(name) => map(&name),
            NameChange::Remove(name) => unmap(&name),
            NameChange::Rename { old, new } => {
                unmap(&old);
                map(&new);
            }
            NameChange::RemoveAll => {
                let all: Vec<String> = MAPPED
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .keys()
                    .cloned()
                    .collect();
                for name in all {
                    unmap(&name);
                }
                // Devices still open survive remove_all.
                for name in names().unwrap_or_default().keys() {
                    map(name);
                }
            }
        }
    }
}
