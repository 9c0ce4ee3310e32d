// Browser benchmark of a sharded index (not a test: nothing here fails on a
// slow machine). `./build.sh bench` runs it on the largest synthetic corpus;
// by hand, on a directory holding the explorer with a sharded `data/`:
//
//   cd tests/e2e && node bench-shards.mjs --dir SITE [--label "synth 1M"] [--delay-ms 50]
//
// Measures, in headless Chromium against `dateline serve` on 127.0.0.1:
//   * a first query, cold (browser cache off): the bytes fetched from
//     navigation until its results are on screen — page, JS, wasm, the root,
//     the shards — raw and gzip -9, and the time it took; then what the
//     exact total and the timeline fetched after that (a one-word page is
//     shown from the word's tops, before its postings);
//   * keystroke → results rendered, p50/p95, once the shards the queries
//     need are cached (every query typed once, key by key, before the
//     measured pass);
//   * the tab's memory after all that: the renderer processes' RSS (wasm
//     memory included), and the JS heap;
//   * typing cold behind a simulated round trip (`--delay-ms`, default 50;
//     0 skips it): a fresh page, every shard response held that long by a
//     route handler, each query typed key by key, each key waited for:
//     keystroke → first cards and → complete results, p50/p95, and the
//     sequential rounds of shard fetching per keystroke (a round starts when
//     a shard is requested while none is in flight).
// Prints a table and writes tests/artifacts/bench-shards.json.

import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { ARTIFACTS, launch, serve } from './harness.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const dir = path.resolve(opt('dir', '.'));
const label = opt('label', path.basename(dir));
const FIRST = opt('first', 'zelenskyy');
const DELAY = Number(opt('delay-ms', '50'));
const WORDS = ['russia', 'nuclear plant', 'blinken nato', 'zelenskyy', 'kyiv -russia', 'ukraine talks istanbul'];

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
// In the page: whether the results of query `q` are on screen, all shards in
// (`__shown`), or at least its first page (`__paged`: a one-word query's page
// comes from the tops before the postings that the count and timeline need).
const SHOWN = `window.__paged = (q) => document.documentElement.dataset.state === 'ready'
  && document.querySelector('#hits')?.dataset.query === q;
window.__shown = (q) => window.__paged(q) && !document.documentElement.dataset.pending
  && !document.documentElement.dataset.partial;`;

function kind(url) {
  const p = new URL(url).pathname;
  if (p.includes('/shards/')) return 'shards';
  if (p.endsWith('.wasm')) return 'wasm';
  if (p.endsWith('.dtl')) return 'root';
  if (p.endsWith('.js')) return 'js';
  return 'page';
}

/** Resident memory (KB) of Chromium's renderer processes. */
function rendererRss() {
  try {
    const out = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' });
    return out.split('\n').filter((l) => l.includes('--type=renderer')).reduce((s, l) => s + Number(l.trim().split(/\s+/)[0] || 0), 0);
  } catch {
    return NaN;
  }
}

/** Types every query cold on a fresh page whose shard responses are each
 *  held `DELAY` ms: per keystroke, ms to the first cards and to the complete
 *  results (from the key's event, polled each frame), and rounds of fetching. */
async function typeDelayed(browser, server) {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.addInitScript(SHOWN + `
    addEventListener('keydown', (e) => { window.__key = e.timeStamp; }, true);`);
  let inflight = 0;
  let rounds = 0;
  await page.route('**/data/shards/*', async (route) => {
    if (inflight++ === 0) rounds += 1;
    try {
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, DELAY));
      await route.fulfill({ response });
    } finally {
      inflight -= 1;
    }
  });
  await page.goto(server.url);
  await page.waitForSelector('html[data-state="ready"]', { timeout: 60000 });
  const keys = [];
  for (const w of WORDS) {
    await page.locator('#q').fill('');
    await page.waitForFunction(() => !document.documentElement.dataset.pending, null, { timeout: 60000 });
    for (let i = 1; i <= w.length; i++) {
      const q = w.slice(0, i);
      const before = rounds;
      await page.keyboard.type(w[i - 1]);
      const paged = await page.waitForFunction((x) => window.__paged(x) && performance.now() - window.__key, q,
        { timeout: 60000, polling: 'raf' }).then((h) => h.jsonValue());
      const shown = await page.waitForFunction((x) => window.__shown(x) && performance.now() - window.__key, q,
        { timeout: 60000, polling: 'raf' }).then((h) => h.jsonValue());
      // Suggestions may still be fetching: the keystroke is done when nothing is.
      await page.waitForFunction(() => !document.documentElement.dataset.pending, null, { timeout: 60000 });
      keys.push({ q, paged_ms: paged, shown_ms: shown, rounds: rounds - before });
    }
  }
  await page.close();
  const ms = (k) => keys.map((x) => x[k]);
  return {
    delay_ms: DELAY,
    keys,
    paged_p50_ms: pct(ms('paged_ms'), 50),
    paged_p95_ms: pct(ms('paged_ms'), 95),
    shown_p50_ms: pct(ms('shown_ms'), 50),
    shown_p95_ms: pct(ms('shown_ms'), 95),
    rounds_p50: pct(ms('rounds'), 50),
    rounds_p95: pct(ms('rounds'), 95),
    rounds_max: Math.max(...ms('rounds')),
  };
}

const server = await serve(dir);
const browser = await launch();
const result = { date: new Date().toISOString(), label, first_query: FIRST, files: [], keystroke: [] };
try {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.addInitScript(SHOWN);
  const bodies = [];
  let counting = true;
  page.on('response', (resp) => {
    if (counting) bodies.push(resp.body().then((b) => [resp.url(), b]).catch(() => null));
  });
  const t0 = Date.now();
  await page.goto(server.url);
  await page.waitForSelector('html[data-state="ready"]', { timeout: 60000 });
  result.ready_ms = Date.now() - t0;
  const t1 = Date.now();
  await page.locator('#q').fill(FIRST);
  await page.waitForFunction((w) => window.__paged(w), FIRST, { timeout: 60000, polling: 5 });
  result.first_query_ms = Date.now() - t1;
  result.first_result_ms = Date.now() - t0;
  await page.waitForFunction((w) => window.__shown(w), FIRST, { timeout: 60000, polling: 5 });
  result.complete_ms = Date.now() - t0;
  counting = false;
  // Which files had arrived when the first cards were on screen (the app
  // marks that moment; polling for it from here would be late).
  const timing = await page.evaluate((w) => {
    const shown = performance.getEntriesByName('dateline:shown').find((m) => m.detail === w);
    const ends = {};
    for (const r of performance.getEntriesByType('resource')) ends[new URL(r.name).pathname] = r.responseEnd;
    return { shown: shown ? shown.startTime : Infinity, ends };
  }, FIRST);
  if (Number.isFinite(timing.shown)) {
    result.first_result_ms = Math.round(timing.shown); // performance.now() counts from navigation
    result.first_query_ms = result.first_result_ms - result.ready_ms;
  }
  const all = await Promise.all(bodies);
  for (const e of all) {
    if (!e) continue;
    const [url, body] = e;
    const p = new URL(url).pathname;
    const f = { path: p, kind: kind(url), raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length };
    ((timing.ends[p] ?? 0) <= timing.shown ? result.files : (result.rest ??= [])).push(f);
  }
  // Warm: every query typed once, each keystroke's query waited for, so
  // that every shard the measured pass needs is cached (the page of a
  // prefix wants other entry and norms pieces than the whole query's).
  for (const w of WORDS) {
    for (let i = 1; i <= w.length; i++) {
      await page.locator('#q').fill(w.slice(0, i));
      await page.waitForFunction((q) => window.__shown(q), w.slice(0, i), { timeout: 60000 });
    }
  }
  await page.evaluate(() => performance.clearMeasures());
  // Measured: typed key by key, everything cached.
  for (let round = 0; round < 2; round++) {
    for (const w of WORDS) {
      await page.locator('#q').fill('');
      for (const ch of w) {
        await page.keyboard.type(ch);
        await page.waitForTimeout(30);
      }
      await page.waitForFunction((q) => window.__shown(q), w, { timeout: 60000 });
    }
  }
  await page.waitForTimeout(100);
  result.keystroke = await page.evaluate(() => performance.getEntriesByName('dateline:keystroke').map((m) => m.duration));
  const metrics = await cdp.send('Performance.enable').then(() => cdp.send('Performance.getMetrics'));
  const heap = metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  result.memory = {
    renderer_rss_kb: rendererRss(),
    js_heap_bytes: heap,
    // The bundled page's own instance of dateline.js (tools/page-shim.js).
    wasm_memory_bytes: await page.evaluate(async () => {
      const bundled = globalThis[Symbol.for('dateline.wasmMemory')];
      return bundled ? bundled() : (await import('./dateline.js')).wasmMemory();
    }),
  };
  await page.close();
  if (DELAY > 0) result.delayed = await typeDelayed(browser, server);
} finally {
  await browser.close();
  await server.stop();
}

const by = {};
for (const f of result.files) {
  by[f.kind] ??= { files: 0, raw: 0, gzip: 0 };
  by[f.kind].files += 1;
  by[f.kind].raw += f.raw;
  by[f.kind].gzip += f.gzip;
}
const total = Object.values(by).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
result.by_kind = by;
result.total = total;
result.summary = {
  first_result_gzip_bytes: total.gzip,
  first_result_ms: result.first_result_ms,
  complete_ms: result.complete_ms,
  rest_gzip_bytes: (result.rest ?? []).reduce((a, f) => a + f.gzip, 0),
  rest_files: (result.rest ?? []).length,
  keystroke_p50_ms: pct(result.keystroke, 50),
  keystroke_p95_ms: pct(result.keystroke, 95),
  renderer_rss_mb: result.memory.renderer_rss_kb / 1024,
  tab_mb: (result.memory.wasm_memory_bytes + result.memory.js_heap_bytes) / 1048576,
};
console.log(`Sharded browser benchmark: ${label} (${server.url}, headless Chromium)`);
console.log(`  first query "${FIRST}", cold: results on screen ${result.first_result_ms} ms after navigation ` +
  `(page ready ${result.ready_ms} ms, then ${result.first_query_ms} ms)`);
console.log(`    fetched ${'files'.padStart(6)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)}`);
for (const [k, f] of Object.entries(by)) console.log(`    ${k.padEnd(7)} ${String(f.files).padStart(6)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)}`);
console.log(`    ${'total'.padEnd(7)} ${String(result.files.length).padStart(6)} ${kb(total.raw).padStart(10)} ${kb(total.gzip).padStart(10)}  (target < 300 KB gzip)`);
console.log(`  then the total and the timeline: ${result.summary.rest_files} more files, ${kb(result.summary.rest_gzip_bytes)} gzip, ` +
  `complete ${result.complete_ms} ms after navigation`);
console.log(`  keystroke → results, shards cached (${result.keystroke.length} keys): p50 ${result.summary.keystroke_p50_ms.toFixed(2)} ms, ` +
  `p95 ${result.summary.keystroke_p95_ms.toFixed(2)} ms  (target p95 < 16 ms)`);
console.log(`  tab memory: wasm ${(result.memory.wasm_memory_bytes / 1048576).toFixed(1)} MB + JS heap ${(result.memory.js_heap_bytes / 1048576).toFixed(1)} MB ` +
  `(renderer processes' RSS ${result.summary.renderer_rss_mb.toFixed(0)} MB)  (target < 150 MB)`);
if (result.delayed) {
  const d = result.delayed;
  result.summary.delayed = { delay_ms: d.delay_ms, keys: d.keys.length, paged_p50_ms: d.paged_p50_ms, paged_p95_ms: d.paged_p95_ms,
    shown_p50_ms: d.shown_p50_ms, shown_p95_ms: d.shown_p95_ms, rounds_p50: d.rounds_p50, rounds_p95: d.rounds_p95, rounds_max: d.rounds_max };
  console.log(`  typing cold, every shard held ${d.delay_ms} ms (${d.keys.length} keys): keystroke → first cards p50 ${d.paged_p50_ms.toFixed(0)} ms, ` +
    `p95 ${d.paged_p95_ms.toFixed(0)} ms; → complete p50 ${d.shown_p50_ms.toFixed(0)} ms, p95 ${d.shown_p95_ms.toFixed(0)} ms; ` +
    `rounds of fetching per key p50 ${d.rounds_p50}, p95 ${d.rounds_p95}, max ${d.rounds_max}`);
}
await mkdir(ARTIFACTS, { recursive: true });
await writeFile(path.join(ARTIFACTS, 'bench-shards.json'), JSON.stringify(result, null, 2));
