//! dm-hostd's parts, as a library so the benchmarks can drive the driver
//! in-process (the control path without the socket) as well as through
//! the daemon.

pub mod control;
pub mod devices;
pub mod host;
pub mod nbd;

// Linked for their C symbols: the glue calls dm_core_* and prop_*.
use dm_core as _;
use proplib as _;
