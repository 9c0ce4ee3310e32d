//! Keeping the best candidates: the top-k heap ([`Best`], [`keep_best`]),
//! rescoring them with their own field lengths ([`rerank`]), and the orders
//! a page is read in.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::Range;

use crate::index::{Index, IndexError};
use crate::rank::{beats, Rank};

use super::clauses::{phrase_clause, phrase_probe, word_clause, PhraseBufs, Scorer};
use super::expand::Exp;
use super::{each, Sort};

/// Matches rescored with their own field lengths after the first pass (at
/// least the page asked for).
pub(super) const RERANK: usize = 100;

/// A matching entry while a query is evaluated.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cand {
    /// Entry id.
    pub(super) doc: u32,
    /// Sum over words of the match kind (0 exact, 1 prefix, 2–4 typo).
    pub(super) tier: u16,
    /// BM25F score.
    pub(super) score: f32,
}

impl Cand {
    /// Where the candidate ranks, in an index whose first `n_dated`
    /// entries are dated.
    #[inline]
    pub(super) fn rank(&self, n_dated: u32) -> Rank {
        Rank::new(self.tier, self.score, self.doc, n_dated)
    }
}

/// Sorts `cands` in rank order, best first.
pub(super) fn sort_ranked(cands: &mut [Cand], n_dated: u32) {
    crate::sort::sort_by(cands, |a, b| rank_cmp(a, b, n_dated));
}

/// The rank order of two candidates. Out of line in the wasm build: the
/// sort's helpers each call it, and inlining it into all of them costs the
/// module about 3 KB.
#[cfg_attr(target_arch = "wasm32", inline(never))]
fn rank_cmp(a: &Cand, b: &Cand, n_dated: u32) -> Ordering {
    a.rank(n_dated).cmp(&b.rank(n_dated))
}

/// Rescores `cands` with each entry's own field lengths: the sum, as the
/// first pass summed it, of every word's and phrase's score. Only these few
/// entries' norms are read — over a sharded index, only their pieces are
/// fetched — while the first pass scored every match at average lengths.
pub(super) fn rerank<D: AsRef<[u8]>>(
    ix: &Index<D>,
    word_exps: &[Vec<Exp>],
    phrases: &[Vec<String>],
    cands: &mut [Cand],
) -> Result<(), IndexError> {
    let sc = Scorer::new(ix);
    let mut words = each(word_exps, |e| word_clause(ix, &sc, e, true))?;
    let mut phs = Vec::new();
    for ph in phrases {
        if let Some((p, _)) = phrase_clause(ix, &sc, ph)? {
            phs.push(p);
        }
    }
    let mut bufs = PhraseBufs::default();
    crate::sort::sort_by_key(cands, |c| c.doc);
    for c in cands.iter_mut() {
        let mut score = 0f32;
        for w in words.iter_mut() {
            if let Some((_, s)) = w.probe(ix, &sc, c.doc)? {
                score += s;
            }
        }
        for p in phs.iter_mut() {
            if let Some((_, s)) = phrase_probe(ix, &sc, &mut p.cursors, p.idfs, c.doc, &mut bufs)? {
                score += s;
            }
        }
        c.score = score;
    }
    Ok(())
}

/// Keeps the `keep` best candidates (in no order), in the order queries
/// rank: tier, then score (higher first), then newer, then lower id — one
/// pass with a bounded heap of integer keys, as most candidates of a large
/// result are turned away by one comparison with the worst kept.
pub(super) fn keep_best(cands: &mut Vec<Cand>, keep: usize, n_dated: u32) {
    if keep >= cands.len() {
        return;
    }
    let mut best = Best::new(keep, n_dated);
    for &c in cands.iter() {
        best.push(c);
    }
    *cands = best.into_vec();
}

/// The best candidates pushed so far (see [`keep_best`]).
pub(super) struct Best {
    /// ([`Rank::key`], tier and score bits); the key's low bits are the doc.
    heap: BinaryHeap<(u128, u64)>,
    keep: usize,
    n_dated: u32,
    /// The worst kept (tier, score), once the heap is full: what ranks
    /// strictly below it is turned away without a key.
    worst: Option<(u16, f32)>,
}

impl Best {
    /// A heap keeping the `keep` best pushed.
    pub(super) fn new(keep: usize, n_dated: u32) -> Best {
        let room = keep.min(1 << 16).saturating_add(1);
        Best { heap: BinaryHeap::with_capacity(room), keep, n_dated, worst: None }
    }

    /// Offers a candidate.
    #[inline]
    pub(super) fn push(&mut self, c: Cand) {
        if let Some((t, s)) = self.worst {
            if beats(t, s, c.tier, c.score) {
                return;
            }
        }
        self.push_key(c);
    }

    fn push_key(&mut self, c: Cand) {
        let k = c.rank(self.n_dated).key();
        let v = (c.tier as u64) << 32 | c.score.to_bits() as u64;
        if self.heap.len() < self.keep {
            self.heap.push((k, v));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if k < worst.0 {
                *worst = (k, v);
            }
        }
        if self.heap.len() >= self.keep {
            self.worst =
                self.heap.peek().map(|&(_, v)| ((v >> 32) as u16, f32::from_bits(v as u32)));
        }
    }

    /// The candidates kept, in no order.
    pub(super) fn into_vec(self) -> Vec<Cand> {
        self.heap
            .into_iter()
            .map(|(k, v)| Cand {
                doc: k as u32,
                tier: (v >> 32) as u16,
                score: f32::from_bits(v as u32),
            })
            .collect()
    }
}

/// Whether `id` is in one of `ranges`.
pub(super) fn in_ranges(ranges: &[Range<u32>], id: u32) -> bool {
    ranges.iter().any(|r| r.contains(&id))
}

/// Indices into an id-sorted list of `total` items whose first `split` are
/// dated, in the order `sort` asks for (undated always last, by id).
pub(super) fn ordered(split: usize, total: usize, sort: Sort) -> Box<dyn Iterator<Item = usize>> {
    match sort {
        Sort::Newest => Box::new((0..split).rev().chain(split..total)),
        _ => Box::new(0..total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_best_keeps_what_sorting_would() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as u32
        };
        for round in 0..200 {
            let n = (next() % 300) as usize;
            let n_dated = next() % 400;
            let mut cands: Vec<Cand> = Vec::new();
            let mut doc = 0;
            for _ in 0..n {
                doc += 1 + next() % 3;
                // Few distinct scores and tiers, so that ties are common.
                let score = [0.0, 1.5, 2.25, 7.0, 0.1][(next() % 5) as usize];
                cands.push(Cand { doc, tier: (next() % 3) as u16, score });
            }
            let keep = (next() % 120) as usize;
            let cmp = |a: &Cand, b: &Cand| a.rank(n_dated).cmp(&b.rank(n_dated));
            let mut want = cands.clone();
            want.sort_by(cmp);
            want.truncate(keep);
            let mut got = cands.clone();
            keep_best(&mut got, keep, n_dated);
            got.sort_by(cmp);
            let docs = |v: &[Cand]| v.iter().map(|c| c.doc).collect::<Vec<_>>();
            assert_eq!(docs(&got), docs(&want), "round {round}");
        }
    }
}
