//! The view of an article page: its banners, its canonical URL and the link
//! to its language chooser, from the plan and the rendered body.
//! Pure.

use super::plan::{Job, Lang};
use super::Pages;
use crate::pair::ArticleState;
use crate::render::links::page_url;
use crate::render::Rendered;
use crate::url;
use crate::view::*;

impl<'p> Pages<'p> {
    /// The view of the page `job` at `path` in `lang`.
    pub fn article(&self, lang: &Lang, path: &str, job: &Job, rendered: &Rendered) -> Page {
        let fresh = match job {
            Job::Translation(_, f) => Some(*f),
            _ => None,
        };
        let state = fresh.map_or(ArticleState::Current, |f| f.state);
        let bilingual = matches!(job, Job::Translation(a, _) if !a.segments.is_empty());
        let changed = fresh.and_then(|f| self.changed_banner(lang, f));
        let url = page_url(path);
        let root = "../".repeat(url.matches('/').count() + 1);
        let english = self.english_lang();
        let english_href = format!("{root}{}/{url}", english.slug);
        let (title, front, fallback) = match job {
            Job::Translation(a, _) => (
                a.title().unwrap_or_else(|| path.to_string()),
                Some(&a.front),
                false,
            ),
            Job::English(e) => (
                e.title.clone().unwrap_or_else(|| path.to_string()),
                self.bodies.origin(e).map(|a| &a.front),
                false,
            ),
            Job::Fallback(e) => (
                e.title.clone().unwrap_or_else(|| path.to_string()),
                None,
                true,
            ),
        };
        // The `hreflang` alternates of an article live in the language
        // sitemaps ([`super::sitemap`]), not in every page's head: 38 links
        // in each of 36 languages' pages cost more than the page's text.
        let (canonical, robots) = if fallback {
            (
                Some(self.absolute(&english.slug, &url, &english_href)),
                Some("noindex".to_string()),
            )
        } else {
            let own = self.absolute(&lang.slug, &url, &format!("{root}{}/{url}", lang.slug));
            (Some(own), front.and_then(|f| f.robots.clone()))
        };
        let english_page = fallback || lang.is_english();
        let handoff = (!english_page)
            .then(|| front.and_then(|f| f.handoff_date()))
            .flatten();
        let article = ArticleView {
            html: rendered.html.clone(),
            toc: rendered
                .headings
                .iter()
                .filter(|h| h.level == 2 || h.level == 3)
                .cloned()
                .collect(),
            lang: if english_page {
                english.tag.clone()
            } else {
                lang.tag.clone()
            },
            dir: if english_page { "ltr" } else { lang.dir },
            handoff: handoff.map(|d| d.to_string()),
            handoff_text: handoff.map(|d| crate::date::long(&lang.tag, d)),
            machine: !english_page && front.is_some_and(|f| f.is_machine_translated()),
            outdated: state == ArticleState::Outdated,
            fallback,
            not_translated: self
                .string(lang, "not_translated")
                .replace("{language}", &lang.name),
            english_href,
            english_data: bilingual.then(|| url::here(&format!("{}.en.js", file_name(path)))),
            side_by_side: bilingual.then(|| url::here(&format!("{}.sxs.html", file_name(path)))),
            changed,
            stale_marks: fresh
                .is_some_and(|f| f.states.contains(&crate::pair::SegmentState::Stale)),
            edit_href: match (job, &self.model.config().html.edit_url) {
                (Job::Translation(a, _), Some(template)) => {
                    Some(crate::config::edit_url(template, &a.locale, &a.path))
                }
                _ => None,
            },
        };
        let mut page = self.page(lang, &root, title);
        page.description = front.and_then(|f| f.description.clone());
        page.canonical = canonical;
        page.robots = robots;
        page.chooser = Some(format!("{root}{}", chooser_url(path)));
        page.article = Some(article);
        page
    }

    /// The count of the outdated banner, in `lang`: the rows of the
    /// side-by-side page marked changed or new (one per English sentence
    /// to translate again or anew); None when there are none.
    pub fn changed_banner(&self, lang: &Lang, fresh: &crate::pair::Freshness) -> Option<String> {
        match fresh.to_translate() {
            0 => None,
            n => Some(crate::plural::pick(
                lang.ui.strings(),
                &lang.tag,
                "changed",
                n as u64,
            )),
        }
    }
}

/// The URL of an article's language chooser page, from the site root
/// (`languages/a/b.html`): one page per article, listing it in every
/// language, shared by the languages' pages.
pub fn chooser_url(path: &str) -> String {
    format!("{CHOOSERS}/{}", page_url(path))
}

/// The folder of the chooser pages. No locale folder has this name (a
/// locale's language subtag has two or three letters).
pub const CHOOSERS: &str = "languages";

/// The last segment of an article's page URL, without `.html` (for the files
/// that stand next to the page).
pub fn file_name(path: &str) -> String {
    let url = page_url(path);
    let stem = url.strip_suffix(".html").unwrap_or(&url);
    stem.rsplit('/').next().unwrap_or(stem).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_the_last_segment() {
        assert_eq!(file_name("a/b c.md"), "b%20c");
        assert_eq!(file_name("index.md"), "index-article");
        assert_eq!(file_name("x:y.md"), "x%3Ay");
    }
}
