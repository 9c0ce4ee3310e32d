//! Why an index could not be written or read.

use std::fmt;

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
    /// fetch the shards [`Index::wanted`](crate::index::Index::wanted) lists, give each to
    /// [`Index::add_shard`](crate::index::Index::add_shard), and call again.
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
