//! Random object trees survive XML and JSON round trips.

use proplib::{json, xml, Dict, Value};
use proptest::prelude::*;

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::Signed),
        any::<u64>().prop_map(Value::Unsigned),
        any::<bool>().prop_map(Value::Bool),
        "[^\u{0}]{0,24}".prop_map(Value::String),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Value::Data),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[^\u{0}]{0,16}", inner, 0..6)
                .prop_map(|m| Value::Dict(m.into_iter().collect::<Dict>())),
        ]
    })
}

/// What JSON can carry: numbers lose their signedness the way NetBSD
/// reads undecorated integers, and data becomes its base64 string.
fn json_view(v: &Value) -> Value {
    use base64::Engine as _;
    match v {
        Value::Unsigned(u) => match i64::try_from(*u) {
            Ok(s) => Value::Signed(s),
            Err(_) => Value::Unsigned(*u),
        },
        Value::Data(d) => Value::String(base64::engine::general_purpose::STANDARD.encode(d)),
        Value::Array(a) => Value::Array(a.iter().map(json_view).collect()),
        Value::Dict(d) => Value::Dict(d.iter().map(|(k, v)| (k.clone(), json_view(v))).collect()),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn xml_roundtrip(v in tree()) {
        let text = v.to_xml();
        let back = xml::internalize(text.as_bytes()).unwrap();
        prop_assert_eq!(&back, &v);
        prop_assert_eq!(back.to_xml(), text);
    }

    #[test]
    fn json_roundtrip(v in tree()) {
        let text = v.to_json();
        let back = json::internalize(text.as_bytes()).unwrap();
        prop_assert_eq!(back, json_view(&v));
    }

    #[test]
    fn c_abi_roundtrip(v in tree()) {
        let obj = proplib::cabi::from_value(&v);
        prop_assert!(!obj.is_null());
        // SAFETY: obj came from from_value and is released once.
        let back = unsafe { proplib::cabi::to_value(obj) };
        unsafe { proplib::cabi::prop_object_release(obj) };
        prop_assert_eq!(back, Some(v));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = proplib::internalize(&bytes);
        let _ = xml::internalize(&bytes);
        let _ = json::internalize(&bytes);
    }
}
