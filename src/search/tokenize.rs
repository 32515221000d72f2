//! Text → search terms, for the index (Rust) and for queries (Rust here, and
//! its line-for-line twin `tokenize` in `themes/default/static/helpbook.js`).
//!
//! The rules are deliberately small, so that the browser applies exactly the
//! same ones without a segmentation library:
//!
//! 1. Words are runs of alphanumeric characters (Unicode `Alphabetic` or a
//!    number: Rust's `char::is_alphanumeric`, JavaScript's
//!    `[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]`), lower-cased.
//! 2. Inside a word, runs of Chinese, Japanese or Korean characters
//!    ([`is_cjk`]) have no spaces to split on: they are indexed as
//!    overlapping bigrams plus single characters, and a query's run is
//!    looked up by its bigrams (or by the character, when it is alone).
//!    `パスワード` → `パス スワ ワー ード`.
//! 3. Other words are indexed by their stem where Snowball has a stemmer
//!    for the language ([`Stemmer`]); the index keeps, for each word whose
//!    stem differs, the word → stem mapping, so that the query side needs no
//!    stemmer: it looks the word up as written. Languages written with spaces
//!    that Snowball lacks (Estonian …) are stemmed by truncation to their
//!    first [`TRUNCATE`] characters, which finds inflected forms and the
//!    first part of compounds (`parool` → `paroolilähtestus`); the query
//!    side truncates words it does not find (`meta.json` says so).

use rust_stemmers::Algorithm;

/// Longest term kept, in bytes (longer "words" are hashes and encoded data).
pub const MAX_TERM: usize = 64;

/// Whether `c` belongs to a script written without spaces between words
/// (Han, Hiragana, Katakana) or best matched by bigrams (Hangul).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF       // Hangul Jamo
        | 0x3005..=0x3007     // 々 〆 〇
        | 0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3130..=0x318F     // Hangul compatibility Jamo
        | 0x31F0..=0x31FF     // Katakana phonetic extensions
        | 0x3400..=0x4DBF     // Han extension A
        | 0x4E00..=0x9FFF     // Han
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0xF900..=0xFAFF     // Han compatibility
        | 0xFF66..=0xFF9F     // half-width Katakana
        | 0x20000..=0x3FFFF) // Han extensions B…
}

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
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = find_char(rest, |c| c.is_alphanumeric())?;
        rest = &rest[start..];
        let cjk = rest.chars().next().is_some_and(is_cjk);
        let end =
            find_char(rest, |c| !c.is_alphanumeric() || is_cjk(c) != cjk).unwrap_or(rest.len());
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(if cjk {
            Piece::Cjk(piece)
        } else {
            Piece::Word(piece)
        })
    })
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

/// Calls `f` with every bigram of a CJK run, and with every single
/// character when `unigrams` is set (the index side).
pub fn cjk_terms(run: &str, unigrams: bool, mut f: impl FnMut(&str)) {
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

/// The terms a query looks up, in order, without repeats: lower-cased words
/// as written, and the bigrams of CJK runs (a lone CJK character as itself).
pub fn query_terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if !t.is_empty() && t.len() <= MAX_TERM && !out.contains(&t) {
            out.push(t);
        }
    };
    for piece in pieces(query) {
        match piece {
            Piece::Word(w) => push(w.to_lowercase()),
            Piece::Cjk(run) if run.chars().nth(1).is_none() => push(run.to_string()),
            Piece::Cjk(run) => cjk_terms(run, false, |t| push(t.to_string())),
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
    /// Words as written (Chinese, Japanese, Korean: their runs are bigrams,
    /// and other words in their text are foreign terms).
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
            "zh" | "ja" | "ko" => return Stemmer::None,
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

    #[test]
    fn queries_are_lower_cased_bigrams_without_repeats() {
        assert_eq!(
            query_terms("Password RESET password"),
            ["password", "reset"]
        );
        assert_eq!(query_terms("密码"), ["密码"]);
        assert_eq!(query_terms("密"), ["密"]);
        assert_eq!(query_terms("重置密码"), ["重置", "置密", "密码"]);
        assert_eq!(query_terms("  ,.;  "), Vec::<String>::new());
        // Katakana's prolonged sound mark is a letter, the middle dot is not.
        assert_eq!(query_terms("ユーザー・ID"), ["ユー", "ーザ", "ザー", "id"]);
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
        // Chinese and Japanese: other words as written.
        assert_eq!(Stemmer::for_tag("zh-CN").stem("resetting"), "resetting");
    }
}
