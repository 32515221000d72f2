//! The index on disk: what [`crate::search::Index::finish`] writes and what
//! the browser (and [`super::query`]) reads. Version 3:
//!
//! ```text
//! <lang>/search/meta.json     {"version":3,"lang":"zh-CN","files":"<F>","docs":N,"shards":S,
//!                              "chunk":C,"truncate":T,"pairs":P,
//!                              "lexicon":[first word of each l/ file]}
//! <lang>/search/<F>/s/<k>.json  shard k of the terms: the terms whose FNV-1a hash
//!                             (32 bit, of the UTF-8) modulo S is k:
//!                             {"t": {term: postings},   title and body
//!                              "e": {term: postings}}   the English source
//! <lang>/search/<F>/l/<k>.json  the lexicon, sorted by code point and cut into files:
//!                             [[word, pages, stem?, english stem?, forms?], …]
//! <lang>/search/<F>/d/<k>.json  pages k·C … k·C+C-1: [[url, title, excerpt], …]
//! ```
//!
//! `<F>`, the index's folder, is named by a digest of every file in it, so
//! the files of one index are never read with another's `meta.json`: not
//! by a reader whose browser or CDN kept the `meta.json` of an earlier
//! deployment, nor by one searching while `serve` writes the index again
//! (it writes the new folder before `meta.json`, and removes a folder only
//! when it is two indexes old). The folder's files can be cached for good.
//! The script reads `meta.json` afresh once a file of its folder is gone.
//!
//! Postings are flat `[doc, score, doc, score, …]` with each doc number the
//! difference from the one before (pages are numbered in URL order). A
//! score is ten times the field's BM25 term weight, plus a fixed bonus when
//! the term is in the title; the query side multiplies it by the term's IDF,
//! computed from the length of the posting list.
//!
//! The lexicon holds every word of the pages (not CJK runs, which are
//! bigrams), with the number of pages its stems are found in and its stems
//! when they differ from it: `[word, n]` when both stems are the word,
//! `[word, n, stem]` when the English stem is the same as the language's,
//! `[word, n, stem, english stem]` otherwise. The query side finds a typed
//! word's file by `meta.lexicon` (the first word of each file), reads its
//! stems there, and needs no stemmer of its own; the same files, being
//! sorted, give the words that start with the word being typed. A word not
//! in the lexicon is looked up as written, or by its first `truncate`
//! characters where the language is stemmed by truncation (`truncate` is
//! not 0). Where the language writes clitics joined to the next word
//! (Arabic, Hebrew: [`super::tokenize::Clitics`]), a word also lists the
//! words written with one before it, on the most pages first (at most
//! [`MORE_FORMS`], one per stem, only those whose stem is not the word's):
//! `[word, n, stem, english stem, [form | [form, stem], …]]`, `n` counting
//! their pages too. A typed word stands for these forms as well, so
//! `مشاركة` finds `المشاركة` and `לובי` finds `הלובי`. A bare form that is
//! on no page is listed for them alone. Two words that follow each other in a title are also a term;
//! `pairs` says that those of the body are too (Vietnamese, see
//! [`super::tokenize`]).

use super::{Doc, Part, Posting};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const VERSION: u32 = 3;
/// Pages per `d/` file.
pub const CHUNK: usize = 100;
/// Aimed-for size of a shard, in bytes of JSON.
const SHARD_BYTES: usize = 48 * 1024;
/// Aimed-for size of a lexicon file, in bytes of JSON.
const LEXICON_BYTES: usize = 24 * 1024;
/// Further forms of a lexicon word at most: those on the most pages.
pub const MORE_FORMS: usize = 8;
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Added to the score (before scaling) when the term is in the title.
const TITLE_BONUS: f64 = 2.5;

#[derive(Debug, Serialize, Deserialize)]
pub struct Meta {
    pub version: u32,
    pub lang: String,
    /// The folder of the index's other files (see the module doc).
    #[serde(default)]
    pub files: String,
    pub docs: usize,
    pub shards: u32,
    pub chunk: usize,
    /// Characters words are truncated to, or 0 (see the module doc).
    #[serde(default)]
    pub truncate: usize,
    /// Whether two words that follow each other in the body are also a
    /// term (in titles they always are).
    #[serde(default)]
    pub pairs: bool,
    /// The first word of each lexicon file.
    #[serde(default)]
    pub lexicon: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Shard {
    /// Title and body postings by stem or CJK gram.
    pub t: BTreeMap<String, Vec<u32>>,
    /// English-source postings by English stem.
    pub e: BTreeMap<String, Vec<u32>>,
}

/// A word of the lexicon, as read: the word, the number of pages its stems
/// are in, its stems (in the language, in English), and its further forms
/// with their stems in the language (the words written with a clitic
/// before it).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub word: String,
    pub pages: u32,
    pub stems: [String; 2],
    pub more: Vec<(String, String)>,
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Entry, D::Error> {
        let mut row: Vec<serde_json::Value> = Vec::deserialize(d)?;
        let bad = || serde::de::Error::custom("a lexicon entry is [word, pages, stems…, forms?]");
        if row.len() < 2 || row.len() > 5 {
            return Err(bad());
        }
        let more = if row.len() == 5 {
            let forms = row
                .pop()
                .and_then(|v| v.as_array().cloned())
                .ok_or_else(bad)?;
            forms
                .into_iter()
                .map(|form| match form {
                    serde_json::Value::String(w) => Some((w.clone(), w)),
                    serde_json::Value::Array(pair) => match pair.as_slice() {
                        [serde_json::Value::String(w), serde_json::Value::String(s)] => {
                            Some((w.clone(), s.clone()))
                        }
                        _ => None,
                    },
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(bad)?
        } else {
            Vec::new()
        };
        let rest: Vec<String> = row
            .split_off(2)
            .into_iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(bad))
            .collect::<Result<_, _>>()?;
        let pages = row[1].as_u64().ok_or_else(bad)? as u32;
        let word = row[0].as_str().ok_or_else(bad)?.to_string();
        let stem = rest.first().cloned().unwrap_or_else(|| word.clone());
        let english = rest.get(1).cloned().unwrap_or_else(|| stem.clone());
        Ok(Entry {
            word,
            pages,
            stems: [stem, english],
            more,
        })
    }
}

/// One page in a `d/` file: URL (relative to the language folder), title, excerpt.
pub type DocRow = (String, String, String);

/// FNV-1a over the UTF-8 bytes of `term` (the script computes the same).
pub fn hash(term: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The shard that holds `term`.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    hash(term) % shards.max(1)
}

/// Partitions of the terms while the index is built ([`super::Part`]): a
/// term's partition is its hash modulo `PARTS`, and as the number of shards
/// is a multiple of it, every shard's terms are in one partition.
pub const PARTS: usize = 16;

/// The partition of `term`.
pub fn part_of(term: &str) -> usize {
    hash(term) as usize % PARTS
}

/// How a language's index is read: written to `meta.json`.
pub(crate) struct Reading {
    /// See [`Meta::truncate`].
    pub truncate: usize,
    /// See [`Meta::pairs`].
    pub pairs: bool,
}

/// A language's index as files.
pub struct Files {
    /// The folder of the files other than `meta.json`: what `meta.json`'s
    /// `files` says.
    pub folder: String,
    /// (Path relative to the language's search folder, bytes), the folder's
    /// files first and `meta.json` last: whoever writes them in this order
    /// never names a folder that is not yet whole.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Serialises the index. Partitions are grouped, scored and written in
/// parallel.
pub(crate) fn write(
    tag: &str,
    reading: Reading,
    docs: Vec<Doc>,
    parts: Vec<Part>,
    words: super::Map<String, (String, String)>,
    more: super::Map<String, Vec<String>>,
) -> Files {
    // Number the pages in URL order, so that the output does not depend on
    // the order the threads added them in.
    let mut order: Vec<u32> = (0..docs.len() as u32).collect();
    order.sort_by(|&a, &b| docs[a as usize].url.cmp(&docs[b as usize].url));
    let mut renumber = vec![0u32; docs.len()];
    for (new, &old) in order.iter().enumerate() {
        renumber[old as usize] = new as u32;
    }
    let avg = |f: fn(&Doc) -> u32| {
        (docs.iter().map(|d| f(d) as f64).sum::<f64>() / docs.len().max(1) as f64).max(1.0)
    };
    let scoring = Scoring {
        renumber,
        lens: docs.iter().map(|d| (d.len, d.len_english)).collect(),
        avg: (avg(|d| d.len), avg(|d| d.len_english)),
        titles: docs.iter().map(|d| d.len_title).collect(),
        avg_title: avg(|d| d.len_title),
    };

    let postings: usize = parts
        .iter()
        .flat_map(|p| p.own.values().chain(p.english.values()))
        .map(Vec::len)
        .sum();
    // About 7 bytes of JSON per posting.
    let estimate = postings * 7;
    let shards = (estimate / SHARD_BYTES)
        .clamp(PARTS, 4096)
        .next_power_of_two() as u32;

    let (lexicon, firsts) = lexicon(words, &more, &parts);
    let written: Vec<Vec<(u32, Vec<u8>)>> = parts
        .into_par_iter()
        .enumerate()
        .map(|(p, part)| write_part(p, part, shards, &scoring))
        .collect();

    let mut files = Vec::with_capacity(shards as usize + docs.len() / CHUNK + lexicon.len() + 1);
    files.extend(
        lexicon
            .into_iter()
            .enumerate()
            .map(|(k, bytes)| (format!("l/{k}.json"), bytes)),
    );
    let mut shard_files: Vec<(u32, Vec<u8>)> = written.into_iter().flatten().collect();
    shard_files.sort_by_key(|(k, _)| *k);
    files.extend(
        shard_files
            .into_iter()
            .map(|(k, bytes)| (format!("s/{k}.json"), bytes)),
    );
    let mut docs: Vec<Option<Doc>> = docs.into_iter().map(Some).collect();
    let rows: Vec<DocRow> = order
        .iter()
        .filter_map(|&old| docs[old as usize].take())
        .map(|d| (d.url, d.title, d.excerpt))
        .collect();
    for (k, chunk) in rows.chunks(CHUNK).enumerate() {
        files.push((format!("d/{k}.json"), json(&chunk)));
    }
    let folder = folder_name(&files);
    for (path, _) in &mut files {
        path.insert_str(0, &format!("{folder}/"));
    }
    let meta = Meta {
        version: VERSION,
        lang: tag.to_string(),
        files: folder.clone(),
        docs: rows.len(),
        shards,
        chunk: CHUNK,
        truncate: reading.truncate,
        pairs: reading.pairs,
        lexicon: firsts,
    };
    files.push(("meta.json".to_string(), json(&meta)));
    Files { folder, files }
}

/// The name of the folder of an index's `files` (paths inside it, and
/// bytes): 16 hex digits of a BLAKE3 digest of them all.
fn folder_name(files: &[(String, Vec<u8>)]) -> String {
    let mut hasher = blake3::Hasher::new();
    for (path, bytes) in files {
        hasher.update(path.as_bytes());
        hasher.update(&[0]);
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// What scoring a posting needs to know about the pages.
struct Scoring {
    /// Page number as added → page number in URL order.
    renumber: Vec<u32>,
    /// Terms in (title and body, English source) per page as added.
    lens: Vec<(u32, u32)>,
    /// Their averages.
    avg: (f64, f64),
    /// Terms in the title per page as added, and their average.
    titles: Vec<u32>,
    avg_title: f64,
}

impl Scoring {
    /// Flat, delta-encoded `[doc, score, …]` of one term's postings.
    fn encode(&self, list: Vec<Posting>, english: bool) -> Vec<u32> {
        let mut scored: Vec<(u32, u32)> = list
            .into_iter()
            .map(|p| {
                let (own, eng) = self.lens[p.doc as usize];
                let (len, avg) = if english {
                    (eng, self.avg.1)
                } else {
                    (own, self.avg.0)
                };
                let title = (self.titles[p.doc as usize], self.avg_title);
                (self.renumber[p.doc as usize], score(p, len, avg, title))
            })
            .collect();
        scored.sort_unstable();
        let mut flat = Vec::with_capacity(scored.len() * 2);
        let mut last = 0;
        for (doc, score) in scored {
            flat.push(doc - last);
            flat.push(score);
            last = doc;
        }
        flat
    }
}

/// The lexicon's files (JSON), and the first word of each: every word with
/// how often its stems are found (pages with the stem in title or body,
/// plus pages with the English stem in the English source, plus pages with
/// the stem of a further form) and its stems, sorted by code point (Rust's
/// `str` order). `more` gives a word's further forms: the words written
/// with a clitic before it ([`super::tokenize::Clitics`]).
fn lexicon(
    words: super::Map<String, (String, String)>,
    more: &super::Map<String, Vec<String>>,
    parts: &[Part],
) -> (Vec<Vec<u8>>, Vec<String>) {
    let pages = |map: fn(&Part) -> &super::Map<String, Vec<Posting>>, term: &str| {
        map(&parts[part_of(term)]).get(term).map_or(0, Vec::len)
    };
    // A further form's stem, where it has other pages than the word's own.
    let forms = |word: &str, stem: &str| -> Vec<(usize, &str, &str)> {
        let Some(forms) = more.get(word) else {
            return Vec::new();
        };
        let mut found: Vec<(usize, &str, &str)> = forms
            .iter()
            .filter_map(|form| {
                let own = words.get(form).map(|w| w.0.as_str())?;
                (own != stem).then(|| (pages(|p| &p.own, own), form.as_str(), own))
            })
            .filter(|f| f.0 > 0)
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        // One form per stem: the first, on the most pages.
        let mut kept: Vec<(usize, &str, &str)> = Vec::new();
        for f in found {
            if kept.len() < MORE_FORMS && kept.iter().all(|k| k.2 != f.2) {
                kept.push(f);
            }
        }
        kept
    };
    let mut sorted: Vec<(&String, &(String, String))> = words.iter().collect();
    sorted.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut files = Vec::new();
    let mut firsts = Vec::new();
    let mut file: Vec<u8> = Vec::with_capacity(LEXICON_BYTES + 256);
    for (word, (stem, english)) in sorted {
        let further = forms(word, stem);
        let n = pages(|p| &p.own, stem)
            + pages(|p| &p.english, english)
            + further.iter().map(|f| f.0).sum::<usize>();
        if file.is_empty() {
            firsts.push(word.clone());
            file.push(b'[');
        } else {
            file.push(b',');
        }
        let row = if !further.is_empty() {
            let further: Vec<serde_json::Value> = further
                .iter()
                .map(|&(_, form, own)| {
                    if own == form {
                        serde_json::json!(form)
                    } else {
                        serde_json::json!([form, own])
                    }
                })
                .collect();
            serde_json::json!([word, n, stem, english, further])
        } else if stem == word && english == word {
            serde_json::json!([word, n])
        } else if english == stem {
            serde_json::json!([word, n, stem])
        } else {
            serde_json::json!([word, n, stem, english])
        };
        file.extend(json(&row));
        if file.len() >= LEXICON_BYTES {
            file.push(b']');
            files.push(std::mem::take(&mut file));
        }
    }
    if !file.is_empty() {
        file.push(b']');
        files.push(file);
    }
    (files, firsts)
}

/// The shards of one partition: (shard number, JSON).
fn write_part(p: usize, part: Part, shards: u32, scoring: &Scoring) -> Vec<(u32, Vec<u8>)> {
    let mut out: BTreeMap<u32, Shard> = BTreeMap::new();
    for (term, list) in part.own {
        let k = shard_of(&term, shards);
        let encoded = scoring.encode(list, false);
        out.entry(k).or_default().t.insert(term, encoded);
    }
    for (term, list) in part.english {
        let k = shard_of(&term, shards);
        let encoded = scoring.encode(list, true);
        out.entry(k).or_default().e.insert(term, encoded);
    }
    // Every shard of the partition is written, empty or not: the script
    // fetches a term's shard without knowing whether it exists.
    for k in (0..shards).filter(|k| *k as usize % PARTS == p) {
        out.entry(k).or_default();
    }
    out.into_iter()
        .map(|(k, shard)| (k, json(&shard)))
        .collect()
}

/// The stored score of one posting: BM25's term-frequency part for the
/// field, plus [`TITLE_BONUS`] when the term is in the title; times ten.
/// The bonus is weighed by the title's length (`title`: its terms and the
/// average): a term is more of a short title than of a long one, so of two
/// titles that hold a query, the one that is more nearly the query ranks
/// first (twice the bonus for a very short title, once for an average one,
/// less for a longer one).
fn score(p: Posting, len: u32, avg: f64, title: (u32, f64)) -> u32 {
    let tf = f64::from(p.body) + f64::from(p.title);
    let norm = K1 * (1.0 - B + B * f64::from(len) / avg);
    let mut s = tf * (K1 + 1.0) / (tf + norm);
    if p.title > 0 {
        let (len_title, avg_title) = title;
        s += TITLE_BONUS * 2.0 * avg_title / (avg_title + f64::from(len_title));
    }
    ((s * 10.0).round() as u32).max(1)
}

fn json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    // Serialising maps of strings and numbers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        // Reference values of 32-bit FNV-1a.
        assert_eq!(hash(""), 0x811c_9dc5);
        assert_eq!(hash("a"), 0xe40c_292c);
        assert_eq!(hash("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn title_matches_outscore_body_matches() {
        let body = score(
            Posting {
                doc: 0,
                title: 0,
                body: 5,
            },
            100,
            100.0,
            (6, 6.0),
        );
        let title = score(
            Posting {
                doc: 0,
                title: 1,
                body: 0,
            },
            100,
            100.0,
            (6, 6.0),
        );
        assert!(title > body, "{title} {body}");
    }

    #[test]
    fn a_term_of_a_short_title_outscores_one_of_a_long_title() {
        let p = Posting {
            doc: 0,
            title: 1,
            body: 1,
        };
        let short = score(p, 100, 100.0, (3, 8.0));
        let long = score(p, 100, 100.0, (20, 8.0));
        assert!(short > long, "{short} {long}");
    }
}
