//! Every limit dm-core enforces, in one place.

/// Longest device name in bytes (NetBSD's DM_NAME_LEN is 128 with NUL).
pub const NAME_MAX: usize = 127;
/// Longest uuid in bytes (DM_UUID_LEN is 129 with NUL).
pub const UUID_MAX: usize = 128;
/// Longest target name.
pub const TARGET_NAME_MAX: usize = 15;
/// Longest `params` string of one table line.
pub const PARAMS_MAX: usize = 4096;
/// Most lines in one table.
pub const LINES_MAX: usize = 1 << 20;
/// Most stripes of one striped line.
pub const STRIPES_MAX: u32 = 256;
/// Largest device, in 512-byte sectors: its byte size must fit in off_t.
pub const SECTORS_MAX: u64 = (i64::MAX as u64) >> 9;
/// Highest minor (the glue's table of disks is sized by it).
pub const MINOR_MAX: u32 = crate::ffi::DM_MINOR_MAX;
/// Most devices at once.
pub const DEVICES_MAX: usize = 1 << 16;
/// Longest delay of the delay target, in milliseconds (one hour).
pub const DELAY_MS_MAX: u32 = 3_600_000;

/// Sectors at the start of a component that hold its boot block and
/// disklabel; a table may not map them unless overridden. i386 keeps 63
/// boot sectors before its two label sectors.
#[cfg(target_arch = "x86")]
pub const LABEL_SECTORS: u64 = 65;
#[cfg(not(target_arch = "x86"))]
pub const LABEL_SECTORS: u64 = 2;
