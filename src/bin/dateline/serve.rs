//! `dateline serve DIR`: a tiny static file server for the explorer.
//!
//! Serves the files under one directory (normally `www/`) with the MIME types
//! a browser needs (`application/wasm` above all, so that
//! `WebAssembly.instantiateStreaming` works), refuses to leave that
//! directory, answers 404 for what is missing, and sends the Content Security
//! Policy the page is written for. It listens on 127.0.0.1 unless told
//! otherwise: it is a development and preview server, not a production one.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use tiny_http::{Header, Method, Response, Server, StatusCode};

/// The policy the page is written to run under: nothing inline, nothing from
/// another origin; `wasm-unsafe-eval` lets it compile the WebAssembly module.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

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
    let addr = format!("{}:{}", args.host, args.port);
    let server = Server::http(&addr)
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e} (is the port in use? try --port)"))?;
    let local = server
        .server_addr()
        .to_ip()
        .context("the server is not listening on an IP address")?;
    let host = if local.is_ipv6() { format!("[{}]", local.ip()) } else { local.ip().to_string() };
    println!("Serving http://{host}:{}/", local.port());
    use std::io::Write;
    std::io::stdout().flush().ok();

    for request in server.incoming_requests() {
        let head = *request.method() == Method::Head;
        let reply = if matches!(request.method(), Method::Get | Method::Head) {
            respond(&root, request.url())
        } else {
            Reply::error(405, "Method Not Allowed")
        };
        let mut response = Response::from_data(if head { Vec::new() } else { reply.body })
            .with_status_code(StatusCode(reply.status));
        for (name, value) in [
            ("Content-Type", reply.mime),
            ("Cache-Control", "no-cache"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", CSP),
            ("Referrer-Policy", "no-referrer"),
        ] {
            if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(h);
            }
        }
        // A client that hung up is not our problem.
        let _ = request.respond(response);
    }
    Ok(())
}

/// What to send back for one request.
struct Reply {
    status: u16,
    mime: &'static str,
    body: Vec<u8>,
}

impl Reply {
    fn error(status: u16, text: &str) -> Reply {
        Reply { status, mime: "text/plain; charset=utf-8", body: format!("{status} {text}\n").into_bytes() }
    }
}

fn respond(root: &Path, url: &str) -> Reply {
    let Some(path) = resolve(root, url) else {
        return Reply::error(404, "Not Found");
    };
    match fs::read(&path) {
        Ok(body) => Reply { status: 200, mime: mime_type(&path), body },
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
            (Some(Component::Normal(name)), None) if !part.contains('\\') && !part.contains('\0') => {
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
    fn mime_types() {
        assert_eq!(mime_type(Path::new("a/dateline_bg.wasm")), "application/wasm");
        assert_eq!(mime_type(Path::new("app.js")), "text/javascript; charset=utf-8");
        assert_eq!(mime_type(Path::new("index.HTML")), "text/html; charset=utf-8");
        assert_eq!(mime_type(Path::new("data/index.dtl")), "application/octet-stream");
    }
}
