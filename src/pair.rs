//! Stage 3: the English of every article, and how fresh each translation is.
//!
//! The English is the source-language folder when there is one. Otherwise each
//! article has one *English of record*, rebuilt from its locale copies
//! ([`of_record`], called path by path by `pipeline`): the newest `ms.lasthandoff` names the source, the
//! copies that share its `ms.openlocfilehash` are that source, and each
//! sentence's English is the text most of those copies agree on, sentences
//! being cut inside pairs so that copies that split one English into pairs
//! differently agree ([`english_sentence_keys`]). Each
//! translation is then compared with the English sentence by sentence, on the
//! key [`sentence_key`] makes (never on segment ids): a segment is *current*
//! when its English occurs in the English article and *stale* when not; an
//! English sentence that no pair carries is *missing* (new in the English).
//!
//! Pure functions over parsed articles; findings are returned, not printed.

use crate::diag::{lint, Finding};
use crate::load::{Locale, Project};
use crate::model::{first_heading, Article};
use crate::parse::front_matter::Date;
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where an English article came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    /// A file of the source-language folder.
    Folder,
    /// Rebuilt from the SOURCE texts of this locale's copy.
    Rebuilt { locale: String },
}

/// One article's English.
#[derive(Debug, Clone)]
pub struct EnglishArticle {
    pub path: String,
    pub title: Option<String>,
    /// The English Markdown body.
    pub text: String,
    /// [`sentence_key`] of `text`, for matching.
    pub folded: String,
    /// The English sentences, whitespace folded, as written in `text`.
    pub segments: Vec<String>,
    /// [`sentence_key`] of each of `segments`.
    pub keys: Vec<String>,
    /// Where each of `segments` stands in `text` (rebuilt English only:
    /// the English folder's sentences are not spans).
    pub ranges: Vec<std::ops::Range<usize>>,
    pub origin: Origin,
    pub handoff: Option<Date>,
    /// The `ms.openlocfilehash` of the source it was rebuilt from, if any:
    /// every copy with this hash is current.
    pub hash: Option<String>,
}

/// Two copies of the newest hand-off of an article that disagree on a
/// sentence while no `ms.openlocfilehash` says they are one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub path: String,
    /// The copy that differs from the English of record.
    pub locale: String,
    pub file: String,
    pub pos: crate::diag::Pos,
    /// Its English, and the English of record's text at the same place.
    pub theirs: String,
    pub ours: String,
}

/// The English of the whole project, by article path.
#[derive(Debug, Default)]
pub struct English {
    pub articles: BTreeMap<String, EnglishArticle>,
    /// Disagreements between the newest copies (rebuilt English only).
    pub conflicts: Vec<Conflict>,
}

impl English {
    fn from_folder(folder: &Locale) -> English {
        let articles = folder
            .articles
            .iter()
            .map(|a| (a.path.clone(), EnglishArticle::of_folder(a)))
            .collect();
        English {
            articles,
            conflicts: Vec::new(),
        }
    }

    /// Rebuilds every article's English of record from its locale copies
    /// (see [`of_record`]); the result does not depend on the order of
    /// `locales` nor on their names.
    pub fn rebuild<'a>(locales: impl IntoIterator<Item = &'a Locale>) -> English {
        let mut copies: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
        for locale in locales {
            for a in &locale.articles {
                copies.entry(a.path.as_str()).or_default().push(a);
            }
        }
        let mut conflicts = Vec::new();
        let articles = copies
            .into_iter()
            .map(|(path, copies)| {
                let (e, c) = of_record(&copies);
                conflicts.extend(c);
                (path.to_string(), e)
            })
            .collect();
        English {
            articles,
            conflicts,
        }
    }
}

impl EnglishArticle {
    /// The English of an article of the source-language folder.
    pub fn of_folder(a: &Article) -> EnglishArticle {
        let segments = sentences(&a.source);
        EnglishArticle {
            path: a.path.clone(),
            title: a.title(),
            folded: sentence_key(&a.source).into_owned(),
            text: a.source.clone(),
            keys: segments
                .iter()
                .map(|s| sentence_key(s).into_owned())
                .collect(),
            segments,
            ranges: Vec::new(),
            origin: Origin::Folder,
            handoff: a.handoff(),
            hash: None,
        }
    }
}

/// The `ms.openlocfilehash` of a copy, when it has a non-empty one.
fn hash_of(a: &Article) -> Option<&str> {
    a.front
        .open_loc_file_hash
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
}

/// Whether a copy lost some of its English: a pair with an empty
/// sxs-lookup, or a span left open or a translation with no sxs-lookup
/// (`sxs::unterminated`, `sxs::orphan-translation`).
fn broken(a: &Article) -> bool {
    a.segments.iter().any(|s| s.source(a).trim().is_empty())
        || a.findings.iter().any(|f| {
            f.lint == lint::SXS_UNTERMINATED.name || f.lint == lint::SXS_ORPHAN_TRANSLATION.name
        })
}

/// The value most of `items` are, ties broken by the smallest.
fn most_common<T: Ord>(items: impl IntoIterator<Item = T>) -> Option<T> {
    most_common_of(items.into_iter().map(|i| (i, 1)))
}

/// Like [`most_common`], each item counted `n` times.
fn most_common_of<T: Ord>(items: impl IntoIterator<Item = (T, usize)>) -> Option<T> {
    let mut counts: BTreeMap<T, usize> = BTreeMap::new();
    for (i, n) in items {
        *counts.entry(i).or_default() += n;
    }
    // Max count; among equals, the first (smallest) in the map's order.
    let mut best: Option<(T, usize)> = None;
    for (v, n) in counts {
        if best.as_ref().is_none_or(|(_, b)| n > *b) {
            best = Some((v, n));
        }
    }
    best.map(|(v, _)| v)
}

/// Copies of one article whose English is the same, sentence for sentence
/// ([`same_sentences`]): split and keyed once, for [`of_record`].
struct Group<'a> {
    /// The first of them.
    article: &'a Article,
    pieces: Vec<Piece>,
    keys: Vec<String>,
    /// How many copies.
    copies: usize,
}

/// Whether two copies have the same English body, split into pairs at the
/// same places: then their sentences ([`pieces`]) are the same.
fn same_sentences(a: &Article, b: &Article) -> bool {
    a.source == b.source
        && a.segments.len() == b.segments.len()
        && a.segments
            .iter()
            .zip(&b.segments)
            .all(|(x, y)| x.source_range == y.source_range)
}

/// One sentence of a copy's English: a part of one pair's SOURCE text.
#[derive(Debug, Clone)]
struct Piece {
    /// The pair (index in `Article::segments`).
    segment: usize,
    /// Where the sentence stands in that pair's SOURCE text.
    range: std::ops::Range<usize>,
}

impl Piece {
    fn text<'a>(&self, a: &'a Article) -> &'a str {
        &a.segments[self.segment].source(a)[self.range.clone()]
    }
    /// Where the sentence stands in the copy's English body.
    fn in_body(&self, a: &Article) -> std::ops::Range<usize> {
        let start = a.segments[self.segment].source_range.start;
        start + self.range.start..start + self.range.end
    }
}

/// A copy's English, sentence by sentence ([`split_sentences`] of each
/// pair's SOURCE, in document order).
fn pieces(a: &Article) -> Vec<Piece> {
    a.segments
        .iter()
        .enumerate()
        .flat_map(|(segment, s)| {
            split_sentences(s.source(a))
                .into_iter()
                .map(move |range| Piece { segment, range })
        })
        .collect()
}

/// The [`sentence_key`] of each sentence of a copy's English, in order:
/// what the English of record and its conflicts compare, so that two copies
/// that split one English into pairs differently (`A. B.` in one pair, or
/// `A.` and `B.` in two) are the same English.
pub fn english_sentence_keys(a: &Article) -> Vec<String> {
    pieces(a)
        .iter()
        .map(|p| sentence_key(p.text(a)).into_owned())
        .collect()
}

/// Splits one pair's English into sentences (trimmed ranges, none empty):
/// a sentence ends at `.`, `!` or `?`, and any closing `*`, `_`, `"`, `'`,
/// `)`, `”` or `’` after it, when white space follows.
/// `**Already paid?** You'll` is two sentences, `e.g. this` too (the rule
/// only has to cut every copy's text at the same places).
fn split_sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut end = None;
        while let Some(&(i, d)) = chars.peek() {
            if matches!(d, '*' | '_' | '"' | '\'' | ')' | '”' | '’') {
                chars.next();
            } else {
                if d.is_whitespace() {
                    end = Some(i);
                }
                break;
            }
        }
        if let Some(end) = end {
            push_trimmed(&mut out, text, start..end);
            start = end;
        }
    }
    push_trimmed(&mut out, text, start..text.len());
    out
}

/// Pushes `range` of `text` without its outer white space, unless empty.
fn push_trimmed(out: &mut Vec<std::ops::Range<usize>>, text: &str, range: std::ops::Range<usize>) {
    let part = &text[range.clone()];
    let lead = part.len() - part.trim_start().len();
    let trail = part.len() - part.trim_end().len();
    if lead < part.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

/// One article's English of record, from its copies (at least one), and
/// the conflicts among its newest copies.
///
/// - The newest `ms.lasthandoff` names the newest copies. Their source is the
///   `ms.openlocfilehash` most of them carry (ties: the smallest hash); every
///   copy with that hash, whatever its date, is of that source. With no hash
///   among the newest copies, the newest copies are the source.
/// - Copies that lost some of their English ([`broken`]) take no part when
///   a complete copy of the source exists.
/// - Each copy's English is cut into sentences inside its pairs
///   ([`split_sentences`]), so that copies that split one English into
///   pairs differently write the same sentences. Among the copies of the
///   source, the sequence of sentence keys most of them have is the
///   English (ties: the longer, then the smallest); for each sentence, its
///   text is the one most of those copies write (ties: the smallest).
/// - A complete newest copy of no hash or another hash whose sentence keys
///   differ is a [`Conflict`].
///
/// No step looks at locale names or at the order of the copies, except to
/// choose which of several identical copies the English page borrows its
/// front matter from.
pub fn of_record(copies: &[&Article]) -> (EnglishArticle, Vec<Conflict>) {
    let newest = copies.iter().map(|a| a.handoff()).max().flatten();
    let newest_copies: Vec<&Article> = copies
        .iter()
        .copied()
        .filter(|a| a.handoff() == newest)
        .collect();
    let hash = most_common(newest_copies.iter().filter_map(|a| hash_of(a))).map(str::to_string);
    let source: Vec<&Article> = match &hash {
        Some(h) => copies
            .iter()
            .copied()
            .filter(|a| hash_of(a) == Some(h.as_str()))
            .collect(),
        None => newest_copies.clone(),
    };
    // A copy whose English was lost (an empty sxs-lookup, a span left
    // open, a translation with no sxs-lookup) never outvotes a complete
    // copy of the same source.
    let complete: Vec<&Article> = source.iter().copied().filter(|a| !broken(a)).collect();
    let source = if complete.is_empty() {
        source
    } else {
        complete
    };
    // Each copy's English, sentence by sentence, and the sentences' keys:
    // copies that split one English into pairs differently have the same
    // sentences.
    let keys_of = |a: &Article, p: &[Piece]| -> Vec<String> {
        p.iter()
            .map(|x| sentence_key(x.text(a)).into_owned())
            .collect()
    };
    // Copies with the same English body, split into pairs at the same
    // places, have the same sentences: each such group is split and keyed
    // once. (The copies of one hand-off carry the same English, so a
    // docset of many languages has few groups per article.)
    let mut groups: Vec<Group> = Vec::new();
    let group_of: Vec<usize> = source
        .iter()
        .map(|&a| {
            let i = match groups.iter().position(|g| same_sentences(g.article, a)) {
                Some(i) => i,
                None => {
                    let pieces = pieces(a);
                    let keys = keys_of(a, &pieces);
                    groups.push(Group {
                        article: a,
                        pieces,
                        keys,
                        copies: 0,
                    });
                    groups.len() - 1
                }
            };
            groups[i].copies += 1;
            i
        })
        .collect();
    // The sequence most copies have; among equals, the one of more
    // sentences (the more complete), then the smallest.
    let keys = {
        let mut counts: BTreeMap<&[String], usize> = BTreeMap::new();
        for g in &groups {
            *counts.entry(&g.keys).or_default() += g.copies;
        }
        let mut best: Option<(&[String], usize)> = None;
        for (k, n) in counts {
            let better = best
                .as_ref()
                .is_none_or(|(b, m)| n > *m || (n == *m && k.len() > b.len()));
            if better {
                best = Some((k, n));
            }
        }
        best.map(|(k, _)| k.to_vec()).unwrap_or_default()
    };
    let agreeing: Vec<&Group> = groups.iter().filter(|g| g.keys == keys).collect();
    let texts: Vec<String> = (0..keys.len())
        .map(|i| {
            most_common_of(
                agreeing
                    .iter()
                    .map(|g| (folded(g.pieces[i].text(g.article)), g.copies)),
            )
            .map(Cow::into_owned)
            .unwrap_or_default()
        })
        .collect();
    // The copy whose own texts are most often the chosen ones gives the
    // body around the sentences.
    let agree: Vec<Option<usize>> = groups
        .iter()
        .map(|g| {
            (g.keys == keys).then(|| {
                g.pieces
                    .iter()
                    .zip(&texts)
                    .filter(|(s, t)| folded(s.text(g.article)) == t.as_str())
                    .count()
            })
        })
        .collect();
    let (base, base_pieces) = source
        .iter()
        .zip(&group_of)
        .filter_map(|(&a, &g)| Some((a, g, agree[g]?)))
        .max_by(|(a, _, x), (b, _, y)| {
            x.cmp(y)
                .then_with(|| b.source.cmp(&a.source))
                .then_with(|| b.locale.cmp(&a.locale))
        })
        .map(|(a, g, _)| (a, groups[g].pieces.as_slice()))
        .expect("an article has at least one copy");
    // The base's body, each sentence written as chosen.
    let mut text = String::with_capacity(base.source.len());
    let mut ranges = Vec::with_capacity(texts.len());
    let mut at = 0;
    for (piece, t) in base_pieces.iter().zip(&texts) {
        let r = piece.in_body(base);
        let Some(between) = base.source.get(at..r.start) else {
            // Out of order (never made by the parser): an empty mark.
            ranges.push(text.len()..text.len());
            continue;
        };
        text.push_str(between);
        let start = text.len();
        let own = piece.text(base);
        if fold(own) == *t {
            text.push_str(own);
        } else {
            text.push_str(t);
        }
        ranges.push(start..text.len());
        at = r.end;
    }
    text.push_str(base.source.get(at..).unwrap_or(""));
    let mut conflicts = Vec::new();
    for a in &newest_copies {
        if hash.is_some() && hash_of(a) == hash.as_deref() {
            continue;
        }
        if broken(a) {
            // Its English differs because it was lost: the sxs finding
            // says so, not a conflict.
            continue;
        }
        // A copy of the source was split and keyed above.
        let grouped = source
            .iter()
            .position(|s| std::ptr::eq(*s, *a))
            .map(|i| &groups[group_of[i]]);
        let (p, theirs) = match grouped {
            Some(g) => (Cow::Borrowed(&g.pieces), Cow::Borrowed(&g.keys)),
            None => {
                let p = pieces(a);
                let k = keys_of(a, &p);
                (Cow::Owned(p), Cow::Owned(k))
            }
        };
        if *theirs == keys {
            continue;
        }
        let at = theirs
            .iter()
            .zip(&keys)
            .position(|(x, y)| x != y)
            .unwrap_or(theirs.len().min(keys.len()));
        conflicts.push(Conflict {
            path: a.path.clone(),
            locale: a.locale.clone(),
            file: a.file.clone(),
            pos: p
                .get(at)
                .map_or(crate::diag::Pos::START, |x| a.segments[x.segment].pos),
            theirs: p.get(at).map_or_else(String::new, |x| fold(x.text(a))),
            ours: texts.get(at).cloned().unwrap_or_default(),
        });
    }
    let english = EnglishArticle {
        path: base.path.clone(),
        title: first_heading(&text),
        folded: sentence_key(&text).into_owned(),
        segments: texts,
        keys,
        ranges,
        text,
        origin: Origin::Rebuilt {
            locale: base.locale.clone(),
        },
        handoff: newest,
        hash,
    };
    (english, conflicts)
}

impl English {
    /// The English of one article, exactly as the whole model makes it
    /// ([`crate::pipeline::Model::load`]; for `serve`, which re-reads one
    /// article at a time), and the conflicts among its newest copies;
    /// rebuilt without the copies of the locales `left_out` names.
    pub fn article(
        project: &Project,
        path: &str,
        left_out: &dyn Fn(usize) -> bool,
    ) -> (Option<EnglishArticle>, Vec<Conflict>) {
        let one = |l: &Locale| {
            l.articles
                .binary_search_by(|a| a.path.as_str().cmp(path))
                .ok()
                .map(|i| Locale {
                    tag: l.tag.clone(),
                    dir: l.dir.clone(),
                    articles: vec![l.articles[i].clone()],
                })
        };
        let english = match &project.english {
            Some(folder) => match one(folder) {
                Some(l) => English::from_folder(&l),
                None => return (None, Vec::new()),
            },
            None => English::rebuild(
                &project
                    .locales
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| !left_out(i))
                    .filter_map(|(_, l)| one(l))
                    .collect::<Vec<_>>(),
            ),
        };
        (english.articles.into_values().next(), english.conflicts)
    }
}

/// What stage 3 knows about the whole project: the English of every
/// article, and how each translation compares with it, computed once and
/// read by every command and page.
#[derive(Debug, Default)]
pub struct Pairing {
    pub english: English,
    /// Per locale (in the order of `Project::locales`): the brief of each
    /// of its articles, sorted by path.
    briefs: Vec<Vec<Brief>>,
    /// Per locale: article path → its freshness, for the articles the model
    /// keeps whole.
    fresh: Vec<BTreeMap<String, Freshness>>,
}

impl Pairing {
    /// A pairing made elsewhere (article by article, `pipeline`): the
    /// English, and per locale the brief of each of its articles (sorted
    /// by path) and the freshness of those kept whole.
    pub fn from_parts(
        english: English,
        briefs: Vec<Vec<Brief>>,
        fresh: Vec<BTreeMap<String, Freshness>>,
    ) -> Pairing {
        Pairing {
            english,
            briefs,
            fresh,
        }
    }

    /// The freshness of `article` of the locale at `locale` (its index in
    /// `Project::locales`), when the model keeps the article whole.
    pub fn of(&self, locale: usize, article: &Article) -> Option<&Freshness> {
        self.fresh.get(locale)?.get(&article.path)
    }

    /// Keeps the freshness of the copy of `path` of the locale at `locale`,
    /// which the model now keeps whole ([`crate::pipeline::Model::hold`]).
    pub fn hold(&mut self, locale: usize, path: &str, fresh: Freshness) {
        if self.fresh.len() <= locale {
            self.fresh.resize_with(locale + 1, BTreeMap::new);
        }
        self.fresh[locale].insert(path.to_string(), fresh);
    }

    /// The briefs of the locale at `locale`, sorted by path: one for each
    /// of its articles, kept whole or not.
    pub fn briefs(&self, locale: usize) -> &[Brief] {
        self.briefs.get(locale).map_or(&[], Vec::as_slice)
    }

    /// The brief of the article at `path` of the locale at `locale`.
    pub fn brief(&self, locale: usize, path: &str) -> Option<&Brief> {
        let briefs = self.briefs(locale);
        let i = Brief::find(briefs, path).ok()?;
        Some(&briefs[i])
    }

    /// Computes the English of `path` again, its conflicts
    /// (`article::english-conflict`), and the freshness and brief of its
    /// copies in every locale, after one of its files changed (`serve`).
    /// Returns whether its English changed.
    ///
    /// The copies of the locales `kept` names are ones whose file on disk
    /// is not applied (`serve` holds a save with errors back): their
    /// freshness and brief stay as they were, and where the English is
    /// rebuilt from the copies they take no part in it, until they are
    /// applied.
    pub fn refresh(&mut self, project: &Project, path: &str, kept: &dyn Fn(usize) -> bool) -> bool {
        let (new, conflicts) = English::article(project, path, kept);
        self.english.conflicts.retain(|c| c.path != path);
        self.english.conflicts.extend(conflicts);
        let old = self.english.articles.get(path);
        let changed = !same_english(old, new.as_ref());
        match new {
            Some(e) => self.english.articles.insert(path.to_string(), e),
            None => self.english.articles.remove(path),
        };
        let dnt = &project.config.check.do_not_translate;
        self.fresh.resize_with(project.locales.len(), BTreeMap::new);
        self.briefs.resize_with(project.locales.len(), Vec::new);
        let shared: Arc<str> = path.into();
        for (i, l) in project.locales.iter().enumerate() {
            if kept(i) {
                continue;
            }
            let briefs = &mut self.briefs[i];
            let at = Brief::find(briefs, path);
            match l.articles.binary_search_by(|a| a.path.as_str().cmp(path)) {
                Ok(k) => {
                    let a = &l.articles[k];
                    let f = freshness(a, self.english.articles.get(path), dnt);
                    let brief = Brief::of(&shared, a, &f, self.english.articles.get(path));
                    match at {
                        Ok(j) => briefs[j] = brief,
                        Err(j) => briefs.insert(j, brief),
                    }
                    self.fresh[i].insert(path.to_string(), f);
                }
                Err(_) => {
                    if let Ok(j) = at {
                        briefs.remove(j);
                    }
                    self.fresh[i].remove(path);
                }
            }
        }
        changed
    }
}

/// Whether two computations of one article's English are the same.
fn same_english(a: Option<&EnglishArticle>, b: Option<&EnglishArticle>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.text == b.text
                && a.title == b.title
                && a.origin == b.origin
                && a.handoff == b.handoff
                && a.hash == b.hash
        }
        _ => false,
    }
}

/// Folds runs of whitespace to one space and trims.
pub fn fold(text: &str) -> String {
    folded(text).into_owned()
}

/// [`fold`], borrowing `text` where it is already folded (most sentences).
fn folded(text: &str) -> Cow<'_, str> {
    let single_spaces = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.chars().any(|c| c != ' ' && c.is_whitespace());
    if single_spaces {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// The key on which two English texts are "the same sentence" (one rule,
/// for every comparison of English with English; documented in
/// docs/translating.md). Two texts are the same sentence when their keys are
/// equal; a sentence occurs in a text when its key occurs in the text's key.
///
/// - White space is folded to one space and trimmed, and none is kept before
///   `.,:;!?)` or after `(` (`**Note** :` is `**Note**:`).
/// - Markdown that renders the same is written one way: `__` is `**`, and a
///   non-breaking space (`&nbsp;`, U+00A0) is a space.
/// - Link brackets and targets are not part of the sentence: `[text](url)`
///   is `text`, so that a pair is the same sentence whether the brackets
///   stand inside its span or outside. (A changed URL is `markup::link-url`'s
///   business.)
/// - In a Microsoft documentation address written in the text, the locale
///   segment after the host is `en-us` (`/ja-JP/` is `/en-us/`).
///
/// `text` itself, borrowed, when it is already its own key (most sentences).
pub fn sentence_key(text: &str) -> Cow<'_, str> {
    if is_own_key(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(folded_key(text))
}

/// Whether `text` is already its own [`sentence_key`], as most English
/// sentences are: nothing to rewrite, and its white space single ASCII
/// spaces where the fold would leave them. One pass over the bytes.
fn is_own_key(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut previous = 0u8;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'&' | b'[' | b']' => return false,
            b'_' if previous == b'_' => return false,
            b' ' => {
                let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                if matches!(previous, b' ' | b'(')
                    || matches!(next, b'.' | b',' | b':' | b';' | b'!' | b'?' | b')' | b' ')
                {
                    return false;
                }
            }
            b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => return false,
            // The first byte of a character past ASCII: white space there
            // (U+00A0, U+3000, …) is left to the fold.
            0xC0.. if text[i..].chars().next().is_some_and(char::is_whitespace) => return false,
            _ => {}
        }
        previous = b;
    }
    !text.contains("microsoft.com/")
}

/// [`sentence_key`] step by step.
fn folded_key(text: &str) -> String {
    // Most sentences have nothing to rewrite: each step below copies only
    // when it changes something.
    let text = replace_if_found(text, "&nbsp;", " ");
    let text = replace_if_found(&text, "__", "**");
    let text = strip_links(&text);
    let text = neutral_locale_in_urls(&text);
    // Runs of text without white space are copied whole; a run of white
    // space between two becomes one space, unless the second starts with
    // closing punctuation or the first ends with `(`.
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while !rest.is_empty() {
        let end = white_space_at(rest);
        let (word, after) = rest.split_at(end);
        if !word.is_empty() {
            let closing = word.starts_with(['.', ',', ':', ';', '!', '?', ')']);
            if !out.is_empty() && !closing && !out.ends_with('(') {
                out.push(' ');
            }
            out.push_str(word);
        }
        rest = after.trim_start();
    }
    out
}

/// Where the first white space (`char::is_whitespace`) in `text` starts, or
/// its length: ASCII (most of the English that keys are made of) is tested
/// byte by byte, without decoding.
fn white_space_at(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if b.is_ascii_whitespace() || b == 0x0B {
                return i;
            }
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                return i;
            }
            i += c.len_utf8();
        }
    }
    bytes.len()
}

/// `text` with `from` replaced by `to`, copied only when `from` occurs.
fn replace_if_found<'a>(text: &'a str, from: &str, to: &str) -> Cow<'a, str> {
    if text.contains(from) {
        Cow::Owned(text.replace(from, to))
    } else {
        Cow::Borrowed(text)
    }
}

/// Removes link brackets and `(target)` after a closing bracket, keeping
/// the link text (`![alt](x)` keeps `!alt`).
fn strip_links(text: &str) -> Cow<'_, str> {
    if !text.contains(['[', ']']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '[' => {}
            ']' => {
                if text[i + 1..].starts_with('(') {
                    // Skip to the matching `)`, nested parentheses counted.
                    chars.next();
                    let mut depth = 1usize;
                    for (_, d) in chars.by_ref() {
                        match d {
                            '(' => depth += 1,
                            ')' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes the locale segment of Microsoft documentation addresses as
/// `en-us`: `microsoft.com/ja-JP/…` → `microsoft.com/en-us/…`.
fn neutral_locale_in_urls(text: &str) -> Cow<'_, str> {
    const HOST: &str = "microsoft.com/";
    if !text.contains(HOST) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(HOST) {
        out.push_str(&rest[..i + HOST.len()]);
        rest = &rest[i + HOST.len()..];
        let seg_end = rest.find('/').unwrap_or(rest.len());
        if is_locale_segment(&rest[..seg_end]) && seg_end < rest.len() {
            out.push_str("en-us");
            rest = &rest[seg_end..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `ja-JP`, `en-us`, `zh-Hant-TW`: a language subtag of 2–3 letters and one
/// or two subtags of 2–4 letters or digits.
fn is_locale_segment(s: &str) -> bool {
    let mut parts = s.split('-');
    let lang = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_alphabetic())
        && (1..=2).contains(&rest.len())
        && rest
            .iter()
            .all(|p| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Splits an English Markdown body (with no pairs) into folded sentences: one
/// per sentence of each paragraph, heading or list item.
fn sentences(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in markdown.split("\n\n") {
        let block = fold(block);
        let block = block.trim_start_matches(['#', '-', '*', '>', ' ']);
        let mut start = 0;
        let bytes = block.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if matches!(b, b'.' | b'!' | b'?') && bytes.get(i + 1) == Some(&b' ') {
                push_sentence(&mut out, &block[start..=i]);
                start = i + 2;
            }
        }
        push_sentence(&mut out, &block[start.min(block.len())..]);
    }
    out
}

fn push_sentence(out: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if s.chars().any(char::is_alphabetic) {
        out.push(s.to_string());
    }
}

/// The state of one segment pair against the English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentState {
    Current,
    Stale,
}

/// The state of one article against the English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArticleState {
    Current,
    Outdated,
    /// The translation exists but there is no English for it.
    NoEnglish,
}

/// What a row of the side-by-side view holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowState {
    /// A sentence of the English and the translation that carries it (or
    /// a current pair, or an English sentence a longer pair carries).
    Current,
    /// A stale pair and the English sentence that took its place.
    Changed,
    /// An English sentence with no translation yet.
    New,
    /// A stale pair whose English is no longer in the English.
    Removed,
}

/// One row of an article's drift: the English of record's sentences in
/// order, each with the pair that translates it, and the pairs whose
/// English was removed, each after the row of the pair before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub state: RowState,
    /// The segment pair of the translation (index in `Article::segments`).
    pub pair: Option<usize>,
    /// The English sentence (index in `EnglishArticle::segments`).
    pub english: Option<usize>,
}

/// How one translated article compares with its English.
#[derive(Debug, Clone)]
pub struct Freshness {
    /// One state per segment, in document order.
    pub states: Vec<SegmentState>,
    /// Per segment: the translation equals the English (and has letters that
    /// are not do-not-translate terms).
    pub untranslated: Vec<bool>,
    /// English sentences that no pair carries, folded: changed or new.
    pub missing: Vec<String>,
    /// Per segment: for a stale one, the sentence of the English that took
    /// its place, when there is one (`import::record::english_for`); None
    /// for the others and for a stale sentence the English removed.
    pub new_english: Vec<Option<String>>,
    /// Every sentence of the English and every pair, aligned ([`Row`]):
    /// what the side-by-side page lists and the banner counts.
    pub rows: Vec<Row>,
    pub state: ArticleState,
}

impl Freshness {
    /// The article's pairs (one state each).
    pub fn pairs(&self) -> usize {
        self.states.len()
    }
    pub fn stale(&self) -> usize {
        self.states
            .iter()
            .filter(|s| **s == SegmentState::Stale)
            .count()
    }
    pub fn current(&self) -> usize {
        self.pairs() - self.stale()
    }
    fn rows_in(&self, state: RowState) -> usize {
        self.rows.iter().filter(|r| r.state == state).count()
    }
    /// Stale pairs whose English was changed (a new English took its place).
    pub fn changed(&self) -> usize {
        self.rows_in(RowState::Changed)
    }
    /// Stale pairs whose English was removed from the English.
    pub fn removed(&self) -> usize {
        self.rows_in(RowState::Removed)
    }
    /// English sentences with no pair at all: neither carried nor the new
    /// English of a changed pair.
    pub fn new_sentences(&self) -> usize {
        self.rows_in(RowState::New)
    }
    /// The sentences a translator has to translate again or anew: changed
    /// and new rows. The outdated banner gives this number.
    pub fn to_translate(&self) -> usize {
        self.changed() + self.new_sentences()
    }
    pub fn untranslated_count(&self) -> usize {
        self.untranslated.iter().filter(|u| **u).count()
    }
}

/// What the other languages' pages, the lists, the sitemap and `status`
/// read of one translated copy: its hand-off, kind of translation and
/// robots, its freshness in counts, and its title where a shared page
/// needs it. Stage 3 keeps one for every copy ([`Pairing::brief`]); a lean
/// model keeps nothing else of most copies ([`crate::pipeline::Keep::Lean`]):
/// 72 bytes, its path (shared by the copies) and at times its title, where
/// the whole article and its freshness take kilobytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brief {
    /// Path relative to the locale folder, as [`Article::path`]: one
    /// allocation shared by the briefs of every locale's copy.
    pub path: Arc<str>,
    /// [`Article::title`], kept only where a page of the whole site names
    /// the copy by it: an outdated copy (the status page lists it), or a
    /// path whose English has no title (its language chooser is titled by
    /// a copy). At 36 languages the titles of every copy were a tenth of
    /// a build's peak memory.
    pub title: Option<Box<str>>,
    pub handoff: Option<Date>,
    /// `ms.translationtype: MT`.
    pub machine: bool,
    /// `ROBOTS` says `NOINDEX`.
    pub noindex: bool,
    pub state: ArticleState,
    pub pairs: u32,
    pub stale: u32,
    pub untranslated: u32,
    /// [`Freshness::changed`], [`Freshness::removed`],
    /// [`Freshness::new_sentences`].
    pub changed: u32,
    pub removed: u32,
    pub new: u32,
    /// English sentences no pair carries ([`Freshness::missing`]).
    pub missing: u32,
}

impl Brief {
    /// The brief of `article`, whose path is `path` (shared with the briefs
    /// of its other copies) and whose English is `english`.
    pub fn of(
        path: &Arc<str>,
        article: &Article,
        fresh: &Freshness,
        english: Option<&EnglishArticle>,
    ) -> Brief {
        debug_assert_eq!(**path, *article.path);
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let named =
            fresh.state == ArticleState::Outdated || english.is_none_or(|e| e.title.is_none());
        Brief {
            path: Arc::clone(path),
            title: article
                .title()
                .filter(|_| named)
                .map(String::into_boxed_str),
            handoff: article.handoff(),
            machine: article.front.is_machine_translated(),
            noindex: article.front.is_noindex(),
            state: fresh.state,
            pairs: count(fresh.pairs()),
            stale: count(fresh.stale()),
            untranslated: count(fresh.untranslated_count()),
            changed: count(fresh.changed()),
            removed: count(fresh.removed()),
            new: count(fresh.new_sentences()),
            missing: count(fresh.missing.len()),
        }
    }

    /// Where the brief of `path` is, or would go, in `briefs` (sorted by
    /// path, as [`Pairing::briefs`] keeps them).
    pub fn find(briefs: &[Brief], path: &str) -> Result<usize, usize> {
        briefs.binary_search_by(|b| (*b.path).cmp(path))
    }

    /// Pairs whose English is current.
    pub fn current(&self) -> u32 {
        self.pairs - self.stale
    }
}

/// Compares `article` with `english` (None when there is no English for it).
pub fn freshness(
    article: &Article,
    english: Option<&EnglishArticle>,
    do_not_translate: &[String],
) -> Freshness {
    let untranslated = article
        .segments
        .iter()
        .map(|s| is_untranslated(s.target(article), s.source(article), do_not_translate))
        .collect();
    let n = article.segments.len();
    let Some(english) = english else {
        return Freshness {
            states: vec![SegmentState::Current; n],
            untranslated,
            missing: Vec::new(),
            new_english: vec![None; n],
            rows: (0..n)
                .map(|i| Row {
                    state: RowState::Current,
                    pair: Some(i),
                    english: None,
                })
                .collect(),
            state: ArticleState::NoEnglish,
        };
    };
    if english.hash.is_some() && hash_of(article) == english.hash.as_deref() {
        // A copy of the English of record's own source is current whatever
        // its sxs-lookup texts say.
        let states = vec![SegmentState::Current; n];
        let aligned = crate::import::record::align(article, english, &states);
        return Freshness {
            rows: rows(article, english, &states, aligned, &FxHashSet::default()),
            states,
            untranslated,
            missing: Vec::new(),
            new_english: vec![None; n],
            state: ArticleState::Current,
        };
    }
    let sources: Vec<Cow<str>> = article
        .segments
        .iter()
        .map(|s| sentence_key(s.source(article)))
        .collect();
    // Most sources are an English segment exactly; the others are searched
    // for as substrings, all at once, so that an article of many pairs costs
    // linear time, not pairs × English length.
    let english_exact: FxHashSet<&str> = english.keys.iter().map(String::as_str).collect();
    let found = occurring(
        sources
            .iter()
            .map(|s| s.as_ref())
            .filter(|s| !english_exact.contains(s)),
        std::iter::once(english.folded.as_str()),
    );
    let states: Vec<SegmentState> = sources
        .iter()
        .map(|s| {
            if english_exact.contains(s.as_ref()) || found.contains(s.as_ref()) {
                SegmentState::Current
            } else {
                SegmentState::Stale
            }
        })
        .collect();
    let exact: FxHashSet<&str> = sources.iter().map(|s| s.as_ref()).collect();
    let carried = occurring(
        english
            .keys
            .iter()
            .map(String::as_str)
            .filter(|e| !exact.contains(e)),
        sources.iter().map(|s| s.as_ref()),
    );
    let missing: Vec<String> = english
        .keys
        .iter()
        .zip(&english.segments)
        .filter(|(k, _)| !exact.contains(k.as_str()) && !carried.contains(k.as_str()))
        .map(|(_, text)| text.clone())
        .collect();
    let outdated = !missing.is_empty() || states.contains(&SegmentState::Stale);
    let aligned = crate::import::record::align_keys(&sources, english, &states);
    let new_english = aligned
        .iter()
        .zip(&states)
        .map(|(j, s)| {
            let j = j.filter(|_| *s == SegmentState::Stale)?;
            let written = crate::import::record::written(&english.text, &english.segments[j]);
            Some(written.to_string())
        })
        .collect();
    let missing_keys: FxHashSet<&str> = english
        .keys
        .iter()
        .zip(&english.segments)
        .filter(|(_, t)| missing.contains(*t))
        .map(|(k, _)| k.as_str())
        .collect();
    let rows = rows(article, english, &states, aligned, &missing_keys);
    Freshness {
        states,
        untranslated,
        missing,
        new_english,
        rows,
        state: if outdated {
            ArticleState::Outdated
        } else {
            ArticleState::Current
        },
    }
}

/// The rows of an article's drift ([`Row`]), from each pair's sentence in
/// the English (`aligned`, [`crate::import::record::align`]). A current pair
/// with none takes the first free sentence, before the next aligned pair's,
/// that holds its English or is held by it (segments merged or split), and
/// the free sentences right after it that it holds as well. An
/// English sentence no pair takes is new when its key is in `missing`, and
/// otherwise current (a longer pair carries it).
fn rows(
    article: &Article,
    english: &EnglishArticle,
    states: &[SegmentState],
    mut aligned: Vec<Option<usize>>,
    missing: &FxHashSet<&str>,
) -> Vec<Row> {
    let n = article.segments.len();
    let e = &english.keys;
    let mut taken = vec![false; e.len()];
    for j in aligned.iter().flatten() {
        taken[*j] = true;
    }
    // Upper bound for pair i: the sentence of the next aligned pair.
    let mut bound = vec![e.len(); n];
    let mut next = e.len();
    for (b, at) in bound.iter_mut().zip(&aligned).rev() {
        *b = next;
        if let Some(j) = at {
            next = *j;
        }
    }
    let mut last = 0;
    for (i, seg) in article.segments.iter().enumerate() {
        if let Some(j) = aligned[i] {
            last = j + 1;
            continue;
        }
        if states[i] != SegmentState::Current {
            continue;
        }
        let key = sentence_key(seg.source(article));
        if key.is_empty() {
            continue;
        }
        let found = (last..bound[i].max(last)).find(|&j| {
            !taken[j] && !e[j].is_empty() && (e[j].contains(&*key) || key.contains(e[j].as_str()))
        });
        if let Some(j) = found {
            taken[j] = true;
            aligned[i] = Some(j);
            last = j + 1;
            // The sentences right after it that the pair holds too (one
            // pair of `A. B.` against the sentences `A.` and `B.`) are
            // shown in its row, not in rows of their own.
            while last < bound[i].max(last)
                && !taken[last]
                && !e[last].is_empty()
                && key.contains(&e[last])
            {
                taken[last] = true;
                last += 1;
            }
        }
    }
    let english_row = |j: usize| Row {
        state: if missing.contains(e[j].as_str()) {
            RowState::New
        } else {
            RowState::Current
        },
        pair: None,
        english: Some(j),
    };
    let mut out = Vec::with_capacity(n + e.len());
    let mut next_e = 0;
    for (i, (state, at)) in states.iter().zip(&aligned).enumerate() {
        if let Some(j) = *at {
            out.extend((next_e..j).filter(|k| !taken[*k]).map(english_row));
            next_e = next_e.max(j + 1);
        }
        out.push(Row {
            state: match (*state == SegmentState::Stale, at) {
                (false, _) => RowState::Current,
                (true, Some(_)) => RowState::Changed,
                (true, None) => RowState::Removed,
            },
            pair: Some(i),
            english: *at,
        });
    }
    out.extend((next_e..e.len()).filter(|k| !taken[*k]).map(english_row));
    // Kept for every article of every language: at its size, not at the
    // reserve (a shrink in place may keep the larger block).
    out.as_slice().to_vec()
}

/// The `needles` that occur in at least one of `haystacks` (the empty
/// string occurs everywhere), found in one pass over each haystack.
fn occurring<'n>(
    needles: impl Iterator<Item = &'n str>,
    haystacks: impl Iterator<Item = &'n str>,
) -> FxHashSet<&'n str> {
    let mut found = FxHashSet::default();
    let mut patterns: Vec<&str> = Vec::new();
    for needle in needles {
        if needle.is_empty() {
            found.insert(needle);
        } else {
            patterns.push(needle);
        }
    }
    patterns.sort_unstable();
    patterns.dedup();
    if patterns.is_empty() {
        return found;
    }
    // A contiguous NFA: built in a fraction of the time of the DFA the
    // default picks for few patterns, and each automaton searches a few KB.
    let Ok(automaton) = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(&patterns)
    else {
        // Too many patterns for the automaton: one search per needle.
        for hay in haystacks {
            found.extend(patterns.iter().filter(|p| hay.contains(**p)));
        }
        return found;
    };
    let mut seen = vec![false; patterns.len()];
    for hay in haystacks {
        for m in automaton.find_overlapping_iter(hay) {
            seen[m.pattern().as_usize()] = true;
        }
    }
    found.extend(
        patterns
            .iter()
            .zip(seen)
            .filter(|(_, s)| *s)
            .map(|(p, _)| *p),
    );
    found
}

/// Whether a translation is the English left as it was: equal on folded text,
/// and with letters left once link targets and do-not-translate terms are
/// removed.
pub fn is_untranslated(target: &str, source: &str, do_not_translate: &[String]) -> bool {
    if !target.split_whitespace().eq(source.split_whitespace()) {
        return false;
    }
    let mut text = strip_link_targets(source);
    for term in do_not_translate {
        if !term.is_empty() {
            text = text.replace(term.as_str(), " ");
        }
    }
    text.chars().any(char::is_alphabetic)
}

/// Removes `(url)` after `]` so that URLs do not count as text.
fn strip_link_targets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 2..];
        match rest.find(')') {
            Some(close) => rest = &rest[close + 1..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// Findings for one article's freshness: untranslated, stale and missing segments.
pub fn findings(article: &Article, fresh: &Freshness) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, seg) in article.segments.iter().enumerate() {
        if fresh.untranslated[i] {
            out.push(Finding::new(
                lint::SEGMENT_UNTRANSLATED,
                &article.file,
                seg.pos,
                format!(
                    "the translation is the English text: \"{}\"",
                    fold(seg.source(article))
                ),
            ));
        }
        if fresh.states[i] == SegmentState::Stale {
            let old = fold(seg.source(article));
            let new = fresh.new_english.get(i).cloned().flatten();
            // The message stays as it was (baselines match on it); the
            // English then and now are fields of their own.
            let message = format!("this English is no longer in the English article: \"{old}\"");
            let mut f = Finding::new(lint::SEGMENT_STALE, &article.file, seg.pos, message);
            f.drift = Some(Box::new(crate::diag::Drift {
                old_english: old.into(),
                new_english: new.map(|n| fold(&n).into()),
            }));
            out.push(f);
        }
    }
    for m in &fresh.missing {
        out.push(Finding::new(
            lint::SEGMENT_MISSING,
            &article.file,
            crate::diag::Pos::START,
            format!("the English sentence \"{m}\" has no translation"),
        ));
    }
    out
}

/// Stage 3's findings for one translated article: untranslated, stale and
/// missing segments, and `article::outdated` with its counts and dates.
pub fn article_findings(
    article: &Article,
    fresh: &Freshness,
    english: Option<&EnglishArticle>,
) -> Vec<Finding> {
    let mut out = findings(article, fresh);
    if let (ArticleState::Outdated, Some(e)) = (fresh.state, english) {
        let from = match &e.origin {
            Origin::Folder => "the English folder".to_string(),
            Origin::Rebuilt { locale } => format!("the {locale} copy"),
        };
        let when = |d: Option<Date>| {
            d.map_or_else(|| "no hand-off date".into(), |d| format!("hand-off {d}"))
        };
        out.push(Finding::new(
            lint::ARTICLE_OUTDATED,
            &article.file,
            crate::diag::Pos::START,
            format!(
                "the English has moved on: {} stale and {} missing segments against the English \
                 of {} ({}; this translation: {})",
                fresh.stale(),
                fresh.missing.len(),
                from,
                when(e.handoff),
                when(article.handoff()),
            ),
        ));
    }
    out
}

/// `article::missing-translation` for the English article `e` that the
/// locale folder `dir` (tagged `tag`) lacks.
pub fn missing_translation(tag: &str, dir: &std::path::Path, e: &EnglishArticle) -> Finding {
    let from = match &e.origin {
        Origin::Folder => "the English folder".to_string(),
        Origin::Rebuilt { locale } => format!("its {locale} copy"),
    };
    Finding::new(
        lint::ARTICLE_MISSING_TRANSLATION,
        &dir.join(&e.path).display().to_string(),
        crate::diag::Pos::START,
        format!(
            "`{}` has no {tag} translation (its English is known from {from})",
            e.path
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_is_its_own_key_only_where_the_fold_agrees() {
        let own = [
            "Reset your password.",
            "Select **Settings** > **Mail**.",
            "Don’t “quote” me (please).",
        ];
        let folded = [
            "A\u{a0}space",
            "A  space",
            "A space .",
            "( A",
            " A",
            "A ",
            "A\tB",
            "__A__",
            "[A](b)",
            "A&nbsp;B",
            "See https://support.microsoft.com/ja-JP/office",
            "全角\u{3000}空白",
        ];
        for text in own {
            assert!(is_own_key(text), "{text:?}");
            assert_eq!(folded_key(text), text);
        }
        for text in folded {
            assert!(!is_own_key(text), "{text:?}");
        }
        // Every sxs-lookup text of the corpus, and every translation.
        let (mut texts, mut own) = (0, 0);
        let found = crate::corpus::each_pair_text(|path, text| {
            // And white space folded, borrowed where it already is.
            let words: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(super::folded(text), words.join(" "));
            texts += 1;
            if is_own_key(text) {
                own += 1;
                assert_eq!(folded_key(text), text, "{}", path.display());
            }
        });
        if !found {
            return;
        }
        eprintln!("{own} of {texts} texts were their own keys");
        assert!(texts > 100_000 && own > texts / 3, "{own} of {texts}");
    }

    fn art(locale: &str, handoff: &str, body: &str) -> Article {
        let text = format!("---\ntitle: t\nms.lasthandoff: {handoff}\n---\n{body}");
        crate::parse::article(locale, "a.md", "a.md", text.as_bytes())
    }

    #[test]
    fn white_space_is_found_as_char_is_whitespace_finds_it() {
        // Every white space character Rust knows, between ASCII, CJK and
        // accented text, and texts with none.
        let spaces = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace());
        for space in spaces {
            for text in [
                format!("ab{space}c"),
                format!("{space}x"),
                format!("é密{space}{space}z"),
                format!("x\u{b}{space}"),
            ] {
                let expected = text.find(char::is_whitespace).unwrap_or(text.len());
                assert_eq!(white_space_at(&text), expected, "{text:?}");
            }
        }
        for text in ["", "abc", "密码", "a\u{200b}b"] {
            assert_eq!(white_space_at(text), text.len(), "{text:?}");
        }
    }

    fn pair(t: &str, s: &str) -> String {
        format!(
            r#"<span data-ttu-id="x">{t}</span><span class="sxs-lookup"><span data-stu-id="x">{s}</span></span>"#
        )
    }

    fn locale(tag: &str, articles: Vec<Article>) -> Locale {
        Locale {
            tag: tag.into(),
            dir: tag.into(),
            articles,
        }
    }

    /// The model of a project of one Estonian and one Swedish copy of
    /// `a.md`: (hand-off, body) each.
    fn et_and_sv(et: (&str, &str), sv: (&str, &str)) -> crate::pipeline::Model {
        crate::pipeline::Model::from_project(Project {
            config: crate::config::Config::defaults(std::path::Path::new(".")),
            locales: vec![
                locale("et-EE", vec![art("et-EE", et.0, et.1)]),
                locale("sv-SE", vec![art("sv-SE", sv.0, sv.1)]),
            ],
            english: None,
            findings: Vec::new(),
        })
    }

    #[test]
    fn briefs_keep_a_title_only_where_a_shared_page_names_the_copy() {
        // The English (rebuilt from the newer Swedish copy) is titled by
        // its heading: the current Swedish copy keeps no title, the
        // outdated Estonian one keeps its own for the status page.
        let model = et_and_sv(
            ("01/01/2020", &format!("# {}", pair("Tere", "Hello"))),
            ("02/01/2020", &format!("# {}", pair("Hej", "Hi"))),
        );
        assert_eq!(
            model.pairing.english.articles["a.md"].title.as_deref(),
            Some("Hi")
        );
        let brief = |i| model.pairing.brief(i, "a.md").expect("a brief");
        assert_eq!(
            (brief(1).state, brief(1).title.as_deref()),
            (ArticleState::Current, None)
        );
        assert_eq!(
            (brief(0).state, brief(0).title.as_deref()),
            (ArticleState::Outdated, Some("t"))
        );
    }

    #[test]
    fn briefs_follow_a_refresh() {
        let mut model = et_and_sv(
            ("02/01/2020", &pair("Tere", "Hello")),
            ("01/01/2020", &pair("Hej", "Hello")),
        );
        let brief = model.pairing.brief(1, "a.md").expect("a brief").clone();
        assert_eq!(
            brief,
            Brief::of(
                &"a.md".into(),
                &model.project.locales[1].articles[0],
                model
                    .pairing
                    .of(1, &model.project.locales[1].articles[0])
                    .expect("fresh"),
                model.pairing.english.articles.get("a.md")
            )
        );
        // The English has no title (no heading): the copies keep theirs.
        assert_eq!(model.pairing.english.articles["a.md"].title, None);
        assert_eq!(
            (brief.title.as_deref(), brief.pairs, brief.state),
            (Some("t"), 1, ArticleState::Current)
        );
        // The Swedish copy is retitled and its English moves on.
        let text = format!(
            "---\ntitle: ny\nms.lasthandoff: 03/01/2020\n---\n{}",
            pair("Hej då", "Goodbye")
        );
        model.project.locales[1].articles[0] =
            crate::parse::article("sv-SE", "a.md", "a.md", text.as_bytes());
        assert!(model.pairing.refresh(&model.project, "a.md", &|_| false));
        assert_eq!(
            model
                .pairing
                .brief(1, "a.md")
                .and_then(|b| b.title.as_deref()),
            Some("ny")
        );
        let estonian = model.pairing.brief(0, "a.md").expect("the Estonian brief");
        assert_eq!(
            (estonian.state, estonian.stale),
            (ArticleState::Outdated, 1)
        );
        // The Swedish copy is deleted.
        model.project.locales[1].articles.clear();
        model.pairing.refresh(&model.project, "a.md", &|_| false);
        assert!(model.pairing.brief(1, "a.md").is_none());
        assert!(model.pairing.briefs(1).is_empty());
        assert_eq!(model.pairing.briefs(0).len(), 1);
    }

    #[test]
    fn a_kept_copy_keeps_its_brief_and_takes_no_part_in_the_english() {
        let mut model = et_and_sv(
            ("02/01/2020", &pair("Tere", "Hello")),
            ("01/01/2020", &pair("Hej", "Hello")),
        );
        let before = model.pairing.brief(1, "a.md").expect("a brief").clone();
        // The Swedish file now claims a newer English and another title,
        // but is not applied (kept): nothing of it is taken.
        let text = format!(
            "---\ntitle: ny\nms.lasthandoff: 03/01/2020\n---\n{}",
            pair("Hej då", "Goodbye")
        );
        model.project.locales[1].articles[0] =
            crate::parse::article("sv-SE", "a.md", "a.md", text.as_bytes());
        let swedish = |i: usize| i == 1;
        assert!(!model.pairing.refresh(&model.project, "a.md", &swedish));
        assert_eq!(model.pairing.english.articles["a.md"].text, "Hello");
        assert_eq!(model.pairing.brief(1, "a.md"), Some(&before));
        // Applied, it is.
        assert!(model.pairing.refresh(&model.project, "a.md", &|_| false));
        assert_eq!(model.pairing.english.articles["a.md"].text, "Goodbye");
    }

    #[test]
    fn newest_handoff_wins() {
        let old = art("sv-SE", "01/01/2020", &pair("Hej", "Hello old"));
        let new = art("et-EE", "02/01/2020", &pair("Tere", "Hello new"));
        let locales = vec![
            locale("et-EE", vec![new]),
            locale("sv-SE", vec![old.clone()]),
        ];
        let en = English::rebuild(&locales);
        assert_eq!(en.articles["a.md"].text, "Hello new");
        let f = freshness(&old, en.articles.get("a.md"), &[]);
        assert_eq!(f.states, [SegmentState::Stale]);
        assert_eq!(f.missing, ["Hello new"]);
        assert_eq!(f.state, ArticleState::Outdated);
    }

    #[test]
    fn ties_are_broken_by_text_not_by_locale_name() {
        let a = art("sv-SE", "01/01/2020", &pair("A", "D"));
        let b = art("de-DE", "01/01/2020", &pair("C", "B"));
        let one = English::rebuild(&[
            locale("sv-SE", vec![a.clone()]),
            locale("de-DE", vec![b.clone()]),
        ]);
        let two = English::rebuild(&[locale("de-DE", vec![b]), locale("sv-SE", vec![a])]);
        assert_eq!(one.articles["a.md"].text, "B");
        assert_eq!(two.articles["a.md"].text, "B");
        // They differ and no hash says which is the source.
        assert_eq!(one.conflicts.len(), 1);
        assert_eq!(one.conflicts[0].theirs, "D");
        assert_eq!(one.conflicts[0].ours, "B");
    }

    #[test]
    fn the_same_sentence() {
        let same = |a: &str, b: &str| sentence_key(a) == sentence_key(b);
        assert!(same("Click **Reactivate** .", "Click **Reactivate**."));
        assert!(same("**Note** :", "**Note**:"));
        assert!(same("a  b\n c", "a b c"));
        assert!(same("( see below )", "(see below)"));
        assert!(same("__bold__ text", "**bold** text"));
        assert!(same("a&nbsp;b", "a b"));
        assert!(same(
            "Add a payment method",
            "[Add a payment method](https://x.y/a_(b))"
        ));
        assert!(same(
            "See https://docs.microsoft.com/ja-JP/microsoft-365/x",
            "See https://docs.microsoft.com/en-us/microsoft-365/x"
        ));
        assert!(!same("Select Save.", "Select Cancel."));
        assert!(!same(
            "See https://docs.microsoft.com/ja-JP/a",
            "See https://docs.microsoft.com/en-us/b"
        ));
        assert!(!same("**Note**", "Note"));
    }

    fn hashed(locale: &str, handoff: &str, hash: &str, body: &str) -> Article {
        let text = format!(
            "---\ntitle: t\nms.openlocfilehash: {hash}\nms.lasthandoff: {handoff}\n---\n{body}"
        );
        crate::parse::article(locale, "a.md", "a.md", text.as_bytes())
    }

    #[test]
    fn copies_of_one_hash_are_never_outdated_against_each_other() {
        // Same hash, later hand-off on one copy, and a re-tokenised English
        // that differs in substance: still one source.
        let a = hashed(
            "zh-CN",
            "10/24/2020",
            "6a35",
            &pair("x", "Click **Reactivate**."),
        );
        let b = hashed(
            "ar-SA",
            "10/24/2020",
            "6a35",
            &pair("y", "Click **Reactivate** ."),
        );
        let c = hashed(
            "ja-JP",
            "09/01/2020",
            "6a35",
            &pair("z", "Click Reactivate now."),
        );
        let en = English::rebuild(&[
            locale("zh-CN", vec![a.clone()]),
            locale("ar-SA", vec![b.clone()]),
            locale("ja-JP", vec![c.clone()]),
        ]);
        let e = &en.articles["a.md"];
        assert!(en.conflicts.is_empty());
        for x in [&a, &b, &c] {
            assert_eq!(freshness(x, Some(e), &[]).state, ArticleState::Current);
        }
        // An older copy of another hash is compared sentence by sentence.
        let d = hashed(
            "sv-SE",
            "01/01/2019",
            "0000",
            &pair("w", "Click  **Reactivate** ."),
        );
        assert_eq!(freshness(&d, Some(e), &[]).state, ArticleState::Current);
        let d = hashed(
            "sv-SE",
            "01/01/2019",
            "0000",
            &pair("w", "Click **Activate**."),
        );
        assert_eq!(freshness(&d, Some(e), &[]).state, ArticleState::Outdated);
    }

    #[test]
    fn the_english_is_the_text_most_copies_write() {
        let t1 = format!("{} {}", pair("a", "One ."), pair("b", "Two."));
        let t2 = format!("{} {}", pair("a", "One."), pair("b", "Two ."));
        let en = English::rebuild(&[
            locale("aa-AA", vec![hashed("aa-AA", "01/01/2020", "h", &t1)]),
            locale("bb-BB", vec![hashed("bb-BB", "01/01/2020", "h", &t2)]),
            locale("cc-CC", vec![hashed("cc-CC", "01/01/2020", "h", &t2)]),
        ]);
        let e = &en.articles["a.md"];
        assert_eq!(e.segments, ["One.", "Two ."]);
        assert_eq!(e.text, "One. Two .");
    }

    /// One English of two sentences, as one pair and as two.
    fn merged_and_split() -> (String, String) {
        let merged = pair("a", "Capture feedback. Consider the following:");
        let split = format!(
            "{} {}",
            pair("a", "Capture feedback."),
            pair("b", "Consider the following:")
        );
        (merged, split)
    }

    #[test]
    fn copies_cut_into_pairs_elsewhere_are_split_apart() {
        let (merged, split) = merged_and_split();
        let one = |l: &str, body: &str| hashed(l, "06/17/2021", "9a51", body);
        let (ja, zh, ko) = (
            one("ja-JP", &merged),
            one("zh-CN", &split),
            one("ko-KR", &split),
        );
        // The same English body, cut into pairs elsewhere: not one group.
        assert_eq!(ja.source, zh.source);
        assert!(!same_sentences(&ja, &zh));
        assert!(same_sentences(&zh, &ko));
        // The body comes from ja-JP (all agree; the smallest tag), split by
        // its own pairs, not by those of the copy before it.
        let (e, _) = of_record(&[&zh, &ja, &ko]);
        assert_eq!(
            e.origin,
            Origin::Rebuilt {
                locale: "ja-JP".into()
            }
        );
        assert_eq!(&e.text[e.ranges[1].clone()], "Consider the following:");
    }

    #[test]
    fn sentences_inside_one_pair() {
        let split = |t: &str| -> Vec<String> {
            split_sentences(t)
                .into_iter()
                .map(|r| t[r].to_string())
                .collect()
        };
        assert_eq!(
            split(" Choose **Already Paid?**  You'll see it. Done! "),
            ["Choose **Already Paid?**", "You'll see it.", "Done!"]
        );
        assert_eq!(
            split("Click **Reactivate** . Then"),
            ["Click **Reactivate** .", "Then"]
        );
        assert_eq!(split("See x.y and 1.5"), ["See x.y and 1.5"]);
        assert!(split("  ").is_empty());
    }

    #[test]
    fn copies_that_split_one_english_into_pairs_differently_agree() {
        let (merged, split) = merged_and_split();
        let one = |l: &str, body: &str| hashed(l, "06/17/2021", "9a51", body);
        // Alone, either copy gives the same sentences.
        let a = English::rebuild(&[locale("ja-JP", vec![one("ja-JP", &merged)])]);
        let b = English::rebuild(&[locale("zh-CN", vec![one("zh-CN", &split)])]);
        let (a, b) = (&a.articles["a.md"], &b.articles["a.md"]);
        assert_eq!(a.keys, ["Capture feedback.", "Consider the following:"]);
        assert_eq!(a.keys, b.keys);
        assert_eq!(a.ranges.len(), 2);
        assert_eq!(&a.text[a.ranges[1].clone()], "Consider the following:");
        // An older copy of another hash is current against both, split or not.
        for body in [&merged, &split] {
            let old = hashed("et-EE", "03/08/2021", "ad2c", body);
            for e in [a, b] {
                let f = freshness(&old, Some(e), &[]);
                assert_eq!(f.state, ArticleState::Current, "{body}");
                assert!(f.missing.is_empty());
            }
        }
        // The merged copy's page has one row for its one pair, which
        // shows both sentences.
        let m = one("ja-JP", &merged);
        let f = freshness(&m, Some(a), &[]);
        assert_eq!(f.rows.len(), 1);
        assert_eq!(f.rows[0].pair, Some(0));
        assert_eq!(f.rows[0].state, RowState::Current);
        let f = freshness(&one("zh-CN", &split), Some(a), &[]);
        assert_eq!(f.rows.len(), 2);
        // Newest copies of no hash that only split differently agree.
        let en = English::rebuild(&[
            locale("ja-JP", vec![art("ja-JP", "06/17/2021", &merged)]),
            locale("zh-CN", vec![art("zh-CN", "06/17/2021", &split)]),
        ]);
        assert!(en.conflicts.is_empty());
    }

    #[test]
    fn untranslated_text() {
        assert!(is_untranslated("Click here", "Click  here", &[]));
        assert!(!is_untranslated("9257", "9257", &[]));
        assert!(!is_untranslated("SSPR", "SSPR", &["SSPR".into()]));
        assert!(!is_untranslated("[](https://x.y)", "[](https://x.y)", &[]));
        assert!(!is_untranslated("Klicka", "Click", &[]));
    }

    #[test]
    fn english_sentences() {
        assert_eq!(
            sentences("# Title\n\nOne here. Two there!\n\n- 42\n"),
            ["Title", "One here.", "Two there!"]
        );
    }
}
