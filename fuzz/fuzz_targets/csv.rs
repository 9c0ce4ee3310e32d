//! Any bytes as a structured archive read as `csv` (format forced, so every
//! input reaches this reader): ingestion returns entries or a typed error,
//! never panics or hangs; every record read is an entry or a duplicate; what
//! it returns indexes and reopens.
#![no_main]

use dateline::ingest::{from_archive, Format, SourceOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = from_archive("fuzz.csv", data, Format::Csv, SourceOptions::default()) {
        let r = &c.report;
        assert_eq!(r.records_read as usize, r.posts_seen);
        assert_eq!(r.posts_seen, r.entries + r.duplicates_merged);
        let meta = dateline::index::Meta { title: c.title.clone(), timezone: c.timezone.clone() };
        let bytes =
            dateline::index::write(&c.entries, &meta).expect("entries from ingest always index");
        dateline::index::Index::open(bytes).expect("a fresh index always opens");
    }
});
