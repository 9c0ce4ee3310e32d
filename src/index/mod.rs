//! The index: its on-disk format, the writer and a zero-copy reader.
//!
//! One file, `index.dtl`, holds everything the explorer needs: the term
//! dictionary, postings with positions and per-field frequencies, each
//! term's best entries, field lengths, dates, and the entry table that
//! result cards are drawn from. A large index is [`split()`] into a small
//! root and shards that a browser fetches as queries need them. The format
//! is specified in `docs/format.md`; each decoder repeats the layout of the
//! bytes it reads above it.
//!
//! The modules follow the data, each using only those before it:
//!
//! - `error`: [`IndexError`], what every other module may return;
//! - [`format`](mod@format): the layout (constants, sections, frame, varints, cursor,
//!   bit codes, norms, CRC-32, shard names);
//! - `postings`: posting lists and the cursors that decode them;
//! - [`tops`]: each term's best entries (written and read);
//! - `read`: [`Index`], which opens and reads a file or a sharded root;
//! - `split`: cuts a written index into a root and shards;
//! - `write`: [`write_to`] and friends, in named phases;
//! - `fst_check`: vets an fst's structure before the fst crate walks it.

mod error;
pub mod format;
pub(crate) mod fst_check;
mod postings;
mod read;
mod split;
pub mod tops;
mod write;

pub use error::IndexError;
pub use format::{parse_shard_name, shard_name, ShardId};
pub(crate) use postings::{PostingCursor, Postings};
pub use read::{AuthorCount, EntryRecord, Index, Stats};
pub use split::{split, ShardOptions};
pub use write::{
    for_each_term, write, write_to, write_with, write_with_progress, Meta, Options, Progress,
    WriteError, ENTRY_BLOCK,
};
