//! The normalizer's word splitter: the words of UAX #29 (Unicode word
//! boundaries) that contain a letter or digit, with their byte offsets.
//!
//! It applies the boundary rules that can join letters and digits into one
//! word (WB4–WB13b: letters and digits join, `'` `.` `:` join letters,
//! `,` `.` `;` join digits, `_` joins both, Hebrew quotes, Katakana, and
//! combining marks and format characters stay with the character before
//! them) over the Word_Break classes of `word_table.rs`, a 6 KB table of
//! runs. Every other rule only decides how characters that are neither
//! letters nor digits group, and such groups are not words. The result is
//! that of `unicode-segmentation`'s `unicode_word_indices`, whose tables
//! and state machine were a sixth of the wasm module (the tests compare the
//! two for every code point, on the corpus and on random text).

use super::word_table::RUNS;

/// Word_Break classes, merged (the codes of `tools/gen_word_table.py`).
const OTHER: u8 = 0;
const LETTER: u8 = 1;
const HEBREW: u8 = 2;
const NUMERIC: u8 = 3;
const KATAKANA: u8 = 4;
const EXTEND_NUM_LET: u8 = 5;
const MID_LETTER: u8 = 6;
const MID_NUM: u8 = 7;
const MID_NUM_LET: u8 = 8;
const SINGLE_QUOTE: u8 = 9;
const DOUBLE_QUOTE: u8 = 10;
/// Extend, Format and ZWJ: ignored after any character but a line break.
const EXTEND: u8 = 11;
/// CR, LF and the other line breaks.
const NEWLINE: u8 = 12;
/// Regional indicators: they pair into flags (WB15, WB16).
const REGIONAL: u8 = 13;
/// Extended_Pictographic and not a letter: joins a ZWJ before it (WB3c).
const PICTOGRAPHIC: u8 = 14;
/// Extended_Pictographic and ALetter (`ℹ`, circled Latin letters).
const PICTOGRAPHIC_LETTER: u8 = 15;
/// Horizontal spaces: adjacent ones stay together (WB3d).
const SPACE: u8 = 16;

/// The merged Word_Break class of `c`.
fn class(c: char) -> u8 {
    match c {
        'a'..='z' | 'A'..='Z' => LETTER,
        '0'..='9' => NUMERIC,
        ' ' => SPACE,
        '\n' | '\r' | '\u{B}' | '\u{C}' => NEWLINE,
        '_' => EXTEND_NUM_LET,
        '.' => MID_NUM_LET,
        ',' | ';' => MID_NUM,
        ':' => MID_LETTER,
        '\'' => SINGLE_QUOTE,
        '"' => DOUBLE_QUOTE,
        c if c.is_ascii() => OTHER,
        c => {
            let cp = c as u32;
            let i = RUNS.partition_point(|&r| r >> 5 <= cp);
            // RUNS[0] starts at 0, so `i` is at least 1.
            RUNS.get(i.wrapping_sub(1)).map_or(OTHER, |&r| (r & 0x1F) as u8)
        }
    }
}

/// Whether `a` is a letter class (ALetter or Hebrew_Letter).
fn is_letter(a: u8) -> bool {
    a == LETTER || a == HEBREW
}

/// Whether nothing may separate a character of class `a` from a following
/// one of class `b` (WB5, WB8–WB10, WB13–WB13b).
fn joins(a: u8, b: u8) -> bool {
    let word = |x: u8| is_letter(x) || x == NUMERIC || x == KATAKANA;
    (is_letter(a) || a == NUMERIC) && (is_letter(b) || b == NUMERIC)
        || a == KATAKANA && b == KATAKANA
        || (word(a) || a == EXTEND_NUM_LET) && b == EXTEND_NUM_LET
        || a == EXTEND_NUM_LET && word(b)
}

/// A position in a text: reads one character and the Extend, Format and
/// ZWJ characters that follow it (WB4), which take its class.
struct Cursor<'a> {
    text: &'a str,
}

impl Cursor<'_> {
    /// The class of the character at byte `at`, and the byte after it and
    /// the characters it absorbs; `None` at the end.
    fn next(&self, at: usize) -> Option<(u8, usize)> {
        let c = self.text.get(at..)?.chars().next()?;
        let cls = class(c);
        let mut end = at + c.len_utf8();
        if cls != NEWLINE {
            for e in self.text[end..].chars() {
                if class(e) != EXTEND {
                    break;
                }
                end += e.len_utf8();
            }
        }
        Some((cls, end))
    }
}

/// The words of `text` that contain a letter or digit
/// (`char::is_alphanumeric`), in order, with their byte offsets.
pub(super) fn word_indices(text: &str) -> WordIndices<'_> {
    WordIndices { cur: Cursor { text }, at: 0 }
}

/// The iterator of [`word_indices`].
pub(super) struct WordIndices<'a> {
    cur: Cursor<'a>,
    /// Where the next segment starts.
    at: usize,
}

impl<'a> Iterator for WordIndices<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        loop {
            let at = self.at;
            let end = self.cur.segment(at)?;
            self.at = end;
            let word = &self.cur.text[at..end];
            if word.chars().any(char::is_alphanumeric) {
                return Some((at, word));
            }
        }
    }
}

/// The class that the rules joining letters and digits see.
fn rule_class(raw: u8) -> u8 {
    match raw {
        PICTOGRAPHIC_LETTER => LETTER,
        REGIONAL | PICTOGRAPHIC => OTHER,
        c => c,
    }
}

impl Cursor<'_> {
    /// The end of the segment that starts at byte `at`: a word of letters,
    /// digits and what joins them, or one other character with what it
    /// absorbs (an emoji sequence, a flag). `None` at the end of the text.
    fn segment(&self, at: usize) -> Option<usize> {
        let (first, mut end) = self.next(at)?;
        let mut last = rule_class(first);
        // A regional indicator waiting for the other half of its flag.
        let mut half_flag = first == REGIONAL;
        while let Some((raw, after)) = self.next(end) {
            let next = rule_class(raw);
            // WB3c: a ZWJ (the last character, not absorbed by WB4) keeps an emoji.
            let zwj = matches!(raw, PICTOGRAPHIC | PICTOGRAPHIC_LETTER)
                && self.text[..end].ends_with('\u{200D}');
            // WB3d: spaces next to each other (no Extend between them).
            let spaces = raw == SPACE
                && self.text[..end].chars().next_back().is_some_and(|c| class(c) == SPACE);
            if zwj || spaces || half_flag && raw == REGIONAL || joins(last, next) {
                // After an emoji that a ZWJ kept, unicode-segmentation joins
                // nothing but another ZWJ sequence (not even a letter).
                last = if zwj { OTHER } else { next };
                (end, half_flag) = (after, false);
                continue;
            }
            // WB6/WB7 (letter, mid, letter) and WB11/WB12 (digit, mid, digit).
            let letter_mid = is_letter(last)
                && matches!(next, MID_LETTER | MID_NUM_LET | SINGLE_QUOTE)
                || last == HEBREW && next == DOUBLE_QUOTE;
            let number_mid =
                last == NUMERIC && matches!(next, MID_NUM | MID_NUM_LET | SINGLE_QUOTE);
            match self.next(after) {
                // As unicode-segmentation reads WB3c: a mid character whose
                // ZWJ keeps an emoji stays with the word before it.
                Some((PICTOGRAPHIC | PICTOGRAPHIC_LETTER, past))
                    if (letter_mid || number_mid) && self.text[..after].ends_with('\u{200D}') =>
                {
                    (last, end) = (OTHER, past);
                }
                Some((x, past))
                    if letter_mid
                        && is_letter(rule_class(x))
                        && (next != DOUBLE_QUOTE || x == HEBREW) =>
                {
                    (last, end) = (rule_class(x), past);
                }
                Some((x, past)) if number_mid && x == NUMERIC => (last, end) = (x, past),
                // WB7a: a Hebrew letter keeps a single quote after it.
                _ if last == HEBREW && next == SINGLE_QUOTE => (last, end) = (next, after),
                _ => break,
            }
        }
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn mine(s: &str) -> Vec<(usize, &str)> {
        word_indices(s).collect()
    }

    fn theirs(s: &str) -> Vec<(usize, &str)> {
        s.unicode_word_indices().collect()
    }

    #[test]
    fn the_table_covers_every_code_point_in_order() {
        assert_eq!(RUNS[0] >> 5, 0);
        assert!(RUNS.windows(2).all(|w| w[0] >> 5 < w[1] >> 5));
        assert!(RUNS.windows(2).all(|w| w[0] & 0x1F != w[1] & 0x1F));
    }

    #[test]
    fn known_cases() {
        for s in [
            "",
            "a",
            "U.S. officials, 836,000 people; 3.5% 10:30 a.m. a:b foo_bar __x_ 1,2,3",
            "Putin's PUTIN'S putin’s we’re x's's it`s 's s don't 'quoted' a'b'",
            "“Don’t panic,” Kim said. Zaporižžia café ﬁre ＡＢＣ Київ Ⅻ ½ x² cafe\u{301}",
            "中文 日本語 ひらがな カタカナ ｶﾀｶﾅ ไทย ক্ষ שלום צה\"ל ש' 1.a a.1 1..2 a..b",
            "  \u{CE2} \u{301} \u{CE2} \u{A0} \u{CE2} 🇺🇺\u{FF9E} a\u{200D}👍b a\u{200D}ℹb \u{200D}\u{2139}\u{FF9E} 🇺\u{301}🇦🇦 e-mail \r\n\t  \u{A0}spaces \u{200D}a\u{301}\n\u{301}x co\u{AD}operate 🇺🇦 👍🏽 ٣,٤",
        ] {
            assert_eq!(mine(s), theirs(s), "{s:?}");
        }
    }

    /// Every code point, alone and in each context the rules look at: the
    /// same words as unicode-segmentation.
    #[test]
    fn every_code_point_in_context() {
        let contexts = [
            "{}",
            "a{}",
            "{}a",
            "a{}b",
            "1{}2",
            "\u{5D0}{}\u{5D0}",
            "ア{}ア",
            "_{}_",
            "a.{}",
            "\n{}a",
        ];
        let mut s = String::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for ctx in contexts {
                s.clear();
                let (l, r) = ctx.split_once("{}").expect("a context has a hole");
                s.push_str(l);
                s.push(c);
                s.push_str(r);
                assert_eq!(mine(&s), theirs(&s), "U+{:04X} in {ctx:?}", c as u32);
            }
        }
    }

    #[test]
    fn the_corpus_splits_the_same() {
        let mut n = 0;
        for dir in ["corpus", "tests/data"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for f in std::fs::read_dir(&dir).expect("a test data directory") {
                let p = f.expect("a directory entry").path();
                let Ok(text) = std::fs::read_to_string(&p) else { continue };
                let w = mine(&text);
                n += w.len();
                assert_eq!(w, theirs(&text), "{}", p.display());
            }
        }
        assert!(n > 10_000, "only {n} words: is the corpus there?");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod property {
        use super::*;
        use proptest::prelude::*;

        /// Pieces that meet at every kind of boundary the rules decide.
        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => "[a-zA-Z0-9]{1,4}",
                4 => prop::sample::select(vec![
                    " ", ".", ",", ";", ":", "'", "\"", "_", "-", "\n", "\r\n", "\u{2019}", "\u{2018}",
                    "\u{FF07}", "\u{B7}", "\u{2024}", "\u{FE52}", "\u{66C}", "\u{301}", "\u{AD}",
                    "\u{200D}", "\u{200C}", "\u{A0}", "é", "ﬁ", "Ａ", "１", "½", "²", "Ⅻ", "中", "ひ",
                    "ア", "ｱ", "\u{FF9E}", "ไ", "ক", "্", "א", "ש", "٣", "🇺", "🇦", "👍", "🏽", "\u{FE0F}",
                ])
                .prop_map(str::to_string),
                1 => any::<char>().prop_map(|c| c.to_string()),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]
            #[test]
            fn splits_as_unicode_segmentation(parts in prop::collection::vec(piece(), 0..24)) {
                let s: String = parts.concat();
                prop_assert_eq!(mine(&s), theirs(&s));
            }

            #[test]
            fn splits_any_string_as_unicode_segmentation(s in any::<String>()) {
                prop_assert_eq!(mine(&s), theirs(&s));
            }
        }
    }
}
