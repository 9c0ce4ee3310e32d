//! The zero-copy reader. [`Index::open`] checks the frame and every
//! section's checksum, decodes the small tables (meta, days, authors,
//! files), and keeps the rest as byte ranges into the caller's buffer:
//! postings and entry records are decoded on demand.
//!
//! - [`tables`]: opening — meta, days, authors, files, section sizes;
//! - [`terms`]: the dictionary, term-info rows, prefixes, postings, tops, norms;
//! - [`entries`]: entry records, result cards, dates, day ranges, author lists;
//! - [`stats`]: figures for the header and `dateline build`;
//! - [`shards`]: the directory of a sharded index and the pieces loaded.
//!
//! Each decoder documents the layout it reads; the specification is
//! `docs/format.md`.

use std::ops::Range;

use crate::index::error::IndexError;
use crate::index::format::{read_frame, Cursor, Section, ShardId, FIELDS, MAGIC, ROOT, SECTIONS};

mod entries;
pub(crate) mod shards;
mod stats;
mod tables;
mod terms;

pub use entries::EntryRecord;
use shards::Shards;
pub use stats::{AuthorCount, Stats};
use tables::AuthorRow;

/// A read index over bytes `D` (a `Vec<u8>`, a `&[u8]`, a memory map…).
/// Nothing is copied out of `D` except a few small tables.
pub struct Index<D: AsRef<[u8]> = Vec<u8>> {
    data: D,
    sections: [Range<usize>; SECTIONS.len()],
    /// The directory and loaded pieces of a sharded index (`None`: one file).
    shards: Option<Box<Shards>>,
    pub(crate) n_entries: u32,
    pub(crate) n_dated: u32,
    pub(crate) n_terms: u32,
    pub(crate) entry_block: u32,
    pub(crate) avg_len: [f32; FIELDS],
    title: Option<String>,
    timezone: String,
    /// (day, first id) per day with entries, ascending.
    pub(crate) days: Vec<(i32, u32)>,
    pub(crate) authors: Vec<AuthorRow>,
    files: std::sync::OnceLock<Vec<String>>,
    /// Decoded length of each norm code.
    pub(crate) norm_len: [u32; 256],
}

impl<D: AsRef<[u8]>> std::fmt::Debug for Index<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("bytes", &self.data.as_ref().len())
            .field("entries", &self.n_entries)
            .field("terms", &self.n_terms)
            .finish()
    }
}

fn corrupt(section: Section, what: &'static str) -> IndexError {
    IndexError::Corrupt { section: section.name(), what }
}

impl<D: AsRef<[u8]>> Index<D> {
    /// Opens an index — a whole single-file index, or the root of a sharded
    /// one — checking everything that can be checked up front (the frame
    /// layout is in `docs/format.md` and above `format::read_frame`).
    pub fn open(data: D) -> Result<Index<D>, IndexError> {
        let table = read_frame(data.as_ref(), &MAGIC)?;
        let sharded = table[Section::Shards.index()].is_some();
        let single = SECTIONS[..14].iter().chain(std::iter::once(&Section::Tops));
        let required: Vec<&Section> =
            if sharded { ROOT.iter().collect() } else { single.collect() };
        let mut ranges: [Range<usize>; SECTIONS.len()] = Default::default();
        for &s in required {
            ranges[s.index()] = table[s.index()]
                .clone()
                .ok_or(IndexError::Corrupt { section: s.name(), what: "section missing" })?;
        }
        let mut ix = Index {
            data,
            sections: ranges,
            shards: None,
            n_entries: 0,
            n_dated: 0,
            n_terms: 0,
            entry_block: 1,
            avg_len: [0.0; FIELDS],
            title: None,
            timezone: String::new(),
            days: Vec::new(),
            authors: Vec::new(),
            files: std::sync::OnceLock::new(),
            norm_len: [0; 256],
        };
        ix.load_tables()?;
        Ok(ix)
    }

    pub(crate) fn section(&self, s: Section) -> &[u8] {
        let r = &self.sections[s.index()];
        self.data.as_ref().get(r.clone()).unwrap_or(&[])
    }

    fn cursor(&self, s: Section) -> Cursor<'_> {
        Cursor::new(self.section(s), s)
    }

    /// The raw bytes of the index (of the root, when it is sharded).
    pub fn bytes(&self) -> &[u8] {
        self.data.as_ref()
    }

    /// Number of entries.
    pub fn len(&self) -> u32 {
        self.n_entries
    }

    /// Whether the index holds no entries.
    pub fn is_empty(&self) -> bool {
        self.n_entries == 0
    }

    /// The corpus title.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The corpus time zone.
    pub fn timezone(&self) -> &str {
        &self.timezone
    }

    /// Byte length of each section, by name, in id order.
    pub fn section_sizes(&self) -> Vec<(&'static str, usize)> {
        SECTIONS.iter().map(|s| (s.name(), self.sections[s.index()].len())).collect()
    }

    /// The bytes of each section, by name, in id order.
    pub fn section_bytes(&self) -> Vec<(&'static str, &[u8])> {
        SECTIONS.iter().map(|s| (s.name(), self.section(*s))).collect()
    }

    /// Whether this is the root of a sharded index.
    pub fn is_sharded(&self) -> bool {
        self.shards.is_some()
    }

    /// The shards that the calls since the last `wanted()` needed and did
    /// not find loaded (a sharded index; empty otherwise), and forgets them.
    /// Fetch them (`shards/<hex>.dtl`, see [`shard_name`](crate::index::shard_name)), give each to
    /// [`Index::add_shard`], and repeat the call.
    pub fn wanted(&self) -> Vec<ShardId> {
        self.shards.as_ref().map(|s| s.take_wants()).unwrap_or_default()
    }

    /// A mark in the list of wanted shards, for [`Index::forget_wants_since`].
    pub(crate) fn wants_mark(&self) -> usize {
        self.shards.as_ref().map_or(0, |s| s.wants_len())
    }

    /// Forgets the shards wanted since `mark`: the caller answers without
    /// them (a first page shown before the counts that need whole lists).
    pub(crate) fn forget_wants_since(&self, mark: usize) {
        if let Some(s) = &self.shards {
            s.forget_wants_since(mark);
        }
    }

    /// Whether a call since the last [`Index::wanted`] needed a shard that
    /// is not loaded (its result is then incomplete and must not be shown).
    pub fn needs_shards(&self) -> bool {
        self.shards.as_ref().is_some_and(|s| s.has_wants())
    }

    /// Loads one shard of a sharded index: `file` is the content of
    /// `shards/<hex of id>.dtl`. `Ok(false)` if it was loaded already.
    /// The caller checks that the bytes hash to `id` (the engine does not
    /// carry SHA-256); this checks the frame, the checksums and that the
    /// shard is the piece the directory lists.
    pub fn add_shard(&mut self, id: &ShardId, file: &[u8]) -> Result<bool, IndexError> {
        let (n_terms, n, block) = (self.n_terms, self.n_entries as u64, self.entry_block as u64);
        // The dates an entries piece carries: 8 bytes per entry of its block.
        let block_dates = |k: u64| n.saturating_sub(k.saturating_mul(block)).min(block) * 8;
        match self.shards.as_mut() {
            Some(sh) => sh.add(id, file, n_terms, block_dates),
            None => Err(IndexError::Corrupt {
                section: "shards",
                what: "this index is one file and has no shards",
            }),
        }
    }

    /// Shards loaded so far, and their bytes.
    pub fn loaded_shards(&self) -> (usize, u64) {
        self.shards.as_ref().map_or((0, 0), |s| s.loaded)
    }

    /// The piece of section `s` that holds `key` (a byte offset, or for a
    /// sharded `entries` the block number): its first key and its bytes.
    /// A single file's section is one piece.
    fn piece(&self, s: Section, key: u64) -> Result<(u64, &[u8]), IndexError> {
        match &self.shards {
            Some(sh) => sh.piece(s, key),
            None => Ok((0, self.section(s))),
        }
    }

    /// The bytes `range` of section `s` (they never straddle two pieces).
    fn slice(&self, s: Section, range: Range<u64>) -> Result<&[u8], IndexError> {
        let (start, b) = self.piece(s, range.start)?;
        usize::try_from(range.start - start)
            .ok()
            .zip(usize::try_from(range.end.saturating_sub(start)).ok())
            .and_then(|(a, e)| b.get(a..e))
            .ok_or_else(|| corrupt(s, "a record lies outside its piece"))
    }
}
