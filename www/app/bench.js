// Performance marks and measures, read by tests/e2e/bench.mjs and
// tests/e2e/bench-shards.mjs.

import { state } from './state.js';

/** Marks the moment results of the current query are on screen (the first
 *  cards, or the whole page): the sharded benchmark counts the bytes
 *  fetched before it. */
export function markShown() {
  try { performance.mark('dateline:shown', { detail: state.q }); } catch { /* old browsers */ }
}

/** Measures a keystroke from its event's time stamp to now (the DOM
 *  updated: `dateline:keystroke`), to the start of the next frame
 *  (`dateline:keystroke-raf`), and to the end of that frame
 *  (`dateline:keystroke-frame`): a message posted from that frame's
 *  requestAnimationFrame callback runs once the frame's style, layout and
 *  paint are done, so the measure includes them. */
export function measureKeystroke(start) {
  const end = performance.now();
  try {
    performance.measure('dateline:keystroke', { start, end });
    requestAnimationFrame(() => {
      performance.measure('dateline:keystroke-raf', { start, end: performance.now() });
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        performance.measure('dateline:keystroke-frame', { start, end: performance.now() });
        channel.port1.close();
      };
      channel.port2.postMessage(null);
    });
  } catch { /* performance.measure with options is not everywhere */ }
}
