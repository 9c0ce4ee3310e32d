//! The one integration-test binary: each module tests one part of the flow.

mod cli;
mod index;
mod ingest;
mod ingest_formats;
mod layouts;
mod results;
mod search;
mod shards;
