//! Inputs: which files a path names (a directory is walked), which format
//! each file holds (known from its content, the extension a hint, forced by
//! the manifest), the per-source options, and what a reader reports.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use super::record::{self, FieldMap, Record};

/// The formats Dateline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A plain-text capture of a live-blog page.
    Text,
    /// A JSON array of objects, or one JSON document.
    Json,
    /// JSON Lines: one object a line.
    JsonLines,
    /// CSV (or tab-separated) with a header row.
    Csv,
    /// An RSS 2.0, RSS 1.0 or Atom feed.
    Feed,
    /// An HTML page.
    Html,
}

impl Format {
    /// The format a manifest names (`text`, `json`, `jsonl`, `csv`, `rss`,
    /// `atom`, `feed`, `html`).
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Format::Text,
            "json" => Format::Json,
            "jsonl" | "ndjson" | "json-lines" => Format::JsonLines,
            "csv" | "tsv" => Format::Csv,
            "rss" | "atom" | "feed" | "xml" => Format::Feed,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }

    /// Its name in summaries.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
            Format::Feed => "feed",
            Format::Html => "html",
        }
    }
}

/// What a manifest's `[[source]]` (or the defaults) says about a source.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// The format, when forced.
    pub format: Option<Format>,
    /// The zone of times written without one.
    pub timezone: Option<Tz>,
    /// The locale of dates written with numbers only (`en-GB`, `en-US`).
    pub locale: Option<String>,
    /// What separates authors in one CSV or JSON field.
    pub author_separator: Option<String>,
    /// Field names.
    pub fields: FieldMap,
    /// The day the newest posts cover (text captures).
    pub covers: Option<i32>,
}

/// Regions whose numeric dates put the month first ("3/4/22" is 4 March
/// there): the United States and the places that follow its usage.
const MONTH_FIRST_REGIONS: &[&str] =
    &["us", "ph", "pr", "gu", "as", "mp", "vi", "um", "fm", "mh", "pw"];

/// Languages that write the year first and then the month (`2022/3/4`),
/// wherever they are written.
const YEAR_FIRST_LANGUAGES: &[&str] = &["zh", "ja", "ko", "hu"];

/// Whether a locale (a BCP 47 tag such as `en-GB`, `de`, `fr_CA`) writes
/// numeric dates day first: `Some(false)` for the month-first regions and
/// the year-first languages above (`en-US`, `es-US`, `ja`) and for English
/// without a region (whose default in Unicode's locale data is the United
/// States'), `Some(true)` for every other language or region (`en-GB`,
/// `en-AU`, `de`, `fr`), `None` when `tag` is not a language tag.
pub(crate) fn day_first_of(tag: &str) -> Option<bool> {
    let mut parts = tag.split(['-', '_']);
    let language = parts.next()?.to_ascii_lowercase();
    let alpha = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic())
    };
    if !alpha(&language, 2..=3) {
        return None;
    }
    let mut region = None;
    for p in parts {
        if p.is_empty() || p.len() > 8 || !p.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        // A script (`Latn`) or variant may come between; the region is
        // two letters (or three digits, which no table here names).
        if region.is_none() && alpha(p, 2..=2) {
            region = Some(p.to_ascii_lowercase());
        }
    }
    Some(match region {
        Some(r) if MONTH_FIRST_REGIONS.contains(&r.as_str()) => false,
        _ if YEAR_FIRST_LANGUAGES.contains(&language.as_str()) => false,
        Some(_) => true,
        None => language != "en",
    })
}

/// Extensions read from a directory.
const KNOWN: &[&str] =
    &["txt", "text", "json", "jsonl", "ndjson", "csv", "tsv", "xml", "rss", "atom", "html", "htm"];

/// The files `path` names: itself, or the files under it with a known
/// extension (sorted, hidden ones skipped). Other files are returned apart.
pub fn expand(path: &Path) -> std::io::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let (mut files, mut skipped) = (Vec::new(), Vec::new());
    if !path.is_dir() {
        files.push(path.to_path_buf());
        return Ok((files, skipped));
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut names: Vec<PathBuf> =
            std::fs::read_dir(&dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
        names.sort();
        for p in names.into_iter().rev() {
            let hidden = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if extension(&p).is_some_and(|e| KNOWN.contains(&e.as_str())) {
                files.push(p);
            } else {
                skipped.push(p);
            }
        }
    }
    files.sort();
    skipped.sort();
    Ok((files, skipped))
}

fn extension(p: &Path) -> Option<String> {
    p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase)
}

/// The format of a file from its first bytes, with its extension as a hint.
pub fn detect(path: &Path, head: &[u8]) -> Format {
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let ext = extension(path).unwrap_or_default();
    let after = |c: char| t[c.len_utf8()..].trim_start().chars().next();
    if t.starts_with('<') {
        let lower: String = t.chars().take(4096).collect::<String>().to_ascii_lowercase();
        if ["<rss", "<feed", "<rdf:rdf"].iter().any(|k| lower.contains(k)) {
            return Format::Feed;
        }
        if ["<!doctype html", "<html", "<body", "<article", "<div", "<p", "<head"]
            .iter()
            .any(|k| lower.contains(k))
            || matches!(ext.as_str(), "html" | "htm")
        {
            return Format::Html;
        }
        if matches!(ext.as_str(), "xml" | "rss" | "atom") {
            return Format::Feed;
        }
    }
    if t.starts_with('[') && matches!(after('['), Some('{' | ']' | '"') | None) {
        return Format::Json;
    }
    if t.starts_with('{') && matches!(after('{'), Some('"' | '}') | None) {
        let first = t.lines().next().unwrap_or("");
        let whole_line = text.contains('\n') || head.len() < 8192;
        let is_line = serde_json::from_str::<serde_json::Value>(first).is_ok();
        return if (is_line && whole_line) || matches!(ext.as_str(), "jsonl" | "ndjson") {
            Format::JsonLines
        } else {
            Format::Json
        };
    }
    match ext.as_str() {
        "csv" | "tsv" => return Format::Csv,
        "json" => return Format::Json,
        "jsonl" | "ndjson" => return Format::JsonLines,
        _ => {}
    }
    if looks_like_csv_header(t.lines().next().unwrap_or("")) {
        return Format::Csv;
    }
    Format::Text
}

/// A first line of comma- or tab-separated names, one of them a field name
/// Dateline knows.
fn looks_like_csv_header(line: &str) -> bool {
    let known = FieldMap::default();
    let all: Vec<&String> = [&known.title, &known.body, &known.published, &known.authors]
        .into_iter()
        .flatten()
        .collect();
    [',', '\t'].iter().any(|&sep| {
        let cells: Vec<&str> = line.split(sep).map(|c| c.trim().trim_matches('"')).collect();
        cells.len() >= 2
            && cells.iter().all(|c| !c.is_empty() && c.len() < 40 && !c.contains(' '))
            && cells.iter().any(|c| all.iter().any(|k| k.eq_ignore_ascii_case(c)))
    })
}

/// Something a reader found wrong, at a line (0: unknown) or record.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub line: u32,
    pub item: Option<u32>,
    pub message: String,
    /// The record (or the rest of the file) was not read.
    pub rejected: bool,
}

impl Problem {
    /// A record (or the rest of a file) that could not be read.
    pub fn rejected(line: u32, item: Option<u32>, message: String) -> Problem {
        Problem { line, item, message, rejected: true }
    }

    /// Something read with an assumption or a part left out.
    pub fn warning(line: u32, item: Option<u32>, message: String) -> Problem {
        Problem { line, item, message, rejected: false }
    }

    /// `file:line: record N: message`.
    pub fn describe(&self, file: &str) -> String {
        let mut s = file.to_string();
        if self.line > 0 {
            s += &format!(":{}", self.line);
        }
        if let Some(i) = self.item {
            s += &format!(": record {i}");
        }
        s + ": " + &self.message
    }
}

/// One structured file being read: its options, where its records go, and
/// what went wrong.
pub(crate) struct Reading<'a> {
    /// Its options.
    pub options: &'a SourceOptions,
    sink: &'a mut dyn FnMut(Record),
    /// Problems, in the order found.
    pub problems: Vec<Problem>,
}

impl<'a> Reading<'a> {
    /// A reading that hands records to `sink`.
    pub fn new(options: &'a SourceOptions, sink: &'a mut dyn FnMut(Record)) -> Self {
        Reading { options, sink, problems: Vec::new() }
    }

    /// Reads an object (a JSON record, a CSV row) at `lines` as record `item`.
    pub fn object(
        &mut self,
        o: &serde_json::Map<String, serde_json::Value>,
        lines: [u32; 2],
        item: u32,
    ) {
        let sep = self.options.author_separator.as_deref();
        let (mut r, complaint) = record::from_object(o, &self.options.fields, sep);
        if let Some(c) = complaint {
            self.problem(Problem::warning(lines[0], Some(item), c));
        }
        r.lines = lines;
        r.item = item;
        self.record(r);
    }

    /// Hands a record on, or rejects it when it has no text.
    pub fn record(&mut self, r: Record) {
        if r.is_empty() {
            let what = "no title and no text in any known field (map the fields in the manifest's [source.fields])";
            self.problem(Problem::rejected(r.lines[0], Some(r.item), what.into()));
        } else {
            (self.sink)(r);
        }
    }

    /// Notes a problem.
    pub fn problem(&mut self, p: Problem) {
        self.problems.push(p);
    }
}

#[cfg(test)]
mod tests {
    use super::day_first_of;

    #[test]
    fn locales_read_numeric_dates_their_way() {
        for tag in ["en-GB", "en_AU", "de", "fr-CA", "de-Latn-CH", "es", "pt-BR"] {
            assert_eq!(day_first_of(tag), Some(true), "{tag}");
        }
        for tag in ["en-US", "en", "es-US", "en-PH", "ja", "zh-Hant-TW"] {
            assert_eq!(day_first_of(tag), Some(false), "{tag}");
        }
        for tag in ["", "3/4", "english-GB", "en--GB", "e"] {
            assert_eq!(day_first_of(tag), None, "{tag}");
        }
    }
}
