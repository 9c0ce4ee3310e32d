// Dateline: the public JavaScript API of the explorer.
//
//   import { open } from './dateline.js';
//   const archive = await open('data/index.dtl');        // or an ArrayBuffer / Uint8Array
//   const { total, hits, histogram, undated, authors, terms, corrections, alternatives } =
//     archive.search('zelenskyy -putin', { sort: 'newest' });
//   archive.suggest('zel', 5);   // [{ term, count }]
//   archive.entry(3);            // the whole entry, or null
//   archive.stats();             // what the index holds
//
// Every result is a plain object shaped like the CLI's `--json` output.
// The WebAssembly module is loaded once per page, whatever the number of
// archives opened. Failures reject with an `Error` (a `DatelineError`, with a
// `code`) whose message says what to do.
//
// A large archive is sharded (`dateline build --shards`): `open` fetches only
// its small root, and each query fetches the shards it needs, once, in
// parallel. The synchronous methods answer from what is loaded and throw a
// `DatelineError` with code `pending` (and `.load()`, a promise of those
// shards) when they need more; the `…Async` twins fetch and answer:
//
//   const r = await archive.searchAsync('zelenskyy');   // any archive
//   try { render(archive.search(q)); }                    // never waits
//   catch (e) { if (e.code === 'pending') e.load().then(() => rerender()); else throw e; }

const WASM_GLUE = new URL('./pkg/dateline.js', import.meta.url);
const WASM_BINARY = new URL('./pkg/dateline_bg.wasm', import.meta.url);

/** An error of this API. `code` is one of: `missing` (the index or the wasm
 *  module is not where it was looked for), `http`, `network`, `version` (the
 *  index was written by another format version), `corrupt`, `integrity` (the bytes do not match
 *  their published SHA-256), `query`, `closed`, `pending` (a sharded archive
 *  needs shards that are not loaded yet: `error.shards` names them and
 *  `error.load()` fetches them). */
export class DatelineError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'DatelineError';
    this.code = code;
  }
}

let modulePromise = null;
/** The module's exports once started (for its memory's size). */
let wasmExports = null;

/**
 * Loads and instantiates the WebAssembly module (once; later calls return the
 * same promise). `open` calls it; call it yourself only to start loading early
 * or to load the module from another URL.
 * @param {string|URL|BufferSource|WebAssembly.Module} [wasmUrl] where
 *   `dateline_bg.wasm` is, or its bytes (nothing is fetched then).
 * @param {object} [glueModule] the wasm-bindgen glue (`pkg/dateline.js`)
 *   already imported, for bundles that cannot import it by URL.
 */
export function init(wasmUrl = WASM_BINARY, glueModule = null) {
  if (!modulePromise) {
    modulePromise = (async () => {
      let glue = glueModule;
      if (!glue) try {
        glue = await import(WASM_GLUE.href);
      } catch (cause) {
        throw new DatelineError('missing',
          `The Dateline WebAssembly module could not be loaded from ${WASM_GLUE.href}. ` +
          'Build it with ./build.sh (it writes www/pkg/).', { cause });
      }
      try {
        wasmExports = await glue.default({ module_or_path: wasmUrl });
      } catch (cause) {
        throw new DatelineError('missing',
          `The Dateline WebAssembly module ${typeof wasmUrl === 'string' || wasmUrl instanceof URL ? `at ${new URL(wasmUrl, location.href).href}` : 'given as bytes'} could not be ` +
          `started (${cause && cause.message || cause}). Rebuild it with ./build.sh.`, { cause });
      }
      return glue;
    })();
    // A failed load may be retried (e.g. after running ./build.sh).
    modulePromise.catch(() => { modulePromise = null; });
  }
  return modulePromise;
}

/** Bytes of the WebAssembly module's memory (every archive's data), or null
 *  before the module has started. */
export function wasmMemory() {
  return wasmExports && wasmExports.memory ? wasmExports.memory.buffer.byteLength : null;
}

async function fetchIndex(url) {
  const href = new URL(url, location.href).href;
  let response;
  try {
    response = await fetch(href);
  } catch (cause) {
    throw new DatelineError('network',
      `The index at ${href} could not be fetched (${cause && cause.message || cause}). ` +
      'Is the server running? Start it with ./build.sh serve.', { cause });
  }
  if (response.status === 404) {
    throw new DatelineError('missing',
      `No index at ${href} (HTTP 404). Build it with ./build.sh, which writes www/data/index.dtl.`);
  }
  if (!response.ok) {
    throw new DatelineError('http',
      `The index at ${href} could not be loaded: HTTP ${response.status} ${response.statusText}.`);
  }
  return { bytes: new Uint8Array(await response.arrayBuffer()), where: href };
}

function toBytes(source) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return null;
}

// Turns the engine's message into one a person can act on here.
function openError(message, where) {
  const m = String(message).replace(/[.\s]+$/, '');
  if (/format version/i.test(m)) {
    return new DatelineError('version',
      `The index ${where} was written by another version of Dateline (${m}). ` +
      'Run ./build.sh to rebuild it with this version.');
  }
  if (/magic|not a dateline index/i.test(m)) {
    return new DatelineError('corrupt',
      `What was loaded ${where} is not a Dateline index (${m}). ` +
      'Check the URL, or run ./build.sh to write www/data/index.dtl.');
  }
  return new DatelineError('corrupt',
    `The index ${where} cannot be read: it is damaged (${m}). ` +
    'Run ./build.sh to rebuild it, or copy it again.');
}

// Checks an index's bytes against a published SHA-256 (hex, or a Subresource
// Integrity value `sha256-BASE64`, as `dateline publish` writes both) before
// the engine sees them.
async function checkDigest(bytes, want, where) {
  if (!want) return;
  if (!globalThis.crypto || !crypto.subtle) {
    throw new DatelineError('integrity',
      `The index ${where} cannot be checked against its SHA-256: the page is not a secure context ` +
      '(serve it over https, or from localhost).');
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  const sri = `sha256-${btoa(String.fromCharCode(...digest))}`;
  if (want !== hex && want !== sri) {
    throw new DatelineError('integrity',
      `The index ${where} does not match its published SHA-256 (expected ${want}, got ${hex}): ` +
      'it changed or was damaged after publishing. Publish it again with dateline publish.');
  }
}

/**
 * Opens an archive.
 * @param {string|URL|ArrayBuffer|Uint8Array} source the index's URL, or its bytes.
 * @param {{wasm?: string|URL, sha256?: string, integrity?: string, shards?: string|URL}} [options]
 *   where the wasm binary is, if not beside this file; the index's published SHA-256 (hex, or
 *   `sha256-BASE64`), checked before use; where a sharded index's shards are (default: `shards/`
 *   beside the index).
 * @returns {Promise<Explorer>}
 */
export async function open(source, options = {}) {
  // Start the module and the index download together.
  const ready = init(options.wasm);
  let bytes = toBytes(source);
  let where = 'given as bytes';
  let base = options.shards ? new URL(options.shards, location.href).href : null;
  if (!bytes) {
    if (typeof source !== 'string' && !(source instanceof URL)) {
      throw new DatelineError('query', 'open() takes the URL of an index, or its bytes (ArrayBuffer or Uint8Array).');
    }
    const [fetched] = await Promise.all([fetchIndex(source), ready]);
    bytes = fetched.bytes;
    where = `at ${fetched.where}`;
    base = base || new URL('shards/', fetched.where).href;
  }
  await checkDigest(bytes, options.sha256 || options.integrity, where);
  const glue = await ready;
  let inner;
  try {
    inner = new glue.Explorer(bytes);
  } catch (e) {
    throw openError(e && e.message || e, where);
  }
  return new Explorer(inner, { base, where, verify: Boolean(options.sha256 || options.integrity) });
}

/**
 * Opens the index that a `dateline publish` manifest (`dateline-manifest.json`)
 * names, after checking it against the SHA-256 the manifest gives.
 * @param {string|URL} manifestUrl where the manifest is.
 * @param {{wasm?: string|URL, name?: string}} [options] `name`: the logical name
 *   of the index in the manifest (default `data/index.dtl`).
 * @returns {Promise<Explorer>}
 */
export async function openPublished(manifestUrl, options = {}) {
  const href = new URL(manifestUrl, location.href).href;
  let manifest;
  try {
    const response = await fetch(href);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    manifest = await response.json();
  } catch (cause) {
    throw new DatelineError('missing',
      `The publish manifest at ${href} could not be loaded (${cause && cause.message || cause}). ` +
      'Run dateline publish and upload dateline-manifest.json beside the files.', { cause });
  }
  const name = options.name || 'data/index.dtl';
  const files = (manifest && manifest.files) || {};
  // By logical name, or by published name: `dateline publish` rewrites the
  // default above in its copy of this file to the hashed name.
  const entry = files[name] || Object.values(files).find((f) => f && f.file === name);
  if (!entry || !entry.file || !entry.sha256) {
    throw new DatelineError('missing', `The publish manifest at ${href} lists no ${name} with its SHA-256.`);
  }
  return open(new URL(entry.file, href), { ...options, sha256: entry.sha256 });
}

function call(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DatelineError) throw e;
    throw new DatelineError('query', String(e && e.message || e), { cause: e });
  }
}

/** Rounds of fetching one call may take before the archive is called damaged
 *  (a sharded query takes up to six: see README, "Sharding"). */
const MAX_ROUNDS = 24;

/** An opened archive. Its methods are synchronous and return plain objects;
 *  over a sharded archive, the `…Async` twins fetch what a call needs. */
export class Explorer {
  #inner;
  #base;
  #where;
  #verify;
  /** Shard name → promise of its loading (kept: each shard is fetched once). */
  #shards = new Map();
  /** Shard fetches under way, and the rounds so far: a round starts when a
   *  fetch starts while none is under way (fetches that overlap, such as a
   *  search's and a suggestion's, share a round). */
  #inflight = 0;
  #rounds = 0;

  constructor(inner, { base = null, where = 'given as bytes', verify = false } = {}) {
    this.#inner = inner;
    this.#base = base;
    this.#where = where;
    this.#verify = verify;
  }

  #live() {
    if (!this.#inner) throw new DatelineError('closed', 'This archive was closed.');
    return this.#inner;
  }

  /** Calls the module; a `{pending}` answer becomes a `pending` error. */
  #answer(fn) {
    const r = call(fn);
    if (r && typeof r === 'object' && Array.isArray(r.pending)) {
      const names = r.pending;
      const e = new DatelineError('pending',
        `This part of the archive is not loaded yet (${names.length} shard${names.length === 1 ? '' : 's'}); ` +
        'call error.load(), or use the …Async method, which fetches it.');
      e.shards = names;
      e.load = () => this.load(names);
      throw e;
    }
    return r;
  }

  /** Whether the archive is sharded (fetched piece by piece). */
  get sharded() {
    return Boolean(this.#inner && this.#inner.sharded());
  }

  /** `{shards, bytes, rounds}`: what has been fetched of a sharded archive
   *  so far, and in how many sequential rounds of fetching (a round: shard
   *  fetches under way together; the next starts when one starts while none is). */
  loaded() {
    const [shards, bytes] = this.#live().loaded();
    return { shards, bytes, rounds: this.#rounds };
  }

  /** Fetches (in parallel, each once) and loads the named shards. */
  load(names) {
    return Promise.all(names.map((name) => {
      let p = this.#shards.get(name);
      if (!p) {
        if (this.#inflight++ === 0) this.#rounds += 1;
        p = this.#fetchShard(name).finally(() => { this.#inflight -= 1; });
        this.#shards.set(name, p);
        p.catch(() => this.#shards.delete(name)); // a failed fetch may be retried
      }
      return p;
    })).then(() => undefined);
  }

  async #fetchShard(name) {
    if (!this.#base) {
      throw new DatelineError('missing',
        `The archive ${this.#where} is sharded, and its shards' location is unknown: pass { shards: URL } to open().`);
    }
    if (!/^[0-9a-f]{16}$/.test(name)) throw new DatelineError('corrupt', `The archive asked for a shard named ${JSON.stringify(name)}.`);
    const href = new URL(`${name}.dtl`, this.#base).href;
    let response;
    try {
      response = await fetch(href);
    } catch (cause) {
      throw new DatelineError('network', `The shard ${href} could not be fetched (${cause && cause.message || cause}).`, { cause });
    }
    if (!response.ok) {
      throw new DatelineError(response.status === 404 ? 'missing' : 'http',
        `The shard ${href} could not be loaded: HTTP ${response.status}. ` +
        'The index was probably rebuilt while this page was open: reload the page.');
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A shard's name is the start of its SHA-256: checked wherever the
    // browser can (always when the root's own SHA-256 was given).
    if (globalThis.crypto && crypto.subtle) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      const hex = Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
      if (hex !== name) {
        throw new DatelineError('integrity', `The shard ${href} does not match its name (SHA-256 ${hex}…): it changed or was damaged; reload the page, or rebuild the index.`);
      }
    } else if (this.#verify) {
      throw new DatelineError('integrity',
        `The shard ${href} cannot be checked against its SHA-256: the page is not a secure context ` +
        '(serve it over https, or from localhost).');
    }
    try {
      this.#live().add_shard(name, bytes);
    } catch (e) {
      if (e instanceof DatelineError) throw e;
      throw new DatelineError('corrupt', `The shard ${href} cannot be read: it is damaged (${e && e.message || e}). Rebuild the index.`, { cause: e });
    }
  }

  /** Runs a synchronous method, fetching what it needs until it answers. */
  async #fetching(fn) {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      try {
        return fn();
      } catch (e) {
        if (!(e instanceof DatelineError) || e.code !== 'pending') throw e;
        await e.load();
      }
    }
    throw new DatelineError('corrupt', `The archive ${this.#where} kept asking for more shards: it is damaged. Rebuild it.`);
  }

  /** `search`, fetching the shards it needs first. */
  searchAsync(query = '', options = {}) {
    return this.#fetching(() => this.search(query, options));
  }

  /** `suggest`, fetching the shards it needs first. */
  suggestAsync(prefix, n = 8) {
    return this.#fetching(() => this.suggest(prefix, n));
  }

  /** `entry`, fetching the shards it needs first. */
  entryAsync(id) {
    return this.#fetching(() => this.entry(id));
  }

  /**
   * Searches the archive.
   * @param {string} query words, "phrases", -exclusions (empty: everything)
   * @param {{from?: string, to?: string, sort?: 'relevance'|'newest'|'oldest',
   *          authors?: string[], limit?: number, offset?: number}} [options]
   *   `from` and `to` are days (`YYYY-MM-DD`, inclusive).
   * @returns {{total: number, hits: object[], histogram: object[], undated: number,
   *            authors: {name: string, count: number}[], terms: number,
   *            corrections: {word: string, to: string}[],
   *            alternatives: {query: string, total: number}[]}}
   *   `authors` counts every match ignoring the `authors` filter; `terms` is
   *   the number of searchable words; `alternatives` only when `total` is 0.
   */
  search(query = '', options = {}) {
    const q = { query: String(query ?? '') };
    for (const key of ['from', 'to', 'sort', 'authors', 'limit', 'offset', 'partial_ok']) {
      const v = options[key];
      if (v === undefined || v === null || v === '') continue;
      if (key === 'authors' && Array.isArray(v) && v.length === 0) continue;
      q[key] = v;
    }
    return this.#answer(() => this.#live().search(q));
  }

  /** Gets ready for the next keystroke of `query` (its words' scores, from
   *  what is loaded; fetches nothing): call it when typing pauses on a space.
   *  Returns how many words it computed. */
  prepare(query = '') {
    try { return this.#live().prepare(String(query ?? '')); } catch { return 0; }
  }

  /** Up to `n` completions of `prefix` (one word), most frequent first: `[{term, count}]`. */
  suggest(prefix, n = 8) {
    return this.#answer(() => this.#live().suggest(String(prefix ?? ''), n >>> 0));
  }

  /** The whole entry `id` (paragraphs, media, sources), or `null` if there is none. */
  entry(id) {
    const n = Number(id);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) return null;
    return this.#answer(() => this.#live().entry(n));
  }

  /** What the archive holds: entry counts, dates, time zone, title, authors... */
  stats() {
    return call(() => this.#live().stats());
  }

  /** Frees the archive's memory in the WebAssembly module. */
  close() {
    if (this.#inner) {
      this.#inner.free();
      this.#inner = null;
    }
  }
}
