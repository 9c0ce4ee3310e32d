//! The histogram of a query's dated matches: per day, or per hour over a
//! range of at most three days.

use crate::index::Index;
use crate::model::date::format_day;

use super::Bucket;

/// Per-day counts of the (ascending) dated ids, from the day table; per
/// hour when the range given spans at most three days. `below(id)` counts
/// the ids under `id` (a binary search: a day's count is two of them, so a
/// million matches cost a few thousand steps); the hourly path walks `ids`.
pub(super) fn histogram<D: AsRef<[u8]>>(
    ix: &Index<D>,
    below: &dyn Fn(u32) -> usize,
    ids: impl Iterator<Item = u32>,
    from: Option<i32>,
    to: Option<i32>,
    bounded: bool,
) -> Vec<Bucket> {
    let days = &ix.days;
    let (Some(first), Some(last)) = (days.first(), days.last()) else { return Vec::new() };
    let lo = from.unwrap_or(first.0).max(first.0);
    let hi = to.unwrap_or(last.0).min(last.0);
    let hourly = bounded && hi >= lo && (hi as i64 - lo as i64) < 3;
    if !hourly {
        let mut out = Vec::new();
        for (i, &(day, start)) in days.iter().enumerate() {
            let end = days.get(i + 1).map_or(ix.n_dated, |d| d.1);
            let n = below(end).saturating_sub(below(start));
            if n > 0 {
                out.push(Bucket {
                    day: format_day(day),
                    hourly: false,
                    hour: None,
                    count: n as u32,
                });
            }
        }
        return out;
    }
    let mut out: Vec<Bucket> = Vec::new();
    let mut di = 0usize;
    let mut hours = [0u32; 25];
    let flush = |di: usize, hours: &mut [u32; 25], out: &mut Vec<Bucket>| {
        let day = format_day(days[di].0);
        for (h, n) in hours.iter_mut().enumerate() {
            if *n > 0 {
                out.push(Bucket {
                    day: day.clone(),
                    hourly: true,
                    hour: (h < 24).then_some(h as u8),
                    count: *n,
                });
                *n = 0;
            }
        }
    };
    let mut cur: Option<usize> = None;
    for id in ids {
        while di + 1 < days.len() && days[di + 1].1 <= id {
            di += 1;
        }
        if hourly {
            if cur != Some(di) {
                if let Some(c) = cur {
                    flush(c, &mut hours, &mut out);
                }
                cur = Some(di);
            }
            let h =
                ix.published(id).and_then(|p| p.minute).map_or(24, |m| (m / 60).min(23) as usize);
            hours[h] += 1;
        } else {
            match out.last_mut() {
                Some(b) if cur == Some(di) => b.count += 1,
                _ => {
                    out.push(Bucket {
                        day: format_day(days[di].0),
                        hourly: false,
                        hour: None,
                        count: 1,
                    });
                    cur = Some(di);
                }
            }
        }
    }
    if hourly {
        if let Some(c) = cur {
            flush(c, &mut hours, &mut out);
        }
    }
    out
}
