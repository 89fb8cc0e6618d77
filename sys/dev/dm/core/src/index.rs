//! A static search tree over the sorted line starts of a table.
//!
//! The bottom level holds every start in blocks of 16; each level above
//! keeps the first key of every block below it, again in blocks of 16.
//! A lookup reads one block per level, top down, and finds its place in a
//! block with four branch-free halvings. Blocks are cache-line aligned;
//! bottom blocks store their keys as 32-bit offsets from the block's first
//! start (known from the level above), so a bottom block is one cache
//! line and the level that misses the cache is half the size. A table
//! whose lines are so long that a bottom block spans 2^32 sectors keeps
//! 64-bit keys there instead.

use crate::errno::Result;
use alloc::vec::Vec;

const B: usize = 16;

#[repr(C, align(64))]
#[derive(Clone, Copy)]
struct Wide([u64; B]);

#[repr(C, align(64))]
#[derive(Clone, Copy)]
struct Narrow([u32; B]);

enum Bottom {
    /// Offsets from the block's first start.
    Narrow(Vec<Narrow>),
    /// Absolute starts.
    Wide(Vec<Wide>),
}

pub struct SearchIndex {
    /// Every level above the bottom, root first; `tops[k]` block `i` holds
    /// the first keys of blocks `16 i ..` of the level below.
    tops: Vec<Vec<Wide>>,
    bottom: Bottom,
    len: usize,
}

/// Index of the last key ≤ `k` in `b`, given `b[0] ≤ k` and keys sorted
/// (padding is the type's maximum).
#[inline(always)]
fn place<K: Copy + Ord>(b: &[K; B], k: K) -> usize {
    let mut p = 0usize;
    for step in [8, 4, 2, 1] {
        if b.get(p + step).is_some_and(|&x| x <= k) {
            p += step;
        }
    }
    p
}

fn blocks<K: Copy, T>(keys: &[K], pad: K, wrap: impl Fn([K; B]) -> T) -> Result<Vec<T>> {
    let mut out = Vec::new();
    out.try_reserve_exact(keys.len().div_ceil(B))?;
    for chunk in keys.chunks(B) {
        let mut b = [pad; B];
        for (slot, &k) in b.iter_mut().zip(chunk) {
            *slot = k;
        }
        out.push(wrap(b));
    }
    Ok(out)
}

/// The levels above the bottom one, root first: built bottom-up, then
/// reversed. None, and no allocation, when one block holds every start.
fn tops(starts: &[u64]) -> Result<Vec<Vec<Wide>>> {
    let mut tops: Vec<Vec<Wide>> = Vec::new();
    if starts.len() <= B {
        return Ok(tops);
    }
    tops.try_reserve(8)?;
    let mut firsts: Vec<u64> = Vec::new();
    firsts.try_reserve_exact(starts.len().div_ceil(B))?;
    firsts.extend(starts.iter().step_by(B).copied());
    while firsts.len() > 1 {
        tops.push(blocks(&firsts, u64::MAX, Wide)?);
        let mut up = Vec::new();
        up.try_reserve_exact(firsts.len().div_ceil(B))?;
        up.extend(firsts.iter().step_by(B).copied());
        firsts = up;
    }
    tops.reverse();
    Ok(tops)
}

impl SearchIndex {
    /// Builds the tree over `starts` (sorted, the first 0) of lines that
    /// end at `size`.
    pub fn new(starts: &[u64], size: u64) -> Result<SearchIndex> {
        let narrow = starts.chunks(B).enumerate().all(|(i, c)| {
            let first = c.first().copied().unwrap_or(0);
            let end = starts.get((i + 1) * B).copied().unwrap_or(size);
            end - first <= u64::from(u32::MAX)
        });
        let bottom = if narrow {
            let mut out = Vec::new();
            out.try_reserve_exact(starts.len().div_ceil(B))?;
            for chunk in starts.chunks(B) {
                let first = chunk.first().copied().unwrap_or(0);
                let mut b = [u32::MAX; B];
                for (slot, &k) in b.iter_mut().zip(chunk) {
                    *slot = u32::try_from(k - first).unwrap_or(u32::MAX);
                }
                out.push(Narrow(b));
            }
            Bottom::Narrow(out)
        } else {
            Bottom::Wide(blocks(starts, u64::MAX, Wide)?)
        };
        Ok(SearchIndex {
            tops: tops(starts)?,
            bottom,
            len: starts.len(),
        })
    }

    /// Index of the last start ≤ `key`.
    pub fn find(&self, key: u64) -> usize {
        if self.len <= 1 {
            return 0;
        }
        let mut idx = 0usize;
        let mut first = 0u64;
        for level in &self.tops {
            let Some(Wide(b)) = level.get(idx) else {
                return 0;
            };
            let p = place(b, key);
            first = b.get(p).copied().unwrap_or(0);
            idx = idx * B + p;
        }
        let p = match &self.bottom {
            Bottom::Narrow(v) => match v.get(idx) {
                Some(Narrow(b)) => {
                    let off = u32::try_from(key.saturating_sub(first)).unwrap_or(u32::MAX);
                    place(b, off)
                }
                None => 0,
            },
            Bottom::Wide(v) => v.get(idx).map_or(0, |Wide(b)| place(b, key)),
        };
        (idx * B + p).min(self.len.saturating_sub(1))
    }

    pub fn heap_bytes(&self) -> usize {
        let tops: usize = self
            .tops
            .iter()
            .map(|l| l.capacity() * core::mem::size_of::<Wide>())
            .sum();
        tops + match &self.bottom {
            Bottom::Narrow(v) => v.capacity() * core::mem::size_of::<Narrow>(),
            Bottom::Wide(v) => v.capacity() * core::mem::size_of::<Wide>(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn check(sorted: &[u64], size: u64, keys: impl Iterator<Item = u64>) {
        let idx = SearchIndex::new(sorted, size).unwrap();
        for key in keys {
            let want = sorted.partition_point(|&s| s <= key).saturating_sub(1);
            assert_eq!(idx.find(key), want, "n={} key={key}", sorted.len());
        }
    }

    #[test]
    fn agrees_with_partition_point() {
        for n in [1usize, 2, 15, 16, 17, 255, 256, 257, 4097, 70_000] {
            let mut starts: Vec<u64> = (0..n as u64).map(|i| i * 3 + i * i % 5).collect();
            starts.sort_unstable();
            starts.dedup();
            starts[0] = 0;
            let last = *starts.last().unwrap();
            check(&starts, last + 1, 0..last + 10);
        }
    }

    #[test]
    fn blocks_wider_than_32_bits() {
        let big = 1u64 << 40;
        for n in [2u64, 17, 300] {
            let starts: Vec<u64> = (0..n).map(|i| i * big).collect();
            let size = n * big;
            let idx = SearchIndex::new(&starts, size).unwrap();
            assert!(matches!(idx.bottom, Bottom::Wide(_)));
            let keys = starts.iter().flat_map(|&s| [s, s + 1, s + big - 1]);
            check(&starts, size, keys);
        }
        // One huge last line: its block spans it all.
        let starts = [0u64, 8, 16];
        check(&starts, 1 << 50, [0, 7, 8, 15, 16, 1 << 40].into_iter());
    }
}
