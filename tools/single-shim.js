// Stands in for www/dateline.js inside the single-file build (see
// bundle.mjs): the page's `open('data/index.dtl')` gets the index embedded in
// the HTML instead, and the WebAssembly module starts from the embedded bytes
// and the bundled glue. Nothing is fetched: the file works from file:// and
// offline.
//
// Payloads are <script type="application/octet-stream" id="dateline-wasm">
// (and id="dateline-index") elements holding base64; data-encoding="gzip"
// means the bytes are gzip-compressed and are inflated by the browser's own
// DecompressionStream (no decoder is shipped).

import * as glue from '../www/pkg/dateline.js';
import { init, open as openBytes } from '../www/dateline.js';

export * from '../www/dateline.js';

function base64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The bytes of an embedded payload. */
export async function payload(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`This single-file Dateline has no #${id} payload: rebuild it with dateline build --single-file.`);
  const bytes = base64(el.textContent.replace(/\s+/g, ''));
  if (el.dataset.encoding !== 'gzip') return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Evaluated before app.js (which imports this module), so the engine starts
// from the embedded bytes, never from a URL.
init(payload('dateline-wasm'), glue);
const index = payload('dateline-index');

/** `open()` of dateline.js, where a URL means the embedded index. */
export async function open(source, options) {
  if (typeof source === 'string' || source instanceof URL) source = await index;
  return openBytes(source, options);
}
