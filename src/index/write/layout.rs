//! The last phase of writing: lay the sections out in a frame, the
//! postings copied from the spill and the entry table streamed from the
//! entries, `entry_offsets` after it.

use std::io::{BufWriter, Read, Seek, SeekFrom, Write};

use super::tables::Strings;
use super::{invalid, WriteError};
use crate::index::format::{
    footer, header, put_str, put_varint, Crc32, Row, Section, FLAG_ITEMS, FLAG_URL, FOOTER_LEN,
    HEADER_LEN, MAGIC, SECTION_ROW_LEN,
};
use crate::model::entry::Entry;

/// The sections that are complete before the layout, in memory.
pub(super) struct Sections {
    pub meta: Vec<u8>,
    pub terms: Vec<u8>,
    pub term_info: Vec<u8>,
    pub prefix_terms: Vec<u8>,
    pub prefix_lists: Vec<u8>,
    pub norms: Vec<u8>,
    pub tops: Vec<u8>,
    pub dates: Vec<u8>,
    pub days: Vec<u8>,
}

/// Where the postings are: `len` bytes of `spill` from `start`.
pub(super) struct Spilled<'s, S> {
    pub spill: &'s mut S,
    pub start: u64,
    pub len: u64,
}

/// Writes the whole file to `out` from its current position and returns
/// its length. Memory is given back as soon as a section is out.
pub(super) fn lay_out<W: Write + Seek, S: Read + Seek>(
    out: &mut W,
    sections: Sections,
    postings: Spilled<'_, S>,
    strings: Strings<'_>,
    entries: &[Entry],
    entry_block: u32,
) -> Result<u64, WriteError> {
    let s = sections;
    let mut f = Framer::new(BufWriter::with_capacity(1 << 20, &mut *out), 15)?;
    f.section(Section::Meta, &s.meta)?;
    f.section(Section::Terms, &s.terms)?;
    f.section(Section::TermInfo, &s.term_info)?;
    f.begin(Section::Postings);
    postings.spill.seek(SeekFrom::Start(postings.start))?;
    f.copy(postings.spill, postings.len)?;
    f.end();
    f.section(Section::PrefixTerms, &s.prefix_terms)?;
    f.section(Section::PrefixLists, &s.prefix_lists)?;
    f.section(Section::Norms, &s.norms)?;
    f.section(Section::Tops, &s.tops)?;
    f.section(Section::Dates, &s.dates)?;
    f.section(Section::Days, &s.days)?;
    let Strings { authors_sec, author_lists, files_sec, author_ids, files } = strings;
    f.section(Section::Authors, &authors_sec)?;
    f.section(Section::AuthorLists, &author_lists)?;
    f.section(Section::Files, &files_sec)?;
    drop((s, authors_sec, author_lists));
    let entry_offsets = entry_table(&mut f, entries, entry_block, &|e, rec| {
        put_record(rec, e, &|a| author_ids.get(a).copied().unwrap_or(0), &|file| {
            files.get(file).copied().unwrap_or(0) as u64
        })
    })?;
    f.section(Section::EntryOffsets, &entry_offsets)?;
    let (buffered, total) = f.finish(&MAGIC)?;
    buffered.into_inner().map_err(|e| e.into_error())?;
    Ok(total)
}

/// Streams the `entries` section, block by block, and returns the
/// `entry_offsets` section. `record` appends an entry's record.
fn entry_table<W: Write + Seek>(
    f: &mut Framer<W>,
    entries: &[Entry],
    entry_block: u32,
    record: &dyn Fn(&Entry, &mut Vec<u8>),
) -> Result<Vec<u8>, WriteError> {
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
            record(e, &mut block_bytes);
        }
        f.put(&block_bytes)?;
        entries_len += block_bytes.len() as u64;
    }
    entry_offsets.extend_from_slice(&entries_len.to_le_bytes());
    f.end();
    Ok(entry_offsets)
}

/// Appends the record of `e` to `rec` (layout above `Index::entry`);
/// `author` and `file` give the rows of its names in the string tables.
fn put_record(
    rec: &mut Vec<u8>,
    e: &Entry,
    author: &dyn Fn(&str) -> u64,
    file: &dyn Fn(&str) -> u64,
) {
    let items = e.sources.iter().any(|s| s.item.is_some());
    let flags =
        e.title_derived as u8 | (e.url.is_some() as u8) << FLAG_URL | (items as u8) << FLAG_ITEMS;
    rec.push(flags);
    put_str(rec, &e.title);
    put_str(rec, &e.date_basis);
    put_varint(rec, e.authors.len() as u64);
    for a in &e.authors {
        put_varint(rec, author(a));
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
        put_varint(rec, file(&s.file));
        put_varint(rec, s.lines[0] as u64);
        put_varint(rec, s.lines[1] as u64);
        if items {
            put_varint(rec, s.item.map_or(0, |i| i as u64 + 1));
        }
    }
    if let Some(url) = &e.url {
        put_str(rec, url);
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
    /// Finished sections.
    rows: Vec<Row>,
    /// The section being written: id, offset, running crc.
    cur: Option<(Section, u64, Crc32)>,
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
        self.cur = Some((sec, self.pos, Crc32::new()));
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
            self.rows.push(Row { section: sec, crc: h.finish(), offset: at, len: self.pos - at });
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
    /// `format::header`), and returns the output and its length.
    fn finish(mut self, magic: &[u8; 8]) -> std::io::Result<(W, u64)> {
        self.end();
        if self.rows.len() != self.capacity {
            return Err(std::io::Error::other(
                "the section table was sized for another number of sections",
            ));
        }
        let total = self.pos + FOOTER_LEN as u64;
        let head = header(magic, &self.rows, total);
        self.out.write_all(&footer(&head))?;
        self.out.seek(SeekFrom::Start(self.base))?;
        self.out.write_all(&head)?;
        self.out.seek(SeekFrom::Start(self.base + total))?;
        self.out.flush()?;
        Ok((self.out, total))
    }
}
