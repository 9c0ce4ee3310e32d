//! Any bytes as an index: opening gives a typed error or an index whose every
//! entry, search and suggestion can be asked for without a panic.
#![no_main]

use dateline::index::Index;
use dateline::search::{search, suggest, Query};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(ix) = Index::open(data) else { return };
    let _ = ix.stats();
    for id in 0..ix.len().min(64) {
        let _ = ix.entry(id);
    }
    for q in ["", "a", "russia", "\"nuclear power\"", "kyiv -putin", "zelensky"] {
        let _ = search(&ix, &Query::text(q));
    }
    let _ = suggest(&ix, "r", 8);
});
