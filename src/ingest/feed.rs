//! RSS 2.0, RSS 1.0 and Atom feeds, streamed with `quick-xml`: each
//! `<item>` or `<entry>` is a record, with `title`, `link` (Atom:
//! `<link rel="alternate" href>`), `guid`/`id`, `pubDate`/`published`/
//! `dc:date` (or `updated` when nothing else), `author`/`dc:creator`
//! (Atom: `<author><name>`), and `content:encoded`/`content` (else
//! `description`/`summary`) as HTML, escaped HTML or XHTML.
//!
//! XML that is not well-formed ends the reading where it breaks, reported
//! with its line and item; the items before it are kept.

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};

use super::html;
use super::read::Counting;
use super::record::{self, Record};
use super::source::{Problem, Reading};

/// The fields of the item being read.
#[derive(Default)]
struct Item {
    first_line: u32,
    title: Option<String>,
    link: Option<String>,
    id: Option<String>,
    dates: Vec<(String, String)>,
    authors: Vec<String>,
    /// `content:encoded` or Atom `content`.
    content: Option<String>,
    /// `description` or `summary`.
    summary: Option<String>,
}

/// Which item field text goes to, by the child element's name.
fn slot(name: &str) -> Option<&'static str> {
    Some(match name {
        "title" => "title",
        "link" => "link",
        "guid" | "id" => "id",
        "pubDate" | "published" | "dc:date" | "updated" | "atom:updated" | "issued"
        | "modified" => "date",
        "author" | "dc:creator" | "creator" => "author",
        "content:encoded" | "content" => "content",
        "description" | "summary" => "summary",
        _ => return None,
    })
}

/// Reads a feed from `input`.
pub(crate) fn read(input: impl BufRead, r: &mut Reading) -> std::io::Result<()> {
    let counted = Counting::new(input);
    let lines = counted.counter();
    let mut xml = quick_xml::Reader::from_reader(counted);
    let mut buf = Vec::new();
    // Inside an item: the path below it, and the text being collected.
    let mut item: Option<Item> = None;
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut n = 0;
    loop {
        buf.clear();
        let line = lines.get() + 1;
        let event = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(quick_xml::Error::Io(e)) => return Err(std::io::Error::other(e.to_string())),
            Err(e) => {
                let at = item.as_ref().map(|_| Some(n + 1)).unwrap_or(None);
                let message = format!("not well-formed XML: {e}; the rest of the feed is not read");
                r.problem(Problem::rejected(lines.get() + 1, at, message));
                return Ok(());
            }
        };
        match event {
            Event::Start(e) => {
                let name = qname(&e);
                if item.is_none() {
                    if name == "item" || name == "entry" {
                        item = Some(Item { first_line: line, ..Item::default() });
                        path.clear();
                    }
                    continue;
                }
                if path.is_empty() {
                    text.clear();
                    if name == "link" {
                        link(&e, item.as_mut().expect("inside an item"));
                    }
                } else if path[0] == "content" || path[0] == "summary" {
                    // XHTML content: keep the markup for the HTML reader.
                    text.push('<');
                    text.push_str(&name);
                    text.push('>');
                }
                path.push(name);
            }
            Event::Empty(e) => {
                if let (Some(it), true) = (item.as_mut(), path.is_empty()) {
                    if qname(&e) == "link" {
                        link(&e, it);
                    }
                } else if item.is_some() && path.len() > 1 {
                    text.push_str(&format!("<{}/>", qname(&e)));
                }
            }
            Event::Text(t) if item.is_some() && !path.is_empty() => match t.unescape() {
                Ok(s) => {
                    if path.len() > 1 && matches!(path[0].as_str(), "content" | "summary") {
                        text.push_str(&quick_xml::escape::escape(s.as_ref()));
                    } else {
                        text.push_str(&s);
                    }
                }
                // An HTML entity XML does not know: the HTML reader decodes it.
                Err(_) => text.push_str(&String::from_utf8_lossy(&t)),
            },
            Event::CData(c) if item.is_some() && !path.is_empty() => {
                text.push_str(&String::from_utf8_lossy(&c));
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if item.is_some() && path.is_empty() {
                    // The item's own end.
                    n += 1;
                    let it = item.take().expect("inside an item");
                    let rec = finish(it, lines.get() + 1, n, r);
                    r.record(rec);
                    continue;
                }
                let Some(it) = item.as_mut() else { continue };
                if path.len() == 1 {
                    store(it, &path[0], std::mem::take(&mut text));
                } else if path[0] == "author" {
                    // Atom: <name> is the author; <email> and <uri> are not.
                    let t = std::mem::take(&mut text);
                    if name == "name" {
                        it.authors.push(record::plain(&t));
                    }
                } else if matches!(path[0].as_str(), "content" | "summary") {
                    text.push_str(&format!("</{name}>"));
                }
                path.pop();
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn qname(e: &BytesStart) -> String {
    String::from_utf8_lossy(e.name().as_ref()).into_owned()
}

/// An Atom `<link>`: the alternate (or unqualified) one is the post's address.
fn link(e: &BytesStart, it: &mut Item) {
    let attr = |k: &[u8]| {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == k)
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
    };
    if let Some(href) = attr(b"href") {
        if matches!(attr(b"rel").as_deref(), None | Some("alternate")) && it.link.is_none() {
            it.link = Some(href);
        }
    }
}

/// Stores the text of a direct child of the item.
fn store(it: &mut Item, name: &str, text: String) {
    let text = text.trim().to_string();
    if text.is_empty() {
        return;
    }
    match slot(name) {
        Some("title") => it.title = Some(record::plain(&text)),
        Some("link") => it.link = it.link.take().or(Some(text)),
        Some("id") => it.id = Some(text),
        Some("date") => it.dates.push((name.to_string(), text)),
        Some("author") => it.authors.extend(record::split_authors(&text, None)),
        Some("content") => it.content = Some(text),
        Some("summary") => it.summary = Some(text),
        _ => {}
    }
}

/// The record of a finished item. Dates prefer `pubDate`, `published`,
/// `dc:date`, then `updated`.
fn finish(it: Item, last_line: u32, n: u32, r: &mut Reading) -> Record {
    let body = it.content.or(it.summary).unwrap_or_default();
    let (paras, media) = html::fragment(&body);
    let mut rec = Record {
        title: it.title,
        body: paras,
        media,
        authors: it.authors,
        url: it.link.or_else(|| it.id.clone().filter(|id| id.starts_with("http"))),
        id: it.id,
        lines: [it.first_line, last_line.max(it.first_line)],
        item: n,
        ..Record::default()
    };
    let rank = |name: &str| {
        ["pubDate", "published", "dc:date", "issued"].iter().position(|p| *p == name).unwrap_or(9)
    };
    let mut dates = it.dates;
    dates.sort_by_key(|(name, _)| rank(name));
    if let Some((name, value)) = dates.first() {
        match record::parse_when(value) {
            Some(w) => rec.published = Some((w, format!("<{name}>"))),
            None => r.problem(Problem::warning(
                rec.lines[0],
                Some(n),
                format!(
                    "<{name}> {value:?} is not a date (RFC 2822 or RFC 3339); the item is undated"
                ),
            )),
        }
    }
    rec
}
