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
//! in [`format`](mod@format); [`query`] is the Rust twin of the browser's search, used by
//! tests and the corpus benchmark.

pub mod format;
pub mod query;
pub mod script;
pub mod text;
pub mod tokenize;

mod english;

pub use english::EnglishStems;
use std::borrow::Cow;
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
    /// Word → (stem, English stem), for every word of the titles and
    /// bodies: each word is stemmed once, and threads mostly only read this.
    stems: RwLock<Map<String, (String, String)>>,
    /// Words stemmed while `stems` was being read, not yet in it.
    pending: Mutex<Vec<(String, (String, String))>>,
    /// English words and stems, and the English source fields already
    /// counted, shared by the indexes of one build: the English source is
    /// much the same in every language.
    shared: Arc<EnglishStems>,
    /// The English words of this language's English source fields, by
    /// their number in `shared`, as a bit set: the lexicon lists them.
    english_words: Mutex<Vec<u64>>,
    /// The language's own stemmer is the English one.
    own_is_english: bool,
    /// Two words that follow each other in the body are also a term
    /// (Vietnamese); in titles they always are.
    pairs: bool,
    docs: Mutex<Vec<Doc>>,
    /// The postings, split by term hash ([`format::PARTS`]): pages add to
    /// each under its own lock, and `finish` writes each on its own thread.
    parts: Vec<Mutex<Building>>,
}

/// The postings of one partition while pages are being added: the English
/// source's by the English stem's number in [`EnglishStems`].
#[derive(Default)]
struct Building {
    own: Map<String, Vec<Posting>>,
    english: Map<u32, Vec<Posting>>,
}

/// Term frequencies of one page, counted outside the lock. The terms are
/// borrowed from the page's text where they are written as they are
/// counted (most are), so that counting allocates only for the others.
#[derive(Default)]
struct Counts<'t> {
    /// Word (lower-cased, as written) → [in title, in body].
    words: Map<Cow<'t, str>, [u16; 2]>,
    /// Terms that are not stemmed (CJK unigrams and bigrams, word pairs)
    /// → [in title, in body].
    grams: Map<Cow<'t, str>, [u16; 2]>,
    /// Words of the English source → count.
    english: Map<Cow<'t, str>, [u16; 2]>,
    /// Terms in title + body.
    len: u32,
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
fn push(map: &mut Map<String, Vec<Posting>>, term: &str, posting: Posting) {
    match map.get_mut(term) {
        Some(list) => list.push(posting),
        None => {
            map.insert(term.to_string(), vec![posting]);
        }
    }
}

/// A poisoned lock means another page panicked: the build fails anyway.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `l` to write, if no other thread holds it: the tables a thread would
/// otherwise wait for are ones it can do without for now.
fn try_write<T>(l: &RwLock<T>) -> Option<std::sync::RwLockWriteGuard<'_, T>> {
    match l.try_write() {
        Ok(guard) => Some(guard),
        Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => None,
    }
}

impl Index {
    /// An empty index for language `tag`.
    pub fn new(tag: &str) -> Index {
        Index::sharing(tag, Arc::default())
    }

    /// An empty index for language `tag` that looks English stems up in,
    /// and adds them to, `shared`.
    pub fn sharing(tag: &str, shared: Arc<EnglishStems>) -> Index {
        Index {
            tag: tag.to_string(),
            own: Stemmer::for_tag(tag),
            english: Stemmer::for_tag("en"),
            stems: RwLock::default(),
            pending: Mutex::default(),
            shared,
            english_words: Mutex::default(),
            own_is_english: crate::locale::primary(tag) == "en",
            pairs: tokenize::pairs_syllables(tag),
            docs: Mutex::default(),
            parts: (0..format::PARTS).map(|_| Mutex::default()).collect(),
        }
    }

    /// Adds a page: its URL relative to the language folder, its title, its
    /// rendered (sanitised) HTML, and the Markdown of the English sentences
    /// it was translated from (none for English pages). Safe to call from
    /// many threads.
    pub fn add(&self, url: &str, title: &str, html: &str, english: &[&str]) {
        self.add_text(url, title, &text::html_text(html), english);
    }

    /// [`Index::add`] of a page whose text is already taken out of its HTML
    /// ([`text::html_text`]): `serve` keeps the text of a language's pages
    /// to index them again after a save without rendering them again.
    pub fn add_text(&self, url: &str, title: &str, body: &str, english: &[&str]) {
        let mut counts = Counts::default();
        let pairs = self.pairs;
        // Pairs of words in every title (a phrase of the title ranks its
        // page first); in the body too where the language asks for them.
        let len_title = count(&mut counts, title, Field::Title, true);
        counts.len += len_title;
        counts.len += count(&mut counts, body, Field::Body, pairs);
        let page = |english: Option<&english::Counted<'_>>| {
            if let Some(english) = english {
                let mut seen = lock(&self.english_words);
                for &word in english.words {
                    let (i, bit) = (word as usize / 64, word % 64);
                    if seen.len() <= i {
                        seen.resize(i + 1, 0);
                    }
                    seen[i] |= 1 << bit;
                }
            }
            let doc = Doc {
                url: url.to_string(),
                title: title.to_string(),
                excerpt: excerpt(body, title),
                len: counts.len,
                len_english: english.map_or(0, |e| e.len),
                len_title,
            };
            let id = {
                let mut docs = lock(&self.docs);
                docs.push(doc);
                docs.len() as u32 - 1
            };
            self.post(id, &counts, english);
        };
        if english.is_empty() {
            page(None);
        } else {
            self.shared.count(english, &self.english, |e| page(Some(e)));
        }
    }

    /// The files of the finished index ([`format`](mod@format)).
    pub fn finish(self) -> format::Files {
        let docs = self.docs.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut stems = self.stems.into_inner().unwrap_or_else(|p| p.into_inner());
        stems.extend(self.pending.into_inner().unwrap_or_else(|p| p.into_inner()));
        let seen = self
            .english_words
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        let parts = {
            let shared = self.shared.words();
            // The English source's words join the lexicon, with their stems.
            let seen = |id: u32| {
                seen.get(id as usize / 64)
                    .is_some_and(|bits| bits & (1u64 << (id % 64)) != 0)
            };
            for (word, english) in shared.words(seen) {
                if !stems.contains_key(word) {
                    let own = if self.own_is_english {
                        english.to_string()
                    } else {
                        self.own.stem(word).into_owned()
                    };
                    stems.insert(word.to_string(), (own, english.to_string()));
                }
            }
            self.parts
                .into_iter()
                .map(|p| {
                    let p = p.into_inner().unwrap_or_else(|p| p.into_inner());
                    Part {
                        own: p.own,
                        english: p
                            .english
                            .into_iter()
                            .map(|(stem, list)| (shared.stem(stem).to_string(), list))
                            .collect(),
                    }
                })
                .collect()
        };
        let more = bare_forms(&mut stems, &tokenize::Clitics::for_tag(&self.tag), |bare| {
            (
                self.own.stem(bare).into_owned(),
                self.english.stem(bare).into_owned(),
            )
        });
        let reading = format::Reading {
            truncate: if self.own.truncates() {
                tokenize::TRUNCATE
            } else {
                0
            },
            pairs: self.pairs,
        };
        format::write(&self.tag, reading, docs, parts, stems, more)
    }
}

/// The words of `words` written with one of `clitics`' prefixes, by their
/// bare form (in no order: the lexicon orders them). A bare form that is no
/// word of the pages joins `words` with the stems `stem` gives it.
fn bare_forms(
    words: &mut Map<String, (String, String)>,
    clitics: &tokenize::Clitics,
    stem: impl Fn(&str) -> (String, String),
) -> Map<String, Vec<String>> {
    let mut more: Map<String, Vec<String>> = Map::default();
    if clitics.prefixes.is_empty() {
        return more;
    }
    for word in words.keys() {
        for bare in clitics.bare(word) {
            more.entry(bare.to_string()).or_default().push(word.clone());
        }
    }
    for bare in more.keys() {
        if !words.contains_key(bare) {
            words.insert(bare.clone(), stem(bare));
        }
    }
    more
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
fn count<'t>(counts: &mut Counts<'t>, text: &'t str, field: Field, pairs: bool) -> u32 {
    let (slot, english) = match field {
        Field::Title => (0, false),
        Field::Body => (1, false),
        Field::English => (1, true),
    };
    let mut n = 0u32;
    // The previous word and where it ended, for pairs.
    let mut previous: Option<(&str, usize)> = None;
    let add_pair = |counts: &mut Counts<'t>, pair: Option<String>| {
        if let Some(pair) = pair.filter(|p| p.len() <= MAX_TERM) {
            add_to(&mut counts.grams, Cow::Owned(pair), slot, 1);
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
                    add_to(&mut counts.grams, Cow::Borrowed(t), slot, 1);
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

/// Counts `word` lower-cased: borrowed when it is written so.
fn bump<'t>(map: &mut Map<Cow<'t, str>, [u16; 2]>, word: &'t str, field: usize) {
    let lower = if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    } else if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    };
    add_to(map, lower, field, 1);
}

/// Adds `n` to `map[key][field]`.
fn add_to<'t>(map: &mut Map<Cow<'t, str>, [u16; 2]>, key: Cow<'t, str>, field: usize, n: u16) {
    // One lookup: a borrowed key costs nothing to hand over, and an owned
    // one was made for this call anyway.
    let e = map.entry(key).or_default();
    e[field] = e[field].saturating_add(n);
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

impl Index {
    /// Adds page `id`'s terms to the postings: its words by their stems,
    /// its grams as they are, and the stems of its English source. A word
    /// is stemmed the first time the index sees it, outside any lock;
    /// after that it is looked up. The terms are borrowed, from the stems
    /// table and the page's counts, until a partition that does not have
    /// one yet copies it.
    fn post(&self, id: u32, counts: &Counts<'_>, english: Option<&english::Counted<'_>>) {
        // Words not seen before: (word, (stem, English stem)).
        let mut new: Vec<(String, (String, String))> = Vec::new();
        let mut new_english: Vec<(String, String)> = Vec::new();
        {
            let known = self.stems.read().unwrap_or_else(|p| p.into_inner());
            let mut terms: Map<&str, [u16; 2]> = Map::default();
            terms.reserve(counts.words.len() + counts.grams.len());
            let mut unknown: Vec<[u16; 2]> = Vec::new();
            for (word, tf) in &counts.words {
                match known.get(&**word) {
                    Some((own, _)) => merge(&mut terms, own, *tf),
                    None => {
                        // The lexicon gives every word its English stem
                        // too, for the English source field.
                        let own = self.own.stem(word).into_owned();
                        let eng = if self.own_is_english {
                            own.clone()
                        } else if let Some(eng) = self.shared.words().english_stem(word) {
                            eng.to_string()
                        } else {
                            let eng = self.english.stem(word).into_owned();
                            new_english.push((word.to_string(), eng.clone()));
                            eng
                        };
                        new.push((word.to_string(), (own, eng)));
                        unknown.push(*tf);
                    }
                }
            }
            for ((_, (own, _)), tf) in new.iter().zip(unknown) {
                merge(&mut terms, own, tf);
            }
            for (gram, tf) in &counts.grams {
                merge(&mut terms, gram, *tf);
            }
            let mut terms: Vec<(usize, &str, [u16; 2])> = terms
                .into_iter()
                .map(|(term, tf)| (format::part_of(term), term, tf))
                .collect();
            terms.sort_unstable_by_key(|t| t.0);
            // Where each partition's terms begin; a page starts at a
            // partition of its own, so that threads adding pages do not
            // queue for the same locks in the same order.
            let mut bounds = [0; format::PARTS + 1];
            for (p, bound) in bounds.iter_mut().enumerate().skip(1) {
                *bound = terms.partition_point(|t| t.0 < p);
            }
            let first = id as usize % format::PARTS;
            for p in (first..format::PARTS).chain(0..first) {
                let terms = &terms[bounds[p]..bounds[p + 1]];
                add_to_part(lock(&self.parts[p]), id, terms, english, p);
            }
        }
        // New words join the table when no page is reading it; otherwise
        // they wait in `pending`, and pages that meet them meanwhile stem
        // them again. A thread that waited for the table here left its
        // core idle for as long as every other thread read it.
        if !new.is_empty() {
            match try_write(&self.stems) {
                Some(mut known) => {
                    known.extend(new);
                    known.extend(lock(&self.pending).drain(..));
                }
                None => lock(&self.pending).extend(new),
            }
        }
        if !new_english.is_empty() {
            self.shared.offer(new_english);
        }
    }
}

/// Adds page `id`'s postings of partition `p` to it: `terms` (the page's
/// terms of that partition) and its English source's stems there.
fn add_to_part(
    mut part: std::sync::MutexGuard<'_, Building>,
    id: u32,
    terms: &[(usize, &str, [u16; 2])],
    english: Option<&english::Counted<'_>>,
    p: usize,
) {
    for &(_, term, tf) in terms {
        let posting = Posting {
            doc: id,
            title: tf[0],
            body: tf[1],
        };
        push(&mut part.own, term, posting);
    }
    let Some(english) = english else { return };
    for (stem, tf) in english.stems_in(p) {
        let posting = Posting {
            doc: id,
            title: 0,
            body: tf,
        };
        part.english.entry(stem).or_default().push(posting);
    }
}

/// Adds a page's counts of a term to `terms`.
fn merge<'a>(terms: &mut Map<&'a str, [u16; 2]>, term: &'a str, tf: [u16; 2]) {
    let e = terms.entry(term).or_default();
    e[0] = e[0].saturating_add(tf[0]);
    e[1] = e[1].saturating_add(tf[1]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stemmed_while_the_table_is_read_reach_the_lexicon() {
        let index = Index::new("en");
        {
            // Another page reading the table: the new words wait aside.
            let _reading = index.stems.read().expect("not poisoned");
            index.add("a.html", "Passwords", "<p>Resetting passwords</p>", &[]);
            assert!(!lock(&index.pending).is_empty());
        }
        let lexicon: String = index
            .finish()
            .files
            .into_iter()
            .filter(|(path, _)| path.contains("/l/"))
            .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
            .collect();
        assert!(lexicon.contains("\"resetting\""), "{lexicon}");
        assert!(lexicon.contains("\"passwords\""), "{lexicon}");
    }

    #[test]
    fn excerpt_skips_the_title_and_folds_spaces() {
        assert_eq!(excerpt("  Reset\n\n It  works.", "Reset"), "It works.");
        let long = "字".repeat(300);
        assert_eq!(excerpt(&long, "x").chars().count(), EXCERPT_CHARS + 1);
    }
}
