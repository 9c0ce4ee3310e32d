//! Postings lists and the cursors that walk them.
//!
//! A term's list is decoded lazily, block by block of [`POSTING_BLOCK`]
//! documents, into fixed arrays (no allocation per posting): document ids,
//! per-field frequencies, and positions only when a phrase asks. The layout
//! is in `docs/format.md` ("postings") and above [`Postings`].

use crate::index::error::IndexError;
use crate::index::format::{get_varint, BitReader, Section, FIELDS, FIELD_BODY, POSTING_BLOCK};

fn pbad(what: &'static str) -> IndexError {
    IndexError::Corrupt { section: Section::Postings.name(), what }
}

/// The postings list of one term, not yet decoded.
///
/// ```text
/// one block (df ≤ 128):   doc_bytes varint | doc block | position block
/// several blocks:         skip_bytes varint | skip table | doc blocks | position blocks
/// skip table, per block:  last doc − previous block's last doc (first: absolute) varint
///                         | doc block bytes varint | position block bytes varint
/// doc block (n = 128, or what is left in the last block):
///   bd u8 | bt u8 | bits, least significant first, zero-padded to a byte:
///     n × bd bits   doc − previous doc − 1 (previous doc of the list's first: −1)
///     n × 1 bit     simple: the term occurs once, in the body
///     4 bits        field mask, per doc that is not simple
///     bt bits       tf − 1, per non-simple doc, per field in its mask, ascending
/// position block:  k u8 | Rice(k) codes (unary quotient of ones closed by a zero,
///   then k low bits; a quotient ≥ 32 is 32 ones and the value in 32 bits):
///   per doc, per field in its mask ascending, tf values: first position, then gap − 1
/// ```
#[derive(Clone, Copy)]
pub(crate) struct Postings<'a> {
    skip: &'a [u8],
    docs: &'a [u8],
    pos: &'a [u8],
    df: u32,
    n_entries: u32,
}

impl<'a> Postings<'a> {
    pub(crate) fn new(b: &'a [u8], df: u32, n_entries: u32) -> Result<Postings<'a>, IndexError> {
        let bad = pbad;
        let mut pos = 0;
        let first = get_varint(b, &mut pos).ok_or_else(|| bad("list header"))? as usize;
        let nblocks = (df as usize).div_ceil(POSTING_BLOCK);
        if nblocks <= 1 {
            let docs_end = pos
                .checked_add(first)
                .filter(|&e| e <= b.len())
                .ok_or_else(|| bad("doc block length"))?;
            Ok(Postings { skip: &[], docs: &b[pos..docs_end], pos: &b[docs_end..], df, n_entries })
        } else {
            let skip_end = pos
                .checked_add(first)
                .filter(|&e| e <= b.len())
                .ok_or_else(|| bad("skip table length"))?;
            let skip = &b[pos..skip_end];
            // Sum the doc block lengths to find where positions start.
            let mut sp = 0;
            let mut docs_len: usize = 0;
            for _ in 0..nblocks {
                get_varint(skip, &mut sp).ok_or_else(|| bad("skip table"))?;
                let dl = get_varint(skip, &mut sp).ok_or_else(|| bad("skip table"))?;
                get_varint(skip, &mut sp).ok_or_else(|| bad("skip table"))?;
                docs_len = docs_len.checked_add(dl as usize).ok_or_else(|| bad("skip table"))?;
            }
            let docs_end = skip_end
                .checked_add(docs_len)
                .filter(|&e| e <= b.len())
                .ok_or_else(|| bad("doc blocks length"))?;
            Ok(Postings { skip, docs: &b[skip_end..docs_end], pos: &b[docs_end..], df, n_entries })
        }
    }

    /// Number of documents.
    pub fn df(&self) -> u32 {
        self.df
    }

    /// A cursor at the first document.
    pub fn cursor(&self) -> Result<PostingCursor<'a>, IndexError> {
        self.open(false, None)
    }

    fn open(
        &self,
        ids_only: bool,
        lazy: Option<Lazy<'a>>,
    ) -> Result<PostingCursor<'a>, IndexError> {
        let mut c = PostingCursor {
            p: *self,
            skip_pos: 0,
            next_block: 0,
            block_prev: 0,
            next_doc_off: 0,
            next_pos_off: 0,
            n: 0,
            i: 0,
            docs: [0; POSTING_BLOCK],
            tfs: [[0; FIELDS]; POSTING_BLOCK],
            masks: [0; POSTING_BLOCK],
            block_pos: 0,
            pos_doc: 0,
            pos_off: 0,
            done: false,
            last_block_last: 0,
            peek_skip_end: 0,
            ids_only,
            lazy,
        };
        c.load_next_block()?;
        Ok(c)
    }

    /// A cursor that decodes document ids only (its `tfs` are meaningless):
    /// for counting matches, about twice as fast.
    pub fn id_cursor(&self) -> Result<PostingCursor<'a>, IndexError> {
        self.open(true, None)
    }

    /// A cursor that decodes document ids a block at a time and a
    /// document's frequencies only when [`PostingCursor::freqs`] asks: for
    /// scoring some of a list's documents (those that match every word, or
    /// a few candidates) without decoding every frequency of the list.
    /// Positions are not available from it.
    pub fn lazy_cursor(&self) -> Result<PostingCursor<'a>, IndexError> {
        self.open(true, Some(Lazy::default()))
    }
}

/// Where a lazily decoded block keeps its frequencies (see
/// [`Postings::lazy_cursor`]).
#[derive(Clone, Copy, Default)]
struct Lazy<'a> {
    /// The block's bits (after its two width bytes).
    body: &'a [u8],
    /// Bit i: document i of the block is simple (once, in the body).
    simple: u128,
    /// Bit offsets of the field masks and of the frequencies.
    masks_at: usize,
    tfs_at: usize,
    bt: u32,
    /// A complex document's index among the block's complex ones, and the
    /// bit offset (from `tfs_at`) of its frequencies: where the last call
    /// left off, as cursors only move forward.
    j: usize,
    off: usize,
}

/// Iterates a postings list block by block: a block's documents and
/// frequencies are decoded together into fixed arrays (no allocation per
/// posting); positions are decoded only when asked for.
pub(crate) struct PostingCursor<'a> {
    p: Postings<'a>,
    /// Decode document ids only (see [`Postings::id_cursor`]).
    ids_only: bool,
    skip_pos: usize,
    next_block: usize,
    /// Last doc of the block before the current one.
    block_prev: u32,
    next_doc_off: usize,
    next_pos_off: usize,
    n: usize,
    i: usize,
    docs: [u32; POSTING_BLOCK],
    tfs: [[u32; FIELDS]; POSTING_BLOCK],
    masks: [u8; POSTING_BLOCK],
    /// Start of the current block's positions in `p.pos`.
    block_pos: usize,
    /// Index (in the block) of the doc whose positions start at `pos_off`.
    pos_doc: usize,
    pos_off: usize,
    done: bool,
    last_block_last: u32,
    peek_skip_end: usize,
    /// Set for a cursor that decodes frequencies on demand.
    lazy: Option<Lazy<'a>>,
}

/// Largest doc block (bits part) a reader accepts, plus 8 bytes of padding:
/// 128 deltas and tfs of 32 bits, flags and masks.
const BLOCK_BUF: usize = 8
    + POSTING_BLOCK * (4 + 1)
    + POSTING_BLOCK / 8
    + POSTING_BLOCK / 2
    + POSTING_BLOCK * FIELDS * 4;

/// A doc block's bits copied into a zero-padded buffer, so that every read
/// is one unaligned 8-byte load, bounds checked by the slice length.
struct BlockBits {
    buf: [u8; BLOCK_BUF],
    /// Bits of the block (the rest is padding).
    avail: usize,
}

impl BlockBits {
    /// `width` (≤ 32) bits from bit `bitpos`.
    #[inline(always)]
    fn read(&self, bitpos: usize, width: u32) -> u32 {
        let i = bitpos / 8;
        let w = match self.buf.get(i..i + 8) {
            Some(s) => u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]),
            None => 0,
        };
        ((w >> (bitpos % 8)) & ((1u64 << width) - 1)) as u32
    }
}

impl<'a> Lazy<'a> {
    /// Where the frequencies of a block (`body`, decoded up to bit `bp`: its
    /// `count` doc gaps) lie, with their lengths checked; and the bit
    /// position after them.
    #[inline(always)]
    fn of_block(
        body: &'a [u8],
        bits: &BlockBits,
        mut bp: usize,
        count: usize,
        bt: u32,
    ) -> Result<(Lazy<'a>, usize), IndexError> {
        let (avail, read) = (bits.avail, |bitpos, width| bits.read(bitpos, width));
        if bp + count > avail {
            return Err(pbad("doc block"));
        }
        let mut simple = 0u128;
        for base in (0..count).step_by(32) {
            let w = (count - base).min(32) as u32;
            simple |= (read(bp + base, w) as u128) << base;
        }
        bp += count;
        let ncomplex = count - simple.count_ones() as usize;
        if bp + ncomplex * FIELDS > avail {
            return Err(pbad("field masks"));
        }
        let mut nvals = 0usize;
        for k in 0..ncomplex {
            let m = read(bp + k * FIELDS, FIELDS as u32);
            if m == 0 {
                return Err(pbad("empty field mask"));
            }
            nvals += m.count_ones() as usize;
        }
        let tfs_at = bp + ncomplex * FIELDS;
        bp = tfs_at + nvals * bt as usize;
        if bp.div_ceil(8) != body.len() {
            return Err(pbad("doc block length"));
        }
        let lz =
            Lazy { body, simple, masks_at: tfs_at - ncomplex * FIELDS, tfs_at, bt, j: 0, off: 0 };
        Ok((lz, bp))
    }
}

impl Lazy<'_> {
    /// The frequencies of document `i` of the block.
    #[inline]
    fn freqs(&mut self, i: usize) -> [u32; FIELDS] {
        if i >= POSTING_BLOCK || self.simple >> i & 1 == 1 {
            return SIMPLE;
        }
        // Its index among the complex documents, then its offset: the
        // frequencies of those before it, one per field in their masks.
        let j = i - (self.simple & ((1u128 << i) - 1)).count_ones() as usize;
        if j < self.j {
            (self.j, self.off) = (0, 0);
        }
        while self.j < j {
            self.off += bits(self.body, self.masks_at + self.j * FIELDS, FIELDS as u32).count_ones()
                as usize
                * self.bt as usize;
            self.j += 1;
        }
        let mut m = bits(self.body, self.masks_at + j * FIELDS, FIELDS as u32);
        let mut out = [0u32; FIELDS];
        let mut at = self.tfs_at + self.off;
        while m != 0 {
            let f = m.trailing_zeros() as usize;
            out[f & (FIELDS - 1)] = bits(self.body, at, self.bt).saturating_add(1);
            at += self.bt as usize;
            m &= m - 1;
        }
        out
    }
}

/// The frequencies of a simple posting: once, in the body.
pub(crate) const SIMPLE: [u32; FIELDS] = [0, 1, 0, 0];

/// `width` (≤ 32) bits of `b` from bit `pos`, least significant first
/// (zeros past the end).
#[inline]
fn bits(b: &[u8], pos: usize, width: u32) -> u32 {
    let i = pos / 8;
    let w = match b.get(i..i + 8) {
        Some(&[a, b, c, d, e, f, g, h]) => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => {
            let mut t = [0u8; 8];
            for (k, x) in b.iter().skip(i).take(8).enumerate() {
                t[k] = *x;
            }
            u64::from_le_bytes(t)
        }
    };
    ((w >> (pos % 8)) & ((1u64 << width) - 1)) as u32
}

impl<'a> PostingCursor<'a> {
    /// The current document, or `u32::MAX` when exhausted.
    #[inline]
    pub fn doc(&self) -> u32 {
        if self.done {
            u32::MAX
        } else {
            self.docs.get(self.i).copied().unwrap_or(u32::MAX)
        }
    }

    /// Per-field term frequencies of the current document.
    #[inline]
    pub fn tfs(&self) -> &[u32; FIELDS] {
        &self.tfs[self.i.min(POSTING_BLOCK - 1)]
    }

    /// Per-field term frequencies of the current document, from a lazy
    /// cursor (decoded now) or any other.
    #[inline]
    pub fn freqs(&mut self) -> [u32; FIELDS] {
        let i = self.i.min(POSTING_BLOCK - 1);
        match &mut self.lazy {
            None => self.tfs[i],
            Some(lz) => lz.freqs(i),
        }
    }

    /// Calls `f(docs, frequencies)` with the rest of the current block, then
    /// with every following block: for loops over a block's arrays.
    pub fn for_each_block(
        &mut self,
        mut f: impl FnMut(&[u32], &[[u32; FIELDS]]),
    ) -> Result<(), IndexError> {
        while !self.done {
            let (i, n) = (self.i.min(self.n), self.n);
            f(&self.docs[i..n], &self.tfs[i..n]);
            self.i = n;
            self.load_next_block()?;
        }
        Ok(())
    }

    /// Moves to the next document.
    #[inline]
    pub fn advance(&mut self) -> Result<(), IndexError> {
        if self.done {
            return Ok(());
        }
        self.i += 1;
        if self.i >= self.n {
            self.load_next_block()?;
        }
        Ok(())
    }

    /// Calls `f(doc, tfs)` for every document from the current one up to
    /// (not including) `end`, a block at a time, and stops there.
    #[inline]
    pub fn for_each_until(
        &mut self,
        end: u32,
        mut f: impl FnMut(u32, &[u32; FIELDS]),
    ) -> Result<(), IndexError> {
        while !self.done {
            let n = self.n;
            let mut i = self.i;
            while i < n {
                let d = self.docs[i];
                if d >= end {
                    self.i = i;
                    return Ok(());
                }
                f(d, &self.tfs[i]);
                i += 1;
            }
            self.i = n;
            self.load_next_block()?;
        }
        Ok(())
    }

    /// Moves to the first document ≥ `target`, skipping whole blocks.
    #[inline]
    pub fn seek(&mut self, target: u32) -> Result<(), IndexError> {
        if self.done || self.docs.get(self.i).is_none_or(|&d| d >= target) {
            return Ok(());
        }
        self.seek_slow(target)
    }

    #[inline(never)]
    fn seek_slow(&mut self, target: u32) -> Result<(), IndexError> {
        // Skip blocks whose last doc is below the target.
        if self.docs[self.n - 1] < target {
            loop {
                if self.next_block >= self.block_count() {
                    self.done = true;
                    return Ok(());
                }
                let (last, dl, pl) = self.peek_skip()?;
                if last >= target {
                    break;
                }
                self.skip_pos = self.peek_skip_end;
                self.next_block += 1;
                self.block_prev = last;
                self.last_block_last = last;
                self.next_doc_off += dl;
                self.next_pos_off += pl;
            }
            self.load_next_block()?;
        }
        while !self.done && self.docs[self.i] < target {
            self.i += 1;
            if self.i >= self.n {
                self.load_next_block()?;
            }
        }
        Ok(())
    }

    fn block_count(&self) -> usize {
        (self.p.df as usize).div_ceil(POSTING_BLOCK)
    }

    /// The skip row of `next_block`: (last doc, doc bytes, position bytes).
    fn peek_skip(&mut self) -> Result<(u32, usize, usize), IndexError> {
        if self.p.skip.is_empty() {
            // A single block: no skip table. Decode it instead.
            return Ok((u32::MAX, self.p.docs.len(), self.p.pos.len()));
        }
        let mut sp = self.skip_pos;
        let d = get_varint(self.p.skip, &mut sp).ok_or_else(|| pbad("skip table"))?;
        let dl = get_varint(self.p.skip, &mut sp).ok_or_else(|| pbad("skip table"))? as usize;
        let pl = get_varint(self.p.skip, &mut sp).ok_or_else(|| pbad("skip table"))? as usize;
        self.peek_skip_end = sp;
        let last =
            (self.last_block_last as u64).checked_add(d).filter(|&l| l < self.p.n_entries as u64);
        Ok((last.ok_or_else(|| pbad("skip table doc out of range"))? as u32, dl, pl))
    }

    fn load_next_block(&mut self) -> Result<(), IndexError> {
        // Done until the block decodes: a cursor that hit an error reads as
        // exhausted rather than pointing past its arrays.
        self.done = true;
        let nb = self.block_count();
        if self.next_block >= nb {
            return Ok(());
        }
        let (last, dl, pl) = self.peek_skip()?;
        if !self.p.skip.is_empty() {
            self.skip_pos = self.peek_skip_end;
        }
        let ds = self.next_doc_off;
        let de = ds
            .checked_add(dl)
            .filter(|&e| e <= self.p.docs.len())
            .ok_or_else(|| pbad("doc block"))?;
        let block = &self.p.docs[ds..de];
        let count = if self.next_block + 1 == nb {
            self.p.df as usize - POSTING_BLOCK * (nb - 1)
        } else {
            POSTING_BLOCK
        };
        let (bd, bt) = match block {
            [bd @ 0..=32, bt @ 0..=32, ..] => (*bd as u32, *bt as u32),
            _ => return Err(pbad("doc block widths")),
        };
        let body = &block[2..];
        if body.len() > BLOCK_BUF - 8 {
            return Err(pbad("doc block too long"));
        }
        // Filled in place: the buffer is kilobytes, and this runs per block.
        let mut bits = BlockBits { buf: [0u8; BLOCK_BUF], avail: body.len() * 8 };
        bits.buf[..body.len()].copy_from_slice(body);
        let (avail, read) = (bits.avail, |bitpos, width| bits.read(bitpos, width));
        let mut bp = 0usize;
        // n × bd: doc deltas.
        if bp + count * bd as usize > avail {
            return Err(pbad("doc block"));
        }
        let mut prev: i64 = if self.next_block == 0 { -1 } else { self.last_block_last as i64 };
        for k in 0..count {
            prev += read(bp, bd) as i64 + 1;
            bp += bd as usize;
            self.docs[k] = prev as u32;
        }
        if prev >= self.p.n_entries as i64 || (!self.p.skip.is_empty() && prev != last as i64) {
            return Err(pbad("document out of range"));
        }
        if let Some(lz) = &mut self.lazy {
            // Frequencies on demand: note where they are, check the lengths.
            (*lz, bp) = Lazy::of_block(body, &bits, bp, count, bt)?;
        }
        // Counting needs the documents only: leave frequencies undecoded.
        if !self.ids_only {
            self.decode_freqs(&bits, bp, count, bt)?;
        }
        self.n = count;
        self.i = 0;
        self.block_pos = self.next_pos_off;
        self.next_pos_off =
            self.next_pos_off.checked_add(pl).ok_or_else(|| pbad("position block"))?;
        if self.next_pos_off > self.p.pos.len() || pl == 0 {
            return Err(pbad("position block"));
        }
        self.pos_doc = 0;
        self.pos_off = 0;
        self.next_doc_off = de;
        self.block_prev = self.last_block_last;
        self.last_block_last = prev as u32;
        self.next_block += 1;
        self.done = count == 0;
        Ok(())
    }

    /// Decodes the frequencies and field masks of the block's `count`
    /// documents, from bit `bp` of `bits` (after the doc gaps).
    #[inline(always)]
    fn decode_freqs(
        &mut self,
        bits: &BlockBits,
        mut bp: usize,
        count: usize,
        bt: u32,
    ) -> Result<(), IndexError> {
        let (avail, read) = (bits.avail, |bitpos, width| bits.read(bitpos, width));
        // n × 1: simple flags. Every doc starts as simple; the others are
        // visited by iterating the zero bits, so there is no branch per doc.
        if bp + count > avail {
            return Err(pbad("doc block"));
        }
        let flags_at = bp;
        bp += count;
        for k in 0..count {
            self.masks[k] = 1 << FIELD_BODY;
            self.tfs[k] = [0, 1, 0, 0];
        }
        let mut complex_buf = [0u8; POSTING_BLOCK];
        let mut ncomplex = 0usize;
        let mut base = 0;
        while base < count {
            let w = (count - base).min(32);
            let valid = if w == 32 { u32::MAX } else { (1u32 << w) - 1 };
            let mut c = !read(flags_at + base, w as u32) & valid;
            while c != 0 {
                if let Some(slot) = complex_buf.get_mut(ncomplex) {
                    *slot = (base + c.trailing_zeros() as usize) as u8;
                }
                ncomplex += 1;
                c &= c - 1;
            }
            base += 32;
        }
        let complex = &complex_buf[..ncomplex.min(POSTING_BLOCK)];
        if !complex.is_empty() {
            if bp + complex.len() * FIELDS > avail {
                return Err(pbad("field masks"));
            }
            let mut nvals = 0usize;
            for &k in complex {
                let m = read(bp, FIELDS as u32) as u8;
                bp += FIELDS;
                if m == 0 {
                    return Err(pbad("empty field mask"));
                }
                self.masks[k as usize] = m;
                nvals += m.count_ones() as usize;
            }
            if bp + nvals * bt as usize > avail {
                return Err(pbad("frequencies"));
            }
            for &k in complex {
                let mut m = self.masks[k as usize];
                // Written in place: building a local array and copying it
                // stalls on store forwarding.
                let tf = &mut self.tfs[k as usize];
                tf[FIELD_BODY] = 0;
                while m != 0 {
                    let f = m.trailing_zeros() as usize;
                    tf[f & (FIELDS - 1)] = read(bp, bt).saturating_add(1);
                    bp += bt as usize;
                    m &= m - 1;
                }
            }
        }
        if bp.div_ceil(8) * 8 != avail {
            return Err(pbad("doc block length"));
        }
        Ok(())
    }

    /// Appends the positions of the current document in `field` to `out`
    /// (not from a lazy cursor).
    ///
    /// ```text
    /// position block: k u8 | Rice(k) codes, per doc, per field in its mask
    ///                 ascending, tf values: first position, then gap − 1
    /// ```
    pub fn positions(&mut self, field: usize, out: &mut Vec<u32>) -> Result<(), IndexError> {
        if self.done {
            return Ok(());
        }
        let block = self
            .p
            .pos
            .get(self.block_pos..self.next_pos_off)
            .ok_or_else(|| pbad("position block"))?;
        let (k, bits) = match block {
            [k @ 0..=31, rest @ ..] => (*k as u32, rest),
            _ => return Err(pbad("position block")),
        };
        // `pos_off` is the bit offset of doc `pos_doc`'s positions.
        if self.pos_doc > self.i {
            self.pos_doc = 0;
            self.pos_off = 0;
        }
        let mut r = BitReader::new(bits);
        r.pos = self.pos_off;
        while self.pos_doc < self.i {
            let total: u32 = self.tfs[self.pos_doc].iter().sum();
            for _ in 0..total {
                r.get_rice(k).ok_or_else(|| pbad("positions"))?;
            }
            self.pos_doc += 1;
        }
        self.pos_off = r.pos;
        let tfs = self.tfs[self.i];
        for (f, &tf) in tfs.iter().enumerate() {
            let mut prev = 0u32;
            for j in 0..tf {
                let v = r.get_rice(k).ok_or_else(|| pbad("positions"))?;
                let cur = if j == 0 {
                    Some(v)
                } else {
                    prev.checked_add(v).and_then(|x| x.checked_add(1))
                };
                let cur = cur.ok_or_else(|| pbad("positions"))?;
                if f == field {
                    out.push(cur);
                }
                prev = cur;
            }
        }
        Ok(())
    }

    /// The field mask of the current document.
    pub fn mask(&self) -> u8 {
        self.masks[self.i.min(POSTING_BLOCK - 1)]
    }
}

#[cfg(test)]
mod bench {
    use crate::index::{write, Index, Meta};
    use crate::model::date::Published;
    use crate::model::entry::Entry;

    /// Decoding throughput of a long list (run with `--ignored --nocapture`, release).
    #[test]
    #[ignore]
    fn decode_throughput() {
        let n = 100_000u32;
        let entries: Vec<Entry> = (0..n)
            .map(|id| Entry {
                id,
                title: if id % 7 == 0 { "the title".into() } else { "a title".into() },
                title_derived: false,
                published: Some(Published { day: 19_000, minute: None, offset: 0 }),
                date_basis: String::new(),
                authors: vec![],
                body: vec![if id % 3 == 0 {
                    "the cat and the dog".into()
                } else {
                    "the cat".into()
                }],
                media: vec![],
                sources: vec![],
                url: None,
            })
            .collect();
        let b = write(&entries, &Meta::default()).unwrap();
        let ix = Index::open(b).unwrap();
        let ord = ix.term_ord("the").unwrap().unwrap();
        let t = std::time::Instant::now();
        let mut sum = 0u64;
        let rounds = 50;
        for _ in 0..rounds {
            let mut c = ix.postings(ord).unwrap().cursor().unwrap();
            c.for_each_until(u32::MAX, |d, tfs| sum += d as u64 + tfs[1] as u64).unwrap();
        }
        let per = t.elapsed().as_nanos() as f64 / (rounds as f64 * n as f64);
        println!("decode: {per:.2} ns/doc ({sum})");
    }
}

#[cfg(test)]
mod lazy {
    use crate::index::{write, Index, Meta};
    use crate::model::date::Published;
    use crate::model::entry::Entry;

    /// A lazy cursor's frequencies are the eager decoder's, read in order
    /// and after seeks that skip documents and blocks.
    #[test]
    fn lazy_frequencies_equal_eager_ones() {
        let words = ["the", "cat", "dog", "and"];
        let entries: Vec<Entry> = (0..2000u32)
            .map(|id| {
                // Frequencies and fields that vary from entry to entry.
                let pick = |k: u32| words[((id * 7 + k * 3) % 4) as usize];
                let body: Vec<String> =
                    (0..id % 5).map(|k| format!("{} {} the", pick(k), pick(k + id % 3))).collect();
                Entry {
                    id,
                    title: if id % 3 == 0 { format!("{} the", pick(9)) } else { "a title".into() },
                    title_derived: false,
                    published: Some(Published {
                        day: 19_000 + (id / 100) as i32,
                        minute: None,
                        offset: 0,
                    }),
                    date_basis: String::new(),
                    authors: if id % 4 == 0 { vec!["The Cat".into()] } else { vec![] },
                    body,
                    media: vec![],
                    sources: vec![],
                    url: None,
                }
            })
            .collect();
        let ix = Index::open(write(&entries, &Meta::default()).unwrap()).unwrap();
        for w in words {
            let Some(ord) = ix.term_ord(w).unwrap() else { continue };
            let p = ix.postings(ord).unwrap();
            let mut eager = Vec::new();
            p.cursor().unwrap().for_each_until(u32::MAX, |d, t| eager.push((d, *t))).unwrap();
            assert!(eager.len() > 300, "{w}: a list of several blocks");
            assert!(eager.iter().any(|e| e.1 != super::SIMPLE), "{w}: complex postings too");
            for step in [1usize, 2, 5, 130] {
                let mut c = p.lazy_cursor().unwrap();
                for &(d, t) in eager.iter().step_by(step) {
                    c.seek(d).unwrap();
                    assert_eq!((c.doc(), c.freqs()), (d, t), "{w} step {step}");
                }
            }
        }
    }
}
