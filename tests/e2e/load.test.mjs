// How the page loads, in headless Chromium: the first results are drawn
// before any Intl formatter exists (the first one costs the main thread
// 20–50 ms of locale data), and the times on the cards, written without
// Intl, read as Intl writes them in the archive's time zone.
//
//   cd tests/e2e && DATELINE_BIN=../../target/release/dateline node --test load.test.mjs
//
// Needs a built www/ (./build.sh).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, launch, serve, teardown } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  await teardown({ server });
});

/** Installed before the page's scripts: notes when Intl is first used
 *  (a formatter made, a number or date written for a locale, a collator). */
function watchIntl() {
  const first = (what) => {
    if (window.__intlFirst === undefined) window.__intlFirst = { what, at: performance.now() };
  };
  for (const name of ['DateTimeFormat', 'NumberFormat', 'Collator', 'PluralRules', 'Segmenter', 'ListFormat', 'RelativeTimeFormat']) {
    const Real = Intl[name];
    if (!Real) continue;
    Intl[name] = new Proxy(Real, {
      construct(target, args) { first(name); return Reflect.construct(target, args); },
      apply(target, self, args) { first(name); return Reflect.apply(target, self, args); },
    });
  }
  for (const [proto, names] of [[Number.prototype, ['toLocaleString']], [String.prototype, ['localeCompare']],
    [Date.prototype, ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']]]) {
    for (const name of names) {
      const real = proto[name];
      proto[name] = function (...args) { first(`${name}`); return real.apply(this, args); };
    }
  }
}

test('the first results are drawn before any Intl formatter is made', async () => {
  const page = await browser.context.newPage();
  await page.addInitScript(watchIntl);
  await page.goto(`${server.url}?q=nuclear`);
  await page.waitForSelector('html[data-state="ready"] #hits .hit-title');
  const { shown, intl, cards } = await page.evaluate(() => ({
    shown: performance.getEntriesByName('dateline:shown')[0]?.startTime,
    intl: window.__intlFirst ?? null,
    cards: document.querySelectorAll('#hits .hit').length,
  }));
  assert.ok(cards > 0, 'the query shows cards');
  assert.ok(shown !== undefined, 'the page marks its first results');
  assert.ok(intl === null || intl.at > shown, `Intl used before the first results: ${JSON.stringify(intl)} (shown at ${shown})`);
  await page.close();
});

test('the times on the first cards read as Intl writes them in the archive time zone', async () => {
  const manifest = await readFile(path.join(ROOT, 'corpus', 'manifest.toml'), 'utf8');
  const zone = /^timezone\s*=\s*"([^"]+)"/m.exec(manifest)[1];
  const page = await browser.context.newPage();
  // An empty query shows the newest entries: the most cards with a minute.
  await page.goto(`${server.url}?sort=newest`);
  await page.waitForSelector('html[data-state="ready"] #hits .hit-title');
  const times = await page.$$eval('#hits time.precision-minute', (els) => els.map((e) => [e.dateTime, e.textContent]));
  assert.ok(times.length > 0, 'the corpus has entries published to the minute');
  const intl = new Intl.DateTimeFormat('en-US', {
    month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone: zone,
  });
  for (const [datetime, text] of times) {
    if (!/(Z|[+-]\d\d:\d\d)$/.test(datetime)) continue; // a zone the source never gave: read as printed
    assert.equal(text, intl.format(new Date(datetime)), datetime);
  }
  await page.close();
});
