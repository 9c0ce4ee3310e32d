//! [`IdSet`]: a query's matches as one bit per entry, counted from the
//! postings' document ids alone.

use std::ops::Range;

use crate::index::{Index, IndexError, Postings};

use super::each;
use super::expand::Exp;

/// Entries by id, one bit each (a million take 122 KiB): a query's matches
/// while they are counted. Intersections and exclusions are word-wise
/// `and`s; counting below an id is a popcount after [`IdSet::finish`].
pub(super) struct IdSet {
    bits: Vec<u64>,
    /// Set bits before each word (filled by `finish`).
    before: Vec<u32>,
}

impl IdSet {
    pub(super) fn new(n: u32) -> IdSet {
        IdSet { bits: vec![0; (n as usize).div_ceil(64)], before: Vec::new() }
    }

    /// The entries in `ranges` that contain every word (any of its terms)
    /// and none of the excluded terms — from the lists' document ids only.
    pub(super) fn matching<D: AsRef<[u8]>>(
        ix: &Index<D>,
        words: &[Vec<Exp>],
        not_words: &[String],
        ranges: &[Range<u32>; 2],
    ) -> Result<IdSet, IndexError> {
        let lists = each(words.iter().flatten(), |e| ix.postings(e.ord))?;
        let mut acc: Option<IdSet> = None;
        let mut lists = lists.iter();
        for w in words {
            let mut set = IdSet::new(ix.n_entries);
            for p in lists.by_ref().take(w.len()) {
                set.add(p, ranges)?;
            }
            match &mut acc {
                Some(a) => a.and(&set.bits),
                None => acc = Some(set),
            }
        }
        let mut acc = acc.unwrap_or_else(|| IdSet::new(ix.n_entries));
        acc.exclude(ix, not_words, ranges)?;
        Ok(acc)
    }

    /// Keeps the ids that are also in `bits` (a set of the same index).
    pub(super) fn and(&mut self, bits: &[u64]) {
        self.bits.iter_mut().zip(bits).for_each(|(a, b)| *a &= b);
    }

    /// Drops the entries in `ranges` that contain any of the excluded terms.
    pub(super) fn exclude<D: AsRef<[u8]>>(
        &mut self,
        ix: &Index<D>,
        not_words: &[String],
        ranges: &[Range<u32>; 2],
    ) -> Result<(), IndexError> {
        let not = each(not_words, |w| match ix.term_ord(w)? {
            Some(o) => ix.postings(o).map(Some),
            None => Ok(None),
        })?;
        for p in not.iter().flatten() {
            let mut x = IdSet::new(ix.n_entries);
            x.add(p, ranges)?;
            self.bits.iter_mut().zip(&x.bits).for_each(|(a, b)| *a &= !b);
        }
        Ok(())
    }

    /// Adds the list's entries that are in `ranges`.
    fn add(&mut self, p: &Postings<'_>, ranges: &[Range<u32>; 2]) -> Result<(), IndexError> {
        let mut c = p.id_cursor()?;
        for r in ranges.iter().filter(|r| !r.is_empty()) {
            c.seek(r.start)?;
            let bits = &mut self.bits;
            c.for_each_until(r.end, |d, _| {
                if let Some(w) = bits.get_mut(d as usize / 64) {
                    *w |= 1 << (d % 64);
                }
            })?;
        }
        Ok(())
    }

    pub(super) fn contains(&self, id: u32) -> bool {
        self.bits.get(id as usize / 64).is_some_and(|w| w >> (id % 64) & 1 == 1)
    }

    /// Counts the set bits before each word, for [`IdSet::below`].
    pub(super) fn finish(&mut self) {
        let mut n = 0u32;
        self.before = self.bits.iter().map(|w| (n, n += w.count_ones()).0).collect();
        self.before.push(n);
    }

    /// How many ids below `id` are in the set (after `finish`).
    pub(super) fn below(&self, id: u32) -> usize {
        let (i, b) = (id as usize / 64, id % 64);
        let head = self.before.get(i).or(self.before.last()).copied().unwrap_or(0);
        let part = self.bits.get(i).map_or(0, |w| (w & ((1u64 << b) - 1)).count_ones());
        (head + part) as usize
    }

    pub(super) fn count(&self) -> usize {
        self.before.last().copied().unwrap_or(0) as usize
    }

    /// The ids of the set in `r`, ascending.
    pub(super) fn iter(&self, r: Range<u32>) -> impl Iterator<Item = u32> + '_ {
        r.filter(move |&id| self.contains(id))
    }

    /// Adds every id of `r`.
    pub(super) fn fill(&mut self, r: Range<u32>) {
        if r.is_empty() {
            return;
        }
        let (first, last) = (r.start as usize / 64, (r.end as usize - 1) / 64);
        for (i, w) in self.bits.iter_mut().enumerate().take(last + 1).skip(first) {
            let lo = if i == first { r.start % 64 } else { 0 };
            let hi = if i == last { (r.end - 1) % 64 } else { 63 };
            *w |= (!0u64 >> (63 - hi)) & (!0u64 << lo);
        }
    }

    /// Calls `f` with every id of the set in `r`, ascending.
    pub(super) fn for_each(&self, r: Range<u32>, mut f: impl FnMut(u32)) {
        if r.is_empty() {
            return;
        }
        let (first, last) = (r.start as usize / 64, (r.end as usize - 1) / 64);
        for (i, &w) in self.bits.iter().enumerate().take(last + 1).skip(first) {
            let mut w = w;
            if i == first {
                w &= !0u64 << (r.start % 64);
            }
            if i == last {
                w &= !0u64 >> (63 - (r.end - 1) % 64);
            }
            while w != 0 {
                f(i as u32 * 64 + w.trailing_zeros());
                w &= w - 1;
            }
        }
    }
}
