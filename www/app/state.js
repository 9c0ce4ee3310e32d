// What the page shows, and the address that records it.
//
// `state` is what a person would want to share: it lives in the URL (query,
// range, sort, authors, zoom, the open entry). `session` is the rest: the
// opened archive, the last results, how many cards are shown. `commit`
// writes `state` into the address bar and history.

import { formatRange, formatShortDay, isoDay, parseDay } from '../dates.js';

/** Cards per page ("Show more" adds as many). */
export const PAGE = 20;

/** What the URL holds. `from`/`to`: inclusive day numbers or null;
 *  `fromHour`/`toHour`: the first and last hour (0–23, in the archive's
 *  printed time) within them, or null for the whole day — only when both
 *  days are set and at most three days apart (an hourly brush). */
export const state = {
  q: '', from: null, to: null, fromHour: null, toHour: null, sort: 'relevance', authors: [], zoom: null, entry: null,
};

/** The longest range, in days, that may carry hours. */
export const HOURLY_DAYS = 3;

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH` -> [day, hour or null]; [null, null] for
 *  anything else. */
function parseBound(s) {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}))?$/.exec(s || '');
  const day = m ? parseDay(m[1]) : null;
  if (day === null) return [null, null];
  const hour = m[2] === undefined ? null : Number(m[2]);
  return [day, hour !== null && hour < 24 ? hour : null];
}

const bound = (day, hour) => `${isoDay(day)}${hour === null ? '' : `T${String(hour).padStart(2, '0')}`}`;

/** The range has hours (an hourly brush). */
export const hourBounded = () => state.fromHour !== null || state.toHour !== null;

/** Drops hours from a range that cannot carry them. */
export function checkHours() {
  if (state.from === null || state.to === null || state.to - state.from >= HOURLY_DAYS) {
    state.fromHour = null;
    state.toHour = null;
  }
}

/** The brushed range in words: "Mar 1 – Mar 4, 2022", or with hours
 *  "Mar 2, 05:00 – Mar 3, 18:00". */
export function rangeText() {
  const [b0, b1] = session.bounds || [null, null];
  const a = state.from ?? b0 ?? state.to;
  const b = state.to ?? b1 ?? state.from;
  if (!hourBounded()) return formatRange(a, b);
  const h = (n) => `${String(n).padStart(2, '0')}:00`;
  return `${formatShortDay(a)}, ${h(state.fromHour ?? 0)} – ${a === b ? '' : `${formatShortDay(b)}, `}${h((state.toHour ?? 23) + 1)}`;
}

/** What the page holds besides the URL's state. */
export const session = {
  /** Cards asked for. */
  limit: PAGE,
  /** The opened archive (the Explorer of dateline.js), once loaded. */
  archive: null,
  /** `archive.stats()`. */
  stats: null,
  /** [first day, last day] of the whole archive. */
  bounds: null,
  /** The results on screen, and those the timeline draws. */
  lastResults: null,
  histogramResults: null,
  /** The format of printed minutes, in the archive's time zone. */
  minuteFmt: null,
  /** The current history entry was made by typing. */
  typingEntry: false,
  /** Closing the entry dialog goes back one history entry; until the browser
   *  has done so, the page must not write the address (a query typed
   *  meanwhile would be pushed first and then undone by the traversal,
   *  reopening the dialog). */
  awaitingBack: false,
};

/** What the page does when the state changes, bound by app.js: `update()`
 *  runs the query and renders results, count, timeline and authors;
 *  `setQuery(q, push)` puts a new query in the box and runs it. They are
 *  bound late because the module that runs the search (search.js) imports
 *  the modules that render, which call them back: an import cycle, which
 *  `dateline publish` cannot content-hash. */
export const actions = {
  update() {},
  setQuery() {},
};

/** Reads `state` from the address. */
export function readURL() {
  const p = new URLSearchParams(location.search);
  state.q = p.get('q') || '';
  [state.from, state.fromHour] = parseBound(p.get('from'));
  [state.to, state.toHour] = parseBound(p.get('to'));
  if (state.from !== null && state.to !== null && state.from > state.to) {
    [state.from, state.to, state.fromHour, state.toHour] = [state.to, state.from, state.toHour, state.fromHour];
  }
  checkHours();
  if (state.from === state.to && state.fromHour !== null && state.toHour !== null && state.fromHour > state.toHour) {
    [state.fromHour, state.toHour] = [state.toHour, state.fromHour];
  }
  const sort = p.get('sort');
  state.sort = ['relevance', 'newest', 'oldest'].includes(sort) ? sort : 'relevance';
  state.authors = p.getAll('author').filter(Boolean);
  const z = (p.get('zoom') || '').split('..').map(parseDay);
  state.zoom = z.length === 2 && z[0] !== null && z[1] !== null && z[0] <= z[1] ? [z[0], z[1]] : null;
  const m = /^#entry-(\d+)$/.exec(location.hash);
  state.entry = m ? Number(m[1]) : null;
}

/** The address of `state` (with the open entry's hash, or without). */
export function stateURL(withEntry = true) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  if (state.from !== null) p.set('from', bound(state.from, state.fromHour));
  if (state.to !== null) p.set('to', bound(state.to, state.toHour));
  if (state.sort !== 'relevance') p.set('sort', state.sort);
  for (const a of state.authors) p.append('author', a);
  if (state.zoom) p.set('zoom', `${isoDay(state.zoom[0])}..${isoDay(state.zoom[1])}`);
  const qs = p.toString();
  const hash = withEntry && state.entry !== null ? `#entry-${state.entry}` : '';
  return `${location.pathname}${qs ? `?${qs}` : ''}${hash}`;
}

let commitTimer = 0;

/** Records the state in history: `push` makes a new entry (Back returns to
 *  the previous state), otherwise the current one is replaced. */
export function commit(push) {
  clearTimeout(commitTimer);
  if (session.awaitingBack) return; // the popstate of that step writes it
  const url = stateURL();
  if (url === `${location.pathname}${location.search}${location.hash}`) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

/** Replaces the current history entry once typing pauses (replaceState
 *  costs 10–30 ms a call in Chromium, more than a search). */
export function commitLater() {
  clearTimeout(commitTimer);
  commitTimer = setTimeout(() => commit(false), 300);
}

/** A change a person made (not typing): a new history entry. */
export function commitStep() {
  commit(true);
  session.typingEntry = false;
}

/** The options of `archive.search` for the state: with the brushed range,
 *  or without it (the timeline's bars). */
export function searchOptions(withRange = true) {
  const o = { sort: state.sort, limit: session.limit };
  if (withRange && state.from !== null) o.from = isoDay(state.from);
  if (withRange && state.to !== null) o.to = isoDay(state.to);
  if (state.authors.length) o.authors = state.authors;
  return o;
}
