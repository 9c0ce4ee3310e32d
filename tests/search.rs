//! Search semantics on the real corpus (and a fixture with undated entries):
//! prefix, phrase, exclusion, typo, quote and case rules; date ranges and
//! histograms; sort orders; authors; suggest; snippets and highlights; and a
//! property test that no query panics.

use std::collections::BTreeSet;

use dateline::index::{write, Index, Meta};
use dateline::model::entry::Entry;
use dateline::search::{search, suggest, Query, Results, SearchError, Sort};
use dateline::text;

use crate::index::{corpus, corpus_bytes, entry, fixture};

fn ix() -> Index<&'static [u8]> {
    Index::open(corpus_bytes()).unwrap()
}

fn run(q: &Query) -> Results {
    search(&ix(), q).unwrap()
}

fn ids(r: &Results) -> Vec<u32> {
    r.hits.iter().map(|h| h.id).collect()
}

fn all(q: &str) -> Results {
    run(&Query { query: q.into(), limit: 1000, ..Query::default() })
}

fn set(r: &Results) -> BTreeSet<u32> {
    ids(r).into_iter().collect()
}

/// Every term of an entry, in all indexed fields.
fn terms_of(e: &Entry) -> Vec<String> {
    let mut t: Vec<String> = text::terms(&e.title).collect();
    for p in &e.body {
        t.extend(text::terms(p));
    }
    for m in &e.media {
        t.extend(text::terms(&m.caption));
        t.extend(text::terms(&m.credit));
    }
    for a in &e.authors {
        t.extend(text::terms(a));
    }
    t
}

/// Entries whose terms satisfy `f`, found by brute force.
fn brute(f: impl Fn(&[String]) -> bool) -> BTreeSet<u32> {
    corpus().entries.iter().filter(|e| f(&terms_of(e))).map(|e| e.id).collect()
}

fn has_phrase(terms: &[String], phrase: &[&str]) -> bool {
    // Phrases do not cross fields or paragraphs; the brute-force check below
    // uses phrases that occur within one paragraph.
    terms.windows(phrase.len()).any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

#[test]
fn quote_styles_and_case_match_the_same_entries() {
    let a = all("putin’s");
    let b = all("Putin's");
    let c = all("PUTIN'S");
    let d = all("putin");
    assert!(a.total >= 4, "{}", a.total);
    assert_eq!(set(&a), set(&b));
    assert_eq!(set(&a), set(&c));
    assert_eq!(set(&a), set(&d));
    assert_eq!(set(&all("ZAPORIZHZHIA")), set(&all("zaporizhzhia")));
}

#[test]
fn words_are_anded_and_each_matches_exactly_what_the_postings_say() {
    // Every term of the corpus, queried as an exact phrase of one word, finds
    // exactly the entries that contain it.
    let mut vocab = BTreeSet::new();
    for e in &corpus().entries {
        vocab.extend(terms_of(e));
    }
    let ix = ix();
    for t in &vocab {
        let r = search(&ix, &Query { query: format!("\"{t}\""), limit: 0, ..Query::default() })
            .unwrap();
        let want = brute(|ts| ts.iter().any(|x| x == t));
        assert_eq!(r.total, want.len(), "term {t}");
    }
    // AND: two words.
    let r = all("nuclear plant");
    let want = brute(|ts| {
        ts.iter().any(|x| x.starts_with("nuclear")) && ts.iter().any(|x| x.starts_with("plant"))
    });
    assert_eq!(set(&r), want);
}

#[test]
fn every_word_also_matches_as_a_prefix_and_exact_ranks_first() {
    let r = all("ukr");
    let want = brute(|ts| ts.iter().any(|x| x.starts_with("ukr")));
    assert_eq!(set(&r), want);
    assert!(r.total >= 15);

    // "russia": entries with the exact word come before those that only
    // have its extensions (russian, russians).
    let r = all("russia");
    let exact: Vec<bool> = r
        .hits
        .iter()
        .map(|h| terms_of(&corpus().entries[h.id as usize]).iter().any(|t| t == "russia"))
        .collect();
    assert!(exact.iter().any(|&x| x) && exact.iter().any(|&x| !x), "{exact:?}");
    assert!(exact.windows(2).all(|w| w[0] >= w[1]), "exact matches must rank first: {exact:?}");
    // Prefixes work inside multi-word queries too.
    assert!(set(&all("nucl pla")).is_superset(&set(&all("nuclear plant"))));
}

#[test]
fn phrases_need_consecutive_words() {
    let r = all("\"nuclear power plant\"");
    assert!(r.total >= 1);
    let want = brute(|ts| has_phrase(ts, &["nuclear", "power", "plant"]));
    assert_eq!(set(&r), want);
    assert_eq!(all("\"plant power nuclear\"").total, 0);
    // A phrase is narrower than its words.
    assert!(set(&r).is_subset(&set(&all("nuclear power plant"))));
    // Curly quotes delimit phrases too.
    assert_eq!(set(&all("“nuclear power plant”")), set(&r));
    // A quoted single word is exact: no prefix extensions.
    let q = all("\"ukrain\"");
    assert_eq!(q.total, 0);
}

#[test]
fn minus_excludes() {
    let with = all("nuclear");
    let without = all("nuclear -shelling");
    let shelling = brute(|ts| ts.iter().any(|t| t == "shelling"));
    assert!(!shelling.is_empty());
    let want: BTreeSet<u32> = set(&with).difference(&shelling).copied().collect();
    assert_eq!(set(&without), want);
    assert!(without.total < with.total);
    // Excluding a phrase.
    let r = all("nuclear -\"power plant\"");
    assert!(r
        .hits
        .iter()
        .all(|h| !has_phrase(&terms_of(&corpus().entries[h.id as usize]), &["power", "plant"])));
    // Only exclusions: browse everything else.
    let r = all("-putin");
    assert_eq!(r.total, corpus().entries.len() - all("\"putin\"").total);
}

#[test]
fn typos_are_tolerated_below_exact_and_prefix_matches() {
    // Distance 1 from 4 letters.
    assert_eq!(set(&all("zelenskyx")), set(&all("zelenskyy")));
    let r = all("negotiatons");
    assert!(r.total >= 1);
    assert!(set(&r).is_superset(&set(&all("\"negotiations\""))));
    // Distance 2 from 8 letters: two substitutions.
    assert!(set(&all("negotiatoins")).is_superset(&set(&all("\"negotiations\""))));
    // Not for short words: "wat" must not become "war".
    let r = all("waq");
    assert_eq!(r.total, 0);
    // Exact before typo: "tanks" ranks entries with "tanks" above the ones
    // that only have a word one edit away.
    let r = all("talks");
    let exact: Vec<bool> = r
        .hits
        .iter()
        .map(|h| terms_of(&corpus().entries[h.id as usize]).iter().any(|t| t.starts_with("talks")))
        .collect();
    assert!(exact.windows(2).all(|w| w[0] >= w[1]), "{exact:?}");
}

#[test]
fn date_ranges_and_histograms_count_all_matches() {
    let day = "2022-03-02";
    let r = run(&Query {
        query: "russia".into(),
        from: Some(day.into()),
        to: Some(day.into()),
        limit: 1,
        ..Query::default()
    });
    let want = brute(|ts| ts.iter().any(|t| t.starts_with("russia")))
        .into_iter()
        .filter(|&id| {
            corpus().entries[id as usize]
                .published
                .map(|p| dateline::model::date::format_day(p.day))
                == Some(day.into())
        })
        .count();
    assert_eq!(r.total, want);
    assert_eq!(r.hits.len(), 1);
    // Per hour for a range of ≤ 3 days; day-precision entries have hour null.
    let sum: u32 = r.histogram.iter().map(|b| b.count).sum();
    assert_eq!(sum as usize, r.total);
    assert!(r.histogram.iter().all(|b| b.hourly && b.day == day));
    assert!(r.histogram.iter().any(|b| b.hour.is_none()));
    assert!(r.histogram.iter().any(|b| b.hour == Some(7)));
    let json = serde_json::to_value(&r.histogram).unwrap();
    assert!(json[0].get("hour").is_some());

    // Whole corpus: per day, sums to the total, in day order.
    let r = run(&Query { query: "ukraine".into(), limit: 0, ..Query::default() });
    assert!(r.histogram.iter().all(|b| !b.hourly));
    assert_eq!(r.histogram.iter().map(|b| b.count as usize).sum::<usize>(), r.total);
    assert!(r.histogram.windows(2).all(|w| w[0].day < w[1].day));
    let json = serde_json::to_value(&r.histogram).unwrap();
    assert_eq!(json[0].as_object().unwrap().keys().cloned().collect::<Vec<_>>(), ["count", "day"]);

    // Open-ended ranges.
    let r = run(&Query { from: Some("2022-03-04".into()), limit: 100, ..Query::default() });
    assert!(r.hits.iter().all(|h| h.published.as_deref().unwrap() >= "2022-03-04"));
    assert_eq!(r.total, 8);
    let r = run(&Query { to: Some("2022-03-01".into()), ..Query::default() });
    assert_eq!(r.total, 1);
    // Inverted range: nothing.
    let r = run(&Query {
        from: Some("2022-03-05".into()),
        to: Some("2022-03-03".into()),
        ..Query::default()
    });
    assert_eq!(r.total, 0);
}

#[test]
fn a_bad_date_names_its_field() {
    let e =
        search(&ix(), &Query { to: Some("2022-02-30".into()), ..Query::default() }).unwrap_err();
    assert_eq!(e, SearchError::BadDate { field: "to", value: "2022-02-30".into() });
    let e =
        search(&ix(), &Query { from: Some("yesterday".into()), ..Query::default() }).unwrap_err();
    assert!(matches!(e, SearchError::BadDate { field: "from", .. }));
    assert!(e.to_string().contains("YYYY-MM-DD"));
}

#[test]
fn undated_entries_stay_out_of_bounded_ranges_and_are_counted_apart() {
    let bytes = write(&fixture(), &Meta::default()).unwrap();
    let ix = Index::open(bytes).unwrap();
    let r = search(&ix, &Query::text("putin")).unwrap();
    assert_eq!(set(&r), BTreeSet::from([0, 4]));
    assert_eq!(r.total, 2);
    assert_eq!(r.undated, 1);
    assert_eq!(r.histogram.iter().map(|b| b.count).sum::<u32>(), 1);
    let q = Query { query: "putin".into(), from: Some("2022-03-01".into()), ..Query::default() };
    let r = search(&ix, &q).unwrap();
    assert_eq!((r.total, r.undated, ids(&r)), (1, 1, vec![0]));
    // Hourly histogram: 23:59 is hour 23.
    assert_eq!(r.histogram[0].hour, Some(23));
    // Browsing: newest first, undated last.
    let r = search(&ix, &Query::default()).unwrap();
    assert_eq!(ids(&r), [2, 1, 0, 3, 4]);
    assert_eq!(r.undated, 2);
    let r = search(&ix, &Query { sort: Sort::Oldest, ..Query::default() }).unwrap();
    assert_eq!(ids(&r), [0, 1, 2, 3, 4]);
    let r = search(
        &ix,
        &Query {
            from: Some("2022-03-02".into()),
            to: Some("2022-03-02".into()),
            ..Query::default()
        },
    )
    .unwrap();
    assert_eq!((ids(&r), r.undated), (vec![2, 1], 2));
    // Unicode folding: ﬁ → fi, full-width → ASCII, diacritics.
    assert_eq!(ids(&search(&ix, &Query::text("fire abc")).unwrap()), [2]);
    assert_eq!(ids(&search(&ix, &Query::text("zaporizzia")).unwrap()), [0]);
    // Captions and credits are searchable.
    assert_eq!(ids(&search(&ix, &Query::text("getty")).unwrap()), [0]);
}

#[test]
fn sort_orders() {
    let n = corpus().entries.len();
    let newest =
        run(&Query { query: "ukraine".into(), sort: Sort::Newest, limit: 100, ..Query::default() });
    let oldest =
        run(&Query { query: "ukraine".into(), sort: Sort::Oldest, limit: 100, ..Query::default() });
    assert!(ids(&newest).windows(2).all(|w| w[0] > w[1]));
    assert!(ids(&oldest).windows(2).all(|w| w[0] < w[1]));
    assert_eq!(set(&newest), set(&oldest));
    // Relevance: sorted by score within equal match quality; paging is
    // consistent with the full list.
    let full = run(&Query { query: "russian forces".into(), limit: 100, ..Query::default() });
    let page =
        run(&Query { query: "russian forces".into(), limit: 2, offset: 1, ..Query::default() });
    assert_eq!(ids(&page), ids(&full)[1..3.min(full.hits.len())]);
    assert_eq!(page.total, full.total);
    // Empty query browses newest first.
    let r = run(&Query { limit: 100, ..Query::default() });
    assert_eq!(r.total, n);
    assert_eq!(ids(&r), (0..n as u32).rev().collect::<Vec<_>>());
    assert!(r.hits.iter().all(|h| h.highlights.is_empty() && h.score == 0.0));
    // Past the end: empty page, same total.
    let r = run(&Query { query: "ukraine".into(), offset: 1000, ..Query::default() });
    assert!(r.hits.is_empty() && r.total > 0);
}

#[test]
fn authors_filter_is_exact_names_ored() {
    let r = run(&Query { authors: vec!["Patrick Reevell".into()], limit: 100, ..Query::default() });
    assert_eq!(r.total, 3);
    assert!(r.hits.iter().all(|h| h.authors.iter().any(|a| a == "Patrick Reevell")));
    let r = run(&Query {
        authors: vec!["Patrick Reevell".into(), "Zoe Magee".into()],
        limit: 100,
        ..Query::default()
    });
    assert_eq!(r.total, 5);
    let r = run(&Query {
        query: "talks".into(),
        authors: vec!["Patrick Reevell".into()],
        ..Query::default()
    });
    assert!(r.total >= 1 && r.total <= 3);
    let r = run(&Query { authors: vec!["Nobody".into()], ..Query::default() });
    assert_eq!(r.total, 0);
    // Author names are also searchable words.
    assert!(set(&all("raddatz")).contains(&15));
}

#[test]
fn snippets_and_highlights() {
    let r = all("zelenskyy");
    assert!(r.total >= 1);
    for h in &r.hits {
        let u: Vec<u16> = h.snippet.encode_utf16().collect();
        assert!(h.snippet.chars().count() <= 202 + 1, "{}", h.snippet);
        assert!(!h.highlights.is_empty(), "{}", h.snippet);
        for [a, b] in &h.highlights {
            let w = String::from_utf16(&u[*a as usize..*b as usize]).unwrap();
            assert_eq!(text::term(&w), "zelenskyy", "{w}");
        }
        let t: Vec<u16> = h.title.encode_utf16().collect();
        for [a, b] in &h.title_highlights {
            let w = String::from_utf16(&t[*a as usize..*b as usize]).unwrap();
            assert!(text::term(&w).starts_with("zelensk"), "{w}");
        }
    }
    // A long body is cut with ellipses at word boundaries.
    let r = all("skepticism");
    let h = &r.hits[0];
    assert!(h.snippet.ends_with('…') || h.snippet.starts_with('…'), "{}", h.snippet);
    let body = corpus().entries[h.id as usize].body_text();
    let inner = h.snippet.trim_matches('…');
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(inner), "snippet must be a window of the body: {inner}");
    // Title highlights.
    let r = all("harris");
    let h = r.hits.iter().find(|h| h.title.starts_with("Harris")).unwrap();
    assert_eq!(h.title_highlights, vec![[0, 6]]);
    // The JSON shape.
    let v = serde_json::to_value(&r).unwrap();
    let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "alternatives",
            "authors",
            "corrections",
            "histogram",
            "hits",
            "terms",
            "total",
            "undated"
        ]
    );
    let mut keys: Vec<_> = v["hits"][0].as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "authors",
            "highlights",
            "id",
            "precision",
            "published",
            "score",
            "snippet",
            "title",
            "title_highlights"
        ]
    );
}

#[test]
fn suggest_completes_from_the_dictionary_with_counts() {
    let ix = ix();
    let s = suggest(&ix, "uk", 5).unwrap();
    assert_eq!(s[0].term, "ukraine");
    for x in &s {
        assert!(x.term.starts_with("uk"));
        assert_eq!(
            x.count as usize,
            brute(|ts| ts.iter().any(|t| t == &x.term)).len(),
            "{}",
            x.term
        );
    }
    assert!(s.windows(2).all(|w| w[0].count >= w[1].count));
    // Normalized, last word of the input.
    assert_eq!(suggest(&ix, "new UKR", 3).unwrap(), suggest(&ix, "ukr", 3).unwrap());
    assert_eq!(suggest(&ix, "Zaporižž", 3).unwrap(), suggest(&ix, "zaporizz", 3).unwrap());
    assert!(suggest(&ix, "", 5).unwrap().is_empty());
    assert!(suggest(&ix, "qqqqq", 5).unwrap().is_empty());
    assert!(suggest(&ix, "u", 0).unwrap().is_empty());
    assert_eq!(suggest(&ix, "t", 3).unwrap().len(), 3);
}

#[test]
fn query_requests_deserialize_with_defaults() {
    let q: Query = serde_json::from_str("{}").unwrap();
    assert_eq!(q, Query::default());
    assert_eq!(q.limit, 20);
    let q: Query =
        serde_json::from_str(r#"{"query":"x","sort":"newest","authors":["A"]}"#).unwrap();
    assert_eq!((q.sort, q.authors.len(), q.limit), (Sort::Newest, 1, 20));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn day() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            Just(None),
            (2022i32..2023, 1u32..13, 1u32..32)
                .prop_map(|(y, m, d)| Some(format!("{y:04}-{m:02}-{d:02}"))),
            ".{0,12}".prop_map(Some),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(60))]

        /// Arbitrary text (odd whitespace, combining marks, emoji, quotes)
        /// indexed and searched for its own words and prefixes: no panic,
        /// highlights inside the snippet, every word finds its entry.
        #[test]
        fn arbitrary_text_round_trips(
            bodies in proptest::collection::vec(
                proptest::collection::vec(r"[a-zA-Z0-9 \u{a0}\u{2003}\u{3000}’'.,\-é\u{301}😀ﬁ]{0,60}", 0..3),
                1..6),
            pick in 0usize..1000,
            cut in 1usize..6,
        ) {
            let entries: Vec<Entry> = bodies.iter().enumerate().map(|(i, b)| {
                let b: Vec<&str> = b.iter().map(String::as_str).collect();
                entry(i as u32, b.first().copied().unwrap_or(""), &b, Some((2022, 3, 1)), None, &[])
            }).collect();
            let bytes = write(&entries, &Meta::default()).unwrap();
            let ix = Index::open(bytes).unwrap();
            let words: Vec<(usize, String)> = entries.iter().enumerate()
                .flat_map(|(i, e)| e.body.iter().flat_map(|p| text::terms(p)).map(move |t| (i, t)).collect::<Vec<_>>())
                .collect();
            if let Some((i, w)) = words.get(pick % words.len().max(1)) {
                let prefix: String = w.chars().take(cut).collect();
                // A short prefix expands to its most frequent extensions only
                // (4, 8, 16, 32 for 1, 2, 3, 4+ characters): the entry must be
                // found when its word is sure to be among them.
                let extensions: std::collections::BTreeSet<&str> =
                    words.iter().map(|(_, t)| t.as_str()).filter(|t| t.starts_with(prefix.as_str()) && *t != prefix).collect();
                let cap = [4, 8, 16, 32][prefix.chars().count().clamp(1, 4) - 1];
                for q in [w.clone(), prefix.clone(), format!("\"{w}\"")] {
                    let r = search(&ix, &Query { query: q.clone(), limit: 10, ..Query::default() }).unwrap();
                    let capped = q == prefix && q != *w && extensions.len() > cap;
                    prop_assert!(r.hits.iter().any(|h| h.id as usize == *i) || r.total > 10 || capped, "{q:?}");
                    for h in &r.hits {
                        let n = h.snippet.encode_utf16().count() as u32;
                        prop_assert!(h.highlights.iter().all(|[a, b]| a < b && *b <= n));
                        let n = h.title.encode_utf16().count() as u32;
                        prop_assert!(h.title_highlights.iter().all(|[a, b]| a < b && *b <= n));
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn search_never_panics(
            query in prop_oneof![
                ".{0,40}",
                "[-\"a-z “”' ]{0,30}",
                proptest::collection::vec(prop_oneof![Just("ukr"), Just("\"nuclear"), Just("-war"), Just("putin’s"), Just("-"), Just("\""), Just("zelenskyx"), Just("t")], 0..6).prop_map(|v| v.join(" ")),
            ],
            from in day(),
            to in day(),
            sort in prop_oneof![Just(Sort::Relevance), Just(Sort::Newest), Just(Sort::Oldest)],
            authors in proptest::collection::vec(prop_oneof![Just("Zoe Magee".to_string()), ".{0,8}"], 0..3),
            limit in 0usize..50,
            offset in prop_oneof![0usize..30, Just(usize::MAX)],
        ) {
            let q = Query { query, from, to, sort, authors, limit, offset, partial_ok: false };
            if let Ok(r) = search(&ix(), &q) {
                prop_assert!(r.hits.len() <= limit);
                prop_assert!(r.hits.len() <= r.total);
                let _ = serde_json::to_string(&r).unwrap();
            }
            let _ = suggest(&ix(), &q.query, limit);
        }
    }
}

/// Lists long enough to span many 128-document blocks, so that skipping,
/// block decoding and positions across blocks are checked against brute force.
#[test]
fn multi_block_postings_match_brute_force() {
    const VOCAB: [&str; 12] = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        "juliet", "kilo", "lima",
    ];
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    let mut entries = Vec::new();
    for id in 0..2000u32 {
        // Skewed: low words are common, high words rare.
        let para = |len: u64, next: &mut dyn FnMut(u64) -> u64| -> String {
            (0..len)
                .map(|_| VOCAB[(next(12) * next(12) / 11) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title = para(1 + next(4), &mut next);
        let body: Vec<String> = (0..1 + next(3)).map(|_| para(next(30), &mut next)).collect();
        let body: Vec<&str> = body.iter().map(String::as_str).collect();
        let day = (2022, 3, 1 + id / 100);
        let undated = id >= 1900;
        entries.push(entry(
            id,
            &title,
            &body,
            (!undated).then_some(day),
            Some((id % 1440) as u16),
            &[],
        ));
    }
    for e in entries.iter_mut().skip(1900) {
        e.published = None;
    }
    let bytes = write(&entries, &Meta::default()).unwrap();
    let ix = Index::open(bytes).unwrap();
    let terms: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let mut t: Vec<String> = text::terms(&e.title).collect();
            t.push("\u{0}".into()); // fields and paragraphs do not join phrases
            for p in &e.body {
                t.extend(text::terms(p));
                t.push("\u{0}".into());
            }
            t
        })
        .collect();
    let count = |f: &dyn Fn(&[String]) -> bool, lo: u32, hi: u32| {
        (lo..hi).filter(|&i| f(&terms[i as usize])).count()
    };
    let q = |s: String, from: Option<&str>, to: Option<&str>| {
        search(
            &ix,
            &Query {
                query: s,
                from: from.map(Into::into),
                to: to.map(Into::into),
                limit: 5,
                ..Query::default()
            },
        )
        .unwrap()
    };
    for a in VOCAB {
        let r = q(format!("\"{a}\""), None, None);
        assert_eq!(r.total, count(&|t| t.iter().any(|x| x == a), 0, 2000), "{a}");
        // A date range is an id range (days 2022-03-05 ..= 2022-03-07: ids 400..700).
        let r = q(format!("\"{a}\""), Some("2022-03-05"), Some("2022-03-07"));
        assert_eq!(r.total, count(&|t| t.iter().any(|x| x == a), 400, 700), "{a} in range");
        for b in VOCAB {
            let r = q(format!("\"{a}\" \"{b}\""), None, None);
            let want = count(&|t| t.iter().any(|x| x == a) && t.iter().any(|x| x == b), 0, 2000);
            assert_eq!(r.total, want, "{a} AND {b}");
            let r = q(format!("\"{a} {b}\""), None, None);
            let want = count(&|t| t.windows(2).any(|w| w[0] == a && w[1] == b), 0, 2000);
            assert_eq!(r.total, want, "phrase {a} {b}");
            let r = q(format!("\"{a}\" -{b}"), Some("2022-03-02"), None);
            let want = count(&|t| t.iter().any(|x| x == a) && !t.iter().any(|x| x == b), 100, 1900);
            assert_eq!(r.total, want, "{a} NOT {b}");
        }
    }
    // Histogram over all matches sums to the total.
    let r = q("alpha".into(), None, None);
    assert_eq!(r.histogram.iter().map(|b| b.count as usize).sum::<usize>() + r.undated, r.total);
}
