//! Dates: printed timestamps resolved in the corpus's time zone, and days
//! inferred where nothing was printed.
//!
//! A printed timestamp is exact (precision `minute`). Otherwise a post's day
//! is inferred, in this order of preference:
//!
//! 1. the same post printed with a timestamp in another capture (dedup
//!    merged them, so the entry simply has a timestamp);
//! 2. the capture's newest-first order: a post between a newer and an older
//!    dated post of the same day is of that day (the manifest's `covers` day
//!    bounds the newest end of a capture);
//! 3. a weekday word in the text ("on Wednesday"), resolved to the last such
//!    day on or before the capture's `covers` day, and only if the order
//!    allows it (a post can't be older than an older post).
//!
//! Each inference records its basis in words. What cannot be inferred stays
//! `unknown`.

use chrono::{Datelike, Offset, TimeZone, Timelike};
use chrono_tz::Tz;

use super::post::Stamp;
use crate::model::date::{days_from_civil, format_day, weekday, Published};

/// UTC offsets (minutes) of time-zone labels printed after timestamps.
pub(crate) fn label_offset(label: &str) -> Option<i32> {
    Some(match label {
        "UTC" | "GMT" | "Z" => 0,
        "BST" | "CET" => 60,
        "CEST" | "EET" => 120,
        "EEST" | "MSK" => 180,
        "EST" | "CDT" => -300,
        "EDT" => -240,
        "CST" | "MDT" => -360,
        "MST" | "PDT" => -420,
        "PST" => -480,
        _ => return None,
    })
}

/// The zone a label most likely names, for corpora without a manifest.
pub(crate) fn zone_of_label(label: &str) -> Option<Tz> {
    Some(match label {
        "EST" | "EDT" | "ET" => chrono_tz::America::New_York,
        "CST" | "CDT" | "CT" => chrono_tz::America::Chicago,
        "MST" | "MDT" | "MT" => chrono_tz::America::Denver,
        "PST" | "PDT" | "PT" => chrono_tz::America::Los_Angeles,
        "GMT" | "BST" => chrono_tz::Europe::London,
        "CET" | "CEST" => chrono_tz::Europe::Paris,
        "EET" | "EEST" => chrono_tz::Europe::Athens,
        "UTC" | "Z" => chrono_tz::UTC,
        "MSK" => chrono_tz::Europe::Moscow,
        _ => return None,
    })
}

/// Resolves a printed timestamp in `tz`. DST gaps and overlaps are settled by
/// the printed label where there is one; a warning says what was assumed,
/// and where (`at`, written only into a warning). Without a zone, the
/// printed label's offset is taken, else the time's zone stays unknown
/// ([`Published::ZONE_UNKNOWN`]).
pub(crate) fn resolve(
    stamp: &Stamp,
    tz: Option<Tz>,
    at: &dyn std::fmt::Display,
) -> (Published, Option<String>) {
    let want = stamp.label.as_deref().and_then(label_offset);
    let Some(tz) = tz else {
        let offset = want.map_or(Published::ZONE_UNKNOWN, |w| w as i16);
        return (local_published(stamp, offset), None);
    };
    let mut warning = None;
    let offset = match tz.from_local_datetime(&stamp.local) {
        chrono::LocalResult::Single(dt) => {
            let got = dt.offset().fix().local_minus_utc() / 60;
            if let (Some(w), Some(l)) = (want, &stamp.label) {
                if w != got {
                    warning = Some(format!(
                        "{at}: printed {l} but {tz} is at UTC{got:+} minutes then; kept the zone's offset"
                    ));
                }
            }
            got
        }
        chrono::LocalResult::Ambiguous(a, b) => {
            let (oa, ob) =
                (a.offset().fix().local_minus_utc() / 60, b.offset().fix().local_minus_utc() / 60);
            match want {
                Some(w) if w == oa || w == ob => w,
                _ => {
                    warning = Some(format!(
                        "{at}: {} is ambiguous in {tz} (DST ends); took the earlier",
                        stamp.local
                    ));
                    oa
                }
            }
        }
        chrono::LocalResult::None => {
            let w = want.unwrap_or_else(|| {
                let before = stamp.local - chrono::Duration::hours(3);
                tz.from_local_datetime(&before)
                    .earliest()
                    .map_or(0, |d| d.offset().fix().local_minus_utc() / 60)
            });
            warning = Some(format!(
                "{at}: {} does not exist in {tz} (DST starts); kept UTC{w:+} minutes",
                stamp.local
            ));
            w
        }
    };
    (local_published(stamp, offset as i16), warning)
}

/// The stamp's local day and minute, at `offset`.
fn local_published(stamp: &Stamp, offset: i16) -> Published {
    published_at(stamp.local, offset)
}

/// A local date and time (to the minute) at `offset`.
pub(crate) fn published_at(local: chrono::NaiveDateTime, offset: i16) -> Published {
    Published {
        day: days_from_civil(local.year(), local.month(), local.day()),
        minute: Some((local.hour() * 60 + local.minute()) as u16),
        offset,
    }
}

const WEEKDAYS: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Weekday words of a text (0 = Monday), skipping ones that look ahead ("next Friday").
pub(crate) fn weekday_words(text: &str) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    let mut prev = String::new();
    for t in crate::text::terms(text) {
        if let Some(i) = WEEKDAYS.iter().position(|w| *w == t) {
            if !matches!(prev.as_str(), "next" | "until" | "by" | "coming" | "starting" | "from") {
                out.push((i, WEEKDAYS[i]));
            }
        }
        prev = t;
    }
    out
}

/// The last day on or before `anchor` that falls on weekday `wd`.
pub(crate) fn last_weekday(anchor: i32, wd: usize) -> i32 {
    anchor - ((weekday(anchor) as i32 - wd as i32).rem_euclid(7))
}

/// Picks the day that weekday words point to within `[lower, upper]`: the
/// most often named, then the latest. Returns the day and the word.
pub(crate) fn weekday_day(
    words: &[(usize, &'static str)],
    anchor: i32,
    lower: Option<i32>,
    upper: Option<i32>,
) -> Option<(i32, &'static str)> {
    let mut best: Option<(usize, i32, &'static str)> = None;
    for &(wd, word) in words {
        let day = last_weekday(anchor, wd);
        if lower.is_some_and(|l| day < l) || upper.is_some_and(|u| day > u) {
            continue;
        }
        let n = words.iter().filter(|w| w.0 == wd).count();
        if best.is_none_or(|(bn, bd, _)| (n, day) > (bn, bd)) {
            best = Some((n, day, word));
        }
    }
    best.map(|(_, d, w)| (d, w))
}

/// A capitalised weekday for a basis text.
pub(crate) fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Describes a day for a basis text.
pub(crate) fn day_text(day: i32) -> String {
    format_day(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::post::parse_timestamp;
    use crate::model::date::parse_day;

    fn at(s: &str) -> (Published, Option<String>) {
        resolve(&parse_timestamp(s).unwrap(), Some(chrono_tz::America::New_York), &"f:1")
    }

    #[test]
    fn est_and_edt() {
        let (p, w) = at("Mar 04, 2022, 7:46 AM EST");
        assert_eq!((p.to_rfc3339(), w), ("2022-03-04T07:46:00-05:00".to_string(), None));
        let (p, w) = at("Mar 14, 2022, 7:46 AM EDT");
        assert_eq!((p.to_rfc3339(), w), ("2022-03-14T07:46:00-04:00".to_string(), None));
    }

    #[test]
    fn dst_edges() {
        // 2:30 AM on 2022-03-13 does not exist in New York.
        let (p, w) = at("Mar 13, 2022, 2:30 AM EST");
        assert_eq!(p.offset, -300);
        assert!(w.unwrap().contains("does not exist"));
        // 1:30 AM on 2022-11-06 happens twice; the label settles it.
        let (p, w) = at("Nov 06, 2022, 1:30 AM EST");
        assert_eq!((p.offset, w), (-300, None));
        let (p, _) = at("Nov 06, 2022, 1:30 AM EDT");
        assert_eq!(p.offset, -240);
        // A wrong label is reported, the zone wins.
        let (p, w) = at("Jul 04, 2022, 1:30 PM EST");
        assert_eq!(p.offset, -240);
        assert!(w.is_some());
    }

    #[test]
    fn weekdays_resolve_backwards_from_the_anchor() {
        let wed = parse_day("2022-03-02").unwrap();
        assert_eq!(format_day(last_weekday(wed, 2)), "2022-03-02");
        assert_eq!(format_day(last_weekday(wed, 1)), "2022-03-01");
        assert_eq!(format_day(last_weekday(wed, 3)), "2022-02-24");
        let words =
            weekday_words("Officials said Tuesday’s talks, on Wednesday, will resume next Friday.");
        assert_eq!(words.iter().map(|w| w.1).collect::<Vec<_>>(), ["tuesday", "wednesday"]);
        let (d, w) = weekday_day(&words, wed, None, None).unwrap();
        assert_eq!((format_day(d).as_str(), w), ("2022-03-02", "wednesday"));
        // Out of the bounds that the order gives: rejected.
        assert!(weekday_day(&weekday_words("starting on Thursday"), wed, Some(wed), None).is_none());
    }
}
