// Unit tests, in node, of the page's modules that do not need a DOM: the
// range arithmetic of www/highlight.js and the day arithmetic and formats of
// www/dates.js (both shared by the page and the custom element). The DOM
// side (marks built from text nodes) is checked in the browser tests.
//
//   cd tests/e2e && node --test modules.test.mjs        (./build.sh test does it)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRanges, segments } from '../../www/highlight.js';
import {
  formatDay, formatMonth, formatPublished, formatRange, formatShortDay, isoDay, minuteFormat, originalURL, parseDay,
} from '../../www/dates.js';

/** The marked pieces of `text`, as strings. */
const marks = (text, ranges) => segments(text, ranges).filter((s) => s.marked).map((s) => s.text);

test('highlight: overlapping ranges become one mark, in any order', () => {
  assert.deepEqual(mergeRanges([[0, 5], [3, 8]], 20), [[0, 8]]);
  assert.deepEqual(mergeRanges([[3, 8], [0, 5]], 20), [[0, 8]]);
  // One range inside another.
  assert.deepEqual(mergeRanges([[2, 10], [4, 6]], 20), [[2, 10]]);
  assert.deepEqual(mergeRanges([[4, 6], [2, 10]], 20), [[2, 10]]);
  // A chain: each overlaps the next only.
  assert.deepEqual(mergeRanges([[0, 3], [2, 5], [4, 7]], 20), [[0, 7]]);
  assert.deepEqual(marks('nuclear power plant', [[0, 7], [3, 13]]), ['nuclear power']);
});

test('highlight: adjacent ranges merge, separated ones stay apart', () => {
  assert.deepEqual(mergeRanges([[0, 3], [3, 6]], 10), [[0, 6]]);
  assert.deepEqual(mergeRanges([[0, 3], [4, 6]], 10), [[0, 3], [4, 6]]);
  assert.deepEqual(marks('kyivcity hall', [[0, 4], [4, 8], [9, 13]]), ['kyivcity', 'hall']);
});

test('highlight: ranges are clamped to the text; empty and malformed ones are dropped', () => {
  assert.deepEqual(mergeRanges([[-4, 2], [8, 99]], 10), [[0, 2], [8, 10]]);
  assert.deepEqual(mergeRanges([[5, 5], [7, 3], [12, 15], null, [NaN, 4], ['x', 2]], 10), []);
  assert.deepEqual(mergeRanges(undefined, 10), []);
  assert.deepEqual(mergeRanges([[1.7, 4.2]], 10), [[1, 4]]);
  // The caller's pairs are left as they were.
  const given = [[0, 5], [3, 8]];
  mergeRanges(given, 20);
  assert.deepEqual(given, [[0, 5], [3, 8]]);
});

test('highlight: segments cover the text exactly once', () => {
  const text = 'Shelling near the plant, said the mayor of the town.';
  const cases = [[], [[0, 8]], [[18, 23], [0, 8], [5, 12]], [[40, 99]], [[0, text.length]], [[9, 9]]];
  for (const ranges of cases) {
    const parts = segments(text, ranges);
    assert.equal(parts.map((p) => p.text).join(''), text, JSON.stringify(ranges));
    assert.ok(parts.every((p) => p.text.length > 0), 'no empty piece');
    for (let i = 1; i < parts.length; i++) assert.notEqual(parts[i].marked, parts[i - 1].marked, 'pieces alternate');
  }
  assert.deepEqual(segments('', [[0, 3]]), []);
});

test('dates: day numbers and ISO days round-trip; impossible days are refused', () => {
  assert.equal(parseDay('1970-01-01'), 0);
  assert.equal(parseDay('2022-03-04'), 19055);
  assert.equal(isoDay(19055), '2022-03-04');
  for (const s of ['2022-02-29', '2022-13-01', '2022-3-4', '', null, undefined, '2022-03-04T10:00']) {
    assert.equal(parseDay(s), null, String(s));
  }
  assert.equal(isoDay(parseDay('2024-02-29')), '2024-02-29', 'a leap day exists');
  assert.equal(isoDay(parseDay('0050-06-01')), '0050-06-01', 'a two-digit year is not read as 19xx');
});

test('dates: days, months and ranges read in English', () => {
  const d = parseDay('2022-03-04');
  assert.equal(formatDay(d), 'Mar 4, 2022');
  assert.equal(formatShortDay(d), 'Mar 4');
  assert.equal(formatMonth(d), 'Mar');
  assert.equal(formatRange(d, d), 'Mar 4, 2022');
  assert.equal(formatRange(parseDay('2022-03-01'), parseDay('2022-03-15')), 'Mar 1 – Mar 15, 2022');
  assert.equal(formatRange(parseDay('2021-12-30'), parseDay('2022-01-02')), 'Dec 30, 2021 – Jan 2, 2022');
});

test('dates: a published time reads by its precision, in the archive time zone', () => {
  const ny = minuteFormat('America/New_York');
  assert.deepEqual(formatPublished('2022-03-04T13:02:00Z', 'minute', ny), ['Mar 4, 2022, 8:02 AM EST', '2022-03-04T13:02:00Z']);
  assert.deepEqual(formatPublished('2022-03-04', 'day', ny), ['Mar 4, 2022 (day inferred)', '2022-03-04']);
  assert.deepEqual(formatPublished('2022-03-04T13:02:00Z', 'day', ny), ['Mar 4, 2022 (day inferred)', '2022-03-04']);
  assert.deepEqual(formatPublished(null, 'minute', ny), ['Date unknown', '']);
  assert.deepEqual(formatPublished('2022-03-04T13:02:00Z', 'unknown', ny), ['Date unknown', '']);
  // What cannot be read is shown as given, never dropped.
  assert.deepEqual(formatPublished('soon', 'minute', ny), ['soon', 'soon']);
  assert.deepEqual(formatPublished('2022-02-30', 'day', ny), ['2022-02-30', '']);
  // An unknown zone falls back to UTC.
  assert.match(minuteFormat('Not/A_Zone').format(new Date('2022-03-04T13:02:00Z')), /1:02 PM UTC$/);
  assert.match(minuteFormat(undefined).format(new Date('2022-03-04T13:02:00Z')), /1:02 PM UTC$/);
});

test('dates: a time whose zone the source never gave reads as printed, and says so', () => {
  const ny = minuteFormat('America/New_York');
  assert.deepEqual(formatPublished('2024-11-03T07:25:00', 'minute', ny),
    ['Nov 3, 2024, 7:25 AM (time zone unknown)', '2024-11-03T07:25:00']);
  assert.deepEqual(formatPublished('2024-11-03T07:25:00-05:00', 'minute', ny)[0], 'Nov 3, 2024, 7:25 AM EST');
});

test('dates: only web addresses become links to the original post', () => {
  assert.equal(originalURL('https://news.example.org/live#p-3'), 'https://news.example.org/live#p-3');
  assert.equal(originalURL('http://example.org/a b'), 'http://example.org/a%20b');
  for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', 'ftp://x/y', '/relative', '', null, undefined, 7]) {
    assert.equal(originalURL(bad), null, String(bad));
  }
});
