//! The manifest: which captures make the corpus, its time zone, and for each
//! capture the day its newest posts cover (which anchors weekday words).
//!
//! ```toml
//! title = "Russia-Ukraine updates (ABC News live blog)"
//! publisher = "ABC News"
//! timezone = "America/New_York"
//! locale = "en-US"           # numeric dates month first ("3/4/22": 4 March)
//!
//! [[capture]]
//! file = "000_bb54caba8e05825e.txt"
//! covers = "2022-03-02"
//! basis = "why the reader judged so"
//!
//! [[source]]                 # a structured archive: `file` or `dir`
//! file = "export.csv"
//! format = "csv"             # forced; else known from the content
//! timezone = "Europe/London" # of times written without a zone
//! locale = "en-GB"
//! author_separator = "|"
//! [source.fields]            # field names, each a name or a list
//! title = "heading"
//! body = ["text", "summary"]
//! ```

use serde::Deserialize;
use toml::Spanned;

use super::record::FieldMap;
use super::source::{day_first_of, Format, SourceOptions};
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
    /// The locale of numeric dates in the captures (`en-GB`, `en-US`), when
    /// a capture's own dates do not tell day-first from month-first.
    pub locale: Option<String>,
    /// The captures, in the manifest's order.
    pub captures: Vec<CaptureInfo>,
    /// The structured sources (`[[source]]`), in the manifest's order.
    pub sources: Vec<SourceInfo>,
}

/// One `[[source]]` of the manifest.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    /// A file or a directory, relative to the manifest.
    pub path: String,
    /// 1-based manifest line that names it.
    pub line: u32,
    /// How to read it.
    pub options: SourceOptions,
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
    locale: Option<Spanned<String>>,
    #[serde(default)]
    capture: Vec<RawCapture>,
    #[serde(default)]
    source: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    file: Option<Spanned<String>>,
    dir: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
    timezone: Option<Spanned<String>>,
    locale: Option<Spanned<String>>,
    author_separator: Option<String>,
    covers: Option<Spanned<String>>,
    fields: Option<RawFields>,
}

/// A field name, or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum Names {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFields {
    title: Option<Names>,
    body: Option<Names>,
    published: Option<Names>,
    updated: Option<Names>,
    authors: Option<Names>,
    url: Option<Names>,
    id: Option<Names>,
}

impl RawFields {
    /// The defaults, with each role the manifest names replaced.
    fn map(self) -> FieldMap {
        let mut f = FieldMap::default();
        let set = |slot: &mut Vec<String>, n: Option<Names>| match n {
            Some(Names::One(s)) => *slot = vec![s],
            Some(Names::Many(v)) => *slot = v,
            None => {}
        };
        set(&mut f.title, self.title);
        set(&mut f.body, self.body);
        set(&mut f.published, self.published);
        set(&mut f.updated, self.updated);
        set(&mut f.authors, self.authors);
        set(&mut f.url, self.url);
        set(&mut f.id, self.id);
        f
    }
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
        let zone = |tz: &Spanned<String>| {
            tz.get_ref().parse::<chrono_tz::Tz>().map_err(|_| {
                err(
                    Some(line_of(text, tz.span().start)),
                    format!(
                        "unknown time zone {:?}; use an IANA name such as \"America/New_York\"",
                        tz.get_ref()
                    ),
                )
            })
        };
        if let Some(tz) = &raw.timezone {
            zone(tz)?;
        }
        let locale = |l: Option<Spanned<String>>| {
            match l {
            None => Ok(None),
            Some(l) if day_first_of(l.get_ref()).is_some() => Ok(Some(l.into_inner())),
            Some(l) => Err(err(
                Some(line_of(text, l.span().start)),
                format!(
                    "locale = {:?} is not a locale; write a language tag such as \"en-GB\" or \"en-US\"",
                    l.get_ref()
                ),
            )),
        }
        };
        let top_locale = locale(raw.locale)?;
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
        let mut sources = Vec::with_capacity(raw.source.len());
        for s in raw.source {
            let (path, line) = match (s.file, s.dir) {
                (Some(p), None) | (None, Some(p)) => {
                    let line = line_of(text, p.span().start);
                    (p.into_inner(), line)
                }
                _ => {
                    let at = s.format.as_ref().map(|f| line_of(text, f.span().start));
                    return Err(err(at, "a [[source]] needs one of `file` or `dir`".into()));
                }
            };
            let format = match &s.format {
                None => None,
                Some(f) => Some(Format::parse(f.get_ref()).ok_or_else(|| {
                    err(
                        Some(line_of(text, f.span().start)),
                        format!(
                            "format = {:?} is unknown; use text, json, jsonl, csv, rss, atom or html",
                            f.get_ref()
                        ),
                    )
                })?),
            };
            let covers = match &s.covers {
                None => None,
                Some(c) => Some(parse_day(c.get_ref()).ok_or_else(|| {
                    err(
                        Some(line_of(text, c.span().start)),
                        format!("covers = {:?} is not a date; write it as YYYY-MM-DD", c.get_ref()),
                    )
                })?),
            };
            let timezone = match &s.timezone {
                Some(tz) => Some(zone(tz)?),
                None => None,
            };
            let options = SourceOptions {
                format,
                timezone,
                locale: locale(s.locale)?,
                author_separator: s.author_separator,
                fields: s.fields.unwrap_or_default().map(),
                covers,
            };
            sources.push(SourceInfo { path, line, options });
        }
        if captures.is_empty() && sources.is_empty() {
            return Err(err(
                None,
                "no [[capture]] or [[source]] listed; add one per capture file or archive".into(),
            ));
        }
        Ok(Manifest {
            title: raw.title,
            publisher: raw.publisher,
            timezone: raw.timezone.map(Spanned::into_inner),
            locale: top_locale,
            captures,
            sources,
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
        let e = Manifest::parse("m.toml", "[[source]]\nfile = \"a.csv\"\nformat = \"xls\"\n")
            .unwrap_err();
        assert!(e.to_string().starts_with("m.toml:3: format = \"xls\" is unknown"), "{e}");
    }

    #[test]
    fn sources_with_their_options() {
        let m = Manifest::parse(
            "m.toml",
            "[[source]]\ndir = \"pages\"\nformat = \"html\"\ntimezone = \"Europe/Oslo\"\n\
             [source.fields]\ntitle = \"heading\"\nbody = [\"text\", \"lede\"]\n",
        )
        .unwrap();
        let s = &m.sources[0];
        assert_eq!((s.path.as_str(), s.line), ("pages", 2));
        assert_eq!(s.options.format, Some(Format::Html));
        assert_eq!(s.options.timezone, Some(chrono_tz::Europe::Oslo));
        assert_eq!(s.options.fields.title, ["heading"]);
        assert_eq!(s.options.fields.body, ["text", "lede"]);
        assert_eq!(s.options.fields.url, FieldMap::default().url);
    }
}
