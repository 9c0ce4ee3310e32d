// The timeline: a histogram of the matches per day (per hour within a zoom
// of a few days), a brush to choose a date range by dragging (with a visible
// hint until a range is chosen), two handles that are keyboard sliders, the
// zoom and clear buttons (shown once there is a range), and a line that
// says why the chart is empty when it is. A drag and a run of key presses
// on a handle each make one history entry.

import { DAY_MS, formatDay, formatMonth, formatRange, formatShortDay, parseDay } from '../dates.js';
import { el } from './dom.js';
import { PAGE, actions, checkHours, commit, commitStep, rangeText, session, state } from './state.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const VIEW_W = 1000;
const VIEW_H = 100;

/** The days the chart spans now: the zoom, or the whole archive. */
function domain() {
  if (state.zoom) return state.zoom;
  return session.bounds || [0, 0];
}

/** Buckets of the histogram: per day, or per hour when the engine gave hours
 *  (a range of at most three days); then entries known only to the day have
 *  `hour: null` and are counted apart. */
function buckets() {
  const [d0, d1] = domain();
  const { histogramResults } = session;
  const hist = (histogramResults && histogramResults.histogram) || [];
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

function makeChart() {
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

/** The bars are two paths (in the range and out of it), written once per
 *  render: a year of days is hundreds of bars, and updating as many
 *  elements cost more than the search. */
function drawBars({ counts, per, d0 }, hasRange, [a, b]) {
  const max = Math.max(1, ...counts);
  const bw = VIEW_W / counts.length;
  const w = Math.max(bw * 0.84, 0.5).toFixed(3);
  const paths = { in: [], out: [] };
  counts.forEach((c, i) => {
    if (c === 0) return;
    const at = d0 * per + i;
    const inRange = !hasRange || (at >= a && at <= b);
    const h = Math.max(3, (c / max) * (VIEW_H - 8));
    paths[inRange ? 'in' : 'out'].push(`M${(i * bw + bw * 0.08).toFixed(3)} ${(VIEW_H - h).toFixed(3)}h${w}v${h.toFixed(3)}h-${w}z`);
  });
  chart.in.setAttribute('d', paths.in.join(''));
  chart.out.setAttribute('d', paths.out.join(''));
  chart.drawn = { counts, per, d0 };
  // What is drawn, bar by bar (the tests read it).
  el.svg.dataset.bars = String(counts.length);
  el.svg.dataset.counts = counts.join(',');
}

/** Handles live outside the stretched SVG (HTML elements positioned in %),
 *  so they keep their shape and can take focus like any control. */
function makeHandles() {
  handles = ['start', 'end'].map((which) => {
    const h = document.createElement('div');
    h.className = `handle handle-${which}`;
    h.tabIndex = 0;
    h.setAttribute('role', 'slider');
    h.setAttribute('aria-label', which === 'start' ? 'Range start' : 'Range end');
    h.setAttribute('aria-describedby', 'chart-help');
    h.dataset.which = which;
    h.addEventListener('keydown', onHandleKey);
    h.addEventListener('blur', () => { keyRun = false; });
    h.addEventListener('pointerdown', onHandlePointerDown);
    el.chart.append(h);
    return h;
  });
}

/** The bar (a day, or an hour of the hourly chart) at bucket number `g`
 *  (days since 1970, times `per`), in words. */
function bucketText(g, per) {
  const day = Math.floor(g / per);
  return per === 24 ? `${formatDay(day)}, ${String(g % 24).padStart(2, '0')}:00` : formatDay(day);
}

/** The brush: a shaded selection from bucket `a` to bucket `b` (buckets
 *  `lo`..`hi` are drawn), with two handles. */
function drawBrush(hasRange, [a, b, lo, hi, per]) {
  const n = hi - lo + 1;
  const x0 = ((a - lo) / n) * VIEW_W;
  const x1 = ((b - lo + 1) / n) * VIEW_W;
  if (hasRange) chart.brush.replaceChildren(svg('rect', { class: 'selection', x: x0, y: 0, width: Math.max(0, x1 - x0), height: VIEW_H }));
  else chart.brush.replaceChildren();
  if (!handles) makeHandles();
  const [hs, he] = handles;
  hs.style.left = `${(x0 / VIEW_W) * 100}%`;
  he.style.left = `${(x1 / VIEW_W) * 100}%`;
  for (const [h, v] of [[hs, a], [he, b]]) {
    h.setAttribute('aria-valuemin', String(lo));
    h.setAttribute('aria-valuemax', String(hi));
    h.setAttribute('aria-valuenow', String(v));
    h.setAttribute('aria-valuetext', bucketText(v, per));
    h.classList.toggle('idle', !hasRange);
  }
}

/** Draws the timeline for `session.histogramResults` and the state's range. */
export function renderTimeline() {
  const drawn = buckets();
  const { per, d0, d1, dayOnly } = drawn;
  el.svg.setAttribute('viewBox', `0 0 ${VIEW_W} ${VIEW_H}`);
  if (!chart) makeChart();
  const hasRange = state.from !== null || state.to !== null;
  const a = Math.max(d0, Math.min(d1, state.from ?? d0));
  const b = Math.max(d0, Math.min(d1, state.to ?? d1));
  const range = rangeBuckets(per);
  drawBars(drawn, hasRange, range);
  drawBrush(hasRange, range);
  renderTicks(d0, d1, per === 24);
  el.axisStart.textContent = formatDay(d0);
  el.axisEnd.textContent = formatDay(d1);
  const { histogramResults } = session;
  const und = histogramResults ? histogramResults.undated || 0 : 0;
  const apart = [];
  if (dayOnly) apart.push(`${dayOnly} dated to the day only`);
  if (und) apart.push(`${und} undated`);
  el.undated.textContent = apart.length ? `+ ${apart.join(', ')} (not on the chart)` : '';
  el.rangeLabel.textContent = hasRange ? rangeText() : state.zoom ? `Zoomed: ${formatRange(d0, d1)}` : 'All dates';
  el.clearRange.hidden = !hasRange;
  el.zoomIn.hidden = !hasRange || Boolean(state.zoom && a === d0 && b === d1);
  el.zoomOut.hidden = !state.zoom;
  el.chartHint.hidden = hasRange;
  renderEmpty(drawn.counts, und + dayOnly);
}

/** Over an empty chart, why it is empty. */
function renderEmpty(counts, apart) {
  const empty = counts.every((c) => c === 0) && apart === 0;
  el.chartEmpty.hidden = !empty;
  if (!empty) return;
  let why = 'No entry matches this query on any date';
  if (!state.q.trim() && !state.authors.length) why = 'No entries on these dates';
  else if (state.authors.length) why = `No entry by ${state.authors.join(' or ')} matches on any date`;
  el.chartEmpty.textContent = state.zoom ? `${why} of the zoomed range.` : `${why}.`;
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

let ticksFor = '';

/** Day labels under the chart: every day, every week (Mondays) or every
 *  month, whichever fits; none too close to the two ends, which are labelled. */
function renderTicks(d0, d1, hourly) {
  // They follow the domain only: most renders (every keystroke) keep them.
  const key = `${d0} ${d1} ${hourly}`;
  if (key === ticksFor) return;
  ticksFor = key;
  const days = d1 - d0 + 1;
  const frag = document.createDocumentFragment();
  for (let d = d0; d <= d1; d++) {
    const date = new Date(d * DAY_MS);
    const keep = days <= 10 ? true
      : days <= 90 ? date.getUTCDay() === 1
      : date.getUTCDate() === 1;
    if (!keep) continue;
    const at = ((d - d0 + (hourly ? 0 : 0.5)) / days) * 100;
    if (at < 9 || at > 91) continue;
    const span = document.createElement('span');
    span.textContent = days > 90 ? formatMonth(d) : formatShortDay(d);
    span.style.left = `${at}%`;
    frag.append(span);
  }
  el.ticks.replaceChildren(frag);
}

/** Sets the range (day numbers, or null for open ends; hours within the
 *  first and last day, or null for whole days) and searches; with `push`
 *  defined, also records it in history. */
function setRange(from, to, push, fromHour = null, toHour = null) {
  const [d0, d1] = domain();
  if (from !== null && to !== null && from > to) [from, to, fromHour, toHour] = [to, from, toHour, fromHour];
  // A range that covers the whole domain is no range.
  if (from !== null && to !== null && from <= d0 && to >= d1 && !state.zoom) { from = null; to = null; }
  Object.assign(state, { from, to, fromHour, toHour });
  checkHours();
  session.limit = PAGE;
  actions.update();
  if (push !== undefined) { commit(push); session.typingEntry = false; }
}

/** Bars per day as drawn: 24 in the hourly chart, else 1. */
const perNow = () => (chart && chart.drawn ? chart.drawn.per : 1);

/** The range in buckets (days since 1970 times `per`, plus the hour):
 *  [first, last, first drawn, last drawn, per]. */
function rangeBuckets(per = perNow()) {
  const [d0, d1] = domain();
  const hour = (h, whole) => (per === 24 ? (h ?? whole) : 0);
  const clamp = (g) => Math.max(d0 * per, Math.min((d1 + 1) * per - 1, g));
  const a = clamp((state.from ?? d0) * per + hour(state.fromHour, 0));
  const b = clamp((state.to ?? d1) * per + hour(state.toHour, 23));
  return [a, b, d0 * per, (d1 + 1) * per - 1, per];
}

/** Sets the range from buckets `g0` to `g1` (an hour of the hourly chart
 *  selects that hour; whole days are days). */
function setBuckets(g0, g1, push) {
  const [a, b] = [Math.min(g0, g1), Math.max(g0, g1)];
  const per = perNow();
  if (per === 1) { setRange(a, b, push); return; }
  const [fh, th] = [a % 24, b % 24];
  setRange(Math.floor(a / 24), Math.floor(b / 24), push, fh === 0 ? null : fh, th === 23 ? null : th);
}

/** Where `clientX` falls across the chart, in [0, 1). */
function chartFraction(clientX) {
  const r = el.svg.getBoundingClientRect();
  return Math.min(0.999999, Math.max(0, (clientX - r.left) / Math.max(1, r.width)));
}

/** The bucket under `clientX`. */
function bucketAt(clientX) {
  const [, , lo, hi] = rangeBuckets();
  return lo + Math.floor(chartFraction(clientX) * (hi - lo + 1));
}

/** The drag in progress: a new range, a moved range, or a handle. */
let drag = null;

function onChartPointerDown(e) {
  if (!session.bounds || e.button !== 0) return;
  const g = bucketAt(e.clientX);
  const [a, b, lo, hi] = rangeBuckets();
  // A range that fills the chart (as after a zoom) cannot move: a drag
  // draws a new one.
  const movable = state.from !== null && state.to !== null && b > a && (a > lo || b < hi);
  drag = movable && g >= a && g <= b
    ? { mode: 'move', grab: g, a, b }
    : { mode: 'new', anchor: g };
  el.svg.setPointerCapture(e.pointerId);
  if (drag.mode === 'new') setBuckets(g, g);
  e.preventDefault();
}

function onChartPointerMove(e) {
  if (!drag || drag.mode === 'handle') return;
  const g = bucketAt(e.clientX);
  if (drag.mode === 'new') {
    setBuckets(drag.anchor, g);
  } else {
    const [, , lo, hi] = rangeBuckets();
    const len = drag.b - drag.a;
    const from = Math.max(lo, Math.min(hi - len, drag.a + g - drag.grab));
    setBuckets(from, from + len);
  }
}

function endDrag() {
  if (!drag) return;
  drag = null;
  commitStep();
}

function onHandlePointerDown(e) {
  if (!session.bounds || e.button !== 0) return;
  const target = e.currentTarget;
  const which = target.dataset.which;
  const [a, b] = rangeBuckets();
  drag = { mode: 'handle', which, other: which === 'start' ? b : a };
  target.setPointerCapture(e.pointerId);
  target.focus();
  e.preventDefault();
  const move = (ev) => {
    if (drag) setBuckets(bucketAt(ev.clientX), drag.other);
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

/** Arrow keys move a handle by one bar (a day, or an hour of the hourly
 *  chart), Page Up and Page Down by a week (a day). */
function onHandleKey(e) {
  const which = e.currentTarget.dataset.which;
  let [a, b, lo, hi, per] = rangeBuckets();
  const page = per === 24 ? 24 : 7;
  const step = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -page, PageUp: page }[e.key];
  if (step === undefined && e.key !== 'Home' && e.key !== 'End') {
    if (e.key === 'Escape' && (state.from !== null || state.to !== null)) { setRange(null, null, true); e.preventDefault(); }
    return;
  }
  e.preventDefault();
  if (which === 'start') {
    a = e.key === 'Home' ? lo : e.key === 'End' ? b : Math.max(lo, Math.min(b, a + step));
  } else {
    b = e.key === 'Home' ? a : e.key === 'End' ? hi : Math.max(a, Math.min(hi, b + step));
  }
  // The first key of a run makes a history entry, the next ones rewrite it.
  setBuckets(a, b, !keyRun);
  keyRun = true;
}

/** Keys pressed on a handle since it took the focus. */
let keyRun = false;

/** After a control hides itself, the focus goes to the first of `next`
 *  that is shown, rather than to <body>. */
function keepFocus(...next) {
  const to = next.find((n) => n && !n.hidden && !n.disabled);
  if (to) to.focus();
}

/** The chart's pointer listeners, and the zoom and clear buttons. */
export function initTimeline() {
  el.svg.addEventListener('pointerdown', onChartPointerDown);
  el.svg.addEventListener('pointermove', onChartPointerMove);
  el.svg.addEventListener('pointerup', endDrag);
  el.svg.addEventListener('pointercancel', endDrag);
  el.clearRange.addEventListener('click', () => {
    setRange(null, null, true);
    keepFocus(handles && handles[0]);
  });
  el.zoomIn.addEventListener('click', () => {
    if (state.from === null && state.to === null) return;
    const [d0, d1] = domain();
    state.zoom = [state.from ?? d0, state.to ?? d1];
    actions.update();
    commitStep();
    keepFocus(el.zoomOut, handles && handles[0]);
  });
  el.zoomOut.addEventListener('click', () => {
    state.zoom = null;
    actions.update();
    commitStep();
    keepFocus(el.zoomIn, el.clearRange, handles && handles[0]);
  });
}
