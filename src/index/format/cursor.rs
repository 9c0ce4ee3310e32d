//! A bounds-checked reader over one section's bytes.

use super::section::Section;
use super::varint::get_varint;
use crate::index::error::IndexError;

/// A bounds-checked reader over one section. Every method returns a
/// [`IndexError::Corrupt`] naming the section instead of panicking.
#[derive(Clone)]
pub struct Cursor<'a> {
    /// The bytes being read.
    pub buf: &'a [u8],
    /// The read position.
    pub pos: usize,
    /// The section, for errors.
    pub section: Section,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `buf`.
    pub fn new(buf: &'a [u8], section: Section) -> Cursor<'a> {
        Cursor { buf, pos: 0, section }
    }

    /// The error for data that does not decode.
    pub fn corrupt(&self, what: &'static str) -> IndexError {
        IndexError::Corrupt { section: self.section.name(), what }
    }

    /// Whether everything has been read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// A varint.
    pub fn varint(&mut self, what: &'static str) -> Result<u64, IndexError> {
        get_varint(self.buf, &mut self.pos).ok_or_else(|| self.corrupt(what))
    }

    /// A varint that must fit `u32`.
    pub fn varint_u32(&mut self, what: &'static str) -> Result<u32, IndexError> {
        let v = self.varint(what)?;
        u32::try_from(v).map_err(|_| self.corrupt(what))
    }

    /// A varint used as a count or length: it must not exceed the bytes left
    /// times `per_byte` (so a lying count cannot make us allocate).
    pub fn count(&mut self, what: &'static str) -> Result<usize, IndexError> {
        let v = self.varint(what)?;
        let left = (self.buf.len() - self.pos.min(self.buf.len())) as u64;
        if v > left {
            return Err(self.corrupt(what));
        }
        Ok(v as usize)
    }

    /// `n` raw bytes.
    pub fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], IndexError> {
        let end = self.pos.checked_add(n).ok_or_else(|| self.corrupt(what))?;
        let s = self.buf.get(self.pos..end).ok_or_else(|| self.corrupt(what))?;
        self.pos = end;
        Ok(s)
    }

    /// A varint length then that many bytes of UTF-8.
    pub fn str(&mut self, what: &'static str) -> Result<&'a str, IndexError> {
        let n = self.count(what)?;
        let b = self.bytes(n, what)?;
        std::str::from_utf8(b).map_err(|_| self.corrupt(what))
    }

    /// One byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8, IndexError> {
        Ok(self.bytes(1, what)?[0])
    }

    /// A little-endian u32.
    pub fn u32(&mut self, what: &'static str) -> Result<u32, IndexError> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A little-endian i32.
    pub fn i32(&mut self, what: &'static str) -> Result<i32, IndexError> {
        Ok(self.u32(what)? as i32)
    }

    /// A little-endian u64.
    pub fn u64(&mut self, what: &'static str) -> Result<u64, IndexError> {
        let b = self.bytes(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}
