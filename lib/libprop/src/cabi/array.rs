//! `prop_array_t`: an ordered list of retained objects, plus the typed
//! helpers of prop_array_util(3).

use super::iterator::new_iterator;
use super::scalar::{new_number, new_string, number_into};
use super::{body, cstr, lock, Body, Number, Obj};
use std::ffi::{c_char, c_void};
use std::sync::Mutex;

pub(crate) fn items<'a>(pa: *mut c_void) -> Option<&'a Mutex<Vec<Obj>>> {
    // SAFETY: as for dictionaries, C hands in NULL or live objects.
    match unsafe { body(pa) } {
        Some(Body::Array(m)) => Some(m),
        _ => None,
    }
}

pub(crate) fn new_array(v: Vec<Obj>) -> Obj {
    Obj::new(Body::Array(Mutex::new(v)))
}

#[no_mangle]
pub extern "C" fn prop_array_create() -> *mut c_void {
    new_array(Vec::new()).into_raw()
}

#[no_mangle]
pub extern "C" fn prop_array_create_with_capacity(cap: u32) -> *mut c_void {
    let mut v = Vec::new();
    if v.try_reserve(cap as usize).is_err() {
        return std::ptr::null_mut();
    }
    new_array(v).into_raw()
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_copy(pa: *mut c_void) -> *mut c_void {
    match items(pa) {
        Some(m) => new_array(lock(m).clone()).into_raw(),
        None => std::ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_count(pa: *mut c_void) -> u32 {
    items(pa).map_or(0, |m| u32::try_from(lock(m).len()).unwrap_or(u32::MAX))
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_ensure_capacity(pa: *mut c_void, cap: u32) -> bool {
    match items(pa) {
        Some(m) => {
            let mut v = lock(m);
            let more = (cap as usize).saturating_sub(v.len());
            v.try_reserve(more).is_ok()
        }
        None => false,
    }
}

/// The object at `idx` (not retained for the caller), or NULL.
#[no_mangle]
pub unsafe extern "C" fn prop_array_get(pa: *mut c_void, idx: u32) -> *mut c_void {
    items(pa)
        .and_then(|m| lock(m).get(idx as usize).map(|o| o.as_ptr()))
        .unwrap_or(std::ptr::null_mut())
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_add(pa: *mut c_void, po: *mut c_void) -> bool {
    let (Some(m), Some(o)) = (items(pa), Obj::retained(po)) else {
        return false;
    };
    if po == pa {
        return false;
    }
    let mut v = lock(m);
    if v.try_reserve(1).is_err() {
        return false;
    }
    v.push(o);
    true
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_add_and_rel(pa: *mut c_void, po: *mut c_void) -> bool {
    let rv = prop_array_add(pa, po);
    super::prop_object_release(po);
    rv
}

/// Replaces the object at `idx`; `idx` must name an existing slot.
#[no_mangle]
pub unsafe extern "C" fn prop_array_set(pa: *mut c_void, idx: u32, po: *mut c_void) -> bool {
    let (Some(m), Some(o)) = (items(pa), Obj::retained(po)) else {
        return false;
    };
    if po == pa {
        return false;
    }
    let old = {
        let mut v = lock(m);
        match v.get_mut(idx as usize) {
            Some(slot) => std::mem::replace(slot, o),
            None => return false,
        }
    };
    drop(old);
    true
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_remove(pa: *mut c_void, idx: u32) {
    if let Some(m) = items(pa) {
        let removed = {
            let mut v = lock(m);
            if (idx as usize) < v.len() {
                Some(v.remove(idx as usize))
            } else {
                None
            }
        };
        drop(removed);
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_iterator(pa: *mut c_void) -> *mut c_void {
    let (Some(m), Some(owner)) = (items(pa), Obj::retained(pa)) else {
        return std::ptr::null_mut();
    };
    let snapshot = lock(m).clone();
    new_iterator(owner, snapshot)
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_equals(a: *mut c_void, b: *mut c_void) -> bool {
    items(a).is_some() && items(b).is_some() && super::prop_object_equals(a, b)
}

// ---- prop_array_util(3) --------------------------------------------------

unsafe fn add_new(pa: *mut c_void, po: *mut c_void) -> bool {
    !po.is_null() && prop_array_add_and_rel(pa, po)
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_add_uint32(pa: *mut c_void, v: u32) -> bool {
    add_new(pa, new_number(Number::Unsigned(u64::from(v))))
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_add_uint64(pa: *mut c_void, v: u64) -> bool {
    add_new(pa, new_number(Number::Unsigned(v)))
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_add_int32(pa: *mut c_void, v: i32) -> bool {
    add_new(pa, new_number(Number::Signed(i64::from(v))))
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_add_int64(pa: *mut c_void, v: i64) -> bool {
    add_new(pa, new_number(Number::Signed(v)))
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_add_string(pa: *mut c_void, v: *const c_char) -> bool {
    match cstr(v) {
        Some(s) => add_new(pa, new_string(s)),
        None => false,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_add_cstring(pa: *mut c_void, v: *const c_char) -> bool {
    prop_array_add_string(pa, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_add_cstring_nocopy(pa: *mut c_void, v: *const c_char) -> bool {
    prop_array_add_string(pa, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_get_uint32(pa: *mut c_void, idx: u32, v: *mut u32) -> bool {
    number_into(prop_array_get(pa, idx), v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_get_uint64(pa: *mut c_void, idx: u32, v: *mut u64) -> bool {
    number_into(prop_array_get(pa, idx), v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_get_int32(pa: *mut c_void, idx: u32, v: *mut i32) -> bool {
    number_into(prop_array_get(pa, idx), v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_get_int64(pa: *mut c_void, idx: u32, v: *mut i64) -> bool {
    number_into(prop_array_get(pa, idx), v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_get_string(
    pa: *mut c_void,
    idx: u32,
    v: *mut *const c_char,
) -> bool {
    match body(prop_array_get(pa, idx)) {
        Some(Body::String(s)) if !v.is_null() => {
            *v = s.as_ptr();
            true
        }
        _ => false,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_get_cstring_nocopy(
    pa: *mut c_void,
    idx: u32,
    v: *mut *const c_char,
) -> bool {
    prop_array_get_string(pa, idx, v)
}
