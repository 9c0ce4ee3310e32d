//! The `dateline` program itself, run as a user would: reproducible builds,
//! and errors that name the file.

use std::path::Path;
use std::process::Command;

fn dateline() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dateline"))
}

fn build_with(out: &Path, extra: &[&str]) -> Vec<u8> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.toml");
    let status = dateline()
        .args(["build", "--quiet", "--manifest"])
        .arg(&manifest)
        .arg("--out")
        .arg(out)
        .args(extra)
        .status()
        .expect("dateline runs");
    assert!(status.success());
    std::fs::read(out.join("index.dtl")).expect("index.dtl written")
}

fn build(out: &Path) -> Vec<u8> {
    build_with(out, &[])
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            for (k, v) in tree(&p) {
                out.insert(format!("{name}/{k}"), v);
            }
        } else {
            out.insert(name, std::fs::read(&p).unwrap());
        }
    }
    out
}

#[test]
fn a_sharded_build_is_byte_identical_too_and_searches_from_disk() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    build_with(a.path(), &["--shards", "always", "--tiny-shards"]);
    build_with(b.path(), &["--shards", "always", "--tiny-shards"]);
    let (x, y) = (tree(a.path()), tree(b.path()));
    assert!(x.len() > 100, "{} files", x.len());
    assert!(x == y, "two sharded builds of corpus/ differ");
    // Rebuilding unsharded over it leaves no stale shard behind.
    build_with(a.path(), &["--shards", "never"]);
    assert!(!a.path().join("shards").exists());
    build_with(a.path(), &["--shards", "always", "--tiny-shards"]);
    let out = dateline()
        .args(["search", "--json", "--index"])
        .arg(a.path())
        .arg("chelsea")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], 1);
    // A shard the query reads, changed on disk, is refused by name.
    let out = dateline()
        .args(["search", "--trace-shards", "--index"])
        .arg(a.path())
        .arg("chelsea")
        .output()
        .unwrap();
    let trace = String::from_utf8_lossy(&out.stderr).to_string();
    let name = trace
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("a shard was loaded")
        .to_string();
    let shard = a.path().join("shards").join(format!("{name}.dtl"));
    let mut bytes = std::fs::read(&shard).unwrap();
    bytes[30] ^= 1;
    std::fs::write(&shard, bytes).unwrap();
    let out = dateline().args(["search", "--index"]).arg(a.path()).arg("chelsea").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not match its name") && err.contains(&name), "{err}");
}

#[test]
fn the_same_corpus_builds_a_byte_identical_index() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (x, y) = (build(a.path()), build(b.path()));
    assert!(!x.is_empty());
    assert!(x == y, "two builds of corpus/ differ");
}

#[test]
fn the_entry_table_is_the_same_json_every_time() {
    let run = || {
        let out = dateline()
            .args(["entries", "--json", "--manifest"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.toml"))
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let first = run();
    let v: serde_json::Value = serde_json::from_slice(&first).expect("JSON on stdout");
    assert_eq!(v.as_array().map(Vec::len), Some(20));
    assert_eq!(first, run());
}

#[test]
fn a_bad_capture_is_named_with_its_line_and_the_exit_code_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, b"Headline\n\nCaf\xe9.\n").unwrap();
    let out = dateline().arg("entries").arg(&bad).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("latin1.txt:3: not valid UTF-8"), "{err}");
}
