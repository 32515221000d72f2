//! Translation memory back into the sxs files: the reading side of
//! `helpbook import`.
//!
//! Input: the bytes of PO, XLIFF 2.0 or TMX 1.4b files as `export` writes
//! them and as translators' tools rewrite them. [`read`] turns one file into
//! [`Unit`]s (the format modules [`po`], [`xliff`] and [`tmx`] each use one
//! crate: polib for PO, quick-xml through [`crate::xml::read`] for the other two); a file
//! that cannot be read is a [`ReadError`] with its line and column.
//! [`plan`] matches the units of a loaded project to its segment pairs and
//! works out, without writing anything, what changes in which file; it edits
//! through [`crate::writeback`], the one module that changes sxs files, and
//! finds the English of record for a confirmed stale sentence through
//! [`record`]. Only `cmd::import` writes, through `writeback::replace`.

pub mod plan;
pub mod po;
pub mod record;
pub mod tmx;
pub mod xliff;

use crate::export::Format;
use std::fmt;
use std::path::Path;

/// One translation unit, as read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Where the unit is in its file (1-based line).
    pub line: usize,
    /// The project locale it is for; Err holds the language as the file
    /// names it, when that is not a locale of the project.
    pub locale: Result<String, String>,
    /// Its key as `export` writes it: `path#id`, or `path#id@line:column`.
    pub key: String,
    /// The English it was exported with.
    pub source: String,
    /// The translation; None when the unit has none (empty, or absent).
    pub target: Option<String>,
    /// Whether the translator confirmed it: a PO entry that is not fuzzy, an
    /// XLIFF segment whose state is `translated`, `reviewed` or `final`.
    /// TMX has no such state: never.
    pub confirmed: bool,
}

/// Why a translation memory file cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ReadError {
    pub fn at(line: usize, column: usize, message: impl Into<String>) -> ReadError {
        ReadError {
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        }
    }
}

/// The project's locales, for naming the locale a file or unit is for.
#[derive(Debug, Clone)]
pub struct Locales {
    tags: Vec<String>,
}

impl Locales {
    pub fn new(tags: Vec<String>) -> Locales {
        Locales { tags }
    }

    /// The project locale that `name` names: its tag in any letter case
    /// (`zh-cn`), with `_` for `-` (`zh_CN`), or gettext's form of it
    /// (`sr_RS@latin` for `sr-Latn-RS`).
    pub fn resolve(&self, name: &str) -> Option<String> {
        let dashed = name.replace('_', "-");
        self.tags
            .iter()
            .find(|t| {
                t.eq_ignore_ascii_case(name)
                    || t.eq_ignore_ascii_case(&dashed)
                    || crate::export::plural::gettext_language(t) == name
            })
            .cloned()
    }

    /// The tags, for messages.
    pub fn list(&self) -> String {
        self.tags.join(", ")
    }
}

/// The format a file name says: `.po`, `.pot`; `.xlf`, `.xliff`; `.tmx`.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "po" | "pot" => Some(Format::Po),
        "xlf" | "xliff" => Some(Format::Xliff),
        "tmx" => Some(Format::Tmx),
        _ => None,
    }
}

/// Reads the units of one file in `format`. `path` gives the PO reader
/// hints for the locale (the file name and the folders above it).
pub fn read(
    path: &Path,
    bytes: &[u8],
    format: Format,
    locales: &Locales,
) -> Result<Vec<Unit>, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let pos = crate::diag::LineIndex::new(good).pos(good.len());
        ReadError::at(
            pos.line,
            pos.column,
            "invalid UTF-8 (files are read as UTF-8)",
        )
    })?;
    match format {
        Format::Po => {
            let names: Vec<String> = path
                .file_stem()
                .into_iter()
                .chain(path.ancestors().skip(1).filter_map(Path::file_name))
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            po::read(text, &names, locales)
        }
        Format::Xliff => xliff::read(text, locales),
        Format::Tmx => tmx::read(text, locales),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_by_any_name() {
        let l = Locales::new(vec!["zh-CN".into(), "sr-Latn-RS".into()]);
        for name in ["zh-CN", "zh-cn", "zh_CN"] {
            assert_eq!(l.resolve(name).as_deref(), Some("zh-CN"), "{name}");
        }
        assert_eq!(l.resolve("sr_RS@latin").as_deref(), Some("sr-Latn-RS"));
        assert_eq!(l.resolve("zh"), None);
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(format_of(Path::new("a/zh-CN.PO")), Some(Format::Po));
        assert_eq!(format_of(Path::new("x.xliff")), Some(Format::Xliff));
        assert_eq!(format_of(Path::new("x.tmx")), Some(Format::Tmx));
        assert_eq!(format_of(Path::new("x.txt")), None);
    }

    #[test]
    fn invalid_utf8_has_a_place() {
        let l = Locales::new(vec![]);
        let err = read(Path::new("a.po"), b"ab\ncd\xFF", Format::Po, &l).expect_err("bad");
        assert_eq!((err.line, err.column), (2, 3));
    }
}
