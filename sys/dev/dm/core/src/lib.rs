//! dm-core: NetBSD's device-mapper, the part that decides.
//!
//! It owns every device, table, target and component, runs every control
//! command, and maps every I/O request to actions. The C glue
//! (sys/dev/dm/*.c) does the kernel mechanics and calls in through [`ffi`];
//! dm-core calls back only through [`kapi`].
//!
//! `no_std` + `alloc`, and panic-free on any input: failures are errnos.

#![no_std]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

extern crate alloc;
// Outside the kernel, std supplies the allocator and panic handler.
#[cfg(not(target_os = "none"))]
extern crate std;

pub mod device;
pub mod errno;
pub mod ffi;
pub mod flags;
pub mod index;
pub mod io;
pub mod ioctl;
pub mod kapi;
pub mod limits;
pub mod nosleep;
pub mod pdev;
pub mod registry;
pub mod table;
pub mod target;

#[cfg(target_os = "none")]
mod kernel_rt;

pub use errno::{Errno, Error, Result};
pub use registry::Core;
