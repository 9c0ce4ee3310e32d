//! Figures about an index, for the explorer's header and `dateline build`.

use serde::Serialize;

use super::Index;
use crate::model::date::format_day;

/// An author and how many entries they wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorCount {
    /// The author's name as printed.
    pub name: String,
    /// Entries with this author in the byline.
    pub count: u32,
}

/// Figures about an index, for the explorer's header and `dateline build`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Entries in all.
    pub entries: u32,
    /// Distinct terms.
    pub terms: u32,
    /// Entries with a known day.
    pub dated: u32,
    /// Entries with an unknown date.
    pub undated: u32,
    /// First day with an entry (`YYYY-MM-DD`), if any is dated.
    pub first_day: Option<String>,
    /// Last day with an entry, if any is dated.
    pub last_day: Option<String>,
    /// The corpus title.
    pub title: Option<String>,
    /// The corpus time zone (IANA name).
    pub timezone: String,
    /// Authors by number of entries, most first (ties by name).
    pub authors: Vec<AuthorCount>,
    /// Size of the index file in bytes.
    pub index_bytes: u64,
}

impl<D: AsRef<[u8]>> Index<D> {
    /// Figures about the index.
    pub fn stats(&self) -> Stats {
        let mut authors: Vec<AuthorCount> = self
            .authors
            .iter()
            .map(|a| AuthorCount { name: a.name.clone(), count: a.count })
            .collect();
        crate::sort::sort_by(&mut authors, |a, b| {
            b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name))
        });
        Stats {
            entries: self.n_entries,
            terms: self.n_terms,
            dated: self.n_dated,
            undated: self.n_entries - self.n_dated,
            first_day: self.days.first().map(|d| format_day(d.0)),
            last_day: self.days.last().map(|d| format_day(d.0)),
            title: self.title.clone(),
            timezone: self.timezone.clone(),
            authors,
            index_bytes: self.data.as_ref().len() as u64,
        }
    }
}
