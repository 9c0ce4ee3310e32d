//! From bytes to lines: UTF-8 is checked (the error names the line), a
//! byte-order mark is dropped, CRLF and CR line ends are accepted, and
//! binary data (NUL or other C0 control bytes) is refused.

use std::borrow::Cow;

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
