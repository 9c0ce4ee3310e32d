// Stands in for www/dateline.js inside the page's production bundle
// (www/app.bundle.js, see bundle.mjs): the wasm-bindgen glue is bundled too,
// so that no module is fetched after the bundle, and the WebAssembly module
// starts (fetch + WebAssembly.instantiateStreaming of pkg/dateline_bg.wasm,
// the URL index.html preloads) while the bundle is evaluated, before app.js
// runs. Everything else is www/dateline.js itself (with two performance
// marks and a memory probe for the benchmarks).

import * as glue from '../www/pkg/dateline.js';
import { init, open as openArchive, wasmMemory } from '../www/dateline.js';

export * from '../www/dateline.js';

const mark = (name) => { try { performance.mark(name); } catch { /* old browsers */ } };

// For the benchmarks: the page's own module's memory (an `import()` of
// dateline.js from the page would be another instance, with a module of its
// own), and marks for tests/e2e/bench.mjs: the module instantiated, the
// archive open.
globalThis[Symbol.for('dateline.wasmMemory')] = wasmMemory;
init(undefined, glue).then(() => mark('dateline:wasm-ready'), () => {});

/** `open()` of dateline.js, marking when the archive is open. */
export async function open(source, options) {
  const archive = await openArchive(source, options);
  mark('dateline:opened');
  return archive;
}
