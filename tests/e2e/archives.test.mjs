// The explorer built from other publishers' archives: an RSS feed (with a
// JSON Lines export beside it) and a folder holding an HTML page, as
// `dateline build FILE|DIR...` reads them. In Chromium, the posts are found,
// an entry links to its original post only when that is a web address, names
// the record it was read from, and says when a time's zone is unknown; the
// page around the posts (navigation, asides, share widgets) is not searchable.
//
//   cd tests/e2e && node --test archives.test.mjs        (./build.sh test does it)

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARTIFACTS, ROOT, WWW, consoleErrors, datelineBin, launch, serve, teardown } from './harness.mjs';

const FORMATS = path.join(ROOT, 'tests', 'data', 'formats');

// One record with an address that must never become a link, and a local time
// given without any zone.
const JSONL = `${JSON.stringify({
  id: 'sandbag-1',
  headline: 'Sandbag station opens at the leisure centre',
  body: 'Volunteers filled sandbags for residents of the lower streets.',
  published: '2024-11-03T09:05:00',
  author: 'Ada Brun',
  url: 'javascript:window.__pwned = "url"',
})}\n`;

const sites = [];
const servers = [];
let browser;
const errors = consoleErrors();

/** A copy of the explorer whose index is built from the inputs that
 *  `prepare(dir)` writes into its folder and names. */
async function site(name, prepare) {
  const dir = await mkdtemp(path.join(tmpdir(), `dateline-${name}-`));
  sites.push(dir);
  await cp(WWW, dir, { recursive: true, filter: (src) => !src.startsWith(path.join(WWW, 'dist')) });
  const inputs = await prepare(dir);
  execFileSync(datelineBin(), ['build', ...inputs, '--out', path.join(dir, 'data'), '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = await serve(dir);
  servers.push(server);
  return server.url;
}

let feedURL;
let pagesURL;

before(async () => {
  feedURL = await site('feed', async (dir) => {
    const jsonl = path.join(dir, 'archive', 'sandbags.jsonl');
    await mkdir(path.dirname(jsonl));
    await writeFile(jsonl, JSONL);
    return [path.join(FORMATS, 'harbour.rss'), jsonl];
  });
  pagesURL = await site('pages', async (dir) => {
    const pages = path.join(dir, 'archive', 'pages');
    await mkdir(pages, { recursive: true });
    await cp(path.join(FORMATS, 'liveblog-articles.html'), path.join(pages, 'storm-orla.html'));
    return [pages];
  });
  browser = await launch();
});

after(async () => {
  for (const s of servers) await s.stop();
  await teardown({ browser, site: undefined });
  for (const dir of sites) await teardown({ site: dir });
});

afterEach(() => assert.deepEqual(errors.take(), []));

async function open(url) {
  const page = await browser.context.newPage();
  errors.record(page);
  await page.goto(url);
  await page.waitForSelector('html[data-state="ready"]', { timeout: 15000 });
  return page;
}

async function openFirstEntry(page) {
  await page.locator('#hits .hit-link').first().click();
  await page.locator('dialog#entry').waitFor({ state: 'visible' });
}

test('a feed: its posts are found, and an entry links to its original post', async () => {
  const page = await open(`${feedURL}?q=barrier`);
  const titles = await page.locator('#hits .hit-title').allTextContents();
  assert.deepEqual(titles, ['Flood barrier raised on North Quay']);
  await openFirstEntry(page);
  const original = page.locator('#entry-original a');
  assert.equal(await page.locator('#entry-original').isVisible(), true);
  assert.equal(await original.getAttribute('href'), 'https://news.example.org/live/storm-orla#barrier');
  await page.locator('#entry-provenance summary').click(); // the files read, folded
  const sources = await page.locator('#entry-sources').innerText();
  assert.match(sources, /harbour\.rss, item \d+, lines? \d+/);
  assert.match(await page.locator('#entry-date').innerText(), /Nov 3, 2024/);
  assert.match(await page.locator('#entry-authors').innerText(), /Tomas Riel, Ada Brun/);
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'archive-feed-entry.png') });
  await page.close();
});

test('a record whose address is not a web address gets no link, and a time without a zone says so', async () => {
  const page = await open(`${feedURL}?q=sandbag`);
  assert.deepEqual(await page.locator('#hits .hit-title').allTextContents(),
    ['Sandbag station opens at the leisure centre']);
  await openFirstEntry(page);
  assert.equal(await page.locator('#entry-original').isVisible(), false);
  assert.equal(await page.locator('#entry-original a').getAttribute('href'), null);
  const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => !/^\s*javascript:/i.test(h)), hrefs.join(' '));
  assert.equal(await page.locator('#entry-date').innerText(), 'Nov 3, 2024, 9:05 AM (time zone unknown)');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.screenshot({ path: path.join(ARTIFACTS, 'archive-zone-unknown-entry.png') });
  await page.close();
});

test('a folder of HTML pages: one entry per article, none of the page around them', async () => {
  const page = await open(`${pagesURL}?q=tide`);
  assert.match(await page.locator('#tz-note').innerText(), /names no time zone/);
  assert.deepEqual(await page.locator('#hits .hit-title').allTextContents(),
    ['Evening high tide passes without flooding']);
  await openFirstEntry(page);
  assert.equal(await page.locator('#entry-original a').getAttribute('href'),
    'https://news.example.org/live/storm-orla#tide');
  assert.match(await page.locator('#entry-authors').innerText(), /Mara Vesk, Lena Holt/);
  const body = await page.locator('#entry-body').innerText();
  assert.ok(!/Share|Copy link|Link to this post/.test(body), body);
  await page.keyboard.press('Escape');
  for (const furniture of ['harbour walks', 'sport', 'sign up']) {
    await page.locator('#q').fill(furniture);
    await page.waitForFunction(() => document.querySelectorAll('#hits > li').length === 0);
  }
  await page.locator('#q').fill('');
  await page.waitForFunction(() => document.querySelectorAll('#hits > li').length === 2);
  await page.close();
});
