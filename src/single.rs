//! One article through stages 2–4 in memory: parse, pair with the English
//! rebuilt from itself, render both languages to sanitised HTML.
//!
//! For the fuzz targets and the regression tests that replay what they found
//! (`fuzz/`, `tests/fuzz_regressions.rs`): the same functions `build` calls,
//! with the rest of the site reduced to this one article (links to itself
//! resolve, other articles and images do not, includes find nothing). No
//! I/O, no templates, no files written.

use crate::diag::Finding;
use crate::load::Locale;
use crate::model::Article;
use crate::pair::{self, English, EnglishArticle, Freshness, SegmentState};
use crate::render::links::{FragmentRef, SiteLinks};
use crate::render::sanitize::Sanitizer;
use crate::render::segments::{Mark, Style};
use crate::render::{self, includes, AlertTitles, Rendered};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

/// Everything one article became.
#[derive(Debug)]
pub struct Single {
    pub article: Article,
    /// The English rebuilt from the article's SOURCE texts.
    pub english: Option<EnglishArticle>,
    pub freshness: Freshness,
    /// The translated page's body.
    pub target: Rendered,
    /// The English page's body.
    pub source: Rendered,
    /// Each pair's translation and English as inline HTML (side by side).
    pub pairs: Vec<(String, String)>,
}

/// Includes resolve from the article's folder and find nothing.
struct NoFiles<'a> {
    article: &'a str,
}

impl includes::Source for NoFiles<'_> {
    fn read(&self, _: &str) -> includes::Snippet {
        includes::Snippet::Missing
    }
    fn article(&self) -> &str {
        self.article
    }
}

/// Runs the article at `path` of the locale folder `locale`, read as
/// `bytes`, through parse, pair and render.
pub fn article(locale: &str, path: &str, bytes: &[u8]) -> Single {
    let file = format!("{locale}/{path}");
    let article = crate::parse::article(locale, path, &file, bytes);
    let english = English::rebuild(&[Locale {
        tag: locale.to_string(),
        dir: PathBuf::from(locale),
        articles: vec![article.clone()],
    }])
    .articles
    .into_values()
    .next();
    let freshness = pair::freshness(&article, english.as_ref(), &[]);

    let exists = |p: &str| p == path;
    let media = |_: &str| crate::render::links::MediaFile::Missing;
    let bad = HashSet::<FragmentRef>::new();
    let links = SiteLinks {
        locale,
        article: path,
        exists: &exists,
        media: &media,
        link_base: Some("https://learn.microsoft.com/{locale}"),
        bad_fragments: &bad,
        fragments: Mutex::new(Vec::new()),
    };
    let includes = NoFiles { article: path };
    let alerts = AlertTitles {
        note: "Note".into(),
        tip: "Tip".into(),
        important: "Important".into(),
        warning: "Warning".into(),
        caution: "Caution".into(),
        video: "Video".into(),
    };
    let hosts = vec!["www.youtube.com".to_string()];
    let sanitizer = Sanitizer::new(&hosts);
    let (target, source) = (
        crate::check::position::Places::target(&article),
        crate::check::position::Places::source(&article),
    );
    let in_target = |offset: usize| target.pos(offset);
    let in_source = |offset: usize| source.pos(offset);
    let env = render::Env {
        file: &file,
        links: &links,
        includes: &includes,
        alerts: &alerts,
        video_hosts: &hosts,
        sanitizer: &sanitizer,
        place: &in_target,
        marks: &[],
        mark_style: Style::Translation,
        stale_note: "changed in English",
        english: &[],
        english_lang: "en-US",
    };

    let target_marks: Vec<Mark> = article
        .segments
        .iter()
        .zip(&freshness.states)
        .map(|(s, state)| Mark {
            range: s.target_range.clone(),
            stale: *state == SegmentState::Stale,
        })
        .collect();
    let source_marks: Vec<Mark> = article
        .segments
        .iter()
        .map(|s| Mark {
            range: s.source_range.clone(),
            stale: false,
        })
        .collect();
    let sentences: Vec<&str> = article
        .segments
        .iter()
        .map(|s| s.source(&article))
        .collect();
    let target = render::render(
        &article.target,
        &render::Env {
            marks: &target_marks,
            english: &sentences,
            ..env
        },
    );
    let source = render::render(
        &article.source,
        &render::Env {
            marks: &source_marks,
            mark_style: Style::English,
            place: &in_source,
            ..env
        },
    );
    let pairs = article
        .segments
        .iter()
        .map(|s| {
            (
                render::segment(&article.target, s.target_range.clone(), &env),
                render::segment(&article.source, s.source_range.clone(), &env),
            )
        })
        .collect();
    Single {
        article,
        english,
        freshness,
        target,
        source,
        pairs,
    }
}

impl Single {
    /// Every finding of the three stages.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.article
            .findings
            .iter()
            .chain(&self.target.findings)
            .chain(&self.source.findings)
    }

    /// Every piece of HTML made: both pages and every pair's two sides.
    pub fn html(&self) -> impl Iterator<Item = &str> {
        [self.target.html.as_str(), self.source.html.as_str()]
            .into_iter()
            .chain(
                self.pairs
                    .iter()
                    .flat_map(|(t, s)| [t.as_str(), s.as_str()]),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_article_renders_both_languages() {
        let bytes = b"---\ntitle: T\n---\n# <span data-ttu-id=\"1\">Hej</span><span class=\"sxs-lookup\"><span data-stu-id=\"1\">Hi</span></span>\n\n<script>alert(1)</script>\n";
        let one = article("sv-SE", "a.md", bytes);
        assert_eq!(one.article.segments.len(), 1);
        assert!(one.target.html.contains("Hej"));
        assert!(one.source.html.contains("Hi"));
        assert!(one.html().all(|h| !h.contains("<script")));
        assert_eq!(one.pairs[0].0, "Hej");
    }
}
