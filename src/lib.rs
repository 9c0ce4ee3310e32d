//! Dateline: an explorer for news live-blog archives that runs in the browser.
//!
//! Data flows one way through the crate:
//!
//! ```text
//! captures, archives ──ingest──▶ entries ──index::write──▶ bytes
//!     ──index::Index::open──▶ index ──search──▶ results ──▶ wasm / bin
//! ```
//!
//! * [`ingest`] (native, feature `ingest`) reads plain-text captures of any
//!   publisher and structured archives (JSON, JSONL, CSV, RSS, Atom, HTML),
//!   with an optional manifest, into dated, deduplicated [`model::entry::Entry`]s.
//! * [`model`] is the data every stage shares: entries, dates and their
//!   precision, the indexed fields.
//! * `rank` (crate-private) is the ranking model: BM25F, recency, and the one
//!   `Rank` order every search path sorts by; the writer stores its scores.
//! * [`index`] defines the on-disk format ([`index::format`]), writes it, cuts
//!   a large one into shards, and reads it zero-copy.
//! * [`search`] answers queries over a read index: prefix, phrase, exclusion,
//!   typo tolerance, BM25F ranking, date filters, snippets, histograms,
//!   suggestions; a [`search::Searcher`] owns the caches between calls.
//! * [`text`] is the one normalizer used at build and at query time.
//! * `sort` (crate-private) is the one sort every path uses, small in wasm.
//! * `wasm` (only on `wasm32`) is the thin JS boundary; `src/bin/dateline/`
//!   is the command-line program.
//!
//! Dependencies run one way, with no cycles: `text` and `model` use no other
//! module, `rank` uses `model`, `index` uses `text`, `model` and `rank`,
//! `search` uses those and `index`, `ingest` uses `text` and `model`, and
//! `wasm` uses `index` and `search`. The engine (`index`, `search`) does no
//! I/O and knows nothing of JS, so the same code builds natively and for
//! `wasm32-unknown-unknown`.
#![deny(missing_docs)]

pub mod index;
pub mod model;
mod rank;
pub mod search;
mod sort;
pub mod text;

#[cfg(feature = "ingest")]
pub mod ingest;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
