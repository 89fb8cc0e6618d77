//! What the daemon asks the driver itself: device lookups by name, the
//! list of devices, and keeping /dev/mapper names mapped for stacking.

use crate::host;
use proplib::{Dict, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A request as dmctl and libdm send it (version 4.0.0).
pub fn request(command: &str, extra: &[(&str, Value)]) -> Vec<u8> {
    let mut d = Dict::new();
    d.insert("command".into(), command.into());
    d.insert(
        "version".into(),
        Value::Array(vec![4u32.into(), 0u32.into(), 0u32.into()]),
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

/// /dev/mapper/<name> → minor, as last registered with host mode.
static MAPPED: Mutex<BTreeMap<String, u32>> = Mutex::new(BTreeMap::new());

/// Brings the /dev/mapper names host mode knows up to date.
pub fn sync_mapper_names() {
    let Ok(now) = names() else {
        return;
    };
    let mut mapped = MAPPED.lock().unwrap_or_else(|e| e.into_inner());
    for (name, minor) in mapped.iter() {
        if now.get(name) != Some(minor) {
            host::unmap_dm(name);
        }
    }
    for (name, minor) in &now {
        if mapped.get(name) != Some(minor) {
            let _ = host::map_dm(name, *minor);
        }
    }
    *mapped = now;
}
