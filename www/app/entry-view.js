// The entry view: a modal dialog with the whole entry (date, title, authors,
// body, photo captions, how its date was found in plain words, a link to the
// original post, a permalink, and — folded — the captures it was read from).
// Opening it adds a history entry (`#entry-N`); closing it steps back.

import { formatPublished, originalURL } from '../dates.js';
import { $, el } from './dom.js';
import { answered, retryWhenLoaded } from './pending.js';
import { showQueryError } from './results.js';
import { commit, commitStep, session, state, stateURL } from './state.js';

/** The dialog's history entry was pushed by this page (so closing it goes
 *  back), rather than opened from a link or the address. */
let openedHere = false;

/** Forgets that the dialog's history entry is the page's own (history moved). */
export function forgetOpenedHere() {
  openedHere = false;
}

function paragraphs(body) {
  const frag = document.createDocumentFragment();
  for (const para of String(body || '').split(/\n\s*\n/)) {
    if (!para.trim()) continue;
    const p = document.createElement('p');
    p.textContent = para;
    frag.append(p);
  }
  return frag;
}

function figure(m) {
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
  return fig;
}

function source(s) {
  const li = document.createElement('li');
  const code = document.createElement('code');
  code.textContent = s.file;
  const [a, b] = s.lines || [];
  const item = Number.isInteger(s.item) ? `, item ${s.item}` : '';
  li.append(code, document.createTextNode(`${item}${a === b ? `, line ${a}` : `, lines ${a}–${b}`}`));
  return li;
}

/** How the entry's date was found, in a reader's words (the ingester's
 *  `date_basis` names files and lines: that stays in the folded provenance). */
export function datingText(basis, precision) {
  const b = String(basis || '');
  let text;
  if (b.startsWith('printed timestamp')) text = 'Time printed in the post.';
  else if (b.startsWith('published date')) text = 'Date published with the post by its source.';
  else if (b.startsWith('order in')) text = 'Day inferred from the posts around it.';
  else if (b.startsWith('weekday')) text = 'Day inferred from a weekday named in the post.';
  else if (b.startsWith('unknown') || precision === 'unknown') text = 'No date could be found for this entry.';
  else text = precision === 'minute' ? 'Time printed in the post.' : 'Day inferred.';
  if (/time zone unknown/.test(b)) text += ' Its time zone is not given.';
  return text;
}

function renderEntry(entry) {
  const [when, datetime] = formatPublished(entry.published, entry.precision, session.minuteFmt);
  const time = $('entry-date');
  time.textContent = when;
  if (datetime) time.dateTime = datetime; else time.removeAttribute('datetime');
  $('entry-title').textContent = entry.title || '(untitled)';
  $('entry-authors').textContent = entry.authors && entry.authors.length ? `By ${entry.authors.join(', ')}` : '';
  $('entry-body').replaceChildren(paragraphs(entry.body));
  $('entry-media').replaceChildren(...(entry.media || []).map(figure));
  $('entry-sources').replaceChildren(...(entry.sources || []).map(source));
  $('entry-dating').textContent = datingText(entry.date_basis, entry.precision);
  $('entry-basis').textContent = entry.date_basis ? `Dated from: ${entry.date_basis}` : '';
  $('entry-provenance').open = false;
  const url = originalURL(entry.url);
  const original = $('entry-original');
  original.hidden = url === null;
  if (url === null) original.firstElementChild.removeAttribute('href');
  else original.firstElementChild.href = url;
  const link = $('entry-link');
  link.href = `${stateURL(false)}#entry-${entry.id}`;
  link.textContent = `Permalink: #entry-${entry.id}`;
}

/** Shows the entry the state names in the dialog, or closes the dialog. */
export function syncEntry() {
  const { archive } = session;
  if (state.entry === null || !archive) {
    if (el.dialog.open) el.dialog.close();
    return;
  }
  let entry = null;
  try { entry = archive.entry(state.entry); answered('entry'); } catch (e) {
    if (retryWhenLoaded('entry', e, syncEntry, showQueryError)) return;
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

/** A click on a card opens its entry; closing the dialog (button, Escape,
 *  backdrop) steps back. */
export function initEntryView() {
  el.hits.addEventListener('click', (e) => {
    const a = e.target.closest('a.hit-link');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    state.entry = Number(a.dataset.id);
    openedHere = true;
    commitStep();
    syncEntry();
  });
  el.dialog.addEventListener('close', () => {
    if (state.entry === null) return;
    state.entry = null;
    if (openedHere) {
      openedHere = false;
      session.awaitingBack = true;
      history.back();
    } else {
      commit(false);
    }
    const link = el.hits.querySelector(`a[href$="#entry-${/\d+/.exec(location.hash)?.[0] ?? ''}"]`);
    (link || el.q).focus();
  });
  // Clicking the backdrop closes the dialog.
  el.dialog.addEventListener('click', (e) => { if (e.target === el.dialog) el.dialog.close(); });
}
