//! `dateline entries`: ingest captures and archives and print the entry table.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use dateline::ingest::{self, Corpus};

/// What to read: a manifest, or files and directories of any format
/// (default: `corpus/manifest.toml`).
#[derive(clap::Args, Debug, Clone)]
pub struct Input {
    /// The manifest listing the captures and sources (paths relative to it).
    #[arg(long, conflicts_with = "files")]
    pub manifest: Option<PathBuf>,
    /// Files and directories, read without a manifest: text captures, JSON
    /// or JSON Lines, CSV, RSS or Atom feeds, HTML pages (known from their
    /// content).
    pub files: Vec<PathBuf>,
    /// Fail when anything is reported: a rejected record, an unplaced line,
    /// a warning.
    #[arg(long)]
    pub strict: bool,
}

impl Input {
    /// Ingests what was named.
    pub fn load(&self) -> anyhow::Result<Corpus> {
        let corpus = if !self.files.is_empty() {
            ingest::from_files(&self.files)?
        } else {
            let manifest =
                self.manifest.clone().unwrap_or_else(|| PathBuf::from("corpus/manifest.toml"));
            ingest::from_manifest(&manifest)
                .with_context(|| format!("ingesting {}", manifest.display()))?
        };
        let problems = corpus.report.problems();
        if self.strict && problems > 0 {
            print_summary(&corpus);
            anyhow::bail!("--strict: {problems} problems reported (above)");
        }
        Ok(corpus)
    }
}

/// Arguments of `dateline entries`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: Input,
    /// Print the entry table as JSON (one array of objects).
    #[arg(long)]
    json: bool,
}

/// Prints the entries as JSON or as a table with a summary.
pub fn run(args: Args) -> anyhow::Result<()> {
    let corpus = args.input.load()?;
    let out = std::io::stdout();
    let mut out = out.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &corpus.entries)?;
        writeln!(out)?;
    } else {
        print_table(&mut out, &corpus)?;
    }
    print_summary(&corpus);
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut t: String = s.chars().take(n - 1).collect();
    t.push('…');
    t
}

fn print_table(out: &mut impl Write, corpus: &Corpus) -> std::io::Result<()> {
    writeln!(out, "{:>4}  {:<25}  {:<7}  {:<52}  authors", "id", "published", "prec.", "title")?;
    for e in &corpus.entries {
        let published = e.published.map_or("—".to_string(), |p| p.to_rfc3339());
        let title = if e.title_derived { format!("~{}", e.title) } else { e.title.clone() };
        writeln!(
            out,
            "{:>4}  {:<25}  {:<7}  {:<52}  {}",
            e.id,
            published,
            e.precision().as_str(),
            clip(&title, 52),
            e.authors.join(", ")
        )?;
    }
    writeln!(out, "(~ marks a title derived from the first sentence)")
}

/// The summary goes to stderr, so `--json` output stays clean on stdout.
pub fn print_summary(corpus: &Corpus) {
    let r = &corpus.report;
    if r.captures == 0 && r.sources > 0 {
        eprintln!(
            "{} structured files: {} records read as posts, {} distinct entries ({} duplicates merged), {} rejected",
            r.sources,
            r.records_read,
            r.entries,
            r.duplicates_merged,
            r.rejected.len()
        );
    } else {
        print_captures(r);
    }
    eprintln!(
        "dates: {} to the minute (printed), {} to the day (inferred), {} unknown; time zone {}",
        r.precision[0],
        r.precision[1],
        r.precision[2],
        if corpus.timezone.is_empty() { "unknown" } else { &corpus.timezone }
    );
    for u in &r.unplaced {
        eprintln!("unplaced: {} lines {}-{}", u.file, u.lines[0], u.lines[1]);
    }
    if r.sources > 0 && r.captures > 0 {
        eprintln!(
            "{} structured files: {} records read as posts, {} rejected",
            r.sources,
            r.records_read,
            r.rejected.len()
        );
    }
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    for w in &r.rejected {
        eprintln!("rejected: {w}");
    }
    for f in &r.skipped_files {
        eprintln!("skipped (not a format Dateline reads): {f}");
    }
}

/// The text captures' line of the summary.
fn print_captures(r: &dateline::ingest::Report) {
    eprintln!(
        "{} captures, {} lines: {} posts seen, {} distinct entries ({} duplicates merged); \
         {} post lines, {} furniture lines, {} unplaced lines",
        r.captures,
        r.lines_read,
        r.posts_seen,
        r.entries,
        r.duplicates_merged,
        r.post_lines,
        r.furniture_lines,
        r.unplaced_lines
    );
}
