//! Pages proven from the terms' tops (`index::tops`): a words-only query's
//! best matches, ranked from a few hundred bytes per term when the bounds
//! allow, without scoring every match.

use std::ops::Range;

use crate::index::{Index, IndexError};
use crate::rank::{beats, better, term_weight};

use super::clauses::{word_clause, Scorer};
use super::collect::{in_ranges, sort_ranked, Cand};
use super::expand::Exp;
use super::idset::IdSet;
use super::{each, SearchError};

/// Entries scored from the postings at a time when tops rank a query of
/// several words (at least the page asked for), and at most in all.
const PROBE_BATCH: usize = 32;
const PROBE_CAP: usize = 256;

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
pub(super) fn tops_page<D: AsRef<[u8]>>(
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
    crate::sort::sort_by_key(&mut known, |k| (k.0, k.1));
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
        let mut possible = set.is_none_or(|s| s.contains(doc));
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
    crate::sort::sort_by(&mut cands, |a, b| {
        a.0.tier.cmp(&b.0.tier).then(b.0.score.total_cmp(&a.0.score))
    });
    let mut found: Vec<Cand> = Vec::new();
    let (mut next, mut probed) = (0, 0);
    loop {
        // The best match of any entry not scored yet.
        let rest = match (cands.get(next), bound) {
            (Some((c, _)), Some(b)) if !beats(c.tier, c.score, b.0, b.1) => Some(b),
            (Some((c, _)), _) => Some((c.tier, c.score)),
            (None, b) => b,
        };
        sort_ranked(&mut found, ix.n_dated);
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
        crate::sort::sort(&mut probe);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::expand::expand;
    use crate::search::general::general;
    use crate::search::query::{parse, Parsed};
    use crate::search::{search, Query, Results};

    /// The real corpus copied forty times over (bodies thinned differently
    /// in each copy, days shifted so that ids stay in date order): terms
    /// with far more entries than a top holds.
    fn big_index() -> Index<Vec<u8>> {
        let corpus = crate::model::entry::corpus_entries();
        let (mut dated, mut undated) = (Vec::new(), Vec::new());
        for k in 0..40i32 {
            for e in &corpus {
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
        let meta = crate::index::Meta { title: None, timezone: "America/New_York".into() };
        Index::open(crate::index::write(&entries, &meta).expect("index")).expect("opens")
    }

    /// Every entry's match of a query of words and excluded words, exactly
    /// (every list, every norm), ranked as a query ranks.
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
                    .for_each_until(u32::MAX, |d, _| {
                        sum.remove(&d);
                    })
                    .unwrap();
            }
        }
        let mut out: Vec<Cand> = sum
            .into_iter()
            .filter(|(d, (n, _, _))| *n == p.words.len() && in_ranges(shown, *d))
            .map(|(doc, (_, tier, score))| Cand { doc, tier, score })
            .collect();
        crate::sort::sort_by_key(&mut out, |c| c.rank(ix.n_dated));
        out
    }

    /// The tops prove most pages of word queries: each page equals the
    /// exhaustive exact ranking (same entries, same order, same scores), and
    /// the total and histogram equal counting every list.
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
                        // (Alternatives come from the searcher, either path.)
                        let general = general(
                            &ix,
                            &Default::default(),
                            &Default::default(),
                            &q,
                            &parsed,
                            from,
                            to,
                        );
                        let general =
                            Results { alternatives: r.alternatives.clone(), ..general.unwrap() };
                        assert_eq!(r, general, "{ctx}");
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
    #[test]
    fn regression_huge_offset_on_a_word_query_does_not_overflow() {
        let ix = big_index();
        for query in ["ukr", "russia ukraine", "kyiv -russia"] {
            let q = Query { query: query.into(), offset: usize::MAX, limit: 0, ..Query::default() };
            let r = search(&ix, &q).expect("answers");
            assert!(r.hits.is_empty() && r.total > 0, "{query}");
        }
    }
}
