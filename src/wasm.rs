//! The JavaScript boundary (only on `wasm32`): the one module that imports
//! `wasm_bindgen`.
//!
//! It is deliberately thin. JS values come in (index bytes, a query object, a
//! prefix), the engine does the work unchanged, and its results go out through
//! `serde-wasm-bindgen` with [`Serializer::json_compatible`], so that they are
//! plain objects shaped exactly like the CLI's `--json` output (`None` is
//! `null`, maps are objects). Every exported function returns
//! `Result<_, JsError>`: an engine error becomes a JS `Error` whose message is
//! the engine's own, which says what to do.
//!
//! A sharded index is opened from its root; a call that needs a shard that
//! is not loaded returns `{pending: ["<hex name>", ...]}` instead of its
//! result, and `add_shard(name, bytes)` loads each one fetched.
//!
//! The page does not call this module directly but `www/dateline.js`, the
//! public JS API, which loads the module once, fetches shards and wraps it.

use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::prelude::*;

use crate::index::{parse_shard_name, shard_name, Index, IndexError};
use crate::search::{self, Query};

/// An opened index: what `open()` in `dateline.js` wraps.
#[wasm_bindgen]
pub struct Explorer {
    index: Index<Vec<u8>>,
}

/// Serializes an engine value as plain JS data (objects, arrays, `null`).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot pass a result to JavaScript: {e}")))
}

/// `{pending: [names]}` when `r` failed for want of shards, else `r` as JS.
fn answer<T: Serialize, E: std::fmt::Display>(index: &Index<Vec<u8>>, r: Result<T, E>, not_loaded: bool) -> Result<JsValue, JsError> {
    let wanted = index.wanted();
    match r {
        Ok(v) => to_js(&v),
        Err(_) if not_loaded && !wanted.is_empty() => {
            #[derive(Serialize)]
            struct Pending {
                pending: Vec<String>,
            }
            to_js(&Pending { pending: wanted.iter().map(shard_name).collect() })
        }
        Err(e) => Err(JsError::new(&e.to_string())),
    }
}

#[wasm_bindgen]
impl Explorer {
    /// Opens an index from its bytes (the contents of `index.dtl`).
    ///
    /// Fails with the engine's message when the bytes are not an index, were
    /// written by another format version, or are corrupted.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: Vec<u8>) -> Result<Explorer, JsError> {
        let index = Index::open(bytes).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Explorer { index })
    }

    /// Runs a query: `{query, from, to, sort, authors, limit, offset}`, each
    /// optional. Returns `{total, hits, histogram, undated}`.
    pub fn search(&self, query: JsValue) -> Result<JsValue, JsError> {
        let query: Query = if query.is_undefined() || query.is_null() {
            Query::default()
        } else {
            serde_wasm_bindgen::from_value(query)
                .map_err(|e| JsError::new(&format!("invalid query: {e}")))?
        };
        let r = search::search(&self.index, &query);
        let nl = matches!(r, Err(search::SearchError::Index(IndexError::NotLoaded)));
        answer(&self.index, r, nl)
    }

    /// Up to `n` completions of the last word of `prefix`:
    /// `[{term, count}, ...]`, most frequent first.
    pub fn suggest(&self, prefix: &str, n: u32) -> Result<JsValue, JsError> {
        let r = search::suggest(&self.index, prefix, n as usize);
        let nl = r == Err(IndexError::NotLoaded);
        answer(&self.index, r, nl)
    }

    /// The whole entry `id` (the JSON of `dateline entries --json`), or
    /// `null` when there is no such entry.
    pub fn entry(&self, id: u32) -> Result<JsValue, JsError> {
        self.index.wanted();
        let r = self.index.entry(id);
        let nl = r == Err(IndexError::NotLoaded);
        answer(&self.index, r, nl)
    }

    /// Whether this is the root of a sharded index (its shards are fetched
    /// from `shards/<name>.dtl` beside it).
    pub fn sharded(&self) -> bool {
        self.index.is_sharded()
    }

    /// Loads a shard fetched for a `pending` answer. The caller has checked
    /// that its SHA-256 starts with `name`. Returns false if it was loaded.
    pub fn add_shard(&mut self, name: &str, bytes: &[u8]) -> Result<bool, JsError> {
        let id = parse_shard_name(name).ok_or_else(|| JsError::new(&format!("{name:?} is not a shard name")))?;
        self.index.add_shard(&id, bytes).map_err(|e| JsError::new(&e.to_string()))
    }

    /// `[shards loaded, their bytes]`.
    pub fn loaded(&self) -> Vec<f64> {
        let (n, b) = self.index.loaded_shards();
        vec![n as f64, b as f64]
    }

    /// What the index holds: counts, date range, time zone, title, ...
    pub fn stats(&self) -> Result<JsValue, JsError> {
        to_js(&self.index.stats())
    }
}

/// The version of the crate that built this module.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
