// Dateline side by side with the tools people use today for static-site
// search: Pagefind, MiniSearch, FlexSearch and Lunr. `./build.sh bench-peers`
// runs it; by hand (after ./build.sh, with npm ci done here):
//
//   node peers.mjs [--sizes default,10k,100k,1m] [--tools dateline,pagefind,...]
//                  [--work DIR] [--rounds 2] [--loads 3] [--no-docs] [--merge] [--try-all]
//                  [--report-only]
//
// --try-all builds every tool at every size, even when its build at a smaller
// size, scaled linearly, is past the 10 min / 8 GB limits (skipped otherwise).
// --report-only rewrites docs/peers.md and docs/peers.svg from WORK/results.json.
// --merge keeps what WORK/results.json holds and this run does not measure:
// other sizes (e.g. a later `--sizes 1m`), other tools (`--tools dateline`).
//
// For each corpus (corpus/manifest.toml, and `dateline synth --entries N
// --seed 1` for the synthetic sizes) it
//   1. builds Dateline's index (`dateline build`, timed with /usr/bin/time),
//   2. exports the entries (`dateline entries --json`, streamed) into
//      docs.jsonl, and builds each peer's index from it in a child process of
//      its own (build-one.mjs; 10 min and 8 GB at most),
//   3. assembles one minimal page per tool, served by a small static server
//      on 127.0.0.1, and measures in headless Debian Chromium (a fresh browser
//      profile per tool): navigation → first results rendered, the bytes
//      fetched until then, and per keystroke (queries typed key by key) the
//      time from setting the query to the top 20 rendered as DOM text,
// then writes docs/peers.md (tables) and docs/peers.svg (chart), and the raw
// figures to WORK/results.json.
//
// DATELINE_BIN and DATELINE_WWW (default: www/, for dateline.js and pkg/) say
// which Dateline build to measure.
//
// Nothing here fails on a slow machine: these are measurements, not tests.

import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const WWW = path.resolve(process.env.DATELINE_WWW || path.join(ROOT, 'www'));
const DOCS = path.join(ROOT, 'docs');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const SIZES = opt('sizes', 'default,10k,100k').split(',').map((s) => s.trim()).filter(Boolean);
const TOOLS = opt('tools', 'dateline,pagefind,minisearch,flexsearch,lunr').split(',');
const WORK = path.resolve(opt('work', path.join(HERE, 'work')));
const ROUNDS = Number(opt('rounds', 2));
const LOADS = Number(opt('loads', 3));
const WRITE_DOCS = !args.includes('--no-docs');
const MERGE = args.includes('--merge');
const PREDICT = !args.includes('--try-all');
const DATELINE = process.env.DATELINE_BIN ||
  path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'release', 'dateline');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Exactly the flags of tests/e2e/harness.mjs.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];
const BUILD_TIMEOUT_MS = 10 * 60 * 1000;
const BUILD_HEAP_MB = 8192;

/** The queries, each typed key by key. The first one is the page's first query. */
const QUERIES = ['putin', 'zelenskyy talks', 'nuclear power plant', 'sanctions russia',
  'refugees poland', 'mariupol', 'abramovich chelsea', 'zelensky'];
/** Feature probes: their hit counts show what each tool matched. */
const PROBES = {
  'prefix "mariup"': 'mariup',
  'typo "mariupil"': 'mariupil',
  'typo "zelenksyy"': 'zelenksyy',
  'phrase "\\"nuclear power plant\\""': '"nuclear power plant"',
  'words nuclear power plant': 'nuclear power plant',
};

const log = (...a) => console.error('[peers]', ...a);
const sizeOf = (s) => (s === 'default' ? null : Number(s.replace(/k$/i, '000').replace(/m$/i, '000000')));

// ---- processes -------------------------------------------------------------------

/** Runs a command under /usr/bin/time; resolves { code, signal, secs, rssKB, stdout, stderr }. */
function timed(cmd, argv, { stdoutFile, timeoutMs = BUILD_TIMEOUT_MS, env } = {}) {
  return new Promise((resolve, reject) => {
    const timeFile = path.join(tmpdir(), `peers-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const child = spawn('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, cmd, ...argv], {
      stdio: ['ignore', stdoutFile ? 'pipe' : 'pipe', 'pipe'], env: { ...process.env, ...env }, detached: true,
    });
    let stdout = '';
    let stderr = '';
    if (stdoutFile) child.stdout.pipe(createWriteStream(stdoutFile));
    else child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-20000); });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      let secs = NaN;
      let rssKB = NaN;
      try {
        const t = (await readFile(timeFile, 'utf8')).trim().split('\n').pop().split(' ');
        secs = Number(t[0]);
        rssKB = Number(t[1]);
        await rm(timeFile, { force: true });
      } catch { /* killed before time wrote it */ }
      resolve({ code, signal, timedOut, secs, rssKB, stdout, stderr });
    });
  });
}

// ---- corpora ---------------------------------------------------------------------

async function corpus(size) {
  const dir = path.join(WORK, size);
  await mkdir(dir, { recursive: true });
  const n = sizeOf(size);
  let manifest = path.join(ROOT, 'corpus', 'manifest.toml');
  if (n) {
    const synthDir = path.join(dir, 'synth');
    manifest = path.join(synthDir, 'manifest.toml');
    const stamp = path.join(synthDir, '.peers-done');
    if (!existsSync(stamp)) {
      log(`${size}: dateline synth --entries ${n} --seed 1`);
      await rm(synthDir, { recursive: true, force: true });
      const r = await timed(DATELINE, ['synth', '--entries', String(n), '--seed', '1', '--out', synthDir, '--from-corpus', path.join(ROOT, 'corpus'), '--quiet']);
      if (r.code !== 0) throw new Error(`dateline synth failed: ${r.stderr}`);
      await writeFile(stamp, `${new Date().toISOString()} ${r.secs}s\n`);
    }
  }
  return { size, dir, manifest };
}

/** Streams `dateline entries --json` (a pretty-printed array) into docs.jsonl. */
async function exportDocs(c) {
  const json = path.join(c.dir, 'entries.json');
  const jsonl = path.join(c.dir, 'docs.jsonl');
  log(`${c.size}: dateline entries --json`);
  const r = await timed(DATELINE, ['entries', '--manifest', c.manifest, '--json'], { stdoutFile: json });
  if (r.code !== 0) throw new Error(`dateline entries failed: ${r.stderr}`);
  // serde_json's pretty printer puts each top-level object between a line
  // "  {" and a line "  }" / "  },": parse one object at a time.
  const out = createWriteStream(jsonl);
  const rl = readline.createInterface({ input: createReadStream(json), crlfDelay: Infinity });
  let buf = null;
  let n = 0;
  let textBytes = 0;
  for await (const line of rl) {
    if (line === '  {') { buf = ['{']; continue; }
    if (buf === null) continue;
    if (line === '  }' || line === '  },') {
      buf.push('}');
      const e = JSON.parse(buf.join('\n'));
      buf = null;
      const extra = [...(e.media || []).map((m) => m.caption), ...(e.authors || [])].join('\n');
      const d = { id: e.id, title: e.title, date: e.published ? e.published.slice(0, 16).replace('T', ' ') : '', body: e.body, extra };
      textBytes += Buffer.byteLength(d.title) + Buffer.byteLength(d.body) + Buffer.byteLength(extra);
      if (!out.write(JSON.stringify(d) + '\n')) await new Promise((ok) => out.once('drain', ok));
      n++;
      continue;
    }
    buf.push(line);
  }
  await new Promise((ok) => out.end(ok));
  await rm(json, { force: true });
  return { docs: jsonl, entries: n, textBytes, exportSecs: r.secs };
}

// ---- builds ----------------------------------------------------------------------

async function dirFiles(dir, base = dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...await dirFiles(p, base));
    else out.push({ path: path.relative(base, p), bytes: (await stat(p)).size });
  }
  return out;
}

function gzipSize(buf) { return zlib.gzipSync(buf, { level: 9 }).length; }

async function buildDateline(c, site) {
  const data = path.join(site, 'data');
  await rm(site, { recursive: true, force: true });
  await mkdir(data, { recursive: true });
  // --quiet: the summary (re-reading the index, gzipping every section) would
  // more than double the time measured at 100k entries.
  const r = await timed(DATELINE, ['build', '--manifest', c.manifest, '--out', data, '--quiet']);
  if (r.code !== 0) return { error: `dateline build failed (${r.code ?? r.signal}): ${r.stderr.slice(-400)}` };
  await cp(path.join(WWW, 'dateline.js'), path.join(site, 'dateline.js'));
  await cp(path.join(WWW, 'pkg'), path.join(site, 'pkg'), { recursive: true });
  const index = await readFile(path.join(data, 'index.dtl'));
  const shardDir = path.join(data, 'shards');
  if (!existsSync(shardDir)) {
    return {
      secs: r.secs, rssKB: r.rssKB, indexRaw: index.length, indexGzip: gzipSize(index), indexFiles: 1,
      searchOnlyRaw: withoutStoredEntries(index),
      note: 'captures → index (includes ingestion); the index holds every entry in full',
    };
  }
  // Sharded (dateline build --shards auto, past 1 MiB of text): the root and
  // every shard; the stored entries are the shards whose section is 13.
  let raw = index.length;
  let gz = gzipSize(index);
  let stored = 0;
  const names = await readdir(shardDir);
  for (const name of names) {
    const b = await readFile(path.join(shardDir, name));
    raw += b.length;
    gz += gzipSize(b);
    if (b.length >= 28 && b.readUInt32LE(24) === 13) stored += b.length;
  }
  return {
    secs: r.secs, rssKB: r.rssKB, indexRaw: raw, indexGzip: gz, indexFiles: names.length + 1,
    searchOnlyRaw: raw - stored,
    note: `captures → index (includes ingestion); sharded: a root and ${names.length} shards fetched on demand`,
  };
}

/**
 * Bytes of index.dtl without the stored entries (sections EntryOffsets = 12
 * and Entries = 13), from its section table (src/index/format.rs: header of
 * 24 bytes, section count at 12, rows of id u32, crc u32, offset u64, length
 * u64); null if the layout is not the one expected.
 */
function withoutStoredEntries(buf) {
  if (buf.length < 24 || buf.toString('latin1', 0, 8) !== 'DTLNIDX\0') return null;
  const n = buf.readUInt32LE(12);
  if (24 + n * 24 > buf.length) return null;
  let stored = 0;
  for (let i = 0; i < n; i++) {
    const row = 24 + i * 24;
    const id = buf.readUInt32LE(row);
    if (id === 12 || id === 13) stored += Number(buf.readBigUInt64LE(row + 16));
  }
  return buf.length - stored;
}

async function buildPeer(tool, c, docs, site) {
  await rm(site, { recursive: true, force: true });
  await mkdir(site, { recursive: true });
  const r = await timed(process.execPath, [`--max-old-space-size=${BUILD_HEAP_MB}`, path.join(HERE, 'build-one.mjs'), tool, docs.docs, site]);
  if (r.timedOut) return { error: `gave up after ${BUILD_TIMEOUT_MS / 60000} min`, secs: r.secs, rssKB: r.rssKB };
  if (r.code !== 0) {
    const why = /heap out of memory|Allocation failed/i.test(r.stderr) ? `out of memory (heap ${BUILD_HEAP_MB} MB)` :
      (r.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' / ') || `exit ${r.code ?? r.signal}`);
    return { error: why.slice(0, 300), secs: r.secs, rssKB: r.rssKB };
  }
  const info = JSON.parse(r.stdout.trim().split('\n').pop());
  let raw = 0;
  let gz = 0;
  for (const f of info.files) {
    // Pagefind's JS, CSS, UI and wasm are its engine, not the index (as
    // Dateline's wasm is not counted here): count the .pf_* files.
    if (tool === 'pagefind' && !/\.pf_/.test(f.path)) continue;
    raw += f.bytes;
    gz += gzipSize(await readFile(path.join(site, f.path)));
  }
  return {
    // In-process time (reading docs.jsonl + indexing + serializing + writing),
    // without node's own start-up; wallSecs has it.
    secs: info.ms / 1000, wallSecs: r.secs, rssKB: r.rssKB, indexRaw: raw, indexGzip: gz,
    indexFiles: info.files.filter((f) => tool !== 'pagefind' || /\.pf_/.test(f.path)).length,
  };
}

/**
 * Why not to try `tool` at `entries` entries, or null: the build time and
 * peak memory of its largest smaller corpus, scaled linearly (an optimistic
 * guess for most), past the limits (10 min, 8 GB).
 */
function predictedSkip(tool, entries, corpora) {
  const done = corpora
    .filter((c) => c.entries < entries && c.entries >= 1000 && c.tools[tool]?.build && !c.tools[tool].build.error)
    .sort((a, b) => b.entries - a.entries)[0];
  if (!done) return null;
  const b = done.tools[tool].build;
  const k = entries / done.entries;
  const secs = (b.wallSecs ?? b.secs) * k;
  const gb = (b.rssKB * k) / 1024 / 1024;
  if (secs > BUILD_TIMEOUT_MS / 1000 || gb > BUILD_HEAP_MB / 1024) {
    return `not tried: ${done.size} took ${fmtS(b.wallSecs ?? b.secs)} and ${fmtMB(b.rssKB)}, so ~${(secs / 60).toFixed(0)} min and ~${gb.toFixed(1)} GB here (linear), past the 10 min / 8 GB limits`;
  }
  return null;
}

// ---- pages -----------------------------------------------------------------------

// Each page defines `load()`, resolving to `search(q)` → { total, items:
// [{title, date}] } (total: null when the tool does not count). The shared
// part renders the top 20 as text nodes and exposes window.bench.
const ENGINES = {
  dateline: `
    const { open } = await import('./dateline.js');
    const archive = await open('data/index.dtl');
    return async (q) => {
      const r = await archive.searchAsync(q, { limit: 20 });
      return { total: r.total, items: r.hits.map((h) => ({ title: h.title, date: h.published || '' })) };
    };`,
  pagefind: `
    const pagefind = await import('./pagefind/pagefind.js');
    await pagefind.options({});
    return async (q) => {
      const s = await pagefind.search(q);
      if (!s) return { total: 0, items: [] };
      const top = await Promise.all(s.results.slice(0, 20).map((r) => r.data()));
      return { total: s.results.length, items: top.map((d) => ({ title: d.meta.title, date: d.meta.date })) };
    };`,
  minisearch: `
    const { default: MiniSearch } = await import('/lib/minisearch.js');
    const text = await (await fetch('index.json')).text();
    const ms = MiniSearch.loadJSON(text, { fields: ['title', 'body', 'extra'], storeFields: ['title', 'date'] });
    const options = { prefix: true, fuzzy: 0.2, combineWith: 'AND', boost: { title: 3 } };
    return async (q) => {
      const r = ms.search(q, options);
      return { total: r.length, items: r.slice(0, 20).map((h) => ({ title: h.title, date: h.date })) };
    };`,
  flexsearch: `
    const { Document, Charset } = await import('/lib/flexsearch.js');
    const parts = await (await fetch('index.json')).json();
    const doc = new Document({
      tokenize: 'forward', encoder: Charset.LatinAdvanced,
      document: { id: 'id', index: ['title', 'body', 'extra'], store: ['title', 'date'] },
    });
    for (const [key, data] of Object.entries(parts)) await doc.import(key, data);
    return async (q, limit = 20) => {
      const r = await doc.search(q, { limit, enrich: true, merge: true });
      return { total: limit > 20 ? r.length : null, items: r.slice(0, 20).map((h) => ({ title: h.doc.title, date: h.doc.date })) };
    };`,
  lunr: `
    await new Promise((ok, fail) => {
      const s = document.createElement('script');
      s.src = '/lib/lunr.js'; s.onload = ok; s.onerror = fail;
      document.head.append(s);
    });
    const { index, store } = await (await fetch('index.json')).json();
    const idx = lunr.Index.load(index);
    // Every word required, as a prefix (trailing wildcard); when that finds
    // nothing, again with edit distance 1 (Lunr cannot do both in one clause).
    const run = (words, fuzzy) => idx.query((qb) => {
      for (const w of words) {
        qb.term(w, fuzzy && w.length >= 4 ? { presence: lunr.Query.presence.REQUIRED, editDistance: 1 }
          : { presence: lunr.Query.presence.REQUIRED, wildcard: lunr.Query.wildcard.TRAILING });
      }
    });
    return async (q) => {
      const words = lunr.tokenizer(q).map((t) => t.toString()).filter(Boolean);
      if (!words.length) return { total: 0, items: [] };
      let r = run(words, false);
      if (!r.length) r = run(words, true);
      return { total: r.length, items: r.slice(0, 20).map((h) => ({ title: store[h.ref][0], date: store[h.ref][1] })) };
    };`,
};

function page(tool) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${tool}</title><link rel="icon" href="data:,"></head>
<body>
<input id="q" aria-label="search"><p id="n"></p><ol id="r"></ol>
<script type="module">
performance.setResourceTimingBufferSize(100000);
async function load() {${ENGINES[tool]}
}
const ol = document.getElementById('r');
const count = document.getElementById('n');
function render(res) {
  const items = res.items.map((it) => {
    const li = document.createElement('li');
    li.textContent = (it.title || '') + ' — ' + (it.date || '');
    return li;
  });
  ol.replaceChildren(...items);
  count.textContent = res.total === null ? '' : res.total + ' results';
}
try {
  const search = await load();
  window.bench = {
    async run(q) {
      const t = performance.now();
      document.getElementById('q').value = q;
      const res = await search(q);
      render(res);
      return { ms: performance.now() - t, total: res.total, shown: res.items.length };
    },
    async count(q) {
      const res = await search(q, 1e7);
      return res.total;
    },
  };
  const q0 = new URLSearchParams(location.search).get('q');
  if (q0) await window.bench.run(q0);
  performance.mark('first-result');
  document.documentElement.dataset.state = 'ready';
} catch (e) {
  document.documentElement.dataset.error = String(e && e.stack || e);
  document.documentElement.dataset.state = 'error';
}
</script>
</body></html>
`;
}

async function assembleLibs(root) {
  const lib = path.join(root, 'lib');
  await mkdir(lib, { recursive: true });
  const nm = path.join(HERE, 'node_modules');
  await cp(path.join(nm, 'minisearch', 'dist', 'es', 'index.js'), path.join(lib, 'minisearch.js'));
  await cp(path.join(nm, 'flexsearch', 'dist', 'flexsearch.bundle.module.min.js'), path.join(lib, 'flexsearch.js'));
  await cp(path.join(nm, 'lunr', 'lunr.min.js'), path.join(lib, 'lunr.js'));
}

// ---- static server (127.0.0.1 only) -------------------------------------------------

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css',
};

function startServer(root) {
  const server = http.createServer(async (req, res) => {
    try {
      const u = new URL(req.url, 'http://127.0.0.1');
      let p = path.normalize(decodeURIComponent(u.pathname));
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(root, p);
      if (!file.startsWith(root + path.sep)) { res.writeHead(403).end(); return; }
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[path.extname(file)] || 'application/octet-stream',
        'content-length': body.length, 'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((done) => { server.closeAllConnections?.(); server.close(done); }),
  })));
}

// ---- browser ---------------------------------------------------------------------

async function launch() {
  const profile = await mkdtemp(path.join(tmpdir(), 'dateline-peers-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 860 },
  });
  return { context, close: async () => { await context.close(); await rm(profile, { recursive: true, force: true }); } };
}

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

function gitRev() {
  try { return execFileSync('git', ['-C', ROOT, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).trim(); } catch { return null; }
}

function chromiumVersion() {
  try { return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim().replace(/^Chromium\s*/, ''); } catch { return null; }
}

function fileOfUrl(root, url) {
  const p = new URL(url).pathname;
  return path.join(root, path.normalize(decodeURIComponent(p.endsWith('/') ? p + 'index.html' : p)));
}

async function fileSizeOfUrl(root, url) {
  try { return (await stat(fileOfUrl(root, url))).size; } catch { return 0; }
}

const gzCache = new Map();
async function gzipOfUrl(root, url) {
  const p = new URL(url).pathname;
  if (!gzCache.has(p)) {
    try { gzCache.set(p, gzipSize(await readFile(fileOfUrl(root, url)))); } catch { gzCache.set(p, 0); }
  }
  return gzCache.get(p);
}

async function measure(tool, base, root) {
  const b = await launch();
  const out = { loads: [], bytes: null, keys: [], totals: {}, probes: {} };
  try {
    // First visits: navigation start → first query's top 20 rendered.
    for (let i = 0; i < LOADS; i++) {
      const pg = await b.context.newPage();
      const cdp = await b.context.newCDPSession(pg);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      // Bytes: every response the page AND its workers received (Pagefind
      // searches in a Web Worker, whose fetches the page's Resource Timing
      // does not see), up to the first-result mark.
      const reqs = [];
      if (i === 0) {
        pg.on('requestfinished', (req) => reqs.push((async () => {
          const sizes = await req.sizes().catch(() => null);
          const t = req.timing();
          return { url: req.url(), bytes: sizes ? sizes.responseBodySize : 0, end: t.responseEnd >= 0 ? t.startTime + t.responseEnd : 0 };
        })()));
      }
      await pg.goto(`${base}/?q=${encodeURIComponent(QUERIES[0])}`);
      await pg.waitForSelector('html[data-state]', { timeout: 5 * 60 * 1000 });
      const state = await pg.evaluate(() => [document.documentElement.dataset.state, document.documentElement.dataset.error]);
      if (state[0] !== 'ready') throw new Error(`${tool} page failed: ${state[1]}`);
      const m = await pg.evaluate(() => {
        const mark = performance.getEntriesByName('first-result')[0].startTime;
        return { mark, wall: performance.timeOrigin + mark };
      });
      out.loads.push(m.mark);
      if (i === 0) {
        await pg.waitForTimeout(200); // let the last requestfinished events in
        let raw = 0;
        let gz = 0;
        let n = 0;
        const files = {};
        for (const r of await Promise.all(reqs)) {
          if (r.end > m.wall + 1) continue;
          // A worker's own script reports no body size: take the file's.
          if (!r.bytes) r.bytes = await fileSizeOfUrl(root, r.url);
          raw += r.bytes;
          gz += await gzipOfUrl(root, r.url);
          n++;
          const kind = new URL(r.url).pathname.split('/').pop();
          files[kind] = (files[kind] || 0) + r.bytes;
        }
        out.bytes = { raw, gzip: gz, requests: n, files };
      }
      await pg.close();
    }
    // Keystrokes: each query typed key by key, ROUNDS times, on a warm page.
    const pg = await b.context.newPage();
    await pg.goto(`${base}/`);
    await pg.waitForSelector('html[data-state="ready"]', { timeout: 5 * 60 * 1000 });
    for (let round = 0; round < ROUNDS; round++) {
      for (const q of QUERIES) {
        for (let k = 1; k <= q.length; k++) {
          const prefix = q.slice(0, k);
          if (!prefix.trim() || prefix.endsWith(' ')) continue;
          const r = await pg.evaluate((p) => window.bench.run(p), prefix);
          out.keys.push(r.ms);
          if (k === q.length) out.totals[q] = r.total;
        }
      }
    }
    for (const [name, q] of Object.entries({ ...Object.fromEntries(QUERIES.map((q) => [q, q])), ...PROBES })) {
      const total = await pg.evaluate((p) => window.bench.count(p), q);
      if (name in PROBES) out.probes[name] = total; else out.totals[q] = total;
    }
    await pg.close();
  } finally {
    await b.close();
  }
  out.firstMs = pct(out.loads, 50);
  out.p50 = pct(out.keys, 50);
  out.p95 = pct(out.keys, 95);
  return out;
}

// ---- report ----------------------------------------------------------------------

const FEATURES = {
  dateline: {
    options: '`search(q, {limit: 20})` (defaults)',
    prefix: 'yes: every word also matches the longer terms it starts',
    typo: 'yes: Levenshtein 1 from 4 letters, 2 from 8, ranked below exact',
    phrase: 'yes: `"quoted words"`, positions in one field',
    range: 'yes: `{from, to}` days, in the index',
    histogram: 'yes: per day (hourly when narrow), every search',
    highlight: 'yes: snippet + title offsets (UTF-16)',
  },
  pagefind: {
    options: '`createIndex({forceLanguage:"en"})`, `addCustomRecord` (meta title/date, filter month, sort date); `pagefind.search(q)` + `data()` ×20',
    prefix: 'yes, on stemmed words: `zelensky` finds ~1 entry where `zelenskyy` finds thousands',
    typo: 'no (no fuzzy matching in Pagefind)',
    phrase: 'yes: `"quoted words"`',
    range: 'no range: exact filter values only (we give `month`); sort by date yes',
    histogram: 'partial: facet counts per `month` filter value',
    highlight: 'yes: `excerpt` with `<mark>` (HTML string)',
  },
  minisearch: {
    options: '`{prefix: true, fuzzy: 0.2, combineWith: "AND", boost: {title: 3}}`, `storeFields: [title, date]`',
    prefix: 'yes (`prefix: true`)',
    typo: 'yes (`fuzzy: 0.2` = edit distance ≤ 20% of the word)',
    phrase: 'no',
    range: 'only as a JS `filter` callback over stored fields (scans results)',
    histogram: 'no (compute it in JS from all results + stored dates)',
    highlight: 'partial: `match` lists the matched terms per field, no offsets',
  },
  flexsearch: {
    options: '`Document`, `tokenize: "forward"`, `encoder: Charset.LatinAdvanced`, `store: [title, date]`; `search(q, {limit: 20, enrich: true, merge: true})`',
    prefix: 'yes (`tokenize: "forward"`)',
    typo: 'phonetic only (`LatinAdvanced` encoder), no edit distance: misses both typo probes',
    phrase: 'no (contextual scoring only with `context`, not used)',
    range: 'no (tags are exact values)',
    histogram: 'no',
    highlight: 'yes in 0.8 (`highlight` option on stored fields; not used here: only title/date stored)',
  },
  lunr: {
    options: 'fields title (boost 3), body, extra; `metadataWhitelist: ["position"]`; every word `REQUIRED` + trailing wildcard, then edit distance 1 if nothing',
    prefix: 'yes (trailing wildcard clause)',
    typo: 'yes (`editDistance: 1`, as a fallback: Lunr cannot combine it with a wildcard)',
    phrase: 'no',
    range: 'no',
    histogram: 'no',
    highlight: 'yes: term positions (`metadataWhitelist: ["position"]`)',
  },
};

const fmtBytes = (n) => (n == null || Number.isNaN(n) ? '—' : n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);
const fmtMs = (x) => (x == null || Number.isNaN(x) ? '—' : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const fmtS = (x) => (x == null || Number.isNaN(x) ? '—' : x < 10 ? `${x.toFixed(2)} s` : `${x.toFixed(0)} s`);
const fmtMB = (kb) => (kb == null || Number.isNaN(kb) ? '—' : `${(kb / 1024).toFixed(0)} MB`);

const toolsOf = (results) => {
  const seen = new Set(results.corpora.flatMap((c) => Object.keys(c.tools)));
  return ['dateline', 'pagefind', 'minisearch', 'flexsearch', 'lunr'].filter((t) => seen.has(t));
};

function table(results) {
  const TOOLS = toolsOf(results);
  const rows = ['| corpus | entries | tool | build | build peak RSS | index raw | index gzip | first result | bytes to first result (raw / gzip) | keystroke p50 | keystroke p95 |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const c of results.corpora) {
    for (const tool of TOOLS) {
      const t = c.tools[tool];
      if (!t) continue;
      if (t.error && !t.browser) {
        const secs = /^gave up/.test(t.error) ? `> ${BUILD_TIMEOUT_MS / 60000} min` : t.build?.secs > 0 ? fmtS(t.build.secs) : '—';
        const rss = t.build?.rssKB > 0 ? fmtMB(t.build.rssKB) : '—';
        rows.push(`| ${c.size} | ${c.entries} | ${tool} | ${secs} | ${rss} | ${/^not tried/.test(t.error) ? '' : 'failed: '}${t.error} | | | | | |`);
        continue;
      }
      const m = t.browser || {};
      const only = t.build.searchOnlyRaw ? ` (${fmtBytes(t.build.searchOnlyRaw)} without the stored text)` : '';
      rows.push(`| ${c.size} | ${c.entries} | ${tool} | ${fmtS(t.build.secs)} | ${fmtMB(t.build.rssKB)} | ${fmtBytes(t.build.indexRaw)}${only} | ${fmtBytes(t.build.indexGzip)} | ${t.error ? `failed: ${t.error}` : fmtMs(m.firstMs)} | ${m.bytes ? `${fmtBytes(m.bytes.raw)} / ${fmtBytes(m.bytes.gzip)} (${m.bytes.requests} req.)` : '—'} | ${fmtMs(m.p50)} | ${fmtMs(m.p95)} |`);
    }
  }
  return rows.join('\n');
}

function hitsTable(results) {
  const TOOLS = toolsOf(results);
  const out = [];
  for (const c of results.corpora) {
    const probeNames = [...new Set(Object.values(c.tools).flatMap((t) => Object.keys(t.browser?.probes || {})))];
    const names = [...QUERIES, ...probeNames];
    const label = (q) => {
      const m = /^(\w+) "(.*)"$/.exec(q);
      return m ? `${m[1]} \`${m[2].replace(/\\"/g, '"')}\`` : q;
    };
    out.push(`\n**${c.size}** (${c.entries} entries): hits per query (all matches, not just the top 20)\n`);
    out.push(`| query | ${TOOLS.join(' | ')} |`);
    out.push(`|---|${TOOLS.map(() => '---:').join('|')}|`);
    for (const q of names) {
      const cells = TOOLS.map((tool) => {
        const m = c.tools[tool]?.browser;
        if (!m) return '—';
        const v = probeNames.includes(q) ? m.probes[q] : m.totals[q];
        return v == null ? '—' : String(v);
      });
      out.push(`| ${probeNames.includes(q) ? label(q) : q} | ${cells.join(' | ')} |`);
    }
  }
  return out.join('\n');
}

function featureTable(results) {
  const TOOLS = toolsOf(results);
  const keys = ['prefix', 'typo', 'phrase', 'range', 'histogram', 'highlight'];
  const head = ['prefix', 'typo tolerance', 'phrase', 'date range', 'histogram', 'highlighting'];
  const rows = [`| tool | options used | ${head.join(' | ')} |`, `|---|---|${head.map(() => '---').join('|')}|`];
  for (const tool of TOOLS) {
    const f = FEATURES[tool];
    rows.push(`| ${tool} | ${f.options} | ${keys.map((k) => f[k]).join(' | ')} |`);
  }
  return rows.join('\n');
}

const COLORS = { dateline: '#d62728', pagefind: '#1f77b4', minisearch: '#2ca02c', flexsearch: '#9467bd', lunr: '#ff7f0e' };

function svgChart(results) {
  const TOOLS = toolsOf(results);
  const W = 940;
  const H = 380;
  const panels = [
    { title: 'keystroke latency p95 (ms)', get: (t) => t.browser?.p95 },
    { title: 'bytes fetched until the first result (raw)', get: (t) => t.browser?.bytes?.raw, bytes: true },
  ];
  const pts = results.corpora.map((c) => c.entries).filter((n) => n > 0);
  const xMin = Math.min(...pts);
  const xMax = Math.max(...pts);
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`];
  const pw = 360;
  const ph = 250;
  panels.forEach((panel, pi) => {
    const x0 = 70 + pi * (pw + 90);
    const y0 = 40;
    const vals = [];
    for (const c of results.corpora) for (const tool of TOOLS) { const v = panel.get(c.tools[tool] || {}); if (v > 0) vals.push(v); }
    if (!vals.length) return;
    const lyMin = Math.floor(Math.log10(Math.min(...vals)));
    const lyMax = Math.ceil(Math.log10(Math.max(...vals)));
    const lxMin = Math.floor(Math.log10(xMin));
    const lxMax = Math.max(lxMin + 1, Math.ceil(Math.log10(xMax)));
    const X = (n) => x0 + ((Math.log10(n) - lxMin) / (lxMax - lxMin)) * pw;
    const Y = (v) => y0 + ph - ((Math.log10(v) - lyMin) / Math.max(1, lyMax - lyMin)) * ph;
    parts.push(`<text x="${x0 + pw / 2}" y="${y0 - 12}" text-anchor="middle" font-size="13" font-weight="bold">${esc(panel.title)}</text>`);
    parts.push(`<rect x="${x0}" y="${y0}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
    for (let e = lyMin; e <= lyMax; e++) {
      const y = Y(10 ** e);
      const label = panel.bytes ? fmtBytes(10 ** e).replace(/\.0+ /, ' ') : `${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(-e)}`;
      parts.push(`<line x1="${x0}" x2="${x0 + pw}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${x0 - 5}" y="${y + 4}" text-anchor="end">${esc(label)}</text>`);
    }
    for (let e = lxMin; e <= lxMax; e++) {
      const x = X(10 ** e);
      parts.push(`<line x1="${x}" x2="${x}" y1="${y0}" y2="${y0 + ph}" stroke="#ddd"/><text x="${x}" y="${y0 + ph + 15}" text-anchor="middle">${(10 ** e).toLocaleString('en')}</text>`);
    }
    parts.push(`<text x="${x0 + pw / 2}" y="${y0 + ph + 32}" text-anchor="middle">entries (log scale)</text>`);
    for (const tool of TOOLS) {
      const line = results.corpora
        .map((c) => [c.entries, panel.get(c.tools[tool] || {})])
        .filter(([n, v]) => n > 0 && v > 0)
        .sort((a, b) => a[0] - b[0]);
      if (!line.length) continue;
      const d = line.map(([n, v], i) => `${i ? 'L' : 'M'}${X(n).toFixed(1)},${Y(v).toFixed(1)}`).join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${COLORS[tool]}" stroke-width="${tool === 'dateline' ? 3 : 2}"/>`);
      for (const [n, v] of line) parts.push(`<circle cx="${X(n).toFixed(1)}" cy="${Y(v).toFixed(1)}" r="3" fill="${COLORS[tool]}"/>`);
    }
  });
  TOOLS.forEach((tool, i) => {
    const x = 70 + i * 150;
    parts.push(`<line x1="${x}" x2="${x + 24}" y1="${H - 22}" y2="${H - 22}" stroke="${COLORS[tool]}" stroke-width="3"/><text x="${x + 30}" y="${H - 18}">${tool}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

const BEGIN = '<!-- peers:begin (written by benches/peers/peers.mjs; edit outside this block) -->';
const END = '<!-- peers:end -->';

/** Replaces the generated block of docs/peers.md (or writes the file with only it). */
async function writeReport(results) {
  const file = path.join(DOCS, 'peers.md');
  const sizes = results.corpora.map((c) => `${c.size} (${c.entries} entries${c.textBytes ? `, ${(c.textBytes / 1e6).toFixed(1)} MB of text; \`dateline entries --json\` export ${fmtS(c.exportSecs)}` : ''})`);
  const block = [BEGIN, '',
    `Measured ${results.date} by \`${results.command}\` (${results.machine}; ${results.seconds.toFixed(0)} s in all).`,
    `Dateline ${results.dateline || '?'}. Versions: ${Object.entries(results.versions).map(([k, v]) => `${k} ${v}`).join(', ')}; Chromium ${results.chromium || '?'}.`,
    `Corpora: ${sizes.join('; ')}.`,
    `Queries, each typed key by key (rounds: ${results.rounds}): ${results.queries.map((q) => `\`${q}\``).join(', ')}.`,
    `First result: median of cold loads (cache disabled; loads: ${results.loads}) of \`?q=${results.queries[0]}\`.`,
    ...(results.skipped?.length ? ['', `Skipped: ${results.skipped.join('; ')}.`] : []),
    '', table(results), '', '![latency p95 and first-result bytes against corpus size](peers.svg)', '',
    '### Hits per query', hitsTable(results), '', '### Features and the options used', '', featureTable(results), '', END].join('\n');
  let text = existsSync(file) ? await readFile(file, 'utf8') : `# Dateline and its peers\n\n${BEGIN}\n${END}\n`;
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  text = a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + END.length) : `${text}\n${block}\n`;
  await writeFile(file, text);
}

// ---- main ------------------------------------------------------------------------

async function main() {
  if (args.includes('--report-only')) {
    // Rewrites docs/peers.md and docs/peers.svg from WORK/results.json.
    const results = JSON.parse(await readFile(path.join(WORK, 'results.json'), 'utf8'));
    await writeFile(path.join(DOCS, 'peers.svg'), svgChart(results));
    await writeReport(results);
    console.log(table(results));
    return;
  }
  if (!existsSync(DATELINE)) throw new Error(`no dateline binary at ${DATELINE}: run ./build.sh first (or set DATELINE_BIN)`);
  if (!existsSync(path.join(WWW, 'pkg', 'dateline_bg.wasm'))) throw new Error('no www/pkg/dateline_bg.wasm: run ./build.sh first');
  await mkdir(WORK, { recursive: true });
  const previous = MERGE && existsSync(path.join(WORK, 'results.json'))
    ? JSON.parse(await readFile(path.join(WORK, 'results.json'), 'utf8')) : null;
  const sites = path.join(WORK, 'sites');
  await rm(sites, { recursive: true, force: true });
  await assembleLibs(sites);
  const server = await startServer(sites);
  const versions = Object.fromEntries(['pagefind', 'minisearch', 'flexsearch', 'lunr', 'playwright-core'].map((p) =>
    [p, JSON.parse(readFileSync(path.join(HERE, 'node_modules', p, 'package.json'), 'utf8')).version]));
  const results = {
    date: new Date().toISOString(), command: `node benches/peers/peers.mjs ${args.join(' ')}`.trim(),
    machine: `${(await import('node:os')).cpus().length} cores, node ${process.version}`,
    chromium: chromiumVersion(), versions, dateline: process.env.DATELINE_REV || gitRev(), queries: QUERIES, rounds: ROUNDS, loads: LOADS, corpora: [],
  };
  const started = Date.now();
  try {
    for (const size of SIZES) {
      let c;
      let docs = null;
      try {
        c = await corpus(size);
      } catch (e) {
        log(`${size}: skipped: ${e.message}`);
        results.skipped = [...(results.skipped || []), `${size}: ${String(e.message).slice(0, 300)}`];
        continue;
      }
      // The peers' docs.jsonl is exported when the first peer needs it (at
      // 1M, when every peer is skipped, the export would be wasted time).
      const entry = { size, entries: sizeOf(size), textBytes: null, exportSecs: null, tools: {} };
      const needDocs = async () => {
        if (!docs) {
          docs = await exportDocs(c);
          Object.assign(entry, { entries: docs.entries, textBytes: docs.textBytes, exportSecs: docs.exportSecs });
          log(`${size}: ${docs.entries} entries (${(docs.textBytes / 1e6).toFixed(1)} MB of text)`);
        }
        return docs;
      };
      if (!entry.entries) await needDocs();
      results.corpora.push(entry);
      for (const tool of TOOLS) {
        const site = path.join(sites, size, tool);
        log(`${size}: building ${tool}`);
        const skip = PREDICT ? predictedSkip(tool, entry.entries, [...(previous?.corpora || []), ...results.corpora]) : null;
        if (skip) {
          entry.tools[tool] = { build: { error: skip }, error: skip };
          log(`${size}: ${tool}: skipped: ${skip}`);
          continue;
        }
        let build;
        try {
          build = tool === 'dateline' ? await buildDateline(c, site) : await buildPeer(tool, c, await needDocs(), site);
        } catch (e) {
          build = { error: String(e.message || e).slice(0, 300) };
        }
        const t = { build };
        entry.tools[tool] = t;
        if (build.error) { t.error = build.error; log(`${size}: ${tool}: ${build.error}`); continue; }
        log(`${size}: ${tool}: built in ${fmtS(build.secs)}, index ${fmtBytes(build.indexRaw)}; measuring in Chromium`);
        await writeFile(path.join(site, 'index.html'), page(tool));
        try {
          t.browser = await measure(tool, `${server.url}/${size}/${tool}`, sites);
          log(`${size}: ${tool}: first result ${fmtMs(t.browser.firstMs)}, ${fmtBytes(t.browser.bytes.raw)}; keystroke p50 ${fmtMs(t.browser.p50)} p95 ${fmtMs(t.browser.p95)}`);
        } catch (e) {
          t.error = String(e.message || e).split('\n')[0].slice(0, 300);
          log(`${size}: ${tool}: browser: ${t.error}`);
        }
        await writeFile(path.join(WORK, 'results.partial.json'), JSON.stringify(results, null, 1));
      }
      // The sites of a size are kept until the end (for a look by hand); the
      // synthetic captures and docs.jsonl stay in WORK as a cache.
    }
  } finally {
    await server.stop();
  }
  results.seconds = (Date.now() - started) / 1000;
  if (MERGE && previous) {
    // Keep what an earlier run measured and this one did not: other sizes,
    // and other tools at the same sizes (e.g. `--tools dateline` after a
    // change to Dateline).
    for (const c of results.corpora) {
      const old = previous.corpora.find((p) => p.size === c.size);
      if (old) c.tools = { ...old.tools, ...c.tools };
    }
    const kept = previous.corpora.filter((c) => !results.corpora.some((r) => r.size === c.size));
    results.corpora = [...kept, ...results.corpora].sort((a, b) => a.entries - b.entries);
    results.command = `${previous.command}; then ${results.command}`;
    for (const k of ['rounds', 'loads']) {
      if (String(previous[k]) !== String(results[k])) results[k] = `${previous[k]} (earlier runs) / ${results[k]} (the last one)`;
    }
    results.seconds += previous.seconds || 0;
    results.skipped = [...(previous.skipped || []), ...(results.skipped || [])];
  }
  await writeFile(path.join(WORK, 'results.json'), JSON.stringify(results, null, 1));
  console.log(table(results));
  console.log(hitsTable(results));
  if (WRITE_DOCS) {
    await writeFile(path.join(DOCS, 'peers.svg'), svgChart(results));
    await writeReport(results);
    log('wrote docs/peers.md (the generated block) and docs/peers.svg');
  }
}

await main();
