//! Explicit bounds on what internalize accepts, so hostile input costs
//! bounded time, memory and stack.

/// Longest document accepted, in bytes (the kernel's copy-in cap is far
/// lower; this bounds userland and host-mode callers).
pub const MAX_INPUT_LEN: usize = 16 * 1024 * 1024;

/// Deepest nesting of dictionaries and arrays. Device-mapper requests nest
/// three deep; the bound only keeps recursion off the end of the stack.
pub const MAX_DEPTH: usize = 64;

/// Longest dictionary key in bytes: NetBSD's `PDK_MAXKEY`.
pub const MAX_KEY_LEN: usize = 128;
