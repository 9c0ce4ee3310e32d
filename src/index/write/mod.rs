//! The writer: builds an index file from entries. Deterministic: the same
//! entries and meta give byte-identical output (no hash-map iteration
//! order, no clocks, integer-only quantization).
//!
//! [`write_to`] runs in named phases, each in its own module:
//!
//! 1. check the entries' ids and date order ([`check_entries`]);
//! 2. [`invert`]: tokenize and invert them into per-term postings;
//! 3. [`dictionary`]: sort the terms, spill the finished lists, work out
//!    each term's top, and the `term_info` table that locates both;
//! 4. [`tables`]: the prefix table, dates and days, string tables, meta;
//! 5. [`layout`]: frame the sections, copy the postings from the spill and
//!    stream the entry table.
//!
//! The layouts written here are specified in `docs/format.md` and repeated
//! above their decoders in the reader.

use std::io::{Read, Seek, Write};

use crate::index::error::IndexError;
use crate::index::format::NO_DAY;
use crate::model::entry::Entry;

mod dictionary;
mod invert;
mod layout;
mod postings;
mod tables;

pub use invert::for_each_term;

/// What the writer stores about the corpus besides its entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    /// The corpus title (the live blog's name), if known.
    pub title: Option<String>,
    /// The IANA time zone the corpus's days and hours are in.
    pub timezone: String,
}

/// Entries per block of the entry table (a single-file index).
pub const ENTRY_BLOCK: u32 = 64;

/// Choices the writer leaves to its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Entries per block of the entry table: a result card reads one block.
    /// A sharded index fetches blocks one by one, so it wants small ones.
    pub entry_block: u32,
    /// Write a top (`crate::index::tops`) for every term. A sharded index
    /// wants them: a word's first page then comes from its top before its
    /// postings and norms are fetched. Otherwise only terms in more than
    /// [`TOP_N`](crate::index::tops::TOP_N) entries get one (where the floor
    /// spares scoring the rest); the reader scores a smaller list from its
    /// postings, to the same bits, and a small archive's index stays small.
    pub all_tops: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { entry_block: ENTRY_BLOCK, all_tops: false }
    }
}

/// How far the writer has got, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Tokenizing and inverting entries: `done` of `total`.
    Indexing {
        /// Entries done.
        done: usize,
        /// Entries in all.
        total: usize,
    },
    /// Laying out the sections (dictionary, postings, entry table).
    Writing,
}

/// Writes the index of `entries` (ids `0..n` in publication order, undated
/// last) with `meta`. See [`write_with_progress`].
pub fn write(entries: &[Entry], meta: &Meta) -> Result<Vec<u8>, IndexError> {
    write_with_progress(entries, meta, &mut |_| {})
}

fn invalid(what: String) -> IndexError {
    IndexError::InvalidInput { what }
}

fn fst_err(e: fst::Error) -> IndexError {
    invalid(format!("term dictionary: {e}"))
}

/// Writes the index of `entries` with `meta`, reporting progress to `progress`.
///
/// Entries must have ids `0..n` in order; dated entries must come first, in
/// non-decreasing day order (the publication order ingestion produces).
pub fn write_with_progress(
    entries: &[Entry],
    meta: &Meta,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<u8>, IndexError> {
    write_with(entries, meta, &Options::default(), progress)
}

/// Writes the index of `entries` with `meta` and `options`, reporting
/// progress to `progress`. See [`write_with_progress`]; [`write_to`] writes
/// to a file instead of memory.
pub fn write_with(
    entries: &[Entry],
    meta: &Meta,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<u8>, IndexError> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut spill = std::io::Cursor::new(Vec::new());
    match write_to(entries, meta, options, progress, &mut out, &mut spill) {
        Ok(_) => Ok(out.into_inner()),
        Err(WriteError::Index(e)) => Err(e),
        // Writing to a `Vec` fails only when memory runs out, which aborts first.
        Err(WriteError::Io(e)) => Err(invalid(format!("the index does not fit in memory ({e})"))),
    }
}

/// Why [`write_to`] failed.
#[derive(Debug)]
pub enum WriteError {
    /// The entries cannot be indexed.
    Index(IndexError),
    /// The output or the spill could not be written or read back.
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Index(e) => e.fmt(f),
            WriteError::Io(e) => {
                write!(f, "could not write the index ({e}): check that the disk has room and the directory is writable")
            }
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Index(e) => Some(e),
            WriteError::Io(e) => Some(e),
        }
    }
}

impl From<IndexError> for WriteError {
    fn from(e: IndexError) -> Self {
        WriteError::Index(e)
    }
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// Checks that `entries` can be indexed with `options` (ids `0..n` in
/// order; dated entries first, in non-decreasing day order) and returns
/// how many are dated.
fn check_entries(entries: &[Entry], options: &Options) -> Result<u32, IndexError> {
    if options.entry_block == 0 {
        return Err(invalid("the entry block size must be at least 1".to_string()));
    }
    let n = entries.len();
    if n >= u32::MAX as usize {
        return Err(invalid(format!("{n} entries is more than an index can hold")));
    }
    let mut n_dated = 0u32;
    let mut last_day = i32::MIN;
    for (i, e) in entries.iter().enumerate() {
        if e.id as usize != i {
            return Err(invalid(format!(
                "entry at position {i} has id {} (ids must be 0..n in order)",
                e.id
            )));
        }
        if let Some(p) = e.published {
            if n_dated as usize != i {
                return Err(invalid(format!("entry {i} is dated but follows an undated entry")));
            }
            if p.day < last_day {
                return Err(invalid(format!("entry {i} is dated before entry {}", i - 1)));
            }
            if p.day == NO_DAY {
                return Err(invalid(format!("entry {i} has an out-of-range day")));
            }
            last_day = p.day;
            n_dated += 1;
        }
    }
    Ok(n_dated)
}

/// Writes the index of `entries` with `meta` and `options` to `out`,
/// reporting progress to `progress`, and returns its length in bytes. The
/// bytes are those of [`write_with`]; nothing as large as the index is held
/// in memory: the entry table streams from the entries, and the postings
/// (a fifth of the index, written before the sections that locate them are
/// complete) go to `spill` and are copied to `out` from there. `spill` may
/// be an empty temporary file. Both are written from their current
/// positions (the index starts at `out`'s).
///
/// Where the platform has threads, two invert the entries (this one
/// tokenizes, a second builds the postings) and a second works out the
/// tops while this one finishes the lists; elsewhere (wasm) all runs here.
pub fn write_to<W: Write + Seek, S: Read + Write + Seek>(
    entries: &[Entry],
    meta: &Meta,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
    out: &mut W,
    spill: &mut S,
) -> Result<u64, WriteError> {
    let n_dated = check_entries(entries, options)?;
    let inv = invert::invert(entries, progress)?;
    let scoring = dictionary::Scoring {
        n_entries: entries.len() as u32,
        n_dated,
        norms: &inv.norms,
        field_totals: inv.field_totals,
    };
    let dict = dictionary::build(&inv.terms, inv.bufs, &scoring, options.all_tops, spill)?;
    let (prefix_terms, prefix_lists) = tables::prefix_table(&inv.terms, &dict.order, &dict.dfs)?;
    let n_terms = inv.terms.len() as u32;
    drop(inv.terms);
    let (dates, days) = tables::dates(entries, n_dated)?;
    let strings = tables::strings(entries);
    let counts = [entries.len() as u32, n_dated, n_terms, options.entry_block];
    let sections = layout::Sections {
        meta: tables::meta_section(counts, inv.field_totals, meta),
        terms: dict.terms_fst,
        term_info: dict.term_info,
        prefix_terms,
        prefix_lists,
        norms: inv.norms,
        tops: dict.tops,
        dates,
        days,
    };
    let postings = layout::Spilled { spill, start: dict.spill_start, len: dict.postings_len };
    layout::lay_out(out, sections, postings, strings, entries, options.entry_block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Seek, SeekFrom};

    /// The default corpus, as ingest gives it.
    struct Corpus {
        title: Option<String>,
        timezone: String,
        entries: Vec<Entry>,
    }

    fn corpus() -> Corpus {
        Corpus {
            title: Some("Russia-Ukraine updates (ABC News live blog)".into()),
            timezone: "America/New_York".into(),
            entries: crate::model::entry::corpus_entries(),
        }
    }

    #[test]
    fn write_to_gives_the_bytes_of_write_with_and_leaves_the_spill_before_it_alone() {
        let c = corpus();
        let meta = Meta { title: c.title.clone(), timezone: c.timezone.clone() };
        for entry_block in [64, 8, 1] {
            let opts = Options { entry_block, ..Options::default() };
            let want = write_with(&c.entries, &meta, &opts, &mut |_| {}).expect("writes");
            // An output and a spill that already hold bytes: both are
            // written from their positions.
            let mut out = Cursor::new(b"xyz".to_vec());
            out.seek(SeekFrom::End(0)).expect("seeks");
            let mut spill = Cursor::new(b"keep me".to_vec());
            spill.seek(SeekFrom::End(0)).expect("seeks");
            let len = write_to(&c.entries, &meta, &opts, &mut |_| {}, &mut out, &mut spill)
                .expect("writes");
            assert_eq!(len, want.len() as u64);
            let out = out.into_inner();
            assert!(
                out[..3] == *b"xyz" && out[3..] == want,
                "entry_block {entry_block}: write_to differs from write_with"
            );
            assert!(spill.into_inner().starts_with(b"keep me"));
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        let c = corpus();
        let meta = Meta::default();
        let mut out = Cursor::new(Vec::new());
        let mut spill = Cursor::new(Vec::new());
        let zero = Options { entry_block: 0, ..Options::default() };
        assert!(matches!(
            write_to(&c.entries, &meta, &zero, &mut |_| {}, &mut out, &mut spill),
            Err(WriteError::Index(IndexError::InvalidInput { .. }))
        ));
        let mut shuffled = c.entries.clone();
        shuffled.swap(0, 1);
        assert!(write_with(&shuffled, &meta, &Options::default(), &mut |_| {}).is_err());
    }
}
