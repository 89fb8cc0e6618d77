//! Commands on tables and targets: version, targets, reload, clear, deps,
//! table/status, message.

use super::device::{lookup, merged_flags};
use super::{req_flags, set_flags};
use crate::errno::{invalid, Errno, Error, Result};
use crate::flags;
use crate::registry::Core;
use crate::table::{LineSpec, Table};
use crate::target::{LoadCtx, TYPES};
use alloc::format;
use alloc::sync::Arc;
use alloc::vec::Vec;
use dm_prop::{Array, Dict, Str, Unreadable};

pub(crate) fn version(_core: &Core, _req: &Dict) -> Result<()> {
    // The version check has already written the driver's version.
    Ok(())
}

pub(crate) fn targets(_core: &Core, req: &Dict) -> Result<()> {
    let list = Array::new()?;
    for t in &TYPES {
        let d = Dict::new()?;
        d.set_str(c"name", t.name)?;
        let ver = Array::new()?;
        for v in t.version {
            ver.push_u32(v)?;
        }
        d.set_array(c"ver", &ver)?;
        list.push_dict(&d)?;
    }
    req.set_array(c"cmd_data", &list)?;
    Ok(())
}

/// One line of a reload's cmd_data, its strings read in place.
struct Line {
    start: u64,
    length: u64,
    kind: Str,
    params: Option<Str>,
}

fn read_lines(req: &Dict) -> Result<Vec<Line>> {
    let table = req.get_array(c"cmd_data").ok_or_else(|| {
        if req.contains(c"cmd_data") {
            invalid("'cmd_data' is not an array")
        } else {
            invalid("reload needs the table in 'cmd_data'")
        }
    })?;
    let count = table.len();
    if count > crate::limits::LINES_MAX {
        return Err(Error::new(
            Errno::E2BIG,
            format!("the table has more than {} lines", crate::limits::LINES_MAX),
        ));
    }
    let mut lines = Vec::new();
    lines.try_reserve_exact(count)?;
    for i in 0..count {
        let n = i + 1;
        let d = table
            .get_dict(i)
            .ok_or_else(|| invalid(format!("line {n}: not a dictionary")))?;
        let num = |key: &core::ffi::CStr, what: &str| {
            d.get_u64(key).ok_or_else(|| {
                invalid(format!(
                    "line {n}: '{what}' missing or not an unsigned number"
                ))
            })
        };
        let text = |key: &core::ffi::CStr, what: &str| -> Result<Option<Str>> {
            d.opt_str(key).map_err(|e| match e {
                Unreadable::Utf8 => invalid(format!("line {n}: '{what}' is not valid UTF-8")),
                _ => invalid(format!("line {n}: '{what}' missing or not a string")),
            })
        };
        let kind = text(c"type", "type")?
            .ok_or_else(|| invalid(format!("line {n}: 'type' missing or not a string")))?;
        lines.push(Line {
            start: num(c"start", "start")?,
            length: num(c"length", "length")?,
            kind,
            params: text(c"params", "params")?,
        });
    }
    Ok(lines)
}

pub(crate) fn reload(core: &Core, req: &Dict) -> Result<()> {
    let lines = read_lines(req)?;
    let specs: Vec<LineSpec<'_>> = lines
        .iter()
        .map(|l| LineSpec {
            start: l.start,
            length: l.length,
            kind: &l.kind,
            params: l.params.as_deref().unwrap_or(""),
        })
        .collect();
    let f = req_flags(req);
    let mut st = core.lock();
    let minor = lookup(&st, req)?;
    let readonly = st.rec(minor)?.dev.readonly || f & flags::READONLY != 0;
    let table = {
        let st = &mut *st;
        let mut ctx = LoadCtx {
            pdevs: &mut st.pdevs,
            devices: Some(&st.recs),
            writable: !readonly,
            label_override: f & flags::LABEL_OVERRIDE != 0,
        };
        Table::build(&specs, &mut ctx)?
    };
    for p in table.component_uses() {
        if let Some(m) = p.dm_minor() {
            if m == minor {
                return Err(invalid(format!(
                    "the table maps the device onto itself ({})",
                    p.path_lossy()
                )));
            }
            if st.would_loop(minor, m) {
                return Err(invalid(format!(
                    "{} is a dm device stacked on this one: the table would make a loop",
                    p.path_lossy()
                )));
            }
        }
    }
    let r = st.rec_mut(minor)?;
    let old = r.inactive.replace(Arc::new(table));
    drop(old);
    st.pdevs.tidy();
    req.set_u32(c"minor", minor)?;
    set_flags(req, f | flags::INACTIVE_PRESENT)
}

pub(crate) fn clear(core: &Core, req: &Dict) -> Result<()> {
    let mut st = core.lock();
    let minor = lookup(&st, req)?;
    let old = st.rec_mut(minor)?.inactive.take();
    drop(old);
    st.pdevs.tidy();
    let r = st.rec(minor)?;
    req.set_u32(c"minor", minor)?;
    set_flags(req, merged_flags(req, r))
}

/// The active table, or the inactive one when the request asks for it.
fn chosen(r: &crate::registry::Record, req: &Dict) -> Option<Arc<Table>> {
    if req_flags(req) & flags::QUERY_INACTIVE_TABLE != 0 {
        r.inactive.clone()
    } else {
        r.dev.active()
    }
}

pub(crate) fn deps(core: &Core, req: &Dict) -> Result<()> {
    let st = core.lock();
    let minor = lookup(&st, req)?;
    let r = st.rec(minor)?;
    let list = Array::new()?;
    if let Some(t) = chosen(r, req) {
        let mut seen: Vec<u64> = Vec::new();
        for p in t.components() {
            if !seen.contains(&p.dev()) {
                seen.push(p.dev());
                list.push_u64(p.dev())?;
            }
        }
    }
    req.set_array(c"cmd_data", &list)?;
    req.set_u32(c"minor", minor)?;
    req.set_str(c"name", &r.name)?;
    req.set_str(c"uuid", &r.uuid)?;
    set_flags(req, merged_flags(req, r))
}

/// `table` and `status`: one dictionary per line; with STATUS_TABLE the
/// `params` are the line's parameters, without it the target's status.
pub(crate) fn status(core: &Core, req: &Dict) -> Result<()> {
    let st = core.lock();
    let is_status = req.get_string(c"command").as_deref() == Some("status");
    let minor = if is_status {
        // As `info`: "does not exist" is an answer, not a failure.
        match super::device::lookup_query(&st, req)? {
            Some(m) => m,
            None => return Ok(()),
        }
    } else {
        lookup(&st, req)?
    };
    let r = st.rec(minor)?;
    let want_table = req_flags(req) & flags::STATUS_TABLE != 0;
    let list = Array::new()?;
    if let Some(t) = chosen(r, req) {
        for (start, length, target) in t.lines() {
            let d = Dict::new()?;
            d.set_u64(c"start", start)?;
            d.set_u64(c"length", length)?;
            d.set_str(c"type", target.type_name())?;
            d.set_i32(c"status", 0)?;
            let text = if want_table {
                target.table_string()
            } else {
                target.status_string()
            };
            if let Some(p) = text {
                d.set_str(c"params", &p)?;
            }
            list.push_dict(&d)?;
        }
    }
    req.set_array(c"cmd_data", &list)?;
    req.set_u32(c"minor", minor)?;
    set_flags(req, merged_flags(req, r))
}

/// `cmd_data` = [{sector: u64, message: string}]: the message goes to
/// the active line holding `sector`.
pub(crate) fn message(core: &Core, req: &Dict) -> Result<()> {
    // NetBSD's libdm and lvm2's libdevmapper send neither the text nor
    // the sector: say what is missing.
    let usage = "message: the request carries no message text; \
                 put cmd_data[0] = {sector, message} (dmctl -S message)";
    let arg = req
        .get_array(c"cmd_data")
        .and_then(|a| a.get_dict(0))
        .ok_or_else(|| invalid(usage))?;
    let text = arg.get_string(c"message").ok_or_else(|| invalid(usage))?;
    let sector = arg
        .get_u64(c"sector")
        .ok_or_else(|| invalid("message: cmd_data[0] has no 'sector'"))?;
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    if words.is_empty() {
        return Err(invalid("the message is empty"));
    }
    let st = core.lock();
    let minor = lookup(&st, req)?;
    let t = st
        .rec(minor)?
        .dev
        .active()
        .ok_or_else(|| Error::new(Errno::ENXIO, "the device has no active table"))?;
    if sector >= t.size() {
        return Err(invalid(format!(
            "sector {sector} is beyond the end of the device ({} sectors)",
            t.size()
        )));
    }
    let (_, _, target) = t.line(t.find(sector)).ok_or(Errno::EINVAL)?;
    target.message(&words)?;
    req.set_u32(c"minor", minor)?;
    Ok(())
}
