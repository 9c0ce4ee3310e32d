//! What to read: files, directories and manifests made into inputs (each
//! with its format and options), text captures sent through the capture
//! pipeline and structured archives through their readers, into one stage.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use super::source::{self, detect, expand, Format, SourceOptions};
use super::{
    csv, feed, finish::finish, html, json, read_file, record, text_stage, Corpus, IngestError,
    Manifest, Occurrence, Stage,
};

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
        Stage::empty(explicit)
    } else {
        let names = texts.iter().map(|i| i.name.clone()).collect();
        let covers = texts.iter().map(|i| i.options.covers).collect();
        let day_first = texts
            .iter()
            .map(|i| i.options.locale.as_ref().or(manifest.locale.as_ref()))
            .map(|l| l.and_then(|l| source::day_first_of(l)))
            .collect();
        text_stage(names, covers, day_first, |i| read_file(&texts[i].path), &manifest)?
    };
    for input in &structured {
        let tz = input.options.timezone.or(stage.tz);
        read_structured(&mut stage, input, tz)?;
    }
    stage.report.skipped_files = skipped.iter().map(|p| p.display().to_string()).collect();
    Ok(finish(stage, manifest.title))
}

/// Ingests one structured archive given as bytes (a feed, JSON, JSON Lines,
/// CSV or an HTML page; `Format::Text` is read as HTML), as the fuzz targets
/// do.
pub fn from_archive(
    name: &str,
    bytes: &[u8],
    format: Format,
    options: SourceOptions,
) -> Result<Corpus, IngestError> {
    let mut stage = Stage::empty(options.timezone);
    let input = Input { name: name.to_string(), path: PathBuf::from(name), format, options };
    read_records(&mut stage, &input, input.options.timezone, || Ok(bytes))?;
    Ok(finish(stage, None))
}

/// Reads one structured file into the stage.
fn read_structured(stage: &mut Stage, input: &Input, tz: Option<Tz>) -> Result<(), IngestError> {
    let open =
        || std::fs::File::open(&input.path).map(|f| std::io::BufReader::with_capacity(1 << 16, f));
    read_records(stage, input, tz, open)
}

/// Reads a structured input (whose bytes `open` streams) into the stage, as
/// one more "capture" whose occurrences are its records.
fn read_records<R: std::io::BufRead>(
    stage: &mut Stage,
    input: &Input,
    tz: Option<Tz>,
    open: impl Fn() -> std::io::Result<R>,
) -> Result<(), IngestError> {
    let io = |source| IngestError::Io { path: input.path.clone(), source };
    let capture = stage.names.len();
    let file = input.name.as_str();
    let mut occ = Vec::new();
    let mut page_lines = 0;
    let mut sink = |r: record::Record| occ.push(Occurrence::of_record(r, capture, file, tz));
    let mut reading = source::Reading::new(&input.options, &mut sink);
    match input.format {
        Format::JsonLines => json::lines(open().map_err(io)?, &mut reading).map_err(io)?,
        Format::Json => json::document(open().map_err(io)?, &mut reading).map_err(io)?,
        Format::Csv => csv::read(open().map_err(io)?, &mut reading).map_err(io)?,
        Format::Feed => feed::read(open().map_err(io)?, &mut reading).map_err(io)?,
        Format::Html | Format::Text => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut open().map_err(io)?, &mut bytes).map_err(io)?;
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
    if matches!(input.format, Format::Html | Format::Text) {
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
    super::ingest(names, |i| Ok(captures[i].1.clone()), manifest)
}
