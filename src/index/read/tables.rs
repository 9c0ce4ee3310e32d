//! Opening an index: the small tables decoded up front (meta, days,
//! authors, files) and the size checks of the sections kept as bytes.

use std::ops::Range;

use super::{corrupt, Index, Shards};
use crate::index::error::IndexError;
use crate::index::format::{get_uint, term_info_widths, Cursor, Norms, Section, FIELDS};
use crate::index::fst_check;

/// One row of the author table, decoded at open.
#[derive(Debug, Clone)]
pub(crate) struct AuthorRow {
    pub name: String,
    pub count: u32,
    /// Byte range of the delta-coded id list in the `authors` section.
    pub ids: Range<usize>,
}

/// The source-file table.
///
/// ```text
/// files: count varint | count × name str
/// ```
pub(super) fn parse_files(b: &[u8]) -> Result<Vec<String>, IndexError> {
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

impl<D: AsRef<[u8]>> Index<D> {
    /// Decodes the small tables and checks the fixed-size ones' lengths.
    pub(super) fn load_tables(&mut self) -> Result<(), IndexError> {
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
        self.avg_len = crate::rank::avg_len(totals, n as u64);
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
}
