//! One request to the driver and its reply, shared by both command sets.

use crate::errno;
use crate::transport::Transport;
use proplib::{Dict, Value};

/// Ask for the reply even on failure, for the driver's message: the
/// ioctl then succeeds and the reply carries `errno` (a flag of this
/// driver; NetBSD's ignores it).
pub const REPLY_ON_ERROR: u64 = 0x0200_0000;

pub struct Request {
    d: Dict,
}

impl Request {
    pub fn new(command: &str) -> Request {
        let mut d = Dict::new();
        d.insert("command".into(), command.into());
        d.insert(
            "version".into(),
            Value::Array(vec![4u32.into(), 0u32.into(), 0u32.into()]),
        );
        d.insert("flags".into(), Value::Unsigned(REPLY_ON_ERROR));
        Request { d }
    }

    pub fn name(mut self, name: &str) -> Request {
        self.d.insert("name".into(), name.into());
        self
    }

    pub fn set(mut self, key: &str, v: Value) -> Request {
        self.d.insert(key.into(), v);
        self
    }

    pub fn flags(mut self, f: u64) -> Request {
        self.d
            .insert("flags".into(), Value::Unsigned(f | REPLY_ON_ERROR));
        self
    }

    pub fn bytes(&self) -> Vec<u8> {
        Value::Dict(self.d.clone()).to_xml().into_bytes()
    }
}

/// A failed request: the errno and the driver's explanation.
#[derive(Debug)]
pub struct Error {
    pub errno: i32,
    pub message: Option<String>,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({})",
            errno::name(self.errno),
            errno::text(self.errno)
        )?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

pub fn call(t: &dyn Transport, req: &Request) -> Result<Dict, Error> {
    let answer = t.call(&req.bytes()).map_err(|e| Error {
        errno: errno::from_io(&e),
        message: Some(format!("cannot reach the driver: {e}")),
    })?;
    let reply = answer
        .reply
        .and_then(|r| proplib::internalize(&r).ok())
        .and_then(|v| match v {
            Value::Dict(d) => Some(d),
            _ => None,
        });
    if answer.errno != 0 {
        let message = reply
            .as_ref()
            .and_then(|d| d.get("message"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        return Err(Error {
            errno: answer.errno,
            message,
        });
    }
    let reply = reply.ok_or(Error {
        errno: 5,
        message: Some("the driver sent no reply".into()),
    })?;
    // A failed request that asked for its reply succeeds with the errno
    // inside: a failed ioctl returns nothing on NetBSD.
    match reply.get("errno").and_then(Value::as_u64) {
        Some(e) if e != 0 => Err(Error {
            errno: i32::try_from(e).unwrap_or(5),
            message: reply
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned),
        }),
        _ => Ok(reply),
    }
}

pub fn num(d: &Dict, key: &str) -> u64 {
    d.get(key).and_then(Value::as_u64).unwrap_or(0)
}

pub fn text<'a>(d: &'a Dict, key: &str) -> &'a str {
    d.get(key).and_then(Value::as_str).unwrap_or("")
}

pub fn list(d: &Dict) -> &[Value] {
    d.get("cmd_data").and_then(Value::as_array).unwrap_or(&[])
}
