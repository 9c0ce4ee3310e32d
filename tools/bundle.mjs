// Bundles the explorer page (www/app.js and the modules it imports: www/app/,
// www/dates.js, www/highlight.js, www/dateline.js and the wasm-bindgen glue
// www/pkg/dateline.js) into ONE minified ES module, with esbuild, in two
// forms:
//
// * the single-file build: www/dist/bundle/app.single.js. `dateline build
//   --single-file` (src/bin/dateline/single.rs) inlines it into the page with
//   the wasm and the index. The page's imports of www/dateline.js are pointed
//   at single-shim.js, which opens the embedded payloads instead of fetching.
// * the served page (`--page`): www/app.bundle.js, the one script that
//   www/index.html loads, so that a first visit fetches one module instead of
//   a waterfall of fifteen. Its imports of www/dateline.js are pointed at
//   page-shim.js, which bundles the wasm glue and starts the module at once.
//   It sits beside www/dateline.js, so the URLs that dateline.js resolves
//   against `import.meta.url` (pkg/dateline_bg.wasm) stay the same.
//
// The page's modules are not changed: they stay the sources, loaded as they
// are by the module tests and by anyone importing www/dateline.js.
//
//   node tools/bundle.mjs [OUT]          the single-file bundle
//   node tools/bundle.mjs --page [OUT]   the served page's bundle
// (build.sh runs both after the wasm build)

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const page = args[0] === '--page';
if (page) args.shift();
const www = path.join(root, 'www');
const out = path.resolve(args[0] || (page ? path.join(www, 'app.bundle.js') : path.join(www, 'dist', 'bundle', 'app.single.js')));
const shim = path.join(here, page ? 'page-shim.js' : 'single-shim.js');
const app = path.join(www, 'app.js');
const api = path.join(www, 'dateline.js');

/** An esbuild plugin pointing the page's imports of www/dateline.js at the
 *  shim; the shim imports the real one (and www/pkg/dateline.js is the
 *  glue, not it). */
const toShim = (name) => ({
  name,
  setup(build) {
    build.onResolve({ filter: /(^|\/)dateline\.js$/ }, (args) =>
      args.importer !== shim && path.resolve(args.resolveDir, args.path) === api ? { path: shim } : undefined);
  },
});
const embedded = toShim('dateline-single');
const redirected = toShim('dateline-page');

const result = await esbuild.build({
  entryPoints: [app],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome111', 'firefox113', 'safari16.4'],
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  outfile: out,
  plugins: [page ? redirected : embedded],
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).map((p) => path.relative(root, path.resolve(p)));
// Every module of the page must be in the bundle: one imported only
// dynamically would not be, and would be fetched from file://, which
// browsers refuse (single file), or after the bundle, a round trip later
// (served page).
const pageModules = (await readdir(path.join(www, 'app'))).filter((f) => f.endsWith('.js')).map((f) => `www/app/${f}`);
for (const want of ['www/app.js', ...pageModules, 'www/dates.js', 'www/highlight.js', 'www/dateline.js',
  'www/pkg/dateline.js', path.relative(root, shim)]) {
  if (!inputs.includes(want)) throw new Error(`bundle.mjs: ${want} is not in the bundle (inputs: ${inputs.join(', ')})`);
}
const bytes = result.metafile.outputs[path.relative(process.cwd(), out)]?.bytes;
console.log(`bundled ${inputs.join(' + ')} -> ${path.relative(root, out)}${bytes ? ` (${bytes} bytes)` : ''}`);
