//! Writing a corpus: captures of consecutive posts, overlapping, and a
//! `manifest.toml`.

use super::*;

/// What to write.
#[derive(Debug, Clone)]
pub struct Options {
    /// Distinct posts in the corpus.
    pub entries: u64,
    /// Seed: same seed and entries (and source corpus), same bytes.
    pub seed: u64,
    /// Posts per capture, repeats included (fewer when the corpus would
    /// otherwise fit in one capture: there are always at least two).
    pub per_capture: usize,
    /// Posts shared by consecutive captures.
    pub overlap: usize,
    /// Unix seconds the clock starts at (default [`START_UNIX`]).
    pub start: i64,
}

impl Default for Options {
    fn default() -> Options {
        Options { entries: 1000, seed: 1, per_capture: 1000, overlap: 3, start: START_UNIX }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Distinct posts.
    pub entries: u64,
    /// Capture files written.
    pub captures: usize,
    /// Bytes of all capture files (the manifest aside).
    pub bytes: u64,
    /// Bytes of the posts' distinct text (no furniture, no repeats).
    pub post_bytes: u64,
    /// Size of the extended vocabulary drawn from.
    pub vocabulary: usize,
    /// Printed timestamp of the oldest post.
    pub first: String,
    /// Printed timestamp of the newest post.
    pub last: String,
}

/// A `Write` that counts the bytes it passes on.
pub(super) struct Counting<W> {
    pub(super) inner: W,
    pub(super) bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

pub(super) fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                write!(out, "\\u{:04X}", c as u32).ok();
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `opts.entries` posts as captures plus `manifest.toml` into `out`
/// (created if missing; existing capture files of the same names are
/// replaced). Streams: memory holds one capture at a time.
pub fn write_corpus(model: &Model, opts: &Options, out: &Path) -> Result<Summary, SynthError> {
    if opts.entries == 0 {
        return Err(SynthError::Options("--entries must be at least 1".into()));
    }
    if opts.per_capture <= opts.overlap {
        return Err(SynthError::Options(format!(
            "--per-capture ({}) must exceed the overlap between captures ({})",
            opts.per_capture, opts.overlap
        )));
    }
    fs::create_dir_all(out).map_err(io_err(out))?;
    // At least two captures when there are posts enough: the ingest learns
    // page furniture from what captures share, so one capture alone would
    // have its header and footer read as posts.
    let (o, n) = (opts.overlap as u64, opts.entries);
    let k = (opts.per_capture as u64).min((n + o).div_ceil(2).max(o + 1));
    let n_captures = if n <= k { 1 } else { 1 + (n - k).div_ceil(k - o) };
    let width = n_captures.saturating_sub(1).to_string().len().max(3);

    let mut gen = Generator::new(model, n, opts.seed).starting_at(opts.start);
    let vocabulary = gen.vocabulary();
    let mut manifest = String::new();
    writeln!(
        manifest,
        "# Synthetic captures written by `dateline synth --entries {n} --seed {}`.",
        opts.seed
    )
    .ok();
    writeln!(manifest, "# Text sampled from a real corpus; {k} posts per capture, {o} shared by consecutive captures.").ok();
    writeln!(manifest).ok();
    writeln!(
        manifest,
        "title = {}",
        toml_str(&format!("Russia-Ukraine updates (synthetic, {n} entries, seed {})", opts.seed))
    )
    .ok();
    writeln!(manifest, "publisher = \"ABC News\"").ok();
    writeln!(manifest, "timezone = {}", toml_str(TIMEZONE)).ok();

    let mut summary = Summary {
        entries: n,
        captures: 0,
        bytes: 0,
        post_bytes: 0,
        vocabulary,
        first: String::new(),
        last: String::new(),
    };
    let mut carried: Vec<Post> = Vec::new();
    let mut produced = 0u64;
    let mut buf = String::with_capacity(4096);
    loop {
        let mut posts = std::mem::take(&mut carried);
        let repeats = posts.len();
        while (posts.len() as u64) < k && produced < n {
            let Some(p) = gen.next() else { break };
            buf.clear();
            p.render(false, &mut buf);
            summary.post_bytes += buf.len() as u64;
            if produced == 0 {
                summary.first = p.stamp.clone();
            }
            produced += 1;
            posts.push(p);
        }
        let c = summary.captures;
        let name = format!("{c:0width$}_{:016x}.txt", mix(opts.seed ^ mix(c as u64 + 0x5eed)));
        let path = out.join(&name);
        let file = File::create(&path).map_err(io_err(&path))?;
        let mut w = Counting { inner: BufWriter::with_capacity(1 << 20, file), bytes: 0 };
        let write = |w: &mut Counting<BufWriter<File>>,
                     posts: &[Post],
                     buf: &mut String|
         -> io::Result<()> {
            w.write_all(HEADER.as_bytes())?;
            for (j, p) in posts.iter().enumerate().rev() {
                buf.clear();
                p.render(j < repeats && p.curly_repeat, buf);
                w.write_all(buf.as_bytes())?;
            }
            w.write_all(FOOTER.as_bytes())?;
            w.flush()
        };
        write(&mut w, &posts, &mut buf).map_err(io_err(&path))?;
        summary.bytes += w.bytes;
        summary.captures += 1;
        let newest = posts.last().map(|p| p.day.as_str()).unwrap_or_default();
        writeln!(
            manifest,
            "\n[[capture]]\nfile = {}\ncovers = {}\nbasis = \"synthetic: printed timestamps\"",
            toml_str(&name),
            toml_str(newest)
        )
        .ok();
        if produced >= n {
            summary.last = posts.last().map(|p| p.stamp.clone()).unwrap_or_default();
            break;
        }
        carried = posts.split_off(posts.len() - opts.overlap);
    }
    let mpath = out.join("manifest.toml");
    fs::write(&mpath, manifest).map_err(io_err(&mpath))?;
    Ok(summary)
}
