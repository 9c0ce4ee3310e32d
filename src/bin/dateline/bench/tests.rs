//! The bench driver's pure parts.

use super::*;

#[test]
fn last_word_is_what_the_page_completes() {
    assert_eq!(last_word("kyiv -khar"), "khar");
    assert_eq!(last_word("\"special mil"), "mil");
    assert_eq!(last_word("\"special\""), "special");
    assert_eq!(last_word("putin "), "");
}

#[test]
fn percentiles_by_nearest_rank() {
    let mut ns: Vec<u64> = (1..=100).map(|i| i * 1_000_000).collect();
    let l = Latency::of(&mut ns);
    assert_eq!((l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms), (50.0, 95.0, 99.0, 100.0));
}
