//! The manifest: which captures make the corpus, its time zone, and for each
//! capture the day its newest posts cover (which anchors weekday words).
//!
//! ```toml
//! title = "Russia-Ukraine updates (ABC News live blog)"
//! publisher = "ABC News"
//! timezone = "America/New_York"
//!
//! [[capture]]
//! file = "000_bb54caba8e05825e.txt"
//! covers = "2022-03-02"
//! basis = "why the reader judged so"
//! ```

use serde::Deserialize;
use toml::Spanned;

use super::IngestError;
use crate::model::date::parse_day;

/// A parsed manifest.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// The live blog's title.
    pub title: Option<String>,
    /// The publisher, whose name starts bylines (`-ABC News' …`).
    pub publisher: Option<String>,
    /// IANA time zone of printed timestamps (`America/New_York`).
    pub timezone: Option<String>,
    /// The captures, in the manifest's order.
    pub captures: Vec<CaptureInfo>,
}

/// One `[[capture]]` of the manifest.
#[derive(Debug, Clone)]
pub struct CaptureInfo {
    /// The capture's file name, relative to the manifest.
    pub file: String,
    /// 1-based manifest line that names the file.
    pub line: u32,
    /// Day number of the newest posts in the capture, if given.
    pub covers: Option<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: Option<String>,
    publisher: Option<String>,
    timezone: Option<Spanned<String>>,
    #[serde(default)]
    capture: Vec<RawCapture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapture {
    file: Spanned<String>,
    covers: Option<Spanned<String>>,
    #[allow(dead_code)]
    basis: Option<String>,
}

fn line_of(text: &str, offset: usize) -> u32 {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

impl Manifest {
    /// Parses a manifest's text; `name` is used in errors.
    pub fn parse(name: &str, text: &str) -> Result<Manifest, IngestError> {
        let err = |line: Option<u32>, message: String| IngestError::Manifest {
            file: name.to_string(),
            line,
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            err(line, e.message().to_string())
        })?;
        if let Some(tz) = &raw.timezone {
            if tz.get_ref().parse::<chrono_tz::Tz>().is_err() {
                return Err(err(
                    Some(line_of(text, tz.span().start)),
                    format!(
                        "unknown time zone {:?}; use an IANA name such as \"America/New_York\"",
                        tz.get_ref()
                    ),
                ));
            }
        }
        let mut captures = Vec::with_capacity(raw.capture.len());
        for c in raw.capture {
            let covers = match &c.covers {
                None => None,
                Some(s) => Some(parse_day(s.get_ref()).ok_or_else(|| {
                    err(
                        Some(line_of(text, s.span().start)),
                        format!("covers = {:?} is not a date; write it as YYYY-MM-DD", s.get_ref()),
                    )
                })?),
            };
            captures.push(CaptureInfo {
                line: line_of(text, c.file.span().start),
                file: c.file.into_inner(),
                covers,
            });
        }
        if captures.is_empty() {
            return Err(err(None, "no [[capture]] listed; add one per capture file".into()));
        }
        Ok(Manifest {
            title: raw.title,
            publisher: raw.publisher,
            timezone: raw.timezone.map(Spanned::into_inner),
            captures,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_fields_and_lines() {
        let m = Manifest::parse(
            "m.toml",
            "title = \"T\"\ntimezone = \"America/New_York\"\n\n[[capture]]\nfile = \"a.txt\"\ncovers = \"2022-03-02\"\n",
        )
        .unwrap();
        assert_eq!(m.captures[0].file, "a.txt");
        assert_eq!(m.captures[0].line, 5);
        assert_eq!(m.captures[0].covers, parse_day("2022-03-02"));
    }

    #[test]
    fn errors_name_the_line() {
        let e = Manifest::parse("m.toml", "[[capture]]\nfile = \"a\"\ncovers = \"March 2\"\n")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.toml:3: covers = \"March 2\" is not a date; write it as YYYY-MM-DD"
        );
        let e =
            Manifest::parse("m.toml", "timezone = \"Mars/Olympus\"\n[[capture]]\nfile = \"a\"\n")
                .unwrap_err();
        assert!(e.to_string().starts_with("m.toml:1: unknown time zone"), "{e}");
        let e = Manifest::parse("m.toml", "[[capture]]\nfile = 3\n").unwrap_err();
        assert!(e.to_string().starts_with("m.toml:2:"), "{e}");
        let e = Manifest::parse("m.toml", "title = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("no [[capture]]"), "{e}");
    }
}
