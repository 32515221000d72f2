//! Images and other files the articles link to: found in every locale
//! folder, named by their content (`media/<hash>.png`) so that languages
//! sharing a file share one copy, and copied into the site once.
//!
//! Symbolic links are followed only while they stay inside the content
//! folder (others are left out, as `load` leaves out such articles).

use crate::load::Project;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// File extensions copied as media.
const EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "pdf", "zip",
];

/// The media of a project.
#[derive(Debug, Default, Clone)]
pub struct Media {
    /// (locale tag, path in the locale folder) → output path (`media/…`).
    by_file: HashMap<(String, String), String>,
    /// Output path → a source file to copy.
    pub files: BTreeMap<String, PathBuf>,
}

/// A media file found in a locale folder: its output name
/// (`media/<hash>.<ext>`), its file, and its path in the folder.
type Found = (String, PathBuf, String);

impl Media {
    /// Finds and names the media of every locale folder.
    pub fn index(project: &Project) -> Result<Media> {
        Media::index_where(project, |_| true)
    }

    /// [`Media::index`] of the files `keep` accepts only (by path): the
    /// others are not read.
    pub fn index_where(
        project: &Project,
        keep: impl Fn(&std::path::Path) -> bool + Sync,
    ) -> Result<Media> {
        let jail = crate::fs::Jail::new(&project.config.content_dir)?;
        let folders: Vec<_> = project
            .locales
            .iter()
            .chain(project.english.iter())
            .collect();
        // Each folder on its own thread; merged in folder order, so that
        // the file copied for a shared output is the same in every run.
        let found: Vec<Vec<Found>> = folders
            .par_iter()
            .map(|locale| -> Result<Vec<Found>> {
                let mut found = Vec::new();
                let walk = walkdir::WalkDir::new(&locale.dir)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| !e.path_is_symlink() || jail.contains(e.path()));
                for entry in walk.flatten() {
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
                    if !EXTENSIONS.contains(&ext.as_str()) || !keep(path) {
                        continue;
                    }
                    let Ok(rel) = path.strip_prefix(&locale.dir) else {
                        continue;
                    };
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    let bytes = crate::fs::read(path)?;
                    let hash = blake3::hash(&bytes).to_hex();
                    let out = format!("media/{}.{ext}", &hash.as_str()[..16]);
                    found.push((out, path.to_path_buf(), rel));
                }
                Ok(found)
            })
            .collect::<Result<_>>()?;
        let mut media = Media::default();
        for (locale, found) in folders.iter().zip(found) {
            for (out, path, rel) in found {
                media.files.entry(out.clone()).or_insert(path);
                media.by_file.insert((locale.tag.clone(), rel), out);
            }
        }
        Ok(media)
    }

    /// The output path of file `path` of locale folder `tag`.
    pub fn get(&self, tag: &str, path: &str) -> Option<&String> {
        self.by_file.get(&(tag.to_string(), path.to_string()))
    }
}
