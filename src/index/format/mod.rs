//! The index format's layout, and nothing else: constants, the section
//! catalogue, the frame, varints, a bounds-checked byte cursor, bit streams
//! and Rice codes, the field-length quantizer, CRC-32 and shard names.
//!
//! The specification is `docs/format.md`. The writer ([`crate::index::write`])
//! and the reader ([`crate::index::Index`]) build on these pieces; each
//! decoder carries the layout of the bytes it reads above it.

mod bits;
mod crc;
mod cursor;
mod frame;
mod norms;
mod section;
mod shards;
mod varint;

pub use bits::{best_rice, bits, BitReader, BitWriter, RICE_ESCAPE};
pub use crc::{crc32, Crc32};
pub use cursor::Cursor;
pub(crate) use frame::{footer, frame, header, read_frame, Row};
pub use frame::{END_MAGIC, FOOTER_LEN, HEADER_LEN, MAGIC, SECTION_ROW_LEN, VERSION};
pub use norms::Norms;
pub use section::{term_info_widths, Section, SECTIONS};
pub use shards::{parse_shard_name, shard_name, ShardId, ROOT, SHARD_MAGIC, SPLIT};
pub use varint::{get_uint, get_varint, put_str, put_uint, put_varint, width_of};

pub use crate::model::fields::{
    FIELDS, FIELD_AUTHORS, FIELD_BODY, FIELD_CAPTIONS, FIELD_NAMES, FIELD_TITLE,
};

/// Documents per postings block (the unit of skipping).
pub const POSTING_BLOCK: usize = 128;
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
/// Bit of an entry record's flags byte: the record ends with the entry's URL.
pub const FLAG_URL: u8 = 1;
/// Bit of an entry record's flags byte: each source carries its item number.
pub const FLAG_ITEMS: u8 = 2;
