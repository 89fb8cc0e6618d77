//! A vector for the I/O path: a few elements inline, more from
//! `kmem_alloc(KM_NOSLEEP)`. Mapping a request must never sleep for
//! memory (the pager may be writing to swap on this very device), so
//! growing fails with ENOMEM instead, and the glue holds the request
//! back until memory comes free.

use crate::errno::Errno;
use crate::kapi;
use core::ptr::NonNull;

pub struct NoSleepVec<T: Copy, const N: usize> {
    inline: [T; N],
    heap: Option<NonNull<T>>,
    len: usize,
    cap: usize,
}

// SAFETY: the heap block is owned by the vector alone.
unsafe impl<T: Copy + Send, const N: usize> Send for NoSleepVec<T, N> {}

impl<T: Copy, const N: usize> NoSleepVec<T, N> {
    /// Empty, with `fill` in the unused inline slots.
    pub const fn new(fill: T) -> Self {
        NoSleepVec {
            inline: [fill; N],
            heap: None,
            len: 0,
            cap: N,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the elements went out of the inline room to the heap.
    pub fn spilled(&self) -> bool {
        self.heap.is_some()
    }

    pub fn as_slice(&self) -> &[T] {
        match self.heap {
            // SAFETY: the first len elements of the block are written.
            Some(p) => unsafe { core::slice::from_raw_parts(p.as_ptr(), self.len) },
            None => self.inline.get(..self.len).unwrap_or(&[]),
        }
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        match self.heap {
            // SAFETY: as above, and we hold the vector exclusively.
            Some(p) => unsafe { core::slice::from_raw_parts_mut(p.as_ptr(), self.len) },
            None => self.inline.get_mut(..self.len).unwrap_or(&mut []),
        }
    }

    pub fn last_mut(&mut self) -> Option<&mut T> {
        self.as_mut_slice().last_mut()
    }

    /// Appends `v`; ENOMEM when there is no room and no memory without
    /// sleeping.
    pub fn push(&mut self, v: T) -> Result<(), Errno> {
        if self.len == self.cap {
            self.grow()?;
        }
        match self.heap {
            // SAFETY: len < cap, and the block holds cap elements.
            Some(p) => unsafe { p.as_ptr().add(self.len).write(v) },
            None => {
                let slot = self.inline.get_mut(self.len).ok_or(Errno::ENOMEM)?;
                *slot = v;
            }
        }
        self.len += 1;
        Ok(())
    }

    fn grow(&mut self) -> Result<(), Errno> {
        let cap = self.cap.checked_mul(2).ok_or(Errno::ENOMEM)?;
        let p = kapi::alloc_nosleep::<T>(cap).ok_or(Errno::ENOMEM)?;
        let old = self.as_slice();
        // SAFETY: the new block holds cap > len elements; the two do not
        // overlap.
        unsafe { core::ptr::copy_nonoverlapping(old.as_ptr(), p.as_ptr(), old.len()) };
        self.release();
        self.heap = Some(p);
        self.cap = cap;
        Ok(())
    }

    fn release(&mut self) {
        if let Some(p) = self.heap.take() {
            // SAFETY: p came from alloc_nosleep with this capacity.
            unsafe { kapi::free_nosleep(p, self.cap) };
        }
    }
}

impl<T: Copy, const N: usize> Drop for NoSleepVec<T, N> {
    fn drop(&mut self) {
        self.release();
    }
}
