//! CRC-32 (IEEE), the checksum of every section and of the header and
//! section table.
//!
//! Native builds compute it with `crc32fast` (SIMD). The wasm build, which
//! verifies the checksums of the index and of every shard it loads, uses
//! [`slice8`] instead: slice-by-8 with its tables built at the first call
//! (8 KB of memory, microseconds) rather than shipped, where crc32fast's
//! slice-by-16 table is 16 KB of incompressible data, a tenth of the module
//! gzipped. `crc32fast` is a native-only dependency.

/// The checksum of `b`.
pub fn crc32(b: &[u8]) -> u32 {
    #[cfg(not(target_arch = "wasm32"))]
    return crc32fast::hash(b);
    #[cfg(target_arch = "wasm32")]
    return !slice8(!0, b);
}

/// A CRC-32 computed over bytes that arrive in pieces (a section streamed
/// to a file). `Crc32::new()`, then `update` with each piece, then `finish`
/// gives [`crc32`] of their concatenation.
pub struct Crc32 {
    #[cfg(not(target_arch = "wasm32"))]
    h: crc32fast::Hasher,
    /// The running register (bits inverted, as slice-by-8 keeps it).
    #[cfg(target_arch = "wasm32")]
    state: u32,
}

impl Crc32 {
    /// The checksum of no bytes yet.
    pub fn new() -> Crc32 {
        #[cfg(not(target_arch = "wasm32"))]
        return Crc32 { h: crc32fast::Hasher::new() };
        #[cfg(target_arch = "wasm32")]
        return Crc32 { state: !0 };
    }

    /// Adds `b` to the bytes checksummed.
    pub fn update(&mut self, b: &[u8]) {
        #[cfg(not(target_arch = "wasm32"))]
        self.h.update(b);
        #[cfg(target_arch = "wasm32")]
        {
            self.state = slice8(self.state, b);
        }
    }

    /// The checksum of everything added.
    pub fn finish(self) -> u32 {
        #[cfg(not(target_arch = "wasm32"))]
        return self.h.finalize();
        #[cfg(target_arch = "wasm32")]
        return !self.state;
    }
}

impl Default for Crc32 {
    fn default() -> Self {
        Crc32::new()
    }
}

/// Advances the CRC-32 register `crc` (bits inverted: start from `!0`,
/// invert the result) over `b`, eight bytes at a time.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn slice8(mut crc: u32, b: &[u8]) -> u32 {
    static TABLES: std::sync::OnceLock<Box<[[u32; 256]; 8]>> = std::sync::OnceLock::new();
    let t = TABLES.get_or_init(|| {
        let mut t = Box::new([[0u32; 256]; 8]);
        for i in 0..256 {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            t[0][i] = c;
        }
        for i in 0..256 {
            for k in 1..8 {
                t[k][i] = (t[k - 1][i] >> 8) ^ t[0][(t[k - 1][i] & 0xFF) as usize];
            }
        }
        t
    });
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let lo = crc ^ u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        crc = t[7][(lo & 0xFF) as usize]
            ^ t[6][((lo >> 8) & 0xFF) as usize]
            ^ t[5][((lo >> 16) & 0xFF) as usize]
            ^ t[4][(lo >> 24) as usize]
            ^ t[3][c[4] as usize]
            ^ t[2][c[5] as usize]
            ^ t[1][c[6] as usize]
            ^ t[0][c[7] as usize];
    }
    for &x in chunks.remainder() {
        crc = t[0][((crc ^ x as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn data() -> Vec<u8> {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        (0..70_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn the_slice8_crc32_is_crc32fast() {
        let data = data();
        for len in [0, 1, 2, 3, 15, 16, 17, 255, 4096, 70_000] {
            assert_eq!(!slice8(!0, &data[..len]), crc32fast::hash(&data[..len]), "{len} bytes");
        }
        assert_eq!(!slice8(!0, b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn a_checksum_in_pieces_is_the_checksum_of_the_whole() {
        let data = data();
        for cut in [0, 1, 7, 8, 9, 4095, 69_999, 70_000] {
            let mut h = Crc32::new();
            h.update(&data[..cut]);
            h.update(&data[cut..]);
            assert_eq!(h.finish(), crc32(&data), "cut at {cut}");
            // The slice-by-8 register carries over pieces the same way.
            assert_eq!(!slice8(slice8(!0, &data[..cut]), &data[cut..]), crc32(&data));
        }
    }
}
