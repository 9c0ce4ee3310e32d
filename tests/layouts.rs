//! Text captures of a fictional publisher in twelve layouts, each read as a
//! careful reader would: how many posts, their headlines, their dates (to
//! the minute where printed), their authors, and nothing of the page around
//! them.

use std::path::{Path, PathBuf};

use dateline::ingest::{self, from_captures, from_files, Manifest};

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/layouts").join(name)
}

fn read(name: &str) -> ingest::Corpus {
    from_files(&[path(name)]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One expected entry: RFC 3339 date (or `None`), title, authors.
type Want<'a> = (Option<&'a str>, &'a str, &'a [&'a str]);

/// The entries oldest first, as (date, title, authors), and every line counted.
fn check(c: &ingest::Corpus, want: &[Want]) {
    let got: Vec<(Option<String>, &str, Vec<&str>)> = c
        .entries
        .iter()
        .map(|e| {
            (
                e.published.map(|p| p.to_rfc3339()),
                e.title.as_str(),
                e.authors.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let want: Vec<(Option<String>, &str, Vec<&str>)> =
        want.iter().map(|(d, t, a)| (d.map(str::to_string), *t, a.to_vec())).collect();
    assert_eq!(got, want);
    for e in &c.entries {
        assert!(!e.title_derived, "a headline was printed for {:?}", e.title);
    }
    let r = &c.report;
    assert_eq!(r.post_lines + r.furniture_lines + r.unplaced_lines, r.lines_read);
    assert_eq!(r.unplaced_lines, 0);
}

/// No entry holds any of these words (page furniture).
fn no_furniture(c: &ingest::Corpus, words: &[&str]) {
    for e in &c.entries {
        let text = format!("{} {}", e.title, e.body.join(" "));
        for w in words {
            assert!(!text.contains(w), "{w:?} in entry {:?}", e.title);
        }
    }
}

#[test]
fn newest_first_stamp_above_headline_with_dash_bylines() {
    let c = read("01_newest_first_stamp_above.txt");
    check(
        &c,
        &[
            (
                Some("2022-03-04T14:05:00-05:00"),
                "Schools send pupils home early",
                &["Nell Okafor", "Tom Reyes"],
            ),
            (Some("2022-03-04T18:25:00-05:00"), "Sea wall closed to walkers", &["Tom Reyes"]),
            (Some("2022-03-04T21:10:00-05:00"), "Ferries stay in port overnight", &["Nell Okafor"]),
        ],
    );
    no_furniture(&c, &["Skip to main content", "Weather", "storm reaches the coast"]);
    assert_eq!(c.timezone, "America/New_York");
    assert_eq!(c.report.furniture_lines, 7);
}

#[test]
fn oldest_first_24_hour_times_cross_midnight_from_the_page_date() {
    let c = read("02_oldest_first_24h_midnight.txt");
    check(
        &c,
        &[
            (Some("2022-03-04T22:30:00+00:00"), "Parade sets off from the quay", &[]),
            (Some("2022-03-04T23:45:00+00:00"), "Rain holds off for the finale", &[]),
            (Some("2022-03-05T00:20:00+00:00"), "Last lanterns drift out past the lighthouse", &[]),
        ],
    );
    // "All times GMT": the zone of the note.
    assert_eq!(c.timezone, "Europe/London");
    no_furniture(&c, &["Updated", "All times"]);
}

#[test]
fn day_headers_date_the_times_below_them() {
    let c = read("03_day_headers.txt");
    check(
        &c,
        &[
            (Some("2022-03-03T18:00:00"), "Road closures announced", &[]),
            (Some("2022-03-04T09:30:00"), "Runners gather at the start", &[]),
            (Some("2022-03-04T16:15:00"), "Winner crosses the line in record time", &[]),
        ],
    );
    no_furniture(&c, &["Friday", "Thursday", "live coverage"]);
}

#[test]
fn stamp_and_headline_on_one_line_dated_by_the_covers_day() {
    let name = "04_stamp_then_headline_one_line.txt";
    let bytes = std::fs::read(path(name)).unwrap();
    let manifest = Manifest::parse(
        "m.toml",
        &format!("timezone = \"America/New_York\"\n[[capture]]\nfile = \"{name}\"\ncovers = \"2022-03-07\"\n"),
    )
    .unwrap();
    let c = from_captures(vec![(name.to_string(), bytes)], Some(manifest)).unwrap();
    check(
        &c,
        &[
            (Some("2022-03-07T07:05:00-05:00"), "Residents told to stay upstairs", &[]),
            (Some("2022-03-07T07:55:00-05:00"), "River level starts to fall", &[]),
            (Some("2022-03-07T08:40:00-05:00"), "Bridge reopens to traffic", &[]),
        ],
    );
    let bridge = &c.entries[2];
    assert_eq!(bridge.body.len(), 2, "two paragraphs: {:?}", bridge.body);
    no_furniture(&c, &["what we know"]);
    // Without a day from anywhere, the times are read but left undated, with a warning.
    let c = read(name);
    assert_eq!(c.entries.len(), 3);
    assert!(c.entries.iter().all(|e| e.published.is_none()));
    assert!(c.report.warnings.iter().any(|w| w.contains(&format!("{name}:2: a time with no day"))));
}

#[test]
fn headline_then_stamp() {
    let c = read("05_headline_then_stamp.txt");
    check(
        &c,
        &[
            (Some("2022-03-09T17:45:00+00:00"), "Strike notice posted on the pier", &[]),
            (Some("2022-03-10T08:05:00+00:00"), "Passengers queue for the early boat", &[]),
            (Some("2022-03-10T11:20:00+00:00"), "Talks resume at the union hall", &[]),
        ],
    );
    assert_eq!(c.entries[2].body, ["Both sides returned to the table after a two-hour break."]);
    no_furniture(&c, &["strike live"]);
}

#[test]
fn by_and_from_bylines_give_the_authors() {
    let c = read("06_bylines.txt");
    check(
        &c,
        &[
            (Some("2022-03-08T22:15:00-05:00"), "First ward declares", &["Omar Hale", "Ruth Dane"]),
            (Some("2022-03-08T23:50:00-05:00"), "Turnout higher than expected", &["Priya Lang"]),
        ],
    );
    no_furniture(&c, &["By ", "From ", "Local election night"]);
}

#[test]
fn no_timestamps_at_all() {
    let c = read("07_no_timestamps.txt");
    check(
        &c,
        &[
            (None, "Team news confirmed", &["Ben Cole"]),
            (None, "Fans fill the square", &["Ada Moss"]),
        ],
    );
    no_furniture(&c, &["Skip", "Share", "Related", "Copyright", "Cup final diary"]);
    assert_eq!(c.report.precision, [0, 0, 2]);
}

#[test]
fn a_summary_of_bullets_is_reported_not_posted() {
    let name = "08_summary_bullets.txt";
    let c = read(name);
    check(
        &c,
        &[
            (Some("2022-03-15T13:10:00-04:00"), "Hospital switches to generators", &[]),
            (Some("2022-03-15T15:30:00-04:00"), "Lights back on in most streets", &[]),
        ],
    );
    no_furniture(&c, &["Summary", "Thousands of homes", "Engineers say"]);
    assert!(
        c.report.warnings.iter().any(|w| w.contains(&format!("{name}:4-6: a summary of 3 points"))),
        "{:?}",
        c.report.warnings
    );
}

#[test]
fn day_first_numeric_dates_from_the_evidence_in_the_file() {
    let c = read("09_day_first_numeric.txt");
    check(
        &c,
        &[
            (Some("2022-03-12T15:20:00"), "Opening race goes to the youngest crew", &[]),
            (Some("2022-03-13T10:05:00"), "Second day gets under way", &[]),
            (Some("2022-03-13T16:40:00"), "Final race abandoned", &[]),
        ],
    );
}

#[test]
fn a_zone_pair_takes_one_reading() {
    let c = read("10_zone_pair.txt");
    check(
        &c,
        &[
            (Some("2022-03-19T23:30:00+00:00"), "Storm slows the fleet", &[]),
            (Some("2022-03-20T06:45:00+00:00"), "Lead boat passes the halfway mark", &[]),
        ],
    );
    assert!(c.report.warnings.is_empty(), "{:?}", c.report.warnings);
    // In a corpus kept in New York time, the EDT side of the pair is taken.
    let name = "10_zone_pair.txt";
    let bytes = std::fs::read(path(name)).unwrap();
    let m = Manifest::parse(
        "m.toml",
        &format!("timezone = \"America/New_York\"\n[[capture]]\nfile = \"{name}\"\n"),
    )
    .unwrap();
    let c = from_captures(vec![(name.to_string(), bytes)], Some(m)).unwrap();
    let lead = c.entries.iter().find(|e| e.title.starts_with("Lead boat")).unwrap();
    assert_eq!(
        lead.published.map(|p| p.to_rfc3339()).as_deref(),
        Some("2022-03-20T02:45:00-04:00")
    );
}

#[test]
fn time_only_stamps_step_back_a_day_across_midnight_in_a_newest_first_list() {
    let c = read("11_time_only_newest_first_midnight.txt");
    check(
        &c,
        &[
            (Some("2022-03-25T23:30:00"), "First launch", &[]),
            (Some("2022-03-26T00:05:00"), "Second call of the night", &[]),
            (Some("2022-03-26T01:40:00"), "Crew stand down", &[]),
        ],
    );
}

#[test]
fn an_odd_time_is_a_warning_with_file_and_line() {
    let name = "12_odd_time.txt";
    let c = read(name);
    check(
        &c,
        &[
            (Some("2022-03-22T09:00:00-04:00"), "Lane closures begin", &[]),
            (Some("2022-03-22T10:00:00-04:00"), "Work starts on the north span", &[]),
        ],
    );
    let w: Vec<&String> = c.report.warnings.iter().filter(|w| w.contains("25:70")).collect();
    assert_eq!(w.len(), 1, "{:?}", c.report.warnings);
    assert!(w[0].contains(&format!("{name}:9: ")), "{}", w[0]);
    // The line stays in its post's text.
    assert!(c.entries[1].body.iter().any(|p| p.contains("25:70")));
}

#[test]
fn lead_ins_and_furniture_right_below_the_last_post() {
    let c = read("13_lead_ins_and_a_tail.txt");
    check(
        &c,
        &[
            (Some("2022-04-02T11:35:00-04:00"), "Fire brigade called to the old museum", &[]),
            (Some("2022-04-02T16:10:00-04:00"), "Collection moved to safety", &[]),
        ],
    );
    assert_eq!(
        c.entries[0].body,
        ["Smoke was seen coming from the roof of the museum just before eleven."]
    );
    no_furniture(&c, &["Skip", "Menu", "latest", "Share", "Advertisement", "©"]);
    assert_eq!(c.report.furniture_lines, 8);
}

#[test]
fn headlines_over_bylines_start_posts_and_the_page_stamp_is_no_post() {
    let name = "14_bylined_headlines_page_stamp.txt";
    let c = read(name);
    check(
        &c,
        &[
            (None, "Mayor praises volunteers", &["Ann Ho"]),
            (None, "Trains resume on the coast line", &["Sam Lee"]),
        ],
    );
    assert_eq!(c.entries[1].body.len(), 2, "{:?}", c.entries[1].body);
    no_furniture(
        &c,
        &["Link Copied", "Ad Feedback", "Updated", "covering", "landfall", "moved here"],
    );
    assert!(
        c.report
            .warnings
            .iter()
            .any(|w| w.contains(&format!("{name}:12-13: a summary of 2 points"))),
        "{:?}",
        c.report.warnings
    );
}

#[test]
fn an_ambiguous_numeric_date_is_read_by_the_locale() {
    // "3/4/22" is 3 April in Britain and 4 March in the United States; the
    // capture has no date that tells, so the manifest's locale does.
    let name = "15_ambiguous_numeric.txt";
    let bytes = std::fs::read(path(name)).unwrap();
    let with_locale = |locale: &str| {
        let m = Manifest::parse(
            "m.toml",
            &format!(
                "timezone = \"Europe/London\"\nlocale = \"{locale}\"\n[[capture]]\nfile = \"{name}\"\n"
            ),
        )
        .unwrap();
        from_captures(vec![(name.to_string(), bytes.clone())], Some(m)).unwrap()
    };
    let titles = ["Runners set off in light rain", "Winner crosses the line in record time"];
    for (locale, day) in [("en-GB", "2022-04-03"), ("de", "2022-04-03"), ("en-US", "2022-03-04")] {
        let c = with_locale(locale);
        let offset = if day == "2022-04-03" { "+01:00" } else { "+00:00" };
        let want = [format!("{day}T09:15:00{offset}"), format!("{day}T11:30:00{offset}")];
        check(&c, &[(Some(&want[0]), titles[0], &[]), (Some(&want[1]), titles[1], &[])]);
    }
    // A [[source]]'s own locale is taken over the manifest's.
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.toml");
    std::fs::write(
        &manifest,
        format!(
            "timezone = \"Europe/London\"\nlocale = \"en-US\"\n[[source]]\nfile = {:?}\nformat = \"text\"\nlocale = \"fr\"\n",
            path(name).display().to_string()
        ),
    )
    .unwrap();
    let c = ingest::from_manifest(&manifest).unwrap();
    let dates: Vec<String> =
        c.entries.iter().filter_map(|e| e.published.map(|p| p.to_rfc3339())).collect();
    assert_eq!(dates, ["2022-04-03T09:15:00+01:00", "2022-04-03T11:30:00+01:00"]);
    // A locale that is no language tag is refused with its line.
    let e = Manifest::parse("m.toml", "locale = \"3/4\"\n[[capture]]\nfile = \"a\"\n").unwrap_err();
    assert!(e.to_string().starts_with("m.toml:1: locale = \"3/4\" is not a locale"), "{e}");
}

#[test]
fn times_with_no_zone_anywhere_keep_their_zone_unknown() {
    // No manifest, no zone printed, no "All times" note: the minute is as
    // printed, with no offset, and the basis says the zone is unknown.
    let c = read("16_no_zone_day_header.txt");
    check(
        &c,
        &[
            (Some("2022-03-04T07:46:00"), "Gates open to the first visitors", &[]),
            (Some("2022-03-04T09:20:00"), "Judges reach the last tent", &[]),
        ],
    );
    assert_eq!(c.timezone, "", "no zone is named");
    for e in &c.entries {
        let p = e.published.unwrap();
        assert_eq!(p.precision(), dateline::model::date::Precision::Minute);
        assert!(!p.zone_known());
        assert!(e.date_basis.contains("time zone unknown"), "{}", e.date_basis);
    }
    // The same capture with a zone in the manifest is read in that zone.
    let name = "16_no_zone_day_header.txt";
    let m = Manifest::parse(
        "m.toml",
        &format!("timezone = \"Europe/Dublin\"\n[[capture]]\nfile = \"{name}\"\n"),
    )
    .unwrap();
    let c = from_captures(vec![(name.to_string(), std::fs::read(path(name)).unwrap())], Some(m))
        .unwrap();
    assert_eq!(c.entries[0].published.unwrap().to_rfc3339(), "2022-03-04T07:46:00+00:00");
    assert!(!c.entries[0].date_basis.contains("unknown"), "{}", c.entries[0].date_basis);
}
