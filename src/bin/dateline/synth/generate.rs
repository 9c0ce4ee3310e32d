//! Posts: one [`Post`] per index, drawn by the [`Generator`] from the model,
//! and typeset into capture text.

use super::*;

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
pub(super) fn curl(s: &str) -> String {
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
pub(super) struct Line<'a> {
    pub(super) out: &'a mut String,
    pub(super) at_start: bool,
    pub(super) glue_next: bool,
    pub(super) dq_open: bool,
    pub(super) sq_open: bool,
    pub(super) in_sentence: bool,
    pub(super) tokens: usize,
    pub(super) last: Option<Kind>,
    /// Headline typesetting: single quotes only, no clause punctuation at the end.
    pub(super) headline: bool,
}

impl<'a> Line<'a> {
    pub(super) fn new(out: &'a mut String) -> Line<'a> {
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

    pub(super) fn push(&mut self, text: &str, kind: Kind) {
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
    pub(super) fn trim_clause_end(&mut self) {
        while self.out.ends_with([',', ';', ':', '.', '(', '[', ' ']) {
            self.out.pop();
        }
    }

    /// Ends a sentence that is still open.
    pub(super) fn close_sentence(&mut self) {
        if self.last == Some(Kind::Glue) {
            self.out.pop();
        }
        if self.in_sentence {
            self.push(".", Kind::Stop);
        }
    }

    /// Closes open quotes; `stop` also ends an open sentence.
    pub(super) fn finish(mut self, stop: bool) {
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
    pub(super) model: &'m Model,
    pub(super) seed: u64,
    pub(super) next: u64,
    pub(super) entries: u64,
    pub(super) unix: i64,
    pub(super) clock: Rng,
    pub(super) vocab: Vec<String>,
    pub(super) vocab_zipf: Zipf,
    pub(super) authors: Vec<String>,
    pub(super) author_zipf: Zipf,
    pub(super) photographers: Vec<String>,
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
pub(super) fn splice_point(w: &str) -> Option<usize> {
    let cs: Vec<(usize, char)> = w.char_indices().collect();
    let vowel = |c: char| "aeiouy".contains(c);
    (1..cs.len().saturating_sub(2))
        .find(|&i| vowel(cs[i - 1].1) && !vowel(cs[i].1) && i >= 2)
        .map(|i| cs[i].0)
}

/// `count` distinct names `First Last`, the given ones first.
pub(super) fn name_pool(given: &[String], count: usize, rng: &mut Rng) -> Vec<String> {
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
    pub(super) fn walk(
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

    pub(super) fn post(&mut self, index: u64) -> Post {
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

pub(super) fn is_year(s: &str) -> bool {
    s.len() == 4
        && (s.starts_with("19") || s.starts_with("20"))
        && s.bytes().all(|b| b.is_ascii_digit())
}

/// `word` (lowercase) cased like `like`.
pub(super) fn recase(word: &str, like: &str) -> String {
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
