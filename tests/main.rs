//! The one integration-test binary: each module tests one part of the flow.

mod ingest;
mod synth;
mod index;
mod search;
mod cli;
mod shards;
