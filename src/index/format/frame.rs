//! The frame of every index and shard file: header, section table, the
//! sections, footer (layout in `docs/format.md`, "Frame").

use super::crc::crc32;
use super::section::{Section, SECTIONS};
use super::varint::get_uint;
use crate::index::error::IndexError;

/// The first eight bytes of every index file.
pub const MAGIC: [u8; 8] = *b"DTLNIDX\0";
/// The last eight bytes of every index file.
pub const END_MAGIC: [u8; 8] = *b"DTLNEND\0";
/// The format version this code writes and reads. Bump it on any change of
/// layout; readers reject every other version.
pub const VERSION: u32 = 5;
/// Size of the header: magic (8), version (4), section count (4), file length (8).
pub const HEADER_LEN: usize = 24;
/// Size of one section-table row: id (4), crc32 (4), offset (8), length (8).
pub const SECTION_ROW_LEN: usize = 24;
/// Size of the footer: crc32 of header + section table (4), reserved (4), end magic (8).
pub const FOOTER_LEN: usize = 16;

/// One row of the section table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// Which section.
    pub section: Section,
    /// CRC-32 of its bytes.
    pub crc: u32,
    /// Where it starts, from the start of the file.
    pub offset: u64,
    /// Its length in bytes.
    pub len: u64,
}

/// The header and section table of a file of `total` bytes (footer
/// included) whose sections are `rows`, in file order.
pub(crate) fn header(magic: &[u8; 8], rows: &[Row], total: u64) -> Vec<u8> {
    let mut head = Vec::with_capacity(HEADER_LEN + rows.len() * SECTION_ROW_LEN);
    head.extend_from_slice(magic);
    head.extend_from_slice(&VERSION.to_le_bytes());
    head.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    head.extend_from_slice(&total.to_le_bytes());
    for r in rows {
        head.extend_from_slice(&(r.section as u32).to_le_bytes());
        head.extend_from_slice(&r.crc.to_le_bytes());
        head.extend_from_slice(&r.offset.to_le_bytes());
        head.extend_from_slice(&r.len.to_le_bytes());
    }
    head
}

/// The footer that follows the sections: it checksums `head` (the header
/// and section table).
pub(crate) fn footer(head: &[u8]) -> [u8; FOOTER_LEN] {
    let mut f = [0u8; FOOTER_LEN];
    f[..4].copy_from_slice(&crc32(head).to_le_bytes());
    // f[4..8]: reserved, zero.
    f[8..].copy_from_slice(&END_MAGIC);
    f
}

/// A whole framed file holding `sections` (in that order).
pub(crate) fn frame(magic: &[u8; 8], sections: &[(Section, &[u8])]) -> Vec<u8> {
    let body: usize = sections.iter().map(|s| s.1.len()).sum();
    let head_len = HEADER_LEN + sections.len() * SECTION_ROW_LEN;
    let mut out = vec![0u8; head_len];
    out.reserve(body + FOOTER_LEN);
    let mut rows = Vec::with_capacity(sections.len());
    for &(section, b) in sections {
        let offset = out.len() as u64;
        rows.push(Row { section, crc: crc32(b), offset, len: b.len() as u64 });
        out.extend_from_slice(b);
    }
    let head = header(magic, &rows, (out.len() + FOOTER_LEN) as u64);
    out[..head_len].copy_from_slice(&head);
    out.extend_from_slice(&footer(&head));
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
