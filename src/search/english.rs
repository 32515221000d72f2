//! What the search indexes of one build share about English. Every
//! translated page has an English source field, and the English a page was
//! translated from is much the same in every language: counted once per
//! distinct English, not once per page, it cost a build at 36 languages an
//! eighth of its time.
//!
//! Words and stems are numbered here, so that a counted English field is a
//! short list of numbers (about 1.5 KB for an article) that any language's
//! index can take its postings from. Counted fields are kept up to
//! [`KEPT_BYTES`]; past that, a new English is counted for its page alone.

use super::tokenize::Stemmer;
use super::{format, Counts, Field, Map};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};

/// The most memory that counted English fields are kept in.
const KEPT_BYTES: usize = 32 << 20;

/// English words and stems, and the English source fields already counted,
/// for [`super::Index::sharing`].
#[derive(Default)]
pub struct EnglishStems {
    words: RwLock<Words>,
    /// Digest of an English source (its sentences' Markdown) → its field.
    counted: RwLock<Map<u128, Arc<Counted>>>,
    kept_bytes: AtomicUsize,
}

/// Every English word seen, with its stem, and every stem, numbered.
#[derive(Default)]
pub(super) struct Words {
    ids: Map<Box<str>, u32>,
    /// Word number → (word, stem number).
    words: Vec<(Box<str>, u32)>,
    stem_ids: Map<Box<str>, u32>,
    /// Stem number → (stem, its partition of the index).
    stems: Vec<(Box<str>, u16)>,
}

impl Words {
    /// The English stem of `word`, if the word was seen.
    pub fn english_stem(&self, word: &str) -> Option<&str> {
        let id = *self.ids.get(word)?;
        Some(self.stem(self.words[id as usize].1))
    }

    /// Word number `id`: the word and its stem.
    pub fn word(&self, id: u32) -> (&str, &str) {
        let (word, stem) = &self.words[id as usize];
        (word, self.stem(*stem))
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
                self.stems.push((stem.into(), format::part_of(stem) as u16));
                self.stem_ids.insert(stem.into(), id);
                id
            }
        };
        self.ids.insert(word.into(), self.words.len() as u32);
        self.words.push((word.into(), stem_id));
    }
}

/// One English source field, counted.
pub(super) struct Counted {
    /// (stem number, partition, count), by partition.
    stems: Box<[(u32, u16, u16)]>,
    /// The numbers of its words, for the lexicon.
    pub words: Box<[u32]>,
    /// Words in the field.
    pub len: u32,
}

impl Counted {
    /// The stems of partition `part`, with their counts.
    pub fn stems_in(&self, part: usize) -> &[(u32, u16, u16)] {
        let start = self.stems.partition_point(|s| (s.1 as usize) < part);
        let end = self.stems.partition_point(|s| (s.1 as usize) <= part);
        &self.stems[start..end]
    }

    fn bytes(&self) -> usize {
        std::mem::size_of::<Counted>() + self.stems.len() * 8 + self.words.len() * 4 + 64
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

    /// The English source field made of `sentences` (their Markdown),
    /// counted with `stemmer` (English), or as counted before.
    pub(super) fn count(&self, sentences: &[&str], stemmer: &Stemmer) -> Arc<Counted> {
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
        let kept = self.counted.read().unwrap_or_else(|p| p.into_inner());
        if let Some(counted) = kept.get(&key) {
            return Arc::clone(counted);
        }
        drop(kept);

        let text = super::text::markdown_text(sentences.iter().copied());
        let mut counts = Counts::default();
        let len = super::count(&mut counts, &text, Field::English, false);
        // Words not seen before are stemmed outside the lock.
        let new: Vec<(String, String)> = {
            let words = self.words();
            counts
                .english
                .keys()
                .filter(|w| !words.ids.contains_key(w.as_str()))
                .map(|w| (w.clone(), stemmer.stem(w).into_owned()))
                .collect()
        };
        if !new.is_empty() {
            self.learn(new);
        }
        let words = self.words();
        let mut by_stem: Map<u32, u16> = Map::default();
        let mut ids = Vec::with_capacity(counts.english.len());
        for (word, tf) in &counts.english {
            // Every word was learnt above.
            let Some(&id) = words.ids.get(word.as_str()) else {
                continue;
            };
            ids.push(id);
            let n = by_stem.entry(words.words[id as usize].1).or_default();
            *n = n.saturating_add(tf[1]);
        }
        let mut stems: Vec<(u32, u16, u16)> = by_stem
            .into_iter()
            .map(|(stem, n)| (stem, words.stems[stem as usize].1, n))
            .collect();
        drop(words);
        stems.sort_unstable_by_key(|&(stem, part, _)| (part, stem));
        let counted = Arc::new(Counted {
            stems: stems.into(),
            words: ids.into(),
            len,
        });
        let bytes = counted.bytes();
        if self.kept_bytes.fetch_add(bytes, Ordering::Relaxed) + bytes <= KEPT_BYTES {
            let mut kept = self.counted.write().unwrap_or_else(|p| p.into_inner());
            kept.insert(key, Arc::clone(&counted));
        } else {
            self.kept_bytes.fetch_sub(bytes, Ordering::Relaxed);
        }
        counted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_english_source_is_counted_once_and_shared() {
        let shared = EnglishStems::default();
        let stemmer = Stemmer::for_tag("en");
        let a = shared.count(&["Reset **passwords**.", "Users reset them."], &stemmer);
        let b = shared.count(&["Reset **passwords**.", "Users reset them."], &stemmer);
        assert!(Arc::ptr_eq(&a, &b));
        // The same words cut into other sentences are another source.
        let c = shared.count(&["Reset **passwords**. Users", "reset them."], &stemmer);
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(a.len, 5);
        let words = shared.words();
        let stems: Vec<(&str, u16)> = (0..format::PARTS)
            .flat_map(|p| a.stems_in(p))
            .map(|&(stem, _, n)| (words.stem(stem), n))
            .collect();
        // "reset" twice, "password", "user", "them".
        assert_eq!(stems.len(), 4, "{stems:?}");
        assert!(stems.contains(&("reset", 2)), "{stems:?}");
        assert!(stems.contains(&("password", 1)), "{stems:?}");
        assert_eq!(words.english_stem("passwords"), Some("password"));
        let mut listed: Vec<&str> = a.words.iter().map(|&w| words.word(w).0).collect();
        listed.sort_unstable();
        assert_eq!(listed, ["passwords", "reset", "them", "users"]);
    }
}
