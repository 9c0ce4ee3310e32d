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
//! a few rounds: first only the one-word first pages with `partial_ok` (the
//! page from the terms' tops before their lists are loaded), as the
//! explorer's first pass does, then every query. Then every remaining shard
//! of the input is offered in input order (ids it does not list, duplicates,
//! files that are not the listed piece). Whatever `add_shard` returns,
//! nothing may panic.
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

/// One-word first pages as the explorer asks for them over shards: from the
/// terms' tops alone, before their lists are loaded (`partial`).
fn first_pages(ix: &Index<&[u8]>) {
    for q in ["russia", "r"] {
        let _ = search(ix, &Query { partial_ok: true, ..Query::text(q) });
    }
}

/// Rounds of: hand the shards `ix` wants (those the input carries) to
/// `add_shard`, then `ask` again; until nothing new was added.
fn fetch(ix: &mut Index<&[u8]>, shards: &[(ShardId, &[u8])], ask: fn(&Index<&[u8]>)) {
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
        ask(ix);
    }
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
    first_pages(ix);
    let _ = suggest(ix, "r", 8);
    let _ = ix.needs_shards();
    let _ = ix.loaded_shards();
}

fuzz_target!(|data: &[u8]| {
    let (root, shards) = split(data);
    let Ok(mut ix) = Index::open(root) else { return };
    if !ix.is_sharded() {
        exercise(&ix);
        // A single-file index has no shards to add: a typed error.
        if let Some((id, file)) = shards.first() {
            assert!(ix.add_shard(id, file).is_err());
        }
        return;
    }
    // The explorer's first pass: the first pages and only the shards they
    // need (dictionary pieces, tops, entries), so that the pages are asked
    // for again with the tops loaded and the lists not.
    first_pages(&ix);
    fetch(&mut ix, &shards, first_pages);
    // Then everything, fetching what the queries ask for.
    exercise(&ix);
    fetch(&mut ix, &shards, exercise);
    // Then whatever else the input carries, in its order.
    for (id, file) in &shards {
        let _ = ix.add_shard(id, file);
    }
    exercise(&ix);
});
