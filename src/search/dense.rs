//! The dense path of a words-only query: each word's first-pass scores in
//! an array over every entry ([`WordScores`], kept across keystrokes in a
//! [`WordCache`]), summed over the matches to rank them ([`rank_dense`]).

use std::ops::Range;
use std::sync::{Arc, Mutex};

use crate::index::format::POSTING_BLOCK;
use crate::index::{Index, IndexError};
use crate::rank::{pack, term_weight, tf_with, unpack};

use super::clauses::Scorer;
use super::collect::{Best, Cand};
use super::each;
use super::expand::{expand, Exp};
use super::idset::IdSet;
use super::query::{parse, Parsed};

/// One word's matches with their first-pass scores (average field
/// lengths, [`Scorer::flat`]): per entry, the word's best (kind, score)
/// packed in a `u32` that orders as matches rank ([`pack`]; 0: no match),
/// and the entries as bits. About 4 bytes per entry of the index: a
/// million-entry archive's word takes 4.1 MB.
pub(super) struct WordScores {
    key: Vec<u32>,
    bits: Vec<u64>,
}

/// The [`WORD_CACHE`] words whose scores were used last, the latest last.
/// A query is typed a word at a time, so every keystroke finds the words
/// before the one being typed here, and only that one reads its lists.
#[derive(Default)]
pub(super) struct WordCache {
    words: Vec<(String, Arc<WordScores>)>,
}

/// Words whose scores are kept (each ~4 bytes per entry).
const WORD_CACHE: usize = 6;

/// The first-pass scores of `word` (whose terms are `exps`), from the
/// cache or from its lists — every posting decoded once, into dense arrays.
fn word_scores<D: AsRef<[u8]>>(
    ix: &Index<D>,
    cache: &Mutex<WordCache>,
    sc: &Scorer,
    word: &str,
    exps: &[Exp],
) -> Result<Arc<WordScores>, IndexError> {
    if let Ok(mut cache) = cache.lock() {
        if let Some(at) = cache.words.iter().position(|(k, _)| k == word) {
            // The most recently used last: what the next keystrokes reuse.
            let hit = cache.words.remove(at);
            let w = hit.1.clone();
            cache.words.push(hit);
            return Ok(w);
        }
    }
    let flat = sc.flat.unwrap_or_else(|| Scorer::flat(ix).flat.unwrap_or_default());
    let idf = sc.idf(exps.iter().map(|e| e.df).max().unwrap_or(1));
    let lists = each(exps, |e| ix.postings(e.ord))?;
    let n = ix.n_entries as usize;
    let mut w = WordScores { key: vec![0; n], bits: vec![0; n.div_ceil(64)] };
    for (e, p) in exps.iter().zip(&lists) {
        let wt = term_weight(idf, e.kind);
        let fac = sc.model.factors(flat);
        let (key, bits) = (&mut w.key, &mut w.bits);
        // A block's scores in one loop of arithmetic only (it vectorizes),
        // then stored.
        let mut keys = [0u32; POSTING_BLOCK];
        p.cursor()?.for_each_block(|docs, tfs| {
            for (k, t) in keys.iter_mut().zip(tfs) {
                *k = pack(e.kind, wt * tf_with(t, &fac));
            }
            for (&d, &k) in docs.iter().zip(&keys) {
                if let (Some(slot), Some(b)) =
                    (key.get_mut(d as usize), bits.get_mut(d as usize / 64))
                {
                    *slot = (*slot).max(k);
                    *b |= 1 << (d % 64);
                }
            }
        })?;
    }
    let w = Arc::new(w);
    if let Ok(mut cache) = cache.lock() {
        if cache.words.len() >= WORD_CACHE {
            cache.words.remove(0);
        }
        cache.words.push((word.to_string(), w.clone()));
    }
    Ok(w)
}

/// Every match of a words-only query, by the first pass's scores: the
/// `keep` best (in no order), and all of them as an [`IdSet`] over
/// `ranges`. The same ranking as [`general`]'s first pass, from each word's
/// dense scores ([`word_scores`], mostly cached while typing) instead of a
/// merge of every list. `counted`: the matches, when the caller has them.
#[allow(clippy::too_many_arguments)]
pub(super) fn rank_dense<D: AsRef<[u8]>>(
    ix: &Index<D>,
    cache: &Mutex<WordCache>,
    parsed: &Parsed,
    word_exps: &[Vec<Exp>],
    ranges: &[Range<u32>; 2],
    shown: &[Range<u32>],
    keep: usize,
    counted: Option<IdSet>,
) -> Result<(Vec<Cand>, IdSet), IndexError> {
    let sc = Scorer::flat(ix);
    let words =
        each(parsed.words.iter().zip(word_exps), |(w, e)| word_scores(ix, cache, &sc, w, e))?;
    // The matches: every word's, none of an excluded word's, in the ranges.
    let set = match counted {
        Some(set) => set,
        None => {
            let mut set = IdSet::new(ix.n_entries);
            for r in ranges {
                set.fill(r.clone());
            }
            for w in &words {
                set.and(&w.bits);
            }
            set.exclude(ix, &parsed.not_words, ranges)?;
            set
        }
    };
    let mut best = Best::new(keep, ix.n_dated);
    for r in shown {
        set.for_each(r.clone(), |doc| {
            let (mut tier, mut score) = (0u16, 0f32);
            for w in &words {
                let (t, s) = unpack(w.key.get(doc as usize).copied().unwrap_or(0));
                tier = tier.saturating_add(t);
                score += s;
            }
            best.push(Cand { doc, tier, score });
        });
    }
    Ok((best.into_vec(), set))
}

/// Computes the scores of `query`'s words that `cache` does not keep yet,
/// when their lists are loaded (it fetches nothing): see
/// [`super::Searcher::prepare`]. Returns how many words it computed.
pub(super) fn prepare<D: AsRef<[u8]>>(
    ix: &Index<D>,
    cache: &Mutex<WordCache>,
    query: &str,
) -> usize {
    let parsed = parse(query);
    let mark = ix.wants_mark();
    let sc = Scorer::flat(ix);
    let mut computed = 0;
    for w in &parsed.words {
        let kept = cache.lock().is_ok_and(|c| c.words.iter().any(|(k, _)| k == w));
        if kept {
            continue;
        }
        match expand(ix, w).and_then(|e| word_scores(ix, cache, &sc, w, &e)) {
            Ok(_) => computed += 1,
            Err(_) => break,
        }
    }
    ix.forget_wants_since(mark);
    computed
}
