//! The engine through its JS boundary (`dateline::wasm`), in headless
//! Chromium under wasm-bindgen-test:
//!
//! ```text
//! CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
//!   WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/webdriver.json \
//!   cargo test --target wasm32-unknown-unknown --no-default-features --test wasm
//! ```
//!
//! (`./build.sh test` runs it.) It opens the real corpus index, which
//! `./build.sh` writes to `www/data/index.dtl` before the tests are built.
#![cfg(target_arch = "wasm32")]

use dateline::wasm::Explorer;
use serde_json::{json, Value};
use wasm_bindgen::{JsError, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

static INDEX: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/index.dtl"));

fn explorer() -> Explorer {
    Explorer::new(INDEX.to_vec())
        .unwrap_or_else(|e| panic!("the corpus index opens: {}", message(e)))
}

/// A JS value as JSON, for assertions.
fn json(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).expect("a plain JS value")
}

/// The message of a JS error as it reaches JavaScript.
fn message(e: JsError) -> String {
    let v: JsValue = e.into();
    js_sys::Error::from(v).message().into()
}

fn query(v: Value) -> JsValue {
    use serde::Serialize;
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).expect("a query object")
}

fn search(x: &Explorer, q: Value) -> Value {
    json(x.search(query(q)).unwrap_or_else(|e| panic!("search: {}", message(e))))
}

#[wasm_bindgen_test]
fn everything_by_default() {
    let x = explorer();
    let stats = json(x.stats().expect("stats"));
    assert!(stats.is_object(), "stats is a plain object: {stats}");
    let all = search(&x, json!({}));
    let total = all["total"].as_u64().expect("total");
    assert!(total > 10, "the corpus has entries: {total}");
    // Undefined and null both mean "no query".
    let undef = json(x.search(JsValue::UNDEFINED).expect("search(undefined)"));
    assert_eq!(undef["total"], all["total"]);
    assert!(all["histogram"].as_array().is_some_and(|h| !h.is_empty()));
    assert!(all["undated"].is_u64());
}

#[wasm_bindgen_test]
fn search_results_are_shaped_like_the_cli_json() {
    let x = explorer();
    let r = search(&x, json!({"query": "nuclear", "sort": "newest", "limit": 3}));
    assert!(r["total"].as_u64().unwrap_or(0) > 0, "{r}");
    let hits = r["hits"].as_array().expect("hits");
    assert!(!hits.is_empty() && hits.len() <= 3);
    for h in hits {
        for key in [
            "id",
            "title",
            "published",
            "precision",
            "authors",
            "score",
            "snippet",
            "highlights",
            "title_highlights",
        ] {
            assert!(h.get(key).is_some(), "hit has {key}: {h}");
        }
        // Highlights are UTF-16 ranges into the snippet, on the query's word.
        let snippet: Vec<u16> = h["snippet"].as_str().expect("snippet").encode_utf16().collect();
        for r in h["highlights"].as_array().expect("highlights") {
            let (a, b) = (r[0].as_u64().unwrap() as usize, r[1].as_u64().unwrap() as usize);
            assert!(a < b && b <= snippet.len(), "range {a}..{b} in {}", snippet.len());
            let word = String::from_utf16_lossy(&snippet[a..b]).to_lowercase();
            assert!(word.starts_with("nuclear"), "highlighted {word:?}");
        }
    }
    // Newest first.
    let days: Vec<&str> = hits.iter().filter_map(|h| h["published"].as_str()).collect();
    assert!(days.windows(2).all(|w| w[0][..10] >= w[1][..10]), "{days:?}");
}

#[wasm_bindgen_test]
fn results_carry_author_counts_terms_corrections_and_alternatives() {
    let x = explorer();
    let r = search(&x, json!({"query": "mariupl", "limit": 1}));
    assert_eq!(r["terms"], 1, "{r}");
    assert_eq!(r["corrections"], json!([{"word": "mariupl", "to": "mariupol"}]), "{r}");
    assert_eq!(r["alternatives"], json!([]), "{r}");
    // Author counts over every match, the same with an author ticked.
    let all = search(&x, json!({"query": "russia", "limit": 1}));
    let authors = all["authors"].as_array().expect("authors");
    assert!(!authors.is_empty(), "{all}");
    let name = authors[0]["name"].as_str().expect("a name");
    assert!(authors[0]["count"].as_u64().unwrap_or(0) > 0, "{all}");
    let one = search(&x, json!({"query": "russia", "limit": 1, "authors": [name]}));
    assert_eq!(one["authors"], all["authors"]);
    assert!(one["total"].as_u64() < all["total"].as_u64());
    // Nothing searchable; nothing found, with alternatives that have hits.
    assert_eq!(search(&x, json!({"query": "😀 !!!"}))["terms"], 0);
    let none = search(&x, json!({"query": "kiev"}));
    assert_eq!(none["total"], 0);
    let alts = none["alternatives"].as_array().expect("alternatives");
    assert!(!alts.is_empty(), "{none}");
    for a in alts {
        let again = search(&x, json!({"query": a["query"], "limit": 1}));
        assert_eq!(again["total"], a["total"], "{a}");
        assert!(a["total"].as_u64().unwrap_or(0) > 0, "{a}");
    }
}

#[wasm_bindgen_test]
fn date_range_and_paging() {
    let x = explorer();
    let all = search(&x, json!({"limit": 0}));
    let first = all["histogram"][0]["day"].as_str().expect("a first day").to_string();
    let r = search(&x, json!({"from": first, "to": first, "limit": 100}));
    let n = r["total"].as_u64().unwrap();
    assert!(n > 0 && n < all["total"].as_u64().unwrap());
    for h in r["hits"].as_array().unwrap() {
        assert_eq!(&h["published"].as_str().unwrap()[..10], first.as_str());
    }
    let p1 = search(&x, json!({"sort": "oldest", "limit": 2}));
    let p2 = search(&x, json!({"sort": "oldest", "limit": 2, "offset": 2}));
    assert_ne!(p1["hits"][0]["id"], p2["hits"][0]["id"]);
}

#[wasm_bindgen_test]
fn suggestions_with_counts() {
    let x = explorer();
    let s = json(x.suggest("zel", 5).expect("suggest"));
    let s = s.as_array().expect("an array");
    assert!(!s.is_empty(), "zel completes");
    assert!(s[0]["term"].as_str().unwrap().starts_with("zel"));
    assert!(s[0]["count"].as_u64().unwrap() > 0);
    assert!(json(x.suggest("qqqqzzzz", 5).unwrap()).as_array().unwrap().is_empty());
}

#[wasm_bindgen_test]
fn entries_whole_or_null() {
    let x = explorer();
    let e = json(x.entry(0).expect("entry 0"));
    for key in [
        "id",
        "title",
        "title_derived",
        "published",
        "precision",
        "date_basis",
        "authors",
        "body",
        "media",
        "sources",
    ] {
        assert!(e.get(key).is_some(), "entry has {key}: {e}");
    }
    assert_eq!(e["id"], 0);
    assert!(e["sources"][0]["file"].as_str().unwrap().ends_with(".txt"));
    assert_eq!(json(x.entry(u32::MAX).expect("no error for a missing id")), Value::Null);
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_with_a_message() {
    for bytes in [Vec::new(), b"not an index at all, just some bytes".to_vec()] {
        match Explorer::new(bytes) {
            Ok(_) => panic!("garbage opened as an index"),
            Err(e) => assert!(message(e).len() > 10),
        }
    }
    // One flipped byte in the middle: refused (checksums), never a panic.
    let mut corrupt = INDEX.to_vec();
    let mid = corrupt.len() / 2;
    corrupt[mid] ^= 0xff;
    if let Err(e) = Explorer::new(corrupt) {
        assert!(!message(e).is_empty());
    }
    // A query of the wrong shape is an error, not a panic.
    let x = explorer();
    let bad = x.search(query(json!({"sort": "sideways"})));
    assert!(bad.is_err());
    let bad = x.search(query(json!({"limit": "ten"})));
    assert!(bad.is_err());
}

/// `dateline::wasm::query_from_js` reads a query as `serde-wasm-bindgen`
/// read it with `Query`'s derived `Deserialize` (which it replaces to keep
/// float formatting out of the module): the same `Query`, or the same message.
#[wasm_bindgen_test]
fn the_query_is_read_as_serde_read_it() {
    use dateline::search::Query;
    use dateline::wasm::query_from_js;
    let js = |src: &str| js_sys::eval(&format!("({src})")).expect("a JS expression");
    let cases = [
        "({})",
        "({query: 'kyiv'})",
        "({query: 'a', from: '2022-03-01', to: '2022-03-04', sort: 'newest', authors: ['A B', 'C'], limit: 5, offset: 10})",
        "({from: null, to: undefined, sort: 'oldest'})",
        "({sort: 'relevance', extra: 1, authors: []})",
        "({authors: new Set(['x', 'y'])})",
        "({limit: 0, offset: 9007199254740991})",
        "({limit: 4294967295})",
        "({limit: 4294967296})",
        "({query: undefined})",
        "({query: null})",
        "({query: 7})",
        "({query: true})",
        "({query: ['a']})",
        "({from: 3})",
        "({sort: 'sideways'})",
        "({sort: 3})",
        "({sort: null})",
        "({authors: [1]})",
        "({limit: 'ten'})",
        "({limit: 1.5})",
        "({limit: -1})",
        "({limit: -0.25})",
        "({limit: NaN})",
        "({limit: null})",
        "({limit: false})",
        "({offset: 2.000001})",
        "'kyiv'",
        "42",
        "true",
        "Object.create({limit: 3})",
        "({query: 'kyiv', partial_ok: true})",
        "({partial_ok: false})",
        "({partial_ok: 1})",
        "({partial_ok: 'yes'})",
        "({partial_ok: null})",
    ];
    let mut differ = Vec::new();
    for src in cases {
        let v = js(src);
        let ours = query_from_js(&v);
        // serde-wasm-bindgen's errors are JS `Error`s, written "Error: ...".
        let serde: Result<Query, String> = serde_wasm_bindgen::from_value(v)
            .map_err(|e| e.to_string().trim_start_matches("Error: ").to_string());
        if ours != serde {
            differ.push(format!("{src}:\n  ours:  {ours:?}\n  serde: {serde:?}"));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // Where serde-wasm-bindgen let a JS `TypeError: Reflect.get called on
    // non-object` through, the message is now serde's usual one.
    for (src, want) in [
        ("({authors: 'Martha'})", r#"invalid type: string "Martha", expected a sequence"#),
        ("({authors: null})", "invalid type: unit value, expected a sequence"),
    ] {
        assert_eq!(query_from_js(&js(src)), Err(want.to_string()), "{src}");
    }
}
