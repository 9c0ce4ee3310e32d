//! What is measured: a build's figures, latency percentiles, slow
//! keystrokes, everything about one corpus.

use super::*;

/// What the child process reports about one build.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct BuildFigures {
    pub(super) entries: usize,
    pub(super) captures: usize,
    pub(super) duplicates_merged: usize,
    /// Bytes of the capture files read.
    pub(super) capture_bytes: u64,
    pub(super) ingest_s: f64,
    pub(super) index_s: f64,
    /// On-CPU seconds of ingestion and of index writing (`/proc/self/schedstat`):
    /// what the wall times would be on an idle machine (the build is one thread).
    pub(super) ingest_cpu_s: f64,
    pub(super) index_cpu_s: f64,
    /// Seconds the build was runnable but waiting for a CPU (other processes).
    pub(super) cpu_wait_s: f64,
    /// Peak resident memory after ingestion, KiB.
    pub(super) rss_ingest_kib: u64,
    /// Peak resident memory of the whole build, KiB.
    pub(super) rss_peak_kib: u64,
    pub(super) index_bytes: u64,
    /// Gzip (level 6) size of the index file (past 64 MiB: of its first
    /// 64 MiB, scaled).
    pub(super) index_gzip_bytes: u64,
    /// Section name → bytes.
    pub(super) sections: Vec<(String, u64)>,
    pub(super) terms: u32,
    /// Title, body, captions, credits and authors of every entry, in bytes.
    pub(super) raw_text_bytes: u64,
    /// Gzip (level 6) size of that text, one entry after another.
    pub(super) text_gzip_bytes: u64,
    /// 1: the whole text was compressed; k: every k-th entry, scaled up.
    pub(super) text_gzip_sample: u64,
}

impl BuildFigures {
    /// The index without the stored entries (what search needs).
    pub(super) fn search_bytes(&self) -> u64 {
        self.sections
            .iter()
            .filter(|(n, _)| n != "entries" && n != "entry_offsets")
            .map(|(_, b)| b)
            .sum()
    }
}

/// Percentiles of a latency sample, in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct Latency {
    pub(super) samples: usize,
    pub(super) p50_ms: f64,
    pub(super) p95_ms: f64,
    pub(super) p99_ms: f64,
    pub(super) max_ms: f64,
    pub(super) mean_ms: f64,
}

impl Latency {
    pub(super) fn of(ns: &mut [u64]) -> Latency {
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
pub(super) struct Slow {
    pub(super) prefix: String,
    pub(super) median_ms: f64,
    pub(super) search_median_ms: f64,
    pub(super) total_hits: usize,
}

/// Everything measured on one corpus.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Measured {
    pub(super) label: String,
    /// Synthetic size (`None`: the real corpus).
    pub(super) synthetic: Option<u64>,
    pub(super) synth_s: Option<f64>,
    pub(super) synth_reused: bool,
    pub(super) build: BuildFigures,
    /// Wall time of the child process (ingest + index + writing the file + reporting).
    pub(super) build_wall_s: f64,
    pub(super) open_ms: f64,
    pub(super) rounds: usize,
    pub(super) keystroke: Latency,
    /// Over keystrokes, each one's best round: an estimate for a quiet
    /// machine (preemption by other processes only ever adds time).
    pub(super) keystroke_best: Latency,
    pub(super) search: Latency,
    pub(super) suggest: Latency,
    /// On-CPU milliseconds per keystroke, averaged over the timed rounds
    /// (`/proc/thread-self/schedstat`): the mean an idle machine would show.
    pub(super) keystroke_cpu_mean_ms: f64,
    /// Mean wall milliseconds per keystroke over the same rounds.
    pub(super) keystroke_wall_mean_ms: f64,
    pub(super) errors: usize,
    pub(super) slowest: Vec<Slow>,
    /// Hits for each full query.
    pub(super) totals: Vec<(String, usize)>,
    pub(super) target_keystroke_p95_ms: Option<f64>,
}
