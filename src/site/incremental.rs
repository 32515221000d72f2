//! `serve`'s rebuild after a change: the pages of the touched articles, in
//! the languages they concern, made by the same code as the full build
//! ([`Pages::page_files`]) and their language choosers; a language's index
//! and search index, and the site's status page and sitemaps, only when a
//! page's title, state or existence changed.
//! `#fragment` links are not checked against other pages here.
//!
//! Also the file `serve` makes on request before its first build is
//! written ([`on_request`]), through the same page code.

use super::article::CHOOSERS;
use super::body::Parts;
use super::media::Media;
use super::plan::{digest, entry, Job};
use super::Pages;
use super::{searched_english, Rendered};
use crate::diag::Finding;
use crate::pipeline::{Language, Model, Summary};
use crate::render::links::output_names;
use crate::render::links::page_url;
use crate::theme::Theme;
use crate::timing::Stages;
use crate::write::Sink;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What `serve` keeps between rebuilds: the media, and a digest of every
/// page's title and state (to know when a list must be written again).
/// Made after a full build; a change to the languages, the theme, the
/// configuration or the media needs a new one.
pub struct Memo {
    media: Media,
    /// Per language tag: article path → digest of its (title, state)
    /// ([`super::plan::digest`]).
    entries: HashMap<String, HashMap<String, u64>>,
    /// Per language tag: how many sitemap files it has on disk, so that a
    /// part a rebuild no longer writes (`sitemap-2.xml`, …) is removed.
    sitemaps: HashMap<String, usize>,
    /// Languages whose index and search index are owed: to be written
    /// again, and not yet written (a save not applied keeps them waiting,
    /// see [`rebuild`]'s `kept`; a write that failed leaves them owed).
    owed: BTreeSet<String>,
    /// Whether the sitemaps and the root files are owed, likewise.
    owed_shared: bool,
    /// Languages whose search index is owed because a page's text changed
    /// while its lists did not: written by [`catch_up_search`], after the
    /// changed pages have been reloaded, so that a save does not wait for
    /// every page of its language to be indexed again.
    owed_search: BTreeSet<String>,
    /// Per language tag: the folders of its search index on disk
    /// ([`crate::search::format`]), oldest first: the one `meta.json`
    /// names, and the one before it, which a reader who read the earlier
    /// `meta.json` may still be searching.
    search_folders: SearchFolders,
    /// The text of every searched page of the languages whose translations
    /// were opened or saved last, kept up to date by each rebuild, so that
    /// a save in one of them is indexed without reading and rendering every
    /// page.
    texts: SearchTexts,
}

/// Per language tag: the folders of its search index on disk, oldest first.
#[derive(Default)]
struct SearchFolders(HashMap<String, Vec<String>>);

impl Memo {
    /// The memo of a full build of `model` just written: its media, the
    /// sitemap files it wrote per language and the digests of its pages
    /// (`Summary::sitemaps`, `Summary::entries`), so nothing is read or
    /// made again to know them.
    pub fn new(model: &Model, theme: &Theme, media: Media, summary: &Summary) -> Memo {
        let langs = super::plan::languages(&model.project, &model.pairing, theme);
        let plan = super::plan::Plan::new(&model.pairing);
        let entries = langs
            .iter()
            .filter_map(|l| {
                let digests = summary.entries.get(&l.tag)?;
                let list = plan
                    .paths(l)
                    .into_iter()
                    .zip(digests)
                    .filter_map(|(p, d)| Some((p.to_string(), (*d)?)))
                    .collect();
                Some((l.tag.clone(), list))
            })
            .collect();
        Memo {
            media,
            entries,
            sitemaps: summary.sitemaps.clone(),
            owed: BTreeSet::new(),
            owed_shared: false,
            owed_search: BTreeSet::new(),
            search_folders: SearchFolders(
                summary
                    .search
                    .iter()
                    .map(|(tag, folder)| (tag.clone(), vec![folder.clone()]))
                    .collect(),
            ),
            texts: SearchTexts::default(),
        }
    }

    /// Whether a language's search index is owed ([`catch_up_search`]).
    pub fn owes_search(&self) -> bool {
        !self.owed_search.is_empty()
    }

    /// A page of a translation of language `tag` was opened: a save in it
    /// may come next, so its pages' search texts are wanted
    /// ([`warm_search`]).
    pub fn want_texts(&mut self, tag: &str) {
        self.texts.want(tag);
    }

    /// Whether a language's search texts are wanted and not made yet.
    pub fn owes_texts(&self) -> bool {
        self.texts.wanted.iter().any(|t| !self.texts.has(t))
    }
}

impl SearchFolders {
    /// Records `folder` as the search folder the `meta.json` of language
    /// `tag` (folder `slug`) now names, and returns the folders to remove:
    /// its folders older than the one before.
    fn searched(&mut self, tag: &str, slug: &str, folder: String) -> Vec<String> {
        let folders = self.0.entry(tag.to_string()).or_default();
        if folders.last() == Some(&folder) {
            return Vec::new();
        }
        folders.retain(|f| *f != folder);
        folders.push(folder);
        let old = folders.len().saturating_sub(2);
        folders
            .drain(..old)
            .filter(|f| !f.is_empty())
            .map(|f| format!("{slug}/search/{f}"))
            .collect()
    }
}

/// What a page gives its language's search index
/// ([`crate::search::Index::add_text`]).
struct PageText {
    title: String,
    body: String,
    english: Vec<String>,
}

impl PageText {
    /// The text of the page `job` at `path`, whose body rendered as
    /// `rendered`; None for a page that is not searched (a fallback page).
    fn of(path: &str, job: &Job, rendered: &Rendered) -> Option<PageText> {
        let english = searched_english(job)?;
        Some(PageText {
            title: entry(path, job).0,
            body: crate::search::text::html_text(&rendered.html),
            english: english.into_iter().map(str::to_string).collect(),
        })
    }
}

/// The texts of the searched pages (article path → text) of the
/// [`TEXTS_KEPT`] languages whose translations were opened or saved most
/// recently: those being worked on. Indexing a language again is mostly reading and
/// rendering its pages; with their texts kept, a save in such a language
/// is found by search in a fraction of the time. A change to the English,
/// which has every language indexed again, keeps no language's texts.
/// Their memory is a few megabytes per language of the corpus's size.
#[derive(Default)]
struct SearchTexts {
    /// The languages whose texts are kept once made, the one whose
    /// translation was opened or saved last at the end.
    wanted: Vec<String>,
    /// (language tag, its texts).
    langs: Vec<(String, BTreeMap<String, PageText>)>,
}

/// How many languages' texts [`SearchTexts`] keeps.
const TEXTS_KEPT: usize = 8;

impl SearchTexts {
    /// Takes the texts of language `tag`, if they are kept.
    fn take(&mut self, tag: &str) -> Option<BTreeMap<String, PageText>> {
        let i = self.langs.iter().position(|(t, _)| t == tag)?;
        Some(self.langs.remove(i).1)
    }

    /// A translation of language `tag` was opened or saved: its texts are
    /// kept once made, and those of the language wanted longest ago go past
    /// [`TEXTS_KEPT`].
    fn want(&mut self, tag: &str) {
        self.wanted.retain(|t| t != tag);
        self.wanted.push(tag.to_string());
        let over = self.wanted.len().saturating_sub(TEXTS_KEPT);
        for gone in self.wanted.drain(..over) {
            self.langs.retain(|(t, _)| *t != gone);
        }
    }

    /// Keeps `texts` as those of language `tag`, if its texts are wanted.
    fn put(&mut self, tag: &str, texts: BTreeMap<String, PageText>) {
        if self.wanted.iter().any(|t| t == tag) {
            self.langs.retain(|(t, _)| t != tag);
            self.langs.push((tag.to_string(), texts));
        }
    }

    fn has(&self, tag: &str) -> bool {
        self.langs.iter().any(|(t, _)| t == tag)
    }

    /// The page at `path` of language `tag` was made again (`text`), or
    /// is no longer searched or no longer there (None).
    fn update(&mut self, tag: &str, path: &str, text: Option<PageText>) {
        let Some((_, texts)) = self.langs.iter_mut().find(|(t, _)| t == tag) else {
            return;
        };
        match text {
            Some(text) => {
                texts.insert(path.to_string(), text);
            }
            None => {
                texts.remove(path);
            }
        }
    }
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
    /// Page files written (as `slug/file.html`).
    pub pages: Vec<String>,
    /// Files of articles that no longer have a page (as `slug/file`); the
    /// caller removes them.
    pub removed: Vec<String>,
    /// Search folders two indexes old (as `slug/search/F`); the caller
    /// removes them, and one it cannot remove is only a warning: no page
    /// names it.
    pub retired: Vec<String>,
    /// Findings of the rendered pages.
    pub findings: Vec<Finding>,
    /// Languages whose index was written again.
    pub indexes: Vec<String>,
}

/// Rebuilds the pages of the `touched` articles into `out`. Their
/// translations are read as stage 4 reads them ([`Model::articles`]: the
/// copies the model holds, else the files); a language whose lists change
/// is read whole ([`Model::language`]) to write them and its search index.
/// The translations in `kept` ((locale folder tag, path): a save `serve`
/// did not apply, of a copy the model does not hold) keep the pages they
/// have, and so do their languages' index and search index, which would
/// be made from those files: they wait, and are written by the first
/// rebuild after the last such save of the language is applied.
pub fn rebuild(
    model: &Model,
    theme: &Theme,
    memo: &mut Memo,
    out: &dyn Sink,
    touched: &[Touch],
    kept: &BTreeSet<(String, String)>,
) -> Result<Rebuilt> {
    let stages = Stages::default();
    let pages = Pages::new(model, theme, &memo.media, &stages);
    let is_kept = |locale: Option<usize>, path: &str| {
        locale.is_some_and(|i| {
            let tag = model.project.locales[i].tag.to_string();
            kept.contains(&(tag, path.to_string()))
        })
    };
    // Per language (its index in `pages.langs`), the touched paths.
    let mut work: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for t in touched {
        if let Some(lang) = t
            .locale
            .as_ref()
            .and_then(|x| pages.langs.iter().find(|l| x.eq_ignore_ascii_case(&l.tag)))
        {
            memo.texts.want(&lang.tag);
        }
        for (i, l) in pages.langs.iter().enumerate() {
            if t.locale
                .as_ref()
                .is_none_or(|x| x.eq_ignore_ascii_case(&l.tag))
                && !is_kept(l.locale, &t.path)
            {
                work.entry(i).or_default().push(t.path.as_str());
            }
        }
    }
    let reads: BTreeMap<usize, Language> = work
        .iter()
        .filter_map(|(&li, paths)| {
            let i = pages.langs[li].locale?;
            Some((li, model.articles(i, paths)))
        })
        .collect();
    let exists: Vec<HashSet<&str>> = pages
        .langs
        .iter()
        .map(|l| pages.plan.paths(l).into_iter().collect())
        .collect();
    let none = HashSet::new();
    let mut done = Rebuilt::default();
    let mut jobs = Vec::new();
    for (&li, paths) in &work {
        let lang = &pages.langs[li];
        let paths: BTreeSet<&str> = paths.iter().copied().collect();
        for path in paths {
            match pages.plan.job(lang, path, reads.get(&li)) {
                Some(job) => jobs.push((li, path, job)),
                None => {
                    for name in output_names(path) {
                        done.removed.push(format!("{}/{name}", lang.slug));
                    }
                    memo.texts.update(&lang.tag, path, None);
                    let entries = memo.entries.entry(lang.tag.clone()).or_default();
                    if entries.remove(path).is_some() {
                        memo.owed.insert(lang.tag.clone());
                        memo.owed_shared = true;
                    }
                }
            }
        }
    }
    type Outcome = (
        usize,
        String,
        Vec<String>,
        u64,
        Vec<Finding>,
        Option<PageText>,
    );
    // The languages whose texts are kept: a page made again gives its text.
    let texts_kept: Vec<bool> = pages.langs.iter().map(|l| memo.texts.has(&l.tag)).collect();
    let results: Vec<Result<Outcome>> = jobs
        .par_iter()
        .map(|(li, path, job)| {
            let lang = &pages.langs[*li];
            // A fallback page shows the English page's body.
            let (body_lang, body_job) = match job {
                Job::Fallback(e) => (&pages.langs[0], Job::English(e)),
                _ => (lang, *job),
            };
            let exists = &exists[if body_lang.is_english() { 0 } else { *li }];
            let body = pages
                .bodies
                .render(body_lang, path, &body_job, exists, &none, Parts::All);
            let made = pages.page_files(lang, path, job, Some(&body), &body.rendered)?;
            let mut written = Vec::new();
            for (file, bytes) in made.files {
                out.put(&file, bytes)?;
                written.push(file);
            }
            let found = super::body::findings(job, &body.rendered);
            let text = if texts_kept[*li] {
                PageText::of(path, job, &body.rendered)
            } else {
                None
            };
            Ok((
                *li,
                path.to_string(),
                written,
                digest(path, job),
                found,
                text,
            ))
        })
        .collect();
    for r in results {
        let (li, path, written, now, found, text) = r?;
        memo.texts.update(&pages.langs[li].tag, &path, text);
        if model.config().html.search.enabled {
            // Its text may have changed: its language's search index is
            // owed, written by the lists below or by `catch_up_search`.
            memo.owed_search.insert(pages.langs[li].tag.clone());
        }
        let entries = memo.entries.entry(pages.langs[li].tag.clone()).or_default();
        if entries.get(&path) != Some(&now) {
            entries.insert(path, now);
            // The lists change: they are owed from now until written.
            memo.owed.insert(pages.langs[li].tag.clone());
            memo.owed_shared = true;
        }
        done.pages.extend(written);
        done.findings.extend(found);
    }
    drop(reads);
    // Each touched article's language chooser: a translation that comes or
    // goes changes its list, an English title its heading.
    let chooser_paths = pages.chooser_paths();
    let touched_paths: BTreeSet<&str> = touched.iter().map(|t| t.path.as_str()).collect();
    for path in touched_paths {
        if chooser_paths.contains(path) {
            let (file, bytes) = pages.chooser(path)?;
            out.put(&file, bytes)?;
        } else {
            done.removed.push(format!(
                "{CHOOSERS}/{}",
                crate::render::links::page_file(path)
            ));
        }
    }
    let lists: Vec<usize> = (0..pages.langs.len())
        .filter(|&li| memo.owed.contains(&pages.langs[li].tag) && !keeps(&pages, kept, li))
        .collect();
    for &li in &lists {
        let lang = &pages.langs[li];
        let read = lang.locale.map(|i| model.language(i, &stages));
        let jobs = pages.plan.jobs(lang, read.as_ref());
        out.put(
            &format!("{}/index.html", lang.slug),
            pages.index(lang, &jobs)?,
        )?;
        done.indexes.push(lang.tag.clone());
        // Its search index: a new, retitled or removed article is found,
        // found by its new title, or gone.
        let old = if model.config().html.search.enabled {
            let texts = match memo.texts.take(&lang.tag) {
                Some(texts) => texts,
                None => page_texts(&pages, li, &jobs, &exists[li]),
            };
            let old = search(&pages, &mut memo.search_folders, li, &texts, out);
            memo.texts.put(&lang.tag, texts);
            old?
        } else {
            Vec::new()
        };
        done.retired.extend(old);
        memo.owed.remove(&lang.tag);
        memo.owed_search.remove(&lang.tag);
    }
    if memo.owed_shared {
        // A page that comes or goes changes the alternates of the other
        // languages' sitemaps too. They are made before the root files, so
        // that the sitemap index names the files just written.
        for lang in &pages.langs {
            let files = pages.language_sitemaps(lang);
            let before = memo.sitemaps.insert(lang.tag.clone(), files.len());
            for part in files.len()..before.unwrap_or(0) {
                done.removed.push(Pages::sitemap_name(lang, part));
            }
            for (file, bytes) in files {
                out.put(&file, bytes)?;
            }
        }
        for (file, bytes) in pages.root_files()? {
            out.put(&file, bytes)?;
        }
        memo.owed_shared = false;
    }
    Ok(done)
}

/// Writes one of the search indexes [`rebuild`] left owed (a page's text
/// changed, its title and state did not), made again from every page of its
/// language as the full build makes it, so that a word saved into a page is
/// found and a word taken out is not. One language a call: a change to an
/// English owes every language's index, and `serve` answers what comes in
/// between. A language with a translation in `kept` waits, as its lists
/// do. Returns what was written (the language in `indexes`, the folder of
/// an index two writes old in `retired`: the caller removes it), or `None`
/// when no owed index can be written now.
pub fn catch_up_search(
    model: &Model,
    theme: &Theme,
    memo: &mut Memo,
    out: &dyn Sink,
    kept: &BTreeSet<(String, String)>,
) -> Result<Option<Rebuilt>> {
    let stages = Stages::default();
    let pages = Pages::new(model, theme, &memo.media, &stages);
    let Some(li) = (0..pages.langs.len())
        .find(|&li| memo.owed_search.contains(&pages.langs[li].tag) && !keeps(&pages, kept, li))
    else {
        return Ok(None);
    };
    let lang = &pages.langs[li];
    let texts = match memo.texts.take(&lang.tag) {
        Some(texts) => texts,
        None => language_texts(&pages, li, &stages),
    };
    let retired = search(&pages, &mut memo.search_folders, li, &texts, out);
    memo.texts.put(&lang.tag, texts);
    let retired = retired?;
    memo.owed_search.remove(&lang.tag);
    Ok(Some(Rebuilt {
        indexes: vec![lang.tag.clone()],
        retired,
        ..Rebuilt::default()
    }))
}

/// Whether language `li` has a translation kept as it is (in `kept`),
/// which its lists and search index would be read from: they wait (a new
/// file not applied has no entry in them, and holds nothing up).
fn keeps(pages: &Pages, kept: &BTreeSet<(String, String)>, li: usize) -> bool {
    pages.langs[li].locale.is_some_and(|i| {
        let tag = &pages.model.project.locales[i].tag;
        kept.iter()
            .any(|(t, p)| t == tag && pages.model.pairing.brief(i, p).is_some())
    })
}

/// Makes the search texts of the language whose translation was last
/// opened or saved and that wants them ([`Memo::want_texts`]), so that the
/// first save in it indexes it from them: `serve` calls it when it has
/// nothing else to do. A language with a translation kept as it is (in
/// `kept`) waits, as its index does. Returns the language made, or None
/// when none can be made now (or the site has no search).
pub fn warm_search(
    model: &Model,
    theme: &Theme,
    memo: &mut Memo,
    kept: &BTreeSet<(String, String)>,
) -> Option<String> {
    if !model.config().html.search.enabled {
        return None;
    }
    let stages = Stages::default();
    let pages = Pages::new(model, theme, &memo.media, &stages);
    let li = memo.texts.wanted.iter().rev().find_map(|tag| {
        let li = pages.langs.iter().position(|l| l.tag == *tag)?;
        (!memo.texts.has(tag) && !keeps(&pages, kept, li)).then_some(li)
    })?;
    let tag = pages.langs[li].tag.clone();
    memo.texts.put(&tag, language_texts(&pages, li, &stages));
    Some(tag)
}

/// The text of every searched page of language `li`, its translations
/// read again as stage 4 reads them.
fn language_texts(pages: &Pages, li: usize, stages: &Stages) -> BTreeMap<String, PageText> {
    let lang = &pages.langs[li];
    let read = lang.locale.map(|i| pages.model.language(i, stages));
    let jobs = pages.plan.jobs(lang, read.as_ref());
    let exists = pages.plan.paths(lang).into_iter().collect();
    page_texts(pages, li, &jobs, &exists)
}

/// The text of every searched page of language `li` among its `jobs`,
/// rendered as the full build renders them (`exists`: the article paths
/// with a page in the language).
fn page_texts(
    pages: &Pages,
    li: usize,
    jobs: &[(&str, Job)],
    exists: &HashSet<&str>,
) -> BTreeMap<String, PageText> {
    let lang = &pages.langs[li];
    let none = HashSet::new();
    jobs.par_iter()
        .filter(|(_, job)| searched_english(job).is_some())
        .filter_map(|(path, job)| {
            // The index reads the page alone: its pairs are not rendered.
            let body = pages
                .bodies
                .render(lang, path, job, exists, &none, Parts::Page);
            Some((path.to_string(), PageText::of(path, job, &body.rendered)?))
        })
        .collect()
}

/// Writes language `li`'s search index, made from the `texts` of its
/// pages as the full build makes it from their bodies. Returns the folders
/// of its earlier indexes to remove ([`SearchFolders::searched`]).
fn search(
    pages: &Pages,
    folders: &mut SearchFolders,
    li: usize,
    texts: &BTreeMap<String, PageText>,
    out: &dyn Sink,
) -> Result<Vec<String>> {
    let lang = &pages.langs[li];
    let Some(index) = pages.search_index(lang) else {
        return Ok(Vec::new());
    };
    texts.par_iter().for_each(|(path, text)| {
        let english: Vec<&str> = text.english.iter().map(String::as_str).collect();
        index.add_text(&page_url(path), &text.title, &text.body, &english);
    });
    let folder = pages.write_search(lang, index, out)?;
    Ok(folders.searched(&lang.tag, &lang.slug, folder))
}

/// What [`on_request`] made of a path.
#[derive(Debug, PartialEq, Eq)]
pub enum Made {
    /// The file's bytes, as the full build writes them.
    File(Vec<u8>),
    /// A language's folder named without its `/`.
    Folder,
    /// A file only the full build makes (search indexes, sitemaps,
    /// `robots.txt`).
    Later,
    /// The site has no such file.
    Missing,
}

/// One file of the site (`rel`, `/`-separated, decoded), made on request
/// from the model by the page code of the full build, for `serve` before
/// its first build is written: an article's page, side-by-side page or
/// Show English data; a language chooser; a language's index or 404 page;
/// the root index, 404 or status page; a theme asset or an image.
///
/// An article page is the full build's page but for one thing: a
/// `#fragment` link to a heading the other page does not have is kept
/// (the full build, which has every page, drops it). `paths`, when the
/// model holds only some articles (the one asked for, with its copies in
/// every language): every article path of the project, which links may
/// name.
pub fn on_request(
    model: &Model,
    theme: &Theme,
    media: &Media,
    rel: &str,
    paths: Option<&BTreeSet<String>>,
) -> Result<Made> {
    let stages = Stages::default();
    let pages = Pages::new(model, theme, media, &stages);
    if let Some(asset) = theme.assets.iter().find(|a| a.path == rel) {
        return Ok(Made::File(asset.bytes.clone()));
    }
    if let Some(bytes) = media.read(rel)? {
        return Ok(Made::File(bytes));
    }
    if let Some(bytes) = pages.root_page(rel)? {
        return Ok(Made::File(bytes));
    }
    let Some((first, rest)) = rel.split_once('/') else {
        if pages.langs.iter().any(|l| l.slug == rel) {
            return Ok(Made::Folder);
        }
        return Ok(match rel {
            "sitemap.xml" | "robots.txt" => Made::Later,
            _ => Made::Missing,
        });
    };
    if first == CHOOSERS {
        let paths = pages.chooser_paths();
        return match paths
            .iter()
            .find(|p| crate::render::links::page_file(p) == rest)
        {
            Some(path) => Ok(Made::File(pages.chooser(path)?.1)),
            None => Ok(Made::Missing),
        };
    }
    let Some(li) = pages.langs.iter().position(|l| l.slug == first) else {
        return Ok(Made::Missing);
    };
    let lang = &pages.langs[li];
    if rest.starts_with("search/") || (rest.starts_with("sitemap") && rest.ends_with(".xml")) {
        return Ok(Made::Later);
    }
    match rest {
        "index.html" => {
            // Every page's title and state: the whole language, read as
            // the build reads it.
            let read = lang.locale.map(|i| model.language(i, &stages));
            let jobs = pages.plan.jobs(lang, read.as_ref());
            return Ok(Made::File(pages.index(lang, &jobs)?));
        }
        "404.html" => return Ok(Made::File(pages.not_found(lang)?)),
        _ => {}
    }
    let here = pages.plan.paths(lang);
    let Some(&path) = here
        .iter()
        .find(|p| output_names(p).iter().any(|n| n == rest))
    else {
        return Ok(Made::Missing);
    };
    let read = lang.locale.map(|i| model.articles(i, &[path]));
    let Some(job) = pages.plan.job(lang, path, read.as_ref()) else {
        return Ok(Made::Missing);
    };
    // As `rebuild` makes it: a fallback page shows the English page's body.
    let (body_lang, body_job, exists) = match job {
        Job::Fallback(e) => {
            let english = &pages.langs[0];
            let paths = pages.plan.paths(english).into_iter();
            (english, Job::English(e), paths.collect::<HashSet<&str>>())
        }
        _ => (lang, job, here.iter().copied().collect()),
    };
    let exists = match paths {
        Some(all) => all.iter().map(String::as_str).collect(),
        None => exists,
    };
    let body = pages.bodies.render(
        body_lang,
        path,
        &body_job,
        &exists,
        &HashSet::new(),
        Parts::All,
    );
    let made = pages.page_files(lang, path, &job, Some(&body), &body.rendered)?;
    let wanted = format!("{first}/{rest}");
    Ok(made
        .files
        .into_iter()
        .find(|(file, _)| *file == wanted)
        .map_or(Made::Missing, |(_, bytes)| Made::File(bytes)))
}

#[cfg(test)]
mod tests {
    use super::{PageText, SearchFolders, SearchTexts, TEXTS_KEPT};
    use std::collections::BTreeMap;

    fn texts(paths: &[&str]) -> BTreeMap<String, PageText> {
        let text = |p: &str| PageText {
            title: p.to_string(),
            body: String::new(),
            english: Vec::new(),
        };
        paths.iter().map(|p| (p.to_string(), text(p))).collect()
    }

    fn paths(kept: &mut SearchTexts, tag: &str) -> Option<Vec<String>> {
        let texts = kept.take(tag)?;
        let paths = texts.keys().cloned().collect();
        kept.put(tag, texts);
        Some(paths)
    }

    #[test]
    fn texts_are_kept_for_the_languages_saved_last() {
        let mut kept = SearchTexts::default();
        // Not saved in: an index of it keeps nothing.
        kept.put("de-DE", texts(&["a.md"]));
        assert!(!kept.has("de-DE"));
        // zh-CN, then as many other languages as are kept.
        let tags: Vec<String> = std::iter::once("zh-CN".to_string())
            .chain((1..=TEXTS_KEPT).map(|i| format!("x{i}")))
            .collect();
        let (last, first) = tags.split_last().expect("tags");
        for tag in first {
            kept.want(tag);
            kept.put(tag, texts(&["a.md", "b.md"]));
        }
        // A rebuild brings them up to date: a page made again, one gone.
        kept.update("zh-CN", "c.md", texts(&["c.md"]).remove("c.md"));
        kept.update("zh-CN", "a.md", None);
        assert_eq!(
            paths(&mut kept, "zh-CN").expect("zh-CN kept"),
            ["b.md", "c.md"]
        );
        // Saved in again, zh-CN is the last saved; one more language saved
        // in puts out the one saved longest ago.
        kept.want("zh-CN");
        kept.want(last);
        assert!(!kept.has("x1"));
        assert!(kept.has("zh-CN") && first[2..].iter().all(|t| kept.has(t)));
        // Its texts wanted, the last has none until its next index makes
        // them.
        assert!(!kept.has(last));
        kept.update(last, "a.md", texts(&["a.md"]).remove("a.md"));
        assert!(!kept.has(last));
    }

    #[test]
    fn a_search_folder_is_removed_when_two_indexes_old() {
        let mut folders = SearchFolders::default();
        let mut searched = |f: &str| folders.searched("zh-CN", "zh-cn", f.to_string());
        assert!(searched("a").is_empty());
        // The same index again: nothing to remove.
        assert!(searched("a").is_empty());
        assert!(searched("b").is_empty());
        assert_eq!(searched("c"), ["zh-cn/search/a"]);
        // Back to the index before: it is still there, and kept.
        assert!(searched("b").is_empty());
        assert_eq!(searched("d"), ["zh-cn/search/c"]);
        assert_eq!(searched("e"), ["zh-cn/search/b"]);
    }
}
