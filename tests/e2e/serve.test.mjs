// `dateline serve` in headless Chromium (Debian's): fresh page loads, each in
// a fresh browser context (empty cache, no connection reuse), all complete
// with results shown, and the assets arrive compressed.
//
//   cd tests/e2e && DATELINE_BIN=../../target/release/dateline node --test serve.test.mjs
//
// Needs a built www/ (./build.sh: the wasm, the index and their .br/.gz).
// Prints the bytes of one first visit as sent (headers and bodies of every
// request), for the record; they are not asserted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { CHROMIUM, serve, teardown } from './harness.mjs';

const LOADS = 20;
const QUERY = '?q=nuclear';

let server;
let browser;

before(async () => {
  server = await serve();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
});

after(() => teardown({ browser, server }));

/** One load of `/?q=nuclear` in a new context: the responses, failed
 *  requests, errors, and how many results the page shows. */
async function freshLoad() {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const responses = [];
    const failed = [];
    const errors = [];
    page.on('response', (r) => responses.push(r));
    page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(server.url + QUERY);
    await page.waitForSelector('html[data-state="ready"]', { timeout: 15000 });
    await page.waitForSelector('#hits .hit-title', { timeout: 15000 });
    const shown = await page.locator('#hits .hit-title').count();
    const wanted = await Promise.all(responses.map(async (r) => ({
      path: new URL(r.url()).pathname,
      status: r.status(),
      headers: await r.allHeaders(),
      sizes: await r.request().sizes(),
    })));
    return { responses: wanted, failed, errors, shown };
  } finally {
    await context.close();
  }
}

test(`${LOADS} fresh loads of /${QUERY} all complete with results, the wasm compressed`, async () => {
  let first;
  for (let i = 0; i < LOADS; i++) {
    const load = await freshLoad();
    assert.ok(load.shown > 0, `load ${i + 1}: results shown`);
    assert.deepEqual(load.failed, [], `load ${i + 1}: no request failed`);
    assert.deepEqual(load.errors, [], `load ${i + 1}: no errors`);
    for (const r of load.responses) assert.ok(r.status === 200 || r.status === 304, `${r.path}: ${r.status}`);
    const wasm = load.responses.find((r) => r.path.endsWith('.wasm'));
    assert.ok(wasm, `load ${i + 1}: the wasm was fetched`);
    assert.ok(['br', 'gzip'].includes(wasm.headers['content-encoding']),
      `load ${i + 1}: the wasm arrived compressed (${wasm.headers['content-encoding']})`);
    assert.equal(wasm.headers['content-type'], 'application/wasm');
    first ??= load;
  }
  // One first visit as sent, for the record.
  let total = 0;
  for (const r of first.responses) {
    const sent = r.sizes.responseHeadersSize + r.sizes.responseBodySize;
    total += sent;
    console.log(`  ${r.path.padEnd(28)} ${String(sent).padStart(8)} B sent  ${r.headers['content-encoding'] ?? 'identity'}`);
  }
  console.log(`  first visit of /${QUERY}: ${first.responses.length} requests, ${total} B sent`);
});

test('the index and the page are sent compressed too, and the CSP with them', async () => {
  const load = await freshLoad();
  for (const name of ['/', '/data/index.dtl', '/app.bundle.js']) {
    const r = load.responses.find((x) => x.path === name);
    assert.ok(r, `${name} was fetched`);
    assert.ok(['br', 'gzip'].includes(r.headers['content-encoding']), `${name}: ${r.headers['content-encoding']}`);
    assert.match(r.headers['content-security-policy'] ?? '', /default-src 'self'/, name);
    assert.equal(r.headers['cache-control'], 'no-cache', name);
  }
});
