//! The `flags` word of a request and reply (netbsd-dm.h), plus the bits
//! this driver adds.

pub const READONLY: u32 = 0x0001;
pub const SUSPEND: u32 = 0x0002;
pub const EXISTS: u32 = 0x0004;
pub const PERSISTENT_DEV: u32 = 0x0008;
pub const STATUS_TABLE: u32 = 0x0010;
pub const ACTIVE_PRESENT: u32 = 0x0020;
pub const INACTIVE_PRESENT: u32 = 0x0040;
pub const BUFFER_FULL: u32 = 0x0100;
pub const SKIP_BDGET: u32 = 0x0200;
pub const SKIP_LOCKFS: u32 = 0x0400;
pub const NOFLUSH: u32 = 0x0800;
pub const QUERY_INACTIVE_TABLE: u32 = 0x1000;
/// rename: `cmd_data[0]` is a uuid to set, not a new name (as Linux).
pub const UUID: u32 = 0x4000;
/// reload: accept component offsets inside the component's label area.
/// A bit well above every bit Linux or NetBSD defines.
pub const LABEL_OVERRIDE: u32 = 0x0100_0000;
/// DM_ERRNO_FLAG, the client takes errnos (dm.4, "Errors and errno-aware
/// clients"): a failed command fails the ioctl with its errno, and the
/// message comes back in the caller's own request buffer. Without it a
/// failed command returns 0, as NetBSD's dm does, with the error in the
/// reply's `errno` and `message` keys: NetBSD's libdm frees the caller's
/// task when the ioctl fails, which crashes lvm2 (NETBSD-REAL.md §3).
pub const ERRNO: u32 = 0x0200_0000;
