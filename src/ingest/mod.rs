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

mod csv;
mod dating;
mod error;
mod feed;
mod furniture;
mod html;
mod json;
mod manifest;
mod post;
mod read;
mod record;
mod source;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono_tz::Tz;
use serde::Serialize;

pub use error::IngestError;
pub use manifest::{CaptureInfo, Manifest, SourceInfo};
pub use record::FieldMap;
pub use source::{detect, expand, Format, SourceOptions};

use crate::model::date::{format_day, Precision, Published};
use crate::model::entry::{Entry, Source};
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

/// A file to ingest and how to read it.
#[derive(Debug, Clone)]
pub struct Input {
    /// The name used in sources and reports.
    pub name: String,
    /// Where it is.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Its options.
    pub options: SourceOptions,
}

impl Input {
    /// An input of `path`, its format forced by `options` or detected.
    pub fn of(path: PathBuf, name: String, options: SourceOptions) -> Result<Input, IngestError> {
        let format = match options.format {
            Some(f) => f,
            None => {
                use std::io::Read;
                let mut head = Vec::with_capacity(8192);
                std::fs::File::open(&path)
                    .and_then(|f| f.take(8192).read_to_end(&mut head))
                    .map_err(|source| IngestError::Io { path: path.clone(), source })?;
                detect(&path, &head)
            }
        };
        Ok(Input { name, path, format, options })
    }
}

/// The inputs a file or directory names (directories walked), with the
/// files skipped for their extension.
pub fn inputs_of(
    path: &Path,
    name_base: Option<&Path>,
    options: &SourceOptions,
) -> Result<(Vec<Input>, Vec<PathBuf>), IngestError> {
    let (files, skipped) =
        expand(path).map_err(|source| IngestError::Io { path: path.into(), source })?;
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let name = match name_base.and_then(|b| f.strip_prefix(b).ok()) {
            Some(rel) => rel.display().to_string(),
            None => f.display().to_string(),
        };
        out.push(Input::of(f, name, options.clone())?);
    }
    Ok((out, skipped))
}

/// Ingests the captures that a manifest lists (paths relative to it).
pub fn from_manifest(path: &Path) -> Result<Corpus, IngestError> {
    let name = path.display().to_string();
    let text =
        std::fs::read(path).map_err(|source| IngestError::Io { path: path.into(), source })?;
    let text = String::from_utf8(text).map_err(|e| IngestError::Manifest {
        file: name.clone(),
        line: Some(
            e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count()
                as u32
                + 1,
        ),
        message: "not valid UTF-8".into(),
    })?;
    let manifest = Manifest::parse(&name, &text)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut inputs = Vec::with_capacity(manifest.captures.len());
    for c in &manifest.captures {
        let p = dir.join(&c.file);
        if !p.is_file() {
            return Err(IngestError::MissingCapture { manifest: name, line: c.line, capture: p });
        }
        let options = SourceOptions {
            format: Some(Format::Text),
            covers: c.covers,
            ..SourceOptions::default()
        };
        inputs.push(Input { name: c.file.clone(), path: p, format: Format::Text, options });
    }
    let mut skipped = Vec::new();
    for s in &manifest.sources {
        let p = dir.join(&s.path);
        if !p.exists() {
            return Err(IngestError::MissingCapture { manifest: name, line: s.line, capture: p });
        }
        let (found, skip) = inputs_of(&p, Some(dir), &s.options)?;
        inputs.extend(found);
        skipped.extend(skip);
    }
    from_inputs(inputs, Some(manifest), skipped)
}

/// Ingests files and directories without a manifest: each file's format is
/// detected; text captures have no `covers` days, so only printed
/// timestamps and the order between them date their posts.
pub fn from_files(paths: &[PathBuf]) -> Result<Corpus, IngestError> {
    let mut inputs = Vec::with_capacity(paths.len());
    let mut skipped = Vec::new();
    for p in paths {
        let (found, skip) = inputs_of(p, None, &SourceOptions::default())?;
        inputs.extend(found);
        skipped.extend(skip);
    }
    from_inputs(inputs, None, skipped)
}

/// Ingests inputs of any format: text captures through the capture
/// pipeline, structured files through their readers, then one finishing
/// stage for all.
pub fn from_inputs(
    inputs: Vec<Input>,
    manifest: Option<Manifest>,
    skipped: Vec<PathBuf>,
) -> Result<Corpus, IngestError> {
    let (texts, structured): (Vec<Input>, Vec<Input>) =
        inputs.into_iter().partition(|i| i.format == Format::Text);
    if texts.is_empty() && structured.is_empty() {
        return Err(IngestError::NoCaptures);
    }
    let manifest = manifest.unwrap_or_default();
    let explicit: Option<Tz> = manifest.timezone.as_deref().and_then(|t| t.parse().ok());
    let mut stage = if texts.is_empty() {
        Stage::empty(explicit.unwrap_or(chrono_tz::UTC))
    } else {
        let names = texts.iter().map(|i| i.name.clone()).collect();
        let covers = texts.iter().map(|i| i.options.covers).collect();
        text_stage(names, covers, |i| read_file(&texts[i].path), &manifest)?
    };
    let corpus_tz = (!texts.is_empty() || explicit.is_some()).then_some(stage.tz);
    for input in &structured {
        let tz = input.options.timezone.or(corpus_tz);
        read_structured(&mut stage, input, tz)?;
    }
    stage.report.skipped_files = skipped.iter().map(|p| p.display().to_string()).collect();
    Ok(finish(stage, manifest.title))
}

/// Reads one structured file into the stage, as one more "capture" whose
/// occurrences are its records.
fn read_structured(stage: &mut Stage, input: &Input, tz: Option<Tz>) -> Result<(), IngestError> {
    let io = |source| IngestError::Io { path: input.path.clone(), source };
    let capture = stage.names.len();
    let file = input.name.as_str();
    let mut occ = Vec::new();
    let mut page_lines = 0;
    let mut sink = |r: record::Record| occ.push(Occurrence::of_record(r, capture, file, tz));
    let mut reading = source::Reading::new(&input.options, &mut sink);
    let open =
        || std::fs::File::open(&input.path).map(|f| std::io::BufReader::with_capacity(1 << 16, f));
    match input.format {
        Format::JsonLines => json::lines(open().map_err(io)?, &mut reading).map_err(io)?,
        Format::Json => json::document(open().map_err(io)?, &mut reading).map_err(io)?,
        Format::Csv => csv::read(open().map_err(io)?, &mut reading).map_err(io)?,
        Format::Feed => feed::read(open().map_err(io)?, &mut reading).map_err(io)?,
        Format::Html | Format::Text => {
            let bytes = read_file(&input.path)?;
            let text = String::from_utf8_lossy(&bytes);
            page_lines = text.lines().count().max(1) as u32;
            match html::page(&text, &input.options.fields) {
                Ok((records, problems)) => {
                    for p in problems {
                        reading.problem(source::Problem::warning(0, None, p));
                    }
                    for r in records {
                        reading.record(r);
                    }
                }
                Err(why) => reading.problem(source::Problem::rejected(0, None, why)),
            }
        }
    }
    let problems = std::mem::take(&mut reading.problems);
    drop(reading);
    for p in problems {
        let text = p.describe(file);
        if p.rejected {
            stage.report.rejected.push(text);
        } else {
            stage.report.warnings.push(text);
        }
    }
    if input.format == Format::Html {
        for o in &mut occ {
            o.source.lines = [1, page_lines];
        }
    }
    stage.report.sources += 1;
    stage.report.records_read += occ.len() as u64;
    stage.push_capture(file.to_string(), None, occ);
    Ok(())
}

/// Ingests captures given as `(name, bytes)`, with an optional manifest
/// (matched to captures by file name).
pub fn from_captures(
    captures: Vec<(String, Vec<u8>)>,
    manifest: Option<Manifest>,
) -> Result<Corpus, IngestError> {
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
    let stage = text_stage(names, covers, load, &manifest)?;
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
    tz: Tz,
}

impl Stage {
    fn empty(tz: Tz) -> Stage {
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
/// then each split on every core.
fn text_stage(
    names: Vec<String>,
    covers: Vec<Option<i32>>,
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
        for (start, end) in chunks(&lines, e.header, e.trailer) {
            let first = start as u32 + 1;
            let parsed = post::parse(&lines[start..end], first, &orgs);
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

/// The finishing stage for every source: dedup, dating, ids in publication
/// order, and the report's counts.
fn finish(stage: Stage, title: Option<String>) -> Corpus {
    let Stage { names, covers, by_capture, per_capture, mut report, tz, .. } = stage;
    let occ = Occs::new(by_capture);
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
    Corpus { title, timezone: tz.name().to_string(), entries, report }
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
/// label names, else UTC.
fn zone(manifest: &Manifest, edges: &[furniture::EdgeLines]) -> Tz {
    if let Some(tz) = manifest.timezone.as_deref().and_then(|t| t.parse().ok()) {
        return tz;
    }
    edges
        .iter()
        .find_map(|e| e.zone_label.as_deref().and_then(dating::zone_of_label))
        .unwrap_or(chrono_tz::UTC)
}

/// Splits lines `from..to` into post-sized chunks that cover them exactly: a
/// timestamp starts a chunk, and after a byline or two blank lines the next
/// text starts one.
fn chunks(lines: &[Cow<str>], from: usize, to: usize) -> Vec<(usize, usize)> {
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
fn content_range(lines: &[Cow<str>], start: usize, end: usize) -> (usize, usize) {
    let lo = (start..end).find(|&i| !lines[i].trim().is_empty()).unwrap_or(start);
    let hi = (start..end).rev().find(|&i| !lines[i].trim().is_empty()).unwrap_or(lo);
    (lo, hi)
}

/// How many leading terms of the body identify a post.
const KEY_TERMS: usize = 24;

/// The hash of a post's opening: its first [`KEY_TERMS`] terms (so quotes,
/// dashes, case and line breaks don't count), and the headline's terms too
/// when there are fewer than six.
fn dedup_key(p: &Post) -> u64 {
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
    std::hash::Hasher::finish(&h)
}

/// Hashes a `u64` that already is a hash: as it is.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Groups occurrences that are the same post: the same opening
/// ([`dedup_key`]), and nothing that tells them apart: two headlines must
/// agree, and two printed timestamps too.
fn dedup(occ: &Occs) -> Vec<Vec<usize>> {
    const NONE: u32 = u32::MAX;
    // A headline's key: only read for posts whose opening was seen before.
    let title_of = |o: usize| {
        let p = &occ[o].post;
        (!p.title_derived).then(|| crate::text::key(&p.title))
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // The headline key of a group (its first member's with a headline),
    // for the groups that were candidates.
    let mut titles: HashMap<usize, Option<String>> = HashMap::new();
    // The first group of each key, and for each group the next one with the
    // same key: candidates in the order they were made.
    let mut first_of: HashMap<u64, u32, std::hash::BuildHasherDefault<Prehashed>> =
        HashMap::default();
    let mut next_of: Vec<u32> = Vec::new();
    // The group of each link (address or guid) seen.
    let mut by_link: HashMap<&str, usize> = HashMap::new();
    for i in 0..occ.len() {
        if let Some(&g) = occ[i].link.as_deref().and_then(|l| by_link.get(l)) {
            groups[g].push(i);
            continue;
        }
        let key = occ[i].key;
        let published = occ[i].published;
        let mut candidate = first_of.get(&key).copied().unwrap_or(NONE);
        let title = if candidate == NONE { None } else { title_of(i) };
        let mut last = NONE;
        let mut same = None;
        while candidate != NONE {
            let g = candidate as usize;
            let group_title =
                titles.entry(g).or_insert_with(|| groups[g].iter().find_map(|&m| title_of(m)));
            let titles_agree = match (&title, &*group_title) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            let times_agree = match (published, occ[groups[g][0]].published) {
                (Some(a), Some(b)) => same_time(a, b),
                _ => true,
            };
            if titles_agree && times_agree {
                same = Some(g);
                break;
            }
            last = candidate;
            candidate = next_of[g];
        }
        let joined = same.unwrap_or(groups.len());
        if let Some(l) = occ[i].link.as_deref() {
            by_link.entry(l).or_insert(joined);
        }
        match same {
            Some(g) => {
                groups[g].push(i);
                if let Some(t @ None) = titles.get_mut(&g) {
                    *t = title;
                }
            }
            None => {
                let g = groups.len() as u32;
                if last == NONE {
                    first_of.insert(key, g);
                } else {
                    next_of[last as usize] = g;
                }
                next_of.push(NONE);
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// Whether two publication times can be the same post's: the same instant
/// when both are known to the minute in a known zone, else the same day.
fn same_time(a: Published, b: Published) -> bool {
    match (a.unix_seconds(), b.unix_seconds()) {
        (Some(x), Some(y)) => x == y,
        _ => a.day == b.day,
    }
}

/// A group's date and its basis.
#[derive(Clone)]
struct Dated {
    published: Published,
    basis: String,
}

fn date_groups(
    occ: &Occs,
    groups: &[Vec<usize>],
    group_of: &[usize],
    per_capture: &[Vec<usize>],
    names: &[String],
    covers: &[Option<i32>],
) -> Vec<Option<Dated>> {
    // 1. Printed timestamps and dated records, in any source: the most
    // precise wins, then the earliest printing.
    let mut dates: Vec<Option<Dated>> = groups
        .iter()
        .map(|m| {
            m.iter()
                .filter_map(|&o| occ[o].published.map(|p| (p, o)))
                .min_by_key(|(p, _)| {
                    (std::cmp::Reverse(p.minute.is_some()), std::cmp::Reverse(p.zone_known()), *p)
                })
                .map(|(p, o)| {
                    let basis = match &occ[o].label {
                        Some(label) => format!("published date: {label}"),
                        None => format!(
                            "printed timestamp ({} line {})",
                            names[occ[o].capture], occ[o].stamp_line
                        ),
                    };
                    Dated { published: p, basis }
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
                        Some((d, None)) => {
                            format!("within the capture's covers day {}", format_day(d))
                        }
                        None => String::new(),
                    };
                    if let (Some((lo, lg)), Some((hi, _))) = (lower, newer) {
                        if lo == hi {
                            let basis = format!(
                                "order in {}: newer than {}, {}",
                                names[c],
                                title(&dates, lg),
                                newer_text(&dates)
                            );
                            dates[g] = Some(Dated {
                                published: Published { day: lo, minute: None, offset },
                                basis,
                            });
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
                                dates[g] = Some(Dated {
                                    published: Published { day, minute: None, offset },
                                    basis,
                                });
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
    occ: Occs,
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
    let at = occ.at;
    let mut occ: Vec<Vec<Option<Occurrence>>> =
        occ.by_capture.into_iter().map(|v| v.into_iter().map(Some).collect()).collect();
    let mut entries = Vec::with_capacity(groups.len());
    for (id, g) in order.into_iter().enumerate() {
        let mut members: Vec<Occurrence> = groups[g]
            .iter()
            .filter_map(|&o| occ[at[o].0 as usize][at[o].1 as usize].take())
            .collect();
        members.sort_by_key(|o| (o.capture, o.source.lines));
        let rich = (0..members.len())
            .max_by_key(|&i| (richness(&members[i]), std::cmp::Reverse(i)))
            .unwrap_or(0);
        let authors = if members[rich].post.authors.is_empty() {
            members
                .iter()
                .map(|o| &o.post.authors)
                .find(|a| !a.is_empty())
                .cloned()
                .unwrap_or_default()
        } else {
            std::mem::take(&mut members[rich].post.authors)
        };
        let sources = members
            .iter_mut()
            .map(|o| Source {
                file: std::mem::take(&mut o.source.file),
                lines: o.source.lines,
                item: o.source.item,
            })
            .collect();
        let url = members.iter_mut().find_map(|o| o.url.take());
        let p = members.swap_remove(rich).post;
        let (published, date_basis) = match dates[g].take() {
            Some(mut d) => {
                d.basis.shrink_to_fit();
                (Some(d.published), d.basis)
            }
            None => (
                None,
                "unknown: no timestamp, no dated neighbours of one day, no weekday word to anchor"
                    .into(),
            ),
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
            url,
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
