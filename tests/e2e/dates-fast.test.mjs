// Unit tests, in node, of the dates and counts that www/dates.js writes
// without Intl (so that the page's first results need no Intl formatter):
// each is checked against Intl's own en-US text over many days and times.
//
//   cd tests/e2e && node --test dates-fast.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, formatCount, formatDay, formatMonth, formatPublished, formatShortDay, minuteFormat } from '../../www/dates.js';

const intl = (options) => new Intl.DateTimeFormat('en-US', options);
const MINUTE_OPTIONS = { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };

/** Day numbers from year 1000 to 9999, a prime step apart (every month,
 *  weekday and leap rule comes by). */
function* days() {
  const first = Math.round(Date.UTC(1000, 0, 1) / DAY_MS);
  const last = Math.round(Date.UTC(9999, 11, 31) / DAY_MS);
  for (let n = first; n <= last; n += 1009) yield n;
  for (let n = Math.round(Date.UTC(2020, 0, 1) / DAY_MS); n < Math.round(Date.UTC(2025, 0, 1) / DAY_MS); n++) yield n;
}

test('dates without Intl: days, short days and months read as Intl writes them', () => {
  const day = intl({ timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });
  const short = intl({ timeZone: 'UTC', month: 'short', day: 'numeric' });
  const month = intl({ timeZone: 'UTC', month: 'short' });
  for (const n of days()) {
    const d = new Date(n * DAY_MS);
    assert.equal(formatDay(n), day.format(d));
    assert.equal(formatShortDay(n), short.format(d));
    assert.equal(formatMonth(n), month.format(d));
  }
  // Outside four-digit years, Intl itself writes them.
  const early = Math.round(Date.UTC(2022, 2, 4) / DAY_MS) - 365 * 1990;
  assert.equal(formatDay(early), day.format(new Date(early * DAY_MS)));
});

test('dates without Intl: counts read as en-US writes them', () => {
  for (const n of [0, 7, 999, 1000, 12345, 999999, 1000000, 123456789, Number.MAX_SAFE_INTEGER]) {
    assert.equal(formatCount(n), n.toLocaleString('en-US'));
  }
  assert.equal(formatCount(1234.5), (1234.5).toLocaleString('en-US'));
});

/** Every 97 minutes over 2021–2023 (both DST changes each year), printed
 *  as an ingester prints it: wall clock of `zone` and that zone's offset. */
function* printed(zone) {
  const parts = intl({ timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' });
  for (let t = Date.UTC(2021, 0, 1); t < Date.UTC(2024, 0, 1); t += 97 * 60_000) {
    const p = Object.fromEntries(parts.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    const offset = p.timeZoneName === 'GMT' ? 'Z' : p.timeZoneName.slice(3);
    yield [t, `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:00${offset}`];
  }
}

test('dates without Intl: minutes printed in the archive zone read as Intl writes them, with no wrong guess', () => {
  for (const zone of ['America/New_York', 'America/Phoenix', 'UTC']) {
    const fmt = minuteFormat(zone, true);
    const real = intl({ ...MINUTE_OPTIONS, timeZone: zone });
    let quick = 0;
    for (const [t, published] of printed(zone)) {
      if (fmt.quick(published) !== null) quick++;
      assert.equal(formatPublished(published, 'minute', fmt)[0], real.format(new Date(t)), `${zone} ${published}`);
    }
    assert.ok(quick > 1000, `${zone}: ${quick} minutes written without Intl`);
    assert.equal(fmt.settle(), false, zone);
    // Once settled, a zone other than UTC is no longer guessed.
    assert.equal(fmt.quick('2022-03-02T05:53:00-05:00') === null, zone !== 'UTC', zone);
  }
});

test('dates without Intl: a wrong guess is found by settle(), and later minutes go through Intl', () => {
  const fmt = minuteFormat('America/New_York', true);
  const real = intl({ ...MINUTE_OPTIONS, timeZone: 'America/New_York' });
  // Printed in Chicago in summer (-05:00): New York's winter offset.
  const published = '2022-07-04T09:30:00-05:00';
  const guessed = formatPublished(published, 'minute', fmt)[0];
  assert.notEqual(guessed, real.format(new Date(published)));
  assert.equal(fmt.settle(), true);
  assert.equal(formatPublished(published, 'minute', fmt)[0], real.format(new Date(published)));
  assert.equal(fmt.settle(), false);
  // Without `guess` (the custom element), no guess is made.
  const plain = minuteFormat('America/New_York');
  assert.equal(plain.quick(published), null);
  assert.equal(formatPublished(published, 'minute', plain)[0], real.format(new Date(published)));
});
