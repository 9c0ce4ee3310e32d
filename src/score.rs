//! The ranking model: BM25F over four fields, shared by the index writer and
//! the search.
//!
//! The writer stores, for every term, the entries that score best for it
//! alone (`tops`, see `docs/format.md`), scored by this model, so that a
//! one-word query ranks its first pages from a few hundred bytes instead of
//! the whole postings list. The model is therefore part of the index:
//! changing a constant here means rebuilding indexes (the format version
//! says so). Only multiplications, additions and divisions of `f32` are
//! used, so every platform — native and wasm — computes the same bits.

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
