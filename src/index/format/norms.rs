//! The one-byte quantizer of field lengths (the `norms` section).

/// Field lengths are stored in one byte each: exact below 64 words, then in
/// steps of about 6 %, up to far beyond any real entry. Integer-only so the
/// bytes are the same on every platform.
pub struct Norms {
    bounds: [u32; 256],
}

impl Norms {
    /// The quantization table.
    pub fn new() -> Norms {
        let mut bounds = [0u32; 256];
        let mut v: u64 = 0;
        for (i, b) in bounds.iter_mut().enumerate() {
            if i < 64 {
                v = i as u64;
            } else {
                v = (v + (v / 16).max(1)).min(u32::MAX as u64);
            }
            *b = v as u32;
        }
        Norms { bounds }
    }

    /// The code of a length: the largest code whose bound is ≤ `len`.
    pub fn encode(&self, len: u32) -> u8 {
        match self.bounds.binary_search(&len) {
            Ok(i) => i as u8,
            Err(i) => (i - 1) as u8,
        }
    }

    /// The (lower-bound) length a code stands for.
    pub fn decode(&self, code: u8) -> u32 {
        self.bounds[code as usize]
    }
}

impl Default for Norms {
    fn default() -> Self {
        Norms::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norms_are_monotone() {
        let n = Norms::new();
        for len in [0u32, 1, 63, 64, 65, 100, 1000, 100_000, u32::MAX] {
            let c = n.encode(len);
            assert!(n.decode(c) <= len);
        }
        assert_eq!(n.decode(n.encode(40)), 40);
        let mut last = 0;
        for c in 0..=255u8 {
            assert!(n.decode(c) >= last);
            last = n.decode(c);
        }
    }
}
