//! What a query word stands for in the dictionary: its exact term, its
//! most frequent prefix extensions, and typo corrections found with a lazy
//! Levenshtein automaton.

use fst::{Automaton, IntoStreamer, Streamer};

use crate::index::{Index, IndexError};
use crate::rank::{EXACT, PREFIX, TYPO};

use super::each;

/// Prefix extensions kept per word, by prefix length in characters (1, 2, 3, more).
const PREFIX_CAP: [usize; 4] = [4, 8, 16, 32];
/// Terms scanned in the dictionary for one prefix before giving up on the rest.
const PREFIX_SCAN: usize = 4096;
/// Typo corrections are looked for only when the exact term and its prefix
/// extensions occur in fewer entries than this.
const TYPO_IF_FEWER: u64 = 20;
/// Typo corrections kept per word.
const TYPO_CAP: usize = 8;
/// Longest word (characters) that gets typo tolerance.
const TYPO_MAX_CHARS: usize = 32;

/// A Levenshtein automaton over the UTF-8 bytes of terms, evaluated lazily
/// (one row of the edit-distance table per state). fst's own
/// `automaton::Levenshtein` builds the whole DFA up front, which costs
/// 40–70 µs at distance 1 and 0.4–0.9 ms at distance 2 — more than a whole
/// keystroke's budget — while this one costs nothing to build and only
/// visits the dictionary nodes within reach. Both accept the same terms
/// (tested against fst's in the unit tests).
#[derive(Debug)]
pub(super) struct Lev {
    q: Vec<char>,
    d: u8,
}

/// A state of [`Lev`]: the edit-distance row after the bytes read so far,
/// plus a partial UTF-8 character.
#[derive(Debug, Clone)]
pub(super) struct LevState {
    row: [u8; TYPO_MAX_CHARS + 1],
    pend: [u8; 4],
    plen: u8,
}

impl Lev {
    /// An automaton accepting terms within distance `d` (≤ 3) of `q`;
    /// `None` if `q` is longer than 32 characters.
    pub(super) fn new(q: &str, d: u8) -> Option<Lev> {
        let q: Vec<char> = q.chars().collect();
        (q.len() <= TYPO_MAX_CHARS && d <= 3).then_some(Lev { q, d })
    }

    /// The distance a final state stands for.
    pub(super) fn distance(&self, s: &Option<LevState>) -> Option<u8> {
        let s = s.as_ref()?;
        let v = s.row[self.q.len()];
        (s.plen == 0 && v <= self.d).then_some(v)
    }

    fn step(&self, s: &mut LevState, c: char) -> bool {
        let m = self.q.len();
        let cap = self.d + 1;
        let mut prev_diag = s.row[0];
        s.row[0] = (s.row[0] + 1).min(cap);
        let mut best = s.row[0];
        for i in 1..=m {
            let up = s.row[i];
            let sub = prev_diag + (self.q[i - 1] != c) as u8;
            let v = sub.min(up + 1).min(s.row[i - 1] + 1).min(cap);
            prev_diag = up;
            s.row[i] = v;
            best = best.min(v);
        }
        best <= self.d
    }
}

impl Automaton for Lev {
    type State = Option<LevState>;

    fn start(&self) -> Option<LevState> {
        let mut row = [0u8; TYPO_MAX_CHARS + 1];
        for (i, r) in row.iter_mut().enumerate() {
            *r = (i as u8).min(self.d + 1);
        }
        Some(LevState { row, pend: [0; 4], plen: 0 })
    }

    fn is_match(&self, s: &Option<LevState>) -> bool {
        self.distance(s).is_some()
    }

    fn can_match(&self, s: &Option<LevState>) -> bool {
        s.is_some()
    }

    fn accept(&self, s: &Option<LevState>, byte: u8) -> Option<LevState> {
        let mut s = s.clone()?;
        if s.plen == 0 && byte < 0x80 {
            return self.step(&mut s, byte as char).then_some(s);
        }
        if (s.plen as usize) < 4 {
            s.pend[s.plen as usize] = byte;
            s.plen += 1;
        }
        let need = match s.pend[0] {
            b if b >= 0xF0 => 4,
            b if b >= 0xE0 => 3,
            _ => 2,
        };
        if (s.plen as usize) < need {
            return Some(s);
        }
        let c = std::str::from_utf8(&s.pend[..need])
            .ok()
            .and_then(|t| t.chars().next())
            .unwrap_or('\u{FFFD}');
        s.plen = 0;
        self.step(&mut s, c).then_some(s)
    }
}

/// One dictionary term a query word stands for.
#[derive(Debug, Clone)]
pub(super) struct Exp {
    pub(super) ord: u32,
    pub(super) kind: u8,
    pub(super) df: u32,
    /// The term itself, for typo corrections (to highlight them).
    pub(super) typo: Option<String>,
}

/// The terms a word expands to: its exact term, bounded prefix extensions,
/// bounded typo corrections.
pub(super) fn expand<D: AsRef<[u8]>>(ix: &Index<D>, word: &str) -> Result<Vec<Exp>, IndexError> {
    let mut out = Vec::new();
    if let Some(ord) = ix.term_ord(word)? {
        out.push(Exp { ord, kind: EXACT, df: ix.doc_freq(ord)?, typo: None });
    }
    let nchars = word.chars().count();
    let cap = PREFIX_CAP[nchars.clamp(1, 4) - 1];
    // Prefix extensions: precomputed top terms for crowded short prefixes,
    // otherwise a bounded scan of the dictionary range.
    let mut ext: Vec<(u32, u32)>; // (df, ord)
    let pmap = ix.prefixes()?;
    if let Some(off) = pmap.get(word) {
        ext = each(ix.prefix_list(off)?, |ord| Ok((ix.doc_freq(ord)?, ord)))?;
    } else {
        let mut ords = Vec::new();
        scan_prefix(ix, word, PREFIX_SCAN, |_, ord| ords.push(ord))?;
        ext = each(ords, |ord| Ok((ix.doc_freq(ord)?, ord)))?;
        crate::sort::sort_by(&mut ext, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    // Bound the postings a word may pull in, so that short prefixes stay fast
    // at a million entries; always keep at least one term.
    let budget = (ix.n_entries as u64).max(50_000);
    let mut used: u64 = out.iter().map(|e| e.df as u64).sum();
    for (df, ord) in ext.into_iter().take(cap) {
        if used + df as u64 > budget && !out.is_empty() {
            break;
        }
        used += df as u64;
        out.push(Exp { ord, kind: PREFIX, df, typo: None });
    }
    // Typo corrections: whole terms within distance 1 (2 from 8 letters),
    // not already covered as the exact term or a prefix extension — only
    // when those find few entries (a word found hundreds of times is not a
    // typo, and the automaton's walk is the dearest part of a keystroke).
    // Those that keep the first letter come first; from 5 letters, those
    // one edit away that change it follow.
    if nchars >= 4 && used < TYPO_IF_FEWER {
        let d = if nchars >= 8 { 2 } else { 1 };
        let mut typos = typos(ix, word, d, true)?;
        if nchars >= FIRST_LETTER_FROM {
            typos.extend(first_letter(ix, word)?);
        }
        for t in typos.into_iter().take(TYPO_CAP) {
            out.push(Exp { ord: t.ord, kind: t.kind, df: t.df, typo: Some(t.term) });
        }
    }
    Ok(out)
}

/// A dictionary term within a small edit distance of a word.
#[derive(Debug, Clone)]
pub(super) struct Typo {
    pub(super) term: String,
    pub(super) ord: u32,
    pub(super) df: u32,
    /// [`TYPO`] for distance 1, `TYPO + 1` for distance 2, [`FIRST_LETTER`]
    /// for distance 1 with another first letter.
    pub(super) kind: u8,
}

/// The match kind of a correction that changes the first letter: below
/// every correction that keeps it.
pub(super) const FIRST_LETTER: u8 = TYPO + 2;
/// Shortest word (characters) whose corrections may change its first letter.
pub(super) const FIRST_LETTER_FROM: usize = 5;

/// The terms within distance `d` of `word` that start with its first
/// character (so that a sharded index looks in the dictionary pieces of one
/// letter), closest first, then the most frequent. With `skip_extensions`,
/// not the terms that extend `word` (its prefix extensions cover them).
pub(super) fn typos<D: AsRef<[u8]>>(
    ix: &Index<D>,
    word: &str,
    d: u8,
    skip_extensions: bool,
) -> Result<Vec<Typo>, IndexError> {
    let (Some(lev), Some(first)) = (Lev::new(word, d), word.chars().next()) else {
        return Ok(Vec::new());
    };
    let mut lo = [0u8; 4];
    let lo = first.encode_utf8(&mut lo).as_bytes().to_vec();
    let mut hi = lo.clone();
    if let Some(last) = hi.last_mut() {
        *last += 1; // the last byte of a UTF-8 character is below 0xF5
    }
    let start = ix.dict_for_key(&lo);
    let mut pieces = vec![start];
    for i in start + 1..ix.dict_pieces() {
        if ix.dict_first_key(i) >= hi.as_slice() {
            break;
        }
        pieces.push(i);
    }
    let found = each(pieces, |i| {
        let map = ix.dict(i)?;
        let mut s = map.search_with_state(&lev).ge(&lo).lt(&hi).into_stream();
        let mut typos: Vec<(u8, u32, Vec<u8>)> = Vec::new(); // (distance, ord, term)
        while let Some((k, v, st)) = s.next() {
            if k == word.as_bytes() || (skip_extensions && k.starts_with(word.as_bytes())) {
                continue;
            }
            if let Some(dist) = lev.distance(&st) {
                typos.push((dist, v as u32, k.to_vec()));
            }
        }
        Ok(typos)
    })?;
    let mut typos = each(found.into_iter().flatten(), |(dist, ord, term)| {
        Ok((dist, ix.doc_freq(ord)?, ord, term))
    })?;
    crate::sort::sort_by(&mut typos, |a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    Ok(typos
        .into_iter()
        .filter_map(|(dist, df, ord, term)| {
            Some(Typo { term: String::from_utf8(term).ok()?, ord, df, kind: TYPO + (dist - 1) })
        })
        .collect())
}

/// The terms one edit from `word` that change its first letter: the first
/// letter replaced, dropped, or swapped with the second, or a letter put
/// before it — most frequent first. The letters tried are those of the
/// word's script (ASCII letters and digits for an ASCII word). Over a
/// sharded index, only the dictionary pieces already loaded are looked in:
/// another first letter is another piece, and a keystroke does not wait for
/// dozens of them.
pub(super) fn first_letter<D: AsRef<[u8]>>(
    ix: &Index<D>,
    word: &str,
) -> Result<Vec<Typo>, IndexError> {
    let chars: Vec<char> = word.chars().collect();
    let (Some(&first), Some(rest)) = (chars.first(), chars.get(1..)) else {
        return Ok(Vec::new());
    };
    let rest: String = rest.iter().collect();
    let mut tries: Vec<String> = vec![rest.clone()];
    if let Some(&second) = chars.get(1) {
        tries.push([second, first].iter().chain(&chars[2..]).collect());
    }
    let letters: Vec<char> = if first.is_ascii() {
        ('a'..='z').chain('0'..='9').collect()
    } else {
        // Letters of the same Unicode block (same high bits).
        let base = first as u32 & !0x7F;
        (base..base + 0x80).filter_map(char::from_u32).filter(|c| c.is_alphanumeric()).collect()
    };
    for c in letters {
        if c != first {
            tries.push(format!("{c}{rest}"));
        }
        tries.push(format!("{c}{word}"));
    }
    let mark = ix.wants_mark();
    let mut out: Vec<Typo> = Vec::new();
    for t in tries {
        if t.chars().count() < FIRST_LETTER_FROM - 1 || out.iter().any(|o| o.term == t) {
            continue;
        }
        let found = ix.term_ord(&t).and_then(|o| match o {
            Some(ord) => Ok(Some((ord, ix.doc_freq(ord)?))),
            None => Ok(None),
        });
        match found {
            Ok(Some((ord, df))) => out.push(Typo { term: t, ord, df, kind: FIRST_LETTER }),
            Ok(None) => {}
            Err(IndexError::NotLoaded) => {}
            Err(e) => return Err(e),
        }
    }
    ix.forget_wants_since(mark);
    crate::sort::sort_by(&mut out, |a, b| b.df.cmp(&a.df).then(a.ord.cmp(&b.ord)));
    Ok(out)
}

/// Calls `f` with the terms that extend `prefix` (not `prefix` itself), in
/// byte order, at most `limit` of them, across dictionary pieces.
pub(super) fn scan_prefix<D: AsRef<[u8]>>(
    ix: &Index<D>,
    prefix: &str,
    limit: usize,
    mut f: impl FnMut(&[u8], u32),
) -> Result<(), IndexError> {
    // The pieces the prefix's range spans, known from their first keys:
    // asked for all at once (one round of fetching for a sharded index).
    let start = ix.dict_for_key(prefix.as_bytes());
    let mut end = start + 1;
    while end < ix.dict_pieces() && ix.dict_first_key(end).starts_with(prefix.as_bytes()) {
        end += 1;
    }
    let maps = each(start..end, |i| ix.dict(i))?;
    let mut scanned = 0;
    for map in maps {
        let mut s = map.range().gt(prefix).into_stream();
        while let Some((k, v)) = s.next() {
            if !k.starts_with(prefix.as_bytes()) || scanned >= limit {
                return Ok(());
            }
            scanned += 1;
            f(k, v as u32);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::automaton::Levenshtein;

    #[test]
    fn lazy_levenshtein_agrees_with_fst() {
        let words = [
            "putin",
            "puton",
            "butin",
            "putins",
            "ukraine",
            "ukriane",
            "ukrainian",
            "kyiv",
            "kiev",
            "zelenskyy",
            "zelensky",
            "zelenskiy",
            "negotiations",
            "negotiation",
            "nagotiations",
            "zaporizzia",
            "über",
            "uber",
            "tank",
            "tanks",
            "thanks",
            "a",
            "ab",
            "",
        ];
        let mut sorted: Vec<&str> = words.to_vec();
        sorted.sort();
        sorted.dedup();
        let map = fst::Set::from_iter(sorted.iter()).unwrap();
        for q in ["putin", "ukraine", "zelenskyy", "negotiations", "tank", "uber"] {
            for d in [1u8, 2] {
                let mine: Vec<Vec<u8>> = map
                    .search(Lev::new(q, d).unwrap())
                    .into_stream()
                    .into_strs()
                    .unwrap()
                    .into_iter()
                    .map(String::into_bytes)
                    .collect();
                let theirs: Vec<Vec<u8>> = map
                    .search(Levenshtein::new(q, d as u32).unwrap())
                    .into_stream()
                    .into_strs()
                    .unwrap()
                    .into_iter()
                    .map(String::into_bytes)
                    .collect();
                assert_eq!(mine, theirs, "query {q} distance {d}");
            }
        }
    }
}
