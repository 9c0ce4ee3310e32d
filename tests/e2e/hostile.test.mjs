// A corpus that carries markup and script: `<script>`, `<img onerror>`,
// `javascript:` links, `<svg onload>` and HTML entities, in headlines, bodies,
// captions, credits and bylines. The page must show all of it as text — in
// result cards, snippets, suggestions and the full entry — run none of it,
// and break no rule of its Content-Security-Policy.
//
//   cd tests/e2e && node --test hostile.test.mjs        (./build.sh test does it)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARTIFACTS, WWW, datelineBin, launch, serve, teardown, watch } from './harness.mjs';

const HEADER = `Hostile live blog

A lede that every capture repeats, so that it is learned as furniture.

For previous coverage, please click here.
`;

const SCRIPT_TITLE = '<script>window.__pwned = "title"</script> Markup in a headline';
const IMG = '<img src=x onerror="window.__pwned = \'body\'">';
const LINK = '<a href="javascript:window.__pwned = \'link\'">click me</a>';
const SVG = '<svg onload="window.__pwned = \'caption\'"></svg>';
const ENTITIES = '&lt;b&gt;bold&lt;/b&gt; &amp; &#60;script&#62;';

const CAPTURE_A = `${HEADER}
Mar 04, 2022, 7:46 AM EST

${SCRIPT_TITLE}

The attacker wrote ${IMG} into the body, and a link ${LINK} too.

Entities stay as typed: ${ENTITIES} onerrorword.

-ABC News' Mallory <b>Evil</b>

Related Topics
`;

const CAPTURE_B = `${HEADER}
Mar 04, 2022, 8:02 AM EST

Second post about onerror handlers

Scripts in captions are text as well, the attacker said.

A photo of ${SVG} at night.
Someone/AFP via <i>Getty</i> Images

-ABC News' Eve Example

Related Topics
`;

let site;
let server;
let browser;
const errors = [];

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  site = await mkdtemp(path.join(tmpdir(), 'dateline-hostile-'));
  await cp(WWW, site, { recursive: true, filter: (src) => !src.startsWith(path.join(WWW, 'dist')) });
  const corpus = path.join(site, 'corpus');
  await mkdir(corpus);
  await writeFile(path.join(corpus, 'a.txt'), CAPTURE_A);
  await writeFile(path.join(corpus, 'b.txt'), CAPTURE_B);
  await writeFile(path.join(corpus, 'manifest.toml'), `title = "Hostile <b>blog</b>"
timezone = "America/New_York"

[[capture]]
file = "a.txt"
covers = "2022-03-04"

[[capture]]
file = "b.txt"
covers = "2022-03-04"
`);
  execFileSync(datelineBin(), ['build', '--manifest', path.join(corpus, 'manifest.toml'), '--out', path.join(site, 'data'), '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  server = await serve(site);
  browser = await launch();
});

after(() => teardown({ browser, server, site }));

async function newPage(url) {
  const page = await browser.context.newPage();
  await watch(page, errors);
  await page.goto(url);
  await page.waitForSelector('html[data-state="ready"]', { timeout: 15000 });
  return page;
}

/** Elements or attributes that would mean corpus markup became DOM. */
const injected = (page) => page.evaluate(() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.getAttributeNames()) if (/^on/i.test(a)) found.push(`${el.tagName} ${a}`);
    if (el.tagName === 'A' && /^\s*javascript:/i.test(el.getAttribute('href') || '')) found.push('javascript: link');
  }
  for (const s of document.querySelectorAll('script')) if (!s.src) found.push('inline script');
  for (const i of document.querySelectorAll('img[src="x"], b, i')) found.push(i.tagName);
  return found;
});

const pwned = (page) => page.evaluate(() => ({ pwned: window.__pwned, violations: window.__violations || [] }));

test('markup in cards, snippets and suggestions is shown as text and never runs', async () => {
  const page = await newPage(`${server.url}?q=markup`);
  const titles = await page.locator('#hits .hit-title').allTextContents();
  assert.ok(titles.some((t) => t.includes('<script>window.__pwned = "title"</script>')), titles.join(' | '));
  await page.locator('#q').fill('attacker');
  await page.waitForFunction(() => document.querySelectorAll('#hits > li').length === 2);
  const cards = await page.locator('#hits').innerText();
  assert.ok(cards.includes('<img src=x onerror='), cards);
  assert.ok(cards.includes('Mallory <b>Evil</b>'), 'the byline, as typed');
  await page.locator('#q').fill('onerror');
  await page.waitForSelector('#suggestions [role="option"]');
  const options = await page.locator('#suggestions [role="option"] .term').allTextContents();
  assert.ok(options.length > 0);
  assert.deepEqual(await injected(page), []);
  await page.screenshot({ path: path.join(ARTIFACTS, 'hostile-cards.png') });
  assert.deepEqual(await pwned(page), { pwned: undefined, violations: [] });
  await page.close();
});

test('the whole entry shows body, captions, credits and entities as text', async () => {
  const page = await newPage(`${server.url}?q=entities`);
  await page.locator('#hits .hit-link').first().click();
  await page.locator('dialog#entry').waitFor({ state: 'visible' });
  const text = await page.locator('dialog#entry').innerText();
  assert.ok(text.includes(LINK), text);
  assert.ok(text.includes(ENTITIES), 'entities are not decoded');
  assert.equal(await page.locator('#entry-title').textContent(), SCRIPT_TITLE);
  assert.deepEqual(await injected(page), []);
  await page.keyboard.press('Escape');
  await page.locator('#q').fill('caption');
  await page.waitForFunction(() => document.querySelectorAll('#hits > li').length === 1);
  await page.locator('#hits .hit-link').first().click();
  await page.locator('dialog#entry').waitFor({ state: 'visible' });
  const caption = await page.locator('dialog#entry').innerText();
  assert.ok(caption.includes(SVG), caption);
  assert.ok(caption.includes('Someone/AFP via <i>Getty</i> Images'), caption);
  assert.deepEqual(await injected(page), []);
  await page.screenshot({ path: path.join(ARTIFACTS, 'hostile-entry.png') });
  assert.deepEqual(await pwned(page), { pwned: undefined, violations: [] });
  await page.close();
  assert.deepEqual(errors, []);
});
