//! `dateline`: the command-line program. Ingests captures, builds and
//! queries the index, serves the explorer (with precompressed assets), writes synthetic corpora and runs
//! benchmarks. `anyhow` lives here only; the library has typed errors.

use clap::{Parser, Subcommand};

mod bench;
mod build;
mod compress;
mod entries;
mod publish;
mod search;
mod serve;
mod single;
mod synth;

/// Dateline: an explorer for news live-blog archives.
#[derive(Parser)]
#[command(name = "dateline", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest captures and print the entry table.
    Entries(entries::Args),
    /// Ingest captures and write the index.
    Build(build::Args),
    /// Query an index.
    Search(search::SearchArgs),
    /// Complete a prefix from an index's term dictionary.
    Suggest(search::SuggestArgs),
    /// Serve the explorer (a directory of static files) on 127.0.0.1.
    Serve(serve::Args),
    /// Write a synthetic corpus of live-blog captures, for measuring at scale.
    Synth(synth::Args),
    /// Measure search latency, build time and index size.
    Bench(bench::Args),
    /// Copy the built explorer with content-hashed file names and a manifest, for a CDN.
    Publish(publish::Args),
    /// Write the .br and .gz copies of a directory's assets, for `serve` and static hosts.
    Compress(compress::Args),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Entries(a) => entries::run(a),
        Command::Build(a) => build::run(a),
        Command::Search(a) => search::run_search(a),
        Command::Suggest(a) => search::run_suggest(a),
        Command::Serve(a) => serve::run(a),
        Command::Synth(a) => synth::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Publish(a) => publish::run(a),
        Command::Compress(a) => compress::run(a),
    };
    if let Err(e) = result {
        eprintln!("dateline: error: {e:#}");
        std::process::exit(1);
    }
}
