//! The directory of a sharded index, and the pieces loaded into it.
//!
//! A sharded root (layout: `docs/format.md`, "Sharded indexes") lists its
//! dictionary pieces by first key and first ordinal, and for each split
//! section the directory pages that list its pieces by key; pages and
//! pieces are shard files named by their content.
//!
//! The reader starts with every page and piece unloaded. A lookup that needs
//! one records its id (see [`Shards::want`]) and fails with
//! [`IndexError::NotLoaded`]; the caller fetches what
//! [`super::Index::wanted`] lists, hands each file to
//! [`super::Index::add_shard`] and asks again. A dictionary piece carries
//! the `postings` and `tops` pages of its terms' lists, loaded with it, so
//! that a word's lists are wanted in the round after its piece. Nothing here
//! knows about HTTP or JavaScript.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::index::error::IndexError;
use crate::index::format::{
    get_uint, read_frame, term_info_widths, Cursor, Section, ShardId, FIELDS, SECTIONS,
    SHARD_MAGIC, SPLIT,
};
use crate::index::fst_check;

/// One dictionary piece: a key range of the terms.
#[derive(Debug)]
pub(crate) struct DictPiece {
    /// The first term of the piece (the first piece's is empty).
    pub first_key: Box<[u8]>,
    /// The ordinal of its first term.
    pub first_ord: u32,
    pub id: ShardId,
    /// The piece's fst and term-info rows, once loaded.
    pub data: Option<DictData>,
}

/// A loaded dictionary piece.
#[derive(Debug)]
pub(crate) struct DictData {
    /// `fst::Map` bytes: term → global ordinal.
    pub fst: Box<[u8]>,
    /// `term_info` rows for the piece's ordinals and one more (the next
    /// list's start), behind the two width bytes.
    pub ti: Box<[u8]>,
}

/// A split section: pages of pieces, by key.
#[derive(Debug)]
pub(crate) struct Split {
    /// The key just past the last piece.
    pub end: u64,
    pub pages: Vec<Page>,
}

/// One page of a split section's directory.
#[derive(Debug)]
pub(crate) struct Page {
    /// The key of its first piece.
    pub start: u64,
    pub id: ShardId,
    pub pieces: Option<Vec<Piece>>,
}

/// One piece of a split section.
#[derive(Debug)]
pub(crate) struct Piece {
    pub start: u64,
    pub end: u64,
    pub id: ShardId,
    pub data: Option<Box<[u8]>>,
    /// An `entries` piece: the dates of its entries (8 bytes each, as in
    /// the `dates` section), which its shard carries along.
    pub dates: Option<Box<[u8]>>,
}

/// Where a shard id is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loc {
    Dict(usize),
    Page(Section, usize),
    Piece(Section, usize, usize),
}

/// The directory of a sharded index and what has been loaded of it.
#[derive(Debug, Default)]
pub(crate) struct Shards {
    pub dict: Vec<DictPiece>,
    /// By `Section::index()`; `None` for sections that are not split.
    pub split: [Option<Split>; SECTIONS.len()],
    locs: HashMap<ShardId, Vec<Loc>>,
    wants: Mutex<Vec<ShardId>>,
    /// Shards loaded and their bytes in all.
    pub loaded: (usize, u64),
}

fn bad(what: &'static str) -> IndexError {
    IndexError::Corrupt { section: "shards", what }
}

fn read_id(c: &mut Cursor<'_>) -> Result<ShardId, IndexError> {
    let b = c.bytes(8, "shard id")?;
    let mut id = [0u8; 8];
    id.copy_from_slice(b);
    Ok(id)
}

impl Shards {
    /// Decodes a root's `shards` section.
    ///
    /// ```text
    /// shards: dict count varint (≥ 1)
    ///         | count × { first key str | first ordinal varint (ascending, first 0) | shard id [8] }
    ///         | split count varint
    ///         | count × { section id u8 | end key varint | pages varint (≥ 1)
    ///                     | pages × { first key varint (ascending, first 0) | shard id [8] } }
    /// ```
    pub fn parse(b: &[u8], n_terms: u32) -> Result<Shards, IndexError> {
        let mut s = Shards::default();
        let mut c = Cursor::new(b, Section::Shards);
        let nd = c.count("dictionary pieces")?;
        if nd == 0 || nd > n_terms.max(1) as usize {
            return Err(c.corrupt("dictionary piece count"));
        }
        for i in 0..nd {
            let key = c.str("first key")?.as_bytes();
            let first_ord = c.varint_u32("first ordinal")?;
            let id = read_id(&mut c)?;
            if let Some(prev) = s.dict.last() {
                if *prev.first_key >= *key || prev.first_ord >= first_ord || first_ord >= n_terms {
                    return Err(c.corrupt("dictionary pieces out of order"));
                }
            } else if first_ord != 0 || !key.is_empty() {
                return Err(c.corrupt("first dictionary piece"));
            }
            s.locs.entry(id).or_default().push(Loc::Dict(i));
            s.dict.push(DictPiece { first_key: key.into(), first_ord, id, data: None });
        }
        let ns = c.count("split sections")?;
        for _ in 0..ns {
            let sec = Section::from_id(c.u8("section id")? as u32)
                .filter(|x| SPLIT.contains(x))
                .ok_or_else(|| c.corrupt("not a section that is split"))?;
            if s.split[sec.index()].is_some() {
                return Err(c.corrupt("section split twice"));
            }
            let end = c.varint("end key")?;
            let np = c.count("page count")?;
            if (np == 0) != (end == 0) {
                return Err(c.corrupt("a split section without pages"));
            }
            let mut pages: Vec<Page> = Vec::with_capacity(np);
            for p in 0..np {
                let start = c.varint("page key")?;
                let id = read_id(&mut c)?;
                let ok = match pages.last() {
                    Some(prev) => start > prev.start && start < end,
                    None => start == 0,
                };
                if !ok {
                    return Err(c.corrupt("pages out of order"));
                }
                s.locs.entry(id).or_default().push(Loc::Page(sec, p));
                pages.push(Page { start, id, pieces: None });
            }
            s.split[sec.index()] = Some(Split { end, pages });
        }
        if !c.is_empty() {
            return Err(c.corrupt("bytes after the directory"));
        }
        for sec in SPLIT {
            if s.split[sec.index()].is_none() {
                return Err(IndexError::Corrupt {
                    section: sec.name(),
                    what: "split section missing from the directory",
                });
            }
        }
        Ok(s)
    }

    /// Records that shard `id` is needed.
    pub fn want(&self, id: ShardId) {
        if let Ok(mut w) = self.wants.lock() {
            if !w.contains(&id) {
                w.push(id);
            }
        }
    }

    /// Records that shard `id` is needed and fails with `NotLoaded`.
    pub fn missing<T>(&self, id: ShardId) -> Result<T, IndexError> {
        self.want(id);
        Err(IndexError::NotLoaded)
    }

    /// The shards wanted since the last call, and forgets them.
    pub fn take_wants(&self) -> Vec<ShardId> {
        self.wants.lock().map(|mut w| std::mem::take(&mut *w)).unwrap_or_default()
    }

    /// How many shards are wanted so far (see [`Shards::forget_wants_since`]).
    pub fn wants_len(&self) -> usize {
        self.wants.lock().map(|w| w.len()).unwrap_or(0)
    }

    /// Forgets the shards wanted after the first `mark` (a caller that can
    /// answer without them).
    pub fn forget_wants_since(&self, mark: usize) {
        if let Ok(mut w) = self.wants.lock() {
            w.truncate(mark);
        }
    }

    /// Whether any shard is wanted.
    pub fn has_wants(&self) -> bool {
        self.wants.lock().map(|w| !w.is_empty()).unwrap_or(false)
    }

    /// The dictionary piece whose key range holds `key`.
    pub fn dict_for_key(&self, key: &[u8]) -> usize {
        self.dict.partition_point(|d| *d.first_key <= *key).saturating_sub(1)
    }

    /// The dictionary piece that holds ordinal `ord`.
    pub fn dict_for_ord(&self, ord: u32) -> usize {
        self.dict.partition_point(|d| d.first_ord <= ord).saturating_sub(1)
    }

    /// Where the piece of split section `sec` that holds `key` is listed:
    /// the piece, or (`Err(page id)`) the directory page that is not loaded.
    /// Wants nothing.
    fn locate(&self, sec: Section, key: u64) -> Result<Result<&Piece, ShardId>, IndexError> {
        let split = self.split[sec.index()]
            .as_ref()
            .ok_or(IndexError::Corrupt { section: sec.name(), what: "not split" })?;
        if key >= split.end {
            return Err(IndexError::Corrupt {
                section: sec.name(),
                what: "offset beyond the section",
            });
        }
        let p = split.pages.partition_point(|p| p.start <= key).saturating_sub(1);
        let page = &split.pages[p];
        let Some(pieces) = &page.pieces else { return Ok(Err(page.id)) };
        let k = pieces.partition_point(|x| x.end <= key);
        pieces
            .get(k)
            .map(Ok)
            .ok_or(IndexError::Corrupt { section: sec.name(), what: "offset in no piece" })
    }

    /// The piece of split section `sec` that holds `key`: its first key and bytes.
    pub fn piece(&self, sec: Section, key: u64) -> Result<(u64, &[u8]), IndexError> {
        match self.locate(sec, key)? {
            Err(page) => self.missing(page),
            Ok(Piece { start, data: Some(d), .. }) => Ok((*start, d)),
            Ok(piece) => self.missing(piece.id),
        }
    }

    /// The dates carried by entries piece `block`, if it is loaded (wants
    /// nothing when it is not).
    pub fn block_dates(&self, block: u64) -> Option<&[u8]> {
        self.locate(Section::Entries, block).ok()?.ok()?.dates.as_deref()
    }

    /// Reads one directory page of split section `sec` at `c` (leaving `c`
    /// after it) and, unless page `p` is loaded already, loads it: its
    /// pieces become known (and wanted by id from then on).
    fn load_page(&mut self, sec: Section, p: usize, c: &mut Cursor<'_>) -> Result<(), IndexError> {
        let split =
            self.split[sec.index()].as_mut().ok_or_else(|| bad("page of a section not split"))?;
        // directory: count varint (≥ 1) | count × { end key delta varint (> 0) | shard id [8] }
        // piece k spans [previous end, end); the first starts at the page's key, the
        // last ends at the next page's key (or the section's end key).
        let n = c.count("piece count")?;
        let page = split.pages.get(p).ok_or_else(|| bad("page location"))?;
        let mut at = page.start;
        let stop = split.pages.get(p + 1).map_or(split.end, |x| x.start);
        let row = match sec {
            Section::Norms => FIELDS as u64,
            Section::Dates => 8,
            _ => 1,
        };
        let mut pieces = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            let d = c.varint("piece length")?;
            let end = at
                .checked_add(d)
                .filter(|&e| d > 0 && d % row == 0 && e <= stop)
                .ok_or_else(|| c.corrupt("piece bounds"))?;
            let pid = read_id(c)?;
            pieces.push(Piece { start: at, end, id: pid, data: None, dates: None });
            at = end;
        }
        if at != stop || n == 0 {
            return Err(c.corrupt("pieces do not cover the page"));
        }
        if split.pages[p].pieces.is_some() {
            return Ok(());
        }
        for (k, piece) in pieces.iter().enumerate() {
            self.locs.entry(piece.id).or_default().push(Loc::Piece(sec, p, k));
        }
        split.pages[p].pieces = Some(pieces);
        Ok(())
    }

    /// Loads the directory pages a dictionary piece carries (`dir`): for
    /// `postings`, then `tops`, each page whose key range meets the lists of
    /// the piece's terms, which its `term_info` rows `ti` span.
    fn carried_pages(&mut self, ti: &[u8], dir: &[u8]) -> Result<(), IndexError> {
        let (ow, dw, tw) = term_info_widths(ti)?;
        let w = ow + dw + tw;
        let last = 3 + w * ((ti.len() - 3) / w).saturating_sub(1);
        let mut c = Cursor::new(dir, Section::Directory);
        for (sec, at, width) in [(Section::Postings, 0, ow), (Section::Tops, ow + dw, tw)] {
            let uint =
                |row: usize| get_uint(ti, row + at, width).ok_or_else(|| c.corrupt("term rows"));
            let (a, b) = (uint(3)?, uint(last)?);
            if b <= a {
                continue;
            }
            let pages = &self.split[sec.index()].as_ref().ok_or_else(|| bad("not split"))?.pages;
            let first = pages.partition_point(|p| p.start <= a).saturating_sub(1);
            let end = pages.partition_point(|p| p.start < b);
            for p in first..end {
                self.load_page(sec, p, &mut c)?;
            }
        }
        if !c.is_empty() {
            return Err(c.corrupt("bytes after the carried pages"));
        }
        Ok(())
    }

    /// Loads shard `id` from its file's bytes. `Ok(false)`: it was loaded
    /// already. Checks the frame, and that the contents are the piece the
    /// directory says (section, size, order).
    /// `block_dates(block)` is the length in bytes of the dates an entries
    /// piece must carry.
    pub fn add(
        &mut self,
        id: &ShardId,
        file: &[u8],
        n_terms: u32,
        block_dates: impl Fn(u64) -> u64,
    ) -> Result<bool, IndexError> {
        let locs =
            self.locs.get(id).cloned().ok_or_else(|| bad("a shard this index does not list"))?;
        let table = read_frame(file, &SHARD_MAGIC)?;
        let get = |s: Section| -> Result<&[u8], IndexError> {
            table[s.index()].clone().map(|r| &file[r]).ok_or(IndexError::Corrupt {
                section: s.name(),
                what: "the shard lacks the piece the directory lists",
            })
        };
        let mut fresh = false;
        for loc in locs {
            match loc {
                Loc::Dict(i) => {
                    if self.dict[i].data.is_some() {
                        continue;
                    }
                    let fst = get(Section::Terms)?;
                    let ti = get(Section::TermInfo)?;
                    let end_ord = self.dict.get(i + 1).map_or(n_terms, |d| d.first_ord);
                    let first = &self.dict[i];
                    let count = (end_ord - first.first_ord) as usize;
                    let map = fst_check::open(fst, Section::Terms.name())?;
                    if map.len() != count {
                        return Err(IndexError::Corrupt {
                            section: "terms",
                            what: "term count of a dictionary piece",
                        });
                    }
                    let (ow, dw, tw) = term_info_widths(ti)?;
                    if ti.len() != 3 + (count + 1) * (ow + dw + tw) {
                        return Err(IndexError::Corrupt {
                            section: "term_info",
                            what: "row count of a dictionary piece",
                        });
                    }
                    if let Some(r) = table[Section::Directory.index()].clone() {
                        self.carried_pages(ti, &file[r])?;
                    }
                    self.dict[i].data = Some(DictData { fst: fst.into(), ti: ti.into() });
                    fresh = true;
                }
                Loc::Page(sec, p) => {
                    let loaded = self.split[sec.index()]
                        .as_ref()
                        .and_then(|s| s.pages.get(p))
                        .ok_or_else(|| bad("page of a section not split"))?
                        .pieces
                        .is_some();
                    if loaded {
                        continue;
                    }
                    let mut c = Cursor::new(get(Section::Directory)?, Section::Directory);
                    self.load_page(sec, p, &mut c)?;
                    if !c.is_empty() {
                        return Err(c.corrupt("pieces do not cover the page"));
                    }
                    fresh = true;
                }
                Loc::Piece(sec, p, k) => {
                    let bytes = get(sec)?;
                    let piece = self.split[sec.index()]
                        .as_mut()
                        .and_then(|s| s.pages.get_mut(p))
                        .and_then(|pg| pg.pieces.as_mut())
                        .and_then(|ps| ps.get_mut(k))
                        .ok_or_else(|| bad("piece location"))?;
                    if piece.data.is_some() {
                        continue;
                    }
                    // Byte-keyed pieces hold exactly their key range; an
                    // `entries` piece is one block (its key is the block number).
                    if sec != Section::Entries && bytes.len() as u64 != piece.end - piece.start {
                        return Err(IndexError::Corrupt {
                            section: sec.name(),
                            what: "piece size differs from the directory",
                        });
                    }
                    if sec == Section::Entries {
                        if piece.end - piece.start != 1 {
                            return Err(IndexError::Corrupt {
                                section: "entries",
                                what: "a piece holds one block",
                            });
                        }
                        let dates = get(Section::Dates)?;
                        if dates.len() as u64 != block_dates(piece.start) {
                            return Err(IndexError::Corrupt {
                                section: "dates",
                                what: "an entry block's dates",
                            });
                        }
                        piece.dates = Some(dates.into());
                    }
                    piece.data = Some(bytes.into());
                    fresh = true;
                }
            }
        }
        if fresh {
            self.loaded.0 += 1;
            self.loaded.1 += file.len() as u64;
        }
        Ok(fresh)
    }
}
