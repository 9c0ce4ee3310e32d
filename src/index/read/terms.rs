//! The dictionary side of an index: term ordinals, term-info rows, the
//! prefix table, and what each ordinal addresses (postings, tops); and the
//! per-entry field lengths that scoring reads beside them.

use std::ops::Range;

use super::{corrupt, Index};
use crate::index::error::IndexError;
use crate::index::format::{get_uint, term_info_widths, Cursor, Section, FIELDS};
use crate::index::postings::Postings;
use crate::index::tops::{self, Top, TOP_N};
use crate::rank::Bm25f;

/// One row of the term-info table.
struct TermRow {
    postings: Range<u64>,
    df: u64,
    top: Range<u64>,
}

impl<D: AsRef<[u8]>> Index<D> {
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

    /// The ordinal of `term`, if it is in the dictionary.
    pub(crate) fn term_ord(&self, term: &str) -> Result<Option<u32>, IndexError> {
        let map = self.dict(self.dict_for_key(term.as_bytes()))?;
        Ok(map.get(term).map(|o| o as u32))
    }

    /// The term-info row pair of ordinal `ord`: its postings range, df and
    /// top range.
    ///
    /// ```text
    /// term_info: offset width ow u8 (1..=8) | df width dw u8 (1..=8) | top width tw u8 (0..=8)
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
    /// [`crate::index::tops`]).
    pub(crate) fn top(&self, ord: u32) -> Result<Top, IndexError> {
        let TermRow { df, top, .. } = self.term_row(ord)?;
        if df == 0 || df > self.n_entries as u64 || top.end < top.start {
            return Err(corrupt(Section::TermInfo, "document frequency out of range"));
        }
        if top.is_empty() {
            if df > TOP_N as u64 {
                return Err(corrupt(
                    Section::TermInfo,
                    "a term in more than 128 entries has no top",
                ));
            }
            return self.top_from_postings(ord);
        }
        let bytes = self.slice(Section::Tops, top)?;
        tops::read(bytes, df as u32, self.n_entries)
    }

    /// The top of a term the writer stored none for (in at most `TOP_N`
    /// entries): all its entries, scored from its postings and norms as
    /// the writer scores a top, so the result is the stored top's.
    fn top_from_postings(&self, ord: u32) -> Result<Top, IndexError> {
        let mut found: Vec<(u32, [u32; FIELDS])> = Vec::new();
        self.postings(ord)?.cursor()?.for_each_until(u32::MAX, |d, tfs| found.push((d, *tfs)))?;
        let model = Bm25f::new(&self.avg_len, &self.norm_len);
        let mut docs = Vec::with_capacity(found.len());
        // Every missing norms piece is wanted at once (one round of fetching).
        let mut missing = None;
        for (d, tfs) in found {
            let at = d as u64 * FIELDS as u64;
            match self.slice(Section::Norms, at..at + FIELDS as u64) {
                Ok(b) => docs.push((d, model.tf(&tfs, [b[0], b[1], b[2], b[3]]))),
                Err(e) => missing = Some(e),
            }
        }
        match missing {
            Some(e) => Err(e),
            None => Ok(Top { docs, floor: None }),
        }
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
}

#[cfg(test)]
mod tests {
    use crate::index::{write_with, Index, Meta, Options};

    /// A top the reader scores from the postings is the top the writer
    /// would have stored: the same entries, bit for bit the same scores.
    #[test]
    fn tops_from_postings_equal_stored_tops() {
        let entries = crate::model::entry::corpus_entries();
        let meta = Meta { title: None, timezone: "America/New_York".into() };
        let write = |all_tops| {
            let opts = Options { all_tops, ..Options::default() };
            Index::open(write_with(&entries, &meta, &opts, &mut |_| {}).expect("writes"))
                .expect("opens")
        };
        let (stored, scored) = (write(true), write(false));
        assert!(scored.section(crate::index::format::Section::Tops).is_empty());
        assert!(!stored.section(crate::index::format::Section::Tops).is_empty());
        assert!(stored.n_terms > 1000);
        for ord in 0..stored.n_terms {
            let (a, b) = (stored.top(ord).expect("stored"), scored.top(ord).expect("scored"));
            let bits = |t: &crate::index::tops::Top| -> Vec<(u32, u32)> {
                t.docs.iter().map(|&(d, s)| (d, s.to_bits())).collect()
            };
            assert_eq!(bits(&a), bits(&b), "term {ord}");
            assert_eq!(a.floor.map(f32::to_bits), b.floor.map(f32::to_bits), "term {ord}");
        }
    }
}
