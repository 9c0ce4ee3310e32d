//! The `dateline` program itself, run as a user would: reproducible builds,
//! and errors that name the file.

use std::path::Path;
use std::process::Command;

fn dateline() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dateline"))
}

fn build(out: &Path) -> Vec<u8> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.toml");
    let status = dateline()
        .args(["build", "--quiet", "--manifest"])
        .arg(&manifest)
        .arg("--out")
        .arg(out)
        .status()
        .expect("dateline runs");
    assert!(status.success());
    std::fs::read(out.join("index.dtl")).expect("index.dtl written")
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
        let out = dateline().args(["entries", "--json", "--manifest"]).arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.toml")).output().unwrap();
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
