//! Splits a written index into a root and shards, for archives too large
//! to download whole (the layout is in `docs/format.md`, "Sharded indexes").
//!
//! The split is a pure function of the single-file index and the options:
//! no record is re-encoded. Dictionary pieces get their own `fst::Map`
//! (values stay global ordinals) and a copy of their `term_info` rows; every
//! other piece is a byte range of its section cut at record boundaries.
//! Each shard goes to `store`, which names it (the first 8 bytes of its
//! SHA-256) and writes it wherever shards go.
//!
//! A dictionary piece also carries the `postings` and `tops` directory
//! pages that list its terms' pieces (they stay shards of their own too):
//! once a query has its words' dictionary pieces, it knows the lists' shards,
//! and fetches them in the next round instead of a page first.

use fst::Streamer;

use crate::index::error::IndexError;
use crate::index::format::{
    frame, get_uint, put_varint, term_info_widths, Cursor, Section, ShardId, FIELDS, MAGIC,
    SHARD_MAGIC, SPLIT,
};
use crate::index::read::Index;

/// How big the pieces of a sharded index are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardOptions {
    /// Target bytes of a dictionary piece (fst and term-info rows).
    pub dict_bytes: usize,
    /// Target bytes of a postings piece (a longer list is a piece alone).
    pub postings_bytes: usize,
    /// Target bytes of a `tops` piece (a one-word query's first fetch).
    pub tops_bytes: usize,
    /// Target bytes of a `prefix_lists` or `author_lists` piece.
    pub list_bytes: usize,
    /// Entries per `norms` piece.
    pub norms_entries: u32,
    /// Entries per `dates` piece.
    pub dates_entries: u32,
    /// Pieces listed per directory page.
    pub page_pieces: usize,
}

impl Default for ShardOptions {
    /// Measured at 1M entries (README, "Sharding"): pieces of about
    /// 16 KiB keep a query's fetches small; a page of 128 pieces is ~1.3 KB
    /// (a query reads one per section it touches) and the root lists about
    /// a thousand pages at a million entries (~12 KB).
    fn default() -> Self {
        ShardOptions {
            dict_bytes: 16 << 10,
            postings_bytes: 16 << 10,
            tops_bytes: 4 << 10,
            list_bytes: 16 << 10,
            norms_entries: 256,
            dates_entries: 128,
            page_pieces: 128,
        }
    }
}

impl ShardOptions {
    /// Absurdly small pieces, so that a corpus of twenty entries becomes
    /// hundreds of shards (for tests of the sharded paths).
    pub fn tiny() -> ShardOptions {
        ShardOptions {
            dict_bytes: 64,
            postings_bytes: 96,
            tops_bytes: 64,
            list_bytes: 16,
            norms_entries: 2,
            dates_entries: 3,
            page_pieces: 3,
        }
    }
}

fn invalid(what: &str) -> IndexError {
    IndexError::InvalidInput { what: what.to_string() }
}

/// A store for shard files: takes a file's bytes, returns its id.
type Store<'a> = dyn FnMut(&[u8]) -> Result<ShardId, IndexError> + 'a;

/// A dictionary piece, cut: its first key (empty for the first piece),
/// first ordinal, fst, and `term_info` rows (the widths, its rows and the
/// next row).
struct DictPiece {
    key: Vec<u8>,
    first: u32,
    fst: Vec<u8>,
    rows: Vec<u8>,
}

/// A dictionary piece being built: its fst, first key and first ordinal.
type Building = Option<(fst::MapBuilder<Vec<u8>>, Vec<u8>, u32)>;

/// The pages (first key, bytes) of a split section whose key ranges meet
/// `range` (none when it is empty); `pages` ascend by first key from 0.
fn meeting(
    pages: &[(u64, Vec<u8>)],
    range: std::ops::Range<u64>,
) -> impl Iterator<Item = &(u64, Vec<u8>)> {
    let first = pages.partition_point(|p| p.0 <= range.start).saturating_sub(1);
    let last = pages.partition_point(|p| p.0 < range.end);
    let take = if range.is_empty() { 0 } else { last.saturating_sub(first) };
    pages.iter().skip(first).take(take)
}

/// Splits `single` (a whole index from [`super::write_with`]) into shards,
/// handing each shard file to `store` (which returns its id), and returns
/// the root file.
pub fn split(
    single: &[u8],
    opts: &ShardOptions,
    store: &mut Store<'_>,
) -> Result<Vec<u8>, IndexError> {
    if opts.dict_bytes == 0
        || opts.postings_bytes == 0
        || opts.tops_bytes == 0
        || opts.list_bytes == 0
        || opts.norms_entries == 0
        || opts.dates_entries == 0
        || opts.page_pieces == 0
    {
        return Err(invalid("every shard size must be at least 1"));
    }
    let ix = Index::open(single)?;
    if ix.is_sharded() {
        return Err(invalid("the index is sharded already"));
    }
    if ix.n_terms == 0 {
        return Err(invalid("an index without terms is small; keep it one file"));
    }
    let ti = TermInfo::new(ix.section(Section::TermInfo))?;
    let dict = dictionary_pieces(&ix, &ti, opts)?;
    // The other split sections: their pieces, and the pages listing them.
    let mut rest = Vec::new();
    put_varint(&mut rest, SPLIT.len() as u64);
    let dict_starts: Vec<u32> = dict.iter().skip(1).map(|d| d.first).collect();
    // The pages of `postings` and `tops` (first key, bytes), which the
    // dictionary pieces carry.
    let mut carried: [Vec<(u64, Vec<u8>)>; 2] = Default::default();
    for sec in SPLIT {
        let cuts = cuts(&ix, sec, &ti, &dict_starts, opts)?;
        let (end, pieces) = pieces(&ix, sec, cuts)?;
        let ids = store_pieces(&ix, sec, &pieces, store)?;
        rest.push(sec as u32 as u8);
        put_varint(&mut rest, end);
        let pages: Vec<usize> = (0..pieces.len()).step_by(opts.page_pieces).collect();
        put_varint(&mut rest, pages.len() as u64);
        for &p in &pages {
            // directory page: count varint | count × { key length varint | shard id [8] }
            let group = p..(p + opts.page_pieces).min(pieces.len());
            let mut page = Vec::new();
            put_varint(&mut page, group.len() as u64);
            for i in group {
                put_varint(&mut page, pieces[i].1 - pieces[i].0);
                page.extend_from_slice(&ids[i]);
            }
            let id = store(&frame(&SHARD_MAGIC, &[(Section::Directory, &page)]))?;
            put_varint(&mut rest, pieces[p].0);
            rest.extend_from_slice(&id);
            match sec {
                Section::Postings => carried[0].push((pieces[p].0, page)),
                Section::Tops => carried[1].push((pieces[p].0, page)),
                _ => {}
            }
        }
    }
    let mut dir = Vec::new();
    put_varint(&mut dir, dict.len() as u64);
    for (i, d) in dict.iter().enumerate() {
        let end = dict.get(i + 1).map_or(ix.n_terms, |n| n.first);
        let mut pages = Vec::new();
        for (k, at) in [
            (0, ti.offset(d.first)..ti.offset(end)),
            (1, ti.top_offset(d.first)..ti.top_offset(end)),
        ] {
            pages.extend(meeting(&carried[k], at).flat_map(|(_, page)| page.iter().copied()));
        }
        let mut secs: Vec<(Section, &[u8])> =
            vec![(Section::Terms, &d.fst), (Section::TermInfo, &d.rows)];
        if !pages.is_empty() {
            secs.push((Section::Directory, &pages));
        }
        let id = store(&frame(&SHARD_MAGIC, &secs))?;
        put_varint(&mut dir, d.key.len() as u64);
        dir.extend_from_slice(&d.key);
        put_varint(&mut dir, d.first as u64);
        dir.extend_from_slice(&id);
    }
    dir.extend_from_slice(&rest);

    let root: Vec<(Section, &[u8])> =
        [Section::Meta, Section::PrefixTerms, Section::Days, Section::Authors]
            .iter()
            .map(|&s| (s, ix.section(s)))
            .chain(std::iter::once((Section::Shards, dir.as_slice())))
            .collect();
    Ok(frame(&MAGIC, &root))
}

/// The `term_info` table of a single file, by ordinal.
struct TermInfo<'a> {
    ti: &'a [u8],
    ow: usize,
    dw: usize,
    tw: usize,
}

impl<'a> TermInfo<'a> {
    fn new(ti: &'a [u8]) -> Result<TermInfo<'a>, IndexError> {
        let (ow, dw, tw) = term_info_widths(ti)?;
        Ok(TermInfo { ti, ow, dw, tw })
    }

    /// Bytes per row.
    fn width(&self) -> usize {
        self.ow + self.dw + self.tw
    }

    /// Where the postings list of `ord` starts (`n_terms`: the end).
    fn offset(&self, ord: u32) -> u64 {
        get_uint(self.ti, 3 + self.width() * ord as usize, self.ow).unwrap_or(0)
    }

    /// Where the top of `ord` starts (`n_terms`: the end).
    fn top_offset(&self, ord: u32) -> u64 {
        let at = 3 + self.width() * ord as usize + self.ow + self.dw;
        get_uint(self.ti, at, self.tw).unwrap_or(0)
    }
}

/// Cuts the terms into dictionary pieces by accumulated size (each its own
/// fst, and its `term_info` rows plus the next one).
fn dictionary_pieces(
    ix: &Index<&[u8]>,
    ti: &TermInfo<'_>,
    opts: &ShardOptions,
) -> Result<Vec<DictPiece>, IndexError> {
    let w = ti.width();
    let map =
        fst::Map::new(ix.section(Section::Terms)).map_err(|_| invalid("terms are not an fst"))?;
    let mut stream = map.stream();
    let mut dict: Vec<DictPiece> = Vec::new();
    let mut cur: Building = None;
    let mut size = 0usize;
    let flush =
        |cur: &mut Building, end: u32, dict: &mut Vec<DictPiece>| -> Result<(), IndexError> {
            if let Some((b, key, first)) = cur.take() {
                let fst = b
                    .into_inner()
                    .map_err(|e| invalid(&format!("cannot rebuild a dictionary piece: {e}")))?;
                let mut rows = ti.ti[..3].to_vec();
                rows.extend_from_slice(&ti.ti[3 + w * first as usize..3 + w * (end as usize + 1)]);
                dict.push(DictPiece { key, first, fst, rows });
            }
            Ok(())
        };
    while let Some((k, v)) = stream.next() {
        let ord = v as u32;
        if cur.is_none() {
            let key = if dict.is_empty() { Vec::new() } else { k.to_vec() };
            cur = Some((fst::MapBuilder::memory(), key, ord));
            size = 0;
        }
        if let Some((b, _, _)) = cur.as_mut() {
            b.insert(k, v)
                .map_err(|e| invalid(&format!("cannot rebuild a dictionary piece: {e}")))?;
        }
        size += k.len() + w + 2;
        if size >= opts.dict_bytes {
            flush(&mut cur, ord + 1, &mut dict)?;
        }
    }
    flush(&mut cur, ix.n_terms, &mut dict)?;
    Ok(dict)
}

/// Where split section `sec` is cut (piece boundaries as keys, from 0):
/// at record boundaries, by the sizes `opts` asks for.
fn cuts(
    ix: &Index<&[u8]>,
    sec: Section,
    ti: &TermInfo<'_>,
    dict_starts: &[u32],
    opts: &ShardOptions,
) -> Result<Vec<u64>, IndexError> {
    let bytes = ix.section(sec);
    let mut cuts: Vec<u64> = vec![0]; // piece boundaries (keys)
    let mut cut_at = |bounds: &mut dyn Iterator<Item = u64>, target: u64| {
        for b in bounds {
            if b - cuts.last().copied().unwrap_or(0) >= target {
                cuts.push(b);
            }
        }
    };
    match sec {
        Section::Postings | Section::Tops => {
            // List ends, and never across a dictionary piece.
            let (at, target): (&dyn Fn(u32) -> u64, usize) = if sec == Section::Postings {
                (&|o| ti.offset(o), opts.postings_bytes)
            } else {
                (&|o| ti.top_offset(o), opts.tops_bytes)
            };
            let mut last = 0u64;
            for ord in 1..=ix.n_terms {
                let end = at(ord);
                if end - last >= target as u64 || dict_starts.binary_search(&ord).is_ok() {
                    if end > last {
                        cuts.push(end);
                    }
                    last = end;
                }
            }
        }
        Section::PrefixLists => {
            // prefix_lists row: count varint | count × ordinal varint
            let mut ends = Vec::new();
            let mut c = Cursor::new(bytes, sec);
            while !c.is_empty() {
                let k = c.count("row length")?;
                for _ in 0..k {
                    c.varint("ordinal")?;
                }
                ends.push(c.pos as u64);
            }
            cut_at(&mut ends.into_iter(), opts.list_bytes as u64);
        }
        Section::AuthorLists => {
            cut_at(&mut ix.authors.iter().map(|a| a.ids.end as u64), opts.list_bytes as u64);
        }
        Section::Norms => {
            let step = opts.norms_entries as u64 * FIELDS as u64;
            cuts.extend((1..).map(|i| i * step).take_while(|&e| e < bytes.len() as u64));
        }
        Section::Dates => {
            let step = opts.dates_entries as u64 * 8;
            cuts.extend((1..).map(|i| i * step).take_while(|&e| e < bytes.len() as u64));
        }
        _ => {}
    }
    Ok(cuts)
}

/// A piece of a split section: first key, end key, bytes.
type Piece<'a> = (u64, u64, &'a [u8]);

/// The pieces of split section `sec` cut at `cuts`, and its end key.
/// Entries are keyed by block (a piece is one block); everything else by
/// byte offset.
fn pieces<'a>(
    ix: &'a Index<&[u8]>,
    sec: Section,
    mut cuts: Vec<u64>,
) -> Result<(u64, Vec<Piece<'a>>), IndexError> {
    let bytes = ix.section(sec);
    if sec == Section::Entries {
        let eo = ix.section(Section::EntryOffsets);
        let blocks = (eo.len() / 8).saturating_sub(1);
        let mut v = Vec::with_capacity(blocks);
        for k in 0..blocks {
            let (a, b) =
                (get_uint(eo, k * 8, 8).unwrap_or(0), get_uint(eo, k * 8 + 8, 8).unwrap_or(0));
            let blk =
                bytes.get(a as usize..b as usize).ok_or_else(|| invalid("entry block offsets"))?;
            v.push((k as u64, k as u64 + 1, blk));
        }
        return Ok((blocks as u64, v));
    }
    let end = bytes.len() as u64;
    if cuts.last() != Some(&end) {
        cuts.push(end);
    }
    let v = cuts
        .windows(2)
        .filter(|p| p[1] > p[0])
        .map(|p| (p[0], p[1], &bytes[p[0] as usize..p[1] as usize]))
        .collect();
    Ok((end, v))
}

/// Stores each piece as a shard and returns their ids. An entries piece
/// carries its entries' dates: a result card then needs no dates piece
/// (nor its directory page).
fn store_pieces(
    ix: &Index<&[u8]>,
    sec: Section,
    pieces: &[Piece<'_>],
    store: &mut Store<'_>,
) -> Result<Vec<ShardId>, IndexError> {
    let mut ids = Vec::with_capacity(pieces.len());
    let dates = ix.section(Section::Dates);
    let block = ix.entry_block as usize;
    for (key, _, b) in pieces {
        if sec == Section::Entries {
            let at = *key as usize * block * 8;
            let d = dates
                .get(at..(at + block * 8).min(dates.len()))
                .ok_or_else(|| invalid("dates of an entry block"))?;
            ids.push(store(&frame(&SHARD_MAGIC, &[(sec, b), (Section::Dates, d)]))?);
        } else {
            ids.push(store(&frame(&SHARD_MAGIC, &[(sec, b)]))?);
        }
    }
    Ok(ids)
}
