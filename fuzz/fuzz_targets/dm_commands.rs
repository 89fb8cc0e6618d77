//! Sequences of control commands, structured from the fuzz input, through
//! dm-core's dispatch against in-memory components: never a panic, and
//! the books stay straight (every listed device answers info with its
//! minor; no component stays open once every device is gone).

#![no_main]

use arbitrary::Arbitrary;
use dm_core::device::OpenKind;
use dm_kmock as mock;
use libfuzzer_sys::fuzz_target;
use proplib::{Dict, Value};
use std::sync::Once;

#[derive(Arbitrary, Debug)]
enum Num {
    U(u64),
    S(i64),
    Small(u8),
}

#[derive(Arbitrary, Debug)]
enum Field {
    Str(String),
    Name(u8),
    Num(Num),
    Bool(bool),
    Lines(Vec<(u16, u16, u8, u8, u16)>),
    Strs(Vec<String>),
}

#[derive(Arbitrary, Debug)]
struct Cmd {
    command: u8,
    version: Option<(u8, u8, u8)>,
    name: Option<u8>,
    uuid: Option<u8>,
    minor: Option<u8>,
    flags: Option<u32>,
    event_nr: Option<u8>,
    cmd_data: Option<Field>,
    extra: Option<(String, Field)>,
    open_close: Option<(bool, u8)>,
}

const COMMANDS: [&str; 21] = [
    "version",
    "targets",
    "create",
    "info",
    "mknodes",
    "names",
    "suspend",
    "remove",
    "remove_all",
    "rename",
    "resume",
    "clear",
    "deps",
    "reload",
    "status",
    "table",
    "message",
    "waitevent",
    "setgeometry",
    "bogus",
    "",
];
const TARGETS: [&str; 8] = [
    "linear", "striped", "zero", "error", "delay", "flakey", "mirror", "",
];
const DISKS: [&str; 3] = ["/dev/fz0", "/dev/fz1", "/dev/mapper/d0"];

/// proplib strings are C strings: no NUL inside.
fn nonul(s: &str) -> String {
    s.replace('\0', "")
}

fn dev_name(n: u8) -> String {
    format!("d{}", n % 4)
}

fn num(n: &Num) -> Value {
    match n {
        Num::U(u) => Value::Unsigned(*u),
        Num::S(s) => Value::Signed(*s),
        Num::Small(b) => Value::Unsigned(u64::from(*b)),
    }
}

fn params(kind: &str, a: u8, b: u16) -> String {
    let disk = DISKS[usize::from(a) % DISKS.len()];
    match kind {
        "linear" => format!("{disk} {}", b % 300),
        "striped" => format!("{} {} {disk} 2 /dev/fz1 {}", a % 4, b % 64, b),
        "delay" => format!("{disk} 2 {}", b % 3),
        "flakey" => format!("{disk} 2 {} {} {} drop_writes", a % 3, b % 3, a % 2),
        _ => format!("{a} {b}"),
    }
}

fn field(f: &Field) -> Value {
    match f {
        Field::Str(s) => nonul(s).into(),
        Field::Name(n) => dev_name(*n).into(),
        Field::Num(n) => num(n),
        Field::Bool(b) => Value::Bool(*b),
        Field::Strs(v) => Value::Array(v.iter().map(|s| nonul(s).into()).collect()),
        Field::Lines(ls) => Value::Array(
            ls.iter()
                .take(16)
                .map(|(start, len, kind, a, b)| {
                    let k = TARGETS[usize::from(*kind) % TARGETS.len()];
                    let mut d = Dict::new();
                    d.insert("start".into(), Value::Unsigned(u64::from(*start)));
                    d.insert("length".into(), Value::Unsigned(u64::from(*len)));
                    d.insert("type".into(), k.into());
                    d.insert("params".into(), params(k, *a, *b).into());
                    Value::Dict(d)
                })
                .collect(),
        ),
    }
}

/// A well-formed request: `command`, version 4.0.0 and `extra`.
fn simple(command: &str, extra: &[(&str, Value)]) -> dm_prop::Dict {
    let mut d = Dict::new();
    d.insert("command".into(), command.into());
    d.insert(
        "version".into(),
        Value::Array(vec![
            Value::Unsigned(4),
            Value::Unsigned(0),
            Value::Unsigned(0),
        ]),
    );
    for (k, v) in extra {
        d.insert((*k).to_owned(), v.clone());
    }
    dict(&Value::Dict(d))
}

fn dict(v: &Value) -> dm_prop::Dict {
    let p = proplib::cabi::from_value(v);
    // SAFETY: one reference from from_value, handed over.
    unsafe { dm_prop::Dict::from_owned(p.cast()) }.expect("a dictionary")
}

fn reply(d: &dm_prop::Dict) -> Value {
    // SAFETY: d is live.
    unsafe { proplib::cabi::to_value(d.as_ptr().cast()) }.expect("a value")
}

fn request(c: &Cmd) -> Value {
    let mut d = Dict::new();
    d.insert(
        "command".into(),
        COMMANDS[usize::from(c.command) % COMMANDS.len()].into(),
    );
    let (a, b, x) = c.version.unwrap_or((4, 0, 0));
    d.insert(
        "version".into(),
        Value::Array(vec![
            Value::Unsigned(u64::from(a)),
            Value::Unsigned(u64::from(b)),
            Value::Unsigned(u64::from(x)),
        ]),
    );
    if let Some(n) = c.name {
        d.insert("name".into(), dev_name(n).into());
    }
    if let Some(u) = c.uuid {
        d.insert("uuid".into(), format!("U{}", u % 3).into());
    }
    if let Some(m) = c.minor {
        d.insert("minor".into(), Value::Unsigned(u64::from(m % 8)));
    }
    if let Some(f) = c.flags {
        // Never ask waitevent to sleep: the event number comes from the device.
        d.insert("flags".into(), Value::Unsigned(u64::from(f)));
    }
    if let Some(e) = c.event_nr {
        d.insert("event_nr".into(), Value::Unsigned(u64::from(e)));
    }
    if let Some(f) = &c.cmd_data {
        d.insert("cmd_data".into(), field(f));
    }
    if let Some((k, f)) = &c.extra {
        d.insert(nonul(k), field(f));
    }
    Value::Dict(d)
}

fuzz_target!(|cmds: Vec<Cmd>| {
    static DISKS_ONCE: Once = Once::new();
    DISKS_ONCE.call_once(|| {
        mock::add_disk("/dev/fz0", 4096);
        mock::add_disk("/dev/fz1", 1024);
        mock::add_disk_with(
            "/dev/mapper/d0",
            mock::Disk {
                sectors: 4096,
                secsize: 512,
                dev: 0xa901,
                dm_minor: 1,
                ..Default::default()
            },
        );
    });
    let core = dm_core::Core::new().expect("core");
    let mut opened: Vec<u32> = Vec::new();
    for c in cmds.iter().take(64) {
        let req = request(c);
        let is_wait = req
            .as_dict()
            .and_then(|d| d.get("command"))
            .and_then(Value::as_str)
            == Some("waitevent");
        if is_wait {
            // Would sleep until an event: ask only for one already past.
            continue;
        }
        let d = dict(&req);
        let _ = core.ioctl(&d, c.command % 7 != 0);
        let _ = reply(&d);
        if let Some((open, m)) = c.open_close {
            let m = u32::from(m % 8);
            // As the kernel: d_open on every open, d_close on the
            // node's last close only.
            if open {
                if core.open(m, OpenKind::Char).is_ok() {
                    opened.push(m);
                }
            } else if let Some(i) = opened.iter().position(|x| *x == m) {
                opened.swap_remove(i);
                if !opened.contains(&m) {
                    core.close(m, OpenKind::Char)
                        .expect("last close after open");
                }
            }
        }
    }
    // The books: every listed device answers info with its own minor.
    let names = simple("names", &[]);
    core.ioctl(&names, false).expect("names");
    let listed = reply(&names);
    for e in listed
        .as_dict()
        .and_then(|d| d.get("cmd_data"))
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        let e = e.as_dict().expect("entry");
        let info = simple("info", &[("name", e["name"].clone())]);
        core.ioctl(&info, false)
            .expect("listed device answers info");
        assert_eq!(
            reply(&info).as_dict().unwrap()["minor"].as_u64(),
            e["dev"].as_u64()
        );
    }
    opened.sort_unstable();
    opened.dedup();
    for m in opened {
        let _ = core.close(m, OpenKind::Char);
    }
    let all = simple("remove_all", &[]);
    // Resume everything first: a suspended device still goes.
    let _ = core.ioctl(&all, true);
    assert_eq!(
        core.device_count(),
        0,
        "remove_all leaves nothing once nothing is open"
    );
    assert_eq!(core.open_components(), 0, "no component left open");
});
