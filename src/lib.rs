//! Dateline: an explorer for news live-blog archives that runs in the browser.
//!
//! Data flows one way through the crate:
//!
//! ```text
//! captures ──ingest──▶ entries ──index::writer──▶ bytes ──index::reader──▶ search ──▶ wasm / bin
//! ```
//!
//! * [`ingest`] (native, feature `ingest`) reads raw captures of a live blog
//!   and a manifest, splits them into dated, deduplicated [`model::entry::Entry`]s.
//! * [`index`] defines the on-disk format, writes it, and reads it zero-copy.
//! * [`search`] answers queries over a read index: prefix, phrase, exclusion,
//!   typo tolerance, BM25 ranking, date filters, snippets, histograms.
//! * [`text`] is the one normalizer used at build and at query time.
//! * `wasm` (only on `wasm32`) is the thin JS boundary; `src/bin/dateline/`
//!   is the command-line program.
//!
//! The engine does no I/O and knows nothing of JS, so the same code builds
//! natively and for `wasm32-unknown-unknown`.
#![deny(missing_docs)]

pub mod index;
pub mod model;
mod rank;
pub mod search;
pub mod text;

#[cfg(feature = "ingest")]
pub mod ingest;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
