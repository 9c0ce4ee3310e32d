// The Dateline page: search box with suggestions, timeline with a brush,
// sort, author filter, result cards and the entry view. This module opens
// the archive and wires the parts, which live in app/ by concern:
//
//   state.js       the state, the URL that holds it, history
//   search.js      runs the query, renders what follows it
//   results.js     count, cards, "Show more", no results
//   suggest.js     the search box and its suggestions (combobox)
//   facets.js      the author filter, and the filters' panel
//   timeline.js    histogram, brush, zoom
//   entry-view.js  the entry dialog
//   pending.js     shards fetched on demand (sharded archives)
//   bench.js       performance marks for the benchmarks
//   dom.js         the page's elements
//
// and share ../dates.js and ../highlight.js with the custom element.
//
// Rules the page keeps: corpus text only ever reaches the DOM as text nodes
// (textContent / createTextNode), never as HTML; nothing is fetched from
// another origin; no inline styles (the page runs under a strict CSP).
// All state that a person would want to share lives in the URL.

import { DAY_MS, formatCount, formatRange, minuteFormat, parseDay } from './dates.js';
import { open } from './dateline.js';
import { el } from './app/dom.js';
import { forgetOpenedHere, initEntryView, syncEntry } from './app/entry-view.js';
import { initFacets, initPanel } from './app/facets.js';
import { initResults } from './app/results.js';
import { setQuery, update } from './app/search.js';
import { PAGE, actions, commitStep, readURL, session, state } from './app/state.js';
import { closeSuggestions, initSearchBox } from './app/suggest.js';
import { initTimeline } from './app/timeline.js';

const INDEX_URL = 'data/index.dtl';

Object.assign(actions, { update, setQuery });

/** The controls show the state (after the address changed). */
function applyStateToControls() {
  if (el.q.value !== state.q) el.q.value = state.q;
  el.sort.value = state.sort;
  session.limit = PAGE;
  closeSuggestions();
}

function initPage() {
  initSearchBox();
  initResults();
  initFacets();
  initTimeline();
  initEntryView();
  initPanel();
  el.sort.addEventListener('change', () => {
    state.sort = el.sort.value;
    session.limit = PAGE;
    update();
    commitStep();
  });
  window.addEventListener('popstate', () => {
    forgetOpenedHere();
    if (session.awaitingBack) {
      // Our own step back from the dialog: keep what is on screen (it may
      // have changed since), and give it its own entry if it did.
      session.awaitingBack = false;
      commitStep();
      return;
    }
    readURL();
    applyStateToControls();
    update();
    syncEntry();
    session.typingEntry = false;
  });
  window.addEventListener('hashchange', () => {
    readURL();
    syncEntry();
  });
}

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

/** The archive's span, from the stats or from an empty query's histogram. */
function archiveBounds(archive, stats) {
  let first = parseDay(stats.first_day || stats.from || '');
  let last = parseDay(stats.last_day || stats.to || '');
  if (first === null || last === null) {
    const all = archive.search('', { limit: 0 });
    const days = (all.histogram || []).map((b) => parseDay(b.day)).filter((d) => d !== null);
    first = days.length ? Math.min(...days) : Math.floor(Date.now() / DAY_MS);
    last = days.length ? Math.max(...days) : first;
  }
  return [first, last];
}

/** Title, subtitle and time-zone note, from the archive's stats. */
function describeArchive(stats, tz) {
  const [first, last] = session.bounds;
  const title = stats.title || 'Dateline';
  el.title.textContent = title;
  document.title = `${title} · Dateline`;
  const n = stats.entries ?? stats.entry_count ?? null;
  el.subtitle.textContent = `${n !== null ? `${formatCount(Number(n))} entries, ` : ''}${formatRange(first, last)}. Search runs in your browser.`;
  el.tzNote.textContent = tz
    ? `Times are shown in the archive's time zone, ${tz}.`
    : 'The archive names no time zone: times are shown in UTC where their offset is known, as printed where it is not.';
}

async function start() {
  document.documentElement.dataset.state = 'loading';
  readURL();
  applyStateToControls();
  el.q.focus();
  let archive;
  try {
    archive = await open(INDEX_URL);
  } catch (e) {
    showLoadError(e);
    return;
  }
  session.archive = archive;
  let stats;
  try { stats = archive.stats() || {}; } catch { stats = {}; }
  session.stats = stats;
  const tz = stats.timezone || stats.time_zone || '';
  session.minuteFmt = minuteFormat(tz || 'UTC', true);
  session.bounds = archiveBounds(archive, stats);
  describeArchive(stats, tz);
  document.documentElement.dataset.state = 'ready';
  // Whatever was typed while loading counts.
  state.q = el.q.value;
  update();
  syncEntry();
  performance.mark('dateline:ready');
  // Once the first results are painted: check the times written without
  // Intl (dates.js), and render again if one was wrong.
  requestAnimationFrame(() => setTimeout(() => { if (session.minuteFmt.settle()) update(); }, 0));
}

initPage();
start();
