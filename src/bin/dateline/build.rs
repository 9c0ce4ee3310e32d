//! `dateline build`: ingest captures and write `DIR/index.dtl`, with a
//! progress bar on long builds and a summary of what was written.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use dateline::index::{self, Index, Meta, Progress, ShardOptions};
use sha2::{Digest, Sha256};
use flate2::write::GzEncoder;
use flate2::Compression;
use indicatif::{ProgressBar, ProgressStyle};

use crate::entries::Input;

/// The file name of the index (or of a sharded index's root) inside the output directory.
pub const INDEX_FILE: &str = "index.dtl";

/// The directory, beside `index.dtl`, that a sharded index's shards go in.
pub const SHARDS_DIR: &str = "shards";

/// Whether to split the index into shards.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum ShardMode {
    /// Split when the indexed text is larger than `--shard-above`.
    Auto,
    /// Always split (tests force a small corpus into many shards this way).
    Always,
    /// Always write one file.
    Never,
}

/// Entries from which a progress bar is drawn.
const PROGRESS_FROM: usize = 20_000;

/// Arguments of `dateline build`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: Input,
    /// Directory to write `index.dtl` into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Print no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Also write the whole explorer with this index as ONE HTML file that
    /// opens from file:// and offline (see single.rs).
    #[arg(long, value_name = "OUT.html")]
    single_file: Option<PathBuf>,
    /// The built www assets the single file is made from (./build.sh builds them).
    #[arg(long, value_name = "DIR", default_value = "www", requires = "single_file")]
    assets: PathBuf,
    /// Split the index into a small root and shards that the explorer
    /// fetches as queries need them.
    #[arg(long, value_enum, default_value = "auto")]
    shards: ShardMode,
    /// With `--shards auto`: split when the entries' text (titles and
    /// bodies) is larger than this many bytes. Measured at 1k synthetic
    /// entries (0.9 MB of text): one file fetched 720 KB gzip before the first
    /// result, shards 286 KB but a few round trips more — about even.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    shard_above: usize,
    /// Target size of a piece (dictionary, postings, lists), in bytes.
    #[arg(long, value_name = "BYTES")]
    piece_bytes: Option<usize>,
    /// Use absurdly small pieces (for tests of the sharded paths).
    #[arg(long, hide = true)]
    tiny_shards: bool,
}

/// Ingests, writes the index, prints the summary.
pub fn run(args: Args) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let corpus = args.input.load()?;
    let t_ingest = t0.elapsed();
    let meta = Meta { title: corpus.title.clone(), timezone: corpus.timezone.clone() };
    let n = corpus.entries.len();
    let bar = (n >= PROGRESS_FROM && !args.quiet).then(|| {
        let b = ProgressBar::new(n as u64);
        b.set_style(
            ProgressStyle::with_template("{msg:10} [{bar:40}] {pos}/{len} entries ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.set_message("indexing");
        b
    });
    let text: usize = corpus.entries.iter().map(|e| e.title.len() + e.body.iter().map(String::len).sum::<usize>()).sum();
    // All indexed text, for the summary.
    let raw: usize = corpus
        .entries
        .iter()
        .map(|e| {
            e.title.len()
                + e.body.iter().map(String::len).sum::<usize>()
                + e.media.iter().map(|m| m.caption.len() + m.credit.len()).sum::<usize>()
                + e.authors.iter().map(String::len).sum::<usize>()
        })
        .sum();
    let sharded = match args.shards {
        ShardMode::Always => true,
        ShardMode::Never => false,
        ShardMode::Auto => text > args.shard_above,
    };
    let mut opts = if args.tiny_shards { ShardOptions::tiny() } else { ShardOptions::default() };
    if let Some(b) = args.piece_bytes {
        (opts.dict_bytes, opts.postings_bytes, opts.tops_bytes, opts.list_bytes) = (b, b, b, b);
    }
    // A sharded index fetches an entry block per result card: small blocks.
    let write_opts = index::Options { entry_block: if !sharded { 64 } else if args.tiny_shards { 2 } else { 8 } };
    let t1 = Instant::now();
    let bytes = index::write_with(&corpus.entries, &meta, &write_opts, &mut |p| {
        if let Some(b) = &bar {
            match p {
                Progress::Indexing { done, .. } => b.set_position(done as u64),
                Progress::Writing => b.set_message("writing"),
            }
        }
    })?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let t_write = t1.elapsed();
    // The entries are in the index now: free them before sharding.
    drop(corpus);
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let path = args.out.join(INDEX_FILE);
    let shard_dir = args.out.join(SHARDS_DIR);
    if shard_dir.exists() {
        std::fs::remove_dir_all(&shard_dir).with_context(|| format!("removing the old {}", shard_dir.display()))?;
    }
    let mut shard_count = (0usize, 0u64);
    let t_split = Instant::now();
    if sharded {
        std::fs::create_dir_all(&shard_dir).with_context(|| format!("creating {}", shard_dir.display()))?;
        let mut failed: Option<anyhow::Error> = None;
        let root = index::split(&bytes, &opts, &mut |file: &[u8]| {
            let mut id = [0u8; 8];
            id.copy_from_slice(&Sha256::digest(file)[..8]);
            let p = shard_dir.join(format!("{}.dtl", index::shard_name(&id)));
            if let Err(e) = std::fs::write(&p, file) {
                failed = Some(anyhow::Error::new(e).context(format!("writing {}", p.display())));
                return Err(index::IndexError::InvalidInput { what: format!("could not write {}", p.display()) });
            }
            shard_count.0 += 1;
            shard_count.1 += file.len() as u64;
            Ok(id)
        });
        if let Some(e) = failed {
            return Err(e);
        }
        let root = root.context("splitting the index into shards")?;
        std::fs::write(&path, &root).with_context(|| format!("writing {}", path.display()))?;
        if !args.quiet {
            let (gz, _) = gzip_len(&root)?;
            eprintln!(
                "sharded: root {} ({} bytes, {gz} gzip) and {} shards in {}/ ({} bytes) in {:.2?}",
                path.display(),
                root.len(),
                shard_count.0,
                shard_dir.display(),
                shard_count.1,
                t_split.elapsed()
            );
        }
    } else {
        std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(out) = &args.single_file {
        let written = crate::single::write(&bytes, &args.assets, out)?;
        if !args.quiet {
            eprint!("{}", crate::single::report(&written));
        }
    }
    if args.quiet {
        return Ok(());
    }
    let ix = Index::open(bytes.as_slice()).context("reading back the index just written")?;
    let stats = ix.stats();
    let mut err = std::io::stderr().lock();
    writeln!(err, "wrote {} ({} bytes{})", path.display(), bytes.len(), if sharded { " before sharding" } else { "" })?;
    writeln!(
        err,
        "{} entries ({} dated, {} undated), {} distinct terms, {} authors; {} to {}",
        stats.entries,
        stats.dated,
        stats.undated,
        stats.terms,
        stats.authors.len(),
        stats.first_day.as_deref().unwrap_or("—"),
        stats.last_day.as_deref().unwrap_or("—"),
    )?;
    writeln!(err, "{:<14} {:>12} {:>13}", "section", "bytes", "gzip")?;
    let mut search_bytes = 0;
    let mut gz_total = 0;
    let mut estimated = false;
    for (name, sec) in ix.section_bytes() {
        if name != "entries" && name != "entry_offsets" {
            search_bytes += sec.len();
        }
        let (gz, est) = gzip_len(sec)?;
        gz_total += gz;
        estimated |= est;
        writeln!(err, "{:<14} {:>12} {:>13}", name, sec.len(), format!("{}{gz}", if est { "~" } else { "" }))?;
    }
    writeln!(err, "{:<14} {:>12} {:>13}", "total", bytes.len(), format!("{}{gz_total}", if estimated { "~" } else { "" }))?;
    if estimated {
        writeln!(err, "(~: gzip of the first {} MiB, scaled)", GZIP_SAMPLE >> 20)?;
    }
    writeln!(
        err,
        "text indexed {} bytes; index without stored entries {} bytes ({:.1}% of the text)",
        raw,
        search_bytes,
        100.0 * search_bytes as f64 / raw.max(1) as f64
    )?;
    writeln!(err, "ingest {:.2?}, index {:.2?}", t_ingest, t_write)?;
    Ok(())
}

/// Sections larger than this are gzipped in part and the size scaled, so
/// that the summary of a million-entry build does not cost more than the build.
const GZIP_SAMPLE: usize = 32 << 20;

/// Gzipped size of `b` (default level), and whether it was estimated.
fn gzip_len(b: &[u8]) -> anyhow::Result<(usize, bool)> {
    let part = &b[..b.len().min(GZIP_SAMPLE)];
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(part)?;
    let n = e.finish()?.len();
    if part.len() == b.len() {
        Ok((n, false))
    } else {
        Ok(((n as f64 * b.len() as f64 / part.len() as f64) as usize, true))
    }
}
