//! `dateline compress DIR`: the precompressed copies `dateline serve` sends.
//!
//! Beside each compressible asset under DIR (`.html`, `.css`, `.js`, `.mjs`,
//! `.wasm`, `.dtl`, `.json`, `.svg`, `.d.ts`) it writes `X.br` (brotli,
//! quality 11) and `X.gz` (gzip, best), each only when it is smaller than
//! `X`. Every run writes them anew from the assets as they are, and removes
//! copies that no longer have a purpose: the `.br`/`.gz` of an asset that is
//! gone, or that no longer compresses. So after a run, every copy matches its
//! asset; `dateline serve` also refuses a copy older than its asset, for a
//! build that stopped before this step. Other files (images, archives,
//! already-compressed data) are left alone.
//!
//! `./build.sh` runs it on `www/` last, and `dateline publish` on its output:
//! a host that serves precompressed files (nginx `gzip_static`/`brotli_static`,
//! Caddy `precompressed`, most CDNs) can send them as they are.
//!
//! It is a subcommand rather than a step inside `dateline build`, because the
//! assets it compresses (wasm, JS, CSS) are written by other tools after the
//! index: it runs once everything under the directory is in place.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// The suffixes of the copies, in the order `dateline serve` prefers them.
pub const SUFFIXES: [&str; 2] = [".br", ".gz"];

/// Name endings of the files worth compressing (text, wasm, the index).
const COMPRESSIBLE: [&str; 9] =
    [".html", ".css", ".js", ".mjs", ".wasm", ".dtl", ".json", ".svg", ".d.ts"];

/// Arguments of `dateline compress`.
#[derive(clap::Args)]
pub struct Args {
    /// The directory whose assets to compress (the built explorer is `www/`).
    #[arg(default_value = "www")]
    pub dir: PathBuf,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

/// What one run did, in bytes summed over the compressible assets.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Compressible assets found.
    pub files: usize,
    /// Their size.
    pub raw: u64,
    /// What a client that accepts gzip receives (the `.gz`, or the asset
    /// where gzip did not make it smaller).
    pub gzip: u64,
    /// The same for brotli.
    pub brotli: u64,
    /// Copies removed because their asset is gone.
    pub removed: usize,
}

/// Runs `dateline compress`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let t = dir(&args.dir)?;
    if !args.quiet {
        eprintln!(
            "compressed {} files under {}: {} bytes raw, {} gzip, {} brotli{}",
            t.files,
            args.dir.display(),
            t.raw,
            t.gzip,
            t.brotli,
            if t.removed > 0 { format!("; removed {} stale copies", t.removed) } else { "".into() }
        );
    }
    Ok(())
}

/// Whether `name` is an asset worth compressing.
pub fn is_compressible(name: &str) -> bool {
    COMPRESSIBLE.iter().any(|ext| name.len() > ext.len() && name.ends_with(ext))
}

/// The asset a copy was made from: `a/x.js.gz` -> `a/x.js`, when `path` is
/// named like a copy of a compressible asset.
pub fn source_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = SUFFIXES.iter().find_map(|s| name.strip_suffix(s))?;
    is_compressible(stem).then(|| path.with_file_name(stem))
}

/// Writes (or removes) the copies of every asset under `root`.
pub fn dir(root: &Path) -> anyhow::Result<Totals> {
    let mut files = Vec::new();
    walk(root, &mut files)?;
    let mut totals = Totals::default();
    for path in &files {
        if let Some(source) = source_of(path) {
            if !source.is_file() {
                std::fs::remove_file(path)
                    .with_context(|| format!("removing {}", path.display()))?;
                totals.removed += 1;
            }
        } else if path.file_name().and_then(|n| n.to_str()).is_some_and(is_compressible) {
            let (gzip, brotli) = file(path)?;
            totals.files += 1;
            totals.raw += std::fs::metadata(path)?.len();
            totals.gzip += gzip;
            totals.brotli += brotli;
        }
    }
    Ok(totals)
}

/// Every regular file under `dir`, depth first (symbolic links are not
/// followed: a link out of the directory is not ours to write beside).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    let mut entries: Vec<_> =
        entries.collect::<Result<_, _>>().with_context(|| format!("reading {}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let kind = entry.file_type().with_context(|| format!("reading {}", dir.display()))?;
        if kind.is_dir() {
            walk(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// Writes `path.br` and `path.gz`, each when smaller than `path`, and
/// removes the one that is not. Returns the bytes a brotli and a gzip client
/// receive for it.
fn file(path: &Path) -> anyhow::Result<(u64, u64)> {
    let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let gz = gzip(&raw).with_context(|| format!("gzip of {}", path.display()))?;
    let br = brotli(&raw).with_context(|| format!("brotli of {}", path.display()))?;
    let gz = keep_if_smaller(path, ".gz", &gz, raw.len())?;
    let br = keep_if_smaller(path, ".br", &br, raw.len())?;
    Ok((gz, br))
}

/// Writes `path + suffix` when `bytes` is smaller than the asset, else
/// removes any such file; returns what a client receives.
fn keep_if_smaller(path: &Path, suffix: &str, bytes: &[u8], raw: usize) -> anyhow::Result<u64> {
    let mut copy = path.as_os_str().to_owned();
    copy.push(suffix);
    let copy = PathBuf::from(copy);
    if bytes.len() < raw {
        std::fs::write(&copy, bytes).with_context(|| format!("writing {}", copy.display()))?;
        Ok(bytes.len() as u64)
    } else {
        match std::fs::remove_file(&copy) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("removing {}", copy.display()))
            }
            _ => Ok(raw as u64),
        }
    }
}

/// gzip at the best compression level.
pub fn gzip(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(raw)?;
    enc.finish()
}

/// brotli at quality 11, a 4 MiB window, told the input's size.
pub fn brotli(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        size_hint: raw.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::io::Read;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
        out
    }

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out).unwrap();
        out
    }

    /// A text that compresses: a short paragraph, many times.
    fn text() -> String {
        "The ferry left at dawn; the harbour was quiet, and gulls followed it out.\n".repeat(40)
    }

    #[test]
    fn copies_decode_to_their_asset_and_only_assets_get_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("pkg")).unwrap();
        fs::write(root.join("index.html"), text()).unwrap();
        fs::write(root.join("pkg").join("dateline.d.ts"), text()).unwrap();
        fs::write(root.join("notes.txt"), text()).unwrap();
        fs::write(root.join("photo.png"), text()).unwrap();
        fs::write(root.join("tiny.js"), "x").unwrap();
        let t = dir_totals(root);
        assert_eq!(t.files, 3, "{t:?}");
        for asset in ["index.html", "pkg/dateline.d.ts"] {
            let raw = fs::read(root.join(asset)).unwrap();
            assert_eq!(gunzip(&fs::read(root.join(format!("{asset}.gz"))).unwrap()), raw);
            assert_eq!(unbrotli(&fs::read(root.join(format!("{asset}.br"))).unwrap()), raw);
        }
        // Not compressible by name, or not smaller: no copy.
        for none in ["notes.txt.gz", "photo.png.br", "tiny.js.gz", "tiny.js.br", "photo.png.gz"] {
            assert!(!root.join(none).exists(), "{none}");
        }
        assert_eq!(t.raw, 2 * text().len() as u64 + 1);
        assert!(t.gzip < t.raw && t.brotli < t.raw, "{t:?}");
    }

    fn dir_totals(root: &Path) -> Totals {
        dir(root).unwrap()
    }

    #[test]
    fn a_second_run_follows_the_assets() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("app.js"), text()).unwrap();
        fs::write(root.join("gone.css"), text()).unwrap();
        dir_totals(root);
        assert!(root.join("gone.css.br").exists());
        // One asset changes (to something that no longer compresses), one goes.
        fs::write(root.join("app.js"), "y").unwrap();
        fs::remove_file(root.join("gone.css")).unwrap();
        // A user's own archive is not a copy of anything: it stays.
        fs::write(root.join("photos.tar.gz"), "not ours").unwrap();
        let t = dir_totals(root);
        assert_eq!(t.removed, 2, "{t:?}");
        for gone in ["app.js.gz", "app.js.br", "gone.css.gz", "gone.css.br"] {
            assert!(!root.join(gone).exists(), "{gone}");
        }
        assert!(root.join("photos.tar.gz").exists());
        // And when it compresses again, the copy is of the new bytes.
        let new = text().replace("ferry", "barge");
        fs::write(root.join("app.js"), &new).unwrap();
        dir_totals(root);
        assert_eq!(gunzip(&fs::read(root.join("app.js.gz")).unwrap()), new.as_bytes());
    }

    #[test]
    fn copies_are_named_after_their_asset() {
        assert_eq!(source_of(Path::new("a/x.js.gz")), Some(PathBuf::from("a/x.js")));
        assert_eq!(source_of(Path::new("x.d.ts.br")), Some(PathBuf::from("x.d.ts")));
        assert_eq!(source_of(Path::new("x.tar.gz")), None);
        assert_eq!(source_of(Path::new(".js.gz")), None);
        assert_eq!(source_of(Path::new("x.js")), None);
    }
}
