//! Stage 4 for one page: an article body rendered for one language, with
//! what the rest of the site tells the renderer (which pages exist, where
//! media went, the snippets of `[!INCLUDE]`), and the `#fragment` links it
//! makes checked against the pages they point at.
//!
//! Everything here is read from the model; nothing from the disk.

use super::media::Media;
use super::plan::{Job, Lang};
use crate::check::position;
use crate::diag::{lint, Finding, Pos};
use crate::load::{Included, Includes};
use crate::model::Article;
use crate::pair::{self, Origin};
use crate::render::links::{FragmentRef, SiteLinks};
use crate::render::segments::{Mark, Style as MarkStyle};
use crate::render::{self, context, includes, AlertTitles, Rendered};
use crate::theme::Strings;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// What every page body of one run shares.
pub struct Bodies<'p> {
    pub project: &'p crate::load::Project,
    pub english: &'p crate::pair::English,
    pub includes: &'p Includes,
    pub media: &'p Media,
    pub sanitizer: render::sanitize::Sanitizer,
}

/// One rendered page body and what was learnt while making it.
pub struct Body {
    pub rendered: Rendered,
    /// Links to `article#fragment` made by this page and where they stand,
    /// to be checked.
    pub fragments: Vec<(FragmentRef, Pos)>,
    /// For a translation: each pair's translation and English, rendered inline.
    pub pairs_html: Vec<(String, String)>,
    /// For a translation: the English of record's sentences its drift
    /// shows on their own (changed, new, carried by a longer pair),
    /// rendered inline, by index in `EnglishArticle::segments`.
    pub english_html: HashMap<usize, String>,
}

/// What [`Bodies::render`] renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    /// The page, and each pair and English sentence its bilingual views
    /// show: what the site's files are made of.
    All,
    /// The page alone (what its search entry reads).
    Page,
}

impl<'p> Bodies<'p> {
    /// The article an English page is made from: a file of the English
    /// folder, or the locale copy the English was rebuilt from.
    pub fn origin(&self, english: &crate::pair::EnglishArticle) -> Option<&'p Article> {
        let locale = match &english.origin {
            Origin::Folder => self.project.english.as_ref()?,
            Origin::Rebuilt { locale } => self.project.locales.iter().find(|l| &l.tag == locale)?,
        };
        locale
            .articles
            .binary_search_by(|a| a.path.as_str().cmp(&english.path))
            .ok()
            .map(|i| &locale.articles[i])
    }

    /// Renders the body of the page `job` at `path` in `lang`. `exists`:
    /// the article paths with a page in `lang`; `bad`: fragment links known
    /// to point at nothing (dropped); `parts`: whether the pairs and the
    /// English sentences the bilingual views show are rendered too.
    pub fn render(
        &self,
        lang: &Lang,
        path: &str,
        job: &Job,
        exists: &HashSet<&str>,
        bad: &HashSet<FragmentRef>,
        parts: Parts,
    ) -> Body {
        let (markdown, origin, english_text) = match job {
            Job::Translation(a, _) => (a.target.as_str(), Some(*a), false),
            Job::English(e) | Job::Fallback(e) => (e.text.as_str(), self.origin(e), true),
        };
        let file = origin.map_or_else(|| path.to_string(), |a| a.file.clone());
        let content_locale = origin.map_or_else(|| lang.tag.clone(), |a| a.locale.clone());
        let exists_fn = |p: &str| exists.contains(p);
        let media_fn = |p: &str| self.media.find(&[&lang.tag, &content_locale], p);
        let config = &self.project.config;
        let links = SiteLinks {
            locale: &lang.tag,
            article: path,
            exists: &exists_fn,
            media: &media_fn,
            link_base: config.html.link_base.as_deref(),
            bad_fragments: bad,
            fragments: Mutex::new(Vec::new()),
        };
        let snippets = Snippets {
            includes: self.includes,
            locale: &content_locale,
            english: self.project.english.as_ref().map(|e| e.tag.as_str()),
            article: path,
            english_text,
        };
        let alerts = alert_titles(lang.ui.strings());
        // Findings are placed by offset: the translation's document or the
        // English (source) document of the file the page comes from.
        let places = match (job, origin) {
            (Job::Translation(a, _), _) => Some(position::Places::target(a)),
            (_, Some(a)) => Some(position::Places::source(a)),
            (_, None) => None,
        };
        let place = |offset: usize| places.as_ref().map_or(Pos::START, |p| p.pos(offset));
        let (marks, style) = match job {
            Job::Translation(a, fresh) => {
                let marks = a
                    .segments
                    .iter()
                    .zip(&fresh.states)
                    .map(|(seg, state)| Mark {
                        range: seg.target_range.clone(),
                        stale: *state == pair::SegmentState::Stale,
                    })
                    .collect();
                (marks, MarkStyle::Translation)
            }
            Job::English(e) if matches!(e.origin, Origin::Rebuilt { .. }) => {
                let marks = e
                    .ranges
                    .iter()
                    .map(|range| Mark {
                        range: range.clone(),
                        stale: false,
                    })
                    .collect();
                (marks, MarkStyle::English)
            }
            _ => (Vec::new(), MarkStyle::Translation),
        };
        let english: Vec<&str> = match job {
            Job::Translation(a, _) => a.segments.iter().map(|s| s.source(a)).collect(),
            _ => Vec::new(),
        };
        let stale_note = lang
            .ui
            .strings()
            .get("stale_note")
            .cloned()
            .unwrap_or_default();
        let env = render::Env {
            file: &file,
            links: &links,
            includes: &snippets,
            alerts: &alerts,
            video_hosts: &config.html.video_hosts,
            sanitizer: &self.sanitizer,
            place: &place,
            marks: &marks,
            mark_style: style,
            stale_note: &stale_note,
            english: &english,
            english_lang: &config.source_language,
        };
        let rendered = render::render(markdown, &env);
        let pairs_html = match job {
            Job::Translation(a, _) if parts == Parts::All => a
                .segments
                .iter()
                .map(|seg| {
                    (
                        render::segment(&a.target, seg.target_range.clone(), &env),
                        render::segment(&a.source, seg.source_range.clone(), &env),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let english_html = match (job, self.english.articles.get(path)) {
            (Job::Translation(_, fresh), Some(e)) if parts == Parts::All => fresh
                .rows
                .iter()
                .filter(|r| r.pair.is_none() || r.state == pair::RowState::Changed)
                .filter_map(|r| r.english)
                .filter_map(|j| {
                    let text =
                        context::sentence(&e.text, e.ranges.get(j).cloned(), e.segments.get(j)?);
                    Some((j, render::inline(&text, &env)))
                })
                .collect(),
            _ => HashMap::new(),
        };
        Body {
            rendered,
            fragments: links.fragments.into_inner().unwrap_or_default(),
            pairs_html,
            english_html,
        }
    }
}

/// Whether a page reports findings about its file: translations and the
/// English folder's pages do; not the English rebuilt from a locale copy
/// (that copy's own page reports them, at the places of its file), nor
/// fallback pages (the English page reports them).
pub fn reports(job: &Job) -> bool {
    match job {
        Job::Translation(..) => true,
        Job::English(e) => matches!(e.origin, Origin::Folder),
        Job::Fallback(_) => false,
    }
}

/// The findings a page body reports (see [`reports`]).
pub fn findings(job: &Job, rendered: &Rendered) -> Vec<Finding> {
    if reports(job) {
        rendered.findings.clone()
    } else {
        Vec::new()
    }
}

/// Checks the `#fragment` links of a language's rendered pages against the
/// ids of the pages they point at. `pages`: each page's article path, its
/// file as findings name it (None: the page reports none) and its fragment
/// links. Returns the findings, at each link, and the broken links.
pub fn check_fragments<'a>(
    pages: impl Iterator<Item = (&'a str, Option<String>, &'a [(FragmentRef, Pos)])> + Clone,
    ids_of: impl Fn(&str) -> Option<&'a Rendered>,
) -> (Vec<Finding>, HashSet<FragmentRef>) {
    let targets: HashSet<&str> = pages
        .clone()
        .flat_map(|(_, _, refs)| refs.iter().map(|(f, _)| f.article.as_str()))
        .collect();
    let ids: HashMap<&str, HashSet<String>> = targets
        .into_iter()
        .filter_map(|t| ids_of(t).map(|r| (t, page_ids(r))))
        .collect();
    let mut findings = Vec::new();
    let mut bad = HashSet::new();
    for (path, file, refs) in pages {
        for (f, at) in refs {
            if ids
                .get(f.article.as_str())
                .is_some_and(|set| !set.contains(&f.fragment))
            {
                if let Some(file) = &file {
                    findings.push(Finding::new(
                        lint::LINK_BROKEN,
                        file,
                        *at,
                        if f.article == path {
                            format!(
                                "`#{}`: this article has no heading or anchor `{}`; the fragment is dropped",
                                f.fragment, f.fragment
                            )
                        } else {
                            format!(
                                "`{}#{}`: that article has no heading or anchor `{}`; the fragment is dropped",
                                f.article, f.fragment, f.fragment
                            )
                        },
                    ));
                }
                bad.insert(f.clone());
            }
        }
    }
    (findings, bad)
}

/// Every `id` and `<a name>` in a rendered page (read from the HTML this
/// build wrote, to check `#fragment` links against it).
fn page_ids(rendered: &Rendered) -> HashSet<String> {
    let mut ids: HashSet<String> = rendered.headings.iter().map(|h| h.id.clone()).collect();
    for attr in [" id=\"", " name=\""] {
        for (i, _) in rendered.html.match_indices(attr) {
            let rest = &rendered.html[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                ids.insert(rest[..end].to_string());
            }
        }
    }
    ids
}

/// The snippets of the model, for one page: the page's locale, then the
/// English folder (if any). For English pages, the snippet's English.
struct Snippets<'a> {
    includes: &'a Includes,
    locale: &'a str,
    english: Option<&'a str>,
    article: &'a str,
    english_text: bool,
}

impl includes::Source for Snippets<'_> {
    fn read(&self, path: &str) -> includes::Snippet {
        for locale in std::iter::once(self.locale).chain(self.english) {
            match self.includes.get(locale, path) {
                Some(Included::Text { target, source }) => {
                    return includes::Snippet::Text(if self.english_text {
                        source.clone()
                    } else {
                        target.clone()
                    })
                }
                Some(Included::Outside) => return includes::Snippet::Outside,
                None => {}
            }
        }
        includes::Snippet::Missing
    }
    fn article(&self) -> &str {
        self.article
    }
}

fn alert_titles(s: &Strings) -> AlertTitles {
    let get = |k: &str| s.get(k).cloned().unwrap_or_default();
    AlertTitles {
        note: get("note"),
        tip: get("tip"),
        important: get("important"),
        warning: get("warning"),
        caution: get("caution"),
        video: get("video"),
    }
}
