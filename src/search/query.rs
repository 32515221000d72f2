//! Searching a written index: the Rust twin of `search` in the theme's
//! `helpbook.js`, step for step, so that tests and the corpus benchmark
//! measure what readers get.
//!
//! 1. The query's terms ([`super::tokenize::query_terms`]).
//! 2. Each term's shard: the term's stems from `w` (else the term itself,
//!    truncated where the language is stemmed by truncation),
//!    then the stem's postings in `t` (title and body) and the English stem's
//!    postings in `e` (the English source).
//! 3. Each page scores Σ idf × score over the terms it has in title or body,
//!    plus [`ENGLISH_WEIGHT`] × the same over the English source.
//! 4. Pages that have fewer than half of the terms are dropped; the rest are
//!    ranked by how many terms they have (in any field), then by how many
//!    they have in their own language, then by score: a match in the page's
//!    own language ranks above a match only in its English source.

use super::format::{shard_of, DocRow, Meta, Shard};
use super::tokenize::query_terms;
use std::collections::HashMap;

/// Weight of the English source relative to title and body.
pub const ENGLISH_WEIGHT: f64 = 0.3;

/// A result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The page's URL relative to the language folder.
    pub url: String,
    pub title: String,
    pub excerpt: String,
    /// Found only through the English source.
    pub english_only: bool,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    any: u32,
    own: u32,
    score: f64,
}

/// An index opened for searching; `load` reads a file of the search folder.
pub struct Searcher<F: Fn(&str) -> Option<Vec<u8>>> {
    load: F,
    meta: Meta,
    shards: std::cell::RefCell<HashMap<u32, Shard>>,
}

impl<F: Fn(&str) -> Option<Vec<u8>>> Searcher<F> {
    pub fn open(load: F) -> Option<Self> {
        let meta: Meta = serde_json::from_slice(&load("meta.json")?).ok()?;
        Some(Searcher {
            load,
            meta,
            shards: Default::default(),
        })
    }

    /// The first `limit` results for `query`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let terms = query_terms(query);
        let n = self.meta.docs as f64;
        let mut tally: HashMap<u32, Tally> = HashMap::new();
        for term in &terms {
            let [stem, english] = self
                .with_shard(term, |s| s.w.get(term.as_str()).cloned())
                .unwrap_or_else(|| {
                    let own = match self.meta.truncate {
                        0 => term.clone(),
                        n => term.chars().take(n).collect(),
                    };
                    [own, term.clone()]
                });
            let own = self.with_shard(&stem, |s| s.t.get(&stem).cloned());
            let eng = self.with_shard(&english, |s| s.e.get(&english).cloned());
            let mut seen: HashMap<u32, (bool, bool)> = HashMap::new();
            for (list, is_own) in [(own, true), (eng, false)] {
                let Some(list) = list else { continue };
                let df = (list.len() / 2) as f64;
                let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                let weight = if is_own { 1.0 } else { ENGLISH_WEIGHT };
                let mut doc = 0u32;
                for pair in list.chunks_exact(2) {
                    doc += pair[0];
                    let t = tally.entry(doc).or_default();
                    t.score += weight * idf * f64::from(pair[1]);
                    let s = seen.entry(doc).or_default();
                    if is_own {
                        s.0 = true;
                    } else {
                        s.1 = true;
                    }
                }
            }
            for (doc, (own, _)) in seen {
                let t = tally.entry(doc).or_default();
                t.any += 1;
                t.own += u32::from(own);
            }
        }
        let needed = (terms.len() as u32).div_ceil(2).max(1);
        let mut ranked: Vec<(u32, Tally)> =
            tally.into_iter().filter(|(_, t)| t.any >= needed).collect();
        ranked.sort_by(|(da, a), (db, b)| {
            b.any
                .cmp(&a.any)
                .then(b.own.cmp(&a.own))
                .then(b.score.total_cmp(&a.score))
                .then(da.cmp(db))
        });
        ranked
            .into_iter()
            .take(limit)
            .filter_map(|(doc, t)| {
                let chunk = doc as usize / self.meta.chunk;
                let rows: Vec<DocRow> =
                    serde_json::from_slice(&(self.load)(&format!("d/{chunk}.json"))?).ok()?;
                let (url, title, excerpt) = rows.into_iter().nth(doc as usize % self.meta.chunk)?;
                Some(Hit {
                    url,
                    title,
                    excerpt,
                    english_only: t.own == 0,
                })
            })
            .collect()
    }

    fn with_shard<T>(&self, term: &str, f: impl FnOnce(&Shard) -> Option<T>) -> Option<T> {
        let k = shard_of(term, self.meta.shards);
        let mut shards = self.shards.borrow_mut();
        let shard = shards.entry(k).or_insert_with(|| {
            (self.load)(&format!("s/{k}.json"))
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_default()
        });
        f(shard)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Index;
    use super::*;

    fn searcher(index: Index) -> Searcher<impl Fn(&str) -> Option<Vec<u8>>> {
        let files: HashMap<String, Vec<u8>> = index.finish().into_iter().collect();
        Searcher::open(move |p| files.get(p).cloned()).expect("meta.json")
    }

    #[test]
    fn finds_cjk_stemmed_and_english_source_matches() {
        let zh = Index::new("zh-CN");
        zh.add(
            "sspr.html",
            "重置密码",
            "<h1>重置密码</h1><p>用户可以重置自己的密码。</p>",
            "Reset your password. Users can reset their own passwords.",
        );
        zh.add(
            "other.html",
            "添加用户",
            "<p>管理员添加用户。password 在这里。</p>",
            "Admins add users.",
        );
        let s = searcher(zh);
        assert_eq!(s.search("密码", 5)[0].url, "sspr.html");
        // "passwords" is a form the pages contain: found through its stem.
        let hits = s.search("passwords reset", 5);
        assert_eq!(hits[0].url, "sspr.html");
        assert!(hits[0].english_only);
        // Chinese has no stemmer: "passwords" is not "password" in the other
        // page's own text.
        assert_eq!(hits.len(), 1);
        // A single English term in the page's own text ranks above the English source.
        let hits = s.search("password", 5);
        assert_eq!(hits[0].url, "other.html");
        assert_eq!(hits[1].url, "sspr.html");
        assert!(s.search("不存在", 5).is_empty());
    }

    #[test]
    fn every_shard_is_written_even_when_empty() {
        let index = Index::new("sv-SE");
        index.add("a.html", "A", "<p>ord</p>", "");
        let files: HashMap<String, Vec<u8>> = index.finish().into_iter().collect();
        let meta: Meta = serde_json::from_slice(&files["meta.json"]).expect("meta");
        assert!(meta.shards >= 16);
        for k in 0..meta.shards {
            assert!(files.contains_key(&format!("s/{k}.json")), "s/{k}.json");
        }
        assert_eq!(files.len(), meta.shards as usize + 2);
    }

    #[test]
    fn swedish_words_match_through_their_stem_and_titles_rank_first() {
        let sv = Index::new("sv-SE");
        sv.add("a.html", "Om konton", "<p>Lösenorden för kontot.</p>", "");
        sv.add("b.html", "Återställa lösenord", "<p>Text.</p>", "");
        let s = searcher(sv);
        let hits: Vec<String> = s.search("lösenord", 5).into_iter().map(|h| h.url).collect();
        assert_eq!(hits, ["b.html", "a.html"]);
    }
}
