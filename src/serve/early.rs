//! What `serve` answers before its first build is written.
//!
//! The server accepts connections as soon as its port is bound; the first
//! build runs beside it ([`super::session`]). Until that build's staging
//! folder is swapped in, nothing of the site is on disk, and a request is
//! answered here, from memory, in one of two phases:
//!
//! 1. **Reading**: the whole model is being loaded (at 36 languages, some
//!    seconds). An article page, side-by-side page, Show English data or
//!    language chooser is made from the model of that one article
//!    ([`Layout::article_model`]: its copies in every locale folder read,
//!    parsed and paired by the same stages as the whole model, its
//!    snippets and images), with links allowed to any article path of the
//!    project. The theme's assets are there too. Everything else (indexes,
//!    the status page, which need every article) gets a small "building"
//!    page that says so and loads itself again every second (`503`,
//!    `Retry-After: 1`); other files a plain `503`.
//! 2. **Rendering**: the model is loaded, the full build is running. Any
//!    file but search indexes and sitemaps is made on request from the
//!    model.
//!
//! Either way the file is made by the full build's page code
//! ([`incremental::on_request`]), and the digest of each page sent is kept.
//! When the build is swapped in ([`Early::built`]), the pages sent whose
//! file on disk differs are returned, for the session to reload them
//! through the live channel (and kept: such a page whose live socket
//! connects only later, its script marked `data-early`, is reloaded then,
//! [`Early::stale`]); from then on every request is served from disk. Nothing half-written is ever sent: before the swap the disk is not
//! read, after it the folder is complete. These answers run on a small
//! thread pool of their own, so that they are not queued behind the
//! build's work on rayon's global pool.

use crate::config::Config;
use crate::load::{LocaleDir, Project};
use crate::pipeline::Model;
use crate::site::incremental::{self, Made};
use crate::site::media::Media;
use crate::theme::Theme;
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// What the first build loaded: the theme, the model and its media.
pub struct Loaded {
    pub theme: Theme,
    pub model: Model,
    pub media: Media,
}

/// What is known before the model: the configuration, the theme, and the
/// locale folders with their article paths (no article read yet).
pub struct Layout {
    config: Config,
    theme: Theme,
    dirs: Vec<LocaleDir>,
    /// Every article path of every locale folder.
    paths: BTreeSet<String>,
    /// The images of the pages made so far.
    media: Mutex<Option<Media>>,
}

impl Layout {
    /// Finds the locale folders of `config`'s content folder.
    pub fn new(config: Config, theme: Theme) -> Result<Layout> {
        let (dirs, _) = crate::load::discover(&config.content_dir)?;
        let paths = dirs.iter().flat_map(|d| d.paths.iter().cloned()).collect();
        Ok(Layout {
            config,
            theme,
            dirs,
            paths,
            media: Mutex::new(None),
        })
    }

    /// The article path whose file `name` is (`a/b.html`, `a/b.sxs.html`,
    /// `a/b.en.js`; `html_only`: the page alone).
    fn article_of(&self, name: &str, html_only: bool) -> Option<&str> {
        self.paths
            .iter()
            .find(|p| {
                let names = crate::render::links::output_names(p);
                if html_only {
                    names[0] == name
                } else {
                    names.iter().any(|n| n == name)
                }
            })
            .map(String::as_str)
    }

    /// The model of the article at `path` alone: its copies in every locale
    /// folder, read and parsed as `load` reads a folder, paired as the
    /// whole model pairs them (the English of an article and its freshness
    /// depend on its own copies only), with the snippets they include.
    /// Its findings are not shown: the full build reports them.
    fn article_model(&self, path: &str) -> Model {
        let mut locales = Vec::new();
        let mut english = None;
        for dir in &self.dirs {
            let one = LocaleDir {
                tag: dir.tag.clone(),
                dir: dir.dir.clone(),
                paths: dir.paths.iter().filter(|p| *p == path).cloned().collect(),
                jail: std::sync::Arc::clone(&dir.jail),
            };
            let (locale, _) = crate::load::read_locale(&one);
            if dir.tag.eq_ignore_ascii_case(&self.config.source_language) {
                english = Some(locale);
            } else {
                locales.push(locale);
            }
        }
        Model::from_project(Project {
            config: self.config.clone(),
            locales,
            english,
            findings: Vec::new(),
        })
    }

    /// File `rel` made from the model of its article alone; None for a
    /// file that needs the whole model.
    fn answer(&self, rel: &str) -> Option<Result<Made>> {
        if let Some(asset) = self.theme.assets.iter().find(|a| a.path == rel) {
            return Some(Ok(Made::File(asset.bytes.clone())));
        }
        let (first, rest) = rel.split_once('/')?;
        if first == "media" {
            return self
                .lock_media()
                .as_ref()?
                .read(rel)
                .transpose()
                .map(|read| read.map(Made::File));
        }
        let path = if first == crate::site::article::CHOOSERS {
            self.article_of(rest, true)?
        } else if self
            .dirs
            .iter()
            .any(|d| crate::locale::slug(&d.tag) == first)
        {
            self.article_of(rest, false)?
        } else {
            return None;
        };
        let model = self.article_model(path);
        // Only the images whose file name the article's copies mention
        // are read (and named by their content, as the full build names
        // them).
        let text: String = model
            .project
            .locales
            .iter()
            .chain(model.project.english.as_ref())
            .flat_map(|l| &l.articles)
            .flat_map(|a| [a.target.as_str(), a.source.as_str()])
            .collect();
        // A name may be written percent-encoded (`reset%20shot.png`).
        let decoded = crate::url::decode(&text);
        let media = Media::index_where(&model.project, |p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                text.contains(n.as_ref()) || decoded.contains(n.as_ref())
            })
        });
        let media = match media {
            Ok(m) => m,
            Err(e) => return Some(Err(e)),
        };
        match &mut *self.lock_media() {
            Some(all) => all.extend(media.clone()),
            none => *none = Some(media.clone()),
        }
        Some(incremental::on_request(
            &model,
            &self.theme,
            &media,
            rel,
            Some(&self.paths),
        ))
    }

    fn lock_media(&self) -> std::sync::MutexGuard<'_, Option<Media>> {
        self.media.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

enum Phase {
    Reading {
        since: Instant,
        layout: Option<Arc<Layout>>,
    },
    Rendering(Arc<Loaded>),
    Built,
}

/// An answer made here.
pub enum Answer {
    /// A file made on request: 200, or 404 with a 404 page.
    File { bytes: Vec<u8>, status: u16 },
    /// A language folder named without its `/`.
    Redirect(String),
    /// Not ready yet: the building page (for a page) or a plain 503.
    Building { page: bool, text: String },
    /// No such file, and no 404 page to show.
    Missing,
}

/// Shared by the session (which moves it through its phases) and the
/// server (which asks it while the site is not on disk).
pub struct Early {
    phase: RwLock<Phase>,
    /// Held (shared) by every answer while it is made: [`Early::built`]
    /// takes it alone, so that it sees every page sent.
    making: RwLock<()>,
    /// Site files (`zh-cn/a.html`) sent from memory → digest of what was
    /// sent (None: reload it whatever the build made, see [`Early::answer`]).
    sent: Mutex<BTreeMap<String, Option<blake3::Hash>>>,
    /// Where answers are made (`None`: on the caller's thread).
    pool: Option<rayon::ThreadPool>,
    /// Once built: the URLs (`/zh-cn/a.html`) of the pages sent from memory
    /// that the build made differently.
    stale: Mutex<BTreeSet<String>>,
}

impl Default for Early {
    fn default() -> Early {
        Early {
            phase: RwLock::new(Phase::Reading {
                since: Instant::now(),
                layout: None,
            }),
            making: RwLock::new(()),
            sent: Mutex::new(BTreeMap::new()),
            pool: rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .thread_name(|i| format!("helpbook-early-{i}"))
                .build()
                .ok(),
            stale: Mutex::new(BTreeSet::new()),
        }
    }
}

impl Early {
    /// The folders are found: article pages can be made one by one.
    pub fn layout(&self, layout: Layout) {
        if let Phase::Reading { layout: l, .. } =
            &mut *self.phase.write().unwrap_or_else(PoisonError::into_inner)
        {
            *l = Some(Arc::new(layout));
        }
    }

    /// The model is loaded: pages are made on request from now on.
    pub fn loaded(&self, loaded: Arc<Loaded>) {
        *self.phase.write().unwrap_or_else(PoisonError::into_inner) = Phase::Rendering(loaded);
    }

    /// The first build is on disk: the server reads it from now on. Waits
    /// for the answers being made from `loaded` to finish, and returns it
    /// with the site files sent from memory that differ from the files
    /// in `site` (or are not there).
    pub fn built(&self, mut loaded: Arc<Loaded>, site: &Path) -> (Loaded, Vec<String>) {
        *self.phase.write().unwrap_or_else(PoisonError::into_inner) = Phase::Built;
        // Every answer begun before has finished, and recorded what it sent.
        drop(self.making.write().unwrap_or_else(PoisonError::into_inner));
        let loaded = loop {
            match Arc::try_unwrap(loaded) {
                Ok(l) => break l,
                Err(shared) => {
                    loaded = shared;
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        };
        let sent = std::mem::take(&mut *self.sent.lock().unwrap_or_else(PoisonError::into_inner));
        let differ = sent
            .into_iter()
            .filter(|(rel, digest)| {
                let on_disk = std::fs::read(site.join(rel)).ok();
                on_disk.map(|b| blake3::hash(&b)) != *digest
            })
            .map(|(rel, _)| rel)
            .collect::<Vec<String>>();
        self.stale
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(differ.iter().map(|rel| format!("/{rel}")));
        (loaded, differ)
    }

    /// Whether `page` (a URL path, `/zh-cn/a.html`) was sent from memory
    /// and the first build, now on disk, made it differently: a page that
    /// connects its live socket only now reloads at once.
    pub fn stale(&self, page: &str) -> bool {
        self.stale
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(page)
    }

    /// Whether the first build is on disk.
    pub fn is_built(&self) -> bool {
        matches!(
            *self.phase.read().unwrap_or_else(PoisonError::into_inner),
            Phase::Built
        )
    }

    /// The answer for the decoded path `segments` (`dir`: it ended with
    /// `/`), or None once the site is on disk. Renders: call it off the
    /// server's event loop.
    pub fn answer(&self, segments: &[String], dir: bool) -> Option<Answer> {
        let mut rel = segments.join("/");
        if dir || rel.is_empty() {
            rel = if rel.is_empty() {
                "index.html".into()
            } else {
                format!("{rel}/index.html")
            };
        }
        match &self.pool {
            Some(pool) => pool.install(|| self.make(&rel, segments)),
            None => self.make(&rel, segments),
        }
    }

    fn make(&self, rel: &str, segments: &[String]) -> Option<Answer> {
        let _making = self.making.read().unwrap_or_else(PoisonError::into_inner);
        let page = is_page(rel);
        let phase = self.phase.read().unwrap_or_else(PoisonError::into_inner);
        let (loaded, layout, since) = match &*phase {
            Phase::Built => return None,
            Phase::Reading { since, layout } => (None, layout.clone(), *since),
            Phase::Rendering(loaded) => (Some(Arc::clone(loaded)), None, Instant::now()),
        };
        drop(phase);
        let building = || Answer::Building {
            page,
            text: reading_text(since),
        };
        let made = match (&loaded, &layout) {
            (Some(l), _) => incremental::on_request(&l.model, &l.theme, &l.media, rel, None),
            (None, Some(layout)) => match layout.answer(rel) {
                Some(made) => made,
                None => return Some(building()),
            },
            (None, None) => return Some(building()),
        };
        let not_found = || -> Option<Vec<u8>> {
            let slug = segments.first().filter(|_| segments.len() > 1);
            let l = loaded.as_ref()?;
            slug.map(|s| format!("{s}/404.html"))
                .into_iter()
                .chain(std::iter::once("404.html".to_string()))
                .find_map(|f| {
                    match incremental::on_request(&l.model, &l.theme, &l.media, &f, None) {
                        Ok(Made::File(bytes)) => Some(bytes),
                        _ => None,
                    }
                })
        };
        let answer = match made {
            Ok(Made::File(bytes)) => {
                if page {
                    // A side-by-side page gets its editor from the session,
                    // which is building: it is reloaded after the build to
                    // have it.
                    let digest = (!rel.ends_with(".sxs.html")).then(|| blake3::hash(&bytes));
                    self.sent
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(rel.to_string(), digest);
                }
                Answer::File { bytes, status: 200 }
            }
            Ok(Made::Folder) => Answer::Redirect(format!("/{rel}/")),
            Ok(Made::Later) => Answer::Building {
                page: false,
                text: "the site is being built; this file comes with it".into(),
            },
            Ok(Made::Missing) if loaded.is_none() => building(),
            Ok(Made::Missing) => match not_found() {
                Some(bytes) => Answer::File { bytes, status: 404 },
                None => Answer::Missing,
            },
            Err(err) => Answer::Building {
                page,
                text: format!("this page could not be made yet: {err:#}"),
            },
        };
        Some(answer)
    }
}

/// What the building page says while the model is read.
fn reading_text(since: Instant) -> String {
    format!(
        "helpbook serve is reading the content ({:.1} s so far): this page needs every \
         article read and paired first. It loads itself again in a second.",
        since.elapsed().as_secs_f64()
    )
}

/// Whether `rel` is a page (what a browser shows, and reloads).
fn is_page(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.ends_with(".html") || name.ends_with(".htm") || !name.contains('.')
}

/// The building page: says what is happening and loads itself again every
/// second (no script needed).
pub fn building_page(text: &str) -> String {
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"1\">\
         <meta name=\"robots\" content=\"noindex\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Building…</title></head>\
         <body style=\"font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem\">\
         <h1>Building…</h1><p>{text}</p></body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn while_reading_pages_get_the_building_page_and_files_a_plain_answer() {
        let early = Early::default();
        let seg = |s: &str| -> Vec<String> { s.split('/').map(String::from).collect() };
        match early.answer(&seg("zh-cn/a.html"), false) {
            Some(Answer::Building { page: true, text }) => {
                assert!(text.contains("reading the content"), "{text}");
                let html = building_page(&text);
                assert!(html.contains("http-equiv=\"refresh\""));
            }
            _ => panic!("a page while reading gets the building page"),
        }
        assert!(matches!(
            early.answer(&[], true),
            Some(Answer::Building { page: true, .. })
        ));
        assert!(matches!(
            early.answer(&seg("static/style.css"), false),
            Some(Answer::Building { page: false, .. })
        ));
        assert!(!early.is_built());
    }

    #[test]
    fn the_building_page_escapes_its_text() {
        let html = building_page("a <b> & c");
        assert!(html.contains("a &lt;b&gt; &amp; c"));
    }
}
