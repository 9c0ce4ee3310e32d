//! From bytes to lines: UTF-8 is checked (the error names the line), a
//! byte-order mark is dropped, CRLF and CR line ends are accepted, and
//! binary data (NUL or other C0 control bytes) is refused.

use super::IngestError;

/// A capture's text split into lines (without their line ends).
pub(crate) fn lines(file: &str, bytes: &[u8]) -> Result<Vec<String>, IngestError> {
    let line_at = |i: usize| bytes[..i].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let text = std::str::from_utf8(bytes).map_err(|e| IngestError::NotUtf8 {
        file: file.to_string(),
        line: line_at(e.valid_up_to()),
    })?;
    if let Some(i) = text.bytes().position(|b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) {
        return Err(IngestError::Binary { file: file.to_string(), line: line_at(i) });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: Vec<String> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).replace(['\r', '\u{0c}'], " "))
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
    }

    #[test]
    fn refusals_name_the_line() {
        let e = lines("f.txt", b"ok\nok\ncaf\xe9\n").unwrap_err();
        assert_eq!(e.to_string().split(':').take(2).collect::<Vec<_>>(), ["f.txt", "3"]);
        let e = lines("f.txt", b"ok\n\0\0").unwrap_err();
        assert!(matches!(e, IngestError::Binary { line: 2, .. }), "{e}");
        assert!(matches!(lines("f.txt", b"\n \n\t\n").unwrap_err(), IngestError::EmptyCapture { .. }));
        assert!(matches!(lines("f.txt", b"").unwrap_err(), IngestError::EmptyCapture { .. }));
    }
}
