// TypeScript declarations of Dateline's browser API: the ES module
// dateline.js (open an archive, search it, draw your own UI) and the custom
// element <dateline-explorer> defined by dateline-element.js.
//
//   import { open } from 'https://example.org/dateline/dateline.js';
//   const archive = await open('https://example.org/dateline/data/index.dtl');
//   const { total, hits } = archive.search('kyiv', { sort: 'newest', limit: 10 });
//
// Copy this file next to your code (or reference it with
// `/// <reference path="dateline.d.ts" />`); the shapes are those of the
// CLI's `dateline search --json`.

// ---- dateline.js -----------------------------------------------------------

/** What went wrong, for code: */
export type DatelineErrorCode =
  | 'missing'  // the index or the wasm module is not where it was looked for
  | 'http'     // the server answered with an error status
  | 'network'  // the request failed (offline, CORS, DNS...)
  | 'version'  // the index was written by another format version
  | 'corrupt'  // the bytes are not a readable Dateline index
  | 'integrity' // the bytes do not match their published SHA-256
  | 'query'    // a bad argument (e.g. a date not written YYYY-MM-DD)
  | 'closed'   // the archive was closed
  | 'pending'; // a sharded archive needs shards not loaded yet (see PendingError)

/** Every failure of the API; `message` says what to do. */
export class DatelineError extends Error {
  constructor(code: DatelineErrorCode, message: string, options?: { cause?: unknown });
  readonly name: 'DatelineError';
  readonly code: DatelineErrorCode;
}

/** How precisely an entry's publication time is known. */
export type Precision = 'minute' | 'day' | 'unknown';

export type Sort = 'relevance' | 'newest' | 'oldest';

/** `[start, end)` offsets in UTF-16 code units (what `String.slice` takes). */
export type Range = [number, number];

export interface SearchOptions {
  /** First day, inclusive, `YYYY-MM-DD` in the archive's time zone. */
  from?: string;
  /** Last day, inclusive, `YYYY-MM-DD`. */
  to?: string;
  /** Default `relevance` (an empty query browses newest first). */
  sort?: Sort;
  /** Keep entries by any of these authors (exact names from `stats().authors`). */
  authors?: string[];
  /** Hits per page (default 20). */
  limit?: number;
  /** Hits to skip (default 0). */
  offset?: number;
  /** Sharded archives: answer with the page as soon as it is known, before
   *  the postings that the exact total and histogram need (the answer then
   *  has `partial: true`; ask again without this for the rest). */
  partial_ok?: boolean;
}

/** One result card. */
export interface Hit {
  /** Pass to `Explorer.entry()` for the whole entry. */
  id: number;
  title: string;
  /** RFC 3339 for minute precision, `YYYY-MM-DD` for day precision, null when unknown. */
  published: string | null;
  precision: Precision;
  authors: string[];
  /** BM25F relevance (0 when browsing). */
  score: number;
  /** About 200 characters around the best matches, with `…` where cut. */
  snippet: string;
  /** Matched words in `snippet`. Render them as text nodes, never as HTML. */
  highlights: Range[];
  /** Matched words in `title`. */
  title_highlights: Range[];
}

/** Matching entries of one day (or one hour, when the range spans at most 3 days). */
export interface Bucket {
  day: string;
  /** Present in hourly histograms; null for entries known only to the day. */
  hour?: number | null;
  count: number;
}

export interface SearchResults {
  /** Matching entries (undated ones included only when no range is given). */
  total: number;
  /** The requested page. */
  hits: Hit[];
  /** Matching dated entries per day (or hour), non-empty buckets only, in time order. */
  histogram: Bucket[];
  /** Matching entries whose date is unknown. */
  undated: number;
  /** Only with `partial_ok`: the page is final, `total` a lower bound, the
   *  histogram, `undated` and `authors` still to come. */
  partial?: boolean;
  /** Each author's matches over every match of the query and range,
   *  ignoring the `authors` filter (so unticked authors show theirs too);
   *  most first, ties by name; authors with none are left out. */
  authors: AuthorCount[];
  /** How many searchable words the query has: 0 for a blank query or one
   *  of only emoji or punctuation (which then lists everything). */
  terms: number;
  /** Query words matched only through typo corrections ("Showing results
   *  for …"), each with the correction found in most entries. */
  corrections: Correction[];
  /** Only when `total` is 0: queries that do match (a word corrected, the
   *  quotes dropped, a word dropped), best first, at most 4. */
  alternatives: Alternative[];
}

/** A query word matched only through a typo correction. */
export interface Correction {
  /** The word, normalized. */
  word: string;
  /** The term it matched as. */
  to: string;
}

/** A query offered when one matches nothing. */
export interface Alternative {
  /** The query text to run instead. */
  query: string;
  /** Its matches (always more than 0). */
  total: number;
}

export interface Suggestion {
  /** The normalized term. */
  term: string;
  /** Entries containing it. */
  count: number;
}

export interface Media {
  caption: string;
  credit: string;
}

export interface Source {
  /** The capture file. */
  file: string;
  /** First and last line, 1-based, inclusive. */
  lines: [number, number];
}

/** A whole entry (what `dateline-select` carries). */
export interface Entry {
  id: number;
  title: string;
  /** True when the post had no headline and the title was derived from its text. */
  title_derived: boolean;
  published: string | null;
  precision: Precision;
  /** Why `published` is what it is. */
  date_basis: string;
  authors: string[];
  /** Paragraphs separated by a blank line. */
  body: string;
  media: Media[];
  sources: Source[];
}

export interface AuthorCount {
  name: string;
  count: number;
}

export interface Stats {
  entries: number;
  terms: number;
  dated: number;
  undated: number;
  first_day: string | null;
  last_day: string | null;
  title: string | null;
  /** IANA time zone of the archive's dates. */
  timezone: string;
  authors: AuthorCount[];
  index_bytes: number;
}

/**
 * An opened archive. Methods are synchronous; they throw `DatelineError`.
 * Over a sharded archive they answer from what is loaded, and throw a
 * `DatelineError` with code `pending` (see `PendingError`) when a call needs
 * more; the `…Async` twins fetch what they need and answer.
 */
export class Explorer {
  private constructor();
  search(query?: string, options?: SearchOptions): SearchResults;
  /** Up to `n` (default 8) completions of a one-word prefix, most frequent first. */
  suggest(prefix: string, n?: number): Suggestion[];
  /** Gets ready for the next keystroke of `query` (computes its words' scores
   *  from what is loaded; fetches nothing). Returns how many words it computed. */
  prepare(query?: string): number;
  /** The entry, or null if there is no such id. */
  entry(id: number): Entry | null;
  /** `search`, after fetching the shards it needs (once each, in parallel). */
  searchAsync(query?: string, options?: SearchOptions): Promise<SearchResults>;
  suggestAsync(prefix: string, n?: number): Promise<Suggestion[]>;
  entryAsync(id: number): Promise<Entry | null>;
  /** Whether the archive is sharded (its root was opened; shards come on demand). */
  readonly sharded: boolean;
  /** What has been fetched of a sharded archive: shards, their bytes, and the
   *  sequential rounds of fetching so far (fetches under way together share one). */
  loaded(): { shards: number; bytes: number; rounds: number };
  /** Fetches and loads shards by name (what a `pending` error names). */
  load(names: string[]): Promise<void>;
  /** Never pending: the root holds everything it reports. */
  stats(): Stats;
  /** Frees the archive's memory in the WebAssembly module. */
  close(): void;
}

export interface OpenOptions {
  /** Where `dateline_bg.wasm` is, if not at `pkg/` beside dateline.js (only the first call counts). */
  wasm?: string | URL;
  /** The index's published SHA-256, hex; checked before the engine reads the bytes. */
  sha256?: string;
  /** The same as a Subresource Integrity value, `sha256-BASE64`. */
  integrity?: string;
  /** Where a sharded index's shards are (default: `shards/` beside the index URL). */
  shards?: string | URL;
}

/** The error a synchronous method throws when a sharded archive needs more. */
export interface PendingError extends DatelineError {
  readonly code: 'pending';
  /** The shards' names. */
  shards: string[];
  /** Fetches them; then call the method again. */
  load(): Promise<void>;
}

/**
 * Opens an archive: the URL of an `index.dtl` (fetched; CORS applies across
 * origins) or its bytes. The WebAssembly module is loaded once per page.
 */
export function open(source: string | URL | ArrayBuffer | ArrayBufferView, options?: OpenOptions): Promise<Explorer>;

/** Bytes of the WebAssembly module's memory (every open archive's data), or null before it started. */
export function wasmMemory(): number | null;

/**
 * Opens the index that a `dateline publish` manifest (`dateline-manifest.json`)
 * names, after checking the bytes against the SHA-256 the manifest gives.
 */
export function openPublished(manifestUrl: string | URL, options?: { wasm?: string | URL; name?: string }): Promise<Explorer>;

/**
 * Starts loading the WebAssembly module (once; later calls return the same
 * promise). `wasm`: its URL, or its bytes / a compiled module (nothing is
 * fetched then). `glue`: the wasm-bindgen glue `pkg/dateline.js`, already
 * imported, for bundles that may not import it by URL.
 */
export function init(
  wasm?: string | URL | BufferSource | WebAssembly.Module | PromiseLike<BufferSource>,
  glue?: object | null,
): Promise<unknown>;

// ---- dateline-element.js -----------------------------------------------------

/** `detail` of the `dateline-search` event, fired after each search. */
export interface DatelineSearchDetail {
  query: string;
  options: SearchOptions;
  total: number;
}

/** `detail` of the `dateline-select` event: the entry opened. */
export type DatelineSelectDetail = Entry;

/**
 * `<dateline-explorer src="data/" query="" from="" to="" sort="" compact height="480px" limit="20">`.
 * `src`: an index URL, or a folder holding `index.dtl` (ends with `/`).
 */
export class DatelineExplorer extends HTMLElement {
  /** The opened archive, or null while loading (or after an error). */
  readonly archive: Explorer | null;
  /** The last results shown. */
  readonly results: SearchResults | null;
  /** The search box's text; setting it sets the `query` attribute and searches. */
  query: string;
  /** Opens entry `id` inside the element and fires `dateline-select`. */
  select(id: number): Entry | null;
}

declare global {
  interface HTMLElementTagNameMap {
    'dateline-explorer': DatelineExplorer;
  }
  interface HTMLElementEventMap {
    'dateline-search': CustomEvent<DatelineSearchDetail>;
    'dateline-select': CustomEvent<DatelineSelectDetail>;
  }
}
