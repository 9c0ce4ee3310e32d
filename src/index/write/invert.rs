//! The first phase of writing: tokenize every entry and invert it into
//! per-term postings under construction ([`TermBuf`]s), with each entry's
//! quantized field lengths.
//!
//! Where the platform has threads, two do it: this one tokenizes and
//! numbers the terms, a second sorts each entry's occurrences and appends
//! them to the postings. Elsewhere (wasm) both stages run here.

use std::collections::HashMap;

use super::postings::TermBuf;
use super::Progress;
use crate::index::error::IndexError;
use crate::index::format::{
    Norms, FIELDS, FIELD_AUTHORS, FIELD_BODY, FIELD_CAPTIONS, FIELD_TITLE, POSITION_GAP,
};
use crate::model::entry::Entry;
use crate::text;

/// FxHash (as in rustc): the writer hashes every word of the corpus, and
/// SipHash's DoS resistance buys nothing for a local build.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A term of at most 15 bytes, stored inline: length, then the bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Short([u8; 16]);

impl Short {
    #[inline]
    fn of(t: &str) -> Option<Short> {
        let b = t.as_bytes();
        (b.len() < 16).then(|| {
            let mut k = [0u8; 16];
            k[0] = b.len() as u8;
            k[1..=b.len()].copy_from_slice(b);
            Short(k)
        })
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// Calls `f` for every word of `e` that is indexed: field, position, term.
/// Positions count words within a field; paragraphs (captions, credits,
/// authors) are separated by [`POSITION_GAP`] so phrases do not span them.
/// Returns the length (words) of each field. Terms are those of
/// [`text::words`], borrowed (see [`text::for_each_word`]).
pub fn for_each_term(e: &Entry, mut f: impl FnMut(usize, u32, &str)) -> [u32; FIELDS] {
    terms_of(&mut text::Tokenizer::new(), e, &mut f)
}

/// [`for_each_term`] with a tokenizer reused from entry to entry.
fn terms_of(
    tok: &mut text::Tokenizer,
    e: &Entry,
    f: &mut dyn FnMut(usize, u32, &str),
) -> [u32; FIELDS] {
    let mut lens = [0u32; FIELDS];
    let mut run = |field: usize, texts: &mut dyn Iterator<Item = &str>| {
        let mut pos = 0u32;
        let mut first = true;
        let len = &mut lens[field];
        for t in texts {
            if !first {
                pos = pos.saturating_add(POSITION_GAP);
            }
            first = false;
            tok.for_each_word(t, |term, _, _| {
                f(field, pos, term);
                pos = pos.saturating_add(1);
                *len = len.saturating_add(1);
            });
        }
    };
    run(FIELD_TITLE, &mut std::iter::once(e.title.as_str()));
    run(FIELD_BODY, &mut e.body.iter().map(String::as_str));
    run(FIELD_CAPTIONS, &mut e.media.iter().flat_map(|m| [m.caption.as_str(), m.credit.as_str()]));
    run(FIELD_AUTHORS, &mut e.authors.iter().map(String::as_str));
    lens
}

/// One occurrence of a term in an entry: term id, field, position.
type Occ = (u32, u8, u32);

/// Entries per batch handed from the tokenizing thread to the postings thread.
const BATCH: usize = 256;

/// The occurrences of consecutive entries, from the tokenizer to the
/// postings builder. Batches go back and forth, so their buffers are reused.
#[derive(Default)]
struct Batch {
    /// Id of the first entry.
    first: u32,
    /// End of each entry's occurrences in `occ`.
    ends: Vec<u32>,
    occ: Vec<Occ>,
}

/// The second stage of the inversion: sorts each entry's occurrences and
/// appends them to the terms' postings.
#[derive(Default)]
struct Adder {
    bufs: Vec<TermBuf>,
    group: Vec<(u8, u32)>,
    /// An entry's occurrences as sort keys: term id, then index in the entry.
    keys: Vec<u64>,
}

impl Adder {
    fn add(&mut self, b: &mut Batch) {
        let mut start = 0;
        for (j, &end) in b.ends.iter().enumerate() {
            let doc = b.first + j as u32;
            let occ = &b.occ[start..end as usize];
            start = end as usize;
            // An entry's occurrences come in field and position order, so
            // sorting by (term, index) sorts by (term, field, position):
            // on one u64 rather than a tuple.
            self.keys.clear();
            self.keys.extend(occ.iter().enumerate().map(|(i, o)| (o.0 as u64) << 32 | i as u64));
            self.keys.sort_unstable();
            let mut k = 0;
            while k < self.keys.len() {
                let tid = (self.keys[k] >> 32) as u32;
                self.group.clear();
                while k < self.keys.len() && (self.keys[k] >> 32) as u32 == tid {
                    let o = occ[(self.keys[k] & 0xFFFF_FFFF) as usize];
                    self.group.push((o.1, o.2));
                    k += 1;
                }
                if tid as usize >= self.bufs.len() {
                    self.bufs.resize_with(tid as usize + 1, TermBuf::default);
                }
                self.bufs[tid as usize].add(doc, &self.group);
            }
        }
        b.ends.clear();
        b.occ.clear();
    }
}

/// Numbers terms in order of first occurrence. Terms of up to 15 bytes
/// (nearly all) are keyed inline, so a lookup touches one bucket and no
/// heap string.
#[derive(Default)]
struct Numberer {
    short_ids: FxMap<Short, u32>,
    ids: FxMap<String, u32>,
    terms: Vec<String>,
}

impl Numberer {
    /// The id of `term`, numbering it if it is new.
    #[inline]
    fn id(&mut self, term: &str) -> u32 {
        let short = Short::of(term);
        let found = match short {
            Some(k) => self.short_ids.get(&k).copied(),
            None => self.ids.get(term).copied(),
        };
        if let Some(t) = found {
            return t;
        }
        let t = self.terms.len() as u32;
        match short {
            Some(k) => {
                self.short_ids.insert(k, t);
            }
            None => {
                self.ids.insert(term.to_string(), t);
            }
        }
        self.terms.push(term.to_string());
        t
    }
}

/// What inversion gives the later phases.
pub(super) struct Inverted {
    /// Every term, numbered in order of first occurrence.
    pub terms: Vec<String>,
    /// The postings of each term (by number), not yet finished.
    pub bufs: Vec<TermBuf>,
    /// `FIELDS` quantized lengths per entry: the `norms` section.
    pub norms: Vec<u8>,
    /// Each field's length over all entries, in words.
    pub field_totals: [u64; FIELDS],
}

/// Inverts `entries` (checked already: ids `0..n` in order), reporting
/// progress as it goes.
pub(super) fn invert(
    entries: &[Entry],
    progress: &mut dyn FnMut(Progress),
) -> Result<Inverted, IndexError> {
    let n = entries.len();
    let mut numberer = Numberer::default();
    let norms_q = Norms::new();
    let mut norms = Vec::with_capacity(n * FIELDS);
    let mut field_totals = [0u64; FIELDS];
    let mut tok = text::Tokenizer::new();
    let mut adder = std::thread::scope(|s| -> Result<Adder, IndexError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Batch>();
        let worker = std::thread::Builder::new()
            .name("dateline-postings".to_string())
            .spawn_scoped(s, move || {
                let mut a = Adder::default();
                for mut b in rx {
                    a.add(&mut b);
                    // The tokenizer may have finished; then the batch is dropped.
                    let _ = back_tx.send(b);
                }
                a
            });
        // Without threads (wasm), the postings are built here, batch by batch.
        let (worker, mut inline) = match worker {
            Ok(h) => (Some(h), None),
            Err(_) => (None, Some(Adder::default())),
        };
        let mut batch = Batch::default();
        for (i, e) in entries.iter().enumerate() {
            let lens = terms_of(&mut tok, e, &mut |field, pos, term| {
                batch.occ.push((numberer.id(term), field as u8, pos));
            });
            for f in 0..FIELDS {
                norms.push(norms_q.encode(lens[f]));
                field_totals[f] += lens[f] as u64;
            }
            let Ok(end) = u32::try_from(batch.occ.len()) else {
                return Err(IndexError::InvalidInput {
                    what: format!("entry {i} and its neighbours have more than 4 billion words"),
                });
            };
            batch.ends.push(end);
            if batch.ends.len() == BATCH || i + 1 == n {
                match inline.as_mut() {
                    Some(a) => a.add(&mut batch),
                    None => {
                        let next = back_rx.try_recv().unwrap_or_default();
                        // A send fails only if the postings thread is gone,
                        // i.e. it panicked: the join below reports that.
                        if tx.send(std::mem::replace(&mut batch, next)).is_err() {
                            break;
                        }
                    }
                }
                batch.first = i as u32 + 1;
            }
            if i % 1024 == 1023 {
                progress(Progress::Indexing { done: i + 1, total: n });
            }
        }
        drop(tx);
        Ok(match (worker, inline) {
            (Some(h), _) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            (None, a) => a.unwrap_or_default(),
        })
    })?;
    let terms = numberer.terms;
    adder.bufs.resize_with(terms.len(), TermBuf::default);
    progress(Progress::Indexing { done: n, total: n });
    progress(Progress::Writing);
    Ok(Inverted { terms, bufs: adder.bufs, norms, field_totals })
}
