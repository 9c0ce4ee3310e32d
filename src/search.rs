//! Queries over a read [`Index`]: words, prefixes, phrases, exclusions,
//! typo tolerance, BM25F ranking, date and author filters, snippets with
//! highlights, histograms, and completions.
//!
//! # Query language
//!
//! * `word word` — every word must match (AND). Each word matches its exact
//!   term **and**, because people type, every longer term it is a prefix of
//!   (bounded: the most frequent extensions only, fewer for 1–3 letters).
//!   Words of 4+ letters also match terms within Levenshtein distance 1
//!   (distance 2 from 8 letters), at most a few, ranked below exact and
//!   prefix matches — when the word itself (with its extensions) occurs in
//!   fewer than 20 entries.
//! * `"quoted words"` — a phrase: exact terms at consecutive positions in one
//!   field (`"putin"` alone is an exact word: no prefix, no typo).
//! * `-word`, `-"a phrase"` — exclude entries that contain it (exactly).
//! * Words are normalized by [`crate::text`], the same normalizer the index
//!   was built with: case, diacritics, quote styles and possessives fold away.
//!
//! An empty query (or one with only exclusions) browses: every entry of the
//! range, newest first.
//!
//! # Ranking
//!
//! Hits are ordered by match quality first (every word matched exactly ranks
//! above a prefix extension, which ranks above a typo correction), then by
//! BM25F score over the fields title (weight 3), body (1), captions (0.5) and
//! authors (0.5), then the newer entry first. `score` is the BM25F score.
//!
//! # Offsets
//!
//! `highlights` and `title_highlights` are `[start, end)` offsets in **UTF-16
//! code units** into `snippet` / `title`, as JavaScript's `String.slice`
//! expects. Nothing here builds HTML: the page renders text nodes.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use fst::{Automaton, IntoStreamer, Streamer};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::index::{Index, IndexError};
use crate::index::{PostingCursor, Postings};
use crate::model::date::{format_day, parse_day, Precision};
use crate::model::fields::FIELDS;
use crate::score::Bm25f;
use crate::text;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best matches first (an empty query falls back to newest).
    #[default]
    Relevance,
    /// Newest first; undated entries last.
    Newest,
    /// Oldest first; undated entries last.
    Oldest,
}

/// A search request, as the page (JSON) or the CLI sends it. Every field has
/// a default, so `{}` is a valid request (browse everything, 20 per page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    /// The query text (see the module docs for its syntax).
    pub query: String,
    /// First day, inclusive, `YYYY-MM-DD` in the corpus time zone.
    pub from: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD` in the corpus time zone.
    pub to: Option<String>,
    /// Result order.
    pub sort: Sort,
    /// Keep only entries by one of these authors (exact names; empty: all).
    pub authors: Vec<String>,
    /// Hits per page.
    pub limit: usize,
    /// Hits to skip (for paging).
    pub offset: usize,
    /// Over a sharded index: answer with the page as soon as it is known,
    /// before the postings that the exact total and the histogram need are
    /// loaded (the answer then says `partial`; ask again without this for
    /// the rest). A first page of a one-word query needs only the word's
    /// `tops`, a few KB, where its postings may be hundreds.
    pub partial_ok: bool,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            query: String::new(),
            from: None,
            to: None,
            sort: Sort::Relevance,
            authors: Vec::new(),
            limit: 20,
            offset: 0,
            partial_ok: false,
        }
    }
}

impl Query {
    /// A query for `text` with every other field at its default.
    pub fn text(text: &str) -> Query {
        Query { query: text.to_string(), ..Query::default() }
    }
}

/// One result card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Entry id (pass to [`Index::entry`] for the full entry).
    pub id: u32,
    /// The entry's title.
    pub title: String,
    /// RFC 3339 for minute precision, `YYYY-MM-DD` for day, `null` if unknown.
    pub published: Option<String>,
    /// How precisely `published` is known.
    pub precision: Precision,
    /// Byline authors.
    pub authors: Vec<String>,
    /// BM25F relevance (0 when browsing).
    pub score: f32,
    /// About 200 characters of the body around the best cluster of matches,
    /// cut at word boundaries, with `…` where cut.
    pub snippet: String,
    /// `[start, end)` UTF-16 offsets of matched words in `snippet`.
    pub highlights: Vec<[u32; 2]>,
    /// `[start, end)` UTF-16 offsets of matched words in `title`.
    pub title_highlights: Vec<[u32; 2]>,
}

/// Matching entries of one day (or one hour of a day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// Whether the histogram is per hour (then `hour` is serialized).
    pub hourly: bool,
    /// The hour (0..=23) in per-hour histograms; `None` for entries known
    /// only to the day (serialized as `null`).
    pub hour: Option<u8>,
    /// Matching entries.
    pub count: u32,
}

impl Serialize for Bucket {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Bucket", if self.hourly { 3 } else { 2 })?;
        st.serialize_field("day", &self.day)?;
        if self.hourly {
            st.serialize_field("hour", &self.hour)?;
        }
        st.serialize_field("count", &self.count)?;
        st.end()
    }
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// Matching entries (in the date range; undated ones only when no range
    /// is given).
    pub total: usize,
    /// The requested page.
    pub hits: Vec<Hit>,
    /// Matching dated entries per day — per hour when the range given spans
    /// at most 3 days. Only non-empty buckets, in time order.
    pub histogram: Vec<Bucket>,
    /// Matching entries with an unknown date (counted apart: they are not in
    /// `histogram`, and not in `total` when a range is given).
    pub undated: usize,
    /// Only with [`Query::partial_ok`]: the page is final, but the postings
    /// that counting needs are not loaded yet, so `total` is a lower bound,
    /// `undated` is 0 and `histogram` is empty. Serialized only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// A completion of a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The normalized term.
    pub term: String,
    /// Entries containing it.
    pub count: u32,
}

/// Why a query could not be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchError {
    /// `from` or `to` is not a `YYYY-MM-DD` date.
    BadDate {
        /// `"from"` or `"to"`.
        field: &'static str,
        /// What was given.
        value: String,
    },
    /// The index could not be read.
    Index(IndexError),
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::BadDate { field, value } => {
                write!(
                    f,
                    "`{field}` must be a date written YYYY-MM-DD (like 2022-03-02), not {value:?}"
                )
            }
            SearchError::Index(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SearchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SearchError::Index(e) => Some(e),
            SearchError::BadDate { .. } => None,
        }
    }
}

impl From<IndexError> for SearchError {
    fn from(e: IndexError) -> Self {
        SearchError::Index(e)
    }
}

// ---------------------------------------------------------------- tuning

/// Score weight of an exact, prefix and typo match.
const KIND_WEIGHT: [f32; 3] = [1.0, 0.6, 0.3];
/// Most positive (and most negative) words a query may have; the rest are ignored.
const MAX_WORDS: usize = 16;
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
/// Snippet length, characters.
const SNIPPET_CHARS: usize = 200;
/// Context kept before the first match in a snippet, characters.
const SNIPPET_LEAD: usize = 40;
/// Matches rescored with their own field lengths after the first pass (at
/// least the page asked for).
const RERANK: usize = 100;
/// Entries scored from the postings at a time when tops rank a query of
/// several words (at least the page asked for), and at most in all.
const PROBE_BATCH: usize = 32;
const PROBE_CAP: usize = 256;
/// Suggestions scan at most this many dictionary terms.
const SUGGEST_SCAN: usize = 20_000;

const EXACT: u8 = 0;
const PREFIX: u8 = 1;
const TYPO: u8 = 2;

// ---------------------------------------------------------------- parsing

/// A parsed query.
#[derive(Debug, Default, PartialEq)]
struct Parsed {
    words: Vec<String>,
    phrases: Vec<Vec<String>>,
    not_words: Vec<String>,
    not_phrases: Vec<Vec<String>>,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' | '\u{FF02}')
}

fn parse(q: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut rest = q;
    loop {
        rest = rest.trim_start();
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        let mut neg = false;
        if c == '-' || c == '\u{2212}' {
            let after = chars.as_str();
            if after.starts_with(|c: char| !c.is_whitespace()) {
                neg = true;
                rest = after;
            } else {
                rest = after;
                continue;
            }
        }
        let first = rest.chars().next().unwrap_or(' ');
        if is_quote(first) {
            let body = &rest[first.len_utf8()..];
            let end = body.find(is_quote).unwrap_or(body.len());
            let terms: Vec<String> = text::terms(&body[..end]).collect();
            rest = body.get(end..).unwrap_or("");
            if let Some(c) = rest.chars().next() {
                rest = &rest[c.len_utf8()..];
            }
            if !terms.is_empty() {
                if neg {
                    p.not_phrases.push(terms);
                } else {
                    p.phrases.push(terms);
                }
            }
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || is_quote(c)).unwrap_or(rest.len());
            for t in text::terms(&rest[..end]) {
                let list = if neg { &mut p.not_words } else { &mut p.words };
                if !list.contains(&t) {
                    list.push(t);
                }
            }
            rest = &rest[end..];
        }
    }
    p.words.truncate(MAX_WORDS);
    p.phrases.truncate(MAX_WORDS);
    p.not_words.truncate(MAX_WORDS);
    p.not_phrases.truncate(MAX_WORDS);
    for ph in p.phrases.iter_mut().chain(p.not_phrases.iter_mut()) {
        ph.truncate(MAX_WORDS);
    }
    p
}

// ---------------------------------------------------------------- typo automaton

/// A Levenshtein automaton over the UTF-8 bytes of terms, evaluated lazily
/// (one row of the edit-distance table per state). fst's own
/// `automaton::Levenshtein` builds the whole DFA up front, which costs
/// 40–70 µs at distance 1 and 0.4–0.9 ms at distance 2 — more than a whole
/// keystroke's budget — while this one costs nothing to build and only
/// visits the dictionary nodes within reach. Both accept the same terms
/// (tested against fst's in the unit tests).
#[derive(Debug)]
pub struct Lev {
    q: Vec<char>,
    d: u8,
}

/// A state of [`Lev`]: the edit-distance row after the bytes read so far,
/// plus a partial UTF-8 character.
#[derive(Debug, Clone)]
pub struct LevState {
    row: [u8; TYPO_MAX_CHARS + 1],
    pend: [u8; 4],
    plen: u8,
}

impl Lev {
    /// An automaton accepting terms within distance `d` (≤ 3) of `q`;
    /// `None` if `q` is longer than 32 characters.
    pub fn new(q: &str, d: u8) -> Option<Lev> {
        let q: Vec<char> = q.chars().collect();
        (q.len() <= TYPO_MAX_CHARS && d <= 3).then_some(Lev { q, d })
    }

    /// The distance a final state stands for.
    pub fn distance(&self, s: &Option<LevState>) -> Option<u8> {
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

// ---------------------------------------------------------------- expansion

/// One dictionary term a query word stands for.
#[derive(Debug, Clone)]
struct Exp {
    ord: u32,
    kind: u8,
    df: u32,
    /// The term itself, for typo corrections (to highlight them).
    typo: Option<String>,
}

/// The terms a word expands to: its exact term, bounded prefix extensions,
/// bounded typo corrections.
fn expand<D: AsRef<[u8]>>(ix: &Index<D>, word: &str) -> Result<Vec<Exp>, IndexError> {
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
        ext.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
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
    // not already covered as the exact term or a prefix extension, that
    // start with the same character (so that a sharded index looks in the
    // dictionary pieces of one letter) — only when those find few entries
    // (a word found hundreds of times is not a typo, and the automaton's walk
    // is the dearest part of a keystroke).
    if nchars >= 4 && used < TYPO_IF_FEWER {
        let d = if nchars >= 8 { 2 } else { 1 };
        if let (Some(lev), Some(first)) = (Lev::new(word, d), word.chars().next()) {
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
                    if k.starts_with(word.as_bytes()) {
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
            typos.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
            for (dist, df, ord, term) in typos.into_iter().take(TYPO_CAP) {
                out.push(Exp {
                    ord,
                    kind: TYPO + (dist - 1),
                    df,
                    typo: String::from_utf8(term).ok(),
                });
            }
        }
    }
    Ok(out)
}

/// Runs `f` on every item. A `NotLoaded` does not stop the others — so that
/// one round of fetching brings every shard they need — but is returned at
/// the end; any other error stops at once.
fn each<I, T>(
    items: impl IntoIterator<Item = I>,
    mut f: impl FnMut(I) -> Result<T, IndexError>,
) -> Result<Vec<T>, IndexError> {
    let mut out = Vec::new();
    let mut pending = false;
    for item in items {
        match f(item) {
            Ok(v) => out.push(v),
            Err(IndexError::NotLoaded) => pending = true,
            Err(e) => return Err(e),
        }
    }
    if pending {
        Err(IndexError::NotLoaded)
    } else {
        Ok(out)
    }
}

/// Calls `f` with the terms that extend `prefix` (not `prefix` itself), in
/// byte order, at most `limit` of them, across dictionary pieces.
fn scan_prefix<D: AsRef<[u8]>>(
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

// ---------------------------------------------------------------- scoring

struct Scorer {
    n: f32,
    model: Bm25f,
    /// When set, every entry is scored as if its fields had the average
    /// lengths (these codes): the first pass over all matches, which must
    /// not read every entry's norms (a sharded index would fetch them all).
    flat: Option<[u8; FIELDS]>,
}

impl Scorer {
    /// Exact BM25F, with each entry's field lengths.
    fn new<D: AsRef<[u8]>>(ix: &Index<D>) -> Scorer {
        Scorer { n: ix.n_entries as f32, model: Bm25f::new(&ix.avg_len, &ix.norm_len), flat: None }
    }

    /// BM25F with every entry at the average field lengths.
    fn flat<D: AsRef<[u8]>>(ix: &Index<D>) -> Scorer {
        let q = crate::index::format::Norms::new();
        let mut codes = [0u8; FIELDS];
        for (f, code) in codes.iter_mut().enumerate() {
            *code = q.encode(ix.avg_len[f].round() as u32);
        }
        Scorer { flat: Some(codes), ..Scorer::new(ix) }
    }

    /// The field-length codes to score `doc` with.
    #[inline]
    fn norms<D: AsRef<[u8]>>(&self, ix: &Index<D>, doc: u32) -> [u8; FIELDS] {
        self.flat.unwrap_or_else(|| ix.norms(doc))
    }

    fn idf(&self, df: u32) -> f32 {
        let df = df as f32;
        (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln()
    }

    #[inline]
    fn tf(&self, tfs: &[u32; FIELDS], norms: [u8; FIELDS]) -> f32 {
        self.model.tf(tfs, norms)
    }
}

/// A matching entry while a query is evaluated.
#[derive(Debug, Clone, Copy)]
struct Cand {
    doc: u32,
    /// Sum over words of the match kind (0 exact, 1 prefix, 2–3 typo).
    tier: u16,
    score: f32,
}

/// A word being evaluated: a cursor per term it expands to, exact terms
/// first, then prefix extensions, then typo corrections. An entry matches
/// the word as well as the best of the terms it contains: the best kind
/// (its tier), then among terms of that kind the best score — a maximum,
/// not a sum, so that a word's ranking can be proven from each term's best
/// entries (`tops`) alone (see `tops_page`).
struct Word<'a> {
    cursors: Vec<(PostingCursor<'a>, u8, f32)>,
    cost: u64,
}

impl<'a> Word<'a> {
    /// (tier, score) of `doc`, if it contains the word. Docs must be asked
    /// for in increasing order.
    fn probe<D: AsRef<[u8]>>(
        &mut self,
        ix: &Index<D>,
        sc: &Scorer,
        doc: u32,
    ) -> Result<Option<(u16, f32)>, IndexError> {
        let mut tier = u16::MAX;
        let mut score = 0f32;
        for (c, kind, w) in self.cursors.iter_mut() {
            c.seek(doc)?;
            if c.doc() == doc {
                better(
                    &mut tier,
                    &mut score,
                    *kind as u16,
                    *w * sc.tf(&c.freqs(), sc.norms(ix, doc)),
                );
            }
        }
        Ok((tier != u16::MAX).then_some((tier, score)))
    }

    /// Every entry in `ranges` (ascending) that contains the word, in id
    /// order: a k-way merge of the cursors. For selective words.
    fn collect<D: AsRef<[u8]>>(
        &mut self,
        ix: &Index<D>,
        sc: &Scorer,
        ranges: &[Range<u32>],
        out: &mut Vec<Cand>,
    ) -> Result<(), IndexError> {
        for r in ranges.iter().filter(|r| !r.is_empty()) {
            for (c, _, _) in self.cursors.iter_mut() {
                c.seek(r.start)?;
            }
            loop {
                let doc = self.cursors.iter().map(|c| c.0.doc()).min().unwrap_or(u32::MAX);
                if doc >= r.end {
                    break;
                }
                let norms = sc.norms(ix, doc);
                let mut tier = u16::MAX;
                let mut score = 0f32;
                for (c, kind, w) in self.cursors.iter_mut() {
                    if c.doc() == doc {
                        better(&mut tier, &mut score, *kind as u16, *w * sc.tf(c.tfs(), norms));
                        c.advance()?;
                    }
                }
                out.push(Cand { doc, tier, score });
            }
        }
        Ok(())
    }

    /// Adds the word to the dense accumulators: entries whose `cnt` is
    /// `step` (they matched every earlier word) move to `step + 1`. Cursors
    /// run in kind order, so the first term to reach an entry has its best
    /// kind; a later term of that kind replaces its score if higher. For
    /// common words: no seeks, one pass over each list.
    fn accumulate<D: AsRef<[u8]>>(
        &mut self,
        ix: &Index<D>,
        sc: &Scorer,
        ranges: &[Range<u32>],
        slots: &mut [Slot],
        step: u8,
    ) -> Result<(), IndexError> {
        for (c, kind, w) in self.cursors.iter_mut() {
            let (kind, w) = (*kind as u16, *w);
            for r in ranges.iter().filter(|r| !r.is_empty()) {
                c.seek(r.start)?;
                c.for_each_until(r.end, |d, tfs| {
                    let Some(slot) = slots.get_mut(d as usize) else { return };
                    if slot.cnt == step {
                        let s = w * sc.tf(tfs, sc.norms(ix, d));
                        slot.cnt = step + 1;
                        slot.tier += kind;
                        slot.kind = kind as u8;
                        slot.base = slot.score;
                        slot.word = s;
                        slot.score = slot.base + s;
                    } else if slot.cnt == step + 1 && slot.kind as u16 == kind {
                        let s = w * sc.tf(tfs, sc.norms(ix, d));
                        if s > slot.word {
                            slot.word = s;
                            slot.score = slot.base + s;
                        }
                    }
                })?;
            }
        }
        Ok(())
    }
}

/// Whether a match of (`kind`, `score`) is better than one of (`tier`,
/// `best`): a lower kind, or the same kind and a higher score.
#[inline]
fn beats(kind: u16, score: f32, tier: u16, best: f32) -> bool {
    kind < tier || (kind == tier && score > best)
}

/// Makes (`kind`, `score`) the word's match if it [`beats`] (`tier`, `best`).
#[inline]
fn better(tier: &mut u16, best: &mut f32, kind: u16, score: f32) {
    if beats(kind, score, *tier, *best) {
        *tier = kind;
        *best = score;
    }
}

/// The weight of a word's term in the word's score: the word's idf, less
/// for a prefix extension, less again for a typo (and for a second typo).
fn term_weight(idf: f32, kind: u8) -> f32 {
    idf * KIND_WEIGHT[(kind as usize).min(2)] * if kind > TYPO { 0.66 } else { 1.0 }
}

/// The order results rank in: tier, then score (higher first), then newer,
/// then lower id. `keep_best` encodes the same order in an integer key.
fn rank_order(a: &Cand, b: &Cand, n_dated: u32) -> std::cmp::Ordering {
    let r = |d: u32| crate::score::recency(d, n_dated);
    a.tier
        .cmp(&b.tier)
        .then(b.score.total_cmp(&a.score))
        .then(r(b.doc).cmp(&r(a.doc)))
        .then(a.doc.cmp(&b.doc))
}

/// Dense per-entry accumulator (for queries whose words are common).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Slot {
    score: f32,
    /// The score before the word being added.
    base: f32,
    /// That word's score so far (its best term's).
    word: f32,
    tier: u16,
    /// That word's best kind so far.
    kind: u8,
    /// How many words (plus one for the author filter, when there is one)
    /// the entry has matched so far.
    cnt: u8,
}

/// A phrase being evaluated: one cursor per term.
struct Phrase<'a> {
    cursors: Vec<PostingCursor<'a>>,
    idfs: f32,
}

impl<'a> Phrase<'a> {
    /// Every entry in `ranges` that contains the phrase (leapfrog join).
    fn collect<D: AsRef<[u8]>>(
        &mut self,
        ix: &Index<D>,
        sc: &Scorer,
        ranges: &[Range<u32>],
        buf: &mut PhraseBufs,
        out: &mut Vec<Cand>,
    ) -> Result<(), IndexError> {
        for r in ranges.iter().filter(|r| !r.is_empty()) {
            let mut target = r.start;
            loop {
                let mut agree = true;
                for c in self.cursors.iter_mut() {
                    c.seek(target)?;
                    if c.doc() != target {
                        agree = false;
                        target = c.doc();
                    }
                }
                if target >= r.end {
                    break;
                }
                if agree {
                    if let Some((tier, score)) =
                        phrase_probe(ix, sc, &mut self.cursors, self.idfs, target, buf)?
                    {
                        out.push(Cand { doc: target, tier, score });
                    }
                    target += 1;
                }
            }
        }
        Ok(())
    }
}

fn phrase_probe<D: AsRef<[u8]>>(
    ix: &Index<D>,
    sc: &Scorer,
    cursors: &mut [PostingCursor<'_>],
    idfs: f32,
    doc: u32,
    buf: &mut PhraseBufs,
) -> Result<Option<(u16, f32)>, IndexError> {
    for c in cursors.iter_mut() {
        c.seek(doc)?;
        if c.doc() != doc {
            return Ok(None);
        }
    }
    if phrase_at(cursors, buf)? {
        let norms = sc.norms(ix, doc);
        let s: f32 = cursors.iter().map(|c| sc.tf(c.tfs(), norms)).sum::<f32>() * idfs;
        Ok(Some((0, s)))
    } else {
        Ok(None)
    }
}

#[derive(Default)]
struct PhraseBufs {
    pos: Vec<Vec<u32>>,
}

/// Whether the cursors (all on the same doc) hold their terms at
/// consecutive positions of one field.
fn phrase_at(cursors: &mut [PostingCursor<'_>], buf: &mut PhraseBufs) -> Result<bool, IndexError> {
    if cursors.len() <= 1 {
        return Ok(true);
    }
    let mask = cursors.iter().fold(0xffu8, |m, c| m & c.mask());
    if buf.pos.len() < cursors.len() {
        buf.pos.resize_with(cursors.len(), Vec::new);
    }
    for f in 0..FIELDS {
        if mask & (1 << f) == 0 {
            continue;
        }
        for (c, p) in cursors.iter_mut().zip(buf.pos.iter_mut()) {
            p.clear();
            c.positions(f, p)?;
        }
        let first = &buf.pos[0];
        'start: for &p0 in first {
            for (i, p) in buf.pos.iter().enumerate().take(cursors.len()).skip(1) {
                let want = match p0.checked_add(i as u32) {
                    Some(w) => w,
                    None => continue 'start,
                };
                if p.binary_search(&want).is_err() {
                    continue 'start;
                }
            }
            return Ok(true);
        }
    }
    Ok(false)
}

/// A word's cursors; `lazy` ones (see [`Postings::lazy_cursor`]) for
/// probing a few entries rather than reading whole lists.
fn word_clause<'a, D: AsRef<[u8]>>(
    ix: &'a Index<D>,
    sc: &Scorer,
    exps: &[Exp],
    lazy: bool,
) -> Result<Word<'a>, IndexError> {
    // One idf for the whole word (from its most frequent term), so that a
    // rare extension does not outscore the word itself.
    let df = exps.iter().map(|e| e.df).max().unwrap_or(1);
    let idf = sc.idf(df);
    let mut cursors = Vec::with_capacity(exps.len());
    let mut cost = 0u64;
    let mut exps: Vec<&Exp> = exps.iter().collect();
    exps.sort_by_key(|e| e.kind);
    let lists = each(&exps, |e| ix.postings(e.ord))?;
    for (e, p) in exps.into_iter().zip(lists) {
        let w = term_weight(idf, e.kind);
        cursors.push((if lazy { p.lazy_cursor()? } else { p.cursor()? }, e.kind, w));
        cost += e.df as u64;
    }
    Ok(Word { cursors, cost })
}

/// `None` if a term of the phrase is not in the dictionary.
fn phrase_clause<'a, D: AsRef<[u8]>>(
    ix: &'a Index<D>,
    sc: &Scorer,
    terms: &[String],
) -> Result<Option<(Phrase<'a>, u64)>, IndexError> {
    let ords = each(terms, |t| ix.term_ord(t))?;
    let Some(ords) = ords.into_iter().collect::<Option<Vec<u32>>>() else { return Ok(None) };
    let lists = each(ords, |o| ix.postings(o))?;
    let mut cursors = Vec::with_capacity(terms.len());
    let mut cost = u64::MAX;
    let mut idfs = 0.0;
    for p in lists {
        cost = cost.min(p.df() as u64);
        idfs += sc.idf(p.df());
        cursors.push(p.cursor()?);
    }
    Ok(Some((Phrase { cursors, idfs: idfs / terms.len().max(1) as f32 }, cost)))
}

// ---------------------------------------------------------------- search

fn day_arg(field: &'static str, v: &Option<String>) -> Result<Option<i32>, SearchError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_day(s)
            .map(Some)
            .ok_or_else(|| SearchError::BadDate { field, value: s.to_string() }),
    }
}

/// The words and prefixes to highlight.
struct Marker {
    terms: HashSet<String>,
    prefixes: Vec<String>,
}

impl Marker {
    fn hit(&self, term: &str) -> bool {
        self.terms.contains(term) || self.prefixes.iter().any(|p| term.starts_with(p.as_str()))
    }
}

/// `Ok(None)` for `NotLoaded` (noting it in `pending`), so that a caller can
/// go on and find every shard a call needs in one pass.
fn soft<T>(r: Result<T, IndexError>, pending: &mut bool) -> Result<Option<T>, IndexError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(IndexError::NotLoaded) => {
            *pending = true;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Answers `q` over `ix`.
///
/// Over a sharded index whose needed shards are not all loaded, fails with
/// `IndexError::NotLoaded`: [`Index::wanted`] then lists every shard to
/// fetch (all of one round: dictionary pieces first, then postings, then
/// the norms and entry pieces of the hits).
pub fn search<D: AsRef<[u8]>>(ix: &Index<D>, q: &Query) -> Result<Results, SearchError> {
    ix.wanted();
    let r = search_inner(ix, q);
    if ix.needs_shards() {
        return Err(SearchError::Index(IndexError::NotLoaded));
    }
    r
}

fn search_inner<D: AsRef<[u8]>>(ix: &Index<D>, q: &Query) -> Result<Results, SearchError> {
    let from = day_arg("from", &q.from)?;
    let to = day_arg("to", &q.to)?;
    let bounded = from.is_some() || to.is_some();
    let ranges = [ix.id_range(from, to), ix.n_dated..ix.n_entries];
    let parsed = parse(&q.query);
    // Words (and excluded words) only.
    if q.sort == Sort::Relevance
        && !parsed.words.is_empty()
        && parsed.phrases.is_empty()
        && parsed.not_phrases.is_empty()
        && q.authors.iter().all(|a| a.trim().is_empty())
    {
        return words_only(ix, q, &parsed, &ranges, bounded, from, to);
    }
    general(ix, q, &parsed, from, to)
}

/// Any query: two passes — every match scored with average field lengths,
/// then the best RERANK rescored exactly (see `rerank`).
fn general<D: AsRef<[u8]>>(
    ix: &Index<D>,
    q: &Query,
    parsed: &Parsed,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<Results, SearchError> {
    let bounded = from.is_some() || to.is_some();
    let dated = ix.id_range(from, to);
    let undated = ix.n_dated..ix.n_entries;
    let ranges = [dated.clone(), undated.clone()];
    let sc = Scorer::flat(ix);
    let mut word_exps: Vec<Vec<Exp>> = Vec::new();
    let mut marker = Marker { terms: HashSet::new(), prefixes: Vec::new() };
    let mut bufs = PhraseBufs::default();
    let mut pending = false;

    // Author filter: the union of the named authors' entries.
    let author_ids: Option<Vec<u32>> = if q.authors.iter().any(|a| !a.trim().is_empty()) {
        let mut ids = Vec::new();
        for (i, row) in ix.authors.iter().enumerate() {
            if q.authors.iter().any(|a| a == &row.name || text::fold(a) == text::fold(&row.name)) {
                ids.extend(soft(ix.author_ids(i), &mut pending)?.unwrap_or_default());
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    } else {
        None
    };

    // Words, cheapest first; phrases, most selective first.
    let mut words: Vec<Word<'_>> = Vec::new();
    let mut phrases: Vec<(Phrase<'_>, u64)> = Vec::new();
    let mut impossible = false;
    for w in &parsed.words {
        let Some(exps) = soft(expand(ix, w), &mut pending)? else { continue };
        if exps.is_empty() {
            impossible = true;
            break;
        }
        marker.prefixes.push(w.clone());
        marker.terms.extend(exps.iter().filter_map(|e| e.typo.clone()));
        words.extend(soft(word_clause(ix, &sc, &exps, false), &mut pending)?);
        word_exps.push(exps);
    }
    for ph in &parsed.phrases {
        if impossible {
            break;
        }
        match soft(phrase_clause(ix, &sc, ph), &mut pending)? {
            Some(Some(c)) => {
                marker.terms.extend(ph.iter().cloned());
                phrases.push(c);
            }
            Some(None) => impossible = true,
            None => {}
        }
    }
    let mut neg_words: Vec<Word<'_>> = Vec::new();
    for w in &parsed.not_words {
        let neg = |w: &str| -> Result<Option<Word<'_>>, IndexError> {
            let Some(o) = ix.term_ord(w)? else { return Ok(None) };
            let p = ix.postings(o)?;
            Ok(Some(Word { cost: p.df() as u64, cursors: vec![(p.cursor()?, EXACT, 0.0)] }))
        };
        neg_words.extend(soft(neg(w), &mut pending)?.flatten());
    }
    let mut neg_phrases: Vec<Phrase<'_>> = Vec::new();
    for ph in &parsed.not_phrases {
        if let Some(Some((c, _))) = soft(phrase_clause(ix, &sc, ph), &mut pending)? {
            neg_phrases.push(c);
        }
    }
    if pending && !impossible {
        return Err(IndexError::NotLoaded.into());
    }
    words.sort_by_key(|w| w.cost);
    phrases.sort_by_key(|p| p.1);
    let browse = words.is_empty() && phrases.is_empty() && !impossible;

    let mut cands: Vec<Cand> = Vec::new();
    if impossible {
        // Some word or phrase matches nothing: nothing matches.
    } else if browse && author_ids.is_none() && neg_words.is_empty() && neg_phrases.is_empty() {
        // Every entry of the range: no need to list them one by one.
        return browse_all(ix, q, bounded, dated, undated, from, to);
    } else {
        // Start from the most selective of: the author filter, the cheapest
        // word, the rarest phrase, or (browsing) the whole range.
        let mut started = false;
        if let Some(ids) = &author_ids {
            cands.extend(ids.iter().filter(|&&id| in_ranges(&ranges, id)).map(|&doc| Cand {
                doc,
                tier: 0,
                score: 0.0,
            }));
            started = true;
        }
        let n = ix.n_entries as u64;
        let mut words = words.into_iter().peekable();
        if !started {
            if let Some((p, _)) =
                phrases.first_mut().filter(|p| words.peek().map_or(true, |w| p.1 < w.cost))
            {
                p.collect(ix, &sc, &ranges, &mut bufs, &mut cands)?;
                started = true;
                phrases.remove(0);
            }
        }
        if !started && words.peek().is_some_and(|w| w.cost.saturating_mul(16) < n) {
            if let Some(mut w) = words.next() {
                w.collect(ix, &sc, &ranges, &mut cands)?;
                started = true;
            }
        }
        if !started && words.peek().is_none() {
            for r in &ranges {
                cands.extend(r.clone().map(|doc| Cand { doc, tier: 0, score: 0.0 }));
            }
            started = true;
        }
        // The rest of the words: probe the candidates when they are few,
        // otherwise accumulate densely.
        let mut guard = ix.scratch.try_lock().ok();
        let mut own = Vec::new();
        let slots: &mut Vec<Slot> = match guard.as_deref_mut() {
            Some(v) => v,
            None => &mut own,
        };
        slots.clear();
        let mut step: u8 = 0;
        for mut w in words {
            if slots.is_empty()
                && started
                && (cands.len() as u64) * (w.cursors.len() as u64) * 8 < w.cost
            {
                let mut k = 0;
                for i in 0..cands.len() {
                    let c = cands[i];
                    if let Some((tier, score)) = w.probe(ix, &sc, c.doc)? {
                        cands[k] = Cand {
                            doc: c.doc,
                            tier: c.tier.saturating_add(tier),
                            score: c.score + score,
                        };
                        k += 1;
                    }
                }
                cands.truncate(k);
                continue;
            }
            if slots.is_empty() {
                slots.resize(ix.n_entries as usize, Slot::default());
                if started {
                    step = 1;
                    for c in cands.drain(..) {
                        if let Some(s) = slots.get_mut(c.doc as usize) {
                            *s = Slot { score: c.score, tier: c.tier, cnt: 1, ..Slot::default() };
                        }
                    }
                }
            }
            w.accumulate(ix, &sc, &ranges, slots, step)?;
            step += 1;
        }
        if !slots.is_empty() {
            for r in &ranges {
                for doc in r.clone() {
                    if let Some(s) = slots.get(doc as usize).filter(|s| s.cnt == step) {
                        cands.push(Cand { doc, tier: s.tier, score: s.score });
                    }
                }
            }
        }
        for (mut p, _) in phrases {
            let mut k = 0;
            for i in 0..cands.len() {
                let c = cands[i];
                if let Some((_, score)) =
                    phrase_probe(ix, &sc, &mut p.cursors, p.idfs, c.doc, &mut bufs)?
                {
                    cands[k] = Cand { doc: c.doc, tier: c.tier, score: c.score + score };
                    k += 1;
                }
            }
            cands.truncate(k);
        }
    }
    for mut w in neg_words {
        let mut k = 0;
        for i in 0..cands.len() {
            let c = cands[i];
            if w.probe(ix, &sc, c.doc)?.is_none() {
                cands[k] = c;
                k += 1;
            }
        }
        cands.truncate(k);
    }
    for mut p in neg_phrases {
        let mut k = 0;
        for i in 0..cands.len() {
            let c = cands[i];
            if phrase_probe(ix, &sc, &mut p.cursors, p.idfs, c.doc, &mut bufs)?.is_none() {
                cands[k] = c;
                k += 1;
            }
        }
        cands.truncate(k);
    }

    // cands is in id order: dated (in range) first, then undated.
    let split = cands.partition_point(|c| c.doc < ix.n_dated);
    let undated_count = cands.len() - split;
    if bounded {
        cands.truncate(split);
    }
    let dated_cands = &cands[..split];
    let below = |id: u32| dated_cands.partition_point(|c| c.doc < id);
    let histogram = histogram(ix, &below, dated_cands.iter().map(|c| c.doc), from, to, bounded);
    let total = cands.len();
    let k = q.offset.saturating_add(q.limit).min(total);
    let page: Vec<Cand> = if q.offset >= k {
        Vec::new()
    } else if browse || q.sort != Sort::Relevance {
        let order = ordered(
            split,
            total,
            if browse && q.sort == Sort::Relevance { Sort::Newest } else { q.sort },
        );
        order.skip(q.offset).take(k - q.offset).map(|i| cands[i]).collect()
    } else {
        let keep = k.max(RERANK).min(cands.len());
        keep_best(&mut cands, keep, ix.n_dated);
        rerank(ix, &word_exps, &parsed.phrases, &mut cands)?;
        if ix.needs_shards() {
            // The norms of the best candidates are being fetched.
            return Err(IndexError::NotLoaded.into());
        }
        cands.sort_unstable_by(|a, b| rank_order(a, b, ix.n_dated));
        cands[q.offset..k].to_vec()
    };
    if ix.needs_shards() {
        // Scores came from missing norms: the page is not known yet, so do
        // not fetch entries for it.
        return Err(IndexError::NotLoaded.into());
    }
    let hits = make_hits(ix, page, &marker)?;
    Ok(Results { total, hits, histogram, undated: undated_count, partial: false })
}

/// A query of words (and excluded words), in relevance order: its page
/// proven from the tops of its terms ([`tops_page`]) and counted from the
/// lists' document ids only ([`IdSet`]); otherwise every match ranked from
/// the words' dense scores ([`rank_dense`]), as [`general`] would rank it.
///
/// Over a sharded index whose lists are not loaded yet, `q.partial_ok` lets
/// a page the tops prove alone come first, without the total and histogram.
fn words_only<D: AsRef<[u8]>>(
    ix: &Index<D>,
    q: &Query,
    parsed: &Parsed,
    ranges: &[Range<u32>; 2],
    bounded: bool,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<Results, SearchError> {
    let word_exps = each(&parsed.words, |w| expand(ix, w))?;
    if word_exps.iter().any(Vec::is_empty) {
        return Ok(Results {
            total: 0,
            hits: Vec::new(),
            histogram: Vec::new(),
            undated: 0,
            partial: false,
        });
    }
    let need = q.offset.saturating_add(q.limit);
    // A range leaves the undated entries out of the results.
    let shown = if bounded { &ranges[..1] } else { &ranges[..] };
    let count = || IdSet::matching(ix, &word_exps, &parsed.not_words, ranges);
    // Every match ranked, when the tops do not prove the page.
    let every = |counted: Option<IdSet>| -> Result<(Vec<Cand>, Option<IdSet>), SearchError> {
        let keep = need.max(RERANK).min(ix.n_entries as usize);
        let (mut cands, set) = rank_dense(ix, parsed, &word_exps, ranges, shown, keep, counted)?;
        rerank(ix, &word_exps, &[], &mut cands)?;
        if ix.needs_shards() {
            // The norms of the best candidates are being fetched.
            return Err(IndexError::NotLoaded.into());
        }
        cands.sort_unstable_by(|a, b| rank_order(a, b, ix.n_dated));
        Ok((cands, Some(set)))
    };
    let tops = need <= crate::index::tops::TOP_N;
    // Excluded words: the matches first (the tops know nothing of them).
    let (found, counted) = if !tops {
        every(None)?
    } else if parsed.not_words.is_empty() {
        match tops_page(ix, &word_exps, None, shown, need)? {
            None => every(None)?,
            Some(found) => {
                // Counting — asked for before the page's entries so that one
                // round fetches both, unless the page may come first.
                let mark = ix.wants_mark();
                match count() {
                    Ok(set) => (found, Some(set)),
                    Err(IndexError::NotLoaded) => {
                        if q.partial_ok {
                            ix.forget_wants_since(mark);
                        }
                        (found, None)
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
    } else {
        let set = count()?;
        match tops_page(ix, &word_exps, Some(&set), shown, need)? {
            Some(found) => (found, Some(set)),
            // The matches are counted already.
            None => every(Some(set))?,
        }
    };
    let page: Vec<Cand> = found.iter().skip(q.offset).take(q.limit).copied().collect();
    let marker = Marker {
        terms: word_exps.iter().flatten().filter_map(|e| e.typo.clone()).collect(),
        prefixes: parsed.words.clone(),
    };
    let hits = make_hits(ix, page, &marker)?;
    let Some(mut set) = counted else {
        if !q.partial_ok {
            return Err(IndexError::NotLoaded.into());
        }
        // A lower bound: the entries found, or one word's largest list when
        // no range cuts it.
        let total = match word_exps.as_slice() {
            [one] if !bounded => one.iter().map(|e| e.df as usize).max().unwrap_or(0),
            _ => 0,
        };
        return Ok(Results {
            total: total.max(found.len()),
            hits,
            histogram: Vec::new(),
            undated: 0,
            partial: true,
        });
    };
    set.finish();
    let split = set.below(ix.n_dated);
    let undated = set.count() - split;
    let histogram =
        histogram(ix, &|id| set.below(id), set.iter(ranges[0].clone()), from, to, bounded);
    let total = if bounded { split } else { set.count() };
    Ok(Results { total, hits, histogram, undated, partial: false })
}

/// Gets ready for the next keystroke of `query`: computes the scores of its
/// words (see [`rank_dense`]) that are not kept yet, when their lists are
/// loaded (it fetches nothing). A page calls it when typing pauses on a
/// space — the next keystroke starts another word and will want them — so
/// that neither keystroke waits for it. Returns how many words it computed.
pub fn prepare<D: AsRef<[u8]>>(ix: &Index<D>, query: &str) -> usize {
    let parsed = parse(query);
    let mark = ix.wants_mark();
    let sc = Scorer::flat(ix);
    let mut computed = 0;
    for w in &parsed.words {
        let kept = ix.words.lock().is_ok_and(|c| c.words.iter().any(|(k, _)| k == w));
        if kept {
            continue;
        }
        match expand(ix, w).and_then(|e| word_scores(ix, &sc, w, &e)) {
            Ok(_) => computed += 1,
            Err(_) => break,
        }
    }
    ix.forget_wants_since(mark);
    computed
}

/// The best `need` matches (and any others found on the way), ranked, when
/// the tops of the words' terms (`index::tops`) prove them; `None` when
/// they do not. `set` holds the matches when they are counted; without it
/// only entries the tops pin down count.
///
/// An entry matches a word as well as the best (kind, weight × score) among
/// the word's terms it contains (see [`Word`]), and the query as the sum of
/// its words' matches. A term's top holds its best entries with exact
/// scores, and its floor bounds the score of every other entry containing
/// it. So an entry's match of a word is at most the better of what the
/// word's tops know of it and the word's bound — the best (kind, weight ×
/// floor) of its terms — and is exactly what the tops know when that beats
/// the bound. Summed over the words, this bounds every entry found in some
/// top, and `bound` bounds every entry found in none.
///
/// The entries found in tops are taken in order of their bounds; those the
/// tops do not pin exactly are scored from the postings, with their own
/// field lengths, a batch at a time, until the page's last entry strictly
/// beats everything not yet scored: the page is then the exhaustive exact
/// ranking's. One word's pages are proven this way almost always; several
/// words' rarely at scale, where few entries are near the top of two lists.
fn tops_page<D: AsRef<[u8]>>(
    ix: &Index<D>,
    word_exps: &[Vec<Exp>],
    set: Option<&IdSet>,
    shown: &[Range<u32>],
    need: usize,
) -> Result<Option<Vec<Cand>>, SearchError> {
    let sc = Scorer::new(ix);
    let nw = word_exps.len();
    // Every top of every word, in one round of fetching.
    let terms: Vec<(usize, &Exp)> =
        word_exps.iter().enumerate().flat_map(|(w, es)| es.iter().map(move |e| (w, e))).collect();
    let tops = each(&terms, |(_, e)| ix.top(e.ord))?;
    let idfs: Vec<f32> =
        word_exps.iter().map(|es| sc.idf(es.iter().map(|e| e.df).max().unwrap_or(1))).collect();
    let mut word_bound: Vec<Option<(u16, f32)>> = vec![None; nw];
    let mut known: Vec<(u32, usize, u16, f32)> = Vec::new(); // (doc, word, kind, score)
    for (&(wi, e), top) in terms.iter().zip(&tops) {
        let kind = e.kind as u16;
        let w = term_weight(idfs[wi], e.kind);
        if let Some(f) = top.floor {
            let (mut t, mut b) = word_bound[wi].unwrap_or((u16::MAX, 0.0));
            better(&mut t, &mut b, kind, w * f);
            word_bound[wi] = Some((t, b));
        }
        known.extend(
            top.docs.iter().filter(|d| in_ranges(shown, d.0)).map(|&(d, s)| (d, wi, kind, w * s)),
        );
    }
    // The best match of an entry in no top; none when some word's tops
    // hold every entry of its terms (no such entry matches that word).
    let bound = word_bound
        .iter()
        .try_fold((0u16, 0f32), |(t, s), b| b.map(|(k, x)| (t.saturating_add(k), s + x)));
    known.sort_unstable_by_key(|k| (k.0, k.1));
    let mut cands: Vec<(Cand, bool)> = Vec::new(); // (doc, bound of its match), exactly known
    let mut per: Vec<Option<(u16, f32)>> = vec![None; nw];
    let mut i = 0;
    while i < known.len() {
        let doc = known[i].0;
        per.fill(None);
        while let Some(&(_, wi, kind, s)) = known.get(i).filter(|k| k.0 == doc) {
            let (mut t, mut b) = per[wi].unwrap_or((u16::MAX, 0.0));
            better(&mut t, &mut b, kind, s);
            per[wi] = Some((t, b));
            i += 1;
        }
        let (mut tier, mut score, mut exact) = (0u16, 0f32, true);
        let mut possible = set.map_or(true, |s| s.contains(doc));
        for (k, b) in per.iter().zip(&word_bound) {
            let (t, s) = match (*k, *b) {
                (Some(k), Some(b)) if beats(k.0, k.1, b.0, b.1) => k,
                (_, Some(b)) => {
                    exact = false;
                    b
                }
                (Some(k), None) => k,
                (None, None) => {
                    possible = false;
                    break;
                }
            };
            tier = tier.saturating_add(t);
            score += s;
        }
        if possible {
            cands.push((Cand { doc, tier, score }, exact));
        }
    }
    cands.sort_unstable_by(|a, b| a.0.tier.cmp(&b.0.tier).then(b.0.score.total_cmp(&a.0.score)));
    let mut found: Vec<Cand> = Vec::new();
    let (mut next, mut probed) = (0, 0);
    loop {
        // The best match of any entry not scored yet.
        let rest = match (cands.get(next), bound) {
            (Some((c, _)), Some(b)) if !beats(c.tier, c.score, b.0, b.1) => Some(b),
            (Some((c, _)), _) => Some((c.tier, c.score)),
            (None, b) => b,
        };
        found.sort_unstable_by(|a, b| rank_order(a, b, ix.n_dated));
        let proven = match (need.checked_sub(1), rest) {
            (None, _) | (_, None) => true,
            (Some(last), Some((t, s))) => {
                found.get(last).is_some_and(|c| beats(c.tier, c.score, t, s))
            }
        };
        if proven {
            return Ok(Some(found));
        }
        // Not proven, and no entry left whose match could beat the bound.
        match (cands.get(next), bound) {
            (Some((c, _)), Some(b)) if beats(c.tier, c.score, b.0, b.1) => {}
            (Some(_), None) => {}
            _ => return Ok(None),
        }
        let end = (next + need.max(PROBE_BATCH)).min(cands.len());
        let mut probe: Vec<u32> = Vec::new();
        for &(c, exact) in &cands[next..end] {
            if exact {
                found.push(c);
            } else {
                probe.push(c.doc);
            }
        }
        next = end;
        if probe.is_empty() {
            continue;
        }
        probed += probe.len();
        if set.is_none() || probed > PROBE_CAP {
            return Ok(None);
        }
        probe.sort_unstable();
        let mut words = each(word_exps, |e| word_clause(ix, &sc, e, true))?;
        'doc: for doc in probe {
            let (mut tier, mut score) = (0u16, 0f32);
            for w in words.iter_mut() {
                let Some((t, s)) = w.probe(ix, &sc, doc)? else { continue 'doc };
                tier = tier.saturating_add(t);
                score += s;
            }
            found.push(Cand { doc, tier, score });
        }
        if ix.needs_shards() {
            // The norms of the entries scored are being fetched.
            return Err(IndexError::NotLoaded.into());
        }
    }
}

/// One word's matches with their first-pass scores (average field
/// lengths, [`Scorer::flat`]): per entry, the word's best (kind, score)
/// packed in a `u32` that orders as matches rank ([`pack`]; 0: no match),
/// and the entries as bits. About 4 bytes per entry of the index: a
/// million-entry archive's word takes 4.1 MB.
pub(crate) struct WordScores {
    key: Vec<u32>,
    bits: Vec<u64>,
}

/// The [`WORD_CACHE`] words whose scores were used last, the latest last.
/// A query is typed a word at a time, so every keystroke finds the words
/// before the one being typed here, and only that one reads its lists.
#[derive(Default)]
pub(crate) struct WordCache {
    words: Vec<(String, std::sync::Arc<WordScores>)>,
}

/// Words whose scores are kept (each ~4 bytes per entry).
const WORD_CACHE: usize = 6;

/// (kind, score) as one number that orders as matches rank: the kind
/// inverted above the score's bits (a non-negative float's bits order as
/// the float does; the 3 lowest are dropped, a relative 10⁻⁶).
#[inline]
fn pack(kind: u8, score: f32) -> u32 {
    ((4 - kind.min(3) as u32) << 28) | (score.max(0.0).to_bits() >> 3)
}

#[inline]
fn unpack(k: u32) -> (u16, f32) {
    ((4 - (k >> 28)) as u16, f32::from_bits((k & 0x0FFF_FFFF) << 3))
}

/// The first-pass scores of `word` (whose terms are `exps`), from the
/// cache or from its lists — every posting decoded once, into dense arrays.
fn word_scores<D: AsRef<[u8]>>(
    ix: &Index<D>,
    sc: &Scorer,
    word: &str,
    exps: &[Exp],
) -> Result<std::sync::Arc<WordScores>, IndexError> {
    if let Ok(mut cache) = ix.words.lock() {
        if let Some(at) = cache.words.iter().position(|(k, _)| k == word) {
            // The most recently used last: what the next keystrokes reuse.
            let hit = cache.words.remove(at);
            let w = hit.1.clone();
            cache.words.push(hit);
            return Ok(w);
        }
    }
    let flat = sc.flat.unwrap_or_else(|| Scorer::flat(ix).flat.unwrap_or_default());
    let idf = sc.idf(exps.iter().map(|e| e.df).max().unwrap_or(1));
    let lists = each(exps, |e| ix.postings(e.ord))?;
    let n = ix.n_entries as usize;
    let mut w = WordScores { key: vec![0; n], bits: vec![0; n.div_ceil(64)] };
    for (e, p) in exps.iter().zip(&lists) {
        let wt = term_weight(idf, e.kind);
        let fac = sc.model.factors(flat);
        let (key, bits) = (&mut w.key, &mut w.bits);
        // A block's scores in one loop of arithmetic only (it vectorizes),
        // then stored.
        let mut keys = [0u32; crate::index::format::POSTING_BLOCK];
        p.cursor()?.for_each_block(|docs, tfs| {
            for (k, t) in keys.iter_mut().zip(tfs) {
                *k = pack(e.kind, wt * crate::score::tf_with(t, &fac));
            }
            for (&d, &k) in docs.iter().zip(&keys) {
                if let (Some(slot), Some(b)) =
                    (key.get_mut(d as usize), bits.get_mut(d as usize / 64))
                {
                    *slot = (*slot).max(k);
                    *b |= 1 << (d % 64);
                }
            }
        })?;
    }
    let w = std::sync::Arc::new(w);
    if let Ok(mut cache) = ix.words.lock() {
        if cache.words.len() >= WORD_CACHE {
            cache.words.remove(0);
        }
        cache.words.push((word.to_string(), w.clone()));
    }
    Ok(w)
}

/// Every match of a words-only query, by the first pass's scores: the
/// `keep` best (in no order), and all of them as an [`IdSet`] over
/// `ranges`. The same ranking as [`general`]'s first pass, from each word's
/// dense scores ([`word_scores`], mostly cached while typing) instead of a
/// merge of every list. `counted`: the matches, when the caller has them.
fn rank_dense<D: AsRef<[u8]>>(
    ix: &Index<D>,
    parsed: &Parsed,
    word_exps: &[Vec<Exp>],
    ranges: &[Range<u32>; 2],
    shown: &[Range<u32>],
    keep: usize,
    counted: Option<IdSet>,
) -> Result<(Vec<Cand>, IdSet), IndexError> {
    let sc = Scorer::flat(ix);
    let words = each(parsed.words.iter().zip(word_exps), |(w, e)| word_scores(ix, &sc, w, e))?;
    // The matches: every word's, none of an excluded word's, in the ranges.
    let set = match counted {
        Some(set) => set,
        None => {
            let mut set = IdSet::new(ix.n_entries);
            for r in ranges {
                set.fill(r.clone());
            }
            for w in &words {
                set.and(&w.bits);
            }
            set.exclude(ix, &parsed.not_words, ranges)?;
            set
        }
    };
    let mut best = Best::new(keep, ix.n_dated);
    for r in shown {
        set.for_each(r.clone(), |doc| {
            let (mut tier, mut score) = (0u16, 0f32);
            for w in &words {
                let (t, s) = unpack(w.key.get(doc as usize).copied().unwrap_or(0));
                tier = tier.saturating_add(t);
                score += s;
            }
            best.push(Cand { doc, tier, score });
        });
    }
    Ok((best.into_vec(), set))
}

/// Entries by id, one bit each (a million take 122 KiB): a query's matches
/// while they are counted. Intersections and exclusions are word-wise
/// `and`s; counting below an id is a popcount after [`IdSet::finish`].
struct IdSet {
    bits: Vec<u64>,
    /// Set bits before each word (filled by `finish`).
    before: Vec<u32>,
}

impl IdSet {
    fn new(n: u32) -> IdSet {
        IdSet { bits: vec![0; (n as usize).div_ceil(64)], before: Vec::new() }
    }

    /// The entries in `ranges` that contain every word (any of its terms)
    /// and none of the excluded terms — from the lists' document ids only.
    fn matching<D: AsRef<[u8]>>(
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
    fn and(&mut self, bits: &[u64]) {
        self.bits.iter_mut().zip(bits).for_each(|(a, b)| *a &= b);
    }

    /// Drops the entries in `ranges` that contain any of the excluded terms.
    fn exclude<D: AsRef<[u8]>>(
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

    fn contains(&self, id: u32) -> bool {
        self.bits.get(id as usize / 64).is_some_and(|w| w >> (id % 64) & 1 == 1)
    }

    /// Counts the set bits before each word, for [`IdSet::below`].
    fn finish(&mut self) {
        let mut n = 0u32;
        self.before = self.bits.iter().map(|w| (n, n += w.count_ones()).0).collect();
        self.before.push(n);
    }

    /// How many ids below `id` are in the set (after `finish`).
    fn below(&self, id: u32) -> usize {
        let (i, b) = (id as usize / 64, id % 64);
        let head = self.before.get(i).or(self.before.last()).copied().unwrap_or(0);
        let part = self.bits.get(i).map_or(0, |w| (w & ((1u64 << b) - 1)).count_ones());
        (head + part) as usize
    }

    fn count(&self) -> usize {
        self.before.last().copied().unwrap_or(0) as usize
    }

    /// The ids of the set in `r`, ascending.
    fn iter(&self, r: Range<u32>) -> impl Iterator<Item = u32> + '_ {
        r.filter(move |&id| self.contains(id))
    }

    /// Adds every id of `r`.
    fn fill(&mut self, r: Range<u32>) {
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
    fn for_each(&self, r: Range<u32>, mut f: impl FnMut(u32)) {
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

/// Rescores `cands` with each entry's own field lengths: the sum, as the
/// first pass summed it, of every word's and phrase's score. Only these few
/// entries' norms are read — over a sharded index, only their pieces are
/// fetched — while the first pass scored every match at average lengths.
fn rerank<D: AsRef<[u8]>>(
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
    cands.sort_unstable_by_key(|c| c.doc);
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
fn keep_best(cands: &mut Vec<Cand>, keep: usize, n_dated: u32) {
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
struct Best {
    /// (rank key, tier and score bits); the key's low bits are the doc.
    heap: std::collections::BinaryHeap<(u128, u64)>,
    keep: usize,
    n_dated: u32,
    /// The worst kept (tier, score), once the heap is full: what ranks
    /// strictly below it is turned away without a key.
    worst: Option<(u16, f32)>,
}

impl Best {
    fn new(keep: usize, n_dated: u32) -> Best {
        let room = keep.min(1 << 16).saturating_add(1);
        Best { heap: std::collections::BinaryHeap::with_capacity(room), keep, n_dated, worst: None }
    }

    /// An integer key that sorts as the ranking does (smaller is better).
    fn key(&self, c: &Cand) -> u128 {
        let bits = c.score.to_bits() as i32;
        let total = (bits ^ ((((bits >> 31) as u32) >> 1) as i32)) as u32 ^ 0x8000_0000; // total_cmp order
        let recency = crate::score::recency(c.doc, self.n_dated);
        ((c.tier as u128) << 96)
            | ((!total as u128) << 64)
            | ((!recency as u128) << 32)
            | c.doc as u128
    }

    #[inline]
    fn push(&mut self, c: Cand) {
        if let Some((t, s)) = self.worst {
            if c.tier > t || (c.tier == t && c.score < s) {
                return;
            }
        }
        self.push_key(c);
    }

    fn push_key(&mut self, c: Cand) {
        let k = self.key(&c);
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

    fn into_vec(self) -> Vec<Cand> {
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

fn in_ranges(ranges: &[Range<u32>], id: u32) -> bool {
    ranges.iter().any(|r| r.contains(&id))
}

/// Indices into an id-sorted list of `total` items whose first `split` are
/// dated, in the order `sort` asks for (undated always last, by id).
fn ordered(split: usize, total: usize, sort: Sort) -> Box<dyn Iterator<Item = usize>> {
    match sort {
        Sort::Newest => Box::new((0..split).rev().chain(split..total)),
        _ => Box::new(0..total),
    }
}

fn browse_all<D: AsRef<[u8]>>(
    ix: &Index<D>,
    q: &Query,
    bounded: bool,
    dated: Range<u32>,
    undated: Range<u32>,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<Results, SearchError> {
    let n_dated = dated.len();
    let total = n_dated + if bounded { 0 } else { undated.len() };
    let below = |id: u32| (id.clamp(dated.start, dated.end) - dated.start) as usize;
    let histogram = histogram(ix, &below, dated.clone(), from, to, bounded);
    let k = q.offset.saturating_add(q.limit).min(total);
    let sort = if q.sort == Sort::Oldest { Sort::Oldest } else { Sort::Newest };
    let marker = Marker { terms: HashSet::new(), prefixes: Vec::new() };
    let mut page = Vec::new();
    if q.offset < k {
        for i in ordered(n_dated, total, sort).skip(q.offset).take(k - q.offset) {
            let id = if i < n_dated {
                dated.start + i as u32
            } else {
                undated.start + (i - n_dated) as u32
            };
            page.push(Cand { doc: id, tier: 0, score: 0.0 });
        }
    }
    let hits = make_hits(ix, page, &marker)?;
    Ok(Results { total, hits, histogram, undated: undated.len(), partial: false })
}

/// Per-day counts of the (ascending) dated ids, from the day table; per
/// hour when the range given spans at most three days. `below(id)` counts
/// the ids under `id` (a binary search: a day's count is two of them, so a
/// million matches cost a few thousand steps); the hourly path walks `ids`.
fn histogram<D: AsRef<[u8]>>(
    ix: &Index<D>,
    below: &dyn Fn(u32) -> usize,
    ids: impl Iterator<Item = u32>,
    from: Option<i32>,
    to: Option<i32>,
    bounded: bool,
) -> Vec<Bucket> {
    let days = &ix.days;
    let (Some(first), Some(last)) = (days.first(), days.last()) else { return Vec::new() };
    let lo = from.unwrap_or(first.0).max(first.0);
    let hi = to.unwrap_or(last.0).min(last.0);
    let hourly = bounded && hi >= lo && (hi as i64 - lo as i64) < 3;
    if !hourly {
        let mut out = Vec::new();
        for (i, &(day, start)) in days.iter().enumerate() {
            let end = days.get(i + 1).map_or(ix.n_dated, |d| d.1);
            let n = below(end).saturating_sub(below(start));
            if n > 0 {
                out.push(Bucket {
                    day: format_day(day),
                    hourly: false,
                    hour: None,
                    count: n as u32,
                });
            }
        }
        return out;
    }
    let mut out: Vec<Bucket> = Vec::new();
    let mut di = 0usize;
    let mut hours = [0u32; 25];
    let flush = |di: usize, hours: &mut [u32; 25], out: &mut Vec<Bucket>| {
        let day = format_day(days[di].0);
        for (h, n) in hours.iter_mut().enumerate() {
            if *n > 0 {
                out.push(Bucket {
                    day: day.clone(),
                    hourly: true,
                    hour: (h < 24).then_some(h as u8),
                    count: *n,
                });
                *n = 0;
            }
        }
    };
    let mut cur: Option<usize> = None;
    for id in ids {
        while di + 1 < days.len() && days[di + 1].1 <= id {
            di += 1;
        }
        if hourly {
            if cur != Some(di) {
                if let Some(c) = cur {
                    flush(c, &mut hours, &mut out);
                }
                cur = Some(di);
            }
            let h =
                ix.published(id).and_then(|p| p.minute).map_or(24, |m| (m / 60).min(23) as usize);
            hours[h] += 1;
        } else {
            match out.last_mut() {
                Some(b) if cur == Some(di) => b.count += 1,
                _ => {
                    out.push(Bucket {
                        day: format_day(days[di].0),
                        hourly: false,
                        hour: None,
                        count: 1,
                    });
                    cur = Some(di);
                }
            }
        }
    }
    if hourly {
        if let Some(c) = cur {
            flush(c, &mut hours, &mut out);
        }
    }
    out
}

/// The hits of a page of candidates (every missing entry piece is wanted
/// before `NotLoaded` is returned).
fn make_hits<D: AsRef<[u8]>>(
    ix: &Index<D>,
    page: Vec<Cand>,
    marker: &Marker,
) -> Result<Vec<Hit>, SearchError> {
    let mut pending = false;
    let mut hits = Vec::with_capacity(page.len());
    for c in page {
        match make_hit(ix, c, marker) {
            Ok(h) => hits.push(h),
            Err(SearchError::Index(IndexError::NotLoaded)) => pending = true,
            Err(e) => return Err(e),
        }
    }
    if pending {
        return Err(IndexError::NotLoaded.into());
    }
    Ok(hits)
}

fn make_hit<D: AsRef<[u8]>>(ix: &Index<D>, c: Cand, marker: &Marker) -> Result<Hit, SearchError> {
    // The card first: over a sharded index its piece carries the date.
    let card = ix
        .card(c.doc)?
        .ok_or(IndexError::Corrupt { section: "entries", what: "a matching entry is missing" })?;
    let published = ix.published(c.doc);
    let (snippet, highlights) = snippet(&card.body, marker);
    let title_highlights = if marker.is_empty() {
        Vec::new()
    } else {
        utf16_ranges(&card.title, &find_marks(&card.title, marker))
    };
    Ok(Hit {
        id: c.doc,
        published: published.map(|p| p.to_rfc3339()),
        precision: published.map_or(Precision::Unknown, |p| p.precision()),
        title: card.title,
        authors: card.authors,
        score: c.score,
        snippet,
        highlights,
        title_highlights,
    })
}

/// `[start, end)` UTF-16 offsets of byte ranges (ascending) of `text`.
fn utf16_ranges(text: &str, marks: &[(Range<usize>, String)]) -> Vec<[u32; 2]> {
    let mut out = Vec::with_capacity(marks.len());
    let (mut byte, mut u) = (0usize, 0u32);
    let mut to = |b: usize| {
        u += text.get(byte..b).map_or(0, |s| s.encode_utf16().count() as u32);
        byte = b.max(byte);
        u
    };
    for (r, _) in marks {
        let a = to(r.start);
        let b = to(r.end);
        out.push([a, b]);
    }
    out
}

impl Marker {
    fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.prefixes.is_empty()
    }
}

/// The words of `text` that the marker hits: byte ranges and terms, in order.
///
/// Words are those of [`text::words`]; to avoid segmenting a whole body for
/// a handful of hits, a text whose letters and digits are all ASCII is first
/// scanned for the marker's terms at word starts in its lowercase
/// letters-and-digits skeleton (every hit's term is a run of that
/// skeleton), and only the neighbourhood of each such spot is segmented.
fn find_marks(text: &str, marker: &Marker) -> Vec<(Range<usize>, String)> {
    let mut out: Vec<(Range<usize>, String)> = Vec::new();
    if marker.is_empty() {
        return out;
    }
    let slow = |out: &mut Vec<(Range<usize>, String)>| {
        out.extend(
            text::words(text).filter(|w| marker.hit(&w.term)).map(|w| (w.start..w.end, w.term)),
        );
    };
    if text.chars().any(|c| !c.is_ascii() && c.is_alphanumeric()) {
        slow(&mut out);
        return out;
    }
    let mut skel: Vec<u8> = Vec::with_capacity(text.len());
    let mut at: Vec<u32> = Vec::with_capacity(text.len());
    let mut starts: Vec<u32> = Vec::new();
    let mut prev_alnum = false;
    for (i, b) in text.bytes().enumerate() {
        if b.is_ascii_alphanumeric() {
            if !prev_alnum {
                starts.push(skel.len() as u32);
            }
            skel.push(b.to_ascii_lowercase());
            at.push(i as u32);
            prev_alnum = true;
        } else {
            prev_alnum = false;
        }
    }
    let mut spots: Vec<usize> = Vec::new();
    for &st in &starts {
        let rest = &skel[st as usize..];
        let hit = marker.prefixes.iter().any(|p| rest.starts_with(p.as_bytes()))
            || marker.terms.iter().any(|t| rest.starts_with(t.as_bytes()));
        if hit {
            spots.push(at[st as usize] as usize);
        }
    }
    for spot in spots {
        if out.last().is_some_and(|(r, _)| r.end > spot) {
            continue;
        }
        // Segment from the whitespace before the spot to the whitespace after.
        let lo = text[..spot]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let hi = text[spot..].find(char::is_whitespace).map_or(text.len(), |i| spot + i);
        for w in text::words(&text[lo..hi]) {
            let r = lo + w.start..lo + w.end;
            if r.start <= spot && spot < r.end && marker.hit(&w.term) {
                if !out.last().is_some_and(|(l, _)| l.end > r.start) {
                    out.push((r, w.term));
                }
                break;
            }
        }
    }
    out
}

/// The byte offset `n` characters after (or, negative, before) `from`.
fn chars_from(text: &str, from: usize, n: isize) -> usize {
    if n >= 0 {
        text[from..].char_indices().nth(n as usize).map_or(text.len(), |(i, _)| from + i)
    } else {
        text[..from].char_indices().rev().nth((-n - 1) as usize).map_or(0, |(i, _)| i)
    }
}

/// The best ~200-character window of `body`: the one holding the most
/// distinct matched terms (then the most matches), starting a little before
/// its first match (or at the start, when the matches fit there), cut at
/// whitespace.
fn snippet(body: &str, marker: &Marker) -> (String, Vec<[u32; 2]>) {
    let marks = find_marks(body, marker);
    // Char offsets of the marks, counted incrementally.
    let mut cpos = Vec::with_capacity(marks.len());
    let (mut byte, mut chars) = (0usize, 0usize);
    for (r, _) in &marks {
        chars += body.get(byte..r.start).map_or(0, |s| s.chars().count());
        byte = r.start;
        let len = body.get(r.clone()).map_or(0, |s| s.chars().count());
        cpos.push((chars, chars + len));
    }
    let span = SNIPPET_CHARS - SNIPPET_LEAD;
    let mut best: Option<(usize, usize, usize, usize)> = None; // (distinct, count, first, last mark)
    for i in 0..marks.len() {
        let mut distinct: Vec<&str> = Vec::new();
        let mut count = 0;
        let mut last = i;
        for j in i..marks.len() {
            if cpos[j].1 - cpos[i].0 > span {
                break;
            }
            count += 1;
            last = j;
            if !distinct.contains(&marks[j].1.as_str()) {
                distinct.push(&marks[j].1);
            }
        }
        if best.map_or(true, |b| (distinct.len(), count) > (b.0, b.1)) {
            best = Some((distinct.len(), count, i, last));
        }
    }
    let start = match best {
        Some((_, _, i, last)) if cpos[last].1 + SNIPPET_LEAD / 2 > SNIPPET_CHARS => {
            // Back up to SNIPPET_LEAD characters, then forward to a word start.
            let s = chars_from(body, marks[i].0.start, -(SNIPPET_LEAD as isize));
            if s == 0 {
                0
            } else {
                match body[s..marks[i].0.start].char_indices().find(|(_, c)| c.is_whitespace()) {
                    Some((k, c)) => s + k + c.len_utf8(),
                    None => marks[i].0.start,
                }
            }
        }
        _ => 0,
    };
    let mut end = chars_from(body, start, SNIPPET_CHARS as isize);
    if end < body.len() {
        // Cut at the last whitespace inside the window (keep a word whole).
        if let Some(k) = body[start..end].rfind(char::is_whitespace).filter(|&k| k > 0) {
            end = start + k;
        }
    }
    let inside: Vec<Range<usize>> =
        marks.into_iter().map(|m| m.0).filter(|r| r.start >= start && r.end <= end).collect();
    render(body, start..end, &inside, start > 0, end < body.trim_end().len())
}

/// `text[range]` with whitespace runs collapsed to one space, trimmed,
/// with `…` on cut sides, and `marks` (byte ranges into `text`, ascending)
/// turned into UTF-16 offsets into the result.
fn render(
    text: &str,
    range: Range<usize>,
    marks: &[Range<usize>],
    lead: bool,
    trail: bool,
) -> (String, Vec<[u32; 2]>) {
    let mut out = String::with_capacity(range.len() + 8);
    let mut u16pos: u32 = 0;
    if lead {
        out.push('…');
        u16pos += 1;
    }
    let mut offs = Vec::with_capacity(marks.len());
    let mut mi = 0;
    let mut open: Option<u32> = None;
    let mut space = false;
    let slice = text.get(range.clone()).unwrap_or("");
    for (i, ch) in slice.char_indices() {
        let b = range.start + i;
        if let Some(s) = open {
            if mi < marks.len() && b >= marks[mi].end {
                offs.push([s, u16pos]);
                open = None;
                mi += 1;
            }
        }
        if ch.is_whitespace() {
            space = true;
            continue;
        }
        if space && u16pos > lead as u32 {
            out.push(' ');
            u16pos += 1;
        }
        space = false;
        while mi < marks.len() && open.is_none() && marks[mi].end <= b {
            mi += 1;
        }
        if open.is_none() && mi < marks.len() && b >= marks[mi].start {
            open = Some(u16pos);
        }
        out.push(ch);
        u16pos += ch.len_utf16() as u32;
    }
    if let Some(s) = open {
        offs.push([s, u16pos]);
    }
    if trail {
        out.push('…');
    }
    (out, offs)
}

/// Completions of the last word of `prefix`, most frequent first, with the
/// number of entries each appears in. At most `n`. Over a sharded index, fails
/// with `NotLoaded` until the dictionary pieces it needs are loaded.
pub fn suggest<D: AsRef<[u8]>>(
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
        Some(off) if n <= crate::index::format::PREFIX_TOP_N => {
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
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.len().cmp(&b.1.len())).then(a.1.cmp(&b.1)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use fst::automaton::Levenshtein;

    /// The real corpus copied forty times over (bodies thinned differently
    /// in each copy, days shifted so that ids stay in date order): terms
    /// with far more entries than a top holds.
    #[cfg(feature = "ingest")]
    fn big_index() -> Index<Vec<u8>> {
        let c = crate::ingest::from_manifest(std::path::Path::new("corpus/manifest.toml"))
            .expect("corpus");
        let (mut dated, mut undated) = (Vec::new(), Vec::new());
        for k in 0..40i32 {
            for e in &c.entries {
                let mut e = e.clone();
                let keep: Vec<String> = e
                    .body
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| (*j as i32 + k) % 3 != 0)
                    .map(|(_, p)| p.clone())
                    .collect();
                if !keep.is_empty() {
                    e.body = keep;
                }
                if k % 4 == 1 {
                    e.title.clear();
                }
                match e.published.as_mut() {
                    Some(p) => {
                        p.day += k * 30;
                        dated.push(e);
                    }
                    None => undated.push(e),
                }
            }
        }
        let mut entries = dated;
        entries.extend(undated);
        for (i, e) in entries.iter_mut().enumerate() {
            e.id = i as u32;
        }
        let meta = crate::index::Meta { title: None, timezone: c.timezone.clone() };
        Index::open(crate::index::write(&entries, &meta).expect("index")).expect("opens")
    }

    /// Every entry's match of a query of words and excluded words, exactly
    /// (every list, every norm), ranked as a query ranks.
    #[cfg(feature = "ingest")]
    fn brute_force(ix: &Index<Vec<u8>>, p: &Parsed, shown: &[Range<u32>]) -> Vec<Cand> {
        let sc = Scorer::new(ix);
        let mut sum: std::collections::BTreeMap<u32, (usize, u16, f32)> = Default::default();
        for word in &p.words {
            let exps = expand(ix, word).expect("expands");
            let idf = sc.idf(exps.iter().map(|e| e.df).max().unwrap_or(1));
            let mut best: std::collections::BTreeMap<u32, (u16, f32)> = Default::default();
            for e in &exps {
                let w = term_weight(idf, e.kind);
                let mut c = ix.postings(e.ord).unwrap().cursor().unwrap();
                c.for_each_until(u32::MAX, |d, tfs| {
                    let s = w * sc.tf(tfs, ix.norms(d));
                    let (t, b) = best.entry(d).or_insert((u16::MAX, 0.0));
                    better(t, b, e.kind as u16, s);
                })
                .unwrap();
            }
            for (d, (t, s)) in best {
                let e = sum.entry(d).or_insert((0, 0, 0.0));
                *e = (e.0 + 1, e.1 + t, e.2 + s);
            }
        }
        for w in &p.not_words {
            if let Some(o) = ix.term_ord(w).unwrap() {
                ix.postings(o)
                    .unwrap()
                    .cursor()
                    .unwrap()
                    .for_each_until(u32::MAX, |d, _| drop(sum.remove(&d)))
                    .unwrap();
            }
        }
        let mut out: Vec<Cand> = sum
            .into_iter()
            .filter(|(d, (n, _, _))| *n == p.words.len() && in_ranges(shown, *d))
            .map(|(doc, (_, tier, score))| Cand { doc, tier, score })
            .collect();
        out.sort_by(|a, b| rank_order(a, b, ix.n_dated));
        out
    }

    /// The tops prove most pages of word queries: each page equals the
    /// exhaustive exact ranking (same entries, same order, same scores), and
    /// the total and histogram equal counting every list.
    #[cfg(feature = "ingest")]
    #[test]
    fn pages_from_tops_equal_exhaustive_ranking() {
        let ix = big_index();
        let (first, last) = (ix.days[0].0, ix.days[ix.days.len() - 1].0);
        let mid = first + (last - first) / 2;
        let (mut proven, mut cases, mut several, mut several_cases) = (0, 0, 0, 0);
        let queries = [
            "russia",
            "russian",
            "ukrain",
            "u",
            "z",
            "kyiv",
            "putin",
            "zelenskyy",
            "russa",
            "mariupol",
            "the",
            "nato",
            "russia ukraine",
            "nuclear plant",
            "kyiv -russia",
            "putin talks",
            "ukraine ta",
            "the of",
            "zelenskyy nato -the",
            "mariupol the",
            "k z",
            "russia -ukraine -putin",
        ];
        for text in queries {
            let parsed = parse(text);
            for (from, to) in [
                (None, None),
                (Some(mid), None),
                (Some(first), Some(first + 40)),
                (Some(mid), Some(mid + 2)),
            ] {
                for (offset, limit) in [(0, 20), (20, 20), (100, 28), (0, 1)] {
                    let q = Query {
                        query: text.to_string(),
                        from: from.map(crate::model::date::format_day),
                        to: to.map(crate::model::date::format_day),
                        offset,
                        limit,
                        ..Query::default()
                    };
                    let dated = ix.id_range(from, to);
                    let bounded = from.is_some() || to.is_some();
                    let ranges = [dated.clone(), ix.n_dated..ix.n_entries];
                    let shown: Vec<Range<u32>> =
                        if bounded { vec![dated] } else { ranges.to_vec() };
                    let exact = brute_force(&ix, &parsed, &shown);
                    let r = search(&ix, &q).expect("answers");
                    if parsed.words.len() > 1 {
                        several_cases += 1;
                    } else {
                        cases += 1;
                    }
                    let ctx = format!("{text:?} {from:?}..{to:?} {offset}+{limit}");
                    let exps: Vec<Vec<Exp>> =
                        parsed.words.iter().map(|w| expand(&ix, w).unwrap()).collect();
                    // As `words_only` asks: excluded words need the matches.
                    let set = IdSet::matching(&ix, &exps, &parsed.not_words, &ranges).unwrap();
                    let set = (!parsed.not_words.is_empty()).then_some(&set);
                    if tops_page(&ix, &exps, set, &shown, offset + limit).unwrap().is_some() {
                        if parsed.words.len() > 1 {
                            several += 1;
                        } else {
                            proven += 1;
                        }
                        let want: Vec<(u32, f32)> = exact
                            .iter()
                            .skip(offset)
                            .take(limit)
                            .map(|c| (c.doc, c.score))
                            .collect();
                        let got: Vec<(u32, f32)> = r.hits.iter().map(|h| (h.id, h.score)).collect();
                        assert_eq!(got, want, "{ctx}");
                    } else {
                        // Unbounded first pages of one word are what tops are for.
                        let one = parsed.words.len() == 1 && parsed.not_words.is_empty();
                        assert!(bounded || offset > 0 || !one, "{ctx} not proven");
                        // Otherwise every match is ranked as any query is
                        // (whose first pass scores every match in full).
                        assert_eq!(r, general(&ix, &q, &parsed, from, to).unwrap(), "{ctx}");
                    }
                    // Proven or not, the count is every match's.
                    assert_eq!(r.total, exact.len(), "{ctx} total");
                    let dated_matches = exact.iter().filter(|c| c.doc < ix.n_dated).count();
                    assert_eq!(
                        r.histogram.iter().map(|b| b.count as usize).sum::<usize>(),
                        dated_matches,
                        "{ctx} histogram"
                    );
                }
            }
        }
        // Most pages of one word are proven; the rest (deep pages, narrow
        // ranges) fall back. Of several words, some are (where the tops
        // overlap: common in a small corpus, rare at scale).
        assert!(proven * 2 >= cases, "only {proven} of {cases} one-word pages proven from tops");
        assert!(
            several * 8 >= several_cases,
            "only {several} of {several_cases} pages of several words proven"
        );
    }

    /// Regression: a words-only query with an offset near `usize::MAX`
    /// asked the keep-best heap for `keep + 1` slots (found by proptest).
    #[cfg(feature = "ingest")]
    #[test]
    fn regression_huge_offset_on_a_word_query_does_not_overflow() {
        let ix = big_index();
        for query in ["ukr", "russia ukraine", "kyiv -russia"] {
            let q = Query { query: query.into(), offset: usize::MAX, limit: 0, ..Query::default() };
            let r = search(&ix, &q).expect("answers");
            assert!(r.hits.is_empty() && r.total > 0, "{query}");
        }
    }

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
            let cmp = |a: &Cand, b: &Cand| rank_order(a, b, n_dated);
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

    #[test]
    fn parse_query_syntax() {
        let p = parse(r#"Putin’s  "stiff resistance" -tank -"no fly" U.S."#);
        assert_eq!(p.words, ["putin", "us"]);
        assert_eq!(p.phrases, [vec!["stiff".to_string(), "resistance".to_string()]]);
        assert_eq!(p.not_words, ["tank"]);
        assert_eq!(p.not_phrases, [vec!["no".to_string(), "fly".to_string()]]);
        assert_eq!(parse("  - -- \"  "), Parsed::default());
        assert_eq!(parse("“curly quoted”").phrases.len(), 1);
    }

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

    #[test]
    fn fast_marks_agree_with_segmenting_everything() {
        let texts = [
            "U.S. officials said Putin’s forces, 800,000 people and the U.N. we’re self-determined -- Kyiv.",
            "“Don’t panic,” Kim said. PUTIN'S plan: putins? _putin x_putin putin_x",
            "Zaporižžia plant, Putin's ouster",
            "",
            "   ",
            "a\u{a0}putin\u{2003}b\u{3000}us",
        ];
        let markers = [
            (vec!["us", "putin"], vec!["800"]),
            (vec!["dont", "were", "self"], vec!["kyi", "pu"]),
            (vec!["zaporizzia"], vec!["oust"]),
            (vec![], vec!["u", "s", "x"]),
        ];
        for t in texts {
            for (terms, prefixes) in &markers {
                let m = Marker {
                    terms: terms.iter().map(|s| s.to_string()).collect(),
                    prefixes: prefixes.iter().map(|s| s.to_string()).collect(),
                };
                let slow: Vec<(Range<usize>, String)> = text::words(t)
                    .filter(|w| m.hit(&w.term))
                    .map(|w| (w.start..w.end, w.term))
                    .collect();
                assert_eq!(find_marks(t, &m), slow, "{t:?} {terms:?} {prefixes:?}");
            }
        }
    }

    #[test]
    fn render_offsets_are_utf16() {
        let t = "Zelenskyy’s  plea 😀 to NATO";
        let a = t.find("plea").unwrap();
        let b = t.find("NATO").unwrap();
        let (s, h) = render(t, 0..t.len(), &[a..a + 4, b..b + 4], true, true);
        assert_eq!(s, "…Zelenskyy’s plea 😀 to NATO…");
        let u: Vec<u16> = s.encode_utf16().collect();
        assert_eq!(String::from_utf16(&u[h[0][0] as usize..h[0][1] as usize]).unwrap(), "plea");
        assert_eq!(String::from_utf16(&u[h[1][0] as usize..h[1][1] as usize]).unwrap(), "NATO");
    }
}
