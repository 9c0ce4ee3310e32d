//! Queries of words (and excluded words) in relevance order: the page from
//! the terms' tops when they prove it, else from the words' dense scores.

use std::sync::Mutex;

use crate::index::tops::TOP_N;
use crate::index::{Index, IndexError};

use super::collect::{rerank, sort_ranked, Cand, RERANK};
use super::dense::{rank_dense, WordCache};
use super::expand::expand;
use super::facets::Facets;
use super::histogram::histogram;
use super::idset::IdSet;
use super::query::Parsed;
use super::snippet::{make_hits, Marker};
use super::tops_page::tops_page;
use super::{corrections, each, Query, Results, SearchError};

/// A query of words (and excluded words), in relevance order: its page
/// proven from the tops of its terms ([`tops_page`]) and counted from the
/// lists' document ids only ([`IdSet`]); otherwise every match ranked from
/// the words' dense scores ([`rank_dense`]), as [`general`] would rank it.
///
/// Over a sharded index whose lists are not loaded yet, `q.partial_ok` lets
/// a page the tops prove alone come first, without the total and histogram.
pub(super) fn words_only<D: AsRef<[u8]>>(
    ix: &Index<D>,
    cache: &Mutex<WordCache>,
    facets: &Facets,
    q: &Query,
    parsed: &Parsed,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<Results, SearchError> {
    let bounded = from.is_some() || to.is_some();
    let ranges = &[ix.id_range(from, to), ix.n_dated..ix.n_entries];
    let word_exps = each(&parsed.words, |w| expand(ix, w))?;
    if word_exps.iter().any(Vec::is_empty) {
        let mut r = Results::new(0, Vec::new(), Vec::new(), 0);
        r.terms = parsed.terms();
        return Ok(r);
    }
    let need = q.offset.saturating_add(q.limit);
    // A range leaves the undated entries out of the results.
    let shown = if bounded { &ranges[..1] } else { &ranges[..] };
    let count = || IdSet::matching(ix, &word_exps, &parsed.not_words, ranges);
    // Every match ranked, when the tops do not prove the page.
    let every = |counted: Option<IdSet>| -> Result<(Vec<Cand>, Option<IdSet>), SearchError> {
        let keep = need.max(RERANK).min(ix.n_entries as usize);
        let (mut cands, set) =
            rank_dense(ix, cache, parsed, &word_exps, ranges, shown, keep, counted)?;
        rerank(ix, &word_exps, &[], &mut cands)?;
        if ix.needs_shards() {
            // The norms of the best candidates are being fetched.
            return Err(IndexError::NotLoaded.into());
        }
        sort_ranked(&mut cands, ix.n_dated);
        Ok((cands, Some(set)))
    };
    let tops = need <= TOP_N;
    // Excluded words: the matches first (the tops know nothing of them).
    let (found, counted) = if !tops {
        every(None)?
    } else if parsed.not_words.is_empty() {
        match tops_page(ix, &word_exps, None, shown, need)? {
            None => every(None)?,
            Some(found) => {
                // Counting — asked for before the page's entries so that one
                // round fetches both, unless the page may come first.
                let mark = ix.wants_mark();
                match count() {
                    Ok(set) => (found, Some(set)),
                    Err(IndexError::NotLoaded) => {
                        if q.partial_ok {
                            ix.forget_wants_since(mark);
                        }
                        (found, None)
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
    } else {
        let set = count()?;
        match tops_page(ix, &word_exps, Some(&set), shown, need)? {
            Some(found) => (found, Some(set)),
            // The matches are counted already.
            None => every(Some(set))?,
        }
    };
    let page: Vec<Cand> = found.iter().skip(q.offset).take(q.limit).copied().collect();
    let marker = Marker {
        terms: word_exps.iter().flatten().filter_map(|e| e.typo.clone()).collect(),
        prefixes: parsed.words.clone(),
    };
    let hits = make_hits(ix, page, &marker)?;
    let Some(mut set) = counted else {
        if !q.partial_ok {
            return Err(IndexError::NotLoaded.into());
        }
        // A lower bound: the entries found, or one word's largest list when
        // no range cuts it.
        let total = match word_exps.as_slice() {
            [one] if !bounded => one.iter().map(|e| e.df as usize).max().unwrap_or(0),
            _ => 0,
        };
        let mut r = Results::new(total.max(found.len()), hits, Vec::new(), 0);
        r.partial = true;
        r.terms = parsed.terms();
        r.corrections = corrections(&parsed.words, &word_exps);
        return Ok(r);
    };
    set.finish();
    let split = set.below(ix.n_dated);
    let undated = set.count() - split;
    let histogram =
        histogram(ix, &|id| set.below(id), set.iter(ranges[0].clone()), from, to, bounded);
    let total = if bounded { split } else { set.count() };
    let mut r = Results::new(total, hits, histogram, undated);
    r.authors = facets.count(ix, |f| {
        for range in shown {
            set.for_each(range.clone(), &mut *f);
        }
    })?;
    r.corrections = corrections(&parsed.words, &word_exps);
    r.terms = parsed.terms();
    Ok(r)
}
