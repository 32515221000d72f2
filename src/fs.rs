//! A thin wrapper over `std::fs` that names the path in every error.
//!
//! Only `load`, `write` and this module touch the disk.

use anyhow::{Context, Result};
use std::path::Path;

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, contents).with_context(|| format!("could not write {}", path.display()))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("could not create {}", path.display()))
}

/// A folder that content is read from. Symbolic links inside it are
/// followed only while what they lead to, resolved, stays inside it: a link
/// to `/`, to `/etc/passwd` or to a sibling project is never read, so that a
/// build cannot publish a file from outside the folders it owns.
#[derive(Debug, Clone)]
pub struct Jail {
    /// The folder, resolved.
    root: std::path::PathBuf,
}

impl Jail {
    pub fn new(root: &Path) -> Result<Jail> {
        let root = root
            .canonicalize()
            .with_context(|| format!("could not read {}", root.display()))?;
        Ok(Jail { root })
    }

    /// Whether `path` (inside the folder as written) resolves to a place
    /// inside it. A path that does not exist is not inside.
    pub fn contains(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|real| real.starts_with(&self.root))
    }

    /// Reads `path` if it resolves inside the folder: `Ok(None)` if it leads
    /// out of it.
    pub fn read(&self, path: &Path) -> std::io::Result<Option<Vec<u8>>> {
        let real = path.canonicalize()?;
        if !real.starts_with(&self.root) {
            return Ok(None);
        }
        std::fs::read(real).map(Some)
    }
}
