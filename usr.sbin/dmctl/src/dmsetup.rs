//! dmsetup(8)'s core verbs, for people coming from Linux: chosen when the
//! program runs as `dmsetup` or with `dmctl -S`. Failures exit 1 with the
//! errno's name and text and the driver's message; usage errors exit 2.

use crate::client::{self, list, num, text, Request};
use crate::table;
use crate::transport::Transport;
use clap::{Parser, Subcommand};
use proplib::{Dict, Value};
use std::io::Read;

const READONLY: u64 = 0x0001;
const STATUS_TABLE: u64 = 0x0010;
const ACTIVE_PRESENT: u64 = 0x0020;
const INACTIVE_PRESENT: u64 = 0x0040;
const SUSPEND: u64 = 0x0002;
const UUID_FLAG: u64 = 0x4000;
/// The driver's label-override flag (dm.4, "The label area of
/// components"): offsets inside a component's label area are accepted.
const LABEL_OVERRIDE: u64 = 0x0100_0000;
const DM_BMAJOR: u64 = 169;

#[derive(Parser)]
#[command(name = "dmsetup", about = "dmsetup-style control of the device-mapper")]
pub struct Cli {
    /// Print results as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create a device and load and activate its table.
    Create {
        name: String,
        /// The table: FILE, or standard input when neither is given.
        file: Option<String>,
        /// One table line given on the command line.
        #[arg(long)]
        table: Option<String>,
        #[arg(short = 'u', long)]
        uuid: Option<String>,
        /// Read-only device.
        #[arg(short = 'r', long)]
        readonly: bool,
        /// Create the device without a table.
        #[arg(long)]
        notable: bool,
    },
    /// Load a table into the inactive slot.
    #[command(alias = "reload")]
    Load {
        name: String,
        file: Option<String>,
        #[arg(long)]
        table: Option<String>,
        #[arg(short = 'r', long)]
        readonly: bool,
        /// Let the table map a component's label area (dm.4).
        #[arg(long)]
        label_override: bool,
    },
    /// Remove devices; -f replaces a busy device's table with error first.
    Remove {
        #[arg(short = 'f', long)]
        force: bool,
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Remove every device that is not in use.
    #[command(name = "remove_all", alias = "remove-all")]
    RemoveAll,
    Suspend {
        names: Vec<String>,
    },
    Resume {
        names: Vec<String>,
    },
    /// Drop the inactive table.
    Clear {
        name: String,
    },
    /// Device state; all devices without a name.
    Info {
        /// One line per device, in columns.
        #[arg(short = 'c', long)]
        columns: bool,
        name: Option<String>,
    },
    /// The table as loaded.
    Table {
        #[arg(long)]
        target: Option<String>,
        /// Show the inactive table.
        #[arg(long)]
        inactive: bool,
        name: Option<String>,
    },
    /// Each line's status.
    Status {
        #[arg(long)]
        target: Option<String>,
        #[arg(long)]
        inactive: bool,
        name: Option<String>,
    },
    /// Device names and numbers.
    Ls {
        #[arg(long)]
        target: Option<String>,
    },
    /// The devices a device uses.
    Deps {
        name: String,
    },
    /// Rename a device, or set its uuid once with --setuuid.
    Rename {
        name: String,
        new: String,
        #[arg(long)]
        setuuid: bool,
    },
    /// Send a message to the line at SECTOR.
    Message {
        name: String,
        sector: u64,
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        message: Vec<String>,
    },
    /// Wait until the event counter passes EVENT_NR (default: now).
    Wait {
        name: String,
        event_nr: Option<u32>,
    },
    /// Set the geometry the device reports: cylinders, heads, sectors
    /// per track and start sector.
    Setgeometry {
        name: String,
        cylinders: String,
        heads: String,
        sectors: String,
        start: String,
    },
    /// Check device nodes under /dev/mapper.
    Mknodes {
        name: Option<String>,
    },
    /// Targets and their versions.
    Targets,
    /// Driver version.
    Version,
}

type Res = Result<(), String>;

fn fail(what: &str, e: client::Error) -> String {
    format!("{what}: {e}")
}

fn call(t: &dyn Transport, what: &str, req: Request) -> Result<Dict, String> {
    client::call(t, &req).map_err(|e| fail(what, e))
}

fn read_lines(file: Option<&str>, line: Option<&str>) -> Result<Vec<table::Line>, String> {
    let text = match (line, file) {
        (Some(l), _) => l.replace(';', "\n"),
        (None, Some(f)) => std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}"))?,
        (None, None) => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("standard input: {e}"))?;
            s
        }
    };
    table::parse(&text)
}

fn lines_value(lines: &[table::Line]) -> Value {
    Value::Array(lines.iter().map(table::Line::to_value).collect())
}

fn names(t: &dyn Transport) -> Result<Vec<(String, u64)>, String> {
    let r = call(t, "ls", Request::new("names"))?;
    Ok(list(&r)
        .iter()
        .filter_map(|e| {
            let d = e.as_dict()?;
            Some((text(d, "name").to_owned(), num(d, "dev")))
        })
        .collect())
}

fn state(flags: u64) -> &'static str {
    if flags & SUSPEND != 0 {
        "SUSPENDED"
    } else {
        "ACTIVE"
    }
}

fn tables_present(flags: u64) -> &'static str {
    match (flags & ACTIVE_PRESENT != 0, flags & INACTIVE_PRESENT != 0) {
        (true, true) => "LIVE & INACTIVE",
        (true, false) => "LIVE",
        (false, true) => "INACTIVE",
        (false, false) => "None",
    }
}

fn info_value(d: &Dict) -> Value {
    let f = num(d, "flags");
    let mut o = Dict::new();
    o.insert("name".into(), text(d, "name").into());
    o.insert("uuid".into(), text(d, "uuid").into());
    o.insert("major".into(), Value::Unsigned(DM_BMAJOR));
    o.insert("minor".into(), Value::Unsigned(num(d, "minor")));
    o.insert("state".into(), state(f).into());
    o.insert("read_only".into(), Value::Bool(f & READONLY != 0));
    o.insert("tables".into(), tables_present(f).into());
    o.insert("open_count".into(), Value::Unsigned(num(d, "open_count")));
    o.insert("event_nr".into(), Value::Unsigned(num(d, "event_nr")));
    o.insert("targets".into(), Value::Unsigned(num(d, "target_count")));
    Value::Dict(o)
}

/// The lines of a table/status reply, keeping those of target `only`.
fn lines_of(r: &Dict, only: Option<&str>) -> Vec<(u64, u64, String, String)> {
    list(r)
        .iter()
        .filter_map(Value::as_dict)
        .map(|d| {
            (
                num(d, "start"),
                num(d, "length"),
                text(d, "type").to_owned(),
                text(d, "params").to_owned(),
            )
        })
        .filter(|l| only.is_none_or(|t| l.2 == t))
        .collect()
}

/// One device's lines as a JSON object.
fn lines_json(name: Option<&str>, lines: &[(u64, u64, String, String)]) -> Value {
    let arr = lines
        .iter()
        .map(|(s, l, ty, p)| {
            let mut d = Dict::new();
            d.insert("start".into(), Value::Unsigned(*s));
            d.insert("length".into(), Value::Unsigned(*l));
            d.insert("type".into(), ty.as_str().into());
            d.insert("params".into(), p.as_str().into());
            Value::Dict(d)
        })
        .collect();
    let mut d = Dict::new();
    if let Some(n) = name {
        d.insert("name".into(), n.into());
    }
    d.insert("lines".into(), Value::Array(arr));
    Value::Dict(d)
}

fn show_lines(name: Option<&str>, lines: &[(u64, u64, String, String)], out: &mut String) {
    for (s, l, ty, p) in lines {
        let prefix = name.map(|n| format!("{n}: ")).unwrap_or_default();
        let line = format!("{prefix}{s} {l} {ty} {p}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn create(
    t: &dyn Transport,
    name: &str,
    uuid: Option<&str>,
    ro: bool,
    lines: Option<Vec<table::Line>>,
) -> Res {
    let mut req = Request::new("create").name(name);
    if let Some(u) = uuid {
        req = req.set("uuid", u.into());
    }
    if ro {
        req = req.flags(READONLY);
    }
    call(t, &format!("create {name}"), req)?;
    let Some(lines) = lines else {
        return Ok(());
    };
    let load = Request::new("reload")
        .name(name)
        .flags(if ro { READONLY } else { 0 })
        .set("cmd_data", lines_value(&lines));
    let r = call(t, &format!("load {name}"), load).and_then(|_| {
        call(
            t,
            &format!("resume {name}"),
            Request::new("resume").name(name),
        )
    });
    if r.is_err() {
        // As dmsetup: a device whose table failed does not stay behind.
        let _ = client::call(t, &Request::new("remove").name(name));
    }
    r.map(|_| ())
}

fn table_or_status(
    t: &dyn Transport,
    status: bool,
    name: Option<&str>,
    target: Option<&str>,
    inactive: bool,
    json: bool,
) -> Result<String, String> {
    let mut flags = if status { 0 } else { STATUS_TABLE };
    if inactive {
        flags |= 0x1000;
    }
    let devs: Vec<String> = match name {
        Some(n) => vec![n.to_owned()],
        None => names(t)?.into_iter().map(|(n, _)| n).collect(),
    };
    let mut out = String::new();
    if devs.is_empty() && !json {
        out.push_str("No devices found\n");
    }
    let mut docs = Vec::new();
    for n in &devs {
        let what = format!("{} {n}", if status { "status" } else { "table" });
        let r = call(t, &what, Request::new("table").name(n).flags(flags))?;
        let shown = if name.is_some() {
            None
        } else {
            Some(n.as_str())
        };
        let lines = lines_of(&r, target);
        if json {
            docs.push(lines_json(shown, &lines));
        } else {
            show_lines(shown, &lines, &mut out);
        }
    }
    if json {
        // One document: the device's object, or an array of all.
        let doc = match name {
            Some(_) => docs.pop().unwrap_or(Value::Array(Vec::new())),
            None => Value::Array(docs),
        };
        out.push_str(&doc.to_json());
    }
    Ok(out)
}

pub fn main(t: &dyn Transport, cli: Cli) -> Result<String, String> {
    let json = cli.json;
    let mut out = String::new();
    match cli.cmd {
        Cmd::Create {
            name,
            file,
            table,
            uuid,
            readonly,
            notable,
        } => {
            let lines = if notable {
                None
            } else {
                Some(read_lines(file.as_deref(), table.as_deref())?)
            };
            create(t, &name, uuid.as_deref(), readonly, lines)?;
        }
        Cmd::Load {
            name,
            file,
            table,
            readonly,
            label_override,
        } => {
            let lines = read_lines(file.as_deref(), table.as_deref())?;
            let mut f = if readonly { READONLY } else { 0 };
            if label_override {
                f |= LABEL_OVERRIDE;
            }
            let req = Request::new("reload")
                .name(&name)
                .flags(f)
                .set("cmd_data", lines_value(&lines));
            call(t, &format!("load {name}"), req)?;
        }
        Cmd::Remove { force, names } => {
            for n in names {
                let what = format!("remove {n}");
                match client::call(t, &Request::new("remove").name(&n)) {
                    Ok(_) => {}
                    Err(e) if force && e.errno == 16 => {
                        // Fail all further I/O, then try again.
                        let len = table_size(t, &n).unwrap_or(0).max(1);
                        let err = vec![table::Line {
                            start: 0,
                            length: len,
                            target: "error".into(),
                            params: String::new(),
                        }];
                        call(
                            t,
                            &what,
                            Request::new("reload")
                                .name(&n)
                                .set("cmd_data", lines_value(&err)),
                        )?;
                        call(t, &what, Request::new("resume").name(&n))?;
                        call(t, &what, Request::new("remove").name(&n))?;
                    }
                    Err(e) => return Err(fail(&what, e)),
                }
            }
        }
        Cmd::RemoveAll => {
            call(t, "remove_all", Request::new("remove_all"))?;
        }
        Cmd::Suspend { names } => {
            for n in names {
                call(
                    t,
                    &format!("suspend {n}"),
                    Request::new("suspend").name(&n).flags(SUSPEND),
                )?;
            }
        }
        Cmd::Resume { names } => {
            for n in names {
                call(t, &format!("resume {n}"), Request::new("resume").name(&n))?;
            }
        }
        Cmd::Clear { name } => {
            call(
                t,
                &format!("clear {name}"),
                Request::new("clear").name(&name),
            )?;
        }
        Cmd::Info { columns, name } => {
            let devs: Vec<String> = match name {
                Some(n) => vec![n],
                None => names(t)?.into_iter().map(|(n, _)| n).collect(),
            };
            let mut infos = Vec::new();
            for n in &devs {
                infos.push(call(t, &format!("info {n}"), Request::new("info").name(n))?);
            }
            if infos.is_empty() && !json {
                out.push_str("No devices found\n");
            } else if json {
                out.push_str(&Value::Array(infos.iter().map(info_value).collect()).to_json());
            } else if columns {
                out.push_str("Name             Maj Min Stat Open Targ Event  UUID\n");
                for d in &infos {
                    let f = num(d, "flags");
                    let stat = format!(
                        "{}{}{}{}",
                        if f & SUSPEND != 0 { 's' } else { 'L' },
                        if f & ACTIVE_PRESENT != 0 { '-' } else { 'x' },
                        if f & READONLY != 0 { 'r' } else { 'w' },
                        if f & INACTIVE_PRESENT != 0 { 'i' } else { '-' },
                    );
                    out.push_str(&format!(
                        "{:<16} {:>3} {:>3} {stat} {:>4} {:>4} {:>6} {}\n",
                        text(d, "name"),
                        DM_BMAJOR,
                        num(d, "minor"),
                        num(d, "open_count"),
                        num(d, "target_count"),
                        num(d, "event_nr"),
                        text(d, "uuid")
                    ));
                }
            } else {
                for (i, d) in infos.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    let f = num(d, "flags");
                    let ro = if f & READONLY != 0 {
                        " (READ-ONLY)"
                    } else {
                        ""
                    };
                    out.push_str(&format!("Name:              {}\n", text(d, "name")));
                    out.push_str(&format!("State:             {}{ro}\n", state(f)));
                    out.push_str(&format!("Tables present:    {}\n", tables_present(f)));
                    out.push_str(&format!("Open count:        {}\n", num(d, "open_count")));
                    out.push_str(&format!("Event number:      {}\n", num(d, "event_nr")));
                    out.push_str(&format!(
                        "Major, minor:      {DM_BMAJOR}, {}\n",
                        num(d, "minor")
                    ));
                    out.push_str(&format!("Number of targets: {}\n", num(d, "target_count")));
                    if !text(d, "uuid").is_empty() {
                        out.push_str(&format!("UUID: {}\n", text(d, "uuid")));
                    }
                }
            }
        }
        Cmd::Table {
            target,
            inactive,
            name,
        } => {
            out = table_or_status(t, false, name.as_deref(), target.as_deref(), inactive, json)?;
        }
        Cmd::Status {
            target,
            inactive,
            name,
        } => {
            out = table_or_status(t, true, name.as_deref(), target.as_deref(), inactive, json)?;
        }
        Cmd::Ls { target } => {
            let mut shown = Vec::new();
            for (n, minor) in names(t)? {
                if let Some(ty) = &target {
                    let r = call(
                        t,
                        &format!("table {n}"),
                        Request::new("table").name(&n).flags(STATUS_TABLE),
                    )?;
                    if lines_of(&r, Some(ty)).is_empty() {
                        continue;
                    }
                }
                shown.push((n, minor));
            }
            if json {
                let arr = shown
                    .iter()
                    .map(|(n, m)| {
                        let mut d = Dict::new();
                        d.insert("name".into(), n.as_str().into());
                        d.insert("major".into(), Value::Unsigned(DM_BMAJOR));
                        d.insert("minor".into(), Value::Unsigned(*m));
                        Value::Dict(d)
                    })
                    .collect();
                out.push_str(&Value::Array(arr).to_json());
            } else if shown.is_empty() {
                out.push_str("No devices found\n");
            } else {
                for (n, m) in shown {
                    out.push_str(&format!("{n}\t({DM_BMAJOR}:{m})\n"));
                }
            }
        }
        Cmd::Deps { name } => {
            let r = call(t, &format!("deps {name}"), Request::new("deps").name(&name))?;
            let devs: Vec<(u64, u64)> = list(&r)
                .iter()
                .filter_map(Value::as_u64)
                .map(|d| {
                    (
                        (d & 0x000f_ff00) >> 8,
                        (d & 0xff) | ((d & 0xfff0_0000) >> 12),
                    )
                })
                .collect();
            if json {
                let arr = devs
                    .iter()
                    .map(|(a, b)| {
                        let mut d = Dict::new();
                        d.insert("major".into(), Value::Unsigned(*a));
                        d.insert("minor".into(), Value::Unsigned(*b));
                        Value::Dict(d)
                    })
                    .collect();
                out.push_str(&Value::Array(arr).to_json());
            } else {
                out.push_str(&format!("{} dependencies\t:", devs.len()));
                for (a, b) in devs {
                    out.push_str(&format!(" ({a}, {b})"));
                }
                out.push('\n');
            }
        }
        Cmd::Rename { name, new, setuuid } => {
            let req = Request::new("rename")
                .name(&name)
                .flags(if setuuid { UUID_FLAG } else { 0 })
                .set("cmd_data", Value::Array(vec![new.as_str().into()]));
            call(t, &format!("rename {name}"), req)?;
        }
        Cmd::Message {
            name,
            sector,
            message,
        } => {
            let mut m = Dict::new();
            m.insert("sector".into(), Value::Unsigned(sector));
            m.insert("message".into(), message.join(" ").into());
            let req = Request::new("message")
                .name(&name)
                .set("cmd_data", Value::Array(vec![Value::Dict(m)]));
            call(t, &format!("message {name}"), req)?;
        }
        Cmd::Wait { name, event_nr } => {
            let seen = match event_nr {
                Some(n) => n,
                None => num(
                    &call(t, &format!("wait {name}"), Request::new("info").name(&name))?,
                    "event_nr",
                ) as u32,
            };
            let r = call(
                t,
                &format!("wait {name}"),
                Request::new("waitevent")
                    .name(&name)
                    .set("event_nr", Value::Unsigned(u64::from(seen))),
            )?;
            out.push_str(&format!("{}\n", num(&r, "event_nr")));
        }
        Cmd::Setgeometry {
            name,
            cylinders,
            heads,
            sectors,
            start,
        } => {
            let geometry = format!("{cylinders} {heads} {sectors} {start}");
            let req = Request::new("setgeometry")
                .name(&name)
                .set("cmd_data", Value::Array(vec![geometry.as_str().into()]));
            call(t, &format!("setgeometry {name}"), req)?;
        }
        Cmd::Mknodes { name } => {
            let devs: Vec<String> = match name {
                Some(n) => vec![n],
                None => names(t)?.into_iter().map(|(n, _)| n).collect(),
            };
            for n in devs {
                call(t, &format!("mknodes {n}"), Request::new("mknodes").name(&n))?;
            }
        }
        Cmd::Targets => {
            let r = call(t, "targets", Request::new("targets"))?;
            let ts: Vec<(String, Vec<u64>)> = list(&r)
                .iter()
                .filter_map(Value::as_dict)
                .map(|d| {
                    let v = d
                        .get("ver")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().filter_map(Value::as_u64).collect())
                        .unwrap_or_default();
                    (text(d, "name").to_owned(), v)
                })
                .collect();
            if json {
                let arr = ts
                    .iter()
                    .map(|(n, v)| {
                        let mut d = Dict::new();
                        d.insert("name".into(), n.as_str().into());
                        d.insert(
                            "version".into(),
                            Value::Array(v.iter().map(|x| Value::Unsigned(*x)).collect()),
                        );
                        Value::Dict(d)
                    })
                    .collect();
                out.push_str(&Value::Array(arr).to_json());
            } else {
                for (n, v) in ts {
                    let ver: Vec<String> = v.iter().map(u64::to_string).collect();
                    out.push_str(&format!("{n:<16} v{}\n", ver.join(".")));
                }
            }
        }
        Cmd::Version => {
            let r = call(t, "version", Request::new("version"))?;
            let v: Vec<String> = r
                .get("version")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_u64)
                        .map(|x| x.to_string())
                        .collect()
                })
                .unwrap_or_default();
            if json {
                let mut d = Dict::new();
                d.insert("driver".into(), v.join(".").into());
                out.push_str(&Value::Dict(d).to_json());
            } else {
                out.push_str(&format!("Driver version:    {}\n", v.join(".")));
            }
        }
    }
    Ok(out)
}

/// The size in sectors of a device's active table.
fn table_size(t: &dyn Transport, name: &str) -> Option<u64> {
    let r = client::call(t, &Request::new("table").name(name).flags(STATUS_TABLE)).ok()?;
    lines_of(&r, None).iter().map(|(s, l, _, _)| s + l).max()
}
