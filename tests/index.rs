//! The index format: every entry field survives write → read, output is
//! deterministic, and damaged files (wrong magic, wrong version, any
//! truncation, a flipped byte in any section) are typed errors, never panics.

use std::path::Path;
use std::sync::OnceLock;

use dateline::index::format::{self, Section, HEADER_LEN, SECTION_ROW_LEN};
use dateline::index::{write, Index, IndexError, Meta};
use dateline::ingest;
use dateline::model::date::{days_from_civil, Published};
use dateline::model::entry::{Entry, Media, Source};

/// The real corpus, ingested once.
pub fn corpus() -> &'static ingest::Corpus {
    static C: OnceLock<ingest::Corpus> = OnceLock::new();
    C.get_or_init(|| {
        ingest::from_manifest(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.toml"))
            .expect("corpus ingests")
    })
}

/// The real corpus's index bytes, built once.
pub fn corpus_bytes() -> &'static [u8] {
    static B: OnceLock<Vec<u8>> = OnceLock::new();
    B.get_or_init(|| {
        let c = corpus();
        write(&c.entries, &Meta { title: c.title.clone(), timezone: c.timezone.clone() })
            .expect("index writes")
    })
}

/// An entry for fixtures: `day` as (y, m, d), `minute` of the day.
pub fn entry(
    id: u32,
    title: &str,
    body: &[&str],
    day: Option<(i32, u32, u32)>,
    minute: Option<u16>,
    authors: &[&str],
) -> Entry {
    Entry {
        id,
        title: title.to_string(),
        title_derived: false,
        published: day.map(|(y, m, d)| Published {
            day: days_from_civil(y, m, d),
            minute,
            offset: -300,
        }),
        date_basis: match minute {
            Some(_) => format!("printed timestamp (fixture line {id})"),
            None => "inferred".to_string(),
        },
        authors: authors.iter().map(|s| s.to_string()).collect(),
        body: body.iter().map(|s| s.to_string()).collect(),
        media: Vec::new(),
        sources: vec![Source { file: "fixture.txt".into(), lines: [id + 1, id + 3], item: None }],
        url: None,
    }
}

/// A fixture with every kind of field, undated entries, unicode, empty strings.
pub fn fixture() -> Vec<Entry> {
    let mut v = vec![
        entry(
            0,
            "Zaporižžia plant: “stiff resistance”",
            &["Putin’s forces shelled the plant.", "Second para."],
            Some((2022, 3, 1)),
            Some(23 * 60 + 59),
            &["Martha Raddatz"],
        ),
        entry(1, "", &[], Some((2022, 3, 2)), None, &[]),
        entry(
            2,
            "Emoji 😀 title",
            &["Body with 😀 and ﬁre and ＡＢＣ"],
            Some((2022, 3, 2)),
            Some(0),
            &["Zoe Magee", "Martha Raddatz"],
        ),
        entry(3, "Undated one", &["nobody knows when"], None, None, &["Zoe Magee"]),
        entry(4, "Undated two", &["putin again"], None, None, &[]),
    ];
    v[0].media = vec![
        Media {
            caption: "A photo of the plant".into(),
            credit: "Aris Messinis/AFP via Getty Images".into(),
        },
        Media { caption: "".into(), credit: "".into() },
    ];
    v[0].title_derived = true;
    v[2].sources.push(Source { file: "other.txt".into(), lines: [7, 7], item: None });
    // An entry read from a feed: a URL, item numbers (0 is a number too), a
    // local time whose zone is unknown.
    v[1].url = Some("https://example.org/live/2#post-1".into());
    v[1].sources.push(Source { file: "feed.xml".into(), lines: [3, 9], item: Some(0) });
    v[1].sources.push(Source { file: "feed.xml".into(), lines: [10, 14], item: Some(41) });
    v[1].published = Some(Published {
        day: days_from_civil(2022, 3, 2),
        minute: Some(7 * 60 + 46),
        offset: Published::ZONE_UNKNOWN,
    });
    v
}

fn meta() -> Meta {
    Meta { title: Some("Fixture blog".into()), timezone: "America/New_York".into() }
}

/// The sections a file's table lists, in file order.
fn in_file(bytes: &[u8]) -> Vec<Section> {
    let n = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    (0..n)
        .map(|i| HEADER_LEN + i * SECTION_ROW_LEN)
        .map(|row| {
            Section::from_id(u32::from_le_bytes(bytes[row..row + 4].try_into().unwrap()))
                .expect("known section")
        })
        .collect()
}

/// The row of section `s` in the section table (rows are in file order).
fn section_row(bytes: &[u8], s: Section) -> usize {
    (0..in_file(bytes).len())
        .map(|i| HEADER_LEN + i * SECTION_ROW_LEN)
        .find(|&row| u32::from_le_bytes(bytes[row..row + 4].try_into().unwrap()) == s as u32)
        .expect("section in the table")
}

fn section_range(bytes: &[u8], s: Section) -> std::ops::Range<usize> {
    let row = section_row(bytes, s);
    let off = u64::from_le_bytes(bytes[row + 8..row + 16].try_into().unwrap()) as usize;
    let len = u64::from_le_bytes(bytes[row + 16..row + 24].try_into().unwrap()) as usize;
    off..off + len
}

#[test]
fn every_entry_field_survives_a_round_trip() {
    for (entries, meta) in [
        (
            corpus().entries.clone(),
            Meta { title: corpus().title.clone(), timezone: corpus().timezone.clone() },
        ),
        (fixture(), meta()),
    ] {
        let bytes = write(&entries, &meta).unwrap();
        let ix = Index::open(bytes.as_slice()).unwrap();
        assert_eq!(ix.len() as usize, entries.len());
        assert_eq!(ix.title(), meta.title.as_deref());
        assert_eq!(ix.timezone(), meta.timezone);
        for e in &entries {
            let back = ix.entry(e.id).unwrap().expect("entry present");
            assert_eq!(&back, e);
            // Same JSON shape as the ingested entry.
            assert_eq!(serde_json::to_value(&back).unwrap(), serde_json::to_value(e).unwrap());
        }
        assert_eq!(ix.entry(entries.len() as u32).unwrap(), None);
        assert_eq!(ix.entry(u32::MAX).unwrap(), None);
    }
}

#[test]
fn stats_describe_the_corpus() {
    let ix = Index::open(corpus_bytes()).unwrap();
    let s = ix.stats();
    assert_eq!(s.entries as usize, corpus().entries.len());
    assert_eq!(s.dated + s.undated, s.entries);
    assert_eq!(s.first_day.as_deref(), Some("2022-03-01"));
    assert_eq!(s.last_day.as_deref(), Some("2022-03-29"));
    assert_eq!(s.timezone, "America/New_York");
    assert_eq!(s.index_bytes as usize, corpus_bytes().len());
    let reevell = s.authors.iter().find(|a| a.name == "Patrick Reevell").unwrap();
    assert_eq!(reevell.count, 3);
    assert!(s.authors.windows(2).all(|w| w[0].count >= w[1].count));
    let json = serde_json::to_value(&s).unwrap();
    for key in [
        "entries",
        "terms",
        "dated",
        "undated",
        "first_day",
        "last_day",
        "title",
        "timezone",
        "authors",
        "index_bytes",
    ] {
        assert!(json.get(key).is_some(), "stats JSON lacks {key}");
    }

    let fx = write(&fixture(), &meta()).unwrap();
    let s = Index::open(fx.as_slice()).unwrap().stats();
    assert_eq!((s.dated, s.undated), (3, 2));
    assert_eq!(s.authors[0].name, "Martha Raddatz");
    assert_eq!(s.authors[0].count, 2);
}

#[test]
fn building_is_deterministic() {
    let c = corpus();
    let m = Meta { title: c.title.clone(), timezone: c.timezone.clone() };
    let a = write(&c.entries, &m).unwrap();
    let b = write(&c.entries.clone(), &m.clone()).unwrap();
    assert_eq!(a, b);
    assert_eq!(write(&fixture(), &meta()).unwrap(), write(&fixture(), &meta()).unwrap());
}

#[test]
fn empty_corpus_gives_a_valid_index() {
    let bytes = write(&[], &Meta::default()).unwrap();
    let ix = Index::open(bytes).unwrap();
    assert!(ix.is_empty());
    assert_eq!(ix.entry(0).unwrap(), None);
    let s = ix.stats();
    assert_eq!((s.entries, s.terms, s.first_day), (0, 0, None));
}

#[test]
fn writer_refuses_misnumbered_or_misordered_entries() {
    let mut v = fixture();
    v[1].id = 7;
    assert!(matches!(write(&v, &meta()), Err(IndexError::InvalidInput { .. })));
    let mut v = fixture();
    v.swap(0, 1);
    v[0].id = 0;
    v[1].id = 1;
    assert!(
        matches!(write(&v, &meta()), Err(IndexError::InvalidInput { .. })),
        "later day before earlier"
    );
    let mut v = fixture();
    v[1].published = None; // an undated entry before dated ones
    assert!(matches!(write(&v, &meta()), Err(IndexError::InvalidInput { .. })));
}

#[test]
fn wrong_magic_is_rejected() {
    let mut b = corpus_bytes().to_vec();
    b[0] = b'X';
    assert_eq!(Index::open(b).unwrap_err(), IndexError::BadMagic);
    assert_eq!(Index::open(b"PK\x03\x04 a zip file".to_vec()).unwrap_err(), IndexError::BadMagic);
    assert_eq!(
        Index::open(Vec::new()).unwrap_err(),
        IndexError::Truncated { expected: 40, got: 0 }
    );
}

#[test]
fn wrong_version_is_rejected_with_both_versions() {
    let mut b = corpus_bytes().to_vec();
    b[8..12].copy_from_slice(&(format::VERSION + 1).to_le_bytes());
    let e = Index::open(b).unwrap_err();
    assert_eq!(e, IndexError::Version { expected: format::VERSION, got: format::VERSION + 1 });
    assert!(e.to_string().contains("rebuild the index with this version of dateline"), "{e}");
}

#[test]
fn a_version_4_file_asks_for_a_rebuild() {
    // Version 4 stored a top for every term; version 5 only for terms in
    // more than 128 entries, and a version 4 reader would misread that.
    let mut b = corpus_bytes().to_vec();
    b[8..12].copy_from_slice(&4u32.to_le_bytes());
    assert_eq!(Index::open(b).unwrap_err(), IndexError::Version { expected: 5, got: 4 });
}

#[test]
fn every_truncation_is_an_error() {
    let b = corpus_bytes();
    for len in 0..b.len() {
        let e = Index::open(&b[..len]).expect_err("a truncated index must not open");
        if len >= 8 {
            assert!(
                matches!(e, IndexError::Truncated { got, .. } if got == len as u64),
                "len {len}: {e:?}"
            );
        }
    }
    // Trailing garbage is refused too.
    let mut long = b.to_vec();
    long.push(0);
    assert!(Index::open(long).is_err());
}

#[test]
fn a_flipped_byte_in_any_section_is_a_checksum_mismatch() {
    let b = corpus_bytes();
    for s in in_file(b) {
        let r = section_range(b, s);
        if r.is_empty() {
            continue;
        }
        for at in [r.start, r.start + r.len() / 2, r.end - 1] {
            let mut d = b.to_vec();
            d[at] ^= 0x40;
            match Index::open(d) {
                Err(IndexError::ChecksumMismatch { section, expected, got }) => {
                    assert_eq!(section, s.name());
                    assert_ne!(expected, got);
                }
                other => panic!("flip in {} at {at}: {other:?}", s.name()),
            }
        }
    }
}

#[test]
fn a_flipped_byte_anywhere_is_a_typed_error() {
    let b = corpus_bytes();
    // Every byte of the default corpus's index, flipped in its lowest bit,
    // and a sample flipped in its highest. (The sweep found the footer's
    // reserved field unchecked; it must now be zero.)
    let step = (b.len() / 3000).max(1);
    let mut d = b.to_vec();
    for at in 0..b.len() {
        for bit in [0x01u8, 0x80] {
            if bit == 0x80
                && at % step != 0
                && at >= HEADER_LEN + in_file(b).len() * SECTION_ROW_LEN
            {
                continue;
            }
            d[at] ^= bit;
            let e = Index::open(&d[..])
                .map(|_| ())
                .expect_err(&format!("byte {at} of {}, bit {bit:#x}: must not open", d.len()));
            let _ = e.to_string();
            d[at] ^= bit;
        }
    }
    // Footer damage.
    let mut d = b.to_vec();
    let n = d.len();
    d[n - 1] ^= 1;
    assert!(Index::open(d).is_err());
}

/// A file whose checksums were recomputed after damage reaches the
/// structural checks: they must hold too (no panic, typed error or a
/// readable index).
#[test]
fn damage_behind_valid_checksums_never_panics() {
    let b = corpus_bytes();
    let fix = |d: &mut Vec<u8>| {
        for s in in_file(d) {
            let r = section_range(d, s);
            let crc = crc32fast::hash(&d[r]);
            let row = section_row(d, s);
            d[row + 4..row + 8].copy_from_slice(&crc.to_le_bytes());
        }
        let table_end = HEADER_LEN + in_file(d).len() * SECTION_ROW_LEN;
        let crc = crc32fast::hash(&d[..table_end]);
        let n = d.len();
        d[n - 16..n - 12].copy_from_slice(&crc.to_le_bytes());
    };
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    // Mutants tried, those that got past the checksums (they opened, or
    // failed a structural check), and those that opened.
    let (mut tried, mut past, mut opened) = (0usize, 0usize, 0usize);
    // The fst sections too: `fst_check` vets their structure before fst walks them.
    for s in in_file(b) {
        let r = section_range(b, s);
        if r.is_empty() {
            continue;
        }
        for _ in 0..60 {
            let mut d = b.to_vec();
            let at = r.start + (next() as usize) % r.len();
            d[at] = next() as u8;
            fix(&mut d);
            tried += 1;
            match Index::open(d.as_slice()) {
                Err(IndexError::ChecksumMismatch { .. }) => {}
                Err(_) => past += 1,
                Ok(ix) => {
                    past += 1;
                    opened += 1;
                    for id in 0..ix.len() + 1 {
                        let _ = ix.entry(id);
                    }
                    let _ = ix.stats();
                    for q in ["putin", "ukr", "\"nuclear power plant\"", "zelenskyy -war", ""] {
                        let _ = dateline::search::search(&ix, &dateline::search::Query::text(q));
                    }
                    let _ = dateline::search::suggest(&ix, "u", 5);
                }
            }
        }
    }
    // Every mutant carries valid checksums, so every one must reach the
    // decoders: were the fixing step broken, all would stop at a checksum
    // and the decoders would go untested.
    assert_eq!(past, tried, "{} of {tried} mutants stopped at a checksum", tried - past);
    assert!(tried >= 60 * 10, "only {tried} mutants");
    assert!(opened > 0, "no mutant opened: the queries over damaged indexes went untried");
}
