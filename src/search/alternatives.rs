//! Other queries to offer when one matches nothing: a word corrected (a
//! whole-word typo correction, not a completion), the quotes dropped, or a
//! word dropped. Each is run (for its count only) and offered only when it
//! matches, so that no offer is a dead end.

use crate::index::{Index, IndexError};

use super::expand::{first_letter, typos, FIRST_LETTER, FIRST_LETTER_FROM};
use super::query::Parsed;
use super::{Alternative, SearchError, MAX_ALTERNATIVES};

/// Most candidate queries run for one query without matches.
const MAX_TRIES: usize = 8;
/// Corrections tried per word.
const PER_WORD: usize = 3;

/// Why a candidate is offered, best first: a correction that keeps the
/// first letter, the quotes dropped, a correction that changes the first
/// letter, a word dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Corrected,
    Unquoted,
    FirstLetter,
    Dropped,
}

/// The alternatives to `parsed` (which matched nothing), best first: kind,
/// then the most matches. `total` runs a query text for its count;
/// `fix` gives a word's whole-word corrections (see [`corrections`]).
pub(super) fn alternatives(
    parsed: &Parsed,
    mut total: impl FnMut(&str) -> Result<usize, SearchError>,
    mut fix: impl FnMut(&str) -> Result<Vec<(String, bool)>, SearchError>,
) -> Result<Vec<Alternative>, SearchError> {
    let own = parsed.text();
    let mut tries: Vec<(Kind, String)> = Vec::new();
    let push = |kind: Kind, p: Parsed, tries: &mut Vec<(Kind, String)>| {
        let text = p.text();
        if !text.is_empty() && text != own && !tries.iter().any(|t| t.1 == text) {
            tries.push((kind, text));
        }
    };
    // A word corrected, in the words and in the phrases.
    for i in 0..parsed.words.len() {
        for (to, first) in fix(&parsed.words[i])?.into_iter().take(PER_WORD) {
            let mut p = parsed.clone();
            p.words[i] = to;
            push(if first { Kind::FirstLetter } else { Kind::Corrected }, p, &mut tries);
        }
    }
    for (i, ph) in parsed.phrases.iter().enumerate() {
        for (j, w) in ph.iter().enumerate() {
            for (to, first) in fix(w)?.into_iter().take(PER_WORD) {
                let mut p = parsed.clone();
                p.phrases[i][j] = to;
                push(if first { Kind::FirstLetter } else { Kind::Corrected }, p, &mut tries);
            }
        }
    }
    // The quotes dropped.
    if !parsed.phrases.is_empty() {
        let mut p = parsed.clone();
        for ph in p.phrases.drain(..) {
            for w in ph {
                if !p.words.contains(&w) {
                    p.words.push(w);
                }
            }
        }
        push(Kind::Unquoted, p, &mut tries);
    }
    // A word dropped (of a query of two or more).
    if parsed.words.len() + parsed.phrases.iter().map(Vec::len).sum::<usize>() >= 2 {
        for i in 0..parsed.words.len() {
            let mut p = parsed.clone();
            p.words.remove(i);
            push(Kind::Dropped, p, &mut tries);
        }
        for (i, ph) in parsed.phrases.iter().enumerate() {
            for j in 0..ph.len() {
                let mut p = parsed.clone();
                p.phrases[i].remove(j);
                push(Kind::Dropped, p, &mut tries);
            }
        }
    }
    crate::sort::sort_by_key(&mut tries, |t| t.0);
    let mut out: Vec<(Kind, Alternative)> = Vec::new();
    for (kind, query) in tries.into_iter().take(MAX_TRIES) {
        let n = total(&query)?;
        if n > 0 {
            out.push((kind, Alternative { query, total: n }));
        }
    }
    crate::sort::sort_by(&mut out, |a, b| a.0.cmp(&b.0).then(b.1.total.cmp(&a.1.total)));
    Ok(out.into_iter().take(MAX_ALTERNATIVES).map(|a| a.1).collect())
}

/// Whole-word corrections of `word` that are in the dictionary, best
/// first, each with whether it changes the first letter: distance 1 (2 from
/// 5 letters when 1 finds none) keeping the first letter, then — from
/// [`FIRST_LETTER_FROM`] letters — distance 1 changing it.
pub(super) fn corrections<D: AsRef<[u8]>>(
    ix: &Index<D>,
    word: &str,
) -> Result<Vec<(String, bool)>, IndexError> {
    let n = word.chars().count();
    if n < 3 {
        return Ok(Vec::new());
    }
    let mut found = typos(ix, word, 1, false)?;
    if found.is_empty() && n >= 4 {
        found = typos(ix, word, 2, false)?;
    }
    if n >= FIRST_LETTER_FROM {
        found.extend(first_letter(ix, word)?);
    }
    Ok(found.into_iter().map(|t| (t.term, t.kind == FIRST_LETTER)).collect())
}
