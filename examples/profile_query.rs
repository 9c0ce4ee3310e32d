//! Times queries against an index, many times each (for `perf record`):
//! `cargo run --release --example profile_query -- INDEX N QUERY...`
//! INDEX is an `index.dtl`; a sharded root loads its shards from the
//! `shards/` beside it as the queries ask for them, before timing.
//! It first types every query once, key by key, over a fresh copy of the
//! index (shards loaded, caches cold), then times each keystroke N times.
//! With `EVERY_KEY=1` in the environment it prints every keystroke's time.
use std::time::Instant;

use dateline::index::{shard_name, Index, IndexError};
use dateline::search::{Query, SearchError, Searcher};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let path = std::path::Path::new(&a[1]);
    let mut ix = Index::open(std::fs::read(path).expect("read the index")).expect("open the index");
    let dir = path.parent().expect("a directory").join("shards");
    let n: usize = a[2].parse().expect("a count");
    // Each index with its own searcher (the caches one keystroke leaves
    // for the next), as the page keeps one beside its index.
    let searcher = Searcher::new();
    // First, as typed: every keystroke once, over an index whose shards
    // are loaded but whose caches are cold (a second index, given the
    // shards the first one asked for).
    let mut loaded = Vec::new();
    for q in &a[3..] {
        for (i, c) in q.char_indices() {
            let k = Query::text(&q[..i + c.len_utf8()]);
            while let Err(SearchError::Index(IndexError::NotLoaded)) = searcher.search(&ix, &k) {
                for id in ix.wanted() {
                    let bytes = std::fs::read(dir.join(format!("{}.dtl", shard_name(&id))))
                        .expect("read a shard");
                    ix.add_shard(&id, &bytes).expect("load a shard");
                    loaded.push((id, bytes));
                }
            }
        }
    }
    let mut cold =
        Index::open(std::fs::read(path).expect("read the index")).expect("open the index");
    let cold_searcher = Searcher::new();
    for (id, bytes) in &loaded {
        cold.add_shard(id, bytes).expect("load a shard");
    }
    let mut typed: Vec<f64> = Vec::new();
    for q in &a[3..] {
        for (i, c) in q.char_indices() {
            let k = Query::text(&q[..i + c.len_utf8()]);
            let t = Instant::now();
            let total = cold_searcher.search(&cold, &k).expect("search").total;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if std::env::var_os("EVERY_KEY").is_some() {
                println!("  typed {ms:8.2} ms  {:?} ({total} hits)", k.query);
            }
            typed.push(ms);
        }
    }
    typed.sort_by(f64::total_cmp);
    let pct = |p: f64| typed[((typed.len() as f64 * p).ceil() as usize).clamp(1, typed.len()) - 1];
    println!(
        "as typed, once each ({} keystrokes): p50 {:.2} ms, p95 {:.2} ms, worst {:.2} ms",
        typed.len(),
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
    for q in &a[3..] {
        // Every prefix, as typed.
        let keys: Vec<Query> =
            q.char_indices().map(|(i, c)| Query::text(&q[..i + c.len_utf8()])).collect();
        for k in &keys {
            while let Err(SearchError::Index(IndexError::NotLoaded)) = searcher.search(&ix, k) {
                for id in ix.wanted() {
                    let bytes = std::fs::read(dir.join(format!("{}.dtl", shard_name(&id))))
                        .expect("read a shard");
                    ix.add_shard(&id, &bytes).expect("load a shard");
                }
            }
        }
        let mut times: Vec<(f64, String, usize)> = Vec::new();
        for k in &keys {
            let t = Instant::now();
            let mut total = 0;
            for _ in 0..n {
                total = searcher.search(&ix, k).expect("search").total;
            }
            times.push((t.elapsed().as_secs_f64() * 1000.0 / n as f64, k.query.clone(), total));
        }
        if std::env::var_os("EVERY_KEY").is_some() {
            for (ms, k, total) in &times {
                println!("  {ms:8.2} ms  {k:?} ({total} hits)");
            }
        }
        let worst =
            times
                .iter()
                .cloned()
                .fold((0.0, String::new(), 0), |a, b| if b.0 > a.0 { b } else { a });
        let sum: f64 = times.iter().map(|t| t.0).sum();
        println!(
            "{q:?}: mean {:.2} ms/keystroke, worst {:.2} ms ({:?}, {} hits)",
            sum / keys.len() as f64,
            worst.0,
            worst.1,
            worst.2
        );
    }
}
