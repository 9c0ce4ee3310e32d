//! Bit streams (least significant bit first) and Rice codes: the coding of
//! postings blocks.

/// Writes integers of given bit widths, least significant bit first.
#[derive(Default)]
pub struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

/// Unary parts of Rice codes longer than this are escaped: this many ones,
/// then the value in 32 bits.
pub const RICE_ESCAPE: u32 = 32;

impl BitWriter {
    /// Appends the low `width` (≤ 32) bits of `v`.
    #[inline]
    pub fn put(&mut self, v: u32, width: u32) {
        if width == 0 {
            return;
        }
        let v = if width >= 32 { v as u64 } else { (v as u64) & ((1u64 << width) - 1) };
        self.acc |= v << self.n;
        self.n += width;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// Appends `v` Rice-coded with parameter `k` (≤ 31): `v >> k` in unary
    /// (ones closed by a zero), then the low `k` bits. A quotient of
    /// [`RICE_ESCAPE`] or more is written as that many ones and `v` in 32 bits.
    pub fn put_rice(&mut self, v: u32, k: u32) {
        let q = (v >> k) as u64;
        if q >= RICE_ESCAPE as u64 {
            self.put(u32::MAX, RICE_ESCAPE);
            self.put(v, 32);
            return;
        }
        let mut q = q as u32;
        while q > 0 {
            let c = q.min(16);
            self.put((1u32 << c) - 1, c);
            q -= c;
        }
        self.put(0, 1);
        self.put(v, k);
    }

    /// The bytes, the last one padded with zero bits.
    pub fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// Bits needed to write `v` (0 for 0).
pub fn bits(v: u32) -> u32 {
    32 - v.leading_zeros()
}

/// The Rice parameter that codes `vals` in the fewest bits (ties: smallest).
pub fn best_rice(vals: &[u32]) -> u32 {
    let mut best = (u64::MAX, 0);
    for k in 0..=20u32 {
        let mut total = 0u64;
        for &v in vals {
            let q = (v >> k) as u64;
            total +=
                if q >= RICE_ESCAPE as u64 { RICE_ESCAPE as u64 + 32 } else { q + 1 + k as u64 };
        }
        if total < best.0 {
            best = (total, k);
        }
    }
    best.1
}

/// Reads what [`BitWriter`] wrote. Every read is bounds checked: reading
/// past the end gives `None`.
pub struct BitReader<'a> {
    b: &'a [u8],
    /// Position in bits.
    pub pos: usize,
}

impl<'a> BitReader<'a> {
    /// A reader at bit 0 of `b`.
    pub fn new(b: &'a [u8]) -> BitReader<'a> {
        BitReader { b, pos: 0 }
    }

    #[inline]
    fn word(&self) -> u64 {
        let i = self.pos / 8;
        let mut buf = [0u8; 8];
        match self.b.get(i..i + 8) {
            Some(s) => buf.copy_from_slice(s),
            None => {
                let s = self.b.get(i..).unwrap_or(&[]);
                buf[..s.len()].copy_from_slice(s);
            }
        }
        u64::from_le_bytes(buf) >> (self.pos % 8)
    }

    /// The next `width` (≤ 32) bits.
    #[inline]
    pub fn get(&mut self, width: u32) -> Option<u32> {
        if width == 0 {
            return Some(0);
        }
        let end = self.pos + width as usize;
        if end > self.b.len() * 8 {
            return None;
        }
        let v = self.word() & ((1u64 << width) - 1);
        self.pos = end;
        Some(v as u32)
    }

    /// The next Rice-coded value with parameter `k`.
    #[inline]
    pub fn get_rice(&mut self, k: u32) -> Option<u32> {
        let ones = (!self.word()).trailing_zeros().min(RICE_ESCAPE);
        if ones >= RICE_ESCAPE {
            self.pos += RICE_ESCAPE as usize;
            if self.pos > self.b.len() * 8 {
                return None;
            }
            return self.get(32);
        }
        self.pos += ones as usize + 1;
        if self.pos > self.b.len() * 8 {
            return None;
        }
        let low = self.get(k)?;
        Some((ones << k) | low)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip() {
        let vals = [0u32, 1, 5, 31, 32, 1000, 65_535, u32::MAX, 7];
        let mut w = BitWriter::default();
        for (i, &v) in vals.iter().enumerate() {
            w.put(v, bits(v).max(1));
            w.put_rice(v, (i % 5) as u32);
        }
        let b = w.finish();
        let mut r = BitReader::new(&b);
        for (i, &v) in vals.iter().enumerate() {
            assert_eq!(r.get(bits(v).max(1)), Some(v));
            assert_eq!(r.get_rice((i % 5) as u32), Some(v));
        }
        assert!(r.get(16).is_none());
        assert_eq!(best_rice(&[0, 0, 0]), 0);
        assert!(best_rice(&[100, 120, 90]) >= 5);
        // Unary runs that end past the data are an error, not a panic.
        let mut r = BitReader::new(&[0xff, 0xff]);
        assert_eq!(r.get_rice(3), None);
    }
}
