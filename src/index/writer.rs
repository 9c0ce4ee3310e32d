//! Builds an index file from entries. Deterministic: the same entries and
//! meta give byte-identical output (no hash-map iteration order, no clocks,
//! integer-only quantization).
//!
//! The layouts written here are documented above their decoders in
//! [`super::reader`] and in [`crate::index`].

use std::collections::{BTreeMap, HashMap};

use super::format::*;
use super::{tops, IndexError, Meta};
use crate::score::{avg_len, Bm25f};
use crate::entry::Entry;
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
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
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
/// Returns the length (words) of each field.
pub fn for_each_term(e: &Entry, mut f: impl FnMut(usize, u32, String)) -> [u32; FIELDS] {
    let mut lens = [0u32; FIELDS];
    let mut run = |field: usize, texts: &mut dyn Iterator<Item = &str>, f: &mut dyn FnMut(usize, u32, String)| {
        let mut pos = 0u32;
        let mut first = true;
        for t in texts {
            if !first {
                pos = pos.saturating_add(POSITION_GAP);
            }
            first = false;
            for w in text::words(t) {
                f(field, pos, w.term);
                pos = pos.saturating_add(1);
                lens[field] = lens[field].saturating_add(1);
            }
        }
    };
    run(FIELD_TITLE, &mut std::iter::once(e.title.as_str()), &mut f);
    run(FIELD_BODY, &mut e.body.iter().map(String::as_str), &mut f);
    run(
        FIELD_CAPTIONS,
        &mut e.media.iter().flat_map(|m| [m.caption.as_str(), m.credit.as_str()]),
        &mut f,
    );
    run(FIELD_AUTHORS, &mut e.authors.iter().map(String::as_str), &mut f);
    lens
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
        let mut deltas = Vec::with_capacity(n);
        let mut masks = Vec::with_capacity(n);
        let mut tfs = Vec::new(); // per doc: FIELDS tfs
        let mut p = 0;
        for _ in 0..n {
            deltas.push(get_varint(&self.stage, &mut p).unwrap_or(0) as u32);
            let m = self.stage.get(p).copied().unwrap_or(0);
            p += 1;
            masks.push(m);
            let mut t = [0u32; FIELDS];
            for (f, tf) in t.iter_mut().enumerate() {
                if m & (1 << f) != 0 {
                    *tf = get_varint(&self.stage, &mut p).unwrap_or(1) as u32;
                }
            }
            tfs.push(t);
        }
        let simple = |i: usize| masks[i] == 1 << FIELD_BODY && tfs[i][FIELD_BODY] == 1;
        let bd = deltas.iter().map(|&d| bits(d)).max().unwrap_or(0);
        let bt = (0..n)
            .filter(|&i| !simple(i))
            .flat_map(|i| tfs[i].iter().filter(|&&t| t > 0).map(|&t| bits(t - 1)).collect::<Vec<_>>())
            .max()
            .unwrap_or(0);
        let start = self.docs.len();
        self.docs.push(bd as u8);
        self.docs.push(bt as u8);
        let mut w = BitWriter::default();
        for &d in &deltas {
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
/// progress to `progress`. See [`write_with_progress`].
pub fn write_with(
    entries: &[Entry],
    meta: &Meta,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<u8>, IndexError> {
    let entry_block = options.entry_block;
    if entry_block == 0 {
        return Err(invalid("the entry block size must be at least 1".to_string()));
    }
    let n = entries.len();
    if n >= u32::MAX as usize {
        return Err(invalid(format!("{n} entries is more than an index can hold")));
    }
    // Ids and date order.
    let mut n_dated = 0u32;
    let mut last_day = i32::MIN;
    for (i, e) in entries.iter().enumerate() {
        if e.id as usize != i {
            return Err(invalid(format!("entry at position {i} has id {} (ids must be 0..n in order)", e.id)));
        }
        match e.published {
            Some(p) => {
                if n_dated as usize != i {
                    return Err(invalid(format!("entry {i} is dated but follows an undated entry")));
                }
                if p.day < last_day {
                    return Err(invalid(format!("entry {i} is dated before entry {}", i - 1)));
                }
                if p.day == NO_DAY {
                    return Err(invalid(format!("entry {i} has an out-of-range day")));
                }
                last_day = p.day;
                n_dated += 1;
            }
            None => {}
        }
    }

    // Invert.
    // Terms of up to 15 bytes (nearly all) are keyed inline, so a lookup
    // touches one bucket and no heap string.
    let mut short_ids: FxMap<Short, u32> = FxMap::default();
    let mut ids: FxMap<String, u32> = FxMap::default();
    let mut terms: Vec<String> = Vec::new();
    let mut bufs: Vec<TermBuf> = Vec::new();
    let norms_q = Norms::new();
    let mut norms = Vec::with_capacity(n * FIELDS);
    let mut field_totals = [0u64; FIELDS];
    let mut occ: Vec<(u32, u8, u32)> = Vec::new();
    let mut group: Vec<(u8, u32)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        occ.clear();
        let lens = for_each_term(e, |field, pos, term| {
            let found = match Short::of(&term) {
                Some(k) => short_ids.get(&k).copied(),
                None => ids.get(&term).copied(),
            };
            let tid = match found {
                Some(t) => t,
                None => {
                    let t = terms.len() as u32;
                    match Short::of(&term) {
                        Some(k) => {
                            short_ids.insert(k, t);
                        }
                        None => {
                            ids.insert(term.clone(), t);
                        }
                    }
                    terms.push(term);
                    bufs.push(TermBuf::default());
                    t
                }
            };
            occ.push((tid, field as u8, pos));
        });
        for f in 0..FIELDS {
            norms.push(norms_q.encode(lens[f]));
            field_totals[f] += lens[f] as u64;
        }
        occ.sort_unstable();
        let mut k = 0;
        while k < occ.len() {
            let tid = occ[k].0;
            group.clear();
            while k < occ.len() && occ[k].0 == tid {
                group.push((occ[k].1, occ[k].2));
                k += 1;
            }
            bufs[tid as usize].add(i as u32, &group);
        }
        if i % 1024 == 1023 {
            progress(Progress::Indexing { done: i + 1, total: n });
        }
    }
    progress(Progress::Indexing { done: n, total: n });
    progress(Progress::Writing);
    drop(ids);
    drop(short_ids);

    // Dictionary in byte order; ordinals are ranks in that order.
    let mut order: Vec<u32> = (0..terms.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| terms[a as usize].as_bytes().cmp(terms[b as usize].as_bytes()));
    let mut fst_b = fst::MapBuilder::memory();
    let mut postings = Vec::new();
    let mut offsets = Vec::with_capacity(order.len() + 1);
    let mut dfs = Vec::with_capacity(order.len());
    let mut bufs: Vec<Option<TermBuf>> = bufs.into_iter().map(Some).collect();
    // Each term's best entries, scored by the model the search uses.
    let norm_len: [u32; 256] = std::array::from_fn(|c| norms_q.decode(c as u8));
    let model = Bm25f::new(&avg_len(field_totals, n as u64), &norm_len);
    let mut tops = Vec::new();
    let mut top_offsets = Vec::with_capacity(order.len() + 1);
    let mut scratch = Vec::new();
    for (ord, &tid) in order.iter().enumerate() {
        fst_b.insert(terms[tid as usize].as_bytes(), ord as u64).map_err(fst_err)?;
        let buf = bufs[tid as usize].take().unwrap_or_default();
        let start = postings.len();
        offsets.push(start as u64);
        let df = buf.df;
        dfs.push(df);
        buf.finish(&mut postings);
        top_offsets.push(tops.len() as u64);
        tops::write(&postings[start..], df, n as u32, n_dated, &norms, &model, &mut scratch, &mut tops)?;
    }
    offsets.push(postings.len() as u64);
    top_offsets.push(tops.len() as u64);
    drop(scratch);
    drop(bufs);
    let terms_fst = fst_b.into_inner().map_err(fst_err)?;

    // Term info: [offset width u8][df width u8][top width u8] then
    // (n_terms + 1) rows.
    let ow = width_of(postings.len() as u64);
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
            return Err(invalid(format!("entry {} has minute {m} (must be below 1440)", e.id)));
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

    // Lay out the file. The entry table, as large as the text, is written
    // straight into the output (no second copy); `entry_offsets` follows it.
    let small: [(Section, Vec<u8>); 13] = [
        (Section::Meta, meta_sec),
        (Section::Terms, terms_fst),
        (Section::TermInfo, term_info),
        (Section::Postings, postings),
        (Section::PrefixTerms, prefix_fst),
        (Section::PrefixLists, prefix_lists),
        (Section::Norms, norms),
        (Section::Tops, tops),
        (Section::Dates, dates),
        (Section::Days, days_sec),
        (Section::Authors, authors_sec),
        (Section::AuthorLists, author_lists),
        (Section::Files, files_sec),
    ];
    let table_len = (small.len() + 2) * SECTION_ROW_LEN;
    let text: usize = entries.iter().map(|e| e.title.len() + e.body.iter().map(String::len).sum::<usize>()).sum();
    let mut out: Vec<u8> = Vec::with_capacity(
        HEADER_LEN + table_len + small.iter().map(|s| s.1.len()).sum::<usize>() + text + text / 8 + FOOTER_LEN,
    );
    out.resize(HEADER_LEN + table_len, 0);
    let mut rows: Vec<(Section, usize, usize)> = Vec::with_capacity(small.len() + 2);
    for (sec, bytes) in small {
        let at = out.len();
        out.extend_from_slice(&bytes);
        rows.push((sec, at, bytes.len()));
    }
    // Entry table.
    let entries_start = out.len();
    let mut entry_offsets = Vec::new();
    let mut rec = Vec::new();
    for block in entries.chunks(entry_block as usize) {
        entry_offsets.extend_from_slice(&((out.len() - entries_start) as u64).to_le_bytes());
        let start = out.len();
        out.resize(start + 4 * block.len(), 0);
        for (j, e) in block.iter().enumerate() {
            let rel = u32::try_from(out.len() - start)
                .map_err(|_| invalid(format!("entry block {} is larger than 4 GiB", e.id / entry_block)))?;
            out[start + 4 * j..start + 4 * j + 4].copy_from_slice(&rel.to_le_bytes());
            rec.clear();
            rec.push(e.title_derived as u8);
            put_str(&mut rec, &e.title);
            put_str(&mut rec, &e.date_basis);
            put_varint(&mut rec, e.authors.len() as u64);
            for a in &e.authors {
                put_varint(&mut rec, author_ids.get(a.as_str()).copied().unwrap_or(0));
            }
            put_varint(&mut rec, e.body.len() as u64);
            for p in &e.body {
                put_str(&mut rec, p);
            }
            put_varint(&mut rec, e.media.len() as u64);
            for m in &e.media {
                put_str(&mut rec, &m.caption);
                put_str(&mut rec, &m.credit);
            }
            put_varint(&mut rec, e.sources.len() as u64);
            for s in &e.sources {
                put_varint(&mut rec, files.get(s.file.as_str()).copied().unwrap_or(0) as u64);
                put_varint(&mut rec, s.lines[0] as u64);
                put_varint(&mut rec, s.lines[1] as u64);
            }
            out.extend_from_slice(&rec);
        }
    }
    entry_offsets.extend_from_slice(&((out.len() - entries_start) as u64).to_le_bytes());

    rows.push((Section::Entries, entries_start, out.len() - entries_start));
    let at = out.len();
    out.extend_from_slice(&entry_offsets);
    rows.push((Section::EntryOffsets, at, entry_offsets.len()));
    finish_frame(&mut out, &rows, &MAGIC);
    Ok(out)
}

fn flush_prefix<'t>(rows: &mut Vec<(&'t str, Vec<u32>)>, cur: Option<&'t str>, members: &mut Vec<(u32, u32)>) {
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
