//! `dateline search` and `dateline suggest`: query an index from the shell.
//! Everything is done by `dateline::search`; this file parses arguments and
//! prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use dateline::index::{self, Index};
use dateline::search::{self, Query, Sort};
use sha2::{Digest, Sha256};

/// Arguments of `dateline search`.
#[derive(clap::Args)]
pub struct SearchArgs {
    /// The directory holding `index.dtl` (or the file itself).
    #[arg(long)]
    index: PathBuf,
    /// First day, inclusive (YYYY-MM-DD, corpus time zone).
    #[arg(long)]
    from: Option<String>,
    /// Last day, inclusive (YYYY-MM-DD, corpus time zone).
    #[arg(long)]
    to: Option<String>,
    /// Result order.
    #[arg(long, value_enum, default_value = "relevance")]
    sort: SortArg,
    /// Keep only entries by this author (repeat for several: any of them).
    #[arg(long = "author")]
    authors: Vec<String>,
    /// Hits per page.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Print the results as JSON.
    #[arg(long)]
    json: bool,
    /// Print every shard a sharded index loads (name, section, bytes) to stderr.
    #[arg(long)]
    trace_shards: bool,
    /// The query: words (all must match, each also as a prefix), "quoted
    /// phrases", -excluded words.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    query: Vec<String>,
}

/// `--sort` values.
#[derive(clap::ValueEnum, Clone, Copy)]
enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

/// Arguments of `dateline suggest`.
#[derive(clap::Args)]
pub struct SuggestArgs {
    /// The directory holding `index.dtl` (or the file itself).
    #[arg(long)]
    index: PathBuf,
    /// How many completions.
    #[arg(short = 'n', default_value_t = 10)]
    n: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// The prefix to complete (its last word).
    prefix: Vec<String>,
}

/// An index read from disk (`index.dtl`, or the one in a directory): a
/// single file, or the root of a sharded index whose shards are loaded from
/// `shards/` beside it as calls need them.
pub struct Archive {
    pub ix: Index,
    shards: PathBuf,
    /// Print each shard loaded (its name, section, bytes) to stderr.
    pub trace: bool,
}

impl Archive {
    pub fn open(path: &Path) -> anyhow::Result<Archive> {
        let file =
            if path.is_dir() { path.join(crate::build::INDEX_FILE) } else { path.to_path_buf() };
        let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        let ix = Index::open(bytes).with_context(|| format!("opening {}", file.display()))?;
        let shards = file.parent().unwrap_or(Path::new(".")).join(crate::build::SHARDS_DIR);
        Ok(Archive { ix, shards, trace: false })
    }

    /// Runs `f`; while it fails with `NotLoaded`, loads the shards it wants
    /// (checking each against the SHA-256 its name carries) and runs it again.
    pub fn answer<T, E>(&mut self, f: impl Fn(&Index) -> Result<T, E>) -> anyhow::Result<T>
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        for _ in 0..16 {
            match f(&self.ix) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    let wanted = self.ix.wanted();
                    if wanted.is_empty() {
                        return Err(e.into());
                    }
                    for id in wanted {
                        let path = self.shards.join(format!("{}.dtl", index::shard_name(&id)));
                        let bytes = std::fs::read(&path)
                            .with_context(|| format!("reading shard {}", path.display()))?;
                        if Sha256::digest(&bytes)[..8] != id {
                            anyhow::bail!(
                                "shard {} does not match its name (SHA-256): rebuild the index",
                                path.display()
                            );
                        }
                        self.ix
                            .add_shard(&id, &bytes)
                            .with_context(|| format!("loading shard {}", path.display()))?;
                        if self.trace {
                            // The first section of the shard's table says what it holds.
                            let sec = bytes
                                .get(24..28)
                                .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                            let name =
                                index::format::Section::from_id(sec).map_or("?", |s| s.name());
                            eprintln!(
                                "shard {} {name} {} bytes",
                                index::shard_name(&id),
                                bytes.len()
                            );
                        }
                    }
                }
            }
        }
        anyhow::bail!("the index kept asking for shards: it is damaged; rebuild it")
    }
}

pub fn run_search(args: SearchArgs) -> anyhow::Result<()> {
    let mut archive = Archive::open(&args.index)?;
    archive.trace = args.trace_shards;
    let q = Query {
        query: args.query.join(" "),
        from: args.from,
        to: args.to,
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        },
        authors: args.authors,
        limit: args.limit,
        offset: args.offset,
        partial_ok: false,
    };
    if archive.trace && archive.ix.is_sharded() {
        // As the page does: the first page as soon as it is known, then the rest.
        let first = Query { partial_ok: true, ..q.clone() };
        let r = archive.answer(|ix| search::search(ix, &first))?;
        eprintln!(
            "-- first page on screen{}",
            if r.partial { " (total and histogram to come)" } else { "" }
        );
    }
    let r = archive.answer(|ix| search::search(ix, &q))?;
    let out = std::io::stdout();
    let mut out = out.lock();
    if args.json {
        serde_json::to_writer(&mut out, &r)?;
        writeln!(out)?;
        return Ok(());
    }
    let shown = r.hits.len();
    writeln!(
        out,
        "{} match{}{}; showing {}{}",
        r.total,
        if r.total == 1 { "" } else { "es" },
        if r.undated > 0 { format!(" ({} undated)", r.undated) } else { String::new() },
        if shown == 0 { 0 } else { q.offset + 1 },
        if shown > 1 { format!("–{}", q.offset + shown) } else { String::new() },
    )?;
    for h in &r.hits {
        writeln!(out)?;
        writeln!(
            out,
            "#{:<5} {}  [{}]  score {:.2}",
            h.id,
            h.published.as_deref().unwrap_or("undated"),
            h.precision.as_str(),
            h.score
        )?;
        writeln!(out, "  {}", mark(&h.title, &h.title_highlights))?;
        if !h.authors.is_empty() {
            writeln!(out, "  by {}", h.authors.join(", "))?;
        }
        if !h.snippet.is_empty() {
            writeln!(out, "  {}", mark(&h.snippet, &h.highlights))?;
        }
    }
    if !r.histogram.is_empty() {
        writeln!(out)?;
        let max = r.histogram.iter().map(|b| b.count).max().unwrap_or(1).max(1);
        for b in &r.histogram {
            let label = match (b.hourly, b.hour) {
                (true, Some(h)) => format!("{} {:02}h", b.day, h),
                (true, None) => format!("{} ??h", b.day),
                _ => b.day.clone(),
            };
            let bar = "#".repeat(((b.count as usize * 40).div_ceil(max as usize)).max(1));
            writeln!(out, "{label:<14} {:>6} {bar}", b.count)?;
        }
    }
    Ok(())
}

/// `text` with the UTF-16 ranges `marks` wrapped in `[` `]`.
fn mark(text: &str, marks: &[[u32; 2]]) -> String {
    let mut out = String::with_capacity(text.len() + marks.len() * 2);
    let mut u = 0u32;
    for ch in text.chars() {
        if marks.iter().any(|m| m[0] == u) {
            out.push('[');
        }
        out.push(ch);
        u += ch.len_utf16() as u32;
        if marks.iter().any(|m| m[1] == u) {
            out.push(']');
        }
    }
    out
}

/// Prints completions of a prefix.
pub fn run_suggest(args: SuggestArgs) -> anyhow::Result<()> {
    let mut archive = Archive::open(&args.index)?;
    let prefix = args.prefix.join(" ");
    let s = archive.answer(|ix| search::suggest(ix, &prefix, args.n))?;
    let out = std::io::stdout();
    let mut out = out.lock();
    if args.json {
        serde_json::to_writer(&mut out, &s)?;
        writeln!(out)?;
    } else {
        for x in s {
            writeln!(out, "{:>6}  {}", x.count, x.term)?;
        }
    }
    Ok(())
}
