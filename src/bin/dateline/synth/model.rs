//! What synthetic text is sampled from: a seeded generator, a Zipf
//! distribution, and the [`Model`] (Markov chains over tokens, vocabulary,
//! bylines) read once from a real corpus.

use super::*;

// Randomness

/// SplitMix64's finalizer: decorrelates seeds before they reach the PCG.
pub(super) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of stream `salt` for `seed`.
pub(super) fn rng_for(seed: u64, salt: u64) -> Rng {
    Rng(Pcg64Mcg::seed_from_u64(mix(seed ^ mix(salt))))
}

/// A thin wrapper over the PCG with the few draws this module needs.
pub(super) struct Rng(Pcg64Mcg);

impl Rng {
    /// Uniform in `0..n` (`n > 0`), by Lemire's multiply-shift (bias < 2⁻³²).
    pub(super) fn below(&mut self, n: usize) -> usize {
        ((self.0.next_u64() >> 32).wrapping_mul(n as u64) >> 32) as usize
    }

    /// True with probability `per_mille / 1000`.
    pub(super) fn chance(&mut self, per_mille: u32) -> bool {
        (self.0.next_u32() % 1000) < per_mille
    }

    /// An index drawn with the given integer weights.
    pub(super) fn weighted(&mut self, weights: &[u32]) -> usize {
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

    pub(super) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Walker's alias table over Zipf weights `1/(r+1)^s`: O(1) draws.
pub(super) struct Zipf {
    pub(super) prob: Vec<u32>,
    pub(super) alias: Vec<u32>,
}

impl Zipf {
    pub(super) fn new(n: usize, s: f64) -> Zipf {
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

    pub(super) fn sample(&self, rng: &mut Rng) -> usize {
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
pub(super) enum Kind {
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
pub(super) struct Chain {
    pub(super) off: Vec<u32>,
    pub(super) next: Vec<u32>,
    pub(super) starts: Vec<u32>,
}

pub(super) const END: u32 = u32::MAX;

impl Chain {
    pub(super) fn build(n_tokens: usize, lines: &[Vec<u32>]) -> Chain {
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

    pub(super) fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    pub(super) fn start(&self, rng: &mut Rng) -> u32 {
        *rng.pick(&self.starts)
    }

    pub(super) fn step(&self, tok: u32, rng: &mut Rng) -> u32 {
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
    pub(super) tokens: Vec<(String, Kind)>,
    pub(super) body: Chain,
    pub(super) heads: Chain,
    pub(super) captions: Chain,
    /// Real lowercase words, most frequent first.
    pub(super) words: Vec<String>,
    /// Names from the real bylines, first seen first.
    pub(super) authors: Vec<String>,
    /// Photographers from the real credit lines.
    pub(super) photographers: Vec<String>,
    /// Agencies: the real ones, then the built-in list.
    pub(super) agencies: Vec<String>,
    /// How many body paragraphs were sampled (for reports).
    pub(super) paragraphs: usize,
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
pub(super) fn straighten(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            c => c,
        })
        .collect()
}

pub(super) fn is_timestamp(line: &str) -> bool {
    let parts: Vec<&str> = line.split(", ").collect();
    parts.len() == 3
        && parts[1].len() == 4
        && parts[1].bytes().all(|b| b.is_ascii_digit())
        && parts[2].contains(':')
        && (parts[2].ends_with('T') || parts[2].ends_with("UTC"))
}

pub(super) fn is_byline(line: &str) -> bool {
    let t = line.trim_start_matches(['-', ' ', '\u{2013}', '\u{2014}']);
    line.starts_with(['-', '\u{2013}', '\u{2014}']) && t.starts_with("ABC News")
}

/// The names of a byline: `-ABC News' A and B` → `[A, B]`.
pub(super) fn byline_names(line: &str) -> Vec<String> {
    let t = line.trim_start_matches(['-', ' ', '\u{2013}', '\u{2014}']);
    let t = t.trim_start_matches("ABC News").trim_start_matches(['\'', ' ']);
    t.split(" and ")
        .flat_map(|p| p.split(", "))
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.split(' ').count() <= 4)
        .map(str::to_string)
        .collect()
}

pub(super) fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with(['.', '?', '!', '"', '\'', ')'])
}

pub(super) fn is_abbreviation(core: &str) -> bool {
    // `core` still ends with its period.
    let stem = &core[..core.len() - 1];
    stem.contains('.') || ABBREVIATIONS.contains(&stem)
}

/// Splits one line into `(text, kind)` tokens.
pub(super) fn tokenize(line: &str, out: &mut Vec<(String, Kind)>) {
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
