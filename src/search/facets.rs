//! Author facets: how many of a query's matches each author wrote, over
//! every match (not only the page), from a per-entry column of author
//! numbers built once from the index's author lists and kept by the
//! [`Searcher`](super::Searcher).
//!
//! Counting walks the matches once, as the histogram does: one array read
//! per match, so a million matches cost about a millisecond. The column is
//! 4 bytes per entry; an entry with several authors points into a side list.

use std::sync::{Arc, Mutex};

use crate::index::{AuthorCount, Index, IndexError};

use super::each;

/// No author.
const NONE: u32 = u32::MAX;
/// Set on a column value that indexes [`Column::multi`].
const MULTI: u32 = 1 << 31;

/// Each entry's authors, by number in the index's author table.
#[derive(Debug, Default)]
pub(super) struct Column {
    /// Per entry: [`NONE`], the one author's number, or [`MULTI`] | an
    /// index into `multi`.
    one: Vec<u32>,
    /// The authors of the entries with more than one.
    multi: Vec<Vec<u32>>,
}

impl Column {
    /// Reads every author's list (over a sharded index, fails with
    /// `NotLoaded` having asked for all of them at once).
    pub(super) fn build<D: AsRef<[u8]>>(ix: &Index<D>) -> Result<Column, IndexError> {
        let lists = each(0..ix.authors.len(), |a| ix.author_ids(a))?;
        let mut col = Column { one: vec![NONE; ix.n_entries as usize], multi: Vec::new() };
        for (a, ids) in lists.iter().enumerate() {
            let a = a as u32;
            for &id in ids {
                let Some(v) = col.one.get_mut(id as usize) else { continue };
                if *v == NONE {
                    *v = a;
                } else if *v & MULTI == 0 {
                    col.multi.push(vec![*v, a]);
                    *v = MULTI | (col.multi.len() as u32 - 1);
                } else if let Some(m) = col.multi.get_mut((*v & !MULTI) as usize) {
                    m.push(a);
                }
            }
        }
        Ok(col)
    }

    /// Adds entry `id`'s authors to `counts` (one slot per author).
    #[inline]
    fn add(&self, id: u32, counts: &mut [u32]) {
        match self.one.get(id as usize) {
            None | Some(&NONE) => {}
            Some(&v) if v & MULTI == 0 => {
                if let Some(c) = counts.get_mut(v as usize) {
                    *c += 1;
                }
            }
            Some(&v) => {
                for &a in self.multi.get((v & !MULTI) as usize).into_iter().flatten() {
                    if let Some(c) = counts.get_mut(a as usize) {
                        *c += 1;
                    }
                }
            }
        }
    }
}

/// The searcher's column, built on first use.
#[derive(Debug, Default)]
pub(super) struct Facets {
    column: Mutex<Option<Arc<Column>>>,
    /// Counts nothing (for the queries run only for their totals).
    off: bool,
}

impl Facets {
    /// Facets that count nothing: [`Facets::count`] gives no authors.
    pub(super) fn off() -> Facets {
        Facets { column: Mutex::new(None), off: true }
    }

    /// The column, building it when it is not kept yet.
    pub(super) fn column<D: AsRef<[u8]>>(&self, ix: &Index<D>) -> Result<Arc<Column>, IndexError> {
        if let Some(c) = self.column.lock().ok().and_then(|g| g.clone()) {
            if c.one.len() == ix.n_entries as usize {
                return Ok(c);
            }
        }
        let c = Arc::new(Column::build(ix)?);
        if let Ok(mut g) = self.column.lock() {
            *g = Some(c.clone());
        }
        Ok(c)
    }

    /// Asks for what the column needs (over a sharded index) without
    /// waiting for it: a search calls it first, so that the author lists
    /// come in the same round of fetching as its postings.
    pub(super) fn want<D: AsRef<[u8]>>(&self, ix: &Index<D>) {
        let _ = self.column(ix);
    }

    /// Each author's count over the ids `walk` passes on, most first (ties
    /// by name), authors with none left out.
    pub(super) fn count<D: AsRef<[u8]>>(
        &self,
        ix: &Index<D>,
        walk: impl FnOnce(&mut dyn FnMut(u32)),
    ) -> Result<Vec<AuthorCount>, IndexError> {
        if self.off {
            return Ok(Vec::new());
        }
        let col = self.column(ix)?;
        let mut counts = vec![0u32; ix.authors.len()];
        walk(&mut |id| col.add(id, &mut counts));
        Ok(sorted(ix, &counts))
    }
}

/// `counts` (by author number) as named counts, most first, ties by name.
pub(super) fn sorted<D: AsRef<[u8]>>(ix: &Index<D>, counts: &[u32]) -> Vec<AuthorCount> {
    let mut out: Vec<AuthorCount> = ix
        .authors
        .iter()
        .zip(counts)
        .filter(|(_, &n)| n > 0)
        .map(|(a, &n)| AuthorCount { name: a.name.clone(), count: n })
        .collect();
    crate::sort::sort_by(&mut out, |a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    out
}
