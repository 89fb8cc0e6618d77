//! Strings, numbers, booleans and data: immutable once created.

use super::{body, cstr, Body, Number, Obj};
use std::ffi::{c_char, c_void, CStr, CString};

// ---- strings -------------------------------------------------------------

pub(crate) fn new_string(s: &CStr) -> *mut c_void {
    Obj::new(Body::String(s.to_owned())).into_raw()
}

unsafe fn string_of<'a>(ps: *mut c_void) -> Option<&'a CString> {
    match body(ps) {
        Some(Body::String(s)) => Some(s),
        _ => None,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_string_create_copy(s: *const c_char) -> *mut c_void {
    cstr(s).map_or(std::ptr::null_mut(), new_string)
}

/// Copies as well: the object must outlive any caller buffer.
#[no_mangle]
pub unsafe extern "C" fn prop_string_create_nocopy(s: *const c_char) -> *mut c_void {
    prop_string_create_copy(s)
}

#[no_mangle]
pub unsafe extern "C" fn prop_string_create_cstring(s: *const c_char) -> *mut c_void {
    prop_string_create_copy(s)
}

#[no_mangle]
pub unsafe extern "C" fn prop_string_create_cstring_nocopy(s: *const c_char) -> *mut c_void {
    prop_string_create_copy(s)
}

#[no_mangle]
pub unsafe extern "C" fn prop_string_value(ps: *mut c_void) -> *const c_char {
    string_of(ps).map_or(std::ptr::null(), |s| s.as_ptr())
}

#[no_mangle]
pub unsafe extern "C" fn prop_string_cstring_nocopy(ps: *mut c_void) -> *const c_char {
    prop_string_value(ps)
}

#[no_mangle]
pub unsafe extern "C" fn prop_string_size(ps: *mut c_void) -> usize {
    string_of(ps).map_or(0, |s| s.as_bytes().len())
}

#[no_mangle]
pub unsafe extern "C" fn prop_string_equals_string(ps: *mut c_void, s: *const c_char) -> bool {
    match (string_of(ps), cstr(s)) {
        (Some(a), Some(b)) => a.as_c_str() == b,
        _ => false,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_string_equals_cstring(ps: *mut c_void, s: *const c_char) -> bool {
    prop_string_equals_string(ps, s)
}

#[no_mangle]
pub unsafe extern "C" fn prop_string_equals(a: *mut c_void, b: *mut c_void) -> bool {
    match (string_of(a), string_of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

// ---- numbers -------------------------------------------------------------

pub(crate) fn new_number(n: Number) -> *mut c_void {
    Obj::new(Body::Number(n)).into_raw()
}

pub(crate) unsafe fn number_of(pn: *mut c_void) -> Option<Number> {
    match body(pn) {
        Some(Body::Number(n)) => Some(*n),
        _ => None,
    }
}

impl Number {
    fn as_i128(self) -> i128 {
        match self {
            Number::Signed(s) => i128::from(s),
            Number::Unsigned(u) => i128::from(u),
        }
    }
}

/// Stores the number into `*out` when it fits in `T`, as NetBSD's
/// range-checked `prop_number_*_value` accessors do.
pub(crate) unsafe fn number_into<T: TryFrom<i128>>(pn: *mut c_void, out: *mut T) -> bool {
    let Some(n) = number_of(pn) else {
        return false;
    };
    match T::try_from(n.as_i128()) {
        Ok(v) if !out.is_null() => {
            *out = v;
            true
        }
        _ => false,
    }
}

#[no_mangle]
pub extern "C" fn prop_number_create_signed(v: i64) -> *mut c_void {
    new_number(Number::Signed(v))
}

#[no_mangle]
pub extern "C" fn prop_number_create_unsigned(v: u64) -> *mut c_void {
    new_number(Number::Unsigned(v))
}

#[no_mangle]
pub extern "C" fn prop_number_create_integer(v: i64) -> *mut c_void {
    new_number(Number::Signed(v))
}

#[no_mangle]
pub extern "C" fn prop_number_create_unsigned_integer(v: u64) -> *mut c_void {
    new_number(Number::Unsigned(v))
}

/// True when the number is unsigned (NetBSD's `prop_number_unsigned`).
#[no_mangle]
pub unsafe extern "C" fn prop_number_unsigned(pn: *mut c_void) -> bool {
    matches!(number_of(pn), Some(Number::Unsigned(_)))
}

#[no_mangle]
pub unsafe extern "C" fn prop_number_size(pn: *mut c_void) -> i32 {
    match number_of(pn) {
        None => 0,
        Some(Number::Unsigned(u)) => (64 - u.leading_zeros()).max(1) as i32,
        Some(Number::Signed(s)) if s < 0 => 64,
        Some(Number::Signed(s)) => (64 - s.leading_zeros()).max(1) as i32,
    }
}

/// The value reinterpreted as signed (two's complement), as NetBSD does.
#[no_mangle]
pub unsafe extern "C" fn prop_number_signed_value(pn: *mut c_void) -> i64 {
    match number_of(pn) {
        Some(Number::Signed(s)) => s,
        Some(Number::Unsigned(u)) => u as i64,
        None => 0,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_number_unsigned_value(pn: *mut c_void) -> u64 {
    match number_of(pn) {
        Some(Number::Signed(s)) => s as u64,
        Some(Number::Unsigned(u)) => u,
        None => 0,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_number_integer_value(pn: *mut c_void) -> i64 {
    prop_number_signed_value(pn)
}

#[no_mangle]
pub unsafe extern "C" fn prop_number_unsigned_integer_value(pn: *mut c_void) -> u64 {
    prop_number_unsigned_value(pn)
}

#[no_mangle]
pub unsafe extern "C" fn prop_number_int32_value(pn: *mut c_void, v: *mut i32) -> bool {
    number_into(pn, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_number_uint32_value(pn: *mut c_void, v: *mut u32) -> bool {
    number_into(pn, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_number_int64_value(pn: *mut c_void, v: *mut i64) -> bool {
    number_into(pn, v)
}

#[no_mangle]
pub unsafe extern "C" fn prop_number_uint64_value(pn: *mut c_void, v: *mut u64) -> bool {
    number_into(pn, v)
}

/// Equal when the values are equal, whatever their signedness.
#[no_mangle]
pub unsafe extern "C" fn prop_number_equals(a: *mut c_void, b: *mut c_void) -> bool {
    match (number_of(a), number_of(b)) {
        (Some(x), Some(y)) => x.as_i128() == y.as_i128(),
        _ => false,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_number_equals_signed(pn: *mut c_void, v: i64) -> bool {
    number_of(pn).is_some_and(|n| n.as_i128() == i128::from(v))
}

#[no_mangle]
pub unsafe extern "C" fn prop_number_equals_unsigned(pn: *mut c_void, v: u64) -> bool {
    number_of(pn).is_some_and(|n| n.as_i128() == i128::from(v))
}

// ---- booleans ------------------------------------------------------------

#[no_mangle]
pub extern "C" fn prop_bool_create(v: bool) -> *mut c_void {
    Obj::new(Body::Bool(v)).into_raw()
}

#[no_mangle]
pub unsafe extern "C" fn prop_bool_true(pb: *mut c_void) -> bool {
    matches!(body(pb), Some(Body::Bool(true)))
}

#[no_mangle]
pub unsafe extern "C" fn prop_bool_value(pb: *mut c_void) -> bool {
    prop_bool_true(pb)
}

#[no_mangle]
pub unsafe extern "C" fn prop_bool_equals(a: *mut c_void, b: *mut c_void) -> bool {
    match (body(a), body(b)) {
        (Some(Body::Bool(x)), Some(Body::Bool(y))) => x == y,
        _ => false,
    }
}

// ---- data ----------------------------------------------------------------

unsafe fn data_of<'a>(pd: *mut c_void) -> Option<&'a Vec<u8>> {
    match body(pd) {
        Some(Body::Data(d)) => Some(d),
        _ => None,
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_data_create_copy(v: *const c_void, size: usize) -> *mut c_void {
    let bytes = if size == 0 {
        Vec::new()
    } else if v.is_null() {
        return std::ptr::null_mut();
    } else {
        std::slice::from_raw_parts(v.cast::<u8>(), size).to_vec()
    };
    Obj::new(Body::Data(bytes)).into_raw()
}

#[no_mangle]
pub unsafe extern "C" fn prop_data_create_data(v: *const c_void, size: usize) -> *mut c_void {
    prop_data_create_copy(v, size)
}

#[no_mangle]
pub unsafe extern "C" fn prop_data_create_nocopy(v: *const c_void, size: usize) -> *mut c_void {
    prop_data_create_copy(v, size)
}

#[no_mangle]
pub unsafe extern "C" fn prop_data_size(pd: *mut c_void) -> usize {
    data_of(pd).map_or(0, |d| d.len())
}

#[no_mangle]
pub unsafe extern "C" fn prop_data_value(pd: *mut c_void) -> *const c_void {
    match data_of(pd) {
        Some(d) if !d.is_empty() => d.as_ptr().cast(),
        _ => std::ptr::null(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn prop_data_data_nocopy(pd: *mut c_void) -> *const c_void {
    prop_data_value(pd)
}

#[no_mangle]
pub unsafe extern "C" fn prop_data_equals(a: *mut c_void, b: *mut c_void) -> bool {
    match (data_of(a), data_of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}
