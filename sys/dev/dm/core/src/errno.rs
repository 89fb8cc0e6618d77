//! Errors as errnos. Values are NetBSD's, which the protocol carries; only
//! numbers NetBSD and Linux share are used, so host mode reads them alike.

use alloc::string::String;
use core::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Errno {
    EPERM = 1,
    ENOENT = 2,
    EINTR = 4,
    EIO = 5,
    ENXIO = 6,
    E2BIG = 7,
    ENOMEM = 12,
    ENOTBLK = 15,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    EINVAL = 22,
    ENOTTY = 25,
    ENOSPC = 28,
    EROFS = 30,
    ERANGE = 34,
}

impl Errno {
    pub fn raw(self) -> i32 {
        self as i32
    }

    /// The errno for a raw value from the kernel interface; unknown values
    /// are reported as EIO rather than invented.
    pub fn from_raw(v: i32) -> Errno {
        match v {
            1 => Errno::EPERM,
            2 => Errno::ENOENT,
            4 => Errno::EINTR,
            5 => Errno::EIO,
            6 => Errno::ENXIO,
            7 => Errno::E2BIG,
            12 => Errno::ENOMEM,
            15 => Errno::ENOTBLK,
            14 => Errno::EFAULT,
            16 => Errno::EBUSY,
            17 => Errno::EEXIST,
            19 => Errno::ENODEV,
            22 => Errno::EINVAL,
            25 => Errno::ENOTTY,
            28 => Errno::ENOSPC,
            30 => Errno::EROFS,
            34 => Errno::ERANGE,
            _ => Errno::EIO,
        }
    }
}

/// A failed command or table: the errno and, where it helps, a sentence
/// for the person who typed the command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub errno: Errno,
    pub msg: Option<String>,
}

pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    pub fn new(errno: Errno, msg: impl Into<String>) -> Error {
        Error {
            errno,
            msg: Some(msg.into()),
        }
    }
}

impl From<Errno> for Error {
    fn from(errno: Errno) -> Error {
        Error { errno, msg: None }
    }
}

impl From<dm_prop::NoMem> for Error {
    fn from(_: dm_prop::NoMem) -> Error {
        Error::from(Errno::ENOMEM)
    }
}

impl From<alloc::collections::TryReserveError> for Error {
    fn from(_: alloc::collections::TryReserveError) -> Error {
        Error::from(Errno::ENOMEM)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.msg {
            Some(m) => write!(f, "{:?}: {}", self.errno, m),
            None => write!(f, "{:?}", self.errno),
        }
    }
}

/// Shorthand for an EINVAL with a message.
pub fn invalid(msg: impl Into<String>) -> Error {
    Error::new(Errno::EINVAL, msg)
}
