//! What the site is made of: its languages, and the pages of each.
//!
//! Every language of the project is in the table, built or not: a page's
//! alternates and language switcher name every language that has it, so
//! that sites built in parts (`--locale`) link to each other. [`Plan`]
//! says which page stands at each article path of a language: the
//! translation, the English (on the English site), or the English in place
//! of a missing translation. The full build, `check` and `serve`'s
//! incremental rebuild all ask it. Pure.

use crate::load::Project;
use crate::model::Article;
use crate::pair::{Brief, EnglishArticle, Freshness, Pairing};
use crate::pipeline::Language;
use crate::theme::{Theme, Ui};
use std::collections::BTreeSet;

/// One language of the site.
pub struct Lang<'p> {
    pub tag: String,
    /// The output folder (`zh-cn`).
    pub slug: String,
    /// Its name in itself.
    pub name: String,
    pub dir: &'static str,
    /// Its UI strings.
    pub ui: Ui,
    /// The briefs of its translated articles, by path (empty for the
    /// English).
    pub articles: Briefs<'p>,
    /// Its index in `Project::locales` (None for the English).
    pub locale: Option<usize>,
}

impl Lang<'_> {
    pub fn is_english(&self) -> bool {
        self.locale.is_none()
    }
}

/// The English, then every locale (sorted by tag), with their strings.
pub fn languages<'p>(project: &'p Project, pairing: &'p Pairing, theme: &Theme) -> Vec<Lang<'p>> {
    let config = &project.config;
    let names = project.language_names();
    let lang = |tag: &str, articles: Briefs<'p>, locale: Option<usize>| {
        let settings = config.language(tag);
        Lang {
            tag: tag.to_string(),
            slug: crate::locale::slug(tag),
            name: names[locale.map_or(0, |i| i + 1)].clone(),
            dir: match settings.and_then(|s| s.dir.as_deref()) {
                Some("rtl") => "rtl",
                Some(_) => "ltr",
                None => crate::locale::direction(tag),
            },
            ui: Ui::new(theme.strings(tag)),
            articles,
            locale,
        }
    };
    let mut out = vec![lang(&config.source_language, Briefs(&[]), None)];
    for (i, l) in project.locales.iter().enumerate() {
        out.push(lang(&l.tag, Briefs(pairing.briefs(i)), Some(i)));
    }
    out
}

/// A language's briefs, sorted by path as [`Pairing::briefs`] keeps them,
/// looked up by path: a view of the model, so that the table of 36
/// languages holds no copy of each language's list.
#[derive(Clone, Copy)]
pub struct Briefs<'p>(&'p [Brief]);

impl<'p> Briefs<'p> {
    pub fn get(&self, path: &str) -> Option<&'p Brief> {
        let i = Brief::find(self.0, path).ok()?;
        Some(&self.0[i])
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// The paths, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'p str> + 'p {
        self.0.iter().map(|b| &*b.path)
    }

    /// (path, brief), in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&'p str, &'p Brief)> + 'p {
        self.0.iter().map(|b| (&*b.path, b))
    }
}

/// A page of one language.
#[derive(Clone, Copy)]
pub enum Job<'p> {
    /// A translated article, with its freshness.
    Translation(&'p Article, &'p Freshness),
    /// The English article, on the English site.
    English(&'p EnglishArticle),
    /// The English shown where the language lacks the article.
    Fallback(&'p EnglishArticle),
}

/// The pages of the languages of one project.
pub struct Plan<'p> {
    pairing: &'p Pairing,
}

impl<'p> Plan<'p> {
    pub fn new(pairing: &'p Pairing) -> Plan<'p> {
        Plan { pairing }
    }

    /// The page at `path` in `lang`, if there is one, its translation (for
    /// a locale) taken from `read`: the language's articles as stage 4
    /// renders them ([`crate::pipeline::Model::language`]). An article
    /// that could not be read again gets the English in its place.
    pub fn job<'a>(
        &self,
        lang: &Lang<'p>,
        path: &str,
        read: Option<&'a Language<'_>>,
    ) -> Option<Job<'a>>
    where
        'p: 'a,
    {
        let english = self.pairing.english.articles.get(path);
        if lang.is_english() {
            return english.map(Job::English);
        }
        match (lang.articles.contains_key(path), english) {
            (true, _) => match read.and_then(|r| r.get(path)) {
                Some((a, fresh)) => Some(Job::Translation(a, fresh)),
                // Gone since stage 3 (a lean model's language read again):
                // the English stands in.
                None => english.map(Job::Fallback),
            },
            (false, Some(e)) => Some(Job::Fallback(e)),
            (false, None) => None,
        }
    }

    /// The article paths with a page in `lang`, in path order: every
    /// English article and every translation it has.
    pub fn paths(&self, lang: &Lang<'p>) -> Vec<&'p str> {
        let mut paths: BTreeSet<&'p str> = self
            .pairing
            .english
            .articles
            .keys()
            .map(String::as_str)
            .collect();
        paths.extend(lang.articles.keys());
        paths.into_iter().collect()
    }

    /// Every page of `lang`, in path order, its translations taken from
    /// `read` ([`Plan::job`]).
    pub fn jobs<'a>(
        &self,
        lang: &Lang<'p>,
        read: Option<&'a Language<'_>>,
    ) -> Vec<(&'p str, Job<'a>)>
    where
        'p: 'a,
    {
        self.paths(lang)
            .into_iter()
            .filter_map(|p| self.job(lang, p, read).map(|j| (p, j)))
            .collect()
    }

    /// Whether `lang` has a page at `path` (its own, or the English).
    pub fn has_page(&self, lang: &Lang, path: &str) -> bool {
        lang.articles.contains_key(path) || self.pairing.english.articles.contains_key(path)
    }

    /// Whether `lang` has `path` in its own language (the English has every
    /// English article).
    pub fn translated(&self, lang: &Lang, path: &str) -> bool {
        if lang.is_english() {
            self.pairing.english.articles.contains_key(path)
        } else {
            lang.articles.contains_key(path)
        }
    }
}

/// A page's title and the state shown beside it in lists.
pub fn entry(path: &str, job: &Job) -> (String, &'static str) {
    match job {
        Job::Translation(a, fresh) => (
            a.title().unwrap_or_else(|| path.to_string()),
            match fresh.state {
                crate::pair::ArticleState::Outdated => "outdated",
                _ => "current",
            },
        ),
        Job::English(e) => (
            e.title.clone().unwrap_or_else(|| path.to_string()),
            "source",
        ),
        Job::Fallback(e) => (
            e.title.clone().unwrap_or_else(|| path.to_string()),
            "missing",
        ),
    }
}

/// A digest of a page's [`entry`]: `serve` keeps one for every page, to
/// know when a change alters a list, where the entries themselves (a
/// title each) would take megabytes at 36 languages.
pub fn digest(path: &str, job: &Job) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    entry(path, job).hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Locale;

    fn article(locale: &str, path: &str, handoff: &str, english: &str) -> Article {
        let text = format!(
            "---\ntitle: T {path}\nms.lasthandoff: {handoff}\n---\n# <span data-ttu-id=\"1\">X</span><span class=\"sxs-lookup\"><span data-stu-id=\"1\">{english}</span></span>\n"
        );
        crate::parse::article(locale, path, path, text.as_bytes())
    }

    fn project(locales: Vec<(&str, Vec<Article>)>) -> Project {
        Project {
            config: crate::config::Config::defaults(std::path::Path::new(".")),
            locales: locales
                .into_iter()
                .map(|(tag, articles)| Locale {
                    tag: tag.into(),
                    dir: tag.into(),
                    articles,
                })
                .collect(),
            english: None,
            findings: Vec::new(),
        }
    }

    #[test]
    fn every_language_has_every_english_article() {
        let p = project(vec![
            (
                "sv-SE",
                vec![
                    article("sv-SE", "a.md", "01/01/2020", "A"),
                    article("sv-SE", "b.md", "01/01/2020", "B"),
                ],
            ),
            ("zh-CN", vec![article("zh-CN", "a.md", "01/01/2020", "A")]),
        ]);
        let model = crate::pipeline::Model::from_project(p);
        let pairing = &model.pairing;
        let theme = Theme::load(std::path::Path::new("."), "default").expect("theme");
        let langs = languages(&model.project, pairing, &theme);
        assert_eq!(
            langs.iter().map(|l| l.slug.as_str()).collect::<Vec<_>>(),
            ["en-us", "sv-se", "zh-cn"]
        );
        let plan = Plan::new(pairing);
        let stages = crate::timing::Stages::default();
        let kinds = |l: &Lang| -> Vec<(String, &'static str)> {
            let read = l.locale.map(|i| model.language(i, &stages));
            plan.jobs(l, read.as_ref())
                .into_iter()
                .map(|(p, j)| {
                    let k = match j {
                        Job::Translation(..) => "translation",
                        Job::English(_) => "english",
                        Job::Fallback(_) => "fallback",
                    };
                    (p.to_string(), k)
                })
                .collect()
        };
        assert_eq!(
            kinds(&langs[0]),
            [("a.md".into(), "english"), ("b.md".into(), "english")]
        );
        assert_eq!(
            kinds(&langs[2]),
            [("a.md".into(), "translation"), ("b.md".into(), "fallback")]
        );
        assert!(plan.has_page(&langs[2], "b.md"));
        assert!(!plan.translated(&langs[2], "b.md"));
        assert!(plan.translated(&langs[0], "b.md"));
        let read = model.language(0, &stages);
        assert!(plan.job(&langs[1], "nope.md", Some(&read)).is_none());
    }
}
