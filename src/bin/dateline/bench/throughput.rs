//! `dateline bench --ingest`: ingest throughput per format. The same N
//! synthetic posts are written once per format (`synth --format`, cached),
//! and each archive is ingested in a child process of its own (`dateline
//! bench --child-ingest`), so each gets its own time and peak memory.

use super::*;
use crate::synth::{write_archive, SynthFormat};

/// What one ingest run measured (the child's JSON).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct IngestFigures {
    /// The format's name.
    #[serde(default)]
    pub format: String,
    /// Bytes read (every capture, or the one archive).
    #[serde(default)]
    pub bytes: u64,
    /// Entries that came out.
    pub entries: usize,
    /// Wall-clock seconds of the ingest.
    pub seconds: f64,
    /// Peak resident memory of the child, KiB.
    pub rss_peak_kib: u64,
}

/// The child: ingests `path` (a manifest for text, else one archive) and
/// prints its figures as JSON.
pub(super) fn child_ingest(path: &Path) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let corpus = if path.extension().is_some_and(|e| e == "toml") {
        ingest::from_manifest(path)
    } else {
        ingest::from_files(&[path.to_path_buf()])
    }
    .with_context(|| format!("ingesting {}", path.display()))?;
    let seconds = t0.elapsed().as_secs_f64();
    let (rss_peak_kib, _) = rss_kib();
    let figures = IngestFigures {
        format: String::new(),
        bytes: 0,
        entries: corpus.entries.len(),
        seconds,
        rss_peak_kib,
    };
    println!("{}", serde_json::to_string(&figures)?);
    Ok(())
}

/// Writes the archive of `n` posts in `format` under `dir` unless it is
/// there with the same fingerprint; returns its path and its bytes.
fn ensure_archive(
    model: &Model,
    n: u64,
    seed: u64,
    format: SynthFormat,
    dir: &Path,
) -> anyhow::Result<(PathBuf, u64)> {
    let opts = Options { entries: n, seed, ..Options::default() };
    let fdir = dir.join(format.name());
    let path = fdir.join(format.file_name());
    let stamp =
        format!("synth v{} entries {n} seed {seed} format {}\n", synth::VERSION, format.name());
    let stamp_path = fdir.join(".stamp");
    if !(path.is_file() && fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp)) {
        if fdir.exists() {
            fs::remove_dir_all(&fdir).with_context(|| format!("clearing {}", fdir.display()))?;
        }
        fs::create_dir_all(&fdir).with_context(|| format!("creating {}", fdir.display()))?;
        eprintln!("dateline bench: writing {n} synthetic posts as {}", format.name());
        if format == SynthFormat::Text {
            synth::write_corpus(model, &opts, &fdir)?;
        } else {
            write_archive(model, &opts, format, &path)?;
        }
        fs::write(&stamp_path, stamp)?;
    }
    let bytes = if format == SynthFormat::Text {
        let mut total = 0;
        for e in fs::read_dir(&fdir)? {
            let p = e?.path();
            if p.extension().is_some_and(|e| e == "txt") {
                total += fs::metadata(&p)?.len();
            }
        }
        total
    } else {
        fs::metadata(&path)?.len()
    };
    Ok((path, bytes))
}

/// Measures every format at `n` posts and prints the table.
pub(super) fn bench_ingest(args: &Args, cache: &Path) -> anyhow::Result<()> {
    let n = args.ingest_size;
    let model = Model::from_dir(&args.from_corpus)
        .with_context(|| format!("reading {}", args.from_corpus.display()))?;
    let dir = cache.join(format!("ingest-{n}-seed{}", args.seed));
    let exe = std::env::current_exe().context("finding this program")?;
    let mut rows = Vec::new();
    for format in SynthFormat::ALL {
        let (path, bytes) = ensure_archive(&model, n, args.seed, format, &dir)?;
        eprintln!("dateline bench: ingesting {}", path.display());
        let out = Command::new(&exe)
            .arg("bench")
            .arg("--child-ingest")
            .arg(&path)
            .output()
            .context("running the ingest child")?;
        if !out.status.success() {
            bail!("ingesting {} failed: {}", path.display(), String::from_utf8_lossy(&out.stderr));
        }
        let mut f: IngestFigures = serde_json::from_slice(&out.stdout)
            .with_context(|| format!("reading the child's figures for {}", format.name()))?;
        f.format = format.name().to_string();
        f.bytes = bytes;
        rows.push(f);
    }
    print!("{}", ingest_table(n, &rows));
    std::io::stdout().flush().ok();
    if let Some(path) = &args.json {
        let json = serde_json::json!({ "machine": machine(), "ingest_posts": n, "ingest": rows });
        fs::write(path, serde_json::to_vec_pretty(&json)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The Markdown table of ingest figures.
pub(super) fn ingest_table(n: u64, rows: &[IngestFigures]) -> String {
    let mut s = format!(
        "\n### Ingest throughput, {n} synthetic posts per format\n\n\
         | format | MB | posts | seconds | MB/s | posts/s | peak RSS (MiB) |\n\
         |---|---:|---:|---:|---:|---:|---:|\n"
    );
    for r in rows {
        let mb = r.bytes as f64 / 1e6;
        let secs = r.seconds.max(1e-9);
        writeln!(
            s,
            "| {} | {mb:.1} | {} | {:.2} | {:.1} | {:.0} | {:.0} |",
            r.format,
            r.entries,
            r.seconds,
            mb / secs,
            r.entries as f64 / secs,
            r.rss_peak_kib as f64 / 1024.0
        )
        .ok();
    }
    s
}
