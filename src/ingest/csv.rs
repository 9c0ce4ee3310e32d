//! CSV exports (RFC 4180: a header row, quoted fields with commas, quotes
//! and line breaks; tab-separated when the header is), read row by row with
//! the field names of [`super::record::FieldMap`]. A row with the wrong
//! number of fields, or not UTF-8, is reported with its row and line; the
//! rest is read.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::source::{Problem, Reading};

/// Reads CSV from `input`.
pub(crate) fn read(mut input: impl BufRead, r: &mut Reading) -> std::io::Result<()> {
    let head = input.fill_buf()?;
    let first = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let tabs = first.iter().filter(|&&b| b == b'\t').count();
    let commas = first.iter().filter(|&&b| b == b',').count();
    let delimiter = if tabs > commas { b'\t' } else { b',' };
    // Records end at `\n` only (a `\r` before it is trimmed off the last
    // field), so that line numbers count the same with CRLF and LF.
    let mut csv = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(::csv::Terminator::Any(b'\n'))
        .flexible(false)
        .from_reader(input);
    let headers: Vec<String> = match csv.headers() {
        Ok(h) => h.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect(),
        Err(e) => {
            r.problem(Problem::rejected(1, None, format!("no readable header row: {e}")));
            return Ok(());
        }
    };
    let mut row = ::csv::StringRecord::new();
    let mut item = 0;
    loop {
        let line = csv.position().line() as u32;
        match csv.read_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                item += 1;
                let end = (csv.position().line() as u32).saturating_sub(1).max(line);
                let mut o = Map::new();
                for (h, v) in headers.iter().zip(row.iter()) {
                    let v = v.trim();
                    if !v.is_empty() {
                        o.insert(h.clone(), Value::String(v.to_string()));
                    }
                }
                r.object(&o, [line, end], item);
            }
            Err(e) => {
                item += 1;
                let at = e.position().map_or(line, |p| p.line() as u32);
                let what = match e.kind() {
                    ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("{len} fields where the header has {expected_len}")
                    }
                    ::csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
                    ::csv::ErrorKind::Io(_) => return Err(std::io::Error::other(e.to_string())),
                    _ => e.to_string(),
                };
                r.problem(Problem::rejected(at, Some(item), what));
            }
        }
    }
}
