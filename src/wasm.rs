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
//! The query object is read by hand ([`query_from_js`]) rather than through
//! `serde-wasm-bindgen`'s deserializer, with the same rules and messages:
//! serde's messages name a number by formatting it as an `f64`, which pulled
//! core's float formatting (Grisu and Dragon4, about 15 KB) into the module.
//!
//! The page does not call this module directly but `www/dateline.js`, the
//! public JS API, which loads the module once, fetches shards and wraps it.

use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::prelude::*;

use crate::index::{parse_shard_name, shard_name, Index, IndexError};
use crate::search::{Query, SearchError, Searcher, Sort};

/// An opened index: what `open()` in `dateline.js` wraps.
#[wasm_bindgen]
pub struct Explorer {
    index: Index<Vec<u8>>,
    /// Keeps what one keystroke's query leaves for the next.
    searcher: Searcher,
}

/// Serializes an engine value as plain JS data (objects, arrays, `null`).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot pass a result to JavaScript: {e}")))
}

/// How serde names an unexpected JS value in its messages (`string "x"`,
/// `boolean `true``, `unit value`, ...), with numbers written as JavaScript
/// writes them (serde formats them as `f64`, with `.0` when integral).
fn unexpected(v: &JsValue) -> String {
    if v.is_undefined() || v.is_null() {
        "unit value".to_string()
    } else if let Some(b) = v.as_bool() {
        format!("boolean `{b}`")
    } else if v.as_f64().is_some() {
        let n: String = js_sys::Number::unchecked_from_js_ref(v)
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_default();
        let point = if n.contains(['.', 'e', 'N', 'I']) { "" } else { ".0" };
        format!("floating point `{n}{point}`")
    } else if let Some(s) = v.as_string() {
        format!("string {s:?}")
    } else {
        format!("{v:?}")
    }
}

/// serde's "invalid type" message.
fn invalid_type(v: &JsValue, expected: &str) -> String {
    format!("invalid type: {}, expected {expected}", unexpected(v))
}

/// A JS string, or serde's message for what it is instead.
fn string_from_js(v: &JsValue) -> Result<String, String> {
    v.as_string().ok_or_else(|| invalid_type(v, "a string"))
}

/// A `usize` from a JS number: a non-negative safe integer (as
/// `serde-wasm-bindgen` reads one), that fits.
fn usize_from_js(v: &JsValue) -> Result<usize, String> {
    if !js_sys::Number::is_safe_integer(v) || v.as_f64().is_some_and(|n| n < 0.0) {
        return Err(invalid_type(v, "usize"));
    }
    let n = v.as_f64().unwrap_or(0.0) as u64;
    usize::try_from(n).map_err(|_| format!("invalid value: integer `{n}`, expected usize"))
}

/// The strings of a JS array, or of any iterable (a `Set`, ...).
fn strings_from_js(v: &JsValue) -> Result<Vec<String>, String> {
    let array = if js_sys::Array::is_array(v) {
        v.clone().unchecked_into::<js_sys::Array>()
    } else if v.is_object() && js_sys::Reflect::has(v, &js_sys::Symbol::iterator()).unwrap_or(false)
    {
        js_sys::Array::from(v)
    } else {
        return Err(invalid_type(v, "a sequence"));
    };
    array.iter().map(|x| string_from_js(&x)).collect()
}

/// A [`Query`] from a JS object (public for the tests, which compare it with
/// `serde-wasm-bindgen`'s reading), read as `serde-wasm-bindgen` reads it with
/// `Query`'s derived `Deserialize` (`#[serde(default)]`): each field absent
/// from the object keeps its default; present (even as `undefined`), it must
/// have the right type; other properties are ignored; the messages are
/// serde's.
#[doc(hidden)]
pub fn query_from_js(v: &JsValue) -> Result<Query, String> {
    if !v.is_object() {
        return Err(invalid_type(v, "struct Query"));
    }
    let mut q = Query::default();
    // Every field by name: a field added to `Query` breaks this pattern
    // (and the build) until it is read here too.
    let Query { query, from, to, sort, authors, limit, offset, partial_ok } = &mut q;
    for name in ["query", "from", "to", "sort", "authors", "limit", "offset", "partial_ok"] {
        let key = JsValue::from_str(name);
        let x = js_sys::Reflect::get(v, &key).map_err(|e| format!("{e:?}"))?;
        if x.is_undefined() && !js_sys::Reflect::has(v, &key).unwrap_or(false) {
            continue;
        }
        let nullish = x.is_undefined() || x.is_null();
        match name {
            "query" => *query = string_from_js(&x)?,
            "from" => *from = if nullish { None } else { Some(string_from_js(&x)?) },
            "to" => *to = if nullish { None } else { Some(string_from_js(&x)?) },
            "sort" => {
                let s = x.as_string().ok_or_else(|| invalid_type(&x, "enum Sort"))?;
                *sort = match s.as_str() {
                    "relevance" => Sort::Relevance,
                    "newest" => Sort::Newest,
                    "oldest" => Sort::Oldest,
                    _ => {
                        return Err(format!(
                        "unknown variant `{s}`, expected one of `relevance`, `newest`, `oldest`"
                    ))
                    }
                };
            }
            "authors" => *authors = strings_from_js(&x)?,
            "limit" => *limit = usize_from_js(&x)?,
            "offset" => *offset = usize_from_js(&x)?,
            _ => *partial_ok = x.as_bool().ok_or_else(|| invalid_type(&x, "a boolean"))?,
        }
    }
    Ok(q)
}

/// `{pending: [names]}` when `r` failed for want of shards, else `r` as JS.
fn answer<T: Serialize, E: std::fmt::Display>(
    index: &Index<Vec<u8>>,
    r: Result<T, E>,
    not_loaded: bool,
) -> Result<JsValue, JsError> {
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
        Ok(Explorer { index, searcher: Searcher::new() })
    }

    /// Runs a query: `{query, from, to, sort, authors, limit, offset}`, each
    /// optional. Returns `{total, hits, histogram, undated}`.
    pub fn search(&self, query: JsValue) -> Result<JsValue, JsError> {
        let query: Query = if query.is_undefined() || query.is_null() {
            Query::default()
        } else {
            query_from_js(&query).map_err(|e| JsError::new(&format!("invalid query: {e}")))?
        };
        let r = self.searcher.search(&self.index, &query);
        let nl = matches!(r, Err(SearchError::Index(IndexError::NotLoaded)));
        answer(&self.index, r, nl)
    }

    /// Gets ready for the next keystroke of `query` (computes its words'
    /// scores ahead, from what is loaded; fetches nothing). Returns how many
    /// words it computed.
    pub fn prepare(&self, query: &str) -> u32 {
        self.searcher.prepare(&self.index, query) as u32
    }

    /// Up to `n` completions of the last word of `prefix`:
    /// `[{term, count}, ...]`, most frequent first.
    pub fn suggest(&self, prefix: &str, n: u32) -> Result<JsValue, JsError> {
        let r = self.searcher.suggest(&self.index, prefix, n as usize);
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
        let id = parse_shard_name(name)
            .ok_or_else(|| JsError::new(&format!("{name:?} is not a shard name")))?;
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
