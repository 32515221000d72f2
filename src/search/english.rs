//! What the search indexes of one build share about English. Every
//! translated page has an English source field, and the English a page was
//! translated from is much the same in every language: counted once per
//! distinct English, not once per page, it cost a build at 36 languages
//! about a tenth of its CPU time.
//!
//! Words and stems are numbered here, so that a counted English field is a
//! short list of numbers (about 800 bytes for an article of the corpus)
//! that any language's index takes its postings from. Counted fields are
//! kept up to [`KEPT_BYTES`]; past that, a new English is counted for its
//! page alone.

use super::tokenize::Stemmer;
use super::{format, Counts, Field, Map};
use std::sync::{Arc, RwLock, RwLockReadGuard};

/// The most memory that counted English fields are kept in.
const KEPT_BYTES: usize = 32 << 20;

/// English words and stems, and the English source fields already counted,
/// for [`super::Index::sharing`].
#[derive(Default)]
pub struct EnglishStems {
    words: RwLock<Words>,
    kept: RwLock<Kept>,
}

/// The counted fields kept: their numbers stored one after another in
/// chunks that never move, not as allocations of their own scattered among
/// the pages' short-lived ones.
#[derive(Default)]
struct Kept {
    /// Digest of an English source (its sentences' Markdown) → its field.
    index: Map<u128, Entry>,
    chunks: Vec<Vec<u32>>,
    /// Numbers stored, in all.
    stored: usize,
}

/// Where a kept field's numbers are: `stems` stem numbers, as many
/// partition-and-count numbers, then `words` word numbers.
#[derive(Clone, Copy)]
struct Entry {
    chunk: u32,
    start: u32,
    stems: u32,
    words: u32,
    len: u32,
}

/// Numbers per chunk of [`Kept`] (a field with more has a chunk of its own).
const CHUNK: usize = 1 << 14;

/// Every English word seen, with its stem, and every stem, numbered. A
/// stem's text is kept once, shared by its words.
#[derive(Default)]
pub(super) struct Words {
    /// Word → (its number, its stem's number).
    ids: Map<Box<str>, (u32, u32)>,
    stem_ids: Map<Arc<str>, u32>,
    /// Stem number → (stem, its partition of the index).
    stems: Vec<(Arc<str>, u16)>,
}

impl Words {
    /// The English stem of `word`, if the word was seen.
    pub fn english_stem(&self, word: &str) -> Option<&str> {
        let &(_, stem) = self.ids.get(word)?;
        Some(self.stem(stem))
    }

    /// The words whose numbers `wanted` says, with their stems.
    pub fn words<'a>(
        &'a self,
        wanted: impl Fn(u32) -> bool + 'a,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.ids
            .iter()
            .filter(move |(_, &(id, _))| wanted(id))
            .map(|(word, &(_, stem))| (&**word, self.stem(stem)))
    }

    /// Stem number `id`.
    pub fn stem(&self, id: u32) -> &str {
        &self.stems[id as usize].0
    }

    fn insert(&mut self, word: &str, stem: &str) {
        if self.ids.contains_key(word) {
            return;
        }
        let stem_id = match self.stem_ids.get(stem) {
            Some(&id) => id,
            None => {
                let id = self.stems.len() as u32;
                let text: Arc<str> = stem.into();
                self.stems
                    .push((Arc::clone(&text), format::part_of(stem) as u16));
                self.stem_ids.insert(text, id);
                id
            }
        };
        let id = self.ids.len() as u32;
        self.ids.insert(word.into(), (id, stem_id));
    }
}

/// One English source field, counted.
pub(super) struct Counted<'a> {
    /// Stem numbers, by partition.
    stems: &'a [u32],
    /// For each stem: its partition (high 16 bits) and count (low 16).
    counts: &'a [u32],
    /// The numbers of its words, for the lexicon.
    pub words: &'a [u32],
    /// Words in the field.
    pub len: u32,
}

impl Counted<'_> {
    /// The stems of partition `part`, with their counts.
    pub fn stems_in(&self, part: usize) -> impl Iterator<Item = (u32, u16)> + '_ {
        let start = self.counts.partition_point(|c| ((c >> 16) as usize) < part);
        let end = self
            .counts
            .partition_point(|c| ((c >> 16) as usize) <= part);
        (start..end).map(|i| (self.stems[i], self.counts[i] as u16))
    }

    /// A field's numbers as [`Kept`] stores them.
    fn of(numbers: &[u32], stems: usize, len: u32) -> Counted<'_> {
        let (stems_part, rest) = numbers.split_at(stems);
        let (counts, words) = rest.split_at(stems);
        Counted {
            stems: stems_part,
            counts,
            words,
            len,
        }
    }
}

impl EnglishStems {
    pub(super) fn words(&self) -> RwLockReadGuard<'_, Words> {
        self.words.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds words with their English stems.
    pub(super) fn learn(&self, new: Vec<(String, String)>) {
        let mut words = self.words.write().unwrap_or_else(|p| p.into_inner());
        for (word, stem) in new {
            words.insert(&word, &stem);
        }
    }

    /// Adds words with their English stems if no other thread is using
    /// the table; else drops them (a page's own words' English stems are
    /// only remembered to spare stemming them again).
    pub(super) fn offer(&self, new: Vec<(String, String)>) {
        let Some(mut words) = super::try_write(&self.words) else {
            return;
        };
        for (word, stem) in new {
            words.insert(&word, &stem);
        }
    }

    /// Calls `f` with the English source field made of `sentences` (their
    /// Markdown), counted with `stemmer` (English), or as counted before.
    pub(super) fn count<R>(
        &self,
        sentences: &[&str],
        stemmer: &Stemmer,
        f: impl FnOnce(&Counted<'_>) -> R,
    ) -> R {
        // The digest of what `markdown_text` reads: each sentence and a
        // blank line.
        let mut hasher = blake3::Hasher::new();
        for s in sentences {
            hasher.update(s.as_bytes());
            hasher.update(b"\n\n");
        }
        let digest = hasher.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest.as_bytes()[..16]);
        let key = u128::from_le_bytes(key);
        // A kept field is copied out (a few hundred numbers), so that the
        // lock is not held while the page is added.
        let found = {
            let kept = self.kept.read().unwrap_or_else(|p| p.into_inner());
            kept.index.get(&key).map(|e| {
                let chunk = &kept.chunks[e.chunk as usize];
                let end = e.start as usize + 2 * e.stems as usize + e.words as usize;
                (chunk[e.start as usize..end].to_vec(), *e)
            })
        };
        if let Some((numbers, e)) = found {
            return f(&Counted::of(&numbers, e.stems as usize, e.len));
        }

        let text = super::text::markdown_text(sentences.iter().copied());
        let mut counted = Counts::default();
        let len = super::count(&mut counted, &text, Field::English, false);
        // Word → count.
        let counts = counted.english;
        // Words not seen before are stemmed outside the lock.
        let new: Vec<(String, String)> = {
            let words = self.words();
            counts
                .keys()
                .filter(|w| !words.ids.contains_key(&***w))
                .map(|w| (w.to_string(), stemmer.stem(w).into_owned()))
                .collect()
        };
        if !new.is_empty() {
            self.learn(new);
        }
        let words = self.words();
        let mut by_stem: Map<u32, u16> = Map::default();
        let mut ids = Vec::with_capacity(counts.len());
        for (word, tf) in &counts {
            // Every word was learnt above.
            let Some(&(id, stem)) = words.ids.get(&**word) else {
                continue;
            };
            ids.push(id);
            let n = by_stem.entry(stem).or_default();
            *n = n.saturating_add(tf[1]);
        }
        let mut stems: Vec<(u32, u32)> = by_stem
            .into_iter()
            .map(|(stem, n)| {
                (
                    stem,
                    u32::from(words.stems[stem as usize].1) << 16 | u32::from(n),
                )
            })
            .collect();
        drop(words);
        stems.sort_unstable_by_key(|&(stem, count)| (count >> 16, stem));
        let mut numbers = Vec::with_capacity(2 * stems.len() + ids.len());
        numbers.extend(stems.iter().map(|s| s.0));
        numbers.extend(stems.iter().map(|s| s.1));
        numbers.extend_from_slice(&ids);
        self.keep(key, &numbers, stems.len() as u32, ids.len() as u32, len);
        f(&Counted::of(&numbers, stems.len(), len))
    }

    /// Keeps a counted field, while [`KEPT_BYTES`] allow, unless another
    /// thread is looking a field up: then the field is counted again the
    /// next time it is met, rather than the thread waiting.
    fn keep(&self, key: u128, numbers: &[u32], stems: u32, words: u32, len: u32) {
        let Some(mut kept) = super::try_write(&self.kept) else {
            return;
        };
        if (kept.stored + numbers.len()) * 4 > KEPT_BYTES || kept.index.contains_key(&key) {
            return;
        }
        let fits = kept
            .chunks
            .last()
            .is_some_and(|c| c.len() + numbers.len() <= c.capacity());
        if !fits {
            kept.chunks
                .push(Vec::with_capacity(CHUNK.max(numbers.len())));
        }
        let chunk = kept.chunks.len() - 1;
        let start = kept.chunks[chunk].len();
        kept.chunks[chunk].extend_from_slice(numbers);
        kept.stored += numbers.len();
        let entry = Entry {
            chunk: chunk as u32,
            start: start as u32,
            stems,
            words,
            len,
        };
        kept.index.insert(key, entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_english_source_is_counted_once_and_shared() {
        let shared = EnglishStems::default();
        let stemmer = Stemmer::for_tag("en");
        let read = |c: &Counted<'_>| {
            let stems: Vec<(u32, u16)> = (0..format::PARTS).flat_map(|p| c.stems_in(p)).collect();
            (stems, c.words.to_vec(), c.len)
        };
        let a = shared.count(
            &["Reset **passwords**.", "Users reset them."],
            &stemmer,
            read,
        );
        let kept = |shared: &EnglishStems| shared.kept.read().expect("not poisoned").index.len();
        assert_eq!(kept(&shared), 1);
        let b = shared.count(
            &["Reset **passwords**.", "Users reset them."],
            &stemmer,
            read,
        );
        assert_eq!((a.clone(), kept(&shared)), (b, 1));
        // The same words cut into other sentences are another source.
        let c = shared.count(
            &["Reset **passwords**. Users", "reset them."],
            &stemmer,
            read,
        );
        assert_eq!(kept(&shared), 2);
        assert_eq!(c.0, a.0);
        let (stems, words, len) = a;
        assert_eq!(len, 5);
        let names = shared.words();
        let stems: Vec<(&str, u16)> = stems.iter().map(|&(s, n)| (names.stem(s), n)).collect();
        // "reset" twice, "password", "user", "them".
        assert_eq!(stems.len(), 4, "{stems:?}");
        assert!(stems.contains(&("reset", 2)), "{stems:?}");
        assert!(stems.contains(&("password", 1)), "{stems:?}");
        assert_eq!(names.english_stem("passwords"), Some("password"));
        let mut listed: Vec<&str> = names.words(|w| words.contains(&w)).map(|w| w.0).collect();
        listed.sort_unstable();
        assert_eq!(listed, ["passwords", "reset", "them", "users"]);
    }
}
