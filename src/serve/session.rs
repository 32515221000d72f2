//! The state of `serve` between changes, and what a change does to it.
//!
//! A session owns the pipeline's model (the English, a brief of every
//! translation, the snippets), the theme and the served folder. The model
//! is lean, as `build`'s is ([`Keep::Lean`]): the translations are read
//! again from disk when pages are made from them, so `serve`'s memory grows
//! with the largest language, not with the number of languages. Its start
//! ([`Session::start`]) loads them and writes the first build while the
//! server answers from memory ([`super::early`]: told when the locale
//! folders are found, when the model is loaded, and when the build is
//! swapped in). A batch of changed paths from the watcher becomes a set
//! of articles to re-read; each is parsed again, every copy of its path
//! held whole from then on ([`Model::hold`]), the English and freshness of
//! the path computed again ([`crate::pair::Pairing::refresh`]), and
//! [`incremental::rebuild`] renders exactly the pages that depend on it
//! with the same page code as `build`. `book.toml`, the theme, a new or
//! removed locale folder and images rebuild everything through
//! [`pipeline::run`] and a staging folder swapped in, as `build` does
//! (with the same `[check]` levels).
//!
//! A save that adds error-level findings to an article is not applied: its
//! last good version stays loaded (and served), and its findings go to the
//! terminal and the overlay until a later save fixes them. The article of
//! a page open in a browser is held whole from the moment its live socket
//! opens ([`Event::Opened`]), so its last good version is at hand.
//! A translation neither open nor changed since `serve` started has no
//! good copy but its pages: after a save with errors they are kept as they
//! are (`frozen`), even by a change that makes its other pages again (a
//! new English), and so are its language's index and search index (they
//! would be made from the file: they wait, `incremental::rebuild`) and
//! its brief (the status page); the file takes no part in the article's
//! English ([`crate::pair::Pairing::refresh`]),
//! until a save is applied or everything is rebuilt from
//! the files as they are (`book.toml`, the theme, images). Every copy the
//! session holds is checked as a save is ([`Session::hold_checked`]), so
//! a save that reached the disk before its change reached the session
//! (a page opened, an editor asked, another copy of the article changed
//! in the same batch) is found not applied there too. A rebuild that
//! cannot write its pages (disk full, a file-size limit) is shown the same
//! way, on every page, and tried again with the next change until it
//! succeeds.
//!
//! What reaches the browser names files as a user types them, relative to
//! the project ([`Names`]): never an absolute path of this machine.

use super::early::{Early, Layout, Loaded};
use super::edit;
use super::live::{Live, Shown, EVERY_PAGE};
use super::watch::{classify, Change};
use crate::cli::ProjectArgs;
use crate::diag::{Finding, Level, LineIndex};
use crate::model::Article;
use crate::pair::Origin;
use crate::pipeline::{self, Keep, Model, Output, Summary};
use crate::render::links::page_file;
use crate::site::incremental::{self, Memo, Touch};
use crate::site::media::Media;
use crate::theme::Theme;
use crate::timing::Stages;
use crate::write::{Folder, Staging};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the session is told: changed paths (from the watcher), and the
/// questions and edits of side-by-side pages (from the server).
pub enum Event {
    Changed(Vec<PathBuf>),
    Describe {
        page: String,
        token: Option<String>,
        reply: tokio::sync::oneshot::Sender<Option<edit::PageData>>,
    },
    Edit {
        request: edit::Request,
        reply: tokio::sync::oneshot::Sender<edit::Reply>,
    },
    /// A page (`/zh-cn/a.html`) opened its live socket: its article is
    /// held whole from now on, so that a save with errors leaves its good
    /// version on the page whatever is made again later.
    Opened(String),
}

impl From<Vec<PathBuf>> for Event {
    fn from(paths: Vec<PathBuf>) -> Event {
        Event::Changed(paths)
    }
}

/// Everything loaded for one configuration and theme.
struct State {
    theme: Theme,
    model: Model,
    memo: Memo,
}

/// What the first build did, for the terminal.
pub struct Report {
    pub pages: usize,
    pub languages: usize,
    /// The findings counted, as `build` and `check` count them.
    pub findings: String,
    pub seconds: f64,
    /// Pages sent from memory before the build was written that it made
    /// differently (reloaded).
    pub provisional: usize,
}

pub struct Session {
    args: ProjectArgs,
    out: Folder,
    state: State,
    /// Articles whose last save was not applied, or that have errors:
    /// (locale folder tag, path) → findings.
    broken: BTreeMap<(String, String), Vec<Shown>>,
    /// How many error-level findings the version of each article the
    /// model has carries (those with none left out): a save that adds one
    /// is not applied.
    applied: BTreeMap<(String, String), usize>,
    /// Translations whose last save was not applied while the model held
    /// no good copy of them: their good version is on no disk, only on
    /// their pages, which are kept as they are until a save is applied or
    /// everything is rebuilt. (A copy held whole before its save is the
    /// good version, and its pages are made from it.)
    frozen: BTreeSet<(String, String)>,
    /// A configuration or theme error, shown on every page.
    global: Vec<Shown>,
    /// Pages a rebuild could not write, to write with the next change.
    pending: BTreeSet<Touch>,
    /// Why they could not be written, shown on every page meanwhile.
    unwritten: Option<Shown>,
    names: Names,
    live: Arc<Live>,
    /// Whether a search index is owed and waits for a quiet moment
    /// ([`Session::run`]).
    search_due: bool,
    /// Whether a language's search texts are wanted and wait for a quiet
    /// moment after the owed indexes ([`incremental::warm_search`]).
    texts_due: bool,
}

/// How long `serve` waits after a change, with no other event, before it
/// writes the search indexes the change left owed: long enough for the
/// changed pages' reloads to be served first.
const SEARCH_AFTER: Duration = Duration::from_millis(250);

/// How files and messages are shown in the browser: relative to the
/// project, never with an absolute path of this machine.
struct Names {
    root: PathBuf,
    content: PathBuf,
    site: PathBuf,
}

impl Names {
    fn new(config: &crate::config::Config, site: &Path) -> Names {
        Names {
            root: config.root.clone(),
            content: config.content_dir.clone(),
            site: site.to_path_buf(),
        }
    }

    /// `file` relative to the project root (else to the content folder's
    /// parent), `/`-separated.
    fn file(&self, file: &str) -> String {
        let path = Path::new(file);
        let bases = [Some(self.root.as_path()), self.content.parent()];
        match bases
            .into_iter()
            .flatten()
            .find_map(|b| path.strip_prefix(b).ok())
        {
            Some(rel) => rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            None => self.text(file),
        }
    }

    /// `text` with the absolute paths of the site, the project and the
    /// content folder made relative: `BASE/a` becomes `a`, `BASE` alone
    /// `.`; `BASE-other` is left alone.
    fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        let bases = [
            Some(self.site.as_path()),
            self.site.parent(),
            Some(self.root.as_path()),
            self.content.parent(),
        ];
        for base in bases.into_iter().flatten() {
            let base = base.display().to_string();
            if base.len() > 1 {
                out = strip_base(&out, &base);
            }
        }
        out
    }

    fn shown(&self, f: &Finding) -> Shown {
        let mut s = shown(f);
        s.file = self.file(&s.file);
        s.message = self.text(&s.message);
        s
    }
}

impl Session {
    /// Loads the model and builds the whole site into `site` (a folder
    /// `serve` owns, empty), telling `early` when pages can be made on
    /// request and when the build is on disk. Pages sent from memory that
    /// the build made differently are reloaded.
    pub fn start(
        args: ProjectArgs,
        site: &Path,
        live: Arc<Live>,
        early: &Early,
    ) -> Result<(Session, Report)> {
        let started = Instant::now();
        let config = configure(&args)?;
        let theme = Theme::load(&config.root, &config.theme)?;
        // A content folder that cannot be read is reported by `Model::load`.
        if let Ok(layout) = Layout::new(config.clone(), Theme::load(&config.root, &config.theme)?) {
            early.layout(layout);
        }
        hold("HELPBOOK_SERVE_HOLD_MODEL", "reading the content");
        let model = Model::load_keeping(config, Keep::Lean, &Stages::default())?;
        let media = Media::index(&model.project)?;
        let loaded = Arc::new(Loaded {
            theme,
            model,
            media,
        });
        early.loaded(Arc::clone(&loaded));
        hold("HELPBOOK_SERVE_HOLD", "the build");
        let summary = build_into(&loaded.model, &loaded.theme, &loaded.media, site)?;
        let (loaded, differ) = early.built(loaded, site);
        let Loaded {
            theme,
            model,
            media,
        } = loaded;
        let memo = Memo::new(&model, &theme, media, &summary);
        let state = State { theme, model, memo };
        let report = Report {
            pages: summary.pages.iter().map(|(_, n)| n).sum(),
            languages: summary.pages.len(),
            findings: crate::check::summary_line(&summary.findings),
            seconds: started.elapsed().as_secs_f64(),
            provisional: differ.len(),
        };
        let names = Names::new(state.model.config(), site);
        let mut session = Session {
            args,
            out: Folder::new(site),
            state,
            broken: BTreeMap::new(),
            applied: BTreeMap::new(),
            frozen: BTreeSet::new(),
            global: Vec::new(),
            pending: BTreeSet::new(),
            unwritten: None,
            names,
            live,
            search_due: false,
            texts_due: false,
        };
        session.load_errors();
        let changed = differ.into_iter().map(|f| format!("/{f}")).collect();
        session.publish(changed, false);
        Ok((session, report))
    }

    /// Handles batches of changed paths, and the questions and edits of
    /// side-by-side pages, until the watcher stops. Changes that arrived
    /// together are applied first, so that pages are answered on the
    /// model as it is now.
    ///
    /// A search index a change left owed ([`incremental::catch_up_search`])
    /// is written once no event has come for [`SEARCH_AFTER`]: after the
    /// changed pages have been reloaded, once for a run of saves, and one
    /// language after another, events between them answered first.
    pub fn run(mut self, rx: Receiver<Event>) {
        loop {
            let first = if self.search_due || self.texts_due {
                match rx.recv_timeout(SEARCH_AFTER) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) if self.search_due => {
                        self.catch_up_search();
                        continue;
                    }
                    Err(RecvTimeoutError::Timeout) => {
                        self.warm_search();
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match rx.recv() {
                    Ok(event) => event,
                    Err(_) => return,
                }
            };
            let mut batch = Vec::new();
            let mut asks = Vec::new();
            for event in std::iter::once(first).chain(std::iter::from_fn(|| rx.try_recv().ok())) {
                match event {
                    Event::Changed(paths) => batch.extend(paths),
                    other => asks.push(other),
                }
            }
            if !batch.is_empty() {
                self.handle(&batch);
            }
            for ask in asks {
                self.answer(ask);
            }
            self.search_due = self.state.memo.owes_search();
            self.texts_due = self.state.memo.owes_texts();
        }
    }

    /// Makes the search texts of a language a page was opened in, so that
    /// the first save in it is indexed without reading and rendering every
    /// page of it ([`incremental::warm_search`]). One language a call.
    fn warm_search(&mut self) {
        let started = Instant::now();
        let s = &mut self.state;
        match incremental::warm_search(&s.model, &s.theme, &mut s.memo, &self.frozen) {
            Some(tag) => {
                eprintln!(
                    "search texts of {tag} kept in {} ms",
                    started.elapsed().as_millis()
                );
                self.texts_due = self.state.memo.owes_texts();
            }
            None => self.texts_due = false,
        }
    }

    /// Writes a search index the last changes left owed, and tells the open
    /// pages of its language, whose search reads the index again. Called
    /// again while more are owed, one language a time, so that a save that
    /// comes meanwhile waits for one at most. One that cannot be written
    /// stays owed, and is tried again after the next change.
    fn catch_up_search(&mut self) {
        let started = Instant::now();
        let s = &mut self.state;
        match incremental::catch_up_search(&s.model, &s.theme, &mut s.memo, &self.out, &self.frozen)
        {
            Ok(Some(done)) => {
                self.retire(&done.retired);
                eprintln!(
                    "search of {} written again in {} ms",
                    done.indexes.join(", "),
                    started.elapsed().as_millis()
                );
                let changed = self.changed_urls();
                self.publish(changed, false);
                self.search_due = self.state.memo.owes_search();
            }
            Ok(None) => self.search_due = false,
            Err(err) => {
                self.search_due = false;
                eprintln!(
                    "error: the search index could not be written: {err:#}\n  \
                     (the next change tries again)"
                );
            }
        }
    }

    /// Answers a side-by-side page: its data, or the result of an edit
    /// (after which the changed pages are rebuilt at once).
    fn answer(&mut self, event: Event) {
        match &event {
            Event::Describe { page, .. } => self.hold_page(page),
            Event::Edit { request, .. } => self.hold_page(&request.page),
            Event::Changed(_) | Event::Opened(_) => {}
        }
        let names = &self.names;
        let shown = |p: &Path| names.file(&p.display().to_string());
        match event {
            Event::Changed(paths) => self.handle(&paths),
            Event::Opened(page) => self.hold_open(&page),
            Event::Describe { page, token, reply } => {
                let data = edit::describe(&self.state.model, &page, token.as_deref(), &shown);
                let _ = reply.send(data);
            }
            Event::Edit { request, reply } => {
                let (answer, written) = edit::apply(&self.state.model, &request, &shown);
                if let Some(file) = written {
                    self.handle(&[file]);
                }
                let _ = reply.send(answer);
            }
        }
    }

    /// Holds the article of side-by-side page `page` whole in the model
    /// ([`Session::hold_checked`]): its editor reads the version the model
    /// has.
    fn hold_page(&mut self, page: &str) {
        if let Some((_, path)) = edit::target(&self.state.model, page) {
            self.hold_checked(&path, None);
        }
    }

    /// Holds the copies of `rel` whole in the model, in every locale or in
    /// locale `only` ([`Model::hold_in_if`]). Each copy the model did not
    /// hold is read from disk and checked as a save is: one with more
    /// error-level findings than the version applied is a save whose
    /// change has not reached the session yet. It is marked as not applied
    /// at once, so its pages are kept as they are (`frozen`), and it is
    /// still held, as the article's English is made from every copy.
    fn hold_checked(&mut self, rel: &str, only: Option<usize>) {
        let config = self.state.model.config().clone();
        let all = 0..self.state.model.project.locales.len();
        for i in only.map_or(all, |i| i..i + 1) {
            let tag = self.state.model.project.locales[i].tag.to_string();
            let applied = self
                .applied
                .get(&(tag.clone(), rel.to_string()))
                .copied()
                .unwrap_or(0);
            let accept = |a: &Article| errors(a, &config).len() <= applied;
            let refused = self.state.model.hold_in_if(i, &[rel], &accept);
            if let Some(a) = refused.first() {
                self.mark_broken(&tag, rel, &errors(a, &config));
                self.state.model.hold_in(i, &[rel]);
            }
        }
    }

    /// Holds the translation page `page` (`/zh-cn/a.html`, its
    /// side-by-side page alike) shows whole in the model, as it is on
    /// disk and checked ([`Session::hold_checked`]), unless its pages are
    /// already kept as they are.
    fn hold_open(&mut self, page: &str) {
        let Some((i, path)) = edit::translation(&self.state.model, page) else {
            return;
        };
        let key = (self.state.model.project.locales[i].tag.to_string(), path);
        self.state.memo.want_texts(&key.0);
        if !self.frozen.contains(&key) {
            self.hold_checked(&key.1, Some(i));
        }
    }

    /// Applies one batch of changed paths.
    pub fn handle(&mut self, paths: &[PathBuf]) {
        let started = Instant::now();
        let changes: BTreeSet<Change> = paths
            .iter()
            .filter_map(|p| classify(self.state.model.config(), p))
            .collect();
        if changes.is_empty() {
            return;
        }
        if changes.contains(&Change::Everything) {
            self.everything(started);
            return;
        }
        let mut candidates = BTreeSet::new();
        for change in changes {
            match change {
                Change::File { locale, rel } => {
                    candidates.insert((locale, rel));
                }
                Change::Folder { locale } => match self.rescan(&locale) {
                    Some(found) => candidates.extend(found),
                    None => return self.everything(started),
                },
                Change::Everything => {}
            }
        }
        if candidates
            .iter()
            .any(|(locale, _)| self.locale_mut(locale).is_none())
        {
            return self.everything(started);
        }
        // Pages an earlier rebuild could not write are tried again.
        let mut touches = std::mem::take(&mut self.pending);
        for (locale, rel) in &candidates {
            touches.extend(self.reread(locale, rel));
        }
        let touches: Vec<Touch> = touches.into_iter().collect();
        match self.rebuild(&touches) {
            Ok(pages) => {
                if self.unwritten.take().is_some() {
                    eprintln!("the site is written again");
                }
                let changed = self.changed_urls();
                if !touches.is_empty() {
                    eprintln!(
                        "rebuilt {pages} pages of {} articles in {} ms ({} files changed)",
                        touches.len(),
                        started.elapsed().as_millis(),
                        changed.len()
                    );
                }
                self.publish(changed, false);
            }
            Err(err) => {
                eprintln!(
                    "error: {err:#}\n  (still serving the last pages written; \
                     the next change tries again)"
                );
                let saved = candidates.iter().next().map_or_else(String::new, |(l, r)| {
                    let file = self.state.model.config().content_dir.join(l).join(r);
                    self.names.file(&file.display().to_string())
                });
                let (lint, what) = if is_write_error(&err) {
                    ("serve::write", "written")
                } else {
                    ("serve::build", "built")
                };
                self.unwritten = Some(Shown {
                    lint: lint.into(),
                    level: "error".into(),
                    file: saved,
                    line: 0,
                    column: 0,
                    message: format!(
                        "the pages of this change could not be {what}: {}",
                        self.names.text(&format!("{err:#}"))
                    ),
                    snippet: String::new(),
                });
                self.pending = touches.into_iter().collect();
                // Whatever did get written still reloads its pages.
                let changed = self.changed_urls();
                self.publish(changed, false);
            }
        }
    }

    fn rebuild(&mut self, touches: &[Touch]) -> Result<usize> {
        if touches.is_empty() {
            return Ok(0);
        }
        let s = &mut self.state;
        let done = incremental::rebuild(
            &s.model,
            &s.theme,
            &mut s.memo,
            &self.out,
            touches,
            &self.frozen,
        )?;
        for file in &done.removed {
            self.out.remove(file)?;
        }
        self.retire(&done.retired);
        Ok(done.pages.len())
    }

    /// Removes search folders two indexes old. One that cannot be removed
    /// is a warning, whichever write retired it: no page names it, and the
    /// change's pages are written.
    fn retire(&self, folders: &[String]) {
        for folder in folders {
            if let Err(e) = self.out.remove(folder) {
                eprintln!("warning: {e:#}");
            }
        }
    }

    /// Rebuilds everything (configuration, theme, locale folders, images).
    fn everything(&mut self, started: Instant) {
        let site = self.out.path().to_path_buf();
        let rebuilt = load(&self.args).and_then(|(theme, model)| {
            let media = Media::index(&model.project)?;
            let summary = build_into(&model, &theme, &media, &site)?;
            let memo = Memo::new(&model, &theme, media, &summary);
            Ok((State { theme, model, memo }, summary))
        });
        match rebuilt {
            Ok((state, summary)) => {
                self.state = state;
                self.global.clear();
                self.pending.clear();
                self.unwritten = None;
                self.load_errors();
                let _ = self.out.take_changed();
                eprintln!(
                    "rebuilt everything in {:.2}s ({} findings)",
                    started.elapsed().as_secs_f64(),
                    summary.findings.len()
                );
                self.publish(Vec::new(), true);
            }
            Err(err) => {
                let message = format!("{err:#}");
                eprintln!("error: {message}\n  (still serving the last good site)");
                let (lint, file) =
                    if is_write_error(&err) {
                        ("serve::write", String::new())
                    } else {
                        let file =
                            self.state.model.config().file.as_ref().map_or_else(
                                || "book.toml".to_string(),
                                |f| f.display().to_string(),
                            );
                        ("serve::build", self.names.file(&file))
                    };
                let message = self.names.text(&message);
                self.global = vec![Shown {
                    lint: lint.into(),
                    level: "error".into(),
                    file,
                    line: 0,
                    column: 0,
                    message,
                    snippet: String::new(),
                }];
                self.publish(Vec::new(), false);
            }
        }
    }

    /// The article paths of locale folder `tag` that were added or removed on
    /// disk (None: the folder itself is gone).
    fn rescan(&mut self, tag: &str) -> Option<Vec<(String, String)>> {
        let (dirs, _) = crate::load::discover(&self.state.model.config().content_dir).ok()?;
        let dir = dirs.into_iter().find(|d| d.tag == tag)?;
        let loaded = self.loaded(tag)?;
        let on_disk: BTreeSet<String> = dir.paths.into_iter().collect();
        Some(
            loaded
                .symmetric_difference(&on_disk)
                .map(|p| (tag.to_string(), p.clone()))
                .collect(),
        )
    }

    /// The article paths the model has of locale folder `tag`.
    fn loaded(&self, tag: &str) -> Option<BTreeSet<String>> {
        let m = &self.state.model;
        if let Some(english) = m.project.english.as_ref().filter(|e| e.tag == tag) {
            return Some(english.articles.iter().map(|a| a.path.clone()).collect());
        }
        let i = m.project.locales.iter().position(|l| l.tag == tag)?;
        Some(
            m.pairing
                .briefs(i)
                .iter()
                .map(|b| b.path.to_string())
                .collect(),
        )
    }

    /// Whether the model has article `rel` of locale folder `tag`.
    fn has(&self, tag: &str, rel: &str) -> bool {
        let m = &self.state.model;
        match m.project.english.as_ref().filter(|e| e.tag == tag) {
            Some(english) => english
                .articles
                .binary_search_by(|a| a.path.as_str().cmp(rel))
                .is_ok(),
            None => m
                .project
                .locales
                .iter()
                .position(|l| l.tag == tag)
                .is_some_and(|i| m.pairing.brief(i, rel).is_some()),
        }
    }

    fn locale_mut(&mut self, tag: &str) -> Option<&mut crate::load::Locale> {
        let p = &mut self.state.model.project;
        p.locales
            .iter_mut()
            .chain(p.english.as_mut())
            .find(|l| l.tag == tag)
    }

    /// Reads article `rel` of locale folder `tag` again; returns the pages
    /// to rebuild.
    fn reread(&mut self, tag: &str, rel: &str) -> Vec<Touch> {
        if crate::load::is_snippet(rel) {
            return self.includers(tag, rel);
        }
        let Some(dir) = self.locale_mut(tag).map(|l| l.dir.clone()) else {
            return Vec::new();
        };
        let file = dir.join(rel);
        let display = file.display().to_string();
        let jail = crate::fs::Jail::new(&self.state.model.config().content_dir);
        let read = match &jail {
            Ok(jail) => crate::load::read_in(jail, tag, &dir, rel),
            Err(e) => Err(std::io::Error::other(format!("{e:#}"))),
        };
        let new = match read {
            Ok(Some(a)) => Some(a),
            // A symbolic link that leads out of the content folder: as if
            // the file were not there.
            Ok(None) => {
                eprintln!("{}", crate::load::outside_link(&file));
                None
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                let f = Finding::new(
                    crate::diag::lint::FILE_UNREADABLE,
                    &display,
                    crate::diag::Pos::START,
                    format!("could not be read: {e}"),
                );
                self.mark_broken(tag, rel, &[f]);
                return Vec::new();
            }
        };
        let config = self.state.model.config().clone();
        let key = (tag.to_string(), rel.to_string());
        let found: Vec<Finding> = new.iter().flat_map(|a| errors(a, &config)).collect();
        if new.is_some() && found.len() > self.applied.get(&key).copied().unwrap_or(0) {
            self.mark_broken(tag, rel, &found);
            return Vec::new();
        }
        let existed = self.has(tag, rel);
        let exists = new.is_some();
        let was_origin = self.is_origin(tag, rel);
        // Every copy of the path is held whole from now on: its English is
        // made again from all of them, and its pages are made from them.
        self.hold_checked(rel, None);
        if let Some(a) = &new {
            let english = self
                .state
                .model
                .project
                .english
                .as_ref()
                .map(|e| e.tag.clone());
            let named = crate::load::Includes::named(a, english.as_deref());
            let includes = &mut self.state.model.includes;
            includes.used_by(rel, &named);
            includes.extend(&config.content_dir, named, english.as_deref());
        }
        let Some(locale) = self.locale_mut(tag) else {
            return Vec::new();
        };
        let index = locale
            .articles
            .binary_search_by(|a| a.path.as_str().cmp(rel));
        match (index, new) {
            (Ok(i), Some(a)) => locale.articles[i] = a,
            (Err(i), Some(a)) => locale.articles.insert(i, a),
            (Ok(i), None) => {
                locale.articles.remove(i);
            }
            (Err(_), None) => {}
        }
        self.frozen.remove(&key);
        if found.is_empty() {
            self.applied.remove(&key);
            if self.broken.remove(&key).is_some() {
                eprintln!("fixed: {display}");
            }
        } else {
            self.applied.insert(key.clone(), found.len());
            let list = found.iter().map(|f| self.names.shown(f)).collect();
            self.broken.insert(key, list);
        }

        let english_changed = self.refresh_english(rel);
        let source_folder = tag.eq_ignore_ascii_case(&self.state.model.config().source_language);
        let everywhere = english_changed
            || existed != exists
            || source_folder
            || was_origin
            || self.is_origin(tag, rel);
        vec![Touch {
            path: rel.to_string(),
            locale: (!everywhere).then(|| tag.to_string()),
        }]
    }

    fn mark_broken(&mut self, tag: &str, rel: &str, found: &[Finding]) {
        let list: Vec<Shown> = found.iter().map(|f| self.names.shown(f)).collect();
        let key = (tag.to_string(), rel.to_string());
        if self.broken.get(&key) != Some(&list) {
            for f in found {
                eprintln!("{f}");
                if let Some(s) = list.iter().find(|s| s.line == f.line) {
                    eprintln!("   | {}", s.snippet);
                }
            }
            eprintln!("  (not applied: still serving the last good page)");
        }
        let m = &self.state.model;
        let i = m.project.locales.iter().position(|l| l.tag == tag);
        if i.is_some_and(|i| !m.is_whole(i, rel)) {
            self.frozen.insert(key.clone());
        }
        self.broken.insert(key, list);
    }

    /// Whether the English of `rel` is rebuilt from locale `tag`'s copy.
    fn is_origin(&self, tag: &str, rel: &str) -> bool {
        self.state
            .model
            .pairing
            .english
            .articles
            .get(rel)
            .is_some_and(|e| matches!(&e.origin, Origin::Rebuilt { locale } if locale == tag))
    }

    /// Computes the English of `rel` and its freshness again, leaving the
    /// copies whose pages are kept as they are (`frozen`) out; whether the
    /// English changed.
    fn refresh_english(&mut self, rel: &str) -> bool {
        let m = &mut self.state.model;
        let frozen = &self.frozen;
        let tags: Vec<&str> = m.project.locales.iter().map(|l| l.tag.as_str()).collect();
        let kept = |i: usize| frozen.contains(&(tags[i].to_string(), rel.to_string()));
        m.pairing.refresh(&m.project, rel, &kept)
    }

    /// Every article that includes the snippet `rel`, directly or through
    /// other snippets, in every language.
    fn includers(&mut self, tag: &str, rel: &str) -> Vec<Touch> {
        let m = &mut self.state.model;
        let content = m.project.config.content_dir.clone();
        m.includes.reload(&content, tag, rel);
        m.includes
            .users(rel)
            .into_iter()
            .map(|path| Touch { path, locale: None })
            .collect()
    }

    /// The error-level findings of the articles as loaded, into `broken`
    /// and `applied`. The model keeps no findings of an article apart, so
    /// the articles with an error-level finding of any stage (few) are
    /// read again, and their own findings levelled as a save's are.
    fn load_errors(&mut self) {
        let m = &self.state.model;
        let levels = crate::check::levels::Levels::new(&m.config().check, false);
        let folders: Vec<&crate::load::Locale> = m
            .project
            .locales
            .iter()
            .chain(m.project.english.as_ref())
            .collect();
        let mut at: BTreeSet<(usize, String)> = BTreeSet::new();
        for f in &m.findings {
            let level = levels.setting(f.lint, f.level);
            if level != crate::check::levels::Setting::Level(Level::Error) {
                continue;
            }
            let Some(tag) = f.locale.as_deref() else {
                continue;
            };
            let Some(k) = folders.iter().position(|l| &*l.tag == tag) else {
                continue;
            };
            let Ok(rel) = Path::new(&f.file).strip_prefix(&folders[k].dir) else {
                continue;
            };
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            at.insert((k, rel.join("/")));
        }
        let jail = crate::fs::Jail::new(&m.config().content_dir).ok();
        let mut broken = BTreeMap::new();
        for (k, rel) in at {
            let l = folders[k];
            let held = l
                .articles
                .binary_search_by(|a| a.path.as_str().cmp(&rel))
                .ok()
                .map(|i| std::borrow::Cow::Borrowed(&l.articles[i]));
            let read = || {
                let jail = jail.as_ref()?;
                crate::load::read_in(jail, &l.tag, &l.dir, &rel).ok()?
            };
            let Some(a) = held.or_else(|| read().map(std::borrow::Cow::Owned)) else {
                continue;
            };
            let list: Vec<Shown> = errors(&a, m.config())
                .iter()
                .map(|f| self.names.shown(f))
                .collect();
            if !list.is_empty() {
                broken.insert((l.tag.clone(), rel), list);
            }
        }
        self.applied = broken.iter().map(|(k, v)| (k.clone(), v.len())).collect();
        self.broken = broken;
        self.frozen.clear();
    }

    /// The URLs of the files written since the last call. A language's
    /// search index that changed in any file is also named by its
    /// `meta.json`, written or not: the open pages of that language hear of
    /// it by that URL ([`super::live`]).
    fn changed_urls(&self) -> Vec<String> {
        let mut urls: Vec<String> = self
            .out
            .take_changed()
            .into_iter()
            .map(|f| format!("/{f}"))
            .collect();
        let searches: BTreeSet<String> = urls
            .iter()
            .filter_map(|u| u.split_once("/search/"))
            .map(|(lang, _)| format!("{lang}/search/meta.json"))
            .collect();
        urls.extend(searches);
        urls.sort();
        urls.dedup();
        urls
    }

    /// Publishes the changed URLs and the overlay as it is now.
    fn publish(&self, changed: Vec<String>, all: bool) {
        let english = crate::locale::slug(&self.state.model.config().source_language);
        let mut overlay: BTreeMap<String, Vec<Shown>> = BTreeMap::new();
        for ((tag, rel), list) in &self.broken {
            let file = page_file(rel);
            overlay
                .entry(format!("/{}/{file}", crate::locale::slug(tag)))
                .or_default()
                .extend(list.iter().cloned());
            if self.is_origin(tag, rel) {
                overlay
                    .entry(format!("/{english}/{file}"))
                    .or_default()
                    .extend(list.iter().cloned());
            }
        }
        // Stage 3's conflicts, as the pairing has them now (a save may have
        // made or ended one), at the level `[check]` gives them.
        let conflicts = self
            .state
            .model
            .pairing
            .english
            .conflicts
            .iter()
            .map(pipeline::conflict_finding)
            .collect();
        for f in pipeline::finish(conflicts, self.state.model.config(), false) {
            let Some(c) = self
                .state
                .model
                .pairing
                .english
                .conflicts
                .iter()
                .find(|c| c.file == f.file)
            else {
                continue;
            };
            overlay
                .entry(format!(
                    "/{}/{}",
                    crate::locale::slug(&c.locale),
                    page_file(&c.path)
                ))
                .or_default()
                .push(self.names.shown(&f));
        }
        let every: Vec<Shown> = self
            .global
            .iter()
            .chain(self.unwritten.as_ref())
            .cloned()
            .collect();
        if !every.is_empty() {
            overlay.insert(EVERY_PAGE.to_string(), every);
        }
        self.live.publish(changed, all, overlay);
    }
}

/// The configuration as `serve` uses it.
fn configure(args: &ProjectArgs) -> Result<crate::config::Config> {
    let mut config = crate::config::Config::load_with(&args.dir, args.content.as_deref())?;
    // `serve` puts the site at the root of its own server, whatever path
    // `site-url` gives the deployed site: its pages (404 pages included)
    // use no address of the deployed site.
    config.html.site_url = None;
    Ok(config)
}

/// Loads the configuration, theme and content (stages 1–3).
fn load(args: &ProjectArgs) -> Result<(Theme, Model)> {
    let config = configure(args)?;
    let theme = Theme::load(&config.root, &config.theme)?;
    let model = Model::load_keeping(config, Keep::Lean, &Stages::default())?;
    Ok((theme, model))
}

/// Builds everything into `site` through a staging folder swapped in: the
/// pipeline `build` runs (stages 4–6).
fn build_into(model: &Model, theme: &Theme, media: &Media, site: &Path) -> Result<Summary> {
    let staging = Staging::new(site)?;
    let out = Output::Site {
        theme,
        sink: &staging,
        media: Some(media),
    };
    let summary = pipeline::run(model, theme, &[], out, false, &Stages::default())?;
    staging.commit()?;
    Ok(summary)
}

/// Holds `what` until the file named by the undocumented environment
/// variable `var` exists: `HELPBOOK_SERVE_HOLD_MODEL` holds the reading of
/// the content, `HELPBOOK_SERVE_HOLD` the first build (tests use them to
/// ask for pages before the model is loaded, or before the build has
/// written them, with no race).
fn hold(var: &str, what: &str) {
    let Some(file) = std::env::var_os(var) else {
        return;
    };
    let file = PathBuf::from(file);
    eprintln!("holding {what} until {} exists", file.display());
    while !file.exists() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// `text` with every whole-path occurrence of `base` made relative.
fn strip_base(text: &str, base: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(base) {
        let after = &rest[at + base.len()..];
        out.push_str(&rest[..at]);
        match after.chars().next() {
            Some(c) if c == std::path::MAIN_SEPARATOR => {
                rest = &after[c.len_utf8()..];
            }
            Some(c) if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') => {
                out.push_str(base);
                rest = after;
            }
            _ => {
                out.push('.');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `err` comes from the disk refusing a write (full, over a quota
/// or a file-size limit, read-only).
fn is_write_error(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| {
            matches!(
                e.kind(),
                std::io::ErrorKind::StorageFull
                    | std::io::ErrorKind::FileTooLarge
                    | std::io::ErrorKind::QuotaExceeded
                    | std::io::ErrorKind::ReadOnlyFilesystem
            )
        })
}

/// An article's findings at error level once `[check]` has levelled them
/// (as `build` and `check` level them).
fn errors(a: &Article, config: &crate::config::Config) -> Vec<Finding> {
    let mut found = pipeline::finish(a.findings.clone(), config, false);
    found.retain(|f| f.level == Level::Error);
    found
}

/// A finding with the source line it points at (its file as the finding
/// names it: [`Names::shown`] makes it relative).
fn shown(f: &Finding) -> Shown {
    let snippet = crate::check::snippets::read_source(&f.file)
        .map(|b| {
            let text = String::from_utf8_lossy(&b);
            let line = LineIndex::new(&text).line_text(f.line);
            crate::diag::Snippet::new(line.trim_end_matches('\r'), f.column).marked()
        })
        .unwrap_or_default();
    Shown {
        lint: f.lint.to_string(),
        level: f.level.to_string(),
        file: f.file.clone(),
        line: f.line,
        column: f.column,
        message: f.message.clone(),
        snippet,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths_are_taken_out_of_messages() {
        let base = "/home/u/proj";
        for (given, wanted) in [
            (
                "/home/u/proj/book.toml: unknown key",
                "book.toml: unknown key",
            ),
            (
                "could not watch /home/u/proj: gone",
                "could not watch .: gone",
            ),
            ("in /home/u/proj", "in ."),
            ("/home/u/proj-old/a.md", "/home/u/proj-old/a.md"),
            ("a /home/u/proj/x and /home/u/proj/y", "a x and y"),
            ("nothing here", "nothing here"),
        ] {
            assert_eq!(strip_base(given, base), wanted, "{given}");
        }
    }
}
