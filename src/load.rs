//! Stage 1: find the locale folders and their article files, and read them.
//!
//! Input: a [`Config`]. Output: a [`Project`]: every locale's parsed articles
//! (in path order), the source-language folder's articles if there is one, and
//! findings about the layout. Locale folders are the content folder's
//! sub-folders whose names are BCP 47 tags; another folder is reported and
//! skipped, files beside the locale folders are ignored. Articles are the `.md`
//! files at any depth of a locale folder, except under `includes/`.

use crate::config::Config;
use crate::diag::{lint, Finding, Pos};
use crate::model::Article;
use crate::timing::{Stage, Stages};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One locale folder and its articles.
#[derive(Debug)]
pub struct Locale {
    /// The folder name (`zh-CN`).
    pub tag: String,
    pub dir: PathBuf,
    /// Parsed articles, sorted by path.
    pub articles: Vec<Article>,
}

/// Everything read from the content folder.
#[derive(Debug)]
pub struct Project {
    pub config: Config,
    /// Translated locales, sorted by tag (the source language is not among them).
    pub locales: Vec<Locale>,
    /// The source-language folder (`content/en-US`), if present.
    pub english: Option<Locale>,
    /// Findings about the layout (folders that are not locales, unreadable files).
    pub findings: Vec<Finding>,
}

impl Project {
    /// The name the site shows for each language, the English first, then
    /// every locale in order: the configured `[languages.<tag>] name`, else
    /// the autonym, told apart where two share one ([`crate::locale::names`]).
    /// Taken over every locale of the project, so that a shard built with
    /// `--locale` names its languages as the whole build does.
    pub fn language_names(&self) -> Vec<String> {
        let tags = std::iter::once(&*self.config.source_language)
            .chain(self.locales.iter().map(|l| &*l.tag));
        let languages: Vec<(&str, Option<&str>)> = tags
            .map(|tag| {
                (
                    tag,
                    self.config.language(tag).and_then(|l| l.name.as_deref()),
                )
            })
            .collect();
        crate::locale::names(&languages)
    }
}

/// A locale folder found on disk, with its article paths, not yet read.
#[derive(Debug)]
pub struct LocaleDir {
    pub tag: String,
    pub dir: PathBuf,
    /// Paths relative to `dir`, `/`-separated, sorted.
    pub paths: Vec<String>,
    /// The content folder, which every article is read through.
    pub jail: Arc<crate::fs::Jail>,
}

/// Finds the locale folders of `content` and their article files. Symbolic
/// links are followed only where they stay inside `content`.
pub fn discover(content: &Path) -> Result<(Vec<LocaleDir>, Vec<Finding>)> {
    let mut findings = Vec::new();
    let entries = std::fs::read_dir(content)
        .with_context(|| format!("could not read the content folder {}", content.display()))?;
    let jail = Arc::new(crate::fs::Jail::new(content)?);
    let mut dirs: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("could not read {}", content.display()))?;
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if !jail.contains(&path) {
            findings.push(outside_link(&path));
        } else if crate::locale::is_locale_tag(&name) {
            dirs.push((name, path));
        } else {
            findings.push(Finding::new(
                lint::LOAD_NOT_A_LOCALE,
                &path.display().to_string(),
                Pos::START,
                format!("`{name}` is not a locale tag (such as `zh-CN`); the folder is skipped"),
            ));
        }
    }
    dirs.sort();
    // Each folder walked on its own thread, kept in tag order.
    let walked: Vec<(LocaleDir, Vec<Finding>)> = dirs
        .into_par_iter()
        .map(|(tag, dir)| {
            let (paths, problems) = article_paths(&dir, &jail);
            let jail = Arc::clone(&jail);
            (
                LocaleDir {
                    tag,
                    dir,
                    paths,
                    jail,
                },
                problems,
            )
        })
        .collect();
    let mut locales = Vec::with_capacity(walked.len());
    for (locale, mut problems) in walked {
        findings.append(&mut problems);
        locales.push(locale);
    }
    drop_colliding(&mut locales, &mut findings);
    report_long_names(&locales, &mut findings);
    findings.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((locales, findings))
}

/// A symbolic link that leads out of the folders helpbook reads.
pub fn outside_link(path: &Path) -> Finding {
    let target = std::fs::read_link(path)
        .map(|t| format!(" (to {})", t.display()))
        .unwrap_or_default();
    Finding::new(
        lint::LOAD_OUTSIDE_LINK,
        &path.display().to_string(),
        Pos::START,
        format!("this symbolic link{target} leads out of the content folder; it is not read"),
    )
}

fn article_paths(dir: &Path, jail: &crate::fs::Jail) -> (Vec<String>, Vec<Finding>) {
    let mut paths = Vec::new();
    let findings = std::cell::RefCell::new(Vec::new());
    // Symbolic links are followed while they stay inside the content folder;
    // one that leads out is reported and not read, one that loops or leads
    // nowhere is reported as unreadable.
    let walk = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.path_is_symlink() && !jail.contains(e.path()) {
                findings.borrow_mut().push(outside_link(e.path()));
                return false;
            }
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_dir() && (name == "includes" || name.starts_with('.')))
        });
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let path = e.path();
                if path.extension().is_some_and(|x| x == "md") {
                    if let Ok(rel) = path.strip_prefix(dir) {
                        let rel: Vec<_> = rel
                            .components()
                            .map(|c| c.as_os_str().to_string_lossy())
                            .collect();
                        paths.push(rel.join("/"));
                    }
                }
            }
            Ok(_) => {}
            Err(err) => {
                let file = err
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
                findings.borrow_mut().push(Finding::new(
                    lint::FILE_UNREADABLE,
                    &file,
                    Pos::START,
                    format!("could not be read: {err}"),
                ));
            }
        }
    }
    paths.sort();
    (paths, findings.into_inner())
}

/// Skips the articles whose output files would be another article's on a
/// file system that ignores letter case (`Foo.md` and `foo.md`, or
/// `a.sxs.md` and the side-by-side page of `a.md`), in any locale folder:
/// articles are one across locales by path, and the English has them all.
/// The path that sorts first (bytes, as `LC_ALL=C ls` lists them) is built;
/// every other file is reported and left out, so that the site is the same
/// wherever it is built or copied.
fn drop_colliding(locales: &mut [LocaleDir], findings: &mut Vec<Finding>) {
    let all: BTreeSet<&str> = locales
        .iter()
        .flat_map(|l| l.paths.iter().map(String::as_str))
        .collect();
    let mut owner: HashMap<String, &str> = HashMap::new();
    let mut skipped: HashMap<String, (String, String)> = HashMap::new();
    for path in all {
        let names = crate::render::links::output_names(path).map(|n| n.to_lowercase());
        match names.iter().find_map(|n| owner.get(n).map(|w| (n, *w))) {
            Some((name, winner)) => {
                skipped.insert(path.to_string(), (winner.to_string(), name.clone()));
            }
            None => owner.extend(names.into_iter().map(|n| (n, path))),
        }
    }
    if skipped.is_empty() {
        return;
    }
    for locale in locales {
        locale.paths.retain(|path| {
            let Some((winner, name)) = skipped.get(path) else {
                return true;
            };
            findings.push(Finding::new(
                lint::LOAD_PATH_COLLISION,
                &locale.dir.join(path).display().to_string(),
                Pos::START,
                format!(
                    "`{path}` and `{winner}` would both be written to `{name}` where letter \
                     case is not significant (macOS, Windows); `{winner}` sorts first and is \
                     built, this file is skipped: rename one of them"
                ),
            ));
            false
        });
    }
}

/// Reports the articles whose pages get shortened names because a name of
/// their own would be too long for a file system (`render::links`).
fn report_long_names(locales: &[LocaleDir], findings: &mut Vec<Finding>) {
    for locale in locales {
        for path in &locale.paths {
            if crate::render::links::is_shortened(path) {
                findings.push(Finding::new(
                    lint::LOAD_LONG_NAME,
                    &shown(&locale.dir, path),
                    Pos::START,
                    format!(
                        "the pages of `{path}` would have file names longer than the 255 bytes \
                         file systems allow; they are written as `{}`: shorten the file name",
                        crate::render::links::page_file(path)
                    ),
                ));
            }
        }
    }
}

/// Reads and parses every article of one locale folder, in parallel.
pub fn read_locale(dir: &LocaleDir) -> (Locale, Vec<Finding>) {
    read_locale_timed(dir, &Stages::default())
}

/// [`read_locale`], adding the time spent reading and parsing to `stages`.
pub fn read_locale_timed(dir: &LocaleDir, stages: &Stages) -> (Locale, Vec<Finding>) {
    let results: Vec<Result<Article, Finding>> = dir
        .paths
        .par_iter()
        .map(|rel| read_article(&dir.jail, &dir.tag, &dir.dir, rel, stages))
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    let mut findings = Vec::new();
    for r in results {
        match r {
            Ok(a) => articles.push(a),
            Err(f) => findings.push(f),
        }
    }
    let locale = Locale {
        tag: dir.tag.clone(),
        dir: dir.dir.clone(),
        articles,
    };
    (locale, findings)
}

/// The file at `rel` of the locale folder `dir` as findings name it
/// ([`Article::file`]).
pub fn shown(dir: &Path, rel: &str) -> String {
    dir.join(rel).display().to_string()
}

/// Reads and parses the article at `rel` of the locale folder `dir`
/// (tagged `tag`) through `jail`, or says why it could not be read.
pub fn read_article(
    jail: &crate::fs::Jail,
    tag: &str,
    dir: &Path,
    rel: &str,
    stages: &Stages,
) -> Result<Article, Finding> {
    let path = dir.join(rel);
    let file = shown(dir, rel);
    match stages.time(Stage::Read, || jail.read(&path)) {
        Ok(Some(bytes)) => Ok(stages.time(Stage::Parse, || {
            crate::parse::article(tag, rel, &file, &bytes)
        })),
        // Listed inside the folder, and since made a link that leads out.
        Ok(None) => Err(outside_link(&path)),
        Err(err) => Err(Finding::new(
            lint::FILE_UNREADABLE,
            &file,
            Pos::START,
            format!("could not be read: {err}"),
        )),
    }
}

/// Reads and parses the article at `rel` of the locale folder `dir`
/// (tagged `tag`) through `jail`: `Ok(None)` when it leads out of the
/// content folder (`serve`, which reads files as they change).
pub fn read_in(
    jail: &crate::fs::Jail,
    tag: &str,
    dir: &Path,
    rel: &str,
) -> std::io::Result<Option<Article>> {
    let bytes = jail.read(&dir.join(rel))?;
    Ok(bytes.map(|b| crate::parse::article(tag, rel, &shown(dir, rel), &b)))
}

/// Whether `rel` (a path in a locale folder) is a snippet for
/// `[!INCLUDE]`: a file under an `includes/` folder, not an article.
pub fn is_snippet(rel: &str) -> bool {
    rel.split('/').rev().skip(1).any(|p| p == "includes")
}

/// Loads a whole project: every locale, read and parsed.
pub fn project(config: Config, only: &[String]) -> Result<Project> {
    project_timed(config, only, &Stages::default())
}

/// [`project`], adding the time spent reading and parsing to `stages`.
pub fn project_timed(config: Config, only: &[String], stages: &Stages) -> Result<Project> {
    let (dirs, mut findings) = discover(&config.content_dir)?;
    let mut locales = Vec::new();
    let mut english = None;
    for dir in &dirs {
        let is_english = dir.tag.eq_ignore_ascii_case(&config.source_language);
        if !is_english && !only.is_empty() && !only.iter().any(|l| l.eq_ignore_ascii_case(&dir.tag))
        {
            continue;
        }
        stages.progress.step(&format!("reading {}", dir.tag));
        let (locale, mut problems) = read_locale_timed(dir, stages);
        findings.append(&mut problems);
        if is_english {
            english = Some(locale);
        } else {
            locales.push(locale);
        }
    }
    Ok(Project {
        config,
        locales,
        english,
        findings,
    })
}

/// The snippets that `[!INCLUDE]` directives name, each read and parsed once
/// while loading: (locale folder tag, path in the locale folder) → what is
/// there. Rendering reads them from here and never from the disk.
#[derive(Debug, Default, Clone)]
pub struct Includes {
    files: HashMap<(String, String), Included>,
    /// Snippet path → the paths of the articles and snippets that name it,
    /// in any locale folder (`serve` rebuilds them when it changes).
    users: HashMap<String, BTreeSet<String>>,
}

/// One snippet file of one locale folder.
#[derive(Debug, Clone)]
pub enum Included {
    /// Its translation and its English (each pair replaced by one side).
    Text { target: String, source: String },
    /// A symbolic link that leads out of the content folder: not read.
    Outside,
}

impl Includes {
    /// The snippets the `[!INCLUDE]` directives of `a` name, as
    /// (locale folder tag, path): in its own folder and in `english`.
    pub fn named(a: &Article, english: Option<&str>) -> Vec<(String, String)> {
        let mut wanted = Vec::new();
        for text in [&a.target, &a.source] {
            for path in directives(&a.path, text) {
                wanted.push((a.locale.clone(), path.clone()));
                if let Some(e) = english {
                    wanted.push((e.to_string(), path));
                }
            }
        }
        wanted
    }

    /// Reads the snippets of `wanted` ([`Includes::named`]) and those they
    /// name in turn.
    pub fn read(content: &Path, wanted: Vec<(String, String)>, english: Option<&str>) -> Includes {
        let mut includes = Includes::default();
        includes.extend(content, wanted, english);
        includes
    }

    /// Reads the snippets of `wanted` not read yet, and those they name in
    /// turn.
    pub fn extend(
        &mut self,
        content: &Path,
        mut wanted: Vec<(String, String)>,
        english: Option<&str>,
    ) {
        let Ok(jail) = crate::fs::Jail::new(content) else {
            return;
        };
        while let Some((tag, path)) = wanted.pop() {
            if self.files.contains_key(&(tag.clone(), path.clone())) {
                continue;
            }
            let file = content.join(&tag).join(&path);
            let found = match jail.read(&file) {
                Ok(Some(bytes)) => {
                    let a = crate::parse::article(&tag, &path, &file.display().to_string(), &bytes);
                    for text in [&a.target, &a.source] {
                        for inner in directives(&path, text) {
                            self.users
                                .entry(inner.clone())
                                .or_default()
                                .insert(path.clone());
                            wanted.push((tag.clone(), inner.clone()));
                            if let Some(e) = english {
                                wanted.push((e.to_string(), inner));
                            }
                        }
                    }
                    Included::Text {
                        target: a.target,
                        source: a.source,
                    }
                }
                Ok(None) => Included::Outside,
                Err(_) => continue,
            };
            self.files.insert((tag, path), found);
        }
    }

    /// Notes that the article at `user` names the snippets `named`
    /// ([`Includes::named`]).
    pub fn used_by(&mut self, user: &str, named: &[(String, String)]) {
        for (_, snippet) in named {
            self.users
                .entry(snippet.clone())
                .or_default()
                .insert(user.to_string());
        }
    }

    /// The paths of the articles that include the snippet at `path`, in
    /// any locale folder, directly or through other snippets.
    pub fn users(&self, path: &str) -> BTreeSet<String> {
        let mut articles = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut todo = vec![path.to_string()];
        while let Some(snippet) = todo.pop() {
            if !seen.insert(snippet.clone()) {
                continue;
            }
            for user in self.users.get(&snippet).into_iter().flatten() {
                if is_snippet(user) {
                    todo.push(user.clone());
                } else {
                    articles.insert(user.clone());
                }
            }
        }
        articles
    }

    /// The snippet at `path` of locale folder `tag`, if it exists.
    pub fn get(&self, tag: &str, path: &str) -> Option<&Included> {
        self.files.get(&(tag.to_string(), path.to_string()))
    }

    /// Reads the snippet at `path` of `tag` again (after it changed on disk):
    /// what `load` would read for it now.
    pub fn reload(&mut self, content: &Path, tag: &str, path: &str) {
        let key = (tag.to_string(), path.to_string());
        self.files.remove(&key);
        let Ok(jail) = crate::fs::Jail::new(content) else {
            return;
        };
        let file = content.join(tag).join(path);
        let found = match jail.read(&file) {
            Ok(Some(bytes)) => {
                let a = crate::parse::article(tag, path, &file.display().to_string(), &bytes);
                Included::Text {
                    target: a.target,
                    source: a.source,
                }
            }
            Ok(None) => Included::Outside,
            Err(_) => return,
        };
        self.files.insert(key, found);
    }
}

/// The paths (resolved from `from`, relative to the locale folder) of the
/// `[!INCLUDE]` directives of `text`.
fn directives(from: &str, text: &str) -> Vec<String> {
    if !text.contains("[!INCLUDE") && !text.contains("[!include") {
        return Vec::new();
    }
    text.lines()
        .filter_map(crate::render::includes::directive)
        .filter_map(|p| crate::render::links::join(from, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_is_used_by_the_articles_that_name_it_through_other_snippets() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("zh-CN/includes");
        std::fs::create_dir_all(&dir).expect("folder");
        // outer names inner, inner names outer: a loop ends.
        std::fs::write(dir.join("outer.md"), "[!INCLUDE [i](inner.md)]\n").expect("outer");
        std::fs::write(dir.join("inner.md"), "[!INCLUDE [o](outer.md)]\n").expect("inner");
        let named = vec![("zh-CN".to_string(), "includes/outer.md".to_string())];
        let mut includes = Includes::read(tmp.path(), named.clone(), None);
        includes.used_by("a.md", &named);
        includes.used_by("b/c.md", &named);
        let users: Vec<String> = includes.users("includes/inner.md").into_iter().collect();
        assert_eq!(users, ["a.md", "b/c.md"]);
        assert!(includes.users("includes/other.md").is_empty());
        assert!(is_snippet("x/includes/y.md") && !is_snippet("includes.md"));
    }
}
