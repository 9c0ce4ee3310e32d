//! The record every structured reader yields (a feed item, a JSON object, a
//! CSV row, a posting of an HTML page), the dates it carries, and how an
//! object's fields map onto it.
//!
//! Dates are read as RFC 3339, RFC 2822 (`pubDate`, with the zone
//! abbreviations of [`super::dating`]'s table), ISO 8601 without a zone
//! (`2022-03-04T07:46`, `2022-03-04 07:46:00`), a bare day (`2022-03-04`) or
//! Unix seconds. A time without a zone takes the source's or the manifest's
//! time zone; without either, its zone stays unknown
//! ([`Published::ZONE_UNKNOWN`]).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::html;
use crate::model::date::{days_from_civil, Published};
use crate::model::entry::Media;

/// A point in time as a source wrote it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum When {
    /// An instant with its UTC offset.
    Instant(DateTime<FixedOffset>),
    /// A local time without a zone.
    Local(NaiveDateTime),
    /// A day without a time.
    Day(NaiveDate),
}

/// One post as a structured source gave it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    /// Headline, if any (entities decoded, markup dropped).
    pub title: Option<String>,
    /// Paragraphs of plain text.
    pub body: Vec<String>,
    /// Captions found in the body.
    pub media: Vec<Media>,
    /// Authors, in order.
    pub authors: Vec<String>,
    /// Publication time and the field it came from.
    pub published: Option<(When, String)>,
    /// The post's address.
    pub url: Option<String>,
    /// The source's identifier (guid, id).
    pub id: Option<String>,
    /// 1-based line range in the file (as near as the format tells).
    pub lines: [u32; 2],
    /// 1-based number of the record in its file.
    pub item: u32,
}

impl Record {
    /// Whether the record carries any text at all.
    pub fn is_empty(&self) -> bool {
        self.title.as_deref().is_none_or(str::is_empty) && self.body.is_empty()
    }
}

/// Field names for each part of a record, tried in order (case-insensitive).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMap {
    /// The headline.
    pub title: Vec<String>,
    /// The text (plain or HTML).
    pub body: Vec<String>,
    /// Publication time.
    pub published: Vec<String>,
    /// Last modification, used when no publication time is given.
    pub updated: Vec<String>,
    /// Authors: a string, a list, or objects with a `name`.
    pub authors: Vec<String>,
    /// The post's address.
    pub url: Vec<String>,
    /// An identifier (guid).
    pub id: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for FieldMap {
    fn default() -> FieldMap {
        FieldMap {
            title: names(&["title", "headline", "name"]),
            body: names(&[
                "body",
                "text",
                "articleBody",
                "content",
                "content_html",
                "content_text",
                "html",
                "description",
                "summary",
            ]),
            published: names(&[
                "published",
                "datePublished",
                "date",
                "pubDate",
                "created_at",
                "date_published",
                "publishedAt",
                "created",
                "timestamp",
            ]),
            updated: names(&["updated", "dateModified", "updated_at", "date_modified", "modified"]),
            authors: names(&["authors", "author", "byline", "creator", "by"]),
            url: names(&["url", "link", "permalink"]),
            id: names(&["id", "guid", "@id", "uuid"]),
        }
    }
}

/// The value of the first of `keys` present (and not null or empty) in `obj`.
fn field<'a>(obj: &'a Map<String, Value>, keys: &[String]) -> Option<(&'a str, &'a Value)> {
    keys.iter().find_map(|k| {
        obj.iter()
            .find(|(name, v)| name.eq_ignore_ascii_case(k) && !is_blank(v))
            .map(|(n, v)| (n.as_str(), v))
    })
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// A scalar as text (strings as they are, numbers written out).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => ["@value", "href", "url", "@id", "name", "text"]
            .iter()
            .find_map(|k| o.get(*k).and_then(scalar)),
        Value::Array(a) => a.iter().find_map(scalar),
        _ => None,
    }
}

/// Text that may hold markup or entities, as one plain line.
pub(crate) fn plain(s: &str) -> String {
    if s.contains(['<', '&']) {
        html::fragment(s).0.join(" ")
    } else {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Authors in `v`: a string (split at `sep`, or at `;`, `,`, ` and `, ` & `
/// when no separator is given, a leading "By" dropped), a list of strings,
/// or objects with a `name`.
pub(crate) fn authors(v: &Value, sep: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        Value::Array(items) => {
            for i in items {
                out.extend(authors(i, sep));
            }
        }
        Value::Object(o) => {
            if let Some(n) = o.get("name").and_then(scalar) {
                out.push(plain(&n));
            }
        }
        Value::String(s) => out.extend(split_authors(s, sep)),
        _ => {}
    }
    out.retain(|a| !a.is_empty());
    out
}

/// Splits a byline into names.
pub(crate) fn split_authors(s: &str, sep: Option<&str>) -> Vec<String> {
    let s = plain(s);
    let s = s.trim();
    let s = ["By ", "by ", "BY "].iter().find_map(|p| s.strip_prefix(p)).unwrap_or(s);
    let parts: Vec<&str> = match sep {
        Some(sep) if !sep.is_empty() => s.split(sep).collect(),
        _ => s
            .split([';', ','])
            .flat_map(|p| p.split(" and "))
            .flat_map(|p| p.split(" & "))
            .collect(),
    };
    parts.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

/// The paragraphs and captions of a body value: HTML or plain text, or a
/// list of either.
fn body(v: &Value) -> (Vec<String>, Vec<Media>) {
    match v {
        Value::Array(items) => {
            let (mut paras, mut media) = (Vec::new(), Vec::new());
            for i in items {
                let (p, m) = body(i);
                paras.extend(p);
                media.extend(m);
            }
            (paras, media)
        }
        Value::String(s) => html::fragment(s),
        other => match scalar(other) {
            Some(s) => html::fragment(&s),
            None => (Vec::new(), Vec::new()),
        },
    }
}

/// A record from a JSON object (or a CSV row made into one). A date that
/// cannot be read is returned as a complaint beside the record.
pub(crate) fn from_object(
    obj: &Map<String, Value>,
    fields: &FieldMap,
    author_sep: Option<&str>,
) -> (Record, Option<String>) {
    let mut r = Record {
        title: field(obj, &fields.title).and_then(|(_, v)| scalar(v)).map(|t| plain(&t)),
        url: field(obj, &fields.url).and_then(|(_, v)| scalar(v)),
        id: field(obj, &fields.id).and_then(|(_, v)| scalar(v)),
        authors: field(obj, &fields.authors)
            .map(|(_, v)| authors(v, author_sep))
            .unwrap_or_default(),
        ..Record::default()
    };
    if let Some((_, v)) = field(obj, &fields.body) {
        (r.body, r.media) = body(v);
    }
    let mut complaint = None;
    let date = field(obj, &fields.published).or_else(|| field(obj, &fields.updated));
    if let Some((name, v)) = date {
        match date_value(v) {
            Some(w) => r.published = Some((w, name.to_string())),
            None => {
                complaint = Some(format!(
                    "field `{name}` = {} is not a date (RFC 3339, RFC 2822, ISO 8601 or Unix seconds); the record is undated",
                    clip(&v.to_string())
                ))
            }
        }
    }
    (r, complaint)
}

fn clip(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        s.chars().take(59).chain(['…']).collect()
    }
}

fn date_value(v: &Value) -> Option<When> {
    match v {
        Value::Number(n) => {
            let mut secs = n.as_f64()?;
            if secs > 1e11 {
                secs /= 1000.0; // milliseconds
            }
            DateTime::from_timestamp(secs as i64, 0).map(|d| When::Instant(d.fixed_offset()))
        }
        other => parse_when(&scalar(other)?),
    }
}

/// Reads a date as RFC 3339, RFC 2822, ISO 8601 without zone, a day, or
/// Unix seconds.
pub(crate) fn parse_when(s: &str) -> Option<When> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(When::Instant(d));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(When::Instant(d));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(When::Instant(d));
        }
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(When::Local(d));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(When::Day(d));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && (9..=13).contains(&s.len()) {
        return date_value(&Value::Number(s.parse::<u64>().ok()?.into()));
    }
    rfc2822_with_label(s)
}

/// An RFC 2822 date whose zone is an abbreviation chrono does not know
/// (`BST`, `CET`, `MSK`): resolved by the default table of zone labels.
fn rfc2822_with_label(s: &str) -> Option<When> {
    let (rest, label) = s.rsplit_once(' ')?;
    let tz = super::dating::zone_of_label(label)?;
    let rest = rest.trim();
    let rest = rest.split_once(", ").map_or(rest, |(_, r)| r);
    let local = ["%d %b %Y %H:%M:%S", "%d %b %Y %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(rest, f).ok())?;
    let dt = tz.from_local_datetime(&local).earliest()?;
    Some(When::Instant(dt.fixed_offset()))
}

/// A date as a publication time: an instant in `tz` when one is given (in
/// its own offset otherwise); a local time in `tz`, or with its zone
/// unknown; a day.
pub(crate) fn publish(w: When, tz: Option<Tz>) -> Published {
    let local = super::dating::published_at;
    match w {
        When::Instant(d) => match tz {
            Some(tz) => {
                let d = d.with_timezone(&tz);
                local(d.naive_local(), (d.offset().fix().local_minus_utc() / 60) as i16)
            }
            None => local(d.naive_local(), (d.offset().local_minus_utc() / 60) as i16),
        },
        When::Local(d) => match tz.and_then(|tz| tz.from_local_datetime(&d).earliest()) {
            Some(z) => local(d, (z.offset().fix().local_minus_utc() / 60) as i16),
            None => local(d, Published::ZONE_UNKNOWN),
        },
        When::Day(d) => Published {
            day: days_from_civil(d.year(), d.month(), d.day()),
            minute: None,
            offset: Published::ZONE_UNKNOWN,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc(s: &str, tz: Option<Tz>) -> String {
        publish(parse_when(s).unwrap(), tz).to_rfc3339()
    }

    #[test]
    fn dates_in_every_written_form() {
        assert_eq!(rfc("2022-03-04T07:46:00-05:00", None), "2022-03-04T07:46:00-05:00");
        assert_eq!(rfc("Fri, 04 Mar 2022 12:46:00 GMT", None), "2022-03-04T12:46:00+00:00");
        assert_eq!(rfc("Fri, 04 Mar 2022 07:46:00 EST", None), "2022-03-04T07:46:00-05:00");
        assert_eq!(rfc("Mon, 01 Jul 2024 13:46:00 BST", None), "2024-07-01T13:46:00+01:00");
        let ny = Some(chrono_tz::America::New_York);
        assert_eq!(rfc("2022-03-04T12:46:00Z", ny), "2022-03-04T07:46:00-05:00");
        assert_eq!(rfc("2022-03-04T07:46", ny), "2022-03-04T07:46:00-05:00");
        assert_eq!(rfc("2022-03-04 07:46:00", None), "2022-03-04T07:46:00");
        assert_eq!(rfc("2022-03-04", None), "2022-03-04");
        assert_eq!(rfc("1646397960", None), "2022-03-04T12:46:00+00:00");
        assert_eq!(parse_when("last Tuesday"), None);
        assert_eq!(parse_when("Fri, 04 Mar 2022 13:46:00 XYZ"), None);
    }

    #[test]
    fn authors_in_every_shape() {
        let v: Value = serde_json::json!([{"name": "Ana Lima"}, "Ben Okafor"]);
        assert_eq!(authors(&v, None), ["Ana Lima", "Ben Okafor"]);
        let v = Value::String("By Ana Lima and Ben Okafor".into());
        assert_eq!(authors(&v, None), ["Ana Lima", "Ben Okafor"]);
        let v = Value::String("Lima, Ana|Okafor, Ben".into());
        assert_eq!(authors(&v, Some("|")), ["Lima, Ana", "Okafor, Ben"]);
    }
}
