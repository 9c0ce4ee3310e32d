//! Synthetic live-blog captures, for measuring ingestion and the engine at
//! scale (feature `cli`; used by `dateline synth` and `dateline bench`).
//!
//! The text is sampled from a real corpus so that term statistics look like
//! news copy rather than noise:
//!
//! * **Sentence shapes** come from a first-order Markov chain over the
//!   surface tokens (words and punctuation) of the real body paragraphs, so
//!   phrases such as "nuclear power plant" or "special military operation"
//!   recur, quotes open and close, and sentences end the way copy does.
//!   Headlines come from a chain over the real headlines.
//! * **Vocabulary** grows with the corpus: with a small probability a word of
//!   the walk is replaced by one drawn from a Zipf distribution (`s = 1`)
//!   over the real words (by frequency) followed by made-up words spliced
//!   from real ones. The extended vocabulary has `~300·√N` words, so the
//!   number of distinct terms grows roughly like Heaps' law.
//! * **Authors** come from a pool of ~200 names (the real bylines first),
//!   drawn Zipf-like, sometimes co-bylined ("A and B", "A, B and C").
//! * **Times** start on 2022-02-24 and advance 0–144 s per post (≈50 posts
//!   an hour, so 1M posts span ≈2.3 years), printed in America/New_York with
//!   the EST/EDT label in force, exactly like `Mar 04, 2022, 7:46 AM EST`.
//!
//! Output is a directory of captures typeset like the real ones (page
//! furniture, posts newest-first, "Related Topics") plus a `manifest.toml`.
//! Consecutive captures share a few posts, and half of the repeated copies
//! are re-typeset with curly quotes, so deduplication is exercised.
//!
//! Everything is a function of `(corpus, entries, seed)`: post `i` draws from
//! its own generator seeded by `(seed, i)`, so the bytes are reproducible
//! and do not depend on how posts are split into captures.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::America::New_York;
use chrono_tz::Tz;
use rand_pcg::rand_core::{Rng as _, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// Version of the generator's output: bumped whenever the same options
/// would give other bytes (caches of synthetic corpora compare it).
pub const VERSION: u32 = 2;

/// Unix seconds of 2022-02-24 05:00 EST, just before the first synthetic post.
pub const START_UNIX: i64 = 1_645_696_800;

/// The time zone synthetic captures are printed in (written to the manifest).
pub const TIMEZONE: &str = "America/New_York";

/// Page furniture before the posts, as in the real captures 002 and 003.
const HEADER: &str = "Russia-Ukraine updates: Putin says 'certain positive movements' in negotiations

A third round of talks between Russia and Ukraine ended without any resolution.

Russian forces are continuing their attempted push through Ukraine from multiple directions, while Ukrainians, led by President Volodymyr Zelenskyy, are putting up \"stiff resistance,\" according to U.S. officials.

The attack began Feb. 24, when Russian President Vladimir Putin announced a \"special military operation.\"

Russian forces moving from neighboring Belarus toward Ukraine's capital, Kyiv, have advanced closer to the city center in recent days despite the resistance, coming within about 9 miles as of Friday.

Russia has been met by sanctions from the United States, Canada and countries throughout Europe, targeting the Russian economy as well as Putin himself.

For previous coverage, please click here.

Hulu

Two Men at War

A look at the two leaders at the center of the war in Ukraine and how they both rose to power, the difference in their leadership and what led to this moment in history.

";

/// Page furniture after the posts.
const FOOTER: &str = "Related Topics\n";

/// Lines of page furniture: never sampled as text.
const FURNITURE: &[&str] = &[
    "For previous coverage, please click here.",
    "Hulu",
    "Two Men at War",
    "Stream On Hulu",
    "Related Topics",
    "LIVE UPDATES",
    "0",
];

/// Abbreviations whose final period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Jan", "Feb", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Gov", "Mr", "Mrs", "Ms", "Dr", "St",
    "Gen", "Lt", "Col", "Sen", "Rep", "Jr", "Sr", "Sgt", "Capt", "Maj", "Adm", "No", "vs", "Inc",
    "Co", "Corp", "Ltd", "Mt", "Ft", "Gov", "Pres",
];

const FIRST_NAMES: &[&str] = &[
    "Anna",
    "Ben",
    "Cindy",
    "David",
    "Elena",
    "Fatima",
    "George",
    "Hannah",
    "Ivan",
    "Julia",
    "Kevin",
    "Laura",
    "Marcus",
    "Nadia",
    "Oliver",
    "Priya",
    "Quinn",
    "Rachel",
    "Samuel",
    "Tara",
    "Umar",
    "Victoria",
    "William",
    "Ximena",
    "Yuri",
    "Zoe",
    "Aaron",
    "Bianca",
    "Carlos",
    "Dana",
    "Emily",
    "Frank",
    "Grace",
    "Hector",
    "Iris",
    "James",
    "Kate",
    "Luis",
    "Maria",
    "Nathan",
    "Olga",
    "Peter",
    "Rosa",
    "Sarah",
    "Tom",
    "Ursula",
    "Vera",
    "Wes",
    "Yasmin",
    "Zach",
    "Alexandra",
    "Brian",
    "Chloe",
    "Dmitri",
    "Erin",
    "Felix",
    "Gina",
    "Hugo",
    "Ines",
    "Jon",
    "Kim",
    "Leah",
    "Mark",
    "Nina",
    "Omar",
    "Paula",
    "Ray",
    "Sofia",
    "Terry",
    "Will",
];

const LAST_NAMES: &[&str] = &[
    "Adams",
    "Baker",
    "Castillo",
    "Dimitrova",
    "Edwards",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Morales",
    "Novak",
    "O'Connor",
    "Petrenko",
    "Quinlan",
    "Rossi",
    "Schmidt",
    "Turner",
    "Usmanov",
    "Vasquez",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Bennett",
    "Chen",
    "Doherty",
    "Esposito",
    "Flores",
    "Grant",
    "Hoffman",
    "Iqbal",
    "Jovanovic",
    "Kaplan",
    "Lindqvist",
    "McCarthy",
    "Nguyen",
    "Okafor",
    "Park",
    "Reyes",
    "Silva",
    "Tanaka",
    "Ueda",
    "Volkova",
    "Whitaker",
    "Young",
    "Zielinski",
    "Abramson",
    "Brennan",
    "Coleman",
    "Delgado",
    "Ellison",
    "Fitzgerald",
    "Goldberg",
    "Harper",
    "Ishikawa",
    "Jablonski",
    "Kuznetsov",
    "Larsen",
    "Mendez",
    "Nakamura",
    "Ortega",
    "Pavlenko",
    "Romano",
    "Sokolov",
    "Thornton",
    "Vance",
    "Weber",
];

/// Photo agencies for credit lines (merged with those of the real corpus).
const AGENCIES: &[&str] = &[
    "AFP via Getty Images",
    "Reuters",
    "AP",
    "Getty Images",
    "Anadolu Agency via Getty Images",
    "EPA-EFE/Shutterstock",
    "Bloomberg via Getty Images",
    "NurPhoto via Getty Images",
    "SOPA Images/LightRocket via Getty Images",
    "Pool/AFP via Getty Images",
    "Sputnik/Kremlin pool photo via AP",
    "Ukrinform/Future Publishing via Getty Images",
];

/// Credits without a photographer.
const PLAIN_CREDITS: &[&str] =
    &["Maxar Technologies", "Planet Labs PBC", "Ukrainian Presidential Press Office via AP"];

const CITIES: &[&str] = &[
    "Kyiv",
    "Kharkiv",
    "Mariupol",
    "Lviv",
    "Odesa",
    "Irpin",
    "Bucha",
    "Mykolaiv",
    "Kherson",
    "Zaporizhzhia",
    "Dnipro",
    "Chernihiv",
    "Sumy",
    "Kramatorsk",
    "Sievierodonetsk",
    "Bakhmut",
];

const MONTHS_AP: &[&str] = &[
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];

/// An error while reading the source corpus or writing captures.
#[derive(Debug)]
pub enum SynthError {
    /// Reading or writing a file failed.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// The source directory has no `.txt` capture with body text to sample.
    NoText {
        /// The directory that was read.
        dir: PathBuf,
    },
    /// The options cannot produce a corpus.
    Options(String),
}

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SynthError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            SynthError::NoText { dir } => write!(
                f,
                "{}: no capture (*.txt) with body paragraphs to sample from; \
                 point --from-corpus at a directory of real captures",
                dir.display()
            ),
            SynthError::Options(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for SynthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SynthError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> SynthError + '_ {
    move |source| SynthError::Io { path: path.to_path_buf(), source }
}

// ---------------------------------------------------------------------------
// Randomness

/// SplitMix64's finalizer: decorrelates seeds before they reach the PCG.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of stream `salt` for `seed`.
fn rng_for(seed: u64, salt: u64) -> Rng {
    Rng(Pcg64Mcg::seed_from_u64(mix(seed ^ mix(salt))))
}

/// A thin wrapper over the PCG with the few draws this module needs.
struct Rng(Pcg64Mcg);

impl Rng {
    /// Uniform in `0..n` (`n > 0`), by Lemire's multiply-shift (bias < 2⁻³²).
    fn below(&mut self, n: usize) -> usize {
        ((self.0.next_u64() >> 32).wrapping_mul(n as u64) >> 32) as usize
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u32) -> bool {
        (self.0.next_u32() % 1000) < per_mille
    }

    /// An index drawn with the given integer weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.0.next_u32() % total.max(1);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Walker's alias table over Zipf weights `1/(r+1)^s`: O(1) draws.
struct Zipf {
    prob: Vec<u32>,
    alias: Vec<u32>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let n = n.max(1);
        let w: Vec<f64> = (0..n).map(|r| 1.0 / ((r + 1) as f64).powf(s)).collect();
        let total: f64 = w.iter().sum();
        let mut scaled: Vec<f64> = w.iter().map(|x| x * n as f64 / total).collect();
        let mut prob = vec![u32::MAX; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&i| scaled[i] < 1.0);
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            prob[s] = (scaled[s] * u32::MAX as f64) as u32;
            alias[s] = l as u32;
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        Zipf { prob, alias }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let i = rng.below(self.prob.len());
        if rng.0.next_u32() < self.prob[i] {
            i
        } else {
            self.alias[i] as usize
        }
    }
}

// ---------------------------------------------------------------------------
// The model: token chains and pools read from a real corpus

/// How a token is spaced and whether it may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    /// A word (may be replaced by a vocabulary draw).
    Word,
    /// A token with digits (may have its digits redrawn).
    Number,
    /// `,` `;` `:`: attaches to the left.
    Glue,
    /// `.` `?` `!`: attaches to the left and ends a sentence.
    Stop,
    /// `(` `[`: attaches to the right.
    Open,
    /// `)` `]`: attaches to the left.
    Close,
    /// An opening double quote.
    QOpen,
    /// A closing double quote.
    QClose,
    /// An opening single quote (quotation, not apostrophe).
    SOpen,
    /// A closing single quote.
    SClose,
    /// Free-standing punctuation (`--`, `...`).
    Free,
}

/// A first-order Markov chain over token ids, in CSR form.
#[derive(Default)]
struct Chain {
    off: Vec<u32>,
    next: Vec<u32>,
    starts: Vec<u32>,
}

const END: u32 = u32::MAX;

impl Chain {
    fn build(n_tokens: usize, lines: &[Vec<u32>]) -> Chain {
        let mut succ: Vec<Vec<u32>> = vec![Vec::new(); n_tokens];
        let mut starts = Vec::new();
        for line in lines {
            let Some(&first) = line.first() else { continue };
            starts.push(first);
            for w in line.windows(2) {
                succ[w[0] as usize].push(w[1]);
            }
            if let Some(&last) = line.last() {
                succ[last as usize].push(END);
            }
        }
        let mut off = Vec::with_capacity(n_tokens + 1);
        let mut next = Vec::new();
        off.push(0);
        for s in succ {
            next.extend(s);
            off.push(next.len() as u32);
        }
        Chain { off, next, starts }
    }

    fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    fn start(&self, rng: &mut Rng) -> u32 {
        *rng.pick(&self.starts)
    }

    fn step(&self, tok: u32, rng: &mut Rng) -> u32 {
        let (a, b) = (self.off[tok as usize] as usize, self.off[tok as usize + 1] as usize);
        if a == b {
            END
        } else {
            self.next[a + rng.below(b - a)]
        }
    }
}

/// What `dateline synth` samples from: read once from a real corpus.
pub struct Model {
    tokens: Vec<(String, Kind)>,
    body: Chain,
    heads: Chain,
    captions: Chain,
    /// Real lowercase words, most frequent first.
    words: Vec<String>,
    /// Names from the real bylines, first seen first.
    authors: Vec<String>,
    /// Photographers from the real credit lines.
    photographers: Vec<String>,
    /// Agencies: the real ones, then the built-in list.
    agencies: Vec<String>,
    /// How many body paragraphs were sampled (for reports).
    paragraphs: usize,
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("tokens", &self.tokens.len())
            .field("paragraphs", &self.paragraphs)
            .field("words", &self.words.len())
            .field("authors", &self.authors.len())
            .finish()
    }
}

/// Straight quotes for curly ones, so both typesettings train one chain.
fn straighten(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            c => c,
        })
        .collect()
}

fn is_timestamp(line: &str) -> bool {
    let parts: Vec<&str> = line.split(", ").collect();
    parts.len() == 3
        && parts[1].len() == 4
        && parts[1].bytes().all(|b| b.is_ascii_digit())
        && parts[2].contains(':')
        && (parts[2].ends_with('T') || parts[2].ends_with("UTC"))
}

fn is_byline(line: &str) -> bool {
    let t = line.trim_start_matches(['-', ' ', '\u{2013}', '\u{2014}']);
    line.starts_with(['-', '\u{2013}', '\u{2014}']) && t.starts_with("ABC News")
}

/// The names of a byline: `-ABC News' A and B` → `[A, B]`.
fn byline_names(line: &str) -> Vec<String> {
    let t = line.trim_start_matches(['-', ' ', '\u{2013}', '\u{2014}']);
    let t = t.trim_start_matches("ABC News").trim_start_matches(['\'', ' ']);
    t.split(" and ")
        .flat_map(|p| p.split(", "))
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.split(' ').count() <= 4)
        .map(str::to_string)
        .collect()
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with(['.', '?', '!', '"', '\'', ')'])
}

fn is_abbreviation(core: &str) -> bool {
    // `core` still ends with its period.
    let stem = &core[..core.len() - 1];
    stem.contains('.') || ABBREVIATIONS.contains(&stem)
}

/// Splits one line into `(text, kind)` tokens.
fn tokenize(line: &str, out: &mut Vec<(String, Kind)>) {
    let mut squote_open = false;
    for chunk in line.split_whitespace() {
        let mut s = chunk;
        // Leading punctuation.
        while let Some(c) = s.chars().next() {
            let kind = match c {
                '"' => Kind::QOpen,
                '(' | '[' => Kind::Open,
                '\'' if s.len() > 1 && s[1..].starts_with(char::is_alphabetic) => {
                    squote_open = true;
                    Kind::SOpen
                }
                _ => break,
            };
            out.push((c.to_string(), kind));
            s = &s[c.len_utf8()..];
        }
        // Trailing punctuation, collected in reverse.
        let mut tail = Vec::new();
        while let Some(c) = s.chars().next_back() {
            let kind = match c {
                '"' => Kind::QClose,
                ')' | ']' => Kind::Close,
                ',' | ';' | ':' => Kind::Glue,
                '?' | '!' => Kind::Stop,
                '.' if s.ends_with("...") || is_abbreviation(s) => break,
                '.' => Kind::Stop,
                '\'' if squote_open => {
                    squote_open = false;
                    Kind::SClose
                }
                _ => break,
            };
            tail.push((c.to_string(), kind));
            s = &s[..s.len() - c.len_utf8()];
        }
        if !s.is_empty() {
            let kind = if s.chars().any(|c| c.is_ascii_digit()) {
                Kind::Number
            } else if s.chars().any(char::is_alphanumeric) {
                Kind::Word
            } else {
                Kind::Free
            };
            out.push((s.to_string(), kind));
        }
        out.extend(tail.into_iter().rev());
    }
}

impl Model {
    /// Reads every `*.txt` capture in `dir` (sorted by name) and builds the model.
    pub fn from_dir(dir: &Path) -> Result<Model, SynthError> {
        let mut files: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(io_err(dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut texts = Vec::new();
        for f in &files {
            texts.push(fs::read_to_string(f).map_err(io_err(f))?);
        }
        Model::from_texts(&texts).ok_or_else(|| SynthError::NoText { dir: dir.to_path_buf() })
    }

    /// Builds the model from capture texts; `None` if they hold no body text.
    pub fn from_texts<S: AsRef<str>>(texts: &[S]) -> Option<Model> {
        let mut seen = HashSet::new();
        let mut body_lines = Vec::new();
        let mut head_lines = Vec::new();
        let mut caption_lines = Vec::new();
        let mut authors: Vec<String> = Vec::new();
        let mut photographers: Vec<String> = Vec::new();
        let mut agencies: Vec<String> = Vec::new();
        for text in texts {
            let text = straighten(text.as_ref());
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for (i, &line) in lines.iter().enumerate() {
                let prev = if i > 0 { lines[i - 1] } else { "" };
                let next = lines.get(i + 1).copied().unwrap_or("");
                let n_words = line.split_whitespace().count();
                if line.is_empty() || FURNITURE.contains(&line) || is_timestamp(line) {
                    continue;
                }
                if is_byline(line) {
                    for n in byline_names(line) {
                        if !authors.contains(&n) {
                            authors.push(n);
                        }
                    }
                    continue;
                }
                // A credit line: short, right under a caption, no final period.
                let credit_like = |l: &str| {
                    let n = l.split_whitespace().count();
                    !l.is_empty()
                        && n <= 10
                        && !l.ends_with('.')
                        && !is_byline(l)
                        && !is_timestamp(l)
                };
                if !prev.is_empty() && ends_sentence(prev) && credit_like(line) {
                    let credit = line.trim_end_matches(", File");
                    if let Some((who, agency)) = credit.split_once('/') {
                        if who.split(' ').count() <= 3 && !photographers.iter().any(|p| p == who) {
                            photographers.push(who.to_string());
                        }
                        if !agencies.iter().any(|a| a == agency) {
                            agencies.push(agency.to_string());
                        }
                    }
                    continue;
                }
                let is_caption = credit_like(next) && ends_sentence(line) && n_words >= 6;
                if !seen.insert(line.to_string()) {
                    continue;
                }
                if is_caption {
                    caption_lines.push(line.to_string());
                } else if n_words >= 6 && ends_sentence(line) {
                    body_lines.push(line.to_string());
                } else if (3..=16).contains(&n_words) && prev.is_empty() && next.is_empty() {
                    head_lines.push(line.to_string());
                }
            }
        }
        if body_lines.is_empty() {
            return None;
        }
        for a in AGENCIES {
            if !agencies.iter().any(|x| x == a) {
                agencies.push(a.to_string());
            }
        }

        let mut ids: HashMap<(String, Kind), u32> = HashMap::new();
        let mut tokens: Vec<(String, Kind)> = Vec::new();
        let mut counts: HashMap<String, u32> = HashMap::new();
        let mut encode = |lines: &[String], count: bool| -> Vec<Vec<u32>> {
            let mut out = Vec::new();
            let mut buf = Vec::new();
            for line in lines {
                buf.clear();
                tokenize(line, &mut buf);
                let seq = buf
                    .drain(..)
                    .map(|tok| {
                        if count && tok.1 == Kind::Word && tok.0.chars().all(char::is_alphabetic) {
                            *counts.entry(tok.0.to_lowercase()).or_default() += 1;
                        }
                        *ids.entry(tok.clone()).or_insert_with(|| {
                            tokens.push(tok);
                            (tokens.len() - 1) as u32
                        })
                    })
                    .collect();
                out.push(seq);
            }
            out
        };
        let body_seq = encode(&body_lines, true);
        let head_seq = encode(&head_lines, true);
        let caption_seq = encode(&caption_lines, true);
        let n = tokens.len();
        let mut words: Vec<(String, u32)> = counts.into_iter().collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Some(Model {
            body: Chain::build(n, &body_seq),
            heads: Chain::build(n, &head_seq),
            captions: Chain::build(n, &caption_seq),
            tokens,
            words: words.into_iter().map(|w| w.0).collect(),
            authors,
            photographers,
            agencies,
            paragraphs: body_lines.len(),
        })
    }

    /// How many distinct body paragraphs the model was trained on.
    pub fn paragraphs(&self) -> usize {
        self.paragraphs
    }
}

// ---------------------------------------------------------------------------
// Posts

/// A photo caption and its credit line, and the paragraph it follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    /// The caption line.
    pub caption: String,
    /// The credit line (`Name/AFP via Getty Images`).
    pub credit: String,
    /// How many body paragraphs come before it (≥ 1).
    pub after: usize,
}

/// One synthetic post, before typesetting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// Position in publication order, oldest first (0-based).
    pub index: u64,
    /// Publication time, seconds since the Unix epoch (whole minutes are printed).
    pub unix: i64,
    /// The printed timestamp line, e.g. `Mar 04, 2022, 7:46 AM EST`.
    pub stamp: String,
    /// Local civil date `YYYY-MM-DD`.
    pub day: String,
    /// The headline.
    pub headline: String,
    /// Body paragraphs (2–8).
    pub paragraphs: Vec<String>,
    /// Photo blocks.
    pub photos: Vec<Photo>,
    /// Authors in byline order; empty when the post has no byline.
    pub authors: Vec<String>,
    /// The byline line as printed, if any.
    pub byline: Option<String>,
    /// Whether a repeated copy of this post is re-typeset with curly quotes.
    pub curly_repeat: bool,
}

impl Post {
    /// Appends the post as it appears in a capture (ending in a blank line).
    pub fn render(&self, curly: bool, out: &mut String) {
        let start = out.len();
        out.push_str(&self.stamp);
        out.push_str("\n\n");
        out.push_str(&self.headline);
        out.push_str("\n\n");
        for (i, p) in self.paragraphs.iter().enumerate() {
            out.push_str(p);
            out.push_str("\n\n");
            for ph in self.photos.iter().filter(|ph| ph.after == i + 1) {
                out.push_str(&ph.caption);
                out.push('\n');
                out.push_str(&ph.credit);
                out.push_str("\n\n");
            }
        }
        if let Some(b) = &self.byline {
            out.push_str(b);
            out.push_str("\n\n");
        }
        if curly {
            let curled = curl(&out[start..]);
            out.truncate(start);
            out.push_str(&curled);
        }
    }
}

/// Re-typesets straight quotes as curly ones.
fn curl(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let mut prev = ' ';
    for c in s.chars() {
        let open = prev.is_whitespace() || matches!(prev, '(' | '[' | '\u{201C}' | '\u{2018}');
        out.push(match c {
            '"' if open => '\u{201C}',
            '"' => '\u{201D}',
            '\'' if open => '\u{2018}',
            '\'' => '\u{2019}',
            c => c,
        });
        prev = c;
    }
    out
}

/// Builds one line of text from tokens, spacing punctuation like copy does.
struct Line<'a> {
    out: &'a mut String,
    at_start: bool,
    glue_next: bool,
    dq_open: bool,
    sq_open: bool,
    in_sentence: bool,
    tokens: usize,
    last: Option<Kind>,
    /// Headline typesetting: single quotes only, no clause punctuation at the end.
    headline: bool,
}

impl<'a> Line<'a> {
    fn new(out: &'a mut String) -> Line<'a> {
        Line {
            out,
            at_start: true,
            glue_next: false,
            dq_open: false,
            sq_open: false,
            in_sentence: false,
            tokens: 0,
            last: None,
            headline: false,
        }
    }

    fn push(&mut self, text: &str, kind: Kind) {
        let (text, kind) = match kind {
            Kind::QOpen if self.headline => ("'", Kind::SOpen),
            Kind::QClose if self.headline => ("'", Kind::SClose),
            _ => (text, kind),
        };
        if self.headline && matches!(kind, Kind::SClose) {
            self.trim_clause_end();
        }
        // A quote that would not pair up is dropped.
        match kind {
            Kind::QOpen if self.dq_open => return,
            Kind::QClose if !self.dq_open => return,
            Kind::SOpen if self.sq_open => return,
            Kind::SClose if !self.sq_open => return,
            _ => {}
        }
        let space_before = match kind {
            Kind::Glue | Kind::Stop | Kind::Close | Kind::QClose | Kind::SClose => false,
            _ => !self.at_start && !self.glue_next,
        };
        if space_before {
            self.out.push(' ');
        }
        if self.at_start && kind == Kind::Word {
            // A line starts with a capital, as copy does.
            let mut cs = text.chars();
            if let Some(c) = cs.next() {
                self.out.extend(c.to_uppercase());
                self.out.push_str(cs.as_str());
            }
        } else {
            self.out.push_str(text);
        }
        match kind {
            Kind::QOpen => self.dq_open = true,
            Kind::QClose => self.dq_open = false,
            Kind::SOpen => self.sq_open = true,
            Kind::SClose => self.sq_open = false,
            _ => {}
        }
        self.glue_next = matches!(kind, Kind::Open | Kind::QOpen | Kind::SOpen);
        match kind {
            Kind::Stop => self.in_sentence = false,
            Kind::Word | Kind::Number => self.in_sentence = true,
            _ => {}
        }
        self.at_start = false;
        self.tokens += 1;
        self.last = Some(kind);
    }

    /// Drops trailing `,` `;` `:` `.` and `(`: a headline does not end a clause.
    fn trim_clause_end(&mut self) {
        while self.out.ends_with([',', ';', ':', '.', '(', '[', ' ']) {
            self.out.pop();
        }
    }

    /// Ends a sentence that is still open.
    fn close_sentence(&mut self) {
        if self.last == Some(Kind::Glue) {
            self.out.pop();
        }
        if self.in_sentence {
            self.push(".", Kind::Stop);
        }
    }

    /// Closes open quotes; `stop` also ends an open sentence.
    fn finish(mut self, stop: bool) {
        if stop {
            self.close_sentence();
        }
        if self.headline {
            self.trim_clause_end();
        }
        if self.sq_open {
            self.out.push('\'');
        }
        if self.dq_open {
            self.out.push('"');
        }
    }
}

/// Draws posts in publication order: an iterator over [`Post`]s.
pub struct Generator<'m> {
    model: &'m Model,
    seed: u64,
    next: u64,
    entries: u64,
    unix: i64,
    clock: Rng,
    vocab: Vec<String>,
    vocab_zipf: Zipf,
    authors: Vec<String>,
    author_zipf: Zipf,
    photographers: Vec<String>,
}

impl fmt::Debug for Generator<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generator")
            .field("seed", &self.seed)
            .field("next", &self.next)
            .field("entries", &self.entries)
            .field("vocab", &self.vocab.len())
            .finish()
    }
}

/// Splits a real word into a prefix and suffix after its first vowel run.
fn splice_point(w: &str) -> Option<usize> {
    let cs: Vec<(usize, char)> = w.char_indices().collect();
    let vowel = |c: char| "aeiouy".contains(c);
    (1..cs.len().saturating_sub(2))
        .find(|&i| vowel(cs[i - 1].1) && !vowel(cs[i].1) && i >= 2)
        .map(|i| cs[i].0)
}

/// `count` distinct names `First Last`, the given ones first.
fn name_pool(given: &[String], count: usize, rng: &mut Rng) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(count);
    let mut seen: HashSet<String> = HashSet::new();
    for g in given.iter().take(count) {
        if seen.insert(g.clone()) {
            out.push(g.clone());
        }
    }
    let max = FIRST_NAMES.len() * LAST_NAMES.len();
    while out.len() < count.min(max + given.len()) {
        let n = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
        if seen.insert(n.clone()) {
            out.push(n);
        }
    }
    out
}

impl<'m> Generator<'m> {
    /// A generator of `entries` posts for `seed`.
    pub fn new(model: &'m Model, entries: u64, seed: u64) -> Generator<'m> {
        let mut rng = rng_for(seed, 0x0076_6f63_6162);
        // Extended vocabulary: real words by frequency, then spliced words.
        let extra = ((300.0 * (entries as f64).sqrt()) as usize).clamp(1000, 1_000_000);
        let mut vocab = model.words.clone();
        let mut seen: HashSet<String> = vocab.iter().cloned().collect();
        let (mut pre, mut suf) = (Vec::new(), Vec::new());
        for w in model.words.iter().filter(|w| w.chars().count() >= 5) {
            if let Some(i) = splice_point(w) {
                pre.push(&w[..i]);
                suf.push(&w[i..]);
            }
        }
        if pre.is_empty() {
            pre.push("dat");
            suf.push("eline");
        }
        let target = vocab.len() + extra;
        let mut misses = 0u32;
        while vocab.len() < target {
            let mut w = String::new();
            w.push_str(rng.pick::<&str>(&pre));
            if misses > 4 || rng.chance(250) {
                let mid = rng.pick(&pre);
                w.push_str(&mid[mid.len() / 2..]);
            }
            w.push_str(rng.pick::<&str>(&suf));
            if misses > 16 {
                // The splice space is exhausted: tag the word with a counter.
                write!(w, "{}", vocab.len()).ok();
            }
            if seen.insert(w.clone()) {
                vocab.push(w);
                misses = 0;
            } else {
                misses += 1;
            }
        }
        let vocab_zipf = Zipf::new(vocab.len(), 1.0);
        let authors = name_pool(&model.authors, 200, &mut rng);
        let author_zipf = Zipf::new(authors.len(), 0.8);
        let photographers = name_pool(&model.photographers, 120, &mut rng);
        Generator {
            model,
            seed,
            next: 0,
            entries,
            unix: START_UNIX,
            clock: rng_for(seed, 0x0063_6c6f_636b),
            vocab,
            vocab_zipf,
            authors,
            author_zipf,
            photographers,
        }
    }

    /// Starts the clock at `unix` (seconds) instead of [`START_UNIX`]: the
    /// first post is 0–144 s later.
    pub fn starting_at(mut self, unix: i64) -> Generator<'m> {
        self.unix = unix;
        self
    }

    /// How many words the extended vocabulary has (real + spliced).
    pub fn vocabulary(&self) -> usize {
        self.vocab.len()
    }

    /// Walks `chain` into `out`: a paragraph of `sentences` sentences, or a
    /// headline of at most `max_tokens` tokens when `sentences` is 0.
    fn walk(
        &self,
        chain: &Chain,
        rng: &mut Rng,
        out: &mut String,
        sentences: usize,
        max_tokens: usize,
        subst: u32,
    ) {
        let mut line = Line::new(out);
        line.headline = sentences == 0;
        let mut done = 0;
        let mut tok = chain.start(rng);
        loop {
            let (text, kind) = &self.model.tokens[tok as usize];
            let (text, kind) = (text.as_str(), *kind);
            if sentences == 0 && kind == Kind::Stop {
                break; // a headline is one clause
            }
            match kind {
                Kind::Word if rng.chance(subst) && text.chars().count() >= 4 => {
                    let w = &self.vocab[self.vocab_zipf.sample(rng)];
                    let cased = recase(w, text);
                    line.push(&cased, kind);
                }
                Kind::Number if rng.chance(400) && !is_year(text) => {
                    let redrawn: String = text
                        .chars()
                        .enumerate()
                        .map(|(i, c)| match c {
                            '0'..='9' if i == 0 => (b'1' + rng.below(9) as u8) as char,
                            '0'..='9' => (b'0' + rng.below(10) as u8) as char,
                            c => c,
                        })
                        .collect();
                    line.push(&redrawn, kind);
                }
                _ => line.push(text, kind),
            }
            if kind == Kind::Stop {
                done += 1;
            }
            let mut next = chain.step(tok, rng);
            if sentences == 0 && next == END && line.tokens < 5 {
                // Too short for a headline: go on as body copy would.
                next = self.model.body.step(tok, rng);
            }
            if sentences == 0 {
                if next == END || line.tokens >= max_tokens {
                    break;
                }
            } else if kind == Kind::Stop && done >= sentences {
                if next != END && self.model.tokens[next as usize].1 == Kind::QClose {
                    line.push("\"", Kind::QClose);
                }
                break;
            } else if line.tokens >= max_tokens {
                break;
            }
            tok = if next == END {
                if done >= sentences.max(1) {
                    break;
                }
                line.close_sentence();
                chain.start(rng)
            } else {
                next
            };
        }
        line.finish(sentences > 0);
    }

    fn post(&mut self, index: u64) -> Post {
        let mut rng = rng_for(self.seed, index.wrapping_add(1));
        let curly_repeat = rng.chance(500);
        // Time: 0–144 s after the previous post (≈50 posts an hour).
        self.unix += self.clock.below(145) as i64;
        let utc: DateTime<Utc> = Utc.timestamp_opt(self.unix, 0).single().unwrap_or_default();
        let local: DateTime<Tz> = utc.with_timezone(&New_York);
        let mut stamp = String::with_capacity(28);
        write!(stamp, "{}", local.format("%b %d, %Y, %-I:%M %p %Z")).ok();
        let day = format!("{:04}-{:02}-{:02}", local.year(), local.month(), local.day());

        let m = self.model;
        let mut headline = String::new();
        if m.heads.is_empty() || rng.chance(400) {
            let max = 6 + rng.below(7);
            self.walk(&m.body, &mut rng, &mut headline, 0, max, 120);
        } else {
            self.walk(&m.heads, &mut rng, &mut headline, 0, 14, 150);
        }
        if headline.is_empty() {
            headline.push_str("Update");
        }

        let n_par = 2 + rng.weighted(&[18, 24, 20, 14, 10, 8, 6]);
        let mut paragraphs = Vec::with_capacity(n_par);
        for _ in 0..n_par {
            let sentences = 1 + rng.weighted(&[62, 28, 10]);
            let mut p = String::with_capacity(200 * sentences);
            self.walk(&m.body, &mut rng, &mut p, sentences, 50 * sentences + 20, 70);
            paragraphs.push(p);
        }

        let n_photos = rng.weighted(&[74, 22, 4]);
        let mut photos = Vec::with_capacity(n_photos);
        for _ in 0..n_photos {
            let mut caption = String::with_capacity(200);
            let chain = if m.captions.is_empty() { &m.body } else { &m.captions };
            self.walk(chain, &mut rng, &mut caption, 1, 40, 120);
            if !m.captions.is_empty() && rng.chance(500) {
                // Real captions end with a place and an AP-style date.
                while caption.ends_with(['.', '"', '\'']) {
                    caption.pop();
                }
                write!(
                    caption,
                    ", {}, Ukraine, {} {}, {}.",
                    rng.pick(CITIES),
                    MONTHS_AP[local.month0() as usize],
                    local.day(),
                    local.year()
                )
                .ok();
            }
            let mut credit = if rng.chance(60) {
                rng.pick(PLAIN_CREDITS).to_string()
            } else {
                format!("{}/{}", rng.pick(&self.photographers), rng.pick(&m.agencies))
            };
            if rng.chance(100) {
                credit.push_str(", File");
            }
            photos.push(Photo { caption, credit, after: 1 + rng.below(n_par) });
        }
        photos.sort_by_key(|p| p.after); // the order they are printed in

        let mut authors = Vec::new();
        let mut byline = None;
        if rng.chance(820) {
            let n = 1 + rng.weighted(&[83, 14, 3]);
            while authors.len() < n {
                let a = &self.authors[self.author_zipf.sample(&mut rng)];
                if !authors.contains(a) {
                    authors.push(a.clone());
                }
            }
            let names = match authors.as_slice() {
                [a] => a.clone(),
                [a, b] => format!("{a} and {b}"),
                [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
                [] => String::new(),
            };
            let prefix = *rng.pick(&[
                "-ABC News' ",
                "-ABC News' ",
                "-ABC News' ",
                "-ABC News' ",
                "- ABC News' ",
                "-ABC News ",
            ]);
            byline = Some(format!("{prefix}{names}"));
        }
        Post {
            index,
            unix: self.unix,
            stamp,
            day,
            headline,
            paragraphs,
            photos,
            authors,
            byline,
            curly_repeat,
        }
    }
}

impl Iterator for Generator<'_> {
    type Item = Post;

    fn next(&mut self) -> Option<Post> {
        if self.next >= self.entries {
            return None;
        }
        let p = self.post(self.next);
        self.next += 1;
        Some(p)
    }
}

fn is_year(s: &str) -> bool {
    s.len() == 4
        && (s.starts_with("19") || s.starts_with("20"))
        && s.bytes().all(|b| b.is_ascii_digit())
}

/// `word` (lowercase) cased like `like`.
fn recase(word: &str, like: &str) -> String {
    let mut cs = like.chars();
    let first_upper = cs.next().is_some_and(char::is_uppercase);
    if first_upper && like.chars().count() > 1 && like.chars().all(|c| !c.is_lowercase()) {
        return word.to_uppercase();
    }
    if first_upper {
        let mut w = word.chars();
        let mut out = String::with_capacity(word.len());
        if let Some(c) = w.next() {
            out.extend(c.to_uppercase());
        }
        out.push_str(w.as_str());
        return out;
    }
    word.to_string()
}

// ---------------------------------------------------------------------------
// Writing captures

/// What to write.
#[derive(Debug, Clone)]
pub struct Options {
    /// Distinct posts in the corpus.
    pub entries: u64,
    /// Seed: same seed and entries (and source corpus), same bytes.
    pub seed: u64,
    /// Posts per capture, repeats included (fewer when the corpus would
    /// otherwise fit in one capture: there are always at least two).
    pub per_capture: usize,
    /// Posts shared by consecutive captures.
    pub overlap: usize,
    /// Unix seconds the clock starts at (default [`START_UNIX`]).
    pub start: i64,
}

impl Default for Options {
    fn default() -> Options {
        Options { entries: 1000, seed: 1, per_capture: 1000, overlap: 3, start: START_UNIX }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Distinct posts.
    pub entries: u64,
    /// Capture files written.
    pub captures: usize,
    /// Bytes of all capture files (the manifest aside).
    pub bytes: u64,
    /// Bytes of the posts' distinct text (no furniture, no repeats).
    pub post_bytes: u64,
    /// Size of the extended vocabulary drawn from.
    pub vocabulary: usize,
    /// Printed timestamp of the oldest post.
    pub first: String,
    /// Printed timestamp of the newest post.
    pub last: String,
}

/// A `Write` that counts the bytes it passes on.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                write!(out, "\\u{:04X}", c as u32).ok();
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `opts.entries` posts as captures plus `manifest.toml` into `out`
/// (created if missing; existing capture files of the same names are
/// replaced). Streams: memory holds one capture at a time.
pub fn write_corpus(model: &Model, opts: &Options, out: &Path) -> Result<Summary, SynthError> {
    if opts.entries == 0 {
        return Err(SynthError::Options("--entries must be at least 1".into()));
    }
    if opts.per_capture <= opts.overlap {
        return Err(SynthError::Options(format!(
            "--per-capture ({}) must exceed the overlap between captures ({})",
            opts.per_capture, opts.overlap
        )));
    }
    fs::create_dir_all(out).map_err(io_err(out))?;
    // At least two captures when there are posts enough: the ingest learns
    // page furniture from what captures share, so one capture alone would
    // have its header and footer read as posts.
    let (o, n) = (opts.overlap as u64, opts.entries);
    let k = (opts.per_capture as u64).min((n + o).div_ceil(2).max(o + 1));
    let n_captures = if n <= k { 1 } else { 1 + (n - k).div_ceil(k - o) };
    let width = n_captures.saturating_sub(1).to_string().len().max(3);

    let mut gen = Generator::new(model, n, opts.seed).starting_at(opts.start);
    let vocabulary = gen.vocabulary();
    let mut manifest = String::new();
    writeln!(
        manifest,
        "# Synthetic captures written by `dateline synth --entries {n} --seed {}`.",
        opts.seed
    )
    .ok();
    writeln!(manifest, "# Text sampled from a real corpus; {k} posts per capture, {o} shared by consecutive captures.").ok();
    writeln!(manifest).ok();
    writeln!(
        manifest,
        "title = {}",
        toml_str(&format!("Russia-Ukraine updates (synthetic, {n} entries, seed {})", opts.seed))
    )
    .ok();
    writeln!(manifest, "publisher = \"ABC News\"").ok();
    writeln!(manifest, "timezone = {}", toml_str(TIMEZONE)).ok();

    let mut summary = Summary {
        entries: n,
        captures: 0,
        bytes: 0,
        post_bytes: 0,
        vocabulary,
        first: String::new(),
        last: String::new(),
    };
    let mut carried: Vec<Post> = Vec::new();
    let mut produced = 0u64;
    let mut buf = String::with_capacity(4096);
    loop {
        let mut posts = std::mem::take(&mut carried);
        let repeats = posts.len();
        while (posts.len() as u64) < k && produced < n {
            let Some(p) = gen.next() else { break };
            buf.clear();
            p.render(false, &mut buf);
            summary.post_bytes += buf.len() as u64;
            if produced == 0 {
                summary.first = p.stamp.clone();
            }
            produced += 1;
            posts.push(p);
        }
        let c = summary.captures;
        let name = format!("{c:0width$}_{:016x}.txt", mix(opts.seed ^ mix(c as u64 + 0x5eed)));
        let path = out.join(&name);
        let file = File::create(&path).map_err(io_err(&path))?;
        let mut w = Counting { inner: BufWriter::with_capacity(1 << 20, file), bytes: 0 };
        let write = |w: &mut Counting<BufWriter<File>>,
                     posts: &[Post],
                     buf: &mut String|
         -> io::Result<()> {
            w.write_all(HEADER.as_bytes())?;
            for (j, p) in posts.iter().enumerate().rev() {
                buf.clear();
                p.render(j < repeats && p.curly_repeat, buf);
                w.write_all(buf.as_bytes())?;
            }
            w.write_all(FOOTER.as_bytes())?;
            w.flush()
        };
        write(&mut w, &posts, &mut buf).map_err(io_err(&path))?;
        summary.bytes += w.bytes;
        summary.captures += 1;
        let newest = posts.last().map(|p| p.day.as_str()).unwrap_or_default();
        writeln!(
            manifest,
            "\n[[capture]]\nfile = {}\ncovers = {}\nbasis = \"synthetic: printed timestamps\"",
            toml_str(&name),
            toml_str(newest)
        )
        .ok();
        if produced >= n {
            summary.last = posts.last().map(|p| p.stamp.clone()).unwrap_or_default();
            break;
        }
        carried = posts.split_off(posts.len() - opts.overlap);
    }
    let mpath = out.join("manifest.toml");
    fs::write(&mpath, manifest).map_err(io_err(&mpath))?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(String, Kind)> {
        let mut v = Vec::new();
        tokenize(s, &mut v);
        v
    }

    #[test]
    fn tokenizer_peels_punctuation_but_keeps_abbreviations() {
        let t = toks("\"Don't panic,\" Kim said of U.S. Gov. plans (in Kyiv).");
        let texts: Vec<&str> = t.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            texts,
            [
                "\"", "Don't", "panic", ",", "\"", "Kim", "said", "of", "U.S.", "Gov.", "plans",
                "(", "in", "Kyiv", ")", "."
            ]
        );
        assert_eq!(t[0].1, Kind::QOpen);
        assert_eq!(t[4].1, Kind::QClose);
        assert_eq!(t[15].1, Kind::Stop);
    }

    #[test]
    fn lines_space_punctuation_like_copy() {
        let mut s = String::new();
        let mut l = Line::new(&mut s);
        for (t, k) in toks("\"Don't panic,\" Kim said (in Kyiv) -- 'ready'.") {
            l.push(&t, k);
        }
        l.finish(true);
        assert_eq!(s, "\"Don't panic,\" Kim said (in Kyiv) -- 'ready'.");
    }

    #[test]
    fn zipf_favours_low_ranks() {
        let z = Zipf::new(1000, 1.0);
        let mut rng = rng_for(7, 7);
        let mut counts = vec![0u32; 1000];
        for _ in 0..100_000 {
            counts[z.sample(&mut rng)] += 1;
        }
        assert!(counts[0] > counts[9] * 5, "{} vs {}", counts[0], counts[9]);
        assert!(counts[0] > 10_000);
    }

    #[test]
    fn timestamps_carry_the_zone_label_in_force() {
        let utc = Utc.timestamp_opt(START_UNIX, 0).single().unwrap();
        let s = utc.with_timezone(&New_York).format("%b %d, %Y, %-I:%M %p %Z").to_string();
        assert_eq!(s, "Feb 24, 2022, 5:00 AM EST");
        let summer = Utc.timestamp_opt(START_UNIX + 150 * 86_400, 0).single().unwrap();
        let s = summer.with_timezone(&New_York).format("%b %d, %Y, %-I:%M %p %Z").to_string();
        assert!(s.ends_with("EDT"), "{s}");
    }

    #[test]
    fn curly_retypesetting() {
        assert_eq!(
            curl("\"Don't,\" he said 'ok'"),
            "\u{201C}Don\u{2019}t,\u{201D} he said \u{2018}ok\u{2019}"
        );
    }
}
