//! `check`: translation QA as findings that CI can gate on.
//!
//! The pipeline, pure over what `load` and `pair` produced:
//!
//! 1. the findings the parser already made (`file::`, `frontmatter::`, `sxs::`,
//!    `article::locale-mismatch`, `article::missing-title`);
//! 2. freshness against the English (`pair::findings`: `segment::untranslated`,
//!    `segment::stale`, `segment::missing`), plus `article::outdated` and
//!    `article::missing-translation`;
//! 3. each pair's translation against its English ([`markup`]);
//! 4. the links and anchors of each target document ([`resolve`]):
//!    `link::broken`, `link::root-relative`, `article::duplicate-anchor`;
//! 5. `book.toml [check]` and `--deny warnings` applied ([`levels`]).
//!
//! [`check`] returns the findings sorted by file and place; [`baseline`]
//! sets aside those an earlier run already had; [`report`] prints them
//! (human, JSON, GitHub annotations and job summary in [`github`], SARIF in
//! [`sarif`]) with a summary per lint per locale; [`snippets::attach`] adds
//! the source lines for display. `build`
//! prints its findings through the same [`report`] and [`summary_line`].

pub mod baseline;
pub mod github;
pub mod levels;
pub mod location;
pub mod markup;
pub mod position;
pub mod render;
pub mod report;
pub mod resolve;
pub mod sarif;
pub mod snippets;

pub use report::{report, summary_line, Format};

use crate::diag::{lint, Finding, Level, Pos};
use crate::load::{Locale, Project};
use crate::model::Article;
use crate::pair::{self, ArticleState, English};
use rayon::prelude::*;
use std::collections::HashMap;

/// What to check and how strictly.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only findings of these locales (empty: all). The English is always
    /// rebuilt from every locale, so a filtered run finds the same as a full one.
    pub locales: Vec<String>,
    /// `--deny warnings`: warnings become errors.
    pub deny_warnings: bool,
}

/// Checks a loaded project against its English. The findings are re-levelled
/// by `[check]`, allowed ones removed, sorted by file, line, column and lint.
pub fn check(project: &Project, english: &English, options: &Options) -> Vec<Finding> {
    let config = &project.config;
    let wanted = |tag: &str| {
        options.locales.is_empty() || options.locales.iter().any(|l| l.eq_ignore_ascii_case(tag))
    };
    let ctx = Context {
        english,
        do_not_translate: &config.check.do_not_translate,
        link_base: config.html.link_base.is_some(),
    };
    let mut findings: Vec<Finding> = project.findings.clone();
    if let Some(folder) = &project.english {
        if wanted(&folder.tag) {
            findings.extend(locale_findings(folder, &ctx, false));
        }
    }
    let per_locale: Vec<Vec<Finding>> = project
        .locales
        .par_iter()
        .filter(|l| wanted(&l.tag))
        .map(|l| locale_findings(l, &ctx, true))
        .collect();
    findings.extend(per_locale.into_iter().flatten());
    levels::Levels::new(&config.check, options.deny_warnings).apply(&mut findings);
    sort(&mut findings);
    findings
}

/// Sorts findings by file, place and lint: the order of every output.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.lint, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.lint, &b.message))
    });
}

/// The exit status for checked findings: 1 if any is at error level.
pub fn exit_code(findings: &[Finding]) -> i32 {
    i32::from(findings.iter().any(|f| f.level == Level::Error))
}

struct Context<'a> {
    english: &'a English,
    do_not_translate: &'a [String],
    /// Whether `[output.html] link-base` resolves root-relative links.
    link_base: bool,
}

/// Every finding of one locale folder; `translated` is false for the
/// source-language folder (no freshness or markup against itself).
fn locale_findings(locale: &Locale, ctx: &Context, translated: bool) -> Vec<Finding> {
    let pages: Vec<resolve::Page> = locale
        .articles
        .par_iter()
        .map(|a| resolve::page(&a.target))
        .collect();
    let by_path: HashMap<&str, &resolve::Page> = locale
        .articles
        .iter()
        .zip(&pages)
        .map(|(a, p)| (a.path.as_str(), p))
        .collect();
    let mut out: Vec<Finding> = locale
        .articles
        .par_iter()
        .zip(&pages)
        .flat_map_iter(|(a, page)| {
            let mut f = a.findings.clone();
            if translated {
                f.extend(freshness(a, ctx));
                f.extend(markup_findings(a));
            }
            f.extend(link_findings(a, page, &by_path, ctx));
            f
        })
        .collect();
    if translated {
        out.extend(missing_translations(locale, ctx.english));
    }
    for f in &mut out {
        f.locale = Some(locale.tag.as_str().into());
    }
    out
}

fn freshness(a: &Article, ctx: &Context) -> Vec<Finding> {
    let english = ctx.english.articles.get(&a.path);
    let fresh = pair::freshness(a, english, ctx.do_not_translate);
    let mut out = pair::findings(a, &fresh);
    if let (ArticleState::Outdated, Some(e)) = (fresh.state, english) {
        let from = match &e.origin {
            pair::Origin::Folder => "the English folder".to_string(),
            pair::Origin::Rebuilt { locale } => format!("the {locale} copy"),
        };
        let when = |d: Option<crate::parse::front_matter::Date>| {
            d.map_or_else(|| "no hand-off date".into(), |d| format!("hand-off {d}"))
        };
        out.push(Finding::new(
            lint::ARTICLE_OUTDATED,
            &a.file,
            Pos::START,
            format!(
                "the English has moved on: {} stale and {} missing segments against the English \
                 of {} ({}; this translation: {})",
                fresh.stale(),
                fresh.missing.len(),
                from,
                when(e.handoff),
                when(a.handoff()),
            ),
        ));
    }
    out
}

fn markup_findings(a: &Article) -> Vec<Finding> {
    let mut out = Vec::new();
    for seg in &a.segments {
        for (lint, message) in markup::compare(&seg.target, &seg.source) {
            out.push(Finding::new(lint, &a.file, seg.pos, message));
        }
    }
    out
}

fn link_findings(
    a: &Article,
    page: &resolve::Page,
    pages: &HashMap<&str, &resolve::Page>,
    ctx: &Context,
) -> Vec<Finding> {
    use resolve::Target;
    let mut out = Vec::new();
    let at = |offset: usize| position::target_pos(a, offset);
    for d in &page.duplicates {
        out.push(Finding::new(
            lint::ARTICLE_DUPLICATE_ANCHOR,
            &a.file,
            at(d.offset),
            format!(
                "the anchor `{}` is defined twice; `#{}` links go to the first",
                d.id, d.id
            ),
        ));
    }
    for link in &page.links {
        let what = if link.image { "image" } else { "link" };
        let broken =
            |message: String| Finding::new(lint::LINK_BROKEN, &a.file, at(link.offset), message);
        match resolve::classify(&a.path, &link.url) {
            Target::RootRelative if !ctx.link_base => out.push(Finding::new(
                lint::LINK_ROOT_RELATIVE,
                &a.file,
                at(link.offset),
                format!(
                    "the root-relative {what} `{}` cannot be resolved: [output.html] link-base is not set",
                    link.url
                ),
            )),
            Target::Fragment(frag) if !page.anchors.contains(&frag) => out.push(broken(format!(
                "`{}`: this article has no anchor or heading `{frag}`",
                link.url
            ))),
            Target::Article { path, fragment } => match pages.get(path.as_str()) {
                None => out.push(broken(format!(
                    "`{}`: there is no article `{path}` in {}",
                    link.url, a.locale
                ))),
                Some(target) => {
                    if let Some(frag) = fragment.filter(|f| !f.is_empty() && !target.anchors.contains(f)) {
                        out.push(broken(format!(
                            "`{}`: `{path}` has no anchor or heading `{frag}` in {}",
                            link.url, a.locale
                        )));
                    }
                }
            },
            Target::Outside => out.push(broken(format!(
                "`{}` climbs out of the {} folder",
                link.url, a.locale
            ))),
            _ => {}
        }
    }
    out
}

/// `article::missing-translation` for each English article the locale lacks.
fn missing_translations(locale: &Locale, english: &English) -> Vec<Finding> {
    english
        .articles
        .values()
        .filter(|e| {
            locale
                .articles
                .binary_search_by(|a| a.path.as_str().cmp(&e.path))
                .is_err()
        })
        .map(|e| {
            let from = match &e.origin {
                pair::Origin::Folder => "the English folder".to_string(),
                pair::Origin::Rebuilt { locale } => format!("its {locale} copy"),
            };
            Finding::new(
                lint::ARTICLE_MISSING_TRANSLATION,
                &locale.dir.join(&e.path).display().to_string(),
                Pos::START,
                format!(
                    "`{}` has no {} translation (its English is known from {from})",
                    e.path, locale.tag
                ),
            )
        })
        .collect()
}
