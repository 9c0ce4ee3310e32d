//! From bytes to lines: UTF-8 is checked (the error names the line), a
//! byte-order mark is dropped, CRLF and CR line ends are accepted, and
//! binary data (NUL or other C0 control bytes) is refused.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{BufRead, Read};
use std::rc::Rc;

use super::IngestError;

/// A capture's text split into lines (without their line ends). Lines borrow
/// from `bytes`; only a line with a stray CR or form feed is copied.
pub(crate) fn lines<'a>(file: &str, bytes: &'a [u8]) -> Result<Vec<Cow<'a, str>>, IngestError> {
    let line_at = |i: usize| bytes[..i].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let text = std::str::from_utf8(bytes).map_err(|e| IngestError::NotUtf8 {
        file: file.to_string(),
        line: line_at(e.valid_up_to()),
    })?;
    if let Some(i) =
        text.bytes().position(|b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
    {
        return Err(IngestError::Binary { file: file.to_string(), line: line_at(i) });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: Vec<Cow<'a, str>> = text
        .split('\n')
        .map(|l| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            if l.contains(['\r', '\u{0c}']) {
                Cow::Owned(l.replace(['\r', '\u{0c}'], " "))
            } else {
                Cow::Borrowed(l)
            }
        })
        .collect();
    // A final line end does not start another line.
    if out.last().is_some_and(|l| l.is_empty()) && text.ends_with('\n') {
        out.pop();
    }
    if out.iter().all(|l| l.trim().is_empty()) {
        return Err(IngestError::EmptyCapture { file: file.to_string() });
    }
    Ok(out)
}

/// A buffered reader that counts the line ends consumed, so that a streaming
/// parser can say on which line it is.
pub(crate) struct Counting<R> {
    inner: R,
    /// Line ends consumed so far (shared, so that a parser that owns the
    /// reader can still be asked).
    newlines: Rc<Cell<u32>>,
    /// The line of the first byte read since [`Counting::mark`] that is not
    /// whitespace or a separator (`,` `[`); 0 until there is one.
    content: Rc<Cell<u32>>,
    armed: Rc<Cell<bool>>,
}

impl<R: BufRead> Counting<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Counting<R> {
        Counting { inner, newlines: Rc::default(), content: Rc::default(), armed: Rc::default() }
    }

    /// The 1-based line the next byte is on.
    pub fn line(&self) -> u32 {
        self.newlines.get().saturating_add(1)
    }

    /// A handle on the count of line ends consumed.
    pub fn counter(&self) -> Rc<Cell<u32>> {
        self.newlines.clone()
    }

    /// Handles for [`Mark`]: where the next content starts.
    pub fn marker(&self) -> Mark {
        Mark { content: self.content.clone(), armed: self.armed.clone() }
    }
}

/// Finds the line where the next content (not whitespace, `,` or `[`)
/// starts, in a [`Counting`] reader read through [`Read`].
pub(crate) struct Mark {
    content: Rc<Cell<u32>>,
    armed: Rc<Cell<bool>>,
}

impl Mark {
    /// Looks for the next content from here on.
    pub fn arm(&self) {
        self.content.set(0);
        self.armed.set(true);
    }

    /// The line of the content found since [`Mark::arm`], if any.
    pub fn line(&self) -> Option<u32> {
        let l = self.content.get();
        (l > 0).then_some(l)
    }
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let buf = self.inner.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        if self.armed.get() {
            let mut line = self.line();
            for &b in &out[..n] {
                if b == b'\n' {
                    line += 1;
                } else if !matches!(b, b' ' | b'\t' | b'\r' | b',' | b'[') {
                    self.content.set(line);
                    self.armed.set(false);
                    break;
                }
            }
        }
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let n = buf[..amt.min(buf.len())].iter().filter(|&&b| b == b'\n').count();
            self.newlines.set(self.newlines.get().saturating_add(n as u32));
        }
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_and_bom() {
        assert_eq!(lines("f", b"\xef\xbb\xbfa\r\nb\n\nc").unwrap(), ["a", "b", "", "c"]);
        assert_eq!(lines("f", b"a\n").unwrap(), ["a"]);
        assert_eq!(lines("f", b"a\n\n").unwrap(), ["a", ""]);
        assert_eq!(lines("f", b"a\rb\x0cc\r\nd").unwrap(), ["a b c", "d"]);
    }

    #[test]
    fn refusals_name_the_line() {
        let e = lines("f.txt", b"ok\nok\ncaf\xe9\n").unwrap_err();
        assert_eq!(e.to_string().split(':').take(2).collect::<Vec<_>>(), ["f.txt", "3"]);
        let e = lines("f.txt", b"ok\n\0\0").unwrap_err();
        assert!(matches!(e, IngestError::Binary { line: 2, .. }), "{e}");
        assert!(matches!(
            lines("f.txt", b"\n \n\t\n").unwrap_err(),
            IngestError::EmptyCapture { .. }
        ));
        assert!(matches!(lines("f.txt", b"").unwrap_err(), IngestError::EmptyCapture { .. }));
    }
}
