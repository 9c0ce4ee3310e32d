//! Any bytes as an index: opening gives a typed error or an index whose every
//! entry, search and suggestion can be asked for without a panic.
//!
//! The input is read as a single-file index, or as the root of a sharded
//! index followed by shard files, the way the explorer would fetch them:
//!
//! ```text
//! input  root (its header's file length says where it ends)
//!        | any number of { shard id [8] | shard file (its header's file length says where it ends) }
//! ```
//!
//! A sharded root is queried; the shards it asks for (`wanted`) that the
//! input carries are handed to `add_shard` and the queries are asked again,
//! a few rounds; then every remaining shard of the input is offered in input
//! order (ids it does not list, duplicates, files that are not the listed
//! piece). Whatever `add_shard` returns, nothing may panic.
#![no_main]

use dateline::index::{Index, ShardId};
use dateline::search::{search, suggest, Query};
use libfuzzer_sys::fuzz_target;

/// The length a framed file's header declares (bytes 16..24), clamped to
/// `b`; the whole of `b` if that is not a usable length.
fn framed_len(b: &[u8]) -> usize {
    match b.get(16..24) {
        Some(l) => {
            let n = u64::from_le_bytes(l.try_into().unwrap_or([0; 8]));
            if n < 24 || n > b.len() as u64 {
                b.len()
            } else {
                n as usize
            }
        }
        None => b.len(),
    }
}

/// The root, then `(id, shard file)` pairs.
fn split(data: &[u8]) -> (&[u8], Vec<(ShardId, &[u8])>) {
    let (root, mut rest) = data.split_at(framed_len(data));
    let mut shards = Vec::new();
    while rest.len() > 8 && shards.len() < 4096 {
        let mut id = [0u8; 8];
        id.copy_from_slice(&rest[..8]);
        let body = &rest[8..];
        let (file, tail) = body.split_at(framed_len(body));
        shards.push((id, file));
        rest = tail;
    }
    (root, shards)
}

/// Everything the explorer asks of an index.
fn exercise(ix: &Index<&[u8]>) {
    let _ = ix.stats();
    for id in 0..ix.len().min(64) {
        let _ = ix.entry(id);
    }
    let _ = ix.entry(ix.len());
    for q in ["", "a", "russia", "\"nuclear power\"", "kyiv -putin", "zelensky"] {
        let _ = search(ix, &Query::text(q));
    }
    let _ = suggest(ix, "r", 8);
    let _ = ix.needs_shards();
    let _ = ix.loaded_shards();
}

fuzz_target!(|data: &[u8]| {
    let (root, shards) = split(data);
    let Ok(mut ix) = Index::open(root) else { return };
    exercise(&ix);
    if !ix.is_sharded() {
        // A single-file index has no shards to add: a typed error.
        if let Some((id, file)) = shards.first() {
            assert!(ix.add_shard(id, file).is_err());
        }
        return;
    }
    // Fetch what the queries asked for, as the explorer does.
    for _ in 0..8 {
        let wanted = ix.wanted();
        let mut added = false;
        for id in &wanted {
            if let Some((_, file)) = shards.iter().find(|(sid, _)| sid == id) {
                added |= ix.add_shard(id, file).is_ok();
            }
        }
        if !added {
            break;
        }
        exercise(&ix);
    }
    // Then whatever else the input carries, in its order.
    for (id, file) in &shards {
        let _ = ix.add_shard(id, file);
    }
    exercise(&ix);
});
