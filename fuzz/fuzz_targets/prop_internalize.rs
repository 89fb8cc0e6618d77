//! Any bytes through proplib's internalize (XML or JSON): never a panic,
//! and whatever parses externalizes and parses back to the same object.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = proplib::internalize(data) {
        let xml = v.to_xml();
        let back = proplib::xml::internalize(xml.as_bytes()).expect("own XML parses");
        assert_eq!(back, v);
        // And through the C ABI object model.
        let obj = proplib::cabi::from_value(&v);
        // SAFETY: obj comes from from_value and is released once.
        let again = unsafe { proplib::cabi::to_value(obj) };
        unsafe { proplib::cabi::prop_object_release(obj) };
        assert_eq!(again.as_ref(), Some(&v));
    }
});
