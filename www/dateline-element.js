// <dateline-explorer>: the Dateline explorer as a custom element, for
// embedding in any page with one script tag:
//
//   <script type="module" src="https://example.org/dateline/dateline-element.js"></script>
//   <dateline-explorer src="https://example.org/dateline/data/" query="kyiv" sort="newest"></dateline-explorer>
//
// Attributes: src (an index URL, or a directory holding index.dtl), query,
// from / to (YYYY-MM-DD), sort (relevance|newest|oldest), compact, height
// (any CSS length), limit. Events (bubbling, composed): `dateline-search`
// {query, options, total} and `dateline-select` (the entry object).
// Theming: --dateline-accent, --dateline-bg, --dateline-fg, --dateline-muted,
// --dateline-mark, --dateline-border, --dateline-font, --dateline-font-size,
// --dateline-radius, and ::part(root form search sort timeline bars range
// status correction notice button results card title meta snippet entry
// close).
//
// It reads as the page does: "1 entry matches", the query echoed up to 80
// characters, "Showing results for …" when words matched only through typo
// corrections, and with nothing found the engine's alternatives (each a
// button with its count) and how to write a query. From the box ArrowDown
// walks into the results (up and down between them, Enter opens one, Escape
// or ArrowUp from the first goes back); a first Escape in the box selects
// the query, a second one clears it.
//
// Everything lives in a shadow root: the host page's CSS cannot reach in and
// this CSS (dateline-element.css, loaded with <link>, so a strict CSP with
// `style-src 'self'` is enough) cannot leak out. Corpus text only ever
// becomes text nodes. Every instance shares the one WebAssembly module that
// dateline.js loads. It imports dateline.js, dates.js and highlight.js from
// its own folder (the page uses the same dates.js and highlight.js).

import { formatDay, formatPublished, formatRange, isoDay, minuteFormat, parseDay } from './dates.js';
import { open } from './dateline.js';
import { highlight } from './highlight.js';

const CSS_URL = new URL('./dateline-element.css', import.meta.url).href;
const SORTS = ['relevance', 'newest', 'oldest'];
const SVG_NS = 'http://www.w3.org/2000/svg';
/** The longest query echo, in UTF-16 code units, before "…". */
const ECHO = 80;

/** `h('p', {part: 'status'}, 'text', child)`: an element; strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

/** Text with `[start, end)` UTF-16 ranges wrapped in <mark part="mark">. */
const marked = (text, ranges) => highlight(text, ranges, { part: 'mark' });

/** A <time> for a published time, as it reads by its precision. */
function time(published, precision, minuteFmt) {
  const [text, datetime] = formatPublished(published, precision, minuteFmt);
  return h('time', { datetime: datetime || false, 'data-precision': precision }, text);
}

/** The query as the element echoes it: at most ECHO characters, then "…". */
function echo(q) {
  const t = q.trim();
  return t.length > ECHO ? `${t.slice(0, ECHO)}…` : t;
}

/** "1 entry matches “q”", "12 entries", …: the count line of `total` hits. */
function countText(total, query) {
  const n = total.toLocaleString('en-US');
  if (!query.trim()) return `${n} ${total === 1 ? 'entry' : 'entries'}`;
  return `${n} ${total === 1 ? 'entry matches' : 'entries match'} “${echo(query)}”`;
}

/** `text` with its first whole word `word` (any case) replaced by `to`. */
function replaceWord(text, word, to) {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}(?=$|[^\\p{L}\\p{N}])`, 'iu');
  return text.replace(re, `$1${to}`);
}

let counter = 0;

export class DatelineExplorer extends HTMLElement {
  static observedAttributes = ['src', 'query', 'from', 'to', 'sort', 'compact', 'height', 'limit'];

  #archive = null;
  #src = null;
  #days = null; // [first, last] day numbers of the archive
  #range = [null, null]; // chosen [from, to] day numbers
  #bars = []; // per day of the timeline: its rect and title, and what they show
  #minuteFmt = null;
  #ui;
  #timer = 0;
  #last = null;
  /** The latest search: a fetch for an older one must not re-render. */
  #token = null;
  /** The last key in the box was an Escape that cleared nothing. */
  #escaped = false;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const id = `dl${++counter}`;
    const link = h('link', { rel: 'stylesheet', href: CSS_URL });
    const ui = {
      root: h('div', { part: 'root', class: 'root', hidden: true }),
      form: h('form', { part: 'form', class: 'bar', role: 'search' }),
      q: h('input', { part: 'search', class: 'q', type: 'search', placeholder: 'Search the live blog',
        'aria-label': 'Search the live blog', spellcheck: 'false', autocomplete: 'off', disabled: true }),
      sort: h('select', { part: 'sort', class: 'sort', 'aria-label': 'Sort' },
        h('option', { value: 'relevance' }, 'Relevance'), h('option', { value: 'newest' }, 'Newest'),
        h('option', { value: 'oldest' }, 'Oldest')),
      timeline: h('div', { part: 'timeline', class: 'timeline' }),
      bars: document.createElementNS(SVG_NS, 'svg'),
      fromIn: h('input', { part: 'range', class: 'from', type: 'range', min: 0, max: 0, value: 0,
        'aria-label': 'From day', id: `${id}-from` }),
      toIn: h('input', { part: 'range', class: 'to', type: 'range', min: 0, max: 0, value: 0,
        'aria-label': 'To day', id: `${id}-to` }),
      rangeLabel: h('span', { class: 'range-label', 'aria-live': 'polite' }, 'All dates'),
      clear: h('button', { type: 'button', class: 'clear', part: 'button', hidden: true }, 'All dates'),
      status: h('p', { part: 'status', class: 'status', role: 'status' }, 'Loading…'),
      correction: h('p', { part: 'correction', class: 'correction', hidden: true }),
      notice: h('div', { part: 'notice', class: 'notice', hidden: true }),
      results: h('ol', { part: 'results', class: 'results' }),
      entry: h('article', { part: 'entry', class: 'entry', hidden: true, tabindex: '-1' }),
    };
    ui.bars.setAttribute('part', 'bars');
    ui.bars.setAttribute('class', 'bars');
    ui.bars.setAttribute('viewBox', '0 0 100 30');
    ui.bars.setAttribute('preserveAspectRatio', 'none');
    ui.bars.setAttribute('aria-hidden', 'true');
    ui.form.append(ui.q, ui.sort);
    ui.timeline.append(ui.bars, h('div', { class: 'sliders' }, ui.fromIn, ui.toIn),
      h('div', { class: 'range-row' }, ui.rangeLabel, ui.clear));
    ui.root.append(ui.form, ui.timeline, ui.status, ui.correction, ui.notice, ui.results, ui.entry);
    // Shown once styled: no flash of unstyled content.
    const show = () => { ui.root.hidden = false; };
    link.addEventListener('load', show);
    link.addEventListener('error', show);
    root.append(link, ui.root);
    this.#ui = ui;

    ui.form.addEventListener('submit', (e) => { e.preventDefault(); this.#search(); });
    ui.q.addEventListener('input', () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#search(), 60);
      if (!ui.entry.hidden) this.#closeEntry(false);
    });
    ui.q.addEventListener('keydown', (e) => this.#onBoxKeydown(e));
    ui.results.addEventListener('keydown', (e) => this.#onResultsKeydown(e));
    ui.entry.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); this.#closeEntry(true); }
    });
    ui.sort.addEventListener('change', () => this.#search());
    const slide = (which) => () => {
      if (!this.#days) return;
      let a = Number(ui.fromIn.value), b = Number(ui.toIn.value);
      if (a > b) { if (which === 'from') b = a; else a = b; }
      this.#setRange(this.#days[0] + a, this.#days[0] + b);
    };
    ui.fromIn.addEventListener('input', slide('from'));
    ui.toIn.addEventListener('input', slide('to'));
    ui.clear.addEventListener('click', () => this.#setRange(null, null));
    ui.bars.addEventListener('click', (e) => {
      const day = e.target.getAttribute && e.target.getAttribute('data-day');
      if (!day || !this.#days) return;
      const n = Number(day);
      const [a, b] = this.#range;
      if (a === n && b === n) this.#setRange(null, null);
      else if (e.shiftKey && a !== null) this.#setRange(Math.min(a, n), Math.max(b, n));
      else this.#setRange(n, n);
    });
    ui.results.addEventListener('click', (e) => {
      const a = e.target.closest && e.target.closest('a[data-id]');
      if (!a) return;
      e.preventDefault();
      this.select(Number(a.getAttribute('data-id')));
    });
  }

  connectedCallback() {
    this.#applyHeight();
    this.#load();
  }

  attributeChangedCallback(name, old, value) {
    if (old === value || !this.#ui) return;
    if (name === 'src') this.#load();
    else if (name === 'height') this.#applyHeight();
    else if (name === 'query') { this.#ui.q.value = value || ''; this.#search(); }
    else if (name === 'sort') { this.#ui.sort.value = SORTS.includes(value) ? value : 'relevance'; this.#search(); }
    else if (name === 'from' || name === 'to') this.#rangeFromAttributes();
    else if (name === 'limit') this.#search();
  }

  disconnectedCallback() {
    clearTimeout(this.#timer);
    // Removed for good (not moved): free the archive's wasm memory; a later
    // connect opens it again.
    queueMicrotask(() => {
      if (this.isConnected || !this.#archive) return;
      this.#archive.close();
      this.#archive = null;
      this.#src = null;
    });
  }

  /** The opened archive (the Explorer of dateline.js), or null while loading. */
  get archive() { return this.#archive; }

  /** The current query text. */
  get query() { return this.#ui.q.value; }
  set query(v) { this.setAttribute('query', String(v ?? '')); }

  #applyHeight() {
    // CSSOM, not a style attribute: allowed under `style-src 'self'`.
    const v = this.getAttribute('height');
    if (v && CSS.supports('height', v)) this.#ui.root.style.setProperty('--dateline-height', v);
    else this.#ui.root.style.removeProperty('--dateline-height');
  }

  async #load() {
    const raw = this.getAttribute('src') || 'data/';
    const url = new URL(raw.endsWith('/') ? `${raw}index.dtl` : raw, document.baseURI).href;
    if (url === this.#src) return;
    this.#src = url;
    const ui = this.#ui;
    ui.status.textContent = 'Loading…';
    this.setAttribute('state', 'loading');
    let archive;
    try {
      archive = await open(url);
    } catch (e) {
      if (this.#src !== url) return;
      this.setAttribute('state', 'error');
      ui.status.textContent = `The archive could not be loaded: ${e && e.message || e}`;
      return;
    }
    if (this.#src !== url) { archive.close(); return; }
    if (this.#archive) this.#archive.close();
    this.#archive = archive;
    const stats = archive.stats() || {};
    const tz = stats.timezone || 'UTC';
    this.#minuteFmt = minuteFormat(tz);
    const first = parseDay(stats.first_day), last = parseDay(stats.last_day);
    this.#days = first !== null && last !== null ? [first, last] : null;
    for (const input of [ui.fromIn, ui.toIn]) {
      input.max = this.#days ? String(this.#days[1] - this.#days[0]) : '0';
      input.disabled = !this.#days;
    }
    ui.timeline.hidden = !this.#days;
    ui.q.disabled = false;
    ui.q.value = this.getAttribute('query') || '';
    const sort = this.getAttribute('sort');
    ui.sort.value = SORTS.includes(sort) ? sort : 'relevance';
    this.#rangeFromAttributes(false);
    this.setAttribute('state', 'ready');
    this.#search();
  }

  #rangeFromAttributes(run = true) {
    const a = parseDay(this.getAttribute('from')), b = parseDay(this.getAttribute('to'));
    if (!this.#days) return;
    const [lo, hi] = this.#days;
    const clamp = (d) => Math.min(hi, Math.max(lo, d));
    this.#range = [a === null && b === null ? null : clamp(a ?? lo), a === null && b === null ? null : clamp(b ?? hi)];
    if (this.#range[0] !== null && this.#range[0] > this.#range[1]) this.#range.reverse();
    this.#syncSliders();
    if (run) this.#search();
  }

  /** Sets the inclusive day range (day numbers), or null for all dates. */
  #setRange(a, b) {
    if (!this.#days) return;
    this.#range = a === null ? [null, null] : [a, b];
    this.#syncSliders();
    this.#search();
  }

  #syncSliders() {
    const ui = this.#ui;
    const [lo, hi] = this.#days || [0, 0];
    const [a, b] = this.#range;
    ui.fromIn.value = String((a ?? lo) - lo);
    ui.toIn.value = String((b ?? hi) - lo);
    ui.clear.hidden = a === null;
    ui.rangeLabel.textContent = a === null ? 'All dates' : formatRange(a, b);
  }

  /** Runs the current query and renders results and timeline. */
  #search() {
    const archive = this.#archive;
    if (!archive) return;
    clearTimeout(this.#timer);
    const ui = this.#ui;
    const query = ui.q.value;
    const limit = Math.max(1, Math.min(200, Number(this.getAttribute('limit')) || 20));
    const options = { sort: ui.sort.value, limit };
    if (this.#range[0] !== null) { options.from = isoDay(this.#range[0]); options.to = isoDay(this.#range[1]); }
    let res;
    let hist;
    const token = this.#token = {};
    try {
      res = archive.search(query, options);
      // The histogram ignores the range, so the bars show where else matches are.
      hist = options.from ? archive.search(query, { limit: 0 }).histogram : res.histogram;
    } catch (e) {
      // A sharded archive: keep what is shown, fetch, then search again
      // (unless a newer search started meanwhile).
      if (e && e.code === 'pending') {
        e.load().then(() => { if (this.#token === token) this.#search(); },
          (err) => { if (this.#token === token) ui.status.textContent = String(err && err.message || err); });
        return;
      }
      ui.status.textContent = String(e && e.message || e);
      return;
    }
    this.#last = res;
    this.#drawBars(hist);
    this.#render(res, query);
    this.dispatchEvent(new CustomEvent('dateline-search', {
      bubbles: true, composed: true, detail: { query, options, total: res.total },
    }));
  }

  /** The count line, a correction, the cards, and with no hits the notice. */
  #render(res, query) {
    const ui = this.#ui;
    // A query with words but none the engine can search ("😀 !!!").
    const noWords = res.terms === 0 && query.trim() !== '';
    ui.status.textContent = noWords ? `“${echo(query)}” has no searchable words` : countText(res.total, query);
    // "Showing results for …": nothing is shown "for" a correction with no hits.
    const fixes = !noWords && res.total > 0 ? res.corrections || [] : [];
    ui.correction.hidden = fixes.length === 0;
    if (fixes.length) {
      let fixed = query.trim();
      for (const { word, to } of fixes) fixed = replaceWord(fixed, word, to);
      ui.correction.replaceChildren('Showing results for ', h('strong', {}, echo(fixed)),
        ` (no entry has ${fixes.map((f) => `“${echo(f.word)}”`).join(' or ')})`);
    } else ui.correction.replaceChildren();
    // With no searchable word the engine lists every entry: none is shown.
    ui.results.replaceChildren(...(noWords ? [] : res.hits).map((hit) => this.#card(hit)));
    ui.notice.hidden = !noWords && res.total > 0;
    if (!ui.notice.hidden) this.#renderNotice(res, noWords);
    else ui.notice.replaceChildren();
  }

  /** No entry matches: the engine's alternatives (buttons with counts, each
   *  runs its query), clearing the date range, and how to write a query. */
  #renderNotice(res, noWords) {
    const ui = this.#ui;
    const parts = [h('p', { class: 'notice-head' }, noWords ? 'Type a word to search.' : 'No entry matches.')];
    const alts = noWords ? [] : (res.alternatives || []).filter((a) => a && a.total > 0);
    if (alts.length) {
      parts.push(h('p', { class: 'try' }, 'Try instead:'), h('ul', { class: 'alternatives' }, ...alts.map((a) => {
        const b = h('button', { type: 'button', part: 'button', class: 'alternative' }, `“${echo(a.query)}”`);
        b.addEventListener('click', () => { ui.q.value = a.query; this.#search(); ui.q.focus(); });
        return h('li', {}, b, h('span', { class: 'alt-count' },
          ` ${a.total.toLocaleString('en-US')} ${a.total === 1 ? 'entry' : 'entries'}`));
      })));
    }
    if (this.#range[0] !== null) {
      const b = h('button', { type: 'button', part: 'button', class: 'clear-range' }, 'Search all dates');
      b.addEventListener('click', () => { this.#setRange(null, null); ui.q.focus(); });
      parts.push(h('p', {}, b));
    }
    parts.push(h('ul', { class: 'tips' },
      h('li', {}, noWords ? 'Search with letters or digits: symbols and emoji are not indexed.'
        : 'Check the spelling, or use fewer words: every word must match.'),
      h('li', {}, 'Quotes find a phrase: "humanitarian corridor". A minus excludes a word: kyiv -shelling.')));
    ui.notice.replaceChildren(...parts);
  }

  /** In the box: ArrowDown goes to the first result; a first Escape selects
   *  the query (the browser would clear a search box), a second clears it. */
  #onBoxKeydown(e) {
    const ui = this.#ui;
    const escaped = this.#escaped;
    this.#escaped = false;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'ArrowDown') {
      if (this.#focusCard(0)) e.preventDefault();
    } else if (e.key === 'Escape' && ui.q.value) {
      e.preventDefault();
      if (escaped) { ui.q.value = ''; this.#search(); }
      else { ui.q.select(); this.#escaped = true; }
    }
  }

  /** In the results: up and down walk the cards' links, Home and End jump,
   *  ArrowUp from the first or Escape go back to the box. */
  #onResultsKeydown(e) {
    const link = e.target instanceof Element ? e.target.closest('a[data-id]') : null;
    if (!link || e.ctrlKey || e.metaKey || e.altKey) return;
    const links = [...this.#ui.results.querySelectorAll('a[data-id]')];
    const i = links.indexOf(link);
    let to = null;
    if (e.key === 'ArrowDown') to = i + 1;
    else if (e.key === 'ArrowUp') to = i - 1;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = links.length - 1;
    else if (e.key !== 'Escape') return;
    e.preventDefault();
    if (to === null || to < 0) this.#ui.q.focus();
    else this.#focusCard(to);
  }

  /** Focuses the link of card `i` (clamped); false when none is shown. */
  #focusCard(i) {
    const ui = this.#ui;
    const links = ui.results.hidden ? [] : ui.results.querySelectorAll('a[data-id]');
    if (!links.length) return false;
    links[Math.max(0, Math.min(links.length - 1, i))].focus();
    return true;
  }

  /** Back from the entry to the results; `focus`: on the entry's card. */
  #closeEntry(focus) {
    const ui = this.#ui;
    const id = ui.entry.dataset.id;
    ui.entry.hidden = true;
    ui.results.hidden = false;
    if (focus) ui.results.querySelector(`a[data-id="${id}"]`)?.focus();
  }

  #card(hit) {
    return h('li', { part: 'card', class: 'card' },
      h('a', { part: 'title', class: 'title', href: `#entry-${hit.id}`, 'data-id': hit.id },
        ...marked(hit.title, hit.title_highlights)),
      h('p', { part: 'meta', class: 'meta' },
        time(hit.published, hit.precision, this.#minuteFmt),
        hit.authors.length ? ` · ${hit.authors.join(', ')}` : null),
      h('p', { part: 'snippet', class: 'snippet' }, ...marked(hit.snippet, hit.highlights)));
  }

  #drawBars(histogram) {
    const svg = this.#ui.bars;
    const [lo, hi] = this.#days || [0, 0];
    const span = hi - lo + 1;
    const perDay = new Map();
    for (const b of histogram || []) {
      const d = parseDay(b.day);
      if (d !== null) perDay.set(d, (perDay.get(d) || 0) + b.count);
    }
    const max = Math.max(1, ...perDay.values());
    const w = 100 / span;
    const bw = Math.min(w * 0.8, 4); // a few days must not make slabs
    const [a, b] = this.#range;
    // The rects are kept from one render to the next and only what changed
    // is written: years of days are hundreds of bars, and rebuilding them on
    // every keystroke cost more than the search.
    const n = this.#days ? span : 0;
    const bars = this.#bars;
    while (bars.length < n) {
      const r = document.createElementNS(SVG_NS, 'rect');
      const title = document.createElementNS(SVG_NS, 'title');
      r.append(title);
      svg.append(r);
      bars.push({ r, title, shown: {} });
    }
    while (bars.length > n) bars.pop().r.remove();
    for (let i = 0; i < n; i++) {
      const d = lo + i;
      const c = perDay.get(d) || 0;
      const height = c ? Math.max(1.5, (28 * c) / max) : 0.6;
      const { r, title, shown } = bars[i];
      const attrs = {
        x: String(i * w + (w - bw) / 2),
        width: String(bw),
        y: String(30 - height),
        height: String(height),
        'data-day': String(d),
        class: a !== null && (d < a || d > b) ? 'bar out' : c ? 'bar' : 'bar empty',
      };
      for (const [k, v] of Object.entries(attrs)) {
        if (shown[k] !== v) {
          r.setAttribute(k, v);
          shown[k] = v;
        }
      }
      const text = `${formatDay(d)}: ${c}`;
      if (shown.title !== text) {
        title.textContent = text;
        shown.title = text;
      }
    }
  }

  /** Opens entry `id` in the element and fires `dateline-select`. */
  select(id) {
    const archive = this.#archive;
    if (!archive) return null;
    let entry;
    try {
      entry = archive.entry(id);
    } catch (e) {
      if (e && e.code === 'pending') {
        e.load().then(() => this.select(id), () => {});
        return null;
      }
      throw e;
    }
    if (!entry) return null;
    const ui = this.#ui;
    const close = h('button', { type: 'button', part: 'close', class: 'close' }, '← Back to results');
    close.addEventListener('click', () => this.#closeEntry(true));
    ui.entry.dataset.id = String(entry.id);
    const paragraphs = String(entry.body || '').split(/\n\s*\n/).filter(Boolean).map((p) => h('p', {}, p));
    const media = (entry.media || []).map((m) =>
      h('p', { class: 'media' }, `Photo: ${m.caption}`, m.credit ? ` (${m.credit})` : null));
    ui.entry.replaceChildren(close,
      h('h2', { class: 'entry-title' }, entry.title),
      h('p', { class: 'meta' },
        time(entry.published, entry.precision, this.#minuteFmt),
        entry.authors.length ? ` · ${entry.authors.join(', ')}` : null),
      ...paragraphs, ...media);
    ui.results.hidden = true;
    ui.entry.hidden = false;
    ui.entry.focus();
    this.dispatchEvent(new CustomEvent('dateline-select', { bubbles: true, composed: true, detail: entry }));
    return entry;
  }

  /** The last results shown (as `Explorer.search` returned them), or null. */
  get results() { return this.#last; }
}

if (!customElements.get('dateline-explorer')) customElements.define('dateline-explorer', DatelineExplorer);
