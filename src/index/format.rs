//! Low-level pieces of the index format shared by the writer and the reader:
//! constants, the section catalogue, the file frame (header, section table,
//! footer), varints, a bounds-checked byte cursor and the field-length
//! quantizer. The layout itself is documented in [`crate::index`] and in
//! `docs/format.md`; each decoder carries the layout it reads above it.

use super::IndexError;

/// The first eight bytes of every index file.
pub const MAGIC: [u8; 8] = *b"DTLNIDX\0";
/// The last eight bytes of every index file.
pub const END_MAGIC: [u8; 8] = *b"DTLNEND\0";
/// The format version this code writes and reads. Bump it on any change of
/// layout; readers reject every other version.
pub const VERSION: u32 = 3;
/// Size of the header: magic (8), version (4), section count (4), file length (8).
pub const HEADER_LEN: usize = 24;
/// Size of one section-table row: id (4), crc32 (4), offset (8), length (8).
pub const SECTION_ROW_LEN: usize = 24;
/// Size of the footer: crc32 of header + section table (4), reserved (4), end magic (8).
pub const FOOTER_LEN: usize = 16;
/// Documents per postings block (the unit of skipping).
pub const POSTING_BLOCK: usize = 128;
pub use crate::model::fields::{
    FIELDS, FIELD_AUTHORS, FIELD_BODY, FIELD_CAPTIONS, FIELD_NAMES, FIELD_TITLE,
};
/// Position gap between paragraphs (and captions, authors) of one field, so
/// that a phrase never runs across two of them.
pub const POSITION_GAP: u32 = 1;
/// How many top terms (by document frequency) the prefix table keeps.
pub const PREFIX_TOP_N: usize = 32;
/// The prefix table covers prefixes of 1 ..= this many characters.
pub const PREFIX_MAX_CHARS: usize = 3;
/// Encoded `day` of an undated entry in the dates table.
pub const NO_DAY: i32 = i32::MIN;
/// Encoded `minute` of a day-precision entry in the dates table.
pub const NO_MINUTE: u16 = u16::MAX;

/// The sections of an index file. The numeric id is what the section table
/// stores; the order here is the order the writer lays them out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Section {
    /// Title, time zone, counts, field-length totals, block size.
    Meta = 1,
    /// The term dictionary: an `fst::Map` from term to ordinal.
    Terms = 2,
    /// Packed term-info table: document frequency and postings offset per ordinal.
    TermInfo = 3,
    /// Postings lists, addressed by the term-info table.
    Postings = 4,
    /// An `fst::Map` from short prefixes to offsets into `PrefixLists`.
    PrefixTerms = 5,
    /// Top terms (ordinals) of each short prefix, by document frequency.
    PrefixLists = 6,
    /// Quantized field lengths, `FIELDS` bytes per entry.
    Norms = 7,
    /// Publication time, 8 bytes per entry.
    Dates = 8,
    /// Per-day id ranges: ids are in date order, so a day is an id range.
    Days = 9,
    /// Author string table: names, entry counts, lengths of the id lists.
    Authors = 10,
    /// Source-file string table.
    Files = 11,
    /// Byte offsets of the entry blocks.
    EntryOffsets = 12,
    /// Entry records in blocks of `entry_block` entries.
    Entries = 13,
    /// Each author's entry ids, delta-coded, in author-table order.
    AuthorLists = 14,
    /// A sharded root's directory: dictionary pieces and the pages of the
    /// other split sections.
    Shards = 15,
    /// One page of a split section's directory (only in shard files).
    Directory = 16,
    /// Each term's best entries and their scores, addressed by the
    /// term-info table (version 3).
    Tops = 17,
}

/// Every section, in layout order.
pub const SECTIONS: [Section; 17] = [
    Section::Meta,
    Section::Terms,
    Section::TermInfo,
    Section::Postings,
    Section::PrefixTerms,
    Section::PrefixLists,
    Section::Norms,
    Section::Dates,
    Section::Days,
    Section::Authors,
    Section::Files,
    Section::EntryOffsets,
    Section::Entries,
    Section::AuthorLists,
    Section::Shards,
    Section::Directory,
    Section::Tops,
];

impl Section {
    /// The section with this id, if any.
    pub fn from_id(id: u32) -> Option<Section> {
        SECTIONS.iter().copied().find(|s| *s as u32 == id)
    }

    /// A short lowercase name, used in errors.
    pub fn name(self) -> &'static str {
        match self {
            Section::Meta => "meta",
            Section::Terms => "terms",
            Section::TermInfo => "term_info",
            Section::Postings => "postings",
            Section::PrefixTerms => "prefix_terms",
            Section::PrefixLists => "prefix_lists",
            Section::Norms => "norms",
            Section::Dates => "dates",
            Section::Days => "days",
            Section::Authors => "authors",
            Section::Files => "files",
            Section::EntryOffsets => "entry_offsets",
            Section::Entries => "entries",
            Section::AuthorLists => "author_lists",
            Section::Shards => "shards",
            Section::Directory => "directory",
            Section::Tops => "tops",
        }
    }

    /// Index of the section in [`SECTIONS`].
    pub fn index(self) -> usize {
        self as usize - 1
    }
}

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

/// The checksum of a section: CRC-32 (IEEE), as `crc32fast::hash`.
pub fn crc32(b: &[u8]) -> u32 {
    #[cfg(not(target_arch = "wasm32"))]
    return crc32fast::hash(b);
    #[cfg(target_arch = "wasm32")]
    return crc32_slice8(b);
}

/// CRC-32 eight bytes at a time (slice-by-8), with its tables built at
/// the first call (8 KB of memory, microseconds) rather than shipped: the
/// wasm module then carries no table, where crc32fast's slice-by-16 table
/// is 16 KB of incompressible data, a tenth of the module gzipped. Native
/// builds keep crc32fast (SIMD).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn crc32_slice8(b: &[u8]) -> u32 {
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
    let mut crc = !0u32;
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
    !crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_slice8_crc32_is_crc32fast() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let data: Vec<u8> = (0..70_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for len in [0, 1, 2, 3, 15, 16, 17, 255, 4096, 70_000] {
            assert_eq!(
                super::crc32_slice8(&data[..len]),
                crc32fast::hash(&data[..len]),
                "{len} bytes"
            );
        }
        assert_eq!(super::crc32_slice8(b"123456789"), 0xCBF4_3926);
    }

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

/// The first eight bytes of a shard file (a piece of a sharded index).
pub const SHARD_MAGIC: [u8; 8] = *b"DTLNSHD\0";

/// A shard's name: the first 8 bytes of the SHA-256 of its bytes, written
/// as 16 hex digits in file names (`shards/<hex>.dtl`).
pub type ShardId = [u8; 8];

/// The file name stem of a shard: its id in lowercase hex.
pub fn shard_name(id: &ShardId) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses a shard name (16 hex digits) back into its id.
pub fn parse_shard_name(name: &str) -> Option<ShardId> {
    let b = name.as_bytes();
    if b.len() != 16 {
        return None;
    }
    let mut id = [0u8; 8];
    for (i, out) in id.iter_mut().enumerate() {
        let hex = std::str::from_utf8(&b[2 * i..2 * i + 2]).ok()?;
        *out = u8::from_str_radix(hex, 16).ok()?;
    }
    Some(id)
}

/// Fills in the header and section table of `out` (which starts with room
/// for them; rows are `(section, offset, length)` in file order) and
/// appends the footer.
pub(crate) fn finish_frame(out: &mut Vec<u8>, rows: &[(Section, usize, usize)], magic: &[u8; 8]) {
    let total = out.len() + FOOTER_LEN;
    let mut head = Vec::with_capacity(HEADER_LEN + rows.len() * SECTION_ROW_LEN);
    head.extend_from_slice(magic);
    head.extend_from_slice(&VERSION.to_le_bytes());
    head.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    head.extend_from_slice(&(total as u64).to_le_bytes());
    for &(s, at, len) in rows {
        head.extend_from_slice(&(s as u32).to_le_bytes());
        head.extend_from_slice(&crc32(&out[at..at + len]).to_le_bytes());
        head.extend_from_slice(&(at as u64).to_le_bytes());
        head.extend_from_slice(&(len as u64).to_le_bytes());
    }
    out[..head.len()].copy_from_slice(&head);
    let head_crc = crc32(&head);
    out.extend_from_slice(&head_crc.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&END_MAGIC);
}

/// A whole framed file holding `sections` (in that order).
pub(crate) fn frame(magic: &[u8; 8], sections: &[(Section, &[u8])]) -> Vec<u8> {
    let body: usize = sections.iter().map(|s| s.1.len()).sum();
    let mut out = vec![0u8; HEADER_LEN + sections.len() * SECTION_ROW_LEN];
    out.reserve(body + FOOTER_LEN);
    let mut rows = Vec::with_capacity(sections.len());
    for (s, b) in sections {
        rows.push((*s, out.len(), b.len()));
        out.extend_from_slice(b);
    }
    finish_frame(&mut out, &rows, magic);
    out
}

/// Where each section of a framed file lies (`None`: absent).
pub(crate) type SectionTable = [Option<std::ops::Range<usize>>; SECTIONS.len()];

/// Checks a framed file (an index, or a shard with `SHARD_MAGIC`) and
/// returns where its sections are.
///
/// ```text
/// header  [0..8) magic | [8..12) version u32 | [12..16) section count u32
///         | [16..24) file length u64
/// table   count × 24 bytes: id u32 | crc32 u32 | offset u64 | length u64
/// footer  last 16 bytes: crc32(header + table) u32 | 0u32 | "DTLNEND\0"
/// ```
///
/// Sections with ids this version does not know are skipped (after their
/// checksum); a known section may appear once.
pub(crate) fn read_frame(b: &[u8], magic: &[u8; 8]) -> Result<SectionTable, IndexError> {
    let len = b.len() as u64;
    let magic_seen = b.len().min(magic.len());
    if b[..magic_seen] != magic[..magic_seen] {
        return Err(IndexError::BadMagic);
    }
    if b.len() < HEADER_LEN + FOOTER_LEN {
        return Err(IndexError::Truncated { expected: (HEADER_LEN + FOOTER_LEN) as u64, got: len });
    }
    let version = get_uint(b, 8, 4).unwrap_or(0) as u32;
    if version != VERSION {
        return Err(IndexError::Version { expected: VERSION, got: version });
    }
    let count = get_uint(b, 12, 4).unwrap_or(0) as usize;
    let file_len = get_uint(b, 16, 8).unwrap_or(0);
    if file_len > len {
        return Err(IndexError::Truncated { expected: file_len, got: len });
    }
    if file_len < len {
        return Err(IndexError::Corrupt {
            section: "header",
            what: "bytes after the footer; the header's file length is wrong",
        });
    }
    let foot = b.len() - FOOTER_LEN;
    if b[b.len() - 8..] != END_MAGIC {
        return Err(IndexError::Corrupt { section: "footer", what: "end magic missing" });
    }
    if get_uint(b, foot + 4, 4) != Some(0) {
        return Err(IndexError::Corrupt { section: "footer", what: "reserved field is not zero" });
    }
    let table_end = count
        .checked_mul(SECTION_ROW_LEN)
        .and_then(|t| t.checked_add(HEADER_LEN))
        .filter(|&e| e <= foot)
        .ok_or(IndexError::Corrupt { section: "header", what: "section count too large" })?;
    let stored = get_uint(b, foot, 4).unwrap_or(0) as u32;
    let got = crc32(&b[..table_end]);
    // Fuzzing builds (`cargo fuzz` sets `cfg(fuzzing)`) skip the checksums,
    // so that mutated bytes reach the decoders behind them.
    if stored != got && !cfg!(fuzzing) {
        return Err(IndexError::ChecksumMismatch { section: "header", expected: stored, got });
    }
    let mut sections: SectionTable = Default::default();
    for i in 0..count {
        let row = HEADER_LEN + i * SECTION_ROW_LEN;
        let id = get_uint(b, row, 4).unwrap_or(0) as u32;
        let crc = get_uint(b, row + 4, 4).unwrap_or(0) as u32;
        let off = get_uint(b, row + 8, 8).unwrap_or(u64::MAX);
        let slen = get_uint(b, row + 16, 8).unwrap_or(u64::MAX);
        let name = Section::from_id(id).map_or("unknown", Section::name);
        let range = usize::try_from(off)
            .ok()
            .zip(usize::try_from(slen).ok())
            .and_then(|(o, l)| Some(o..o.checked_add(l)?))
            .filter(|r| r.start >= table_end && r.end <= foot)
            .ok_or(IndexError::Corrupt { section: name, what: "section lies outside the file" })?;
        let got = crc32(&b[range.clone()]);
        if got != crc && !cfg!(fuzzing) {
            return Err(IndexError::ChecksumMismatch { section: name, expected: crc, got });
        }
        if let Some(s) = Section::from_id(id) {
            if sections[s.index()].is_some() {
                return Err(IndexError::Corrupt {
                    section: s.name(),
                    what: "section appears twice",
                });
            }
            sections[s.index()] = Some(range);
        }
    }
    Ok(sections)
}
