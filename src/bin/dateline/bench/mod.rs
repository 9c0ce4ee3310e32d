//! `dateline bench`: build time, peak memory, index size and per-keystroke
//! latency on the real corpus and on synthetic corpora of several sizes.
//!
//! Not a test: nothing here fails on a slow machine. `./build.sh bench` runs
//! it; its figures go to stdout as Markdown (and to `--json`).
//!
//! For every corpus:
//!
//! 1. A synthetic corpus of N posts is written (`dateline synth`), or reused
//!    from the cache when its fingerprint matches (same N, seed, generator).
//! 2. The index is built in a **child process** (`dateline bench
//!    --child-build`), so that each size gets its own peak resident memory
//!    (`VmHWM` of `/proc/self/status`): ingestion and index writing are timed
//!    there, and the child reports section sizes and the raw and gzip size
//!    of the entries' text.
//! 3. The index is opened here and every query is typed key by key: each
//!    prefix runs what the page runs per keystroke (`search` with limit 20,
//!    snippets and histogram; `suggest` of the last word, 8 completions),
//!    round after round, until the time budget is spent (at least 3 rounds).
//!
//! `--ingest` measures ingest throughput per format instead: the same
//! synthetic posts as text captures, JSON Lines, JSON, CSV, RSS, Atom and
//! HTML, each ingested in a child process (time, posts/s, peak memory).

mod child;
mod figures;
mod replay;
mod report;
#[cfg(test)]
mod tests;
mod throughput;

use child::*;
use figures::*;
use replay::*;
use report::*;
use throughput::*;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::synth::{self, Generator, Model, Options};
use anyhow::{bail, Context};
use dateline::index::{self, Index, Meta};
use dateline::ingest;
use dateline::model::entry::Entry;
use dateline::search::{Query, Searcher};
use flate2::write::GzEncoder;
use flate2::Compression;
use serde::{Deserialize, Serialize};

/// Realistic queries, typed key by key: names, phrases, exclusions, a typo.
const QUERIES: &[&str] = &[
    "putin",
    "zelenskyy talks",
    "nuclear power plant",
    "\"special military operation\"",
    "kyiv -kharkiv",
    "mariupol",
    "sanctions russia",
    "refugees poland",
    "zelensky",
    "abramovich chelsea",
    "blinken nato",
    "lavrov nuclear",
    "\"humanitarian corridor\"",
    "navalny protests",
    "biden sanctions oil",
    "kherson",
    "zaporizhzhia",
    "belarus talks -istanbul",
    "stoltenberg",
    "javelin stinger weapons",
];

/// Completions the page asks for per keystroke.
const SUGGESTIONS: usize = 8;
/// Hits per page.
const PAGE: usize = 20;
/// Above this much text, the gzip ratio is estimated from a 1-in-k sample of entries.
const GZIP_SAMPLE_BYTES: u64 = 64 << 20;

/// Arguments of `dateline bench`.
#[derive(clap::Args)]
pub struct Args {
    /// Sizes of the synthetic corpora (entries), comma-separated; `0` or empty for none.
    #[arg(long, value_delimiter = ',', default_value = "1000,100000,1000000")]
    sizes: Vec<u64>,
    /// The real corpus, measured first.
    #[arg(long, default_value = "corpus/manifest.toml")]
    corpus: PathBuf,
    /// Do not measure the real corpus.
    #[arg(long)]
    no_corpus: bool,
    /// Queries, one a line (`#` starts a comment); default: 20 built-in ones.
    #[arg(long)]
    queries: Option<PathBuf>,
    /// Also write every figure as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Where synthetic corpora and indexes are kept between runs
    /// [default: $CARGO_TARGET_DIR/bench-corpora, else target/bench-corpora].
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Seed of the synthetic corpora.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Real captures that synthetic text is sampled from.
    #[arg(long, default_value = "corpus")]
    from_corpus: PathBuf,
    /// Seconds of keystroke replay per corpus (at least 3 rounds of all queries).
    #[arg(long, default_value_t = 10.0)]
    budget: f64,
    /// Measure ingest throughput per format (text, jsonl, json, csv, rss,
    /// atom, html) instead of search and builds.
    #[arg(long)]
    ingest: bool,
    /// Posts per format for `--ingest`.
    #[arg(long, default_value_t = 100_000)]
    ingest_size: u64,
    /// Internal: ingest PATH (a manifest, or one archive) in this process and print figures as JSON.
    #[arg(long, hide = true, value_name = "PATH")]
    child_ingest: Option<PathBuf>,
    /// Internal: build MANIFEST into OUT/index.dtl in this process and print figures as JSON.
    #[arg(long, hide = true, num_args = 2, value_names = ["MANIFEST", "OUT"])]
    child_build: Vec<PathBuf>,
}

/// Runs `dateline bench`.
pub fn run(args: Args) -> anyhow::Result<()> {
    if let [manifest, out] = args.child_build.as_slice() {
        return child_build(manifest, out);
    }
    if !args.child_build.is_empty() {
        bail!("--child-build takes a manifest and an output directory");
    }
    if let Some(path) = &args.child_ingest {
        return child_ingest(path);
    }
    let queries = match &args.queries {
        Some(p) => fs::read_to_string(p)
            .with_context(|| format!("reading queries from {}", p.display()))?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
        None => QUERIES.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    };
    if queries.is_empty() {
        bail!("no queries to type (the --queries file has none)");
    }
    let cache = args.cache.clone().unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| PathBuf::from("target"), PathBuf::from)
            .join("bench-corpora")
    });
    fs::create_dir_all(&cache).with_context(|| format!("creating {}", cache.display()))?;
    let machine = machine();
    eprintln!("dateline bench: {machine}; cache {}", cache.display());
    if args.ingest {
        return bench_ingest(&args, &cache);
    }

    let mut all = Vec::new();
    if !args.no_corpus {
        let out = cache.join("index-corpus");
        let m = measure(&args, &queries, "corpus/", None, &args.corpus, &out, None, false)?;
        all.push(m);
    }
    let sizes: Vec<u64> = args.sizes.iter().copied().filter(|&n| n > 0).collect();
    let model = if sizes.is_empty() {
        None
    } else {
        Some(
            Model::from_dir(&args.from_corpus)
                .with_context(|| format!("reading {}", args.from_corpus.display()))?,
        )
    };
    for &n in &sizes {
        let Some(model) = &model else { break };
        let dir = cache.join(format!("synth-{n}-seed{}", args.seed));
        let (synth_s, reused) = ensure_synth(model, n, args.seed, &dir)?;
        let out = cache.join(format!("index-{n}-seed{}", args.seed));
        let m = measure(
            &args,
            &queries,
            &human_count(n),
            Some(n),
            &dir.join("manifest.toml"),
            &out,
            synth_s,
            reused,
        )?;
        all.push(m);
    }

    let report = markdown(&machine, &queries, &all);
    print!("{report}");
    std::io::stdout().flush().ok();
    if let Some(path) = &args.json {
        let json = serde_json::json!({ "machine": machine, "queries": queries, "corpora": all });
        fs::write(path, serde_json::to_vec_pretty(&json)?)
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("dateline bench: wrote {}", path.display());
    }
    Ok(())
}

/// `1000` → `1k`, `1000000` → `1M`.
fn human_count(n: u64) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("synth {}M", n / 1_000_000),
        n if n >= 1000 && n % 1000 == 0 => format!("synth {}k", n / 1000),
        n => format!("synth {n}"),
    }
}

/// CPU, cores and load: the figures are only as quiet as the machine.
fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, load average {load} at start")
}

/// Writes the synthetic corpus of `n` posts into `dir` unless the one there
/// has the same fingerprint. Returns the time it took (`None`: reused).
fn ensure_synth(
    model: &Model,
    n: u64,
    seed: u64,
    dir: &Path,
) -> anyhow::Result<(Option<f64>, bool)> {
    let opts = Options { entries: n, seed, ..Options::default() };
    // The first posts, rendered, stand for the generator's version.
    let mut crc = crc32fast::Hasher::new();
    let mut buf = String::new();
    for p in Generator::new(model, n, seed).take(40) {
        buf.clear();
        p.render(true, &mut buf);
        crc.update(buf.as_bytes());
    }
    let stamp = format!(
        "synth v{} entries {n} seed {seed} per_capture {} overlap {} posts {:08x}\n",
        synth::VERSION,
        opts.per_capture,
        opts.overlap,
        crc.finalize()
    );
    let stamp_path = dir.join(".stamp");
    if dir.join("manifest.toml").is_file()
        && fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp)
    {
        eprintln!("dateline bench: reusing {}", dir.display());
        return Ok((None, true));
    }
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    eprintln!("dateline bench: writing {n} synthetic posts into {}", dir.display());
    let t = Instant::now();
    synth::write_corpus(model, &opts, dir)?;
    let secs = t.elapsed().as_secs_f64();
    fs::write(&stamp_path, stamp)?;
    Ok((Some(secs), false))
}
