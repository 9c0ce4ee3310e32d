//! The section catalogue: the ids a section table stores, their names, and
//! the one layout helper the reader and the sharder share (the column
//! widths at the head of a `term_info` table).

use crate::index::error::IndexError;

/// The sections of an index file. The numeric id is what the section table
/// stores (the writer lays the sections out in another order, see
/// `docs/format.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Section {
    /// Title, time zone, counts, field-length totals, block size.
    Meta = 1,
    /// The term dictionary: an `fst::Map` from term to ordinal.
    Terms = 2,
    /// Packed term-info table: postings offset, document frequency and top
    /// offset per ordinal.
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
    /// term-info table.
    Tops = 17,
}

/// Every section, in id order.
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

/// The three column widths at the head of a term-info table (or of a
/// dictionary piece's rows): postings offset, document frequency, top offset.
///
/// ```text
/// term_info: ow u8 (1..=8) | dw u8 (1..=8) | tw u8 (0..=8: 0 without tops) | rows × (ow + dw + tw) bytes
/// ```
pub fn term_info_widths(ti: &[u8]) -> Result<(usize, usize, usize), IndexError> {
    match ti {
        [ow @ 1..=8, dw @ 1..=8, tw @ 0..=8, ..] => Ok((*ow as usize, *dw as usize, *tw as usize)),
        _ => Err(IndexError::Corrupt { section: Section::TermInfo.name(), what: "widths" }),
    }
}
