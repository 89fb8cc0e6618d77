//! `prop_dictionary_t`: sorted key/value slots, plus the typed get/set
//! helpers of prop_dictionary_util(3).

use super::iterator::new_iterator;
use super::scalar::{new_number, new_string, number_into};
use super::{body, cstr, lock, Body, Entry, Number, Obj};
use crate::limits::MAX_KEY_LEN;
use std::ffi::{c_char, c_void, CStr};
use std::sync::Mutex;

pub(crate) fn slots<'a>(pd: *mut c_void) -> Option<&'a Mutex<Vec<Entry>>> {
    // SAFETY: callers pass pointers from C, which NetBSD requires to be
    // NULL or live objects.
    match unsafe { body(pd) } {
        Some(Body::Dict(m)) => Some(m),
        _ => None,
    }
}

fn key_of(e: &Entry) -> &CStr {
    match e.key.body() {
        Body::Keysym(k) => k.as_c_str(),
        _ => c"",
    }
}

fn find(v: &[Entry], key: &CStr) -> Result<usize, usize> {
    v.binary_search_by(|e| key_of(e).to_bytes().cmp(key.to_bytes()))
}

pub(crate) fn new_dict(entries: Vec<Entry>) -> Obj {
    Obj::new(Body::Dict(Mutex::new(entries)))
}

/// Stores `value` under `key`, replacing (and releasing) an old value.
pub(crate) fn dict_insert(d: &Mutex<Vec<Entry>>, key: &CStr, value: Obj) -> bool {
    if key.to_bytes().len() > MAX_KEY_LEN {
        return false;
    }
    let mut v = lock(d);
    match find(&v, key) {
        Ok(i) => {
            if let Some(e) = v.get_mut(i) {
                e.value = value;
            }
        }
        Err(i) => {
            if v.try_reserve(1).is_err() {
                return false;
            }
            let key = Obj::new(Body::Keysym(key.to_owned()));
            v.insert(i, Entry { key, value });
        }
    }
    true
}

#[no_mangle]
pub extern "C" fn prop_dictionary_create() -> *mut c_void {
    new_dict(Vec::new()).into_raw()
}

#[no_mangle]
pub extern "C" fn prop_dictionary_create_with_capacity(cap: u32) -> *mut c_void {
    let mut v = Vec::new();
    if v.try_reserve(cap as usize).is_err() {
        return std::ptr::null_mut();
    }
    new_dict(v).into_raw()
}

/// Shallow copy: the new dictionary references the same values.
#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_copy(pd: *mut c_void) -> *mut c_void {
    let Some(m) = slots(pd) else {
        return std::ptr::null_mut();
    };
    let copy = lock(m)
        .iter()
        .map(|e| Entry {
            key: e.key.clone(),
            value: e.value.clone(),
        })
        .collect();
    new_dict(copy).into_raw()
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_copy_mutable(pd: *mut c_void) -> *mut c_void {
    prop_dictionary_copy(pd)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_count(pd: *mut c_void) -> u32 {
    slots(pd).map_or(0, |m| u32::try_from(lock(m).len()).unwrap_or(u32::MAX))
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_ensure_capacity(pd: *mut c_void, cap: u32) -> bool {
    match slots(pd) {
        Some(m) => {
            let mut v = lock(m);
            let more = (cap as usize).saturating_sub(v.len());
            v.try_reserve(more).is_ok()
        }
        None => false,
    }
}

/// The value under `key` (not retained for the caller), or NULL.
#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_get(pd: *mut c_void, key: *const c_char) -> *mut c_void {
    let (Some(m), Some(k)) = (slots(pd), cstr(key)) else {
        return std::ptr::null_mut();
    };
    let v = lock(m);
    match find(&v, k) {
        Ok(i) => v.get(i).map_or(std::ptr::null_mut(), |e| e.value.as_ptr()),
        Err(_) => std::ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set(
    pd: *mut c_void,
    key: *const c_char,
    po: *mut c_void,
) -> bool {
    let (Some(m), Some(k), Some(o)) = (slots(pd), cstr(key), Obj::retained(po)) else {
        return false;
    };
    if po == pd {
        return false;
    }
    dict_insert(m, k, o)
}

/// Stores `po` and drops the caller's reference to it either way
/// (`prop_dictionary_set_and_rel`).
#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set_and_rel(
    pd: *mut c_void,
    key: *const c_char,
    po: *mut c_void,
) -> bool {
    let rv = prop_dictionary_set(pd, key, po);
    super::prop_object_release(po);
    rv
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_remove(pd: *mut c_void, key: *const c_char) {
    let (Some(m), Some(k)) = (slots(pd), cstr(key)) else {
        return;
    };
    let removed = {
        let mut v = lock(m);
        match find(&v, k) {
            Ok(i) => Some(v.remove(i)),
            Err(_) => None,
        }
    };
    drop(removed);
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_iterator(pd: *mut c_void) -> *mut c_void {
    let (Some(m), Some(owner)) = (slots(pd), Obj::retained(pd)) else {
        return std::ptr::null_mut();
    };
    let keys = lock(m).iter().map(|e| e.key.clone()).collect();
    new_iterator(owner, keys)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_keysym_value(pdk: *mut c_void) -> *const c_char {
    match body(pdk) {
        Some(Body::Keysym(k)) => k.as_ptr(),
        _ => std::ptr::null(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_keysym_cstring_nocopy(pdk: *mut c_void) -> *const c_char {
    prop_dictionary_keysym_value(pdk)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_keysym_equals(a: *mut c_void, b: *mut c_void) -> bool {
    match (body(a), body(b)) {
        (Some(Body::Keysym(x)), Some(Body::Keysym(y))) => x == y,
        _ => false,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_get_keysym(
    pd: *mut c_void,
    pdk: *mut c_void,
) -> *mut c_void {
    prop_dictionary_get(pd, prop_dictionary_keysym_value(pdk))
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_equals(a: *mut c_void, b: *mut c_void) -> bool {
    slots(a).is_some() && slots(b).is_some() && super::prop_object_equals(a, b)
}

// ---- prop_dictionary_util(3) ---------------------------------------------

unsafe fn get_number_into<T: TryFrom<i128>>(
    pd: *mut c_void,
    key: *const c_char,
    out: *mut T,
) -> bool {
    number_into(prop_dictionary_get(pd, key), out)
}

unsafe fn set_new(pd: *mut c_void, key: *const c_char, po: *mut c_void) -> bool {
    if po.is_null() {
        return false;
    }
    prop_dictionary_set_and_rel(pd, key, po)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_get_bool(
    pd: *mut c_void,
    key: *const c_char,
    v: *mut bool,
) -> bool {
    match body(prop_dictionary_get(pd, key)) {
        Some(Body::Bool(b)) if !v.is_null() => {
            *v = *b;
            true
        }
        _ => false,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set_bool(
    pd: *mut c_void,
    key: *const c_char,
    v: bool,
) -> bool {
    set_new(pd, key, super::prop_bool_create(v))
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_get_int32(
    pd: *mut c_void,
    key: *const c_char,
    v: *mut i32,
) -> bool {
    get_number_into(pd, key, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_get_uint32(
    pd: *mut c_void,
    key: *const c_char,
    v: *mut u32,
) -> bool {
    get_number_into(pd, key, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_get_int64(
    pd: *mut c_void,
    key: *const c_char,
    v: *mut i64,
) -> bool {
    get_number_into(pd, key, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_get_uint64(
    pd: *mut c_void,
    key: *const c_char,
    v: *mut u64,
) -> bool {
    get_number_into(pd, key, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set_int32(
    pd: *mut c_void,
    key: *const c_char,
    v: i32,
) -> bool {
    set_new(pd, key, new_number(Number::Signed(i64::from(v))))
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set_uint32(
    pd: *mut c_void,
    key: *const c_char,
    v: u32,
) -> bool {
    set_new(pd, key, new_number(Number::Unsigned(u64::from(v))))
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set_int64(
    pd: *mut c_void,
    key: *const c_char,
    v: i64,
) -> bool {
    set_new(pd, key, new_number(Number::Signed(v)))
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set_uint64(
    pd: *mut c_void,
    key: *const c_char,
    v: u64,
) -> bool {
    set_new(pd, key, new_number(Number::Unsigned(v)))
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_get_string(
    pd: *mut c_void,
    key: *const c_char,
    v: *mut *const c_char,
) -> bool {
    match body(prop_dictionary_get(pd, key)) {
        Some(Body::String(s)) if !v.is_null() => {
            *v = s.as_ptr();
            true
        }
        _ => false,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_get_cstring_nocopy(
    pd: *mut c_void,
    key: *const c_char,
    v: *mut *const c_char,
) -> bool {
    prop_dictionary_get_string(pd, key, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set_string(
    pd: *mut c_void,
    key: *const c_char,
    v: *const c_char,
) -> bool {
    match cstr(v) {
        Some(s) => set_new(pd, key, new_string(s)),
        None => false,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set_string_nocopy(
    pd: *mut c_void,
    key: *const c_char,
    v: *const c_char,
) -> bool {
    prop_dictionary_set_string(pd, key, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set_cstring(
    pd: *mut c_void,
    key: *const c_char,
    v: *const c_char,
) -> bool {
    prop_dictionary_set_string(pd, key, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_set_cstring_nocopy(
    pd: *mut c_void,
    key: *const c_char,
    v: *const c_char,
) -> bool {
    prop_dictionary_set_string(pd, key, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_get_dict(
    pd: *mut c_void,
    key: *const c_char,
    v: *mut *mut c_void,
) -> bool {
    let o = prop_dictionary_get(pd, key);
    if slots(o).is_none() || v.is_null() {
        return false;
    }
    *v = o;
    true
}
