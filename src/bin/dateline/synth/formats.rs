//! The same synthetic posts as one structured archive: JSON Lines, a JSON
//! array, CSV, an RSS 2.0 or Atom feed, or an HTML page of `<article>`s
//! (`dateline synth --format`), for measuring each reader at scale.
//!
//! Posts are written oldest first as the generator makes them (streamed:
//! memory holds one post), with their time as an instant in
//! [`TIMEZONE`](super::TIMEZONE), their authors, a permalink and an id.
//! Photos are left out: only the text path types captions.

use super::*;

/// A format `dateline synth` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SynthFormat {
    /// Captures typeset like the real ones, plus a manifest (a directory).
    Text,
    /// JSON Lines, one object a post.
    Jsonl,
    /// One JSON array of objects.
    Json,
    /// CSV with a header row; authors separated by `;`.
    Csv,
    /// RSS 2.0 with `dc:creator` and `content:encoded`.
    Rss,
    /// Atom with `<author>`s and HTML content.
    Atom,
    /// An HTML page of `<article>`s with `<time datetime>` and a byline.
    Html,
}

impl SynthFormat {
    /// Every format, in the order the benchmark measures them.
    pub const ALL: [SynthFormat; 7] = [
        SynthFormat::Text,
        SynthFormat::Jsonl,
        SynthFormat::Json,
        SynthFormat::Csv,
        SynthFormat::Rss,
        SynthFormat::Atom,
        SynthFormat::Html,
    ];

    /// Its name (and the archive's extension).
    pub fn name(self) -> &'static str {
        match self {
            SynthFormat::Text => "text",
            SynthFormat::Jsonl => "jsonl",
            SynthFormat::Json => "json",
            SynthFormat::Csv => "csv",
            SynthFormat::Rss => "rss",
            SynthFormat::Atom => "atom",
            SynthFormat::Html => "html",
        }
    }

    /// The file written into the output directory (text: the manifest).
    pub fn file_name(self) -> String {
        match self {
            SynthFormat::Text => "manifest.toml".into(),
            f => format!("posts.{}", f.name()),
        }
    }
}

/// What an archive holds, besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveSummary {
    /// Posts written.
    pub posts: u64,
    /// Bytes of the file.
    pub bytes: u64,
}

/// The post's address and id.
fn permalink(p: &Post) -> String {
    format!("https://live.example.org/synthetic#post-{}", p.index)
}

/// The post's time as RFC 3339 and RFC 2822 in the captures' zone.
fn times(p: &Post) -> (String, String) {
    match New_York.timestamp_opt(p.unix - p.unix.rem_euclid(60), 0).single() {
        Some(t) => (t.to_rfc3339(), t.to_rfc2822()),
        None => (String::new(), String::new()),
    }
}

fn xml(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// The body as HTML paragraphs (escaped).
fn body_html(p: &Post) -> String {
    p.paragraphs.iter().map(|t| format!("<p>{}</p>", xml(t))).collect()
}

/// Writes `opts.entries` posts as one `format` archive at `path` (not
/// `Text`: that is [`write_corpus`]).
pub fn write_archive(
    model: &Model,
    opts: &Options,
    format: SynthFormat,
    path: &Path,
) -> Result<ArchiveSummary, SynthError> {
    if opts.entries == 0 {
        return Err(SynthError::Options("--entries must be at least 1".into()));
    }
    if format == SynthFormat::Text {
        return Err(SynthError::Options("text captures are a directory: use write_corpus".into()));
    }
    let file = File::create(path).map_err(io_err(path))?;
    let mut w = Counting { inner: BufWriter::with_capacity(1 << 20, file), bytes: 0 };
    let gen = Generator::new(model, opts.entries, opts.seed).starting_at(opts.start);
    write_posts(&mut w, gen, format).map_err(io_err(path))?;
    w.flush().map_err(io_err(path))?;
    Ok(ArchiveSummary { posts: opts.entries, bytes: w.bytes })
}

fn write_posts(
    w: &mut impl Write,
    posts: impl Iterator<Item = Post>,
    format: SynthFormat,
) -> io::Result<()> {
    // A CSV writer over `w` for one record (it flushes when dropped).
    let csv_row = |w: &mut dyn Write, cells: [&str; 6]| {
        ::csv::WriterBuilder::new().buffer_capacity(4096).from_writer(w).write_record(cells)
    };
    match format {
        SynthFormat::Json => w.write_all(b"[\n")?,
        SynthFormat::Csv => csv_row(w, ["title", "body", "published", "authors", "url", "id"])?,
        SynthFormat::Rss => w.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
              xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
              xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n\
              <title>Synthetic live blog</title>\n<link>https://live.example.org/synthetic</link>\n\
              <description>Synthetic posts for measuring ingest.</description>\n",
        )?,
        SynthFormat::Atom => w.write_all(
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
              <title>Synthetic live blog</title>\n<id>urn:example:synthetic</id>\n\
              <updated>2022-02-24T05:00:00-05:00</updated>\n",
        )?,
        SynthFormat::Html => w.write_all(
            b"<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
              <title>Synthetic live blog</title></head>\n<body>\n<header><nav><a href=\"/\">Home</a></nav></header>\n\
              <main>\n",
        )?,
        SynthFormat::Jsonl | SynthFormat::Text => {}
    }
    for (i, p) in posts.enumerate() {
        let (rfc3339, rfc2822) = times(&p);
        let url = permalink(&p);
        let body = p.paragraphs.join("\n\n");
        match format {
            SynthFormat::Jsonl | SynthFormat::Json => {
                let o = serde_json::json!({
                    "id": format!("post-{}", p.index),
                    "title": p.headline,
                    "body": body,
                    "published": rfc3339,
                    "authors": p.authors,
                    "url": url,
                });
                if format == SynthFormat::Json && i > 0 {
                    w.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *w, &o)?;
                if format == SynthFormat::Jsonl {
                    w.write_all(b"\n")?;
                }
            }
            SynthFormat::Csv => {
                let id = format!("post-{}", p.index);
                let authors = p.authors.join("; ");
                csv_row(w, [&p.headline, &body, &rfc3339, &authors, &url, &id])?;
            }
            SynthFormat::Rss => {
                write!(
                    w,
                    "<item>\n<title>{}</title>\n<link>{url}</link>\n<guid>{url}</guid>\n<pubDate>{rfc2822}</pubDate>\n",
                    xml(&p.headline)
                )?;
                for a in &p.authors {
                    writeln!(w, "<dc:creator>{}</dc:creator>", xml(a))?;
                }
                writeln!(w, "<content:encoded>{}</content:encoded>\n</item>", xml(&body_html(&p)))?;
            }
            SynthFormat::Atom => {
                write!(
                    w,
                    "<entry>\n<title>{}</title>\n<link rel=\"alternate\" href=\"{url}\"/>\n<id>{url}</id>\n\
                     <published>{rfc3339}</published>\n<updated>{rfc3339}</updated>\n",
                    xml(&p.headline)
                )?;
                for a in &p.authors {
                    writeln!(w, "<author><name>{}</name></author>", xml(a))?;
                }
                writeln!(w, "<content type=\"html\">{}</content>\n</entry>", xml(&body_html(&p)))?;
            }
            SynthFormat::Html => {
                write!(
                    w,
                    "<article class=\"post\" id=\"post-{}\">\n<h2>{}</h2>\n<time datetime=\"{rfc3339}\">{}</time>\n",
                    p.index,
                    xml(&p.headline),
                    xml(&p.stamp)
                )?;
                if let Some((last, rest)) = p.authors.split_last() {
                    let names = match rest {
                        [] => last.clone(),
                        _ => format!("{} and {last}", rest.join(", ")),
                    };
                    writeln!(w, "<p class=\"byline\">By {}</p>", xml(&names))?;
                }
                writeln!(
                    w,
                    "{}\n<a class=\"permalink\" href=\"{url}\">Link</a>\n</article>",
                    body_html(&p)
                )?;
            }
            SynthFormat::Text => {}
        }
    }
    match format {
        SynthFormat::Json => w.write_all(b"\n]\n"),
        SynthFormat::Rss => w.write_all(b"</channel>\n</rss>\n"),
        SynthFormat::Atom => w.write_all(b"</feed>\n"),
        SynthFormat::Html => {
            w.write_all(b"</main>\n<footer><p>Synthetic</p></footer>\n</body>\n</html>\n")
        }
        _ => Ok(()),
    }
}
