//! The index: its on-disk format, the writer and a zero-copy reader.
//!
//! One file, `index.dtl`, holds everything the explorer needs: the term
//! dictionary, postings with positions and per-field frequencies, field
//! lengths, dates, and the entry table that result cards are drawn from.
//! A large index is split ([`sharder`]) into a small root and shards that a
//! browser fetches as queries need them (see "Sharded indexes" below).
//! The same layout is described, with rationale, in `docs/format.md`; each
//! decoder in [`reader`] repeats the layout of the bytes it reads.
//!
//! # Frame
//!
//! All integers are little-endian. `varint` is unsigned LEB128.
//!
//! ```text
//! header   magic "DTLNIDX\0" (8) | version u32 | section count u32 | file length u64
//! table    count × { id u32 | crc32 u32 | offset u64 | length u64 }   (offsets from file start)
//! sections the bytes of each section, in table order, back to back
//! footer   crc32 of header+table u32 | reserved u32 (0) | "DTLNEND\0" (8)
//! ```
//!
//! A reader checks the magic, the version ([`IndexError::Version`]), the
//! file length ([`IndexError::Truncated`]), the footer, the table checksum
//! and the CRC32 of every section ([`IndexError::ChecksumMismatch`]) before
//! it trusts a byte; every length and offset read afterwards is bounds
//! checked and turns into [`IndexError::Corrupt`], never a panic.
//!
//! # Sections
//!
//! | id | name | contents |
//! |---:|------|----------|
//! | 1 | `meta` | counts, title, time zone, per-field length totals, entry block size |
//! | 2 | `terms` | `fst::Map`: term → ordinal (the value is an ordinal, not a payload) |
//! | 3 | `term_info` | fixed-width rows per ordinal: postings offset, document frequency |
//! | 4 | `postings` | per ordinal: skip table, doc/frequency blocks, position blocks |
//! | 5 | `prefix_terms` | `fst::Map`: 1–3-character prefix → offset into `prefix_lists` |
//! | 6 | `prefix_lists` | the top terms (by document frequency) of each crowded prefix |
//! | 7 | `norms` | 4 bytes per entry: quantized length of each field |
//! | 8 | `dates` | 8 bytes per entry: local day, minute, UTC offset |
//! | 9 | `days` | one row per day: first id of the day (ids run in date order) |
//! | 10 | `authors` | sorted author names, entry counts, lengths of their id lists |
//! | 11 | `files` | sorted source-file names |
//! | 12 | `entry_offsets` | u64 offset of each entry block, plus the end |
//! | 13 | `entries` | entry records in blocks of `entry_block` entries |
//! | 14 | `author_lists` | each author's entry ids, delta-coded |
//! | 15 | `shards` | (a sharded root only) the directory of its shards |
//! | 16 | `directory` | (a directory-page shard only) keys and ids of pieces |
//!
//! # Sharded indexes
//!
//! Everything per entry is addressed by id and everything per term by
//! ordinal, so [`split`] cuts a written index without re-encoding a record:
//! the root (`index.dtl`: meta, prefix_terms, days, authors, files, shards)
//! and shard files `shards/<16 hex digits>.dtl` named by the first 8 bytes of
//! their SHA-256 (frame magic `DTLNSHD\0`). Dictionary pieces hold a key
//! range's own fst (values stay global ordinals) and its term_info rows;
//! postings, prefix_lists, author_lists, norms, dates and entries are cut at
//! record boundaries into pieces, addressed by a key (the byte offset in the
//! whole section; for entries, the block number), listed in directory pages
//! that the root lists. [`Index::open`] on a root loads nothing else; a call
//! that needs an absent piece fails with [`IndexError::NotLoaded`] after
//! recording it, so the caller fetches [`Index::wanted`], gives each to
//! [`Index::add_shard`] and calls again. The layout is in `shards.rs`.
//!
//! Fields indexed: `title` (0), `body` (1), `captions` (2: media captions
//! and credits), `authors` (3). Terms come from [`crate::text::words`].
//!
//! # Postings
//!
//! ```text
//! list:         [skip table if df > 128] | doc blocks | position blocks (128 docs a block)
//! skip row:     last doc delta varint | doc block bytes varint | position block bytes varint
//! doc block:    bd u8 | bt u8 | n×bd bits doc gaps − 1 | n×1 bit "once, in the body"
//!               | 4-bit field mask per other doc | bt bits tf − 1 per (other doc, field)
//! position blk: k u8 | Rice(k) per doc, per field, tf values (first position, then gap − 1)
//! ```
//!
//! Doc gaps and frequencies are frame-of-reference bit-packed (one width per
//! block): fast to decode, small for frequent terms. Positions, read only by
//! phrase queries, are Rice-coded with the best parameter per block.

use std::fmt;

pub mod format;
pub(crate) mod fst_check;
pub mod reader;
pub mod sharder;
pub(crate) mod shards;
pub mod tops;
pub mod writer;

pub use format::{parse_shard_name, shard_name, ShardId};
pub use reader::{AuthorCount, EntryRecord, Index, Stats};
pub(crate) use reader::{PostingCursor, Postings};
pub use sharder::{split, ShardOptions};
pub use writer::{write, write_with, write_with_progress, Options, Progress};

/// What the writer stores about the corpus besides its entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    /// The corpus title (the live blog's name), if known.
    pub title: Option<String>,
    /// The IANA time zone the corpus's days and hours are in.
    pub timezone: String,
}

/// Why an index could not be written or read. Every message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// The data does not start with the index magic bytes.
    BadMagic,
    /// The file was written by another format version.
    Version {
        /// The version this program reads.
        expected: u32,
        /// The version in the file.
        got: u32,
    },
    /// The data is shorter than the header says (or than any index can be).
    Truncated {
        /// The length the file should have (bytes).
        expected: u64,
        /// The length it has.
        got: u64,
    },
    /// A section's (or the header's) CRC32 does not match its bytes.
    ChecksumMismatch {
        /// Which section (`header` for the header and section table).
        section: &'static str,
        /// The checksum stored in the file.
        expected: u32,
        /// The checksum of the bytes.
        got: u32,
    },
    /// A section is missing, or its contents do not decode.
    Corrupt {
        /// Which section.
        section: &'static str,
        /// What was wrong with it.
        what: &'static str,
    },
    /// Part of a sharded index that this call needs is not loaded yet:
    /// fetch the shards [`Index::wanted`] lists, give each to
    /// [`Index::add_shard`], and call again.
    NotLoaded,
    /// The writer was given entries it cannot index.
    InvalidInput {
        /// What is wrong with them.
        what: String,
    },
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexError::BadMagic => write!(
                f,
                "not a dateline index (wrong magic bytes): point --index at the index.dtl \
                 written by `dateline build`"
            ),
            IndexError::Version { expected, got } => write!(
                f,
                "index format version {got} is not supported (this dateline reads version \
                 {expected}): rebuild the index with this version of dateline"
            ),
            IndexError::Truncated { expected, got } => write!(
                f,
                "index file is truncated ({got} bytes, expected {expected}): the copy or \
                 download was cut short; copy it again or rebuild it with `dateline build`"
            ),
            IndexError::ChecksumMismatch { section, expected, got } => write!(
                f,
                "index section `{section}` is damaged (crc32 {got:08x}, expected {expected:08x}): \
                 rebuild the index with `dateline build`"
            ),
            IndexError::Corrupt { section, what } => write!(
                f,
                "index section `{section}` is corrupt ({what}): rebuild the index with this \
                 version of dateline"
            ),
            IndexError::NotLoaded => write!(
                f,
                "part of this sharded index is not loaded yet: fetch the shards that `wanted()` \
                 lists, add them with `add_shard`, and ask again"
            ),
            IndexError::InvalidInput { what } => {
                write!(f, "cannot index these entries: {what}; re-run ingestion")
            }
        }
    }
}

impl std::error::Error for IndexError {}
