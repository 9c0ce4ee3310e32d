//! Encodes a term's postings list as its documents arrive (the layout the
//! reader's [`crate::index::postings::Postings`] decodes).

use crate::index::format::{
    best_rice, bits, get_varint, put_varint, BitWriter, FIELDS, FIELD_BODY, POSTING_BLOCK,
};

/// The postings of one term while it is being built. The current block is
/// staged as varints (compact while the whole corpus is in memory) and
/// re-encoded as bits when it closes.
#[derive(Default)]
pub(super) struct TermBuf {
    /// Documents added so far.
    pub(super) df: u32,
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
    pub(super) fn add(&mut self, doc: u32, occ: &[(u8, u32)]) {
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

    /// Encodes the staged block (layout: see `postings::Postings`).
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
        for (i, &m) in masks.iter().enumerate() {
            if !simple(i) {
                w.put(m as u32, FIELDS as u32);
            }
        }
        for (i, tf) in tfs.iter().enumerate() {
            if !simple(i) {
                for &t in tf.iter().filter(|&&t| t > 0) {
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
    pub(super) fn finish(mut self, out: &mut Vec<u8>) {
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
