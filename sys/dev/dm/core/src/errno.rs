//! Errors as errnos. Values are NetBSD's, which the protocol carries; the
//! named ones are numbers NetBSD and Linux share, so host mode reads them
//! alike; any other errno the kernel hands dm-core passes through as is.

use alloc::string::String;
use core::fmt;

/// The errnos dm-core names itself, and any other the kernel reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errno {
    EPERM,
    ENOENT,
    EINTR,
    EIO,
    ENXIO,
    E2BIG,
    ENOMEM,
    EACCES,
    EFAULT,
    ENOTBLK,
    EBUSY,
    EEXIST,
    ENODEV,
    EINVAL,
    ENOTTY,
    ENOSPC,
    EROFS,
    ERANGE,
    /// An errno from the kernel interface that dm-core has no name for
    /// (ENAMETOOLONG, ELOOP, ...): carried to the caller unchanged, so
    /// the user sees why a component would not open.
    Other(i32),
}

/// The named errnos and their values (NetBSD's sys/errno.h).
const NAMED: [(Errno, i32); 18] = [
    (Errno::EPERM, 1),
    (Errno::ENOENT, 2),
    (Errno::EINTR, 4),
    (Errno::EIO, 5),
    (Errno::ENXIO, 6),
    (Errno::E2BIG, 7),
    (Errno::ENOMEM, 12),
    (Errno::EACCES, 13),
    (Errno::EFAULT, 14),
    (Errno::ENOTBLK, 15),
    (Errno::EBUSY, 16),
    (Errno::EEXIST, 17),
    (Errno::ENODEV, 19),
    (Errno::EINVAL, 22),
    (Errno::ENOTTY, 25),
    (Errno::ENOSPC, 28),
    (Errno::EROFS, 30),
    (Errno::ERANGE, 34),
];

impl Errno {
    pub fn raw(self) -> i32 {
        match self {
            Errno::Other(v) => v,
            e => NAMED.iter().find(|(n, _)| *n == e).map_or(5, |&(_, v)| v),
        }
    }

    /// The errno for a raw value from the kernel interface. Values
    /// without a name pass through as [`Errno::Other`]; only a value
    /// that is no errno at all (0 or negative) becomes EIO, so a failure
    /// is never reported as success.
    pub fn from_raw(v: i32) -> Errno {
        match NAMED.iter().find(|&&(_, n)| n == v) {
            Some(&(e, _)) => e,
            None if v > 0 => Errno::Other(v),
            None => Errno::EIO,
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
