//! Builds an index file from entries. Deterministic: the same entries and
//! meta give byte-identical output (no hash-map iteration order, no clocks,
//! integer-only quantization).
//!
//! The layouts written here are documented above their decoders in
//! [`super::reader`] and in [`crate::index`].

use std::collections::{BTreeMap, HashMap};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};

use super::format::*;
use super::{tops, IndexError, Meta};
use crate::model::entry::Entry;
use crate::score::{avg_len, Bm25f};
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

/// Entries per block of the entry table (a single-file index).
pub const ENTRY_BLOCK: u32 = 64;

/// Choices the writer leaves to its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Entries per block of the entry table: a result card reads one block.
    /// A sharded index fetches blocks one by one, so it wants small ones.
    pub entry_block: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { entry_block: ENTRY_BLOCK }
    }
}

/// How far the writer has got, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Tokenizing and inverting entries: `done` of `total`.
    Indexing {
        /// Entries done.
        done: usize,
        /// Entries in all.
        total: usize,
    },
    /// Laying out the sections (dictionary, postings, entry table).
    Writing,
}

/// Writes the index of `entries` (ids `0..n` in publication order, undated
/// last) with `meta`. See [`write_with_progress`].
pub fn write(entries: &[Entry], meta: &Meta) -> Result<Vec<u8>, IndexError> {
    write_with_progress(entries, meta, &mut |_| {})
}

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

/// The postings of one term while it is being built. The current block is
/// staged as varints (compact while the whole corpus is in memory) and
/// re-encoded as bits when it closes.
#[derive(Default)]
struct TermBuf {
    df: u32,
    last_doc: u32,
    /// Last doc of the previous block (`None` before the first).
    prev_block_last: Option<u32>,
    in_block: u32,
    /// Staged docs: doc delta from the block's previous doc (first: from the
    /// previous block's last doc, plus one; in the first block the doc + 1),
    /// mask, tf per field in the mask.
    stage: Vec<u8>,
    /// Staged position values (first absolute, then gap − 1), in doc, field
    /// and position order.
    stage_pos: Vec<u8>,
    nblocks: u32,
    docs: Vec<u8>,
    pos: Vec<u8>,
    skip: Vec<u8>,
}

impl TermBuf {
    /// Adds document `doc` with the term's occurrences `occ` (field,
    /// position), sorted by field then position.
    fn add(&mut self, doc: u32, occ: &[(u8, u32)]) {
        let mut tfs = [0u32; FIELDS];
        for &(f, _) in occ {
            tfs[f as usize] += 1;
        }
        let mask: u8 = (0..FIELDS).filter(|&f| tfs[f] > 0).map(|f| 1u8 << f).sum();
        let prev = if self.df == 0 { -1i64 } else { self.last_doc as i64 };
        put_varint(&mut self.stage, (doc as i64 - prev - 1) as u64);
        self.stage.push(mask);
        for tf in tfs.iter().filter(|&&t| t > 0) {
            put_varint(&mut self.stage, *tf as u64);
        }
        let mut last: Option<(u8, u32)> = None;
        for &(f, p) in occ {
            let v = match last {
                Some((lf, lp)) if lf == f => p - lp - 1,
                _ => p,
            };
            put_varint(&mut self.stage_pos, v as u64);
            last = Some((f, p));
        }
        self.last_doc = doc;
        self.df += 1;
        self.in_block += 1;
        if self.in_block as usize == POSTING_BLOCK {
            self.close_block();
        }
    }

    /// Encodes the staged block (layout: see `reader::Postings`).
    fn close_block(&mut self) {
        if self.in_block == 0 {
            return;
        }
        let n = self.in_block as usize;
        // Per doc of the block: delta, mask, tf per field (stack arrays:
        // this runs for every block of every term).
        let mut deltas = [0u32; POSTING_BLOCK];
        let mut masks = [0u8; POSTING_BLOCK];
        let mut tfs = [[0u32; FIELDS]; POSTING_BLOCK];
        let mut p = 0;
        for i in 0..n {
            deltas[i] = get_varint(&self.stage, &mut p).unwrap_or(0) as u32;
            let m = self.stage.get(p).copied().unwrap_or(0);
            p += 1;
            masks[i] = m;
            for (f, tf) in tfs[i].iter_mut().enumerate() {
                if m & (1 << f) != 0 {
                    *tf = get_varint(&self.stage, &mut p).unwrap_or(1) as u32;
                }
            }
        }
        let (deltas, masks, tfs) = (&deltas[..n], &masks[..n], &tfs[..n]);
        let simple = |i: usize| masks[i] == 1 << FIELD_BODY && tfs[i][FIELD_BODY] == 1;
        let bd = deltas.iter().map(|&d| bits(d)).max().unwrap_or(0);
        let mut bt = 0;
        for i in (0..n).filter(|&i| !simple(i)) {
            for &t in tfs[i].iter().filter(|&&t| t > 0) {
                bt = bt.max(bits(t - 1));
            }
        }
        let start = self.docs.len();
        self.docs.push(bd as u8);
        self.docs.push(bt as u8);
        let mut w = BitWriter::default();
        for &d in deltas {
            w.put(d, bd);
        }
        for i in 0..n {
            w.put(simple(i) as u32, 1);
        }
        for i in 0..n {
            if !simple(i) {
                w.put(masks[i] as u32, FIELDS as u32);
            }
        }
        for i in 0..n {
            if !simple(i) {
                for &t in tfs[i].iter().filter(|&&t| t > 0) {
                    w.put(t - 1, bt);
                }
            }
        }
        self.docs.extend_from_slice(&w.finish());

        let mut vals = Vec::new();
        let mut q = 0;
        while let Some(v) = get_varint(&self.stage_pos, &mut q) {
            vals.push(v as u32);
        }
        let k = best_rice(&vals);
        let pstart = self.pos.len();
        self.pos.push(k as u8);
        let mut w = BitWriter::default();
        for &v in &vals {
            w.put_rice(v, k);
        }
        self.pos.extend_from_slice(&w.finish());

        let base = self.prev_block_last.map_or(0, |l| l);
        put_varint(&mut self.skip, (self.last_doc - base) as u64);
        put_varint(&mut self.skip, (self.docs.len() - start) as u64);
        put_varint(&mut self.skip, (self.pos.len() - pstart) as u64);
        self.prev_block_last = Some(self.last_doc);
        self.nblocks += 1;
        self.in_block = 0;
        self.stage.clear();
        self.stage_pos.clear();
    }

    /// Appends the finished list to `out`.
    fn finish(mut self, out: &mut Vec<u8>) {
        self.close_block();
        if self.nblocks <= 1 {
            put_varint(out, self.docs.len() as u64);
        } else {
            put_varint(out, self.skip.len() as u64);
            out.extend_from_slice(&self.skip);
        }
        out.extend_from_slice(&self.docs);
        out.extend_from_slice(&self.pos);
    }
}

fn invalid(what: String) -> IndexError {
    IndexError::InvalidInput { what }
}

fn fst_err(e: fst::Error) -> IndexError {
    invalid(format!("term dictionary: {e}"))
}

/// Writes the index of `entries` with `meta`, reporting progress to `progress`.
///
/// Entries must have ids `0..n` in order; dated entries must come first, in
/// non-decreasing day order (the publication order ingestion produces).
pub fn write_with_progress(
    entries: &[Entry],
    meta: &Meta,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<u8>, IndexError> {
    write_with(entries, meta, &Options::default(), progress)
}

/// Writes the index of `entries` with `meta` and `options`, reporting
/// progress to `progress`. See [`write_with_progress`]; [`write_to`] writes
/// to a file instead of memory.
pub fn write_with(
    entries: &[Entry],
    meta: &Meta,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<u8>, IndexError> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut spill = std::io::Cursor::new(Vec::new());
    match write_to(entries, meta, options, progress, &mut out, &mut spill) {
        Ok(_) => Ok(out.into_inner()),
        Err(WriteError::Index(e)) => Err(e),
        // Writing to a `Vec` fails only when memory runs out, which aborts first.
        Err(WriteError::Io(e)) => Err(invalid(format!("the index does not fit in memory ({e})"))),
    }
}

/// Why [`write_to`] failed.
#[derive(Debug)]
pub enum WriteError {
    /// The entries cannot be indexed.
    Index(IndexError),
    /// The output or the spill could not be written or read back.
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Index(e) => e.fmt(f),
            WriteError::Io(e) => {
                write!(f, "could not write the index ({e}): check that the disk has room and the directory is writable")
            }
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Index(e) => Some(e),
            WriteError::Io(e) => Some(e),
        }
    }
}

impl From<IndexError> for WriteError {
    fn from(e: IndexError) -> Self {
        WriteError::Index(e)
    }
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// Writes a framed file section by section: the header and section table
/// are reserved first and filled in by [`Framer::finish`], with each
/// section's CRC computed as its bytes stream past.
struct Framer<W: Write + Seek> {
    out: W,
    /// Where in `out` the file starts.
    base: u64,
    /// Bytes written so far (the file's length).
    pos: u64,
    /// Sections the table has room for.
    capacity: usize,
    /// Finished sections: id, crc32, offset, length.
    rows: Vec<(Section, u32, u64, u64)>,
    /// The section being written: id, offset, running crc.
    cur: Option<(Section, u64, crc32fast::Hasher)>,
}

impl<W: Write + Seek> Framer<W> {
    /// Reserves the header and a table of `sections` rows at the start of `out`.
    fn new(mut out: W, sections: usize) -> std::io::Result<Self> {
        let base = out.stream_position()?;
        let head = HEADER_LEN + sections * SECTION_ROW_LEN;
        out.write_all(&vec![0u8; head])?;
        Ok(Framer {
            out,
            base,
            pos: head as u64,
            capacity: sections,
            rows: Vec::with_capacity(sections),
            cur: None,
        })
    }

    fn begin(&mut self, sec: Section) {
        self.cur = Some((sec, self.pos, crc32fast::Hasher::new()));
    }

    fn put(&mut self, b: &[u8]) -> std::io::Result<()> {
        if let Some((_, _, h)) = self.cur.as_mut() {
            h.update(b);
        }
        self.out.write_all(b)?;
        self.pos += b.len() as u64;
        Ok(())
    }

    fn end(&mut self) {
        if let Some((sec, at, h)) = self.cur.take() {
            self.rows.push((sec, h.finalize(), at, self.pos - at));
        }
    }

    /// A whole section at once.
    fn section(&mut self, sec: Section, b: &[u8]) -> std::io::Result<()> {
        self.begin(sec);
        self.put(b)?;
        self.end();
        Ok(())
    }

    /// Copies `len` bytes of `from` into the current section.
    fn copy(&mut self, from: &mut dyn Read, mut len: u64) -> std::io::Result<()> {
        let mut chunk = vec![0u8; 1 << 20];
        while len > 0 {
            let n = len.min(chunk.len() as u64) as usize;
            from.read_exact(&mut chunk[..n])?;
            self.put(&chunk[..n])?;
            len -= n as u64;
        }
        Ok(())
    }

    /// Appends the footer, fills in the header and table (layout:
    /// `format::finish_frame`), and returns the output and its length.
    fn finish(mut self, magic: &[u8; 8]) -> std::io::Result<(W, u64)> {
        self.end();
        if self.rows.len() != self.capacity {
            return Err(std::io::Error::other(
                "the section table was sized for another number of sections",
            ));
        }
        let total = self.pos + FOOTER_LEN as u64;
        let mut head = Vec::with_capacity(HEADER_LEN + self.rows.len() * SECTION_ROW_LEN);
        head.extend_from_slice(magic);
        head.extend_from_slice(&VERSION.to_le_bytes());
        head.extend_from_slice(&(self.rows.len() as u32).to_le_bytes());
        head.extend_from_slice(&total.to_le_bytes());
        for &(s, crc, at, len) in &self.rows {
            head.extend_from_slice(&(s as u32).to_le_bytes());
            head.extend_from_slice(&crc.to_le_bytes());
            head.extend_from_slice(&at.to_le_bytes());
            head.extend_from_slice(&len.to_le_bytes());
        }
        self.out.write_all(&crc32(&head).to_le_bytes())?;
        self.out.write_all(&0u32.to_le_bytes())?;
        self.out.write_all(&END_MAGIC)?;
        self.out.seek(SeekFrom::Start(self.base))?;
        self.out.write_all(&head)?;
        self.out.seek(SeekFrom::Start(self.base + total))?;
        self.out.flush()?;
        Ok((self.out, total))
    }
}

/// Writes the index of `entries` with `meta` and `options` to `out`,
/// reporting progress to `progress`, and returns its length in bytes. The
/// bytes are those of [`write_with`]; nothing as large as the index is held
/// in memory: the entry table streams from the entries, and the postings
/// (a fifth of the index, written before the sections that locate them are
/// complete) go to `spill` and are copied to `out` from there. `spill` may
/// be an empty temporary file. Both are written from their current
/// positions (the index starts at `out`'s).
///
/// Where the platform has threads, two invert the entries (this one
/// tokenizes, a second builds the postings) and a second works out the
/// tops while this one finishes the lists; elsewhere (wasm) all runs here.
pub fn write_to<W: Write + Seek, S: Read + Write + Seek>(
    entries: &[Entry],
    meta: &Meta,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
    out: &mut W,
    spill: &mut S,
) -> Result<u64, WriteError> {
    let entry_block = options.entry_block;
    if entry_block == 0 {
        return Err(invalid("the entry block size must be at least 1".to_string()).into());
    }
    let n = entries.len();
    if n >= u32::MAX as usize {
        return Err(invalid(format!("{n} entries is more than an index can hold")).into());
    }
    // Ids and date order.
    let mut n_dated = 0u32;
    let mut last_day = i32::MIN;
    for (i, e) in entries.iter().enumerate() {
        if e.id as usize != i {
            return Err(invalid(format!(
                "entry at position {i} has id {} (ids must be 0..n in order)",
                e.id
            ))
            .into());
        }
        match e.published {
            Some(p) => {
                if n_dated as usize != i {
                    return Err(invalid(format!(
                        "entry {i} is dated but follows an undated entry"
                    ))
                    .into());
                }
                if p.day < last_day {
                    return Err(
                        invalid(format!("entry {i} is dated before entry {}", i - 1)).into()
                    );
                }
                if p.day == NO_DAY {
                    return Err(invalid(format!("entry {i} has an out-of-range day")).into());
                }
                last_day = p.day;
                n_dated += 1;
            }
            None => {}
        }
    }

    // Invert, in two stages: this thread tokenizes and numbers the terms
    // (in order of first occurrence), a second sorts each entry's
    // occurrences and appends them to the postings. Terms of up to 15 bytes
    // (nearly all) are keyed inline, so a lookup touches one bucket and no
    // heap string.
    let mut short_ids: FxMap<Short, u32> = FxMap::default();
    let mut ids: FxMap<String, u32> = FxMap::default();
    let mut terms: Vec<String> = Vec::new();
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
                let short = Short::of(term);
                let found = match short {
                    Some(k) => short_ids.get(&k).copied(),
                    None => ids.get(term).copied(),
                };
                let tid = match found {
                    Some(t) => t,
                    None => {
                        let t = terms.len() as u32;
                        match short {
                            Some(k) => {
                                short_ids.insert(k, t);
                            }
                            None => {
                                ids.insert(term.to_string(), t);
                            }
                        }
                        terms.push(term.to_string());
                        t
                    }
                };
                batch.occ.push((tid, field as u8, pos));
            });
            for f in 0..FIELDS {
                norms.push(norms_q.encode(lens[f]));
                field_totals[f] += lens[f] as u64;
            }
            let Ok(end) = u32::try_from(batch.occ.len()) else {
                return Err(invalid(format!(
                    "entry {i} and its neighbours have more than 4 billion words"
                )));
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
    adder.bufs.resize_with(terms.len(), TermBuf::default);
    let mut bufs = adder.bufs;
    progress(Progress::Indexing { done: n, total: n });
    progress(Progress::Writing);
    drop(ids);
    drop(short_ids);

    // Dictionary in byte order; ordinals are ranks in that order. Each
    // list is finished and spilled, then dropped.
    let mut order: Vec<u32> = (0..terms.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| terms[a as usize].as_bytes().cmp(terms[b as usize].as_bytes()));
    let mut fst_b = fst::MapBuilder::memory();
    let spill_start = spill.stream_position()?;
    let mut spilled = BufWriter::with_capacity(1 << 20, &mut *spill);
    let mut postings_len = 0u64;
    let mut offsets = Vec::with_capacity(order.len() + 1);
    let mut dfs = Vec::with_capacity(order.len());
    // Each term's best entries, scored by the model the search uses. The
    // tops decode and score every list: a second thread does that while
    // this one finishes and spills the lists.
    let norm_len: [u32; 256] = std::array::from_fn(|c| norms_q.decode(c as u8));
    let model = Bm25f::new(&avg_len(field_totals, n as u64), &norm_len);
    let tops_of = |lists: &mut dyn Iterator<Item = (u32, Vec<u8>)>| -> Result<(Vec<u8>, Vec<u64>), IndexError> {
        let mut tops = Vec::new();
        let mut top_offsets = Vec::with_capacity(order.len() + 1);
        let mut scratch = Vec::new();
        for (df, list) in lists {
            top_offsets.push(tops.len() as u64);
            tops::write(&list, df, n as u32, n_dated, &norms, &model, &mut scratch, &mut tops)?;
        }
        top_offsets.push(tops.len() as u64);
        Ok((tops, top_offsets))
    };
    let (tops, top_offsets) = std::thread::scope(|s| -> Result<(Vec<u8>, Vec<u64>), WriteError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(u32, Vec<u8>)>(64);
        let worker = std::thread::Builder::new()
            .name("dateline-tops".to_string())
            .spawn_scoped(s, move || tops_of(&mut rx.into_iter()));
        // Without threads (wasm), the lists are kept and their tops worked out below.
        let (worker, mut kept) = match worker {
            Ok(h) => (Some(h), None),
            Err(_) => (None, Some(Vec::new())),
        };
        for (ord, &tid) in order.iter().enumerate() {
            fst_b.insert(terms[tid as usize].as_bytes(), ord as u64).map_err(fst_err)?;
            let buf = bufs.get_mut(tid as usize).map(std::mem::take).unwrap_or_default();
            offsets.push(postings_len);
            let df = buf.df;
            dfs.push(df);
            let mut list = Vec::new();
            buf.finish(&mut list);
            spilled.write_all(&list)?;
            postings_len += list.len() as u64;
            match kept.as_mut() {
                Some(k) => k.push((df, list)),
                // A send fails only if the tops thread stopped on an error:
                // the join below reports it.
                None => {
                    if tx.send((df, list)).is_err() {
                        break;
                    }
                }
            }
        }
        drop(tx);
        Ok(match (worker, kept) {
            (Some(h), _) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?,
            (None, k) => tops_of(&mut k.unwrap_or_default().into_iter())?,
        })
    })?;
    offsets.push(postings_len);
    drop(bufs);
    spilled.flush()?;
    drop(spilled);
    let terms_fst = fst_b.into_inner().map_err(fst_err)?;

    // Term info: [offset width u8][df width u8][top width u8] then
    // (n_terms + 1) rows.
    let ow = width_of(postings_len);
    let dw = width_of(dfs.iter().copied().max().unwrap_or(0) as u64);
    let tw = width_of(tops.len() as u64);
    let mut term_info = Vec::with_capacity(3 + (ow + dw + tw) * offsets.len());
    term_info.push(ow as u8);
    term_info.push(dw as u8);
    term_info.push(tw as u8);
    for (i, (&off, &top)) in offsets.iter().zip(&top_offsets).enumerate() {
        put_uint(&mut term_info, off, ow);
        put_uint(&mut term_info, dfs.get(i).copied().unwrap_or(0) as u64, dw);
        put_uint(&mut term_info, top, tw);
    }

    // Prefix table: for each prefix of 1..=PREFIX_MAX_CHARS characters that
    // more than PREFIX_TOP_N longer terms share, its top terms by df.
    let sorted_terms: Vec<&str> = order.iter().map(|&t| terms[t as usize].as_str()).collect();
    let mut prefix_rows: Vec<(&str, Vec<u32>)> = Vec::new();
    for len in 1..=PREFIX_MAX_CHARS {
        let mut cur: Option<&str> = None;
        let mut members: Vec<(u32, u32)> = Vec::new(); // (df, ord)
        for (ord, t) in sorted_terms.iter().enumerate() {
            let end = match t.char_indices().nth(len) {
                Some((e, _)) => e, // the term is longer than the prefix
                None => continue,
            };
            let p = &t[..end];
            if cur != Some(p) {
                flush_prefix(&mut prefix_rows, cur, &mut members);
                cur = Some(p);
            }
            members.push((dfs[ord], ord as u32));
        }
        flush_prefix(&mut prefix_rows, cur, &mut members);
    }
    prefix_rows.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut pfx_b = fst::MapBuilder::memory();
    let mut prefix_lists = Vec::new();
    for (p, ords) in &prefix_rows {
        pfx_b.insert(p.as_bytes(), prefix_lists.len() as u64).map_err(fst_err)?;
        put_varint(&mut prefix_lists, ords.len() as u64);
        for &o in ords {
            put_varint(&mut prefix_lists, o as u64);
        }
    }
    let prefix_fst = pfx_b.into_inner().map_err(fst_err)?;
    drop(prefix_rows);
    drop(sorted_terms);
    let n_terms = terms.len() as u32;
    drop(terms);

    // Dates and the day table.
    let mut dates = Vec::with_capacity(n * 8);
    let mut days: Vec<(i32, u32)> = Vec::new();
    for e in entries {
        let (day, minute, offset) = match e.published {
            Some(p) => (p.day, p.minute.unwrap_or(NO_MINUTE), p.offset),
            None => (NO_DAY, NO_MINUTE, 0),
        };
        if let Some(m) = p_minute_check(minute) {
            return Err(
                invalid(format!("entry {} has minute {m} (must be below 1440)", e.id)).into()
            );
        }
        dates.extend_from_slice(&day.to_le_bytes());
        dates.extend_from_slice(&minute.to_le_bytes());
        dates.extend_from_slice(&offset.to_le_bytes());
        if day != NO_DAY && days.last().map(|d| d.0) != Some(day) {
            days.push((day, e.id));
        }
    }
    let mut days_sec = Vec::with_capacity(8 + days.len() * 8);
    days_sec.extend_from_slice(&(days.len() as u32).to_le_bytes());
    for (d, first) in &days {
        days_sec.extend_from_slice(&d.to_le_bytes());
        days_sec.extend_from_slice(&first.to_le_bytes());
    }
    days_sec.extend_from_slice(&n_dated.to_le_bytes());

    // String tables.
    let mut authors: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut files: BTreeMap<&str, u32> = BTreeMap::new();
    for e in entries {
        for a in &e.authors {
            let list = authors.entry(a.as_str()).or_default();
            if list.last() != Some(&e.id) {
                list.push(e.id);
            }
        }
        for s in &e.sources {
            files.insert(s.file.as_str(), 0);
        }
    }
    let mut authors_sec = Vec::new();
    let mut author_lists = Vec::new();
    put_varint(&mut authors_sec, authors.len() as u64);
    let mut author_ids: HashMap<&str, u64> = HashMap::new();
    for (i, (name, list)) in authors.iter().enumerate() {
        author_ids.insert(name, i as u64);
        put_str(&mut authors_sec, name);
        put_varint(&mut authors_sec, list.len() as u64);
        let start = author_lists.len();
        let mut prev = 0;
        for &id in list {
            put_varint(&mut author_lists, (id - prev) as u64);
            prev = id;
        }
        put_varint(&mut authors_sec, (author_lists.len() - start) as u64);
    }
    drop(authors);
    let mut files_sec = Vec::new();
    put_varint(&mut files_sec, files.len() as u64);
    for (i, (name, id)) in files.iter_mut().enumerate() {
        *id = i as u32;
        put_str(&mut files_sec, name);
    }

    // Meta.
    let mut meta_sec = Vec::new();
    put_varint(&mut meta_sec, n as u64);
    put_varint(&mut meta_sec, n_dated as u64);
    put_varint(&mut meta_sec, n_terms as u64);
    put_varint(&mut meta_sec, entry_block as u64);
    for t in field_totals {
        put_varint(&mut meta_sec, t);
    }
    match &meta.title {
        Some(t) => {
            meta_sec.push(1);
            put_str(&mut meta_sec, t);
        }
        None => meta_sec.push(0),
    }
    put_str(&mut meta_sec, &meta.timezone);

    // Lay out the file: the small sections, the postings from the spill,
    // then the entry table block by block, `entry_offsets` after it.
    let mut f = Framer::new(BufWriter::with_capacity(1 << 20, &mut *out), 15)?;
    f.section(Section::Meta, &meta_sec)?;
    f.section(Section::Terms, &terms_fst)?;
    f.section(Section::TermInfo, &term_info)?;
    f.begin(Section::Postings);
    spill.seek(SeekFrom::Start(spill_start))?;
    f.copy(spill, postings_len)?;
    f.end();
    f.section(Section::PrefixTerms, &prefix_fst)?;
    f.section(Section::PrefixLists, &prefix_lists)?;
    f.section(Section::Norms, &norms)?;
    f.section(Section::Tops, &tops)?;
    f.section(Section::Dates, &dates)?;
    f.section(Section::Days, &days_sec)?;
    f.section(Section::Authors, &authors_sec)?;
    f.section(Section::AuthorLists, &author_lists)?;
    f.section(Section::Files, &files_sec)?;
    drop((
        meta_sec,
        terms_fst,
        term_info,
        prefix_fst,
        prefix_lists,
        norms,
        tops,
        dates,
        days_sec,
        authors_sec,
        author_lists,
    ));
    // Entry table.
    f.begin(Section::Entries);
    let mut entries_len = 0u64;
    let mut entry_offsets = Vec::new();
    let mut block_bytes = Vec::new();
    for block in entries.chunks(entry_block as usize) {
        entry_offsets.extend_from_slice(&entries_len.to_le_bytes());
        block_bytes.clear();
        block_bytes.resize(4 * block.len(), 0);
        for (j, e) in block.iter().enumerate() {
            let rel = u32::try_from(block_bytes.len()).map_err(|_| {
                invalid(format!("entry block {} is larger than 4 GiB", e.id / entry_block))
            })?;
            block_bytes[4 * j..4 * j + 4].copy_from_slice(&rel.to_le_bytes());
            let rec = &mut block_bytes;
            rec.push(e.title_derived as u8);
            put_str(rec, &e.title);
            put_str(rec, &e.date_basis);
            put_varint(rec, e.authors.len() as u64);
            for a in &e.authors {
                put_varint(rec, author_ids.get(a.as_str()).copied().unwrap_or(0));
            }
            put_varint(rec, e.body.len() as u64);
            for p in &e.body {
                put_str(rec, p);
            }
            put_varint(rec, e.media.len() as u64);
            for m in &e.media {
                put_str(rec, &m.caption);
                put_str(rec, &m.credit);
            }
            put_varint(rec, e.sources.len() as u64);
            for s in &e.sources {
                put_varint(rec, files.get(s.file.as_str()).copied().unwrap_or(0) as u64);
                put_varint(rec, s.lines[0] as u64);
                put_varint(rec, s.lines[1] as u64);
            }
        }
        f.put(&block_bytes)?;
        entries_len += block_bytes.len() as u64;
    }
    entry_offsets.extend_from_slice(&entries_len.to_le_bytes());
    f.end();
    f.section(Section::EntryOffsets, &entry_offsets)?;
    let (buffered, total) = f.finish(&MAGIC)?;
    buffered.into_inner().map_err(|e| e.into_error())?;
    Ok(total)
}

fn flush_prefix<'t>(
    rows: &mut Vec<(&'t str, Vec<u32>)>,
    cur: Option<&'t str>,
    members: &mut Vec<(u32, u32)>,
) {
    if let Some(p) = cur {
        if members.len() > PREFIX_TOP_N {
            members.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            rows.push((p, members.iter().take(PREFIX_TOP_N).map(|m| m.1).collect()));
        }
    }
    members.clear();
}

fn p_minute_check(minute: u16) -> Option<u16> {
    (minute != NO_MINUTE && minute >= 1440).then_some(minute)
}

#[cfg(all(test, feature = "ingest"))]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn corpus() -> crate::ingest::Corpus {
        let manifest =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.toml");
        crate::ingest::from_manifest(&manifest).expect("the corpus ingests")
    }

    #[test]
    fn write_to_gives_the_bytes_of_write_with_and_leaves_the_spill_before_it_alone() {
        let c = corpus();
        let meta = Meta { title: c.title.clone(), timezone: c.timezone.clone() };
        for entry_block in [64, 8, 1] {
            let opts = Options { entry_block };
            let want = write_with(&c.entries, &meta, &opts, &mut |_| {}).expect("writes");
            // An output and a spill that already hold bytes: both are
            // written from their positions.
            let mut out = Cursor::new(b"xyz".to_vec());
            out.seek(SeekFrom::End(0)).expect("seeks");
            let mut spill = Cursor::new(b"keep me".to_vec());
            spill.seek(SeekFrom::End(0)).expect("seeks");
            let len = write_to(&c.entries, &meta, &opts, &mut |_| {}, &mut out, &mut spill)
                .expect("writes");
            assert_eq!(len, want.len() as u64);
            let out = out.into_inner();
            assert!(
                out[..3] == *b"xyz" && out[3..] == want,
                "entry_block {entry_block}: write_to differs from write_with"
            );
            assert!(spill.into_inner().starts_with(b"keep me"));
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        let c = corpus();
        let meta = Meta::default();
        let mut out = Cursor::new(Vec::new());
        let mut spill = Cursor::new(Vec::new());
        let zero = Options { entry_block: 0 };
        assert!(matches!(
            write_to(&c.entries, &meta, &zero, &mut |_| {}, &mut out, &mut spill),
            Err(WriteError::Index(IndexError::InvalidInput { .. }))
        ));
        let mut shuffled = c.entries.clone();
        shuffled.swap(0, 1);
        assert!(write_with(&shuffled, &meta, &Options::default(), &mut |_| {}).is_err());
    }
}
