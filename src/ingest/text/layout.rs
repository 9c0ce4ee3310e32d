//! A capture's layout: where posts start and end, which line is a post's
//! headline, what day a time-only stamp is on, and what lies around the posts.
//!
//! One pass classifies each line (stamp, day header, byline, text, blank).
//! Then, for the capture as a whole:
//!
//! * **order**: newest first or oldest first, from the dates and clocks of
//!   consecutive stamps (newest first when nothing tells);
//! * **headline placement**: a headline above its stamp, when most stamps
//!   have a short non-sentence line right above them (after a blank) and
//!   none right below; else below it, or on the stamp's own line;
//! * **days**: a time-only stamp takes its day from the day header above it,
//!   else the page's date, else the capture's `covers` day; where the clock
//!   goes up in a newest-first list it steps back a day (forward in an
//!   oldest-first one);
//! * **edges** (a corpus of one capture, where nothing can be learned from
//!   another): what stands before the first stamped post and after the last
//!   is page furniture when every post is stamped; a summary of bullets
//!   there is reported, not made an entry.
//!
//! A line shaped like a time that fits no rule becomes a warning naming its
//! file and line.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use super::stamp::{self, Reading};
use crate::ingest::dating;
use crate::ingest::post::{by_line_authors, is_byline, looks_like_headline, Stamp};
use crate::model::date::{civil_from_days, days_from_civil};

/// What the capture around a layout is.
pub(crate) struct Context<'a> {
    /// The capture's name, for warnings.
    pub file: &'a str,
    /// The capture's `covers` day (manifest).
    pub covers: Option<i32>,
    /// The corpus's time zone, when known (picks one side of a zone pair).
    pub tz: Option<Tz>,
    /// Whether numeric dates are day-first when the file does not say
    /// (the locale of its `[[source]]` or of the manifest; `None`:
    /// month-first).
    pub day_first: Option<bool>,
    /// The corpus has only this capture: its edges are judged by layout.
    pub alone: bool,
}

/// A post as the layout sees it: its stamp, its headline, its text lines.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    /// The resolved stamp and its 1-based line.
    pub stamp: Option<(Stamp, u32)>,
    /// The headline, when the layout places it (else the post's own rules).
    pub title: Option<String>,
    /// The post's lines without its stamp and placed headline.
    pub text: Vec<String>,
}

/// A run of lines `start..end` and what it is.
#[derive(Debug)]
pub(crate) enum Piece {
    /// A post (or nothing readable, which the caller reports as unplaced).
    Post(usize, usize, Prepared),
    /// Page furniture: day headers, and the edges of a lone capture.
    Furniture(usize, usize),
}

/// A capture's pieces (covering `from..to` exactly, in order) and warnings.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    /// The pieces.
    pub pieces: Vec<Piece>,
    /// Warnings, each naming the file and line.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Class {
    Blank,
    Text,
    Byline,
    /// A stamp with a clock.
    Stamp(Reading),
    /// A date alone on its line.
    Header(Reading),
    /// A furniture phrase between blank lines (`Link copied!`).
    Furniture,
}

/// Phrases that are page furniture wherever they stand at a capture's edge.
const FURNITURE: &[&str] = &[
    "skip to main content",
    "skip to content",
    "advertisement",
    "share",
    "share this",
    "share this page",
    "related",
    "related topics",
    "more on this story",
    "most read",
    "back to top",
    "sign up",
    "subscribe",
    "newsletter",
    "menu",
    "home",
    "live",
    "live updates",
    "link copied",
    "copy link",
    "ad feedback",
];

fn is_furniture_phrase(line: &str) -> bool {
    let k = crate::text::key(line);
    FURNITURE.contains(&k.as_str())
        || line.trim_start().starts_with(['©'])
        || k.starts_with("copyright")
}

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end().trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')']);
    t.ends_with(['.', '!', '?'])
}

fn classify(line: &str) -> Class {
    if line.trim().is_empty() {
        return Class::Blank;
    }
    match stamp::read(line) {
        Some(r) if r.minute.is_some() => Class::Stamp(r),
        Some(r) if r.is_day_header(line) => Class::Header(r),
        _ if is_byline(line) => Class::Byline,
        _ => Class::Text,
    }
}

/// Splits lines `from..to` of a capture into pieces.
pub(crate) fn split(lines: &[Cow<str>], from: usize, to: usize, cx: &Context) -> Layout {
    let mut class: Vec<Class> = (from..to).map(|i| classify(&lines[i])).collect();
    page_stamp(lines, from, &mut class);
    let cl = |i: usize| &class[i - from];
    let mut warnings = Vec::new();
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        if *cl(i) == Class::Text && stamp::looks_like_time(line) {
            warnings.push(format!(
                "{}:{}: “{}” looks like a time but reads as none; kept as text",
                cx.file,
                i + 1,
                line.trim()
            ));
        }
    }
    let above = headline_above(lines, from, to, &cl);
    let bounds = boundaries(lines, from, to, &cl, above);
    let day_first = day_first(&class, cx.day_first);
    // Each chunk's stamp line, if any.
    let stamp_at: Vec<Option<usize>> = bounds
        .iter()
        .map(|&(s, e, header)| {
            if header {
                return None;
            }
            let first = (s..e).find(|&i| *cl(i) != Class::Blank)?;
            let at = if above && !matches!(cl(first), Class::Stamp(_)) {
                (first + 1..e).find(|&i| *cl(i) != Class::Blank)?
            } else {
                first
            };
            matches!(cl(at), Class::Stamp(_)).then_some(at)
        })
        .collect();
    let page = page_day(lines, day_first, cx);
    let stamps = resolve_days(&bounds, &stamp_at, &cl, day_first, page, cx, &mut warnings);
    let mut pieces = Vec::with_capacity(bounds.len());
    let compact = headline_first_compact(lines, &bounds, &stamp_at, &cl);
    for (k, &(s, e, header)) in bounds.iter().enumerate() {
        if header {
            pieces.push(Piece::Furniture(s, e));
            continue;
        }
        let prepared = prepare(lines, s, e, stamp_at[k], stamps[k].clone(), above, compact, &cl);
        pieces.push(Piece::Post(s, e, prepared));
    }
    if cx.alone {
        edges(lines, &mut pieces, cx, &mut warnings);
    }
    Layout { pieces, warnings }
}

/// Reclassifies what is around posts rather than in them: the one stamp of
/// a capture when it opens with a lead-in (`Updated 9:10 AM EST, …`) is the
/// page's, and a furniture phrase between blank lines is furniture.
fn page_stamp(lines: &[Cow<str>], from: usize, class: &mut [Class]) {
    let stamps: Vec<usize> =
        (0..class.len()).filter(|&k| matches!(class[k], Class::Stamp(_))).collect();
    if let [k] = stamps[..] {
        if let Class::Stamp(r) = &class[k] {
            if r.lead_in && r.date.is_some() && lines[from + k][r.rest..].trim().is_empty() {
                class[k] = Class::Header(r.clone());
            }
        }
    }
    for k in 0..class.len() {
        let blank =
            |j: Option<usize>| j.and_then(|j| class.get(j)).is_none_or(|c| *c == Class::Blank);
        if class[k] == Class::Text
            && is_furniture_phrase(&lines[from + k])
            && blank(k.checked_sub(1))
            && blank(Some(k + 1))
        {
            class[k] = Class::Furniture;
        }
    }
}

/// Whether headlines stand above their stamps in this capture.
fn headline_above<'c>(
    lines: &[Cow<str>],
    from: usize,
    to: usize,
    cl: &impl Fn(usize) -> &'c Class,
) -> bool {
    let (mut above, mut below, mut alone) = (0, 0, 0);
    for i in from..to {
        let Class::Stamp(r) = cl(i) else { continue };
        if !lines[i][r.rest..].trim().is_empty() {
            continue;
        }
        alone += 1;
        let next = (i + 1..to).find(|&j| *cl(j) != Class::Blank);
        if let Some(n) = next {
            if *cl(n) == Class::Text && looks_like_headline(&lines[n]) && !ends_sentence(&lines[n])
            {
                below += 1;
            }
        }
        let prev = (from..i).rev().find(|&j| *cl(j) != Class::Blank);
        if let Some(p) = prev {
            let open = p == from || *cl(p - 1) == Class::Blank;
            if p + 1 == i && open && *cl(p) == Class::Text && looks_like_headline(&lines[p]) {
                above += 1;
            }
        }
    }
    above > below && above * 2 >= alone
}

/// Chunks `(start, end, is_day_header)` covering `from..to`: a stamp (or the
/// headline above it) starts a post, a day header stands alone, and after a
/// byline or two blank lines the next text starts a post.
fn boundaries<'c>(
    lines: &[Cow<str>],
    from: usize,
    to: usize,
    cl: &impl Fn(usize) -> &'c Class,
    above: bool,
) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut start = from;
    let (mut has_text, mut closed, mut blanks) = (false, false, 0);
    for i in from..to {
        let c = cl(i);
        if *c == Class::Blank {
            blanks += 1;
            closed |= blanks >= 2;
            continue;
        }
        blanks = 0;
        if let Class::Header(_) | Class::Furniture = c {
            if start < i {
                out.push((start, i, false));
            }
            out.push((i, i + 1, true));
            (start, has_text, closed) = (i + 1, false, false);
            continue;
        }
        let mut at = i;
        if let Class::Stamp(_) = c {
            if above && i > start {
                let p = i - 1;
                let open = p == from || *cl(p - 1) == Class::Blank;
                if open && *cl(p) == Class::Text && looks_like_headline(&lines[p]) {
                    at = p;
                }
            }
        }
        let starts =
            matches!(c, Class::Stamp(_)) || closed || opens_bylined(lines, from, to, cl, i);
        if has_text && starts && at > start {
            out.push((start, at, false));
            start = at;
        }
        has_text = true;
        closed = *c == Class::Byline;
    }
    if start < to {
        out.push((start, to, false));
    }
    out
}

/// Whether line `i` is a headline with a "By"/"From" byline right below
/// it, after a blank line and not right below a stamp: it starts a post.
fn opens_bylined<'c>(
    lines: &[Cow<str>],
    from: usize,
    to: usize,
    cl: &impl Fn(usize) -> &'c Class,
    i: usize,
) -> bool {
    if *cl(i) != Class::Text || i + 1 >= to || !looks_like_headline(&lines[i]) {
        return false;
    }
    let prev = (from..i).rev().find(|&j| *cl(j) != Class::Blank);
    let after_blank = i == from || *cl(i - 1) == Class::Blank;
    after_blank
        && !prev.is_some_and(|j| matches!(cl(j), Class::Stamp(_)))
        && by_line_authors(&lines[i + 1], &[]).is_some()
}

/// Day-first from the file's own numeric dates, else the locale's.
fn day_first(class: &[Class], locale: Option<bool>) -> bool {
    let (mut df, mut mf) = (0, 0);
    for c in class {
        if let Class::Stamp(r) | Class::Header(r) = c {
            match r.date.and_then(|d| d.evidence()) {
                Some(true) => df += 1,
                Some(false) => mf += 1,
                None => {}
            }
        }
    }
    if df != mf {
        return df > mf;
    }
    locale.unwrap_or(false)
}

/// The page's date: the first date with a year printed in the capture
/// (`Updated 4 March 2022` above the posts, or the newest post's), else the
/// capture's `covers` day.
fn page_day(lines: &[Cow<str>], day_first: bool, cx: &Context) -> Option<i32> {
    let found = lines
        .iter()
        .filter_map(|l| stamp::read(l)?.date?.ymd(day_first, None))
        .map(|(y, m, d)| days_from_civil(y, m, d))
        .next();
    found.or(cx.covers)
}

/// The year that a date printed without one takes.
fn year_of(day: Option<i32>) -> Option<i32> {
    day.map(|d| civil_from_days(d).0)
}

fn to_day(d: stamp::Date, day_first: bool, year: Option<i32>) -> Option<i32> {
    d.ymd(day_first, year).map(|(y, m, d)| days_from_civil(y, m, d))
}

/// A stamped chunk: its own day, the day header above it, its minute, its
/// reading and its line (0-based).
type Item<'r> = Option<(Option<i32>, Option<i32>, u16, &'r Reading, usize)>;

/// The resolved stamp of each chunk.
#[allow(clippy::too_many_arguments)]
fn resolve_days<'c>(
    bounds: &[(usize, usize, bool)],
    stamp_at: &[Option<usize>],
    cl: &impl Fn(usize) -> &'c Class,
    day_first: bool,
    page: Option<i32>,
    cx: &Context,
    warnings: &mut Vec<String>,
) -> Vec<Option<(Stamp, u32)>> {
    // Per chunk: the day header above it, its own reading.
    let mut header: Option<i32> = None;
    let mut items: Vec<Item> = Vec::new();
    for (k, &(s, _, is_header)) in bounds.iter().enumerate() {
        if is_header {
            if let Class::Header(r) = cl(s) {
                header = r.date.and_then(|d| to_day(d, day_first, year_of(header.or(page))));
            }
            items.push(None);
            continue;
        }
        items.push(stamp_at[k].and_then(|at| match cl(at) {
            Class::Stamp(r) => {
                let (minute, shift) = pick_reading(r, cx, at, warnings);
                let own = r.date.and_then(|d| to_day(d, day_first, year_of(header.or(page))));
                let own = own.map(|d| d + shift);
                Some((own, header, minute, r, at))
            }
            _ => None,
        }));
    }
    // Order: from consecutive stamps of known or shared days.
    let (mut rising, mut falling) = (0, 0);
    let mut prev: Option<(i32, u16)> = None;
    let mut prev_hdr: Option<Option<i32>> = None;
    for it in items.iter().flatten() {
        let key = match (it.0.or(it.1), prev) {
            (Some(d), _) => Some((d, it.2)),
            (None, Some((pd, _))) if prev_hdr == Some(it.1) => Some((pd, it.2)),
            (None, None) => Some((0, it.2)),
            _ => None,
        };
        if let (Some(a), Some(b)) = (prev, key) {
            // Within a day, the shorter way round the clock (across midnight).
            let forward = if a.0 == b.0 {
                let d = (b.1 as i32 - a.1 as i32).rem_euclid(1440);
                (d != 0).then_some(d < 720)
            } else {
                Some(b.0 > a.0)
            };
            match forward {
                Some(true) => rising += 1,
                Some(false) => falling += 1,
                None => {}
            }
        }
        prev = key.or(prev);
        prev_hdr = Some(it.1);
    }
    let newest_first = falling >= rising;
    // Days of time-only stamps: from the header above, else the page, else
    // the covers day; stepping a day where the clock turns.
    let step: i32 = if newest_first { -1 } else { 1 };
    let mut out = Vec::with_capacity(items.len());
    let mut base: Option<(i32, u16)> = None; // (day, last minute)
    let mut last_header: Option<Option<i32>> = None;
    let turns_from_page = if newest_first { 0 } else { turns(&items, newest_first) };
    for it in &items {
        let Some((own, hdr, minute, r, at)) = *it else {
            out.push(None);
            continue;
        };
        if last_header != Some(hdr) {
            base = hdr.map(|d| (d, minute));
            if base.is_none() {
                base = page.or(cx.covers).map(|d| (d - turns_from_page, minute));
            }
            last_header = Some(hdr);
        }
        let day = match (own, base) {
            (Some(d), _) => Some(d),
            (None, Some((d, last))) => {
                let turned = if newest_first { minute > last } else { minute < last };
                Some(if turned { d + step } else { d })
            }
            (None, None) => {
                warnings.push(format!(
                    "{}:{}: a time with no day (no date, day header, page date or covers day); left undated",
                    cx.file,
                    at + 1
                ));
                None
            }
        };
        if let Some(d) = day {
            base = Some((d, minute));
        }
        out.push(day.map(|d| (stamp_of(d, minute, r, cx), at as u32 + 1)));
    }
    out
}

/// How many times the clock turns over in a list (for an oldest-first list
/// anchored at its newest end).
fn turns(items: &[Item], newest_first: bool) -> i32 {
    let mut n = 0;
    let mut last: Option<u16> = None;
    for (own, hdr, minute, _, _) in items.iter().flatten() {
        if own.is_some() || hdr.is_some() {
            return 0;
        }
        if let Some(l) = last {
            if (newest_first && *minute > l) || (!newest_first && *minute < l) {
                n += 1;
            }
        }
        last = Some(*minute);
    }
    n
}

/// The minute of a stamp (one side of a zone pair: the corpus zone's if it
/// is printed, else the first) and the days to add to the printed date.
fn pick_reading(r: &Reading, cx: &Context, at: usize, warnings: &mut Vec<String>) -> (u16, i32) {
    let minute = r.minute.unwrap_or(0);
    let (Some(label), Some((alt, alt_label))) = (&r.label, &r.alt) else { return (minute, 0) };
    let (Some(o1), Some(o2)) = (dating::label_offset(label), dating::label_offset(alt_label))
    else {
        return (minute, 0);
    };
    let expected = minute as i32 - o1 + o2;
    if expected.rem_euclid(1440) != *alt as i32 {
        warnings.push(format!(
            "{}:{}: {label} and {alt_label} times of the pair disagree; took the {label} one",
            cx.file,
            at + 1
        ));
        return (minute, 0);
    }
    let wants_alt = cx.tz.is_some()
        && dating::zone_of_label(alt_label) == cx.tz
        && dating::zone_of_label(label) != cx.tz;
    if wants_alt {
        (*alt, expected.div_euclid(1440))
    } else {
        (minute, 0)
    }
}

fn stamp_of(day: i32, minute: u16, r: &Reading, cx: &Context) -> Stamp {
    let (y, m, d) = civil_from_days(day);
    let date = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let time =
        NaiveTime::from_hms_opt(minute as u32 / 60, minute as u32 % 60, 0).unwrap_or_default();
    let label = match (&r.alt, &r.label) {
        (Some((_, alt)), _) if cx.tz.is_some() && dating::zone_of_label(alt) == cx.tz => {
            Some(alt.clone())
        }
        (_, l) => l.clone(),
    };
    Stamp { local: NaiveDateTime::new(date, time), label }
}

/// Whether, in a layout without blank lines inside posts, a stamped post's
/// first line is regularly its headline.
fn headline_first_compact<'c>(
    lines: &[Cow<str>],
    bounds: &[(usize, usize, bool)],
    stamp_at: &[Option<usize>],
    cl: &impl Fn(usize) -> &'c Class,
) -> bool {
    let (mut yes, mut posts) = (0, 0);
    for (k, &(s, e, header)) in bounds.iter().enumerate() {
        let Some(at) = stamp_at[k] else { continue };
        if header {
            continue;
        }
        let content: Vec<usize> = (at + 1..e).filter(|&i| *cl(i) != Class::Blank).collect();
        let (Some(&lo), Some(&hi)) = (content.first(), content.last()) else { continue };
        if (lo..hi).any(|i| *cl(i) == Class::Blank) || (s..at).any(|i| *cl(i) != Class::Blank) {
            return false;
        }
        posts += 1;
        if content.len() >= 2 && looks_like_headline(&lines[lo]) && !ends_sentence(&lines[lo]) {
            yes += 1;
        }
    }
    posts >= 2 && yes * 2 > posts
}

/// A post's text lines, headline and stamp.
#[allow(clippy::too_many_arguments)]
fn prepare<'c>(
    lines: &[Cow<str>],
    s: usize,
    e: usize,
    stamp_at: Option<usize>,
    stamp: Option<(Stamp, u32)>,
    above: bool,
    compact: bool,
    cl: &impl Fn(usize) -> &'c Class,
) -> Prepared {
    let mut p = Prepared { stamp, ..Prepared::default() };
    let Some(at) = stamp_at else {
        p.text = lines[s..e].iter().map(|l| l.to_string()).collect();
        return p;
    };
    if above {
        if let Some(h) = (s..at).find(|&i| *cl(i) != Class::Blank) {
            p.title = Some(lines[h].trim().to_string());
        }
    }
    let mut text: Vec<String> = Vec::with_capacity(e - at);
    if let Class::Stamp(r) = cl(at) {
        let rest = lines[at][r.rest..].trim();
        let more = (at + 1..e).any(|i| *cl(i) != Class::Blank);
        if !rest.is_empty() {
            if p.title.is_none() && more && looks_like_headline(rest) && !ends_sentence(rest) {
                p.title = Some(rest.to_string());
            } else {
                text.push(rest.to_string());
            }
        }
    }
    text.extend(lines[at + 1..e].iter().map(|l| l.to_string()));
    if compact && p.title.is_none() {
        if let Some(i) = text.iter().position(|l| !l.trim().is_empty()) {
            if looks_like_headline(&text[i]) && !ends_sentence(&text[i]) {
                p.title = Some(text.remove(i).trim().to_string());
            }
        }
    }
    p.text = text;
    p
}

/// Whether a chunk reads as navigation: no stamp, no sentence, no byline.
fn nav_like(lines: &[Cow<str>], s: usize, e: usize) -> bool {
    lines[s..e].iter().all(|l| {
        l.trim().is_empty()
            || is_furniture_phrase(l)
            || (!ends_sentence(l) && l.split_whitespace().count() <= 12 && !is_byline(l))
    })
}

/// The edges of a lone capture: before its first stamped post and after its
/// last, when every post between is stamped; else navigation-like chunks.
fn edges(lines: &[Cow<str>], pieces: &mut Vec<Piece>, cx: &Context, warnings: &mut Vec<String>) {
    let stamped = |p: &Piece| matches!(p, Piece::Post(_, _, x) if x.stamp.is_some());
    let posts: Vec<usize> =
        (0..pieces.len()).filter(|&k| matches!(pieces[k], Piece::Post(..))).collect();
    let first = posts.iter().copied().find(|&k| stamped(&pieces[k]));
    let last = posts.iter().copied().rfind(|&k| stamped(&pieces[k]));
    let regular = match (first, last) {
        (Some(f), Some(l)) => {
            f < l && posts.iter().filter(|&&k| k > f && k < l).all(|&k| stamped(&pieces[k]))
        }
        _ => false,
    };
    let range = |p: &Piece| match p {
        Piece::Post(s, e, _) | Piece::Furniture(s, e) => (*s, *e),
    };
    let furnish = |pieces: &mut [Piece], k: usize| {
        let (s, e) = range(&pieces[k]);
        pieces[k] = Piece::Furniture(s, e);
    };
    for &k in &posts {
        let (s, e) = range(&pieces[k]);
        let before = if regular {
            first.is_some_and(|f| k < f)
        } else {
            nav_like(lines, s, e) || bullets(lines, s, e).len() >= 2
        };
        if !before {
            break;
        }
        summary(lines, s, e, cx, warnings);
        furnish(pieces, k);
    }
    for &k in posts.iter().rev() {
        let (s, e) = range(&pieces[k]);
        let after = if regular { last.is_some_and(|l| k > l) } else { nav_like(lines, s, e) };
        if !after {
            break;
        }
        furnish(pieces, k);
    }
    if let (true, Some(l)) = (regular, last) {
        cut_tail(lines, pieces, l);
    }
}

/// Ends the last post at the first furniture phrase after its text
/// (`Share this page` right below the last paragraph).
fn cut_tail(lines: &[Cow<str>], pieces: &mut Vec<Piece>, k: usize) {
    let Piece::Post(s, e, p) = &mut pieces[k] else { return };
    let (s, e) = (*s, *e);
    let mut seen_text = false;
    let Some(j) = (s + 1..e).find(|&j| {
        let hit = seen_text && is_furniture_phrase(&lines[j]);
        seen_text |= !lines[j].trim().is_empty() && stamp::read(&lines[j]).is_none();
        hit
    }) else {
        return;
    };
    let keep = p.text.len().saturating_sub(e - j);
    p.text.truncate(keep);
    pieces[k] = match std::mem::replace(&mut pieces[k], Piece::Furniture(s, s)) {
        Piece::Post(_, _, p) => Piece::Post(s, j, p),
        other => other,
    };
    pieces.insert(k + 1, Piece::Furniture(j, e));
}

/// The bullet lines of `s..e`, when they are at least half of its text.
fn bullets(lines: &[Cow<str>], s: usize, e: usize) -> Vec<usize> {
    let bullet = |l: &str| l.trim_start().starts_with(['•', '·', '*', '▪', '-', '\u{2013}']);
    let points: Vec<usize> = (s..e).filter(|&i| bullet(&lines[i])).collect();
    let text = (s..e).filter(|&i| !lines[i].trim().is_empty()).count();
    if points.len() * 2 >= text {
        points
    } else {
        Vec::new()
    }
}

/// Reports a summary of bullets above the posts.
fn summary(lines: &[Cow<str>], s: usize, e: usize, cx: &Context, warnings: &mut Vec<String>) {
    let points = bullets(lines, s, e);
    if points.len() >= 2 {
        warnings.push(format!(
            "{}:{}-{}: a summary of {} points above the posts; kept out of the entries",
            cx.file,
            points[0] + 1,
            points[points.len() - 1] + 1,
            points.len()
        ));
    }
}
