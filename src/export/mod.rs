//! Translation memory export: every segment pair of every article, one unit
//! per pair, with its context, for translators' tools.
//!
//! Input: the pipeline's [`Model`] (stage 3). [`each`] turns it, one
//! locale at a time, into plain units grouped by locale and article
//! ([`LocaleUnits`]); the format modules ([`po`], [`xliff`], [`tmx`])
//! render those into file contents. All of
//! that is pure: [`plan`] names the files under an output folder, and
//! [`write`](fn@write) is the only function here that touches the disk, and it never
//! writes outside that folder.
//!
//! Pairs are never merged: two pairs with the same text are two units. Each
//! unit gets a key that is unique in its locale (`path#id`, or
//! `path#id@line:column` when the id repeats in the article) so that formats
//! that need unique identifiers (PO's msgctxt, TMX's tuid) have one. Segment
//! text stays Markdown; each format only escapes it (see docs/export.md).

pub mod plural;
pub mod po;
pub mod tmx;
pub mod xliff;

use crate::diag::Finding;
use crate::model::Article;
use crate::pair::SegmentState;
use crate::parse::front_matter::Date;
use crate::pipeline::Model;
use crate::timing::Stages;
use anyhow::{bail, Context, Result};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// The file formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GNU gettext PO.
    Po,
    /// XLIFF 2.0.
    Xliff,
    /// TMX 1.4b.
    Tmx,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Po => "po",
            Format::Xliff => "xlf",
            Format::Tmx => "tmx",
        }
    }
}

/// Who translated an article, from `ms.translationtype`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `HT`, or anything that is not `MT` (as `status` counts it).
    Human,
    /// `MT`.
    Machine,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Human => "human",
            Origin::Machine => "machine",
        }
    }
}

/// How one pair compares with the English, as a word for the files.
pub fn freshness_str(state: SegmentState) -> &'static str {
    match state {
        SegmentState::Current => "current",
        SegmentState::Stale => "stale",
    }
}

/// One segment pair, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit<'a> {
    /// The pair's `data-ttu-id`, as written.
    pub id: &'a str,
    /// Unique in the locale: `path#id`, or `path#id@line:column` when `id`
    /// occurs more than once in the article.
    pub key: String,
    /// The English (Markdown).
    pub source: &'a str,
    /// The translation (Markdown).
    pub target: &'a str,
    /// 1-based line of the pair in the article file.
    pub line: usize,
    /// 1-based column (characters) of the pair.
    pub column: usize,
    pub state: SegmentState,
}

/// The units of one article.
#[derive(Debug, Clone)]
pub struct ArticleUnits<'a> {
    /// Path relative to the locale folder (`commercial-dialogues/x.md`).
    pub path: &'a str,
    pub origin: Origin,
    /// `ms.translationtype` as written, if any.
    pub translation_type: Option<&'a str>,
    /// `ms.lasthandoff`, if it is a date.
    pub handoff: Option<Date>,
    /// In document order; never empty (articles without pairs are left out).
    pub units: Vec<Unit<'a>>,
}

/// Every unit of one locale.
#[derive(Debug, Clone)]
pub struct LocaleUnits<'a> {
    /// The locale folder's tag (`zh-CN`).
    pub tag: &'a str,
    /// The language's name as the site shows it
    /// ([`crate::load::Project::language_names`]).
    pub name: &'a str,
    /// The source language's tag (`en-US`).
    pub source_language: &'a str,
    /// The project title, for file headers.
    pub title: &'a str,
    /// Articles with at least one pair, in path order.
    pub articles: Vec<ArticleUnits<'a>>,
    /// Articles that could no longer be read (left out).
    pub unreadable: &'a [Finding],
}

impl LocaleUnits<'_> {
    /// How many units (pairs) the locale has.
    pub fn len(&self) -> usize {
        self.articles.iter().map(|a| a.units.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The newest hand-off date among the articles.
    pub fn newest_handoff(&self) -> Option<Date> {
        self.articles.iter().filter_map(|a| a.handoff).max()
    }
}

/// The units of the model's locales (those named in `only`, as
/// [`Model::select`] returned them, or all when it is empty), one locale
/// at a time in locale order, each given to `f`: a locale's articles are
/// read again for it ([`Model::language`]) and dropped after it, so memory
/// follows the largest locale.
pub fn each(
    model: &Model,
    only: &[String],
    stages: &Stages,
    mut f: impl FnMut(&LocaleUnits) -> Result<()>,
) -> Result<()> {
    let project = &model.project;
    // The source language is first.
    let names = project.language_names();
    for (i, locale) in project.locales.iter().enumerate() {
        if !(only.is_empty() || only.iter().any(|w| w.eq_ignore_ascii_case(&locale.tag))) {
            continue;
        }
        let read = model.language(i, stages);
        let units = LocaleUnits {
            tag: &locale.tag,
            name: &names[i + 1],
            source_language: &project.config.source_language,
            title: &project.config.title,
            articles: read
                .iter()
                .filter(|(a, _)| !a.segments.is_empty())
                .map(|(a, fresh)| article_units(a, &fresh.states))
                .collect(),
            unreadable: &read.findings,
        };
        f(&units)?;
    }
    Ok(())
}

/// The units of one article, given the freshness of each of its segments.
pub fn article_units<'a>(article: &'a Article, states: &[SegmentState]) -> ArticleUnits<'a> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for s in &article.segments {
        *seen.entry(s.id.as_str()).or_default() += 1;
    }
    let mut keys: HashSet<String> = HashSet::new();
    let units = article
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut key = if seen.get(s.id.as_str()).copied().unwrap_or(0) > 1 {
                format!("{}#{}@{}:{}", article.path, s.id, s.pos.line, s.pos.column)
            } else {
                format!("{}#{}", article.path, s.id)
            };
            // Only ids written to look like generated keys can collide; keep
            // every key unique all the same.
            while keys.contains(&key) {
                key.push('~');
            }
            keys.insert(key.clone());
            Unit {
                id: &s.id,
                key,
                source: s.source(article),
                target: s.target(article),
                line: s.pos.line,
                column: s.pos.column,
                state: states.get(i).copied().unwrap_or(SegmentState::Current),
            }
        })
        .collect();
    ArticleUnits {
        path: &article.path,
        origin: if article.front.is_machine_translated() {
            Origin::Machine
        } else {
            Origin::Human
        },
        translation_type: article.front.translation_type.as_deref(),
        handoff: article.handoff(),
        units,
    }
}

/// One file to write: where under the output folder, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub contents: String,
    /// How many units it holds.
    pub units: usize,
    /// Characters that the format cannot carry, replaced by U+FFFD.
    pub replaced: usize,
}

/// The files for one locale: `<tag>.<ext>`, or for PO with `per_article`,
/// `<tag>/<article path>.po` (the `.md` replaced).
pub fn plan(locale: &LocaleUnits, format: Format, per_article: bool) -> Vec<OutFile> {
    let whole = |r: Rendered| OutFile {
        path: format!("{}.{}", locale.tag, format.extension()),
        contents: r.text,
        units: locale.len(),
        replaced: r.replaced,
    };
    match format {
        Format::Po if per_article => locale
            .articles
            .iter()
            .map(|a| {
                let r = po::render(locale, std::slice::from_ref(a));
                let stem = a.path.strip_suffix(".md").unwrap_or(a.path);
                OutFile {
                    path: format!("{}/{stem}.po", locale.tag),
                    contents: r.text,
                    units: a.units.len(),
                    replaced: r.replaced,
                }
            })
            .collect(),
        Format::Po => vec![whole(po::render(locale, &locale.articles))],
        Format::Xliff => vec![whole(xliff::render(locale))],
        Format::Tmx => vec![whole(tmx::render(locale))],
    }
}

/// A rendered file and how many characters had to be replaced in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    pub replaced: usize,
}

/// Writes `files` under `out` (created if needed). Each file is written to a
/// new temporary file beside it and renamed into place
/// ([`crate::fs::replace`]), so a reader never sees half a file and a
/// symbolic link in the way, at the file's name or any other, is replaced,
/// not followed.
/// A path that would leave `out` is refused before anything is written.
pub fn write(out: &Path, files: &[OutFile]) -> Result<()> {
    let mut targets = Vec::with_capacity(files.len());
    for f in files {
        targets.push(inside(out, &f.path)?);
    }
    crate::fs::create_dir_all(out)?;
    let root = out
        .canonicalize()
        .with_context(|| format!("could not resolve {}", out.display()))?;
    for (f, target) in files.iter().zip(&targets) {
        if let Some(parent) = target.parent() {
            crate::fs::create_dir_all(parent)?;
            let real = parent
                .canonicalize()
                .with_context(|| format!("could not resolve {}", parent.display()))?;
            if !real.starts_with(&root) {
                bail!(
                    "{}: resolves outside the output folder {} (a symbolic link?); nothing more was written",
                    parent.display(),
                    out.display()
                );
            }
        }
        crate::fs::replace(target, &f.contents)?;
    }
    Ok(())
}

/// `out` joined with the relative path `rel`, refusing anything that is not a
/// plain relative path (no `..`, no root, no drive).
fn inside(out: &Path, rel: &str) -> Result<PathBuf> {
    let path = Path::new(rel);
    let plain = !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        bail!("refusing to write `{rel}`: it is not a plain path inside the output folder");
    }
    Ok(out.join(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(body: &str) -> Article {
        let text = format!(
            "---\ntitle: t\nms.translationtype: MT\nms.lasthandoff: 08/21/2021\n---\n{body}"
        );
        crate::parse::article("sv-SE", "d/a.md", "sv-SE/d/a.md", text.as_bytes())
    }

    fn pair(id: &str, t: &str, s: &str) -> String {
        format!(
            r#"<span data-ttu-id="{id}">{t}</span><span class="sxs-lookup"><span data-stu-id="{id}">{s}</span></span>"#
        )
    }

    #[test]
    fn keys_are_unique_when_ids_repeat() {
        let body = format!(
            "{} {}\n{}\n",
            pair("x-1", "A", "a"),
            pair("x-1", "B", "b"),
            pair("x-2", "C", "c")
        );
        let a = article(&body);
        let units = article_units(&a, &[SegmentState::Current; 3]);
        let keys: Vec<&str> = units.units.iter().map(|u| u.key.as_str()).collect();
        assert_eq!(keys[2], "d/a.md#x-2");
        assert!(keys[0].starts_with("d/a.md#x-1@6:"), "{keys:?}");
        assert_ne!(keys[0], keys[1]);
        assert_eq!(units.origin, Origin::Machine);
        assert_eq!(
            units.handoff.map(|d| d.to_string()).as_deref(),
            Some("2021-08-21")
        );
    }

    #[test]
    fn paths_must_stay_inside() {
        let out = Path::new("/tmp/out");
        assert!(inside(out, "zh-CN.po").is_ok());
        assert!(inside(out, "zh-CN/d/a.po").is_ok());
        for bad in ["../x.po", "/etc/x.po", "a/../../x.po", "", "./x"] {
            assert!(inside(out, bad).is_err(), "{bad}");
        }
    }

    /// A link at the file's name, or at the temporary name an earlier
    /// version wrote through (`<name>.tmp`: an output folder committed to
    /// a repository can carry one), is never written through.
    #[cfg(unix)]
    #[test]
    fn write_replaces_a_symlink_instead_of_following_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        std::fs::create_dir(&out).expect("mkdir");
        let mut outside = Vec::new();
        for (i, link) in ["sv-SE.po", "ja-JP.po.tmp"].into_iter().enumerate() {
            let target = dir.path().join(format!("outside-{i}.txt"));
            std::fs::write(&target, "keep").expect("write");
            std::os::unix::fs::symlink(&target, out.join(link)).expect("symlink");
            outside.push(target);
        }
        let file = |path: &str| OutFile {
            path: path.into(),
            contents: "new".into(),
            units: 0,
            replaced: 0,
        };
        write(&out, &[file("sv-SE.po"), file("ja-JP.po")]).expect("write");
        for target in &outside {
            assert_eq!(std::fs::read_to_string(target).expect("read"), "keep");
        }
        for name in ["sv-SE.po", "ja-JP.po"] {
            let path = out.join(name);
            assert!(!path.is_symlink(), "{name}");
            assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        }
    }
}
