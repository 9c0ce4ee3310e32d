// Matches marked in text, shared by the page (app/results.js) and the custom
// element (dateline-element.js).
//
// The engine reports matches as [start, end) ranges in UTF-16 code units.
// One rule for every range list: each range is clamped to the text, empty
// ones are dropped, and ranges that overlap or touch are merged into one
// mark. `mergeRanges` and `segments` are plain arithmetic (node can test
// them); `highlight` builds the DOM from text nodes and <mark> elements only,
// so corpus text is never parsed as HTML.

/** A range bound as an integer, or NaN when it is not a finite number. */
function bound(v) {
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : NaN;
}

/** `ranges` ([start, end) pairs, in any order) within a text of `length`
 *  code units: clamped, sorted, without empty ranges, with overlapping and
 *  adjacent ones merged. Always a new array of new pairs. */
export function mergeRanges(ranges, length) {
  const clamped = [];
  for (const r of ranges || []) {
    if (!r) continue;
    const a = Math.max(0, bound(r[0]));
    const b = Math.min(length, bound(r[1]));
    if (b > a) clamped.push([a, b]);
  }
  clamped.sort((x, y) => x[0] - y[0]);
  const merged = [];
  for (const [a, b] of clamped) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** `text` cut into consecutive pieces `{ text, marked }` that join back into
 *  `text`; the marked pieces are `mergeRanges(ranges, text.length)`. */
export function segments(text, ranges) {
  const out = [];
  let at = 0;
  for (const [a, b] of mergeRanges(ranges, text.length)) {
    if (a > at) out.push({ text: text.slice(at, a), marked: false });
    out.push({ text: text.slice(a, b), marked: true });
    at = b;
  }
  if (at < text.length) out.push({ text: text.slice(at), marked: false });
  return out;
}

/** `text` as DOM nodes with the ranges wrapped in <mark>: text nodes and
 *  <mark> elements (with `markAttrs` set on each, e.g. `{ part: 'mark' }`). */
export function highlight(text, ranges, markAttrs = {}) {
  return segments(String(text ?? ''), ranges).map(({ text: piece, marked }) => {
    if (!marked) return document.createTextNode(piece);
    const mark = document.createElement('mark');
    for (const [k, v] of Object.entries(markAttrs)) mark.setAttribute(k, String(v));
    mark.textContent = piece;
    return mark;
  });
}
