//! Page furniture, learned rather than listed.
//!
//! Every capture of a live blog repeats the page around its posts: title,
//! lede, promos above the first post; "Related Topics" and the like below the
//! last. Posts move between captures, furniture stays at the edges. So a
//! line is furniture when its text (or its first sentences: a lede that grew)
//! also stands at the same edge of *another* capture, where an edge is the
//! part before the first post signal (timestamp or byline), or after the last.
//!
//! The header runs from the top to the last furniture line of the leading
//! edge (unmatched lines between, such as "LIVE UPDATES" above a repeated
//! lede, go with it); the trailer runs up from the bottom while lines match.
//! A corpus of one capture has no other capture to learn from, so nothing is
//! learned here; the layout reader (`text::layout`) then drops that capture's
//! edges before its first stamped post and after its last.

use std::collections::HashMap;

use super::post::{is_byline, parse_timestamp};
use crate::text;

/// Shortest lede sentence (in words) that may match the start of a longer line.
const MIN_PREFIX_WORDS: usize = 5;

/// Where furniture ends and starts in one capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edges {
    /// Lines `0..header` are furniture.
    pub header: usize,
    /// Lines `trailer..len` are furniture.
    pub trailer: usize,
}

/// What furniture learning needs of a capture: its edges, and a little more
/// that is cheapest to collect in the same pass.
#[derive(Debug, Clone, Default)]
pub(crate) struct EdgeLines {
    /// Lines before the first post signal.
    pub lead: Vec<String>,
    /// Index of the first line after the last post signal.
    pub tail_start: usize,
    /// Lines after the last post signal.
    pub tail: Vec<String>,
    /// Number of lines.
    pub len: usize,
    /// Organisations named in bylines with a possessive (`ABC News' …`),
    /// with the number of bylines that name each.
    pub orgs: HashMap<String, usize>,
    /// The zone label of the first printed timestamp.
    pub zone_label: Option<String>,
}

impl EdgeLines {
    /// Collects the edges of one capture.
    pub fn of<L: AsRef<str>>(lines: &[L]) -> EdgeLines {
        let mut first = None;
        let mut last = None;
        let mut orgs: HashMap<String, usize> = HashMap::new();
        let mut zone_label = None;
        for (i, l) in lines.iter().enumerate() {
            let l = l.as_ref();
            let stamp = parse_timestamp(l);
            let byline = stamp.is_none() && is_byline(l);
            if let Some(s) = stamp {
                if zone_label.is_none() {
                    zone_label = s.label;
                }
            } else if byline {
                if let Some(org) = super::post::byline_org(l) {
                    *orgs.entry(org).or_default() += 1;
                }
            } else {
                continue;
            }
            first.get_or_insert(i);
            last = Some(i);
        }
        if zone_label.is_none() {
            zone_label = lines.iter().find_map(|l| zone_note(l.as_ref()));
        }
        let lead_end = first.unwrap_or(lines.len());
        let tail_start = last.map_or(lines.len(), |i| i + 1);
        EdgeLines {
            lead: lines[..lead_end].iter().map(|l| l.as_ref().to_string()).collect(),
            tail_start,
            tail: lines[tail_start..].iter().map(|l| l.as_ref().to_string()).collect(),
            len: lines.len(),
            orgs,
            zone_label,
        }
    }
}

/// The zone a capture's times are in, from a clock's label (`7:46 AM EST`)
/// or a note (`All times ET`, `All times are GMT`).
fn zone_note(line: &str) -> Option<String> {
    if let Some(r) = super::text::stamp::read(line) {
        return r.minute.and(r.label);
    }
    let t = line.trim();
    if !t.to_ascii_lowercase().starts_with("all times") || t.len() > 60 {
        return None;
    }
    t.split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| super::text::stamp::is_zone(w))
        .map(str::to_string)
}

/// Counts, for each key, the captures in whose edge it stands.
fn edge_keys<'a>(edges: impl Iterator<Item = &'a [String]>) -> HashMap<String, Vec<usize>> {
    let mut map: HashMap<String, Vec<usize>> = HashMap::new();
    for (c, edge) in edges.enumerate() {
        for l in edge {
            let k = text::key(l);
            if k.is_empty() && l.trim().is_empty() {
                continue;
            }
            let v = map.entry(k).or_default();
            if v.last() != Some(&c) {
                v.push(c);
            }
        }
    }
    map
}

/// In how many captures other than `c` the key stands at the same edge.
fn elsewhere(map: &HashMap<String, Vec<usize>>, key: &str, c: usize) -> usize {
    map.get(key).map_or(0, |v| v.iter().filter(|&&o| o != c).count())
}

/// Whether a line reads as a sentence (it ends like one).
fn is_prose(line: &str) -> bool {
    let t = line.trim_end().trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')']);
    t.ends_with(['.', '!', '?'])
}

/// Whether `line` of capture `c` stands at the same edge of another capture,
/// whole, or as its first sentences (a lede that was extended). A sentence
/// can end two posts by chance ("Biden said."), so where there are three
/// captures or more, prose must stand at the edge of two others.
fn is_furniture(map: &HashMap<String, Vec<usize>>, line: &str, c: usize, captures: usize) -> bool {
    let needed = if is_prose(line) { 2.min(captures.saturating_sub(1)).max(1) } else { 1 };
    let k = text::key(line);
    if elsewhere(map, &k, c) >= needed {
        return true;
    }
    let mut ends: Vec<usize> = k.match_indices(' ').map(|(i, _)| i).collect();
    ends.truncate(80);
    ends.iter().skip(MIN_PREFIX_WORDS - 1).any(|&i| elsewhere(map, &k[..i], c) >= needed)
}

/// Learns the furniture of every capture from all of them.
pub(crate) fn learn(captures: &[EdgeLines]) -> Vec<Edges> {
    let heads = edge_keys(captures.iter().map(|e| &e.lead[..]));
    let tails = edge_keys(captures.iter().map(|e| &e.tail[..]));
    captures
        .iter()
        .enumerate()
        .map(|(c, e)| {
            let lead = &e.lead;
            let header = lead
                .iter()
                .rposition(|l| !l.trim().is_empty() && is_furniture(&heads, l, c, captures.len()))
                .map_or(0, |i| i + 1);
            let (tail_start, tail) = (e.tail_start, &e.tail);
            let mut trailer = e.len;
            for (i, l) in tail.iter().enumerate().rev() {
                if l.trim().is_empty() {
                    continue;
                }
                if !is_furniture(&tails, l, c, captures.len()) {
                    break;
                }
                trailer = tail_start + i;
            }
            // Blank lines next to furniture go with it.
            let mut header = header;
            while header < lead.len() && lead[header].trim().is_empty() {
                header += 1;
            }
            let trailer = trailer.max(header);
            Edges { header, trailer }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    #[test]
    fn shared_edges_are_furniture_and_shared_posts_are_not() {
        let a = cap("Live blog title\n\nThe lede says things about the war today.\n\nPromo\n\nPost A headline\n\nBody A.\n\n-ABC News' X Y\n\n\nShared post\n\nShared body.\n\n-ABC News' Z W");
        let b = cap("LIVE UPDATES\nThe lede says things about the war today. And more now.\n\nPost B headline\n\nBody B.\n\n-ABC News' X Y\n\n\nShared post\n\nShared body.\n\n-ABC News' Z W\nRelated Topics");
        let c = cap("Live blog title\n\nThe lede says things about the war today.\n\nPromo\n\nPost C\n\nBody C.\n\n-ABC News' Q R\nRelated Topics");
        let e = learn(&[EdgeLines::of(&a), EdgeLines::of(&b), EdgeLines::of(&c)]);
        assert_eq!(a[e[0].header], "Post A headline");
        assert_eq!(e[0].trailer, a.len());
        assert_eq!(b[e[1].header], "Post B headline");
        assert_eq!(b[e[1].trailer], "Related Topics");
        assert_eq!(c[e[2].header], "Post C");
        assert_eq!(c[e[2].trailer], "Related Topics");
    }

    /// Regression: at 1M synthetic posts, the last paragraph of one capture's
    /// last post ("Biden said.") also ended another capture, and was taken
    /// for furniture, so that copy lost a paragraph and missed its twin.
    #[test]
    fn a_sentence_at_the_edge_of_one_other_capture_is_not_furniture() {
        let a = cap("Title\n\nMar 04, 2022, 7:46 AM EST\n\nHeadline A\n\nBody A.\n\nBiden said.\nRelated Topics");
        let b = cap("Title\n\nMar 04, 2022, 7:45 AM EST\n\nHeadline B\n\nBody B.\n\nBiden said.\nRelated Topics");
        let c = cap("Title\n\nHeadline C\n\nBody C.\n\n-ABC News' Q R\nRelated Topics");
        let e = learn(&[EdgeLines::of(&a), EdgeLines::of(&b), EdgeLines::of(&c)]);
        assert_eq!(a[e[0].trailer], "Related Topics");
        assert_eq!(b[e[1].trailer], "Related Topics");
    }

    #[test]
    fn one_capture_has_no_furniture() {
        let a = cap("Title\n\nPost\n\nBody.\n\n-ABC News' X Y");
        assert_eq!(learn(&[EdgeLines::of(&a)]), [Edges { header: 0, trailer: a.len() }]);
    }
}
