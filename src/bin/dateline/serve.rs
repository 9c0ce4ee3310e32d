//! `dateline serve DIR`: a static file server for the explorer.
//!
//! axum on a current-thread tokio runtime, with tower-http's `ServeDir`
//! reading the files: conditional requests, single Range requests, and the
//! precompressed `X.br` / `X.gz` that `dateline compress` writes beside each
//! asset, sent with `Content-Encoding` to clients that accept them.
//!
//! Around `ServeDir`, one middleware ([`guard`]) keeps the rules of the page:
//! - a request must name a file under the root ([`resolve`]): `..`, encoded
//!   `%2e%2e` forms, absolute paths, backslashes and symbolic links leading
//!   out are answered 404, like missing files;
//! - a Range request, or a file whose `.br`/`.gz` is older than itself (a
//!   build that stopped before `dateline compress`), is served as it is on
//!   disk, never from a stale or partial compressed copy;
//! - every response carries the Content Security Policy the page is written
//!   for, `nosniff` and `no-referrer`; files get the MIME types a browser
//!   needs (`application/wasm` above all, for `instantiateStreaming`),
//!   `Vary: Accept-Encoding`, and `Cache-Control`: a year and `immutable`
//!   for content-hashed names ([`is_content_hashed`]), `no-cache` (revalidate
//!   by `Last-Modified`) for the rest.
//!
//! It listens on 127.0.0.1 unless told otherwise: it is a development and
//! preview server, and prints `Serving http://HOST:PORT/` once it listens.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::services::ServeDir;

/// The policy the page is written to run under: nothing inline, nothing from
/// another origin; `wasm-unsafe-eval` lets it compile the WebAssembly module.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/// `Cache-Control` of files whose name is their content's hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

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
    let listener =
        std::net::TcpListener::bind((args.host.as_str(), args.port)).with_context(|| {
            format!("cannot listen on {}:{} (is the port in use? try --port)", args.host, args.port)
        })?;
    listener.set_nonblocking(true).context("cannot make the listening socket non-blocking")?;
    let local = listener.local_addr().context("the listening socket has no address")?;
    let host = if local.is_ipv6() { format!("[{}]", local.ip()) } else { local.ip().to_string() };
    println!("Serving http://{host}:{}/", local.port());
    io::stdout().flush().ok();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, app(root)).await
    })?;
    Ok(())
}

/// The whole server: `ServeDir` over `root` (a canonical path) behind [`guard`].
pub fn app(root: PathBuf) -> axum::Router {
    let files = ServeDir::new(&root).precompressed_br().precompressed_gzip();
    axum::Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn_with_state(Arc::new(root), guard))
}

/// Refuses what is not a file under the root, keeps stale or partial
/// compressed copies out, and sets the headers of every response.
async fn guard(State(root): State<Arc<PathBuf>>, mut request: Request, next: Next) -> Response {
    let Some(file) = resolve(&root, request.uri().path()) else {
        let mut response = (StatusCode::NOT_FOUND, "404 Not Found\n").into_response();
        common_headers(response.headers_mut());
        return response;
    };
    let headers = request.headers_mut();
    if headers.contains_key(header::RANGE) || has_stale_copy(&file) {
        headers.remove(header::ACCEPT_ENCODING);
    }
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    common_headers(headers);
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime_type(&file)));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let cache = if is_content_hashed(&file) { IMMUTABLE } else { "no-cache" };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}

/// The headers every response carries.
fn common_headers(headers: &mut HeaderMap) {
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-cache"));
}

/// Whether `file.br` or `file.gz` exists but was written before `file`: the
/// asset changed after `dateline compress` last ran. Warns once.
fn has_stale_copy(file: &Path) -> bool {
    static WARNED: AtomicBool = AtomicBool::new(false);
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let Some(source) = modified(file) else { return false };
    let stale = crate::compress::SUFFIXES.iter().any(|suffix| {
        let mut copy = file.as_os_str().to_owned();
        copy.push(suffix);
        modified(Path::new(&copy)).is_some_and(|written| written < source)
    });
    if stale && !WARNED.swap(true, Ordering::Relaxed) {
        eprintln!(
            "dateline serve: warning: {} changed after its compressed copies were written; \
             serving it uncompressed (run `dateline compress` on the directory)",
            file.display()
        );
    }
    stale
}

/// Maps a request path to a file under `root`, or `None` when it does not
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

/// Whether a file's name is its content's hash, so that it never changes:
/// `NAME.<16 hex>.EXT` as `dateline publish` writes, and a shard,
/// `shards/<16 hex>.dtl`. Some part before the extension is 16 hex digits.
pub fn is_content_hashed(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let Some((stem, _ext)) = name.rsplit_once('.') else { return false };
    stem.split('.').any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
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
    use std::fs;
    use std::io::Read;
    use std::net::{SocketAddr, TcpStream};

    /// Serves `root` on a free loopback port from a background thread.
    fn start(root: PathBuf) -> SocketAddr {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_io().build().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app(root)).await
            })
        });
        addr
    }

    /// Sends `raw` on a new connection; everything the server sends until it
    /// closes, lowercased (header names are case-insensitive), as text.
    fn exchange(addr: SocketAddr, raw: &str) -> String {
        let mut c = TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
        c.write_all(raw.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        c.read_to_end(&mut bytes).unwrap();
        String::from_utf8_lossy(&bytes).to_ascii_lowercase()
    }

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::write(root.join("index.html"), "<p>hi</p>").unwrap();
        (dir, root)
    }

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
    fn serves_over_a_socket() {
        let (_dir, root) = site();
        let addr = start(root);
        // Two pipelined requests on one connection, the second closing it.
        let text = exchange(
            addr,
            "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        assert!(text.starts_with("http/1.1 200 ok\r\n"), "{text}");
        assert!(text.contains("content-type: text/html; charset=utf-8\r\n"), "{text}");
        assert!(text.contains("content-length: 9\r\n"), "{text}");
        assert!(text.contains("<p>hi</p>http/1.1 404 not found\r\n"), "{text}");
        assert!(text.contains("content-security-policy: default-src 'self'"), "{text}");
    }

    /// What the server does with the connection and with requests it does
    /// not serve, over the wire.
    #[test]
    fn request_heads() {
        let (_dir, root) = site();
        let addr = start(root);
        // HTTP/1.1 keeps the connection: a second request on it is answered.
        let text = exchange(
            addr,
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        );
        assert_eq!(text.matches("http/1.1 200 ok").count(), 2, "{text}");
        // `Connection: close`, and HTTP/1.0, end it after one answer.
        let text = exchange(addr, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assert_eq!(text.matches("200 ok").count(), 1, "{text}");
        let text = exchange(addr, "GET / HTTP/1.0\r\n\r\n");
        assert_eq!(text.matches("200 ok").count(), 1, "{text}");
        // Only GET and HEAD.
        let text = exchange(
            addr,
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        );
        assert!(text.starts_with("http/1.1 405 "), "{text}");
        assert!(text.contains("allow: get,head"), "{text}");
        // Malformed heads are refused.
        for bad in ["GET / SPDY/3\r\n\r\n", "GET / HTTP/1.1\r\nno colon here\r\n\r\n"] {
            let text = exchange(addr, bad);
            assert!(text.starts_with("http/1.1 400 "), "{bad:?}: {text}");
        }
    }

    #[test]
    fn stale_compressed_copies_are_not_served() {
        let (_dir, root) = site();
        let page = "<p>a page long enough to be worth compressing, twice over</p>\n".repeat(20);
        fs::write(root.join("index.html"), &page).unwrap();
        crate::compress::dir(&root).unwrap();
        let addr = start(root.clone());
        let ask = "GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n";
        assert!(exchange(addr, ask).contains("content-encoding: gzip"));
        // The page changes after its copies were written.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(root.join("index.html"), "<p>new</p>").unwrap();
        let text = exchange(addr, ask);
        assert!(!text.contains("content-encoding"), "{text}");
        assert!(text.ends_with("\r\n\r\n<p>new</p>"), "{text}");
    }

    #[test]
    fn content_hashed_names() {
        assert!(is_content_hashed(Path::new("pkg/dateline_bg.0123456789abcdef.wasm")));
        assert!(is_content_hashed(Path::new("data/shards/00ff00ff00ff00ff.dtl")));
        assert!(!is_content_hashed(Path::new("pkg/dateline_bg.wasm")));
        assert!(!is_content_hashed(Path::new("0123456789abcdef")));
        assert!(!is_content_hashed(Path::new("app.0123456789abcdeg.js")));
        assert!(!is_content_hashed(Path::new("app.0123456789abcde.js")));
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type(Path::new("a/dateline_bg.wasm")), "application/wasm");
        assert_eq!(mime_type(Path::new("app.js")), "text/javascript; charset=utf-8");
        assert_eq!(mime_type(Path::new("index.HTML")), "text/html; charset=utf-8");
        assert_eq!(mime_type(Path::new("data/index.dtl")), "application/octet-stream");
    }
}
