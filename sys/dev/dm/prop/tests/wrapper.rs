//! The safe wrapper over the generated bindings, linked against
//! lib/libprop's C ABI as host mode links it.

use dm_prop::{Array, Dict, Kind, Unreadable};
use proplib::Value;

fn from_xml(xml: &str) -> Dict {
    let c = std::ffi::CString::new(xml).unwrap();
    // SAFETY: NUL-terminated text; the new dictionary's reference is ours.
    unsafe { Dict::from_owned(proplib::cabi::prop_dictionary_internalize(c.as_ptr()).cast()) }
        .expect("a dictionary")
}

fn to_value(d: &Dict) -> Value {
    // SAFETY: d is live.
    unsafe { proplib::cabi::to_value(d.as_ptr().cast()) }.unwrap()
}

#[test]
fn reads_a_reload_request() {
    let d = from_xml(include_str!(
        "../../../../../lib/libprop/tests/golden/reload.xml"
    ));
    assert_eq!(d.get_string(c"command").as_deref(), Some("reload"));
    assert_eq!(d.get_u32(c"flags"), Some(4));
    assert_eq!(d.kind(c"cmd_data"), Some(Kind::Array));
    assert_eq!(d.kind(c"nope"), None);
    let table = d.get_array(c"cmd_data").unwrap();
    assert_eq!(table.len(), 3);
    let l1 = table.get_dict(1).unwrap();
    assert_eq!(l1.get_u64(c"start"), Some(1024));
    assert_eq!(l1.get_bytes(c"type").unwrap(), b"zero");
    assert_eq!(l1.get_bytes(c"params").unwrap(), b"");
    assert!(table.get_dict(3).is_none());
    let ver = d.get_array(c"version").unwrap();
    assert_eq!(
        (ver.get_u32(0), ver.get_u32(1), ver.get_u32(3)),
        (Some(4), Some(0), None)
    );
    assert_eq!(
        d.keys(),
        vec![
            b"cmd_data".to_vec(),
            b"command".to_vec(),
            b"flags".to_vec(),
            b"name".to_vec(),
            b"version".to_vec()
        ]
    );
}

#[test]
fn typed_getters_refuse_wrong_types_and_ranges() {
    let d = from_xml(
        "<plist><dict><key>s</key><string>x</string><key>neg</key><integer>-1</integer>\
         <key>big</key><integer>0x100000000</integer><key>b</key><true/></dict></plist>",
    );
    assert_eq!(d.get_u32(c"s"), None);
    assert_eq!(d.get_string(c"neg"), None);
    assert_eq!(d.get_u32(c"neg"), None);
    assert_eq!(d.get_u64(c"neg"), None);
    assert_eq!(d.get_u32(c"big"), None);
    assert_eq!(d.get_u64(c"big"), Some(1 << 32));
    assert_eq!(d.get_bool(c"b"), Some(true));
    assert!(d.get_dict(c"s").is_none());
    assert!(d.get_array(c"b").is_none());
}

#[test]
fn builds_a_reply_netbsd_can_read() {
    let d = Dict::new().unwrap();
    d.set_str(c"command", "names").unwrap();
    d.set_u32(c"flags", 4).unwrap();
    let list = Array::new().unwrap();
    let dev = Dict::new().unwrap();
    dev.set_str(c"name", "t0").unwrap();
    dev.set_u32(c"dev", 1).unwrap();
    list.push_dict(&dev).unwrap();
    d.set_array(c"cmd_data", &list).unwrap();
    d.set_i32(c"open_count", -1).unwrap();
    let xml = to_value(&d).to_xml();
    assert!(xml.contains("\t<key>flags</key>\n\t<integer>0x4</integer>\n"));
    assert!(xml.contains("\t\t\t<key>dev</key>\n\t\t\t<integer>0x1</integer>\n"));
    assert!(xml.contains("<integer>-1</integer>"));
    d.remove(c"open_count");
    assert!(!d.contains(c"open_count"));
    assert_eq!(d.len(), 3);
}

#[test]
fn values_outlive_replacement_and_handles_count_references() {
    let d = Dict::new().unwrap();
    let inner = Dict::new().unwrap();
    inner.set_u64(c"x", 7).unwrap();
    d.set_dict(c"inner", &inner).unwrap();
    let got = d.get_dict(c"inner").unwrap();
    d.remove(c"inner");
    drop(inner);
    // `got` holds its own reference: still readable after removal.
    assert_eq!(got.get_u64(c"x"), Some(7));
    let copy = got.clone();
    drop(got);
    assert_eq!(copy.get_u64(c"x"), Some(7));
    assert!(d.set_bytes(c"nul", b"a\0b").is_err());
}

/// The object under `key`, to see whether a store replaced it.
fn object(d: &Dict, key: &std::ffi::CStr) -> usize {
    // SAFETY: d is live, key NUL-terminated.
    unsafe { proplib::cabi::prop_dictionary_get(d.as_ptr().cast(), key.as_ptr()) as usize }
}

/// Member `i` of `a`.
fn array_object(a: &Array, i: u32) -> usize {
    // SAFETY: a is live; out of range gives NULL.
    unsafe { proplib::cabi::prop_array_get(a.as_ptr().cast(), i) as usize }
}

#[test]
fn stores_keep_what_is_there_and_replace_what_differs() {
    let d = from_xml(
        "<plist><dict><key>flags</key><integer>0x4</integer>\
         <key>dec</key><integer>5</integer><key>name</key><string>a</string>\
         <key>version</key><array><integer>0x4</integer><integer>0x0</integer>\
         <integer>0x0</integer></array></dict></plist>",
    );
    let name = object(&d, c"name");
    d.set_str(c"name", "a").unwrap();
    assert_eq!(object(&d, c"name"), name);
    d.set_u32(c"dec", 5).unwrap();
    d.set_u32(c"flags", 5).unwrap();
    d.set_str(c"name", "b").unwrap();
    assert_ne!(object(&d, c"name"), name);
    let ver = d.get_array(c"version").unwrap();
    let (four, zero) = (array_object(&ver, 0), array_object(&ver, 1));
    let old: Vec<_> = [4, 16, 0]
        .into_iter()
        .enumerate()
        .map(|(i, v)| ver.replace_u32(i, v).unwrap())
        .collect();
    assert_eq!(old, [Some(4), Some(0), Some(0)]);
    // A member that holds the number already stays; others are replaced.
    assert_eq!(array_object(&ver, 0), four);
    assert_ne!(array_object(&ver, 1), zero);
    let xml = to_value(&d).to_xml();
    assert!(
        xml.contains("<key>dec</key>\n\t<integer>0x5</integer>"),
        "{xml}"
    );
    assert!(xml.contains("<key>flags</key>\n\t<integer>0x5</integer>"));
    assert!(xml.contains("<key>name</key>\n\t<string>b</string>"));
    assert!(xml.contains(
        "<array>\n\t\t<integer>0x4</integer>\n\t\t<integer>0x10</integer>\n\
         \t\t<integer>0x0</integer>\n\t</array>"
    ));
    assert!(ver.replace_u32(3, 1).is_err());
}

#[test]
fn find_str_matches_the_whole_string() {
    let d = from_xml(
        "<plist><dict><key>command</key><string>info</string>\
         <key>n</key><integer>1</integer></dict></plist>",
    );
    let items = ["inf", "info", "infos"];
    assert_eq!(d.find_str(c"command", &items, |s| s), Some(&"info"));
    assert_eq!(d.find_str(c"command", &items[..1], |s| s), None);
    assert_eq!(d.find_str(c"n", &items, |s| s), None);
    assert_eq!(d.find_str(c"none", &items, |s| s), None);
}

#[test]
fn strings_read_in_place_outlive_their_dictionary() {
    let d = from_xml(
        "<plist><dict><key>name</key><string>dev0</string>\
         <key>n</key><integer>1</integer></dict></plist>",
    );
    let name = d.opt_str(c"name").unwrap().unwrap();
    let copy = name.clone();
    d.set_str(c"name", "other").unwrap();
    drop(d);
    assert_eq!((&*name, &*copy), ("dev0", "dev0"));
    assert_eq!(format!("{name}"), "dev0");

    let d = Dict::new().unwrap();
    d.set_bytes(c"bad", b"\xffdev").unwrap();
    d.set_u32(c"n", 1).unwrap();
    assert!(matches!(d.opt_str(c"bad"), Err(Unreadable::Utf8)));
    assert!(matches!(
        d.opt_str(c"n"),
        Err(Unreadable::Kind(Kind::Number))
    ));
    assert!(matches!(d.opt_str(c"none"), Ok(None)));
    assert_eq!(d.opt_u32(c"n"), Ok(Some(1)));
    assert_eq!(d.opt_u32(c"bad"), Err(Unreadable::Kind(Kind::String)));
}
