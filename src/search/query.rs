//! Searching a written index: the Rust twin of `search` in the theme's
//! `helpbook.js`, step for step, so that tests and the corpus benchmark
//! measure what readers get (`tests/search_browser.rs` compares the two).
//!
//! 1. The query's terms ([`super::tokenize::query_terms`]): words, CJK
//!    bigrams, and pairs of words (the index has them in titles, and in the
//!    body where `meta.json` says so).
//! 2. Each word's stems from the lexicon (else the word itself, truncated
//!    where the language is stemmed by truncation), and the stems of its
//!    further forms there (the word written with a clitic before it, in
//!    Arabic and Hebrew), which weigh as the word does. The word being typed
//!    (the last, with nothing after it) also stands for the [`COMPLETIONS`]
//!    most frequent words of the lexicon that start with it, each with
//!    their own stems and [`PREFIX_WEIGHT`].
//! 3. Each stem's postings in `t` (title and body) and each English stem's
//!    in `e` (the English source). A page scores, for each term, the best
//!    of its variants: weight × Σ idf × score over the fields, the English
//!    source weighing [`ENGLISH_WEIGHT`]. Its score is the sum over terms.
//! 4. Pages that have fewer than half of the words and bigrams are dropped
//!    (pairs are a bonus, not needed); the rest are ranked by how many
//!    terms they have (in any field), then by how many they have in their
//!    own language, then by how many they have as typed rather than as a
//!    completion, then by score: a match in the page's own language ranks
//!    above a match only in its English source.

use super::format::{shard_of, DocRow, Entry, Meta, Shard};
use super::tokenize::{query_terms, Kind, MIN_PREFIX};
use std::cell::RefCell;
use std::collections::HashMap;

/// Weight of the English source relative to title and body.
pub const ENGLISH_WEIGHT: f64 = 0.3;
/// Weight of a word found as a completion of the word being typed.
pub const PREFIX_WEIGHT: f64 = 0.5;
/// How many completions the word being typed stands for.
pub const COMPLETIONS: usize = 6;
/// How many lexicon files a completion reads at most.
pub const PREFIX_FILES: usize = 3;

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

/// What a search found: how many pages matched, and the first of them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    any: u32,
    own: u32,
    whole: u32,
    score: f64,
}

/// One way a term is looked up: its stems, and the weight of what they find.
struct Variant {
    stems: [String; 2],
    weight: f64,
    /// The term as typed (not a completion).
    whole: bool,
}

/// An index opened for searching; `load` reads a file of the search folder
/// (`meta.json`, then the files of the folder it names).
pub struct Searcher<F: Fn(&str) -> Option<Vec<u8>>> {
    load: F,
    meta: Meta,
    shards: RefCell<HashMap<u32, Shard>>,
    lexicon: RefCell<HashMap<usize, Vec<Entry>>>,
}

impl<F: Fn(&str) -> Option<Vec<u8>>> Searcher<F> {
    pub fn open(load: F) -> Option<Self> {
        let meta: Meta = serde_json::from_slice(&load("meta.json")?).ok()?;
        Some(Searcher {
            load,
            meta,
            shards: Default::default(),
            lexicon: Default::default(),
        })
    }

    /// File `rel` of the index's folder ([`Meta::files`]).
    fn file(&self, rel: &str) -> Option<Vec<u8>> {
        (self.load)(&format!("{}/{rel}", self.meta.files))
    }

    /// How many pages match `query`, and the first `limit` of them.
    pub fn search(&self, query: &str, limit: usize) -> Found {
        let q = query_terms(query, true);
        let n = self.meta.docs as f64;
        let mut tally: HashMap<u32, Tally> = HashMap::new();
        for (i, term) in q.terms.iter().enumerate() {
            let variants = self.variants(&term.text, term.kind, q.prefix == Some(i));
            // Per page: the best variant's score, and where it was found.
            let mut best: HashMap<u32, (f64, bool, bool)> = HashMap::new();
            for variant in &variants {
                let [stem, english] = &variant.stems;
                let own = self.with_shard(stem, |s| s.t.get(stem).cloned());
                let eng = self.with_shard(english, |s| s.e.get(english).cloned());
                let mut found: HashMap<u32, (f64, bool)> = HashMap::new();
                for (list, is_own) in [(own, true), (eng, false)] {
                    let Some(list) = list else { continue };
                    let df = (list.len() / 2) as f64;
                    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                    let field = if is_own { 1.0 } else { ENGLISH_WEIGHT };
                    let weight = field * variant.weight;
                    let mut doc = 0u32;
                    for pair in list.chunks_exact(2) {
                        doc += pair[0];
                        let f = found.entry(doc).or_default();
                        f.0 += weight * idf * f64::from(pair[1]);
                        f.1 |= is_own;
                    }
                }
                for (doc, (score, own)) in found {
                    let b = best.entry(doc).or_insert((score, false, false));
                    b.0 = b.0.max(score);
                    b.1 |= own;
                    b.2 |= variant.whole;
                }
            }
            for (doc, (score, own, whole)) in best {
                let t = tally.entry(doc).or_default();
                t.score += score;
                t.any += 1;
                t.own += u32::from(own);
                t.whole += u32::from(whole);
            }
        }
        let needed = q.terms.iter().filter(|t| t.kind != Kind::Pair).count();
        let needed = (needed as u32).div_ceil(2).max(1);
        let mut ranked: Vec<(u32, Tally)> =
            tally.into_iter().filter(|(_, t)| t.any >= needed).collect();
        ranked.sort_by(|(da, a), (db, b)| {
            b.any
                .cmp(&a.any)
                .then(b.own.cmp(&a.own))
                .then(b.whole.cmp(&a.whole))
                .then(b.score.total_cmp(&a.score))
                .then(da.cmp(db))
        });
        let hits = ranked
            .iter()
            .take(limit)
            .filter_map(|&(doc, t)| {
                let chunk = doc as usize / self.meta.chunk;
                let rows: Vec<DocRow> =
                    serde_json::from_slice(&self.file(&format!("d/{chunk}.json"))?).ok()?;
                let (url, title, excerpt) = rows.into_iter().nth(doc as usize % self.meta.chunk)?;
                Some(Hit {
                    url,
                    title,
                    excerpt,
                    english_only: t.own == 0,
                })
            })
            .collect();
        Found {
            total: ranked.len(),
            hits,
        }
    }

    /// The ways `text` is looked up: as typed, and, for the word being
    /// typed, as its completions.
    fn variants(&self, text: &str, kind: Kind, typing: bool) -> Vec<Variant> {
        if kind != Kind::Word {
            return vec![Variant {
                stems: [text.to_string(), text.to_string()],
                weight: 1.0,
                whole: true,
            }];
        }
        let (stems, more) = self.entry(text).map_or_else(
            || {
                let own = match self.meta.truncate {
                    0 => text.to_string(),
                    n => text.chars().take(n).collect(),
                };
                ([own, text.to_string()], Vec::new())
            },
            |e| (e.stems, e.more),
        );
        let mut out = Vec::new();
        add_variants(&mut out, stems, &more, 1.0, true);
        if typing && text.chars().count() >= MIN_PREFIX {
            let mut added = 0;
            for e in self.completions(text) {
                if added < COMPLETIONS
                    && add_variants(&mut out, e.stems, &e.more, PREFIX_WEIGHT, false)
                {
                    added += 1;
                }
            }
        }
        out
    }

    /// The lexicon file that holds `word`, if any could.
    fn file_of(&self, word: &str) -> Option<usize> {
        self.meta
            .lexicon
            .partition_point(|first| first.as_str() <= word)
            .checked_sub(1)
    }

    fn with_file<T>(&self, k: usize, f: impl FnOnce(&[Entry]) -> T) -> T {
        let mut files = self.lexicon.borrow_mut();
        let entries = files.entry(k).or_insert_with(|| {
            self.file(&format!("l/{k}.json"))
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_default()
        });
        f(entries)
    }

    /// `word`'s lexicon entry.
    fn entry(&self, word: &str) -> Option<Entry> {
        let k = self.file_of(word)?;
        self.with_file(k, |entries| {
            entries
                .binary_search_by(|e| e.word.as_str().cmp(word))
                .ok()
                .map(|i| entries[i].clone())
        })
    }

    /// The entries of the words that start with `prefix` (and are longer),
    /// most frequent first (then in lexicon order).
    fn completions(&self, prefix: &str) -> Vec<Entry> {
        let first = self.file_of(prefix).unwrap_or(0);
        let mut found: Vec<Entry> = Vec::new();
        for k in first..(first + PREFIX_FILES).min(self.meta.lexicon.len()) {
            if k > first && !self.meta.lexicon[k].starts_with(prefix) {
                break;
            }
            self.with_file(k, |entries| {
                let from = entries.partition_point(|e| e.word.as_str() < prefix);
                for e in entries[from..]
                    .iter()
                    .take_while(|e| e.word.starts_with(prefix))
                {
                    if e.word != prefix {
                        found.push(e.clone());
                    }
                }
            });
        }
        found.sort_by(|a, b| b.pages.cmp(&a.pages).then_with(|| a.word.cmp(&b.word)));
        found
    }

    fn with_shard<T>(&self, term: &str, f: impl FnOnce(&Shard) -> Option<T>) -> Option<T> {
        let k = shard_of(term, self.meta.shards);
        let mut shards = self.shards.borrow_mut();
        let shard = shards.entry(k).or_insert_with(|| {
            self.file(&format!("s/{k}.json"))
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_default()
        });
        f(shard)
    }
}

/// Adds a lexicon word's variants to `out`: its stems, then its further
/// forms' (the language's stem, looked up in both fields), each unless
/// `out` has it. Whether any was added.
fn add_variants(
    out: &mut Vec<Variant>,
    stems: [String; 2],
    more: &[(String, String)],
    weight: f64,
    whole: bool,
) -> bool {
    let before = out.len();
    let forms = more.iter().map(|(_, stem)| [stem.clone(), stem.clone()]);
    for stems in std::iter::once(stems).chain(forms) {
        if out.iter().all(|v| v.stems != stems) {
            out.push(Variant {
                stems,
                weight,
                whole,
            });
        }
    }
    out.len() > before
}

#[cfg(test)]
mod tests {
    use super::super::Index;
    use super::*;

    fn searcher(index: Index) -> Searcher<impl Fn(&str) -> Option<Vec<u8>>> {
        let files: HashMap<String, Vec<u8>> = index.finish().files.into_iter().collect();
        Searcher::open(move |p| files.get(p).cloned()).expect("meta.json")
    }

    fn urls(found: Found) -> Vec<String> {
        found.hits.into_iter().map(|h| h.url).collect()
    }

    #[test]
    fn finds_cjk_stemmed_and_english_source_matches() {
        let zh = Index::new("zh-CN");
        zh.add(
            "sspr.html",
            "重置密码",
            "<h1>重置密码</h1><p>用户可以重置自己的密码。</p>",
            &[
                "Reset your password.",
                "Users can reset their own passwords.",
            ],
        );
        zh.add(
            "other.html",
            "添加用户",
            "<p>管理员添加用户。password 在这里。</p>",
            &["Admins add users."],
        );
        let s = searcher(zh);
        assert_eq!(s.search("密码", 5).hits[0].url, "sspr.html");
        // "passwords" is a form the pages contain: found through its stem.
        let hits = s.search("passwords reset ", 5).hits;
        assert_eq!(hits[0].url, "sspr.html");
        assert!(hits[0].english_only);
        // Chinese has no stemmer: "passwords" is not "password" in the other
        // page's own text.
        assert_eq!(hits.len(), 1);
        // A single English term in the page's own text ranks above the English source.
        let hits = s.search("password ", 5).hits;
        assert_eq!(hits[0].url, "other.html");
        assert_eq!(hits[1].url, "sspr.html");
        assert!(s.search("不存在", 5).hits.is_empty());
    }

    #[test]
    fn every_shard_is_written_even_when_empty() {
        let index = Index::new("sv-SE");
        index.add("a.html", "A", "<p>ord</p>", &[]);
        let files: HashMap<String, Vec<u8>> = index.finish().files.into_iter().collect();
        let meta: Meta = serde_json::from_slice(&files["meta.json"]).expect("meta");
        assert!(meta.shards >= 16);
        for k in 0..meta.shards {
            let shard = format!("{}/s/{k}.json", meta.files);
            assert!(files.contains_key(&shard), "{shard}");
        }
        // Plus meta.json, one lexicon file and one page file.
        assert_eq!(meta.lexicon, ["a",]);
        assert_eq!(files.len(), meta.shards as usize + 3);
    }

    #[test]
    fn an_index_s_files_are_in_a_folder_named_by_their_bytes() {
        let made = |body: &str| {
            let index = Index::new("sv-SE");
            index.add("a.html", "A", body, &[]);
            index.finish()
        };
        let (a, again, b) = (
            made("<p>ord</p>"),
            made("<p>ord</p>"),
            made("<p>ett ord</p>"),
        );
        assert_eq!(a.folder.len(), 16);
        assert_eq!(a.folder, again.folder);
        assert_ne!(a.folder, b.folder);
        let (last, bytes) = a.files.last().expect("files");
        assert_eq!(last, "meta.json", "meta.json comes last");
        let meta: Meta = serde_json::from_slice(bytes).expect("meta");
        assert_eq!(meta.files, a.folder);
        assert!(a.files[..a.files.len() - 1]
            .iter()
            .all(|(path, _)| path.starts_with(&format!("{}/", a.folder))));
    }

    #[test]
    fn swedish_words_match_through_their_stem_and_titles_rank_first() {
        let sv = Index::new("sv-SE");
        sv.add("a.html", "Om konton", "<p>Lösenorden för kontot.</p>", &[]);
        sv.add("b.html", "Återställa lösenord", "<p>Text.</p>", &[]);
        let s = searcher(sv);
        assert_eq!(urls(s.search("lösenord", 5)), ["b.html", "a.html"]);
    }

    #[test]
    fn the_word_being_typed_is_completed_from_the_lexicon() {
        let en = Index::new("en-US");
        en.add(
            "a.html",
            "Reset a password",
            "<p>Passwords expire.</p>",
            &[],
        );
        en.add("b.html", "Passports", "<p>Travel documents.</p>", &[]);
        en.add("c.html", "Other", "<p>Nothing here.</p>", &[]);
        let s = searcher(en);
        assert_eq!(urls(s.search("passw", 5)), ["a.html"]);
        // Both complete `pass`; the one-word title is more nearly the
        // query than the three-word one (the title bonus is weighed by the
        // title's length).
        assert_eq!(urls(s.search("pass", 5)), ["b.html", "a.html"]);
        // A space after the word: it is complete, not a prefix.
        assert!(s.search("passw ", 5).hits.is_empty());
        // As typed ranks above as completed.
        assert_eq!(urls(s.search("reset pass", 5))[0], "a.html");
        // A single character is not completed.
        assert!(s.search("p", 5).hits.is_empty());
    }

    #[test]
    fn the_count_is_of_every_match_not_of_those_shown() {
        let en = Index::new("en-US");
        for i in 0..25 {
            en.add(&format!("{i:02}.html"), "Mailbox", "<p>A mailbox.</p>", &[]);
        }
        let s = searcher(en);
        let found = s.search("mailbox", 10);
        assert_eq!((found.total, found.hits.len()), (25, 10));
    }

    #[test]
    fn a_vietnamese_phrase_ranks_above_its_syllables_apart() {
        let vi = Index::new("vi-VN");
        // Both titles have "mật" and "khẩu", a.html more often; only b.html
        // has "mật khẩu".
        vi.add(
            "a.html",
            "Khẩu hiệu bí mật",
            "<p>Bí mật: khẩu hiệu, mật, khẩu.</p>",
            &[],
        );
        vi.add("b.html", "Đổi mật khẩu", "<p>Chọn một cái mới.</p>", &[]);
        let s = searcher(vi);
        assert_eq!(urls(s.search("mật khẩu", 5)), ["b.html", "a.html"]);
        // Without the phrase in either, the better score ranks first.
        assert_eq!(urls(s.search("khẩu mật", 5)), ["a.html", "b.html"]);
    }

    #[test]
    fn a_phrase_of_a_title_ranks_its_page_first() {
        let sv = Index::new("sv-SE");
        // Both have "bort" and "användare" in the title, a.html twice each;
        // only b.html has them one after the other.
        sv.add(
            "a.html",
            "Användare: flytta bort, användare bort",
            "<p>Text.</p>",
            &[],
        );
        sv.add("b.html", "Ta bort användare", "<p>Text.</p>", &[]);
        let s = searcher(sv);
        assert_eq!(urls(s.search("bort användare", 5)), ["b.html", "a.html"]);
        assert_eq!(urls(s.search("användare bort", 5))[0], "a.html");
    }

    #[test]
    fn a_word_next_to_a_cjk_run_is_a_phrase_of_the_title() {
        let ja = Index::new("ja-JP");
        // Both titles have "Teams" and "チャット"; only b.html has them one
        // after the other, and a.html has them more often.
        ja.add(
            "a.html",
            "Teams のチャット、チャットと Teams",
            "<p>チャット、チャット、Teams。</p>",
            &[],
        );
        ja.add(
            "b.html",
            "Teams チャットに画像を追加する",
            "<p>画像。</p>",
            &[],
        );
        let s = searcher(ja);
        assert_eq!(urls(s.search("Teams チャット", 5)), ["b.html", "a.html"]);
        // A run, then a word.
        let zh = Index::new("zh-CN");
        zh.add("a.html", "Teams 频道: 删除", "<p>删除 删除 Teams</p>", &[]);
        zh.add("b.html", "删除 Teams 号码", "<p>号码</p>", &[]);
        let s = searcher(zh);
        assert_eq!(urls(s.search("删除 Teams", 5)), ["b.html", "a.html"]);
    }

    #[test]
    fn thai_words_inside_a_run_are_found() {
        let th = Index::new("th-TH");
        th.add(
            "a.html",
            "รีเซ็ตรหัสผ่านของผู้ใช้",
            "<p>ผู้ดูแลระบบสามารถรีเซ็ตรหัสผ่านได้</p>",
            &[],
        );
        th.add("b.html", "เพิ่มผู้ใช้", "<p>เพิ่มผู้ใช้ใหม่</p>", &[]);
        let s = searcher(th);
        assert_eq!(urls(s.search("รหัสผ่าน", 5)), ["a.html"]);
        assert_eq!(urls(s.search("ผู้ใช้", 5)).len(), 2);
    }

    #[test]
    fn a_word_typed_without_its_clitic_finds_it_written_with_one() {
        // Hebrew: no page has לובי or פגישה bare.
        let he = Index::new("he-IL");
        he.add(
            "lobby.html",
            "הלובי של הפגישה",
            "<p>המשתתפים ממתינים בלובי עד שמארגן הפגישה מכניס אותם.</p>",
            &[],
        );
        he.add(
            "password.html",
            "שינוי סיסמה",
            "<p>בחר סיסמה חדשה והקלד אותה פעמיים.</p>",
            &[],
        );
        let s = searcher(he);
        assert_eq!(urls(s.search("לובי", 5)), ["lobby.html"]);
        assert_eq!(urls(s.search("פגישה", 5)), ["lobby.html"]);
        assert_eq!(urls(s.search("משתתפים", 5)), ["lobby.html"]);
        // The word being typed: לוב is the start of the bare form.
        assert_eq!(urls(s.search("לוב", 5)), ["lobby.html"]);
        // As written, and bare words as before.
        assert_eq!(urls(s.search("הלובי", 5)), ["lobby.html"]);
        assert_eq!(urls(s.search("סיסמה חדשה", 5)), ["password.html"]);
        // A bare form shorter than two letters is none: ה alone finds nothing.
        assert_eq!(s.search("ה", 5).total, 0);

        // Arabic: مشاركة, ملفات and المستخدم are on no page bare.
        let ar = Index::new("ar-SA");
        ar.add(
            "share.html",
            "المشاركة في OneDrive",
            "<p>يمكنك مشاركة الملفات والمجلدات مع المستخدمين الآخرين.</p>",
            &[],
        );
        ar.add(
            "reset.html",
            "إعادة تعيين كلمة المرور",
            "<p>يستطيع المسؤول إعادة تعيين كلمة مرور المستخدم.</p>",
            &[],
        );
        let s = searcher(ar);
        assert_eq!(urls(s.search("مشاركة", 5)), ["share.html"]);
        assert_eq!(urls(s.search("ملفات", 5)), ["share.html"]);
        assert_eq!(urls(s.search("مستخدم", 5)).len(), 2);
        assert_eq!(urls(s.search("مرور", 5)), ["reset.html"]);

        // Swedish has no such clitics: a word's end is not its start.
        let sv = Index::new("sv-SE");
        sv.add("a.html", "Bläddra", "<p>Välj en mapp.</p>", &[]);
        let s = searcher(sv);
        assert_eq!(s.search("lddra", 5).total, 0);
    }
}
