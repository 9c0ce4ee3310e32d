//! `dateline build`: ingest captures and write `DIR/index.dtl`, with a
//! progress bar on long builds and a summary of what was written.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;
use std::time::Instant;

use anyhow::Context;
use dateline::index::{self, Index, Meta, Progress, ShardOptions};
use flate2::write::GzEncoder;
use flate2::Compression;
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::entries::Input;

/// The file name of the index (or of a sharded index's root) inside the output directory.
pub const INDEX_FILE: &str = "index.dtl";

/// The directory, beside `index.dtl`, that a sharded index's shards go in.
pub const SHARDS_DIR: &str = "shards";

/// Whether to split the index into shards.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum ShardMode {
    /// Split when the indexed text is larger than `--shard-above`.
    Auto,
    /// Always split (tests force a small corpus into many shards this way).
    Always,
    /// Always write one file.
    Never,
}

/// Entries from which a progress bar is drawn.
const PROGRESS_FROM: usize = 20_000;

/// Arguments of `dateline build`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: Input,
    /// Directory to write `index.dtl` into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Print no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Also write the whole explorer with this index as ONE HTML file that
    /// opens from file:// and offline (see single.rs).
    #[arg(long, value_name = "OUT.html")]
    single_file: Option<PathBuf>,
    /// The built www assets the single file is made from (./build.sh builds them).
    #[arg(long, value_name = "DIR", default_value = "www", requires = "single_file")]
    assets: PathBuf,
    /// Split the index into a small root and shards that the explorer
    /// fetches as queries need them.
    #[arg(long, value_enum, default_value = "auto")]
    shards: ShardMode,
    /// With `--shards auto`: split when the entries' text (titles and
    /// bodies) is larger than this many bytes. Measured at 1k synthetic
    /// entries (0.9 MB of text): one file fetched 720 KB gzip before the first
    /// result, shards 286 KB but a few round trips more — about even.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    shard_above: usize,
    /// Target size of a piece (dictionary, postings, lists), in bytes.
    #[arg(long, value_name = "BYTES")]
    piece_bytes: Option<usize>,
    /// Use absurdly small pieces (for tests of the sharded paths).
    #[arg(long, hide = true)]
    tiny_shards: bool,
}

/// Ingests, writes the index, prints the summary.
pub fn run(args: Args) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let corpus = args.input.load()?;
    let t_ingest = t0.elapsed();
    let peak_ingest = peak_rss_kib();
    // Ingestion's transient buffers are free now, but glibc keeps them
    // (~0.5 GiB at a million entries, scattered among the entries): give
    // them back, or the inversion's memory comes on top of them.
    release_memory();
    let plan = Plan::new(&args, &corpus.entries);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    // The whole index streams to a file (a sharded build splits it, then
    // removes it), with its postings spilled beside it while the sections
    // before them are built: nothing as large as the index is in memory
    // beside the entries.
    let single = Temp(args.out.join(format!("{INDEX_FILE}.tmp")));
    let wrote = write_index(&corpus, &plan, &args, &single)?;
    // The entries are in the index now: free them, and give the memory back
    // to the system before the index is read back (the peak is otherwise
    // the entries and the index together).
    drop(corpus);
    release_memory();
    let need_bytes = plan.sharded || !args.quiet || args.single_file.is_some();
    let bytes = if need_bytes {
        std::fs::read(&single.0).with_context(|| format!("reading back {}", single.0.display()))?
    } else {
        Vec::new()
    };
    let path = args.out.join(INDEX_FILE);
    // The summary (gzip sizes of every section: seconds at a million
    // entries) is worked out on a second thread while the shards are written.
    let t_split = Instant::now();
    let (described, done) = std::thread::scope(|s| {
        let described = (!args.quiet).then(|| s.spawn(|| describe(&bytes, &path, &plan)));
        let done = place_index(&args, &plan, &bytes, single).map(|()| t_split.elapsed());
        let described =
            described.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (described, done)
    });
    let t_summary = t_split.elapsed();
    let t_split = done?;
    if let Some(out) = &args.single_file {
        let written = crate::single::write(&bytes, &args.assets, out)?;
        if !args.quiet {
            eprint!("{}", crate::single::report(&written));
        }
    }
    if args.quiet {
        return Ok(());
    }
    if let Some(d) = described {
        eprint!("{}", d?);
    }
    let times = [t_ingest, t_split, t_summary.saturating_sub(t_split)];
    print_timings(&wrote, times, plan.sharded, peak_ingest)
}

/// What `run` decides before writing: the split, the piece and block sizes.
struct Plan {
    sharded: bool,
    /// All indexed text, in bytes, for the summary.
    raw: usize,
    /// The gzipped size of the entries' text ([`entries_text_gzip`]) and
    /// whether it was estimated from a sample.
    text_gz: (usize, bool),
    shard_opts: ShardOptions,
    write_opts: index::Options,
}

impl Plan {
    fn new(args: &Args, entries: &[dateline::model::entry::Entry]) -> Plan {
        let text: usize = entries
            .iter()
            .map(|e| e.title.len() + e.body.iter().map(String::len).sum::<usize>())
            .sum();
        let raw: usize = entries
            .iter()
            .map(|e| {
                e.title.len()
                    + e.body.iter().map(String::len).sum::<usize>()
                    + e.media.iter().map(|m| m.caption.len() + m.credit.len()).sum::<usize>()
                    + e.authors.iter().map(String::len).sum::<usize>()
            })
            .sum();
        let sharded = match args.shards {
            ShardMode::Always => true,
            ShardMode::Never => false,
            ShardMode::Auto => text > args.shard_above,
        };
        let mut shard_opts =
            if args.tiny_shards { ShardOptions::tiny() } else { ShardOptions::default() };
        if let Some(b) = args.piece_bytes {
            let o = &mut shard_opts;
            (o.dict_bytes, o.postings_bytes, o.tops_bytes, o.list_bytes) = (b, b, b, b);
        }
        // A sharded index fetches an entry block per result card: small blocks.
        let entry_block = match (sharded, args.tiny_shards) {
            (false, _) => 64,
            (true, true) => 2,
            (true, false) => 8,
        };
        let text_gz = if args.quiet { (0, true) } else { entries_text_gzip(entries) };
        let write_opts = index::Options { entry_block, all_tops: sharded };
        Plan { sharded, raw, text_gz, shard_opts, write_opts }
    }
}

/// How long writing took, and the peak memory at its two steps.
struct Wrote {
    write: std::time::Duration,
    invert: Option<std::time::Duration>,
    peak_invert: Option<u64>,
    peak_write: Option<u64>,
}

/// Streams the index of `corpus` into `single`, with a progress bar on long builds.
fn write_index(
    corpus: &dateline::ingest::Corpus,
    plan: &Plan,
    args: &Args,
    single: &Temp,
) -> anyhow::Result<Wrote> {
    let meta = Meta { title: corpus.title.clone(), timezone: corpus.timezone.clone() };
    let bar = progress_bar(corpus.entries.len(), args.quiet);
    let t1 = Instant::now();
    let (mut invert, mut peak_invert) = (None, None);
    let spill_path = Temp(args.out.join(format!("{INDEX_FILE}.postings.tmp")));
    let open = |p: &Path| {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(p)
            .with_context(|| format!("creating {}", p.display()))
    };
    let mut spill = open(&spill_path.0)?;
    let mut file = open(&single.0)?;
    let mut progress = |p: Progress| match p {
        Progress::Indexing { done, .. } => {
            if let Some(b) = &bar {
                b.set_position(done as u64)
            }
        }
        Progress::Writing => {
            invert.get_or_insert(t1.elapsed());
            peak_invert.get_or_insert(peak_rss_kib());
            if let Some(b) = &bar {
                b.set_message("writing")
            }
        }
    };
    index::write_to(&corpus.entries, &meta, &plan.write_opts, &mut progress, &mut file, &mut spill)
        .with_context(|| format!("writing {}", single.0.display()))?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let write = t1.elapsed();
    Ok(Wrote { write, invert, peak_invert: peak_invert.flatten(), peak_write: peak_rss_kib() })
}

/// A progress bar for a build of `n` entries, when that is long enough to want one.
fn progress_bar(n: usize, quiet: bool) -> Option<ProgressBar> {
    (n >= PROGRESS_FROM && !quiet).then(|| {
        let b = ProgressBar::new(n as u64);
        b.set_style(
            ProgressStyle::with_template("{msg:10} [{bar:40}] {pos}/{len} entries ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.set_message("indexing");
        b
    })
}

/// Puts the written index in place: split into a root and shards (keeping
/// the shards already on disk, removing stale ones), or moved to `index.dtl`.
fn place_index(args: &Args, plan: &Plan, bytes: &[u8], single: Temp) -> anyhow::Result<()> {
    let path = args.out.join(INDEX_FILE);
    let shard_dir = args.out.join(SHARDS_DIR);
    if !plan.sharded {
        if shard_dir.exists() {
            std::fs::remove_dir_all(&shard_dir)
                .with_context(|| format!("removing the old {}", shard_dir.display()))?;
        }
        return single.persist(&path);
    }
    let t = Instant::now();
    let mut store = ShardStore::open(&shard_dir)?;
    let (mut count, mut total) = (0usize, 0u64);
    let root = index::split(bytes, &plan.shard_opts, &mut |file: &[u8]| {
        count += 1;
        total += file.len() as u64;
        store.put(file)
    });
    // The writer thread's error says more than the split's.
    let stats = store.finish(root.is_ok())?;
    let root = root.context("splitting the index into shards")?;
    std::fs::write(&path, &root).with_context(|| format!("writing {}", path.display()))?;
    let removed = stats.remove_stale()?;
    drop(single);
    if !args.quiet {
        let (gz, _) = gzip_len(&root)?;
        eprintln!(
            "sharded: root {} ({} bytes, {gz} gzip) and {count} shards in {}/ ({total} bytes; {} files \
             written, {} kept, {removed} stale removed) in {:.2?}",
            path.display(),
            root.len(),
            shard_dir.display(),
            stats.written,
            stats.kept,
            t.elapsed()
        );
    }
    Ok(())
}

/// The build's last line: ingest, index, split or read-back and summary
/// times (`times`), and the peak memory after each step.
fn print_timings(
    wrote: &Wrote,
    times: [std::time::Duration; 3],
    sharded: bool,
    peak_ingest: Option<u64>,
) -> anyhow::Result<()> {
    let [t_ingest, t_split, t_summary] = times;
    let t_invert = wrote.invert.unwrap_or(wrote.write);
    let mib = |k: Option<u64>| k.map_or("?".to_string(), |k| format!("{}", k / 1024));
    writeln!(
        std::io::stderr().lock(),
        "ingest {:.2?}, index {:.2?} (inversion {:.2?}, writing {:.2?}), {} {:.2?} (the summary, beside it, \
         {:.2?} after); \
         peak RSS (MiB) after ingest {}, after inversion {}, after writing {}, in all {}",
        t_ingest,
        wrote.write,
        t_invert,
        wrote.write.saturating_sub(t_invert),
        if sharded { "split" } else { "read back" },
        t_split,
        t_summary,
        mib(peak_ingest),
        mib(wrote.peak_invert),
        mib(wrote.peak_write),
        mib(peak_rss_kib()),
    )?;
    Ok(())
}

/// The summary of the index in `bytes`: counts, and each section's size and gzip size.
fn describe(bytes: &[u8], path: &Path, plan: &Plan) -> anyhow::Result<String> {
    let (sharded, raw) = (plan.sharded, plan.raw);
    use std::fmt::Write;
    let ix = Index::open(bytes).context("reading back the index just written")?;
    let stats = ix.stats();
    let mut err = String::new();
    let _ = writeln!(
        &mut err,
        "wrote {} ({} bytes{})",
        path.display(),
        bytes.len(),
        if sharded { " before sharding" } else { "" }
    );
    let _ = writeln!(
        err,
        "{} entries ({} dated, {} undated), {} distinct terms, {} authors; {} to {}",
        stats.entries,
        stats.dated,
        stats.undated,
        stats.terms,
        stats.authors.len(),
        stats.first_day.as_deref().unwrap_or("—"),
        stats.last_day.as_deref().unwrap_or("—"),
    );
    let _ = writeln!(&mut err, "{:<14} {:>12} {:>13}", "section", "bytes", "gzip");
    let mut search_bytes = 0;
    let mut gz_total = 0;
    let mut estimated = false;
    for (name, sec) in ix.section_bytes() {
        if name != "entries" && name != "entry_offsets" {
            search_bytes += sec.len();
        }
        let (gz, est) = gzip_len(sec)?;
        gz_total += gz;
        estimated |= est;
        let _ = writeln!(
            &mut err,
            "{:<14} {:>12} {:>13}",
            name,
            sec.len(),
            format!("{}{gz}", if est { "~" } else { "" })
        );
    }
    let _ = writeln!(
        &mut err,
        "{:<14} {:>12} {:>13}",
        "total",
        bytes.len(),
        format!("{}{gz_total}", if estimated { "~" } else { "" })
    );
    if estimated {
        let _ = writeln!(&mut err, "(~: gzip of the first {} MiB, scaled)", GZIP_SAMPLE >> 20);
    }
    let _ = writeln!(
        err,
        "text indexed {} bytes; index without stored entries {} bytes ({:.1}% of the text)",
        raw,
        search_bytes,
        100.0 * search_bytes as f64 / raw.max(1) as f64
    );
    let (index_gz, est_i) = gzip_best_len(bytes, bytes.len())?;
    let (text_gz, est_t) = plan.text_gz;
    let tilde = |e: bool| if e { "~" } else { "" };
    let _ = writeln!(
        err,
        "index gzip ÷ entries' text gzip: {}{index_gz} ÷ {}{text_gz} bytes = {:.2}×",
        tilde(est_i),
        tilde(est_t),
        index_gz as f64 / text_gz.max(1) as f64
    );
    Ok(err)
}

/// The gzipped size (best level, as `dateline serve` sends files) of the
/// entries' text: each entry's title, body paragraphs, captions, credits and
/// author names, one to a line — the text the entry table stores and the
/// index searches. Past `GZIP_SAMPLE` bytes it is estimated from the first
/// ones (and says so).
pub fn entries_text_gzip(entries: &[dateline::model::entry::Entry]) -> (usize, bool) {
    let mut text = Vec::new();
    let mut total = 0usize;
    for e in entries {
        let media = e.media.iter().flat_map(|m| [&m.caption, &m.credit]);
        let lines = std::iter::once(&e.title).chain(&e.body).chain(media).chain(&e.authors);
        for l in lines.filter(|l| !l.is_empty()) {
            total += l.len() + 1;
            if text.len() < GZIP_SAMPLE {
                text.extend_from_slice(l.as_bytes());
                text.push(b'\n');
            }
        }
    }
    gzip_best_len(&text, total).unwrap_or((0, true))
}

/// Gzipped size (best level) of `b`, the first bytes of something `total`
/// bytes long: the size scaled to `total`, and whether it was estimated
/// (`b` is cut to `GZIP_SAMPLE` bytes first).
fn gzip_best_len(b: &[u8], total: usize) -> anyhow::Result<(usize, bool)> {
    let part = &b[..b.len().min(GZIP_SAMPLE)];
    let n = crate::compress::gzip(part)?.len();
    if part.len() >= total {
        Ok((n, false))
    } else {
        Ok(((n as f64 * total as f64 / part.len().max(1) as f64) as usize, true))
    }
}

/// A file that is removed when dropped, unless persisted.
struct Temp(PathBuf);

impl Temp {
    /// Renames the file to `to` (replacing it).
    fn persist(self, to: &Path) -> anyhow::Result<()> {
        std::fs::rename(&self.0, to)
            .with_context(|| format!("renaming {} to {}", self.0.display(), to.display()))?;
        std::mem::forget(self);
        Ok(())
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Gives freed heap memory back to the system. glibc keeps what a build
/// frees (1.7 GiB of entries at a million) for reuse, so the process would
/// hold it while it reads the index back.
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own heap; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The process's peak resident set size (KiB), where the system says.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Writes shard files into the shards directory from a second thread, so
/// that splitting and hashing go on while files are created. Shard names
/// are content hashes: a file that is already there with the right name and
/// size is kept rather than written again, and files no shard is named
/// after are removed at the end (re-building over an old index touches only
/// what changed).
struct ShardStore {
    dir: PathBuf,
    /// Files in the directory before the build, by name, with their sizes;
    /// those still here at the end are stale.
    old: HashMap<String, u64>,
    /// Names stored so far (a piece can repeat another's bytes).
    seen: HashSet<String>,
    tx: Option<SyncSender<(PathBuf, Vec<u8>)>>,
    worker: Option<JoinHandle<anyhow::Result<()>>>,
    written: usize,
    kept: usize,
}

/// What a [`ShardStore`] did, and the stale files it left to remove.
struct StoreStats {
    dir: PathBuf,
    stale: Vec<String>,
    written: usize,
    kept: usize,
}

impl ShardStore {
    fn open(dir: &Path) -> anyhow::Result<ShardStore> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut old = HashMap::new();
        for e in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
            let e = e.with_context(|| format!("listing {}", dir.display()))?;
            // A name that is not UTF-8 is not a shard's: stale.
            let name = e.file_name().to_string_lossy().into_owned();
            let len = e
                .metadata()
                .map(|m| if m.is_file() { m.len() } else { u64::MAX })
                .unwrap_or(u64::MAX);
            old.insert(name, len);
        }
        // Files queued to the writer: enough to keep it busy, bounded in memory.
        let (tx, rx) = sync_channel::<(PathBuf, Vec<u8>)>(256);
        let worker = std::thread::Builder::new()
            .name("dateline-shards".to_string())
            .spawn(move || -> anyhow::Result<()> {
                for (p, bytes) in rx {
                    std::fs::write(&p, &bytes)
                        .with_context(|| format!("writing {}", p.display()))?;
                }
                Ok(())
            })
            .context("starting the shard writer thread")?;
        Ok(ShardStore {
            dir: dir.to_path_buf(),
            old,
            seen: HashSet::new(),
            tx: Some(tx),
            worker: Some(worker),
            written: 0,
            kept: 0,
        })
    }

    /// Names `file` after its SHA-256 and queues it unless it is there already.
    fn put(&mut self, file: &[u8]) -> Result<index::ShardId, index::IndexError> {
        let mut id = [0u8; 8];
        id.copy_from_slice(&Sha256::digest(file)[..8]);
        let name = format!("{}.dtl", index::shard_name(&id));
        if self.seen.contains(&name) {
            return Ok(id);
        }
        match self.old.remove(&name) {
            Some(len) if len == file.len() as u64 => self.kept += 1,
            _ => {
                let p = self.dir.join(&name);
                let sent = self.tx.as_ref().map(|tx| tx.send((p.clone(), file.to_vec())).is_ok());
                if sent != Some(true) {
                    // The writer stopped on an error, which `finish` reports.
                    return Err(index::IndexError::InvalidInput {
                        what: format!("could not write {}", p.display()),
                    });
                }
                self.written += 1;
            }
        }
        self.seen.insert(name);
        Ok(id)
    }

    /// Waits for the writer; its error, if any, comes first.
    fn finish(mut self, split_ok: bool) -> anyhow::Result<StoreStats> {
        drop(self.tx.take());
        if let Some(w) = self.worker.take() {
            match w.join() {
                Ok(r) => r?,
                Err(p) => std::panic::resume_unwind(p),
            }
        }
        let stale = if split_ok { self.old.into_keys().collect() } else { Vec::new() };
        Ok(StoreStats { dir: self.dir, stale, written: self.written, kept: self.kept })
    }
}

impl StoreStats {
    /// Removes the files of the old index that no shard of this one is named after.
    fn remove_stale(&self) -> anyhow::Result<usize> {
        for name in &self.stale {
            let p = self.dir.join(name);
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(_) if p.is_dir() => std::fs::remove_dir_all(&p)
                    .with_context(|| format!("removing {}", p.display()))?,
                Err(e) => {
                    return Err(anyhow::Error::new(e).context(format!("removing {}", p.display())))
                }
            }
        }
        Ok(self.stale.len())
    }
}

/// Sections larger than this are gzipped in part and the size scaled, so
/// that the summary of a million-entry build does not cost more than the build.
const GZIP_SAMPLE: usize = 32 << 20;

/// Gzipped size of `b` (default level), and whether it was estimated.
fn gzip_len(b: &[u8]) -> anyhow::Result<(usize, bool)> {
    let part = &b[..b.len().min(GZIP_SAMPLE)];
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(part)?;
    let n = e.finish()?.len();
    if part.len() == b.len() {
        Ok((n, false))
    } else {
        Ok(((n as f64 * b.len() as f64 / part.len() as f64) as usize, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("lists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn the_shard_store_keeps_good_files_rewrites_bad_ones_and_removes_stale_ones() {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let dir = tmp.path().join(SHARDS_DIR);
        let mut s = ShardStore::open(&dir).expect("opens");
        let a = s.put(b"piece a").expect("stores");
        let b = s.put(b"piece b").expect("stores");
        assert_eq!(s.put(b"piece a").expect("stores"), a, "the same bytes, the same name");
        let st = s.finish(true).expect("writes");
        assert_eq!((st.written, st.kept, st.remove_stale().expect("removes")), (2, 0, 0));
        let (fa, fb) =
            (format!("{}.dtl", index::shard_name(&a)), format!("{}.dtl", index::shard_name(&b)));
        assert_eq!(names(&dir), {
            let mut v = vec![fa.clone(), fb.clone()];
            v.sort();
            v
        });

        // A stale file, and a shard cut short (an interrupted build).
        std::fs::write(dir.join("0123456789abcdef.dtl"), b"old").expect("writes");
        std::fs::write(dir.join(&fb), b"pie").expect("writes");
        let mut s = ShardStore::open(&dir).expect("opens");
        s.put(b"piece a").expect("stores");
        s.put(b"piece b").expect("stores");
        let st = s.finish(true).expect("writes");
        assert_eq!((st.written, st.kept, st.remove_stale().expect("removes")), (1, 1, 1));
        assert_eq!(names(&dir), {
            let mut v = vec![fa, fb.clone()];
            v.sort();
            v
        });
        assert_eq!(std::fs::read(dir.join(&fb)).expect("reads"), b"piece b");

        // A failed split removes nothing.
        let mut s = ShardStore::open(&dir).expect("opens");
        s.put(b"piece c").expect("stores");
        let st = s.finish(false).expect("writes");
        assert_eq!(st.remove_stale().expect("removes"), 0);
        assert_eq!(names(&dir).len(), 3);
    }
}
