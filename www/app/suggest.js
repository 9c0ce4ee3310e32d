// The search box and its suggestions, a WAI-ARIA combobox: completions of
// the word being typed, with their counts, picked with the arrow keys and
// Enter, or the pointer. Down past the last suggestion (or with none open)
// goes on into the results. Escape closes the suggestions; with none open,
// a first Escape selects the query and a second clears it. "/" brings the
// focus back to the box from anywhere.

import { measureKeystroke } from './bench.js';
import { el } from './dom.js';
import { answered, retryWhenLoaded } from './pending.js';
import { focusResult, showQueryError } from './results.js';
import { PAGE, actions, commit, commitLater, commitStep, session, state } from './state.js';

/** Completions shown at most. */
const SUGGESTIONS = 8;

let options = [];
let active = -1;

/** The word being typed at the end of the box, without a leading `-` or
 *  quote ('' after a space). */
function lastWord(value) {
  if (/\s$/.test(value)) return '';
  const m = /[^\s]+$/.exec(value);
  return m ? m[0].replace(/^[-"]+/, '').replace(/"+$/, '') : '';
}

function updateSuggestions() {
  const word = lastWord(el.q.value);
  options = [];
  if (session.archive && word.length >= 1) {
    try { options = session.archive.suggest(word, SUGGESTIONS) || []; answered('suggest'); } catch (e) {
      if (retryWhenLoaded('suggest', e, updateSuggestions, showQueryError)) return;
      options = [];
    }
    // Nothing to complete when the only completion is the word itself.
    if (options.length === 1 && options[0].term === word.toLowerCase()) options = [];
  }
  active = -1;
  renderSuggestions();
}

function option(s, i) {
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
  return li;
}

function renderSuggestions() {
  const frag = document.createDocumentFragment();
  options.forEach((s, i) => frag.append(option(s, i)));
  el.suggestions.replaceChildren(frag);
  const open = options.length > 0;
  el.suggestions.hidden = !open;
  el.q.setAttribute('aria-expanded', String(open));
  if (open && active >= 0) el.q.setAttribute('aria-activedescendant', `suggestion-${active}`);
  else el.q.removeAttribute('aria-activedescendant');
}

/** Closes the list of suggestions. */
export function closeSuggestions() {
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

/** Replaces the word being typed with suggestion `i`, and searches. */
function accept(i) {
  const s = options[i];
  if (!s) return;
  const value = el.q.value;
  const m = /([-"]*)([^\s"]*)("?)$/.exec(value);
  const head = m ? value.slice(0, m.index) + m[1] : value;
  actions.setQuery(`${head}${s.term} `, true);
  el.q.focus();
}

function onInput(e) {
  const start = e.timeStamp;
  state.q = el.q.value;
  session.limit = PAGE;
  actions.update();
  updateSuggestions();
  // The first keystroke makes a history entry; the next ones rewrite it
  // once typing pauses.
  if (!session.typingEntry) commit(true);
  else commitLater();
  session.typingEntry = true;
  measureKeystroke(start);
  prepareNext();
}

/** After a space the next keystroke starts a word: compute the words typed
 *  so far ahead, once the page is idle, so that neither keystroke waits. */
function prepareNext() {
  if (!session.archive || !/\s$/.test(state.q)) return;
  const q = state.q;
  const later = window.requestIdleCallback || ((f) => setTimeout(f, 50));
  later(() => { if (session.archive && state.q === q) session.archive.prepare(q); }, { timeout: 200 });
}

/** The last key in the box was an Escape that cleared nothing. */
let escaped = false;

function onKeydown(e) {
  const open = options.length > 0;
  const wasEscaped = escaped;
  escaped = false;
  switch (e.key) {
    case 'ArrowDown':
      e.preventDefault();
      if (e.altKey) { if (!open) updateSuggestions(); break; }
      if (open && active < options.length - 1) moveActive(1);
      else if (focusResult(0)) closeSuggestions();
      break;
    case 'ArrowUp':
      if (open) { moveActive(-1); e.preventDefault(); }
      break;
    case 'Enter':
      e.preventDefault();
      if (open && active >= 0) accept(active);
      else { closeSuggestions(); commitStep(); }
      break;
    case 'Escape':
      if (!el.q.value && !open) break;
      e.preventDefault();
      if (open) closeSuggestions();
      else if (wasEscaped) actions.setQuery('', true);
      else { el.q.select(); escaped = true; }
      break;
    case 'Tab':
      closeSuggestions();
      break;
    default:
  }
}

/** "/" focuses the search box from anywhere (except where one is typing). */
function onSlash(e) {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || el.dialog.open) return;
  const t = e.target;
  const typing = t instanceof HTMLElement && (t.isContentEditable || t.tagName === 'TEXTAREA' ||
    (t instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'range'].includes(t.type)));
  if (typing) return;
  e.preventDefault();
  el.q.focus();
  el.q.select();
}

/** The search box's listeners. */
export function initSearchBox() {
  el.q.addEventListener('input', onInput);
  el.q.addEventListener('keydown', onKeydown);
  el.q.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== el.q) closeSuggestions(); }, 0));
  el.suggestions.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the box
  el.suggestions.addEventListener('click', (e) => {
    const li = e.target.closest('[role="option"]');
    if (li) accept(Number(li.dataset.index));
  });
  el.form.addEventListener('submit', (e) => e.preventDefault());
  document.addEventListener('keydown', onSlash);
}
