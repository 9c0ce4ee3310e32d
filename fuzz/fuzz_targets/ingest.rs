//! Any bytes as a capture (beside a real one, so furniture learning runs):
//! ingestion returns entries or a typed error, never panics or hangs, and
//! every line read is accounted for.
#![no_main]

use libfuzzer_sys::fuzz_target;

const REAL: &[u8] = include_bytes!("../../corpus/002_06186764a76a8ed0.txt");

fuzz_target!(|data: &[u8]| {
    let captures =
        vec![("real.txt".to_string(), REAL.to_vec()), ("fuzz.txt".to_string(), data.to_vec())];
    if let Ok(c) = dateline::ingest::from_captures(captures, None) {
        let r = &c.report;
        assert_eq!(r.post_lines + r.furniture_lines + r.unplaced_lines, r.lines_read);
        assert_eq!(r.posts_seen, r.entries + r.duplicates_merged);
        // What ingestion produced must index.
        let meta = dateline::index::Meta { title: c.title.clone(), timezone: c.timezone.clone() };
        let bytes =
            dateline::index::write(&c.entries, &meta).expect("entries from ingest always index");
        dateline::index::Index::open(bytes).expect("a fresh index always opens");
    }
});
