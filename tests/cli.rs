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

/// `dateline serve DIR --port 0 [extra]`, stopped when dropped.
struct Server {
    child: std::process::Child,
    /// `http://HOST:PORT/` as the server printed it.
    url: String,
    addr: std::net::SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn serve(dir: &Path, extra: &[&str]) -> Server {
    use std::io::BufRead;
    let mut child = dateline()
        .arg("serve")
        .arg(dir)
        .args(["--port", "0"])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("dateline serve starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url =
        line.trim().strip_prefix("Serving ").unwrap_or_else(|| panic!("{line:?}")).to_string();
    let hostport = url.strip_prefix("http://").and_then(|u| u.strip_suffix('/')).unwrap();
    let addr = hostport.parse().unwrap_or_else(|_| panic!("{url}"));
    Server { child, url, addr }
}

/// One HTTP response, header names lowercased.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// `METHOD target` with `headers`, on its own connection, read to its close.
fn request(server: &Server, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    use std::io::{Read, Write};
    let mut c = std::net::TcpStream::connect(server.addr).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let mut head =
        format!("{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", server.addr);
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    c.write_all(format!("{head}\r\n").as_bytes()).unwrap();
    let mut raw = Vec::new();
    c.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a whole head");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .map(|l| l.split_once(':').unwrap())
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply { status, headers, body: raw[split + 4..].to_vec() }
}

fn get(server: &Server, target: &str, headers: &[(&str, &str)]) -> Reply {
    request(server, "GET", target, headers)
}

/// A small site, precompressed by `dateline compress`, in `tmp/site`;
/// `tmp/Cargo.toml` beside it is what traversal would reach.
fn site(tmp: &Path) -> std::path::PathBuf {
    let root = tmp.join("site");
    let text =
        |what: &str| format!("// The {what} of a page about a quiet harbour town.\n").repeat(60);
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    build(&root.join("data"));
    // A shard's name is its hash (an unsharded build removes any shards/).
    std::fs::create_dir_all(root.join("data").join("shards")).unwrap();
    std::fs::write(root.join("index.html"), text("page")).unwrap();
    std::fs::write(root.join("app.js"), text("script")).unwrap();
    std::fs::write(root.join("app.0123456789abcdef.mjs"), text("hashed module")).unwrap();
    std::fs::write(root.join("data/shards/00112233aabbccdd.dtl"), text("shard")).unwrap();
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend(text("engine").bytes());
    std::fs::write(root.join("pkg/dateline_bg.wasm"), wasm).unwrap();
    std::fs::write(tmp.join("Cargo.toml"), "[package]\nname = \"not-for-the-web\"\n").unwrap();
    let out = dateline().arg("compress").arg(&root).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    root
}

#[test]
fn serve_sends_the_precompressed_copy_the_client_accepts() {
    use std::io::Read;
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let server = serve(&root, &[]);
    for path in ["pkg/dateline_bg.wasm", "data/index.dtl", "app.js", "index.html"] {
        let raw = std::fs::read(root.join(path)).unwrap();
        let target = format!("/{path}");
        let gz = get(&server, &target, &[("Accept-Encoding", "gzip")]);
        assert_eq!((gz.status, gz.header("content-encoding")), (200, Some("gzip")), "{path}");
        assert!(gz.body.len() < raw.len(), "{path}: gzip is smaller");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gz.body[..]).read_to_end(&mut decoded).unwrap();
        assert!(decoded == raw, "{path}: gzip decodes to the file");
        // A browser's list: brotli is preferred.
        let br = get(&server, &target, &[("Accept-Encoding", "gzip, deflate, br")]);
        assert_eq!((br.status, br.header("content-encoding")), (200, Some("br")), "{path}");
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&br.body[..], 4096).read_to_end(&mut decoded).unwrap();
        assert!(decoded == raw, "{path}: brotli decodes to the file");
        assert_eq!(br.header("vary"), Some("accept-encoding"));
        // Not accepted: the file as it is.
        for accept in [None, Some("identity"), Some("gzip;q=0, br;q=0")] {
            let headers: Vec<_> = accept.map(|a| ("Accept-Encoding", a)).into_iter().collect();
            let plain = get(&server, &target, &headers);
            assert_eq!((plain.status, plain.header("content-encoding")), (200, None), "{accept:?}");
            assert!(plain.body == raw, "{path}: {accept:?} gets the file");
        }
    }
}

#[test]
fn serve_answers_ranges_from_the_file_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let server = serve(&root, &[]);
    let raw = std::fs::read(root.join("data/index.dtl")).unwrap();
    let ask = [("Range", "bytes=10-49"), ("Accept-Encoding", "gzip, br")];
    let part = get(&server, "/data/index.dtl", &ask);
    assert_eq!(part.status, 206);
    assert_eq!(part.header("content-range"), Some(format!("bytes 10-49/{}", raw.len()).as_str()));
    assert_eq!(part.header("content-encoding"), None);
    assert!(part.body == raw[10..50]);
    let tail = get(&server, "/data/index.dtl", &[("Range", "bytes=-16")]);
    assert_eq!(tail.status, 206);
    assert!(tail.body == raw[raw.len() - 16..]);
    let past = get(&server, "/data/index.dtl", &[("Range", &format!("bytes={}-", raw.len() + 5))]);
    assert_eq!(past.status, 416);
}

#[test]
fn serve_headers_policy_types_and_caching() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let server = serve(&root, &[]);
    let cases = [
        ("/", "text/html; charset=utf-8", "no-cache"),
        ("/?q=harbour", "text/html; charset=utf-8", "no-cache"),
        ("/app.js", "text/javascript; charset=utf-8", "no-cache"),
        (
            "/app.0123456789abcdef.mjs",
            "text/javascript; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        ("/pkg/dateline_bg.wasm", "application/wasm", "no-cache"),
        ("/data/index.dtl", "application/octet-stream", "no-cache"),
        (
            "/data/shards/00112233aabbccdd.dtl",
            "application/octet-stream",
            "public, max-age=31536000, immutable",
        ),
    ];
    for (target, mime, cache) in cases {
        for accept in ["gzip", "br", "identity"] {
            let r = get(&server, target, &[("Accept-Encoding", accept)]);
            assert_eq!(r.status, 200, "{target}");
            assert_eq!(r.header("content-type"), Some(mime), "{target} {accept}");
            assert_eq!(r.header("cache-control"), Some(cache), "{target} {accept}");
            assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        }
    }
    let missing = get(&server, "/nothing-here.js", &[]);
    assert_eq!(missing.status, 404);
    for r in [&missing, &get(&server, "/", &[])] {
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'self'") && csp.contains("'wasm-unsafe-eval'"), "{csp}");
    }
    let post = request(&server, "POST", "/", &[("Content-Length", "0")]);
    assert_eq!(post.status, 405);
}

#[test]
fn serve_refuses_to_leave_its_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let server = serve(&root, &[]);
    assert!(server.url.starts_with("http://127.0.0.1:"), "loopback by default: {}", server.url);
    let outside = std::fs::read(tmp.path().join("Cargo.toml")).unwrap();
    for target in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E%2FCargo.toml",
        "/pkg/..%2f..%2fCargo.toml",
        "/pkg/%2e%2e/%2e%2e/Cargo.toml",
        "/..%5cCargo.toml",
        &format!("/{}", tmp.path().join("Cargo.toml").display()),
        &format!(
            "/%2F{}",
            tmp.path().join("Cargo.toml").display().to_string().trim_start_matches('/')
        ),
    ] {
        let r = get(&server, target, &[]);
        assert!(r.status == 404 || r.status == 400, "{target}: {}", r.status);
        assert!(r.body != outside, "{target}");
    }
    assert_eq!(get(&server, "/pkg/", &[]).status, 404);
    assert_eq!(get(&server, "/data/index.dtl.missing", &[]).status, 404);
}

#[test]
fn publish_writes_compressed_copies_of_the_hashed_files_only() {
    use std::io::Read;
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path()); // compressed already: its copies are not published as files
    let out = tmp.path().join("published");
    let run = dateline().arg("publish").arg("--www").arg(&root).arg("--out").arg(&out).output();
    let run = run.unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("dateline-manifest.json")).unwrap())
            .unwrap();
    let files = manifest["files"].as_object().unwrap();
    assert!(!files.keys().any(|k| k.ends_with(".gz") || k.ends_with(".br")), "{files:?}");
    let wasm = files["pkg/dateline_bg.wasm"]["file"].as_str().unwrap();
    assert!(wasm.ends_with(".wasm") && wasm != "pkg/dateline_bg.wasm", "{wasm}");
    let raw = std::fs::read(out.join(wasm)).unwrap();
    let mut decoded = Vec::new();
    let gz = std::fs::read(out.join(format!("{wasm}.gz"))).unwrap();
    flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut decoded).unwrap();
    assert!(decoded == raw);
    let mut decoded = Vec::new();
    let br = std::fs::read(out.join(format!("{wasm}.br"))).unwrap();
    brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut decoded).unwrap();
    assert!(decoded == raw);
    // The unhashed name has no copy either.
    assert!(!out.join("pkg/dateline_bg.wasm.gz").exists());
    // Served from the publish, a hashed name is cached for good, compressed.
    let server = serve(&out, &[]);
    let r = get(&server, &format!("/{wasm}"), &[("Accept-Encoding", "br")]);
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(r.header("cache-control"), Some("public, max-age=31536000, immutable"));
}
