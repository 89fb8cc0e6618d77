//! kmod-pc32: rewrites every `R_X86_64_PLT32` relocation of an amd64 ELF
//! relocatable object (a NetBSD kernel module, `.kmod`) to `R_X86_64_PC32`,
//! in place.
//!
//! Compilers and assemblers since binutils 2.31 and LLVM 7 emit PLT32 for
//! `call` and `jmp` to a symbol.  Without a PLT (a module is never linked
//! into one) PLT32 is computed as PC32, `S + A - P`, so the rewrite keeps
//! the meaning.  NetBSD's amd64 `kobj_reloc()` (sys/arch/amd64/amd64/
//! kobj_machdep.c) before its 2018 revision knows PC32 but not PLT32 and
//! refuses the module.
//!
//! Usage: `kmod-pc32 FILE...`; prints how many relocations each file had.

use std::process::ExitCode;

const ET_REL: u16 = 1;
const EM_X86_64: u16 = 62;
const SHT_RELA: u32 = 4;
const SHT_REL: u32 = 9;
const R_X86_64_PC32: u32 = 2;
const R_X86_64_PLT32: u32 = 4;

fn u16_at(b: &[u8], off: usize) -> Result<u16, String> {
    b.get(off..off + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| format!("truncated at {off}"))
}

fn u32_at(b: &[u8], off: usize) -> Result<u32, String> {
    b.get(off..off + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| format!("truncated at {off}"))
}

fn u64_at(b: &[u8], off: usize) -> Result<u64, String> {
    let s = b
        .get(off..off + 8)
        .ok_or_else(|| format!("truncated at {off}"))?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Ok(u64::from_le_bytes(a))
}

fn usize_of(v: u64) -> Result<usize, String> {
    usize::try_from(v).map_err(|_| format!("offset {v} out of range"))
}

/// Rewrites the PLT32 relocations of the ELF object in `b`; returns how
/// many there were.  Refuses anything but a little-endian ELF64 amd64
/// relocatable object.
pub fn rewrite(b: &mut [u8]) -> Result<usize, String> {
    if b.get(0..4) != Some(b"\x7fELF".as_slice()) {
        return Err("not an ELF file".into());
    }
    if b.get(4) != Some(&2) || b.get(5) != Some(&1) {
        return Err("not a little-endian ELF64 file".into());
    }
    if u16_at(b, 16)? != ET_REL {
        return Err("not a relocatable object".into());
    }
    if u16_at(b, 18)? != EM_X86_64 {
        return Err("not an amd64 object".into());
    }
    let shoff = usize_of(u64_at(b, 40)?)?;
    let shentsize = usize::from(u16_at(b, 58)?);
    let shnum = usize::from(u16_at(b, 60)?);
    if shoff != 0 && shentsize < 64 {
        return Err("bad section header size".into());
    }
    let mut n = 0;
    for i in 0..shnum {
        let sh = shoff + i * shentsize;
        let ty = u32_at(b, sh + 4)?;
        let entsize = match ty {
            SHT_RELA => 24,
            SHT_REL => 16,
            _ => continue,
        };
        let off = usize_of(u64_at(b, sh + 24)?)?;
        let size = usize_of(u64_at(b, sh + 32)?)?;
        if size % entsize != 0 || off.checked_add(size).is_none_or(|e| e > b.len()) {
            return Err(format!("section {i}: bad relocation table"));
        }
        for r in (off..off + size).step_by(entsize) {
            // r_info: symbol index in the high 32 bits, type in the low.
            if u32_at(b, r + 8)? == R_X86_64_PLT32 {
                b[r + 8..r + 12].copy_from_slice(&R_X86_64_PC32.to_le_bytes());
                n += 1;
            }
        }
    }
    Ok(n)
}

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: kmod-pc32 file...");
        return ExitCode::from(2);
    }
    let mut status = ExitCode::SUCCESS;
    for f in &files {
        let done = std::fs::read(f)
            .map_err(|e| e.to_string())
            .and_then(|mut b| {
                let n = rewrite(&mut b)?;
                if n > 0 {
                    std::fs::write(f, &b).map_err(|e| e.to_string())?;
                }
                Ok(n)
            });
        match done {
            Ok(n) => println!("{f}: {n} R_X86_64_PLT32 rewritten to R_X86_64_PC32"),
            Err(e) => {
                eprintln!("kmod-pc32: {f}: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ELF64 amd64 relocatable object: a null section and one RELA
    /// section holding the given relocation types.
    fn object(types: &[u32]) -> Vec<u8> {
        let mut b = vec![0u8; 64];
        b[0..4].copy_from_slice(b"\x7fELF");
        b[4] = 2;
        b[5] = 1;
        b[6] = 1;
        b[16..18].copy_from_slice(&ET_REL.to_le_bytes());
        b[18..20].copy_from_slice(&EM_X86_64.to_le_bytes());
        let relas = b.len();
        for (i, t) in types.iter().enumerate() {
            let mut e = [0u8; 24];
            e[0..8].copy_from_slice(&(8 * i as u64).to_le_bytes());
            let info = (7u64 << 32) | u64::from(*t);
            e[8..16].copy_from_slice(&info.to_le_bytes());
            e[16..24].copy_from_slice(&(-4i64).to_le_bytes());
            b.extend_from_slice(&e);
        }
        let shoff = b.len();
        b.extend_from_slice(&[0u8; 64]);
        let mut sh = [0u8; 64];
        sh[4..8].copy_from_slice(&SHT_RELA.to_le_bytes());
        sh[24..32].copy_from_slice(&(relas as u64).to_le_bytes());
        sh[32..40].copy_from_slice(&(24 * types.len() as u64).to_le_bytes());
        sh[56..64].copy_from_slice(&24u64.to_le_bytes());
        b.extend_from_slice(&sh);
        b[40..48].copy_from_slice(&(shoff as u64).to_le_bytes());
        b[58..60].copy_from_slice(&64u16.to_le_bytes());
        b[60..62].copy_from_slice(&2u16.to_le_bytes());
        b
    }

    fn types(b: &[u8], n: usize) -> Vec<u64> {
        (0..n)
            .map(|i| u64_at(b, 64 + 24 * i + 8).unwrap())
            .collect()
    }

    #[test]
    fn plt32_becomes_pc32_and_nothing_else_changes() {
        let mut b = object(&[4, 2, 11, 4, 1]);
        let before = b.clone();
        assert_eq!(rewrite(&mut b), Ok(2));
        let s = 7u64 << 32;
        assert_eq!(types(&b, 5), vec![s | 2, s | 2, s | 11, s | 2, s | 1]);
        let changed = b.iter().zip(&before).filter(|(x, y)| x != y).count();
        assert_eq!(changed, 2);
        assert_eq!(rewrite(&mut b), Ok(0));
    }

    #[test]
    fn refuses_what_is_not_an_amd64_object() {
        let mut b = object(&[4]);
        b[18] = 183; // EM_AARCH64
        assert!(rewrite(&mut b).is_err());
        let mut b = object(&[4]);
        b[16] = 2; // ET_EXEC
        assert!(rewrite(&mut b).is_err());
        assert!(rewrite(&mut b"not elf".to_vec()).is_err());
        let mut b = object(&[4]);
        let len = b.len();
        b.truncate(len - 40);
        assert!(rewrite(&mut b).is_err());
    }
}
