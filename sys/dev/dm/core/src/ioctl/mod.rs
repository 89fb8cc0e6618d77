//! The control ioctl: one request dictionary in, the same dictionary
//! changed into the reply, and an errno. Commands, their reply keys and
//! flag handling follow NetBSD's dm (netbsd-dm.h); unlike it, every
//! failure is reported with its real errno and, in the reply's `message`
//! key, a sentence saying why.

mod device;
mod keys;
mod table;

pub use keys::Keys;

use crate::errno::{invalid, Errno, Error, Result};
use crate::flags;
use crate::registry::{Core, Ident};
use alloc::format;
use alloc::string::String;
use dm_prop::{Array, Dict, Kind, Str, Unreadable};

/// The protocol version this driver speaks (NetBSD's dm.h).
pub const VERSION: [u32; 3] = [4, 16, 0];

type Handler = fn(&Core, &Dict) -> Result<()>;

struct Command {
    name: &'static str,
    /// Needs KAUTH_SYSTEM_DEVMAPPER (root).
    privileged: bool,
    run: Handler,
}

/// Commands NetBSD's libdm sends without a `version` array: its table of
/// command versions (lib/libdm/libdm_ioctl.c `cmd_ver`) has no entry for
/// them, so lvm2's `dmsetup remove_all` and `message` come without one.
const VERSIONLESS: [&str; 4] = ["remove_all", "message", "waitevent", "setgeometry"];

const COMMANDS: [Command; 19] = [
    Command {
        name: "version",
        privileged: false,
        run: table::version,
    },
    Command {
        name: "targets",
        privileged: false,
        run: table::targets,
    },
    Command {
        name: "create",
        privileged: true,
        run: device::create,
    },
    Command {
        name: "info",
        privileged: false,
        run: device::info,
    },
    Command {
        name: "mknodes",
        privileged: false,
        run: device::mknodes,
    },
    Command {
        name: "names",
        privileged: false,
        run: device::names,
    },
    Command {
        name: "suspend",
        privileged: true,
        run: device::suspend,
    },
    Command {
        name: "remove",
        privileged: true,
        run: device::remove,
    },
    Command {
        name: "remove_all",
        privileged: true,
        run: device::remove_all,
    },
    Command {
        name: "rename",
        privileged: true,
        run: device::rename,
    },
    Command {
        name: "resume",
        privileged: true,
        run: device::resume,
    },
    Command {
        name: "clear",
        privileged: true,
        run: table::clear,
    },
    Command {
        name: "deps",
        privileged: false,
        run: table::deps,
    },
    Command {
        name: "reload",
        privileged: true,
        run: table::reload,
    },
    Command {
        name: "status",
        privileged: false,
        run: table::status,
    },
    Command {
        name: "table",
        privileged: false,
        run: table::status,
    },
    Command {
        name: "message",
        privileged: true,
        run: table::message,
    },
    Command {
        name: "waitevent",
        privileged: false,
        run: device::waitevent,
    },
    Command {
        name: "setgeometry",
        privileged: true,
        run: device::setgeometry,
    },
];

/// The names of every command, in dispatch order.
pub fn command_names() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().map(|c| c.name)
}

impl Core {
    /// Runs the command in `req`, turning `req` into the reply. `privileged`
    /// says whether the caller passed the kauth devmapper check.
    ///
    /// A failure also goes into the reply: `errno` (the errno, unsigned)
    /// and `message` (why, when there is more to say than the errno).
    /// Clients that do not take errnos (no [`flags::ERRNO`]) read it there.
    pub fn ioctl(&self, req: &Dict, privileged: bool) -> Result<()> {
        let rv = self.dispatch(req, privileged);
        if let Err(e) = &rv {
            if let Ok(n) = u32::try_from(e.errno.raw()) {
                let _ = req.set_u32(c"errno", n);
            }
            if let Some(m) = &e.msg {
                let _ = req.set_str(c"message", m);
            }
        }
        rv
    }

    fn dispatch(&self, req: &Dict, privileged: bool) -> Result<()> {
        let cmd = req
            .find_str(c"command", &COMMANDS, |c| c.name)
            .ok_or_else(|| unknown_command(req))?;
        check_version(req, VERSIONLESS.contains(&cmd.name))?;
        if cmd.privileged && !privileged {
            return Err(Error::new(
                Errno::EPERM,
                format!("'{}' needs device-mapper privilege", cmd.name),
            ));
        }
        (cmd.run)(self, req)
    }
}

/// Why a request's `command` names no command.
fn unknown_command(req: &Dict) -> Error {
    match req.kind(c"command") {
        Some(Kind::String) => match req.get_string(c"command") {
            Some(name) => invalid(format!("unknown command '{name}'")),
            None => invalid("command is not valid UTF-8"),
        },
        Some(_) => invalid("'command' is not a string"),
        None => invalid("request has no 'command'"),
    }
}

/// Accepts protocol 4.x with x ≤ 16 (as NetBSD), and no version at all
/// when `optional`; the reply always carries the driver's version.
fn check_version(req: &Dict, optional: bool) -> Result<()> {
    if optional && !req.contains(c"version") {
        return put_version(req);
    }
    match swap_version(req)? {
        None => Err(invalid(
            "'version' must be an array of three unsigned numbers",
        )),
        Some([maj, min, _]) if maj != VERSION[0] || min > VERSION[1] => Err(Error::new(
            Errno::EIO,
            format!(
                "protocol version {maj}.{min} is not supported; this driver speaks {}.{}.{}",
                VERSION[0], VERSION[1], VERSION[2]
            ),
        )),
        Some(_) => Ok(()),
    }
}

/// The version the client sent, with the driver's put in its place: over
/// the client's own three numbers where it sent three (as NetBSD's dm
/// does; most stay as they are), else as a new array.
fn swap_version(req: &Dict) -> Result<Option<[u32; 3]>> {
    let sent = req.get_array(c"version");
    if let Some(a) = sent.as_ref().filter(|a| a.len() == VERSION.len()) {
        let [maj, min, patch] = VERSION;
        let got = [
            a.replace_u32(0, maj)?,
            a.replace_u32(1, min)?,
            a.replace_u32(2, patch)?,
        ];
        return Ok(match got {
            [Some(x), Some(y), Some(z)] => Some([x, y, z]),
            _ => None,
        });
    }
    let got = sent.and_then(|a| Some([a.get_u32(0)?, a.get_u32(1)?, a.get_u32(2)?]));
    put_version(req)?;
    Ok(got)
}

fn put_version(req: &Dict) -> Result<()> {
    req.set_array(c"version", &version_array()?)?;
    Ok(())
}

/// The driver's version as the protocol writes it.
fn version_array() -> Result<Array> {
    let a = Array::new()?;
    for v in VERSION {
        a.push_u32(v)?;
    }
    Ok(a)
}

pub fn req_flags(req: &Dict) -> u32 {
    req.get_u32(c"flags").unwrap_or(0)
}

/// Whether the client takes errnos ([`flags::ERRNO`]).
pub fn errno_aware(req: &Dict) -> bool {
    req_flags(req) & flags::ERRNO != 0
}

pub(crate) fn set_flags(req: &Dict, f: u32) -> Result<()> {
    req.set_u32(c"flags", f)?;
    Ok(())
}

fn opt_str(req: &Dict, key: &core::ffi::CStr, what: &str) -> Result<Option<Str>> {
    req.opt_str(key).map_err(|e| match e {
        Unreadable::Utf8 => invalid(format!("{what} is not valid UTF-8")),
        _ => invalid(format!("'{what}' is not a string")),
    })
}

/// The name, uuid and minor a request identifies its device by.
pub(crate) fn ident(req: &Dict) -> Result<Ident<Str>> {
    let minor = req
        .opt_u32(c"minor")
        .map_err(|_| invalid("'minor' is not an unsigned 32-bit number"))?
        .unwrap_or(0);
    Ok(Ident {
        minor,
        name: opt_str(req, c"name", "name")?,
        uuid: opt_str(req, c"uuid", "uuid")?,
    })
}

/// ENOENT for a device that does not exist, with EXISTS cleared in the
/// reply (libdevmapper's "does not exist" signal).
pub(crate) fn not_found(req: &Dict, id: &Ident<Str>) -> Error {
    let _ = set_flags(req, req_flags(req) & !flags::EXISTS);
    let who = match (&id.name, &id.uuid) {
        (Some(n), _) if !n.is_empty() => format!("device '{n}'"),
        (_, Some(u)) if !u.is_empty() => format!("device with uuid '{u}'"),
        _ if id.minor > 0 => format!("device with minor {}", id.minor),
        _ => return Error::new(Errno::ENOENT, "the request names no device"),
    };
    Error::new(Errno::ENOENT, format!("{who} does not exist"))
}

/// A failed reply's explanation: its `message`, or `errno N` when it has
/// none; with `context`, `<command> <name>: ` before it.
pub fn failure_text(reply: &Dict, context: bool) -> String {
    let errno = reply.get_u32(c"errno").unwrap_or(0);
    let why = reply
        .get_string(c"message")
        .unwrap_or_else(|| format!("errno {errno}"));
    // Names and table text come from the caller: no control characters
    // reach a terminal or the log from them.
    let clean = |s: String| -> String {
        s.chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect()
    };
    if !context {
        return clean(why);
    }
    let cmd = reply.get_string(c"command").unwrap_or_default();
    clean(match reply.get_string(c"name").filter(|n| !n.is_empty()) {
        Some(n) => format!("{cmd} {n}: {why}"),
        None => format!("{cmd}: {why}"),
    })
}
