// Embedding tests in headless Chromium: the <dateline-explorer> element on a
// hostile host page (two instances, two corpora), the iframe snippet, the
// single-file build opened from file://, and the content-hashed publish.
//
//   cd tests/e2e && node --test embed.test.mjs        (./build.sh test does it)
//
// `dateline serve` serves ONE directory and refuses symbolic links, so the
// setup copies the built www/ (page, JS, CSS, pkg/, data/) into a temporary
// directory, adds fixtures/ (the host pages) beside it, and a second index
// data2/ built from `dateline synth -n 200`. The host pages load
// ../dateline-element.js and ../data/, as a site with the explorer in a
// sub-folder would. Every response carries serve's strict CSP
// (`default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`),
// so the element is tested under it.
//
// Screenshots go to tests/artifacts/ (gitignored).

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { cp, mkdir, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { axeViolations } from './axe.mjs';
import { ARTIFACTS, ROOT, WWW, consoleErrors, datelineBin, launch, serve, teardown } from './harness.mjs';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const SINGLE = path.join(WWW, 'dist', 'dateline.html');

const dateline = (...args) => execFileSync(datelineBin(), args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

let site; // the temporary directory served
let server;
let browser;
let origin;
// Each test answers for its own pages: none may have had a console error
// (CSP violations are errors) or an uncaught exception.
const errors = consoleErrors();

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  site = await mkdtemp(path.join(tmpdir(), 'dateline-embed-'));
  await cp(WWW, site, { recursive: true, filter: (src) => !src.startsWith(path.join(WWW, 'dist')) });
  await cp(FIXTURES, path.join(site, 'fixtures'), { recursive: true });
  // A second, different corpus, and its single file through the CLI.
  const synth = path.join(site, 'synth-corpus');
  dateline('synth', '-n', '200', '--out', synth, '--quiet');
  dateline('build', '--manifest', path.join(synth, 'manifest.toml'), '--out', path.join(site, 'data2'),
    '--single-file', path.join(site, 'synth.html'), '--assets', WWW, '--quiet');
  // The content-hashed copy, served beside the rest.
  dateline('publish', '--www', WWW, '--out', path.join(site, 'site'));
  server = await serve(site);
  origin = new URL(server.url).origin;
  browser = await launch();
});

after(() => teardown({ browser, server, site }));

afterEach(() => assert.deepEqual(errors.take(), [], "console errors on this test's pages"));

/** A new page recording console errors (CSP violations are errors) and requests. */
async function newPage(url) {
  const page = await browser.context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  errors.record(page);
  if (url) await page.goto(url);
  return { page, requests };
}

/** Evaluates `fn(shadowRoot, host, ...args)` for the element `#id`. */
const inShadow = (page, id, fn, ...args) =>
  page.evaluate(([id, src, args]) => {
    const host = document.getElementById(id);
    // eslint-disable-next-line no-new-func
    return new Function('root', 'host', 'args', `return (${src})(root, host, ...args);`)(host.shadowRoot, host, args);
  }, [id, fn.toString(), args]);

const readyBoth = (page) => page.waitForFunction(
  () => document.querySelectorAll('dateline-explorer[state="ready"]').length === 2, null, { timeout: 15000 });

/** What the element shows: status text, card titles and ids. */
const shown = (page, id) => inShadow(page, id, (root) => ({
  status: root.querySelector('.status').textContent,
  titles: [...root.querySelectorAll('.card .title')].map((a) => a.textContent),
  ids: [...root.querySelectorAll('.card .title')].map((a) => Number(a.dataset.id)),
}));

/** The engine's own answer, through the element's archive (the public API). */
const engine = (page, id, query, options = {}) =>
  inShadow(page, id, (root, host, q, o) => {
    const r = host.archive.search(q, o);
    return { total: r.total, ids: r.hits.map((h) => h.id) };
  }, query, options);

async function typeInto(page, id, text) {
  const box = page.locator(`#${id} input[type="search"]`); // CSS locators pierce open shadow roots
  await box.fill('');
  await box.pressSequentially(text, { delay: 15 });
  await page.waitForFunction(([id, text]) => {
    const e = document.getElementById(id);
    return e.results && window.hostEvents.some((ev) => ev.from === id && ev.type === 'dateline-search' && ev.detail.query === text);
  }, [id, text]);
}

test('two explorers on a hostile page: each searches its own corpus, one wasm module', async () => {
  const { page, requests } = await newPage(`${server.url}fixtures/host.html`);
  await readyBoth(page);

  // One WebAssembly module for both; each index fetched once.
  const count = (suffix) => requests.filter((u) => new URL(u).pathname.endsWith(suffix)).length;
  assert.equal(count('/pkg/dateline_bg.wasm'), 1, 'the wasm module is loaded once');
  assert.equal(count('/data/index.dtl'), 1);
  assert.equal(count('/data2/index.dtl'), 1);
  assert.ok(requests.every((u) => new URL(u).origin === origin), 'nothing leaves the origin');

  // Different corpora.
  const [mainAll, synthAll] = [await engine(page, 'main-archive', ''), await engine(page, 'synth-archive', '')];
  assert.notEqual(mainAll.total, synthAll.total);
  assert.match((await shown(page, 'main-archive')).status, new RegExp(`^${mainAll.total} entries`));
  assert.match((await shown(page, 'synth-archive')).status, new RegExp(`^${synthAll.total} entries`));
  // sort="newest" from the attribute; the first card is the newest entry.
  assert.deepEqual((await shown(page, 'synth-archive')).ids.slice(0, 5),
    (await engine(page, 'synth-archive', '', { sort: 'newest' })).ids.slice(0, 5));

  // Type in the first: its results are the engine's, the other is untouched.
  await typeInto(page, 'main-archive', 'kyiv');
  const kyiv = await engine(page, 'main-archive', 'kyiv');
  const mainShown = await shown(page, 'main-archive');
  assert.ok(kyiv.total > 0);
  assert.deepEqual(mainShown.ids, kyiv.ids);
  assert.match(mainShown.status, new RegExp(`^${kyiv.total} (entry|entries) match “kyiv”`));
  assert.match((await shown(page, 'synth-archive')).status, new RegExp(`^${synthAll.total} entries`));

  // Type in the second, a word of its own corpus.
  const word = await inShadow(page, 'synth-archive', (root, host) =>
    host.archive.suggest('gov', 1)[0]?.term || host.archive.suggest('a', 1)[0].term);
  await typeInto(page, 'synth-archive', word);
  const synthWord = await engine(page, 'synth-archive', word, { sort: 'newest' });
  assert.ok(synthWord.total > 0);
  assert.deepEqual((await shown(page, 'synth-archive')).ids, synthWord.ids);
  assert.deepEqual((await shown(page, 'main-archive')).ids, kyiv.ids, 'the first explorer kept its results');

  // Highlights are <mark> elements made from text nodes.
  const marks = await inShadow(page, 'main-archive', (root) =>
    [...root.querySelectorAll('.card mark')].map((m) => [m.textContent.toLowerCase(), m.children.length]));
  assert.ok(marks.length > 0 && marks.every(([t, n]) => t.startsWith('kyiv') && n === 0), JSON.stringify(marks));

  // The host's CSS did not get in: sizes are the element's own.
  const inside = await inShadow(page, 'main-archive', (root) => {
    const q = root.querySelector('input[type="search"]');
    const cs = getComputedStyle(q);
    const card = getComputedStyle(root.querySelector('.card'));
    const mark = getComputedStyle(root.querySelector('mark'));
    const rootStyle = getComputedStyle(root.querySelector('.root'));
    return {
      fontSize: cs.fontSize, height: q.getBoundingClientRect().height, border: cs.borderTopStyle,
      partBorder: cs.borderTopColor, cardPadding: card.paddingLeft, cardBorder: card.borderTopStyle,
      markBg: mark.backgroundColor, rootBg: rootStyle.backgroundColor, rootFont: rootStyle.fontFamily,
      rootSize: rootStyle.fontSize, letterSpacing: rootStyle.letterSpacing,
      box: root.querySelector('.root').getBoundingClientRect().height,
    };
  });
  assert.equal(inside.fontSize, '15px', 'the search box has the element font size, not the host 40px/50px');
  assert.equal(inside.rootSize, '15px');
  assert.ok(inside.height > 20 && inside.height < 60, `search box height ${inside.height}`);
  assert.equal(inside.border, 'solid');
  assert.equal(inside.cardPadding, '0px');
  assert.notEqual(inside.markBg, 'rgb(0, 0, 0)');
  assert.equal(inside.letterSpacing, 'normal');
  // ... except through the theming API: custom properties and ::part().
  assert.equal(inside.rootBg, 'rgb(250, 248, 240)');
  assert.match(inside.rootFont, /Georgia/);
  assert.equal(inside.partBorder, 'rgb(0, 110, 70)');
  assert.ok(Math.abs(inside.box - 520) <= 1, `height="520px" gives a 520px box, not ${inside.box}`);
  const other = await inShadow(page, 'synth-archive', (root) => ({
    bg: getComputedStyle(root.querySelector('.root')).backgroundColor,
    snippet: getComputedStyle(root.querySelector('.snippet')).display,
    box: root.querySelector('.root').getBoundingClientRect().height,
  }));
  assert.equal(other.bg, 'rgb(255, 255, 255)', 'the theme of one instance is not the other');
  assert.equal(other.snippet, 'none', 'compact hides snippets');
  assert.ok(Math.abs(other.box - 360) <= 1, `height="360px" gives ${other.box}`);

  // The element's CSS did not get out: the host's look-alike nodes keep the host style.
  const outside = await page.evaluate(() => {
    const s = (sel) => getComputedStyle(document.querySelector(sel));
    return { q: s('#q').fontSize, card: s('body > ol.results .card').paddingLeft, cardBorder: s('body > ol.results .card').borderTopStyle,
      title: s('h1.title').fontSize, host: s('#main-archive').fontSize };
  });
  assert.deepEqual(outside, { q: '50px', card: '30px', cardBorder: 'dashed', title: '40px', host: '40px' });

  // Events reach the host: dateline-search with query, options, total.
  const events = await page.evaluate(() => window.hostEvents);
  const search = events.filter((e) => e.type === 'dateline-search' && e.from === 'main-archive').at(-1);
  assert.equal(search.detail.query, 'kyiv');
  assert.equal(search.detail.total, kyiv.total);
  assert.equal(search.detail.options.sort, 'relevance');

  // Opening a card: the entry shows inside, and dateline-select carries it.
  await page.locator('#main-archive .card .title').first().click();
  await page.waitForFunction(() => window.hostEvents.some((e) => e.type === 'dateline-select'));
  const selected = (await page.evaluate(() => window.hostEvents.filter((e) => e.type === 'dateline-select')))[0];
  assert.equal(selected.from, 'main-archive');
  assert.equal(selected.detail.id, kyiv.ids[0]);
  assert.equal(typeof selected.detail.body, 'string');
  const entryShown = await inShadow(page, 'main-archive', (root) => ({
    hidden: root.querySelector('.entry').hidden, title: root.querySelector('.entry-title').textContent,
  }));
  assert.deepEqual(entryShown, { hidden: false, title: selected.detail.title });
  assert.equal(await page.evaluate(() => location.hash), '', 'the host page URL is not touched');
  await page.locator('#main-archive').screenshot({ path: path.join(ARTIFACTS, 'embed-element-entry.png') });
  await page.locator('#main-archive .close').click();
  assert.equal(await inShadow(page, 'main-archive', (root) => root.querySelector('.results').hidden), false);
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-host.png'), fullPage: true });
  await page.locator('#main-archive').screenshot({ path: path.join(ARTIFACTS, 'embed-element.png') });
  await page.locator('#synth-archive').screenshot({ path: path.join(ARTIFACTS, 'embed-element-compact.png') });
  await page.close();
});

test('the element timeline: bars per day, a click picks the day, sliders and attributes set the range', async () => {
  const { page } = await newPage(`${server.url}fixtures/host.html`);
  await readyBoth(page);
  const bars = await inShadow(page, 'main-archive', (root) =>
    [...root.querySelectorAll('rect.bar')].map((r) => ({ day: Number(r.dataset.day), empty: r.classList.contains('empty') })));
  const stats = await inShadow(page, 'main-archive', (root, host) => host.archive.stats());
  const DAY = 86400000;
  const dayNo = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / DAY;
  assert.equal(bars.length, dayNo(stats.last_day) - dayNo(stats.first_day) + 1, 'one bar per day of the archive');

  // Click the first day with entries.
  const firstFull = bars.findIndex((b) => !b.empty);
  await page.locator('#main-archive rect.bar').nth(firstFull).click();
  const iso = new Date(bars[firstFull].day * DAY).toISOString().slice(0, 10);
  const expect = await engine(page, 'main-archive', '', { from: iso, to: iso });
  await page.waitForFunction(([id, iso]) => window.hostEvents.some((e) => e.from === id && e.detail.options?.from === iso), ['main-archive', iso]);
  assert.deepEqual((await shown(page, 'main-archive')).ids, expect.ids);
  assert.match((await shown(page, 'main-archive')).status, new RegExp(`^${expect.total} (entry|entries)`));
  assert.equal(await inShadow(page, 'main-archive', (root) => root.querySelectorAll('rect.bar.out').length), bars.length - 1);

  // The "to" slider from the keyboard widens the range by one day.
  await page.locator('#main-archive input.to').focus();
  await page.keyboard.press('ArrowRight');
  const iso2 = new Date((bars[firstFull].day + 1) * DAY).toISOString().slice(0, 10);
  await page.waitForFunction((iso2) => window.hostEvents.at(-1).detail.options?.to === iso2, iso2);
  assert.equal((await page.evaluate(() => window.hostEvents.at(-1))).detail.total,
    (await engine(page, 'main-archive', '', { from: iso, to: iso2 })).total);

  // "All dates" clears; from/to attributes set a range too.
  await page.locator('#main-archive button.clear').click();
  await page.waitForFunction(() => !window.hostEvents.at(-1).detail.options?.from);
  await page.evaluate(() => { const e = document.getElementById('synth-archive'); e.setAttribute('from', '2000-01-01'); e.setAttribute('to', '2100-01-01'); });
  const synthAll = await engine(page, 'synth-archive', '', { sort: 'newest' });
  await page.waitForFunction(() => window.hostEvents.at(-1).from === 'synth-archive' && window.hostEvents.at(-1).detail.options.from);
  const last = (await page.evaluate(() => window.hostEvents.at(-1))).detail;
  assert.ok(last.options.from >= '2000-01-01' && last.options.to <= '2100-01-01', 'the range is clamped to the archive');
  assert.ok(last.total <= synthAll.total);
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-timeline.png') });
  // Removed from the page, an explorer frees its archive; moved, it keeps it.
  const afterMoveAndRemove = await page.evaluate(async () => {
    const tick = () => new Promise((r) => setTimeout(r));
    const main = document.getElementById('main-archive');
    document.body.append(main);
    await tick();
    const moved = main.archive !== null;
    const synth = document.getElementById('synth-archive');
    synth.remove();
    await tick();
    return { moved, removed: synth.archive === null, stillWorks: main.archive.search('kyiv').total > 0 };
  });
  assert.deepEqual(afterMoveAndRemove, { moved: true, removed: true, stillWorks: true });
  await page.close();
});

/** Sets the box of `#id` to `text` in one input (as a paste does) and waits
 *  for its search. */
async function fillInto(page, id, text) {
  const before = await page.evaluate(() => window.hostEvents.length);
  await page.locator(`#${id} input[type="search"]`).fill(text);
  await page.waitForFunction(([id, text, before]) => window.hostEvents.slice(before).some((ev) =>
    ev.from === id && ev.type === 'dateline-search' && ev.detail.query === text), [id, text, before]);
}

/** The element's focused node inside its shadow root: its class, or null. */
const focused = (page, id) => inShadow(page, id, (root) =>
  root.activeElement ? (root.activeElement.dataset.id ? `card ${root.activeElement.dataset.id}` : root.activeElement.className) : null);

test('the element\'s words: "1 entry matches", the echo cut, no sideways scroll, no searchable words, "Showing results for"', async () => {
  const { page } = await newPage(`${server.url}fixtures/host.html`);
  await readyBoth(page);
  const id = 'main-archive';
  const once = await inShadow(page, id, (root, host) =>
    host.archive.suggest('s', 200).find((s) => s.count === 1 && s.term.length > 4)?.term);
  assert.ok(once, 'a word found in one entry');
  await fillInto(page, id, once);
  assert.equal((await shown(page, id)).status, `1 entry matches “${once}”`);

  // 5,000 letters: the echo is cut at 80, and nothing is wider than the element.
  // (The host's own log of the events, which prints the query, is emptied first.)
  const width = () => inShadow(page, id, (root, host) => {
    document.getElementById('log').replaceChildren();
    const box = root.querySelector('.root').getBoundingClientRect();
    const wider = [...root.querySelectorAll('.root *')].filter((e) => e.getBoundingClientRect().right > box.right + 0.5);
    const sideways = [...root.querySelectorAll('.root, .results, .notice')].filter((e) => e.scrollWidth > e.clientWidth);
    return { wider: wider.map((e) => e.className || e.tagName), scroll: sideways.map((e) => e.className),
      page: document.documentElement.scrollWidth - innerWidth };
  });
  const pageBefore = (await width()).page;
  const long = 'a'.repeat(5000);
  await fillInto(page, id, long);
  const status = (await shown(page, id)).status;
  assert.ok(status.length < 120, `the echo is cut: ${status.length} characters`);
  assert.match(status, new RegExp(`“${'a'.repeat(80)}…”`));
  const w = await width();
  assert.deepEqual(w.wider, [], 'nothing sticks out of the element');
  assert.deepEqual(w.scroll, [], 'nothing in the element scrolls sideways');
  assert.ok(w.page <= Math.max(0, pageBefore), `the host page is no wider (${w.page} px over)`);

  // Words with nothing to search.
  for (const odd of ['😀 !!!', '—…“”']) {
    await fillInto(page, id, odd);
    assert.equal((await shown(page, id)).status, `“${odd}” has no searchable words`);
    assert.equal((await shown(page, id)).ids.length, 0);
    assert.match(await inShadow(page, id, (root) => root.querySelector('.notice').textContent), /letters or digits/);
  }

  // A typo the engine corrects.
  await fillInto(page, id, 'mariupl');
  const fixed = await inShadow(page, id, (root, host) => host.archive.search('mariupl', { limit: 0 }));
  assert.ok(fixed.total > 0 && fixed.corrections.length > 0, 'the engine corrects mariupl');
  const correction = await inShadow(page, id, (root) => {
    const p = root.querySelector('.correction');
    return { hidden: p.hidden, text: p.textContent, marks: p.querySelectorAll('strong').length };
  });
  assert.equal(correction.hidden, false);
  assert.match(correction.text, /^Showing results for mariupol \(no entry has “mariupl”\)$/);
  // ... and a word found as typed says nothing of the kind.
  await fillInto(page, id, 'mariupol');
  assert.equal(await inShadow(page, id, (root) => root.querySelector('.correction').hidden), true);
  await page.close();
});

test('the element with no hits: the engine\'s alternatives, each a button with its count that runs it', async () => {
  const { page } = await newPage(`${server.url}fixtures/host.html`);
  await readyBoth(page);
  const id = 'main-archive';
  const offered = [];
  for (const q of ['mariupoll shellingx', '"aid humanitarian"', 'kiev']) {
    await fillInto(page, id, q);
    const api = await inShadow(page, id, (root, host, q) => host.archive.search(q, { limit: 0 }), q);
    if (api.total > 0) continue; // matches in this corpus: nothing to offer
    const notice = await inShadow(page, id, (root) => {
      const n = root.querySelector('.notice');
      return {
        hidden: n.hidden, head: n.querySelector('.notice-head')?.textContent, tips: n.querySelectorAll('.tips li').length,
        alts: [...n.querySelectorAll('.alternatives li')].map((li) => ({
          query: li.querySelector('button').textContent.slice(1, -1),
          count: Number(li.querySelector('.alt-count').textContent.replace(/\D/g, '')),
        })),
      };
    });
    assert.equal((await shown(page, id)).status, `0 entries match “${q}”`);
    assert.equal(notice.hidden, false);
    assert.equal(notice.head, 'No entry matches.');
    assert.ok(notice.tips >= 2, 'how to write a query');
    assert.deepEqual(notice.alts, api.alternatives.map((a) => ({ query: a.query, count: a.total })),
      `the engine's alternatives for ${q}`);
    for (const alt of notice.alts) assert.ok(alt.count > 0, `“${alt.query}” has hits`);
    offered.push(...notice.alts);
  }
  assert.ok(offered.length > 0, 'something was offered');
  await page.locator(`#${id}`).screenshot({ path: path.join(ARTIFACTS, 'embed-no-results.png') });
  // The first alternative runs when chosen, and the notice goes.
  const last = await inShadow(page, id, (root) => root.querySelector('.alternatives button').textContent.slice(1, -1));
  await page.locator(`#${id} .alternatives button`).first().click();
  await page.waitForFunction(([id, q]) => window.hostEvents.at(-1).from === id && window.hostEvents.at(-1).detail.query === q, [id, last]);
  const after = await shown(page, id);
  assert.deepEqual(after.ids, (await engine(page, id, last)).ids);
  assert.ok(after.ids.length > 0);
  assert.equal(await inShadow(page, id, (root) => root.querySelector('.notice').hidden), true);
  assert.equal(await focused(page, id), 'q', 'focus back in the box');
  await page.close();
});

test('the element from the keyboard: ArrowDown into the results, Enter opens, Escape goes back; two Escapes to clear', async () => {
  const { page } = await newPage(`${server.url}fixtures/host.html`);
  await readyBoth(page);
  const id = 'main-archive';
  await typeInto(page, id, 'kyiv');
  const { ids } = await shown(page, id);
  assert.ok(ids.length >= 3);
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(page, id), `card ${ids[0]}`, 'ArrowDown from the box: the first result');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(page, id), `card ${ids[2]}`);
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(page, id), `card ${ids[1]}`);
  await page.keyboard.press('Home');
  assert.equal(await focused(page, id), `card ${ids[0]}`);
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(page, id), 'q', 'ArrowUp from the first result: the box');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.hostEvents.some((e) => e.type === 'dateline-select'));
  const selected = (await page.evaluate(() => window.hostEvents.filter((e) => e.type === 'dateline-select')))[0];
  assert.equal(selected.detail.id, ids[1], 'Enter opens the focused result');
  assert.equal(await inShadow(page, id, (root) => root.querySelector('.entry').hidden), false);
  await page.keyboard.press('Escape');
  assert.equal(await inShadow(page, id, (root) => root.querySelector('.entry').hidden), true, 'Escape closes the entry');
  assert.equal(await focused(page, id), `card ${ids[1]}`, 'focus back on its result');
  await page.keyboard.press('Escape');
  assert.equal(await focused(page, id), 'q', 'Escape in the results: the box');

  // In the box: one Escape keeps the query (selected), a second clears it.
  await page.keyboard.press('Escape');
  assert.equal(await page.locator(`#${id} input[type="search"]`).inputValue(), 'kyiv', 'one Escape keeps the query');
  const before = await page.evaluate(() => window.hostEvents.length);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator(`#${id} input[type="search"]`).inputValue(), '', 'a second one clears it');
  await page.waitForFunction((before) => window.hostEvents.slice(before).some((e) => e.type === 'dateline-search' && e.detail.query === ''), before);
  assert.match((await shown(page, id)).status, /^[\d,]+ entries$/);
  await page.close();
});

test('axe finds no accessibility violation in the element: results, correction, no results, entry', async () => {
  const { page } = await newPage(`${server.url}fixtures/host.html`);
  await readyBoth(page);
  const id = 'main-archive';
  // No CSSOM preload: it copies the shadow root's <link>ed stylesheet into an
  // inline <style>, which the host's CSP (rightly) refuses.
  const axe = (sel) => axeViolations(page, sel, { preload: false });
  const checks = [];
  await typeInto(page, id, 'kyiv');
  checks.push(['results', await axe(`#${id}`)]);
  await fillInto(page, id, 'mariupl');
  checks.push(['correction', await axe(`#${id}`)]);
  await fillInto(page, id, 'kiev');
  checks.push(['no results', await axe(`#${id}`)]);
  await fillInto(page, id, '😀 !!!');
  checks.push(['no searchable words', await axe(`#${id}`)]);
  await typeInto(page, id, 'kyiv');
  await page.locator(`#${id} .card .title`).first().click();
  await page.waitForFunction(() => window.hostEvents.some((e) => e.type === 'dateline-select'));
  checks.push(['entry', await axe(`#${id}`)]);
  checks.push(['compact', await axe('#synth-archive')]);
  assert.deepEqual(checks.filter(([, v]) => v.length), [], 'violations by state');
  await page.close();
});

test('the iframe snippet: the whole page in a frame, state from its URL, searchable', async () => {
  const { page, requests } = await newPage(`${server.url}fixtures/iframe.html`);
  const frame = page.frameLocator('iframe');
  await frame.locator('html[data-state="ready"]').waitFor({ timeout: 15000 });
  const box = await page.locator('iframe').boundingBox();
  assert.ok(Math.abs(box.height - 642) <= 2 && box.width > 1000, `the frame is the snippet's size: ${JSON.stringify(box)}`);
  assert.equal(await frame.locator('#q').inputValue(), 'kyiv');
  assert.equal(await frame.locator('#sort').inputValue(), 'newest');
  assert.match(await frame.locator('#count').textContent(), /\d+ (entry|entries)/);
  assert.match(await frame.locator('#range-label').textContent(), /Mar 1 – Mar 15, 2022/);
  // Searching inside the frame works and the frame's URL keeps the state.
  await frame.locator('#q').fill('');
  await frame.locator('#q').pressSequentially('zelenskyy', { delay: 15 });
  await page.waitForFunction(() => /q=zelenskyy/.test(document.querySelector('iframe').contentWindow.location.search));
  const hits = await frame.locator('#hits .hit-title').allTextContents();
  assert.ok(hits.length > 0);
  assert.ok(requests.every((u) => new URL(u).origin === origin));
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-iframe.png') });
  await page.close();
});

/** Opens a single file from file:// and checks it fetches nothing at all. */
async function openSingle(file) {
  const { page, requests } = await newPage(null);
  const url = pathToFileURL(file).href;
  await page.goto(url);
  await page.waitForSelector('html[data-state="ready"]', { timeout: 20000 });
  return { page, requests, url };
}

test('the single file works from file:// with no request at all', async () => {
  await stat(SINGLE).catch(() => assert.fail(`${SINGLE} is missing: run ./build.sh, which writes it`));
  const { page, requests, url } = await openSingle(SINGLE);
  assert.match(await page.locator('#count').textContent(), /^\d+ entries/);
  const drawn = () => page.locator('#histogram').evaluate((s) => (s.dataset.counts || '').split(',').filter(Boolean).map(Number));
  const sum = (a) => a.reduce((n, c) => n + c, 0);
  const before = sum(await drawn());
  assert.ok(before > 0, 'the timeline has bars');
  await page.locator('#q').pressSequentially('kyiv', { delay: 15 });
  await page.waitForFunction(() => /kyiv/i.test(document.getElementById('count').textContent));
  assert.ok(await page.locator('#hits .hit-title').count() > 0);
  assert.ok(await page.locator('#hits mark').count() > 0, 'highlights');
  const after = sum(await drawn());
  assert.ok(after > 0 && after < before, `the timeline follows the query (${after} of ${before})`);
  // The timeline's brush from the keyboard narrows the range.
  // (history.pushState works on file:// too: the state still lives in the URL.)
  await page.locator('#chart [role="slider"]').first().focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /from=/.test(location.search));
  assert.match(await page.locator('#count').textContent(), / dated Mar \d+ – /, "the count names the narrowed range");
  // An entry opens.
  await page.locator('#hits .hit-link').first().click();
  await page.waitForSelector('#entry[open]');
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-single-file.png') });
  assert.deepEqual([...new Set(requests)], [url], 'nothing but the document itself was requested');
  await page.close();
});

test('dateline build --single-file writes a working file for any corpus', async () => {
  const file = path.join(site, 'synth.html');
  const html = await readFile(file, 'utf8');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.doesNotMatch(html, /<link[^>]+href="(?!data:)/, 'no linked resources');
  assert.doesNotMatch(html, /<script[^>]+src=/, 'no external scripts');
  const { page, requests, url } = await openSingle(file);
  const n = Number((await page.locator('#count').textContent()).match(/^([\d,]+) entries/)[1].replace(/,/g, ''));
  assert.ok(n >= 150 && n <= 200, `the synthetic corpus: ${n} entries`);
  assert.deepEqual([...new Set(requests)], [url]);
  await page.close();
});

test('dateline publish: hashed names, a manifest, and the page works from them', async () => {
  const out = path.join(site, 'site');
  const manifest = JSON.parse(await readFile(path.join(out, 'dateline-manifest.json'), 'utf8'));
  for (const name of ['index.html', 'app.bundle.js', 'app.js', 'dateline.js', 'dateline-element.js', 'dateline-element.css',
    'style.css', 'pkg/dateline.js', 'pkg/dateline_bg.wasm', 'data/index.dtl']) {
    const m = manifest.files[name];
    assert.ok(m, `${name} is in the manifest`);
    if (name !== 'index.html') assert.match(m.file, /\.[0-9a-f]{16}\.[a-z]+$/, m.file);
    const bytes = await readFile(path.join(out, m.file));
    assert.equal(bytes.length, m.bytes);
    const { createHash } = await import('node:crypto');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), m.sha256);
    assert.equal(`sha256-${createHash('sha256').update(bytes).digest('base64')}`, m.integrity);
  }
  const files = (await readdir(out, { recursive: true })).map((f) => f.split(path.sep).join('/'));
  assert.ok(!files.includes('app.js') && !files.includes('pkg/dateline_bg.wasm'), 'only hashed names');
  const { page, requests } = await newPage(`${server.url}site/index.html?q=kyiv`);
  await page.waitForSelector('html[data-state="ready"]', { timeout: 15000 });
  assert.ok(await page.locator('#hits .hit-title').count() > 0);
  const paths = requests.map((u) => new URL(u).pathname.replace(/^\/site\//, ''));
  for (const name of ['app.bundle.js', 'pkg/dateline_bg.wasm', 'data/index.dtl']) {
    assert.ok(paths.includes(manifest.files[name].file), `${manifest.files[name].file} was loaded (${paths.join(' ')})`);
  }
  assert.ok(!paths.some((p) => ['app.bundle.js', 'app.js', 'dateline.js', 'data/index.dtl', 'pkg/dateline_bg.wasm'].includes(p)), 'no unhashed name was asked for');
  // The client checks the index against the manifest's SHA-256 before use.
  const checked = await page.evaluate(async (m) => {
    const api = await import(new URL(m.files['dateline.js'].file, location.href).href);
    const a = await api.openPublished('dateline-manifest.json');
    const total = a.search('kyiv').total;
    a.close();
    const codes = [];
    for (const sha256 of ['0'.repeat(64), m.files['data/index.dtl'].sha256]) {
      try {
        (await api.open(m.files['data/index.dtl'].file, { sha256 })).close();
        codes.push('ok');
      } catch (e) { codes.push(e.code); }
    }
    return { total, codes };
  }, manifest);
  assert.ok(checked.total > 0, 'openPublished opens the published index');
  assert.deepEqual(checked.codes, ['integrity', 'ok'], 'a wrong SHA-256 is refused, the right one accepted');
  await page.close();
});

/** A static server on its own port (so its own origin) with the headers a CDN would send. */
function staticServer(root, headersFor, extra = () => null) {
  const types = { '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8', '.dtl': 'application/octet-stream', '.svg': 'image/svg+xml' };
  const srv = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const special = extra(url);
    if (special) { res.writeHead(200, special.headers); res.end(special.body); return; }
    const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(path.join(root, rel));
      res.writeHead(200, { 'Content-Type': types[path.extname(rel)] || 'application/octet-stream', ...headersFor(url) });
      res.end(body);
    } catch {
      res.writeHead(404, headersFor(url));
      res.end('404');
    }
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${srv.address().port}`, close: () => new Promise((r) => { srv.close(r); srv.closeAllConnections(); }),
  })));
}

test('another origin: the element, module, wasm and index from a CDN with CORS; without CORS it says so', async () => {
  // The "CDN": the site copy, with Access-Control-Allow-Origin except under /nocors/.
  const cdn = await staticServer(site, (url) => (url.pathname.startsWith('/nocors/') ? {} : { 'Access-Control-Allow-Origin': '*' }));
  // The "newsroom": its page comes from another port, under the CSP the docs ask for.
  const csp = `default-src 'self'; script-src 'self' ${cdn.url} 'wasm-unsafe-eval'; connect-src ${cdn.url}; style-src 'self' ${cdn.url}; img-src data:`;
  const newsroom = await staticServer(site, () => ({}), (url) => url.pathname === '/article.html' && {
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp },
    body: `<!doctype html><meta charset="utf-8"><title>Article</title><link rel="icon" href="data:,">
<script type="module" src="${cdn.url}/dateline-element.js"></script>
<dateline-explorer id="main-archive" src="${cdn.url}/data/" query="kyiv"></dateline-explorer>
<dateline-explorer id="nocors" src="${cdn.url}/nocors/data/index.dtl"></dateline-explorer>`,
  });
  try {
    const page = await browser.context.newPage();
    const corsErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') corsErrors.push(m.text()); });
    const wasm = [];
    page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.headers()['content-type']); });
    await page.goto(`${newsroom.url}/article.html`);
    await page.waitForSelector('#main-archive[state="ready"]', { timeout: 15000 });
    await page.waitForSelector('#nocors[state="error"]', { timeout: 15000 });
    const kyiv = await engine(page, 'main-archive', 'kyiv');
    assert.ok(kyiv.total > 0);
    assert.deepEqual((await shown(page, 'main-archive')).ids, kyiv.ids);
    assert.deepEqual(wasm, ['application/wasm'], 'one wasm download, with the type streaming compilation needs');
    const status = (await shown(page, 'nocors')).status;
    assert.match(status, /could not be fetched/);
    assert.ok(status.includes(`${cdn.url}/nocors/data/index.dtl`), status);
    // The only console errors are the browser's own CORS refusal for /nocors/.
    assert.ok(corsErrors.every((e) => /CORS|Access-Control-Allow-Origin|Failed to load|ERR_FAILED/.test(e)), corsErrors.join('\n'));
    await page.close();
  } finally {
    await cdn.close();
    await newsroom.close();
  }
});

// Every test checks its own pages (afterEach above); this one stands on its
// own too: it loads the element's host page and the published page, uses
// them, and checks that the errors it looks for would have been seen.
test('no console errors (no CSP violation) anywhere', async () => {
  // The recorder sees an error, a CSP violation included: the check below
  // cannot pass for want of one.
  const { page: probe } = await newPage(`${server.url}fixtures/host.html`);
  await probe.evaluate(() => {
    const s = document.createElement('style');
    s.textContent = 'body { color: red }'; // inline: refused by style-src 'self'
    document.head.append(s);
  });
  await probe.waitForTimeout(100);
  await probe.close();
  assert.ok(errors.take().some((e) => /Content Security Policy/.test(e)), 'a CSP violation is recorded');

  const { page, requests } = await newPage(`${server.url}fixtures/host.html`);
  await readyBoth(page);
  await typeInto(page, 'main-archive', 'kyiv');
  await page.locator('#main-archive .card .title').first().click();
  await page.waitForFunction(() => window.hostEvents.some((e) => e.type === 'dateline-select'));
  await page.close();
  const { page: published, requests: publishedRequests } = await newPage(`${server.url}site/index.html?q=kyiv`);
  await published.waitForSelector('html[data-state="ready"]', { timeout: 15000 });
  await published.locator('#hits .hit-link').first().click();
  await published.locator('dialog#entry').waitFor({ state: 'visible' });
  await published.close();
  const paths = requests.map((u) => new URL(u).pathname);
  for (const file of ['/dateline-element.js', '/dateline-element.css', '/highlight.js', '/dates.js', '/dateline.js',
    '/pkg/dateline_bg.wasm', '/data/index.dtl', '/data2/index.dtl']) {
    assert.ok(paths.includes(file), `${file} was loaded (${paths.join(' ')})`);
  }
  assert.ok(publishedRequests.some((u) => /\/site\/app\.bundle\.[0-9a-f]{16}\.js$/.test(u)), 'the published page was loaded');
  assert.deepEqual(errors.take(), []);
});
