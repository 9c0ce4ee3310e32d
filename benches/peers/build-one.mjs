// Builds ONE peer's index from docs.jsonl (one document a line, written by
// peers.mjs from `dateline entries --json`), in a child process of its own so
// that its time and peak memory are its own and a crash or a time-out does
// not take the benchmark down with it.
//
//   node build-one.mjs TOOL DOCS.jsonl OUT_DIR
//
// TOOL: pagefind | minisearch | flexsearch | lunr. Prints one line of JSON:
// { ms, docs, files: [{ path, bytes }] } (ms: reading + indexing + writing).
//
// The options here are the ones the pages in peers.mjs search with (same
// tokenizer, fields, stored fields); keep them in step (see OPTIONS there).

import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';

const [tool, docsPath, outDir] = process.argv.slice(2);
if (!tool || !docsPath || !outDir) {
  console.error('usage: node build-one.mjs pagefind|minisearch|flexsearch|lunr DOCS.jsonl OUT_DIR');
  process.exit(2);
}

async function* docs() {
  const rl = readline.createInterface({ input: createReadStream(docsPath), crlfDelay: Infinity });
  for await (const line of rl) if (line) yield JSON.parse(line);
}

async function listFiles(dir, base = dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...await listFiles(p, base));
    else out.push({ path: path.relative(base, p), bytes: (await stat(p)).size });
  }
  return out;
}

// ---- the peers ---------------------------------------------------------------

// MiniSearch: every text field searchable, title and date stored (what the
// result list shows). Options used at query time: prefix, fuzzy 0.2, AND.
async function minisearch() {
  const { default: MiniSearch } = await import('minisearch');
  const ms = new MiniSearch({ fields: ['title', 'body', 'extra'], storeFields: ['title', 'date'] });
  let n = 0;
  let batch = [];
  for await (const d of docs()) {
    batch.push(d);
    if (batch.length === 5000) { ms.addAll(batch); batch = []; }
    n++;
  }
  ms.addAll(batch);
  await writeFile(path.join(outDir, 'index.json'), JSON.stringify(ms));
  return n;
}

// FlexSearch 0.8: Document index, forward tokenizer (prefixes), the
// LatinAdvanced encoder (its phonetic "fuzzy" preset), title and date stored.
const FLEX_CONFIG = {
  tokenize: 'forward',
  document: { id: 'id', index: ['title', 'body', 'extra'], store: ['title', 'date'] },
};
async function flexsearch() {
  const { Document, Charset } = await import('flexsearch');
  const doc = new Document({ ...FLEX_CONFIG, encoder: Charset.LatinAdvanced });
  let n = 0;
  for await (const d of docs()) { doc.add(d); n++; }
  const parts = {};
  await doc.export((key, data) => { parts[key] = data; });
  await writeFile(path.join(outDir, 'index.json'), JSON.stringify(parts));
  return n;
}

// Lunr: title boosted x3, positions kept (for highlighting), and a store of
// title + date beside the index (Lunr keeps no document fields).
async function lunr() {
  const { default: lunrLib } = await import('lunr');
  const all = [];
  for await (const d of docs()) all.push(d);
  const store = {};
  const idx = lunrLib(function build() {
    this.ref('id');
    this.field('title', { boost: 3 });
    this.field('body');
    this.field('extra');
    this.metadataWhitelist = ['position'];
    for (const d of all) {
      this.add(d);
      store[d.id] = [d.title, d.date];
    }
  });
  await writeFile(path.join(outDir, 'index.json'), JSON.stringify({ index: idx, store }));
  return all.length;
}

// Pagefind through its Node API: one custom record per entry, title + date
// as metadata, the month as a filter (Pagefind's facet counts are the
// nearest it has to a histogram), the date as a sort key.
async function pagefind() {
  const pf = await import('pagefind');
  const { index, errors } = await pf.createIndex({ forceLanguage: 'en' });
  if (!index) throw new Error(`pagefind createIndex: ${errors.join('; ')}`);
  let n = 0;
  let pending = [];
  const flush = async () => {
    for (const r of await Promise.all(pending)) {
      if (r.errors && r.errors.length) throw new Error(`pagefind addCustomRecord: ${r.errors.join('; ')}`);
    }
    pending = [];
  };
  for await (const d of docs()) {
    const filters = d.date ? { month: [d.date.slice(0, 7)] } : {};
    pending.push(index.addCustomRecord({
      url: `/e/${d.id}`,
      content: `${d.title}\n${d.body}\n${d.extra}`,
      language: 'en',
      meta: { title: d.title, date: d.date || '' },
      filters,
      sort: d.date ? { date: d.date } : undefined,
    }));
    n++;
    if (pending.length === 500) await flush();
  }
  await flush();
  const w = await index.writeFiles({ outputPath: path.join(outDir, 'pagefind') });
  if (w.errors && w.errors.length) throw new Error(`pagefind writeFiles: ${w.errors.join('; ')}`);
  await pf.close();
  return n;
}

const builders = { minisearch, flexsearch, lunr, pagefind };
if (!builders[tool]) {
  console.error(`unknown tool ${tool}`);
  process.exit(2);
}
await mkdir(outDir, { recursive: true });
const t0 = performance.now();
const n = await builders[tool]();
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, docs: n, files: await listFiles(outDir) }));
