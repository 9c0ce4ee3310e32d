// The filters: the author filter, one checkbox per author, with how many of
// the current matches each wrote (checking some narrows the results to
// their entries), and the panel that holds it with the timeline and the
// time-zone note. On a wide screen the panel is always shown (beside and
// above the results); on a narrow one it folds behind the "Dates and
// authors" button, which says what is filtered, so that the results sit
// right under the search box.

import { el } from './dom.js';
import { PAGE, actions, commitStep, rangeText, session, state } from './state.js';

/** Author counts follow the query and range; rendered after the results
 *  are on screen so that they never slow typing down. */
let facetTimer = 0;
export function scheduleFacets() {
  clearTimeout(facetTimer);
  facetTimer = setTimeout(renderAuthors, 60);
}

/** [name, count] pairs, most entries first: the engine's counts over every
 *  match of the query and range (whatever authors are ticked), and the
 *  ticked authors that have none. */
function authorCounts() {
  const counts = new Map();
  for (const a of (session.lastResults && session.lastResults.authors) || []) counts.set(a.name, a.count);
  for (const a of state.authors) if (!counts.has(a)) counts.set(a, 0);
  return [...counts];
}

function note(text, className = 'muted') {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

function authorBox(name, n) {
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
  return label;
}

function renderAuthors() {
  // A sharded archive's first page comes before its counts: keep the last.
  if (!session.archive || !session.lastResults || session.lastResults.partial) return;
  const counts = authorCounts();
  const legend = el.authors.querySelector('legend');
  const frag = document.createDocumentFragment();
  frag.append(legend);
  if (!counts.length) frag.append(note('No bylines among these entries.'));
  for (const [name, n] of counts) frag.append(authorBox(name, n));
  const focused = document.activeElement && el.authors.contains(document.activeElement) ? document.activeElement.value : null;
  el.authors.replaceChildren(frag);
  if (focused !== null) {
    const again = [...el.authors.querySelectorAll('input')].find((i) => i.value === focused);
    if (again) again.focus();
  }
}

/** Checking or unchecking an author narrows or widens the results. */
export function initFacets() {
  el.authors.addEventListener('change', (e) => {
    const box = e.target;
    if (!(box instanceof HTMLInputElement)) return;
    state.authors = box.checked ? [...state.authors, box.value] : state.authors.filter((a) => a !== box.value);
    session.limit = PAGE;
    actions.update();
    commitStep();
  });
}

const narrow = window.matchMedia('(max-width: 760px)');

function setOpen(open) {
  el.filtersToggle.setAttribute('aria-expanded', String(open));
  el.filtersPanel.classList.toggle('open', open);
}

/** The button's summary of the filters: the range and the authors ticked. */
export function renderFilterState() {
  const parts = [];
  if (state.from !== null || state.to !== null) parts.push(rangeText());
  if (state.authors.length) parts.push(state.authors.length === 1 ? state.authors[0] : `${state.authors.length} authors`);
  el.filtersState.textContent = parts.length ? `: ${parts.join(', ')}` : '';
}

/** The button opens and closes the panel (on a narrow screen). */
export function initPanel() {
  setOpen(!narrow.matches);
  narrow.addEventListener('change', () => setOpen(!narrow.matches));
  el.filtersToggle.addEventListener('click', () => {
    setOpen(el.filtersToggle.getAttribute('aria-expanded') !== 'true');
  });
}
