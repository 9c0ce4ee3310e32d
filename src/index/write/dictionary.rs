//! The second phase of writing: the dictionary. Terms are sorted in byte
//! order (ordinals are ranks in that order) into the `terms` fst; each list
//! is finished and spilled, then dropped; each term's top is worked out on
//! a second thread meanwhile; and the `term_info` table locates both.

use std::io::{BufWriter, Read, Seek, Write};

use super::postings::TermBuf;
use super::{fst_err, WriteError};
use crate::index::error::IndexError;
use crate::index::format::{put_uint, width_of, Norms, FIELDS};
use crate::index::tops;
use crate::rank::{avg_len, Bm25f};

/// What the dictionary phase gives the layout.
pub(super) struct Dictionary {
    /// Term numbers (from inversion) in ordinal order.
    pub order: Vec<u32>,
    /// Document frequency per ordinal.
    pub dfs: Vec<u32>,
    /// The `terms` section.
    pub terms_fst: Vec<u8>,
    /// The `term_info` section.
    pub term_info: Vec<u8>,
    /// The `tops` section.
    pub tops: Vec<u8>,
    /// Where the postings start in the spill, and their length.
    pub spill_start: u64,
    pub postings_len: u64,
}

/// Per-entry facts the tops are scored with.
pub(super) struct Scoring<'a> {
    pub n_entries: u32,
    pub n_dated: u32,
    /// `FIELDS` norm codes per entry.
    pub norms: &'a [u8],
    pub field_totals: [u64; FIELDS],
}

/// Sorts `terms`, finishes their lists (`bufs`, by term number) into
/// `spill` and works out their tops.
pub(super) fn build<S: Read + Write + Seek>(
    terms: &[String],
    mut bufs: Vec<TermBuf>,
    scoring: &Scoring<'_>,
    all_tops: bool,
    spill: &mut S,
) -> Result<Dictionary, WriteError> {
    let mut order: Vec<u32> = (0..terms.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| terms[a as usize].as_bytes().cmp(terms[b as usize].as_bytes()));
    let mut fst_b = fst::MapBuilder::memory();
    let spill_start = spill.stream_position()?;
    let mut spilled = BufWriter::with_capacity(1 << 20, &mut *spill);
    let mut postings_len = 0u64;
    let mut offsets = Vec::with_capacity(order.len() + 1);
    let mut dfs = Vec::with_capacity(order.len());
    // Each term's best entries, scored by the model the search uses. The
    // tops decode and score every list: a second thread does that while
    // this one finishes and spills the lists.
    let q = Norms::new();
    let norm_len: [u32; 256] = std::array::from_fn(|c| q.decode(c as u8));
    let model = Bm25f::new(&avg_len(scoring.field_totals, scoring.n_entries as u64), &norm_len);
    let n_terms = order.len();
    let tops_scoring = tops::Scoring {
        n_entries: scoring.n_entries,
        n_dated: scoring.n_dated,
        norms: scoring.norms,
        model: &model,
    };
    let work = |lists: &mut dyn Iterator<Item = (u32, Vec<u8>)>| {
        tops_of(lists, n_terms, all_tops, &tops_scoring)
    };
    let (tops, top_offsets) = std::thread::scope(|s| -> Result<(Vec<u8>, Vec<u64>), WriteError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(u32, Vec<u8>)>(64);
        let worker = std::thread::Builder::new()
            .name("dateline-tops".to_string())
            .spawn_scoped(s, move || work(&mut rx.into_iter()));
        // Without threads (wasm), the lists are kept and their tops worked out below.
        let (worker, mut kept) = match worker {
            Ok(h) => (Some(h), None),
            Err(_) => (None, Some(Vec::new())),
        };
        for (ord, &tid) in order.iter().enumerate() {
            fst_b.insert(terms[tid as usize].as_bytes(), ord as u64).map_err(fst_err)?;
            let buf = bufs.get_mut(tid as usize).map(std::mem::take).unwrap_or_default();
            offsets.push(postings_len);
            let df = buf.df;
            dfs.push(df);
            let mut list = Vec::new();
            buf.finish(&mut list);
            spilled.write_all(&list)?;
            postings_len += list.len() as u64;
            match kept.as_mut() {
                Some(k) => k.push((df, list)),
                // A send fails only if the tops thread stopped on an error:
                // the join below reports it.
                None => {
                    if tx.send((df, list)).is_err() {
                        break;
                    }
                }
            }
        }
        drop(tx);
        Ok(match (worker, kept) {
            (Some(h), _) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?,
            (None, k) => work(&mut k.unwrap_or_default().into_iter())?,
        })
    })?;
    offsets.push(postings_len);
    drop(bufs);
    spilled.flush()?;
    drop(spilled);
    let terms_fst = fst_b.into_inner().map_err(fst_err)?;
    let term_info = term_info(&offsets, &dfs, &top_offsets, tops.len() as u64);
    Ok(Dictionary { order, dfs, terms_fst, term_info, tops, spill_start, postings_len })
}

/// The tops of `lists` (df and list bytes, in ordinal order) and where
/// each starts, with one more offset for the end. A term gets one when
/// `all` or when it is in more than `TOP_N` entries; the others' tops are
/// empty (the reader scores their postings).
fn tops_of(
    lists: &mut dyn Iterator<Item = (u32, Vec<u8>)>,
    n_terms: usize,
    all: bool,
    scoring: &tops::Scoring<'_>,
) -> Result<(Vec<u8>, Vec<u64>), IndexError> {
    let mut tops = Vec::new();
    let mut top_offsets = Vec::with_capacity(n_terms + 1);
    let mut scratch = Vec::new();
    for (df, list) in lists {
        top_offsets.push(tops.len() as u64);
        if all || df as usize > tops::TOP_N {
            tops::write(&list, df, scoring, &mut scratch, &mut tops)?;
        }
    }
    top_offsets.push(tops.len() as u64);
    Ok((tops, top_offsets))
}

/// The `term_info` section: three column widths, then a row per ordinal
/// and a sentinel row (postings offset | df | top offset). Without tops
/// the top column has width 0.
fn term_info(offsets: &[u64], dfs: &[u32], top_offsets: &[u64], tops_len: u64) -> Vec<u8> {
    let ow = width_of(offsets.last().copied().unwrap_or(0));
    let dw = width_of(dfs.iter().copied().max().unwrap_or(0) as u64);
    let tw = if tops_len == 0 { 0 } else { width_of(tops_len) };
    let mut term_info = Vec::with_capacity(3 + (ow + dw + tw) * offsets.len());
    term_info.push(ow as u8);
    term_info.push(dw as u8);
    term_info.push(tw as u8);
    for (i, (&off, &top)) in offsets.iter().zip(top_offsets).enumerate() {
        put_uint(&mut term_info, off, ow);
        put_uint(&mut term_info, dfs.get(i).copied().unwrap_or(0) as u64, dw);
        put_uint(&mut term_info, top, tw);
    }
    term_info
}
