//! Images and other files the articles link to: found in every locale
//! folder, named by their content (`media/<hash>.png`) so that languages
//! sharing a file share one copy, and copied into the site once. An SVG
//! that could run script is not published ([`super::svg`]): links and
//! images to it are then links to a file that is not there.
//!
//! Symbolic links are followed only while they stay inside the content
//! folder (others are left out, as `load` leaves out such articles, and
//! `load` reports them), and every file is read through the content
//! folder's jail, so one made such a link after it was found is not copied
//! either: it is reported as `load` would have, and the build goes on.

use crate::diag::{lint, Finding, Pos};
use crate::load::Project;
use crate::render::links::MediaFile;
use crate::write::Sink;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// File extensions copied as media.
const EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "pdf", "zip",
];

/// The media of a project.
#[derive(Debug, Clone)]
pub struct Media {
    /// (locale tag, path in the locale folder) → output path (`media/…`).
    by_file: HashMap<(String, String), String>,
    /// Output path → a source file to copy, read only through
    /// [`Media::read`] (so never around the jail).
    files: BTreeMap<String, PathBuf>,
    /// The content folder, which the files are read through.
    jail: Arc<crate::fs::Jail>,
    /// The files not published, each with why (`media::unsafe-svg`).
    refused: Vec<Finding>,
    /// The same files, by (locale tag, path in the locale folder): a link
    /// to one is dropped without a finding of its own.
    refused_files: HashSet<(String, String)>,
}

/// File `path` through `jail`: None when it leads out of the folder.
fn read(jail: &crate::fs::Jail, path: &Path) -> Result<Option<Vec<u8>>> {
    jail.read(path)
        .with_context(|| format!("could not read {}", path.display()))
}

/// A media file found in a locale folder: its output name
/// (`media/<hash>.<ext>`), its file, and its path in the folder.
type Found = (String, PathBuf, String);

/// What one locale folder holds: its media, and the files refused (with
/// their paths in the folder).
type Folder = (Vec<Found>, Vec<(String, Finding)>);

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
        let jail = Arc::new(crate::fs::Jail::new(&project.config.content_dir)?);
        let folders: Vec<_> = project
            .locales
            .iter()
            .chain(project.english.iter())
            .collect();
        // Each folder on its own thread; merged in folder order, so that
        // the file copied for a shared output is the same in every run.
        let found: Vec<Folder> = folders
            .par_iter()
            .map(|locale| -> Result<Folder> {
                let mut found = Vec::new();
                let mut refused = Vec::new();
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
                    let Some(bytes) = read(&jail, path)? else {
                        continue;
                    };
                    if ext == "svg" {
                        if let Err(why) = super::svg::vet(&bytes) {
                            let mut f = Finding::new(
                                lint::MEDIA_UNSAFE_SVG,
                                &path.display().to_string(),
                                Pos {
                                    line: why.line,
                                    column: why.column,
                                },
                                format!("{}; the SVG is not published", why.message),
                            );
                            f.locale = Some(locale.tag.as_str().into());
                            refused.push((rel, f));
                            continue;
                        }
                    }
                    let hash = blake3::hash(&bytes).to_hex();
                    let out = format!("media/{}.{ext}", &hash.as_str()[..16]);
                    found.push((out, path.to_path_buf(), rel));
                }
                Ok((found, refused))
            })
            .collect::<Result<_>>()?;
        let mut media = Media {
            by_file: HashMap::new(),
            files: BTreeMap::new(),
            jail,
            refused: Vec::new(),
            refused_files: HashSet::new(),
        };
        for (locale, (found, refused)) in folders.iter().zip(found) {
            for (out, path, rel) in found {
                media.files.entry(out.clone()).or_insert(path);
                media.by_file.insert((locale.tag.clone(), rel), out);
            }
            for (rel, finding) in refused {
                media.refused_files.insert((locale.tag.clone(), rel));
                media.refused.push(finding);
            }
        }
        Ok(media)
    }

    /// The files found but not published, each a finding at its file
    /// (an SVG that could run script: [`super::svg`]).
    pub fn refused(&self) -> &[Finding] {
        &self.refused
    }

    /// The bytes of output file `out` (`media/…`), read through the
    /// content folder's jail; None when it is not one of the media, or its
    /// file now leads out of the content folder.
    pub fn read(&self, out: &str) -> Result<Option<Vec<u8>>> {
        match self.files.get(out) {
            Some(from) => read(&self.jail, from),
            None => Ok(None),
        }
    }

    /// Writes every media file into `sink`, in order, each read through
    /// the jail. A file that now leads out of the content folder is left
    /// out and reported (`load::outside-link`); the others are written.
    pub fn copy_into(&self, sink: &dyn Sink) -> Result<Vec<Finding>> {
        let mut findings = Vec::new();
        for (out, from) in &self.files {
            match read(&self.jail, from)? {
                Some(bytes) => sink.put(out, bytes)?,
                None => findings.push(crate::load::outside_link(from)),
            }
        }
        Ok(findings)
    }

    /// Adds the media of `other` (of the same project).
    pub fn extend(&mut self, other: Media) {
        self.by_file.extend(other.by_file);
        self.files.extend(other.files);
        self.refused.extend(other.refused);
        self.refused_files.extend(other.refused_files);
    }

    /// The output path of file `path` of locale folder `tag`.
    pub fn get(&self, tag: &str, path: &str) -> Option<&String> {
        self.by_file.get(&(tag.to_string(), path.to_string()))
    }

    /// File `path` of the first of locale folders `tags` that has it:
    /// published, refused, or in none of them.
    pub fn find(&self, tags: &[&str], path: &str) -> MediaFile {
        for tag in tags {
            let key = (tag.to_string(), path.to_string());
            if let Some(out) = self.by_file.get(&key) {
                return MediaFile::At(out.clone());
            }
            if self.refused_files.contains(&key) {
                return MediaFile::Refused;
            }
        }
        MediaFile::Missing
    }
}
