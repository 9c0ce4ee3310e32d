//! The one text normalizer, used at build time (index terms, deduplication
//! keys) and at query time, so that both sides always agree.
//!
//! A *word* is a UAX #29 word (split by the normalizer's own splitter,
//! `split.rs`, from a table of Word_Break classes) that contains a letter or
//! digit; invisible characters ([`is_invisible`]: zero width
//! space, soft hyphen, joiners, bidirectional marks, ...) do not split one.
//! Its *term* is the word after:
//!
//! 1. compatibility decomposition (NFKD, so `ﬁ` → `fi`, full-width → ASCII),
//! 2. removal of combining marks (diacritics: `Zaporižžia` → `zaporizzia`),
//!    steps 1 and 2 through one table generated from the Unicode Character
//!    Database for the Latin, Greek and Cyrillic blocks, punctuation, letter-
//!    and number-like forms, ligatures and full-width forms
//!    (`tools/gen_fold_table.py`; the full NFKD tables would add 112 KB to the
//!    wasm module, for scripts where decomposition does not change a search),
//! 3. lowercasing,
//! 4. removal of a possessive `'s` (straight or curly: `Putin’s` → `putin`),
//! 5. removal of everything that is not a letter or digit (`U.S.` → `us`,
//!    `800,000` → `800000`, `we’re` → `were`).
//!
//! Lowercasing is exactly `char::to_lowercase`, from a table of runs
//! (`lower_table.rs`, generated from it by `tools/gen_lower_table.rs` and
//! checked against it for every `char` by the tests) instead of core's
//! own table, which is ten times the size in the wasm module.
//!
//! Offsets of words are byte offsets into the original text, so a caller can
//! highlight the original rather than the folded form.

mod fold_table;
mod lower_table;
mod split;
mod word_table;

/// Appends `c` decomposed and without combining marks (steps 1 and 2).
fn decompose(c: char, out: &mut String) {
    let cp = c as u32;
    if !(0xA0..=0xFFFF).contains(&cp) {
        out.push(c);
        return;
    }
    match folded(cp) {
        Some(f) => out.push_str(f),
        None => out.push(c),
    }
}

/// What the fold table maps `cp` (below 0x10000) to, if anything: its key
/// index is its rank in its page's bitmap, and its folded form starts after
/// those of the keys before it.
fn folded(cp: u32) -> Option<&'static str> {
    use fold_table::{BITS, LENS, PAGES, RANKS, STARTS, VALUES};
    let p = PAGES.binary_search(&((cp >> 8) as u8)).ok()?;
    let (w, bit) = (((cp & 0xFF) / 32) as usize, cp % 32);
    let words = &BITS[p];
    if words[w] >> bit & 1 == 0 {
        return None;
    }
    let i = RANKS[p] as usize
        + words[..w].iter().map(|x| x.count_ones() as usize).sum::<usize>()
        + (words[w] & ((1 << bit) - 1)).count_ones() as usize;
    let at =
        STARTS[i / 64] as usize + LENS[i / 64 * 64..i].iter().map(|&l| l as usize).sum::<usize>();
    VALUES.get(at..at + LENS[i] as usize)
}

/// `s` decomposed and without combining marks.
fn decomposed(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        decompose(c, &mut out);
    }
    out
}

/// Appends the lowercase of `c`: the same characters as `c.to_lowercase()`.
fn push_lower(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if c == '\u{130}' {
        // The one character whose lowercase is two: İ → i + combining dot above.
        out.push_str("i\u{307}");
        return;
    }
    let cp = c as u32;
    let i = lower_table::RUNS.partition_point(|&r| r >> 8 <= cp);
    if i > 0 {
        let r = lower_table::RUNS[i - 1];
        let (start, len, stride) = (r >> 8, (r >> 1) & 0x7F, (r & 1) + 1);
        let k = cp - start;
        if k < len * stride && k % stride == 0 {
            if let Some(l) = char::from_u32(cp.wrapping_add_signed(lower_table::DELTAS[i - 1])) {
                out.push(l);
                return;
            }
        }
    }
    out.push(c);
}

/// One word of a text: its normalized term and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The normalized term (see the module docs).
    pub term: String,
    /// Byte offset of the word's first byte in the original text.
    pub start: usize,
    /// Byte offset one past the word's last byte in the original text.
    pub end: usize,
}

/// Whether `c` is an apostrophe or a single quote in any typesetting.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{FF07}' | '`' | '\u{00B4}')
}

/// Folds `s` for comparison: NFKD, no diacritics, lowercase, and every
/// quote, apostrophe, dash and run of whitespace written one way.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in decomposed(s).chars() {
        let c = match c {
            c if is_apostrophe(c) => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        push_lower(c, &mut out);
    }
    out
}

/// Normalizes one word to its term; empty if nothing searchable remains.
pub fn term(word: &str) -> String {
    if word.is_ascii() {
        // The common case, without decomposition: same result, several times faster.
        let b = word.as_bytes();
        let n = b.len();
        let base = if n > 2 && matches!(b[n - 1], b's' | b'S') && is_apostrophe(b[n - 2] as char) {
            &b[..n - 2]
        } else {
            b
        };
        return base
            .iter()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase() as char)
            .collect();
    }
    let mut folded = String::with_capacity(word.len());
    for c in decomposed(word).chars() {
        push_lower(c, &mut folded);
    }
    let mut base = folded.as_str();
    // A possessive: the word ends in an apostrophe and `s`.
    let mut chars = base.char_indices().rev();
    if let (Some((_, 's')), Some((i, a))) = (chars.next(), chars.next()) {
        if is_apostrophe(a) && i > 0 {
            base = &base[..i];
        }
    }
    base.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Whether `c` is invisible: a Unicode default-ignorable code point (zero
/// width space, joiner and non-joiner, soft hyphen, word joiner, byte order
/// mark, bidirectional marks, variation selectors, ...). A word with one
/// inside is the word without it.
pub fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0xAD | 0x34F | 0x61C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// The word segments of `text` with their byte offsets, two segments with
/// only invisible characters between them (`mari\u{200B}upol`) joined into
/// one (the segmenter splits at a zero width space; [`term`] then drops
/// the invisible characters as it drops every non-alphanumeric).
fn word_indices(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let join = !text.is_ascii();
    let mut inner = split::word_indices(text).peekable();
    std::iter::from_fn(move || {
        let (start, w) = inner.next()?;
        let mut end = start + w.len();
        while let Some(&(s, next)) = inner.peek().filter(|_| join) {
            let gap = text.get(end..s).unwrap_or("");
            if gap.is_empty() || !gap.chars().all(is_invisible) {
                break;
            }
            end = s + next.len();
            inner.next();
        }
        Some((start, &text[start..end]))
    })
}

/// The words of `text`, in order, with their terms and byte offsets.
pub fn words(text: &str) -> impl Iterator<Item = Word> + '_ {
    word_indices(text).filter_map(|(start, w)| {
        let t = term(w);
        (!t.is_empty()).then(|| Word { term: t, start, end: start + w.len() })
    })
}

/// Calls `f(term, start, end)` for every word of `text`, in order: the same
/// words, terms and byte offsets as [`words`], without allocating a `String`
/// per word. The term is borrowed from `text` when the word is already its
/// own term (lowercase ASCII letters and digits), else from a buffer reused
/// from word to word. For many texts, keep one [`Tokenizer`] instead.
pub fn for_each_word(text: &str, f: impl FnMut(&str, usize, usize)) {
    Tokenizer::default().for_each_word(text, f)
}

/// A reusable scratch buffer for [`for_each_word`]: the index writer
/// tokenizes ~150 million words at a million entries, and one `String` per
/// word was about half of its time.
#[derive(Debug, Default, Clone)]
pub struct Tokenizer {
    buf: String,
}

impl Tokenizer {
    /// A tokenizer with an empty buffer.
    pub fn new() -> Tokenizer {
        Tokenizer::default()
    }

    /// As [`for_each_word`], reusing this tokenizer's buffer.
    pub fn for_each_word(&mut self, text: &str, mut f: impl FnMut(&str, usize, usize)) {
        for (start, w) in word_indices(text) {
            let end = start + w.len();
            let b = w.as_bytes();
            if b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
                // Already a term: no possessive (`'` is not alphanumeric), nothing to fold.
                if !b.is_empty() {
                    f(w, start, end);
                }
                continue;
            }
            self.buf.clear();
            if w.is_ascii() {
                // As `term`'s ASCII path.
                let n = b.len();
                let base = if n > 2
                    && matches!(b[n - 1], b's' | b'S')
                    && is_apostrophe(b[n - 2] as char)
                {
                    &b[..n - 2]
                } else {
                    b
                };
                self.buf.extend(
                    base.iter()
                        .filter(|c| c.is_ascii_alphanumeric())
                        .map(|c| c.to_ascii_lowercase() as char),
                );
            } else {
                self.buf.push_str(&term(w));
            }
            if !self.buf.is_empty() {
                f(&self.buf, start, end);
            }
        }
    }
}

/// The terms of `text`, in order.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).map(|w| w.term)
}

/// A key under which two typesettings of the same text compare equal:
/// its terms joined by single spaces (quotes, dashes, case, diacritics and
/// whitespace all fall away).
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for t in terms(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_inside_a_word_are_ignored() {
        for inv in
            ['\u{200B}', '\u{200C}', '\u{200D}', '\u{00AD}', '\u{FEFF}', '\u{2060}', '\u{200E}']
        {
            let text = format!("in {inv}Mari{inv}{inv}upol{inv} today");
            let got: Vec<(String, &str)> = words(&text)
                .map(|w| (w.term, text[w.start..w.end].trim_matches(is_invisible)))
                .collect();
            let word = format!("Mari{inv}{inv}upol");
            let want = [
                ("in".to_string(), "in"),
                ("mariupol".to_string(), word.as_str()),
                ("today".to_string(), "today"),
            ];
            assert_eq!(got, want, "U+{:04X}", inv as u32);
            let mut seen = Vec::new();
            for_each_word(&text, |t, s, e| seen.push((t.to_string(), s, e)));
            let want: Vec<_> = words(&text).map(|w| (w.term, w.start, w.end)).collect();
            assert_eq!(seen, want);
        }
        // Visible separators still separate.
        assert_eq!(
            terms("mari\u{00A0}upol ü\u{200B}-x").collect::<Vec<_>>(),
            ["mari", "upol", "u", "x"]
        );
    }

    fn ts(s: &str) -> Vec<String> {
        terms(s).collect()
    }

    #[test]
    fn quotes_and_case_fold_to_one_term() {
        assert_eq!(ts("putin’s"), ["putin"]);
        assert_eq!(ts("Putin's"), ["putin"]);
        assert_eq!(ts("PUTIN'S"), ["putin"]);
        assert_eq!(ts("we’re"), ["were"]);
    }

    #[test]
    fn diacritics_and_compatibility_forms() {
        assert_eq!(ts("Zaporižžia café"), ["zaporizzia", "cafe"]);
        assert_eq!(ts("ﬁre ＡＢＣ"), ["fire", "abc"]);
        // Decomposed input folds like precomposed input.
        assert_eq!(ts("cafe\u{301} Zaporiz\u{30C}z\u{30C}ia"), ["cafe", "zaporizzia"]);
        // Cyrillic and Greek lose their diacritics too: й → и, ї → і, ά → α.
        assert_eq!(ts("Київ Зеленський άλφα"), ["киів", "зеленськии", "αλφα"]);
        assert_eq!(ts("Ⅻ ½ x²"), ["xii", "12", "x", "2"]);
    }

    #[test]
    fn the_fold_table_is_consistent() {
        use fold_table::*;
        assert!(PAGES.windows(2).all(|w| w[0] < w[1]));
        let mut n = 0;
        for (p, words) in BITS.iter().enumerate() {
            assert_eq!(RANKS[p] as usize, n, "page {p}");
            n += words.iter().map(|w| w.count_ones() as usize).sum::<usize>();
        }
        assert_eq!((n, LENS.len()), (KEYS, KEYS));
        assert_eq!(LENS.iter().map(|&l| l as usize).sum::<usize>(), VALUES.len());
        for (k, &s) in STARTS.iter().enumerate() {
            assert_eq!(
                s as usize,
                LENS[..(64 * k).min(KEYS)].iter().map(|&l| l as usize).sum::<usize>()
            );
        }
    }

    /// Every BMP code point through `folded`: exactly the generator's
    /// mapping (its FNV-1a hash over every key and folded form, in order).
    #[test]
    fn the_fold_table_holds_the_generated_mapping() {
        let (mut h, mut keys) = (0xCBF2_9CE4_8422_2325u64, 0);
        for cp in 0..0x10000u32 {
            let Some(f) = folded(cp) else { continue };
            keys += 1;
            for b in cp.to_le_bytes().iter().chain(f.as_bytes()) {
                h = (h ^ *b as u64).wrapping_mul(0x100_0000_01B3);
            }
        }
        assert_eq!((keys, h), (fold_table::KEYS, fold_table::MAPPING_FNV));
    }

    #[test]
    fn push_lower_is_to_lowercase_for_every_char() {
        // If this fails after a toolchain update, its Unicode changed the
        // lowercase of some letters: regenerate the table (see
        // tools/gen_lower_table.rs). Until then the index keeps the old terms.
        let mut got = String::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            got.clear();
            push_lower(c, &mut got);
            assert!(
                got.chars().eq(c.to_lowercase()),
                "U+{:04X}: {got:?} is not {:?}",
                c as u32,
                c.to_lowercase().to_string()
            );
        }
    }

    /// `term` and `fold` as they were written with `char::to_lowercase`.
    fn term_with_core_lowercase(word: &str) -> String {
        if word.is_ascii() {
            return term(word);
        }
        let folded: String = decomposed(word).chars().flat_map(char::to_lowercase).collect();
        let mut base = folded.as_str();
        let mut chars = base.char_indices().rev();
        if let (Some((_, 's')), Some((i, a))) = (chars.next(), chars.next()) {
            if is_apostrophe(a) && i > 0 {
                base = &base[..i];
            }
        }
        base.chars().filter(|c| c.is_alphanumeric()).collect()
    }

    #[cfg(not(target_arch = "wasm32"))]
    use unicode_segmentation::UnicodeSegmentation;

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Any text, and text made of the letters that lowercase oddly
        /// (İ, final sigma, Greek and Cyrillic capitals, full-width,
        /// Georgian, Deseret, ...): the same terms as with `to_lowercase`.
        #[test]
        fn terms_are_those_of_core_lowercase(
            any in "\\PC{0,40}",
            odd in "[A-Za-z'’İıΣσςΆΪϴᾈᾼΩKÅẞ\u{1E9E}ЁЙЇѠ\u{10A0}-\u{10C5}\u{13A0}-\u{13F5}\u{10400}-\u{10427}\u{1E900}-\u{1E921}Ａ-Ｚ\u{2160}-\u{216F}\u{24B6}-\u{24CF} \u{301}]{0,30}",
        ) {
            for s in [&any, &odd] {
                let got: Vec<String> = terms(s).collect();
                let want: Vec<String> = s.unicode_word_indices().map(|(_, w)| term_with_core_lowercase(w)).filter(|t| !t.is_empty()).collect();
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn abbreviations_and_numbers() {
        assert_eq!(ts("U.S. officials"), ["us", "officials"]);
        assert_eq!(ts("some 836,000 people"), ["some", "836000", "people"]);
        assert_eq!(ts("self-determined -- pause"), ["self", "determined", "pause"]);
    }

    #[test]
    fn offsets_point_into_the_original() {
        let s = "“Don’t panic,” Kim said.";
        let w: Vec<_> = words(s).collect();
        assert_eq!(&s[w[0].start..w[0].end], "Don’t");
        assert_eq!(w[0].term, "dont");
        assert_eq!(&s[w[2].start..w[2].end], "Kim");
    }

    #[test]
    fn keys_ignore_typesetting() {
        assert_eq!(
            key("putting up “stiff resistance,” according to U.S. officials."),
            key("putting up \"stiff resistance,\" according to U.S. officials.")
        );
        assert_eq!(fold("A  “b” — c’s"), "a \"b\" - c's");
    }

    #[test]
    fn the_ascii_path_agrees_with_the_unicode_path() {
        for (w, t) in [
            ("Putin's", "putin"),
            ("PUTIN'S", "putin"),
            ("s", "s"),
            ("'s", "s"),
            ("it`s", "it"),
            ("x's's", "xs"),
        ] {
            assert_eq!(term(w), t, "{w}");
        }
        for (w, t) in [
            ("Putin\u{2019}s", "putin"),
            ("CAF\u{c9}'S", "cafe"),
            ("\u{2019}s", "s"),
            ("x\u{2019}s\u{2019}s", "xs"),
        ] {
            assert_eq!(term(w), t, "{w}");
        }
    }

    /// `for_each_word` as a list, to compare with `words`.
    fn fast(s: &str) -> Vec<Word> {
        let mut out = Vec::new();
        for_each_word(s, |t, start, end| out.push(Word { term: t.to_string(), start, end }));
        out
    }

    #[test]
    fn for_each_word_agrees_with_words_on_known_cases() {
        for s in [
            "",
            "a",
            "Putin's PUTIN'S putin’s we’re U.S. 836,000 x's's it`s 's s",
            "“Don’t panic,” Kim said. Zaporižžia café ﬁre ＡＢＣ Київ Ⅻ ½ x² cafe\u{301}",
            "10:30 a.m. 3.5% e-mail foo_bar __x_ 1,2,3 a:b a'b' 'quoted' \r\n\t  spaces",
        ] {
            assert_eq!(fast(s), words(s).collect::<Vec<_>>(), "{s:?}");
        }
    }

    #[test]
    fn for_each_word_borrows_terms_that_need_no_folding() {
        let s = "abc Def 12";
        let mut borrowed = Vec::new();
        for_each_word(s, |t, _, _| {
            borrowed.push(s.as_bytes().as_ptr_range().contains(&t.as_ptr()))
        });
        assert_eq!(borrowed, [true, false, true]);
    }

    #[test]
    fn for_each_word_agrees_with_words_on_the_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut n = 0;
        for f in std::fs::read_dir(&dir).expect("the corpus directory") {
            let p = f.expect("a corpus file").path();
            let text = std::fs::read_to_string(&p).expect("a UTF-8 capture");
            // Line by line (as paragraphs are indexed) and whole.
            for line in text.lines().chain(std::iter::once(text.as_str())) {
                let w = fast(line);
                n += w.len();
                assert_eq!(w, words(line).collect::<Vec<_>>(), "{}: {line:?}", p.display());
            }
        }
        assert!(n > 10_000, "only {n} words: is the corpus there?");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod property {
        use super::*;
        use proptest::prelude::*;

        /// Characters that exercise every rule the tokenizer has a path for:
        /// ASCII letters, digits and word-joining punctuation, apostrophes
        /// and possessives, decomposable letters, combining marks, other
        /// scripts, whitespace, and any `char` at all.
        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => "[a-zA-Z0-9]{1,6}",
                3 => prop::sample::select(vec![
                    " ", "  ", ".", ",", ";", ":", "'", "_", "-", "\"", "\n", "\r\n", "\t", "'s", "'S",
                    "\u{2019}s", "\u{2018}", "`", "\u{B4}", "\u{2BC}", "\u{FF07}", "\u{301}", "\u{30C}",
                    "é", "É", "ž", "ﬁ", "Ａ", "½", "²", "Ⅻ", "ẞ", "İ", "Σ", "ς", "й", "ї", "ά", "中文", "日本",
                    "ア", "🇺🇦", "👍🏽", "\u{200D}", "\u{A0}", "\u{2024}", "٣", "ক্ষ", "\u{FE0F}",
                ])
                .prop_map(str::to_string),
                1 => any::<char>().prop_map(|c| c.to_string()),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]
            #[test]
            fn for_each_word_agrees_with_words(parts in prop::collection::vec(piece(), 0..24)) {
                let s: String = parts.concat();
                prop_assert_eq!(fast(&s), words(&s).collect::<Vec<_>>());
            }

            #[test]
            fn for_each_word_agrees_with_words_on_any_string(s in any::<String>()) {
                prop_assert_eq!(fast(&s), words(&s).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn no_terms_from_punctuation() {
        assert!(ts(" -- … “” ").is_empty());
        assert!(ts("").is_empty());
    }
}
