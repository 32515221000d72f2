//! The pages that list others: each language's index and 404 page, each
//! article's language chooser, and the site's root index, 404 page and
//! translation status page. Made from
//! the model alone (titles and states are stage-3 data), so they are the
//! same whichever languages a run builds.

use super::article::CHOOSERS;
use super::plan::{entry, Job, Lang};
use super::Pages;
use crate::pair::ArticleState;
use crate::render::links::{page_file, page_url};
use crate::url;
use crate::view::*;
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};

/// The site's own pages at its root, in the order they are written.
pub const ROOT_PAGES: [&str; 3] = ["index.html", "404.html", "status.html"];

impl<'p> Pages<'p> {
    /// `<lang>/index.html`: the language's articles grouped by folder,
    /// sorted in the language's order.
    pub fn index(&self, lang: &Lang, jobs: &[(&str, Job)]) -> Result<Vec<u8>> {
        let collator = crate::collate::Collator::new(&lang.tag);
        let english_tag = &self.english_lang().tag;
        let mut groups: BTreeMap<String, Vec<(String, IndexEntry)>> = BTreeMap::new();
        for (path, job) in jobs {
            let (title, state) = entry(path, job);
            let folder = path
                .rsplit_once('/')
                .map_or(String::new(), |(f, _)| f.to_string());
            let english_title = matches!(job, Job::Fallback(_)) || lang.is_english();
            let e = IndexEntry {
                title: title.clone(),
                href: url::here(&page_url(path)),
                lang: if english_title {
                    english_tag.clone()
                } else {
                    lang.tag.clone()
                },
                state,
                anchor: None,
            };
            groups.entry(folder).or_default().push((title, e));
        }
        let general = self.string(lang, "general");
        let groups = groups
            .into_iter()
            .enumerate()
            .map(|(n, (folder, mut entries))| {
                entries.sort_by(|a, b| {
                    collator
                        .compare(&a.0, &b.0)
                        .then_with(|| a.1.href.cmp(&b.1.href))
                });
                let titles: Vec<&str> = entries.iter().map(|(t, _)| t.as_str()).collect();
                let (jumps, anchors) = super::jumps::jumps(&lang.tag, n + 1, &titles);
                IndexGroup {
                    name: if folder.is_empty() {
                        general.clone()
                    } else {
                        folder
                    },
                    articles: entries
                        .into_iter()
                        .zip(anchors)
                        .map(|((_, e), anchor)| IndexEntry { anchor, ..e })
                        .collect(),
                    jumps,
                }
            })
            .collect();
        let mut page = self.page(lang, "../", self.string(lang, "all_articles"));
        page.chooser = Some("../index.html".into());
        page.canonical = Some(self.absolute(&lang.slug, "index.html", "index.html"));
        let english = self.english_lang();
        page.alternates = self
            .langs
            .iter()
            .map(|l| Alternate {
                hreflang: l.tag.clone(),
                href: self.absolute(&l.slug, "index.html", &format!("../{}/index.html", l.slug)),
            })
            .chain(std::iter::once(Alternate {
                hreflang: "x-default".into(),
                href: self.absolute(
                    &english.slug,
                    "index.html",
                    &format!("../{}/index.html", english.slug),
                ),
            }))
            .collect();
        page.index = Some(IndexView { groups });
        self.template("index.html", &page)
    }

    /// `<lang>/404.html`. A server shows 404 pages at any path, so their
    /// links start at the site's place on the server ([`Self::server_root`]).
    pub fn not_found(&self, lang: &Lang) -> Result<Vec<u8>> {
        let root = self.server_root();
        let mut page = self.page(lang, &root, self.string(lang, "not_found_title"));
        page.robots = Some("noindex".into());
        page.chooser = Some(format!("{root}index.html"));
        self.template("404.html", &page)
    }

    /// Where the site sits on its server, for the links of 404 pages: the
    /// path of `site-url` (`https://x.github.io/repo/` → `/repo/`) when it
    /// is set, else the server's root `/`.
    fn server_root(&self) -> String {
        match &self.model.config().html.site_url {
            Some(site) => crate::url::site_path(site),
            None => "/".to_string(),
        }
    }

    /// The site's own files: root index, root 404 page, status page,
    /// sitemap index, `robots.txt` and `CNAME`, as (path, bytes).
    pub fn root_files(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let mut out = Vec::new();
        for name in ROOT_PAGES {
            if let Some(bytes) = self.root_page(name)? {
                out.push((name.to_string(), bytes));
            }
        }
        out.push(("sitemap.xml".into(), self.sitemap_index().into_bytes()));
        if let Some(robots) = self.robots_txt() {
            out.push(("robots.txt".into(), robots.into_bytes()));
        }
        if let Some(name) = &self.model.config().html.cname {
            out.push(("CNAME".into(), format!("{name}\n").into_bytes()));
        }
        Ok(out)
    }

    /// One of the site's own pages ([`ROOT_PAGES`]): None for a name that
    /// is not one, or the status page when `status-page` is off.
    pub fn root_page(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let config = self.model.config();
        let english = self.english_lang();
        let bytes = match name {
            "index.html" => {
                let mut page = self.page(english, "", config.title.clone());
                page.home = "index.html".into();
                page.status_href = config.html.status_page.then(|| "status.html".to_string());
                page.root_languages = self.language_links("", "", "index.html");
                page.description = config.description.clone();
                self.template("root.html", &page)?
            }
            "404.html" => {
                let root = self.server_root();
                let mut missing =
                    self.page(english, &root, self.string(english, "not_found_title"));
                missing.home = format!("{root}index.html");
                missing.robots = Some("noindex".into());
                self.template("404.html", &missing)?
            }
            "status.html" if config.html.status_page => {
                let mut page = self.page(english, "", self.string(english, "status_title"));
                page.home = "index.html".into();
                page.status = Some(self.status_view());
                self.template("status.html", &page)?
            }
            _ => return Ok(None),
        };
        Ok(Some(bytes))
    }

    /// The status page's rows: per locale, how many articles are current,
    /// outdated and missing, and the outdated ones.
    fn status_view(&self) -> StatusView {
        let english = &self.model.pairing.english;
        let total = english.articles.len();
        let rows = self
            .langs
            .iter()
            .filter(|l| !l.is_english())
            .map(|l| {
                let states: BTreeMap<&str, ArticleState> =
                    l.articles.iter().map(|(p, b)| (p, b.state)).collect();
                let count = |s: ArticleState| states.values().filter(|x| **x == s).count();
                let (current, outdated) =
                    (count(ArticleState::Current), count(ArticleState::Outdated));
                let missing = english
                    .articles
                    .keys()
                    .filter(|p| !l.articles.contains_key(p.as_str()))
                    .count();
                let scale = |n: usize| {
                    if total == 0 {
                        0
                    } else {
                        (n * 200 / total.max(1)) as u32
                    }
                };
                let (wc, wo) = (scale(current), scale(outdated));
                let outdated_articles = states
                    .iter()
                    .filter(|(_, s)| **s == ArticleState::Outdated)
                    .map(|(p, _)| IndexEntry {
                        title: l
                            .articles
                            .get(p)
                            .and_then(|b| b.title.as_deref())
                            .unwrap_or(p)
                            .to_string(),
                        href: format!("{}/{}", l.slug, page_url(p)),
                        lang: l.tag.clone(),
                        state: "outdated",
                        anchor: None,
                    })
                    .collect();
                StatusRow {
                    tag: l.tag.clone(),
                    name: l.name.clone(),
                    dir: l.dir,
                    href: format!("{}/index.html", l.slug),
                    total,
                    current,
                    outdated,
                    missing,
                    w_current: wc,
                    w_outdated: wo,
                    x_missing: wc + wo,
                    w_missing: 200u32
                        .saturating_sub(wc + wo)
                        .min(scale(missing).max(if missing > 0 { 1 } else { 0 })),
                    outdated_articles,
                }
            })
            .collect();
        StatusView { rows }
    }

    /// Links to one page (`page`, relative to a language folder) in every
    /// language, from a page at depth `root`.
    pub(super) fn language_links(
        &self,
        root: &str,
        current: &str,
        page: &str,
    ) -> Vec<LanguageLink> {
        self.langs
            .iter()
            .map(|l| LanguageLink {
                tag: l.tag.clone(),
                name: l.name.clone(),
                href: format!("{root}{}/{page}", l.slug),
                dir: l.dir,
                current: l.tag == current,
                translated: true,
                missing: String::new(),
            })
            .collect()
    }

    /// The paths of every article some language has a page for: each has a
    /// language chooser page.
    pub fn chooser_paths(&self) -> BTreeSet<&'p str> {
        let mut paths: BTreeSet<&'p str> = self
            .model
            .pairing
            .english
            .articles
            .keys()
            .map(String::as_str)
            .collect();
        for l in &self.langs {
            paths.extend(l.articles.keys());
        }
        paths
    }

    /// `languages/<article>.html`: the article's language chooser, one page
    /// shared by every language's copy of it. It lists the article in every
    /// language (that language's index where it has no page), each name in
    /// its own language, marking the languages that show the English. The
    /// article pages' language switcher links here, and the theme's script
    /// opens this list in place. Made from the model alone, so every
    /// `--locale` shard writes the same file. Returns (path, bytes).
    pub fn chooser(&self, path: &str) -> Result<(String, Vec<u8>)> {
        let url = page_url(path);
        let root = "../".repeat(url.matches('/').count() + 1);
        let english = self.english_lang();
        let title = self
            .model
            .pairing
            .english
            .articles
            .get(path)
            .and_then(|e| e.title.clone())
            .or_else(|| {
                self.langs
                    .iter()
                    .find_map(|l| l.articles.get(path).and_then(|b| b.title.as_deref()))
                    .map(str::to_string)
            })
            .unwrap_or_else(|| path.to_string());
        let plan = &self.plan;
        let mut page = self.page(english, &root, title);
        page.robots = Some("noindex".into());
        page.languages = self
            .langs
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
                current: false,
                translated: plan.translated(l, path),
                missing: self.string(l, "status_missing"),
            })
            .collect();
        let file = format!("{CHOOSERS}/{}", page_file(path));
        Ok((file, self.template("languages.html", &page)?))
    }
}
