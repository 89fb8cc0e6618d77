//! Between C objects and [`Value`] trees, and the externalize/internalize
//! entry points built on that.

use super::array::new_array;
use super::dictionary::new_dict;
use super::{body, cstr, lock, malloc_cstring, Body, Entry, Number, Obj};
use crate::limits::MAX_DEPTH;
use crate::value::{Dict, Value};
use std::ffi::{c_char, c_void, CString};

/// The value of the object tree at `p`, or None for NULL, a keysym, or a
/// tree deeper than [`MAX_DEPTH`] (which is how a cycle shows).
///
/// # Safety
/// `p` is NULL or a live object from this library.
pub unsafe fn to_value(p: *mut c_void) -> Option<Value> {
    let b = body(p)?;
    value_of(b, 1)
}

fn value_of(b: &Body, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match b {
        Body::Dict(m) => {
            // Snapshot first: never hold a lock while descending.
            let entries: Vec<(Obj, Obj)> = lock(m)
                .iter()
                .map(|e| (e.key.clone(), e.value.clone()))
                .collect();
            let mut d = Dict::new();
            for (k, v) in entries {
                let Body::Keysym(k) = k.body() else {
                    return None;
                };
                d.insert(
                    k.to_string_lossy().into_owned(),
                    value_of(v.body(), depth + 1)?,
                );
            }
            Value::Dict(d)
        }
        Body::Array(m) => {
            let items: Vec<Obj> = lock(m).clone();
            let mut a = Vec::with_capacity(items.len());
            for o in items {
                a.push(value_of(o.body(), depth + 1)?);
            }
            Value::Array(a)
        }
        Body::String(s) => Value::String(s.to_string_lossy().into_owned()),
        Body::Number(Number::Signed(n)) => Value::Signed(*n),
        Body::Number(Number::Unsigned(n)) => Value::Unsigned(*n),
        Body::Bool(v) => Value::Bool(*v),
        Body::Data(d) => Value::Data(d.clone()),
        Body::Keysym(_) => return None,
    })
}

/// A new object tree holding `v` (one reference, the caller's).
pub fn from_value(v: &Value) -> *mut c_void {
    build(v).map_or(std::ptr::null_mut(), Obj::into_raw)
}

fn cstring(s: &str) -> Option<CString> {
    CString::new(s).ok()
}

fn build(v: &Value) -> Option<Obj> {
    Some(match v {
        Value::Dict(d) => {
            let mut entries = Vec::new();
            entries.try_reserve(d.len()).ok()?;
            // BTreeMap iterates in byte order: the slots come out sorted.
            for (k, item) in d {
                entries.push(Entry {
                    key: Obj::new(Body::Keysym(cstring(k)?)),
                    value: build(item)?,
                });
            }
            new_dict(entries)
        }
        Value::Array(a) => {
            let mut items = Vec::new();
            items.try_reserve(a.len()).ok()?;
            for item in a {
                items.push(build(item)?);
            }
            new_array(items)
        }
        Value::String(s) => Obj::new(Body::String(cstring(s)?)),
        Value::Signed(n) => Obj::new(Body::Number(Number::Signed(*n))),
        Value::Unsigned(n) => Obj::new(Body::Number(Number::Unsigned(*n))),
        Value::Bool(b) => Obj::new(Body::Bool(*b)),
        Value::Data(d) => Obj::new(Body::Data(d.clone())),
    })
}

fn externalize_if(p: *mut c_void, want: fn(&Body) -> bool) -> *mut c_char {
    // SAFETY: C passes NULL or live objects.
    match unsafe { body(p) } {
        Some(b) if want(b) => {}
        _ => return std::ptr::null_mut(),
    }
    // SAFETY: as above.
    match unsafe { to_value(p) } {
        Some(v) => malloc_cstring(&v.to_xml()),
        None => std::ptr::null_mut(),
    }
}

unsafe fn internalize_if(xml: *const c_char, want: fn(&Value) -> bool) -> *mut c_void {
    let Some(text) = cstr(xml) else {
        return std::ptr::null_mut();
    };
    match crate::internalize(text.to_bytes()) {
        Ok(v) if want(&v) => from_value(&v),
        _ => std::ptr::null_mut(),
    }
}

/// XML text of the dictionary, from malloc(3); the caller frees it.
#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_externalize(pd: *mut c_void) -> *mut c_char {
    externalize_if(pd, |b| matches!(b, Body::Dict(_)))
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_externalize(pa: *mut c_void) -> *mut c_char {
    externalize_if(pa, |b| matches!(b, Body::Array(_)))
}

/// Any object's XML text (NetBSD's `prop_object_externalize`).
#[no_mangle]
pub unsafe extern "C" fn prop_object_externalize(po: *mut c_void) -> *mut c_char {
    externalize_if(po, |b| !matches!(b, Body::Keysym(_)))
}

/// A dictionary from XML or JSON text, or NULL when the text is not one.
#[no_mangle]
pub unsafe extern "C" fn prop_dictionary_internalize(xml: *const c_char) -> *mut c_void {
    internalize_if(xml, |v| matches!(v, Value::Dict(_)))
}

#[no_mangle]
pub unsafe extern "C" fn prop_array_internalize(xml: *const c_char) -> *mut c_void {
    internalize_if(xml, |v| matches!(v, Value::Array(_)))
}

#[no_mangle]
pub unsafe extern "C" fn prop_object_internalize(xml: *const c_char) -> *mut c_void {
    internalize_if(xml, |_| true)
}
