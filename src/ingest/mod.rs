//! Ingestion: raw captures and structured archives of a live blog → dated,
//! deduplicated entries.
//!
//! Inputs are files and directories (walked), or a manifest listing text
//! captures (`[[capture]]`) and structured sources (`[[source]]`). Each
//! file's format is known from its content ([`source::detect`]): plain-text
//! captures take the path below; JSON and JSON Lines ([`json`]), CSV
//! ([`csv`](self)), RSS and Atom feeds ([`feed`]) and HTML pages ([`html`])
//! each yield records ([`record`]) of their own. Both kinds then go through
//! the same finishing stage: dedup across all sources (a feed item and a
//! capture of the same post are one entry, dated by the most precise one),
//! dating, and ids in publication order.
//!
//! ```text
//! bytes ─read─▶ lines ─furniture─▶ body ─post─▶ posts ─dedup─▶ groups ─dating─▶ entries
//! ```
//!
//! * [`read`](self) checks the bytes are text and splits lines.
//! * `furniture` learns the page around the posts from all captures.
//! * `text` reads printed timestamps (one grammar for every publisher) and
//!   each capture's layout: where posts start and end (timestamps, bylines,
//!   double blank lines, day headers), where headlines stand, the days of
//!   time-only stamps, and the furniture at the edges of a lone capture.
//! * `post` parses each post: headline or derived title, paragraphs,
//!   photo captions with credits, authors.
//! * posts that are the same across captures (same text, typeset
//!   differently) are merged, keeping the richest version and every source.
//! * `dating` resolves printed timestamps and infers days for the rest.
//!
//! Nothing is lost silently: every line of every capture is counted in a
//! post, in furniture, or as unplaced (with its place), and
//! `post_lines + furniture_lines + unplaced_lines == lines_read` holds for
//! every input.

mod csv;
mod dating;
mod error;
mod feed;
mod finish;
mod furniture;
mod html;
mod inputs;
mod json;
mod manifest;
mod post;
mod read;
mod record;
mod source;
mod text;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono_tz::Tz;
use serde::Serialize;

pub use error::IngestError;
pub use inputs::{
    from_archive, from_captures, from_files, from_inputs, from_manifest, inputs_of, Input,
};
pub use manifest::{CaptureInfo, Manifest, SourceInfo};
pub use record::FieldMap;
pub use source::{detect, expand, Format, SourceOptions};

use crate::model::date::{Precision, Published};
use crate::model::entry::{Entry, Source};
use finish::{dedup_key, finish};
use post::Post;

/// The result of ingestion: entries in publication order and a report.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The live blog's title (from the manifest).
    pub title: Option<String>,
    /// The IANA time zone that dates are given in; empty when no source
    /// named one (times are then as printed, their zone unknown).
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
    /// Structured files read (feeds, JSON, CSV, HTML).
    pub sources: usize,
    /// Records those files held that were read as posts.
    pub records_read: u64,
    /// Records (or rests of files) that could not be read, with place and reason.
    pub rejected: Vec<String>,
    /// Files in the directories given that are of no format Dateline reads.
    pub skipped_files: Vec<String>,
}

impl Report {
    /// How many things the report flags: rejected records, unplaced lines'
    /// ranges and warnings (what `--strict` refuses).
    pub fn problems(&self) -> usize {
        self.rejected.len() + self.unplaced.len() + self.warnings.len()
    }
}

fn read_file(p: &Path) -> Result<Vec<u8>, IngestError> {
    std::fs::read(p).map_err(|source| IngestError::Io { path: p.into(), source })
}

/// One post as found in one capture.
struct Occurrence {
    capture: usize,
    post: Post,
    /// 1-based line of the printed timestamp (0: none).
    stamp_line: u32,
    source: Source,
    published: Option<Published>,
    /// The hash of the post's opening, under which [`dedup`] looks for twins.
    key: u64,
    /// For a record: the field and place its date was read from.
    label: Option<String>,
    /// The post's address, when the source gave one.
    url: Option<String>,
    /// What names the post across sources: its address, or a guid that
    /// looks like one.
    link: Option<String>,
}

impl Occurrence {
    /// A structured source's record as an occurrence of `capture`.
    fn of_record(r: record::Record, capture: usize, file: &str, tz: Option<Tz>) -> Occurrence {
        let title_derived = r.title.is_none();
        let title = r.title.unwrap_or_else(|| {
            let first = r.body.first().or(r.media.first().map(|m| &m.caption));
            first.map_or(String::new(), |p| post::derive_title(p))
        });
        let post = Post {
            title,
            title_derived,
            stamp: None,
            authors: r.authors,
            body: r.body,
            media: r.media,
        };
        let published = r.published.as_ref().map(|(w, _)| record::publish(*w, tz));
        let label = r.published.map(|(_, field)| format!("{field} of {file} record {}", r.item));
        let link = r.url.clone().or(r.id.filter(|id| id.contains([':', '/'])));
        Occurrence {
            capture,
            key: dedup_key(&post),
            post,
            stamp_line: r.lines[0],
            source: Source { file: file.to_string(), lines: r.lines, item: Some(r.item) },
            published,
            label,
            url: r.url,
            link,
        }
    }
}

/// All occurrences, one vector per capture (never all of them copied into
/// one), addressed by one index in capture order.
struct Occs {
    by_capture: Vec<Vec<Occurrence>>,
    /// The capture and position of each index.
    at: Vec<(u32, u32)>,
}

impl Occs {
    fn new(by_capture: Vec<Vec<Occurrence>>) -> Occs {
        let at = by_capture
            .iter()
            .enumerate()
            .flat_map(|(c, v)| (0..v.len() as u32).map(move |i| (c as u32, i)))
            .collect();
        Occs { by_capture, at }
    }

    fn len(&self) -> usize {
        self.at.len()
    }
}

impl std::ops::Index<usize> for Occs {
    type Output = Occurrence;

    fn index(&self, o: usize) -> &Occurrence {
        let (c, i) = self.at[o];
        &self.by_capture[c as usize][i as usize]
    }
}

/// One capture split into posts, with the counts for the report.
struct Split {
    lines: u64,
    furniture_lines: u64,
    post_lines: u64,
    unplaced_lines: u64,
    unplaced: Vec<Source>,
    warnings: Vec<String>,
    occ: Vec<Occurrence>,
    /// Printed times rise down the capture: it is oldest first.
    rising: bool,
}

/// Runs `f(c)` for every capture `c < n` on as many threads as there are
/// cores (each capture is independent) and hands each result to `sink` on
/// this thread, in capture order, as soon as the ones before it are in. The
/// error is that of the first capture that fails, as if captures were read
/// one by one.
///
/// What `sink` keeps, it should copy out of the result: memory freed on a
/// worker thread is reused by the workers (while there are captures left),
/// and not by this thread later on (glibc keeps an arena per thread).
fn each_capture<T: Send, E: Send>(
    n: usize,
    f: impl Fn(usize) -> Result<T, E> + Sync,
    mut sink: impl FnMut(usize, T),
) -> Result<(), E> {
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get()).min(n);
    if threads <= 1 {
        for c in 0..n {
            sink(c, f(c)?);
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let mut pending: Vec<Option<Result<T, E>>> = (0..n).map(|_| None).collect();
    let mut done = 0;
    let mut error = None;
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut workers = Vec::with_capacity(threads);
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, failed, f) = (&next, &failed, &f);
            workers.push(s.spawn(move || {
                // Captures are handed out in order, so when one fails, every
                // capture before it has been (or is being) read.
                while !failed.load(Ordering::Relaxed) {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= n {
                        break;
                    }
                    let r = f(c);
                    if r.is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    if tx.send((c, r)).is_err() {
                        break;
                    }
                }
            }));
        }
        drop(tx);
        'recv: for (c, r) in rx {
            pending[c] = Some(r);
            while let Some(r) = pending.get_mut(done).and_then(Option::take) {
                match r {
                    Ok(t) => sink(done, t),
                    Err(e) => {
                        failed.store(true, Ordering::Relaxed);
                        error = Some(e);
                        break 'recv;
                    }
                }
                done += 1;
            }
        }
        // Join each worker (not only wait for its closure, as the scope
        // does): its thread-local destructors have then run too, so nothing
        // of it is alive when this returns (a leak checker once saw one).
        for w in workers {
            if let Err(panic) = w.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    // Captures not read (only possible after one failed) are read here.
    for (c, r) in pending.into_iter().enumerate().skip(done) {
        sink(c, r.unwrap_or_else(|| f(c))?);
    }
    Ok(())
}

/// Ingests captures named `names`, whose bytes `load(i)` gives. Captures are
/// read twice, a few at a time (once to learn the furniture at their edges,
/// once for their posts), so memory holds the posts, not the pages. Captures
/// are read and split on every core; the result does not depend on how many.
pub fn ingest(
    names: Vec<String>,
    load: impl Fn(usize) -> Result<Vec<u8>, IngestError> + Sync,
    manifest: Option<Manifest>,
) -> Result<Corpus, IngestError> {
    if names.is_empty() {
        return Err(IngestError::NoCaptures);
    }
    let manifest = manifest.unwrap_or_default();
    let covers: Vec<Option<i32>> = names
        .iter()
        .map(|n| manifest.captures.iter().find(|c| &c.file == n).and_then(|c| c.covers))
        .collect();
    let day_first = vec![manifest.locale.as_deref().and_then(source::day_first_of); names.len()];
    let stage = text_stage(names, covers, day_first, load, &manifest)?;
    Ok(finish(stage, manifest.title))
}

/// Occurrences of every source, one vector per source ("capture"), with
/// each source's newest-first order, before dedup and dating.
struct Stage {
    names: Vec<String>,
    covers: Vec<Option<i32>>,
    by_capture: Vec<Vec<Occurrence>>,
    per_capture: Vec<Vec<usize>>,
    n_occ: usize,
    report: Report,
    /// The corpus's time zone, when known.
    tz: Option<Tz>,
}

impl Stage {
    fn empty(tz: Option<Tz>) -> Stage {
        Stage {
            names: Vec::new(),
            covers: Vec::new(),
            by_capture: Vec::new(),
            per_capture: Vec::new(),
            n_occ: 0,
            report: Report::default(),
            tz,
        }
    }

    /// Adds a source's occurrences (in file order; a source whose dates rise
    /// is taken as oldest first).
    fn push_capture(&mut self, name: String, covers: Option<i32>, occ: Vec<Occurrence>) {
        let stamps: Vec<Published> = occ.iter().filter_map(|o| o.published).collect();
        let rising = stamps.windows(2).filter(|w| w[1] > w[0]).count();
        let falling = stamps.windows(2).filter(|w| w[1] < w[0]).count();
        let mut seq: Vec<usize> = (self.n_occ..self.n_occ + occ.len()).collect();
        if rising > falling {
            seq.reverse();
        }
        self.n_occ += occ.len();
        self.names.push(name);
        self.covers.push(covers);
        self.per_capture.push(seq);
        self.by_capture.push(occ);
    }
}

/// The text captures split into posts: furniture learnt over all of them,
/// then each split on every core. `day_first` is each capture's locale's
/// reading of numeric dates (its own dates decide first).
fn text_stage(
    names: Vec<String>,
    covers: Vec<Option<i32>>,
    day_first: Vec<Option<bool>>,
    load: impl Fn(usize) -> Result<Vec<u8>, IngestError> + Sync,
    manifest: &Manifest,
) -> Result<Stage, IngestError> {
    let mut report = Report { captures: names.len(), ..Report::default() };
    let mut edges_in = Vec::with_capacity(names.len());
    each_capture(
        names.len(),
        |c| Ok(furniture::EdgeLines::of(&read::lines(&names[c], &load(c)?)?)),
        |_, e| edges_in.push(e),
    )?;
    let edges = furniture::learn(&edges_in);
    let orgs = organisations(&edges_in, manifest.publisher.as_deref());
    let tz = zone(manifest, &edges_in);
    drop(edges_in);

    // Split every capture into posts.
    let split = |c: usize| -> Result<Split, IngestError> {
        let bytes = load(c)?;
        let lines = read::lines(&names[c], &bytes)?;
        let e = edges[c];
        let mut s = Split {
            lines: lines.len() as u64,
            furniture_lines: (e.header + lines.len() - e.trailer) as u64,
            post_lines: 0,
            unplaced_lines: 0,
            unplaced: Vec::new(),
            warnings: Vec::new(),
            occ: Vec::new(),
            rising: false,
        };
        let cx = text::layout::Context {
            file: &names[c],
            covers: covers[c],
            tz,
            day_first: day_first[c],
            alone: names.len() == 1,
        };
        let layout = text::layout::split(&lines, e.header, e.trailer, &cx);
        s.warnings.extend(layout.warnings);
        for piece in layout.pieces {
            let (start, end, prepared) = match piece {
                text::layout::Piece::Post(start, end, p) => (start, end, p),
                text::layout::Piece::Furniture(start, end) => {
                    s.furniture_lines += (end - start) as u64;
                    continue;
                }
            };
            let parsed = post::parse_with(&prepared.text, &orgs, prepared.title)
                .map(|p| post::Post { stamp: prepared.stamp, ..p });
            let (lo, hi) = content_range(&lines, start, end);
            let source = Source {
                file: names[c].clone(),
                lines: [lo as u32 + 1, hi as u32 + 1],
                item: None,
            };
            match parsed {
                Some(mut p) => {
                    s.post_lines += (end - start) as u64;
                    let stamp = p.stamp.take();
                    let published = stamp.as_ref().map(|(st, line)| {
                        let (p, w) = dating::resolve(st, tz, &format_args!("{}:{line}", names[c]));
                        s.warnings.extend(w);
                        p
                    });
                    let key = dedup_key(&p);
                    let stamp_line = stamp.map_or(0, |s| s.1);
                    s.occ.push(Occurrence {
                        capture: c,
                        post: p,
                        stamp_line,
                        source,
                        published,
                        key,
                        label: None,
                        url: None,
                        link: None,
                    });
                }
                None => {
                    s.unplaced_lines += (end - start) as u64;
                    s.unplaced.push(source);
                }
            }
        }
        if s.occ.is_empty() {
            return Err(IngestError::NoPosts { file: names[c].clone(), lines: lines.len() as u32 });
        }
        // Captures are newest first; one whose printed times rise is oldest first.
        let stamps: Vec<Published> = s.occ.iter().filter_map(|o| o.published).collect();
        let rising = stamps.windows(2).filter(|w| w[1] > w[0]).count();
        let falling = stamps.windows(2).filter(|w| w[1] < w[0]).count();
        s.rising = rising > falling;
        Ok(s)
    };
    let mut by_capture = Vec::with_capacity(names.len());
    let mut per_capture: Vec<Vec<usize>> = Vec::with_capacity(names.len());
    let mut n_occ = 0;
    each_capture(names.len(), split, |_, s| {
        report.lines_read += s.lines;
        report.furniture_lines += s.furniture_lines;
        report.post_lines += s.post_lines;
        report.unplaced_lines += s.unplaced_lines;
        report.unplaced.extend(s.unplaced);
        report.warnings.extend(s.warnings);
        let mut seq: Vec<usize> = (n_occ..n_occ + s.occ.len()).collect();
        if s.rising {
            seq.reverse();
        }
        per_capture.push(seq);
        n_occ += s.occ.len();
        // A copy made on this thread (see `each_capture`).
        let mut occ = Vec::with_capacity(s.occ.len());
        occ.extend(s.occ);
        by_capture.push(occ);
    })?;
    Ok(Stage { names, covers, by_capture, per_capture, n_occ, report, tz })
}

/// The organisations whose names start bylines: the manifest's publisher,
/// then every organisation written with a possessive, most frequent first.
fn organisations(edges: &[furniture::EdgeLines], publisher: Option<&str>) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (org, n) in edges.iter().flat_map(|e| &e.orgs) {
        *counts.entry(org.clone()).or_default() += n;
    }
    let mut orgs: Vec<(String, usize)> = counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    orgs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    publisher.map(str::to_string).into_iter().chain(orgs.into_iter().map(|(o, _)| o)).collect()
}

/// The corpus's time zone: the manifest's, else the one the first printed
/// label (or "All times" note) names; `None` when nothing names one, and
/// printed times keep their zone unknown rather than being taken as UTC.
fn zone(manifest: &Manifest, edges: &[furniture::EdgeLines]) -> Option<Tz> {
    if let Some(tz) = manifest.timezone.as_deref().and_then(|t| t.parse().ok()) {
        return Some(tz);
    }
    edges.iter().find_map(|e| e.zone_label.as_deref().and_then(dating::zone_of_label))
}

/// First and last non-blank line of `start..end` (0-based).
fn content_range(lines: &[Cow<str>], start: usize, end: usize) -> (usize, usize) {
    let lo = (start..end).find(|&i| !lines[i].trim().is_empty()).unwrap_or(start);
    let hi = (start..end).rev().find(|&i| !lines[i].trim().is_empty()).unwrap_or(lo);
    (lo, hi)
}

impl Corpus {
    /// Counts of entries by precision, for summaries.
    pub fn count(&self, p: Precision) -> usize {
        self.entries.iter().filter(|e| e.precision() == p).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_capture_keeps_order_and_reports_the_first_failure() {
        let mut seen = Vec::new();
        each_capture(50, |c| Ok::<_, usize>(c * 2), |c, t| seen.push((c, t))).unwrap();
        assert_eq!(seen, (0..50).map(|c| (c, c * 2)).collect::<Vec<_>>());
        let mut seen = Vec::new();
        let r = each_capture(
            50,
            |c| if c == 17 || c == 30 { Err(c) } else { Ok(c) },
            |c, _| seen.push(c),
        );
        assert_eq!(r, Err(17));
        assert_eq!(seen, (0..17).collect::<Vec<_>>());
    }
}
