//! Any query (phrases, authors, exclusions, any order): two passes. Every
//! match is scored with average field lengths, then the best [`RERANK`]
//! are rescored exactly (see [`rerank`]). In steps: the author filter, the
//! clauses, the starting candidates, the other words and phrases, the
//! exclusions, then the page.

use std::ops::Range;
use std::sync::Mutex;

use crate::index::{Index, IndexError};
use crate::rank::EXACT;
use crate::text;

use super::clauses::{
    phrase_clause, phrase_probe, word_clause, Phrase, PhraseBufs, Scorer, Slot, Word,
};
use super::collect::{in_ranges, keep_best, ordered, rerank, sort_ranked, Cand, RERANK};
use super::expand::{expand, Exp};
use super::facets::{self, Facets};
use super::histogram::histogram;
use super::query::Parsed;
use super::snippet::{make_hits, Marker};
use super::{corrections, soft, Query, Results, SearchError, Sort};

/// A query's clauses, opened.
#[derive(Default)]
struct Clauses<'a> {
    /// Words, in query order (sorted by cost before use).
    words: Vec<Word<'a>>,
    /// Phrases and their costs (the rarest term's entries).
    phrases: Vec<(Phrase<'a>, u64)>,
    /// Excluded words (their exact terms).
    neg_words: Vec<Word<'a>>,
    /// Excluded phrases.
    neg_phrases: Vec<Phrase<'a>>,
    /// The terms of each word that is in the dictionary.
    word_exps: Vec<Vec<Exp>>,
    /// What to highlight.
    marker: Marker,
    /// Some word or phrase matches nothing: nothing matches.
    impossible: bool,
}

/// Answers any query (see the module docs).
pub(super) fn general<D: AsRef<[u8]>>(
    ix: &Index<D>,
    slots: &Mutex<Vec<Slot>>,
    facets: &Facets,
    q: &Query,
    parsed: &Parsed,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<Results, SearchError> {
    let bounded = from.is_some() || to.is_some();
    let dated = ix.id_range(from, to);
    let undated = ix.n_dated..ix.n_entries;
    let ranges = [dated.clone(), undated.clone()];
    let sc = Scorer::flat(ix);
    let mut bufs = PhraseBufs::default();
    let mut pending = false;

    let author_ids = author_filter(ix, q, &mut pending)?;
    let mut cl = open_clauses(ix, &sc, parsed, &mut pending)?;
    if pending && !cl.impossible {
        return Err(IndexError::NotLoaded.into());
    }
    crate::sort::sort_by_key(&mut cl.words, |w| w.cost);
    crate::sort::sort_by_key(&mut cl.phrases, |p| p.1);
    let browse = cl.words.is_empty() && cl.phrases.is_empty() && !cl.impossible;

    let Clauses { words, phrases, neg_words, neg_phrases, word_exps, marker, impossible } = cl;
    let mut cands: Vec<Cand> = Vec::new();
    if impossible {
        // Some word or phrase matches nothing: nothing matches.
    } else if browse && author_ids.is_none() && neg_words.is_empty() && neg_phrases.is_empty() {
        // Every entry of the range: no need to list them one by one.
        let mut r = browse_all(ix, facets, q, bounded, dated, undated, from, to)?;
        r.terms = parsed.terms();
        return Ok(r);
    } else {
        let (mut words, mut phrases) = (words, phrases);
        let started =
            start(ix, &sc, &ranges, author_ids, &mut words, &mut phrases, &mut bufs, &mut cands)?;
        add_words(ix, &sc, slots, &ranges, started, words, &mut cands)?;
        for (mut p, _) in phrases {
            retain(&mut cands, |c| {
                Ok(phrase_probe(ix, &sc, &mut p.cursors, p.idfs, c.doc, &mut bufs)?
                    .map(|(_, score)| Cand { doc: c.doc, tier: c.tier, score: c.score + score }))
            })?;
        }
    }
    for mut w in neg_words {
        retain(&mut cands, |c| Ok(w.probe(ix, &sc, c.doc)?.is_none().then_some(c)))?;
    }
    for mut p in neg_phrases {
        retain(&mut cands, |c| {
            let found = phrase_probe(ix, &sc, &mut p.cursors, p.idfs, c.doc, &mut bufs)?;
            Ok(found.is_none().then_some(c))
        })?;
    }
    page(ix, facets, q, parsed, &word_exps, &marker, cands, browse, from, to)
}

/// The author filter: the union of the named authors' entries, ascending
/// (`None`: no author named). A shard not loaded is noted in `pending`.
fn author_filter<D: AsRef<[u8]>>(
    ix: &Index<D>,
    q: &Query,
    pending: &mut bool,
) -> Result<Option<Vec<u32>>, IndexError> {
    if !q.authors.iter().any(|a| !a.trim().is_empty()) {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for (i, row) in ix.authors.iter().enumerate() {
        if q.authors.iter().any(|a| a == &row.name || text::fold(a) == text::fold(&row.name)) {
            ids.extend(soft(ix.author_ids(i), pending)?.unwrap_or_default());
        }
    }
    crate::sort::sort(&mut ids);
    ids.dedup();
    Ok(Some(ids))
}

/// Opens every clause of the query, noting in `pending` the shards that are
/// not loaded (and going on, to ask for them all at once).
fn open_clauses<'a, D: AsRef<[u8]>>(
    ix: &'a Index<D>,
    sc: &Scorer,
    parsed: &Parsed,
    pending: &mut bool,
) -> Result<Clauses<'a>, IndexError> {
    let mut cl = Clauses::default();
    for w in &parsed.words {
        let Some(exps) = soft(expand(ix, w), pending)? else { continue };
        if exps.is_empty() {
            cl.impossible = true;
            break;
        }
        cl.marker.prefixes.push(w.clone());
        cl.marker.terms.extend(exps.iter().filter_map(|e| e.typo.clone()));
        cl.words.extend(soft(word_clause(ix, sc, &exps, false), pending)?);
        cl.word_exps.push(exps);
    }
    for ph in &parsed.phrases {
        if cl.impossible {
            break;
        }
        match soft(phrase_clause(ix, sc, ph), pending)? {
            Some(Some(c)) => {
                cl.marker.terms.extend(ph.iter().cloned());
                cl.phrases.push(c);
            }
            Some(None) => cl.impossible = true,
            None => {}
        }
    }
    for w in &parsed.not_words {
        let neg = |w: &str| -> Result<Option<Word<'_>>, IndexError> {
            let Some(o) = ix.term_ord(w)? else { return Ok(None) };
            let p = ix.postings(o)?;
            Ok(Some(Word { cost: p.df() as u64, cursors: vec![(p.cursor()?, EXACT, 0.0)] }))
        };
        cl.neg_words.extend(soft(neg(w), pending)?.flatten());
    }
    for ph in &parsed.not_phrases {
        if let Some(Some((c, _))) = soft(phrase_clause(ix, sc, ph), pending)? {
            cl.neg_phrases.push(c);
        }
    }
    Ok(cl)
}

/// The first candidates, from the most selective of: the author filter,
/// the cheapest word, the rarest phrase, or (browsing) the whole range. The
/// clause used is taken out of `words` or `phrases`. Returns whether it
/// started (when not, the words are added densely from nothing).
#[allow(clippy::too_many_arguments)]
fn start<'a, D: AsRef<[u8]>>(
    ix: &'a Index<D>,
    sc: &Scorer,
    ranges: &[Range<u32>; 2],
    author_ids: Option<Vec<u32>>,
    words: &mut Vec<Word<'a>>,
    phrases: &mut Vec<(Phrase<'a>, u64)>,
    bufs: &mut PhraseBufs,
    cands: &mut Vec<Cand>,
) -> Result<bool, IndexError> {
    if let Some(ids) = &author_ids {
        cands.extend(ids.iter().filter(|&&id| in_ranges(ranges, id)).map(|&doc| Cand {
            doc,
            tier: 0,
            score: 0.0,
        }));
        return Ok(true);
    }
    if let Some((p, _)) = phrases.first_mut().filter(|p| words.first().is_none_or(|w| p.1 < w.cost))
    {
        p.collect(ix, sc, ranges, bufs, cands)?;
        phrases.remove(0);
        return Ok(true);
    }
    let n = ix.n_entries as u64;
    if words.first().is_some_and(|w| w.cost.saturating_mul(16) < n) {
        let mut w = words.remove(0);
        w.collect(ix, sc, ranges, cands)?;
        return Ok(true);
    }
    if words.is_empty() {
        for r in ranges {
            cands.extend(r.clone().map(|doc| Cand { doc, tier: 0, score: 0.0 }));
        }
        return Ok(true);
    }
    Ok(false)
}

/// Adds the rest of the words: probes the candidates when they are few,
/// otherwise accumulates densely into the slots (the searcher's, unless
/// another query holds them).
fn add_words<D: AsRef<[u8]>>(
    ix: &Index<D>,
    sc: &Scorer,
    slots: &Mutex<Vec<Slot>>,
    ranges: &[Range<u32>; 2],
    started: bool,
    words: Vec<Word<'_>>,
    cands: &mut Vec<Cand>,
) -> Result<(), IndexError> {
    let mut guard = slots.try_lock().ok();
    let mut own = Vec::new();
    let slots: &mut Vec<Slot> = match guard.as_deref_mut() {
        Some(v) => v,
        None => &mut own,
    };
    slots.clear();
    let mut step: u8 = 0;
    for mut w in words {
        if slots.is_empty()
            && started
            && (cands.len() as u64) * (w.cursors.len() as u64) * 8 < w.cost
        {
            retain(cands, |c| {
                Ok(w.probe(ix, sc, c.doc)?.map(|(tier, score)| Cand {
                    doc: c.doc,
                    tier: c.tier.saturating_add(tier),
                    score: c.score + score,
                }))
            })?;
            continue;
        }
        if slots.is_empty() {
            slots.resize(ix.n_entries as usize, Slot::default());
            if started {
                step = 1;
                for c in cands.drain(..) {
                    if let Some(s) = slots.get_mut(c.doc as usize) {
                        *s = Slot { score: c.score, tier: c.tier, cnt: 1, ..Slot::default() };
                    }
                }
            }
        }
        w.accumulate(ix, sc, ranges, slots, step)?;
        step += 1;
    }
    if !slots.is_empty() {
        for r in ranges {
            for doc in r.clone() {
                if let Some(s) = slots.get(doc as usize).filter(|s| s.cnt == step) {
                    cands.push(Cand { doc, tier: s.tier, score: s.score });
                }
            }
        }
    }
    Ok(())
}

/// Keeps, in order, the candidates that `f` maps to `Some` (replaced by
/// what it returns).
fn retain(
    cands: &mut Vec<Cand>,
    mut f: impl FnMut(Cand) -> Result<Option<Cand>, IndexError>,
) -> Result<(), IndexError> {
    let mut k = 0;
    for i in 0..cands.len() {
        if let Some(c) = f(cands[i])? {
            cands[k] = c;
            k += 1;
        }
    }
    cands.truncate(k);
    Ok(())
}

/// The results from every match (`cands`, in id order: dated in range
/// first, then undated): the count, the histogram, and the page ranked
/// (the best [`RERANK`] rescored) or in date order.
#[allow(clippy::too_many_arguments)]
fn page<D: AsRef<[u8]>>(
    ix: &Index<D>,
    facets: &Facets,
    q: &Query,
    parsed: &Parsed,
    word_exps: &[Vec<Exp>],
    marker: &Marker,
    mut cands: Vec<Cand>,
    browse: bool,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<Results, SearchError> {
    let bounded = from.is_some() || to.is_some();
    let split = cands.partition_point(|c| c.doc < ix.n_dated);
    let undated_count = cands.len() - split;
    if bounded {
        cands.truncate(split);
    }
    let dated_cands = &cands[..split];
    let below = |id: u32| dated_cands.partition_point(|c| c.doc < id);
    let histogram = histogram(ix, &below, dated_cands.iter().map(|c| c.doc), from, to, bounded);
    let total = cands.len();
    let authors = facets.count(ix, |f| cands.iter().for_each(|c| f(c.doc)))?;
    let k = q.offset.saturating_add(q.limit).min(total);
    let page: Vec<Cand> = if q.offset >= k {
        Vec::new()
    } else if browse || q.sort != Sort::Relevance {
        let order = ordered(
            split,
            total,
            if browse && q.sort == Sort::Relevance { Sort::Newest } else { q.sort },
        );
        order.skip(q.offset).take(k - q.offset).map(|i| cands[i]).collect()
    } else {
        let keep = k.max(RERANK).min(cands.len());
        keep_best(&mut cands, keep, ix.n_dated);
        rerank(ix, word_exps, &parsed.phrases, &mut cands)?;
        if ix.needs_shards() {
            // The norms of the best candidates are being fetched.
            return Err(IndexError::NotLoaded.into());
        }
        sort_ranked(&mut cands, ix.n_dated);
        cands[q.offset..k].to_vec()
    };
    if ix.needs_shards() {
        // Scores came from missing norms: the page is not known yet, so do
        // not fetch entries for it.
        return Err(IndexError::NotLoaded.into());
    }
    let hits = make_hits(ix, page, marker)?;
    let mut r = Results::new(total, hits, histogram, undated_count);
    r.authors = authors;
    r.terms = parsed.terms();
    r.corrections = corrections(&parsed.words, word_exps);
    Ok(r)
}

/// Browsing every entry of the range, newest (or oldest) first.
#[allow(clippy::too_many_arguments)]
fn browse_all<D: AsRef<[u8]>>(
    ix: &Index<D>,
    facets: &Facets,
    q: &Query,
    bounded: bool,
    dated: Range<u32>,
    undated: Range<u32>,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<Results, SearchError> {
    let n_dated = dated.len();
    let total = n_dated + if bounded { 0 } else { undated.len() };
    let below = |id: u32| (id.clamp(dated.start, dated.end) - dated.start) as usize;
    let histogram = histogram(ix, &below, dated.clone(), from, to, bounded);
    let k = q.offset.saturating_add(q.limit).min(total);
    let sort = if q.sort == Sort::Oldest { Sort::Oldest } else { Sort::Newest };
    let marker = Marker::default();
    let mut page = Vec::new();
    if q.offset < k {
        for i in ordered(n_dated, total, sort).skip(q.offset).take(k - q.offset) {
            let id = if i < n_dated {
                dated.start + i as u32
            } else {
                undated.start + (i - n_dated) as u32
            };
            page.push(Cand { doc: id, tier: 0, score: 0.0 });
        }
    }
    let hits = make_hits(ix, page, &marker)?;
    let mut r = Results::new(total, hits, histogram, undated.len());
    r.authors = if bounded {
        facets.count(ix, |f| dated.clone().for_each(&mut *f))?
    } else {
        let counts: Vec<u32> = ix.authors.iter().map(|a| a.count).collect();
        facets::sorted(ix, &counts)
    };
    Ok(r)
}
