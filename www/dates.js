// Dates as Dateline shows them, shared by the page (app.js and app/) and the
// custom element (dateline-element.js).
//
// A day is a number: days since 1970-01-01, in UTC (the engine's `day`
// strings are calendar days, with no time zone). A published time is shown by
// its precision: a printed minute in the archive's time zone, a day the
// ingester inferred, or nothing known.

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

const LOCALE = 'en-US';
const dayFmt = new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });
const shortDayFmt = new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', month: 'short', day: 'numeric' });
const monthFmt = new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', month: 'short' });
const wallFmt = new Intl.DateTimeFormat(LOCALE, {
  timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit',
});

/** `YYYY-MM-DD` -> day number; null for anything else, or a day that does
 *  not exist (2022-02-30, 2022-13-01). */
export function parseDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return null;
  const [y, mo, d] = [+m[1], +m[2] - 1, +m[3]];
  const date = new Date(0);
  date.setUTCFullYear(y, mo, d); // not Date.UTC, which reads 0050 as 1950
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo || date.getUTCDate() !== d) return null;
  return Math.round(date.getTime() / DAY_MS);
}

/** Day number -> `YYYY-MM-DD`. */
export const isoDay = (n) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Day number -> "Mar 4, 2022". */
export const formatDay = (n) => dayFmt.format(new Date(n * DAY_MS));

/** Day number -> "Mar 4". */
export const formatShortDay = (n) => shortDayFmt.format(new Date(n * DAY_MS));

/** Day number -> "Mar" (its month). */
export const formatMonth = (n) => monthFmt.format(new Date(n * DAY_MS));

/** An inclusive range of days: "Mar 4, 2022", "Mar 1 – Mar 15, 2022", or
 *  "Dec 30, 2021 – Jan 2, 2022". */
export function formatRange(a, b) {
  if (a === b) return formatDay(a);
  const sameYear = new Date(a * DAY_MS).getUTCFullYear() === new Date(b * DAY_MS).getUTCFullYear();
  return `${sameYear ? formatShortDay(a) : formatDay(a)} – ${formatDay(b)}`;
}

/** The format of printed minutes in `timeZone` (an IANA name), with the
 *  zone's abbreviation: "Mar 4, 2022, 8:02 AM EST". UTC when the name is
 *  missing or unknown to the browser. */
export function minuteFormat(timeZone) {
  const options = { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
  try {
    return new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: timeZone || 'UTC' });
  } catch {
    return new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: 'UTC' });
  }
}

/** The address of an entry's original post, when it is a web address
 *  (`http:` or `https:`); null for anything else, `javascript:` above all. */
export function originalURL(url) {
  if (typeof url !== 'string' || url === '') return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** How a published time reads, by its precision (`minute`, `day` or
 *  `unknown`): returns [text, machine-readable datetime or '']. `minuteFmt`
 *  is a `minuteFormat(…)`; without one, a minute shows as the engine gave it. */
export function formatPublished(published, precision, minuteFmt) {
  if (!published || precision === 'unknown') return ['Date unknown', ''];
  if (precision === 'day' || published.length === 10) {
    const d = parseDay(published.slice(0, 10));
    return d === null ? [published, ''] : [`${formatDay(d)} (day inferred)`, published.slice(0, 10)];
  }
  // A local time whose zone the source never gave has no offset: show the
  // wall clock as printed, and say so, rather than read it in some zone.
  if (!/(Z|[+-]\d\d:\d\d)$/.test(published)) {
    const t = new Date(`${published}Z`);
    if (Number.isNaN(t.getTime())) return [published, published];
    return [`${wallFmt.format(t)} (time zone unknown)`, published];
  }
  const t = new Date(published);
  if (Number.isNaN(t.getTime()) || !minuteFmt) return [published, published];
  return [minuteFmt.format(t), published];
}
