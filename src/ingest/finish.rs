//! The finishing stage every source goes through: posts that are the same
//! across captures and archives are merged (by link, or by their opening
//! when nothing tells them apart), dated (the most precise source's date,
//! then inference from the order of captures), and numbered in publication
//! order.

use std::collections::HashMap;

use super::post::Post;
use super::{dating, Corpus, Occs, Occurrence, Stage};
use crate::model::date::{format_day, Published};
use crate::model::entry::{Entry, Source};

/// The finishing stage for every source: dedup, dating, ids in publication
/// order, and the report's counts.
pub(super) fn finish(stage: Stage, title: Option<String>) -> Corpus {
    let Stage { names, covers, by_capture, per_capture, mut report, tz, .. } = stage;
    let occ = Occs::new(by_capture);
    report.posts_seen = occ.len();

    let groups = dedup(&occ);
    let mut group_of = vec![0usize; occ.len()];
    for (g, members) in groups.iter().enumerate() {
        for &o in members {
            group_of[o] = g;
        }
    }
    let dates = date_groups(&occ, &groups, &group_of, &per_capture, &names, &covers);
    let entries = merge(occ, groups, &group_of, dates, &per_capture);

    report.entries = entries.len();
    report.duplicates_merged = report.posts_seen - entries.len();
    for e in &entries {
        report.precision[2 - e.precision() as usize] += 1;
    }
    let timezone = tz.map_or_else(String::new, |tz| tz.name().to_string());
    Corpus { title, timezone, entries, report }
}

/// How many leading terms of the body identify a post.
const KEY_TERMS: usize = 24;

/// The hash of a post's opening: its first [`KEY_TERMS`] terms (so quotes,
/// dashes, case and line breaks don't count), and the headline's terms too
/// when there are fewer than six.
pub(super) fn dedup_key(p: &Post) -> u64 {
    let mut terms: Vec<String> = p
        .body
        .iter()
        .chain(p.media.iter().map(|m| &m.caption))
        .flat_map(|t| crate::text::terms(t))
        .take(KEY_TERMS)
        .collect();
    if terms.len() < 6 {
        // Too short to identify a post alone: add the headline.
        terms.extend(crate::text::terms(&p.title));
    }
    // A 64-bit hash of the key: fixed SipHash keys, so builds are deterministic.
    let mut h = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&terms, &mut h);
    std::hash::Hasher::finish(&h)
}

/// Hashes a `u64` that already is a hash: as it is.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Groups occurrences that are the same post: the same opening
/// ([`dedup_key`]), and nothing that tells them apart: two headlines must
/// agree, and two printed timestamps too.
fn dedup(occ: &Occs) -> Vec<Vec<usize>> {
    const NONE: u32 = u32::MAX;
    // A headline's key: only read for posts whose opening was seen before.
    let title_of = |o: usize| {
        let p = &occ[o].post;
        (!p.title_derived).then(|| crate::text::key(&p.title))
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // The headline key of a group (its first member's with a headline),
    // for the groups that were candidates.
    let mut titles: HashMap<usize, Option<String>> = HashMap::new();
    // The first group of each key, and for each group the next one with the
    // same key: candidates in the order they were made.
    let mut first_of: HashMap<u64, u32, std::hash::BuildHasherDefault<Prehashed>> =
        HashMap::default();
    let mut next_of: Vec<u32> = Vec::new();
    // The group of each link (address or guid) seen.
    let mut by_link: HashMap<&str, usize> = HashMap::new();
    for i in 0..occ.len() {
        if let Some(&g) = occ[i].link.as_deref().and_then(|l| by_link.get(l)) {
            groups[g].push(i);
            continue;
        }
        let key = occ[i].key;
        let published = occ[i].published;
        let mut candidate = first_of.get(&key).copied().unwrap_or(NONE);
        let title = if candidate == NONE { None } else { title_of(i) };
        let mut last = NONE;
        let mut same = None;
        while candidate != NONE {
            let g = candidate as usize;
            let group_title =
                titles.entry(g).or_insert_with(|| groups[g].iter().find_map(|&m| title_of(m)));
            let titles_agree = match (&title, &*group_title) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            let times_agree = match (published, occ[groups[g][0]].published) {
                (Some(a), Some(b)) => same_time(a, b),
                _ => true,
            };
            if titles_agree && times_agree {
                same = Some(g);
                break;
            }
            last = candidate;
            candidate = next_of[g];
        }
        let joined = same.unwrap_or(groups.len());
        if let Some(l) = occ[i].link.as_deref() {
            by_link.entry(l).or_insert(joined);
        }
        match same {
            Some(g) => {
                groups[g].push(i);
                if let Some(t @ None) = titles.get_mut(&g) {
                    *t = title;
                }
            }
            None => {
                let g = groups.len() as u32;
                if last == NONE {
                    first_of.insert(key, g);
                } else {
                    next_of[last as usize] = g;
                }
                next_of.push(NONE);
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// Whether two publication times can be the same post's: the same instant
/// when both are known to the minute in a known zone, else the same day.
fn same_time(a: Published, b: Published) -> bool {
    match (a.unix_seconds(), b.unix_seconds()) {
        (Some(x), Some(y)) => x == y,
        _ => a.day == b.day,
    }
}

/// A group's date and its basis.
#[derive(Clone)]
struct Dated {
    published: Published,
    basis: String,
}

fn date_groups(
    occ: &Occs,
    groups: &[Vec<usize>],
    group_of: &[usize],
    per_capture: &[Vec<usize>],
    names: &[String],
    covers: &[Option<i32>],
) -> Vec<Option<Dated>> {
    // 1. Printed timestamps and dated records, in any source: the most
    // precise wins, then the earliest printing.
    let mut dates: Vec<Option<Dated>> = groups
        .iter()
        .map(|m| {
            m.iter()
                .filter_map(|&o| occ[o].published.map(|p| (p, o)))
                .min_by_key(|(p, _)| {
                    (std::cmp::Reverse(p.minute.is_some()), std::cmp::Reverse(p.zone_known()), *p)
                })
                .map(|(p, o)| {
                    let mut basis = match &occ[o].label {
                        Some(label) => format!("published date: {label}"),
                        None => format!(
                            "printed timestamp ({} line {})",
                            names[occ[o].capture], occ[o].stamp_line
                        ),
                    };
                    if p.minute.is_some() && !p.zone_known() {
                        basis += "; time zone unknown (none printed or given in the manifest)";
                    }
                    Dated { published: p, basis }
                })
        })
        .collect();
    // Each capture as a newest-first list of groups.
    let seqs: Vec<Vec<usize>> = per_capture
        .iter()
        .map(|s| {
            let mut v: Vec<usize> = s.iter().map(|&o| group_of[o]).collect();
            v.dedup();
            v
        })
        .collect();
    // Weekday words, read only for the groups that need them.
    let mut words: HashMap<usize, Vec<(usize, &'static str)>> = HashMap::new();
    let title = |dates: &[Option<Dated>], g: usize| {
        let d = dates[g].as_ref().map_or(String::new(), |d| format_day(d.published.day));
        format!("“{}” ({d})", occ[groups[g][0]].post.title)
    };
    // 2 and 3: sweeps over each capture, oldest to newest, until nothing changes.
    let mut weekdays = false;
    loop {
        let mut changed = false;
        for (c, seq) in seqs.iter().enumerate() {
            // The nearest newer dated group of each position, or the covers day.
            let mut upper: Vec<Option<(i32, Option<usize>)>> = Vec::with_capacity(seq.len());
            let mut cur = covers[c].map(|d| (d, None));
            for &g in seq {
                upper.push(cur);
                if let Some(d) = &dates[g] {
                    cur = Some((d.published.day, Some(g)));
                }
            }
            let mut lower: Option<(i32, usize)> = None;
            for (i, &g) in seq.iter().enumerate().rev() {
                if dates[g].is_none() {
                    let offset = occ[groups[g][0]].published.map_or(-300, |p| p.offset);
                    let newer = upper[i];
                    let newer_text = |dates: &[Option<Dated>]| match newer {
                        Some((_, Some(n))) => format!("older than {}", title(dates, n)),
                        Some((d, None)) => {
                            format!("within the capture's covers day {}", format_day(d))
                        }
                        None => String::new(),
                    };
                    if let (Some((lo, lg)), Some((hi, _))) = (lower, newer) {
                        if lo == hi {
                            let basis = format!(
                                "order in {}: newer than {}, {}",
                                names[c],
                                title(&dates, lg),
                                newer_text(&dates)
                            );
                            dates[g] = Some(Dated {
                                published: Published { day: lo, minute: None, offset },
                                basis,
                            });
                            changed = true;
                        }
                    }
                    if dates[g].is_none() && weekdays {
                        if let Some(anchor) = covers[c] {
                            let lo = lower.map(|l| l.0);
                            let hi = newer.map(|u| u.0);
                            let words = words.entry(g).or_insert_with(|| {
                                let p = &occ[groups[g][0]].post;
                                let text = std::iter::once(&p.title).chain(&p.body);
                                text.flat_map(|t| dating::weekday_words(t)).collect()
                            });
                            if let Some((day, word)) = dating::weekday_day(words, anchor, lo, hi) {
                                let basis = format!(
                                    "weekday “{}” in the text: the last {} on or before {}'s covers day {}",
                                    dating::capitalised(word),
                                    dating::capitalised(word),
                                    names[c],
                                    dating::day_text(anchor)
                                );
                                dates[g] = Some(Dated {
                                    published: Published { day, minute: None, offset },
                                    basis,
                                });
                                changed = true;
                            }
                        }
                    }
                }
                if let Some(d) = &dates[g] {
                    lower = Some((d.published.day, g));
                }
            }
        }
        if changed {
            weekdays = false;
        } else if !weekdays {
            weekdays = true;
        } else {
            break;
        }
    }
    dates
}

/// One entry per group: the richest version, every source, the best date;
/// then ids in publication order.
fn merge(
    occ: Occs,
    groups: Vec<Vec<usize>>,
    group_of: &[usize],
    mut dates: Vec<Option<Dated>>,
    per_capture: &[Vec<usize>],
) -> Vec<Entry> {
    // Where each occurrence stands: its capture and its rank from the oldest.
    let mut place = vec![(0usize, 0usize); occ.len()];
    for (c, seq) in per_capture.iter().enumerate() {
        for (rank, &o) in seq.iter().rev().enumerate() {
            place[o] = (c, rank);
        }
    }
    // Within a day, an inferred entry goes just after the printed time of the
    // older post next to it in its capture.
    let mut within = vec![-1i32; groups.len()];
    for seq in per_capture {
        let mut last: Option<(i32, i32)> = None; // (day, 2 * minute + 1)
        for &o in seq.iter().rev() {
            let g = group_of[o];
            match dates[g].as_ref().map(|d| d.published) {
                Some(Published { day, minute: Some(m), .. }) => {
                    within[g] = 2 * m as i32;
                    last = Some((day, 2 * m as i32 + 1));
                }
                Some(Published { day, .. }) => match last.filter(|l| l.0 == day) {
                    Some((_, m)) => within[g] = within[g].max(m),
                    None => last = Some((day, -1)),
                },
                None => {}
            }
        }
    }
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| {
        let (c, rank) = place[groups[g][0]];
        match &dates[g] {
            Some(d) => (0, d.published.day, within[g], c, rank),
            None => (1, 0, 0, c, rank),
        }
    });
    let richness = |o: &Occurrence| {
        let p = &o.post;
        let text: usize = p.body.iter().map(String::len).sum::<usize>()
            + p.media.iter().map(|m| m.caption.len() + m.credit.len()).sum::<usize>();
        (!p.title_derived, text, o.published.is_some())
    };
    let at = occ.at;
    let mut occ: Vec<Vec<Option<Occurrence>>> =
        occ.by_capture.into_iter().map(|v| v.into_iter().map(Some).collect()).collect();
    let mut entries = Vec::with_capacity(groups.len());
    for (id, g) in order.into_iter().enumerate() {
        let mut members: Vec<Occurrence> = groups[g]
            .iter()
            .filter_map(|&o| occ[at[o].0 as usize][at[o].1 as usize].take())
            .collect();
        members.sort_by_key(|o| (o.capture, o.source.lines));
        let rich = (0..members.len())
            .max_by_key(|&i| (richness(&members[i]), std::cmp::Reverse(i)))
            .unwrap_or(0);
        let authors = if members[rich].post.authors.is_empty() {
            members
                .iter()
                .map(|o| &o.post.authors)
                .find(|a| !a.is_empty())
                .cloned()
                .unwrap_or_default()
        } else {
            std::mem::take(&mut members[rich].post.authors)
        };
        let sources = members
            .iter_mut()
            .map(|o| Source {
                file: std::mem::take(&mut o.source.file),
                lines: o.source.lines,
                item: o.source.item,
            })
            .collect();
        let url = members.iter_mut().find_map(|o| o.url.take());
        let p = members.swap_remove(rich).post;
        let (published, date_basis) = match dates[g].take() {
            Some(mut d) => {
                d.basis.shrink_to_fit();
                (Some(d.published), d.basis)
            }
            None => (
                None,
                "unknown: no timestamp, no dated neighbours of one day, no weekday word to anchor"
                    .into(),
            ),
        };
        entries.push(Entry {
            id: id as u32,
            title: p.title,
            title_derived: p.title_derived,
            published,
            date_basis,
            authors,
            body: p.body,
            media: p.media,
            sources,
            url,
        });
    }
    entries
}
