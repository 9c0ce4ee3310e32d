//! Typed errors of ingestion. Each names the file, and the line or field,
//! and says what to do.

use std::fmt;
use std::path::PathBuf;

/// Why a capture or a manifest could not be ingested.
#[derive(Debug)]
pub enum IngestError {
    /// A file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A capture is not valid UTF-8.
    NotUtf8 {
        /// The capture.
        file: String,
        /// 1-based line of the first invalid byte.
        line: u32,
    },
    /// A capture holds bytes no text file has (NUL and other control bytes).
    Binary {
        /// The capture.
        file: String,
        /// 1-based line of the first such byte.
        line: u32,
    },
    /// A capture has no text at all.
    EmptyCapture {
        /// The capture.
        file: String,
    },
    /// A capture has text but no post could be recognised in it.
    NoPosts {
        /// The capture.
        file: String,
        /// How many lines it has.
        lines: u32,
    },
    /// No capture was given.
    NoCaptures,
    /// The manifest is not valid TOML or misses a field.
    Manifest {
        /// The manifest file.
        file: String,
        /// 1-based line, when known.
        line: Option<u32>,
        /// What is wrong.
        message: String,
    },
    /// The manifest names a capture that does not exist.
    MissingCapture {
        /// The manifest file.
        manifest: String,
        /// 1-based line of the manifest that names it.
        line: u32,
        /// The capture it names.
        capture: PathBuf,
    },
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use IngestError::*;
        match self {
            Io { path, source } => write!(f, "{}: cannot read: {source}", path.display()),
            NotUtf8 { file, line } => write!(
                f,
                "{file}:{line}: not valid UTF-8; convert the capture to UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"
            ),
            Binary { file, line } => write!(
                f,
                "{file}:{line}: binary data (NUL or control bytes); a capture must be plain text"
            ),
            EmptyCapture { file } => write!(f, "{file}: the capture is empty; remove it or capture the page again"),
            NoPosts { file, lines } => write!(
                f,
                "{file}: no post recognised in {lines} lines (expected headlines, timestamps or bylines such as `-ABC News' Name`)"
            ),
            NoCaptures => write!(f, "no capture given; pass capture files or --manifest"),
            Manifest { file, line: Some(l), message } => write!(f, "{file}:{l}: {message}"),
            Manifest { file, line: None, message } => write!(f, "{file}: {message}"),
            MissingCapture { manifest, line, capture } => write!(
                f,
                "{manifest}:{line}: names capture {} which does not exist; fix the path or remove the [[capture]]",
                capture.display()
            ),
        }
    }
}

impl std::error::Error for IngestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IngestError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
