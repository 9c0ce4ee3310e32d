//! Query parsing: words, quoted phrases, exclusions (see the syntax in
//! [`super`]), and the date arguments.

use crate::model::date::parse_day;
use crate::text;

use super::SearchError;

/// Most positive (and most negative) words a query may have; the rest are ignored.
const MAX_WORDS: usize = 16;

/// A parsed query.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Parsed {
    pub(super) words: Vec<String>,
    pub(super) phrases: Vec<Vec<String>>,
    pub(super) not_words: Vec<String>,
    pub(super) not_phrases: Vec<Vec<String>>,
}

impl Parsed {
    /// How many searchable words the query has (in phrases and exclusions too).
    pub(super) fn terms(&self) -> usize {
        let phrase_words = |v: &Vec<Vec<String>>| v.iter().map(Vec::len).sum::<usize>();
        self.words.len()
            + self.not_words.len()
            + phrase_words(&self.phrases)
            + phrase_words(&self.not_phrases)
    }

    /// The query written back (terms as normalized): words, then phrases in
    /// quotes (a phrase of one word as a word), then the exclusions.
    pub(super) fn text(&self) -> String {
        let mut parts: Vec<String> = self.words.clone();
        let quoted = |ph: &Vec<String>| match ph.as_slice() {
            [one] => one.clone(),
            _ => format!("\"{}\"", ph.join(" ")),
        };
        parts.extend(self.phrases.iter().filter(|p| !p.is_empty()).map(quoted));
        parts.extend(self.not_words.iter().map(|w| format!("-{w}")));
        parts.extend(
            self.not_phrases.iter().filter(|p| !p.is_empty()).map(|p| format!("-{}", quoted(p))),
        );
        parts.join(" ")
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' | '\u{FF02}')
}

/// Parses a query (its syntax is in the module docs of [`super`]); each
/// list keeps at most [`MAX_WORDS`], without repeated words.
pub(super) fn parse(q: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut rest = q;
    loop {
        rest = rest.trim_start();
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        let mut neg = false;
        if c == '-' || c == '\u{2212}' {
            let after = chars.as_str();
            if after.starts_with(|c: char| !c.is_whitespace()) {
                neg = true;
                rest = after;
            } else {
                rest = after;
                continue;
            }
        }
        let first = rest.chars().next().unwrap_or(' ');
        if is_quote(first) {
            let body = &rest[first.len_utf8()..];
            let end = body.find(is_quote).unwrap_or(body.len());
            let terms: Vec<String> = text::terms(&body[..end]).collect();
            rest = body.get(end..).unwrap_or("");
            if let Some(c) = rest.chars().next() {
                rest = &rest[c.len_utf8()..];
            }
            if !terms.is_empty() {
                if neg {
                    p.not_phrases.push(terms);
                } else {
                    p.phrases.push(terms);
                }
            }
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || is_quote(c)).unwrap_or(rest.len());
            for t in text::terms(&rest[..end]) {
                let list = if neg { &mut p.not_words } else { &mut p.words };
                if !list.contains(&t) {
                    list.push(t);
                }
            }
            rest = &rest[end..];
        }
    }
    p.words.truncate(MAX_WORDS);
    p.phrases.truncate(MAX_WORDS);
    p.not_words.truncate(MAX_WORDS);
    p.not_phrases.truncate(MAX_WORDS);
    for ph in p.phrases.iter_mut().chain(p.not_phrases.iter_mut()) {
        ph.truncate(MAX_WORDS);
    }
    p
}

/// A `from` or `to` day, `None` when not given (or blank).
pub(super) fn day_arg(field: &'static str, v: &Option<String>) -> Result<Option<i32>, SearchError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_day(s)
            .map(Some)
            .ok_or_else(|| SearchError::BadDate { field, value: s.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_query_syntax() {
        let p = parse(r#"Putin’s  "stiff resistance" -tank -"no fly" U.S."#);
        assert_eq!(p.words, ["putin", "us"]);
        assert_eq!(p.phrases, [vec!["stiff".to_string(), "resistance".to_string()]]);
        assert_eq!(p.not_words, ["tank"]);
        assert_eq!(p.not_phrases, [vec!["no".to_string(), "fly".to_string()]]);
        assert_eq!(parse("  - -- \"  "), Parsed::default());
        assert_eq!(parse("“curly quoted”").phrases.len(), 1);
    }
}
