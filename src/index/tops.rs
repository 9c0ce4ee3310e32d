//! Each term's best entries: the `tops` section.
//!
//! For every term the writer keeps the [`TOP_N`] entries that score best for
//! that term alone (BM25F, `crate::rank`), with their scores, and the
//! best score of any entry it left out (the *floor*). A one-word query can
//! then rank its first pages from these few hundred bytes — and prove that
//! no other entry could outrank them — instead of scoring every entry of a
//! list that may hold a million; over a sharded index it fetches a top
//! (~1 KB) instead of the whole list (hundreds of KB) before the first
//! results are on screen. Totals and the histogram still come from the
//! postings, which only need document ids.
//!
//! ```text
//! top:   count varint (1 ..= min(df, TOP_N))
//!        | floor f32 (only when count < df: the best score left out)
//!        | count × doc varint (the first absolute, then doc − previous − 1)
//!        | count × score f32
//! ```
//!
//! Entries are in id order; they are the best by (score descending, newer
//! first, lower id first), the order a query ranks equal matches in. A term
//! whose list has at most `TOP_N` entries has them all (no floor).

use crate::index::error::IndexError;
use crate::index::format::{get_varint, put_varint, Section, FIELDS};
use crate::index::postings::Postings;
use crate::rank::{recency, Bm25f};

/// Entries kept per term.
pub const TOP_N: usize = 128;

/// A term's best entries, decoded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Top {
    /// (entry id, score), in id order.
    pub(crate) docs: Vec<(u32, f32)>,
    /// The best score of an entry that contains the term but is not in
    /// `docs`; `None` when `docs` holds every entry of the term.
    pub(crate) floor: Option<f32>,
}

fn corrupt(what: &'static str) -> IndexError {
    IndexError::Corrupt { section: Section::Tops.name(), what }
}

/// What the tops are scored with: the index's counts, its norms (`FIELDS`
/// codes per entry) and the ranking model.
pub(crate) struct Scoring<'a> {
    pub(crate) n_entries: u32,
    pub(crate) n_dated: u32,
    pub(crate) norms: &'a [u8],
    pub(crate) model: &'a Bm25f,
}

/// Appends the top of the postings list `list` (of `df` entries) to `out`.
/// `scratch` is reused between terms.
pub(crate) fn write(
    list: &[u8],
    df: u32,
    scoring: &Scoring<'_>,
    scratch: &mut Vec<(f32, u32, u32)>,
    out: &mut Vec<u8>,
) -> Result<(), IndexError> {
    let Scoring { n_entries, n_dated, norms, model } = *scoring;
    scratch.clear();
    let mut c = Postings::new(list, df, n_entries)?.cursor()?;
    c.for_each_until(u32::MAX, |d, tfs| {
        let at = d as usize * FIELDS;
        let nm = norms.get(at..at + FIELDS).map_or([0; FIELDS], |b| [b[0], b[1], b[2], b[3]]);
        scratch.push((model.tf(tfs, nm), recency(d, n_dated), d));
    })?;
    // Best first: score descending, newer first, lower id first.
    let better = |a: &(f32, u32, u32), b: &(f32, u32, u32)| {
        use crate::rank::Rank;
        let rank = |t: &(f32, u32, u32)| Rank { tier: 0, score: t.0, recency: t.1, doc: t.2 };
        rank(a).cmp(&rank(b))
    };
    let floor = if scratch.len() > TOP_N {
        scratch.select_nth_unstable_by(TOP_N, better);
        let floor = scratch[TOP_N].0;
        scratch.truncate(TOP_N);
        Some(floor)
    } else {
        None
    };
    scratch.sort_unstable_by_key(|t| t.2);
    put_varint(out, scratch.len() as u64);
    if let Some(f) = floor {
        out.extend_from_slice(&f.to_le_bytes());
    }
    let mut prev: Option<u32> = None;
    for t in scratch.iter() {
        put_varint(out, prev.map_or(t.2, |p| t.2 - p - 1) as u64);
        prev = Some(t.2);
    }
    for t in scratch.iter() {
        out.extend_from_slice(&t.0.to_le_bytes());
    }
    Ok(())
}

/// Decodes a top (layout above) of a term with `df` entries in an index of
/// `n_entries`, checking every count, id and score.
pub(crate) fn read(b: &[u8], df: u32, n_entries: u32) -> Result<Top, IndexError> {
    let mut pos = 0;
    let count = get_varint(b, &mut pos).ok_or_else(|| corrupt("count"))?;
    if count == 0 || count > (df as u64).min(TOP_N as u64) {
        return Err(corrupt("count out of range"));
    }
    let count = count as usize;
    let f32_at = |pos: &mut usize| -> Result<f32, IndexError> {
        let v = b
            .get(*pos..*pos + 4)
            .map(|s| f32::from_le_bytes([s[0], s[1], s[2], s[3]]))
            .ok_or_else(|| corrupt("truncated"))?;
        *pos += 4;
        if v.is_finite() && v >= 0.0 {
            Ok(v)
        } else {
            Err(corrupt("score is not a finite positive number"))
        }
    };
    let floor = if (count as u32) < df { Some(f32_at(&mut pos)?) } else { None };
    let mut docs = Vec::with_capacity(count);
    let mut prev: Option<u32> = None;
    for _ in 0..count {
        let v = get_varint(b, &mut pos).ok_or_else(|| corrupt("doc"))?;
        let d = prev
            .map_or(Some(v), |p| (p as u64 + 1).checked_add(v))
            .filter(|&d| d < n_entries as u64)
            .ok_or_else(|| corrupt("doc out of range"))?;
        docs.push((d as u32, 0.0));
        prev = Some(d as u32);
    }
    for d in docs.iter_mut() {
        d.1 = f32_at(&mut pos)?;
    }
    if pos != b.len() {
        return Err(corrupt("trailing bytes"));
    }
    Ok(Top { docs, floor })
}
