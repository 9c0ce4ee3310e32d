//! The build, measured in a child process of its own (`dateline bench
//! --child-build`): time, CPU, peak memory, sizes.

use super::*;

/// Peak and current resident memory of this process, KiB (`VmHWM`, `VmRSS`).
pub(super) fn rss_kib() -> (u64, u64) {
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
pub(super) fn cpu_s() -> (f64, f64) {
    let s = fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut f = s.split_whitespace().map(|v| v.parse::<u64>().unwrap_or(0) as f64 / 1e9);
    (f.next().unwrap_or(0.0), f.next().unwrap_or(0.0))
}

/// The text the index is built from, as `build` counts it.
pub(super) fn entry_text_len(e: &Entry) -> u64 {
    (e.title.len()
        + e.body.iter().map(String::len).sum::<usize>()
        + e.media.iter().map(|m| m.caption.len() + m.credit.len()).sum::<usize>()
        + e.authors.iter().map(String::len).sum::<usize>()) as u64
}

/// The child: ingest + index in this process, figures as JSON on stdout.
pub(super) fn child_build(manifest: &Path, out: &Path) -> anyhow::Result<()> {
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
    let part = &bytes[..bytes.len().min(GZIP_SAMPLE_BYTES as usize)];
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(part)?;
    let index_gzip_bytes =
        (gz.finish()?.len() as f64 * bytes.len() as f64 / part.len().max(1) as f64) as u64;
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
        index_gzip_bytes,
        sections,
        terms,
        raw_text_bytes,
        text_gzip_bytes,
        text_gzip_sample: sample,
    };
    println!("{}", serde_json::to_string(&figures)?);
    Ok(())
}
