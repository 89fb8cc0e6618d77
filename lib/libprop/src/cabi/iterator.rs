//! `prop_object_iterator_t`: a snapshot of a container's members.
//!
//! The snapshot holds a reference on every member, so an object handed out
//! by `prop_object_iterator_next` stays valid until the iterator is
//! released even if the container changes meanwhile.

use super::Obj;
use std::ffi::c_void;

pub struct PropIterator {
    items: Vec<Obj>,
    next: usize,
    // Keeps the container alive, as NetBSD's iterator retains it.
    _owner: Obj,
}

pub(crate) fn new_iterator(owner: Obj, items: Vec<Obj>) -> *mut c_void {
    Box::into_raw(Box::new(PropIterator {
        items,
        next: 0,
        _owner: owner,
    }))
    .cast()
}

/// Next member (not retained for the caller), or NULL at the end.
#[no_mangle]
pub unsafe extern "C" fn prop_object_iterator_next(pi: *mut c_void) -> *mut c_void {
    let Some(it) = pi.cast::<PropIterator>().as_mut() else {
        return std::ptr::null_mut();
    };
    match it.items.get(it.next) {
        Some(o) => {
            it.next += 1;
            o.as_ptr()
        }
        None => std::ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_object_iterator_reset(pi: *mut c_void) {
    if let Some(it) = pi.cast::<PropIterator>().as_mut() {
        it.next = 0;
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_object_iterator_release(pi: *mut c_void) {
    if !pi.is_null() {
        drop(Box::from_raw(pi.cast::<PropIterator>()));
    }
}
