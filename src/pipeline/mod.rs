//! The one pipeline: every command runs its stages from here.
//!
//! ```text
//! Model::load   1 load    locale folders, articles, includes (read once)
//!               2 parse   front matter, sxs → articles and their findings
//!               3 pair    the English, each translation's freshness, and the
//!                         findings of each pair (untranslated, stale, markup)
//! run           4 render  every page body of the selected languages, its links
//!                         and fragments checked (render findings)
//!               5 site    pages, templates, search          (build, serve)
//!               6 write   into a staging folder or serve's folder
//! ```
//!
//! Stages 1–3 go article path by article path across the locale folders
//! ([`articles`]): every copy of a path is read, its English made, and each
//! copy paired and checked before the next path. `build`, `check` and
//! `status` keep only a brief of each translation ([`Keep::Lean`]) and
//! stage 4 reads each language again when it renders it, so their memory
//! grows with the largest language, not with the number of languages.
//!
//! `status` and `export` read the [`Model`]; `check` runs stages 1–4 with no
//! output ([`Output::None`]); `build` and `serve` run all six, `serve` then
//! rebuilding what a change touches with the same page code
//! ([`crate::site::incremental`]). The findings of every stage, of every
//! folder (the source language's included), go through [`finish`] once:
//! `[check]` levels, de-duplication, order. So every command sees the same
//! findings at the same levels. Until then they wait outside memory
//! ([`Spill`]): their number grows with the pages.

use crate::config::Config;
use crate::diag::{Finding, Level};
use crate::load::{Includes, Project};
use crate::model::Article;
use crate::pair::Pairing;
use crate::theme::Theme;
use crate::timing::Stages;
use crate::write::Sink;
use anyhow::{bail, Context, Result};

mod articles;
mod spill;

pub use articles::Language;
pub use spill::Spill;

/// What stages 1–3 keep of each translated article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Everything: its bodies, pairs and drift rows ([`Model::load`]: the
    /// library's callers, tests and benches, that read any article).
    All,
    /// Its brief only ([`crate::pair::Brief`]: what the other languages'
    /// pages and `status` read of it); stage 4 reads each language again
    /// when it renders it ([`Model::language`]), and `serve` the articles
    /// a change touches ([`Model::articles`], [`Model::hold`]), so memory
    /// grows with the largest language, not with the number of languages
    /// (every command: `build`, `check`, `status`, `serve`, `export` one
    /// locale at a time, `import` holding the articles it imports into).
    Lean,
}

/// Stages 1–3: everything read and paired, the same for every command.
pub struct Model {
    pub project: Project,
    /// The English of every article and the freshness of every translation.
    pub pairing: Pairing,
    /// The snippets `[!INCLUDE]` names, read once.
    pub includes: Includes,
    /// Findings of stages 1–3 (layout, files, front matter, sxs markup,
    /// freshness, markup of each pair), of every folder, not yet levelled.
    pub findings: Vec<Finding>,
    /// What the model keeps of each translated article.
    pub keep: Keep,
}

impl Model {
    /// Reads, parses and pairs the whole project, keeping every article whole.
    pub fn load(config: Config) -> Result<Model> {
        Model::load_timed(config, &Stages::default())
    }

    /// [`Model::load`], adding the time of reading and parsing to `stages`.
    pub fn load_timed(config: Config, stages: &Stages) -> Result<Model> {
        Model::load_keeping(config, Keep::All, stages)
    }

    /// Reads, parses and pairs the whole project, article path by article
    /// path across the locale folders, keeping what `keep` says.
    pub fn load_keeping(config: Config, keep: Keep, stages: &Stages) -> Result<Model> {
        articles::load(config, keep, stages)
    }

    /// Stages 1 (the snippets) to 3 on a project whose folders are read:
    /// `serve`'s one article before the whole is. Paired path by path as
    /// [`Model::load`] pairs them.
    pub fn from_project(project: Project) -> Model {
        articles::from_project(project)
    }

    /// The articles of locale `i` (its index in `Project::locales`) for
    /// stage 4: those a [`Keep::Lean`] model dropped read and paired again,
    /// the others taken from the model.
    pub fn language(&self, i: usize, stages: &Stages) -> Language<'_> {
        articles::language(self, i, None, stages)
    }

    /// [`Model::language`] for the articles at `paths` alone (`serve`'s
    /// rebuild of the pages a change touched, and its pages made on
    /// request).
    pub fn articles(&self, i: usize, paths: &[&str]) -> Language<'_> {
        articles::language(self, i, Some(paths), &Stages::default())
    }

    /// Keeps every locale's copy of `path` whole from now on, reading again
    /// the copies a lean model dropped: an article whose English is
    /// computed again from all its copies ([`Pairing::refresh`]) after one
    /// changed. The copies held are the ones stage 4 renders
    /// ([`Model::language`]), so a save that was not applied leaves the
    /// version the model holds on the pages. (`serve` holds them one
    /// locale at a time through [`Model::hold_in_if`], checking each.)
    pub fn hold(&mut self, path: &str) {
        for i in 0..self.project.locales.len() {
            articles::hold_in(self, i, &[path], &|_| true);
        }
    }

    /// Keeps locale `i`'s copies at `paths` whole from now on
    /// ([`Model::hold`]; `import`, which edits them).
    pub fn hold_in(&mut self, i: usize, paths: &[&str]) {
        articles::hold_in(self, i, paths, &|_| true);
    }

    /// [`Model::hold_in`] for the copies `accept` takes as read; the
    /// others are left as the model had them and returned (`serve` holds
    /// the copy of a page open in a browser unless it is a save with
    /// errors it has not seen yet).
    pub fn hold_in_if(
        &mut self,
        i: usize,
        paths: &[&str],
        accept: &(dyn Fn(&Article) -> bool + Sync),
    ) -> Vec<Article> {
        articles::hold_in(self, i, paths, accept)
    }

    /// Whether locale `i`'s copy at `path` is kept whole: read with the
    /// model, or held since ([`Model::hold`]). Pages of the others are
    /// made from the file on disk.
    pub fn is_whole(&self, i: usize, path: &str) -> bool {
        articles::is_whole(self, i, path)
    }

    /// The config the model was loaded with.
    pub fn config(&self) -> &Config {
        &self.project.config
    }

    /// Every locale folder tag, the source language's included, sorted.
    pub fn tags(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = self
            .project
            .locales
            .iter()
            .chain(self.project.english.as_ref())
            .map(|l| l.tag.as_str())
            .collect();
        tags.sort_unstable();
        tags
    }

    /// Checks `--locale` values against the locale folders: each must name
    /// one (letter case aside). Returns them as the folders spell them.
    pub fn select(&self, wanted: &[String]) -> Result<Vec<String>> {
        let tags = self.tags();
        let mut out = Vec::new();
        for w in wanted {
            match tags.iter().find(|t| t.eq_ignore_ascii_case(w)) {
                Some(t) => out.push(t.to_string()),
                None => bail!(
                    "--locale {w}: there is no such locale folder in {} (there are: {})",
                    self.project.config.content_dir.display(),
                    tags.join(", ")
                ),
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

/// The message for a content folder with no locale folder in it.
pub(crate) fn no_locale_folders(config: &Config) -> String {
    format!(
        "{} has no locale folders: helpbook reads one folder per language, named by its \
         BCP 47 tag (content/zh-CN/, content/ja-JP/, …), each holding that language's \
         articles. A folder of Markdown files such as mdBook's src/ is not a locale folder; \
         see `helpbook init` for a working layout",
        config.content_dir.display()
    )
}

/// `article::english-conflict` for one conflict of stage 3 (for `build`,
/// `check` and `serve`'s overlay alike).
pub fn conflict_finding(c: &crate::pair::Conflict) -> Finding {
    let mut f = Finding::new(
        crate::diag::lint::ARTICLE_ENGLISH_CONFLICT,
        &c.file,
        c.pos,
        format!(
            "`{}`: this copy of the newest hand-off has the English \"{}\" where the \
             English of record has \"{}\"; give the copies one ms.openlocfilehash, or \
             hand off again",
            c.path, c.theirs, c.ours
        ),
    );
    f.locale = Some(c.locale.as_str().into());
    f
}

/// What stages 4–6 write.
pub enum Output<'a> {
    /// Nothing: the pages are rendered for their findings only (`check`).
    None,
    /// The whole site, into this folder (a staging folder, or `serve`'s).
    Site {
        theme: &'a Theme,
        sink: &'a dyn Sink,
        /// The project's media, where the caller has indexed them already
        /// (`serve`, which answers requests from them before its first
        /// build is written); else the site indexes them.
        media: Option<&'a crate::site::media::Media>,
    },
}

/// What a run of the pipeline produced.
#[derive(Debug, Default)]
pub struct Summary {
    /// Pages written per language tag, in build order (English first).
    pub pages: Vec<(String, usize)>,
    /// Every finding of every stage, levelled and sorted ([`finish`]).
    pub findings: Vec<Finding>,
    /// Sitemap files written per language tag (`serve` starts its
    /// rebuilds from these counts).
    pub sitemaps: std::collections::HashMap<String, usize>,
    /// Per language tag, a digest of every page's title and state
    /// ([`crate::site::Outcome::entries`]), for `serve`'s rebuilds.
    pub entries: std::collections::HashMap<String, Vec<Option<u64>>>,
    /// Per language tag, the folder of its search index
    /// ([`crate::site::Outcome::search`]).
    pub search: std::collections::HashMap<String, String>,
}

/// Stages 4–6: renders the pages of the English and of the locales in
/// `only` (all when empty), and writes the site when `out` says so.
/// `theme` supplies the UI strings rendering needs (alert titles) even when
/// nothing is written.
pub fn run(
    model: &Model,
    theme: &Theme,
    only: &[String],
    out: Output,
    deny_warnings: bool,
    stages: &Stages,
) -> Result<Summary> {
    let stage3 = model.findings.clone();
    run_with(model, stage3, theme, only, out, deny_warnings, stages)
}

/// [`run`] with the findings of stages 1–3 given apart: a caller that owns
/// the model moves them out of it rather than copying them.
fn run_with(
    model: &Model,
    stage3: Vec<Finding>,
    theme: &Theme,
    only: &[String],
    out: Output,
    deny_warnings: bool,
    stages: &Stages,
) -> Result<Summary> {
    // Held outside memory until the pages are made (`spill`); the order
    // does not matter, `finish` sorts them.
    let mut kept = spill::Spill::new();
    kept.keep(stage3);
    let site = crate::site::run(model, theme, only, &out, stages, &mut kept)?;
    let findings = kept
        .into_vec()
        .context("could not read back the run's findings")?;
    Ok(Summary {
        pages: site.pages,
        findings: finish(findings, model.config(), deny_warnings),
        sitemaps: site.sitemaps,
        entries: site.entries,
        search: site.search,
    })
}

/// Stages 1–6 as `helpbook build` runs them: the whole site of the
/// locales of `only` (all when empty) into `sink` (a staging folder the
/// caller commits).
pub fn build(config: Config, theme: &Theme, only: &[String], sink: &dyn Sink) -> Result<Summary> {
    build_timed(config, theme, only, sink, &Stages::default())
}

/// [`build`], timing its stages and showing its progress in `stages`.
pub fn build_timed(
    config: Config,
    theme: &Theme,
    only: &[String],
    sink: &dyn Sink,
    stages: &Stages,
) -> Result<Summary> {
    let mut model = Model::load_keeping(config, Keep::Lean, stages)?;
    let only = model.select(only)?;
    let out = Output::Site {
        theme,
        sink,
        media: None,
    };
    let stage3 = std::mem::take(&mut model.findings);
    run_with(&model, stage3, theme, &only, out, false, stages)
}

/// Stages 1–4 as `helpbook check` runs them: every finding of the locales
/// of `only` (all when empty; each must name a locale folder), and of the
/// project as a whole, finished.
pub fn check(config: Config, only: &[String], deny_warnings: bool) -> Result<Vec<Finding>> {
    check_timed(config, only, deny_warnings, &Stages::default())
}

/// [`check`], timing its stages and showing its progress in `stages`.
pub fn check_timed(
    config: Config,
    only: &[String],
    deny_warnings: bool,
    stages: &Stages,
) -> Result<Vec<Finding>> {
    let theme = Theme::load(&config.root, &config.theme)?;
    let mut model = Model::load_keeping(config, Keep::Lean, stages)?;
    let stage3 = std::mem::take(&mut model.findings);
    check_with(&model, stage3, &theme, only, deny_warnings, stages)
}

/// Stage 4 of [`check`] on a model already loaded: the findings of the
/// locales of `only` (all when empty) and of the project, finished.
pub fn check_model(
    model: &Model,
    theme: &Theme,
    only: &[String],
    deny_warnings: bool,
    stages: &Stages,
) -> Result<Vec<Finding>> {
    let stage3 = model.findings.clone();
    check_with(model, stage3, theme, only, deny_warnings, stages)
}

/// [`check_model`] with the findings of stages 1–3 given apart ([`run_with`]).
fn check_with(
    model: &Model,
    stage3: Vec<Finding>,
    theme: &Theme,
    only: &[String],
    deny_warnings: bool,
    stages: &Stages,
) -> Result<Vec<Finding>> {
    let only = model.select(only)?;
    let out = Output::None;
    let summary = run_with(model, stage3, theme, &only, out, deny_warnings, stages)?;
    let mut findings = summary.findings;
    if !only.is_empty() {
        findings.retain(|f| {
            f.locale
                .as_deref()
                .is_none_or(|l| only.iter().any(|o| o == l))
        });
    }
    Ok(findings)
}

/// The one place findings are made ready to show: `book.toml [check]`
/// levels (and `--deny warnings`) applied, allowed ones removed, the same
/// finding at the same place kept once, sorted by file, place and lint.
pub fn finish(mut findings: Vec<Finding>, config: &Config, deny_warnings: bool) -> Vec<Finding> {
    crate::check::levels::Levels::new(&config.check, deny_warnings).apply(&mut findings);
    crate::check::sort(&mut findings);
    findings.dedup_by(|a, b| {
        (a.lint, &a.file, a.line, a.column, &a.message)
            == (b.lint, &b.file, b.line, b.column, &b.message)
    });
    crate::diag::cap(&mut findings);
    findings
}

/// The exit status for finished findings: 1 if any is at error level, or
/// (with `strict`) at warning level.
pub fn exit_code(findings: &[Finding], strict: bool) -> i32 {
    let failing = |f: &Finding| f.level == Level::Error || (strict && f.level == Level::Warning);
    i32::from(findings.iter().any(failing))
}
