//! Stages 4–6 of the pipeline: the pages of every language, rendered,
//! checked, filled into the theme's templates and handed to the output.
//!
//! ```text
//! index.html  404.html  status.html  sitemap.xml  robots.txt  static/  media/
//! languages/ <article>.html …                      each article's language
//!                                                  chooser, shared by its
//!                                                  languages
//! en-us/ index.html 404.html sitemap.xml <article>.html …   the English
//! zh-cn/ index.html 404.html sitemap.xml <article>.html …   each locale; an article the
//!                                                  locale lacks is the English
//!                                                  with a "not yet translated"
//!                                                  banner (noindex, canonical
//!                                                  to the English page)
//! ```
//!
//! - [`plan`]: the languages and the page at each path ([`plan::Job`]);
//! - [`body`]: one page body rendered, and `#fragment` links checked;
//! - [`article`], [`bilingual`], [`lists`], [`sitemap`]: the page views
//!   and files;
//! - [`media`]: images, named by content and shared by the languages;
//! - [`incremental`]: `serve`'s rebuild of the pages a change touches,
//!   through [`Pages::page_files`] like the full build.
//!
//! Languages are built one after another (each in parallel over its pages),
//! so what these stages hold grows with the largest language. With a lean
//! model (`build`, `check`) each language's articles are read again when
//! its turn comes ([`crate::pipeline::Model::language`]) and dropped once
//! its pages are written; the model keeps a brief of the others.
//! Links between pages are relative, so the site works from disk and from
//! any server path.

pub mod article;
pub mod bilingual;
pub mod body;
pub mod incremental;
pub mod jumps;
pub mod lists;
pub mod media;
pub mod plan;
pub mod sitemap;
pub mod svg;

use crate::diag::Finding;
use crate::pipeline::{Model, Output};
use crate::render::links::{page_file, page_url, FragmentRef};
use crate::render::Rendered;
use crate::search;
use crate::theme::Theme;
use crate::timing::{Stage, Stages};
use crate::view::Page;
use crate::write::Sink;
use anyhow::Result;
use body::{Bodies, Body, Parts};
use plan::{Job, Lang, Plan};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What stages 4–6 made, besides the files.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Pages written per language tag, in build order (English first).
    pub pages: Vec<(String, usize)>,
    /// Sitemap files written per language tag.
    pub sitemaps: HashMap<String, usize>,
    /// Per language tag, the digest of each page's title and state
    /// ([`plan::digest`]) in the order of [`Plan::paths`] (None: no page
    /// there). `serve` keeps them to know when a change must write a
    /// language's lists again ([`incremental::Memo`]).
    pub entries: HashMap<String, Vec<Option<u64>>>,
    /// Per language tag, the folder of its search index (`search/<F>/`,
    /// [`search::format`]), for `serve` to remove when it is two indexes old.
    pub search: HashMap<String, String>,
}

/// Renders (and, for [`Output::Site`], writes) the English and the locales
/// of `only` (all when empty), keeping the findings of stage 4 in
/// `findings`, language by language.
pub fn run(
    model: &Model,
    theme: &Theme,
    only: &[String],
    out: &Output,
    stages: &Stages,
    findings: &mut crate::pipeline::Spill,
) -> Result<Outcome> {
    let indexed;
    let media = match out {
        Output::Site {
            media: Some(media), ..
        } => *media,
        _ => {
            indexed = media::Media::index(&model.project)?;
            &indexed
        }
    };
    findings.keep(media.refused().to_vec());
    let pages = Pages::new(model, theme, media, stages);
    let mut fallbacks: HashMap<String, Rendered> = HashMap::new();
    let mut outcome = Outcome::default();
    let work: Vec<&Lang> = pages
        .langs
        .iter()
        .filter(|l| l.is_english() || chosen(only, l))
        .collect();
    findings.keep(no_strings(model, theme, &work));
    // Each page counts once rendered and, for a site, once written.
    let per_page = if matches!(out, Output::Site { .. }) {
        2
    } else {
        1
    };
    let total: usize = work
        .iter()
        .map(|lang| pages.plan.paths(lang).len() * per_page)
        .sum();
    stages.progress.items(total as u64);
    // The language whose pages were written last: its articles and
    // bodies, freed on the pool while the next language is read (freed
    // on this thread, one by one, they kept the pool waiting).
    let mut done = None;
    for lang in work {
        stages.progress.step(&lang.tag);
        // A lean model's language is read again here, and dropped once
        // its pages are written.
        let (read, ()) = rayon::join(
            || lang.locale.map(|i| model.language(i, stages)),
            || drop(done.take()),
        );
        if let Some(read) = &read {
            findings.keep(read.findings.clone());
        }
        let jobs = pages.plan.jobs(lang, read.as_ref());
        let (bodies, found) = pages.render_language(lang, &jobs, &fallbacks);
        findings.keep(found);
        if let Output::Site { sink, .. } = out {
            if let Some(folder) = pages.write_language(lang, &jobs, &bodies, &fallbacks, *sink)? {
                outcome.search.insert(lang.tag.clone(), folder);
            }
            outcome.pages.push((lang.tag.clone(), jobs.len() + 2));
            let entries = pages.entries(lang, &jobs);
            outcome.entries.insert(lang.tag.clone(), entries);
        }
        let bodies = if lang.is_english() {
            fallbacks = pages.kept_for_fallbacks(&jobs, bodies);
            Vec::new()
        } else {
            bodies
        };
        drop(jobs);
        done = Some((read, bodies));
    }
    let (shared, ()) = rayon::join(
        || match out {
            Output::Site { sink, .. } => pages.write_shared(*sink),
            Output::None => Ok(Vec::new()),
        },
        || drop(done),
    );
    findings.keep(shared?);
    outcome.sitemaps = pages
        .sitemap_files
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    Ok(outcome)
}

/// A note for each language of `work` the theme has no UI strings for
/// (neither its tag nor its language): its readers get English chrome.
fn no_strings(model: &Model, theme: &Theme, work: &[&Lang]) -> Vec<Finding> {
    work.iter()
        .filter(|lang| !lang.is_english() && !theme.has_strings(&lang.tag))
        .filter_map(|lang| {
            let locale = &model.project.locales[lang.locale?];
            let primary = crate::locale::primary(&lang.tag);
            let mut f = Finding::new(
                crate::diag::lint::THEME_NO_STRINGS,
                &locale.dir.display().to_string(),
                crate::diag::Pos::START,
                format!(
                    "the theme has no UI strings for {tag}: its pages' buttons, labels and \
                     banners are in English; add i18n/{primary}.toml to the theme \
                     (docs/theme.md, \"Adding a language\")",
                    tag = lang.tag
                ),
            );
            f.locale = Some(lang.tag.as_str().into());
            Some(f)
        })
        .collect()
}

fn chosen(only: &[String], lang: &Lang) -> bool {
    only.is_empty() || only.iter().any(|o| o.eq_ignore_ascii_case(&lang.tag))
}

/// The English sentences the page `job` is also found by in its
/// language's search index: a translation's, the English it was translated
/// from; none for an English page. None for a page that is not searched:
/// a fallback page is the English's.
pub fn searched_english<'p>(job: &Job<'p>) -> Option<Vec<&'p str>> {
    match *job {
        Job::Translation(a, _) => Some(a.segments.iter().map(|s| s.source(a)).collect()),
        Job::English(_) => Some(Vec::new()),
        Job::Fallback(_) => None,
    }
}

/// Everything the pages of one run share.
pub struct Pages<'p> {
    pub model: &'p Model,
    theme: &'p Theme,
    pub langs: Vec<Lang<'p>>,
    pub plan: Plan<'p>,
    pub bodies: Bodies<'p>,
    css: String,
    js: String,
    stages: &'p Stages,
    /// English words, stems and source fields, shared by the languages'
    /// search indexes.
    english_stems: Arc<search::EnglishStems>,
    /// The languages of each article path, for the sitemaps
    /// ([`Pages::versions`](sitemap)).
    versions: std::sync::OnceLock<Vec<sitemap::Version>>,
    /// Per language tag: how many sitemap files it got in this run
    /// ([`Pages::language_sitemaps`]), for the sitemap index.
    sitemap_files: std::sync::Mutex<HashMap<String, usize>>,
}

/// One page's files: the article page, and for a translation its Show
/// English data and side-by-side page; its title and its search text.
pub struct PageFiles {
    pub files: Vec<(String, Vec<u8>)>,
    pub title: String,
}

impl<'p> Pages<'p> {
    pub fn new(
        model: &'p Model,
        theme: &'p Theme,
        media: &'p media::Media,
        stages: &'p Stages,
    ) -> Pages<'p> {
        let config = model.config();
        Pages {
            model,
            theme,
            langs: plan::languages(&model.project, &model.pairing, theme),
            plan: Plan::new(&model.pairing),
            bodies: Bodies {
                project: &model.project,
                english: &model.pairing.english,
                includes: &model.includes,
                media,
                sanitizer: crate::render::sanitize::Sanitizer::new(&config.html.video_hosts),
            },
            css: theme.asset("style.css"),
            js: theme.asset("helpbook.js"),
            stages,
            english_stems: Arc::default(),
            versions: std::sync::OnceLock::new(),
            sitemap_files: std::sync::Mutex::default(),
        }
    }

    /// The digest of each page's title and state in `lang`, in the order
    /// of [`Plan::paths`] (None where `jobs` has no page).
    pub fn entries(&self, lang: &Lang, jobs: &[(&str, Job)]) -> Vec<Option<u64>> {
        let mut jobs = jobs.iter().peekable();
        self.plan
            .paths(lang)
            .into_iter()
            .map(|path| {
                let (_, job) = jobs.next_if(|(p, _)| *p == path)?;
                Some(plan::digest(path, job))
            })
            .collect()
    }

    /// Stage 4 for one language: every page body rendered in parallel
    /// (fallback pages reuse the English renders), `#fragment` links
    /// checked against the pages they name, and the pages with broken ones
    /// rendered again without them. Returns the bodies (None for fallback
    /// pages) and the findings.
    fn render_language(
        &self,
        lang: &Lang,
        jobs: &[(&'p str, Job<'p>)],
        fallbacks: &HashMap<String, Rendered>,
    ) -> (Vec<Option<Body>>, Vec<Finding>) {
        let exists: HashSet<&str> = jobs.iter().map(|(p, _)| *p).collect();
        let none = HashSet::new();
        // A fallback page reuses the English render, when there is one (a
        // translation that could not be read again has none).
        let render = |(path, job): &(&str, Job), bad: &HashSet<FragmentRef>| match job {
            Job::Fallback(_) if fallbacks.contains_key(*path) => None,
            _ => Some(self.stages.time(Stage::Render, || {
                self.bodies
                    .render(lang, path, job, &exists, bad, Parts::All)
            })),
        };
        let mut bodies: Vec<Option<Body>> = jobs
            .par_iter()
            .map(|j| {
                let body = render(j, &none);
                self.stages.progress.inc(1);
                body
            })
            .collect();
        let by_path: HashMap<&str, usize> =
            jobs.iter().enumerate().map(|(i, (p, _))| (*p, i)).collect();
        // Every page's fragment links are checked (a broken one is dropped
        // from the page); the pages that report findings report them.
        let (mut findings, bad) = body::check_fragments(
            jobs.iter().zip(&bodies).filter_map(|((p, job), b)| {
                let refs = b.as_ref()?.fragments.as_slice();
                if refs.is_empty() {
                    return None;
                }
                let file = body::reports(job).then(|| self.file_of(lang, p));
                Some((*p, file, refs))
            }),
            |target| match by_path.get(target).map(|&i| &bodies[i]) {
                Some(Some(b)) => Some(&b.rendered),
                Some(None) => fallbacks.get(target),
                None => None,
            },
        );
        if !bad.is_empty() {
            let redo: Vec<usize> = bodies
                .iter()
                .enumerate()
                .filter(|(_, b)| {
                    b.as_ref()
                        .is_some_and(|b| b.fragments.iter().any(|(f, _)| bad.contains(f)))
                })
                .map(|(i, _)| i)
                .collect();
            let again: Vec<(usize, Option<Body>)> = redo
                .par_iter()
                .map(|&i| (i, render(&jobs[i], &bad)))
                .collect();
            for (i, b) in again {
                bodies[i] = b;
            }
        }
        for ((_, job), b) in jobs.iter().zip(&bodies) {
            if let Some(b) = b {
                findings.extend(body::findings(job, &b.rendered));
            }
        }
        if let Some(i) = lang.locale {
            let tag = &self.model.project.locales[i].tag;
            for f in &mut findings {
                f.locale.get_or_insert_with(|| tag.as_str().into());
            }
        }
        (bodies, findings)
    }

    /// Stages 5–6 for one language: its article pages (with their
    /// bilingual views), its search index, index, 404 page and sitemaps.
    /// Returns the folder of the search index (None: search is off).
    fn write_language(
        &self,
        lang: &Lang,
        jobs: &[(&str, Job)],
        bodies: &[Option<Body>],
        fallbacks: &HashMap<String, Rendered>,
        sink: &dyn Sink,
    ) -> Result<Option<String>> {
        let index = self.search_index(lang);
        jobs.par_iter().zip(bodies.par_iter()).try_for_each(
            |((path, job), body)| -> Result<()> {
                let rendered = match body {
                    Some(b) => &b.rendered,
                    None => &fallbacks[*path],
                };
                let page = self.page_files(lang, path, job, body.as_ref(), rendered)?;
                for (file, bytes) in page.files {
                    self.stages.time(Stage::Write, || sink.put(&file, bytes))?;
                }
                if let Some(index) = &index {
                    self.index_page(index, path, job, &page.title, rendered);
                }
                self.stages.progress.inc(1);
                Ok(())
            },
        )?;
        let (search, lists) = rayon::join(
            || match index {
                Some(index) => self.write_search(lang, index, sink).map(Some),
                None => Ok(None),
            },
            || -> Result<()> {
                sink.put(
                    &format!("{}/index.html", lang.slug),
                    self.index(lang, jobs)?,
                )?;
                sink.put(&format!("{}/404.html", lang.slug), self.not_found(lang)?)?;
                for (file, bytes) in self.language_sitemaps(lang) {
                    sink.put(&file, bytes)?;
                }
                Ok(())
            },
        );
        lists?;
        search
    }

    /// An empty search index for `lang`, when search is on.
    pub fn search_index(&self, lang: &Lang) -> Option<search::Index> {
        self.model
            .config()
            .html
            .search
            .enabled
            .then(|| search::Index::sharing(&lang.tag, Arc::clone(&self.english_stems)))
    }

    /// Adds the page `job` at `path`, titled `title`, to its language's
    /// search `index` (fallback pages are not searched: they are the
    /// English's), for the full build and `serve`'s rebuild alike.
    pub fn index_page(
        &self,
        index: &search::Index,
        path: &str,
        job: &Job,
        title: &str,
        rendered: &Rendered,
    ) {
        let Some(english) = searched_english(job) else {
            return;
        };
        self.stages.time(Stage::Search, || {
            index.add(&page_url(path), title, &rendered.html, &english)
        });
    }

    /// Writes the finished search `index` of `lang` into its `search/`
    /// folder, `meta.json` last, and returns the name of the folder of its
    /// other files ([`search::format`]).
    pub fn write_search(
        &self,
        lang: &Lang,
        index: search::Index,
        sink: &dyn Sink,
    ) -> Result<String> {
        let index = self.stages.time(Stage::Search, || index.finish());
        for (file, bytes) in index.files {
            sink.put(&format!("{}/search/{file}", lang.slug), bytes)?;
        }
        Ok(index.folder)
    }

    /// The files of one article page of `lang` (stage 5), for the full
    /// build and `serve`'s rebuild alike.
    pub fn page_files(
        &self,
        lang: &Lang,
        path: &str,
        job: &Job,
        body: Option<&Body>,
        rendered: &Rendered,
    ) -> Result<PageFiles> {
        let page = self.article(lang, path, job, rendered);
        let html = self.template("article.html", &page)?;
        let mut files = vec![(format!("{}/{}", lang.slug, page_file(path)), html)];
        if let (Job::Translation(a, fresh), Some(body)) = (job, body) {
            files.extend(self.bilingual(lang, path, a, fresh, body, &page)?);
        }
        Ok(PageFiles {
            files,
            title: page.title,
        })
    }

    /// The site's files that do not belong to one language: root pages,
    /// sitemap, the articles' language choosers, theme assets, media. The
    /// findings are the media files left out ([`media::Media::copy_into`]).
    fn write_shared(&self, sink: &dyn Sink) -> Result<Vec<Finding>> {
        for (file, bytes) in self.root_files()? {
            sink.put(&file, bytes)?;
        }
        let choosers: Vec<&str> = self.chooser_paths().into_iter().collect();
        choosers.par_iter().try_for_each(|path| -> Result<()> {
            let (file, bytes) = self.chooser(path)?;
            sink.put(&file, bytes)
        })?;
        for asset in &self.theme.assets {
            sink.put(&asset.path, &asset.bytes)?;
        }
        self.bodies.media.copy_into(sink)
    }

    /// The English renders other languages' fallback pages reuse.
    fn kept_for_fallbacks(
        &self,
        jobs: &[(&str, Job)],
        bodies: Vec<Option<Body>>,
    ) -> HashMap<String, Rendered> {
        let needed: HashSet<&str> = self
            .langs
            .iter()
            .filter(|l| !l.is_english())
            .flat_map(|l| {
                self.model
                    .pairing
                    .english
                    .articles
                    .keys()
                    .map(String::as_str)
                    .filter(|p| !l.articles.contains_key(p))
            })
            .collect();
        jobs.iter()
            .zip(bodies)
            .filter(|((p, _), _)| needed.contains(p))
            .filter_map(|((p, _), b)| b.map(|b| (p.to_string(), b.rendered)))
            .collect()
    }

    /// The file a page comes from, as shown in findings.
    fn file_of(&self, lang: &Lang, path: &str) -> String {
        let locale = lang.locale.map(|i| &self.model.project.locales[i]);
        match locale.filter(|_| lang.articles.contains_key(path)) {
            Some(l) => crate::load::shown(&l.dir, path),
            None => self
                .model
                .pairing
                .english
                .articles
                .get(path)
                .and_then(|e| self.bodies.origin(e))
                .map_or_else(|| path.to_string(), |a| a.file.clone()),
        }
    }

    /// A UI string of `lang` (empty when the theme has none).
    fn string(&self, lang: &Lang, key: &str) -> String {
        lang.ui.strings().get(key).cloned().unwrap_or_default()
    }

    /// Fills template `name`.
    fn template(&self, name: &str, page: &Page) -> Result<Vec<u8>> {
        self.stages
            .time(Stage::Template, || self.theme.render(name, page))
    }

    fn english_lang(&self) -> &Lang<'p> {
        &self.langs[0]
    }

    /// A URL for the canonical and alternate links: absolute under `site-url`
    /// when it is set, else the relative `fallback`.
    fn absolute(&self, slug: &str, url: &str, fallback: &str) -> String {
        match &self.model.config().html.site_url {
            Some(base) => format!("{}/{slug}/{url}", base.trim_end_matches('/')),
            None => fallback.to_string(),
        }
    }

    /// The common fields of a page of `lang` at depth `root`.
    fn page(&self, lang: &Lang, root: &str, title: String) -> Page {
        let config = self.model.config();
        let site_title = config
            .language(&lang.tag)
            .and_then(|l| l.title.clone())
            .unwrap_or_else(|| config.title.clone());
        Page {
            site_title,
            lang: lang.tag.clone(),
            dir: lang.dir,
            title,
            description: None,
            root: root.to_string(),
            css: self.css.clone(),
            js: self.js.clone(),
            canonical: None,
            alternates: Vec::new(),
            robots: None,
            t: lang.ui.clone(),
            languages: Vec::new(),
            chooser: None,
            current_language: lang.name.clone(),
            english_lang: config.source_language.clone(),
            home: format!("{root}{}/index.html", lang.slug),
            status_href: config
                .html
                .status_page
                .then(|| format!("{root}status.html")),
            article: None,
            index: None,
            status: None,
            root_languages: Vec::new(),
            side_by_side: None,
            search: config
                .html
                .search
                .enabled
                .then(|| format!("{root}{}/search/", lang.slug)),
        }
    }
}
