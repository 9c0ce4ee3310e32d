//! Posts: what each holds, once the layout (`text::layout`) has found where
//! it starts and ends and taken out its stamp (and a headline it placed).
//!
//! Inside a post, paragraphs are separated by blank lines; where a post has
//! no blank line at all, every line is a paragraph. A byline ends a post
//! (`-ABC News' Patrick Reevell`, `By Jane Roe`) or stands right below its
//! headline (`By Jane Roe`, `From CNN's Jane Roe and Sam Lee`).
//!
//! A post's first paragraph is its headline when the typesetting has blank
//! lines and that paragraph is one short line that does not end a sentence.
//! A group of consecutive lines that repeat each other, or end in a credit
//! line (`Aris Messinis/AFP via Getty Images`), is a photo caption.

use chrono::NaiveDateTime;
use unicode_segmentation::UnicodeSegmentation;

use crate::model::entry::Media;

/// A timestamp as printed: local date and time, and the zone's label if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub local: NaiveDateTime,
    pub label: Option<String>,
}

/// Parses a full timestamp line (date with year and clock, month-first):
/// `Mar 04, 2022, 7:46 AM EST`, `March 4, 2022 7:46 p.m. ET`, `4 Mar 2022 – 19:46`.
/// Any line the grammar of [`super::text::stamp`] reads with a year and a clock.
pub(crate) fn parse_timestamp(line: &str) -> Option<Stamp> {
    let r = super::text::stamp::read(line)?;
    let (y, m, d) = r.date?.ymd(false, None)?;
    let minute = r.minute? as u32;
    let local =
        chrono::NaiveDate::from_ymd_opt(y, m, d)?.and_hms_opt(minute / 60, minute % 60, 0)?;
    Some(Stamp { local, label: r.label })
}

/// Whether a line is a byline: a dash, then a few capitalised words.
pub(crate) fn is_byline(line: &str) -> bool {
    let t = line.trim();
    let Some(rest) = t.strip_prefix(['-', '\u{2013}', '\u{2014}']) else { return false };
    let rest = rest.trim_start();
    if rest.starts_with('-')
        || t.chars().count() > 120
        || rest.ends_with('.') && !rest.ends_with("Jr.")
    {
        return false;
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    let capitals =
        words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    (2..=16).contains(&words.len()) && capitals * 2 >= words.len() && capitals >= 2
}

/// The authors of a byline that opens with "By" or "From" (`By Jane Roe
/// and Sam Lee`, `From CNN's Jane Roe`), if the line is one.
pub(crate) fn by_line_authors(line: &str, orgs: &[String]) -> Option<Vec<String>> {
    let t = line.trim();
    let rest = ["By ", "by ", "From ", "from "].iter().find_map(|p| t.strip_prefix(p))?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let capitals =
        words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    if !(1..=14).contains(&words.len())
        || capitals * 2 < words.len()
        || t.chars().count() > 120
        || ends_sentence(rest) && !rest.ends_with("Jr.")
    {
        return None;
    }
    let authors = byline_authors(rest, orgs);
    (!authors.is_empty()).then_some(authors)
}

/// The authors of a byline: the publisher (or a learned organisation) and
/// its possessive are dropped, and names are split on "and", "&" and commas.
pub(crate) fn byline_authors(line: &str, orgs: &[String]) -> Vec<String> {
    let t = line.trim().trim_start_matches(['-', '\u{2013}', '\u{2014}']).trim();
    let mut rest = t;
    for org in orgs {
        if let Some(r) = strip_prefix_ci(rest, org) {
            rest = r.trim_start_matches(|c: char| crate::text::is_apostrophe(c)).trim_start();
            rest = rest.strip_prefix("s ").unwrap_or(rest);
            break;
        }
    }
    if rest == t {
        // An organisation we do not know, written with a possessive: "CNN's Jane Doe".
        if let Some(i) = rest.find(|c: char| crate::text::is_apostrophe(c)) {
            if rest[..i].split_whitespace().count() <= 4 {
                let after = &rest[i..];
                let skip = after.chars().next().map_or(0, char::len_utf8);
                let after = after[skip..].strip_prefix('s').unwrap_or(&after[skip..]);
                if after.starts_with(' ') {
                    rest = after.trim_start();
                }
            }
        }
    }
    rest.split(" and ")
        .flat_map(|p| p.split([',', '&']))
        .map(|n| n.trim().trim_end_matches(['.', ';']).trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

/// The organisation of a byline written with a possessive (`ABC News' X` → `ABC News`).
pub(crate) fn byline_org(line: &str) -> Option<String> {
    let t = line.trim().trim_start_matches(['-', '\u{2013}', '\u{2014}']).trim();
    let i = t.find(|c: char| crate::text::is_apostrophe(c))?;
    let org = t[..i].trim();
    let n = org.split_whitespace().count();
    ((1..=4).contains(&n)).then(|| org.to_string())
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    let rest = &s[prefix.len()..];
    (head.eq_ignore_ascii_case(prefix) && !rest.starts_with(char::is_alphanumeric)).then_some(rest)
}

/// A parsed post (one occurrence in one capture).
#[derive(Debug, Clone, Default)]
pub(crate) struct Post {
    pub title: String,
    pub title_derived: bool,
    pub stamp: Option<(Stamp, u32)>,
    pub authors: Vec<String>,
    pub body: Vec<String>,
    pub media: Vec<Media>,
}

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end().trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')']);
    t.ends_with(['.', ':', ';', ','])
}

pub(crate) fn looks_like_headline(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=30).contains(&words) && s.chars().count() <= 200 && !ends_sentence(s) && !is_byline(s)
}

/// Whether a line reads as a photo credit: short, no sentence, names an agency or a person.
fn looks_like_credit(s: &str) -> bool {
    let t = s.trim();
    let words = t.split_whitespace().count();
    (1..=12).contains(&words)
        && t.chars().count() <= 90
        && !ends_sentence(t)
        && t.chars().next().is_some_and(|c| c.is_uppercase())
}

fn strip_photo(s: &str) -> &str {
    let t = s.trim();
    for p in ["PHOTO:", "Photo:", "VIDEO:", "IMAGE:"] {
        if let Some(r) = t.strip_prefix(p) {
            return r.trim_start();
        }
    }
    t
}

/// A caption group: several lines with no blank between them.
fn media_of(lines: &[&str]) -> Option<Media> {
    if lines.len() < 2 {
        return None;
    }
    let last = lines[lines.len() - 1];
    let repeats = lines
        .windows(2)
        .any(|w| crate::text::key(strip_photo(w[0])) == crate::text::key(strip_photo(w[1])));
    let photo = lines.iter().any(|l| strip_photo(l).len() != l.trim().len());
    let (captions, credit) =
        if looks_like_credit(last) && !repeats || photo && looks_like_credit(last) {
            (&lines[..lines.len() - 1], last.trim())
        } else if repeats || photo {
            (lines, "")
        } else {
            return None;
        };
    let caption = captions.iter().map(|l| strip_photo(l)).max_by_key(|l| l.chars().count())?;
    Some(Media { caption: caption.to_string(), credit: credit.to_string() })
}

/// A first sentence up to this long (characters) is the whole title.
const TITLE_WHOLE: usize = 160;
/// Longest cut title, characters (before its `…`).
const TITLE_MAX: usize = 150;
/// A clause boundary at least this far in (characters) ends a cut title
/// rather than the last word that fits.
const TITLE_CLAUSE_MIN: usize = 60;
/// Words a cut title does not end on (it would read as cut mid-phrase).
const WEAK_ENDS: [&str; 22] = [
    "a", "an", "the", "of", "to", "and", "or", "but", "in", "on", "at", "for", "with", "by",
    "from", "as", "that", "which", "who", "its", "their", "his",
];

/// The first sentence of a paragraph, as a title. Longer than
/// [`TITLE_WHOLE`] characters, it is cut with `…` at the last clause
/// boundary (`,` `;` `:` or a dash) that fits in [`TITLE_MAX`], when there
/// is one far enough in, else after the last word that fits — not after a
/// word such as "the" or "of".
pub(crate) fn derive_title(paragraph: &str) -> String {
    let first = paragraph.unicode_sentences().next().unwrap_or(paragraph).trim();
    if first.chars().count() <= TITLE_WHOLE {
        return first.to_string();
    }
    let mut words: Vec<&str> = Vec::new();
    let mut len = 0;
    // The length of the title through each word kept, and whether a clause ends there.
    let mut clause_ends: Vec<usize> = Vec::new();
    let all: Vec<&str> = first.split_whitespace().collect();
    for (i, w) in all.iter().enumerate() {
        let add = w.chars().count() + usize::from(!words.is_empty());
        if len + add > TITLE_MAX {
            break;
        }
        len += add;
        words.push(w);
        let dash_next = all.get(i + 1).is_some_and(|n| matches!(*n, "—" | "–" | "-" | "--"));
        if w.ends_with([',', ';', ':', '—', '–']) || dash_next {
            clause_ends.push(words.len());
        }
    }
    if words.is_empty() {
        // One enormous word (a link): cut it.
        return first.chars().take(TITLE_MAX).chain(['…']).collect();
    }
    let at_clause = clause_ends.iter().rev().copied().find(|&n| {
        words[..n].iter().map(|w| w.chars().count() + 1).sum::<usize>() > TITLE_CLAUSE_MIN
    });
    match at_clause {
        Some(n) => words.truncate(n),
        None => {
            while words.len() > 1
                && words.last().is_some_and(|w| WEAK_ENDS.contains(&w.to_lowercase().as_str()))
            {
                words.pop();
            }
        }
    }
    let mut out = words.join(" ");
    let kept = out.trim_end_matches([',', ';', ':', '—', '–', '-', ' ']).len();
    out.truncate(kept);
    out.push('…');
    out
}

/// Parses one post from its lines (`first_line` is the 1-based number of
/// `lines[0]`), reading a full timestamp on its first line.
#[cfg(test)]
pub(crate) fn parse<L: AsRef<str>>(lines: &[L], first_line: u32, orgs: &[String]) -> Option<Post> {
    let first = lines.iter().position(|l| !l.as_ref().trim().is_empty())?;
    let stamp = parse_timestamp(lines[first].as_ref());
    let skip = if stamp.is_some() { first + 1 } else { 0 };
    let mut p = parse_with(&lines[skip..], orgs, None)?;
    p.stamp = stamp.map(|s| (s, first_line + first as u32));
    Some(p)
}

/// Parses one post from its text lines (its stamp, and a headline the
/// layout placed, already taken out). Returns `None` when nothing in it
/// reads as a post.
pub(crate) fn parse_with<L: AsRef<str>>(
    lines: &[L],
    orgs: &[String],
    title: Option<String>,
) -> Option<Post> {
    let mut post = Post::default();
    let mut rest: Vec<&str> = lines.iter().map(|l| l.as_ref()).collect();
    while rest.last().is_some_and(|l| l.trim().is_empty()) {
        rest.pop();
    }
    let start = rest.iter().position(|l| !l.trim().is_empty());
    rest.drain(..start.unwrap_or(rest.len()));
    if rest.is_empty() && title.is_none() {
        return None;
    }
    if let Some(last) = rest.last() {
        if is_byline(last) {
            post.authors = byline_authors(last, orgs);
            rest.pop();
        } else if let Some(a) = by_line_authors(last, orgs) {
            post.authors = a;
            rest.pop();
        }
    }
    // A "By" line right below the headline (or opening the post).
    if post.authors.is_empty() {
        let at = rest.iter().take(3).position(|l| by_line_authors(l, orgs).is_some());
        if let Some(i) = at {
            post.authors = by_line_authors(rest[i], orgs).unwrap_or_default();
            rest.remove(i);
        }
    }
    // Group into paragraphs.
    let has_blank = {
        let inner: Vec<_> = rest.iter().skip_while(|l| l.trim().is_empty()).collect();
        inner.iter().any(|l| l.trim().is_empty())
    };
    let mut groups: Vec<Vec<&str>> = Vec::new();
    if has_blank {
        let mut cur: Vec<&str> = Vec::new();
        for l in &rest {
            if l.trim().is_empty() {
                if !cur.is_empty() {
                    groups.push(std::mem::take(&mut cur));
                }
            } else {
                cur.push(l.trim());
            }
        }
        if !cur.is_empty() {
            groups.push(cur);
        }
    } else {
        groups = rest.iter().filter(|l| !l.trim().is_empty()).map(|l| vec![l.trim()]).collect();
    }
    if let Some(t) = title {
        post.title = t;
    } else if has_blank {
        if let Some(first) = groups.first() {
            if first.len() == 1 && looks_like_headline(first[0]) && groups.len() > 1 {
                post.title = first[0].to_string();
                groups.remove(0);
            }
        }
    }
    for g in groups {
        if has_blank {
            if let Some(m) = media_of(&g) {
                post.media.push(m);
                continue;
            }
        }
        post.body.push(g.join(" "));
    }
    if !post
        .body
        .iter()
        .chain(std::iter::once(&post.title))
        .any(|p| p.chars().any(char::is_alphabetic))
    {
        return None;
    }
    if post.title.is_empty() {
        // A lone headline-less group: the title is derived from the first sentence.
        let first = post.body.first().or(post.media.first().map(|m| &m.caption))?;
        post.title = derive_title(first);
        post.title_derived = true;
    }
    // Posts are kept until the whole corpus is read: no spare capacity.
    post.body.shrink_to_fit();
    post.media.shrink_to_fit();
    post.authors.shrink_to_fit();
    Some(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn timestamps() {
        let s = parse_timestamp("Mar 04, 2022, 7:46 AM EST").unwrap();
        assert_eq!(s.local.to_string(), "2022-03-04 07:46:00");
        assert_eq!(s.label.as_deref(), Some("EST"));
        let s = parse_timestamp("March 4, 2022 12:05 p.m. ET").unwrap();
        assert_eq!(s.local.to_string(), "2022-03-04 12:05:00");
        assert!(parse_timestamp("Mar 04, 2022").is_none());
        assert!(parse_timestamp("The attack began Feb. 24, 2022, 5 AM").is_none());
        assert!(parse_timestamp("Mar 34, 2022, 7:46 AM EST").is_none());
    }

    #[test]
    fn bylines() {
        for b in [
            "-ABC News' Patrick Reevell",
            "- ABC News' Conor Finnegan",
            "-ABC News Sarah Kolinovsky and Kelly McCarthy",
            "-ABC News’ Molly Nagle and Luis Martinez",
        ] {
            assert!(is_byline(b), "{b}");
        }
        for b in ["-- that they are possibly regrouping", "- and so on.", "Maxar Technologies", "-"]
        {
            assert!(!is_byline(b), "{b}");
        }
        let orgs = vec!["ABC News".to_string()];
        assert_eq!(byline_authors("-ABC News' Patrick Reevell", &orgs), ["Patrick Reevell"]);
        assert_eq!(
            byline_authors("-ABC News Sarah Kolinovsky and Kelly McCarthy", &orgs),
            ["Sarah Kolinovsky", "Kelly McCarthy"]
        );
        assert_eq!(
            byline_authors("-ABC News’ Molly Nagle and Luis Martinez", &orgs),
            ["Molly Nagle", "Luis Martinez"]
        );
        assert_eq!(
            byline_authors("- CNN's Jane Doe, Joe Bloggs & Ann Lee", &[]),
            ["Jane Doe", "Joe Bloggs", "Ann Lee"]
        );
        assert_eq!(byline_org("-ABC News’ Molly Nagle").as_deref(), Some("ABC News"));
    }

    #[test]
    fn headline_paragraphs_captions_and_byline() {
        let p = parse(
            &owned(&[
                "Mar 04, 2022, 7:46 AM EST",
                "",
                "Russia has prepared puppet government for Kyiv: US official",
                "",
                "Russia has selected a puppet government.",
                "",
                "People remove belongings from a house in Irpin, March 4, 2022.",
                "Aris Messinis/AFP via Getty Images",
                "",
                "PHOTO: Blinken speaks in Brussels.",
                "Blinken speaks in Brussels at a news conference before a NATO meeting.",
                "Olivier Douliery/Pool/AFP via Getty Images",
                "",
                "-ABC News' Martha Raddatz",
                "",
            ]),
            21,
            &["ABC News".into()],
        )
        .unwrap();
        assert_eq!(p.stamp.as_ref().map(|s| s.1), Some(21));
        assert_eq!(p.title, "Russia has prepared puppet government for Kyiv: US official");
        assert!(!p.title_derived);
        assert_eq!(p.body, ["Russia has selected a puppet government."]);
        assert_eq!(p.media.len(), 2);
        assert_eq!(p.media[0].credit, "Aris Messinis/AFP via Getty Images");
        assert_eq!(
            p.media[1].caption,
            "Blinken speaks in Brussels at a news conference before a NATO meeting."
        );
        assert_eq!(p.authors, ["Martha Raddatz"]);
    }

    #[test]
    fn repeated_caption_without_credit() {
        let line = "Harris joined \"Good Morning America\" after the State of the Union address.";
        let p = parse(
            &owned(&["Headline here", "", "Body.", "", line, line, "", "More body."]),
            1,
            &[],
        )
        .unwrap();
        assert_eq!(p.media, [Media { caption: line.into(), credit: String::new() }]);
        assert_eq!(p.body, ["Body.", "More body."]);
    }

    #[test]
    fn no_blank_lines_means_no_headline() {
        let p = parse(
            &owned(&[
                "President Biden on Tuesday expressed skepticism regarding Russia’s claim. More text.",
                "“I don’t read anything into it,” Biden said.",
                "-ABC News’ Justin Gomez",
            ]),
            27,
            &["ABC News".into()],
        )
        .unwrap();
        assert!(p.title_derived);
        assert_eq!(
            p.title,
            "President Biden on Tuesday expressed skepticism regarding Russia’s claim."
        );
        assert_eq!(p.body.len(), 2);
        assert_eq!(p.authors, ["Justin Gomez"]);
    }

    #[test]
    fn nothing_readable_is_no_post() {
        assert!(parse(&owned(&["0", ""]), 1, &[]).is_none());
        assert!(parse(&owned(&["", " "]), 1, &[]).is_none());
    }

    #[test]
    fn long_first_sentences_are_cut_at_a_word() {
        let t = derive_title(&"word ".repeat(60));
        assert!(t.ends_with('…') && t.chars().count() <= 152, "{t}");
    }

    #[test]
    fn long_first_sentences_end_at_a_clause_or_a_strong_word() {
        let clause = "The regional council said on Thursday evening that the river crossing, \
            which had been closed for repairs since the spring floods, would open again to \
            buses and trucks within the week after the inspectors finish their work.";
        assert_eq!(
            derive_title(clause),
            "The regional council said on Thursday evening that the river crossing, which had \
             been closed for repairs since the spring floods…"
        );
        // No clause far enough in: the last word that fits, but not "the".
        let words = "Officials from four neighbouring towns met again this morning to agree \
            how the water supply would be shared between farms and homes over the rest of the \
            summer season and the next.";
        let t = derive_title(words);
        assert!(t.ends_with('…') && t.chars().count() <= TITLE_MAX + 1, "{t}");
        assert!(!t.ends_with(" the…") && !t.ends_with(" of…"), "{t}");
        assert!(words.starts_with(t.trim_end_matches('…')), "{t}");
        // A single enormous word is cut.
        let long = "x".repeat(400);
        assert_eq!(derive_title(&long).chars().count(), TITLE_MAX + 1);
    }
}
