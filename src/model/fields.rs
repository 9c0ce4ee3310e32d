//! The indexed fields of an entry. The writer, the reader and the ranking
//! model all count fields in this order; the index format stores per-field
//! data (lengths, term frequencies) in it.

/// Indexed fields, in id order.
pub const FIELDS: usize = 4;
/// Field ids.
pub const FIELD_TITLE: usize = 0;
/// Body paragraphs.
pub const FIELD_BODY: usize = 1;
/// Media captions and credits.
pub const FIELD_CAPTIONS: usize = 2;
/// Author names.
pub const FIELD_AUTHORS: usize = 3;
/// Names of the fields, for docs and debugging.
pub const FIELD_NAMES: [&str; FIELDS] = ["title", "body", "captions", "authors"];
