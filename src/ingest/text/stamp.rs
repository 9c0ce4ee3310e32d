//! The timestamp grammar: one reader for the ways publishers print when a
//! post went up, at the start of a line.
//!
//! ```text
//! stamp  := lead-in? ( date (joiner clock)? | clock (joiner date)? ) zone? ("/" clock zone)?
//! lead-in:= "Update" | "Updated" | "Posted" | "Published" | "Last updated", then "at"/"on"/":"
//! date   := weekday? ( month day year? | day month year? | n sep n sep n )   sep: / . -
//! clock  := h:mm (am|pm|a.m.|p.m.)? | h (am|pm) | noon | midnight
//! joiner := "," | "–" | "—" | "-" | "|" | "at" | nothing
//! zone   := an abbreviation of the default table (see `dating`), maybe in brackets
//! ```
//!
//! A stamp with a clock may be followed by the headline or the text; a date
//! without a clock must stand alone on its line (it is then a day header).
//! Numeric dates keep both readings (`3/4/22`) until the capture's evidence
//! says whether its dates are day-first.

/// A date as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Date {
    /// Month known (named, or an ISO `2022-03-04`): `(year, month, day)`.
    Named { year: Option<i32>, month: u32, day: u32 },
    /// `a/b/y` or `a.b.y`: day-first or month-first, to be decided.
    Numeric { a: u32, b: u32, year: i32 },
}

impl Date {
    /// The civil date, with `day_first` for numeric dates and `year` where
    /// none was printed; `None` if it is not a real date.
    pub fn ymd(self, day_first: bool, year: Option<i32>) -> Option<(i32, u32, u32)> {
        let (y, m, d) = match self {
            Date::Named { year: y, month, day } => (y.or(year)?, month, day),
            Date::Numeric { a, b, year: y } if day_first => (y, b, a),
            Date::Numeric { a, b, year: y } => (y, a, b),
        };
        chrono::NaiveDate::from_ymd_opt(y, m, d).map(|_| (y, m, d))
    }

    /// Whether a numeric date can only be day-first (`Some(true)`) or only
    /// month-first (`Some(false)`).
    pub fn evidence(self) -> Option<bool> {
        match self {
            Date::Numeric { a, b, .. } if a > 12 && b <= 12 => Some(true),
            Date::Numeric { a, b, .. } if b > 12 && a <= 12 => Some(false),
            _ => None,
        }
    }
}

/// What a line's opening stamp says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reading {
    /// The date, if printed.
    pub date: Option<Date>,
    /// The weekday printed before the date (0 = Monday).
    pub weekday: Option<u32>,
    /// Minute of the day, if a clock was printed.
    pub minute: Option<u16>,
    /// The zone abbreviation after the clock.
    pub label: Option<String>,
    /// The second reading of a zone pair (`06:45 GMT / 01:45 EST`).
    pub alt: Option<(u16, String)>,
    /// Byte offset in the line where the text after the stamp starts.
    pub rest: usize,
    /// Opened by a lead-in ("Updated", "Posted", …).
    pub lead_in: bool,
}

impl Reading {
    /// Whether the line is only a date (a day header).
    pub fn is_day_header(&self, line: &str) -> bool {
        self.minute.is_none()
            && !self.lead_in
            && self.date.is_some()
            && line[self.rest..].trim().is_empty()
    }
}

/// Whether `word` is a zone abbreviation the grammar knows: one that
/// `dating`'s table resolves, the bare `Z` of machine times aside.
pub(crate) fn is_zone(word: &str) -> bool {
    word != "Z" && crate::ingest::dating::zone_of_label(word).is_some()
}

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const FULL_WEEKDAYS: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// A cursor over a line.
#[derive(Clone, Copy)]
struct Cur<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cur<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    fn ws(&mut self) {
        let r = self.rest();
        self.i += r.len() - r.trim_start().len();
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += c.len_utf8();
            return true;
        }
        false
    }

    /// A run of letters and dots, lowercased.
    fn word(&mut self) -> Option<String> {
        let r = self.rest();
        let n = r.find(|c: char| !(c.is_ascii_alphabetic() || c == '.')).unwrap_or(r.len());
        if n == 0 || !r.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        self.i += n;
        Some(r[..n].to_ascii_lowercase())
    }

    /// A run of digits: its value and length.
    fn num(&mut self) -> Option<(u32, usize)> {
        let r = self.rest();
        let n = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        if n == 0 || n > 4 {
            return None;
        }
        self.i += n;
        Some((r[..n].parse().ok()?, n))
    }

    /// Whether the cursor stands at a word boundary.
    fn boundary(&self) -> bool {
        !self.peek().is_some_and(|c| c.is_alphanumeric())
    }

    /// Runs `f`; on `None` the cursor is left where it was.
    fn try_<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let save = *self;
        let r = f(self);
        if r.is_none() {
            *self = save;
        }
        r
    }
}

fn month_of(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    let m = MONTHS.iter().position(|p| w.starts_with(p))?;
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ][m];
    (full.starts_with(w) || w == "sept").then_some(m as u32 + 1)
}

fn weekday_of(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    let i = WEEKDAYS.iter().position(|p| w.starts_with(p))?;
    (w.len() == 3 || FULL_WEEKDAYS[i] == w || (w.len() == 4 && FULL_WEEKDAYS[i].starts_with(w)))
        .then_some(i as u32)
}

fn lead_in(c: &mut Cur) -> bool {
    c.try_(|c| {
        let w = c.word()?;
        let w = if w == "last" {
            c.ws();
            c.word()?
        } else {
            w
        };
        if !matches!(w.as_str(), "update" | "updated" | "posted" | "published") {
            return None;
        }
        c.ws();
        c.eat(':');
        c.ws();
        c.try_(|c| {
            let w = c.word()?;
            matches!(w.as_str(), "at" | "on").then(|| c.ws())
        });
        Some(())
    })
    .is_some()
}

fn weekday(c: &mut Cur) -> Option<u32> {
    c.try_(|c| {
        let wd = weekday_of(&c.word()?)?;
        c.eat(',');
        c.ws();
        Some(wd)
    })
}

fn day_number(c: &mut Cur) -> Option<u32> {
    let (d, n) = c.num()?;
    if n > 2 || !(1..=31).contains(&d) {
        return None;
    }
    c.try_(|c| {
        let w = c.word()?;
        matches!(w.as_str(), "st" | "nd" | "rd" | "th").then_some(())
    });
    c.boundary().then_some(d)
}

fn year(c: &mut Cur) -> Option<i32> {
    c.try_(|c| {
        c.eat(',');
        c.ws();
        let (y, n) = c.num()?;
        (n == 4 && c.boundary()).then_some(y as i32)
    })
}

fn named_date(c: &mut Cur) -> Option<Date> {
    c.try_(|c| {
        // month day year?
        let month = month_of(&c.word()?)?;
        c.ws();
        let day = day_number(c)?;
        Some(Date::Named { year: year(c), month, day })
    })
    .or_else(|| {
        c.try_(|c| {
            // day month year?
            let day = day_number(c)?;
            c.ws();
            let month = month_of(&c.word()?)?;
            Some(Date::Named { year: year(c), month, day })
        })
    })
}

fn numeric_date(c: &mut Cur) -> Option<Date> {
    c.try_(|c| {
        let (a, na) = c.num()?;
        let sep = c.peek().filter(|s| matches!(s, '/' | '.' | '-'))?;
        c.eat(sep);
        let (b, nb) = c.num()?;
        if !c.eat(sep) {
            return None;
        }
        let (y, ny) = c.num()?;
        if !c.boundary() || nb > 2 {
            return None;
        }
        if na == 4 {
            // ISO order: year first.
            return (sep == '-' && ny <= 2).then_some(Date::Named {
                year: Some(a as i32),
                month: b,
                day: y,
            });
        }
        let year = match ny {
            2 => 2000 + y as i32,
            4 => y as i32,
            _ => return None,
        };
        (na <= 2 && sep != '-').then_some(Date::Numeric { a, b, year })
    })
}

fn date_parts(c: &mut Cur) -> Option<(Option<u32>, Date)> {
    c.try_(|c| {
        let wd = weekday(c);
        let d = named_date(c).or_else(|| numeric_date(c))?;
        Some((wd, d))
    })
}

fn meridiem(c: &mut Cur) -> Option<bool> {
    c.try_(|c| {
        c.ws();
        let w = c.word()?.replace('.', "");
        let pm = match w.as_str() {
            "am" => false,
            "pm" => true,
            _ => return None,
        };
        c.boundary().then_some(pm)
    })
}

fn clock(c: &mut Cur) -> Option<u16> {
    c.try_(|c| {
        let w = c.word()?;
        let m = match w.as_str() {
            "noon" => 720,
            "midnight" => 0,
            _ => return None,
        };
        c.boundary().then_some(m)
    })
    .or_else(|| {
        c.try_(|c| {
            let (h, nh) = c.num()?;
            if nh > 2 {
                return None;
            }
            let mut dot = false;
            let mm = c.try_(|c| {
                dot = !c.eat(':') && c.eat('.');
                if !dot && c.s[..c.i].ends_with(|ch: char| ch.is_ascii_digit()) {
                    return None;
                }
                let (m, nm) = c.num()?;
                (nm == 2 && m < 60 && c.peek() != Some('.')).then_some(m)
            });
            let ampm = meridiem(c);
            // `07.46` is a clock only with a meridiem or a zone after it.
            if dot && mm.is_some() && ampm.is_none() && zone(&mut { *c }).is_none() {
                return None;
            }
            let h = match (ampm, mm) {
                (Some(pm), _) if (1..=12).contains(&h) => h % 12 + if pm { 12 } else { 0 },
                (None, Some(_)) if h < 24 => h,
                _ => return None,
            };
            c.boundary().then_some((h * 60 + mm.unwrap_or(0)) as u16)
        })
    })
}

/// Zone words and the abbreviation each stands for.
const ZONE_WORDS: &[(&str, &str)] =
    &[("eastern", "ET"), ("central", "CT"), ("mountain", "MT"), ("pacific", "PT")];

fn zone(c: &mut Cur) -> Option<String> {
    zone_word(c).or_else(|| zone_abbreviation(c))
}

/// `Eastern` or `Eastern time` after a clock.
fn zone_word(c: &mut Cur) -> Option<String> {
    c.try_(|c| {
        c.ws();
        let w = c.word()?;
        let (_, z) = ZONE_WORDS.iter().find(|(word, _)| *word == w)?;
        // "Central Park …" is no zone: the word alone must end the line.
        let time = c
            .try_(|c| {
                c.ws();
                (c.word()? == "time").then_some(())
            })
            .is_some();
        (c.boundary() && (time || c.rest().trim().is_empty())).then(|| z.to_string())
    })
}

fn zone_abbreviation(c: &mut Cur) -> Option<String> {
    c.try_(|c| {
        c.ws();
        let paren = c.eat('(');
        let r = c.rest();
        let n = r.find(|ch: char| !ch.is_ascii_uppercase()).unwrap_or(r.len());
        let z = &r[..n];
        if !is_zone(z) {
            return None;
        }
        c.i += n;
        if paren && !c.eat(')') {
            return None;
        }
        c.boundary().then(|| z.to_string())
    })
}

fn joiner(c: &mut Cur) {
    c.ws();
    if !(c.eat(',') || c.eat('\u{2013}') || c.eat('\u{2014}') || c.eat('-') || c.eat('|')) {
        c.try_(|c| (c.word()? == "at").then_some(()));
    }
    c.ws();
}

/// Reads the stamp that opens `line`, if any.
pub(crate) fn read(line: &str) -> Option<Reading> {
    let mut c = Cur { s: line, i: 0 };
    c.ws();
    let lead_in = lead_in(&mut c);
    let (mut weekday, mut date) = (None, None);
    let (minute, label): (Option<u16>, Option<String>);
    if let Some((wd, d)) = date_parts(&mut c) {
        (weekday, date) = (wd, Some(d));
        minute = c.try_(|c| {
            joiner(c);
            clock(c)
        });
        label = minute.and_then(|_| zone(&mut c));
    } else {
        minute = Some(clock(&mut c)?);
        label = zone(&mut c);
    }
    let alt = label.as_ref().and_then(|_| {
        c.try_(|c| {
            c.ws();
            c.eat('/').then_some(())?;
            c.ws();
            let m = clock(c)?;
            Some((m, zone(c)?))
        })
    });
    if date.is_none() {
        if let Some((wd, d)) = c.try_(|c| {
            joiner(c);
            date_parts(c)
        }) {
            (weekday, date) = (wd, Some(d));
        }
    }
    // The text after the stamp, past a separator.
    c.ws();
    let _ = c.eat(':') || c.eat('-') || c.eat('\u{2013}') || c.eat('\u{2014}') || c.eat('|');
    c.ws();
    let rest = c.i;
    let tail = line[rest..].trim();
    if minute.is_none() && !tail.is_empty() {
        return None;
    }
    // A clock followed only by a code that is no zone (`7:46 XM`): no stamp.
    if (1..=4).contains(&tail.len()) && tail.chars().all(|ch| ch.is_ascii_uppercase()) {
        return None;
    }
    Some(Reading { date, weekday, minute, label, alt, rest, lead_in })
}

/// Whether a line opens with something shaped like a clock (`25:61`,
/// `7:46 XM`, `19.46`) that [`read`] did not take: worth a warning.
pub(crate) fn looks_like_time(line: &str) -> bool {
    let t = line.trim_start();
    let b = t.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&digits)
        && matches!(b.get(digits), Some(b':' | b'.'))
        && b.get(digits + 1).is_some_and(u8::is_ascii_digit)
        && b.get(digits + 2).is_some_and(u8::is_ascii_digit)
        && !b.get(digits + 3).is_some_and(|c| c.is_ascii_digit() || *c == b'.' || *c == b'/')
        && t.chars().count() <= 60
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(s: &str) -> Reading {
        read(s).unwrap_or_else(|| panic!("no stamp in {s:?}"))
    }

    fn named(y: Option<i32>, m: u32, d: u32) -> Option<Date> {
        Some(Date::Named { year: y, month: m, day: d })
    }

    #[test]
    fn clocks() {
        assert_eq!(r("7:46 AM").minute, Some(466));
        assert_eq!(r("7:46 a.m.").minute, Some(466));
        assert_eq!(r("12:05 p.m. ET").minute, Some(725));
        assert_eq!(r("12:05am").minute, Some(5));
        assert_eq!(r("noon").minute, Some(720));
        assert_eq!(r("19:46").minute, Some(1186));
        assert_eq!(r("7pm GMT").label.as_deref(), Some("GMT"));
        assert_eq!(r("7:46 a.m. Eastern time").label.as_deref(), Some("ET"));
        assert_eq!(r("4:05 PM Pacific").label.as_deref(), Some("PT"));
        assert_eq!(r("10:00 Central Park reopens").label, None);
        assert_eq!(r("07.46 GMT").minute, Some(466));
        assert_eq!(r("4.30pm Crowds gather").minute, Some(990));
        assert!(read("3.50 million people were counted.").is_none());
        assert!(read("25:61").is_none());
        assert!(read("7:46 XM").is_none());
        assert!(read("13:05 pm").is_none());
        assert!(read("12 people were hurt.").is_none());
    }

    #[test]
    fn dates() {
        assert_eq!(r("4 Mar 2022").date, named(Some(2022), 3, 4));
        assert_eq!(r("March 4, 2022").date, named(Some(2022), 3, 4));
        assert_eq!(r("Mar 04, 2022").date, named(Some(2022), 3, 4));
        assert_eq!(r("Friday, March 4").date, named(None, 3, 4));
        assert_eq!(r("Friday, March 4").weekday, Some(4));
        assert_eq!(r("Sat 5th March").date, named(None, 3, 5));
        assert_eq!(r("2022-03-04").date, named(Some(2022), 3, 4));
        let d = r("3/4/22").date.unwrap();
        assert_eq!(
            (d.ymd(false, None), d.ymd(true, None)),
            (Some((2022, 3, 4)), Some((2022, 4, 3)))
        );
        assert_eq!(r("4.3.2022").date.unwrap().ymd(true, None), Some((2022, 3, 4)));
        assert_eq!(r("25/3/2022").date.unwrap().evidence(), Some(true));
        assert!(read("March 4, 2022 officials said").is_none(), "a date alone heads no text");
        assert!(read("Mayor Jones said").is_none());
    }

    #[test]
    fn dates_and_clocks_together() {
        let x = r("Mar 04, 2022, 7:46 AM EST");
        assert_eq!(
            (x.date, x.minute, x.label.as_deref()),
            (named(Some(2022), 3, 4), Some(466), Some("EST"))
        );
        let x = r("7:46 a.m. ET, March 4, 2022");
        assert_eq!((x.date, x.minute), (named(Some(2022), 3, 4), Some(466)));
        let x = r("4 March 2022 \u{2013} 19:46");
        assert_eq!((x.date, x.minute), (named(Some(2022), 3, 4), Some(1186)));
        let x = r("Updated: March 4 at 9:05 p.m.");
        assert_eq!((x.date, x.minute), (named(None, 3, 4), Some(1265)));
        let x = r("06:45 GMT / 01:45 EST Mar 20, 2022");
        assert_eq!(x.date, named(Some(2022), 3, 20));
        assert_eq!(
            (x.minute, x.label.as_deref(), x.alt),
            (Some(405), Some("GMT"), Some((105, "EST".into())))
        );
    }

    #[test]
    fn lead_ins() {
        let x = r("UPDATED: 7:46 a.m. ET");
        assert_eq!((x.minute, x.lead_in), (Some(466), true));
        let x = r("published at 19:46");
        assert_eq!((x.minute, x.lead_in), (Some(1186), true));
        let x = r("Update 4 March 2022");
        assert!(x.lead_in && !x.is_day_header("Update 4 March 2022"));
        assert!(read("Update: the road is open again.").is_none());
    }

    #[test]
    fn text_after_a_stamp() {
        let line = "7:46 AM \u{2013} Ferry services are suspended";
        let x = r(line);
        assert_eq!(&line[x.rest..], "Ferry services are suspended");
        let line = "Posted 19:02 Storm reaches the harbour";
        assert_eq!(&line[r(line).rest..], "Storm reaches the harbour");
    }

    #[test]
    fn odd_times_are_noticed() {
        assert!(looks_like_time("25:61 GMT"));
        assert!(looks_like_time("7:46 XM"));
        assert!(!looks_like_time("4.3.2022"));
        assert!(!looks_like_time("The 7:46 train"));
    }

    /// Ways of printing one moment, each the grammar must read back.
    fn print(style: usize, y: i32, m: u32, d: u32, min: u16) -> (String, bool) {
        let mon = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ][m as usize - 1];
        let short = &mon[..3];
        let (h, mm) = (min / 60, min % 60);
        let h12 = if h % 12 == 0 { 12 } else { h % 12 };
        let ap = if h < 12 { "AM" } else { "PM" };
        let apd = if h < 12 { "a.m." } else { "p.m." };
        let s = match style {
            0 => format!("{short} {d:02}, {y}, {h12}:{mm:02} {ap} EST"),
            1 => format!("{d} {mon} {y} \u{2013} {h:02}:{mm:02} GMT"),
            2 => format!("{h12}:{mm:02} {apd} ET, {mon} {d}, {y}"),
            3 => return (format!("Updated: {m}/{d}/{:02} at {h12}:{mm:02} {ap}", y % 100), false),
            4 => return (format!("{d}.{m}.{y}, {h:02}:{mm:02}"), true),
            5 => format!("Posted {d} {short} {y} \u{2014} {h}:{mm:02}"),
            _ => format!("{y}-{m:02}-{d:02} {h:02}:{mm:02} UTC"),
        };
        (s, false)
    }

    proptest! {
        #[test]
        fn every_style_reads_back(style in 0usize..7, y in 2000i32..2099, m in 1u32..=12, d in 1u32..=28, min in 0u16..1440) {
            let (s, day_first) = print(style, y, m, d, min);
            let x = read(&s).unwrap();
            prop_assert_eq!(x.date.and_then(|d| d.ymd(day_first, None)), Some((y, m, d)), "{}", s);
            prop_assert_eq!(x.minute, Some(min), "{}", s);
            prop_assert!(s[x.rest..].is_empty(), "{}", s);
        }
    }
}
