//! Any query string and options over the real corpus's index: a result or a
//! typed error, never a panic, and the page of hits is consistent.
#![no_main]

use std::sync::OnceLock;

use dateline::index::{Index, Meta};
use dateline::search::{search, suggest, Query, Sort};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static Index {
    static IX: OnceLock<Index> = OnceLock::new();
    IX.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/manifest.toml");
        let c = dateline::ingest::from_manifest(std::path::Path::new(dir)).expect("corpus ingests");
        let bytes =
            dateline::index::write(&c.entries, &Meta { title: c.title, timezone: c.timezone })
                .expect("index");
        Index::open(bytes).expect("opens")
    })
}

fuzz_target!(|data: &[u8]| {
    let ix = index();
    let (opts, text) = data.split_at(data.len().min(4));
    let query = String::from_utf8_lossy(text).into_owned();
    let o = |i: usize| opts.get(i).copied().unwrap_or(0);
    let day = |b: u8| format!("2022-03-{:02}", b % 40);
    let q = Query {
        query: query.clone(),
        from: (o(0) & 1 == 1).then(|| day(o(1))),
        to: (o(0) & 2 == 2).then(|| day(o(2))),
        sort: match o(0) % 3 {
            0 => Sort::Relevance,
            1 => Sort::Newest,
            _ => Sort::Oldest,
        },
        authors: if o(0) & 4 == 4 { vec![query.clone()] } else { vec![] },
        limit: o(3) as usize,
        offset: (o(3) >> 4) as usize,
        partial_ok: o(0) & 8 == 8,
    };
    if let Ok(r) = search(ix, &q) {
        assert!(r.hits.len() <= q.limit);
        assert!(r.hits.len() as u64 <= r.total as u64);
    }
    let _ = suggest(ix, &query, 10);
});
