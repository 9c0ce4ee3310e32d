// Bundles the explorer page (www/app.js and the modules it imports: www/app/,
// www/dates.js, www/highlight.js, www/dateline.js and the wasm-bindgen glue
// www/pkg/dateline.js) into ONE ES module for the single-file build, with
// esbuild: www/dist/bundle/app.single.js. `dateline build --single-file`
// (src/bin/dateline/single.rs) inlines it into the page with the wasm and the
// index. The page's modules are not changed: their imports of www/dateline.js
// are pointed at single-shim.js, which opens the embedded payloads instead of
// fetching.
//
//   node tools/bundle.mjs [OUT]        (build.sh runs it after the wasm build)

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const out = path.resolve(process.argv[2] || path.join(root, 'www', 'dist', 'bundle', 'app.single.js'));
const shim = path.join(here, 'single-shim.js');
const www = path.join(root, 'www');
const app = path.join(www, 'app.js');
const api = path.join(www, 'dateline.js');

const embedded = {
  name: 'dateline-single',
  setup(build) {
    // The page's imports of www/dateline.js are redirected; the shim
    // imports the real one (and www/pkg/dateline.js is the glue, not it).
    build.onResolve({ filter: /(^|\/)dateline\.js$/ }, (args) =>
      args.importer !== shim && path.resolve(args.resolveDir, args.path) === api ? { path: shim } : undefined);
  },
};

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
  plugins: [embedded],
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).map((p) => path.relative(root, path.resolve(p)));
// Every module of the page must be in the bundle: one imported only
// dynamically would not be, and would be fetched from file://, which
// browsers refuse.
const pageModules = (await readdir(path.join(www, 'app'))).filter((f) => f.endsWith('.js')).map((f) => `www/app/${f}`);
for (const want of ['www/app.js', ...pageModules, 'www/dates.js', 'www/highlight.js', 'www/dateline.js',
  'www/pkg/dateline.js', 'tools/single-shim.js']) {
  if (!inputs.includes(want)) throw new Error(`bundle.mjs: ${want} is not in the bundle (inputs: ${inputs.join(', ')})`);
}
const bytes = result.metafile.outputs[path.relative(process.cwd(), out)]?.bytes;
console.log(`bundled ${inputs.join(' + ')} -> ${path.relative(root, out)}${bytes ? ` (${bytes} bytes)` : ''}`);
