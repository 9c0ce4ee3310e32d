//! The single-file explorer: one HTML file holding the page, its CSS, its
//! JavaScript (one inline module), the WebAssembly engine and the index, that
//! works opened from `file://` and offline — nothing in it is fetched.
//!
//! It is assembled from the built www assets (`./build.sh` makes them):
//!
//! * `index.html` — the page; `<link rel=stylesheet>` becomes `<style>`, the
//!   icon a `data:` URL, preloads are dropped, and the `<script src>` is
//!   replaced by the bundle;
//! * `dist/bundle/app.single.js` — app.js + dateline.js + the wasm-bindgen
//!   glue bundled by esbuild (`tools/bundle.mjs`), reading its payloads from
//!   the document instead of fetching;
//! * `pkg/dateline_bg.wasm` — the engine.
//!
//! The wasm and the index travel as base64 in
//! `<script type="application/octet-stream" id="dateline-wasm|dateline-index">`
//! blocks (never executed), gzip-compressed first when that makes them
//! smaller (`data-encoding="gzip"`; the page inflates them with the
//! browser's own `DecompressionStream`). A Content Security Policy with the
//! hashes of the inline script and style (`default-src 'none'`) makes sure
//! the file cannot load anything at all.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The bundle inside the assets directory (written by `tools/bundle.mjs`).
pub const BUNDLE: &str = "dist/bundle/app.single.js";
/// The engine inside the assets directory.
pub const WASM: &str = "pkg/dateline_bg.wasm";
/// The page inside the assets directory.
pub const PAGE: &str = "index.html";

/// How one payload was stored, and what the alternative would have cost.
#[derive(Debug, Clone, Copy)]
pub struct Payload {
    /// Bytes before encoding.
    pub raw: usize,
    /// Base64 characters of the raw bytes.
    pub base64: usize,
    /// Base64 characters of the gzip-compressed bytes.
    pub gzip_base64: usize,
    /// Whether the gzip form was embedded (it was smaller).
    pub gzipped: bool,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: usize,
    /// Its size gzip-compressed (as a server or a mail attachment might send it).
    pub gzip: usize,
    /// The engine's payload.
    pub wasm: Payload,
    /// The index's payload.
    pub index: Payload,
    /// The inline JavaScript, bytes.
    pub js: usize,
}

fn read(assets: &Path, rel: &str) -> anyhow::Result<Vec<u8>> {
    let path = assets.join(rel);
    std::fs::read(&path).with_context(|| {
        format!(
            "the single-file build needs {} but it is missing: build the assets first with ./build.sh \
             (it writes www/pkg/ and www/dist/bundle/), or point --assets at a built www/ directory",
            path.display()
        )
    })
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `'sha256-…'` of an inline script or style, for the CSP.
fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", b64(&Sha256::digest(text.as_bytes())))
}

/// Encodes a payload: base64 of the gzip form when it is smaller.
fn encode(bytes: &[u8]) -> anyhow::Result<(String, Payload)> {
    let plain = b64(bytes);
    let packed = b64(&crate::compress::gzip(bytes)?);
    let info = Payload {
        raw: bytes.len(),
        base64: plain.len(),
        gzip_base64: packed.len(),
        gzipped: packed.len() < plain.len(),
    };
    Ok((if info.gzipped { packed } else { plain }, info))
}

/// Makes text safe inside a `<script>` element (no early `</script`, no
/// `<!--` that would switch the parser's script state). Both rewrites keep
/// the JavaScript's meaning: they only ever occur in strings, regexps and
/// comments, where `<\/` and `<\!` read as `</` and `<!`.
fn script_safe(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let lower = js.to_ascii_lowercase();
    let mut i = 0;
    while i < js.len() {
        if lower[i..].starts_with("</script") {
            out.push_str("<\\/");
            i += 2;
        } else if lower[i..].starts_with("<!--") {
            out.push_str("<\\!");
            i += 2;
        } else {
            let c = js[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    out
}

/// The value of attribute `name` in a start tag's text (`<link rel=… href=…>`).
fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let at = from + pos;
        from = at + name.len();
        let before = lower[..at].chars().last().unwrap_or(' ');
        if !before.is_ascii_whitespace() {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else { continue };
        let rest = rest.trim_start();
        return Some(match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or("").to_string(),
            _ => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

fn mime_of(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// Writes the single-file explorer for `index` (the bytes of an `index.dtl`)
/// to `out`, from the built assets in `assets` (normally `www/`).
pub fn write(index: &[u8], assets: &Path, out: &Path) -> anyhow::Result<Written> {
    let page = String::from_utf8(read(assets, PAGE)?).context("index.html is not UTF-8")?;
    let bundle = String::from_utf8(read(assets, BUNDLE)?).context("the bundle is not UTF-8")?;
    let wasm = read(assets, WASM)?;
    if wasm.get(..4) != Some(b"\0asm") {
        bail!(
            "{} is not a WebAssembly module: rebuild it with ./build.sh",
            assets.join(WASM).display()
        );
    }

    let js = script_safe(&bundle);
    let mut styles = Vec::new();
    let mut html = String::with_capacity(page.len() + js.len());
    let mut rest = page.as_str();
    let mut script_done = false;
    // Walk the tags that load something; copy everything else as it is.
    loop {
        let lower = rest.to_ascii_lowercase();
        let next = [lower.find("<link"), lower.find("<script")].into_iter().flatten().min();
        let Some(start) = next else {
            html.push_str(rest);
            break;
        };
        html.push_str(&rest[..start]);
        let end = start + rest[start..].find('>').context("index.html: a tag is not closed")? + 1;
        let tag = &rest[start..end];
        let is_script = lower[start..].starts_with("<script");
        rest = &rest[end..];
        if is_script {
            let close = rest
                .to_ascii_lowercase()
                .find("</script>")
                .context("index.html: <script> is not closed")?;
            let body = &rest[..close];
            rest = &rest[close + "</script>".len()..];
            match attr(tag, "src") {
                Some(_) if script_done => bail!("index.html loads more than one script; the single-file build expects one (app.js)"),
                Some(_) => {
                    html.push_str("<script type=\"module\">");
                    html.push_str(&js);
                    html.push_str("</script>");
                    script_done = true;
                }
                None if body.trim().is_empty() => {}
                None => bail!("index.html has an inline script; the single-file build does not expect one"),
            }
            continue;
        }
        let rel = attr(tag, "rel").unwrap_or_default().to_ascii_lowercase();
        let href = attr(tag, "href").unwrap_or_default();
        if rel.split_whitespace().any(|r| r == "stylesheet") {
            let css = String::from_utf8(read(assets, &href)?)
                .with_context(|| format!("{href} is not UTF-8"))?;
            if css.to_ascii_lowercase().contains("</style") || css.contains("@import") {
                bail!("{href} contains </style or @import, which cannot be inlined");
            }
            styles.push(css.clone());
            html.push_str("<style>");
            html.push_str(&css);
            html.push_str("</style>");
        } else if rel.split_whitespace().any(|r| r == "icon") && !href.is_empty() {
            let icon = read(assets, &href)?;
            let _ = write!(
                html,
                "<link rel=\"icon\" href=\"data:{};base64,{}\">",
                mime_of(&href),
                b64(&icon)
            );
        } else if ["preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch"]
            .contains(&rel.as_str())
        {
            // Nothing to preload: everything is here.
        } else if href.is_empty() || href.starts_with("data:") {
            html.push_str(tag);
        } else {
            bail!("index.html links {href} (rel={rel}), which the single-file build cannot inline");
        }
    }
    if !script_done {
        bail!("index.html has no <script src>: the single-file build replaces it with the bundle");
    }

    // Nothing may load: only the inline script and styles (by hash), wasm
    // compilation, and data: images.
    let mut csp =
        format!("default-src 'none'; script-src {} 'wasm-unsafe-eval'; style-src", csp_hash(&js));
    for s in &styles {
        csp.push(' ');
        csp.push_str(&csp_hash(s));
    }
    csp.push_str("; img-src data:; base-uri 'none'; form-action 'none'");
    let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n");
    let at = html
        .to_ascii_lowercase()
        .find("<meta charset")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    match at {
        Some(i) => html.insert_str(i, &format!("\n{meta}")),
        None => {
            bail!("index.html has no <meta charset>; the single-file build puts its CSP after it")
        }
    }

    let (wasm_text, wasm_info) = encode(&wasm)?;
    let (index_text, index_info) = encode(index)?;
    let mut payloads = String::new();
    for (id, text, info) in
        [("dateline-wasm", &wasm_text, wasm_info), ("dateline-index", &index_text, index_info)]
    {
        let enc = if info.gzipped { " data-encoding=\"gzip\"" } else { "" };
        let _ = write!(payloads, "<script type=\"application/octet-stream\" id=\"{id}\"{enc}>");
        // Lines of 4 KiB keep editors and diff tools happy.
        for chunk in text.as_bytes().chunks(4096) {
            payloads.push('\n');
            payloads.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        }
        payloads.push_str("\n</script>\n");
    }
    match html.to_ascii_lowercase().rfind("</body>") {
        Some(i) => html.insert_str(i, &payloads),
        None => html.push_str(&payloads),
    }

    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(out, &html).with_context(|| format!("writing {}", out.display()))?;
    Ok(Written {
        path: out.to_path_buf(),
        bytes: html.len(),
        gzip: crate::compress::gzip(html.as_bytes())?.len(),
        wasm: wasm_info,
        index: index_info,
        js: js.len(),
    })
}

/// Prints what [`write`] did (sizes of both encodings, so the choice shows).
pub fn report(w: &Written) -> String {
    let row = |name: &str, p: &Payload| {
        format!(
            "  {name:<6} {:>9} B raw -> base64 {:>9} B, gzip+base64 {:>9} B: embedded {}\n",
            p.raw,
            p.base64,
            p.gzip_base64,
            if p.gzipped { "gzip+base64 (DecompressionStream)" } else { "plain base64" }
        )
    };
    format!(
        "wrote {} ({} bytes, gzip {} bytes): opens from file://, fetches nothing\n  js     {:>9} B inline module\n{}{}",
        w.path.display(),
        w.bytes,
        w.gzip,
        w.js,
        row("wasm", &w.wasm),
        row("index", &w.index)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_quoted_or_not() {
        assert_eq!(
            attr(r#"<link rel="stylesheet" href="style.css">"#, "href").as_deref(),
            Some("style.css")
        );
        assert_eq!(attr("<link rel=icon href=favicon.svg>", "rel").as_deref(), Some("icon"));
        assert_eq!(attr(r#"<link data-href="x" href='y'>"#, "href").as_deref(), Some("y"));
        assert_eq!(attr("<script type=module>", "src"), None);
    }

    #[test]
    fn scripts_cannot_close_early() {
        let js = r#"const a = "</script><!-- x"; const b = "</SCRIPT>";"#;
        let safe = script_safe(js);
        assert!(!safe.to_ascii_lowercase().contains("</script"));
        assert!(!safe.contains("<!--"));
        assert_eq!(safe, r#"const a = "<\/script><\!-- x"; const b = "<\/SCRIPT>";"#);
    }
}
