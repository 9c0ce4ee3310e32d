//! Times queries against an index, many times each (for `perf record`):
//! `cargo run --release --example profile_query -- INDEX N QUERY...`
//! INDEX is an `index.dtl`; a sharded root loads its shards from the
//! `shards/` beside it as the queries ask for them, before timing.
//! With `EVERY_KEY=1` in the environment it prints every keystroke's time.
use std::time::Instant;

use dateline::index::{shard_name, Index, IndexError};
use dateline::search::{search, Query, SearchError};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let path = std::path::Path::new(&a[1]);
    let mut ix = Index::open(std::fs::read(path).expect("read the index")).expect("open the index");
    let dir = path.parent().expect("a directory").join("shards");
    let n: usize = a[2].parse().expect("a count");
    for q in &a[3..] {
        // Every prefix, as typed.
        let keys: Vec<Query> = q.char_indices().map(|(i, c)| Query::text(&q[..i + c.len_utf8()])).collect();
        for k in &keys {
            while let Err(SearchError::Index(IndexError::NotLoaded)) = search(&ix, k) {
                for id in ix.wanted() {
                    let bytes = std::fs::read(dir.join(format!("{}.dtl", shard_name(&id)))).expect("read a shard");
                    ix.add_shard(&id, &bytes).expect("load a shard");
                }
            }
        }
        let mut times: Vec<(f64, String, usize)> = Vec::new();
        for k in &keys {
            let t = Instant::now();
            let mut total = 0;
            for _ in 0..n {
                total = search(&ix, k).expect("search").total;
            }
            times.push((t.elapsed().as_secs_f64() * 1000.0 / n as f64, k.query.clone(), total));
        }
        if std::env::var_os("EVERY_KEY").is_some() {
            for (ms, k, total) in &times {
                println!("  {ms:8.2} ms  {k:?} ({total} hits)");
            }
        }
        let worst = times.iter().cloned().fold((0.0, String::new(), 0), |a, b| if b.0 > a.0 { b } else { a });
        let sum: f64 = times.iter().map(|t| t.0).sum();
        println!("{q:?}: mean {:.2} ms/keystroke, worst {:.2} ms ({:?}, {} hits)", sum / keys.len() as f64, worst.0, worst.1, worst.2);
    }
}
