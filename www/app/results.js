// The results: the count line, the cards (title, date, authors, snippet with
// its matches marked), "Show more", the "no results" offer of a nearby
// query, and the message of a query that could not run.

import { formatCount, formatPublished, formatRange } from '../dates.js';
import { highlight } from '../highlight.js';
import { el } from './dom.js';
import { retryWhenLoaded } from './pending.js';
import { PAGE, actions, session, state } from './state.js';

/** Says that the query could not be run, and why (the engine's message). */
export function showQueryError(e) {
  el.count.textContent = 'That query could not be run.';
  el.notice.hidden = false;
  el.notice.replaceChildren(document.createTextNode(String(e && e.message || e)));
  el.hits.replaceChildren();
  el.more.hidden = true;
}

function countText(results) {
  const n = results.total;
  const noun = n === 1 ? 'entry' : 'entries';
  const parts = [];
  const { bounds } = session;
  // A partial answer's total is a lower bound (the exact one follows).
  const count = `${results.partial ? 'at least ' : ''}${formatCount(n)}`;
  if (state.q.trim()) parts.push(`${count} ${noun} match “${state.q.trim()}”`);
  else parts.push(`${count} ${noun}`);
  if (state.from !== null || state.to !== null) {
    parts.push(`dated ${formatRange(state.from ?? bounds?.[0] ?? state.to, state.to ?? bounds?.[1] ?? state.from)}`);
  }
  if (state.authors.length) parts.push(`by ${state.authors.join(' or ')}`);
  return parts.join(' ');
}

/** Shows `results` (an `archive.search` answer): count, cards, "Show more". */
export function renderResults(results) {
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
  link.append(...highlight(hit.title || '(untitled)', hit.title_highlights));
  const [when, datetime] = formatPublished(hit.published, hit.precision, session.minuteFmt);
  const time = li.querySelector('time');
  time.textContent = when;
  if (datetime) time.dateTime = datetime;
  time.classList.add(`precision-${hit.precision}`);
  if (hit.authors && hit.authors.length) li.querySelector('.hit-authors').textContent = hit.authors.join(', ');
  li.querySelector('.hit-snippet').append(...highlight(hit.snippet || '', hit.highlights));
  return li;
}

/** Nearest completion of the last word, for the "no results" state. */
function nearestSuggestion() {
  const words = state.q.trim().split(/\s+/);
  const last = (words.pop() || '').replace(/^[-"]+|"+$/g, '');
  for (let k = last.length; k >= 2; k--) {
    let found = [];
    try { found = session.archive.suggest(last.slice(0, k), 3); } catch (e) {
      if (retryWhenLoaded('update', e, actions.update, showQueryError)) return null;
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
    b.addEventListener('click', () => { actions.setQuery(alt, true); el.q.focus(); });
    p.append(b);
  } else if (state.from !== null || state.authors.length) {
    p.append(document.createTextNode('Try clearing the date range or the author filter.'));
  }
  el.notice.replaceChildren(p);
}

/** "Show more": a page more of cards, with focus on the first new one. */
export function initResults() {
  el.more.addEventListener('click', () => {
    const first = session.lastResults ? session.lastResults.hits.length : 0;
    session.limit += PAGE;
    actions.update();
    const next = el.hits.children[first];
    const link = next && next.querySelector('a');
    if (link) link.focus();
  });
}
