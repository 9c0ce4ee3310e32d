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
    /// Internal: build MANIFEST into OUT/index.dtl in this process and print figures as JSON.
    #[arg(long, hide = true, num_args = 2, value_names = ["MANIFEST", "OUT"])]
    child_build: Vec<PathBuf>,
}

/// What the child process reports about one build.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct BuildFigures {
    entries: usize,
    captures: usize,
    duplicates_merged: usize,
    /// Bytes of the capture files read.
    capture_bytes: u64,
    ingest_s: f64,
    index_s: f64,
    /// On-CPU seconds of ingestion and of index writing (`/proc/self/schedstat`):
    /// what the wall times would be on an idle machine (the build is one thread).
    ingest_cpu_s: f64,
    index_cpu_s: f64,
    /// Seconds the build was runnable but waiting for a CPU (other processes).
    cpu_wait_s: f64,
    /// Peak resident memory after ingestion, KiB.
    rss_ingest_kib: u64,
    /// Peak resident memory of the whole build, KiB.
    rss_peak_kib: u64,
    index_bytes: u64,
    /// Section name → bytes.
    sections: Vec<(String, u64)>,
    terms: u32,
    /// Title, body, captions, credits and authors of every entry, in bytes.
    raw_text_bytes: u64,
    /// Gzip (level 6) size of that text, one entry after another.
    text_gzip_bytes: u64,
    /// 1: the whole text was compressed; k: every k-th entry, scaled up.
    text_gzip_sample: u64,
}

impl BuildFigures {
    /// The index without the stored entries (what search needs).
    fn search_bytes(&self) -> u64 {
        self.sections
            .iter()
            .filter(|(n, _)| n != "entries" && n != "entry_offsets")
            .map(|(_, b)| b)
            .sum()
    }
}

/// Percentiles of a latency sample, in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
struct Latency {
    samples: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    mean_ms: f64,
}

impl Latency {
    fn of(ns: &mut [u64]) -> Latency {
        if ns.is_empty() {
            return Latency::default();
        }
        ns.sort_unstable();
        let at = |p: f64| {
            ns[((p * ns.len() as f64).ceil() as usize).clamp(1, ns.len()) - 1] as f64 / 1e6
        };
        Latency {
            samples: ns.len(),
            p50_ms: at(0.50),
            p95_ms: at(0.95),
            p99_ms: at(0.99),
            max_ms: *ns.last().unwrap_or(&0) as f64 / 1e6,
            mean_ms: ns.iter().sum::<u64>() as f64 / ns.len() as f64 / 1e6,
        }
    }
}

/// One slow keystroke: the prefix and its median time.
#[derive(Debug, Clone, Serialize)]
struct Slow {
    prefix: String,
    median_ms: f64,
    search_median_ms: f64,
    total_hits: usize,
}

/// Everything measured on one corpus.
#[derive(Debug, Clone, Serialize)]
struct Measured {
    label: String,
    /// Synthetic size (`None`: the real corpus).
    synthetic: Option<u64>,
    synth_s: Option<f64>,
    synth_reused: bool,
    build: BuildFigures,
    /// Wall time of the child process (ingest + index + writing the file + reporting).
    build_wall_s: f64,
    open_ms: f64,
    rounds: usize,
    keystroke: Latency,
    /// Over keystrokes, each one's best round: an estimate for a quiet
    /// machine (preemption by other processes only ever adds time).
    keystroke_best: Latency,
    search: Latency,
    suggest: Latency,
    /// On-CPU milliseconds per keystroke, averaged over the timed rounds
    /// (`/proc/thread-self/schedstat`): the mean an idle machine would show.
    keystroke_cpu_mean_ms: f64,
    /// Mean wall milliseconds per keystroke over the same rounds.
    keystroke_wall_mean_ms: f64,
    errors: usize,
    slowest: Vec<Slow>,
    /// Hits for each full query.
    totals: Vec<(String, usize)>,
    target_keystroke_p95_ms: Option<f64>,
}

/// Runs `dateline bench`.
pub fn run(args: Args) -> anyhow::Result<()> {
    if let [manifest, out] = args.child_build.as_slice() {
        return child_build(manifest, out);
    }
    if !args.child_build.is_empty() {
        bail!("--child-build takes a manifest and an output directory");
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

/// Builds in a child process, then replays keystrokes against the index.
#[allow(clippy::too_many_arguments)]
fn measure(
    args: &Args,
    queries: &[String],
    label: &str,
    synthetic: Option<u64>,
    manifest: &Path,
    out: &Path,
    synth_s: Option<f64>,
    synth_reused: bool,
) -> anyhow::Result<Measured> {
    eprintln!("dateline bench: [{label}] building in a child process");
    let exe = std::env::current_exe().context("finding this program to run the build child")?;
    let t = Instant::now();
    let child = Command::new(exe)
        .arg("bench")
        .arg("--child-build")
        .arg(manifest)
        .arg(out)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running the build child")?;
    let build_wall_s = t.elapsed().as_secs_f64();
    if !child.status.success() {
        bail!("[{label}] the build child failed ({})", child.status);
    }
    let build: BuildFigures =
        serde_json::from_slice(&child.stdout).context("reading the build child's figures")?;

    let bytes =
        fs::read(out.join("index.dtl")).with_context(|| format!("reading {}", out.display()))?;
    let t = Instant::now();
    let ix = Index::open(bytes).context("opening the index just built")?;
    let open_ms = t.elapsed().as_secs_f64() * 1e3;

    // Every prefix of every query, as typed.
    let mut strokes: Vec<(usize, String, String)> = Vec::new(); // (query, prefix, last word)
    for (qi, q) in queries.iter().enumerate() {
        let chars: Vec<char> = q.chars().collect();
        for i in 1..=chars.len() {
            let prefix: String = chars[..i].iter().collect();
            let word = last_word(&prefix);
            strokes.push((qi, prefix, word));
        }
    }
    eprintln!(
        "dateline bench: [{label}] replaying {} keystrokes ({} queries) for ~{:.0} s",
        strokes.len(),
        queries.len(),
        args.budget
    );
    // One searcher beside the index, as the page keeps one.
    let searcher = Searcher::new();
    let run_one = |prefix: &str, word: &str| -> (u64, u64, bool, usize) {
        let q = Query { query: prefix.to_string(), limit: PAGE, ..Query::default() };
        let t0 = Instant::now();
        let r = searcher.search(&ix, &q);
        let t1 = Instant::now();
        let s = if word.is_empty() {
            Vec::new()
        } else {
            searcher.suggest(&ix, word, SUGGESTIONS).unwrap_or_default()
        };
        let t2 = Instant::now();
        let (ok, total) = match &r {
            Ok(r) => (true, r.total),
            Err(_) => (false, 0),
        };
        let _ = black_box((r, s));
        ((t1 - t0).as_nanos() as u64, (t2 - t1).as_nanos() as u64, ok, total)
    };
    // Warm-up round (page cache, allocator), not counted.
    for (_, p, w) in &strokes {
        run_one(p, w);
    }
    let mut per_stroke: Vec<Vec<(u64, u64)>> = vec![Vec::new(); strokes.len()];
    let mut totals_of_stroke = vec![0usize; strokes.len()];
    let mut errors = 0;
    let mut rounds = 0;
    let (cpu0, _) = cpu_s();
    let start = Instant::now();
    while rounds < 3 || (start.elapsed().as_secs_f64() < args.budget && rounds < 200) {
        for (i, (_, p, w)) in strokes.iter().enumerate() {
            let (s, g, ok, total) = run_one(p, w);
            per_stroke[i].push((s, g));
            totals_of_stroke[i] = total;
            if !ok && rounds == 0 {
                errors += 1;
            }
        }
        rounds += 1;
    }
    let strokes_timed = (rounds * strokes.len()).max(1) as f64;
    let keystroke_wall_mean_ms = start.elapsed().as_secs_f64() * 1e3 / strokes_timed;
    let keystroke_cpu_mean_ms = (cpu_s().0 - cpu0) * 1e3 / strokes_timed;
    let mut key: Vec<u64> = per_stroke.iter().flatten().map(|(s, g)| s + g).collect();
    let mut best: Vec<u64> =
        per_stroke.iter().filter_map(|r| r.iter().map(|(s, g)| s + g).min()).collect();
    let mut srch: Vec<u64> = per_stroke.iter().flatten().map(|(s, _)| *s).collect();
    let mut sugg: Vec<u64> =
        per_stroke.iter().flatten().filter(|(_, g)| *g > 0).map(|(_, g)| *g).collect();
    let median = |xs: &mut Vec<u64>| {
        xs.sort_unstable();
        xs.get(xs.len() / 2).copied().unwrap_or(0) as f64 / 1e6
    };
    let mut slowest: Vec<Slow> = strokes
        .iter()
        .enumerate()
        .map(|(i, (_, p, _))| Slow {
            prefix: p.clone(),
            median_ms: median(&mut per_stroke[i].iter().map(|(s, g)| s + g).collect()),
            search_median_ms: median(&mut per_stroke[i].iter().map(|(s, _)| *s).collect()),
            total_hits: totals_of_stroke[i],
        })
        .collect();
    slowest.sort_by(|a, b| b.median_ms.total_cmp(&a.median_ms));
    slowest.truncate(5);
    let totals = queries
        .iter()
        .enumerate()
        .filter_map(|(qi, q)| {
            strokes.iter().rposition(|s| s.0 == qi).map(|i| (q.clone(), totals_of_stroke[i]))
        })
        .collect();
    let target_keystroke_p95_ms = match synthetic {
        None => Some(0.1),
        Some(100_000) => Some(2.0),
        Some(1_000_000) => Some(10.0),
        Some(_) => None,
    };
    Ok(Measured {
        label: label.to_string(),
        synthetic,
        synth_s,
        synth_reused,
        build,
        build_wall_s,
        open_ms,
        rounds,
        keystroke: Latency::of(&mut key),
        keystroke_best: Latency::of(&mut best),
        search: Latency::of(&mut srch),
        suggest: Latency::of(&mut sugg),
        keystroke_cpu_mean_ms,
        keystroke_wall_mean_ms,
        errors,
        slowest,
        totals,
        target_keystroke_p95_ms,
    })
}

/// The word the page completes: the last run of non-spaces, without a
/// leading `-`/`"` or a trailing `"`; nothing after a space.
fn last_word(value: &str) -> String {
    if value.ends_with(char::is_whitespace) {
        return String::new();
    }
    let w = value.rsplit(char::is_whitespace).next().unwrap_or("");
    w.trim_start_matches(['-', '"']).trim_end_matches('"').to_string()
}

/// Peak and current resident memory of this process, KiB (`VmHWM`, `VmRSS`).
fn rss_kib() -> (u64, u64) {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// On-CPU and run-queue-wait seconds of this thread so far.
fn cpu_s() -> (f64, f64) {
    let s = fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut f = s.split_whitespace().map(|v| v.parse::<u64>().unwrap_or(0) as f64 / 1e9);
    (f.next().unwrap_or(0.0), f.next().unwrap_or(0.0))
}

/// The text the index is built from, as `build` counts it.
fn entry_text_len(e: &Entry) -> u64 {
    (e.title.len()
        + e.body.iter().map(String::len).sum::<usize>()
        + e.media.iter().map(|m| m.caption.len() + m.credit.len()).sum::<usize>()
        + e.authors.iter().map(String::len).sum::<usize>()) as u64
}

/// The child: ingest + index in this process, figures as JSON on stdout.
fn child_build(manifest: &Path, out: &Path) -> anyhow::Result<()> {
    let (c0, w0) = cpu_s();
    let t0 = Instant::now();
    let corpus = ingest::from_manifest(manifest)
        .with_context(|| format!("ingesting {}", manifest.display()))?;
    let ingest_s = t0.elapsed().as_secs_f64();
    let (c1, _) = cpu_s();
    let (rss_ingest_kib, _) = rss_kib();
    let meta = Meta { title: corpus.title.clone(), timezone: corpus.timezone.clone() };
    let t1 = Instant::now();
    let bytes = index::write(&corpus.entries, &meta)?;
    let index_s = t1.elapsed().as_secs_f64();
    let (c2, w2) = cpu_s();
    let (rss_peak_kib, _) = rss_kib();
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let path = out.join("index.dtl");
    fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;

    // Sizes, outside the timed part.
    let ix = Index::open(bytes.as_slice())?;
    let sections = ix.section_sizes().into_iter().map(|(n, b)| (n.to_string(), b as u64)).collect();
    let terms = ix.stats().terms;
    let raw_text_bytes: u64 = corpus.entries.iter().map(entry_text_len).sum();
    let sample = raw_text_bytes.div_ceil(GZIP_SAMPLE_BYTES).max(1);
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    let mut sampled = 0u64;
    for e in corpus.entries.iter().filter(|e| e.id as u64 % sample == 0) {
        sampled += entry_text_len(e);
        gz.write_all(e.title.as_bytes())?;
        for p in &e.body {
            gz.write_all(b"\n")?;
            gz.write_all(p.as_bytes())?;
        }
        for m in &e.media {
            gz.write_all(b"\n")?;
            gz.write_all(m.caption.as_bytes())?;
            gz.write_all(b"\n")?;
            gz.write_all(m.credit.as_bytes())?;
        }
        for a in &e.authors {
            gz.write_all(b"\n")?;
            gz.write_all(a.as_bytes())?;
        }
        gz.write_all(b"\n")?;
    }
    let gz_len = gz.finish()?.len() as u64;
    let text_gzip_bytes = if sample == 1 {
        gz_len
    } else {
        (gz_len as f64 * raw_text_bytes as f64 / sampled.max(1) as f64) as u64
    };
    let dir = manifest.parent().unwrap_or(Path::new("."));
    let capture_bytes = corpus
        .entries
        .iter()
        .flat_map(|e| e.sources.iter().map(|s| s.file.clone()))
        .collect::<std::collections::BTreeSet<_>>()
        .iter()
        .filter_map(|f| fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum();
    let figures = BuildFigures {
        entries: corpus.entries.len(),
        captures: corpus.report.captures,
        duplicates_merged: corpus.report.duplicates_merged,
        capture_bytes,
        ingest_s,
        index_s,
        ingest_cpu_s: c1 - c0,
        index_cpu_s: c2 - c1,
        cpu_wait_s: w2 - w0,
        rss_ingest_kib,
        rss_peak_kib,
        index_bytes: bytes.len() as u64,
        sections,
        terms,
        raw_text_bytes,
        text_gzip_bytes,
        text_gzip_sample: sample,
    };
    println!("{}", serde_json::to_string(&figures)?);
    Ok(())
}

fn mib(b: u64) -> String {
    if b < 1 << 20 {
        format!("{:.1} KiB", b as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", b as f64 / (1 << 20) as f64)
    }
}

fn mark(ok: bool) -> &'static str {
    if ok {
        "✓"
    } else {
        "✗"
    }
}

/// The report: build and size, latency, sections, slowest keystrokes.
fn markdown(machine: &str, queries: &[String], all: &[Measured]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## dateline bench\n");
    let _ = writeln!(s, "Release build; {machine}. Latencies are wall-clock on a shared machine: treat them as noisy.\n");
    let _ = writeln!(
        s,
        "{} queries typed key by key ({} keystrokes); each keystroke = `search` (limit {PAGE}, snippets, histogram) + `suggest` (last word, {SUGGESTIONS}).\n",
        queries.len(),
        queries.iter().map(|q| q.chars().count()).sum::<usize>()
    );

    let _ = writeln!(s, "### Build and size\n");
    let _ = writeln!(s, "| corpus | entries | captures | synth | ingest (cpu) | index (cpu) | build (child wall) | peak RSS | index file | ex-stored | ex-stored ÷ raw text | ex-stored ÷ gzip(text) | terms |");
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in all {
        let b = &m.build;
        let ex = b.search_bytes();
        let ratio_raw = ex as f64 / b.raw_text_bytes.max(1) as f64;
        let ratio_gz = ex as f64 / b.text_gzip_bytes.max(1) as f64;
        let synth = match (m.synth_s, m.synth_reused) {
            (Some(t), _) => format!("{t:.1} s"),
            (None, true) => "cached".into(),
            (None, false) => "—".into(),
        };
        let big = m.synthetic == Some(1_000_000);
        let build_total = b.ingest_s + b.index_s;
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.2} s ({:.2}) | {:.2} s ({:.2}) | {:.2} s{} | {}{} | {} | {} | {:.1}% {} | {:.2}×{} | {} |",
            m.label,
            b.entries,
            b.captures,
            synth,
            b.ingest_s,
            b.ingest_cpu_s,
            b.index_s,
            b.index_cpu_s,
            m.build_wall_s,
            if big {
                format!(
                    " (ingest+index {build_total:.1} s {}, on CPU {:.1} s {})",
                    mark(build_total < 60.0),
                    b.ingest_cpu_s + b.index_cpu_s,
                    mark(b.ingest_cpu_s + b.index_cpu_s < 60.0)
                )
            } else {
                String::new()
            },
            mib(b.rss_peak_kib * 1024),
            if big { format!(" {}", mark(b.rss_peak_kib < 2 << 20)) } else { String::new() },
            mib(b.index_bytes),
            mib(ex),
            100.0 * ratio_raw,
            mark(ratio_raw < 0.35),
            ratio_gz,
            if b.text_gzip_sample > 1 { format!(" (gzip est. from 1/{})", b.text_gzip_sample) } else { String::new() },
            b.terms,
        );
    }
    let _ = writeln!(s, "\n(cpu) = seconds on a CPU (`/proc/thread-self/schedstat`; the build is one thread): the wall time an idle machine would show.");
    let _ = writeln!(s, "Raw text = title + body + captions + credits + authors of every entry. Targets: 1M entries built in < 60 s and < 2 GiB; index without stored entries < 35% of the raw text.\n");
    let _ = writeln!(
        s,
        "| corpus | raw text | gzip(text) | captures read | peak RSS after ingest | open index |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|");
    for m in all {
        let b = &m.build;
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {:.1} ms |",
            m.label,
            mib(b.raw_text_bytes),
            mib(b.text_gzip_bytes),
            mib(b.capture_bytes),
            mib(b.rss_ingest_kib * 1024),
            m.open_ms
        );
    }

    let _ = writeln!(s, "\n### Per-keystroke latency (ms)\n");
    let _ = writeln!(s, "| corpus | rounds | keystroke p50 | p95 | p99 | max | target p95 | best-of-rounds p50 | p95 | mean wall | mean on CPU | search p50 | search p95 | suggest p50 | suggest p95 |");
    let _ =
        writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in all {
        let k = &m.keystroke;
        let target = match m.target_keystroke_p95_ms {
            Some(t) => format!("< {t} {}", mark(k.p95_ms < t)),
            None => "—".into(),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            m.label,
            m.rounds,
            k.p50_ms,
            k.p95_ms,
            k.p99_ms,
            k.max_ms,
            target,
            m.keystroke_best.p50_ms,
            m.keystroke_best.p95_ms,
            m.keystroke_wall_mean_ms,
            m.keystroke_cpu_mean_ms,
            m.search.p50_ms,
            m.search.p95_ms,
            m.suggest.p50_ms,
            m.suggest.p95_ms
        );
    }
    let _ = writeln!(s, "\nBest-of-rounds: each keystroke's fastest round, then percentiles over keystrokes; on a shared machine it estimates what a quiet one would show. Mean on CPU: this thread's on-CPU time over the timed rounds per keystroke (schedstat), against the mean wall time.");
    if all.iter().any(|m| m.errors > 0) {
        let _ = writeln!(
            s,
            "\nPrefixes the engine refused (an error, as the page would show): {}.",
            all.iter().map(|m| format!("{} {}", m.label, m.errors)).collect::<Vec<_>>().join(", ")
        );
    }

    let _ = writeln!(s, "\n### Slowest keystrokes (median over rounds)\n");
    for m in all {
        let list: Vec<String> = m
            .slowest
            .iter()
            .map(|x| format!("`{}` {:.3} ms ({} hits)", x.prefix, x.median_ms, x.total_hits))
            .collect();
        let _ = writeln!(s, "- {}: {}", m.label, list.join(", "));
    }

    let _ = writeln!(s, "\n### Index sections (bytes)\n");
    let mut names: Vec<String> = Vec::new();
    for m in all {
        for (n, _) in &m.build.sections {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
    }
    let _ = write!(s, "| section |");
    for m in all {
        let _ = write!(s, " {} |", m.label);
    }
    let _ = write!(s, "\n|---|");
    for _ in all {
        let _ = write!(s, "---:|");
    }
    let _ = writeln!(s);
    let by: Vec<BTreeMap<&str, u64>> = all
        .iter()
        .map(|m| m.build.sections.iter().map(|(n, b)| (n.as_str(), *b)).collect())
        .collect();
    for n in &names {
        let _ = write!(s, "| {n} |");
        for b in &by {
            let _ = write!(s, " {} |", b.get(n.as_str()).copied().unwrap_or(0));
        }
        let _ = writeln!(s);
    }
    let _ = write!(s, "| **total** |");
    for m in all {
        let _ = write!(s, " {} |", m.build.index_bytes);
    }
    let _ = writeln!(s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_word_is_what_the_page_completes() {
        assert_eq!(last_word("kyiv -khar"), "khar");
        assert_eq!(last_word("\"special mil"), "mil");
        assert_eq!(last_word("\"special\""), "special");
        assert_eq!(last_word("putin "), "");
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut ns: Vec<u64> = (1..=100).map(|i| i * 1_000_000).collect();
        let l = Latency::of(&mut ns);
        assert_eq!((l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms), (50.0, 95.0, 99.0, 100.0));
    }
}
