//! Structural validation of an FST before `fst::Map::new` is allowed to trust it.
//!
//! fst 0.4.7 checks little when it opens a map: a version number and, loosely,
//! the length. Its node reader (`src/raw/node.rs`) then computes offsets with
//! plain `usize` arithmetic and indexes the bytes directly, so a forged FST —
//! one inside a well-formed index whose checksums were recomputed — makes a
//! lookup or a stream panic: an out-of-bounds read (`bytes.rs:100`,
//! `unpack_uint`, see `fuzz/regressions/`), an address that underflows, a pack
//! size over 8, or an output sum that overflows. The wasm module is built with
//! `panic = "abort"`, so such a panic cannot be caught: it kills the page. The
//! reader therefore calls [`check`] once on every FST it opens.
//!
//! [`check`] decodes every node reachable from the root, once, exactly as
//! fst's reader would, but with every offset checked. It accepts an FST only if
//!
//! * the header and trailer are where fst reads them: version 1–3, the key
//!   count and root address fit in a `usize` (fst panics otherwise on 32-bit
//!   targets such as wasm32), and the root is the last node before the trailer
//!   (or the empty final node, address 0, of the map whose only key is "");
//! * every byte fst reads for a node lies between the start of the buffer and
//!   the node's state byte, pack sizes are at most 8, and a node with
//!   transitions has a transition size of at least 1 (`unpack_uint` asserts
//!   `1 <= nbytes <= 8`);
//! * every transition's address delta is at most the node's first byte, so its
//!   target is a lower address (fst computes `first byte − delta`; a delta of 0
//!   means the empty final node). The graph is therefore acyclic — every walk
//!   terminates — and every node fst can reach has been checked;
//! * reachable nodes do not overlap, as the builder writes them one after
//!   another: this keeps the work linear even for forged FSTs;
//! * the inputs of a node with many transitions are strictly increasing and
//!   its 256-byte transition index agrees with them, so `get` and streams see
//!   the same transitions;
//! * every reachable node other than the root leads to a key, so every step of
//!   a stream is on the way to a key, and the number of keys equals the key
//!   count in the trailer (`Map::len`, which the reader compares with its own
//!   term count);
//! * no sum of outputs along any path, final output included, exceeds
//!   `u64::MAX`: fst adds outputs with `+` (`Output::cat`), which panics on
//!   overflow when overflow checks are on.
//!
//! The cost is linear in the FST's size: two passes over the reachable nodes
//! (top-down to find them, bottom-up to count keys and outputs), each reading
//! a node's bytes once; a bitmap of one bit per byte and two words per
//! reachable node. It does not verify the version 3 checksum: the index frame
//! already has a CRC32 per section, and a forger recomputes either.
//!
//! This mirrors fst 0.4.7 (Cargo.lock): `raw/mod.rs` (`Fst::new`, `Output::cat`,
//! the stream), `raw/node.rs` (`Node::new`, the `State*` readers,
//! `unpack_delta`) and `bytes.rs` (`unpack_uint`). Upgrading fst means
//! re-reading those against this file.

use crate::index::error::IndexError;

/// The fst format version this module mirrors the reader of (fst 0.4.7).
const MAX_VERSION: u64 = 3;

/// Nodes with more transitions than this carry a 256-byte transition index
/// (fst versions 2 and later).
const TRANS_INDEX_THRESHOLD: usize = 32;

/// Opens `bytes` as an `fst::Map` once [`check`] has found it safe to walk;
/// any fault is `Corrupt` in `section`.
pub(crate) fn open<'a>(
    bytes: &'a [u8],
    section: &'static str,
) -> Result<fst::Map<&'a [u8]>, IndexError> {
    check(bytes).map_err(|what| IndexError::Corrupt { section, what })?;
    fst::Map::new(bytes).map_err(|_| IndexError::Corrupt { section, what: "not a valid fst map" })
}

/// Checks that `bytes` are an FST that fst 0.4.7 can walk without panicking:
/// `fst::Map` lookups, range streams and searches with any automaton, over
/// every key. See the module documentation for what is checked.
#[allow(dead_code)] // until the reader calls it (the reader is being rewritten)
pub(crate) fn check(bytes: &[u8]) -> Result<(), &'static str> {
    // Header: version u64 | type u64. Trailer: key count u64 | root address
    // u64 | (version 3) checksum u32. (fst: raw/mod.rs, `Fst::new`.)
    if bytes.len() < 36 {
        return Err("shorter than an empty fst");
    }
    let version = uint(bytes, 0, 8)?;
    if version == 0 || version > MAX_VERSION {
        return Err("unsupported fst version");
    }
    let (end, empty_total, root_offset) =
        if version <= 2 { (bytes.len(), 32, 17) } else { (bytes.len() - 4, 36, 21) };
    let keys = uint(bytes, end - 16, 8)?;
    let root = usize::try_from(uint(bytes, end - 8, 8)?).map_err(|_| "root address too large")?;
    // fst converts both to usize when it opens the map, and panics if they
    // do not fit (32-bit targets, `u64_to_usize`).
    usize::try_from(keys).map_err(|_| "key count too large")?;
    if root == 0 {
        // The empty final node: the map's only key is "", with output 0.
        return if bytes.len() == empty_total && keys == 1 { Ok(()) } else { Err("bad empty fst") };
    }
    if root.checked_add(root_offset) != Some(bytes.len()) {
        return Err("root address is not before the trailer");
    }

    // Top-down: mark every node reachable from the root. A transition always
    // points below the node's first byte, so scanning addresses downwards
    // meets each node after every node that points to it. Nodes may not
    // overlap (the builder writes them one after another), so decoding them
    // all reads each byte at most once.
    let mut reached = Bits::new(root + 1);
    reached.set(root);
    let mut floor = root + 1; // the first byte of the last node decoded
    for addr in (1..=root).rev() {
        if reached.get(addr) {
            if addr >= floor {
                return Err("nodes overlap");
            }
            let node = Node::decode(bytes, version, addr)?;
            floor = node.start;
            for i in 0..node.ntrans {
                let (target, _) = node.transition(bytes, i)?;
                if target != 0 {
                    reached.set(target);
                }
            }
        }
    }

    // Bottom-up: per node, the number of keys below it and the largest sum
    // of outputs on any path from it (final outputs included). Children have
    // lower addresses, so they come first; `below[rank]` is a node's row.
    let ranks = reached.ranks();
    let mut below: Vec<(u64, u64)> = Vec::new();
    for addr in 1..=root {
        if !reached.get(addr) {
            continue;
        }
        let node = Node::decode(bytes, version, addr)?;
        let (mut n, mut max) = match node.final_output {
            Some(out) => (1u64, out),
            None => (0, 0),
        };
        for i in 0..node.ntrans {
            let (target, out) = node.transition(bytes, i)?;
            let (k, m) = if target == 0 {
                (1, 0) // the empty final node
            } else {
                *reached.rank(&ranks, target).and_then(|r| below.get(r)).ok_or("unranked node")?
            };
            n = n.checked_add(k).ok_or("too many keys")?;
            max = max.max(out.checked_add(m).ok_or("outputs overflow along a path")?);
        }
        if n == 0 && addr != root {
            return Err("a node leads to no key");
        }
        below.push((n, max));
    }
    match below.last() {
        Some(&(n, _)) if n == keys => Ok(()),
        _ => Err("key count does not match the keys"),
    }
}

// A node, as fst 0.4.7 writes it (raw/node.rs, `compile`) and reads it
// (`Node::new`). A node's address is its LAST byte, the state byte; the rest
// is read backwards from there. `t` and `o` are the pack sizes (bytes) of
// transition address deltas and of outputs; lists are stored in reverse, so
// transition 0 is nearest the state byte.
//
//   state byte  11 iiiiii  one transition, output 0, to the node whose last
//                          byte is just below this node's first byte;
//                          i = common input (0: the input is the byte below)
//               10 iiiiii  one transition:
//                          [output: o] [delta: t] sizes [input if i = 0] state
//               0f nnnnnn  any transitions (f: final), n of them (0: the
//                          count is the byte below; 1 there means 256):
//                          [final output: o, if f] [outputs: n × o]
//                          [deltas: n × t] [inputs: n] [index: 256 bytes if
//                          version >= 2 and n > 32] sizes [count] state
//   sizes byte  tttt oooo  (o = 0: every output is 0)
//   index       for each byte b, the number of its transition (>= n: none)
//
// A transition's target is `first byte of the node − delta`; delta 0 is the
// empty final node at address 0 (never stored, no transitions).

/// A decoded node: where its parts are, every offset already checked.
struct Node {
    /// The address of the node's first byte (fst's `end`).
    start: usize,
    /// `Some(output)` if the node is final.
    final_output: Option<u64>,
    ntrans: usize,
    /// The one-byte "next" form: the target is `start − 1`, the output 0.
    next: bool,
    tsize: usize,
    osize: usize,
    /// Just past the deltas and the outputs: transition `i`'s delta is at
    /// `deltas − (i + 1) × tsize`, its output at `outputs − (i + 1) × osize`.
    deltas: usize,
    outputs: usize,
}

impl Node {
    fn decode(bytes: &[u8], version: u64, addr: usize) -> Result<Node, &'static str> {
        let below =
            |a: usize, n: usize| a.checked_sub(n).ok_or("node runs past the start of the fst");
        let at = |a: usize| bytes.get(a).copied().ok_or("node address out of range");
        let state = at(addr)?;
        let common = state & 0b0011_1111 != 0;
        match state >> 6 {
            0b11 => {
                let start = below(addr, usize::from(!common))?;
                below(start, 1)?; // the target, start − 1, must exist
                Ok(Node {
                    start,
                    final_output: None,
                    ntrans: 1,
                    next: true,
                    tsize: 0,
                    osize: 0,
                    deltas: 0,
                    outputs: 0,
                })
            }
            0b10 => {
                let sizes = below(addr, 1 + usize::from(!common))?;
                let (tsize, osize) = pack_sizes(at(sizes)?)?;
                if tsize == 0 {
                    return Err("transition pack size 0");
                }
                let start = below(sizes, tsize + osize)?;
                let (deltas, outputs) = (start + osize + tsize, start + osize);
                Ok(Node {
                    start,
                    final_output: None,
                    ntrans: 1,
                    next: false,
                    tsize,
                    osize,
                    deltas,
                    outputs,
                })
            }
            _ => {
                let is_final = state & 0b0100_0000 != 0;
                let (ntrans, sizes) = match state & 0b0011_1111 {
                    0 => match at(below(addr, 1)?)? {
                        1 => (256, below(addr, 2)?), // 1 fits in the state byte
                        n => (usize::from(n), below(addr, 2)?),
                    },
                    n => (usize::from(n), below(addr, 1)?),
                };
                let (tsize, osize) = pack_sizes(at(sizes)?)?;
                if ntrans > 0 && tsize == 0 {
                    return Err("transition pack size 0");
                }
                let index = version >= 2 && ntrans > TRANS_INDEX_THRESHOLD;
                let inputs = below(sizes, if index { 256 } else { 0 })?;
                let deltas = below(inputs, ntrans)?;
                let outputs = below(deltas, ntrans * tsize)?;
                let final_at = below(outputs, ntrans * osize)?;
                let start = below(final_at, if is_final { osize } else { 0 })?;
                let final_output = match (is_final, osize) {
                    (false, _) => None,
                    (true, 0) => Some(0),
                    (true, _) => Some(uint(bytes, start, osize)?),
                };
                // Inputs, transition 0 first, must increase; the index must
                // name exactly these transitions.
                let input = |i: usize| at(inputs - 1 - i);
                for i in 1..ntrans {
                    if input(i)? <= input(i - 1)? {
                        return Err("transition inputs out of order");
                    }
                }
                if index {
                    let table = bytes.get(inputs..sizes).ok_or("transition index out of range")?;
                    if table.iter().filter(|&&i| usize::from(i) < ntrans).count() != ntrans {
                        return Err("transition index does not match the inputs");
                    }
                    for i in 0..ntrans {
                        if usize::from(table[usize::from(input(i)?)]) != i {
                            return Err("transition index does not match the inputs");
                        }
                    }
                }
                Ok(Node { start, final_output, ntrans, next: false, tsize, osize, deltas, outputs })
            }
        }
    }

    /// The `i`th transition (`i < ntrans`): its target address and output.
    fn transition(&self, bytes: &[u8], i: usize) -> Result<(usize, u64), &'static str> {
        if self.next {
            return Ok((self.start - 1, 0)); // decode checked start >= 1
        }
        let out = match self.osize {
            0 => 0,
            o => uint(bytes, self.outputs - (i + 1) * o, o)?,
        };
        let delta = uint(bytes, self.deltas - (i + 1) * self.tsize, self.tsize)?;
        let target = match usize::try_from(delta) {
            Ok(0) => 0,
            Ok(d) if d <= self.start => self.start - d,
            _ => return Err("transition points past the start of the fst"),
        };
        Ok((target, out))
    }
}

/// The sizes byte: (transition delta size, output size), each at most 8.
fn pack_sizes(b: u8) -> Result<(usize, usize), &'static str> {
    let (t, o) = (usize::from(b >> 4), usize::from(b & 0x0f));
    if t > 8 || o > 8 {
        return Err("pack size over 8");
    }
    Ok((t, o))
}

/// The little-endian unsigned integer of `n <= 8` bytes at `at`.
fn uint(bytes: &[u8], at: usize, n: usize) -> Result<u64, &'static str> {
    let b = at
        .checked_add(n)
        .and_then(|end| bytes.get(at..end))
        .ok_or("read past the end of the fst")?;
    Ok(b.iter().rev().fold(0, |v, &x| v << 8 | u64::from(x)))
}

/// One bit per address, with ranks (the number of set bits below an address).
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    fn set(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    /// The number of set bits before each word.
    fn ranks(&self) -> Vec<usize> {
        let mut total = 0;
        let mut ranks = Vec::with_capacity(self.0.len());
        for w in &self.0 {
            ranks.push(total);
            total += w.count_ones() as usize;
        }
        ranks
    }

    fn rank(&self, ranks: &[usize], i: usize) -> Option<usize> {
        let below_in_word = self.0.get(i / 64)? & ((1 << (i % 64)) - 1);
        Some(ranks.get(i / 64)? + below_in_word.count_ones() as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use fst::automaton::{Automaton, Levenshtein, Str};
    use fst::{IntoStreamer, Map, MapBuilder, Streamer};
    use std::panic::{catch_unwind, AssertUnwindSafe};

    /// xorshift64*: deterministic, so a failure reproduces.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn build(pairs: &[(Vec<u8>, u64)]) -> Vec<u8> {
        let mut pairs = pairs.to_vec();
        pairs.sort();
        pairs.dedup_by(|a, b| a.0 == b.0);
        let mut b = MapBuilder::memory();
        for (k, v) in &pairs {
            b.insert(k, *v).expect("sorted, distinct keys");
        }
        b.into_inner().expect("in memory")
    }

    fn random_pairs(
        rng: &mut Rng,
        n: usize,
        alphabet: &[u8],
        max_len: usize,
    ) -> Vec<(Vec<u8>, u64)> {
        (0..n)
            .map(|_| {
                let len = rng.below(max_len + 1);
                let key = (0..len).map(|_| alphabet[rng.below(alphabet.len())]).collect();
                let out = match rng.below(4) {
                    0 => rng.next(),
                    1 => u64::MAX - rng.below(1000) as u64,
                    _ => rng.below(1 << 20) as u64,
                };
                (key, out)
            })
            .collect()
    }

    /// The FSTs the tests start from, all written by fst's own builder.
    fn bases() -> Vec<(&'static str, Vec<u8>)> {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let wide: Vec<_> = (0..=255u8)
            .map(|b| (vec![b], u64::from(b)))
            .chain((0..=255u8).map(|b| (vec![7, b], 1000 + u64::from(b))))
            .collect();
        let shared: Vec<_> = [
            "ukraine",
            "ukrainian",
            "ukrainians",
            "uk",
            "kyiv",
            "kyivan",
            "kharkiv",
            "kherson",
            "k",
        ]
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_bytes().to_vec(), i as u64))
        .collect();
        vec![
            ("empty", build(&[])),
            ("empty key", build(&[(vec![], 0)])),
            ("empty key with output", build(&[(vec![], 42)])),
            ("one key", build(&[(b"zelensky".to_vec(), 7)])),
            (
                "huge outputs",
                build(&[
                    (b"a".to_vec(), u64::MAX - 1),
                    (b"ab".to_vec(), u64::MAX),
                    (b"b".to_vec(), 3),
                ]),
            ),
            ("shared prefixes", build(&shared)),
            ("random small", build(&random_pairs(&mut rng, 12, b"abc", 4))),
            ("random", build(&random_pairs(&mut rng, 300, b"abcdefghij\xc3\xa9", 12))),
            ("wide", build(&wide)),
            ("binary", build(&random_pairs(&mut rng, 200, &(0..=255).collect::<Vec<u8>>(), 6))),
        ]
    }

    /// The same FST as version 2 (no checksum), which fst also reads.
    fn as_version_2(fst: &[u8]) -> Vec<u8> {
        let mut v2 = fst[..fst.len() - 4].to_vec();
        v2[0] = 2;
        v2
    }

    /// Every fst operation the reader and search use, plus a full stream.
    /// Returns the number of keys streamed.
    fn exercise(bytes: &[u8], probes: &[Vec<u8>], lev: &Levenshtein) -> usize {
        let Ok(map) = Map::new(bytes) else { return 0 };
        for p in probes {
            let _ = map.get(p);
            let _ = map.contains_key(p);
            for range in
                [map.range().gt(p), map.range().ge(p), map.range().lt(p), map.range().ge(p).le(p)]
            {
                let mut s = range.into_stream();
                while s.next().is_some() {}
            }
            let p = String::from_utf8_lossy(p);
            let mut s = map.search(Str::new(&p).starts_with()).into_stream();
            while s.next().is_some() {}
            let mut s = map.search_with_state(Str::new(&p)).into_stream();
            while s.next().is_some() {}
        }
        let mut s = map.search_with_state(lev).into_stream();
        while s.next().is_some() {}
        let mut s = map.stream();
        let mut n = 0;
        while s.next().is_some() {
            n += 1;
        }
        n
    }

    fn probes(fst: &[u8], rng: &mut Rng) -> Vec<Vec<u8>> {
        let mut p: Vec<Vec<u8>> =
            vec![vec![], b"a".to_vec(), b"uk".to_vec(), b"kyiv".to_vec(), vec![7, 9], vec![255]];
        if let Ok(map) = Map::new(fst) {
            let keys = map.into_stream().into_byte_keys();
            p.extend(keys.iter().step_by(keys.len() / 10 + 1).cloned());
        }
        for _ in 0..5 {
            p.push((0..rng.below(5)).map(|_| rng.next() as u8).collect());
        }
        p
    }

    #[test]
    fn fsts_from_the_builder_pass() {
        let lev = Levenshtein::new("kyiv", 1).expect("small automaton");
        let mut rng = Rng(1);
        for (name, fst) in bases() {
            assert_eq!(check(&fst), Ok(()), "{name}");
            // fst refuses some tiny version 2 FSTs (under 36 bytes); so do we.
            let v2 = as_version_2(&fst);
            assert_eq!(check(&v2).is_ok(), Map::new(&v2).is_ok(), "{name}, version 2");
            let map = Map::new(&fst).expect("valid");
            assert_eq!(exercise(&fst, &probes(&fst, &mut rng), &lev), map.len(), "{name}");
        }
    }

    #[test]
    fn check_is_linear_in_a_large_fst() {
        // 20 000 keys; a quadratic check would take minutes here.
        let mut rng = Rng(2);
        let fst = build(&random_pairs(&mut rng, 20_000, b"abcdefghijklmnopqrstuvwxyz", 16));
        assert_eq!(check(&fst), Ok(()));
    }

    /// Why `check` rejected the mutants so far.
    type Seen = std::collections::BTreeSet<&'static str>;

    /// Fails unless the mutants made `check` give every reason it has for
    /// rejecting an FST, except those no mutant of an fst can reach (a read
    /// past the end, "too many keys"), plus `extra`.
    fn assert_every_rejection_reached(seen: &Seen, extra: &[&str]) {
        let reasons = [
            "shorter than an empty fst",
            "unsupported fst version",
            "bad empty fst",
            "root address is not before the trailer",
            "nodes overlap",
            "node runs past the start of the fst",
            "pack size over 8",
            "transition pack size 0",
            "transition inputs out of order",
            "transition points past the start of the fst",
            "a node leads to no key",
            "key count does not match the keys",
            "outputs overflow along a path",
        ];
        for why in reasons.iter().chain(extra) {
            assert!(seen.contains(why), "no mutant was rejected with {why:?}");
        }
    }

    /// Runs `exercise` on `mutant` if `check` accepts it, and fails the test
    /// if fst panics. Returns whether it was accepted.
    fn accepted_without_panic(
        mutant: &[u8],
        probes: &[Vec<u8>],
        lev: &Levenshtein,
        seen: &mut Seen,
    ) -> bool {
        if let Err(why) = check(mutant) {
            seen.insert(why);
            return false;
        }
        let run = catch_unwind(AssertUnwindSafe(|| exercise(mutant, probes, lev)));
        assert!(run.is_ok(), "check accepted an fst that panics: {mutant:?}");
        true
    }

    #[test]
    fn every_single_byte_change_to_small_fsts_is_rejected_or_harmless() {
        let lev = Levenshtein::new("ab", 1).expect("small automaton");
        let mut rng = Rng(3);
        let (mut cases, mut accepted, mut seen) = (0, 0, Seen::new());
        for (_, fst) in bases().into_iter().filter(|(_, f)| f.len() <= 200) {
            for fst in [fst.clone(), as_version_2(&fst)] {
                let probes = probes(&fst, &mut rng);
                // Not the type field (8..16) or the checksum: neither fst
                // nor `check` reads them.
                let checksum = if fst[0] == 3 { fst.len() - 4 } else { fst.len() };
                for at in (0..8).chain(16..checksum) {
                    for v in 0..=255u8 {
                        let mut m = fst.clone();
                        m[at] = v;
                        cases += 1;
                        accepted += usize::from(
                            accepted_without_panic(&m, &probes, &lev, &mut seen) && m != fst,
                        );
                    }
                }
            }
        }
        // Changed outputs and inputs keep the structure: many are accepted.
        assert!(cases > 20_000 && accepted > 1_000, "{cases} cases, {accepted} accepted");
        assert_every_rejection_reached(&seen, &[]);
    }

    #[test]
    fn random_mutations_are_rejected_or_harmless() {
        let lev = Levenshtein::new("kyiv", 2).expect("small automaton");
        let mut rng = Rng(4);
        let (mut cases, mut accepted, mut seen) = (0, 0, Seen::new());
        for (_, fst) in bases() {
            let probes = probes(&fst, &mut rng);
            for _ in 0..1500 {
                let mut m = fst.clone();
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(m.len());
                    match rng.below(8) {
                        0 => m[at] ^= 1 << rng.below(8),
                        1 => {
                            m[at] = [0, 1, 0x11, 0x18, 0x81, 0x88, 0x40, 0x80, 0xc0, 0xff]
                                [rng.below(10)]
                        }
                        2 => m.truncate(at),
                        3 => m.insert(at, rng.next() as u8),
                        4 => drop(m.remove(at)),
                        _ => m[at] = rng.next() as u8,
                    }
                    if m.is_empty() {
                        m.push(0);
                    }
                }
                if m.len() >= 36 && rng.below(2) == 0 {
                    // Point the root at the last node again, as if the bytes
                    // in between had been forged with care.
                    let root = (m.len() - 21) as u64;
                    let at = m.len() - 12;
                    m[at..at + 8].copy_from_slice(&root.to_le_bytes());
                }
                cases += 1;
                accepted +=
                    usize::from(accepted_without_panic(&m, &probes, &lev, &mut seen) && m != fst);
            }
        }
        assert!(accepted > 200, "{cases} cases, {accepted} accepted");
        assert_every_rejection_reached(&seen, &["transition index does not match the inputs"]);
    }

    #[test]
    fn outputs_that_overflow_are_rejected() {
        // "a" → u64::MAX − 1 and "ab" → u64::MAX: the node after "a" has final
        // output 0 and a transition on b with output 1. Raise either to 2 and
        // the sum fst computes for "a" or "ab" overflows.
        let fst = build(&[(b"a".to_vec(), u64::MAX - 1), (b"ab".to_vec(), u64::MAX)]);
        let mut found = false;
        for at in 16..fst.len() - 20 {
            let mut m = fst.clone();
            m[at] = 2;
            if check(&m) == Err("outputs overflow along a path") {
                found = true;
                let map = Map::new(&m).expect("fst only checks the header");
                assert!(
                    catch_unwind(|| map.stream().into_byte_vec()).is_err(),
                    "fst panics on this sum"
                );
            }
        }
        assert!(found);
    }

    /// A hand-forged FST: a leaf, then `k` nodes that each have two
    /// transitions (a, b) to the node below, so 2^k paths reach the leaf.
    fn diamonds(k: usize, leaf_final: bool, keys: u64) -> Vec<u8> {
        let mut f = vec![3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        // sizes 0 | count 0 | state: any transitions (final or not)
        f.extend([0, 0, if leaf_final { 0x40 } else { 0 }]);
        for _ in 0..k {
            // deltas (t = 1, both 1: the node just below) | inputs b, a | sizes | state: 2 transitions
            f.extend([1, 1, b'b', b'a', 0x10, 0x02]);
        }
        let root = f.len() as u64 - 1;
        f.extend(keys.to_le_bytes());
        f.extend(root.to_le_bytes());
        f.extend([0; 4]); // checksum: read by neither fst nor `check`
        f
    }

    #[test]
    fn forged_fsts_with_more_paths_than_keys_are_rejected() {
        // 2^40 paths: a stream would never finish.
        assert_eq!(check(&diamonds(40, false, 0)), Err("a node leads to no key"));
        assert_eq!(check(&diamonds(40, true, 0)), Err("key count does not match the keys"));
        assert_eq!(check(&diamonds(64, true, u64::MAX)), Err("too many keys"));
        // Honest about its 2^40 keys, it is a well-formed FST: the reader's
        // comparison of `Map::len` with its term count is what refuses it.
        assert_eq!(check(&diamonds(40, true, 1 << 40)), Ok(()));
        let small = diamonds(3, true, 8);
        assert_eq!(check(&small), Ok(()));
        let keys = Map::new(&small).expect("valid").stream().into_byte_keys();
        assert_eq!(keys.len(), 8);
        assert_eq!(keys[0], b"aaa");
    }

    /// The section `id` of a Dateline index (docs/format.md, "Frame").
    fn section(index: &[u8], id: u32) -> Option<&[u8]> {
        let u32_at = |at: usize| Some(u32::from_le_bytes(index.get(at..at + 4)?.try_into().ok()?));
        let u64_at = |at: usize| Some(u64::from_le_bytes(index.get(at..at + 8)?.try_into().ok()?));
        let count = u32_at(12)? as usize;
        (0..count).find_map(|i| {
            let row = 24 + 24 * i;
            if u32_at(row)? != id {
                return None;
            }
            let start = usize::try_from(u64_at(row + 8)?).ok()?;
            let len = usize::try_from(u64_at(row + 16)?).ok()?;
            index.get(start..start.checked_add(len)?)
        })
    }

    /// The fuzzer's find: in the `terms` FST, the node at byte 6067 (5
    /// transitions) has the sizes byte 0x5b, that is 11-byte outputs, and
    /// `unpack_uint` asserts `nbytes <= 8` in any stream that reaches it. Its
    /// `prefix_terms` FST is intact.
    #[test]
    fn index_fst_unpack_uint_panic() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fuzz/regressions/index-fst-unpack-uint-panic.dtl"
        );
        let index = std::fs::read(path).expect("the regression file is in the repository");
        let terms = section(&index, 2).expect("a terms section");
        let map = Map::new(terms).expect("fst only checks the header");
        assert!(catch_unwind(|| map.stream().into_byte_keys()).is_err(), "fst panics on it");
        assert_eq!(check(terms), Err("pack size over 8"));
        assert_eq!(check(section(&index, 5).expect("a prefix_terms section")), Ok(()));
    }
}
