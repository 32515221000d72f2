//! Text → search terms, for the index (Rust) and for queries (Rust here, and
//! its line-for-line twin `queryTerms` in `themes/default/static/helpbook.js`).
//!
//! The rules are deliberately small, so that the browser applies exactly the
//! same ones:
//!
//! 1. Words are runs of word characters ([`script::is_word_char`]: letters,
//!    marks and numbers; JavaScript's `[\p{Alphabetic}\p{M}\p{Nd}\p{Nl}\p{No}]`),
//!    lower-cased, split where the script class changes ([`script::class`]).
//! 2. Runs of Chinese, Japanese or Korean characters have no spaces to split
//!    on: they are indexed as overlapping bigrams plus single characters, and
//!    a query's run is looked up by its bigrams (or by the character, when it
//!    is alone). `パスワード` → `パス スワ ワー ード`.
//! 3. Runs of Thai, Lao, Khmer or Burmese are split into words by ICU's
//!    dictionaries: ICU4X here ([`script::unspaced_words`]), `Intl.Segmenter`
//!    in the browser. `รีเซ็ตรหัสผ่าน` → `รีเซ็ต รหัส ผ่าน`.
//! 4. Other words are indexed by their stem where Snowball has a stemmer
//!    for the language ([`Stemmer`]); the index keeps every word with its
//!    stems (its lexicon, [`super::format`]), so that the query side needs no
//!    stemmer: it looks the word up as written. Languages written with spaces
//!    that Snowball lacks (Estonian …) are stemmed by truncation to their
//!    first [`TRUNCATE`] characters, which finds inflected forms and the
//!    first part of compounds (`parool` → `paroolilähtestus`); the query
//!    side truncates words it does not find (`meta.json` says so). Languages
//!    whose words do not inflect (Vietnamese, Thai …) keep words as written.
//! 5. Every two words of a title that follow each other with only spaces
//!    (or hyphens, slashes, brackets, quotes: [`pairs_across`]) between them
//!    are also a term of their own, as written, so that a page
//!    whose title has the query's phrase ranks above a page that has its
//!    words apart. In Vietnamese, whose words are one or more syllables
//!    written apart (`mật khẩu`, password), the body's pairs are terms too
//!    ([`pairs_syllables`]). A CJK run beside a word pairs by its character
//!    next to the word (`Teams チャット` → `teams チ`, `删除 Teams` →
//!    `除 teams`), so that product names written in Latin letters inside
//!    Chinese and Japanese titles make phrases too. A query looks up the
//!    pairs of its words.

use super::script::{self, Class};
use rust_stemmers::Algorithm;
use std::collections::VecDeque;

pub use super::script::is_cjk;

/// Longest term kept, in bytes (longer "words" are hashes and encoded data).
pub const MAX_TERM: usize = 64;

/// Shortest last word of a query, in characters, that is completed as a
/// prefix of the index's words.
pub const MIN_PREFIX: usize = 2;

/// A piece of text between separators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A run of CJK characters (not lower-cased: they have no case).
    Cjk(&'a str),
    /// Any other word, as written.
    Word(&'a str),
}

/// Splits `text` into words and CJK runs.
pub fn pieces(text: &str) -> impl Iterator<Item = Piece<'_>> {
    tokens(text).map(|(_, piece)| piece)
}

/// Splits `text` into words and CJK runs, each with its byte offset in `text`.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens {
        text,
        pos: 0,
        queue: VecDeque::new(),
    }
}

/// The iterator of [`tokens`].
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
    /// Words of the last unspaced run not yet returned: (start, end).
    queue: VecDeque<(usize, usize)>,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (usize, Piece<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((start, end)) = self.queue.pop_front() {
                return Some((start, Piece::Word(&self.text[start..end])));
            }
            let rest = &self.text[self.pos..];
            let start = find_char(rest, script::is_word_char)?;
            let run = &rest[start..];
            let class = script::class(run.chars().next()?);
            let len = find_char(run, |c| {
                !script::is_word_char(c) || script::class(c) != class
            })
            .unwrap_or(run.len());
            let at = self.pos + start;
            self.pos = at + len;
            let run = &run[..len];
            match class {
                Class::Spaced => return Some((at, Piece::Word(run))),
                Class::Cjk => return Some((at, Piece::Cjk(run))),
                Class::Unspaced => {
                    script::unspaced_words(run, |s, e| self.queue.push_back((at + s, at + e)))
                }
            }
        }
    }
}

/// The offset of the first character of `text` for which `hit` holds. `hit` must answer for ASCII characters as its ASCII twin does:
/// ASCII is tested byte by byte, without decoding (most text of every
/// language is ASCII spaces, digits and punctuation, if not letters).
fn find_char(text: &str, hit: impl Fn(char) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if hit(b as char) {
                return Some(i);
            }
            i += 1;
        } else {
            let c = text[i..].chars().next()?;
            if hit(c) {
                return Some(i);
            }
            i += c.len_utf8();
        }
    }
    None
}

/// Whether the words of language `tag` are also indexed two by two in the
/// body, not only in titles (Vietnamese: see the module doc).
pub fn pairs_syllables(tag: &str) -> bool {
    crate::locale::primary(tag) == "vi"
}

/// The short words a language writes joined to the next word (an article,
/// "and", a preposition), so that a word is rarely written bare: a reader
/// types `مشاركة` where the page says `المشاركة`, `לובי` where it says
/// `הלובי`. The index lists each page word under its bare form too
/// ([`format`](mod@super::format): a lexicon row's further forms).
pub struct Clitics {
    /// The prefixes, each with every combination the language writes
    /// (Arabic `و` + `ال`, Hebrew `ו` + `ה`), since one is stripped at a
    /// time.
    pub prefixes: &'static [&'static str],
    /// Characters a bare form keeps at least: fewer is more often part of
    /// another word than a word of its own (`כדי` is not `כ` + `די`).
    pub min: usize,
}

impl Clitics {
    /// The clitics of the primary language of BCP 47 `tag` (none for most).
    pub fn for_tag(tag: &str) -> Clitics {
        let (prefixes, min): (&[&str], usize) = match crate::locale::primary(tag).as_str() {
            // The article, "and", "so", "with", "for", "like", and the
            // article after each ("لل" is ل + ال).
            "ar" => (
                &[
                    "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "و", "ف", "ب", "ل", "ك",
                ],
                3,
            ),
            // The article, "and", "in", "to", "from", "that", "as", and
            // the pairs they form.
            "he" | "iw" => (
                &[
                    "ה", "ו", "ב", "ל", "מ", "ש", "כ", "וה", "וב", "ול", "ומ", "וש", "וכ", "שה",
                    "שב", "של", "שמ", "מה", "כש", "וכש",
                ],
                3,
            ),
            _ => (&[], 0),
        };
        Clitics { prefixes, min }
    }

    /// The bare forms of `word`: the word without each prefix it starts
    /// with, where at least [`Clitics::min`] characters are left.
    pub fn bare<'w>(&self, word: &'w str) -> impl Iterator<Item = &'w str> {
        let min = self.min;
        self.prefixes.iter().filter_map(move |p| {
            let bare = word.strip_prefix(p)?;
            bare.chars()
                .nth(min.saturating_sub(1))
                .is_some()
                .then_some(bare)
        })
    }
}

/// Whether `gap`, the text between two words, lets them form a pair: at
/// least one character, each a space or one of the marks that join words
/// into a phrase rather than part clauses: a hyphen, a slash, brackets and
/// straight double quotes (`out-of-office`, `(SSO) の`, `文件/文件夹`); a
/// comma, a stop or a colon parts them. The script's `JOINS` is the same.
pub fn pairs_across(gap: &str) -> bool {
    !gap.is_empty()
        && gap
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '-' | '/' | '(' | ')' | '[' | ']' | '"'))
}

/// The pair term of two lower-cased words.
pub fn pair(first: &str, second: &str) -> String {
    format!("{first} {second}")
}

/// The pair term of a word and the one before it in `text` (`previous`:
/// that word as written, and where it ends), when only spaces or joining
/// marks stand between them. `start`: where the word starts; `word`: the
/// word, lower-cased (for a CJK run, its first character).
pub fn pair_after(
    text: &str,
    previous: Option<(&str, usize)>,
    start: usize,
    word: &str,
) -> Option<String> {
    let (before, end) = previous?;
    pairs_across(&text[end..start]).then(|| pair(&before.to_lowercase(), word))
}

/// The first and the last character of a CJK run: what pairs with a word
/// written before it and after it (a run is never empty).
pub fn cjk_ends(run: &str) -> (&str, &str) {
    let first = run.chars().next().map_or(0, char::len_utf8);
    let last = run.chars().next_back().map_or(0, char::len_utf8);
    (&run[..first], &run[run.len() - last..])
}

/// Calls `f` with every bigram of a CJK run, and with every single
/// character when `unigrams` is set (the index side).
pub fn cjk_terms<'r>(run: &'r str, unigrams: bool, mut f: impl FnMut(&'r str)) {
    let ends = || run.char_indices().map(|(i, c)| (i, i + c.len_utf8()));
    if unigrams {
        for (start, end) in ends() {
            f(&run[start..end]);
        }
    }
    let mut previous = None;
    for (start, end) in ends() {
        if let Some(p) = previous {
            f(&run[p..end]);
        }
        previous = Some(start);
    }
}

/// How a query term is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A word: looked up in the lexicon, then by its stems.
    Word,
    /// A CJK bigram, or a lone CJK character: looked up as it is.
    Gram,
    /// Two words that follow each other with only spaces or joining marks
    /// between ([`pairs_across`]; two syllables of a Vietnamese query; a
    /// word and the next character of a CJK run beside it): looked up as
    /// they are. Pairs raise the pages that have the phrase; they are not
    /// needed to match.
    Pair,
}

/// A term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub kind: Kind,
}

/// A query's terms, in order and without repeats.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub terms: Vec<Term>,
    /// The word being typed: the index in `terms` of the query's last word
    /// when nothing follows it, not even a space. It is also looked up as
    /// the prefix of longer words.
    pub prefix: Option<usize>,
}

/// The terms `query` looks up: lower-cased words as written, the bigrams of
/// CJK runs (a lone CJK character as itself) and, when `pairs` is set, the
/// pairs of words that follow each other with only spaces or joining marks
/// between them ([`pairs_across`]; a
/// CJK run pairs by its character next to the other word: [`cjk_ends`]).
pub fn query_terms(query: &str, pairs: bool) -> Query {
    let mut out = Query::default();
    fn push(out: &mut Query, text: String, kind: Kind) -> Option<usize> {
        if text.is_empty() || text.len() > MAX_TERM {
            return None;
        }
        if let Some(i) = out.terms.iter().position(|t| t.text == text) {
            return Some(i);
        }
        out.terms.push(Term { text, kind });
        Some(out.terms.len() - 1)
    }
    // The previous word, lower-cased, and where it ended.
    let mut previous: Option<(String, usize)> = None;
    fn last_word(previous: &Option<(String, usize)>, pairs: bool) -> Option<(&str, usize)> {
        previous
            .as_ref()
            .filter(|_| pairs)
            .map(|(w, end)| (w.as_str(), *end))
    }
    for (start, piece) in tokens(query) {
        match piece {
            Piece::Word(w) => {
                let word = w.to_lowercase();
                let end = start + w.len();
                let at = push(&mut out, word.clone(), Kind::Word);
                if let Some(p) = pair_after(query, last_word(&previous, pairs), start, &word) {
                    push(&mut out, p, Kind::Pair);
                }
                out.prefix = at.filter(|_| end == query.len());
                previous = Some((word, end));
            }
            Piece::Cjk(run) => {
                if run.chars().nth(1).is_none() {
                    push(&mut out, run.to_string(), Kind::Gram);
                } else {
                    cjk_terms(run, false, |t| {
                        push(&mut out, t.to_string(), Kind::Gram);
                    });
                }
                let (first, last) = cjk_ends(run);
                if let Some(p) = pair_after(query, last_word(&previous, pairs), start, first) {
                    push(&mut out, p, Kind::Pair);
                }
                out.prefix = None;
                previous = Some((last.to_string(), start + run.len()));
            }
        }
    }
    out
}

/// Characters a word is truncated to where Snowball has no stemmer.
pub const TRUNCATE: usize = 6;

/// How a language's words are stemmed.
pub enum Stemmer {
    Snowball(rust_stemmers::Stemmer),
    /// Truncation to [`TRUNCATE`] characters.
    Truncate,
    /// Words as written.
    None,
}

impl Stemmer {
    /// The stemmer for the primary language of BCP 47 `tag`.
    pub fn for_tag(tag: &str) -> Stemmer {
        let algorithm = match crate::locale::primary(tag).as_str() {
            "ar" => Some(Algorithm::Arabic),
            "da" => Some(Algorithm::Danish),
            "de" => Some(Algorithm::German),
            "el" => Some(Algorithm::Greek),
            "en" => Some(Algorithm::English),
            "es" => Some(Algorithm::Spanish),
            "fi" => Some(Algorithm::Finnish),
            "fr" => Some(Algorithm::French),
            "hu" => Some(Algorithm::Hungarian),
            "it" => Some(Algorithm::Italian),
            "nb" | "nn" | "no" => Some(Algorithm::Norwegian),
            "nl" => Some(Algorithm::Dutch),
            "pt" => Some(Algorithm::Portuguese),
            "ro" => Some(Algorithm::Romanian),
            "ru" => Some(Algorithm::Russian),
            "sv" => Some(Algorithm::Swedish),
            "ta" => Some(Algorithm::Tamil),
            "tr" => Some(Algorithm::Turkish),
            // Words that do not inflect: CJK (whose runs are bigrams, and
            // whose other words are foreign terms), the languages that ICU's
            // dictionaries segment, and Vietnamese.
            "zh" | "ja" | "ko" | "th" | "lo" | "km" | "my" | "vi" => return Stemmer::None,
            _ => None,
        };
        algorithm.map_or(Stemmer::Truncate, |a| {
            Stemmer::Snowball(rust_stemmers::Stemmer::create(a))
        })
    }

    /// The stem of lower-cased `word`.
    pub fn stem<'w>(&self, word: &'w str) -> std::borrow::Cow<'w, str> {
        match self {
            Stemmer::Snowball(s) => s.stem(word),
            Stemmer::Truncate => truncate(word).into(),
            Stemmer::None => word.into(),
        }
    }

    /// Whether words are truncated (the query side must do the same).
    pub fn truncates(&self) -> bool {
        matches!(self, Stemmer::Truncate)
    }
}

/// The first [`TRUNCATE`] characters of `word`.
pub fn truncate(word: &str) -> &str {
    word.char_indices()
        .nth(TRUNCATE)
        .map_or(word, |(i, _)| &word[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_cjk_terms(run: &str, unigrams: bool) -> Vec<String> {
        let mut out = Vec::new();
        cjk_terms(run, unigrams, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn splits_words_and_cjk_runs() {
        let got: Vec<Piece> = pieces("重置Microsoft 365密码 (SSPR)、パスワード").collect();
        assert_eq!(
            got,
            [
                Piece::Cjk("重置"),
                Piece::Word("Microsoft"),
                Piece::Word("365"),
                Piece::Cjk("密码"),
                Piece::Word("SSPR"),
                Piece::Cjk("パスワード"),
            ]
        );
    }

    #[test]
    fn cjk_runs_are_bigrams_and_unigrams_in_the_index() {
        assert_eq!(
            all_cjk_terms("パスワード", false),
            ["パス", "スワ", "ワー", "ード"]
        );
        assert_eq!(
            all_cjk_terms("重置密码", true),
            ["重", "置", "密", "码", "重置", "置密", "密码"]
        );
        assert_eq!(all_cjk_terms("密", true), ["密"]);
    }

    fn texts(query: &str, pairs: bool) -> Vec<String> {
        query_terms(query, pairs)
            .terms
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn queries_are_lower_cased_bigrams_without_repeats() {
        assert_eq!(
            texts("Password RESET password", false),
            ["password", "reset"]
        );
        assert_eq!(texts("密码", false), ["密码"]);
        assert_eq!(texts("密", false), ["密"]);
        assert_eq!(texts("重置密码", false), ["重置", "置密", "密码"]);
        assert_eq!(texts("  ,.;  ", false), Vec::<String>::new());
        // Katakana's prolonged sound mark is a letter, the middle dot is not.
        assert_eq!(texts("ユーザー・ID", false), ["ユー", "ーザ", "ザー", "id"]);
    }

    #[test]
    fn thai_queries_are_words_and_marks_stay_in_them() {
        assert_eq!(texts("รีเซ็ตรหัสผ่าน", false), ["รีเซ็ต", "รหัส", "ผ่าน"]);
        // Combining accents (decomposed text) stay in their word.
        assert_eq!(
            texts("cafe\u{301} au lait", false),
            ["cafe\u{301}", "au", "lait"]
        );
    }

    #[test]
    fn vietnamese_pairs_follow_each_other_with_only_spaces_between() {
        let q = query_terms("Đặt lại mật khẩu, người dùng", true);
        let got: Vec<(&str, Kind)> = q.terms.iter().map(|t| (t.text.as_str(), t.kind)).collect();
        assert_eq!(
            got,
            [
                ("đặt", Kind::Word),
                ("lại", Kind::Word),
                ("đặt lại", Kind::Pair),
                ("mật", Kind::Word),
                ("lại mật", Kind::Pair),
                ("khẩu", Kind::Word),
                ("mật khẩu", Kind::Pair),
                ("người", Kind::Word),
                ("dùng", Kind::Word),
                ("người dùng", Kind::Pair),
            ]
        );
        assert_eq!(texts("mật khẩu", false), ["mật", "khẩu"]);
    }

    /// The pair terms of `query`.
    fn pairs(query: &str) -> Vec<String> {
        query_terms(query, true)
            .terms
            .into_iter()
            .filter(|t| t.kind == Kind::Pair)
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn a_word_and_a_cjk_run_pair_by_the_run_character_next_to_it() {
        // Not across the comma.
        assert_eq!(
            pairs("Teams チャット 削除 OneDrive, 在"),
            ["teams チ", "ト 削", "除 onedrive"]
        );
        assert_eq!(cjk_ends("チャット"), ("チ", "ト"));
        assert_eq!(cjk_ends("在"), ("在", "在"));
        // Across a hyphen, a slash, brackets and quotes; not a comma or a stop.
        assert_eq!(
            pairs("out-of-office (SSO) の, end. Then"),
            ["out of", "of office", "office sso", "sso の"]
        );
    }

    #[test]
    fn the_last_word_is_a_prefix_only_when_nothing_follows_it() {
        let q = query_terms("reset pass", false);
        assert_eq!(q.prefix, Some(1));
        assert_eq!(query_terms("reset pass ", false).prefix, None);
        assert_eq!(query_terms("reset 密码", false).prefix, None);
        // A repeated word points at its first place.
        assert_eq!(query_terms("pass reset pass", false).prefix, Some(0));
        assert_eq!(query_terms("", false).prefix, None);
    }

    #[test]
    fn stems_where_snowball_has_a_stemmer() {
        let sv = Stemmer::for_tag("sv-SE");
        assert_eq!(sv.stem("lösenorden"), "lösenord");
        let en = Stemmer::for_tag("en-US");
        assert_eq!(en.stem("resetting"), "reset");
        assert_eq!(en.stem("passwords"), "password");
        let ro = Stemmer::for_tag("ro-RO");
        assert_eq!(ro.stem("parolele"), ro.stem("parola"));
        // No Snowball stemmer for Estonian: truncation, by characters.
        let et = Stemmer::for_tag("et-EE");
        assert_eq!(et.stem("paroolilähtestus"), "parool");
        assert_eq!(et.stem("parool"), "parool");
        assert_eq!(et.stem("õõõõõõõõ"), "õõõõõõ");
        assert_eq!(et.stem("ja"), "ja");
        // Chinese and Japanese: other words as written; Thai and
        // Vietnamese words do not inflect.
        assert_eq!(Stemmer::for_tag("zh-CN").stem("resetting"), "resetting");
        assert_eq!(Stemmer::for_tag("vi-VN").stem("người"), "người");
        assert_eq!(Stemmer::for_tag("th-TH").stem("รหัสผ่าน"), "รหัสผ่าน");
    }
}
