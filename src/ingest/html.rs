//! HTML, read with an HTML5 parser (`scraper`, on html5ever): a fragment
//! becomes paragraphs of plain text and captions; a page becomes records.
//!
//! A page's posts come from its schema.org JSON-LD first
//! (`LiveBlogPosting.liveBlogUpdate`, `BlogPosting`, `NewsArticle`,
//! `Article`); without any, from its innermost `<article>` elements: the
//! first heading, `<time datetime>`, the byline (an element whose class,
//! `rel` or `itemprop` says author or byline) and the paragraphs. Navigation,
//! headers, footers, asides, scripts, styles, forms and share widgets are
//! dropped; entities are decoded by the parser.

use ego_tree::NodeRef;
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::record::{self, FieldMap, Record};
use crate::model::entry::Media;

/// Elements whose content is never text of a post.
const DROPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "form", "button", "noscript", "svg",
    "iframe", "template", "select", "textarea", "input", "object", "canvas", "video", "audio",
];

/// Class or id words of share widgets and other page furniture.
const FURNITURE_WORDS: &[&str] =
    &["share", "sharing", "social", "newsletter", "related", "advert", "ad", "promo", "comments"];

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "main",
    "table",
    "tr",
    "td",
    "th",
    "pre",
    "figure",
    "dl",
    "dt",
    "dd",
    "hr",
    "br",
    "body",
    "address",
    "details",
    "summary",
];

fn is_furniture(e: &scraper::node::Element) -> bool {
    let name = e.name();
    if DROPPED.contains(&name) {
        return true;
    }
    let words = e.classes().chain(e.id());
    words
        .flat_map(|w| w.split(['-', '_']))
        .any(|w| FURNITURE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
}

/// Collects paragraphs and captions while walking a tree.
#[derive(Default)]
struct Text {
    paras: Vec<String>,
    media: Vec<Media>,
    cur: String,
    /// Whitespace came after the last word.
    space: bool,
}

impl Text {
    fn push(&mut self, s: &str) {
        if s.starts_with(char::is_whitespace) {
            self.space = true;
        }
        for w in s.split_whitespace() {
            if self.space && !self.cur.is_empty() {
                self.cur.push(' ');
            }
            self.cur.push_str(w);
            self.space = true;
        }
        // Inline elements join words unless whitespace separates them.
        self.space = s.ends_with(char::is_whitespace) || (s.trim().is_empty() && self.space);
    }

    fn flush(&mut self) {
        let t = self.cur.trim();
        if !t.is_empty() {
            self.paras.push(t.to_string());
        }
        self.cur.clear();
        self.space = false;
    }
}

/// Walks `root`'s subtree (without recursion: any nesting depth is safe),
/// skipping furniture and the nodes `skip` names.
fn walk(root: NodeRef<Node>, skip: &dyn Fn(NodeRef<Node>) -> bool, out: &mut Text) {
    let mut stack = vec![(root, false)];
    while let Some((node, closing)) = stack.pop() {
        let el = node.value().as_element();
        if closing {
            if el.is_some_and(|e| BLOCKS.contains(&e.name())) {
                out.flush();
            }
            continue;
        }
        match node.value() {
            Node::Text(t) => out.push(t),
            Node::Element(e) => {
                if node != root && (is_furniture(e) || skip(node)) {
                    continue;
                }
                if e.name() == "figcaption" && node != root {
                    out.flush();
                    out.media.push(caption(node));
                    continue;
                }
                if BLOCKS.contains(&e.name()) {
                    out.flush();
                }
                stack.push((node, true));
                stack.extend(node.children().rev().map(|c| (c, false)));
            }
            Node::Document | Node::Fragment => {
                stack.extend(node.children().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    out.flush();
}

/// A caption and its credit (a child whose class says credit or copyright).
fn caption(node: NodeRef<Node>) -> Media {
    let is_credit = |n: NodeRef<Node>| {
        n.value()
            .as_element()
            .is_some_and(|e| e.classes().any(|c| c.contains("credit") || c.contains("copyright")))
    };
    let mut credit = Text::default();
    for n in node.descendants().filter(|n| is_credit(*n)) {
        walk(n, &|_| false, &mut credit);
    }
    let mut text = Text::default();
    walk(node, &|n| is_credit(n), &mut text);
    Media { caption: text.paras.join(" "), credit: credit.paras.join(" ") }
}

/// An HTML (or plain-text) fragment as paragraphs and captions. Plain text
/// is split at blank lines.
pub(crate) fn fragment(s: &str) -> (Vec<String>, Vec<Media>) {
    if !s.contains(['<', '&']) {
        let mut paras = Vec::new();
        let mut t = Text::default();
        for line in s.lines() {
            if line.trim().is_empty() {
                t.flush();
            } else {
                t.space = true;
                t.push(line);
            }
        }
        t.flush();
        paras.append(&mut t.paras);
        return (paras, Vec::new());
    }
    let doc = Html::parse_fragment(s);
    let mut t = Text::default();
    walk(doc.tree.root(), &|_| false, &mut t);
    (t.paras, t.media)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a constant selector parses")
}

/// The posts of an HTML page; `Err` says why there are none.
pub(crate) fn page(text: &str, fields: &FieldMap) -> Result<(Vec<Record>, Vec<String>), String> {
    let doc = Html::parse_document(text);
    let mut problems = Vec::new();
    let mut records = Vec::new();
    for (n, script) in doc.select(&sel("script[type=\"application/ld+json\"]")).enumerate() {
        let json: String = script.text().collect();
        match serde_json::from_str::<Value>(&json) {
            Ok(v) => json_ld(&v, fields, &mut records, &mut problems, 0),
            Err(e) => problems.push(format!("JSON-LD block {} is not valid JSON: {e}", n + 1)),
        }
    }
    if records.is_empty() {
        records = articles(&doc);
    }
    if records.is_empty() {
        return Err(
            "no schema.org posting (JSON-LD) and no <article> element: nothing to read as a post"
                .into(),
        );
    }
    for (i, r) in records.iter_mut().enumerate() {
        r.item = i as u32 + 1;
    }
    Ok((records, problems))
}

fn types(v: &Value) -> Vec<&str> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The postings in a JSON-LD value: live-blog updates, blog postings, news
/// articles (in `@graph`s and lists too).
fn json_ld(
    v: &Value,
    fields: &FieldMap,
    out: &mut Vec<Record>,
    problems: &mut Vec<String>,
    depth: u32,
) {
    if depth > 16 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| json_ld(x, fields, out, problems, depth + 1)),
        Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                json_ld(g, fields, out, problems, depth + 1);
            }
            let t = types(v);
            if t.contains(&"LiveBlogPosting") {
                if let Some(u) = o.get("liveBlogUpdate") {
                    let before = out.len();
                    json_ld(u, fields, out, problems, depth + 1);
                    if out.len() > before {
                        return;
                    }
                }
            }
            let posting = [
                "LiveBlogPosting",
                "BlogPosting",
                "NewsArticle",
                "Article",
                "ReportageNewsArticle",
                "SocialMediaPosting",
            ];
            if t.iter().any(|t| posting.contains(t)) {
                let (r, complaint) = record::from_object(o, fields, None);
                problems.extend(complaint);
                if !r.is_empty() {
                    out.push(r);
                }
            }
        }
        _ => {}
    }
}

/// Posts from the innermost `<article>` elements.
fn articles(doc: &Html) -> Vec<Record> {
    let article = sel("article");
    let heading = sel("h1, h2, h3, h4, h5, h6");
    let time = sel("time");
    let byline = sel("[rel~=author], [itemprop~=author], [class*=byline], [class*=author]");
    let permalink = sel("a[href][rel~=bookmark], a[href].permalink");
    let mut out = Vec::new();
    for a in doc.select(&article) {
        if a.select(&article).next().is_some() {
            continue; // holds other articles: they are the posts
        }
        let h = a.select(&heading).next();
        let t = a.select(&time).next();
        let b = a.select(&byline).next();
        let link = a.select(&permalink).next();
        let skip_ids: Vec<_> = [h, t, b, link].into_iter().flatten().map(|e| e.id()).collect();
        let mut text = Text::default();
        walk(*a, &|n| skip_ids.contains(&n.id()), &mut text);
        let mut r = Record {
            title: h.map(|h| inline(&h)).filter(|t| !t.is_empty()),
            body: text.paras,
            media: text.media,
            authors: b.map(|b| record::split_authors(&inline(&b), None)).unwrap_or_default(),
            ..Record::default()
        };
        if let Some(t) = t {
            let stamp =
                t.value().attr("datetime").map(str::to_string).unwrap_or_else(|| inline(&t));
            r.published = record::parse_when(&stamp).map(|w| (w, "<time datetime>".to_string()));
        }
        r.url = link.and_then(|l| l.value().attr("href")).map(str::to_string);
        if !r.is_empty() {
            out.push(r);
        }
    }
    out
}

/// An element's text on one line.
fn inline(e: &ElementRef) -> String {
    let mut t = Text::default();
    walk(**e, &|_| false, &mut t);
    t.paras.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_become_paragraphs_and_captions() {
        let (p, m) = fragment(
            "<p>Rain &amp; wind <b>hit</b> the coast.</p><script>x()</script>\
             <div class=\"share-tools\">Share this</div><p>Second&nbsp;one</p>\
             <figure><img src=a.jpg><figcaption>Boats in the harbour \
             <span class=\"credit\">Ilse Marr</span></figcaption></figure>",
        );
        assert_eq!(p, ["Rain & wind hit the coast.", "Second one"]);
        assert_eq!(
            m,
            [Media { caption: "Boats in the harbour".into(), credit: "Ilse Marr".into() }]
        );
        assert_eq!(fragment("One line\nstill one.\n\nTwo.").0, ["One line still one.", "Two."]);
    }

    #[test]
    fn deep_nesting_is_no_problem() {
        // html5ever's work grows faster than linearly with the depth of
        // open elements: a few thousand is enough to show the walk is flat.
        let s = "<div>".repeat(3_000) + "deep";
        assert_eq!(fragment(&s).0, ["deep"]);
    }
}
