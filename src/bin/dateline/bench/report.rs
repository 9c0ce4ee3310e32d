//! The figures as Markdown.

use super::*;

pub(super) fn mib(b: u64) -> String {
    if b < 1 << 20 {
        format!("{:.1} KiB", b as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", b as f64 / (1 << 20) as f64)
    }
}

pub(super) fn mark(ok: bool) -> &'static str {
    if ok {
        "✓"
    } else {
        "✗"
    }
}

/// The report: build and size, latency, sections, slowest keystrokes.
pub(super) fn markdown(machine: &str, queries: &[String], all: &[Measured]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## dateline bench\n");
    let _ = writeln!(s, "Release build; {machine}. Latencies are wall-clock on a shared machine: treat them as noisy.\n");
    let _ = writeln!(
        s,
        "{} queries typed key by key ({} keystrokes); each keystroke = `search` (limit {PAGE}, snippets, histogram) + `suggest` (last word, {SUGGESTIONS}).\n",
        queries.len(),
        queries.iter().map(|q| q.chars().count()).sum::<usize>()
    );

    build_tables(&mut s, all);
    latency_table(&mut s, all);
    slowest(&mut s, all);
    sections_table(&mut s, all);
    s
}

/// Build time, memory and sizes, per corpus.
fn build_tables(s: &mut String, all: &[Measured]) {
    let _ = writeln!(s, "### Build and size\n");
    let _ = writeln!(s, "| corpus | entries | captures | synth | ingest (cpu) | index (cpu) | build (child wall) | peak RSS | index file | ex-stored | ex-stored ÷ raw text | ex-stored ÷ gzip(text) | gzip(index) ÷ gzip(text) | terms |");
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in all {
        let b = &m.build;
        let ex = b.search_bytes();
        let ratio_raw = ex as f64 / b.raw_text_bytes.max(1) as f64;
        let ratio_gz = ex as f64 / b.text_gzip_bytes.max(1) as f64;
        let ratio_file = b.index_gzip_bytes as f64 / b.text_gzip_bytes.max(1) as f64;
        let synth = match (m.synth_s, m.synth_reused) {
            (Some(t), _) => format!("{t:.1} s"),
            (None, true) => "cached".into(),
            (None, false) => "—".into(),
        };
        let big = m.synthetic == Some(1_000_000);
        let build_total = b.ingest_s + b.index_s;
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.2} s ({:.2}) | {:.2} s ({:.2}) | {:.2} s{} | {}{} | {} | {} | {:.1}% {} | {:.2}×{} | {:.2}× | {} |",
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
            ratio_file,
            b.terms,
        );
    }
    let _ = writeln!(s, "\n(cpu) = seconds on a CPU (`/proc/thread-self/schedstat`; the build is one thread): the wall time an idle machine would show.");
    let _ = writeln!(s, "Raw text = title + body + captions + credits + authors of every entry. Targets: 1M entries built in < 60 s and < 2 GiB; index without stored entries < 35% of the raw text; the default corpus's whole index ≤ 1.5× its text, both gzipped.\n");
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
}

/// Per-keystroke latency percentiles, per corpus.
fn latency_table(s: &mut String, all: &[Measured]) {
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
}

/// The slowest keystrokes of each corpus.
fn slowest(s: &mut String, all: &[Measured]) {
    let _ = writeln!(s, "\n### Slowest keystrokes (median over rounds)\n");
    for m in all {
        let list: Vec<String> = m
            .slowest
            .iter()
            .map(|x| format!("`{}` {:.3} ms ({} hits)", x.prefix, x.median_ms, x.total_hits))
            .collect();
        let _ = writeln!(s, "- {}: {}", m.label, list.join(", "));
    }
}

/// Bytes of each index section, per corpus.
fn sections_table(s: &mut String, all: &[Measured]) {
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
}
