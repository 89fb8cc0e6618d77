//! The daemon under test: started per test with its own disks, driven
//! through its control socket and its NBD exports.

#![allow(dead_code)]

use proplib::{Dict, Value};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

pub const EPERM: i32 = 1;
pub const ENOENT: i32 = 2;
pub const EIO: i32 = 5;
pub const E2BIG: i32 = 7;
pub const EBUSY: i32 = 16;
pub const EINVAL: i32 = 22;

pub struct Hostd {
    pub dir: PathBuf,
    child: Child,
}

impl Drop for Hostd {
    fn drop(&mut self) {
        // SAFETY: plain kill(2) of our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn v(pairs: &[(&str, Value)]) -> Value {
    Value::Dict(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<Dict>(),
    )
}

pub fn line(start: u64, len: u64, ty: &str, params: &str) -> Value {
    v(&[
        ("start", Value::Unsigned(start)),
        ("length", Value::Unsigned(len)),
        ("type", ty.into()),
        ("params", params.into()),
    ])
}

/// Creates the device `name` with `lines` and resumes it, through the
/// control ioctl in this process (host mode loaded); its minor.
pub fn setup_in_process(name: &str, lines: Vec<Value>) -> u32 {
    use dm_hostd::{devices, host};
    for req in [
        devices::request("create", &[("name", name.into())]),
        devices::request(
            "reload",
            &[("name", name.into()), ("cmd_data", Value::Array(lines))],
        ),
        devices::request("resume", &[("name", name.into())]),
    ] {
        assert_eq!(host::control(&req).0, 0, "setting up {name}");
    }
    devices::info(name).unwrap().minor
}

/// A dm device of one linear line in this process (host mode loaded
/// here), over a component file of its own in a scratch directory.
pub struct InProcess {
    pub dir: PathBuf,
    pub comp: PathBuf,
    pub name: String,
    pub minor: u32,
}

impl InProcess {
    /// The component `/dev/<disk>`: `bytes` of device after `offset`
    /// sectors; the device `name` maps them, opened for writing.
    pub fn linear(name: &str, disk: &str, bytes: u64, offset: u64) -> InProcess {
        use dm_hostd::host;
        let dir = std::env::temp_dir().join(format!("dm-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let comp = dir.join(format!("{disk}.img"));
        std::fs::File::create(&comp)
            .unwrap()
            .set_len(offset * 512 + bytes)
            .unwrap();
        host::map_disk(&format!("/dev/{disk}"), comp.to_str().unwrap()).unwrap();
        host::init().unwrap();
        host::set_uid(0);
        let params = format!("/dev/{disk} {offset}");
        let minor = setup_in_process(name, vec![line(0, bytes / 512, "linear", &params)]);
        dm_hostd::host::open(minor, true).unwrap();
        InProcess {
            dir,
            comp,
            name: name.to_owned(),
            minor,
        }
    }

    /// Closes and removes the device, and its scratch directory.
    pub fn remove(self) {
        use dm_hostd::{devices, host};
        host::close(self.minor, true).unwrap();
        let req = devices::request("remove", &[("name", self.name.as_str().into())]);
        assert_eq!(host::control(&req).0, 0, "removing {}", self.name);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Hostd {
    /// Starts dm-hostd with disks `(name, MiB)`, each a file in its dir,
    /// mapped as /dev/<name>.
    pub fn start(disks: &[(&str, u64)]) -> Hostd {
        Hostd::start_in(&std::env::temp_dir(), disks, &[])
    }

    /// As [`Hostd::start`], with the files under `base`, and the disks
    /// named in `raw` also exported as raw/<name> (no dm in between).
    pub fn start_in(base: &Path, disks: &[(&str, u64)], raw: &[&str]) -> Hostd {
        Hostd::start_args(base, disks, raw, &[])
    }

    /// As [`Hostd::start_in`], with more arguments for the daemon.
    pub fn start_args(base: &Path, disks: &[(&str, u64)], raw: &[&str], args: &[&str]) -> Hostd {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = base.join(format!(
            "dm-hostd-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dm-hostd"));
        cmd.arg("--socket-dir").arg(&dir).args(args);
        for (name, mib) in disks {
            let f = dir.join(format!("{name}.img"));
            std::fs::File::create(&f)
                .unwrap()
                .set_len(mib << 20)
                .unwrap();
            cmd.arg("--disk")
                .arg(format!("/dev/{name}={}", f.display()));
            if raw.contains(name) {
                cmd.arg("--raw").arg(format!("{name}={}", f.display()));
            }
        }
        // DM_TEST_VERBOSE=1 shows the daemon's log.
        let log = if std::env::var_os("DM_TEST_VERBOSE").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        };
        // The daemon goes with the test thread that started it, even when
        // a panic leaves its handle behind in another thread.
        // SAFETY: prctl is async-signal-safe.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        let child = cmd
            .stderr(log)
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn dm-hostd");
        let h = Hostd { dir, child };
        let t = Instant::now();
        while !(h.dir.join("control").exists() && h.dir.join("nbd").exists()) {
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "dm-hostd did not come up"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        h
    }

    /// SIGKILL: no shutdown, no flush.
    pub fn kill_hard(&self) {
        // SAFETY: plain kill(2) of our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGKILL) };
        std::thread::sleep(Duration::from_millis(100));
    }

    pub fn file(&self, disk: &str) -> PathBuf {
        self.dir.join(format!("{disk}.img"))
    }

    pub fn uri(&self, dev: &str) -> String {
        format!(
            "nbd+unix:///{dev}?socket={}",
            self.dir.join("nbd").display()
        )
    }

    pub fn raw(&self, req: &[u8]) -> (i32, Option<Value>) {
        let mut s = UnixStream::connect(self.dir.join("control")).unwrap();
        let mut out = (req.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(req);
        // The daemon may answer (E2BIG) and close before taking it all.
        let _ = s.write_all(&out);
        let mut hdr = [0u8; 8];
        s.read_exact(&mut hdr).unwrap();
        let e = i32::from_be_bytes(hdr[..4].try_into().unwrap());
        let n = u32::from_be_bytes(hdr[4..].try_into().unwrap()) as usize;
        let mut body = vec![0u8; n];
        s.read_exact(&mut body).unwrap();
        (e, (n > 0).then(|| proplib::internalize(&body).unwrap()))
    }

    /// A command with version 4.0.0, asking for the reply on error too.
    pub fn ctl(&self, command: &str, keys: &[(&str, Value)]) -> (i32, Value) {
        let mut pairs = vec![
            ("command", command.into()),
            (
                "version",
                Value::Array(vec![4u32.into(), 0u32.into(), 0u32.into()]),
            ),
        ];
        let mut flags = 0x0200_0000u64;
        for (k, val) in keys {
            if *k == "flags" {
                flags |= val.as_u64().unwrap();
            } else {
                pairs.push((k, val.clone()));
            }
        }
        pairs.push(("flags", Value::Unsigned(flags)));
        let (e, r) = self.raw(v(&pairs).to_xml().as_bytes());
        let r = r.unwrap_or(Value::Dict(Dict::new()));
        // A failed request that asks for its reply succeeds with the
        // errno inside.
        let inside = r
            .as_dict()
            .and_then(|d| d.get("errno"))
            .and_then(Value::as_u64)
            .and_then(|n| i32::try_from(n).ok());
        match inside {
            Some(n) if e == 0 && n != 0 => (n, r),
            _ => (e, r),
        }
    }

    #[track_caller]
    pub fn ok(&self, command: &str, keys: &[(&str, Value)]) -> Value {
        let (e, r) = self.ctl(command, keys);
        assert_eq!(
            e,
            0,
            "{command} failed: {:?}",
            r.as_dict().and_then(|d| d.get("message"))
        );
        r
    }

    /// Removes the device `name` once the NBD clients that had it open
    /// are gone: a client exits right after sending its disconnect, and
    /// the daemon closes the device when it reads it, a moment later.
    /// Any failure but EBUSY, or EBUSY for 10 s, fails the test.
    pub fn remove_after_clients(&self, name: &str) {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let (e, r) = self.ctl("remove", &[("name", name.into())]);
            if e == 0 {
                return;
            }
            assert!(
                e == EBUSY && Instant::now() < until,
                "remove {name}: errno {e}: {}",
                message(&r)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn setup(&self, name: &str, lines: Vec<Value>) {
        self.ok("create", &[("name", name.into())]);
        self.ok(
            "reload",
            &[("name", name.into()), ("cmd_data", Value::Array(lines))],
        );
        self.ok("resume", &[("name", name.into())]);
    }

    /// Runs qemu-io commands against a device; true when all succeeded.
    pub fn qemu_io(&self, dev: &str, cmds: &[&str]) -> (bool, String) {
        self.qemu_io_with(dev, &[], cmds)
    }

    pub fn qemu_io_with(&self, dev: &str, opts: &[&str], cmds: &[&str]) -> (bool, String) {
        let mut c = Command::new("qemu-io");
        c.arg("-f").arg("raw").args(opts);
        for x in cmds {
            c.arg("-c").arg(x);
        }
        let out = c.arg(self.uri(dev)).output().expect("qemu-io");
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        let ok = out.status.success()
            && !text.contains("failed")
            && !text.contains("Pattern verification");
        (ok, text)
    }
}

pub fn message(r: &Value) -> String {
    r.as_dict()
        .and_then(|d| d.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

pub fn read_at(path: &Path, off: u64, len: usize) -> Vec<u8> {
    use std::os::unix::fs::FileExt;
    let f = std::fs::File::open(path).unwrap();
    let mut b = vec![0u8; len];
    f.read_exact_at(&mut b, off).unwrap();
    b
}

pub fn write_at(path: &Path, off: u64, data: &[u8]) {
    use std::os::unix::fs::FileExt;
    let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.write_all_at(data, off).unwrap();
}

pub fn pattern(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2654435761) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// Keeps the calling thread, and what it starts, on one CPU.
pub fn pin(cpu: usize) -> std::io::Result<()> {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; the calls only
    // write inside it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Two CPUs or more: benchmarks keep the daemon on CPU 0 and its client
/// on CPU 1, so neither steals the other's and the figures settle.
pub fn pinned() -> bool {
    // Asked once, before any pinning narrows what this process may use.
    static TWO: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TWO.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2))
}

/// Appends a benchmark's Markdown to the file `DM_BENCH_REPORT` names.
pub fn append_report(text: &str) {
    if let Some(path) = std::env::var_os("DM_BENCH_REPORT") {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("report file");
        f.write_all(format!("{text}\n").as_bytes())
            .expect("write report");
    }
}
