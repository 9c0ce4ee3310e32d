//! The ranking model, shared by the index writer and the search: BM25F over
//! four fields with idf, the weights of prefix and typo matches, recency, and
//! [`Rank`], the one order results are ranked in (with its packed forms).
//!
//! The writer stores, for every term, the entries that score best for it
//! alone (`tops`, see `docs/format.md`), scored by this model, so that a
//! one-word query ranks its first pages from a few hundred bytes instead of
//! the whole postings list. The model is therefore part of the index:
//! changing a constant here means rebuilding indexes (the format version
//! says so). Only multiplications, additions and divisions of `f32` are
//! used, so every platform — native and wasm — computes the same bits.

use std::cmp::Ordering;

use crate::model::fields::FIELDS;

/// BM25 term-frequency saturation.
pub(crate) const K1: f32 = 1.2;
/// Field weights: title, body, captions, authors.
pub(crate) const FIELD_WEIGHT: [f32; FIELDS] = [3.0, 1.0, 0.5, 0.5];
/// Per-field length normalization.
pub(crate) const FIELD_B: [f32; FIELDS] = [0.5, 0.75, 0.5, 0.3];

/// Average field lengths, as the reader derives them from the totals in
/// `meta` (never below one word).
pub(crate) fn avg_len(totals: [u64; FIELDS], n: u64) -> [f32; FIELDS] {
    let mut avg = [1.0f32; FIELDS];
    for f in 0..FIELDS {
        if n > 0 {
            avg[f] = (totals[f] as f64 / n as f64).max(1.0) as f32;
        }
    }
    avg
}

/// The term-frequency part of BM25F (no idf): per field and per norm code,
/// `weight / (1 − b + b·len/avg)`.
pub(crate) struct Bm25f {
    factor: [[f32; 256]; FIELDS],
}

impl Bm25f {
    /// The model for these average field lengths and norm-code lengths.
    pub(crate) fn new(avg_len: &[f32; FIELDS], norm_len: &[u32; 256]) -> Bm25f {
        let mut factor = [[0f32; 256]; FIELDS];
        for f in 0..FIELDS {
            for c in 0..256 {
                let len = norm_len[c] as f32;
                factor[f][c] = FIELD_WEIGHT[f] / (1.0 - FIELD_B[f] + FIELD_B[f] * len / avg_len[f]);
            }
        }
        Bm25f { factor }
    }

    /// The saturated, length-normalized term frequency of an entry with
    /// per-field frequencies `tfs` and field-length codes `norms`.
    #[inline]
    pub(crate) fn tf(&self, tfs: &[u32; FIELDS], norms: [u8; FIELDS]) -> f32 {
        tf_with(tfs, &self.factors(norms))
    }

    /// Each field's factor for an entry of these field-length codes.
    #[inline]
    pub(crate) fn factors(&self, norms: [u8; FIELDS]) -> [f32; FIELDS] {
        [
            self.factor[0][norms[0] as usize],
            self.factor[1][norms[1] as usize],
            self.factor[2][norms[2] as usize],
            self.factor[3][norms[3] as usize],
        ]
    }
}

/// The saturated, field-weighted term frequency given an entry's field
/// factors ([`Bm25f::factors`]): the one formula every score comes from.
/// Branch-free: absent fields have tf 0.
#[inline]
pub(crate) fn tf_with(tfs: &[u32; FIELDS], fac: &[f32; FIELDS]) -> f32 {
    let t = tfs[0] as f32 * fac[0]
        + tfs[1] as f32 * fac[1]
        + tfs[2] as f32 * fac[2]
        + tfs[3] as f32 * fac[3];
    t * (K1 + 1.0) / (t + K1)
}

/// The inverse document frequency of a term found in `df` of `n_entries`
/// entries (BM25's, never negative).
#[inline]
pub(crate) fn idf(n_entries: u32, df: u32) -> f32 {
    let (n, df) = (n_entries as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Newer ranks higher among equal scores: dated entries by id (ids run in
/// publication order), undated ones below all of them.
#[inline]
pub(crate) fn recency(id: u32, n_dated: u32) -> u32 {
    if id < n_dated {
        id + 1
    } else {
        0
    }
}

// ---------------------------------------------------------------- match kinds

/// A query word's term is the word itself.
pub(crate) const EXACT: u8 = 0;
/// A query word's term extends the word.
pub(crate) const PREFIX: u8 = 1;
/// A query word's term is a typo correction of the word (distance 1; 3 is
/// distance 2, 4 distance 1 on the first letter).
pub(crate) const TYPO: u8 = 2;

/// Score weight of an exact, prefix and typo match.
const KIND_WEIGHT: [f32; 3] = [1.0, 0.6, 0.3];

/// The weight of a word's term in the word's score: the word's idf, less
/// for a prefix extension, less again for a typo (and for a second typo).
#[inline]
pub(crate) fn term_weight(idf: f32, kind: u8) -> f32 {
    idf * KIND_WEIGHT[(kind as usize).min(2)] * if kind > TYPO { 0.66 } else { 1.0 }
}

// ---------------------------------------------------------------- the order

/// Where a match ranks. Results are ordered by tier (the sum of the words'
/// match kinds: exact before prefix before typo), then score (higher
/// first), then recency (newer first, see [`recency`]), then id (lower
/// first). `Ord` is that order, best first: `a < b` when `a` ranks above
/// `b`. [`Rank::key`] packs it into one integer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rank {
    /// Sum over words of the match kind (0 exact, 1 prefix, 2–3 typo).
    pub(crate) tier: u16,
    /// BM25F score.
    pub(crate) score: f32,
    /// [`recency`] of the entry.
    pub(crate) recency: u32,
    /// Entry id.
    pub(crate) doc: u32,
}

impl Rank {
    /// The rank of entry `doc`'s match of (`tier`, `score`) in an index
    /// whose first `n_dated` entries are dated.
    #[inline]
    pub(crate) fn new(tier: u16, score: f32, doc: u32, n_dated: u32) -> Rank {
        Rank { tier, score, recency: recency(doc, n_dated), doc }
    }

    /// The packed form: an integer that orders as [`Rank`] does (smaller
    /// ranks higher), with the id in its low 32 bits. The score goes in as
    /// `f32::total_cmp` orders it.
    #[inline]
    pub(crate) fn key(&self) -> u128 {
        let bits = self.score.to_bits() as i32;
        let total = (bits ^ ((((bits >> 31) as u32) >> 1) as i32)) as u32 ^ 0x8000_0000;
        ((self.tier as u128) << 96)
            | ((!total as u128) << 64)
            | ((!self.recency as u128) << 32)
            | self.doc as u128
    }
}

impl Ord for Rank {
    #[inline]
    fn cmp(&self, other: &Rank) -> Ordering {
        self.tier
            .cmp(&other.tier)
            .then(other.score.total_cmp(&self.score))
            .then(other.recency.cmp(&self.recency))
            .then(self.doc.cmp(&other.doc))
    }
}

impl PartialOrd for Rank {
    #[inline]
    fn partial_cmp(&self, other: &Rank) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Rank {
    fn eq(&self, other: &Rank) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Rank {}

/// Whether a match of (`kind`, `score`) is better than one of (`tier`,
/// `best`): the leading part of the [`Rank`] order (a lower kind, or the
/// same kind and a higher score).
#[inline]
pub(crate) fn beats(kind: u16, score: f32, tier: u16, best: f32) -> bool {
    kind < tier || (kind == tier && score > best)
}

/// Makes (`kind`, `score`) the word's match if it [`beats`] (`tier`, `best`).
#[inline]
pub(crate) fn better(tier: &mut u16, best: &mut f32, kind: u16, score: f32) {
    if beats(kind, score, *tier, *best) {
        *tier = kind;
        *best = score;
    }
}

/// A word's match (`kind`, `score`) packed in a `u32` that orders as the
/// leading part of [`Rank`] does, larger ranking higher (0: no match): the
/// kind inverted above the score's bits (a non-negative float's bits order
/// as the float does; the 3 lowest are dropped, a relative 10⁻⁶).
#[inline]
pub(crate) fn pack(kind: u8, score: f32) -> u32 {
    ((4 - kind.min(3) as u32) << 28) | (score.max(0.0).to_bits() >> 3)
}

/// The (kind, score) of a [`pack`]ed match.
#[inline]
pub(crate) fn unpack(k: u32) -> (u16, f32) {
    ((4 - (k >> 28)) as u16, f32::from_bits((k & 0x0FFF_FFFF) << 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small seeded generator: few distinct values, so that ties are common.
    fn ranks(seed: u64, n: usize) -> Vec<Rank> {
        let mut s = seed;
        let mut next = || {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (s >> 33) as u32
        };
        let scores = [0.0, -0.0, 1.5, 2.25, 7.0, 0.1, f32::MAX, 1e-30];
        (0..n)
            .map(|_| Rank {
                tier: (next() % 3) as u16,
                score: scores[(next() % 8) as usize],
                recency: next() % 4,
                doc: next() % 6,
            })
            .collect()
    }

    #[test]
    fn the_key_orders_as_the_rank_does() {
        let rs = ranks(11, 300);
        for a in &rs {
            for b in &rs {
                assert_eq!(a.key().cmp(&b.key()), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn packed_matches_order_as_the_rank_leads() {
        let rs = ranks(5, 200);
        for a in &rs {
            for b in &rs {
                let (ka, kb) = (pack(a.tier as u8, a.score), pack(b.tier as u8, b.score));
                // Larger packs rank higher, unless the dropped bits tell them apart.
                if beats(a.tier, a.score, b.tier, b.score) {
                    assert!(ka >= kb, "{a:?} {b:?}");
                }
                assert_eq!(unpack(ka).0, a.tier);
            }
        }
    }
}
