//! The entry: one dated, deduplicated post of a live blog.
//!
//! This is what ingestion produces, what the index stores and what a result
//! card shows. Its JSON form (`dateline entries --json`) is:
//!
//! ```json
//! {"id": 3, "title": "…", "title_derived": false,
//!  "published": "2022-03-04T07:46:00-05:00", "precision": "minute",
//!  "date_basis": "printed timestamp (002_….txt line 21)",
//!  "authors": ["Martha Raddatz"], "body": "para 1\n\npara 2",
//!  "media": [{"caption": "…", "credit": "…"}],
//!  "sources": [{"file": "002_….txt", "lines": [21, 38]}]}
//! ```
//!
//! `published` is RFC 3339 with offset for precision `minute` (without the
//! offset when the time zone is unknown), `YYYY-MM-DD` for `day` and `null`
//! for `unknown`. An entry read from a structured archive (feed, JSON, CSV,
//! HTML) adds `"url"` when the source has one, and each of its sources adds
//! `"item"`: the feed item, JSON record, CSV row or HTML post number (1-based).

use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::date::{Precision, Published};

/// A photo (or other media) caption with its credit line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    /// What the picture shows.
    pub caption: String,
    /// Who took or supplied it (`Aris Messinis/AFP via Getty Images`); may be empty.
    pub credit: String,
}

/// Where an entry was seen: a file and an inclusive 1-based line range, and
/// for a record of a structured archive its number in the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    /// The capture's file name, as the manifest or the command line gave it.
    pub file: String,
    /// First and last line (1-based, inclusive).
    pub lines: [u32; 2],
    /// The record's number in its file (feed item, JSON record, CSV row,
    /// HTML post; 1-based), for structured archives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<u32>,
}

/// One post of the live blog, after deduplication and dating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Position in publication order, oldest first (undated entries last).
    pub id: u32,
    /// The headline, or a title derived from the first sentence.
    pub title: String,
    /// True when the typesetting had no headline and `title` was derived.
    pub title_derived: bool,
    /// When it was published, as precisely as known; `None` for unknown.
    pub published: Option<Published>,
    /// Why `published` is what it is (the timestamp's line, or the inference).
    pub date_basis: String,
    /// Authors from the byline, in order.
    pub authors: Vec<String>,
    /// Body paragraphs (captions and byline are not in here).
    pub body: Vec<String>,
    /// Photo captions and credits, in order.
    pub media: Vec<Media>,
    /// Every capture and line range this entry was read from.
    pub sources: Vec<Source>,
    /// The post's address at its publisher, when a source gave one.
    pub url: Option<String>,
}

impl Entry {
    /// The precision of `published`.
    pub fn precision(&self) -> Precision {
        self.published.map_or(Precision::Unknown, |p| p.precision())
    }

    /// The body paragraphs joined by a blank line.
    pub fn body_text(&self) -> String {
        self.body.join("\n\n")
    }
}

impl Serialize for Entry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Entry", 12)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("title", &self.title)?;
        st.serialize_field("title_derived", &self.title_derived)?;
        st.serialize_field("published", &self.published.map(|p| p.to_rfc3339()))?;
        st.serialize_field("precision", &self.precision())?;
        st.serialize_field("date_basis", &self.date_basis)?;
        st.serialize_field("authors", &self.authors)?;
        st.serialize_field("body", &self.body_text())?;
        st.serialize_field("media", &self.media)?;
        st.serialize_field("sources", &self.sources)?;
        match &self.url {
            Some(url) => st.serialize_field("url", url)?,
            None => st.skip_field("url")?,
        }
        st.end()
    }
}

/// The JSON shape above, read back (`dateline entries --json` output): the
/// body's paragraphs are split at blank lines, and a day's offset, which the
/// JSON does not carry, reads as 0.
impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            id: u32,
            title: String,
            title_derived: bool,
            published: Option<String>,
            date_basis: String,
            authors: Vec<String>,
            body: String,
            media: Vec<Media>,
            sources: Vec<Source>,
            #[serde(default)]
            url: Option<String>,
        }
        let w = Wire::deserialize(d)?;
        let published = match &w.published {
            None => None,
            Some(s) => Some(Published::parse_rfc3339(s).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "entry {}: `published` {s:?} is not RFC 3339",
                    w.id
                ))
            })?),
        };
        let body = match w.body.as_str() {
            "" => Vec::new(),
            b => b.split("\n\n").map(str::to_string).collect(),
        };
        Ok(Entry {
            id: w.id,
            title: w.title,
            title_derived: w.title_derived,
            published,
            date_basis: w.date_basis,
            authors: w.authors,
            body,
            media: w.media,
            sources: w.sources,
            url: w.url,
        })
    }
}

/// The default corpus's entries, as `dateline entries --json --manifest
/// corpus/manifest.toml` wrote them into `tests/data/corpus-entries.json`:
/// the engine's unit tests index real text without depending on `ingest`
/// (an integration test checks the file against what ingest gives today).
#[cfg(test)]
pub(crate) fn corpus_entries() -> Vec<Entry> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/corpus-entries.json");
    let json = std::fs::read_to_string(path).expect("tests/data/corpus-entries.json is committed");
    serde_json::from_str(&json).expect("the committed entries read back")
}
