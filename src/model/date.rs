//! Civil dates as day numbers, and how a published time is written.
//!
//! The engine (which also runs in the browser) needs only three things of
//! dates: compare days, bucket entries per day or hour, and print
//! `YYYY-MM-DD` / RFC 3339. Time zones are resolved once, at build time, by
//! [`crate::ingest`] (with `chrono-tz`); what reaches the index is already a
//! local day, a local minute and the UTC offset in force then. So this module
//! is plain proleptic-Gregorian arithmetic (H. Hinnant's `days_from_civil`),
//! which keeps `chrono` and its tables out of the wasm build.

use serde::{Deserialize, Serialize};

/// Days since 1970-01-01 of the civil date `y-m-d` (month 1..=12, day 1..=31).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32; // [0, 399]
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe as i32 - 719_468
}

/// The civil date `(year, month, day)` of a day number.
pub fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day of the week of a day number, 0 = Monday … 6 = Sunday.
pub fn weekday(day: i32) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (day + 3).rem_euclid(7) as u32
}

/// Parses `YYYY-MM-DD` into a day number; `None` if it is not a real date.
pub fn parse_day(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y as i32, m) {
        return None;
    }
    Some(days_from_civil(y as i32, m, d))
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Writes a day number as `YYYY-MM-DD`.
pub fn format_day(day: i32) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// How precisely an entry's publication time is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Nothing is known of the date.
    Unknown = 0,
    /// The local day is known (inferred).
    Day = 1,
    /// The publisher printed the time to the minute.
    Minute = 2,
}

impl Precision {
    /// The lowercase name used in JSON and on the page.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Unknown => "unknown",
            Precision::Day => "day",
            Precision::Minute => "minute",
        }
    }

    /// The inverse of `self as u8`.
    pub fn from_u8(v: u8) -> Option<Precision> {
        match v {
            0 => Some(Precision::Unknown),
            1 => Some(Precision::Day),
            2 => Some(Precision::Minute),
            _ => None,
        }
    }
}

/// A publication time in the corpus's time zone.
///
/// When the source gave a local time and no zone at all (an ISO time without
/// offset, and no time zone in the manifest), `offset` is
/// [`Published::ZONE_UNKNOWN`]: the day and minute are as printed, and the
/// time is written without an offset rather than as if it were UTC. The value
/// is stored as any other offset, so it survives the index unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Published {
    /// Local day number (days since 1970-01-01 in the corpus time zone).
    pub day: i32,
    /// Local minute of the day (0..1440), when the precision is `minute`.
    pub minute: Option<u16>,
    /// UTC offset in minutes in force at that time (e.g. -300 for EST).
    pub offset: i16,
}

impl Published {
    /// The `offset` of a local time whose time zone is unknown.
    pub const ZONE_UNKNOWN: i16 = i16::MIN;

    /// Whether the UTC offset (and so the instant) is known.
    pub fn zone_known(&self) -> bool {
        self.offset != Self::ZONE_UNKNOWN
    }

    /// The precision this value carries.
    pub fn precision(&self) -> Precision {
        if self.minute.is_some() {
            Precision::Minute
        } else {
            Precision::Day
        }
    }

    /// RFC 3339 with offset for a known minute, `YYYY-MM-DD` for a day, and
    /// `YYYY-MM-DDTHH:MM:00` (no offset) for a minute whose zone is unknown.
    pub fn to_rfc3339(&self) -> String {
        let day = format_day(self.day);
        match self.minute {
            None => day,
            Some(m) if !self.zone_known() => format!("{day}T{:02}:{:02}:00", m / 60, m % 60),
            Some(m) => {
                let sign = if self.offset < 0 { '-' } else { '+' };
                let off = self.offset.unsigned_abs();
                format!("{day}T{:02}:{:02}:00{sign}{:02}:{:02}", m / 60, m % 60, off / 60, off % 60)
            }
        }
    }

    /// Reads what [`Published::to_rfc3339`] writes: `YYYY-MM-DDTHH:MM:SS±HH:MM`,
    /// the same without an offset (zone unknown), or `YYYY-MM-DD` (a day,
    /// whose offset is not written and reads as 0). `None` for anything else.
    pub fn parse_rfc3339(s: &str) -> Option<Published> {
        let day = parse_day(s.get(..10)?)?;
        let rest = &s[10..];
        if rest.is_empty() {
            return Some(Published { day, minute: None, offset: 0 });
        }
        let two = |t: &str| -> Option<u16> {
            t.bytes().all(|b| b.is_ascii_digit()).then(|| t.parse().ok()).flatten()
        };
        let clock = rest.strip_prefix('T')?;
        let (h, m) = (two(clock.get(..2)?)?, two(clock.get(3..5)?)?);
        if h > 23 || m > 59 || clock.get(2..3)? != ":" || clock.get(5..8)? != ":00" {
            return None;
        }
        let zone = &clock[8..];
        let offset = match zone.as_bytes().first() {
            None => Self::ZONE_UNKNOWN,
            Some(&sign @ (b'+' | b'-')) if zone.len() == 6 && &zone[3..4] == ":" => {
                let off = (two(&zone[1..3])? * 60 + two(&zone[4..6])?) as i16;
                if sign == b'-' {
                    -off
                } else {
                    off
                }
            }
            _ => return None,
        };
        Some(Published { day, minute: Some(h * 60 + m), offset })
    }

    /// Seconds since the Unix epoch (UTC), when the minute and zone are known.
    pub fn unix_seconds(&self) -> Option<i64> {
        if !self.zone_known() {
            return None;
        }
        let m = self.minute? as i64;
        Some(self.day as i64 * 86_400 + m * 60 - self.offset as i64 * 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_over_four_centuries() {
        for z in -146_097..146_097 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2022, 3, 2), 19_053);
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday(days_from_civil(2022, 3, 2)), 2); // Wednesday
        assert_eq!(weekday(days_from_civil(2022, 3, 29)), 1); // Tuesday
    }

    #[test]
    fn parse_and_format_days() {
        assert_eq!(parse_day("2022-03-04").map(format_day).as_deref(), Some("2022-03-04"));
        assert_eq!(parse_day("2022-02-29"), None);
        assert!(parse_day("2024-02-29").is_some());
        assert_eq!(parse_day("2022-3-04"), None);
        assert_eq!(parse_day("２０２２-03-04"), None);
        assert_eq!(parse_day(""), None);
    }

    #[test]
    fn rfc3339() {
        let p =
            Published { day: days_from_civil(2022, 3, 4), minute: Some(7 * 60 + 46), offset: -300 };
        assert_eq!(p.to_rfc3339(), "2022-03-04T07:46:00-05:00");
        assert_eq!(p.unix_seconds(), Some(1_646_397_960));
        let d = Published { day: days_from_civil(2022, 3, 4), minute: None, offset: -300 };
        assert_eq!(d.to_rfc3339(), "2022-03-04");
    }

    #[test]
    fn rfc3339_reads_back_what_it_writes() {
        let day = days_from_civil(2022, 3, 4);
        for (minute, offset) in
            [(Some(7 * 60 + 46), -300), (Some(0), 330), (Some(23 * 60 + 59), 0), (Some(5), -1)]
        {
            let p = Published { day, minute, offset };
            assert_eq!(Published::parse_rfc3339(&p.to_rfc3339()), Some(p));
        }
        let unknown = Published { day, minute: Some(61), offset: Published::ZONE_UNKNOWN };
        assert_eq!(Published::parse_rfc3339(&unknown.to_rfc3339()), Some(unknown));
        let d = Published { day, minute: None, offset: 0 };
        assert_eq!(Published::parse_rfc3339("2022-03-04"), Some(d));
        for bad in [
            "",
            "2022-03-04T",
            "2022-03-04T24:00:00",
            "2022-03-04T07:46",
            "2022-03-04T07:46:00Z",
            "2022-03-04T07:46:00+5:00",
            "2022-03-04T07:46:00-0500",
            "2022-03-04 07:46:00",
            "2022-03-04T0a:46:00",
        ] {
            assert_eq!(Published::parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_unknown_zone_is_written_without_offset() {
        let p = Published {
            day: days_from_civil(2022, 3, 4),
            minute: Some(7 * 60 + 46),
            offset: Published::ZONE_UNKNOWN,
        };
        assert!(!p.zone_known());
        assert_eq!(p.to_rfc3339(), "2022-03-04T07:46:00");
        assert_eq!(p.unix_seconds(), None);
        let d = Published { minute: None, ..p };
        assert_eq!(d.to_rfc3339(), "2022-03-04");
    }
}
