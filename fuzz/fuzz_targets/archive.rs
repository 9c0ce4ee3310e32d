//! What every structured-archive fuzz target checks (`csv`, `feed`, `html`,
//! `json`, `jsonl` each force one format, so every input reaches its reader):
//! ingestion returns entries or a typed error, never panics or hangs; every
//! record read is an entry or a duplicate; what it returns indexes and
//! reopens.

use dateline::ingest::{from_archive, Format, SourceOptions};

/// Reads `data` as an archive named `name` in `format`, and checks it.
pub fn check(name: &str, data: &[u8], format: Format) {
    if let Ok(c) = from_archive(name, data, format, SourceOptions::default()) {
        let r = &c.report;
        assert_eq!(r.records_read as usize, r.posts_seen);
        assert_eq!(r.posts_seen, r.entries + r.duplicates_merged);
        let meta = dateline::index::Meta { title: c.title.clone(), timezone: c.timezone.clone() };
        let bytes =
            dateline::index::write(&c.entries, &meta).expect("entries from ingest always index");
        dateline::index::Index::open(bytes).expect("a fresh index always opens");
    }
}
