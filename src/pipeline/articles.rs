//! Stages 1–3 article by article: every locale's copy of one article path
//! read and parsed together, the English of the path made from them, each
//! copy's freshness and findings computed, and the snippets it names noted.
//!
//! Working across the locale folders one path at a time is what keeps a
//! build's memory growing with the largest language rather than with the
//! number of languages: every copy leaves stage 3 as a [`Brief`], what the
//! other languages' pages, the lists and `status` read of it; with
//! [`Keep::Lean`] the whole article and its freshness are dropped as soon
//! as its path is paired, and stage 4 reads a language's articles again
//! when it renders that language ([`Model::language`]). The copy the
//! English of record was rebuilt from is kept whole: the English pages are
//! made from it.

use super::{conflict_finding, Keep, Model};
use crate::config::Config;
use crate::diag::{lint, Finding, Pos};
use crate::load::{Includes, Locale, LocaleDir, Project};
use crate::model::Article;
use crate::pair::{self, Brief, Conflict, English, EnglishArticle, Freshness, Origin, Pairing};
use crate::timing::Stages;
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// One locale folder as stage 3 names it in findings.
struct Folder {
    tag: String,
    dir: PathBuf,
}

impl Folder {
    fn new(tag: &str, dir: &std::path::Path) -> Folder {
        Folder {
            tag: tag.to_string(),
            dir: dir.to_path_buf(),
        }
    }
}

/// Every copy of one article path, read and parsed.
#[derive(Default)]
struct Copies {
    /// The source-language folder's file, when there is one.
    english: Option<Article>,
    /// Each locale's copy, by index in `Project::locales`, in that order.
    copies: Vec<(usize, Article)>,
    /// Copies that could not be read.
    unreadable: Vec<Finding>,
}

/// One article path after stage 3.
struct Paired {
    path: std::sync::Arc<str>,
    english: Option<EnglishArticle>,
    conflicts: Vec<Conflict>,
    english_copy: Option<Article>,
    /// Each locale's copy, by index in `Project::locales`: its brief.
    briefs: Vec<(usize, Brief)>,
    /// The copies the model keeps whole, with their freshness (apart from
    /// the briefs: a path's many dropped copies take no room for them).
    whole: Vec<(usize, Article, Freshness)>,
    findings: Vec<Finding>,
    /// The snippets its copies name ([`Includes::named`]).
    includes: Vec<(String, String)>,
}

/// Stages 1–3 of the whole project, one article path at a time.
pub(super) fn load(config: Config, keep: Keep, stages: &Stages) -> Result<Model> {
    let (dirs, layout) = crate::load::discover(&config.content_dir)?;
    let mut english_dir: Option<LocaleDir> = None;
    let mut locale_dirs = Vec::new();
    for dir in dirs {
        if dir.tag.eq_ignore_ascii_case(&config.source_language) {
            english_dir = Some(dir);
        } else {
            locale_dirs.push(dir);
        }
    }
    if locale_dirs.is_empty() && english_dir.is_none() {
        bail!(super::no_locale_folders(&config));
    }
    let paths: BTreeSet<&str> = locale_dirs
        .iter()
        .chain(english_dir.as_ref())
        .flat_map(|d| d.paths.iter().map(String::as_str))
        .collect();
    let paths: Vec<&str> = paths.into_iter().collect();
    stages.progress.step("reading");
    let folders: Vec<Folder> = locale_dirs
        .iter()
        .map(|d| Folder::new(&d.tag, &d.dir))
        .collect();
    let english_tag = english_dir.as_ref().map(|d| d.tag.as_str());
    let read = |dir: &LocaleDir, path: &str| {
        dir.paths.binary_search_by(|p| p.as_str().cmp(path)).ok()?;
        Some(crate::load::read_article(
            &dir.jail, &dir.tag, &dir.dir, path, stages,
        ))
    };
    let paired: Vec<Paired> = paths
        .par_iter()
        .map(|path| {
            let mut copies = Copies::default();
            if let Some(dir) = &english_dir {
                match read(dir, path) {
                    Some(Ok(a)) => copies.english = Some(a),
                    Some(Err(f)) => copies.unreadable.push(f),
                    None => {}
                }
            }
            for (i, dir) in locale_dirs.iter().enumerate() {
                match read(dir, path) {
                    Some(Ok(a)) => copies.copies.push((i, a)),
                    Some(Err(f)) => copies.unreadable.push(f),
                    None => {}
                }
            }
            pair_path(path, copies, english_tag, &folders, &config, keep)
        })
        .collect();
    let english = english_dir.map(|d| Folder::new(&d.tag, &d.dir));
    Ok(assemble(config, folders, english, layout, paired, keep))
}

/// Stages 1 (the snippets) to 3 on a project whose folders are read
/// (`serve`'s one article before the whole is): its articles are paired
/// path by path, as [`load`] pairs them, and kept whole.
pub(super) fn from_project(project: Project) -> Model {
    let Project {
        config,
        locales,
        english,
        findings,
    } = project;
    let folders: Vec<Folder> = locales
        .iter()
        .map(|l| Folder::new(&l.tag, &l.dir))
        .collect();
    let mut by_path: BTreeMap<String, Copies> = BTreeMap::new();
    let english_folder = english.map(|e| {
        for a in e.articles {
            let copies = by_path.entry(a.path.clone()).or_default();
            copies.english = Some(a);
        }
        Folder::new(&e.tag, &e.dir)
    });
    for (i, l) in locales.into_iter().enumerate() {
        for a in l.articles {
            by_path
                .entry(a.path.clone())
                .or_default()
                .copies
                .push((i, a));
        }
    }
    let english_tag = english_folder.as_ref().map(|f| f.tag.as_str());
    let paired: Vec<Paired> = by_path
        .into_iter()
        .map(|(path, c)| pair_path(&path, c, english_tag, &folders, &config, Keep::All))
        .collect();
    assemble(config, folders, english_folder, findings, paired, Keep::All)
}

/// Stage 3 for one article path: its English (the source-language
/// folder's file, or the English of record of its copies), the freshness
/// and findings of each copy, `article::missing-translation` for each
/// locale without one, and the snippets the copies name. `english_tag`:
/// the source-language folder's tag, when there is that folder.
fn pair_path(
    path: &str,
    c: Copies,
    english_tag: Option<&str>,
    folders: &[Folder],
    config: &Config,
    keep: Keep,
) -> Paired {
    let (english, conflicts) = match english_tag {
        Some(_) => (
            c.english.as_ref().map(EnglishArticle::of_folder),
            Vec::new(),
        ),
        None if c.copies.is_empty() => (None, Vec::new()),
        None => {
            let refs: Vec<&Article> = c.copies.iter().map(|(_, a)| a).collect();
            let (e, conflicts) = pair::of_record(&refs);
            (Some(e), conflicts)
        }
    };
    let mut findings = c.unreadable;
    let mut includes = Vec::new();
    if let (Some(a), Some(tag)) = (&c.english, english_tag) {
        findings.extend(a.findings.iter().cloned().map(|mut f| {
            f.locale = Some(tag.into());
            f
        }));
        includes.extend(Includes::named(a, english_tag));
    }
    findings.extend(conflicts.iter().map(conflict_finding));
    let dnt = &config.check.do_not_translate;
    let mut has = vec![false; folders.len()];
    let mut briefs = Vec::with_capacity(c.copies.len());
    let mut whole = Vec::new();
    // One allocation of the path for the briefs of every copy.
    let path: std::sync::Arc<str> = path.into();
    let mut markup = crate::check::markup::Comparer::default();
    for (i, a) in c.copies {
        has[i] = true;
        let fresh = pair::freshness(&a, english.as_ref(), dnt);
        let mut found = a.findings.clone();
        found.extend(pair::article_findings(&a, &fresh, english.as_ref()));
        for seg in &a.segments {
            for (lint, message) in markup.compare(seg.target(&a), seg.source(&a)) {
                found.push(Finding::new(lint, &a.file, seg.pos, message));
            }
        }
        for f in &mut found {
            f.locale = Some(folders[i].tag.as_str().into());
        }
        findings.append(&mut found);
        includes.extend(Includes::named(&a, english_tag));
        briefs.push((i, Brief::of(&path, &a, &fresh, english.as_ref())));
        if keep == Keep::All || is_base(english.as_ref(), &folders[i].tag) {
            whole.push((i, a, fresh));
        }
    }
    if let Some(e) = &english {
        for (folder, _) in folders.iter().zip(&has).filter(|(_, has)| !**has) {
            let mut f = pair::missing_translation(&folder.tag, &folder.dir, e);
            f.locale = Some(folder.tag.as_str().into());
            findings.push(f);
        }
    }
    Paired {
        path,
        english,
        conflicts,
        english_copy: c.english,
        briefs,
        whole,
        findings,
        includes,
    }
}

/// The model from the paired paths (in path order).
fn assemble(
    config: Config,
    folders: Vec<Folder>,
    english_folder: Option<Folder>,
    layout: Vec<Finding>,
    paired: Vec<Paired>,
    keep: Keep,
) -> Model {
    // Each locale's briefs, in one allocation of their number.
    let mut counts = vec![0; folders.len()];
    for p in &paired {
        for (i, _) in &p.briefs {
            counts[*i] += 1;
        }
    }
    let mut briefs: Vec<Vec<Brief>> = counts.iter().map(|&n| Vec::with_capacity(n)).collect();
    let mut locales: Vec<Locale> = folders
        .into_iter()
        .zip(counts)
        .map(|(f, n)| Locale {
            tag: f.tag,
            dir: f.dir,
            articles: Vec::with_capacity(if keep == Keep::All { n } else { 0 }),
        })
        .collect();
    let mut english_locale = english_folder.map(|f| Locale {
        tag: f.tag,
        dir: f.dir,
        articles: Vec::new(),
    });
    let mut fresh: Vec<BTreeMap<String, Freshness>> = vec![BTreeMap::new(); locales.len()];
    let mut english = English::default();
    // The findings, in one allocation of their number: at 36 languages
    // they are tens of thousands, kept to the end of the run.
    let total = layout.len() + paired.iter().map(|p| p.findings.len()).sum::<usize>();
    let mut findings = Vec::with_capacity(total);
    findings.extend(layout.iter().cloned());
    let mut wanted = Vec::new();
    let mut uses = Vec::new();
    for p in paired {
        if let Some(e) = p.english {
            english.articles.insert(e.path.clone(), e);
        }
        english.conflicts.extend(p.conflicts);
        if let (Some(a), Some(l)) = (p.english_copy, english_locale.as_mut()) {
            l.articles.push(a);
        }
        for (i, brief) in p.briefs {
            briefs[i].push(brief);
        }
        for (i, a, f) in p.whole {
            fresh[i].insert(a.path.clone(), f);
            locales[i].articles.push(a);
        }
        findings.extend(p.findings);
        if !p.includes.is_empty() {
            uses.push((p.path, p.includes.clone()));
        }
        wanted.extend(p.includes);
    }
    let english_tag = english_locale.as_ref().map(|l| l.tag.clone());
    let mut includes = Includes::read(&config.content_dir, wanted, english_tag.as_deref());
    for (path, named) in uses {
        includes.used_by(&path, &named);
    }
    Model {
        project: Project {
            config,
            locales,
            english: english_locale,
            findings: layout,
        },
        pairing: Pairing::from_parts(english, briefs, fresh),
        includes,
        findings,
        keep,
    }
}

/// One locale's articles as stage 4 renders them, with their freshness,
/// in path order ([`Model::language`], [`Model::articles`]): the copies
/// the model keeps whole are taken from it (with [`Keep::Lean`], those the
/// English of record was rebuilt from, and those `serve` holds); the
/// others are read and parsed again.
pub struct Language<'m> {
    model: &'m Model,
    /// The locale's index in `Project::locales`.
    locale: usize,
    articles: Vec<Article>,
    fresh: Vec<Freshness>,
    /// Articles that could no longer be read.
    pub findings: Vec<Finding>,
}

impl Language<'_> {
    /// The article at `path` and its freshness.
    pub fn get(&self, path: &str) -> Option<(&Article, &Freshness)> {
        let locale = &self.model.project.locales[self.locale];
        if let Some(a) = whole(locale, path) {
            return Some((a, self.model.pairing.of(self.locale, a)?));
        }
        let i = self
            .articles
            .binary_search_by(|a| a.path.as_str().cmp(path))
            .ok()?;
        Some((&self.articles[i], &self.fresh[i]))
    }

    /// Every article of the locale, in path order, with its freshness.
    pub fn iter(&self) -> impl Iterator<Item = (&Article, &Freshness)> {
        let briefs = self.model.pairing.briefs(self.locale);
        briefs.iter().filter_map(|b| self.get(&b.path))
    }
}

/// The copy of `path` the model keeps whole in `locale`, if it does.
fn whole<'l>(locale: &'l Locale, path: &str) -> Option<&'l Article> {
    let i = locale
        .articles
        .binary_search_by(|a| a.path.as_str().cmp(path))
        .ok()?;
    Some(&locale.articles[i])
}

/// Whether `english` was rebuilt from locale `tag`'s copy: the copy a lean
/// model keeps whole, since the English pages are made from it.
fn is_base(english: Option<&EnglishArticle>, tag: &str) -> bool {
    english.is_some_and(|e| matches!(&e.origin, Origin::Rebuilt { locale } if locale == tag))
}

/// Locale `i`'s articles at `paths` (all of them when None), those the
/// model does not keep whole read again: as stage 2 parsed them, paired
/// with the English as stage 3 paired them.
pub(super) fn language<'m>(
    model: &'m Model,
    i: usize,
    paths: Option<&[&str]>,
    stages: &Stages,
) -> Language<'m> {
    let locale = &model.project.locales[i];
    let dnt = &model.config().check.do_not_translate;
    let briefs = model.pairing.briefs(i);
    let wanted: Vec<&str> = match paths {
        None => briefs.iter().map(|b| &*b.path).collect(),
        Some(paths) => {
            // Asked for in any order: read in path order, for `get`.
            let mut wanted: Vec<&str> = paths
                .iter()
                .filter(|p| Brief::find(briefs, p).is_ok())
                .copied()
                .collect();
            wanted.sort_unstable();
            wanted.dedup();
            wanted
        }
    };
    // Read through the content folder as stage 1 read it: a file made a
    // link that leads out since then is refused here too.
    let jail = crate::fs::Jail::new(&model.config().content_dir);
    let read: Vec<Result<(Article, Freshness), Finding>> = wanted
        .par_iter()
        .filter(|path| whole(locale, path).is_none())
        .map(|path| {
            let jail = jail.as_ref().map_err(|e| {
                let file = crate::load::shown(&locale.dir, path);
                let message = format!("could not be read: {e:#}");
                Finding::new(lint::FILE_UNREADABLE, &file, Pos::START, message)
            })?;
            let a = crate::load::read_article(jail, &locale.tag, &locale.dir, path, stages)?;
            let fresh = pair::freshness(&a, model.pairing.english.articles.get(&a.path), dnt);
            Ok((a, fresh))
        })
        .collect();
    let mut out = Language {
        model,
        locale: i,
        articles: Vec::with_capacity(read.len()),
        fresh: Vec::with_capacity(read.len()),
        findings: Vec::new(),
    };
    for r in read {
        match r {
            Ok((a, f)) => {
                out.articles.push(a);
                out.fresh.push(f);
            }
            Err(mut f) => {
                f.locale = Some(locale.tag.as_str().into());
                out.findings.push(f);
            }
        }
    }
    out
}

/// Keeps the copies at `paths` of locale `i` whole from now on: those the
/// model does not keep are read again (through the content folder's
/// jail, in parallel) and paired with their English ([`Model::hold_in`]).
/// A copy that can no longer be read is left as it was, and so is one
/// `accept` refuses; the refused copies are returned.
pub(super) fn hold_in(
    model: &mut Model,
    i: usize,
    paths: &[&str],
    accept: &(dyn Fn(&Article) -> bool + Sync),
) -> Vec<Article> {
    let Ok(jail) = crate::fs::Jail::new(&model.project.config.content_dir) else {
        return Vec::new();
    };
    let locale = &model.project.locales[i];
    let dnt = &model.project.config.check.do_not_translate;
    let english = &model.pairing.english.articles;
    let read: Vec<(Article, Freshness)> = paths
        .par_iter()
        .filter(|p| model.pairing.brief(i, p).is_some() && whole(locale, p).is_none())
        .filter_map(|p| {
            let a = crate::load::read_in(&jail, &locale.tag, &locale.dir, p).ok()??;
            let fresh = pair::freshness(&a, english.get(*p), dnt);
            Some((a, fresh))
        })
        .collect();
    let (read, refused): (Vec<_>, Vec<_>) = read.into_iter().partition(|(a, _)| accept(a));
    if !read.is_empty() {
        let articles = &mut model.project.locales[i].articles;
        for (a, fresh) in read {
            model.pairing.hold(i, &a.path, fresh);
            articles.push(a);
        }
        articles.sort_by(|x, y| x.path.cmp(&y.path));
        articles.dedup_by(|x, y| x.path == y.path);
    }
    refused.into_iter().map(|(a, _)| a).collect()
}

/// Whether the model keeps locale `i`'s copy at `path` whole.
pub(super) fn is_whole(model: &Model, i: usize, path: &str) -> bool {
    whole(&model.project.locales[i], path).is_some()
}
