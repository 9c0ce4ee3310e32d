//! Varints (unsigned LEB128), fixed-width little-endian integers and
//! length-prefixed strings.

/// Appends `v` as an LEB128 varint (7 bits a byte, low bits first).
#[inline]
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a varint length and the bytes of `s`.
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Appends `v` little-endian in `width` bytes (1..=8).
pub fn put_uint(out: &mut Vec<u8>, v: u64, width: usize) {
    out.extend_from_slice(&v.to_le_bytes()[..width]);
}

/// Bytes needed to hold `v` (at least 1).
pub fn width_of(v: u64) -> usize {
    (((64 - v.leading_zeros()) as usize).div_ceil(8)).max(1)
}

/// Reads `width` (1..=8) little-endian bytes at `at` of `b`, if in bounds.
#[inline]
pub fn get_uint(b: &[u8], at: usize, width: usize) -> Option<u64> {
    let end = at.checked_add(width)?;
    let s = b.get(at..end)?;
    let mut buf = [0u8; 8];
    buf.get_mut(..width)?.copy_from_slice(s);
    Some(u64::from_le_bytes(buf))
}

/// Decodes a varint at `*pos` of `b`, advancing `pos`. `None` when the
/// bytes run out or the value overflows 64 bits.
#[inline]
pub fn get_varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    let mut shift = 0u32;
    loop {
        let byte = *b.get(*pos)?;
        *pos += 1;
        if shift == 63 && byte > 1 {
            return None;
        }
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let mut out = Vec::new();
        let vals = [0u64, 1, 127, 128, 300, 16_383, 16_384, u32::MAX as u64, u64::MAX];
        for v in vals {
            put_varint(&mut out, v);
        }
        let mut pos = 0;
        for v in vals {
            assert_eq!(get_varint(&out, &mut pos), Some(v));
        }
        assert_eq!(get_varint(&out, &mut pos), None);
        // Overlong: eleven continuation bytes.
        let bad = [0xffu8; 11];
        assert_eq!(get_varint(&bad, &mut 0), None);
    }

    #[test]
    fn widths() {
        assert_eq!(width_of(0), 1);
        assert_eq!(width_of(255), 1);
        assert_eq!(width_of(256), 2);
        assert_eq!(width_of(u64::MAX), 8);
        assert_eq!(get_uint(&[1, 2, 3], 1, 2), Some(0x0302));
        assert_eq!(get_uint(&[1, 2, 3], 2, 2), None);
    }
}
