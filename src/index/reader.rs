//! The zero-copy reader. [`Index::open`] checks the frame and every
//! section's checksum, decodes the small tables (meta, days, authors,
//! files), and keeps the rest as byte ranges into the caller's buffer:
//! postings and entry records are decoded on demand.
//!
//! Each decoder below documents the layout it reads.

use std::ops::Range;

use serde::Serialize;

use super::format::BitReader;
use super::format::*;
use super::fst_check;
use super::shards::Shards;
use super::tops::Top;
use super::IndexError;
use crate::model::date::{format_day, Published};
use crate::model::entry::{Entry, Media, Source};

/// An entry as read back from the index. It is the ingested [`Entry`]
/// itself, so it serializes with exactly the same JSON shape.
pub type EntryRecord = Entry;

/// An author and how many entries they wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorCount {
    /// The author's name as printed.
    pub name: String,
    /// Entries with this author in the byline.
    pub count: u32,
}

/// Figures about an index, for the explorer's header and `dateline build`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Entries in all.
    pub entries: u32,
    /// Distinct terms.
    pub terms: u32,
    /// Entries with a known day.
    pub dated: u32,
    /// Entries with an unknown date.
    pub undated: u32,
    /// First day with an entry (`YYYY-MM-DD`), if any is dated.
    pub first_day: Option<String>,
    /// Last day with an entry, if any is dated.
    pub last_day: Option<String>,
    /// The corpus title.
    pub title: Option<String>,
    /// The corpus time zone (IANA name).
    pub timezone: String,
    /// Authors by number of entries, most first (ties by name).
    pub authors: Vec<AuthorCount>,
    /// Size of the index file in bytes.
    pub index_bytes: u64,
}

/// The parts of an entry a result card shows.
pub(crate) struct Card {
    pub title: String,
    pub authors: Vec<String>,
    pub body: String,
}

/// One row of the author table, decoded at open.
#[derive(Debug, Clone)]
pub(crate) struct AuthorRow {
    pub name: String,
    pub count: u32,
    /// Byte range of the delta-coded id list in the `authors` section.
    pub ids: Range<usize>,
}

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
    /// Per-entry accumulators reused between queries (search takes it with
    /// `try_lock` and allocates its own when another query holds it).
    pub(crate) scratch: std::sync::Mutex<Vec<crate::search::Slot>>,
    /// The last words' first-pass scores, kept across keystrokes (see
    /// `search::WordScores`).
    pub(crate) words: std::sync::Mutex<crate::search::WordCache>,
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

/// The source-file table.
///
/// ```text
/// files: count varint | count × name str
/// ```
fn parse_files(b: &[u8]) -> Result<Vec<String>, IndexError> {
    let mut c = Cursor::new(b, Section::Files);
    let nf = c.count("file count")?;
    let mut files = Vec::with_capacity(nf);
    for _ in 0..nf {
        files.push(c.str("file name")?.to_string());
    }
    if !c.is_empty() {
        return Err(c.corrupt("bytes after the file table"));
    }
    Ok(files)
}

/// One row of the term-info table.
struct TermRow {
    postings: Range<u64>,
    df: u64,
    top: Range<u64>,
}

/// The three column widths at the head of a term-info table (or piece).
pub(crate) fn term_info_widths(ti: &[u8]) -> Result<(usize, usize, usize), IndexError> {
    match ti {
        [ow @ 1..=8, dw @ 1..=8, tw @ 1..=8, ..] => Ok((*ow as usize, *dw as usize, *tw as usize)),
        _ => Err(corrupt(Section::TermInfo, "widths")),
    }
}

fn corrupt(section: Section, what: &'static str) -> IndexError {
    IndexError::Corrupt { section: section.name(), what }
}

impl<D: AsRef<[u8]>> Index<D> {
    /// Opens an index — a whole single-file index, or the root of a sharded
    /// one — checking everything that can be checked up front (the frame
    /// layout is in the `index` module docs and `format::read_frame`).
    pub fn open(data: D) -> Result<Index<D>, IndexError> {
        let table = read_frame(data.as_ref(), &MAGIC)?;
        let sharded = table[Section::Shards.index()].is_some();
        let single = SECTIONS[..14].iter().chain(std::iter::once(&Section::Tops));
        let required: Vec<&Section> =
            if sharded { super::shards::ROOT.iter().collect() } else { single.collect() };
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
            scratch: std::sync::Mutex::new(Vec::new()),
            words: std::sync::Mutex::new(Default::default()),
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

    /// Decodes the small tables and checks the fixed-size ones' lengths.
    fn load_tables(&mut self) -> Result<(), IndexError> {
        // meta:
        //   n_entries varint | n_dated varint | n_terms varint | entry_block varint
        //   | FIELDS × total field length (words) varint
        //   | has_title u8 (0/1) [| title: varint len + UTF-8] | timezone: varint len + UTF-8
        let mut c = self.cursor(Section::Meta);
        let n = c.varint_u32("entry count")?;
        let dated = c.varint_u32("dated count")?;
        let terms = c.varint_u32("term count")?;
        let block = c.varint_u32("entry block size")?;
        if dated > n || block == 0 || n == u32::MAX {
            return Err(c.corrupt("counts out of range"));
        }
        let mut totals = [0u64; FIELDS];
        for t in totals.iter_mut() {
            *t = c.varint("field length total")?;
        }
        let title = match c.u8("title flag")? {
            0 => None,
            1 => Some(c.str("title")?.to_string()),
            _ => return Err(c.corrupt("title flag")),
        };
        let timezone = c.str("time zone")?.to_string();
        self.n_entries = n;
        self.n_dated = dated;
        self.n_terms = terms;
        self.entry_block = block;
        self.title = title;
        self.timezone = timezone;
        self.avg_len = crate::score::avg_len(totals, n as u64);
        let q = Norms::new();
        for code in 0..=255u8 {
            self.norm_len[code as usize] = q.decode(code);
        }

        if self.sections[Section::Shards.index()].is_empty() {
            self.check_inline(terms, n)?;
        } else {
            self.shards = Some(Box::new(Shards::parse(self.section(Section::Shards), terms)?));
        }
        fst_check::open(self.section(Section::PrefixTerms), Section::PrefixTerms.name())?;

        // days: count u32 | count × (day i32 | first id u32) | n_dated u32.
        // Days strictly ascending, first ids strictly ascending, all < n_dated.
        let mut c = self.cursor(Section::Days);
        let nd = c.u32("day count")? as usize;
        if nd > c.buf.len() / 8 {
            return Err(c.corrupt("day count"));
        }
        let mut days = Vec::with_capacity(nd);
        for _ in 0..nd {
            let d = c.i32("day")?;
            let id = c.u32("first id")?;
            if let Some(&(pd, pid)) = days.last() {
                if d <= pd || id <= pid {
                    return Err(c.corrupt("days out of order"));
                }
            } else if id != 0 {
                return Err(c.corrupt("first day does not start at id 0"));
            }
            if id >= dated {
                return Err(c.corrupt("first id beyond the dated entries"));
            }
            days.push((d, id));
        }
        if c.u32("dated count")? != dated || !c.is_empty() || (nd == 0) != (dated == 0) {
            return Err(c.corrupt("dated count"));
        }
        self.days = days;

        // authors: count varint | count × (name: varint len + UTF-8 | entries varint
        //   | list bytes varint); the lists, back to back in `author_lists`:
        //   entries × id delta varint (first absolute, ascending).
        let mut c = self.cursor(Section::Authors);
        let na = c.count("author count")?;
        let mut authors = Vec::with_capacity(na);
        let mut at = 0usize;
        for _ in 0..na {
            let name = c.str("author name")?.to_string();
            let count = c.varint_u32("author entry count")?;
            let len = usize::try_from(c.varint("author list length")?)
                .map_err(|_| c.corrupt("author list length"))?;
            let end = at
                .checked_add(len)
                .filter(|_| len >= count as usize)
                .ok_or_else(|| c.corrupt("author list length"))?;
            authors.push(AuthorRow { name, count, ids: at..end });
            at = end;
        }
        if !c.is_empty() {
            return Err(c.corrupt("bytes after the last author"));
        }
        let lists_len = match &self.shards {
            Some(sh) => sh.split[Section::AuthorLists.index()].as_ref().map_or(0, |s| s.end),
            None => self.section(Section::AuthorLists).len() as u64,
        };
        if at as u64 != lists_len {
            return Err(corrupt(Section::AuthorLists, "length does not match the author table"));
        }
        self.authors = authors;

        // A single file's source-file table is read now; a sharded index's
        // is a shard of its own, fetched by the first `entry` call (result
        // cards do not name sources).
        if self.shards.is_none() {
            let files = parse_files(self.section(Section::Files))?;
            let _ = self.files.set(files);
        }

        if let Some(sh) = &self.shards {
            // The split sections' extents follow from the counts.
            let blocks = (n as usize).div_ceil(block as usize) as u64;
            for (s, end) in [
                (Section::Norms, n as u64 * FIELDS as u64),
                (Section::Dates, n as u64 * 8),
                (Section::Entries, blocks),
            ] {
                if sh.split[s.index()].as_ref().map(|x| x.end) != Some(end) {
                    return Err(corrupt(s, "length does not match the entry count"));
                }
            }
        }
        Ok(())
    }

    /// Checks the sizes of a single-file index's per-term and per-entry sections.
    fn check_inline(&self, terms: u32, n: u32) -> Result<(), IndexError> {
        // term_info: offset width u8 | df width u8 | top width u8 | (n_terms + 1)
        //   rows of offset | df | top offset; the last row's offsets are the
        //   lengths of postings and tops.
        let ti = self.section(Section::TermInfo);
        let (ow, dw, tw) = term_info_widths(ti)?;
        let w = ow + dw + tw;
        let rows = (ti.len() - 3) / w;
        if (ti.len() - 3) % w != 0 || rows != terms as usize + 1 {
            return Err(corrupt(Section::TermInfo, "row count does not match the term count"));
        }
        let last = get_uint(ti, 3 + w * terms as usize, ow).unwrap_or(u64::MAX);
        if last != self.section(Section::Postings).len() as u64 {
            return Err(corrupt(Section::TermInfo, "postings length"));
        }
        let last = get_uint(ti, 3 + w * terms as usize + ow + dw, tw).unwrap_or(u64::MAX);
        if last != self.section(Section::Tops).len() as u64 {
            return Err(corrupt(Section::TermInfo, "tops length"));
        }
        let map = fst_check::open(self.section(Section::Terms), Section::Terms.name())?;
        if map.len() != terms as usize {
            return Err(corrupt(Section::Terms, "term count"));
        }
        // norms: FIELDS bytes per entry; dates: 8 bytes per entry.
        if self.section(Section::Norms).len() != n as usize * FIELDS {
            return Err(corrupt(Section::Norms, "length does not match the entry count"));
        }
        if self.section(Section::Dates).len() != n as usize * 8 {
            return Err(corrupt(Section::Dates, "length does not match the entry count"));
        }
        // entry_offsets: (ceil(n / entry_block) + 1) × u64, last = entries length.
        let blocks = (n as usize).div_ceil(self.entry_block as usize);
        let eo = self.section(Section::EntryOffsets);
        if eo.len() != (blocks + 1) * 8 {
            return Err(corrupt(Section::EntryOffsets, "length does not match the entry count"));
        }
        if get_uint(eo, blocks * 8, 8) != Some(self.section(Section::Entries).len() as u64) {
            return Err(corrupt(Section::EntryOffsets, "end offset"));
        }
        Ok(())
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
    /// Fetch them (`shards/<hex>.dtl`, see [`shard_name`]), give each to
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

    /// Number of dictionary pieces (1 for a single-file index).
    pub(crate) fn dict_pieces(&self) -> usize {
        self.shards.as_ref().map_or(1, |s| s.dict.len())
    }

    /// The dictionary piece that holds ordinal `ord`.
    pub(crate) fn dict_for_ord(&self, ord: u32) -> usize {
        self.shards.as_ref().map_or(0, |s| s.dict_for_ord(ord))
    }

    /// The dictionary piece that would hold `key`.
    pub(crate) fn dict_for_key(&self, key: &[u8]) -> usize {
        self.shards.as_ref().map_or(0, |s| s.dict_for_key(key))
    }

    /// The first key of dictionary piece `i` (empty for the first).
    pub(crate) fn dict_first_key(&self, i: usize) -> &[u8] {
        self.shards.as_ref().and_then(|s| s.dict.get(i)).map_or(&[], |d| &d.first_key)
    }

    /// Dictionary piece `i`: its `fst::Map` (term → global ordinal).
    /// `NotLoaded` (and the piece is wanted) when it is not loaded.
    pub(crate) fn dict(&self, i: usize) -> Result<fst::Map<&[u8]>, IndexError> {
        let bytes: &[u8] = match &self.shards {
            None => self.section(Section::Terms),
            Some(sh) => {
                let d = sh
                    .dict
                    .get(i)
                    .ok_or_else(|| corrupt(Section::Terms, "dictionary piece out of range"))?;
                match &d.data {
                    Some(data) => &data.fst,
                    None => return sh.missing(d.id),
                }
            }
        };
        fst::Map::new(bytes).map_err(|_| corrupt(Section::Terms, "not a valid fst map"))
    }

    /// The source-file names (over a sharded index, from its shard).
    fn files(&self) -> Result<&Vec<String>, IndexError> {
        if let Some(f) = self.files.get() {
            return Ok(f);
        }
        let files = parse_files(self.piece(Section::Files, 0)?.1)?;
        Ok(self.files.get_or_init(|| files))
    }

    /// The ordinal of `term`, if it is in the dictionary.
    pub(crate) fn term_ord(&self, term: &str) -> Result<Option<u32>, IndexError> {
        let map = self.dict(self.dict_for_key(term.as_bytes()))?;
        Ok(map.get(term).map(|o| o as u32))
    }

    /// The term-info row pair of ordinal `ord`: its postings range, df and
    /// top range.
    ///
    /// ```text
    /// term_info: offset width ow u8 (1..=8) | df width dw u8 (1..=8) | top width tw u8 (1..=8)
    ///            | rows × { postings offset (ow bytes) | df (dw bytes) | top offset (tw bytes) }
    /// ```
    ///
    /// A single file has a row per term and a sentinel; a dictionary piece
    /// has a row per term of the piece and the next row.
    fn term_row(&self, ord: u32) -> Result<TermRow, IndexError> {
        let bad = || corrupt(Section::TermInfo, "ordinal out of range");
        if ord >= self.n_terms {
            return Err(bad());
        }
        let (ti, first): (&[u8], u32) = match &self.shards {
            None => (self.section(Section::TermInfo), 0),
            Some(sh) => {
                let d = &sh.dict[sh.dict_for_ord(ord)];
                match &d.data {
                    Some(data) => (&data.ti, d.first_ord),
                    None => return sh.missing(d.id),
                }
            }
        };
        let (ow, dw, tw) = term_info_widths(ti)?;
        let w = ow + dw + tw;
        let row = 3 + w * (ord - first) as usize;
        let start = get_uint(ti, row, ow).ok_or_else(bad)?;
        let df = get_uint(ti, row + ow, dw).ok_or_else(bad)?;
        let top = get_uint(ti, row + ow + dw, tw).ok_or_else(bad)?;
        let end = get_uint(ti, row + w, ow).ok_or_else(bad)?;
        let top_end = get_uint(ti, row + w + ow + dw, tw).ok_or_else(bad)?;
        Ok(TermRow { postings: start..end, df, top: top..top_end })
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

    /// The prefix dictionary.
    pub(crate) fn prefixes(&self) -> Result<fst::Map<&[u8]>, IndexError> {
        fst::Map::new(self.section(Section::PrefixTerms))
            .map_err(|_| corrupt(Section::PrefixTerms, "not a valid fst map"))
    }

    /// The ordinals of a prefix-table row (offset from `prefix_terms`).
    ///
    /// ```text
    /// prefix_lists row: count varint | count × ordinal varint (df descending)
    /// ```
    pub(crate) fn prefix_list(&self, offset: u64) -> Result<Vec<u32>, IndexError> {
        let (start, b) = self.piece(Section::PrefixLists, offset)?;
        let mut c = Cursor::new(b, Section::PrefixLists);
        c.pos = usize::try_from(offset - start).map_err(|_| c.corrupt("row offset"))?;
        let k = c.count("row length")?;
        let mut out = Vec::with_capacity(k);
        for _ in 0..k {
            let o = c.varint_u32("ordinal")?;
            if o >= self.n_terms {
                return Err(c.corrupt("ordinal out of range"));
            }
            out.push(o);
        }
        Ok(out)
    }

    /// Document frequency of term `ord`.
    pub(crate) fn doc_freq(&self, ord: u32) -> Result<u32, IndexError> {
        let df = self.term_row(ord)?.df;
        u32::try_from(df).map_err(|_| corrupt(Section::TermInfo, "document frequency out of range"))
    }

    /// The postings of term `ord`.
    pub(crate) fn postings(&self, ord: u32) -> Result<Postings<'_>, IndexError> {
        let TermRow { postings, df, .. } = self.term_row(ord)?;
        if df == 0 || df > self.n_entries as u64 || postings.end <= postings.start {
            return Err(corrupt(Section::TermInfo, "document frequency out of range"));
        }
        let bytes = self.slice(Section::Postings, postings)?;
        Postings::new(bytes, df as u32, self.n_entries)
    }

    /// The best entries of term `ord` for that term alone (see
    /// [`super::tops`]).
    pub(crate) fn top(&self, ord: u32) -> Result<Top, IndexError> {
        let TermRow { df, top, .. } = self.term_row(ord)?;
        if df == 0 || df > self.n_entries as u64 || top.end <= top.start {
            return Err(corrupt(Section::TermInfo, "document frequency out of range"));
        }
        let bytes = self.slice(Section::Tops, top)?;
        super::tops::read(bytes, df as u32, self.n_entries)
    }

    /// The quantized field lengths of entry `id` (zeros, and the piece is
    /// wanted, when its piece is not loaded).
    #[inline]
    pub(crate) fn norms(&self, id: u32) -> [u8; FIELDS] {
        let at = id as u64 * FIELDS as u64;
        match self.slice(Section::Norms, at..at + FIELDS as u64) {
            Ok(b) => [b[0], b[1], b[2], b[3]],
            Err(_) => [0; FIELDS],
        }
    }

    /// The publication time of entry `id` (`None`: undated, out of range,
    /// or — sharded — its piece is not loaded yet and is now wanted).
    ///
    /// ```text
    /// dates row (8 bytes): day i32 (i32::MIN: unknown) | minute u16 (0xFFFF: day
    ///   precision) | UTC offset minutes i16
    /// ```
    pub fn published(&self, id: u32) -> Option<Published> {
        if id >= self.n_entries {
            return None;
        }
        let at = id as u64 * 8;
        // Over a sharded index, the entries piece of `id` may carry its date.
        let carried = self.shards.as_ref().and_then(|sh| {
            let block = (id / self.entry_block) as usize;
            let at = (id % self.entry_block) as usize * 8;
            sh.block_dates(block as u64).and_then(|d| d.get(at..at + 8))
        });
        let b = match carried {
            Some(b) => b,
            None => self.slice(Section::Dates, at..at + 8).ok()?,
        };
        let day = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let minute = u16::from_le_bytes([b[4], b[5]]);
        let offset = i16::from_le_bytes([b[6], b[7]]);
        if day == NO_DAY {
            return None;
        }
        Some(Published { day, minute: (minute < 1440).then_some(minute), offset })
    }

    /// Ids of the dated entries published from day `from` to day `to`
    /// inclusive (either end open when `None`).
    pub fn id_range(&self, from: Option<i32>, to: Option<i32>) -> Range<u32> {
        let lo = match from {
            None => 0,
            Some(f) => {
                let i = self.days.partition_point(|&(d, _)| d < f);
                self.days.get(i).map_or(self.n_dated, |d| d.1)
            }
        };
        let hi = match to {
            None => self.n_dated,
            Some(t) => {
                let i = self.days.partition_point(|&(d, _)| d <= t);
                self.days.get(i).map_or(self.n_dated, |d| d.1)
            }
        };
        lo..hi.max(lo)
    }

    /// The ids of an author's entries (index into the sorted author table).
    pub(crate) fn author_ids(&self, author: usize) -> Result<Vec<u32>, IndexError> {
        let row = self
            .authors
            .get(author)
            .ok_or_else(|| corrupt(Section::Authors, "author out of range"))?;
        if row.count == 0 {
            return Ok(Vec::new());
        }
        let mut c = Cursor::new(
            self.slice(Section::AuthorLists, row.ids.start as u64..row.ids.end as u64)?,
            Section::AuthorLists,
        );
        let mut out = Vec::with_capacity(row.count as usize);
        let mut prev = 0u32;
        for i in 0..row.count {
            let d = c.varint_u32("author entry id")?;
            let id = prev.checked_add(d).filter(|&v| v < self.n_entries && (i == 0 || d > 0));
            let id = id.ok_or_else(|| c.corrupt("author entry id out of range"))?;
            out.push(id);
            prev = id;
        }
        Ok(out)
    }

    /// Reads a record's author list: a count, then indexes into the author table.
    fn read_authors(&self, c: &mut Cursor<'_>) -> Result<Vec<String>, IndexError> {
        let na = c.count("author count")?;
        let mut authors = Vec::with_capacity(na);
        for _ in 0..na {
            let a = c.varint("author index")?;
            let row = usize::try_from(a).ok().and_then(|a| self.authors.get(a));
            authors.push(row.ok_or_else(|| c.corrupt("author index"))?.name.clone());
        }
        Ok(authors)
    }

    /// The entry with this id; `Ok(None)` if there is none.
    ///
    /// ```text
    /// entry_offsets: u64 per block of `entry_block` entries, then the end.
    /// block:  count × u32 record offset (from the block start) | records
    /// record: flags u8 (bit 0: title_derived) | title str | date_basis str
    ///         | authors: count varint, count × author index varint
    ///         | body: count varint, count × paragraph str
    ///         | media: count varint, count × (caption str | credit str)
    ///         | sources: count varint, count × (file index varint | first line varint
    ///           | last line varint)
    /// str = varint byte length + UTF-8. The date comes from `dates`.
    /// ```
    pub fn entry(&self, id: u32) -> Result<Option<EntryRecord>, IndexError> {
        if id >= self.n_entries {
            return Ok(None);
        }
        // Both asked for before either fails, so that one round fetches both.
        let (files, rec) = (self.files(), self.record_bytes(id));
        let (files, rec) = (files?, rec?);
        let mut c = Cursor::new(rec, Section::Entries);
        let flags = c.u8("flags")?;
        let title = c.str("title")?.to_string();
        let date_basis = c.str("date basis")?.to_string();
        let authors = self.read_authors(&mut c)?;
        let nb = c.count("paragraph count")?;
        let mut body = Vec::with_capacity(nb);
        for _ in 0..nb {
            body.push(c.str("paragraph")?.to_string());
        }
        let nm = c.count("media count")?;
        let mut media = Vec::with_capacity(nm);
        for _ in 0..nm {
            let caption = c.str("caption")?.to_string();
            let credit = c.str("credit")?.to_string();
            media.push(Media { caption, credit });
        }
        let ns = c.count("source count")?;
        let mut sources = Vec::with_capacity(ns);
        for _ in 0..ns {
            let f = c.varint("file index")?;
            let file = usize::try_from(f).ok().and_then(|f| files.get(f));
            let file = file.ok_or_else(|| c.corrupt("file index"))?.clone();
            let a = c.varint_u32("line")?;
            let b = c.varint_u32("line")?;
            sources.push(Source { file, lines: [a, b], item: None });
        }
        Ok(Some(Entry {
            id,
            title,
            title_derived: flags & 1 != 0,
            published: self.published(id),
            date_basis,
            authors,
            body,
            media,
            sources,
            url: None,
        }))
    }

    /// What a result card shows of entry `id`: title, authors and the body
    /// paragraphs joined by a blank line (media and sources are skipped).
    pub(crate) fn card(&self, id: u32) -> Result<Option<Card>, IndexError> {
        if id >= self.n_entries {
            return Ok(None);
        }
        let mut c = Cursor::new(self.record_bytes(id)?, Section::Entries);
        c.u8("flags")?;
        let title = c.str("title")?.to_string();
        c.str("date basis")?;
        let authors = self.read_authors(&mut c)?;
        let nb = c.count("paragraph count")?;
        let mut body = String::new();
        for i in 0..nb {
            if i > 0 {
                body.push_str("\n\n");
            }
            body.push_str(c.str("paragraph")?);
        }
        Ok(Some(Card { title, authors, body }))
    }

    fn record_bytes(&self, id: u32) -> Result<&[u8], IndexError> {
        let bad = |what| corrupt(Section::Entries, what);
        let block = (id / self.entry_block) as usize;
        let in_block = (id % self.entry_block) as usize;
        let blk = if self.shards.is_some() {
            // A sharded `entries` piece is one block, keyed by its number.
            self.piece(Section::Entries, block as u64)?.1
        } else {
            let eo = self.section(Section::EntryOffsets);
            let start = get_uint(eo, block * 8, 8).ok_or_else(|| bad("block offset"))?;
            let end = get_uint(eo, block * 8 + 8, 8).ok_or_else(|| bad("block offset"))?;
            self.slice(Section::Entries, start..end)?
        };
        let count = (self.n_entries as usize - block * self.entry_block as usize)
            .min(self.entry_block as usize);
        let rs = get_uint(blk, in_block * 4, 4).ok_or_else(|| bad("record offset"))? as usize;
        let re = if in_block + 1 < count {
            get_uint(blk, in_block * 4 + 4, 4).ok_or_else(|| bad("record offset"))? as usize
        } else {
            blk.len()
        };
        if rs < count * 4 {
            return Err(bad("record offset inside the offsets table"));
        }
        blk.get(rs..re).ok_or_else(|| bad("record lies outside its block"))
    }

    /// Figures about the index.
    pub fn stats(&self) -> Stats {
        let mut authors: Vec<AuthorCount> = self
            .authors
            .iter()
            .map(|a| AuthorCount { name: a.name.clone(), count: a.count })
            .collect();
        authors.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        Stats {
            entries: self.n_entries,
            terms: self.n_terms,
            dated: self.n_dated,
            undated: self.n_entries - self.n_dated,
            first_day: self.days.first().map(|d| format_day(d.0)),
            last_day: self.days.last().map(|d| format_day(d.0)),
            title: self.title.clone(),
            timezone: self.timezone.clone(),
            authors,
            index_bytes: self.data.as_ref().len() as u64,
        }
    }
}

/// The postings list of one term, not yet decoded.
///
/// ```text
/// one block (df ≤ 128):   doc_bytes varint | doc block | position block
/// several blocks:         skip_bytes varint | skip table | doc blocks | position blocks
/// skip table, per block:  last doc − previous block's last doc (first: absolute) varint
///                         | doc block bytes varint | position block bytes varint
/// doc block (n = 128, or what is left in the last block):
///   bd u8 | bt u8 | bits, least significant first, zero-padded to a byte:
///     n × bd bits   doc − previous doc − 1 (previous doc of the list's first: −1)
///     n × 1 bit     simple: the term occurs once, in the body
///     4 bits        field mask, per doc that is not simple
///     bt bits       tf − 1, per non-simple doc, per field in its mask, ascending
/// position block:  k u8 | Rice(k) codes (unary quotient of ones closed by a zero,
///   then k low bits; a quotient ≥ 32 is 32 ones and the value in 32 bits):
///   per doc, per field in its mask ascending, tf values: first position, then gap − 1
/// ```
#[derive(Clone, Copy)]
pub(crate) struct Postings<'a> {
    skip: &'a [u8],
    docs: &'a [u8],
    pos: &'a [u8],
    df: u32,
    n_entries: u32,
}

impl<'a> Postings<'a> {
    pub(crate) fn new(b: &'a [u8], df: u32, n_entries: u32) -> Result<Postings<'a>, IndexError> {
        let bad = |what| corrupt(Section::Postings, what);
        let mut pos = 0;
        let first = get_varint(b, &mut pos).ok_or_else(|| bad("list header"))? as usize;
        let nblocks = (df as usize).div_ceil(POSTING_BLOCK);
        if nblocks <= 1 {
            let docs_end = pos
                .checked_add(first)
                .filter(|&e| e <= b.len())
                .ok_or_else(|| bad("doc block length"))?;
            Ok(Postings { skip: &[], docs: &b[pos..docs_end], pos: &b[docs_end..], df, n_entries })
        } else {
            let skip_end = pos
                .checked_add(first)
                .filter(|&e| e <= b.len())
                .ok_or_else(|| bad("skip table length"))?;
            let skip = &b[pos..skip_end];
            // Sum the doc block lengths to find where positions start.
            let mut sp = 0;
            let mut docs_len: usize = 0;
            for _ in 0..nblocks {
                get_varint(skip, &mut sp).ok_or_else(|| bad("skip table"))?;
                let dl = get_varint(skip, &mut sp).ok_or_else(|| bad("skip table"))?;
                get_varint(skip, &mut sp).ok_or_else(|| bad("skip table"))?;
                docs_len = docs_len.checked_add(dl as usize).ok_or_else(|| bad("skip table"))?;
            }
            let docs_end = skip_end
                .checked_add(docs_len)
                .filter(|&e| e <= b.len())
                .ok_or_else(|| bad("doc blocks length"))?;
            Ok(Postings { skip, docs: &b[skip_end..docs_end], pos: &b[docs_end..], df, n_entries })
        }
    }

    /// Number of documents.
    pub fn df(&self) -> u32 {
        self.df
    }

    /// A cursor at the first document.
    pub fn cursor(&self) -> Result<PostingCursor<'a>, IndexError> {
        self.open(false, None)
    }

    fn open(
        &self,
        ids_only: bool,
        lazy: Option<Lazy<'a>>,
    ) -> Result<PostingCursor<'a>, IndexError> {
        let mut c = PostingCursor {
            p: *self,
            skip_pos: 0,
            next_block: 0,
            block_prev: 0,
            next_doc_off: 0,
            next_pos_off: 0,
            n: 0,
            i: 0,
            docs: [0; POSTING_BLOCK],
            tfs: [[0; FIELDS]; POSTING_BLOCK],
            masks: [0; POSTING_BLOCK],
            block_pos: 0,
            pos_doc: 0,
            pos_off: 0,
            done: false,
            last_block_last: 0,
            peek_skip_end: 0,
            ids_only,
            lazy,
        };
        c.load_next_block()?;
        Ok(c)
    }

    /// A cursor that decodes document ids only (its `tfs` are meaningless):
    /// for counting matches, about twice as fast.
    pub fn id_cursor(&self) -> Result<PostingCursor<'a>, IndexError> {
        self.open(true, None)
    }

    /// A cursor that decodes document ids a block at a time and a
    /// document's frequencies only when [`PostingCursor::freqs`] asks: for
    /// scoring some of a list's documents (those that match every word, or
    /// a few candidates) without decoding every frequency of the list.
    /// Positions are not available from it.
    pub fn lazy_cursor(&self) -> Result<PostingCursor<'a>, IndexError> {
        self.open(true, Some(Lazy::default()))
    }
}

/// Where a lazily decoded block keeps its frequencies (see
/// [`Postings::lazy_cursor`]).
#[derive(Clone, Copy, Default)]
struct Lazy<'a> {
    /// The block's bits (after its two width bytes).
    body: &'a [u8],
    /// Bit i: document i of the block is simple (once, in the body).
    simple: u128,
    /// Bit offsets of the field masks and of the frequencies.
    masks_at: usize,
    tfs_at: usize,
    bt: u32,
    /// A complex document's index among the block's complex ones, and the
    /// bit offset (from `tfs_at`) of its frequencies: where the last call
    /// left off, as cursors only move forward.
    j: usize,
    off: usize,
}

/// Iterates a postings list block by block: a block's documents and
/// frequencies are decoded together into fixed arrays (no allocation per
/// posting); positions are decoded only when asked for.
pub(crate) struct PostingCursor<'a> {
    p: Postings<'a>,
    /// Decode document ids only (see [`Postings::id_cursor`]).
    ids_only: bool,
    skip_pos: usize,
    next_block: usize,
    /// Last doc of the block before the current one.
    block_prev: u32,
    next_doc_off: usize,
    next_pos_off: usize,
    n: usize,
    i: usize,
    docs: [u32; POSTING_BLOCK],
    tfs: [[u32; FIELDS]; POSTING_BLOCK],
    masks: [u8; POSTING_BLOCK],
    /// Start of the current block's positions in `p.pos`.
    block_pos: usize,
    /// Index (in the block) of the doc whose positions start at `pos_off`.
    pos_doc: usize,
    pos_off: usize,
    done: bool,
    last_block_last: u32,
    peek_skip_end: usize,
    /// Set for a cursor that decodes frequencies on demand.
    lazy: Option<Lazy<'a>>,
}

/// Largest doc block (bits part) a reader accepts, plus 8 bytes of padding:
/// 128 deltas and tfs of 32 bits, flags and masks.
const BLOCK_BUF: usize = 8
    + POSTING_BLOCK * (4 + 1)
    + POSTING_BLOCK / 8
    + POSTING_BLOCK / 2
    + POSTING_BLOCK * FIELDS * 4;

impl Lazy<'_> {
    /// The frequencies of document `i` of the block.
    #[inline]
    fn freqs(&mut self, i: usize) -> [u32; FIELDS] {
        if i >= POSTING_BLOCK || self.simple >> i & 1 == 1 {
            return SIMPLE;
        }
        // Its index among the complex documents, then its offset: the
        // frequencies of those before it, one per field in their masks.
        let j = i - (self.simple & ((1u128 << i) - 1)).count_ones() as usize;
        if j < self.j {
            (self.j, self.off) = (0, 0);
        }
        while self.j < j {
            self.off += bits(self.body, self.masks_at + self.j * FIELDS, FIELDS as u32).count_ones()
                as usize
                * self.bt as usize;
            self.j += 1;
        }
        let mut m = bits(self.body, self.masks_at + j * FIELDS, FIELDS as u32);
        let mut out = [0u32; FIELDS];
        let mut at = self.tfs_at + self.off;
        while m != 0 {
            let f = m.trailing_zeros() as usize;
            out[f & (FIELDS - 1)] = bits(self.body, at, self.bt).saturating_add(1);
            at += self.bt as usize;
            m &= m - 1;
        }
        out
    }
}

/// The frequencies of a simple posting: once, in the body.
pub(crate) const SIMPLE: [u32; FIELDS] = [0, 1, 0, 0];

/// `width` (≤ 32) bits of `b` from bit `pos`, least significant first
/// (zeros past the end).
#[inline]
fn bits(b: &[u8], pos: usize, width: u32) -> u32 {
    let i = pos / 8;
    let w = match b.get(i..i + 8) {
        Some(&[a, b, c, d, e, f, g, h]) => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => {
            let mut t = [0u8; 8];
            for (k, x) in b.iter().skip(i).take(8).enumerate() {
                t[k] = *x;
            }
            u64::from_le_bytes(t)
        }
    };
    ((w >> (pos % 8)) & ((1u64 << width) - 1)) as u32
}

fn pbad(what: &'static str) -> IndexError {
    corrupt(Section::Postings, what)
}

impl<'a> PostingCursor<'a> {
    /// The current document, or `u32::MAX` when exhausted.
    #[inline]
    pub fn doc(&self) -> u32 {
        if self.done {
            u32::MAX
        } else {
            self.docs.get(self.i).copied().unwrap_or(u32::MAX)
        }
    }

    /// Per-field term frequencies of the current document.
    #[inline]
    pub fn tfs(&self) -> &[u32; FIELDS] {
        &self.tfs[self.i.min(POSTING_BLOCK - 1)]
    }

    /// Per-field term frequencies of the current document, from a lazy
    /// cursor (decoded now) or any other.
    #[inline]
    pub fn freqs(&mut self) -> [u32; FIELDS] {
        let i = self.i.min(POSTING_BLOCK - 1);
        match &mut self.lazy {
            None => self.tfs[i],
            Some(lz) => lz.freqs(i),
        }
    }

    /// Calls `f(docs, frequencies)` with the rest of the current block, then
    /// with every following block: for loops over a block's arrays.
    pub fn for_each_block(
        &mut self,
        mut f: impl FnMut(&[u32], &[[u32; FIELDS]]),
    ) -> Result<(), IndexError> {
        while !self.done {
            let (i, n) = (self.i.min(self.n), self.n);
            f(&self.docs[i..n], &self.tfs[i..n]);
            self.i = n;
            self.load_next_block()?;
        }
        Ok(())
    }

    /// Moves to the next document.
    #[inline]
    pub fn advance(&mut self) -> Result<(), IndexError> {
        if self.done {
            return Ok(());
        }
        self.i += 1;
        if self.i >= self.n {
            self.load_next_block()?;
        }
        Ok(())
    }

    /// Calls `f(doc, tfs)` for every document from the current one up to
    /// (not including) `end`, a block at a time, and stops there.
    #[inline]
    pub fn for_each_until(
        &mut self,
        end: u32,
        mut f: impl FnMut(u32, &[u32; FIELDS]),
    ) -> Result<(), IndexError> {
        while !self.done {
            let n = self.n;
            let mut i = self.i;
            while i < n {
                let d = self.docs[i];
                if d >= end {
                    self.i = i;
                    return Ok(());
                }
                f(d, &self.tfs[i]);
                i += 1;
            }
            self.i = n;
            self.load_next_block()?;
        }
        Ok(())
    }

    /// Moves to the first document ≥ `target`, skipping whole blocks.
    #[inline]
    pub fn seek(&mut self, target: u32) -> Result<(), IndexError> {
        if self.done || self.docs.get(self.i).map_or(true, |&d| d >= target) {
            return Ok(());
        }
        self.seek_slow(target)
    }

    #[inline(never)]
    fn seek_slow(&mut self, target: u32) -> Result<(), IndexError> {
        // Skip blocks whose last doc is below the target.
        if self.docs[self.n - 1] < target {
            loop {
                if self.next_block >= self.block_count() {
                    self.done = true;
                    return Ok(());
                }
                let (last, dl, pl) = self.peek_skip()?;
                if last >= target {
                    break;
                }
                self.skip_pos = self.peek_skip_end;
                self.next_block += 1;
                self.block_prev = last;
                self.last_block_last = last;
                self.next_doc_off += dl;
                self.next_pos_off += pl;
            }
            self.load_next_block()?;
        }
        while !self.done && self.docs[self.i] < target {
            self.i += 1;
            if self.i >= self.n {
                self.load_next_block()?;
            }
        }
        Ok(())
    }

    fn block_count(&self) -> usize {
        (self.p.df as usize).div_ceil(POSTING_BLOCK)
    }

    /// The skip row of `next_block`: (last doc, doc bytes, position bytes).
    fn peek_skip(&mut self) -> Result<(u32, usize, usize), IndexError> {
        if self.p.skip.is_empty() {
            // A single block: no skip table. Decode it instead.
            return Ok((u32::MAX, self.p.docs.len(), self.p.pos.len()));
        }
        let mut sp = self.skip_pos;
        let d = get_varint(self.p.skip, &mut sp).ok_or_else(|| pbad("skip table"))?;
        let dl = get_varint(self.p.skip, &mut sp).ok_or_else(|| pbad("skip table"))? as usize;
        let pl = get_varint(self.p.skip, &mut sp).ok_or_else(|| pbad("skip table"))? as usize;
        self.peek_skip_end = sp;
        let last =
            (self.last_block_last as u64).checked_add(d).filter(|&l| l < self.p.n_entries as u64);
        Ok((last.ok_or_else(|| pbad("skip table doc out of range"))? as u32, dl, pl))
    }

    fn load_next_block(&mut self) -> Result<(), IndexError> {
        // Done until the block decodes: a cursor that hit an error reads as
        // exhausted rather than pointing past its arrays.
        self.done = true;
        let nb = self.block_count();
        if self.next_block >= nb {
            return Ok(());
        }
        let (last, dl, pl) = self.peek_skip()?;
        if !self.p.skip.is_empty() {
            self.skip_pos = self.peek_skip_end;
        }
        let ds = self.next_doc_off;
        let de = ds
            .checked_add(dl)
            .filter(|&e| e <= self.p.docs.len())
            .ok_or_else(|| pbad("doc block"))?;
        let block = &self.p.docs[ds..de];
        let count = if self.next_block + 1 == nb {
            self.p.df as usize - POSTING_BLOCK * (nb - 1)
        } else {
            POSTING_BLOCK
        };
        let (bd, bt) = match block {
            [bd @ 0..=32, bt @ 0..=32, ..] => (*bd as u32, *bt as u32),
            _ => return Err(pbad("doc block widths")),
        };
        // Copy the bits into a zero-padded buffer so that every read below is
        // one unaligned 8-byte load, bounds checked by the slice length.
        let body = &block[2..];
        if body.len() > BLOCK_BUF - 8 {
            return Err(pbad("doc block too long"));
        }
        let mut buf = [0u8; BLOCK_BUF];
        buf[..body.len()].copy_from_slice(body);
        let avail = body.len() * 8;
        let read = |bitpos: usize, width: u32| -> u32 {
            let i = bitpos / 8;
            let w = match buf.get(i..i + 8) {
                Some(s) => u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]),
                None => 0,
            };
            ((w >> (bitpos % 8)) & ((1u64 << width) - 1)) as u32
        };
        let mut bp = 0usize;
        // n × bd: doc deltas.
        if bp + count * bd as usize > avail {
            return Err(pbad("doc block"));
        }
        let mut prev: i64 = if self.next_block == 0 { -1 } else { self.last_block_last as i64 };
        for k in 0..count {
            prev += read(bp, bd) as i64 + 1;
            bp += bd as usize;
            self.docs[k] = prev as u32;
        }
        if prev >= self.p.n_entries as i64 || (!self.p.skip.is_empty() && prev != last as i64) {
            return Err(pbad("document out of range"));
        }
        if let Some(lz) = &mut self.lazy {
            // Frequencies on demand: note where they are, check the lengths.
            if bp + count > avail {
                return Err(pbad("doc block"));
            }
            let mut simple = 0u128;
            for base in (0..count).step_by(32) {
                let w = (count - base).min(32) as u32;
                simple |= (read(bp + base, w) as u128) << base;
            }
            bp += count;
            let ncomplex = count - simple.count_ones() as usize;
            if bp + ncomplex * FIELDS > avail {
                return Err(pbad("field masks"));
            }
            let mut nvals = 0usize;
            for k in 0..ncomplex {
                let m = read(bp + k * FIELDS, FIELDS as u32);
                if m == 0 {
                    return Err(pbad("empty field mask"));
                }
                nvals += m.count_ones() as usize;
            }
            let tfs_at = bp + ncomplex * FIELDS;
            bp = tfs_at + nvals * bt as usize;
            if bp.div_ceil(8) != body.len() {
                return Err(pbad("doc block length"));
            }
            *lz = Lazy {
                body,
                simple,
                masks_at: tfs_at - ncomplex * FIELDS,
                tfs_at,
                bt,
                j: 0,
                off: 0,
            };
        }
        // Counting needs the documents only: leave frequencies undecoded.
        if !self.ids_only {
            // n × 1: simple flags. Every doc starts as simple; the others are
            // visited by iterating the zero bits, so there is no branch per doc.
            if bp + count > avail {
                return Err(pbad("doc block"));
            }
            let flags_at = bp;
            bp += count;
            for k in 0..count {
                self.masks[k] = 1 << FIELD_BODY;
                self.tfs[k] = [0, 1, 0, 0];
            }
            let mut complex_buf = [0u8; POSTING_BLOCK];
            let mut ncomplex = 0usize;
            let mut base = 0;
            while base < count {
                let w = (count - base).min(32);
                let valid = if w == 32 { u32::MAX } else { (1u32 << w) - 1 };
                let mut c = !read(flags_at + base, w as u32) & valid;
                while c != 0 {
                    if let Some(slot) = complex_buf.get_mut(ncomplex) {
                        *slot = (base + c.trailing_zeros() as usize) as u8;
                    }
                    ncomplex += 1;
                    c &= c - 1;
                }
                base += 32;
            }
            let complex = &complex_buf[..ncomplex.min(POSTING_BLOCK)];
            if !complex.is_empty() {
                if bp + complex.len() * FIELDS > avail {
                    return Err(pbad("field masks"));
                }
                let mut nvals = 0usize;
                for &k in complex {
                    let m = read(bp, FIELDS as u32) as u8;
                    bp += FIELDS;
                    if m == 0 {
                        return Err(pbad("empty field mask"));
                    }
                    self.masks[k as usize] = m;
                    nvals += m.count_ones() as usize;
                }
                if bp + nvals * bt as usize > avail {
                    return Err(pbad("frequencies"));
                }
                for &k in complex {
                    let mut m = self.masks[k as usize];
                    // Written in place: building a local array and copying it
                    // stalls on store forwarding.
                    let tf = &mut self.tfs[k as usize];
                    tf[FIELD_BODY] = 0;
                    while m != 0 {
                        let f = m.trailing_zeros() as usize;
                        tf[f & (FIELDS - 1)] = read(bp, bt).saturating_add(1);
                        bp += bt as usize;
                        m &= m - 1;
                    }
                }
            }
            if bp.div_ceil(8) != body.len() {
                return Err(pbad("doc block length"));
            }
        }
        self.n = count;
        self.i = 0;
        self.block_pos = self.next_pos_off;
        self.next_pos_off =
            self.next_pos_off.checked_add(pl).ok_or_else(|| pbad("position block"))?;
        if self.next_pos_off > self.p.pos.len() || pl == 0 {
            return Err(pbad("position block"));
        }
        self.pos_doc = 0;
        self.pos_off = 0;
        self.next_doc_off = de;
        self.block_prev = self.last_block_last;
        self.last_block_last = prev as u32;
        self.next_block += 1;
        self.done = count == 0;
        Ok(())
    }

    /// Appends the positions of the current document in `field` to `out`
    /// (not from a lazy cursor).
    ///
    /// ```text
    /// position block: k u8 | Rice(k) codes, per doc, per field in its mask
    ///                 ascending, tf values: first position, then gap − 1
    /// ```
    pub fn positions(&mut self, field: usize, out: &mut Vec<u32>) -> Result<(), IndexError> {
        if self.done {
            return Ok(());
        }
        let block = self
            .p
            .pos
            .get(self.block_pos..self.next_pos_off)
            .ok_or_else(|| pbad("position block"))?;
        let (k, bits) = match block {
            [k @ 0..=31, rest @ ..] => (*k as u32, rest),
            _ => return Err(pbad("position block")),
        };
        // `pos_off` is the bit offset of doc `pos_doc`'s positions.
        if self.pos_doc > self.i {
            self.pos_doc = 0;
            self.pos_off = 0;
        }
        let mut r = BitReader::new(bits);
        r.pos = self.pos_off;
        while self.pos_doc < self.i {
            let total: u32 = self.tfs[self.pos_doc].iter().sum();
            for _ in 0..total {
                r.get_rice(k).ok_or_else(|| pbad("positions"))?;
            }
            self.pos_doc += 1;
        }
        self.pos_off = r.pos;
        let tfs = self.tfs[self.i];
        for (f, &tf) in tfs.iter().enumerate() {
            let mut prev = 0u32;
            for j in 0..tf {
                let v = r.get_rice(k).ok_or_else(|| pbad("positions"))?;
                let cur = if j == 0 {
                    Some(v)
                } else {
                    prev.checked_add(v).and_then(|x| x.checked_add(1))
                };
                let cur = cur.ok_or_else(|| pbad("positions"))?;
                if f == field {
                    out.push(cur);
                }
                prev = cur;
            }
        }
        Ok(())
    }

    /// The field mask of the current document.
    pub fn mask(&self) -> u8 {
        self.masks[self.i.min(POSTING_BLOCK - 1)]
    }
}

#[cfg(test)]
mod bench {
    use crate::index::{write, Index, Meta};
    use crate::model::date::Published;
    use crate::model::entry::Entry;

    /// Decoding throughput of a long list (run with `--ignored --nocapture`, release).
    #[test]
    #[ignore]
    fn decode_throughput() {
        let n = 100_000u32;
        let entries: Vec<Entry> = (0..n)
            .map(|id| Entry {
                id,
                title: if id % 7 == 0 { "the title".into() } else { "a title".into() },
                title_derived: false,
                published: Some(Published { day: 19_000, minute: None, offset: 0 }),
                date_basis: String::new(),
                authors: vec![],
                body: vec![if id % 3 == 0 {
                    "the cat and the dog".into()
                } else {
                    "the cat".into()
                }],
                media: vec![],
                sources: vec![],
                url: None,
            })
            .collect();
        let b = write(&entries, &Meta::default()).unwrap();
        let ix = Index::open(b).unwrap();
        let ord = ix.term_ord("the").unwrap().unwrap();
        let t = std::time::Instant::now();
        let mut sum = 0u64;
        let rounds = 50;
        for _ in 0..rounds {
            let mut c = ix.postings(ord).unwrap().cursor().unwrap();
            c.for_each_until(u32::MAX, |d, tfs| sum += d as u64 + tfs[1] as u64).unwrap();
        }
        let per = t.elapsed().as_nanos() as f64 / (rounds as f64 * n as f64);
        println!("decode: {per:.2} ns/doc ({sum})");
    }
}

#[cfg(test)]
mod lazy {
    use crate::index::{write, Index, Meta};
    use crate::model::date::Published;
    use crate::model::entry::Entry;

    /// A lazy cursor's frequencies are the eager decoder's, read in order
    /// and after seeks that skip documents and blocks.
    #[test]
    fn lazy_frequencies_equal_eager_ones() {
        let words = ["the", "cat", "dog", "and"];
        let entries: Vec<Entry> = (0..2000u32)
            .map(|id| {
                // Frequencies and fields that vary from entry to entry.
                let pick = |k: u32| words[((id * 7 + k * 3) % 4) as usize];
                let body: Vec<String> =
                    (0..id % 5).map(|k| format!("{} {} the", pick(k), pick(k + id % 3))).collect();
                Entry {
                    id,
                    title: if id % 3 == 0 { format!("{} the", pick(9)) } else { "a title".into() },
                    title_derived: false,
                    published: Some(Published {
                        day: 19_000 + (id / 100) as i32,
                        minute: None,
                        offset: 0,
                    }),
                    date_basis: String::new(),
                    authors: if id % 4 == 0 { vec!["The Cat".into()] } else { vec![] },
                    body,
                    media: vec![],
                    sources: vec![],
                    url: None,
                }
            })
            .collect();
        let ix = Index::open(write(&entries, &Meta::default()).unwrap()).unwrap();
        for w in words {
            let Some(ord) = ix.term_ord(w).unwrap() else { continue };
            let p = ix.postings(ord).unwrap();
            let mut eager = Vec::new();
            p.cursor().unwrap().for_each_until(u32::MAX, |d, t| eager.push((d, *t))).unwrap();
            assert!(eager.len() > 300, "{w}: a list of several blocks");
            assert!(eager.iter().any(|e| e.1 != super::SIMPLE), "{w}: complex postings too");
            for step in [1usize, 2, 5, 130] {
                let mut c = p.lazy_cursor().unwrap();
                for &(d, t) in eager.iter().step_by(step) {
                    c.seek(d).unwrap();
                    assert_eq!((c.doc(), c.freqs()), (d, t), "{w} step {step}");
                }
            }
        }
    }
}
