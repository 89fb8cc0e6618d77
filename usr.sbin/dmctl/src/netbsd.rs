//! NetBSD dmctl's verbs, operand rules, output and messages, so scripts
//! written for it keep working. Unlike NetBSD's, the driver reports real
//! errors, so failures that NetBSD's dmctl could not see are reported —
//! in its format, with the driver's explanation on a second line.

use crate::client::{self, list, num, Request, ERRNO_FLAG};
use crate::errno;
use crate::table;
use crate::transport::Transport;
use proplib::{Dict, Value};
use std::io::{Read, Write};

const STATUS_TABLE: u64 = 0x10;
const SUSPEND: u64 = 0x02;

struct Verb {
    name: &'static str,
    operands: usize,
    help: &'static str,
}

const VERBS: [Verb; 13] = [
    Verb {
        name: "version",
        operands: 0,
        help: "Print driver and lib version.",
    },
    Verb {
        name: "targets",
        operands: 0,
        help: "List available kernel targets.",
    },
    Verb {
        name: "create",
        operands: 1,
        help: "Create device with [dm device name].",
    },
    Verb {
        name: "ls",
        operands: 0,
        help: "List existing dm devices.",
    },
    Verb {
        name: "info",
        operands: 1,
        help: "Get info about device with [dm device name].",
    },
    Verb {
        name: "rename",
        operands: 2,
        help: "Rename device with [dm device name] to  [dm device new name].",
    },
    Verb {
        name: "remove",
        operands: 1,
        help: "Remove device with [dm device name].",
    },
    Verb {
        name: "resume",
        operands: 1,
        help: "Resume IO on dm device [dm device name].",
    },
    Verb {
        name: "suspend",
        operands: 1,
        help: "Suspend IO on dm device [dm device name].",
    },
    Verb {
        name: "deps",
        operands: 1,
        help: "Print physical dependencies for dm device [dm device name].",
    },
    Verb {
        name: "reload",
        operands: 1,
        help: "Switch active and passive tables for device with [dm device name].",
    },
    Verb {
        name: "status",
        operands: 1,
        help: "Print status for device with [dm device name].",
    },
    Verb {
        name: "table",
        operands: 1,
        help: "Print active table for device with [dm device name].",
    },
];

pub fn is_verb(name: &str) -> bool {
    VERBS.iter().any(|v| v.name == name)
}

pub fn usage() -> String {
    let mut s = String::from("usage: dmctl command [dm device name]\nAvailable commands are:\n");
    for (i, v) in VERBS.iter().enumerate() {
        if i == 0 {
            s.push(' ');
        }
        s.push_str(&format!("\t{}\t{}\n", v.name, v.help));
    }
    s
}

/// Why a verb failed: what NetBSD's dmctl would print, and the driver's
/// own words when it gave any.
pub struct Failure {
    pub text: &'static str,
    pub errno: i32,
    pub message: Option<String>,
}

impl Failure {
    pub fn print(&self) {
        eprintln!("dmctl: {}: {}", self.text, errno::text(self.errno));
        if let Some(m) = &self.message {
            eprintln!("dmctl: {m} ({})", errno::name(self.errno));
        }
    }
}

fn request(command: &str, name: Option<&str>, flags: u64, cmd_data: Option<Value>) -> Request {
    let mut r = Request::new(command).flags(flags);
    if let Some(n) = name {
        r = r.name(n);
    }
    if let Some(c) = cmd_data {
        r = r.set("cmd_data", c);
    }
    r
}

fn run(t: &dyn Transport, req: &Request, text: &'static str) -> Result<Dict, Failure> {
    client::call(t, req).map_err(|e| Failure {
        text,
        errno: e.errno,
        message: e.message,
    })
}

fn read_table(file: Option<&str>) -> Result<Vec<table::Line>, Failure> {
    let mut text = String::new();
    let r = match file {
        Some(p) => std::fs::File::open(p).and_then(|mut f| f.read_to_string(&mut text)),
        None => std::io::stdin().read_to_string(&mut text),
    };
    r.map_err(|e| Failure {
        text: "Cannot open table file",
        errno: errno::from_io(&e),
        message: None,
    })?;
    table::parse(&text).map_err(|m| Failure {
        text: "dmctl_table_reload",
        errno: 22,
        message: Some(m),
    })
}

/// Runs a NetBSD verb; `args` are the operands after it. Returns the
/// exit status.
pub fn main(t: &dyn Transport, verb: &str, args: &[String]) -> u8 {
    let Some(v) = VERBS.iter().find(|v| v.name == verb) else {
        eprintln!("dmctl: unknown command: {verb}");
        return 1;
    };
    let given = args.len().min(2);
    // The one extension: reload also takes the table file as operand.
    let ok = given == v.operands || (v.name == "reload" && args.len() == 2);
    if !ok {
        eprint!(
            "Insufficient number of arguments for command: {verb} specified\n{}",
            usage()
        );
        return 1;
    }
    let dev = args.first().map(String::as_str);
    let mut out = String::new();
    let r = verb_run(t, v.name, dev, args, &mut out);
    let _ = std::io::stdout().write_all(out.as_bytes());
    match r {
        Ok(()) => 0,
        Err(f) => {
            let _ = std::io::stdout().flush();
            f.print();
            1
        }
    }
}

fn verb_run(
    t: &dyn Transport,
    verb: &str,
    dev: Option<&str>,
    args: &[String],
    out: &mut String,
) -> Result<(), Failure> {
    match verb {
        "version" => {
            out.push_str("Library protocol version 4:0:0\n");
            let r = run(
                t,
                &request("version", None, 0, None),
                "dmctl_get_version: libdm_task_run failed.",
            );
            // As NetBSD's: the library line goes out even when the call fails.
            let _ = std::io::stdout().write_all(out.as_bytes());
            out.clear();
            let r = r?;
            let v: Vec<u64> = r
                .get("version")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|x| x.as_u64().unwrap_or(0)).collect())
                .unwrap_or_default();
            let g = |i: usize| v.get(i).copied().unwrap_or(0);
            out.push_str(&format!(
                "Kernel protocol version {}:{}:{}\n",
                g(0),
                g(1),
                g(2)
            ));
        }
        "targets" => {
            let r = run(
                t,
                &request("targets", None, 0, None),
                "dmctl_get_targets: libdm_task_run failed.",
            )?;
            for e in list(&r) {
                let Some(d) = e.as_dict() else { continue };
                let name = d.get("name").and_then(Value::as_str).unwrap_or("");
                let ver: Vec<u64> = d
                    .get("ver")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().map(|x| x.as_u64().unwrap_or(0)).collect())
                    .unwrap_or_default();
                let g = |i: usize| ver.get(i).copied().unwrap_or(0);
                out.push_str(&format!(
                    "Target name: {name}\nTarget version {}.{}.{}\n\n",
                    g(0),
                    g(1),
                    g(2)
                ));
            }
        }
        "create" => {
            run(
                t,
                &request("create", dev, 0, None),
                "dmctl_create_dev: libdm_task_run failed.",
            )?;
        }
        "ls" => {
            let r = run(
                t,
                &request("names", None, 0, None),
                "dmctl_list_devices: libdm_task_run failed.",
            )?;
            for e in list(&r) {
                let Some(d) = e.as_dict() else { continue };
                let name = d.get("name").and_then(Value::as_str).unwrap_or("");
                out.push_str(&format!(
                    "Device name: {name}, device minor: {} \n",
                    num(d, "dev")
                ));
            }
        }
        "info" => {
            let r = run(
                t,
                &request("info", dev, 0, None),
                "dmctl_get_device_info: libdm_task_run failed",
            )?;
            let uuid = r.get("uuid").and_then(Value::as_str).unwrap_or("(null)");
            out.push_str(&format!(
                "Printing Device info for:\nDevice name: \t\t{}\nDevice uuid: \t\t{uuid}\n\
                 Device minor: \t\t{}\nDevice target number: \t{}\nDevice flags: \t\t{}\n",
                dev.unwrap_or(""),
                num(&r, "minor"),
                num(&r, "target_count"),
                num(&r, "flags") & !ERRNO_FLAG,
            ));
        }
        "rename" => {
            let new = args.get(1).map(String::as_str).unwrap_or("");
            let data = Value::Array(vec![new.into()]);
            run(
                t,
                &request("rename", dev, 0, Some(data)),
                "dmctl_dev_rename: libdm_task_run failed.",
            )?;
        }
        "remove" => {
            run(
                t,
                &request("remove", dev, 0, None),
                "dmctl_dev_remove: libdm_task_run failed.",
            )?;
        }
        "resume" => {
            run(
                t,
                &request("resume", dev, 0, None),
                "dmctl_dev_resume: libdm_task_run failed.",
            )?;
        }
        "suspend" => {
            run(
                t,
                &request("suspend", dev, SUSPEND, None),
                "dmctl_dev_suspend: libdm_task_run failed.",
            )?;
        }
        "deps" => {
            let r = run(
                t,
                &request("deps", dev, 0, None),
                "dmctl_dev_deps: libdm_task_run failed.",
            )?;
            out.push_str(&format!("Device {} dependencies \n", dev.unwrap_or("")));
            for e in list(&r) {
                let d = e.as_u64().unwrap_or(0);
                let maj = (d & 0x000f_ff00) >> 8;
                let min = (d & 0xff) | ((d & 0xfff0_0000) >> 12);
                out.push_str(&format!("major: {maj} minor: {min}\n"));
            }
        }
        "reload" => {
            let lines = read_table(args.get(1).map(String::as_str))?;
            let data = Value::Array(lines.iter().map(table::Line::to_value).collect());
            run(
                t,
                &request("reload", dev, 0, Some(data)),
                "libdm_task_run: from dmctl_table_reload failed.",
            )?;
        }
        "status" | "table" => {
            let r = run(
                t,
                &request("table", dev, STATUS_TABLE, None),
                "libdm_task_run",
            )?;
            out.push_str(&format!(
                "Getting device table for device {}\n",
                dev.unwrap_or("")
            ));
            for e in list(&r) {
                let Some(d) = e.as_dict() else { continue };
                let ty = d.get("type").and_then(Value::as_str).unwrap_or("");
                out.push_str(&format!(
                    "{:>10} {:>10} {ty}\n",
                    num(d, "start"),
                    num(d, "length")
                ));
            }
        }
        _ => {}
    }
    Ok(())
}
