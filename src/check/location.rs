//! Where a finding's file is, for tools outside helpbook: GitHub annotations
//! and blob links, and SARIF artifact URIs.
//!
//! Findings name files as the user gave the folder (`content/zh-CN/a.md`,
//! `../docs/zh-CN/a.md`, or absolute). Those tools want paths relative to the
//! repository: [`Paths`] resolves a file name lexically against the current
//! folder and makes it relative to the root it was given
//! (`$GITHUB_WORKSPACE` in Actions), with `/` separators. A file outside the
//! root keeps the name it was shown under. [`uri`] percent-encodes a path
//! for a URI reference. Pure: the command passes the folders in.

use std::path::{Component, Path, PathBuf};

/// Turns file names as shown into paths relative to a root.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    /// The folder relative file names start from.
    cwd: Option<PathBuf>,
    /// The folder the paths are made relative to (the repository); the
    /// current folder when absent.
    root: Option<PathBuf>,
}

impl Paths {
    pub fn new(cwd: Option<PathBuf>, root: Option<PathBuf>) -> Paths {
        Paths {
            cwd: cwd.map(|p| normalize(&p)),
            root: root.map(|p| normalize(&p)),
        }
    }

    /// `file` relative to the root, `/`-separated, when it lies under it;
    /// otherwise as given (with `/` separators and no leading `./`).
    pub fn relative(&self, file: &str) -> String {
        let path = Path::new(file);
        let absolute = match (&self.cwd, path.is_absolute()) {
            (_, true) => Some(normalize(path)),
            (Some(cwd), false) => Some(normalize(&cwd.join(path))),
            (None, false) => None,
        };
        let base = self.root.as_ref().or(self.cwd.as_ref());
        if let (Some(absolute), Some(base)) = (&absolute, base) {
            if let Ok(rel) = absolute.strip_prefix(base) {
                return slashes(rel);
            }
        }
        if path.is_absolute() {
            slashes(path)
        } else {
            slashes(&normalize(path))
        }
    }
}

/// Lexical normalisation: `.` dropped, `a/..` removed (leading `..` kept).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                if matches!(last, Some(Component::Normal(_))) {
                    out.pop();
                } else if !matches!(last, Some(Component::RootDir | Component::Prefix(_))) {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn slashes(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/");
    // An absolute path's root component is itself `/`.
    match joined.strip_prefix("//") {
        Some(rest) => format!("/{rest}"),
        None => joined,
    }
}

/// A `/`-separated path as a URI reference: relative paths stay relative
/// (percent-encoded, non-ASCII as UTF-8 bytes), absolute ones become
/// `file://` URIs.
pub fn uri(path: &str) -> String {
    let encoded = crate::url::encode_path(path);
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_to_the_root() {
        let paths = Paths::new(Some("/repo/docs".into()), Some("/repo".into()));
        assert_eq!(
            paths.relative("content/zh-CN/a.md"),
            "docs/content/zh-CN/a.md"
        );
        assert_eq!(paths.relative("./content/a.md"), "docs/content/a.md");
        assert_eq!(paths.relative("../other/a.md"), "other/a.md");
        assert_eq!(paths.relative("/repo/x/a.md"), "x/a.md");
        // Outside the repository: as shown.
        assert_eq!(paths.relative("/elsewhere/a.md"), "/elsewhere/a.md");
        assert_eq!(paths.relative("../../up/a.md"), "../../up/a.md");
    }

    #[test]
    fn without_a_root_relative_to_the_current_folder() {
        let paths = Paths::new(Some("/work/repo".into()), None);
        assert_eq!(paths.relative("./content/a.md"), "content/a.md");
        assert_eq!(paths.relative("/work/repo/content/a.md"), "content/a.md");
        assert_eq!(paths.relative("../corpus/a.md"), "../corpus/a.md");
        assert_eq!(Paths::default().relative("./a/./b.md"), "a/b.md");
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("content/zh-CN/a b#1.md"), "content/zh-CN/a%20b%231.md");
        assert_eq!(
            uri("content/ja-JP/設定.md"),
            "content/ja-JP/%E8%A8%AD%E5%AE%9A.md"
        );
        assert_eq!(uri("/tmp/x:y.md"), "file:///tmp/x%3Ay.md");
    }
}
