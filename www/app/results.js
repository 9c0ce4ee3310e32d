// The results: the count line, "Showing results for" a corrected query, the
// cards (title, date, authors, snippet with its matches marked), "Show
// more", the "no results" page (the engine's alternatives with their
// counts, syntax tips), and the message of a query that could not run.
// The arrow keys walk the cards' links (from the search box on).

import { formatCount, formatPublished } from '../dates.js';
import { highlight } from '../highlight.js';
import { el } from './dom.js';
import { PAGE, actions, commitStep, rangeText, session, state } from './state.js';

/** Says that the query could not be run, and why (the engine's message). */
export function showQueryError(e) {
  el.count.textContent = 'That query could not be run.';
  el.notice.hidden = false;
  el.notice.replaceChildren(document.createTextNode(String(e && e.message || e)));
  el.hits.replaceChildren();
  el.more.hidden = true;
}

/** The query as the page echoes it: at most ECHO characters, then "…". */
const ECHO = 80;
export function echo(q) {
  const t = q.trim();
  return t.length > ECHO ? `${t.slice(0, ECHO)}…` : t;
}

function countText(results) {
  const n = results.total;
  const parts = [];
  // A partial answer's total is a lower bound (the exact one follows).
  const count = `${results.partial ? 'at least ' : ''}${formatCount(n)}`;
  if (state.q.trim()) parts.push(`${count} ${n === 1 && !results.partial ? 'entry matches' : 'entries match'} “${echo(state.q)}”`);
  else parts.push(`${count} ${n === 1 ? 'entry' : 'entries'}`);
  if (state.from !== null || state.to !== null) parts.push(`dated ${rangeText()}`);
  if (state.authors.length) parts.push(`by ${state.authors.join(' or ')}`);
  return parts.join(' ');
}

/** A query with words but none the engine can search ("😀 !!!"). */
export const noSearchableWords = (results) => results.terms === 0 && state.q.trim() !== '';

const escapeRegExp = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `text` with its first whole word `word` (any case) replaced by `to`. */
function replaceWord(text, word, to) {
  const re = new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(word)}(?=$|[^\\p{L}\\p{N}])`, 'iu');
  return re.test(text) ? text.replace(re, `$1${to}`) : text;
}

/** "Showing results for …" when words matched only through corrections. */
function renderCorrection(results) {
  // With no match there is nothing shown "for" the corrected query.
  const fixes = results.total > 0 ? results.corrections || [] : [];
  el.correction.hidden = fixes.length === 0;
  if (!fixes.length) { el.correction.replaceChildren(); return; }
  let shown = state.q.trim();
  for (const { word, to } of fixes) shown = replaceWord(shown, word, to);
  const strong = document.createElement('strong');
  strong.textContent = echo(shown);
  const note = document.createElement('span');
  note.className = 'muted';
  note.textContent = ` (no entry has ${fixes.map((f) => `“${f.word}”`).join(' or ')})`;
  el.correction.replaceChildren(document.createTextNode('Showing results for '), strong, note);
}

/** Shows `results` (an `archive.search` answer): count, cards, "Show more". */
export function renderResults(results) {
  el.notice.hidden = true;
  el.notice.replaceChildren();
  if (noSearchableWords(results)) {
    el.count.textContent = `“${echo(state.q)}” has no searchable words`;
    el.correction.hidden = true;
    el.hits.replaceChildren();
    el.more.hidden = true;
    renderNoResults(results, true);
    return;
  }
  el.count.textContent = countText(results);
  renderCorrection(results);
  const frag = document.createDocumentFragment();
  for (const hit of results.hits) frag.append(renderHit(hit));
  el.hits.replaceChildren(frag);
  el.more.hidden = results.hits.length >= results.total;
  if (results.total === 0) renderNoResults(results, false);
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

function button(text, id, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'link';
  if (id) b.id = id;
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

/** The engine's alternatives (each has hits), as buttons with their counts. */
function alternatives(results) {
  const alts = (results.alternatives || []).filter((a) => a && a.total > 0);
  if (!alts.length) return null;
  const p = document.createElement('p');
  p.append(document.createTextNode('Try instead: '));
  const ul = document.createElement('ul');
  ul.className = 'alternatives';
  alts.forEach((a, i) => {
    const li = document.createElement('li');
    const b = button(`“${echo(a.query)}”`, i === 0 ? 'try-instead' : '', () => { actions.setQuery(a.query, true); el.q.focus(); });
    const n = document.createElement('span');
    n.className = 'muted';
    n.textContent = ` ${formatCount(a.total)} ${a.total === 1 ? 'entry' : 'entries'}`;
    li.append(b, n);
    ul.append(li);
  });
  p.append(ul);
  return p;
}

function tips(noWords) {
  const ul = document.createElement('ul');
  ul.className = 'tips';
  const lines = [
    noWords ? 'Search with letters or digits: symbols and emoji are not indexed.' : 'Check the spelling, or use fewer words: every word must match.',
    'Quotes find a phrase: "humanitarian corridor".',
    'A minus excludes a word: kyiv -shelling.',
  ];
  for (const t of lines) {
    const li = document.createElement('li');
    li.textContent = t;
    ul.append(li);
  }
  return ul;
}

/** No entry matches: why, what to try (the engine's alternatives, clearing
 *  the filters), and how to write a query. */
function renderNoResults(results, noWords) {
  el.notice.hidden = false;
  const head = document.createElement('p');
  head.className = 'notice-head';
  head.textContent = noWords ? 'Type a word to search.' : 'No entry matches.';
  const parts = [head];
  const alts = noWords ? null : alternatives(results);
  if (alts) parts.push(alts);
  if (state.from !== null || state.to !== null || state.authors.length) {
    const p = document.createElement('p');
    const what = [state.from !== null || state.to !== null ? 'the date range' : '', state.authors.length ? 'the author filter' : ''].filter(Boolean).join(' and ');
    p.append(button(`Clear ${what}`, 'clear-filters', () => {
      Object.assign(state, { from: null, to: null, fromHour: null, toHour: null, authors: [] });
      session.limit = PAGE;
      actions.update();
      commitStep();
      el.q.focus();
    }));
    parts.push(p);
  }
  parts.push(tips(noWords));
  el.notice.replaceChildren(...parts);
}

/** Focuses the link of card `i` (clamped); false when there is none. */
export function focusResult(i) {
  const links = el.hits.querySelectorAll('a.hit-link');
  if (!links.length) return false;
  const link = links[Math.max(0, Math.min(links.length - 1, i))];
  link.focus();
  return true;
}

/** Up and down walk the cards; up from the first, Escape, or typing a
 *  character goes back to the search box (the character with it). */
function onHitsKeydown(e) {
  const link = e.target instanceof Element ? e.target.closest('a.hit-link') : null;
  if (!link || e.ctrlKey || e.metaKey || e.altKey) return;
  const links = [...el.hits.querySelectorAll('a.hit-link')];
  const i = links.indexOf(link);
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    if (e.key === 'ArrowUp' && i === 0) el.q.focus();
    else focusResult(i + (e.key === 'ArrowDown' ? 1 : -1));
  } else if (e.key === 'Home' || e.key === 'End') {
    e.preventDefault();
    focusResult(e.key === 'Home' ? 0 : links.length - 1);
  } else if (e.key === 'Escape') {
    e.preventDefault();
    el.q.focus();
  } else if (e.key.length === 1 && e.key !== ' ' && e.key !== '/') {
    // Focus moves before the key's character is inserted: it goes to the box.
    el.q.focus();
    const end = el.q.value.length;
    el.q.setSelectionRange(end, end);
  }
}

/** "Show more": a page more of cards, with focus on the first new one; the
 *  arrow keys in the cards. */
export function initResults() {
  el.hits.addEventListener('keydown', onHitsKeydown);
  el.more.addEventListener('click', () => {
    const first = session.lastResults ? session.lastResults.hits.length : 0;
    session.limit += PAGE;
    actions.update();
    const next = el.hits.children[first];
    const link = next && next.querySelector('a');
    if (link) link.focus();
  });
}
