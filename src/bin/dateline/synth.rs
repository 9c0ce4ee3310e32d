//! `dateline synth`: writes a synthetic corpus of live-blog captures, typeset
//! like the real ones, for measuring ingestion and search at scale. The text
//! is sampled from a real corpus; see [`dateline::synth`] for how.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use dateline::synth::{self, Model, Options};

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
        start: synth::START_UNIX,
    };
    let s = synth::write_corpus(&model, &opts, &args.out)
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
