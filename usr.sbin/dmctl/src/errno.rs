//! NetBSD's errno names and strerror(3) texts: the driver speaks NetBSD
//! errnos on every transport, so dmctl prints them the NetBSD way.

pub fn text(e: i32) -> String {
    let s = match e {
        1 => "Operation not permitted",
        2 => "No such file or directory",
        4 => "Interrupted system call",
        5 => "Input/output error",
        6 => "Device not configured",
        7 => "Argument list too long",
        9 => "Bad file descriptor",
        12 => "Cannot allocate memory",
        13 => "Permission denied",
        14 => "Bad address",
        15 => "Block device required",
        16 => "Device busy",
        17 => "File exists",
        19 => "Operation not supported by device",
        22 => "Invalid argument",
        25 => "Inappropriate ioctl for device",
        28 => "No space left on device",
        30 => "Read-only file system",
        34 => "Result too large",
        _ => return format!("Unknown error: {e}"),
    };
    s.to_owned()
}

pub fn name(e: i32) -> &'static str {
    match e {
        1 => "EPERM",
        2 => "ENOENT",
        4 => "EINTR",
        5 => "EIO",
        6 => "ENXIO",
        7 => "E2BIG",
        9 => "EBADF",
        12 => "ENOMEM",
        13 => "EACCES",
        14 => "EFAULT",
        15 => "ENOTBLK",
        16 => "EBUSY",
        17 => "EEXIST",
        19 => "ENODEV",
        22 => "EINVAL",
        25 => "ENOTTY",
        28 => "ENOSPC",
        30 => "EROFS",
        34 => "ERANGE",
        _ => "E?",
    }
}

/// A host (Linux) errno from the local side of a transport, in NetBSD
/// numbering where the two differ.
pub fn from_io(e: &std::io::Error) -> i32 {
    match e.raw_os_error() {
        Some(n) if n <= 34 => n,
        Some(_) | None => 5,
    }
}
