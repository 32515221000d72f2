//! Stage 3: the English of every article, and how fresh each translation is.
//!
//! The English is the source-language folder when there is one. Otherwise each
//! English article is rebuilt from the SOURCE texts of the locale copy with the
//! newest `ms.lasthandoff` (ties: more pairs, then the locale tag that sorts
//! first). Each translation is then compared with the English segment by
//! segment, on text with whitespace folded (never on segment ids):
//! a segment is *current* when its English occurs in the English article and
//! *stale* when not; an English segment that no pair carries is *missing*.
//!
//! Pure functions over parsed articles; findings are returned, not printed.

use crate::diag::{lint, Finding};
use crate::load::{Locale, Project};
use crate::model::{first_heading, Article};
use crate::parse::front_matter::Date;
use std::collections::{BTreeMap, HashSet};

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
    /// `text` with whitespace folded, for matching.
    pub folded: String,
    /// The English segments, folded.
    pub segments: Vec<String>,
    pub origin: Origin,
    pub handoff: Option<Date>,
}

/// The English of the whole project, by article path.
#[derive(Debug, Default)]
pub struct English {
    pub articles: BTreeMap<String, EnglishArticle>,
}

impl English {
    /// Builds the English: the source folder if present, else rebuilt.
    pub fn new(project: &Project) -> English {
        match &project.english {
            Some(folder) => English::from_folder(folder),
            None => English::rebuild(&project.locales),
        }
    }

    fn from_folder(folder: &Locale) -> English {
        let articles = folder
            .articles
            .iter()
            .map(|a| {
                let segments = sentences(&a.source);
                let e = EnglishArticle {
                    path: a.path.clone(),
                    title: a.title(),
                    folded: fold(&a.source),
                    text: a.source.clone(),
                    segments,
                    origin: Origin::Folder,
                    handoff: a.handoff(),
                };
                (a.path.clone(), e)
            })
            .collect();
        English { articles }
    }

    /// Rebuilds every article's English from the newest hand-off among the locales.
    pub fn rebuild(locales: &[Locale]) -> English {
        let mut best: BTreeMap<&str, &Article> = BTreeMap::new();
        for locale in locales {
            for a in &locale.articles {
                match best.get(a.path.as_str()) {
                    Some(current) if !newer(a, current) => {}
                    _ => {
                        best.insert(&a.path, a);
                    }
                }
            }
        }
        let articles = best
            .into_iter()
            .map(|(path, a)| (path.to_string(), rebuilt(a)))
            .collect();
        English { articles }
    }
}

impl English {
    /// The English of one article, exactly as [`English::new`] makes it
    /// (for `serve`, which re-reads one article at a time).
    pub fn article(project: &Project, path: &str) -> Option<EnglishArticle> {
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
            Some(folder) => English::from_folder(&one(folder)?),
            None => English::rebuild(&project.locales.iter().filter_map(one).collect::<Vec<_>>()),
        };
        english.articles.into_values().next()
    }
}

/// What stage 3 knows about the whole project: the English of every
/// article, and how each translation compares with it, computed once and
/// read by every command and page.
#[derive(Debug, Default)]
pub struct Pairing {
    pub english: English,
    /// Per locale (in the order of `Project::locales`): article path → its
    /// freshness.
    fresh: Vec<BTreeMap<String, Freshness>>,
}

impl Pairing {
    /// The English of `project` and the freshness of every translation.
    pub fn new(project: &Project) -> Pairing {
        use rayon::prelude::*;
        let english = English::new(project);
        let dnt = &project.config.check.do_not_translate;
        let fresh = project
            .locales
            .par_iter()
            .map(|l| {
                l.articles
                    .iter()
                    .map(|a| {
                        let f = freshness(a, english.articles.get(&a.path), dnt);
                        (a.path.clone(), f)
                    })
                    .collect()
            })
            .collect();
        Pairing { english, fresh }
    }

    /// The freshness of `article` of the locale at `locale` (its index in
    /// `Project::locales`).
    pub fn of(&self, locale: usize, article: &Article) -> Option<&Freshness> {
        self.fresh.get(locale)?.get(&article.path)
    }

    /// Computes the English of `path` again, and the freshness of its copies
    /// in every locale, after one of its files changed (`serve`). Returns
    /// whether its English changed.
    pub fn refresh(&mut self, project: &Project, path: &str) -> bool {
        let new = English::article(project, path);
        let old = self.english.articles.get(path);
        let changed = !same_english(old, new.as_ref());
        match new {
            Some(e) => self.english.articles.insert(path.to_string(), e),
            None => self.english.articles.remove(path),
        };
        let dnt = &project.config.check.do_not_translate;
        self.fresh.resize_with(project.locales.len(), BTreeMap::new);
        for (i, l) in project.locales.iter().enumerate() {
            match l.articles.binary_search_by(|a| a.path.as_str().cmp(path)) {
                Ok(k) => {
                    let a = &l.articles[k];
                    let f = freshness(a, self.english.articles.get(path), dnt);
                    self.fresh[i].insert(path.to_string(), f);
                }
                Err(_) => {
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
            a.text == b.text && a.title == b.title && a.origin == b.origin && a.handoff == b.handoff
        }
        _ => false,
    }
}

/// Whether `a` is a better source for the English than `b`.
fn newer(a: &Article, b: &Article) -> bool {
    let key = |x: &Article| (x.handoff(), x.segments.len());
    match key(a).cmp(&key(b)) {
        std::cmp::Ordering::Equal => a.locale < b.locale,
        order => order.is_gt(),
    }
}

fn rebuilt(a: &Article) -> EnglishArticle {
    EnglishArticle {
        path: a.path.clone(),
        title: first_heading(&a.source),
        folded: fold(&a.source),
        text: a.source.clone(),
        segments: a.segments.iter().map(|s| fold(&s.source)).collect(),
        origin: Origin::Rebuilt {
            locale: a.locale.clone(),
        },
        handoff: a.handoff(),
    }
}

/// Folds runs of whitespace to one space and trims.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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

/// How one translated article compares with its English.
#[derive(Debug, Clone)]
pub struct Freshness {
    /// One state per segment, in document order.
    pub states: Vec<SegmentState>,
    /// Per segment: the translation equals the English (and has letters that
    /// are not do-not-translate terms).
    pub untranslated: Vec<bool>,
    /// English segments that no pair carries, folded.
    pub missing: Vec<String>,
    pub state: ArticleState,
}

impl Freshness {
    pub fn stale(&self) -> usize {
        self.states
            .iter()
            .filter(|s| **s == SegmentState::Stale)
            .count()
    }
    pub fn current(&self) -> usize {
        self.states.len() - self.stale()
    }
    pub fn untranslated_count(&self) -> usize {
        self.untranslated.iter().filter(|u| **u).count()
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
        .map(|s| is_untranslated(&s.target, &s.source, do_not_translate))
        .collect();
    let Some(english) = english else {
        return Freshness {
            states: vec![SegmentState::Current; article.segments.len()],
            untranslated,
            missing: Vec::new(),
            state: ArticleState::NoEnglish,
        };
    };
    let sources: Vec<String> = article.segments.iter().map(|s| fold(&s.source)).collect();
    // Most sources are an English segment exactly; the others are searched
    // for as substrings, all at once, so that an article of many pairs costs
    // linear time, not pairs × English length.
    let english_exact: HashSet<&str> = english.segments.iter().map(String::as_str).collect();
    let found = occurring(
        sources
            .iter()
            .map(String::as_str)
            .filter(|s| !english_exact.contains(s)),
        std::iter::once(english.folded.as_str()),
    );
    let states: Vec<SegmentState> = sources
        .iter()
        .map(|s| {
            if english_exact.contains(s.as_str()) || found.contains(s.as_str()) {
                SegmentState::Current
            } else {
                SegmentState::Stale
            }
        })
        .collect();
    let exact: HashSet<&str> = sources.iter().map(String::as_str).collect();
    let carried = occurring(
        english
            .segments
            .iter()
            .map(String::as_str)
            .filter(|e| !exact.contains(e)),
        sources.iter().map(String::as_str),
    );
    let missing: Vec<String> = english
        .segments
        .iter()
        .filter(|e| !exact.contains(e.as_str()) && !carried.contains(e.as_str()))
        .cloned()
        .collect();
    let outdated = !missing.is_empty() || states.contains(&SegmentState::Stale);
    Freshness {
        states,
        untranslated,
        missing,
        state: if outdated {
            ArticleState::Outdated
        } else {
            ArticleState::Current
        },
    }
}

/// The `needles` that occur in at least one of `haystacks` (the empty
/// string occurs everywhere), found in one pass over each haystack.
fn occurring<'n>(
    needles: impl Iterator<Item = &'n str>,
    haystacks: impl Iterator<Item = &'n str>,
) -> HashSet<&'n str> {
    let mut found = HashSet::new();
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
                    fold(&seg.source)
                ),
            ));
        }
        if fresh.states[i] == SegmentState::Stale {
            out.push(Finding::new(
                lint::SEGMENT_STALE,
                &article.file,
                seg.pos,
                format!(
                    "this English is no longer in the English article: \"{}\"",
                    fold(&seg.source)
                ),
            ));
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

/// `article::missing-translation` for each English article `locale` lacks.
pub fn missing_translations(locale: &Locale, english: &English) -> Vec<Finding> {
    english
        .articles
        .values()
        .filter(|e| {
            locale
                .articles
                .binary_search_by(|a| a.path.as_str().cmp(&e.path))
                .is_err()
        })
        .map(|e| {
            let from = match &e.origin {
                Origin::Folder => "the English folder".to_string(),
                Origin::Rebuilt { locale } => format!("its {locale} copy"),
            };
            Finding::new(
                lint::ARTICLE_MISSING_TRANSLATION,
                &locale.dir.join(&e.path).display().to_string(),
                crate::diag::Pos::START,
                format!(
                    "`{}` has no {} translation (its English is known from {from})",
                    e.path, locale.tag
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(locale: &str, handoff: &str, body: &str) -> Article {
        let text = format!("---\ntitle: t\nms.lasthandoff: {handoff}\n---\n{body}");
        crate::parse::article(locale, "a.md", "a.md", text.as_bytes())
    }

    fn pair(t: &str, s: &str) -> String {
        format!(
            r#"<span data-ttu-id="x">{t}</span><span class="sxs-lookup"><span data-stu-id="x">{s}</span></span>"#
        )
    }

    #[test]
    fn newest_handoff_wins_then_pairs_then_locale() {
        let old = art("sv-SE", "01/01/2020", &pair("Hej", "Hello old"));
        let new = art("et-EE", "02/01/2020", &pair("Tere", "Hello new"));
        let locales = vec![
            Locale {
                tag: "et-EE".into(),
                dir: "e".into(),
                articles: vec![new],
            },
            Locale {
                tag: "sv-SE".into(),
                dir: "s".into(),
                articles: vec![old.clone()],
            },
        ];
        let en = English::rebuild(&locales);
        assert_eq!(en.articles["a.md"].text, "Hello new");
        let f = freshness(&old, en.articles.get("a.md"), &[]);
        assert_eq!(f.states, [SegmentState::Stale]);
        assert_eq!(f.missing, ["Hello new"]);
        assert_eq!(f.state, ArticleState::Outdated);

        let a = art("sv-SE", "01/01/2020", &pair("A", "B"));
        let b = art("de-DE", "01/01/2020", &pair("C", "D"));
        let locales = vec![
            Locale {
                tag: "sv-SE".into(),
                dir: "s".into(),
                articles: vec![a],
            },
            Locale {
                tag: "de-DE".into(),
                dir: "d".into(),
                articles: vec![b],
            },
        ];
        assert_eq!(English::rebuild(&locales).articles["a.md"].text, "D");
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
