//! Any bytes as a structured archive read as `jsonl`: see `archive.rs`.
#![no_main]

#[path = "archive.rs"]
mod archive;

use dateline::ingest::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| archive::check("fuzz.jsonl", data, Format::JsonLines));
