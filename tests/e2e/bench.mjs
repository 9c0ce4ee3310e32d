// Browser benchmark of the explorer (not a test: nothing here fails on a
// slow machine). `./build.sh bench` runs it; by hand:
//
//   cd tests/e2e && node bench.mjs [--dir ../../www] [--runs 7]
//
// Measures, in headless Chromium against `dateline serve` on 127.0.0.1:
//   * navigation → first possible search (the page's `dateline:ready` mark:
//     index fetched, wasm instantiated, index opened, first results drawn);
//   * per keystroke, input event → results rendered (`dateline:keystroke`),
//     and → the next animation frame (`dateline:keystroke-frame`), p50/p95;
//   * the bytes a first visit transfers (page, JS, wasm, index): raw, gzip -9
//     and brotli q11 (node's zlib), per file and in all.
// Prints a table and writes tests/artifacts/bench.json.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { ARTIFACTS, WWW, launch, serve } from './harness.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const dir = path.resolve(opt('dir', WWW));
const runs = Number(opt('runs', 7));
const WORDS = ['russia', 'nuclear plant', 'blinken nato', 'zelenskyy', 'kyiv -russia', 'ukraine talks istanbul'];

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => `${x.toFixed(1)} ms`;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function compressed(buf) {
  return {
    raw: buf.length,
    gzip: zlib.gzipSync(buf, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(buf, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
    }).length,
  };
}

function kind(url) {
  const p = new URL(url).pathname;
  if (p.endsWith('.wasm')) return 'wasm';
  if (p.endsWith('.dtl')) return 'index';
  if (p.endsWith('.js')) return 'js';
  return 'page';
}

const server = await serve(dir);
const browser = await launch();
const result = { date: new Date().toISOString(), url: server.url, runs, ready: [], keystroke: [], frame: [], files: {} };
try {
  // 1. First visit: bytes, and navigation → ready, over fresh loads.
  for (let r = 0; r < runs; r++) {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const bodies = [];
    if (r === 0) {
      page.on('response', (resp) => bodies.push(resp.body().then((b) => [resp.url(), b]).catch(() => null)));
    }
    await page.goto(server.url);
    await page.waitForSelector('html[data-state="ready"]', { timeout: 30000 });
    const [ready, phases] = await page.evaluate(() => {
      const at = (suffix) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(suffix))?.responseEnd;
      const nav = performance.getEntriesByType('navigation')[0];
      return [performance.getEntriesByName('dateline:ready')[0]?.startTime, {
        html: nav?.responseEnd, dom_content_loaded: nav?.domContentLoadedEventEnd,
        wasm_received: at('.wasm'), index_received: at('.dtl'),
      }];
    });
    result.ready.push(ready);
    (result.phases ??= []).push(phases);
    if (r === 0) {
      for (const entry of await Promise.all(bodies)) {
        if (!entry) continue;
        const [url, body] = entry;
        result.files[new URL(url).pathname] = { kind: kind(url), ...compressed(body) };
      }
    }
    await page.close();
  }

  // 2. Keystrokes: type queries key by key, as a person would.
  const page = await browser.context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('html[data-state="ready"]');
  for (let round = 0; round < 3; round++) {
    for (const w of WORDS) {
      await page.locator('#q').fill('');
      for (const ch of w) {
        await page.keyboard.type(ch);
        await page.waitForTimeout(30);
      }
    }
  }
  await page.waitForTimeout(100);
  const measures = await page.evaluate(() => ({
    keystroke: performance.getEntriesByName('dateline:keystroke').map((m) => m.duration),
    frame: performance.getEntriesByName('dateline:keystroke-frame').map((m) => m.duration),
  }));
  result.keystroke = measures.keystroke;
  result.frame = measures.frame;
  await page.close();
} finally {
  await browser.close();
  await server.stop();
}

// Report.
const totals = { raw: 0, gzip: 0, brotli: 0 };
const byKind = {};
for (const f of Object.values(result.files)) {
  byKind[f.kind] ??= { raw: 0, gzip: 0, brotli: 0 };
  for (const k of Object.keys(totals)) { totals[k] += f[k]; byKind[f.kind][k] += f[k]; }
}
result.totals = totals;
result.byKind = byKind;
result.summary = {
  ready_p50_ms: pct(result.ready, 50),
  ready_max_ms: Math.max(...result.ready),
  keystroke_p50_ms: pct(result.keystroke, 50),
  keystroke_p95_ms: pct(result.keystroke, 95),
  keystroke_frame_p50_ms: pct(result.frame, 50),
  keystroke_frame_p95_ms: pct(result.frame, 95),
  keystrokes: result.keystroke.length,
};

console.log(`Browser benchmark (${server.url}, headless Chromium, ${runs} fresh loads)`);
console.log(`  navigation → first possible search: p50 ${ms(result.summary.ready_p50_ms)}, max ${ms(result.summary.ready_max_ms)}  (target < 150 ms)`);
const med = (k) => pct(result.phases.map((p) => p[k]).filter((x) => x !== undefined), 50);
console.log(`    (p50 of: HTML received ${ms(med('html'))}, DOMContentLoaded ${ms(med('dom_content_loaded'))}, ` +
  `wasm received ${ms(med('wasm_received'))}, index received ${ms(med('index_received'))})`);
console.log(`  keystroke → results rendered (${result.keystroke.length} keys): p50 ${ms(result.summary.keystroke_p50_ms)}, p95 ${ms(result.summary.keystroke_p95_ms)}  (target p95 < 16 ms)`);
console.log(`  keystroke → next frame: p50 ${ms(result.summary.keystroke_frame_p50_ms)}, p95 ${ms(result.summary.keystroke_frame_p95_ms)}`);
console.log('  first visit transfers:');
console.log(`    ${'file'.padEnd(26)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
for (const [p, f] of Object.entries(result.files).sort()) {
  console.log(`    ${p.padEnd(26)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)} ${kb(f.brotli).padStart(10)}`);
}
for (const [k, f] of Object.entries(byKind)) {
  console.log(`    ${`(${k})`.padEnd(26)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)} ${kb(f.brotli).padStart(10)}`);
}
console.log(`    ${'total'.padEnd(26)} ${kb(totals.raw).padStart(10)} ${kb(totals.gzip).padStart(10)} ${kb(totals.brotli).padStart(10)}  (target < 70 KB gzip)`);
await mkdir(ARTIFACTS, { recursive: true });
await writeFile(path.join(ARTIFACTS, 'bench.json'), JSON.stringify(result, null, 2));
console.log(`  written: ${path.relative(process.cwd(), path.join(ARTIFACTS, 'bench.json'))}`);
