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
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// The first Intl formatter a page creates costs 20–50 ms (the browser loads
// its locale data), in the way of the first results. So the fixed en-US,
// UTC forms below are written out by hand (the same text Intl gives), and
// Intl formatters are created on first need and kept.
const formatters = new Map();
function intl(key, options) {
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat(LOCALE, options));
  return formatters.get(key);
}
const UTC_DAY = { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' };

/** A UTC date with a four-digit year, as [year, month name, day, hours,
 *  minutes]; null for any other (Intl writes those). */
function utcParts(date) {
  const y = date.getUTCFullYear();
  if (!(y >= 1000 && y <= 9999)) return null;
  return [y, MONTHS[date.getUTCMonth()], date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()];
}

/** "Mar 4, 2022, 8:02 AM", from utcParts. */
const clockText = ([y, mon, d, h, min]) =>
  `${mon} ${d}, ${y}, ${h % 12 || 12}:${String(min).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;

/** A whole number as en-US writes it ("12,345"), without Intl. */
export function formatCount(n) {
  if (!Number.isSafeInteger(n)) return Number(n).toLocaleString(LOCALE);
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

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
export function formatDay(n) {
  const date = new Date(n * DAY_MS);
  const p = utcParts(date);
  return p ? `${p[1]} ${p[2]}, ${p[0]}` : intl('day', UTC_DAY).format(date);
}

/** Day number -> "Mar 4". */
export function formatShortDay(n) {
  const date = new Date(n * DAY_MS);
  const p = utcParts(date);
  return p ? `${p[1]} ${p[2]}` : intl('shortDay', { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(date);
}

/** Day number -> "Mar" (its month). */
export function formatMonth(n) {
  const date = new Date(n * DAY_MS);
  const p = utcParts(date);
  return p ? p[1] : intl('month', { timeZone: 'UTC', month: 'short' }).format(date);
}

/** An inclusive range of days: "Mar 4, 2022", "Mar 1 – Mar 15, 2022", or
 *  "Dec 30, 2021 – Jan 2, 2022". */
export function formatRange(a, b) {
  if (a === b) return formatDay(a);
  const sameYear = new Date(a * DAY_MS).getUTCFullYear() === new Date(b * DAY_MS).getUTCFullYear();
  return `${sameYear ? formatShortDay(a) : formatDay(a)} – ${formatDay(b)}`;
}

// en-US's own short names of US zones, by UTC offset in minutes: with them
// a minute printed in such a zone reads without Intl (a guess: see below).
const US_ZONES = {
  'America/New_York': { '-300': 'EST', '-240': 'EDT' },
  'America/Chicago': { '-360': 'CST', '-300': 'CDT' },
  'America/Denver': { '-420': 'MST', '-360': 'MDT' },
  'America/Phoenix': { '-420': 'MST' },
  'America/Los_Angeles': { '-480': 'PST', '-420': 'PDT' },
};
const MINUTE = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::\d\d(?:\.\d+)?)?(Z|([+-])(\d\d):(\d\d))$/;

/** The format of printed minutes in `timeZone` (an IANA name), with the
 *  zone's abbreviation: "Mar 4, 2022, 8:02 AM EST". UTC when the name is
 *  missing or unknown to the browser.
 *
 *  `format(date)` is Intl's (created on first use). `quick(published)`
 *  writes the same text without Intl when it can: always in UTC; with
 *  `guess`, also in a US zone when the printed offset is one of the zone's,
 *  read as the zone's offset at that time. A guess can be wrong (a time
 *  printed in another zone with the same offset): `settle()` checks the
 *  guesses made so far against Intl and says whether any was (the caller
 *  then renders again); after it, no more guesses: Intl is loaded by then. */
export function minuteFormat(timeZone, guess = false) {
  const zone = timeZone || 'UTC';
  const utc = zone === 'UTC' || zone === 'Etc/UTC';
  const names = guess ? US_ZONES[zone] : undefined;
  let real = null;
  let settled = false;
  const guesses = [];
  const options = { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
  const format = (date) => {
    if (!real) {
      try {
        real = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: zone });
      } catch {
        real = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: 'UTC' });
      }
    }
    return real.format(date);
  };
  const quick = (published) => {
    const m = MINUTE.exec(published);
    if (!m || (!utc && (!names || settled))) return null;
    if (utc) {
      const p = utcParts(new Date(published));
      return p ? `${clockText(p)} UTC` : null;
    }
    const offset = m[6] === 'Z' ? 0 : (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
    const name = names[String(offset)];
    const wall = new Date(`${published.slice(0, 16)}Z`);
    const p = name && !Number.isNaN(wall.getTime()) ? utcParts(wall) : null;
    if (!p || isoMinute(wall) !== published.slice(0, 16)) return null;
    const text = `${clockText(p)} ${name}`;
    guesses.push([published, text]);
    return text;
  };
  const settle = () => {
    const checked = guesses.splice(0);
    settled = true;
    return checked.some(([published, text]) => format(new Date(published)) !== text);
  };
  return { format, quick, settle };
}

/** A UTC date -> `YYYY-MM-DDTHH:MM` (the wall clock it was read from). */
const isoMinute = (date) => date.toISOString().slice(0, 16);

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
    const p = utcParts(t);
    const wall = p ? clockText(p) : intl('wall', { ...UTC_DAY, hour: 'numeric', minute: '2-digit' }).format(t);
    return [`${wall} (time zone unknown)`, published];
  }
  const t = new Date(published);
  if (Number.isNaN(t.getTime()) || !minuteFmt) return [published, published];
  return [(minuteFmt.quick && minuteFmt.quick(published)) || minuteFmt.format(t), published];
}
