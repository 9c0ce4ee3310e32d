// Stands in for www/dateline.js inside the page's production bundle
// (www/app.bundle.js, see bundle.mjs): the wasm-bindgen glue is bundled too,
// so that no module is fetched after the bundle, and the WebAssembly module
// starts (fetch + WebAssembly.instantiateStreaming of pkg/dateline_bg.wasm,
// the URL index.html preloads) as soon as the bundle runs, before the page's
// own code. Everything else is www/dateline.js itself.

import * as glue from '../www/pkg/dateline.js';
import { init } from '../www/dateline.js';

export * from '../www/dateline.js';

init(undefined, glue);
