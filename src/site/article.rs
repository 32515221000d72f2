//! The view of an article page: its banners, its language links and its
//! alternates (DESIGN §5), from the plan and the rendered body. Pure.

use super::plan::{Job, Lang, Plan};
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
        let changed = fresh
            // Each changed, removed or new sentence once (a changed pair
            // and the sentence that took its place are one change).
            .map(|f| f.stale() + f.new_sentences())
            .filter(|n| *n > 0)
            .map(|n| crate::plural::pick(lang.ui.strings(), &lang.tag, "changed", n as u64));
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
        let (canonical, alternates, robots) = if fallback {
            (
                Some(self.absolute(&english.slug, &url, &english_href)),
                Vec::new(),
                Some("noindex".to_string()),
            )
        } else {
            let own = self.absolute(&lang.slug, &url, &format!("{root}{}/{url}", lang.slug));
            (
                Some(own),
                self.alternates(path, &root),
                front.and_then(|f| f.robots.clone()),
            )
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
        page.alternates = alternates;
        page.robots = robots;
        page.languages = self.switcher(lang, path, &root);
        page.article = Some(article);
        page
    }

    /// `hreflang` alternates of an article: every language that has it in
    /// its own words, and the English as `x-default`.
    fn alternates(&self, path: &str, root: &str) -> Vec<Alternate> {
        let url = page_url(path);
        let plan = Plan::new(&self.model.pairing);
        let mut alts: Vec<Alternate> = self
            .langs
            .iter()
            .filter(|l| plan.translated(l, path))
            .map(|l| Alternate {
                hreflang: l.tag.clone(),
                href: self.absolute(&l.slug, &url, &format!("{root}{}/{url}", l.slug)),
            })
            .collect();
        if self.model.pairing.english.articles.contains_key(path) {
            let english = self.english_lang();
            alts.push(Alternate {
                hreflang: "x-default".into(),
                href: self.absolute(
                    &english.slug,
                    &url,
                    &format!("{root}{}/{url}", english.slug),
                ),
            });
        }
        alts
    }

    /// The language switcher of an article: the same article in every
    /// language (its fallback page where the language lacks it), else the
    /// language's index.
    fn switcher(&self, lang: &Lang, path: &str, root: &str) -> Vec<LanguageLink> {
        let url = page_url(path);
        let plan = Plan::new(&self.model.pairing);
        self.langs
            .iter()
            .map(|l| LanguageLink {
                tag: l.tag.clone(),
                name: l.name.clone(),
                href: if plan.has_page(l, path) {
                    format!("{root}{}/{url}", l.slug)
                } else {
                    format!("{root}{}/index.html", l.slug)
                },
                dir: l.dir,
                current: l.tag == lang.tag,
                translated: plan.translated(l, path),
            })
            .collect()
    }
}

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
