//! `dateline publish`: a copy of the built explorer whose files have
//! content-hashed names, for hosting on a CDN that caches them forever.
//!
//! Every file under `--www` (except `dist/` and the output directory) is
//! copied to `--out`, in the same folders. Entry points keep their names —
//! `*.html` pages, and `*.d.ts` declarations — and everything else is renamed
//! `NAME.HASH.EXT`, where HASH is the first 16 hex digits of the SHA-256 of
//! the file **as published**. References between files (`href="style.css"`,
//! `from './dateline.js'`, `new URL('./pkg/dateline_bg.wasm', …)`,
//! `'data/index.dtl'`) are rewritten to the hashed names first, leaves before
//! the files that refer to them, so a changed wasm changes the name of the
//! JS that loads it, and so on up to the page.
//!
//! `dateline-manifest.json` maps each logical name (`pkg/dateline_bg.wasm`)
//! to `{file, bytes, sha256, integrity}` — `integrity` is the Subresource
//! Integrity value — for hosts that write their own tags.
//!
//! Beside each compressible file it writes `X.br` and `X.gz` (see
//! `dateline compress`), for hosts that send precompressed files.
//!
//! Serve the hashed files with `Cache-Control: public, max-age=31536000,
//! immutable`, and the pages and the manifest with `no-cache` (`dateline
//! serve` does both).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The manifest's file name, in the output directory.
pub const MANIFEST: &str = "dateline-manifest.json";

/// Arguments of `dateline publish`.
#[derive(clap::Args)]
pub struct Args {
    /// The built explorer (`./build.sh` writes it).
    #[arg(long, default_value = "www")]
    pub www: PathBuf,
    /// Where to write the hashed copy (emptied first if it holds a previous publish).
    #[arg(long, default_value = "www/dist/site")]
    pub out: PathBuf,
}

/// Kinds of files whose references to other files are rewritten.
fn is_text(path: &str) -> bool {
    [".html", ".js", ".mjs", ".css", ".json", ".svg"].iter().any(|e| path.ends_with(e))
}

/// Files published under their own names.
fn keeps_name(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".d.ts")
}

/// `dir/name.ext` -> `dir/name.HASH.ext` (the hash before the last extension).
fn hashed_name(path: &str, hex: &str) -> String {
    let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let named = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{}.{ext}", &hex[..16]),
        _ => format!("{file}.{}", &hex[..16]),
    };
    if dir.is_empty() {
        named
    } else {
        format!("{dir}/{named}")
    }
}

/// The path of `target` relative to the folder of `from` (both `/`-separated,
/// relative to the site root).
fn relative(from: &str, target: &str) -> String {
    let from_dir: Vec<&str> = from.rsplit_once('/').map_or(vec![], |(d, _)| d.split('/').collect());
    let to: Vec<&str> = target.split('/').collect();
    let common = from_dir.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts = vec![".."; from_dir.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// Where `reference` occurs in `text` as a whole URL: inside quotes or
/// `url(…)`, optionally after `./`, and ending the URL (before a quote, `)`,
/// `?` or `#`). Returns the byte ranges of the reference itself.
fn occurrences(text: &str, reference: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    // `(` opens a URL only in CSS's `url(`: "(see app.js)" in a comment is not one.
    let opens_at = |i: usize| match bytes.get(i) {
        Some(b'"' | b'\'' | b'`' | b'=') => true,
        Some(b'(') => i >= 3 && &bytes[i - 3..i] == b"url",
        _ => false,
    };
    let closes = |b: u8| matches!(b, b'"' | b'\'' | b'`' | b')' | b'?' | b'#');
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(reference) {
        let start = from + pos;
        let end = start + reference.len();
        from = end;
        let opened = match start.checked_sub(1) {
            Some(i) if opens_at(i) => true,
            Some(i) if bytes[i] == b'/' => i >= 2 && bytes[i - 1] == b'.' && opens_at(i - 2),
            _ => false,
        };
        if opened && bytes.get(end).copied().is_some_and(closes) {
            found.push(start..end);
        }
    }
    found
}

/// One published file.
struct File {
    logical: String,
    bytes: Vec<u8>,
}

fn collect(root: &Path, dir: &Path, skip: &[PathBuf], out: &mut Vec<File>) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if skip.iter().any(|s| path.starts_with(s)) {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(root, &path, skip, out)?;
        } else if kind.is_file() {
            let rel = path.strip_prefix(root).context("a file outside --www")?;
            let logical = rel
                .components()
                .map(|c| c.as_os_str().to_str().context("a file name is not UTF-8"))
                .collect::<anyhow::Result<Vec<_>>>()?
                .join("/");
            // wasm-bindgen's declarations are for developers, not the site;
            // the .br/.gz copies of an asset are written anew for its hashed name.
            let is_copy = crate::compress::source_of(&path).is_some_and(|s| s.is_file());
            if is_copy || (logical.starts_with("pkg/") && logical.ends_with(".d.ts")) {
                continue;
            }
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            out.push(File { logical, bytes });
        }
    }
    Ok(())
}

/// What one file became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Its path in the output, relative to it.
    pub file: String,
    /// Its size.
    pub bytes: usize,
    /// Lowercase hex SHA-256 of the published bytes.
    pub sha256: String,
    /// `sha256-BASE64`, for `integrity="…"`.
    pub integrity: String,
}

/// Computes the published form of `files` (logical name -> bytes): hashed
/// names and rewritten references. Returns logical name -> (published, bytes).
pub fn plan(
    files: &BTreeMap<String, Vec<u8>>,
) -> anyhow::Result<BTreeMap<String, (Published, Vec<u8>)>> {
    // Who refers to whom.
    let mut refs: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, bytes) in files {
        let mut to = Vec::new();
        if is_text(name) {
            let text = String::from_utf8_lossy(bytes);
            for other in files.keys().filter(|o| *o != name && !keeps_name(o)) {
                if !occurrences(&text, &relative(name, other)).is_empty() {
                    to.push(other.as_str());
                }
            }
        }
        refs.insert(name, to);
    }
    let mut done: BTreeMap<String, (Published, Vec<u8>)> = BTreeMap::new();
    while done.len() < files.len() {
        let ready: Vec<&str> = refs
            .iter()
            .filter(|(n, to)| !done.contains_key(**n) && to.iter().all(|t| done.contains_key(*t)))
            .map(|(n, _)| *n)
            .collect();
        if ready.is_empty() {
            let stuck: Vec<&str> =
                refs.keys().filter(|n| !done.contains_key(**n)).copied().collect();
            bail!(
                "these files refer to each other in a cycle, so they cannot be content-hashed: {}",
                stuck.join(", ")
            );
        }
        for name in ready {
            let mut bytes = files[name].clone();
            if !refs[name].is_empty() {
                let mut text =
                    String::from_utf8(bytes).with_context(|| format!("{name} is not UTF-8"))?;
                // Longest references first, so `pkg/dateline_bg.wasm` is never
                // half-rewritten by a shorter one.
                let mut targets = refs[name].clone();
                targets.sort_by_key(|t| std::cmp::Reverse(relative(name, t).len()));
                for target in targets {
                    let (from, to) = (relative(name, target), relative(name, &done[target].0.file));
                    for range in occurrences(&text, &from).into_iter().rev() {
                        text.replace_range(range, &to);
                    }
                }
                bytes = text.into_bytes();
            }
            let digest = Sha256::digest(&bytes);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            let file = if keeps_name(name) { name.to_string() } else { hashed_name(name, &hex) };
            let integrity =
                format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(digest));
            done.insert(
                name.to_string(),
                (Published { file, bytes: bytes.len(), sha256: hex, integrity }, bytes),
            );
        }
    }
    Ok(done)
}

/// The manifest's JSON.
pub fn manifest_json(plan: &BTreeMap<String, (Published, Vec<u8>)>) -> anyhow::Result<String> {
    let files: serde_json::Map<String, serde_json::Value> = plan
        .iter()
        .map(|(name, (p, _))| {
            (
                name.clone(),
                serde_json::json!({ "file": p.file, "bytes": p.bytes, "sha256": p.sha256, "integrity": p.integrity }),
            )
        })
        .collect();
    Ok(serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "files": files }))? + "\n")
}

/// Publishes `args.www` into `args.out`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let www =
        args.www.canonicalize().with_context(|| format!("no directory {}", args.www.display()))?;
    for need in ["index.html", "pkg/dateline_bg.wasm", "data/index.dtl"] {
        if !www.join(need).is_file() {
            bail!("{} has no {need}: build the explorer first with ./build.sh", www.display());
        }
    }
    if args.out.exists() {
        let empty = std::fs::read_dir(&args.out)?.next().is_none();
        if !empty && !args.out.join(MANIFEST).is_file() {
            bail!(
                "{} exists and is not a previous publish (no {MANIFEST}); choose another --out",
                args.out.display()
            );
        }
        std::fs::remove_dir_all(&args.out)
            .with_context(|| format!("emptying {}", args.out.display()))?;
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let out = args.out.canonicalize()?;
    // A sharded index's shards are named by their SHA-256 already, and
    // nothing refers to them by name: copied as they are, not planned.
    let shards = www.join("data").join(crate::build::SHARDS_DIR);
    let mut found = Vec::new();
    collect(&www, &www, &[www.join("dist"), out.clone(), shards.clone()], &mut found)?;
    let files: BTreeMap<String, Vec<u8>> =
        found.into_iter().map(|f| (f.logical, f.bytes)).collect();
    let planned = plan(&files)?;
    let mut total = 0;
    for (published, bytes) in planned.values() {
        let path = out.join(&published.file);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        total += bytes.len();
    }
    let mut copied = 0;
    if shards.is_dir() {
        let to = out.join("data").join(crate::build::SHARDS_DIR);
        std::fs::create_dir_all(&to)?;
        for entry in
            std::fs::read_dir(&shards).with_context(|| format!("reading {}", shards.display()))?
        {
            let entry = entry?;
            std::fs::copy(entry.path(), to.join(entry.file_name()))
                .with_context(|| format!("copying {}", entry.path().display()))?;
            copied += 1;
        }
    }
    std::fs::write(out.join(MANIFEST), manifest_json(&planned)?)?;
    let compressed = crate::compress::dir(&out)?;
    eprintln!(
        "published {} files ({total} bytes) to {} with content-hashed names",
        planned.len(),
        out.display()
    );
    if copied > 0 {
        eprintln!("  and the {copied} shards of the sharded index, named by their SHA-256 already, in data/shards/");
    }
    eprintln!(
        "  and beside each of the {} compressible files its .br and .gz: {} bytes raw, {} gzip, {} brotli",
        compressed.files, compressed.raw, compressed.gzip, compressed.brotli
    );
    for (name, (p, _)) in &planned {
        eprintln!("  {name:<28} -> {}", p.file);
    }
    eprintln!(
        "  {MANIFEST} maps them. Cache hashed files forever (Cache-Control: public, max-age=31536000, immutable);\n  \
         serve *.html and {MANIFEST} with Cache-Control: no-cache."
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_only_as_whole_urls() {
        let js = r#"import x from './dateline.js'; new URL('./pkg/dateline.js', u); "mydateline.js"; 'www/data/index.dtl.'"#;
        assert_eq!(occurrences(js, "dateline.js").len(), 1);
        assert_eq!(occurrences(js, "pkg/dateline.js").len(), 1);
        assert_eq!(occurrences(js, "data/index.dtl").len(), 0);
        assert_eq!(occurrences(r#"<link href="style.css?v=1">"#, "style.css").len(), 1);
        assert_eq!(occurrences("a { b: url(./x.svg) } /* (x.svg) */", "x.svg").len(), 1);
    }

    #[test]
    fn names_are_hashed_leaves_first_and_references_follow() {
        let mut files = BTreeMap::new();
        files.insert(
            "index.html".to_string(),
            br#"<script type="module" src="app.js"></script>"#.to_vec(),
        );
        files.insert(
            "app.js".to_string(),
            b"import './pkg/glue.js'; const w = 'pkg/engine.wasm';".to_vec(),
        );
        files
            .insert("pkg/glue.js".to_string(), b"new URL('engine.wasm', import.meta.url)".to_vec());
        files.insert("pkg/engine.wasm".to_string(), b"\0asm".to_vec());
        let p = plan(&files).unwrap();
        assert_eq!(p["index.html"].0.file, "index.html");
        let wasm = &p["pkg/engine.wasm"].0.file;
        let glue = &p["pkg/glue.js"].0.file;
        let app = &p["app.js"].0.file;
        assert!(wasm.starts_with("pkg/engine.") && wasm.ends_with(".wasm"), "{wasm}");
        let glue_text = String::from_utf8(p["pkg/glue.js"].1.clone()).unwrap();
        assert!(glue_text.contains(wasm.trim_start_matches("pkg/")), "{glue_text}");
        let app_text = String::from_utf8(p["app.js"].1.clone()).unwrap();
        assert!(
            app_text.contains(&format!("./{glue}")) && app_text.contains(&format!("'{wasm}'")),
            "{app_text}"
        );
        let html = String::from_utf8(p["index.html"].1.clone()).unwrap();
        assert!(html.contains(&format!("src=\"{app}\"")), "{html}");
        // The hash is of the published bytes.
        let hex: String =
            Sha256::digest(&p["app.js"].1).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(p["app.js"].0.sha256, hex);
        assert!(app.contains(&hex[..16]));
    }

    #[test]
    fn cycles_are_refused() {
        let mut files = BTreeMap::new();
        files.insert("a.js".to_string(), b"import './b.js'".to_vec());
        files.insert("b.js".to_string(), b"import './a.js'".to_vec());
        assert!(plan(&files).is_err());
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative("index.html", "pkg/x.js"), "pkg/x.js");
        assert_eq!(relative("pkg/a.js", "pkg/x.wasm"), "x.wasm");
        assert_eq!(relative("pkg/a.js", "data/i.dtl"), "../data/i.dtl");
    }
}
