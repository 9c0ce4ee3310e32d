// axe-core, the accessibility checker, run in a page under test (the page's
// CSP does not apply: the script goes in through the debugger).
//
//   const found = await axeViolations(page);               // the whole page
//   const found = await axeViolations(page, '#explorer');  // one element, shadow root included
//   const found = await axeViolations(page, '#explorer', { preload: false }); // options of axe.run

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** axe-core's source (a pinned devDependency of tests/e2e). */
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on `page` as it is, within `selector` when given
 *  (else the whole document), with `options` for axe.run: "rule: target" lines. */
export async function axeViolations(page, selector = null, options = {}) {
  await page.evaluate(AXE);
  return page.evaluate(async ([selector, options]) => {
    const context = selector ? document.querySelector(selector) : document;
    const r = await window.axe.run(context, { ...options, resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  }, [selector, options]);
}
