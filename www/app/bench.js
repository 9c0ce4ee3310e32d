// Performance marks and measures, read by tests/e2e/bench.mjs and
// tests/e2e/bench-shards.mjs.

import { state } from './state.js';

/** Marks the moment results of the current query are on screen (the first
 *  cards, or the whole page): the sharded benchmark counts the bytes
 *  fetched before it. */
export function markShown() {
  try { performance.mark('dateline:shown', { detail: state.q }); } catch { /* old browsers */ }
}

/** Measures a keystroke from its event's time stamp to now, and to the next
 *  frame (when the browser can paint the change). */
export function measureKeystroke(start) {
  const end = performance.now();
  try {
    performance.measure('dateline:keystroke', { start, end });
    requestAnimationFrame(() => performance.measure('dateline:keystroke-frame', { start, end: performance.now() }));
  } catch { /* performance.measure with options is not everywhere */ }
}
