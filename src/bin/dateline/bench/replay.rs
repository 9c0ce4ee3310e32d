//! Replaying the queries key by key against an index built in a child
//! process, as the page runs them.

use super::*;

/// Builds in a child process, then replays keystrokes against the index.
#[allow(clippy::too_many_arguments)]
pub(super) fn measure(
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
pub(super) fn last_word(value: &str) -> String {
    if value.ends_with(char::is_whitespace) {
        return String::new();
    }
    let w = value.rsplit(char::is_whitespace).next().unwrap_or("");
    w.trim_start_matches(['-', '"']).trim_end_matches('"').to_string()
}
