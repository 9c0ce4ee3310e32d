//! The smaller sections, each from the entries or the dictionary: the
//! prefix table, dates and days, the author and file string tables, meta.

use std::collections::{BTreeMap, HashMap};

use super::{fst_err, invalid, Meta};
use crate::index::error::IndexError;
use crate::index::format::{
    put_str, put_varint, FIELDS, NO_DAY, NO_MINUTE, PREFIX_MAX_CHARS, PREFIX_TOP_N,
};
use crate::model::entry::Entry;

/// The `prefix_terms` fst and the `prefix_lists` section: for each prefix
/// of 1..=PREFIX_MAX_CHARS characters that more than PREFIX_TOP_N longer
/// terms share, its top terms by df. `order` lists the term numbers in
/// ordinal order, `dfs` the document frequency of each ordinal.
pub(super) fn prefix_table(
    terms: &[String],
    order: &[u32],
    dfs: &[u32],
) -> Result<(Vec<u8>, Vec<u8>), IndexError> {
    let sorted_terms: Vec<&str> = order.iter().map(|&t| terms[t as usize].as_str()).collect();
    let mut prefix_rows: Vec<(&str, Vec<u32>)> = Vec::new();
    for len in 1..=PREFIX_MAX_CHARS {
        let mut cur: Option<&str> = None;
        let mut members: Vec<(u32, u32)> = Vec::new(); // (df, ord)
        for (ord, t) in sorted_terms.iter().enumerate() {
            let end = match t.char_indices().nth(len) {
                Some((e, _)) => e, // the term is longer than the prefix
                None => continue,
            };
            let p = &t[..end];
            if cur != Some(p) {
                flush_prefix(&mut prefix_rows, cur, &mut members);
                cur = Some(p);
            }
            members.push((dfs[ord], ord as u32));
        }
        flush_prefix(&mut prefix_rows, cur, &mut members);
    }
    prefix_rows.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut pfx_b = fst::MapBuilder::memory();
    let mut prefix_lists = Vec::new();
    for (p, ords) in &prefix_rows {
        pfx_b.insert(p.as_bytes(), prefix_lists.len() as u64).map_err(fst_err)?;
        put_varint(&mut prefix_lists, ords.len() as u64);
        for &o in ords {
            put_varint(&mut prefix_lists, o as u64);
        }
    }
    let prefix_fst = pfx_b.into_inner().map_err(fst_err)?;
    Ok((prefix_fst, prefix_lists))
}

fn flush_prefix<'t>(
    rows: &mut Vec<(&'t str, Vec<u32>)>,
    cur: Option<&'t str>,
    members: &mut Vec<(u32, u32)>,
) {
    if let Some(p) = cur {
        if members.len() > PREFIX_TOP_N {
            members.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            rows.push((p, members.iter().take(PREFIX_TOP_N).map(|m| m.1).collect()));
        }
    }
    members.clear();
}

/// The `dates` section (8 bytes per entry) and the `days` table.
pub(super) fn dates(entries: &[Entry], n_dated: u32) -> Result<(Vec<u8>, Vec<u8>), IndexError> {
    let n = entries.len();
    let mut dates = Vec::with_capacity(n * 8);
    let mut days: Vec<(i32, u32)> = Vec::new();
    for e in entries {
        let (day, minute, offset) = match e.published {
            Some(p) => (p.day, p.minute.unwrap_or(NO_MINUTE), p.offset),
            None => (NO_DAY, NO_MINUTE, 0),
        };
        if let Some(m) = p_minute_check(minute) {
            return Err(invalid(format!("entry {} has minute {m} (must be below 1440)", e.id)));
        }
        dates.extend_from_slice(&day.to_le_bytes());
        dates.extend_from_slice(&minute.to_le_bytes());
        dates.extend_from_slice(&offset.to_le_bytes());
        if day != NO_DAY && days.last().map(|d| d.0) != Some(day) {
            days.push((day, e.id));
        }
    }
    let mut days_sec = Vec::with_capacity(8 + days.len() * 8);
    days_sec.extend_from_slice(&(days.len() as u32).to_le_bytes());
    for (d, first) in &days {
        days_sec.extend_from_slice(&d.to_le_bytes());
        days_sec.extend_from_slice(&first.to_le_bytes());
    }
    days_sec.extend_from_slice(&n_dated.to_le_bytes());
    Ok((dates, days_sec))
}

fn p_minute_check(minute: u16) -> Option<u16> {
    (minute != NO_MINUTE && minute >= 1440).then_some(minute)
}

/// The string tables and what records need to refer to their rows.
pub(super) struct Strings<'a> {
    /// The `authors` section.
    pub authors_sec: Vec<u8>,
    /// The `author_lists` section.
    pub author_lists: Vec<u8>,
    /// The `files` section.
    pub files_sec: Vec<u8>,
    /// Each author's row.
    pub author_ids: HashMap<&'a str, u64>,
    /// Each source file's row.
    pub files: BTreeMap<&'a str, u32>,
}

/// The author and source-file tables of `entries`, sorted by name.
pub(super) fn strings(entries: &[Entry]) -> Strings<'_> {
    let mut authors: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut files: BTreeMap<&str, u32> = BTreeMap::new();
    for e in entries {
        for a in &e.authors {
            let list = authors.entry(a.as_str()).or_default();
            if list.last() != Some(&e.id) {
                list.push(e.id);
            }
        }
        for s in &e.sources {
            files.insert(s.file.as_str(), 0);
        }
    }
    let mut authors_sec = Vec::new();
    let mut author_lists = Vec::new();
    put_varint(&mut authors_sec, authors.len() as u64);
    let mut author_ids: HashMap<&str, u64> = HashMap::new();
    for (i, (name, list)) in authors.iter().enumerate() {
        author_ids.insert(name, i as u64);
        put_str(&mut authors_sec, name);
        put_varint(&mut authors_sec, list.len() as u64);
        let start = author_lists.len();
        let mut prev = 0;
        for &id in list {
            put_varint(&mut author_lists, (id - prev) as u64);
            prev = id;
        }
        put_varint(&mut authors_sec, (author_lists.len() - start) as u64);
    }
    drop(authors);
    let mut files_sec = Vec::new();
    put_varint(&mut files_sec, files.len() as u64);
    for (i, (name, id)) in files.iter_mut().enumerate() {
        *id = i as u32;
        put_str(&mut files_sec, name);
    }
    Strings { authors_sec, author_lists, files_sec, author_ids, files }
}

/// The `meta` section.
pub(super) fn meta_section(counts: [u32; 4], field_totals: [u64; FIELDS], meta: &Meta) -> Vec<u8> {
    let [n, n_dated, n_terms, entry_block] = counts;
    let mut meta_sec = Vec::new();
    put_varint(&mut meta_sec, n as u64);
    put_varint(&mut meta_sec, n_dated as u64);
    put_varint(&mut meta_sec, n_terms as u64);
    put_varint(&mut meta_sec, entry_block as u64);
    for t in field_totals {
        put_varint(&mut meta_sec, t);
    }
    match &meta.title {
        Some(t) => {
            meta_sec.push(1);
            put_str(&mut meta_sec, t);
        }
        None => meta_sec.push(0),
    }
    put_str(&mut meta_sec, &meta.timezone);
    meta_sec
}
