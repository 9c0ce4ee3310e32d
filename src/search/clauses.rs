//! Clauses: a query word (its terms' postings cursors, see [`Word`]) and a
//! phrase ([`Phrase`]), scored with a [`Scorer`]; and the dense per-entry
//! accumulator ([`Slot`]) that common words are added into.

use std::ops::Range;

use crate::index::format::Norms;
use crate::index::{Index, IndexError, PostingCursor};
use crate::model::fields::FIELDS;
use crate::rank::{better, idf, term_weight, Bm25f};

use super::collect::Cand;
use super::each;
use super::expand::Exp;

/// BM25F over an index: its idf, and each entry's field lengths (or, for a
/// first pass, the average ones).
pub(super) struct Scorer {
    n: u32,
    pub(super) model: Bm25f,
    /// When set, every entry is scored as if its fields had the average
    /// lengths (these codes): the first pass over all matches, which must
    /// not read every entry's norms (a sharded index would fetch them all).
    pub(super) flat: Option<[u8; FIELDS]>,
}

impl Scorer {
    /// Exact BM25F, with each entry's field lengths.
    pub(super) fn new<D: AsRef<[u8]>>(ix: &Index<D>) -> Scorer {
        Scorer { n: ix.n_entries, model: Bm25f::new(&ix.avg_len, &ix.norm_len), flat: None }
    }

    /// BM25F with every entry at the average field lengths.
    pub(super) fn flat<D: AsRef<[u8]>>(ix: &Index<D>) -> Scorer {
        let q = Norms::new();
        let mut codes = [0u8; FIELDS];
        for (f, code) in codes.iter_mut().enumerate() {
            *code = q.encode(ix.avg_len[f].round() as u32);
        }
        Scorer { flat: Some(codes), ..Scorer::new(ix) }
    }

    /// The field-length codes to score `doc` with.
    #[inline]
    pub(super) fn norms<D: AsRef<[u8]>>(&self, ix: &Index<D>, doc: u32) -> [u8; FIELDS] {
        self.flat.unwrap_or_else(|| ix.norms(doc))
    }

    /// The idf of a term found in `df` entries.
    pub(super) fn idf(&self, df: u32) -> f32 {
        idf(self.n, df)
    }

    #[inline]
    pub(super) fn tf(&self, tfs: &[u32; FIELDS], norms: [u8; FIELDS]) -> f32 {
        self.model.tf(tfs, norms)
    }
}

/// A word being evaluated: a cursor per term it expands to, exact terms
/// first, then prefix extensions, then typo corrections. An entry matches
/// the word as well as the best of the terms it contains: the best kind
/// (its tier), then among terms of that kind the best score — a maximum,
/// not a sum, so that a word's ranking can be proven from each term's best
/// entries (`tops`) alone (see `tops_page`).
pub(super) struct Word<'a> {
    pub(super) cursors: Vec<(PostingCursor<'a>, u8, f32)>,
    pub(super) cost: u64,
}

impl<'a> Word<'a> {
    /// (tier, score) of `doc`, if it contains the word. Docs must be asked
    /// for in increasing order.
    pub(super) fn probe<D: AsRef<[u8]>>(
        &mut self,
        ix: &Index<D>,
        sc: &Scorer,
        doc: u32,
    ) -> Result<Option<(u16, f32)>, IndexError> {
        let mut tier = u16::MAX;
        let mut score = 0f32;
        for (c, kind, w) in self.cursors.iter_mut() {
            c.seek(doc)?;
            if c.doc() == doc {
                better(
                    &mut tier,
                    &mut score,
                    *kind as u16,
                    *w * sc.tf(&c.freqs(), sc.norms(ix, doc)),
                );
            }
        }
        Ok((tier != u16::MAX).then_some((tier, score)))
    }

    /// Every entry in `ranges` (ascending) that contains the word, in id
    /// order: a k-way merge of the cursors. For selective words.
    pub(super) fn collect<D: AsRef<[u8]>>(
        &mut self,
        ix: &Index<D>,
        sc: &Scorer,
        ranges: &[Range<u32>],
        out: &mut Vec<Cand>,
    ) -> Result<(), IndexError> {
        for r in ranges.iter().filter(|r| !r.is_empty()) {
            for (c, _, _) in self.cursors.iter_mut() {
                c.seek(r.start)?;
            }
            loop {
                let doc = self.cursors.iter().map(|c| c.0.doc()).min().unwrap_or(u32::MAX);
                if doc >= r.end {
                    break;
                }
                let norms = sc.norms(ix, doc);
                let mut tier = u16::MAX;
                let mut score = 0f32;
                for (c, kind, w) in self.cursors.iter_mut() {
                    if c.doc() == doc {
                        better(&mut tier, &mut score, *kind as u16, *w * sc.tf(c.tfs(), norms));
                        c.advance()?;
                    }
                }
                out.push(Cand { doc, tier, score });
            }
        }
        Ok(())
    }

    /// Adds the word to the dense accumulators: entries whose `cnt` is
    /// `step` (they matched every earlier word) move to `step + 1`. Cursors
    /// run in kind order, so the first term to reach an entry has its best
    /// kind; a later term of that kind replaces its score if higher. For
    /// common words: no seeks, one pass over each list.
    pub(super) fn accumulate<D: AsRef<[u8]>>(
        &mut self,
        ix: &Index<D>,
        sc: &Scorer,
        ranges: &[Range<u32>],
        slots: &mut [Slot],
        step: u8,
    ) -> Result<(), IndexError> {
        for (c, kind, w) in self.cursors.iter_mut() {
            let (kind, w) = (*kind as u16, *w);
            for r in ranges.iter().filter(|r| !r.is_empty()) {
                c.seek(r.start)?;
                c.for_each_until(r.end, |d, tfs| {
                    let Some(slot) = slots.get_mut(d as usize) else { return };
                    if slot.cnt == step {
                        let s = w * sc.tf(tfs, sc.norms(ix, d));
                        slot.cnt = step + 1;
                        slot.tier += kind;
                        slot.kind = kind as u8;
                        slot.base = slot.score;
                        slot.word = s;
                        slot.score = slot.base + s;
                    } else if slot.cnt == step + 1 && slot.kind as u16 == kind {
                        let s = w * sc.tf(tfs, sc.norms(ix, d));
                        if s > slot.word {
                            slot.word = s;
                            slot.score = slot.base + s;
                        }
                    }
                })?;
            }
        }
        Ok(())
    }
}

/// Dense per-entry accumulator (for queries whose words are common).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Slot {
    pub(super) score: f32,
    /// The score before the word being added.
    pub(super) base: f32,
    /// That word's score so far (its best term's).
    pub(super) word: f32,
    pub(super) tier: u16,
    /// That word's best kind so far.
    pub(super) kind: u8,
    /// How many words (plus one for the author filter, when there is one)
    /// the entry has matched so far.
    pub(super) cnt: u8,
}

/// A phrase being evaluated: one cursor per term.
pub(super) struct Phrase<'a> {
    pub(super) cursors: Vec<PostingCursor<'a>>,
    pub(super) idfs: f32,
}

impl<'a> Phrase<'a> {
    /// Every entry in `ranges` that contains the phrase (leapfrog join).
    pub(super) fn collect<D: AsRef<[u8]>>(
        &mut self,
        ix: &Index<D>,
        sc: &Scorer,
        ranges: &[Range<u32>],
        buf: &mut PhraseBufs,
        out: &mut Vec<Cand>,
    ) -> Result<(), IndexError> {
        for r in ranges.iter().filter(|r| !r.is_empty()) {
            let mut target = r.start;
            loop {
                let mut agree = true;
                for c in self.cursors.iter_mut() {
                    c.seek(target)?;
                    if c.doc() != target {
                        agree = false;
                        target = c.doc();
                    }
                }
                if target >= r.end {
                    break;
                }
                if agree {
                    if let Some((tier, score)) =
                        phrase_probe(ix, sc, &mut self.cursors, self.idfs, target, buf)?
                    {
                        out.push(Cand { doc: target, tier, score });
                    }
                    target += 1;
                }
            }
        }
        Ok(())
    }
}

pub(super) fn phrase_probe<D: AsRef<[u8]>>(
    ix: &Index<D>,
    sc: &Scorer,
    cursors: &mut [PostingCursor<'_>],
    idfs: f32,
    doc: u32,
    buf: &mut PhraseBufs,
) -> Result<Option<(u16, f32)>, IndexError> {
    for c in cursors.iter_mut() {
        c.seek(doc)?;
        if c.doc() != doc {
            return Ok(None);
        }
    }
    if phrase_at(cursors, buf)? {
        let norms = sc.norms(ix, doc);
        let s: f32 = cursors.iter().map(|c| sc.tf(c.tfs(), norms)).sum::<f32>() * idfs;
        Ok(Some((0, s)))
    } else {
        Ok(None)
    }
}

/// Position buffers reused between phrase checks.
#[derive(Default)]
pub(super) struct PhraseBufs {
    pos: Vec<Vec<u32>>,
}

/// Whether the cursors (all on the same doc) hold their terms at
/// consecutive positions of one field.
fn phrase_at(cursors: &mut [PostingCursor<'_>], buf: &mut PhraseBufs) -> Result<bool, IndexError> {
    if cursors.len() <= 1 {
        return Ok(true);
    }
    let mask = cursors.iter().fold(0xffu8, |m, c| m & c.mask());
    if buf.pos.len() < cursors.len() {
        buf.pos.resize_with(cursors.len(), Vec::new);
    }
    for f in 0..FIELDS {
        if mask & (1 << f) == 0 {
            continue;
        }
        for (c, p) in cursors.iter_mut().zip(buf.pos.iter_mut()) {
            p.clear();
            c.positions(f, p)?;
        }
        let first = &buf.pos[0];
        'start: for &p0 in first {
            for (i, p) in buf.pos.iter().enumerate().take(cursors.len()).skip(1) {
                let want = match p0.checked_add(i as u32) {
                    Some(w) => w,
                    None => continue 'start,
                };
                if p.binary_search(&want).is_err() {
                    continue 'start;
                }
            }
            return Ok(true);
        }
    }
    Ok(false)
}

/// A word's cursors; `lazy` ones (see [`Postings::lazy_cursor`]) for
/// probing a few entries rather than reading whole lists.
pub(super) fn word_clause<'a, D: AsRef<[u8]>>(
    ix: &'a Index<D>,
    sc: &Scorer,
    exps: &[Exp],
    lazy: bool,
) -> Result<Word<'a>, IndexError> {
    // One idf for the whole word (from its most frequent term), so that a
    // rare extension does not outscore the word itself.
    let df = exps.iter().map(|e| e.df).max().unwrap_or(1);
    let idf = sc.idf(df);
    let mut cursors = Vec::with_capacity(exps.len());
    let mut cost = 0u64;
    let mut exps: Vec<&Exp> = exps.iter().collect();
    crate::sort::sort_by_key(&mut exps, |e| e.kind);
    let lists = each(&exps, |e| ix.postings(e.ord))?;
    for (e, p) in exps.into_iter().zip(lists) {
        let w = term_weight(idf, e.kind);
        cursors.push((if lazy { p.lazy_cursor()? } else { p.cursor()? }, e.kind, w));
        cost += e.df as u64;
    }
    Ok(Word { cursors, cost })
}

/// `None` if a term of the phrase is not in the dictionary.
pub(super) fn phrase_clause<'a, D: AsRef<[u8]>>(
    ix: &'a Index<D>,
    sc: &Scorer,
    terms: &[String],
) -> Result<Option<(Phrase<'a>, u64)>, IndexError> {
    let ords = each(terms, |t| ix.term_ord(t))?;
    let Some(ords) = ords.into_iter().collect::<Option<Vec<u32>>>() else { return Ok(None) };
    let lists = each(ords, |o| ix.postings(o))?;
    let mut cursors = Vec::with_capacity(terms.len());
    let mut cost = u64::MAX;
    let mut idfs = 0.0;
    for p in lists {
        cost = cost.min(p.df() as u64);
        idfs += sc.idf(p.df());
        cursors.push(p.cursor()?);
    }
    Ok(Some((Phrase { cursors, idfs: idfs / terms.len().max(1) as f32 }, cost)))
}
