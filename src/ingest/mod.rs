//! Ingestion: raw captures of a live blog → dated, deduplicated entries.
//!
//! ```text
//! bytes ─read─▶ lines ─furniture─▶ body ─post─▶ posts ─dedup─▶ groups ─dating─▶ entries
//! ```
//!
//! * [`read`](self) checks the bytes are text and splits lines.
//! * `furniture` learns the page around the posts from all captures.
//! * `post` finds where posts start and end (timestamps, bylines, double
//!   blank lines) and parses each: headline or derived title, paragraphs,
//!   photo captions with credits, authors.
//! * posts that are the same across captures (same text, typeset
//!   differently) are merged, keeping the richest version and every source.
//! * `dating` resolves printed timestamps and infers days for the rest.
//!
//! Nothing is lost silently: every line of every capture is counted in a
//! post, in furniture, or as unplaced (with its place), and
//! `post_lines + furniture_lines + unplaced_lines == lines_read` holds for
//! every input.

mod dating;
mod error;
mod furniture;
mod manifest;
mod post;
mod read;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Serialize;

pub use error::IngestError;
pub use manifest::{CaptureInfo, Manifest};

use crate::date::{format_day, Precision, Published};
use crate::entry::{Entry, Source};
use post::Post;

/// The result of ingestion: entries in publication order and a report.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The live blog's title (from the manifest).
    pub title: Option<String>,
    /// The IANA time zone that dates are given in.
    pub timezone: String,
    /// Entries, ids `0..n` in publication order, oldest first, undated last.
    pub entries: Vec<Entry>,
    /// What was read and where it went.
    pub report: Report,
}

/// What ingestion read and where every line went.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Captures read.
    pub captures: usize,
    /// Lines read, over all captures.
    pub lines_read: u64,
    /// Posts found, counting each capture's copy.
    pub posts_seen: usize,
    /// Distinct entries.
    pub entries: usize,
    /// Copies merged into an entry seen elsewhere (`posts_seen - entries`).
    pub duplicates_merged: usize,
    /// Lines inside posts (blank lines between paragraphs included).
    pub post_lines: u64,
    /// Lines of page furniture.
    pub furniture_lines: u64,
    /// Lines in no post and no furniture.
    pub unplaced_lines: u64,
    /// Where the unplaced lines are.
    pub unplaced: Vec<Source>,
    /// Entries by date precision: minute, day, unknown.
    pub precision: [usize; 3],
    /// Things assumed along the way (DST, mislabelled zones), with their place.
    pub warnings: Vec<String>,
}

/// Ingests the captures that a manifest lists (paths relative to it).
pub fn from_manifest(path: &Path) -> Result<Corpus, IngestError> {
    let name = path.display().to_string();
    let text = std::fs::read(path).map_err(|source| IngestError::Io { path: path.into(), source })?;
    let text = String::from_utf8(text).map_err(|e| IngestError::Manifest {
        file: name.clone(),
        line: Some(e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u32 + 1),
        message: "not valid UTF-8".into(),
    })?;
    let manifest = Manifest::parse(&name, &text)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut paths = Vec::with_capacity(manifest.captures.len());
    for c in &manifest.captures {
        let p = dir.join(&c.file);
        if !p.is_file() {
            return Err(IngestError::MissingCapture { manifest: name, line: c.line, capture: p });
        }
        paths.push(p);
    }
    let names = manifest.captures.iter().map(|c| c.file.clone()).collect();
    ingest(names, |i| read_file(&paths[i]), Some(manifest))
}

/// Ingests capture files without a manifest: no `covers` days, so only
/// printed timestamps and the order between them date the posts.
pub fn from_files(paths: &[PathBuf]) -> Result<Corpus, IngestError> {
    let names = paths.iter().map(|p| p.display().to_string()).collect();
    ingest(names, |i| read_file(&paths[i]), None)
}

/// Ingests captures given as `(name, bytes)`, with an optional manifest
/// (matched to captures by file name).
pub fn from_captures(captures: Vec<(String, Vec<u8>)>, manifest: Option<Manifest>) -> Result<Corpus, IngestError> {
    let names = captures.iter().map(|c| c.0.clone()).collect();
    ingest(names, |i| Ok(captures[i].1.clone()), manifest)
}

fn read_file(p: &Path) -> Result<Vec<u8>, IngestError> {
    std::fs::read(p).map_err(|source| IngestError::Io { path: p.into(), source })
}

/// One post as found in one capture.
struct Occurrence {
    capture: usize,
    post: Post,
    source: Source,
    published: Option<Published>,
}

/// Ingests captures named `names`, whose bytes `load(i)` gives. Captures are
/// read twice, one at a time (once to learn the furniture at their edges,
/// once for their posts), so memory holds the posts, not the pages.
pub fn ingest(
    names: Vec<String>,
    load: impl Fn(usize) -> Result<Vec<u8>, IngestError>,
    manifest: Option<Manifest>,
) -> Result<Corpus, IngestError> {
    if names.is_empty() {
        return Err(IngestError::NoCaptures);
    }
    let manifest = manifest.unwrap_or_default();
    let mut report = Report { captures: names.len(), ..Report::default() };
    let lines_of = |c: usize| -> Result<Vec<String>, IngestError> { read::lines(&names[c], &load(c)?) };
    let mut edges_in = Vec::with_capacity(names.len());
    for c in 0..names.len() {
        edges_in.push(furniture::EdgeLines::of(&lines_of(c)?));
    }
    let covers: Vec<Option<i32>> = names
        .iter()
        .map(|n| manifest.captures.iter().find(|c| &c.file == n).and_then(|c| c.covers))
        .collect();
    let edges = furniture::learn(&edges_in);
    let orgs = organisations(&edges_in, manifest.publisher.as_deref());
    let tz = zone(&manifest, &edges_in);
    drop(edges_in);

    // Split every capture into posts.
    let mut occ: Vec<Occurrence> = Vec::new();
    let mut per_capture: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for c in 0..names.len() {
        let lines = lines_of(c)?;
        report.lines_read += lines.len() as u64;
        let e = edges[c];
        report.furniture_lines += (e.header + lines.len() - e.trailer) as u64;
        for (start, end) in chunks(&lines, e.header, e.trailer) {
            let first = start as u32 + 1;
            let parsed = post::parse(&lines[start..end], first, &orgs);
            let (lo, hi) = content_range(&lines, start, end);
            let source = Source { file: names[c].clone(), lines: [lo as u32 + 1, hi as u32 + 1] };
            match parsed {
                Some(p) => {
                    report.post_lines += (end - start) as u64;
                    let published = p.stamp.as_ref().map(|(s, line)| {
                        let (p, w) = dating::resolve(s, tz, &format!("{}:{line}", names[c]));
                        report.warnings.extend(w);
                        p
                    });
                    per_capture[c].push(occ.len());
                    occ.push(Occurrence { capture: c, post: p, source, published });
                }
                None => {
                    report.unplaced_lines += (end - start) as u64;
                    report.unplaced.push(source);
                }
            }
        }
        if per_capture[c].is_empty() {
            return Err(IngestError::NoPosts { file: names[c].clone(), lines: lines.len() as u32 });
        }
        // Captures are newest first; one whose printed times rise is oldest first.
        let stamps: Vec<Published> = per_capture[c].iter().filter_map(|&o| occ[o].published).collect();
        let rising = stamps.windows(2).filter(|w| w[1] > w[0]).count();
        let falling = stamps.windows(2).filter(|w| w[1] < w[0]).count();
        if rising > falling {
            per_capture[c].reverse();
        }
    }
    report.posts_seen = occ.len();

    let groups = dedup(&occ);
    let mut group_of = vec![0usize; occ.len()];
    for (g, members) in groups.iter().enumerate() {
        for &o in members {
            group_of[o] = g;
        }
    }
    let dates = date_groups(&occ, &groups, &group_of, &per_capture, &names, &covers);
    let entries = merge(occ, groups, &group_of, dates, &per_capture);

    report.entries = entries.len();
    report.duplicates_merged = report.posts_seen - entries.len();
    for e in &entries {
        report.precision[2 - e.precision() as usize] += 1;
    }
    Ok(Corpus { title: manifest.title, timezone: tz.name().to_string(), entries, report })
}

/// The organisations whose names start bylines: the manifest's publisher,
/// then every organisation written with a possessive, most frequent first.
fn organisations(edges: &[furniture::EdgeLines], publisher: Option<&str>) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for org in edges.iter().flat_map(|e| &e.orgs) {
        *counts.entry(org.clone()).or_default() += 1;
    }
    let mut orgs: Vec<(String, usize)> = counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    orgs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    publisher.map(str::to_string).into_iter().chain(orgs.into_iter().map(|(o, _)| o)).collect()
}

/// The corpus's time zone: the manifest's, else the one the first printed
/// label names, else UTC.
fn zone(manifest: &Manifest, edges: &[furniture::EdgeLines]) -> Tz {
    if let Some(tz) = manifest.timezone.as_deref().and_then(|t| t.parse().ok()) {
        return tz;
    }
    edges.iter().find_map(|e| e.zone_label.as_deref().and_then(dating::zone_of_label)).unwrap_or(chrono_tz::UTC)
}

/// Splits lines `from..to` into post-sized chunks that cover them exactly: a
/// timestamp starts a chunk, and after a byline or two blank lines the next
/// text starts one.
fn chunks(lines: &[String], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = from;
    let mut has_text = false;
    let mut closed = false;
    let mut blanks = 0;
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        if line.trim().is_empty() {
            blanks += 1;
            if blanks >= 2 {
                closed = true;
            }
            continue;
        }
        blanks = 0;
        let stamp = post::parse_timestamp(line).is_some();
        if has_text && (closed || stamp) {
            out.push((start, i));
            start = i;
        }
        has_text = true;
        closed = post::is_byline(line);
    }
    if start < to {
        out.push((start, to));
    }
    out
}

/// First and last non-blank line of `start..end` (0-based).
fn content_range(lines: &[String], start: usize, end: usize) -> (usize, usize) {
    let lo = (start..end).find(|&i| !lines[i].trim().is_empty()).unwrap_or(start);
    let hi = (start..end).rev().find(|&i| !lines[i].trim().is_empty()).unwrap_or(lo);
    (lo, hi)
}

/// How many leading terms of the body identify a post.
const KEY_TERMS: usize = 24;

/// Groups occurrences that are the same post: the same opening (its first
/// [`KEY_TERMS`] terms, so quotes, dashes, case and line breaks don't count),
/// and nothing that tells them apart: two headlines must agree, and two
/// printed timestamps too.
fn dedup(occ: &[Occurrence]) -> Vec<Vec<usize>> {
    let title_key = |o: &Occurrence| (!o.post.title_derived).then(|| crate::text::key(&o.post.title));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut titles: Vec<Option<String>> = Vec::new();
    let mut by_key: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, o) in occ.iter().enumerate() {
        let p = &o.post;
        let mut terms: Vec<String> = p
            .body
            .iter()
            .chain(p.media.iter().map(|m| &m.caption))
            .flat_map(|t| crate::text::terms(t))
            .take(KEY_TERMS)
            .collect();
        if terms.len() < 6 {
            // Too short to identify a post alone: add the headline.
            terms.extend(crate::text::terms(&p.title));
        }
        // A 64-bit hash of the key: fixed SipHash keys, so builds are deterministic.
        let mut h = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&terms, &mut h);
        let key = std::hash::Hasher::finish(&h);
        let title = title_key(o);
        let candidates = by_key.entry(key).or_default();
        let same = candidates.iter().copied().find(|&g| {
            let first = &occ[groups[g][0]];
            let titles_agree = match (&title, &titles[g]) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            let times_agree = match (o.published, first.published) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            titles_agree && times_agree
        });
        match same {
            Some(g) => {
                groups[g].push(i);
                if titles[g].is_none() {
                    titles[g] = title;
                }
            }
            None => {
                candidates.push(groups.len());
                groups.push(vec![i]);
                titles.push(title);
            }
        }
    }
    groups
}

/// A group's date and its basis.
#[derive(Clone)]
struct Dated {
    published: Published,
    basis: String,
}

fn date_groups(
    occ: &[Occurrence],
    groups: &[Vec<usize>],
    group_of: &[usize],
    per_capture: &[Vec<usize>],
    names: &[String],
    covers: &[Option<i32>],
) -> Vec<Option<Dated>> {
    // 1. Printed timestamps, in any capture: the earliest printing wins.
    let mut dates: Vec<Option<Dated>> = groups
        .iter()
        .map(|m| {
            m.iter().filter_map(|&o| occ[o].published.map(|p| (p, o))).min_by_key(|(p, _)| *p).map(|(p, o)| {
                let line = occ[o].post.stamp.as_ref().map_or(0, |s| s.1);
                Dated { published: p, basis: format!("printed timestamp ({} line {line})", names[occ[o].capture]) }
            })
        })
        .collect();
    // Each capture as a newest-first list of groups.
    let seqs: Vec<Vec<usize>> = per_capture
        .iter()
        .map(|s| {
            let mut v: Vec<usize> = s.iter().map(|&o| group_of[o]).collect();
            v.dedup();
            v
        })
        .collect();
    // Weekday words, read only for the groups that need them.
    let mut words: HashMap<usize, Vec<(usize, &'static str)>> = HashMap::new();
    let title = |dates: &[Option<Dated>], g: usize| {
        let d = dates[g].as_ref().map_or(String::new(), |d| format_day(d.published.day));
        format!("“{}” ({d})", occ[groups[g][0]].post.title)
    };
    // 2 and 3: sweeps over each capture, oldest to newest, until nothing changes.
    let mut weekdays = false;
    loop {
        let mut changed = false;
        for (c, seq) in seqs.iter().enumerate() {
            // The nearest newer dated group of each position, or the covers day.
            let mut upper: Vec<Option<(i32, Option<usize>)>> = Vec::with_capacity(seq.len());
            let mut cur = covers[c].map(|d| (d, None));
            for &g in seq {
                upper.push(cur);
                if let Some(d) = &dates[g] {
                    cur = Some((d.published.day, Some(g)));
                }
            }
            let mut lower: Option<(i32, usize)> = None;
            for (i, &g) in seq.iter().enumerate().rev() {
                if dates[g].is_none() {
                    let offset = occ[groups[g][0]].published.map_or(-300, |p| p.offset);
                    let newer = upper[i];
                    let newer_text = |dates: &[Option<Dated>]| match newer {
                        Some((_, Some(n))) => format!("older than {}", title(dates, n)),
                        Some((d, None)) => format!("within the capture's covers day {}", format_day(d)),
                        None => String::new(),
                    };
                    if let (Some((lo, lg)), Some((hi, _))) = (lower, newer) {
                        if lo == hi {
                            let basis =
                                format!("order in {}: newer than {}, {}", names[c], title(&dates, lg), newer_text(&dates));
                            dates[g] = Some(Dated { published: Published { day: lo, minute: None, offset }, basis });
                            changed = true;
                        }
                    }
                    if dates[g].is_none() && weekdays {
                        if let Some(anchor) = covers[c] {
                            let lo = lower.map(|l| l.0);
                            let hi = newer.map(|u| u.0);
                            let words = words.entry(g).or_insert_with(|| {
                                let p = &occ[groups[g][0]].post;
                                let text = std::iter::once(&p.title).chain(&p.body);
                                text.flat_map(|t| dating::weekday_words(t)).collect()
                            });
                            if let Some((day, word)) = dating::weekday_day(words, anchor, lo, hi) {
                                let basis = format!(
                                    "weekday “{}” in the text: the last {} on or before {}'s covers day {}",
                                    dating::capitalised(word),
                                    dating::capitalised(word),
                                    names[c],
                                    dating::day_text(anchor)
                                );
                                dates[g] = Some(Dated { published: Published { day, minute: None, offset }, basis });
                                changed = true;
                            }
                        }
                    }
                }
                if let Some(d) = &dates[g] {
                    lower = Some((d.published.day, g));
                }
            }
        }
        if changed {
            weekdays = false;
        } else if !weekdays {
            weekdays = true;
        } else {
            break;
        }
    }
    dates
}

/// One entry per group: the richest version, every source, the best date;
/// then ids in publication order.
fn merge(
    occ: Vec<Occurrence>,
    groups: Vec<Vec<usize>>,
    group_of: &[usize],
    mut dates: Vec<Option<Dated>>,
    per_capture: &[Vec<usize>],
) -> Vec<Entry> {
    // Where each occurrence stands: its capture and its rank from the oldest.
    let mut place = vec![(0usize, 0usize); occ.len()];
    for (c, seq) in per_capture.iter().enumerate() {
        for (rank, &o) in seq.iter().rev().enumerate() {
            place[o] = (c, rank);
        }
    }
    // Within a day, an inferred entry goes just after the printed time of the
    // older post next to it in its capture.
    let mut within = vec![-1i32; groups.len()];
    for seq in per_capture {
        let mut last: Option<(i32, i32)> = None; // (day, 2 * minute + 1)
        for &o in seq.iter().rev() {
            let g = group_of[o];
            match dates[g].as_ref().map(|d| d.published) {
                Some(Published { day, minute: Some(m), .. }) => {
                    within[g] = 2 * m as i32;
                    last = Some((day, 2 * m as i32 + 1));
                }
                Some(Published { day, .. }) => match last.filter(|l| l.0 == day) {
                    Some((_, m)) => within[g] = within[g].max(m),
                    None => last = Some((day, -1)),
                },
                None => {}
            }
        }
    }
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| {
        let (c, rank) = place[groups[g][0]];
        match &dates[g] {
            Some(d) => (0, d.published.day, within[g], c, rank),
            None => (1, 0, 0, c, rank),
        }
    });
    let richness = |o: &Occurrence| {
        let p = &o.post;
        let text: usize = p.body.iter().map(String::len).sum::<usize>()
            + p.media.iter().map(|m| m.caption.len() + m.credit.len()).sum::<usize>();
        (!p.title_derived, text, o.published.is_some())
    };
    let mut occ: Vec<Option<Occurrence>> = occ.into_iter().map(Some).collect();
    let mut entries = Vec::with_capacity(groups.len());
    for (id, g) in order.into_iter().enumerate() {
        let mut members: Vec<Occurrence> = groups[g].iter().filter_map(|&o| occ[o].take()).collect();
        members.sort_by_key(|o| (o.capture, o.source.lines));
        let rich = (0..members.len())
            .max_by_key(|&i| (richness(&members[i]), std::cmp::Reverse(i)))
            .unwrap_or(0);
        let authors = if members[rich].post.authors.is_empty() {
            members.iter().map(|o| &o.post.authors).find(|a| !a.is_empty()).cloned().unwrap_or_default()
        } else {
            std::mem::take(&mut members[rich].post.authors)
        };
        let sources = members.iter().map(|o| o.source.clone()).collect();
        let p = members.swap_remove(rich).post;
        let (published, date_basis) = match dates[g].take() {
            Some(d) => (Some(d.published), d.basis),
            None => (None, "unknown: no timestamp, no dated neighbours of one day, no weekday word to anchor".into()),
        };
        entries.push(Entry {
            id: id as u32,
            title: p.title,
            title_derived: p.title_derived,
            published,
            date_basis,
            authors,
            body: p.body,
            media: p.media,
            sources,
        });
    }
    entries
}

impl Corpus {
    /// Counts of entries by precision, for summaries.
    pub fn count(&self, p: Precision) -> usize {
        self.entries.iter().filter(|e| e.precision() == p).count()
    }
}
