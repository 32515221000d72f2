//! Stage 5: the site. Plans every page of every language, renders the
//! articles (in parallel), fills the theme's templates and hands the files to
//! the staging folder.
//!
//! Layout of the output (DESIGN §5):
//!
//! ```text
//! index.html  404.html  status.html  sitemap.xml  static/  media/
//! en-us/ index.html 404.html <article>.html …      the English
//! zh-cn/ index.html 404.html <article>.html …      each locale; an article the
//!                                                  locale lacks is the English
//!                                                  with a "not yet translated"
//!                                                  banner (noindex, canonical
//!                                                  to the English page)
//! ```
//!
//! Languages are built one after another (each in parallel over its pages),
//! so memory grows with the largest language, not with their number. Links
//! between pages are relative, so the site works from disk and from any
//! server path.

use crate::diag::{lint, Finding, Pos};
use crate::load::Project;
use crate::model::Article;
use crate::pair::{self, ArticleState, English, EnglishArticle, Origin};
use crate::render::links::{page_file, page_url, FragmentRef, SiteLinks};
use crate::render::segments::{Mark, Style as MarkStyle};
use crate::render::{self, includes, AlertTitles, Rendered};
use crate::search;
use crate::theme::{Strings, Theme, Ui};
use crate::timing::{Stage, Stages};
use crate::url;
use crate::view::*;
use crate::write::{Sink, Staging};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a build produced.
#[derive(Debug, Default)]
pub struct Summary {
    /// Pages written per language tag, in build order (English first).
    pub pages: Vec<(String, usize)>,
    pub findings: Vec<Finding>,
}

/// One language of the site.
struct Lang<'p> {
    tag: String,
    slug: String,
    name: String,
    dir: &'static str,
    /// Its UI strings, ready for the templates too.
    ui: Ui,
    /// Its translated articles by path (empty for the English).
    articles: BTreeMap<&'p str, &'p Article>,
    is_english: bool,
}

/// Everything shared by the pages of one build.
struct Site<'p> {
    project: &'p Project,
    english: &'p English,
    theme: &'p Theme,
    langs: Vec<Lang<'p>>,
    sanitizer: render::sanitize::Sanitizer,
    /// Content file (locale tag, path in the locale folder) → output path.
    media: HashMap<(String, String), String>,
    /// Media output path → a source file to copy.
    media_files: BTreeMap<String, PathBuf>,
    css: String,
    js: String,
    stages: &'p Stages,
    /// English stems, shared by the languages' search indexes.
    english_stems: Arc<search::EnglishStems>,
    /// The content folder: nothing is read from outside it.
    jail: crate::fs::Jail,
}

/// Builds the site of `project` into `staging`. `only`: build these locales
/// (and the English); empty for all.
pub fn build(
    project: &Project,
    english: &English,
    theme: &Theme,
    staging: &Staging,
    only: &[String],
) -> Result<Summary> {
    build_timed(project, english, theme, staging, only, &Stages::default())
}

/// [`build`], adding the time spent in each stage to `stages`.
pub fn build_timed(
    project: &Project,
    english: &English,
    theme: &Theme,
    staging: &Staging,
    only: &[String],
    stages: &Stages,
) -> Result<Summary> {
    let langs = languages(project, theme, only);
    let (media, media_files) = media_index(project)?;
    let site = Site {
        project,
        english,
        theme,
        langs,
        sanitizer: render::sanitize::Sanitizer::new(&project.config.html.video_hosts),
        media,
        media_files,
        css: theme.asset("style.css"),
        js: theme.asset("helpbook.js"),
        stages,
        english_stems: Arc::default(),
        jail: crate::fs::Jail::new(&project.config.content_dir)?,
    };
    let mut summary = Summary::default();
    for l in &project.locales {
        if site.langs.iter().any(|x| x.tag == l.tag) {
            for a in &l.articles {
                summary.findings.extend(a.findings.iter().cloned());
            }
        }
    }
    summary.findings.extend(project.findings.iter().cloned());

    // The English first: fallback pages in other languages reuse its renders.
    let mut fallback_renders: HashMap<String, Rendered> = HashMap::new();
    let mut states: Vec<BTreeMap<String, ArticleState>> = Vec::new();
    for (i, lang) in site.langs.iter().enumerate() {
        let built = site.build_language(i, &fallback_renders, staging)?;
        if lang.is_english {
            fallback_renders = built.keep;
        }
        summary.pages.push((lang.tag.clone(), built.pages));
        summary.findings.extend(built.findings);
        states.push(built.states);
    }
    site.write_root(staging, &states)?;
    for asset in &theme.assets {
        staging.put(&asset.path, &asset.bytes)?;
    }
    for (out, from) in &site.media_files {
        staging.copy(from, out)?;
    }
    Ok(summary)
}

/// The English, then every locale (sorted by tag), with their strings.
fn languages<'p>(project: &'p Project, theme: &Theme, only: &[String]) -> Vec<Lang<'p>> {
    let config = &project.config;
    let lang = |tag: &str, articles: BTreeMap<&'p str, &'p Article>, is_english: bool| {
        let settings = config.language(tag);
        Lang {
            tag: tag.to_string(),
            slug: crate::locale::slug(tag),
            name: settings
                .and_then(|s| s.name.clone())
                .unwrap_or_else(|| crate::locale::autonym(tag)),
            dir: match settings.and_then(|s| s.dir.as_deref()) {
                Some("rtl") => "rtl",
                Some(_) => "ltr",
                None => crate::locale::direction(tag),
            },
            ui: Ui::new(theme.strings(tag)),
            articles,
            is_english,
        }
    };
    let mut out = vec![lang(&config.source_language, BTreeMap::new(), true)];
    for l in &project.locales {
        if !only.is_empty() && !only.iter().any(|o| o.eq_ignore_ascii_case(&l.tag)) {
            continue;
        }
        let articles = l.articles.iter().map(|a| (a.path.as_str(), a)).collect();
        out.push(lang(&l.tag, articles, false));
    }
    out
}

/// Finds the images and other files of every locale folder, and names each
/// by its content so that locales sharing a file share one copy.
#[allow(clippy::type_complexity)]
fn media_index(
    project: &Project,
) -> Result<(HashMap<(String, String), String>, BTreeMap<String, PathBuf>)> {
    const EXTENSIONS: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "pdf", "zip",
    ];
    let mut by_file = HashMap::new();
    let mut files = BTreeMap::new();
    let folders = project.locales.iter().chain(project.english.iter());
    for locale in folders {
        for entry in walkdir::WalkDir::new(&locale.dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let Some(ext) = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
            else {
                continue;
            };
            if !EXTENSIONS.contains(&ext.as_str()) {
                continue;
            }
            let Ok(rel) = path.strip_prefix(&locale.dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let bytes = crate::fs::read(path)?;
            let hash = blake3::hash(&bytes).to_hex();
            let out = format!("media/{}.{ext}", &hash.as_str()[..16]);
            files
                .entry(out.clone())
                .or_insert_with(|| path.to_path_buf());
            by_file.insert((locale.tag.clone(), rel), out);
        }
    }
    Ok((by_file, files))
}

/// A page of one language.
enum Job<'p> {
    /// A translated article.
    Translation(&'p Article),
    /// The English article, on the English site.
    English(&'p EnglishArticle),
    /// The English shown where the language lacks the article.
    Fallback(&'p EnglishArticle),
}

struct Built {
    pages: usize,
    findings: Vec<Finding>,
    /// English renders kept for other languages' fallback pages.
    keep: HashMap<String, Rendered>,
    /// State of every article in this language, by path.
    states: BTreeMap<String, ArticleState>,
}

/// A written page: its path, state, findings and title.
type PageOutcome = (String, ArticleState, Vec<Finding>, Option<String>);

/// Rendering of one page: the HTML and what was learnt while making it.
struct PageRender {
    rendered: Rendered,
    fragments: Vec<FragmentRef>,
    /// For a translation: how it compares with the English.
    fresh: Option<pair::Freshness>,
    /// For a translation: each pair's translation and English, rendered inline.
    pairs_html: Vec<(String, String)>,
}

impl<'p> Site<'p> {
    fn build_language(
        &self,
        li: usize,
        fallbacks: &HashMap<String, Rendered>,
        staging: &dyn Sink,
    ) -> Result<Built> {
        let lang = &self.langs[li];
        let mut jobs: Vec<(&str, Job)> = Vec::new();
        if lang.is_english {
            for (path, e) in &self.english.articles {
                jobs.push((path, Job::English(e)));
            }
        } else {
            let mut paths: BTreeSet<&str> = lang.articles.keys().copied().collect();
            paths.extend(self.english.articles.keys().map(String::as_str));
            for path in paths {
                match (lang.articles.get(path), self.english.articles.get(path)) {
                    (Some(a), _) => jobs.push((path, Job::Translation(a))),
                    (None, Some(e)) => jobs.push((path, Job::Fallback(e))),
                    (None, None) => {}
                }
            }
        }
        let exists: HashSet<&str> = jobs.iter().map(|(p, _)| *p).collect();
        let no_bad = HashSet::new();

        // Render every article body (fallback pages reuse the English render).
        let mut renders: Vec<Option<PageRender>> = jobs
            .par_iter()
            .map(|(path, job)| match job {
                Job::Fallback(_) => None,
                _ => Some(self.stages.time(Stage::Render, || {
                    self.render_job(lang, path, job, &exists, &no_bad)
                })),
            })
            .collect();

        // Check #fragments against the ids of the pages they point at (only
        // those pages' ids are collected).
        let targets: HashSet<&str> = renders
            .iter()
            .flatten()
            .flat_map(|r| r.fragments.iter().map(|f| f.article.as_str()))
            .collect();
        let ids: HashMap<&str, HashSet<String>> = jobs
            .iter()
            .zip(&renders)
            .filter(|((path, _), _)| targets.contains(path))
            .map(|((path, _), r)| {
                let rendered = match r {
                    Some(r) => &r.rendered,
                    None => &fallbacks[*path],
                };
                (*path, page_ids(rendered))
            })
            .collect();
        let mut findings = Vec::new();
        let mut bad = HashSet::new();
        let mut redo = Vec::new();
        for (i, r) in renders.iter().enumerate() {
            let Some(r) = r else { continue };
            let mut broken = false;
            for f in &r.fragments {
                if ids
                    .get(f.article.as_str())
                    .is_some_and(|set| !set.contains(&f.fragment))
                {
                    findings.push(Finding::new(
                        lint::LINK_BROKEN,
                        &self.file_of(lang, jobs[i].0),
                        Pos::START,
                        format!("`{}#{}` names no heading or anchor in that page; the fragment is dropped", f.article, f.fragment),
                    ));
                    bad.insert(f.clone());
                    broken = true;
                }
            }
            if broken {
                redo.push(i);
            }
        }
        let again: Vec<(usize, PageRender)> = redo
            .par_iter()
            .map(|&i| {
                (
                    i,
                    self.render_job(lang, jobs[i].0, &jobs[i].1, &exists, &bad),
                )
            })
            .collect();
        for (i, r) in again {
            renders[i] = Some(r);
        }

        // Fill the templates and write the pages.
        let index = self
            .project
            .config
            .html
            .search
            .enabled
            .then(|| search::Index::sharing(&lang.tag, Arc::clone(&self.english_stems)));
        let results: Vec<Result<PageOutcome>> = jobs
            .par_iter()
            .zip(renders.par_iter())
            .map(|((path, job), r)| {
                let rendered = match r {
                    Some(r) => &r.rendered,
                    None => &fallbacks[*path],
                };
                let fresh = r.as_ref().and_then(|r| r.fresh.as_ref());
                let (state, found) = page_state(job, rendered, fresh);
                let page = self.article_page(lang, path, job, rendered, fresh);
                let html = self
                    .stages
                    .time(Stage::Template, || self.theme.render("article.html", &page))?;
                self.stages.time(Stage::Write, || {
                    staging.put(&format!("{}/{}", lang.slug, page_file(path)), html)
                })?;
                if let (Job::Translation(a), Some(r), Some(fresh)) = (job, r, fresh) {
                    self.write_bilingual(lang, path, a, r, fresh, &page, staging)?;
                }
                if let (Some(index), false) = (&index, matches!(job, Job::Fallback(_))) {
                    let english = match job {
                        Job::Translation(a) => search::english_of(a),
                        _ => String::new(),
                    };
                    self.stages.time(Stage::Search, || {
                        index.add(&page_url(path), &page.title, &rendered.html, &english)
                    });
                }
                Ok((
                    path.to_string(),
                    state,
                    found,
                    page.article.map(|_| page.title),
                ))
            })
            .collect();
        let mut states = BTreeMap::new();
        let mut titles = Vec::new();
        for r in results {
            let (path, state, found, title) = r?;
            findings.extend(found);
            titles.push((path.clone(), title.unwrap_or_default(), state));
            states.insert(path, state);
        }
        // The search index and the language's index page, side by side.
        let (search, pages) = rayon::join(
            || -> Result<()> {
                let shards = self.stages.time(Stage::Search, || {
                    index.map(search::Index::finish).unwrap_or_default()
                });
                for (file, bytes) in shards {
                    staging.put(&format!("{}/search/{file}", lang.slug), bytes)?;
                }
                Ok(())
            },
            || -> Result<()> {
                self.write_index(lang, &titles, &jobs, staging)?;
                self.write_404(lang, staging)
            },
        );
        search?;
        pages?;

        let keep = if lang.is_english {
            let needed: HashSet<&str> = self
                .langs
                .iter()
                .filter(|l| !l.is_english)
                .flat_map(|l| {
                    self.english
                        .articles
                        .keys()
                        .map(String::as_str)
                        .filter(|p| !l.articles.contains_key(p))
                })
                .collect();
            jobs.iter()
                .zip(renders)
                .filter(|((p, _), _)| needed.contains(p))
                .filter_map(|((p, _), r)| r.map(|r| (p.to_string(), r.rendered)))
                .collect()
        } else {
            HashMap::new()
        };
        Ok(Built {
            pages: jobs.len() + 2,
            findings,
            keep,
            states,
        })
    }

    /// The file a page comes from, as shown in findings.
    fn file_of(&self, lang: &Lang, path: &str) -> String {
        match lang.articles.get(path) {
            Some(a) => a.file.clone(),
            None => self
                .origin(path)
                .map_or_else(|| path.to_string(), |a| a.file.clone()),
        }
    }

    /// The article an English page was made from.
    fn origin(&self, path: &str) -> Option<&'p Article> {
        let e = self.english.articles.get(path)?;
        let locale = match &e.origin {
            Origin::Folder => self.project.english.as_ref()?,
            Origin::Rebuilt { locale } => self.project.locales.iter().find(|l| &l.tag == locale)?,
        };
        locale
            .articles
            .binary_search_by(|a| a.path.as_str().cmp(path))
            .ok()
            .map(|i| &locale.articles[i])
    }

    fn render_job(
        &self,
        lang: &Lang,
        path: &str,
        job: &Job,
        exists: &HashSet<&str>,
        bad: &HashSet<FragmentRef>,
    ) -> PageRender {
        let (markdown, file, content_locale, english_text) = match job {
            Job::Translation(a) => (a.target.as_str(), a.file.clone(), lang.tag.clone(), false),
            Job::English(e) | Job::Fallback(e) => {
                let origin = self.origin(path);
                let tag = origin.map_or_else(|| lang.tag.clone(), |a| a.locale.clone());
                (
                    e.text.as_str(),
                    origin.map_or_else(|| path.to_string(), |a| a.file.clone()),
                    tag,
                    true,
                )
            }
        };
        let exists_fn = |p: &str| exists.contains(p);
        let media_fn = |p: &str| {
            self.media
                .get(&(lang.tag.clone(), p.to_string()))
                .or_else(|| self.media.get(&(content_locale.clone(), p.to_string())))
                .cloned()
        };
        let links = SiteLinks {
            locale: &lang.tag,
            article: path,
            exists: &exists_fn,
            media: &media_fn,
            link_base: self.project.config.html.link_base.as_deref(),
            bad_fragments: bad,
            fragments: Mutex::new(Vec::new()),
        };
        let includes = DiskIncludes {
            content: &self.project.config.content_dir,
            jail: &self.jail,
            locale: &content_locale,
            english: self.project.english.as_ref().map(|e| e.tag.as_str()),
            article: path,
            english_text,
        };
        let alerts = alert_titles(lang.ui.strings());
        // Read the source file only if a finding needs a position in it.
        let source_text = std::cell::OnceCell::new();
        let locator = std::cell::OnceCell::new();
        let locate = |needle: &str| {
            locator
                .get_or_init(|| {
                    Locator::new(
                        source_text
                            .get_or_init(|| std::fs::read_to_string(&file).unwrap_or_default()),
                    )
                })
                .locate(needle)
        };
        let dnt = &self.project.config.check.do_not_translate;
        let (marks, style, fresh) = match job {
            Job::Translation(a) => {
                let fresh = pair::freshness(a, self.english.articles.get(path), dnt);
                let marks = a
                    .segments
                    .iter()
                    .zip(&fresh.states)
                    .map(|(seg, state)| Mark {
                        range: seg.target_range.clone(),
                        stale: *state == pair::SegmentState::Stale,
                    })
                    .collect();
                (marks, MarkStyle::Translation, Some(fresh))
            }
            Job::English(e) if matches!(e.origin, Origin::Rebuilt { .. }) => {
                let marks = self
                    .origin(path)
                    .map(|a| {
                        a.segments
                            .iter()
                            .map(|seg| Mark {
                                range: seg.source_range.clone(),
                                stale: false,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                (marks, MarkStyle::English, None)
            }
            _ => (Vec::new(), MarkStyle::Translation, None),
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
            includes: &includes,
            alerts: &alerts,
            video_hosts: &self.project.config.html.video_hosts,
            sanitizer: &self.sanitizer,
            locate: &locate,
            marks: &marks,
            mark_style: style,
            stale_note: &stale_note,
        };
        let rendered = render::render(markdown, &env);
        let pairs_html = match job {
            Job::Translation(a) => a
                .segments
                .iter()
                .map(|seg| {
                    (
                        render::inline(&seg.target, &env),
                        render::inline(&seg.source, &env),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        PageRender {
            rendered,
            fragments: links.fragments.into_inner().unwrap_or_default(),
            fresh,
            pairs_html,
        }
    }

    fn article_page(
        &self,
        lang: &Lang,
        path: &str,
        job: &Job,
        rendered: &Rendered,
        fresh: Option<&pair::Freshness>,
    ) -> Page {
        let state = fresh.map_or(ArticleState::Current, |f| f.state);
        let bilingual = matches!(job, Job::Translation(a) if !a.segments.is_empty());
        let changed_text = fresh
            .map(|f| f.stale() + f.missing.len())
            .filter(|n| *n > 0)
            .map(|n| {
                let key = if n == 1 {
                    "changed_one"
                } else {
                    "changed_many"
                };
                lang.ui
                    .strings()
                    .get(key)
                    .cloned()
                    .unwrap_or_default()
                    .replace("{count}", &n.to_string())
            });
        let url = page_url(path);
        let root = "../".repeat(url.matches('/').count() + 1);
        let english = self.english_lang();
        let english_href = format!("{root}{}/{url}", english.slug);
        let origin = self.origin(path);
        let (title, front, fallback) = match job {
            Job::Translation(a) => (
                a.title().unwrap_or_else(|| path.to_string()),
                Some(&a.front),
                false,
            ),
            Job::English(e) => (
                e.title.clone().unwrap_or_else(|| path.to_string()),
                origin.map(|a| &a.front),
                false,
            ),
            Job::Fallback(e) => (
                e.title.clone().unwrap_or_else(|| path.to_string()),
                None,
                true,
            ),
        };
        let translated_in: Vec<&Lang> = self
            .langs
            .iter()
            .filter(|l| {
                if l.is_english {
                    self.english.articles.contains_key(path)
                } else {
                    l.articles.contains_key(path)
                }
            })
            .collect();
        let (canonical, alternates, robots) = if fallback {
            (
                Some(self.absolute(&english.slug, &url, &english_href)),
                Vec::new(),
                Some("noindex".to_string()),
            )
        } else {
            let mut alts: Vec<Alternate> = translated_in
                .iter()
                .map(|l| Alternate {
                    hreflang: l.tag.clone(),
                    href: self.absolute(&l.slug, &url, &format!("{root}{}/{url}", l.slug)),
                })
                .collect();
            if self.english.articles.contains_key(path) {
                alts.push(Alternate {
                    hreflang: "x-default".into(),
                    href: self.absolute(&english.slug, &url, &english_href),
                });
            }
            let own = self.absolute(&lang.slug, &url, &format!("{root}{}/{url}", lang.slug));
            (Some(own), alts, front.and_then(|f| f.robots.clone()))
        };
        let languages = self
            .langs
            .iter()
            .map(|l| {
                let has_page =
                    self.english.articles.contains_key(path) || l.articles.contains_key(path);
                LanguageLink {
                    tag: l.tag.clone(),
                    name: l.name.clone(),
                    href: if has_page {
                        format!("{root}{}/{url}", l.slug)
                    } else {
                        format!("{root}{}/index.html", l.slug)
                    },
                    dir: l.dir,
                    current: l.tag == lang.tag,
                    translated: translated_in.iter().any(|t| t.tag == l.tag),
                }
            })
            .collect();
        let (content_lang, content_dir) = if fallback || lang.is_english {
            (english.tag.clone(), "ltr")
        } else {
            (lang.tag.clone(), lang.dir)
        };
        let machine =
            !lang.is_english && !fallback && front.is_some_and(|f| f.is_machine_translated());
        let article = ArticleView {
            html: rendered.html.clone(),
            toc: rendered
                .headings
                .iter()
                .filter(|h| h.level == 2 || h.level == 3)
                .cloned()
                .collect(),
            lang: content_lang,
            dir: if fallback || lang.is_english {
                content_dir
            } else {
                lang.dir
            },
            handoff: if lang.is_english || fallback {
                None
            } else {
                front.and_then(|f| f.handoff_date()).map(|d| d.to_string())
            },
            machine,
            outdated: state == ArticleState::Outdated,
            fallback,
            not_translated: lang
                .ui
                .strings()
                .get("not_translated")
                .cloned()
                .unwrap_or_default()
                .replace("{language}", &lang.name),
            english_href,
            english_data: bilingual.then(|| url::here(&format!("{}.en.js", file_name(path)))),
            side_by_side: bilingual.then(|| url::here(&format!("{}.sxs.html", file_name(path)))),
            changed: changed_text,
        };
        let mut page = self.page(lang, &root, title);
        page.description = front.and_then(|f| f.description.clone());
        page.canonical = canonical;
        page.alternates = alternates;
        page.robots = robots;
        page.languages = languages;
        page.article = Some(article);
        page
    }

    /// The English data for Show English (`<page>.en.js`, loaded as a script
    /// so that it also works from disk) and the side-by-side page.
    #[allow(clippy::too_many_arguments)]
    fn write_bilingual(
        &self,
        lang: &Lang,
        path: &str,
        article: &Article,
        render: &PageRender,
        fresh: &pair::Freshness,
        page: &Page,
        staging: &dyn Sink,
    ) -> Result<()> {
        let base = page_file(path);
        let base = base.strip_suffix(".html").unwrap_or(&base);
        let english: Vec<&str> = render.pairs_html.iter().map(|(_, e)| e.as_str()).collect();
        let json = serde_json::to_string(&english)?.replace("</", "<\\/");
        self.stages.time(Stage::Write, || {
            staging.put(
                &format!("{}/{base}.en.js", lang.slug),
                format!("helpbookEnglish({json});\n"),
            )
        })?;

        let english_page = self.english.articles.get(path);
        let english_href = page
            .article
            .as_ref()
            .map(|a| a.english_href.clone())
            .unwrap_or_default();
        let rows = article
            .segments
            .iter()
            .enumerate()
            .map(|(i, seg)| {
                let stale = fresh.states[i] == pair::SegmentState::Stale;
                let state = if stale {
                    "stale"
                } else if fresh.untranslated[i] {
                    "untranslated"
                } else {
                    "current"
                };
                let target = english_page
                    .filter(|_| stale)
                    .and_then(|e| closest(&pair::fold(&seg.source), &e.segments))
                    .map(|k| format!("{english_href}#s-{k}"));
                let kind = render.rendered.kinds.get(i).copied().unwrap_or_default();
                let label = |key: &str| lang.ui.strings().get(key).cloned().unwrap_or_default();
                SxsRow {
                    index: i,
                    kind,
                    kind_label: label(kind.label_key()),
                    state,
                    state_label: label(&format!("state_{state}")),
                    target_html: render.pairs_html[i].0.clone(),
                    source_html: render.pairs_html[i].1.clone(),
                    english_href: target.or_else(|| stale.then(|| english_href.clone())),
                }
            })
            .collect();
        let mut sxs = page.clone();
        sxs.article = None;
        sxs.alternates = Vec::new();
        sxs.robots = Some("noindex".into());
        sxs.canonical = None;
        sxs.side_by_side = Some(SideBySideView {
            rows,
            article_href: url::here(&format!("{}.html", file_name(path))),
            english_href,
        });
        let html = self
            .stages
            .time(Stage::Template, || self.theme.render("sxs.html", &sxs))?;
        self.stages.time(Stage::Write, || {
            staging.put(&format!("{}/{base}.sxs.html", lang.slug), html)
        })
    }

    /// A URL for the canonical and alternate links: absolute under `site-url`
    /// when it is set, else the relative `fallback`.
    fn absolute(&self, slug: &str, url: &str, fallback: &str) -> String {
        match &self.project.config.html.site_url {
            Some(base) => format!("{}/{slug}/{url}", base.trim_end_matches('/')),
            None => fallback.to_string(),
        }
    }

    fn english_lang(&self) -> &Lang<'p> {
        &self.langs[0]
    }

    /// The common fields of a page of `lang` at depth `root`.
    fn page(&self, lang: &Lang, root: &str, title: String) -> Page {
        let config = &self.project.config;
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
            current_language: lang.name.clone(),
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

    fn language_links(&self, root: &str, current: &str, page: &str) -> Vec<LanguageLink> {
        self.langs
            .iter()
            .map(|l| LanguageLink {
                tag: l.tag.clone(),
                name: l.name.clone(),
                href: format!("{root}{}/{page}", l.slug),
                dir: l.dir,
                current: l.tag == current,
                translated: true,
            })
            .collect()
    }

    fn write_index(
        &self,
        lang: &Lang,
        titles: &[(String, String, ArticleState)],
        jobs: &[(&str, Job)],
        staging: &dyn Sink,
    ) -> Result<()> {
        let collator = crate::collate::Collator::new(&lang.tag);
        let mut groups: BTreeMap<String, Vec<(String, IndexEntry)>> = BTreeMap::new();
        for ((path, title, state), (_, job)) in titles.iter().zip(jobs) {
            let folder = path
                .rsplit_once('/')
                .map_or(String::new(), |(f, _)| f.to_string());
            let entry = IndexEntry {
                title: title.clone(),
                href: url::here(&page_url(path)),
                lang: if matches!(job, Job::Fallback(_)) || lang.is_english {
                    self.english_lang().tag.clone()
                } else {
                    lang.tag.clone()
                },
                state: match (job, state) {
                    (Job::Fallback(_), _) => "missing",
                    (Job::English(_), _) => "source",
                    (_, ArticleState::Outdated) => "outdated",
                    _ => "current",
                },
            };
            groups
                .entry(folder)
                .or_default()
                .push((title.clone(), entry));
        }
        let general = lang
            .ui
            .strings()
            .get("general")
            .cloned()
            .unwrap_or_default();
        let groups = groups
            .into_iter()
            .map(|(folder, mut entries)| {
                entries.sort_by(|a, b| {
                    collator
                        .compare(&a.0, &b.0)
                        .then_with(|| a.1.href.cmp(&b.1.href))
                });
                IndexGroup {
                    name: if folder.is_empty() {
                        general.clone()
                    } else {
                        folder
                    },
                    articles: entries.into_iter().map(|(_, e)| e).collect(),
                }
            })
            .collect();
        let title = lang
            .ui
            .strings()
            .get("all_articles")
            .cloned()
            .unwrap_or_default();
        let mut page = self.page(lang, "../", title);
        page.languages = self.language_links("../", &lang.tag, "index.html");
        page.canonical = Some(self.absolute(&lang.slug, "index.html", "index.html"));
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
                    &self.english_lang().slug,
                    "index.html",
                    &format!("../{}/index.html", self.english_lang().slug),
                ),
            }))
            .collect();
        page.index = Some(IndexView { groups });
        staging.put(
            &format!("{}/index.html", lang.slug),
            self.theme.render("index.html", &page)?,
        )
    }

    fn write_404(&self, lang: &Lang, staging: &dyn Sink) -> Result<()> {
        // A server shows 404 pages at any path: links are site-root-relative.
        let title = lang
            .ui
            .strings()
            .get("not_found_title")
            .cloned()
            .unwrap_or_default();
        let mut page = self.page(lang, "/", title);
        page.robots = Some("noindex".into());
        page.languages = self.language_links("/", &lang.tag, "index.html");
        staging.put(
            &format!("{}/404.html", lang.slug),
            self.theme.render("404.html", &page)?,
        )
    }

    fn write_root(
        &self,
        staging: &dyn Sink,
        states: &[BTreeMap<String, ArticleState>],
    ) -> Result<()> {
        let english = self.english_lang();
        let mut page = self.page(english, "", self.project.config.title.clone());
        page.home = "index.html".into();
        page.status_href = self
            .project
            .config
            .html
            .status_page
            .then(|| "status.html".to_string());
        page.root_languages = self.language_links("", "", "index.html");
        page.description = self.project.config.description.clone();
        staging.put("index.html", self.theme.render("root.html", &page)?)?;

        let mut missing = self.page(
            english,
            "/",
            english
                .ui
                .strings()
                .get("not_found_title")
                .cloned()
                .unwrap_or_default(),
        );
        missing.home = "/index.html".into();
        missing.robots = Some("noindex".into());
        staging.put("404.html", self.theme.render("404.html", &missing)?)?;

        if self.project.config.html.status_page {
            let mut page = self.page(
                english,
                "",
                english
                    .ui
                    .strings()
                    .get("status_title")
                    .cloned()
                    .unwrap_or_default(),
            );
            page.home = "index.html".into();
            page.status = Some(self.status_view(states));
            staging.put("status.html", self.theme.render("status.html", &page)?)?;
        }
        staging.put("sitemap.xml", self.sitemap())
    }

    fn status_view(&self, states: &[BTreeMap<String, ArticleState>]) -> StatusView {
        let total = self.english.articles.len();
        let rows = self
            .langs
            .iter()
            .zip(states)
            .filter(|(l, _)| !l.is_english)
            .map(|(l, st)| {
                let current = st.values().filter(|s| **s == ArticleState::Current).count();
                let outdated = st
                    .values()
                    .filter(|s| **s == ArticleState::Outdated)
                    .count();
                let missing = self
                    .english
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
                let outdated_articles = st
                    .iter()
                    .filter(|(_, s)| **s == ArticleState::Outdated)
                    .map(|(p, _)| IndexEntry {
                        title: l
                            .articles
                            .get(p.as_str())
                            .and_then(|a| a.title())
                            .unwrap_or_else(|| p.clone()),
                        href: format!("{}/{}", l.slug, page_url(p)),
                        lang: l.tag.clone(),
                        state: "outdated",
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

    /// `sitemap.xml`: every indexable article page with its alternates.
    fn sitemap(&self) -> String {
        let base = self.project.config.html.site_url.as_deref().map_or_else(
            || "/".to_string(),
            |b| format!("{}/", b.trim_end_matches('/')),
        );
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for path in self.english.articles.keys() {
            let url = page_url(path);
            let versions: Vec<(&Lang, bool)> = self
                .langs
                .iter()
                .filter_map(|l| {
                    let front = if l.is_english {
                        self.origin(path).map(|a| &a.front)
                    } else {
                        l.articles.get(path.as_str()).map(|a| &a.front)
                    };
                    if !l.is_english && !l.articles.contains_key(path.as_str()) {
                        return None;
                    }
                    Some((l, front.is_some_and(|f| f.is_noindex())))
                })
                .collect();
            for (l, noindex) in &versions {
                if *noindex {
                    continue;
                }
                out.push_str(&format!(
                    "  <url>\n    <loc>{}</loc>\n",
                    xml_escape(&format!("{base}{}/{url}", l.slug))
                ));
                for (alt, alt_noindex) in &versions {
                    if !alt_noindex {
                        out.push_str(&format!(
                            "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                            xml_escape(&alt.tag),
                            xml_escape(&format!("{base}{}/{url}", alt.slug))
                        ));
                    }
                }
                out.push_str("  </url>\n");
            }
        }
        out.push_str("</urlset>\n");
        out
    }
}

/// A page's state and the findings it reports: its render's findings and,
/// for a translation, its untranslated text. A fallback page reports nothing
/// (its English is reported on the English page).
fn page_state(
    job: &Job,
    rendered: &Rendered,
    fresh: Option<&pair::Freshness>,
) -> (ArticleState, Vec<Finding>) {
    match (job, fresh) {
        (Job::Fallback(_), _) => (ArticleState::NoEnglish, Vec::new()),
        (Job::Translation(a), Some(fresh)) => {
            let mut found = rendered.findings.clone();
            found.extend(
                pair::findings(a, fresh)
                    .into_iter()
                    .filter(|f| f.lint == lint::SEGMENT_UNTRANSLATED.name),
            );
            (fresh.state, found)
        }
        _ => (ArticleState::Current, rendered.findings.clone()),
    }
}

/// Reads include snippets from the content folder: the page's locale, then
/// the English folder (if any). For English pages, the snippet's English.
/// A snippet that resolves outside the content folder is not read.
struct DiskIncludes<'a> {
    content: &'a Path,
    jail: &'a crate::fs::Jail,
    locale: &'a str,
    english: Option<&'a str>,
    article: &'a str,
    english_text: bool,
}

impl includes::Source for DiskIncludes<'_> {
    fn read(&self, path: &str) -> includes::Snippet {
        for locale in std::iter::once(self.locale).chain(self.english) {
            let file = self.content.join(locale).join(path);
            match self.jail.read(&file) {
                Ok(Some(bytes)) => {
                    let a =
                        crate::parse::article(locale, path, &file.display().to_string(), &bytes);
                    return includes::Snippet::Text(if self.english_text {
                        a.source
                    } else {
                        a.target
                    });
                }
                Ok(None) => return includes::Snippet::Outside,
                Err(_) => {}
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

/// The position of `needle` in a source file (line 1 column 1 when absent).
/// Places a page's findings in its source file by searching for their text
/// (a URL, a directive). Findings come mostly in document order, so each
/// search starts where the previous hit ended (then after the same text's
/// previous occurrence, then at the top): a URL used twice is reported at
/// each place, and a page with thousands of findings on one long line costs
/// linear time, not quadratic.
struct Locator<'t> {
    text: &'t str,
    index: crate::diag::LineIndex<'t>,
    /// Per searched text: where its next search starts.
    next: std::cell::RefCell<HashMap<String, usize>>,
    /// The last offset placed and its position.
    last: std::cell::Cell<(usize, Pos)>,
    /// Where the last found text ends.
    resume: std::cell::Cell<usize>,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str) -> Locator<'t> {
        Locator {
            text,
            index: crate::diag::LineIndex::new(text),
            next: std::cell::RefCell::new(HashMap::new()),
            last: std::cell::Cell::new((0, Pos::START)),
            resume: std::cell::Cell::new(0),
        }
    }

    fn locate(&self, needle: &str) -> Pos {
        if needle.is_empty() {
            return Pos::START;
        }
        let mut next = self.next.borrow_mut();
        let find_from = |from: usize| {
            let rest = self.text.get(from..)?;
            rest.find(needle).map(|i| from + i)
        };
        let (last, last_pos) = self.last.get();
        // Findings mostly come in document order: on from the last one, then
        // on from this text's previous occurrence, then its first.
        let found = find_from(self.resume.get())
            .or_else(|| find_from(next.get(needle).copied().unwrap_or(0)))
            .or_else(|| find_from(0));
        let Some(offset) = found else {
            return Pos::START;
        };
        next.insert(needle.to_string(), offset + needle.len());
        self.resume.set(offset + needle.len());
        let between = self.text.get(last..offset).unwrap_or("\n");
        let pos = if offset >= last && !between.contains('\n') {
            Pos {
                line: last_pos.line,
                column: last_pos.column + between.chars().count(),
            }
        } else {
            self.index.pos(offset)
        };
        self.last.set((offset, pos));
        pos
    }
}

/// The last segment of an article's page URL, without `.html` (for the files
/// that stand next to the page).
fn file_name(path: &str) -> String {
    let url = page_url(path);
    let stem = url.strip_suffix(".html").unwrap_or(&url);
    stem.rsplit('/').next().unwrap_or(stem).to_string()
}

/// The English segment most like `source` (most shared words), if any share one.
fn closest(source: &str, segments: &[String]) -> Option<usize> {
    let words: HashSet<&str> = source.split_whitespace().collect();
    segments
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let shared = e.split_whitespace().filter(|w| words.contains(w)).count();
            (shared, std::cmp::Reverse(k))
        })
        .max()
        .filter(|(shared, _)| *shared > 0)
        .map(|(_, std::cmp::Reverse(k))| k)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// ---------------------------------------------------------------------------
// Incremental rebuilds, for `helpbook serve`: the same per-page code as
// `build`, run for the pages of a few articles only.

/// What `serve` keeps between rebuilds: the media index, and the title and
/// state of every page (to rewrite an index or the status page without
/// rendering the other pages). Made after a full build; a change to the set
/// of languages, the theme or the configuration needs a new one.
pub struct Memo {
    media: HashMap<(String, String), String>,
    media_files: BTreeMap<String, PathBuf>,
    /// Per language tag: article path → (title, state).
    pages: HashMap<String, BTreeMap<String, (String, ArticleState)>>,
}

/// An article to rebuild: its pages in one language (`locale`), or in every
/// language (`None`: its English, existence or title changed).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Touch {
    pub path: String,
    pub locale: Option<String>,
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Pages rendered (as `slug/file.html`).
    pub pages: Vec<String>,
    /// Page files that no longer have an article (as `slug/file.html`); the
    /// caller removes them.
    pub removed: Vec<String>,
    /// Findings of the rendered pages.
    pub findings: Vec<Finding>,
    /// Languages whose index was rewritten.
    pub indexes: Vec<String>,
}

impl Memo {
    /// Indexes the media and every page's title and state (in parallel).
    pub fn new(project: &Project, english: &English, theme: &Theme) -> Result<Memo> {
        let (media, media_files) = media_index(project)?;
        let mut memo = Memo {
            media,
            media_files,
            pages: HashMap::new(),
        };
        let stages = Stages::default();
        let site = Site::for_rebuild(project, english, theme, &memo, &stages)?;
        for lang in &site.langs {
            let entries = site
                .jobs(lang)
                .par_iter()
                .map(|(path, job)| (path.to_string(), site.entry(path, job)))
                .collect();
            memo.pages.insert(lang.tag.clone(), entries);
        }
        Ok(memo)
    }
}

/// Rebuilds the pages of the `touched` articles into `out`, with the same
/// code as [`build`]; rewrites a language's index (and the status page and
/// sitemap) only when a page's title, state or existence changed. `#fragment`
/// links are not checked against other pages here. The caller removes the
/// files of [`Rebuilt::removed`].
pub fn rebuild(
    project: &Project,
    english: &English,
    theme: &Theme,
    memo: &mut Memo,
    out: &dyn Sink,
    touched: &[Touch],
) -> Result<Rebuilt> {
    let stages = Stages::default();
    let site = Site::for_rebuild(project, english, theme, memo, &stages)?;
    let mut work: BTreeSet<(usize, &str)> = BTreeSet::new();
    for t in touched {
        for (i, l) in site.langs.iter().enumerate() {
            if t.locale
                .as_ref()
                .is_none_or(|x| x.eq_ignore_ascii_case(&l.tag))
            {
                work.insert((i, t.path.as_str()));
            }
        }
    }
    let exists: Vec<HashSet<&str>> = site
        .langs
        .iter()
        .map(|l| {
            l.articles
                .keys()
                .copied()
                .chain(english.articles.keys().map(String::as_str))
                .collect()
        })
        .collect();
    let no_bad = HashSet::new();
    let mut done = Rebuilt::default();
    let mut jobs = Vec::new();
    let mut dirty: BTreeSet<usize> = BTreeSet::new();
    for (li, path) in work {
        let lang = &site.langs[li];
        match site.job(lang, path) {
            Some(job) => jobs.push((li, path, job)),
            None => {
                done.removed
                    .push(format!("{}/{}", lang.slug, page_file(path)));
                let pages = memo.pages.entry(lang.tag.clone()).or_default();
                if pages.remove(path).is_some() {
                    dirty.insert(li);
                }
            }
        }
    }
    type Outcome<'a> = (usize, &'a str, String, String, ArticleState, Vec<Finding>);
    let results: Vec<Result<Outcome>> = jobs
        .par_iter()
        .map(|(li, path, job)| {
            let lang = &site.langs[*li];
            let render = match job {
                Job::Fallback(e) => site.render_job(
                    site.english_lang(),
                    path,
                    &Job::English(e),
                    &exists[0],
                    &no_bad,
                ),
                _ => site.render_job(lang, path, job, &exists[*li], &no_bad),
            };
            let rendered = &render.rendered;
            let fresh = render.fresh.as_ref();
            let (state, found) = page_state(job, rendered, fresh);
            let page = site.article_page(lang, path, job, rendered, fresh);
            if let (Job::Translation(a), Some(fresh)) = (job, fresh) {
                site.write_bilingual(lang, path, a, &render, fresh, &page, out)?;
            }
            let html = theme.render("article.html", &page)?;
            let file = format!("{}/{}", lang.slug, page_file(path));
            out.put(&file, html)?;
            Ok((*li, *path, file, page.title, state, found))
        })
        .collect();
    for r in results {
        let (li, path, file, title, state, found) = r?;
        let pages = memo.pages.entry(site.langs[li].tag.clone()).or_default();
        if pages.get(path) != Some(&(title.clone(), state)) {
            pages.insert(path.to_string(), (title, state));
            dirty.insert(li);
        }
        done.pages.push(file);
        done.findings.extend(found);
    }
    for &li in &dirty {
        let lang = &site.langs[li];
        let jobs = site.jobs(lang);
        let pages = memo.pages.get(&lang.tag);
        let titles: Vec<(String, String, ArticleState)> = jobs
            .iter()
            .map(|(path, job)| {
                let (title, state) = pages
                    .and_then(|p| p.get(*path).cloned())
                    .unwrap_or_else(|| site.entry(path, job));
                (path.to_string(), title, state)
            })
            .collect();
        site.write_index(lang, &titles, &jobs, out)?;
        done.indexes.push(lang.tag.clone());
    }
    if !dirty.is_empty() {
        let states: Vec<BTreeMap<String, ArticleState>> = site
            .langs
            .iter()
            .map(|l| {
                memo.pages.get(&l.tag).map_or_else(BTreeMap::new, |p| {
                    p.iter().map(|(path, (_, s))| (path.clone(), *s)).collect()
                })
            })
            .collect();
        site.write_root(out, &states)?;
    }
    Ok(done)
}

impl<'p> Site<'p> {
    fn for_rebuild(
        project: &'p Project,
        english: &'p English,
        theme: &'p Theme,
        memo: &Memo,
        stages: &'p Stages,
    ) -> Result<Site<'p>> {
        Ok(Site {
            project,
            english,
            theme,
            langs: languages(project, theme, &[]),
            sanitizer: render::sanitize::Sanitizer::new(&project.config.html.video_hosts),
            media: memo.media.clone(),
            media_files: memo.media_files.clone(),
            css: theme.asset("style.css"),
            js: theme.asset("helpbook.js"),
            stages,
            english_stems: Arc::default(),
            jail: crate::fs::Jail::new(&project.config.content_dir)?,
        })
    }

    /// The page of `path` in `lang`, as `build_language` plans it.
    fn job(&self, lang: &Lang<'p>, path: &str) -> Option<Job<'p>> {
        let e = self.english.articles.get(path);
        if lang.is_english {
            return e.map(Job::English);
        }
        match (lang.articles.get(path), e) {
            (Some(a), _) => Some(Job::Translation(a)),
            (None, Some(e)) => Some(Job::Fallback(e)),
            (None, None) => None,
        }
    }

    /// Every page of `lang`, in path order.
    fn jobs(&self, lang: &Lang<'p>) -> Vec<(&'p str, Job<'p>)> {
        let mut paths: BTreeSet<&'p str> =
            self.english.articles.keys().map(String::as_str).collect();
        if !lang.is_english {
            paths.extend(lang.articles.keys().copied());
        }
        paths
            .into_iter()
            .filter_map(|p| self.job(lang, p).map(|j| (p, j)))
            .collect()
    }

    /// A page's title and state, as `build_language` records them.
    fn entry(&self, path: &str, job: &Job) -> (String, ArticleState) {
        match job {
            Job::Translation(a) => (
                a.title().unwrap_or_else(|| path.to_string()),
                pair::freshness(
                    a,
                    self.english.articles.get(path),
                    &self.project.config.check.do_not_translate,
                )
                .state,
            ),
            Job::English(e) => (
                e.title.clone().unwrap_or_else(|| path.to_string()),
                ArticleState::Current,
            ),
            Job::Fallback(e) => (
                e.title.clone().unwrap_or_else(|| path.to_string()),
                ArticleState::NoEnglish,
            ),
        }
    }
}
