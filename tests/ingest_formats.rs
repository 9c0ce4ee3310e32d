//! Structured archives: one fictional live blog (a storm at a harbour town)
//! written as an RSS feed, an Atom feed, JSON Lines, a JSON array, CSV and
//! two HTML pages (JSON-LD, and plain `<article>` elements), each checked
//! against what a careful reader finds in it; malformed records reported by
//! file and line; the same post across sources made one entry; a large
//! export streamed.

use std::path::{Path, PathBuf};

use dateline::ingest::{self, from_files, Corpus, Format};
use dateline::model::entry::Entry;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats").join(name)
}

fn read(names: &[&str]) -> Corpus {
    let paths: Vec<PathBuf> = names.iter().map(|n| data(n)).collect();
    from_files(&paths).unwrap_or_else(|e| panic!("{names:?} ingest: {e}"))
}

/// Title, published, authors and url of an entry.
type Row = (String, Option<String>, Vec<String>, Option<String>);

/// The [`Row`] of every entry, in id order.
fn table(c: &Corpus) -> Vec<Row> {
    c.entries
        .iter()
        .map(|e| {
            (e.title.clone(), e.published.map(|p| p.to_rfc3339()), e.authors.clone(), e.url.clone())
        })
        .collect()
}

fn row(title: &str, published: Option<&str>, authors: &[&str], url: Option<&str>) -> Row {
    (
        title.to_string(),
        published.map(str::to_string),
        authors.iter().map(|a| a.to_string()).collect(),
        url.map(str::to_string),
    )
}

fn by_title<'a>(c: &'a Corpus, title: &str) -> &'a Entry {
    c.entries.iter().find(|e| e.title == title).unwrap_or_else(|| panic!("no entry {title:?}"))
}

const FEED: &str = "https://news.example.org/live/storm-orla";

#[test]
fn formats_are_known_from_the_content() {
    let cases = [
        ("harbour.rss", Format::Feed),
        ("harbour.atom", Format::Feed),
        ("harbour.jsonl", Format::JsonLines),
        ("harbour.json", Format::Json),
        ("harbour.csv", Format::Csv),
        ("liveblog-jsonld.html", Format::Html),
        ("liveblog-articles.html", Format::Html),
    ];
    for (name, format) in cases {
        let bytes = std::fs::read(data(name)).unwrap();
        // The extension is only a hint: the content decides.
        assert_eq!(ingest::detect(Path::new("export.dat"), &bytes), format, "{name}");
    }
    let capture = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/002_06186764a76a8ed0.txt"),
    )
    .unwrap();
    assert_eq!(ingest::detect(Path::new("x.txt"), &capture), Format::Text);
    assert_eq!(
        ingest::detect(Path::new("x.txt"), b"[Live] Storm updates\nMore text"),
        Format::Text
    );
}

#[test]
fn rss_items_with_creators_and_encoded_content() {
    let c = read(&["harbour.rss"]);
    assert_eq!(
        table(&c),
        [
            row(
                "Ferry services suspended as gale arrives",
                Some("2024-11-03T06:10:00+00:00"),
                &["Mara Vesk"],
                Some(&format!("{FEED}#ferries")),
            ),
            row(
                "Flood barrier raised on North Quay",
                Some("2024-11-03T07:25:00+00:00"),
                &["Tomas Riel", "Ada Brun"],
                Some(&format!("{FEED}#barrier")),
            ),
            row(
                "Schools stay open, council says",
                Some("2024-11-03T08:40:00+00:00"),
                &[],
                Some(&format!("{FEED}#schools")),
            ),
        ]
    );
    let ferries = by_title(&c, "Ferry services suspended as gale arrives");
    // Escaped HTML in <description>: paragraphs, no markup.
    assert_eq!(
        ferries.body,
        [
            "All crossings from Port Wendel were cancelled this morning after gusts reached 90 km/h at the harbour wall.",
            "The operator said it would review the timetable at noon."
        ]
    );
    let barrier = by_title(&c, "Flood barrier raised on North Quay");
    // content:encoded wins over description; the share bar is dropped.
    assert_eq!(barrier.body.len(), 2, "{:?}", barrier.body);
    assert!(barrier.body[1].ends_with("off the floor & keep their shutters down."));
    assert_eq!(barrier.media[0].caption, "The barrier going up on North Quay");
    assert_eq!(barrier.media[0].credit, "Lena Holt");
    assert_eq!(barrier.sources[0].item, Some(2));
    assert_eq!(barrier.sources[0].file, data("harbour.rss").display().to_string());
    assert!(barrier.date_basis.contains("<pubDate>"), "{}", barrier.date_basis);
    assert_eq!(c.report.records_read, 3);
    assert!(c.report.rejected.is_empty() && c.report.warnings.is_empty(), "{:?}", c.report);
}

#[test]
fn atom_entries_with_html_and_xhtml_content() {
    let c = read(&["harbour.atom"]);
    assert_eq!(
        table(&c),
        [
            row(
                "Power cut to 1,200 homes in Lower Town",
                Some("2024-11-03T09:05:00+00:00"),
                &["Ada Brun"],
                Some(&format!("{FEED}#power")),
            ),
            row(
                "Coastguard asks walkers to keep off the pier",
                Some("2024-11-03T10:15:00+01:00"),
                &["Mara Vesk"],
                Some(&format!("{FEED}#pier")),
            ),
        ]
    );
    let pier = by_title(&c, "Coastguard asks walkers to keep off the pier");
    assert_eq!(
        pier.body,
        [
            "Waves are breaking over the end of the pier.",
            "The coastguard said two people had to be turned back."
        ]
    );
    assert_eq!(by_title(&c, "Power cut to 1,200 homes in Lower Town").body.len(), 2);
}

#[test]
fn json_lines_read_line_by_line_and_bad_lines_are_named() {
    let c = read(&["harbour.jsonl"]);
    let name = data("harbour.jsonl").display().to_string();
    assert_eq!(
        table(&c),
        [
            // A day only: precision day.
            row(
                "Ferry services suspended as gale arrives",
                Some("2024-11-03"),
                &["Mara Vesk"],
                Some(&format!("{FEED}#ferries")),
            ),
            // No zone anywhere: the zone stays unknown (no offset written).
            row(
                "Flood barrier raised on North Quay",
                Some("2024-11-03T07:25:00"),
                &["Tomas Riel", "Ada Brun"],
                None,
            ),
            // An undated post goes last, its title derived from its text.
            row(
                "A reader sent this picture of spray over the sea wall.",
                None,
                &["Lena Holt"],
                None,
            ),
        ]
    );
    assert!(c.entries[2].title_derived);
    assert_eq!(c.entries[0].sources[0].lines, [1, 1]);
    assert_eq!(c.entries[1].sources[0].lines, [2, 2]);
    let rejected = &c.report.rejected;
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert!(
        rejected[0].starts_with(&format!("{name}:4: record 3: not valid JSON")),
        "{rejected:?}"
    );
    assert!(rejected[1].starts_with(&format!("{name}:5: record 4: a record must be a JSON object")));
    assert_eq!(c.report.warnings.len(), 1);
    assert!(c.report.warnings[0].starts_with(&format!("{name}:6: record 5: field `created_at`")));
    assert!(c.report.problems() >= 3);
}

#[test]
fn a_json_array_streams_its_elements() {
    let c = read(&["harbour.json"]);
    assert_eq!(
        table(&c),
        [
            row(
                "Ferry services suspended as gale arrives",
                Some("2024-11-03T06:10:00+00:00"),
                &["Mara Vesk"],
                Some(&format!("{FEED}#ferries")),
            ),
            row(
                "Rail line closed by fallen tree",
                Some("2024-11-03T11:50:00+00:00"),
                &["Tomas Riel"],
                None,
            ),
        ]
    );
    assert_eq!(c.entries[1].sources[0].item, Some(2));
    assert_eq!(c.entries[1].sources[0].lines, [9, 14]);
    assert_eq!(c.report.rejected.len(), 1);
    assert!(
        c.report.rejected[0].contains("record 3: a record must be a JSON object, found a string")
    );
}

#[test]
fn csv_rows_with_quoted_newlines_and_a_separator_for_authors() {
    let c = read(&["harbour.csv"]);
    let name = data("harbour.csv").display().to_string();
    assert_eq!(
        table(&c),
        [
            row(
                "Ferry services suspended as gale arrives",
                Some("2024-11-03T06:10:00"),
                &["Mara Vesk"],
                Some(&format!("{FEED}#ferries")),
            ),
            row(
                "Wind warning extended to Monday",
                Some("2024-11-03T12:30:00"),
                &["Tomas Riel", "Ada Brun"],
                None
            ),
            row("Harbour master: boats must stay moored", Some("2024-11-03T13:05:00"), &[], None),
        ]
    );
    // The quoted field spans lines 2 to 4.
    assert_eq!(c.entries[0].sources[0].lines, [2, 4]);
    assert_eq!(c.entries[0].body.len(), 2);
    assert!(c.entries[1].body[0].contains("\"up to 100 km/h\""));
    assert_eq!(c.report.rejected.len(), 1, "{:?}", c.report.rejected);
    assert_eq!(
        c.report.rejected[0],
        format!("{name}:6: record 3: 6 fields where the header has 5")
    );
}

#[test]
fn html_pages_json_ld_first_then_articles() {
    let c = read(&["liveblog-jsonld.html"]);
    assert_eq!(
        table(&c),
        [
            row(
                "Bins & recycling collections postponed",
                Some("2024-11-03T13:45:00+00:00"),
                &["Tomas Riel"],
                None,
            ),
            row(
                "Lifeboat launched to yacht in difficulty",
                Some("2024-11-03T14:20:00+00:00"),
                &["Lena Holt"],
                Some(&format!("{FEED}#lifeboat")),
            ),
        ]
    );
    assert_eq!(c.entries[0].body, ["Monday's collections move to Wednesday, the council said."]);

    let c = read(&["liveblog-articles.html"]);
    assert_eq!(
        table(&c),
        [
            row("Roads reopen in Lower Town", Some("2024-11-03T17:10:00"), &[], None),
            row(
                "Evening high tide passes without flooding",
                Some("2024-11-03T18:55:00+00:00"),
                &["Mara Vesk", "Lena Holt"],
                Some(&format!("{FEED}#tide")),
            ),
        ]
    );
    let tide = by_title(&c, "Evening high tide passes without flooding");
    assert_eq!(
        tide.body,
        [
            "The evening high tide peaked at 18:40 and stayed below the top of the barrier.",
            "Crews will stay on North Quay overnight \u{2014} just in case.",
        ]
    );
    let roads = by_title(&c, "Roads reopen in Lower Town");
    assert_eq!(
        roads.body,
        ["Mill Road and Quarry Lane have reopened after the fallen line was cleared."]
    );
}

#[test]
fn a_broken_feed_keeps_the_items_before_the_break() {
    let c = read(&["broken.rss"]);
    let name = data("broken.rss").display().to_string();
    let titles: Vec<&str> = c.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["First item reads fine", "Second item has a date nobody can read"]);
    assert_eq!(c.entries[1].published, None);
    assert_eq!(c.report.warnings.len(), 1);
    assert!(c.report.warnings[0].starts_with(&format!("{name}:4: record 2: <pubDate>")));
    assert_eq!(c.report.rejected.len(), 1);
    assert!(
        c.report.rejected[0].starts_with(&format!("{name}:5: record 3: not well-formed XML")),
        "{:?}",
        c.report.rejected
    );
}

#[test]
fn the_same_post_in_several_sources_is_one_entry_dated_by_the_most_precise() {
    // The ferry post is in the feed (to the minute), in JSON Lines (the day
    // only), in the JSON array and in the CSV; the barrier post in the feed
    // and JSON Lines (same opening, no shared link).
    let c = read(&["harbour.jsonl", "harbour.rss", "harbour.json", "harbour.csv"]);
    let ferries = by_title(&c, "Ferry services suspended as gale arrives");
    assert_eq!(
        ferries.published.map(|p| p.to_rfc3339()).as_deref(),
        Some("2024-11-03T06:10:00+00:00")
    );
    assert_eq!(ferries.sources.len(), 4, "{:?}", ferries.sources);
    assert_eq!(ferries.url.as_deref(), Some(&*format!("{FEED}#ferries")));
    let barrier = by_title(&c, "Flood barrier raised on North Quay");
    assert_eq!(barrier.sources.len(), 2, "{:?}", barrier.sources);
    // The feed's copy has the caption and the second paragraph.
    assert_eq!(barrier.media.len(), 1);
    assert_eq!(
        barrier.published.map(|p| p.to_rfc3339()).as_deref(),
        Some("2024-11-03T07:25:00+00:00")
    );
    let r = &c.report;
    assert_eq!(r.posts_seen, r.entries + r.duplicates_merged);
    assert_eq!(r.duplicates_merged, 4);
    // Publication order: dated, oldest first, the undated last.
    let ids: Vec<u32> = c.entries.iter().map(|e| e.id).collect();
    assert_eq!(ids, (0..c.entries.len() as u32).collect::<Vec<_>>());
    assert!(c.entries.last().unwrap().published.is_none());
}

#[test]
fn a_directory_is_walked_and_a_manifest_forces_options() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("pages")).unwrap();
    for f in ["liveblog-articles.html", "liveblog-jsonld.html"] {
        std::fs::copy(data(f), dir.path().join("pages").join(f)).unwrap();
    }
    std::fs::write(dir.path().join("pages/photo.jpg"), b"\xff\xd8").unwrap();
    std::fs::write(
        dir.path().join("export.txt"),
        "heading|text|when|who\nTide gauge broken|The gauge at the quay stopped at noon.|2024-11-03 12:00|Ada Brun/Lena Holt\n",
    )
    .unwrap();
    let manifest = dir.path().join("manifest.toml");
    std::fs::write(
        &manifest,
        "title = \"Storm Orla\"\ntimezone = \"Europe/London\"\n\n[[source]]\ndir = \"pages\"\n\n\
         [[source]]\nfile = \"export.txt\"\nformat = \"csv\"\nauthor_separator = \"/\"\n\
         [source.fields]\ntitle = \"heading\"\npublished = \"when\"\nauthors = \"who\"\n",
    )
    .unwrap();
    // The CSV's delimiter here is `|`: not one the reader takes, so it is one
    // column; the manifest's mapping then finds no title and no text.
    let c = ingest::from_manifest(&manifest).unwrap();
    assert_eq!(c.entries.len(), 4);
    assert_eq!(c.report.skipped_files.len(), 1);
    assert_eq!(c.report.rejected.len(), 1, "{:?}", c.report.rejected);
    let r = &c.report.rejected[0];
    assert!(r.starts_with("export.txt:2: record 1: no title and no text"), "{r}");
    // The manifest's zone places the zoneless <time> of the articles page.
    let roads = by_title(&c, "Roads reopen in Lower Town");
    assert_eq!(
        roads.published.map(|p| p.to_rfc3339()).as_deref(),
        Some("2024-11-03T17:10:00+00:00")
    );
    assert_eq!(roads.sources[0].file, "pages/liveblog-articles.html");
}

#[test]
fn a_large_json_lines_export_streams() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let mut text = String::new();
    let n = 20_000;
    for i in 0..n {
        let (h, m) = (i / 60 % 24, i % 60);
        text += &format!(
            "{{\"title\": \"Update {i}\", \"body\": \"Post number {i} of the generated blog, about harbour {}.\", \"published\": \"2024-11-{:02}T{h:02}:{m:02}:00Z\"}}\n",
            i % 97,
            1 + i / 1440
        );
    }
    std::fs::write(&path, text).unwrap();
    let c = from_files(&[path]).unwrap();
    assert_eq!(c.entries.len(), n);
    assert_eq!(c.report.records_read, n as u64);
    assert_eq!(c.entries[0].title, "Update 0");
    assert_eq!(c.entries[n - 1].title, format!("Update {}", n - 1));
}

#[test]
fn strict_fails_on_any_report_and_names_it() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(["entries", "--strict"])
        .arg(data("harbour.csv"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("harbour.csv:6: record 3: 6 fields where the header has 5"), "{err}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(["entries", "--strict", "--json"])
        .arg(data("harbour.rss"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["url"], format!("{FEED}#ferries"));
    assert_eq!(v[0]["sources"][0]["item"], 3);
}

/// Every seed file cut short at many points and with bytes overwritten, read
/// as its own format: entries or a typed error, never a panic, and every
/// record read is an entry or a duplicate (what the fuzz targets check, on
/// inputs derived deterministically from the seeds).
#[test]
fn damaged_archives_never_panic() {
    let seeds = [
        ("harbour.rss", Format::Feed),
        ("harbour.atom", Format::Feed),
        ("broken.rss", Format::Feed),
        ("harbour.json", Format::Json),
        ("harbour.jsonl", Format::JsonLines),
        ("harbour.csv", Format::Csv),
        ("liveblog-jsonld.html", Format::Html),
        ("liveblog-articles.html", Format::Html),
    ];
    for (name, format) in seeds {
        let bytes = std::fs::read(data(name)).unwrap();
        let step = (bytes.len() / 40).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let mut variants = vec![bytes[..cut].to_vec()];
            for b in [b'<', b'"', b'{', b',', b'\n', 0xff, b'&'] {
                let mut v = bytes.clone();
                v[cut] = b;
                variants.push(v);
            }
            for v in variants {
                let options = ingest::SourceOptions::default();
                if let Ok(c) = ingest::from_archive(name, &v, format, options) {
                    let r = &c.report;
                    assert_eq!(r.records_read as usize, r.posts_seen, "{name} at {cut}");
                    assert_eq!(r.posts_seen, r.entries + r.duplicates_merged);
                }
            }
        }
    }
}
