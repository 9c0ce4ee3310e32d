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
//!   fewer than 20 entries. Those keep the first letter; from 5 letters,
//!   terms one edit away with another first letter follow, ranked below
//!   them. A word matched only so is reported in [`Results::corrections`].
//! * `"quoted words"` — a phrase: exact terms at consecutive positions in one
//!   field (`"putin"` alone is an exact word: no prefix, no typo).
//! * `-word`, `-"a phrase"` — exclude entries that contain it (exactly).
//! * Words are normalized by [`crate::text`], the same normalizer the index
//!   was built with: case, diacritics, quote styles and possessives fold away.
//!
//! An empty query (or one with only exclusions, or with no searchable word:
//! [`Results::terms`] is then 0) browses: every entry of the range, newest
//! first. A query that matches nothing comes with [`Results::alternatives`]
//! that do.
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
//!
//! # Modules
//!
//! A query flows through them in this order: `query` parses it, `expand`
//! turns each word into dictionary terms, `clauses` opens their postings,
//! then a words-only query is answered by `words` (from `tops_page`, else
//! `dense`, counting with `idset`) and any other by `general`; `collect`
//! keeps and reranks the best, `histogram` counts per day, `facets` counts
//! per author, and `snippet` builds the cards; `alternatives` looks for
//! queries that match when one does not. `suggest` completes a prefix. The ranking model and
//! order are [`crate::rank`]'s.

mod alternatives;
mod clauses;
mod collect;
mod dense;
mod expand;
mod facets;
mod general;
mod histogram;
mod idset;
mod query;
mod snippet;
mod suggest;
mod tops_page;
mod words;

use std::fmt;
use std::sync::Mutex;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::index::{AuthorCount, Index, IndexError};
use crate::model::date::Precision;

use clauses::Slot;
use dense::WordCache;
use expand::Exp;
use facets::Facets;

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
    /// Each author's number of matches over every match of the query and
    /// date range, ignoring [`Query::authors`] (so that authors not ticked
    /// still show theirs): most first, ties by name; authors with none are
    /// left out. Empty when `partial`.
    pub authors: Vec<AuthorCount>,
    /// How many searchable words the query has (0 for a blank query, or
    /// one of only emoji or punctuation, which browses everything).
    pub terms: usize,
    /// The query's words that matched only through typo corrections, each
    /// with the correction found in most entries ("Showing results for …").
    pub corrections: Vec<Correction>,
    /// Only when nothing matches (`total` is 0): other queries that do
    /// match — a word dropped, the quotes dropped, a word corrected — each
    /// with its total, best first, at most [`MAX_ALTERNATIVES`].
    pub alternatives: Vec<Alternative>,
}

/// Most alternatives offered for a query without matches.
pub const MAX_ALTERNATIVES: usize = 4;

/// A query word matched only through a typo correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The word as normalized (its term).
    pub word: String,
    /// The dictionary term that matched in most entries.
    pub to: String,
}

/// A query that has matches, offered for one that has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternative {
    /// The query text to run instead.
    pub query: String,
    /// Its number of matches (more than 0).
    pub total: usize,
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

/// Runs queries over an [`Index`], keeping what one keystroke leaves for the
/// next: the dense per-entry accumulators of the general path, and the last
/// words' first-pass scores (see `dense`). One searcher serves one index,
/// which may gain shards between calls; each call borrows the index.
///
/// Its methods take `&self`: a call that finds a cache in use by another
/// (a second thread) works without it.
pub struct Searcher {
    /// Per-entry accumulators reused between queries.
    slots: Mutex<Vec<Slot>>,
    /// The last words' first-pass scores, kept across keystrokes.
    words: Mutex<WordCache>,
    /// Each entry's authors, for the author counts.
    facets: Facets,
    /// No author counts, for the queries run for their totals only.
    no_facets: Facets,
}

impl fmt::Debug for Searcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Searcher").finish_non_exhaustive()
    }
}

impl Default for Searcher {
    fn default() -> Self {
        Searcher {
            slots: Mutex::default(),
            words: Mutex::default(),
            facets: Facets::default(),
            no_facets: Facets::off(),
        }
    }
}

impl Searcher {
    /// A searcher with empty caches.
    pub fn new() -> Searcher {
        Searcher::default()
    }

    /// Answers `q` over `ix`.
    ///
    /// Over a sharded index whose needed shards are not all loaded, fails with
    /// `IndexError::NotLoaded`: [`Index::wanted`] then lists every shard to
    /// fetch (all of one round: dictionary pieces first, then postings, then
    /// the norms and entry pieces of the hits).
    pub fn search<D: AsRef<[u8]>>(&self, ix: &Index<D>, q: &Query) -> Result<Results, SearchError> {
        ix.wanted();
        let r = self.search_inner(ix, q);
        if ix.needs_shards() {
            return Err(SearchError::Index(IndexError::NotLoaded));
        }
        r
    }

    fn search_inner<D: AsRef<[u8]>>(
        &self,
        ix: &Index<D>,
        q: &Query,
    ) -> Result<Results, SearchError> {
        let from = query::day_arg("from", &q.from)?;
        let to = query::day_arg("to", &q.to)?;
        let parsed = query::parse(&q.query);
        if !q.partial_ok {
            // The author lists come in the same round as the postings.
            self.facets.want(ix);
        }
        let mut r = self.run(ix, &self.facets, q, &parsed, from, to)?;
        if !r.partial && q.authors.iter().any(|a| !a.trim().is_empty()) {
            // The counts ignore the author filter: the same query without it.
            let all = Query { authors: Vec::new(), limit: 0, offset: 0, ..q.clone() };
            r.authors = self.run(ix, &self.facets, &all, &parsed, from, to)?.authors;
        }
        if r.total == 0 && !r.partial && r.terms > 0 {
            let total = |text: &str| {
                let alt = Query { query: text.to_string(), limit: 0, offset: 0, ..q.clone() };
                Ok(self.run(ix, &self.no_facets, &alt, &query::parse(text), from, to)?.total)
            };
            let fix = |w: &str| Ok(alternatives::corrections(ix, w)?);
            r.alternatives = alternatives::alternatives(&parsed, total, fix)?;
        }
        Ok(r)
    }

    /// Answers a parsed query (without alternatives).
    fn run<D: AsRef<[u8]>>(
        &self,
        ix: &Index<D>,
        facets: &Facets,
        q: &Query,
        parsed: &query::Parsed,
        from: Option<i32>,
        to: Option<i32>,
    ) -> Result<Results, SearchError> {
        // Words (and excluded words) only.
        if q.sort == Sort::Relevance
            && !parsed.words.is_empty()
            && parsed.phrases.is_empty()
            && parsed.not_phrases.is_empty()
            && q.authors.iter().all(|a| a.trim().is_empty())
        {
            return words::words_only(ix, &self.words, facets, q, parsed, from, to);
        }
        general::general(ix, &self.slots, facets, q, parsed, from, to)
    }

    /// Completions of the last word of `prefix`, most frequent first, with
    /// the number of entries each appears in. At most `n`. Over a sharded
    /// index, fails with `NotLoaded` until the dictionary pieces it needs
    /// are loaded.
    pub fn suggest<D: AsRef<[u8]>>(
        &self,
        ix: &Index<D>,
        prefix: &str,
        n: usize,
    ) -> Result<Vec<Suggestion>, IndexError> {
        suggest::suggest(ix, prefix, n)
    }

    /// Gets ready for the next keystroke of `query`: computes the scores of
    /// its words (see `dense`) that are not kept yet, when their lists are
    /// loaded (it fetches nothing). A page calls it when typing pauses on a
    /// space — the next keystroke starts another word and will want them —
    /// so that neither keystroke waits for it. Returns how many words it
    /// computed.
    pub fn prepare<D: AsRef<[u8]>>(&self, ix: &Index<D>, query: &str) -> usize {
        dense::prepare(ix, &self.words, query)
    }
}

/// Answers `q` over `ix` with a fresh [`Searcher`] (nothing kept for the
/// next call; see [`Searcher::search`]).
pub fn search<D: AsRef<[u8]>>(ix: &Index<D>, q: &Query) -> Result<Results, SearchError> {
    Searcher::new().search(ix, q)
}

/// Completions of the last word of `prefix` (see [`Searcher::suggest`]).
pub fn suggest<D: AsRef<[u8]>>(
    ix: &Index<D>,
    prefix: &str,
    n: usize,
) -> Result<Vec<Suggestion>, IndexError> {
    Searcher::new().suggest(ix, prefix, n)
}

/// [`Searcher::prepare`] with a fresh searcher, which keeps nothing: it
/// computes the words' scores and drops them. Whoever types keeps one
/// [`Searcher`] instead, so that the next keystroke finds them.
pub fn prepare<D: AsRef<[u8]>>(ix: &Index<D>, query: &str) -> usize {
    Searcher::new().prepare(ix, query)
}

impl Results {
    /// Results with these counts and nothing else.
    fn new(total: usize, hits: Vec<Hit>, histogram: Vec<Bucket>, undated: usize) -> Results {
        Results {
            total,
            hits,
            histogram,
            undated,
            partial: false,
            authors: Vec::new(),
            terms: 0,
            corrections: Vec::new(),
            alternatives: Vec::new(),
        }
    }
}

/// The words (of `words`, expanded to `exps`) that matched only through
/// typo corrections, each with its correction found in most entries.
fn corrections(words: &[String], exps: &[Vec<Exp>]) -> Vec<Correction> {
    let mut out = Vec::new();
    for (word, exps) in words.iter().zip(exps) {
        if exps.is_empty() || exps.iter().any(|e| e.typo.is_none()) {
            continue;
        }
        let best = exps
            .iter()
            .filter_map(|e| Some((e.df, e.kind, e.typo.as_ref()?)))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((_, _, to)) = best {
            out.push(Correction { word: word.clone(), to: to.clone() });
        }
    }
    out
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
