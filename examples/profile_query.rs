//! Runs queries against an index many times (for `perf record`).
//! `cargo run --release --example profile_query -- INDEX N QUERY...`
use std::time::Instant;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&a[1]).expect("read");
    let ix = dateline::index::Index::open(bytes).expect("open");
    let n: usize = a[2].parse().expect("n");
    for q in &a[3..] {
        let query = dateline::search::Query::text(q);
        let t = Instant::now();
        let mut total = 0;
        for _ in 0..n {
            total = dateline::search::search(&ix, &query).expect("search").total;
        }
        println!("{q:?}: {:.2} ms/query, {total} hits", t.elapsed().as_secs_f64() * 1000.0 / n as f64);
    }
}
