//! Ingestion of the real captures in `corpus/`, checked against what a reader
//! finds in the files by hand, and the refusals of bad input.

use std::path::{Path, PathBuf};

use dateline::ingest::{self, from_captures, from_manifest, IngestError, Manifest};
use dateline::model::entry::Entry;

fn corpus() -> ingest::Corpus {
    from_manifest(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.toml").as_path())
        .expect("corpus ingests")
}

fn by_title<'a>(entries: &'a [Entry], title: &str) -> &'a Entry {
    entries
        .iter()
        .find(|e| e.title.starts_with(title))
        .unwrap_or_else(|| panic!("no entry titled {title:?}"))
}

fn published(e: &Entry) -> Option<String> {
    e.published.map(|p| p.to_rfc3339())
}

/// Every distinct post of the five captures, as read by hand: title, date
/// (RFC 3339 to the minute where printed, the day where inferred), authors.
const EXPECTED: &[(&str, &str, &[&str])] = &[
    ("Russians running out of food, gas: US official", "2022-03-01", &["Matt Seyler"]),
    ("Russian oligarch Roman Abramovich to sell Chelsea FC", "2022-03-02", &["Zoe Magee"]),
    (
        "White House announces new sanctions, restrictions on Russia, Belarus",
        "2022-03-02",
        &["Ben Gittleson"],
    ),
    ("Some Russian losses due to weapons provided by US", "2022-03-02", &["Aaron Katersky"]),
    (
        "Blinken will travel to Europe to coordinate with allies, address refugee crisis",
        "2022-03-02",
        &["Conor Finnegan"],
    ),
    (
        "Putin's fiercest critic Navalny calls for daily anti-war protests",
        "2022-03-02T05:53:00-05:00",
        &[],
    ),
    (
        "3rd world war would be nuclear and destructive, Lavrov warns",
        "2022-03-02T06:18:00-05:00",
        &[],
    ),
    (
        "Russia says it's 'ready' for new talks with Ukraine",
        "2022-03-02T07:41:00-05:00",
        &["Patrick Reevell"],
    ),
    (
        "Harris stops short of calling for Putin's ouster",
        "2022-03-02T08:04:00-05:00",
        &["Sarah Kolinovsky", "Kelly McCarthy"],
    ),
    (
        "Children 'in grave danger' as Russian forces close in on Ukrainian capital",
        "2022-03-02",
        &[],
    ),
    ("Over 800,000 people have fled Ukraine, UNHCR says", "2022-03-02", &["Zoe Magee"]),
    (
        "Ukraine to send a delegation to meet with Russia for talks",
        "2022-03-02",
        &["Patrick Reevell"],
    ),
    ("Blinken: 'If conflict comes to us, we're ready for it'", "2022-03-04T06:25:00-05:00", &[]),
    (
        "US embassy calls nuclear power plant shelling 'a war crime'",
        "2022-03-04T06:45:00-05:00",
        &[],
    ),
    (
        "Russian forces advancing on major Ukrainian city, local official warns",
        "2022-03-04T07:32:00-05:00",
        &["Patrick Reevell"],
    ),
    (
        "Russia has prepared puppet government for Kyiv: US official",
        "2022-03-04T07:46:00-05:00",
        &["Martha Raddatz"],
    ),
    ("President Biden on Tuesday expressed skepticism", "2022-03-29", &["Justin Gomez"]),
    (
        "The U.S. is seeing some movement of Russian troops away from Kyiv",
        "2022-03-29",
        &["Molly Nagle", "Luis Martinez"],
    ),
    (
        "Ukraine outlined proposals for a new system of security guarantees",
        "2022-03-29",
        &["Christine Theodorou"],
    ),
    (
        "In his latest national address, Ukrainian President Volodymyr Zelenskyy urged",
        "2022-03-29",
        &["Fidel Pavlenko"],
    ),
];

#[test]
fn the_twenty_distinct_posts_with_dates_and_authors() {
    let c = corpus();
    assert_eq!(
        c.entries.len(),
        EXPECTED.len(),
        "{:#?}",
        c.entries.iter().map(|e| &e.title).collect::<Vec<_>>()
    );
    for (i, (title, date, authors)) in EXPECTED.iter().enumerate() {
        let e = &c.entries[i];
        assert!(e.title.starts_with(title), "entry {i}: {:?} is not {title:?}", e.title);
        assert_eq!(e.id, i as u32);
        assert_eq!(published(e).as_deref(), Some(*date), "date of {title:?} ({})", e.date_basis);
        let precision = if date.len() > 10 { "minute" } else { "day" };
        assert_eq!(e.precision().as_str(), precision, "{title}");
        assert_eq!(e.authors, *authors, "authors of {title:?}");
    }
    assert_eq!(c.timezone, "America/New_York");
}

#[test]
fn ids_run_in_publication_order() {
    let c = corpus();
    let days: Vec<i32> = c.entries.iter().map(|e| e.published.expect("all dated").day).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    // Within a day, printed times rise.
    let times: Vec<_> =
        c.entries.iter().filter_map(|e| e.published.and_then(|p| p.unix_seconds())).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]));
    // An inferred post that a capture shows above a printed one comes after it.
    let harris = by_title(&c.entries, "Harris stops short").id;
    assert!(by_title(&c.entries, "Children 'in grave danger'").id > harris);
}

#[test]
fn titles_are_headlines_or_marked_derived() {
    let c = corpus();
    let derived: Vec<_> =
        c.entries.iter().filter(|e| e.title_derived).map(|e| e.title.as_str()).collect();
    assert_eq!(derived.len(), 4, "only capture 004 has no headlines: {derived:?}");
    assert!(c
        .entries
        .iter()
        .filter(|e| e.title_derived)
        .all(|e| e.sources[0].file.starts_with("004_")));
    let e = by_title(&c.entries, "President Biden on Tuesday");
    assert_eq!(e.title, "President Biden on Tuesday expressed skepticism regarding Russia’s claim that its forces will move away from Kyiv and Chernihiv.");
}

#[test]
fn every_inferred_date_says_why() {
    let c = corpus();
    for e in &c.entries {
        let basis = &e.date_basis;
        match e.precision().as_str() {
            "minute" => assert!(basis.starts_with("printed timestamp ("), "{basis}"),
            "day" => {
                assert!(basis.starts_with("order in ") || basis.starts_with("weekday "), "{basis}")
            }
            p => panic!("unexpected precision {p}"),
        }
    }
    // Dated by a timestamp printed in another capture than the one that has no time.
    let harris = by_title(&c.entries, "Harris stops short");
    assert_eq!(harris.date_basis, "printed timestamp (003_6b8e9f55dc8414e3.txt line 21)");
    // Between a printed post and the capture's covers day, both of 2022-03-02.
    let children = by_title(&c.entries, "Children 'in grave danger'");
    assert!(
        children.date_basis.starts_with("order in 001_97b937ef2a0e7b81.txt"),
        "{}",
        children.date_basis
    );
    // "told reporters Tuesday": the Tuesday before the capture's covers day.
    let food = by_title(&c.entries, "Russians running out");
    assert!(food.date_basis.contains("“Tuesday”"), "{}", food.date_basis);
    // "starting Thursday" looks ahead: the order, not the weekday, dates it.
    let blinken = by_title(&c.entries, "Blinken will travel");
    assert!(blinken.date_basis.starts_with("order in 000_"), "{}", blinken.date_basis);
}

#[test]
fn duplicates_merge_with_both_sources_and_the_richest_text() {
    let c = corpus();
    assert_eq!(c.report.posts_seen, 22);
    assert_eq!(c.report.duplicates_merged, 2);
    let harris = by_title(&c.entries, "Harris stops short");
    let files: Vec<_> = harris.sources.iter().map(|s| (s.file.as_str(), s.lines)).collect();
    assert_eq!(
        files,
        [("001_97b937ef2a0e7b81.txt", [57, 75]), ("003_6b8e9f55dc8414e3.txt", [21, 44])]
    );
    // 003's copy is richer: it has the photo caption (printed twice, no credit).
    assert_eq!(harris.media.len(), 1);
    assert!(harris.media[0].caption.starts_with("Harris joined \"Good Morning America\""));
    assert_eq!(harris.media[0].credit, "");
    let food = by_title(&c.entries, "Russians running out");
    assert_eq!(food.sources.len(), 2);
    assert_eq!(food.body.len(), 14);
}

#[test]
fn captions_and_credits_stay_out_of_the_body() {
    let c = corpus();
    let puppet = by_title(&c.entries, "Russia has prepared puppet government");
    let credits: Vec<_> = puppet.media.iter().map(|m| m.credit.as_str()).collect();
    assert_eq!(credits, ["Aris Messinis/AFP via Getty Images", "Maxar Technologies"]);
    assert_eq!(puppet.body.len(), 3);
    let blinken = by_title(&c.entries, "Blinken: 'If conflict");
    assert_eq!(blinken.media[0].credit, "Olivier Douliery/Pool/AFP via Getty Images");
    assert!(!blinken.media[0].caption.starts_with("PHOTO:"));
    for e in &c.entries {
        for p in &e.body {
            assert!(
                !p.contains("Getty Images") && !p.starts_with("PHOTO:"),
                "caption in the body of {}",
                e.title
            );
            assert!(
                !p.starts_with("-ABC News") && !p.starts_with("- ABC News"),
                "byline in the body of {}",
                e.title
            );
        }
    }
}

#[test]
fn furniture_is_in_no_entry() {
    let c = corpus();
    let furniture = [
        "For previous coverage, please click here.",
        "Two Men at War",
        "Stream On Hulu",
        "A look at the two leaders at the center of the war",
        "Related Topics",
        "LIVE UPDATES",
        "Are war crimes happening in Ukraine?",
        "The Kremlin confirmed Roman Abramovich",
        "A third round of talks between Russia and Ukraine ended without any resolution.",
        "The attack began Feb. 24",
        "Russia-Ukraine updates: Putin says",
    ];
    for e in &c.entries {
        let all = format!("{}\n{}\n{:?}", e.title, e.body_text(), e.media);
        for f in furniture {
            assert!(!all.contains(f), "furniture {f:?} in entry {:?}", e.title);
        }
        assert!(!e.body.iter().any(|p| p == "0" || p == "Hulu"), "stray furniture in {}", e.title);
    }
    // 004's first post starts right after its lede.
    let zelenskyy = by_title(&c.entries, "In his latest national address");
    assert_eq!(zelenskyy.sources[0].lines, [6, 12]);
}

#[test]
fn every_line_is_accounted_for() {
    let c = corpus();
    let r = &c.report;
    let total: u64 = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"))
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| std::fs::read_to_string(p).unwrap().lines().count() as u64)
        .sum();
    assert_eq!(r.lines_read, total);
    assert_eq!(r.post_lines + r.furniture_lines + r.unplaced_lines, r.lines_read);
    assert_eq!(r.unplaced_lines, 0, "{:?}", r.unplaced);
    assert_eq!(r.precision, [8, 12, 0]);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn json_shape_of_an_entry() {
    let c = corpus();
    let v = serde_json::to_value(by_title(&c.entries, "Russia has prepared puppet government"))
        .unwrap();
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    let mut want = [
        "id",
        "title",
        "title_derived",
        "published",
        "precision",
        "date_basis",
        "authors",
        "body",
        "media",
        "sources",
    ];
    want.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, want);
    assert_eq!(v["published"], "2022-03-04T07:46:00-05:00");
    assert_eq!(v["precision"], "minute");
    assert_eq!(v["sources"][0]["lines"], serde_json::json!([21, 37]));
    assert!(v["body"].as_str().unwrap().contains("\n\n"));
}

#[test]
fn without_a_manifest_only_printed_times_and_their_order_date_posts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let files: Vec<PathBuf> =
        ["000_bb54caba8e05825e.txt", "001_97b937ef2a0e7b81.txt", "003_6b8e9f55dc8414e3.txt"]
            .iter()
            .map(|f| dir.join(f))
            .collect();
    let c = ingest::from_files(&files).unwrap();
    assert_eq!(c.timezone, "America/New_York", "taken from the printed EST label");
    assert_eq!(c.entries.len(), 12);
    let harris = by_title(&c.entries, "Harris stops short");
    assert_eq!(published(harris).as_deref(), Some("2022-03-02T08:04:00-05:00"));
    // No covers day: posts above Harris in 001 have no newer bound, so stay unknown.
    let children = by_title(&c.entries, "Children 'in grave danger'");
    assert_eq!(children.published, None);
    assert!(children.date_basis.starts_with("unknown"));
    // Undated entries come last.
    let first_unknown = c.entries.iter().position(|e| e.published.is_none()).unwrap();
    assert!(c.entries[first_unknown..].iter().all(|e| e.published.is_none()));
}

#[test]
fn determinism() {
    let a = serde_json::to_string(&corpus().entries).unwrap();
    let b = serde_json::to_string(&corpus().entries).unwrap();
    assert_eq!(a, b);
}

fn err(captures: Vec<(&str, &[u8])>) -> IngestError {
    from_captures(captures.into_iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect(), None)
        .unwrap_err()
}

#[test]
fn bad_input_is_refused_naming_file_and_line() {
    let good: &[u8] = b"Headline\n\nBody text.\n\n-ABC News' A B\n";
    let e = err(vec![("a.txt", good), ("latin1.txt", b"Headline\n\nCaf\xe9 au lait.\n")]);
    assert_eq!(e.to_string().split(": ").next(), Some("latin1.txt:3"));
    assert!(matches!(e, IngestError::NotUtf8 { line: 3, .. }));
    let e = err(vec![("bin.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00")]);
    assert!(matches!(&e, IngestError::Binary { file, line: 1 } if file == "bin.txt"), "{e}");
    let e = err(vec![("a.txt", good), ("empty.txt", b"")]);
    assert_eq!(
        e.to_string(),
        "empty.txt: the capture is empty; remove it or capture the page again"
    );
    let e = err(vec![("zero.txt", b"0\n\n0\n")]);
    assert!(matches!(&e, IngestError::NoPosts { file, .. } if file == "zero.txt"), "{e}");
    assert!(matches!(err(vec![]), IngestError::NoCaptures));
}

#[test]
fn a_manifest_naming_a_missing_file_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("manifest.toml");
    std::fs::write(&m, "title = \"x\"\n\n[[capture]]\nfile = \"gone.txt\"\n").unwrap();
    let e = from_manifest(&m).unwrap_err();
    assert!(matches!(e, IngestError::MissingCapture { line: 4, .. }), "{e}");
    assert!(e.to_string().contains("manifest.toml:4: names capture"), "{e}");
    std::fs::write(&m, "[[capture]\nfile = \"gone.txt\"\n").unwrap();
    let e = from_manifest(&m).unwrap_err();
    assert!(matches!(e, IngestError::Manifest { line: Some(1), .. }), "{e}");
}

#[test]
fn crlf_bom_and_curly_quotes_are_the_same_post() {
    let unix = b"Title line\n\nLede one two three four five six seven.\n\nFor more, click here.\n\nMar 04, 2022, 7:46 AM EST\n\nHeadline of the post\n\nPutin's \"words\" here and more words follow on.\n\n-ABC News' Jane Doe\n".to_vec();
    let mut dos = b"\xef\xbb\xbf".to_vec();
    dos.extend(
        String::from_utf8(unix.clone())
            .unwrap()
            .replace("'", "\u{2019}")
            .replace('\n', "\r\n")
            .replace("\"words\"", "\u{201c}words\u{201d}")
            .bytes(),
    );
    let c = from_captures(
        vec![("a.txt".into(), unix), ("b.txt".into(), dos)],
        Some(Manifest::default()),
    )
    .unwrap();
    assert_eq!(c.entries.len(), 1, "{:#?}", c.entries);
    assert_eq!(c.entries[0].sources.len(), 2);
    assert_eq!(c.entries[0].authors, ["Jane Doe"]);
    assert_eq!(c.report.furniture_lines, 12, "the shared header of both captures");
}

mod accounting {
    use super::*;
    use proptest::prelude::*;

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("Mar 04, 2022, 7:46 AM EST".to_string()),
            Just("-ABC News' Jane Doe".to_string()),
            Just("Related Topics".to_string()),
            Just("0".to_string()),
            "[A-Za-z’'\" ,.]{0,60}",
            "\\PC{0,30}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn posts_furniture_and_unplaced_add_up_to_lines_read(
            caps in proptest::collection::vec(proptest::collection::vec(line(), 1..40), 1..4)
        ) {
            let captures: Vec<(String, Vec<u8>)> = caps
                .iter()
                .enumerate()
                .map(|(i, ls)| (format!("{i}.txt"), ls.join("\n").into_bytes()))
                .collect();
            match from_captures(captures, None) {
                Ok(c) => {
                    let r = &c.report;
                    prop_assert_eq!(r.post_lines + r.furniture_lines + r.unplaced_lines, r.lines_read);
                    prop_assert_eq!(r.posts_seen, r.entries + r.duplicates_merged);
                    prop_assert_eq!(c.entries.len(), r.entries);
                    for (i, e) in c.entries.iter().enumerate() {
                        prop_assert_eq!(e.id as usize, i);
                        prop_assert!(!e.sources.is_empty());
                    }
                }
                Err(IngestError::EmptyCapture { .. } | IngestError::NoPosts { .. } | IngestError::Binary { .. }) => {}
                Err(e) => prop_assert!(false, "unexpected error {}", e),
            }
        }
    }
}

/// Input no capture should hold, each handled or refused with file and line.
mod abuse {
    use super::*;

    fn one(name: &str, bytes: Vec<u8>) -> Result<ingest::Corpus, IngestError> {
        from_captures(vec![(name.to_string(), bytes)], None)
    }

    fn post(i: usize) -> String {
        format!("Headline number {i}\n\nBody of post {i} says something new about item{i}.\n\n-ABC News' Jane Doe\n\n\n")
    }

    #[test]
    fn a_ten_megabyte_line_is_a_paragraph() {
        let long = "word ".repeat(2_000_000);
        let text = format!("{}Long post\n\n{long}\n\n-ABC News' Jane Doe\n", post(1));
        let c = one("long.txt", text.into_bytes()).unwrap();
        assert_eq!(c.entries.len(), 2);
        assert_eq!(c.entries.iter().map(|e| e.body_text().len()).max(), Some(10_000_000 - 1));
        let r = &c.report;
        assert_eq!(r.post_lines + r.furniture_lines + r.unplaced_lines, r.lines_read);
    }

    #[test]
    fn a_capture_of_a_hundred_thousand_posts() {
        let text: String = (0..100_000).map(post).collect();
        let c = one("big.txt", text.into_bytes()).unwrap();
        assert_eq!(c.entries.len(), 100_000);
        assert_eq!(c.report.lines_read, 700_000);
        assert_eq!(c.report.post_lines, c.report.lines_read);
    }

    #[test]
    fn crlf_and_a_byte_order_mark_read_like_plain_lines() {
        let unix = format!("{}{}", post(1), post(2));
        let mut dos = vec![0xef, 0xbb, 0xbf];
        dos.extend(unix.replace('\n', "\r\n").bytes());
        let a = one("unix.txt", unix.into_bytes()).unwrap();
        let b = one("dos.txt", dos).unwrap();
        assert_eq!(
            serde_json::to_value(&a.entries).unwrap()["title"],
            serde_json::to_value(&b.entries).unwrap()["title"]
        );
        assert_eq!(
            a.entries.iter().map(|e| e.body_text()).collect::<Vec<_>>(),
            b.entries.iter().map(|e| e.body_text()).collect::<Vec<_>>()
        );
        assert!(b.entries.iter().all(|e| !e.title.contains(['\r', '\u{feff}'])));
    }

    #[test]
    fn nul_bytes_are_refused_at_their_line() {
        let mut text = format!("{}{}", post(1), post(2)).into_bytes();
        text.extend(b"a line with a \0 in it\n");
        let e = one("nul.txt", text).unwrap_err();
        assert!(matches!(&e, IngestError::Binary { file, line: 15 } if file == "nul.txt"), "{e}");
        assert!(e.to_string().starts_with("nul.txt:15: binary data"), "{e}");
    }

    #[test]
    fn latin1_is_refused_with_a_way_out() {
        let mut text = post(1).into_bytes();
        text.extend(b"Caf\xe9 headline\n\nBody.\n");
        let e = one("latin1.txt", text).unwrap_err();
        assert_eq!(
            e.to_string(),
            "latin1.txt:8: not valid UTF-8; convert the capture to UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"
        );
    }

    #[test]
    fn a_file_that_is_not_text_is_refused() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let e = one("picture.png", png).unwrap_err();
        assert!(
            matches!(e, IngestError::NotUtf8 { line: 1, .. } | IngestError::Binary { line: 1, .. }),
            "{e}"
        );
    }
}

/// The engine's unit tests index `tests/data/corpus-entries.json` (so that
/// they need not depend on ingest): it must be what ingest gives today, and
/// read back into the same entries, except a day's offset, which its JSON
/// does not carry. Re-write it with
/// `dateline entries --json --manifest corpus/manifest.toml > tests/data/corpus-entries.json`.
#[test]
fn the_engines_corpus_fixture_is_what_ingest_gives() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus-entries.json");
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let entries = corpus().entries;
    assert_eq!(committed, serde_json::to_value(&entries).unwrap(), "re-write {}", path.display());
    let back: Vec<Entry> = serde_json::from_value(committed).unwrap();
    assert_eq!(back.len(), entries.len());
    for (b, e) in back.iter().zip(&entries) {
        let mut e = e.clone();
        if let Some(p) = e.published.as_mut().filter(|p| p.minute.is_none()) {
            p.offset = 0;
        }
        assert_eq!(b, &e);
    }
}
