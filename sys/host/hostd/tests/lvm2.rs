//! lvm2 conformance: the requests libdevmapper's NetBSD interface sends
//! (libdm-nbsd-iface.c), byte for byte in shape — command, version
//! triple, the flag bits it sets, the keys it sends and leaves out — for
//! the sequences lvm2 runs, and every reply key it reads.
//!
//! lvm2 builds its requests with NetBSD's libdm (`libdm_task_create`),
//! whose version table (lib/libdm/libdm_ioctl.c `cmd_ver`) gives 4.0.0 to
//! fifteen commands and no `version` at all to remove_all, message,
//! waitevent and setgeometry; a message carries neither text nor sector.
//! It never sets DM_ERRNO_FLAG: every command returns 0 (a failing ioctl
//! makes libdm free the task lvm2 still uses, NETBSD-REAL.md §3), and a
//! failure shows in the reply's `errno`, `message` and cleared EXISTS.

mod common;

use common::*;
use proplib::{Dict, Value};
use std::process::{Command, Stdio};
use std::time::Duration;

// Flag bits (netbsd-dm.h).
const READONLY: u64 = 0x1;
const SUSPEND: u64 = 0x2;
const EXISTS: u64 = 0x4;
const PERSISTENT_DEV: u64 = 0x8;
const STATUS_TABLE: u64 = 0x10;
const ACTIVE_PRESENT: u64 = 0x20;
const INACTIVE_PRESENT: u64 = 0x40;
const SKIP_BDGET: u64 = 0x200;
const SKIP_LOCKFS: u64 = 0x400;
const NOFLUSH: u64 = 0x800;
const QUERY_INACTIVE: u64 = 0x1000;

const DM_BMAJOR: u64 = 169;

/// A libdevmapper task, flattened as `_flatten` does: command, version,
/// minor (only with a persistent minor), name, uuid, flags (always with
/// EXISTS), event_nr, cmd_data (always present).
struct Task {
    command: &'static str,
    version: Option<[u32; 3]>,
    name: Option<String>,
    uuid: Option<String>,
    minor: Option<u32>,
    flags: u64,
    event_nr: u32,
    cmd_data: Vec<Value>,
}

impl Task {
    fn new(command: &'static str) -> Task {
        let version = match command {
            "remove_all" | "message" | "waitevent" | "setgeometry" => None,
            _ => Some([4, 0, 0]),
        };
        Task {
            command,
            version,
            name: None,
            uuid: None,
            minor: None,
            flags: 0,
            event_nr: 0,
            cmd_data: Vec::new(),
        }
    }

    fn name(mut self, n: &str) -> Task {
        self.name = Some(n.into());
        self
    }

    fn uuid(mut self, u: &str) -> Task {
        self.uuid = Some(u.into());
        self
    }

    fn minor(mut self, m: u32) -> Task {
        self.minor = Some(m);
        self
    }

    fn flags(mut self, f: u64) -> Task {
        self.flags |= f;
        self
    }

    fn table(mut self, lines: &[(u64, u64, &str, &str)]) -> Task {
        self.cmd_data = lines
            .iter()
            .map(|(s, l, t, p)| line(*s, *l, t, p))
            .collect();
        self
    }

    fn to_xml(&self) -> String {
        let mut d = Dict::new();
        d.insert("command".into(), self.command.into());
        if let Some(version) = self.version {
            d.insert(
                "version".into(),
                Value::Array(
                    version
                        .iter()
                        .map(|v| Value::Unsigned(u64::from(*v)))
                        .collect(),
                ),
            );
        }
        let mut flags = self.flags | EXISTS;
        if let Some(m) = self.minor {
            d.insert("minor".into(), Value::Unsigned(u64::from(m)));
            flags |= PERSISTENT_DEV;
        }
        if let Some(n) = &self.name {
            d.insert("name".into(), n.as_str().into());
        }
        if let Some(u) = &self.uuid {
            d.insert("uuid".into(), u.as_str().into());
        }
        d.insert("flags".into(), Value::Unsigned(flags));
        d.insert("event_nr".into(), Value::Unsigned(u64::from(self.event_nr)));
        d.insert("cmd_data".into(), Value::Array(self.cmd_data.clone()));
        Value::Dict(d).to_xml()
    }
}

/// What libdevmapper gets back: the errno, the reply text and the reply.
struct Reply {
    errno: i32,
    text: String,
    d: Dict,
}

impl Reply {
    fn u(&self, k: &str) -> u64 {
        self.d
            .get(k)
            .and_then(Value::as_u64)
            .unwrap_or_else(|| panic!("reply lacks {k}: {:?}", self.d))
    }

    fn s(&self, k: &str) -> &str {
        self.d
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("reply lacks {k}"))
    }

    fn list(&self) -> &[Value] {
        self.d
            .get("cmd_data")
            .and_then(Value::as_array)
            .unwrap_or(&[])
    }
}

fn run(h: &Hostd, t: Task) -> Reply {
    let xml = t.to_xml();
    let mut s = std::os::unix::net::UnixStream::connect(h.dir.join("control")).unwrap();
    use std::io::{Read, Write};
    let mut out = (xml.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(xml.as_bytes());
    s.write_all(&out).unwrap();
    let mut hdr = [0u8; 8];
    s.read_exact(&mut hdr).unwrap();
    let errno = i32::from_be_bytes(hdr[..4].try_into().unwrap());
    let n = u32::from_be_bytes(hdr[4..].try_into().unwrap()) as usize;
    let mut body = vec![0u8; n];
    s.read_exact(&mut body).unwrap();
    let text = String::from_utf8(body).unwrap();
    let d = if n > 0 {
        match proplib::internalize(text.as_bytes()).unwrap() {
            Value::Dict(d) => d,
            other => panic!("reply is not a dictionary: {other:?}"),
        }
    } else {
        Dict::new()
    };
    Reply { errno, text, d }
}

impl Reply {
    /// The error the reply carries (lvm2 itself reads only EXISTS).
    fn failed(&self) -> Option<u64> {
        self.d.get("errno").and_then(Value::as_u64)
    }
}

/// A command that failed: the ioctl still returns 0, EXISTS is as
/// `exists` says, and the reply carries the errno and a message.
#[track_caller]
fn fails(h: &Hostd, t: Task, errno: i32, exists: bool) -> Reply {
    let cmd = t.command;
    let r = run(h, t);
    assert_eq!(r.errno, 0, "{cmd}: the ioctl succeeds for libdm");
    assert_eq!(r.failed(), Some(errno as u64), "{cmd}: {:?}", r.d);
    assert!(!r.s("message").is_empty(), "{cmd}");
    assert_eq!(r.u("flags") & EXISTS != 0, exists, "{cmd}");
    r
}

#[track_caller]
fn ok(h: &Hostd, t: Task) -> Reply {
    let cmd = t.command;
    let r = run(h, t);
    assert_eq!(r.errno, 0, "{cmd} failed");
    assert_eq!(r.failed(), None, "{cmd} failed: {:?}", r.d.get("message"));
    // Every reply carries the driver's version, as NetBSD writes it.
    assert!(r.text.contains(
        "<key>version</key>\n\t<array>\n\t\t<integer>0x4</integer>\n\t\t<integer>0x10</integer>"
    ));
    r
}

const VG: &str = "Jz5xHP7n2QPZmVaNk8Ue4P4tQG1yfkPL";
const LV: &str = "c3E1vS0U1m4uMFAh7oLbN3lF2WGGmbYk";

#[test]
fn lvcreate_activation_and_queries() {
    let h = Hostd::start(&[("wd0e", 16)]);
    let uuid = format!("LVM-{VG}{LV}");
    // lvcreate / vgchange -ay: create, reload by name, resume, info.
    let r = ok(&h, Task::new("create").name("vg0-lv0").uuid(&uuid));
    assert_eq!(r.u("minor"), 1);
    assert_eq!(r.u("flags") & EXISTS, EXISTS);
    let r = ok(
        &h,
        Task::new("reload")
            .name("vg0-lv0")
            .flags(SKIP_BDGET)
            .table(&[(0, 8192, "linear", "/dev/wd0e 384")]),
    );
    assert_eq!(r.u("minor"), 1);
    assert_eq!(r.u("flags") & INACTIVE_PRESENT, INACTIVE_PRESENT);
    // The request's table comes back (libdevmapper ignores it).
    assert_eq!(r.list().len(), 1);
    let r = ok(&h, Task::new("resume").name("vg0-lv0").flags(SKIP_LOCKFS));
    assert_eq!(r.u("flags") & (EXISTS | SUSPEND), EXISTS);
    assert_eq!(r.u("minor"), 1);
    let r = ok(&h, Task::new("info").name("vg0-lv0"));
    assert_eq!(
        r.u("flags") & (EXISTS | ACTIVE_PRESENT | INACTIVE_PRESENT | SUSPEND | READONLY),
        EXISTS | ACTIVE_PRESENT
    );
    assert_eq!(
        (
            r.u("minor"),
            r.u("open_count"),
            r.u("target_count"),
            r.u("event_nr")
        ),
        (1, 0, 1, 1)
    );
    assert_eq!(r.s("uuid"), uuid);
    assert_eq!(r.s("name"), "vg0-lv0");
    // Unsigned numbers are written as NetBSD's proplib writes them.
    assert!(r
        .text
        .contains("<key>minor</key>\n\t<integer>0x1</integer>"));

    // By uuid only, and by minor only (with PERSISTENT_DEV).
    let r = ok(&h, Task::new("info").uuid(&uuid));
    assert_eq!(r.s("name"), "vg0-lv0");
    let r = ok(&h, Task::new("info").minor(1));
    assert_eq!(r.s("name"), "vg0-lv0");

    // lvs / dmsetup ls: names, table, status, targets, version, deps.
    let r = ok(&h, Task::new("names"));
    let e = r.list()[0].as_dict().unwrap();
    assert_eq!(
        (e["name"].as_str(), e["dev"].as_u64()),
        (Some("vg0-lv0"), Some(1))
    );
    let r = ok(&h, Task::new("table").name("vg0-lv0").flags(STATUS_TABLE));
    let l = r.list()[0].as_dict().unwrap();
    assert!(matches!(l["start"], Value::Unsigned(0)));
    assert!(matches!(l["length"], Value::Unsigned(8192)));
    assert_eq!(l["type"].as_str(), Some("linear"));
    assert!(l["params"].as_str().unwrap().ends_with(" 384"));
    assert_eq!(l["status"], Value::Signed(0));
    let r = ok(&h, Task::new("status").name("vg0-lv0"));
    assert!(
        r.list()[0].as_dict().unwrap().get("params").is_none(),
        "linear has no status text"
    );
    let r = ok(&h, Task::new("targets"));
    let t = r.list()[0].as_dict().unwrap();
    assert_eq!(t["name"].as_str(), Some("linear"));
    assert_eq!(
        t["ver"],
        Value::Array(vec![1u64.into(), 0u64.into(), 2u64.into()])
    );
    let r = ok(&h, Task::new("deps").name("vg0-lv0"));
    assert_eq!(r.list().len(), 1);
    assert!(matches!(r.list()[0], Value::Unsigned(d) if d != 0));
    assert_eq!((r.s("name"), r.u("minor")), ("vg0-lv0", 1));
    ok(&h, Task::new("mknodes").name("vg0-lv0"));
}

#[test]
fn not_found_is_an_answer_without_exists() {
    let h = Hostd::start(&[]);
    // lvm2 asks these to learn whether a volume is active: success, and
    // EXISTS cleared, is "no".
    for t in [
        Task::new("info").name("vg0-none"),
        Task::new("mknodes").name("vg0-none"),
        Task::new("status").name("vg0-none"),
        Task::new("info").uuid("LVM-nothere"),
        Task::new("info").minor(77),
    ] {
        let r = ok(&h, t);
        assert_eq!(r.u("flags") & EXISTS, 0);
    }
    // Anything else on a missing device is a failure lvm2 survives.
    for cmd in ["table", "deps", "remove", "resume", "suspend", "clear"] {
        let r = fails(&h, Task::new(cmd).name("vg0-none"), ENOENT, false);
        assert_eq!(r.s("message"), "device 'vg0-none' does not exist");
    }
}

/// `dmsetup mknodes`, `remove_all` and `message` as lvm2 sends them:
/// mknodes for the raw node `r<name>` too, no `version` for remove_all
/// and message, and no text in a message.
#[test]
fn dmsetup_mknodes_remove_all_and_message() {
    let h = Hostd::start(&[]);
    ok(&h, Task::new("create").name("vg0-lv"));
    for n in ["vg0-lv", "rvg0-lv"] {
        let r = ok(&h, Task::new("mknodes").name(n));
        assert_eq!((r.u("flags") & EXISTS, r.u("minor")), (EXISTS, 1), "{n}");
    }
    let r = fails(&h, Task::new("message").name("vg0-lv"), EINVAL, true);
    assert!(r.s("message").contains("no message text"), "{:?}", r.d);
    // An event has happened since event 0: waitevent returns at once.
    ok(
        &h,
        Task::new("reload")
            .name("vg0-lv")
            .table(&[(0, 8, "zero", "")]),
    );
    ok(&h, Task::new("resume").name("vg0-lv"));
    let r = ok(&h, Task::new("waitevent").name("vg0-lv"));
    assert_eq!(r.u("event_nr"), 1);
    ok(&h, Task::new("remove_all"));
    let r = ok(&h, Task::new("info").name("vg0-lv"));
    assert_eq!(r.u("flags") & EXISTS, 0);
}

#[test]
fn lvextend_and_pvmove_table_swaps() {
    let h = Hostd::start(&[("wd0e", 16), ("wd1e", 16)]);
    ok(&h, Task::new("create").name("vg0-data"));
    ok(
        &h,
        Task::new("reload")
            .name("vg0-data")
            .table(&[(0, 4096, "linear", "/dev/wd0e 384")]),
    );
    ok(&h, Task::new("resume").name("vg0-data"));
    // lvextend: a longer, two-segment table, then suspend and resume.
    ok(
        &h,
        Task::new("reload").name("vg0-data").table(&[
            (0, 4096, "linear", "/dev/wd0e 384"),
            (4096, 4096, "linear", "/dev/wd1e 384"),
        ]),
    );
    let r = ok(&h, Task::new("info").name("vg0-data"));
    assert_eq!(
        r.u("flags") & (ACTIVE_PRESENT | INACTIVE_PRESENT),
        ACTIVE_PRESENT | INACTIVE_PRESENT
    );
    assert_eq!(r.u("target_count"), 1, "the active table until resume");
    let r = ok(
        &h,
        Task::new("table")
            .name("vg0-data")
            .flags(STATUS_TABLE | QUERY_INACTIVE),
    );
    assert_eq!(
        r.list().len(),
        2,
        "the inactive table on request (minor 16 feature)"
    );
    let r = ok(
        &h,
        Task::new("suspend")
            .name("vg0-data")
            .flags(SUSPEND | NOFLUSH | SKIP_LOCKFS),
    );
    assert_eq!(r.u("flags") & (SUSPEND | EXISTS), SUSPEND | EXISTS);
    let r = ok(&h, Task::new("info").name("vg0-data"));
    assert_eq!(r.u("flags") & SUSPEND, SUSPEND);
    ok(&h, Task::new("resume").name("vg0-data"));
    let r = ok(&h, Task::new("info").name("vg0-data"));
    assert_eq!(
        (r.u("target_count"), r.u("event_nr"), r.u("flags") & SUSPEND),
        (2, 2, 0)
    );
    assert_eq!(h.raw(b"").0, EIO, "empty requests are not dictionaries");
    // pvmove: the segment moves to the other PV through a mirror-less swap.
    ok(
        &h,
        Task::new("reload").name("vg0-data").table(&[
            (0, 4096, "linear", "/dev/wd1e 8576"),
            (4096, 4096, "linear", "/dev/wd1e 384"),
        ]),
    );
    ok(&h, Task::new("suspend").name("vg0-data").flags(SUSPEND));
    ok(&h, Task::new("resume").name("vg0-data"));
    let r = ok(&h, Task::new("deps").name("vg0-data"));
    assert_eq!(r.list().len(), 1, "only wd1e is used now");
    // clear drops a loaded-but-unwanted table.
    ok(
        &h,
        Task::new("reload")
            .name("vg0-data")
            .table(&[(0, 8, "zero", "")]),
    );
    ok(&h, Task::new("clear").name("vg0-data"));
    let r = ok(&h, Task::new("info").name("vg0-data"));
    assert_eq!(r.u("flags") & INACTIVE_PRESENT, 0);
}

#[test]
fn lvchange_an_sees_real_open_count() {
    let h = Hostd::start(&[("wd0e", 16)]);
    ok(&h, Task::new("create").name("vg0-busy"));
    ok(
        &h,
        Task::new("reload")
            .name("vg0-busy")
            .table(&[(0, 2048, "linear", "/dev/wd0e 384")]),
    );
    ok(&h, Task::new("resume").name("vg0-busy"));
    let mut holder = Command::new("qemu-io")
        .args(["-f", "raw", "-r", "-c", "sleep 1200"])
        .arg(h.uri("vg0-busy"))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    // lvchange -an asks info with the open count and refuses while open.
    let r = ok(&h, Task::new("info").name("vg0-busy"));
    assert_eq!(r.u("open_count"), 1);
    fails(&h, Task::new("remove").name("vg0-busy"), EBUSY, true);
    holder.wait().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let r = ok(&h, Task::new("info").name("vg0-busy"));
    assert_eq!(r.u("open_count"), 0);
    // lvremove: remove, then the device is gone.
    ok(&h, Task::new("remove").name("vg0-busy"));
    let r = ok(&h, Task::new("info").name("vg0-busy"));
    assert_eq!(r.u("flags") & EXISTS, 0);
}

#[test]
fn stacked_deps_report_the_dm_block_major() {
    let h = Hostd::start(&[("wd0e", 16)]);
    ok(&h, Task::new("create").name("vg0-pool"));
    ok(
        &h,
        Task::new("reload")
            .name("vg0-pool")
            .table(&[(0, 8192, "linear", "/dev/wd0e 384")]),
    );
    ok(&h, Task::new("resume").name("vg0-pool"));
    ok(&h, Task::new("create").name("vg0-thin"));
    ok(
        &h,
        Task::new("reload").name("vg0-thin").table(&[(
            0,
            4096,
            "linear",
            "/dev/mapper/vg0-pool 0",
        )]),
    );
    ok(&h, Task::new("resume").name("vg0-thin"));
    let r = ok(&h, Task::new("deps").name("vg0-thin"));
    let d = r.list()[0].as_u64().unwrap();
    let (maj, min) = (
        (d & 0x000f_ff00) >> 8,
        (d & 0xff) | ((d & 0xfff0_0000) >> 12),
    );
    assert_eq!((maj, min), (DM_BMAJOR, 1), "block dev_t of vg0-pool");
    ok(&h, Task::new("remove").name("vg0-thin"));
    ok(&h, Task::new("remove").name("vg0-pool"));
}

#[test]
fn rename_readonly_and_unsupported_versions() {
    let h = Hostd::start(&[("wd0e", 16)]);
    ok(&h, Task::new("create").name("vg0-old").flags(READONLY));
    let mut t = Task::new("rename").name("vg0-old");
    t.cmd_data = vec!["vg0-new".into()];
    let r = ok(&h, t);
    assert_eq!(r.s("name"), "vg0-new");
    ok(
        &h,
        Task::new("reload")
            .name("vg0-new")
            .flags(READONLY)
            .table(&[(0, 2048, "linear", "/dev/wd0e 384")]),
    );
    ok(&h, Task::new("resume").name("vg0-new"));
    let r = ok(&h, Task::new("info").name("vg0-new"));
    assert_eq!(r.u("flags") & READONLY, READONLY);
    // A protocol this driver does not speak.
    let mut t = Task::new("info").name("vg0-new");
    t.version = Some([5, 0, 0]);
    fails(&h, t, EIO, true);
    let mut t = Task::new("info").name("vg0-new");
    t.version = Some([4, 17, 0]);
    fails(&h, t, EIO, true);
    let mut t = Task::new("setgeometry").name("vg0-new");
    t.cmd_data = vec!["1024 64 32 0".into()];
    ok(&h, t);
    ok(&h, Task::new("remove").name("vg0-new"));
}
