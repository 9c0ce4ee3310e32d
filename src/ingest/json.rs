//! JSON exports: JSON Lines (one object a line, read line by line, so a file
//! of any size streams), a JSON array of objects (streamed element by
//! element), or one JSON document (an object holding such an array, or one
//! post), with the field names of [`FieldMap`].
//!
//! JSON Lines and a top-level array stream in bounded memory (one line or
//! element at a time); a document that wraps its list in an object
//! (`{"items": [...]}`) is parsed whole.
//!
//! A line that is not valid JSON, or not an object, is reported with its line
//! and the rest is read; a broken array ends where it breaks.

use std::fmt;
use std::io::BufRead;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde_json::Value;

use super::read::Counting;
use super::source::{Problem, Reading};

/// Reads JSON Lines from `input`.
pub(crate) fn lines(input: impl BufRead, r: &mut Reading) -> std::io::Result<()> {
    let mut input = Counting::new(input);
    let mut buf = String::new();
    let mut item = 0;
    loop {
        buf.clear();
        let line = input.line();
        match input.read_line(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                r.problem(Problem::rejected(line, None, "not valid UTF-8".into()));
                // Skip to the end of the line.
                let mut skip = Vec::new();
                input.read_until(b'\n', &mut skip)?;
                continue;
            }
            Err(e) => return Err(e),
        }
        let text = buf.trim();
        if text.is_empty() {
            continue;
        }
        item += 1;
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(o)) => r.object(&o, [line, line], item),
            Ok(other) => r.problem(Problem::rejected(
                line,
                Some(item),
                format!("a record must be a JSON object, found {}", kind(&other)),
            )),
            Err(e) => r.problem(Problem::rejected(
                line,
                Some(item),
                format!("not valid JSON (column {}): {e}", e.column()),
            )),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Keys under which a JSON document holds its list of posts.
const LIST_KEYS: &[&str] =
    &["items", "posts", "entries", "updates", "liveBlogUpdate", "data", "results", "articles"];

/// Reads a JSON document: an array of objects (streamed), an object holding
/// one under a [`LIST_KEYS`] key, or a single post.
pub(crate) fn document(input: impl BufRead, r: &mut Reading) -> std::io::Result<()> {
    let mut input = Counting::new(input);
    let first = loop {
        let buf = input.fill_buf()?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                input.consume(i);
                break Some(b);
            }
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    };
    if first == Some(b'[') {
        return array(input, r);
    }
    let line = input.line();
    let v: Value = match serde_json::from_reader(&mut input) {
        Ok(v) => v,
        Err(e) if e.is_io() => return Err(e.into()),
        Err(e) => {
            let at = if e.line() > 0 { line + e.line() as u32 - 1 } else { line };
            r.problem(Problem::rejected(at, None, format!("not valid JSON: {e}")));
            return Ok(());
        }
    };
    match v {
        Value::Object(o) => {
            let list = LIST_KEYS.iter().find_map(|k| o.get(*k).and_then(Value::as_array));
            match list {
                Some(items) => {
                    for (i, v) in items.iter().enumerate() {
                        element(v, [line, input.line()], i as u32 + 1, r);
                    }
                }
                None => r.object(&o, [line, input.line()], 1),
            }
        }
        other => r.problem(Problem::rejected(
            line,
            None,
            format!("expected an object or an array of objects, found {}", kind(&other)),
        )),
    }
    Ok(())
}

fn element(v: &Value, lines: [u32; 2], item: u32, r: &mut Reading) {
    match v {
        Value::Object(o) => r.object(o, lines, item),
        other => r.problem(Problem::rejected(
            lines[0],
            Some(item),
            format!("a record must be a JSON object, found {}", kind(other)),
        )),
    }
}

/// Streams the elements of a top-level array to the reading.
fn array<R: BufRead>(input: Counting<R>, r: &mut Reading) -> std::io::Result<()> {
    let lines = input.counter();
    let mark = input.marker();
    let first = input.line();
    let mut de = serde_json::Deserializer::from_reader(input);
    match (&mut de).deserialize_seq(Elements { r: &mut *r, lines, mark }) {
        Ok(()) => Ok(()),
        Err(e) if e.is_io() => Err(e.into()),
        Err(e) => {
            let line = first + (e.line() as u32).max(1) - 1;
            let message = format!("not valid JSON: {e}; the rest of the array is not read");
            r.problem(Problem::rejected(line, None, message));
            Ok(())
        }
    }
}

/// The visitor of a top-level array: each element to the reading as soon as
/// it is parsed.
struct Elements<'a, 'b> {
    r: &'a mut Reading<'b>,
    lines: std::rc::Rc<std::cell::Cell<u32>>,
    mark: super::read::Mark,
}

impl<'de> Visitor<'de> for Elements<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut item = 0;
        loop {
            self.mark.arm();
            let Some(v) = seq.next_element::<Value>()? else { return Ok(()) };
            item += 1;
            let end = self.lines.get() + 1;
            let start = self.mark.line().unwrap_or(end).min(end);
            element(&v, [start, end], item, self.r);
        }
    }
}
