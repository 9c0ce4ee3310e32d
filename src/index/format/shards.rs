//! What a sharded index looks like from outside: the shard frame magic,
//! shard names, and which sections the root keeps and which are cut into
//! pieces (the directory's own layout is decoded in the reader).

use super::section::Section;

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
/// The sections a sharded index cuts into pieces (the dictionary aside).
pub const SPLIT: [Section; 8] = [
    Section::Postings,
    Section::Tops,
    Section::PrefixLists,
    Section::AuthorLists,
    Section::Norms,
    Section::Dates,
    Section::Entries,
    Section::Files,
];

/// The sections a sharded root holds itself.
pub const ROOT: [Section; 5] =
    [Section::Meta, Section::PrefixTerms, Section::Days, Section::Authors, Section::Shards];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_names_round_trip() {
        let id: ShardId = [0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff];
        assert_eq!(shard_name(&id), "00017f80abcdefff");
        assert_eq!(parse_shard_name(&shard_name(&id)), Some(id));
        assert_eq!(parse_shard_name("00017f80abcdeff"), None);
        assert_eq!(parse_shard_name("00017f80abcdefgg"), None);
    }
}
