//! The one watcher of `serve`: `content/`, `themes/` and `book.toml`, through
//! a debouncer, as batches of changed paths; and [`classify`], which says what
//! a changed path means for the site. The only module that uses `notify`.
//!
//! Saves that write a temporary file and rename it over the article, folder
//! renames and deletions all arrive as paths; what they mean is decided by
//! looking at the disk when the batch is handled, not at the kind of event.

use crate::config::Config;
use anyhow::{Context, Result};
use notify_debouncer_full::notify::{self, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, NoCache};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long the folder must be quiet before a batch is handed over.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// Keeps the watcher running while it lives.
pub struct Watcher {
    _debouncer: Box<dyn std::any::Any + Send>,
}

/// Watches the project of `config`; sends each debounced batch of paths.
pub fn watch<T: From<Vec<PathBuf>> + Send + 'static>(
    config: &Config,
    tx: Sender<T>,
) -> Result<Watcher> {
    // Symbolic links are not followed: the build reads none (it reads no
    // link in content), and a link to `/usr` or a home folder made the
    // watcher add a watch for every folder there, up to the system's limit,
    // which every other program's watches share. No file-id cache either:
    // what a batch means is read from the disk, not from paired renames, and
    // the cache would walk the tree through the links.
    let config_watch = notify::Config::default().with_follow_symlinks(false);
    let mut debouncer = new_debouncer_opt::<_, RecommendedWatcher, NoCache>(
        DEBOUNCE,
        Some(Duration::from_millis(5)),
        move |result: DebounceEventResult| {
            let paths: Vec<PathBuf> = match result {
                // Reading a file (opening, closing unchanged) changes nothing;
                // the build's own reads would otherwise start another build.
                Ok(events) => events
                    .into_iter()
                    .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                    .flat_map(|e| e.event.paths)
                    .collect(),
                // A watcher error (such as a lost event queue): look at everything.
                Err(_) => vec![PathBuf::new()],
            };
            if !paths.is_empty() {
                let _ = tx.send(paths.into());
            }
        },
        NoCache,
        config_watch,
    )
    .context("could not start watching the project")?;
    let root = &config.root;
    let content = &config.content_dir;
    debouncer
        .watch(content, RecursiveMode::Recursive)
        .with_context(|| format!("could not watch {}", content.display()))?;
    if content != root {
        // book.toml, and themes/ even before it exists.
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("could not watch {}", root.display()))?;
        let themes = root.join("themes");
        if themes.is_dir() {
            debouncer
                .watch(&themes, RecursiveMode::Recursive)
                .with_context(|| format!("could not watch {}", themes.display()))?;
        }
    }
    Ok(Watcher {
        _debouncer: Box::new(debouncer),
    })
}

/// What a changed path means.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// `book.toml`, the theme, a locale folder added or removed, an image, or
    /// a lost event: build everything again.
    Everything,
    /// A file at `rel` (`/`-separated) inside locale folder `locale`.
    File { locale: String, rel: String },
    /// Something in a locale folder that is not a file (a folder added,
    /// removed or renamed): compare its articles with the disk.
    Folder { locale: String },
}

/// Files whose change needs the media index rebuilt.
const MEDIA: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "pdf", "zip",
];

/// What a change at `path` means (None: nothing the site uses).
pub fn classify(config: &Config, path: &Path) -> Option<Change> {
    if path.as_os_str().is_empty() {
        return Some(Change::Everything);
    }
    let root = &config.root;
    if path == root.join("book.toml") || path.starts_with(root.join("themes")) {
        return Some(Change::Everything);
    }
    let rel = path.strip_prefix(&config.content_dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let (locale, rest) = parts.split_first()?;
    if locale.starts_with('.') || !crate::locale::is_locale_tag(locale) {
        return None;
    }
    if rest.is_empty() {
        // The locale folder itself: added, removed or renamed.
        return Some(Change::Everything);
    }
    if rest.iter().any(|p| p.starts_with('.')) {
        return None;
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("md") if !path.is_dir() => Some(Change::File {
            locale: locale.clone(),
            rel: rest.join("/"),
        }),
        Some(e) if MEDIA.contains(&e) => Some(Change::Everything),
        _ if path.is_dir() || (ext.is_none() && !path.exists()) => Some(Change::Folder {
            locale: locale.clone(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_project_paths() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content/zh-CN/sub")).expect("mkdir");
        let config = Config::load(root).expect("config");
        let c = |p: &str| classify(&config, &root.join(p));
        assert_eq!(c("book.toml"), Some(Change::Everything));
        assert_eq!(
            c("themes/default/templates/base.html"),
            Some(Change::Everything)
        );
        assert_eq!(c("content/ja-JP"), Some(Change::Everything));
        assert_eq!(
            c("content/zh-CN/sub/a.md"),
            Some(Change::File {
                locale: "zh-CN".into(),
                rel: "sub/a.md".into()
            })
        );
        assert_eq!(
            c("content/zh-CN/sub"),
            Some(Change::Folder {
                locale: "zh-CN".into()
            })
        );
        assert_eq!(c("content/zh-CN/media/a.png"), Some(Change::Everything));
        assert_eq!(c("content/zh-CN/.a.md.swp"), None);
        assert_eq!(c("content/zh-CN/a.md~"), None);
        assert_eq!(c("content/notes/a.md"), None);
        assert_eq!(c("site/index.html"), None);
    }
}
