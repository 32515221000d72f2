//! Search: one index per language, written as small static JSON files that
//! the theme's script fetches (`<lang>/search/`), so that search works from
//! any static server without a service behind it.
//!
//! The site build feeds every page it renders to [`Index::add`] (from its
//! parallel render loop: `add` takes `&self`), then writes what
//! [`Index::finish`] returns. Nothing here reads or writes files.
//!
//! Three fields per page, ranked in this order: the title, the body, and the
//! English source of each translated sentence (so that a reader of the
//! Chinese site finds the Chinese article by an English product term).
//! Terms come from [`tokenize`]: words (stemmed where Snowball has a
//! stemmer; Thai, Lao, Khmer and Burmese split into words by [`script`]),
//! CJK bigrams, and pairs of words: in titles, and in the body of
//! Vietnamese pages. The file format and the ranking are described
//! in [`format`]; [`query`] is the Rust twin of the browser's search, used by
//! tests and the corpus benchmark.

pub mod format;
pub mod query;
pub mod script;
pub mod text;
pub mod tokenize;

use std::sync::{Arc, Mutex, RwLock};
use tokenize::{Piece, Stemmer, MAX_TERM};

/// A hash map with a fast, non-cryptographic hash (`rustc-hash`, rustc's
/// own): the index's maps hold millions of short keys, and SipHash was a
/// tenth of the build's time. The keys are words of the site's own content.
pub(crate) type Map<K, V> = rustc_hash::FxHashMap<K, V>;

/// Characters of body text kept as a result's excerpt.
const EXCERPT_CHARS: usize = 160;

/// A search index of one language, being built.
pub struct Index {
    tag: String,
    own: Stemmer,
    english: Stemmer,
    /// Word → (stem, English stem), for every word seen: each word is
    /// stemmed once, and threads mostly only read this.
    stems: RwLock<Map<String, (String, String)>>,
    /// Word → English stem, shared by the indexes of one build: the English
    /// source is much the same in every language, and Snowball's English
    /// stemmer was most of the time spent stemming.
    english_stems: Arc<EnglishStems>,
    /// The language's own stemmer is the English one.
    own_is_english: bool,
    /// Two words that follow each other in the body are also a term
    /// (Vietnamese); in titles they always are.
    pairs: bool,
    docs: Mutex<Vec<Doc>>,
    /// The postings, split by term hash ([`format::PARTS`]): pages add to
    /// each under its own lock, and `finish` writes each on its own thread.
    parts: Vec<Mutex<Part>>,
}

/// English stems already computed, for [`Index::sharing`].
#[derive(Default)]
pub struct EnglishStems(RwLock<Map<String, String>>);

/// The plain text of the English source of `article`'s translated sentences,
/// for the index's English field.
pub fn english_of(article: &crate::model::Article) -> String {
    text::markdown_text(article.segments.iter().map(|s| s.source(article)))
}

/// Term frequencies of one page, counted outside the lock.
#[derive(Default)]
struct Counts {
    /// Word (lower-cased, as written) → [in title, in body].
    words: Map<String, [u16; 2]>,
    /// Terms that are not stemmed (CJK unigrams and bigrams, word pairs)
    /// → [in title, in body].
    grams: Map<String, [u16; 2]>,
    /// Words of the English source → count.
    english: Map<String, [u16; 2]>,
    /// Terms in title + body, and in the English source.
    len: u32,
    len_english: u32,
}

/// One page's entry in a posting list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Posting {
    pub doc: u32,
    pub title: u16,
    pub body: u16,
}

/// A page of the index.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub url: String,
    pub title: String,
    pub excerpt: String,
    pub len: u32,
    pub len_english: u32,
    /// Terms in the title.
    pub len_title: u32,
}

/// The postings of the terms of one partition.
#[derive(Default)]
pub(crate) struct Part {
    /// Stem or CJK gram → postings (title and body).
    pub own: Map<String, Vec<Posting>>,
    /// English stem → postings (the English source).
    pub english: Map<String, Vec<Posting>>,
}

/// Appends `posting` to `map[term]`, allocating the term only when it is new.
fn push(map: &mut Map<String, Vec<Posting>>, term: String, posting: Posting) {
    match map.get_mut(&term) {
        Some(list) => list.push(posting),
        None => {
            map.insert(term, vec![posting]);
        }
    }
}

/// A poisoned lock means another page panicked: the build fails anyway.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Index {
    /// An empty index for language `tag`.
    pub fn new(tag: &str) -> Index {
        Index::sharing(tag, Arc::default())
    }

    /// An empty index for language `tag` that looks English stems up in,
    /// and adds them to, `english_stems`.
    pub fn sharing(tag: &str, english_stems: Arc<EnglishStems>) -> Index {
        Index {
            tag: tag.to_string(),
            own: Stemmer::for_tag(tag),
            english: Stemmer::for_tag("en"),
            stems: RwLock::default(),
            english_stems,
            own_is_english: crate::locale::primary(tag) == "en",
            pairs: tokenize::pairs_syllables(tag),
            docs: Mutex::default(),
            parts: (0..format::PARTS).map(|_| Mutex::default()).collect(),
        }
    }

    /// Adds a page: its URL relative to the language folder, its title, its
    /// rendered (sanitised) HTML, and the plain text of its English source
    /// (empty for English pages). Safe to call from many threads.
    pub fn add(&self, url: &str, title: &str, html: &str, english: &str) {
        let body = text::html_text(html);
        let mut counts = Counts::default();
        let pairs = self.pairs;
        // Pairs of words in every title (a phrase of the title ranks its
        // page first); in the body too where the language asks for them.
        let len_title = count(&mut counts, title, Field::Title, true);
        counts.len += len_title;
        counts.len += count(&mut counts, &body, Field::Body, pairs);
        counts.len_english = count(&mut counts, english, Field::English, false);
        let doc = Doc {
            url: url.to_string(),
            title: title.to_string(),
            excerpt: excerpt(&body, title),
            len: counts.len,
            len_english: counts.len_english,
            len_title,
        };
        let page = self.stem(counts);
        let id = {
            let mut docs = lock(&self.docs);
            docs.push(doc);
            docs.len() as u32 - 1
        };
        // The page's postings by partition: (title and body, English source).
        type Postings = Vec<(String, Posting)>;
        let mut split: Vec<(Postings, Postings)> = vec![Default::default(); format::PARTS];
        for (term, tf) in page.own {
            let p = format::part_of(&term);
            let posting = Posting {
                doc: id,
                title: tf[0],
                body: tf[1],
            };
            split[p].0.push((term, posting));
        }
        for (term, tf) in page.english {
            let p = format::part_of(&term);
            let posting = Posting {
                doc: id,
                title: 0,
                body: tf,
            };
            split[p].1.push((term, posting));
        }
        for (part, (own, english)) in self.parts.iter().zip(split) {
            let mut part = lock(part);
            for (term, posting) in own {
                push(&mut part.own, term, posting);
            }
            for (term, posting) in english {
                push(&mut part.english, term, posting);
            }
        }
    }

    /// The files of the finished index, relative to the language's search
    /// folder: `meta.json`, `s/<shard>.json`, `d/<chunk>.json`.
    pub fn finish(self) -> Vec<(String, Vec<u8>)> {
        let docs = self.docs.into_inner().unwrap_or_else(|p| p.into_inner());
        let parts = self
            .parts
            .into_iter()
            .map(|p| p.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect();
        let stems = self.stems.into_inner().unwrap_or_else(|p| p.into_inner());
        let reading = format::Reading {
            truncate: if self.own.truncates() {
                tokenize::TRUNCATE
            } else {
                0
            },
            pairs: self.pairs,
        };
        format::write(&self.tag, reading, docs, parts, stems)
    }
}

/// The field a text is counted into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Body,
    English,
}

/// Counts the terms of `text` into `field` of `counts`; returns how many
/// there were (word pairs, when `pairs` is set, are counted but not added
/// to the length).
fn count(counts: &mut Counts, text: &str, field: Field, pairs: bool) -> u32 {
    let (slot, english) = match field {
        Field::Title => (0, false),
        Field::Body => (1, false),
        Field::English => (1, true),
    };
    let mut n = 0u32;
    // The previous word and where it ended, for pairs.
    let mut previous: Option<(&str, usize)> = None;
    let add_pair = |counts: &mut Counts, pair: Option<String>| {
        if let Some(pair) = pair.filter(|p| p.len() <= MAX_TERM) {
            add_to(&mut counts.grams, &pair, slot, 1);
        }
    };
    for (start, piece) in tokenize::tokens(text) {
        match piece {
            Piece::Word(w) if w.len() <= MAX_TERM => {
                let map = if english {
                    &mut counts.english
                } else {
                    &mut counts.words
                };
                bump(map, w, slot);
                n += 1;
                if let Some(before) = previous.filter(|_| pairs) {
                    let pair = tokenize::pair_after(text, Some(before), start, &w.to_lowercase());
                    add_pair(counts, pair);
                }
                previous = Some((w, start + w.len()));
            }
            Piece::Word(_) => previous = None,
            Piece::Cjk(run) if english => {
                // CJK in the English source (a product name): rare; as words.
                bump(&mut counts.english, run, slot);
                n += 1;
                previous = None;
            }
            Piece::Cjk(run) => {
                tokenize::cjk_terms(run, true, |t| {
                    add_to(&mut counts.grams, t, slot, 1);
                    n += 1;
                });
                // A word and the CJK run after it pair as the word and the
                // run's first character ("Teams チャット" → `teams チ`);
                // the run's last character pairs with what follows it.
                let (first, last) = tokenize::cjk_ends(run);
                add_pair(
                    counts,
                    tokenize::pair_after(text, previous.filter(|_| pairs), start, first),
                );
                previous = Some((last, start + run.len()));
            }
        }
    }
    n
}

fn bump(map: &mut Map<String, [u16; 2]>, word: &str, field: usize) {
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            add_to(map, &word.to_ascii_lowercase(), field, 1);
        } else {
            add_to(map, word, field, 1);
        }
    } else if word.chars().any(char::is_uppercase) {
        add_to(map, &word.to_lowercase(), field, 1);
    } else {
        add_to(map, word, field, 1);
    }
}

/// Adds `n` to `map[key][field]`, allocating the key only when it is new.
fn add_to(map: &mut Map<String, [u16; 2]>, key: &str, field: usize, n: u16) {
    match map.get_mut(key) {
        Some(e) => e[field] = e[field].saturating_add(n),
        None => {
            let mut e = [0; 2];
            e[field] = n;
            map.insert(key.to_string(), e);
        }
    }
}

/// The start of the body text, without the title it usually repeats.
fn excerpt(body: &str, title: &str) -> String {
    let body = body.trim_start();
    let body = body
        .strip_prefix(title.trim())
        .map_or(body, str::trim_start);
    let mut out = String::new();
    let mut chars = 0;
    let mut space = false;
    for c in body.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        space = false;
        out.push(c);
        chars += 1;
        if chars >= EXCERPT_CHARS {
            out.push('…');
            break;
        }
    }
    out
}

/// A page's terms, stemmed: ready to be merged into the index.
struct Stemmed {
    /// Stem or CJK gram → [in title, in body].
    own: Map<String, [u16; 2]>,
    /// English stem → count.
    english: Map<String, u16>,
}

impl Index {
    /// Stems a page's words, outside the index lock (pages are stemmed in
    /// parallel); words already seen are looked up.
    fn stem(&self, counts: Counts) -> Stemmed {
        let mut out = Stemmed {
            own: counts.grams,
            english: Map::with_capacity_and_hasher(counts.english.len(), Default::default()),
        };
        let mut new: Vec<(String, (String, String))> = Vec::new();
        let mut new_english: Vec<(String, String)> = Vec::new();
        {
            let known = self.stems.read().unwrap_or_else(|p| p.into_inner());
            let shared = self
                .english_stems
                .0
                .read()
                .unwrap_or_else(|p| p.into_inner());
            let mut stem_of =
                |word: &str, english: bool, f: &mut dyn FnMut(&str)| match known.get(word) {
                    Some((own, eng)) => f(if english { eng } else { own }),
                    None => {
                        let own = self.own.stem(word).into_owned();
                        let eng = if self.own_is_english {
                            own.clone()
                        } else if let Some(eng) = shared.get(word) {
                            eng.clone()
                        } else {
                            let eng = self.english.stem(word).into_owned();
                            new_english.push((word.to_string(), eng.clone()));
                            eng
                        };
                        f(if english { &eng } else { &own });
                        new.push((word.to_string(), (own, eng)));
                    }
                };
            for (word, tf) in &counts.words {
                stem_of(word, false, &mut |stem| match out.own.get_mut(stem) {
                    Some(e) => {
                        e[0] = e[0].saturating_add(tf[0]);
                        e[1] = e[1].saturating_add(tf[1]);
                    }
                    None => {
                        out.own.insert(stem.to_string(), *tf);
                    }
                });
            }
            for (word, tf) in &counts.english {
                stem_of(word, true, &mut |stem| {
                    match out.english.get_mut(stem) {
                        Some(n) => *n = n.saturating_add(tf[1]),
                        None => {
                            out.english.insert(stem.to_string(), tf[1]);
                        }
                    };
                });
            }
        }
        if !new.is_empty() {
            let mut known = self.stems.write().unwrap_or_else(|p| p.into_inner());
            known.extend(new);
        }
        if !new_english.is_empty() {
            let mut shared = self
                .english_stems
                .0
                .write()
                .unwrap_or_else(|p| p.into_inner());
            shared.extend(new_english);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_skips_the_title_and_folds_spaces() {
        assert_eq!(excerpt("  Reset\n\n It  works.", "Reset"), "It works.");
        let long = "字".repeat(300);
        assert_eq!(excerpt(&long, "x").chars().count(), EXCERPT_CHARS + 1);
    }
}
