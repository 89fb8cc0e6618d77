//! Test harness: a fresh Core per test, requests built as proplib values,
//! replies read back as values, and in-memory components.

#![allow(dead_code)]

use dm_core::{Core, Errno};
use dm_kmock as mock;
use dm_prop::Dict;
use proplib::{Dict as VDict, Value};
use std::sync::atomic::{AtomicU32, Ordering};

pub struct H {
    pub core: Core,
    pub tag: String,
}

/// A unique prefix, so tests running side by side never share a disk.
fn unique() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("t{}", N.fetch_add(1, Ordering::SeqCst))
}

pub fn v(pairs: &[(&str, Value)]) -> Value {
    Value::Dict(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<VDict>(),
    )
}

pub fn line(start: u64, length: u64, ty: &str, params: &str) -> Value {
    v(&[
        ("start", Value::Unsigned(start)),
        ("length", Value::Unsigned(length)),
        ("type", ty.into()),
        ("params", params.into()),
    ])
}

pub fn to_dict(val: &Value) -> Dict {
    let p = proplib::cabi::from_value(val);
    // SAFETY: from_value hands us one reference.
    unsafe { Dict::from_owned(p.cast()) }.expect("a dictionary")
}

pub fn to_value(d: &Dict) -> Value {
    // SAFETY: d is live.
    unsafe { proplib::cabi::to_value(d.as_ptr().cast()) }.expect("a value")
}

/// The reply of one command.
pub struct Reply {
    pub rv: Result<(), Errno>,
    pub msg: Option<String>,
    pub v: Value,
}

impl Reply {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.v.as_dict().and_then(|d| d.get(key))
    }
    pub fn u64(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(Value::as_u64)
    }
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
    pub fn flags(&self) -> u32 {
        self.u64("flags").unwrap_or(0) as u32
    }
    pub fn cmd_data(&self) -> &[Value] {
        self.get("cmd_data")
            .and_then(Value::as_array)
            .unwrap_or(&[])
    }
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.rv, Ok(()), "command failed: {:?}", self.msg);
        self
    }
    #[track_caller]
    pub fn err(self, e: Errno) -> Self {
        assert_eq!(self.rv, Err(e), "expected {e:?}; reply {:?}", self.v);
        self
    }
}

impl H {
    pub fn new() -> H {
        H {
            core: Core::new().expect("core"),
            tag: unique(),
        }
    }

    /// A component path unique to this test.
    pub fn path(&self, name: &str) -> String {
        format!("/dev/{}{}", self.tag, name)
    }

    /// Registers component `name` of `sectors` sectors; returns its path.
    pub fn disk(&self, name: &str, sectors: u64) -> String {
        let p = self.path(name);
        mock::add_disk(&p, sectors);
        p
    }

    pub fn raw(&self, req: &Value, privileged: bool) -> Reply {
        let d = to_dict(req);
        let r = self.core.ioctl(&d, privileged);
        let v = to_value(&d);
        Reply {
            rv: r.as_ref().map(|_| ()).map_err(|e| e.errno),
            msg: r.err().and_then(|e| e.msg),
            v,
        }
    }

    /// `command` with version 4.0.0 and the given keys, as root.
    pub fn cmd(&self, command: &str, keys: &[(&str, Value)]) -> Reply {
        let mut pairs: Vec<(&str, Value)> = vec![
            ("command", command.into()),
            (
                "version",
                Value::Array(vec![4u32.into(), 0u32.into(), 0u32.into()]),
            ),
        ];
        pairs.extend(keys.iter().cloned());
        self.raw(&v(&pairs), true)
    }

    pub fn named(&self, command: &str, name: &str) -> Reply {
        self.cmd(command, &[("name", name.into())])
    }

    pub fn create(&self, name: &str) -> u32 {
        self.named("create", name).ok().u64("minor").unwrap() as u32
    }

    pub fn reload(&self, name: &str, lines: Vec<Value>) -> Reply {
        self.cmd(
            "reload",
            &[("name", name.into()), ("cmd_data", Value::Array(lines))],
        )
    }

    /// create + reload + resume.
    pub fn setup(&self, name: &str, lines: Vec<Value>) -> u32 {
        let m = self.create(name);
        self.reload(name, lines).ok();
        self.named("resume", name).ok();
        m
    }

    pub fn table(&self, name: &str) -> Vec<(u64, u64, String, Option<String>)> {
        let r = self
            .cmd(
                "table",
                &[("name", name.into()), ("flags", Value::Unsigned(0x10))],
            )
            .ok();
        r.cmd_data()
            .iter()
            .map(|l| {
                let d = l.as_dict().unwrap();
                (
                    d["start"].as_u64().unwrap(),
                    d["length"].as_u64().unwrap(),
                    d["type"].as_str().unwrap().to_owned(),
                    d.get("params").and_then(Value::as_str).map(str::to_owned),
                )
            })
            .collect()
    }
}

/// NetBSD's "maj:min" of a mock dev_t.
pub fn devstr(dev: u64) -> String {
    let (a, b) = dm_core::pdev::split_dev(dev);
    format!("{a}:{b}")
}
