//! `dateline serve DIR`: a tiny static file server for the explorer.
//!
//! Serves the files under one directory (normally `www/`) with the MIME types
//! a browser needs (`application/wasm` above all, so that
//! `WebAssembly.instantiateStreaming` works), refuses to leave that
//! directory, answers 404 for what is missing, and sends the Content Security
//! Policy the page is written for. It listens on 127.0.0.1 unless told
//! otherwise: it is a development and preview server, not a production one.
//!
//! It is plain HTTP/1.1 over `std::net`, one thread per connection, with
//! keep-alive. (It first used `tiny_http`, whose connection pool left
//! Chromium waiting forever for the wasm module or the index on most fresh
//! page loads, when they were preloaded in parallel.)

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

/// The policy the page is written to run under: nothing inline, nothing from
/// another origin; `wasm-unsafe-eval` lets it compile the WebAssembly module.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/// The longest request head (request line and headers) accepted.
const MAX_HEAD: u64 = 16 * 1024;

/// Arguments of `dateline serve`.
#[derive(clap::Args)]
pub struct Args {
    /// The directory to serve (the explorer lives in `www/`).
    #[arg(default_value = "www")]
    pub dir: PathBuf,
    /// The TCP port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The address to listen on. Only loopback by default: other machines
    /// cannot reach the server unless you say so.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
}

/// Serves `args.dir` until the process is stopped.
pub fn run(args: Args) -> anyhow::Result<()> {
    let root = args
        .dir
        .canonicalize()
        .with_context(|| format!("cannot serve {}: no such directory", args.dir.display()))?;
    anyhow::ensure!(root.is_dir(), "cannot serve {}: not a directory", root.display());
    if !root.join("data").join("index.dtl").is_file() {
        eprintln!(
            "dateline serve: warning: {} has no data/index.dtl; the page will say so. Run ./build.sh first.",
            root.display()
        );
    }
    let listener = TcpListener::bind((args.host.as_str(), args.port)).with_context(|| {
        format!("cannot listen on {}:{} (is the port in use? try --port)", args.host, args.port)
    })?;
    let local = listener.local_addr().context("the listening socket has no address")?;
    let host = if local.is_ipv6() { format!("[{}]", local.ip()) } else { local.ip().to_string() };
    println!("Serving http://{host}:{}/", local.port());
    io::stdout().flush().ok();

    let root = Arc::new(root);
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let root = Arc::clone(&root);
        std::thread::spawn(move || {
            // A client that hung up or timed out is not our problem.
            let _ = connection(&root, stream);
        });
    }
    Ok(())
}

/// Answers the requests of one connection until it closes.
fn connection(root: &Path, stream: TcpStream) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    stream.set_nodelay(true).ok();
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let Some(head) = read_head(&mut reader)? else { return Ok(()) };
        let (reply, method, keep_alive) = match parse_head(&head) {
            Some((method, target, keep_alive, has_body)) => {
                let reply = match method.as_str() {
                    "GET" | "HEAD" if !has_body => respond(root, &target),
                    "GET" | "HEAD" => Reply::error(400, "Bad Request"),
                    _ => Reply::error(405, "Method Not Allowed"),
                };
                // A request body is never read, so the connection cannot go on.
                (reply, method, keep_alive && !has_body)
            }
            None => (Reply::error(400, "Bad Request"), String::new(), false),
        };
        write_reply(&mut out, &reply, method == "HEAD", keep_alive)?;
        if !keep_alive {
            return Ok(());
        }
    }
}

/// Reads a request head up to the blank line; `None` at a clean end of stream.
fn read_head(reader: &mut BufReader<TcpStream>) -> io::Result<Option<String>> {
    let mut head = String::new();
    let mut limited = reader.by_ref().take(MAX_HEAD);
    loop {
        let mut line = String::new();
        if limited.read_line(&mut line)? == 0 {
            return if head.trim().is_empty() {
                Ok(None)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "request head cut short or too long",
                ))
            };
        }
        if line == "\r\n" || line == "\n" {
            if head.is_empty() {
                continue; // stray blank lines between requests are allowed
            }
            return Ok(Some(head));
        }
        head.push_str(&line);
    }
}

/// Method, target, whether to keep the connection, whether a body follows.
fn parse_head(head: &str) -> Option<(String, String, bool, bool)> {
    let mut lines = head.lines();
    let mut parts = lines.next()?.split_whitespace();
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") {
        return None;
    }
    let mut keep_alive = version == "HTTP/1.1";
    let mut has_body = false;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let value = value.trim().to_ascii_lowercase();
        match name.trim().to_ascii_lowercase().as_str() {
            "connection" if value.contains("close") => keep_alive = false,
            "connection" if value.contains("keep-alive") => keep_alive = true,
            "content-length" => has_body |= value != "0",
            "transfer-encoding" => has_body = true,
            _ => {}
        }
    }
    Some((method.to_string(), target.to_string(), keep_alive, has_body))
}

fn write_reply(
    out: &mut TcpStream,
    reply: &Reply,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let reason = match reply.status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: {}\r\n\
         X-Content-Type-Options: nosniff\r\nContent-Security-Policy: {CSP}\r\nReferrer-Policy: no-referrer\r\n",
        reply.status,
        reply.mime,
        reply.body.len(),
        if reply.immutable { "public, max-age=31536000, immutable" } else { "no-cache" }
    );
    if reply.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(&reply.body)?;
    }
    out.flush()
}

/// What to send back for one request.
struct Reply {
    status: u16,
    mime: &'static str,
    body: Vec<u8>,
    /// Content-addressed (a shard, named by its SHA-256): cacheable forever.
    immutable: bool,
}

impl Reply {
    fn error(status: u16, text: &str) -> Reply {
        Reply {
            status,
            mime: "text/plain; charset=utf-8",
            body: format!("{status} {text}\n").into_bytes(),
            immutable: false,
        }
    }
}

fn respond(root: &Path, url: &str) -> Reply {
    let Some(path) = resolve(root, url) else {
        return Reply::error(404, "Not Found");
    };
    match fs::read(&path) {
        Ok(body) => Reply { status: 200, mime: mime_type(&path), body, immutable: is_shard(&path) },
        Err(_) => Reply::error(404, "Not Found"),
    }
}

/// Maps a request target to a file under `root`, or `None` when it does not
/// name one (missing, a directory without `index.html`, or an attempt to
/// climb out of `root` with `..`, an absolute path or a symbolic link).
pub fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let mut out = root.to_path_buf();
    for part in decoded.split('/') {
        if part.is_empty() || part == "." {
            continue;
        }
        // One plain name per segment: no `..`, no drive or root, no backslash.
        let mut comps = Path::new(part).components();
        match (comps.next(), comps.next()) {
            (Some(Component::Normal(name)), None)
                if !part.contains('\\') && !part.contains('\0') =>
            {
                out.push(name)
            }
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    // Symbolic links must not lead out of the root either.
    let real = out.canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

/// Decodes `%XX` escapes; `None` for a malformed escape or non-UTF-8 result.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether `path` is a shard (`shards/<16 hex digits>.dtl`), whose name is
/// its content's hash.
fn is_shard(path: &Path) -> bool {
    let in_shards =
        path.parent().and_then(Path::file_name).is_some_and(|d| d == crate::build::SHARDS_DIR);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    in_shards && name.strip_suffix(".dtl").and_then(dateline::index::parse_shard_name).is_some()
}

/// The Content-Type for a file, by extension.
pub fn mime_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_inside_the_root_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::write(root.join("index.html"), "hi").unwrap();
        fs::create_dir(root.join("pkg")).unwrap();
        fs::write(root.join("pkg").join("a b.wasm"), "x").unwrap();
        fs::write(dir.path().parent().unwrap().join("secret-dateline-test"), "no").ok();

        assert_eq!(resolve(&root, "/"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/?q=x#entry-3"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/pkg/a%20b.wasm"), Some(root.join("pkg").join("a b.wasm")));
        assert_eq!(resolve(&root, "/pkg/"), None);
        assert_eq!(resolve(&root, "/missing.js"), None);
        assert_eq!(resolve(&root, "/../secret-dateline-test"), None);
        assert_eq!(resolve(&root, "/%2e%2e/secret-dateline-test"), None);
        assert_eq!(resolve(&root, "/pkg/..%2f..%2fsecret-dateline-test"), None);
        assert_eq!(resolve(&root, "/..\\secret-dateline-test"), None);
        assert_eq!(resolve(&root, "/%zz"), None);
    }

    #[test]
    fn request_heads() {
        let get = "GET /pkg/x.wasm HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n";
        assert_eq!(parse_head(get), Some(("GET".into(), "/pkg/x.wasm".into(), true, false)));
        let close = "GET / HTTP/1.1\r\nConnection: close\r\n";
        assert_eq!(parse_head(close).map(|h| h.2), Some(false));
        assert_eq!(parse_head("GET / HTTP/1.0\r\n").map(|h| h.2), Some(false));
        let post = "POST / HTTP/1.1\r\nContent-Length: 5\r\n";
        assert_eq!(parse_head(post).map(|h| h.3), Some(true));
        assert_eq!(parse_head("GET / SPDY/3\r\n"), None);
        assert_eq!(parse_head("GET / HTTP/1.1\r\nno colon here\r\n"), None);
        assert_eq!(parse_head(""), None);
    }

    #[test]
    fn serves_over_a_socket() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::write(root.join("index.html"), "<p>hi</p>").unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server_root = root.clone();
        std::thread::spawn(move || {
            for s in listener.incoming().take(1) {
                let _ = connection(&server_root, s.unwrap());
            }
        });
        let mut c = TcpStream::connect(addr).unwrap();
        c.write_all(
            b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
        let mut text = String::new();
        c.read_to_string(&mut text).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(text.contains("Content-Length: 9\r\n"));
        assert!(text.contains("<p>hi</p>HTTP/1.1 404 Not Found\r\n"));
        assert!(text.contains("Content-Security-Policy: default-src 'self'"));
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type(Path::new("a/dateline_bg.wasm")), "application/wasm");
        assert_eq!(mime_type(Path::new("app.js")), "text/javascript; charset=utf-8");
        assert_eq!(mime_type(Path::new("index.HTML")), "text/html; charset=utf-8");
        assert_eq!(mime_type(Path::new("data/index.dtl")), "application/octet-stream");
    }
}
