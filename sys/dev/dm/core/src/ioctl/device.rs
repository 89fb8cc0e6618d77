//! Commands on devices: create, info/mknodes, names, suspend, resume,
//! remove, remove_all, rename, waitevent, setgeometry.

use super::{ident, not_found, req_flags, set_flags};
use crate::device::Device;
use crate::errno::{invalid, Errno, Error, Result};
use crate::flags;
use crate::kapi::disk;
use crate::registry::{check_name, check_uuid, Core, Geometry, Record, State};
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use dm_prop::{Array, Dict, Kind};

/// The device's own flag bits: READONLY (a read-only device, or a live
/// table loaded read-only, as Linux's disk read-only bit), SUSPEND and
/// the table slots.
pub(crate) fn device_flags(r: &Record) -> u32 {
    let mut f = 0;
    let active = r.dev.active();
    if r.dev.readonly || active.as_ref().is_some_and(|t| t.readonly()) {
        f |= flags::READONLY;
    }
    if r.dev.suspended() {
        f |= flags::SUSPEND;
    }
    if active.is_some() {
        f |= flags::ACTIVE_PRESENT;
    }
    if r.inactive.is_some() {
        f |= flags::INACTIVE_PRESENT;
    }
    f
}

const DEVICE_BITS: u32 =
    flags::READONLY | flags::SUSPEND | flags::ACTIVE_PRESENT | flags::INACTIVE_PRESENT;

/// Reply flags: the request's, with the device bits replaced by the
/// device's.
pub(crate) fn merged_flags(req: &Dict, r: &Record) -> u32 {
    (req_flags(req) & !DEVICE_BITS) | device_flags(r)
}

/// The minor of the device the request names, or ENOENT.
pub(crate) fn lookup(st: &State, req: &Dict) -> Result<u32> {
    let id = ident(req)?;
    st.find(&id).ok_or_else(|| not_found(req, &id))
}

pub(crate) fn create(core: &Core, req: &Dict) -> Result<()> {
    let id = ident(req)?;
    let name = id
        .name
        .as_deref()
        .map(String::from)
        .ok_or_else(|| invalid("create needs a 'name'"))?;
    check_name(&name)?;
    let uuid = id.uuid.as_deref().map(String::from).unwrap_or_default();
    check_uuid(&uuid)?;
    let f = req_flags(req);
    let mut st = core.lock();
    let taken =
        st.by_name.contains_key(&name) || (!uuid.is_empty() && st.by_uuid.contains_key(&uuid));
    if taken {
        set_flags(req, f | flags::EXISTS)?;
        let what = if st.by_name.contains_key(&name) {
            format!("a device named '{name}' already exists")
        } else {
            format!("a device with uuid '{uuid}' already exists")
        };
        return Err(Error::new(Errno::EEXIST, what));
    }
    let minor = st.alloc_minor()?;
    let readonly = f & flags::READONLY != 0;
    let dev = Arc::new(Device::new(minor, readonly)?);
    disk::attach(&dev, &name).map_err(|e| Error::new(e, "cannot attach the disk"))?;
    st.by_name.insert(name.clone(), minor);
    if !uuid.is_empty() {
        st.by_uuid.insert(uuid.clone(), minor);
    }
    st.recs.insert(
        minor,
        Record {
            dev: Arc::clone(&dev),
            name,
            uuid,
            inactive: None,
        },
    );
    core.index.write().insert(minor, dev);
    req.set_u32(c"minor", minor)?;
    set_flags(
        req,
        (f | flags::EXISTS) & !(flags::INACTIVE_PRESENT | flags::ACTIVE_PRESENT | flags::SUSPEND),
    )
}

/// Puts the keys info-like replies share: minor, name, uuid, open_count,
/// event_nr.
fn put_identity(req: &Dict, r: &Record) -> Result<()> {
    req.set_u32(c"minor", r.dev.minor)?;
    req.set_str(c"name", &r.name)?;
    req.set_str(c"uuid", &r.uuid)?;
    req.set_u32(c"open_count", r.dev.open_count())?;
    req.set_u32(c"event_nr", r.dev.event_nr())?;
    Ok(())
}

/// The device a query names, or `None` with EXISTS cleared in the reply
/// when there is none: lvm2's libdevmapper asks `info`, `mknodes` and
/// `status` to learn whether a device exists, and takes a reply without
/// EXISTS as "no" (NETBSD-REAL.md §3). A client that takes errnos gets
/// ENOENT instead, as does a request that names no device at all.
pub(crate) fn lookup_query(st: &State, req: &Dict) -> Result<Option<u32>> {
    let id = ident(req)?;
    if let Some(m) = st.find(&id) {
        return Ok(Some(m));
    }
    let named = id.minor > 0
        || id.name.as_deref().is_some_and(|n| !n.is_empty())
        || id.uuid.as_deref().is_some_and(|u| !u.is_empty());
    if !named || super::errno_aware(req) {
        return Err(not_found(req, &id));
    }
    set_flags(req, req_flags(req) & !flags::EXISTS)?;
    Ok(None)
}

pub(crate) fn info(core: &Core, req: &Dict) -> Result<()> {
    let st = core.lock();
    let Some(minor) = lookup_query(&st, req)? else {
        return Ok(());
    };
    info_reply(req, st.rec(minor)?)
}

/// `mknodes` as `info`, except that a raw node's name (`r<name>`, which
/// `dmsetup mknodes` sends for every entry of /dev/mapper) stands for
/// device `<name>` when no device is called `r<name>`.
pub(crate) fn mknodes(core: &Core, req: &Dict) -> Result<()> {
    let st = core.lock();
    let id = ident(req)?;
    let raw = id
        .name
        .as_deref()
        .and_then(|n| n.strip_prefix('r'))
        .filter(|n| !n.is_empty() && st.find(&id).is_none())
        .and_then(|n| st.by_name.get(n).copied());
    let minor = match raw {
        Some(m) => m,
        None => match lookup_query(&st, req)? {
            Some(m) => m,
            None => return Ok(()),
        },
    };
    info_reply(req, st.rec(minor)?)
}

fn info_reply(req: &Dict, r: &Record) -> Result<()> {
    put_identity(req, r)?;
    let lines = r.dev.active().map_or(0, |t| t.len());
    req.set_u32(c"target_count", u32::try_from(lines).unwrap_or(u32::MAX))?;
    set_flags(req, merged_flags(req, r))
}

pub(crate) fn names(core: &Core, req: &Dict) -> Result<()> {
    let st = core.lock();
    let list = Array::new()?;
    for (minor, r) in &st.recs {
        let d = Dict::new()?;
        d.set_str(c"name", &r.name)?;
        d.set_u32(c"dev", *minor)?;
        if !r.uuid.is_empty() {
            d.set_str(c"uuid", &r.uuid)?;
        }
        list.push_dict(&d)?;
    }
    req.set_array(c"cmd_data", &list)?;
    Ok(())
}

pub(crate) fn suspend(core: &Core, req: &Dict) -> Result<()> {
    let dev = {
        let st = core.lock();
        Arc::clone(&st.rec(lookup(&st, req)?)?.dev)
    };
    // Drain without the registry lock: other commands go on meanwhile.
    if let Err(e) = dev.suspend() {
        return Err(Error::new(
            e.errno,
            "interrupted while waiting for I/O to drain",
        ));
    }
    let st = core.lock();
    let r = st.rec(dev.minor)?;
    req.set_u32(c"open_count", r.dev.open_count())?;
    req.set_u32(c"minor", r.dev.minor)?;
    set_flags(req, merged_flags(req, r) | flags::EXISTS)
}

pub(crate) fn resume(core: &Core, req: &Dict) -> Result<()> {
    let mut st = core.lock();
    let minor = lookup(&st, req)?;
    let r = st.rec_mut(minor)?;
    let dev = Arc::clone(&r.dev);
    let mut old = None;
    let mut relabel = None;
    if let Some(new) = r.inactive.take() {
        if !dev.with_active(|t| t.is_some_and(|t| t.same_mapping(&new))) {
            relabel = Some((new.size(), new.secsize()));
        }
        old = dev.swap_active(Some(new));
        dev.bump_event();
    }
    if dev.unsuspend() {
        disk::resumed(minor);
    }
    // The glue tells disk(9) the new size and marks the label for a
    // read on its next label ioctl: no I/O here. A table that maps as
    // the old one did keeps the label it had.
    if let Some((size, secsize)) = relabel {
        disk::resize(minor, size, secsize);
    }
    let r = st.rec(minor)?;
    req.set_u32(c"open_count", dev.open_count())?;
    req.set_u32(c"minor", minor)?;
    set_flags(req, merged_flags(req, r) | flags::EXISTS)?;
    drop(st);
    // The old table goes once no I/O uses it; its components close then.
    if let Some(t) = old {
        dev.wait_unpinned(&t);
        drop(t);
        core.lock().pdevs.tidy();
    }
    Ok(())
}

/// Why `minor` cannot go now, if it cannot.
fn busy_reason(st: &State, minor: u32) -> Option<String> {
    let r = st.recs.get(&minor)?;
    if r.dev.open_count() > 0 {
        return Some(format!(
            "device '{}' is open ({} opens)",
            r.name,
            r.dev.open_count()
        ));
    }
    if !st.pdevs.dm_in_use(minor) {
        return None;
    }
    let users = st.users_of(minor);
    let user = users.first().and_then(|m| st.recs.get(m))?;
    Some(format!(
        "device '{}' is used by the table of device '{}'",
        r.name, user.name
    ))
}

/// Takes `minor` out of the registry, or says why it is busy.
fn detach(core: &Core, st: &mut State, minor: u32) -> Result<()> {
    if let Some(why) = busy_reason(st, minor) {
        return Err(Error::new(Errno::EBUSY, why));
    }
    {
        // Opens take the index read lock: with the write lock held, the
        // open count cannot move under us.
        let mut idx = core.index.write();
        if idx.get(&minor).is_some_and(|d| d.open_count() > 0) {
            return Err(Error::new(Errno::EBUSY, "device was opened meanwhile"));
        }
        idx.remove(&minor);
    }
    let Some(r) = st.recs.remove(&minor) else {
        return Err(Errno::ENOENT.into());
    };
    st.by_name.remove(&r.name);
    if !r.uuid.is_empty() {
        st.by_uuid.remove(&r.uuid);
    }
    r.dev.mark_gone();
    disk::detach(&r.dev);
    let active = r.dev.swap_active(None);
    // Requests hold no reference on the device or its table: both go
    // only once none is in flight (none can start: the table is gone).
    r.dev.drain_all();
    drop(active);
    drop(r);
    st.pdevs.tidy();
    Ok(())
}

pub(crate) fn remove(core: &Core, req: &Dict) -> Result<()> {
    let mut st = core.lock();
    let minor = lookup(&st, req)?;
    detach(core, &mut st, minor)
}

pub(crate) fn remove_all(core: &Core, _req: &Dict) -> Result<()> {
    let mut st = core.lock();
    // Stacked devices go top first: repeat while anything could go.
    loop {
        let free: Vec<u32> = st
            .recs
            .keys()
            .copied()
            .filter(|&m| busy_reason(&st, m).is_none())
            .collect();
        if free.is_empty() {
            break;
        }
        for m in free {
            detach(core, &mut st, m)?;
        }
    }
    match st.recs.len() {
        0 => Ok(()),
        n => Err(Error::new(
            Errno::EBUSY,
            format!("{n} device(s) left: open or used by other devices"),
        )),
    }
}

pub(crate) fn rename(core: &Core, req: &Dict) -> Result<()> {
    let arg = req
        .get_array(c"cmd_data")
        .filter(|a| a.kind(0) == Some(Kind::String))
        .and_then(|a| a.get_bytes(0))
        .ok_or_else(|| invalid("rename needs the new name as cmd_data[0]"))?;
    let new = String::from_utf8(arg).map_err(|_| invalid("new name is not valid UTF-8"))?;
    let set_uuid = req_flags(req) & flags::UUID != 0;
    if set_uuid {
        check_uuid(&new)?;
        if new.is_empty() {
            return Err(invalid("new uuid is empty"));
        }
    } else {
        check_name(&new)?;
    }
    let mut st = core.lock();
    let minor = lookup(&st, req)?;
    if set_uuid {
        let r = st.rec(minor)?;
        if !r.uuid.is_empty() && r.uuid != new {
            return Err(invalid(format!("device '{}' already has a uuid", r.name)));
        }
        if st.by_uuid.get(&new).is_some_and(|&m| m != minor) {
            return Err(Error::new(Errno::EEXIST, format!("uuid '{new}' is taken")));
        }
        st.by_uuid.insert(new.clone(), minor);
        st.rec_mut(minor)?.uuid = new;
    } else if st.rec(minor)?.name != new {
        if st.by_name.contains_key(&new) {
            return Err(Error::new(
                Errno::EEXIST,
                format!("a device named '{new}' already exists"),
            ));
        }
        let old = core::mem::replace(&mut st.rec_mut(minor)?.name, new.clone());
        st.by_name.remove(&old);
        st.by_name.insert(new.clone(), minor);
        disk::rename(minor, &new);
    }
    let r = st.rec(minor)?;
    put_identity(req, r)
}

pub(crate) fn waitevent(core: &Core, req: &Dict) -> Result<()> {
    let seen = req.get_u32(c"event_nr").unwrap_or(0);
    let dev = {
        let st = core.lock();
        Arc::clone(&st.rec(lookup(&st, req)?)?.dev)
    };
    dev.wait_event(seen)?;
    if dev.is_gone() {
        let _ = set_flags(req, req_flags(req) & !flags::EXISTS);
        return Err(Error::new(Errno::ENOENT, "the device was removed"));
    }
    let st = core.lock();
    let r = st.rec(dev.minor)?;
    put_identity(req, r)?;
    set_flags(req, merged_flags(req, r))
}

/// `cmd_data[0]` = "<cylinders> <heads> <sectors> <start>", as Linux.
pub(crate) fn setgeometry(core: &Core, req: &Dict) -> Result<()> {
    let usage = "setgeometry needs cmd_data[0] = '<cylinders> <heads> <sectors> <start>'";
    let text = req
        .get_array(c"cmd_data")
        .and_then(|a| a.get_bytes(0))
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| invalid(usage))?;
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    let [c, h, s, start] = words.as_slice() else {
        return Err(invalid(usage));
    };
    let g = Geometry {
        cylinders: crate::target::parse_u32("setgeometry: cylinders", c)?,
        heads: crate::target::parse_u32("setgeometry: heads", h)?,
        sectors: crate::target::parse_u32("setgeometry: sectors", s)?,
        start: crate::target::parse_u64("setgeometry: start", start)?,
    };
    if g.heads == 0 || g.sectors == 0 || g.heads > 255 || g.sectors > 255 {
        return Err(invalid("setgeometry: heads and sectors must be 1-255"));
    }
    let st = core.lock();
    let minor = lookup(&st, req)?;
    st.rec(minor)?.dev.set_geometry(g);
    req.set_u32(c"minor", minor)?;
    drop(st);
    // The glue asks for it back (dm_core_geometry): not under the lock.
    disk::regeometry(minor);
    Ok(())
}
