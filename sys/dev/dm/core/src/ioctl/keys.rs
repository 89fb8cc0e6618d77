//! The protocol's dictionary keys, held for the driver's lifetime.
//!
//! proplib interns dictionary keys and numbers in global trees and frees
//! an entry with its last user. Without a holder, every request would
//! allocate and insert its keys as it is parsed, and every reply its new
//! ones, only to remove and free them all with the reply. One dictionary
//! holding every key of the protocol (and the driver's version numbers)
//! keeps them in the trees, so a request finds its keys instead.

use super::version_array;
use crate::errno::Result;
use core::ffi::CStr;
use dm_prop::Dict;

/// Every key of a request, a reply or a table line (netbsd-dm.h), and
/// the ones this driver adds.
const KEYS: [&CStr; 21] = [
    c"command",
    c"version",
    c"flags",
    c"name",
    c"newname",
    c"uuid",
    c"minor",
    c"open_count",
    c"event_nr",
    c"target_count",
    c"cmd_data",
    c"dev",
    c"type",
    c"start",
    c"length",
    c"params",
    c"status",
    c"ver",
    c"sector",
    c"errno",
    c"message",
];

/// The holder. Made once with the core and dropped with it.
pub struct Keys {
    _held: Dict,
}

// SAFETY: nothing reads or changes the dictionary after new() until it is
// dropped with the core, and proplib's reference counts are atomic.
unsafe impl Send for Keys {}
// SAFETY: as above.
unsafe impl Sync for Keys {}

impl Keys {
    pub fn new() -> Result<Keys> {
        let d = Dict::new()?;
        for key in KEYS {
            d.set_u32(key, 0)?;
        }
        d.set_array(c"version", &version_array()?)?;
        Ok(Keys { _held: d })
    }
}

#[cfg(test)]
mod tests {
    use super::KEYS;
    use std::path::Path;

    /// The C-string literals of dm-core's sources, which are all
    /// dictionary keys.
    fn literals(dir: &Path, out: &mut std::vec::Vec<std::string::String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                literals(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for (i, _) in text.match_indices("c\"") {
                    let before = text[..i].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let rest = &text[i + 2..];
                    let lit = &rest[..rest.find('"').unwrap()];
                    if !lit.is_empty() && lit.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                        out.push(lit.into());
                    }
                }
            }
        }
    }

    #[test]
    fn every_key_dm_core_uses_is_held() {
        let mut used = std::vec::Vec::new();
        literals(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut used,
        );
        assert!(used.len() > 20, "{used:?}");
        for k in used {
            assert!(
                KEYS.iter().any(|h| h.to_bytes() == k.as_bytes()),
                "key '{k}' is used but not in KEYS"
            );
        }
    }
}
