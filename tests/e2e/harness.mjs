// Shared by the end-to-end tests and the browser benchmark: start
// `dateline serve` on a free loopback port, and Debian's Chromium through
// playwright-core (never a downloaded browser).

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WWW = path.join(ROOT, 'www');
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The `dateline` program: $DATELINE_BIN, else the release build in the cargo target dir. */
export function datelineBin() {
  if (process.env.DATELINE_BIN) return process.env.DATELINE_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target');
  return path.join(target, 'release', 'dateline');
}

/** Starts `dateline serve DIR --port 0` and resolves to { url, stop }. */
export function serve(dir = WWW) {
  return new Promise((resolve, reject) => {
    const child = spawn(datelineBin(), ['serve', dir, '--port', '0', '--host', '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`dateline serve did not start: ${err}`)); }, 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`dateline serve exited (${code}): ${err}`)); });
  });
}

/** Launches headless Chromium with a fresh profile; resolves to { context, close }. */
export async function launch(options = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'dateline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 860 },
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Closes what a test file started; any of them may be missing. */
export async function teardown({ browser, server, site } = {}) {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (site) await rm(site, { recursive: true, force: true });
}

/** The console errors and uncaught exceptions of the pages a test opens,
 *  for a check after each test, so that every test answers for its own
 *  pages (run alone or not):
 *
 *    const errors = consoleErrors();
 *    afterEach(() => assert.deepEqual(errors.take(), []));
 *    ... errors.record(page) for each page that must stay clean ...
 */
export function consoleErrors() {
  let found = [];
  return {
    /** Records `page`'s errors from now on. */
    record(page) {
      page.on('console', (m) => { if (m.type() === 'error') found.push(`${m.text()} (${page.url()})`); });
      page.on('pageerror', (e) => found.push(`uncaught: ${e.message} (${page.url()})`));
    },
    /** The errors recorded since the last call, and forgets them. */
    take() {
      const taken = found;
      found = [];
      return taken;
    },
  };
}

/** Records `page`'s console errors and uncaught exceptions into `errors`, and
 *  its Content-Security-Policy violations into `window.__violations`. */
export async function watch(page, errors) {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__violations ||= []).push(`${e.violatedDirective}: ${e.blockedURI}`);
    });
  });
}
