//! The generator's parts; and synthetic captures are reproducible, typeset
//! like the real ones, and ingest back to exactly the posts that were
//! generated.

use std::collections::BTreeMap;

use super::*;

use dateline::ingest;
use dateline::model::date::Precision;
use dateline::text;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn model() -> Model {
    Model::from_dir(&corpus_dir()).expect("the real corpus trains a model")
}

/// Every file of `dir`, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap())
        })
        .collect()
}

fn opts(entries: u64, seed: u64, per_capture: usize) -> Options {
    Options { entries, seed, per_capture, overlap: 3, start: START_UNIX }
}

#[test]
fn same_entries_and_seed_give_the_same_bytes() {
    let m = model();
    let (a, b, c) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sa = write_corpus(&m, &opts(400, 7, 150), a.path()).unwrap();
    let sb = write_corpus(&Model::from_dir(&corpus_dir()).unwrap(), &opts(400, 7, 150), b.path())
        .unwrap();
    assert_eq!(sa, sb);
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    assert!(fa == fb, "same entries and seed must give byte-identical captures");
    assert_eq!(fa.len(), 3 + 1, "400 posts at 150 a capture, 3 shared: 3 captures and a manifest");
    let bytes: u64 =
        fa.iter().filter(|(k, _)| k.ends_with(".txt")).map(|(_, v)| v.len() as u64).sum();
    assert_eq!(bytes, sa.bytes);

    write_corpus(&m, &opts(400, 8, 150), c.path()).unwrap();
    assert!(files(c.path()) != fa, "another seed gives another corpus");
}

#[test]
fn posts_do_not_depend_on_how_captures_are_cut() {
    let m = model();
    let a: Vec<Post> = Generator::new(&m, 50, 3).collect();
    let b: Vec<Post> = Generator::new(&m, 50, 3).take(20).collect();
    assert_eq!(a[..20], b[..]);
    for p in &a {
        assert!((2..=8).contains(&p.paragraphs.len()), "{p:?}");
        assert!(!p.headline.is_empty());
        assert!(p.paragraphs.iter().all(|x| !x.trim().is_empty() && !x.contains('\n')));
    }
    assert!(a.windows(2).all(|w| w[0].unix <= w[1].unix), "posts come oldest first");
}

#[test]
fn captures_are_typeset_like_the_real_ones() {
    let dir = tempfile::tempdir().unwrap();
    let s = write_corpus(&model(), &opts(120, 1, 50), dir.path()).unwrap();
    assert_eq!(s.captures, 3);
    let manifest = fs::read_to_string(dir.path().join("manifest.toml")).unwrap();
    assert!(manifest.contains("timezone = \"America/New_York\""), "{manifest}");
    assert_eq!(manifest.matches("[[capture]]").count(), 3);
    let first = files(dir.path()).into_iter().find(|(k, _)| k.ends_with(".txt")).unwrap();
    let text = String::from_utf8(first.1).unwrap();
    assert!(text.starts_with("Russia-Ukraine updates: "));
    assert!(text
        .contains("\n\nFor previous coverage, please click here.\n\nHulu\n\nTwo Men at War\n\n"));
    assert!(text.ends_with("\n\nRelated Topics\n"));
    // Newest first: the first timestamp line is the capture's latest.
    let stamps: Vec<&str> =
        text.lines().filter(|l| l.ends_with(" EST") || l.ends_with(" EDT")).collect();
    assert_eq!(stamps.len(), 50);
    assert!(stamps[0].starts_with("Feb 24, 2022, "), "{}", stamps[0]);
}

/// Ingests a synthetic corpus and checks it gives back the generated posts.
fn round_trip(entries: u64, per_capture: usize, start: i64) {
    let m = model();
    let dir = tempfile::tempdir().unwrap();
    let o = Options { start, ..opts(entries, 11, per_capture) };
    let s = write_corpus(&m, &o, dir.path()).unwrap();
    let corpus = ingest::from_manifest(&dir.path().join("manifest.toml")).unwrap();
    let r = &corpus.report;
    assert_eq!(corpus.entries.len() as u64, entries, "{r:?}");
    assert_eq!(r.captures, s.captures);
    assert_eq!(
        r.duplicates_merged,
        (s.captures - 1) * 3,
        "each capture repeats 3 posts of the one before"
    );
    assert_eq!(r.unplaced_lines, 0, "{:?}", r.unplaced);
    assert_eq!(r.precision, [entries as usize, 0, 0]);
    assert_eq!(corpus.timezone, "America/New_York");

    let want: Vec<Post> = Generator::new(&m, entries, 11).starting_at(start).collect();
    // Same order up to posts printed in the same minute.
    let key = |unix: i64, title: &str| (unix / 60 * 60, text::key(title));
    let mut got: Vec<_> = corpus
        .entries
        .iter()
        .map(|e| (key(e.published.unwrap().unix_seconds().unwrap(), &e.title), e))
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let mut exp: Vec<_> = want.iter().map(|p| (key(p.unix, &p.headline), p)).collect();
    exp.sort_by(|a, b| a.0.cmp(&b.0));
    for ((gk, e), (wk, p)) in got.iter().zip(&exp) {
        assert_eq!(gk, wk, "entry {} vs post {}", e.id, p.index);
        assert_eq!(e.precision(), Precision::Minute);
        assert!(!e.title_derived, "{}", e.title);
        let names = |v: &[String]| v.iter().map(|a| text::key(a)).collect::<Vec<_>>();
        assert_eq!(names(&e.authors), names(&p.authors), "authors of {:?}", p.headline);
        assert_eq!(
            text::key(&e.body_text()),
            text::key(&p.paragraphs.join("\n\n")),
            "body of {:?}",
            p.headline
        );
        assert_eq!(e.media.len(), p.photos.len(), "photos of {:?}", p.headline);
        for (a, b) in e.media.iter().zip(&p.photos) {
            assert_eq!(text::key(&a.credit), text::key(&b.credit));
        }
    }
}

#[test]
fn ingesting_a_synthetic_corpus_gives_back_every_post_to_the_minute() {
    round_trip(300, 100, START_UNIX);
    // Fewer posts than a capture holds: still two captures, so that the
    // ingest can tell the page furniture from the posts.
    round_trip(60, 1000, START_UNIX);
}

#[test]
fn daylight_saving_labels_round_trip() {
    // 2022-03-13 05:00 UTC is midnight EST; clocks spring forward at 2 AM.
    round_trip(400, 150, 1_647_147_600);
    // 2022-11-06 04:00 UTC is midnight EDT; 1 AM happens twice (EDT, then EST).
    round_trip(400, 150, 1_667_707_200);
}

// ---------------------------------------------------------------- parts

fn toks(s: &str) -> Vec<(String, Kind)> {
    let mut v = Vec::new();
    tokenize(s, &mut v);
    v
}

#[test]
fn tokenizer_peels_punctuation_but_keeps_abbreviations() {
    let t = toks("\"Don't panic,\" Kim said of U.S. Gov. plans (in Kyiv).");
    let texts: Vec<&str> = t.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        texts,
        [
            "\"", "Don't", "panic", ",", "\"", "Kim", "said", "of", "U.S.", "Gov.", "plans", "(",
            "in", "Kyiv", ")", "."
        ]
    );
    assert_eq!(t[0].1, Kind::QOpen);
    assert_eq!(t[4].1, Kind::QClose);
    assert_eq!(t[15].1, Kind::Stop);
}

#[test]
fn lines_space_punctuation_like_copy() {
    let mut s = String::new();
    let mut l = Line::new(&mut s);
    for (t, k) in toks("\"Don't panic,\" Kim said (in Kyiv) -- 'ready'.") {
        l.push(&t, k);
    }
    l.finish(true);
    assert_eq!(s, "\"Don't panic,\" Kim said (in Kyiv) -- 'ready'.");
}

#[test]
fn zipf_favours_low_ranks() {
    let z = Zipf::new(1000, 1.0);
    let mut rng = rng_for(7, 7);
    let mut counts = vec![0u32; 1000];
    for _ in 0..100_000 {
        counts[z.sample(&mut rng)] += 1;
    }
    assert!(counts[0] > counts[9] * 5, "{} vs {}", counts[0], counts[9]);
    assert!(counts[0] > 10_000);
}

#[test]
fn timestamps_carry_the_zone_label_in_force() {
    let utc = Utc.timestamp_opt(START_UNIX, 0).single().unwrap();
    let s = utc.with_timezone(&New_York).format("%b %d, %Y, %-I:%M %p %Z").to_string();
    assert_eq!(s, "Feb 24, 2022, 5:00 AM EST");
    let summer = Utc.timestamp_opt(START_UNIX + 150 * 86_400, 0).single().unwrap();
    let s = summer.with_timezone(&New_York).format("%b %d, %Y, %-I:%M %p %Z").to_string();
    assert!(s.ends_with("EDT"), "{s}");
}

#[test]
fn curly_retypesetting() {
    assert_eq!(
        curl("\"Don't,\" he said 'ok'"),
        "\u{201C}Don\u{2019}t,\u{201D} he said \u{2018}ok\u{2019}"
    );
}

#[test]
fn every_archive_format_ingests_back_to_the_generated_posts() {
    let m = model();
    let dir = tempfile::tempdir().unwrap();
    let o = opts(40, 5, 1000);
    let want: Vec<Post> = Generator::new(&m, 40, 5).starting_at(START_UNIX).collect();
    let mut want: Vec<_> = want
        .iter()
        .map(|p| (p.unix / 60 * 60, p.headline.clone(), p.authors.clone(), p.paragraphs.clone()))
        .collect();
    want.sort();
    for f in SynthFormat::ALL.into_iter().filter(|&f| f != SynthFormat::Text) {
        let path = dir.path().join(f.file_name());
        let s = write_archive(&m, &o, f, &path).unwrap();
        assert_eq!(s.bytes, fs::metadata(&path).unwrap().len(), "{f:?}");
        let c = ingest::from_files(std::slice::from_ref(&path)).unwrap();
        let r = &c.report;
        assert!(r.rejected.is_empty() && r.warnings.is_empty(), "{f:?}: {r:?}");
        let mut got: Vec<_> = c
            .entries
            .iter()
            .map(|e| {
                let p = e.published.unwrap();
                assert_eq!(p.precision(), Precision::Minute, "{f:?}");
                let url = e.url.as_deref().unwrap_or_default();
                assert!(url.starts_with("https://live.example.org/"), "{f:?}: {url}");
                (p.unix_seconds().unwrap(), e.title.clone(), e.authors.clone(), e.body.clone())
            })
            .collect();
        got.sort();
        assert_eq!(got.len(), want.len(), "{f:?}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w, "{f:?}");
        }
    }
    let e = write_archive(&m, &o, SynthFormat::Text, &dir.path().join("x")).unwrap_err();
    assert!(e.to_string().contains("directory"), "{e}");
}
