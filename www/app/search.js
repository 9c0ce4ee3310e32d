// Runs the query of the state and renders everything that follows it:
// results, count, timeline, authors. On a sharded archive, shows the first
// cards as soon as they are known and fetches the rest.

import { isoDay, parseDay } from '../dates.js';
import { markShown } from './bench.js';
import { el } from './dom.js';
import { renderFilterState, scheduleFacets } from './facets.js';
import { answered, retryWhenLoaded } from './pending.js';
import { renderResults, showQueryError } from './results.js';
import { PAGE, commit, hourBounded, searchOptions, session, state } from './state.js';
import { closeSuggestions } from './suggest.js';
import { renderTimeline } from './timeline.js';

/** Cards shown first while a sharded archive fetches the rest of a page:
 *  about what a screen holds, so that the first result needs only their
 *  entries. */
const FIRST_PAGE = 8;

/** A query over a sharded archive needs shards (`full`, the pending error
 *  of the whole page): show its first cards as soon as they are known —
 *  for one word, from the word's best entries (`partial`: before the
 *  postings that the exact count and the timeline need) — then fetch the
 *  rest. Returns whether it took over. */
function firstPage(full) {
  // The whole page needs these shards too: fetch them in the same round as
  // the first cards' instead of in the rounds after them.
  full.load().catch(() => {});
  let r;
  try {
    r = session.archive.search(state.q, { ...searchOptions(true), limit: Math.min(session.limit, FIRST_PAGE), partial_ok: true });
  } catch (e) {
    // Fetch what the first cards need (not the whole page's), then start over.
    return retryWhenLoaded('update', e, update, showQueryError);
  }
  session.lastResults = r;
  renderResults(r);
  el.more.hidden = true;
  el.hits.dataset.query = state.q;
  document.documentElement.dataset.partial = 'true';
  markShown();
  return retryWhenLoaded('update', full, () => update(true), showQueryError);
}

/** The results the timeline draws: they follow the query but not the
 *  brushed range (so that the bars outside the range stay visible); within
 *  a zoom they cover the zoom. Null when a shard fetch took over. */
function histogramFor(results) {
  if (state.from === null && state.to === null && !state.zoom) return results;
  try {
    const o = { ...searchOptions(false), limit: 0 };
    if (state.zoom) { o.from = isoDay(state.zoom[0]); o.to = isoDay(state.zoom[1]); }
    return session.archive.search(state.q, o);
  } catch (e) {
    if (retryWhenLoaded('update', e, update, showQueryError)) return null;
    return results;
  }
}

/** Whether `hit` was published within the brushed hours (entries dated to
 *  the day only are not within any hour). */
function withinHours(hit) {
  if (hit.precision !== 'minute' || !hit.published) return false;
  const day = parseDay(hit.published.slice(0, 10));
  const at = day * 24 + Number(hit.published.slice(11, 13));
  return at >= state.from * 24 + (state.fromHour ?? 0) && at <= state.to * 24 + (state.toHour ?? 23);
}

/** The results of a range with hours (at most three days: few entries).
 *  The engine filters by day; the hours, the author filter and the author
 *  counts are applied here, over every match of those days. */
function hourResults(archive) {
  const { authors, ...days } = { ...searchOptions(true), offset: 0 };
  const n = archive.search(state.q, { ...days, limit: 0 }).total;
  const all = archive.search(state.q, { ...days, limit: n });
  const inHours = all.hits.filter(withinHours);
  const counts = new Map();
  for (const h of inHours) for (const a of h.authors || []) counts.set(a, (counts.get(a) || 0) + 1);
  const kept = authors && authors.length ? inHours.filter((h) => (h.authors || []).some((a) => authors.includes(a))) : inHours;
  return {
    ...all,
    total: kept.length,
    hits: kept.slice(0, session.limit),
    undated: 0,
    authors: [...counts].map(([name, count]) => ({ name, count })).sort((x, y) => y.count - x.count || (x.name < y.name ? -1 : 1)),
  };
}

/** Runs the query and renders results, count and timeline (`again`: the
 *  shards a first page asked for have arrived). */
export function update(again = false) {
  const { archive } = session;
  if (!archive) return;
  let results;
  try {
    results = hourBounded() ? hourResults(archive) : archive.search(state.q, searchOptions(true));
  } catch (e) {
    if (!again && !hourBounded() && e && e.code === 'pending' && archive.sharded && firstPage(e)) return;
    if (retryWhenLoaded('update', e, update, showQueryError)) return;
    answered('update');
    showQueryError(e);
    return;
  }
  delete document.documentElement.dataset.partial;
  session.lastResults = results;
  const histogram = histogramFor(results);
  if (!histogram) return;
  session.histogramResults = histogram;
  answered('update');
  renderResults(results);
  el.hits.dataset.query = state.q; // which query is on screen (tests and benchmarks wait for it)
  markShown();
  renderTimeline();
  renderFilterState();
  scheduleFacets();
}

/** Puts `q` in the search box and runs it; `push`: as a new history entry. */
export function setQuery(q, push) {
  el.q.value = q;
  state.q = q;
  session.limit = PAGE;
  closeSuggestions();
  update();
  commit(push);
  session.typingEntry = !push;
}
