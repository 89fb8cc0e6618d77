//! The seed's table line as the `reload` request lvm2 and dmctl send,
//! externalized as NetBSD's proplib writes it, read back through the C ABI
//! and checked.

use proplib::{Dict, Value};
use std::process::ExitCode;

fn main() -> ExitCode {
    let line: Dict = [
        ("start".to_owned(), Value::Unsigned(0)),
        ("length".to_owned(), Value::Unsigned(10240)),
        ("type".to_owned(), Value::from("linear")),
        ("params".to_owned(), Value::from("/dev/wd1a 384")),
    ]
    .into_iter()
    .collect();
    let request: Dict = [
        ("command".to_owned(), Value::from("reload")),
        ("name".to_owned(), Value::from("demo")),
        ("flags".to_owned(), Value::Unsigned(4)),
        (
            "version".to_owned(),
            Value::Array(vec![4u32.into(), 0u32.into(), 0u32.into()]),
        ),
        ("cmd_data".to_owned(), Value::Array(vec![Value::Dict(line)])),
    ]
    .into_iter()
    .collect();
    let request = Value::Dict(request);

    println!("table line: 0 10240 linear /dev/wd1a 384");
    println!("reload request, as the control ioctl carries it:\n");
    let xml = request.to_xml();
    print!("{xml}");

    // Through the C ABI, as the glue will: internalize, read, externalize.
    let text = std::ffi::CString::new(xml.clone()).unwrap_or_default();
    // SAFETY: text is NUL-terminated; every object is released once.
    let ok = unsafe {
        let d = proplib::cabi::prop_dictionary_internalize(text.as_ptr());
        let back = proplib::cabi::to_value(d);
        proplib::cabi::prop_object_release(d);
        back.as_ref() == Some(&request)
    };
    println!();
    if ok {
        println!("round trip through prop_dictionary_internalize: identical");
        ExitCode::SUCCESS
    } else {
        println!("round trip through prop_dictionary_internalize: MISMATCH");
        ExitCode::FAILURE
    }
}
