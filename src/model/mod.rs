//! The data model every stage shares: an [`entry::Entry`] (what ingest makes
//! and the index stores), civil dates and their precision ([`date`]), and the
//! indexed [`fields`].

pub mod date;
pub mod entry;
pub mod fields;
