// End-to-end tests of the explorer as a reader meets it (issue 17): on a
// phone with the soft keyboard up, with the keyboard only, with queries that
// match nothing or are long or odd, in the entry view, on the timeline.
//
//   cd tests/e2e && node --test reader.test.mjs
//
// Screenshots go to tests/artifacts/ (gitignored): phone.png,
// phone-keyboard.png, phone-filters.png, no-results.png, entry-phone.png.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { axeViolations } from './axe.mjs';
import { ARTIFACTS, consoleErrors, launch, serve, teardown } from './harness.mjs';

let server;
let browser;
const errors = consoleErrors();

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await serve();
  browser = await launch();
});

after(() => teardown({ browser, server }));

afterEach(() => assert.deepEqual(errors.take(), [], "console errors on this test's pages"));

/** A new page (of `size`, else the desktop default) at `url`, ready;
 *  `init` runs in it before its own scripts. */
async function open(url = server.url, size = null, init = null) {
  const page = await browser.context.newPage();
  errors.record(page);
  if (size) await page.setViewportSize(size);
  if (init) await page.addInitScript(init);
  await page.goto(url);
  await page.waitForSelector('html[data-state="ready"]', { timeout: 15000 });
  return page;
}

/** Counts the page's calls of the engine's suggest (in `window.__suggestCalls`),
 *  whichever copy of dateline.js the page runs (the modules, or the
 *  production bundle): the WebAssembly instance's exports are wrapped as
 *  they are instantiated. */
function countSuggestCalls() {
  window.__suggestCalls = 0;
  const wrap = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    // A copy: the instance's own exports object is frozen.
    const exports = {};
    for (const [key, v] of Object.entries(instance.exports)) {
      exports[key] = /suggest/.test(key) && typeof v === 'function'
        ? (...args) => { window.__suggestCalls += 1; return v(...args); }
        : v;
    }
    const counted = Object.create(instance, { exports: { value: exports } });
    return result instanceof WebAssembly.Instance ? counted : { module: result.module, instance: counted };
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function instantiate(...args) { return original.apply(this, args).then(wrap); };
  }
}

/** The engine's own answer, through the public JS API in the page. */
function apiSearch(page, query, options = {}) {
  return page.evaluate(async ([q, o]) => {
    const { open: openArchive } = await import('/dateline.js');
    const a = await openArchive('/data/index.dtl');
    try { return a.search(q, o); } finally { a.close(); }
  }, [query, options]);
}

/** Waits until the page shows the results of `q`. */
const shown = (page, q) => page.waitForFunction((s) => document.querySelector('#hits')?.dataset.query === s, q);
const active = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return a ? (a.id || a.className || a.tagName) : null;
});
const countText = (page) => page.locator('#count').textContent();

test('phone: with the keyboard up, the first result shows right under the box', async () => {
  const phone = { width: 390, height: 844 };
  const page = await open(server.url, phone);
  await page.keyboard.type('mariupol');
  await shown(page, 'mariupol');
  assert.ok(await page.locator('#hits > li').count() > 0, 'mariupol matches');
  if (await page.locator('#suggestions').isVisible()) await page.keyboard.press('Escape');
  await page.screenshot({ path: path.join(ARTIFACTS, 'phone.png') });
  // The soft keyboard leaves 500 px: the first card still starts in view.
  await page.setViewportSize({ width: 390, height: 500 });
  const top = await page.locator('#hits > li').first().evaluate((li) => li.getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 500 - 60, `first result at y=${top}`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.screenshot({ path: path.join(ARTIFACTS, 'phone-keyboard.png') });
  // The timeline and the authors are behind one button, which opens them.
  const toggle = page.locator('#filters-toggle');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#histogram').isVisible(), false);
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await page.locator('#histogram').isVisible(), true);
  await page.setViewportSize(phone);
  await page.screenshot({ path: path.join(ARTIFACTS, 'phone-filters.png') });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no sideways scroll');
  await page.close();
});

test('keyboard only: from the box through the suggestions into the results, Enter opens one', async () => {
  const page = await open();
  // Results come right after the box and the sort in the tab order.
  await page.keyboard.type('russia');
  await shown(page, 'russia');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await active(page), 'hit-link', 'two tabs from the box: the first result');
  await page.locator('#q').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('zel');
  await page.locator('#suggestions').waitFor({ state: 'visible' });
  const n = await page.locator('#suggestions [role="option"]').count();
  for (let i = 0; i < n; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#q').getAttribute('aria-activedescendant'), `suggestion-${n - 1}`);
  assert.equal(await active(page), 'q');
  // Past the last suggestion: the results.
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(page), 'hit-link');
  assert.equal(await page.locator('#suggestions').isVisible(), false);
  await page.keyboard.press('ArrowDown');
  const second = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(second, await page.locator('#hits .hit-link').nth(1).textContent());
  await page.keyboard.press('Enter');
  await page.locator('dialog#entry').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#entry-title').textContent(), second);
  await page.keyboard.press('Escape');
  await page.locator('dialog#entry').waitFor({ state: 'hidden' });
  // Up from the first result goes back to the box; typing goes on there.
  await page.locator('#hits .hit-link').first().focus();
  await page.keyboard.press('ArrowUp');
  assert.equal(await active(page), 'q');
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(page), 'hit-link');
  await page.keyboard.type('x');
  assert.equal(await active(page), 'q');
  assert.equal(await page.locator('#q').inputValue(), 'zelx');
  await page.close();
});

test('focus after each timeline control lands on a control', async () => {
  const page = await open(`${server.url}?from=2022-03-02&to=2022-03-04`);
  await page.locator('#zoom-in').click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('zoom'));
  assert.equal(await active(page), 'zoom-out');
  await page.locator('#zoom-out').click();
  assert.equal(await active(page), 'zoom-in');
  await page.locator('#clear-range').click();
  assert.equal(await page.locator('#range-label').textContent(), 'All dates');
  assert.match(await active(page), /handle-start/);
  await page.close();
});

test('no results: every alternative has hits, with its count; tips; the chart says why it is empty', async () => {
  const page = await open();
  const offered = [];
  for (const q of ['mariupoll shellingx', '"humanitarian corridor"', '"aid humanitarian"', 'kiev']) {
    await page.locator('#q').fill(q);
    await shown(page, q);
    const total = (await apiSearch(page, q, { limit: 0 })).total;
    if (total > 0) continue; // matches in this corpus: nothing to offer
    assert.match(await countText(page), /^0 entries match/);
    assert.equal(await page.locator('#correction').isVisible(), false, 'nothing is shown "for" a correction');
    const alts = page.locator('#notice .alternatives li');
    for (let i = 0; i < await alts.count(); i++) {
      const text = await alts.nth(i).locator('button').textContent();
      const alt = text.slice(1, -1);
      const n = Number((await alts.nth(i).locator('.muted').textContent()).replace(/\D/g, ''));
      const api = await apiSearch(page, alt, { limit: 0 });
      assert.ok(api.total > 0, `“${alt}” (offered for ${q}) has hits`);
      assert.equal(n, api.total, `the count shown for “${alt}”`);
      assert.ok((alt.match(/"/g) || []).length % 2 === 0, `balanced quotes in ${alt}`);
      offered.push(alt);
    }
    assert.ok(await page.locator('#notice .tips li').count() >= 2, 'syntax tips');
    assert.equal(await page.locator('#chart-empty').isVisible(), true);
    assert.match(await page.locator('#chart-empty').textContent(), /No entry matches/);
  }
  assert.ok(offered.length > 0, 'something was offered');
  await page.screenshot({ path: path.join(ARTIFACTS, 'no-results.png'), fullPage: true });
  // An alternative runs when chosen.
  await page.locator('#try-instead').click();
  await page.waitForFunction(() => !document.querySelector('#count').textContent.startsWith('0 '));
  await page.close();
});

test('the entry view: Close at the top, dating in plain words, no file names until asked', async () => {
  const page = await open(`${server.url}?q=nuclear`, { width: 390, height: 844 });
  await page.locator('#hits .hit-link').first().click();
  const dialog = page.locator('dialog#entry');
  await dialog.waitFor({ state: 'visible' });
  const box = await dialog.boundingBox();
  const close = await page.locator('#entry-close').boundingBox();
  assert.ok(close.y - box.y < 60, `Close ${close.y - box.y}px below the dialog's top`);
  const text = await dialog.innerText();
  assert.doesNotMatch(text, /\.txt|\.html|lines? \d|Dated from|order in/, text);
  assert.match(await page.locator('#entry-dating').textContent(),
    /^(Time printed in the post|Day inferred from the posts around it|Day inferred from a weekday|Date published)/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'entry-phone.png') });
  // Close stays in reach once the entry is scrolled.
  await dialog.evaluate((d) => { d.scrollTop = d.scrollHeight; });
  const closeAfter = await page.locator('#entry-close').boundingBox();
  assert.ok(closeAfter.y >= box.y - 1 && closeAfter.y - box.y < 60, 'Close in view after scrolling');
  // The technical provenance is one click away.
  await page.locator('#entry-provenance summary').click();
  assert.match(await page.locator('#entry-sources').innerText(), /\.txt, lines? \d+/);
  await page.locator('#entry-close').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.close();
});

test('long and emoji queries', async () => {
  const page = await open(server.url, { width: 390, height: 844 }, countSuggestCalls);
  // Suggestions: one engine call for one keystroke, however long the word.
  const calls = () => page.evaluate(() => window.__suggestCalls);
  await page.locator('#q').fill('nucl');
  await shown(page, 'nucl');
  assert.equal(await calls(), 1, 'one call for a keystroke (the counter sees the page\'s module)');
  const long = 'a'.repeat(5000);
  await page.locator('#q').fill(long);
  await shown(page, long);
  assert.equal(await calls(), 2, 'one call for a 5,000-letter word that matches nothing');
  const count = await countText(page);
  assert.ok(count.length < 130, `the echo is cut: ${count.length} chars`);
  assert.match(count, /a…”/);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
    `no sideways scroll (${await page.evaluate(() => document.documentElement.scrollWidth)} px)`);
  for (const odd of ['😀 !!!', '—…“”']) {
    await page.locator('#q').fill(odd);
    await shown(page, odd);
    assert.match(await countText(page), /no searchable words/);
    assert.equal(await page.locator('#hits > li').count(), 0);
  }
  await page.close();
});

test('a zero-width space inside a word is ignored', async () => {
  const page = await open();
  const plain = await apiSearch(page, 'mariupol', { limit: 0 });
  assert.ok(plain.total > 0);
  await page.locator('#q').fill('mari\u200bupol');
  await shown(page, 'mari\u200bupol');
  assert.match(await countText(page), new RegExp(`^${plain.total} entr`));
  await page.close();
});

test('timeline: a visible hint, 24 px handles, a drag from the very edge, one history entry per brush or key run', async () => {
  const page = await open();
  assert.equal(await page.locator('#chart-hint').isVisible(), true);
  assert.equal(await page.locator('#zoom-in').isVisible(), false, 'no dead buttons before a range');
  const handle = await page.locator('.handle-start').boundingBox();
  assert.ok(handle.width >= 24, `handle ${handle.width}px wide`);
  const stats = await page.evaluate(async () => (await (await import('/dateline.js')).open('/data/index.dtl')).stats());
  const chart = await page.locator('#histogram').boundingBox();
  let length = await page.evaluate(() => history.length);
  await page.mouse.move(chart.x + 2, chart.y + chart.height / 2);
  await page.mouse.down();
  await page.mouse.move(chart.x + chart.width * 0.15, chart.y + chart.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('to'));
  const url = new URL(await page.evaluate(() => location.href));
  assert.equal(url.searchParams.get('from'), stats.first_day, 'the range starts where the drag did');
  assert.ok(url.searchParams.get('to') < stats.last_day, 'and ends where it ended');
  assert.equal(await page.evaluate(() => history.length), length + 1, 'a brush: one entry');
  assert.equal(await page.locator('#chart-hint').isVisible(), false);
  length += 1;
  await page.locator('.handle-end').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => history.length), length + 1, 'three keys: one entry');
  await page.close();
});

test('small words: "1 entry matches", "Showing results for", two Escapes to clear', async () => {
  const page = await open();
  const once = await page.evaluate(async () => {
    const { open: openArchive } = await import('/dateline.js');
    const a = await openArchive('/data/index.dtl');
    return a.suggest('s', 200).find((s) => s.count === 1 && s.term.length > 4)?.term;
  });
  assert.ok(once, 'a word found in one entry');
  await page.locator('#q').fill(once);
  await shown(page, once);
  assert.equal(await countText(page), `1 entry matches “${once}”`);
  await page.locator('#q').fill('mariupl');
  await shown(page, 'mariupl');
  const fixed = await apiSearch(page, 'mariupl', { limit: 0 });
  assert.ok(fixed.total > 0 && fixed.corrections.length > 0, 'the engine corrects mariupl');
  assert.match(await page.locator('#correction').textContent(), /^Showing results for mariupol\b/);
  await page.locator('#q').fill('russia');
  await shown(page, 'russia');
  await page.locator('#q').focus();
  if (await page.locator('#suggestions').isVisible()) await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#q').inputValue(), 'russia', 'one Escape keeps the query');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#q').inputValue(), '', 'a second one clears it');
  await page.close();
});

test('author counts come from the engine, over every match, ticked or not', async () => {
  const page = await open(`${server.url}?q=russia`);
  const api = await apiSearch(page, 'russia', { limit: 0 });
  assert.ok(api.authors.length > 1, 'several authors write about russia');
  await page.waitForFunction((n) => document.querySelectorAll('#authors label.author').length === n, api.authors.length);
  const shownCounts = await page.locator('#authors label.author').evaluateAll((ls) =>
    ls.map((l) => ({ name: l.querySelector('.author-name').textContent, count: Number(l.querySelector('.author-count').textContent) })));
  assert.deepEqual(shownCounts, api.authors);
  // Ticking one keeps the others' counts.
  await page.locator('#authors label.author input').first().check();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('author'));
  await page.waitForTimeout(150);
  const after = await page.locator('#authors .author-count').allTextContents();
  assert.deepEqual(after.map(Number), api.authors.map((a) => a.count));
  await page.close();
});

test('the hourly chart brushes hours: the count is the sum of the bars brushed', async () => {
  const page = await open(`${server.url}?from=2022-03-02&to=2022-03-04&zoom=2022-03-02..2022-03-04`);
  const bars = async () => page.locator('#histogram').evaluate((s) => s.dataset.counts.split(',').map(Number));
  const counts = await bars();
  assert.equal(counts.length, 72, 'one bar per hour');
  const chart = await page.locator('#histogram').boundingBox();
  const y = chart.y + chart.height / 2;
  await page.mouse.move(chart.x + chart.width * 0.1, y);
  await page.mouse.down();
  await page.mouse.move(chart.x + chart.width * 0.45, y, { steps: 6 });
  await page.mouse.up();
  await page.waitForFunction(() => /T\d\d$/.test(new URL(location.href).searchParams.get('to') || ''));
  const url = new URL(await page.evaluate(() => location.href));
  const bucket = (s) => (Date.parse(s.slice(0, 10)) - Date.parse('2022-03-02')) / 86400000 * 24 + (s.length > 10 ? Number(s.slice(11)) : 0);
  const [a, b] = [bucket(url.searchParams.get('from')), bucket(url.searchParams.get('to'))];
  assert.ok(a >= 6 && a <= 8 && b >= 31 && b <= 33, `hours ${a}..${b} where the drag went`);
  const expected = counts.slice(a, b + 1).reduce((n, c) => n + c, 0);
  assert.ok(expected > 0, 'entries in those hours');
  await page.waitForFunction((n) => document.querySelector('#count').textContent.startsWith(`${n} `), expected);
  assert.match(await page.locator('#range-label').textContent(), /\d\d:00 – .*\d\d:00/);
  // Every card is within those hours.
  const times = await page.locator('#hits time').evaluateAll((ts) => ts.map((t) => t.dateTime));
  assert.equal(times.length, Math.min(expected, 20));
  for (const t of times) {
    const at = bucket(t.slice(0, 13)); // the printed local day and hour
    assert.ok(at >= a && at <= b, `${t} within hours ${a}..${b}`);
  }
  // A reload of the address shows the same.
  const again = await open(url.href);
  assert.match(await countText(again), new RegExp(`^${expected} `));
  await again.close();
  await page.close();
});

test('axe finds no accessibility violation in any state of the page', async () => {
  const checks = [];
  const desktop = await open(`${server.url}?q=russia&from=2022-03-01&to=2022-03-10`);
  checks.push(['results with a range', await axeViolations(desktop)]);
  await desktop.locator('#q').fill('kiev');
  await shown(desktop, 'kiev');
  checks.push(['no results', await axeViolations(desktop)]);
  await desktop.locator('#q').fill('zel');
  await desktop.locator('#suggestions').waitFor({ state: 'visible' });
  await desktop.keyboard.press('ArrowDown');
  checks.push(['suggestions', await axeViolations(desktop)]);
  await desktop.close();
  const phone = await open(`${server.url}?q=nuclear`, { width: 390, height: 844 });
  checks.push(['phone', await axeViolations(phone)]);
  await phone.locator('#filters-toggle').click();
  checks.push(['phone, filters open', await axeViolations(phone)]);
  await phone.locator('#hits .hit-link').first().click();
  await phone.locator('dialog#entry').waitFor({ state: 'visible' });
  await phone.locator('#entry-provenance summary').click();
  checks.push(['entry view', await axeViolations(phone)]);
  await phone.close();
  assert.deepEqual(checks.filter(([, v]) => v.length), [], 'violations by state');
});
