//! Completions of a word being typed, most frequent first.

use crate::index::format::PREFIX_TOP_N;
use crate::index::{Index, IndexError};
use crate::text;

use super::each;
use super::expand::scan_prefix;
use super::Suggestion;

/// Suggestions scan at most this many dictionary terms.
const SUGGEST_SCAN: usize = 20_000;

/// Completions of the last word of `prefix`, most frequent first, with the
/// number of entries each appears in. At most `n`. Over a sharded index, fails
/// with `NotLoaded` until the dictionary pieces it needs are loaded.
pub(super) fn suggest<D: AsRef<[u8]>>(
    ix: &Index<D>,
    prefix: &str,
    n: usize,
) -> Result<Vec<Suggestion>, IndexError> {
    ix.wanted();
    let r = suggest_inner(ix, prefix, n);
    if ix.needs_shards() {
        return Err(IndexError::NotLoaded);
    }
    r
}

fn suggest_inner<D: AsRef<[u8]>>(
    ix: &Index<D>,
    prefix: &str,
    n: usize,
) -> Result<Vec<Suggestion>, IndexError> {
    let Some(p) = text::terms(prefix).last() else { return Ok(Vec::new()) };
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut found: Vec<(u32, String)> = Vec::new();
    if let Some(o) = ix.term_ord(&p)? {
        found.push((ix.doc_freq(o)?, p.clone()));
    }
    let pmap = ix.prefixes()?;
    match pmap.get(&p) {
        Some(off) if n <= PREFIX_TOP_N => {
            let terms = each(ix.prefix_list(off)?, |ord| {
                let map = ix.dict(ix.dict_for_ord(ord))?;
                Ok(nth_term(&map, ord).map(|t| (ord, t)))
            })?;
            found.extend(each(terms.into_iter().flatten(), |(ord, t)| Ok((ix.doc_freq(ord)?, t)))?);
        }
        _ => {
            let mut terms = Vec::new();
            scan_prefix(ix, &p, SUGGEST_SCAN, |k, ord| {
                if let Ok(t) = std::str::from_utf8(k) {
                    terms.push((ord, t.to_string()));
                }
            })?;
            found.extend(each(terms, |(ord, t)| Ok((ix.doc_freq(ord)?, t)))?);
        }
    }
    crate::sort::sort_by(&mut found, |a, b| {
        b.0.cmp(&a.0).then(a.1.len().cmp(&b.1.len())).then(a.1.cmp(&b.1))
    });
    found.truncate(n);
    Ok(found.into_iter().map(|(count, term)| Suggestion { term, count }).collect())
}

/// The term with ordinal `ord` (its rank in byte order), found by walking
/// the fst with the output sums: O(term length · fan-out).
fn nth_term(map: &fst::Map<&[u8]>, ord: u32) -> Option<String> {
    let fst = map.as_fst();
    let mut node = fst.root();
    let mut acc: u64 = 0;
    let mut key = Vec::new();
    let target = ord as u64;
    loop {
        if node.is_final() && acc + node.final_output().value() == target {
            return String::from_utf8(key).ok();
        }
        // Outputs grow with the keys: take the last transition whose output
        // does not overshoot the target.
        let mut chosen = None;
        for t in node.transitions() {
            let v = acc + t.out.value();
            if v <= target {
                chosen = Some(t);
            } else {
                break;
            }
        }
        let t = chosen?;
        acc += t.out.value();
        key.push(t.inp);
        node = fst.node(t.addr);
        if key.len() > 1024 {
            return None;
        }
    }
}
