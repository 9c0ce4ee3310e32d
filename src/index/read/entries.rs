//! Entries: records and result cards, publication dates, day ranges and
//! authors' entry lists.

use std::ops::Range;

use super::tables::parse_files;
use super::{corrupt, Index};
use crate::index::error::IndexError;
use crate::index::format::{get_uint, Cursor, Section, FLAG_ITEMS, FLAG_URL, NO_DAY};
use crate::model::date::Published;
use crate::model::entry::{Entry, Media, Source};

/// An entry as read back from the index. It is the ingested [`Entry`]
/// itself, so it serializes with exactly the same JSON shape.
pub type EntryRecord = Entry;

/// The parts of an entry a result card shows.
pub(crate) struct Card {
    pub title: String,
    pub authors: Vec<String>,
    pub body: String,
}

impl<D: AsRef<[u8]>> Index<D> {
    /// The source-file names (over a sharded index, from its shard).
    fn files(&self) -> Result<&Vec<String>, IndexError> {
        if let Some(f) = self.files.get() {
            return Ok(f);
        }
        let files = parse_files(self.piece(Section::Files, 0)?.1)?;
        Ok(self.files.get_or_init(|| files))
    }

    /// The publication time of entry `id` (`None`: undated, out of range,
    /// or — sharded — its piece is not loaded yet and is now wanted).
    ///
    /// ```text
    /// dates row (8 bytes): day i32 (i32::MIN: unknown) | minute u16 (0xFFFF: day
    ///   precision) | UTC offset minutes i16
    /// ```
    pub fn published(&self, id: u32) -> Option<Published> {
        if id >= self.n_entries {
            return None;
        }
        let at = id as u64 * 8;
        // Over a sharded index, the entries piece of `id` may carry its date.
        let carried = self.shards.as_ref().and_then(|sh| {
            let block = (id / self.entry_block) as usize;
            let at = (id % self.entry_block) as usize * 8;
            sh.block_dates(block as u64).and_then(|d| d.get(at..at + 8))
        });
        let b = match carried {
            Some(b) => b,
            None => self.slice(Section::Dates, at..at + 8).ok()?,
        };
        let day = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let minute = u16::from_le_bytes([b[4], b[5]]);
        let offset = i16::from_le_bytes([b[6], b[7]]);
        if day == NO_DAY {
            return None;
        }
        Some(Published { day, minute: (minute < 1440).then_some(minute), offset })
    }

    /// Ids of the dated entries published from day `from` to day `to`
    /// inclusive (either end open when `None`).
    pub fn id_range(&self, from: Option<i32>, to: Option<i32>) -> Range<u32> {
        let lo = match from {
            None => 0,
            Some(f) => {
                let i = self.days.partition_point(|&(d, _)| d < f);
                self.days.get(i).map_or(self.n_dated, |d| d.1)
            }
        };
        let hi = match to {
            None => self.n_dated,
            Some(t) => {
                let i = self.days.partition_point(|&(d, _)| d <= t);
                self.days.get(i).map_or(self.n_dated, |d| d.1)
            }
        };
        lo..hi.max(lo)
    }

    /// The ids of an author's entries (index into the sorted author table).
    pub(crate) fn author_ids(&self, author: usize) -> Result<Vec<u32>, IndexError> {
        let row = self
            .authors
            .get(author)
            .ok_or_else(|| corrupt(Section::Authors, "author out of range"))?;
        if row.count == 0 {
            return Ok(Vec::new());
        }
        let mut c = Cursor::new(
            self.slice(Section::AuthorLists, row.ids.start as u64..row.ids.end as u64)?,
            Section::AuthorLists,
        );
        let mut out = Vec::with_capacity(row.count as usize);
        let mut prev = 0u32;
        for i in 0..row.count {
            let d = c.varint_u32("author entry id")?;
            let id = prev.checked_add(d).filter(|&v| v < self.n_entries && (i == 0 || d > 0));
            let id = id.ok_or_else(|| c.corrupt("author entry id out of range"))?;
            out.push(id);
            prev = id;
        }
        Ok(out)
    }

    /// Reads a record's author list: a count, then indexes into the author table.
    fn read_authors(&self, c: &mut Cursor<'_>) -> Result<Vec<String>, IndexError> {
        let na = c.count("author count")?;
        let mut authors = Vec::with_capacity(na);
        for _ in 0..na {
            let a = c.varint("author index")?;
            let row = usize::try_from(a).ok().and_then(|a| self.authors.get(a));
            authors.push(row.ok_or_else(|| c.corrupt("author index"))?.name.clone());
        }
        Ok(authors)
    }

    /// The entry with this id; `Ok(None)` if there is none.
    ///
    /// ```text
    /// entry_offsets: u64 per block of `entry_block` entries, then the end.
    /// block:  count × u32 record offset (from the block start) | records
    /// record: flags u8 (bit 0: title_derived, bit 1: has url, bit 2: sources
    ///         carry item numbers; other bits 0) | title str | date_basis str
    ///         | authors: count varint, count × author index varint
    ///         | body: count varint, count × paragraph str
    ///         | media: count varint, count × (caption str | credit str)
    ///         | sources: count varint, count × (file index varint | first line varint
    ///           | last line varint [| item varint, 0: none, n: item n - 1, if bit 2]))
    ///         [| url str, if bit 1]
    /// str = varint byte length + UTF-8. The date comes from `dates`.
    /// ```
    pub fn entry(&self, id: u32) -> Result<Option<EntryRecord>, IndexError> {
        if id >= self.n_entries {
            return Ok(None);
        }
        // Both asked for before either fails, so that one round fetches both.
        let (files, rec) = (self.files(), self.record_bytes(id));
        let (files, rec) = (files?, rec?);
        let mut c = Cursor::new(rec, Section::Entries);
        let flags = c.u8("flags")?;
        if flags >> (FLAG_ITEMS + 1) != 0 {
            return Err(c.corrupt("record flags"));
        }
        let title = c.str("title")?.to_string();
        let date_basis = c.str("date basis")?.to_string();
        let authors = self.read_authors(&mut c)?;
        let nb = c.count("paragraph count")?;
        let mut body = Vec::with_capacity(nb);
        for _ in 0..nb {
            body.push(c.str("paragraph")?.to_string());
        }
        let nm = c.count("media count")?;
        let mut media = Vec::with_capacity(nm);
        for _ in 0..nm {
            let caption = c.str("caption")?.to_string();
            let credit = c.str("credit")?.to_string();
            media.push(Media { caption, credit });
        }
        let ns = c.count("source count")?;
        let mut sources = Vec::with_capacity(ns);
        for _ in 0..ns {
            let f = c.varint("file index")?;
            let file = usize::try_from(f).ok().and_then(|f| files.get(f));
            let file = file.ok_or_else(|| c.corrupt("file index"))?.clone();
            let a = c.varint_u32("line")?;
            let b = c.varint_u32("line")?;
            let item = match flags >> FLAG_ITEMS & 1 {
                0 => None,
                _ => c.varint_u32("item")?.checked_sub(1),
            };
            sources.push(Source { file, lines: [a, b], item });
        }
        let url = match flags >> FLAG_URL & 1 {
            0 => None,
            _ => Some(c.str("url")?.to_string()),
        };
        Ok(Some(Entry {
            id,
            title,
            title_derived: flags & 1 != 0,
            published: self.published(id),
            date_basis,
            authors,
            body,
            media,
            sources,
            url,
        }))
    }

    /// What a result card shows of entry `id`: title, authors and the body
    /// paragraphs joined by a blank line (media and sources are skipped).
    pub(crate) fn card(&self, id: u32) -> Result<Option<Card>, IndexError> {
        if id >= self.n_entries {
            return Ok(None);
        }
        let mut c = Cursor::new(self.record_bytes(id)?, Section::Entries);
        c.u8("flags")?;
        let title = c.str("title")?.to_string();
        c.str("date basis")?;
        let authors = self.read_authors(&mut c)?;
        let nb = c.count("paragraph count")?;
        let mut body = String::new();
        for i in 0..nb {
            if i > 0 {
                body.push_str("\n\n");
            }
            body.push_str(c.str("paragraph")?);
        }
        Ok(Some(Card { title, authors, body }))
    }

    fn record_bytes(&self, id: u32) -> Result<&[u8], IndexError> {
        let bad = |what| corrupt(Section::Entries, what);
        let block = (id / self.entry_block) as usize;
        let in_block = (id % self.entry_block) as usize;
        let blk = if self.shards.is_some() {
            // A sharded `entries` piece is one block, keyed by its number.
            self.piece(Section::Entries, block as u64)?.1
        } else {
            let eo = self.section(Section::EntryOffsets);
            let start = get_uint(eo, block * 8, 8).ok_or_else(|| bad("block offset"))?;
            let end = get_uint(eo, block * 8 + 8, 8).ok_or_else(|| bad("block offset"))?;
            self.slice(Section::Entries, start..end)?
        };
        let count = (self.n_entries as usize - block * self.entry_block as usize)
            .min(self.entry_block as usize);
        let rs = get_uint(blk, in_block * 4, 4).ok_or_else(|| bad("record offset"))? as usize;
        let re = if in_block + 1 < count {
            get_uint(blk, in_block * 4 + 4, 4).ok_or_else(|| bad("record offset"))? as usize
        } else {
            blk.len()
        };
        if rs < count * 4 {
            return Err(bad("record offset inside the offsets table"));
        }
        blk.get(rs..re).ok_or_else(|| bad("record lies outside its block"))
    }
}
