//! The result fields a reader's page leans on: author counts over every
//! match (checked against counting the entries of all matches, on the real
//! corpus and at 100k synthetic entries), the number of searchable words,
//! typo corrections reported, first-letter corrections, and the
//! alternatives offered when nothing matches (each one run again: none is a
//! dead end).

use std::collections::BTreeMap;

use dateline::index::{write, AuthorCount, Index, Meta};
use dateline::model::entry::Entry;
use dateline::search::{Query, Results, Searcher};

use crate::index::{corpus, corpus_bytes, entry};

fn ix() -> Index<&'static [u8]> {
    Index::open(corpus_bytes()).unwrap()
}

fn run_on<D: AsRef<[u8]>>(ix: &Index<D>, q: &Query) -> Results {
    Searcher::new().search(ix, q).unwrap()
}

fn text(q: &str) -> Results {
    run_on(&ix(), &Query { query: q.into(), limit: 5, ..Query::default() })
}

/// Author counts by brute force: every match of `q` without its author
/// filter (all hits in one page), counted from the entries themselves.
fn brute_authors<D: AsRef<[u8]>>(ix: &Index<D>, entries: &[Entry], q: &Query) -> Vec<AuthorCount> {
    let all = Query { authors: Vec::new(), limit: usize::MAX, offset: 0, ..q.clone() };
    let r = run_on(ix, &all);
    assert_eq!(r.hits.len(), r.total, "{q:?}: one page holds every match");
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for h in &r.hits {
        for a in &entries[h.id as usize].authors {
            *counts.entry(a).or_default() += 1;
        }
    }
    let mut want: Vec<AuthorCount> =
        counts.into_iter().map(|(name, count)| AuthorCount { name: name.into(), count }).collect();
    want.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    want
}

#[test]
fn author_counts_cover_every_match_of_the_real_corpus() {
    let ix = ix();
    let entries = &corpus().entries;
    let some_author = entries.iter().find_map(|e| e.authors.first().cloned()).unwrap();
    for (q, from, to, authors) in [
        ("", None, None, vec![]),
        ("russia", None, None, vec![]),
        ("russia", Some("2022-03-02"), Some("2022-03-04"), vec![]),
        ("ukraine -russia", None, None, vec![]),
        ("\"white house\"", None, None, vec![]),
        ("russia", None, None, vec![some_author.clone()]),
        ("", Some("2022-03-02"), None, vec![some_author.clone()]),
        ("xqzv", None, None, vec![]),
    ] {
        let q = Query {
            query: q.into(),
            from: from.map(Into::into),
            to: to.map(Into::into),
            authors,
            limit: 3,
            ..Query::default()
        };
        let r = run_on(&ix, &q);
        assert_eq!(r.authors, brute_authors(&ix, entries, &q), "{q:?}");
    }
    // The filter does not narrow the counts: an author not ticked still shows.
    let q = Query { query: "russia".into(), authors: vec![some_author], ..Query::default() };
    let filtered = run_on(&ix, &q);
    let open = run_on(&ix, &Query { authors: Vec::new(), ..q.clone() });
    assert_eq!(filtered.authors, open.authors);
    assert!(filtered.total < open.total, "the filter narrows the hits: {q:?}");
}

/// 100k entries: 95k dated over 50 days, 5k undated; 0–3 of 40 authors each;
/// bodies of words of two syllables, some far more frequent than others.
fn synthetic() -> Vec<Entry> {
    const SYL: [&str; 16] = [
        "ka", "lo", "mi", "ne", "pu", "ra", "si", "to", "va", "be", "do", "fe", "gu", "hi", "jo",
        "wu",
    ];
    let names: Vec<String> =
        (0..40).map(|i| format!("Writer {}{}", SYL[i % 16], SYL[i / 16])).collect();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let n = 100_000u32;
    let dated = 95_000u32;
    (0..n)
        .map(|id| {
            let mut word = || {
                // Skewed: low numbers far more often.
                let k = next(256).min(next(256)) as usize;
                format!("{}{}", SYL[k % 16], SYL[k / 16])
            };
            let body = (0..6).map(|_| word()).collect::<Vec<_>>().join(" ");
            let title = format!("{} {}", word(), word());
            let na = next(4) as usize;
            let mut authors: Vec<&str> =
                (0..na).map(|_| names[next(40) as usize].as_str()).collect();
            authors.sort_unstable();
            authors.dedup();
            let day = (id < dated).then(|| {
                let d = 1 + id / 1900;
                (2022, 3 + d / 31, 1 + d % 31)
            });
            let minute = day.map(|_| ((id % 1900) * 1440 / 1900) as u16);
            entry(id, &title, &[&body], day, minute, &authors)
        })
        .collect()
}

#[test]
fn author_counts_equal_brute_force_at_100k_entries() {
    let entries = synthetic();
    let bytes = write(&entries, &Meta { title: None, timezone: "UTC".into() }).expect("writes");
    let ix = Index::open(bytes).expect("opens");
    let writer = entries.iter().find_map(|e| e.authors.first().cloned()).unwrap();
    for (q, from, to, authors) in [
        ("jowu", None, None, vec![]),
        ("mika loka", None, None, vec![]),
        ("\"kaka loka\"", None, None, vec![]),
        ("mika -kaka", None, None, vec![]),
        ("mika", Some("2022-03-05"), Some("2022-03-09"), vec![]),
        ("mika", Some("2022-03-05"), Some("2022-03-06"), vec![]),
        ("mika", None, None, vec![writer.clone()]),
        ("", Some("2022-03-10"), Some("2022-03-12"), vec![]),
        ("", None, None, vec![]),
    ] {
        let q = Query {
            query: q.into(),
            from: from.map(Into::into),
            to: to.map(Into::into),
            authors,
            limit: 10,
            ..Query::default()
        };
        let r = run_on(&ix, &q);
        assert!(!r.authors.is_empty(), "{q:?} has matches with authors");
        assert_eq!(r.authors, brute_authors(&ix, &entries, &q), "{q:?}");
    }
}

#[test]
fn terms_count_the_searchable_words() {
    for (q, n) in [
        ("", 0),
        ("   ", 0),
        ("😀 !!!", 0),
        ("\u{200B}", 0),
        ("russia", 1),
        ("russia \"white house\" -putin", 4),
        ("mari\u{200B}upol", 1),
    ] {
        let r = text(q);
        assert_eq!(r.terms, n, "{q:?}");
    }
    // Nothing searchable lists everything, as an empty query does.
    assert_eq!(text("😀 !!!").total, text("").total);
}

#[test]
fn an_invisible_character_does_not_break_a_word() {
    let plain = text("mariupol");
    assert!(plain.total > 0);
    for inv in ['\u{200B}', '\u{00AD}', '\u{200D}', '\u{2060}', '\u{FEFF}'] {
        let r = text(&format!("mari{inv}upol"));
        assert_eq!((r.total, r.terms), (plain.total, 1), "U+{:04X}", inv as u32);
    }
}

#[test]
fn words_matched_only_through_typos_are_reported() {
    let r = text("mariupl");
    assert!(r.total > 0);
    assert_eq!(r.corrections.len(), 1, "{:?}", r.corrections);
    assert_eq!(
        (r.corrections[0].word.as_str(), r.corrections[0].to.as_str()),
        ("mariupl", "mariupol")
    );
    // Exact words, and prefixes, are not corrections.
    assert!(text("mariupol").corrections.is_empty());
    assert!(text("mariu").corrections.is_empty());
    // One word of two.
    let r = text("mariupl russia");
    assert_eq!(r.corrections.iter().map(|c| c.word.as_str()).collect::<Vec<_>>(), ["mariupl"]);
}

#[test]
fn a_first_letter_typo_is_corrected_from_five_letters() {
    // The first letter dropped, replaced, and swapped with the second.
    for typo in ["ariupol", "nariupol", "amriupol"] {
        let r = text(typo);
        assert_eq!(r.total, text("mariupol").total, "{typo}");
        assert_eq!(r.corrections.first().map(|c| c.to.as_str()), Some("mariupol"), "{typo}");
    }
    // Not for short words.
    assert_eq!(text("yiv").total, 0);
    // Ranked below a correction that keeps the first letter: "kremlim" is
    // one edit from "kremlin"; its hits come before any first-letter match.
    let r = text("kremlim");
    assert!(r.total > 0);
    assert!(r.corrections.iter().all(|c| c.to.starts_with('k')), "{:?}", r.corrections);
}

#[test]
fn every_alternative_offered_has_hits() {
    let ix = ix();
    for q in ["\"humanitarian corridor\"", "kiev", "\"aid humanitarian\"", "kyvi", "russia xqzv"] {
        let r = text(q);
        assert_eq!(r.total, 0, "{q} matches nothing");
        assert!(!r.alternatives.is_empty(), "{q} has alternatives");
        assert!(r.alternatives.len() <= 4, "{q}: {:?}", r.alternatives);
        for a in &r.alternatives {
            assert!(a.total > 0, "{q}: {a:?}");
            let again =
                run_on(&ix, &Query { query: a.query.clone(), limit: 1, ..Query::default() });
            assert_eq!(again.total, a.total, "{q}: {a:?} is what running it gives");
            assert_eq!(a.query.matches('"').count() % 2, 0, "{q}: balanced quotes in {a:?}");
            assert_ne!(a.query, q);
        }
    }
    // A whole word corrected, not a prefix completed.
    let kiev = text("kiev");
    assert_eq!(kiev.alternatives[0].query, "kyiv", "{:?}", kiev.alternatives);
    // Dropping the quotes or a word.
    let aid = text("\"aid humanitarian\"");
    assert!(
        aid.alternatives.iter().any(|a| a.query == "aid humanitarian"),
        "{:?}",
        aid.alternatives
    );
    let r = text("russia xqzv");
    assert!(r.alternatives.iter().any(|a| a.query == "russia"), "{:?}", r.alternatives);
    // A query with hits offers none.
    assert!(text("russia").alternatives.is_empty());
}

#[test]
fn a_derived_title_is_not_repeated_by_its_snippet() {
    let entries = &corpus().entries;
    let derived: Vec<&Entry> = entries.iter().filter(|e| e.title_derived).collect();
    assert!(derived.len() >= 3, "the corpus has derived titles");
    // Browsing, and a word of each title.
    let mut queries = vec![String::new()];
    queries.extend(derived.iter().map(|e| e.title.split_whitespace().nth(3).unwrap().to_string()));
    for q in queries {
        let r = run_on(&ix(), &Query { query: q.clone(), limit: 100, ..Query::default() });
        for h in r.hits.iter().filter(|h| entries[h.id as usize].title_derived) {
            let title = h.title.trim_end_matches('…');
            let words: Vec<&str> = title.split_whitespace().collect();
            let head = words[..words.len().min(6)].join(" ");
            assert!(!h.snippet.contains(&head), "{q:?}: {:?} repeats {:?}", h.snippet, h.title);
            // The snippet goes on from where a cut title stops.
            if h.title.ends_with('…') {
                assert!(h.snippet.starts_with('…'), "{q:?}: {:?}", h.snippet);
            }
        }
        assert!(!r.hits.is_empty(), "{q:?}");
    }
}
