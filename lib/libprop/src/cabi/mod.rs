//! The `prop_*` C ABI: NetBSD's proplib functions, names and signatures,
//! over reference-counted objects. Host mode links these where the kernel
//! would link its own proplib; `include/prop/proplib.h` declares them.
//!
//! Every entry point takes NULL or an object of the wrong type the way
//! NetBSD 10 does: it returns NULL, false or 0 and changes nothing.

#![allow(clippy::missing_safety_doc)]

mod array;
mod codec;
mod dictionary;
mod iterator;
mod scalar;

use std::ffi::{c_char, c_void, CStr, CString};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

pub use codec::*;

/// `prop_type_t` values, as NetBSD defines them (four ASCII letters).
pub mod prop_type {
    pub const UNKNOWN: u32 = 0x0000_0000;
    pub const BOOL: u32 = 0x626f_6f6c;
    pub const NUMBER: u32 = 0x6e6d_6272;
    pub const STRING: u32 = 0x7374_6e67;
    pub const DATA: u32 = 0x6461_7461;
    pub const ARRAY: u32 = 0x6172_6179;
    pub const DICTIONARY: u32 = 0x6469_6374;
    pub const DICT_KEYSYM: u32 = 0x646b_6579;
}

/// A proplib object as C sees it: a reference count and a body.
pub struct PropObject {
    refcnt: AtomicUsize,
    body: Body,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Number {
    Signed(i64),
    Unsigned(u64),
}

pub(crate) enum Body {
    Dict(Mutex<Vec<Entry>>),
    Array(Mutex<Vec<Obj>>),
    String(CString),
    Number(Number),
    Bool(bool),
    Data(Vec<u8>),
    Keysym(CString),
}

/// One dictionary slot: the key (a keysym object, which iterators hand
/// out) and the value. Slots are kept sorted by key.
pub(crate) struct Entry {
    pub key: Obj,
    pub value: Obj,
}

/// One counted reference to a [`PropObject`]: dropping it releases.
pub(crate) struct Obj(NonNull<PropObject>);

// SAFETY: the count is atomic and mutable bodies sit behind mutexes.
unsafe impl Send for Obj {}
unsafe impl Sync for Obj {}

impl Obj {
    pub fn new(body: Body) -> Obj {
        let b = Box::new(PropObject {
            refcnt: AtomicUsize::new(1),
            body,
        });
        Obj(NonNull::from(Box::leak(b)))
    }

    /// A new reference to the object behind `p`, or None for NULL.
    ///
    /// # Safety
    /// `p` is NULL or a live object from this library.
    pub unsafe fn retained(p: *mut c_void) -> Option<Obj> {
        let nn = NonNull::new(p.cast::<PropObject>())?;
        nn.as_ref().refcnt.fetch_add(1, Ordering::Relaxed);
        Some(Obj(nn))
    }

    pub fn body(&self) -> &Body {
        // SAFETY: this reference keeps the object alive.
        unsafe { &self.0.as_ref().body }
    }

    pub fn as_ptr(&self) -> *mut c_void {
        self.0.as_ptr().cast()
    }

    /// Hands this reference to C.
    pub fn into_raw(self) -> *mut c_void {
        let p = self.as_ptr();
        std::mem::forget(self);
        p
    }
}

impl Clone for Obj {
    fn clone(&self) -> Obj {
        // SAFETY: self keeps the object alive.
        unsafe { self.0.as_ref() }
            .refcnt
            .fetch_add(1, Ordering::Relaxed);
        Obj(self.0)
    }
}

impl Drop for Obj {
    fn drop(&mut self) {
        // SAFETY: self holds one count; the last one frees the box.
        unsafe {
            if self.0.as_ref().refcnt.fetch_sub(1, Ordering::AcqRel) == 1 {
                drop(Box::from_raw(self.0.as_ptr()));
            }
        }
    }
}

/// Borrows the body of the object behind `p` for the duration of a call.
///
/// # Safety
/// `p` is NULL or a live object from this library, kept alive by the
/// caller for `'a`.
pub(crate) unsafe fn body<'a>(p: *const c_void) -> Option<&'a Body> {
    p.cast::<PropObject>().as_ref().map(|o| &o.body)
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A C string argument as bytes, or None for NULL.
///
/// # Safety
/// `s` is NULL or NUL-terminated.
pub(crate) unsafe fn cstr<'a>(s: *const c_char) -> Option<&'a CStr> {
    if s.is_null() {
        None
    } else {
        Some(CStr::from_ptr(s))
    }
}

extern "C" {
    fn malloc(size: usize) -> *mut c_void;
}

/// Copies `s` into a NUL-terminated buffer from malloc(3), which the C
/// caller frees with free(3) as it would NetBSD's.
pub(crate) fn malloc_cstring(s: &str) -> *mut c_char {
    // SAFETY: malloc either fails (NULL) or returns len+1 writable bytes.
    unsafe {
        let p = malloc(s.len() + 1).cast::<u8>();
        if p.is_null() {
            return std::ptr::null_mut();
        }
        std::ptr::copy_nonoverlapping(s.as_ptr(), p, s.len());
        *p.add(s.len()) = 0;
        p.cast()
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_object_retain(po: *mut c_void) {
    if let Some(o) = Obj::retained(po) {
        std::mem::forget(o);
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_object_release(po: *mut c_void) {
    if let Some(nn) = NonNull::new(po.cast::<PropObject>()) {
        drop(Obj(nn));
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_object_type(po: *mut c_void) -> u32 {
    match body(po) {
        None => prop_type::UNKNOWN,
        Some(Body::Dict(_)) => prop_type::DICTIONARY,
        Some(Body::Array(_)) => prop_type::ARRAY,
        Some(Body::String(_)) => prop_type::STRING,
        Some(Body::Number(_)) => prop_type::NUMBER,
        Some(Body::Bool(_)) => prop_type::BOOL,
        Some(Body::Data(_)) => prop_type::DATA,
        Some(Body::Keysym(_)) => prop_type::DICT_KEYSYM,
    }
}

/// Deep, by-value comparison, as NetBSD's `prop_object_equals`.
#[no_mangle]
pub unsafe extern "C" fn prop_object_equals(a: *mut c_void, b: *mut c_void) -> bool {
    match (body(a), body(b)) {
        (Some(Body::Keysym(x)), Some(Body::Keysym(y))) => x == y,
        (Some(_), Some(_)) => {
            let (Some(va), Some(vb)) = (to_value(a), to_value(b)) else {
                return false;
            };
            va == vb
        }
        _ => false,
    }
}

pub use array::*;
pub use dictionary::*;
pub use iterator::*;
pub use scalar::*;
