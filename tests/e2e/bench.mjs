// Browser benchmark of the explorer (not a test: nothing here fails on a
// slow machine). `./build.sh bench` runs it; by hand, after ./build.sh:
//
//   cd tests/e2e && node bench.mjs [--dir ../../www] [--loads 5] [--query nuclear] [--no-pagefind] [--compare DIR]
//
// --compare DIR: another build of the page (a copy of www/ from before a
// change) measured in the same run, interleaved, as `compare`: the machine's
// load moves the times, so a change is judged within one run.
//
// In headless Chromium, every page served by `dateline serve` on 127.0.0.1
// (so compressed the same way), it measures in ONE run:
//   * navigation → first result text in the DOM of `/?q=QUERY`, over LOADS
//     fresh browser profiles each (median), for
//       - Dateline (www/),
//       - the floor: a static page with one line of text (what the harness
//         itself costs),
//       - Pagefind's smallest page that shows its first result, built by
//         benches/peers/build-one.mjs from the same entries
//         (`dateline entries --json`), when benches/peers has its npm
//         packages (`npm ci` there; ./build.sh bench runs it);
//     and each one's time above the floor;
//   * per request of Dateline's first visit: bytes raw, gzip -9, brotli q11
//     (node's zlib) and as sent (headers + body on the wire, with the
//     Content-Encoding the server chose); a file fetched twice (an unused
//     preload) is reported;
//   * keystroke → results in the DOM (`dateline:keystroke`) and → the end of
//     the next frame after it (`dateline:keystroke-frame`: style, layout and
//     paint done), p50/p95, typing queries key by key.
// Prints a table and writes tests/artifacts/bench.json.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { ARTIFACTS, ROOT, WWW, datelineBin, launch, serve } from './harness.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const dir = path.resolve(opt('dir', WWW));
const loads = Number(opt('loads', 5));
const query = opt('query', 'nuclear');
const withPagefind = !args.includes('--no-pagefind');
const compareDir = opt('compare', null) && path.resolve(opt('compare', null));
const WORDS = ['russia', 'nuclear plant', 'blinken nato', 'zelenskyy', 'kyiv -russia', 'ukraine talks istanbul'];
const PEERS = path.join(ROOT, 'benches', 'peers');

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
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

// ---- the comparison pages ------------------------------------------------------

const FLOOR_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Floor</title></head>
<body><p id="first">One line of text: what loading a page costs in this harness.</p></body></html>
`;

// Pagefind's smallest page that shows its first result: its API, the query
// from the URL, the first result's title as text. No inline script: the
// page is served under dateline serve's CSP, as Dateline's is.
const PAGEFIND_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind</title>
<link rel="modulepreload" href="pagefind/pagefind.js">
<script type="module" src="first.js"></script></head>
<body><ol id="r"></ol></body></html>
`;
const PAGEFIND_JS = `import * as pagefind from './pagefind/pagefind.js';
const q = new URLSearchParams(location.search).get('q') || '';
const search = await pagefind.search(q);
const first = search && search.results[0] ? await search.results[0].data() : null;
const li = document.createElement('li');
li.textContent = first ? first.meta.title : 'No results';
document.getElementById('r').append(li);
`;

/** The floor page, and Pagefind's over the same entries, in a directory
 *  `dateline serve` can serve (precompressed like www/). */
async function comparisonSite() {
  const site = await mkdtemp(path.join(tmpdir(), 'dateline-bench-site-'));
  await mkdir(path.join(site, 'floor'));
  await writeFile(path.join(site, 'floor', 'index.html'), FLOOR_HTML);
  let pagefind = null;
  if (withPagefind && existsSync(path.join(PEERS, 'node_modules', 'pagefind'))) {
    const entries = JSON.parse(execFileSync(datelineBin(),
      ['entries', '--manifest', path.join(ROOT, 'corpus', 'manifest.toml'), '--json'],
      { maxBuffer: 1 << 28, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    // The documents benches/peers/peers.mjs gives every peer.
    const docs = entries.map((e) => JSON.stringify({
      id: e.id, title: e.title, date: e.published ? e.published.slice(0, 16).replace('T', ' ') : '', body: e.body,
      extra: [...(e.media || []).map((m) => m.caption), ...(e.authors || [])].join('\n'),
    })).join('\n');
    const jsonl = path.join(site, 'docs.jsonl');
    await writeFile(jsonl, `${docs}\n`);
    const out = path.join(site, 'pagefind');
    execFileSync(process.execPath, [path.join(PEERS, 'build-one.mjs'), 'pagefind', jsonl, out], { stdio: ['ignore', 'ignore', 'inherit'] });
    await rm(jsonl);
    await writeFile(path.join(out, 'index.html'), PAGEFIND_HTML);
    await writeFile(path.join(out, 'first.js'), PAGEFIND_JS);
    pagefind = entries.length;
  } else if (withPagefind) {
    console.error('bench.mjs: benches/peers has no node_modules (cd benches/peers && npm ci): Pagefind is left out');
  }
  execFileSync(datelineBin(), ['compress', site], { stdio: 'ignore' });
  return { site, pagefind };
}

// ---- one fresh load ----------------------------------------------------------------

/** Records, in the page, when the first element matching `selector` has
 *  text (performance.now(), from navigation start). */
function firstTextProbe(selector) {
  const seen = () => {
    const e = document.querySelector(selector);
    return e && e.textContent.trim() !== '' ? e.textContent.trim() : null;
  };
  const observer = new MutationObserver(() => {
    const text = window.__firstText === undefined && seen();
    if (text) {
      window.__firstText = performance.now();
      window.__firstTextValue = text;
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

/** Opens `url` in a fresh browser profile; resolves to the time of the first
 *  result text, and (`requests`) every response: sizes as sent and of the body. */
async function freshLoad(url, selector, requests = false) {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.addInitScript(firstTextProbe, selector);
    const finished = [];
    const warnings = [];
    page.on('console', (m) => { if (['warning', 'error'].includes(m.type())) warnings.push(m.text()); });
    if (requests) {
      page.on('requestfinished', (req) => finished.push((async () => {
        const resp = await req.response();
        const [sizes, headers, body] = await Promise.all([req.sizes(), resp.allHeaders(), resp.body()]);
        return {
          path: new URL(req.url()).pathname,
          encoding: headers['content-encoding'] || 'identity',
          sent: sizes.responseHeadersSize + sizes.responseBodySize,
          ...compressed(body),
        };
      })().catch(() => null)));
    }
    await page.goto(url);
    await page.waitForFunction(() => window.__firstText !== undefined, null, { timeout: 60000 });
    const [first, text, phases] = await page.evaluate(() => [window.__firstText, window.__firstTextValue, {
      html: performance.getEntriesByType('navigation')[0]?.responseEnd,
      ...Object.fromEntries(performance.getEntriesByType('resource').map((e) => [new URL(e.name).pathname, e.responseEnd])),
      ...Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
    }]);
    if (requests) await page.waitForTimeout(300); // the last requestfinished events
    return { first, text, phases, files: (await Promise.all(finished)).filter(Boolean), warnings };
  } finally {
    await browser.close();
  }
}

// ---- keystrokes --------------------------------------------------------------------

async function keystrokes(url) {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.waitForSelector('html[data-state="ready"]');
    // Chromium's own totals of main-thread time (script, style, layout and
    // all tasks), before and after the typing: the work per key, which the
    // machine's load moves less than the wait for a frame.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const totals = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    await page.waitForTimeout(200);
    const startTotals = await totals();
    for (let round = 0; round < 3; round++) {
      for (const w of WORDS) {
        await page.locator('#q').fill('');
        for (const ch of w) {
          await page.keyboard.type(ch);
          await page.waitForTimeout(40);
        }
      }
    }
    await page.waitForTimeout(100);
    const endTotals = await totals();
    const marks = await page.evaluate(() => ({
      keystroke: performance.getEntriesByName('dateline:keystroke').map((m) => m.duration),
      raf: performance.getEntriesByName('dateline:keystroke-raf').map((m) => m.duration),
      frame: performance.getEntriesByName('dateline:keystroke-frame').map((m) => m.duration),
    }));
    const keys = Math.max(1, marks.keystroke.length); // typed keys and the clearing of the box
    const perKey = (k) => ((endTotals[k] - startTotals[k]) * 1000) / keys;
    marks.main_thread_per_key_ms = {
      script: perKey('ScriptDuration'), style: perKey('RecalcStyleDuration'), layout: perKey('LayoutDuration'), tasks: perKey('TaskDuration'),
    };
    return marks;
  } finally {
    await browser.close();
  }
}

// ---- the run -----------------------------------------------------------------------

const dateline = await serve(dir);
const compare = compareDir ? await serve(compareDir) : null;
const { site, pagefind } = await comparisonSite();
const others = await serve(site);
const q = `?q=${encodeURIComponent(query)}`;
const pages = {
  floor: { url: `${others.url}floor/`, selector: '#first' },
  dateline: { url: `${dateline.url}${q}`, selector: '#hits .hit-title' },
  ...(pagefind ? { pagefind: { url: `${others.url}pagefind/${q}`, selector: '#r li' } } : {}),
  ...(compare ? { compare: { url: `${compare.url}${q}`, selector: '#hits .hit-title' } } : {}),
};
const result = { date: new Date().toISOString(), query, loads, load_average: [loadavg()[0]], first: {}, files: [], warnings: [] };
try {
  // Interleaved, so that a slow spell of the machine hits every page alike.
  for (let i = 0; i < loads; i++) {
    for (const [name, p] of Object.entries(pages)) {
      const withFiles = name === 'dateline' && i === 0;
      const load = await freshLoad(p.url, p.selector, withFiles);
      (result.first[name] ??= []).push(load.first);
      (result.text ??= {})[name] = load.text;
      if (withFiles) result.files = load.files;
      if (name === 'dateline') {
        result.warnings.push(...load.warnings);
        (result.phases ??= []).push(load.phases);
      }
      if (name === 'compare') (result.compare_phases ??= []).push(load.phases);
    }
  }
  Object.assign(result, await keystrokes(dateline.url));
  if (compare) result.compare_keys = await keystrokes(compare.url);
} finally {
  await dateline.stop();
  if (compare) await compare.stop();
  await others.stop();
  await rm(site, { recursive: true, force: true });
}

// ---- report -----------------------------------------------------------------------

result.load_average.push(loadavg()[0]);
const median = Object.fromEntries(Object.entries(result.first).map(([k, xs]) => [k, pct(xs, 50)]));
const above = Object.fromEntries(Object.entries(median).map(([k, m]) => [k, m - median.floor]));
const totals = { raw: 0, gzip: 0, brotli: 0, sent: 0 };
for (const f of result.files) for (const k of Object.keys(totals)) totals[k] += f[k];
const twice = result.files.map((f) => f.path).filter((p, i, all) => all.indexOf(p) !== i);
result.summary = {
  first_ms: median,
  above_floor_ms: above,
  dateline_vs_pagefind_above_floor: pagefind ? above.dateline / above.pagefind : null,
  first_visit: { requests: result.files.length, ...totals, fetched_twice: twice },
  keystroke_p50_ms: pct(result.keystroke, 50),
  keystroke_p95_ms: pct(result.keystroke, 95),
  keystroke_raf_p50_ms: pct(result.raf, 50),
  keystroke_raf_p95_ms: pct(result.raf, 95),
  keystroke_frame_p50_ms: pct(result.frame, 50),
  keystroke_frame_p95_ms: pct(result.frame, 95),
  keystrokes: result.keystroke.length,
  ...(compare ? {
    compare_vs_pagefind_above_floor: pagefind ? above.compare / above.pagefind : null,
    compare_keystroke_p50_ms: pct(result.compare_keys.keystroke, 50),
    compare_keystroke_p95_ms: pct(result.compare_keys.keystroke, 95),
    compare_keystroke_frame_p50_ms: pct(result.compare_keys.frame, 50),
    compare_keystroke_frame_p95_ms: pct(result.compare_keys.frame, 95),
  } : {}),
};
const s = result.summary;

console.log(`Browser benchmark: headless Chromium, dateline serve on 127.0.0.1, ${loads} fresh profiles per page ` +
  `(load average ${result.load_average.map((x) => x.toFixed(1)).join(' → ')}: times move with it, compare within a run)`);
console.log(`  navigation → first result text in the DOM (/${q}), median [all loads]:`);
for (const name of Object.keys(pages)) {
  const runs = result.first[name].map((x) => x.toFixed(0)).join(', ');
  const extra = name === 'floor' ? '  (a static page with one line of text)' : `  (${ms(above[name])} above the floor)`;
  console.log(`    ${name.padEnd(9)} ${ms(median[name]).padStart(9)}  [${runs}]${extra}`);
  console.log(`              first text: ${JSON.stringify(result.text[name].slice(0, 70))}`);
}
const phaseLine = (phases) => {
  const phase = (k) => pct(phases.map((p) => p[k]).filter((x) => x !== undefined), 50);
  const after = (a, b) => pct(phases.filter((p) => p[a] !== undefined && p[b] !== undefined).map((p) => p[b] - p[a]), 50);
  return `HTML received ${ms(phase('html'))}, bundle ${ms(phase('/app.bundle.js'))}, ` +
    `wasm ${ms(phase('/pkg/dateline_bg.wasm'))}, index ${ms(phase('/data/index.dtl'))}, wasm instantiated ` +
    `${ms(phase('dateline:wasm-ready'))}, archive open ${ms(phase('dateline:opened'))}, first results ${ms(phase('dateline:shown'))}; ` +
    `archive open → first results ${ms(after('dateline:opened', 'dateline:shown'))}`;
};
console.log(`    (Dateline, medians: ${phaseLine(result.phases)})`);
if (compare) console.log(`    (compare, medians: ${phaseLine(result.compare_phases)})`);
if (pagefind) {
  console.log(`  Dateline's time above the floor is ${s.dateline_vs_pagefind_above_floor.toFixed(2)}× Pagefind's  (target ≤ 0.5×)`);
}
console.log(`  keystroke → results in the DOM (${s.keystrokes} keys): p50 ${ms(s.keystroke_p50_ms)}, p95 ${ms(s.keystroke_p95_ms)}`);
console.log(`  keystroke → next frame starts (requestAnimationFrame): p50 ${ms(s.keystroke_raf_p50_ms)}, p95 ${ms(s.keystroke_raf_p95_ms)}`);
console.log(`  keystroke → next frame painted: p50 ${ms(s.keystroke_frame_p50_ms)}, p95 ${ms(s.keystroke_frame_p95_ms)}  (target p95 ≤ 16 ms)`);
const perKeyLine = (m) => `script ${ms(m.script)}, style ${ms(m.style)}, layout ${ms(m.layout)}, all tasks ${ms(m.tasks)}`;
console.log(`  main-thread time per keystroke (Chromium's totals over the typing): ${perKeyLine(result.main_thread_per_key_ms)}`);
if (compare) {
  console.log(`  compare (${compareDir}): ${pagefind ? `${s.compare_vs_pagefind_above_floor.toFixed(2)}× Pagefind above the floor; ` : ''}` +
    `keystroke → DOM p50 ${ms(s.compare_keystroke_p50_ms)}, p95 ${ms(s.compare_keystroke_p95_ms)}; ` +
    `→ frame painted p50 ${ms(s.compare_keystroke_frame_p50_ms)}, p95 ${ms(s.compare_keystroke_frame_p95_ms)}; ` +
    `per key: ${perKeyLine(result.compare_keys.main_thread_per_key_ms)}`);
}
console.log(`  Dateline's first visit of /${q}: ${result.files.length} requests`);
console.log(`    ${'request'.padEnd(28)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)} ${'as sent'.padStart(9)}`);
for (const f of result.files) {
  console.log(`    ${f.path.padEnd(28)} ${kb(f.raw).padStart(9)} ${kb(f.gzip).padStart(9)} ${kb(f.brotli).padStart(9)} ${kb(f.sent).padStart(9)} ${f.encoding}`);
}
console.log(`    ${'total'.padEnd(28)} ${kb(totals.raw).padStart(9)} ${kb(totals.gzip).padStart(9)} ${kb(totals.brotli).padStart(9)} ${kb(totals.sent).padStart(9)}  (target ≤ 100 KB gzip)`);
if (twice.length) console.log(`    FETCHED TWICE: ${twice.join(', ')} (a preload that was not used?)`);
const preloadWarnings = result.warnings.filter((w) => /preload/i.test(w));
if (preloadWarnings.length) console.log(`    browser warnings: ${[...new Set(preloadWarnings)].join(' | ')}`);
await mkdir(ARTIFACTS, { recursive: true });
await writeFile(path.join(ARTIFACTS, 'bench.json'), JSON.stringify(result, null, 2));
console.log(`  written: ${path.relative(process.cwd(), path.join(ARTIFACTS, 'bench.json'))}`);
