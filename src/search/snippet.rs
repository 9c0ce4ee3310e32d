//! Result cards: the snippet (the best window of the body), the words to
//! highlight ([`Marker`]) and their offsets in UTF-16 code units.

use std::collections::HashSet;
use std::ops::Range;

use crate::index::{Index, IndexError};
use crate::model::date::Precision;
use crate::text;

use super::collect::Cand;
use super::{Hit, SearchError};

/// Snippet length, characters.
const SNIPPET_CHARS: usize = 200;
/// Context kept before the first match in a snippet, characters.
const SNIPPET_LEAD: usize = 40;

/// The words and prefixes to highlight.
#[derive(Default)]
pub(super) struct Marker {
    /// Whole terms (typo corrections, phrase words).
    pub(super) terms: HashSet<String>,
    /// Query words: any term they start.
    pub(super) prefixes: Vec<String>,
}

impl Marker {
    fn hit(&self, term: &str) -> bool {
        self.terms.contains(term) || self.prefixes.iter().any(|p| term.starts_with(p.as_str()))
    }
}

/// The hits of a page of candidates (every missing entry piece is wanted
/// before `NotLoaded` is returned).
pub(super) fn make_hits<D: AsRef<[u8]>>(
    ix: &Index<D>,
    page: Vec<Cand>,
    marker: &Marker,
) -> Result<Vec<Hit>, SearchError> {
    let mut pending = false;
    let mut hits = Vec::with_capacity(page.len());
    for c in page {
        match make_hit(ix, c, marker) {
            Ok(h) => hits.push(h),
            Err(SearchError::Index(IndexError::NotLoaded)) => pending = true,
            Err(e) => return Err(e),
        }
    }
    if pending {
        return Err(IndexError::NotLoaded.into());
    }
    Ok(hits)
}

fn make_hit<D: AsRef<[u8]>>(ix: &Index<D>, c: Cand, marker: &Marker) -> Result<Hit, SearchError> {
    // The card first: over a sharded index its piece carries the date.
    let card = ix
        .card(c.doc)?
        .ok_or(IndexError::Corrupt { section: "entries", what: "a matching entry is missing" })?;
    let published = ix.published(c.doc);
    let (snippet, highlights) = card_snippet(&card.title, &card.body, marker);
    let title_highlights = if marker.is_empty() {
        Vec::new()
    } else {
        utf16_ranges(&card.title, &find_marks(&card.title, marker))
    };
    Ok(Hit {
        id: c.doc,
        published: published.map(|p| p.to_rfc3339()),
        precision: published.map_or(Precision::Unknown, |p| p.precision()),
        title: card.title,
        authors: card.authors,
        score: c.score,
        snippet,
        highlights,
        title_highlights,
    })
}

/// The snippet of a card: from the body after its title when the body
/// starts with it (a title derived from the first sentence, or a headline
/// repeated as the opening line), so that the card does not say it twice;
/// nothing when the body is only the title.
fn card_snippet(title: &str, body: &str, marker: &Marker) -> (String, Vec<[u32; 2]>) {
    let Some(rest) = after_title(title, body) else { return snippet(body, marker) };
    let rest = rest.trim_start();
    if rest.is_empty() {
        return (String::new(), Vec::new());
    }
    let (mut text, mut marks) = snippet(rest, marker);
    // The title stopped mid-sentence: the snippet goes on from there.
    if title.ends_with('…') && !text.starts_with('…') {
        text.insert(0, '…');
        marks.iter_mut().for_each(|m| *m = [m[0] + 1, m[1] + 1]);
    }
    (text, marks)
}

/// The body after `title` (without its closing `…`), when the body starts
/// with it, whitespace aside.
fn after_title<'a>(title: &str, body: &'a str) -> Option<&'a str> {
    let title = title.trim_end_matches('…').trim_end();
    if title.is_empty() {
        return None;
    }
    let mut b = body.char_indices().filter(|(_, c)| !c.is_whitespace());
    let mut end = 0;
    for t in title.chars().filter(|c| !c.is_whitespace()) {
        let (i, c) = b.next()?;
        if c != t {
            return None;
        }
        end = i + c.len_utf8();
    }
    body.get(end..)
}

/// `[start, end)` UTF-16 offsets of byte ranges (ascending) of `text`.
fn utf16_ranges(text: &str, marks: &[(Range<usize>, String)]) -> Vec<[u32; 2]> {
    let mut out = Vec::with_capacity(marks.len());
    let (mut byte, mut u) = (0usize, 0u32);
    let mut to = |b: usize| {
        u += text.get(byte..b).map_or(0, |s| s.encode_utf16().count() as u32);
        byte = b.max(byte);
        u
    };
    for (r, _) in marks {
        let a = to(r.start);
        let b = to(r.end);
        out.push([a, b]);
    }
    out
}

impl Marker {
    fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.prefixes.is_empty()
    }
}

/// The words of `text` that the marker hits: byte ranges and terms, in order.
///
/// Words are those of [`text::words`]; to avoid segmenting a whole body for
/// a handful of hits, a text whose letters and digits are all ASCII is first
/// scanned for the marker's terms at word starts in its lowercase
/// letters-and-digits skeleton (every hit's term is a run of that
/// skeleton), and only the neighbourhood of each such spot is segmented.
fn find_marks(text: &str, marker: &Marker) -> Vec<(Range<usize>, String)> {
    let mut out: Vec<(Range<usize>, String)> = Vec::new();
    if marker.is_empty() {
        return out;
    }
    let slow = |out: &mut Vec<(Range<usize>, String)>| {
        out.extend(
            text::words(text).filter(|w| marker.hit(&w.term)).map(|w| (w.start..w.end, w.term)),
        );
    };
    if text.chars().any(|c| !c.is_ascii() && c.is_alphanumeric()) {
        slow(&mut out);
        return out;
    }
    let mut skel: Vec<u8> = Vec::with_capacity(text.len());
    let mut at: Vec<u32> = Vec::with_capacity(text.len());
    let mut starts: Vec<u32> = Vec::new();
    let mut prev_alnum = false;
    for (i, b) in text.bytes().enumerate() {
        if b.is_ascii_alphanumeric() {
            if !prev_alnum {
                starts.push(skel.len() as u32);
            }
            skel.push(b.to_ascii_lowercase());
            at.push(i as u32);
            prev_alnum = true;
        } else {
            prev_alnum = false;
        }
    }
    let mut spots: Vec<usize> = Vec::new();
    for &st in &starts {
        let rest = &skel[st as usize..];
        let hit = marker.prefixes.iter().any(|p| rest.starts_with(p.as_bytes()))
            || marker.terms.iter().any(|t| rest.starts_with(t.as_bytes()));
        if hit {
            spots.push(at[st as usize] as usize);
        }
    }
    for spot in spots {
        if out.last().is_some_and(|(r, _)| r.end > spot) {
            continue;
        }
        // Segment from the whitespace before the spot to the whitespace after.
        let lo = text[..spot]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let hi = text[spot..].find(char::is_whitespace).map_or(text.len(), |i| spot + i);
        for w in text::words(&text[lo..hi]) {
            let r = lo + w.start..lo + w.end;
            if r.start <= spot && spot < r.end && marker.hit(&w.term) {
                if out.last().is_none_or(|(l, _)| l.end <= r.start) {
                    out.push((r, w.term));
                }
                break;
            }
        }
    }
    out
}

/// The byte offset `n` characters after (or, negative, before) `from`.
fn chars_from(text: &str, from: usize, n: isize) -> usize {
    if n >= 0 {
        text[from..].char_indices().nth(n as usize).map_or(text.len(), |(i, _)| from + i)
    } else {
        text[..from].char_indices().rev().nth((-n - 1) as usize).map_or(0, |(i, _)| i)
    }
}

/// The best ~200-character window of `body`: the one holding the most
/// distinct matched terms (then the most matches), starting a little before
/// its first match (or at the start, when the matches fit there), cut at
/// whitespace.
fn snippet(body: &str, marker: &Marker) -> (String, Vec<[u32; 2]>) {
    let marks = find_marks(body, marker);
    // Char offsets of the marks, counted incrementally.
    let mut cpos = Vec::with_capacity(marks.len());
    let (mut byte, mut chars) = (0usize, 0usize);
    for (r, _) in &marks {
        chars += body.get(byte..r.start).map_or(0, |s| s.chars().count());
        byte = r.start;
        let len = body.get(r.clone()).map_or(0, |s| s.chars().count());
        cpos.push((chars, chars + len));
    }
    let span = SNIPPET_CHARS - SNIPPET_LEAD;
    let mut best: Option<(usize, usize, usize, usize)> = None; // (distinct, count, first, last mark)
    for i in 0..marks.len() {
        let mut distinct: Vec<&str> = Vec::new();
        let mut count = 0;
        let mut last = i;
        for j in i..marks.len() {
            if cpos[j].1 - cpos[i].0 > span {
                break;
            }
            count += 1;
            last = j;
            if !distinct.contains(&marks[j].1.as_str()) {
                distinct.push(&marks[j].1);
            }
        }
        if best.is_none_or(|b| (distinct.len(), count) > (b.0, b.1)) {
            best = Some((distinct.len(), count, i, last));
        }
    }
    let start = match best {
        Some((_, _, i, last)) if cpos[last].1 + SNIPPET_LEAD / 2 > SNIPPET_CHARS => {
            // Back up to SNIPPET_LEAD characters, then forward to a word start.
            let s = chars_from(body, marks[i].0.start, -(SNIPPET_LEAD as isize));
            if s == 0 {
                0
            } else {
                match body[s..marks[i].0.start].char_indices().find(|(_, c)| c.is_whitespace()) {
                    Some((k, c)) => s + k + c.len_utf8(),
                    None => marks[i].0.start,
                }
            }
        }
        _ => 0,
    };
    let mut end = chars_from(body, start, SNIPPET_CHARS as isize);
    if end < body.len() {
        // Cut at the last whitespace inside the window (keep a word whole).
        if let Some(k) = body[start..end].rfind(char::is_whitespace).filter(|&k| k > 0) {
            end = start + k;
        }
    }
    let inside: Vec<Range<usize>> =
        marks.into_iter().map(|m| m.0).filter(|r| r.start >= start && r.end <= end).collect();
    render(body, start..end, &inside, start > 0, end < body.trim_end().len())
}

/// `text[range]` with whitespace runs collapsed to one space, trimmed,
/// with `…` on cut sides, and `marks` (byte ranges into `text`, ascending)
/// turned into UTF-16 offsets into the result.
fn render(
    text: &str,
    range: Range<usize>,
    marks: &[Range<usize>],
    lead: bool,
    trail: bool,
) -> (String, Vec<[u32; 2]>) {
    let mut out = String::with_capacity(range.len() + 8);
    let mut u16pos: u32 = 0;
    if lead {
        out.push('…');
        u16pos += 1;
    }
    let mut offs = Vec::with_capacity(marks.len());
    let mut mi = 0;
    let mut open: Option<u32> = None;
    let mut space = false;
    let slice = text.get(range.clone()).unwrap_or("");
    for (i, ch) in slice.char_indices() {
        let b = range.start + i;
        if let Some(s) = open {
            if mi < marks.len() && b >= marks[mi].end {
                offs.push([s, u16pos]);
                open = None;
                mi += 1;
            }
        }
        if ch.is_whitespace() {
            space = true;
            continue;
        }
        if space && u16pos > lead as u32 {
            out.push(' ');
            u16pos += 1;
        }
        space = false;
        while mi < marks.len() && open.is_none() && marks[mi].end <= b {
            mi += 1;
        }
        if open.is_none() && mi < marks.len() && b >= marks[mi].start {
            open = Some(u16pos);
        }
        out.push(ch);
        u16pos += ch.len_utf16() as u32;
    }
    if let Some(s) = open {
        offs.push([s, u16pos]);
    }
    if trail {
        out.push('…');
    }
    (out, offs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_marks_agree_with_segmenting_everything() {
        let texts = [
            "U.S. officials said Putin’s forces, 800,000 people and the U.N. we’re self-determined -- Kyiv.",
            "“Don’t panic,” Kim said. PUTIN'S plan: putins? _putin x_putin putin_x",
            "Zaporižžia plant, Putin's ouster",
            "",
            "   ",
            "a\u{a0}putin\u{2003}b\u{3000}us",
        ];
        let markers = [
            (vec!["us", "putin"], vec!["800"]),
            (vec!["dont", "were", "self"], vec!["kyi", "pu"]),
            (vec!["zaporizzia"], vec!["oust"]),
            (vec![], vec!["u", "s", "x"]),
        ];
        for t in texts {
            for (terms, prefixes) in &markers {
                let m = Marker {
                    terms: terms.iter().map(|s| s.to_string()).collect(),
                    prefixes: prefixes.iter().map(|s| s.to_string()).collect(),
                };
                let slow: Vec<(Range<usize>, String)> = text::words(t)
                    .filter(|w| m.hit(&w.term))
                    .map(|w| (w.start..w.end, w.term))
                    .collect();
                assert_eq!(find_marks(t, &m), slow, "{t:?} {terms:?} {prefixes:?}");
            }
        }
    }

    #[test]
    fn render_offsets_are_utf16() {
        let t = "Zelenskyy’s  plea 😀 to NATO";
        let a = t.find("plea").unwrap();
        let b = t.find("NATO").unwrap();
        let (s, h) = render(t, 0..t.len(), &[a..a + 4, b..b + 4], true, true);
        assert_eq!(s, "…Zelenskyy’s plea 😀 to NATO…");
        let u: Vec<u16> = s.encode_utf16().collect();
        assert_eq!(String::from_utf16(&u[h[0][0] as usize..h[0][1] as usize]).unwrap(), "plea");
        assert_eq!(String::from_utf16(&u[h[1][0] as usize..h[1][1] as usize]).unwrap(), "NATO");
    }
}
