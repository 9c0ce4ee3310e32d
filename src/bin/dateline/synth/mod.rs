//! `dateline synth`: synthetic live-blog captures, typeset like the real
//! ones, for measuring ingestion and search at scale (`dateline bench` uses
//! them too).
//!
//! The text is sampled from a real corpus so that term statistics look like
//! news copy rather than noise:
//!
//! * **Sentence shapes** come from a first-order Markov chain over the
//!   surface tokens (words and punctuation) of the real body paragraphs, so
//!   phrases such as "nuclear power plant" or "special military operation"
//!   recur, quotes open and close, and sentences end the way copy does.
//!   Headlines come from a chain over the real headlines.
//! * **Vocabulary** grows with the corpus: with a small probability a word of
//!   the walk is replaced by one drawn from a Zipf distribution (`s = 1`)
//!   over the real words (by frequency) followed by made-up words spliced
//!   from real ones. The extended vocabulary has `~300·√N` words, so the
//!   number of distinct terms grows roughly like Heaps' law.
//! * **Authors** come from a pool of ~200 names (the real bylines first),
//!   drawn Zipf-like, sometimes co-bylined ("A and B", "A, B and C").
//! * **Times** start on 2022-02-24 and advance 0–144 s per post (≈50 posts
//!   an hour, so 1M posts span ≈2.3 years), printed in America/New_York with
//!   the EST/EDT label in force, exactly like `Mar 04, 2022, 7:46 AM EST`.
//!
//! Output is a directory of captures typeset like the real ones (page
//! furniture, posts newest-first, "Related Topics") plus a `manifest.toml`.
//! Consecutive captures share a few posts, and half of the repeated copies
//! are re-typeset with curly quotes, so deduplication is exercised.
//!
//! Everything is a function of `(corpus, entries, seed)`: post `i` draws from
//! its own generator seeded by `(seed, i)`, so the bytes are reproducible
//! and do not depend on how posts are split into captures.

mod formats;
mod generate;
mod model;
#[cfg(test)]
mod tests;
mod vocab;
mod write;

pub use formats::*;
pub use generate::*;
pub use model::*;
use vocab::*;
pub use write::*;

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::America::New_York;
use chrono_tz::Tz;
use rand_pcg::rand_core::{Rng as _, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// Version of the generator's output: bumped whenever the same options
/// would give other bytes (caches of synthetic corpora compare it).
pub const VERSION: u32 = 2;

/// Unix seconds of 2022-02-24 05:00 EST, just before the first synthetic post.
pub const START_UNIX: i64 = 1_645_696_800;

/// The time zone synthetic captures are printed in (written to the manifest).
pub const TIMEZONE: &str = "America/New_York";

#[derive(Debug)]
pub enum SynthError {
    /// Reading or writing a file failed.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// The source directory has no `.txt` capture with body text to sample.
    NoText {
        /// The directory that was read.
        dir: PathBuf,
    },
    /// The options cannot produce a corpus.
    Options(String),
}

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SynthError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            SynthError::NoText { dir } => write!(
                f,
                "{}: no capture (*.txt) with body paragraphs to sample from; \
                 point --from-corpus at a directory of real captures",
                dir.display()
            ),
            SynthError::Options(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for SynthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SynthError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> SynthError + '_ {
    move |source| SynthError::Io { path: path.to_path_buf(), source }
}

// ---------------------------------------------------------------------------

/// Arguments of `dateline synth`.
#[derive(clap::Args)]
pub struct Args {
    /// How many distinct posts to write.
    #[arg(long, short = 'n')]
    pub entries: u64,
    /// Seed: the same entries, seed and source corpus give the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Directory to write the captures and manifest.toml into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Posts per capture file, the repeated ones included.
    #[arg(long, default_value_t = 1000)]
    pub per_capture: usize,
    /// Posts shared by consecutive captures (exercises deduplication).
    #[arg(long, default_value_t = 3)]
    pub overlap: usize,
    /// Directory of real captures (*.txt) to sample vocabulary and sentence shapes from.
    #[arg(long, default_value = "corpus")]
    pub from_corpus: PathBuf,
    /// What to write: text captures and a manifest (a directory), or the same
    /// posts as one archive `OUT/posts.<format>` (html: a page of `<article>`s).
    #[arg(long, value_enum, default_value = "text")]
    pub format: SynthFormat,
    /// Print nothing.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `dateline synth`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let model = Model::from_dir(&args.from_corpus)
        .with_context(|| format!("reading the source corpus {}", args.from_corpus.display()))?;
    let opts = Options {
        entries: args.entries,
        seed: args.seed,
        per_capture: args.per_capture,
        overlap: args.overlap,
        start: START_UNIX,
    };
    if args.format != SynthFormat::Text {
        fs::create_dir_all(&args.out)
            .with_context(|| format!("creating {}", args.out.display()))?;
        let path = args.out.join(args.format.file_name());
        let s = write_archive(&model, &opts, args.format, &path)
            .with_context(|| format!("writing {}", path.display()))?;
        if !args.quiet {
            let secs = t0.elapsed().as_secs_f64();
            println!(
                "wrote {} posts as {} to {} ({} bytes = {:.1} MiB) in {secs:.2} s",
                s.posts,
                args.format.name(),
                path.display(),
                s.bytes,
                s.bytes as f64 / (1024.0 * 1024.0),
            );
        }
        return Ok(());
    }
    let s = write_corpus(&model, &opts, &args.out)
        .with_context(|| format!("writing a synthetic corpus into {}", args.out.display()))?;
    let secs = t0.elapsed().as_secs_f64();
    if !args.quiet {
        let mib = s.bytes as f64 / (1024.0 * 1024.0);
        println!(
            "wrote {} entries in {} captures to {} ({} bytes = {:.1} MiB raw, {} bytes of distinct posts; \
             manifest {}) in {:.2} s ({:.0} MiB/s)",
            s.entries,
            s.captures,
            args.out.display(),
            s.bytes,
            mib,
            s.post_bytes,
            args.out.join("manifest.toml").display(),
            secs,
            mib / secs.max(1e-9),
        );
        println!(
            "posts from {} to {}; vocabulary of {} words sampled from {} real paragraphs",
            s.first,
            s.last,
            s.vocabulary,
            model.paragraphs()
        );
    }
    Ok(())
}
