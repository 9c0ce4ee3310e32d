// The Dateline page: search box with suggestions, timeline with a brush,
// sort, author filter, result cards and the entry view.
//
// Rules this file keeps: corpus text only ever reaches the DOM as text nodes
// (textContent / createTextNode), never as HTML; nothing is fetched from
// another origin; no inline styles (the page runs under a strict CSP).
// All state that a person would want to share lives in the URL.

import { open } from './dateline.js';

const INDEX_URL = 'data/index.dtl';
const PAGE = 20;
const SUGGESTIONS = 8;
const DAY_MS = 86_400_000;
const SVG_NS = 'http://www.w3.org/2000/svg';
const VIEW_W = 1000;
const VIEW_H = 100;

const $ = (id) => document.getElementById(id);
const el = {
  title: $('title'), subtitle: $('subtitle'), form: $('search-form'), q: $('q'),
  suggestions: $('suggestions'), sort: $('sort'), rangeLabel: $('range-label'),
  zoomIn: $('zoom-in'), zoomOut: $('zoom-out'), clearRange: $('clear-range'),
  chart: $('chart'), svg: $('histogram'), axisStart: $('axis-start'), axisEnd: $('axis-end'),
  undated: $('undated'), authors: $('authors'), authorsBox: $('authors-box'), tzNote: $('tz-note'),
  results: $('results'), count: $('count'), notice: $('notice'), hits: $('hits'), more: $('more'),
  dialog: $('entry'), hitTemplate: $('hit-template'),
};

// ---- state -------------------------------------------------------------------

/** What the URL holds. `from`/`to`: inclusive day numbers or null. */
const state = { q: '', from: null, to: null, sort: 'relevance', authors: [], zoom: null, entry: null };
let limit = PAGE;
let archive = null;
let stats = null;
let bounds = null; // [first day, last day] of the whole archive
let lastResults = null;
let histogramResults = null;
let typingEntry = false; // the current history entry was made by typing

// ---- days --------------------------------------------------------------------

function parseDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return null;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  const d = new Date(t);
  if (d.getUTCDate() !== +m[3]) return null;
  return Math.round(t / DAY_MS);
}
const formatDayISO = (n) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const dayFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });
const shortDayFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });
const formatDay = (n) => dayFmt.format(new Date(n * DAY_MS));
const formatShortDay = (n) => shortDayFmt.format(new Date(n * DAY_MS));
let minuteFmt = null; // set once the time zone is known

function formatRange(a, b) {
  if (a === b) return formatDay(a);
  const sameYear = new Date(a * DAY_MS).getUTCFullYear() === new Date(b * DAY_MS).getUTCFullYear();
  return `${sameYear ? formatShortDay(a) : formatDay(a)} – ${formatDay(b)}`;
}

/** How a published time reads: a printed minute in the corpus time zone, an
 *  inferred day, or nothing known. Returns [text, machine-readable datetime]. */
function formatPublished(published, precision) {
  if (!published || precision === 'unknown') return ['Date unknown', ''];
  if (precision === 'day' || published.length === 10) {
    const d = parseDay(published.slice(0, 10));
    return d === null ? [published, ''] : [`${formatDay(d)} (day inferred)`, published.slice(0, 10)];
  }
  const t = new Date(published);
  if (Number.isNaN(t.getTime()) || !minuteFmt) return [published, published];
  return [minuteFmt.format(t), published];
}

// ---- URL ---------------------------------------------------------------------

function readURL() {
  const p = new URLSearchParams(location.search);
  state.q = p.get('q') || '';
  state.from = parseDay(p.get('from'));
  state.to = parseDay(p.get('to'));
  if (state.from !== null && state.to !== null && state.from > state.to) [state.from, state.to] = [state.to, state.from];
  const sort = p.get('sort');
  state.sort = ['relevance', 'newest', 'oldest'].includes(sort) ? sort : 'relevance';
  state.authors = p.getAll('author').filter(Boolean);
  const z = (p.get('zoom') || '').split('..').map(parseDay);
  state.zoom = z.length === 2 && z[0] !== null && z[1] !== null && z[0] <= z[1] ? [z[0], z[1]] : null;
  const m = /^#entry-(\d+)$/.exec(location.hash);
  state.entry = m ? Number(m[1]) : null;
}

function stateURL(withEntry = true) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  if (state.from !== null) p.set('from', formatDayISO(state.from));
  if (state.to !== null) p.set('to', formatDayISO(state.to));
  if (state.sort !== 'relevance') p.set('sort', state.sort);
  for (const a of state.authors) p.append('author', a);
  if (state.zoom) p.set('zoom', `${formatDayISO(state.zoom[0])}..${formatDayISO(state.zoom[1])}`);
  const qs = p.toString();
  const hash = withEntry && state.entry !== null ? `#entry-${state.entry}` : '';
  return `${location.pathname}${qs ? `?${qs}` : ''}${hash}`;
}

/** Records the state in history: `push` makes a new entry (Back returns to
 *  the previous state), otherwise the current one is replaced. */
let commitTimer = 0;
// Closing the entry dialog goes back one history entry; until the browser has
// done so, the page must not write the address (a query typed meanwhile would
// be pushed first and then undone by the traversal, reopening the dialog).
let awaitingBack = false;
function commit(push) {
  clearTimeout(commitTimer);
  if (awaitingBack) return; // the popstate of that step writes it
  const url = stateURL();
  if (url === `${location.pathname}${location.search}${location.hash}`) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

// ---- search ------------------------------------------------------------------

function searchOptions(withRange = true) {
  const o = { sort: state.sort, limit };
  if (withRange && state.from !== null) o.from = formatDayISO(state.from);
  if (withRange && state.to !== null) o.to = formatDayISO(state.to);
  if (state.authors.length) o.authors = state.authors;
  return o;
}

// ---- shards -----------------------------------------------------------------
// A sharded archive answers from what it has loaded; a call that needs more
// throws a `pending` error. The page then keeps what is on screen, fetches
// the shards, and runs the call again — unless a newer one ran meanwhile.

/** Call site → the token of its latest wait. */
const waits = new Map();

/** If `e` is a `pending` error: fetch its shards, then run `again()` (if no
 *  newer call of `key` ran), and return true. */
function retryWhenLoaded(key, e, again) {
  if (!e || e.code !== 'pending' || typeof e.load !== 'function') return false;
  const token = {};
  waits.set(key, token);
  document.documentElement.dataset.pending = 'true';
  const settle = () => {
    if (waits.get(key) !== token) return false;
    waits.delete(key);
    if (!waits.size) delete document.documentElement.dataset.pending;
    return true;
  };
  e.load().then(() => { if (settle()) again(); }, (err) => { if (settle()) showQueryError(err); });
  return true;
}

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
  let r;
  try {
    r = archive.search(state.q, { ...searchOptions(true), limit: Math.min(limit, FIRST_PAGE), partial_ok: true });
  } catch (e) {
    // Fetch what the first cards need (not the whole page's), then start over.
    return retryWhenLoaded('update', e, update);
  }
  lastResults = r;
  renderResults(r);
  el.more.hidden = true;
  el.hits.dataset.query = state.q;
  document.documentElement.dataset.partial = 'true';
  markShown();
  return retryWhenLoaded('update', full, () => update(true));
}

/** A call of `key` answered: an older wait of it must not re-render. */
function answered(key) {
  waits.delete(key);
  if (!waits.size) delete document.documentElement.dataset.pending;
}

/** Runs the query and renders results, count and timeline. */
function update(again = false) {
  if (!archive) return;
  let results;
  try {
    results = archive.search(state.q, searchOptions(true));
  } catch (e) {
    if (!again && e && e.code === 'pending' && archive.sharded && firstPage(e)) return;
    if (retryWhenLoaded('update', e, update)) return;
    answered('update');
    showQueryError(e);
    return;
  }
  delete document.documentElement.dataset.partial;
  lastResults = results;
  // The histogram follows the query but not the brushed range (so that the
  // bars outside the range stay visible); within a zoom it covers the zoom.
  if (state.from === null && state.to === null && !state.zoom) {
    histogramResults = results;
  } else {
    try {
      const o = { ...searchOptions(false), limit: 0 };
      if (state.zoom) { o.from = formatDayISO(state.zoom[0]); o.to = formatDayISO(state.zoom[1]); }
      histogramResults = archive.search(state.q, o);
    } catch (e) {
      if (retryWhenLoaded('update', e, update)) return;
      histogramResults = results;
    }
  }
  answered('update');
  renderResults(results);
  el.hits.dataset.query = state.q; // which query is on screen (tests and benchmarks wait for it)
  markShown();
  renderTimeline();
  scheduleFacets();
}

function showQueryError(e) {
  el.count.textContent = 'That query could not be run.';
  el.notice.hidden = false;
  el.notice.replaceChildren(document.createTextNode(String(e && e.message || e)));
  el.hits.replaceChildren();
  el.more.hidden = true;
}

// ---- results -----------------------------------------------------------------

/** Appends `text` to `parent`, wrapping the UTF-16 ranges in <mark>. */
function appendHighlighted(parent, text, ranges) {
  let at = 0;
  const sorted = (ranges || [])
    .map(([a, b]) => [Math.max(0, a | 0), Math.min(text.length, b | 0)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  for (const [a, b] of sorted) {
    if (a < at) continue; // overlapping: keep the first
    if (a > at) parent.append(document.createTextNode(text.slice(at, a)));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(a, b);
    parent.append(mark);
    at = b;
  }
  if (at < text.length) parent.append(document.createTextNode(text.slice(at)));
}

function countText(results) {
  const n = results.total;
  const noun = n === 1 ? 'entry' : 'entries';
  const parts = [];
  // A partial answer's total is a lower bound (the exact one follows).
  const count = `${results.partial ? 'at least ' : ''}${n.toLocaleString('en-US')}`;
  if (state.q.trim()) parts.push(`${count} ${noun} match “${state.q.trim()}”`);
  else parts.push(`${count} ${noun}`);
  if (state.from !== null || state.to !== null) {
    parts.push(`dated ${formatRange(state.from ?? bounds?.[0] ?? state.to, state.to ?? bounds?.[1] ?? state.from)}`);
  }
  if (state.authors.length) parts.push(`by ${state.authors.join(' or ')}`);
  return parts.join(' ');
}

function renderResults(results) {
  el.count.textContent = countText(results);
  el.notice.hidden = true;
  el.notice.replaceChildren();
  const frag = document.createDocumentFragment();
  for (const hit of results.hits) frag.append(renderHit(hit));
  el.hits.replaceChildren(frag);
  el.more.hidden = results.hits.length >= results.total;
  if (results.total === 0) renderNoResults();
}

function renderHit(hit) {
  const li = el.hitTemplate.content.firstElementChild.cloneNode(true);
  const link = li.querySelector('.hit-link');
  link.href = `#entry-${hit.id}`;
  link.dataset.id = hit.id;
  appendHighlighted(link, hit.title || '(untitled)', hit.title_highlights);
  const [when, datetime] = formatPublished(hit.published, hit.precision);
  const time = li.querySelector('time');
  time.textContent = when;
  if (datetime) time.dateTime = datetime;
  time.classList.add(`precision-${hit.precision}`);
  if (hit.authors && hit.authors.length) li.querySelector('.hit-authors').textContent = hit.authors.join(', ');
  appendHighlighted(li.querySelector('.hit-snippet'), hit.snippet || '', hit.highlights);
  return li;
}

/** Nearest completion of the last word, for the "no results" state. */
function nearestSuggestion() {
  const words = state.q.trim().split(/\s+/);
  const last = (words.pop() || '').replace(/^[-"]+|"+$/g, '');
  for (let k = last.length; k >= 2; k--) {
    let found = [];
    try { found = archive.suggest(last.slice(0, k), 3); } catch (e) {
      if (retryWhenLoaded('update', e, update)) return null;
      found = [];
    }
    const better = found.find((s) => s.term !== last.toLowerCase());
    if (better) return [...words, better.term].join(' ');
  }
  return null;
}

function renderNoResults() {
  el.notice.hidden = false;
  const p = document.createElement('p');
  p.textContent = 'Nothing matches. ';
  const alt = state.q.trim() ? nearestSuggestion() : null;
  if (alt) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'link';
    b.id = 'try-instead';
    b.textContent = `Search for “${alt}” instead`;
    b.addEventListener('click', () => { setQuery(alt, true); el.q.focus(); });
    p.append(b);
  } else if (state.from !== null || state.authors.length) {
    p.append(document.createTextNode('Try clearing the date range or the author filter.'));
  }
  el.notice.replaceChildren(p);
}

function setQuery(q, push) {
  el.q.value = q;
  state.q = q;
  limit = PAGE;
  closeSuggestions();
  update();
  commit(push);
  typingEntry = !push;
}

// ---- authors facet -------------------------------------------------------------

let facetTimer = 0;
/** Author counts follow the query and range; computed after the results are
 *  on screen so that they never slow typing down. */
function scheduleFacets() {
  clearTimeout(facetTimer);
  facetTimer = setTimeout(renderAuthors, 60);
}

const FACET_CAP = 2000;
let facetPartial = false;

function authorCounts() {
  const counts = new Map();
  facetPartial = false;
  const total = lastResults ? lastResults.total : 0;
  if (!state.q.trim() && state.from === null && state.to === null && stats && Array.isArray(stats.authors)) {
    // Nothing narrows the archive: the index's own table has the counts.
    for (const a of stats.authors) counts.set(a.name, a.count);
  } else if (total > 0) {
    // The engine has no author facet yet: count over the matches (the first
    // FACET_CAP of them, on a very large archive).
    const o = { ...searchOptions(true), authors: undefined, limit: Math.min(total, FACET_CAP), sort: 'relevance' };
    facetPartial = total > FACET_CAP;
    let res;
    if (archive.sharded) {
      // Counting over a thousand matches would fetch a thousand entry
      // blocks: a sharded archive counts over the page on screen.
      res = lastResults || { hits: [] };
      facetPartial = total > res.hits.length;
    } else {
      try { res = archive.search(state.q, o); } catch { res = { hits: [] }; }
    }
    for (const h of res.hits) for (const a of h.authors || []) counts.set(a, (counts.get(a) || 0) + 1);
  }
  for (const a of state.authors) if (!counts.has(a)) counts.set(a, 0);
  return [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
}

function renderAuthors() {
  if (!archive) return;
  const counts = authorCounts();
  const legend = el.authors.querySelector('legend');
  const frag = document.createDocumentFragment();
  frag.append(legend);
  if (facetPartial) {
    const p = document.createElement('p');
    p.className = 'muted facet-note';
    p.textContent = `Counts among the ${FACET_CAP.toLocaleString('en-US')} best matches.`;
    frag.append(p);
  }
  if (!counts.length) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = 'No bylines among these entries.';
    frag.append(p);
  }
  for (const [name, n] of counts) {
    const label = document.createElement('label');
    label.className = 'author';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = name;
    box.checked = state.authors.includes(name);
    const span = document.createElement('span');
    span.className = 'author-name';
    span.textContent = name;
    const count = document.createElement('span');
    count.className = 'author-count';
    count.textContent = String(n);
    count.setAttribute('aria-label', `${n} ${n === 1 ? 'entry' : 'entries'}`);
    label.append(box, span, count);
    frag.append(label);
  }
  const focused = document.activeElement && el.authors.contains(document.activeElement) ? document.activeElement.value : null;
  el.authors.replaceChildren(frag);
  if (focused !== null) {
    const again = [...el.authors.querySelectorAll('input')].find((i) => i.value === focused);
    if (again) again.focus();
  }
}

el.authors.addEventListener('change', (e) => {
  const box = e.target;
  if (!(box instanceof HTMLInputElement)) return;
  state.authors = box.checked ? [...state.authors, box.value] : state.authors.filter((a) => a !== box.value);
  limit = PAGE;
  update();
  commit(true);
  typingEntry = false;
});

// ---- suggestions (WAI-ARIA combobox) ---------------------------------------------

let options = [];
let active = -1;

function lastWord(value) {
  if (/\s$/.test(value)) return '';
  const m = /[^\s]+$/.exec(value);
  return m ? m[0].replace(/^[-"]+/, '').replace(/"+$/, '') : '';
}

function updateSuggestions() {
  const word = lastWord(el.q.value);
  options = [];
  if (archive && word.length >= 1) {
    try { options = archive.suggest(word, SUGGESTIONS) || []; answered('suggest'); } catch (e) {
      if (retryWhenLoaded('suggest', e, updateSuggestions)) return;
      options = [];
    }
    // Nothing to complete when the only completion is the word itself.
    if (options.length === 1 && options[0].term === word.toLowerCase()) options = [];
  }
  active = -1;
  renderSuggestions();
}

function renderSuggestions() {
  const frag = document.createDocumentFragment();
  options.forEach((s, i) => {
    const li = document.createElement('li');
    li.id = `suggestion-${i}`;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', String(i === active));
    li.dataset.index = i;
    const term = document.createElement('span');
    term.className = 'term';
    term.textContent = s.term;
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = String(s.count);
    count.setAttribute('aria-label', `, ${s.count} ${s.count === 1 ? 'entry' : 'entries'}`);
    li.append(term, count);
    frag.append(li);
  });
  el.suggestions.replaceChildren(frag);
  const open = options.length > 0;
  el.suggestions.hidden = !open;
  el.q.setAttribute('aria-expanded', String(open));
  if (open && active >= 0) el.q.setAttribute('aria-activedescendant', `suggestion-${active}`);
  else el.q.removeAttribute('aria-activedescendant');
}

function closeSuggestions() {
  options = [];
  active = -1;
  renderSuggestions();
}

function moveActive(delta) {
  if (!options.length) return;
  active = active < 0 ? (delta > 0 ? 0 : options.length - 1) : (active + delta + options.length) % options.length;
  renderSuggestions();
  const li = document.getElementById(`suggestion-${active}`);
  if (li) li.scrollIntoView({ block: 'nearest' });
}

function accept(i) {
  const s = options[i];
  if (!s) return;
  const value = el.q.value;
  const m = /([-"]*)([^\s"]*)("?)$/.exec(value);
  const head = m ? value.slice(0, m.index) + m[1] : value;
  setQuery(`${head}${s.term} `, true);
  el.q.focus();
}

el.q.addEventListener('input', (e) => {
  const start = e.timeStamp;
  state.q = el.q.value;
  limit = PAGE;
  update();
  updateSuggestions();
  // The first keystroke makes a history entry; the next ones rewrite it
  // once typing pauses (replaceState costs 10–30 ms a call in Chromium,
  // more than a search).
  if (!typingEntry) commit(true);
  else {
    clearTimeout(commitTimer);
    commitTimer = setTimeout(() => commit(false), 300);
  }
  typingEntry = true;
  measureKeystroke(start);
  prepareNext();
});

/** After a space the next keystroke starts a word: compute the words typed
 *  so far ahead, once the page is idle, so that neither keystroke waits. */
function prepareNext() {
  if (!archive || !/\s$/.test(state.q)) return;
  const q = state.q;
  const later = window.requestIdleCallback || ((f) => setTimeout(f, 50));
  later(() => { if (archive && state.q === q) archive.prepare(q); }, { timeout: 200 });
}

el.q.addEventListener('keydown', (e) => {
  const open = options.length > 0;
  switch (e.key) {
    case 'ArrowDown':
      if (!open) updateSuggestions();
      moveActive(1);
      e.preventDefault();
      break;
    case 'ArrowUp':
      if (open) { moveActive(-1); e.preventDefault(); }
      break;
    case 'Enter':
      e.preventDefault();
      if (open && active >= 0) accept(active);
      else { closeSuggestions(); commit(true); typingEntry = false; }
      break;
    case 'Escape':
      if (open) { closeSuggestions(); e.preventDefault(); }
      else if (el.q.value) { e.preventDefault(); setQuery('', true); }
      break;
    case 'Tab':
      closeSuggestions();
      break;
    default:
  }
});

el.q.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== el.q) closeSuggestions(); }, 0));
el.suggestions.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the box
el.suggestions.addEventListener('click', (e) => {
  const li = e.target.closest('[role="option"]');
  if (li) accept(Number(li.dataset.index));
});
el.form.addEventListener('submit', (e) => e.preventDefault());

el.sort.addEventListener('change', () => {
  state.sort = el.sort.value;
  limit = PAGE;
  update();
  commit(true);
  typingEntry = false;
});

el.more.addEventListener('click', () => {
  const first = lastResults ? lastResults.hits.length : 0;
  limit += PAGE;
  update();
  const next = el.hits.children[first];
  const link = next && next.querySelector('a');
  if (link) link.focus();
});

// "/" focuses the search box from anywhere (except where one is typing).
document.addEventListener('keydown', (e) => {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || el.dialog.open) return;
  const t = e.target;
  const typing = t instanceof HTMLElement && (t.isContentEditable || t.tagName === 'TEXTAREA' ||
    (t instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'range'].includes(t.type)));
  if (typing) return;
  e.preventDefault();
  el.q.focus();
  el.q.select();
});

// ---- timeline ------------------------------------------------------------------

/** The days the chart spans now: the zoom, or the whole archive. */
function domain() {
  if (state.zoom) return state.zoom;
  return bounds || [0, 0];
}

/** Buckets of the histogram: per day, or per hour when the engine gave hours. */
function buckets() {
  const [d0, d1] = domain();
  const hist = (histogramResults && histogramResults.histogram) || [];
  // Per hour when the engine gave hours (a range of at most three days);
  // then entries known only to the day have `hour: null` and are counted apart.
  const hourly = hist.some((b) => 'hour' in b);
  const per = hourly ? 24 : 1;
  const n = (d1 - d0 + 1) * per;
  const counts = new Array(Math.max(n, 1)).fill(0);
  let dayOnly = 0;
  for (const b of hist) {
    const d = parseDay(b.day);
    if (d === null || d < d0 || d > d1) continue;
    if (hourly && (b.hour === null || b.hour === undefined)) { dayOnly += b.count; continue; }
    const i = (d - d0) * per + (hourly ? (b.hour | 0) : 0);
    if (i >= 0 && i < n) counts[i] += b.count;
  }
  return { counts, per, d0, d1, dayOnly };
}

const svg = (name, attrs = {}) => {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
};

let handles = null; // the two slider elements, kept across renders for focus

/** The timeline's SVG parts, made once (see `renderTimeline`). */
let chart = null;

function renderTimeline() {
  const { counts, per, d0, d1, dayOnly } = buckets();
  const days = d1 - d0 + 1;
  const max = Math.max(1, ...counts);
  const bw = VIEW_W / counts.length;
  el.svg.setAttribute('viewBox', `0 0 ${VIEW_W} ${VIEW_H}`);
  if (!chart) {
    chart = {
      tip: svg('title'),
      bars: svg('g', { class: 'bars', 'aria-hidden': 'true' }),
      out: svg('path', { class: 'bar' }),
      in: svg('path', { class: 'bar in' }),
      brush: svg('g', { class: 'brush' }),
      drawn: null, // what the bars show, for the tooltip
    };
    chart.bars.append(chart.out, chart.in);
    el.svg.replaceChildren(chart.tip, svg('rect', { class: 'background', x: 0, y: 0, width: VIEW_W, height: VIEW_H }), chart.bars, chart.brush);
    el.svg.addEventListener('pointermove', (e) => showTip(e.clientX));
  }
  // The bars are two paths (in the range and out of it), written once per
  // render: a year of days is hundreds of bars, and updating as many
  // elements cost more than the search.
  const w = Math.max(bw * 0.84, 0.5).toFixed(3);
  const paths = { in: [], out: [] };
  counts.forEach((c, i) => {
    if (c === 0) return;
    const day = d0 + Math.floor(i / per);
    const inRange = (state.from === null || day >= state.from) && (state.to === null || day <= state.to);
    const h = Math.max(3, (c / max) * (VIEW_H - 8));
    paths[inRange ? 'in' : 'out'].push(`M${(i * bw + bw * 0.08).toFixed(3)} ${(VIEW_H - h).toFixed(3)}h${w}v${h.toFixed(3)}h-${w}z`);
  });
  chart.in.setAttribute('d', paths.in.join(''));
  chart.out.setAttribute('d', paths.out.join(''));
  chart.drawn = { counts, per, d0 };
  // What is drawn, bar by bar (the tests read it).
  el.svg.dataset.bars = String(counts.length);
  el.svg.dataset.counts = counts.join(',');

  // The brush: a shaded selection with two handles (sliders).
  const hasRange = state.from !== null || state.to !== null;
  const a = Math.max(d0, Math.min(d1, state.from ?? d0));
  const b = Math.max(d0, Math.min(d1, state.to ?? d1));
  const x0 = ((a - d0) / days) * VIEW_W;
  const x1 = ((b - d0 + 1) / days) * VIEW_W;
  if (hasRange) chart.brush.replaceChildren(svg('rect', { class: 'selection', x: x0, y: 0, width: Math.max(0, x1 - x0), height: VIEW_H }));
  else chart.brush.replaceChildren();

  // Handles live outside the stretched SVG (HTML elements positioned in %),
  // so they keep their shape and can take focus like any control.
  if (!handles) {
    handles = ['start', 'end'].map((which) => {
      const h = document.createElement('div');
      h.className = `handle handle-${which}`;
      h.tabIndex = 0;
      h.setAttribute('role', 'slider');
      h.setAttribute('aria-label', which === 'start' ? 'Range start' : 'Range end');
      h.setAttribute('aria-describedby', 'chart-help');
      h.dataset.which = which;
      h.addEventListener('keydown', onHandleKey);
      h.addEventListener('pointerdown', onHandlePointerDown);
      el.chart.append(h);
      return h;
    });
  }
  const [hs, he] = handles;
  hs.style.left = `${(x0 / VIEW_W) * 100}%`;
  he.style.left = `${(x1 / VIEW_W) * 100}%`;
  for (const [h, v] of [[hs, a], [he, b]]) {
    h.setAttribute('aria-valuemin', String(d0));
    h.setAttribute('aria-valuemax', String(d1));
    h.setAttribute('aria-valuenow', String(v));
    h.setAttribute('aria-valuetext', formatDay(v));
    h.classList.toggle('idle', !hasRange);
  }

  renderTicks(d0, d1, per === 24);
  el.axisStart.textContent = formatDay(d0);
  el.axisEnd.textContent = formatDay(d1);
  const und = histogramResults ? histogramResults.undated || 0 : 0;
  const apart = [];
  if (dayOnly) apart.push(`${dayOnly} dated to the day only`);
  if (und) apart.push(`${und} undated`);
  el.undated.textContent = apart.length ? `+ ${apart.join(', ')} (not on the chart)` : '';
  el.rangeLabel.textContent = hasRange ? formatRange(a, b) : state.zoom ? `Zoomed: ${formatRange(d0, d1)}` : 'All dates';
  el.clearRange.disabled = !hasRange;
  el.zoomIn.disabled = !hasRange || (state.zoom && a === d0 && b === d1);
  el.zoomOut.hidden = !state.zoom;
}

/** The bar under the pointer, in the chart's tooltip. */
function showTip(clientX) {
  if (!chart || !chart.drawn) return;
  const { counts, per, d0 } = chart.drawn;
  const i = Math.floor(chartFraction(clientX) * counts.length);
  const c = counts[i];
  const day = d0 + Math.floor(i / per);
  const when = per === 24 ? `${formatDay(day)}, ${String(i % 24).padStart(2, '0')}:00` : formatDay(day);
  const text = `${when}: ${c} ${c === 1 ? 'entry' : 'entries'}`;
  if (chart.tip.textContent !== text) chart.tip.textContent = text;
}

/** Day labels under the chart: every day, every week (Mondays) or every
 *  month, whichever fits; none too close to the two ends, which are labelled. */
let ticksFor = '';
const MONTH = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short' });

function renderTicks(d0, d1, hourly) {
  // They follow the domain only: most renders (every keystroke) keep them.
  const key = `${d0} ${d1} ${hourly}`;
  if (key === ticksFor) return;
  ticksFor = key;
  const days = d1 - d0 + 1;
  const ticks = [];
  for (let d = d0; d <= d1; d++) {
    const date = new Date(d * DAY_MS);
    const keep = days <= 10 ? true
      : days <= 90 ? date.getUTCDay() === 1
      : date.getUTCDate() === 1;
    if (keep) ticks.push(d);
  }
  const frag = document.createDocumentFragment();
  for (const d of ticks) {
    const at = ((d - d0 + (hourly ? 0 : 0.5)) / days) * 100;
    if (at < 9 || at > 91) continue;
    const span = document.createElement('span');
    span.textContent = days > 90 ? MONTH.format(new Date(d * DAY_MS)) : formatShortDay(d);
    span.style.left = `${at}%`;
    frag.append(span);
  }
  $('ticks').replaceChildren(frag);
}

function setRange(from, to, push) {
  const [d0, d1] = domain();
  if (from !== null && to !== null && from > to) [from, to] = [to, from];
  // A range that covers the whole domain is no range.
  if (from !== null && to !== null && from <= d0 && to >= d1 && !state.zoom) { from = null; to = null; }
  state.from = from;
  state.to = to;
  limit = PAGE;
  update();
  if (push !== undefined) { commit(push); typingEntry = false; }
}

/** Where `clientX` falls across the chart, in [0, 1). */
function chartFraction(clientX) {
  const r = el.svg.getBoundingClientRect();
  return Math.min(0.999999, Math.max(0, (clientX - r.left) / Math.max(1, r.width)));
}

function dayAtClientX(clientX) {
  const [d0, d1] = domain();
  return d0 + Math.floor(chartFraction(clientX) * (d1 - d0 + 1));
}

let drag = null;
el.svg.addEventListener('pointerdown', (e) => {
  if (!bounds || e.button !== 0) return;
  const day = dayAtClientX(e.clientX);
  const inside = state.from !== null && state.to !== null && day >= state.from && day <= state.to;
  drag = inside && (state.to > state.from)
    ? { mode: 'move', grab: day, from: state.from, to: state.to }
    : { mode: 'new', anchor: day };
  el.svg.setPointerCapture(e.pointerId);
  if (drag.mode === 'new') setRange(day, day);
  e.preventDefault();
});
el.svg.addEventListener('pointermove', (e) => {
  if (!drag || drag.mode === 'handle') return;
  const day = dayAtClientX(e.clientX);
  if (drag.mode === 'new') {
    setRange(Math.min(drag.anchor, day), Math.max(drag.anchor, day));
  } else {
    const [d0, d1] = domain();
    const len = drag.to - drag.from;
    const from = Math.max(d0, Math.min(d1 - len, drag.from + day - drag.grab));
    setRange(from, from + len);
  }
});
const endDrag = () => {
  if (!drag) return;
  drag = null;
  commit(true);
  typingEntry = false;
};
el.svg.addEventListener('pointerup', endDrag);
el.svg.addEventListener('pointercancel', endDrag);

function onHandlePointerDown(e) {
  if (!bounds || e.button !== 0) return;
  const target = e.currentTarget;
  const which = target.dataset.which;
  const [d0, d1] = domain();
  drag = { mode: 'handle', which, other: which === 'start' ? (state.to ?? d1) : (state.from ?? d0) };
  target.setPointerCapture(e.pointerId);
  target.focus();
  e.preventDefault();
  const move = (ev) => {
    if (!drag) return;
    const day = dayAtClientX(ev.clientX);
    setRange(Math.min(day, drag.other), Math.max(day, drag.other));
  };
  const up = () => {
    target.removeEventListener('pointermove', move);
    target.removeEventListener('pointerup', up);
    target.removeEventListener('pointercancel', up);
    endDrag();
  };
  target.addEventListener('pointermove', move);
  target.addEventListener('pointerup', up);
  target.addEventListener('pointercancel', up);
}

function onHandleKey(e) {
  const which = e.currentTarget.dataset.which;
  const [d0, d1] = domain();
  let from = state.from ?? d0;
  let to = state.to ?? d1;
  const step = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -7, PageUp: 7 }[e.key];
  if (step === undefined && e.key !== 'Home' && e.key !== 'End') {
    if (e.key === 'Escape' && (state.from !== null || state.to !== null)) { setRange(null, null, true); e.preventDefault(); }
    return;
  }
  e.preventDefault();
  if (which === 'start') {
    from = e.key === 'Home' ? d0 : e.key === 'End' ? to : Math.max(d0, Math.min(to, from + step));
  } else {
    to = e.key === 'Home' ? from : e.key === 'End' ? d1 : Math.max(from, Math.min(d1, to + step));
  }
  setRange(from, to, false);
  typingEntry = false;
}

el.clearRange.addEventListener('click', () => setRange(null, null, true));
el.zoomIn.addEventListener('click', () => {
  if (state.from === null && state.to === null) return;
  const [d0, d1] = domain();
  state.zoom = [state.from ?? d0, state.to ?? d1];
  update();
  commit(true);
});
el.zoomOut.addEventListener('click', () => {
  state.zoom = null;
  update();
  commit(true);
});

// ---- entry view ------------------------------------------------------------------

let openedHere = false; // the dialog's history entry was pushed by this page

function renderEntry(entry) {
  const [when, datetime] = formatPublished(entry.published, entry.precision);
  const time = $('entry-date');
  time.textContent = when;
  if (datetime) time.dateTime = datetime; else time.removeAttribute('datetime');
  $('entry-precision').textContent = entry.precision === 'minute' ? '(printed timestamp)' : '';
  $('entry-title').textContent = entry.title || '(untitled)';
  $('entry-authors').textContent = entry.authors && entry.authors.length ? `By ${entry.authors.join(', ')}` : '';
  const body = document.createDocumentFragment();
  for (const para of String(entry.body || '').split(/\n\s*\n/)) {
    if (!para.trim()) continue;
    const p = document.createElement('p');
    p.textContent = para;
    body.append(p);
  }
  $('entry-body').replaceChildren(body);
  const media = document.createDocumentFragment();
  for (const m of entry.media || []) {
    const fig = document.createElement('figure');
    fig.className = 'media';
    const cap = document.createElement('figcaption');
    const label = document.createElement('span');
    label.className = 'media-label';
    label.textContent = 'Photo: ';
    cap.append(label, document.createTextNode(m.caption || ''));
    if (m.credit) {
      const credit = document.createElement('span');
      credit.className = 'credit';
      credit.textContent = ` (${m.credit})`;
      cap.append(credit);
    }
    fig.append(cap);
    media.append(fig);
  }
  $('entry-media').replaceChildren(media);
  const sources = document.createDocumentFragment();
  for (const s of entry.sources || []) {
    const li = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = s.file;
    const [a, b] = s.lines || [];
    li.append(code, document.createTextNode(a === b ? `, line ${a}` : `, lines ${a}–${b}`));
    sources.append(li);
  }
  $('entry-sources').replaceChildren(sources);
  $('entry-basis').textContent = entry.date_basis ? `Dated from: ${entry.date_basis}` : '';
  const link = $('entry-link');
  link.href = `${stateURL(false)}#entry-${entry.id}`;
  link.textContent = `Permalink: #entry-${entry.id}`;
}

function syncEntry() {
  if (state.entry === null || !archive) {
    if (el.dialog.open) el.dialog.close();
    return;
  }
  let entry = null;
  try { entry = archive.entry(state.entry); answered('entry'); } catch (e) {
    if (retryWhenLoaded('entry', e, syncEntry)) return;
    entry = null;
  }
  if (!entry) {
    el.notice.hidden = false;
    el.notice.replaceChildren(document.createTextNode(`There is no entry #${state.entry} in this archive.`));
    if (el.dialog.open) el.dialog.close();
    return;
  }
  renderEntry(entry);
  if (!el.dialog.open) el.dialog.showModal();
  $('entry-close').focus();
  el.dialog.scrollTop = 0;
}

el.hits.addEventListener('click', (e) => {
  const a = e.target.closest('a.hit-link');
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  state.entry = Number(a.dataset.id);
  openedHere = true;
  commit(true);
  typingEntry = false;
  syncEntry();
});

el.dialog.addEventListener('close', () => {
  if (state.entry === null) return;
  state.entry = null;
  if (openedHere) {
    openedHere = false;
    awaitingBack = true;
    history.back();
  } else {
    commit(false);
  }
  const link = el.hits.querySelector(`a[href$="#entry-${/\d+/.exec(location.hash)?.[0] ?? ''}"]`);
  (link || el.q).focus();
});

// Clicking the backdrop closes the dialog.
el.dialog.addEventListener('click', (e) => { if (e.target === el.dialog) el.dialog.close(); });

window.addEventListener('popstate', () => {
  openedHere = false;
  if (awaitingBack) {
    // Our own step back from the dialog: keep what is on screen (it may have
    // changed since), and give it its own entry if it did.
    awaitingBack = false;
    typingEntry = false;
    commit(true);
    return;
  }
  readURL();
  applyStateToControls();
  update();
  syncEntry();
  typingEntry = false;
});
window.addEventListener('hashchange', () => {
  readURL();
  syncEntry();
});

function applyStateToControls() {
  if (el.q.value !== state.q) el.q.value = state.q;
  el.sort.value = state.sort;
  limit = PAGE;
  closeSuggestions();
}

// ---- measurements (read by tests/e2e/bench.mjs) ----------------------------------

/** Marks the moment results of the current query are on screen (the first
 *  cards, or the whole page): the sharded benchmark counts the bytes
 *  fetched before it. */
function markShown() {
  try { performance.mark('dateline:shown', { detail: state.q }); } catch { /* old browsers */ }
}

function measureKeystroke(start) {
  const end = performance.now();
  try {
    performance.measure('dateline:keystroke', { start, end });
    // And to the next frame, i.e. when the browser can paint the change.
    requestAnimationFrame(() => performance.measure('dateline:keystroke-frame', { start, end: performance.now() }));
  } catch { /* performance.measure with options is not everywhere */ }
}

// ---- start -----------------------------------------------------------------------

function showLoadError(e) {
  document.documentElement.dataset.state = 'error';
  el.subtitle.textContent = 'Search is unavailable.';
  el.count.textContent = '';
  document.querySelector('.timeline').hidden = true;
  el.authorsBox.hidden = true;
  el.notice.hidden = false;
  const strong = document.createElement('strong');
  strong.textContent = 'The archive could not be loaded. ';
  el.notice.replaceChildren(strong, document.createTextNode(String(e && e.message || e)));
  el.notice.classList.add('error');
  el.q.disabled = true;
  el.q.placeholder = 'Search is unavailable';
}

async function start() {
  document.documentElement.dataset.state = 'loading';
  readURL();
  applyStateToControls();
  // On a narrow screen the author list would push the results down: folded.
  if (window.matchMedia('(max-width: 760px)').matches && !state.authors.length) el.authorsBox.open = false;
  el.q.focus();
  try {
    archive = await open(INDEX_URL);
  } catch (e) {
    showLoadError(e);
    return;
  }
  try { stats = archive.stats() || {}; } catch { stats = {}; }
  const tz = stats.timezone || stats.time_zone || 'UTC';
  try {
    minuteFmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
  } catch {
    minuteFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
  }
  // The archive's span, from the stats or from an empty query's histogram.
  let first = parseDay(stats.first_day || stats.from || '');
  let last = parseDay(stats.last_day || stats.to || '');
  if (first === null || last === null) {
    const all = archive.search('', { limit: 0 });
    const days = (all.histogram || []).map((b) => parseDay(b.day)).filter((d) => d !== null);
    first = days.length ? Math.min(...days) : Math.floor(Date.now() / DAY_MS);
    last = days.length ? Math.max(...days) : first;
  }
  bounds = [first, last];
  const title = stats.title || 'Dateline';
  el.title.textContent = title;
  document.title = `${title} · Dateline`;
  const n = stats.entries ?? stats.entry_count ?? null;
  el.subtitle.textContent = `${n !== null ? `${Number(n).toLocaleString('en-US')} entries, ` : ''}${formatRange(first, last)}. Search runs in your browser.`;
  el.tzNote.textContent = `Times are shown in the archive's time zone, ${tz}.`;
  document.documentElement.dataset.state = 'ready';
  // Whatever was typed while loading counts.
  state.q = el.q.value;
  update();
  syncEntry();
  performance.mark('dateline:ready');
}

start();
