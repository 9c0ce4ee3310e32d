// A sharded index in the browser: the default corpus forced into hundreds of
// tiny shards (`dateline build --shards always --tiny-shards`), served over
// real HTTP to headless Chromium. The page must fetch only the shards a query
// needs (each once), answer exactly as the single-file index does, keep the
// last results on screen while a keystroke's shards are in flight, and turn a
// damaged shard into a clear message.
//
//   cd tests/e2e && node --test sharded.test.mjs        (./build.sh test does it)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARTIFACTS, ROOT, WWW, datelineBin, launch, serve, teardown, watch } from './harness.mjs';

let site;
let server;
let browser;
let shardCount = 0;
const errors = [];

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  site = await mkdtemp(path.join(tmpdir(), 'dateline-sharded-'));
  await cp(WWW, site, {
    recursive: true,
    filter: (src) => !src.startsWith(path.join(WWW, 'dist')) && !src.startsWith(path.join(WWW, 'data')),
  });
  const manifest = path.join(ROOT, 'corpus', 'manifest.toml');
  const build = (...args) => execFileSync(datelineBin(), ['build', '--manifest', manifest, '--quiet', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  build('--out', path.join(site, 'data'), '--shards', 'always', '--tiny-shards');
  build('--out', path.join(site, 'single'), '--shards', 'never');
  shardCount = (await readdir(path.join(site, 'data', 'shards'))).length;
  server = await serve(site);
  browser = await launch();
});

after(() => teardown({ browser, server, site }));

/** Opens the explorer; records shard requests and CSP violations. */
async function newPage(url) {
  const page = await browser.context.newPage();
  const shards = [];
  page.on('request', (r) => { if (r.url().includes('/data/shards/')) shards.push(r.url()); });
  await watch(page, errors);
  await page.goto(url);
  await page.waitForSelector('html[data-state="ready"]', { timeout: 15000 });
  return { page, shards };
}

/** Every card on screen mentions `word`, and nothing is being fetched. */
function onlyMatches(word) {
  const cards = [...document.querySelectorAll('#hits > li')];
  return cards.length > 0 && !document.documentElement.dataset.pending
    && cards.every((c) => c.innerText.toLowerCase().includes(word));
}

async function typeSlowly(page, text) {
  await page.locator('#q').fill('');
  for (const ch of text) await page.locator('#q').press(ch === ' ' ? 'Space' : ch);
}

test('typing fetches only the shards the query needs, once each', async () => {
  assert.ok(shardCount > 200, `tiny shards: ${shardCount}`);
  const { page, shards } = await newPage(server.url);
  const atStart = shards.length;
  await typeSlowly(page, 'abramovich');
  await page.waitForFunction(() => [...document.querySelectorAll('#hits .hit-title')].some((t) => /Abramovich/.test(t.textContent))
    && !document.documentElement.dataset.pending, null, { timeout: 15000 });
  const titles = await page.locator('#hits .hit-title').allTextContents();
  assert.match(titles[0], /Abramovich/);
  const fetched = shards.length;
  assert.equal(new Set(shards).size, fetched, 'no shard is fetched twice');
  assert.ok(fetched - atStart < shardCount / 3, `fetched ${fetched} of ${shardCount} shards`);
  // Another query, then the first again: nothing new is fetched for it.
  await page.locator('#q').fill('lavrov');
  await page.waitForFunction(onlyMatches, 'lavrov');
  const after = shards.length;
  await page.locator('#q').fill('abramovich');
  await page.waitForFunction(onlyMatches, 'abramovich');
  assert.equal(shards.length, after);
  // The whole entry comes from its own shards.
  await page.locator('#hits .hit-link').first().click();
  await page.locator('dialog#entry').waitFor({ state: 'visible' });
  await page.waitForFunction(() => /Chelsea/.test(document.querySelector('dialog#entry').innerText));
  await page.screenshot({ path: path.join(ARTIFACTS, 'sharded-entry.png') });
  assert.deepEqual(await page.evaluate(() => window.__violations || []), []);
  await page.close();
});

test('every query, suggestion and entry answers as the single file does', async () => {
  const { page } = await newPage(server.url);
  const report = await page.evaluate(async () => {
    const { open } = await import('./dateline.js');
    const sharded = await open('data/index.dtl');
    const single = await open('single/index.dtl');
    const diffs = [];
    const same = (what, a, b) => { if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(what); };
    const queries = ['', 'putin', 'zel', 'zelenskky', 'n', 'nuclear power', '"nuclear power plant"', 'russia -putin',
      'kyiv kharkiv', 'sanctions', 'chelsea abramovich', 'war -"world war"', 'xyzzy'];
    for (const q of queries) {
      for (const o of [{}, { sort: 'newest', limit: 5, offset: 2 }, { from: '2022-03-02', to: '2022-03-02' }]) {
        same(`search ${q} ${JSON.stringify(o)}`, await sharded.searchAsync(q, o), single.search(q, o));
      }
    }
    for (const p of ['z', 'zel', 'pu', 'nuc', 'ukrainian']) same(`suggest ${p}`, await sharded.suggestAsync(p, 8), single.suggest(p, 8));
    const n = single.stats().entries;
    for (let id = 0; id <= n; id++) same(`entry ${id}`, await sharded.entryAsync(id), single.entry(id));
    // Synchronous calls answer from what is loaded, or say what they need.
    let pending = null;
    try { sharded.search('lavrov'); } catch (e) { pending = { code: e.code, shards: e.shards.length }; }
    return { diffs, sharded: sharded.sharded, single: single.sharded, pending, loaded: sharded.loaded(), n };
  });
  assert.deepEqual(report.diffs, []);
  assert.equal(report.sharded, true);
  assert.equal(report.single, false);
  assert.equal(report.pending.code, 'pending');
  assert.ok(report.pending.shards > 0);
  assert.ok(report.n >= 20);
  await page.close();
});

/** Rounds of fetching a call may wait on: its words' dictionary pieces
 *  (and, for a rare word, its first letter's, for typos), which name their
 *  lists' shards; the lists; the entries' directory page; the entries. */
const CALL_ROUNDS = 5;

test('a query fetches its shards in few rounds, counted by dateline.js and on the wire', async (t) => {
  const { page } = await newPage(server.url);
  // A round on the wire: shard requests under way together (each held a
  // little, so that one round's requests overlap as over a real network).
  let inflight = 0;
  let wire = 0;
  await page.route('**/data/shards/*', async (route) => {
    if (inflight++ === 0) wire += 1;
    try {
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, 30));
      await route.fulfill({ response });
    } finally {
      inflight -= 1;
    }
  });
  const counts = [];
  for (const word of ['abramovich', 'lavrov', 'sanctions', 'nuclear power', 'zelenskky']) {
    const before = wire;
    const r = await page.evaluate(async (w) => {
      const { open } = await import('./dateline.js');
      const a = await open('data/index.dtl');
      const start = a.loaded().rounds;
      const res = await a.searchAsync(w, { limit: 8 });
      return { rounds: a.loaded().rounds - start, total: res.total };
    }, word);
    counts.push({ word, rounds: r.rounds, wire: wire - before });
    assert.ok(r.total > 0, word);
  }
  t.diagnostic(`rounds per query: ${JSON.stringify(counts)}`);
  for (const c of counts) {
    assert.ok(c.rounds >= 2 && c.rounds <= CALL_ROUNDS, JSON.stringify(counts));
    assert.equal(c.wire, c.rounds, `dateline.js counts the rounds the wire saw: ${JSON.stringify(counts)}`);
  }
  await page.unroute('**/data/shards/*');
  await page.close();
});

test('a keystroke whose shards are in flight keeps the last results on screen', async () => {
  const { page } = await newPage(server.url);
  await typeSlowly(page, 'lavrov');
  await page.waitForFunction(onlyMatches, 'lavrov');
  const before = await page.locator('#hits .hit-title').allTextContents();
  // Hold every shard response until released.
  let release;
  const gate = new Promise((r) => { release = r; });
  await page.route('**/data/shards/*', async (route) => { await gate; await route.continue(); });
  await page.locator('#q').fill('refugees');
  await page.waitForSelector('html[data-pending="true"]');
  assert.deepEqual(await page.locator('#hits .hit-title').allTextContents(), before, 'the last results stay');
  assert.equal(await page.locator('#q').inputValue(), 'refugees', 'typing is not blocked');
  release();
  await page.waitForFunction(() => !document.documentElement.dataset.pending && /refugee|fled|UNHCR/i.test(document.querySelector('#hits').innerText),
    null, { timeout: 15000 });
  await page.unroute('**/data/shards/*');
  await page.close();
});

test('a one-word page is on screen before its postings arrive', async () => {
  const { page } = await newPage(server.url);
  // Hold the postings shards (section 4, the first of the shard's table)
  // until released; let everything else through.
  let release;
  const gate = new Promise((r) => { release = r; });
  let held = 0;
  await page.route('**/data/shards/*', async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    if (body.readUInt32LE(24) === 4) { held += 1; await gate; }
    await route.fulfill({ response, body });
  });
  await page.locator('#q').fill('russia');
  await page.waitForSelector('html[data-partial="true"] #hits[data-query="russia"] > li', { timeout: 15000 });
  const first = await page.locator('#hits .hit-title').allTextContents();
  assert.ok(first.length > 0, 'the page is on screen');
  // A postings shard counts as held once its body has been fetched and its
  // section read, which can come after the cards: wait for that (the gate
  // is still shut, so nothing of the postings has reached the page).
  for (const until = Date.now() + 15000; held === 0 && Date.now() < until;) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(held > 0, 'while the postings are held');
  assert.match(await page.locator('#count').innerText(), /^at least \d+ entr/);
  release();
  await page.waitForFunction(() => !document.documentElement.dataset.partial && !document.documentElement.dataset.pending,
    null, { timeout: 15000 });
  assert.match(await page.locator('#count').innerText(), /^\d+ entr(y|ies) match/);
  const all = await page.locator('#hits .hit-title').allTextContents();
  assert.ok(first.length <= 8 && all.length > first.length, `the first cards (${first.length}), then the page (${all.length})`);
  assert.deepEqual(all.slice(0, first.length), first, 'the first cards were final');
  await page.unroute('**/data/shards/*');
  await page.close();
});

test('a damaged shard is a clear message, not a hang', async () => {
  const { page } = await newPage(server.url);
  await page.route('**/data/shards/*', async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[body.length >> 1] ^= 0x20;
    await route.fulfill({ response, body });
  });
  await page.locator('#q').fill('sanctions');
  await page.waitForFunction(() => /does not match its name|damaged/.test(document.querySelector('#notice')?.innerText || ''),
    null, { timeout: 15000 });
  const notice = await page.locator('#notice').innerText();
  assert.match(notice, /reload|rebuild/i);
  await page.close();
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
